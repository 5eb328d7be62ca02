"""The software authenticator the passkey tests use, checked against py_webauthn's own
verification: what it makes is accepted, and each way it can be bent is refused."""

import json

import pytest
from webauthn import (
    generate_authentication_options,
    generate_registration_options,
    options_to_json,
    verify_authentication_response,
    verify_registration_response,
)
from webauthn.helpers.exceptions import InvalidAuthenticationResponse, InvalidRegistrationResponse
from webauthn.helpers.structs import (
    AttestationFormat,
    CredentialDeviceType,
    PublicKeyCredentialDescriptor,
    UserVerificationRequirement,
)

from tests.accounts.soft_authenticator import AuthenticatorRefused, SoftAuthenticator, from_b64url

ORIGIN = "https://www.example.org"
RP_ID = "example.org"


def creation_options(**overrides) -> dict:
    """Registration options as a server sends them to the page: JSON, bytes in base64url."""
    options = generate_registration_options(rp_id=RP_ID, rp_name="WiseGeek", user_name="editor",
                                            user_id=b"editor's handle", **overrides)
    return json.loads(options_to_json(options))


def request_options(*credential_ids: bytes) -> dict:
    options = generate_authentication_options(
        rp_id=RP_ID, allow_credentials=[PublicKeyCredentialDescriptor(id=i) for i in credential_ids],
        user_verification=UserVerificationRequirement.REQUIRED,
    )
    return json.loads(options_to_json(options))


def registered(authenticator: SoftAuthenticator):
    options = creation_options()
    return verify_registration_response(
        credential=authenticator.register(options), expected_challenge=from_b64url(options["challenge"]),
        expected_rp_id=RP_ID, expected_origin=ORIGIN,
    )


def verify_sign_in(answer: dict, options: dict, passkey, sign_count: int = 0):
    return verify_authentication_response(
        credential=answer, expected_challenge=from_b64url(options["challenge"]), expected_rp_id=RP_ID,
        expected_origin=ORIGIN, credential_public_key=passkey.credential_public_key,
        credential_current_sign_count=sign_count, require_user_verification=True,
    )


def test_a_passkey_it_makes_is_accepted_by_py_webauthn_and_then_signs_in():
    authenticator = SoftAuthenticator(ORIGIN, RP_ID)
    options = creation_options()
    answer = authenticator.register(options)
    assert answer["type"] == "public-key" and answer["id"] == answer["rawId"]
    assert answer["response"]["transports"] == ["internal", "hybrid"]
    passkey = verify_registration_response(
        credential=answer, expected_challenge=from_b64url(options["challenge"]), expected_rp_id=RP_ID,
        expected_origin=ORIGIN, require_user_verification=True,
    )
    assert passkey.fmt == AttestationFormat.NONE and passkey.sign_count == 0 and passkey.user_verified
    assert passkey.credential_id == from_b64url(answer["rawId"])
    assert passkey.credential_device_type == CredentialDeviceType.SINGLE_DEVICE

    first = request_options(passkey.credential_id)
    answer = authenticator.authenticate(first)
    assert from_b64url(answer["response"]["userHandle"]) == b"editor's handle"
    assert verify_sign_in(answer, first, passkey).new_sign_count == 1
    second = request_options(passkey.credential_id)
    assert verify_sign_in(authenticator.authenticate(second), second, passkey, sign_count=1).new_sign_count == 2


def test_a_synced_passkey_says_so_and_cred_props_is_answered_when_asked():
    options = creation_options()
    options["extensions"] = {"credProps": True}  # django-otp-webauthn adds this to py_webauthn's options
    answer = SoftAuthenticator(ORIGIN, RP_ID, backup_eligible=True, backed_up=True).register(options)
    assert answer["clientExtensionResults"] == {"credProps": {"rk": True}}
    passkey = verify_registration_response(credential=answer, expected_challenge=from_b64url(options["challenge"]),
                                           expected_rp_id=RP_ID, expected_origin=ORIGIN)
    assert passkey.credential_device_type == CredentialDeviceType.MULTI_DEVICE and passkey.credential_backed_up
    assert SoftAuthenticator(ORIGIN, RP_ID).register(creation_options())["clientExtensionResults"] == {}


@pytest.mark.parametrize(("bent", "reason"), [
    ({"origin": "https://www.example.org.evil.test"}, "origin"),
    ({"rp_id": "evil.test"}, "RP ID hash"),
    ({"user_verified": False}, "User verification is required"),
])
def test_py_webauthn_refuses_a_registration_bent(bent, reason):
    options = creation_options()
    answer = SoftAuthenticator(ORIGIN, RP_ID).register(options, **bent)
    with pytest.raises(InvalidRegistrationResponse, match=reason):
        verify_registration_response(credential=answer, expected_challenge=from_b64url(options["challenge"]),
                                     expected_rp_id=RP_ID, expected_origin=ORIGIN, require_user_verification=True)


def test_py_webauthn_refuses_a_registration_for_another_challenge():
    authenticator = SoftAuthenticator(ORIGIN, RP_ID)
    earlier, now = creation_options(), creation_options()
    with pytest.raises(InvalidRegistrationResponse, match="challenge"):
        verify_registration_response(credential=authenticator.register(earlier), expected_rp_id=RP_ID,
                                     expected_challenge=from_b64url(now["challenge"]), expected_origin=ORIGIN)


@pytest.mark.parametrize(("bent", "reason"), [
    ({"tamper_signature": True}, "signature"),
    ({"origin": "https://www.example.org.evil.test"}, "origin"),
    ({"rp_id": "evil.test"}, "RP ID hash"),
    ({"user_verified": False}, "User verification is required"),
    ({"sign_count": 1}, "sign count of 1 was not greater than current count of 2"),
])
def test_py_webauthn_refuses_a_sign_in_bent(bent, reason):
    authenticator = SoftAuthenticator(ORIGIN, RP_ID)
    passkey = registered(authenticator)
    sign_count = 0
    for _ in range(2):
        options = request_options(passkey.credential_id)
        sign_count = verify_sign_in(authenticator.authenticate(options), options, passkey, sign_count).new_sign_count
    options = request_options(passkey.credential_id)
    answer = authenticator.authenticate(options, **bent)
    with pytest.raises(InvalidAuthenticationResponse, match=reason):
        verify_sign_in(answer, options, passkey, sign_count)


def test_py_webauthn_refuses_a_sign_in_for_another_challenge():
    authenticator = SoftAuthenticator(ORIGIN, RP_ID)
    passkey = registered(authenticator)
    earlier, now = request_options(passkey.credential_id), request_options(passkey.credential_id)
    with pytest.raises(InvalidAuthenticationResponse, match="challenge"):
        verify_sign_in(authenticator.authenticate(earlier), now, passkey)


def test_py_webauthn_refuses_a_signature_from_a_passkey_it_did_not_register():
    authenticator = SoftAuthenticator(ORIGIN, RP_ID)
    passkey = registered(authenticator)
    options = request_options(passkey.credential_id)
    answer = authenticator.authenticate(options, credential=authenticator.unregistered_credential())
    assert from_b64url(answer["rawId"]) != passkey.credential_id
    with pytest.raises(InvalidAuthenticationResponse, match="signature"):
        verify_sign_in(answer, options, passkey)


def test_like_a_browser_it_answers_only_for_its_own_rp_and_the_passkeys_asked_for():
    authenticator = SoftAuthenticator(ORIGIN, RP_ID)
    with pytest.raises(AuthenticatorRefused, match="RP ID"):
        authenticator.register(json.loads(options_to_json(generate_registration_options(
            rp_id="evil.test", rp_name="Evil", user_name="editor"))))
    passkey = registered(authenticator)
    with pytest.raises(AuthenticatorRefused, match="no passkey"):
        authenticator.authenticate(request_options(b"someone else's passkey"))
    options = creation_options(exclude_credentials=[PublicKeyCredentialDescriptor(id=passkey.credential_id)])
    with pytest.raises(AuthenticatorRefused, match="already holds"):
        authenticator.register(options)
