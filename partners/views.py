import logging

from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_safe

from articles.models import Article
from core.pagecache import public_page
from core.redirects import is_web_address

from .clicks import is_counted, source_article_id
from .models import AffiliatePartner, LinkClick, PartnerLink

logger = logging.getLogger(__name__)


@require_safe
def go(request, slug):
    """A reader's click on an affiliate link: counted, then sent on (302).

    A link that is switched off sends the reader to its partner's site; an unknown link
    (or one whose partner is gone) back to the article, or the home page. Never a 404.
    Only an address stored for the link or its partner ever leaves the site, and only
    when it is a plain http(s) address (core.redirects.is_web_address).
    """
    link = PartnerLink.objects.select_related("partner").filter(slug=slug).first()
    article_id = source_article_id(request.GET.get("from"))
    if link is not None and link.is_active and link.partner.is_active and is_web_address(link.destination):
        if is_counted(request):
            LinkClick.objects.count_click(link_id=link.pk, article_id=article_id, day=timezone.localdate())
        target = link.destination
    elif link is not None and link.partner.is_active and is_web_address(link.partner.website):
        target = link.partner.website
    else:
        if link is not None and link.partner.is_active:
            logger.warning("Affiliate link %r: neither it nor its partner has an http(s) address to send "
                           "readers to; sent back to the site instead.", link.slug)
        article = Article.objects.published().filter(pk=article_id).first() if article_id else None
        target = article.get_absolute_url() if article else reverse("articles:home")
    response = HttpResponseRedirect(target)
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


@require_safe
@public_page
def affiliate_partners(request):
    partners = AffiliatePartner.objects.active()
    return render(request, "partners/affiliate_partners.html", {"partners": partners})
