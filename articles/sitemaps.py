"""The sitemap's sections for what this app shows: the site's own pages, articles,
categories and the policy pages. Each URL's lastmod is a date readers can see or an
edit that was recorded, never the time the sitemap was made."""

from datetime import datetime, time

from django.contrib.flatpages.models import FlatPage
from django.contrib.flatpages.sitemaps import FlatPageSitemap
from django.db.models import Max, OuterRef, Subquery
from django.urls import reverse
from django.utils import timezone

from core.sitemaps import SiteURLSitemap, newest
from core.site import absolute_url

from .models import Article, Category


def latest_update(latest_publish_at: datetime | None, latest_updated_on) -> datetime | None:
    """The newest ``Article.updated_at`` among some articles, from two maxima a query can
    compute: their latest ``publish_at`` and latest ``updated_on``.

    An article's ``updated_at`` is the later of its publish time and the start of its
    Updated day, so the newest of them is the later of the two maxima (the second taken
    as the start of its day in the site's time zone, as ``updated_at`` does).
    """
    if latest_publish_at is None:
        return None
    start_of_day = timezone.make_aware(datetime.combine(latest_updated_on, time.min))
    return max(latest_publish_at, start_of_day)


def newest_article_update(articles) -> datetime | None:
    """The newest ``updated_at`` among ``articles`` (a queryset), in one query."""
    latest = articles.aggregate(publish_at=Max("publish_at"), updated_on=Max("updated_on"))
    return latest_update(latest["publish_at"], latest["updated_on"])


def annotate_latest_update(queryset, articles, field: str):
    """``queryset`` (categories, authors) with the two maxima ``latest_update()`` needs, from
    those of ``articles`` (published articles) whose ``field`` is the row: in the same query."""
    own = articles.filter(**{field: OuterRef("pk")})
    return queryset.annotate(
        **{f"{field}_latest_publish_at": newest(own, "publish_at"),
           f"{field}_latest_updated_on": newest(own, "updated_on")}
    )


def latest_update_of(item, field: str) -> datetime | None:
    """What ``annotate_latest_update(..., field)`` found for ``item``."""
    return latest_update(getattr(item, f"{field}_latest_publish_at"), getattr(item, f"{field}_latest_updated_on"))


class SitePagesSitemap(SiteURLSitemap):
    """The home page, and the affiliate partners page.

    The partners page has no lastmod: a partner row records no change time (only the date
    the partnership began), so nothing honest can be said about when the list last changed.
    """

    def items(self):
        return ["articles:home", "partners:list"]

    def location(self, item):
        return reverse(item)

    def changefreq(self, item):
        return "daily" if item == "articles:home" else "monthly"

    def priority(self, item):
        return 1.0 if item == "articles:home" else 0.3

    def lastmod(self, item):
        if item == "articles:home":
            return newest_article_update(Article.objects.published())
        return None

    def get_latest_lastmod(self):
        # The partners entry carries no lastmod, so this file changes only with the home page's.
        return self.lastmod("articles:home")


class ArticleSitemap(SiteURLSitemap):
    """Every published article, its lastmod the Updated date readers see, and its featured
    image as a Google image-sitemap entry. Oldest first, so earlier pages rarely change."""

    changefreq = "weekly"
    priority = 0.8

    def items(self):
        return (
            Article.objects.published()
            .only("slug", "publish_at", "updated_on", "featured_image")
            .order_by("publish_at", "pk")
        )

    def lastmod(self, item):
        return item.updated_at

    def get_latest_lastmod(self):
        return newest_article_update(Article.objects.published())

    def get_urls(self, page=1, site=None, protocol=None):
        urls = super().get_urls(page=page, site=site, protocol=protocol)
        for url in urls:
            image = url["item"].featured_image
            url["images"] = [absolute_url(image.url)] if image else []
        return urls


class CategorySitemap(SiteURLSitemap):
    """Categories with at least one published article (an empty category page has nothing
    to index); lastmod is the newest update among those articles."""

    changefreq = "daily"
    priority = 0.6

    def items(self):
        categories = annotate_latest_update(Category.objects.all(), Article.objects.published(), "category")
        return categories.filter(category_latest_publish_at__isnull=False)

    def lastmod(self, item):
        return latest_update_of(item, "category")

    def get_latest_lastmod(self):
        # Every article has a category, so the newest category lastmod is the site's newest
        # update: one query on one index (article_status_updated), not one per category.
        return newest_article_update(Article.objects.published())


class PolicyPageSitemap(SiteURLSitemap, FlatPageSitemap):
    """The policy pages (flat pages); lastmod is the page's last recorded save.

    A page saved before its history was kept (the ones migrate made, until an editor
    saves them) has no lastmod: when it last changed is not known.
    """

    def items(self):
        last_saved = FlatPage.history.filter(id=OuterRef("pk")).order_by("-history_date")
        return super().items().annotate(last_saved=Subquery(last_saved.values("history_date")[:1]))

    def lastmod(self, item):
        return item.last_saved

    def get_latest_lastmod(self):
        return max((page.last_saved for page in self.items() if page.last_saved), default=None)
