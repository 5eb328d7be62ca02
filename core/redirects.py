"""Where the site may send a browser.

Every redirect the site issues goes to one of its own paths (built with ``reverse()``),
or, from ``/go/``, to an address an editor stored for an affiliate partner. Nothing a
request carries chooses a redirect's target, but for the path itself when a slash is
added to it (Django's CommonMiddleware escapes it; the flat pages' fallback below). A
stored address is still checked when it is used, since a shell or ``update()`` can store
one no form checked.
"""

from urllib.parse import urlsplit

from django.contrib.flatpages import middleware as flatpages
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.http import url_has_allowed_host_and_scheme

_web_address = URLValidator(schemes=["http", "https"])


def is_web_address(url: str) -> bool:
    """Whether ``url`` is an absolute http(s) address with a host that every browser
    reads the same way. Django's URL validator refuses spaces, backslashes (browsers
    read ``\\`` as ``/``), tabs and line breaks (they drop those); on top of it: no
    invisible characters, and no user name or password before the host
    (``https://site@evil.example`` reads as the site but goes to evil.example)."""
    if not isinstance(url, str) or not url.isprintable():
        return False
    try:
        _web_address(url)
    except ValidationError:
        return False
    parts = urlsplit(url)
    return bool(parts.hostname) and "@" not in parts.netloc


def validate_web_address(value: str) -> None:
    """A model field's check that ``value`` is_web_address: an editor typing ftp:,
    javascript: or ``https://shop.example@evil.example`` is told so when saving."""
    if not is_web_address(value):
        raise ValidationError(
            "Enter a web address starting with https:// (or http://), without a user name or password "
            "before the site's name.",
            code="not_web_address",  # not "invalid": URLField would put its own words in its place
        )


class FlatpageFallbackMiddleware(flatpages.FlatpageFallbackMiddleware):
    """Django's fallback to flat pages (the policy pages) for a missing page, except the
    redirect it makes to a flat page's address with a slash added: it repeats the path
    asked for, and a path such as ``//evil.example`` (with a flat page stored at
    ``//evil.example/``) would become a redirect to another site. Such a redirect is
    dropped and the missing page stays missing."""

    def process_response(self, request, response):
        fallback = super().process_response(request, response)
        if (fallback is not response and fallback.status_code in (301, 302)
                and not url_has_allowed_host_and_scheme(fallback["Location"], allowed_hosts={request.get_host()})):
            return response
        return fallback
