from collections import Counter
from datetime import datetime, time, timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import models
from django.db.models import Exists, OuterRef, Q, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import get_random_string
from django.utils.formats import date_format
from django.utils.text import slugify
from simple_history.models import HistoricalRecords

from core.validators import validate_image_file
from core.fields import MeasuredImageField, SanitizedHTMLField
from core.html import reading_minutes, word_count
from core.pagecache import PageContentQuerySet

from . import related, search


NAVIGATION_CACHE_KEY = "articles:navigation-categories"


class CategoryQuerySet(PageContentQuerySet):
    derived_cache_keys = (NAVIGATION_CACHE_KEY,)

    def for_navigation(self) -> list["Category"]:
        """All categories, cached; any write to a category forgets them (``derived_cache_keys``)."""
        return cache.get_or_set(NAVIGATION_CACHE_KEY, lambda: list(self.all()), 3600)


class Category(models.Model):
    name = models.CharField(max_length=80)
    slug = models.SlugField(max_length=80, unique=True)
    description = models.CharField(max_length=300, blank=True)
    position = models.PositiveSmallIntegerField(
        default=0, help_text="Lower numbers come first in the navigation."
    )
    medical = models.BooleanField(
        "health topics", default=False,
        help_text="Its articles give health information: a review shows as “Medically reviewed by”, "
        "and reviews fall due after REVIEW_INTERVAL_DAYS.",
    )

    objects = CategoryQuerySet.as_manager()

    class Meta:
        ordering = ["position", "name"]
        verbose_name_plural = "categories"

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("articles:category", kwargs={"slug": self.slug})


class ArticleQuerySet(PageContentQuerySet):
    def published(self):
        """The one rule for what the public may see."""
        return self.filter(status=Article.Status.PUBLISHED, publish_at__lte=timezone.now())

    def scheduled(self):
        """Published with a future time: public once that time comes, with no job."""
        return self.filter(status=Article.Status.PUBLISHED, publish_at__gt=timezone.now())

    def in_state(self, state: str):
        """Articles in one of ``Article.State`` (what the admin's filter offers)."""
        if state == ArticleState.SCHEDULED:
            return self.scheduled()
        if state == ArticleState.PUBLISHED:
            return self.published()
        return self.filter(status=state)

    def with_update_flag(self):
        """``has_updates`` on each article: whether it has public update notes, read in the
        same query, so an article page asks for the notes only when there are some."""
        return self.annotate(has_updates=Exists(ArticleUpdate.objects.filter(article=OuterRef("pk"))))

    def next_publication_time(self):
        """When the next scheduled article becomes public (None: none is scheduled)."""
        return (
            self.filter(status=Article.Status.PUBLISHED, publish_at__gt=timezone.now())
            .order_by("publish_at")
            .values_list("publish_at", flat=True)
            .first()
        )

    def for_listing(self):
        """What a card needs: category and author, but not the body."""
        return self.select_related("category", "author").defer("body")

    def latest_per_category(self, per_category: int) -> list["Article"]:
        """The newest ``per_category`` published articles of each category, in navigation
        order, in two queries whatever the number of articles or categories.

        The first finds each category's ``per_category``-th newest publish time (one
        short walk down the (category, status, publish_at) index per category); the
        second reads the articles at or after those times. One window-function query
        over every published article did the same, but grew with the archive.
        """
        if per_category < 1:
            return []
        published = self.published()
        nth_newest = (
            published.filter(category_id=OuterRef("pk"))
            .order_by("-publish_at", "-pk")
            .values("publish_at")[per_category - 1 : per_category]
        )
        newest = Q()
        for category_id, cutoff in Category.objects.annotate(cutoff=Subquery(nth_newest)).values_list("pk", "cutoff"):
            # No cutoff: the category has fewer articles than that, so all of them.
            newest |= Q(category_id=category_id, publish_at__gte=cutoff) if cutoff else Q(category_id=category_id)
        if not newest:
            return []
        shown = Counter()
        articles = []
        for article in published.for_listing().filter(newest).order_by(
            "category__position", "category__name", "-publish_at", "-pk"
        ):
            if shown[article.category_id] < per_category:  # articles published at the same instant
                shown[article.category_id] += 1
                articles.append(article)
        return articles

    def related_to(self, article: "Article", count: int = 4) -> list["Article"]:
        """Up to ``count`` published articles to read next: the ones the editor pinned
        (newest first), then the newest in the same category, then
        those sharing the most words with its title. One query, and a second when the
        first two ways find too few, however many articles there are."""
        pins = Article.related_articles.through.objects.filter(from_article=article.pk, to_article=OuterRef("pk"))
        chosen: list[Article] = list(
            self.published().for_listing()
            .annotate(pinned=Exists(pins))
            .filter(Q(pinned=True) | Q(category_id=article.category_id))
            .exclude(pk=article.pk)
            .order_by("-pinned", "-publish_at", "-pk")[:count]
        )
        if len(chosen) < count:
            chosen += related.sharing_words(
                self.published().for_listing().exclude(pk__in=[article.pk, *(other.pk for other in chosen)]),
                article.title,
            )[: count - len(chosen)]
        return chosen

    def due_for_review(self):
        """Published articles whose last review is more than REVIEW_INTERVAL_DAYS old,
        and those in health topics that name a reviewer but no review date."""
        cutoff = timezone.localdate() - timedelta(days=settings.REVIEW_INTERVAL_DAYS)
        return self.published().filter(
            Q(last_reviewed__lt=cutoff)
            | Q(category__medical=True, reviewer__isnull=False, last_reviewed__isnull=True)
        )

    def search(self, query: str):
        """Published articles matching ``query`` as a reader types it (every word, "a
        phrase", -word, or), best match first: full-text, on PostgreSQL and SQLite alike
        (see ``articles.search``)."""
        return search.matching(self.published(), query)


class ArticleStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    REVIEW = "review", "In review"
    PUBLISHED = "published", "Published"


class ArticleState(models.TextChoices):
    """What readers and editors see: a published article whose time has not come is
    "Scheduled". Stored as status PUBLISHED with a future ``publish_at``."""

    DRAFT = "draft", "Draft"
    REVIEW = "review", "In review"
    SCHEDULED = "scheduled", "Scheduled"
    PUBLISHED = "published", "Published"


def unique_slug(title: str, *, exclude_pk=None) -> str:
    """A slug made from ``title`` that no other article has: -2, -3… added when taken."""
    base = slugify(title)[:190].strip("-") or "article"
    taken = set(
        Article.objects.exclude(pk=exclude_pk).filter(slug__startswith=base).values_list("slug", flat=True)
    )
    slug, number = base, 1
    while slug in taken:
        number += 1
        slug = f"{base}-{number}"
    return slug


def new_preview_key() -> str:
    return get_random_string(24)


class Article(models.Model):
    Status = ArticleStatus  # defined outside, so Meta's CheckConstraint can read its values
    State = ArticleState

    title = models.CharField(max_length=200)
    slug = models.SlugField(
        max_length=200, unique=True, blank=True,
        help_text="The end of the article's address: what-is-sciatica gives /what-is-sciatica.htm. "
        "Left empty, it is made from the title. Changing it later keeps a redirect from the old address.",
    )
    # A draft may be saved with only a title; the rest is required to submit it for review
    # or to publish it (the form says so, and a database constraint holds it).
    category = models.ForeignKey(
        "articles.Category", on_delete=models.PROTECT, related_name="articles", null=True, blank=True
    )
    author = models.ForeignKey(
        "authors.Author", on_delete=models.PROTECT, related_name="articles", null=True, blank=True
    )
    reviewer = models.ForeignKey(
        "authors.Author", on_delete=models.SET_NULL, null=True, blank=True,
        related_name="reviewed_articles",
        help_text="An expert who checked the article (an author with credentials); shown as “Reviewed by”.",
    )
    last_reviewed = models.DateField(
        "last reviewed", null=True, blank=True,
        help_text="When the reviewer last checked it. Articles fall due for review after REVIEW_INTERVAL_DAYS.",
    )
    summary = models.CharField(
        max_length=300, blank=True,
        help_text="One or two sentences shown on cards and to search engines.",
    )
    body = SanitizedHTMLField(blank=True)
    featured_image = MeasuredImageField(
        upload_to="articles/%Y/%m/", blank=True, validators=[validate_image_file],
        width_field="featured_image_width", height_field="featured_image_height",
    )
    featured_image_width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    featured_image_height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    featured_image_alt = models.CharField(
        "alt text", max_length=250, blank=True,
        help_text="Describe the image for readers who cannot see it. Left empty, the media library's "
        "alt text is used.",
    )
    featured_from_library = models.ForeignKey(
        "images.Image", on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name="or choose from the media library",
        help_text="An image already uploaded: it becomes the featured image (instead of uploading one).",
    )
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.DRAFT)
    publish_at = models.DateTimeField(
        "publish at", default=timezone.now, db_index=True,
        help_text="A time in the future schedules the article: it appears then.",
    )
    updated_on = models.DateField(
        "updated", default=timezone.localdate,
        help_text="The date readers see as “Updated:”. It follows “Publish at” until the article "
        "is first public; afterwards it moves only with a substantive update, never before the publish date.",
    )
    first_published_at = models.DateTimeField(
        "first public", null=True, blank=True, editable=False,
        help_text="When readers could first see it (recorded at the first save after that moment).",
    )
    seo_title = models.CharField(
        "SEO title", max_length=200, blank=True, help_text="Leave blank to use the title."
    )
    seo_description = models.CharField(
        "SEO description", max_length=300, blank=True, help_text="Leave blank to use the summary."
    )
    comments_open = models.BooleanField(default=True)
    show_ads = models.BooleanField(
        "show advertisements", default=True,
        help_text="Untick for a sensitive topic: the article then shows no ad at all.",
    )
    affiliate_disclosure = models.CharField(
        "affiliate disclosure", max_length=300, blank=True,
        help_text="Shown above the article's first affiliate link; starts as the site's standard "
        "wording. An article with affiliate links cannot be published without it.",
    )
    related_articles = models.ManyToManyField(
        "self", symmetrical=False, blank=True, related_name="+", verbose_name="related articles",
        help_text="Shown first under “Related articles” (up to four, newest first); the rest are "
        "filled from the same category. Unpublished ones are left out until they are published.",
    )
    version = models.PositiveIntegerField(
        default=0, editable=False,
        help_text="Counts saves, so a save made from a stale form can be refused (optimistic locking).",
    )
    preview_key = models.CharField(
        max_length=24, default=new_preview_key, editable=False,
        help_text="Part of every shared preview link; changing it revokes them all.",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, editable=False,
        related_name="+", help_text="Whose article it is: writers may edit their own until it is published.",
    )
    created = models.DateTimeField(auto_now_add=True)
    modified = models.DateTimeField(auto_now=True)

    # Bookkeeping is not content: restoring an old version keeps today's counter, key and owner.
    history = HistoricalRecords(
        excluded_fields=["created", "modified", "version", "preview_key", "first_published_at", "created_by"]
    )
    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["-publish_at", "-pk"]
        indexes = [
            models.Index(fields=["status", "publish_at"]),
            models.Index(fields=["category", "status", "publish_at"]),
            models.Index(fields=["author", "status", "publish_at"]),
            # The newest Updated date of the site (the sitemap index, the home page's lastmod),
            # read from the index alone: no article row, and no body, is read for it.
            models.Index(fields=["status", "updated_on", "publish_at"], name="article_status_updated"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=ArticleStatus.values),
                name="article_status_is_known",
            ),
            models.CheckConstraint(
                condition=models.Q(status=ArticleStatus.DRAFT)
                | (models.Q(category__isnull=False, author__isnull=False) & ~models.Q(summary="")),
                name="article_complete_unless_draft",
            ),
        ]
        permissions = [("publish_article", "Can publish, schedule and unpublish articles")]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("articles:detail", kwargs={"slug": self.slug})

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(self.title, exclude_pk=self.pk)
        self.apply_date_rules()
        self.version += 1
        super().save(*args, **kwargs)

    def apply_date_rules(self):
        """"Updated:" follows "Publish at" until the article has been public; afterwards it
        only moves forward (a substantive update), never before the publish date. A
        scheduled article is recorded as first public at the first save after its time."""
        if self.first_published_at is None and self.is_public:
            self.first_published_at = self.publish_at
        published_on = timezone.localdate(self.publish_at)
        if self.first_published_at is None:
            self.updated_on = published_on
        else:
            self.updated_on = max(self.updated_on, published_on)

    @property
    def has_been_public(self) -> bool:
        return self.first_published_at is not None or self.is_public

    @property
    def state(self) -> str:
        if self.status == self.Status.PUBLISHED and self.publish_at > timezone.now():
            return ArticleState.SCHEDULED
        return ArticleState(self.status)

    @property
    def state_label(self) -> str:
        """"Scheduled for November 30, 2026, 09:00", or the state's name."""
        if self.state == ArticleState.SCHEDULED:
            return f"Scheduled for {date_format(timezone.localtime(self.publish_at), 'F j, Y, H:i')}"
        return ArticleState(self.state).label

    @property
    def missing_for_review(self) -> list[str]:
        """The fields a draft still needs before review or publishing."""
        return [
            name for name, value in [("category", self.category_id), ("author", self.author_id),
                                     ("summary", self.summary.strip())]
            if not value
        ]

    @property
    def comments_are_open(self) -> bool:
        """Open while the editor allows it and the article is younger than the cut-off."""
        days = settings.COMMENTS_CLOSE_AFTER_DAYS
        too_old = days > 0 and self.publish_at < timezone.now() - timedelta(days=days)
        return self.comments_open and not too_old

    @property
    def is_public(self) -> bool:
        return self.status == self.Status.PUBLISHED and self.publish_at <= timezone.now()

    @property
    def reading_minutes(self) -> int:
        return reading_minutes(self.body)

    @property
    def word_count(self) -> int:
        return word_count(self.body)

    @property
    def updated_at(self) -> datetime:
        """The "Updated:" date as a moment, for machines (feeds, sitemaps, structured data):
        the publish time if it was not updated since the day it was published, otherwise
        the start of the Updated day in the site's time zone. Shown in the site's time
        zone, its date is always the one readers see."""
        if self.updated_on <= timezone.localdate(self.publish_at):
            return self.publish_at
        return timezone.make_aware(datetime.combine(self.updated_on, time.min))

    @property
    def meta_title(self) -> str:
        return self.seo_title or self.title

    @property
    def meta_description(self) -> str:
        return self.seo_description or self.summary


class ArticleUpdate(models.Model):
    """A substantive update, as readers see it in the article's public "Article history":
    the day "Updated:" moved to, and the editor's one-line note of what changed."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="updates")
    updated_on = models.DateField("updated")
    note = models.CharField(max_length=200, help_text="One line readers see, e.g. “Added the 2026 dosage guidance.”")
    created = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = PageContentQuerySet.as_manager()

    class Meta:
        ordering = ["-created", "-pk"]
        indexes = [models.Index(fields=["article", "created"])]

    def __str__(self):
        return f"{self.updated_on}: {self.note}"


class ArticleSearchEntry(models.Model):
    """An article in SQLite's full-text index (FTS5), kept up to date by triggers: a
    view of the FTS5 table made by migration 0008, only for ``articles.search`` to join.
    PostgreSQL has no such table: its index is a column of articles_article."""

    article = models.OneToOneField(
        Article, on_delete=models.DO_NOTHING, primary_key=True, db_constraint=False,
        related_name="search_entry",
    )
    # FTS5's column named after its table: what "= 'query'" matches against.
    document = models.TextField()

    class Meta:
        managed = False
        db_table = "articles_article_search_entry"

    def __str__(self):
        return f"Search entry of article {self.article_id}"


class CommentQuerySet(PageContentQuerySet):
    def approved(self):
        return self.filter(status=Comment.Status.APPROVED)

    def pending(self):
        return self.filter(status=Comment.Status.PENDING)

    def for_article_page(self, article: Article):
        """Approved comments on ``article``, oldest first: one query whatever their number."""
        return self.approved().filter(article=article).order_by("created", "pk")


class CommentStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    APPROVED = "approved", "Approved"
    SPAM = "spam", "Spam"
    REMOVED = "removed", "Removed"


class Comment(models.Model):
    Status = CommentStatus  # defined outside, so Meta's CheckConstraint can read its values

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="comments")
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="replies",
        help_text="The comment this one replies to (replies nest one level).",
    )
    name = models.CharField(max_length=80)
    email = models.EmailField(help_text="Never shown on the site.")
    body = models.TextField("comment")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    created = models.DateTimeField(default=timezone.now, db_index=True)
    ip_address = models.GenericIPAddressField("IP address", null=True, blank=True)
    user_agent = models.CharField(max_length=300, blank=True)
    # The one-time number of the form it was sent with: unique, so one form sends one
    # comment, whichever worker or server takes the second try.
    form_nonce = models.CharField(max_length=32, null=True, blank=True, unique=True, editable=False)

    objects = CommentQuerySet.as_manager()

    class Meta:
        ordering = ["-created", "-pk"]
        indexes = [
            models.Index(fields=["article", "status", "created"]),
            models.Index(fields=["status", "created"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=CommentStatus.values),
                name="comment_status_is_known",
            ),
        ]

    def __str__(self):
        return f"{self.name} on {self.article_id}: {self.body[:40]}"

    @classmethod
    def from_db(cls, db, field_names, values):
        comment = super().from_db(db, field_names, values)
        comment.loaded_status = comment.__dict__.get("status")
        return comment

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)  # post_save sees the status before this save
        self.loaded_status = self.status

    @property
    def page_cache_unaffected(self) -> bool:
        """A comment readers do not see, before or after this change (a new one waiting
        for moderation, spam removed): cached pages stay as they are."""
        approved = self.Status.APPROVED
        return self.status != approved and getattr(self, "loaded_status", None) != approved

    def get_absolute_url(self):
        return self.article.get_absolute_url() + f"#comment-{self.pk}"


class TrustedCommenterQuerySet(models.QuerySet):
    def has_email(self, email: str) -> bool:
        return self.filter(email=TrustedCommenter.normalize_email(email)).exists()


class TrustedCommenter(models.Model):
    """An address whose comments an editor lets through without moderation, once its
    writer proves the address is theirs (a signed link sent to it; see
    articles.commenters). Typing the address alone never skips moderation."""

    email = models.EmailField(unique=True)
    note = models.CharField(max_length=200, blank=True, help_text="Why, for the other editors.")
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, editable=False,
        related_name="+",
    )
    created = models.DateTimeField(default=timezone.now, editable=False)

    objects = TrustedCommenterQuerySet.as_manager()

    class Meta:
        ordering = ["email"]

    def __str__(self):
        return self.email

    @staticmethod
    def normalize_email(email: str) -> str:
        return email.strip().lower()

    def save(self, *args, **kwargs):
        self.email = self.normalize_email(self.email)
        super().save(*args, **kwargs)


class BlockedTerm(models.Model):
    """One entry of the comment blocklist: a word, an email address or an IP address."""

    class Kind(models.TextChoices):
        WORD = "word", "Word or phrase in the comment"
        EMAIL = "email", "Email address"
        IP = "ip", "IP address"

    kind = models.CharField(max_length=5, choices=Kind.choices, default=Kind.WORD)
    value = models.CharField(
        max_length=254, help_text="Matched without regard to case; words match anywhere in the text."
    )
    note = models.CharField(max_length=200, blank=True, help_text="Why it was blocked, for other editors.")
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["kind", "value"]
        constraints = [models.UniqueConstraint(fields=["kind", "value"], name="blocked_term_unique")]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.value}"

    def save(self, *args, **kwargs):
        self.value = self.value.strip().lower()
        super().save(*args, **kwargs)
