"""The profiles `bench/phases.py --profile DIR` wrote, summed: where the worker processes' CPU time goes.

    .venv/bin/python bench/profiles.py /tmp/prof                 # render tasks, by own time, then cumulative
    .venv/bin/python bench/profiles.py /tmp/prof --main --top 60   # this process (main.prof) instead
"""

from __future__ import annotations

import argparse
import pstats
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--main", action="store_true", help="the main process's profile")
    parser.add_argument("--top", type=int, default=40)
    parser.add_argument("--sort", default="tottime,cumulative", help="pstats sort keys, one table each")
    args = parser.parse_args()
    files = [args.folder / "main.prof"] if args.main else sorted(args.folder.glob("render-*.prof"))
    stats = pstats.Stats(*map(str, files))
    print(f"{len(files)} profiles, {stats.total_tt:.1f} s")  # type: ignore[attr-defined]
    for key in args.sort.split(","):
        stats.sort_stats(key).print_stats(args.top)


if __name__ == "__main__":
    main()
