from articles.models import Article
from articles.sitemaps import annotate_latest_update, latest_update_of, newest_article_update
from core.sitemaps import SiteURLSitemap

from .models import Author


class AuthorSitemap(SiteURLSitemap):
    """Active authors. An author's page lists the published articles they wrote and those
    they reviewed: its lastmod is the newest update among both (none when there are none)."""

    changefreq = "monthly"
    priority = 0.4

    def items(self):
        published = Article.objects.published()
        authors = annotate_latest_update(Author.objects.active(), published, "author")
        return annotate_latest_update(authors, published, "reviewer")

    def lastmod(self, item):
        dates = [latest_update_of(item, "author"), latest_update_of(item, "reviewer")]
        return max((date for date in dates if date is not None), default=None)

    def get_latest_lastmod(self):
        # For the index: the site's newest update, read from one index (article_status_updated)
        # rather than every author's newest. At most it says this section may have changed
        # when an inactive author's article did, which costs a crawler one fetch.
        return newest_article_update(Article.objects.published())
