"""Structured data (schema.org, as JSON-LD) for the pieces every app's pages share: the
publication itself, the site search, breadcrumbs, images. Apps build their own nodes
(an article, a person) from these; a page renders its nodes as one @graph with
``{{ structured_data|json_ld }}`` (core/templatetags/site.py).

Every URL is absolute on SITE_URL, like the canonical links, so the data says the same
thing whichever host a crawler used.
"""

from __future__ import annotations

from django.conf import settings
from django.templatetags.static import static
from django.urls import reverse

from .site import absolute_url

CONTEXT = "https://schema.org"
# Our own logo (static/img/logo.png) and the card shown for pages without an image of
# their own (static/img/social-card.png), with their sizes in pixels.
LOGO = ("img/logo.png", 512, 512)
SOCIAL_CARD = ("img/social-card.png", 1200, 630)


def graph(*nodes: dict | None) -> dict:
    """One JSON-LD document holding every node of a page."""
    return {"@context": CONTEXT, "@graph": [node for node in nodes if node]}


def image_object(url: str, width: int | None, height: int | None, caption: str = "") -> dict:
    node = {"@type": "ImageObject", "url": absolute_url(url)}
    if width and height:
        node.update(width=width, height=height)
    if caption:
        node["caption"] = caption
    return node


def organization_id() -> str:
    return absolute_url("/") + "#organization"


def website_id() -> str:
    return absolute_url("/") + "#website"


def organization() -> dict:
    """The publisher: its name, home page and logo."""
    path, width, height = LOGO
    return {
        "@type": "Organization",
        "@id": organization_id(),
        "name": settings.SITE_NAME,
        "url": absolute_url("/"),
        "logo": image_object(static(path), width, height),
        "foundingDate": str(settings.SITE_FOUNDED),
    }


def website() -> dict:
    """The site, and how to search it (a crawler may offer the search box itself)."""
    search = absolute_url(reverse("articles:search"))
    return {
        "@type": "WebSite",
        "@id": website_id(),
        "name": settings.SITE_NAME,
        "url": absolute_url("/"),
        "publisher": {"@id": organization_id()},
        "inLanguage": settings.LANGUAGE_CODE,
        "potentialAction": {
            "@type": "SearchAction",
            "target": {"@type": "EntryPoint", "urlTemplate": f"{search}?q={{search_terms}}"},
            "query-input": "required name=search_terms",
        },
    }


def breadcrumbs(trail: list[tuple[str, str | None]]) -> dict:
    """A BreadcrumbList from (name, path) pairs, home first; the last may have no path
    (the page itself)."""
    items = []
    for position, (name, path) in enumerate(trail, start=1):
        item = {"@type": "ListItem", "position": position, "name": name}
        if path:
            item["item"] = absolute_url(path)
        items.append(item)
    return {"@type": "BreadcrumbList", "itemListElement": items}
