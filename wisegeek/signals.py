from django.contrib.flatpages.models import FlatPage
from django.core.cache import cache
from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver

from articles.html import clean_html

from .models import LINK_DOMAINS_CACHE_KEY, AffiliatePartner


@receiver([post_save, post_delete], sender=AffiliatePartner)
def forget_link_domains(**kwargs):
    cache.delete(LINK_DOMAINS_CACHE_KEY)


@receiver(pre_save, sender=FlatPage)
def sanitize_policy_page(sender, instance, **kwargs):
    # FlatPage is Django's model, so its content cannot use SanitizedHTMLField;
    # this is the one place every writer of a policy page passes through.
    instance.content = clean_html(instance.content)
