"""Bad input: every problem listed at once, as `path:line:col: error: message (hint)`, exactly."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import CAMPAIGN, MATERIAL_EN, SETTINGS, TINY_SITE, TODAY, problems, write_tree
from loa.errors import ContentError
from loa.pipeline import Options, check

CAMPAIGN_FILE = "campaigns/safe-summer.yml"


def test_yaml_syntax_error_has_the_parser_line(tmp_path: Path) -> None:
    assert problems(tmp_path, {CAMPAIGN_FILE: "title: {vi: a, en: b\nstatus: published\n"}) == [
        "campaigns/safe-summer.yml:2:7: error: YAML syntax: while parsing a flow mapping expected ',' or '}', "
        "but got ':' (check indentation and quote text that contains ': ' or '#')",
    ]


def test_wrong_type_and_unknown_key(tmp_path: Path) -> None:
    text = CAMPAIGN.replace("topics: [drowning-prevention]", "topics: drowning-prevention").replace(
        "summary:", "summery:")
    assert problems(tmp_path, {CAMPAIGN_FILE: text}) == [
        "campaigns/safe-summer.yml:1:1: error: summary: missing (add 'summary:')",
        "campaigns/safe-summer.yml:2:1: error: summery: unknown key 'summery' (did you mean 'summary'? known: "
        "audiences, draft_languages, events, image, key_messages, materials, period, start_here, status, summary, "
        "title, topics)",
        "campaigns/safe-summer.yml:5:9: error: topics: expected a list, found 'drowning-prevention' "
        "(write a list as [a, b] or with '- ' lines)",
    ]


def test_references_dates_and_alt_text_all_reported_together(tmp_path: Path) -> None:
    text = (CAMPAIGN
            .replace("topics: [drowning-prevention]", "topics: [drowning]")
            .replace("materials: [drowning/ten-actions, drowning/checklist]",
                     "materials: [drowning/ten-action, ../../etc/passwd, drowning/checklist, drowning/checklist]")
            .replace("end: 2027-08-31", "end: 2027-02-30")
            .replace("title: {vi: Mùa hè an toàn, en: A safe summer}",
                     "title: {en: A safe summer}\nimage: {src: images/x.svg}"))
    assert problems(tmp_path, {CAMPAIGN_FILE: text}) == [
        "campaigns/safe-summer.yml:1:8: error: title: missing text in the default language 'vi' (add 'vi: ...')",
        "campaigns/safe-summer.yml:2:8: error: image.alt: missing (add 'alt:')",
        "campaigns/safe-summer.yml:5:34: error: period.end: '2027-02-30' is not a real date "
        "(day is out of range for month) (check the day and the month)",
        "campaigns/safe-summer.yml:6:10: error: topics[0]: unknown topic 'drowning' (known: drowning-prevention)",
        "campaigns/safe-summer.yml:10:13: error: materials[0]: no material 'drowning/ten-action' (did you mean "
        "'drowning/ten-actions'? expected content/vi/drowning/ten-action.md; known: drowning/checklist, "
        "drowning/ten-actions)",
        "campaigns/safe-summer.yml:10:34: error: materials[1]: '../../etc/passwd' is outside content/ "
        "(write the path inside content/<lang>/ without '../', e.g. drowning/ten-actions)",
        "campaigns/safe-summer.yml:10:72: error: materials[3]: 'drowning/checklist' is listed twice",
    ]


def test_start_here_names_one_or_two_of_the_campaigns_materials(tmp_path: Path) -> None:
    text = (CAMPAIGN.replace("materials: [drowning/ten-actions, drowning/checklist]", "materials: [drowning/checklist]")
            + "start_here: [drowning/ten-actions, drowning/checklist, drowning/ten-action]\n")
    assert problems(tmp_path, {CAMPAIGN_FILE: text}) == [
        "campaigns/safe-summer.yml:12:13: error: start_here: 3 materials; at most two "
        "(choose the one or two that a reader should read first)",
        "campaigns/safe-summer.yml:12:14: error: start_here[0]: 'drowning/ten-actions' is not one of the campaign's "
        "materials (add it to materials, or choose one of: drowning/checklist)",
        "campaigns/safe-summer.yml:12:56: error: start_here[2]: no material 'drowning/ten-action' (did you mean "
        "'drowning/ten-actions'? expected content/vi/drowning/ten-action.md; known: drowning/checklist, "
        "drowning/ten-actions)",
    ]


def test_duplicate_key_and_end_before_start(tmp_path: Path) -> None:
    text = CAMPAIGN.replace("end: 2027-08-31", "end: 2027-04-30").replace(
        "status: published", "status: published\nstatus: draft")
    assert problems(tmp_path, {CAMPAIGN_FILE: text}) == [
        "campaigns/safe-summer.yml:4:1: error: duplicate key 'status' (first defined at line 3; remove one of them)",
        "campaigns/safe-summer.yml:5:34: error: period.end: 2027-04-30 is before period.start 2027-05-15 "
        "(swap the dates or correct the year)",
    ]


def test_comma_in_flow_mapping_gets_a_hint(tmp_path: Path) -> None:
    text = CAMPAIGN.replace('summary: {vi: "Phòng, chống đuối nước cho trẻ."', "summary: {vi: Phòng, chống đuối nước")
    assert problems(tmp_path, {CAMPAIGN_FILE: text}) == [
        "campaigns/safe-summer.yml:2:22: error: summary: unknown language 'chống đuối nước' "
        "(a comma inside {...} starts a new key: put the text in quotes)",
    ]


def test_language_tag_must_be_bcp47(tmp_path: Path) -> None:
    settings = SETTINGS.replace("      en: {name: English}", "      EN: {name: English}")
    errors = problems(tmp_path, {"mkdocs.yml": settings})
    assert "mkdocs.yml:15:7: error: extra.loa.languages: 'EN' is not a BCP 47 language tag (use a lowercase " \
           "2- or 3-letter code such as 'vi', 'en' or 'hmn')" in errors


def test_three_letter_codes_are_valid(tmp_path: Path) -> None:
    settings = SETTINGS.replace("      en: {name: English}\n", "      en: {name: English}\n      hmn: {name: Hmoob}\n")
    root = write_tree(tmp_path / "project", {**TINY_SITE, "mkdocs.yml": settings})
    result = check(Options(root=root, out=root / "site", today=TODAY))
    assert "hmn" in result.site.settings.codes


def test_front_matter_problems_point_into_the_markdown_file(tmp_path: Path) -> None:
    english = MATERIAL_EN.replace("type: fact-sheet", "type: factsheet").replace(
        "audiences: [families]", "audiences: [parents]")
    assert problems(tmp_path, {"content/en/drowning/ten-actions.md": english,
                               "content/vi/audiences/families.md": "---\ntitle: [Gia đình\n---\n"}) == [
        "content/en/drowning/ten-actions.md:4:7: error: type: 'factsheet' is not allowed (did you mean "
        "'fact-sheet'? known: checklist, fact-sheet, faq, guide, lesson-plan, page, poster, story)",
        "content/en/drowning/ten-actions.md:6:13: error: audiences[0]: unknown audience 'parents' (known: families)",
        "content/vi/audiences/families.md:2:17: error: YAML syntax: while parsing a flow sequence expected ',' or "
        "']', but got '<stream end>' (check indentation and quote text that contains ': ' or '#')",
    ]


def test_file_names_must_be_slugs(tmp_path: Path) -> None:
    errors = problems(tmp_path, {"content/vi/drowning/Đuối nước.md": "---\ntitle: x\ntype: guide\n---\n"})
    assert errors == ["content/vi/drowning/Đuối nước.md:1:1: error: file name 'Đuối nước' is not a URL slug "
                      "(rename to content/vi/drowning/duoi-nuoc.md (lowercase ASCII letters, digits and '-'))"]


def test_duplicate_campaign_ids(tmp_path: Path) -> None:
    assert problems(tmp_path, {"campaigns/safe-summer.yaml": CAMPAIGN}) == [
        "campaigns/safe-summer.yml:1:1: error: duplicate campaign id 'safe-summer' "
        "(campaigns/safe-summer.yaml has the same id; rename or remove one of them)",
    ]


def test_missing_translation_is_a_warning_and_strict_makes_it_fail(tiny_site: Path) -> None:
    result = check(Options(root=tiny_site, out=tiny_site / "site", today=TODAY))
    assert [str(w) for w in result.warnings] == [
        "content/vi/drowning/checklist.md:1:1: warning: no 'en' translation; readers get the vi version "
        "(add content/en/drowning/checklist.md, or mark the language 'partial: true' in mkdocs.yml)"]
    with pytest.raises(ContentError):
        check(Options(root=tiny_site, out=tiny_site / "site", today=TODAY, strict=True))


@pytest.mark.parametrize("path", ["search", "pagefind", "pagefind/x"])
def test_generated_paths_are_reserved(tmp_path: Path, path: str) -> None:
    assert problems(tmp_path, {f"content/vi/{path}.md": "---\ntitle: Tìm\ntype: page\n---\n"}) == [
        f"content/vi/{path}.md:1:1: error: this path is taken by a page that Loa generates "
        "(rename the file; campaigns/, search, topics/index, audiences/index and the search index folder "
        "pagefind/ are generated)"]


def test_paths_like_the_search_folder_are_free(tmp_path: Path) -> None:
    page = "---\ntitle: Tìm\ntype: page\n---\n"
    root = write_tree(tmp_path / "project", {**TINY_SITE, "content/vi/pagefind-tips.md": page})
    assert "pagefind-tips" in check(Options(root=root, out=root / "site", today=TODAY)).site.documents
