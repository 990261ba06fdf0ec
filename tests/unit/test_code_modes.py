"""``textarea(code=...)`` takes every CodeMirror mode name PyWebIO's documentation uses."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from pywebio_nb.input._code import CODE_LANGUAGES, code_options

pytestmark = pytest.mark.unit

CODE_TS = Path(__file__).parents[2] / "js" / "src" / "forms" / "code.ts"

#: CodeMirror 5's mode folders (PyWebIO loads ``mode/<name>/<name>.js`` for ``{'mode': name}``).
CODEMIRROR5_MODES = [
    "apl",
    "asciiarmor",
    "asn.1",
    "asterisk",
    "brainfuck",
    "clike",
    "clojure",
    "cmake",
    "cobol",
    "coffeescript",
    "commonlisp",
    "crystal",
    "css",
    "cypher",
    "d",
    "dart",
    "diff",
    "django",
    "dockerfile",
    "dtd",
    "dylan",
    "ebnf",
    "ecl",
    "eiffel",
    "elm",
    "erlang",
    "factor",
    "fcl",
    "forth",
    "fortran",
    "gas",
    "gfm",
    "gherkin",
    "go",
    "groovy",
    "haml",
    "handlebars",
    "haskell",
    "haskell-literate",
    "haxe",
    "htmlembedded",
    "htmlmixed",
    "http",
    "idl",
    "javascript",
    "jinja2",
    "jsx",
    "julia",
    "livescript",
    "lua",
    "markdown",
    "mathematica",
    "mbox",
    "mirc",
    "mllike",
    "modelica",
    "mscgen",
    "mumps",
    "nginx",
    "nsis",
    "ntriples",
    "octave",
    "oz",
    "pascal",
    "pegjs",
    "perl",
    "php",
    "pig",
    "powershell",
    "properties",
    "protobuf",
    "pug",
    "puppet",
    "python",
    "q",
    "r",
    "rpm",
    "rst",
    "ruby",
    "rust",
    "sas",
    "sass",
    "scheme",
    "shell",
    "sieve",
    "slim",
    "smalltalk",
    "smarty",
    "solr",
    "soy",
    "sparql",
    "spreadsheet",
    "sql",
    "stex",
    "stylus",
    "swift",
    "tcl",
    "textile",
    "tiddlywiki",
    "tiki",
    "toml",
    "tornado",
    "troff",
    "ttcn",
    "ttcn-cfg",
    "turtle",
    "twig",
    "vb",
    "vbscript",
    "velocity",
    "verilog",
    "vhdl",
    "vue",
    "wast",
    "webidl",
    "xml",
    "xquery",
    "yacas",
    "yaml",
    "yaml-frontmatter",
    "z80",
]


@pytest.mark.parametrize("mode", CODEMIRROR5_MODES)
def test_every_codemirror5_mode_is_accepted(mode: str) -> None:
    language = code_options({"mode": mode})["language"]
    assert language == CODE_LANGUAGES.get(mode, "text")


@pytest.mark.parametrize(
    ("mode", "language"),
    [
        ("markdown", "markdown"),
        ("gfm", "markdown"),
        ("htmlmixed", "html"),
        ("text/x-sql", "sql"),
        ("text/x-c++src", "cpp"),
        ("shell", "shell"),
        ("yaml", "yaml"),
        ("Python", "python"),
        ({"name": "javascript", "json": True}, "javascript"),
        ("cobol", "text"),
        (None, "text"),
    ],
)
def test_modes_map_onto_the_highlighted_languages(mode: object, language: str) -> None:
    assert code_options({"mode": mode, "lineWrapping": True})["language"] == language


def test_a_mode_that_is_not_a_name_is_refused_naming_it() -> None:
    with pytest.raises(TypeError, match="code mode"):
        code_options({"mode": 3})


def test_python_and_the_editor_know_the_same_languages() -> None:
    table = CODE_TS.read_text().split("const LANGUAGES", 1)[1].split("};", 1)[0]
    in_editor = set(re.findall(r"^\s+(\w+):", table, re.MULTILINE))
    assert in_editor == set(CODE_LANGUAGES.values())
