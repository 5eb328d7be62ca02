"""Making renditions: smaller copies of an uploaded image, in WebP and in its own format."""

import io
import logging
from collections.abc import Iterable
from dataclasses import dataclass

import PIL.Image
from django.conf import settings
from django.core.exceptions import SuspiciousFileOperation
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from PIL import ImageOps, UnidentifiedImageError

from .models import Image, is_original_name

logger = logging.getLogger(__name__)

# Encoder settings: what the eye does not miss, at about a third of the original's bytes.
SAVE_OPTIONS = {
    "jpg": {"format": "JPEG", "quality": 82, "optimize": True, "progressive": True},
    "png": {"format": "PNG", "optimize": True},
    "webp": {"format": "WEBP", "quality": 80, "method": 4},
}


class OriginalUnreadable(Exception):
    """The original is not in storage, or is not an image we can read."""


@dataclass
class RenditionsReport:
    made: int = 0
    already_made: int = 0
    unreadable: int = 0
    failed: int = 0


def renditions_make(*, names: Iterable[str], force: bool = False) -> RenditionsReport:
    """Make the renditions of each image in ``names`` that does not have them yet
    (``force``: make them again). An image that cannot be read is logged and skipped;
    one that fails for another reason (storage down) is logged and the others go on.
    """
    report = RenditionsReport()
    for name in dict.fromkeys(names):
        try:
            made = image_renditions_make(name=name, force=force)
        except OriginalUnreadable as error:
            logger.warning("No renditions for %r: %s", name, error)
            report.unreadable += 1
        except Exception:
            logger.exception("Making the renditions of %r failed", name)
            report.failed += 1
        else:
            if made:
                report.made += 1
            else:
                report.already_made += 1
    return report


def image_renditions_make(*, name: str, force: bool = False) -> bool:
    """Make and store the renditions of the original at ``name``, then save its
    ``Image`` row (which pages read, and page caches watch). Returns False when they
    were already made for the current IMAGE_RENDITION_WIDTHS.

    The image is turned upright first (``ImageOps.exif_transpose``) and the copies carry
    no EXIF, XMP or comments: a phone photo's GPS position never reaches readers.
    """
    if not is_original_name(name):
        raise OriginalUnreadable("not the name of an uploaded original")
    image = Image.objects.filter(name=name).first()
    if image is not None and not force and image.widths == image.planned_widths():
        return False
    try:
        with default_storage.open(name, "rb") as stored, PIL.Image.open(stored) as original:
            width, height = original.size
            if width * height > settings.MAX_IMAGE_PIXELS:
                raise OriginalUnreadable(f"{width}×{height} pixels is more than MAX_IMAGE_PIXELS")
            if original.format not in Image.Format.values:
                raise OriginalUnreadable(f"{original.format} images are not served")
            image = image or Image(name=name)
            image.format = original.format
            image.animated = bool(getattr(original, "is_animated", False))
            upright = ImageOps.exif_transpose(original)
    except (OSError, SyntaxError, ValueError, UnidentifiedImageError, PIL.Image.DecompressionBombError,
            SuspiciousFileOperation) as error:
        # OSError covers a missing file (FileNotFoundError) and truncated image data.
        raise OriginalUnreadable(str(error) or type(error).__name__) from error
    image.width, image.height = upright.size
    widths = image.planned_widths()
    # Saved as made, so a page never lists a rendition that is not stored yet.
    for width in widths:
        copy = _resized(upright, width, image.height * width / image.width)
        for extension in image.rendition_extensions:
            _store(image.rendition_name(width, extension), _encoded(copy, extension))
    image.widths = widths
    with transaction.atomic():
        image.full_clean()
        image.save()
    return True


def _resized(upright: PIL.Image.Image, width: int, height: float) -> PIL.Image.Image:
    """A copy ``width`` pixels wide, in RGB (or RGBA when the original has transparency),
    with none of the original's metadata but its colour profile."""
    keeps_profile = upright.mode in ("RGB", "RGBA")
    profile = upright.info.get("icc_profile") if keeps_profile else None
    mode = "RGBA" if upright.has_transparency_data else "RGB"
    working = upright if upright.mode == mode else upright.convert(mode)
    size = (width, max(1, round(height)))
    copy = working if working.size == size else working.resize(
        size, PIL.Image.Resampling.LANCZOS, reducing_gap=3.0
    )
    if copy is upright:
        copy = copy.copy()
    # resize() and convert() copy the original's info (EXIF, XMP, comments) along.
    copy.info = {"icc_profile": profile} if profile else {}
    return copy


def _encoded(copy: PIL.Image.Image, extension: str) -> bytes:
    options = dict(SAVE_OPTIONS[extension])
    if copy.info.get("icc_profile"):
        options["icc_profile"] = copy.info["icc_profile"]
    if extension == "jpg" and copy.mode == "RGBA":  # JPEG has no transparency
        copy = copy.convert("RGB")
    out = io.BytesIO()
    copy.save(out, **options)
    return out.getvalue()


def _store(name: str, data: bytes) -> None:
    """Write ``data`` at exactly ``name``: storages (S3 with file_overwrite off, the local
    disk) give a new name to a file saved over another, so the old one goes first."""
    default_storage.delete(name)
    stored = default_storage.save(name, ContentFile(data))
    if stored != name:
        # Another worker stored the same rendition in between: same bytes, keep theirs.
        default_storage.delete(stored)


def renditions_request(*, names: Iterable[str | None]) -> list[str]:
    """Queue the making of renditions for the images in ``names`` that lack them, once
    the current transaction commits (never in the request). Returns the names queued."""
    wanted = [name for name in dict.fromkeys(names) if name and is_original_name(name)]
    if not wanted:
        return []
    known = Image.objects.by_name(wanted)
    missing = [
        name for name in wanted
        if name not in known or known[name].widths != known[name].planned_widths()
    ]
    if missing:
        from .tasks import make_renditions

        # robust: what triggered this is stored; a queue that fails now is logged, and
        # `manage.py make_renditions` catches up.
        transaction.on_commit(lambda: make_renditions.enqueue(names=missing), robust=True)
    return missing
