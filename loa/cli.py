"""Command line: `python build.py [build|check|serve|new|translations|report|normalise] [options]` (see README)."""

from __future__ import annotations

import argparse
import atexit
import contextlib
import datetime as dt
import os
import sys
import threading
from collections.abc import Iterable
from pathlib import Path
from typing import Any, NoReturn

from loa import messages
from loa.check.validate import today_from
from loa.errors import BuildError, ContentError, LoaError, Problem, UsageError
from loa.messages import _, ngettext
from loa.pipeline import Options, Progress, build, check, check_out

EXIT_OK, EXIT_CONTENT, EXIT_USAGE = 0, 1, 2
CACHE_DIR = ".loa-cache"


class _Formatter(argparse.HelpFormatter):
    def add_usage(self, usage: str | None, actions: Iterable[argparse.Action],
                  groups: Iterable[argparse._MutuallyExclusiveGroup], prefix: str | None = None) -> None:
        super().add_usage(usage, actions, groups, _("usage: ") if prefix is None else prefix)


class _Parser(argparse.ArgumentParser):
    """argparse with its own words (usage, the titles, --help) in the message language; its
    `error:` stays English, as in every line scripts read (README)."""

    def __init__(self, add_help: bool = True, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", _Formatter)
        parents = kwargs.pop("parents", [])
        super().__init__(add_help=False, **kwargs)
        self._positionals.title = _("positional arguments")
        self._optionals.title = _("options")
        if add_help:
            self.add_argument("-h", "--help", action="help", default=argparse.SUPPRESS,
                              help=_("show this help message and exit"))
        for parent in parents:  # as argparse adds them, after --help (so that it stays first)
            self._add_container_actions(parent)
            self._defaults.update(parent._defaults)


def _common(suppress: bool) -> _Parser:
    """Options accepted before or after the command; after it, only given ones override."""
    common = _Parser(add_help=False, argument_default=argparse.SUPPRESS if suppress else None)
    common.add_argument("--out", default=argparse.SUPPRESS if suppress else None,
                        help=_("output folder, relative to the current folder (default: site in the project folder)"))
    common.add_argument("--lang", help=_("build only these languages, e.g. vi,en"))
    common.add_argument("--today", help=_("the date that decides campaign status, YYYY-MM-DD "
                                           "(default: SOURCE_DATE_EPOCH, else the clock)"))
    flag = {"default": argparse.SUPPRESS} if suppress else {"default": False}
    common.add_argument("--strict", action="store_true", help=_("treat warnings as errors"), **flag)
    common.add_argument("--drafts", action="store_true", help=_("also publish campaigns with status: draft"), **flag)
    common.add_argument("--quiet", action="store_true", help=_("print nothing on stdout; problems still go to stderr"),
                        **flag)
    common.add_argument("--jobs", type=int, default=argparse.SUPPRESS if suppress else 2,
                        help=_("languages rendered in parallel (default: 2)"))
    common.add_argument("--no-cache", action="store_true",
                        help=_("do not reuse rendered Markdown from .loa-cache/"), **flag)
    common.add_argument("--root", default=argparse.SUPPRESS if suppress else ".",
                        help=_("project folder (default: current folder)"))
    common.add_argument("--messages", metavar="vi|en", default=argparse.SUPPRESS if suppress else None,
                        help=_("the language of Loa's messages (default: LOA_MESSAGES, else the project's "
                               "default language, else English)"))
    return common


def parser() -> argparse.ArgumentParser:
    common = _common(suppress=True)
    top = _Parser(prog="build.py", description=_("Loa: build a multilingual campaign site."),
                  parents=[_common(suppress=False)])
    sub = top.add_subparsers(dest="command")  # argparse exits with 2 on usage errors
    sub.add_parser("build", parents=[common], help=_("validate and build every language into the output folder"))
    sub.add_parser("check", parents=[common], help=_("validate only; write nothing"))
    serve = sub.add_parser("serve", parents=[common], help=_("build, serve on 127.0.0.1, rebuild and reload on save"))
    serve.add_argument("--port", type=int, default=8000)
    new = sub.add_parser("new", parents=[common], help=_("start a campaign, a material or a translation (README)"))
    new.add_argument("kind", choices=("campaign", "material", "translation"))
    new.add_argument("names", nargs="+", metavar="ID | PATH | LANG PATH")
    new.add_argument("--type", dest="doc_type", help=_("a material's type (default: fact-sheet)"))
    translations = sub.add_parser("translations", parents=[common],
                                  help=_("list translations: up to date, behind their original, draft or missing"))
    translations.add_argument("--mark", nargs=2, metavar=("LANG", "PATH"),
                              help=_("record that this translation follows the current original"))
    normalise = sub.add_parser("normalise", parents=[common],
                               help=_("write every campaign text as a {language: text} map, as the CMS's form "
                                      "needs, keeping comments and key order"))
    normalise.add_argument("--check", action="store_true", dest="check_only",
                           help=_("only list the files that would change; exit 1 if there are any"))
    report = sub.add_parser("report", parents=[common], help=_("write the campaigns' report: an HTML page and CSV "
                                                             "files (--out, default: report/)"))
    report.add_argument("--labels", action="store_true",
                        help=_("add a second header row to the CSV files: the columns' names in the language of "
                               "the messages"))
    return top


def options_from(args: argparse.Namespace) -> Options:
    try:
        today = today_from(args.today, dict(os.environ))
    except (ValueError, OverflowError, OSError):
        if args.today:
            raise UsageError(_("--today: '%(value)s' is not a date YYYY-MM-DD", value=args.today)) from None
        raise UsageError(_("SOURCE_DATE_EPOCH: '%(value)s' is not a number of seconds "
                           "(seconds since 1970-01-01 UTC; or pass --today YYYY-MM-DD)",
                           value=os.environ.get("SOURCE_DATE_EPOCH"))) from None
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


def _built(pages: int, languages: int, out: Path, seconds: float, warnings: int, reused: int) -> str:
    line = ngettext("built %(pages)s pages in %(languages)s languages into %(out)s in %(seconds)s s "
                    "(%(n)s warning", "built %(pages)s pages in %(languages)s languages into %(out)s in "
                    "%(seconds)s s (%(n)s warnings", warnings, pages=pages, languages=languages, out=out,
                    seconds=f"{seconds:.1f}")
    if reused:
        line += ngettext("; %(n)s unchanged page kept from the last build",
                         "; %(n)s unchanged pages kept from the last build", reused)
    return line + ")"


def _summary(errors: int, warnings: int, strict: bool) -> str:
    counts = ngettext("%(n)s error", "%(n)s errors", errors) + ", " + ngettext("%(n)s warning", "%(n)s warnings",
                                                                              warnings)
    if strict and warnings:
        return _("%(counts)s (--strict: warnings count as errors); nothing was written", counts=counts)
    return _("%(counts)s; nothing was written", counts=counts)


def choose_messages(argv: list[str], environ: dict[str, str] | os._Environ[str]) -> str:
    """The message language for this command line (README): --messages, LOA_MESSAGES, the project's
    default language when Loa has a catalog for it, else English. Chosen before the arguments are
    parsed, so that --help and argparse's own words speak it too."""
    early = argparse.ArgumentParser(add_help=False)
    early.add_argument("--messages")
    early.add_argument("--root", default=".")
    known, _rest = early.parse_known_args(argv)
    project = None
    if not known.messages and not environ.get(messages.ENVIRONMENT):
        from loa.load.project import default_language
        project = default_language(Path(known.root))
    code = messages.choose(known.messages, environ, project)
    if messages.unknown(code):
        source = "--messages" if known.messages else messages.ENVIRONMENT
        raise UsageError(f"{source}: no messages in '{code}' (Loa speaks: {', '.join(messages.available())})")
    return code


def run(argv: list[str] | None = None) -> NoReturn:
    """`main` as a command (build.py): its exit status, without taking the interpreter down piece by piece.

    A build leaves millions of objects (the site, its plans, the parses); freeing them one by one as Python
    ends took 0.5 s of every `build.py build` at 1,000 materials a language, after the work was done. So when
    the command succeeded and nothing runs beside it any more (no thread: every pool of processes is shut
    down), the exit functions run as they would (what is left of the trash's deletion is stopped:
    loa/publish/target.py), the output is flushed, and the process ends there (`os._exit`). Otherwise, and on
    an exception, Python ends as usual.
    """
    code = main(argv)
    if code != EXIT_OK or threading.active_count() > 1:
        sys.exit(code)
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):  # a closed pipe (`build.py | head`)
            stream.flush()
    os._exit(code)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    try:
        messages.use(choose_messages(argv, os.environ))
    except UsageError as exc:
        print(f"build.py: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    args = parser().parse_args(argv)
    command = args.command or "build"
    progress: Progress = _quiet if args.quiet else _say
    try:
        options = options_from(args)
        if command in ("new", "translations", "report", "normalise"):
            from loa.desk.commands import run
            return run(command, args, options, progress)
        if command == "check":
            result = check(options, progress, save=False)  # reads the saved parses; writes nothing
            print_problems(result.warnings)
            progress(ngettext("ok: %(n)s warning, no errors (%(today)s)", "ok: %(n)s warnings, no errors (%(today)s)",
                              len(result.warnings), today=dt.date.isoformat(options.today)))
            return EXIT_OK
        if command == "serve":
            from loa.serve.server import serve
            check_out(options)  # serve writes there too
            return serve(options, args.port, progress)
        result = build(options, progress)
        print_problems(result.warnings)
        progress(_built(result.pages, len(result.renders), options.out, result.seconds, len(result.warnings),
                        result.reused))
        return EXIT_OK
    except ContentError as exc:
        print_problems(exc.problems)
        errors = sum(1 for p in exc.problems if p.severity == "error")
        warnings = len(exc.problems) - errors
        print(_summary(errors, warnings, args.strict), file=sys.stderr)
        return EXIT_CONTENT
    except UsageError as exc:
        print(f"build.py: error: {exc}", file=sys.stderr)  # "error:" stays English (README)
        return EXIT_USAGE
    except (BuildError, LoaError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        print(_("nothing was written; the previous site is unchanged"), file=sys.stderr)
        return EXIT_CONTENT
    except KeyboardInterrupt:
        print(_("interrupted; the previous site is unchanged"), file=sys.stderr)
        return 130
