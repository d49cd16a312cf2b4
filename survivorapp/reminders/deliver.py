"""The runner behind `flask reminders run`: send what is due, once, to each live device.

It commits as it goes (a CLI command, like the other batch jobs): a claim is committed before
the push is sent, so a second runner skips it, and each device reached is committed at once,
so a retry never sends there twice. Logs hold counts only, never an address or a person.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.utils import parsedate_to_datetime

import requests
from pywebpush import WebPushException, webpush
from sqlalchemy import or_, select

from ..accounts.models import Passkey, User
from ..database import utcnow
from ..extensions import db
from ..settings import org_setting
from . import claims, plan, texts, vapid
from .models import Delivery, Kind, PushSubscription, Reminder, State
from .plan import Due
from .subscriptions import is_live

log = logging.getLogger("survivorapp.reminders")

LATE = timedelta(hours=2)  # a reminder missed by longer (the runner was down) is dropped
MAX_ATTEMPTS = 6
PUSH_TIMEOUT = 10  # seconds per push service request
GONE = {404, 410}  # the subscription has ended: forget it (RFC 8030 §7.3)


@dataclass
class Report:
    sent: int = 0
    retrying: int = 0
    failed: int = 0
    dropped: int = 0  # subscriptions the push service said are gone

    def __str__(self) -> str:
        return (
            f"reminders: {self.sent} sent, {self.retrying} to retry, {self.failed} failed, "
            f"{self.dropped} devices gone"
        )


def run(now: datetime | None = None) -> Report:
    now = now or utcnow()
    report = Report()
    for user in _people_with_devices():
        for due in plan.due(user, now - LATE, now):
            if due.event_at is not None and due.event_at <= now:
                continue
            row = claims.claim(user, due, now)
            db.session.commit()  # the claim is seen by every other runner from here on
            if row is not None:
                _deliver(row, user, due, now, report)
    for row in _waiting_again(now):
        if claims.claim_again(row.id, row.state, row.claimed_at, now):
            db.session.commit()
            user = db.session.get(User, row.user_id)
            _deliver(row, user, _due_of(row, user), now, report)
    log.info("%s", report)
    return report


def _people_with_devices():
    ids = select(PushSubscription.user_id).distinct()
    return db.session.scalars(select(User).where(User.id.in_(ids)).order_by(User.id)).all()


def _waiting_again(now: datetime) -> list[Reminder]:
    stale = now - timedelta(minutes=claims.STALE_AFTER_MINUTES)
    return db.session.scalars(
        select(Reminder).where(
            or_(
                (Reminder.state == State.RETRY) & (Reminder.next_attempt_at <= now),
                (Reminder.state == State.SENDING) & (Reminder.claimed_at < stale),
            )
        )
    ).all()


def _due_of(row: Reminder, user: User) -> Due:
    count = plan.waiting_for(user) if row.kind == Kind.DIGEST else 0
    return Due(row.key, row.kind, row.due_at, row.event_at, count)


def _devices(row: Reminder, user: User) -> list[PushSubscription]:
    """The person's live devices that this reminder has not reached yet."""
    reached = select(Delivery.subscription_id).where(Delivery.reminder_id == row.id)
    found = db.session.scalars(
        select(PushSubscription).where(
            PushSubscription.user_id == user.id, PushSubscription.id.not_in(reached)
        )
    ).all()
    passkeys = {
        p.id: p for p in db.session.scalars(select(Passkey).where(Passkey.user_id == user.id))
    }
    return [s for s in found if is_live(s, user, passkeys)]


def _payload(due: Due, user: User, now: datetime) -> str:
    return json.dumps(
        {"title": str(org_setting("BRAND_NAME")), "body": texts.line(due, user, now), "url": "/"}
    )


def _deliver(row: Reminder, user: User, due: Due, now: datetime, report: Report) -> None:
    if due.kind == Kind.DIGEST and not due.count:
        row.state = State.CANCELLED  # nothing waits any more: nothing to say
        db.session.commit()
        return
    if due.event_at is not None and due.event_at <= now:
        _finish(row, State.FAILED, now, report)
        return
    devices = _devices(row, user)
    if not devices:
        _finish(row, State.FAILED, now, report)
        return
    payload, retry_after = _payload(due, user, now), None
    ttl = int((due.event_at - now).total_seconds()) if due.event_at else 12 * 3600
    for device in devices:
        outcome, wait = _push(device, payload, max(ttl, 60), now)
        if outcome == "sent":
            db.session.add(Delivery(reminder_id=row.id, subscription_id=device.id))
            device.last_sent_at = now
        elif outcome == "gone":
            db.session.delete(device)
            report.dropped += 1
        elif outcome == "retry":
            retry_after = max(retry_after or timedelta(0), wait)
        db.session.commit()
    if retry_after is None:
        _finish(row, State.SENT, now, report)
        return
    row.attempts += 1
    if row.attempts >= MAX_ATTEMPTS:
        _finish(row, State.FAILED, now, report)
        return
    backoff = timedelta(minutes=2 ** (row.attempts - 1))  # 1, 2, 4, 8, 16 minutes
    row.state, row.next_attempt_at = State.RETRY, now + max(backoff, retry_after)
    report.retrying += 1
    db.session.commit()


def _push(device: PushSubscription, payload: str, ttl: int, now: datetime):
    """("sent" | "gone" | "retry" | "refused", how long the service asked us to wait)."""
    info = {"endpoint": device.endpoint, "keys": {"p256dh": device.p256dh, "auth": device.auth}}
    if not vapid.allowed_endpoint(device.endpoint):
        return "gone", timedelta(0)  # PUSH_SERVICES no longer lists its service
    try:
        webpush(
            info,
            data=payload,
            vapid_private_key=vapid.signer(),
            vapid_claims={"sub": vapid.contact()},  # a fresh dict: webpush adds aud and exp
            ttl=ttl,
            timeout=PUSH_TIMEOUT,
            headers={"Urgency": "normal"},
        )
    except WebPushException as exc:
        status = exc.response.status_code if exc.response is not None else None
        if status in GONE:
            return "gone", timedelta(0)
        if status is None or status == 429 or status >= 500:
            return "retry", _retry_after(exc.response, now)
        return "refused", timedelta(0)  # 400, 403, 413: retrying would not help
    except requests.RequestException:
        return "retry", timedelta(0)  # unreachable or too slow: try again later
    return "sent", timedelta(0)


def _retry_after(response, now: datetime) -> timedelta:
    """A 429's or 503's Retry-After, in seconds or as a date (RFC 9110 §10.2.3)."""
    value = response.headers.get("Retry-After", "") if response is not None else ""
    if value.strip().isdigit():
        return timedelta(seconds=min(int(value), 86400))
    try:
        return max(parsedate_to_datetime(value) - now, timedelta(0))
    except (TypeError, ValueError):
        return timedelta(0)


def _finish(row: Reminder, state: State, now: datetime, report: Report) -> None:
    row.state = state
    if state == State.SENT:
        row.sent_at = now
        report.sent += 1
    else:
        report.failed += 1
    db.session.commit()
