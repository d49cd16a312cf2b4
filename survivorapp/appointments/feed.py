"""Calendars: the survivor's private feed address and what its entries show, and one
appointment as a calendar file. Entries are neutral unless the survivor opts in to more."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from flask import abort
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select

from ..accounts.events import passkey_removed
from ..accounts.models import Passkey, User
from ..database import utcnow
from ..extensions import db
from ..ics import Event, calendar, event_uid
from ..security import audit
from ..settings import org_setting
from .access import is_owner, visible_appointments
from .labels import KIND_LABELS
from .models import Appointment, CalendarFeed, Status

FEED_PAST = timedelta(days=30)
SHOWS = ("show_kind", "show_place", "show_note", "show_organisation")


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def get_feed(user: User) -> CalendarFeed | None:
    return db.session.get(CalendarFeed, user.id)


def _feed(user: User) -> CalendarFeed:
    feed = get_feed(user)
    if feed is None:
        feed = CalendarFeed(user_id=user.id)
        db.session.add(feed)
    return feed


def issue_feed_token(user: User, passkey_id: int | None = None) -> str:
    """A new private feed address; any earlier one stops working. Only the hash is kept.
    It remembers the passkey of the session that made it: removing that passkey ends it."""
    token = secrets.token_urlsafe(32)
    feed = _feed(user)
    feed.token_hash = token_hash(token)
    feed.created_at = utcnow()
    feed.passkey_id = passkey_id
    audit.record("calendar_feed_issued", actor=user, subject=user)
    db.session.flush()
    return token


def revoke_feed(user: User) -> bool:
    feed = get_feed(user)
    if feed is None or not feed.token_hash:
        return False
    feed.token_hash = None
    feed.created_at = None
    feed.passkey_id = None
    audit.record("calendar_feed_revoked", actor=user, subject=user)
    return True


@passkey_removed.connect
def _feed_ends_with_its_passkey(user: User, passkey_id: int, **_) -> None:
    feed = get_feed(user)
    if feed is not None and feed.passkey_id == passkey_id:
        revoke_feed(user)


def feed_settings(feed: CalendarFeed | None) -> dict:
    """The feed's settings as its form shows them."""
    return {"title": (feed.title if feed else None) or ""} | {
        name: bool(feed and getattr(feed, name)) for name in SHOWS
    }


def save_feed_settings(user: User, title: str | None, **shows: bool) -> None:
    feed = _feed(user)
    feed.title = title or None
    for name in SHOWS:
        setattr(feed, name, bool(shows.get(name)))


def feed_is_live(feed: CalendarFeed | None, user: User) -> bool:
    """A feed address works while its owner's account does, and only if it was made after the
    account was last locked: a lost or taken phone's calendar app stops receiving at once."""
    if feed is None or not feed.token_hash or user.disabled_at is not None:
        return False
    if feed.passkey_id is not None:  # made in a session whose passkey has since gone
        made_with = db.session.get(Passkey, feed.passkey_id)
        if made_with is None or made_with.revoked_at is not None:
            return False
    locked_at = user.security.locked_at if user.security else None
    return locked_at is None or (feed.created_at is not None and feed.created_at > locked_at)


def feed_by_token(token: str | None) -> CalendarFeed | None:
    if not token or not isinstance(token, str) or len(token) > 128:
        return None
    feed = db.session.scalar(
        select(CalendarFeed).where(CalendarFeed.token_hash == token_hash(token))
    )
    if feed is None or not feed_is_live(feed, db.session.get(User, feed.user_id)):
        return None
    return feed


def live_feed_or_404(token: str | None) -> CalendarFeed:
    found = feed_by_token(token)
    if found is None:
        abort(404)
    return found


def neutral_title(feed: CalendarFeed | None, user: User) -> str:
    if feed is not None and feed.title:
        return feed.title
    with force_locale(user.locale or org_setting("DEFAULT_LOCALE")):
        return _("Meeting")


def event_for(appointment: Appointment, feed: CalendarFeed | None, user: User) -> Event:
    """One calendar entry, neutral unless the survivor opted in to more."""
    summary = neutral_title(feed, user)
    location = description = None
    if feed is not None:
        with force_locale(user.locale or org_setting("DEFAULT_LOCALE")):
            if feed.show_kind:
                summary = _(
                    "%(title)s: %(kind)s", title=summary, kind=str(KIND_LABELS[appointment.kind])
                )
            if feed.show_place:
                location = appointment.place or appointment.link
            parts = []
            if feed.show_place and appointment.place and appointment.link:
                parts.append(appointment.link)
            if feed.show_note and appointment.note:
                parts.append(appointment.note)
            if feed.show_organisation:
                parts.append(_("With %(name)s", name=org_setting("BRAND_NAME")))
            description = "\n\n".join(parts) or None
    return Event(
        uid=event_uid("appointment", appointment.public_id),
        start=appointment.starts_at,
        end=appointment.ends_at,
        summary=summary,
        location=location,
        description=description,
        status="CONFIRMED" if appointment.status == Status.CONFIRMED else "TENTATIVE",
        sequence=appointment.sequence,
        stamp=appointment.updated_at,
    )


def feed_calendar(feed: CalendarFeed) -> str:
    user = db.session.get(User, feed.user_id)
    now = utcnow()
    query = visible_appointments(user).where(
        Appointment.survivor_id == user.id,
        Appointment.status != Status.CANCELLED,
        Appointment.ends_at >= now - FEED_PAST,
    )
    events = [
        event_for(a, feed, user) for a in db.session.scalars(query.order_by(Appointment.starts_at))
    ]
    name = org_setting("BRAND_NAME") if feed.show_organisation else None
    return calendar(events, name=name)


def single_calendar(appointment: Appointment, user: User) -> str:
    """One appointment as a calendar file. The survivor's own settings apply to their own
    appointments; staff get the kind and place but never the person's name or the note."""
    if is_owner(appointment, user):
        feed = get_feed(user)
    else:
        feed = CalendarFeed(show_kind=True, show_place=True)
    return calendar([event_for(appointment, feed, user)])
