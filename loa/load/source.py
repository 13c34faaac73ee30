"""Read YAML and Markdown sources, keeping the file position of every YAML node.

Text is decoded as UTF-8 with or without BOM, line endings are folded to LF and
everything is normalised to Unicode NFC, so that "ệ" typed on two keyboards is
one string. Raw dicts stop here: validation walks :class:`Node` trees.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import yaml

from loa.cache.keys import digest
from loa.errors import Position, Report
from loa.messages import _

Scalar = str | int | float | bool | dt.date | None


@dataclass(frozen=True)
class Node:
    """A YAML value with its position; mappings and sequences hold Nodes."""

    value: Scalar | dict[str, Node] | list[Node]
    pos: Position
    key_pos: dict[str, Position] = field(default_factory=dict, compare=False)
    """For a mapping: the position of each key (for "unknown key" messages)."""

    @property
    def is_mapping(self) -> bool:
        return isinstance(self.value, dict)


def normalise(text: str) -> str:
    return unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))


def read_text(path: Path, shown: str, report: Report) -> str | None:
    """Read a UTF-8 file (BOM allowed); a decoding problem is reported, not raised."""
    data = path.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        report.error(Position(shown, line, 1), _("file is not valid UTF-8"),
                     _("save it as UTF-8 in your editor"))
        return None
    return normalise(text)


# libyaml's parser keeps line and column marks too, and is ~20x faster than pure Python.
_FAST_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_STR_TAG = "tag:yaml.org,2002:str"


class _Constructor(yaml.SafeLoader):
    """Used only to turn resolved scalar nodes into Python values."""


_constructor = _Constructor("")


def to_node(node: yaml.Node, shown: str, line_offset: int, report: Report) -> Node:
    mark = node.start_mark
    pos = Position(shown, mark.line + 1 + line_offset, mark.column + 1)
    if isinstance(node, yaml.MappingNode):
        items: dict[str, Node] = {}
        key_pos: dict[str, Position] = {}
        for key_node, value_node in node.value:
            key = to_node(key_node, shown, line_offset, report)
            if key_node.tag == "tag:yaml.org,2002:merge":
                report.error(key.pos, _("YAML merge keys ('<<') are not supported"))
                continue
            name = key.value if isinstance(key.value, str) else str(key.value)
            if name in items:
                first = key_pos[name]
                report.error(key.pos, _("duplicate key '%(key)s'", key=name),
                             _("first defined at line %(line)s; remove one of them", line=first.line))
                continue
            items[name] = to_node(value_node, shown, line_offset, report)
            key_pos[name] = key.pos
        return Node(items, pos, key_pos)
    if isinstance(node, yaml.SequenceNode):
        return Node([to_node(n, shown, line_offset, report) for n in node.value], pos)
    assert isinstance(node, yaml.ScalarNode)
    if node.tag == _STR_TAG:  # most scalars: skip the generic constructor
        return Node(unicodedata.normalize("NFC", node.value), pos)
    try:
        value = _constructor.construct_object(node, deep=True)
    except (yaml.YAMLError, ValueError):
        # e.g. 2027-02-30 looks like a date but is none: keep the text, validation explains
        value = node.value
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, str):
        value = unicodedata.normalize("NFC", value)
    return Node(value, pos)


def compose(text: str, shown: str, report: Report, line_offset: int = 0) -> yaml.Node | Literal[False] | None:
    """The YAML node tree (tags unresolved into values), False on a syntax error."""
    try:
        return yaml.compose(text, Loader=_FAST_LOADER)
    except yaml.YAMLError:
        pass
    # Parse again with the pure-Python parser: slower, but its messages say what it found.
    try:
        return yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = (mark.line + 1 if mark else 1) + line_offset
        column = mark.column + 1 if mark else 1
        message = " ".join(filter(None, [exc.context, exc.problem]))
        report.error(Position(shown, line, column), _("YAML syntax: %(problem)s", problem=message),
                     _("check indentation and quote text that contains ': ' or '#'"))
        return False
    except yaml.YAMLError as exc:
        report.error(Position(shown, 1 + line_offset, 1), _("YAML syntax: %(problem)s", problem=exc))
        return False


def parse_yaml(text: str, shown: str, report: Report, line_offset: int = 0) -> Node | None:
    """Parse one YAML document into a Node tree; syntax errors are reported with their line."""
    root = compose(text, shown, report, line_offset)
    if root is False:
        return None
    if root is None:
        return Node({}, Position(shown, 1 + line_offset, 1))
    return to_node(root, shown, line_offset, report)


class MarkdownSource:
    """A Markdown file split into front matter (as a Node) and body; read-only.

    `digest` names the front matter's text: the file's validated front matter
    is kept by it between builds (loa/check/front.py). The Node may be given as a function that makes
    it when first asked: the parses saved by the parse cache (loa/load/parsecache.py) make their Nodes only
    for a file whose front matter is validated again, so a rebuild makes none for files that did not change
    (0.5 s of every rebuild at 1,000 materials a language). So may the body: the parse cache does not hold
    it, and reads it from the file when first asked (`body_of`).
    """

    __slots__ = ("_body", "_meta", "body_line", "digest")

    def __init__(self, meta: Node | Callable[[], Node], body: str | Callable[[], str], body_line: int,
                 digest: str = "") -> None:
        self._meta = meta
        self._body = body
        self.body_line = body_line
        """Line number of the first body line in the file (for messages about the body)."""
        self.digest = digest

    @property
    def meta(self) -> Node:
        meta = self._meta
        if not isinstance(meta, Node):
            meta = self._meta = meta()
        return meta

    @property
    def body(self) -> str:
        body = self._body
        if not isinstance(body, str):
            body = self._body = body()
        return body

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, MarkdownSource):
            return NotImplemented
        return (self.meta, self.body, self.body_line) == (other.meta, other.body, other.body_line)

    __hash__ = None  # type: ignore[assignment]  # its Nodes hold dicts

    def __repr__(self) -> str:
        return f"MarkdownSource({self.meta!r}, {self.body!r}, {self.body_line!r})"

    def __reduce__(self) -> tuple[type[MarkdownSource], tuple[Node, str, int, str]]:
        return MarkdownSource, (self.meta, self.body, self.body_line, self.digest)


def front_matter_digest(front: str | None) -> str:
    """`MarkdownSource.digest` of front matter with this text (None: a file without front matter)."""
    return digest("front-matter", ["none"] if front is None else ["yaml", front])


def body_of(text: str, body_line: int) -> str:
    """The body of a Markdown file's text whose body starts at line `body_line` (`split_front_matter`'s)."""
    parts = text.split("\n", body_line - 1)
    return parts[-1] if len(parts) == body_line else ""


def split_front_matter(text: str, shown: str, report: Report) -> MarkdownSource | None:
    lines = text.split("\n")
    if not lines or lines[0].rstrip() != "---":
        return MarkdownSource(Node({}, Position(shown)), text, 1, front_matter_digest(None))
    for index in range(1, len(lines)):
        if lines[index].rstrip() in ("---", "..."):
            front = "\n".join(lines[1:index])
            meta = parse_yaml(front, shown, report, line_offset=1)
            if meta is None:
                return None
            if not meta.is_mapping:
                report.error(meta.pos, _("front matter must be a mapping of 'key: value' lines"))
                return None
            return MarkdownSource(meta, "\n".join(lines[index + 1:]), index + 2, front_matter_digest(front))
    report.error(Position(shown, 1, 1), _("front matter starts with '---' but never ends"),
                 _("add a line with '---' after the last front matter key"))
    return None
