"""Settings: embedded defaults that need nothing, overridable by SURVIVORAPP_* variables."""

from __future__ import annotations

import base64
import os
import secrets
from pathlib import Path
from urllib.parse import urlsplit

from cryptography.fernet import Fernet
from cryptography.hazmat.primitives.asymmetric import ec

PREFIX = "SURVIVORAPP_"

# name -> (default, description). The README's settings table is generated from this dict.
SETTINGS: dict[str, tuple[object, str]] = {
    "DATABASE_URL": ("sqlite:///<instance>/survivorapp.db", "SQLAlchemy URL of the database."),
    "SECRET_KEY": (
        "generated into instance/secret_key",
        "Signs CSRF tokens; keys the hashes of sign-in codes and the calendar event ids. "
        "Required in production.",
    ),
    "ENCRYPTION_KEYS": (
        "generated into instance/encryption_keys",
        "Comma-separated Fernet keys for data at rest; the first encrypts. Required in production.",
    ),
    "VAPID_PRIVATE_KEY": (
        "generated into instance/vapid_private_key",
        "Signs Web Push reminders (RFC 8292): a P-256 private key, base64url. Required in "
        "production; changing it ends every device's reminders.",
    ),
    "PUSH_SERVICES": (
        "fcm.googleapis.com,updates.push.services.mozilla.com,web.push.apple.com,"
        "*.notify.windows.com",
        "Push services a device may subscribe through (host names, `*.` for subdomains): "
        "reminders are only ever sent to these.",
    ),
    "ORIGIN": (
        "http://localhost:5000",
        "Public origin; the passkey RP ID is its host. Required in production.",
    ),
    "RATELIMIT_STORAGE_URI": ("memory://", "Flask-Limiter storage; use redis://… with workers."),
    "BRAND_NAME": ("Daybook", "Neutral name shown in titles, manifest and passkeys."),
    "BRAND_ICON": (
        "notebook",
        "Neutral icon: notebook, calendar, leaf, sun or calculator (tab, manifest, home screen).",
    ),
    "EXIT_URL": ("https://www.bbc.com/weather", "Where quick exit goes."),
    "SESSION_IDLE_MINUTES": (20, "A session ends after this long without a request."),
    "SESSION_MAX_HOURS": (12, "A session ends this long after sign-in, whatever happens."),
    "ENROLMENT_CODE_HOURS": (72, "How long a one-time enrolment code works."),
    "DEFAULT_LOCALE": ("en", "Language when nothing else chooses one."),
    "LANGUAGES": ("en,es,fr,pt,ar,uk,ro,vi,th,tl", "Languages offered, comma-separated."),
    "DEFAULT_TIMEZONE": ("UTC", "Time zone for new accounts."),
    "DEFAULT_CURRENCY": ("EUR", "ISO 4217 currency for new budgets."),
    "RETENTION_DAYS": (
        365,
        "Days the anonymous remains of closed accounts are kept before `privacy purge` "
        "(admins may choose 30 to 3650 in the app).",
    ),
    "TRUSTED_PROXIES": (0, "Reverse proxies in front of the app whose X-Forwarded-* to trust."),
    "LOG_LEVEL": ("INFO", "Python logging level."),
}


class ConfigError(SystemExit):
    """A setting that stops the app from starting safely; the message is one line."""


def _env(name: str) -> str | None:
    value = os.environ.get(PREFIX + name)
    return value if value not in (None, "") else None


def _read_or_create(path: Path, make) -> str:
    """A per-install secret kept in instance/ with mode 0600, created on first start."""
    if path.exists():
        return path.read_text().strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    value = make()
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as fh:
        fh.write(value + "\n")
    return value


def load(instance_path: str, *, production: bool) -> dict[str, object]:
    """Build the app config from defaults and the environment."""
    instance = Path(instance_path)
    if production:
        required = ("SECRET_KEY", "ORIGIN", "ENCRYPTION_KEYS", "VAPID_PRIVATE_KEY")
        missing = [n for n in required if not _env(n)]
        if missing:
            names = ", ".join(PREFIX + n for n in missing)
            raise ConfigError(
                f"survivorapp: refusing to start in production without {names} "
                "(see README, 'Running in production')."
            )
    config: dict[str, object] = {}
    for name, (default, _) in SETTINGS.items():
        raw = _env(name)
        if isinstance(default, int):
            try:
                config[name] = int(raw) if raw is not None else default
            except ValueError:
                raise ConfigError(f"survivorapp: {PREFIX}{name} must be a whole number.") from None
        else:
            config[name] = raw if raw is not None else default

    if _env("DATABASE_URL") is None:
        instance.mkdir(parents=True, exist_ok=True)
        config["DATABASE_URL"] = f"sqlite:///{instance / 'survivorapp.db'}"
    if _env("SECRET_KEY") is None:
        config["SECRET_KEY"] = _read_or_create(
            instance / "secret_key", lambda: secrets.token_urlsafe(48)
        )
    if _env("ENCRYPTION_KEYS") is None:
        config["ENCRYPTION_KEYS"] = _read_or_create(
            instance / "encryption_keys", lambda: Fernet.generate_key().decode()
        )
    if _env("VAPID_PRIVATE_KEY") is None:
        config["VAPID_PRIVATE_KEY"] = _read_or_create(instance / "vapid_private_key", new_vapid_key)
    return finish(config)


def new_vapid_key() -> str:
    """A P-256 private key as base64url of its 32 bytes (what py_vapid reads)."""
    number = ec.generate_private_key(ec.SECP256R1()).private_numbers().private_value
    return base64.urlsafe_b64encode(number.to_bytes(32, "big")).rstrip(b"=").decode()


def defaults() -> dict[str, object]:
    return {name: default for name, (default, _) in SETTINGS.items()}


def finish(config: dict[str, object]) -> dict[str, object]:
    """Derive the settings that follow from others; also used for test configs."""
    origin = str(config["ORIGIN"]).rstrip("/")
    parts = urlsplit(origin)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ConfigError(f"survivorapp: {PREFIX}ORIGIN must look like https://example.org.")
    config["ORIGIN"] = origin
    config["RP_ID"] = parts.hostname
    config["HTTPS"] = parts.scheme == "https"
    config["SQLALCHEMY_DATABASE_URI"] = config["DATABASE_URL"]
    config["LANGUAGES"] = [c.strip() for c in str(config["LANGUAGES"]).split(",") if c.strip()]
    config["BABEL_DEFAULT_LOCALE"] = config["DEFAULT_LOCALE"]
    config["BABEL_DEFAULT_TIMEZONE"] = "UTC"
    config["SESSION_COOKIE_NAME"] = "__Host-sid" if config["HTTPS"] else "sid"
    config["SESSION_COOKIE_SECURE"] = config["HTTPS"]
    config["SESSION_COOKIE_HTTPONLY"] = True
    config["SESSION_COOKIE_SAMESITE"] = "Lax"
    config["WTF_CSRF_TIME_LIMIT"] = None  # the token lives as long as the server-side session
    config["WTF_CSRF_SSL_STRICT"] = config["HTTPS"]
    config["RATELIMIT_HEADERS_ENABLED"] = False
    config["RATELIMIT_STRATEGY"] = "moving-window"
    config["MAX_CONTENT_LENGTH"] = 256 * 1024
    return config
