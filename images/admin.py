from django.contrib import admin, messages
from django.utils.html import format_html

from core.site import absolute_url

from . import services
from .forms import ImageUploadForm
from .models import Image

THUMBNAIL_BOX = 80  # pixels, in the list
PREVIEW_BOX = 400  # pixels, on the change form


def _fitted(width: int, height: int, box: int) -> tuple[int, int]:
    """``width`` × ``height`` scaled down to fit in a ``box`` pixels square (never enlarged)."""
    scale = min(1, box / max(width, height, 1))
    return max(1, round(width * scale)), max(1, round(height * scale))


class AltTextFilter(admin.SimpleListFilter):
    title = "alt text"
    parameter_name = "alt_text"

    def lookups(self, request, model_admin):
        return [("missing", "Missing")]

    def queryset(self, request, queryset):
        if self.value() == "missing":
            return queryset.missing_alt_text()
        return queryset


@admin.register(Image)
class ImageAdmin(admin.ModelAdmin):
    """The media library: images editors upload here or in an article's text, what readers
    who cannot see them are told, and the renditions made of them (made by a task, not
    by hand)."""

    list_display = ["thumbnail", "name", "alt_text_shown", "size", "uploaded_by", "created"]
    list_display_links = ["thumbnail", "name"]
    list_filter = ["format", AltTextFilter, "decorative", "animated"]
    list_select_related = ["uploaded_by"]
    search_fields = ["name", "alt_text", "caption", "credit"]
    date_hierarchy = "created"
    ordering = ["-created"]
    fieldsets = [
        (None, {"fields": ["preview", "address", "alt_text", "decorative", "caption", "credit"]}),
        ("File", {"fields": ["name", ("width", "height"), "format", "uploaded_by", "created"]}),
        ("Advanced", {"classes": ["collapse"], "fields": ["animated", "widths", "modified"]}),
    ]
    add_fieldsets = [(None, {"fields": ["file", "alt_text", "decorative", "caption", "credit"]})]
    readonly_fields = [
        "preview", "address", "name", "width", "height", "format", "uploaded_by", "created", "animated",
        "widths", "modified",
    ]
    actions = ["make_again"]

    def get_fieldsets(self, request, obj=None):
        return self.add_fieldsets if obj is None else super().get_fieldsets(request, obj)

    def get_readonly_fields(self, request, obj=None):
        return [] if obj is None else super().get_readonly_fields(request, obj)

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is None:
            kwargs["form"] = ImageUploadForm
        return super().get_form(request, obj, change=change, **kwargs)

    def save_form(self, request, form, change):
        instance = super().save_form(request, form, change)  # also readies save_related
        if change:
            return instance
        # An upload is stored under a name of the library's choosing, then recorded.
        return services.library_upload(
            file=form.cleaned_data["file"], original=form.original, uploaded_by=request.user,
            alt_text=instance.alt_text, decorative=instance.decorative, caption=instance.caption,
            credit=instance.credit,
        )

    def save_model(self, request, obj, form, change):
        # An added image was saved by library_upload (save_form). A change writes only what
        # the form edits, so renditions the task records meanwhile are not undone.
        if change:
            obj.save(update_fields=[*form.fields, "modified"])

    @admin.display(description="Image")
    def thumbnail(self, image):
        url, width, height = image.thumbnail()
        width, height = _fitted(width, height, THUMBNAIL_BOX)
        return format_html(
            '<img src="{}" width="{}" height="{}" alt="{}" loading="lazy">', url, width, height, image.alt_text
        )

    @admin.display(description="Alt text", ordering="alt_text")
    def alt_text_shown(self, image):
        if image.decorative:
            return "Decorative"
        if image.alt_text:
            return image.alt_text
        return format_html("<strong>{}</strong>", "Alt text missing")

    @admin.display(description="Size (pixels)", ordering="width")
    def size(self, image):
        return f"{image.width} × {image.height}"

    @admin.display(description="Preview")
    def preview(self, image):
        url, width, height = image.rendition_up_to(2 * PREVIEW_BOX)
        width, height = _fitted(width, height, PREVIEW_BOX)
        return format_html(
            '<a href="{}"><img src="{}" width="{}" height="{}" alt="{}"></a>',
            image.get_absolute_url(), url, width, height, image.alt_text,
        )

    @admin.display(description="Address to paste")
    def address(self, image):
        return absolute_url(image.get_absolute_url())

    @admin.action(description="Make the renditions of the selected images again", permissions=["change"])
    def make_again(self, request, queryset):
        report = services.renditions_make(names=queryset.values_list("name", flat=True), force=True)
        level = messages.SUCCESS if not (report.unreadable or report.failed) else messages.WARNING
        self.message_user(
            request, f"Made the renditions of {report.made} image(s); {report.unreadable + report.failed} "
            "could not be made (see the log).", level,
        )
