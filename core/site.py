"""The site's own address: SITE_URL is the one source of every absolute URL."""

import ipaddress
from urllib.parse import urlsplit

from django.conf import settings
from django.utils.encoding import escape_uri_path


def absolute_url(path: str) -> str:
    """``path`` (as ``reverse()`` or ``get_absolute_url()`` give it) on the public site."""
    if path.startswith(("http://", "https://")):
        return path
    return settings.SITE_URL.rstrip("/") + "/" + path.lstrip("/")


def site_host() -> str:
    """The host (and port, if any) of SITE_URL: what the Site row and ALLOWED_HOSTS hold."""
    return urlsplit(settings.SITE_URL).netloc


def site_scheme() -> str:
    return urlsplit(settings.SITE_URL).scheme or "http"


def site_domain() -> str:
    """The domain name of SITE_URL in ASCII, lower case and without a port, for identifiers
    such as an email's List-Id; "localhost" when SITE_URL names an IP address, no domain."""
    host = urlsplit(settings.SITE_URL).hostname or "localhost"
    try:
        ipaddress.ip_address(host)
        return "localhost"
    except ValueError:
        pass
    try:
        return host.encode("idna").decode("ascii")
    except UnicodeError:  # a label IDNA 2003 refuses: kept as written
        return host


def canonical_url(request) -> str:
    """The page's own address on SITE_URL: its path, and the page number of a listing
    past its first page; any other query (tracking tags, a search) is not part of it."""
    url = absolute_url(escape_uri_path(request.path))
    page = request.GET.get("page", "")
    if page.isascii() and page.isdigit() and len(page) < 10 and int(page) > 1:
        url += f"?page={int(page)}"
    return url
