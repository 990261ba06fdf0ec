"""What pywebio_nb does in a notebook rendered by Voila: outputs and callbacks, but no waiting.

Voila runs every cell of a notebook (nbclient) before the page's JavaScript connects to the
kernel, so a form shown by ``input()`` would wait for an answer that cannot arrive until the
wait is over: the page would stay at "Executing 1 of 2" for good. A wait in a Voila kernel
raises at once instead, with what to use: the same notebook at ``<base_url>/webio/<nb>.ipynb``.
"""

from __future__ import annotations

import os

__all__ = ["VoilaCannotWait", "refuse_wait_under_voila", "under_voila"]

#: Set by Voila in the environment of the kernels it starts (``voila/handler.py``).
_VOILA_VARIABLES = ("VOILA_REQUEST_URL", "VOILA_PREHEAT", "VOILA_KERNEL_ID")


class VoilaCannotWait(RuntimeError):
    """``input()`` (or another wait for the page) in a notebook that Voila renders."""


def under_voila() -> bool:
    """Whether this kernel was started by Voila.

    Example:
        >>> isinstance(under_voila(), bool)
        True
    """
    return any(os.environ.get(name) for name in _VOILA_VARIABLES)


def refuse_wait_under_voila(function: str = "input()") -> None:
    """Raise :class:`VoilaCannotWait` in a Voila kernel; do nothing elsewhere.

    Example:
        >>> refuse_wait_under_voila()  # outside Voila: nothing happens
    """
    if under_voila():
        raise VoilaCannotWait(
            f"{function} cannot wait in a notebook rendered by Voila: Voila runs every cell "
            "before the page connects to the kernel, so the answer could never arrive. "
            "Open the notebook at <base_url>/webio/<notebook>.ipynb (pywebio_nb's dashboards) "
            "instead; outputs and button callbacks do work under Voila."
        )
