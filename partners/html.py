"""Marking links to affiliate partners, done when a page is rendered (the partner list changes)."""

import html
import re
from urllib.parse import urlsplit

AFFILIATE_REL = "sponsored noopener"
_ANCHOR = re.compile(r"<a\b([^>]*)>", re.IGNORECASE)
_HREF = re.compile(r'\bhref="([^"]*)"', re.IGNORECASE)


def _host(href: str) -> str:
    try:
        return (urlsplit(html.unescape(href).strip()).hostname or "").lower()
    except ValueError:
        return ""


def _is_partner_host(host: str, domains: frozenset[str]) -> bool:
    return bool(host) and any(host == d or host.endswith("." + d) for d in domains)


def mark_affiliate_links(value: str, domains: frozenset[str]) -> str:
    """Add ``rel="sponsored noopener"`` to links that point at a partner's domain.

    ``value`` must already be sanitized: ``clean_html`` drops any ``rel`` of the
    author's and serializes attributes with double quotes, which this relies on.
    """
    if not domains or "<a" not in value:
        return value

    def mark(match: re.Match) -> str:
        attrs = match.group(1)
        href = _HREF.search(attrs)
        if href and _is_partner_host(_host(href.group(1)), domains):
            return f'<a{attrs} rel="{AFFILIATE_REL}">'
        return match.group(0)

    return _ANCHOR.sub(mark, value)
