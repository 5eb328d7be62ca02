from .site import absolute_url


class ViewOnSiteURL:
    """Admin's "View on site" opens the page on SITE_URL, not on whatever host the
    editor reached the admin by."""

    def view_on_site(self, obj):
        return absolute_url(obj.get_absolute_url())
