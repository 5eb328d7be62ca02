from django import forms
from django.contrib import admin, messages
from django.contrib.flatpages.admin import FlatPageAdmin
from django.contrib.flatpages.forms import FlatpageForm
from django.contrib.flatpages.models import FlatPage
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.formats import date_format
from django.utils.html import format_html
from django.views.decorators.http import require_POST
from django_ckeditor_5.widgets import CKEditor5Widget
from simple_history.admin import SimpleHistoryAdmin

from core.admin import ViewOnSiteURL
from core.site import absolute_url
from core.models import SiteTexts

from . import permissions, previews, services
from .admin_history import HistoryCompareMixin
from .forms import ArticleAdminForm, needs_affiliate_disclosure
from .models import Article, ArticleUpdate, BlockedTerm, Category, Comment, TrustedCommenter
from .views import article_preview


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


class StateFilter(admin.SimpleListFilter):
    title = "state"
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return Article.State.choices

    def queryset(self, request, queryset):
        if self.value() in Article.State.values:
            return queryset.in_state(self.value())
        return queryset


class ReviewFilter(admin.SimpleListFilter):
    title = "review"
    parameter_name = "review"

    def lookups(self, request, model_admin):
        return [("due", "Due for review")]

    def queryset(self, request, queryset):
        if self.value() == "due":
            return queryset.due_for_review()
        return queryset


NEEDED = {"category": "a category", "author": "an author", "summary": "a summary"}


def human_list(names: list[str]) -> str:
    """["category", "summary"] → "a category and a summary"."""
    words = [NEEDED[name] for name in names]
    return " and ".join(filter(None, [", ".join(words[:-1]), words[-1]])) if words else ""


def quoted(titles: list[str]) -> str:
    return ", ".join(f"“{title}”" for title in titles)


@admin.register(Article)
class ArticleAdmin(ViewOnSiteURL, HistoryCompareMixin, SimpleHistoryAdmin):
    form = ArticleAdminForm
    list_display = [
        "title", "state", "category", "author", "publish_at", "updated_on", "last_reviewed", "pending_comments",
    ]
    list_filter = [StateFilter, ReviewFilter, "category", "author", "comments_open"]
    search_fields = ["title", "slug", "summary"]
    date_hierarchy = "publish_at"
    prepopulated_fields = {"slug": ("title",)}
    autocomplete_fields = ["category", "author", "reviewer", "featured_from_library", "related_articles"]
    list_select_related = ["category", "author"]
    history_list_display = ["status", "updated_on"]
    actions = ["submit_for_review", "publish", "unpublish"]
    save_on_top = True
    inlines = [CommentInline]
    formfield_overrides = {models.CharField: {"widget": forms.TextInput(attrs={"size": 80})}}
    fieldsets = [
        (None, {"fields": ["title", "slug", "category", "author", "summary", "body"]}),
        ("Featured image", {"fields": ["featured_image", "featured_from_library", "featured_image_alt"]}),
        ("Review", {"fields": ["reviewer", "last_reviewed"]}),
        ("Publishing", {"fields": [
            "status", "publish_at", "updated_on", "substantive_update", "update_note", "comments_open",
        ]}),
        ("Money", {"fields": ["show_ads", "affiliate_disclosure"]}),
        ("Related articles", {"fields": ["related_articles"]}),
        ("Advanced", {"classes": ["collapse"], "fields": ["seo_title", "seo_description"]}),
        ("Save", {"fields": ["change_note", "loaded_version"]}),
    ]

    class Media:
        js = ["js/admin/article_editor.js"]
        css = {"all": ["css/admin/editor_content.css", "css/admin/article_admin.css"]}

    def get_queryset(self, request):
        pending = Count("comments", filter=Q(comments__status=Comment.Status.PENDING))
        return super().get_queryset(request).defer("body").annotate(pending_comment_count=pending)

    @admin.display(description="state", ordering="status")
    def state(self, article):
        return article.state_label

    @admin.display(description="pending comments", ordering="pending_comment_count")
    def pending_comments(self, article):
        count = article.pending_comment_count
        if not count:
            return "—"
        url = reverse("admin:articles_comment_changelist") + f"?status=pending&article__id__exact={article.pk}"
        return format_html('<a href="{}">{}</a>', url, count)

    # --- Roles: what a writer may do is narrower than the model permissions say.

    def has_publish_permission(self, request):
        return permissions.can_publish(request.user)

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or permissions.can_edit(request.user, obj))

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or permissions.can_edit(request.user, obj))

    def get_readonly_fields(self, request, obj=None):
        readonly = ["updated_on"]
        if not permissions.can_publish(request.user):
            readonly.append("publish_at")  # scheduling is publishing
        return readonly

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        form.user = request.user  # a class made for this request
        return form

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        substantive = form.cleaned_data.get("substantive_update")
        stored = form.stored()
        if stored is not None and stored.has_been_public:
            # Restoring an older version brings back its text, not an older "Updated:".
            obj.updated_on = max(obj.updated_on, stored.updated_on)
        if substantive:
            obj.updated_on = timezone.localdate()
        obj._change_reason = form.cleaned_data.get("change_note", "").strip() or self.default_change_note(form, change)
        super().save_model(request, obj, form, change)
        if substantive:
            services.article_record_update(
                article=obj, note=form.cleaned_data["update_note"].strip(), user=request.user
            )

    @staticmethod
    def default_change_note(form, change) -> str:
        if not change:
            return "Created"
        if "status" in form.changed_data:
            return {
                Article.Status.DRAFT: "Moved back to draft",
                Article.Status.REVIEW: "Submitted for review",
                Article.Status.PUBLISHED: "Scheduled" if form.instance.state == Article.State.SCHEDULED else "Published",
            }[form.instance.status]
        if form.cleaned_data.get("substantive_update"):
            return "Substantive update"
        return "Edited"

    # --- Previews: as readers will see it, for staff, and by a signed link for anyone.

    def get_urls(self):
        own = [
            path("<path:object_id>/preview/", self.admin_site.admin_view(self.preview_view),
                 name="articles_article_preview"),
            path("<path:object_id>/share-preview/", self.admin_site.admin_view(self.share_preview_view),
                 name="articles_article_share_preview"),
            path("<path:object_id>/revoke-previews/", self.admin_site.admin_view(self.revoke_previews_view),
                 name="articles_article_revoke_previews"),
        ]
        return own + super().get_urls()

    def _viewable(self, request, object_id) -> Article:
        article = self.get_object(request, unquote(object_id))
        if article is None:
            raise Http404("No such article.")
        if not self.has_view_or_change_permission(request, article):
            raise PermissionDenied
        return article

    def preview_view(self, request, object_id):
        article = self._viewable(request, object_id)
        if article.missing_for_review:
            return TemplateResponse(request, "admin/articles/article/preview_incomplete.html", {
                **self.admin_site.each_context(request), "opts": self.opts, "original": article,
                "title": f"Preview of “{article}”", "missing": human_list(article.missing_for_review),
            })
        return article_preview(request, article)

    @method_decorator(require_POST)
    def share_preview_view(self, request, object_id):
        article = self._viewable(request, object_id)
        link = absolute_url(previews.share_url(article))
        until = timezone.localtime(timezone.now() + previews.max_age())
        self.message_user(
            request,
            format_html(
                "Anyone with this link can read the article as it is now, without signing in, "
                "until {}: <a href=\"{}\">{}</a>. “Revoke shared previews” ends every link at once.",
                date_format(until, "F j, Y, H:i"), link, link,
            ),
            messages.SUCCESS,
        )
        return redirect("admin:articles_article_change", article.pk)

    @method_decorator(require_POST)
    def revoke_previews_view(self, request, object_id):
        article = self._viewable(request, object_id)
        previews.revoke(article)
        self.message_user(request, "Every shared preview link of this article has stopped working.", messages.SUCCESS)
        return redirect("admin:articles_article_change", article.pk)

    # --- Bulk actions, limited by role.

    @admin.action(description="Submit the selected drafts for review", permissions=["change"])
    def submit_for_review(self, request, queryset):
        submitted, incomplete = 0, []
        for article in queryset.defer(None).filter(status=Article.Status.DRAFT):
            if not permissions.can_edit(request.user, article):
                continue
            if article.missing_for_review:
                incomplete.append(article.title)
                continue
            services.article_submit(article=article, user=request.user)
            submitted += 1
        self.message_user(request, f"Submitted {submitted} article(s) for review.", messages.SUCCESS)
        if incomplete:
            self.message_user(
                request, f"Not submitted, because they lack a category, author or summary: {quoted(incomplete)}.",
                messages.ERROR,
            )

    @admin.action(description="Publish the selected articles", permissions=["publish"])
    def publish(self, request, queryset):
        published, incomplete, undisclosed = 0, [], []
        for article in queryset.defer(None):
            # The rules the change form applies: complete, and no affiliate links without a disclosure.
            if article.status != Article.Status.PUBLISHED:
                if article.missing_for_review:
                    incomplete.append(article.title)
                    continue
                if needs_affiliate_disclosure(body=article.body, disclosure=article.affiliate_disclosure):
                    undisclosed.append(article.title)
                    continue
            services.article_publish(article=article, user=request.user)
            published += 1
        if published or not (incomplete or undisclosed):
            self.message_user(request, f"Published {published} article(s).", messages.SUCCESS)
        if incomplete:
            self.message_user(
                request, f"Not published, because they lack a category, author or summary: {quoted(incomplete)}.",
                messages.ERROR,
            )
        if undisclosed:
            standard = SiteTexts.objects.current().article_disclosure_text
            self.message_user(
                request,
                f"Not published, because they have affiliate links and no disclosure: {quoted(undisclosed)}. "
                f"Add one on each article; the site's standard wording is: “{standard}”",
                messages.ERROR,
            )

    @admin.action(description="Move the selected articles back to draft", permissions=["publish"])
    def unpublish(self, request, queryset):
        for article in queryset:
            services.article_unpublish(article=article, user=request.user)
        self.message_user(request, f"{len(queryset)} article(s) are drafts again.", messages.SUCCESS)


@admin.register(ArticleUpdate)
class ArticleUpdateAdmin(admin.ModelAdmin):
    """The notes readers see under "Article history": editors may correct their wording."""

    list_display = ["note", "article", "updated_on", "created_by", "created"]
    search_fields = ["note", "article__title"]
    autocomplete_fields = ["article"]
    readonly_fields = ["created", "created_by"]
    date_hierarchy = "created"


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
    actions = ["approve", "mark_spam", "remove", "trust_commenters"]

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

    @admin.action(description="Trust the writers of the selected comments", permissions=["trust"])
    def trust_commenters(self, request, queryset):
        added = services.commenters_trust(emails=queryset.values_list("email", flat=True), user=request.user)
        self.message_user(
            request,
            f"Trusted {added} more address(es). Their next comments appear once the writer "
            "follows the link we email to the address.",
            messages.SUCCESS,
        )

    def has_trust_permission(self, request):
        return request.user.has_perm("articles.add_trustedcommenter")


@admin.register(TrustedCommenter)
class TrustedCommenterAdmin(admin.ModelAdmin):
    """Addresses whose comments skip moderation once their writer proves the address
    (a link emailed to it). Removing one sends its comments to moderation again."""

    list_display = ["email", "note", "added_by", "created"]
    search_fields = ["email", "note"]
    readonly_fields = ["added_by", "created"]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.added_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(BlockedTerm)
class BlockedTermAdmin(admin.ModelAdmin):
    list_display = ["value", "kind", "note", "created"]
    list_filter = ["kind"]
    search_fields = ["value", "note"]


class PolicyPageForm(FlatpageForm):
    content = forms.CharField(widget=CKEditor5Widget(), required=False)

    def clean_url(self):
        url = super().clean_url()
        # Browsers read an address starting with // as another site's ("View on site").
        if "//" in url:
            raise forms.ValidationError("Use single slashes, as in /about/: two in a row make a link to another site.")
        return url


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
