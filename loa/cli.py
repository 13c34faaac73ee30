"""Command line: `python build.py [build|check|serve|new|translations|report] [options]` (see README)."""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
from pathlib import Path

from loa.check.validate import today_from
from loa.errors import BuildError, ContentError, LoaError, Problem, UsageError
from loa.pipeline import Options, Progress, build, check, check_out

EXIT_OK, EXIT_CONTENT, EXIT_USAGE = 0, 1, 2
CACHE_DIR = ".loa-cache"


def _common(suppress: bool) -> argparse.ArgumentParser:
    """Options accepted before or after the command; after it, only given ones override."""
    common = argparse.ArgumentParser(add_help=False, argument_default=argparse.SUPPRESS if suppress else None)
    common.add_argument("--out", default=argparse.SUPPRESS if suppress else None,
                        help="output folder, relative to the current folder (default: site in the project folder)")
    common.add_argument("--lang", help="build only these languages, e.g. vi,en")
    common.add_argument("--today", help="the date that decides campaign status, YYYY-MM-DD "
                        "(default: SOURCE_DATE_EPOCH, else the clock)")
    flag = {"default": argparse.SUPPRESS} if suppress else {"default": False}
    common.add_argument("--strict", action="store_true", help="treat warnings as errors", **flag)
    common.add_argument("--drafts", action="store_true", help="also publish campaigns with status: draft", **flag)
    common.add_argument("--quiet", action="store_true", help="print nothing on stdout; problems still go to stderr",
                        **flag)
    common.add_argument("--jobs", type=int, default=argparse.SUPPRESS if suppress else 2,
                        help="languages rendered in parallel (default: 2)")
    common.add_argument("--no-cache", action="store_true",
                        help="do not reuse rendered Markdown from .loa-cache/", **flag)
    common.add_argument("--root", default=argparse.SUPPRESS if suppress else ".",
                        help="project folder (default: current folder)")
    return common


def parser() -> argparse.ArgumentParser:
    common = _common(suppress=True)
    top = argparse.ArgumentParser(prog="build.py", description="Loa: build a multilingual campaign site.",
                  parents=[_common(suppress=False)])
    sub = top.add_subparsers(dest="command")  # argparse exits with 2 on usage errors
    sub.add_parser("build", parents=[common], help="validate and build every language into the output folder")
    sub.add_parser("check", parents=[common], help="validate only; write nothing")
    serve = sub.add_parser("serve", parents=[common], help="build, serve on 127.0.0.1, rebuild and reload on save")
    serve.add_argument("--port", type=int, default=8000)
    new = sub.add_parser("new", parents=[common], help="start a campaign, a material or a translation (README)")
    new.add_argument("kind", choices=("campaign", "material", "translation"))
    new.add_argument("names", nargs="+", metavar="ID | PATH | LANG PATH")
    new.add_argument("--type", dest="doc_type", help="a material's type (default: fact-sheet)")
    translations = sub.add_parser("translations", parents=[common],
                                  help="list translations: up to date, behind their original, draft or missing")
    translations.add_argument("--mark", nargs=2, metavar=("LANG", "PATH"),
                              help="record that this translation follows the current original")
    sub.add_parser("report", parents=[common], help="write the campaigns' report: an HTML page and CSV files "
                   "(--out, default: report/)")
    return top


def options_from(args: argparse.Namespace) -> Options:
    try:
        today = today_from(args.today, dict(os.environ))
    except (ValueError, OverflowError, OSError):
        if args.today:
            raise UsageError(f"--today: '{args.today}' is not a date YYYY-MM-DD") from None
        raise UsageError(f"SOURCE_DATE_EPOCH: '{os.environ.get('SOURCE_DATE_EPOCH')}' is not a number of seconds "
                         "(seconds since 1970-01-01 UTC; or pass --today YYYY-MM-DD)") from None
    langs = tuple(code.strip() for code in args.lang.split(",") if code.strip()) if args.lang else None
    root = Path(args.root).resolve()
    # --out is where the user points, from the folder they are in (as for every command line tool);
    # without it, the project's own site/ folder
    out = Path(args.out).resolve() if args.out else root / "site"
    return Options(root=root, out=out, today=today, langs=langs,
                   strict=args.strict, drafts=args.drafts, jobs=max(1, args.jobs),
                   cache_dir=None if args.no_cache else root / CACHE_DIR)


def print_problems(problems: list[Problem] | tuple[Problem, ...]) -> None:
    for problem in problems:
        print(problem, file=sys.stderr)


def _say(message: str) -> None:
    print(message, flush=True)


def _quiet(_message: str) -> None:
    pass


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    command = args.command or "build"
    progress: Progress = _quiet if args.quiet else _say
    try:
        options = options_from(args)
        if command in ("new", "translations", "report"):
            from loa.desk.commands import run
            return run(command, args, options, progress)
        if command == "check":
            result = check(options, progress, save=False)  # reads the saved parses; writes nothing
            print_problems(result.warnings)
            progress(f"ok: {len(result.warnings)} warnings, no errors ({dt.date.isoformat(options.today)})")
            return EXIT_OK
        if command == "serve":
            from loa.serve.server import serve
            check_out(options)  # serve writes there too
            return serve(options, args.port, progress)
        result = build(options, progress)
        print_problems(result.warnings)
        reused = f"; {result.reused} unchanged pages kept from the last build" if result.reused else ""
        progress(f"built {result.pages} pages in {len(result.renders)} languages into "
                 f"{options.out} in {result.seconds:.1f} s ({len(result.warnings)} warnings{reused})")
        return EXIT_OK
    except ContentError as exc:
        print_problems(exc.problems)
        errors = sum(1 for p in exc.problems if p.severity == "error")
        warnings = len(exc.problems) - errors
        note = " (--strict: warnings count as errors)" if args.strict and warnings else ""
        print(f"{errors} errors, {warnings} warnings{note}; nothing was written", file=sys.stderr)
        return EXIT_CONTENT
    except UsageError as exc:
        print(f"build.py: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except (BuildError, LoaError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        print("nothing was written; the previous site is unchanged", file=sys.stderr)
        return EXIT_CONTENT
    except KeyboardInterrupt:
        print("interrupted; the previous site is unchanged", file=sys.stderr)
        return 130
