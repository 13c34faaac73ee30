"""Checks on the sample content shipped with Loa (campaigns/ and content/).

The sample is read and validated by Loa itself (loa/load/project.py, loa/check/validate.py: the schema declared in
loa/check/fields.py); these tests then hold what the schema cannot: enough content, in vi and en, with sources,
alt text, working links and short sentences for children and families.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import unicodedata
from pathlib import Path

import pytest

from loa.check.validate import validate
from loa.errors import Report
from loa.load.project import load_project
from loa.model import Campaign, Site, Translation

ROOT = Path(__file__).resolve().parents[1]
CAMPAIGNS = ROOT / "campaigns"
CONTENT = ROOT / "content"
VI = CONTENT / "vi"
EN = CONTENT / "en"
HMN = CONTENT / "hmn"

TOPICS = {"drowning-prevention", "online-safety", "childrens-rights", "abuse-prevention"}
AUDIENCES = {"families", "schools", "children"}
LANGS = {"vi", "en", "hmn"}
MAX_SENTENCE = {"children": 15, "families": 20}
FIRST_REVIEW = dt.date(2026, 1, 1)
"""The sample was written and reviewed from 2026 on. The latest dates allowed follow the real clock."""

IMAGE = re.compile(r"!\[([^\]]*)\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)")
LINK = re.compile(r"(?<!!)\[[^\]]*\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)")


@functools.cache
def sample() -> Site:
    """The sample as Loa's model; any error Loa finds in it fails here, with Loa's own message."""
    report = Report()
    raw = load_project(ROOT, report)
    site = validate(raw, report) if raw is not None else None
    assert not report.errors, "\n".join(str(p) for p in report.errors)
    assert site is not None
    return site


def campaign_files() -> list[Path]:
    return sorted(CAMPAIGNS.glob("*.yml"))


def md_files(base: Path) -> list[Path]:
    return sorted(base.rglob("*.md"))


def translation(path: Path) -> Translation:
    """The model of one file content/<lang>/<id>.md."""
    lang, *parts = path.relative_to(CONTENT).with_suffix("").parts
    return sample().documents["/".join(parts)].translations[lang]


def materials(lang: str) -> dict[str, Translation]:
    return {doc_id: doc.translations[lang] for doc_id, doc in sample().documents.items()
            if doc.kind == "material" and lang in doc.translations}


def campaign(path: Path) -> Campaign:
    return next(c for c in sample().campaigns if c.id == path.stem)


def rel_id(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


# --------------------------------------------------------------------------- campaigns


def test_the_sample_has_no_errors():
    assert sample().campaigns


def test_there_are_campaigns():
    assert len(campaign_files()) >= 4
    assert {c.id for c in sample().campaigns} == {p.stem for p in campaign_files()}


@pytest.mark.parametrize("path", campaign_files(), ids=rel_id)
def test_campaign(path: Path):
    data = campaign(path)
    langs = set(data.title.by_lang)
    assert "vi" in langs and "en" in langs
    assert langs <= LANGS
    assert {"vi", "en"} <= set(data.summary.by_lang), "summary needs vi and en"
    assert data.topics and set(data.topics) <= TOPICS
    assert data.audiences and set(data.audiences) <= AUDIENCES
    assert data.key_messages, "at least one key message"
    for msg in data.key_messages:
        assert {"vi", "en"} <= set(msg.by_lang)
    assert data.materials, "at least one material"
    for mat in data.materials:
        assert {"vi", "en"} <= set(sample().documents[mat].translations), f"material {mat} missing in vi or en"
    for event in data.events:
        assert {"vi", "en"} <= set(event.title.by_lang)
        if event.place is not None:
            assert "vi" in event.place.by_lang
    assert data.image is not None
    assert "vi" in sample().assets[data.image.src].files, f"image {data.image.src} not found under content/vi/"
    for lang in langs | {"vi", "en"}:
        assert data.image.alt.by_lang.get(lang, "").strip(), f"image alt missing for {lang}"


def test_campaign_timeline_relative_to_sample_today():
    """The site is tested with today = 2026-12-01: keep one ended, one running, upcoming ones."""
    today = dt.date(2026, 12, 1)
    states = set()
    for data in sample().campaigns:
        if data.status != "published":
            continue
        states.add("ended" if data.end < today else "upcoming" if data.start > today else "running")
    assert states == {"ended", "running", "upcoming"}


# --------------------------------------------------------------------------- documents

ALL_MD = md_files(CONTENT)


@pytest.mark.parametrize("path", ALL_MD, ids=rel_id)
def test_front_matter(path: Path):
    meta = translation(path)
    assert meta.summary.strip(), "summary required"
    assert not re.search(r"^# ", meta.body, re.M), "no h1 in body: the title is the h1"
    assert set(meta.topics) <= TOPICS and set(meta.audiences) <= AUDIENCES
    if meta.ages:
        assert "children" in meta.audiences
        lo, hi = map(int, meta.ages.split("-"))
        assert lo < hi
    text = path.read_text(encoding="utf-8")
    assert unicodedata.normalize("NFC", text) == text, "text must be NFC"


def _material_params():
    return [CONTENT / lang / f"{doc_id}.md" for lang in ("vi", "en") for doc_id in materials(lang)]


def plausible_source_year(year: int, today: dt.date) -> bool:
    return 1900 < year <= today.year


def plausible_review(reviewed: dt.date, today: dt.date) -> bool:
    """Reviewed since the sample was written, and not in the future."""
    return FIRST_REVIEW <= reviewed <= today


@pytest.mark.parametrize(("today", "year", "reviewed", "ok"), [
    (dt.date(2027, 6, 1), 2027, dt.date(2027, 5, 2), True),  # next year's review and source are fine then
    (dt.date(2026, 12, 1), 2027, dt.date(2026, 11, 1), False),  # a source from the future
    (dt.date(2026, 12, 1), 2026, dt.date(2026, 12, 2), False),  # a review in the future
    (dt.date(2026, 12, 1), 2026, dt.date(2025, 12, 31), False),  # before the sample existed
])
def test_review_and_source_dates_follow_the_clock(today: dt.date, year: int, reviewed: dt.date, ok: bool):
    assert (plausible_source_year(year, today) and plausible_review(reviewed, today)) is ok


@pytest.mark.parametrize("path", _material_params(), ids=rel_id)
def test_material_has_sources_and_review(path: Path):
    meta = translation(path)
    assert meta.type != "page"
    assert meta.topics, "topics required"
    assert meta.audiences, "audiences required"
    assert meta.sources, "at least one source"
    for src in meta.sources:
        assert src.title and src.publisher
        assert plausible_source_year(src.year, dt.date.today())
    assert meta.reviewed is not None
    assert plausible_review(meta.reviewed, dt.date.today())
    if meta.type == "lesson-plan":
        assert "schools" in meta.audiences


def _lesson_plans():
    return [p for p in _material_params() if translation(p).type == "lesson-plan"]


@pytest.mark.parametrize("path", _lesson_plans(), ids=rel_id)
def test_lesson_plan_sections(path: Path):
    headings = re.findall(r"^##\s+(.+?)\s*$", translation(path).body, re.M)
    expected = {
        "vi": ["Mục tiêu", "Thời lượng", "Chuẩn bị", "Các bước", "Đánh giá"],
        "en": ["Objectives", "Duration", "Materials", "Steps", "Assessment"],
    }[path.relative_to(CONTENT).parts[0]]
    assert headings[: len(expected)] == expected, headings


def test_material_counts_and_pairs():
    vi, en = materials("vi"), materials("en")
    assert len(vi) >= 30, f"only {len(vi)} materials in vi"
    assert set(vi) == set(en), f"unpaired: vi-only {set(vi) - set(en)}, en-only {set(en) - set(vi)}"
    for key in vi:
        for field in ("type", "topics", "audiences", "ages"):
            assert getattr(vi[key], field) == getattr(en[key], field), f"{key}: {field} differs between vi and en"
    assert {a for meta in vi.values() for a in meta.audiences} == AUDIENCES
    assert {"fact-sheet", "guide", "lesson-plan", "checklist", "poster", "story", "faq"} <= {
        meta.type for meta in vi.values()}


def test_every_vi_document_has_an_english_translation():
    missing = [doc_id for doc_id, doc in sample().documents.items() if "en" not in doc.translations]
    assert not missing


@pytest.mark.parametrize("path", ALL_MD, ids=rel_id)
def test_images_resolve(path: Path):
    body = translation(path).body
    lang_dir = CONTENT / path.relative_to(CONTENT).parts[0]
    for alt, src in IMAGE.findall(body):
        assert "://" not in src, f"remote image {src}"
        own = (path.parent / src).resolve()
        fallback = (VI / path.parent.relative_to(lang_dir) / src).resolve()
        assert own.is_file() or fallback.is_file(), f"image {src} not found"
        assert alt == alt.strip()


@pytest.mark.parametrize("path", ALL_MD, ids=rel_id)
def test_links_resolve_in_vi(path: Path):
    body = translation(path).body
    lang_dir = CONTENT / path.relative_to(CONTENT).parts[0]
    for target in LINK.findall(body):
        if re.match(r"[a-z]+:", target) or target.startswith("#"):
            continue
        target = target.split("#", 1)[0]
        assert target.endswith(".md"), f"relative link {target} must point to a .md file"
        resolved = (VI / path.parent.relative_to(lang_dir) / target).resolve()
        assert resolved.is_file(), f"link {target} does not resolve in content/vi/"
        assert VI.resolve() in resolved.parents


def test_images_folder():
    svgs = sorted((VI / "images").glob("*.svg"))
    assert len(svgs) >= 5
    for svg in svgs:
        data = svg.read_text(encoding="utf-8")
        assert svg.stat().st_size < 4096, f"{svg.name} too big"
        assert "<svg" in data and "<text" not in data, f"{svg.name}: no text inside SVGs"


# --------------------------------------------------------------------------- readability


def plain_text(body: str) -> str:
    body = re.sub(r"<[^>]+>", " ", body)  # inline HTML tags such as <span lang="en">
    body = IMAGE.sub(" ", body)
    body = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", body)  # keep link text, drop URL
    lines = []
    for line in body.splitlines():
        line = line.strip()
        line = re.sub(r"^#{1,6}\s+", "", line)  # heading markers
        line = re.sub(r"^!!!\s+\w+\s*", "", line).strip('"')  # admonition markers
        line = re.sub(r"^(?:[-*+]|\d+[.)])\s+", "", line)  # list markers
        line = re.sub(r"^\[[ xX]\]\s+", "", line)  # task boxes
        if re.fullmatch(r"[|:\-\s]+", line):  # table separator rows
            line = ""
        line = line.replace("|", " . ")  # table cells are separate phrases
        line = re.sub(r"[*_`>]", " ", line)
        lines.append(line)
    return "\n".join(lines)


def sentences(body: str) -> list[str]:
    text = plain_text(body)
    parts = re.split(r"[.!?…]+(?=\s|$)|\n", text)
    return [p for p in (s.strip() for s in parts) if re.search(r"\w", p)]


def sentence_stats(docs) -> tuple[int, int]:
    n_sent = n_words = 0
    for body in docs:
        for s in sentences(body):
            n_sent += 1
            n_words += len(s.split())
    return n_sent, n_words


@pytest.mark.parametrize("lang", ["vi", "en"])
@pytest.mark.parametrize("audience", sorted(MAX_SENTENCE))
def test_average_sentence_length(lang: str, audience: str):
    docs = [meta.body for meta in materials(lang).values() if audience in meta.audiences]
    assert docs, f"no {audience} materials in {lang}"
    n_sent, n_words = sentence_stats(docs)
    avg = n_words / n_sent
    limit = MAX_SENTENCE[audience]
    print(f"{lang} {audience}: {avg:.1f} words per sentence over {len(docs)} documents")
    assert avg <= limit, f"{lang} {audience}: average sentence length {avg:.1f} words > {limit}"


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_children_documents_individually_short(lang: str):
    too_long = {}
    for key, meta in materials(lang).items():
        if "children" in meta.audiences:
            n_sent, n_words = sentence_stats([meta.body])
            if n_words / n_sent > MAX_SENTENCE["children"]:
                too_long[key] = round(n_words / n_sent, 1)
    assert not too_long, f"{lang} children's pages with long sentences: {too_long}"


# --------------------------------------------------------------------------- Hmong


HMN_DOCS = md_files(HMN)


def test_hmong_documents_exist():
    assert (HMN / "index.md").is_file() and (HMN / "hotline.md").is_file()


@pytest.mark.parametrize("path", HMN_DOCS, ids=rel_id)
def test_hmong_is_marked_draft(path: Path):
    meta = translation(path)
    assert meta.draft
    assert meta.draft_note.strip()
    assert (VI / path.relative_to(HMN)).is_file(), "an hmn page translates an existing vi page"
