"""UI strings (theme/strings/<lang>.yml): checked at load time with file and line; plurals by CLDR."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPO
from loa.i18n.strings import plural, plural_categories, resolve


def run(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(REPO / "build.py"), *args, "--root", str(root)],
                          capture_output=True, text=True, cwd=root, timeout=300)


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def line_of(path: Path, start: str) -> int:
    return next(n for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if line.startswith(start))


def where(line: str) -> tuple[str, int, int]:
    path, row, column, _rest = line.split(":", 3)
    return path, int(row), int(column)


def test_broken_strings_are_reported_with_file_and_line(tiny_site: Path) -> None:
    vi = tiny_site / "theme/strings/vi.yml"
    edit(vi, 'search.found.other: "Tìm thấy {n} trang"', 'search.found.other: "Tìm thấy {numbr} trang"')
    edit(vi, 'hotline.call: "Gọi {number}"', 'hotline.call: "Gọi {number"')
    edit(vi, "search.label: Tìm trong trang", "serch.label: Tìm trong trang")
    edit(vi, "404.text: ", "404.text: x{x} ")
    en = tiny_site / "theme/strings/en.yml"
    edit(en, "type.faq: Questions and answers\n", "")
    edit(vi, "type.faq: Hỏi đáp\n", "")
    result = run(tiny_site, "check")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    found, call, label = line_of(vi, "search.found"), line_of(vi, "hotline.call"), line_of(vi, "serch.label")
    text = line_of(vi, "404.text")
    assert [line for line in result.stderr.splitlines() if line.startswith("theme/")] == sorted([
        "theme/strings/en.yml:6:1: error: no label for type.faq in 'en' or its fallbacks (en, vi) "
        "(every material type needs a name (type.<type>) and a plural (types.<type>))",
        "theme/strings/vi.yml:2:1: error: no label for type.faq in 'vi' or its fallbacks (vi, en) "
        "(every material type needs a name (type.<type>) and a plural (types.<type>))",
        f"theme/strings/vi.yml:{found}:21: error: search.found.other: unknown placeholder {{numbr}} "
        "(did you mean {n}? known: {n})",
        f"theme/strings/vi.yml:{call}:15: error: hotline.call: a '{{' or '}}' without its pair "
        "(write {{ or }} for a brace shown as text)",
        f"theme/strings/vi.yml:{label}:1: error: unknown key 'serch.label' (did you mean 'search.label'?)",
        f"theme/strings/vi.yml:{text}:11: error: 404.text: unknown placeholder {{x}} "
        "(this text takes no values: remove the braces)",
    ], key=where)
    assert result.stderr.endswith("6 errors, 1 warning; nothing was written\n")  # and the tiny site's warning


def test_plural_forms_and_months_are_checked(tiny_site: Path) -> None:
    vi = tiny_site / "theme/strings/vi.yml"
    edit(vi, 'search.found.other: "Tìm thấy {n} trang"', 'search.found.few: "Tìm thấy {n} trang"')
    edit(vi, "nav.home: Trang chủ\n", 'nav.home: Trang chủ\ndate.format: "{d} {month} {y}"\n')
    result = run(tiny_site, "check")
    assert result.returncode == 1
    found = line_of(vi, "search.found")
    assert [line for line in result.stderr.splitlines() if line.startswith("theme/")] == [
        "theme/strings/vi.yml:3:14: error: date.format: {month} needs the month names in this file "
        "(add date.months (January, February, ...) in this language, or use {m})",
        f"theme/strings/vi.yml:{found}:1: warning: search.found.few: 'vi' has no plural form 'few' "
        "(CLDR: one, other) (remove it: it is never shown)",
        f"theme/strings/vi.yml:{found}:1: error: search.found: the plural forms need 'search.found.other' "
        "('other' is the form used for any number the other forms do not cover)",
    ]
    assert result.stderr.endswith("2 errors, 2 warnings; nothing was written\n")


def test_plurals_follow_cldr() -> None:
    strings = {"en": {"search.found.one": "{n} page found", "search.found.other": "{n} pages found"},
               "vi": {"search.found.other": "Tìm thấy {n} trang"},
               "hmn": {}}
    english = resolve(strings, ("en",))
    assert [plural(english, "search.found", n) for n in (0, 1, 2, 21)] == [
        "0 pages found", "1 page found", "2 pages found", "21 pages found"]
    vietnamese = resolve(strings, ("vi", "en"))
    # Vietnamese gives one form: it is used for every count, never English's "one".
    assert plural(vietnamese, "search.found", 1) == "Tìm thấy 1 trang"
    assert vietnamese.plural_forms("search.found") == {"other": "Tìm thấy {n} trang"}
    assert english.plural_forms("search.found") == {"one": "{n} page found", "other": "{n} pages found"}
    assert plural_categories("en") == ("one", "other")
    assert plural_categories("hmn") is None  # CLDR has no Hmong
    assert plural(resolve(strings, ("hmn", "vi", "en")), "search.found", 1) == "Tìm thấy 1 trang"


def test_the_page_carries_the_plural_forms_for_the_browser(tiny_site: Path, build_site: object) -> None:
    assert callable(build_site)
    build_site(tiny_site)
    page = (tiny_site / "site/en/index.html").read_text(encoding="utf-8")
    match = re.search(r'data-strings="([^"]*)"', page)
    assert match is not None
    import html
    strings = json.loads(html.unescape(match.group(1)))
    assert strings["found"] == {"one": "{n} page found", "other": "{n} pages found"}


def key_used(key: str, sources: str) -> bool:
    """Is `key` used in Loa's code or theme? Keys made from a prefix (`type.{t}`, `phase.{p}.heading`,
    `search.found` and its plural forms) count through that prefix."""
    if re.search(r"""["']""" + re.escape(key) + r"""["']""", sources):
        return True
    head, _, tail = key.rpartition(".")
    if tail in ("one", "other") and re.search(r"""["']""" + re.escape(head) + r"""["']""", sources):
        return True  # a plural (loa/i18n/strings.py PLURALS)
    parts = key.split(".")
    for cut in range(1, len(parts)):
        prefix, rest = ".".join(parts[:cut]), ".".join(parts[cut + 1:])
        made = re.escape(prefix) + r"\.\{[a-z_.]+\}" + (r"\." + re.escape(rest) if rest else "")
        if re.search(r"""f["']""" + made + r"""["']""", sources) \
                or re.search(r"""["']""" + re.escape(prefix) + r"""\.["']\s*(~|\+)""", sources):
            return True
    return False


def test_every_english_string_is_used() -> None:
    sources = "\n".join(path.read_text(encoding="utf-8") for folder in ("loa", "theme")
                        for path in sorted((REPO / folder).rglob("*"))
                        if path.suffix in (".py", ".html", ".js") and path.is_file())
    keys = [line.split(":", 1)[0] for line in (REPO / "theme/strings/en.yml").read_text(encoding="utf-8").splitlines()
            if line and not line.startswith("#")]
    assert len(keys) > 50
    assert [key for key in keys if not key_used(key, sources)] == []


@pytest.mark.parametrize("lang", ["vi", "hmn"])
def test_every_key_of_a_translation_is_known(lang: str) -> None:
    known = {line.split(":", 1)[0] for line in (REPO / "theme/strings/en.yml").read_text(encoding="utf-8").splitlines()
             if line and not line.startswith("#")} | {"date.format", "date.months"}
    keys = [line.split(":", 1)[0] for line in (REPO / f"theme/strings/{lang}.yml").read_text(encoding="utf-8")
            .splitlines() if line and not line.startswith("#")]
    assert [key for key in keys if key not in known] == []


def test_format_html_fills_a_template_as_markup_format_does() -> None:
    from markupsafe import Markup

    from loa.i18n.strings import _plain_fields, format_html

    hostile = '"><script>alert(1)</script>&amp;'
    for template, args, values in [
        ('<a href="{}">{}</a>', (hostile, Markup("<b>ok</b>")), {}),
        ("{0} · {0}", (hostile,), {}),
        ("{{literal}} {}", (3,), {}),
        ('<span lang="{lang}">{text}</span>', (), {"lang": "vi", "text": hostile}),
        ("{n:d} phút", (), {"n": 5}),  # a format spec: markupsafe's own formatter
        ("no fields", (), {}),
    ]:
        assert format_html(template, *args, **values) == Markup(template).format(*args, **values), template
    assert _plain_fields('<a href="{}">{name}</a>') and not _plain_fields("{n:d}") and not _plain_fields("{a.b}")
