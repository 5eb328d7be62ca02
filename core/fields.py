from django import forms
from django.core.files.base import File
from django.core.files.images import get_image_dimensions
from django.db import models
from django.db.models.fields.files import FieldFile, FileDescriptor, ImageFileDescriptor, ImageFieldFile
from django.forms.widgets import FileInput
from django.utils.crypto import get_random_string
from django_ckeditor_5.fields import CKEditor5Field

from .html import clean_html
from .validators import IMAGE_CONTENT_TYPES, image_upload_clean


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


class CleanImageFieldFile(ImageFieldFile):
    """An image field's file that stores new content as ``image_upload_clean`` makes it:
    encoded again from its pixels, under a random name with its format's extension, in
    the field's ``upload_to`` folder. The uploader's file name is never used."""

    def save(self, name, content, save=True):
        clean = image_upload_clean(content)  # raises ValidationError; admin's form checked it first
        name = f"{get_random_string(16, allowed_chars='abcdefghijklmnopqrstuvwxyz0123456789')}.{clean.extension}"
        name = self.field.generate_filename(self.instance, name)
        self.name = self.storage.save(name, clean.as_file(name), max_length=self.field.max_length)
        # Its size is known: nothing to read back from storage (a round trip on S3).
        self.instance.__dict__[self.field.attname] = self.name
        self._dimensions_cache = (clean.width, clean.height)
        self.field._set_dimensions(self.instance, clean.width, clean.height)
        self._committed = True
        if save:
            self.instance.save()

    save.alters_data = True


class ImageUploadFormField(forms.FileField):
    """The form field of our image fields: the file as uploaded, checked by the model
    field's validator (``validate_image_file``, the one rule for every upload).

    Django's forms.ImageField opens an upload with every format Pillow knows before
    that, and answers Pillow's decompression-bomb error with a vague message.
    """

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        if isinstance(widget, FileInput) and "accept" not in widget.attrs:
            attrs["accept"] = ",".join(IMAGE_CONTENT_TYPES.values())
        return attrs


class MeasuredImageField(models.ImageField):
    """An image whose width and height are measured once, when it is stored, then read
    from its dimension fields.

    New content is stored clean (``CleanImageFieldFile``). Django's ImageField measures
    on every ``post_init`` whose row lacks stored dimensions: each page that loads such
    a row opens its image file, and a missing file turns the page into a 500. Here
    loading a row never touches the file; a new image is measured when its clean copy
    is stored (an upload, or ``field.save(name, content)``), a stored file's name
    assigned is measured then, and a row saved without dimensions gets them measured at
    save time when the file can be read.
    """

    descriptor_class = MeasuredImageFileDescriptor
    attr_class = CleanImageFieldFile

    def formfield(self, **kwargs):
        # max_length None: the uploader's file name is never stored, so its length does not matter.
        return super().formfield(**{"form_class": ImageUploadFormField, "max_length": None, **kwargs})

    def update_dimension_fields(self, instance, force=False, *args, **kwargs):
        # post_init calls this without force for every instance, including every row
        # loaded from the database: never measure there.
        if not force or not (self.width_field or self.height_field):
            return
        if _is_new_content(instance.__dict__.get(self.attname)):
            # An upload is not opened before the validator has checked it: it is measured
            # when its clean copy is stored (CleanImageFieldFile.save).
            self._set_dimensions(instance, None, None)
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
