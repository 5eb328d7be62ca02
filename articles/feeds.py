from django.conf import settings
from django.contrib.syndication.views import Feed
from django.urls import reverse_lazy

from .models import Article


class LatestArticlesFeed(Feed):
    link = reverse_lazy("articles:home")

    def title(self):
        return f"{settings.SITE_NAME}: latest articles"

    def description(self):
        return f"The newest explainers from {settings.SITE_NAME}."

    def items(self):
        return Article.objects.published().for_listing()[:20]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.summary

    def item_pubdate(self, item):
        return item.publish_at

    def item_author_name(self, item):
        return item.author.name

    def item_categories(self, item):
        return [item.category.name]
