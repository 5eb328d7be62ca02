"""Reading what a subscriber sees (forms on a page, parts and links of an email), and
setting up and sending digests in tests."""

import datetime
import io
import re
import subprocess
import sys
import time
import urllib.parse
from email.message import EmailMessage
from html.parser import HTMLParser

from django.core.management import call_command
from django.utils import timezone

from newsletter.models import Subscriber
from tests.liveserver import ROOT


class _Forms(HTMLParser):
    def __init__(self):
        super().__init__()
        self.forms: list[dict] = []
        self._current: dict | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self._current = {"attrs": attrs, "fields": {}, "buttons": []}
            self.forms.append(self._current)
        elif self._current is not None and tag == "input":
            self._current["fields"][attrs.get("name")] = attrs.get("value") or ""
        elif self._current is not None and tag == "button":
            self._current["buttons"].append(attrs)

    def handle_endtag(self, tag):
        if tag == "form":
            self._current = None


def forms_in(html: str | bytes) -> list[dict]:
    """Every form on a page: its attributes, its inputs (name → value) and its buttons."""
    parser = _Forms()
    parser.feed(html.decode() if isinstance(html, bytes) else html)
    return parser.forms


def text_and_html(message: EmailMessage) -> tuple[str, str]:
    """The plain-text and the HTML part of a received message, decoded."""
    return message.get_body(("plain",)).get_content(), message.get_body(("html",)).get_content()


def header(message: EmailMessage, name: str) -> str:
    """A header's value, unfolded (long List-Unsubscribe values are folded on the wire)."""
    return " ".join(str(message[name]).split())


def list_unsubscribe_urls(message: EmailMessage) -> list[str]:
    return [part.strip().strip("<>") for part in header(message, "List-Unsubscribe").split(",")]


def links_in(text: str) -> list[str]:
    return re.findall(r"https?://[^\s<>\"']+", text)


def link_to(text: str, view: str) -> str:
    """The one link in ``text`` to /newsletter/<view>/<token>/."""
    found = {url for url in links_in(text) if f"/newsletter/{view}/" in url}
    assert len(found) == 1, found
    return found.pop()


def path_of(url: str) -> str:
    return urllib.parse.urlsplit(url).path


def subscriber(address: str, status: str = Subscriber.Status.ACTIVE, **fields) -> Subscriber:
    return Subscriber.objects.create(email=address, status=status, **fields)


# A management command run in its own process, except that it sets Django up, says it is
# ready, then waits for the starting signal: runs started together really start together.
_RUN_AT_THE_SIGNAL = """
import os, pathlib, sys, time
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wisegeek.settings")
import django
django.setup()
from django.core.management import call_command
ready, go = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
ready.touch()
while not go.exists():
    time.sleep(0.001)
call_command(*sys.argv[3:])
"""


def run_together(env: dict, work_dir, *commands: list[str], timeout: float = 300) -> list[tuple[int, str]]:
    """Run each of ``commands`` (``["send_digest", "--day", ...]``) in its own process at
    the same moment; return each one's exit status and output."""
    go = work_dir / "go"
    runs, logs = [], []
    try:
        for n, command in enumerate(commands):
            logs.append(open(work_dir / f"run-{n}.log", "w+"))
            runs.append(subprocess.Popen(
                [sys.executable, "-c", _RUN_AT_THE_SIGNAL, str(work_dir / f"ready-{n}"), str(go), *command],
                cwd=ROOT, env=env, stdout=logs[-1], stderr=subprocess.STDOUT,
            ))
        deadline = time.monotonic() + 120
        while not all((work_dir / f"ready-{n}").exists() for n in range(len(runs))):
            assert all(run.poll() is None for run in runs), "a run ended before the signal"
            assert time.monotonic() < deadline, "the runs did not get ready"
            time.sleep(0.02)
        go.touch()
        for run in runs:
            run.wait(timeout=timeout)
    finally:
        for run in runs:
            if run.poll() is None:
                run.kill()
                run.wait()
    results = []
    for run, log in zip(runs, logs):
        log.seek(0)
        results.append((run.returncode, log.read()))
        log.close()
    return results


def digest_site_setup(subscribers: int) -> str:
    """Python for ``manage.py shell -c``: one fresh article and ``subscribers`` active readers."""
    return f"""
import datetime
from django.utils import timezone
from newsletter.models import Subscriber
from tests.factories import ArticleFactory
ArticleFactory(title="Fresh Article", publish_at=timezone.now() - datetime.timedelta(hours=1))
Subscriber.objects.bulk_create(
    Subscriber(email=f"reader{{n:03}}@example.com", status="active") for n in range({subscribers})
)
"""


# For ``manage.py shell -c``: how many deliveries, and to how many different subscribers.
COUNT_DELIVERIES = (
    "from newsletter.models import Delivery; "
    "print(Delivery.objects.count(), Delivery.objects.values('subscriber').distinct().count())"
)


def send_digest(*args) -> str:
    """``manage.py send_digest`` in this process; what it printed."""
    out = io.StringIO()
    call_command("send_digest", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def hours_ago(hours: float) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(hours=hours)
