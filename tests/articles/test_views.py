import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from tests.factories import AffiliatePartnerFactory, ArticleFactory, CategoryFactory

pytestmark = pytest.mark.django_db


def test_article_lives_at_its_slug_dot_htm(article):
    assert article.get_absolute_url() == "/what-is-the-connection-between-sciatica-and-back-pain.htm"


def test_article_page_shows_the_anatomy_in_order(client, article):
    html = client.get(article.get_absolute_url()).content.decode()
    markers = [
        "We are independent &amp; ad-supported. We may earn a commission for purchases made through our links.",
        "<summary>Advertiser Disclosure</summary>",
        'href="/how-we-make-money/"',
        'href="/affiliate-partners/"',
        'class="site-name"',
        'role="search"',
        'aria-label="Breadcrumb"',
        '<li><a href="/category/health/">Health</a></li>',
        "Our Promise to you",
        '<h1 class="article__title">What Is the Connection Between Sciatica and Back Pain?</h1>',
        'By <a href="/author/maya-okafor/" rel="author">Maya Okafor</a>',
        f'Updated: <time datetime="{article.updated_on:%Y-%m-%d}">{article.updated_on:%B} {article.updated_on.day}, {article.updated_on:%Y}</time>',
        "<span>1 min read</span>",
        '<div class="article__body prose">',
        'read our editorial process</a>',
        "About the author:",
        "Registered Nurse, BSN",
        "All articles by Maya Okafor",
        "Share this article",
        "Discussion Comments",
        ", in your inbox</h2>",
        'class="site-footer"',
    ]
    body = html[html.index("<body"):]  # the head's structured data repeats some of it
    positions = [body.find(marker) for marker in markers]
    missing = [m for m, p in zip(markers, positions) if p < 0]
    assert not missing, missing
    assert positions == sorted(positions), [marker for _, marker in sorted(zip(positions, markers))]
    assert html.count("<h1") == 1


def test_disclosure_control_works_without_javascript(client, article):
    html = client.get(article.get_absolute_url()).content.decode()
    details = html[html.find("<details"): html.find("</details>")]
    assert "How We Make Money" in details
    # The page's only scripts: its structured data (not code), the Share block's Copy button
    # and the comment form's token fetch.
    scripts = re.findall(r"<script[^>]*>", html)
    assert scripts == ['<script src="/static/js/share.js" defer>', '<script type="application/ld+json">',
                       '<script src="/static/js/comments.js" defer>']


def test_featured_image_has_alt_text_and_dimensions(client, article, settings):
    from django.core.files.base import ContentFile

    from tests.conftest import image_bytes

    article.featured_image.save("spine.png", ContentFile(image_bytes(size=(120, 60))))
    html = client.get(article.get_absolute_url()).content.decode()
    # Before its renditions are made (tests/images cover them), the original itself.
    assert re.search(r'<img src="/media/articles/[^"]+\.png" alt="Illustration of a spine" width="120" height="60"[ >]', html)


def test_editorial_and_author_links_work(client, article):
    html = client.get(article.get_absolute_url()).content.decode()
    for href in ["/editorial-process/", "/author/maya-okafor/", "/category/health/", "/affiliate-partners/"]:
        assert f'href="{href}"' in html
        assert client.get(href).status_code == 200, href


def test_partner_links_in_the_body_are_sponsored(client, article):
    AffiliatePartnerFactory(domains="brightleaf.example")
    article.body = '<p><a href="https://go.brightleaf.example/heat">heat pack</a> <a href="https://nhs.example/">other</a></p>'
    article.save()
    html = client.get(article.get_absolute_url()).content.decode()
    assert '<a href="https://go.brightleaf.example/heat" rel="sponsored noopener">' in html
    assert '<a href="https://nhs.example/">' in html


def test_partner_list_changes_apply_without_resaving_articles(client, article):
    article.body = '<p><a href="https://later.example/x">x</a></p>'
    article.save()
    assert 'rel="sponsored' not in client.get(article.get_absolute_url()).content.decode()
    AffiliatePartnerFactory(domains="later.example")
    assert 'rel="sponsored noopener"' in client.get(article.get_absolute_url()).content.decode()


@pytest.mark.parametrize(
    "status, publish_delta, anonymous_sees",
    [
        (Article.Status.PUBLISHED, -1, True),
        (Article.Status.PUBLISHED, +3, False),  # scheduled
        (Article.Status.DRAFT, -1, False),
        (Article.Status.REVIEW, -1, False),
    ],
)
def test_visibility_matrix(client, staff_client, policy_pages, status, publish_delta, anonymous_sees):
    from django.test import Client

    article = ArticleFactory(status=status, publish_at=timezone.now() + datetime.timedelta(days=publish_delta),
                             updated_on=timezone.localdate() + datetime.timedelta(days=max(publish_delta, 0)))
    anonymous = Client()
    url = article.get_absolute_url()
    assert anonymous.get(url).status_code == (200 if anonymous_sees else 404)
    listed = [reverse("articles:home"), article.category.get_absolute_url(), article.author.get_absolute_url(),
              reverse("articles:search") + "?q=Thing", reverse("articles:feed"),
              reverse("sitemap_section", kwargs={"section": "articles"})]
    for page in listed:
        assert (article.slug in anonymous.get(page).content.decode()) == anonymous_sees, page
    staff_view = staff_client.get(url)
    assert staff_view.status_code == 200
    if not anonymous_sees:
        assert "Only staff can see it" in staff_view.content.decode()
        assert "no-cache" in staff_view["Cache-Control"]


def test_unknown_slug_is_our_own_404(client, policy_pages):
    response = client.get("/no-such-article.htm")
    assert response.status_code == 404
    assert "We couldn’t find that page" in response.content.decode()


def test_changed_slug_redirects_permanently(client, article):
    old_url = article.get_absolute_url()
    article.slug = "sciatica-and-back-pain"
    article.save()
    response = client.get(old_url)
    assert response.status_code == 301
    assert response["Location"] == "/sciatica-and-back-pain.htm"


def test_old_slug_of_a_draft_does_not_leak(client, article):
    old_url = article.get_absolute_url()
    article.slug = "renamed"
    article.status = Article.Status.DRAFT
    article.save()
    assert client.get(old_url).status_code == 404


def test_home_groups_latest_articles_by_category(client, policy_pages, settings):
    settings.HOME_ARTICLES_PER_CATEGORY = 4
    health = CategoryFactory(name="Health", position=1)
    money = CategoryFactory(name="Money", position=2)
    for days in range(1, 7):
        ArticleFactory(category=health, title=f"Health {days}", publish_at=timezone.now() - datetime.timedelta(days=days))
    ArticleFactory(category=money, title="Money 2", publish_at=timezone.now() - datetime.timedelta(days=9))
    ArticleFactory(category=money, title="Money 1", publish_at=timezone.now())
    html = client.get("/").content.decode()
    lead = html[html.find('class="lead"'): html.find('id="section-')]
    assert "Money 1" in lead
    assert html.count("Money 1") == lead.count("Money 1"), "the lead article is repeated in its section"
    health_part = html[html.find('id="section-' + health.slug): html.find('id="section-' + money.slug)]
    assert [f"Health {d}" for d in range(1, 5)] == re.findall(r"Health \d", health_part.split("</h2>", 1)[1])
    assert "Health 5" not in health_part
    assert html.find("section-" + health.slug) < html.find("section-" + money.slug)


def test_category_page_lists_newest_first_and_paginates(client, settings, policy_pages):
    category = CategoryFactory()
    for days in range(1, 13):
        ArticleFactory(category=category, title=f"Item {days:02d}", publish_at=timezone.now() - datetime.timedelta(days=days))
    first = client.get(category.get_absolute_url()).content.decode()
    titles = re.findall(r"Item \d\d", first)
    assert titles == [f"Item {d:02d}" for d in range(1, 11)]
    second = client.get(category.get_absolute_url() + "?page=2").content.decode()
    assert re.findall(r"Item \d\d", second) == ["Item 11", "Item 12"]
    assert 'rel="prev"' in second


@pytest.mark.parametrize("page", ["abc", "0", "-1", "99", "1.5", "%00", "9" * 40])
def test_malformed_page_numbers_are_404_not_500(client, page, policy_pages):
    category = CategoryFactory()
    ArticleFactory(category=category)
    assert client.get(category.get_absolute_url(), {"page": page}).status_code == 404


def test_last_page_keyword_works(client, policy_pages):
    category = CategoryFactory()
    ArticleFactory(category=category)
    assert client.get(category.get_absolute_url(), {"page": "last"}).status_code == 200


def test_unknown_category_is_404(client, policy_pages):
    assert client.get("/category/nope/").status_code == 404


def test_search_finds_published_articles_only(client, policy_pages):
    ArticleFactory(title="Why Do Cats Purr?")
    ArticleFactory(title="Why Do Cats Sleep?", status=Article.Status.DRAFT)
    html = client.get("/search/", {"q": "  cats   purr "}).content.decode()
    assert "Why Do Cats Purr?" in html
    assert "Why Do Cats Sleep?" not in html


@pytest.mark.parametrize("query", ["<script>alert(1)</script>", "x" * 10000, "' OR 1=1 --", "%", "\x00"])
def test_search_survives_hostile_queries(client, policy_pages, query):
    response = client.get("/search/", {"q": query})
    assert response.status_code in (200, 400)
    assert b"<script>alert(1)</script>" not in response.content


def test_feed_lists_published_articles(client, article):
    response = client.get("/feed/")
    assert response.status_code == 200
    assert article.title.encode() in response.content


def test_the_byline_tells_how_long_the_article_takes_to_read(client, article):
    article.body = "<p>" + "word " * 900 + "</p>"
    article.save()
    assert "<span>4 min read</span>" in client.get(article.get_absolute_url()).content.decode()
