"""Article HTML: sanitizing at write time, affiliate-link marking at render time.

Every stored piece of rich text goes through ``clean_html`` once, when it is saved
(see ``articles.fields.SanitizedHTMLField``), so templates can print it as it is.
Affiliate links are marked when a page is rendered, because the partner list changes.
"""

import html
import re
from urllib.parse import urlsplit

import nh3
from django.utils.html import strip_tags

# What CKEditor 5, as we configure it, produces; everything else is dropped.
ALLOWED_TAGS = {
    "p", "br", "h2", "h3", "h4", "strong", "b", "em", "i", "u", "s", "sub", "sup",
    "a", "ul", "ol", "li", "blockquote", "hr", "code", "pre",
    "figure", "figcaption", "img",
    "table", "caption", "colgroup", "col", "thead", "tbody", "tfoot", "tr", "th", "td",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "width", "height"},
    "ol": {"start", "reversed"},
    "th": {"colspan", "rowspan", "scope"},
    "td": {"colspan", "rowspan"},
    "col": {"span"},
    "colgroup": {"span"},
}
ALLOWED_CLASSES = {
    "figure": {
        "image", "table", "image-style-align-left", "image-style-align-right",
        "image-style-align-center", "image-style-side", "image-style-block-align-left",
        "image-style-block-align-right",
    },
}
URL_SCHEMES = {"http", "https", "mailto", "tel"}

AFFILIATE_REL = "sponsored noopener"
_ANCHOR = re.compile(r"<a\b([^>]*)>", re.IGNORECASE)
_HREF = re.compile(r'\bhref="([^"]*)"', re.IGNORECASE)
WORDS_PER_MINUTE = 225


def clean_html(value: str | None) -> str:
    """Return ``value`` with everything outside the editor's allow-list removed.

    Scripts and styles lose their content as well as their tags; event handlers,
    ``style`` attributes and ``javascript:``/``data:`` URLs are dropped.
    """
    if not value:
        return ""
    return nh3.clean(
        value,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        allowed_classes=ALLOWED_CLASSES,
        url_schemes=URL_SCHEMES,
        clean_content_tags={"script", "style"},
        link_rel=None,
        strip_comments=True,
    ).strip()


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


def has_affiliate_links(value: str, domains: frozenset[str]) -> bool:
    return any(
        _is_partner_host(_host(href), domains) for href in _HREF.findall(value or "")
    )


def reading_minutes(value: str) -> int:
    words = len(strip_tags(value or "").split())
    return max(1, round(words / WORDS_PER_MINUTE))
