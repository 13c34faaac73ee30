"""Raster images of the content, resized at build time: the widths a page needs, their `<img>` attributes.

An officer's photo straight from a phone (4-6 MB) would cost a reader on a cheap phone more than the
rest of the site. Each JPEG, PNG or WebP file of a language's content is made again, with Pillow, at
the widths of `WIDTHS` that it reaches (never enlarged), turned upright by its EXIF orientation and
written without its metadata (camera, place, time): `<stem>.<width>w<suffix>` beside the original,
which stays at full size for print (loa/outputs/print/ reads the source the `src` of a page's images
names); a JPEG original is published without its metadata too (`jpeg_without_metadata`). Each
`<img>` of a page that shows such a file gets `srcset`, `sizes`, `width` and `height` (the browser
keeps its room: no layout shift), and every image after the page's first is `loading="lazy"`,
`decoding="async"`. SVG files stay as they are.

Made files are kept in a `Store` (`.loa-cache/images/`) by the digest of the source's bytes and the
settings below, so a rebuild reads them instead of running Pillow again. No MkDocs import: the plugin
(loa/render/plugin.py) calls `Images.rewrite` on each page and `Images.write_all` once per language.
"""

from __future__ import annotations

import io
import json
import posixpath
import re
import struct
from dataclasses import dataclass
from html import unescape
from pathlib import Path
from urllib.parse import quote, unquote, urljoin, urlsplit

from markupsafe import escape

from loa.cache.keys import digest, of_bytes
from loa.cache.store import MiB, Store
from loa.messages import _

WIDTHS = (360, 720, 1080)
"""Widths made of each image: a phone at 1x and 2x, and the content column of a wide screen at 1.5x."""
SIZES = "(min-width: 60em) 760px, calc(100vw - 32px)"
"""How wide an image shows: the whole width less the margins on a phone or tablet (328 px of 360), at most
the content column beside the navigation on a wide screen (688 to 757 px, measured at 1000 to 1920 px)."""
BUDGET = 200 * 1024
"""Bytes the widest made file of an image may weigh before the build warns."""
FORMATS = {".jpg": "JPEG", ".jpeg": "JPEG", ".png": "PNG", ".webp": "WEBP"}
"""The raster files made again, each in its own format: every browser that shows the original shows them."""
SETTINGS = f"v1;{WIDTHS};jpeg q80 progressive optimize;png optimize;webp q80 m4;exif upright, stripped"
"""Part of every key: a change in how images are made makes every cached one a miss."""
LIMIT = 512 * MiB
ORIENTATION = 0x0112
"""The EXIF tag of how the camera was held."""
DECODE_ERRORS = (OSError, ValueError, SyntaxError, EOFError, struct.error, MemoryError)
"""What Pillow raises on a file it cannot read (a truncated or mislabelled file, a decompression bomb)."""

IMG = re.compile(r"<img\b[^>]*>", re.IGNORECASE)
ATTRIBUTE = re.compile(r"""([^\s"'>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+)))?""")


class UnreadableError(Exception):
    """The file is not an image Pillow can make again (the reason is the message)."""


@dataclass(frozen=True)
class Variant:
    width: int
    height: int
    size: int
    """Bytes of the made file."""


@dataclass(frozen=True)
class Picture:
    """An image as the pages show it: its made widths, the widest last."""

    source_key: str
    variants: tuple[Variant, ...]

    @property
    def widest(self) -> Variant:
        return self.variants[-1]


def variant_path(path: str, width: int) -> str:
    """`images/a b.jpg`, 720 -> `images/a b.720w.jpg`."""
    stem, suffix = posixpath.splitext(path)
    return f"{stem}.{width}w{suffix}"


def is_raster(path: str) -> bool:
    return posixpath.splitext(path)[1].lower() in FORMATS


class Images:
    """The raster images of one language's content: made once per process, kept in the store between builds."""

    def __init__(self, lang: str, assets: tuple[tuple[str, Path], ...], cache: Path | None) -> None:
        self.lang = lang
        self.assets = dict(assets)
        self.store = Store(cache, ".img", LIMIT) if cache is not None else None
        self.pictures: dict[tuple[str, int, int], Picture | UnreadableError] = {}
        self.made: dict[str, bytes] = {}
        """Made files of this process by key (all of them without a store; the store keeps them otherwise)."""

    def picture(self, path: str) -> Picture:
        """The asset `path` as pages show it, made if it is neither in this process nor in the store.

        Raises UnreadableError."""
        source = self.assets[path]
        stat = source.stat()
        known = (str(source), stat.st_size, stat.st_mtime_ns)
        found = self.pictures.get(known)
        if found is None:
            try:
                found = self._picture(source.read_bytes(), FORMATS[posixpath.splitext(path)[1].lower()])
            except UnreadableError as exc:
                found = exc
            self.pictures[known] = found
        if isinstance(found, UnreadableError):
            raise found
        return found

    def _picture(self, data: bytes, kind: str) -> Picture:
        source_key = digest("image", [of_bytes(data), kind, SETTINGS])
        listed = self._read(source_key)
        if listed is not None:
            try:
                return Picture(source_key, tuple(Variant(*v) for v in json.loads(listed)))
            except (ValueError, TypeError):
                pass  # not what this code writes: made again
        made = resize(data, kind)
        for width, _height, body in made:
            self._keep(_file_key(source_key, width), body)
        picture = Picture(source_key, tuple(Variant(w, h, len(body)) for w, h, body in made))
        self._keep(source_key, json.dumps([[v.width, v.height, v.size] for v in picture.variants]).encode())
        return picture

    def file(self, path: str, picture: Picture, variant: Variant) -> bytes:
        """The bytes of one made file (made again if the store lost it)."""
        found = self._read(_file_key(picture.source_key, variant.width))
        if found is None:
            data = self.assets[path].read_bytes()
            for width, _height, body in resize(data, FORMATS[posixpath.splitext(path)[1].lower()]):
                self._keep(_file_key(picture.source_key, width), body)
                found = body if width == variant.width else found
        assert found is not None  # the same source and settings make the same widths
        return found

    def write_all(self, site_dir: Path) -> None:
        """Write the made files of every raster image of the language into its site folder, and its JPEG
        originals again without their metadata (MkDocs copied them as they are)."""
        for path in sorted(self.assets):
            if not self.usable(path):
                continue
            if FORMATS[posixpath.splitext(path)[1].lower()] == "JPEG":
                stripped = jpeg_without_metadata(self.assets[path].read_bytes())
                if stripped is not None:
                    (site_dir / path).parent.mkdir(parents=True, exist_ok=True)
                    (site_dir / path).unlink(missing_ok=True)  # a new file, should the copy be a link
                    (site_dir / path).write_bytes(stripped)
            try:
                picture = self.picture(path)
            except UnreadableError:
                continue  # the pages that show it say so (`rewrite`)
            for variant in picture.variants:
                target = site_dir / variant_path(path, variant.width)
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(self.file(path, picture, variant))

    def usable(self, path: str) -> bool:
        """A raster image whose made files' names are not files of the content themselves."""
        return is_raster(path) and not any(variant_path(path, w) in self.assets for w in WIDTHS) \
            and path in self.assets

    def _read(self, key: str) -> bytes | None:
        found = self.made.get(key)
        if found is None and self.store is not None:
            found = self.store.read(key)
        return found

    def _keep(self, key: str, data: bytes) -> None:
        if self.store is not None:
            self.store.write(key, data)
            if len(data) > 4096:
                return  # the store has it; this process keeps only the small lists
        self.made[key] = data

    def rewrite(self, html: str, page_url: str) -> tuple[str, list[tuple[str, str]]]:
        """The page's HTML with its raster images' attributes set; and (asset path, warning) for each
        image over the budget or unreadable."""
        if "<img" not in html:
            return html, []
        warnings: list[tuple[str, str]] = []
        first = True

        def tag(match: re.Match[str]) -> str:
            nonlocal first
            was_first, first = first, False
            return self._tag(match.group(0), page_url, was_first, warnings)
        return IMG.sub(tag, html), warnings

    def _tag(self, tag: str, page_url: str, first: bool, warnings: list[tuple[str, str]]) -> str:
        attrs = {m.group(1).lower(): m.group(2) or m.group(3) or m.group(4) or ""
                 for m in ATTRIBUTE.finditer(tag, 4, len(tag) - 1)}
        raw = unescape(attrs.get("src", ""))
        path = asset_of(raw, page_url, self.lang)
        if path is None or "srcset" in attrs or not self.usable(path):
            return tag
        source = self.assets[path].parts
        name = "/".join(("content", *source[len(source) - path.count("/") - 2:]))  # the file of its language
        try:
            picture = self.picture(path)
        except UnreadableError as exc:
            warnings.append((path, _("image '%(name)s' cannot be read (%(error)s): it is published as it is, at "
                                     "full size (save it again as JPEG or PNG)", name=name, error=exc)))
            return tag
        widest = picture.widest
        if widest.size > BUDGET:
            warnings.append((path, _("image '%(name)s' weighs %(size)s KB at %(width)s px wide after resizing, over "
                                     "the %(budget)s KB budget: readers on a phone wait for it (crop it to what "
                                     "matters, or save a simpler picture; a drawing is lighter as PNG or SVG, a photo "
                                     "as JPEG)", name=name, size=widest.size // 1024, width=widest.width,
                                     budget=BUDGET // 1024)))
        folder = quote(unquote(raw.rpartition("/")[0]) + "/", safe="/") if "/" in raw else ""
        srcset = ", ".join(f"{folder}{quote(posixpath.basename(variant_path(path, v.width)), safe='')} {v.width}w"
                           for v in picture.variants)
        extra = [("srcset", srcset), ("sizes", SIZES)]
        if "width" not in attrs and "height" not in attrs:
            extra += [("width", str(widest.width)), ("height", str(widest.height))]
        if not first and "loading" not in attrs:
            extra += [("loading", "lazy"), ("decoding", "async")]
        end = len(tag) - (2 if tag.endswith("/>") else 1)
        before = tag[:end].rstrip()
        return before + "".join(f' {key}="{escape(value)}"' for key, value in extra) + (" />" if end < len(tag) - 1
                                                                                          else ">")



def asset_of(src: str, page_url: str, lang: str) -> str | None:
    """The file of the language's folder a page's `src` names, or None (another site, another folder, a query)."""
    if not src or "?" in src or "#" in src:
        return None
    address = urlsplit(urljoin(f"http://site{page_url}", src))
    if address.netloc != "site":
        return None
    prefix = f"/{lang}/"
    path = posixpath.normpath(unquote(address.path))
    return path[len(prefix):] if path.startswith(prefix) else None


def _file_key(source_key: str, width: int) -> str:
    return digest("image-file", [source_key, str(width)])


def resize(data: bytes, kind: str) -> list[tuple[int, int, bytes]]:
    """(width, height, bytes) of each made file, narrowest first. Raises UnreadableError."""
    from PIL import Image, ImageOps  # imported where used: most builds have no raster image
    try:
        with Image.open(io.BytesIO(data)) as opened:
            if getattr(opened, "is_animated", False):
                raise UnreadableError("an animation: only its first picture would be kept")
            icc = opened.info.get("icc_profile")  # kept: without it a phone's wide-gamut colours turn dull
            full_width, full_height = opened.size
            if opened.getexif().get(ORIENTATION, 1) in (5, 6, 7, 8):  # turned a quarter: width and height swap
                full_width, full_height = full_height, full_width
            if kind == "JPEG":
                opened.draft("RGB", (max(WIDTHS), max(WIDTHS)))  # decodes a big photo at 1/2, 1/4 or 1/8
            upright = ImageOps.exif_transpose(opened)
            if upright.mode not in ("RGB", "RGBA", "L", "LA"):
                upright = upright.convert("RGBA" if "transparency" in upright.info or "A" in upright.mode else "RGB")
            if kind == "JPEG" and upright.mode not in ("RGB", "L"):
                upright = upright.convert("RGB")
            made = []
            for width in sorted({min(w, full_width) for w in WIDTHS}):
                height = max(1, round(full_height * width / full_width))
                sized = upright if upright.size == (width, height) else \
                    upright.resize((width, height), Image.Resampling.LANCZOS, reducing_gap=3.0)
                out = io.BytesIO()
                options: dict[str, object] = {"icc_profile": icc} if icc else {}
                if kind == "JPEG":
                    options.update(quality=80, progressive=True, optimize=True)
                elif kind == "PNG":
                    options.update(optimize=True)
                else:
                    options.update(quality=80, method=4)
                sized.save(out, kind, **options)
                made.append((width, height, out.getvalue()))
            return made
    except Image.DecompressionBombError as exc:
        raise UnreadableError("too many pixels") from exc
    except DECODE_ERRORS as exc:
        raise UnreadableError(str(exc) or type(exc).__name__) from exc



KEPT_SEGMENTS = {0xE0, 0xE2, 0xEE}
"""JPEG application segments kept in a published original: JFIF, the colour profile (ICC), Adobe's colour
transform. EXIF (camera, time, GPS position), XMP, IPTC and comments go."""


def jpeg_without_metadata(data: bytes) -> bytes | None:
    """The JPEG without its metadata segments, every byte of the picture as it was (lossless); its EXIF
    orientation is kept, alone. None if the file is not a JPEG as expected (it is then published as it is).

    A published original is what the page's `src` names: a reader, a search engine or anyone can fetch
    it, and a phone's photo says where and when it was taken (a school, a child's home)."""
    if not data.startswith(b"\xff\xd8"):
        return None
    out, at, orientation = [b"\xff\xd8"], 2, 1
    while at + 4 <= len(data) and data[at] == 0xFF:
        marker = data[at + 1]
        if marker == 0xFF or 0xD0 <= marker <= 0xD7 or marker == 0x01:  # fill bytes, markers without a length
            return None
        if marker == 0xDA:  # start of scan: the picture itself, to the end
            if orientation != 1:
                from PIL import Image
                exif = Image.Exif()
                exif[ORIENTATION] = orientation
                payload = exif.tobytes()
                out.insert(2 if len(out) > 1 and out[1][1] == 0xE0 else 1,
                           b"\xff\xe1" + struct.pack(">H", len(payload) + 2) + payload)
            return b"".join([*out, data[at:]])
        length = struct.unpack(">H", data[at + 2:at + 4])[0]
        segment = data[at:at + 2 + length]
        if marker == 0xE1 and segment[4:10] == b"Exif\x00\x00":
            orientation = _orientation(segment[4:])
        if not (0xE0 <= marker <= 0xEF or marker == 0xFE) or marker in KEPT_SEGMENTS:
            out.append(segment)
        at += 2 + length
    return None


def _orientation(exif: bytes) -> int:
    from PIL import Image
    try:
        found = Image.Exif()
        found.load(exif)
        value = found.get(ORIENTATION, 1)
        return value if isinstance(value, int) and 1 <= value <= 8 else 1
    except DECODE_ERRORS:
        return 1


def where(page_markdown: str, body_line: int, shown: str, generated: bool, path: str) -> tuple[str, int]:
    """The file and line a warning about the image `path` names: the first line of the page's Markdown
    that names the file (a generated page: its first line)."""
    if not generated:
        name = posixpath.basename(path)
        for index, line in enumerate(page_markdown.split("\n")):
            if name in line or quote(name) in line or name.replace(" ", "%20") in line:
                return shown, body_line + index
    return shown, 1
