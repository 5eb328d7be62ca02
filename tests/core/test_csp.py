"""The Content-Security-Policy (django-csp, chosen per request in core.csp): strict on
every public page, the admin's own (style attributes on the editor's pages only, the
digest preview's email in its own sandbox), report-only mode and reports as settings,
image origins from settings, and a policy a view set itself left alone. The browser tests
(tests/e2e, the admin's in test_admin_csp.py) fail on any violation; this file checks
the headers and the pages' markup."""

import datetime
import json
import logging
import os
import subprocess
import sys
from html.parser import HTMLParser

import pytest
from django.contrib import admin
from django.contrib.flatpages.models import FlatPage
from django.http import HttpResponse
from django.test import Client, RequestFactory, override_settings
from django.urls import include, path, reverse
from django.utils import timezone
from simple_history.admin import SimpleHistoryAdmin

from core.csp import REPORT_MAX_BYTES
from newsletter.models import Digest, Subscriber
from tests import dom
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
    without 'unsafe-inline' refuses. JSON (JSON-LD, admin's json_script) is data, not
    run, and is not counted."""

    def __init__(self):
        super().__init__()
        self.found: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "script" and "src" not in attrs and attrs.get("type") not in {"application/ld+json",
                                                                                 "application/json"}:
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
    assert admin["style-src"] == ["'self'"] and admin["script-src"] == ["'self'"]
    assert admin["object-src"] == ["'none'"] and admin["frame-ancestors"] == ["'self'"]
    assert admin["base-uri"] == ["'self'"] and admin["form-action"] == ["'self'"]

    settings.ADMIN_URL = "back-office/"  # the middleware reads the prefix from the setting
    assert directives(staff_client.get("/admin/")[HEADER])["frame-ancestors"] == ["'none'"]
    assert directives(staff_client.get("/back-office/")[HEADER])["frame-ancestors"] == ["'self'"]


# --- The admin: no inline code, style attributes only where the editor is -------------

EDITOR_STYLE_ATTRIBUTES = {"style-src-attr": ["'unsafe-inline'"]}
# Each source that lets a page run or style what its markup or a script writes inline.
INLINE = {"'unsafe-inline'", "'unsafe-eval'", "'unsafe-hashes'", "'strict-dynamic'"}


def test_the_admin_policy_allows_no_inline_script_or_style(settings):
    policy = settings.CONTENT_SECURITY_POLICY_ADMIN["DIRECTIVES"]

    assert policy["style-src"] == ["'self'"] and policy["script-src"] == ["'self'"]
    assert not INLINE & {source for sources in policy.values() for source in sources}
    assert not {"style-src-attr", "style-src-elem", "script-src-attr", "script-src-elem"} & set(policy)


@pytest.fixture
def admin_objects(article):
    """One of each thing the admin lists, with versions where it keeps them; the article."""
    Digest.objects.create(day=datetime.date(2001, 1, 1), subject="A digest", covers_until=timezone.now())
    Subscriber.objects.create(email="reader@example.com", status=Subscriber.Status.ACTIVE)
    for page in FlatPage.objects.all():
        page.title += " (edited)"
        page.save()
    article.summary += " Edited."
    article.save()
    return article


def admin_pages(article, user) -> dict[str, str]:
    """url -> what it is, for every model's list, add, change and history page, and the
    admin's other pages: versions, the article's comparison and preview, the digest's
    preview, two-factor sign-in."""
    pages = {reverse("admin:index"): "index", reverse("accounts:two_factor"): "two-factor"}
    request = RequestFactory().get("/")
    request.user = user
    for model, model_admin in admin.site._registry.items():
        name = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        pages[reverse(f"{name}_changelist")] = f"{name} list"
        if model_admin.has_add_permission(request):
            pages[reverse(f"{name}_add")] = f"{name} add"
        obj = model._default_manager.order_by("pk").first()
        if obj is None:
            continue
        pages[reverse(f"{name}_change", args=[obj.pk])] = f"{name} change"
        pages[reverse(f"{name}_history", args=[obj.pk])] = f"{name} history"
        if isinstance(model_admin, SimpleHistoryAdmin):
            version = obj.history.order_by("history_id").first()
            pages[reverse(f"{name}_simple_history", args=[obj.pk, version.history_id])] = f"{name} version"
    versions = article.history.order_by("history_id")
    compare = reverse("admin:articles_article_history_compare", args=[article.pk])
    pages[f"{compare}?from={versions.first().history_id}&to={versions.last().history_id}"] = "article compare"
    pages[reverse("admin:articles_article_preview", args=[article.pk])] = "article preview"
    pages[reverse("admin:newsletter_digest_preview", args=[Digest.objects.get().pk])] = "digest preview"
    return pages


def test_admin_pages_allow_style_attributes_exactly_where_the_rich_text_editor_is_and_nothing_more(
    staff_client, django_user_model, settings, admin_objects
):
    admin_policy = {name: list(sources)
                    for name, sources in settings.CONTENT_SECURITY_POLICY_ADMIN["DIRECTIVES"].items()}
    with_editor = []
    for url, what in admin_pages(admin_objects, django_user_model.objects.get(username="editor")).items():
        response = staff_client.get(url, follow=True)  # the site texts' list opens its one page
        assert response.status_code == 200, (url, response.status_code)
        shows_editor = "django_ckeditor_5/dist/bundle" in response.content.decode()
        expected = {**admin_policy, **EDITOR_STYLE_ATTRIBUTES} if shows_editor else admin_policy
        assert directives(response[HEADER]) == expected, what
        if shows_editor:
            with_editor.append(what)

    # The article's body, an author's bio and a policy page's content: added, changed, and
    # a version opened to be restored.
    assert sorted(with_editor) == sorted([
        "admin:articles_article add", "admin:articles_article change", "admin:articles_article version",
        "admin:authors_author add", "admin:authors_author change",
        "admin:flatpages_flatpage add", "admin:flatpages_flatpage change", "admin:flatpages_flatpage version",
    ])


def test_the_sign_in_page_gets_the_admins_policy_and_carries_no_inline_code(client, settings):
    response = client.get(reverse("admin:login"))

    policy = directives(response[HEADER])
    assert policy["style-src"] == ["'self'"] and "style-src-attr" not in policy
    parser = InlineCode()
    parser.feed(response.content.decode())
    assert parser.found == []


def test_admin_pages_carry_no_inline_code_the_policy_would_refuse(staff_client, django_user_model, admin_objects):
    for url, what in admin_pages(admin_objects, django_user_model.objects.get(username="editor")).items():
        parser = InlineCode()
        parser.feed(staff_client.get(url, follow=True).content.decode())
        assert parser.found == [], what


# --- The digest preview's email: its own document, its own sandboxed policy ------------

@pytest.fixture
def digest(article):
    digest = Digest.objects.create(day=datetime.date(2001, 1, 1), subject="A digest", covers_until=timezone.now())
    digest.articles.set([article])
    return digest


def test_the_digest_preview_frames_the_email_from_its_own_address_in_a_sandbox(staff_client, digest):
    page = staff_client.get(reverse("admin:newsletter_digest_preview", args=[digest.pk])).content.decode()
    frames = [element for element in dom.parse(page).elements if element.tag == "iframe"]

    assert [frame.attrs for frame in frames] == [{
        "class": "digest-preview", "title": "The digest as it will be emailed", "sandbox": "",
        "src": reverse("admin:newsletter_digest_preview_email", args=[digest.pk]),
    }]


def test_the_digest_email_has_inline_styles_and_a_sandboxed_policy_that_runs_nothing(staff_client, digest,
                                                                                    settings):
    response = staff_client.get(reverse("admin:newsletter_digest_preview_email", args=[digest.pk]))

    assert response["Content-Type"] == "text/html; charset=utf-8"
    email = response.content.decode()
    assert '<body style="margin:0;padding:24px;background:#fbfaf7;' in email and digest.articles.get().title in email
    policy = directives(response[HEADER])
    assert policy == {
        "default-src": ["'none'"], "style-src": ["'unsafe-inline'"],
        "img-src": settings.CONTENT_SECURITY_POLICY_ADMIN["DIRECTIVES"]["img-src"],
        "base-uri": ["'none'"], "form-action": ["'none'"], "frame-ancestors": ["'self'"],
        "sandbox": [],  # no allow-scripts, allow-forms, allow-same-origin or anything else
    }
    assert response["X-Frame-Options"] == "SAMEORIGIN"  # the preview page frames it
    assert "no-store" in response["Cache-Control"] and REPORT_ONLY_HEADER not in response


def test_in_report_only_mode_the_digest_email_keeps_its_enforced_policy_and_reports_nothing(staff_client, digest,
                                                                                           settings):
    report_only(settings)

    response = staff_client.get(reverse("admin:newsletter_digest_preview_email", args=[digest.pk]))

    assert directives(response[HEADER])["sandbox"] == []
    assert REPORT_ONLY_HEADER not in response


def test_only_staff_see_the_digest_email(client, digest):
    response = client.get(reverse("admin:newsletter_digest_preview_email", args=[digest.pk]))
    assert response.status_code == 302 and response["Location"].startswith(reverse("admin:login"))


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
    assert directives(admin[REPORT_ONLY_HEADER])["style-src"] == ["'self'"]


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
