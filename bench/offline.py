"""What the offline copy (loa/outputs/offline/) costs a build: its output timed alone on a built site.

    .venv/bin/python bench/offline.py --site /tmp/site [--repeat 3]

The site must have been built from this repository (`build.py build --out /tmp/site`). Per language:
the ZIP's size and files, and the wall and CPU seconds of `digest` (what every build pays, the ZIP
being taken over or not) and of `write` (paid when something in the copy changed).
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from loa.outputs import Runner  # noqa: E402
from loa.outputs.offline import Offline  # noqa: E402
from loa.pipeline import Options, check  # noqa: E402
from loa.publish.reuse import built_file  # noqa: E402


def timed(run: object) -> tuple[float, float]:
    wall, cpu = time.perf_counter(), time.process_time()
    run()  # type: ignore[operator]
    return time.perf_counter() - wall, time.process_time() - cpu


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--site", type=Path, required=True)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--today", default=None)
    args = parser.parse_args()
    today = dt.date.fromisoformat(args.today) if args.today else dt.date.today()
    checked = check(Options(root=REPO, out=args.site, today=today))
    output = Offline()
    print("| language | files | ZIP | digest wall s | digest CPU s | write wall s | write CPU s |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for language in checked.plan.languages:
        digests, writes = [], []
        for _ in range(args.repeat):
            with tempfile.TemporaryDirectory() as temp:
                runner = Runner(checked.site, checked.plan, args.site)
                target = runner.target(output, language, out=args.site,
                                       built=lambda page: built_file(args.site, page))
                digests.append(timed(lambda: output.digest(target, None)))  # noqa: B023
                # `write` packs what `digest` found in the site (the memo); the ZIP goes to the temporary folder
                elsewhere = runner.target(output, language, out=Path(temp),
                                          built=lambda page: built_file(args.site, page))
                elsewhere.memo.update(target.memo)
                writes.append(timed(lambda: output.write(elsewhere)))  # noqa: B023
                zipped = next(Path(temp).rglob("*.zip"))
                size = zipped.stat().st_size
        pages, others = target.memo["offline"]  # type: ignore[misc]
        files = len(pages) + len(others)
        print(f"| {language.lang} | {files} | {size / 1024:.0f} KB "
              f"| {statistics.mean(w for w, _ in digests):.2f} | {statistics.mean(c for _, c in digests):.2f} "
              f"| {statistics.mean(w for w, _ in writes):.2f} | {statistics.mean(c for _, c in writes):.2f} |")


if __name__ == "__main__":
    main()
