"""Structured data (schema.org JSON-LD) for the home page, category pages and articles.

An article is an ``Article``, or a ``MedicalWebPage`` in a health category. Who reviewed
it and when (``reviewedBy``, ``lastReviewed``) are properties of a web page in schema.org,
not of an Article: a health article carries them itself, any other article on the page
it is the main entity of (``mainEntityOfPage``). ``dateModified`` is the visible
"Updated" date (``Article.updated_at``), so what machines read is what readers see.
"""

from django.conf import settings
from django.utils import timezone

from authors.structured_data import person
from core.site import absolute_url
from core.structured_data import breadcrumbs, graph, image_object, organization, website, website_id
from images.html import social_image


def home_page() -> dict:
    return graph(organization(), website())


def category_page(category, articles, *, url: str) -> dict:
    """A category's listing: the page, its place under home, and the articles it lists."""
    return graph(
        {
            "@type": "CollectionPage",
            "@id": url,
            "url": url,
            "name": category.name,
            "description": category.description or category.name,
            "isPartOf": {"@id": website_id()},
            "breadcrumb": breadcrumbs(category_trail(category)),
            "mainEntity": {
                "@type": "ItemList",
                "itemListElement": [
                    {"@type": "ListItem", "position": position, "url": absolute_url(article.get_absolute_url())}
                    for position, article in enumerate(articles, start=1)
                ],
            },
        },
    )


def category_trail(category) -> list[tuple[str, str]]:
    return [("Home", "/"), (category.name, category.get_absolute_url())]


def article_trail(article) -> list[tuple[str, str | None]]:
    """The breadcrumbs readers see above the title, and the article itself last."""
    return [*category_trail(article.category), (article.title, article.get_absolute_url())]


def article_page(article, images: dict) -> dict:
    url = absolute_url(article.get_absolute_url())
    node = {
        "@type": "MedicalWebPage" if article.category.medical else "Article",
        "@id": url + "#article",
        "headline": article.title[:110],
        "name": article.meta_title,
        "description": article.meta_description,
        "url": url,
        "datePublished": timezone.localtime(article.publish_at).isoformat(),
        "dateModified": timezone.localtime(article.updated_at).isoformat(),
        "author": person(article.author, images),
        "publisher": organization(),
        "articleSection": article.category.name,
        "inLanguage": settings.LANGUAGE_CODE,
        "wordCount": article.word_count,
        "isPartOf": {"@id": website_id()},
    }
    image = social_image(article.featured_image, images, alt=article.featured_image_alt)
    if image:
        node["image"] = image_object(image["url"], image["width"], image["height"], caption=image["alt"])
    page = {"@type": "WebPage", "@id": url}
    review = {}
    if article.reviewer_id:
        review["reviewedBy"] = person(article.reviewer, images)
        if article.last_reviewed:
            review["lastReviewed"] = article.last_reviewed.isoformat()
    if article.category.medical:
        node.update(review)
    else:
        page.update(review)
    node["mainEntityOfPage"] = page
    return graph(node, breadcrumbs(article_trail(article)))
