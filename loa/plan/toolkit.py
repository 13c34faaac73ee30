"""The toolkit page of a campaign (`/<lang>/campaigns/<id>/toolkit/`): every file to download, with its
format, size and use; posts ready to paste with copy and share buttons (theme/assets/javascripts/loa-toolkit.js);
the SMS texts with their encoding and parts; the loudspeaker script with its reading time.

Its lists and forms are Loa's own HTML (`Context.html_block`): every officer's text in them is escaped,
and text that falls back to another language carries its `lang`.
"""

from __future__ import annotations

import posixpath

from markupsafe import Markup

from loa import sms
from loa.i18n.strings import format_html
from loa.model import Campaign
from loa.plan import channels, share
from loa.plan.pages import Context, html_text


def uri_of(campaign: Campaign) -> str:
    return f"campaigns/{campaign.id}/toolkit.md"


def toolkit(ctx: Context, campaign: Campaign) -> tuple[str, tuple[str, str, str]]:
    uri = uri_of(campaign)
    site, language, ui = ctx.site, ctx.language, ctx.ui
    here = posixpath.dirname(channels.campaign_dir(campaign)) + "/toolkit"
    title = ui("toolkit.title", title=campaign.title.get(ctx.chain))
    out = [ctx.ui_md("toolkit.intro"), ""]

    items = []
    for product in channels.products(site, language, ui, campaign):
        size = f", {channels.size_label(language.code, product.size)}" if product.size is not None else ""
        items.append(format_html('<a href="{}">{}</a> · {}{}<br />\n{}', posixpath.relpath(product.path, here),
                                 posixpath.basename(product.path), product.format, size, product.use))
    out += [f"## {ctx.ui_md('toolkit.files')}", "", ctx.block(uri, items), ""]

    items = []
    for card in share.campaign_cards(site, language, ui, campaign):
        path = card.path.removeprefix(f"{language.code}/")
        items.append(format_html(
            '<a href="{}">{}</a> · {}<br />\n{}<br />\n{} {}', posixpath.relpath(path, here), posixpath.basename(path),
            ui.html("toolkit.format.png.size", width=card.size[0], height=card.size[1]),
            ui.html("toolkit.use.png" if card.size == share.WIDE else "toolkit.use.png.post"),
            ui.html("toolkit.image.text"), ctx.span(html_text(card.alt), card.lang)))
    out += [f"## {ctx.ui_md('toolkit.images')}", "", ctx.block(uri, items), ""]

    messages = channels.messages(campaign, language)
    if messages:
        out += [f"## {ctx.ui_md('toolkit.posts')}", "", ctx.ui_md("toolkit.posts.intro"), ""]
        for number, message in enumerate(messages, 1):
            text = channels.post(site, language, ui, campaign, message)
            out += [ctx.html_block(uri, _post(ctx, number, text, message.lang)), ""]
        out += [f"## {ctx.ui_md('toolkit.sms')}", "", ctx.ui_md("toolkit.sms.intro"), ""]
        items = []
        for (accented, plain), message in zip(channels.sms_texts(site, language, ui, campaign), messages, strict=True):
            item = _sms(ctx, ui.html("toolkit.sms.accented"), accented, message.lang)
            if plain.text != accented.text:
                item += Markup("\n") + _sms(ctx, ui.html("toolkit.sms.unaccented"), plain, message.lang)
            items.append(item)
        out += [ctx.html_block(uri, format_html('<ol class="loa-sms">\n{}\n</ol>', Markup("\n").join(
            format_html("<li>{}</li>", item) for item in items))), ""]

    paragraphs = channels.script_paragraphs(site, language, ui, campaign)
    seconds = channels.reading_seconds(" ".join(text for text, _ in paragraphs), language.code)
    reading = ctx.span(html_text(channels.reading_time(ui, language.code, seconds)),
                       ui.origin.get("speech.reading", language.code))
    out += [f"## {ctx.ui_md('toolkit.loudspeaker')}", "",
            ctx.html_block(uri, format_html('<p>{}</p>\n<div class="loa-script">\n{}\n</div>', reading,
                                            Markup("\n").join(format_html("<p>{}</p>", ctx.span(html_text(text), lang))
                                                               for text, lang in paragraphs))), ""]
    return title, (campaign.summary.get(ctx.chain), "\n".join(out), language.code)


def _post(ctx: Context, number: int, text: str, lang: str) -> Markup:
    """A post's text, its copy and share buttons (shown by the script where they work) and a live status."""
    ident = f"loa-post-{number}"
    lines = Markup("<br />\n").join(html_text(line) for line in text.split("\n"))
    note = format_html('<p class="loa-note">{}</p>\n', ctx.ui.html("toolkit.fallback", language=_name(ctx, lang))) \
        if lang != ctx.language.code else Markup()
    return format_html(
        '<div class="loa-post">\n{note}<p class="loa-post__text" id="{ident}"{lang}>{lines}</p>\n'
        '<p class="loa-post__actions">'
        '<button type="button" class="md-button" data-loa-copy="{ident}" hidden>{copy}</button> '
        '<button type="button" class="md-button" data-loa-share="{ident}" hidden>{share}</button> '
        '<span class="loa-post__status" role="status" data-loa-copied="{copied}"></span></p>\n</div>',
        note=note, ident=ident, lang=format_html(' lang="{}"', lang) if lang != ctx.language.code else "",
        lines=lines, copy=ctx.ui.html("toolkit.copy", n=number), share=ctx.ui.html("toolkit.share", n=number),
        copied=ctx.ui("toolkit.copied"))


def _sms(ctx: Context, label: Markup, count: sms.Count, lang: str) -> Markup:
    attr = format_html(' lang="{}"', lang) if lang != ctx.language.code else ""
    counted = ctx.ui.html("toolkit.sms.count", encoding=count.encoding, units=count.units, segments=count.segments)
    return format_html('<p><strong>{}</strong> ({})</p>\n<p class="loa-sms__text"{}>{}</p>', label, counted, attr,
                       count.text)


def _name(ctx: Context, lang: str) -> Markup:
    name = next((language.name for language in ctx.site.settings.languages if language.code == lang), lang)
    return format_html('<span lang="{}">{}</span>', lang, name)
