import secrets
import time

from django import forms
from django.conf import settings
from django.core import signing
from django.core.validators import MaxLengthValidator
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import urlize

from core.html import clean_html
from images.html import names_without_own_alt
from images.models import Image
from core.models import SiteTexts
from partners.html import has_affiliate_links, mark_affiliate_links
from partners.models import AffiliatePartner

from . import permissions
from .models import Article

TOKEN_SALT = "articles.comment-form"


def link_count(text: str) -> int:
    """How many links the comment would show, counted the way it will be rendered."""
    return urlize(text, autoescape=True).count("<a ")


def new_comment_token(article) -> str:
    return signing.dumps({"a": article.pk, "t": time.time(), "n": secrets.token_hex(16)}, salt=TOKEN_SALT)


class CommentForm(forms.Form):
    """A reader's comment, with the checks that keep simple robots out.

    ``issued`` is a signed token written when the form is shown: the article, the time
    and a one-time number. A submission that comes back too soon, too late or with a
    forged token is refused, and a comment stored with the number spends it (the
    ``Comment.form_nonce`` unique constraint), so one form sends one comment. Pages are
    cached, so readers share a page's token: the page's script asks for a fresh one
    (``comment_form_token``) when the reader starts writing, and a form whose number was
    spent comes back with a new one.
    ``website`` is a honeypot: hidden from people, filled in by robots.
    """

    name = forms.CharField(max_length=80)
    email = forms.EmailField(max_length=254, help_text="Never shown on the site.")
    body = forms.CharField(label="Comment", widget=forms.Textarea(attrs={"rows": 6}))
    parent = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)
    website = forms.CharField(required=False, label="Leave this field empty")
    issued = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args, article, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.article = article
        # Read per form, not at import, so the limit follows the settings.
        self.fields["body"].validators.append(MaxLengthValidator(settings.COMMENT_MAX_LENGTH))
        self.fields["body"].widget.attrs["maxlength"] = settings.COMMENT_MAX_LENGTH
        self.fields["website"].widget.attrs.update({"autocomplete": "off", "tabindex": "-1"})
        self.fields["name"].widget.attrs["autocomplete"] = "name"
        self.fields["email"].widget.attrs["autocomplete"] = "email"
        if not self.is_bound:
            self.initial["issued"] = self.new_token()

    def new_token(self) -> str:
        return new_comment_token(self.article)

    def clean_name(self):
        name = self.cleaned_data["name"]
        if any(not ch.isprintable() for ch in name):
            raise forms.ValidationError("Please use letters, numbers and punctuation only.")
        return name

    def clean_body(self):
        body = self.cleaned_data["body"]
        if link_count(body) > settings.COMMENT_MAX_LINKS:
            raise forms.ValidationError(
                "Please include at most %(max)d links.", params={"max": settings.COMMENT_MAX_LINKS}
            )
        return body

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("website"):
            raise forms.ValidationError("Your comment could not be accepted.", code="honeypot")
        try:
            token = signing.loads(self.data.get("issued", ""), salt=TOKEN_SALT)
        except signing.BadSignature:
            token = {}
        if not isinstance(token, dict) or token.get("a") != self.article.pk:
            self.refresh_token()
            raise forms.ValidationError("Your comment could not be accepted.", code="token")
        age = time.time() - token.get("t", 0)
        if age > settings.COMMENT_FORM_MAX_AGE:
            self.refresh_token()
            raise forms.ValidationError(
                "This form had expired. Please check your comment and send it again.", code="token"
            )
        if age < settings.COMMENT_MIN_SECONDS:
            raise forms.ValidationError(
                "That was quick! Please take a moment to check your comment, then send it again.",
                code="too_fast",
            )
        nonce = token.get("n")
        if not isinstance(nonce, str) or not nonce:
            self.refresh_token()
            raise forms.ValidationError("Your comment could not be accepted.", code="token")
        cleaned["form_nonce"] = nonce
        return cleaned

    def refresh_token(self):
        # Re-rendered with a new token, the reader's next try can succeed.
        self.data = self.data.copy()
        self.data["issued"] = self.new_token()


def needs_affiliate_disclosure(*, body: str, disclosure: str) -> bool:
    """Whether an article with this body and disclosure would show affiliate links
    (through /go/ or to an active partner's domain) without telling readers."""
    if disclosure.strip():
        return False
    domains = AffiliatePartner.objects.link_domains()
    return has_affiliate_links(mark_affiliate_links(clean_html(body), domains))


def missing_disclosure_message() -> str:
    standard = SiteTexts.objects.current().article_disclosure_text
    return (
        "This article has affiliate links, so it cannot be published without a disclosure. "
        f"The site's standard wording is: “{standard}” Drafts may be saved without one."
    )


class ArticleAdminForm(forms.ModelForm):
    """The article editor's form, with the rules that involve several fields or the
    person saving: who may publish, what a draft needs before review, when "Updated:"
    moves, who may review an article, that affiliate links are disclosed before
    publishing, and that nobody saves over a version they have not seen.

    The admin sets ``user`` on the class it makes for each request."""

    user = None

    loaded_version = forms.IntegerField(required=False, widget=forms.HiddenInput)
    substantive_update = forms.BooleanField(
        required=False, label="Substantive update",
        help_text="Moves “Updated:” to today and adds the note below to the article's public history. "
        "Leave unticked for typo fixes and small edits.",
    )
    update_note = forms.CharField(
        required=False, max_length=200, label="Update note for readers",
        help_text="One line shown in “Article history” at the foot of the article, e.g. "
        "“Added the 2026 guidance on dosage.”",
    )
    change_note = forms.CharField(
        required=False, max_length=200, label="Change note",
        help_text="For the version history: what you changed and why. Readers never see it.",
    )

    class Meta:
        model = Article
        fields = "__all__"
        help_texts = {
            "reviewer": "An expert other than the author, with credentials on their author page. "
            "Readers see “Reviewed by” (“Medically reviewed by” in health topics).",
            "last_reviewed": "The day the reviewer last checked the text, shown to readers. Required "
            "with a reviewer; it may be before the publish date (reviewers often check the draft) "
            "but not in the future.",
            "status": "Draft: only staff see it. In review: ready for an editor. Published: public at "
            "“Publish at”; a future time shows as Scheduled until then.",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "last_reviewed" in self.fields:
            self.fields["last_reviewed"].help_text += (
                f" The article falls due for another review {settings.REVIEW_INTERVAL_DAYS} days later."
            )
        if self.instance._state.adding and "affiliate_disclosure" in self.fields:
            self.initial.setdefault("affiliate_disclosure", SiteTexts.objects.current().article_disclosure_text)
        if "status" in self.fields and self.user is not None and not permissions.can_publish(self.user):
            # Writers submit for review; publishing is an editor's. A crafted POST with
            # "published" is then an invalid choice, like any other.
            self.fields["status"].choices = [
                choice for choice in self.fields["status"].choices if choice[0] != Article.Status.PUBLISHED
            ]
        if self.instance.pk is not None:
            # The version now stored (not the one of a historical copy being restored):
            # a save is accepted only if nobody saved since this form was shown.
            stored = self.stored()
            self.initial["loaded_version"] = stored.version if stored else 0

    def stored(self, *, lock=False) -> Article | None:
        """The article as it is stored now, read once (and again, locked, when the save is
        checked): the form and the admin's save_model share that one reading."""
        if self.instance.pk is None:
            return None
        if lock or not hasattr(self, "_stored"):
            articles = Article.objects.select_for_update() if lock else Article.objects
            self._stored = articles.filter(pk=self.instance.pk).only(
                "version", "status", "publish_at", "updated_on", "first_published_at"
            ).first()
        return self._stored

    def clean(self):
        cleaned = super().clean()
        self._check_version(cleaned)
        self._check_complete(cleaned)
        self._check_dates(cleaned)
        self._check_review(cleaned)
        self._check_disclosure(cleaned)
        self._check_alt_text(cleaned)
        return cleaned

    def featured_name(self, cleaned) -> str:
        """The featured image the article will have once saved: a library choice, a new
        upload, or the one it has."""
        library = cleaned.get("featured_from_library")
        if library is not None and "featured_from_library" in self.changed_data and "featured_image" not in self.changed_data:
            return library.name
        image = cleaned.get("featured_image")
        return getattr(image, "name", "") or ""

    def _check_alt_text(self, cleaned):
        """Readers who cannot see an image get its alt text: none is published without it,
        unless the media library marks the image decorative."""
        if cleaned.get("status") != Article.Status.PUBLISHED:
            return
        missing = Image.objects.missing_alt_text().by_name(names_without_own_alt(cleaned.get("body", "")))
        if missing and "body" in self.fields:
            self.add_error("body", (
                f"Add alt text to {len(missing)} image(s) before publishing: "
                + ", ".join(sorted(name.rsplit("/", 1)[-1] for name in missing))
                + ". Click the image, then “Change image text alternative” in its toolbar; or describe it "
                "once in the media library, where an image can also be marked decorative."
            ))
        featured = self.featured_name(cleaned)
        if featured and not cleaned.get("featured_image_alt", "").strip() and "featured_image_alt" in self.fields:
            row = Image.objects.filter(name=featured).first()
            if row is None or not (row.alt_text.strip() or row.decorative):
                self.add_error(
                    "featured_image_alt",
                    "Describe the featured image for readers who cannot see it before publishing "
                    "(or mark it decorative in the media library).",
                )

    def save(self, commit=True):
        library = self.cleaned_data.get("featured_from_library")
        if library is not None and self.featured_name(self.cleaned_data) == library.name:
            article = self.instance
            article.featured_image = library.name  # the same file: reused, not copied
            article.featured_image_width, article.featured_image_height = library.width, library.height
            if not article.featured_image_alt.strip() and not library.decorative:
                article.featured_image_alt = library.alt_text
        return super().save(commit)

    def _check_version(self, cleaned):
        if self.instance.pk is None:
            return
        # In the admin's transaction: the row stays locked until this save commits
        # (PostgreSQL), and SQLite's IMMEDIATE transactions let one save in at a time.
        in_transaction = transaction.get_connection().in_atomic_block
        stored = self.stored(lock=in_transaction)
        if stored is None or cleaned.get("loaded_version") == stored.version:
            return
        last = Article.history.filter(id=self.instance.pk).select_related("history_user").first()
        who = "Someone"
        when = ""
        if last is not None:
            if last.history_user is not None:
                who = last.history_user.get_full_name() or last.history_user.get_username()
            when = f" at {date_format(timezone.localtime(last.history_date), 'H:i')}"
        # Shown again with the newer version's number: pressing Save again replaces their
        # version with this one, knowingly.
        self.data = self.data.copy()
        self.data["loaded_version"] = str(stored.version)
        raise forms.ValidationError(
            f"{who} saved this article{when}, after you opened it. Nothing was saved: your text is "
            "kept in the form below. Compare it with theirs under History (it opens in the same "
            "window, so copy your changes first), or press Save again to replace their version with yours.",
            code="stale",
        )

    def _check_complete(self, cleaned):
        if cleaned.get("status", Article.Status.DRAFT) == Article.Status.DRAFT:
            return
        needed = {"category": "Choose a category", "author": "Choose an author", "summary": "Write a summary"}
        for name, ask in needed.items():
            if name in self.fields and not cleaned.get(name) and name not in self.errors:
                self.add_error(name, f"{ask} before submitting for review or publishing; "
                                     "a draft may be saved without one.")

    def _check_dates(self, cleaned):
        stored = self.stored()
        was_public = stored is not None and stored.has_been_public
        publish_at = cleaned.get("publish_at")
        if (
            cleaned.get("status") == Article.Status.PUBLISHED
            and (stored is None or stored.status != Article.Status.PUBLISHED)
            and not was_public
            and publish_at is not None
            and publish_at <= timezone.now()
        ):
            # Published now: the date readers see is today, not the day the draft was begun.
            cleaned["publish_at"] = timezone.now()
        if cleaned.get("substantive_update"):
            if not was_public:
                self.add_error(
                    "substantive_update",
                    "Not needed yet: until the article is first public, “Updated:” follows “Publish at”.",
                )
            elif not cleaned.get("update_note", "").strip():
                self.add_error("update_note", "Write one line for readers about what changed.")

    def _check_review(self, cleaned):
        reviewer, author = cleaned.get("reviewer"), cleaned.get("author")
        reviewed_on = cleaned.get("last_reviewed")
        if reviewer is not None:
            if author is not None and reviewer.pk == author.pk:
                self.add_error("reviewer", "The reviewer must be someone other than the author.")
            elif not reviewer.credentials.strip():
                self.add_error(
                    "reviewer",
                    f"{reviewer.name} has no credentials on their author page: add them there first, "
                    "or choose another reviewer.",
                )
            if reviewed_on is None and "last_reviewed" not in self.errors:
                self.add_error("last_reviewed", "Enter the day the reviewer checked the article.")
        elif reviewed_on is not None:
            self.add_error("last_reviewed", "Choose the reviewer too, or leave the date empty.")
        today = timezone.localdate()
        if reviewed_on is not None and reviewed_on > today:
            self.add_error(
                "last_reviewed",
                f"The review date cannot be in the future (today is {date_format(today, 'F j, Y')}).",
            )

    def _check_disclosure(self, cleaned):
        if cleaned.get("status") != Article.Status.PUBLISHED:
            return  # drafts and articles in review may wait for their disclosure
        if "affiliate_disclosure" not in self.fields or "body" not in cleaned:
            return
        if needs_affiliate_disclosure(body=cleaned["body"], disclosure=cleaned.get("affiliate_disclosure", "")):
            self.add_error("affiliate_disclosure", missing_disclosure_message())
