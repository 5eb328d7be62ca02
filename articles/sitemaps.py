from django.contrib.flatpages.sitemaps import FlatPageSitemap

from core.sitemaps import SiteURLSitemap

from .models import Article, Category


class ArticleSitemap(SiteURLSitemap):
    changefreq = "weekly"
    priority = 0.8
    limit = 5000

    def items(self):
        return Article.objects.published().only("slug", "updated_on").order_by("-publish_at")

    def lastmod(self, item):
        return item.updated_on


class CategorySitemap(SiteURLSitemap):
    changefreq = "daily"
    priority = 0.6

    def items(self):
        return Category.objects.all()


class PolicyPageSitemap(SiteURLSitemap, FlatPageSitemap):
    pass
