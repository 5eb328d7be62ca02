from django.conf import settings

from articles.models import Category


def publication(request):
    """What every page's frame needs: the site's name and the category navigation."""
    return {
        "site_name": settings.SITE_NAME,
        "site_founded": settings.SITE_FOUNDED,
        "nav_categories": Category.objects.for_navigation(),
    }
