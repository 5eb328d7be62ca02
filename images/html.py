"""Pictures in HTML: the <picture> markup, and rewriting the <img> tags of article bodies.

Body HTML is rewritten when a page is rendered (renditions appear after the article is
saved), from HTML that ``core.html.clean_html`` has already sanitized: its serializer
writes lower-case tags and double-quoted attributes, which the patterns here rely on.
Anything they do not recognise is left exactly as it was.
"""

import html
import re
from functools import lru_cache
from urllib.parse import unquote

from django.conf import settings
from django.core.files.storage import default_storage
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from core.site import absolute_url

from .layout import body_image_sizes
from .models import Image, is_original_name

_ATTRS = r'((?:\s+[^\s"\'>/=]+(?:="[^"]*")?)*)\s*/?'
_BODY_TAG = re.compile(rf"<figure{_ATTRS}>|</figure>|<img{_ATTRS}>")
_ATTR = re.compile(r'([^\s"\'>/=]+)(?:="([^"]*)")?')
_ANY_SRC = re.compile(r"""<img\b[^>]*?\ssrc\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""", re.IGNORECASE)
ALIGNED_CLASSES = {"image-style-align-left", "image-style-align-right"}
# Larger than any layout draws an image; a width or height beyond it is junk.
MAX_DIMENSION = 20_000


def storage_name(src: str) -> str | None:
    """The storage name of an uploaded original at the URL ``src`` (as written in an
    ``src`` attribute), or None for anything else: another site, a rendition, a path
    that leaves the upload folder, a URL with a query."""
    src = html.unescape(src).strip()
    probe = "x"
    prefix = default_storage.url(probe)[: -len(probe)]
    if prefix.startswith("/") and src.startswith(settings.SITE_URL + prefix):
        src = src[len(settings.SITE_URL):]  # our own address, written out in full
    if not src.startswith(prefix) or "?" in src or "#" in src:
        return None
    name = unquote(src[len(prefix):])
    return name if is_original_name(name) else None


def image_names_in(value: str) -> list[str]:
    """The storage names of the uploaded images an HTML fragment shows, in order."""
    if "<img" not in value.lower():
        return []
    names = (storage_name(next(filter(None, match.groups()), "")) for match in _ANY_SRC.finditer(value))
    return list(dict.fromkeys(name for name in names if name))


SOCIAL_IMAGE_WIDTH = 1200  # what link previews ask for


def social_image(file, images: dict, *, alt: str = "") -> dict | None:
    """The image a shared link shows for ``file`` (a stored image field): its 1200 px
    rendition, absolute, with its size, for Open Graph and structured data. ``images`` is
    the page's ``Image.objects.by_name(...)``; an image missing from it is given as
    uploaded, with the size measured at upload."""
    if not file:
        return None
    image = images.get(file.name)
    if image is not None:
        url, width, height = image.rendition_up_to(SOCIAL_IMAGE_WIDTH)
    else:
        url = file.url
        width = getattr(file.instance, file.field.width_field or "", None)
        height = getattr(file.instance, file.field.height_field or "", None)
    return {"url": absolute_url(url), "width": width, "height": height, "alt": alt}


def picture_html(
    image: Image | None, *, src: str, alt: str | None, sizes: str, width: int | None, height: int | None,
    css_class: str | None = None, loading: str = "lazy", fetchpriority: str | None = None,
) -> SafeString:
    """A <picture> choosing among ``image``'s renditions, WebP first; the plain <img> at
    ``src`` while the renditions are not made (or never will be: GIFs). Width and height
    are always written when known, so the page keeps its shape while images load."""
    if image is None or not image.is_ready:
        return format_html("<img{}>", _attributes({
            "src": src, "alt": alt, "class": css_class, "width": width, "height": height,
            "loading": loading, "fetchpriority": fetchpriority, "decoding": "async",
        }))
    return _picture(image.name, image.format, tuple(image.widths), alt, sizes, width, height, css_class,
                    loading, fetchpriority)


# The markup is a pure function of these values, and a page writes the same few pictures
# on every rendering: each worker remembers its latest ones (a fifth of an uncached
# article page's rendering went to its three cards' pictures).
@lru_cache(maxsize=1024)
def _picture(name, image_format, widths, alt, sizes, width, height, css_class, loading, fetchpriority):
    image = Image(name=name, format=image_format, widths=list(widths))
    attrs = {"alt": alt, "class": css_class, "width": width, "height": height, "loading": loading,
             "fetchpriority": fetchpriority, "decoding": "async"}
    webp = ""
    if image.extension != "webp":  # a WebP original's renditions are WebP already
        webp = format_html("<source{}>", _attributes({"type": "image/webp", "srcset": image.srcset("webp"),
                                                       "sizes": sizes}))
    img = format_html("<img{}>", _attributes({
        "src": image.rendition_url(image.fallback_width(), image.extension),
        "srcset": image.srcset(image.extension), "sizes": sizes, **attrs,
    }))
    return format_html("<picture>{}{}</picture>", webp, img)


@receiver(setting_changed)
def _storage_changed(setting, **kwargs):
    if setting in {"STORAGES", "MEDIA_URL"}:  # in tests; a running site keeps its settings
        _picture.cache_clear()


def _attributes(attrs: dict) -> str:
    """Escaped attributes, leaving out those without a value (but an empty alt, which
    tells screen readers the image is decoration)."""
    return format_html_join("", ' {}="{}"', (
        (name, value) for name, value in attrs.items() if value is not None and (value != "" or name == "alt")
    ))


def names_without_own_alt(value: str) -> list[str]:
    """The storage names of uploaded images in ``value`` whose <img> has no alt text of
    its own: they need the library's (or to be marked decorative there)."""
    if "<img" not in value:
        return []
    names = []
    for match in _BODY_TAG.finditer(value):
        if not match.group(0).startswith("<img"):
            continue
        attrs = {name: html.unescape(raw) for name, raw in _ATTR.findall(match.group(2) or "")}
        name = storage_name(attrs.get("src", "")) if "src" in attrs else None
        if name and not attrs.get("alt", "").strip():
            names.append(name)
    return list(dict.fromkeys(names))


def responsive_images(value: str, images: dict[str, Image]) -> str:
    """``value`` (sanitized HTML) with each <img> of an uploaded image that ``images``
    knows turned into a lazy <picture>, given the width, height and alt text it lacks;
    other <img> tags (another site's, a missing file, junk sizes) are left as they are."""
    if "<img" not in value:
        return value
    figure_classes: set[str] = set()

    def rewrite(match: re.Match) -> str:
        nonlocal figure_classes
        tag = match.group(0)
        if tag.startswith("<figure"):
            figure_classes = set(dict(_ATTR.findall(match.group(1) or "")).get("class", "").split())
            return tag
        if tag == "</figure>":
            figure_classes = set()
            return tag
        attrs = {name: html.unescape(raw) for name, raw in _ATTR.findall(match.group(2) or "")}
        name = storage_name(attrs.get("src", "")) if "src" in attrs else None
        image = images.get(name) if name else None
        size = _size(attrs, image) if image else None
        if size is None:
            return tag
        width, height = size
        return picture_html(
            image, src=attrs["src"], alt=_alt(attrs.get("alt"), image), width=width, height=height,
            sizes=body_image_sizes(width, aligned=bool(figure_classes & ALIGNED_CLASSES)),
        )

    return _BODY_TAG.sub(rewrite, value)


def _alt(given: str | None, image: Image) -> str | None:
    """The alt text to write: the tag's own, written for this article; when it has none,
    the media library's (empty for an image marked decorative)."""
    if given and given.strip():
        return given
    if image.decorative:
        return ""
    return image.alt_text or given


def _size(attrs: dict[str, str], image: Image) -> tuple[int, int] | None:
    """The width and height to write: the tag's own, completed from the image's shape;
    None when the tag carries sizes that are not sizes."""
    given = {}
    for dimension in ("width", "height"):
        if dimension in attrs:
            text = attrs[dimension].strip()
            if not text.isdigit() or not 0 < int(text) <= MAX_DIMENSION:
                return None
            given[dimension] = int(text)
    if "width" in given and "height" in given:
        return given["width"], given["height"]
    if "width" in given:
        return given["width"], max(1, round(given["width"] * image.height / image.width))
    if "height" in given:
        return max(1, round(given["height"] * image.width / image.height)), given["height"]
    return image.width, image.height
