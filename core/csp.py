"""The Content-Security-Policy, through django-csp: which policy a response gets, and the
address browsers send their violation reports to.

``CONTENT_SECURITY_POLICY`` (or ``CONTENT_SECURITY_POLICY_REPORT_ONLY`` with
``CSP_REPORT_ONLY=1``) is the public pages' policy. Three things django-csp's settings
cannot say are decided here, per request:

- paths under the admin (``ADMIN_URL``) get ``CONTENT_SECURITY_POLICY_ADMIN`` instead:
  the site's own scripts and styles only, no inline code, as on public pages.
- the admin pages that show the rich-text editor, CKEditor 5 (the add, change and
  version pages of the models ``CONTENT_SECURITY_POLICY_ADMIN_EDITOR_MODELS`` names),
  also allow style attributes (``style-src-attr 'unsafe-inline'``), and nothing else:
  ``<style>`` elements and scripts stay refused there too. CKEditor writes style attributes
  with ``setAttribute("style", ...)``, which a policy checks as it checks markup: the
  aspect-ratio of every image and the upload progress bar, in the editing area. (Image
  resizing, which wrote widths the same way, is turned off: CKEDITOR_5_CONFIGS.) Its HTML pipeline does the same on
  detached elements and in DOMParser documents, which Chromium holds to the page's
  policy: every ``getData()`` of a body with an image (django-ckeditor-5 calls it on
  each change) and every paste of styled HTML (from a word processor or a web page).
  Under ``style-src 'self'`` alone each of these is a violation, and the images and
  progress bar lose their styles. (Typing and the toolbar's text features write none.)
- with an ad network on (``AD_NETWORK``), public pages also allow exactly the origins
  ``AD_NETWORKS`` lists for it.

A response that already carries a policy (uploaded media sets its own sandbox) or a view
that chose its own with django-csp's decorators keeps it: the newsletter digest's preview
shows the email, all style= attributes as mail programs need, from its own address
with its own sandboxed policy (``newsletter.admin``), framed by the admin's page.
"""

from __future__ import annotations

import json
import logging

from csp.middleware import CSPMiddleware, PolicyParts
from django.conf import settings
from django.contrib import admin
from django.http import HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from core import ratelimit
from core.net import client_ip

log = logging.getLogger(__name__)

# The name of the reporting endpoint in Reporting-Endpoints and the policy's report-to.
REPORT_GROUP = "csp"
# What admin pages with the rich-text editor add to the admin's policy: style attributes
# only (see above). Browsers without style-src-attr (before Chrome 75, Firefox 108,
# Safari 15.4) fall back to style-src and only refuse, as everywhere else.
RICH_TEXT_EDITOR_DIRECTIVES = {"style-src-attr": ["'unsafe-inline'"]}
# The admin's pages that show a model's form: adding, changing, and a version to restore
# (django-simple-history's).
FORM_PAGES = ("add", "change", "simple_history")


def is_admin_path(path: str) -> bool:
    return path.startswith("/" + settings.ADMIN_URL)


def shows_rich_text_editor(request) -> bool:
    """Whether the admin page asked for shows CKEditor 5: a form page of one of the
    models in CONTENT_SECURITY_POLICY_ADMIN_EDITOR_MODELS ("app_label.model_name")."""
    match = request.resolver_match
    if match is None:
        return False
    return any(
        match.view_name == f"{admin.site.name}:{model.replace('.', '_')}_{page}"
        for model in settings.CONTENT_SECURITY_POLICY_ADMIN_EDITOR_MODELS
        for page in FORM_PAGES
    )


def ad_network_sources() -> dict[str, list[str]]:
    """The origins the ad network in use adds to public pages (none when it is off).

    A directive the public policy lacks starts from ``'self'``, as it would have
    inherited ``default-src 'self'``; the update then adds to it rather than replacing it.
    """
    if not settings.AD_NETWORK:
        return {}
    public = (active_policy() or {}).get("DIRECTIVES", {})
    return {
        name: origins if name in public else ["'self'", *origins]
        for name, origins in settings.AD_NETWORKS[settings.AD_NETWORK]["sources"].items()
    }


def active_policy() -> dict | None:
    """The public policy's settings: CONTENT_SECURITY_POLICY, or in report-only mode
    CONTENT_SECURITY_POLICY_REPORT_ONLY."""
    return settings.CONTENT_SECURITY_POLICY or settings.CONTENT_SECURITY_POLICY_REPORT_ONLY


def report_uri() -> str:
    """Where browsers report violations of the public policy ("" when nowhere)."""
    return "".join((active_policy() or {}).get("DIRECTIVES", {}).get("report-uri", []))


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware, choosing the admin's policy or widening the public one."""

    def get_policy_parts(self, request, response, report_only: bool = False) -> PolicyParts:
        parts = super().get_policy_parts(request=request, response=response, report_only=report_only)
        if not getattr(settings, "CONTENT_SECURITY_POLICY_REPORT_ONLY" if report_only else "CONTENT_SECURITY_POLICY",
                       None):
            return parts  # this header is not in use
        if parts.config is not None:
            return parts  # the view chose its whole policy itself
        if is_admin_path(request.path_info):
            parts.config = dict(settings.CONTENT_SECURITY_POLICY_ADMIN["DIRECTIVES"])
            if shows_rich_text_editor(request):
                parts.config.update(RICH_TEXT_EDITOR_DIRECTIVES)
        elif settings.AD_NETWORK:
            update = {name: list(origins) for name, origins in ad_network_sources().items()}
            for name, origins in (parts.update or {}).items():
                update[name] = [*update.get(name, []), *origins]
            parts.update = update
        return parts

    def process_response(self, request, response):
        response = super().process_response(request, response)
        address = report_uri()
        if address and "Reporting-Endpoints" not in response:
            # The policy's report-to names this endpoint; report-uri is for older browsers.
            response["Reporting-Endpoints"] = f'{REPORT_GROUP}="{request.build_absolute_uri(address)}"'
        return response


# --- Where browsers report violations ------------------------------------------------

# Browsers send one report per violation, each a small JSON document.
REPORT_MAX_BYTES = 16 * 1024
# What one report may log, so a hostile one cannot flood the log.
LOGGED_FIELD_CHARS = 300
REPORT_FIELDS = {
    # report-uri's application/csp-report names -> report-to's application/reports+json names
    "document-uri": "documentURL",
    "violated-directive": "effectiveDirective",
    "blocked-uri": "blockedURL",
    "source-file": "sourceFile",
    "line-number": "lineNumber",
    "disposition": "disposition",
}


@csrf_exempt  # browsers send reports without cookies or tokens; nothing is changed by one
@never_cache
@require_POST
def csp_report(request):
    """Logs the Content-Security-Policy violations browsers report, and answers 204.

    Anyone can post here, so the body is capped before it is read, each address is
    rate-limited, and a report is only ever logged, shortened, never stored or echoed.
    """
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return HttpResponse("Content-Length is not a number.", status=400, content_type="text/plain")
    if length > REPORT_MAX_BYTES:
        return HttpResponse(f"A report is at most {REPORT_MAX_BYTES} bytes.", status=413, content_type="text/plain")
    if not ratelimit.allow("csp-report", client_ip(request), limit=settings.CSP_REPORT_RATE_LIMIT, window=60):
        return HttpResponse("Too many reports from this address; try again in a minute.", status=429,
                            content_type="text/plain")
    body = request.read(REPORT_MAX_BYTES)  # Django reads no further than Content-Length
    try:
        reports = parse_reports(body)
    except ValueError as error:
        return HttpResponse(f"Not a Content-Security-Policy report: {error}", status=400, content_type="text/plain")
    for report in reports:
        log.warning("Content-Security-Policy violation: %s", json.dumps(report, sort_keys=True))
    return HttpResponse(status=204)


def parse_reports(body: bytes) -> list[dict[str, str]]:
    """The violations in a report-uri body (``{"csp-report": {...}}``) or a report-to
    body (``[{"type": "csp-violation", "body": {...}}, ...]``), each reduced to the
    fields worth logging, shortened."""
    try:
        data = json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise ValueError("the body is not JSON.") from None
    if isinstance(data, dict) and isinstance(data.get("csp-report"), dict):
        found = [(data["csp-report"], list(REPORT_FIELDS))]
    elif isinstance(data, list) and data and all(isinstance(item, dict) for item in data):
        found = [
            (item["body"], list(REPORT_FIELDS.values()))
            for item in data
            if item.get("type") == "csp-violation" and isinstance(item.get("body"), dict)
        ]
        if not found:
            raise ValueError("no csp-violation reports in the list.")
    else:
        raise ValueError('expected {"csp-report": {...}} or a list of reports.')
    return [
        {name: str(violation[key])[:LOGGED_FIELD_CHARS] for name, key in zip(REPORT_FIELDS, keys) if key in violation}
        for violation, keys in found
    ]
