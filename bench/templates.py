"""What the page template costs per page: every page of a project rendered by MkDocs + Material as a build
renders it, then its template (`main.html`, over Material's `base.html`) rendered again from the same
context, in this one process, `--repeat` times; the best round is reported (the machine's other load only
ever adds time).

    .venv/bin/python bench/templates.py                         # the sample site
    .venv/bin/python bench/templates.py --root /tmp/loa-100 --profile 25

One more round runs under cProfile, which counts the Python function calls (the same on every run); with
`--profile N`, the N costliest functions are listed.
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import pstats
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import jinja2

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from loa.pipeline import Options, check  # noqa: E402
from loa.render.adapter import render_language  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--root", type=Path, default=REPO)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--profile", type=int, default=0)
    parser.add_argument("--by-calls", action="store_true", help="list the functions called most, not the costliest")
    args = parser.parse_args()
    checked = check(Options(root=args.root, out=Path("/nonexistent"), today=dt.date(2026, 12, 1), jobs=1))
    renders: list[tuple[jinja2.Template, Any]] = []
    plain = jinja2.Template.render

    def kept(self: jinja2.Template, *args: Any, **kwargs: Any) -> str:
        if self.name == "main.html":
            renders.append((self, args[0] if args else kwargs))
        return plain(self, *args, **kwargs)

    jinja2.Template.render = kept  # type: ignore[method-assign]
    with tempfile.TemporaryDirectory() as scratch:
        for plan in checked.plan.languages:  # compiled templates and converted Markdown cached in `scratch`
            render_language(args.root, plan, Path(scratch) / "site" / plan.lang, cache_dir=Path(scratch) / "cache")
    jinja2.Template.render = plain  # type: ignore[method-assign]
    rounds = []
    for _ in range(args.repeat):
        start = time.process_time()  # this process's CPU time: what other processes do adds little
        for template, context in renders:
            template.render(context)
        rounds.append(time.process_time() - start)
    best = min(rounds)
    profile = cProfile.Profile()
    profile.enable()
    for template, context in renders:
        template.render(context)
    profile.disable()
    stats = pstats.Stats(profile)
    calls = stats.total_calls  # type: ignore[attr-defined]
    listed = ", ".join(f"{r:.2f}" for r in rounds)
    pages = len(renders)
    print(f"{pages} pages, {len(checked.plan.languages)} languages: template {best * 1000 / pages:.2f} ms CPU a page "
          f"(best of {args.repeat} rounds: {listed} s), {calls // pages} Python function calls a page")
    if args.profile:
        rows = sorted(((calls if args.by_calls else cum, total, calls, f"{Path(file).name}:{line}({name})")
                       for (file, line, name), (_c, calls, total, cum, _callers) in stats.stats.items()  # type: ignore[attr-defined]
                       ), reverse=True)
        for cum, total, calls, where in rows[:args.profile]:
            print(f"{cum:7.3f} s cumulative {total:7.3f} s own {calls:7d} calls  {where}")


if __name__ == "__main__":
    main()
