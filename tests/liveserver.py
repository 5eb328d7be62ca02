"""The site as `make run` serves it, for tests and scripts that need a real server.

`LiveSite` runs the management commands in subprocesses against a throw-away SQLite
database in its own VAR_DIR, then serves it with gunicorn on a free loopback port.
The environment is the caller's minus whatever would point the site at shared state
(DATABASE_URL, REDIS_URL, MEDIA_ROOT, ...), so it never touches the outer test
database, cache or uploads, whichever database the rest of the suite runs on.
"""

from __future__ import annotations

import atexit
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ADMIN_USERNAME = "admin"
ADMIN_PASSWORD = "a-long-admin-password-9"

# What `make run` does before it starts gunicorn.
MAKE_RUN_COMMANDS = (
    ("migrate", "--noinput"),
    ("collectstatic", "--noinput"),
    ("load_demo",),
    ("ensure_admin",),
)
# The background task worker `make run` starts beside gunicorn (and restarts if it dies).
WORKER_COMMAND = ("task_worker", "--no-startup-delay")

# Settings that would send a throw-away site to a shared database, cache or upload
# folder, or make it behave as if it were behind TLS in production.
_NOT_INHERITED = {
    "DATABASE_URL", "REDIS_URL", "DEBUG", "MEDIA_ROOT", "STATIC_ROOT", "VAR_DIR",
    "SECRET_KEY_FILE", "HTTPS", "SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS",
    "BEHIND_PROXY", "TRUSTED_PROXY_COUNT", "ALLOWED_HOSTS", "SITE_URL", "CACHE_DIR", "SERVE_MEDIA", "BIND", "PORT", "WEB_CONCURRENCY",
    "S3_BUCKET", "AWS_STORAGE_BUCKET_NAME", "S3_ENDPOINT_URL", "S3_CUSTOM_DOMAIN",
}


# An access-log line for a request that succeeded or redirected.
_OK_REQUEST = re.compile(r'HTTP/[\d.]+" [23]\d\d ')


# collectstatic takes most of a minute (every file hashed and compressed, CKEditor's
# included), and gives the same files for every site of one test run: sites that are
# not given a STATIC_ROOT share one, collected for real by the first of them to ask.
# (Only DEBUG changes what is collected: it picks the storage.)
_shared_static: dict[str, tuple[Path, str | None]] = {}


def _shared_static_root(debug: str) -> Path:
    if debug not in _shared_static:
        root = Path(tempfile.mkdtemp(prefix="wisegeek-static-"))
        atexit.register(shutil.rmtree, root, ignore_errors=True)
        _shared_static[debug] = (root, None)
    return _shared_static[debug][0]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def http_get(url: str, **headers) -> tuple[int, dict, bytes]:
    """GET ``url``; return status, headers and body, for error statuses too."""
    request = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def _no_control_socket_args() -> list[str]:
    """gunicorn 25.1+ opens a control socket at one path per user (~/.gunicorn/gunicorn.ctl),
    which concurrent throw-away servers would take from each other; they need none."""
    from gunicorn.config import KNOWN_SETTINGS

    return ["--no-control-socket"] if any(s.name == "control_socket_disable" for s in KNOWN_SETTINGS) else []


class LiveSiteError(RuntimeError):
    pass


class LiveSite:
    """One throw-away site: ``manage()`` runs commands, ``serve()`` starts gunicorn.

    Use ``LiveSite(var_dir).start()`` for everything `make run` does, and ``stop()``
    (or a ``with`` block) to shut gunicorn down. With ``worker=True`` it also runs the
    background task worker beside gunicorn, as `make run` does, so queued emails go out.

    Keyword arguments are environment variables applied after everything above, so a
    test may point a site at shared services on purpose (``DATABASE_URL=...``,
    ``REDIS_URL=...``, ``S3_BUCKET=...``): two sites given the same ones are two app
    servers of one site (tests/test_several_servers.py).
    """

    def __init__(self, var_dir: Path, *, workers: int = 2, worker: bool = False, **env: str):
        self.var_dir = Path(var_dir)
        self.port = free_port()
        self.env = {
            **{k: v for k, v in os.environ.items() if k not in _NOT_INHERITED},
            "SECRET_KEY": "live-site-secret-key-for-tests-only",
            "VAR_DIR": str(self.var_dir),
            "STATIC_ROOT": str(_shared_static_root(env.get("DEBUG", ""))),
            "DJANGO_SUPERUSER_PASSWORD": ADMIN_PASSWORD,
            "PYTHONUNBUFFERED": "1",
            "WEB_CONCURRENCY": str(workers),
            "SITE_URL": f"http://127.0.0.1:{self.port}",
            **env,
        }
        self.log_path = self.var_dir / "gunicorn.log"
        self.base = ""
        self.outputs: dict[str, str] = {}
        self.worker = worker
        self._server: subprocess.Popen | None = None
        self._worker: subprocess.Popen | None = None
        self._log = None

    def manage(self, *args: str, timeout: int = 300) -> str:
        """Run ``manage.py <args>``; return its output, or raise with it when it fails.

        collectstatic into the shared STATIC_ROOT runs once per test run; afterwards the
        files are there and its first output is returned."""
        debug = self.env.get("DEBUG", "")
        shared = args[:1] == ("collectstatic",) and debug in _shared_static and (
            self.env["STATIC_ROOT"] == str(_shared_static[debug][0]))
        if shared and _shared_static[debug][1] is not None:
            return _shared_static[debug][1]
        output = self._run_manage(args, timeout)
        if shared:
            _shared_static[debug] = (_shared_static[debug][0], output)
        return output

    def _run_manage(self, args, timeout: int) -> str:
        result = subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=self.env,
                                capture_output=True, text=True, timeout=timeout)
        if result.returncode != 0:
            raise LiveSiteError(f"manage.py {' '.join(args)} failed (exit {result.returncode}):\n"
                                + result.stdout + result.stderr)
        return result.stdout

    def serve(self, *, timeout: float = 60) -> LiveSite:
        """Start gunicorn on a free port (and the worker, if asked) and wait until /healthz answers."""
        port = self.port
        self._log = open(self.log_path, "w")
        if self.worker:
            # It logs into gunicorn's log, so server_log_tail() shows a failing task too.
            self._worker = subprocess.Popen(
                [sys.executable, "manage.py", *WORKER_COMMAND],
                cwd=ROOT, env=self.env, stdout=self._log, stderr=subprocess.STDOUT,
            )
        self._server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "--config", "gunicorn.conf.py", *_no_control_socket_args(),
             "wisegeek.wsgi"],
            cwd=ROOT, env={**self.env, "PORT": str(port)},
            stdout=self._log, stderr=subprocess.STDOUT,
        )
        self.base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + timeout
        while True:
            try:
                urllib.request.urlopen(self.base + "/healthz", timeout=5)
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                # Refused while gunicorn starts, or slow on a loaded machine: the deadline
                # decides, not one request's timeout.
                if self._server.poll() is not None or time.monotonic() > deadline:
                    self.stop()
                    raise LiveSiteError("gunicorn did not start:\n" + self.log_path.read_text())
                time.sleep(0.2)
                continue
            if self._worker is not None and self._worker.poll() is not None:
                self.stop()
                raise LiveSiteError("the task worker did not start:\n" + self.log_path.read_text())
            return self

    def start(self) -> LiveSite:
        """Everything `make run` does: the setup commands, then gunicorn."""
        for command in MAKE_RUN_COMMANDS:
            self.outputs[command[0]] = self.manage(*command)
        return self.serve()

    def stop(self) -> None:
        for process in (self._server, self._worker):
            if process is not None and process.poll() is None:
                process.terminate()
        for process in (self._server, self._worker):
            if process is not None:
                try:
                    process.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()
        if self._log is not None:
            self._log.close()
            self._log = None

    def url(self, path: str) -> str:
        return self.base + path

    @property
    def worker_process(self) -> subprocess.Popen | None:
        """The task worker (``worker=True``): a test checks it is still the same process."""
        return self._worker

    def log_position(self) -> int:
        """Where gunicorn's log ends now; pass it to ``server_log_tail(since=...)``."""
        try:
            return self.log_path.stat().st_size
        except OSError:
            return 0

    def server_log_tail(self, lines: int = 30, *, since: int = 0) -> str:
        """The last lines gunicorn logged (after ``since``), leaving out successful requests."""
        try:
            with open(self.log_path, "rb") as log:
                log.seek(since)
                text = log.read().decode(errors="replace")
        except OSError:
            return ""
        return "\n".join([line for line in text.splitlines() if not _OK_REQUEST.search(line)][-lines:])

    def __enter__(self) -> LiveSite:
        return self

    def __exit__(self, *exc_info) -> None:
        self.stop()
