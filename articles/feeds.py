from django.conf import settings
from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.html import escape

from core.site import absolute_url

from .models import Article


class LatestArticlesFeed(Feed):
    """The site feed. Every link is absolute on SITE_URL, whatever host the request used."""

    def link(self):
        return absolute_url(reverse("articles:home"))

    def feed_url(self):
        return absolute_url(reverse("articles:feed"))

    def title(self):
        return f"{settings.SITE_NAME}: latest articles"

    def description(self):
        return f"The newest explainers from {settings.SITE_NAME}."

    def items(self):
        return Article.objects.published().for_listing()[:20]

    def item_link(self, item):
        return absolute_url(item.get_absolute_url())

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        # An RSS description is HTML to feed readers; the summary is plain text.
        return escape(item.summary)

    def item_pubdate(self, item):
        return item.publish_at

    def item_updateddate(self, item):
        return item.modified

    def item_author_name(self, item):
        return item.author.name

    def item_categories(self, item):
        return [item.category.name]
