"""Which ads a page shows, and their HTML. An ad is part of the page like any other
content: the same for every reader, so cached pages stay shareable."""

from dataclasses import dataclass

from django.conf import settings
from django.template.loader import render_to_string
from django.utils.safestring import SafeString

from .models import AdPlacement


@dataclass(frozen=True)
class PageAds:
    in_article: AdPlacement | None = None
    below_article: AdPlacement | None = None
    in_listing: AdPlacement | None = None


NO_ADS = PageAds()


def page_ads(*, category_id: int | None = None) -> PageAds:
    """The ad for each position on a page of ``category_id`` (None: a page of no one
    category), from the cached placements (no query). A category's own placement wins
    over a site-wide one; of two alike, the newer. Network slots count only while an ad
    network is turned on (``AD_NETWORK``)."""
    chosen: dict[str, AdPlacement] = {}
    candidates = [
        placement for placement in AdPlacement.objects.all_active()
        if placement.category_id in (None, category_id)
        and (settings.AD_NETWORK or placement.kind != AdPlacement.Kind.NETWORK)
    ]
    for placement in sorted(candidates, key=lambda p: (p.category_id is not None, p.pk)):
        chosen[placement.position] = placement
    return PageAds(**chosen)


def render_ad(placement: AdPlacement | None, *, where: str) -> SafeString:
    """The labelled ad, or nothing at all (no empty box) when there is none."""
    if placement is None:
        return SafeString("")
    network = settings.AD_NETWORKS.get(settings.AD_NETWORK) if placement.kind == AdPlacement.Kind.NETWORK else None
    return SafeString(render_to_string("partners/ad.html", {
        "ad": placement,
        "where": where,
        "network_client": settings.AD_NETWORK_CLIENT if network else "",
        "network_script": network["script"].format(client=settings.AD_NETWORK_CLIENT) if network else "",
    }))


def listing_ad(*, category_id: int | None = None) -> dict | None:
    """For a list of cards: the ad's HTML and after how many cards it repeats (None: no ad)."""
    placement = page_ads(category_id=category_id).in_listing
    if placement is None:
        return None
    return {"html": render_ad(placement, where="listing"), "every": placement.number}
