"""Our error pages and /healthz tell a visitor what happened in plain words and nothing
more: no exception text, paths, settings, versions or tracebacks, no "Django" in a page or
a header, the address asked for not repeated (and no canonical or og:url naming it); the
details go to the server's log. Through the test client, and over gunicorn with DEBUG off."""

import html
import json
import shutil
import urllib.error
import urllib.request
from unittest import mock

import django
import pytest
from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.db import OperationalError, connection
from django.http import Http404
from django.test import Client
from django.urls import path, reverse

from tests.liveserver import LiveSite, http_get
from wisegeek.urls import urlpatterns as site_urlpatterns

pytestmark = pytest.mark.django_db

# What a careless error page would show: the exception's own text carries these.
SECRET = "secret-detail /srv/wisegeek/wisegeek/settings.py SECRET_KEY=hunter2 postgres://wg:pw@db.internal"
# The address asked for, written to be noticed if a page repeated it, escaped or not.
PROBE = "/nothing-here-<script>alert('probe')</script>.htm"
NEVER_SHOWN = [
    "secret-detail", "/srv/", "settings.py", "SECRET_KEY", "hunter2", "db.internal", "Traceback", "Exception",
    "django", "DEBUG", "CSRF verification failed", "Referer", "probe", "nothing-here", "Python",
    django.get_version(),
]


def boom(request):
    raise RuntimeError(SECRET)


def denied(request):
    raise PermissionDenied(SECRET)


def suspicious(request):
    raise SuspiciousOperation(SECRET)


def missing(request):
    raise Http404(SECRET)


# The site's own URLs, plus views that fail the ways views fail.
urlpatterns = [
    path("test-errors/boom", boom),
    path("test-errors/denied", denied),
    path("test-errors/suspicious", suspicious),
    path("test-errors/missing", missing),
    *site_urlpatterns,
]


def assert_tells_nothing(status: int, headers, body: bytes, *, heading: str):
    text = body.decode()
    for leak in NEVER_SHOWN:
        assert leak.lower() not in text.lower(), f"{status} page shows {leak!r}"
    for name, value in headers:
        assert "django" not in f"{name}: {value}".lower(), f"{status} answer sends {name}: {value}"
    assert 'rel="canonical"' not in text and 'property="og:url"' not in text
    assert heading in html.unescape(text)


def check(response, status: int, heading: str):
    assert response.status_code == status
    assert_tells_nothing(status, response.items(), response.content, heading=heading)


# --- Through the test client -----------------------------------------------------------------

@pytest.mark.urls(__name__)
def test_a_page_that_fails_says_so_in_our_words_and_logs_the_rest(caplog):
    response = Client(raise_request_exception=False).get("/test-errors/boom")
    check(response, 500, "Something went wrong on our side")
    assert SECRET in caplog.text  # the detail is in the server's log


@pytest.mark.urls(__name__)
def test_a_refusal_is_our_403_page_without_the_reason(client):
    check(client.get("/test-errors/denied"), 403, "You may not open this page")


@pytest.mark.urls(__name__)
def test_a_suspicious_request_is_our_400_page(client):
    check(client.get("/test-errors/suspicious"), 400, "We could not understand that request")


@pytest.mark.urls(__name__)
def test_a_missing_page_is_our_404_page_without_the_reason(client):
    check(client.get("/test-errors/missing"), 404, "We couldn’t find that page")


def test_a_missing_address_is_not_repeated_on_the_404_page(client):
    response = client.get(PROBE)
    check(response, 404, "We couldn’t find that page")
    assert "alert(" not in response.content.decode()


def test_an_unknown_host_gets_our_400_page(client):
    check(client.get("/", headers={"host": "evil.example"}), 400, "We could not understand that request")


def test_a_form_failing_the_csrf_check_gets_our_page_without_the_reason():
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("admin:login"), {"username": "admin", "password": "x"})
    check(response, 403, "This form could not be accepted")
    # Over HTTPS Django also checks the Referer, and its reason would repeat it.
    response = client.post(reverse("admin:login"), {"username": "admin", "password": "x"}, secure=True,
                           headers={"referer": "https://evil.example/<script>alert('probe')</script>"})
    check(response, 403, "This form could not be accepted")


def test_a_readers_form_from_another_site_gets_our_page(client):
    response = client.post(reverse("newsletter:signup"), {"email": "reader@example.com"},
                           headers={"origin": "https://evil.example"})
    check(response, 403, "This form was sent from another website")


def test_healthz_with_the_database_down_says_only_that(client, caplog):
    client.get("/healthz")  # the page cache's state is read (from the database) and kept, as on a running site
    with mock.patch.object(connection, "cursor", side_effect=OperationalError(SECRET)):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert json.loads(response.content) == {"status": "error", "database": "error"}
    assert SECRET in caplog.text


def test_healthz_when_well_says_ok_and_nothing_else(client):
    response = client.get("/healthz")
    assert (response.status_code, json.loads(response.content)) == (200, {"status": "ok", "database": "ok", "tasks": "ok"})


# --- Over gunicorn, DEBUG off ------------------------------------------------------------------

@pytest.fixture(scope="module")
def site(tmp_path_factory):
    # A new database connection for every request, so moving the database away is felt at once.
    with LiveSite(tmp_path_factory.mktemp("var"), DEBUG="0", DATABASE_CONN_MAX_AGE="0") as live:
        live.manage("migrate", "--noinput")
        live.manage("collectstatic", "--noinput")
        yield live.serve()


def live_check(answer, status: int, heading: str):
    code, headers, body = answer
    assert code == status
    assert_tells_nothing(status, headers.items(), body, heading=heading)


def test_over_gunicorn_a_missing_page(site):
    live_check(http_get(site.url(PROBE.replace("<", "%3C").replace(">", "%3E").replace("'", "%27"))),
               404, "We couldn’t find that page")


def test_over_gunicorn_an_unknown_host(site):
    live_check(http_get(site.url("/"), Host="evil.example"), 400, "We could not understand that request")


def test_over_gunicorn_forms_refused_as_cross_site_or_failing_csrf(site):
    def post(path, **headers):
        request = urllib.request.Request(site.url(path), data=b"email=reader%40example.com", headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return response.status, dict(response.headers), response.read()
        except urllib.error.HTTPError as error:
            return error.code, dict(error.headers), error.read()

    live_check(post("/newsletter/", Origin="https://evil.example"), 403, "This form was sent from another website")
    live_check(post("/admin/login/"), 403, "This form could not be accepted")


def test_over_gunicorn_with_the_database_gone_pages_fail_and_healthz_says_only_that(site, tmp_path):
    moved = tmp_path / "moved"
    moved.mkdir()
    database_files = sorted(site.var_dir.glob("db.sqlite3*"))
    log_start = site.log_position()
    for file in database_files:  # SQLite makes an empty database in its place: no tables
        shutil.move(file, moved / file.name)
    try:
        live_check(http_get(site.url("/")), 500, "Something went wrong on our side")
        status, _, body = http_get(site.url("/healthz"))
        assert (status, json.loads(body)) == (503, {"status": "error", "database": "error"})
        log = site.server_log_tail(400, since=log_start)
        assert "no such table" in log  # the details are in the server's log
    finally:
        for file in site.var_dir.glob("db.sqlite3*"):
            file.unlink()
        for file in database_files:
            shutil.move(moved / file.name, file)
    status, _, body = http_get(site.url("/healthz"))
    assert (status, json.loads(body)) == (200, {"status": "ok", "database": "ok", "tasks": "ok"})
