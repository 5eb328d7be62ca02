from django.contrib import admin
from django.db import models

from core.admin import ViewOnSiteURL

from .models import AffiliatePartner


@admin.register(AffiliatePartner)
class AffiliatePartnerAdmin(ViewOnSiteURL, admin.ModelAdmin):
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_display = ["name", "website", "partner_since", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["name", "website", "domains", "description"]
    prepopulated_fields = {"slug": ("name",)}
    date_hierarchy = "partner_since"
