"""Django's Redis cache, for a site that keeps serving while Redis is away.

Everything the site keeps in the cache (pages, the navigation, partners' domains, site
texts) can be made again from the database, so while Redis cannot be reached a read is
a miss and a write is dropped, with a warning in the log, instead of a 500 for every
reader. Counting is not a cache: ``incr()`` still raises, and the rate limits that count
in Redis count in the database meanwhile (core/ratelimit.py).

Pages invalidated while Redis is away: a Redis that comes back empty (no persistence)
starts a new content version; one that kept its data serves the version it had until
the next change.
"""

import logging

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

log = logging.getLogger(__name__)

# Redis is down, restarting or unreachable (not: a bug in how we call it).
UNREACHABLE = (RedisConnectionError, RedisTimeoutError)


def _away(operation: str, error: Exception) -> None:
    log.warning("Redis unreachable, cache %s skipped: %s", operation, error)


class ResilientRedisCache(RedisCache):
    def get(self, key, default=None, version=None):
        try:
            return super().get(key, default, version)
        except UNREACHABLE as error:
            _away("get", error)
            return default

    def get_many(self, keys, version=None):
        try:
            return super().get_many(keys, version)
        except UNREACHABLE as error:
            _away("get_many", error)
            return {}

    def has_key(self, key, version=None):
        try:
            return super().has_key(key, version)
        except UNREACHABLE as error:
            _away("has_key", error)
            return False

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        try:
            return super().add(key, value, timeout, version)
        except UNREACHABLE as error:
            _away("add", error)
            return False

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        try:
            super().set(key, value, timeout, version)
        except UNREACHABLE as error:
            _away("set", error)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        try:
            return super().set_many(data, timeout, version)
        except UNREACHABLE as error:
            _away("set_many", error)
            return list(data)  # the keys that were not stored

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        try:
            return super().touch(key, timeout, version)
        except UNREACHABLE as error:
            _away("touch", error)
            return False

    def delete(self, key, version=None):
        try:
            return super().delete(key, version)
        except UNREACHABLE as error:
            _away("delete", error)
            return False

    def delete_many(self, keys, version=None):
        try:
            super().delete_many(keys, version)
        except UNREACHABLE as error:
            _away("delete_many", error)
