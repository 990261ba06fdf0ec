"""``python -m pywebio_nb``: the ``pywebio-nb`` command."""

from ._cli import main

main()
