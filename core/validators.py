"""Checks for images editors upload: a real image, of a kind we serve, not too big."""

from django.conf import settings
from django.core.exceptions import ValidationError
from PIL import Image, UnidentifiedImageError

ALLOWED_IMAGE_FORMATS = {"JPEG", "PNG", "GIF", "WEBP"}


def validate_image_file(file) -> str:
    """Raise ValidationError unless ``file`` is an acceptable image; return its format.

    Pillow reads the file's own bytes, so a text file renamed ``.png`` is refused
    whatever its name or declared content type says.
    """
    if getattr(file, "_committed", False):
        # A file already in storage was checked when it was uploaded; re-saving the
        # model (full_clean) must not reopen and re-verify it.
        return ""
    max_bytes = settings.MAX_IMAGE_UPLOAD_MB * 1024 * 1024
    if file.size is not None and file.size > max_bytes:
        raise ValidationError(
            "This image is %(size).1f MB; the largest allowed is %(max)d MB.",
            code="image_too_large",
            params={"size": file.size / 1024 / 1024, "max": settings.MAX_IMAGE_UPLOAD_MB},
        )
    position = file.tell() if hasattr(file, "tell") else 0
    try:
        file.seek(0)
        with Image.open(file) as image:
            image_format = image.format
            width, height = image.size
            if width * height > settings.MAX_IMAGE_PIXELS:
                raise ValidationError(
                    "This image is %(w)d×%(h)d pixels, which is too large to publish.",
                    code="image_too_many_pixels",
                    params={"w": width, "h": height},
                )
            image.verify()
    except ValidationError:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError,
            Image.DecompressionBombError):
        raise ValidationError(
            "This file is not an image we can read. Upload a JPEG, PNG, GIF or WebP image.",
            code="not_an_image",
        )
    finally:
        file.seek(position)
    if image_format not in ALLOWED_IMAGE_FORMATS:
        raise ValidationError(
            "%(format)s images are not accepted. Upload a JPEG, PNG, GIF or WebP image.",
            code="image_format",
            params={"format": image_format or "This kind of"},
        )
    return image_format
