import datetime
import logging

from django.conf import settings
from django.db import connection
from django.db.models import Q
from django.http import JsonResponse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from django.views.generic import ListView
from django.views.static import serve
from django_tasks import task_backends
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.models import DBTaskResult, get_date_max

logger = logging.getLogger(__name__)


@never_cache
@require_safe
def health(request):
    """For load balancers and monitoring: 200 when the database answers and the task
    queue drains, else 503. The answer names what is wrong in a word; the details (the
    database's error, how many tasks wait) go to the log, not to whoever asks."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        overdue = overdue_task_count()
    except Exception as error:  # any database failure means "not healthy"
        logger.error("Health check: the database does not answer: %s", error)
        return JsonResponse({"status": "error", "database": "error"}, status=503)
    if overdue:
        logger.error("Health check: %d task(s) ready to run for more than %d s: is the task worker running?",
                     overdue, settings.HEALTH_MAX_TASK_WAIT)
        return JsonResponse({"status": "error", "database": "ok", "tasks": "late"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok", "tasks": "ok"})


def overdue_task_count() -> int:
    """How many tasks in the database queue have been ready to run for longer than
    HEALTH_MAX_TASK_WAIT: a queue that does not drain (no worker, or a stuck one).
    Read from the database, so every app server gives the same answer."""
    limit = settings.HEALTH_MAX_TASK_WAIT
    aliases = [backend.alias for backend in task_backends.all() if isinstance(backend, DatabaseBackend)]
    if not limit or not aliases:
        return 0
    cutoff = timezone.now() - datetime.timedelta(seconds=limit)
    # A task queued without run_after is ready from the moment it was queued.
    ready_since_long = Q(run_after=get_date_max(), enqueued_at__lte=cutoff) | Q(run_after__lte=cutoff)
    return DBTaskResult.objects.ready().filter(ready_since_long, backend_name__in=aliases).count()


# The types uploads are served as, by their extension: since uploads are stored under
# the extension of the format their content is, it matches the content.
MEDIA_CONTENT_TYPES = {
    "jpg": "image/jpeg", "jpeg": "image/jpeg", "png": "image/png", "gif": "image/gif", "webp": "image/webp",
}


@require_safe
def media(request, path):
    """Uploaded images, when no web server or object storage serves them (SERVE_MEDIA).

    An image may still hold bytes a browser could take for a page or a script (files
    stored before uploads were encoded again): it is served as the image its extension
    says, never sniffed, and were it opened as a document it would run nothing (a
    sandbox with no sources). Anything else under MEDIA_ROOT is only ever downloaded.
    Other sites (mail programs, feed readers) may show the images.
    """
    response = serve(request, path, document_root=settings.MEDIA_ROOT)
    file_name = path.rsplit("/", 1)[-1]
    content_type = MEDIA_CONTENT_TYPES.get(file_name.rpartition(".")[2].lower()) if "." in file_name else None
    if content_type:
        response["Content-Type"] = content_type
    else:
        response["Content-Type"] = "application/octet-stream"
        response["Content-Disposition"] = "attachment"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    response["Cross-Origin-Resource-Policy"] = "cross-origin"
    patch_cache_control(response, public=True, max_age=86400)
    return response


class PaginatedListView(ListView):
    """A list paginated by ARTICLES_PER_PAGE, read when the page is served."""

    context_object_name = "articles"

    def get_paginate_by(self, queryset):
        return settings.ARTICLES_PER_PAGE
