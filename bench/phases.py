"""Where a build's time goes: each phase and each output's `digest` and `write`, on the thread that ran it.

    .venv/bin/python bench/phases.py /tmp/n1000            # a build of the project (warms its cache)
    .venv/bin/python bench/phases.py /tmp/n1000 --edit     # one material edited, then the rebuild
    .venv/bin/python bench/phases.py /tmp/n1000 --edit --with-print --pin HEX
    .venv/bin/python bench/phases.py /tmp/n1000 --fresh --like-stock --profile /tmp/prof   # a first build

The build runs in this process with this checkout's Loa, into the project's `site/` with its `.loa-cache/`.
`--edit` adds a sentence to the sixth Vietnamese material (or takes it away again: run it twice and the
project is as it was). Without `--with-print` the print output is taken out of the registry (as
`bench/print.py` does). `--pin HEX` runs with that code fingerprint (loa/cache/keys.py) instead of this
checkout's, so that caches made by other code (the PDFs of a project built once with print) are taken as
this code's. `--like-stock` takes out every output stock MkDocs + Material does not make (bench/run.py
LIKE_STOCK). `--fresh` builds a copy of the project without its `.loa-cache/` and `site/` (a first build; the
project is left as it was). `--profile DIR` writes a cProfile of each render task (DIR/render-<pid>-<lang>-<shard>.prof,
in the worker that ran it) and of this process (DIR/main.prof); `bench/profiles.py DIR` sums them.
Each line: start and end (s since the build started), seconds, the CPU seconds of its thread (the rest of
its wall time it waited: for the interpreter, a process, the disk), thread, what ran. The wall
and CPU seconds of the build and of its worker processes come last.
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import functools
import os
import resource
import shutil
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
MARKER = "\n\nMột câu thêm để đo.\n"


def _lang_of(arguments: tuple[Any, ...]) -> str:
    """The language a call works on: an output's `Target.language`, or a `LanguagePlan`."""
    for argument in arguments:
        for candidate in (getattr(getattr(argument, "language", None), "lang", None), getattr(argument, "lang", None)):
            if isinstance(candidate, str):
                return candidate
    return ""


def profiled_render(folder: str, *args: Any) -> Any:
    """`render_language(*args)` under cProfile, its profile written to `folder` (runs in a worker)."""
    from loa.render.adapter import render_language

    profile = cProfile.Profile()
    try:
        return profile.runcall(render_language, *args)
    finally:
        plan, shard = args[1], args[3]
        profile.dump_stats(os.path.join(folder, f"render-{os.getpid()}-{plan.lang}-{shard[0]}.prof"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("project", type=Path)
    parser.add_argument("--edit", action="store_true")
    parser.add_argument("--with-print", action="store_true")
    parser.add_argument("--pin", default="", metavar="HEX")
    parser.add_argument("--like-stock", action="store_true", help="only pages, search, sitemap and root")
    parser.add_argument("--fresh", action="store_true", help="build a copy without .loa-cache/ and site/")
    parser.add_argument("--profile", type=Path, metavar="DIR", help="cProfile of each render task and of this process")
    parser.add_argument("--shortest", type=float, default=0.05, help="leave out what took less (s)")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    if args.pin:
        import loa.cache.keys

        loa.cache.keys.code_fingerprint = lambda: args.pin  # type: ignore[assignment]  # before any module takes it
    from loa import outputs, pipeline, processes
    from loa.load import parsecache
    from loa.plan import site as site_plan
    from loa.publish import reuse

    if not args.with_print:
        outputs.REGISTRY[:] = [output for output in outputs.REGISTRY if output.name != "print"]
    if args.like_stock:
        sys.path.insert(0, str(ROOT / "bench"))
        from run import LIKE_STOCK

        outputs.REGISTRY[:] = [output for output in outputs.REGISTRY if output.name not in LIKE_STOCK.split(",")]
    if args.profile:
        args.profile.mkdir(parents=True, exist_ok=True)
        processes.render_language = functools.partial(profiled_render, str(args.profile))  # type: ignore[assignment]
    log: list[tuple[float, float, str, str, float]] = []
    start = time.perf_counter()

    def timed(owner: object, name: str, label: str, bound: bool = False) -> None:
        real: Callable[..., Any] = getattr(owner, name)

        @functools.wraps(real)
        def run(*a: Any, **k: Any) -> Any:
            began, cpu = time.perf_counter(), time.thread_time()
            try:
                return real(*a, **k)
            finally:
                lang = _lang_of(a)
                log.append((began - start, time.perf_counter() - start, threading.current_thread().name,
                            label + (f"[{lang}]" if lang else ""), time.thread_time() - cpu))
        setattr(owner, name, staticmethod(run) if bound else run)  # a class method stays bound to its class

    for output in outputs.REGISTRY:
        timed(output, "digest", f"{output.name}.digest")
        timed(output, "write", f"{output.name}.write")
    for name in ("prepare_target", "check", "load_project", "validate", "record"):
        timed(pipeline, name, name)
    timed(site_plan, "plan_language", "plan")
    timed(parsecache.LoadCache, "read", "read parse cache", bound=True)
    timed(parsecache.LoadCache, "keep", "save parse cache")
    timed(reuse.Reuse, "add", "previous site")
    timed(reuse.Reuse, "link", "link pages")
    project = args.project.resolve()
    if args.fresh:
        copy = Path(tempfile.mkdtemp(prefix="phases-")) / project.name
        shutil.copytree(project, copy, ignore=shutil.ignore_patterns(".loa-cache", "site"))
        project = copy
    if args.edit:
        material = sorted((project / "content/vi").rglob("*.md"))[5]
        text = material.read_text(encoding="utf-8")
        material.write_text(text[:-len(MARKER)] if text.endswith(MARKER) else text + MARKER, encoding="utf-8")
        print(f"edited {material.relative_to(project)}")
    # The messages' language, as the command line chooses it: the parse cache keeps the problems as text in it,
    # and a build speaking another than the last one's parses every file again.
    from loa import cli, messages
    messages.use(cli.choose_messages(["--root", str(project)], os.environ))
    main_profile = cProfile.Profile() if args.profile else None
    start = time.perf_counter()
    if main_profile:
        main_profile.enable()
    result = pipeline.build(pipeline.Options(root=project, out=project / "site", today=dt.date(2026, 12, 1),
                                             cache_dir=project / ".loa-cache"),
                            lambda message: print(f"{time.perf_counter() - start:7.2f} {message}", flush=True))
    total = time.perf_counter() - start
    if main_profile:
        main_profile.disable()
        main_profile.dump_stats(args.profile / "main.prof")
    if args.fresh:
        shutil.rmtree(project.parent)
    print("  start     end   wall    CPU  thread                 what")
    for began, ended, thread, label, cpu in sorted(log):
        if ended - began >= args.shortest:
            print(f"{began:7.2f} {ended:7.2f} {ended - began:6.2f} {cpu:6.2f}  {thread[:22]:22} {label}")
    own, workers = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    print(f"total {total:.2f} s wall; CPU s: {own.ru_utime + own.ru_stime:.1f} here, "
          f"{workers.ru_utime + workers.ru_stime:.1f} in workers and Pagefind; {result.reused} pages taken over")


if __name__ == "__main__":
    main()
