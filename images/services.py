"""The media library (recording uploaded images) and making renditions: smaller copies
of an uploaded image, in WebP and in its own format."""

import io
import logging
from collections.abc import Iterable
from dataclasses import dataclass

import PIL.Image
from django.conf import settings
from django.core.exceptions import SuspiciousFileOperation
from django.core.files.base import ContentFile, File
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.crypto import get_random_string
from PIL import ImageOps, UnidentifiedImageError

from core.validators import CleanImage, image_upload_clean

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


@dataclass(frozen=True)
class Original:
    """What an original is, read from its pixels: its format, its size as readers see
    it (upright), and whether it is animated."""

    format: str
    width: int
    height: int
    animated: bool


def _upright(file) -> tuple[PIL.Image.Image, Original]:
    """The image in ``file`` decoded whole and turned upright (``ImageOps.exif_transpose``),
    and what it is. Decoding it whole is what finds truncated or damaged data."""
    try:
        with PIL.Image.open(file) as opened:
            width, height = opened.size
            if width * height > settings.MAX_IMAGE_PIXELS:
                raise OriginalUnreadable(f"{width}×{height} pixels is more than MAX_IMAGE_PIXELS")
            if opened.format not in Image.Format.values:
                raise OriginalUnreadable(f"{opened.format} images are not served")
            upright = ImageOps.exif_transpose(opened)
            animated = bool(getattr(opened, "is_animated", False))
            return upright, Original(opened.format, upright.width, upright.height, animated)
    except (OSError, SyntaxError, ValueError, UnidentifiedImageError, PIL.Image.DecompressionBombError) as error:
        # OSError covers truncated image data.
        raise OriginalUnreadable(str(error) or type(error).__name__) from error


def _upright_stored(name: str) -> tuple[PIL.Image.Image, Original]:
    """``_upright`` for the original stored at ``name``."""
    if not is_original_name(name):
        raise OriginalUnreadable("not the name of an uploaded original")
    try:
        with default_storage.open(name, "rb") as stored:
            return _upright(stored)
    except (OSError, SuspiciousFileOperation) as error:  # a missing file, a name outside the storage
        raise OriginalUnreadable(str(error) or type(error).__name__) from error


# --- The media library ----------------------------------------------------------------

LIBRARY_FOLDER = "library"


def upload_read(file: File) -> CleanImage:
    """Check that ``file`` (an editor's upload, not stored yet) is an image readers can be
    shown, by its content whatever its name says, and return the clean copy of it to
    store (``core.validators.image_upload_clean``). Raises ValidationError, in editors'
    words."""
    return image_upload_clean(file)


def library_upload(
    *, file: File, uploaded_by=None, alt_text: str = "", decorative: bool = False, caption: str = "",
    credit: str = "", original: CleanImage | None = None,
) -> Image:
    """Store ``file`` (an editor's upload) in the media library, record it and queue its
    renditions. What is stored is its clean copy (pixels only, upright), as
    ``library/<year>/<month>/<16 random characters>.<ext>``, the extension that of the
    format its content is, never the uploader's file name.

    ``original``: what ``upload_read(file)`` returned, when a form has already checked the
    file; without it the file is checked here. Raises ValidationError before anything is
    stored.
    """
    if original is None:
        original = upload_read(file)
    random = get_random_string(16, allowed_chars="abcdefghijklmnopqrstuvwxyz0123456789")
    image = Image(
        name=f"{LIBRARY_FOLDER}/{timezone.now():%Y/%m}/{random}.{original.extension}",
        format=original.format, width=original.width, height=original.height, animated=original.animated,
        uploaded_by=uploaded_by, alt_text=alt_text, decorative=decorative, caption=caption, credit=credit,
    )
    image.full_clean()
    # The storage may give another name when this one is taken.
    image.name = default_storage.save(image.name, original.as_file())
    image.save()
    renditions_request(names=[image.name])
    return image


EDITOR_UPLOADS_FOLDER = "uploads"


def editor_upload(*, file: File, uploaded_by=None) -> Image:
    """Store an image dropped into the rich-text editor and record it in the media
    library: its clean copy, as ``uploads/<year>/<month>/<16 random characters>.<ext>``.
    Raises ValidationError, in editors' words, before anything is stored."""
    clean = upload_read(file)
    random = get_random_string(16, allowed_chars="abcdefghijklmnopqrstuvwxyz0123456789")
    stored = default_storage.save(
        f"{EDITOR_UPLOADS_FOLDER}/{timezone.now():%Y/%m}/{random}.{clean.extension}", clean.as_file(),
    )
    try:
        return library_add(name=stored, uploaded_by=uploaded_by)
    except Exception:
        default_storage.delete(stored)
        raise


def library_add(*, name: str, uploaded_by=None, alt_text: str = "") -> Image:
    """Record in the media library the image already stored at ``name`` (an upload from
    the rich-text editor) and queue its renditions; returns its row.

    Adding a name the library has returns its row, only filling in what it lacks: the
    uploader, and ``alt_text`` unless the row has alt text or is marked decorative.
    Raises OriginalUnreadable when ``name`` is not an image we can read (nothing is
    recorded), ValidationError when ``alt_text`` is too long.
    """
    image = Image.objects.filter(name=name).first()
    if image is None:
        _, original = _upright_stored(name)
        image = Image(
            name=name, format=original.format, width=original.width, height=original.height,
            animated=original.animated, uploaded_by=uploaded_by, alt_text=alt_text,
        )
        image.full_clean(validate_unique=False)  # recorded meanwhile: found below, not refused
        try:
            with transaction.atomic():
                image.save()
        except IntegrityError:  # the renditions task, or another request, recorded it first
            image = Image.objects.get(name=name)
    changed = []
    if image.uploaded_by_id is None and uploaded_by is not None:
        image.uploaded_by = uploaded_by
        changed.append("uploaded_by")
    if alt_text and not image.alt_text and not image.decorative:
        image.alt_text = alt_text
        changed.append("alt_text")
    if changed:
        image.full_clean()
        image.save(update_fields=[*changed, "modified"])
    renditions_request(names=[image.name])
    return image


# --- Renditions -----------------------------------------------------------------------


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
    upright, original = _upright_stored(name)
    measured = {"format": original.format, "animated": original.animated, "width": original.width,
                "height": original.height}
    planned = Image(name=name, **measured)
    widths = planned.planned_widths()
    for width in widths:
        copy = _resized(upright, width, planned.height * width / planned.width)
        for extension in planned.rendition_extensions:
            _store(planned.rendition_name(width, extension), _encoded(copy, extension))
    # Saved as made, so a page never lists a rendition that is not stored yet. The row is
    # read again here: an editor may have given it alt text (or library_add recorded it)
    # while the copies were made, and only what was measured is written over it.
    measured["widths"] = widths
    with transaction.atomic():
        image = Image.objects.select_for_update().filter(name=name).first() or Image(name=name)
        for field, value in measured.items():
            setattr(image, field, value)
        image.full_clean()
        image.save(update_fields=[*measured, "modified"] if image.pk else None)
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
