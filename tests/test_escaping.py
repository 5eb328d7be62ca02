"""Plain text an editor (or a commenter) writes is text on every public page, never markup.

Every plain-text field gets markup with an element of its own (``<b id=x-…>``) and a
refresh tag that would send readers elsewhere; then every public page is parsed and must
hold neither element, while the characters themselves reach the reader as text.
"""

import xml.etree.ElementTree as ET
from urllib.parse import urlsplit

import pytest
from django.contrib.flatpages.models import FlatPage
from django.contrib.sites.models import Site
from django.core.files.base import ContentFile
from django.urls import reverse

from articles.models import Comment
from tests.conftest import image_bytes
from tests.dom import parse
from tests.factories import AffiliatePartnerFactory, ArticleFactory, AuthorFactory, CategoryFactory

pytestmark = pytest.mark.django_db


def markup(tag: str) -> str:
    """Markup that would create ``<b id="x-<tag>">`` and a redirecting meta tag if printed raw."""
    return f'<b id=x-{tag}>"&\'</b><meta http-equiv="refresh" content="0;url=//evil.example">'


def hostile_url(tag: str) -> str:
    """A valid web address (no spaces) that breaks out of an unescaped attribute."""
    return f"https://evil.example/?q=\"'><b/id=x-{tag}>&</b>"


@pytest.fixture
def hostile_site(db):
    """One of everything public, each plain-text field holding its own markup.

    Returns {field: value written}; every object passes full_clean(), so an editor could
    have saved it through admin.
    """
    written = {}

    def fill(obj, **values):
        for name, value in values.items():
            setattr(obj, name, value)
            written[f"{type(obj).__name__}.{name}"] = value
        obj.full_clean()
        obj.save()
        return obj

    category = fill(CategoryFactory.build(slug="hostile"), name=markup("cn"), description=markup("cd"))
    author = fill(
        AuthorFactory.build(slug="hostile-author"),
        name=markup("an"), credentials=markup("ac"), short_bio=markup("as"),
        website=hostile_url("aw"), social_links=hostile_url("al") + "\nhttps://social.example/me",
    )
    article = ArticleFactory.build(slug="quokka", category=category, author=author, reviewer=author)
    article.featured_image.save("quokka.png", ContentFile(image_bytes()), save=False)
    fill(
        article,
        title="Quokka " + markup("at"), summary=markup("su"), seo_title=markup("st"),
        seo_description=markup("sd"), featured_image_alt=markup("fa"),
    )
    # A second article without SEO overrides, so the title and summary reach <head> too.
    fill(ArticleFactory.build(slug="quokka-plain", category=category, author=author),
         title="Quokka plain " + markup("pt"), summary=markup("ps"))
    fill(AffiliatePartnerFactory.build(slug="hostile-partner"), name=markup("pn"), description=markup("pd"),
         website=hostile_url("pw"))
    fill(Comment(article=article, email="reader@example.com", status=Comment.Status.APPROVED),
         name=markup("mn"), body="First line " + markup("mb") + "\nsecond line")
    # Shown line by line: look for the hostile line itself.
    written["Author.social_links"] = hostile_url("al")
    written["Comment.body"] = "First line " + markup("mb")
    about, _ = FlatPage.objects.get_or_create(url="/about/", defaults={"content": "<p>About us.</p>"})
    about.sites.add(Site.objects.get_current())
    fill(about, title=markup("ft"))
    return written


def public_pages() -> dict[str, str]:
    return {
        "home": "/",
        "article": reverse("articles:detail", kwargs={"slug": "quokka"}),
        "plain article": reverse("articles:detail", kwargs={"slug": "quokka-plain"}),
        "category": reverse("articles:category", kwargs={"slug": "hostile"}),
        "author": reverse("authors:detail", kwargs={"slug": "hostile-author"}),
        "partners": reverse("partners:list"),
        "policy page": "/about/",
        "search": reverse("articles:search") + "?q=Quokka",
    }


def test_markup_in_every_plain_text_field_is_text_on_every_public_page(client, hostile_site):
    shown = set()
    for name, url in public_pages().items():
        response = client.get(url)
        assert response.status_code == 200, (name, url)
        page = parse(response.content)

        injected = [e for e in page.elements if e.attrs.get("id", "").startswith("x-")]
        assert injected == [], f"{name}: {injected}"
        assert page.live_hostile_html() == [], name
        shown |= {field for field, value in hostile_site.items() if page.shows(value)}

    # Each field reached some page, as characters: escaped, not dropped.
    assert shown == set(hostile_site)


def test_policy_page_title_is_text_in_the_heading_and_the_head(client, hostile_site):
    page = parse(client.get("/about/").content)

    assert page.find("meta", **{"http-equiv": "refresh"}) == []
    assert page.find("b") == []
    assert markup("ft") in page.text  # <h1> and <title>
    assert page.text.count(markup("ft")) == 2
    assert page.find("meta", property="og:title")[0].attrs["content"] == markup("ft")


def test_feed_carries_plain_text_as_text_and_the_summary_as_escaped_html(client, hostile_site):
    feed = ET.fromstring(client.get(reverse("articles:feed")).content)

    # A raw "<" would not even parse; no element of the feed came from an editor's text.
    assert {element.tag for element in feed.iter()} & {"b", "meta"} == set()
    items = {item.findtext("link").rsplit("/", 1)[-1]: item for item in feed.iter("item")}
    item = items["quokka.htm"]
    assert item.findtext("title") == "Quokka " + markup("at")
    assert markup("cn") in [c.text for c in item.iter("category")]
    # A description is HTML to a feed reader: the summary must be escaped inside it.
    description = parse(item.findtext("description"))
    assert description.elements == []
    assert description.text == markup("su")


def test_sitemap_lists_addresses_and_no_editor_markup(client, hostile_site):
    index = ET.fromstring(client.get(reverse("sitemap")).content)
    sections = [loc.text for loc in index.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")]
    documents = [index, *(ET.fromstring(client.get(urlsplit(url).path).content) for url in sections)]

    tags = {element.tag.rsplit("}", 1)[-1] for document in documents for element in document.iter()}
    assert tags <= {"sitemapindex", "sitemap", "urlset", "url", "loc", "lastmod", "changefreq", "priority", "image"}
    locations = [loc.text for document in documents
                 for loc in document.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")]
    assert any(loc.endswith("/quokka.htm") for loc in locations)
    assert all("<" not in loc and '"' not in loc for loc in locations)
