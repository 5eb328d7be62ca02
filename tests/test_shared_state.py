"""What one gunicorn worker caches or counts, every other worker sees.

Each test runs the real site with three gunicorn workers, on the suite's own database
(SQLite, or PostgreSQL when DATABASE_URL points at one) and on Redis when REDIS_URL is
set (CI's Redis pass); otherwise on the default file cache.
"""

import json
import re

from tests.concurrency import in_threads_at_once
from tests.http import opener, post_form
from tests.liveserver import LiveSite, http_get

WORKERS = 3
ATTEMPTS = 40
LIMIT = 10
ARTICLE_WITH_PARTNER_LINKS = "/why-do-batteries-lose-capacity-over-time.htm"


def test_40_concurrent_signups_against_a_limit_of_10_accept_exactly_10(tmp_path, shared_services):
    env = {**shared_services, "NEWSLETTER_SIGNUP_RATE_LIMIT": str(LIMIT), "NEWSLETTER_EMAIL_RATE_LIMIT": "0"}
    with LiveSite(tmp_path, workers=WORKERS, **env) as site:
        site.manage("migrate", "--noinput")
        site.manage("collectstatic", "--noinput")
        site.serve()

        statuses = in_threads_at_once(ATTEMPTS, lambda n: post_form(
            site.url("/newsletter/"), {"email": f"crowd{n}@example.com", "source": "footer", "website": ""}
        ))

        assert 500 not in statuses, site.server_log_tail()
        assert sorted(statuses) == [302] * LIMIT + [429] * (ATTEMPTS - LIMIT)
        stored = site.manage("shell", "-c", "from newsletter.models import Subscriber; "
                                            "print(Subscriber.objects.count())")
        assert stored.strip().splitlines()[-1] == str(LIMIT)


def test_40_concurrent_comments_against_a_limit_of_10_store_exactly_10(tmp_path, shared_services):
    env = {**shared_services, "COMMENT_RATE_LIMIT": str(LIMIT), "COMMENT_MIN_SECONDS": "0"}
    with LiveSite(tmp_path, workers=WORKERS, **env) as site:
        site.start()
        path = "/what-is-the-connection-between-sciatica-and-back-pain.htm"
        article = site.url(path)
        # Every reader has the form in front of them (with its cookies) before anyone sends.
        readers = [opener(cookies=True) for _ in range(ATTEMPTS)]
        forms = [own_form(reader, site, path) for reader in readers]

        statuses = in_threads_at_once(ATTEMPTS, lambda n: post_form(
            article + "/comment",
            {**forms[n], "name": "Crowd", "email": f"crowd{n}@example.com", "body": f"comment {n}",
             "website": "", "parent": ""},
            using=readers[n],
        ))

        assert 500 not in statuses, site.server_log_tail()
        assert sorted(statuses) == [302] * LIMIT + [429] * (ATTEMPTS - LIMIT), site.server_log_tail()
        stored = site.manage("shell", "-c", "from articles.models import Comment; "
                                            "print(Comment.objects.filter(name='Crowd').count())")
        assert stored.strip().splitlines()[-1] == str(LIMIT)


def own_form(reader, site, path: str) -> dict:
    """The comment form as the page's script leaves it: with a token of the reader's own,
    since a token sends one comment and the cached page's token is shared."""
    html = reader.open(site.url(path), timeout=30).read().decode()
    token_url = re.search(r'data-token-url="([^"]+)"', html)[1]
    with reader.open(site.url(token_url), timeout=30) as response:
        return {"issued": json.load(response)["issued"]}


def sponsored_link_count(site) -> int:
    return http_get(site.url(ARTICLE_WITH_PARTNER_LINKS))[2].decode().count('rel="sponsored noopener"')


def navigation(site) -> str:
    html = http_get(site.url("/"))[2].decode()
    return re.search(r'<nav[^>]*aria-label="Categories"[^>]*>(.*?)</nav>', html, re.S).group(1)


def test_a_change_made_anywhere_shows_in_every_worker_at_its_next_request(tmp_path, shared_services):
    with LiveSite(tmp_path, workers=WORKERS, **shared_services) as site:
        site.start()
        # Warm every worker's view of the partner list and the navigation.
        assert all(sponsored_link_count(site) > 0 for _ in range(4 * WORKERS))
        assert all("Health" in navigation(site) for _ in range(4 * WORKERS))

        # Another process (an operator's shell) ends every partnership and renames a category.
        site.manage("shell", "-c",
                    "from partners.models import AffiliatePartner; from articles.models import Category\n"
                    "for partner in AffiliatePartner.objects.all():\n"
                    "    partner.is_active = False; partner.save()\n"
                    "category = Category.objects.get(slug='health'); category.name = 'Health & Body'; "
                    "category.save()")

        assert [sponsored_link_count(site) for _ in range(4 * WORKERS)] == [0] * (4 * WORKERS)
        menus = [navigation(site) for _ in range(4 * WORKERS)]
        assert all("Health &amp; Body" in menu for menu in menus), menus[0]
