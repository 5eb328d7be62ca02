"""How the sitemap and the search results page grow with the site: 1,000 articles
against 100,000, measured in the same run.

    .venv/bin/python -m bench.sitemap_search                 # SQLite
    .venv/bin/python -m bench.sitemap_search --postgres      # SQLite, then PostgreSQL
    .venv/bin/python -m bench.sitemap_search --large 20000   # quicker, smaller

The sites are built the way bench/pages.py builds its growth sites, with its code: a
migrated site with the demo content (copied for each size on SQLite; on PostgreSQL the
databases bench_pages_small / bench_pages_large, created and dropped), then its ``load``
step adds the synthetic published articles (plus a few drafts and scheduled ones) and
ANALYZEs; only the article with 200 comments gets comments here. Every synthetic article
is then given a featured image name (rows only, no file), so the articles section
carries an image entry per article as a real site's does.

Two gunicorn servers (PAGE_CACHE=0, bench/pages.py's settings) serve the small and the
large site. Each page is requested one at a time, the two sites alternating (each going
first in every other pair), and each pair gives a ratio large / small; the figure is
the median of those ratios. The pages: the sitemap index, the first page of the articles
section (every article on the small site; 50,000 on the large one, so that ratio also
says how the cost per URL grows), and the search page for a rare word (in one demo
article and no synthetic one, so the same results at both sizes) and a common one.

The articles section's first page is also rendered once in a process of its own through
Django's test client, to see its peak memory: the growth of ru_maxrss over what the
process had after rendering the index.

The results go to bench/results/sitemap-search.md.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.pages import (
    ARTICLE_COMMENTS, DRAIN_QUEUE, POSTGRES_NAMES, ROOT, SEARCH_WORD, Browser, Postgres, Run, _git_state, say,
)
from bench.search import QUERIES

COMMON_WORD = QUERIES["common word"]
PAGES = {
    "sitemap index": "/sitemap.xml",
    "articles section, page 1": "/sitemap-articles.xml",
    "search, rare word": f"/search/?q={SEARCH_WORD}",
    "search, common word": f"/search/?q={COMMON_WORD}",
}
ARTICLES_SECTION = "articles section, page 1"


# --- Steps that run inside a site's environment: python -m bench.sitemap_search --step ... ---

def step_images(args) -> dict:
    """A featured image name for every article without one (rows only, like the load)."""
    from django.db import connection
    from django.db.models import F, Value
    from django.db.models.functions import Concat

    from articles.models import Article

    named = Article.objects.filter(featured_image="").update(
        featured_image=Concat(Value("articles/bench/"), F("slug"), Value(".jpg")),
        featured_image_width=1200, featured_image_height=800,
    )
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    return {"named": named, "published": Article.objects.published().count()}


def step_memory(args) -> dict:
    """The articles section's first page rendered once in this process: its size, its URL
    count and how far it raised the process's peak resident memory."""
    from django.test import Client

    client = Client(HTTP_HOST="127.0.0.1")
    assert client.get(PAGES["sitemap index"]).status_code == 200  # imports, templates, connections
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    response = client.get(PAGES[ARTICLES_SECTION])
    seconds = time.perf_counter() - started
    assert response.status_code == 200, response.status_code
    after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {"urls": response.content.count(b"<url>"), "bytes": len(response.content),
            "peak_rss_before_kib": before, "peak_rss_after_kib": after, "seconds": seconds}


STEPS = {"images": step_images, "memory": step_memory}


def run_step(site, step: str, *args: str, timeout: int = 1800) -> dict:
    result = subprocess.run([sys.executable, "-m", "bench.sitemap_search", "--step", step, *args], cwd=ROOT,
                            env=site.env, capture_output=True, text=True, timeout=timeout)
    if result.returncode != 0:
        raise SystemExit(f"step {step} failed:\n{result.stdout}{result.stderr}")
    return json.loads(result.stdout.strip().splitlines()[-1])


# --- The run ----------------------------------------------------------------------------------

def alternate(small, large, config: dict) -> dict:
    """Each page, one request at a time, small and large alternating: the median of the
    per-pair ratios, the pairs' count and each site's bytes."""
    results = {}
    with small.serve(timeout=120), large.serve(timeout=120):
        browsers = {"small": Browser(small), "large": Browser(large)}
        for name, path in PAGES.items():
            say(f"  {name}: {path}")
            for which in ("small", "large", "small", "large"):  # warm
                browsers[which].get(path)
            ratios, times, sizes = [], {"small": [], "large": []}, {}
            started = time.monotonic()
            while len(ratios) < config["rounds"] or time.monotonic() - started < config["seconds"]:
                pair = ("small", "large") if len(ratios) % 2 == 0 else ("large", "small")
                elapsed = {}
                for which in pair:
                    elapsed[which], sizes[which] = browsers[which].get(path)
                    times[which].append(elapsed[which])
                ratios.append(elapsed["large"] / elapsed["small"])
                if time.monotonic() - started > config["max_seconds"] and len(ratios) >= 3:
                    break
            results[name] = {"path": path, "bytes": sizes, "pairs": len(ratios),
                             "ratio": statistics.median(ratios),
                             "p50_ratio": statistics.median(times["large"]) / statistics.median(times["small"])}
    return results


def engine(run: Run, name: str, config: dict, template: Path | None, postgres: Postgres | None) -> dict:
    small, large = run.growth_sites(name, template, postgres)
    loads = {}
    for size, site, articles in (("small", small, config["small"]), ("large", large, config["large"])):
        say(f"{name}: loading {articles:,} articles ({size}) ...")
        loads[size] = site.step("load", "--articles", str(articles), "--comments", str(ARTICLE_COMMENTS))
        loads[size].update(run_step(site, "images"))
    say(f"{name}: the articles section's memory, in a process of its own ...")
    memory = {size: run_step(site, "memory") for size, site in (("small", small), ("large", large))}
    say(f"{name}: small and large alternating ...")
    return {"loads": loads, "memory": memory, "pages": alternate(small, large, config),
            "version": run.versions(small)}


def measure(config: dict, postgres_url: str | None, keep: bool) -> dict:
    results = {"config": config, "cpus": os.cpu_count(), "load_before": os.getloadavg()[0], "tree": _git_state(),
               "started": datetime.datetime.now().astimezone().isoformat(timespec="minutes"), "engines": {}}
    tmp = Path(tempfile.mkdtemp(prefix="wisegeek-bench-sitemap-"))
    postgres = Postgres(postgres_url) if postgres_url else None
    try:
        run = Run(tmp, config)
        say(f"Preparing a site in {tmp} (migrate, collectstatic, load_demo, the task queue) ...")
        site = run.site("template")
        for command in (("migrate", "--noinput"), ("collectstatic", "--noinput"), ("load_demo",), DRAIN_QUEUE):
            site.manage(*command)
        results["engines"]["sqlite"] = engine(run, "sqlite", config, tmp / "template", None)
        if postgres and postgres.answers():
            results["engines"]["postgresql"] = engine(run, "postgresql", config, None, postgres)
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


# --- The report ------------------------------------------------------------------------------

def report(results: dict) -> str:
    config = results["config"]
    lines = []
    add = lines.append
    add("# Sitemap and search growth (`bench/sitemap_search.py`)\n")
    add(f"Run {results['started']} on {results['cpus']} CPU cores ({platform.machine()}, Python "
        f"{platform.python_version()}); load average {results['load_before']:.2f} before and "
        f"{results['load_after']:.2f} after. Tree: {results['tree']}.\n")
    add(f"Small site: {config['small']:,} articles; large: {config['large']:,} (bench/pages.py's load: the demo "
        f"content plus synthetic articles, 2% drafts or in review and 1% scheduled; each with a featured image "
        f"name). gunicorn with PAGE_CACHE=0; one request at a time, the sites alternating; at least "
        f"{config['rounds']} pairs and {config['seconds']} s per page. Each figure is the median of the per-pair "
        f"ratios, large / small. Search words: {SEARCH_WORD!r} (rare: one demo article at both sizes) and "
        f"{COMMON_WORD!r} (common).\n")
    if results.get("postgres_missing"):
        add(f"PostgreSQL rows missing: {results['postgres_missing']}.\n")
    for name, figures in results["engines"].items():
        add(f"## {name} ({figures['version']})\n")
        add("| page | bytes small / large | pairs | large / small |")
        add("|---|---:|---:|---:|")
        memory = figures["memory"]
        for page, data in figures["pages"].items():
            add(f"| {page} (`{data['path']}`) | {data['bytes']['small']:,} / {data['bytes']['large']:,} | "
                f"{data['pairs']} | {data['ratio']:.2f}× |")
        articles = figures["pages"][ARTICLES_SECTION]
        urls = {size: memory[size]["urls"] for size in ("small", "large")}
        per_url = articles["ratio"] / (urls["large"] / urls["small"])
        add("")
        add(f"The articles section's first page lists {urls['small']:,} URLs on the small site and "
            f"{urls['large']:,} on the large one ({urls['large'] / urls['small']:.1f}× as many): per URL listed, "
            f"large / small is {per_url:.2f}×.\n")
        add("Rendered once in a process of its own (Django's test client, after the index), the articles "
            "section's first page raised the process's peak resident memory (ru_maxrss) by:\n")
        add("| site | URLs | bytes | peak RSS before | peak RSS after | growth |")
        add("|---|---:|---:|---:|---:|---:|")
        for size in ("small", "large"):
            m = memory[size]
            add(f"| {size} | {m['urls']:,} | {m['bytes']:,} | {m['peak_rss_before_kib'] / 1024:.0f} MiB | "
                f"{m['peak_rss_after_kib'] / 1024:.0f} MiB | "
                f"{(m['peak_rss_after_kib'] - m['peak_rss_before_kib']) / 1024:.0f} MiB |")
        ratio = memory["large"]["seconds"] / memory["small"]["seconds"]
        add(f"\nIn that process the large page took {ratio:.1f}× the small one's time.\n")
        loads = figures["loads"]
        add(f"Loaded: {loads['small']['published']:,} and {loads['large']['published']:,} published articles; "
            f"the large load took {loads['large']['article_seconds']:.0f} s.\n")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--small", type=int, default=1_000)
    parser.add_argument("--large", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=9, help="at least this many pairs per page")
    parser.add_argument("--seconds", type=int, default=6, help="and at least this many seconds per page")
    parser.add_argument("--postgres", action="store_true", help="PostgreSQL too, after SQLite")
    parser.add_argument("--postgres-url", default="postgres://postgres@127.0.0.1:5432/postgres",
                        help="a database on the PostgreSQL server to create the throw-away ones from")
    parser.add_argument("--output", type=Path, default=ROOT / "bench" / "results" / "sitemap-search.md")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    parser.add_argument("--step", choices=STEPS, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.step:  # one step, inside a site's environment
        import django

        django.setup()
        figures = STEPS[args.step](args)
        from django.db import connections

        connections.close_all()
        print(json.dumps(figures, default=str))
        return

    config = {"small": args.small, "large": args.large, "rounds": args.rounds, "seconds": args.seconds,
              "max_seconds": 180}
    started = time.monotonic()
    results = measure(config, args.postgres_url if args.postgres else None, args.keep)
    text = report(results)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(text)
    print(text)
    say(f"Written to {args.output}; the whole run took {time.monotonic() - started:.0f} s.")


if __name__ == "__main__":
    main()
