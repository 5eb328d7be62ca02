from csp.decorators import csp, csp_exempt
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path
from django.views.decorators.clickjacking import xframe_options_sameorigin

from core.csv import csv_lines, csv_response

from . import charts, emails, services
from .models import Digest, Subscriber

EXPORT_COLUMNS = [
    "email", "status", "created", "confirmed_at", "unsubscribed_at",
    "consent_at", "consent_ip", "consent_text_version", "signup_form",
]

# The policy of the digest's email in the preview. The email is its own document, framed
# by the preview page: mail programs need its style= attributes, which the admin's policy
# refuses, so this one allows inline styles and nothing else that runs. It is sandboxed
# (a unique origin: no scripts, forms, pop-ups or cookies), loads images only from where
# the admin does, and only the site's own pages may frame it.
EMAIL_PREVIEW_POLICY = {
    "default-src": ["'none'"],
    "style-src": ["'unsafe-inline'"],
    "img-src": settings.CONTENT_SECURITY_POLICY_ADMIN["DIRECTIVES"]["img-src"],
    "base-uri": ["'none'"],
    "form-action": ["'none'"],
    "frame-ancestors": ["'self'"],
    "sandbox": [],
}


@admin.register(Subscriber)
class SubscriberAdmin(admin.ModelAdmin):
    list_display = ["email", "status", "created", "confirmed_at", "signup_form"]
    list_filter = ["status", "signup_form"]
    search_fields = ["email"]
    date_hierarchy = "created"
    list_per_page = 100
    readonly_fields = [
        "created", "confirmed_at", "unsubscribed_at", "confirmation_sent_at",
        "consent_at", "consent_ip", "consent_text_version", "signup_form",
    ]
    fieldsets = [
        (None, {"fields": ["email", "status", "created", "confirmed_at", "unsubscribed_at",
                           "confirmation_sent_at"]}),
        ("Consent record", {"fields": ["consent_at", "consent_ip", "consent_text_version", "signup_form"]}),
    ]
    actions = ["export_csv", "resend_confirmation", "unsubscribe"]

    def changelist_view(self, request, extra_context=None):
        return super().changelist_view(request, {"chart": charts.weekly_chart(), **(extra_context or {})})

    @admin.action(description="Export the selected subscribers as CSV", permissions=["view"])
    def export_csv(self, request, queryset):
        rows = (
            [getattr(subscriber, column) for column in EXPORT_COLUMNS]
            for subscriber in queryset.order_by("pk").iterator(chunk_size=2000)
        )
        return csv_response(csv_lines(EXPORT_COLUMNS, rows), "subscribers.csv")

    @admin.action(description="Send the confirmation email again", permissions=["change"])
    def resend_confirmation(self, request, queryset):
        queued = sum(services.confirmation_request(subscriber=s) for s in queryset.filter(status="pending"))
        self.message_user(request, f"Queued {queued} confirmation email(s). Only subscribers waiting "
                                   "for confirmation get one, at most a few a day.", messages.SUCCESS)

    @admin.action(description="Unsubscribe the selected subscribers", permissions=["change"])
    def unsubscribe(self, request, queryset):
        for subscriber in queryset:
            services.subscriber_unsubscribe(subscriber=subscriber)
        self.message_user(request, f"Unsubscribed {queryset.count()} subscriber(s).", messages.SUCCESS)


@admin.register(Digest)
class DigestAdmin(admin.ModelAdmin):
    list_display = ["day", "subject", "state", "article_count", "delivery_count", "sent_at"]
    list_filter = ["state"]
    date_hierarchy = "day"
    search_fields = ["subject"]
    filter_horizontal = ["articles"]
    readonly_fields = ["subject", "covers_until", "state", "sent_at", "delivery_count"]
    actions = ["send_test"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(
            _articles=Count("articles", distinct=True), _deliveries=Count("deliveries", distinct=True)
        )

    @admin.display(description="articles", ordering="_articles")
    def article_count(self, digest):
        return digest._articles

    @admin.display(description="delivered to", ordering="_deliveries")
    def delivery_count(self, digest):
        return digest._deliveries

    def get_urls(self):
        preview = self.admin_site.admin_view(self.preview_view)
        # The enforced policy is the email's own in either mode: the admin's report-only
        # policy would report every style= attribute in it.
        email = self.admin_site.admin_view(
            csp_exempt(REPORT_ONLY=True)(csp(EMAIL_PREVIEW_POLICY)(xframe_options_sameorigin(self.preview_email_view)))
        )
        return [
            path("<int:pk>/preview/", preview, name="newsletter_digest_preview"),
            path("<int:pk>/preview/email/", email, name="newsletter_digest_preview_email"),
            *super().get_urls(),
        ]

    def preview_message(self, request, pk):
        """The digest's message as a subscriber would receive it, made out to the editor
        (who needs permission to view digests: it shows unsent work)."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        digest = get_object_or_404(Digest, pk=pk)
        sample = Subscriber(pk=0, email=request.user.email or "preview@example.com")
        return digest, emails.DigestRenderer(digest).message(sample)

    def preview_view(self, request, pk):
        """The digest's subject and headers, and its email in a frame (preview_email_view)."""
        digest, message = self.preview_message(request, pk)
        return TemplateResponse(request, "admin/newsletter/digest/preview.html", {
            **self.admin_site.each_context(request), "digest": digest, "message": message,
            "title": f"Preview: {message.subject}", "opts": self.model._meta,
            "list_unsubscribe": message.extra_headers["List-Unsubscribe"],
        })

    def preview_email_view(self, request, pk):
        """The digest's HTML part exactly as a subscriber would receive it, under
        EMAIL_PREVIEW_POLICY."""
        _digest, message = self.preview_message(request, pk)
        return HttpResponse(message.alternatives[0][0], content_type="text/html; charset=utf-8")

    @admin.action(description="Send a test of the selected digest to yourself", permissions=["view"])
    def send_test(self, request, queryset):
        if not request.user.email:
            self.message_user(request, "Your account has no email address; add one first.", messages.ERROR)
            return
        for digest in queryset:
            sample = Subscriber(pk=0, email=request.user.email)
            try:
                emails.DigestRenderer(digest).message(sample).send()
            except OSError as error:
                self.message_user(request, f"The mail server refused: {error}", messages.ERROR)
                return
        self.message_user(request, f"Sent {queryset.count()} test email(s) to {request.user.email}.",
                          messages.SUCCESS)
