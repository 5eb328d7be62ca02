"""Counting clicks on affiliate links: which article a click came from, and which
requests are a reader's click at all."""

import re

from django.core import signing

# ?from= on /go/ links: the article a click comes from. Signed, so the report cannot be
# filled with made-up articles; without a timestamp, so every reader gets the same page.
SOURCE_SALT = "partners.go-from"

# Clients that are not a reader choosing to follow a link: crawlers, link previews,
# monitors and scripts. Matched anywhere in the User-Agent, regardless of case ("bot"
# except in Cubot, a phone maker).
NOT_A_READER = re.compile(
    r"(?<!cu)bot\b|bot/|crawl|spider|slurp|scrap|preview|fetch|monitor|checker|validator|lighthouse|"
    r"headless|curl|wget|python|java/|go-http|okhttp|libwww|httpclient|facebookexternalhit|"
    r"embedly|whatsapp|telegram|skype|discord|slack|bingpreview|ia_archiver|archive\.org",
    re.IGNORECASE,
)


def source_token(article) -> str:
    return signing.Signer(salt=SOURCE_SALT).sign(str(article.pk))


def source_article_id(token: str | None) -> int | None:
    try:
        return int(signing.Signer(salt=SOURCE_SALT).unsign(token or ""))
    except (signing.BadSignature, ValueError):
        return None


def is_counted(request) -> bool:
    """A click by a reader: not a HEAD, not a prefetch or prerender, not a known robot."""
    if request.method != "GET":
        return False
    purpose = " ".join(request.headers.get(name, "") for name in ("Sec-Purpose", "Purpose", "X-Purpose", "X-Moz"))
    if "prefetch" in purpose.lower() or "preview" in purpose.lower():
        return False
    agent = request.headers.get("User-Agent", "")
    return bool(agent) and not NOT_A_READER.search(agent)
