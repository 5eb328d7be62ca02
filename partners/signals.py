"""Cache invalidation only: nothing here changes data."""

from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from core import pagecache

from .models import LINK_DOMAINS_CACHE_KEY, AffiliatePartner

# The partners page lists them, and article pages mark their links.
pagecache.watch(AffiliatePartner)


@receiver([post_save, post_delete], sender=AffiliatePartner)
def forget_link_domains(**kwargs):
    cache.delete(LINK_DOMAINS_CACHE_KEY)
