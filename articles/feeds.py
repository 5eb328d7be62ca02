"""The site's feeds, in RSS 2.0 and Atom 1.0: the whole site, each category, and (in
``authors.feeds``) each author.

Each item carries the article as readers see it on the site: the full sanitized body
with partner links marked and the affiliate disclosure first, every address made
absolute on SITE_URL, and the featured image as a Media RSS element. Every link is on
SITE_URL whatever host the request used.
"""

import re
from dataclasses import dataclass
from datetime import timezone as dt_timezone
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed, rfc3339_date
from django.utils.html import escape, format_html

from core.html import absolute_urls, render_rich_text
from core.models import SiteTexts
from core.site import absolute_url
from images.models import Image
from partners.clicks import source_token
from partners.html import has_affiliate_links, mark_affiliate_links
from partners.models import AffiliatePartner

from .models import Article, Category

FEED_LENGTH = 20
CONTENT_NAMESPACE = "http://purl.org/rss/1.0/modules/content/"
MEDIA_NAMESPACE = "http://search.yahoo.com/mrss/"

# Characters XML 1.0 cannot carry at all, not even as a character reference. A title
# saved from a shell or an import may hold one; dropped, the feed stays readable.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_safe(value):
    """``value`` (a string, or a list or tuple of them) without characters XML cannot hold;
    anything else (dates, numbers, None) as it is."""
    if isinstance(value, str):
        return _NOT_XML.sub("", value)
    if isinstance(value, (list, tuple)):
        return [xml_safe(item) for item in value]
    return value


class _ArticleFeedGenerator:
    """What our RSS and Atom feeds add to Django's: the full body, the featured image as
    Media RSS, and text that always makes well-formed XML."""

    def __init__(self, *args, **kwargs):
        super().__init__(*xml_safe(args), **{name: xml_safe(value) for name, value in kwargs.items()})

    def add_item(self, *args, **kwargs):
        super().add_item(*xml_safe(args), **{name: xml_safe(value) for name, value in kwargs.items()})

    def add_media(self, handler, item):
        if not item.get("image_url"):
            return
        attrs = {"url": item["image_url"], "medium": "image"}
        if item["image_width"] and item["image_height"]:
            attrs.update(width=str(item["image_width"]), height=str(item["image_height"]))
        handler.startElement("media:content", attrs)
        if item["image_alt"]:
            handler.addQuickElement("media:description", item["image_alt"], {"type": "plain"})
        handler.endElement("media:content")


class ArticleRssFeed(_ArticleFeedGenerator, Rss201rev2Feed):
    def rss_attributes(self):
        return {**super().rss_attributes(), "xmlns:content": CONTENT_NAMESPACE, "xmlns:media": MEDIA_NAMESPACE}

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        # RSS has no element of its own for the Updated date; Atom's, in the atom
        # namespace RSS feeds already declare for their self link, is the usual one.
        if item["updateddate"] is not None:
            handler.addQuickElement("atom:updated", rfc3339_date(item["updateddate"]))
        handler.addQuickElement("content:encoded", item["content"])
        self.add_media(handler, item)


class ArticleAtomFeed(_ArticleFeedGenerator, Atom1Feed):
    def root_attributes(self):
        return {**super().root_attributes(), "xmlns:media": MEDIA_NAMESPACE}

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        handler.addQuickElement("content", item["content"], {"type": "html"})
        self.add_media(handler, item)


@dataclass(frozen=True)
class FeedImage:
    url: str
    width: int | None
    height: int | None
    alt: str


@dataclass(frozen=True)
class FeedEntry:
    """An article with what its feed item shows besides its fields: the body as readers
    see it and the featured image."""

    article: Article
    content: str
    image: FeedImage | None


def feed_content(article: Article, *, domains: frozenset[str], site_texts: SiteTexts) -> str:
    """The article's body as its page shows it, without the ads: partner links marked,
    the affiliate disclosure first when there are any, every address absolute."""

    def shown(html: str) -> str:
        marked = mark_affiliate_links(html, domains, source=source_token(article))
        if has_affiliate_links(marked):
            disclosure = format_html(
                '<p>{} <a href="{}">How we make money</a></p>',
                article.affiliate_disclosure or site_texts.article_disclosure_text,
                reverse("how_we_make_money"),
            )
            marked = disclosure + marked
        return absolute_urls(marked, base=absolute_url(article.get_absolute_url()))

    return render_rich_text(article.body, then=shown)


def feed_entries(articles: list[Article]) -> list[FeedEntry]:
    """``articles`` ready for a feed, in at most one query whatever their number (for the
    sizes of images stored without them)."""
    domains = AffiliatePartner.objects.link_domains()
    site_texts = SiteTexts.objects.current()
    unmeasured = Image.objects.by_name(
        article.featured_image.name for article in articles
        if article.featured_image and not (article.featured_image_width and article.featured_image_height)
    )
    entries = []
    for article in articles:
        image = None
        if article.featured_image:
            measured = unmeasured.get(article.featured_image.name)
            image = FeedImage(
                url=absolute_url(article.featured_image.url),
                width=article.featured_image_width or (measured.width if measured else None),
                height=article.featured_image_height or (measured.height if measured else None),
                alt=article.featured_image_alt,
            )
        content = feed_content(article, domains=domains, site_texts=site_texts)
        entries.append(FeedEntry(article=article, content=content, image=image))
    return entries


class ArticleFeed(Feed):
    """The newest published articles of ``articles(obj)``, full text, in RSS 2.0; an
    ``…AtomFeed`` subclass sets ``feed_type`` and ``url_name`` for Atom 1.0.

    Feed objects are made once and shared by every request a worker serves: nothing
    about one request is kept on ``self``.
    """

    feed_type = ArticleRssFeed
    url_name: str  # the URL name of this feed; feeds of one object take its slug

    def articles(self, obj):
        raise NotImplementedError

    def items(self, obj):
        articles = self.articles(obj).select_related("category", "author")[:FEED_LENGTH]
        return feed_entries(list(articles))

    def feed_url(self, obj):
        return absolute_url(reverse(self.url_name, kwargs=None if obj is None else {"slug": obj.slug}))

    def description(self, obj):
        # Feed readers take an RSS description as HTML; the text is plain, so escape it.
        return escape(self.about(obj))

    def subtitle(self, obj):
        # What Atom shows as the description (RSS ignores it): plain text there.
        return self.about(obj)

    def item_title(self, entry):
        return entry.article.title

    def item_link(self, entry):
        return absolute_url(entry.article.get_absolute_url())

    def item_guid(self, entry):
        # The article's own id, not its address: a changed slug must not make an old
        # article new in every reader. A tag URI (RFC 4151) on the site's host.
        article = entry.article
        created = article.created.astimezone(dt_timezone.utc)
        return f"tag:{urlsplit(absolute_url('/')).hostname},{created:%Y-%m-%d}:article:{article.pk}"

    def item_guid_is_permalink(self, entry):
        return False

    def item_description(self, entry):
        # An RSS description (and Atom summary) is HTML to feed readers; the summary is plain text.
        return escape(entry.article.summary)

    def item_pubdate(self, entry):
        return entry.article.publish_at

    def item_updateddate(self, entry):
        return entry.article.updated_at

    def item_author_name(self, entry):
        return entry.article.author.name

    def item_author_link(self, entry):
        return absolute_url(entry.article.author.get_absolute_url())

    def item_categories(self, entry):
        return [entry.article.category.name]

    def item_extra_kwargs(self, entry):
        image = entry.image
        return {
            "content": entry.content,
            "image_url": image.url if image else None,
            "image_width": image.width if image else None,
            "image_height": image.height if image else None,
            "image_alt": image.alt if image else None,
        }


class LatestArticlesFeed(ArticleFeed):
    """The site feed."""

    url_name = "articles:feed"

    def articles(self, obj):
        return Article.objects.published()

    def link(self, obj):
        return absolute_url(reverse("articles:home"))

    def title(self, obj):
        return f"{settings.SITE_NAME}: latest articles"

    def about(self, obj):
        return f"The newest explainers from {settings.SITE_NAME}."


class LatestArticlesAtomFeed(LatestArticlesFeed):
    feed_type = ArticleAtomFeed
    url_name = "articles:feed_atom"


class CategoryFeed(ArticleFeed):
    """One category's feed; an unknown slug is a 404."""

    url_name = "articles:category_feed"

    def get_object(self, request, slug):
        return Category.objects.get(slug=slug)

    def articles(self, category):
        return Article.objects.published().filter(category=category)

    def link(self, category):
        return absolute_url(category.get_absolute_url())

    def title(self, category):
        return f"{settings.SITE_NAME}: {category.name}"

    def about(self, category):
        return category.description or f"The newest explainers in {category.name} from {settings.SITE_NAME}."


class CategoryAtomFeed(CategoryFeed):
    feed_type = ArticleAtomFeed
    url_name = "articles:category_feed_atom"
