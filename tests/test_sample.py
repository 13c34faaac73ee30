"""The sample site in this repository builds cleanly and reads as designed."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from conftest import REPO
from loa.pipeline import BuildResult, Options, build

SAMPLE_TODAY = dt.date(2026, 12, 1)


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> tuple[BuildResult, Path]:
    out = tmp_path_factory.mktemp("sample") / "site"
    result = build(Options(root=REPO, out=out, today=SAMPLE_TODAY, strict=True))
    return result, out


def test_sample_builds_strict_without_warnings(sample: tuple[BuildResult, Path]) -> None:
    result, out = sample
    assert result.warnings == ()
    assert len(result.site.campaigns) >= 4
    materials = [d for d in result.site.documents.values() if d.kind == "material"]
    assert len(materials) >= 30
    assert all({"vi", "en"} <= set(d.translations) for d in materials)
    assert (out / "vi/index.html").is_file() and (out / "hmn/index.html").is_file()


def test_sample_campaign_phases_on_the_reference_day(sample: tuple[BuildResult, Path]) -> None:
    result, _out = sample
    phases = {c.id: c.phase(SAMPLE_TODAY) for c in result.site.campaigns}
    assert set(phases.values()) == {"running", "upcoming", "ended"}


def test_sample_hmn_shows_draft_and_fallback(sample: tuple[BuildResult, Path]) -> None:
    _result, out = sample
    home = (out / "hmn/index.html").read_text(encoding="utf-8")
    assert '<html lang="hmn"' in home and "loa-draft" in home
    material = (out / "hmn/drowning/ten-actions/index.html").read_text(encoding="utf-8")
    assert '<div lang="vi">' in material and 'content="noindex"' in material


def test_sample_hmn_campaign_texts_are_marked_draft(sample: tuple[BuildResult, Path]) -> None:
    _result, out = sample
    campaign = (out / "hmn/campaigns/safe-summer-2027/index.html").read_text(encoding="utf-8")
    assert "loa-draft" in campaign
    assert "loa-draft" not in (out / "vi/campaigns/safe-summer-2027/index.html").read_text(encoding="utf-8")
