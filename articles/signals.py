"""Cache invalidation, and sanitizing the one model we do not own: nothing else here."""

from django.contrib.flatpages.models import FlatPage
from django.db.models.signals import pre_save
from django.dispatch import receiver

from core import pagecache
from core.html import clean_html

from .models import Article, ArticleUpdate, Category, Comment

# Every page shows articles (with their public update notes), categories (the
# navigation) or comments; the policy pages are flat pages.
pagecache.watch(Article, ArticleUpdate, Category, Comment, FlatPage)


@pagecache.changes_at
def next_scheduled_article():
    return Article.objects.next_publication_time()


@receiver(pre_save, sender=FlatPage)
def sanitize_policy_page(sender, instance, **kwargs):
    # FlatPage is Django's model, so its content cannot use SanitizedHTMLField; every
    # writer that calls save() passes here, and the page template sanitizes again.
    instance.content = clean_html(instance.content)
