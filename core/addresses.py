"""Web addresses as readers see them: link text that wraps where a person would break it.

A long address has no spaces, so a narrow screen either overflows or (with CSS
``overflow-wrap``) cuts it anywhere, mid-word: "brightleafpharmacy.exampl" / "e". We
offer the browser ``<wbr>`` at the places style guides break addresses instead: after
"//", and before a single slash, a dot, "?", "#", "&" or "=".
"""

import html
import re
from functools import lru_cache
from urllib.parse import urlsplit

from django.utils.safestring import SafeString, mark_safe

# Zero-width positions: after "//", or before one of / . ? # & = that follows a character
# other than "/" or ":" (so "://" stays whole) and is not the last character.
_BREAK = re.compile(r"(?<=//)(?=.)|(?<=[^/:])(?=[/.?#&=].)")


def wrappable(address: str) -> SafeString:
    """``address`` escaped, with ``<wbr>`` where a narrow screen may wrap it."""
    return mark_safe("<wbr>".join(html.escape(part, quote=False) for part in _BREAK.split(address)))


def shown_address(url: str, *, host_only: bool = False) -> SafeString:
    """A web address as link text: without its scheme and a bare trailing slash (or only its
    host), wrappable. The link's ``href`` keeps the full address."""
    parts = urlsplit(url.strip())
    if not parts.netloc:
        return wrappable(url.strip())
    if host_only:
        return wrappable(parts.hostname or parts.netloc)
    shown = url.strip().split("//", 1)[1]
    return wrappable(shown[:-1] if shown.endswith("/") and shown.count("/") == 1 else shown)


# The text of a link with no markup inside: in sanitized or generated HTML, well-formed.
_LINK = re.compile(r"(<a\b[^>]*>)([^<]+)(</a>)")
# Link text that is itself an address (what urlize makes, or an editor pastes).
_ADDRESS = re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)


@lru_cache(maxsize=128)
def wrappable_link_texts(value: str) -> str:
    """``value`` (HTML) with every link whose text is a web address made wrappable.
    Other text and every tag are left exactly as they were."""
    if "://" not in value and "www." not in value:
        return value

    def wrap(match: re.Match) -> str:
        text = html.unescape(match[2])
        if not _ADDRESS.fullmatch(text.strip()):
            return match[0]
        return match[1] + wrappable(text) + match[3]

    return _LINK.sub(wrap, value)
