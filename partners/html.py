"""What the partners app does to an article's HTML as it is shown: affiliate links are
marked and carry the article they are clicked from, a disclosure goes above the first
of them, and an ad may follow a paragraph.

Done when the page is rendered, not when the article is saved, because the partner
list changes without the articles changing. The input must be sanitized HTML
(``core.html.clean_html``): it drops any ``rel`` of the author's and writes attributes
with double quotes, which the patterns here rely on.
"""

import html
import re
from urllib.parse import urlencode, urlsplit, urlunsplit

from django.conf import settings

from core.html import top_level_blocks

AFFILIATE_REL = "sponsored noopener"
GO_PATH = "/go/"
_ANCHOR = re.compile(r"<a\b([^>]*)>", re.IGNORECASE)
# One attribute as the sanitizer writes it: name="value", where a value never holds a
# bare quote. Walked from the start, so "href=" inside another attribute's value (a
# title) is never taken for the link.
_ATTRIBUTE = re.compile(r'\s+([^\s="]+)(?:="([^"]*)")?')
_MARKED = f' rel="{AFFILIATE_REL}">'


def _host(parts) -> str:
    try:
        # "Shop.Example." and "shop.example" are the same host.
        return (parts.hostname or "").lower().rstrip(".")
    except ValueError:  # a malformed port or IPv6 literal
        return ""


def _href(attrs: str) -> re.Match | None:
    return next((match for match in _ATTRIBUTE.finditer(attrs) if match.group(1).lower() == "href"), None)


def _split(href: str):
    try:
        return urlsplit(html.unescape(href).strip())
    except ValueError:
        return None


def is_go_link(parts) -> bool:
    """A link through our own redirect: /go/<slug>, relative or on this site's host."""
    if parts.scheme not in ("", "http", "https") or not parts.path.startswith(GO_PATH):
        return False
    # The host alone, as for partner domains: SITE_URL may name a port (localhost:8000).
    host = _host(parts)
    return not host or host == _host(urlsplit(settings.SITE_URL))


def is_partner_host(host: str, domains: frozenset[str]) -> bool:
    return bool(host) and any(host == d or host.endswith("." + d) for d in domains)


def mark_affiliate_links(value: str, domains: frozenset[str], *, source: str = "") -> str:
    """Add ``rel="sponsored noopener"`` to every link through ``/go/`` or to an active
    partner's domain; other links are left as they are.

    ``source`` (a signed article id) is added to ``/go/`` links as ``?from=``, so a
    click is counted for the article it came from.
    """
    if "<a" not in value:
        return value

    def mark(match: re.Match) -> str:
        attrs = match.group(1)
        href = _href(attrs)
        parts = _split(href.group(2)) if href and href.group(2) is not None else None
        if parts is None:
            return match.group(0)
        if is_go_link(parts):
            if source:
                # A from= already there was copied from another article's page: ours replaces it.
                kept = [field for field in parts.query.split("&") if field and field.split("=")[0] != "from"]
                query = "&".join([*kept, urlencode({"from": source})])
                new_href = html.escape(urlunsplit(parts._replace(query=query)), quote=True)
                attrs = attrs[: href.start(2)] + new_href + attrs[href.end(2):]
            return f"<a{attrs}{_MARKED}"
        if parts.scheme in ("http", "https") and is_partner_host(_host(parts), domains):
            return f"<a{attrs}{_MARKED}"
        return match.group(0)

    return _ANCHOR.sub(mark, value)


def has_affiliate_links(marked: str) -> bool:
    return _MARKED in marked


def with_disclosure_and_ad(marked: str, *, disclosure: str = "", ad: str = "", ad_after: int = 0) -> str:
    """``marked`` (the output of ``mark_affiliate_links``) with ``disclosure`` just above
    the block that holds its first affiliate link, and ``ad`` after its ``ad_after``-th
    top-level paragraph (no ad when there are not that many, or when the paragraph is
    the last block: the below-article placement is for that).

    Both go between top-level blocks, so neither ever lands inside a list, a quote or
    a table of the article.
    """
    inserts = []
    first_link = marked.find(_MARKED)
    blocks = top_level_blocks(marked)
    if disclosure and first_link >= 0:
        holder = next((start for _tag, start, end in blocks if start <= first_link < end), None)
        inserts.append((holder if holder is not None else 0, disclosure))
    if ad and ad_after > 0:
        paragraphs = [end for tag, _start, end in blocks if tag == "p"]
        if len(paragraphs) >= ad_after and paragraphs[ad_after - 1] < blocks[-1][2]:
            inserts.append((paragraphs[ad_after - 1], ad))
    for at, fragment in sorted(inserts, key=lambda insert: insert[0], reverse=True):
        marked = marked[:at] + fragment + marked[at:]
    return marked
