"""The five policy pages exist on every install, with default texts editors then change.

The disclosure bar, the footer and the newsletter's consent line link to them, so a
site installed by `migrate` alone must not send readers to five 404s. A page that
already exists at one of these addresses is an editor's and is left exactly as it is.

The texts are written here, not imported, so this migration does the same thing
whenever it runs. They are HTML that ``core.html.clean_html`` leaves unchanged
(tests/test_fresh_install.py checks it), since flat pages saved here skip the
signal that sanitizes them in admin.
"""

from django.conf import settings
from django.core.management.color import no_style
from django.db import migrations

ABOUT = """
<p>We publish plain-language explainers for curious readers: clear, patient answers to
everyday questions about health, science, technology, money, and home and garden.</p>
<h2>What we publish</h2>
<p>Our articles start from the questions real people ask. We answer each one directly,
explain the reasoning behind the answer, and say where the evidence is uncertain or where a
professional should be consulted. We do not publish breaking news or sensational headlines:
our titles describe what an article covers, and our summaries tell you what you will learn.</p>
<h2>Who writes for us</h2>
<p>Our writers have training and experience in the subjects they cover. Each has a profile
page with their background and the articles they have written or reviewed, and every
article shows who wrote it, who reviewed it where that applies, and when it was last
updated.</p>
<h2>How we are funded</h2>
<p>We are independent. The site is paid for by advertising and by commissions from some
affiliate partners; advertisers and partners have no say over what we cover or what we
conclude. <a href="/how-we-make-money/">How We Make Money</a> explains the details, and
<a href="/editorial-process/">Our Editorial Process</a> explains how we research and check
our work.</p>
"""

EDITORIAL_PROCESS = """
<p>Every article we publish goes through the same process, whatever its subject. This page
explains how we choose topics, how we research and check them, and how we handle
corrections and updates.</p>
<h2>Choosing topics</h2>
<p>We write about questions readers genuinely ask, and favour topics where a clear
explanation makes a practical difference. We do not choose topics because an advertiser or
affiliate partner asked us to.</p>
<h2>Research and writing</h2>
<p>Writers work from primary and authoritative sources wherever possible: peer-reviewed
research, guidance from public bodies, official statistics and technical standards. Each
draft is edited for accuracy, clarity and tone; editors check that every factual claim can
be supported and that uncertainty is described honestly.</p>
<h3>Expert review</h3>
<p>Articles on health and other specialist subjects are reviewed by a second person with
relevant training before they are published and whenever they are substantially revised.
The reviewer's name appears at the top of the article. Our articles help you understand a
subject; they are not a substitute for advice from a professional who knows your
circumstances.</p>
<h2>Corrections and updates</h2>
<p>We review articles regularly, and sooner when guidance, prices or technology change.
When an article is meaningfully revised, we change the <strong>Updated</strong> date shown
beneath its title; we do not change it for minor edits such as a fixed typing error. If we
get something wrong, we correct it promptly and say what we changed.</p>
<h2>Independence from advertisers</h2>
<p>Writers and editors work separately from the people who manage advertising and
partnerships. Advertisers cannot buy coverage, see articles before publication or influence
our conclusions. <a href="/how-we-make-money/">How We Make Money</a> has the details.</p>
"""

HOW_WE_MAKE_MONEY = """
<p>This site is free to read. Writing and checking careful explainers costs money, so we
think readers deserve a plain account of where ours comes from.</p>
<h2>Advertising</h2>
<p>Many pages show advertisements. They are kept apart from our articles and labelled as
advertising. Advertisers do not choose our topics, see articles before they are published,
or have any influence over what we write.</p>
<h2>Affiliate commissions</h2>
<p>Some articles link to retailers we have partnerships with. If you follow one of those
links and buy something, the retailer may pay us a small commission.</p>
<ul>
<li><strong>It never costs you more.</strong> The price is the same whether or not you
arrive through our link.</li>
<li><strong>It never decides what we recommend.</strong> Writers decide what to mention
based on what is useful to readers; partner links are added only where a partner's product
genuinely fits.</li>
<li><strong>It is always labelled.</strong> Partner links are marked as sponsored, and every
article carries our disclosure notice.</li>
</ul>
<p>Our <a href="/affiliate-partners/">Affiliate Partners</a> page lists every company we
currently have an affiliate relationship with.</p>
<h2>What we do not do</h2>
<ul>
<li>We do not accept payment for articles, reviews or favourable mentions.</li>
<li>We do not publish sponsored content disguised as editorial articles.</li>
<li>We do not sell information about our readers.</li>
</ul>
<p>The short version shown at the top of our articles is explained in our
<a href="/advertiser-disclosure/">Advertiser Disclosure</a>.</p>
"""

ADVERTISER_DISCLOSURE = """
<p>At the top of our articles you will see a short notice: <strong>“We are independent
&amp; ad-supported. We may earn a commission for purchases made through our
links.”</strong> This page explains what it means.</p>
<h2>Independent</h2>
<p>No retailer, manufacturer or advertiser owns us or has a say in our editorial decisions.
Our writers choose topics and reach conclusions on the evidence, following
<a href="/editorial-process/">Our Editorial Process</a>.</p>
<h2>Ad-supported</h2>
<p>We do not charge readers; advertising pays for the site. Advertisements are labelled and
kept apart from article text, and buying advertising does not buy coverage or
influence.</p>
<h2>We may earn a commission</h2>
<p>Some articles link to products sold by our affiliate partners. When you buy through one
of those links, the retailer may pay us a share of the sale. The price you pay does not
change, not every link is an affiliate link, and commissions play no part in whether a
product is mentioned or how it is described.</p>
<p>Our <a href="/affiliate-partners/">Affiliate Partners</a> page lists every current
partner, and <a href="/how-we-make-money/">How We Make Money</a> explains our funding in
full.</p>
"""

PRIVACY = """
<p>This policy explains what information we collect when you use this site, why we collect
it, how long we keep it, and what choices you have. We collect as little as we can, and we
do not sell personal information.</p>
<h2>Information we collect</h2>
<h3>Server logs</h3>
<p>Our servers record basic technical details of each request: the page requested, the
time, your IP address and the browser type your browser reports. We use them to keep the
site running and to stop abuse, keep them for a limited period, and do not use them to
build profiles of readers.</p>
<h3>Comments</h3>
<p>If you leave a comment, we store the name you give, the comment, your email address and
the time it was posted. Your email address is never shown on the site.</p>
<h3>Newsletter</h3>
<p>If you subscribe to our newsletter, we store your email address with a record of your
consent: when you signed up, on which form, and the wording you agreed to. We use your
address only to send the newsletter.</p>
<h2>What we do not do</h2>
<ul>
<li>We do not place third-party tracking scripts on our pages.</li>
<li>We do not sell, rent or trade personal information.</li>
<li>We do not share your details with our affiliate partners. On a partner's own site, that
company's privacy policy applies.</li>
</ul>
<h2>Your choices</h2>
<ul>
<li><strong>Unsubscribing.</strong> Every newsletter has a one-click unsubscribe link; we
stop sending at once.</li>
<li><strong>Access and deletion.</strong> You may ask for a copy of the information we hold
about you, ask us to correct it, or ask us to delete it.</li>
</ul>
<p>We may update this policy from time to time; this page always shows the current
version.</p>
"""

POLICY_PAGES = [
    ("/about/", "About Us", ABOUT),
    ("/editorial-process/", "Our Editorial Process", EDITORIAL_PROCESS),
    ("/how-we-make-money/", "How We Make Money", HOW_WE_MAKE_MONEY),
    ("/advertiser-disclosure/", "Advertiser Disclosure", ADVERTISER_DISCLOSURE),
    ("/privacy/", "Privacy Policy", PRIVACY),
]


def site_for_pages(apps, schema_editor):
    """The Site row SITE_ID names, created if missing.

    django.contrib.sites only creates it after all migrations have run (post_migrate);
    core.signals then sets its domain from SITE_URL, as it does on every migrate.
    """
    Site = apps.get_model("sites", "Site")
    db = schema_editor.connection.alias
    site = Site.objects.using(db).filter(pk=settings.SITE_ID).first()
    if site is None:
        site = Site.objects.using(db).create(pk=settings.SITE_ID, domain="example.com", name="example.com")
        # An explicit primary key leaves PostgreSQL's sequence behind: the next Site
        # added in admin would collide with this one.
        with schema_editor.connection.cursor() as cursor:
            for sql in schema_editor.connection.ops.sequence_reset_sql(no_style(), [Site]):
                cursor.execute(sql)
    return site


def create_policy_pages(apps, schema_editor):
    FlatPage = apps.get_model("flatpages", "FlatPage")
    db = schema_editor.connection.alias
    site = None
    for url, title, content in POLICY_PAGES:
        if FlatPage.objects.using(db).filter(url=url).exists():
            continue
        site = site or site_for_pages(apps, schema_editor)
        page = FlatPage.objects.using(db).create(url=url, title=title, content=content.strip())
        page.sites.add(site)


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0005_editors_group"),
        ("flatpages", "0001_initial"),
        ("sites", "0002_alter_domain_unique"),
    ]

    operations = [
        # Nothing to undo: after this migration the pages are the editors'.
        migrations.RunPython(create_policy_pages, migrations.RunPython.noop),
    ]
