from django import forms
from django.conf import settings

from . import services
from .models import Image


class ImageUploadForm(forms.ModelForm):
    """Adding an image to the library in admin: the file, and what readers are told of it.

    The file is checked by its content while the form is cleaned; ``original`` then holds
    its clean copy (what it is, encoded again from its pixels), for
    ``services.library_upload``, which stores and records it.
    """

    file = forms.FileField()

    class Meta:
        model = Image
        fields = ["file", "alt_text", "decorative", "caption", "credit"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = (
            f"A JPEG, PNG, GIF or WebP image of at most {settings.MAX_IMAGE_UPLOAD_MB} MB. It is stored "
            "under a new name, so the file's own name does not matter, and without its camera data "
            "(GPS position included)."
        )

    def clean_file(self):
        file = self.cleaned_data["file"]
        self.original = services.upload_read(file)
        return file
