"""How fast the public pages are served, and whether they stay fast as the site grows.

    .venv/bin/python -m bench.pages                  # or: make bench (about 20 minutes)
    .venv/bin/python -m bench.pages --quick          # a few minutes: short rounds, smaller data
    .venv/bin/python -m bench.pages --no-postgres    # SQLite only

Every figure is a ratio against a baseline measured in the same run on the same
machine (it is shared and noisy), never a bare time:

- Throughput: ``wrk -t2 -c32`` against gunicorn (gunicorn.conf.py, 2 workers, loopback)
  serving the demo content. The baseline is a bare Django view (bench/urls.py) returning
  the article page's own bytes, under the same gunicorn and the same MIDDLEWARE
  (bench/settings.py is the site's settings with that one URL added). Rounds are
  interleaved (baseline, page, baseline, page, ..., baseline); each page is divided by the
  mean of the baselines just before and after it, and the figure is the median ratio.
  The cached article runs on a server with the full-page cache on (PAGE_CACHE=1) and
  warm, the uncached one on a server with PAGE_CACHE=0; each is compared with the
  baseline on its own server.
- Growth: the median latency (p50, one request at a time) of the uncached article,
  category, home and search pages on a site with 1,000 articles against one with
  100,000 articles and 1,000,000 comments, requests to the two alternating, on SQLite
  and on PostgreSQL. The measured article has the same 200 comments in both, so the
  pages are the same size and only the tables differ. Each query those pages run is
  timed on both and EXPLAINed on the large one.
- Profile: where the uncached article page's time goes (templates and each include,
  the ORM by model, SQL compiling and running, a new connection, middleware, forms,
  sanitizing), timed and with cProfile over renders through Django's test client in one
  process (PAGE_CACHE=0); and the page cache's hit path against the bare view.

Everything runs against throw-away state: VAR_DIRs (SQLite, file cache, uploads) in a
temporary folder, and PostgreSQL databases bench_pages_small / bench_pages_large created
and dropped on the server at --postgres-url (trust auth). The results go to
bench/results/pages.md.
"""

from __future__ import annotations

import argparse
import datetime
import http.client
import json
import os
import platform
import re
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from itertools import islice
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.liveserver import LiveSite, http_get  # noqa: E402

ARTICLE_SLUG = "what-is-the-connection-between-sciatica-and-back-pain"
SEARCH_WORD = "sciatica"  # in that article and in no synthetic one: the same hits at every size
ARTICLE_COMMENTS = 200
COMMENTS_PER_ARTICLE = 10  # on the small site; the large one has its own total
EXTRA_CATEGORIES = 15
HOT_ARTICLES = 300  # most comments land on these
HOT_SHARE = 0.8
POSTGRES_NAMES = ("bench_pages_small", "bench_pages_large")
# What `make run`'s task worker does beside the server (image renditions, for one), then exits.
DRAIN_QUEUE = ("task_worker", "--batch", "--no-startup-delay")

FULL = {"duration": 10, "rounds": 5, "small": 1_000, "large": 100_000, "large_comments": 1_000_000,
        "page_seconds": 8, "page_requests": 15, "renders": 200, "hits": 2000}
QUICK = {"duration": 3, "rounds": 3, "small": 1_000, "large": 10_000, "large_comments": 100_000,
         "page_seconds": 2, "page_requests": 5, "renders": 50, "hits": 500}

TARGETS = {"cached": 0.9, "uncached": 0.08, "growth": 1.3}


def timed(client, path: str, count: int) -> float:
    """Milliseconds per GET of ``path`` through Django's test client, over ``count`` GETs."""
    started = time.perf_counter()
    for _ in range(count):
        client.get(path)
    return (time.perf_counter() - started) / count * 1000


def say(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


# --- Steps that run inside a site's environment: python -m bench.pages --step ... ------

def _django():
    import django

    django.setup()


def _pages() -> dict[str, str]:
    from articles.models import Article

    article = Article.objects.select_related("category").get(slug=ARTICLE_SLUG)
    return {
        "article": article.get_absolute_url(),
        "category": article.category.get_absolute_url(),
        "home": "/",
        "search": f"/search/?q={SEARCH_WORD}",
    }


def step_pages(args) -> dict:
    return _pages()


def _paragraph_pool() -> list[str]:
    """The demo bodies' paragraphs (and other top-level blocks) without the search word."""
    blocks = []
    for path in sorted((ROOT / "demo" / "content" / "articles").glob("*.html")):
        text = path.read_text(encoding="utf-8")
        blocks += [block.strip() + "\n" for block in
                   re.findall(r".*?</(?:p|ul|ol|h2|h3|table|blockquote)>", text, re.DOTALL)]
    return [block for block in blocks if SEARCH_WORD not in block.lower()]


TOPICS = (
    "volcanoes", "mortgages", "sourdough", "glaciers", "solar panels", "index funds", "tinnitus",
    "bread mould", "heat pumps", "hail", "passwords", "vitamin D", "rust", "compost tea", "tariffs",
    "migraines", "comets", "routers", "pensions", "aphids", "static electricity", "insulin",
    "lightning", "spreadsheets", "annuities", "tomato blight", "earthquakes", "fibre broadband",
    "allergies", "inflation", "magnets", "moss", "cataracts", "the jet stream", "mutual funds",
)
FORMS = ("What is {}?", "How do {} work?", "Why do people worry about {}?", "What causes {}?",
         "How much do {} cost?", "What are the benefits of {}?")
NAMES = ("Amira", "Ben", "Chloe", "Dev", "Elena", "Farid", "Grace", "Hugo", "Ines", "Jonah", "Keiko",
         "Liam", "Maya", "Noor", "Oscar", "Priya", "Quinn", "Rosa", "Sam", "Tariq")
COMMENT_TEXTS = (
    "Thanks, this finally made it click for me.",
    "I had always wondered about this. The second section was especially clear.",
    "Could you write a follow-up on the costs over ten years? I'd read it.",
    "My doctor said much the same thing, but it helps to have it written down.\n\nSharing with my parents.",
    "There is a good explainer on this at https://example.org/more-reading if anyone wants the details.",
    "Not sure I agree with the last paragraph. In my experience it depends a lot on where you live, "
    "how old the house is, and frankly on luck. Still, a useful overview.",
    "Great article!",
    "Does this also apply to older models? Mine is from 2009 and behaves differently.",
    "We tried this last winter and it worked, although it took about three weeks before we noticed a "
    "difference. Patience is the key word here.",
    "Typo in the third paragraph: 'there' should be 'their'. Otherwise spot on.",
)


def _insert(model, columns: list[str], rows, *, batch: int = 10_000) -> int:
    """Insert rows as fast as the database takes them: COPY on PostgreSQL, executemany
    in one transaction on SQLite. No save(), no signals, no history: this is bulk data."""
    from django.db import connection, transaction

    quote = connection.ops.quote_name
    table, names = quote(model._meta.db_table), ", ".join(quote(c) for c in columns)
    count = 0
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
                    count += 1
        else:
            sql = f"INSERT INTO {table} ({names}) VALUES ({', '.join(['%s'] * len(columns))})"
            rows = iter(rows)
            while chunk := list(islice(rows, batch)):
                cursor.executemany(sql, chunk)
                count += len(chunk)
    return count


def step_load(args) -> dict:
    """Synthetic articles and comments on top of the demo content, then ANALYZE."""
    import random

    from django.db import connection
    from django.utils import timezone
    from django.utils.text import slugify

    from articles.models import Article, Category, Comment
    from authors.models import Author

    rng = random.Random(args.seed)
    started = time.perf_counter()
    now = timezone.now()
    dt = connection.ops.adapt_datetimefield_value

    Category.objects.bulk_create([
        Category(name=f"Topic {n:02d}", slug=f"topic-{n:02d}", position=10 + n,
                 description="A synthetic category for the page benchmark.")
        for n in range(1, EXTRA_CATEGORIES + 1)
    ])
    categories = list(Category.objects.values_list("pk", flat=True))
    authors = list(Author.objects.values_list("pk", flat=True))
    pool = _paragraph_pool()
    bodies = ["".join(rng.sample(pool, rng.randint(12, 20))) for _ in range(500)]
    oldest_demo = Article.objects.order_by("publish_at").values_list("publish_at", flat=True).first() or now
    span = int(10 * 365 * 86400)
    new_articles = args.articles - Article.objects.count()

    def articles():
        for n in range(new_articles):
            roll = rng.random()
            status, publish_at = Article.Status.PUBLISHED, oldest_demo - datetime.timedelta(
                days=1, seconds=rng.randrange(span))
            if roll < 0.02:
                status = rng.choice([Article.Status.DRAFT, Article.Status.REVIEW])
            elif roll < 0.03:  # scheduled
                publish_at = now + datetime.timedelta(days=1 + rng.randrange(60))
            title = rng.choice(FORMS).format(rng.choice(TOPICS))
            yield (
                f"{title} ({n})", f"{slugify(title)}-{n}", rng.choice(categories), rng.choice(authors), None,
                f"A synthetic explainer about {title.lower().rstrip('?')} for the page benchmark.",
                bodies[n % len(bodies)], "", None, None, "", status, dt(publish_at),
                publish_at.date().isoformat(), "", "", True, True, "", dt(publish_at), dt(publish_at),
            )

    inserted_articles = _insert(Article, [
        "title", "slug", "category_id", "author_id", "reviewer_id", "summary", "body", "featured_image",
        "featured_image_width", "featured_image_height", "featured_image_alt", "status", "publish_at",
        "updated_on", "seo_title", "seo_description", "comments_open", "show_ads", "affiliate_disclosure",
        "created", "modified",
    ], articles())
    article_seconds = time.perf_counter() - started

    # The measured article: the same 200 comments at every size, a quarter of them replies.
    measured = Article.objects.get(slug=ARTICLE_SLUG)
    first = measured.publish_at + datetime.timedelta(hours=1)
    top = Comment.objects.bulk_create([
        Comment(article=measured, name=NAMES[n % len(NAMES)], email=f"reader{n}@example.com",
                body=COMMENT_TEXTS[n % len(COMMENT_TEXTS)], status=Comment.Status.APPROVED,
                created=first + datetime.timedelta(minutes=10 * n))
        for n in range(ARTICLE_COMMENTS * 3 // 4)
    ])
    Comment.objects.bulk_create([
        Comment(article=measured, parent=top[(n * 7) % len(top)], name=NAMES[(n + 3) % len(NAMES)],
                email=f"replier{n}@example.com", body=COMMENT_TEXTS[(n + 5) % len(COMMENT_TEXTS)],
                status=Comment.Status.APPROVED,
                created=first + datetime.timedelta(minutes=10 * len(top) + 10 * n))
        for n in range(ARTICLE_COMMENTS - len(top))
    ])

    # The rest: most on a few hundred articles (a skew like 1/rank), the others spread thin.
    others = list(Article.objects.published().exclude(pk=measured.pk).values_list("pk", flat=True))
    hot = rng.sample(others, min(HOT_ARTICLES, len(others)))
    hot_weights = [1 / rank for rank in range(1, len(hot) + 1)]
    remaining = args.comments - ARTICLE_COMMENTS
    hot_count = int(remaining * HOT_SHARE)
    targets = rng.choices(hot, weights=hot_weights, k=hot_count) + rng.choices(others, k=remaining - hot_count)

    def comments():
        for n, article_id in enumerate(targets):
            created = now - datetime.timedelta(seconds=rng.randrange(span))
            yield (article_id, None, NAMES[n % len(NAMES)], f"reader{n}@example.com",
                   COMMENT_TEXTS[n % len(COMMENT_TEXTS)], Comment.Status.APPROVED, dt(created), None, "")

    inserted_comments = _insert(Comment, [
        "article_id", "parent_id", "name", "email", "body", "status", "created", "ip_address", "user_agent",
    ], comments())
    comment_seconds = time.perf_counter() - started - article_seconds

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("VACUUM ANALYZE")
        else:
            cursor.execute("ANALYZE")
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return {
        "articles": Article.objects.count(), "published": Article.objects.published().count(),
        "comments": Comment.objects.count(), "measured_comments": measured.comments.count(),
        "inserted_articles": inserted_articles, "inserted_comments": inserted_comments,
        "article_seconds": round(article_seconds, 1), "comment_seconds": round(comment_seconds, 1),
        "analyze_seconds": round(time.perf_counter() - started - article_seconds - comment_seconds, 1),
    }


def _client():
    from django.test import Client

    return Client(HTTP_HOST="127.0.0.1")


def step_explain(args) -> dict:
    """Each page's queries, each run again on its own (best of 3, rows fetched) and EXPLAINed."""
    from django.db import connection

    client, results = _client(), {}
    for name, url in _pages().items():
        client.get(url)  # fills the navigation and partner caches, as a running site has them
        captured = []

        def capture(execute, sql, params, many, context):
            captured.append((sql, params))
            return execute(sql, params, many, context)

        with connection.execute_wrapper(capture):
            response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        queries = []
        with connection.cursor() as cursor:
            for sql, params in captured:
                best = float("inf")
                for _ in range(3):
                    started = time.perf_counter()
                    cursor.execute(sql, params)
                    cursor.fetchall()
                    best = min(best, time.perf_counter() - started)
                explain = "EXPLAIN " if connection.vendor == "postgresql" else "EXPLAIN QUERY PLAN "
                cursor.execute(explain + sql, params)
                plan = _plan_lines(connection.vendor, cursor.fetchall())
                queries.append({"sql": sql, "params": [str(p) for p in (params or ())],
                                "ms": best * 1000, "plan": plan})
        results[name] = {"url": url, "queries": queries}
    return results


def _plan_lines(vendor: str, rows) -> list[str]:
    if vendor == "postgresql":
        return [row[0] for row in rows]
    # SQLite: (id, parent, notused, detail); indent by depth in the tree.
    depth, lines = {0: -1}, []
    for node, parent, _, detail in rows:
        depth[node] = depth.get(parent, -1) + 1
        lines.append("  " * depth[node] + detail)
    return lines


def step_profile(args) -> dict:
    """cProfile over ``args.renders`` renders of the article page through the test client."""
    import cProfile
    import pstats
    from collections import defaultdict

    from django.db import connection
    from django.template import loader_tags

    from django.conf import settings

    client = _client()
    url = _pages()["article"]
    # The floor returns this page's bytes (bench/urls.py reads the file on first use).
    Path(settings.BENCH_BASELINE_FILE).write_bytes(client.get(url).content)
    for _ in range(10):
        assert client.get(url).status_code == 200
        client.get("/__bench__/baseline")

    # Interleaved, best of three: the page, and the same stack with the baseline view.
    page_ms = min(timed(client, url, args.renders // 4) for _ in range(3))
    floor_ms = min(timed(client, "/__bench__/baseline", args.renders // 4) for _ in range(3))

    # Queries as the page runs them (execute only; SQLite may fetch the rest later).
    query_ms, query_count = [0.0], [0]

    def time_query(execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            query_ms[0] += time.perf_counter() - started
            query_count[0] += 1

    # Each include's inclusive time, by template name (an include inside another counts in both).
    includes: dict[str, list[float]] = defaultdict(lambda: [0.0, 0])
    original_render = loader_tags.IncludeNode.render

    def render_include(node, context):
        name = node.template.resolve(context)
        name = getattr(name, "origin", None) and name.origin.template_name or str(name)
        started = time.perf_counter()
        try:
            return original_render(node, context)
        finally:
            includes[name][0] += time.perf_counter() - started
            includes[name][1] += 1

    # The ORM (querysets evaluated, by model; SQL compiled), and the page's template (the
    # outermost render only).
    from django.db.models.query import QuerySet
    from django.db.models.sql.compiler import SQLCompiler
    from django.template.base import Template

    spent = {"orm": 0.0, "template": 0.0, "compile": 0.0}
    by_model: dict[str, list[float]] = defaultdict(lambda: [0.0, 0])
    original_fetch, original_template, original_compile = QuerySet._fetch_all, Template.render, SQLCompiler.as_sql
    depth, compile_depth = [0], [0]

    def fetch_all(queryset):
        started = time.perf_counter()
        try:
            return original_fetch(queryset)
        finally:
            elapsed = time.perf_counter() - started
            spent["orm"] += elapsed
            by_model[queryset.model.__name__][0] += elapsed
            by_model[queryset.model.__name__][1] += 1

    def compile_sql(compiler, *args, **kwargs):
        compile_depth[0] += 1
        started = time.perf_counter()
        try:
            return original_compile(compiler, *args, **kwargs)
        finally:
            compile_depth[0] -= 1
            if not compile_depth[0]:
                spent["compile"] += time.perf_counter() - started

    def template_render(template, context):
        depth[0] += 1
        started = time.perf_counter()
        try:
            return original_template(template, context)
        finally:
            depth[0] -= 1
            if not depth[0]:
                spent["template"] += time.perf_counter() - started

    loader_tags.IncludeNode.render = render_include
    QuerySet._fetch_all, Template.render, SQLCompiler.as_sql = fetch_all, template_render, compile_sql
    try:
        with connection.execute_wrapper(time_query):
            started = time.perf_counter()
            for _ in range(args.renders):
                client.get(url)
            instrumented_ms = (time.perf_counter() - started) / args.renders * 1000
    finally:
        loader_tags.IncludeNode.render = original_render
        QuerySet._fetch_all, Template.render, SQLCompiler.as_sql = original_fetch, original_template, original_compile

    # Under gunicorn every request opens its own connection when CONN_MAX_AGE is 0 (SQLite
    # here); the test client keeps one, so that cost is measured on its own.
    for _ in range(5):
        connection.close()
        connection.ensure_connection()
    started = time.perf_counter()
    for _ in range(args.renders):
        connection.close()
        connection.ensure_connection()
    connect_ms = (time.perf_counter() - started) / args.renders * 1000

    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(args.renders):
        client.get(url)
    profiler.disable()
    stats = pstats.Stats(profiler)
    total = sum(entry[2] for entry in stats.stats.values())  # own time of everything

    n = args.renders
    return {
        "url": url, "renders": n, "page_ms": page_ms, "floor_ms": floor_ms,
        "bytes": len(client.get(url).content),
        "queries": query_count[0] / n, "query_ms": query_ms[0] / n * 1000,
        "instrumented_ms": instrumented_ms,
        "orm_ms": spent["orm"] / n * 1000, "template_ms": spent["template"] / n * 1000,
        "compile_ms": spent["compile"] / n * 1000, "connect_ms": connect_ms,
        "conn_max_age": connection.settings_dict["CONN_MAX_AGE"],
        "orm_by_model": sorted(((model, t / n * 1000, c / n) for model, (t, c) in by_model.items()),
                               key=lambda item: -item[1]),
        "includes": sorted(((name, t / n * 1000, c / n) for name, (t, c) in includes.items()),
                           key=lambda item: -item[1]),
        "profiled_ms": total / n * 1000,
        "parts": _profile_parts(stats, n),
        "top_own": _top(stats, n, key=2),
        "top_cumulative": _top(stats, n, key=3),
    }


def step_profile_cached(args) -> dict:
    """The page cache's hit path, in process: hits against the baseline view, both with
    PAGE_CACHE on, then cProfile over ``args.hits`` hits."""
    import cProfile
    import pstats

    from django.conf import settings
    from django.test import override_settings

    if not hasattr(settings, "PAGE_CACHE"):
        return {"skipped": "the settings have no PAGE_CACHE: the page cache has not landed"}
    with override_settings(PAGE_CACHE=True):
        client = _client()
        url = _pages()["article"]
        Path(settings.BENCH_BASELINE_FILE).write_bytes(client.get(url).content)
        for _ in range(20):
            client.get(url)
            client.get("/__bench__/baseline")

        page, floor = [], []
        for _ in range(3):  # interleaved, best of three
            page.append(timed(client, url, args.hits // 4))
            floor.append(timed(client, "/__bench__/baseline", args.hits // 4))
        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(args.hits):
            client.get(url)
        profiler.disable()
        headers = dict(client.get(url).items())
    stats = pstats.Stats(profiler)
    total = sum(entry[2] for entry in stats.stats.values())
    n = args.hits
    return {"url": url, "hits": n, "page_ms": min(page), "floor_ms": min(floor),
            "profiled_ms": total / n * 1000, "headers": headers,
            "top_own": _top(stats, n, key=2, count=15), "top_cumulative": _top(stats, n, key=3, count=25)}


def _code_key(func) -> tuple | None:
    func = getattr(func, "__func__", func)
    while hasattr(func, "__wrapped__"):
        func = func.__wrapped__
    code = getattr(func, "__code__", None)
    return (code.co_filename, code.co_firstlineno, code.co_name) if code else None


def _profile_parts(stats, renders: int) -> list[tuple[str, float]]:
    """Milliseconds per render in the things one would change, each inclusive of what it
    calls (so they overlap: the includes contain the comment filter, and so on)."""
    from django.conf import settings
    from django.core.cache.backends.base import BaseCache
    from django.core import signing
    from django.db.models.query import QuerySet
    from django.forms.boundfield import BoundField
    from django.middleware import csrf
    from django.shortcuts import render
    from django.template import defaultfilters, loader_tags
    from django.template.base import Template
    from django.urls.resolvers import URLResolver
    from django.utils.module_loading import import_string

    from articles import views
    from articles.forms import CommentForm
    from articles.templatetags.comments import comment_html
    from core.html import clean_html
    from partners.html import mark_affiliate_links

    def ms(*funcs, own=False) -> float:
        seconds = 0.0
        for func in funcs:
            entry = stats.stats.get(_code_key(func))
            if entry:
                seconds += entry[2] if own else entry[3]
        return seconds / renders * 1000

    hooks = ("process_request", "process_view", "process_response", "process_exception",
             "process_template_response")
    middleware = []
    for path in settings.MIDDLEWARE:
        cls = import_string(path)
        own_hooks = [getattr(cls, hook) for hook in hooks if hook in vars(cls)]
        # A middleware written as __call__ wraps the rest of the stack: only its own time counts.
        middleware.append((path, ms(*own_hooks) + (ms(cls.__call__, own=True) if "__call__" in vars(cls) else 0)))
    processors = [import_string(path) for engine in settings.TEMPLATES
                  for path in engine["OPTIONS"].get("context_processors", [])]
    parts = [
        ("view article_detail (everything but middleware)", ms(views.article_detail)),
        ("template rendering (render())", ms(render)),
        ("of which {% include %}s (all)", ms(loader_tags.IncludeNode.render)),
        ("ORM: querysets evaluated (SQL built, run, rows made objects)", ms(QuerySet._fetch_all)),
        ("comment form: built (CommentForm(), signed token)", ms(CommentForm.__init__)),
        ("comment form: fields rendered (widgets, labels)", ms(BoundField.__str__, BoundField.label_tag)),
        ("signing (form token; signed cookies)", ms(signing.dumps, signing.loads)),
        ("CSRF token ({% csrf_token %})", ms(csrf.get_token)),
        ("comments' text to HTML (comment_html: urlize, linebreaks)", ms(comment_html)),
        ("date filter", ms(defaultfilters.date)),
        ("sanitizing the body (clean_html)", ms(clean_html)),
        ("marking partner links", ms(mark_affiliate_links)),
        ("shared cache reads (navigation, partner domains)", ms(BaseCache.get_or_set)),
        ("context processors", ms(*processors)),
        ("URL resolving", ms(URLResolver.resolve)),
        ("middleware, own hooks (all)", sum(t for _, t in middleware)),
        *((f"middleware {path.rsplit('.', 1)[-1]}", t) for path, t in middleware),
        ("Template.render (whole page incl. includes)", ms(Template.render)),
    ]
    return parts


def _top(stats, renders: int, *, key: int, count: int = 20) -> list[tuple[str, float, float]]:
    rows = []
    for (filename, line, name), entry in stats.stats.items():
        where = filename
        for marker in ("site-packages/", str(ROOT) + "/"):
            if marker in where:
                where = where.split(marker, 1)[1]
        rows.append((f"{where}:{line} {name}", entry[key] / renders * 1000, entry[1] / renders))
    rows.sort(key=lambda row: -row[1])
    return rows[:count]


STEPS = {"pages": step_pages, "load": step_load, "explain": step_explain, "profile": step_profile,
         "profile-cached": step_profile_cached}


# --- Sites and servers --------------------------------------------------------------

class Site(LiveSite):
    """A throw-away site (tests/liveserver.py) under bench.settings, with one more step runner."""

    def __init__(self, var_dir: Path, log_name: str = "gunicorn.log", **env: str):
        var_dir.mkdir(parents=True, exist_ok=True)
        super().__init__(var_dir, workers=2, **env)
        self.log_path = var_dir / log_name

    def step(self, step: str, *args: str, timeout: int = 1800) -> dict:
        result = subprocess.run([sys.executable, "-m", "bench.pages", "--step", step, *args], cwd=ROOT,
                                env=self.env, capture_output=True, text=True, timeout=timeout)
        if result.returncode != 0:
            raise SystemExit(f"step {step} failed:\n{result.stdout}{result.stderr}")
        return json.loads(result.stdout.strip().splitlines()[-1])


class Postgres:
    """Creates and drops the throw-away databases on the server at ``url``."""

    def __init__(self, url: str):
        self.url = url.rstrip("/")
        self.server = self.url.rsplit("/", 1)[0]

    def _run(self, sql: str) -> None:
        import psycopg

        with psycopg.connect(self.url, autocommit=True, connect_timeout=5) as connection:
            connection.execute(sql)

    def answers(self) -> bool:
        try:
            self._run("SELECT 1")
            return True
        except Exception:  # no server, no trust auth: the PostgreSQL rows are left out
            return False

    def create(self, name: str, *, template: str | None = None) -> str:
        self.drop(name)
        self._run(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else ""))
        return f"{self.server}/{name}"

    def drop(self, name: str) -> None:
        self._run(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def wrk(url: str, seconds: int) -> float:
    """Requests per second from ``wrk -t2 -c32``; errors and non-2xx answers fail the run."""
    result = subprocess.run(["wrk", "-t2", "-c32", f"-d{seconds}s", "--timeout", "10s", url],
                            capture_output=True, text=True, timeout=seconds + 60)
    output = result.stdout + result.stderr
    rate = re.search(r"Requests/sec:\s+([\d.]+)", output)
    if result.returncode != 0 or not rate or "Non-2xx" in output or "Socket errors" in output:
        raise SystemExit(f"wrk {url} failed:\n{output}")
    if not float(rate.group(1)):
        raise SystemExit(f"wrk {url}: no request finished in {seconds} s; give it a longer --duration.")
    return float(rate.group(1))


class Browser:
    """One keep-alive connection to a site, re-opened when the server closes it."""

    def __init__(self, site: Site):
        self.host, self.port = "127.0.0.1", site.port
        self.connection = None

    def get(self, path: str) -> tuple[float, int]:
        """Seconds from sending the request to the last byte read, and the body's size."""
        for attempt in range(2):
            if self.connection is None:
                self.connection = http.client.HTTPConnection(self.host, self.port, timeout=120)
            try:
                started = time.perf_counter()
                self.connection.request("GET", path)
                response = self.connection.getresponse()
                body = response.read()
                elapsed = time.perf_counter() - started
            except (http.client.HTTPException, ConnectionError):
                self.connection.close()
                self.connection = None
                if attempt:
                    raise
                continue
            if response.status != 200:
                raise SystemExit(f"GET {path} answered {response.status}")
            return elapsed, len(body)
        raise AssertionError("unreachable")


# --- The run ------------------------------------------------------------------------

class Run:
    def __init__(self, tmp: Path, config: dict, say=say):
        self.tmp, self.config, self.say = tmp, config, say
        self.common = {
            "DJANGO_SETTINGS_MODULE": "bench.settings",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "STATIC_ROOT": str(tmp / "static"),
            "MEDIA_ROOT": str(tmp / "media"),
            "LOG_LEVEL": "WARNING",
            "GUNICORN_TIMEOUT": "120",  # a slow search must not get a worker killed
            # No task worker runs beside these servers once the queue is drained: /healthz,
            # which the servers' start waits for, must not wait for one.
            "HEALTH_MAX_TASK_WAIT": "0",
        }

    def site(self, name: str, *, page_cache: bool = False, log_name: str = "gunicorn.log", **env) -> Site:
        return Site(self.tmp / name, log_name, **self.common, PAGE_CACHE="1" if page_cache else "0", **env)

    # Throughput ---------------------------------------------------------------------

    def throughput(self, demo: Path) -> dict:
        uncached = self.site(demo.name)
        cached = self.site(demo.name, page_cache=True, log_name="gunicorn-cached.log")
        with uncached.serve(), cached.serve():
            status, headers, body = http_get(uncached.url(f"/{ARTICLE_SLUG}.htm"))
            assert status == 200, status
            (demo / "bench-baseline.html").write_bytes(body)
            article = f"/{ARTICLE_SLUG}.htm"
            plan = [("uncached", uncached, article), ("cached", cached, article)]
            for _, site, path in plan:  # warm: imports, templates, the page cache
                wrk(site.url("/__bench__/baseline"), 2)
                wrk(site.url(path), 2)
            cached_headers = http_get(cached.url(article))[1]
            rounds: dict[str, list] = {name: [] for name, _, _ in plan}
            # baseline, page, baseline, page, ..., baseline on each server, the servers taking
            # turns: each page is compared with the baselines just before and just after it.
            for number in range(self.config["rounds"] + 1):
                for name, site, path in plan:
                    self.say(f"  round {number + 1}: the baseline on the {name} server ...")
                    base = wrk(site.url("/__bench__/baseline"), self.config["duration"])
                    if rounds[name]:
                        rounds[name][-1]["baseline_after"] = base
                    if number == self.config["rounds"]:
                        continue
                    self.say(f"  round {number + 1}: the {name} article page ...")
                    page = wrk(site.url(path), self.config["duration"])
                    rounds[name].append({"baseline": base, "page": page})
        return {"bytes": len(body), "uncached_headers": headers, "cached_headers": cached_headers,
                "rounds": rounds, "page_cache_module": (ROOT / "core" / "pagecache.py").exists()}

    # Growth -------------------------------------------------------------------------

    def growth(self, small: Site, large: Site) -> dict:
        pages = small.step("pages")
        results = {}
        with small.serve(), large.serve():
            browsers = {"small": Browser(small), "large": Browser(large)}
            for name, path in pages.items():
                self.say(f"  {name}: {path}")
                times: dict[str, list[float]] = {"small": [], "large": []}
                sizes = {}
                for which in ("small", "large", "small", "large"):  # warm
                    browsers[which].get(path)
                started = time.monotonic()
                while (min(len(t) for t in times.values()) < self.config["page_requests"]
                       or time.monotonic() - started < self.config["page_seconds"]):
                    # Alternating, so a busy moment hits both; each goes first in every other pair.
                    pair = ("small", "large") if len(times["small"]) % 2 == 0 else ("large", "small")
                    for which in pair:
                        elapsed, sizes[which] = browsers[which].get(path)
                        times[which].append(elapsed)
                    if time.monotonic() - started > 120 and min(len(t) for t in times.values()) >= 3:
                        break
                results[name] = {"path": path, "bytes": sizes, "requests": len(times["small"]),
                                 "p50": {k: statistics.median(v) for k, v in times.items()}}
        return results

    def growth_sites(self, engine: str, template: Path | None, postgres: Postgres | None) -> tuple[Site, Site]:
        if engine == "sqlite":
            for size in ("small", "large"):
                target = self.tmp / f"sqlite-{size}"
                target.mkdir()
                shutil.copy(template / "db.sqlite3", target / "db.sqlite3")
            return self.site("sqlite-small"), self.site("sqlite-large")
        small_url = postgres.create(POSTGRES_NAMES[0])
        small = self.site("pg-small", DATABASE_URL=small_url)
        self.say("PostgreSQL: migrate, load_demo ...")
        small.manage("migrate", "--noinput")
        small.manage("load_demo")
        small.manage(*DRAIN_QUEUE)
        large_url = postgres.create(POSTGRES_NAMES[1], template=POSTGRES_NAMES[0])
        return small, self.site("pg-large", DATABASE_URL=large_url)

    def engine(self, engine: str, template: Path | None = None, postgres: Postgres | None = None) -> dict:
        config = self.config
        small, large = self.growth_sites(engine, template, postgres)
        loads = {}
        for size, site, articles, comments in (
            ("small", small, config["small"], config["small"] * COMMENTS_PER_ARTICLE),
            ("large", large, config["large"], config["large_comments"]),
        ):
            self.say(f"{engine}: loading {articles:,} articles and {comments:,} comments ({size}) ...")
            loads[size] = site.step("load", "--articles", str(articles), "--comments", str(comments))
        self.say(f"{engine}: timing and EXPLAINing each page's queries ...")
        explains = {size: site.step("explain") for size, site in (("small", small), ("large", large))}
        profile = None
        if engine == "sqlite":
            self.say(f"sqlite: profiling the article page with {ARTICLE_COMMENTS} comments ...")
            profile = small.step("profile", "--renders", str(config["renders"]))
        self.say(f"{engine}: p50 latency, small and large alternating ...")
        latency = self.growth(small, large)
        return {"loads": loads, "explains": explains, "latency": latency, "profile": profile,
                "versions": self.versions(small)}

    def versions(self, site: Site) -> str:
        code = ("import django; django.setup(); from django.db import connection; "
                "connection.ensure_connection(); print(connection.display_name, "
                "'.'.join(map(str, connection.get_database_version())))")
        result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=site.env,
                                capture_output=True, text=True, timeout=60)
        return result.stdout.strip()


def measure(config: dict, *, postgres_url: str | None, keep: bool) -> dict:
    results: dict = {"config": config, "started": datetime.datetime.now().astimezone().isoformat(timespec="minutes"),
                     "cpus": os.cpu_count(), "load_before": os.getloadavg()[0], "tree": _git_state()}
    tmp = Path(tempfile.mkdtemp(prefix="wisegeek-bench-pages-"))
    postgres = Postgres(postgres_url) if postgres_url else None
    try:
        run = Run(tmp, config)
        template = tmp / "template"
        say(f"Preparing a site in {tmp} (migrate, collectstatic, load_demo, the task queue) ...")
        site = run.site("template")
        for command in (("migrate", "--noinput"), ("collectstatic", "--noinput"), ("load_demo",), DRAIN_QUEUE):
            site.manage(*command)
        demo = tmp / "demo"
        demo.mkdir()
        shutil.copy(template / "db.sqlite3", demo / "db.sqlite3")

        say("Throughput on the demo content (wrk) ...")
        results["throughput"] = run.throughput(demo)
        say("Profiling the demo article page ...")
        results["profile"] = run.site("demo").step("profile", "--renders", str(config["renders"]))
        say("Profiling the page cache's hit path ...")
        results["profile_cached"] = run.site("demo").step("profile-cached", "--hits", str(config["hits"]))

        results["engines"] = {"sqlite": run.engine("sqlite", template=template)}
        if postgres and postgres.answers():
            results["engines"]["postgresql"] = run.engine("postgresql", postgres=postgres)
        elif postgres:
            results["postgres_missing"] = f"no PostgreSQL answered at {postgres_url}"
    finally:
        if postgres and postgres.answers():
            for name in POSTGRES_NAMES:
                postgres.drop(name)
        if keep:
            say(f"Kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    results["load_after"] = os.getloadavg()[0]
    return results


# --- The report ---------------------------------------------------------------------

def _base(measured: dict) -> float:
    """The baseline around a page measurement: the mean of the one before and the one after."""
    return (measured["baseline"] + measured.get("baseline_after", measured["baseline"])) / 2


def _page_ratio(measured: dict) -> float:
    return measured["page"] / _base(measured)


def _ratio(value: float) -> str:
    return f"{value:.2f}×" if value >= 0.1 else f"{value:.3f}×"


def _verdict(value: float, target: float, *, at_most: bool = False) -> str:
    ok = value <= target if at_most else value >= target
    return "met" if ok else "**not met**"


_COLUMN = r'"?\w+"?\."\w+"(?: AS "\w+")?'
_COLUMN_RUN = re.compile(rf"{_COLUMN}(?:, {_COLUMN}){{3,}}")


def _short_sql(sql: str) -> str:
    """The SQL with each run of plain column references folded, so WHERE and ORDER BY show."""
    return _COLUMN_RUN.sub(lambda match: f"<{match.group(0).count(', ') + 1} columns>", sql)


def report(results: dict) -> str:
    config = results["config"]
    lines: list[str] = []
    add = lines.append
    git = results.get("tree") or _git_state()
    mode = "quick (--quick)" if config.get("quick") else "full"
    add("# Page benchmarks (`bench/pages.py`)\n")
    add(f"Run {results['started']}, {mode}, on {results['cpus']} CPU cores ({platform.machine()}, "
        f"Python {platform.python_version()}); load average {results['load_before']:.2f} before and "
        f"{results['load_after']:.2f} after. Tree: {git}.\n")
    add("Every figure is a ratio against a baseline measured in the same run. The baseline is a bare "
        "Django view returning the article page's own bytes under the same gunicorn (gunicorn.conf.py, "
        "2 workers × 4 threads, loopback) and the same MIDDLEWARE.\n")

    throughput = results["throughput"]
    medians = {name: statistics.median(_page_ratio(r) for r in rounds)
               for name, rounds in throughput["rounds"].items()}
    add("## Summary\n")
    add("| figure | target | measured | |")
    add("|---|---:|---:|---|")
    add(f"| cached article page vs baseline (req/s) | ≥ {TARGETS['cached']}× | {_ratio(medians['cached'])} | "
        f"{_verdict(medians['cached'], TARGETS['cached'])} |")
    add(f"| uncached article page vs baseline (req/s) | ≥ {TARGETS['uncached']}× | "
        f"{_ratio(medians['uncached'])} | {_verdict(medians['uncached'], TARGETS['uncached'])} |")
    for engine, figures in results["engines"].items():
        for page, data in figures["latency"].items():
            growth = data["p50"]["large"] / data["p50"]["small"]
            add(f"| growth, {page} page, {engine}: p50 large / small | ≤ {TARGETS['growth']}× | "
                f"{_ratio(growth)} | {_verdict(growth, TARGETS['growth'], at_most=True)} |")
    if results.get("postgres_missing"):
        add(f"\nPostgreSQL rows missing: {results['postgres_missing']}.")
    add("")

    add("## Throughput (wrk -t2 -c32)\n")
    add(f"{config['rounds']} interleaved rounds of {config['duration']} s per measurement, on the demo content "
        f"(16 articles, no comments), against `/{ARTICLE_SLUG}.htm` ({throughput['bytes']:,} bytes, "
        "uncompressed: wrk sends no Accept-Encoding). On each server the baseline and the page take turns "
        "(baseline, page, baseline, ..., baseline), the two servers alternating; each page figure is divided "
        "by the mean of the baselines measured just before and just after it on the same server.\n")
    add("| round | uncached page / baseline | cached page / baseline | cached page / baseline with "
        "PAGE_CACHE=0 | baseline with PAGE_CACHE=1 / with PAGE_CACHE=0 |")
    add("|---:|---:|---:|---:|---:|")
    pairs = list(zip(throughput["rounds"]["uncached"], throughput["rounds"]["cached"]))
    for number, (u, c) in enumerate(pairs, 1):
        add(f"| {number} | {_ratio(_page_ratio(u))} | {_ratio(_page_ratio(c))} | "
            f"{_ratio(c['page'] / _base(u))} | {_ratio(_base(c) / _base(u))} |")
    strict = statistics.median(c["page"] / _base(u) for u, c in pairs)
    tax = statistics.median(_base(c) / _base(u) for u, c in pairs)
    add(f"| **median** | **{_ratio(medians['uncached'])}** | **{_ratio(medians['cached'])}** | {_ratio(strict)} | "
        f"{_ratio(tax)} |")
    add("")
    add("The last column is what the page cache's middleware costs a response it does not serve (it looks "
        "the address up in the shared cache first); the one before it compares the cached page with the "
        "bare view on the server without the page cache.\n")
    spreads = []
    for name, rounds in throughput["rounds"].items():
        bases = [r["baseline"] for r in rounds] + [rounds[-1].get("baseline_after", rounds[-1]["baseline"])]
        if max(bases) > 1.2 * min(bases):
            spreads.append(f"{max(bases) / min(bases):.2f}× on the {name} server")
    if spreads:
        add(f"Warning: the baseline varied between rounds by {' and '.join(spreads)}: something else was "
            "using the CPUs (see the load average). The per-round ratios absorb most of it; run again on a "
            "quiet machine to be sure.\n")
    if not throughput["page_cache_module"]:
        add("core/pagecache.py was not in the tree for this run: the cached server served the page "
            "uncached, so the cached figure measures the same thing as the uncached one.\n")
    headers = throughput["cached_headers"]
    shown = {k: v for k, v in headers.items() if k.lower() in
             {"cache-control", "etag", "last-modified", "vary", "set-cookie", "age", "x-cache", "content-encoding"}}
    add(f"Headers of the cached article after warming: `{json.dumps(shown)}`.\n")

    add("## Growth: p50 latency, small site against large site\n")
    add(f"Small: {config['small']:,} articles, {config['small'] * COMMENTS_PER_ARTICLE:,} comments. Large: "
        f"{config['large']:,} articles, {config['large_comments']:,} comments ({int(HOT_SHARE * 100)}% of them on "
        f"{HOT_ARTICLES} articles, weighted 1/rank; the rest spread over every published article; all approved). "
        f"The measured article has the same {ARTICLE_COMMENTS} comments on both; the synthetic articles are older "
        "than the demo ones and never contain the search word, so each page shows the same thing at both sizes. "
        f"PAGE_CACHE=0; one request at a time, the two sites alternating, at least {config['page_requests']} "
        f"requests and {config['page_seconds']} s per page; ANALYZE (VACUUM ANALYZE) after loading.\n")
    for engine, figures in results["engines"].items():
        add(f"### {engine} ({figures['versions']})\n")
        loads = figures["loads"]
        large_load = loads["large"]
        add(f"Loading the large site took {large_load['article_seconds']:.0f} s for "
            f"{large_load['inserted_articles']:,} articles, {large_load['comment_seconds']:.0f} s for "
            f"{large_load['inserted_comments']:,} comments and {large_load['analyze_seconds']:.0f} s to analyze.\n")
        add("| page | small / large bytes | requests each | p50 large / small |")
        add("|---|---:|---:|---:|")
        for page, data in figures["latency"].items():
            growth = data["p50"]["large"] / data["p50"]["small"]
            flag = "" if growth <= TARGETS["growth"] else " ⚠"
            add(f"| {page} (`{data['path']}`) | {data['bytes']['small']:,} / {data['bytes']['large']:,} | "
                f"{data['requests']} | {_ratio(growth)}{flag} |")
        add("")
        add("Each query of each page, run again on its own with its rows fetched (best of 3), large "
            "against small; the plan is the large site's.\n")
        small_x, large_x = figures["explains"]["small"], figures["explains"]["large"]
        for page, data in large_x.items():
            page_growth = figures["latency"][page]["p50"]["large"] / figures["latency"][page]["p50"]["small"]
            add(f"#### {page} page: {len(data['queries'])} queries; page p50 {_ratio(page_growth)}\n")
            small_queries = small_x[page]["queries"]
            for number, query in enumerate(data["queries"], 1):
                before = small_queries[number - 1]["ms"] if number <= len(small_queries) else float("nan")
                factor = query["ms"] / before if before else float("nan")
                grows = factor > TARGETS["growth"] and query["ms"] - before > 0.5
                add(f"{number}. {query['ms']:.2f} ms large, {before:.2f} ms small: "
                    f"{_ratio(factor)}{' ⚠ grows with the tables' if grows else ''}")
                add("   ```sql")
                add("   " + _short_sql(query["sql"]))
                if query["params"]:
                    add("   -- params: " + ", ".join(query["params"])[:300])
                add("   ```")
                add("   ```")
                add("\n".join("   " + line for line in query["plan"]))
                add("   ```")
            add("")

    add("## Profile of the uncached article page\n")
    profiles = [("demo article, no comments (the throughput page)", results["profile"])]
    if results["engines"].get("sqlite", {}).get("profile"):
        profiles.append((f"the same article with {ARTICLE_COMMENTS} comments (the small SQLite site)",
                         results["engines"]["sqlite"]["profile"]))
    add("In one process through Django's test client, PAGE_CACHE=0, SQLite. Times are per render; "
        "the floor is the same request stack with the baseline view. The profiled total is slower than "
        "the page unprofiled (cProfile's overhead); read the parts as shares of it. Parts are inclusive "
        "and overlap.\n")
    add("| | " + " | ".join(name for name, _ in profiles) + " |")
    add("|---|" + "---:|" * len(profiles))
    rows = [("page, unprofiled", lambda p: f"{p['page_ms']:.2f} ms"),
            ("baseline view, same stack (the floor)", lambda p: f"{p['floor_ms']:.2f} ms"),
            ("page bytes", lambda p: f"{p['bytes']:,}"),
            ("instrumented run (includes, ORM, template timed)", lambda p: f"{p['instrumented_ms']:.2f} ms"),
            ("of which the page's template (outermost render)", lambda p: f"{p['template_ms']:.2f} ms"),
            ("of which ORM querysets evaluated", lambda p: f"{p['orm_ms']:.2f} ms"),
            ("ORM by model (ms, querysets per render)",
             lambda p: ", ".join(f"{m} {t:.2f} ({c:.0f})" for m, t, c in p["orm_by_model"])),
            ("of which SQL compiled (SQLCompiler.as_sql)", lambda p: f"{p['compile_ms']:.2f} ms"),
            ("SQL queries (execute time)", lambda p: f"{p['queries']:.0f} ({p['query_ms']:.2f} ms)"),
            ("a new database connection (not in the above: the test client keeps one; gunicorn opens "
             "one per request when CONN_MAX_AGE is 0)",
             lambda p: f"{p['connect_ms']:.2f} ms (CONN_MAX_AGE={p['conn_max_age']})"),
            ("profiled total", lambda p: f"{p['profiled_ms']:.1f} ms")]
    for label, cell in rows:
        add(f"| {label} | " + " | ".join(cell(p) for _, p in profiles) + " |")
    for index, (label, _) in enumerate(profiles[0][1]["parts"]):
        cells = []
        for _, p in profiles:
            value = p["parts"][index][1]
            cells.append(f"{value:.2f} ms ({value / p['profiled_ms'] * 100:.0f}%)")
        add(f"| {label} | " + " | ".join(cells) + " |")
    add("")
    cached = results.get("profile_cached") or {}
    if cached.get("skipped"):
        add(f"The page cache's hit path was not profiled: {cached['skipped']}.\n")
    elif cached:
        add("### The page cache's hit path\n")
        add(f"In process with PAGE_CACHE on, the article page from the shared cache (file cache) against the "
            f"baseline view, both through the test client and the whole middleware: {cached['page_ms']:.3f} ms "
            f"a hit against {cached['floor_ms']:.3f} ms (the baseline takes "
            f"{_ratio(cached['floor_ms'] / cached['page_ms'])} a hit's time; best of 3 × {cached['hits'] // 4}). "
            f"cProfile over {cached['hits']} hits, ms per hit:\n")
        add("| function | own ms | calls |")
        add("|---|---:|---:|")
        for where, ms, calls in cached["top_own"]:
            add(f"| `{where}` | {ms:.3f} | {calls:.0f} |")
        add("\n| function | cumulative ms | calls |")
        add("|---|---:|---:|")
        for where, ms, calls in cached["top_cumulative"]:
            add(f"| `{where}` | {ms:.3f} | {calls:.0f} |")
        add("")
    for name, p in profiles:
        add(f"### {name}\n")
        add("Each {% include %}, inclusive, per render (unprofiled, timed around IncludeNode.render):\n")
        add("| template | ms per render | times per render |")
        add("|---|---:|---:|")
        for template, ms, count in p["includes"]:
            add(f"| {template} | {ms:.2f} | {count:.0f} |")
        add("\nTop functions by own time (cProfile, ms per render):\n")
        add("| function | own ms | calls |")
        add("|---|---:|---:|")
        for where, ms, calls in p["top_own"]:
            add(f"| `{where}` | {ms:.2f} | {calls:.0f} |")
        add("\nTop functions by cumulative time:\n")
        add("| function | cumulative ms | calls |")
        add("|---|---:|---:|")
        for where, ms, calls in p["top_cumulative"]:
            add(f"| `{where}` | {ms:.2f} | {calls:.0f} |")
        add("")
    return "\n".join(lines) + "\n"


def _git_state() -> str:
    try:
        head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True,
                              text=True, timeout=10).stdout.strip()
        dirty = subprocess.run(["git", "status", "--short"], cwd=ROOT,
                               capture_output=True, text=True, timeout=10).stdout.split("\n")
    except OSError:
        return "unknown"
    changed = sorted({line[3:] for line in dirty if line.strip() and not line.startswith("??")})
    new = sorted({line[3:] for line in dirty if line.startswith("??")})
    parts = [f"changes to {', '.join(changed)}"] * bool(changed) + [f"new files {', '.join(new)}"] * bool(new)
    return head + (f" with uncommitted {' and '.join(parts)}" if parts else "")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true",
                        help="short rounds, 10,000 articles and 100,000 comments on the large site")
    parser.add_argument("--duration", type=int, help="seconds per wrk measurement (default 10, quick 3)")
    parser.add_argument("--rounds", type=int, help="interleaved rounds (default 3)")
    parser.add_argument("--postgres-url", default="postgres://postgres@127.0.0.1:5432/postgres",
                        help="a database on the PostgreSQL server to create the throw-away ones from")
    parser.add_argument("--no-postgres", action="store_true")
    parser.add_argument("--output", type=Path, default=ROOT / "bench" / "results" / "pages.md")
    parser.add_argument("--json", type=Path, help="also write the raw figures to this file")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    parser.add_argument("--step", choices=STEPS, help=argparse.SUPPRESS)
    parser.add_argument("--articles", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--comments", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--renders", type=int, default=200, help=argparse.SUPPRESS)
    parser.add_argument("--hits", type=int, default=2000, help=argparse.SUPPRESS)
    parser.add_argument("--seed", type=int, default=9, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.step:  # one step, inside a site's environment
        _django()
        figures = STEPS[args.step](args)
        from django.db import connections

        connections.close_all()
        print(json.dumps(figures, default=str))
        return

    config = dict(QUICK if args.quick else FULL, quick=args.quick)
    if args.duration:
        config["duration"] = args.duration
    if args.rounds:
        config["rounds"] = max(1, args.rounds)
    started = time.monotonic()
    results = measure(config, postgres_url=None if args.no_postgres else args.postgres_url, keep=args.keep)
    text = report(results)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(text)
    if args.json:
        args.json.write_text(json.dumps(results, indent=2, default=str))
    print(text)
    say(f"Written to {args.output}; the whole run took {time.monotonic() - started:.0f} s.")


if __name__ == "__main__":
    main()
