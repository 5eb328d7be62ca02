from django.shortcuts import render
from django.views.decorators.http import require_safe

from .models import AffiliatePartner


@require_safe
def affiliate_partners(request):
    return render(request, "partners/affiliate_partners.html", {"partners": AffiliatePartner.objects.active()})
