"""Checks on the sample content shipped with Loa (campaigns/ and content/).

Uses only PyYAML and the standard library; does not import ``loa``.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
CAMPAIGNS = ROOT / "campaigns"
CONTENT = ROOT / "content"
VI = CONTENT / "vi"
EN = CONTENT / "en"
HMN = CONTENT / "hmn"

TOPICS = {"drowning-prevention", "online-safety", "childrens-rights", "abuse-prevention"}
AUDIENCES = {"families", "schools", "children"}
TYPES = {"fact-sheet", "guide", "lesson-plan", "poster", "checklist", "story", "faq", "page"}
STATUSES = {"draft", "published", "archived"}
LANGS = {"vi", "en", "hmn"}
MAX_SENTENCE = {"children": 15, "families": 20}
FIRST_REVIEW = dt.date(2026, 1, 1)
"""The sample was written and reviewed from 2026 on. The latest dates allowed follow the real clock."""

FRONT_MATTER = re.compile(r"\A---\n(.*?)\n---\n?(.*)\Z", re.S)
IMAGE = re.compile(r"!\[([^\]]*)\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)")
LINK = re.compile(r"(?<!!)\[[^\]]*\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)")


def campaign_files() -> list[Path]:
    return sorted(CAMPAIGNS.glob("*.yml"))


def md_files(base: Path) -> list[Path]:
    return sorted(base.rglob("*.md"))


def split_doc(path: Path) -> tuple[dict, str]:
    text = path.read_text(encoding="utf-8")
    m = FRONT_MATTER.match(text)
    assert m, f"{path}: missing YAML front matter"
    meta = yaml.safe_load(m.group(1)) or {}
    assert isinstance(meta, dict), f"{path}: front matter is not a mapping"
    return meta, m.group(2)


def is_material(rel: Path, meta: dict) -> bool:
    if rel.parts[0] in {"topics", "audiences", "images"} or rel.as_posix() == "index.md":
        return False
    return meta.get("type") != "page"


def materials(base: Path) -> dict[str, tuple[dict, str]]:
    found = {}
    for path in md_files(base):
        rel = path.relative_to(base)
        meta, body = split_doc(path)
        if is_material(rel, meta):
            found[rel.with_suffix("").as_posix()] = (meta, body)
    return found


def rel_id(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


def as_date(value) -> dt.date:
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value))


def texts(value) -> dict:
    """A text field is a string (vi) or a mapping language -> string."""
    if isinstance(value, str):
        return {"vi": value}
    assert isinstance(value, dict), f"text field must be str or mapping, got {value!r}"
    return value


# --------------------------------------------------------------------------- campaigns


def test_there_are_campaigns():
    assert len(campaign_files()) >= 4


@pytest.mark.parametrize("path", campaign_files(), ids=rel_id)
def test_campaign(path: Path):
    assert re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", path.stem), "campaign id must be ASCII lowercase-hyphen"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    title = texts(data["title"])
    langs = set(title)
    assert "vi" in langs and "en" in langs
    assert langs <= LANGS
    for field in ("summary",):
        t = texts(data[field])
        assert t.get("vi") and t.get("en"), f"{field} needs vi and en"
    assert data["status"] in STATUSES
    start, end = as_date(data["period"]["start"]), as_date(data["period"]["end"])
    assert start <= end
    assert data["topics"] and set(data["topics"]) <= TOPICS
    assert data["audiences"] and set(data["audiences"]) <= AUDIENCES
    assert data["key_messages"], "at least one key message"
    for msg in data["key_messages"]:
        msg = texts(msg)
        assert msg.get("vi") and msg.get("en")
    assert data["materials"], "at least one material"
    for mat in data["materials"]:
        for lang in ("vi", "en"):
            target = CONTENT / lang / f"{mat}.md"
            assert target.is_file(), f"material {mat} missing in {lang}: {target}"
    for event in data.get("events") or []:
        assert isinstance(as_date(event["date"]), dt.date)
        assert texts(event["title"]).get("vi")
        assert texts(event["title"]).get("en")
        if "place" in event:
            assert texts(event["place"]).get("vi")
    image = data["image"]
    assert (VI / image["src"]).is_file(), f"image {image['src']} not found under content/vi/"
    alt = texts(image["alt"])
    for lang in langs | {"vi", "en"}:
        assert alt.get(lang, "").strip(), f"image alt missing for {lang}"


def test_campaign_timeline_relative_to_sample_today():
    """The site is tested with today = 2026-12-01: keep one ended, one running, upcoming ones."""
    today = dt.date(2026, 12, 1)
    states = set()
    for path in campaign_files():
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        if data["status"] != "published":
            continue
        start, end = as_date(data["period"]["start"]), as_date(data["period"]["end"])
        states.add("ended" if end < today else "upcoming" if start > today else "running")
    assert states == {"ended", "running", "upcoming"}


# --------------------------------------------------------------------------- documents

ALL_MD = md_files(CONTENT)


@pytest.mark.parametrize("path", ALL_MD, ids=rel_id)
def test_front_matter(path: Path):
    meta, body = split_doc(path)
    assert str(meta.get("title", "")).strip(), "title required"
    assert str(meta.get("summary", "")).strip(), "summary required"
    assert not re.search(r"^# ", body, re.M), "no h1 in body: the title is the h1"
    if "type" in meta:
        assert meta["type"] in TYPES
    for key, allowed in (("topics", TOPICS), ("audiences", AUDIENCES)):
        if key in meta:
            assert set(meta[key]) <= allowed, f"unknown {key}: {meta[key]}"
    if "ages" in meta:
        assert "children" in meta.get("audiences", [])
        assert re.fullmatch(r"\d{1,2}-\d{1,2}", str(meta["ages"]))
        lo, hi = map(int, str(meta["ages"]).split("-"))
        assert lo < hi
    text = path.read_text(encoding="utf-8")
    import unicodedata

    assert unicodedata.normalize("NFC", text) == text, "text must be NFC"


def _material_params():
    out = []
    for lang_dir in (VI, EN):
        for path in md_files(lang_dir):
            meta, _ = split_doc(path)
            if is_material(path.relative_to(lang_dir), meta):
                out.append(path)
    return out


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
    meta, _ = split_doc(path)
    assert meta.get("type") in TYPES - {"page"}
    assert meta.get("topics"), "topics required"
    assert meta.get("audiences"), "audiences required"
    sources = meta.get("sources")
    assert sources, "at least one source"
    for src in sources:
        for key in ("title", "publisher", "year"):
            assert str(src.get(key, "")).strip(), f"source lacks {key}: {src}"
        assert plausible_source_year(int(src["year"]), dt.date.today())
    assert plausible_review(as_date(meta["reviewed"]), dt.date.today())
    if meta["type"] == "lesson-plan":
        assert "schools" in meta["audiences"]


def _lesson_plans():
    return [p for p in _material_params() if split_doc(p)[0].get("type") == "lesson-plan"]


@pytest.mark.parametrize("path", _lesson_plans(), ids=rel_id)
def test_lesson_plan_sections(path: Path):
    _, body = split_doc(path)
    headings = re.findall(r"^##\s+(.+?)\s*$", body, re.M)
    expected = {
        "vi": ["Mục tiêu", "Thời lượng", "Chuẩn bị", "Các bước", "Đánh giá"],
        "en": ["Objectives", "Duration", "Materials", "Steps", "Assessment"],
    }[path.relative_to(CONTENT).parts[0]]
    assert headings[: len(expected)] == expected, headings


def test_material_counts_and_pairs():
    vi, en = materials(VI), materials(EN)
    assert len(vi) >= 30, f"only {len(vi)} materials in vi"
    assert set(vi) == set(en), f"unpaired: vi-only {set(vi) - set(en)}, en-only {set(en) - set(vi)}"
    for key in vi:
        mv, me = vi[key][0], en[key][0]
        for field in ("type", "topics", "audiences", "ages"):
            assert mv.get(field) == me.get(field), f"{key}: {field} differs between vi and en"
    audiences = {a for meta, _ in vi.values() for a in meta["audiences"]}
    types = {meta["type"] for meta, _ in vi.values()}
    assert audiences == AUDIENCES
    assert {"fact-sheet", "guide", "lesson-plan", "checklist", "poster", "story", "faq"} <= types


def test_every_vi_document_has_an_english_translation():
    missing = [p.relative_to(VI).as_posix() for p in md_files(VI) if not (EN / p.relative_to(VI)).is_file()]
    assert not missing


@pytest.mark.parametrize("path", ALL_MD, ids=rel_id)
def test_images_resolve(path: Path):
    _, body = split_doc(path)
    lang_dir = CONTENT / path.relative_to(CONTENT).parts[0]
    for alt, src in IMAGE.findall(body):
        assert "://" not in src, f"remote image {src}"
        own = (path.parent / src).resolve()
        fallback = (VI / path.parent.relative_to(lang_dir) / src).resolve()
        assert own.is_file() or fallback.is_file(), f"image {src} not found"
        assert alt == alt.strip()


@pytest.mark.parametrize("path", ALL_MD, ids=rel_id)
def test_links_resolve_in_vi(path: Path):
    _, body = split_doc(path)
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
    docs = [body for meta, body in materials(CONTENT / lang).values() if audience in meta["audiences"]]
    assert docs, f"no {audience} materials in {lang}"
    n_sent, n_words = sentence_stats(docs)
    avg = n_words / n_sent
    limit = MAX_SENTENCE[audience]
    print(f"{lang} {audience}: {avg:.1f} words per sentence over {len(docs)} documents")
    assert avg <= limit, f"{lang} {audience}: average sentence length {avg:.1f} words > {limit}"


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_children_documents_individually_short(lang: str):
    too_long = {}
    for key, (meta, body) in materials(CONTENT / lang).items():
        if "children" in meta["audiences"]:
            n_sent, n_words = sentence_stats([body])
            if n_words / n_sent > MAX_SENTENCE["children"]:
                too_long[key] = round(n_words / n_sent, 1)
    assert not too_long, f"{lang} children's pages with long sentences: {too_long}"


# --------------------------------------------------------------------------- Hmong


HMN_DOCS = md_files(HMN)


def test_hmong_documents_exist():
    assert (HMN / "index.md").is_file() and (HMN / "hotline.md").is_file()


@pytest.mark.parametrize("path", HMN_DOCS, ids=rel_id)
def test_hmong_is_marked_draft(path: Path):
    meta, _ = split_doc(path)
    tr = meta.get("translation") or {}
    assert tr.get("status") == "draft"
    assert str(tr.get("note", "")).strip()
    assert (VI / path.relative_to(HMN)).is_file(), "an hmn page translates an existing vi page"
