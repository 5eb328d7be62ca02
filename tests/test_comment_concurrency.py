"""200 comments from 20 threads against the real server: each stored once, none lost, no 500;
and one form token sent by 20 threads at once stores one comment.

The server is gunicorn with several workers and threads, on SQLite in WAL mode, or on
PostgreSQL when the suite runs with DATABASE_URL pointing at one (CI does both).
"""

import json
import re
import threading

from tests.http import opener, post_form
from tests.liveserver import LiveSite

THREADS = 20
PER_THREAD = 10
ARTICLE = "/what-is-the-connection-between-sciatica-and-back-pain.htm"


class Reader:
    """One person reading the article (from the page cache, with no cookie) and posting
    comments from it, as a browser on the site's own page does (Origin)."""

    def __init__(self, base: str):
        self.base = base
        self.opener = opener(cookies=True)

    def form_fields(self) -> dict:
        """The form as the page's script leaves it: the page's token (shared by every
        reader of the cached page) replaced by one of the reader's own."""
        with self.opener.open(self.base + ARTICLE, timeout=30) as response:
            html = response.read().decode()
        fields = dict(re.findall(r'name="(csrfmiddlewaretoken|issued)" value="([^"]+)"', html))
        assert set(fields) == {"issued"}  # a signed token, and no CSRF cookie to pair with
        token_url = re.search(r'data-token-url="([^"]+)"', html)[1]
        with self.opener.open(self.base + token_url, timeout=30) as response:
            return {"issued": json.load(response)["issued"]}

    def post_comment(self, body: str, fields: dict | None = None) -> int:
        data = {**(fields or self.form_fields()), "name": "Concurrent Reader", "email": "crowd@example.com",
                "body": body, "website": "", "parent": ""}
        return post_form(self.base + ARTICLE + "/comment", data, using=self.opener,
                         headers={"Origin": self.base, "Sec-Fetch-Site": "same-origin"})


def stored_bodies(site) -> list[str]:
    return site.manage(
        "shell", "-c",
        "from articles.models import Comment; "
        "print('\\n'.join(Comment.objects.values_list('body', flat=True)))",
    ).split("\n")


def test_200_concurrent_comments_are_each_stored_exactly_once(tmp_path, database_url):
    env = {"COMMENT_MIN_SECONDS": "0", "COMMENT_RATE_LIMIT": "0"}
    if database_url:
        env["DATABASE_URL"] = database_url
    with LiveSite(tmp_path, workers=3, **env) as site:
        site.start()
        statuses: list[int] = []
        errors: list[BaseException] = []

        def run(thread: int):
            reader = Reader(site.base)
            for i in range(PER_THREAD):
                try:
                    statuses.append(reader.post_comment(f"comment {thread}-{i}"))
                except BaseException as error:  # reported below, with the server's log
                    errors.append(error)

        threads = [threading.Thread(target=run, args=(n,)) for n in range(THREADS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=300)

        assert not errors, f"{errors[:3]}\n{site.server_log_tail()}"
        assert 500 not in statuses, site.server_log_tail()
        assert statuses.count(302) == THREADS * PER_THREAD, sorted(set(statuses))
        bodies = [line for line in stored_bodies(site) if line.startswith("comment ")]
        expected = {f"comment {t}-{i}" for t in range(THREADS) for i in range(PER_THREAD)}
        assert len(bodies) == len(expected), "a comment was lost or stored twice"
        assert set(bodies) == expected


def test_one_form_token_sent_by_20_threads_at_once_stores_one_comment(tmp_path, database_url):
    env = {"COMMENT_MIN_SECONDS": "0", "COMMENT_RATE_LIMIT": "0"}
    if database_url:
        env["DATABASE_URL"] = database_url
    with LiveSite(tmp_path, workers=3, **env) as site:
        site.start()
        fields = Reader(site.base).form_fields()
        start = threading.Barrier(THREADS)
        statuses: list[int] = []

        def run(n: int):
            reader = Reader(site.base)
            start.wait()
            statuses.append(reader.post_comment(f"replay {n}", fields))

        threads = [threading.Thread(target=run, args=(n,)) for n in range(THREADS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)

        assert sorted(statuses) == [302] + [400] * (THREADS - 1), site.server_log_tail()
        assert len([line for line in stored_bodies(site) if line.startswith("replay ")]) == 1
