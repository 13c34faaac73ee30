"""The print files (loa/outputs/print/): real builds of the tiny site, read back with poppler, zbar and pikepdf."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
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

PDFS = {  # the materials' PDFs of the tiny site: real translations only (the English checklist is a fallback)
    "vi/drowning/ten-actions/ten-actions.a4.pdf": "https://example.org/vi/drowning/ten-actions/",
    "en/drowning/ten-actions/ten-actions.a4.pdf": "https://example.org/en/drowning/ten-actions/",
    "vi/drowning/checklist/checklist.a4.pdf": "https://example.org/vi/drowning/checklist/",
}


def run(*command: str | Path) -> str:
    return subprocess.run([str(part) for part in command], check=True, capture_output=True, text=True).stdout


def text(pdf: Path, *options: str) -> str:
    """The PDF's text in reading order, with every run of white space as one space."""
    return " ".join(run("pdftotext", "-enc", "UTF-8", *options, pdf, "-").split())


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from conftest import TINY_SITE, TODAY, write_tree
    from loa.pipeline import Options, build

    root = write_tree(tmp_path_factory.mktemp("print") / "project", dict(TINY_SITE))
    build(Options(root=root, out=root / "site", today=TODAY, jobs=1))
    return root / "site"


CAMPAIGN_PDFS = {  # its one campaign, in both languages: one key message, and the leaflet
    f"{lang}/campaigns/safe-summer/safe-summer.{name}.pdf": f"https://example.org/{lang}/campaigns/safe-summer/"
    for lang in ("vi", "en") for name in ("poster-1.a3", "poster-1.a4", "leaflet.a4")}
A4, A3 = (595, 842), (842, 1191)
"""Page sizes in points, rounded."""


def page_sizes(pdf: Path) -> list[tuple[int, int]]:
    with pikepdf.open(pdf) as document:
        return [(round(float(page.mediabox[2])), round(float(page.mediabox[3]))) for page in document.pages]


def qr_of(pdf: Path, folder: Path) -> str:
    run("pdftoppm", "-r", "100", "-f", "1", "-l", "1", "-png", pdf, folder / "page")
    image = next(folder.glob("page*.png"))
    try:
        return run("zbarimg", "-q", "--raw", image).strip()
    finally:
        image.unlink()


def test_every_material_has_its_pdf_in_each_language_it_is_written_in(site: Path) -> None:
    found = sorted(path.relative_to(site).as_posix() for path in site.rglob("*.pdf"))
    assert found == sorted([*PDFS, *CAMPAIGN_PDFS])


def test_every_font_is_embedded_and_subset(site: Path) -> None:
    for name in [*PDFS, *CAMPAIGN_PDFS]:
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


def test_the_worker_processes_make_the_pdfs_byte_for_byte_as_here(site: Path, tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """With worker processes (two languages, --jobs 2) the PDFs are tasks of the render pool, four at most a
    task, and come out the same as made in this process (the module's site, --jobs 1)."""
    from concurrent.futures import Future, ProcessPoolExecutor
    from typing import Any

    from conftest import TINY_SITE, TODAY, write_tree
    from loa import pipeline, processes
    from loa.outputs.memo import forget_all

    tasks: list[str] = []

    class Counting(ProcessPoolExecutor):  # the real pool, its tasks counted by name
        def submit(self, fn: Any, /, *args: Any, **kwargs: Any) -> Future[Any]:
            tasks.append(fn.__name__)
            return super().submit(fn, *args, **kwargs)

    monkeypatch.setattr(processes, "ProcessPoolExecutor", Counting)
    forget_all()  # made again, not taken from what this process made (loa/outputs/memo.py)
    root = write_tree(tmp_path / "project", dict(TINY_SITE))
    pipeline.build(pipeline.Options(root=root, out=root / "site", today=TODAY, jobs=2))
    assert tasks.count("draw_in_worker") == 2 + 1  # vi's 5 PDFs in tasks of 4 and 1, en's 4 in one
    for name in [*PDFS, *CAMPAIGN_PDFS]:
        assert (root / "site" / name).read_bytes() == (site / name).read_bytes(), name


def test_an_edit_makes_again_only_that_materials_pdf(tiny_site: Path, build_site: BuildSite) -> None:
    first = build_site(tiny_site, cache_dir=tiny_site / ".loa-cache")
    assert first.outputs["print/vi"].summary == "vi 5 PDFs (5 made)"  # 2 materials, a poster in 2 sizes, a leaflet
    site = tiny_site / "site"
    kept = (site / "vi/drowning/checklist/checklist.a4.pdf").stat().st_ino
    (tiny_site / "content/vi/drowning/ten-actions.md").write_text(
        MATERIAL_VI.replace("Trẻ cần người lớn trông chừng.", "Trẻ luôn cần người lớn trông chừng."), encoding="utf-8")
    second = build_site(tiny_site, cache_dir=tiny_site / ".loa-cache")
    assert second.outputs["print/vi"].summary == "vi 5 PDFs (1 made)"
    assert second.outputs["print/en"].summary == first.outputs["print/en"].summary
    assert (site / "vi/drowning/checklist/checklist.a4.pdf").stat().st_ino == kept
    assert "Trẻ luôn cần người lớn trông chừng." in text(site / "vi/drowning/ten-actions/ten-actions.a4.pdf")


def test_an_edit_of_one_poster_section_makes_again_only_that_sections_posters(tiny_site: Path,
                                                                                 build_site: BuildSite) -> None:
    # each `##` section of a poster material is a poster of its own, drawn from that section only
    poster = tiny_site / "content/vi/drowning/posters.md"
    source = MATERIAL_VI.replace("type: fact-sheet", "type: poster") + "\n## Dạy trẻ bơi\n\nHọc bơi ở nơi an toàn.\n"
    poster.write_text(source, encoding="utf-8")
    first = build_site(tiny_site, cache_dir=tiny_site / ".loa-cache")
    assert first.outputs["print/vi"].summary == "vi 10 PDFs (10 made)"  # and its A4, 2 sections in 2 sizes
    site = tiny_site / "site/vi/drowning/posters"
    kept = {size: (site / f"posters.poster-1.{size}.pdf").stat().st_ino for size in ("a3", "a4")}
    poster.write_text(source.replace("ở nơi an toàn.", "ở nơi an toàn, có người lớn."), encoding="utf-8")
    second = build_site(tiny_site, cache_dir=tiny_site / ".loa-cache")
    assert second.outputs["print/vi"].summary == "vi 10 PDFs (3 made)"  # the A4 and section 2's two posters
    assert {size: (site / f"posters.poster-1.{size}.pdf").stat().st_ino for size in ("a3", "a4")} == kept
    assert "có người lớn" in text(site / "posters.poster-2.a3.pdf")
    assert "Đuối nước là gì" in text(site / "posters.poster-1.a4.pdf")


def test_an_edit_of_a_campaigns_text_makes_again_only_the_pdfs_of_the_languages_that_show_it(
        tiny_site: Path, build_site: BuildSite) -> None:
    first = build_site(tiny_site, cache_dir=tiny_site / ".loa-cache")
    poster = tiny_site / "site/en/campaigns/safe-summer/safe-summer.poster-1.a3.pdf"
    kept = poster.stat().st_ino
    campaign = tiny_site / "campaigns/safe-summer.yml"
    campaign.write_text(campaign.read_text(encoding="utf-8").replace("trông chừng trẻ khi", "trông chừng trẻ nhỏ khi"),
                        encoding="utf-8")
    second = build_site(tiny_site, cache_dir=tiny_site / ".loa-cache")
    assert second.outputs["print/vi"].summary.endswith("(3 made)")  # the campaign's poster in two sizes, its leaflet
    assert second.outputs["print/en"].digest == first.outputs["print/en"].digest  # the English texts are as they were
    assert poster.stat().st_ino == kept  # taken over from the site before
    assert "trẻ nhỏ" in text(tiny_site / "site/vi/campaigns/safe-summer/safe-summer.poster-1.a4.pdf")


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
        shown = " ".join(in_lang(lang).split())
        for name, least in (("drowning/ten-actions/ten-actions.a4.pdf", 5),  # site, hotline, title, summary, source
                            ("campaigns/safe-summer/safe-summer.poster-1.a3.pdf", 4),  # site, title, message, hotline
                            ("campaigns/safe-summer/safe-summer.leaflet.a4.pdf", 5)):
            pdf = root / "site" / lang / name
            found = text(pdf, "-raw")  # in the order drawn: pdftotext's layout mixes texts side by side
            # without white space: the poster's large type breaks the payload inside its longest words
            assert "".join(found.split()).count("".join(shown.split())) >= least, (name, found)
            assert "alert(2)" in found and "{{ 7*7 }}" in found
            with pikepdf.open(pdf) as document:  # the <img> of the payload made no image, its script no action
                assert not any(isinstance(obj, pikepdf.Dictionary) and obj.get("/S") == "/JavaScript"
                               for obj in document.objects)
                alts = {str(obj.Alt) for obj in document.objects if isinstance(obj, pikepdf.Dictionary)
                        and "/Alt" in obj}
                if "poster" in name:  # the campaign's image, whose alt text is the payload, as text
                    assert in_lang(lang) in alts, alts
        assert SOURCE_URL in text(root / "site" / lang / "drowning/ten-actions/ten-actions.a4.pdf").replace("/ ", "/")


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


def test_a_campaign_has_a_poster_per_key_message_and_a_leaflet(site: Path, tmp_path: Path) -> None:
    for name, url in CAMPAIGN_PDFS.items():
        codes = set(qr_of(site / name, tmp_path).splitlines())
        if "leaflet" in name:  # the campaign's page, and its first materials
            lang = name.split("/")[0]
            materials = {f"https://example.org/{lang}/drowning/{doc}/" for doc in ("ten-actions", "checklist")}
            assert codes == {url, *materials}
        else:
            assert codes == {url}, name
        assert (site / name).stat().st_size <= 1024 * 1024, name
        found = text(site / name)
        message = ("Luôn có người lớn trông chừng trẻ khi ở gần nước." if name.startswith("vi/")
                   else "Always have an adult watching children near water.")
        assert message in found, name
        assert "111" in found and url in found.replace("/ ", "/")
    assert page_sizes(site / "vi/campaigns/safe-summer/safe-summer.poster-1.a3.pdf") == [A3]
    assert page_sizes(site / "vi/campaigns/safe-summer/safe-summer.poster-1.a4.pdf") == [A4]
    leaflet = page_sizes(site / "vi/campaigns/safe-summer/safe-summer.leaflet.a4.pdf")
    assert 1 <= len(leaflet) <= 2 and set(leaflet) == {A4[::-1]}  # landscape, two sides at most
    found = text(site / "vi/campaigns/safe-summer/safe-summer.leaflet.a4.pdf")
    # (in three columns, which pdftotext reads across: its order is not the leaflet's)
    for part in ("Mùa hè an toàn", "Phòng, chống đuối nước cho trẻ.",
                 "Luôn có người lớn trông chừng trẻ khi ở gần nước.",
                 "Mười hành động phòng, chống đuối nước", "Ngày Thế giới phòng, chống đuối nước", "Hỗ trợ trẻ em"):
        assert part in found, part
    with pikepdf.open(site / "en/campaigns/safe-summer/safe-summer.poster-1.a3.pdf") as pdf:
        assert "/StructTreeRoot" in pdf.Root and str(pdf.Root.Lang) == "en"
        assert str(pdf.docinfo.Title) == "Always have an adult watching children near water."


def test_the_campaign_page_lists_its_posters_and_leaflet(site: Path) -> None:
    page = (site / "vi/campaigns/safe-summer/index.html").read_text(encoding="utf-8")
    links = re.findall(r'<li><a href="([^"]+)" type="application/pdf" data-loa-pdf>([^<]+)</a>', page)
    assert links == [("safe-summer.poster-1.a3.pdf", "Áp phích 1, A3"),
                     ("safe-summer.poster-1.a4.pdf", "Áp phích 1, A4"), ("safe-summer.leaflet.a4.pdf", "Tờ gấp, A4")]


POSTER_VI = """\
---
title: Lời cho áp phích
type: poster
topics: [drowning-prevention]
audiences: [families]
---

Mỗi áp phích một câu.

## Người lớn trông chừng

![Một người lớn ngồi cạnh hồ nước](../images/pool.svg)

**Trẻ ở gần nước, người lớn ở gần trẻ.**

## Đậy kín nguồn nước

Đậy giếng. Đậy lu. Úp xô.

## Quá dài

{long}
"""


def test_a_poster_material_has_a_poster_per_section(tiny_site: Path, build_site: BuildSite, tmp_path: Path) -> None:
    (tiny_site / "content/vi/drowning/posters.md").write_text(
        POSTER_VI.format(long="Trẻ cần người lớn trông chừng. " * 120), encoding="utf-8")
    result = build_site(tiny_site)
    assert [str(w) for w in result.warnings if "poster" in w.message] == [
        "content/vi/drowning/posters.md:20:1: warning: poster section 'Quá dài' too long: even at 24 pt its text "
        "does not fit on one A3 poster (shorten it, or split it into two sections)"]
    folder = tiny_site / "site/vi/drowning/posters"
    assert sorted(path.name for path in folder.glob("*.pdf")) == [
        "posters.a4.pdf", *(f"posters.poster-{n}.{size}.pdf" for n in (1, 2, 3) for size in ("a3", "a4"))]
    first, second = text(folder / "posters.poster-1.a3.pdf"), text(folder / "posters.poster-2.a4.pdf")
    assert "Người lớn trông chừng Trẻ ở gần nước, người lớn ở gần trẻ." in first and "Đậy" not in first
    assert "Đậy kín nguồn nước Đậy giếng. Đậy lu. Úp xô." in second and "Mỗi áp phích" not in second
    assert page_sizes(folder / "posters.poster-1.a3.pdf") == [A3]
    assert qr_of(folder / "posters.poster-2.a4.pdf", tmp_path) == "https://example.org/vi/drowning/posters/"
    with pikepdf.open(folder / "posters.poster-1.a3.pdf") as pdf:
        alts = {str(obj.Alt) for obj in pdf.objects if isinstance(obj, pikepdf.Dictionary) and "/Alt" in obj}
    assert "Một người lớn ngồi cạnh hồ nước" in alts
    page = (folder / "index.html").read_text(encoding="utf-8")
    assert 'href="posters.poster-3.a4.pdf"' in page and 'href="posters.a4.pdf"' in page
    # the English page shows the Vietnamese text: it links to the Vietnamese posters, and has none of its own
    assert not list((tiny_site / "site/en/drowning/posters").glob("*.pdf"))
    assert 'href="../../../vi/drowning/posters/posters.poster-1.a3.pdf"' in \
        (tiny_site / "site/en/drowning/posters/index.html").read_text(encoding="utf-8")


def test_a_key_message_too_long_for_a_poster_is_a_warning_with_its_place(tiny_site: Path) -> None:
    from conftest import TODAY
    from loa.pipeline import Options, check

    path = tiny_site / "campaigns/safe-summer.yml"
    long = "Luôn có người lớn trông chừng trẻ khi ở gần nước. " * 8
    path.write_text(path.read_text(encoding="utf-8").replace(
        "Luôn có người lớn trông chừng trẻ khi ở gần nước.", long.strip()), encoding="utf-8")
    result = check(Options(root=tiny_site, out=tiny_site / "site", today=TODAY))
    assert [str(w) for w in result.warnings if "poster" in w.message] == [
        "campaigns/safe-summer.yml:8:10: warning: key message (vi) too long for a poster: even at 56 pt it does "
        "not fit on one A3 poster (shorten it: a poster's message is one short sentence)"]


@pytest.mark.parametrize(("front", "printed"), [("type: guide", False), ("type: guide\nprint: true", True),
                                                ("type: checklist\nprint: false", False)])
def test_which_materials_have_a_pdf(tiny_site: Path, build_site: BuildSite, front: str, printed: bool) -> None:
    # checklists, fact sheets, lesson plans and posters by default; other types when their front matter asks
    path = tiny_site / "content/vi/drowning/ten-actions.md"
    path.write_text(path.read_text(encoding="utf-8").replace("type: fact-sheet", front, 1), encoding="utf-8")
    build_site(tiny_site)
    pdf = tiny_site / "site/vi/drowning/ten-actions/ten-actions.a4.pdf"
    assert pdf.is_file() == printed
    page = (tiny_site / "site/vi/drowning/ten-actions/index.html").read_text(encoding="utf-8")
    assert ("ten-actions.a4.pdf" in page) == printed


@pytest.mark.parametrize("jobs", ["2", "1"])  # drawn by the worker processes; drawn in the command's own process
def test_a_build_leaves_no_font_folder_in_the_temporary_folder(tiny_site: Path, tmp_path: Path, jobs: str) -> None:
    # WeasyPrint copies the print font into a temporary folder, which it removes only when the font configuration
    # is collected; neither a worker nor a command ended by `os._exit` collects it (loa/outputs/print/pdf.py)
    import os

    from conftest import REPO

    temp = tmp_path / "temp"
    temp.mkdir()
    result = subprocess.run([sys.executable, str(REPO / "build.py"), "build", "--no-cache", "--jobs", jobs, "--root",
                             str(tiny_site), "--today", "2026-12-01"], capture_output=True, text=True, timeout=300,
                            env={**os.environ, "TMPDIR": str(temp)})
    assert result.returncode == 0, result.stderr
    assert "vi 5 PDFs (5 made)" in result.stdout
    assert list(temp.iterdir()) == []


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the library search it spares is Linux's")
def test_weasyprint_loads_the_same_libraries_without_running_a_compiler_to_find_them() -> None:
    from conftest import REPO

    script = """
import os, sys
sys.path.insert(0, {repo!r})
started = []
sys.addaudithook(lambda event, args: started.append(os.path.basename(args[0])) if event == "subprocess.Popen" else None)
from loa.outputs.print.pdf import libraries_without_a_compiler
{load}
print(sorted(set(started)), sorted({{line.split()[-1] for line in open("/proc/self/maps") if ".so" in line}}))
"""
    found = {}
    for how, load in {"searched": "import weasyprint", "cache only": "with libraries_without_a_compiler():\n"
                                                                  "    import weasyprint"}.items():
        result = subprocess.run([sys.executable, "-c", script.format(repo=str(REPO), load=load)], capture_output=True,
                                text=True, timeout=120, check=True)
        started, libraries = result.stdout.split("] ", 1)
        found[how] = started + "]", libraries
    assert "'gcc'" in found["searched"][0] and found["cache only"][0] in ("[]", "['ldconfig']")
    assert found["cache only"][1] == found["searched"][1]
    assert "libpango-1.0.so" in found["cache only"][1] and "libharfbuzz-subset.so" in found["cache only"][1]
