from django import forms
from django.contrib import admin, messages
from django.db import models
from simple_history.admin import SimpleHistoryAdmin

from . import services
from .models import Article, Category


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "position"]
    list_editable = ["position"]
    search_fields = ["name", "description"]
    prepopulated_fields = {"slug": ("name",)}


@admin.register(Article)
class ArticleAdmin(SimpleHistoryAdmin):
    list_display = ["title", "category", "author", "status", "publish_at", "updated_on"]
    list_filter = ["status", "category", "author", "comments_open"]
    search_fields = ["title", "slug", "summary"]
    date_hierarchy = "publish_at"
    prepopulated_fields = {"slug": ("title",)}
    autocomplete_fields = ["category", "author", "reviewer"]
    list_select_related = ["category", "author"]
    history_list_display = ["status", "updated_on"]
    actions = ["publish", "unpublish"]
    save_on_top = True
    formfield_overrides = {models.CharField: {"widget": forms.TextInput(attrs={"size": 80})}}
    fieldsets = [
        (None, {"fields": ["title", "slug", "category", "author", "reviewer", "summary", "body"]}),
        ("Featured image", {"fields": ["featured_image", "featured_image_alt"]}),
        ("Publishing", {"fields": ["status", "publish_at", "updated_on", "comments_open"]}),
        ("Advanced", {"classes": ["collapse"], "fields": ["seo_title", "seo_description"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).defer("body")

    @admin.action(description="Publish the selected articles", permissions=["change"])
    def publish(self, request, queryset):
        for article in queryset:
            services.article_publish(article=article)
        self.message_user(request, f"Published {len(queryset)} article(s).", messages.SUCCESS)

    @admin.action(description="Move the selected articles back to draft", permissions=["change"])
    def unpublish(self, request, queryset):
        for article in queryset:
            services.article_unpublish(article=article)
        self.message_user(request, f"{len(queryset)} article(s) are drafts again.", messages.SUCCESS)
