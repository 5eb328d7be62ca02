"""The Site row follows SITE_URL, so code that reads it (flat pages, admin's
"View on site") agrees with everything else; the site texts' cache follows their row."""

from django.conf import settings
from django.db.models.signals import post_migrate
from django.dispatch import receiver

from . import pagecache
from .models import SiteTexts
from .site import site_host


@receiver(post_migrate)
def site_follows_site_url(sender, using, apps=None, **kwargs):
    if sender.name != "core" or apps is None:
        return
    try:
        Site = apps.get_model("sites", "Site")
    except LookupError:
        return
    Site.objects.using(using).update_or_create(
        pk=settings.SITE_ID, defaults={"domain": site_host(), "name": settings.SITE_NAME}
    )


# Every page shows them; a write also forgets the cached set (derived_cache_keys).
pagecache.watch(SiteTexts)
