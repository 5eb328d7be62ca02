from django.contrib import admin
from django.db import models
from django.urls import reverse

from core.admin import ViewOnSiteURL

from .models import Author


@admin.register(Author)
class AuthorAdmin(ViewOnSiteURL, admin.ModelAdmin):
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_display = ["name", "credentials", "user", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["name", "credentials", "expertise", "short_bio"]
    prepopulated_fields = {"slug": ("name",)}
    autocomplete_fields = ["user"]
    list_select_related = ["user"]
    fieldsets = [
        (None, {"fields": ["name", "slug", "credentials", "expertise", "photo", "photo_alt", "short_bio", "bio"]}),
        ("Links and account", {"fields": ["website", "social_links", "user", "is_active"]}),
    ]

    def get_readonly_fields(self, request, obj=None):
        # The account an author is tied to decides whose articles a writer may change
        # (articles.permissions.is_own): only superusers hand that out.
        readonly = list(super().get_readonly_fields(request, obj))
        return readonly if request.user.is_superuser else [*readonly, "user"]

    def get_search_results(self, request, queryset, search_term):
        queryset, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        if request.path == reverse("admin:autocomplete"):
            # Picking an author or reviewer for an article: inactive authors are not offered.
            queryset = queryset.filter(is_active=True)
        return queryset, may_have_duplicates
