"""Cache invalidation only: nothing here changes data."""

from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from .models import NAVIGATION_CACHE_KEY, Category


@receiver([post_save, post_delete], sender=Category)
def forget_navigation(**kwargs):
    cache.delete(NAVIGATION_CACHE_KEY)
