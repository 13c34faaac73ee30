"""The desk's commands as the command line runs them (loa/cli.py): arguments in, lines out."""

from __future__ import annotations

import argparse
import sys

from loa.desk.new import new
from loa.errors import UsageError
from loa.messages import _, ngettext
from loa.pipeline import Options, Progress

_NAMES = {"campaign": ("ID",), "material": ("PATH",), "translation": ("LANG", "PATH")}


def run(command: str, args: argparse.Namespace, options: Options, progress: Progress) -> int:
    if command == "new":
        return _new(args, options, progress)
    if command == "translations":
        from loa.desk.translations import listing, mark
        if args.mark:
            progress(mark(options.root, *args.mark))
            return 0
        langs = options.langs
        for line in listing(options.root, langs):
            progress(line)
        return 0
    if command == "normalise":
        from loa.desk.normalise import normalise_campaigns
        lines, files = normalise_campaigns(options.root, check_only=args.check_only)
        for line in lines:
            progress(line)
        return 1 if args.check_only and files else 0
    from loa.desk.report import write_report
    out = options.out if getattr(args, "out", None) else options.root / "report"
    for line in write_report(options, out, getattr(args, "labels", False)):
        progress(line)
    return 0


def _new(args: argparse.Namespace, options: Options, progress: Progress) -> int:
    wanted = _NAMES[args.kind]
    if len(args.names) != len(wanted):
        raise UsageError(_("new %(kind)s: expected %(wanted)s, got %(got)s", kind=args.kind, wanted=" ".join(wanted),
                           got=" ".join(args.names)))
    if args.doc_type and args.kind != "material":
        raise UsageError(_("--type: only for 'new material'"))
    shown, problems = new(options.root, args.kind, list(args.names), options.today, args.doc_type)
    progress(_("wrote %(path)s", path=shown))
    if problems:
        progress(_("fill in next:"))
        for problem in problems:
            print(problem, file=sys.stderr)
    progress(ngettext("then run 'python build.py check' (%(n)s thing left in %(path)s)",
                      "then run 'python build.py check' (%(n)s things left in %(path)s)", len(problems), path=shown)
             if problems else _("it passes 'python build.py check'"))
    return 0
