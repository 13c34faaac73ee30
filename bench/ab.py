"""Compare two checkouts of Loa on the same corpora, runs alternating (this machine drifts 10-20 %
within an hour: A, B, A, B... keeps both versions in the same conditions).

    .venv/bin/python bench/ab.py --before /path/to/old/checkout --sizes 100,1000 --repeat 3

Each checkout runs its own `build.py` (and its own Loa) with this repository's Python. For each size N,
`bench/generate.py` makes one corpus in `--out`/nN; each run times, in that order:
a first build (empty `.loa-cache/`), a rebuild with nothing changed, a rebuild after editing one
material's text, and `check`, in wall and CPU seconds. Prints a Markdown table per size: every run,
then the means.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
STEPS = ("first build", "rebuild, nothing changed", "rebuild, one material edited", "check")


def timed(command: list[str], cwd: Path) -> tuple[float, float]:
    """Wall seconds, and CPU seconds (user + system) of the command and all its processes: on a
    machine shared with other work, CPU time is the steadier of the two."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(command, cwd=cwd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def one_run(checkout: Path, project: Path, edited: Path) -> list[tuple[float, float]]:
    shutil.rmtree(project / ".loa-cache", ignore_errors=True)
    shutil.rmtree(project / "site", ignore_errors=True)
    base = [sys.executable, str(checkout / "build.py")]
    common = ["--quiet", "--root", str(project), "--today", "2026-12-01"]
    original = edited.read_text(encoding="utf-8")
    times = [timed([*base, "build", *common], checkout), timed([*base, "build", *common], checkout)]
    try:
        edited.write_text(original + "\nOne more sentence for the benchmark.\n", encoding="utf-8")
        times.append(timed([*base, "build", *common], checkout))
    finally:
        edited.write_text(original, encoding="utf-8")
    times.append(timed([*base, "check", *common], checkout))
    return times


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", type=Path, required=True, help="the other checkout (e.g. a git worktree)")
    parser.add_argument("--after", type=Path, default=REPO, help="default: this checkout")
    parser.add_argument("--sizes", default="100,1000")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--out", type=Path, default=HERE / "out" / "ab")
    args = parser.parse_args()
    env_note = "PYTHONDONTWRITEBYTECODE is set: every run compiles Loa again" \
        if os.environ.get("PYTHONDONTWRITEBYTECODE") else ".pyc files written as on a user's machine"
    print(f"before: {args.before}\nafter: {args.after}\n{env_note}\n")
    for size in (int(s) for s in args.sizes.split(",")):
        project = args.out / f"n{size}"
        subprocess.run([sys.executable, str(HERE / "generate.py"), "--n", str(size), "--out", str(project)],
                       check=True, stdout=subprocess.DEVNULL)
        edited = sorted((project / "content" / "vi").rglob("*.md"))[-1]
        results: dict[str, list[list[tuple[float, float]]]] = {"before": [], "after": []}
        print(f"## N={size}: wall / CPU seconds\n\n| run | " + " | ".join(STEPS) + " |\n|---|"
              + "---:|" * len(STEPS))
        for index in range(args.repeat):
            for name, checkout in (("before", args.before), ("after", args.after)):
                times = one_run(checkout, project, edited)
                results[name].append(times)
                print(f"| {name} {index + 1} | " + " | ".join(f"{w:.2f} / {c:.2f}" for w, c in times) + " |",
                      flush=True)
        for name, runs in results.items():
            means = [(statistics.mean(w for w, _c in column), statistics.mean(c for _w, c in column))
                     for column in zip(*runs, strict=True)]
            print(f"| **mean {name}** | " + " | ".join(f"**{w:.2f} / {c:.2f}**" for w, c in means) + " |")
        print()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
