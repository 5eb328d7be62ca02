"""Each author's feed, in RSS 2.0 and Atom 1.0: the newest published articles they wrote."""

from django.conf import settings

from articles.feeds import ArticleAtomFeed, ArticleFeed
from articles.models import Article
from core.site import absolute_url

from .models import Author


class AuthorFeed(ArticleFeed):
    """One author's feed; an unknown slug is a 404."""

    url_name = "authors:feed"

    def get_object(self, request, slug):
        return Author.objects.get(slug=slug)

    def articles(self, author):
        return Article.objects.published().filter(author=author)

    def link(self, author):
        return absolute_url(author.get_absolute_url())

    def title(self, author):
        return f"{settings.SITE_NAME}: {author.name}"

    def about(self, author):
        return f"The newest articles by {author.name} on {settings.SITE_NAME}."

    def author_name(self, author):
        return author.name

    def author_link(self, author):
        return absolute_url(author.get_absolute_url())


class AuthorAtomFeed(AuthorFeed):
    feed_type = ArticleAtomFeed
    url_name = "authors:feed_atom"
