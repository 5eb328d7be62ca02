"""Faults survived, nothing lost.

A few readers read pages, post comments and sign up for the newsletter on the real site
(gunicorn, several workers, the task worker beside it, as `make run` serves it) while,
one after the other:

(a) a gunicorn worker is killed with SIGKILL,
(b) the database is held by another process for several seconds (SQLite: BEGIN
    EXCLUSIVE; PostgreSQL: LOCK TABLE on the comments and subscribers),
(c) when the suite runs with REDIS_URL, the site's Redis (one this test starts on a port
    of its own) is stopped and started again, empty,
(d) the mail server is down, from before (a) until after (c).

What must hold: every request is answered (or, for the ones in flight on the killed
worker, dropped); pages answer 200, or a plain 503; no 500 at all; every comment and
signup the site accepted is stored, exactly once, and nothing it refused is; the killed
worker is replaced; every accepted signup's confirmation email arrives once the mail
server is back. Runs on the database the suite runs on (CI: SQLite, then PostgreSQL with
Redis).
"""

from __future__ import annotations

import contextlib
import html
import http.client
import json
import logging
import os
import re
import signal
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller

from tests.conftest import service_missing
from tests.http import opener
from tests.liveserver import LiveSite, free_port
from tests.mail import MailServer, Sink

READERS = 6
PAUSE = 0.15  # seconds each reader waits between two things it does
LOCK_SECONDS = 5
REDIS_DOWN_SECONDS = 4
GUNICORN_WORKERS = 3
ANSWERS_BETWEEN_FAULTS = 30
ARTICLE = "/what-is-the-connection-between-sciatica-and-back-pain.htm"
PAGES = [ARTICLE, "/", "/category/health/", "/newsletter/", "/why-do-batteries-lose-capacity-over-time.htm"]

# What a failed connection looks like to a client: the worker holding it was killed.
DROPPED = (ConnectionError, http.client.RemoteDisconnected, http.client.IncompleteRead,
           urllib.error.URLError, TimeoutError)


# --- The readers ------------------------------------------------------------------------


@dataclass
class Answer:
    kind: str  # "read", "comment" or "signup"
    key: str  # the page, the comment's body or the address
    status: int | None  # None: the connection was dropped before an answer
    body: bytes
    sent: float  # time.monotonic() when it was sent, and when it was answered
    answered: float


@dataclass
class Load:
    """Everything the readers were answered, and when each fault was going on."""

    answers: list[Answer] = field(default_factory=list)
    faults: dict[str, tuple[float, float]] = field(default_factory=dict)
    errors: list[BaseException] = field(default_factory=list)  # a reader's own failure
    stop: threading.Event = field(default_factory=threading.Event)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, answer: Answer) -> None:
        with self.lock:
            self.answers.append(answer)

    def count(self) -> int:
        with self.lock:
            return len(self.answers)

    def of(self, kind: str) -> list[Answer]:
        with self.lock:
            return [a for a in self.answers if a.kind == kind]

    @contextlib.contextmanager
    def fault(self, name: str):
        """Marks the time the block takes as ``name``'s, then lets the readers go on a while."""
        start = time.monotonic()
        yield
        self.faults[name] = (start, time.monotonic())
        seen = self.count()
        assert wait_until(lambda: self.count() >= seen + ANSWERS_BETWEEN_FAULTS), \
            f"the readers stopped after '{name}': {self.errors}"

    def during(self, name: str) -> list[Answer]:
        """The answers to requests that were under way while ``name`` was going on."""
        start, end = self.faults[name]
        return [a for a in self.answers if a.sent <= end and a.answered >= start]


def hidden_fields(page: str, form_class: str) -> dict[str, str]:
    """The hidden inputs of the first form of ``form_class`` on ``page``, as a browser sends them."""
    form = re.search(rf'<form class="{form_class}".*?</form>', page, flags=re.S)
    assert form, f"no {form_class} form on the page"
    fields = {}
    for tag in re.findall(r"<input [^>]*>", form[0]):
        if 'type="hidden"' in tag:
            name = re.search(r'name="([^"]+)"', tag)[1]
            value = re.search(r'value="([^"]*)"', tag)
            fields[name] = html.unescape(value[1]) if value else ""
    return fields


class Reader:
    """One person on the site, with no cookie, sending what a current browser sends."""

    def __init__(self, site: LiveSite, load: Load, number: int):
        self.site, self.load, self.number = site, load, number
        self.opener = opener()
        self.sent = 0

    def request(self, kind: str, key: str, path: str, data: dict | None = None) -> tuple[int | None, bytes]:
        headers = {}
        if data is not None:
            headers = {"Origin": self.site.base, "Sec-Fetch-Site": "same-origin"}
        request = urllib.request.Request(
            self.site.url(path), headers=headers,
            data=None if data is None else urllib.parse.urlencode(data).encode(),
        )
        sent = time.monotonic()
        try:
            with self.opener.open(request, timeout=60) as response:
                status, body = response.status, response.read()
        except urllib.error.HTTPError as error:  # 3xx (not followed), 4xx, 5xx
            with error:
                status, body = error.code, error.read()
        except DROPPED:
            status, body = None, b""
        self.load.record(Answer(kind, key, status, body, sent, time.monotonic()))
        return status, body

    def read(self, path: str) -> tuple[int | None, bytes]:
        return self.request("read", path, path)

    def comment(self) -> None:
        status, page = self.read(ARTICLE)
        if status != 200:
            return
        # As the page's script does: the cached page's token is everyone's, and a token
        # sends one comment, so the reader asks for one of their own.
        fields = hidden_fields(page.decode(), "comment-form")
        status, token = self.read(re.search(r'data-token-url="([^"]+)"', page.decode())[1])
        if status != 200:
            return
        fields["issued"] = json.loads(token)["issued"]
        text = f"Reader {self.number} says hello, comment {self.sent}."
        self.request("comment", text, ARTICLE + "/comment", {
            **fields,
            "name": f"Reader {self.number}", "email": f"reader{self.number}@example.com",
            "body": text, "website": "",
        })

    def sign_up(self) -> None:
        status, page = self.read("/newsletter/")
        if status != 200:
            return
        address = f"reader{self.number}.{self.sent}@example.com"
        self.request("signup", address, "/newsletter/", {
            **hidden_fields(page.decode(), "newsletter-page-form"), "email": address, "website": "",
        })

    def run(self) -> None:
        try:
            while not self.load.stop.is_set():
                turn = self.sent % 4
                if turn == 0:
                    self.comment()
                elif turn == 2:
                    self.sign_up()
                else:
                    self.read(PAGES[(self.sent + self.number) % len(PAGES)])
                self.sent += 1
                time.sleep(PAUSE)
        except BaseException as error:  # the test reports it
            self.load.errors.append(error)


# --- The faults -----------------------------------------------------------------------


def wait_until(condition, *, timeout: float = 60) -> bool:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.1)
    return True


def gunicorn_workers(site: LiveSite) -> set[int]:
    """The process ids of the gunicorn master's children: its workers."""
    master = site._server.pid
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    return {int(pid) for pid in children}


def hold_sqlite_locked(database: Path, seconds: float) -> subprocess.Popen:
    """Another process takes SQLite's write lock and keeps it; returns once it has it."""
    holder = subprocess.Popen(
        [sys.executable, "-c",
         "import sqlite3, sys, time\n"
         "db = sqlite3.connect(sys.argv[1], isolation_level=None, timeout=30)\n"
         "db.execute('BEGIN EXCLUSIVE')\n"
         "print('locked', flush=True)\n"
         "time.sleep(float(sys.argv[2]))\n"
         "db.execute('ROLLBACK')\n",
         str(database), str(seconds)],
        stdout=subprocess.PIPE, text=True,
    )
    assert holder.stdout.readline().strip() == "locked"
    return holder


def hold_postgres_tables_locked(database_url: str, seconds: float) -> None:
    """Another connection locks the comments and subscribers tables against everything,
    reads included, for ``seconds``."""
    import psycopg

    with psycopg.connect(database_url) as holder:
        holder.execute("LOCK TABLE articles_comment, newsletter_subscriber IN ACCESS EXCLUSIVE MODE")
        time.sleep(seconds)
        holder.rollback()


class RedisServer:
    """A redis-server of this test's own, on a free port, keeping nothing on disk."""

    def __init__(self, folder: Path):
        self.folder, self.port = folder, free_port()
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        import redis

        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--dir", str(self.folder)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )

        def answers() -> bool:
            try:
                with redis.Redis(port=self.port, socket_connect_timeout=1) as client:
                    return client.ping()
            except redis.ConnectionError:
                return False

        assert wait_until(answers, timeout=20), "redis-server did not start"

    def kill(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait()


def mail_server_on(port: int, sink: Sink) -> MailServer:
    """tests/mail.py's server on a port of our choosing, so it can come back where it was."""
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    return MailServer(controller, sink)


def stop(mail_server: MailServer) -> None:
    with contextlib.suppress(AssertionError):  # "SMTP daemon not running": it is down already
        mail_server.controller.stop()


# --- Reading the site's own database ----------------------------------------------------


def query(site: LiveSite, database_url: str | None, sql: str) -> list[tuple]:
    if database_url:
        import psycopg

        with psycopg.connect(database_url) as db:
            cursor = db.execute(sql)
            return cursor.fetchall() if cursor.description else []
    db = sqlite3.connect(site.var_dir / "db.sqlite3", timeout=30)
    try:
        with db:  # commits
            return db.execute(sql).fetchall()
    finally:
        db.close()


def stored_comments(site, database_url) -> Counter:
    return Counter(body for (body,) in query(site, database_url, "SELECT body FROM articles_comment"))


def stored_subscribers(site, database_url) -> Counter:
    return Counter(email for (email,) in query(site, database_url, "SELECT email FROM newsletter_subscriber"))


def deferred_confirmations(site, database_url) -> int:
    """Confirmation emails that met the mail server down and wait to be tried again."""
    return query(site, database_url, "SELECT COUNT(*) FROM django_tasks_database_dbtaskresult "
                                     "WHERE status = 'READY' AND task_path LIKE '%send_confirmation' "
                                     "AND CAST(args_kwargs AS TEXT) LIKE '%\"attempt\": %'")[0][0]


def a_minute_passes(site, database_url) -> None:
    """Confirmations that failed while the mail server was down wait a minute before they
    are tried again; the test does not wait that minute."""
    query(site, database_url, "UPDATE django_tasks_database_dbtaskresult SET run_after = '2000-01-01 00:00:00' "
                              "WHERE status = 'READY'")


# --- The test -------------------------------------------------------------------------


@pytest.fixture
def redis_server(tmp_path):
    """With REDIS_URL (CI's PostgreSQL + Redis pass): a Redis of this test's own, to stop."""
    if not os.environ.get("REDIS_URL"):
        yield None
        return
    if subprocess.run(["which", "redis-server"], capture_output=True).returncode != 0:
        service_missing("needs redis-server to stop and start a Redis of its own")
    folder = tmp_path / "redis"
    folder.mkdir()
    server = RedisServer(folder)
    server.start()
    yield server
    server.kill()


def test_readers_commenting_and_signing_up_through_faults_lose_nothing(tmp_path, database_url, redis_server):
    logging.getLogger("mail.log").setLevel(logging.WARNING)  # aiosmtpd logs every command
    sink, smtp_port = Sink(), free_port()
    mail_server = mail_server_on(smtp_port, sink)
    env = {
        "COMMENT_MIN_SECONDS": "0",
        # Limits stay on (counted in Redis or the database, as in production) but high.
        "COMMENT_RATE_LIMIT": "100000", "NEWSLETTER_SIGNUP_RATE_LIMIT": "100000",
        "EMAIL_HOST": "127.0.0.1", "EMAIL_PORT": str(smtp_port), "EMAIL_TIMEOUT": "5",
    }
    if database_url:
        env["DATABASE_URL"] = database_url
    if redis_server:
        env["REDIS_URL"] = redis_server.url
    site_folder = tmp_path / "site"
    site_folder.mkdir()
    load = Load()
    began = time.monotonic()
    try:
        with LiveSite(site_folder, workers=GUNICORN_WORKERS, worker=True, **env) as site:
            # What `make run` does, but collecting only the public site's static files:
            # compressing the admin's and the editor's (40 MB) would be most of this test's time.
            site.manage("migrate", "--noinput")
            site.manage("collectstatic", "--noinput", "--ignore", "admin", "--ignore", "django_ckeditor_5")
            site.manage("load_demo")
            site.serve()
            print(f"site started in {time.monotonic() - began:.0f} s")
            readers = [threading.Thread(target=Reader(site, load, n).run) for n in range(READERS)]
            for thread in readers:
                thread.start()
            try:
                assert wait_until(lambda: load.count() >= 30), site.server_log_tail()
                assert {a.status for a in load.answers} <= {200, 302}, \
                    "before any fault\n" + site.server_log_tail(60)
                with load.fault("mail server down"):
                    stop(mail_server)

                    with load.fault("worker killed"):
                        killed, killed_at = min(gunicorn_workers(site)), time.monotonic()
                        os.kill(killed, signal.SIGKILL)
                        assert wait_until(lambda: len(gunicorn_workers(site) - {killed}) == GUNICORN_WORKERS), \
                            "the killed worker was not replaced\n" + site.server_log_tail()
                        # The fault lasts until a write sent after the kill has been answered.
                        assert wait_until(lambda: any(a.kind != "read" and a.sent >= killed_at
                                                      for a in load.answers)), site.server_log_tail()

                    with load.fault("database locked"):
                        if database_url:
                            hold_postgres_tables_locked(database_url, LOCK_SECONDS)
                        else:
                            hold_sqlite_locked(site.var_dir / "db.sqlite3", LOCK_SECONDS).wait(timeout=60)

                    if redis_server:
                        with load.fault("redis down"):
                            redis_server.kill()
                            time.sleep(REDIS_DOWN_SECONDS)
                            redis_server.start()

                    assert wait_until(lambda: deferred_confirmations(site, database_url) > 0), \
                        "no confirmation email met the mail server down\n" + site.server_log_tail()
                    mail_server = mail_server_on(smtp_port, sink)
            finally:
                load.stop.set()
                for thread in readers:
                    thread.join(timeout=120)
            print(f"load done at {time.monotonic() - began:.0f} s:", {
                name: f"{end - start:.1f} s" for name, (start, end) in load.faults.items()})
            a_minute_passes(site, database_url)
            answers = load.answers
            report = f"{len(answers)} answers: " + ", ".join(
                f"{kind} {status}: {n}" for (kind, status), n in sorted(
                    Counter((a.kind, a.status) for a in answers).items(), key=str))
            print(report)

            # Pages answer, or say plainly they cannot right now.
            reads = load.of("read")
            assert {a.status for a in reads} <= {200, 503, None}, report
            for answer in reads:
                if answer.status == 503:
                    assert b"Traceback" not in answer.body and b"<h1>" in answer.body, answer
            # Only requests in flight on the killed worker may go unanswered.
            dropped = [a for a in answers if a.status is None]
            assert set(map(id, dropped)) <= set(map(id, load.during("worker killed"))), (report, dropped)
            assert len(dropped) <= READERS, report
            assert not [a for a in answers if a.status == 500], f"{report}\n{site.server_log_tail(60)}"

            comments, signups = load.of("comment"), load.of("signup")
            accepted_comments = {a.key for a in comments if a.status == 302}
            accepted_signups = {a.key for a in signups if a.status == 302}
            for fault in load.faults:
                writes = [a for a in load.during(fault) if a.kind != "read"]
                assert any(a.status == 302 for a in writes), f"no write was accepted during '{fault}': {report}"

            # Every accepted write is stored, once; nothing refused is.
            stored = stored_comments(site, database_url)
            assert {body: stored[body] for body in accepted_comments} == dict.fromkeys(accepted_comments, 1), report
            refused = [a for a in comments if a.status not in (302, None)]
            assert not [a for a in refused if stored[a.key]], report
            assert all(n == 1 for n in stored.values()), "a comment was stored twice"

            def every_signup_stored() -> bool:  # the site may record a signup in a task
                return accepted_signups <= set(stored_subscribers(site, database_url))

            assert wait_until(every_signup_stored, timeout=60), report
            subscribers = stored_subscribers(site, database_url)
            refused = [a for a in signups if a.status not in (302, None)]
            assert not [a for a in refused if subscribers[a.key]], report

            # The confirmations, those the mail server missed included, arrive once.
            assert mail_server.wait_for(len(accepted_signups), timeout=120), \
                f"{len(mail_server)} of {len(accepted_signups)} confirmations arrived\n{site.server_log_tail(60)}"
            received = mail_server.recipient_counts()
            assert {address: received[address] for address in accepted_signups} \
                == dict.fromkeys(accepted_signups, 1), report
            assert all(n == 1 for n in received.values()), "a confirmation was sent twice"
            print(f"checked at {time.monotonic() - began:.0f} s")
    finally:
        stop(mail_server)
