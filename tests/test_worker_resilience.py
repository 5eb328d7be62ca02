"""Background work survives what the site survives.

The task worker `make run` starts (`manage.py task_worker`) waits out a database that
stays locked past its busy timeout and a PostgreSQL that refuses connections, then runs
every task that was queued, as the same process; a mail server that is down only
delays the moderators' email; and /healthz says so when the queue stops draining.
"""

import datetime
import json
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import psycopg
import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone
from django_tasks import task
from django_tasks_db.models import DBTaskResult

from articles.models import Comment
from tests.http import post_form
from tests.liveserver import ROOT, WORKER_COMMAND, LiveSite
from tests.tasks import run_queued_tasks

SIGNUPS = 20
UNAVAILABLE = "Database unavailable"


@task()
def wait_for_go(*, folder: str) -> str:
    """For the tests below: notes that it started, then waits until the test says go."""
    with open(Path(folder) / "started", "a") as note:
        note.write("started\n")
    deadline = time.monotonic() + 120
    while not (Path(folder) / "go").exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    return "done"


@task(takes_context=True)
def sit_in_a_query_on_the_first_attempt(context) -> int:
    """For the tests below: on its first attempt, waits inside PostgreSQL until the connection is cut."""
    if context.attempt == 1:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_sleep(120)")
    return context.attempt


def enqueue(site: LiveSite, task_name: str, **kwargs) -> None:
    """Queue one of the tasks above in the site's own database."""
    site.manage("shell", "-c", f"from tests.test_worker_resilience import {task_name}; "
                               f"{task_name}.enqueue(**{kwargs!r})")


def wait_until(condition, *, timeout: float = 120, unless=lambda: False) -> bool:
    """Poll ``condition`` until it holds (True), ``unless()`` holds or time is up (False)."""
    deadline = time.monotonic() + timeout
    while not condition():
        if unless() or time.monotonic() > deadline:
            return False
        time.sleep(0.1)
    return True


def sign_up(site: LiveSite, address: str) -> int:
    return post_form(site.url("/newsletter/"), {"email": address, "website": ""})


def task_statuses(database: Path) -> dict[str, int]:
    with sqlite3.connect(database) as db:
        return dict(db.execute("SELECT status, COUNT(*) FROM django_tasks_database_dbtaskresult GROUP BY status"))


def test_worker_outlives_a_locked_sqlite_database_and_then_runs_every_queued_task(tmp_path, mail_server):
    env = {"SQLITE_BUSY_TIMEOUT": "1", "NEWSLETTER_SIGNUP_RATE_LIMIT": "1000",
           "EMAIL_HOST": mail_server.host, "EMAIL_PORT": str(mail_server.port)}
    with LiveSite(tmp_path, **env) as site:
        site.manage("migrate", "--noinput")
        site.serve()
        assert [sign_up(site, f"reader{n}@example.com") for n in range(SIGNUPS)] == [302] * SIGNUPS
        database = tmp_path / "db.sqlite3"
        assert task_statuses(database) == {"READY": SIGNUPS}

        # Another writer holds the database far beyond the 1 s busy timeout while the
        # worker (the command `make run` starts) comes up and looks for work.
        locker = sqlite3.connect(database, isolation_level=None, timeout=30)
        locker.execute("BEGIN EXCLUSIVE")
        worker_log = tmp_path / "worker.log"
        with open(worker_log, "w") as log:
            worker = subprocess.Popen([sys.executable, "manage.py", *WORKER_COMMAND], cwd=ROOT,
                                      env=site.env, stdout=log, stderr=subprocess.STDOUT)
        try:
            def failures() -> int:
                return worker_log.read_text().count(UNAVAILABLE)

            hit_the_lock = wait_until(lambda: failures() >= 3, unless=lambda: worker.poll() is not None)
            assert hit_the_lock and worker.poll() is None, worker_log.read_text()
            assert len(mail_server) == 0
            locker.execute("ROLLBACK")

            assert mail_server.wait_for(SIGNUPS, timeout=120), worker_log.read_text()
            # Each signup is two tasks: its follow-up, and the confirmation email it queues.
            assert wait_until(lambda: task_statuses(database) == {"SUCCESSFUL": 2 * SIGNUPS}), task_statuses(database)
            assert sorted(mail_server.recipient_counts().values()) == [1] * SIGNUPS

            # Locked again while it idles: it waits, then takes the next task, still the same process.
            seen = failures()
            locker.execute("BEGIN EXCLUSIVE")
            assert wait_until(lambda: failures() > seen, unless=lambda: worker.poll() is not None), \
                worker_log.read_text()
            locker.execute("ROLLBACK")
            assert sign_up(site, "late@example.com") == 302
            assert mail_server.wait_for(SIGNUPS + 1, timeout=120), worker_log.read_text()
            assert worker.poll() is None, worker_log.read_text()
        finally:
            if locker.in_transaction:
                locker.execute("ROLLBACK")
            locker.close()
            worker.terminate()
            worker.wait(timeout=30)


def test_a_task_that_finishes_while_the_database_is_locked_is_recorded_once_it_is_free(tmp_path):
    database = tmp_path / "db.sqlite3"
    with LiveSite(tmp_path, worker=True, SQLITE_BUSY_TIMEOUT="1") as site:
        site.manage("migrate", "--noinput")
        site.serve()
        worker, folder, since = site.worker_process, tmp_path / "signals", site.log_position()
        folder.mkdir()
        enqueue(site, "wait_for_go", folder=str(folder))
        assert wait_until(lambda: (folder / "started").exists(), unless=lambda: worker.poll() is not None)

        locker = sqlite3.connect(database, isolation_level=None, timeout=30)
        locker.execute("BEGIN EXCLUSIVE")
        try:
            (folder / "go").touch()  # the task ends while its result cannot be written
            assert wait_until(lambda: site.server_log_tail(1000, since=since).count(UNAVAILABLE) >= 2,
                              unless=lambda: worker.poll() is not None), site.server_log_tail(since=since)
        finally:
            locker.execute("ROLLBACK")
            locker.close()

        assert wait_until(lambda: task_statuses(database) == {"SUCCESSFUL": 1}, unless=lambda: worker.poll() is not None), \
            site.server_log_tail(since=since)
        assert (folder / "started").read_text() == "started\n"  # it ran once, and is not left "running"
        assert worker.poll() is None


@pytest.mark.postgres
def test_worker_outlives_a_postgresql_outage(tmp_path, database_url, mail_server):
    name = database_url.rsplit("/", 1)[1]
    admin_url = database_url.rsplit("/", 1)[0] + "/postgres"
    env = {"DATABASE_URL": database_url, "NEWSLETTER_SIGNUP_RATE_LIMIT": "1000",
           "EMAIL_HOST": mail_server.host, "EMAIL_PORT": str(mail_server.port)}
    with LiveSite(tmp_path, worker=True, **env) as site, \
            psycopg.connect(admin_url, autocommit=True) as admin:
        site.manage("migrate", "--noinput")
        site.serve()
        worker = site.worker_process
        assert sign_up(site, "before@example.com") == 302
        assert mail_server.wait_for(1, timeout=120), site.server_log_tail()

        since = site.log_position()
        enqueue(site, "sit_in_a_query_on_the_first_attempt")
        assert wait_until(lambda: admin.execute(
            "SELECT COUNT(*) FROM pg_stat_activity WHERE datname = %s AND query LIKE 'SELECT pg_sleep%%'", [name]
        ).fetchone()[0] == 1, unless=lambda: worker.poll() is not None), site.server_log_tail(since=since)
        try:
            # The database goes away, in the middle of a task: every connection is cut and
            # new ones are refused.
            admin.execute(f'ALTER DATABASE "{name}" WITH ALLOW_CONNECTIONS false')
            admin.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", [name])

            def failures() -> int:
                return site.server_log_tail(1000, since=since).count(UNAVAILABLE)

            assert wait_until(lambda: failures() >= 2, unless=lambda: worker.poll() is not None), \
                site.server_log_tail(since=since)
        finally:
            admin.execute(f'ALTER DATABASE "{name}" WITH ALLOW_CONNECTIONS true')

        assert wait_until(lambda: sign_up(site, "after@example.com") == 302, timeout=60)
        assert mail_server.wait_for(2, timeout=120), site.server_log_tail(since=since)
        assert worker.poll() is None and site.worker_process is worker
        assert sorted(mail_server.recipient_counts()) == ["after@example.com", "before@example.com"]
        with psycopg.connect(database_url) as site_database:
            def interrupted_task():
                return site_database.execute(
                    "SELECT status, return_value FROM django_tasks_database_dbtaskresult WHERE task_path LIKE %s",
                    ["%sit_in_a_query_on_the_first_attempt"]).fetchone()

            # Cut off on its first attempt, it ran again once the database was back.
            assert wait_until(lambda: interrupted_task() == ("SUCCESSFUL", 2)), interrupted_task()


# --- In-process: the moderators' email through a mail outage, and /healthz -------------


@pytest.fixture
def database_queue(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def post_comment(client, article, body: str):
    from tests.articles.test_comments import post

    return post(client, article, body=body)


@pytest.mark.django_db(transaction=True)  # the worker commits and locks rows as in production
def test_moderators_are_emailed_once_the_mail_server_is_back(
    client, article, smtp, database_queue, settings, closed_port  # noqa: F811
):
    settings.COMMENT_NOTIFY_EMAILS = ["editors@example.com"]
    settings.COMMENT_MIN_SECONDS = 3
    article.title = "Sciatica\r\nBcc: everyone@example.com"  # a line break must not break the email
    article.save()
    server_port, settings.EMAIL_PORT = settings.EMAIL_PORT, closed_port

    assert post_comment(client, article, "Please moderate me").status_code == 302
    run_queued_tasks()  # the mail server refuses the connection

    (retry,) = DBTaskResult.objects.filter(task_path="articles.tasks.notify_moderators", status="READY")
    assert retry.run_after > timezone.now()
    assert not DBTaskResult.objects.filter(status="FAILED").exists()
    settings.EMAIL_PORT = server_port
    DBTaskResult.objects.filter(pk=retry.pk).update(run_after=timezone.now())  # a minute passes
    run_queued_tasks()

    (message,) = smtp.messages_to("editors@example.com")
    assert " ".join(message["Subject"].split()) == "[WiseGeek] New comment to moderate on “Sciatica Bcc: everyone@example.com”"
    assert message["Bcc"] is None and smtp.recipient_counts() == {"editors@example.com": 1}
    assert "Please moderate me" in message.get_content()
    assert not DBTaskResult.objects.exclude(status="SUCCESSFUL").exists()


def health(method: str = "get"):
    response = getattr(Client(), method)("/healthz")
    return response.status_code, (json.loads(response.content) if method == "get" else response.content)


@pytest.mark.django_db(transaction=True)
def test_healthz_is_503_while_a_queued_task_waits_too_long_and_200_once_it_ran(
    client, article, database_queue, settings
):
    settings.COMMENT_NOTIFY_EMAILS = ["editors@example.com"]
    settings.HEALTH_MAX_TASK_WAIT = 300
    post_comment(client, article, "Nobody runs the worker")
    assert health()[0] == 200  # queued just now

    queued = DBTaskResult.objects.get()
    DBTaskResult.objects.filter(pk=queued.pk).update(enqueued_at=timezone.now() - datetime.timedelta(seconds=301))
    status, answer = health()
    assert (status, answer) == (503, {"status": "error", "database": "ok", "tasks": "late"})
    assert health("head") == (503, b"")
    settings.HEALTH_MAX_TASK_WAIT = 600  # read when asked
    assert health()[0] == 200
    settings.HEALTH_MAX_TASK_WAIT = 300

    # A task due later is not late, however long ago it was queued.
    DBTaskResult.objects.filter(pk=queued.pk).update(run_after=timezone.now() + datetime.timedelta(hours=1))
    assert health()[0] == 200
    DBTaskResult.objects.filter(pk=queued.pk).update(run_after=timezone.now() - datetime.timedelta(seconds=301))
    assert health()[0] == 503

    run_queued_tasks()
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"
    assert health() == (200, {"status": "ok", "database": "ok", "tasks": "ok"})
    assert Comment.objects.count() == 1


def test_make_run_starts_the_worker_live_sites_run_and_starts_it_again_should_it_stop():
    recipe = (ROOT / "Makefile").read_text().split("\nrun:", 1)[1].split("\n\n", 1)[0]
    assert "$(MANAGE) " + " ".join(WORKER_COMMAND) in recipe
    assert "while :" in recipe  # and starts it again should it stop
