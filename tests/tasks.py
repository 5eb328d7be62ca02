"""Running the queued background tasks inside a test, as the production worker would."""

import logging
import signal

from django.core.management import call_command


def run_queued_tasks() -> None:
    """`manage.py task_worker --batch`: run every task that is due, then stop."""
    # The worker installs signal handlers and sets its loggers' levels for good; the
    # rest of the test run keeps pytest's Ctrl-C and its own log levels.
    handlers = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)}
    loggers = [logging.getLogger(name) for name in ("django_tasks", "django_tasks_db")]
    levels = [logger.level for logger in loggers]
    try:
        call_command("task_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    finally:
        for signum, handler in handlers.items():
            signal.signal(signum, handler)
        for logger, level in zip(loggers, levels):
            logger.setLevel(level)
