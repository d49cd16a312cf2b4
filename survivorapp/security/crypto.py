"""Field encryption at rest: MultiFernet over SURVIVORAPP_ENCRYPTION_KEYS (first key encrypts)."""

from __future__ import annotations

from functools import lru_cache

from cryptography.fernet import Fernet, MultiFernet
from flask import current_app


def split_keys(keys: str) -> list[str]:
    return [k.strip() for k in keys.split(",") if k.strip()]


@lru_cache(maxsize=4)
def _fernet(keys: str) -> MultiFernet:
    return MultiFernet([Fernet(k) for k in split_keys(keys)])


def fernet() -> MultiFernet:
    return _fernet(current_app.config["ENCRYPTION_KEYS"])


def encrypt(text: str) -> bytes:
    return fernet().encrypt(text.encode("utf-8"))


def decrypt(token: bytes) -> str:
    return fernet().decrypt(token).decode("utf-8")
