"""A fixed-window rate limit kept in the shared cache, so every process counts together."""

from django.conf import settings
from django.core.cache import caches


def client_ip(request) -> str:
    """The reader's address; behind our own proxy, the address it saw (rightmost hop)."""
    if getattr(settings, "SECURE_PROXY_SSL_HEADER", None):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if hops:
            return hops[-1]
    return request.META.get("REMOTE_ADDR", "")


def allow(scope: str, key: str, *, limit: int, window: int) -> bool:
    """Count one attempt for ``key``; False once it has made more than ``limit`` in the window."""
    if limit <= 0:
        return True
    cache = caches["shared"]
    name = f"ratelimit:{scope}:{key}"
    if cache.add(name, 1, timeout=window):
        return True
    try:
        return cache.incr(name) <= limit
    except ValueError:  # the window ended between add() and incr()
        cache.add(name, 1, timeout=window)
        return True
