from django.conf import settings
from django.contrib import admin
from django.contrib.flatpages import views as flatpages
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path, re_path
from django.views.decorators.cache import cache_control
from django.views.generic import RedirectView

from articles.sitemaps import ArticleSitemap, CategorySitemap, PolicyPageSitemap, SitePagesSitemap
from articles.views import robots_txt
from authors.sitemaps import AuthorSitemap
from core.csp import csp_report
from core.pagecache import public_page
from core.sitemaps import sitemap_index
from core.views import health, media

admin.site.site_header = f"{settings.SITE_NAME} administration"
admin.site.site_title = f"{settings.SITE_NAME} admin"
admin.site.index_title = "Publication"

# /sitemap.xml is an index of these sections, each at /sitemap-<section>.xml.
sitemaps = {
    "site": SitePagesSitemap,
    "articles": ArticleSitemap,
    "categories": CategorySitemap,
    "authors": AuthorSitemap,
    "pages": PolicyPageSitemap,
}

# The policy pages are flat pages edited in admin; they get names so templates can
# link to them with {% url %}.
POLICY_PAGES = {
    "about": "/about/",
    "editorial_process": "/editorial-process/",
    "how_we_make_money": "/how-we-make-money/",
    "advertiser_disclosure": "/advertiser-disclosure/",
    "privacy": "/privacy/",
}

urlpatterns = [
    # Staff sign-in (password, then a code with two-factor sign-in) and the two-factor
    # page, under the admin's prefix; first, so its login/ is the admin's sign-in.
    path(settings.ADMIN_URL, include("accounts.urls")),
    path(settings.ADMIN_URL, admin.site.urls),
    path("author/", include("authors.urls")),
    path("newsletter/", include("newsletter.urls")),
    path("", include("partners.urls")),  # /affiliate-partners/ and /go/<slug>
    path("sitemap.xml", public_page(sitemap_index),
         {"sitemaps": sitemaps, "sitemap_url_name": "sitemap_section"}, name="sitemap"),
    path("sitemap-<section>.xml", public_page(sitemap),
         {"sitemaps": sitemaps, "template_name": "sitemaps/section.xml"}, name="sitemap_section"),
    path("robots.txt", robots_txt, name="robots_txt"),
    # Browsers ask here for a page that links no icon (a feed, an image, an old browser).
    # The target is the unhashed name, so a redirect browsers keep never points at a file
    # a later collectstatic replaced.
    path("favicon.ico", cache_control(public=True, max_age=86400)(
        RedirectView.as_view(url=f"{settings.STATIC_URL}img/favicon.ico", permanent=True)), name="favicon"),
    path("healthz", health, name="health"),
    # Browsers' Content-Security-Policy violation reports, when CSP_REPORT_URI points here.
    path("csp-report/", csp_report, name="csp_report"),
    *[
        path(url.strip("/") + "/", public_page(flatpages.flatpage), {"url": url}, name=name)
        for name, url in POLICY_PAGES.items()
    ],
    path("", include("articles.urls")),
]

if settings.ANYMAIL.get("WEBHOOK_SECRET"):
    urlpatterns.insert(0, path("anymail/", include("anymail.urls")))

if settings.SERVE_MEDIA:
    urlpatterns += [re_path(r"^%s(?P<path>.+)$" % settings.MEDIA_URL.lstrip("/"), media)]
