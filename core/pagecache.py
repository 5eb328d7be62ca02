"""The full-page cache: anonymous readers' pages, stored in the cache every worker shares.

A view opts in with ``@public_page``. Its 200 answers to a visitor without a session
cookie are stored once, compressed, and served to every anonymous GET or HEAD of the same
address until the site's content changes. Signed-in editors never read from it or
write to it: their requests carry the session cookie, and their pages are
``private, no-store``.

Invalidation is by one content version for the whole site, kept in the shared cache.
Every write to a model a page can show (``watch()``: saves, deletes, and queryset
``update()`` / ``bulk_create()`` of the watched querysets) replaces it with a new random
value, again once the transaction commits, so the next request of every worker on every
server misses and renders the change. The version also records when the next scheduled
article becomes public (``changes_at()``); from that moment it is stale, the first
request to notice makes a new one, and scheduled articles appear on time without a job.

One version for every page is deliberate: writes are rare (editors, approved comments)
and reads are many, a change re-renders each page once, and no page can be forgotten
because a rule about which pages show what was incomplete.
"""

from __future__ import annotations

import gzip
import hashlib
import logging
import secrets
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass, field
from functools import wraps

import brotli
from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, connection, transaction
from django.db.models import QuerySet
from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save
from django.http import HttpResponse
from django.utils.cache import add_never_cache_headers, get_conditional_response
from django.utils.http import http_date

log = logging.getLogger(__name__)

STATE_KEY = "pagecache:state"
PAGE_KEY_PREFIX = "pagecache:page:"
# Query strings that select a distinct page worth caching; any other parameter
# (?replyto=, ?comment=, tracking tags) is rendered afresh and not stored.
CACHED_PARAMETERS = {"page"}
# Headers a stored page must not replay to someone else.
NOT_REPLAYED = {"set-cookie", "content-length", "content-encoding", "etag", "last-modified",
                "cache-control", "expires", "date", "vary"}


# --- What changes pages -------------------------------------------------------------

_schedules = []


def changes_at(func):
    """Register ``func() -> datetime | None``: when pages next change by themselves
    (a scheduled article becoming public). Used as a decorator."""
    _schedules.append(func)
    return func


def watch(*models):
    """Pages show these models: any saved or deleted instance means new pages."""
    for model in models:
        post_save.connect(_model_changed, sender=model, weak=False)
        post_delete.connect(_model_changed, sender=model, weak=False)
        for m2m in model._meta.many_to_many:
            m2m_changed.connect(_model_changed, sender=m2m.remote_field.through, weak=False)


def _model_changed(sender, **kwargs):
    instance = kwargs.get("instance")
    if instance is not None and getattr(instance, "page_cache_unaffected", False):
        return
    _forget(getattr(sender._default_manager._queryset_class, "derived_cache_keys", ()))
    pages_changed()


def _forget(keys):
    if keys:
        cache.delete_many(keys)


class PageContentQuerySet(QuerySet):
    """For managers of watched models: writes that send no signals still count.

    ``derived_cache_keys`` names what is cached from these rows (the navigation, the
    partners' domains): forgotten with the pages on every write, signals or not.
    """

    derived_cache_keys: tuple[str, ...] = ()

    def update(self, **kwargs):
        rows = super().update(**kwargs)
        if rows:
            _forget(self.derived_cache_keys)
            pages_changed()
        return rows

    update.alters_data = True

    def bulk_create(self, objs, *args, **kwargs):
        created = super().bulk_create(objs, *args, **kwargs)
        if created:
            _forget(self.derived_cache_keys)
            pages_changed()
        return created

    bulk_create.alters_data = True


def pages_changed(using=None):
    """The site's content changed: every cached page is out of date.

    A new version is set at once (so this process, and a test inside its transaction,
    sees the change) and again after the commit: a worker that rendered the
    uncommitted past in between must not keep it under the first version.
    """
    if connection.in_atomic_block:
        _new_state()
        transaction.on_commit(_new_state, using=using)
    else:
        _new_state()


def _next_change():
    times = [t for t in (schedule() for schedule in _schedules) if t is not None]
    return min(times).timestamp() if times else None


def _new_state() -> dict:
    state = {"version": secrets.token_hex(8), "until": _next_change(), "since": time.time()}
    cache.set(STATE_KEY, state, None)
    return state


def _current_state(state: dict | None) -> dict:
    if state is None or (state["until"] is not None and time.time() >= state["until"]):
        # Nothing yet (a new cache, or evicted), or a scheduled article is due now:
        # set before rendering, so what is rendered is at least as new as the version.
        return _new_state()
    return state


@post_migrate.connect
def _after_migrate(sender, **kwargs):
    # A deployment runs migrate: pages rendered by the old code are not reused.
    if sender.name == "core":
        try:
            _new_state()
        except Exception:  # a cache that is not reachable yet must not stop migrate
            log.warning("Could not reset the page cache after migrate", exc_info=True)


# --- Views ------------------------------------------------------------------------------


def public_page(view):
    """The view's successful answers are the same for every anonymous reader."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if response.status_code == 200 and not response.has_header("Cache-Control"):
            response.public_page = True
        return response

    return wrapper


def signed_in(request) -> bool:
    """Whether the request may belong to a signed-in user, read without touching the
    session (which would add ``Vary: Cookie`` to an anonymous page)."""
    return settings.SESSION_COOKIE_NAME in request.COOKIES


def staff_user(request):
    """The signed-in staff user, or None; anonymous requests never load a session."""
    if not signed_in(request):
        return None
    user = request.user
    return user if user.is_active and user.is_staff else None


def public_cache_control(until: float | None) -> str:
    """Cache-Control for anonymous pages; never beyond the next scheduled change."""
    max_age, shared = settings.PAGE_MAX_AGE, settings.PAGE_SHARED_MAX_AGE
    if until is not None:
        left = max(0, int(until - time.time()))
        max_age, shared = min(max_age, left), min(shared, left)
    return (f"public, max-age={max_age}, s-maxage={shared}, "
            f"stale-while-revalidate={settings.PAGE_STALE_WHILE_REVALIDATE}")


# --- The stored page --------------------------------------------------------------------


@dataclass
class StoredPage:
    version: str
    status: int
    headers: list[tuple[str, str]]
    body: bytes
    etag: str
    modified: float
    encoded: dict[str, bytes] = field(default_factory=dict)

    @classmethod
    def from_response(cls, response, version: str) -> StoredPage:
        body = response.content
        encoded = {}
        if len(body) >= 200:
            encoded["br"] = brotli.compress(body, quality=settings.PAGE_BROTLI_QUALITY)
            encoded["gzip"] = gzip.compress(body, compresslevel=6, mtime=0)
        return cls(
            version=version,
            status=response.status_code,
            headers=[(k, v) for k, v in response.items() if k.lower() not in NOT_REPLAYED],
            body=body,
            # Weak: the same page is sent plain, gzipped or in Brotli.
            etag='W/"%s"' % hashlib.blake2b(body, digest_size=12).hexdigest(),
            modified=time.time(),
            encoded=encoded,
        )

    def response_for(self, request, until: float | None):
        encoding = accepted_encoding(request, self.encoded)
        body = self.encoded[encoding] if encoding else self.body
        response = HttpResponse(b"" if request.method == "HEAD" else body, status=self.status)
        for name, value in self.headers:
            response[name] = value
        response["Content-Length"] = str(len(body))
        if encoding:
            response["Content-Encoding"] = encoding
        response["ETag"] = self.etag
        response["Last-Modified"] = http_date(self.modified)
        response["Cache-Control"] = public_cache_control(until)
        response["Vary"] = "Accept-Encoding"
        if "HTTP_IF_NONE_MATCH" in request.META or "HTTP_IF_MODIFIED_SINCE" in request.META:
            return get_conditional_response(request, etag=self.etag, last_modified=int(self.modified),
                                            response=response)
        return response


def accepted_encoding(request, available) -> str | None:
    if not available:
        return None
    accepted = request.META.get("HTTP_ACCEPT_ENCODING", "")
    tokens = {part.split(";")[0].strip().lower(): part for part in accepted.split(",")}
    for name in ("br", "gzip"):
        part = tokens.get(name)
        if part is not None and "q=0" not in part.replace(" ", "").replace("q=0.", "q=x"):
            return name
    return None


# --- This process's copies ---------------------------------------------------------------


class RecentPages:
    """The pages this worker served lately, for the version the shared cache names.

    Whether a page is current is always asked of the shared cache (one small read); a
    stored page never changes under its version, so a worker may keep the bytes it
    already read and skip reading and unpickling them again.
    """

    def __init__(self):
        self._pages: OrderedDict[str, StoredPage] = OrderedDict()
        self._version = None
        self._lock = threading.Lock()

    def get(self, key: str, version: str) -> StoredPage | None:
        with self._lock:
            if version != self._version:
                self._pages.clear()
                self._version = version
                return None
            page = self._pages.get(key)
            if page is not None:
                self._pages.move_to_end(key)
            return page

    def put(self, key: str, page: StoredPage) -> None:
        with self._lock:
            if page.version != self._version:
                return
            self._pages[key] = page
            while len(self._pages) > settings.PAGE_CACHE_WORKER_PAGES:
                self._pages.popitem(last=False)


recent_pages = RecentPages()


# --- The middleware ---------------------------------------------------------------------


class PageCacheMiddleware:
    """Serves and stores anonymous pages; sets Cache-Control on every answer it sees.

    Placed after SecurityMiddleware, the CSP middleware and WhiteNoise, before the
    session: a stored page is answered without reaching the rest.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not self.cacheable_request(request):
            return self.finish(request, self.get_response(request))
        key = page_key(request)
        try:
            state = _current_state(cache.get(STATE_KEY))
        except DatabaseError:
            # A new version asks the database when the next scheduled article is due. With
            # the database away, answer without the cache: /healthz can then say 503.
            log.warning("Page cache skipped for %s: the database is unavailable", request.path)
            return self.finish(request, self.get_response(request))
        stored = recent_pages.get(key, state["version"])
        if stored is None:
            stored = cache.get(key)
            if stored is not None and stored.version == state["version"]:
                recent_pages.put(key, stored)
            else:
                stored = None
        if stored is not None:
            return stored.response_for(request, state["until"])
        response = self.get_response(request)
        if not self.storable(request, response):
            return self.finish(request, response)
        stored = StoredPage.from_response(response, state["version"])
        cache.set(key, stored, settings.PAGE_CACHE_TIMEOUT)
        recent_pages.put(key, stored)
        return stored.response_for(request, state["until"])

    @staticmethod
    def cacheable_request(request) -> bool:
        if not settings.PAGE_CACHE or request.method not in ("GET", "HEAD") or signed_in(request):
            return False
        return all(name in CACHED_PARAMETERS for name in request.GET)

    def storable(self, request, response) -> bool:
        if not getattr(response, "public_page", False) or response.streaming:
            return False
        if response.cookies or "Cookie" in response.get("Vary", ""):
            # A page that set a cookie or read the session is someone's own page.
            log.warning("Not caching %s: the response %s", request.path,
                        "sets a cookie" if response.cookies else "varies by cookie")
            return False
        return True

    def finish(self, request, response):
        """Headers for answers that are not served from the page cache."""
        if response.has_header("Cache-Control"):
            return response
        if getattr(response, "public_page", False) and not signed_in(request) and request.method in ("GET", "HEAD"):
            # A public page not stored (the cache is off, or the address has a query).
            response["Cache-Control"] = public_cache_control(None)
            if response.streaming:
                return response
            etag = 'W/"%s"' % hashlib.blake2b(response.content, digest_size=12).hexdigest()
            response["ETag"] = etag
            return get_conditional_response(request, etag=etag, response=response)
        # Anything else (staff pages, forms with errors, redirects after a post, errors)
        # is one person's answer: no browser or CDN keeps it.
        add_never_cache_headers(response)
        return response


def page_key(request) -> str:
    address = f"{request.scheme}://{request.get_host()}{request.get_full_path()}"
    return PAGE_KEY_PREFIX + hashlib.blake2b(address.encode(), digest_size=16).hexdigest()
