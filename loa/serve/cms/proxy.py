"""Decap CMS's proxy protocol (`POST /api/v1`, `{action, params}`) answered by `serve` itself.

Decap's own answer is Node's `decap-server` (its `localFs` middleware); this is the same
protocol with Loa's rules, so that an officer needs only Python and a browser:

- Decap sees a virtual tree (`content/<section>/<lang>/<file>`, what its `multiple_folders` i18n
  wants); `to_real`/`to_virtual` (the CMS config's, `loa/check/cms.py`) map it to Loa's files.
  Every path is checked after mapping: no `..`, no absolute path, nothing a symlink leads out
  of, only Markdown and images in `content/` and YAML in `campaigns/`.
- A new entry never overwrites a file; a rename moves one file, never a folder.
- Decap sends a file for every language of a new entry, empty (`"\\n"`) for those not written
  yet: an empty translation is not written.
- A new translation gets what `new translation` gives it (`translation: {status: draft, follows: ...}`,
  the digest of its original as saved), unless the form set its `translation:` itself.
- Text is written as UTF-8, NFC, LF, atomically (`loa/cache/files.py`); a campaign already on
  disk is updated with `update_yaml` (`loa/load/roundtrip.py`), which keeps its comments and order.

The answers are the shapes of decap-server 3.x (`packages/decap-server/src/middlewares/` in
Decap's repository): an entry `{data, file: {path, label, id}}`, a media file `{id, content,
encoding, path, name}`, an error `{error}` with a 4xx status.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import os
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

import yaml
from ruamel.yaml.error import YAMLError as RoundTripError

from loa.cache.files import write_atomically
from loa.check.freshness import follows_of, translation_text
from loa.errors import Report
from loa.load.source import split_front_matter
from loa.messages import _

Mapper = Callable[[str, Sequence[str]], "str | None"]
Updater = Callable[[str, Mapping[str, Any]], str]

IMAGE_SUFFIXES = frozenset({".jpg", ".jpeg", ".png", ".webp", ".gif", ".svg"})
TEXT_SUFFIXES = {"content": frozenset({".md"}), "campaigns": frozenset({".yml", ".yaml"})}
WORKFLOW_ACTIONS = frozenset({
    "unpublishedEntries", "unpublishedEntry", "unpublishedEntryDataFile", "unpublishedEntryMediaFile",
    "deleteUnpublishedEntry", "updateUnpublishedEntryStatus", "publishUnpublishedEntry",
    "getNotes", "addNote", "updateNote", "deleteNote", "toggleNoteResolution", "getPRMetadata"})
"""Decap's editorial workflow (drafts as branches, notes): Loa has none (a draft is `status: draft`)."""


class RefusedError(Exception):
    """A request the proxy does not carry out: its HTTP status and the message Decap shows."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


@dataclass(frozen=True)
class Planned:
    """One file of a save, checked before anything is written."""

    target: Path
    data: str | bytes
    remove: Path | None = None
    """The file a rename leaves (only that file)."""


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def text(raw: str) -> str:
    """What Loa writes: NFC, LF line ends, one final newline."""
    raw = unicodedata.normalize("NFC", raw.replace("\r\n", "\n").replace("\r", "\n"))
    return raw if raw.endswith("\n") else raw + "\n"


def empty(raw: str, *, translation: bool = False) -> bool:
    """Decap's file for a language not written yet: blank, or an empty front matter.

    For a translation that has no file yet, also one with neither title nor body: the fields the
    same in every language (type, topics, audiences, reviewed) are copied by Decap into every
    language's file of a new entry, and writing them would make a translation without a title.
    """
    if not [line for line in raw.split("\n") if line.strip() and line.strip() != "---"]:
        return True
    front = _front(raw) if translation else None
    return front is not None and not str(front[0].get("title") or "").strip() and not front[1].strip()


def _clean_parts(path: Any) -> str:
    if not isinstance(path, str) or not path or "\\" in path or "\x00" in path or path.startswith("/") \
            or (len(path) > 1 and path[1] == ":"):
        raise RefusedError(403, _("'%(path)s' is not a file the CMS may change (only in content/ and campaigns/)",
                             path=str(path)[:200]))
    if any(part in ("", ".", "..") for part in path.split("/")):
        raise RefusedError(403, _("'%(path)s' is not a file the CMS may change (only in content/ and campaigns/)",
                             path=path[:200]))
    return path


class Proxy:
    """The actions of Decap's proxy backend over one project's files (`languages`: the default first)."""

    def __init__(self, root: Path, languages: Callable[[], Sequence[str]], to_real: Mapper, to_virtual: Mapper,
                 update: Updater) -> None:
        self.root = root.resolve()
        self.languages = languages
        self.to_real = to_real
        self.to_virtual = to_virtual
        self.update = update

    # paths

    def real(self, virtual: Any, *, media: bool = False) -> Path:
        """The file a virtual path names, confined to content/ and campaigns/ (RefusedError otherwise)."""
        mapped = self.to_real(_clean_parts(virtual), tuple(self.languages()))
        real = _clean_parts(mapped if mapped is not None else "..")
        top = real.split("/", 1)[0]
        suffix = PurePosixPath(real).suffix.lower()
        allowed = IMAGE_SUFFIXES if media or suffix in IMAGE_SUFFIXES else TEXT_SUFFIXES.get(top, frozenset())
        resolved = (self.root / real).resolve()
        if top not in TEXT_SUFFIXES or suffix not in allowed or (top == "campaigns" and suffix in IMAGE_SUFFIXES) \
                or not resolved.is_relative_to((self.root / top).resolve()) or resolved.is_dir():
            raise RefusedError(403, _("'%(path)s' is not a file the CMS may change (only in content/ and campaigns/)",
                                 path=str(virtual)[:200]))
        return resolved

    def virtual(self, path: Path) -> str | None:
        return self.to_virtual(path.relative_to(self.root).as_posix(), tuple(self.languages()))

    def files(self) -> list[tuple[str, Path]]:
        """Every file of content/ and campaigns/ as (virtual path, real path), symlinks not followed."""
        found: list[tuple[str, Path]] = []
        for top in TEXT_SUFFIXES:
            for folder, dirs, names in os.walk(self.root / top):
                dirs[:] = sorted(d for d in dirs if not d.startswith(".") and not Path(folder, d).is_symlink())
                for name in sorted(names):
                    path = Path(folder, name)
                    virtual = None if name.startswith(".") or path.is_symlink() else self.virtual(path)
                    if virtual is not None:
                        found.append((virtual, path))
        return found

    # answers

    def entry(self, virtual: Any, label: Any = None) -> dict[str, Any]:
        path = self.real(virtual)
        try:
            data = path.read_bytes()
        except OSError:
            return {"data": None, "file": {"path": virtual, "label": label, "id": None}}
        return {"data": data.decode("utf-8-sig"), "file": {"path": virtual, "label": label, "id": _sha(data)}}

    def media(self, virtual: Any) -> dict[str, Any]:
        path = self.real(virtual, media=True)
        try:
            data = path.read_bytes()
        except OSError:
            raise RefusedError(404, _("'%(path)s' does not exist", path=virtual)) from None
        return {"id": _sha(data), "content": base64.b64encode(data).decode("ascii"), "encoding": "base64",
                "path": virtual, "name": path.name}

    # the protocol

    def handle(self, body: Any) -> Any:
        """The answer to one request body (RefusedError for what Loa does not do)."""
        if not isinstance(body, dict) or not isinstance(body.get("action"), str):
            raise RefusedError(400, _("not a request of the CMS (a JSON object with 'action' and 'params')"))
        action, params = body["action"], body.get("params") or {}
        if not isinstance(params, dict):
            raise RefusedError(400, _("not a request of the CMS (a JSON object with 'action' and 'params')"))
        if action == "info":
            return {"repo": self.root.name, "publish_modes": ["simple"], "type": "local_fs"}
        if action == "entriesByFolder":
            return [self.entry(virtual) for virtual in
                    listed(self.files(), params.get("folder"), params.get("extension"), params.get("depth"))]
        if action == "entriesByFiles":
            files = params.get("files") or []
            return [self.entry(f.get("path"), f.get("label")) for f in files if isinstance(f, dict)]
        if action == "getEntry":
            try:
                return self.entry(params.get("path"))
            except RefusedError:
                # Decap asks whether a new entry's path outside the language folders is taken
                # (`content/<section>/<slug>.md`): it is not, and nothing is read for it
                return {"data": None, "file": {"path": _clean_parts(params.get("path")), "id": None}}
        if action == "persistEntry":
            return self.persist_entry(params)
        if action == "getMedia":
            folder = _clean_parts(str(params.get("mediaFolder", "")).strip("/"))
            return [self.media(virtual) for virtual, path in self.files()
                    if virtual.rsplit("/", 1)[0] == folder and path.suffix.lower() in IMAGE_SUFFIXES]
        if action == "getMediaFile":
            return self.media(params.get("path"))
        if action == "persistMedia":
            asset = params.get("asset")
            planned = self.asset(asset)
            write([planned])
            return self.media(asset["path"]) if isinstance(asset, dict) else None
        if action in ("deleteFile", "deleteFiles"):
            paths = [params.get("path")] if action == "deleteFile" else params.get("paths") or []
            targets = [self.real(path) for path in paths]
            for target in targets:
                target.unlink(missing_ok=True)
            return {"message": f"deleted files {', '.join(str(p) for p in paths)}"}
        if action == "getDeployPreview":
            return None
        if action in WORKFLOW_ACTIONS:
            raise RefusedError(422, _("Loa does not use the editorial workflow: a material not ready to publish "
                                 "is a draft (status: draft in a campaign, translation: {status: draft})"))
        raise RefusedError(422, _("unknown action '%(action)s'", action=action[:100]))

    def asset(self, asset: Any) -> Planned:
        if not isinstance(asset, dict) or asset.get("encoding", "base64") != "base64":
            raise RefusedError(400, _("not a request of the CMS (a JSON object with 'action' and 'params')"))
        target = self.real(asset.get("path"), media=True)
        try:
            data = base64.b64decode(str(asset.get("content", "")), validate=True)
        except (binascii.Error, ValueError):
            raise RefusedError(400, _("the photo's data is not valid base64")) from None
        if target.exists() and target.read_bytes() != data:
            raise RefusedError(409, _("'%(path)s' already exists; not overwritten (give the photo another name)",
                                 path=asset.get("path")))
        return Planned(target, data)

    def persist_entry(self, params: Mapping[str, Any]) -> dict[str, str]:
        options = params.get("options") or {}
        new = bool(isinstance(options, dict) and options.get("newEntry"))
        files = params.get("dataFiles") or ([params["entry"]] if isinstance(params.get("entry"), dict) else [])
        planned: list[Planned] = []
        for file in files:
            if not isinstance(file, dict) or not isinstance(file.get("raw"), str):
                raise RefusedError(400, _("not a request of the CMS (a JSON object with 'action' and 'params')"))
            source = self.real(file.get("path"))
            where = source.relative_to(self.root).parts
            if empty(file["raw"], translation=where[0] == "content" and where[1] != self.languages()[0]
                     and not source.exists()):
                continue  # a language not written yet (Decap sends "\n" for it): no file
            moved = file.get("newPath")
            target = self.real(moved) if moved and moved != file.get("path") else source
            if (new or target != source) and target.exists():
                raise RefusedError(409, _("'%(path)s' already exists; not overwritten (choose another name, or edit "
                                     "the file)", path=moved or file.get("path")))
            planned.append(Planned(target, entry_text(source, file["raw"], new, self.update),
                                   source if target != source and source.exists() else None))
        planned = [marked(self.root, tuple(self.languages()), item, planned) for item in planned]
        planned += [self.asset(asset) for asset in params.get("assets") or []]
        write(planned)
        return {"message": "entry persisted"}



def marked(root: Path, codes: Sequence[str], item: Planned, saving: Sequence[Planned]) -> Planned:
    """A new translation, with the marker `new translation` writes (the original: as saved now, or on disk)."""
    parts = item.target.relative_to(root).parts
    if item.target.exists() or item.remove is not None or parts[0] != "content" or len(parts) < 3 \
            or not codes or parts[1] == codes[0] or not isinstance(item.data, str):
        return item
    original = root.joinpath("content", codes[0], *parts[2:])
    text = next((i.data for i in saving if i.target == original and isinstance(i.data, str)), None)
    if text is None and original.is_file():
        text = original.read_text(encoding="utf-8-sig")
    digest = None if text is None or has_key(item.data, "translation") else digest_of(text)
    return item if digest is None else Planned(item.target, translation_text(item.data, digest))


def listed(files: Sequence[tuple[str, Path]], folder: Any, extension: Any, depth: Any) -> list[str]:
    """The virtual paths of `entriesByFolder`: under `folder`, with `extension`, at most `depth` folders down."""
    prefix = _clean_parts(str(folder).strip("/")) + "/"
    depth = depth if isinstance(depth, int) and depth > 0 else 1
    return [virtual for virtual, _path in files
            if virtual.startswith(prefix) and virtual.endswith(str(extension or ""))
            and virtual[len(prefix):].count("/") < depth]


def _front(text: str) -> tuple[dict[str, Any], str] | None:
    source = split_front_matter(text, "", Report())
    if source is None or not isinstance(source.meta.value, dict):
        return None
    return {key: node.value for key, node in source.meta.value.items()}, source.body


def has_key(text: str, key: str) -> bool:
    front = _front(text)
    return front is not None and key in front[0]


def digest_of(original: str) -> str | None:
    """`follows` of an original's text (loa/check/freshness.py), None if it cannot be read."""
    front = _front(original)
    if front is None:
        return None
    meta, body = front
    title, summary = meta.get("title"), meta.get("summary")
    return follows_of(title if isinstance(title, str) else "", summary if isinstance(summary, str) else "", body)


def entry_text(source: Path, raw: str, new: bool, update: Updater) -> str:
    """What is written: a campaign on disk is updated in place (comments and order kept)."""
    if new or source.suffix not in TEXT_SUFFIXES["campaigns"] or not source.is_file():
        return text(raw)
    try:
        data = yaml.safe_load(raw)
    except yaml.YAMLError as exc:
        raise RefusedError(400, _("the campaign sent is not valid YAML: %(problem)s", problem=exc)) from None
    if not isinstance(data, dict):
        raise RefusedError(400, _("the campaign sent is not valid YAML: %(problem)s", problem=type(data).__name__))
    try:
        return text(update(source.read_text(encoding="utf-8-sig"), data))
    except RoundTripError:  # the file on disk: its comments cannot be kept, and it is not replaced
        raise RefusedError(409, _("'%(path)s' on disk is not valid YAML: not replaced (run 'build.py check', fix "
                                  "the file in a text editor, then save again)", path=source.name)) from None


def write(planned: Sequence[Planned]) -> None:
    for item in planned:
        write_atomically(item.target, item.data)
        if item.remove is not None:
            item.remove.unlink(missing_ok=True)
