"""`manage.py task_worker`: django-tasks-db's worker, made to outlive what the site outlives.

`db_worker` exits on the first database error it does not expect: SQLite locked past
its busy timeout, a PostgreSQL connection dropped or refused. This worker instead
closes its connections, waits (1, 2, 4 … seconds, at most --max-wait) and carries on
with the same queue. A task that was already claimed keeps its place: its result is
recorded once the database is back, and a task that failed only because the database
went away runs again (at most MAX_DATABASE_ATTEMPTS times in all). Mail outages are
the tasks' own business: they queue themselves again (see articles/tasks.py).
"""

import datetime
import logging
import os
import time
from argparse import ArgumentParser

from django.db import DatabaseError, InterfaceError, OperationalError, connections
from django.utils import timezone
from django.utils.autoreload import DJANGO_AUTORELOAD_ENV, run_with_reloader
from django_tasks import TaskResultStatus
from django_tasks_db.management.commands import db_worker

from core.text import single_line

logger = logging.getLogger("core.task_worker")

# The database is away (locked, restarting, unreachable), as opposed to a query or
# data error that waiting would not cure.
DATABASE_AWAY = (OperationalError, InterfaceError)
MAX_DATABASE_ATTEMPTS = 5


def close_database_connections() -> None:
    """Drop every open connection, broken or not; the next query opens a fresh one."""
    for connection in connections.all(initialized_only=True):
        try:
            connection.close()
        except Exception:  # a broken connection may fail to close; it is gone either way
            pass


class ResilientWorker(db_worker.Worker):
    def __init__(self, *, max_wait: float, **options):
        super().__init__(**options)
        self.max_wait = max_wait
        self.failures = 0

    def run(self) -> None:
        while self.running:
            started = time.monotonic()
            try:
                super().run()
            except DatabaseError as error:
                if time.monotonic() - started > self.max_wait:
                    self.failures = 0  # it worked for a while: this is a new outage
                self.wait_for_database(error)
                self.startup_delay = False
                continue
            return  # --batch or --max-tasks is done, or a signal asked us to stop

    def wait_for_database(self, error: Exception) -> None:
        self.failures += 1
        wait = min(self.max_wait, 2.0 ** (self.failures - 1))
        logger.warning("Database unavailable (%s); worker %s tries again in %g s.",
                       single_line(str(error), max_length=200), self.worker_id, wait)
        close_database_connections()
        time.sleep(wait)

    def run_task(self, db_task_result) -> None:
        self.failures = 0  # the database just handed out this task
        # Instance attributes shadow the model's methods for this one task.
        db_task_result.set_successful = self.until_recorded(db_task_result.set_successful)
        db_task_result.set_failed = self.until_recorded(self.failed_or_queued_again(db_task_result))
        super().run_task(db_task_result)

    def until_recorded(self, record):
        """``record`` retried until the database takes it: a task that ran is never
        left "running", and a sent email is never sent again because its success
        could not be written."""

        def persistent(*args):
            while True:
                try:
                    return record(*args)
                except DATABASE_AWAY as error:
                    self.wait_for_database(error)

        return persistent

    def failed_or_queued_again(self, db_task_result):
        set_failed = db_task_result.set_failed

        def record(error: BaseException) -> None:
            attempts = len(db_task_result.worker_ids)
            if not isinstance(error, DATABASE_AWAY) or attempts >= MAX_DATABASE_ATTEMPTS:
                set_failed(error)
                return
            wait = min(self.max_wait, 2.0 ** attempts)
            logger.warning("Task %s stopped because the database went away (%s); it runs again in %g s.",
                           db_task_result.id, single_line(str(error), max_length=200), wait)
            close_database_connections()
            db_task_result.status = TaskResultStatus.READY
            db_task_result.run_after = timezone.now() + datetime.timedelta(seconds=wait)
            db_task_result.save(update_fields=["status", "run_after"])

        return record


class Command(db_worker.Command):
    help = ("Run background tasks from the database queue, as db_worker does, but wait and "
            "retry through database outages instead of exiting.")

    def add_arguments(self, parser: ArgumentParser) -> None:
        super().add_arguments(parser)
        parser.add_argument(
            "--max-wait", type=db_worker.valid_interval, default=30,
            help="Longest wait (seconds) between attempts while the database is unavailable "
                 "(default: %(default)r).",
        )

    def handle(self, *, verbosity, queue_name, interval, batch, backend_name, startup_delay,
               reload, max_tasks, worker_id, exclude_queues, max_wait, **options) -> None:
        self.configure_logging(verbosity)
        queue_names = queue_name.split(",")
        excluded = exclude_queues.split(",") if exclude_queues else []
        if excluded and "*" not in queue_names:
            raise db_worker.CommandError("--exclude-queues can only be used with --queue-name=*")
        worker = ResilientWorker(
            queue_names=queue_names, interval=interval, batch=batch, backend_name=backend_name,
            startup_delay=startup_delay, max_tasks=max_tasks, worker_id=worker_id,
            excluded_queue_names=excluded, max_wait=max_wait,
        )
        if reload and not batch:
            if os.environ.get(DJANGO_AUTORELOAD_ENV) == "true":
                worker.configure_signals()  # only in the child that runs the tasks
            run_with_reloader(worker.run)
        else:
            worker.configure_signals()
            worker.run()
