from urllib.parse import urlsplit

from django.contrib.sitemaps import Sitemap, views
from django.db.models import F, Subquery

from .site import absolute_url, site_host, site_scheme


class SiteURLSitemap(Sitemap):
    """A sitemap whose URLs are on SITE_URL, whatever host the request came to."""

    def get_protocol(self, protocol=None):
        return site_scheme()

    def get_domain(self, site=None):
        return site_host()


def sitemap_index(request, sitemaps, **kwargs):
    """Django's sitemap index, each section's address on SITE_URL.

    Django builds them from the request's scheme and the Site row's domain; the Site row
    follows SITE_URL only from the last migrate, and the scheme may be a proxy's.
    """
    response = views.index(request, sitemaps, **kwargs)
    for entry in response.context_data["sitemaps"]:
        entry.location = absolute_url(urlsplit(entry.location)._replace(scheme="", netloc="").geturl())
    return response


def newest(queryset, field: str) -> Subquery:
    """The largest ``field`` among ``queryset``'s rows as a subquery, for ``annotate()``:
    NULL when there are none. ``queryset`` may refer to the outer row with ``OuterRef``."""
    return Subquery(queryset.order_by(F(field).desc(nulls_last=True)).values(field)[:1])
