"""What the article editor needs from the partners app: the affiliate links it can insert.

The admin's "Insert affiliate link" control (static/js/partner-link-picker.js) reads this
list and links the editor's selected text to the chosen link's ``/go/<slug>``.
"""

from django.http import HttpResponseForbidden, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from .models import PartnerLink


@require_safe
@never_cache
def affiliate_links(request):
    """Every active link of an active partner, as JSON, for staff who may view links.

    Anyone else gets 403 (not a login redirect: the caller is a script on an admin page).
    """
    user = request.user
    if not (user.is_active and user.is_staff and user.has_perm("partners.view_partnerlink")):
        return HttpResponseForbidden("Only editors who may view affiliate links can list them.")
    links = PartnerLink.objects.active().select_related("partner")
    return JsonResponse({
        "links": [
            {
                "name": link.name,
                "partner": link.partner.name,
                "slug": link.slug,
                "url": link.get_absolute_url(),
            }
            for link in links
        ],
    })
