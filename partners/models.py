from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_domain_name
from django.db import connections, models
from django.db.models.functions import Coalesce
from django.urls import reverse

from core.fields import MeasuredImageField
from core.pagecache import PageContentQuerySet
from core.redirects import validate_web_address
from core.validators import validate_image_file

LINK_DOMAINS_CACHE_KEY = "partners:link-domains"


class AffiliatePartnerQuerySet(PageContentQuerySet):
    derived_cache_keys = (LINK_DOMAINS_CACHE_KEY,)

    def active(self):
        return self.filter(is_active=True)

    def link_domains(self) -> frozenset[str]:
        """Every domain that identifies an active partner's links (cached).

        Any write to a partner forgets it (``derived_cache_keys``).
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
    website = models.URLField(
        help_text="The partner's home page, shown on the partners list.", validators=[validate_web_address],
    )
    domains = models.TextField(
        help_text="The domains its links use, one per line (e.g. shop.example.com). "
        "Links to these domains and their subdomains are marked as sponsored."
    )
    description = models.CharField(max_length=300, blank=True)
    logo = MeasuredImageField(upload_to="partners/", blank=True, validators=[validate_image_file])
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
            # A trailing dot (shop.example.) names the same host.
            domain = domain.split("/")[0].removeprefix("www.").rstrip(".")
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


class PartnerLinkQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True, partner__is_active=True)

    def dead(self):
        """Active links whose last check found the offer gone (``check_offers``)."""
        return self.active().filter(is_dead=True)


class PartnerLink(models.Model):
    """One affiliate link of a partner, reached by readers through ``/go/<slug>``.

    Articles link to ``/go/<slug>``, never to the destination itself: the destination
    can change (a new campaign, a dead offer) without editing any article, and each
    click is counted on the way.
    """

    partner = models.ForeignKey(AffiliatePartner, on_delete=models.CASCADE, related_name="links")
    name = models.CharField(max_length=120, help_text="What the link is for, e.g. “Reusable heat pack”.")
    slug = models.SlugField(
        max_length=120, unique=True,
        help_text="The link's address on this site: heat-pack gives /go/heat-pack.",
    )
    destination = models.URLField(
        max_length=2000, validators=[validate_web_address],
        help_text="Where readers are sent: the partner's page with your tracking code.",
    )
    is_active = models.BooleanField(
        "active", default=True,
        help_text="Untick to stop sending readers to the destination: they go to the partner's site instead.",
    )
    notes = models.TextField(blank=True, help_text="For editors: commission, expiry, contact.")
    created = models.DateTimeField(auto_now_add=True)
    # Kept by the check_offers command.
    checked_at = models.DateTimeField("last checked", null=True, blank=True, editable=False)
    check_result = models.CharField("last check", max_length=200, blank=True, editable=False)
    is_dead = models.BooleanField(
        "dead offer", default=False, editable=False,
        help_text="The last check found the destination gone or failing.",
    )

    objects = PartnerLinkQuerySet.as_manager()

    class Meta:
        ordering = ["partner__name", "name"]
        verbose_name = "affiliate link"

    def __str__(self):
        return f"{self.partner.name}: {self.name}" if self.partner_id else self.name

    def get_absolute_url(self):
        return reverse("partners:go", kwargs={"slug": self.slug})


class LinkClickQuerySet(models.QuerySet):
    def count_click(self, *, link_id: int, article_id: int | None, day) -> None:
        """Add one click, in one statement: concurrent clicks never lose a count.

        Both SQLite and PostgreSQL take an ``INSERT … ON CONFLICT … DO UPDATE`` on the
        (link, article or 0, day) unique index; Django's ``bulk_create(update_conflicts=)``
        can only overwrite the count, not add to it.
        """
        table = self.model._meta.db_table
        with connections[self.db].cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {table} (link_id, article_id, day, clicks) VALUES (%s, %s, %s, 1) "
                f"ON CONFLICT (link_id, COALESCE(article_id, 0), day) "
                f"DO UPDATE SET clicks = {table}.clicks + 1",
                [link_id, article_id, day],
            )


class LinkClick(models.Model):
    """How many times readers clicked one link from one article on one day.

    No reader is identified: no address, no cookie, no time finer than the day.
    """

    link = models.ForeignKey(PartnerLink, on_delete=models.CASCADE, related_name="clicks")
    # A deleted article keeps its clicks in the report (under its old id).
    article = models.ForeignKey(
        "articles.Article", on_delete=models.DO_NOTHING, db_constraint=False,
        null=True, blank=True, related_name="+",
        help_text="The article the click came from; empty when unknown.",
    )
    day = models.DateField()
    clicks = models.PositiveIntegerField(default=0)

    objects = LinkClickQuerySet.as_manager()

    class Meta:
        ordering = ["-day", "link"]
        constraints = [
            # COALESCE: a click from no article (NULL) is one row per link and day too.
            models.UniqueConstraint(
                models.F("link"), Coalesce("article", models.Value(0)), models.F("day"),
                name="link_click_once_per_article_and_day",
            ),
        ]
        indexes = [models.Index(fields=["day", "link"])]

    def __str__(self):
        return f"{self.link_id} from {self.article_id or '–'} on {self.day}: {self.clicks}"


AD_PLACEMENTS_CACHE_KEY = "partners:ad-placements"


def validate_ad_link(value: str) -> None:
    """A path on this site (/go/heat-pack) or an http(s) web address."""
    if value.startswith("/") and not value.startswith("//"):
        # Browsers take a backslash for a slash: "/\host" is "//host", another site.
        if "\\" in value or any(ch.isspace() or not ch.isprintable() for ch in value):
            raise ValidationError("Enter a path without spaces or backslashes, such as /go/heat-pack.")
        return
    URLValidator(schemes=["http", "https"])(value)


class AdPlacementQuerySet(PageContentQuerySet):
    derived_cache_keys = (AD_PLACEMENTS_CACHE_KEY,)

    def active(self):
        return self.filter(is_active=True)

    def all_active(self) -> list["AdPlacement"]:
        """Every active placement (a few rows), cached: pages pick theirs from this list
        without a query. Any write to a placement forgets it (``derived_cache_keys``)."""
        return cache.get_or_set(AD_PLACEMENTS_CACHE_KEY, lambda: list(self.active().order_by("pk")), 3600)


class AdPlacement(models.Model):
    """Where an advertisement appears, and which one: a house ad or a network's slot.

    A placement is site-wide or limited to one category; on a category's pages its own
    placement wins over a site-wide one in the same position. Ads are ordinary page
    content (the same for every reader), so the page cache keeps working.
    """

    class Position(models.TextChoices):
        IN_ARTICLE = "in_article", "In the article, after paragraph N"
        BELOW_ARTICLE = "below_article", "Below the article"
        IN_LISTING = "in_listing", "In listings, after every N cards"

    class Kind(models.TextChoices):
        HOUSE = "house", "House ad (our own image, text and link)"
        NETWORK = "network", "Ad network slot"

    name = models.CharField(max_length=120, help_text="For editors, e.g. “Brightleaf winter offer, mid-article”.")
    position = models.CharField(max_length=16, choices=Position.choices)
    number = models.PositiveSmallIntegerField(
        "N", default=3,
        help_text="In the article: the paragraph the ad follows. In listings: an ad after every N cards.",
    )
    category = models.ForeignKey(
        "articles.Category", on_delete=models.CASCADE, null=True, blank=True, related_name="+",
        help_text="Leave empty to show it everywhere.",
    )
    is_active = models.BooleanField("active", default=True)
    kind = models.CharField(max_length=8, choices=Kind.choices, default=Kind.HOUSE)
    # A house ad.
    image = MeasuredImageField(
        upload_to="ads/", blank=True, validators=[validate_image_file],
        width_field="image_width", height_field="image_height",
    )
    image_width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    image_height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    image_alt = models.CharField("image alt text", max_length=200, blank=True)
    headline = models.CharField(max_length=120, blank=True)
    text = models.CharField(max_length=300, blank=True)
    link = models.CharField(
        max_length=2000, blank=True, validators=[validate_ad_link],
        help_text="Where the ad leads: a /go/ link of the affiliate registry (/go/heat-pack), "
        "a page of this site, or any web address.",
    )
    link_label = models.CharField(max_length=60, blank=True, default="Learn more")
    # An ad network's slot (shown only while AD_NETWORK is set).
    network_slot = models.CharField(
        "network ad unit", max_length=100, blank=True,
        help_text="The ad unit id the network gave you (AD_NETWORK setting).",
    )
    height = models.PositiveSmallIntegerField(
        "reserved height", default=250, choices=[(90, "90 px (banner)"), (250, "250 px (rectangle)"),
                                                 (280, "280 px (large rectangle)"), (600, "600 px (tall)")],
        help_text="Space kept free for a network ad, so the page does not jump when it arrives.",
    )

    objects = AdPlacementQuerySet.as_manager()

    class Meta:
        ordering = ["position", "category__name", "name"]
        verbose_name = "ad placement"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(number__gte=1), name="ad_placement_number_positive",
            ),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        if self.kind == self.Kind.HOUSE:
            if not self.link:
                raise ValidationError({"link": "A house ad needs a link."})
            if not (self.image or self.headline):
                raise ValidationError({"headline": "A house ad needs an image or a headline."})
            if self.image and not self.image_alt.strip():
                raise ValidationError({"image_alt": "Describe the image for readers who cannot see it."})
        elif not self.network_slot.strip():
            raise ValidationError({"network_slot": "Enter the ad unit id the network gave you."})
