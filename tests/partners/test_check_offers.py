"""check_offers asks every active link's destination for its status and marks dead offers.

Every request goes to a web server of the test's own on 127.0.0.1, which notes what
reached it; nothing leaves the machine.
"""

import io
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.management import CommandError, call_command, load_command_class

from partners.models import PartnerLink
from tests.factories import AffiliatePartnerFactory, PartnerLinkFactory

pytestmark = pytest.mark.django_db

TIMEOUT = 0.5  # seconds: the slow page answers only after the test ends
HOLD = 0.3  # seconds a /busy page stays open, unless no more requests are coming


class OfferSite:
    """What reached the server: every (method, path), and the most requests at once."""

    def __init__(self):
        self.seen: list[tuple[str, str]] = []
        self.at_once = self.most_at_once = 0
        self.lock = threading.Condition()
        self.finished = threading.Event()
        self.expected = 0  # requests the test will make, when it says

    def enter(self, method: str, path: str):
        with self.lock:
            self.seen.append((method, path))
            self.at_once += 1
            self.most_at_once = max(self.most_at_once, self.at_once)
            self.lock.notify_all()

    def leave(self):
        with self.lock:
            self.at_once -= 1

    def hold(self):
        """Keep the request open a moment: long enough for every request the client
        may send at once to arrive, so the most at once is what the client allows.
        The last requests have nothing left to wait for."""
        with self.lock:
            self.lock.wait_for(lambda: len(self.seen) >= self.expected, timeout=HOLD)

    def methods(self, *paths: str) -> list[tuple[str, str]]:
        return [(method, path) for method, path in self.seen if path in paths]


class Handler(BaseHTTPRequestHandler):
    def do_HEAD(self):
        self.answer()

    def do_GET(self):
        self.answer()

    def answer(self):
        site = self.server.site
        site.enter(self.command, self.path)
        try:
            if self.path in ("/ok", "/moved-here") or self.path.startswith("/item/"):
                self.reply(200)
            elif self.path == "/gone":
                self.reply(404)
            elif self.path == "/no-head":
                self.reply(405 if self.command == "HEAD" else 200)
            elif self.path == "/moved":
                self.reply(302, location="/moved-here")
            elif self.path == "/loop-a":
                self.reply(302, location="/loop-b")
            elif self.path == "/loop-b":
                self.reply(301, location="/loop-a")
            elif self.path == "/slow":
                site.finished.wait(timeout=10)
                self.reply(200)
            elif self.path.startswith("/busy/"):
                site.hold()
                self.reply(200)
            else:
                self.reply(500)
        finally:
            site.leave()

    def reply(self, status: int, location: str = ""):
        self.send_response(status)
        if location:
            self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, format, *args):
        pass


class QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        pass  # the slow page writes to a client that has long given up


@pytest.fixture
def offer_site():
    server = QuietServer(("127.0.0.1", 0), Handler)
    server.site = OfferSite()
    server.site.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield server.site
    server.site.finished.set()
    server.shutdown()
    server.server_close()


def check_offers(*args: str) -> str:
    out = io.StringIO()
    call_command("check_offers", "--timeout", str(TIMEOUT), *args, stdout=out)
    return out.getvalue()


@pytest.mark.parametrize("path, requests, dead, result", [
    ("/ok", [("HEAD", "/ok")], False, "200 OK"),
    ("/gone", [("HEAD", "/gone")], True, "404 Not Found"),
    ("/no-head", [("HEAD", "/no-head"), ("GET", "/no-head")], False, "200 OK"),
    ("/moved", [("HEAD", "/moved"), ("HEAD", "/moved-here")], False, "200 OK after 1 redirect"),
    ("/loop-a", [("HEAD", "/loop-a"), ("HEAD", "/loop-b")] * 3 + [("GET", "/loop-a"), ("GET", "/loop-b")] * 3,
     True, "more than 5 redirects"),
    ("/slow", [("HEAD", "/slow"), ("GET", "/slow")], True, "timed out after 0.5 s"),
])
def test_each_offer_is_asked_for_its_status_and_the_answer_is_written(offer_site, path, requests, dead, result):
    link = PartnerLinkFactory(destination=offer_site.url + path)

    check_offers()

    assert offer_site.seen == requests
    link.refresh_from_db()
    assert (link.is_dead, link.check_result) == (dead, result)
    assert link.checked_at is not None


def test_a_server_nobody_listens_on_is_a_dead_offer(closed_port):
    link = PartnerLinkFactory(destination=f"http://127.0.0.1:{closed_port}/offer")

    check_offers()

    link.refresh_from_db()
    assert (link.is_dead, link.check_result) == (True, "connection refused")


def test_an_offer_that_works_again_is_no_longer_dead(offer_site):
    link = PartnerLinkFactory(destination=offer_site.url + "/ok")
    PartnerLink.objects.filter(pk=link.pk).update(is_dead=True, check_result="404 Not Found")

    check_offers()

    link.refresh_from_db()
    assert (link.is_dead, link.check_result) == (False, "200 OK")


def test_switched_off_links_and_links_of_former_partners_are_not_checked(offer_site):
    PartnerLinkFactory(destination=offer_site.url + "/item/off", is_active=False)
    PartnerLinkFactory(destination=offer_site.url + "/item/former", partner=AffiliatePartnerFactory(is_active=False))
    checked = PartnerLinkFactory(destination=offer_site.url + "/item/on")

    output = check_offers()

    assert offer_site.seen == [("HEAD", "/item/on")]
    assert list(PartnerLink.objects.filter(checked_at__isnull=False)) == [checked]
    assert "Checked 1 active link: 1 working, 0 dead." in output


def test_at_most_workers_requests_are_under_way_at_once(offer_site):
    for n in range(8):
        PartnerLinkFactory(destination=f"{offer_site.url}/busy/{n}")
    offer_site.expected = 8

    check_offers("--workers", "2", "--timeout", "5")

    assert len(offer_site.seen) == 8
    # Two at once: bounded, and yet concurrent.
    assert offer_site.most_at_once == 2
    assert not PartnerLink.objects.filter(is_dead=True).exists()


def test_the_summary_lists_the_dead_offers_and_the_command_succeeds(offer_site):
    PartnerLinkFactory(destination=offer_site.url + "/ok")
    gone = PartnerLinkFactory(name="Winter heat pack", slug="heat-pack", destination=offer_site.url + "/gone",
                              partner=AffiliatePartnerFactory(name="Brightleaf"))

    output = check_offers()  # raises CommandError (exit status 1) on failure

    assert "Checked 2 active links: 1 working, 1 dead." in output
    assert f"/go/heat-pack (Brightleaf, “Winter heat pack”): 404 Not Found – {gone.destination}" in output


def test_with_no_active_links_there_is_nothing_to_ask(offer_site):
    PartnerLinkFactory(destination=offer_site.url + "/ok", is_active=False)

    assert "Checked 0 active links: 0 working, 0 dead." in check_offers()
    assert offer_site.seen == []


def test_the_defaults_are_ten_seconds_and_eight_workers():
    parser = load_command_class("partners", "check_offers").create_parser("manage.py", "check_offers")
    options = parser.parse_args([])
    assert (options.timeout, options.workers) == (10, 8)


@pytest.mark.parametrize("option, value", [
    ("--timeout", "0"), ("--timeout", "-1"), ("--timeout", "nan"), ("--timeout", "100000"),
    ("--workers", "0"), ("--workers", "1000"),
])
def test_options_out_of_range_are_refused_before_any_request(offer_site, option, value):
    PartnerLinkFactory(destination=offer_site.url + "/ok")

    with pytest.raises(CommandError, match=option):
        call_command("check_offers", option, value)

    assert offer_site.seen == []
