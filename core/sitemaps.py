from django.contrib.sitemaps import Sitemap

from .site import site_host, site_scheme


class SiteURLSitemap(Sitemap):
    """A sitemap whose URLs are on SITE_URL, whatever host the request came to."""

    def get_protocol(self, protocol=None):
        return site_scheme()

    def get_domain(self, site=None):
        return site_host()
