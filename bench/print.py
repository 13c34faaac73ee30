"""What the print files (loa/outputs/print/) cost: builds with and without them, and a rebuild after one edit.

    .venv/bin/python bench/print.py --root . --repeat 3                 # the sample site, A/B alternated
    .venv/bin/python bench/print.py --root /tmp/n100 --repeat 1 --edit  # a bench/generate.py corpus

Each build runs in a fresh process (`--one`), "without" with the print output taken out of the
registry, so everything else is the same code. Builds are clean (no `.loa-cache/`), except with
`--edit`: a first build with PDFs into an empty cache, one material edited, and the rebuild timed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=ROOT)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--edit", action="store_true", help="also: first build with PDFs, edit one material, rebuild")
    parser.add_argument("--one", choices=("with", "without"), help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--cache", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    root = args.root.resolve()
    if args.one:
        one(root, args.out, args.one == "with", args.cache)
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
