"""Which cache every gunicorn worker on one machine can share: the candidates compared.

    .venv/bin/python -m bench.cache_backends            # or: make bench
    .venv/bin/python -m bench.cache_backends --rounds 3

Local memory is fast but each worker has its own, so an invalidation in one worker
never reaches the others: it is the baseline here, not a candidate. The candidates are
Django's file cache (a folder under VAR_DIR), its database cache in the site's SQLite
database (WAL), and Redis when one answers at REDIS_URL (default 127.0.0.1:6379/15).
Each does the same work in the same run: store 200 small values (the navigation, the
partner domains) and 200 page-sized ones (30 KB), read each 10 times, delete them. The
report is each backend's operations per second as a ratio of local memory's, and the
slowest single read (the tail a reader would feel) as a multiple of local memory's.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from pathlib import Path

SMALL, LARGE, READS = 200, 200, 10
PAGE = ("<p>" + "An explainer paragraph of ordinary length. " * 12 + "</p>\n") * 50  # ≈ 30 KB


def configure(tmp: Path, redis_url: str | None) -> list[str]:
    import django
    from django.conf import settings

    caches = {
        "locmem": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "OPTIONS": {"MAX_ENTRIES": 10_000}},
        "file": {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
                 "LOCATION": str(tmp / "cache"), "OPTIONS": {"MAX_ENTRIES": 5_000}},
        "database": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "bench_cache",
                     "OPTIONS": {"MAX_ENTRIES": 5_000}},
    }
    if redis_url:
        caches["redis"] = {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": redis_url,
                           "KEY_PREFIX": "bench"}
    settings.configure(
        DATABASES={"default": {
            "ENGINE": "django.db.backends.sqlite3", "NAME": str(tmp / "db.sqlite3"),
            "OPTIONS": {"init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
                        "transaction_mode": "IMMEDIATE", "timeout": 20},
        }},
        CACHES={"default": caches["locmem"], **caches},
        INSTALLED_APPS=[],
        USE_TZ=True,
    )
    django.setup()
    from django.core.management import call_command

    call_command("createcachetable", "bench_cache", verbosity=0)
    return list(caches)


def redis_answers(url: str) -> bool:
    try:
        import redis

        return bool(redis.Redis.from_url(url, socket_connect_timeout=1).ping())
    except Exception:  # no server, wrong port: the Redis row is left out
        return False


def run_once(alias: str) -> tuple[float, float]:
    """(operations per second, slowest read in seconds) for one round on ``alias``."""
    from django.core.cache import caches

    cache = caches[alias]
    cache.clear()
    keys = [(f"small:{n}", ["category"] * 8) for n in range(SMALL)] + [(f"page:{n}", PAGE) for n in range(LARGE)]
    slowest = 0.0
    started = time.perf_counter()
    for key, value in keys:
        cache.set(key, value, 300)
    for _ in range(READS):
        for key, _value in keys:
            t = time.perf_counter()
            assert cache.get(key) is not None
            slowest = max(slowest, time.perf_counter() - t)
    for key, _value in keys:
        cache.delete(key)
    elapsed = time.perf_counter() - started
    return len(keys) * (READS + 2) / elapsed, slowest


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--redis-url", default=os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/15"))
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="wisegeek-cache-bench-") as tmp:
        aliases = configure(Path(tmp), args.redis_url if redis_answers(args.redis_url) else None)
        results = {}
        for alias in aliases:
            rounds = [run_once(alias) for _ in range(args.rounds)]
            results[alias] = (statistics.median(r[0] for r in rounds), statistics.median(r[1] for r in rounds))
        base_rate, base_tail = results["locmem"]
        print(f"{'backend':<10} {'ops/s vs locmem':>16} {'slowest read vs locmem':>24}  shared by workers")
        for alias, (rate, tail) in results.items():
            shared = "no (baseline)" if alias == "locmem" else "yes" if alias != "redis" else "yes, and by servers"
            print(f"{alias:<10} {rate / base_rate:>15.2f}× {tail / base_tail:>23.1f}×  {shared}")


if __name__ == "__main__":
    main()
