"""What search indexes of a page: its own text, not the cards of the other pages it lists (loa/outputs/search.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import BuildSite


def test_a_topic_page_is_indexed_by_its_own_text_not_by_its_materials_cards(
        tiny_site: Path, build_site: BuildSite, monkeypatch: pytest.MonkeyPatch) -> None:
    from loa import outputs

    monkeypatch.setattr(outputs, "REGISTRY", [o for o in outputs.REGISTRY if o.name != "print"])  # not needed here
    build_site(tiny_site, cache_dir=tiny_site / ".loa-cache")
    built = (tiny_site / "site/vi/topics/drowning-prevention/index.html").read_text(encoding="utf-8")
    kept = tiny_site / ".loa-cache/search/vi"
    topic = (kept / "topics/drowning-prevention/index.html").read_text(encoding="utf-8")
    material = (kept / "drowning/ten-actions/index.html").read_text(encoding="utf-8")
    title = "Mười hành động"  # the material's title: on its card in the topic's page, and in its own document
    assert 'class="loa-cards loa-cards--materials"' in built and title in built
    assert "Giới thiệu." in topic and "loa-cards--materials" not in topic and title not in topic
    assert title in material
    campaign = (kept / "campaigns/safe-summer/index.html").read_text(encoding="utf-8")
    assert "loa-cards--materials" not in campaign and "Mùa hè an toàn" in campaign
