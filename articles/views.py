from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from core import ratelimit
from core.html import render_rich_text
from core.net import client_ip
from core.origin import same_origin_post
from core.pagecache import public_page, staff_user
from core.site import absolute_url, canonical_url
from core.views import PaginatedListView
from images.html import image_names_in, responsive_images, social_image
from images.models import Image
from images.services import editor_upload
from core.models import SiteTexts
from partners.ads import NO_ADS, listing_ad, page_ads, render_ad
from partners.clicks import source_token
from partners.html import mark_affiliate_links, with_disclosure_and_ad
from partners.models import AffiliatePartner

from . import commenters, permissions, previews, services, structured_data
from .forms import CommentForm, new_comment_token
from .models import Article, Category, Comment
from .search import attach_snippets

# After posting, the reader is sent to the article with ?comment=<signed id>: that page
# (never cached, never shared) shows their comment and whether it waits for moderation.
# The article's own address stays the same for everyone, and no cookie is needed.
MY_COMMENT_SALT = "articles.my-comment"
MY_COMMENT_MAX_AGE = 24 * 3600

MAX_QUERY_LENGTH = 100


@require_safe
@public_page
def home(request):
    per_category = settings.HOME_ARTICLES_PER_CATEGORY
    lead = Article.objects.published().for_listing().first()
    sections: dict[Category, list[Article]] = {}
    rest = Article.objects.exclude(pk=lead.pk) if lead else Article.objects.all()
    for article in rest.latest_per_category(per_category):
        sections.setdefault(article.category, []).append(article)
    cards = [article for articles in sections.values() for article in articles]
    images = Image.objects.by_name(article.featured_image.name for article in [lead, *cards] if article)
    return render(request, "articles/home.html", {
        "lead": lead, "sections": sections.items(), "images": images,
        "structured_data": structured_data.home_page(),
    })


@require_safe
def article_detail(request, slug):
    """An article at /<slug>.htm. Staff who may view articles also see drafts and
    scheduled articles there (a preview, never cached)."""
    user = staff_user(request)
    visible = Article.objects.all() if user and permissions.can_preview(user) else Article.objects.published()
    article = (
        visible.select_related("category", "author", "reviewer").with_update_flag().filter(slug=slug).first()
    )
    if article is None:
        return redirect_from_old_slug(slug)
    # ?replyto=<id> (the "Reply" link) fills the form's hidden parent: no JavaScript needed.
    form = CommentForm(article=article, initial={"parent": as_int(request.GET.get("replyto"))})
    my_comment = my_comment_from(request, article)
    response = render_article(request, article, comment_form=form, my_comment=my_comment)
    if article.is_public and my_comment is None:
        response.public_page = True  # the same for every anonymous reader
    return response


def article_preview(request, article, *, shared_until=None):
    """``article`` exactly as readers will see it, whatever its state: for staff from
    admin's "Preview", and for anyone with a shared link (``shared_until``: its expiry).
    Nobody's cache keeps it, and search engines are told not to index it."""
    form = CommentForm(article=article)
    response = render_article(request, article, comment_form=form, preview=True, shared_until=shared_until)
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex"
    return response


@require_safe
def shared_preview(request, token):
    """A "Share preview" link: a tampered, expired or revoked one is a plain 404."""
    article = previews.article_for(token)
    if article is None or article.missing_for_review:
        raise Http404("This preview link is not valid: it may have expired or been revoked.")
    return article_preview(request, article, shared_until=previews.expires_at(token))


def render_article(request, article, *, comment_form, my_comment=None, status=200, preview=False,
                   shared_until=None):
    related = Article.objects.related_to(article)
    # Every image on the page in one query: featured, author's and reviewer's photos,
    # related, in the body.
    images = Image.objects.by_name([
        article.featured_image.name, article.author.photo.name,
        article.reviewer.photo.name if article.reviewer else None,
        *(other.featured_image.name for other in related), *image_names_in(article.body),
    ])
    ads = page_ads(category_id=article.category_id) if article.show_ads else NO_ADS
    # Sanitized again as it is shown (update() and fixtures skip save()); then affiliate
    # links are marked and get the disclosure above the first of them, uploaded images
    # become responsive pictures, and the in-article ad follows its paragraph.
    domains = AffiliatePartner.objects.link_domains()
    disclosure = render_to_string("partners/article_disclosure.html", {
        "text": article.affiliate_disclosure or SiteTexts.objects.current().article_disclosure_text,
    })
    body = render_rich_text(article.body, then=lambda html: with_disclosure_and_ad(
        responsive_images(mark_affiliate_links(html, domains, source=source_token(article)), images),
        disclosure=disclosure,
        ad=render_ad(ads.in_article, where="in-article"),
        ad_after=ads.in_article.number if ads.in_article else 0,
    ))
    comments = list(Comment.objects.for_article_page(article))
    reply_to = as_int(comment_form["parent"].value())
    replying_to = next((c for c in comments if c.pk == reply_to), None)
    if replying_to is None and not comment_form.is_bound:
        comment_form.initial["parent"] = None
    return render(
        request,
        "articles/article_detail.html",
        {
            "article": article,
            "body": body,
            "images": images,
            "related": related,
            "social_image": social_image(article.featured_image, images, alt=article.featured_image_alt),
            "structured_data": structured_data.article_page(article, images),
            "ad_below_article": render_ad(ads.below_article, where="below-article"),
            "is_preview": preview or not article.is_public,
            "shared_until": shared_until,
            "updates": public_updates(article),
            "current_category_id": article.category_id,
            "comment_count": len(comments),
            "comment_threads": comment_threads(comments),
            "my_comment": my_comment,
            "comment_form": comment_form,
            "comment_max_length": settings.COMMENT_MAX_LENGTH,
            "replying_to": replying_to,
        },
        status=status,
    )


def public_updates(article: Article) -> list:
    """The notes under "Article history": no query for the many articles without any
    when the article was read ``with_update_flag()``."""
    if not article.has_been_public or not getattr(article, "has_updates", True):
        return []
    return list(article.updates.all())


def my_comment_url(comment: Comment) -> str:
    token = signing.dumps(comment.pk, salt=MY_COMMENT_SALT)
    return f"{comment.article.get_absolute_url()}?comment={token}#comment-{comment.pk}"


def my_comment_from(request, article) -> Comment | None:
    """The comment the reader has just posted (``?comment=``), if the link is genuine."""
    token = request.GET.get("comment")
    if not token:
        return None
    try:
        pk = signing.loads(token, salt=MY_COMMENT_SALT, max_age=MY_COMMENT_MAX_AGE)
    except signing.BadSignature:
        return None
    return Comment.objects.filter(pk=pk, article=article).exclude(
        status__in=[Comment.Status.SPAM, Comment.Status.REMOVED]
    ).first()


def comment_threads(comments: list[Comment]) -> list[Comment]:
    """Top-level comments, each with ``.replies_shown``; a reply whose parent is not shown stands alone."""
    shown = {comment.pk for comment in comments}
    top = []
    for comment in comments:
        comment.replies_shown = []
    by_pk = {comment.pk: comment for comment in comments}
    for comment in comments:
        if comment.parent_id in shown:
            by_pk[comment.parent_id].replies_shown.append(comment)
        else:
            top.append(comment)
    return top


def as_int(value) -> int | None:
    try:
        return int(value) or None
    except (TypeError, ValueError):
        return None


@same_origin_post
@require_POST
def comment_post(request, slug):
    """A reader's comment. Success redirects to the article as its writer sees it;
    refusals re-show the article with the reader's text and a message (400, or 429
    when rate-limited). A post from another site is refused (403)."""
    article = get_object_or_404(
        Article.objects.published().select_related("category", "author", "reviewer"), slug=slug
    )
    form = CommentForm(request.POST, article=article)
    ip_address = client_ip(request)
    try:
        if not ratelimit.allow("comment", ip_address, limit=settings.COMMENT_RATE_LIMIT,
                               window=settings.COMMENT_RATE_WINDOW):
            raise services.CommentRefused(
                "You have sent several comments in a short time. Please wait a few minutes "
                "and try again.",
                status=429,
            )
        if form.is_valid():
            email = form.cleaned_data["email"]
            comment = services.comment_submit(
                article=article,
                name=form.cleaned_data["name"],
                email=email,
                body=form.cleaned_data["body"],
                parent_id=form.cleaned_data["parent"],
                ip_address=ip_address,
                user_agent=request.META.get("HTTP_USER_AGENT", ""),
                form_nonce=form.cleaned_data["form_nonce"],
                trusted=commenters.skips_moderation(email=email, request=request),
            )
            return redirect(my_comment_url(comment))
        status = 400
    except services.CommentRefused as refusal:
        form.add_error(None, refusal.message)
        if refusal.new_form:
            form.refresh_token()
        status = refusal.status
    return render_article(request, article, comment_form=form, status=status)


@never_cache
@require_safe
def comment_form_token(request, slug):
    """A fresh token for the comment form, which the page's script asks for when the
    reader starts writing: the token in a cached page is shared by its readers."""
    article = get_object_or_404(Article.objects.published(), slug=slug)
    if not article.comments_are_open:
        raise Http404("Comments are closed on this article.")
    return JsonResponse({"issued": new_comment_token(article)})


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def comment_publish(request, token):
    """Where the link we email to a trusted address leads (articles.commenters). GET shows
    the comment and one button, because mail scanners open links; the POST publishes it
    and lets this browser's next comments with that address appear at once."""
    comment = commenters.comment_from_link(token)
    if comment is None:
        return render(request, "articles/comment_publish.html", {"comment": None}, status=400)
    if request.method == "POST":
        services.comment_publish_by_link(comment=comment)
        response = redirect(comment.get_absolute_url())
        commenters.remember_proof(response, comment.email)
        return response
    return render(request, "articles/comment_publish.html", {"comment": comment})


def redirect_from_old_slug(slug):
    """A changed slug keeps working: its history knows which article it belonged to."""
    old = (
        Article.history.filter(slug=slug)
        .order_by("-history_date")
        .values_list("id", flat=True)
        .first()
    )
    current = Article.objects.published().filter(pk=old).first() if old else None
    if current is None or current.slug == slug:
        raise Http404("No article at this address.")
    return redirect(current, permanent=True)


@method_decorator(public_page, name="dispatch")
class CategoryArticles(PaginatedListView):
    template_name = "articles/category_detail.html"

    def get_queryset(self):
        self.category = get_object_or_404(Category, slug=self.kwargs["slug"])
        return Article.objects.published().for_listing().filter(category=self.category)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(
            category=self.category, current_category_id=self.category.pk,
            listing_ad=listing_ad(category_id=self.category.pk), **kwargs
        )
        context["structured_data"] = structured_data.category_page(
            self.category, context["articles"], url=canonical_url(self.request)
        )
        context["images"] = Image.objects.by_name(article.featured_image.name for article in context["articles"])
        return context


@method_decorator(public_page, name="dispatch")
class SearchResults(PaginatedListView):
    template_name = "articles/search.html"

    def get_queryset(self):
        # Control characters (NUL above all, which PostgreSQL refuses) are dropped.
        raw = "".join(ch for ch in self.request.GET.get("q", "") if ch.isprintable() or ch.isspace())
        self.query = " ".join(raw.split())[:MAX_QUERY_LENGTH]
        if not self.query:
            return Article.objects.none()
        return Article.objects.published().for_listing().search(self.query)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(query=self.query, listing_ad=listing_ad(), **kwargs)
        context["images"] = Image.objects.by_name(article.featured_image.name for article in context["articles"])
        attach_snippets(context["articles"], self.query)
        return context


@require_POST
def editor_image_upload(request):
    """Images dropped into the rich-text editor: staff who may add images to the media
    library, real images only.

    CKEditor 5 shows ``error.message`` to the editor when the upload is refused.
    """
    user = request.user
    if not (user.is_active and user.is_staff and user.has_perm("images.add_image")):
        return JsonResponse(
            {"error": {"message": "Only signed-in editors who may add images can upload them."}}, status=403
        )
    upload = request.FILES.get("upload")
    if upload is None:
        return JsonResponse({"error": {"message": "No file was received."}}, status=400)
    try:
        # Stored clean under a random name, and put in the media library: reusable, and
        # asked for alt text before publishing.
        image = editor_upload(file=upload, uploaded_by=request.user)
    except ValidationError as error:
        return JsonResponse({"error": {"message": error.messages[0]}}, status=400)
    return JsonResponse({"url": default_storage.url(image.name)})


@require_safe
@public_page
def robots_txt(request):
    """Crawlers stay out of the editors' endpoints under /editor/ (image upload,
    affiliate-link picker), search results (endless thin pages) and /go/ (affiliate
    redirects, counted as clicks); the sitemap index lists what is worth crawling.
    The admin is not named: its prefix (ADMIN_URL) may be a secret, and every admin
    page keeps itself out of search engines with X-Robots-Tag (accounts.middleware)."""
    kept_out = ["/editor/", reverse("articles:search"), "/go/"]
    lines = [
        "User-agent: *",
        *(f"Disallow: {path}" for path in kept_out),
        f"Sitemap: {absolute_url(reverse('sitemap'))}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain")
