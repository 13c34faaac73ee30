"""The officer's desk (README, "The officer's desk"): `new`, `translations`, on tiny real sites."""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path

import jsonschema
import pytest

from conftest import TODAY, BuildSite
from loa.check.freshness import normalised, translation_text
from loa.check.reviews import add_months
from loa.cli import main
from loa.errors import ContentError
from loa.pipeline import Options, check
from loa.serve.rebuild import Rebuilder


def desk(root: Path, *args: str) -> int:
    return main([*args, "--root", str(root), "--today", TODAY.isoformat()])


def warnings(root: Path) -> list[str]:
    return [str(p) for p in check(Options(root=root, out=root / "site", today=TODAY)).warnings]


def test_new_material_lists_what_to_fill_then_passes_once_filled(tiny_site: Path,
                                                                 capsys: pytest.CaptureFixture[str]) -> None:
    assert desk(tiny_site, "new", "material", "drowning/pond-safety", "--type", "checklist") == 0
    out, err = capsys.readouterr()
    path = tiny_site / "content/vi/drowning/pond-safety.md"
    text = path.read_text(encoding="utf-8")
    assert "wrote content/vi/drowning/pond-safety.md" in out and "fill in next:" in out
    assert "content/vi/drowning/pond-safety.md:2:8: error: title: must not be empty" in err
    assert "sources[0].publisher: must not be empty" in err
    assert "type: checklist\n" in text and f"reviewed: {TODAY.isoformat()}\n" in text
    assert "# known topics: drowning-prevention\n" in text and "# known audiences: families\n" in text
    filled = text.replace('title: ""\n', "title: Ao hồ quanh nhà\n").replace('summary: ""', "summary: Rào ao.") \
        .replace('{title: "", publisher: ""', "{title: Preventing drowning, publisher: WHO") \
        .replace("topics: []", "topics: [drowning-prevention]") + "- Rào ao hồ.\n"
    path.write_text(filled, encoding="utf-8")
    assert not [w for w in warnings(tiny_site) if "pond-safety.md" in w and "translation" not in w]


def test_new_refuses_to_overwrite(tiny_site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = (tiny_site / "content/vi/drowning/ten-actions.md").read_text(encoding="utf-8")
    assert desk(tiny_site, "new", "material", "drowning/ten-actions") == 1
    assert "content/vi/drowning/ten-actions.md:1:1: error: already exists; not overwritten" in capsys.readouterr().err
    assert (tiny_site / "content/vi/drowning/ten-actions.md").read_text(encoding="utf-8") == before
    assert desk(tiny_site, "new", "campaign", "safe-summer") == 1
    assert desk(tiny_site, "new", "translation", "en", "drowning/ten-actions") == 1
    assert desk(tiny_site, "new", "material", "Drowning/Pond") == 1
    assert desk(tiny_site, "new", "translation", "vi", "drowning/checklist") == 1
    assert desk(tiny_site, "new", "campaign", "a", "b") == 2


def test_new_campaign_passes_check_once_filled(tiny_site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert desk(tiny_site, "new", "campaign", "winter-2027") == 0
    err = capsys.readouterr().err
    assert "campaigns/winter-2027.yml:3:13: error: title.vi: must not be empty" in err
    path = tiny_site / "campaigns/winter-2027.yml"
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=../schema/campaign.schema.json\n")
    assert "status: draft\n" in text and "period: {start: 2026-12-01, end: 2026-12-31}" in text
    path.write_text(text.replace('title: {vi: ""}', "title: {vi: Mùa đông}").replace('summary: {vi: ""}',
                    "summary: {vi: Giữ ấm cho trẻ.}"), encoding="utf-8")
    assert not [w for w in warnings(tiny_site) if "winter-2027" in w]


def test_new_translation_copies_the_original_as_a_draft(tiny_site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert desk(tiny_site, "new", "translation", "en", "drowning/checklist") == 0
    assert "it passes 'python build.py check'" in capsys.readouterr().out
    text = (tiny_site / "content/en/drowning/checklist.md").read_text(encoding="utf-8")
    original = (tiny_site / "content/vi/drowning/checklist.md").read_text(encoding="utf-8")
    assert "translation: {status: draft, follows: " in text
    assert [line for line in text.split("\n") if not line.startswith("translation:")] == original.split("\n")
    assert not [w for w in warnings(tiny_site) if "checklist" in w]
    assert desk(tiny_site, "translations") == 0
    assert "en\tdraft\tdrowning/checklist" in capsys.readouterr().out


ORIGINAL = "content/vi/drowning/ten-actions.md"


def test_an_edited_sentence_makes_the_translation_behind_until_marked(tiny_site: Path,
                                                                     capsys: pytest.CaptureFixture[str]) -> None:
    assert desk(tiny_site, "translations", "--mark", "en", "drowning/ten-actions") == 0
    text = (tiny_site / "content/en/drowning/ten-actions.md").read_text(encoding="utf-8")
    assert "translation: {status: reviewed, follows: " in text
    assert not [w for w in warnings(tiny_site) if "behind" in w]
    path = tiny_site / ORIGINAL
    path.write_text(path.read_text(encoding="utf-8").replace("Trẻ cần người lớn", "Trẻ nhỏ luôn cần người lớn"),
                    encoding="utf-8")
    behind = [w for w in warnings(tiny_site) if "behind" in w]
    assert behind == ["content/en/drowning/ten-actions.md:1:1: warning: behind its original "
                      "content/vi/drowning/ten-actions.md, which changed since this translation was marked up to "
                      "date (see 'python build.py translations --lang en', update the text, then run "
                      "'python build.py translations --mark en drowning/ten-actions')"]
    capsys.readouterr()
    assert desk(tiny_site, "translations", "--lang", "en") == 0
    listed = capsys.readouterr().out
    changed = dt.datetime.fromtimestamp(path.stat().st_mtime, dt.UTC).date()  # the original's day, not --today
    assert f"en\tbehind\tdrowning/ten-actions since {changed.isoformat()}: " in listed
    assert '+2 -0 words, first: "" -> "nhỏ luôn"' in listed
    assert desk(tiny_site, "translations", "--mark", "en", "drowning/ten-actions") == 0
    assert not [w for w in warnings(tiny_site) if "behind" in w]
    assert (tiny_site / "content/en/drowning/ten-actions.md").read_text(encoding="utf-8").count("follows:") == 1


def test_cosmetic_edits_do_not_make_a_translation_behind(tiny_site: Path) -> None:
    assert desk(tiny_site, "translations", "--mark", "en", "drowning/ten-actions") == 0
    path = tiny_site / ORIGINAL
    text = path.read_text(encoding="utf-8")
    cosmetic = text.replace("## Đuối nước là gì\n\n", "## Đuối nước  là gì\n\n\n") \
        .replace("](checklist.md)", "](checklist.md#top)").replace("reviewed: 2026-11-01", "reviewed: 2026-11-20") \
        .replace("Trẻ cần người lớn trông chừng.", "Trẻ cần người lớn\n  trông chừng.   ")
    assert cosmetic != text
    path.write_text(cosmetic, encoding="utf-8")
    assert not [w for w in warnings(tiny_site) if "behind" in w]


def test_normalisation() -> None:
    assert normalised("T", "S", "a  b\n\nc") == normalised("T", "S", " a b c ")
    assert normalised("T", "", "[x](a.md) ![y](b.svg \"t\")\n[r]: https://a.example") == \
        normalised("T", "", "[x](c.md#z) ![y](d.svg)\n[r]: https://b.example 'T'")
    assert normalised("T", "", "[x](a.md)") != normalised("T", "", "[z](a.md)")
    assert normalised("T", "", "a") != normalised("T2", "", "a")


def test_mark_adds_follows_to_a_block_mapping(tiny_site: Path) -> None:
    path = tiny_site / "content/en/drowning/ten-actions.md"
    path.write_text(path.read_text(encoding="utf-8").replace("reviewed: 2026-11-01\n",
                    "reviewed: 2026-11-01\ntranslation:\n  status: draft\n  note: A first draft.\n"), encoding="utf-8")
    assert desk(tiny_site, "translations", "--mark", "en", "drowning/ten-actions") == 0
    text = path.read_text(encoding="utf-8")
    assert "translation:\n  follows: " in text and "  status: draft\n  note: A first draft.\n" in text
    assert not [w for w in warnings(tiny_site) if "behind" in w]


def test_a_page_behind_its_original_says_so_in_the_readers_language(tiny_site: Path, build_site: BuildSite) -> None:
    assert desk(tiny_site, "translations", "--mark", "en", "drowning/ten-actions") == 0
    build_site(tiny_site)
    page = (tiny_site / "site/en/drowning/ten-actions/index.html").read_text(encoding="utf-8")
    assert "loa-behind" not in page
    path = tiny_site / ORIGINAL
    path.write_text(path.read_text(encoding="utf-8").replace("Trẻ cần", "Trẻ nhỏ cần"), encoding="utf-8")
    os.utime(path, (0, dt.datetime(2026, 11, 20, 12, tzinfo=dt.UTC).timestamp()))
    build_site(tiny_site)
    page = (tiny_site / "site/en/drowning/ten-actions/index.html").read_text(encoding="utf-8")
    assert ('<aside class="admonition loa-behind" role="note"><p>The original of this page was updated on '
            'November 20, 2026. This translation may not include the changes yet.\n'
            '      <a href="../../../vi/drowning/ten-actions/" hreflang="vi">Read the original</a></p></aside>') in page
    assert "loa-behind" not in (tiny_site / "site/vi/drowning/ten-actions/index.html").read_text(encoding="utf-8")


def test_add_months_keeps_the_day_or_the_months_last() -> None:
    assert add_months(dt.date(2025, 11, 1), 12) == dt.date(2026, 11, 1)
    assert add_months(dt.date(2026, 1, 31), 1) == dt.date(2026, 2, 28)
    assert add_months(dt.date(2026, 11, 30), 3) == dt.date(2027, 2, 28)


def test_a_material_past_its_review_date_warns_and_fails_with_strict(tiny_site: Path) -> None:
    assert not [w for w in warnings(tiny_site) if "due for review" in w]
    path = tiny_site / "content/vi/drowning/checklist.md"
    path.write_text(path.read_text(encoding="utf-8").replace("reviewed: 2026-11-01", "reviewed: 2025-11-30"),
                    encoding="utf-8")
    due = ("content/vi/drowning/checklist.md:1:1: warning: facts due for review since 2026-11-30 (reviewed "
           "2025-11-30, every 12 months) (have a reviewer check the facts and sources, then set 'reviewed:' to "
           "that day)")
    assert due in warnings(tiny_site)
    with pytest.raises(ContentError) as caught:
        check(Options(root=tiny_site, out=tiny_site / "site", today=TODAY, strict=True))
    assert due in [str(p) for p in caught.value.problems]
    # a longer cycle of its own puts it off; a shorter one of the site brings the others forward
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("type: checklist\n", "type: checklist\nreview_every: 24\n"), encoding="utf-8")
    assert not [w for w in warnings(tiny_site) if "due for review" in w]
    settings = tiny_site / "mkdocs.yml"
    settings.write_text(settings.read_text(encoding="utf-8").replace("    default_language: vi\n",
                        "    default_language: vi\n    review_every: 1\n"), encoding="utf-8")
    assert [w.split(" (have")[0] for w in warnings(tiny_site) if "due for review" in w] == \
        ["content/vi/drowning/ten-actions.md:1:1: warning: facts due for review since 2026-12-01 (reviewed "
         "2026-11-01, every 1 month)"]


def test_the_page_shows_the_next_review_date_in_the_readers_language(tiny_site: Path, build_site: BuildSite) -> None:
    build_site(tiny_site)
    vi = (tiny_site / "site/vi/drowning/ten-actions/index.html").read_text(encoding="utf-8")
    en = (tiny_site / "site/en/drowning/ten-actions/index.html").read_text(encoding="utf-8")
    assert "Content checked on November 1, 2026 · next review due November 1, 2027</p>" in en
    assert "kỳ kiểm tra tiếp theo: 1 tháng 11, 2027</p>" in vi


REPO_ROOT = Path(__file__).resolve().parents[1]


def test_editors_get_the_schemas_of_the_settings_and_campaigns() -> None:
    """VS Code's YAML extension (`yaml.schemas`) and the `# yaml-language-server:` line of each sample
    campaign name the committed schema files; tests/test_schema.py checks those validate the sample."""
    wired = json.loads((REPO_ROOT / ".vscode/settings.json").read_text(encoding="utf-8"))["yaml.schemas"]
    matched: dict[str, set[str]] = {}
    for schema, globs in wired.items():
        assert (REPO_ROOT / schema).is_file(), schema
        for glob in globs:
            matched.setdefault(Path(schema).name, set()).update(p.name for p in REPO_ROOT.glob(glob))
    campaigns = sorted((REPO_ROOT / "campaigns").glob("*.yml"))
    assert matched == {"settings.schema.json": {"mkdocs.yml"}, "campaign.schema.json": {p.name for p in campaigns}}
    for path in [REPO_ROOT / "mkdocs.yml", *campaigns]:
        first = path.read_text(encoding="utf-8").split("\n", 1)[0]
        assert first.startswith("# yaml-language-server: $schema="), path
        assert (path.parent / first.split("=", 1)[1]).resolve().is_file(), path


@pytest.mark.parametrize(("name", "data", "expected"), [
    ("front-matter", {"title": "t", "review_every": 0}, "0 is less than the minimum of 1"),
    ("front-matter", {"title": "t", "translation": {"status": "reviewed", "follows": "v2"}}, "'v2' does not match"),
    ("front-matter", {"title": "t", "translation": {"follows": "0123456789ab"}}, "'status' is a required property"),
    ("settings", {"extra": {"loa": {"review_every": "yearly"}}}, "'yearly' is not of type 'integer'"),
])
def test_the_schemas_reject_broken_desk_fields(name: str, data: dict[str, object], expected: str) -> None:
    schema = json.loads((REPO_ROOT / "schema" / f"{name}.schema.json").read_text(encoding="utf-8"))
    errors = [e.message for e in jsonschema.Draft7Validator(schema).iter_errors(data)]
    assert any(expected in e for e in errors), errors


def test_the_report_counts_match_a_hand_count(tiny_site: Path, tmp_path: Path) -> None:
    """The tiny site (tests/conftest.py): one campaign of two materials; ten-actions (fact-sheet) in vi and en,
    checklist (checklist) in vi only; both about drowning-prevention, for families, no age band."""
    checklist = tiny_site / "content/vi/drowning/checklist.md"
    checklist.write_text(checklist.read_text(encoding="utf-8").replace("reviewed: 2026-11-01", "reviewed: 2025-06-01"),
                         encoding="utf-8")
    assert desk(tiny_site, "translations", "--mark", "en", "drowning/ten-actions") == 0
    out = tmp_path / "report"
    assert desk(tiny_site, "report", "--out", str(out)) == 0
    assert (out / "products.csv").read_text(encoding="utf-8") == (
        "campaign,dimension,value,count\n"
        "safe-summer,materials,all,2\n"
        "safe-summer,type,checklist,1\n"
        "safe-summer,type,fact-sheet,1\n"
        "safe-summer,topic,drowning-prevention,2\n"
        "safe-summer,audience,families,2\n"
        "safe-summer,age band,(none),2\n"
        "safe-summer,language,vi,2\n"
        "safe-summer,language,en,1\n"
        "safe-summer,channel,web page,3\n"
        # a fact sheet in vi and en and a checklist in vi: three A4 PDFs (loa/plan/print.py), three share images
        "safe-summer,channel,\"PDF, A4\",3\n"
        "safe-summer,channel,share image,3\n")
    assert (out / "translations.csv").read_text(encoding="utf-8") == (
        "language,up to date,behind,unmarked,draft,missing,documents\n"
        "en,1,0,2,0,1,4\n")
    assert (out / "reviews.csv").read_text(encoding="utf-8") == (
        "material,reviewed,review_every,due,state\n"
        "drowning/checklist,2025-06-01,12,2026-06-01,due\n"
        "drowning/ten-actions,2026-11-01,12,2027-11-01,ok\n")
    assert (out / "problems.csv").read_text(encoding="utf-8") == (
        "severity,path,line,column,message,hint\n"
        "warning,content/vi/drowning/checklist.md,1,1,\"facts due for review since 2026-06-01 (reviewed 2025-06-01, "
        "every 12 months)\",\"have a reviewer check the facts and sources, then set 'reviewed:' to that day\"\n"
        "warning,content/vi/drowning/checklist.md,1,1,no 'en' translation; readers get the vi version,\"add "
        "content/en/drowning/checklist.md, or mark the language 'partial: true' in mkdocs.yml\"\n")
    page = (out / "index.html").read_text(encoding="utf-8")
    assert "<td>safe-summer</td><td>channel</td><td>web page</td><td>3</td>" in page
    assert not (tiny_site / "site").exists()


def test_a_new_translation_replaces_the_originals_own_translation_block() -> None:
    original = "---\ntitle: T\ntranslation:\n  status: reviewed\n  note: n\nreviewed: 2026-11-01\n---\n\nText\n"
    assert translation_text(original, "0123456789ab") == (
        "---\ntitle: T\nreviewed: 2026-11-01\ntranslation: {status: draft, follows: 0123456789ab}\n---\n\nText\n")


def test_serve_shows_the_notice_when_the_original_is_saved(tiny_site: Path, tmp_path: Path) -> None:
    assert desk(tiny_site, "translations", "--mark", "en", "drowning/ten-actions") == 0
    options = Options(root=tiny_site, out=tiny_site / "site", today=TODAY, cache_dir=tmp_path / "cache")
    rebuilder = Rebuilder(options, lambda _message: None)
    try:
        assert rebuilder.full().full
        path = tiny_site / ORIGINAL
        path.write_text(path.read_text(encoding="utf-8").replace("Trẻ cần", "Trẻ nhỏ cần"), encoding="utf-8")
        update = rebuilder.update([path])
        assert not update.texts_only  # the translation's page changes too, not only the saved text's
        assert "en" in update.rendered and "drowning/ten-actions.md" in update.rendered["en"]
        page = (tiny_site / "site/en/drowning/ten-actions/index.html").read_text(encoding="utf-8")
        assert "loa-behind" in page
    finally:
        rebuilder.close()
