"""Raster images resized at build time (loa/render/images.py): real builds of the tiny site with pictures
drawn by Pillow here (gradients and noise: no photo of anyone), read back from the built files."""

from __future__ import annotations

import io
import re
from pathlib import Path
from urllib.parse import unquote, urljoin

import html5lib
import pikepdf
import pytest
from PIL import Image

from conftest import TINY_SITE, TODAY, BuildSite, write_tree
from loa.pipeline import BuildResult, Options, build
from loa.render.images import BUDGET, SIZES, Images
from loa.render.svg import svg_size

HOSTILE = "ảnh \"đẹp\" & 'x', y.jpg"
"""A file name with spaces, quotes, an ampersand, a comma and Vietnamese letters."""

PAGE = """\
---
title: Ảnh
type: fact-sheet
topics: [drowning-prevention]
audiences: [families]
sources:
  - {title: Preventing drowning, publisher: WHO, year: 2017}
reviewed: 2026-11-01
---

## Ảnh

![Một con đường giữa cánh đồng](../images/phone-photo.jpg)

![Một hình vẽ](../images/pool.svg)

![Ảnh nghiêng](../images/turned.jpg)

![Ảnh có tên lạ](<../images/HOSTILE>)

![Một hình vẽ nhỏ](../images/small.png)

![Ảnh nhiễu](../images/noise.jpg)
""".replace("HOSTILE", HOSTILE)


def phone_photo(width: int = 4032, height: int = 3024) -> bytes:
    """A 4032 x 3024 JPEG of about 5 MB, as a phone writes it: a gradient under fine noise (which does not
    compress), with EXIF data (the camera, a place)."""
    gradient = Image.linear_gradient("L").resize((width, height))
    noise = Image.effect_noise((width, height), 24)
    picture = Image.merge("RGB", (gradient, noise, Image.blend(gradient, noise, 0.5)))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x8825] = {1: "N", 2: (21.0, 1.0, 30.0)}  # GPS
    out = io.BytesIO()
    picture.save(out, "JPEG", quality=88, exif=exif)
    return out.getvalue()


def turned() -> bytes:
    """A landscape 1600 x 1000 JPEG whose EXIF says the camera was turned (orientation 6: show it turned a
    quarter clockwise); its left half is red, its right half blue."""
    picture = Image.new("RGB", (1600, 1000), (255, 0, 0))
    picture.paste((0, 0, 255), (800, 0, 1600, 1000))
    exif = Image.Exif()
    exif[0x0112] = 6
    out = io.BytesIO()
    picture.save(out, "JPEG", quality=90, exif=exif)
    return out.getvalue()


def noise() -> bytes:
    """Loud noise at 2400 x 1600: over the budget even at 1080 px."""
    out = io.BytesIO()
    Image.effect_noise((2400, 1600), 100).convert("RGB").save(out, "JPEG", quality=95)
    return out.getvalue()


def png(width: int, height: int) -> bytes:
    out = io.BytesIO()
    Image.linear_gradient("L").resize((width, height)).convert("RGB").save(out, "PNG")
    return out.getvalue()


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, BuildResult]:
    root = write_tree(tmp_path_factory.mktemp("images") / "project",
                      {**TINY_SITE, "content/vi/drowning/photos.md": PAGE})
    images = root / "content/vi/images"
    (images / "phone-photo.jpg").write_bytes(phone_photo())
    (images / "turned.jpg").write_bytes(turned())
    (images / HOSTILE).write_bytes(png(1200, 500))
    (images / "small.png").write_bytes(png(500, 200))
    (images / "noise.jpg").write_bytes(noise())
    result = build(Options(root=root, out=root / "site", today=TODAY, jobs=1, cache_dir=root / ".loa-cache"))
    return root, result


def images_of(page: Path) -> list[dict[str, str]]:
    """The attributes of each <img> of a page's content, parsed as a browser does."""
    document = html5lib.parse(page.read_text(encoding="utf-8"), namespaceHTMLElements=False)
    content = document.find(".//article")
    assert content is not None
    return [dict(img.attrib) for img in content.iter("img")]


def on_disk(page: Path, url: str) -> Path:
    """The built file a relative URL of a page (in `site/`) names."""
    site = next(folder for folder in page.parents if folder.name == "site")
    absolute = urljoin("http://site/" + page.relative_to(site).as_posix(), url)
    return site / unquote(absolute.removeprefix("http://site/"))


def candidates(img: dict[str, str]) -> list[tuple[str, int]]:
    return [(url, int(width.removesuffix("w"))) for url, width in
            (candidate.strip().split(" ") for candidate in img["srcset"].split(", "))]


def test_a_phone_photo_comes_out_small_with_its_widths_sizes_and_lazy_loading(built: tuple[Path, BuildResult]) -> None:
    root, _result = built
    page = root / "site/vi/drowning/photos/index.html"
    original = root / "content/vi/images/phone-photo.jpg"
    assert original.stat().st_size > 4 * 1024 * 1024
    photo, svg, rotated, hostile, small, loud = images_of(page)
    assert [width for _url, width in candidates(photo)] == [360, 720, 1080]
    for url, width in candidates(photo):
        made = on_disk(page, url)
        with Image.open(made) as image:
            assert image.size == (width, round(3024 * width / 4032))
            assert image.info.get("progressive") and not image.getexif()  # no camera, no GPS
        assert made.stat().st_size <= BUDGET
    assert (photo["width"], photo["height"]) == ("1080", "810")
    assert photo["sizes"] == SIZES
    # the original, which `src` names (and print reads from content/), is published without its metadata
    published = on_disk(page, photo["src"])
    assert abs(published.stat().st_size - original.stat().st_size) < 1024
    with Image.open(published) as image, Image.open(original) as source:
        assert source.getexif() and not image.getexif()  # the camera and the GPS position are gone
        assert image.size == source.size and image.tobytes() == source.tobytes()  # every pixel as it was
    # the first image of the page loads at once; those after it when the reader scrolls near them
    assert "loading" not in photo and "decoding" not in photo
    for later in (rotated, hostile, small, loud):
        assert (later["loading"], later["decoding"]) == ("lazy", "async")
    # an SVG file is published as it is; its <img> gets the size its root element says (viewBox="0 0 4 4"), so
    # the browser keeps its room (loa/render/svg.py), and is not lazy: SVG files are small
    assert svg == {"alt": "Một hình vẽ", "src": "../../images/pool.svg", "width": "4", "height": "4"}


def test_a_turned_photo_is_made_upright(built: tuple[Path, BuildResult]) -> None:
    root, _result = built
    page = root / "site/vi/drowning/photos/index.html"
    rotated = images_of(page)[2]
    assert (rotated["width"], rotated["height"]) == ("1000", "1600")  # 1000 < 1080: never enlarged
    assert [width for _url, width in candidates(rotated)] == [360, 720, 1000]
    with Image.open(on_disk(page, rotated["src"])) as image:
        assert dict(image.getexif()) == {0x0112: 6}  # the published original keeps only its orientation
    with Image.open(on_disk(page, candidates(rotated)[-1][0])) as image:
        assert image.size == (1000, 1600) and not image.getexif()
        rgb = image.convert("RGB")
        top, bottom = rgb.getpixel((500, 100)), rgb.getpixel((500, 1500))
    assert isinstance(top, tuple) and isinstance(bottom, tuple)
    assert top[0] > 200 and top[2] < 60  # the left (red) half is on top once turned clockwise
    assert bottom[2] > 200 and bottom[0] < 60


def test_hostile_file_names_are_escaped_and_their_files_exist(built: tuple[Path, BuildResult]) -> None:
    root, _result = built
    page = root / "site/vi/drowning/photos/index.html"
    hostile = images_of(page)[3]
    assert [width for _url, width in candidates(hostile)] == [360, 720, 1080]
    for url, width in candidates(hostile):
        assert not re.search(r"[\s,\"'&<>]", url), url  # one candidate each, nothing that ends the attribute
        with Image.open(on_disk(page, url)) as image:
            assert image.size == (width, round(500 * width / 1200))
    assert on_disk(page, candidates(hostile)[0][0]).name == HOSTILE.replace(".jpg", ".360w.jpg")
    assert (hostile["width"], hostile["height"]) == ("1080", "450")
    small = images_of(page)[4]  # 500 px: its own width is the widest, never enlarged
    assert [width for _url, width in candidates(small)] == [360, 500]


def test_an_image_over_the_budget_is_a_warning_with_the_line_that_shows_it(built: tuple[Path, BuildResult]) -> None:
    _root, result = built
    said = [str(problem) for problem in result.warnings if "budget" in problem.message]
    line = PAGE.split("\n").index("![Ảnh nhiễu](../images/noise.jpg)") + 1
    assert len(said) == 1
    assert re.fullmatch(rf"content/vi/drowning/photos\.md:{line}:1: warning: image 'content/vi/images/noise\.jpg' "
                        r"weighs \d+ KB at 1080 px wide after resizing, over the 200 KB budget: readers on a phone "
                        r"wait for it \(crop it to what matters, .*\)", said[0]), said[0]


def test_print_gets_the_original_not_a_made_width(built: tuple[Path, BuildResult]) -> None:
    root, _result = built
    with pikepdf.open(root / "site/vi/drowning/photos/photos.a4.pdf") as pdf:
        widths = [int(image.Width) for page in pdf.pages for image in page.get_images().values()]
    assert max(widths) > 1080  # WeasyPrint's print resolution from the 4032 px original


def test_a_rebuild_takes_the_made_files_from_the_cache(built: tuple[Path, BuildResult], build_site: BuildSite) -> None:
    root, _result = built
    store = root / ".loa-cache/images"
    entries = {path: path.stat().st_ino for path in store.rglob("*.img")}
    # a list of widths per image, and a file per width: 5 images, 3 + 3 + 3 + 3 + 2 widths
    assert len(entries) == 5 + 14
    page = root / "content/vi/drowning/photos.md"
    page.write_text(page.read_text(encoding="utf-8").replace("## Ảnh", "## Ảnh mới"), encoding="utf-8")
    build_site(root, cache_dir=root / ".loa-cache")
    # Pillow made nothing again: every entry is the file first written (a write replaces it: a new inode)
    assert {path: path.stat().st_ino for path in store.rglob("*.img")} == entries
    assert (root / "site/vi/images/phone-photo.1080w.jpg").is_file()
    assert (root / "site/en/images/phone-photo.1080w.jpg").is_file()  # the fallback language's copy


def test_a_made_file_the_cache_lost_is_made_again(tmp_path: Path) -> None:
    """The store keeps a list of widths per image and a file per width; pruning may remove some files
    and keep the list: writing the site makes the missing ones again."""
    source = tmp_path / "content/vi/images/a.jpg"
    source.parent.mkdir(parents=True)
    source.write_bytes(turned())
    Images("vi", (("images/a.jpg", source),), tmp_path / "cache").write_all(tmp_path / "first")
    made = sorted(path.name for path in (tmp_path / "first/images").iterdir() if "w." in path.name)
    assert made == ["a.1000w.jpg", "a.360w.jpg", "a.720w.jpg"]
    files = [path for path in (tmp_path / "cache").rglob("*.img") if path.stat().st_size > 4096]
    assert files
    for path in files:
        path.unlink()
    Images("vi", (("images/a.jpg", source),), tmp_path / "cache").write_all(tmp_path / "second")
    for name in made:
        assert (tmp_path / "second/images" / name).read_bytes() == (tmp_path / "first/images" / name).read_bytes()


@pytest.mark.parametrize(("root", "size"), [
    ('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 120 80" width="120" height="80">', (120, 80)),
    ('<svg viewBox="0 0 120 80">', (120, 80)),
    ("<svg width='300px' viewBox='0,0,120,80'>", (300, 200)),  # the other side from the box's ratio
    ('<svg height="40" viewBox="0 0 120 80">', (60, 40)),
    ('<svg width="100%" height="100%" viewBox="-10 -10 50.5 20">', (50, 20)),  # % depends on the page: the box
    ('<?xml version="1.0"?>\n<!-- a comment --><!DOCTYPE svg>\n<SVG\n  WIDTH="24" HEIGHT="12.6">', (24, 13)),
    ('<svg width="10em" height="5em">', None),  # em depends on the page, and there is no box
    ('<svg viewBox="0 0 0 10">', None),
    ('<svg viewBox="a b c d">', None),
    ('<svg>', None),
    ("not a picture", None),
])
def test_an_svg_size_is_read_from_its_root_element(root: str, size: tuple[int, int] | None) -> None:
    assert svg_size(f"{root}<rect/></svg>".encode()) == size
