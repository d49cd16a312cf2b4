"""A push service on 127.0.0.1 for tests: it checks each request's VAPID token (RFC 8292)
against the app's public key, decrypts the body (RFC 8291, aes128gcm) with the device's own
keys through http_ece, and keeps what a phone would show. It can answer with a chosen
status instead (410 gone, 500, 429) to test the runner's faults."""

from __future__ import annotations

import json
import os
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import http_ece
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature

from tests.helpers import b64, unb64


@dataclass
class Device:
    """A browser's subscription keys: the P-256 pair and the 16-byte auth secret."""

    private: ec.EllipticCurvePrivateKey = field(
        default_factory=lambda: ec.generate_private_key(ec.SECP256R1())
    )
    auth: bytes = field(default_factory=lambda: os.urandom(16))

    @property
    def p256dh(self) -> str:
        raw = self.private.public_key().public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
        )
        return b64(raw)

    @property
    def b64auth(self) -> str:
        return b64(self.auth)


def verify_vapid(header: str, expected_key: str, audience: str) -> dict:
    """The JWT's claims, after checking its ES256 signature with the key in `k=` (which must be
    the app's) and its audience."""
    scheme, _, params = header.partition(" ")
    assert scheme == "vapid", header
    parts = dict(p.strip().split("=", 1) for p in params.split(","))
    assert parts["k"] == expected_key
    head, body, signature = parts["t"].split(".")
    raw = unb64(signature)
    der = encode_dss_signature(int.from_bytes(raw[:32], "big"), int.from_bytes(raw[32:], "big"))
    public = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), unb64(parts["k"]))
    try:
        public.verify(der, f"{head}.{body}".encode(), ec.ECDSA(hashes.SHA256()))
    except InvalidSignature as exc:
        raise AssertionError("bad VAPID signature") from exc
    assert json.loads(unb64(head))["alg"] == "ES256"
    claims = json.loads(unb64(body))
    assert claims["aud"] == audience and claims["sub"].startswith(("https://", "mailto:"))
    return claims


class PushService:
    def __init__(self, app_public_key: str):
        self.app_public_key = app_public_key
        self.devices: dict[str, Device] = {}
        self.received: list[dict] = []  # {"device": name, "title": ..., "body": ..., "ttl": ...}
        self.answer: dict[str, int] = {}  # device name -> status to answer instead
        self.headers: dict[str, dict] = {}
        self.lock = threading.Lock()
        service = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                name = self.path.rsplit("/", 1)[-1]
                body = self.rfile.read(int(self.headers["Content-Length"]))
                status = service.answer.get(name)
                if status:
                    self.send_response(status)
                    if status == 429:
                        self.send_header("Retry-After", "120")
                    self.end_headers()
                    return
                verify_vapid(self.headers["Authorization"], service.app_public_key, service.origin)
                device = service.devices[name]
                plain = http_ece.decrypt(
                    body, private_key=device.private, auth_secret=device.auth, version="aes128gcm"
                )
                with service.lock:
                    service.received.append(
                        {"device": name, "ttl": int(self.headers["TTL"]), **json.loads(plain)}
                    )
                self.send_response(201)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.origin = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def device(self, name: str) -> tuple[str, Device]:
        """A new device's endpoint (on this service) and keys."""
        self.devices[name] = Device()
        return f"{self.origin}/push/{name}", self.devices[name]

    def close(self):
        self.server.shutdown()
        self.server.server_close()
