from django.shortcuts import render
from django.views.decorators.http import require_safe

from core.pagecache import public_page

from .models import AffiliatePartner


@require_safe
@public_page
def affiliate_partners(request):
    return render(request, "partners/affiliate_partners.html", {"partners": AffiliatePartner.objects.active()})
