import ipaddress

from django import forms
from django.utils.encoding import punycode

SIGNUP_FORMS = {"article", "home", "footer", "newsletter-page"}
# Names that never lead to a mailbox on the public internet (RFC 6761, RFC 6762, RFC 7686
# and the private-use names networks hand out): mail there would go to our own machines
# or nowhere. Documentation names (.example, .test) are left to fail at delivery.
PRIVATE_DOMAINS = ("localhost", "localdomain", "local", "internal", "intranet", "lan", "home",
                   "corp", "private", "home.arpa", "arpa", "invalid", "onion")


def has_public_domain(email: str) -> bool:
    """Whether the address's domain is a name on the public internet: dotted, not an
    address literal ([127.0.0.1]) or a bare IP, not a private or special-use name."""
    domain = email.rpartition("@")[2].rstrip(".").lower()
    if not domain or domain.startswith("[") or "." not in domain:
        return False
    try:
        ipaddress.ip_address(domain)
        return False
    except ValueError:
        pass
    if domain.rsplit(".", 1)[1].isdigit():
        return False
    return not any(domain == name or domain.endswith("." + name) for name in PRIVATE_DOMAINS)


class SignupForm(forms.Form):
    email = forms.EmailField(label="Email address", max_length=254)
    # Which form on the site this was (kept in the consent record).
    source = forms.CharField(required=False, widget=forms.HiddenInput)
    # A honeypot: hidden from people, filled in by robots.
    website = forms.CharField(required=False, label="Leave this field empty")

    def __init__(self, *args, source: str = "newsletter-page", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].widget.attrs.update({"autocomplete": "email", "placeholder": "you@example.com"})
        self.fields["website"].widget.attrs.update({"autocomplete": "off", "tabindex": "-1"})
        if not self.is_bound:
            self.initial["source"] = source

    def clean_email(self):
        email = self.cleaned_data["email"]
        # EmailValidator lets any character from U+00A1 up into the domain, line and
        # paragraph separators and invisible ones included: refuse every space or
        # unprintable character, list separators, and a domain we could not send to.
        if any(ch in ",;<>" or ch.isspace() or not ch.isprintable() for ch in email):
            raise forms.ValidationError("Enter a valid email address.")
        try:
            punycode(email.rpartition("@")[2])
        except UnicodeError:
            raise forms.ValidationError("Enter a valid email address.") from None
        if not has_public_domain(email.strip()):
            raise forms.ValidationError("Enter an address we can send email to on the internet.")
        return email.strip().lower()

    def clean_source(self):
        source = self.cleaned_data.get("source") or "newsletter-page"
        return source if source in SIGNUP_FORMS else "newsletter-page"
