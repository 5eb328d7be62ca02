from core.sitemaps import SiteURLSitemap

from .models import Author


class AuthorSitemap(SiteURLSitemap):
    changefreq = "monthly"
    priority = 0.4

    def items(self):
        return Author.objects.active()
