"""How fast the daily digest goes out, and whether its memory stays flat.

    .venv/bin/python -m bench.digest_send                  # or: make bench
    .venv/bin/python -m bench.digest_send --sizes 1000,5000

Every claim is a ratio against a baseline measured in the same run on the same
machine, never a bare time:

- speed: ``newsletter.services.digest_send()`` to N subscribers, against the floor of
  sending the same rendered message N times with plain smtplib over one connection
  (and, between the two, Django's SMTP backend sending one pre-built message N times);
- memory: peak Python heap (tracemalloc) and peak RSS (getrusage) while
  ``digest_send()`` runs, at each size against the smallest: flat memory is a ratio ≈ 1.

Each measurement runs in a process of its own against its own throw-away SQLite
database (VAR_DIR in a temporary folder, the settings' defaults otherwise), so a peak
RSS is that run's alone. The SMTP sink (aiosmtpd: counts messages, answers 250) runs
in one more process, so it neither competes for the sender's GIL nor counts in its
memory. tracemalloc slows Python down, so the heap is measured in separate runs and
never in the timed ones.
"""

from __future__ import annotations

import argparse
import datetime
import json
import multiprocessing
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SIZES = (2_000, 10_000, 20_000)
ARTICLES = 3
# Settings that would point a throw-away run at shared state, or make it keep every
# SQL query in memory (DEBUG).
_NOT_INHERITED = {
    "DATABASE_URL", "REDIS_URL", "DEBUG", "MEDIA_ROOT", "STATIC_ROOT", "VAR_DIR",
    "SECRET_KEY_FILE", "EMAIL_HOST", "EMAIL_PORT", "EMAIL_HOST_USER", "EMAIL_HOST_PASSWORD",
    "EMAIL_USE_TLS", "EMAIL_USE_SSL", "TASKS_BACKEND", "NEWSLETTER_BATCH_SIZE",
}


# --- The SMTP sink, in a process of its own -------------------------------------------

def _run_sink(port: int, count, ready, stop) -> None:
    from aiosmtpd.controller import Controller

    class Counter:
        async def handle_DATA(self, server, session, envelope):
            with count.get_lock():
                count.value += 1
            return "250 OK"

    controller = Controller(Counter(), hostname="127.0.0.1", port=port)
    controller.start()
    ready.set()
    stop.wait()
    controller.stop()


class Sink:
    """An aiosmtpd server on a free loopback port that counts what it accepts."""

    def __init__(self):
        context = multiprocessing.get_context("spawn")
        self.port = _free_port()
        self._count = context.Value("q", 0)
        self._ready, self._stop = context.Event(), context.Event()
        self._process = context.Process(
            target=_run_sink, args=(self.port, self._count, self._ready, self._stop), daemon=True
        )

    @property
    def received(self) -> int:
        return self._count.value

    def __enter__(self) -> Sink:
        self._process.start()
        if not self._ready.wait(30):
            self._process.kill()
            raise RuntimeError("the SMTP sink did not start")
        return self

    def __exit__(self, *exc_info) -> None:
        self._stop.set()
        self._process.join(10)
        if self._process.is_alive():
            self._process.kill()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# --- The measured steps, each run as `python -m bench.digest_send --step ...` ---------

def _django():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wisegeek.settings")
    import django

    django.setup()


def _max_rss() -> int:
    """This process's peak resident set so far, in bytes (ru_maxrss is KiB on Linux)."""
    import resource

    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak if sys.platform == "darwin" else peak * 1024


def step_prepare(args) -> dict:
    """A migrated database with a few articles published in the last hours."""
    from django.core.management import call_command

    call_command("migrate", "--noinput", verbosity=0)
    _create_articles()
    return {}


def _create_articles() -> None:
    from django.utils import timezone

    from articles.models import Article, Category
    from authors.models import Author

    category = Category.objects.create(name="Health", slug="health")
    author = Author.objects.create(name="Dana Whitfield", slug="dana-whitfield")
    now = timezone.now()
    for number in range(1, ARTICLES + 1):
        Article.objects.create(
            title=f"What is benchmark topic number {number}?",
            slug=f"what-is-benchmark-topic-{number}",
            category=category,
            author=author,
            summary="One or two sentences about the topic, as they appear on cards and in the digest.",
            body="<p>" + "A paragraph of the article. " * 40 + "</p>",
            status=Article.Status.PUBLISHED,
            publish_at=now - datetime.timedelta(hours=number),
        )


def step_subscribers(args) -> dict:
    """``args.size`` active subscribers, created in batches so this step stays small too."""
    from itertools import islice

    from django.utils import timezone

    from newsletter.models import Subscriber

    now = timezone.now()
    people = (
        Subscriber(email=f"reader{number:06d}@example.com", status=Subscriber.Status.ACTIVE,
                   confirmed_at=now, consent_at=now, consent_text_version="bench")
        for number in range(args.size)
    )
    while batch := list(islice(people, 2_000)):
        Subscriber.objects.bulk_create(batch)
    return {"subscribers": Subscriber.objects.active().count()}


def step_send(args) -> dict:
    """digest_prepare() and digest_send(); only the send is timed and measured."""
    import gc
    import tracemalloc

    from django.conf import settings

    from newsletter import services
    from newsletter.models import Delivery

    digest = services.digest_prepare(day=args.day)
    assert digest is not None, "no articles for the digest"
    gc.collect()
    rss_before = _max_rss()
    if args.tracemalloc:
        tracemalloc.start()
    started = time.perf_counter()
    sent = services.digest_send(digest=digest)
    seconds = time.perf_counter() - started
    heap_peak = tracemalloc.get_traced_memory()[1] if args.tracemalloc else None
    tracemalloc.stop()
    delivered = Delivery.objects.filter(digest=digest).count()
    assert sent == delivered == args.size, (sent, delivered, args.size)
    return {"sent": sent, "seconds": seconds, "heap_peak": heap_peak, "rss_peak": _max_rss(),
            "rss_growth": _max_rss() - rss_before, "articles": digest.articles.count(),
            "batch_size": settings.NEWSLETTER_BATCH_SIZE}


def _digest_message(day):
    """The digest as digest_send() builds it for its first recipient."""
    from newsletter import emails, services
    from newsletter.models import Subscriber

    # The same digest the send step gets: one per day.
    digest = services.digest_prepare(day=day)
    return emails.DigestRenderer(digest).message(Subscriber.objects.active().order_by("pk").first())


def step_smtplib(args) -> dict:
    """The floor: the same bytes N times with plain smtplib over one connection."""
    import smtplib

    from django.conf import settings

    message = _digest_message(args.day)
    data = message.message().as_bytes(linesep="\r\n")
    sender, recipients = message.from_email, message.recipients()
    started = time.perf_counter()
    with smtplib.SMTP(settings.EMAIL_HOST, settings.EMAIL_PORT) as smtp:
        for _ in range(args.size):
            smtp.sendmail(sender, recipients, data)
    seconds = time.perf_counter() - started
    return {"sent": args.size, "seconds": seconds, "rss_peak": _max_rss(), "bytes": len(data)}


def step_django_mail(args) -> dict:
    """Django's SMTP backend sending one pre-built message N times over one connection."""
    from django.core.mail import get_connection

    message = _digest_message(args.day)
    started = time.perf_counter()
    with get_connection() as connection:
        message.connection = connection
        for _ in range(args.size):
            message.send()
    seconds = time.perf_counter() - started
    return {"sent": args.size, "seconds": seconds, "rss_peak": _max_rss()}


STEPS = {
    "prepare": step_prepare,
    "subscribers": step_subscribers,
    "send": step_send,
    "smtplib": step_smtplib,
    "django-mail": step_django_mail,
}


# --- The run ----------------------------------------------------------------------

class Run:
    def __init__(self, workdir: Path, sink: Sink):
        self.workdir, self.sink = workdir, sink
        self.day = datetime.date.today()  # the digest's day, the same in every step
        self.base_env = {
            **{k: v for k, v in os.environ.items() if k not in _NOT_INHERITED},
            "DJANGO_SETTINGS_MODULE": "wisegeek.settings",
            "SECRET_KEY": "bench-only-secret-key-not-for-production",
            "STATIC_ROOT": str(workdir / "static"),
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": str(sink.port),
            "LOG_LEVEL": "WARNING",
        }

    def database(self, name: str, *, copy_of: str | None = None) -> Path:
        var_dir = self.workdir / name
        var_dir.mkdir()
        if copy_of:
            shutil.copy(self.workdir / copy_of / "db.sqlite3", var_dir / "db.sqlite3")
        return var_dir

    def step(self, step: str, var_dir: Path, *, size: int = 0, tracemalloc: bool = False) -> dict:
        command = [sys.executable, "-m", "bench.digest_send", "--step", step, "--size", str(size),
                   "--day", self.day.isoformat()]
        if tracemalloc:
            command.append("--tracemalloc")
        received = self.sink.received
        result = subprocess.run(command, cwd=ROOT, env={**self.base_env, "VAR_DIR": str(var_dir)},
                                capture_output=True, text=True, timeout=1800)
        if result.returncode != 0:
            raise SystemExit(f"step {step} (size {size}) failed:\n{result.stdout}{result.stderr}")
        figures = json.loads(result.stdout.strip().splitlines()[-1])
        if "sent" in figures:
            arrived = self.sink.received - received
            if arrived != figures["sent"]:
                raise SystemExit(f"step {step}: sent {figures['sent']}, the sink received {arrived}")
        return figures


def measure(sizes: list[int], *, heap: bool, say) -> dict:
    """Per size: digest_send between two runs of the smtplib floor (so a ratio compares
    runs seconds apart, and the two floors show how steady the machine was), then
    digest_send under tracemalloc on a copy of the database."""
    results: dict = {"sizes": {}, "load_before": os.getloadavg()[0]}
    with tempfile.TemporaryDirectory(prefix="wisegeek-bench-") as tmp, Sink() as sink:
        run = Run(Path(tmp), sink)
        say(f"Preparing a database in {tmp} (migrate, {ARTICLES} new articles) ...")
        run.step("prepare", run.database("template"))
        for size in sizes:
            figures = results["sizes"][size] = {}
            say(f"{size:,} subscribers: creating them ...")
            database = run.database(f"s{size}", copy_of="template")
            run.step("subscribers", database, size=size)
            if heap:
                run.database(f"h{size}", copy_of=f"s{size}")
            say(f"{size:,} subscribers: the floor, smtplib ...")
            floors = [run.step("smtplib", database, size=size)]
            if size == sizes[0]:
                say(f"{size:,} subscribers: Django's SMTP backend, one message ...")
                figures["django-mail"] = run.step("django-mail", database, size=size)
            say(f"{size:,} subscribers: digest_send ...")
            figures["send"] = run.step("send", database, size=size)
            say(f"{size:,} subscribers: the floor again ...")
            floors.append(run.step("smtplib", database, size=size))
            figures["smtplib"] = floors
            if heap:
                say(f"{size:,} subscribers: digest_send under tracemalloc ...")
                figures["heap"] = run.step("send", run.workdir / f"h{size}", size=size, tracemalloc=True)
    results["load_after"] = os.getloadavg()[0]
    return results


def report(results: dict, *, out=sys.stdout) -> None:
    def mb(value):
        return "-" if value is None else f"{value / 2**20:.1f} MB"

    def rate(figures):
        return figures["sent"] / figures["seconds"]

    def floor_rate(figures):  # the mean of the runs before and after digest_send
        return sum(rate(floor) for floor in figures["smtplib"]) / len(figures["smtplib"])

    sizes = results["sizes"]
    smallest, largest = min(sizes), max(sizes)
    first = sizes[smallest]
    print(f"\nA digest of {first['send']['articles']} articles, {first['smtplib'][0]['bytes']:,} bytes a "
          f"message, {first['send']['batch_size']} messages per SMTP connection, to an aiosmtpd sink "
          f"in its own process; SQLite (WAL) in a temporary folder; {os.cpu_count()} CPUs, load "
          f"average {results['load_before']:.2f} before and {results['load_after']:.2f} after.\n", file=out)
    header = (f"{'subscribers':>11}  {'smtplib floor, before/after':>27}  {'digest_send':>11}  "
              f"{'vs floor':>8}  {'heap peak':>9}  {'peak RSS':>9}  {'RSS growth':>10}")
    print(header, file=out)
    print("-" * len(header), file=out)
    unsteady = []
    for size, figures in sorted(sizes.items()):
        send, floors = figures["send"], [rate(floor) for floor in figures["smtplib"]]
        if max(floors) > 1.2 * min(floors):
            unsteady.append(size)
        heap_peak = figures.get("heap", {}).get("heap_peak")
        floor_text = " / ".join(f"{floor:,.0f}/s" for floor in floors)
        print(f"{size:>11,}  {floor_text:>27}  {rate(send):>9,.0f}/s  "
              f"{rate(send) / floor_rate(figures):>7.2f}x  {mb(heap_peak):>9}  {mb(send['rss_peak']):>9}  "
              f"{mb(send['rss_growth']):>10}", file=out)
    print(file=out)
    if unsteady:
        print(f"Warning: the two floors differ by more than 20% at {', '.join(f'{s:,}' for s in unsteady)} "
              "subscribers: something else was using the CPUs; run again on a quiet machine.\n", file=out)
    django_mail = first["django-mail"]
    print(f"Between the two: Django's SMTP backend sending one pre-built message {smallest:,} times runs "
          f"at {rate(django_mail) / rate(first['smtplib'][0]):.2f}x the floor ({rate(django_mail):,.0f}/s).",
          file=out)
    big = sizes[largest]
    speed = rate(big["send"]) / floor_rate(big)
    print(f"Speed: digest_send to {largest:,} subscribers runs at {speed:.2f}x the smtplib floor "
          f"(1/{1 / speed:.1f}).", file=out)
    line = (f"Memory, {largest:,} vs {smallest:,} subscribers: peak RSS "
            f"x{big['send']['rss_peak'] / first['send']['rss_peak']:.2f}")
    if "heap" in big:
        line += f", peak Python heap x{big['heap']['heap_peak'] / first['heap']['heap_peak']:.2f}"
    print(line + " (1.00 = flat).", file=out)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default=",".join(str(s) for s in DEFAULT_SIZES),
                        help="comma-separated subscriber counts (default: %(default)s)")
    parser.add_argument("--no-heap", action="store_true", help="skip the tracemalloc runs (faster)")
    parser.add_argument("--json", type=Path, help="also write the raw figures to this file")
    parser.add_argument("--step", choices=STEPS, help=argparse.SUPPRESS)
    parser.add_argument("--size", type=int, default=0, help=argparse.SUPPRESS)
    parser.add_argument("--tracemalloc", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--day", type=datetime.date.fromisoformat, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.step:  # one measured step, in its own process
        sys.path.insert(0, str(ROOT))
        _django()
        figures = STEPS[args.step](args)
        from django.db import connections

        connections.close_all()  # SQLite folds its WAL into the file, which may be copied next
        print(json.dumps(figures))
        return

    sizes = sorted({int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()})
    started = time.monotonic()
    results = measure(sizes, heap=not args.no_heap,
                      say=lambda text: print(text, file=sys.stderr, flush=True))
    report(results)
    print(f"\n(The whole run took {time.monotonic() - started:.0f} s.)")
    if args.json:
        args.json.write_text(json.dumps(results, indent=2, default=str))


if __name__ == "__main__":
    main()
