"""HTTP as an editor's browser does it, against a running site (tests.liveserver.LiveSite):
cookies, the CSRF token, admin sign-in and admin forms posted as the page filled them in."""

import http.cookiejar
import re
import urllib.error
import urllib.request
import uuid
from html.parser import HTMLParser

from tests.http import NoRedirect
from tests.liveserver import ADMIN_PASSWORD, ADMIN_USERNAME, LiveSite


class Browser:
    """Cookies, CSRF token and form posts against one server (redirects not followed)."""

    def __init__(self, site: LiveSite):
        self.site = site
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(NoRedirect(), urllib.request.HTTPCookieProcessor(self.cookies))

    def cookie(self, name: str) -> str:
        return next((c.value for c in self.cookies if c.name == name), "")

    def request(self, path: str, data: bytes | None = None, headers: dict | None = None) -> tuple[int, dict, str]:
        request = urllib.request.Request(self.site.url(path), data=data, headers=headers or {})
        try:
            with self.opener.open(request, timeout=60) as response:
                return response.status, dict(response.headers), response.read().decode()
        except urllib.error.HTTPError as error:
            with error:
                return error.code, dict(error.headers), error.read().decode(errors="replace")

    def post(self, path: str, fields: list[tuple[str, str]], files: dict | None = None) -> tuple[int, dict, str]:
        body, content_type = multipart(fields, files or {})
        return self.request(path, body, {"Content-Type": content_type, "X-CSRFToken": self.cookie("csrftoken")})

    def log_in_to_admin(self) -> "Browser":
        status, _, page = self.request("/admin/login/")
        assert status == 200, page[:500]
        fields = [*form_fields(page, "login-form"), ("username", ADMIN_USERNAME), ("password", ADMIN_PASSWORD)]
        status, headers, page = self.post("/admin/login/?next=/admin/", fields)
        assert status == 302 and self.cookie("sessionid"), (status, page[:500], self.site.server_log_tail())
        return self

    def change_through_admin(self, path: str, form_id: str, changes: dict, files: dict | None = None) -> None:
        """Open an admin change form, change some fields, save it as an editor would."""
        status, _, page = self.request(path)
        assert status == 200, page[:500]
        fields = [(name, value) for name, value in form_fields(page, form_id) if name not in changes]
        status, _, page = self.post(path, [*fields, *changes.items()], files)
        errors = re.findall(r'<ul class="errorlist[^"]*"[^>]*>.*?</ul>', page, flags=re.S)
        assert status == 302, (status, errors or page[:1000], self.site.server_log_tail())


def multipart(fields: list[tuple[str, str]], files: dict[str, tuple[str, bytes, str]]) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    parts = []
    for name, value in fields:
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
    for name, (filename, content, content_type) in files.items():
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
                     f"Content-Type: {content_type}\r\n\r\n".encode() + content + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


class _FormReader(HTMLParser):
    """What a browser would submit from one form, left as the page filled it in."""

    def __init__(self, form_id: str):
        super().__init__(convert_charrefs=True)
        self.form_id, self.inside, self.fields = form_id, False, []
        self._textarea = self._select = None
        self._options: list[tuple[str, bool]] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.inside = attrs.get("id") == self.form_id
        if not self.inside or "name" not in attrs and tag in {"input", "textarea", "select"}:
            return
        if tag == "input":
            kind = attrs.get("type", "text")
            if kind in {"checkbox", "radio"}:
                if "checked" in attrs:
                    self.fields.append((attrs["name"], attrs.get("value", "on")))
            elif kind not in {"file", "submit", "button", "image", "reset"}:
                self.fields.append((attrs["name"], attrs.get("value", "")))
        elif tag == "textarea":
            self._textarea = [attrs["name"], ""]
        elif tag == "select":
            self._select, self._options = attrs, []
        elif tag == "option" and self._select is not None:
            self._options.append((attrs.get("value", ""), "selected" in attrs))

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "textarea" and self._textarea is not None:
            self.fields.append((self._textarea[0], self._textarea[1].removeprefix("\n")))
            self._textarea = None
        elif tag == "select" and self._select is not None:
            chosen = [value for value, selected in self._options if selected]
            if not chosen and "multiple" not in self._select and self._options:
                chosen = [self._options[0][0]]
            self.fields.extend((self._select["name"], value) for value in chosen)
            self._select = None


def form_fields(page: str, form_id: str) -> list[tuple[str, str]]:
    reader = _FormReader(form_id)
    reader.feed(page)
    assert reader.fields, f"no form #{form_id} on the page"
    return reader.fields
