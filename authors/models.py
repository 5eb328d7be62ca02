from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import models
from django.urls import reverse

from core.fields import MeasuredImageField, SanitizedHTMLField
from core.pagecache import PageContentQuerySet
from core.redirects import validate_web_address
from core.validators import validate_image_file


def validate_url_lines(value: str) -> None:
    check = URLValidator(schemes=["http", "https"])
    for line in value.splitlines():
        if line.strip():
            try:
                check(line.strip())
            except ValidationError:
                raise ValidationError(f"“{line.strip()}” is not a web address.")


class AuthorQuerySet(PageContentQuerySet):
    def active(self):
        return self.filter(is_active=True)


class Author(models.Model):
    name = models.CharField(max_length=120)
    slug = models.SlugField(max_length=120, unique=True)
    credentials = models.CharField(
        max_length=160, blank=True, help_text="Shown after the name, e.g. “Registered Nurse, BSN”."
    )
    short_bio = models.CharField(
        max_length=300, blank=True, help_text="One or two sentences for the box under each article."
    )
    bio = SanitizedHTMLField(blank=True, help_text="The full biography on the author's page.")
    photo = MeasuredImageField(
        upload_to="authors/", blank=True, validators=[validate_image_file],
        width_field="photo_width", height_field="photo_height",
    )
    photo_width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    photo_height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    photo_alt = models.CharField(
        "photo alt text", max_length=250, blank=True,
        help_text="Describe the photo for readers who cannot see it. Left empty, pages use “Photo of” and the name.",
    )
    expertise = models.CharField(
        "areas of expertise", max_length=300, blank=True,
        help_text="Comma-separated, e.g. “back pain, sports injuries, first aid”.",
    )
    website = models.URLField(blank=True, validators=[validate_web_address])
    social_links = models.TextField(
        blank=True, validators=[validate_url_lines],
        help_text="Profiles elsewhere, one web address per line.",
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="author", help_text="The staff account this author signs in with, if any.",
    )
    is_active = models.BooleanField(
        "active", default=True, help_text="Inactive authors keep their articles but are not offered for new ones."
    )

    objects = AuthorQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("authors:detail", kwargs={"slug": self.slug})

    @property
    def photo_description(self) -> str:
        """The photo's alt text: the editor's description, or "Photo of <name>"."""
        return self.photo_alt.strip() or f"Photo of {self.name}"

    @property
    def expertise_list(self) -> list[str]:
        return [area.strip() for area in self.expertise.split(",") if area.strip()]

    @property
    def social_link_list(self) -> list[str]:
        return [line.strip() for line in self.social_links.splitlines() if line.strip()]
