"""Sign-in over real HTTP against gunicorn with two workers: the failure count is shared by
the workers (database, or Redis in the Redis pass), and over HTTPS behind our proxy the
__Host- cookies carry the CSRF token and the session."""

import re
import urllib.error
import urllib.parse
import urllib.request
from http.cookies import SimpleCookie

import pytest

from tests.http import NoRedirect
from tests.liveserver import ADMIN_PASSWORD, ADMIN_USERNAME, LiveSite

LIMIT = 3


class Client:
    """Cookies by hand, so Secure cookies are sent over loopback HTTP as the proxy would."""

    def __init__(self, site: LiveSite, **headers: str):
        self.site, self.headers, self.cookies = site, headers, {}
        self.opener = urllib.request.build_opener(NoRedirect())

    def request(self, path: str, data: dict | None = None, headers: dict | None = None):
        cookie = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        request = urllib.request.Request(
            self.site.url(path), data=urllib.parse.urlencode(data).encode() if data is not None else None,
            headers={**self.headers, **({"Cookie": cookie} if cookie else {}), **(headers or {})})
        try:
            response = self.opener.open(request, timeout=60)
        except urllib.error.HTTPError as error:
            response = error
        with response:
            body = response.read().decode(errors="replace")
            set_cookies = response.headers.get_all("Set-Cookie") or []
        for raw in set_cookies:
            for name, morsel in SimpleCookie(raw).items():
                self.cookies[name] = morsel.value
        return response.status, set_cookies, body

    def sign_in(self, password: str):
        status, _, page = self.request("/admin/login/")
        assert status == 200, (page[:300], self.site.server_log_tail(60))
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        return self.request("/admin/login/", {"csrfmiddlewaretoken": token, "username": ADMIN_USERNAME,
                                              "password": password, "next": "/admin/"},
                            headers={"Referer": self.origin + "/admin/login/", "Origin": self.origin})

    @property
    def origin(self) -> str:
        """The page's origin as the browser saw it: https when our proxy says so."""
        scheme = self.headers.get("X-Forwarded-Proto", "http")
        return self.site.base.replace("http://", f"{scheme}://", 1)


def start(site: LiveSite) -> LiveSite:
    for command in (("migrate", "--noinput"), ("collectstatic", "--noinput"), ("ensure_admin",)):
        site.manage(*command)
    return site.serve()


def test_wrong_passwords_sent_to_both_workers_add_up_to_one_lock(tmp_path, shared_services):
    with start(LiveSite(tmp_path, workers=2, LOGIN_FAILURE_LIMIT=str(LIMIT), LOGIN_COOLOFF_MINUTES="15",
                        **shared_services)) as site:
        statuses = [Client(site).sign_in(f"wrong-{attempt}")[0] for attempt in range(LIMIT)]
        assert statuses == [200] * (LIMIT - 1) + [429], site.server_log_tail()
        # Each attempt was a new connection, which either worker may take: the right
        # password is refused on every one of them now.
        for _ in range(4):
            status, _, page = Client(site).sign_in(ADMIN_PASSWORD)
            assert status == 429 and "Try again in 15 minutes" in page, (status, page[:300])


def test_over_https_the_host_prefixed_cookies_sign_an_editor_in(tmp_path):
    site = LiveSite(tmp_path, workers=2, HTTPS="1", BEHIND_PROXY="1", SECURE_SSL_REDIRECT="0",
                    ALLOWED_HOSTS="127.0.0.1", CSRF_TRUSTED_ORIGINS="")
    with start(site):
        client = Client(site, **{"X-Forwarded-Proto": "https", "X-Forwarded-For": "198.51.100.20"})
        status, set_cookies, page = client.sign_in(ADMIN_PASSWORD)
        assert status == 302, (status, page[:500], site.server_log_tail())
        assert set(client.cookies) == {"__Host-csrftoken", "__Host-sessionid"}
        for cookie in set_cookies:
            attributes = cookie.lower()
            assert "secure" in attributes and "path=/" in attributes and "domain=" not in attributes
        status, _, page = client.request("/admin/")
        assert status == 200 and "Log out" in page

        # Without the token the same browser is refused.
        status, _, _ = client.request("/admin/login/", {"username": ADMIN_USERNAME, "password": ADMIN_PASSWORD},
                                      headers={"Origin": client.origin})
        assert status == 403
