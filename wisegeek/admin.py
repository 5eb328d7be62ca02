from django import forms
from django.contrib import admin
from django.db import models
from django.contrib.flatpages.admin import FlatPageAdmin as DjangoFlatPageAdmin
from django.contrib.flatpages.forms import FlatpageForm
from django.contrib.flatpages.models import FlatPage
from django_ckeditor_5.widgets import CKEditor5Widget

from .models import AffiliatePartner


@admin.register(AffiliatePartner)
class AffiliatePartnerAdmin(admin.ModelAdmin):
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_display = ["name", "website", "partner_since", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["name", "website", "domains", "description"]
    prepopulated_fields = {"slug": ("name",)}
    date_hierarchy = "partner_since"


class PolicyPageForm(FlatpageForm):
    content = forms.CharField(widget=CKEditor5Widget(), required=False)


admin.site.unregister(FlatPage)


@admin.register(FlatPage)
class PolicyPageAdmin(DjangoFlatPageAdmin):
    """Policy pages (About, Editorial Process, …) are flat pages with the rich-text editor."""

    form = PolicyPageForm
    list_display = ["url", "title"]
    search_fields = ["url", "title", "content"]
    fieldsets = [
        (None, {"fields": ["url", "title", "content", "sites"]}),
        ("Advanced", {"classes": ["collapse"], "fields": ["template_name"]}),
    ]
