"""Plain HTTP for tests that talk to a real server (tests.liveserver.LiveSite)."""

import http.cookiejar
import urllib.error
import urllib.parse
import urllib.request


class NoRedirect(urllib.request.HTTPRedirectHandler):
    """Report a redirect's own status (302, 301) instead of following it."""

    def redirect_request(self, *args, **kwargs):
        return None


def opener(*, cookies: bool = False) -> urllib.request.OpenerDirector:
    handlers = [NoRedirect()]
    if cookies:
        handlers.append(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
    return urllib.request.build_opener(*handlers)


def post_form(url: str, data: dict, *, using: urllib.request.OpenerDirector | None = None,
              headers: dict | None = None, timeout: float = 60) -> int:
    """POST ``data`` form-encoded to ``url``; the response's status (redirects not followed)."""
    request = urllib.request.Request(
        url, data=urllib.parse.urlencode(data).encode(), method="POST", headers=headers or {}
    )
    try:
        with (using or opener()).open(request, timeout=timeout) as response:
            response.read()
            return response.status
    except urllib.error.HTTPError as error:  # 3xx (not followed), 4xx and 5xx
        error.close()
        return error.code
