"""Pin widgets: inputs placed among the outputs, read at any time with ``pin``.

The widgets (``_widgets``), ``pin`` and its functions (``_pin``) and the per-session registry
(``_registry``). May import the core (``pywebio_nb._core``), ``pywebio_nb.input`` (fields) and
``pywebio_nb.output`` (positions); never a host.

Example:
    >>> from pywebio_nb.pin import pin, put_input  # doctest: +SKIP
    >>> put_input("who", label="Name")  # doctest: +SKIP
    >>> pin.who  # doctest: +SKIP
    ''
"""

from ._pin import Pin_, get_pin_values, pin, pin_on_change, pin_update, pin_wait_change
from ._widgets import (
    put_actions,
    put_checkbox,
    put_file_upload,
    put_input,
    put_radio,
    put_select,
    put_slider,
    put_textarea,
)

__all__ = [
    "Pin_",
    "get_pin_values",
    "pin",
    "pin_on_change",
    "pin_update",
    "pin_wait_change",
    "put_actions",
    "put_checkbox",
    "put_file_upload",
    "put_input",
    "put_radio",
    "put_select",
    "put_slider",
    "put_textarea",
]
