"""Cache invalidation only: nothing here changes data."""

from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from core import pagecache

from .models import AD_PLACEMENTS_CACHE_KEY, LINK_DOMAINS_CACHE_KEY, AdPlacement, AffiliatePartner

# The partners page lists them, and article pages mark their links; ads are on pages.
pagecache.watch(AffiliatePartner, AdPlacement)


@receiver([post_save, post_delete], sender=AffiliatePartner)
def forget_link_domains(**kwargs):
    cache.delete(LINK_DOMAINS_CACHE_KEY)


@receiver([post_save, post_delete], sender=AdPlacement)
def forget_ad_placements(**kwargs):
    cache.delete(AD_PLACEMENTS_CACHE_KEY)
