"""Dates as each language writes them: CLDR through Babel, the strings file as override and for hmn."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPO
from loa.i18n.dates import format_date
from loa.i18n.strings import resolve

DAY = dt.date(2026, 11, 1)
STRINGS = {
    "en": {"nav.home": "Home"},
    "vi": {"date.format": "{d} {month} {y}", "date.months": ", ".join(f"tháng {m}" for m in range(1, 13))},
    "hmn": {"date.format": "{d}/{m}/{y}"},
    "xx": {},
}


@pytest.mark.parametrize(("chain", "written"), [
    (("en",), "November 1, 2026"),
    (("km", "vi", "en"), "1 វិច្ឆិកា 2026"),
    (("vi", "en"), "1 tháng 11 2026"),  # the strings file overrides CLDR
    (("hmn", "vi", "en"), "1/11/2026"),  # CLDR has no Hmong: its own strings
    (("xx", "vi", "en"), "2026-11-01"),  # neither: ISO, never the fallback's Vietnamese month names
])
def test_format_date(chain: tuple[str, ...], written: str) -> None:
    assert format_date(DAY, chain[0], resolve(STRINGS, chain)) == written


def test_cldr_when_the_strings_file_sets_nothing() -> None:
    assert format_date(DAY, "vi", resolve({"vi": {}}, ("vi",))) == "1 tháng 11, 2026"


def test_pages_show_dates_in_their_language(tiny_site: Path, build_site: object) -> None:
    assert callable(build_site)
    build_site(tiny_site)
    vi = (tiny_site / "site/vi/drowning/ten-actions/index.html").read_text(encoding="utf-8")
    en = (tiny_site / "site/en/drowning/ten-actions/index.html").read_text(encoding="utf-8")
    assert "Nội dung được kiểm tra ngày 1 tháng 11, 2026" in vi
    assert "Content checked on November 1, 2026" in en
    campaign = (tiny_site / "site/en/campaigns/safe-summer/index.html").read_text(encoding="utf-8")
    assert "May 15, 2027 – August 31, 2027" in campaign
    assert "15 tháng 5, 2027 – 31 tháng 8, 2027" in (tiny_site / "site/vi/campaigns/safe-summer/index.html").read_text(
        encoding="utf-8")


def test_a_language_without_cldr_nor_date_format_is_warned_about(tiny_site: Path) -> None:
    settings = tiny_site / "mkdocs.yml"
    hmoob = "      hmn: {name: Hmoob, fallback: [vi], partial: true}\n"
    settings.write_text(settings.read_text(encoding="utf-8").replace(
        "      en: {name: English}\n", "      en: {name: English}\n" + hmoob), encoding="utf-8")
    hmn = tiny_site / "theme/strings/hmn.yml"
    hmn.write_text(hmn.read_text(encoding="utf-8").replace('date.format: "{d}/{m}/{y}"\n', ""), encoding="utf-8")
    result = subprocess.run([sys.executable, str(REPO / "build.py"), "check", "--root", str(tiny_site)],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0
    assert ("theme/strings/hmn.yml:5:1: warning: dates in 'hmn' are shown as 2026-11-01: CLDR has no date format "
            "for this language (add date.format (for example \"{d}/{m}/{y}\") to theme/strings/hmn.yml)"
            ) in result.stderr.splitlines()
