"""Write new values into a YAML file and keep what the officer wrote around them.

The CMS (README "Editing in the browser") sends a whole campaign as data; written back with a plain
YAML dump, the file would lose its comments, its key order and the quoting an officer chose. So
`update_yaml` parses the file on disk with ruamel.yaml's round-trip loader (pinned in
requirements.txt), changes only the values that differ, and emits it again: an edited key message
changes its own line and nothing else.

What the CMS sends is cleaned first: an empty string, an empty language entry (`en: ''`), an empty
list or mapping means "not given" (Decap writes `''` for a field left empty), and a key that is
not given is removed from the file.
"""

from __future__ import annotations

import datetime as dt
import io
import itertools
import re
import unicodedata
from collections.abc import Callable, Mapping
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import ScalarString

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_DATE_KEYS = frozenset({"date", "start", "end", "reviewed"})
"""Keys whose ISO text is written as a YAML date (Decap's date widget sends text)."""
_KEY_LINE = re.compile(r"^( *)[^\s#-][^:#]*:\s*(#.*)?$")
_DASH_LINE = re.compile(r"^( *)- ")


def clean(value: Any) -> Any:
    """`value` without what counts as missing (empty text, entries, lists, mappings); None if nothing is left."""
    if isinstance(value, str):
        return unicodedata.normalize("NFC", value) if value.strip() else None
    if isinstance(value, Mapping):
        kept = {str(k): v for k, v in ((k, clean(v)) for k, v in value.items()) if v is not None}
        return kept or None
    if isinstance(value, (list, tuple)):
        items = [v for v in (clean(v) for v in value) if v is not None]
        return items or None
    return value


def update_yaml(original: str, new: Mapping[str, Any]) -> str:
    """`original` with the values of `new` applied; comments, order and untouched quoting kept."""
    cleaned = clean(new) or {}
    return edit_yaml(original, lambda data: _merge_map(data, cleaned))


def edit_yaml(original: str, edit: Callable[[CommentedMap], object]) -> str:
    """`original` after `edit` changed its top mapping in place (ruamel's round-trip types)."""
    yaml = _yaml(original)
    data = yaml.load(original) if original.strip() else None
    if not isinstance(data, CommentedMap):
        data = CommentedMap()
    edit(data)
    out = io.StringIO()
    yaml.dump(data, out)
    return out.getvalue()


def _yaml(original: str) -> YAML:
    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = 4096  # never fold a long line the officer wrote on one line
    yaml.allow_unicode = True
    offset = _dash_offset(original)
    yaml.indent(mapping=2, sequence=offset + 2, offset=offset)
    return yaml


def _dash_offset(text: str) -> int:
    """How far a block list's `- ` sits right of its key in this file (0 or 2 in practice)."""
    lines = text.split("\n")
    for line, following in itertools.pairwise(lines):
        key, dash = _KEY_LINE.match(line), _DASH_LINE.match(following)
        if key and dash:
            return max(0, len(dash.group(1)) - len(key.group(1)))
    return 2


def _merge_map(target: CommentedMap, new: Mapping[str, Any]) -> None:
    for key in [k for k in target if str(k) not in new]:
        del target[key]
    for key, value in new.items():
        if key in target:
            target[key] = _merge(target[key], value, key)
        else:
            target[key] = _fresh(value, key)


def _merge(old: Any, new: Any, key: str) -> Any:
    """The value to keep at a key: `old` itself (edited in place) where it says the same as `new`."""
    if isinstance(old, CommentedMap) and isinstance(new, Mapping):
        _merge_map(old, new)
        return old
    if isinstance(old, CommentedSeq) and isinstance(new, list):
        del old[len(new):]
        for index, item in enumerate(new):
            if index < len(old):
                old[index] = _merge(old[index], item, key)
            else:
                old.append(_fresh(item, key))
        return old
    if _same(old, new):
        return old
    fresh = _fresh(new, key)
    if isinstance(old, ScalarString) and isinstance(fresh, str) and ("\n" in fresh) == ("\n" in old):
        return type(old)(fresh)  # an edited quoted text keeps its quotes
    return fresh


def _same(old: Any, new: Any) -> bool:
    if isinstance(old, bool) or isinstance(new, bool):
        return old is new
    if isinstance(old, dt.date) and isinstance(new, str):
        return old.isoformat() == new
    if isinstance(old, (int, float)) and isinstance(new, str):
        return str(old) == new
    return bool(old == new) and type(old) is not CommentedMap and type(old) is not CommentedSeq


def _fresh(value: Any, key: str) -> Any:
    """A new value as ruamel emits it: dates as dates, nested values block style."""
    if isinstance(value, str) and key in _DATE_KEYS and _DATE.match(value):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return value
    if isinstance(value, Mapping):
        made = CommentedMap()
        for k, v in value.items():
            made[k] = _fresh(v, k)
        return made
    if isinstance(value, list):
        return CommentedSeq(_fresh(v, key) for v in value)
    return value
