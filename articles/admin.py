from django import forms
from django.contrib import admin, messages
from django.contrib.flatpages.admin import FlatPageAdmin
from django.contrib.flatpages.forms import FlatpageForm
from django.contrib.flatpages.models import FlatPage
from django.db import models
from django_ckeditor_5.widgets import CKEditor5Widget
from simple_history.admin import SimpleHistoryAdmin

from core.admin import ViewOnSiteURL
from core.models import SiteTexts

from . import services
from .forms import ArticleAdminForm, needs_affiliate_disclosure
from .models import Article, BlockedTerm, Category, Comment


@admin.register(Category)
class CategoryAdmin(ViewOnSiteURL, admin.ModelAdmin):
    list_display = ["name", "slug", "medical", "position"]
    list_editable = ["position"]
    search_fields = ["name", "description"]
    prepopulated_fields = {"slug": ("name",)}


class CommentInline(admin.TabularInline):
    model = Comment
    fields = ["name", "body", "status", "created"]
    readonly_fields = ["name", "body", "created"]
    extra = 0
    can_delete = False
    show_change_link = True
    ordering = ["-created"]

    def has_add_permission(self, request, obj=None):
        return False


class ReviewFilter(admin.SimpleListFilter):
    title = "review"
    parameter_name = "review"

    def lookups(self, request, model_admin):
        return [("due", "Due for review")]

    def queryset(self, request, queryset):
        if self.value() == "due":
            return queryset.due_for_review()
        return queryset


@admin.register(Article)
class ArticleAdmin(ViewOnSiteURL, SimpleHistoryAdmin):
    form = ArticleAdminForm
    list_display = ["title", "category", "author", "status", "publish_at", "updated_on", "last_reviewed"]
    list_filter = ["status", ReviewFilter, "category", "author", "comments_open"]
    search_fields = ["title", "slug", "summary"]
    date_hierarchy = "publish_at"
    prepopulated_fields = {"slug": ("title",)}
    autocomplete_fields = ["category", "author", "reviewer", "related_articles"]
    list_select_related = ["category", "author"]
    history_list_display = ["status", "updated_on"]
    actions = ["publish", "unpublish"]
    save_on_top = True
    inlines = [CommentInline]
    formfield_overrides = {models.CharField: {"widget": forms.TextInput(attrs={"size": 80})}}
    fieldsets = [
        (None, {"fields": ["title", "slug", "category", "author", "summary", "body"]}),
        ("Featured image", {"fields": ["featured_image", "featured_image_alt"]}),
        ("Review", {"fields": ["reviewer", "last_reviewed"]}),
        ("Publishing", {"fields": ["status", "publish_at", "updated_on", "comments_open"]}),
        ("Money", {"fields": ["show_ads", "affiliate_disclosure"]}),
        ("Related articles", {"fields": ["related_articles"]}),
        ("Advanced", {"classes": ["collapse"], "fields": ["seo_title", "seo_description"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).defer("body")

    @admin.action(description="Publish the selected articles", permissions=["change"])
    def publish(self, request, queryset):
        published, refused = 0, []
        for article in queryset.defer(None):
            # The rule the change form applies: no affiliate links without a disclosure.
            if article.status != Article.Status.PUBLISHED and needs_affiliate_disclosure(
                body=article.body, disclosure=article.affiliate_disclosure
            ):
                refused.append(article.title)
                continue
            services.article_publish(article=article)
            published += 1
        if published or not refused:
            self.message_user(request, f"Published {published} article(s).", messages.SUCCESS)
        if refused:
            titles = ", ".join(f"“{title}”" for title in refused)
            standard = SiteTexts.objects.current().article_disclosure_text
            self.message_user(
                request,
                f"Not published, because they have affiliate links and no disclosure: {titles}. "
                f"Add one on each article; the site's standard wording is: “{standard}”",
                messages.ERROR,
            )

    @admin.action(description="Move the selected articles back to draft", permissions=["change"])
    def unpublish(self, request, queryset):
        for article in queryset:
            services.article_unpublish(article=article)
        self.message_user(request, f"{len(queryset)} article(s) are drafts again.", messages.SUCCESS)


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    """The moderation queue: newest first, filter by status, act in bulk."""

    list_display = ["excerpt", "name", "email", "article", "status", "created", "ip_address"]
    list_filter = ["status", ("article", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["name", "email", "body", "ip_address"]
    date_hierarchy = "created"
    list_select_related = ["article"]
    list_per_page = 50
    raw_id_fields = ["article", "parent"]
    readonly_fields = ["created", "ip_address", "user_agent"]
    fields = ["article", "parent", "name", "email", "body", "status", "created", "ip_address", "user_agent"]
    actions = ["approve", "mark_spam", "remove"]

    @admin.display(description="comment")
    def excerpt(self, comment):
        return comment.body if len(comment.body) <= 90 else comment.body[:87] + "…"

    def _moderate(self, request, queryset, status, verb):
        changed = services.comments_moderate(comments=queryset, status=status)
        self.message_user(request, f"{verb} {changed} comment(s).", messages.SUCCESS)

    @admin.action(description="Approve the selected comments", permissions=["change"])
    def approve(self, request, queryset):
        self._moderate(request, queryset, Comment.Status.APPROVED, "Approved")

    @admin.action(description="Mark the selected comments as spam", permissions=["change"])
    def mark_spam(self, request, queryset):
        self._moderate(request, queryset, Comment.Status.SPAM, "Marked as spam:")

    @admin.action(description="Remove the selected comments", permissions=["change"])
    def remove(self, request, queryset):
        self._moderate(request, queryset, Comment.Status.REMOVED, "Removed")


@admin.register(BlockedTerm)
class BlockedTermAdmin(admin.ModelAdmin):
    list_display = ["value", "kind", "note", "created"]
    list_filter = ["kind"]
    search_fields = ["value", "note"]


class PolicyPageForm(FlatpageForm):
    content = forms.CharField(widget=CKEditor5Widget(), required=False)


admin.site.unregister(FlatPage)


@admin.register(FlatPage)
class PolicyPageAdmin(ViewOnSiteURL, SimpleHistoryAdmin, FlatPageAdmin):
    """Policy pages (About, Editorial Process, …) are flat pages with the rich-text editor;
    every save is kept (core's HistoricalFlatPage) and listed under "History"."""

    form = PolicyPageForm
    list_display = ["url", "title"]
    search_fields = ["url", "title", "content"]
    fieldsets = [
        (None, {"fields": ["url", "title", "content", "sites"]}),
        ("Advanced", {"classes": ["collapse"], "fields": ["template_name"]}),
    ]
