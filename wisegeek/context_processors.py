from functools import cache

from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.urls import reverse

from articles.models import Category
from core.models import SiteTexts

# The frame's links, by URL name. Reversed once per process: the URL configuration does
# not change while it runs, and the frame would otherwise reverse these on every page.
FRAME_LINKS = (
    "articles:home", "articles:search", "articles:feed", "newsletter:signup", "partners:list",
    "about", "editorial_process", "how_we_make_money", "advertiser_disclosure", "privacy",
)


@cache
def frame_links() -> dict[str, str]:
    return {name.replace(":", "_"): reverse(name) for name in FRAME_LINKS}


@receiver(setting_changed)
def _urls_changed(setting, **kwargs):
    if setting == "ROOT_URLCONF":  # in tests; a running site keeps its URLs
        frame_links.cache_clear()


def publication(request):
    """What every page's frame needs: the site's name, its links, the category navigation
    and the standing texts editors keep in admin (disclosure, promise)."""
    return {
        "site_name": settings.SITE_NAME,
        "site_founded": settings.SITE_FOUNDED,
        "links": frame_links(),
        "nav_categories": Category.objects.for_navigation(),
        "site_texts": SiteTexts.objects.current(),
    }
