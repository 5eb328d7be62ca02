"""The Content-Security-Policy (django-csp, chosen per request in core.csp): strict on
every public page, the admin's own, report-only mode and reports as settings, image
origins from settings, and a policy a view set itself left alone. The browser tests
(tests/e2e) fail on any violation; this file checks the headers and the pages' markup."""

import json
import logging
import os
import subprocess
import sys
from html.parser import HTMLParser

import pytest
from django.http import HttpResponse
from django.test import Client, override_settings
from django.urls import include, path

from core.csp import REPORT_MAX_BYTES
from tests.conftest import POLICY_URLS
from tests.liveserver import ROOT

pytestmark = pytest.mark.django_db

HEADER = "Content-Security-Policy"
REPORT_ONLY_HEADER = "Content-Security-Policy-Report-Only"
UNSAFE = {"'unsafe-inline'", "'unsafe-eval'", "'unsafe-hashes'", "*", "data:", "http:", "https:"}


def directives(header: str) -> dict[str, list[str]]:
    parts = [part.split() for part in header.split(";") if part.strip()]
    names = [part[0] for part in parts]
    assert len(names) == len(set(names)), f"a directive appears twice: {header}"
    return {part[0]: part[1:] for part in parts}


def public_urls(article) -> list[str]:
    return ["/", article.get_absolute_url(), article.category.get_absolute_url(),
            article.author.get_absolute_url(), "/search/?q=back", "/affiliate-partners/", POLICY_URLS[0],
            "/no-such-page/"]


def test_every_public_page_runs_only_the_sites_own_scripts_and_styles(client, article):
    for url in public_urls(article):
        policy = directives(client.get(url)[HEADER])

        assert policy["default-src"] == ["'self'"], url
        assert policy["script-src"] == ["'self'"], url
        assert policy["style-src"] == ["'self'"], url
        assert policy["object-src"] == ["'none'"], url
        assert policy["base-uri"] == ["'self'"], url
        assert policy["form-action"] == ["'self'"], url
        assert policy["frame-ancestors"] == ["'none'"], url
        assert not UNSAFE & {source for sources in policy.values() for source in sources if source != "data:"}


def test_data_urls_are_allowed_for_images_only(client, article):
    policy = directives(client.get(article.get_absolute_url())[HEADER])
    assert [name for name, sources in policy.items() if "data:" in sources] == ["img-src"]


class InlineCode(HTMLParser):
    """Inline scripts, <style> elements, style= and on*= attributes: what a policy
    without 'unsafe-inline' refuses. JSON-LD is data, not run, and is not counted."""

    def __init__(self):
        super().__init__()
        self.found: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "script" and "src" not in attrs and attrs.get("type") != "application/ld+json":
            self.found.append(f"inline <script {attrs}>")
        if tag == "style":
            self.found.append("<style>")
        self.found += [f"<{tag} {name}=...>" for name in attrs if name == "style" or name.startswith("on")]


def test_public_pages_carry_no_inline_code_the_policy_would_refuse(client, article):
    for url in public_urls(article):
        parser = InlineCode()
        parser.feed(client.get(url).content.decode())
        assert parser.found == [], url


def test_the_admin_gets_its_own_policy_under_the_configured_prefix(staff_client, settings):
    admin = directives(staff_client.get(f"/{settings.ADMIN_URL}")[HEADER])
    # CKEditor 5 writes <style> elements and style attributes: the one loosening.
    assert admin["style-src"] == ["'self'", "'unsafe-inline'"]
    assert admin["script-src"] == ["'self'"] and admin["object-src"] == ["'none'"]
    assert admin["base-uri"] == ["'self'"] and admin["form-action"] == ["'self'"]

    settings.ADMIN_URL = "back-office/"  # the middleware reads the prefix from the setting
    assert "'unsafe-inline'" not in staff_client.get("/admin/")[HEADER]
    assert "'unsafe-inline'" in staff_client.get("/back-office/")[HEADER]


def test_an_ad_network_widens_public_pages_only_and_only_by_its_own_origins(client, staff_client, article,
                                                                            settings):
    before = directives(client.get(article.get_absolute_url())[HEADER])
    settings.AD_NETWORK, settings.AD_NETWORK_CLIENT = "adsense", "ca-pub-1"

    after = directives(client.get(article.get_absolute_url())[HEADER])
    admin = staff_client.get(f"/{settings.ADMIN_URL}")[HEADER]

    sources = settings.AD_NETWORKS["adsense"]["sources"]
    assert after["script-src"] == ["'self'", *sources["script-src"]]
    assert after["frame-src"] == ["'self'", *sources["frame-src"]]
    assert after["style-src"] == before["style-src"] and after["frame-ancestors"] == ["'none'"]
    assert "googlesyndication" not in admin


# --- A policy a view set itself ------------------------------------------------------

SANDBOX = "sandbox; default-src 'none'"


def own_policy(request):
    response = HttpResponse(b"\x89PNG", content_type="image/png")
    response[HEADER] = SANDBOX
    return response


urlpatterns = [path("media/own-policy.png", own_policy), path("", include("wisegeek.urls"))]


@override_settings(ROOT_URLCONF=__name__, AD_NETWORK="adsense", AD_NETWORK_CLIENT="ca-pub-1")
def test_a_policy_the_view_set_itself_is_left_alone(client):
    response = client.get("/media/own-policy.png")

    assert response[HEADER] == SANDBOX
    assert REPORT_ONLY_HEADER not in response


# --- Report-only mode and reports, from the environment -------------------------------

def settings_in_a_fresh_process(**env: str) -> dict:
    """The CSP settings wisegeek.settings makes of ``env`` alone."""
    script = (
        "import django, json; django.setup()\n"
        "from django.conf import settings\n"
        "print(json.dumps({name: getattr(settings, name) for name in ("
        "'CONTENT_SECURITY_POLICY', 'CONTENT_SECURITY_POLICY_REPORT_ONLY', 'CONTENT_SECURITY_POLICY_ADMIN')}))"
    )
    base = {"PATH": os.environ["PATH"], "SECRET_KEY": "csp-test", "DJANGO_SETTINGS_MODULE": "wisegeek.settings",
            "DATABASE_URL": "sqlite://:memory:", "HOME": os.environ.get("HOME", "/tmp")}
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env={**base, **env},
                            capture_output=True, text=True, timeout=60, check=True)
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_by_default_the_policy_is_enforced_and_reports_go_nowhere():
    found = settings_in_a_fresh_process()
    assert found["CONTENT_SECURITY_POLICY_REPORT_ONLY"] is None
    policy = found["CONTENT_SECURITY_POLICY"]["DIRECTIVES"]
    assert "report-uri" not in policy and "report-to" not in policy


def test_report_only_mode_and_the_report_address_come_from_the_environment():
    found = settings_in_a_fresh_process(CSP_REPORT_ONLY="1", CSP_REPORT_URI="/csp-report/",
                                        CSP_EXTRA_IMG_SRC="https://img.example.net,https://cdn.example.org")

    assert found["CONTENT_SECURITY_POLICY"] is None
    public = found["CONTENT_SECURITY_POLICY_REPORT_ONLY"]["DIRECTIVES"]
    admin = found["CONTENT_SECURITY_POLICY_ADMIN"]["DIRECTIVES"]
    for policy in (public, admin):
        assert (policy["report-uri"], policy["report-to"]) == (["/csp-report/"], "csp")
        assert policy["img-src"][:4] == ["'self'", "data:", "https://img.example.net", "https://cdn.example.org"]


def report_only(settings, uri: str = "/csp-report/") -> None:
    """What CSP_REPORT_ONLY=1 and CSP_REPORT_URI=<uri> make of the settings."""
    reporting = {"report-uri": [uri], "report-to": "csp"}
    public = settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]
    settings.CONTENT_SECURITY_POLICY = None
    settings.CONTENT_SECURITY_POLICY_REPORT_ONLY = {"DIRECTIVES": {**public, **reporting}}
    settings.CONTENT_SECURITY_POLICY_ADMIN = {
        "DIRECTIVES": {**settings.CONTENT_SECURITY_POLICY_ADMIN["DIRECTIVES"], **reporting}}


def test_in_report_only_mode_pages_and_admin_send_their_policy_as_report_only(client, staff_client, article,
                                                                              settings):
    report_only(settings)

    page = client.get(article.get_absolute_url())
    admin = staff_client.get(f"/{settings.ADMIN_URL}")

    for response in (page, admin):
        assert HEADER not in response
        policy = directives(response[REPORT_ONLY_HEADER])
        assert (policy["report-uri"], policy["report-to"]) == (["/csp-report/"], ["csp"])
        assert response["Reporting-Endpoints"] == 'csp="http://testserver/csp-report/"'
    assert directives(page[REPORT_ONLY_HEADER])["style-src"] == ["'self'"]
    assert "'unsafe-inline'" in directives(admin[REPORT_ONLY_HEADER])["style-src"]


def test_with_no_report_address_no_reporting_endpoint_is_sent(client, article):
    assert "Reporting-Endpoints" not in client.get(article.get_absolute_url())


# --- The report endpoint ----------------------------------------------------------------

REPORT_URI_BODY = {"csp-report": {
    "document-uri": "https://www.example.com/a.htm", "violated-directive": "script-src-elem",
    "effective-directive": "script-src-elem", "blocked-uri": "https://evil.example/x.js",
    "original-policy": "default-src 'self'", "disposition": "enforce",
}}
REPORT_TO_BODY = [{"type": "csp-violation", "url": "https://www.example.com/a.htm", "age": 1, "body": {
    "documentURL": "https://www.example.com/a.htm", "effectiveDirective": "img-src",
    "blockedURL": "https://tracker.example/p.gif", "disposition": "report", "statusCode": 200,
}}]


@pytest.fixture
def anonymous():
    return Client(enforce_csrf_checks=True)  # as a browser sends reports: no cookie, no token


@pytest.mark.parametrize(("body", "content_type", "logged"), [
    (REPORT_URI_BODY, "application/csp-report", "https://evil.example/x.js"),
    (REPORT_TO_BODY, "application/reports+json", "https://tracker.example/p.gif"),
], ids=["report-uri", "report-to"])
def test_a_violation_report_is_logged_and_answered_204(anonymous, caplog, body, content_type, logged):
    with caplog.at_level(logging.WARNING, logger="core.csp"):
        response = anonymous.post("/csp-report/", json.dumps(body), content_type=content_type)

    assert response.status_code == 204 and response.content == b""
    assert "no-store" in response["Cache-Control"]
    [record] = caplog.records
    assert logged in record.getMessage() and "www.example.com/a.htm" in record.getMessage()
    assert "original-policy" not in record.getMessage()  # only the fields worth reading


def test_a_report_logs_each_field_shortened(anonymous, caplog):
    long = {"csp-report": {"document-uri": "https://www.example.com/" + "a" * 5000, "blocked-uri": "inline"}}
    with caplog.at_level(logging.WARNING, logger="core.csp"):
        assert anonymous.post("/csp-report/", json.dumps(long), content_type="application/csp-report").status_code == 204
    assert len(caplog.records[0].getMessage()) < 600


@pytest.mark.parametrize(("body", "status", "says"), [
    (b"not json", 400, "not JSON"),
    (b"\xff\xfe", 400, "not JSON"),
    (b'{"csp-report": "nope"}', 400, "expected"),
    (b'[{"type": "deprecation", "body": {}}]', 400, "no csp-violation"),
    (b"[]", 400, "expected"),
    (json.dumps({"csp-report": {"blocked-uri": "x" * 20_000}}).encode(), 413, "at most"),
], ids=["not json", "not utf-8", "wrong shape", "other report types", "empty list", "too big"])
def test_bad_reports_get_a_clear_4xx_and_nothing_is_logged(anonymous, caplog, body, status, says):
    with caplog.at_level(logging.WARNING, logger="core.csp"):
        response = anonymous.post("/csp-report/", body, content_type="application/csp-report")

    assert response.status_code == status
    assert says in response.content.decode()
    assert [record for record in caplog.records if record.name == "core.csp"] == []


def test_an_oversized_report_is_refused_before_its_body_is_read(anonymous):
    # A client that announces more than a report's cap is answered from the header alone.
    response = anonymous.generic("POST", "/csp-report/", b"{}", content_type="application/csp-report",
                                 CONTENT_LENGTH=str(REPORT_MAX_BYTES + 1))
    assert response.status_code == 413


def test_reports_are_posted_not_fetched(anonymous):
    assert anonymous.get("/csp-report/").status_code == 405


def test_reports_are_rate_limited_per_address(anonymous, settings, caplog):
    settings.CSP_REPORT_RATE_LIMIT = 2
    send = lambda address: anonymous.post(  # noqa: E731
        "/csp-report/", json.dumps(REPORT_URI_BODY), content_type="application/csp-report", REMOTE_ADDR=address)

    assert [send("192.0.2.1").status_code for _ in range(3)] == [204, 204, 429]
    assert send("192.0.2.2").status_code == 204  # another reader is not held back
    refused = send("192.0.2.1")
    assert "Too many reports" in refused.content.decode()
