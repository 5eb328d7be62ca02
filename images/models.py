"""An uploaded image and the smaller copies (renditions) readers' browsers choose from.

Why not django-imagekit or easy-thumbnails: both find a thumbnail at render time with a
lookup per image (a database row or a storage existence check, which on S3 is a network
round trip), so a page of twenty cards costs twenty lookups. Here one query per page
(``Image.objects.by_name``) returns every image on it, and rendition URLs are computed
from the row, never checked in storage.
"""

from collections.abc import Iterable

from functools import cache

from django.conf import settings
from django.core.files.storage import default_storage
from django.core.signals import setting_changed
from django.db import models
from django.dispatch import receiver
from django.utils.encoding import filepath_to_uri

# Rendition files are named after the original, so the URL of any rendition follows
# from the row alone: renditions/articles/2026/05/tides-jpg-800w.webp for
# articles/2026/05/tides.jpg. The original's extension is part of the name, so
# tides.jpg and tides.png never share a rendition.
RENDITIONS_FOLDER = "renditions"


class ImageFormat(models.TextChoices):
    JPEG = "JPEG", "JPEG"
    PNG = "PNG", "PNG"
    GIF = "GIF", "GIF"
    WEBP = "WEBP", "WebP"


# The file extension each format's renditions get.
EXTENSIONS = {ImageFormat.JPEG: "jpg", ImageFormat.PNG: "png", ImageFormat.WEBP: "webp"}


def rendition_widths(original_width: int) -> list[int]:
    """The widths to make for an original this wide: each IMAGE_RENDITION_WIDTHS width
    smaller than it (never enlarged), plus its own width when it is not wider than the
    largest, so the sharpest copy a browser may pick is never missing."""
    wanted = sorted(set(settings.IMAGE_RENDITION_WIDTHS))
    widths = [width for width in wanted if width < original_width]
    if wanted and original_width <= wanted[-1]:
        widths.append(original_width)
    return widths


def is_original_name(name: str) -> bool:
    """A storage name renditions may be made from: relative, inside the storage, and not
    itself a rendition (an editor may paste a rendition's address into an article)."""
    parts = name.replace("\\", "/").split("/")
    return bool(name) and not (
        name.startswith("/") or ".." in parts or "\x00" in name or parts[0] == RENDITIONS_FOLDER
    )


class ImageQuerySet(models.QuerySet):
    def by_name(self, names: Iterable[str | None]) -> dict[str, "Image"]:
        """The images of one page, by storage name: one query for all of them, none
        when the page has no images."""
        wanted = {name for name in names if name}
        if not wanted:
            return {}
        return {image.name: image for image in self.filter(name__in=wanted)}

    def missing_alt_text(self):
        """Images that readers who cannot see them would miss: no alt text, and not
        marked decorative. ``Image.objects.missing_alt_text().by_name(names)`` gives
        those among an article's images."""
        return self.filter(alt_text="", decorative=False)


class Image(models.Model):
    Format = ImageFormat

    name = models.CharField(
        max_length=255, unique=True,
        help_text="Where the uploaded original is stored, e.g. articles/2026/05/tides.jpg.",
    )
    width = models.PositiveIntegerField(help_text="The original's width in pixels, as readers see it (upright).")
    height = models.PositiveIntegerField(help_text="The original's height in pixels, as readers see it (upright).")
    format = models.CharField(max_length=4, choices=Format.choices)
    animated = models.BooleanField(
        default=False, help_text="Animated images are shown as uploaded: no renditions are made."
    )
    widths = models.JSONField(
        "rendition widths", default=list, blank=True,
        help_text="The widths, in pixels, of the smaller copies made for readers' screens; "
        "empty until they are made.",
    )
    alt_text = models.CharField(
        "alt text", max_length=250, blank=True,
        help_text="What the image shows, for readers who cannot see it (screen readers read it out). "
        "Used wherever an article shows this image without alt text of its own.",
    )
    decorative = models.BooleanField(
        default=False,
        help_text="Tick when the image adds nothing for readers who cannot see it (a pattern, an "
        "ornament): screen readers then skip it. Leave the alt text empty.",
    )
    caption = models.TextField(
        blank=True, help_text="A line to go under the image where an article shows it with a caption.",
    )
    credit = models.CharField(
        max_length=250, blank=True, help_text="Who made the image, or where it comes from, e.g. “Photo: Jane Doe”.",
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, editable=False,
        related_name="uploaded_images",
    )
    created = models.DateTimeField("uploaded", auto_now_add=True)
    modified = models.DateTimeField(auto_now=True)

    objects = ImageQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(decorative=False) | models.Q(alt_text=""),
                name="image_decorative_has_no_alt_text",
                violation_error_message="A decorative image has no alt text: untick “Decorative” "
                "or empty the alt text.",
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        # The original's address in storage (a URL reverse() cannot make: it may be on S3).
        return default_storage.url(self.name)

    def thumbnail(self) -> tuple[str, int, int]:
        """The URL, width and height of the smallest copy, for lists of images: the
        original itself while no rendition is made, or for GIFs."""
        return self.rendition_up_to(min(self.widths, default=0))

    @property
    def is_left_alone(self) -> bool:
        """GIFs and animations are shown as uploaded: resizing would lose frames."""
        return self.format == self.Format.GIF or self.animated

    @property
    def is_ready(self) -> bool:
        return bool(self.widths)

    def planned_widths(self) -> list[int]:
        return [] if self.is_left_alone else rendition_widths(self.width)

    @property
    def rendition_extensions(self) -> list[str]:
        """WebP for the browsers that take it, then the original's own format."""
        own = EXTENSIONS.get(self.format)
        return [] if own is None else list(dict.fromkeys(["webp", own]))

    @property
    def extension(self) -> str:
        """The extension of the renditions in the original's format."""
        return EXTENSIONS[self.format]

    def rendition_name(self, width: int, extension: str) -> str:
        stem, dot, original_extension = self.name.rpartition(".")
        if not dot or "/" in original_extension:
            stem, original_extension = self.name, ""
        suffix = f"-{original_extension}" if original_extension else ""
        return f"{RENDITIONS_FOLDER}/{stem}{suffix}-{width}w.{extension}"

    def rendition_url(self, width: int, extension: str) -> str:
        return media_url(self.rendition_name(width, extension))

    def srcset(self, extension: str) -> str:
        return ", ".join(f"{self.rendition_url(width, extension)} {width}w" for width in self.widths)

    def rendition_up_to(self, width: int) -> tuple[str, int, int]:
        """The URL, width and height of the widest copy in the original's own format that
        is at most ``width`` pixels wide: what link previews (Open Graph, structured data)
        are given. The original itself while no rendition is made, or for GIFs."""
        fitting = [w for w in self.widths if w <= width] if self.is_ready and not self.is_left_alone else []
        if not fitting:
            return media_url(self.name), self.width, self.height
        chosen = fitting[-1]
        return self.rendition_url(chosen, self.extension), chosen, round(self.height * chosen / self.width)

    def fallback_width(self) -> int:
        """The rendition in ``src`` for browsers that ignore srcset: a middle size."""
        middle = [width for width in self.widths if width <= 800]
        return middle[-1] if middle else self.widths[0]


@cache
def _media_prefix() -> str:
    probe = "x"
    return default_storage.url(probe)[: -len(probe)]


@receiver(setting_changed)
def _storage_changed(setting, **kwargs):
    if setting in {"STORAGES", "MEDIA_URL"}:  # in tests; a running site keeps its settings
        _media_prefix.cache_clear()


def media_url(name: str) -> str:
    """``default_storage.url(name)`` for our own file names, without asking the storage
    each time: a page writes dozens of rendition URLs, and the storage's url() (S3's above
    all) costs more than the rest of the picture."""
    return _media_prefix() + filepath_to_uri(name)
