"""The cards of generated pages and what a material's page offers to read next (issue #16): materials as
cards on a campaign's page and on the hubs (type icon and name, age band, reading time), related materials."""

from __future__ import annotations

import heapq

from markupsafe import Markup, escape

from loa.i18n.strings import format_html
from loa.model import Campaign, Document
from loa.plan.pages import ICON, TYPE_ICONS, Context, html_text, link, page_path, reading_minutes, url_link

GRID = '<div class="loa-cards loa-cards--materials">'
"""A list of cards of other pages (materials, campaigns)."""


def material_cards(ctx: Context, from_uri: str, documents: list[Document]) -> str:
    """Materials as cards (a campaign's page, a hub): title, type icon and name, age band, reading time, summary.

    A card is the same on every page of a language but for its link: all after the link is made once
    (`Context.cards`): a material is on its campaigns' pages and on two or three hubs, in several groups."""
    here = page_path(from_uri) + "index.md"  # `url_link`, the page's part of it done once
    # One Markup of escaped parts (the address escaped, the rest already Markup): a hub lists hundreds of
    # cards, and a Markup per card and `Markup.join` cost more than the cards themselves.
    items = "\n".join(f'{CARD_START}{escape(link(here, page_path(document.id + ".md")) or "./")}'
                      f'{_card_rest(ctx, document)}' for document in documents)
    return ctx.html_block(from_uri, Markup(f"{GRID}\n<ul>\n{items}\n</ul>\n</div>"))


CARD_START = Markup('<li><a href="')


def _card_rest(ctx: Context, document: Document) -> Markup:
    """What follows a material card's link address: its title and meta line, its summary."""
    rest = ctx.cards.get(document.id)
    if rest is None:
        t = document.best(ctx.chain)
        meta = [Markup(ICON.format(TYPE_ICONS.get(t.type, TYPE_ICONS["page"]))) + ctx.ui.html(f"type.{t.type}")]
        meta += [ctx.ui.html("page.ages", ages=t.ages)] if t.ages else []
        meta.append(ctx.ui.html("page.reading", n=reading_minutes(t.body)))
        summary = format_html('<span class="loa-card__summary">{}</span>', ctx.span(html_text(t.summary), t.lang)) \
            if t.summary else Markup()
        rest = ctx.cards[document.id] = format_html('">{}</a><span class="loa-card__meta">{}</span>{}</li>',
                                                    ctx.span(html_text(t.title), t.lang), Markup(" · ").join(meta),
                                                    summary)
    return rest


def campaign_cards(ctx: Context, from_uri: str, campaigns: list[Campaign]) -> str:
    """Campaigns as cards (a hub): title, period, summary, as a material's card shows its own."""
    grid = Markup(GRID + '\n<ul>\n{}\n</ul>\n</div>')
    return ctx.html_block(from_uri, grid.format(
        Markup("\n").join(Markup('<li><a href="{}">{}</a><span class="loa-card__meta">{}</span>'
                                 '<span class="loa-card__summary">{}</span></li>').format(
            url_link(from_uri, f"campaigns/{c.id}.md"), ctx.html(c.title), ctx.period(c), ctx.html(c.summary))
            for c in campaigns)))


def related(ctx: Context, document: Document, limit: int = 6) -> list[Document]:
    """What to read after a material: the same topic for other audiences (at most half of `limit`),
    then the other materials of its campaigns (the checklist that goes with the guide)."""
    here = document.best(ctx.chain)
    audiences = frozenset(here.audiences)
    found: dict[str, Document] = {}
    for topic_id in here.topics:
        groups = ctx.topic_groups.get(topic_id, {})
        # the topic's materials in the site's order, of the groups with an audience this one has not
        for _place, other in heapq.merge(*(group for group_audiences, group in groups.items()
                                           if group_audiences - audiences)):
            if len(found) >= limit // 2:  # the first ones found are taken: looking further is for nothing
                break
            if other.id != document.id and other.id not in found:
                found[other.id] = other
    for campaign in ctx.campaigns_using.get(document.id, ()):
        for material in campaign.materials:
            if material != document.id and material in ctx.site.documents:
                found.setdefault(material, ctx.site.documents[material])
    return list(found.values())[:limit]
