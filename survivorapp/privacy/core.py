"""Exporters and erasers for what the core of the app holds about a person: profile, roles,
sessions, audit events, caseload link, consent choices and the access log."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, or_, select, update

from ..accounts.labels import ROLE_LABELS
from ..accounts.models import User
from ..extensions import db
from ..i18n import LANGUAGE_NAMES
from ..people import caseload
from ..people.contact_names import contact_name
from ..security.audit import AuditEvent
from ..security.sessions import UserSession
from .access_log import access_rows
from .consent import choices_for, history_for
from .models import AccessEvent, ConsentChange, ConsentChoice
from .registry import access_label, eraser, exporter, get_area

ACTION_LABELS = {
    "sign_in": _l("Signed in"),
    "sign_out": _l("Signed out"),
    "caseload_assigned": _l("Team contact assigned"),
    "caseload_unassigned": _l("Team contact removed"),
    "consent_changed": _l("Sharing choices changed"),
    "goal_approved": _l("A goal was approved"),
    "goal_changes_requested": _l("Changes were asked for on a goal"),
    "roles_changed": _l("Roles changed"),
    "account_disabled": _l("Account turned off"),
    "account_enabled": _l("Account turned on again"),
    "contact_name_changed": _l("The name you show was changed"),
    "account_created": _l("Account created"),
    "enrolled": _l("Set up with a one-time code"),
    "enrolment_code_issued": _l("A one-time code was made"),
    "account_locked": _l("Account locked"),
    "account_closed": _l("Account closed"),
    "sign_in_failed": _l("A sign-in did not work"),
    "session_ended": _l("Signed out on one device"),
    "sessions_ended": _l("Signed out everywhere else"),
    "passkey_added": _l("Passkey added"),
    "passkey_renamed": _l("Passkey renamed"),
    "passkey_removed": _l("Passkey removed"),
    "passkey_notice_acknowledged": _l("New passkey confirmed"),
    "pin_set": _l("App PIN set"),
    "pin_removed": _l("App PIN turned off"),
    "pin_failed": _l("Wrong app PIN"),
    "timezone_changed": _l("Time zone changed"),
    "calendar_feed_issued": _l("New calendar address made"),
    "calendar_feed_revoked": _l("Calendar address turned off"),
    "reminders_device_added": _l("Reminders turned on for a device"),
    "reminders_device_removed": _l("Reminders turned off for a device"),
    "appointment_created": _l("An appointment was added"),
    "appointment_changed": _l("An appointment was changed"),
    "appointment_cancelled": _l("An appointment was cancelled"),
    "appointment_move_requested": _l("Asked to move an appointment"),
    "appointment_move_answered": _l("A request to move an appointment was answered"),
    "appointment_outcome_recorded": _l("An appointment was marked attended or missed"),
    "org_settings_changed": _l("Organisation settings changed"),
}
# Audit details never hold secrets by contract; these keys are dropped from the export anyway.
SECRET_HINTS = ("token", "hash", "secret", "code", "credential", "key", "handle", "challenge")


@exporter("profile", label=_l("Your profile"), order=0)
def export_profile(user: User) -> list[dict]:
    return [
        {
            _l("Name you use here"): user.pseudonym,
            _l("Language"): LANGUAGE_NAMES.get(user.locale or "", user.locale),
            _l("Time zone"): user.timezone,
            _l("Roles"): [str(ROLE_LABELS.get(r.value, r.value)) for r in sorted(user.roles)],
            _l("Account created"): user.created_at,
        }
    ]


@exporter("caseload", label=_l("Your contact on the team"), order=1)
def export_caseload(user: User) -> list[dict]:
    link = caseload.link_of(user)
    if link is None:
        return []
    staff = db.session.get(User, link.staff_id)
    name = contact_name(staff) if staff else None  # the name they show the people they support
    return [{_l("Name"): name, _l("Since"): link.assigned_at}]


@exporter("consent", label=_l("What you share with the team"), order=2)
def export_consent(user: User) -> list[dict]:
    rows = [
        {_l("Area"): get_area(key).label, _l("Shared"): shared}
        for key, shared in choices_for(user.id).items()
    ]
    for change in history_for(user.id):
        label = access_label(change.area) or change.area
        rows.append(
            {
                _l("Area"): label,
                _l("Changed to"): _l("Shared") if change.shared else _l("Private"),
                _l("Changed by"): _l("You") if change.changed_by_id == user.id else _l("The team"),
                _l("When"): change.at,
            }
        )
    return rows


@exporter("access", label=_l("Who looked at your records"), order=3)
def export_access(user: User) -> list[dict]:
    return [
        {
            _l("Who"): row["who"] or _l("A former team member"),
            _l("What"): row["area"],
            _l("Details"): row["what"],
            _l("When"): row["at"],
        }
        for row in access_rows(user.id, limit=None)
    ]


@exporter("sessions", label=_l("Where you are signed in"), order=4)
def export_sessions(user: User) -> list[dict]:
    sessions = db.session.scalars(
        select(UserSession).where(UserSession.user_id == user.id).order_by(UserSession.created_at)
    )
    return [
        {
            _l("Device"): s.device or None,
            _l("Signed in"): s.created_at,
            _l("Last active"): s.last_seen_at,
        }
        for s in sessions
    ]


@exporter("events", label=_l("Account activity"), order=5)
def export_events(user: User) -> list[dict]:
    events = db.session.scalars(
        select(AuditEvent)
        .where(or_(AuditEvent.actor_id == user.id, AuditEvent.subject_id == user.id))
        .order_by(AuditEvent.at, AuditEvent.id)
    )
    rows = []
    for event in events:
        details = {
            k: v
            for k, v in event.details.items()
            if not any(hint in k.lower() for hint in SECRET_HINTS)
        }
        rows.append(
            {
                _l("What happened"): ACTION_LABELS.get(event.action, event.action),
                _l("By"): _l("You")
                if event.actor_id == user.id
                else (_l("The team") if event.actor_id else _l("The app")),
                _l("Details"): ", ".join(f"{k}: {v}" for k, v in sorted(details.items())) or None,
                _l("When"): event.at,
            }
        )
    return rows


@eraser("caseload")
def erase_caseload(user: User) -> None:
    caseload.forget(user)


@eraser("consent")
def erase_consent(user: User) -> None:
    db.session.execute(delete(ConsentChange).where(ConsentChange.survivor_id == user.id))
    db.session.execute(delete(ConsentChoice).where(ConsentChoice.survivor_id == user.id))
    db.session.execute(
        update(ConsentChange)
        .where(ConsentChange.changed_by_id == user.id)
        .values(changed_by_id=None)
    )


@eraser("access")
def erase_access(user: User) -> None:
    db.session.execute(delete(AccessEvent).where(AccessEvent.subject_id == user.id))
    db.session.execute(
        update(AccessEvent).where(AccessEvent.viewer_id == user.id).values(viewer_id=None)
    )


@eraser("sessions", order=90)
def erase_sessions(user: User) -> None:
    db.session.execute(delete(UserSession).where(UserSession.user_id == user.id))
