"""Does the signup answer take longer for a new address than for one already on the list?

    .venv/bin/python -m bench.signup_timing                 # 400 pairs
    .venv/bin/python -m bench.signup_timing --pairs 1000

The site runs under gunicorn (2 workers, loopback, SQLite) with 200 active subscribers.
Signups alternate: a new address, then an address already subscribed (the baseline,
measured in the same run), one request at a time, each timed from the first byte sent
to the last byte of the answer. The report gives both medians, the median of the
per-pair ratios (new / subscribed) and the 90th percentiles: a difference an attacker
could read over the network would show as a ratio away from 1.00. Results go to
bench/results/signup-timing.md.
"""

from __future__ import annotations

import argparse
import datetime
import http.client
import statistics
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.liveserver import LiveSite  # noqa: E402

KNOWN = 200


def timed_signup(host: str, port: int, address: str) -> float:
    body = urllib.parse.urlencode({"email": address, "source": "newsletter-page"})
    connection = http.client.HTTPConnection(host, port, timeout=30)
    started = time.perf_counter()
    connection.request("POST", "/newsletter/", body, {
        "Content-Type": "application/x-www-form-urlencoded", "Origin": f"http://{host}:{port}",
    })
    response = connection.getresponse()
    response.read()
    elapsed = time.perf_counter() - started
    connection.close()
    if response.status != 302:
        raise SystemExit(f"signup of {address} answered {response.status}")
    return elapsed


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pairs", type=int, default=400)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp, LiveSite(
        Path(tmp), workers=2, NEWSLETTER_SIGNUP_RATE_LIMIT="0", NEWSLETTER_EMAIL_RATE_LIMIT="0",
    ) as site:
        site.start()
        site.manage("shell", "-c", (
            "from newsletter.models import Subscriber; Subscriber.objects.bulk_create("
            f"[Subscriber(email=f'known{{n}}@example.com', status='active') for n in range({KNOWN})])"
        ))
        host, port = "127.0.0.1", int(site.base.rsplit(":", 1)[1])
        for n in range(20):  # warm both workers' connections and caches
            timed_signup(host, port, f"warm{n}@example.com")
        new, known = [], []
        for n in range(args.pairs):
            new.append(timed_signup(host, port, f"new{n}@example.com"))
            known.append(timed_signup(host, port, f"known{n % KNOWN}@example.com"))
    ratios = [a / b for a, b in zip(new, known)]
    lines = [
        "# Signup timing: a new address against one already subscribed",
        "",
        f"{datetime.date.today():%Y-%m-%d}, `python -m bench.signup_timing --pairs {args.pairs}`: gunicorn "
        "(2 workers) on loopback, SQLite, one request at a time, new and subscribed addresses alternating.",
        "",
        "| | new address | subscribed address |",
        "|---|---:|---:|",
        f"| median | {statistics.median(new) * 1000:.2f} ms | {statistics.median(known) * 1000:.2f} ms |",
        f"| 90th percentile | {percentile(new, 0.9) * 1000:.2f} ms | {percentile(known, 0.9) * 1000:.2f} ms |",
        "",
        f"Median of the per-pair ratios (new / subscribed): **{statistics.median(ratios):.2f}**.",
        "",
    ]
    report = "\n".join(lines)
    out = ROOT / "bench" / "results" / "signup-timing.md"
    out.write_text(report)
    print(report)


if __name__ == "__main__":
    main()
