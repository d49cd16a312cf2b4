"""Small hand-written validators for the admin forms.

Each returns (values, errors): values are what the person typed (to show again) or the
cleaned values, errors map a field name to a translated message.
"""

from __future__ import annotations

import re
import unicodedata
import zoneinfo
from functools import lru_cache
from urllib.parse import urlsplit

from babel.numbers import list_currencies
from flask_babel import lazy_gettext as _l

from ..accounts.models import Role
from ..i18n import LANGUAGE_NAMES
from ..safety.words import giveaways
from ..settings import BRAND_ICONS, default

ICON_LABELS = {
    "notebook": _l("Notebook"),
    "calendar": _l("Calendar"),
    "leaf": _l("Leaf"),
    "sun": _l("Sun"),
    "calculator": _l("Calculator"),
}
LIMITS = {
    "session_idle_minutes": (5, 120),
    "session_max_hours": (1, 24),
    "enrolment_code_hours": (1, 336),
    "retention_days": (30, 3650),
}
# The server's own value (SURVIVORAPP_RETENTION_DAYS) is accepted as it is, even outside the
# bounds an admin may choose within: saving other settings never forces it to change.
KEEP_DEFAULT = {"retention_days": "RETENTION_DAYS"}
MAX_FIELD = 500  # anything longer is cut before it is shown again


@lru_cache(maxsize=1)
def time_zones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


@lru_cache(maxsize=1)
def currencies() -> frozenset[str]:
    return frozenset(list_currencies())


def clean_text(value: str | None) -> str:
    """Trim, and drop control characters (newlines, NUL…) that have no place in a name."""
    value = (value or "")[: MAX_FIELD * 4]
    value = "".join(c for c in value if unicodedata.category(c)[0] != "C")
    return " ".join(value.split())


def _whole_number(raw: str, low: int, high: int):
    raw = raw.strip()
    if not re.fullmatch(r"\d{1,6}", raw):
        return None
    number = int(raw)
    return number if low <= number <= high else None


def validate_settings(form) -> tuple[dict, dict, dict]:
    """(typed, cleaned, errors) for the organisation settings form."""
    typed = {
        "brand_name": (form.get("brand_name") or "")[:MAX_FIELD],
        "brand_icon": (form.get("brand_icon") or "")[:40],
        "exit_url": (form.get("exit_url") or "")[: MAX_FIELD * 4],
        "default_locale": (form.get("default_locale") or "")[:40],
        "languages": [c[:40] for c in form.getlist("languages")][:40],
        "currency": (form.get("currency") or "")[:40],
        "timezone": (form.get("timezone") or "")[:MAX_FIELD],
        "session_idle_minutes": (form.get("session_idle_minutes") or "")[:40],
        "session_max_hours": (form.get("session_max_hours") or "")[:40],
        "enrolment_code_hours": (form.get("enrolment_code_hours") or "")[:40],
        "retention_days": (form.get("retention_days") or "")[:40],
    }
    errors: dict[str, object] = {}
    clean: dict[str, object] = {}

    name = clean_text(typed["brand_name"])
    if not name:
        errors["brand_name"] = _l("Enter a name for the app.")
    elif len(name) > 40:
        errors["brand_name"] = _l("Use 40 characters or fewer.")
    elif giveaways(name):  # it shows on a phone others may look at, in any language
        errors["brand_name"] = _l(
            "Choose a neutral name: it shows on the phone's screen, where others may see it."
        )
    clean["brand_name"] = name

    if typed["brand_icon"] not in BRAND_ICONS:
        errors["brand_icon"] = _l("Choose one of the icons.")
    clean["brand_icon"] = typed["brand_icon"]

    url = typed["exit_url"].strip()
    try:
        parts = urlsplit(url)
        ok = (
            parts.scheme == "https"
            and bool(parts.hostname)
            and "." in (parts.hostname or "")
            and not parts.username
            and not parts.password
            and len(url) <= 500
            and not any(c.isspace() or ord(c) < 32 for c in url)
        )
        parts.port  # noqa: B018 - raises ValueError on a bad port
    except ValueError:
        ok = False
    if not ok:
        errors["exit_url"] = _l(
            "Enter a full web address that starts with https://, like https://www.bbc.com/weather."
        )
    clean["exit_url"] = url

    languages = [c for c in LANGUAGE_NAMES if c in typed["languages"]]
    if len(languages) != len(set(typed["languages"])):
        errors["languages"] = _l("Choose languages from the list.")
    elif not languages:
        errors["languages"] = _l("Offer at least one language.")
    clean["languages"] = languages

    if typed["default_locale"] not in LANGUAGE_NAMES:
        errors["default_locale"] = _l("Choose a language from the list.")
    elif languages and typed["default_locale"] not in languages:
        errors["default_locale"] = _l("The default language must be one of those offered.")
    clean["default_locale"] = typed["default_locale"]

    currency = typed["currency"].strip().upper()
    if not re.fullmatch(r"[A-Z]{3}", currency) or currency not in currencies():
        errors["currency"] = _l("Enter a three-letter currency code, like EUR, GBP or USD.")
    clean["currency"] = currency

    zone = typed["timezone"].strip()
    if zone not in time_zones():
        errors["timezone"] = _l("Choose a time zone from the list, like Europe/London.")
    clean["timezone"] = zone

    messages = {
        "session_idle_minutes": _l("Enter a whole number of minutes from 5 to 120."),
        "session_max_hours": _l("Enter a whole number of hours from 1 to 24."),
        "enrolment_code_hours": _l("Enter a whole number of hours from 1 to 336 (two weeks)."),
        "retention_days": _l("Enter a whole number of days from 30 to 3650 (ten years)."),
    }
    for field, (low, high) in LIMITS.items():
        number = _whole_number(typed[field], low, high)
        if number is None and field in KEEP_DEFAULT:
            server = int(default(KEEP_DEFAULT[field]))
            number = server if typed[field].strip() == str(server) else None
        if number is None:
            errors[field] = messages[field]
        clean[field] = number
    if (
        "session_idle_minutes" not in errors
        and "session_max_hours" not in errors
        and clean["session_idle_minutes"] > clean["session_max_hours"] * 60
    ):
        errors["session_idle_minutes"] = _l(
            "The idle time-out cannot be longer than the longest a session may last."
        )
    return typed, clean, errors


def validate_roles(form) -> tuple[list[str], dict]:
    chosen = [r.value for r in Role if r.value in form.getlist("roles")]
    errors = {}
    if not chosen:
        errors["roles"] = _l("Choose at least one role.")
    return chosen, errors


def validate_contact_name(form) -> tuple[str, str, dict]:
    typed = (form.get("contact_name") or "")[:MAX_FIELD]
    name = clean_text(typed)
    errors = {}
    if len(name) > 60:
        errors["contact_name"] = _l("Use 60 characters or fewer.")
    return typed, name, errors
