from django.contrib import admin
from django.db import models

from .models import Author


@admin.register(Author)
class AuthorAdmin(admin.ModelAdmin):
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_display = ["name", "credentials", "user", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["name", "credentials", "short_bio"]
    prepopulated_fields = {"slug": ("name",)}
    autocomplete_fields = ["user"]
    list_select_related = ["user"]
    fieldsets = [
        (None, {"fields": ["name", "slug", "credentials", "photo", "short_bio", "bio"]}),
        ("Links and account", {"fields": ["website", "social_links", "user", "is_active"]}),
    ]
