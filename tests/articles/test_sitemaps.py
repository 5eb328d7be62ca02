"""The sitemap: an index at /sitemap.xml of sections at /sitemap-<section>.xml, every
address on SITE_URL, every document valid against the protocol's schemas (tests/data/),
every listed page answering, and each lastmod a date a reader can see or an edit that
was recorded. Also robots.txt, which points crawlers at the index."""

import datetime
import re
import urllib.robotparser
from functools import cache
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.contrib.flatpages.models import FlatPage
from django.contrib.sites.models import Site
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from lxml import etree

from articles.models import Article
from core.models import SiteTexts
from articles.sitemaps import ArticleSitemap, CategorySitemap, newest_article_update
from authors.sitemaps import AuthorSitemap
from tests.conftest import image_bytes
from tests.factories import AffiliatePartnerFactory, ArticleFactory, AuthorFactory, CategoryFactory

pytestmark = pytest.mark.django_db

PUBLIC_SITE = "https://news.example.com"
SCHEMAS = Path(__file__).resolve().parent.parent / "data"
NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9",
      "image": "http://www.google.com/schemas/sitemap-image/1.1"}
SECTIONS = ["site", "articles", "categories", "authors", "pages"]


@cache
def schema(name: str) -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(SCHEMAS / name)))


@pytest.fixture
def public_site(settings):
    """The public address differs from the host the requests come to, and the site's
    time zone is not UTC (a lastmod shown in the wrong zone can fall on another day)."""
    settings.SITE_URL = PUBLIC_SITE
    settings.ALLOWED_HOSTS = ["news.example.com", "internal.example"]
    settings.TIME_ZONE = "America/New_York"
    timezone.activate("America/New_York")
    yield settings
    timezone.deactivate()


def fetch(client, url: str, **headers):
    """GET an absolute URL on SITE_URL through the test client, with SITE_URL's host."""
    assert url.startswith(PUBLIC_SITE + "/"), url
    address = urlsplit(url)
    path = address.path + (f"?{address.query}" if address.query else "")
    return client.get(path, HTTP_HOST=address.netloc, secure=address.scheme == "https", **headers)


def parsed(response, schema_name: str) -> etree._Element:
    assert response.status_code == 200
    assert response["Content-Type"] == "application/xml"
    document = etree.fromstring(response.content)
    assert schema(schema_name).validate(document), schema(schema_name).error_log
    return document


def read_index(client) -> dict[str, str | None]:
    """{section page's address: its lastmod} from /sitemap.xml, asked for by another host."""
    index = parsed(client.get(reverse("sitemap"), HTTP_HOST="internal.example"), "sitemap-index.xsd")
    return {entry.findtext("sm:loc", namespaces=NS): entry.findtext("sm:lastmod", namespaces=NS)
            for entry in index.iterfind("sm:sitemap", NS)}


def read_section(client, url: str) -> list[dict]:
    """Each URL of one section page: its loc, lastmod (None if absent) and images."""
    urlset = parsed(fetch(client, url), "sitemap.xsd")
    return [
        {"loc": entry.findtext("sm:loc", namespaces=NS), "lastmod": entry.findtext("sm:lastmod", namespaces=NS),
         "images": [image.text for image in entry.iterfind("image:image/image:loc", NS)]}
        for entry in urlset.iterfind("sm:url", NS)
    ]


def read_sitemap(client) -> dict[str, list[dict]]:
    """Every section page the index lists, read: {section page's address: its URLs}."""
    return {url: read_section(client, url) for url in read_index(client)}


def section_url(section: str, page: int = 1) -> str:
    path = reverse("sitemap_section", kwargs={"section": section})
    return PUBLIC_SITE + path + (f"?p={page}" if page > 1 else "")


def by_location(client, section: str) -> dict[str, dict]:
    return {url["loc"]: url for url in read_section(client, section_url(section))}


def moment(text: str) -> datetime.datetime:
    value = datetime.datetime.fromisoformat(text)
    assert value.tzinfo is not None, f"{text} has no offset"
    return value


def on_site(path: str) -> str:
    return PUBLIC_SITE + path


@pytest.fixture
def content(public_site, policy_pages):
    """Published articles (one updated well after it was published, one with a picture),
    and one each of draft, in review and scheduled; an empty category; an author who only
    reviews, one with nothing published and an inactive one; a partner."""
    now = timezone.now()
    health, money, empty = (CategoryFactory(name=name, slug=name.lower()) for name in ("Health", "Money", "Empty"))
    writer = AuthorFactory(name="Maya Okafor", slug="maya-okafor")
    reviewer = AuthorFactory(name="Dr Lee", slug="dr-lee")
    idle = AuthorFactory(name="New Hire", slug="new-hire")
    gone = AuthorFactory(name="Gone Writer", slug="gone-writer", is_active=False)
    long_ago = now - datetime.timedelta(days=400)
    articles = {
        "updated": ArticleFactory(slug="updated-later", category=health, author=writer, publish_at=long_ago,
                                  updated_on=timezone.localdate(now - datetime.timedelta(days=3))),
        "untouched": ArticleFactory(slug="never-updated", category=health, author=writer,
                                    publish_at=now - datetime.timedelta(days=40),
                                    updated_on=timezone.localdate(now - datetime.timedelta(days=40))),
        "reviewed": ArticleFactory(slug="reviewed-one", category=money, author=gone, reviewer=reviewer,
                                   publish_at=now - datetime.timedelta(hours=2),
                                   updated_on=timezone.localdate(now - datetime.timedelta(hours=2))),
        "pictured": ArticleFactory(slug="with-a-picture", category=money, author=writer,
                                   publish_at=now - datetime.timedelta(days=10),
                                   updated_on=timezone.localdate(now - datetime.timedelta(days=10))),
    }
    articles["pictured"].featured_image.save("spine.png", ContentFile(image_bytes()), save=True)
    hidden = {
        "draft": ArticleFactory(slug="a-draft", category=empty, author=idle, status=Article.Status.DRAFT),
        "review": ArticleFactory(slug="in-review", category=empty, author=idle, status=Article.Status.REVIEW),
        "scheduled": ArticleFactory(slug="scheduled-one", category=empty, author=idle,
                                    publish_at=now + datetime.timedelta(days=2),
                                    updated_on=timezone.localdate(now + datetime.timedelta(days=2))),
    }
    AffiliatePartnerFactory(slug="shop")
    return {"articles": articles, "hidden": hidden, "writer": writer, "reviewer": reviewer, "idle": idle,
            "gone": gone, "categories": {"health": health, "money": money, "empty": empty}}


# --- The documents ------------------------------------------------------------------------


def test_the_index_lists_every_section_on_site_url_and_validates(client, content):
    index = read_index(client)

    assert list(index) == [section_url(section) for section in SECTIONS]
    for lastmod in index.values():
        assert lastmod is None or moment(lastmod)


def test_every_section_validates_against_the_sitemap_and_image_schemas(client, content):
    for url in read_index(client):
        assert read_section(client, url), f"{url} lists nothing"


def test_the_schemas_refuse_what_the_protocol_forbids():
    def valid(text: str, name="sitemap.xsd") -> bool:
        return schema(name).validate(etree.fromstring(text.encode()))

    def urlset(body: str) -> str:
        return (f'<urlset xmlns="{NS["sm"]}" xmlns:image="{NS["image"]}"><url><loc>https://a.example/x</loc>'
                f"{body}</url></urlset>")

    assert valid(urlset("<lastmod>2026-11-30T01:02:03.5-05:00</lastmod><changefreq>daily</changefreq>"
                        "<priority>0.5</priority><image:image><image:loc>https://cdn.example/a.png</image:loc>"
                        "</image:image>"))
    assert not valid(urlset("<lastmod>2026-11-30T01:02</lastmod>"))  # a time needs its offset
    assert not valid(urlset("<lastmod>30/11/2026</lastmod>"))
    assert not valid(urlset("<changefreq>sometimes</changefreq>"))
    assert not valid(urlset("<priority>1.5</priority>"))
    assert not valid(urlset("<image:image><image:loc>/media/a.png</image:loc></image:image>"))
    assert not valid(f'<urlset xmlns="{NS["sm"]}"><url><loc>/relative.htm</loc></url></urlset>')
    assert not valid(f'<urlset xmlns="{NS["sm"]}"><url><loc>https://a.example/{"x" * 2048}</loc></url></urlset>')
    too_many = "".join(f"<url><loc>https://a.example/{n}</loc></url>" for n in range(50_001))
    assert not valid(f'<urlset xmlns="{NS["sm"]}">{too_many}</urlset>')
    assert not valid(f'<sitemapindex xmlns="{NS["sm"]}"></sitemapindex>', "sitemap-index.xsd")


def test_every_address_listed_answers_200_on_site_url(client, content):
    sitemap = read_sitemap(client)
    listed = [url["loc"] for urls in sitemap.values() for url in urls]

    assert len(listed) == len(set(listed))
    for url in listed:
        response = fetch(client, url)
        assert response.status_code == 200, url
        assert response["Content-Type"].startswith("text/html"), url
    paths = {urlsplit(url).path for url in listed}
    assert {"/", reverse("partners:list"), *(page.url for page in FlatPage.objects.all())} <= paths


def test_published_articles_are_listed_and_drafts_scheduled_and_in_review_are_not(client, content):
    articles = by_location(client, "articles")

    assert set(articles) == {on_site(a.get_absolute_url()) for a in content["articles"].values()}
    every_address = str(read_sitemap(client))
    for article in content["hidden"].values():
        assert article.slug not in every_address


def test_an_unknown_section_or_page_is_404(client, content):
    assert fetch(client, section_url("nothing")).status_code == 404
    assert fetch(client, section_url("articles", 2)).status_code == 404
    assert fetch(client, section_url("articles") + "?p=two").status_code == 404


# --- Each lastmod -----------------------------------------------------------------------------


def visible_updated_date(client, article) -> datetime.date:
    """The Updated date the article page shows (its <time datetime>)."""
    html = fetch(client, on_site(article.get_absolute_url())).content.decode()
    return datetime.date.fromisoformat(re.search(r'Updated: <time datetime="([\d-]+)">', html).group(1))


def test_every_article_lastmod_is_the_updated_date_its_page_shows(client, content):
    articles = by_location(client, "articles")

    for article in content["articles"].values():
        lastmod = moment(articles[on_site(article.get_absolute_url())]["lastmod"])
        assert lastmod == article.updated_at
        assert timezone.localdate(lastmod) == visible_updated_date(client, article) == article.updated_on
    updated = content["articles"]["updated"]
    assert moment(articles[on_site(updated.get_absolute_url())]["lastmod"]) > updated.publish_at


def test_a_category_lastmod_is_the_newest_update_among_its_published_articles(client, content):
    categories = by_location(client, "categories")
    published = content["articles"].values()

    for category in (content["categories"]["health"], content["categories"]["money"]):
        expected = max(a.updated_at for a in published if a.category == category)
        assert moment(categories[on_site(category.get_absolute_url())]["lastmod"]) == expected
    # Its only articles are a draft, one in review and one scheduled: nothing to index.
    assert on_site(content["categories"]["empty"].get_absolute_url()) not in categories


def test_an_author_lastmod_counts_what_they_wrote_and_what_they_reviewed(client, content):
    authors = by_location(client, "authors")
    published = content["articles"].values()

    writer, reviewer = content["writer"], content["reviewer"]
    assert moment(authors[on_site(writer.get_absolute_url())]["lastmod"]) == max(
        a.updated_at for a in published if a.author == writer)
    reviewed = content["articles"]["reviewed"]  # by an author who is no longer active
    assert moment(authors[on_site(reviewer.get_absolute_url())]["lastmod"]) == reviewed.updated_at
    # Nothing published yet (a draft, one in review, one scheduled): listed, with no date to give.
    assert authors[on_site(content["idle"].get_absolute_url())]["lastmod"] is None
    assert on_site(content["gone"].get_absolute_url()) not in authors


def test_the_home_page_lastmod_is_the_newest_article_update_and_the_partners_page_has_none(client, content):
    pages = by_location(client, "site")

    assert moment(pages[on_site("/")]["lastmod"]) == max(a.updated_at for a in content["articles"].values())
    assert pages[on_site(reverse("partners:list"))]["lastmod"] is None


def test_a_section_lastmod_in_the_index_is_the_newest_of_its_urls(client, content):
    index = read_index(client)
    for section in SECTIONS:
        dates = [moment(url["lastmod"]) for url in read_section(client, section_url(section)) if url["lastmod"]]
        assert moment(index[section_url(section)]) == max(dates), section


def test_newest_article_update_from_two_maxima_is_the_newest_updated_at(public_site):
    now = timezone.now()
    for days_ago, updated_days_ago in [(300, 1), (2, 2), (0, 0), (30, 29), (5, 0)]:
        publish_at = now - datetime.timedelta(days=days_ago, hours=1)
        ArticleFactory(publish_at=publish_at,
                       updated_on=timezone.localdate(now - datetime.timedelta(days=updated_days_ago, hours=1)))
        published = Article.objects.published()
        assert newest_article_update(published) == max(article.updated_at for article in published)
    assert newest_article_update(Article.objects.none()) is None


def test_a_policy_page_lastmod_is_its_last_recorded_save(client, content, staff_client):
    about, privacy = (FlatPage.objects.get(url=url) for url in ("/about/", "/privacy/"))
    privacy.history.all().delete()  # saved before history was kept (as migrate made it)
    response = staff_client.post(
        reverse("admin:flatpages_flatpage_change", args=[about.pk]),
        {"url": about.url, "title": "About us", "content": "<p>Who we are.</p>", "sites": [1], "template_name": ""},
        HTTP_HOST="internal.example",
    )
    assert response.status_code == 302
    saved = about.history.latest()

    client.logout()
    pages = by_location(client, "pages")
    assert moment(pages[on_site("/about/")]["lastmod"]) == saved.history_date
    assert saved.history_user.username == "editor" and saved.content == "<p>Who we are.</p>"
    assert pages[on_site("/privacy/")]["lastmod"] is None


def test_the_policy_page_admin_shows_each_saved_version(staff_client, policy_pages):
    page = policy_pages[0]
    page.title = "A newer title"
    page.save()

    history = staff_client.get(reverse("admin:flatpages_flatpage_history", args=[page.pk]))
    assert history.status_code == 200
    assert page.history.count() == 2
    for version in page.history.all():
        url = reverse("admin:flatpages_flatpage_simple_history", args=[page.pk, version.history_id])
        assert url in history.content.decode()


# --- Images -------------------------------------------------------------------------------------


def test_a_featured_image_is_an_absolute_image_entry_that_answers(client, content):
    articles = by_location(client, "articles")
    pictured = content["articles"]["pictured"]

    images = articles[on_site(pictured.get_absolute_url())]["images"]
    assert images == [on_site(pictured.featured_image.url)]
    assert fetch(client, images[0]).status_code == 200
    others = [url for loc, url in articles.items() if loc != on_site(pictured.get_absolute_url())]
    assert others and all(url["images"] == [] for url in others)


def test_images_in_object_storage_keep_their_own_absolute_address(client, content, settings):
    settings.MEDIA_URL = "https://media.example-cdn.net/"  # what a bucket's custom domain gives
    pictured = content["articles"]["pictured"]
    images = by_location(client, "articles")[on_site(pictured.get_absolute_url())]["images"]

    assert images == [f"https://media.example-cdn.net/{pictured.featured_image.name}"]


# --- Paging ---------------------------------------------------------------------------------------


def test_a_section_pages_at_its_limit_and_the_index_lists_every_page(client, content, monkeypatch):
    for sitemap in (ArticleSitemap, CategorySitemap, AuthorSitemap):
        monkeypatch.setattr(sitemap, "limit", 2)
    more = [ArticleFactory(category=content["categories"]["health"], author=content["writer"]) for _ in range(3)]

    index = read_index(client)
    assert [url for url in index if "sitemap-articles" in url] == [
        section_url("articles"), section_url("articles", 2), section_url("articles", 3), section_url("articles", 4)]
    assert section_url("categories", 2) not in index  # two categories: one page
    assert section_url("authors", 2) in index and section_url("authors", 3) not in index

    pages = {url: read_section(client, url) for url in index}
    listed = [url["loc"] for url in sitemap_urls(pages, "articles")]
    published = [*content["articles"].values(), *more]
    assert sorted(listed) == sorted(on_site(a.get_absolute_url()) for a in published)  # each once
    assert all(len(urls) <= 2 for address, urls in pages.items() if "sitemap-site" not in address
               and "sitemap-pages" not in address)
    assert fetch(client, section_url("articles", 5)).status_code == 404


def sitemap_urls(pages: dict[str, list[dict]], section: str) -> list[dict]:
    return [url for address, urls in pages.items() if f"sitemap-{section}.xml" in address for url in urls]


def test_every_section_keeps_the_protocol_limit_of_50000_urls():
    from wisegeek.urls import sitemaps

    assert {name: sitemap.limit for name, sitemap in sitemaps.items()} == dict.fromkeys(SECTIONS, 50_000)


# --- Cost -------------------------------------------------------------------------------------------


def grow(size: int) -> None:
    categories = [CategoryFactory() for _ in range(size)]
    authors = [AuthorFactory() for _ in range(size)]
    for n in range(size * 4):
        ArticleFactory(category=categories[n % size], author=authors[n % size], reviewer=authors[-1 - n % size],
                       featured_image=f"articles/picture-{n}.jpg" if n % 2 else "")
    AffiliatePartnerFactory.create_batch(size)
    for page in FlatPage.objects.all():
        page.save()


def queries_for(client, url: str) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        response = fetch(client, url)
    assert response.status_code == 200, url
    return [query["sql"] for query in queries]


@pytest.mark.parametrize("section", [None, *SECTIONS])
def test_query_count_does_not_grow_with_articles_categories_or_authors(client, public_site, policy_pages, section):
    url = section_url(section) if section else on_site(reverse("sitemap"))
    # Cached for good after the first request, as a running site has them.
    Site.objects.get_current()
    SiteTexts.objects.current()
    grow(2)
    small = len(queries_for(client, url))
    grow(20)
    large = len(queries_for(client, url))
    assert large == small <= 10, f"{url}: {small} queries with little content, {large} with more"


def test_the_articles_section_reads_no_article_bodies(client, content):
    articles_queries = [sql for sql in queries_for(client, section_url("articles")) if '"articles_article"' in sql]

    assert articles_queries
    for sql in articles_queries:
        for column in ("body", "title", "summary"):
            assert f'"articles_article"."{column}"' not in sql, sql


# --- Hostile content ------------------------------------------------------------------------------


def test_hostile_names_slugs_and_file_names_stay_well_formed_xml(client, public_site, policy_pages):
    markup = '<b id="x">"&\'</b>]]><!--'
    category = CategoryFactory(name=markup, slug="a" * 80)
    author = AuthorFactory(name=markup, slug="A-_9" * 30)
    article = ArticleFactory(title=markup, slug="x-" + "Y_9-" * 49, category=category, author=author,
                             summary=markup, featured_image="articles/a&b <c>'d\"é ü%20.png")
    page = FlatPage.objects.get(url="/about/")
    page.title = markup
    page.save()

    sitemap = read_sitemap(client)  # parses and validates every document
    every = [url for urls in sitemap.values() for url in urls]
    assert on_site(article.get_absolute_url()) in [url["loc"] for url in every]
    assert on_site(category.get_absolute_url()) in [url["loc"] for url in every]
    image = next(url["images"][0] for url in every if url["images"])
    assert image == on_site("/media/articles/a%26b%20%3Cc%3E'd%22%C3%A9%20%C3%BC%2520.png")
    for response in [fetch(client, on_site(reverse("sitemap"))), *(fetch(client, url) for url in sitemap)]:
        assert b"<b" not in response.content and b"]]>" not in response.content


# --- robots.txt -----------------------------------------------------------------------------------


def robots(client) -> urllib.robotparser.RobotFileParser:
    response = client.get(reverse("robots_txt"), HTTP_HOST="internal.example")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/plain")
    parser = urllib.robotparser.RobotFileParser()
    parser.parse(response.content.decode().splitlines())
    return parser


def test_robots_txt_points_at_the_sitemap_index_on_site_url(client, content):
    assert robots(client).site_maps() == [on_site(reverse("sitemap"))]


def test_robots_txt_keeps_crawlers_out_of_editor_endpoints_search_and_go(client, content):
    """The admin is kept out by its own X-Robots-Tag (tests/accounts/test_admin_headers.py):
    robots.txt would tell anyone a secret ADMIN_URL."""
    parser = robots(client)
    assert reverse("admin:index") not in client.get("/robots.txt").content.decode()
    kept_out = [
        reverse("articles:editor_upload"), reverse("partners:editor-links"),
        reverse("articles:search") + "?q=sciatica", reverse("partners:go", kwargs={"slug": "heat-pack"}),
    ]
    for path in kept_out:
        assert not parser.can_fetch("Googlebot", on_site(path)), path


def test_robots_txt_lets_crawlers_reach_every_address_in_the_sitemap(client, content):
    parser = robots(client)
    sitemap = read_sitemap(client)
    addresses = [on_site(reverse("sitemap")), *sitemap, *(url["loc"] for urls in sitemap.values() for url in urls)]
    addresses += [on_site(reverse("articles:feed"))]

    for address in addresses:
        assert parser.can_fetch("Googlebot", address), address
