"""Are the affiliate offers still there? Every active link's destination is asked for
its status, and a link whose offer is gone or failing is marked as a dead offer.

Only the status matters: a HEAD request, then a GET when the server refuses HEAD or the
HEAD fails; at most ``MAX_REDIRECTS`` redirects are followed; every request has a
timeout, and at most ``workers`` requests run at once. Threads only talk HTTP: the
results are written to the database by the caller's thread, one UPDATE per link.
"""

import http.client
import socket
import ssl
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from http import HTTPStatus

from django.utils import timezone

from .models import PartnerLink

MAX_REDIRECTS = 5
REDIRECT_STATUSES = {301, 302, 303, 307, 308}
HEAD_REFUSED = {405, 501}
WEB_SCHEMES = {"http", "https"}
USER_AGENT = "Mozilla/5.0 (compatible; WiseGeek offer check)"


@dataclass(frozen=True)
class OfferCheck:
    dead: bool
    result: str  # what editors read: "200 OK", "404 Not Found", "timed out after 10 s"


class TooManyRedirects(Exception):
    pass


class NotAWebAddress(Exception):
    pass


class _DoNotFollow(urllib.request.HTTPRedirectHandler):
    """Redirects come back as answers: ``_follow`` counts and follows them itself."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


def check_destination(url: str, *, timeout: float) -> OfferCheck:
    """The state of one offer; never raises for what a remote server or network does."""
    try:
        status, redirects = _follow(url, "HEAD", timeout=timeout)
    except (OSError, http.client.HTTPException, ValueError, TooManyRedirects, NotAWebAddress):
        status = None
    if status is None or status in HEAD_REFUSED:
        try:
            status, redirects = _follow(url, "GET", timeout=timeout)
        except TooManyRedirects:
            return OfferCheck(dead=True, result=f"more than {MAX_REDIRECTS} redirects")
        except NotAWebAddress:
            return OfferCheck(dead=True, result="leads to something other than a web page")
        except (OSError, http.client.HTTPException, ValueError) as error:
            return OfferCheck(dead=True, result=_describe(error, timeout=timeout))
    result = _status_text(status)
    if redirects:
        result += f" after {redirects} redirect{'s' if redirects > 1 else ''}"
    return OfferCheck(dead=status >= 400, result=result)


def check_offers(*, timeout: float = 10, workers: int = 8) -> list[tuple[PartnerLink, OfferCheck]]:
    """Check the destination of every active link of an active partner and write what
    was found (``is_dead``, ``check_result``, ``checked_at``) as each answer arrives.

    Returns the links with their checks, in the order of the links.
    """
    links = list(PartnerLink.objects.active().select_related("partner").order_by("pk"))
    checks = {}
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="check-offers") as pool:
        futures = {pool.submit(check_destination, link.destination, timeout=timeout): link for link in links}
        for future in as_completed(futures):
            link, check = futures[future], future.result()
            PartnerLink.objects.filter(pk=link.pk).update(
                is_dead=check.dead, check_result=check.result[:200], checked_at=timezone.now(),
            )
            checks[link.pk] = check
    return [(link, checks[link.pk]) for link in links]


def _follow(url: str, method: str, *, timeout: float) -> tuple[int, int]:
    """The final status of ``url`` and the number of redirects on the way."""
    for redirects in range(MAX_REDIRECTS + 1):
        if urllib.parse.urlsplit(url).scheme not in WEB_SCHEMES:
            raise NotAWebAddress(url)
        status, location = _ask(url, method, timeout=timeout)
        if status not in REDIRECT_STATUSES or not location:
            return status, redirects
        url = urllib.parse.urljoin(url, location)
    raise TooManyRedirects(url)


def _ask(url: str, method: str, *, timeout: float) -> tuple[int, str | None]:
    """One request: its status, and where a redirect points. The body is never read."""
    request = urllib.request.Request(url, method=method, headers={"User-Agent": USER_AGENT, "Accept": "*/*"})
    opener = urllib.request.build_opener(_DoNotFollow)
    try:
        with opener.open(request, timeout=timeout) as response:
            return response.status, None
    except urllib.error.HTTPError as error:
        with error:
            return error.code, error.headers.get("Location")


def _status_text(status: int) -> str:
    try:
        return f"{status} {HTTPStatus(status).phrase}"
    except ValueError:
        return str(status)


def _describe(error: Exception, *, timeout: float) -> str:
    """A network failure in a few words."""
    if isinstance(error, urllib.error.URLError) and isinstance(error.reason, Exception):
        error = error.reason
    if isinstance(error, TimeoutError):  # socket.timeout too
        return f"timed out after {timeout:g} s"
    if isinstance(error, ConnectionRefusedError):
        return "connection refused"
    if isinstance(error, ConnectionResetError):
        return "connection reset"
    if isinstance(error, socket.gaierror):
        return "host not found"
    if isinstance(error, ssl.SSLCertVerificationError):
        return "certificate not valid"
    if isinstance(error, ssl.SSLError):
        return "secure connection failed"
    if isinstance(error, http.client.RemoteDisconnected):
        return "closed the connection without answering"
    if isinstance(error, http.client.HTTPException):
        return "not a valid HTTP answer"
    if isinstance(error, ValueError):
        return "not a valid web address"
    return (getattr(error, "strerror", None) or str(error) or type(error).__name__)[:200]
