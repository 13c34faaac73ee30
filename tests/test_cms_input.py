"""Loa accepts what Decap CMS writes (loa/check/fields.py `blank`, loa/check/validators.py `text`).

The texts below are what Decap 3.16 writes, byte for byte: its front matter is gray-matter around
the `yaml` package (v1) that decap-cms-core's formats/yaml.ts uses (block style, lists indented
under their key, `""` for a field the officer emptied, plain dates from the date picker, plain
text folded at 80 columns), and a campaign is that same YAML alone.
"""

from __future__ import annotations

import difflib
from pathlib import Path

import pytest

from conftest import TINY_SITE, TODAY, write_tree
from loa.cli import main
from loa.errors import ContentError
from loa.pipeline import Options, check

DECAP_MATERIAL = """\
---
title: Mười hành động phòng, chống đuối nước
summary: ""
type: fact-sheet
topics:
  - drowning-prevention
audiences:
  - families
ages: ""
sources:
  - title: Preventing drowning
    publisher: WHO
    year: 2017
    url: ""
reviewed: 2026-11-01
review_every: ""
---
## Đuối nước là gì

Trẻ cần người lớn trông chừng. Xem [danh sách kiểm tra](checklist.md).

![Một người lớn ngồi cạnh hồ nước, trông chừng hai đứa trẻ](../images/pool.svg)"""

DECAP_TRANSLATION = """\
---
title: Ten actions to prevent drowning
summary: What families can do to keep children safe around water in the summer and
  in the flood season.
type: fact-sheet
topics:
  - drowning-prevention
audiences:
  - families
sources:
  - title: Preventing drowning
    publisher: WHO
    year: 2017
reviewed: 2026-11-01
translation:
  status: draft
  note: ""
---
## What drowning is

Children need an adult watching. See the [checklist](checklist.md).
"""

DECAP_CAMPAIGN = """\
title:
  vi: Mùa hè an toàn
  en: ""
summary:
  vi: Phòng, chống đuối nước cho trẻ.
  en: Preventing drowning of children.
status: published
period:
  start: 2027-05-15
  end: 2027-08-31
topics:
  - drowning-prevention
audiences:
  - families
key_messages:
  - vi: Luôn có người lớn trông chừng trẻ khi ở gần nước.
    en: ""
materials:
  - drowning/ten-actions
  - drowning/checklist
start_here: []
events:
  - date: 2027-07-25
    title:
      vi: Ngày Thế giới phòng, chống đuối nước
      en: World Drowning Prevention Day
    place:
      vi: ""
      en: ""
image:
  src: images/pool.svg
  alt:
    vi: Một hồ nước có rào chắn
    en: ""
draft_languages: []
"""


def _reported(root: Path) -> list[str]:
    try:
        result = check(Options(root=root, out=root / "site", today=TODAY))
    except ContentError as error:
        return [str(p) for p in error.problems]
    return [str(p) for p in result.warnings]


def _problems(tmp_path: Path, changes: dict[str, str]) -> list[str]:
    """The problems `check` reports on the tiny site with `changes` that it does not report without them."""
    before = _reported(write_tree(tmp_path / "before", dict(TINY_SITE)))
    return [p for p in _reported(write_tree(tmp_path / "project", {**TINY_SITE, **changes})) if p not in before]


def test_a_material_and_a_translation_as_decap_writes_them_are_clean(tmp_path: Path) -> None:
    assert _problems(tmp_path, {"content/vi/drowning/ten-actions.md": DECAP_MATERIAL,
                                "content/en/drowning/ten-actions.md": DECAP_TRANSLATION}) == []


def test_a_campaign_as_decap_writes_it_is_clean(tmp_path: Path) -> None:
    assert _problems(tmp_path, {"campaigns/safe-summer.yml": DECAP_CAMPAIGN}) == []


def test_an_emptied_required_field_is_still_an_error_where_it_is_an_emptied_list_item_is_dropped(
        tmp_path: Path) -> None:
    material = DECAP_MATERIAL.replace("title: Mười hành động phòng, chống đuối nước", 'title: ""').replace(
        "publisher: WHO", 'publisher: ""')
    campaign = DECAP_CAMPAIGN.replace("  vi: Mùa hè an toàn\n", '  vi: ""\n').replace(
        "  - vi: Luôn có người lớn trông chừng trẻ khi ở gần nước.\n",
        '  - vi: Luôn có người lớn trông chừng trẻ khi ở gần nước.\n    en: ""\n  - vi: ""\n')
    assert [p for p in _problems(tmp_path, {"content/vi/drowning/ten-actions.md": material,
                                            "campaigns/safe-summer.yml": campaign}) if ": error: " in p] == [
        "campaigns/safe-summer.yml:2:7: error: title.vi: must not be empty",
        "content/vi/drowning/ten-actions.md:2:8: error: title: must not be empty",
        "content/vi/drowning/ten-actions.md:12:16: error: sources[0].publisher: must not be empty",
    ]


@pytest.mark.parametrize("field", ["title", "summary", "key_messages", "events.title", "events.place", "image.alt"])
def test_campaign_texts_may_be_a_plain_text_or_a_language_map(tmp_path: Path, field: str) -> None:
    """The CMS's form writes a map of languages; a plain text (one text for every language) stays valid."""
    plain = {
        "title": ("title:\n  vi: Mùa hè an toàn\n  en: \"\"\n", "title: Mùa hè an toàn\n"),
        "summary": ("summary:\n  vi: Phòng, chống đuối nước cho trẻ.\n  en: Preventing drowning of children.\n",
                    "summary: \"Phòng, chống đuối nước cho trẻ.\"\n"),
        "key_messages": ("  - vi: Luôn có người lớn trông chừng trẻ khi ở gần nước.\n    en: \"\"\n",
                         "  - Luôn có người lớn trông chừng trẻ khi ở gần nước.\n"),
        "events.title": ("    title:\n      vi: Ngày Thế giới phòng, chống đuối nước\n"
                         "      en: World Drowning Prevention Day\n", "    title: Ngày Thế giới\n"),
        "events.place": ("    place:\n      vi: \"\"\n      en: \"\"\n", "    place: Hà Giang\n"),
        "image.alt": ("  alt:\n    vi: Một hồ nước có rào chắn\n    en: \"\"\n", "  alt: Một hồ nước có rào chắn\n"),
    }[field]
    assert plain[0] in DECAP_CAMPAIGN
    assert _problems(tmp_path, {"campaigns/safe-summer.yml": DECAP_CAMPAIGN.replace(*plain)}) == []


PLAIN_CAMPAIGN = """\
# yaml-language-server: $schema=../schema/campaign.schema.json
title: Mùa hè an toàn   # the campaign's name
summary: {vi: "Phòng, chống đuối nước cho trẻ.", en: Preventing drowning of children.}
status: published
period: {start: 2027-05-15, end: 2027-08-31}
topics: [drowning-prevention]
audiences: [families]
key_messages:
  - "Luôn có người lớn trông chừng trẻ khi ở gần nước."
  - {vi: Dạy trẻ nổi., en: Teach children to float.}
materials: [drowning/ten-actions, drowning/checklist]
events:
  - {date: 2027-07-25, title: Ngày Thế giới phòng chống đuối nước, place: {vi: Hà Giang}}
image:
  src: images/pool.svg
  alt: Một hồ nước có rào chắn
"""


def test_normalise_writes_plain_texts_as_language_maps_and_keeps_the_rest(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = write_tree(tmp_path / "project", {**TINY_SITE, "campaigns/safe-summer.yml": PLAIN_CAMPAIGN})
    path = root / "campaigns" / "safe-summer.yml"
    assert main(["normalise", "--check", "--root", str(root)]) == 1
    assert capsys.readouterr().out == "campaigns/safe-summer.yml: 4 texts to write as {vi: ...}\n"
    assert path.read_text(encoding="utf-8") == PLAIN_CAMPAIGN
    assert main(["normalise", "--root", str(root)]) == 0
    assert capsys.readouterr().out == "campaigns/safe-summer.yml: 4 texts written as {vi: ...}\n"
    after = path.read_text(encoding="utf-8")
    changed = [line for line in difflib.ndiff(PLAIN_CAMPAIGN.splitlines(), after.splitlines()) if line[:1] in "+-"]
    assert changed == [
        "- title: Mùa hè an toàn   # the campaign's name",
        "+ title: {vi: Mùa hè an toàn} # the campaign's name",
        '-   - "Luôn có người lớn trông chừng trẻ khi ở gần nước."',
        '+   - {vi: "Luôn có người lớn trông chừng trẻ khi ở gần nước."}',
        "-   - {date: 2027-07-25, title: Ngày Thế giới phòng chống đuối nước, place: {vi: Hà Giang}}",
        "+   - {date: 2027-07-25, title: {vi: Ngày Thế giới phòng chống đuối nước}, place: {vi: Hà Giang}}",
        "-   alt: Một hồ nước có rào chắn",
        "+   alt: {vi: Một hồ nước có rào chắn}",
    ]
    assert _problems(tmp_path / "after", {"campaigns/safe-summer.yml": after}) == []
    assert main(["normalise", "--check", "--root", str(root)]) == 0
    assert "already" in capsys.readouterr().out


def test_normalise_reports_a_broken_campaign_at_its_line_and_writes_nothing(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    broken = "title: Mùa hè\n  vi: nửa chừng\n"
    root = write_tree(tmp_path / "project", {**TINY_SITE, "campaigns/safe-summer.yml": PLAIN_CAMPAIGN,
                                              "campaigns/broken.yml": broken})
    assert main(["normalise", "--root", str(root)]) == 1
    err = capsys.readouterr().err
    assert "campaigns/broken.yml:2:" in err and "error: not valid YAML" in err and "Traceback" not in err
    assert (root / "campaigns/broken.yml").read_text(encoding="utf-8") == broken
    assert (root / "campaigns/safe-summer.yml").read_text(encoding="utf-8") == PLAIN_CAMPAIGN  # nothing written
