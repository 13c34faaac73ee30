"""Atomic publishing: build into a staging folder next to the target, swap on success.

A failed or interrupted build removes only its staging folder; the previous
`site/` stays exactly as it was.
"""

from __future__ import annotations

import atexit
import json
import os
import re
import shutil
import subprocess
import sys
import uuid
from collections.abc import Collection, Iterator
from contextlib import contextmanager
from pathlib import Path

from loa.cache.files import replace
from loa.errors import UsageError
from loa.messages import _
from loa.publish.reuse import SiteRecord

MARKER = ".loa-site"
"""A file Loa writes into every site it builds: a folder holding it is Loa's to replace."""
MARKER_TEXT = '{"generator": "loa"}\n'
"""The marker's content, the same in every build (a rebuild is byte for byte a clean build)."""
_OLD_SITE = re.compile(r"\..+\.loa-old-[0-9a-f]{32}")
"""The name a replaced site gets (see `staging`): only folders so named are Loa's to delete."""


def check_target(out: Path, root: Path, cache_dir: Path | None = None, top_files: Collection[str] = ()) -> None:
    """Refuse an output folder that publishing would take from its owner (raises UsageError).

    Publishing replaces `out` as a whole, so `out` must be missing, empty, or a site Loa wrote:
    one with the marker file, or one that the record in `cache_dir` (see `loa/publish/reuse.py`) says
    Loa published there (a site built before Loa wrote the marker), holding at its top nothing but
    a folder per language and `top_files`, what the outputs recorded writing there
    (`loa/outputs/__init__.py::top_files`).
    """
    out, root = out.resolve(), root.resolve()
    if out == root or out in root.parents or (out / "mkdocs.yml").exists() or (out / "campaigns").is_dir():
        raise UsageError(_("--out %(out)s: refusing to replace a folder that holds the project; "
                           "choose an output folder such as 'site'", out=out))
    if not out.exists() and not out.is_symlink():
        return
    if not out.is_dir() or out.is_symlink():
        raise UsageError(_("--out %(out)s: refusing to replace something that is not a folder Loa built; "
                           "choose another --out, or move it away yourself", out=out))
    if (out / MARKER).is_file() or _recorded(out, cache_dir, {*top_files, MARKER}) or not any(out.iterdir()):
        return
    raise UsageError(_("--out %(out)s: this folder is not empty and Loa did not build it; Loa replaces its "
                       "output folder as a whole, so it would take these files away. Choose another --out "
                       "(a new or empty folder), or delete this folder yourself if you no longer need it", out=out))


def _recorded(out: Path, cache_dir: Path | None, top_files: Collection[str]) -> bool:
    """True when Loa's record of its last build in `cache_dir` names `out` as the folder it published,
    and `out` holds nothing at its top but what Loa wrote there."""
    if cache_dir is None:
        return False
    try:
        data = json.loads(SiteRecord.path(cache_dir, out).read_text(encoding="utf-8"))
        if not isinstance(data, dict) or data.get("out") != str(out) or not isinstance(data.get("languages"), dict):
            return False
        return all(entry.name in top_files or (entry.name in data["languages"] and entry.is_dir())
                   for entry in out.iterdir())
    except (OSError, ValueError):
        return False


@contextmanager
def staging(out: Path, trash: Path | None = None) -> Iterator[Path]:
    """Yield an empty folder; on normal exit it replaces `out`, on error it is removed.

    The replaced site goes to `trash` (see `empty_trash`), or is deleted in a background process
    (`remove_apart`) while the build records what it published.
    """
    out = out.resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    for stale in out.parent.glob(f".{out.name}.loa-old-*"):  # left by a build that was killed
        if _OLD_SITE.fullmatch(stale.name):
            shutil.rmtree(stale, ignore_errors=True)
    temp = out.parent / f".{out.name}.loa-new-{os.getpid()}"
    shutil.rmtree(temp, ignore_errors=True)
    temp.mkdir()
    (temp / MARKER).write_text(MARKER_TEXT, encoding="utf-8")
    try:
        yield temp
    except BaseException:
        shutil.rmtree(temp, ignore_errors=True)
        raise
    old = out.parent / f".{out.name}.loa-old-{uuid.uuid4().hex}"
    if out.exists():
        replace(out, old)
    replace(temp, out)
    if not old.exists():
        return
    if trash is not None:
        try:
            trash.mkdir(parents=True, exist_ok=True)
            old.rename(trash / old.name)
            empty_trash(trash)  # from now on, while the command ends and after
            return
        except OSError:
            pass  # another file system
    remove_apart([old])


def empty_trash(trash: Path) -> subprocess.Popen[bytes] | None:
    """Delete the sites that builds replaced, in a process of its own that outlives the build.

    Deleting the 20,000 files of a site of 1,000 materials in three languages takes 5 CPU s and 8 s on some
    disks: more than a rebuild after one edit. So the build does not wait for it: a build starts it once it has
    put the site it replaced into the trash (`staging`), and again when it starts, for what an earlier one left
    (a deletion stopped by a shutdown). It runs only with CPU time nothing else wants (`remove_apart`), and goes
    on after the command has ended until the trash is empty. One runs at a time (a lock beside the trash,
    `trash.lock`): a later one finds the earlier one still deleting and leaves it the sites added since, which
    it looks for before it ends.
    """
    if not trash.is_dir():
        return None
    if not any(_OLD_SITE.fullmatch(entry.name) for entry in trash.iterdir()):  # only what Loa put there
        return None
    return remove_apart([trash], finish=False)


_REMOVE = """import os, re, shutil, sys
try:  # only on a core that nothing else wants (Linux): it never slows the build beside it
    os.sched_setscheduler(0, os.SCHED_IDLE, os.sched_param(0))
except (AttributeError, OSError):
    if hasattr(os, "nice"):
        os.nice(19)
finish, folders, old_site = sys.argv[1] == "finish", sys.argv[2:-1], re.compile(sys.argv[-1])
if finish:
    for path in folders:
        shutil.rmtree(path, ignore_errors=True)
    sys.exit(0)
trash = folders[0]
lock = open(trash.rstrip("/\\\\") + ".lock", "a")  # beside the trash: it holds only old sites
try:
    if os.name == "nt":
        import msvcrt
        os.lseek(lock.fileno(), 0, os.SEEK_SET)  # the same byte in every process
        msvcrt.locking(lock.fileno(), msvcrt.LK_NBLCK, 1)
    else:
        import fcntl
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
except (ImportError, OSError):
    sys.exit(0)  # another one is deleting; it looks again for what is there before it ends
left = None
while True:
    found = sorted(name for name in os.listdir(trash) if old_site.fullmatch(name))
    if not found or found == left:  # empty, or what is left cannot be deleted
        break
    for name in found:
        shutil.rmtree(os.path.join(trash, name), ignore_errors=True)
    left = found
"""
_removing: list[tuple[subprocess.Popen[bytes], bool]] = []


def remove_apart(folders: Collection[Path], finish: bool = True) -> subprocess.Popen[bytes]:
    """Delete `folders` in a Python process of their own, at the lowest priority (it runs when a core is idle).
    With `finish`, this process waits for the deletion when it exits; else (the trash: `empty_trash`, whose one
    folder is the trash) the deletion goes on after this process has ended, in a session of its own (Ctrl+C in
    the terminal does not stop it).

    Not in a thread: each of the 14,000 system calls that delete a site of 1,000 materials then waits for the
    interpreter while another thread holds it. Beside a busy thread (the check), deleting a site took 231 s
    instead of 0.9 s: it went on through the whole build, slowing the linking of pages and the search
    documents. At nice 10, beside the build, it still took 1.5 CPU s from a rebuild at N=1000 that had none to
    spare (its cores are busy from the planning to Pagefind's end), and the command waited for its end.
    """
    flags = getattr(subprocess, "IDLE_PRIORITY_CLASS", 0)
    if not finish:  # it outlives this process: not in its terminal's session (POSIX) or console (Windows)
        flags |= getattr(subprocess, "DETACHED_PROCESS", 0) | getattr(subprocess, "CREATE_NEW_PROCESS_GROUP", 0)
    process = subprocess.Popen([sys.executable, "-I", "-c", _REMOVE, "finish" if finish else "trash",
                                *map(str, folders), _OLD_SITE.pattern],
                               stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               creationflags=flags, start_new_session=not finish and os.name != "nt")
    _removing[:] = [(other, wait) for other, wait in _removing if other.poll() is None]  # `serve` builds again
    _removing.append((process, finish))
    return process


@atexit.register
def _end_removals() -> None:
    for process, finish in _removing:
        if finish:
            process.wait()
