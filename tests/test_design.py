"""The pages' design (issue #16), built with the real MkDocs: a campaign's page, a material's page."""

from __future__ import annotations

import posixpath
import re
from pathlib import Path

from conftest import CAMPAIGN, SETTINGS, BuildSite, write_tree

CAMPAIGN_FILE = "campaigns/safe-summer.yml"


def read(root: Path, path: str) -> str:
    return (root / "site" / path).read_text(encoding="utf-8")


def test_campaign_page_has_message_cards_start_here_material_cards_and_an_agenda(
        tiny_site: Path, build_site: BuildSite) -> None:
    write_tree(tiny_site, {CAMPAIGN_FILE: CAMPAIGN + "start_here: [drowning/checklist]\n"})
    build_site(tiny_site)
    page = read(tiny_site, "vi/campaigns/safe-summer/index.html")
    assert '<div class="loa-messages loa-messages--cards">' in page
    start = page[page.index('id="bat-dau-tu-day"'):page.index('id="tai-lieu"')]  # "Bắt đầu từ đây" .. "Tài liệu"
    assert 'href="../../drowning/checklist/"' in start and "ten-actions" not in start
    cards = page[page.index('id="tai-lieu"'):]
    # each material: its type's icon (Material's SVG, inline), type name, reading time
    assert '<svg class="loa-icon" aria-hidden="true" xmlns="http://www.w3.org/2000/svg"' in cards
    assert "Tờ thông tin" in cards and "1 phút đọc" in cards
    assert "<!--loa:icon" not in page
    agenda = page[page.index('<ul class="loa-agenda">'):]
    assert '<span class="loa-agenda__date">25 tháng 7, 2027</span>' in agenda


def test_campaign_page_without_start_here_has_no_such_section(tiny_site: Path, build_site: BuildSite) -> None:
    build_site(tiny_site)
    page = read(tiny_site, "vi/campaigns/safe-summer/index.html")
    assert "Bắt đầu từ đây" not in page and 'class="loa-cards loa-cards--materials"' in page


CHILDREN_VI = """\
---
title: Nổi như ngôi sao
type: story
topics: [drowning-prevention]
audiences: [children]
sources:
  - {title: Preventing drowning, publisher: WHO, year: 2017}
reviewed: 2026-11-01
---

Nếu em bị rơi xuống nước, hãy nằm ngửa.
"""


def test_material_page_has_breadcrumbs_what_it_is_and_what_to_read_next(tiny_site: Path,
                                                                           build_site: BuildSite) -> None:
    write_tree(tiny_site, {"content/vi/drowning/star.md": CHILDREN_VI,
                           "content/vi/audiences/children.md": "---\ntitle: Trẻ em\n---\n"})
    build_site(tiny_site)
    page = read(tiny_site, "vi/drowning/ten-actions/index.html")
    crumbs = page[page.index('<nav class="loa-crumbs"'):page.index("</nav>", page.index("loa-crumbs"))]
    assert '<a href="../../">Trang chủ</a>' in crumbs
    assert '<a href="../../topics/drowning-prevention/">Phòng, chống đuối nước</a>' in crumbs
    assert '<span aria-current="page">Mười hành động phòng, chống đuối nước</span>' in crumbs
    kicker = page[page.index('<p class="loa-kicker">'):]
    assert kicker.index("Tờ thông tin") < kicker.index("Gia đình") < kicker.index("1 phút đọc") < kicker.index("<h1")
    related = page[page.index('<section class="loa-related"'):page.index('<section class="loa-facts"')]
    # the campaign's other material, and the same topic for another audience
    assert 'href="../checklist/"' in related and 'href="../star/"' in related
    assert "loa-for-children" not in page
    star = read(tiny_site, "vi/drowning/star/index.html")
    assert '<div class="loa-for-children">' in star
    assert 'href="../ten-actions/"' in star  # the same topic for families


def test_the_root_language_chooser_has_the_sites_description(tiny_site: Path, build_site: BuildSite) -> None:
    """Search engines show it under the title (Lighthouse's SEO audit wants one on every page)."""
    settings = SETTINGS.replace("    languages:", '    description: {vi: "Tài liệu <an toàn> & trẻ em", en: Safety}\n'
                                "    languages:")
    write_tree(tiny_site, {"mkdocs.yml": settings})
    build_site(tiny_site)
    assert '<meta name="description" content="Tài liệu &lt;an toàn&gt; &amp; trẻ em">' in read(tiny_site, "index.html")


def test_the_404_page_offers_the_way_home_and_the_hotline(tiny_site: Path, build_site: BuildSite) -> None:
    build_site(tiny_site)
    page = read(tiny_site, "vi/404.html")
    call = page[page.index('<div class="loa-call">'):]
    assert '<a class="loa-tel" href="tel:111">Gọi 111</a>' in call
    assert "Tổng đài quốc gia bảo vệ trẻ em" in call


def test_topic_and_audience_hubs_show_materials_as_cards_in_groups(tiny_site: Path, build_site: BuildSite) -> None:
    write_tree(tiny_site, {"content/vi/drowning/star.md": CHILDREN_VI,
                           "content/vi/audiences/children.md": "---\ntitle: Dành cho trẻ em\n---\n"})
    build_site(tiny_site)
    topic = read(tiny_site, "vi/topics/drowning-prevention/index.html")
    materials = topic[topic.index('id="tai-lieu"'):]  # "Tài liệu"
    # a topic's materials by audience, as on a campaign's page: the audience page's title, then its cards
    children, families = materials.index(">Dành cho trẻ em<a"), materials.index(">Gia đình<a")
    assert children < materials.index('href="../../drowning/star/"') < families
    assert materials.index('href="../../drowning/ten-actions/"') > families
    assert materials.count('<div class="loa-cards loa-cards--materials">') == 2
    assert "Câu chuyện" in materials and "phút đọc" in materials and '<svg class="loa-icon"' in materials
    campaigns = topic[:topic.index('id="tai-lieu"')]
    assert '<li><a href="../../campaigns/safe-summer/">Mùa hè an toàn</a><span class="loa-card__meta">' in campaigns
    # an audience's materials by topic
    audience = read(tiny_site, "vi/audiences/children/index.html")
    grouped = audience[audience.index('id="tai-lieu"'):]
    assert grouped.index(">Phòng, chống đuối nước<a") < grouped.index('href="../../drowning/star/"')
    assert "ten-actions" not in grouped
    # the list of topics is cards too, as on the home
    assert '<div class="loa-cards loa-cards--topics">' in read(tiny_site, "vi/topics/index.html")


def test_header_and_body_rendered_once_per_key_keep_each_pages_links_and_title(tiny_site: Path,
                                                                               build_site: BuildSite) -> None:
    """The header, the body's start (hotline bar) and the footer are rendered once per key (`loa_fragment`,
    theme/README.md "Fragments"): at every depth the logo still leads home and the hotline bar's link to
    the hotline page, while the page's title and its language links stay the page's own."""
    write_tree(tiny_site, {"content/vi/hotline.md": "---\ntitle: Tổng đài 111\ntype: page\n---\n\nGọi 111.\n",
                           "content/en/hotline.md": "---\ntitle: Hotline 111\ntype: page\n---\n\nCall 111.\n"})
    build_site(tiny_site)
    site = tiny_site / "site"
    for page, title, other in (
            ("vi/index.html", "Trẻ em an toàn", "../en/"),
            ("vi/drowning/ten-actions/index.html", "Mười hành động", "../../../en/drowning/ten-actions/"),
            ("vi/topics/drowning-prevention/index.html", "Phòng, chống đuối nước",
             "../../../en/topics/drowning-prevention/"),
            ("en/drowning/ten-actions/index.html", "Ten actions", "../../../vi/drowning/ten-actions/")):
        html = (site / page).read_text(encoding="utf-8")
        folder = posixpath.dirname(page)
        home = re.search(r'<a href="([^"]*)" title="[^"]*" class="md-header__button md-logo"', html)
        assert home is not None
        assert posixpath.normpath(posixpath.join(folder, home.group(1))) == page.split("/")[0], page
        more = re.search(r'<span class="loa-hotline__more">· <a href="([^"]*)"', html)
        assert more is not None
        assert (site / posixpath.normpath(posixpath.join(folder, more.group(1))) / "index.html").is_file(), page
        topic = html[html.index('data-md-component="header-topic"'):]
        assert title in topic[:topic.index("</span>")], page
        switcher = html[html.index('<ul class="md-select__list">'):]
        assert f'href="{other}"' in switcher[:switcher.index("</ul>")], page


def test_relative_links_are_those_posixpath_relpath_gives() -> None:
    """`relative` (loa/render/view.py) computes links without `posixpath.relpath` (25 Python calls a link);
    it must give the same link for every pair, odd paths included."""
    from itertools import product

    from loa.render.view import _relpath, relative
    segments = ["vi", "en", "a", "x.pdf", "index.html", "..", ".", ""]
    urls = {"/" + "/".join(parts) + end for n in range(4) for parts in product(segments, repeat=n)
            for end in ("", "/")}
    assert len(urls) > 1000
    for start, target in product(sorted(urls)[::7], sorted(urls)):
        assert relative(start, target) == _relpath(start, target), (start, target)


def test_loas_stylesheet_is_published_without_its_comments(tiny_site: Path, build_site: BuildSite) -> None:
    """A first visit stays within 50 KB gzip (bench/weight.py): the comments of loa.css stay in the theme."""
    from loa.render.css import without_comments
    build_site(tiny_site)
    source = (Path(__file__).resolve().parents[1] / "theme/assets/stylesheets/loa.css").read_text(encoding="utf-8")
    published = read(tiny_site, "vi/assets/stylesheets/loa.css")
    assert "/*" in source and "/*" not in published
    assert published == without_comments(source) and ".loa-for-children" in published
    assert without_comments('a::before { content: "/* kept */"; } /* gone */\n\n\nb {}') == \
        'a::before { content: "/* kept */"; }\nb {}'
