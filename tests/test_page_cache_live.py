"""The page cache against the real site: three gunicorn workers, one shared cache.

Every way content changes (admin, shell, a management command, an import, an approved
comment, an author, category, partner or policy page edited, a scheduled article's time
coming) is followed by many anonymous GETs, spread over every worker: each one shows the
change. Runs on the suite's database (SQLite, or PostgreSQL in CI's second pass) and on
Redis when REDIS_URL is set, else on the default file cache.
"""

import json
import os
import re
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid

import pytest

from tests.conftest import fresh_postgres_database
from tests.editor_http import Browser
from tests.forms import form_fields
from tests.http import opener, post_form
from tests.liveserver import LiveSite, http_get

WORKERS = 3
READS = 4 * WORKERS  # enough for every worker to answer several of them
ARTICLE = "/what-is-the-connection-between-sciatica-and-back-pain.htm"
CATEGORY = "/category/health/"
AUTHOR = "/author/helen-marsh/"


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """One site for the module (the demo content, set up as `make run` does), on the
    suite's kind of database and cache."""
    env = {"COMMENT_MIN_SECONDS": "0"}
    if os.environ.get("REDIS_URL"):
        env |= {"REDIS_URL": os.environ["REDIS_URL"], "CACHE_KEY_PREFIX": f"live-{uuid.uuid4().hex[:8]}"}
    with fresh_postgres_database() as database_url:
        if database_url:
            env["DATABASE_URL"] = database_url
        with LiveSite(tmp_path_factory.mktemp("pagecache"), workers=WORKERS, **env) as live:
            live.start()
            yield live


def shell(site: LiveSite, code: str) -> str:
    return site.manage("shell", "-c", code)


def reads(site: LiveSite, path: str) -> list[str]:
    pages = []
    for _ in range(READS):
        status, headers, body = http_get(site.url(path))
        assert status == 200, site.server_log_tail()
        assert "Set-Cookie" not in headers and "Cookie" not in headers.get("Vary", "")
        pages.append(body.decode())
    return pages


def served_from_cache(site: LiveSite, path: str, marker_sql: str, marker: str) -> None:
    """Proves ``path`` is cached: a change written with raw SQL (no signal) stays unseen."""
    reads(site, path)
    shell(site, f"from django.db import connection\nconnection.cursor().execute({marker_sql!r})")
    assert not any(marker in page for page in reads(site, path))


def every_read_shows(site: LiveSite, path: str, text: str) -> None:
    pages = reads(site, path)
    missing = [n for n, page in enumerate(pages) if text not in page]
    assert not missing, f"{len(missing)} of {len(pages)} reads of {path} do not show {text!r}"


def test_pages_are_served_from_the_shared_cache_and_a_signal_free_change_stays_unseen(site):
    served_from_cache(site, ARTICLE, "UPDATE articles_article SET summary = 'Raw change' "
                                     "WHERE slug = 'what-is-the-connection-between-sciatica-and-back-pain'",
                      "Raw change")


def test_an_edit_through_admin_shows_at_once_on_every_worker(site):
    reads(site, ARTICLE)
    reads(site, "/")
    editor = Browser(site).log_in_to_admin()
    pk = shell(site, "from articles.models import Article; print(Article.objects.get("
                     "slug='what-is-the-connection-between-sciatica-and-back-pain').pk)").split()[-1]

    editor.change_through_admin(f"/admin/articles/article/{pk}/change/", "article_form",
                                {"title": "Sciatica and Back Pain, Edited in Admin"})

    every_read_shows(site, ARTICLE, "Sciatica and Back Pain, Edited in Admin")
    every_read_shows(site, "/", "Sciatica and Back Pain, Edited in Admin")
    every_read_shows(site, CATEGORY, "Sciatica and Back Pain, Edited in Admin")


def test_a_queryset_update_in_the_shell_shows_at_once(site):
    reads(site, CATEGORY)

    shell(site, "from articles.models import Article; Article.objects.filter(category__slug='health')"
                ".update(summary='Summaries rewritten from the shell.')")

    every_read_shows(site, CATEGORY, "Summaries rewritten from the shell.")


def test_an_import_with_loaddata_shows_at_once(site, tmp_path):
    reads(site, AUTHOR)
    pk = shell(site, "from authors.models import Author; print(Author.objects.get(slug='helen-marsh').pk)").split()[-1]
    dump = json.loads(site.manage("dumpdata", "authors.author", "--pks", pk))
    dump[0]["fields"]["credentials"] = "Imported Credentials, PhD"
    fixture = tmp_path / "author.json"
    fixture.write_text(json.dumps(dump))

    site.manage("loaddata", str(fixture))

    every_read_shows(site, AUTHOR, "Imported Credentials, PhD")
    every_read_shows(site, ARTICLE, "Imported Credentials, PhD")  # her byline and author box


def test_an_approved_comment_shows_at_once(site):
    reads(site, ARTICLE)
    shell(site, "from articles.models import Article, Comment\n"
                "a = Article.objects.get(slug='what-is-the-connection-between-sciatica-and-back-pain')\n"
                "Comment.objects.create(article=a, name='Quinn', email='q@example.com', body='Approved later.')")
    assert not any("Approved later." in page for page in reads(site, ARTICLE))

    # The moderation queue's bulk action is a queryset update.
    shell(site, "from articles.models import Comment; Comment.objects.filter(name='Quinn').update(status='approved')")

    every_read_shows(site, ARTICLE, "Approved later.")


def test_a_renamed_category_shows_in_every_pages_navigation(site):
    for path in ("/", ARTICLE, AUTHOR):
        reads(site, path)

    shell(site, "from articles.models import Category; c = Category.objects.get(slug='health'); "
                "c.name = 'Health and Body'; c.save()")

    for path in ("/", ARTICLE, AUTHOR, "/about/"):
        every_read_shows(site, path, "Health and Body")


def test_an_edited_author_partner_and_policy_page_show_at_once(site):
    for path in (AUTHOR, "/affiliate-partners/", "/about/"):
        reads(site, path)

    shell(site, "from authors.models import Author; a = Author.objects.get(slug='helen-marsh'); "
                "a.short_bio = 'A new bio line.'; a.bio = '<p>A new bio line.</p>'; a.save()")
    shell(site, "from partners.models import AffiliatePartner; p = AffiliatePartner.objects.order_by('pk').first(); "
                "p.name = 'Renamed Partner Ltd'; p.save()")
    shell(site, "from django.contrib.flatpages.models import FlatPage; p = FlatPage.objects.get(url='/about/'); "
                "p.content = '<p>About us, rewritten.</p>'; p.save()")

    every_read_shows(site, AUTHOR, "A new bio line.")
    every_read_shows(site, "/affiliate-partners/", "Renamed Partner Ltd")
    every_read_shows(site, "/about/", "About us, rewritten.")


def test_a_scheduled_article_appears_when_its_time_comes_without_any_job(site):
    shell(site, "import datetime\nfrom django.utils import timezone\nfrom articles.models import Article\n"
                "a = Article.objects.get(slug='what-is-the-connection-between-sciatica-and-back-pain')\n"
                "a.pk = None; a.id = None; a.slug = 'scheduled-for-a-moment'; a.title = 'Scheduled For A Moment'\n"
                "a.publish_at = timezone.now() + datetime.timedelta(seconds=4); a.save()")
    home = reads(site, "/")
    assert not any("Scheduled For A Moment" in page for page in home)
    cache_control = http_get(site.url("/"))[1]["Cache-Control"]
    assert int(re.search(r"s-maxage=(\d+)", cache_control).group(1)) <= 4

    time.sleep(4.5)  # nothing runs in between: no worker, no cron

    every_read_shows(site, "/", "Scheduled For A Moment")


def test_a_cookieless_reader_comments_and_signs_up_from_a_cached_page(site):
    reads(site, ARTICLE)  # the page is cached; the reader's only request is served from it
    status, headers, body = http_get(site.url(ARTICLE))
    assert "Set-Cookie" not in headers
    page = body.decode()
    comment = form_fields(page, "comment-form")
    same_origin = {"Origin": site.base, "Sec-Fetch-Site": "same-origin"}

    request = urllib.request.Request(
        site.url(ARTICLE + "/comment"), method="POST", headers=same_origin,
        data=urllib.parse.urlencode({**comment, "name": "Rowan", "email": "rowan@example.com",
                                     "body": "Posted from a cached page."}).encode(),
    )
    with pytest.raises(urllib.error.HTTPError) as answer:  # the redirect, not followed
        opener().open(request, timeout=30)
    assert answer.value.code == 302, answer.value.read()[:500]
    assert "Set-Cookie" not in answer.value.headers
    location = answer.value.headers["Location"]

    _, mine_headers, mine = http_get(site.url(location.split("#")[0]))
    assert "Posted from a cached page." in mine.decode()
    assert "awaiting moderation" in mine.decode() and "no-store" in mine_headers["Cache-Control"]
    assert not any("Posted from a cached page." in p for p in reads(site, ARTICLE))

    signup = {"email": "rowan@example.com", "source": "article", "website": ""}
    assert post_form(site.url("/newsletter/"), signup, headers=same_origin) == 302
    stored = shell(site, "from newsletter.models import Subscriber; "
                         "print(Subscriber.objects.filter(email='rowan@example.com').count())")
    assert stored.split()[-1] == "1"


def test_posts_from_another_site_are_refused_with_403(site):
    page = http_get(site.url(ARTICLE))[2].decode()
    comment = {**form_fields(page, "comment-form"), "name": "Mallory", "email": "m@example.com", "body": "Forged."}
    cross_site = {"Origin": "https://attacker.example", "Sec-Fetch-Site": "cross-site"}

    assert post_form(site.url(ARTICLE + "/comment"), comment, headers=cross_site) == 403
    assert post_form(site.url("/newsletter/"), {"email": "victim@example.com", "source": "footer", "website": ""},
                     headers=cross_site) == 403
    counts = shell(site, "from articles.models import Comment; from newsletter.models import Subscriber; "
                         "print(Comment.objects.filter(name='Mallory').count(), "
                         "Subscriber.objects.filter(email='victim@example.com').count())")
    assert counts.split()[-2:] == ["0", "0"]
