"""The print files (loa/outputs/print/): real builds of the tiny site, read back with poppler, zbar and pikepdf."""

from __future__ import annotations

import re
import shutil
import subprocess
import unicodedata
from pathlib import Path

import pikepdf
import pytest
from hostile import SOURCE_URL, in_lang, write_hostile_site

from conftest import MATERIAL_VI, BuildSite

TOOLS = ("pdffonts", "pdftotext", "pdftoppm", "zbarimg")
if not all(shutil.which(tool) for tool in TOOLS):  # .ci/run installs them (poppler-utils, zbar-tools)
    pytest.fail(f"tests/test_print.py needs {', '.join(TOOLS)}: apt-get install poppler-utils zbar-tools",
                pytrace=False)

PDFS = {  # the PDFs of the tiny site: real translations only (the English checklist is a fallback)
    "vi/drowning/ten-actions/ten-actions.a4.pdf": "https://example.org/vi/drowning/ten-actions/",
    "en/drowning/ten-actions/ten-actions.a4.pdf": "https://example.org/en/drowning/ten-actions/",
    "vi/drowning/checklist/checklist.a4.pdf": "https://example.org/vi/drowning/checklist/",
}


def run(*command: str | Path) -> str:
    return subprocess.run([str(part) for part in command], check=True, capture_output=True, text=True).stdout


def text(pdf: Path) -> str:
    """The PDF's text in reading order, with every run of white space as one space."""
    return " ".join(run("pdftotext", "-enc", "UTF-8", pdf, "-").split())


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from conftest import TINY_SITE, TODAY, write_tree
    from loa.pipeline import Options, build

    root = write_tree(tmp_path_factory.mktemp("print") / "project", dict(TINY_SITE))
    build(Options(root=root, out=root / "site", today=TODAY, jobs=1))
    return root / "site"


def test_every_material_has_its_pdf_in_each_language_it_is_written_in(site: Path) -> None:
    found = sorted(path.relative_to(site).as_posix() for path in site.rglob("*.pdf"))
    assert found == sorted(PDFS)


def test_every_font_is_embedded_and_subset(site: Path) -> None:
    for name in PDFS:
        rows = run("pdffonts", site / name).splitlines()[2:]
        assert rows, name
        for row in rows:
            emb, sub = row.split()[-5:-3]
            assert (emb, sub) == ("yes", "yes"), f"{name}: {row}"
            assert "Be-Vietnam-Pro" in row


def test_the_vietnamese_text_comes_back_in_nfc_and_in_reading_order(site: Path) -> None:
    found = text(site / "vi/drowning/ten-actions/ten-actions.a4.pdf")
    assert unicodedata.normalize("NFC", found) == found
    expected = ["Tổng đài quốc gia bảo vệ trẻ em 111", "Tờ thông tin · Gia đình",
                "Mười hành động phòng, chống đuối nước", "Những việc gia đình có thể làm.",
                "Đuối nước là gì", "Trẻ cần người lớn trông chừng. Xem danh sách kiểm tra.",
                "Nguồn", "Preventing drowning. WHO, 2017.", "Nội dung được kiểm tra ngày",
                "Trẻ em an toàn", "Trang 1 / 1"]
    at = [found.find(part) for part in expected]
    assert -1 not in at, [part for part, where in zip(expected, at, strict=True) if where == -1]
    assert at == sorted(at), found
    assert "¶" not in found  # the page's heading links are not printed


def test_a_checklist_has_a_box_per_item(site: Path) -> None:
    found = text(site / "vi/drowning/checklist/checklist.a4.pdf")
    assert "Đậy nắp giếng và chum vại." in found
    html = (site.parent / "theme/print/print.css").read_text(encoding="utf-8")
    assert ".loa-print--checklist" in html


def test_the_qr_code_gives_exactly_the_page_address(site: Path, tmp_path: Path) -> None:
    for name, url in PDFS.items():
        run("pdftoppm", "-r", "150", "-f", "1", "-l", "1", "-png", site / name, tmp_path / "page")
        image = next(tmp_path.glob("page*.png"))
        assert run("zbarimg", "-q", "--raw", image).strip() == url, name
        assert url in text(site / name)  # printed beside it, for those who cannot scan
        image.unlink()


def test_pdfs_are_tagged_with_language_title_and_bookmarks(site: Path) -> None:
    for name in PDFS:
        with pikepdf.open(site / name) as pdf:
            assert "/StructTreeRoot" in pdf.Root, name
            assert pdf.Root.MarkInfo.Marked
            assert str(pdf.Root.Lang) == name.split("/")[0]
            assert str(pdf.docinfo.Title) in ("Mười hành động phòng, chống đuối nước",
                                              "Ten actions to prevent drowning",
                                              "Danh sách kiểm tra an toàn trong nhà")
    with pikepdf.open(site / "vi/drowning/ten-actions/ten-actions.a4.pdf") as pdf, pdf.open_outline() as outline:
        titles = [str(item.title) for top in outline.root for item in [top, *top.children]]
    assert titles == ["Mười hành động phòng, chống đuối nước", "Đuối nước là gì", "Nguồn"]


def test_images_keep_their_alt_text(site: Path) -> None:
    with pikepdf.open(site / "vi/drowning/ten-actions/ten-actions.a4.pdf") as pdf:
        alts = {str(obj.Alt) for obj in pdf.objects if isinstance(obj, pikepdf.Dictionary) and "/Alt" in obj}
    assert "Một người lớn ngồi cạnh hồ nước, trông chừng hai đứa trẻ" in alts
    assert "Mã QR dẫn tới trang web này" in alts


def test_a_material_pdf_is_small(site: Path) -> None:
    for name in PDFS:
        assert (site / name).stat().st_size <= 300 * 1024, name


def test_an_edit_makes_again_only_that_materials_pdf(tiny_site: Path, build_site: BuildSite) -> None:
    first = build_site(tiny_site, cache_dir=tiny_site / ".loa-cache")
    assert first.outputs["print/vi"].summary == "vi 2 PDFs (2 made)"
    site = tiny_site / "site"
    kept = (site / "vi/drowning/checklist/checklist.a4.pdf").stat().st_ino
    (tiny_site / "content/vi/drowning/ten-actions.md").write_text(
        MATERIAL_VI.replace("Trẻ cần người lớn trông chừng.", "Trẻ luôn cần người lớn trông chừng."), encoding="utf-8")
    second = build_site(tiny_site, cache_dir=tiny_site / ".loa-cache")
    assert second.outputs["print/vi"].summary == "vi 2 PDFs (1 made)"
    assert second.outputs["print/en"].summary == first.outputs["print/en"].summary
    assert (site / "vi/drowning/checklist/checklist.a4.pdf").stat().st_ino == kept
    assert "Trẻ luôn cần người lớn trông chừng." in text(site / "vi/drowning/ten-actions/ten-actions.a4.pdf")


def test_a_character_the_font_lacks_is_a_warning_with_its_place(tiny_site: Path, build_site: BuildSite) -> None:
    (tiny_site / "content/vi/drowning/ten-actions.md").write_text(
        MATERIAL_VI.replace("Trẻ cần", "Trẻ \N{TELEPHONE SIGN} cần"), encoding="utf-8")
    result = build_site(tiny_site)
    assert [str(w) for w in result.warnings if "print font" in w.message] == [
        "content/vi/drowning/ten-actions.md:14:5: warning: the print font (Be Vietnam Pro) has no glyph for '℡' "
        "(U+2121 TELEPHONE SIGN): it would print as an empty box in the PDFs "
        "(use another character, or leave it out of text that is printed)"]


def test_hostile_text_prints_as_text(tmp_path: Path) -> None:
    from conftest import TODAY
    from loa.pipeline import Options, build

    root = write_hostile_site(tmp_path / "project")
    build(Options(root=root, out=root / "site", today=TODAY, jobs=1))
    for lang in ("vi", "en"):
        pdf = root / "site" / lang / "drowning/ten-actions/ten-actions.a4.pdf"
        found = text(pdf)
        shown = " ".join(in_lang(lang).split())
        assert found.count(shown) >= 3, found  # the title, the summary, and the source's title and publisher
        assert SOURCE_URL in found.replace("/ ", "/")
        assert "alert(2)" in found and "{{ 7*7 }}" in found
        with pikepdf.open(pdf) as document:  # the <img> of the payload made no image, its script no action
            assert not any(isinstance(obj, pikepdf.Dictionary) and obj.get("/S") == "/JavaScript"
                           for obj in document.objects)
            images = [obj for obj in document.objects if isinstance(obj, pikepdf.Stream)
                      and obj.get("/Subtype") == "/Image"]
            assert len(images) <= 1  # at most the QR code (an SVG drawn as paths has none)


def test_each_material_page_links_to_its_pdf_and_a_fallback_to_the_one_it_shows(site: Path) -> None:
    def link(page: str) -> Path:
        found = re.search(r'<p class="loa-print-link"><a href="([^"]+)" type="application/pdf"',
                          (site / page).read_text(encoding="utf-8"))
        assert found, page
        return (site / page).parent / found.group(1)

    for page in ("vi/drowning/ten-actions/index.html", "en/drowning/ten-actions/index.html",
                 "vi/drowning/checklist/index.html"):
        assert link(page).resolve() == (site / page).parent.resolve() / f"{Path(page).parent.name}.a4.pdf"
    assert link("en/drowning/checklist/index.html").resolve() == \
        (site / "vi/drowning/checklist/checklist.a4.pdf").resolve()
    assert "loa-print-link" not in (site / "vi/index.html").read_text(encoding="utf-8")
