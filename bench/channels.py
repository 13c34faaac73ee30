"""What the campaign channels cost (issue 15): builds with and without their outputs, alternated.

    .venv/bin/python bench/channels.py --n 1000 --repeat 3

Times whole `build.py build` processes on the sample site (this repository) and on the generated
corpus of N materials (bench/generate.py, shared with bench/run.py): "with" is Loa as it is; "without"
runs the same build with the channel outputs taken out of the registry (`channels`: calendars, SMS
texts and loudspeaker scripts; `feed`; `share`: the PNGs), so the difference is what they cost. The
toolkit pages are planned and rendered in both (they are pages). Each run starts from an empty output
folder and an empty `<root>/.loa-cache/` (a first build: every share image drawn), then one more build with
the cache just filled (the images copied from it). Results go to stdout and
bench/results/<YYYY-MM-DD>-channels.md.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from run import PYTHON, REPO, TODAY, machine_info, save_report  # noqa: E402
from serve import corpus_for  # noqa: E402

CHANNELS = ("channels", "feed", "share")
WITHOUT = ("import sys; import loa.outputs as o; "
           f"o.REGISTRY[:] = [x for x in o.REGISTRY if x.name not in {CHANNELS!r}]; "
           "from loa.cli import main; sys.exit(main())")


def build(root: Path, out: Path, with_channels: bool) -> float:
    command = [str(PYTHON), "build.py"] if with_channels else [str(PYTHON), "-c", WITHOUT]
    command += ["build", "--root", str(root), "--out", str(out), "--today", TODAY, "--quiet"]
    start = time.perf_counter()
    subprocess.run(command, cwd=REPO, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def measure(root: Path, repeat: int, work: Path) -> dict[str, list[float]]:
    times: dict[str, list[float]] = {key: [] for key in ("with", "without", "with, cache", "without, cache")}
    for _ in range(repeat):
        for with_channels in (True, False):  # alternated, so that a slower minute weighs on both
            label = "with" if with_channels else "without"
            out = work / "site"
            for path in (out, root / ".loa-cache"):
                shutil.rmtree(path, ignore_errors=True)
            times[label].append(build(root, out, with_channels))
            shutil.rmtree(out)
            times[f"{label}, cache"].append(build(root, out, with_channels))
    return times


def _is_channel_file(path: Path) -> bool:
    if path.suffix in (".ics", ".png"):
        return "assets" not in path.parts  # Material's favicon
    return path.name == "feed.xml" or path.name.endswith(("-sms.txt", "-loudspeaker.txt"))


def files_of(root: Path, work: Path) -> tuple[int, int]:
    """(files, bytes) the channel outputs add to the site of `root`."""
    out = work / "site"
    for path in (out, root / ".loa-cache"):
        shutil.rmtree(path, ignore_errors=True)
    build(root, out, True)
    found = [p for p in out.rglob("*") if p.is_file() and _is_channel_file(p)]
    return len(found), sum(p.stat().st_size for p in found)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=0, help="also the generated corpus of N materials (0: sample only)")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--n-repeat", type=int, default=0, help="runs of the N corpus (default: --repeat)")
    args = parser.parse_args(argv)
    corpora = [("sample (this repository)", REPO, args.repeat)]
    if args.n:
        corpus = corpus_for(args.n, HERE / "out")
        corpora.append((f"N={args.n} (bench/generate.py)", corpus, args.n_repeat or args.repeat))
    lines = ["# Campaign channels: builds with and without their outputs", "",
             f"`{' '.join(['.venv/bin/python', 'bench/channels.py', *(argv or sys.argv[1:])])}`", "",
             *machine_info(), "",
             "Median wall seconds of whole `build.py build` processes (`--jobs 2`), alternated "
             "(runs per corpus below). First: empty output folder and `.loa-cache/`; cache: the same "
             "build again into an empty output folder, the cache just filled.", "",
             "| corpus | first, with | first, without | cost | cache, with | cache, without | cost | files | size |",
             "|---|---|---|---|---|---|---|---|---|"]
    runs: list[str] = []
    for name, root, repeat in corpora:
        with tempfile.TemporaryDirectory() as folder:
            times = measure(root, repeat, Path(folder))
            files, size = files_of(root, Path(folder))
        med = {key: statistics.median(values) for key, values in times.items()}
        lines.append(f"| {name} | {med['with']:.2f} | {med['without']:.2f} | {med['with'] - med['without']:+.2f} | "
                     f"{med['with, cache']:.2f} | {med['without, cache']:.2f} | "
                     f"{med['with, cache'] - med['without, cache']:+.2f} | {files} | {size / 1024:.0f} KB |")
        runs += [f"- {name}, {key}: " + ", ".join(f"{v:.2f}" for v in values) for key, values in times.items()]
        print(lines[-1], *runs[-4:], sep="\n", flush=True)
    text = "\n".join([*lines, "", "Every run (seconds):", "", *runs]) + "\n"
    print(text)
    save_report(text, HERE / "results", "-channels")
    return 0


if __name__ == "__main__":
    sys.exit(main())
