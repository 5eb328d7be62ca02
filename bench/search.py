"""How the search query's time grows with the site: 1,000 articles against 100,000, on
SQLite and on PostgreSQL.

    .venv/bin/python -m bench.search                      # both engines, about 10 minutes
    .venv/bin/python -m bench.search --no-postgres        # SQLite only
    .venv/bin/python -m bench.search --large 20000        # quicker, smaller

Each engine gets two throw-away databases (SQLite files in a temporary folder; PostgreSQL
databases bench_search_small and bench_search_large on the server at --postgres-url,
created and dropped), migrated, then filled with published articles by ``bulk_create``:
bodies of 1–3 KB of HTML made of the demo articles' paragraphs. A rare word is in the
same three articles at both sizes (one title, one summary, one body); a common word is
in about a third of the bodies, as the demo paragraphs use it.

For each query, what the search page runs (``Article.objects.published().for_listing()
.search(q)``: the count, then the first page of 10) is timed on the small and the large
database alternately, and the figure is the median over the rounds of large / small.
The plan of the large one's page query follows (EXPLAIN ANALYZE on PostgreSQL after
VACUUM ANALYZE, as autovacuum leaves it; EXPLAIN QUERY PLAN on SQLite, which is never
ANALYZEd unless someone does it). Statistics only: the output goes to stdout.
"""

from __future__ import annotations

import argparse
import datetime
import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RARE = "axolotl"
QUERIES = {"rare word": RARE, "common word": "water", "two common words": "water temperature"}
NAMES = ("bench_search_small", "bench_search_large")


def say(text: str) -> None:
    print(text, flush=True)


# --- Inside one engine's process ------------------------------------------------------

def _bodies(rng: random.Random, count: int) -> list[str]:
    blocks = []
    for path in sorted((ROOT / "demo" / "content" / "articles").glob("*.html")):
        text = path.read_text(encoding="utf-8")
        blocks += [block.strip() for block in
                   re.findall(r".*?</(?:p|ul|ol|h2|h3|table|blockquote)>", text, re.DOTALL)]
    blocks = [block for block in blocks if RARE not in block.lower()]
    bodies = []
    while len(bodies) < count:
        body = "\n".join(rng.sample(blocks, rng.randint(4, 10)))
        if 1000 <= len(body) <= 3000:
            bodies.append(body)
    return bodies


def _load(alias: str, articles: int, seed: int) -> float:
    from django.utils import timezone

    from articles.models import Article, Category
    from authors.models import Author

    rng = random.Random(seed)
    started = time.perf_counter()
    category = Category.objects.using(alias).create(name="Bench", slug="bench")
    author = Author.objects.using(alias).create(name="Bench Writer", slug="bench-writer")
    bodies = _bodies(rng, 500)
    now = timezone.now()
    batch = []
    for n in range(articles):
        title, summary, body = f"What is thing number {n}?", f"A synthetic explainer, number {n}.", bodies[n % len(bodies)]
        if n in (0, articles // 2, articles - 1):  # the rare word: title, summary, body
            position = [0, articles // 2, articles - 1].index(n)
            title, summary, body = (
                (f"What is an {RARE}?", summary, body),
                (title, f"Why the {RARE} regrows its limbs.", body),
                (title, summary, body + f"\n<p>Unlike an {RARE}, it cannot regrow a limb.</p>"),
            )[position]
        batch.append(Article(
            title=title, slug=f"thing-{n}", category=category, author=author, summary=summary, body=body,
            status=Article.Status.PUBLISHED, publish_at=now - datetime.timedelta(minutes=n),
            updated_on=now.date(),
        ))
        if len(batch) == 5000:
            Article.objects.using(alias).bulk_create(batch)
            batch = []
    Article.objects.using(alias).bulk_create(batch)
    return time.perf_counter() - started


def _search(alias: str, query: str):
    from articles.models import Article

    return Article.objects.using(alias).published().for_listing().search(query)


def _page(alias: str, query: str) -> tuple[int, list[int]]:
    results = _search(alias, query)
    return results.count(), [article.pk for article in results[:10]]


def _plans(alias: str, query: str) -> list[list[str]]:
    """The plan of each query the search page runs: the count, then the page."""
    from django.db import connections

    connection = connections[alias]
    captured = []

    def capture(execute, sql, params, many, context):
        captured.append((sql, params))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(capture):
        _page(alias, query)
    plans = []
    with connection.cursor() as cursor:
        for sql, params in captured:
            if connection.vendor == "postgresql":
                cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
                plans.append([row[0] for row in cursor.fetchall()])
            else:
                cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
                plans.append([detail for _, _, _, detail in cursor.fetchall()])
    return plans


def step_run(args) -> None:
    import django
    from django.conf import settings

    large_url = os.environ["BENCH_SEARCH_LARGE_URL"]
    import dj_database_url

    large = dj_database_url.parse(large_url, conn_max_age=0)
    large["OPTIONS"] = settings.DATABASES["default"].get("OPTIONS", {})
    settings.DATABASES["large"] = large
    django.setup()

    from django.core.management import call_command
    from django.db import connections

    vendor = connections["default"].vendor
    for alias, count in (("default", args.small), ("large", args.large)):
        call_command("migrate", database=alias, verbosity=0)
        seconds = _load(alias, count, args.seed)
        with connections[alias].cursor() as cursor:
            cursor.execute("VACUUM ANALYZE" if vendor == "postgresql" else "PRAGMA wal_checkpoint(TRUNCATE)")
        say(f"{vendor}: {count:,} articles loaded into {alias} in {seconds:.0f} s")

    say(f"\n{vendor}: {args.small:,} vs {args.large:,} articles, median of {args.rounds} rounds "
        "(count + first page of 10)")
    say(f"{'query':<18} {'matches small':>13} {'matches large':>13} {'small ms':>9} {'large ms':>9} {'ratio':>6}")
    for name, query in QUERIES.items():
        for alias in ("default", "large"):
            _page(alias, query)  # warm the cache
        small_ms, large_ms, ratios = [], [], []
        for _ in range(args.rounds):
            times = {}
            for alias in ("default", "large"):
                best = float("inf")
                for _ in range(3):  # the best of three: the machine is shared and noisy
                    started = time.perf_counter()
                    _page(alias, query)
                    best = min(best, time.perf_counter() - started)
                times[alias] = best * 1000
            small_ms.append(times["default"])
            large_ms.append(times["large"])
            ratios.append(times["large"] / times["default"])
        small_count, small_first = _page("default", query)
        large_count, large_first = _page("large", query)
        say(f"{name:<18} {small_count:>13,} {large_count:>13,} {statistics.median(small_ms):>9.2f} "
            f"{statistics.median(large_ms):>9.2f} {statistics.median(ratios):>6.2f}")
    for name, query in QUERIES.items():
        for what, plan in zip(["count", "first page"], _plans("large", query)):
            say(f"\nPlan of the {what}, {name} ({query!r}), {args.large:,} articles:")
            for line in plan:
                say("    " + line)


# --- The driver -------------------------------------------------------------------------

def _postgres(url: str, statement: str) -> None:
    import psycopg

    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute(statement)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--step", choices=["run"])
    parser.add_argument("--small", type=int, default=1_000)
    parser.add_argument("--large", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=21)
    parser.add_argument("--seed", type=int, default=9)
    parser.add_argument("--no-postgres", action="store_true")
    parser.add_argument("--postgres-url", default="postgres://postgres@127.0.0.1:5432/postgres")
    args = parser.parse_args()
    if args.step == "run":
        step_run(args)
        return

    passed = ["--small", str(args.small), "--large", str(args.large), "--rounds", str(args.rounds),
              "--seed", str(args.seed)]
    with tempfile.TemporaryDirectory(prefix="bench-search-") as folder:
        env = {**os.environ, "VAR_DIR": folder, "DJANGO_SETTINGS_MODULE": "wisegeek.settings",
               "SECRET_KEY": "bench-search-not-secret"}
        env.pop("DATABASE_URL", None)
        env.pop("REDIS_URL", None)
        runs = [("sqlite", {"DATABASE_URL": f"sqlite:///{folder}/small.sqlite3",
                            "BENCH_SEARCH_LARGE_URL": f"sqlite:///{folder}/large.sqlite3"})]
        parts = urllib.parse.urlsplit(args.postgres_url)
        urls = [parts._replace(path=f"/{name}").geturl() for name in NAMES]
        if not args.no_postgres:
            runs.append(("postgresql", {"DATABASE_URL": urls[0], "BENCH_SEARCH_LARGE_URL": urls[1]}))
        for engine, databases in runs:
            if engine == "postgresql":
                for name in NAMES:
                    _postgres(args.postgres_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
                    _postgres(args.postgres_url, f'CREATE DATABASE "{name}"')
            try:
                subprocess.run([sys.executable, "-m", "bench.search", "--step", "run", *passed],
                               cwd=ROOT, env={**env, **databases}, check=True)
            finally:
                if engine == "postgresql":
                    for name in NAMES:
                        _postgres(args.postgres_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


if __name__ == "__main__":
    main()
