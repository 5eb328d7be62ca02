from django.contrib import admin
from django.shortcuts import redirect

from .models import SiteTexts
from .site import absolute_url


class ViewOnSiteURL:
    """Admin's "View on site" opens the page on SITE_URL, not on whatever host the
    editor reached the admin by."""

    def view_on_site(self, obj):
        return absolute_url(obj.get_absolute_url())


@admin.register(SiteTexts)
class SiteTextsAdmin(admin.ModelAdmin):
    """One set of texts: the list opens it, and it can be neither added twice nor deleted."""

    def changelist_view(self, request, extra_context=None):
        return redirect("admin:core_sitetexts_change", object_id="1")

    def get_object(self, request, object_id, from_field=None):
        return SiteTexts.objects.filter(pk=1).first() or SiteTexts(pk=1) if str(object_id) == "1" else None

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
