"""Benchmark Loa against stock MkDocs + Material on generated corpora of the same Markdown.

    .venv/bin/python bench/run.py --sizes 100,1000 --repeat 3       # or --repeat 3,1: per size
    .venv/bin/python bench/run.py --sizes 100 --repeat 1 --with-print
    .venv/bin/python bench/run.py --sizes 1000 --repeat 1 --like-stock   # what stock makes, and no more

Loa is built without its print output (the ~5 PDFs a material, about 5,000 at N=1000, that stock
Material does not make) unless `--with-print`: the print output is taken out of the registry in the
build's process, as bench/print.py does (its `PINNED` script is reused), so every other output and all
the code are the same; the report's labels say which.

For each size N, generates a Loa project and the stock projects into bench/out/nN/, then
alternates runs (Loa, stock sequential, stock 2-parallel, Loa, ...) and reports the median
whole-process wall time, peak memory, pages, ms/page, ratios and HTML size per material page.
Results go to stdout and bench/results/<YYYY-MM-DD>.md (`-2`, `-3`, ... for more runs that day).
"""

from __future__ import annotations

import argparse
import datetime as dt
import gzip
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))

from generate import LANGS, generate, materials_for  # noqa: E402
from print import PINNED  # noqa: E402  (bench/print.py: a Loa build with the print output taken out)

PYTHON = REPO / ".venv" / "bin" / "python"
TODAY = "2026-12-01"
POLL_SECONDS = 0.1
HTML_SAMPLE = 60
TOOLS = ("loa", "loa-first", "loa-warm", "loa-nochange", "loa-edit", "stock-seq", "stock-par2")
TOOL_LABELS = {"loa": "Loa (build.py, --jobs 2, --no-cache)",
               "loa-first": "Loa, first build (empty .loa-cache/)",
               "loa-warm": "Loa, warm cache, new output folder (renders every page)",
               "loa-nochange": "Loa, rebuild of the same site, nothing changed",
               "loa-edit": "Loa, rebuild after editing one material's text",
               "stock-seq": "stock, 3 builds in sequence",
               "stock-par2": "stock, 2 builds in parallel"}
PAGE_SIZE_KB = os.sysconf("SC_PAGE_SIZE") // 1024


@dataclass
class Run:
    wall: float
    max_process_kb: int
    """Largest ru_maxrss of any single process (wait4 of each command: it and its waited descendants)."""
    tree_kb: int
    """Peak of the summed RSS of all running processes of the run, sampled every POLL_SECONDS."""


@dataclass
class ToolResult:
    tool: str
    runs: list[Run] = field(default_factory=list)
    pages: int = 0
    html_raw: float = 0.0
    html_gzip: float = 0.0

    @property
    def wall(self) -> float:
        return statistics.median(r.wall for r in self.runs)

    @property
    def max_process_mb(self) -> float:
        return max(r.max_process_kb for r in self.runs) / 1024

    @property
    def tree_mb(self) -> float:
        return max(r.tree_kb for r in self.runs) / 1024


# -- measuring ------------------------------------------------------------------------------

def _children_map() -> dict[int, list[int]]:
    children: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", encoding="ascii", errors="replace") as stream:
                stat = stream.read()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        children.setdefault(ppid, []).append(int(entry.name))
    return children


def _tree_rss_kb(roots: list[int]) -> int:
    children = _children_map()
    total, todo, seen = 0, list(roots), set()
    while todo:
        pid = todo.pop()
        if pid in seen:
            continue
        seen.add(pid)
        todo.extend(children.get(pid, ()))
        try:
            with open(f"/proc/{pid}/statm", encoding="ascii") as stream:
                total += int(stream.read().split()[1]) * PAGE_SIZE_KB
        except (OSError, IndexError, ValueError):
            continue
    return total


def run_commands(commands: list[list[str]], parallel: int, logs: Path) -> Run:
    """Run `commands`, at most `parallel` at a time; fail loudly if one fails."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONHASHSEED": "0"}
    logs.mkdir(parents=True, exist_ok=True)
    pending = list(enumerate(commands))
    running: dict[int, tuple[int, subprocess.Popen[bytes]]] = {}
    max_process = tree = 0
    start = time.perf_counter()
    while pending or running:
        while pending and len(running) < parallel:
            index, command = pending.pop(0)
            with (logs / f"{index}.log").open("wb") as log:
                proc = subprocess.Popen(command, cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT)
            running[proc.pid] = (index, proc)
        tree = max(tree, _tree_rss_kb(list(running)))
        for pid in list(running):
            done, status, usage = os.wait4(pid, os.WNOHANG)
            if done == 0:
                continue
            index, proc = running.pop(pid)
            proc.returncode = os.waitstatus_to_exitcode(status)
            max_process = max(max_process, usage.ru_maxrss)
            if proc.returncode != 0:
                tail = (logs / f"{index}.log").read_text(errors="replace")[-3000:]
                raise SystemExit(f"command failed ({proc.returncode}): {' '.join(commands[index])}\n{tail}")
        if running:
            time.sleep(POLL_SECONDS)
    return Run(time.perf_counter() - start, max_process, tree)


REBUILT = ("loa-nochange", "loa-edit")
"""Rows that build into a site a previous (untimed) build made, with its record in .loa-cache/."""


LIKE_STOCK = "print,channels,feed,share,serviceworker,admin,offline"
"""With `--like-stock`, the outputs Loa's builds leave out: all but its pages, search, sitemap and the root
chooser, what stock MkDocs + Material makes too (its own search index, sitemap and pages)."""


def tool_commands(tool: str, corpus: Path, site: Path, with_print: bool | str) -> tuple[list[list[str]], int]:
    if tool.startswith("loa"):
        # no cache: every page converted; first: .loa-cache/ emptied just before (bench_size), so
        # only fallback copies reuse a conversion; warm: the cache the previous runs filled, into an
        # empty folder; nochange and edit: into the site of the build before (pages are reused)
        cache = ["--no-cache"] if tool == "loa" else []
        # with print: build.py as an officer runs it; without: the same CLI, print out of the registry
        # (with_print may name the outputs to leave out instead: --like-stock)
        start = ["build.py"] if with_print is True else \
            ["-c", PINNED, str(REPO), "", with_print if isinstance(with_print, str) else "without"]
        return [[str(PYTHON), *start, "build", "--root", str(corpus / "loa"), "--out", str(site),
                 "--today", TODAY, "--quiet", *cache]], 1
    commands = [[str(PYTHON), "-m", "mkdocs", "build", "-q", "-f", str(corpus / "stock" / lang / "mkdocs.yml"),
                 "-d", str(site / lang)] for lang in LANGS]
    return commands, 2 if tool == "stock-par2" else 1


# -- outputs --------------------------------------------------------------------------------

def count_pages(site: Path) -> int:
    return sum(1 for _ in site.rglob("index.html"))


def html_sizes(site: Path, n: int) -> tuple[float, float]:
    """Average raw and gzip (level 6) bytes of up to HTML_SAMPLE evenly spaced vi material pages."""
    materials = materials_for(n)
    step = max(1, len(materials) // HTML_SAMPLE)
    raw, packed = [], []
    for material in materials[::step][:HTML_SAMPLE]:
        data = (site / "vi" / material.doc_id / "index.html").read_bytes()
        raw.append(len(data))
        packed.append(len(gzip.compress(data, compresslevel=6)))
    return statistics.mean(raw), statistics.mean(packed)


def _remove(path: Path) -> None:
    if path.exists():
        shutil.rmtree(path)


def bench_size(n: int, repeat: int, out: Path, progress: bool, with_print: bool | str) -> dict[str, ToolResult]:
    corpus = out / f"n{n}"
    t0 = time.perf_counter()
    counts = generate(n, corpus / "loa", corpus / "stock")
    say(f"N={n}: generated {counts} in {time.perf_counter() - t0:.1f} s", progress)
    check = subprocess.run([str(PYTHON), "build.py", "check", "--root", str(corpus / "loa"), "--today", TODAY],
                           cwd=REPO, capture_output=True, text=True, check=False)
    if check.returncode != 0:
        raise SystemExit(f"generated corpus does not validate:\n{check.stderr[-3000:]}")
    warm_up, _ = tool_commands("loa-warm", corpus, corpus / "site-warm-up", with_print)
    subprocess.run(warm_up[0], cwd=REPO, capture_output=True, check=True)
    _remove(corpus / "site-warm-up")
    results = {tool: ToolResult(tool) for tool in TOOLS}
    edited = corpus / "loa" / "content" / "vi" / f"{materials_for(n)[1].doc_id}.md"
    original = edited.read_text(encoding="utf-8")
    for r in range(repeat):
        for tool in TOOLS:
            site = corpus / ("site-loa-rebuild" if tool in REBUILT else f"site-{tool}")
            if tool == "loa-nochange":  # a site and its record to rebuild (loa-first emptied the cache)
                _remove(site)
                prime, _ = tool_commands(tool, corpus, site, with_print)
                subprocess.run(prime[0], cwd=REPO, capture_output=True, check=True)
            elif tool == "loa-edit":  # a sentence more (or less) in one vi material
                edited.write_text(original + ("" if r % 2 else f"\nMột câu thêm cho lần đo {r}.\n"), encoding="utf-8")
            elif tool not in REBUILT:
                _remove(site)
            if tool == "loa-first":
                _remove(corpus / "loa" / ".loa-cache")
            commands, parallel = tool_commands(tool, corpus, site, with_print)
            os.sync()  # the previous run's files are written back before, not during, this run
            run = run_commands(commands, parallel, corpus / "logs" / f"{tool}-{r}")
            results[tool].runs.append(run)
            say(f"N={n} run {r + 1}/{repeat} {tool}: {run.wall:.1f} s, max process {run.max_process_kb / 1024:.0f} MB,"
                f" tree {run.tree_kb / 1024:.0f} MB", progress)
    edited.write_text(original, encoding="utf-8")
    for tool in TOOLS:
        site = corpus / ("site-loa-rebuild" if tool in REBUILT else f"site-{tool}")
        results[tool].pages = count_pages(site)
        results[tool].html_raw, results[tool].html_gzip = html_sizes(site, n)
    return results


def say(message: str, progress: bool) -> None:
    if progress:
        print(message, file=sys.stderr, flush=True)


# -- report ---------------------------------------------------------------------------------

def machine_info() -> list[str]:
    model = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
        mem_kb = int(Path("/proc/meminfo").read_text().split("MemTotal:")[1].split()[0])
        memory = f"{mem_kb / 1024 / 1024:.1f} GiB"
    except (OSError, IndexError, ValueError):
        memory = "unknown"
    versions = subprocess.run(
        [str(PYTHON), "-c", "import sys, importlib.metadata as m; print(sys.version.split()[0], "
         "m.version('mkdocs'), m.version('mkdocs-material'))"],
        capture_output=True, text=True, check=False).stdout.split()
    python, mkdocs, material = (versions + ["?"] * 3)[:3]
    return [f"- CPU: {model}; nproc: {os.cpu_count()}; memory: {memory}",
            f"- OS: {platform.system()} {platform.release()}",
            f"- Python (.venv): {python}; mkdocs {mkdocs}; mkdocs-material {material}"]


def result_file(folder: Path, suffix: str = "") -> Path:
    """`<folder>/<YYYY-MM-DD><suffix>.md`, or `...-2.md`, `-3`, ... if a run of the same day wrote it already."""
    folder.mkdir(parents=True, exist_ok=True)
    stem = dt.date.today().isoformat() + suffix
    target, count = folder / f"{stem}.md", 1
    while target.exists():
        count += 1
        target = folder / f"{stem}-{count}.md"
    return target


def save_report(text: str, folder: Path, suffix: str = "", progress: bool = True) -> Path:
    """Print a report and write it to `result_file(folder, suffix)`."""
    print(text)
    target = result_file(folder, suffix)
    target.write_text(text + "\n", encoding="utf-8")
    say(f"wrote {target}", progress)
    return target


def label(tool: str, with_print: bool | str) -> str:
    """The row's name; Loa's say whether they made the print output (or only what stock makes)."""
    if not tool.startswith("loa"):
        return TOOL_LABELS[tool]
    if isinstance(with_print, str):
        return TOOL_LABELS[tool] + ", pages, search and sitemap only (as stock)"
    return TOOL_LABELS[tool] + (", with print (PDFs)" if with_print else ", without print (no PDFs, as stock)")


def _ratio(a: float, b: float) -> str:
    return f"{a / b:.2f}" if b else "n/a"


def report(results: dict[int, dict[str, ToolResult]], repeats: dict[int, int], command: str,
           with_print: bool | str = False) -> str:
    printed = (f"Loa's rows are its pages, search index, sitemap and root page only, as stock makes: the outputs "
               f"{with_print} are taken out of the registry (`--like-stock`)." if isinstance(with_print, str) else
               "Loa's rows include its print output (about 5 PDFs a material, which stock Material does not make)."
               if with_print else "Loa's rows are WITHOUT its print output (the PDFs, which stock Material does "
               "not make; taken out of the registry, everything else the same); `--with-print` to include it.")
    lines = [f"# Loa vs stock MkDocs + Material, {dt.date.today().isoformat()}", "",
             f"Command: `{command}`", "", *machine_info(), "", printed, "",
             "Corpus per N: N materials in vi, ~0.9 N in en, ~0.05 N in hmn (draft), N/10 campaigns; "
             "~750 words each. Stock gets the same Markdown, one MkDocs project per language, with vi copies "
             "for missing translations (so every language has N pages), default nav (every page in the nav). "
             "Wall time is the median of the runs; runs of the tools alternate.", "",
             "| N | tool | runs | wall median (s) | min-max (s) | pages | ms/page | Loa / tool (wall) "
             "| peak RSS, largest process (MB) | peak RSS, sum of processes (MB) |",
             "|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for n, by_tool in results.items():
        loa = by_tool["loa"].wall
        for tool, res in by_tool.items():
            walls = [r.wall for r in res.runs]
            lines.append(f"| {n} | {label(tool, with_print)} | {len(res.runs)} | {res.wall:.1f} | "
                         f"{min(walls):.1f}-{max(walls):.1f} | {res.pages} | {1000 * res.wall / res.pages:.1f} | "
                         f"{_ratio(loa, res.wall)} | {res.max_process_mb:.0f} | {res.tree_mb:.0f} |")
    sizes = sorted(results)
    if len(sizes) >= 2:
        small, large = sizes[0], sizes[-1]
        lines += ["", f"Scaling from N={small} to N={large} (x{large / small:g} content):", "",
                  f"| tool | wall N={small} (s) | wall N={large} (s) | ratio | ms/page N={small} | "
                  f"ms/page N={large} |", "|---|---:|---:|---:|---:|---:|"]
        for tool in TOOLS:
            a, b = results[small][tool], results[large][tool]
            lines.append(f"| {label(tool, with_print)} | {a.wall:.1f} | {b.wall:.1f} | {_ratio(b.wall, a.wall)} | "
                         f"{1000 * a.wall / a.pages:.1f} | {1000 * b.wall / b.pages:.1f} |")
    lines += ["", f"HTML per vi material page (mean of up to {HTML_SAMPLE} evenly spaced pages; gzip level 6):", "",
              "| N | tool | raw (KB) | gzip (KB) |", "|---:|---|---:|---:|"]
    for n, by_tool in results.items():
        for tool in ("loa", "stock-seq"):
            res = by_tool[tool]
            lines.append(f"| {n} | {'Loa' if tool == 'loa' else 'stock'} | {res.html_raw / 1024:.1f} | "
                         f"{res.html_gzip / 1024:.1f} |")
    lines += ["", "Repeats per size: " + ", ".join(f"N={n}: {r}" for n, r in repeats.items()), ""]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100,1000", help="materials per language, comma-separated")
    parser.add_argument("--repeat", default="3", help="runs per tool: one number, or one per size (3,1)")
    parser.add_argument("--out", type=Path, default=HERE / "out", help="corpora and sites (default: bench/out)")
    parser.add_argument("--results", type=Path, default=HERE / "results", help="where the report goes")
    parser.add_argument("--quiet", action="store_true", help="no progress on stderr")
    parser.add_argument("--with-print", action="store_true",
                        help="build Loa with its print output (the PDFs, which stock Material does not make)")
    parser.add_argument("--like-stock", action="store_true",
                        help="build Loa's pages, search and sitemap only, what stock makes (no offline copies, "
                             "share images, campaign files, PDFs)")
    args = parser.parse_args(argv)
    mode: bool | str = LIKE_STOCK if args.like_stock else args.with_print
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    repeats_list = [int(r) for r in args.repeat.split(",") if r.strip()]
    if len(repeats_list) == 1:
        repeats_list *= len(sizes)
    if len(repeats_list) != len(sizes) or min(repeats_list + sizes) < 1:
        parser.error("--repeat: give one number, or one per size")
    if not PYTHON.exists():
        parser.error(f"no {PYTHON}: run `make` (or create the venv) first")
    repeats = dict(zip(sizes, repeats_list, strict=True))
    results = {n: bench_size(n, repeats[n], args.out, not args.quiet, mode) for n in sizes}
    text = report(results, repeats, "bench/run.py " + " ".join(argv if argv is not None else sys.argv[1:]), mode)
    save_report(text, args.results, progress=not args.quiet)
    return 0


if __name__ == "__main__":
    sys.exit(main())
