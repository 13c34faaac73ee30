"""The Markdown of the pages Loa writes itself: the home, the campaign pages, the hubs and their
indexes, the search page. Every piece of an officer's text goes through `Context` (`loa/plan/pages.py`),
which escapes it for Markdown and marks its language."""

from __future__ import annotations

from markupsafe import Markup

from loa.i18n.strings import format_html
from loa.model import Campaign, Document
from loa.plan import channels
from loa.plan.cards import campaign_cards, material_cards
from loa.plan.pages import Context, escape, link, tel, url_link


def home(ctx: Context) -> tuple[str, str, str]:
    """The running campaign first (a hero), the hotline as a call to action, cards for topics and
    audiences, then the other campaigns, compact (issue #16: a parent finds all three at once)."""
    uri = "index.md"
    summary, intro, lang = ctx.intro("index")
    phases = ctx.by_phase(ctx.campaigns)
    out: list[str] = []
    for campaign in phases["running"]:
        out += hero(ctx, uri, campaign)
    out += ['<div class="loa-call" markdown>', "", f"## {ctx.ui_md('hotline.heading')}", "",
            hotline_text(ctx), "", "</div>", ""]
    out += [intro, ""] if intro else []
    out += _hub_lists(ctx, uri)
    for phase in ("upcoming", "ended"):
        if phases[phase]:
            out += [f"## {ctx.ui_md(f'phase.{phase}.heading')}", ""]
            out += [ctx.block(uri, [format_html('<a href="{}">{}</a> · {}', url_link(uri, f"campaigns/{c.id}.md"),
                                                ctx.html(c.title), ctx.period(c)) for c in phases[phase]]), ""]
    if ctx.campaigns:
        name = ctx.site.settings.site_name.get(ctx.chain)
        data = channels.calendar(ctx.site, ctx.language, list(ctx.campaigns), name)
        out += [calendar_link(ctx, uri, "calendar.ics", "home.calendar", len(data)), ""]
    return summary, "\n".join(out), lang


def hero(ctx: Context, uri: str, campaign: Campaign) -> list[str]:
    """A running campaign on the home page: image, title, summary, key messages, a button to its page."""
    target = link(uri, f"campaigns/{campaign.id}.md")
    out = ['<section class="loa-hero" markdown>', ""]
    if campaign.image:
        alt, alt_lang = campaign.image.alt.pick(ctx.chain)
        alt_attr = f'lang="{alt_lang}" ' if alt_lang != ctx.language.code else ""
        out += [f"![{escape(alt)}]({link(uri, campaign.image.src)}){{ {alt_attr}.loa-hero__image }}", ""]
    out += ['<div class="loa-hero__text" markdown>', "",
            f"**{ctx.ui_md('phase.running.heading')}** · {ctx.ui_md('campaign.until', date=ctx.date(campaign.end))}",
            "{: .loa-hero__kicker }", "", f"## [{ctx.text(campaign.title)}]({target})", "",
            ctx.text(campaign.summary), "{: .loa-lead }", ""]
    if campaign.key_messages:
        out += ['<div class="loa-messages" markdown>', ""]
        out += [f"1. {ctx.text(m)}" for m in campaign.key_messages] + ["", "</div>", ""]
    out += [f"[{ctx.ui_md('home.see_campaign')}]({target}){{ .md-button .md-button--primary }}", "",
            "</div>", "", "</section>", ""]
    return out


def hotline_text(ctx: Context) -> str:
    hotline = ctx.site.settings.hotline
    name, lang = hotline.name.pick(ctx.chain)
    call = ctx.ui_md("hotline.call", number=hotline.number)
    # the link's text keeps the number as written (`1800 1567`); its address has digits only
    text = (f'{ctx.wrap(escape(name), lang)}: [{call}]({tel(hotline.number)}){{ .loa-tel }} · '
            f'{ctx.ui_md("hotline.free")}')
    if "hotline" in ctx.site.documents:
        text += f" · [{ctx.ui_md('hotline.more')}](hotline.md)"
    return text


def calendar_link(ctx: Context, uri: str, href: str, label: str, size: int) -> str:
    """A link to an iCalendar file (made by loa/outputs/channels.py), with its format and size."""
    size_label = channels.size_label(ctx.language.code, size)
    return ctx.block(uri, [format_html('<a href="{}">{}</a> · {}, {}', href, ctx.ui.html(label),
                                       ctx.ui.html("toolkit.format.ics"), size_label)])


def _hub_lists(ctx: Context, uri: str) -> list[str]:
    out: list[str] = []
    for kind, ids in (("topics", ctx.site.topic_ids()), ("audiences", ctx.site.audience_ids())):
        if not ids:
            continue
        out += [f"## {ctx.ui_md(f'nav.{kind}')}", ""]
        out += [f'<div class="loa-cards loa-cards--{kind}" markdown>', "",
                ctx.doc_list(uri, [ctx.site.documents[f"{kind}/{i}"] for i in ids]), "", "</div>", ""]
    return out


def campaign_index(ctx: Context) -> tuple[str, str, str]:
    uri = "campaigns/index.md"
    body = ctx.campaign_sections(uri, ctx.campaigns) or [ctx.ui_md("listing.none")]
    return "", "\n".join(body), ctx.language.code


def campaign(ctx: Context, campaign: Campaign) -> tuple[str, tuple[str, str, str]]:
    """A campaign's page (issue #16): its picture full width, period and status, the key messages as large
    numbered cards, "start here", the materials as cards per audience, the events as an agenda."""
    uri = f"campaigns/{campaign.id}.md"
    title = campaign.title.get(ctx.chain)
    phase = campaign.phase(ctx.today)
    out = [ctx.text(campaign.summary), "{: .loa-lead }", ""]
    out += [f"**{ctx.ui_md('campaign.period')}:** {escape(ctx.period(campaign))} · "
            f"**{ctx.ui_md('campaign.status')}:** {ctx.ui_md(f'phase.{phase}')}", "{: .loa-campaign-when }", ""]
    if campaign.image:
        alt, alt_lang = campaign.image.alt.pick(ctx.chain)
        alt_attr = f'lang="{alt_lang}" ' if alt_lang != ctx.language.code else ""
        out += [f"![{escape(alt)}]({link(uri, campaign.image.src)}){{ {alt_attr}.loa-figure .loa-figure--wide }}", ""]
    if campaign.key_messages:
        out += [f"## {ctx.ui_md('campaign.key_messages')}", "",
                '<div class="loa-messages loa-messages--cards" markdown>', ""]
        out += [f"1. {ctx.text(m)}" for m in campaign.key_messages] + ["", "</div>", ""]
    documents = {m: ctx.site.documents[m] for m in campaign.materials}
    if campaign.start_here:
        out += [f"## {ctx.ui_md('campaign.start_here')}", "", material_cards(ctx, uri, [
            documents[m] for m in campaign.start_here if m in documents]), ""]
    if documents:
        out += [f"## {ctx.ui_md('campaign.materials')}", ""]
        for audience in campaign.audiences:
            group = [d for d in documents.values() if audience in d.best(ctx.chain).audiences]
            if group:
                # the audience page's title says whom for ("For families", "Dành cho gia đình")
                label, lang = ctx.doc_title(f"audiences/{audience}")
                out += [f"### {ctx.wrap(escape(label), lang)}", "", material_cards(ctx, uri, group), ""]
        rest = [d for d in documents.values() if not set(d.best(ctx.chain).audiences) & set(campaign.audiences)]
        if rest:
            out += [f"### {ctx.ui_md('campaign.for_everyone')}", "", material_cards(ctx, uri, rest), ""]
    if campaign.events:
        out += [f"## {ctx.ui_md('campaign.events')}", "", ctx.html_block(uri, Markup(
            '<ul class="loa-agenda">\n{}\n</ul>').format(Markup("\n").join(Markup(
                '<li><span class="loa-agenda__date">{}</span> <span class="loa-agenda__what">{}{}</span></li>').format(
                ctx.date(e.date), ctx.html(e.title),
                format_html('<span class="loa-agenda__place">{}</span>', ctx.html(e.place)) if e.place else "")
                for e in campaign.events))), ""]
    ics = channels.calendar(ctx.site, ctx.language, [campaign], title)
    out += [calendar_link(ctx, uri, f"{campaign.id}.ics", "campaign.calendar", len(ics)),
            "", f"[{ctx.ui_md('toolkit.link')}]({link(uri, f'campaigns/{campaign.id}/toolkit.md')})", ""]
    labels = [f"[{ctx.wrap(escape(label), lang)}]({link(uri, f'topics/{t}.md')})"
              for t in campaign.topics for label, lang in [ctx.doc_title(f"topics/{t}")]]
    if labels:
        out += [f"**{ctx.ui_md('nav.topics')}:** " + ", ".join(labels), ""]
    return title, (campaign.summary.get(ctx.chain), "\n".join(out), ctx.language.code)


def search_page(ctx: Context) -> tuple[str, str, str]:
    """The page the search box opens without JavaScript; with it, results show under the box."""
    uri = "search.md"
    browse = ", ".join(f"[{ctx.ui_md(f'nav.{kind}')}]({link(uri, f'{kind}/index.md')})"
                       for kind in ("campaigns", "topics", "audiences"))
    body = [f'<noscript><p class="loa-nojs">{ctx.ui.html("search.nojs")}</p></noscript>', "",
            f"{ctx.ui_md('search.browse')} {browse}.", ""]
    return "", "\n".join(body), ctx.language.code


def hub_index(ctx: Context, kind: str) -> tuple[str, str, str]:
    """The topics, or the audiences, as cards (the home's)."""
    uri = f"{kind}/index.md"
    ids = ctx.site.topic_ids() if kind == "topics" else ctx.site.audience_ids()
    body = "\n".join([f'<div class="loa-cards loa-cards--{kind}" markdown>', "",
                      ctx.doc_list(uri, [ctx.site.documents[f"{kind}/{i}"] for i in ids]), "", "</div>"]) if ids \
        else ctx.ui_md("listing.none")
    return "", body, ctx.language.code


def hub(ctx: Context, kind: str, hub_id: str) -> tuple[str, tuple[str, str, str]]:
    uri = f"{kind}/{hub_id}.md"
    title, _ = ctx.doc_title(f"{kind}/{hub_id}")
    summary, intro, lang = ctx.intro(f"{kind}/{hub_id}")
    field = "topics" if kind == "topics" else "audiences"
    campaigns = [c for c in ctx.campaigns if hub_id in getattr(c, field)]
    materials = [d for d in ctx.site.documents.values()
                 if d.kind == "material" and hub_id in getattr(d.best(ctx.chain), field)]
    out = [intro, ""] if intro else []
    if campaigns:
        out += [f"## {ctx.ui_md('hub.campaigns')}", "",
                campaign_cards(ctx, uri, sorted(campaigns, key=lambda c: (c.start, c.id))), ""]
    if materials:
        out += [f"## {ctx.ui_md('hub.materials')}", "", *_hub_groups(ctx, uri, kind, materials)]
    if not campaigns and not materials:
        out.append(ctx.ui_md("listing.none"))
    return title, (summary, "\n".join(out), lang)


def _hub_groups(ctx: Context, uri: str, kind: str, materials: list[Document]) -> list[str]:
    """A hub's materials as cards (issue #16), in groups a reader looks for: a topic's by audience ("For
    families", as on a campaign's page), an audience's by topic; in a group, the same types together."""
    def by_type(document: Document) -> str:  # the order of the hubs' type headings before the cards
        doc_type = document.best(ctx.chain).type
        return ctx.ui(f"types.{doc_type}")
    materials = sorted(materials, key=by_type)
    other = "audiences" if kind == "topics" else "topics"
    out: list[str] = []
    placed: set[str] = set()
    for group_id in ctx.site.audience_ids() if other == "audiences" else ctx.site.topic_ids():
        group = [d for d in materials if group_id in getattr(d.best(ctx.chain), other)]
        if group:
            label, lang = ctx.doc_title(f"{other}/{group_id}")
            out += [f"### {ctx.wrap(escape(label), lang)}", "", material_cards(ctx, uri, group), ""]
            placed.update(d.id for d in group)
    rest = [d for d in materials if d.id not in placed]  # an id without its page (the check reports it)
    return ([material_cards(ctx, uri, rest), ""] if rest else []) + out
