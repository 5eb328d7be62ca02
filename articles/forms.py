import time

from django import forms
from django.conf import settings
from django.core import signing
from django.core.validators import MaxLengthValidator
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import urlize

from core.html import clean_html
from core.models import SiteTexts
from partners.html import has_affiliate_links, mark_affiliate_links
from partners.models import AffiliatePartner

from .models import Article

TOKEN_SALT = "articles.comment-form"


def link_count(text: str) -> int:
    """How many links the comment would show, counted the way it will be rendered."""
    return urlize(text, autoescape=True).count("<a ")


class CommentForm(forms.Form):
    """A reader's comment, with the checks that keep simple robots out.

    ``issued`` is a signed timestamp written when the form is shown: a submission
    that comes back too soon, too late or with a forged token is refused.
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
        return signing.dumps({"a": self.article.pk, "t": time.time()}, salt=TOKEN_SALT)

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
            self._refresh_token()
            raise forms.ValidationError("Your comment could not be accepted.", code="token")
        age = time.time() - token.get("t", 0)
        if age > settings.COMMENT_FORM_MAX_AGE:
            self._refresh_token()
            raise forms.ValidationError(
                "This form had expired. Please check your comment and send it again.", code="token"
            )
        if age < settings.COMMENT_MIN_SECONDS:
            raise forms.ValidationError(
                "That was quick! Please take a moment to check your comment, then send it again.",
                code="too_fast",
            )
        return cleaned

    def _refresh_token(self):
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
    """The article editor's form, with the rules that involve several fields: who may
    review an article, when, and that affiliate links are disclosed before publishing."""

    class Meta:
        model = Article
        fields = "__all__"
        help_texts = {
            "reviewer": "An expert other than the author, with credentials on their author page. "
            "Readers see “Reviewed by” (“Medically reviewed by” in health topics).",
            "last_reviewed": "The day the reviewer last checked the text, shown to readers. Required "
            "with a reviewer; it may be before the publish date (reviewers often check the draft) "
            "but not in the future.",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "last_reviewed" in self.fields:
            self.fields["last_reviewed"].help_text += (
                f" The article falls due for another review {settings.REVIEW_INTERVAL_DAYS} days later."
            )
        if self.instance._state.adding and "affiliate_disclosure" in self.fields:
            self.initial.setdefault("affiliate_disclosure", SiteTexts.objects.current().article_disclosure_text)

    def clean(self):
        cleaned = super().clean()
        self._check_review(cleaned)
        self._check_disclosure(cleaned)
        return cleaned

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
