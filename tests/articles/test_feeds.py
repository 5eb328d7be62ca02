"""The feeds, RSS 2.0 and Atom 1.0, of the site, each category and each author: what a
feed reader gets is the article as the site shows it (full body, links and pictures that
work away from the site, affiliate links marked and disclosed), only what the public may
see, and well-formed XML whatever an editor or a shell stored.

Feeds are read with feedparser as a reader would, but with its own fixing-up turned off
(it would resolve relative links and sanitize the body itself): what is asserted is what
the feed sent.
"""

import datetime
import xml.etree.ElementTree as ET
from urllib.parse import urlencode

import feedparser
import pytest
from django.contrib.sites.models import Site
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from core.models import SiteTexts
from images.models import Image
from partners.clicks import source_token
from partners.models import AffiliatePartner
from tests.conftest import image_bytes
from tests.dom import parse
from tests.factories import (
    AdPlacementFactory,
    AffiliatePartnerFactory,
    ArticleFactory,
    AuthorFactory,
    CategoryFactory,
)

pytestmark = pytest.mark.django_db

PUBLIC_SITE = "https://news.example.com"
MEDIA = "{http://search.yahoo.com/mrss/}"
ATOM = "{http://www.w3.org/2005/Atom}"

# name: (URL name, whose slug it takes: None for the site feed)
FEEDS = {
    "site RSS": ("articles:feed", None),
    "site Atom": ("articles:feed_atom", None),
    "category RSS": ("articles:category_feed", "category"),
    "category Atom": ("articles:category_feed_atom", "category"),
    "author RSS": ("authors:feed", "author"),
    "author Atom": ("authors:feed_atom", "author"),
}


def feed_path(name: str, article: Article) -> str:
    url_name, owner = FEEDS[name]
    if owner is None:
        return reverse(url_name)
    return reverse(url_name, kwargs={"slug": getattr(article, owner).slug})


def page_path(name: str, article: Article) -> str:
    owner = FEEDS[name][1]
    return reverse("articles:home") if owner is None else getattr(article, owner).get_absolute_url()


def read(client, path: str):
    """The feed at ``path`` as a feed reader parses it, asked for on another host than
    SITE_URL's; it must be well-formed XML to a strict parser too."""
    response = client.get(path, HTTP_HOST="internal.example")
    assert response.status_code == 200, path
    ET.fromstring(response.content)
    feed = feedparser.parse(response.content, resolve_relative_uris=False, sanitize_html=False)
    assert not feed.bozo, feed.get("bozo_exception")
    return feed


def raw_items(client, path: str) -> list[ET.Element]:
    root = ET.fromstring(client.get(path).content)
    return list(root.iter("item")) or list(root.iter(f"{ATOM}entry"))


def utc_tuple(moment: datetime.datetime) -> tuple:
    return moment.astimezone(datetime.timezone.utc).timetuple()[:6]


@pytest.fixture
def public_site(settings):
    settings.SITE_URL = PUBLIC_SITE
    settings.ALLOWED_HOSTS = ["news.example.com", "internal.example", "testserver"]
    return settings


@pytest.fixture
def illustrated(article, public_site):
    """The conftest article with a featured image, links and a picture in its body, an
    affiliate link of each kind, and an Updated date after its publish date; and an ad
    that its page would show."""
    AffiliatePartnerFactory(slug="kitshop", domains="kitshop.example")
    AdPlacementFactory(headline="Winter first-aid kits")
    article.title = "Sciatica & Back Pain: What Is the Connection?"
    article.summary = "Why a pinched nerve in the back can hurt all the way down the leg."
    article.body = (
        '<p>Sciatica is <a href="/what-is-back-pain.htm">back pain</a> that <a href="#causes">travels</a>.</p>'
        '<figure class="image"><img src="/media/uploads/2026/05/nerve.png" alt="The sciatic nerve" '
        'width="600" height="400"></figure>'
        '<p>A <a href="/go/heat-pad">heat pad</a> or <a href="https://www.kitshop.example/pads">a kit</a> '
        'may help, says <a href="https://research.example.org/sciatica">research</a>.</p>'
        '<p>Second paragraph.</p><p>Third paragraph.</p>'
    )
    article.affiliate_disclosure = "We earn a commission on heat pads."
    article.publish_at = timezone.now() - datetime.timedelta(days=10)
    article.updated_on = timezone.localdate() - datetime.timedelta(days=2)
    article.featured_image.save("spine.png", ContentFile(image_bytes(size=(40, 30))), save=False)
    article.save()
    return article


@pytest.mark.parametrize("name", FEEDS)
def test_every_feed_is_well_formed_and_says_what_it_is_and_where_it_lives(client, illustrated, name, settings):
    feed = read(client, feed_path(name, illustrated))

    assert feed.version == ("atom10" if "Atom" in name else "rss20")
    expected_title = {
        "site": f"{settings.SITE_NAME}: latest articles",
        "category": f"{settings.SITE_NAME}: Health",
        "author": f"{settings.SITE_NAME}: Maya Okafor",
    }[name.split()[0]]
    assert feed.feed.title == expected_title
    assert feed.feed.link == PUBLIC_SITE + page_path(name, illustrated)
    assert [link.href for link in feed.feed.links if link.rel == "self"] == [PUBLIC_SITE + feed_path(name, illustrated)]
    assert feed.feed.subtitle
    assert feed.feed.language == "en-us"


@pytest.mark.parametrize("name", ["author RSS", "author Atom"])
def test_an_author_feed_names_its_author_with_their_page_in_atom(client, illustrated, name):
    feed = read(client, feed_path(name, illustrated))

    if "Atom" in name:
        assert feed.feed.author_detail.name == "Maya Okafor"
        assert feed.feed.author_detail.href == PUBLIC_SITE + "/author/maya-okafor/"
    assert "Maya Okafor" in feed.feed.title


@pytest.mark.parametrize("name", FEEDS)
def test_each_item_carries_the_article_with_its_author_category_dates_and_id(client, illustrated, name):
    entry, = read(client, feed_path(name, illustrated)).entries

    assert entry.title == "Sciatica & Back Pain: What Is the Connection?"
    assert entry.link == PUBLIC_SITE + "/what-is-the-connection-between-sciatica-and-back-pain.htm"
    assert entry.summary == "Why a pinched nerve in the back can hurt all the way down the leg."
    assert entry.author == "Maya Okafor"
    if "Atom" in name:  # RSS has no place for an author's page
        assert entry.author_detail.href == PUBLIC_SITE + "/author/maya-okafor/"
    assert [tag.term for tag in entry.tags] == ["Health"]
    assert tuple(entry.published_parsed)[:6] == utc_tuple(illustrated.publish_at)
    assert tuple(entry.updated_parsed)[:6] == utc_tuple(illustrated.updated_at)
    assert entry.updated_parsed[:3] == (illustrated.updated_on.year, illustrated.updated_on.month,
                                        illustrated.updated_on.day)
    assert entry.id.startswith("tag:news.example.com,") and entry.id.endswith(f":article:{illustrated.pk}")
    if "RSS" in name:
        assert entry.guidislink is False


@pytest.mark.parametrize("name", FEEDS)
def test_the_body_is_complete_with_every_address_absolute_and_affiliate_links_marked_and_disclosed(
    client, illustrated, name
):
    entry, = read(client, feed_path(name, illustrated)).entries
    content, = entry.content
    body = content.value
    page = PUBLIC_SITE + illustrated.get_absolute_url()
    go = PUBLIC_SITE + "/go/heat-pad?" + urlencode({"from": source_token(illustrated)})

    assert content.type == "text/html"
    # The disclosure comes first, then the whole body, as the page shows it.
    assert body.startswith(
        f'<p>We earn a commission on heat pads. <a href="{PUBLIC_SITE}/how-we-make-money/">How we make money</a></p>'
        f'<p>Sciatica is <a href="{PUBLIC_SITE}/what-is-back-pain.htm">back pain</a> that '
        f'<a href="{page}#causes">travels</a>.</p>'
    )
    assert f'<img src="{PUBLIC_SITE}/media/uploads/2026/05/nerve.png" alt="The sciatic nerve"' in body
    assert f'<a href="{go.replace("&", "&amp;")}" rel="sponsored noopener">heat pad</a>' in body
    assert '<a href="https://www.kitshop.example/pads" rel="sponsored noopener">a kit</a>' in body
    assert '<a href="https://research.example.org/sciatica">research</a>' in body
    assert body.endswith("<p>Second paragraph.</p><p>Third paragraph.</p>")
    # No ad: the site has one for article pages.
    assert "Winter first-aid kits" not in body and "ad" not in {e.attrs.get("class") for e in parse(body).elements}
    addresses = [value for e in parse(body).elements for key, value in e.attrs.items() if key in ("href", "src")]
    assert len(addresses) == 7
    assert all(address.startswith("https://") for address in addresses), addresses


def test_an_article_without_affiliate_links_gets_no_disclosure_and_the_site_wording_stands_in_for_its_own(
    client, illustrated
):
    plain = ArticleFactory(category=illustrated.category, author=illustrated.author, body="<p>Nothing to buy.</p>")
    illustrated.affiliate_disclosure = ""
    illustrated.save()

    entries = {entry.link: entry for entry in read(client, reverse("articles:feed")).entries}

    assert entries[PUBLIC_SITE + plain.get_absolute_url()].content[0].value == "<p>Nothing to buy.</p>"
    site_wording = SiteTexts.objects.current().article_disclosure_text
    assert entries[PUBLIC_SITE + illustrated.get_absolute_url()].content[0].value.startswith(f"<p>{site_wording} <a ")


@pytest.mark.parametrize("name", FEEDS)
def test_the_featured_image_is_a_media_element_with_an_absolute_url_its_size_and_its_alt_text(
    client, illustrated, name
):
    entry, = read(client, feed_path(name, illustrated)).entries
    media, = entry.media_content

    assert media["url"] == f"{PUBLIC_SITE}/media/{illustrated.featured_image.name}"
    assert (media["medium"], media["width"], media["height"]) == ("image", "40", "30")
    # feedparser folds media:description into the summary: read the element itself.
    item, = raw_items(client, feed_path(name, illustrated))
    description, = item.iter(f"{MEDIA}description")
    assert (description.text, description.get("type")) == ("Illustration of a spine", "plain")


def test_an_image_stored_without_its_size_takes_it_from_its_image_row(client, illustrated):
    Article.objects.filter(pk=illustrated.pk).update(featured_image_width=None, featured_image_height=None)
    Image.objects.create(name=illustrated.featured_image.name, width=1200, height=800, format=Image.Format.PNG)

    media, = read(client, reverse("articles:feed_atom")).entries[0].media_content

    assert (media["width"], media["height"]) == ("1200", "800")


def test_an_article_without_a_featured_image_has_no_media_element(client, public_site, article):
    entry, = read(client, reverse("articles:feed")).entries

    assert "media_content" not in entry
    assert not list(raw_items(client, reverse("articles:feed"))[0].iter(f"{MEDIA}content"))


@pytest.mark.parametrize("name", FEEDS)
def test_drafts_articles_in_review_and_scheduled_articles_never_appear(client, illustrated, name):
    same = {"category": illustrated.category, "author": illustrated.author}
    ArticleFactory(title="A Draft", status=Article.Status.DRAFT, **same)
    ArticleFactory(title="In Review", status=Article.Status.REVIEW, **same)
    ArticleFactory(title="Scheduled", publish_at=timezone.now() + datetime.timedelta(hours=1), **same)

    feed = read(client, feed_path(name, illustrated))

    assert [entry.title for entry in feed.entries] == [illustrated.title]


@pytest.mark.parametrize("name", ["category RSS", "category Atom", "author RSS", "author Atom"])
def test_the_feed_of_a_category_or_author_with_nothing_published_is_valid_and_empty(client, public_site, name):
    draft = ArticleFactory(category=CategoryFactory(name="Gardening", slug="gardening"),
                           author=AuthorFactory(name="Sam Reed", slug="sam-reed"), status=Article.Status.DRAFT)

    feed = read(client, feed_path(name, draft))

    assert feed.entries == []
    assert feed.feed.title.endswith("Gardening" if "category" in name else "Sam Reed")


@pytest.mark.parametrize("path", [
    "/category/no-such-category/feed/", "/category/no-such-category/feed/atom/",
    "/author/no-such-author/feed/", "/author/no-such-author/feed/atom/",
])
def test_the_feed_of_an_unknown_category_or_author_is_404(client, article, path):
    assert client.get(path).status_code == 404


@pytest.mark.parametrize("name", ["site RSS", "category Atom"])
def test_a_feed_holds_the_newest_twenty_published_articles_newest_first(client, illustrated, name):
    now = timezone.now()
    for hours in range(1, 26):
        ArticleFactory(title=f"Hour {hours}", category=illustrated.category, author=illustrated.author,
                       publish_at=now - datetime.timedelta(hours=hours))

    titles = [entry.title for entry in read(client, feed_path(name, illustrated)).entries]

    assert titles == [f"Hour {hours}" for hours in range(1, 21)]


def test_an_items_id_stays_the_same_when_the_slug_changes(client, illustrated):
    before = read(client, reverse("articles:feed")).entries[0].id
    illustrated.slug = "sciatica-and-back-pain"
    illustrated.save()

    entry = read(client, reverse("articles:feed")).entries[0]

    assert entry.link == PUBLIC_SITE + "/sciatica-and-back-pain.htm"
    assert entry.id == before


# Characters a form would not let through but a shell or an import can store: markup,
# the end of a CDATA section, emoji, right-to-left text and the ASCII control characters
# XML 1.0 forbids (NUL is left out: PostgreSQL refuses it before a feed could).
HOSTILE = "Tom & <b>Jerry</b> ]]> \U0001F600 \u05e9\u05dc\u05d5\u05dd \u202eevil\u202c \x01\x08\x0b\x0c\x1b\x1f!"
HOSTILE_SHOWN = "Tom & <b>Jerry</b> ]]> \U0001F600 \u05e9\u05dc\u05d5\u05dd \u202eevil\u202c !"


@pytest.mark.parametrize("name", FEEDS)
def test_hostile_text_in_every_field_still_makes_a_well_formed_feed(client, public_site, name):
    AffiliatePartnerFactory(slug="kitshop", domains="kitshop.example")
    article = ArticleFactory(
        title=HOSTILE, summary=HOSTILE, featured_image_alt=HOSTILE, affiliate_disclosure=HOSTILE,
        body="<p>" + HOSTILE.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        + ' <a href="https://kitshop.example/">kit</a></p>',
        category=CategoryFactory(name=HOSTILE, slug="hostile"),
        author=AuthorFactory(name=HOSTILE, slug="hostile-author"),
    )
    article.featured_image.save("hostile.png", ContentFile(image_bytes()), save=True)

    feed = read(client, feed_path(name, article))

    entry, = feed.entries
    assert entry.title == HOSTILE_SHOWN
    assert entry.author == HOSTILE_SHOWN
    assert [tag.term for tag in entry.tags] == [HOSTILE_SHOWN]
    assert parse(entry.summary).text == HOSTILE_SHOWN and parse(entry.summary).elements == []
    body = parse(entry.content[0].value)
    assert HOSTILE_SHOWN in body.text
    assert [e.tag for e in body.elements] == ["p", "a", "p", "a"]  # disclosure, then the body: no <b> of the text
    item, = raw_items(client, feed_path(name, article))
    assert next(item.iter(f"{MEDIA}description")).text == HOSTILE_SHOWN
    if FEEDS[name][1]:
        assert feed.feed.title.endswith(HOSTILE_SHOWN)


@pytest.mark.parametrize("name", FEEDS)
def test_every_feed_is_a_public_page_every_reader_may_share_from_the_cache(client, illustrated, name):
    response = client.get(feed_path(name, illustrated))

    assert response.status_code == 200
    assert response["Cache-Control"].startswith("public, ")
    assert response["Content-Type"].startswith("application/atom+xml" if "Atom" in name else "application/rss+xml")


def alternates(client, path: str) -> dict[str, tuple[str, str]]:
    page = parse(client.get(path).content)
    return {link.attrs["href"]: (link.attrs["type"], link.attrs["title"])
            for link in page.find("link", rel="alternate")}


def test_every_page_advertises_the_site_feeds_in_rss_and_atom(client, illustrated, settings):
    site = settings.SITE_NAME
    for path in ("/", illustrated.get_absolute_url(), "/about/"):
        found = alternates(client, path)
        assert found["/feed/"] == ("application/rss+xml", f"{site}: latest articles"), path
        assert found["/feed/atom/"] == ("application/atom+xml", f"{site}: latest articles"), path


def test_a_category_page_advertises_its_own_feeds(client, illustrated, settings):
    found = alternates(client, illustrated.category.get_absolute_url())

    assert found["/category/health/feed/"] == ("application/rss+xml", f"{settings.SITE_NAME}: Health")
    assert found["/category/health/feed/atom/"] == ("application/atom+xml", f"{settings.SITE_NAME}: Health")


def test_an_author_page_advertises_their_own_feeds(client, illustrated, settings):
    found = alternates(client, illustrated.author.get_absolute_url())

    assert found["/author/maya-okafor/feed/"] == ("application/rss+xml", f"{settings.SITE_NAME}: Maya Okafor")
    assert found["/author/maya-okafor/feed/atom/"] == ("application/atom+xml", f"{settings.SITE_NAME}: Maya Okafor")


def test_every_advertised_feed_answers(client, illustrated):
    pages = ["/", illustrated.category.get_absolute_url(), illustrated.author.get_absolute_url()]
    advertised = {href for path in pages for href in alternates(client, path)}

    assert len(advertised) == 6
    for href in advertised:
        read(client, href)


def add_articles(count: int, *, category, author):
    """Published articles with featured images, half of them stored without a size (so
    their image rows are looked up), each body with a link and a picture."""
    for i in range(count):
        name = f"articles/bulk-{category.slug}-{Article.objects.count()}.jpg"
        measured = i % 2 == 0
        ArticleFactory(
            category=category, author=author, featured_image=name, featured_image_alt=f"Picture {i}",
            featured_image_width=1200 if measured else None, featured_image_height=800 if measured else None,
            body='<p>See <a href="/go/heat-pad">a pad</a>.</p><p><img src="/media/uploads/x.png" alt=""></p>',
        )
        if not measured:
            Image.objects.create(name=name, width=1000, height=600, format=Image.Format.JPEG)


@pytest.mark.parametrize("name", FEEDS)
def test_a_feeds_query_count_does_not_grow_with_its_number_of_items(
    client, public_site, policy_pages, name, django_assert_max_num_queries
):
    category, author = CategoryFactory(), AuthorFactory()
    add_articles(3, category=category, author=author)
    AffiliatePartnerFactory()
    # Shared for the whole site and cached, as a running site has them.
    Site.objects.get_current()
    SiteTexts.objects.current()
    AffiliatePartner.objects.link_domains()
    path = feed_path(name, Article.objects.first())

    with CaptureQueriesContext(connection) as few:
        assert len(read(client, path).entries) == 3
    add_articles(17, category=category, author=author)
    with django_assert_max_num_queries(len(few)):
        assert len(read(client, path).entries) == 20
    assert len(few) <= 4


def test_a_channel_description_is_plain_text_to_every_reader(client, article):
    """Readers take an RSS description as HTML and an Atom subtitle as text: markup typed in
    a category's description is shown as typed in both, never run."""
    category = article.category
    category.description = "Tools & <img src=x onerror=alert(1)> tips"
    category.save()
    rss = ET.fromstring(client.get(reverse("articles:category_feed", args=[category.slug])).content)
    atom = ET.fromstring(client.get(reverse("articles:category_feed_atom", args=[category.slug])).content)
    # The RSS description, once XML is read, is HTML: the markup in it is escaped text.
    assert rss.find("channel/description").text == "Tools &amp; &lt;img src=x onerror=alert(1)&gt; tips"
    subtitle = atom.find("{http://www.w3.org/2005/Atom}subtitle")
    assert subtitle.get("type", "text") == "text"
    assert subtitle.text == "Tools & <img src=x onerror=alert(1)> tips"
