from django.core.files.base import File
from django.core.files.images import get_image_dimensions
from django.db import models
from django.db.models.fields.files import FieldFile, FileDescriptor, ImageFileDescriptor
from django_ckeditor_5.fields import CKEditor5Field

from .html import clean_html


class SanitizedHTMLField(CKEditor5Field):
    """Rich text edited with CKEditor 5 and sanitized every time it is saved.

    Sanitizing in ``pre_save`` means every writer (admin, import, shell) goes
    through the same allow-list before anything reaches the database.
    """

    def pre_save(self, model_instance, add):
        value = clean_html(getattr(model_instance, self.attname))
        setattr(model_instance, self.attname, value)
        return value


def _file_name(value) -> str:
    return (value.name if isinstance(value, File) else value) or ""


def _is_new_content(value) -> bool:
    """An upload or other content not yet in storage (not a stored file's name)."""
    return isinstance(value, File) and not getattr(value, "_committed", False)


class MeasuredImageFileDescriptor(ImageFileDescriptor):
    def __set__(self, instance, value):
        previous = instance.__dict__.get(self.field.attname)
        # Django's ImageFileDescriptor measures on every assignment, including
        # Model.clean_fields() putting the same stored file back (each full_clean, so
        # each admin save, opened the file); only a different image is measured here.
        FileDescriptor.__set__(self, instance, value)
        if previous is not None and (_is_new_content(value) or _file_name(value) != _file_name(previous)):
            self.field.update_dimension_fields(instance, force=True)


class MeasuredImageField(models.ImageField):
    """An image whose width and height are measured once, when it is stored, then read
    from its dimension fields.

    Django's ImageField measures on every ``post_init`` whose row lacks stored
    dimensions: each page that loads such a row opens its image file, and a missing
    file turns the page into a 500. Here loading a row never touches the file; a new
    image is measured when it is assigned (an upload, or ``field.save(name, content)``),
    and a row saved without dimensions gets them measured at save time when the file
    can be read.
    """

    descriptor_class = MeasuredImageFileDescriptor

    def update_dimension_fields(self, instance, force=False, *args, **kwargs):
        # post_init calls this without force for every instance, including every row
        # loaded from the database: never measure there.
        if not force or not (self.width_field or self.height_field):
            return
        value = instance.__dict__.get(self.attname)
        if isinstance(value, File) and not isinstance(value, FieldFile) and not value.name:
            # FieldFile.save(name, ContentFile(data)) assigns the content, which has no
            # name, so Django's own code takes it for "no file" and stores no dimensions.
            self._set_dimensions(instance, *get_image_dimensions(value))
            return
        try:
            super().update_dimension_fields(instance, force=True)
        except (OSError, ValueError):
            # A name assigned for a file that is not there (or not an image): no size.
            self._set_dimensions(instance, None, None)

    def pre_save(self, model_instance, add):
        file = super().pre_save(model_instance, add)
        if file and self._dimensions_missing(model_instance):
            self._set_dimensions(model_instance, *measure_stored_image(file))
        return file

    def _dimensions_missing(self, instance) -> bool:
        return any(
            field and getattr(instance, field) is None for field in (self.width_field, self.height_field)
        )

    def _set_dimensions(self, instance, width, height) -> None:
        if self.width_field:
            setattr(instance, self.width_field, width)
        if self.height_field:
            setattr(instance, self.height_field, height)


def measure_stored_image(file: FieldFile) -> tuple[int | None, int | None]:
    """Width and height of an image in storage, or (None, None) when it cannot be read."""
    try:
        with file.storage.open(file.name, "rb") as stored:
            return get_image_dimensions(stored)
    except (OSError, ValueError):
        return None, None
