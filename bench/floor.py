"""The least time a first build can take: the parts every first build must run, each timed alone.

    .venv/bin/python bench/floor.py --n 1000

Whatever Loa does around them, a first build of the bench corpus (bench/generate.py; the corpus of
bench/run.py is used if there is one) must

1. convert every page's Markdown once with Python-Markdown (what MkDocs renders with), with the
   site's Markdown extensions: the pages of every language, fallback copies counted once;
2. index each language's searchable pages with Pagefind.

This script times both alone, as CPU seconds of one process: the conversions with one reused
Markdown instance (cheaper than MkDocs, which makes one per page) and no MkDocs or theme around
them; Pagefind on the documents Loa hands it. Both are lower bounds of what a build spends on
them. On C cores, W seconds of wall time hold at most W x C CPU seconds, so their sum divided by C
is the least wall time of a first build, before a single page template is rendered or written.

A Loa first build of the same corpus (its `.loa-cache/` emptied, as bench/run.py's "first build"
row) is timed too, wall and CPU of all its processes, to show where the rest goes.
Results go to stdout and bench/results/<YYYY-MM-DD>-floor.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import markdown

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

from run import PYTHON, REPO, TODAY, machine_info, save_report  # noqa: E402
from serve import corpus_for  # noqa: E402

from loa.pipeline import Options, check  # noqa: E402
from loa.plan.site import SitePlan  # noqa: E402
from loa.render.config import mkdocs_config  # noqa: E402

GOAL_SECONDS = 10.0


@dataclass
class Spent:
    wall: float
    cpu: float
    """User + system seconds of this process's children (wait4: with their waited descendants)."""


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run(command: list[str]) -> Spent:
    cpu, start = children_cpu(), time.perf_counter()
    subprocess.run(command, check=True, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return Spent(time.perf_counter() - start, children_cpu() - cpu)


def first_build(corpus: Path, site: Path) -> Spent:
    shutil.rmtree(corpus / ".loa-cache", ignore_errors=True)
    shutil.rmtree(site, ignore_errors=True)
    os.sync()
    return run([str(PYTHON), "build.py", "build", "--root", str(corpus), "--out", str(site),
                "--today", TODAY, "--quiet"])


def site_plan(corpus: Path) -> SitePlan:
    return check(Options(root=corpus, out=corpus / "unused", today=dt.date.fromisoformat(TODAY))).plan


def distinct_markdown(plan: SitePlan) -> list[str]:
    """Each distinct (path, Markdown) of every language's pages: what a first build converts."""
    return list({(page.src_uri, page.markdown): page.markdown
                 for language in plan.languages for page in language.pages}.values())


def convert_all(corpus: Path, plan: SitePlan, texts: list[str]) -> Spent:
    with tempfile.TemporaryDirectory(prefix="loa-floor-") as temp:
        # the extensions and settings MkDocs converts with (mkdocs.yml's and Loa's own)
        (Path(temp) / "docs").mkdir()
        config = mkdocs_config(corpus, plan.languages[0], Path(temp) / "site", Path(temp) / "docs")
    md = markdown.Markdown(extensions=config["markdown_extensions"], extension_configs=config["mdx_configs"])
    wall, cpu = time.perf_counter(), time.process_time()
    for text in texts:
        md.reset().convert(text)
    return Spent(time.perf_counter() - wall, time.process_time() - cpu)


def index_all(corpus: Path) -> dict[str, Spent]:
    from pagefind_bin import get_executable

    spent = {}
    for documents in sorted(p for p in (corpus / ".loa-cache" / "search").iterdir() if p.is_dir()):
        with tempfile.TemporaryDirectory(prefix="loa-floor-") as bundle:
            spent[documents.name] = run([str(get_executable()), "--site", str(documents), "--output-path", bundle,
                                         "--silent", "--exclude-selectors", ".headerlink"])
    return spent


def report(n: int, cores: int, texts: int, build: Spent, converted: Spent, indexed: dict[str, Spent],
           command: str) -> str:
    pagefind = sum(s.cpu for s in indexed.values())
    floor = converted.cpu + pagefind
    rows = [("Python-Markdown, every page once", f"{texts} pages", converted),
            *((f"Pagefind, {lang}", "its documents", s) for lang, s in indexed.items())]
    lines = [f"# The least time of a first build, {dt.date.today().isoformat()}", "",
             f"Command: `{command}`", "", *machine_info(), "",
             f"Corpus: bench/generate.py, N={n} materials per language, 3 languages.", "",
             "| part | work | CPU (s) | share of Loa's first build CPU |", "|---|---|---:|---:|"]
    lines += [f"| {label} | {work} | {s.cpu:.1f} | {100 * s.cpu / build.cpu:.0f} % |" for label, work, s in rows]
    lines += [f"| **the two together** | | **{floor:.1f}** | {100 * floor / build.cpu:.0f} % |",
              f"| Loa, first build (empty `.loa-cache/`), all processes | wall {build.wall:.1f} s | "
              f"{build.cpu:.1f} | 100 % |", "",
              f"On {cores} cores, {floor:.1f} CPU seconds take at least **{floor / cores:.1f} s** of wall time, "
              f"before any page template is rendered or any page written; the goal is {GOAL_SECONDS:g} s "
              f"({GOAL_SECONDS * cores:g} CPU seconds). Loa's first build took {build.wall:.1f} s "
              f"({build.cpu:.1f} CPU seconds: {build.cpu / build.wall:.2f} cores busy on average).", ""]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1000, help="materials per language (default 1000)")
    parser.add_argument("--out", type=Path, default=HERE / "out", help="corpora and sites (default: bench/out)")
    parser.add_argument("--results", type=Path, default=HERE / "results", help="where the report goes")
    args = parser.parse_args(argv)
    corpus = corpus_for(args.n, args.out)
    build = first_build(corpus, corpus.parent / "site-floor")
    plan = site_plan(corpus)
    texts = distinct_markdown(plan)
    converted = convert_all(corpus, plan, texts)
    indexed = index_all(corpus)
    text = report(args.n, os.cpu_count() or 1, len(texts), build, converted, indexed,
                  "bench/floor.py " + " ".join(argv if argv is not None else sys.argv[1:]))
    save_report(text, args.results, "-floor")
    return 0


if __name__ == "__main__":
    sys.exit(main())
