"""What sanitizing rich text again on every render costs.

    .venv/bin/python -m bench.sanitize
    .venv/bin/python -m bench.sanitize --rounds 9 --json figures.json

Pages clean stored HTML as they show it (``core.html.render_rich_text``), so a row
written by ``QuerySet.update()`` or a fixture is as safe as one saved through admin.
This measures ``clean_html`` on a typical demo article's body and on one ten times
longer, as ratios against baselines measured in the same run, never a bare time:

- against rendering that article's page (Django's test client, the whole request: URL
  resolving, middleware, queries, templates, and the one clean the page itself does);
- against a plain copy of the same string (``body + " "``: one allocation, one memcpy),
  the floor of touching every character once.

It runs in this process against a throw-away SQLite database in a temporary folder;
settings that would point it at shared state (DATABASE_URL, REDIS_URL, ...) are ignored.
Each figure is the best of ``--rounds`` rounds, the rounds interleaved so that a busy
moment slows every measurement alike.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
_NOT_INHERITED = {
    "DATABASE_URL", "REDIS_URL", "DEBUG", "MEDIA_ROOT", "STATIC_ROOT", "VAR_DIR", "SECRET_KEY_FILE",
    "ALLOWED_HOSTS", "SITE_URL", "TASKS_BACKEND", "S3_BUCKET",
}
LONG_FACTOR = 10


def demo_bodies() -> dict[str, str]:
    """Every demo article's body by slug, from the demo content as data."""
    articles = ROOT / "demo" / "content" / "articles"
    return {path.stem: path.read_text(encoding="utf-8") for path in sorted(articles.glob("*.html"))}


def typical(bodies: dict[str, str]) -> tuple[str, str]:
    """The demo article of median length: (slug, body)."""
    ranked = sorted(bodies.items(), key=lambda item: len(item[1]))
    return ranked[len(ranked) // 2]


def per_call(fn, *, min_seconds: float) -> float:
    """Seconds one call of ``fn`` takes, timed over enough calls to last ``min_seconds``."""
    calls = 1
    while True:
        started = time.perf_counter()
        for _ in range(calls):
            fn()
        elapsed = time.perf_counter() - started
        if elapsed >= min_seconds:
            return elapsed / calls
        calls = max(calls * 2, int(calls * min_seconds / max(elapsed, 1e-9)) + 1)


def setup_django(workdir: Path) -> None:
    for name in _NOT_INHERITED:
        os.environ.pop(name, None)
    os.environ.update({
        "DJANGO_SETTINGS_MODULE": "wisegeek.settings",
        "VAR_DIR": str(workdir),
        "SECRET_KEY": os.environ.get("SECRET_KEY") or "bench-" + "x" * 50,
        "ALLOWED_HOSTS": "testserver",
        "STATIC_ROOT": str(workdir / "static"),
        # Each rendering is measured, not the page cache's copy of the first.
        "PAGE_CACHE": "0",
    })
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", "--noinput", verbosity=0)
    call_command("collectstatic", "--noinput", verbosity=0)  # pages use the hashed names, as in production


def make_articles(bodies: dict[str, str]) -> dict[str, str]:
    """Publish one article per body, saved as an editor's save would; return their URLs."""
    from django.utils import timezone

    from articles.models import Article, Category
    from authors.models import Author
    from partners.models import AffiliatePartner

    category = Category.objects.create(name="Bench", slug="bench")
    author = Author.objects.create(name="Bench Author", slug="bench-author", bio="<p>Writes.</p>")
    AffiliatePartner.objects.create(name="Shop", slug="shop", website="https://shop.example",
                                    domains="shop.example")
    urls = {}
    for label, body in bodies.items():
        article = Article(
            title=f"A {label} article", slug=f"bench-{label}", category=category, author=author,
            summary="Measured.", body=body, status=Article.Status.PUBLISHED,
            publish_at=timezone.now() - timezone.timedelta(hours=1),
        )
        article.full_clean()
        article.save()
        urls[label] = article.get_absolute_url()
    return urls


def measure(rounds: int, min_seconds: float) -> dict:
    with tempfile.TemporaryDirectory(prefix="bench-sanitize-") as workdir:
        setup_django(Path(workdir))
        from django.test import Client

        from core.html import clean_html

        slug, body = typical(demo_bodies())
        bodies = {"typical": body, "long": body * LONG_FACTOR}
        urls = make_articles(bodies)
        client = Client()

        def page(url):
            def get():
                response = client.get(url)
                assert response.status_code == 200, response.status_code
            return get

        operations = {}
        for label, text in bodies.items():
            operations[f"copy {label}"] = lambda text=text: text + " "
            # The work itself, not a worker's memory of its last result (lru_cache).
            operations[f"clean {label}"] = lambda text=text: clean_html.__wrapped__(text)
            operations[f"page {label}"] = page(urls[label])
        for operation in operations.values():  # warm up caches, templates, connections
            operation()
        samples: dict[str, list[float]] = {name: [] for name in operations}
        for _ in range(rounds):
            for name, operation in operations.items():
                samples[name].append(per_call(operation, min_seconds=min_seconds))
        return {
            "slug": slug,
            "characters": {label: len(text) for label, text in bodies.items()},
            "best": {name: min(values) for name, values in samples.items()},
            "spread": {name: max(values) / min(values) for name, values in samples.items()},
            "median": {name: statistics.median(values) for name, values in samples.items()},
        }


def report(figures: dict, *, out=sys.stdout) -> None:
    best, chars = figures["best"], figures["characters"]
    print(f"\nBodies: the demo article of median length ({figures['slug']}, {chars['typical']:,} "
          f"characters) and the same repeated {LONG_FACTOR} times ({chars['long']:,}); "
          f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f}.\n", file=out)
    header = f"{'':34}{'typical':>10}{'10x':>10}"
    print(header, file=out)
    print("-" * len(header), file=out)
    rows = [
        ("clean_html / rendering its page", "clean", "page"),
        ("clean_html / a plain string copy", "clean", "copy"),
    ]
    for title, top, bottom in rows:
        values = [best[f"{top} {label}"] / best[f"{bottom} {label}"] for label in ("typical", "long")]
        print(f"{title:34}{values[0]:>10.3f}{values[1]:>10.3f}", file=out)
    print(f"\nclean_html on the 10x body takes {best['clean long'] / best['clean typical']:.1f}x its time "
          f"on the typical one; the page takes {best['page long'] / best['page typical']:.1f}x.", file=out)
    unsteady = [name for name, spread in figures["spread"].items() if spread > 1.5]
    if unsteady:
        print(f"Warning: rounds differed by more than 50% for {', '.join(unsteady)}: something else was "
              "using the CPUs; the figures are the best rounds, but run again on a quiet machine.", file=out)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=5, help="rounds per measurement (default: %(default)s)")
    parser.add_argument("--min-seconds", type=float, default=0.2,
                        help="shortest timed stretch per round and measurement (default: %(default)s)")
    parser.add_argument("--json", type=Path, help="also write the raw figures to this file")
    args = parser.parse_args(argv)
    if args.rounds < 1 or args.min_seconds <= 0:
        parser.error("--rounds must be at least 1 and --min-seconds above 0")
    figures = measure(args.rounds, args.min_seconds)
    report(figures)
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()
