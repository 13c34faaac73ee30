"""The Markdown of the pages Loa writes itself: the home, the campaign pages, the hubs and their
indexes, the search page. Every piece of an officer's text goes through `Context` (`loa/plan/pages.py`),
which escapes it for Markdown and marks its language."""

from __future__ import annotations

from markupsafe import Markup

from loa.model import Campaign, Document
from loa.plan import channels
from loa.plan.pages import Context, escape, link, tel


def home(ctx: Context) -> tuple[str, str, str]:
    uri = "index.md"
    summary, intro, lang = ctx.intro("index")
    out = [intro, ""] if intro else []
    running = ctx.by_phase(ctx.campaigns)["running"]
    if running:
        out += [f'!!! loa-now "{ctx.ui_md("home.banner")}"', ""]
        for campaign in running:
            target = link(uri, f"campaigns/{campaign.id}.md")
            out.append(f"    [{ctx.text(campaign.title)}]({target}) · "
                       f"{ctx.ui_md('campaign.until', date=ctx.date(campaign.end))}")
            out.append("")
    out += ctx.campaign_sections(uri, ctx.campaigns)
    if ctx.campaigns:
        name = ctx.site.settings.site_name.get(ctx.chain)
        data = channels.calendar(ctx.site, ctx.language, list(ctx.campaigns), name)
        out += [calendar_link(ctx, uri, "calendar.ics", "home.calendar", len(data)), ""]
    out += _hub_lists(ctx, uri)
    out += [f"## {ctx.ui_md('hotline.heading')}", "", hotline_text(ctx), ""]
    return summary, "\n".join(out), lang


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
    return ctx.block(uri, [Markup('<a href="{}">{}</a> · {}, {}').format(
        href, ctx.ui.html(label), ctx.ui.html("toolkit.format.ics"), channels.size_label(ctx.language.code, size))])


def _hub_lists(ctx: Context, uri: str) -> list[str]:
    out: list[str] = []
    for kind, ids in (("topics", ctx.site.topic_ids()), ("audiences", ctx.site.audience_ids())):
        if not ids:
            continue
        out += [f"## {ctx.ui_md(f'nav.{kind}')}", ""]
        out += [ctx.doc_list(uri, [ctx.site.documents[f"{kind}/{i}"] for i in ids]), ""]
    return out


def campaign_index(ctx: Context) -> tuple[str, str, str]:
    uri = "campaigns/index.md"
    body = ctx.campaign_sections(uri, ctx.campaigns) or [ctx.ui_md("listing.none")]
    return "", "\n".join(body), ctx.language.code


def campaign(ctx: Context, campaign: Campaign) -> tuple[str, tuple[str, str, str]]:
    uri = f"campaigns/{campaign.id}.md"
    title = campaign.title.get(ctx.chain)
    phase = campaign.phase(ctx.today)
    out = [ctx.text(campaign.summary), "{: .loa-lead }", ""]
    out += [f"**{ctx.ui_md('campaign.period')}:** {escape(ctx.period(campaign))} · "
            f"**{ctx.ui_md('campaign.status')}:** {ctx.ui_md(f'phase.{phase}')}", ""]
    ics = channels.calendar(ctx.site, ctx.language, [campaign], title)
    out += [calendar_link(ctx, uri, f"{campaign.id}.ics", "campaign.calendar", len(ics)),
            "", f"[{ctx.ui_md('toolkit.link')}]({link(uri, f'campaigns/{campaign.id}/toolkit.md')})", ""]
    if campaign.image:
        alt, alt_lang = campaign.image.alt.pick(ctx.chain)
        alt_attr = f'lang="{alt_lang}" ' if alt_lang != ctx.language.code else ""
        out += [f"![{escape(alt)}]({link(uri, campaign.image.src)}){{ {alt_attr}.loa-figure }}", ""]
    if campaign.key_messages:
        out += [f"## {ctx.ui_md('campaign.key_messages')}", ""]
        out += [f"- {ctx.text(m)}" for m in campaign.key_messages] + [""]
    if campaign.materials:
        out += [f"## {ctx.ui_md('campaign.materials')}", ""]
        documents = [ctx.site.documents[m] for m in campaign.materials]
        for audience in campaign.audiences:
            group = [d for d in documents if audience in d.best(ctx.chain).audiences]
            if group:
                # the audience page's title says whom for ("For families", "Dành cho gia đình")
                label, lang = ctx.doc_title(f"audiences/{audience}")
                out += [f"### {ctx.wrap(escape(label), lang)}", ""]
                out += [ctx.doc_list(uri, group), ""]
        rest = [d for d in documents if not set(d.best(ctx.chain).audiences) & set(campaign.audiences)]
        if rest:
            out += [f"### {ctx.ui_md('campaign.for_everyone')}", ""]
            out += [ctx.doc_list(uri, rest), ""]
    if campaign.events:
        out += [f"## {ctx.ui_md('campaign.events')}", ""]
        for event in campaign.events:
            place = f" · {ctx.text(event.place)}" if event.place else ""
            out.append(f"- **{escape(ctx.date(event.date))}**: {ctx.text(event.title)}{place}")
        out.append("")
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
    uri = f"{kind}/index.md"
    ids = ctx.site.topic_ids() if kind == "topics" else ctx.site.audience_ids()
    body = ctx.doc_list(uri, [ctx.site.documents[f"{kind}/{i}"] for i in ids]) if ids \
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
        out += [f"## {ctx.ui_md('hub.campaigns')}", ""]
        out += [ctx.campaign_list(uri, sorted(campaigns, key=lambda c: (c.start, c.id))), ""]
    if materials:
        out += [f"## {ctx.ui_md('hub.materials')}", ""]
        by_type: dict[str, list[Document]] = {}
        for document in materials:
            by_type.setdefault(document.best(ctx.chain).type, []).append(document)
        for doc_type in sorted(by_type, key=lambda t: ctx.ui(f"types.{t}")):
            out += [f"### {ctx.ui_md(f'types.{doc_type}')}", ""]
            out += [ctx.doc_list(uri, by_type[doc_type]), ""]
    if not campaigns and not materials:
        out.append(ctx.ui_md("listing.none"))
    return title, (summary, "\n".join(out), lang)
