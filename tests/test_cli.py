"""The command line as a user runs it: exit codes, clean errors, the old site kept."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

from conftest import REPO


def run(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(REPO / "build.py"), *args, "--root", str(root)],
                          capture_output=True, text=True, cwd=root, timeout=300)


def test_build_then_check(tiny_site: Path) -> None:
    built = run(tiny_site, "build", "--today", "2026-12-01")
    assert built.returncode == 0, built.stderr
    assert "[vi]" in built.stdout and "[en]" in built.stdout and "built 22 pages" in built.stdout
    assert (tiny_site / "site/vi/index.html").is_file()
    checked = run(tiny_site, "check", "--out", "elsewhere")
    assert checked.returncode == 0
    assert not (tiny_site / "elsewhere").exists()


def test_quiet_keeps_stdout_clean(tiny_site: Path) -> None:
    result = run(tiny_site, "build", "--quiet", "--today", "2026-12-01")
    assert result.returncode == 0
    assert result.stdout == ""
    assert "warning: no 'en' translation" in result.stderr  # problems still reach stderr


def test_strict_fails_on_warnings(tiny_site: Path) -> None:
    result = run(tiny_site, "build", "--strict")
    assert result.returncode == 1
    assert "(--strict: warnings count as errors)" in result.stderr
    assert not (tiny_site / "site").exists()


def test_lang_subset(tiny_site: Path) -> None:
    result = run(tiny_site, "build", "--lang", "en", "--quiet")
    assert result.returncode == 0
    assert (tiny_site / "site/en/index.html").is_file() and not (tiny_site / "site/vi").exists()


def test_content_error_keeps_the_previous_site_and_prints_no_traceback(tiny_site: Path) -> None:
    assert run(tiny_site, "build", "--quiet").returncode == 0
    before = (tiny_site / "site/vi/index.html").read_bytes()
    campaign = tiny_site / "campaigns/safe-summer.yml"
    campaign.write_text(campaign.read_text(encoding="utf-8").replace("end: 2027-08-31", "end: 2027-02-30")
                        .replace("topics: [drowning-prevention]", "topics: [drowning]"), encoding="utf-8")
    result = run(tiny_site, "build")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.splitlines()[:2] == [
        "campaigns/safe-summer.yml:4:34: error: period.end: '2027-02-30' is not a real date "
        "(day is out of range for month) (check the day and the month)",
        "campaigns/safe-summer.yml:5:10: error: topics[0]: unknown topic 'drowning' (known: drowning-prevention)",
    ]
    assert "2 errors, 1 warning; nothing was written" in result.stderr
    assert (tiny_site / "site/vi/index.html").read_bytes() == before
    assert sorted(p.name for p in tiny_site.iterdir() if p.name.startswith(".site")) == []


def test_usage_errors_exit_2(tiny_site: Path) -> None:
    assert run(tiny_site, "build", "--today", "tomorrow").returncode == 2
    assert run(tiny_site, "build", "--lang", "fr").returncode == 2
    assert run(tiny_site, "frobnicate").returncode == 2


def test_refuses_to_replace_the_project(tiny_site: Path) -> None:
    result = run(tiny_site, "build", "--out", ".")
    assert result.returncode == 2
    assert "refusing to replace a folder that holds the project" in result.stderr
    assert (tiny_site / "mkdocs.yml").exists()


def test_broken_theme_template_keeps_the_previous_site(tiny_site: Path) -> None:
    assert run(tiny_site, "build", "--quiet").returncode == 0
    before = (tiny_site / "site/en/index.html").read_bytes()
    main = tiny_site / "theme/main.html"
    main.write_text(main.read_text(encoding="utf-8").replace("{% endblock %}", "{% endblok %}", 1), encoding="utf-8")
    result = run(tiny_site, "build")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "theme/main.html:" in result.stderr and "template syntax" in result.stderr
    assert "the previous site is unchanged" in result.stderr
    assert (tiny_site / "site/en/index.html").read_bytes() == before


def test_an_invalid_source_date_epoch_is_named(tiny_site: Path) -> None:
    env = {**os.environ, "SOURCE_DATE_EPOCH": "xyz"}
    result = subprocess.run([sys.executable, str(REPO / "build.py"), "check", "--root", str(tiny_site)],
                            capture_output=True, text=True, cwd=tiny_site, timeout=300, env=env)
    assert result.returncode == 2
    assert result.stderr == ("build.py: error: SOURCE_DATE_EPOCH: 'xyz' is not a number of seconds "
                             "(seconds since 1970-01-01 UTC; or pass --today YYYY-MM-DD)\n")
    result = run(tiny_site, "check", "--today", "2026-13-01")
    assert result.stderr == "build.py: error: --today: '2026-13-01' is not a date YYYY-MM-DD\n"


def test_check_writes_nothing(tiny_site: Path) -> None:
    before = sorted(p.relative_to(tiny_site).as_posix() for p in tiny_site.rglob("*"))
    result = run(tiny_site, "check", "--today", "2026-12-01")
    assert result.returncode == 0, result.stderr
    assert not (tiny_site / ".loa-cache").exists()
    assert sorted(p.relative_to(tiny_site).as_posix() for p in tiny_site.rglob("*")) == before
    # it reads the parses a build saved, and leaves them as they were
    assert run(tiny_site, "build", "--quiet", "--today", "2026-12-01").returncode == 0
    saved = {p: p.read_bytes() for p in (tiny_site / ".loa-cache").glob("parsed*")}
    stamps = {p: p.stat().st_mtime_ns for p in saved}
    material = tiny_site / "content/vi/drowning/checklist.md"
    material.write_text(material.read_text(encoding="utf-8") + "\nThêm một dòng.\n", encoding="utf-8")
    assert run(tiny_site, "check", "--today", "2026-12-01").returncode == 0
    assert saved and {p: p.read_bytes() for p in saved} == saved and {p: p.stat().st_mtime_ns for p in saved} == stamps


def test_a_build_leaves_nothing_running_so_the_command_ends_at_once(tiny_site: Path) -> None:
    # `run` (loa/cli.py) ends the process without freeing its objects only when no thread is left: a build
    # must shut every pool down. Run here, as the command line runs it (a build of its own).
    code = textwrap.dedent(f"""
        import sys, threading
        sys.path.insert(0, {str(REPO)!r})
        from loa.cli import main
        code = main(["build", "--quiet", "--root", {str(tiny_site)!r}, "--today", "2026-12-01"])
        print(code, threading.active_count(), [t.name for t in threading.enumerate()])
    """)
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert result.stdout.split(" ", 2)[:2] == ["0", "1"], result.stdout + result.stderr
    fast = subprocess.run([sys.executable, str(REPO / "build.py"), "build", "--root", str(tiny_site), "--today",
                           "2026-12-01"], capture_output=True, text=True, timeout=300)
    assert fast.returncode == 0 and fast.stdout.rstrip().splitlines()[-1].startswith("built ")  # all flushed


def test_a_failed_build_leaves_nothing_running_either(tiny_site: Path) -> None:
    # The planner of the languages after the first is a pool in a generator (loa/processes.py::planned): a build
    # that fails while rendering closes it, instead of leaving its process to the garbage collector.
    main_html = tiny_site / "theme/main.html"
    main_html.write_text(main_html.read_text(encoding="utf-8").replace("{% endblock %}", "{% endblok %}", 1),
                         encoding="utf-8")
    code = textwrap.dedent(f"""
        import multiprocessing, sys, threading
        sys.path.insert(0, {str(REPO)!r})
        from loa.cli import main
        code = main(["build", "--quiet", "--root", {str(tiny_site)!r}, "--today", "2026-12-01"])
        print(code, len(multiprocessing.active_children()), threading.active_count())
    """)
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert result.stdout.split() == ["1", "0", "1"], result.stdout + result.stderr
