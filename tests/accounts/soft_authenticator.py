"""A passkey authenticator in software, for server-side tests.

It plays the browser and the platform authenticator together: ``register()`` answers the
creation options a server's registration step sends (navigator.credentials.create()),
``authenticate()`` answers its request options (navigator.credentials.get()), both in the
WebAuthn JSON encoding a page's script posts back. Keys are EC P-256 (ES256), attestation
is "none". Keyword arguments bend the answer the way an attacker or a broken device would:
another origin or RP ID, an old sign count, no user verification, a spoiled signature, a
credential the server never saw. The server's checks are never imitated here.
"""

import base64
import hashlib
import json
import secrets
from dataclasses import dataclass

import cbor2
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec

ES256 = -7  # COSE algorithm number of ECDSA with P-256 and SHA-256

# Flag bits of authenticator data.
USER_PRESENT = 0x01
USER_VERIFIED = 0x04
BACKUP_ELIGIBLE = 0x08
BACKED_UP = 0x10
ATTESTED_CREDENTIAL_DATA = 0x40


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def from_b64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


class AuthenticatorRefused(Exception):
    """What a browser would reject with an error instead of asking the authenticator."""


@dataclass
class Credential:
    credential_id: bytes
    private_key: ec.EllipticCurvePrivateKey
    rp_id: str
    user_handle: bytes
    sign_count: int = 0

    @property
    def id(self) -> str:
        return b64url(self.credential_id)

    def cose_public_key(self) -> bytes:
        numbers = self.private_key.public_key().public_numbers()
        return cbor2.dumps({
            1: 2,  # key type: EC2
            3: ES256,
            -1: 1,  # curve: P-256
            -2: numbers.x.to_bytes(32, "big"),
            -3: numbers.y.to_bytes(32, "big"),
        }, canonical=True)


class SoftAuthenticator:
    """Holds passkeys for one relying party (``rp_id``), used from pages at ``origin``."""

    def __init__(self, origin: str, rp_id: str, *, backup_eligible: bool = False, backed_up: bool = False):
        self.origin = origin
        self.rp_id = rp_id
        self.backup_eligible = backup_eligible
        self.backed_up = backed_up
        self.credentials: list[Credential] = []

    # navigator.credentials.create()

    def register(self, options: dict, *, origin: str | None = None, rp_id: str | None = None,
                 user_verified: bool = True) -> dict:
        """Make a new credential for the creation options; return the RegistrationResponseJSON."""
        rp_id = rp_id or self._checked_rp_id(options["rp"].get("id"))
        if not any(param["alg"] == ES256 for param in options["pubKeyCredParams"]):
            raise AuthenticatorRefused("the server accepts no ES256 key")
        excluded = {from_b64url(item["id"]) for item in options.get("excludeCredentials", [])}
        if any(credential.credential_id in excluded for credential in self.credentials):
            raise AuthenticatorRefused("this authenticator already holds a passkey the server excludes")

        credential = Credential(
            credential_id=secrets.token_bytes(32),
            private_key=ec.generate_private_key(ec.SECP256R1()),
            rp_id=rp_id,
            user_handle=from_b64url(options["user"]["id"]),
        )
        self.credentials.append(credential)
        attested_credential_data = (
            bytes(16)  # AAGUID: all zeros, as with "none" attestation
            + len(credential.credential_id).to_bytes(2, "big")
            + credential.credential_id
            + credential.cose_public_key()
        )
        authenticator_data = self._authenticator_data(
            rp_id, user_verified, credential.sign_count, extra_flags=ATTESTED_CREDENTIAL_DATA,
        ) + attested_credential_data
        attestation_object = cbor2.dumps({"fmt": "none", "attStmt": {}, "authData": authenticator_data})
        client_data = self._client_data("webauthn.create", options["challenge"], origin)
        public_key = credential.private_key.public_key().public_bytes(
            serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo,
        )
        extension_results = {}
        if options.get("extensions", {}).get("credProps"):
            extension_results["credProps"] = {"rk": True}  # platform passkeys are discoverable
        return {
            "id": credential.id,
            "rawId": credential.id,
            "type": "public-key",
            "response": {
                "clientDataJSON": b64url(client_data),
                "attestationObject": b64url(attestation_object),
                "authenticatorData": b64url(authenticator_data),
                "publicKey": b64url(public_key),
                "publicKeyAlgorithm": ES256,
                "transports": ["internal", "hybrid"],
            },
            "clientExtensionResults": extension_results,
            "authenticatorAttachment": "platform",
        }

    # navigator.credentials.get()

    def authenticate(self, options: dict, *, origin: str | None = None, rp_id: str | None = None,
                     credential: Credential | None = None, sign_count: int | None = None,
                     user_verified: bool = True, tamper_signature: bool = False) -> dict:
        """Sign the request options' challenge; return the AuthenticationResponseJSON.

        Without ``credential``, uses the first passkey of ours that ``allowCredentials``
        names (any of ours for the RP when it names none). Without ``sign_count``, the
        credential's counter goes up by one.
        """
        rp_id = rp_id or self._checked_rp_id(options.get("rpId"))
        credential = credential or self._credential_for(options)
        if sign_count is None:
            credential.sign_count += 1
            sign_count = credential.sign_count
        authenticator_data = self._authenticator_data(rp_id, user_verified, sign_count)
        client_data = self._client_data("webauthn.get", options["challenge"], origin)
        signature = credential.private_key.sign(
            authenticator_data + hashlib.sha256(client_data).digest(), ec.ECDSA(hashes.SHA256()),
        )
        if tamper_signature:
            # The last byte belongs to the integer s: flipping a bit keeps the DER valid.
            signature = signature[:-1] + bytes([signature[-1] ^ 0x01])
        return {
            "id": credential.id,
            "rawId": credential.id,
            "type": "public-key",
            "response": {
                "clientDataJSON": b64url(client_data),
                "authenticatorData": b64url(authenticator_data),
                "signature": b64url(signature),
                "userHandle": b64url(credential.user_handle),
            },
            "clientExtensionResults": {},
            "authenticatorAttachment": "platform",
        }

    def unregistered_credential(self) -> Credential:
        """A passkey for our RP that no server has seen, for ``authenticate(credential=...)``."""
        credential = Credential(
            credential_id=secrets.token_bytes(32),
            private_key=ec.generate_private_key(ec.SECP256R1()),
            rp_id=self.rp_id,
            user_handle=secrets.token_bytes(32),
        )
        self.credentials.append(credential)
        return credential

    def _checked_rp_id(self, requested: str | None) -> str:
        # A browser refuses an RP ID that does not belong to the page's origin.
        if requested not in (None, self.rp_id):
            raise AuthenticatorRefused(f"RP ID {requested!r} is not this origin's ({self.rp_id!r})")
        return self.rp_id

    def _credential_for(self, options: dict) -> Credential:
        ours = [credential for credential in self.credentials if credential.rp_id == self.rp_id]
        allowed = [from_b64url(item["id"]) for item in options.get("allowCredentials") or []]
        if allowed:
            ours = [credential for credential in ours if credential.credential_id in allowed]
        if not ours:
            raise AuthenticatorRefused("no passkey here that the server asks for")
        return ours[0]

    def _authenticator_data(self, rp_id: str, user_verified: bool, sign_count: int, *, extra_flags: int = 0) -> bytes:
        flags = USER_PRESENT | extra_flags
        if user_verified:
            flags |= USER_VERIFIED
        if self.backup_eligible:
            flags |= BACKUP_ELIGIBLE
        if self.backed_up:
            flags |= BACKED_UP
        return hashlib.sha256(rp_id.encode()).digest() + bytes([flags]) + sign_count.to_bytes(4, "big")

    def _client_data(self, ceremony: str, challenge: str, origin: str | None) -> bytes:
        return json.dumps({
            "type": ceremony,
            "challenge": challenge,
            "origin": origin or self.origin,
            "crossOrigin": False,
        }, separators=(",", ":")).encode()
