"""A real SMTP server on the wire, for every test that sends email.

`mail_server` is aiosmtpd listening on a free loopback port; it keeps every message it
accepts, so a test reads what a mailbox would hold: headers, both parts and the links in
them. Subprocesses (``manage.py send_digest``, a LiveSite's worker) can send to it too.
Loaded for the whole suite by tests/conftest.py (``pytest_plugins``).
"""

import asyncio
import email
import logging
import threading
import time
from collections import Counter
from email import policy
from email.message import EmailMessage

import pytest
from aiosmtpd.controller import Controller

from tests.liveserver import free_port


class Sink:
    """An aiosmtpd handler that keeps every message it accepts.

    ``delay`` slows each answer down (so a test can kill a sender midway);
    ``refuse_after`` makes it answer "451 try again later" once it holds that many;
    ``refuse_recipients`` maps addresses to the reply their RCPT TO gets.
    """

    def __init__(self):
        self.envelopes = []
        self.delay = 0.0
        self.refuse_after = None
        self.refuse_recipients: dict[str, str] = {}
        self._lock = threading.Lock()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse_recipients:
            return self.refuse_recipients[address]
        envelope.rcpt_tos.append(address)
        return "250 2.1.5 OK"

    async def handle_DATA(self, server, session, envelope):
        with self._lock:
            if self.refuse_after is not None and len(self.envelopes) >= self.refuse_after:
                return "451 4.3.0 Mailbox busy, try again later"
            self.envelopes.append(envelope)
        if self.delay:
            await asyncio.sleep(self.delay)
        return "250 2.0.0 OK"


class MailServer:
    """A running SMTP server and what it has received."""

    def __init__(self, controller: Controller, sink: Sink):
        self.controller, self.sink = controller, sink
        self.host, self.port = controller.hostname, controller.port

    def __len__(self) -> int:
        return len(self.sink.envelopes)

    @property
    def messages(self) -> list[EmailMessage]:
        with self.sink._lock:
            envelopes = list(self.sink.envelopes)
        return [email.message_from_bytes(e.original_content or e.content, policy=policy.default)
                for e in envelopes]

    def messages_to(self, address: str) -> list[EmailMessage]:
        return [m for m in self.messages if m["To"] == address]

    def recipient_counts(self) -> Counter:
        """How many copies each envelope recipient got."""
        with self.sink._lock:
            return Counter(rcpt for e in self.sink.envelopes for rcpt in e.rcpt_tos)

    def wait_for(self, count: int, *, timeout: float = 15, unless=lambda: False) -> bool:
        """Poll until ``count`` messages have arrived (True), ``unless()`` is true or time is up."""
        deadline = time.monotonic() + timeout
        while len(self) < count:
            if unless() or time.monotonic() > deadline:
                return False
            time.sleep(0.02)
        return True


@pytest.fixture
def mail_server():
    """aiosmtpd on a free loopback port for the length of one test."""
    # aiosmtpd logs every SMTP command at INFO; a failing test's output stays readable.
    smtp_log = logging.getLogger("mail.log")
    smtp_log_level = smtp_log.level
    smtp_log.setLevel(logging.WARNING)
    sink = Sink()
    for attempt in range(3):
        controller = Controller(sink, hostname="127.0.0.1", port=free_port())
        try:
            controller.start()
            break
        except OSError:  # the port was taken between free_port() and bind
            if attempt == 2:
                raise
    yield MailServer(controller, sink)
    controller.stop()
    smtp_log.setLevel(smtp_log_level)


@pytest.fixture
def smtp(settings, mail_server):
    """Django sends its mail over SMTP to ``mail_server``, as in production."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = mail_server.host
    settings.EMAIL_PORT = mail_server.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 10
    return mail_server


@pytest.fixture
def closed_port() -> int:
    """A loopback port nobody listens on: a mail server that is down."""
    return free_port()
