"""The one line a notification shows, in the person's language. It names no person, place,
title or role: a lock screen may be seen by anyone (tests/safety check every catalogue)."""

from __future__ import annotations

from datetime import datetime, timedelta

from babel.dates import format_skeleton, format_time
from flask_babel import force_locale, get_locale, gettext, ngettext

from ..accounts.models import User
from ..localtime import zone_of
from ..settings import org_setting
from .models import Kind
from .plan import Due


def locale_of(user: User) -> str:
    return user.locale or str(org_setting("DEFAULT_LOCALE"))


def line(due: Due, user: User, now: datetime) -> str:
    with force_locale(locale_of(user)):
        return _line(due, user, now)


def _line(due: Due, user: User, now: datetime) -> str:
    if due.kind == Kind.CHANGE:
        return gettext("A time on your list has changed.")
    if due.kind == Kind.GOAL:
        return gettext("You have something planned for this month.")
    if due.kind == Kind.DIGEST:
        return ngettext(
            "%(num)d thing is waiting for you.", "%(num)d things are waiting for you.", due.count
        )
    zone, locale = zone_of(user), get_locale()
    local = due.event_at.astimezone(zone)
    at = format_time(local, "short", locale=locale)
    today = now.astimezone(zone).date()
    if local.date() == today:
        return gettext("You have something at %(time)s.", time=at)
    if local.date() == today + timedelta(days=1):
        return gettext("You have something tomorrow at %(time)s.", time=at)
    day = format_skeleton("MMMMd", local, tzinfo=zone, locale=locale)
    return gettext("You have something on %(day)s at %(time)s.", day=day, time=at)
