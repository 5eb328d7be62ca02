"""Rich text: the one allow-list every piece of stored HTML goes through.

``clean_html`` runs when rich text is saved (``core.fields.SanitizedHTMLField``) and
again when it is shown (the ``rich_text`` template filter), so HTML written by a path
that skips ``save()`` (``QuerySet.update()``, ``bulk_update()``, fixtures) is still safe.
"""

import html
import re
from collections.abc import Callable
from functools import lru_cache
from html.parser import HTMLParser
from urllib.parse import urljoin

import nh3
from django.utils.safestring import SafeString, mark_safe

from core.addresses import wrappable_link_texts

# What CKEditor 5, as we configure it, produces; everything else is dropped.
ALLOWED_TAGS = {
    "p", "br", "h2", "h3", "h4", "strong", "b", "em", "i", "u", "s", "sub", "sup",
    "a", "ul", "ol", "li", "blockquote", "hr", "code", "pre",
    "figure", "figcaption", "img",
    "table", "caption", "colgroup", "col", "thead", "tbody", "tfoot", "tr", "th", "td",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "width", "height"},
    "ol": {"start", "reversed"},
    "th": {"colspan", "rowspan", "scope"},
    "td": {"colspan", "rowspan"},
    "col": {"span"},
    "colgroup": {"span"},
}
ALLOWED_CLASSES = {
    "figure": {
        "image", "table", "image-style-align-left", "image-style-align-right",
        "image-style-align-center", "image-style-side", "image-style-block-align-left",
        "image-style-block-align-right",
    },
}
URL_SCHEMES = {"http", "https", "mailto", "tel"}

WORDS_PER_MINUTE = 225


# Cleaning is a pure function of the text, and the same bodies are shown again and
# again: each worker remembers its latest results instead of cleaning them every time.
@lru_cache(maxsize=128)
def clean_html(value: str | None) -> str:
    """Return ``value`` with everything outside the editor's allow-list removed.

    Scripts and styles lose their content as well as their tags; event handlers,
    ``style`` attributes and ``javascript:``/``data:`` URLs are dropped.
    """
    if not value:
        return ""
    return nh3.clean(
        value,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        allowed_classes=ALLOWED_CLASSES,
        url_schemes=URL_SCHEMES,
        clean_content_tags={"script", "style"},
        link_rel=None,
        strip_comments=True,
    ).strip()


def render_rich_text(value: str | None, *, then: Callable[[str], str] | None = None) -> SafeString:
    """Stored rich text as HTML a page may print: cleaned now, whatever wrote it.

    This is the one place where stored HTML is marked safe; templates reach it through
    the ``rich_text`` filter. ``then`` may add to the cleaned HTML before it is marked
    (the article page adds ``rel`` to partner links, which the allow-list removes).
    Links whose text is a web address get places to wrap (``core.addresses``).
    """
    cleaned = wrappable_link_texts(clean_html(value))
    return mark_safe(then(cleaned) if then else cleaned)


# A tag of stored (sanitized, so well-formed) HTML: quoted attribute values never hold
# a bare ">" after nh3, which escapes it.
TAG = re.compile(r"<[^>]*>")


@lru_cache(maxsize=512)
def word_count(value: str) -> int:
    # A regular expression, not Django's strip_tags (an HTML parser): this runs on every
    # article page rendered, and word counting needs no more precision.
    return len(TAG.sub(" ", value or "").split())


def plain_text(value: str, *, max_words: int = 40) -> str:
    """The words of an HTML fragment as plain text (tags dropped, entities decoded),
    the first ``max_words`` of them: a page description made from rich text. Not safe
    HTML: templates escape it."""
    words = html.unescape(TAG.sub(" ", value or "")).split()
    return " ".join(words[:max_words]) + ("…" if len(words) > max_words else "")


def reading_minutes(value: str) -> int:
    return max(1, round(word_count(value) / WORDS_PER_MINUTE))


_VOID_ELEMENTS = frozenset({"area", "br", "col", "embed", "hr", "img", "input", "source", "track", "wbr"})


class _TopLevelBlocks(HTMLParser):
    def __init__(self, value: str):
        super().__init__(convert_charrefs=False)
        self.line_starts = [0] + [match.end() for match in re.finditer("\n", value)]
        self.depth = 0
        self.open: tuple[str, int] | None = None
        self.blocks: list[tuple[str, int, int]] = []

    def position(self) -> int:
        line, column = self.getpos()
        return self.line_starts[line - 1] + column

    def handle_starttag(self, tag, attrs):
        if self.depth == 0:
            start = self.position()
            if tag in _VOID_ELEMENTS:
                self.blocks.append((tag, start, start + len(self.get_starttag_text())))
                return
            self.open = (tag, start)
        if tag not in _VOID_ELEMENTS:
            self.depth += 1

    def handle_startendtag(self, tag, attrs):
        if self.depth == 0:
            start = self.position()
            self.blocks.append((tag, start, start + len(self.get_starttag_text())))

    def handle_endtag(self, tag):
        if tag in _VOID_ELEMENTS or self.depth == 0:
            return
        self.depth -= 1
        if self.depth == 0 and self.open:
            end = self.rawdata.index(">", self.position()) + 1
            self.blocks.append((self.open[0], self.open[1], end))
            self.open = None


@lru_cache(maxsize=128)
def top_level_blocks(value: str) -> tuple[tuple[str, int, int], ...]:
    """The top-level elements of sanitized HTML as (tag, start, end) offsets, in order:
    the places where something can go between an article's paragraphs."""
    parser = _TopLevelBlocks(value)
    parser.feed(value)
    parser.close()
    return tuple(parser.blocks)


# Attributes holding one address a reader's browser follows or fetches; srcset holds several.
_URL_ATTRIBUTES = frozenset({"href", "src"})
_SRCSET = "srcset"


class _TagsWithURLs(HTMLParser):
    """The start tags that hold an address, as (start, end, tag, attrs, self_closing)."""

    def __init__(self, value: str):
        super().__init__(convert_charrefs=False)
        self.line_starts = [0] + [match.end() for match in re.finditer("\n", value)]
        self.tags: list[tuple[int, int, str, list[tuple[str, str | None]], bool]] = []

    def handle_starttag(self, tag, attrs):
        if any(name in _URL_ATTRIBUTES or name == _SRCSET for name, _value in attrs):
            line, column = self.getpos()
            start = self.line_starts[line - 1] + column
            text = self.get_starttag_text()
            self.tags.append((start, start + len(text), tag, attrs, text.endswith("/>")))


def _resolved(base: str, url: str) -> str:
    try:
        return urljoin(base, url.strip())
    except ValueError:  # a malformed host ("http://[::1"): nothing sensible to resolve
        return url


def _resolved_srcset(base: str, value: str) -> str:
    """Each candidate of a srcset ("a.jpg 400w, b.jpg 800w") with its address resolved.
    An address is a run of non-space characters and may itself hold commas."""
    candidates = []
    rest = value
    while True:
        rest = rest.lstrip(" \t\n\r\f,")
        if not rest:
            break
        url = re.match(r"\S+", rest).group()
        rest = rest[len(url):]
        if url.endswith(","):
            url, descriptors = url.rstrip(","), ""
        else:
            descriptors, _comma, rest = rest.partition(",")
        candidates.append(" ".join([_resolved(base, url), *descriptors.split()]))
    return ", ".join(candidates)


def _resolved_attribute(base: str, name: str, value: str | None) -> str | None:
    if value is None:
        return None
    if name in _URL_ATTRIBUTES:
        return _resolved(base, value)
    if name == _SRCSET:
        return _resolved_srcset(base, value)
    return value


def _start_tag(tag: str, attrs: list[tuple[str, str | None]], self_closing: bool) -> str:
    written = "".join(f" {name}" if value is None else f' {name}="{html.escape(value)}"' for name, value in attrs)
    return f"<{tag}{written}{' /' if self_closing else ''}>"


def absolute_urls(value: str, *, base: str) -> str:
    """``value`` (HTML) with every relative address in an ``href``, ``src`` or ``srcset``
    resolved against ``base``, the absolute address of the page the HTML belongs to:
    for HTML read away from the site (a feed reader), where "/media/x.jpg" or "#notes"
    would lead nowhere. Tags without a relative address are left exactly as they were.
    """
    if not value or "=" not in value:
        return value
    parser = _TagsWithURLs(value)
    parser.feed(value)
    parser.close()
    pieces = []
    done = 0
    for start, end, tag, attrs, self_closing in parser.tags:
        resolved = [(name, _resolved_attribute(base, name, attr_value)) for name, attr_value in attrs]
        if resolved != attrs:
            pieces += [value[done:start], _start_tag(tag, resolved, self_closing)]
            done = end
    pieces.append(value[done:])
    return "".join(pieces)
