"""Page settings of standalone apps: ``config()``, the deprecated ``seo()``, docstring defaults."""

from __future__ import annotations

import inspect
import os
import warnings
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from ..exceptions import PyWebIOWarning

__all__ = ["checked_settings", "config", "effective_settings", "page_config", "seo"]

F = TypeVar("F", bound=Callable[..., Any])

_ATTR = "_pywebio_nb_config"
#: ``config()`` calls not (yet) applied to a function: they set the defaults of every app.
_global: list[dict[str, Any]] = []
_THEMES = {"auto": "auto", "light": "light", "dark": "dark", "default": "light"}
_PYWEBIO_ONLY_THEMES = ("sketchy", "minty", "yeti")


def _theme(value: str) -> str:
    if value in _THEMES:
        return _THEMES[value]
    if value in _PYWEBIO_ONLY_THEMES:
        warnings.warn(
            f"theme={value!r} is a PyWebIO Bootstrap theme; pywebio_nb pages use 'light'",
            PyWebIOWarning,
            stacklevel=4,  # _theme, checked_settings, config, the caller
        )
        return "light"
    raise ValueError(
        f"config(): theme={value!r} is not one of {sorted([*_THEMES, *_PYWEBIO_ONLY_THEMES])}"
    )


def _str_list(value: str | Sequence[str], name: str) -> list[str]:
    items = [value] if isinstance(value, str) else list(value)
    for item in items:
        if not isinstance(item, str):
            raise TypeError(f"config(): {name} must be a str or a list of str, got {item!r}")
    return items


class _Config:
    """The value of ``config(...)``: global settings, or a decorator for one app."""

    def __init__(self, settings: dict[str, Any]) -> None:
        self.settings = settings

    def __call__(self, func: F) -> F:
        if not callable(func):
            raise TypeError(f"config() decorates an app function, got {func!r}")
        if any(entry is self.settings for entry in _global):
            _global[:] = [entry for entry in _global if entry is not self.settings]
        merged = {**getattr(func, _ATTR, {}), **self.settings}
        setattr(func, _ATTR, merged)  # no wrapper: async apps stay coroutine functions
        return func


def config(
    *,
    title: str | None = None,
    description: str | None = None,
    theme: str | None = None,
    js_code: str | None = None,
    js_file: str | Sequence[str] = (),
    css_style: str | None = None,
    css_file: str | Sequence[str] = (),
    manifest: Any = True,
) -> _Config:
    """Set page options for one app (as a decorator) or for every app (called alone).

    Args:
        title: the page title (default: the first line of the app's docstring).
        description: the page description (default: the rest of the docstring).
        theme: ``"light"``, ``"dark"`` or ``"auto"`` (follow the visitor's system); PyWebIO's
            ``"default"`` means light; its Bootstrap themes fall back to light with a warning.
            The environment variable ``PYWEBIO_THEME`` wins.
        js_code: JavaScript run once the page has loaded.
        js_file: URLs of scripts to load.
        css_style: CSS added to the page.
        css_file: URLs of style sheets to load.
        manifest: accepted for PyWebIO compatibility and ignored.

    Example:
        >>> @config(title="Dashboard", theme="dark")
        ... def main():
        ...     pass
        >>> page_config(main)["theme"]
        'dark'
    """
    settings = checked_settings(
        title=title,
        description=description,
        theme=theme,
        js_code=js_code,
        js_file=js_file,
        css_style=css_style,
        css_file=css_file,
    )
    _global.append(settings)
    return _Config(settings)


def checked_settings(
    *,
    title: str | None = None,
    description: str | None = None,
    theme: str | None = None,
    js_code: str | None = None,
    js_file: str | Sequence[str] = (),
    css_style: str | None = None,
    css_file: str | Sequence[str] = (),
    manifest: Any = True,
) -> dict[str, Any]:
    """The page settings ``config()`` with these arguments sets (checked, nothing registered).

    Example:
        >>> checked_settings(theme="default", css_file="a.css")
        {'theme': 'light', 'css_file': ['a.css']}
    """
    settings: dict[str, Any] = {}
    for name, value in (("title", title), ("description", description)):
        if value is not None:
            if not isinstance(value, str):
                raise TypeError(f"config(): {name} must be a str, got {value!r}")
            settings[name] = value
    if theme is not None:
        settings["theme"] = _theme(theme)
    if js_code is not None:
        settings["js_code"] = str(js_code)
    if css_style is not None:
        settings["css_style"] = str(css_style)
    if js_file:
        settings["js_file"] = _str_list(js_file, "js_file")
    if css_file:
        settings["css_file"] = _str_list(css_file, "css_file")
    return settings


def seo(title: str, description: str | None = None, app: F | None = None) -> Any:
    """Deprecated: use ``config(title=..., description=...)``.

    Example:
        >>> @seo("Title", "What it does")  # doctest: +SKIP
        ... def main(): ...
    """
    warnings.warn("seo() is deprecated; use config()", DeprecationWarning, stacklevel=2)
    decorator = config(title=title, description=description)
    return decorator(app) if app is not None else decorator


def page_config(func: Callable[..., Any] | None) -> dict[str, Any]:
    """The effective page settings of an app: defaults, global config, docstring, its config.

    Example:
        >>> def main():
        ...     '''Sales
        ...
        ...     This month's numbers.'''
        >>> page_config(main)["title"], page_config(main)["description"]
        ('Sales', "This month's numbers.")
    """
    doc = inspect.getdoc(func) if func is not None else None
    own = [getattr(func, _ATTR, {})] if func is not None else []
    return effective_settings(doc, own)


def effective_settings(
    doc: str | None, own: Sequence[dict[str, Any]], module: Sequence[dict[str, Any]] = ()
) -> dict[str, Any]:
    """Page settings from their sources, later ones winning.

    In order: defaults, global ``config()`` calls, ``module`` settings (a file's module-level
    ``config()`` calls), the docstring ``doc``, the app's ``own`` settings, ``PYWEBIO_THEME``.

    Example:
        >>> effective_settings("Title", [{"theme": "dark"}])["title"]
        'Title'
    """
    result: dict[str, Any] = {
        "title": "PyWebIO Application",
        "description": "",
        "theme": "auto",
        "js_code": "",
        "css_style": "",
        "js_file": [],
        "css_file": [],
    }
    for entry in (*_global, *module):
        result.update(entry)
    if doc:
        head, _, rest = doc.partition("\n")
        result["title"] = head.strip()
        result["description"] = rest.strip()
    for entry in own:
        result.update(entry)
    env_theme = os.environ.get("PYWEBIO_THEME")
    if env_theme:
        result["theme"] = _THEMES.get(env_theme, "light")
    return result
