"""update_yaml (loa/load/roundtrip.py): what the CMS saves changes only what the officer changed."""

from __future__ import annotations

import datetime as dt
import difflib
from pathlib import Path
from typing import Any

import yaml

from loa.load.roundtrip import clean, update_yaml

REPO = Path(__file__).resolve().parents[1]


def _as_sent(value: Any) -> Any:
    """A value as the CMS sends it: dates as ISO text (JSON has no dates)."""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _as_sent(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_as_sent(v) for v in value]
    return value


def _campaign(name: str) -> tuple[str, dict[str, Any]]:
    text = (REPO / "campaigns" / name).read_text(encoding="utf-8")
    return text, _as_sent(yaml.safe_load(text))


def _changed(before: str, after: str) -> list[str]:
    return [line for line in difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=0)
            if line[:1] in "+-" and not line.startswith(("+++", "---"))]


def test_the_same_data_gives_the_same_file() -> None:
    for path in sorted((REPO / "campaigns").glob("*.yml")):
        text, data = _campaign(path.name)
        assert update_yaml(text, data) == text, path.name


def test_one_key_message_changes_one_line_and_keeps_the_comments() -> None:
    text, data = _campaign("safe-summer-2026.yml")
    data["key_messages"][1]["vi"] = "Rơi xuống nước thì nằm ngửa, thả lỏng và gọi người giúp."
    after = update_yaml(text, data)
    assert _changed(text, after) == [
        "-  - {vi: Rơi xuống nước thì nằm ngửa như ngôi sao và gọi người giúp., en: \"If you fall in, float on your "
        "back like a star and call for help.\"}",
        "+  - {vi: 'Rơi xuống nước thì nằm ngửa, thả lỏng và gọi người giúp.', en: \"If you fall in, float on your "
        "back like a star and call for help.\"}",
    ]
    assert "# yaml-language-server: $schema=../schema/campaign.schema.json" in after
    assert "# shown first on the campaign's page" in after
    assert yaml.safe_load(after)["key_messages"][1]["vi"].endswith("thả lỏng và gọi người giúp.")


def test_a_block_message_changes_its_own_line_and_an_edited_quoted_text_keeps_its_quotes() -> None:
    text, data = _campaign("safe-summer-2027.yml")
    data["key_messages"][1]["en"] = "Cover wells and jars."
    data["key_messages"][3]["vi"] = "Thấy người đuối nước: với tới hoặc ném, không nhảy xuống."
    assert _changed(text, update_yaml(text, data)) == [
        "-    en: Cover wells, water jars and tanks, and fence ponds near the house.",
        "+    en: Cover wells and jars.",
        "-  - vi: \"Thấy người đuối nước: với tới hoặc ném, đừng nhảy xuống.\"",
        "+  - vi: \"Thấy người đuối nước: với tới hoặc ném, không nhảy xuống.\"",
    ]


def test_empty_text_and_empty_language_entries_are_dropped() -> None:
    text, data = _campaign("safe-summer-2027.yml")
    data["summary"]["hmn"] = ""
    data["key_messages"].append({"vi": "", "en": "", "hmn": ""})
    data["events"][0]["place"] = {"vi": "", "en": ""}
    data["start_here"] = []
    after = update_yaml(text, data)
    loaded = yaml.safe_load(after)
    assert set(loaded["summary"]) == {"vi", "en"}
    assert len(loaded["key_messages"]) == 4
    assert "place" not in loaded["events"][0]
    assert "start_here" not in loaded
    assert "''" not in after
    assert "# the Hmong texts await review by a native speaker" in after


def test_keys_missing_from_the_data_are_removed_and_new_keys_follow_the_old_ones() -> None:
    text, data = _campaign("safer-internet-2027.yml")
    del data["start_here"]
    data["draft_languages"] = ["en"]
    after = update_yaml(text, data)
    assert "start_here" not in after
    assert list(yaml.safe_load(after))[-1] == "draft_languages"
    assert after.endswith("draft_languages:\n  - en\n")


def test_a_plain_string_replaces_a_language_map_and_the_reverse() -> None:
    text = "# a comment\ntitle: {vi: Một, en: One}  # the name\nsummary: Chỉ tiếng Việt.\nstatus: draft\n"
    after = update_yaml(text, {"title": "Một", "summary": {"vi": "Chỉ tiếng Việt.", "en": "Only Vietnamese."},
                               "status": "draft"})
    assert yaml.safe_load(after) == {"title": "Một", "summary": {"vi": "Chỉ tiếng Việt.", "en": "Only Vietnamese."},
                                     "status": "draft"}
    assert after.startswith("# a comment\n")
    assert "status: draft\n" in after


def test_dates_stay_dates_and_unchanged_dates_are_untouched() -> None:
    text, data = _campaign("safer-internet-2027.yml")
    data["period"]["end"] = "2027-02-28"
    data["events"][0]["date"] = "2027-02-10"
    after = update_yaml(text, data)
    loaded = yaml.safe_load(after)
    assert loaded["period"] == {"start": dt.date(2026, 11, 1), "end": dt.date(2027, 2, 28)}
    assert loaded["events"][0]["date"] == dt.date(2027, 2, 10)
    assert "period: {start: 2026-11-01, end: 2027-02-28}\n" in after


def test_clean_keeps_what_is_given_and_normalises_to_nfc() -> None:
    assert clean({"a": "", "b": "  ", "c": None, "d": [], "e": {"vi": ""}, "f": 0, "g": False}) == {"f": 0, "g": False}
    assert clean({"t": "Vie\u0302\u0323t"}) == {"t": "Việt"}
    assert clean({}) is None
