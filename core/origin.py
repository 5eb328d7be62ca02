"""Forms strangers post (comments, newsletter signup) without Django's CSRF cookie.

Their pages are cached and shared, so they cannot carry a per-visitor CSRF token.
What the CSRF token guards against here is another site making a reader's browser
post in the reader's name; every current browser says where a POST comes from
(``Sec-Fetch-Site``, and ``Origin`` on every POST), so that is checked instead, and
the forms carry a signed token of their own that a stranger cannot mint or age.
A request with neither header does not come from a current browser: it has no
reader's browser to borrow, and it meets the same token, honeypot and rate limits.
"""

from functools import wraps
from urllib.parse import urlsplit

from django.conf import settings
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt


def own_origins(request) -> set[str]:
    origins = {f"{request.scheme}://{request.get_host()}", origin_of(settings.SITE_URL)}
    return origins | {origin_of(url) for url in settings.CSRF_TRUSTED_ORIGINS}


def origin_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def is_same_origin(request) -> bool:
    """Whether a POST came from one of the site's own pages (or from no browser)."""
    if request.META.get("HTTP_SEC_FETCH_SITE", "same-origin") == "cross-site":
        return False
    origin = request.META.get("HTTP_ORIGIN")
    if origin is None:
        return True
    return origin in own_origins(request)


def same_origin_post(view):
    """Instead of CSRF for anonymous forms: a POST from another site gets a 403."""

    @csrf_exempt
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method == "POST" and not is_same_origin(request):
            return render(request, "403_cross_site.html", status=403)
        return view(request, *args, **kwargs)

    return wrapper
