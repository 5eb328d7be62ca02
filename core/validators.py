"""Checks for images editors upload, and the clean copy of them that is stored.

One rule for every way an image gets in (admin's image fields, the media library, the
rich-text editor): only JPEG, PNG, GIF and WebP, decided by the content, never by the
file's name or the Content-Type the browser sent; not too many bytes; not too many
pixels, counted before anything is decoded; decoded whole, so a damaged or truncated
file is refused; then encoded again, so what is stored is pixels only: no EXIF (camera,
GPS position), XMP or comments, and none of the bytes an attacker wrote around or inside
the picture (an HTML page or a script in a PNG chunk or a GIF comment).
"""

import io
import warnings
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from PIL import Image, ImageOps, ImageSequence, UnidentifiedImageError

ALLOWED_IMAGE_FORMATS = {"JPEG", "PNG", "GIF", "WEBP"}
# Pillow reads a JPEG carrying extra pictures (some cameras' MPO files) as "MPO": its
# first picture is a JPEG, and that is what is kept.
_READ_AS = {"MPO": "JPEG"}
IMAGE_EXTENSIONS = {"JPEG": "jpg", "PNG": "png", "GIF": "gif", "WEBP": "webp"}
IMAGE_CONTENT_TYPES = {"JPEG": "image/jpeg", "PNG": "image/png", "GIF": "image/gif", "WEBP": "image/webp"}
# An animation is decoded frame by frame: its cost is its pixels times its frames, which
# is what MAX_IMAGE_PIXELS caps. This many frames of a few pixels each cost next to
# nothing in pixels but still a decoder run each.
MAX_ANIMATION_FRAMES = 1000

ACCEPTED = "Upload a JPEG, PNG, GIF or WebP image."


@dataclass(frozen=True)
class CleanImage:
    """An upload that passed the checks, encoded again from its pixels alone."""

    format: str  # JPEG, PNG, GIF or WEBP
    width: int  # as readers see it: turned upright by its EXIF orientation
    height: int
    animated: bool
    content: bytes

    @property
    def extension(self) -> str:
        return IMAGE_EXTENSIONS[self.format]

    @property
    def content_type(self) -> str:
        return IMAGE_CONTENT_TYPES[self.format]

    def as_file(self, name: str = "") -> ContentFile:
        """The clean bytes as a file for a storage, carrying the content type of its
        format (object storage takes a file's ``content_type`` before its name's)."""
        file = ContentFile(self.content, name=name or f"image.{self.extension}")
        file.content_type = self.content_type
        return file


def validate_image_file(file) -> str:
    """Raise ValidationError unless ``file`` is an image we accept; return its format.

    The validator of every image field: a file already in storage was checked when it
    was uploaded, so re-saving its row (full_clean) does not open it again.
    """
    if getattr(file, "_committed", False):
        return ""
    return image_upload_clean(file).format


def image_upload_clean(file) -> CleanImage:
    """Check ``file`` (an upload, not stored yet) and return the copy of it to store.

    Raises ValidationError, in editors' words, when it is too big, not an image of a
    kind we accept, too many pixels, or damaged.
    """
    max_bytes = settings.MAX_IMAGE_UPLOAD_MB * 1024 * 1024
    size = getattr(file, "size", None)
    if size is not None and size > max_bytes:
        raise ValidationError(
            "This image is %(size).1f MB; the largest allowed is %(max)d MB.",
            code="image_too_large",
            params={"size": size / 1024 / 1024, "max": settings.MAX_IMAGE_UPLOAD_MB},
        )
    position = file.tell() if hasattr(file, "tell") else 0
    try:
        file.seek(0)
        data = file.read(max_bytes + 1)
    finally:
        file.seek(position)
    if len(data) > max_bytes:  # a file that did not say its size
        raise ValidationError(
            "This image is larger than %(max)d MB, the largest allowed.",
            code="image_too_large", params={"max": settings.MAX_IMAGE_UPLOAD_MB},
        )
    try:
        with _opened(data) as image:
            image_format = _READ_AS.get(image.format, image.format)
            if image_format not in ALLOWED_IMAGE_FORMATS:
                raise ValidationError("This file is not an image we can read. " + ACCEPTED, code="not_an_image")
            frames = _frame_count(image, image_format)
            _check_pixels(*image.size, frames)
            return _encoded(image, image_format, frames)
    except ValidationError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ValidationError(
            "This image has more than %(max)s pixels, which is too large to publish.",
            code="image_too_many_pixels", params={"max": f"{settings.MAX_IMAGE_PIXELS:,}"},
        )
    except UnidentifiedImageError:
        raise ValidationError("This file is not an image we can read. " + ACCEPTED, code="not_an_image")
    except (OSError, EOFError, SyntaxError, ValueError, IndexError, TypeError, MemoryError):
        # OSError is what a truncated file raises while it is decoded; the others, what
        # damaged headers and chunks raise in Pillow's readers.
        raise ValidationError(
            "This image is damaged or incomplete, so it cannot be shown. Save or export it again, "
            "then upload it.", code="image_unreadable",
        )


def _opened(data: bytes) -> Image.Image:
    """The image in ``data``, read by the readers of the accepted formats only (Pillow's
    other readers, EPS's Ghostscript among them, never see an upload).

    Pillow warns about a picture with more pixels than its own limit when it opens it,
    before our cap is checked: here that warning is an error (answered as "too many
    pixels"), so it never reaches the logs as a warning about an upload we refuse anyway.
    """
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        return Image.open(io.BytesIO(data), formats=sorted(ALLOWED_IMAGE_FORMATS))


def _frame_count(image: Image.Image, image_format: str) -> int:
    if image_format == "JPEG":  # an MPO's other pictures are not kept
        return 1
    frames = getattr(image, "n_frames", 1)
    if frames > MAX_ANIMATION_FRAMES:
        raise ValidationError(
            "This animation has %(frames)d frames; the most allowed is %(max)d.",
            code="image_too_many_frames", params={"frames": frames, "max": MAX_ANIMATION_FRAMES},
        )
    return frames


def _check_pixels(width: int, height: int, frames: int) -> None:
    """The size the image says it has, checked before any of it is decoded; the decoder
    then makes exactly this many pixels (and ``_encoded`` checks it did)."""
    if width * height * frames <= settings.MAX_IMAGE_PIXELS:
        return
    if frames > 1:
        raise ValidationError(
            "This animation is %(w)d×%(h)d pixels in %(frames)d frames, which is too large to publish: "
            "make it smaller or shorter.",
            code="image_too_many_pixels", params={"w": width, "h": height, "frames": frames},
        )
    raise ValidationError(
        "This image is %(w)d×%(h)d pixels, which is too large to publish.",
        code="image_too_many_pixels", params={"w": width, "h": height},
    )


# How each format is written again. JPEG and WebP are encoded lossily once more, at a
# quality where the eye sees no difference; PNG is lossless.
_SAVE_OPTIONS = {
    "JPEG": {"quality": 90, "optimize": True, "progressive": True},
    "PNG": {"optimize": True},
    "GIF": {"optimize": False},
    "WEBP": {"quality": 90, "method": 4},
}


def _encoded(image: Image.Image, image_format: str, frames: int) -> CleanImage:
    """Decode every frame of ``image`` (a truncated file fails here) and encode its pixels
    again in its own format: upright, and carrying nothing but its colour profile (and
    an animation's timing and looping)."""
    profile = image.info.get("icc_profile")
    options = dict(_SAVE_OPTIONS[image_format])
    if profile and image_format != "GIF":
        options["icc_profile"] = profile
    if frames == 1:
        image.load()
        _check_pixels(*image.size, 1)
        first = _pixels_only(ImageOps.exif_transpose(image))
        if "transparency" in first.info:  # a palette's or a colour key's
            options["transparency"] = first.info["transparency"]
        if image_format == "JPEG" and first.mode not in ("RGB", "L", "CMYK"):
            first = first.convert("RGB")
    else:
        pictures, durations = [], []
        for frame in ImageSequence.Iterator(image):
            frame.load()
            _check_pixels(*frame.size, 1)
            pictures.append(_pixels_only(frame))
            durations.append(frame.info.get("duration", 100))
        # Pillow gives an animation's frames whole (drawn over the ones before); written
        # again in one mode, each replacing the one before, they look as they did.
        mode = "RGBA" if any(picture.has_transparency_data for picture in pictures) else "RGB"
        first, *rest = [picture.convert(mode) for picture in pictures]
        options.update(save_all=True, append_images=rest, duration=durations)
        if "loop" in image.info:  # else it plays once, as it did
            options["loop"] = image.info["loop"]
        if image_format == "GIF":
            options["disposal"] = 2
    out = io.BytesIO()
    first.save(out, image_format, **options)
    return CleanImage(image_format, first.width, first.height, frames > 1, out.getvalue())


def _pixels_only(image: Image.Image) -> Image.Image:
    """A copy of ``image``'s pixels (and palette transparency) without its metadata:
    Pillow's writers take EXIF, XMP and comments from ``info`` unless told otherwise."""
    copy = image.copy()
    kept = {"transparency": image.info["transparency"]} if "transparency" in image.info else {}
    copy.info = kept
    return copy
