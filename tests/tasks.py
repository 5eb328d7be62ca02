"""Running the queued background tasks inside a test, as the production worker would."""

import contextlib
import logging
import signal
from unittest import mock

from django.core.management import call_command
from django.db import connection


def run_queued_tasks() -> None:
    """`manage.py task_worker --batch`: run every task that is due, then stop."""
    # The worker installs signal handlers and sets its loggers' levels for good; the
    # rest of the test run keeps pytest's Ctrl-C and its own log levels.
    handlers = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)}
    loggers = [logging.getLogger(name) for name in ("django_tasks", "django_tasks_db")]
    levels = [logger.level for logger in loggers]
    # Inside a test's transaction (pytest-django's plain ``db``), the worker's
    # close_old_connections() would close it (PostgreSQL: "the connection is closed",
    # which the worker then waits out forever); a transactional test keeps the real call.
    keep_connection = (
        mock.patch("django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None)
        if connection.in_atomic_block else contextlib.nullcontext()
    )
    try:
        with keep_connection:
            call_command("task_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    finally:
        for signum, handler in handlers.items():
            signal.signal(signum, handler)
        for logger, level in zip(loggers, levels):
            logger.setLevel(level)
