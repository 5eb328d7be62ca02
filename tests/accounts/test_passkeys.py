"""Passkeys as a second sign-in factor, through the site's own endpoints: adding one,
signing in with it after the password, removing it, and every answer the site must
refuse. The browser and the authenticator are tests.accounts.soft_authenticator; the
checks are the site's and py_webauthn's real code."""

import json
from binascii import unhexlify

import cbor2
import pytest
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnCredential

from tests.accounts.conftest import PASSWORD, sign_in
from tests.accounts.soft_authenticator import AuthenticatorRefused, SoftAuthenticator, b64url, from_b64url

pytestmark = pytest.mark.django_db

# The suite's SITE_URL (tests/environment.py): passkeys belong to its host.
ORIGIN = "http://localhost:8000"
RP_ID = "localhost"


@pytest.fixture
def client(client):
    """The test client at the site's own address, the one origin passkeys are allowed from."""
    client.defaults["HTTP_HOST"] = "localhost:8000"
    return client


@pytest.fixture
def authenticator():
    return SoftAuthenticator(ORIGIN, RP_ID)


def post_json(client, name: str, body=None):
    """POST ``body`` (a dict, or raw bytes as a hostile client sends them) as JSON."""
    data = body if isinstance(body, (str, bytes)) else json.dumps(body or {})
    return client.post(reverse(name), data, content_type="application/json")


def add_passkey(client, authenticator, **bent):
    """Add a passkey to the signed-in user's account as the two-factor page's script does."""
    options = post_json(client, "accounts:passkey_add_options")
    assert options.status_code == 200, options.content
    return post_json(client, "accounts:passkey_add", authenticator.register(options.json(), **bent))


def added(client, authenticator) -> WebAuthnCredential:
    response = add_passkey(client, authenticator)
    assert response.status_code == 200, response.content
    return WebAuthnCredential.objects.get(pk=response.json()["id"])


def use_passkey(client, authenticator, **bent):
    """The second step with a passkey, as the sign-in page's script does it."""
    options = post_json(client, "accounts:passkey_sign_in_options")
    assert options.status_code == 200, options.content
    return post_json(client, "accounts:passkey_sign_in", authenticator.authenticate(options.json(), **bent))


def password_step(client, username: str = "editor") -> None:
    response = sign_in(client, username, PASSWORD)
    assert response.status_code == 302 and response["Location"] == reverse("accounts:login_code")


def signed_in(client) -> bool:
    return client.get(reverse("admin:index")).status_code == 200


@pytest.fixture
def editor_with_passkey(client, editor, authenticator):
    """The editor has added a passkey and signed out."""
    client.force_login(editor)
    device = added(client, authenticator)
    client.logout()
    return device


def test_a_signed_in_staff_user_adds_passkeys_and_sees_them_listed(client, editor, authenticator):
    client.force_login(editor)
    page = client.get(reverse("accounts:two_factor")).content.decode()
    assert "Two-factor sign-in is <strong>off</strong>" in page and 'id="passkey-register-button"' in page

    options = post_json(client, "accounts:passkey_add_options").json()
    assert options["rp"]["id"] == RP_ID and options["user"]["name"] == "editor"
    assert options["excludeCredentials"] == [] and options["extensions"] == {"credProps": True}
    response = post_json(client, "accounts:passkey_add", authenticator.register(options))
    assert response.status_code == 200
    device = WebAuthnCredential.objects.get(pk=response.json()["id"])
    assert device.user == editor and device.confirmed and device.name == "Passkey 1"
    assert device.sign_count == 0 and device.discoverable and device.transports == ["internal", "hybrid"]
    assert client.session["otp_device_id"] == device.persistent_id  # this session counts as verified

    # The same authenticator is not added twice: the options name the passkey it holds.
    with pytest.raises(AuthenticatorRefused, match="already holds"):
        add_passkey(client, authenticator)
    second = added(client, SoftAuthenticator(ORIGIN, RP_ID))
    assert second.name == "Passkey 2"
    assert client.session["otp_device_id"] == device.persistent_id

    page = client.get(reverse("accounts:two_factor")).content.decode()
    assert "after your password, signing in asks for a passkey" in page
    assert "Passkey 1 <em>(used for this sign-in)</em>" in page and "<td>Passkey 2</td>" in page
    assert "Add another passkey" in page


def test_signing_in_asks_for_the_passkey_after_the_password_then_goes_on_where_the_user_was_going(
        client, editor_with_passkey, authenticator):
    going_to = reverse("accounts:two_factor")
    response = client.post(reverse("admin:login"), {"username": "editor", "password": PASSWORD, "next": going_to},
                           REMOTE_ADDR="192.0.2.10")
    assert response.status_code == 302 and response["Location"] == reverse("accounts:login_code")
    assert not signed_in(client)  # the password alone signs nobody in
    page = client.get(reverse("accounts:login_code")).content.decode()
    assert 'id="passkey-verification-button"' in page and 'id="code-form"' not in page  # no app: no code field

    options = post_json(client, "accounts:passkey_sign_in_options").json()
    assert options["rpId"] == RP_ID and options["userVerification"] == "discouraged"
    assert [item["id"] for item in options["allowCredentials"]] == [b64url(editor_with_passkey.credential_id)]
    response = post_json(client, "accounts:passkey_sign_in", authenticator.authenticate(options))
    assert response.status_code == 200
    assert response.json() == {"id": editor_with_passkey.pk, "redirect_url": going_to}
    assert client.get(going_to).status_code == 200
    assert client.session["otp_device_id"] == editor_with_passkey.persistent_id
    editor_with_passkey.refresh_from_db()
    assert editor_with_passkey.sign_count == 1 and editor_with_passkey.last_used_at is not None


def test_a_user_with_only_passkeys_cannot_sign_in_with_a_code(client, editor_with_passkey):
    password_step(client)
    response = client.post(reverse("accounts:login_code"), {"code": "123456"})
    assert response.status_code == 400 and "This account signs in with a passkey, not a code." in response.content.decode()
    assert not signed_in(client)


def test_a_passkey_of_another_user_or_one_the_site_never_saw_is_refused(
        client, editor_with_passkey, authenticator, django_user_model):
    other = django_user_model.objects.create_user("intruder", "intruder@example.com", PASSWORD, is_staff=True)
    client.force_login(other)
    their_device = added(client, authenticator)
    client.logout()
    theirs = next(c for c in authenticator.credentials if c.credential_id == bytes(their_device.credential_id))

    password_step(client)
    response = use_passkey(client, authenticator, credential=theirs)
    assert response.status_code == 403 and "could not be verified" in response.json()["detail"]
    response = use_passkey(client, authenticator, credential=authenticator.unregistered_credential())
    assert response.status_code == 400 and "could not be verified" in response.json()["detail"]
    assert not signed_in(client) and "_auth_user_id" not in client.session
    their_device.refresh_from_db()
    assert their_device.sign_count == 0 and their_device.last_used_at is None

    # The pending sign-in survives a refusal: the editor's own passkey still works.
    password_step(client)
    assert use_passkey(client, authenticator).status_code == 200 and signed_in(client)


def test_an_answer_serves_once_and_only_for_its_own_challenge(client, editor_with_passkey, authenticator):
    # Synced passkeys send a sign count of 0 every time: nothing but the challenge stops a replay.
    password_step(client)
    options = post_json(client, "accounts:passkey_sign_in_options").json()
    answer = authenticator.authenticate(options, sign_count=0)
    refused = post_json(client, "accounts:passkey_sign_in",
                        authenticator.authenticate(options, sign_count=0, tamper_signature=True))
    assert refused.status_code == 400
    # The challenge went with the refused answer: not even the right answer to it is taken now.
    again = post_json(client, "accounts:passkey_sign_in", answer)
    assert again.status_code == 400 and "used already" in again.json()["detail"]
    assert not signed_in(client)

    # A good answer, seen by someone, played back in a later sign-in with its own challenge.
    assert use_passkey(client, authenticator, sign_count=0).status_code == 200
    options = post_json(client, "accounts:passkey_sign_in_options")  # signed in: no pending sign-in left
    assert options.status_code == 403
    client.logout()
    password_step(client)
    post_json(client, "accounts:passkey_sign_in_options")
    assert post_json(client, "accounts:passkey_sign_in", answer).status_code == 400
    assert not signed_in(client)


@pytest.mark.parametrize("bent", [
    {"origin": "https://localhost:8000"},
    {"origin": "http://localhost:8001"},
    {"origin": "https://wisegeek.example.evil.test"},
    {"rp_id": "evil.test"},
    {"tamper_signature": True},
], ids=["https-origin", "other-port", "look-alike-origin", "other-rp-id", "tampered-signature"])
def test_an_answer_for_another_origin_or_rp_or_with_a_bad_signature_is_refused(
        client, editor_with_passkey, authenticator, bent):
    password_step(client)
    response = use_passkey(client, authenticator, **bent)
    assert response.status_code == 400 and "could not be verified" in response.json()["detail"]
    assert not signed_in(client)
    editor_with_passkey.refresh_from_db()
    assert editor_with_passkey.sign_count == 0


@pytest.mark.parametrize("bent", [
    {"origin": "http://localhost:8001"}, {"origin": "https://wisegeek.example.evil.test"}, {"rp_id": "evil.test"},
], ids=["other-port", "look-alike-origin", "other-rp-id"])
def test_a_passkey_made_for_another_origin_or_rp_is_not_added(client, editor, authenticator, bent):
    client.force_login(editor)
    response = add_passkey(client, authenticator, **bent)
    assert response.status_code == 400 and "could not be verified" in response.json()["detail"]
    assert not WebAuthnCredential.objects.exists() and "otp_device_id" not in client.session


def test_a_sign_counter_that_goes_backwards_is_refused(client, editor_with_passkey, authenticator):
    for _ in range(2):
        password_step(client)
        assert use_passkey(client, authenticator).status_code == 200
        client.logout()
    editor_with_passkey.refresh_from_db()
    assert editor_with_passkey.sign_count == 2

    for count in (1, 2):  # a cloned authenticator, behind the real one or level with it
        password_step(client)
        response = use_passkey(client, authenticator, sign_count=count)
        assert response.status_code == 400 and not signed_in(client)
    editor_with_passkey.refresh_from_db()
    assert editor_with_passkey.sign_count == 2


def test_without_a_pending_sign_in_the_passkey_endpoints_answer_403_json(client, editor_with_passkey, authenticator):
    answer = {"id": "AAAA", "rawId": "AAAA", "type": "public-key", "response": {}}
    response = post_json(client, "accounts:passkey_sign_in_options")
    assert response.status_code == 403 and response["Content-Type"] == "application/json"
    assert response.json() == {"detail": "Sign in with your username and password first."}
    response = post_json(client, "accounts:passkey_sign_in", answer)  # no challenge was given out either
    assert response.status_code in (400, 403) and response["Content-Type"] == "application/json"
    assert response.json()["detail"]
    for name in ("accounts:passkey_sign_in_options", "accounts:passkey_sign_in"):
        assert client.get(reverse(name)).status_code == 405

    # The options of a pending sign-in, answered after its password step has expired.
    password_step(client)
    options = post_json(client, "accounts:passkey_sign_in_options").json()
    session = client.session
    session["accounts_two_factor_pending"]["at"] -= 301
    session.save()
    response = post_json(client, "accounts:passkey_sign_in", authenticator.authenticate(options))
    assert response.status_code == 403 and not signed_in(client)

    # Adding one needs a signed-in staff user: anyone else is sent to sign in.
    for name in ("accounts:passkey_add_options", "accounts:passkey_add"):
        response = post_json(client, name, answer)
        assert response.status_code == 302 and response["Location"].startswith(reverse("admin:login"))
    assert WebAuthnCredential.objects.count() == 1


def with_response(**changes):
    """A change to an honest sign-in answer: fields of its ``response`` replaced."""
    return lambda answer: {**answer, "response": {**answer["response"], **changes}}


HOSTILE_SIGN_IN_BODIES = {
    "empty": b"",
    "not-json": b"{'id': 1",
    "not-utf8": b"\xff\xfe{}",
    "json-null": b"null",
    "json-list": b"[]",
    "json-string": b'"public-key"',
    "nested-too-deep": b"[" * 30_000 + b"]" * 30_000,
    "number-too-long": b'{"id": ' + b"9" * 5000 + b"}",
    "empty-object": b"{}",
    "id-not-a-string": lambda answer: {**answer, "id": 1, "rawId": 1},
    "id-not-raw-id": lambda answer: {**answer, "id": b64url(b"another")},
    "raw-id-not-base64": lambda answer: {**answer, "id": "é", "rawId": "é"},
    "response-a-list": lambda answer: {**answer, "response": []},
    "type-other": lambda answer: {**answer, "type": "password"},
    "attachment-other": lambda answer: {**answer, "authenticatorAttachment": "usb-stick"},
    "user-handle-not-base64": with_response(userHandle="A"),
    "user-handle-not-ascii": with_response(userHandle="é"),
    "user-handle-a-number": with_response(userHandle=7),
    "client-data-not-json": with_response(clientDataJSON=b64url(b"\x00\x01")),
    "client-data-a-list": with_response(clientDataJSON=b64url(b"[]")),
    "client-data-challenge-not-base64": with_response(clientDataJSON=b64url(
        b'{"type": "webauthn.get", "challenge": "A", "origin": "http://localhost:8000"}')),
    "client-data-fields-wrong-types": with_response(clientDataJSON=b64url(
        b'{"type": [], "challenge": {}, "origin": 5, "tokenBinding": {"status": []}}')),
    "authenticator-data-short": with_response(authenticatorData=b64url(b"\x00" * 10)),
    "signature-not-der": with_response(signature=b64url(b"\x30\x02\x01")),
    "signature-empty": with_response(signature=""),
}


@pytest.mark.parametrize("hostile", HOSTILE_SIGN_IN_BODIES.values(), ids=HOSTILE_SIGN_IN_BODIES.keys())
def test_a_malformed_or_hostile_sign_in_answer_is_refused_with_4xx_json(
        client, editor_with_passkey, authenticator, hostile):
    password_step(client)
    options = post_json(client, "accounts:passkey_sign_in_options").json()
    body = hostile(authenticator.authenticate(options)) if callable(hostile) else hostile
    response = post_json(client, "accounts:passkey_sign_in", body)
    assert response.status_code == 400 and response.json()["detail"]
    assert not signed_in(client)


def test_a_sign_in_answer_larger_than_a_reader_may_send_is_refused_before_it_is_read(client, editor_with_passkey):
    password_step(client)
    post_json(client, "accounts:passkey_sign_in_options")
    answer = {"id": "AAAA", "rawId": "AAAA", "type": "public-key", "padding": "x" * 70_000}
    assert post_json(client, "accounts:passkey_sign_in", answer).status_code == 413


def with_attestation(**changes):
    """A change to an honest new passkey: entries of its attestation object replaced."""
    def change(answer):
        attestation = {**cbor2.loads(from_b64url(answer["response"]["attestationObject"])), **changes}
        return {**answer, "response": {**answer["response"], "attestationObject": b64url(cbor2.dumps(attestation))}}
    return change


HOSTILE_REGISTRATION_BODIES = {
    "not-json": b"{",
    "nested-too-deep": b"[" * 30_000 + b"]" * 30_000,
    "json-list": b"[]",
    "empty-object": b"{}",
    "larger-than-django-reads": b'{"id": "' + b"A" * 3_000_000 + b'"}',
    "attestation-not-cbor": lambda answer: {**answer, "response": {**answer["response"],
                                                                   "attestationObject": b64url(b"\xff\xff")}},
    "attestation-cbor-a-list": lambda answer: {**answer, "response": {**answer["response"],
                                                                      "attestationObject": b64url(b"\x80")}},
    "client-data-a-list": lambda answer: {**answer, "response": {**answer["response"],
                                                                 "clientDataJSON": b64url(b"[]")}},
    "attestation-nested-deep": lambda answer: {**answer, "response": {
        **answer["response"], "attestationObject": b64url(b"\x81" * 10_000 + b"\x00")}},
    "claims-packed-without-signature": with_attestation(fmt="packed"),
    "claims-none-with-a-statement": with_attestation(attStmt={"alg": -7, "sig": b"\x30\x00"}),
    "unknown-format": with_attestation(fmt="homemade"),
    "auth-data-cut-short": with_attestation(authData=b"\x00" * 37),
}


@pytest.mark.parametrize("hostile", HOSTILE_REGISTRATION_BODIES.values(), ids=HOSTILE_REGISTRATION_BODIES.keys())
def test_a_malformed_or_hostile_new_passkey_is_refused_with_4xx(client, editor, authenticator, hostile):
    client.force_login(editor)
    options = post_json(client, "accounts:passkey_add_options").json()
    body = hostile(authenticator.register(options)) if callable(hostile) else hostile
    response = post_json(client, "accounts:passkey_add", body)
    assert response.status_code == 400
    assert not WebAuthnCredential.objects.exists()


@pytest.mark.parametrize("results", [
    {"credProps": {"rk": "yes"}}, {"credProps": []}, [], "credProps", {"credProps": {"rk": False}},
])
def test_extension_results_of_any_shape_neither_break_adding_nor_claim_what_they_should_not(
        client, editor, authenticator, results):
    client.force_login(editor)
    options = post_json(client, "accounts:passkey_add_options").json()
    response = post_json(client, "accounts:passkey_add", {**authenticator.register(options),
                                                          "clientExtensionResults": results})
    assert response.status_code == 200
    assert WebAuthnCredential.objects.get().discoverable is (False if results == {"credProps": {"rk": False}} else None)


def test_transports_a_browser_would_not_send_are_left_out(client, editor, authenticator):
    client.force_login(editor)
    options = post_json(client, "accounts:passkey_add_options").json()
    answer = authenticator.register(options)
    answer["response"]["transports"] = [{}, 7, "internal", "x" * 1000]
    assert post_json(client, "accounts:passkey_add", answer).status_code == 200
    assert WebAuthnCredential.objects.get().transports == ["internal"]


def test_with_an_authenticator_app_a_passkey_is_added_only_in_a_session_verified_with_it(
        client, editor, authenticator):
    app = TOTPDevice.objects.create(user=editor, name="Authenticator app", confirmed=True)
    client.force_login(editor)  # signed in, but not with the app's code
    response = post_json(client, "accounts:passkey_add_options")
    assert response.status_code in (302, 403) and "accounts_passkey_add_state" not in client.session
    assert not signed_in(client)

    password_step(client)
    assert client.post(reverse("accounts:login_code"), {"code": f"{totp(unhexlify(app.key)):06d}"}).status_code == 302
    device = added(client, authenticator)
    assert client.session["otp_device_id"] == app.persistent_id  # still verified by the app, as it was

    client.logout()
    password_step(client)
    page = client.get(reverse("accounts:login_code")).content.decode()
    assert 'id="passkey-verification-button"' in page and 'id="code-form"' in page  # either will do
    assert use_passkey(client, authenticator).status_code == 200 and signed_in(client)
    assert client.session["otp_device_id"] == device.persistent_id


def test_removing_a_passkey(client, editor, authenticator, django_user_model):
    client.force_login(editor)
    first, second = added(client, authenticator), added(client, SoftAuthenticator(ORIGIN, RP_ID))
    other = django_user_model.objects.create_user("writer", "writer@example.com", PASSWORD, is_staff=True)
    theirs = WebAuthnCredential.objects.create(user=other, credential_id=b"theirs", public_key=b"key", name="Passkey 1")

    assert client.get(reverse("accounts:passkey_remove", args=[second.pk])).status_code == 405
    response = client.post(reverse("accounts:passkey_remove", args=[second.pk]), follow=True)
    assert "The passkey is removed." in response.content.decode()
    response = client.post(reverse("accounts:passkey_remove", args=[theirs.pk]), follow=True)
    assert "That passkey was removed already." in response.content.decode()
    assert list(WebAuthnCredential.objects.order_by("pk")) == [first, theirs]

    # The one this session was verified with: the session stays, no longer verified by it.
    client.post(reverse("accounts:passkey_remove", args=[first.pk]))
    assert not WebAuthnCredential.objects.filter(user=editor).exists()
    page = client.get(reverse("accounts:two_factor")).content.decode()
    assert "otp_device_id" not in client.session  # dropped by django-otp at the next request
    assert "Two-factor sign-in is <strong>off</strong>" in page and "Passkey 1" not in page
    client.logout()
    assert sign_in(client, "editor", PASSWORD)["Location"] == "/admin/"  # the password alone again


def test_removing_the_passkey_this_session_was_verified_with_signs_out_a_user_with_an_app(
        client, editor, authenticator):
    client.force_login(editor)
    device = added(client, authenticator)
    TOTPDevice.objects.create(user=editor, name="Authenticator app", confirmed=True)
    client.post(reverse("accounts:passkey_remove", args=[device.pk]))
    assert not signed_in(client)


def test_required_for_staff_a_passkey_satisfies_the_requirement(client, editor, authenticator, settings):
    settings.OTP_REQUIRED_FOR_STAFF = True
    assert sign_in(client, "editor", PASSWORD).status_code == 302
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302 and response["Location"] == reverse("accounts:two_factor")
    added(client, authenticator)
    assert signed_in(client)

    client.logout()
    password_step(client)
    assert use_passkey(client, authenticator).status_code == 200 and signed_in(client)


def test_the_passkey_endpoints_need_the_csrf_token(editor_with_passkey, authenticator):
    browser = Client(enforce_csrf_checks=True, HTTP_HOST="localhost:8000")
    browser.get(reverse("admin:login"))
    token = browser.cookies["csrftoken"].value
    response = browser.post(reverse("admin:login"), {"username": "editor", "password": PASSWORD,
                                                     "csrfmiddlewaretoken": token}, REMOTE_ADDR="192.0.2.10")
    assert response["Location"] == reverse("accounts:login_code")
    token = browser.cookies["csrftoken"].value  # a new one after signing in

    def post(name, body, **headers):
        return browser.post(reverse(name), json.dumps(body), content_type="application/json", **headers)

    def refused_for_csrf(response) -> bool:
        # The views' own refusals are JSON; this is Django's CSRF page (403_csrf.html).
        return response.status_code == 403 and b"This form could not be accepted" in response.content

    assert refused_for_csrf(post("accounts:passkey_sign_in_options", {}))
    options = post("accounts:passkey_sign_in_options", {}, HTTP_X_CSRFTOKEN=token).json()
    assert refused_for_csrf(post("accounts:passkey_sign_in", authenticator.authenticate(options)))
    options = post("accounts:passkey_sign_in_options", {}, HTTP_X_CSRFTOKEN=token).json()
    assert post("accounts:passkey_sign_in", authenticator.authenticate(options), HTTP_X_CSRFTOKEN=token).status_code == 200

    token = browser.cookies["csrftoken"].value
    for name in ("accounts:passkey_add_options", "accounts:passkey_add"):
        assert refused_for_csrf(post(name, {}))
    options = post("accounts:passkey_add_options", {}, HTTP_X_CSRFTOKEN=token).json()
    assert from_b64url(options["excludeCredentials"][0]["id"]) == bytes(editor_with_passkey.credential_id)
