import time

from django import forms
from django.conf import settings
from django.core import signing
from django.core.validators import MaxLengthValidator
from django.utils.html import urlize

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
