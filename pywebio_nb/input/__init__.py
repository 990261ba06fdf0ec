"""Input functions: ask in a form, wait for the answer (blocking, or with ``await``).

Fields and conversion (``_field``, ``_options``, ``_files``), the input functions (``_inputs``,
``_group``) and the running form (``_form``). May import the core (``pywebio_nb._core``) and
``pywebio_nb.exceptions``; never a host.

Example:
    >>> from pywebio_nb.input import input, NUMBER  # doctest: +SKIP
    >>> age = input("How old are you?", type=NUMBER)  # doctest: +SKIP
"""

from ._field import Field, FieldError
from ._form import input_update
from ._group import input_group
from ._inputs import (
    CHECKBOX,
    COLOR,
    DATE,
    DATETIME,
    DATETIME_LOCAL,
    FLOAT,
    NUMBER,
    PASSWORD,
    RADIO,
    SELECT,
    TEXT,
    TEXTAREA,
    TIME,
    URL,
    actions,
    checkbox,
    file_upload,
    input,
    radio,
    select,
    slider,
    textarea,
)

__all__ = [
    "CHECKBOX",
    "COLOR",
    "DATE",
    "DATETIME",
    "DATETIME_LOCAL",
    "FLOAT",
    "NUMBER",
    "PASSWORD",
    "RADIO",
    "SELECT",
    "TEXT",
    "TEXTAREA",
    "TIME",
    "URL",
    "Field",
    "FieldError",
    "actions",
    "checkbox",
    "file_upload",
    "input",
    "input_group",
    "input_update",
    "radio",
    "select",
    "slider",
    "textarea",
]
