"""The offline copy of each language (loa/outputs/offline/): a ZIP that works from a folder, without a network.

The browser follows every link of the unzipped copy in tests/browser/test_offline.py; here, the files.
"""

from __future__ import annotations

import html
import posixpath
import re
import zipfile
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from hostile import LANGS, in_lang, write_hostile_site
from test_hostile import parse, problems_of

from conftest import TODAY, BuildSite, write_tree
from loa.outputs import memo
from loa.outputs.offline.index import initial, sort_key

LINK = re.compile(r'\s(?:href|src|action)="([^"]*)"')


def copy_of(site: Path, lang: str, into: Path) -> Path:
    """Unzip the language's copy into `into`; returns the folder the ZIP holds."""
    (archive,) = (site / lang).glob("*-offline.zip")
    with zipfile.ZipFile(archive) as opened:
        tops = {name.split("/")[0] for name in opened.namelist()}
        assert tops == {archive.stem}  # one folder, named as the file
        opened.extractall(into)
    return into / archive.stem


def links(page: Path) -> list[str]:
    return [html.unescape(value) for value in LINK.findall(page.read_text(encoding="utf-8"))]


def test_every_link_of_the_copy_is_a_file_in_it(tiny_site: Path, build_site: BuildSite, tmp_path: Path) -> None:
    build_site(tiny_site)
    for lang in ("vi", "en"):
        folder = copy_of(tiny_site / "site", lang, tmp_path / lang)
        assert (folder / "index.html").is_file()
        pages = sorted(folder.rglob("*.html"))
        assert len(pages) >= 10
        missing, outside = [], []
        for page in pages:
            here = page.relative_to(folder).as_posix()
            for link in links(page):
                parts = urlsplit(link)
                if parts.scheme in ("tel", "mailto") or link.startswith("#"):
                    continue
                if parts.scheme or parts.netloc:
                    outside.append(f"{here}: {link}")
                    continue
                target = posixpath.normpath(posixpath.join(posixpath.dirname(here), parts.path))
                if target.startswith("..") or not (folder / target).is_file():
                    missing.append(f"{here}: {link}")
        assert missing == []
        # the one address of the site in a page: its latest version online, in the note with the copy's date
        assert all("loa-offline-note" in o or o.split(": ", 1)[1].startswith("https://example.org/")
                   for o in outside)
        notes = [link for link in outside if "example.org" in link]
        assert len(notes) == len(pages)
        home = (folder / "index.html").read_text(encoding="utf-8")
        assert 'href="https://example.org/' + lang + '/"' in home
        assert "1 tháng 12, 2026" in home if lang == "vi" else "December 1, 2026" in home
        assert not (folder / "pagefind").exists() and not list(folder.glob("*.zip"))
        assert "canonical" not in home and "hreflang=" not in home.replace('hreflang="' + lang + '"', "")


def test_the_copy_holds_the_languages_files(tiny_site: Path, build_site: BuildSite, tmp_path: Path) -> None:
    build_site(tiny_site)
    folder = copy_of(tiny_site / "site", "vi", tmp_path)
    site = tiny_site / "site" / "vi"
    for name in ("images/pool.svg", "drowning/ten-actions/ten-actions.a4.pdf", "calendar.ics",
                 "campaigns/safe-summer/safe-summer-sms.txt", "assets/stylesheets/loa.css",
                 "campaigns/safe-summer/safe-summer-share.png"):
        assert (folder / name).read_bytes() == (site / name).read_bytes(), name
    assert list(site.rglob("*.map")) and not list(folder.rglob("*.map"))  # source maps: for developers' tools
    # a directory link is a link to the file, relative to the page
    material = (folder / "drowning/ten-actions/index.html").read_text(encoding="utf-8")
    assert 'href="../checklist/index.html"' in material
    assert 'action="../../search/index.html"' in material  # the search form opens the A–Z index


def test_the_copy_says_the_size_of_each_pdf_beside_its_link(tiny_site: Path, build_site: BuildSite,
                                                            tmp_path: Path) -> None:
    # on the site the page's script asks the server (theme/assets/javascripts/loa.js); a copy opened from a
    # folder has none to ask, so the copy writes the sizes in, as the script would
    build_site(tiny_site)
    folder = copy_of(tiny_site / "site", "vi", tmp_path)
    material = (folder / "drowning/ten-actions/index.html").read_text(encoding="utf-8")
    pdf = folder / "drowning/ten-actions/ten-actions.a4.pdf"
    size = f"{max(1, round(pdf.stat().st_size / 1024))} KB"
    assert f'<span class="loa-print-link__format">, A4<span class="loa-print-link__size">, {size}</span>' in material
    campaign = (folder / "campaigns/safe-summer/index.html").read_text(encoding="utf-8")
    posters = re.findall(r'<a href="([^"]+\.pdf)"[^>]*data-loa-pdf>[^<]*</a><span class="loa-print-link__size">'
                         r', (\d+) KB</span>', campaign)
    assert len(posters) >= 2
    for href, kilobytes in posters:
        path = folder / "campaigns/safe-summer" / href
        assert int(kilobytes) == max(1, round(path.stat().st_size / 1024)), href
    live = (tiny_site / "site/vi/drowning/ten-actions/index.html").read_text(encoding="utf-8")
    assert '<span class="loa-print-link__size"></span>' in live  # the site's page: the script fills it


def test_the_search_page_is_an_a_to_z_index_of_every_page(tiny_site: Path, build_site: BuildSite,
                                                          tmp_path: Path) -> None:
    result = build_site(tiny_site)
    for plan in result.plan.languages:
        folder = copy_of(tiny_site / "site", plan.lang, tmp_path / plan.lang)
        index = folder / "search" / "index.html"
        text = index.read_text(encoding="utf-8")
        title = plan.ui.t("offline.index")
        assert f"<title>{title} - " in text and f"<h1>{title}</h1>" in text
        listed = re.findall(r'<ul class="loa-az">(.*?)</ul>', text, re.S)
        hrefs = [posixpath.normpath(posixpath.join("search", h)) for part in listed
                 for h in re.findall(r'href="([^"]*)"', part)]
        every = sorted(page.url.removeprefix(f"/{plan.lang}/") + "index.html" for page in plan.pages
                       if page.src_uri != "search.md")
        assert sorted(hrefs) == every
        # then the topics and the audiences
        assert 'id="az-topics"' in text and 'id="az-audiences"' in text
        assert "../topics/drowning-prevention/index.html" in text.split('id="az-topics"')[1]
        assert "../audiences/families/index.html" in text.split('id="az-audiences"')[1]


def test_the_zip_is_the_same_bytes_from_two_builds(tiny_site: Path, build_site: BuildSite) -> None:
    memo.forget_all()
    build_site(tiny_site, out=tiny_site / "one")
    memo.forget_all()
    build_site(tiny_site, out=tiny_site / "two")
    for lang in ("vi", "en"):
        (one,) = (tiny_site / "one" / lang).glob("*.zip")
        assert one.read_bytes() == (tiny_site / "two" / lang / one.name).read_bytes()
        with zipfile.ZipFile(one) as opened:
            names = opened.namelist()
            assert names == sorted(names)
            assert {info.date_time for info in opened.infolist()} == {(2026, 12, 1, 0, 0, 0)}


def test_a_second_build_takes_the_zip_over_until_a_page_changes(tiny_site: Path, build_site: BuildSite,
                                                                tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    build_site(tiny_site, cache_dir=cache)
    (zip_vi,) = (tiny_site / "site" / "vi").glob("*.zip")
    (zip_en,) = (tiny_site / "site" / "en").glob("*.zip")
    before = {path: path.stat().st_mtime_ns for path in (zip_vi, zip_en)}
    result = build_site(tiny_site, cache_dir=cache)
    assert {path: path.stat().st_mtime_ns for path in (zip_vi, zip_en)} == before  # taken over, not written
    assert {"offline/vi", "offline/en"} <= set(result.outputs)
    material = tiny_site / "content/en/drowning/ten-actions.md"
    material.write_text(material.read_text(encoding="utf-8").replace("Children need", "Every child needs"),
                        encoding="utf-8")
    build_site(tiny_site, cache_dir=cache)
    assert zip_vi.stat().st_mtime_ns == before[zip_vi]
    assert zip_en.stat().st_mtime_ns != before[zip_en]
    with zipfile.ZipFile(zip_en) as opened:
        assert "Every child needs" in opened.read(f"{zip_en.stem}/drowning/ten-actions/index.html").decode()


def test_home_and_about_link_to_the_copy(tiny_site: Path, build_site: BuildSite) -> None:
    write_tree(tiny_site, {"content/vi/about.md": "---\ntitle: Giới thiệu\ntype: page\n---\n\nChúng tôi.\n",
                           "content/en/about.md": "---\ntitle: About\ntype: page\n---\n\nWho we are.\n"})
    build_site(tiny_site)
    site = tiny_site / "site"
    for page in ("en/index.html", "en/about/index.html"):
        text = (site / page).read_text(encoding="utf-8")
        found = re.search(r'<a href="([^"]*)" type="application/zip" download data-loa-size>', text)
        assert found, page
        assert (site / posixpath.normpath(posixpath.join(posixpath.dirname(page), found.group(1)))).is_file()
        assert found.group(1).endswith("safe-children-en-offline.zip")
        assert ", ZIP<span class=\"loa-offline__size\">" in text
    assert "application/zip" not in (site / "en/drowning/ten-actions/index.html").read_text(encoding="utf-8")
    # not in the copy itself: the ZIP is not in it
    with zipfile.ZipFile(site / "en/safe-children-en-offline.zip") as opened:
        assert "application/zip" not in opened.read("safe-children-en-offline/index.html").decode()


@pytest.mark.parametrize(("titles", "ordered"), [
    (["Đuối nước", "Dạy bơi", "Ăn uống", "Anh em", "an toàn", "Ấm áp", "Bơi"],
     ["an toàn", "Anh em", "Ăn uống", "Ấm áp", "Bơi", "Dạy bơi", "Đuối nước"]),
    (["ma", "mà", "má", "mả", "mã", "mạ"], ["ma", "mà", "mả", "mã", "má", "mạ"]),
])
def test_vietnamese_titles_are_in_the_alphabets_order(titles: list[str], ordered: list[str]) -> None:
    assert sorted(titles, key=lambda title: sort_key("vi", title)) == ordered
    assert [initial("vi", t) for t in ("Đuối", "ăn", "Ấm", "1 ngày", "«Bơi»")] == ["Đ", "Ă", "Â", "#", "B"]
    assert [initial("en", t) for t in ("Éclair", "zoo")] == ["E", "Z"]


def test_hostile_titles_are_text_in_the_copy(tmp_path: Path, build_site: BuildSite) -> None:
    root = write_hostile_site(tmp_path / "project")
    build_site(root, today=TODAY)
    found = []
    for lang in LANGS:
        folder = copy_of(root / "site", lang, tmp_path / "copies" / lang)
        for page in sorted(folder.rglob("*.html")):
            found += problems_of(f"{lang}: {page.relative_to(folder).as_posix()}", parse(page))
        index = parse(folder / "search" / "index.html")
        titles = ["".join(a.itertext()) for ul in index.iter("ul") if ul.get("class") == "loa-az" for a in ul.iter("a")]
        assert any(in_lang(lang) in title for title in titles), lang
    assert not found, "\n".join(found[:40])
