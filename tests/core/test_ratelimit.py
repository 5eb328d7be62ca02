"""Rate limits count atomically, in the database (one SQL upsert) or in Redis (INCR), so
that any number of threads, processes and servers counting together never let more
through than the limit. Both counters run in every pass of the suite."""

import uuid

import pytest
from django.core.cache import cache
from django.db import connection

from core import ratelimit
from core.models import RateLimitCounter
from tests.concurrency import in_threads_at_once
from tests.conftest import service_missing

THREADS = 30
LIMIT = 10


def attempts_together(scope: str, key: str) -> list[bool]:
    # Each thread has a database connection of its own, closed when it is done.
    return in_threads_at_once(THREADS, lambda n: ratelimit.allow(scope, key, limit=LIMIT, window=3600),
                              after_each=lambda: connection.close(), timeout=120)


@pytest.fixture
def redis_cache(settings):
    url = "redis://127.0.0.1:6379/14"
    try:
        import redis

        redis.Redis.from_url(url, socket_connect_timeout=2).ping()
    except Exception as error:  # no Redis here
        service_missing(f"needs Redis at {url}: {error}")
    settings.REDIS_URL = url
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url,
                                   "KEY_PREFIX": f"ratelimit-test-{uuid.uuid4().hex[:8]}"}}
    yield cache


# On SQLite the test database lives in shared memory, where concurrent writers fail with
# "table is locked" instead of waiting; tests/test_shared_state.py covers SQLite on a real
# file through gunicorn. This is PostgreSQL's run, whose CI pass otherwise counts in Redis.
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_the_database_counter_lets_exactly_the_limit_through_under_concurrency(settings):
    settings.REDIS_URL = ""
    results = attempts_together("test", "203.0.113.9")
    assert sorted(results) == [False] * (THREADS - LIMIT) + [True] * LIMIT
    assert RateLimitCounter.objects.get().count == THREADS


@pytest.mark.django_db(transaction=True)
def test_the_redis_counter_lets_exactly_the_limit_through_under_concurrency(redis_cache):
    results = attempts_together("test", "203.0.113.9")
    assert sorted(results) == [False] * (THREADS - LIMIT) + [True] * LIMIT
    assert not RateLimitCounter.objects.exists()  # counted in Redis, not in the database


@pytest.mark.django_db
def test_each_key_and_scope_counts_on_its_own(settings):
    settings.REDIS_URL = ""
    assert all(ratelimit.allow("signup", "a", limit=2, window=60) for _ in range(2))
    assert not ratelimit.allow("signup", "a", limit=2, window=60)
    assert ratelimit.allow("signup", "b", limit=2, window=60)
    assert ratelimit.allow("comment", "a", limit=2, window=60)


@pytest.mark.django_db
def test_a_limit_of_zero_turns_the_limit_off(settings):
    settings.REDIS_URL = ""
    assert all(ratelimit.allow("signup", "a", limit=0, window=60) for _ in range(50))
    assert not RateLimitCounter.objects.exists()
