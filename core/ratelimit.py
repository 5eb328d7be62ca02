"""Fixed-window rate limits that every process and server counts together, atomically.

With Redis (``REDIS_URL``) a window is one Redis key bumped with INCR; without it, one
row of ``core.RateLimitCounter`` bumped by a single ``INSERT … ON CONFLICT DO UPDATE …
RETURNING`` statement (SQLite 3.35+ and PostgreSQL). Never read-then-write. While Redis
cannot be reached, the database counts.
"""

import logging
import random
import time
from datetime import datetime, timedelta, timezone

from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction

from .cache import UNREACHABLE
from .models import RateLimitCounter

log = logging.getLogger(__name__)


def allow(scope: str, key: str, *, limit: int, window: int) -> bool:
    """Count one attempt for ``key``; False once it has made more than ``limit`` in the window."""
    if limit <= 0:
        return True
    start = int(time.time() // window) * window
    name = f"ratelimit:{scope}:{key}:{start}"
    if not settings.REDIS_URL:
        return _database_count(name, start + window) <= limit
    try:
        return _redis_count(name, window) <= limit
    except UNREACHABLE as error:  # the limit still holds while Redis is away
        log.warning("Redis unreachable, rate limit %s counted in the database: %s", scope, error)
        return _database_count(name, start + window) <= limit


def _redis_count(name: str, window: int) -> int:
    # add() is SET NX: exactly one caller creates the key; everyone else INCRs it.
    if cache.add(name, 1, timeout=window + 1):
        return 1
    try:
        return cache.incr(name)
    except ValueError:  # the window's key expired between add() and incr()
        return 1 if cache.add(name, 1, timeout=window + 1) else cache.incr(name)


def _database_count(name: str, expires_at: float) -> int:
    table, key_col, count_col, expires_col = map(
        connection.ops.quote_name, (RateLimitCounter._meta.db_table, "key", "count", "expires")
    )
    expires_value = connection.ops.adapt_datetimefield_value(datetime.fromtimestamp(expires_at, tz=timezone.utc))
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} ({key_col}, {count_col}, {expires_col}) VALUES (%s, 1, %s) "
            f"ON CONFLICT ({key_col}) DO UPDATE SET {count_col} = {table}.{count_col} + 1 "
            f"RETURNING {count_col}",
            [name[:255], expires_value],
        )
        count = cursor.fetchone()[0]
    if random.random() < 0.01:  # now and then, forget windows that have ended
        RateLimitCounter.objects.filter(expires__lt=datetime.now(tz=timezone.utc) - timedelta(minutes=1)).delete()
    return count
