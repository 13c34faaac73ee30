"""Share images (`loa/plan/share.py`): PNGs drawn with Pillow at build time, nothing fetched.

Text is set in the project's Vietnamese-complete font (theme/fonts/, Be Vietnam Pro, OFL), shaped by
Raqm where Pillow has it (its wheels do: stacked diacritics such as ễ, ặ are placed by the font's
rules), wrapped at spaces and made smaller until it fits: never cut. Each image is kept in
`.loa-cache/share/<lang>/` (a `Store`: least recently used first out past `LIMIT`) under a digest
of its texts, size, fonts and this module's drawing, so a title change draws one image again. The
same input gives the same bytes (no metadata, fixed compression).
"""

from __future__ import annotations

import io
from functools import lru_cache
from pathlib import Path

import PIL
from PIL import Image, ImageDraw, ImageFont, features

from loa.cache.keys import of_bytes
from loa.cache.store import MiB, Store
from loa.outputs.base import Reads, Scope, Target, Written, digest
from loa.outputs.channels import campaigns_of
from loa.outputs.memo import Memo
from loa.plan.share import Card, cards

FONTS = ("theme/fonts/BeVietnamPro-Regular.ttf", "theme/fonts/BeVietnamPro-Bold.ttf")
DRAWING = "share-2"
"""Changes when the drawing below changes: every cached image is drawn again."""
BACKGROUND, BAND, TEXT, SOFT = "#1b5e20", "#0b3d2e", "#ffffff", "#c8e6c9"
"""The site's colours (theme/assets/stylesheets/loa.css): white on #1b5e20 is 7.87:1, on #0b3d2e 12.2:1."""
LAYOUT = ImageFont.Layout.RAQM if features.check("raqm") else ImageFont.Layout.BASIC
LIMIT = 512 * MiB
"""Of a language's kept images (a `Store`, loa/cache/store.py): about 3,000 images of 50 KB make 150 MB at
1,000 materials in three languages, so this keeps the images of several versions of such a site."""
DRAWN = Memo()
"""The images this process drew, by key (loa/outputs/memo.py)."""
IN_WORKERS = 8
"""From this many images to draw, the build's worker processes draw them (`Target.pool`)."""


class ShareImages:
    name = "share"
    scope: Scope = "language"
    reads: Reads = "plan"

    def digest(self, target: Target, previous: str | None) -> str:
        assert target.language is not None
        fonts = _fonts_digest(tuple(target.site.root / font for font in FONTS))
        found = target.memo["cards"] = [(card, _key(card, fonts)) for card in
                                        cards(target.site, target.language, campaigns_of(target.site, target.language))]
        return digest(f"{card.path}\0{key}" for card, key in found)

    def write(self, target: Target) -> Written:
        if "cards" not in target.memo:
            self.digest(target, None)
        found = target.memo["cards"]
        assert isinstance(found, list)
        regular, bold = (target.site.root / font for font in FONTS)
        store = Store(target.cache, ".png", LIMIT, fanout=False) if target.cache is not None else None
        todo: list[tuple[Card, str, Path]] = []
        for card, key in found:
            path = target.out / card.path
            path.parent.mkdir(parents=True, exist_ok=True)
            kept = store.read(key) if store is not None else None
            if kept is not None and _is_png(kept, card.size):
                path.write_bytes(kept)
                continue
            todo.append((card, key, path))
        # drawn by an earlier build of this process, or now (in the workers when there are many)
        known = {key: DRAWN.get(key) for _, key, _ in todo}
        drawing = [card for card, key, _ in todo if known[key] is None]
        many = [regular] * len(drawing), [bold] * len(drawing)
        pool = target.pool if len(drawing) >= IN_WORKERS else None
        new = iter(pool.map(draw, drawing, *many, chunksize=4) if pool is not None else map(draw, drawing, *many))
        for _, key, path in todo:
            data = known[key] or next(new)
            DRAWN.put(key, data)
            path.write_bytes(data)
            if store is not None:
                store.write(key, data)
        drawn = len(todo)
        lang = target.language.lang if target.language else ""
        return Written(tuple(card.path for card, _ in found), f"{lang} {len(found)} images, {drawn} drawn")


def _is_png(data: bytes, size: tuple[int, int]) -> bool:
    """A kept image that reads back as a whole PNG of its size, every chunk's checksum right (a truncated or
    altered file, or anything else, is drawn again)."""
    try:
        with Image.open(io.BytesIO(data), formats=["PNG"]) as image:
            if image.size != size:
                return False
            image.verify()
        return True
    except Exception:  # whatever Pillow finds wrong with it: draw it again
        return False


@lru_cache(maxsize=4)
def _fonts_digest(paths: tuple[Path, ...]) -> str:
    return digest(of_bytes(path.read_bytes()) for path in paths)


def _key(card: Card, fonts: str) -> str:
    return digest([DRAWING, fonts, LAYOUT.name, PIL.__version__, repr(card)])


@lru_cache(maxsize=256)
def _font(path: Path, size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(path), size, layout_engine=LAYOUT)


def wrap(text: str, font: ImageFont.FreeTypeFont, width: float) -> list[str]:
    """Lines of `text` no wider than `width`, broken at spaces (a word wider than the line stays whole:
    the caller then makes the type smaller)."""
    lines: list[str] = []
    for word in text.split():
        if lines and font.getlength(f"{lines[-1]} {word}") <= width:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    return lines


def fit(text: str, path: Path, size: int, width: float, height: float) -> tuple[ImageFont.FreeTypeFont, list[str]]:
    """The largest type, from `size` down, at which `text` wraps into `width` x `height`."""
    while True:
        font = _font(path, size)
        lines = wrap(text, font, width)
        fits = all(font.getlength(line) <= width for line in lines) and len(lines) * size * 1.25 <= height
        if fits or size <= 8:
            return font, lines
        size -= 2


def draw(card: Card, regular: Path, bold: Path) -> bytes:
    width, height = card.size
    margin = 64
    inner = width - 2 * margin
    image = Image.new("RGB", card.size, BACKGROUND)
    pen = ImageDraw.Draw(image)
    band = 150 if height > width * 0.8 else 120
    pen.rectangle((0, height - band, width, height), fill=BAND)
    # the hotline in the band, as large as fits
    font, lines = fit(card.hotline, bold, 44, inner, band - 40)
    _lines(pen, lines, font, margin, height - band + (band - len(lines) * font.size * 1.25) / 2, TEXT, card.lang)
    # the site's name at the top, then the kicker and the title in the space left
    font, lines = fit(card.site_name, regular, 30, inner, 90)
    top = margin - 20 + _lines(pen, lines, font, margin, margin - 20, SOFT, card.lang) + 16
    if card.kicker:
        font, lines = fit(card.kicker, bold, 34, inner, 130)
        top += _lines(pen, lines, font, margin, top, SOFT, card.lang) + 12
    room = height - band - 32 - top
    font, lines = fit(card.title, bold, 84 if height > width * 0.8 else 68, inner, room)
    _lines(pen, lines, font, margin, top + (room - len(lines) * font.size * 1.25) / 2, TEXT, card.lang)
    out = io.BytesIO()
    image.save(out, "PNG", compress_level=6)  # 9 takes three times as long for 5% fewer bytes
    return out.getvalue()


def _lines(pen: ImageDraw.ImageDraw, lines: list[str], font: ImageFont.FreeTypeFont, x: float, y: float, fill: str,
           lang: str) -> float:
    """Draw `lines` from `y` down; returns the height they take."""
    step = font.size * 1.25
    for number, line in enumerate(lines):
        options = {"language": lang} if LAYOUT == ImageFont.Layout.RAQM else {}
        pen.text((x, y + number * step), line, font=font, fill=fill, **options)  # type: ignore[arg-type]
    return len(lines) * step
