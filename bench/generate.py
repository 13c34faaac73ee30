"""Generate a realistic, deterministic Loa project (and the same Markdown as plain MkDocs projects).

    .venv/bin/python bench/generate.py --n 1000 --out bench/out/n1000/loa --stock bench/out/n1000/stock

`--out` gets a Loa project: mkdocs.yml and theme/ copied from this repository, topic and
audience pages, two SVG images, about N/10 campaigns and N materials per language (vi, en
for ~90 % of them, hmn for ~5 % as draft translations), ~750 words each, in folders of 50.

`--stock` gets the same Markdown as one stock MkDocs + Material project per language
(`<lang>/mkdocs.yml` + `<lang>/docs/`), with mkdocs-static-i18n-style fallbacks: a language
without a translation gets a copy of the vi page, so every language has all N pages.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import shutil
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
LANGS = ("vi", "en", "hmn")
FOLDER_SIZE = 50
TARGET_WORDS = 750
TOPICS = ("drowning-prevention", "online-safety", "childrens-rights", "abuse-prevention")
AUDIENCES = ("families", "schools", "children")
TYPES = ("fact-sheet", "guide", "lesson-plan", "poster", "checklist", "story", "faq")
IMAGES = ("wave.svg", "shield.svg")

VI_WORDS = (
    "trẻ em", "gia đình", "nhà trường", "an toàn", "đuối nước", "bơi", "áo phao", "người lớn", "trông chừng",
    "nguồn nước", "ao", "hồ", "sông", "suối", "giếng", "lu nước", "mùa hè", "mùa lũ", "đi đò", "cứu người",
    "hồi sức", "cộng đồng", "thôn", "xã", "huyện", "tỉnh", "cán bộ", "giáo viên", "học sinh", "cha mẹ",
    "ông bà", "người chăm sóc", "trên mạng", "điện thoại", "mật khẩu", "tin nhắn", "hình ảnh", "bạn bè",
    "người lạ", "bắt nạt", "quyền", "bảo vệ", "xâm hại", "lắng nghe", "tôn trọng", "yêu thương", "kỷ luật",
    "tích cực", "tổng đài", "miễn phí", "giúp đỡ", "báo tin", "kịp thời", "dấu hiệu", "lo lắng", "sợ hãi",
    "tin tưởng", "nói chuyện", "hướng dẫn", "tài liệu", "bài học", "hoạt động", "trò chơi", "câu chuyện",
    "kỹ năng", "thực hành", "nhắc nhở", "quy định", "luật", "chính quyền", "y tế", "giáo dục", "tình nguyện",
    "hằng ngày", "buổi sáng", "buổi chiều", "cuối tuần", "ngày nghỉ", "luôn luôn", "không bao giờ", "cần",
    "nên", "phải", "có thể", "biết", "hiểu", "nhớ", "làm", "đi", "đến", "ở", "gần", "xa", "nhỏ", "lớn",
    "nhanh", "chậm", "rõ ràng", "đơn giản", "dễ hiểu", "quan trọng", "cẩn thận", "vui vẻ", "khỏe mạnh",
    "nguy hiểm", "rào chắn", "đậy nắp", "khu vực", "sân chơi", "lớp học", "bữa cơm", "góc học tập", "sách",
    "bảng kiểm", "câu hỏi", "trả lời", "chia sẻ", "ghi nhớ", "thông tin", "cá nhân", "riêng tư", "cài đặt",
    "thời gian", "màn hình", "thỏa thuận", "cùng nhau", "mỗi người", "tất cả", "một", "hai", "ba", "và",
    "với", "cho", "của", "trong", "khi", "nếu", "thì", "để", "vì", "rằng", "những", "các", "mọi", "này",
)
EN_WORDS = (
    "children", "family", "school", "safe", "safety", "drowning", "swimming", "life jacket", "adult", "watch",
    "water", "pond", "lake", "river", "stream", "well", "summer", "flood season", "boat", "rescue", "first aid",
    "community", "village", "commune", "district", "province", "officer", "teacher", "pupil", "parents",
    "grandparents", "carer", "online", "phone", "password", "message", "picture", "friends", "stranger",
    "bullying", "rights", "protect", "abuse", "listen", "respect", "love", "discipline", "positive", "hotline",
    "free", "help", "report", "quickly", "signs", "worried", "afraid", "trust", "talk", "guide", "material",
    "lesson", "activity", "game", "story", "skill", "practice", "remind", "rule", "law", "government", "health",
    "education", "volunteer", "every day", "morning", "afternoon", "weekend", "holiday", "always", "never",
    "need", "should", "must", "can", "know", "understand", "remember", "do", "go", "come", "stay", "near",
    "far", "small", "big", "fast", "slow", "clear", "simple", "easy", "important", "careful", "happy",
    "healthy", "dangerous", "fence", "cover", "area", "playground", "classroom", "meal", "study corner",
    "book", "checklist", "question", "answer", "share", "note", "information", "personal", "private",
    "settings", "time", "screen", "agreement", "together", "everyone", "all", "one", "two", "three", "and",
    "with", "for", "of", "in", "when", "if", "then", "to", "because", "that", "the", "a", "every", "this",
)
HMN_WORDS = (
    "menyuam", "tsev neeg", "tsev kawm ntawv", "kev nyab xeeb", "poob dej", "ua luam dej", "tsho ntab dej",
    "neeg laus", "saib xyuas", "dej", "pas dej", "dej ntws", "qhov dej", "lub caij ntuj sov", "nkoj", "pab",
    "zej zog", "zos", "xib fwb", "tub kawm ntawv", "niam txiv", "pog yawg", "xov tooj", "lus", "phooj ywg",
    "neeg txawv", "cai", "tiv thaiv", "hu", "mloog", "hwm", "hlub", "kev qhia", "dawb", "sai sai", "cim",
    "txhawj", "ntshai", "ntseeg", "tham", "phau ntawv", "kawm", "ua si", "zaj dab neeg", "nco ntsoov",
    "txhua hnub", "yeej", "tsis txhob", "yuav tsum", "tau", "paub", "nkag siab", "ua", "mus", "los", "nyob",
    "ze", "deb", "me", "loj", "tseem ceeb", "ceev faj", "zoo siab", "txaus ntshai", "thiab", "nrog", "rau",
    "ntawm", "hauv", "thaum", "yog", "ces", "kom", "vim", "tias", "cov", "txhua", "no",
)
WORDS = {"vi": VI_WORDS, "en": EN_WORDS, "hmn": HMN_WORDS}
TABLE_HEADERS = {
    "vi": ("Việc cần làm", "Ai làm", "Khi nào"),
    "en": ("What to do", "Who", "When"),
    "hmn": ("Yam yuav ua", "Leej twg", "Thaum twg"),
}
TOPIC_TITLES = {
    "vi": ("Phòng, chống đuối nước", "An toàn trên mạng", "Quyền trẻ em", "Phòng, chống xâm hại"),
    "en": ("Drowning prevention", "Online safety", "Children's rights", "Abuse prevention"),
}
AUDIENCE_TITLES = {
    "vi": ("Dành cho gia đình", "Dành cho nhà trường", "Dành cho các em"),
    "en": ("For families", "For schools", "For children"),
}
PUBLISHERS = ("World Health Organization", "UNICEF", "Ministry of Labour, Invalids and Social Affairs",
              "Ministry of Education and Training", "Provincial People's Committee")
SVG = ('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 120 80" role="img">'
       '<rect width="120" height="80" fill="#e8f5e9"/><circle cx="{cx}" cy="40" r="24" fill="{fill}"/></svg>\n')


@dataclass(frozen=True)
class Material:
    index: int
    langs: tuple[str, ...]
    """Languages with a real translation (always vi)."""

    @property
    def doc_id(self) -> str:
        return f"s{self.index // FOLDER_SIZE:02d}/m-{self.index:04d}"


def q(text: str) -> str:
    """A YAML double-quoted scalar (JSON strings are valid YAML)."""
    return json.dumps(text, ensure_ascii=False)


def materials_for(n: int) -> list[Material]:
    """Deterministic: ~10 % lack en, ~5 % have a (draft) hmn translation."""
    result = []
    for i in range(n):
        langs = ["vi"]
        if i % 10 != 7:
            langs.append("en")
        if i % 20 == 3:
            langs.append("hmn")
        result.append(Material(i, tuple(langs)))
    return result


class Writer:
    """Deterministic pseudo-random text in one language."""

    def __init__(self, lang: str, rng: random.Random) -> None:
        self.lang = lang
        self.words = WORDS[lang]
        self.rng = rng
        self.count = 0

    def phrase(self, low: int, high: int) -> str:
        words = [self.rng.choice(self.words) for _ in range(self.rng.randint(low, high))]
        self.count += sum(len(w.split()) for w in words)
        return " ".join(words)

    def title(self, low: int = 3, high: int = 6) -> str:
        return _capital(self.phrase(low, high))

    def sentence(self) -> str:
        text = self.phrase(6, 16)
        if self.rng.random() < 0.35:
            text += ", " + self.phrase(3, 7)
        return _capital(text) + "."

    def paragraph(self, low: int = 3, high: int = 5) -> str:
        return " ".join(self.sentence() for _ in range(self.rng.randint(low, high)))


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def material_markdown(material: Material, lang: str, all_materials: Sequence[Material],
                      seed: int) -> tuple[str, str]:
    """(title, body). The structure (links, image, topics) is shared by languages; the text is not."""
    shape = random.Random(f"{seed}:shape:{material.index}")
    others = [m for m in all_materials if m.index != material.index] or [material]
    links = shape.sample(others, k=min(2, len(others)))
    image = shape.choice(IMAGES)
    rng = random.Random(f"{seed}:{lang}:{material.index}")
    w = Writer(lang, rng)
    title = w.title()
    parts = [w.paragraph()]
    parts.append(f"## {w.title()}\n\n{w.paragraph()}\n\n{w.paragraph()}")
    items = [f"- {w.sentence()}" for _ in range(rng.randint(4, 6))]
    link_text = w.title(2, 4)
    items.insert(rng.randrange(len(items)), f"- {w.sentence()} [{link_text}](../{links[0].doc_id}.md)")
    parts.append(f"## {w.title()}\n\n{w.paragraph(2, 3)}\n\n" + "\n".join(items))
    header = TABLE_HEADERS[lang]
    rows = [f"| {' | '.join(header)} |", "| --- | --- | --- |"]
    rows += [f"| {w.title(3, 7)} | {w.title(1, 3)} | {w.title(1, 3)} |" for _ in range(rng.randint(4, 6))]
    parts.append(f"## {w.title()}\n\n{w.paragraph(2, 3)}\n\n" + "\n".join(rows))
    alt = w.title(3, 6)
    link_text = w.title(2, 4)
    parts.append(f"## {w.title()}\n\n{w.paragraph()} [{link_text}](../{links[-1].doc_id}.md).\n\n"
                 f"![{alt}](../images/{image})\n\n{w.paragraph()}")
    steps = [f"{k}. **{w.title(2, 4)}.** {w.sentence()}" for k in range(1, rng.randint(4, 7))]
    parts.append(f"## {w.title()}\n\n" + "\n".join(steps))
    while w.count < TARGET_WORDS - 40:
        section = [f"## {w.title()}"] if rng.random() < 0.4 else []
        parts.append("\n\n".join([*section, w.paragraph()]))
    return title, "\n\n".join(parts) + "\n"


def front_matter(material: Material, lang: str, title: str, seed: int) -> str:
    shape = random.Random(f"{seed}:meta:{material.index}")
    topics = sorted(shape.sample(TOPICS, k=shape.randint(1, 2)), key=TOPICS.index)
    audiences = sorted(shape.sample(AUDIENCES, k=shape.randint(1, 3)), key=AUDIENCES.index)
    doc_type = shape.choice(TYPES)
    sources = []
    for k in range(shape.randint(1, 3)):
        year = shape.randint(2012, 2025)
        src_title = f"Report {material.index}-{k}: prevention, protection and participation"
        sources.append(f"  - {{title: {q(src_title)}, publisher: {q(shape.choice(PUBLISHERS))}, year: {year}, "
                       f"url: \"https://example.org/reports/{material.index}-{k}\"}}")
    reviewed = dt.date(2025, 1, 1) + dt.timedelta(days=shape.randrange(680))
    summary = Writer(lang, random.Random(f"{seed}:{lang}:summary:{material.index}")).sentence()
    lines = ["---", f"title: {q(title)}", f"summary: {q(summary)}", f"type: {doc_type}",
             f"topics: [{', '.join(topics)}]", f"audiences: [{', '.join(audiences)}]", "sources:", *sources,
             f"reviewed: {reviewed.isoformat()}"]
    if lang == "hmn":
        lines.append("translation: {status: draft, note: Generated.}")
    return "\n".join([*lines, "---", "", ""])


def hub_pages(root: Path, seed: int) -> None:
    for lang in ("vi", "en"):
        for kind, ids, titles in (("topics", TOPICS, TOPIC_TITLES[lang]),
                                  ("audiences", AUDIENCES, AUDIENCE_TITLES[lang])):
            for hub_id, title in zip(ids, titles, strict=True):
                w = Writer(lang, random.Random(f"{seed}:{lang}:{kind}:{hub_id}"))
                text = f"---\ntitle: {q(title)}\nsummary: {q(w.sentence())}\n---\n\n{w.paragraph()}\n"
                _write(root / "content" / lang / kind / f"{hub_id}.md", text)


def campaigns(root: Path, materials: Sequence[Material], seed: int) -> int:
    count = max(1, len(materials) // 10)
    start_range = (dt.date(2024, 1, 1), dt.date(2028, 9, 30))
    span = (start_range[1] - start_range[0]).days
    for c in range(count):
        rng = random.Random(f"{seed}:campaign:{c}")
        vi, en = Writer("vi", rng), Writer("en", rng)
        start = start_range[0] + dt.timedelta(days=rng.randrange(span))
        end = start + dt.timedelta(days=rng.randint(14, 120))
        status = "archived" if rng.random() < 0.05 else ("draft" if rng.random() < 0.05 else "published")
        chosen = rng.sample(list(materials), k=min(10, len(materials)))
        topics = sorted(rng.sample(TOPICS, k=rng.randint(1, 2)), key=TOPICS.index)
        audiences = sorted(rng.sample(AUDIENCES, k=rng.randint(1, 3)), key=AUDIENCES.index)
        lines = [
            "title:", f"  vi: {q(vi.title(4, 7))}", f"  en: {q(en.title(4, 7))}",
            "summary:", f"  vi: {q(vi.sentence())}", f"  en: {q(en.sentence())}",
            f"status: {status}",
            f"period: {{start: {start.isoformat()}, end: {end.isoformat()}}}",
            f"topics: [{', '.join(topics)}]", f"audiences: [{', '.join(audiences)}]",
            "key_messages:",
            *(f"  - {{vi: {q(vi.sentence())}, en: {q(en.sentence())}}}" for _ in range(rng.randint(2, 4))),
            "materials:", *(f"  - {m.doc_id}" for m in chosen),
            "events:",
        ]
        for _ in range(rng.randint(1, 2)):
            day = start + dt.timedelta(days=rng.randint(0, (end - start).days))
            lines += [f"  - date: {day.isoformat()}",
                      f"    title: {{vi: {q(vi.title(4, 8))}, en: {q(en.title(4, 8))}}}",
                      f"    place: {{vi: {q(vi.title(2, 5))}, en: {q(en.title(2, 5))}}}"]
        if rng.random() < 0.5:
            lines += ["image:", f"  src: images/{rng.choice(IMAGES)}",
                      f"  alt: {{vi: {q(vi.title(3, 6))}, en: {q(en.title(3, 6))}}}"]
        _write(root / "campaigns" / f"c-{c:04d}.yml", "\n".join(lines) + "\n")
    return count


def images(folder: Path) -> None:
    for k, name in enumerate(IMAGES):
        _write(folder / name, SVG.format(cx=40 + 40 * k, fill=("#1e88e5", "#43a047")[k]))


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def _fresh(folder: Path) -> None:
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)


def generate(n: int, out: Path | None, stock: Path | None, seed: int = 1) -> dict[str, int]:
    """Write the corpora; returns counts (materials per language, campaigns, words of material 0 in vi)."""
    materials = materials_for(n)
    if out is not None:
        _fresh(out)
        shutil.copy2(REPO / "mkdocs.yml", out / "mkdocs.yml")
        shutil.copytree(REPO / "theme", out / "theme")
        hub_pages(out, seed)
        images(out / "content" / "vi" / "images")
    if stock is not None:
        _fresh(stock)
        for lang in LANGS:
            images(stock / lang / "docs" / "images")
            theme_lang = "en" if lang == "hmn" else lang
            _write(stock / lang / "mkdocs.yml",
                   f"site_name: Loa stock baseline ({lang})\n"
                   f"theme:\n  name: material\n  language: {theme_lang}\n  font: false\n"
                   "plugins:\n  - search\n")
    counts = dict.fromkeys(LANGS, 0)
    for material in materials:
        bodies: dict[str, tuple[str, str]] = {}
        for lang in material.langs:
            title, body = material_markdown(material, lang, materials, seed)
            bodies[lang] = (title, body)
            counts[lang] += 1
            if out is not None:
                _write(out / "content" / lang / f"{material.doc_id}.md",
                       front_matter(material, lang, title, seed) + body)
        if stock is not None:
            for lang in LANGS:
                title, body = bodies.get(lang, bodies["vi"])  # static-i18n-style fallback to vi
                _write(stock / lang / "docs" / f"{material.doc_id}.md", f"---\ntitle: {q(title)}\n---\n\n{body}")
    counts["campaigns"] = campaigns(out, materials, seed) if out is not None else 0
    return counts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, required=True, help="materials per language")
    parser.add_argument("--out", type=Path, help="write the Loa project here (replaced)")
    parser.add_argument("--stock", type=Path, help="write the stock MkDocs projects here (replaced)")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    if args.out is None and args.stock is None:
        parser.error("give --out and/or --stock")
    if args.n < 1:
        parser.error("--n must be at least 1")
    counts = generate(args.n, args.out, args.stock, args.seed)
    print(", ".join(f"{k}: {v}" for k, v in counts.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
