"""The site's URLs plus /__bench__/baseline: a bare view returning the article page's bytes."""

from functools import cache
from pathlib import Path

from django.conf import settings
from django.http import HttpResponse
from django.urls import path

from wisegeek.urls import urlpatterns as site_urlpatterns


@cache
def _baseline_bytes(location: str) -> bytes:
    # Read once per worker: the file never changes while a benchmark runs.
    return Path(location).read_bytes()


def baseline(request):
    """The floor a page is measured against: no query, no template, the same bytes."""
    return HttpResponse(_baseline_bytes(str(settings.BENCH_BASELINE_FILE)),
                        content_type="text/html; charset=utf-8")


urlpatterns = [path("__bench__/baseline", baseline, name="bench_baseline"), *site_urlpatterns]
