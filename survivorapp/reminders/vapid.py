"""The server's VAPID key pair (RFC 8292): the private key signs every push, the public one is
the applicationServerKey a browser subscribes with."""

from __future__ import annotations

import base64
import fnmatch
from functools import cache
from urllib.parse import urlsplit

from cryptography.hazmat.primitives import serialization
from flask import current_app
from py_vapid import Vapid

LOOPBACK = {"127.0.0.1", "localhost", "::1"}


@cache
def _vapid(private_key: str) -> Vapid:
    return Vapid.from_string(private_key)


def signer() -> Vapid:
    return _vapid(str(current_app.config["VAPID_PRIVATE_KEY"]))


def public_key() -> str:
    """The applicationServerKey: the uncompressed P-256 point, base64url without padding."""
    raw = signer().public_key.public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def contact() -> str:
    """The `sub` claim push services may use to reach the operator: the site itself."""
    origin = str(current_app.config["ORIGIN"])
    return origin if origin.startswith("https://") else "https://localhost"


def allowed_endpoint(endpoint: str) -> bool:
    """Only the push services in PUSH_SERVICES, over https: the runner posts to this address,
    so an arbitrary one would let anyone with an account make the server call any host.
    Plain http only for a loopback host listed there (a test's local push service)."""
    try:
        parts = urlsplit(endpoint)
        host = (parts.hostname or "").lower()
    except ValueError:
        return False
    hosts = [h.strip().lower() for h in str(current_app.config["PUSH_SERVICES"]).split(",")]
    if not host or not any(h and fnmatch.fnmatchcase(host, h) for h in hosts):
        return False
    return parts.scheme == "https" or (parts.scheme == "http" and host in LOOPBACK)
