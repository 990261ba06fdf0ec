"""PyWebIO's ``pywebio.utils`` helpers that programs and packaging scripts use.

``pyinstaller_datas`` (PyWebIO's guide to bundling an app with PyInstaller), and the small
helpers its demos and tests import: sizes, free ports, random names, function introspection
that sees through ``functools.partial``, the generator trampolines, and dict-like objects.

Example:
    >>> from pywebio_nb.utils import parse_file_size, random_str
    >>> parse_file_size("2M"), len(random_str(8))
    (2097152, 8)
"""

from __future__ import annotations

import asyncio
import functools
import inspect
import os
import queue
import random
import re
import socket
import string
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Generator, Iterable, Iterator
from pathlib import Path
from typing import Any

__all__ = [
    "STATIC_PATH",
    "LRUDict",
    "LimitedSizeQueue",
    "ObjectDictProxy",
    "ReadOnlyObjectDict",
    "check_dom_name_value",
    "get_free_port",
    "get_function_attr",
    "get_function_doc",
    "get_function_name",
    "iscoroutinefunction",
    "isgeneratorfunction",
    "parse_file_size",
    "pyinstaller_datas",
    "random_str",
    "run_as_function",
    "strip_space",
    "to_coroutine",
    "wait_host_port",
]

_PACKAGE = Path(__file__).parent
#: The bundled frontend files (the same folder as ``pywebio_nb.STATIC_PATH``).
STATIC_PATH = str(_PACKAGE / "static")

_DOM_NAME = re.compile(r"[A-Za-z0-9_-]+")
_SIZE = re.compile(r"(\d+(?:\.\d*)?|\.\d+)([kmgtp]?)")


def pyinstaller_datas(cli_args: bool = False) -> list[tuple[str, str]] | str:
    """The package's data files, for PyInstaller's ``datas`` (or its ``--add-data`` options).

    Args:
        cli_args: return command-line options (`` --add-data src:dest`` for each folder)
            instead of a list of ``(source, destination)`` pairs.

    Example:
        >>> [dest for _src, dest in pyinstaller_datas()]
        ['pywebio_nb/static', 'pywebio_nb/templates']
        >>> pyinstaller_datas(cli_args=True).count("--add-data")
        2
    """
    datas = [
        (STATIC_PATH, "pywebio_nb/static"),
        (str(_PACKAGE / "templates"), "pywebio_nb/templates"),
    ]
    if cli_args:
        return "".join(f" --add-data {source}{os.pathsep}{dest}" for source, dest in datas)
    return datas


def parse_file_size(size: int | float | str) -> int:
    """Bytes from a size: a number, or a string such as ``"40K"``, ``"3M"``, ``"1.5gb"``.

    Units are powers of 1024 (K, M, G, T, P), in any case, with or without ``b``.

    Example:
        >>> parse_file_size("40K"), parse_file_size("1.5mb"), parse_file_size(512.9)
        (40960, 1572864, 512)
    """
    if isinstance(size, (int, float)) and not isinstance(size, bool):
        return int(size)
    if not isinstance(size, str):
        raise TypeError(f"parse_file_size(): size must be an int, float or str, got {size!r:.80}")
    match = _SIZE.fullmatch(size.strip().lower().replace("b", ""))
    if match is None:
        raise ValueError(f"parse_file_size(): size={size!r} is not a size such as 40K or 3M")
    power = " kmgtp".index(match.group(2) or " ")
    return int(float(match.group(1)) * 1024**power)


def random_str(length: int = 16) -> str:
    """A random string of ASCII letters and digits.

    Example:
        >>> len(random_str()), random_str(4).isalnum()
        (16, True)
    """
    return "".join(random.choices(string.ascii_letters + string.digits, k=length))


def get_free_port() -> int:
    """A TCP port that is free on this machine now (the system picks it).

    Example:
        >>> 0 < get_free_port() < 65536
        True
    """
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("", 0))
        return int(probe.getsockname()[1])


async def wait_host_port(host: str, port: int, duration: float = 10, delay: float = 2) -> bool:
    """Wait until ``host:port`` accepts connections, trying every ``delay`` seconds.

    Args:
        host: the host name or address.
        port: the port.
        duration: give up after this many seconds.
        delay: seconds between tries.

    Returns:
        True once a connection succeeded, False when ``duration`` passed without one.

    Example:
        >>> import asyncio
        >>> asyncio.run(wait_host_port("127.0.0.1", get_free_port(), duration=0, delay=0))
        False
    """
    deadline = time.monotonic() + duration
    while True:
        try:
            _reader, writer = await asyncio.open_connection(host, port)
        except OSError:
            if time.monotonic() + delay > deadline:
                return False
            await asyncio.sleep(delay)
            continue
        writer.close()
        return True


def _unwrap(func: Any) -> Any:
    while isinstance(func, functools.partial):
        func = func.func
    return func


def iscoroutinefunction(object: Any) -> bool:  # PyWebIO names it `object`
    """Whether ``object`` is an ``async def`` function, also behind ``functools.partial``.

    Example:
        >>> async def job(x): ...
        >>> iscoroutinefunction(functools.partial(job, 1))
        True
    """
    return inspect.iscoroutinefunction(_unwrap(object))


def isgeneratorfunction(object: Any) -> bool:  # PyWebIO names it `object`
    """Whether ``object`` is a generator function, also behind ``functools.partial``.

    Example:
        >>> def gen():
        ...     yield 1
        >>> isgeneratorfunction(functools.partial(gen))
        True
    """
    return inspect.isgeneratorfunction(_unwrap(object))


def get_function_name(func: Any, default: str | None = None) -> str | None:
    """The ``__name__`` of ``func`` (of the wrapped function for a partial), or ``default``.

    Example:
        >>> get_function_name(functools.partial(print, "x"))
        'print'
    """
    return getattr(_unwrap(func), "__name__", default)


def get_function_doc(func: Any) -> str:
    """The docstring of ``func``; a partial without a docstring of its own gives its function's.

    Example:
        >>> def main():
        ...     '''My app'''
        >>> get_function_doc(functools.partial(main))
        'My app'
    """
    if isinstance(func, functools.partial) and func.__doc__ == functools.partial.__doc__:
        func = _unwrap(func)
    return inspect.getdoc(func) or ""


def get_function_attr(func: Any, attrs: Iterable[str]) -> dict[str, Any]:
    """The attributes ``attrs`` that ``func`` has, looking through partials (outermost wins).

    Example:
        >>> def main(): ...
        >>> main.title = "Home"
        >>> get_function_attr(functools.partial(main), ["title", "missing"])
        {'title': 'Home'}
    """
    names = list(attrs)
    values: dict[str, Any] = {}
    while True:
        for name in names:
            if name not in values and hasattr(func, name):
                values[name] = getattr(func, name)
        if not isinstance(func, functools.partial):
            return values
        func = func.func


def run_as_function(gen: Generator[Any, Any, Any]) -> Any:
    """Run a generator to its end, sending each value it yields back into it; return its result.

    Example:
        >>> def double():
        ...     x = yield 21
        ...     return x * 2
        >>> run_as_function(double())
        42
    """
    sent: Any = None
    while True:
        try:
            sent = gen.send(sent)
        except StopIteration as stop:
            return stop.value


async def to_coroutine(gen: Generator[Awaitable[Any], Any, Any]) -> Any:
    """Run a generator that yields awaitables: await each and send its result back into it.

    Example:
        >>> async def answer():
        ...     return 21
        >>> def double():
        ...     x = yield answer()
        ...     return x * 2
        >>> asyncio.run(to_coroutine(double()))
        42
    """
    sent: Any = None
    while True:
        try:
            awaitable = gen.send(sent)
        except StopIteration as stop:
            return stop.value
        sent = await awaitable


def check_dom_name_value(value: Any, name: str = "`name`") -> None:
    """Raise ``ValueError`` unless ``value`` is a name of letters, digits, ``_`` and ``-``.

    Example:
        >>> check_dom_name_value("my-scope_1")
        >>> check_dom_name_value("a b", "scope")
        Traceback (most recent call last):
        ...
        ValueError: scope='a b' is not a valid name: use only letters, digits, '_' and '-'
    """
    if not isinstance(value, str) or not _DOM_NAME.fullmatch(value):
        raise ValueError(
            f"{name}={value!r} is not a valid name: use only letters, digits, '_' and '-'"
        )


def strip_space(text: str, n: int) -> str:
    r"""Remove ``n`` leading spaces from each line of ``text`` that starts with them.

    Example:
        >>> strip_space("    a\n  b\n    c", 4)
        'a\n  b\nc'
    """
    prefix = " " * n
    return "\n".join(line[n:] if line.startswith(prefix) else line for line in text.splitlines())


class ObjectDictProxy:
    """A dict seen through attributes: ``obj.key``; a missing key reads as ``None``.

    The dict comes from ``dict_getter()`` on every access, so the proxy can stand for a dict
    that changes (per session, say). ``obj._dict`` is the dict itself.

    Example:
        >>> backing = {}
        >>> data = ObjectDictProxy(lambda: backing)
        >>> data.name = "Ada"
        >>> data.name, data.age, "name" in data, backing
        ('Ada', None, True, {'name': 'Ada'})
    """

    def __init__(self, dict_getter: Callable[[], dict[Any, Any]]) -> None:
        object.__setattr__(self, "_dict_getter", dict_getter)

    @property
    def _dict(self) -> dict[Any, Any]:
        return self._dict_getter()  # type: ignore[no-any-return]

    def __len__(self) -> int:
        return len(self._dict)

    def __getitem__(self, key: Any) -> Any:
        return self._dict[key]

    def __setitem__(self, key: Any, value: Any) -> None:
        self._dict[key] = value

    def __delitem__(self, key: Any) -> None:
        del self._dict[key]

    def __iter__(self) -> Iterator[Any]:
        return iter(self._dict)

    def __contains__(self, key: object) -> bool:
        return key in self._dict

    def __repr__(self) -> str:
        return repr(self._dict)

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        return self._dict.get(name)

    def __setattr__(self, name: str, value: Any) -> None:
        if name.startswith("_"):
            raise AttributeError(f"cannot set {name!r}: names starting with '_' are reserved")
        self._dict[name] = value

    def __delattr__(self, name: str) -> None:
        self._dict.pop(name, None)


class ReadOnlyObjectDict(ObjectDictProxy):
    """An :class:`ObjectDictProxy` that cannot be changed through it.

    Example:
        >>> info = ReadOnlyObjectDict(lambda: {"user_ip": "127.0.0.1"})
        >>> info.user_ip
        '127.0.0.1'
        >>> info.user_ip = "x"
        Traceback (most recent call last):
        ...
        TypeError: this object is read-only
    """

    def __setitem__(self, key: Any, value: Any) -> None:
        raise TypeError("this object is read-only")

    def __delitem__(self, key: Any) -> None:
        raise TypeError("this object is read-only")

    def __setattr__(self, name: str, value: Any) -> None:
        raise TypeError("this object is read-only")

    def __delattr__(self, name: str) -> None:
        raise TypeError("this object is read-only")


class LimitedSizeQueue(queue.Queue[Any]):
    """A queue whose ``get()`` takes everything queued at once (``[]`` when empty).

    ``put()`` blocks while ``maxsize`` items wait; :meth:`wait_empty` waits for a taker.

    Example:
        >>> q = LimitedSizeQueue(maxsize=10)
        >>> q.put(1); q.put(2)
        >>> q.get(), q.get()
        ([1, 2], [])
    """

    def get(self, block: bool = False, timeout: float | None = None) -> Any:
        """Everything queued, oldest first (waits only with ``block=True``)."""
        try:
            return super().get(block=block, timeout=timeout)
        except queue.Empty:
            return []

    def wait_empty(self, timeout: float | None = None) -> None:
        """Wait until the queue's items were taken (at most ``timeout`` seconds).

        Example:
            >>> LimitedSizeQueue().wait_empty(0)
        """
        if timeout is not None and timeout < 0:
            raise ValueError(f"wait_empty(): timeout must be >= 0, got {timeout!r}")
        with self.not_full:
            if self._qsize():
                self.not_full.wait(timeout)

    def _init(self, maxsize: int) -> None:
        self.queue: list[Any] = []

    def _qsize(self) -> int:
        return len(self.queue)

    def _put(self, item: Any) -> None:
        self.queue.append(item)

    def _get(self) -> list[Any]:
        taken, self.queue = self.queue, []
        return taken


class LRUDict(OrderedDict[Any, Any]):
    """An ordered dict that moves a key to the end whenever it is set (most recent last).

    Example:
        >>> d = LRUDict(a=1, b=2)
        >>> d["a"] = 3
        >>> list(d)
        ['b', 'a']
    """

    def __setitem__(self, key: Any, value: Any) -> None:
        super().__setitem__(key, value)
        self.move_to_end(key)
