"""The site's settings plus the benchmark's baseline view (bench/urls.py).

    DJANGO_SETTINGS_MODULE=bench.settings

Everything else, MIDDLEWARE included, is the site's own, so the baseline runs through
exactly what a page runs through.
"""

from wisegeek.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
# The bytes the baseline view returns: the article page's HTML, captured by
# bench/pages.py before the rounds start.
BENCH_BASELINE_FILE = VAR_DIR / "bench-baseline.html"  # noqa: F405
