"""What a request may send. Readers' requests announcing more than
ANONYMOUS_MAX_BODY_BYTES are refused with 413 from their headers, before anything reads
the body; signed-in staff may send one image and its form (STAFF_MAX_BODY_BYTES). A body
sent in chunks, with no length announced, is refused with 411. Shown through the test
client and over gunicorn, where the reply arrives while the client still holds back
almost all of what it claimed it would send."""

import io
import os
import re
import socket
import subprocess
import sys

import pytest
from django.urls import reverse

from tests.liveserver import ROOT, LiveSite, http_get

pytestmark = pytest.mark.django_db

HUNDRED_MB = 100 * 1024 * 1024


class WatchedBody(io.BytesIO):
    """A request body that remembers whether anything read from it."""

    was_read = False

    def read(self, *args):
        self.was_read = True
        return super().read(*args)

    def readline(self, *args):
        self.was_read = True
        return super().readline(*args)


def post(client, path, body: bytes, *, claimed: int | None = None, **extra):
    """POST ``body`` as a form, announcing ``claimed`` bytes (its real length by default)."""
    stream = WatchedBody(body)
    environ = {"CONTENT_TYPE": "application/x-www-form-urlencoded", "wsgi.input": stream,
               "CONTENT_LENGTH": str(len(body) if claimed is None else claimed), **extra}
    response = client.generic("POST", path, **environ)
    return response, stream


@pytest.fixture
def limits(settings):
    settings.ANONYMOUS_MAX_BODY_BYTES = 64 * 1024
    settings.STAFF_MAX_BODY_BYTES = 512 * 1024
    return settings


@pytest.fixture
def staff(django_user_model):
    return django_user_model.objects.create_user("editor", password="a-long-password-1", is_staff=True)


# --- Readers ------------------------------------------------------------------------------

def test_a_reader_claiming_100_mb_is_refused_before_the_body_is_read(client, limits):
    response, body = post(client, reverse("newsletter:signup"), b"email=reader%40example.com&" * 100,
                          claimed=HUNDRED_MB)
    assert response.status_code == 413
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response.content.decode() == "Too much to send here: at most 64 KB.\n"
    assert not body.was_read


def test_a_readers_ordinary_form_is_read_and_answered_by_its_page(client, limits):
    response, body = post(client, reverse("newsletter:signup"), b"email=reader%40example.com&website=")
    assert response.status_code != 413 and body.was_read


def test_the_limit_is_the_readers_64_kb_to_the_byte(client, limits):
    signup = reverse("newsletter:signup")
    assert post(client, signup, b"x" * (64 * 1024))[0].status_code != 413
    assert post(client, signup, b"x" * (64 * 1024 + 1))[0].status_code == 413


def test_a_comment_as_long_as_comments_may_be_fits_easily(client, limits, settings):
    body = ("body=" + "é" * settings.COMMENT_MAX_LENGTH + "&name=Sam&email=sam%40example.com").encode()
    assert len(body) < limits.ANONYMOUS_MAX_BODY_BYTES / 2  # even with every character escaped
    assert post(client, "/any-article.htm/comment", body)[0].status_code != 413


@pytest.mark.parametrize("length", ["abc", "-1", "1e9", "١٢", " 12"])
def test_a_length_that_is_not_a_number_is_a_bad_request(client, limits, length):
    response, body = post(client, reverse("newsletter:signup"), b"email=a", claimed=0, CONTENT_LENGTH=length)
    assert response.status_code == 400 and not body.was_read


def test_a_body_sent_in_chunks_without_a_length_is_refused_unread(client, limits):
    response, body = post(client, reverse("newsletter:signup"), b"email=a", claimed=0,
                          CONTENT_LENGTH="", HTTP_TRANSFER_ENCODING="chunked")
    assert response.status_code == 411 and not body.was_read


def test_requests_without_a_body_are_untouched(client, limits):
    assert client.get("/").status_code == 200


def test_too_many_fields_in_a_small_body_are_a_bad_request_not_an_error(client, limits):
    body = "&".join(f"f{i}=1" for i in range(1001)).encode()
    assert len(body) < limits.ANONYMOUS_MAX_BODY_BYTES
    response, _ = post(client, reverse("newsletter:signup"), body)
    assert response.status_code == 400


# --- Signed-in people ----------------------------------------------------------------------

def test_staff_may_send_an_image_sized_body(client, limits, staff):
    client.force_login(staff)
    response, body = post(client, reverse("admin:password_change"), b"old_password=" + b"x" * (300 * 1024))
    assert response.status_code == 200 and body.was_read  # the form read it, and asks again


def test_even_staff_are_refused_above_their_own_limit(client, limits, staff):
    client.force_login(staff)
    response, body = post(client, reverse("admin:index"), b"x" * 100, claimed=512 * 1024 + 1)
    assert response.status_code == 413 and not body.was_read
    assert response.content.decode() == "Too much to send at once: at most 512 KB.\n"
    assert client.get(reverse("admin:index")).status_code == 200  # still signed in


def test_a_signed_in_user_who_is_not_staff_is_held_to_the_readers_limit(client, limits, django_user_model):
    client.force_login(django_user_model.objects.create_user("reader", password="a-long-password-1"))
    response, body = post(client, reverse("admin:index"), b"x" * 100, claimed=300 * 1024)
    assert response.status_code == 413 and not body.was_read


def test_a_staff_member_switched_off_is_held_to_the_readers_limit(client, limits, staff):
    client.force_login(staff)
    staff.is_active = False
    staff.save()
    assert post(client, reverse("admin:index"), b"x" * 100, claimed=300 * 1024)[0].status_code == 413


def test_a_session_from_before_a_password_change_counts_for_nothing(client, limits, staff):
    client.force_login(staff)
    staff.set_password("another-long-password-2")
    staff.save()
    assert post(client, reverse("admin:index"), b"x" * 100, claimed=300 * 1024)[0].status_code == 413


@pytest.mark.parametrize("cookie", ["made-up-session-key", "", "x" * 4000])
def test_a_made_up_session_cookie_counts_for_nothing(client, limits, cookie, settings):
    client.cookies[settings.SESSION_COOKIE_NAME] = cookie
    assert post(client, reverse("admin:index"), b"x" * 100, claimed=300 * 1024)[0].status_code == 413


def test_the_limits_come_from_the_environment():
    script = ("from django.conf import settings; print(settings.ANONYMOUS_MAX_BODY_BYTES, "
              "settings.STAFF_MAX_BODY_BYTES, settings.DATA_UPLOAD_MAX_MEMORY_SIZE, "
              "settings.DATA_UPLOAD_MAX_NUMBER_FIELDS, settings.FILE_UPLOAD_MAX_MEMORY_SIZE)")
    run = lambda **env: subprocess.run(  # noqa: E731
        [sys.executable, "-c", "import django; django.setup(); " + script], cwd=ROOT, check=True,
        capture_output=True, text=True, env={**_environ(), "DJANGO_SETTINGS_MODULE": "wisegeek.settings", **env},
    ).stdout.split()
    mb = 1024 * 1024
    assert run() == [str(64 * 1024), str(7 * mb), str(2 * mb), "1000", str(mb)]
    assert run(ANONYMOUS_MAX_BODY_BYTES="1000", MAX_IMAGE_UPLOAD_MB="10", DATA_UPLOAD_MAX_NUMBER_FIELDS="300",
               FILE_UPLOAD_MAX_MEMORY_SIZE="4096") == ["1000", str(12 * mb), str(2 * mb), "300", "4096"]


def _environ():
    limits = ("ANONYMOUS_MAX_BODY_BYTES", "STAFF_MAX_BODY_BYTES", "DATA_UPLOAD_MAX_MEMORY_SIZE",
              "DATA_UPLOAD_MAX_NUMBER_FIELDS", "FILE_UPLOAD_MAX_MEMORY_SIZE", "MAX_IMAGE_UPLOAD_MB")
    return {k: v for k, v in os.environ.items() if k not in limits}


# --- Over gunicorn -------------------------------------------------------------------------

@pytest.fixture(scope="module")
def site(tmp_path_factory):
    with LiveSite(tmp_path_factory.mktemp("var")) as live:
        live.manage("migrate", "--noinput")
        live.manage("collectstatic", "--noinput")
        yield live.serve()


def read_reply_head(sock) -> bytes:
    """What the server answered, up to the end of its headers and the short body after them."""
    reply = b""
    while b"\r\n\r\n" not in reply:
        chunk = sock.recv(4096)
        assert chunk, f"the server closed the connection without answering: {reply!r}"
        reply += chunk
    head, _, body = reply.partition(b"\r\n\r\n")
    length = int(re.search(rb"(?im)^content-length: *(\d+)", head).group(1))
    while len(body) < length:
        body += sock.recv(4096)
    return head + b"\r\n\r\n" + body


def send_partly(site, headers: str, first_part: bytes) -> tuple[bytes, bytes]:
    """Send ``headers`` and the first part of a body the headers say is much longer, then
    read the reply and wait for the server to close the connection (it reads nothing
    more, and stops waiting for the rest). Returns the reply and anything after it."""
    with socket.create_connection(("127.0.0.1", site.port)) as sock:
        sock.settimeout(60)  # only so a server that waits for the rest fails the test instead of hanging it
        sock.sendall(headers.replace("\n", "\r\n").encode() + b"\r\n" + first_part)
        reply = read_reply_head(sock)
        after = b""
        while chunk := sock.recv(4096):
            after += chunk
        return reply, after


def booted_workers(site) -> int:
    return site.log_path.read_text().count("Booting worker")


def test_over_gunicorn_a_reader_claiming_100_mb_is_answered_after_a_few_kb(site):
    workers_before = booted_workers(site)
    # An upload: Django reads a multipart body's files whatever DATA_UPLOAD_MAX_MEMORY_SIZE says.
    headers = (f"POST /newsletter/ HTTP/1.1\nHost: 127.0.0.1:{site.port}\n"
               f"Content-Type: multipart/form-data; boundary=xyz\nContent-Length: {HUNDRED_MB}\n")
    first_part = (b'--xyz\r\nContent-Disposition: form-data; name="file"; filename="big.bin"\r\n'
                  b"Content-Type: application/octet-stream\r\n\r\n" + b"a" * 4096)
    reply, after = send_partly(site, headers, first_part)
    assert reply.startswith(b"HTTP/1.1 413 ")
    assert reply.endswith(b"Too much to send here: at most 64 KB.\n")
    assert after == b""  # the connection was closed: nothing else came, and no more was sent
    assert http_get(site.url("/healthz"))[0] == 200
    assert booted_workers(site) == workers_before  # no worker was lost or restarted
    assert "Traceback" not in site.server_log_tail(200)


def test_over_gunicorn_a_body_in_chunks_is_refused_before_the_chunks_are_read(site):
    headers = (f"POST /newsletter/ HTTP/1.1\nHost: 127.0.0.1:{site.port}\n"
               "Content-Type: application/x-www-form-urlencoded\nTransfer-Encoding: chunked\n")
    chunk = b"%x\r\n%s\r\n" % (4096, b"a" * 4096)
    reply, after = send_partly(site, headers, chunk * 2)  # and never the last, empty chunk
    assert reply.startswith(b"HTTP/1.1 411 ")
    assert after == b""
    assert http_get(site.url("/healthz"))[0] == 200


def test_over_gunicorn_a_readers_small_post_still_reaches_its_page(site):
    headers = (f"POST /newsletter/ HTTP/1.1\nHost: 127.0.0.1:{site.port}\n"
               "Content-Type: application/x-www-form-urlencoded\nContent-Length: 7\nConnection: close\n")
    reply, _ = send_partly(site, headers, b"email=a")
    assert re.match(rb"HTTP/1.1 (400|403) ", reply)  # the form's own answer: the address is not valid
