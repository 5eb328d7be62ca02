from django.contrib import admin, messages

from . import services
from .models import Image


@admin.register(Image)
class ImageAdmin(admin.ModelAdmin):
    """Uploaded images and the renditions made of them (made by a task, not by hand)."""

    list_display = ["name", "width", "height", "format", "widths", "modified"]
    list_filter = ["format", "animated"]
    search_fields = ["name"]
    date_hierarchy = "modified"
    readonly_fields = ["name", "width", "height", "format", "animated", "widths", "created", "modified"]
    actions = ["make_again"]

    def has_add_permission(self, request):
        return False

    @admin.action(description="Make the renditions of the selected images again", permissions=["change"])
    def make_again(self, request, queryset):
        report = services.renditions_make(names=queryset.values_list("name", flat=True), force=True)
        level = messages.SUCCESS if not (report.unreadable or report.failed) else messages.WARNING
        self.message_user(
            request, f"Made the renditions of {report.made} image(s); {report.unreadable + report.failed} "
            "could not be made (see the log).", level,
        )
