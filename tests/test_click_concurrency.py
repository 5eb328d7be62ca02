"""500 readers click the same affiliate link at the same moment, against the real server:
every click is counted, once, for its article and day.

The server is gunicorn with three workers of four threads each, so the clicks race in
several processes at once; on SQLite in WAL mode, or on PostgreSQL when the suite runs
with DATABASE_URL pointing at one (CI's second pass); no engine marker, as it runs in
both. A counter that reads the row and then writes it back (``get_or_create``, then
``clicks += 1`` and ``save()``) loses clicks here: 323 of 500 were stored on SQLite and
141 of 500 on PostgreSQL when this test was written. ``LinkClick.objects.count_click``
adds in one statement and loses none.
"""

import json
import urllib.error
import urllib.request
from urllib.parse import urlencode

import pytest

from tests.concurrency import in_threads_at_once
from tests.conftest import fresh_postgres_database
from tests.http import opener
from tests.liveserver import LiveSite

WORKERS = 3
CLICKS = 500
BROWSER = ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
           "Chrome/131.0.0.0 Safari/537.36")
DESTINATION = "https://shop.brightleaf.example/heat?ref=wg"

SETUP = f"""
import json
from partners.clicks import source_token
from tests.factories import ArticleFactory, AuthorFactory, CategoryFactory, PartnerLinkFactory

category, author = CategoryFactory(slug="crowd"), AuthorFactory(slug="crowd")
articles = [ArticleFactory(slug=f"crowd-{{n}}", category=category, author=author) for n in range(2)]
link = PartnerLinkFactory(slug="heat-pack", destination={DESTINATION!r})
PartnerLinkFactory(slug="first-aid-kit", partner=link.partner)
print(json.dumps({{"articles": [a.pk for a in articles], "tokens": [source_token(a) for a in articles]}}))
"""

COUNTS = """
import json
from django.utils import timezone
from partners.models import LinkClick
rows = LinkClick.objects.filter(link__slug={slug!r}).values_list("article_id", "day", "clicks")
print(json.dumps({{"today": str(timezone.localdate()), "rows": [[a, str(d), c] for a, d, c in rows]}}))
"""


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """One site for the module, on the suite's kind of database, with two articles and
    two links of one partner."""
    with fresh_postgres_database() as database_url:
        env = {"DATABASE_URL": database_url} if database_url else {}
        with LiveSite(tmp_path_factory.mktemp("clicks"), workers=WORKERS, **env) as live:
            live.manage("migrate", "--noinput")
            live.serve()  # no page here needs the static files
            live.content = json.loads(live.manage("shell", "-c", SETUP).strip().splitlines()[-1])
            yield live


def click(site: LiveSite, slug: str, token: str | None) -> tuple[int, str]:
    """A reader's browser following /go/<slug>?from=<token>: the status and where it leads."""
    query = "?" + urlencode({"from": token}) if token else ""
    request = urllib.request.Request(site.url(f"/go/{slug}{query}"), headers={"User-Agent": BROWSER})
    try:
        with opener().open(request, timeout=120) as response:
            return response.status, response.headers.get("Location", "")
    except urllib.error.HTTPError as error:  # the 302, not followed
        error.close()
        return error.code, error.headers.get("Location", "")


def stored_counts(site: LiveSite, slug: str) -> tuple[list, str]:
    """The link's rows as sorted [article id or None, day, clicks], and today's date on the server."""
    found = json.loads(site.manage("shell", "-c", COUNTS.format(slug=slug)).strip().splitlines()[-1])
    return sorted(found["rows"], key=lambda row: (row[0] or 0, row[1])), found["today"]


def test_500_concurrent_clicks_from_one_article_are_all_counted_in_one_row(site):
    article, token = site.content["articles"][0], site.content["tokens"][0]

    answers = in_threads_at_once(CLICKS, lambda n: click(site, "heat-pack", token))

    assert answers == [(302, DESTINATION)] * CLICKS, site.server_log_tail()
    rows, today = stored_counts(site, "heat-pack")
    assert rows == [[article, today, CLICKS]], site.server_log_tail()


def test_500_concurrent_clicks_from_two_articles_and_none_sum_exactly_per_article(site):
    (first, second), tokens = site.content["articles"], site.content["tokens"]
    # 200 from the first article, 200 from the second, 100 with no (or a forged) article.
    sources = [tokens[0]] * 200 + [tokens[1]] * 200 + [None] * 60 + ["forged:token"] * 40

    answers = in_threads_at_once(CLICKS, lambda n: click(site, "first-aid-kit", sources[n]))

    assert [status for status, _ in answers] == [302] * CLICKS, site.server_log_tail()
    rows, today = stored_counts(site, "first-aid-kit")
    assert rows == [[None, today, 100], [first, today, 200], [second, today, 200]], site.server_log_tail()
