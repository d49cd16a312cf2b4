"""The organisation's settings: the one-row model and the accessor every feature reads.

    from survivorapp.settings import org_setting
    org_setting("BRAND_NAME")

A core concern, not an admin one: features only read these values; the admin workspace
(survivorapp/admin) validates and stores them. Values are read once per request (cached in
flask.g) and fall back to app.config, so the SURVIVORAPP_* variables stay the defaults an
admin can override in the app.
"""

from __future__ import annotations

import logging
from datetime import datetime

from flask import current_app, g, has_app_context
from sqlalchemy import String
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Mapped, mapped_column

from .database import UTCDateTime
from .extensions import db

log = logging.getLogger("survivorapp.settings")

SETTINGS_ROW_ID = 1
BRAND_ICONS = ("notebook", "calendar", "leaf", "sun", "calculator")
# Neutral names offered for the brand; an admin may type another (checked against giveaways).
BRAND_NAMES = ("Daybook", "Planner", "Notebook", "My Week", "Calendar", "Notes")


class OrgSettings(db.Model):
    """Settings an admin changes in the app. NULL means "use the SURVIVORAPP_* default"."""

    __tablename__ = "org_settings"

    id: Mapped[int] = mapped_column(primary_key=True)
    brand_name: Mapped[str | None] = mapped_column(String(40))
    brand_icon: Mapped[str | None] = mapped_column(String(20))
    exit_url: Mapped[str | None] = mapped_column(String(500))
    default_locale: Mapped[str | None] = mapped_column(String(16))
    languages: Mapped[str | None] = mapped_column(String(200))  # comma-separated codes
    currency: Mapped[str | None] = mapped_column(String(3))
    timezone: Mapped[str | None] = mapped_column(String(64))
    session_idle_minutes: Mapped[int | None]
    session_max_hours: Mapped[int | None]
    enrolment_code_hours: Mapped[int | None]
    retention_days: Mapped[int | None]
    updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


# setting name (as in app.config) -> OrgSettings column
COLUMNS = {
    "BRAND_NAME": "brand_name",
    "BRAND_ICON": "brand_icon",
    "EXIT_URL": "exit_url",
    "DEFAULT_LOCALE": "default_locale",
    "LANGUAGES": "languages",
    "DEFAULT_CURRENCY": "currency",
    "DEFAULT_TIMEZONE": "timezone",
    "SESSION_IDLE_MINUTES": "session_idle_minutes",
    "SESSION_MAX_HOURS": "session_max_hours",
    "ENROLMENT_CODE_HOURS": "enrolment_code_hours",
    "RETENTION_DAYS": "retention_days",
}
NOT_IN_CONFIG = {"BRAND_ICON": "notebook"}
_CACHE = "_org_settings"


def default(name: str):
    if name in NOT_IN_CONFIG:
        return current_app.config.get(name, NOT_IN_CONFIG[name])
    return current_app.config[name]


def _from_row(name: str, raw):
    if name == "LANGUAGES":
        return [c for c in raw.split(",") if c]
    return raw


def _stored() -> dict[str, object]:
    cached = g.get(_CACHE)
    if cached is not None:
        return cached
    values: dict[str, object] = {}
    try:
        row = db.session.get(OrgSettings, SETTINGS_ROW_ID)
    except SQLAlchemyError:  # never let a settings lookup turn a page into an error
        db.session.rollback()
        log.warning("organisation settings unavailable; using defaults")
        row = None
    if row is not None:
        for name, column in COLUMNS.items():
            raw = getattr(row, column)
            if raw is not None:
                values[name] = _from_row(name, raw)
    g.setdefault(_CACHE, values)
    return values


def org_setting(name: str):
    """The organisation's value for a setting, or the app.config default."""
    if name not in COLUMNS:
        raise KeyError(name)
    if not has_app_context():
        raise RuntimeError("org_setting needs an app context")
    stored = _stored()
    return stored[name] if name in stored else default(name)


def effective() -> dict[str, object]:
    return {name: org_setting(name) for name in COLUMNS}


def forget() -> None:
    """Drop this request's cached values (after a change)."""
    g.pop(_CACHE, None)
