"""What a first build (no cache) does once per build instead of once per page, and that the pages stay the same."""

from __future__ import annotations

from pathlib import Path

import markdown  # type: ignore[import-untyped]
import pytest

from conftest import SETTINGS, BuildSite

DEFINES = """\
---
title: {title}
type: page
---

## Chung

Gọi [đường dây][{mine}] khi cần.[^1] WHO nói vậy.

[{mine}]: https://{mine}.example.org/

[^1]: Ghi chú của {mine}.

*[WHO]: Tổ chức Y tế Thế giới
"""
USES = "\n\nCòn [đường dây][{other}] thì sao?[^2]\n"


def test_one_markdown_converter_per_build_and_no_page_sees_another(
        tiny_site: Path, build_site: BuildSite, monkeypatch: pytest.MonkeyPatch) -> None:
    """Two pages that each define a reference link, a footnote and an abbreviation, and use the other's
    reference: whichever is converted second would show the first's if the shared converter kept them."""
    (tiny_site / "mkdocs.yml").write_text(SETTINGS.replace("  - toc:\n", "  - footnotes\n  - abbr\n  - toc:\n"),
                                          encoding="utf-8")
    for mine, other in (("a", "b"), ("b", "a")):
        (tiny_site / f"content/vi/{mine}.md").write_text(
            DEFINES.format(title=f"Trang {mine}", mine=mine) + USES.format(other=other), encoding="utf-8")
    made = []
    real_init = markdown.Markdown.__init__

    def counted(self: markdown.Markdown, *args: object, **kwargs: object) -> None:
        made.append(kwargs.get("extensions"))
        real_init(self, *args, **kwargs)
    monkeypatch.setattr(markdown.Markdown, "__init__", counted)
    build_site(tiny_site, cache_dir=None)
    converters = [extensions for extensions in made if extensions and "footnotes" in map(str, extensions)]
    assert len(converters) == 2  # one per language (jobs=1: each language one build), not one per page
    for mine, other in (("a", "b"), ("b", "a")):
        html = (tiny_site / f"site/vi/{mine}/index.html").read_text(encoding="utf-8")
        assert f'href="https://{mine}.example.org/"' in html
        assert f"https://{other}.example.org/" not in html  # the other page's reference is not defined here
        assert f"[đường dây][{other}]" in html
        assert f"Ghi chú của {mine}." in html and f"Ghi chú của {other}." not in html
        assert "[^2]" in html  # a footnote defined nowhere stays text
        assert '<abbr title="Tổ chức Y tế Thế giới">WHO</abbr>' in html
        assert html.count('id="chung"') == 1  # the heading's id is not taken by the other page's
