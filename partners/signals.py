"""Cache invalidation only: nothing here changes data."""

from core import pagecache

from .models import AdPlacement, AffiliatePartner

# The partners page lists them, and article pages mark their links; ads are on pages.
# Writes also forget the partners' domains and the placements (derived_cache_keys).
pagecache.watch(AffiliatePartner, AdPlacement)
