"""The share images of a language (drawn by `loa/outputs/share.py`) and which one each page names as its
`og:image`: 1200x630 for each campaign, each material written in the language and the language's home
(every other page); 1080x1080 for each key message, for posts.

An image says only what the campaign or material file says, with the site's name and the hotline; its
text alternative is those same texts, in the order they are drawn (shown on the toolkit page).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from loa.i18n.strings import UIStrings
from loa.model import Campaign, Language, Site
from loa.plan.channels import campaign_dir, hotline, messages

if TYPE_CHECKING:  # loa/plan/site.py plans the toolkit page, which lists these images
    from loa.plan.site import LanguagePlan, PlannedPage

WIDE = (1200, 630)
SQUARE = (1080, 1080)


@dataclass(frozen=True)
class Card:
    """One share image: where it goes, its size and the texts drawn on it."""

    path: str
    """From the site's root, e.g. `vi/campaigns/safe-summer/safe-summer-share.png`."""
    size: tuple[int, int]
    title: str
    lang: str
    """The language of `title` and `kicker` (for shaping and line breaking)."""
    kicker: str
    """A short line above the title ('' for none)."""
    site_name: str
    hotline: str

    @property
    def alt(self) -> str:
        texts = (self.site_name, self.kicker, self.title, self.hotline)
        return ". ".join(text.rstrip(".") for text in texts if text) + "."


def campaign_image(lang: str, campaign: Campaign) -> str:
    return f"{lang}/{campaign_dir(campaign)}{campaign.id}-share.png"


def message_image(lang: str, campaign: Campaign, number: int) -> str:
    return f"{lang}/{campaign_dir(campaign)}{campaign.id}-message-{number}.png"


def image_of(plan: LanguagePlan, page: PlannedPage) -> str:
    """The site path (`/vi/...png`) of the image a page names as `og:image`."""
    uri = page.src_uri
    if uri.startswith("campaigns/") and uri != "campaigns/index.md":
        campaign_id = uri.removeprefix("campaigns/").removesuffix(".md").removesuffix("/toolkit")
        return f"/{plan.lang}/campaigns/{campaign_id}/{campaign_id}-share.png"
    if page.facts is not None and not page.is_fallback:  # a material written in this language
        return f"/{plan.lang}/{uri.removesuffix('.md')}/share.png"
    return f"/{plan.lang}/share.png"


def campaign_cards(site: Site, language: Language, ui: UIStrings, campaign: Campaign) -> list[Card]:
    """The images of a campaign: its own, then one per key message."""
    lang, site_name = language.code, site.settings.site_name.get(language.chain)
    name, number = hotline(site, language)
    line = ui("sms.hotline", name=name, number=number)
    title, title_lang = campaign.title.pick(language.chain)
    found = [Card(campaign_image(lang, campaign), WIDE, title, title_lang, "", site_name, line)]
    for index, message in enumerate(messages(campaign, language), 1):
        found.append(Card(message_image(lang, campaign, index), SQUARE, message.text, message.lang, title, site_name,
                          line))
    return found


def cards(site: Site, plan: LanguagePlan, campaigns: list[Campaign]) -> list[Card]:
    """Every share image of a language."""
    language, lang = plan.language, plan.lang
    name, number = hotline(site, language)
    line = plan.ui("sms.hotline", name=name, number=number)

    def card(path: str, size: tuple[int, int], title: str, text_lang: str, kicker: str = "") -> Card:
        return Card(path, size, title, text_lang, kicker, plan.site_name, line)

    found = [card(f"{lang}/share.png", WIDE, plan.description or plan.site_name, lang)]
    for campaign in campaigns:
        found += campaign_cards(site, language, plan.ui, campaign)
    for page in plan.pages:
        if page.facts is not None and not page.is_fallback:
            found.append(card(image_of(plan, page).lstrip("/"), WIDE, page.title, lang, page.facts.type_label))
    return found
