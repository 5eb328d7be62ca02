"""Structured data: what search engines read from each page (schema.org JSON-LD), read
back with extruct as a crawler would, checked for the properties each type needs, and
compared with what the same page shows its readers."""

import datetime
import json
import re

import extruct
import pytest
from django.contrib.staticfiles import finders
from django.utils import timezone
from lxml import html as lxml_html
from PIL import Image as PILImage

from articles.models import Article
from images.models import Image
from tests.factories import ArticleFactory, AuthorFactory, CategoryFactory

pytestmark = pytest.mark.django_db

SITE = "http://localhost:8000"

# What each type must carry here (schema.org allows more; these are what we promise).
REQUIRED = {
    "Article": ["headline", "description", "image", "datePublished", "dateModified", "author", "publisher",
                "mainEntityOfPage", "url"],
    "MedicalWebPage": ["headline", "description", "image", "datePublished", "dateModified", "author", "publisher",
                       "mainEntityOfPage", "url", "reviewedBy", "lastReviewed"],
    "Person": ["name", "url"],
    "Organization": ["name", "url", "logo"],
    "WebSite": ["name", "url", "potentialAction"],
    "BreadcrumbList": ["itemListElement"],
    "CollectionPage": ["name", "url", "description", "mainEntity"],
    "ImageObject": ["url", "width", "height"],
}


def json_ld(response) -> list[dict]:
    """Every node of the page's JSON-LD, as extruct reads it (nested nodes included)."""
    text = response.content.decode()
    assert text.count('<script type="application/ld+json">') == 1, "one structured-data block per page"
    documents = extruct.extract(text, base_url=SITE, syntaxes=["json-ld"], uniform=True)["json-ld"]
    assert len(documents) == 1
    return documents[0]["@graph"]


def nodes_of(graph, wanted: str) -> list[dict]:
    found = []

    def walk(value):
        if isinstance(value, dict):
            if value.get("@type") == wanted:
                found.append(value)
            for inner in value.values():
                walk(inner)
        elif isinstance(value, list):
            for inner in value:
                walk(inner)

    walk(graph)
    return found


def node(graph, wanted: str) -> dict:
    (found,) = [item for item in graph if item.get("@type") == wanted]
    return found


def assert_complete(graph):
    """Every node of a type we promise carries that type's properties, non-empty."""
    for type_name, properties in REQUIRED.items():
        for found in nodes_of(graph, type_name):
            missing = [name for name in properties if found.get(name) in (None, "", [], {})]
            assert not missing, f"{type_name} lacks {missing}"


def visible(response):
    return lxml_html.fromstring(response.content)


@pytest.fixture
def reviewed_health_article(policy_pages):
    health = CategoryFactory(name="Health", slug="health", medical=True)
    author = AuthorFactory(
        name="Maya Okafor", slug="maya-okafor", credentials="Registered Nurse, BSN",
        website="https://maya.example", social_links="https://social.example/@maya\nhttps://other.example/maya",
        expertise="back pain, first aid",
    )
    reviewer = AuthorFactory(name="Dr Lena Ortiz", slug="lena-ortiz", credentials="MD, Neurology")
    publish_at = timezone.now() - datetime.timedelta(days=30)
    article = ArticleFactory(
        title="What Is Sciatica?", slug="what-is-sciatica", category=health, author=author,
        reviewer=reviewer, last_reviewed=timezone.localdate() - datetime.timedelta(days=3),
        publish_at=publish_at, updated_on=timezone.localdate() - datetime.timedelta(days=2),
        summary="Sciatica is pain along the sciatic nerve.",
        featured_image="articles/2026/11/nerve.jpg", featured_image_width=2400, featured_image_height=1600,
        featured_image_alt="Drawing of the sciatic nerve",
    )
    Image.objects.create(name="articles/2026/11/nerve.jpg", width=2400, height=1600, format="JPEG",
                         widths=[320, 480, 800, 1200, 1600])
    return article


def test_an_article_in_a_health_topic_is_a_medical_web_page_with_everything_a_crawler_needs(client, reviewed_health_article):
    article = reviewed_health_article
    response = client.get(article.get_absolute_url())
    graph = json_ld(response)
    assert_complete(graph)
    page = node(graph, "MedicalWebPage")
    dom = visible(response)

    assert page["headline"] == dom.xpath("string(//h1)") == article.title
    assert page["description"] == dom.xpath("string(//meta[@name='description']/@content)")
    assert page["url"] == page["mainEntityOfPage"]["@id"] == dom.xpath("string(//link[@rel='canonical']/@href)")
    assert page["url"] == f"{SITE}/what-is-sciatica.htm"
    assert page["datePublished"] == timezone.localtime(article.publish_at).isoformat()
    # dateModified is the day readers see as "Updated".
    updated = dom.xpath("string(//p[@class='byline']//time[1]/@datetime)")
    assert page["dateModified"][:10] == updated == article.updated_on.isoformat()
    # The image is the 1200 px rendition, absolute, with its own size.
    assert page["image"] == {
        "@type": "ImageObject", "url": f"{SITE}/media/renditions/articles/2026/11/nerve-jpg-1200w.jpg",
        "width": 1200, "height": 800, "caption": "Drawing of the sciatic nerve",
    }


def test_the_author_is_a_person_with_title_page_and_profiles_elsewhere(client, reviewed_health_article):
    response = client.get(reviewed_health_article.get_absolute_url())
    author = node(json_ld(response), "MedicalWebPage")["author"]
    byline_link = visible(response).xpath("string(//a[@rel='author']/@href)")

    assert author["@type"] == "Person"
    assert author["name"] == "Maya Okafor"
    assert author["url"] == SITE + byline_link == f"{SITE}/author/maya-okafor/"
    assert author["jobTitle"] == "Registered Nurse, BSN"
    assert author["sameAs"] == ["https://maya.example", "https://social.example/@maya", "https://other.example/maya"]
    assert author["knowsAbout"] == ["back pain", "first aid"]


def test_the_reviewer_and_review_date_are_those_in_the_byline(client, reviewed_health_article):
    response = client.get(reviewed_health_article.get_absolute_url())
    page = node(json_ld(response), "MedicalWebPage")
    review = visible(response).xpath("//span[@class='byline__review']")[0]

    assert page["reviewedBy"]["name"] == review.xpath("string(a)") == "Dr Lena Ortiz"
    assert page["reviewedBy"]["url"] == SITE + review.xpath("string(a/@href)")
    assert page["reviewedBy"]["jobTitle"] == "MD, Neurology"
    assert page["lastReviewed"] == review.xpath("string(time/@datetime)")


def test_an_article_elsewhere_is_an_article_whose_page_carries_the_review(client, reviewed_health_article):
    article = reviewed_health_article
    Article.objects.filter(pk=article.pk).update(category=CategoryFactory(name="Science", slug="science"))
    graph = json_ld(client.get(article.get_absolute_url()))
    assert_complete(graph)
    node_ = node(graph, "Article")

    assert not nodes_of(graph, "MedicalWebPage")
    # reviewedBy and lastReviewed belong to a web page in schema.org, not to an Article.
    assert "reviewedBy" not in node_
    assert node_["mainEntityOfPage"]["@type"] == "WebPage"
    assert node_["mainEntityOfPage"]["reviewedBy"]["name"] == "Dr Lena Ortiz"
    assert node_["mainEntityOfPage"]["lastReviewed"] == article.last_reviewed.isoformat()


def test_an_unreviewed_article_claims_no_review(client, article):
    graph = json_ld(client.get(article.get_absolute_url()))
    text = json.dumps(graph)
    assert "reviewedBy" not in text and "lastReviewed" not in text


def test_the_publisher_is_the_site_with_a_logo_that_exists_at_its_stated_size(client, article, settings):
    publisher = node(json_ld(client.get(article.get_absolute_url())), "Article")["publisher"]

    assert publisher["@type"] == "Organization"
    assert publisher["name"] == settings.SITE_NAME
    assert publisher["url"] == f"{SITE}/"
    logo = publisher["logo"]
    assert logo["url"] == f"{SITE}/static/img/logo.png"
    with PILImage.open(finders.find("img/logo.png")) as image:
        assert image.size == (logo["width"], logo["height"])


def test_breadcrumbs_match_the_ones_readers_see(client, article):
    response = client.get(article.get_absolute_url())
    crumbs = node(json_ld(response), "BreadcrumbList")["itemListElement"]
    shown = visible(response).xpath("//nav[@class='breadcrumbs']//a")

    assert [item["position"] for item in crumbs] == [1, 2, 3]
    assert [(item["name"], item["item"]) for item in crumbs[:2]] == [
        (link.text_content(), SITE + link.get("href")) for link in shown
    ] == [("Home", f"{SITE}/"), ("Health", f"{SITE}/category/health/")]
    # The last crumb is the article itself: the page's heading.
    assert crumbs[2]["name"] == visible(response).xpath("string(//h1)")
    assert crumbs[2]["item"] == f"{SITE}{article.get_absolute_url()}"


def test_an_article_without_an_image_has_no_image_property_rather_than_a_broken_one(client, article):
    graph = json_ld(client.get(article.get_absolute_url()))
    assert "image" not in node(graph, "Article")


def test_hostile_text_stays_inside_the_structured_data_as_data(client, article):
    title = '</script><script>alert(1)</script> <!-- & "quoted" \u2028 end'
    Article.objects.filter(pk=article.pk).update(title=title, summary="</SCRIPT >summary & <b>")
    response = client.get(article.get_absolute_url())
    html = response.content.decode()

    # Only our script elements: the structured data, the Share button's and the comment form's files.
    assert re.findall(r"<script\b[^>]*>", html, flags=re.I) == [
        '<script src="/static/js/share.js" defer>', '<script type="application/ld+json">',
        '<script src="/static/js/comments.js" defer>',
    ]
    block = html.split('<script type="application/ld+json">', 1)[1].split("</script>", 1)[0]
    assert "<" not in block and ">" not in block
    data = json.loads(block)
    article_node = node(data["@graph"], "Article")
    assert article_node["headline"] == title
    assert article_node["description"] == "</SCRIPT >summary & <b>"


def test_the_home_page_names_the_publisher_and_how_to_search_the_site(client, article):
    graph = json_ld(client.get("/"))
    assert_complete(graph)
    site = node(graph, "WebSite")
    node(graph, "Organization")

    action = site["potentialAction"]
    assert action["@type"] == "SearchAction"
    template = action["target"]["urlTemplate"]
    assert template == f"{SITE}/search/?q={{search_terms}}"
    assert action["query-input"] == "required name=search_terms"
    # The template really searches.
    found = client.get(template.removeprefix(SITE).replace("{search_terms}", "sciatica"))
    assert found.status_code == 200
    assert article.get_absolute_url() in found.content.decode()


def test_a_category_page_is_a_collection_of_the_articles_it_lists(client, article):
    others = [ArticleFactory(category=article.category) for _ in range(2)]
    response = client.get(article.category.get_absolute_url())
    graph = json_ld(response)
    assert_complete(graph)
    page = node(graph, "CollectionPage")

    assert page["name"] == "Health"
    assert page["url"] == f"{SITE}/category/health/"
    listed = [item["url"] for item in page["mainEntity"]["itemListElement"]]
    cards = [SITE + href for href in visible(response).xpath("//article[contains(@class, 'card')]//h3/a/@href")]
    assert listed == cards
    assert set(listed) == {SITE + a.get_absolute_url() for a in [article, *others]}
    assert [(i["name"], i["item"]) for i in page["breadcrumb"]["itemListElement"]] == [
        ("Home", f"{SITE}/"), ("Health", f"{SITE}/category/health/"),
    ]


def test_an_author_page_is_the_person(client, reviewed_health_article):
    author = reviewed_health_article.author
    response = client.get(author.get_absolute_url())
    graph = json_ld(response)
    assert_complete(graph)
    person = node(graph, "Person")
    shown_elsewhere = visible(response).xpath("//ul[@class='author-links']//a/@href")

    assert person["name"] == visible(response).xpath("string(//h1)") == "Maya Okafor"
    assert person["url"] == f"{SITE}/author/maya-okafor/"
    assert person["sameAs"] == shown_elsewhere


def test_urls_in_structured_data_follow_site_url_not_the_request_host(client, article, settings):
    settings.SITE_URL = "https://www.wisegeek.example"
    settings.ALLOWED_HOSTS = ["*"]
    text = json.dumps(json_ld(client.get(article.get_absolute_url(), HTTP_HOST="internal:8000")))
    urls = re.findall(r'"(https?://[^"]+)"', text)
    assert urls and all(url.startswith("https://www.wisegeek.example/") for url in urls), urls
