"""/go/<slug>: a reader's click on an affiliate link is counted once, for the article it
came from and the day, and the reader is sent on. Robots, prefetches and HEADs are sent
on too but not counted; a link that no longer works never ends in a 404."""

import datetime

import pytest
from django.utils import timezone

from articles.models import Article
from partners.clicks import source_token
from partners.models import LinkClick
from tests.factories import ArticleFactory, PartnerLinkFactory

pytestmark = pytest.mark.django_db

CHROME = ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
          "Chrome/131.0.0.0 Safari/537.36")
SAFARI_IPHONE = ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 "
                 "(KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1")
FIREFOX = "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0"
SAMSUNG_ANDROID = ("Mozilla/5.0 (Linux; Android 14; SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) "
                   "SamsungBrowser/25.0 Chrome/121.0.0.0 Mobile Safari/537.36")
# A phone whose maker's name ends in "bot".
CUBOT_ANDROID = ("Mozilla/5.0 (Linux; Android 12; CUBOT X70) AppleWebKit/537.36 (KHTML, like Gecko) "
                 "Chrome/120.0.0.0 Mobile Safari/537.36")

ROBOTS = {
    "Googlebot": "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
    "Googlebot smartphone": (
        "Mozilla/5.0 (Linux; Android 6.0.1; Nexus 5X Build/MMB29P) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/131.0.6778.69 Mobile Safari/537.36 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"
    ),
    "bingbot": "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)",
    "facebookexternalhit": "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)",
    "Slackbot-LinkExpanding": "Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)",
    "Twitterbot": "Twitterbot/1.0",
    "LinkedInBot": "LinkedInBot/1.0 (compatible; Mozilla/5.0; Apache-HttpClient +http://www.linkedin.com)",
    "WhatsApp": "WhatsApp/2.23.20.0",
    "curl": "curl/8.5.0",
    "wget": "Wget/1.21.4",
    "python-requests": "python-requests/2.32.3",
    "HeadlessChrome": (
        "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
        "HeadlessChrome/131.0.6778.69 Safari/537.36"
    ),
    "empty": "",
}


@pytest.fixture
def link():
    return PartnerLinkFactory(slug="heat-pack", destination="https://shop.brightleaf.example/heat?ref=wg")


@pytest.fixture
def article():
    return ArticleFactory()


def go(client, link_or_slug, *, source=None, method="get", user_agent=CHROME, **headers):
    slug = getattr(link_or_slug, "slug", link_or_slug)
    query = {"from": source} if source is not None else {}
    return getattr(client, method)(f"/go/{slug}", query, headers={"user-agent": user_agent, **headers})


def clicks() -> dict:
    """Every stored count, by (link slug, article id or None, day)."""
    return {(row.link.slug, row.article_id, row.day): row.clicks
            for row in LinkClick.objects.select_related("link")}


def today():
    return timezone.localdate()


# --- The redirect ---------------------------------------------------------------------

def test_a_click_is_sent_to_the_destination_and_kept_out_of_caches_and_search_engines(client, link, article):
    response = go(client, link, source=source_token(article))

    assert response.status_code == 302
    assert response["Location"] == "https://shop.brightleaf.example/heat?ref=wg"
    assert response["Cache-Control"] == "private, no-store"
    assert response["X-Robots-Tag"] == "noindex, nofollow"


def test_the_redirect_sets_no_cookie(client, link, article):
    response = go(client, link, source=source_token(article))

    assert not response.cookies
    assert "Set-Cookie" not in response.headers
    assert not client.cookies


def test_a_post_is_refused_and_not_counted(client, link):
    response = client.post(f"/go/{link.slug}", headers={"user-agent": CHROME})

    assert response.status_code == 405
    assert clicks() == {}


# --- What is counted ------------------------------------------------------------------

def test_each_get_is_counted_once_for_the_article_it_came_from(client, link, article):
    for _ in range(3):
        go(client, link, source=source_token(article))

    assert clicks() == {("heat-pack", article.pk, today()): 3}


def test_a_click_without_from_is_counted_for_no_article(client, link):
    go(client, link)
    go(client, link, source="")

    assert clicks() == {("heat-pack", None, today()): 2}


@pytest.mark.parametrize("forged", [
    "12",  # an article id with no signature
    "12:forged-signature",
    "not a token at all",
    "%00<script>",
])
def test_a_forged_from_still_counts_the_click_but_for_no_article(client, link, article, forged):
    """The reader's click was real; only the article it claims to come from is not."""
    response = go(client, link, source=forged)

    assert response.status_code == 302
    assert clicks() == {("heat-pack", None, today()): 1}


def test_a_from_edited_to_name_another_article_counts_for_no_article(client, link, article):
    other = ArticleFactory()
    token = source_token(article)
    tampered = f"{other.pk}:{token.split(':', 1)[1]}"

    go(client, link, source=tampered)

    assert clicks() == {("heat-pack", None, today()): 1}


def test_clicks_from_two_articles_are_counted_apart(client, link, article):
    other = ArticleFactory()
    go(client, link, source=source_token(article))
    go(client, link, source=source_token(other))
    go(client, link, source=source_token(other))

    assert clicks() == {("heat-pack", article.pk, today()): 1, ("heat-pack", other.pk, today()): 2}


def test_a_click_on_another_day_starts_that_days_own_count(client, link, article):
    yesterday = today() - datetime.timedelta(days=1)
    LinkClick.objects.count_click(link_id=link.pk, article_id=article.pk, day=yesterday)
    LinkClick.objects.count_click(link_id=link.pk, article_id=None, day=yesterday)

    go(client, link, source=source_token(article))
    go(client, link)

    assert clicks() == {
        ("heat-pack", article.pk, yesterday): 1, ("heat-pack", None, yesterday): 1,
        ("heat-pack", article.pk, today()): 1, ("heat-pack", None, today()): 1,
    }


@pytest.mark.parametrize("user_agent", [CHROME, SAFARI_IPHONE, FIREFOX, SAMSUNG_ANDROID, CUBOT_ANDROID],
                         ids=["Chrome", "Safari on iPhone", "Firefox", "Samsung Internet", "Cubot phone"])
def test_readers_browsers_are_counted(client, link, article, user_agent):
    response = go(client, link, source=source_token(article), user_agent=user_agent)

    assert response.status_code == 302
    assert clicks() == {("heat-pack", article.pk, today()): 1}


@pytest.mark.parametrize("user_agent", ROBOTS.values(), ids=ROBOTS.keys())
def test_robots_link_previews_and_scripts_are_sent_on_but_not_counted(client, link, article, user_agent):
    response = go(client, link, source=source_token(article), user_agent=user_agent)

    assert response.status_code == 302
    assert response["Location"] == link.destination
    assert clicks() == {}


@pytest.mark.parametrize("header, value", [
    ("Sec-Purpose", "prefetch"),
    ("Sec-Purpose", "prefetch;prerender"),
    ("Purpose", "prefetch"),
    ("X-Moz", "prefetch"),
])
def test_a_browsers_prefetch_is_sent_on_but_not_counted(client, link, article, header, value):
    response = go(client, link, source=source_token(article), **{header: value})

    assert response.status_code == 302
    assert clicks() == {}


def test_a_head_request_is_answered_like_a_get_but_not_counted(client, link, article):
    response = go(client, link, source=source_token(article), method="head")

    assert response.status_code == 302
    assert response["Location"] == link.destination
    assert response["Cache-Control"] == "private, no-store"
    assert clicks() == {}


# --- Links that no longer work: never a 404 -------------------------------------------

def test_a_switched_off_link_sends_the_reader_to_its_partners_site_uncounted(client, article):
    link = PartnerLinkFactory(is_active=False, partner__website="https://www.brightleaf.example/")

    response = go(client, link, source=source_token(article))

    assert response.status_code == 302
    assert response["Location"] == "https://www.brightleaf.example/"
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert clicks() == {}


@pytest.mark.parametrize("case", ["partner switched off", "unknown slug"])
def test_a_dead_link_sends_the_reader_back_to_the_article_they_came_from(client, article, case):
    slug = PartnerLinkFactory(partner__is_active=False).slug if case == "partner switched off" else "no-such-link"

    response = go(client, slug, source=source_token(article))

    assert response.status_code == 302
    assert response["Location"] == article.get_absolute_url()
    assert response["Cache-Control"] == "private, no-store"
    assert clicks() == {}


@pytest.mark.parametrize("source", [None, "", "forged:token"], ids=["no from", "empty from", "forged from"])
def test_a_dead_link_with_no_article_to_go_back_to_sends_the_reader_home(client, source):
    response = go(client, "no-such-link", source=source)

    assert response.status_code == 302
    assert response["Location"] == "/"
    assert clicks() == {}


@pytest.mark.parametrize("since", ["unpublished", "rescheduled", "deleted"])
def test_a_dead_link_from_an_article_readers_can_no_longer_see_sends_them_home_not_to_a_404(client, article, since):
    """The page with the link may outlive the article: a cached copy, an open tab."""
    token = source_token(article)
    if since == "unpublished":
        Article.objects.filter(pk=article.pk).update(status=Article.Status.DRAFT)
    elif since == "rescheduled":
        Article.objects.filter(pk=article.pk).update(publish_at=timezone.now() + datetime.timedelta(days=2))
    else:
        article.delete()

    response = go(client, "no-such-link", source=token)

    assert response["Location"] == "/"
    assert client.get(response["Location"]).status_code == 200


def test_robots_txt_keeps_crawlers_out_of_go(client):
    lines = client.get("/robots.txt").content.decode().splitlines()

    assert "Disallow: /go/" in lines
