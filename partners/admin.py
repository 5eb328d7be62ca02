from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.text import Truncator

from core.admin import ViewOnSiteURL
from core.csv import csv_response

from . import charts
from .models import AdPlacement, AffiliatePartner, LinkClick, PartnerLink
from .report import MAX_DAYS, TABLE_ROWS, PeriodForm

URL_FIELDS = {models.URLField: {"assume_scheme": "https"}}


class DeadOffersLine:
    """The changelist says how many active links lead to a dead offer, linking to them
    (admin/partners/dead_offers_change_list.html)."""

    change_list_template = "admin/partners/dead_offers_change_list.html"

    def changelist_view(self, request, extra_context=None):
        context = {"dead_offers": PartnerLink.objects.dead().count(), **(extra_context or {})}
        return super().changelist_view(request, context)


class DeadOfferFilter(admin.SimpleListFilter):
    """The links ``check_offers`` last found dead, among those readers can reach."""

    title = "dead offer"
    parameter_name = "dead"

    def lookups(self, request, model_admin):
        return [("yes", "Dead offers")]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.dead()
        return queryset


@admin.display(description="Copy this into an article")
def go_address(link):
    return link.get_absolute_url() if link.pk and link.slug else "Save the link to get its address."


class PartnerLinkInline(admin.TabularInline):
    model = PartnerLink
    fields = ["name", "slug", "destination", "is_active", go_address, "is_dead"]
    readonly_fields = [go_address, "is_dead"]
    prepopulated_fields = {"slug": ("name",)}
    formfield_overrides = URL_FIELDS
    extra = 0
    show_change_link = True

    def get_queryset(self, request):
        # Each row prints the link, whose name includes its partner's.
        return super().get_queryset(request).select_related("partner")


@admin.register(AffiliatePartner)
class AffiliatePartnerAdmin(DeadOffersLine, ViewOnSiteURL, admin.ModelAdmin):
    formfield_overrides = URL_FIELDS
    list_display = ["name", "website", "partner_since", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["name", "website", "domains", "description"]
    prepopulated_fields = {"slug": ("name",)}
    date_hierarchy = "partner_since"
    inlines = [PartnerLinkInline]


@admin.register(PartnerLink)
class PartnerLinkAdmin(DeadOffersLine, ViewOnSiteURL, admin.ModelAdmin):
    formfield_overrides = URL_FIELDS
    list_display = ["name", "partner", go_address, "destination_shown", "is_active", "is_dead", "checked_at"]
    list_filter = ["partner", "is_active", DeadOfferFilter]
    list_select_related = ["partner"]
    search_fields = ["name", "slug", "destination", "notes", "partner__name"]
    prepopulated_fields = {"slug": ("name",)}
    autocomplete_fields = ["partner"]
    readonly_fields = [go_address, "is_dead", "check_result", "checked_at"]
    fieldsets = [
        (None, {"fields": ["partner", "name", "slug", go_address, "destination", "is_active", "notes"]}),
        ("Last check of the offer", {
            "fields": ["is_dead", "check_result", "checked_at"],
            "description": "The check_offers command visits every active link's destination and notes what it found.",
        }),
    ]

    @admin.display(description="destination", ordering="destination")
    def destination_shown(self, link):
        # Tracking addresses are long and never wrap: the check's columns would leave the screen.
        return Truncator(link.destination).chars(60)


@admin.register(AdPlacement)
class AdPlacementAdmin(admin.ModelAdmin):
    list_display = ["name", "position", "number", "category", "kind", "is_active"]
    list_filter = ["position", "kind", "is_active", "category"]
    list_select_related = ["category"]
    search_fields = ["name", "headline", "text", "network_slot"]
    autocomplete_fields = ["category"]
    fieldsets = [
        (None, {"fields": ["name", "kind", "is_active"]}),
        ("Where", {"fields": ["position", "number", "category"]}),
        ("House ad", {
            "fields": ["headline", "text", "image", "image_alt", "link", "link_label"],
            "description": "Fill these in for a house ad: our own image or headline, and where it leads.",
        }),
        ("Network slot", {
            "fields": ["network_slot", "height"],
            "description": "Fill these in for an ad network's slot.",
        }),
    ]


@admin.register(LinkClick)
class LinkClickAdmin(admin.ModelAdmin):
    """Clicks are counted by /go/, never entered or edited: the list is the click report."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_urls(self):
        csv_view = self.admin_site.admin_view(self.csv_view)
        return [path("csv/", csv_view, name="partners_linkclick_csv"), *super().get_urls()]

    def changelist_view(self, request, extra_context=None):
        """The report for the period and filters in the query string (the last 30 days
        of all links by default); a period that is not one shows why, above the form."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        form = PeriodForm.from_query(request.GET)
        context = {
            **self.admin_site.each_context(request), "opts": self.model._meta, "title": "Affiliate link clicks",
            "form": form, "max_days": MAX_DAYS, **(extra_context or {}),
        }
        if form.is_valid():
            report = form.report()
            per_day = report.per_day()
            per_link, per_article = report.per_link(), report.per_article()
            context.update({
                "report": report, "total": report.total(), "per_day": per_day,
                "chart": charts.daily_clicks_chart(per_day), "table_rows": TABLE_ROWS,
                "per_link": per_link[:TABLE_ROWS], "more_links": len(per_link) > TABLE_ROWS,
                "per_article": per_article[:TABLE_ROWS], "more_articles": len(per_article) > TABLE_ROWS,
                "query": form.query_string(),
            })
        return TemplateResponse(request, "admin/partners/linkclick/report.html", context)

    def csv_view(self, request):
        """Every row of the report's period and filters as CSV, streamed."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        form = PeriodForm.from_query(request.GET)
        if not form.is_valid():
            # The report page shows what is wrong with the period.
            return HttpResponseRedirect(f"{reverse('admin:partners_linkclick_changelist')}?{request.GET.urlencode()}")
        report = form.report()
        return csv_response(report.csv_lines(), report.csv_filename())
