"""Anonymous pages are the same for everyone, cached, and say so to browsers and CDNs.

In-process, through Django's test client, on the suite's database and cache. The same
promises against several gunicorn workers are in tests/test_page_cache_live.py.
"""

import gzip
import re
import secrets
import time

import brotli
import pytest
from django.core import signing
from django.db import connection
from django.urls import reverse

from articles.models import Comment
from core import pagecache
from articles.forms import TOKEN_SALT
from tests.factories import ArticleFactory

PUBLIC_PAGES = ["home", "article", "category", "author", "partners", "policy", "feed", "sitemap",
                "robots", "newsletter"]


def comment_data(article, age=10):
    """A comment as the article's form would send it, its token issued ``age`` seconds ago."""
    issued = signing.dumps({"a": article.pk, "t": time.time() - age, "n": secrets.token_hex(16)}, salt=TOKEN_SALT)
    return {"name": "Sam Reader", "email": "sam@example.com", "body": "Thanks, this helped.",
            "website": "", "parent": "", "issued": issued}


def address(name, article):
    return {
        "home": "/",
        "article": article.get_absolute_url(),
        "category": article.category.get_absolute_url(),
        "author": article.author.get_absolute_url(),
        "partners": reverse("partners:list"),
        "policy": reverse("about"),
        "feed": reverse("articles:feed"),
        "sitemap": reverse("sitemap"),
        "robots": reverse("robots_txt"),
        "newsletter": reverse("newsletter:signup"),
    }[name]


def rename_behind_the_caches_back(article, title):
    """A change no signal hears: only a cached page can still show the old title."""
    with connection.cursor() as cursor:
        cursor.execute("UPDATE articles_article SET title = %s WHERE id = %s", [title, article.pk])


@pytest.mark.parametrize("page", PUBLIC_PAGES)
@pytest.mark.parametrize("method", ["get", "head"])
def test_an_anonymous_page_sets_no_cookie_varies_on_no_cookie_and_is_public(client, article, page, method, settings):
    for attempt in ("rendered", "from the cache"):
        response = getattr(client, method)(address(page, article))

        assert response.status_code == 200, attempt
        assert not response.cookies, (attempt, response.cookies)
        assert "Cookie" not in response.get("Vary", ""), attempt
        assert response["Cache-Control"] == (
            f"public, max-age={settings.PAGE_MAX_AGE}, s-maxage={settings.PAGE_SHARED_MAX_AGE}, "
            f"stale-while-revalidate={settings.PAGE_STALE_WHILE_REVALIDATE}"
        ), attempt
        assert response["ETag"].startswith('W/"') and response["Last-Modified"], attempt


def test_a_page_is_served_from_the_shared_cache_until_content_changes(client, article):
    first = client.get(article.get_absolute_url()).content.decode()
    rename_behind_the_caches_back(article, "A Title Nobody Announced")

    assert "A Title Nobody Announced" not in client.get(article.get_absolute_url()).content.decode()
    assert first == client.get(article.get_absolute_url()).content.decode()

    pagecache.pages_changed()
    assert "A Title Nobody Announced" in client.get(article.get_absolute_url()).content.decode()


def test_the_settings_decide_the_http_cache_lifetimes(client, article, settings):
    settings.PAGE_MAX_AGE, settings.PAGE_SHARED_MAX_AGE, settings.PAGE_STALE_WHILE_REVALIDATE = 5, 600, 30

    response = client.get(article.get_absolute_url())

    assert response["Cache-Control"] == "public, max-age=5, s-maxage=600, stale-while-revalidate=30"


def test_with_a_scheduled_article_no_page_may_be_kept_past_its_publication(client, article, settings):
    from datetime import timedelta

    from django.utils import timezone

    settings.PAGE_MAX_AGE = 60
    ArticleFactory(publish_at=timezone.now() + timedelta(seconds=90))
    pagecache.pages_changed()

    response = client.get("/")

    max_age = int(re.search(r"max-age=(\d+)", response["Cache-Control"]).group(1))
    shared = int(re.search(r"s-maxage=(\d+)", response["Cache-Control"]).group(1))
    assert 0 < max_age <= 60 and 0 < shared <= 90, response["Cache-Control"]


def test_conditional_get_answers_304_with_the_etag_and_with_the_date(client, article):
    first = client.get(article.get_absolute_url())

    by_etag = client.get(article.get_absolute_url(), HTTP_IF_NONE_MATCH=first["ETag"])
    by_date = client.get(article.get_absolute_url(), HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    other = client.get(article.get_absolute_url(), HTTP_IF_NONE_MATCH='W/"something-else"')

    assert by_etag.status_code == 304 and by_etag.content == b"" and by_etag["ETag"] == first["ETag"]
    assert by_date.status_code == 304
    assert other.status_code == 200 and other.content == first.content


def test_an_uncached_public_page_answers_conditional_gets_too(client, article, settings):
    settings.PAGE_CACHE = False
    # (An article page differs at each rendering: its comment form's token holds the time.)
    first = client.get(reverse("partners:list"))

    again = client.get(reverse("partners:list"), HTTP_IF_NONE_MATCH=first["ETag"])

    assert first["Cache-Control"].startswith("public,") and again.status_code == 304


@pytest.mark.parametrize("accept, encoding, decode", [
    ("gzip, deflate, br", "br", brotli.decompress),
    ("gzip", "gzip", gzip.decompress),
    ("br;q=0, gzip", "gzip", gzip.decompress),
    ("", None, bytes),
])
def test_pages_are_compressed_as_the_client_accepts(client, article, accept, encoding, decode):
    plain = client.get(article.get_absolute_url()).content

    for attempt in ("first", "cached"):
        response = client.get(article.get_absolute_url(), HTTP_ACCEPT_ENCODING=accept)
        assert response.get("Content-Encoding") == encoding, attempt
        assert decode(response.content) == plain, attempt
        assert int(response["Content-Length"]) == len(response.content)
        assert "Accept-Encoding" in response["Vary"]


def test_head_is_answered_from_the_cache_without_a_body(client, article):
    size = len(client.get(article.get_absolute_url()).content)

    response = client.head(article.get_absolute_url())

    assert response.content == b"" and int(response["Content-Length"]) == size


def test_staff_bypass_the_cache_and_get_private_no_store(staff_client, client, article):
    client.get(article.get_absolute_url())
    rename_behind_the_caches_back(article, "Only Staff See This Yet")

    staff_page = staff_client.get(article.get_absolute_url())

    assert "Only Staff See This Yet" in staff_page.content.decode()
    assert "private" in staff_page["Cache-Control"] and "no-store" in staff_page["Cache-Control"]


def test_admin_pages_are_private_and_not_stored(staff_client, article):
    response = staff_client.get(reverse("admin:articles_article_changelist"))

    assert "private" in response["Cache-Control"] and "no-store" in response["Cache-Control"]


def test_an_address_with_other_parameters_is_rendered_afresh(client, article):
    client.get(article.get_absolute_url())
    rename_behind_the_caches_back(article, "Fresh For Unknown Parameters")

    response = client.get(article.get_absolute_url() + "?utm_source=newsletter")

    assert "Fresh For Unknown Parameters" in response.content.decode()


def test_a_comment_form_with_errors_is_private_and_not_stored(client, article):
    response = client.post(reverse("articles:comment_post", args=[article.slug]),
                           {**comment_data(article), "body": ""})

    assert response.status_code == 400
    assert "private" in response["Cache-Control"] and "no-store" in response["Cache-Control"]


def test_a_comment_from_the_sites_own_page_needs_no_cookie(client, article, settings):
    settings.COMMENT_MIN_SECONDS = 0
    page = client.get(article.get_absolute_url())
    issued = re.search(r'name="issued" value="([^"]+)"', page.content.decode()).group(1)
    assert "csrfmiddlewaretoken" not in page.content.decode()

    response = client.post(
        reverse("articles:comment_post", args=[article.slug]),
        {**comment_data(article), "issued": issued, "body": "A question about posture."},
        HTTP_ORIGIN="http://testserver", HTTP_SEC_FETCH_SITE="same-origin",
    )

    assert response.status_code == 302 and not response.cookies
    assert Comment.objects.get().body == "A question about posture."


@pytest.mark.parametrize("headers", [
    {"HTTP_ORIGIN": "https://evil.example", "HTTP_SEC_FETCH_SITE": "cross-site"},
    {"HTTP_ORIGIN": "https://evil.example"},
    {"HTTP_SEC_FETCH_SITE": "cross-site"},
    {"HTTP_ORIGIN": "null"},
])
def test_a_comment_posted_from_another_site_is_refused_with_403(client, article, settings, headers):
    settings.COMMENT_MIN_SECONDS = 0

    response = client.post(reverse("articles:comment_post", args=[article.slug]), comment_data(article), **headers)

    assert response.status_code == 403
    assert "sent from another website" in response.content.decode()
    assert not Comment.objects.exists()


@pytest.mark.parametrize("headers", [
    {"HTTP_ORIGIN": "https://evil.example", "HTTP_SEC_FETCH_SITE": "cross-site"},
    {"HTTP_SEC_FETCH_SITE": "cross-site"},
])
def test_a_newsletter_signup_posted_from_another_site_is_refused_with_403(client, db, headers):
    from newsletter.models import Subscriber

    response = client.post(reverse("newsletter:signup"),
                           {"email": "victim@example.com", "source": "footer", "website": ""}, **headers)

    assert response.status_code == 403 and not Subscriber.objects.exists()


def test_the_reader_sees_their_waiting_comment_on_a_page_of_their_own(client, article, settings):
    settings.COMMENT_MIN_SECONDS = 0
    public_before = client.get(article.get_absolute_url())
    version_before = pagecache.cache.get(pagecache.STATE_KEY)["version"]

    response = client.post(reverse("articles:comment_post", args=[article.slug]),
                           {**comment_data(article), "body": "Waiting for the editors."})
    mine = client.get(response["Location"])

    assert "?comment=" in response["Location"]
    assert "Your comment is awaiting moderation" in mine.content.decode()
    assert "Waiting for the editors." in mine.content.decode()
    assert "no-store" in mine["Cache-Control"] and "private" in mine["Cache-Control"]
    # Everyone else's page did not change, and was not thrown away for a comment nobody sees.
    public_after = client.get(article.get_absolute_url())
    assert "Waiting for the editors." not in public_after.content.decode()
    assert public_after.content == public_before.content
    assert pagecache.cache.get(pagecache.STATE_KEY)["version"] == version_before


def test_a_forged_or_foreign_comment_link_shows_the_public_page(client, article, settings):
    other = ArticleFactory()
    comment = Comment.objects.create(article=other, name="Someone", email="s@example.com", body="Not yours")
    from articles.views import my_comment_url

    foreign = my_comment_url(comment).replace(other.get_absolute_url(), article.get_absolute_url())
    for url in (foreign, article.get_absolute_url() + "?comment=forged:token"):
        response = client.get(url)
        assert response.status_code == 200 and "Not yours" not in response.content.decode()


def test_approving_a_comment_changes_the_cached_page(client, article):
    comment = Comment.objects.create(article=article, name="Ada", email="ada@example.com", body="Good read.")
    assert "Good read." not in client.get(article.get_absolute_url()).content.decode()

    comment.status = Comment.Status.APPROVED
    comment.save()

    assert "Good read." in client.get(article.get_absolute_url()).content.decode()


def test_a_queryset_update_changes_the_cached_page(client, article):
    client.get("/")

    type(article).objects.filter(pk=article.pk).update(title="Renamed In Bulk")

    assert "Renamed In Bulk" in client.get("/").content.decode()


def test_a_page_that_sets_a_cookie_is_never_stored(rf, db):
    from django.http import HttpResponse

    def view(request):
        response = HttpResponse("<p>" + "x" * 300 + "</p>")
        response.set_cookie("tracker", "1")
        return response

    middleware = pagecache.PageCacheMiddleware(pagecache.public_page(view))
    request = rf.get("/cookie-page/", HTTP_HOST="localhost")

    middleware(request)
    assert middleware(request).cookies  # rendered again: nothing was stored
    assert pagecache.cache.get(pagecache.page_key(request)) is None


def test_with_the_database_away_the_health_check_still_answers_503_not_500(client, db, monkeypatch):
    """A new page-cache version asks the database when the next scheduled article is due;
    when it cannot, the request goes on without the cache and /healthz reports the outage."""
    from django.core.cache import cache
    from django.db import OperationalError

    def database_gone():
        raise OperationalError("unable to open database file")

    cache.delete(pagecache.STATE_KEY)
    with monkeypatch.context() as away:
        away.setattr(pagecache, "_schedules", [database_gone])
        away.setattr("core.views.connection.cursor", database_gone)
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": "error"}
