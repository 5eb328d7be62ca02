from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.validators import validate_domain_name
from django.db import models
from django.urls import reverse

from core.pagecache import PageContentQuerySet
from core.validators import validate_image_file

LINK_DOMAINS_CACHE_KEY = "partners:link-domains"


class AffiliatePartnerQuerySet(PageContentQuerySet):
    def active(self):
        return self.filter(is_active=True)

    def update(self, **kwargs):
        rows = super().update(**kwargs)
        cache.delete(LINK_DOMAINS_CACHE_KEY)  # save() has a signal for this; update() has none
        return rows

    update.alters_data = True

    def link_domains(self) -> frozenset[str]:
        """Every domain that identifies an active partner's links (cached).

        ``partners.signals`` clears the cache whenever a partner changes.
        """

        def load():
            domains = set()
            for text in self.active().values_list("domains", flat=True):
                domains.update(AffiliatePartner.parse_domains(text))
            return frozenset(domains)

        return cache.get_or_set(LINK_DOMAINS_CACHE_KEY, load, 3600)


class AffiliatePartner(models.Model):
    name = models.CharField(max_length=120)
    slug = models.SlugField(max_length=120, unique=True)
    website = models.URLField(help_text="The partner's home page, shown on the partners list.")
    domains = models.TextField(
        help_text="The domains its links use, one per line (e.g. shop.example.com). "
        "Links to these domains and their subdomains are marked as sponsored."
    )
    description = models.CharField(max_length=300, blank=True)
    logo = models.ImageField(upload_to="partners/", blank=True, validators=[validate_image_file])
    is_active = models.BooleanField(
        "active", default=True, help_text="Untick when the partnership ends."
    )
    partner_since = models.DateField(null=True, blank=True)

    objects = AffiliatePartnerQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = "affiliate partner"

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("partners:list") + f"#{self.slug}"

    @staticmethod
    def parse_domains(text: str) -> list[str]:
        domains = []
        for line in (text or "").replace(",", "\n").splitlines():
            domain = line.strip().lower().removeprefix("https://").removeprefix("http://")
            domain = domain.split("/")[0].removeprefix("www.")
            if domain:
                domains.append(domain)
        return domains

    def clean(self):
        domains = self.parse_domains(self.domains)
        if not domains:
            raise ValidationError({"domains": "Enter at least one domain."})
        for domain in domains:
            try:
                validate_domain_name(domain)
            except ValidationError:
                raise ValidationError({"domains": f"“{domain}” is not a domain name."})
        self.domains = "\n".join(domains)
