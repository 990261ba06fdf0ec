"""The options of ``textarea(code=...)``: which language the editor highlights, which theme.

PyWebIO passes ``code`` to CodeMirror 5, whose ``mode`` is a mode name (``'python'``,
``'markdown'``, ``'htmlmixed'``...), one of its aliases or a MIME type (``'text/x-sql'``), and
loads any mode from a CDN. The editor here is CodeMirror 6 with its languages bundled
(``js/src/forms/code.ts``): every mode name is accepted; the ones below are highlighted, any
other is edited as plain text.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

__all__ = ["CODE_LANGUAGES", "code_options"]

#: The languages the editor highlights (the keys of ``LANGUAGES`` in ``js/src/forms/code.ts``),
#: each with the CodeMirror 5 mode names, aliases and MIME types that mean it.
_NAMES: dict[str, tuple[str, ...]] = {
    "python": ("py", "python3", "cython", "text/x-python", "text/x-cython"),
    "javascript": (
        "js",
        "node",
        "ecmascript",
        "text/javascript",
        "text/ecmascript",
        "application/javascript",
        "application/x-javascript",
        "application/ecmascript",
    ),
    "jsx": ("text/jsx",),
    "typescript": ("ts", "text/typescript", "application/typescript"),
    "tsx": ("text/typescript-jsx",),
    "json": ("application/json", "application/x-json", "application/ld+json", "json-ld"),
    "sql": (
        "text/x-sql",
        "mysql",
        "text/x-mysql",
        "mariadb",
        "text/x-mariadb",
        "pgsql",
        "postgresql",
        "text/x-pgsql",
        "sqlite",
        "text/x-sqlite",
        "mssql",
        "text/x-mssql",
        "plsql",
        "text/x-plsql",
        "text/x-hive",
        "text/x-cassandra",
    ),
    "markdown": ("md", "gfm", "text/markdown", "text/x-markdown", "text/x-gfm"),
    "html": (
        "htmlmixed",
        "htm",
        "xhtml",
        "text/html",
        "htmlembedded",
        "application/x-ejs",
        "application/x-aspx",
        "application/x-jsp",
        "application/x-erb",
        "vue",
        "text/x-vue",
        # HTML templates: their markup is highlighted, their tags are plain.
        "django",
        "jinja2",
        "twig",
        "handlebars",
        "tornado",
    ),
    "css": ("text/css", "scss", "text/x-scss", "less", "text/x-less", "gss", "text/x-gss"),
    "xml": ("text/xml", "application/xml", "svg", "image/svg+xml", "xsl", "xsd", "rss", "atom"),
    "yaml": ("yml", "text/yaml", "text/x-yaml", "yaml-frontmatter"),
    "c": ("clike", "h", "text/x-csrc", "text/x-chdr"),
    "cpp": ("c++", "cc", "cxx", "hpp", "text/x-c++src", "text/x-c++hdr"),
    "csharp": ("c#", "cs", "text/x-csharp"),
    "java": ("text/x-java",),
    "kotlin": ("kt", "text/x-kotlin"),
    "objectivec": ("objective-c", "objc", "text/x-objectivec"),
    "scala": ("text/x-scala",),
    "diff": ("patch", "text/x-diff"),
    "dockerfile": ("docker", "text/x-dockerfile"),
    "go": ("golang", "text/x-go"),
    "haskell": ("hs", "text/x-haskell"),
    "julia": ("jl", "text/x-julia"),
    "lua": ("text/x-lua",),
    "nginx": ("text/x-nginx-conf",),
    "perl": ("pl", "text/x-perl"),
    "powershell": ("ps1", "application/x-powershell"),
    "properties": ("ini", "text/x-properties", "text/x-ini"),
    "protobuf": ("proto", "text/x-protobuf"),
    "r": ("rscript", "splus", "text/x-rsrc"),
    "ruby": ("rb", "jruby", "macruby", "rake", "rbx", "text/x-ruby"),
    "rust": ("rs", "text/x-rustsrc"),
    "shell": ("sh", "bash", "zsh", "text/x-sh", "application/x-sh"),
    "stex": ("tex", "latex", "text/x-stex", "text/x-latex"),
    "swift": ("text/x-swift",),
    "toml": ("text/x-toml",),
}

#: Every name the editor highlights, and the language it means; other names are plain text.
CODE_LANGUAGES: dict[str, str] = {
    name: language for language, aliases in _NAMES.items() for name in (language, *aliases)
}

_DARK_THEMES = ("dark", "darcula", "monokai", "dracula", "material", "one-dark", "nord", "night")


def code_options(code: Any) -> dict[str, str]:
    """The editor options for ``textarea(code=...)``: a language and a theme.

    ``mode`` (CodeMirror 5's option, as PyWebIO passes it) or ``language`` names the language:
    a mode name, an alias or a MIME type, or a mode spec ``{'name': ...}``. The ones the editor
    highlights map onto its language; any other name is edited as plain text (``'text'``).
    Other CodeMirror 5 options (``lineWrapping``...) are accepted.

    Example:
        >>> code_options({"mode": "python", "theme": "darcula"})
        {'language': 'python', 'theme': 'dark'}
        >>> code_options({"mode": "text/x-markdown"})["language"], code_options({"mode": "apl"})
        ('markdown', {'language': 'text', 'theme': 'light'})
    """
    if code is True:
        return {"language": "python", "theme": "light"}
    if not isinstance(code, Mapping):
        raise TypeError(f"textarea(): code must be True or a dict, got {code!r:.80}")
    mode = code.get("language", code.get("mode", "python"))
    if isinstance(mode, Mapping):
        mode = mode.get("name", "")
    if mode is None:
        mode = "text"
    if not isinstance(mode, str):
        raise TypeError(
            f"textarea(): code mode must be a CodeMirror mode name such as 'python', "
            f"got {mode!r:.80}"
        )
    theme = code.get("theme", "light")
    if not isinstance(theme, str):
        raise TypeError(f"textarea(): code theme must be a str, got {theme!r:.80}")
    theme = theme.lower()
    return {
        "language": CODE_LANGUAGES.get(mode.strip().lower(), "text"),
        "theme": "dark" if any(word in theme for word in _DARK_THEMES) else "light",
    }
