"""A small software passkey authenticator (ES256, "none" attestation) for server tests.

It builds exactly the JSON a browser sends for navigator.credentials.create()/get(), so tests
can also send what a broken or hostile authenticator would: no user verification, an old
sign count, a replayed response.
"""

from __future__ import annotations

import hashlib
import json
import secrets
import struct
from dataclasses import dataclass

import cbor2
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec

from tests.helpers import b64, unb64

UP, UV, BE, BS, AT = 0x01, 0x04, 0x08, 0x10, 0x40


@dataclass
class Credential:
    id: bytes
    key: ec.EllipticCurvePrivateKey
    user_handle: bytes
    rp_id: str
    sign_count: int = 0


class SoftAuthenticator:
    def __init__(self, origin: str, *, counter: bool = True, synced: bool = False):
        self.origin = origin
        self.counter = counter  # False: counts stay 0, as synced passkeys do
        self.synced = synced
        self.credentials: dict[bytes, Credential] = {}
        self.last_created: Credential | None = None

    def _flags(self, uv: bool, extra: int = 0) -> int:
        flags = UP | extra
        if uv:
            flags |= UV
        if self.synced:
            flags |= BE | BS
        return flags

    def _client_data(self, kind: str, challenge: str, origin: str | None) -> bytes:
        return json.dumps(
            {
                "type": kind,
                "challenge": challenge,
                "origin": origin or self.origin,
                "crossOrigin": False,
            }
        ).encode()

    def create(self, options: dict, *, uv: bool = True, origin: str | None = None) -> dict:
        rp_id = options["rp"]["id"]
        cred = Credential(
            id=secrets.token_bytes(32),
            key=ec.generate_private_key(ec.SECP256R1()),
            user_handle=unb64(options["user"]["id"]),
            rp_id=rp_id,
        )
        numbers = cred.key.public_key().public_numbers()
        cose = cbor2.dumps(
            {
                1: 2,
                3: -7,
                -1: 1,
                -2: numbers.x.to_bytes(32, "big"),
                -3: numbers.y.to_bytes(32, "big"),
            }
        )
        auth_data = (
            hashlib.sha256(rp_id.encode()).digest()
            + bytes([self._flags(uv, AT)])
            + struct.pack(">I", 0)
            + bytes(16)
            + struct.pack(">H", len(cred.id))
            + cred.id
            + cose
        )
        attestation = cbor2.dumps({"fmt": "none", "attStmt": {}, "authData": auth_data})
        self.credentials[cred.id] = cred
        self.last_created = cred
        return {
            "id": b64(cred.id),
            "rawId": b64(cred.id),
            "type": "public-key",
            "clientExtensionResults": {},
            "authenticatorAttachment": "platform",
            "response": {
                "clientDataJSON": b64(
                    self._client_data("webauthn.create", options["challenge"], origin)
                ),
                "attestationObject": b64(attestation),
                "transports": ["internal", "hybrid"],
            },
        }

    def get(
        self,
        options: dict,
        *,
        credential: Credential | None = None,
        uv: bool = True,
        sign_count: int | None = None,
    ) -> dict:
        cred = credential or next(
            c for c in reversed(self.credentials.values()) if c.rp_id == options["rpId"]
        )
        if sign_count is None:
            if self.counter:
                cred.sign_count += 1
            sign_count = cred.sign_count
        auth_data = (
            hashlib.sha256(cred.rp_id.encode()).digest()
            + bytes([self._flags(uv)])
            + struct.pack(">I", sign_count)
        )
        client_data = self._client_data("webauthn.get", options["challenge"], None)
        signature = cred.key.sign(
            auth_data + hashlib.sha256(client_data).digest(), ec.ECDSA(hashes.SHA256())
        )
        return {
            "id": b64(cred.id),
            "rawId": b64(cred.id),
            "type": "public-key",
            "clientExtensionResults": {},
            "authenticatorAttachment": "platform",
            "response": {
                "clientDataJSON": b64(client_data),
                "authenticatorData": b64(auth_data),
                "signature": b64(signature),
                "userHandle": b64(cred.user_handle),
            },
        }
