from functools import cache

from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.templatetags.static import static
from django.urls import reverse

from articles.models import Category
from core.models import SiteTexts
from core.site import absolute_url, canonical_url
from core.structured_data import SOCIAL_CARD

# The frame's links, by URL name. Reversed once per process: the URL configuration does
# not change while it runs, and the frame would otherwise reverse these on every page.
FRAME_LINKS = (
    "articles:home", "articles:search", "articles:feed", "articles:feed_atom", "newsletter:signup", "partners:list",
    "about", "editorial_process", "how_we_make_money", "advertiser_disclosure", "privacy",
)


@cache
def frame_links() -> dict[str, str]:
    return {name.replace(":", "_"): reverse(name) for name in FRAME_LINKS}


@receiver(setting_changed)
def _urls_changed(setting, **kwargs):
    if setting == "ROOT_URLCONF":  # in tests; a running site keeps its URLs
        frame_links.cache_clear()


SITE_DESCRIPTION = (
    "Plain-language explainers on health, science, technology, money and the home, "
    "written and checked by specialists."
)


def publication(request):
    """What every page's frame needs: the site's name, its links, the category navigation,
    the standing texts editors keep in admin (disclosure, promise), and what a page says
    about itself when it says nothing more (description, canonical address, preview image)."""
    card, width, height = SOCIAL_CARD
    return {
        "site_name": settings.SITE_NAME,
        "site_description": SITE_DESCRIPTION,
        "canonical_url": canonical_url(request),
        "default_social_image": {"url": absolute_url(static(card)), "width": width, "height": height, "alt": ""},
        "site_founded": settings.SITE_FOUNDED,
        "links": frame_links(),
        "nav_categories": Category.objects.for_navigation(),
        "site_texts": SiteTexts.objects.current(),
    }
