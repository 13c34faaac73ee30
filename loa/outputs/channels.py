"""Each language's campaign files (calendars, SMS texts, loudspeaker scripts: `loa/plan/channels.py`) and its
Atom feed of campaigns and materials (`/<lang>/feed.xml`, RFC 4287), made from the plan.

Only the campaigns the plan has pages for are in them: draft campaigns only with `--drafts`.
"""

from __future__ import annotations

import datetime as dt
from xml.sax.saxutils import escape, quoteattr

from loa.model import Campaign, Site
from loa.outputs.base import Reads, Scope, Target, Written, digest
from loa.plan import channels
from loa.plan.site import LanguagePlan

FEED = "feed.xml"
CALENDAR = "calendar.ics"


def campaigns_of(site: Site, language: LanguagePlan) -> list[Campaign]:
    """The campaigns this language's plan has a page for, in the site's order."""
    uris = {page.src_uri for page in language.pages}
    return [c for c in site.campaigns if f"campaigns/{c.id}.md" in uris]


class _FromPlan:
    """An output of one language whose files are made from the plan in milliseconds: they are their own digest."""

    name = ""
    scope: Scope = "language"
    reads: Reads = "plan"

    def digest(self, target: Target, previous: str | None) -> str:
        files = target.memo["files"] = self.files(target)
        return digest(f"{name}\0{data.hex()}" for name, data in sorted(files.items()))

    def write(self, target: Target) -> Written:
        files = target.memo.get("files") or self.files(target)
        assert isinstance(files, dict) and target.language is not None
        for name, data in files.items():
            path = target.out / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
        return Written(tuple(sorted(files)), f"{target.language.lang} {len(files)} files")

    def files(self, target: Target) -> dict[str, bytes]:
        raise NotImplementedError


class CampaignFiles(_FromPlan):
    """Per language: `calendar.ics` of every campaign; per campaign its `.ics`, SMS texts and loudspeaker script."""

    name = "channels"

    def files(self, target: Target) -> dict[str, bytes]:
        assert target.language is not None
        site, plan = target.site, target.language
        lang = plan.lang
        campaigns = campaigns_of(site, plan)
        found: dict[str, bytes] = {}
        if campaigns:
            found[f"{lang}/{CALENDAR}"] = channels.calendar(site, plan.language, campaigns, plan.site_name)
        for campaign in campaigns:
            for path, data in channels.files(site, plan.language, plan.ui, campaign).items():
                found[f"{lang}/{path}"] = data
        return found


class Feed(_FromPlan):
    """Per language: an Atom feed of its campaigns and the materials written in it, newest first
    (a campaign by its start, a material by its `reviewed` date)."""

    name = "feed"

    def files(self, target: Target) -> dict[str, bytes]:
        assert target.language is not None
        return {f"{target.language.lang}/{FEED}": feed(target.site, target.language).encode()}


def feed(site: Site, plan: LanguagePlan) -> str:
    lang = plan.lang
    entries: list[tuple[dt.date, str, str, str]] = []
    """(date, path in the language, title, summary)"""
    for campaign in campaigns_of(site, plan):
        entries.append((campaign.start, channels.campaign_dir(campaign), campaign.title.get(plan.language.chain),
                        campaign.summary.get(plan.language.chain)))
    for page in plan.pages:
        document = site.documents.get(page.src_uri[:-3])
        if document is None or document.kind != "material" or page.is_fallback:
            continue
        reviewed = document.translations[lang].reviewed
        if reviewed is not None:
            entries.append((reviewed, page.url.removeprefix(f"/{lang}/"), page.title, page.summary))
    entries.sort(key=lambda e: (e[0], e[1]), reverse=True)
    home = channels.page_address(site, lang, "")
    # the newest entry's date, not the clock's: the same input gives the same bytes
    updated = _time(max((e[0] for e in entries), default=dt.date(1970, 1, 1)))
    lines = ['<?xml version="1.0" encoding="utf-8"?>', f'<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="{lang}">',
             f"  <id>{escape(_id(home))}</id>", f"  <title>{escape(plan.site_name)}</title>"]
    if plan.description:
        lines.append(f"  <subtitle>{escape(plan.description)}</subtitle>")
    lines += [f"  <updated>{updated}</updated>", f"  <author><name>{escape(plan.site_name)}</name></author>",
              f'  <link rel="self" href={quoteattr(home + FEED)}/>',
              f'  <link rel="alternate" href={quoteattr(home)}/>']
    for date, path, title, summary in entries:
        address = channels.page_address(site, lang, path)
        lines += ["  <entry>", f"    <id>{escape(_id(address))}</id>", f"    <title>{escape(title)}</title>",
                  f"    <updated>{_time(date)}</updated>", f'    <link rel="alternate" href={quoteattr(address)}/>']
        if summary:
            lines.append(f"    <summary>{escape(summary)}</summary>")
        lines.append("  </entry>")
    lines.append("</feed>")
    return "\n".join(lines) + "\n"


def _time(date: dt.date) -> str:
    return f"{date.isoformat()}T00:00:00Z"


def _id(address: str) -> str:
    """An entry's permanent id: its absolute address, or a `tag:` URI (RFC 4151) without a `site_url`."""
    return address if address.startswith(("http://", "https://")) else f"tag:loa.invalid,2026:{address}"
