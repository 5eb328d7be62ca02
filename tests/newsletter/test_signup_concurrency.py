"""200 signups at once for 50 addresses, typed in every case and with stray spaces,
against the real server (gunicorn, several workers and threads): one row per address,
no 500. On SQLite, and on PostgreSQL when the suite runs on it."""

import random
import threading

from tests.http import post_form
from tests.liveserver import LiveSite

ADDRESSES = [f"reader{n:02}@example.com" for n in range(50)]
THREADS = 20


def typed(address: str, way: int) -> str:
    """One address, as four different readers (or one impatient one) might type it."""
    return [address, address.upper(), f"  {address.title()} ", f"\t{address.capitalize()}  "][way]


def post_signup(url: str, address: str) -> int:
    return post_form(url, {"email": address, "source": "footer", "website": ""})


def test_200_concurrent_signups_of_50_addresses_store_exactly_50_subscribers(tmp_path, database_url):
    env = {"NEWSLETTER_SIGNUP_RATE_LIMIT": "0", "NEWSLETTER_EMAIL_RATE_LIMIT": "0"}
    if database_url:
        env["DATABASE_URL"] = database_url
    requests = [typed(address, way) for address in ADDRESSES for way in range(4)]
    random.Random(0).shuffle(requests)

    with LiveSite(tmp_path, workers=3, **env) as site:
        site.manage("migrate", "--noinput")
        site.manage("collectstatic", "--noinput")
        site.serve()
        statuses: list[int] = []
        errors: list[BaseException] = []
        start = threading.Barrier(THREADS)

        def run(share: list[str]):
            start.wait()
            for address in share:
                try:
                    statuses.append(post_signup(site.url("/newsletter/"), address))
                except BaseException as error:  # reported below, with the server's log
                    errors.append(error)

        threads = [threading.Thread(target=run, args=(requests[n::THREADS],)) for n in range(THREADS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)

        assert not errors, f"{errors[:3]}\n{site.server_log_tail()}"
        assert 500 not in statuses, site.server_log_tail()
        assert statuses == [302] * len(requests), sorted(set(statuses))
        stored = site.manage(
            "shell", "-c",
            "from newsletter.models import Subscriber; "
            "print('\\n'.join(f'{s.email} {s.status} {s.signup_form}' for s in Subscriber.objects.all()))",
        ).splitlines()
        rows = sorted(line for line in stored if "@" in line)
        assert rows == [f"{address} pending footer" for address in ADDRESSES]
