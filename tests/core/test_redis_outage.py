"""While Redis is down the site still serves: the cache misses, the rate limits count in
the database. (tests/test_fault_injection.py stops a real Redis under load.)"""

import pytest
from django.core.cache import cache
from django.urls import reverse

from core import ratelimit
from core.cache import UNREACHABLE
from core.models import RateLimitCounter

pytestmark = pytest.mark.django_db


@pytest.fixture
def redis_down(settings, closed_port):
    """The site's settings with REDIS_URL, pointing at a Redis nobody runs."""
    caches = settings.CACHES
    settings.REDIS_URL = f"redis://127.0.0.1:{closed_port}/0"
    settings.CACHES = {"default": {"BACKEND": "core.cache.ResilientRedisCache", "LOCATION": settings.REDIS_URL,
                                   "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2}}}
    yield
    settings.CACHES = caches  # the suite empties its own cache after each test


def test_a_cache_that_cannot_be_reached_misses_and_keeps_nothing(redis_down):
    cache.set("navigation", ["Health"])
    assert cache.get("navigation") is None
    assert cache.get("navigation", "default") == "default"
    assert cache.get_or_set("navigation", lambda: ["Health", "Science"]) == ["Health", "Science"]
    assert cache.get_many(["a", "b"]) == {}
    assert cache.add("counter", 1) is False
    cache.delete("navigation")
    with pytest.raises(UNREACHABLE):  # a count is not a cache: it must not read as zero
        cache.incr("counter")


def test_pages_are_served_from_the_database_while_redis_is_down(client, article, redis_down):
    for url in (article.get_absolute_url(), reverse("articles:home"),
                reverse("articles:category", kwargs={"slug": article.category.slug})):
        response = client.get(url)
        assert response.status_code == 200, url
    assert article.title in client.get(article.get_absolute_url()).content.decode()


def test_rate_limits_count_in_the_database_while_redis_is_down(redis_down):
    assert [ratelimit.allow("comment", "203.0.113.5", limit=2, window=600) for _ in range(3)] == [True, True, False]
    assert ratelimit.allow("comment", "203.0.113.6", limit=2, window=600)
    assert sorted(RateLimitCounter.objects.values_list("count", flat=True)) == [1, 3]
