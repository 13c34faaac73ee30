"""Build-time content checks: the writer gets file and line before any browser runs."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import MATERIAL_EN, TINY_SITE, TODAY, write_tree
from loa.build import Options, check
from loa.errors import ContentError

PATH = "content/en/drowning/ten-actions.md"
BODY_START = MATERIAL_EN.count("\n") + 1  # first line after the original text


def findings(tmp_path: Path, extra: str, files: dict[str, str] | None = None) -> list[str]:
    tree = {**TINY_SITE, PATH: MATERIAL_EN + extra, **(files or {})}
    root = write_tree(tmp_path / "project", tree)
    try:
        result = check(Options(root=root, out=root / "site", today=TODAY))
        problems = list(result.warnings)
    except ContentError as error:
        problems = error.problems
    return [str(p) for p in problems if p.position.path == PATH]


def test_image_without_alt_is_an_error_unless_decorative(tmp_path: Path) -> None:
    assert findings(tmp_path, "![](../images/x.svg)\n![](../images/x.svg){ .decorative }\n<img src=\"x.svg\">\n") == [
        f"{PATH}:{BODY_START}:1: error: image '../images/x.svg' has no alt text "
        "(describe what it shows in [...], or mark it decorative: ![](...){ .decorative })",
        f"{PATH}:{BODY_START + 2}:1: error: <img> without alt attribute "
        "(add alt=\"what it shows\", or alt=\"\" if it is decorative)",
    ]


def test_heading_levels_must_not_skip(tmp_path: Path) -> None:
    assert findings(tmp_path, "#### Too deep\n\n# Title again\n") == [
        f"{PATH}:{BODY_START}:1: warning: heading level skips from h2 to h4 (use ### here)",
        f"{PATH}:{BODY_START + 2}:1: warning: a level-1 heading in the text; the title is already the page's "
        "heading (start the text's headings at ##)",
    ]


@pytest.mark.parametrize("text", ["click here", "here", "xem tại đây", "Bấm vào đây", "read more"])
def test_vague_link_text(tmp_path: Path, text: str) -> None:
    assert findings(tmp_path, f"To learn more, [{text}](checklist.md).\n") == [
        f"{PATH}:{BODY_START}:16: warning: link text '{text}' does not say where it goes "
        "(use the name of the page or document as the link text)",
    ]


def test_bad_lang_attribute(tmp_path: Path) -> None:
    assert findings(tmp_path, '<span lang="Vietnamese">Trẻ em</span> and <span lang="vi">trẻ em</span>\n') == [
        f"{PATH}:{BODY_START}:7: error: lang=\"Vietnamese\" is not a BCP 47 language tag "
        "(use a lowercase code such as vi, en or hmn)",
    ]


def test_tables_need_headers(tmp_path: Path) -> None:
    extra = "<table><tr><td>a</td></tr></table>\n\n|  |  |\n|---|---|\n| a | b |\n"
    assert findings(tmp_path, extra) == [
        f"{PATH}:{BODY_START}:1: warning: table without header cells (<th>) "
        "(write it as a Markdown table, whose first row is the header)",
        f"{PATH}:{BODY_START + 2}:1: warning: table with an empty header row (name each column in the first row)",
    ]


def test_download_links_say_format_and_size(tmp_path: Path) -> None:
    files = {"content/en/drowning/poster.pdf": "%PDF-1.4\n" + "x" * 3000}
    extra = "[The poster](poster.pdf) and [the poster (PDF, 3 KB)](poster.pdf)\n"
    assert findings(tmp_path, extra, files) == [
        f"{PATH}:{BODY_START}:1: warning: download link 'The poster' does not say its format and size "
        "(add them to the link text, e.g. [The poster (PDF, 3 KB)](poster.pdf))",
    ]


def test_code_blocks_are_not_checked(tmp_path: Path) -> None:
    assert findings(tmp_path, "```\n![](x.svg)\n[here](x.md)\n```\n") == []
