"""Workers die with their build: a build killed with SIGKILL leaves no process behind (issue 12).

A CI time-out or an out-of-memory kill sends SIGKILL, which the build cannot catch: its worker
processes and its Pagefind must notice by themselves that their parent is gone.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import textwrap
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import REPO

pytestmark = pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="reads /proc (Linux)")


def _stat(pid: int) -> tuple[str, str] | None:
    """(state, start time) of a process, None when it is gone."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = text[text.rindex(")") + 2:].split()
    return fields[0], fields[19]


def _children(pid: int) -> list[int]:
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        with contextlib.suppress(OSError):
            found += [int(child) for child in (task / "children").read_text().split()]
    return found


def _descendants(pid: int) -> list[int]:
    found, todo = [], _children(pid)
    while todo:
        child = todo.pop()
        found.append(child)
        todo += _children(child)
    return found


def _command(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return ""


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A site big enough that its build takes several seconds: 3 languages, 120 materials each."""
    root = tmp_path_factory.mktemp("workers") / "project"
    subprocess.run([sys.executable, str(REPO / "bench/generate.py"), "--n", "120", "--out", str(root)],
                   check=True, capture_output=True, timeout=120)
    return root


def _kill_when(corpus: Path, tmp_path: Path, ready: Callable[[list[int]], bool]) -> None:
    build = subprocess.Popen([sys.executable, str(REPO / "build.py"), "build", "--root", str(corpus),
                              "--out", str(tmp_path / "site"), "--today", "2026-12-01", "--jobs", "2",
                              "--no-cache", "--quiet"],
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    seen: dict[int, tuple[str, str]] = {}
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and build.poll() is None:
            for pid in _descendants(build.pid):
                stat = _stat(pid)
                if stat is not None:
                    seen.setdefault(pid, stat)
            if ready(list(seen)):
                break
            time.sleep(0.02)
        assert build.poll() is None, "the build ended before it could be killed"
        assert ready(list(seen))
        build.send_signal(signal.SIGKILL)
        build.wait()
        time.sleep(5)
        alive = {pid: _command(pid) for pid, (_state, start) in seen.items()
                 if (now := _stat(pid)) is not None and now[1] == start and now[0] not in ("Z", "X")}
        assert alive == {}, f"left running after the build was killed: {alive}"
    finally:
        for pid, (_state, start) in seen.items():  # do not leave them to the next test
            if (now := _stat(pid)) is not None and now[1] == start:
                os.kill(pid, signal.SIGKILL)
        if build.poll() is None:
            build.kill()


def test_workers_die_with_a_killed_build(corpus: Path, tmp_path: Path) -> None:
    # killed while the two worker processes render
    _kill_when(corpus, tmp_path, lambda pids: sum("build.py" in _command(pid) for pid in pids) >= 2)


def test_pagefind_dies_with_a_killed_build(corpus: Path, tmp_path: Path) -> None:
    # killed while Pagefind indexes a language (and the workers render the next ones)
    _kill_when(corpus, tmp_path, lambda pids: any("pagefind" in _command(pid) for pid in pids))


def _orphan_dies(start_child: str) -> None:
    """A process of this test starts a child with `start_child` (a Popen expression) and is then
    SIGKILLed: the child, left an orphan, must end within 2 s."""
    parent_code = textwrap.dedent(f"""
        import subprocess, sys, time
        from loa import children
        child = {start_child}
        print(child.pid, flush=True)
        time.sleep(60)
    """)
    parent = subprocess.Popen([sys.executable, "-c", parent_code], stdout=subprocess.PIPE, text=True,
                              env={**os.environ, "PYTHONPATH": str(REPO)})
    assert parent.stdout is not None
    grandchild = int(parent.stdout.readline())
    try:
        time.sleep(1)  # the grandchild is set up
        started = _stat(grandchild)
        assert started is not None and started[0] not in ("Z", "X")
        parent.kill()
        parent.wait()
        deadline = time.monotonic() + 2
        while time.monotonic() < deadline and (now := _stat(grandchild)) is not None and now[1] == started[1] \
                and now[0] not in ("Z", "X"):
            time.sleep(0.05)
        now = _stat(grandchild)
        assert now is None or now[1] != started[1] or now[0] in ("Z", "X"), "the orphan is still running"
    finally:
        with contextlib.suppress(OSError):
            os.kill(grandchild, signal.SIGKILL)


def test_a_worker_without_prctl_watches_its_parent() -> None:
    # the portable fallback (macOS, BSD): a thread polls the parent's pid
    worker = "import os, time\nfrom loa import children\nchildren._PRCTL = None\n" \
        "children.die_with(os.getppid())\ntime.sleep(60)\n"
    _orphan_dies(f"subprocess.Popen([sys.executable, '-c', {worker!r}])")


def test_a_pagefind_process_dies_with_its_parent() -> None:
    # what loa/outputs/search.py starts Pagefind with, on a program that would run for a minute
    _orphan_dies("subprocess.Popen(['sleep', '60'], preexec_fn=children.pagefind_setup(False))")
