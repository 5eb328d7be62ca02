"""What every public page says about itself in its head (title, description, canonical
address, Open Graph and Twitter cards, read with extruct as link previews do), and the
frame around it: one newsletter form per page."""

import datetime

import extruct
import pytest
from django.contrib.staticfiles import finders
from django.test import RequestFactory
from django.utils import timezone
from lxml import html as lxml_html
from PIL import Image as PILImage

from core.site import canonical_url
from images.models import Image
from tests.factories import AffiliatePartnerFactory, ArticleFactory

pytestmark = pytest.mark.django_db

SITE = "http://localhost:8000"
CARD_TAGS = ["og:site_name", "og:type", "og:title", "og:description", "og:url", "og:image"]


def head_of(response) -> dict:
    """The page's head as a link preview reads it: title, description, canonical and the
    Open Graph / Twitter properties (og:* and article:* from extruct, twitter:* by name)."""
    assert response.status_code == 200
    text = response.content.decode()
    dom = lxml_html.fromstring(response.content)
    documents = extruct.extract(text, base_url=SITE, syntaxes=["opengraph"])["opengraph"]
    properties = [pair for document in documents for pair in document["properties"]]
    opengraph = dict(properties)
    assert len(opengraph) == len(properties), "no property twice"
    return {
        "title": dom.findtext(".//title"),
        "description": dom.xpath("string(//meta[@name='description']/@content)"),
        "canonical": dom.xpath("//link[@rel='canonical']/@href"),
        "twitter:card": dom.xpath("string(//meta[@name='twitter:card']/@content)"),
        **opengraph,
    }


@pytest.fixture
def site(article):
    """One of each public page, with an image on the article."""
    article.featured_image = "articles/2026/11/spine.jpg"
    article.featured_image_width, article.featured_image_height = 3000, 2000
    article.save()
    Image.objects.create(name="articles/2026/11/spine.jpg", width=3000, height=2000, format="JPEG",
                         widths=[320, 480, 800, 1200, 1600])
    AffiliatePartnerFactory()
    return article


def public_pages(article) -> dict[str, str]:
    return {
        "home": "/",
        "article": article.get_absolute_url(),
        "category": article.category.get_absolute_url(),
        "author": article.author.get_absolute_url(),
        "policy page": "/about/",
        "partners": "/affiliate-partners/",
        "newsletter": "/newsletter/",
        "search": "/search/?q=sciatica",
    }


def test_every_public_page_has_a_title_description_canonical_and_a_card(client, site):
    titles = set()
    for name, path in public_pages(site).items():
        head = head_of(client.get(path))
        assert head["title"].strip(), name
        assert head["description"].strip(), name
        assert head["canonical"] == [f"{SITE}{path.split('?')[0]}"], name
        missing = [tag for tag in CARD_TAGS if not head.get(tag)]
        assert not missing, (name, missing)
        assert head["og:url"] == head["canonical"][0], name
        assert head["og:site_name"] == "WiseGeek", name
        assert head["og:image"].startswith(f"{SITE}/"), name
        assert head["twitter:card"] == "summary_large_image", name
        titles.add(head["title"])
    assert len(titles) == len(public_pages(site)), "each page has its own title"


def test_an_article_card_is_an_article_with_its_dates_author_section_and_wide_image(client, site):
    head = head_of(client.get(site.get_absolute_url()))

    assert head["og:type"] == "article"
    assert head["og:title"] == site.title
    assert head["og:description"] == site.summary
    assert head["og:image"] == f"{SITE}/media/renditions/articles/2026/11/spine-jpg-1200w.jpg"
    assert (head["og:image:width"], head["og:image:height"]) == ("1200", "800")
    assert head["og:image:alt"] == "Illustration of a spine"
    assert head["article:published_time"] == timezone.localtime(site.publish_at).isoformat()
    assert head["article:modified_time"][:10] == site.updated_on.isoformat()
    assert head["article:author"] == f"{SITE}{site.author.get_absolute_url()}"
    assert head["article:section"] == "Health"


def test_an_article_updated_later_says_so_in_its_card(client, site):
    site.updated_on = timezone.localdate()
    site.publish_at = timezone.now() - datetime.timedelta(days=10)
    site.save()
    head = head_of(client.get(site.get_absolute_url()))
    assert head["article:modified_time"][:10] == timezone.localdate().isoformat()
    assert head["article:published_time"][:10] == timezone.localdate(site.publish_at).isoformat()


def test_pages_without_an_image_of_their_own_show_the_site_card(client, site):
    head = head_of(client.get(site.category.get_absolute_url()))
    assert head["og:image"] == f"{SITE}/static/img/social-card.png"
    with PILImage.open(finders.find("img/social-card.png")) as card:
        assert card.size == (int(head["og:image:width"]), int(head["og:image:height"])) == (1200, 630)


def test_an_article_whose_image_has_no_renditions_yet_shows_the_original(client, site):
    Image.objects.all().delete()
    head = head_of(client.get(site.get_absolute_url()))
    assert head["og:image"] == f"{SITE}/media/articles/2026/11/spine.jpg"
    assert (head["og:image:width"], head["og:image:height"]) == ("3000", "2000")


def test_a_later_page_of_a_listing_is_its_own_canonical_page_and_tracking_tags_are_not(client, site):
    for _ in range(30):
        ArticleFactory(category=site.category)
    head = head_of(client.get(site.category.get_absolute_url() + "?page=2&utm_source=newsletter"))
    assert head["canonical"] == [f"{SITE}/category/health/?page=2"]
    head = head_of(client.get(site.category.get_absolute_url() + "?utm_source=newsletter&page=1"))
    assert head["canonical"] == [f"{SITE}/category/health/"]


@pytest.mark.parametrize("page", ["", "0", "1", "-2", "two", "²", "٣", "9" * 5000, "2.5", " 2"])
def test_a_strange_page_number_never_reaches_the_canonical_address(page):
    request = RequestFactory().get("/category/health/", {"page": page})
    assert canonical_url(request) == f"{SITE}/category/health/"


def test_the_canonical_address_of_an_odd_path_is_escaped(settings):
    request = RequestFactory().get("/category/caf\u00e9/")
    assert canonical_url(request) == f"{SITE}/category/caf%C3%A9/"


def test_noindex_pages_still_describe_themselves(client, site):
    head = head_of(client.get("/search/?q=sciatica"))
    dom = lxml_html.fromstring(client.get("/search/?q=sciatica").content)
    assert dom.xpath("string(//meta[@name='robots']/@content)") == "noindex"
    assert head["canonical"] == [f"{SITE}/search/"]
    # A later page of results is not a page of its own: without its words it would be a 404.
    for _ in range(25):
        ArticleFactory(title="Sciatica again")
    later = client.get("/search/?q=sciatica&page=2")
    assert head_of(later)["canonical"] == [f"{SITE}/search/"]
    assert client.get(head_of(later)["canonical"][0].removeprefix(SITE)).status_code == 200


def test_each_page_has_one_newsletter_form(client, site):
    sources = {}
    for name, path in public_pages(site).items():
        dom = lxml_html.fromstring(client.get(path).content)
        forms = dom.xpath("//form[@action='/newsletter/']")
        sources[name] = [form.xpath("string(.//input[@name='source']/@value)") for form in forms]
    assert sources == {
        "home": ["home"], "article": ["article"], "category": ["footer"], "author": ["footer"],
        "policy page": ["footer"], "partners": ["footer"], "newsletter": ["newsletter-page"], "search": ["footer"],
    }


def test_an_article_advertises_the_feeds_of_the_site_its_category_and_its_author(client, site):
    dom = lxml_html.fromstring(client.get(site.get_absolute_url()).content)
    feeds = dom.xpath("//link[@rel='alternate']")
    hrefs = [link.get("href") for link in feeds]

    assert hrefs == ["/feed/", "/feed/atom/", "/category/health/feed/", "/author/maya-okafor/feed/"]
    for link in feeds:
        response = client.get(link.get("href"))
        assert response.status_code == 200
        assert response["Content-Type"].startswith(link.get("type"))
        assert site.title in response.content.decode()
