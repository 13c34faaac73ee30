"""What the print files (loa/outputs/print/) cost: builds with and without them, and a rebuild after one edit.

    .venv/bin/python bench/print.py --root . --repeat 3                 # the sample site, A/B alternated
    .venv/bin/python bench/print.py --root /tmp/n100 --repeat 1 --edit  # a bench/generate.py corpus

Each build runs in a fresh process (`--one`), "without" with the print output taken out of the
registry, so everything else is the same code. Builds are clean (no `.loa-cache/`), except with
`--edit`: a first build with PDFs into an empty cache, one material edited, and the rebuild timed.

    .venv/bin/python bench/print.py --root /tmp/n1000 --rebuilds /path/to/old/checkout --repeat 3

`--rebuilds BEFORE`: the rebuild after one edit, this checkout against another, alternated. Each
checkout gets its own copy of the built project `--root` (`<root>-before`, `<root>-after`, made once
with `cp -a`, then warmed by one build); each run edits the first vi poster material (a sentence added,
then removed on the next run) and times `build.py build` in wall and CPU seconds (user + system of the
process and its workers). `--pin-code HEX` runs both with that code fingerprint (loa/cache/keys.py)
instead of their own: the caches of a project built by other code (its `.loa-cache/outputs-*.json`
names it) are then taken as if this code had made them, so that a warm project is warm for both
checkouts without making its 5,000 PDFs again (the files taken over are those of the other code).
`--without-print` takes the print output out of the registry in both, as "without" above.

    .venv/bin/python bench/print.py --root /tmp/n1000 --print-cost --repeat 5

`--print-cost`: the same rebuilds, this checkout (or `--after`) with print against without, alternated,
in `<root>-with` and `<root>-without`: what the PDFs add to a rebuild after one edit.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TODAY = dt.date(2026, 12, 1)


def one(root: Path, out: Path, with_print: bool, cache: Path | None) -> None:
    sys.path.insert(0, str(ROOT))
    from loa import outputs
    from loa.pipeline import Options, build

    if not with_print:
        outputs.REGISTRY[:] = [output for output in outputs.REGISTRY if output.name != "print"]
    start = time.perf_counter()
    result = build(Options(root=root, out=out, today=TODAY, cache_dir=cache))
    seconds = time.perf_counter() - start
    pdfs = list(out.rglob("*.pdf"))
    made = {key: made.summary for key, made in result.outputs.items() if key.startswith("print/")}
    print(json.dumps({"seconds": seconds, "pdfs": len(pdfs), "bytes": sum(p.stat().st_size for p in pdfs),
                      "largest": max((p.stat().st_size for p in pdfs), default=0), "made": made}))


def run(root: Path, out: Path, with_print: bool, cache: Path | None = None) -> dict[str, object]:
    command = [sys.executable, __file__, "--one", "with" if with_print else "without", "--root", str(root),
               "--out", str(out)] + (["--cache", str(cache)] if cache else [])
    found: dict[str, object] = json.loads(subprocess.run(command, check=True, capture_output=True,
                                                         text=True).stdout.splitlines()[-1])
    return found


PINNED = """\
import sys
checkout, pin, leave_out = sys.argv[1], sys.argv[2], sys.argv[3]
sys.path.insert(0, checkout)
if pin:
    import loa.cache.keys
    loa.cache.keys.code_fingerprint = lambda: pin  # before any module takes it by name
names = {"with": set(), "without": {"print"}}.get(leave_out, set(leave_out.split(",")))
if names:
    from loa import outputs
    outputs.REGISTRY[:] = [output for output in outputs.REGISTRY if output.name not in names]
from loa import cli
if hasattr(cli, "run"):
    cli.run(sys.argv[4:])  # as build.py runs it
sys.exit(cli.main(sys.argv[4:]))  # older checkouts: as their build.py did
"""
"""Runs `build.py` ARGS... as `python -c PINNED CHECKOUT PIN LEAVE_OUT ARGS...`: CHECKOUT's Loa, with the code
fingerprint PIN (or its own: ''), the outputs named in LEAVE_OUT taken out of the registry ('with': none;
'without': print; or names separated by commas)."""


def timed_build(checkout: Path, project: Path, pin: str, with_print: bool = True) -> tuple[float, float]:
    """`build.py build` of `project` with `checkout`'s Loa: wall seconds, CPU seconds of it and its workers."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", PINNED, str(checkout), pin, "with" if with_print else "without", "build",
                    "--quiet", "--root", str(project), "--today", TODAY.isoformat()], check=True, cwd=checkout,
                   stdout=subprocess.DEVNULL,
                   env={**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONHASHSEED": "0"})
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def rebuilds(root: Path, sides: dict[str, tuple[Path, bool]], repeat: int, pin: str) -> None:
    """Rebuilds after one edit, alternated between `sides`: name -> (checkout, with print), each with its own
    copy of `root` (`<root>-<name>`)."""
    projects = {name: root.parent / f"{root.name}-{name}" for name in sides}
    for name, project in projects.items():
        if not project.exists():
            subprocess.run(["cp", "-a", str(root), str(project)], check=True)
        checkout, with_print = sides[name]
        wall, cpu = timed_build(checkout.resolve(), project, pin, with_print)
        print(f"warm-up {name}: {wall:.1f} s wall, {cpu:.1f} CPU s", flush=True)
    if not repeat:
        return
    edited = {name: next(path for path in sorted((project / "content/vi").rglob("*.md"))
                         if "\ntype: poster\n" in path.read_text(encoding="utf-8"))
              for name, project in projects.items()}
    print(f"edited: {next(iter(edited.values())).relative_to(next(iter(projects.values())))}\n\n"
          "| run | side | wall s | CPU s |\n|---:|---|---:|---:|")
    found: dict[str, list[tuple[float, float]]] = {name: [] for name in sides}
    originals = {name: path.read_text(encoding="utf-8") for name, path in edited.items()}
    try:
        for index in range(repeat):
            for name, (checkout, with_print) in sides.items():  # alternated, so that drift in load hits both
                text = originals[name] + ("\nMột câu thêm cho phép đo.\n" if index % 2 == 0 else "")
                edited[name].write_text(text, encoding="utf-8")
                wall, cpu = timed_build(checkout.resolve(), projects[name], pin, with_print)
                found[name].append((wall, cpu))
                print(f"| {index + 1} | {name} | {wall:.1f} | {cpu:.1f} |", flush=True)
    finally:
        for name, path in edited.items():
            path.write_text(originals[name], encoding="utf-8")
    for name, runs in found.items():
        print(f"| median | {name} | {statistics.median(w for w, _c in runs):.1f} | "
              f"{statistics.median(c for _w, c in runs):.1f} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=ROOT)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--edit", action="store_true", help="also: first build with PDFs, edit one material, rebuild")
    parser.add_argument("--rebuilds", type=Path, metavar="BEFORE", help="time rebuilds after one edit against "
                        "this other checkout, alternated (see above)")
    parser.add_argument("--after", type=Path, default=ROOT, help="with --rebuilds: the checkout to compare "
                        "(default: this one)")
    parser.add_argument("--pin-code", default="", metavar="HEX", help="with --rebuilds: the code fingerprint both use")
    parser.add_argument("--without-print", action="store_true", help="with --rebuilds: the print output taken "
                        "out of the registry in both")
    parser.add_argument("--print-cost", action="store_true", help="time rebuilds after one edit with print "
                        "against without, this checkout, alternated (see above)")
    parser.add_argument("--one", choices=("with", "without"), help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--cache", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    root = args.root.resolve()
    if args.one:
        one(root, args.out, args.one == "with", args.cache)
        return
    if args.rebuilds:
        printing = not args.without_print
        rebuilds(root, {"before": (args.rebuilds, printing), "after": (args.after, printing)}, args.repeat,
                 args.pin_code)
        return
    if args.print_cost:
        rebuilds(root, {"with": (args.after, True), "without": (args.after, False)}, args.repeat, args.pin_code)
        return
    with tempfile.TemporaryDirectory(prefix="loa-print-bench-") as temp:
        times: dict[bool, list[float]] = {True: [], False: []}
        last: dict[bool, dict[str, object]] = {}
        for index in range(args.repeat):
            for with_print in (True, False):  # alternated, so that drift in load hits both
                out = Path(temp) / f"site-{with_print}-{index}"
                found = run(root, out, with_print)
                times[with_print].append(float(str(found["seconds"])))
                last[with_print] = found
                shutil.rmtree(out)
                print(f"{'with' if with_print else 'without'} PDFs: {found['seconds']:.1f} s", flush=True)
        for with_print in (True, False):
            values = times[with_print]
            print(f"| {'with PDFs' if with_print else 'without PDFs'} | {len(values)} | "
                  f"{statistics.median(values):.1f} | {min(values):.1f} | {max(values):.1f} |")
        found = last[True]
        print(f"PDFs: {found['pdfs']}, {int(str(found['bytes'])) / 1024:.0f} KB in all, "
              f"largest {int(str(found['largest'])) / 1024:.0f} KB")
        if args.edit:
            cache, out = Path(temp) / "cache", Path(temp) / "site"
            first = run(root, out, True, cache)
            material = next(path for path in sorted((root / "content/vi").rglob("*.md")) if "type:" in
                            path.read_text(encoding="utf-8") and "type: page" not in path.read_text(encoding="utf-8"))
            text = material.read_text(encoding="utf-8")
            try:
                material.write_text(text + "\nMột câu thêm.\n", encoding="utf-8")
                os.utime(material)
                second = run(root, out, True, cache)
            finally:
                material.write_text(text, encoding="utf-8")
            print(f"first build with PDFs, empty cache: {first['seconds']:.1f} s ({first['made']})")
            print(f"rebuild after editing {material.relative_to(root)}: {second['seconds']:.1f} s ({second['made']})")


if __name__ == "__main__":
    main()
