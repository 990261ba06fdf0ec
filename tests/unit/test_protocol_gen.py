"""``js/src/protocol.ts`` is what ``js/gen_protocol.py`` writes from the Python protocol module."""

from __future__ import annotations

import doctest
import importlib
import json
import textwrap
from pathlib import Path
from typing import Any, get_args, get_type_hints

import pytest

from js import gen_protocol

#: The protocol module, wherever it lives (one constant names it).
protocol = importlib.import_module(gen_protocol.SOURCE_MODULE)

#: A protocol module using every construct the generator translates.
EXAMPLE = '''
"""A protocol for the generator's tests."""

from typing import Any, Literal, Optional, TypedDict, Union

from typing_extensions import NotRequired, Required

#: The version.
VERSION = 3
RATIO = 0.5
ON = True
#: A pattern, with "quotes" and a \\ backslash.
PATTERN = r'^"a\\b"$'

#: Where to go.
Side = Literal["left", "right"]


class Leaf(TypedDict):
    """A leaf: ``name`` and :class:`Tree` in reST."""

    name: str
    side: Side
    flag: Literal[True, 0, None]
    size: int | None
    weight: Optional[float]
    data: Any
    blob: object
    open: bool


class Tree(TypedDict, total=False):
    """A tree
    whose second line is indented."""

    leaves: Required[list[Leaf]]
    children: list["Tree"]
    names: dict[str, list[Union[str, int]]]
    grid: list[list[int | str]]
    anything: list
    mapping: dict
    tag: NotRequired[Literal["x"]]


Odd = TypedDict("Odd", {"odd-key": str, "$ok": int})


OPEN_TYPES = (Leaf,)
_PRIVATE = object()


class NotAMessage(Exception):
    """Code, not a message: skipped."""


def helper() -> None:
    """Skipped too."""


# A free comment block about what follows,
# with ``quotes``.

#: Every message.
Event = Leaf | Tree
Short = Leaf | None
'''

EXPECTED = """\
/** The version. */
export const VERSION = 3;

export const RATIO = 0.5;

export const ON = true;

/** A pattern, with "quotes" and a \\ backslash. */
export const PATTERN = "^\\"a\\\\b\\"$";

/** Where to go. */
export type Side = "left" | "right";

/** A leaf: `name` and `Tree` in reST. */
export interface Leaf {
  name: string;
  side: Side;
  flag: true | 0 | null;
  size: number | null;
  weight: number | null;
  data: unknown;
  blob: unknown;
  open: boolean;
  [key: string]: unknown;
}

/**
 * A tree
 * whose second line is indented.
 */
export interface Tree {
  leaves: Leaf[];
  children?: Tree[];
  names?: Record<string, (string | number)[]>;
  grid?: (number | string)[][];
  anything?: unknown[];
  mapping?: Record<string, unknown>;
  tag?: "x";
}

export interface Odd {
  "odd-key": string;
  $ok: number;
}

// A free comment block about what follows,
// with `quotes`.

/** Every message. */
export type BrowserEvent = Leaf | Tree;

export type Short = Leaf | null;
"""


def write_module(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str, source: str) -> str:
    (tmp_path / f"{name}.py").write_text(textwrap.dedent(source), encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    return name


def test_the_committed_files_are_what_the_generator_writes() -> None:
    folder = (gen_protocol.ROOT / gen_protocol.TARGET).parent
    for name, text in gen_protocol.generate_files().items():
        problems = gen_protocol.check(folder / name, text)
        assert problems == [], "\n".join(problems)


def test_each_module_of_the_protocol_is_a_file_of_its_own_under_600_lines() -> None:
    files = gen_protocol.generate_files()
    assert sorted(files) == ["protocol-nodes.ts", "protocol.ts"]
    for name, text in files.items():
        assert text.count("\n") <= 600, f"{name}: {text.count(chr(10))} lines"


def test_the_output_is_deterministic() -> None:
    assert gen_protocol.generate() == gen_protocol.generate()


def test_every_construct_translates(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    name = write_module(tmp_path, monkeypatch, "example_protocol", EXAMPLE)
    text = gen_protocol.generate(name)
    header, body = text.split("\n\n", 1)
    assert "Generated from example_protocol.py by js/gen_protocol.py" in header
    assert "npm run gen:protocol" in header
    assert body == EXPECTED


NODES_PART = '''
from typing import Literal, TypedDict


class Base(TypedDict, total=False):
    """Keys of every body."""

    style: str


class TextBody(Base):
    """A body."""

    type: Literal["text"]
'''

MAIN_PART = '''
from typing import TypedDict

from example_nodes import TextBody

PROTOCOL_PARTS = ("example_nodes",)


class Put(TypedDict):
    """A command."""

    node: TextBody
'''


def test_parts_come_first_and_bases_become_extends(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_module(tmp_path, monkeypatch, "example_nodes", NODES_PART)
    files = gen_protocol.generate_files(
        write_module(tmp_path, monkeypatch, "example_main", MAIN_PART)
    )
    assert sorted(files) == ["protocol-example_nodes.ts", "protocol.ts"]
    nodes, text = files["protocol-example_nodes.ts"], files["protocol.ts"]
    assert "// Nodes and their bodies come from example_nodes.py (PROTOCOL_PARTS)." in text
    assert 'export interface TextBody extends Base {\n  type: "text";\n}' in nodes
    assert nodes.index("interface Base") < nodes.index("interface TextBody")
    # the main file imports what it names (not Base) and re-exports the part
    assert 'import type { TextBody } from "./protocol-example_nodes";' in text
    assert 'export * from "./protocol-example_nodes";' in text
    assert "  node: TextBody;" in text
    assert "interface TextBody" not in text


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("class A(TypedDict):\n    x: tuple[int, str]\n", "A.x: no TypeScript translation"),
        ("class A(TypedDict):\n    x: set[int]\n", "A.x: no TypeScript translation"),
        ("class A(TypedDict):\n    x: dict[int, str]\n", "A.x: JSON object keys are strings"),
        ("from enum import Enum\nclass E(Enum):\n    X = 1\nL = Literal[E.X]\n", "has no JSON"),
        ("TABLE = {'a': 1}\n", "TABLE: a dict is neither a TypedDict"),
        ("lower = 3\n", "lower: a int is neither"),
        ("NAN = float('nan')\n", "NAN: nan has no JSON form"),
        (
            "from pywebio_nb._core.protocol import NodeSpec\n"
            "class A(TypedDict):\n    n: NodeSpec\n",
            "A.n: NodeSpec is not declared in",
        ),
        (
            "class Event(TypedDict):\n    x: int\nclass BrowserEvent(TypedDict):\n    y: int\n",
            "BrowserEvent and Event are both BrowserEvent",
        ),
    ],
)
def test_what_cannot_be_translated_is_named(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, source: str, message: str
) -> None:
    header = "from typing import Literal, TypedDict\n"
    name = write_module(tmp_path, monkeypatch, f"bad_protocol_{abs(hash(source))}", header + source)
    with pytest.raises(gen_protocol.GenerateError, match=message):
        gen_protocol.generate(name)


@pytest.mark.parametrize(
    ("union", "prefix"), [(protocol.WidgetMessage, ""), (protocol.PageMessage, "page-")]
)
def test_every_message_a_view_or_page_receives_has_a_fixture(union: Any, prefix: str) -> None:
    fixtures = Path(__file__).parent.parent / "fixtures" / "protocol"
    for message in get_args(union):
        (kind,) = get_args(get_type_hints(message)["kind"])
        names = [f"{prefix}{kind}.json", f"{kind}.json", f"page-{kind}.json"]
        found = [name for name in names if (fixtures / name).exists()]
        assert found, f"{message.__name__}: no fixture among {names}"
        assert json.loads((fixtures / found[0]).read_text(encoding="utf-8"))["kind"] == kind


def test_check_names_the_file_the_command_and_the_difference(tmp_path: Path) -> None:
    stale = tmp_path / "protocol.ts"
    stale.write_text("export const PROTOCOL_VERSION = 0;\n", encoding="utf-8")
    problems = gen_protocol.check(stale, "export const PROTOCOL_VERSION = 1;\n")
    assert problems[0] == (
        "js/src/protocol.ts is out of date: run `npm run gen:protocol` and commit the result."
    )
    assert "-export const PROTOCOL_VERSION = 0;" in problems
    assert "+export const PROTOCOL_VERSION = 1;" in problems
    assert gen_protocol.check(tmp_path / "missing.ts", "x\n")[0].endswith("commit the result.")


def test_main_writes_and_checks(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "protocol.ts"
    assert gen_protocol.main(["--check", "--output", str(target)]) == 1
    assert "npm run gen:protocol" in capsys.readouterr().err
    assert gen_protocol.main(["--output", str(target)]) == 0
    assert target.read_bytes() == gen_protocol.generate().encode()
    assert (tmp_path / "protocol-nodes.ts").read_bytes() == (
        gen_protocol.generate_files()["protocol-nodes.ts"].encode()
    )
    assert gen_protocol.main(["--check", "--output", str(target)]) == 0
    assert capsys.readouterr().err == ""


def test_the_generator_docstring_examples() -> None:
    result = doctest.testmod(gen_protocol, optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0
    assert result.failed == 0
