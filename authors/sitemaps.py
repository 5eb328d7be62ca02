from django.contrib.sitemaps import Sitemap

from .models import Author


class AuthorSitemap(Sitemap):
    changefreq = "monthly"
    priority = 0.4

    def items(self):
        return Author.objects.active()
