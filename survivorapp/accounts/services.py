"""Queries and writes for accounts: sign-in, passkeys, enrolment codes, sessions, lock-out and
the app PIN. Views stay thin and call these functions."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import time
from datetime import datetime, timedelta

import segno
from argon2 import PasswordHasher
from argon2.exceptions import Argon2Error, InvalidHashError
from flask import abort, current_app, g, request, session, url_for
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from flask_login import login_user, logout_user
from sqlalchemy import delete, select, update
from sqlalchemy.orm import joinedload
from webauthn import (
    generate_authentication_options,
    generate_registration_options,
    verify_authentication_response,
    verify_registration_response,
)
from webauthn.helpers import bytes_to_base64url, options_to_json_dict
from webauthn.helpers.structs import (
    AuthenticatorSelectionCriteria,
    AuthenticatorTransport,
    PublicKeyCredentialDescriptor,
    ResidentKeyRequirement,
    UserVerificationRequirement,
)

from ..database import utcnow
from ..extensions import db, login_manager
from ..people import caseload
from ..privacy import areas as privacy_areas
from ..privacy.registry import eraser, exporter
from ..security import audit
from ..security.crypto import decrypt, encrypt
from ..security.sessions import (
    UserSession,
    claim,
    end_passkey_sessions,
    end_session,
    end_user_sessions,
    is_live,
    rotate_session,
    rough_device,
)
from ..settings import org_setting
from .events import passkey_removed
from .models import AccountSecurity, EnrolmentCode, Passkey, Role, User

CHALLENGE_SECONDS = 5 * 60
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"  # no 0/O, 1/I/L, U/V look-alikes kept apart
CODE_LENGTH = 12
PIN_MAX_FAILURES = 5
NICKNAME_MAX = 60
PSEUDONYM_MAX = 60
_hasher = PasswordHasher()


class PasskeyError(Exception):
    """A ceremony failed. The reason goes to the audit log, never to the person."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    try:
        user_id = int(user_id)
    except (TypeError, ValueError):
        return None
    # One query for the person, their roles and their PIN settings: every page needs all three.
    user = (
        db.session.execute(
            select(User)
            .options(joinedload(User.role_rows), joinedload(User.security))
            .where(User.id == user_id)
        )
        .unique()
        .scalar_one_or_none()
    )
    return user if user is not None and user.is_active else None


def create_user(
    pseudonym: str, roles: list[Role | str], *, timezone: str = "UTC", locale: str | None = None
) -> User:
    user = User(pseudonym=pseudonym, timezone=timezone, locale=locale)
    for role in roles:
        user.add_role(role)
    db.session.add(user)
    db.session.flush()
    return user


def start_session(user: User, *, method: str, passkey: Passkey | None = None) -> None:
    """Sign a person in: a fresh session id, then the user id in the server-side session."""
    rotate_session()
    login_user(user)
    session.pop("pin_ok", None)
    if passkey is not None:
        session["passkey_id"] = passkey.id
        if passkey.notice_pending:  # see session_unconfirmed
            session["unconfirmed"] = True
    session["signed_in_at"] = utcnow().isoformat()
    audit.record("sign_in", actor=user, subject=user, method=method)
    db.session.commit()


def finish_session(user: User | None) -> None:
    if user is not None and user.is_authenticated:
        audit.record("sign_out", actor=user, subject=user)
        db.session.commit()
    logout_user()
    end_session()


def home_url(user: User) -> str:
    from ..home.views import home_endpoint

    return url_for(home_endpoint(user))


def landing_url(user: User) -> str:
    """Where a person goes after signing in: a pending new-passkey notice first."""
    if pending_notices(user):
        return url_for("accounts.new_passkey_notice")
    return home_url(user)


# --- Access -------------------------------------------------------------------------------


def get_person_or_404(actor: User, public_id: str) -> User:
    """The one access rule for people pages: admins reach anyone, staff only survivors on
    their caseload; everyone else, or anyone else, is a 404."""
    if not isinstance(public_id, str) or len(public_id) > 40:
        abort(404)
    person = db.session.scalar(select(User).where(User.public_id == public_id))
    if person is None or person.id == actor.id:
        abort(404)
    if actor.has_role(Role.ADMIN):
        return person
    if actor.has_role(Role.STAFF) and caseload.on_caseload(actor.id, person.id):
        return person
    abort(404)


def open_person_or_404(actor: User, public_id: str, what=None) -> User:
    """get_person_or_404, then the look goes in the person's access log (privacy area
    "profile", shown on /privacy/access). `what` is a lazy string, stored in the person's
    language."""
    from ..privacy.services import log_access

    person = get_person_or_404(actor, public_id)
    text = None
    if what is not None:
        with force_locale(person.locale or "en"):
            text = str(what)
    log_access(actor, person, privacy_areas.PROFILE, text)
    return person


def people_for(actor: User) -> list[User]:
    if actor.has_role(Role.ADMIN):
        query = select(User).where(User.id != actor.id).order_by(User.id)
    else:
        query = caseload.caseload_query(actor.id)
    return list(db.session.scalars(query))


def get_passkey_or_404(user: User, public_id: str) -> Passkey:
    if not isinstance(public_id, str) or len(public_id) > 40:
        abort(404)
    passkey = db.session.scalar(
        select(Passkey).where(
            Passkey.public_id == public_id,
            Passkey.user_id == user.id,
            Passkey.revoked_at.is_(None),
        )
    )
    if passkey is None:
        abort(404)
    return passkey


# --- Enrolment codes ----------------------------------------------------------------------


def _code_hash(code: str) -> str:
    key = str(current_app.config["SECRET_KEY"]).encode()
    return hmac.new(key, code.encode(), hashlib.sha256).hexdigest()


def normalise_code(raw: object) -> str | None:
    """What a person typed or scanned, as the bare code; None if it cannot be one."""
    if not isinstance(raw, str) or len(raw) > 64:
        return None
    code = "".join(ch for ch in raw.upper() if ch.isalnum())
    if len(code) != CODE_LENGTH or any(ch not in CODE_ALPHABET for ch in code):
        return None
    return code


def format_code(code: str) -> str:
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))


def issue_code(user: User, *, actor: User | None) -> str:
    """A fresh one-time code for a person; any earlier unused code stops working."""
    now = utcnow()
    db.session.execute(
        update(EnrolmentCode)
        .where(EnrolmentCode.user_id == user.id, EnrolmentCode.used_at.is_(None))
        .values(used_at=now)
    )
    code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    hours = int(org_setting("ENROLMENT_CODE_HOURS"))
    db.session.add(
        EnrolmentCode(
            user_id=user.id,
            code_hash=_code_hash(code),
            created_by_id=getattr(actor, "id", None),
            created_at=now,
            expires_at=now + timedelta(hours=hours),
        )
    )
    audit.record(
        "enrolment_code_issued",
        actor=actor,
        subject=user,
        admin_action=audit.by_admin(actor, user),
        hours=hours,
    )
    return format_code(code)


def find_code(raw: object) -> EnrolmentCode | None:
    """A code that still works: known, unused, unexpired, for an active person."""
    code = normalise_code(raw)
    if code is None:
        return None
    row = db.session.scalar(
        select(EnrolmentCode).where(EnrolmentCode.code_hash == _code_hash(code))
    )
    if row is None or row.used_at is not None or row.expires_at <= utcnow():
        return None
    user = db.session.get(User, row.user_id)
    if user is None or not user.is_active:
        return None
    return row


def _consume_code(code_id: int) -> bool:
    """Mark a code used, exactly once even when two requests race for it."""
    now = utcnow()
    result = db.session.execute(
        update(EnrolmentCode)
        .where(
            EnrolmentCode.id == code_id,
            EnrolmentCode.used_at.is_(None),
            EnrolmentCode.expires_at > now,
        )
        .values(used_at=now)
    )
    return result.rowcount == 1


def enrol_link(code: str) -> str:
    # The code goes in the query string: access logs record paths only.
    return f"{current_app.config['ORIGIN']}/enrol?code={code}"


def qr_data_uri(link: str) -> str:
    """The link as a QR code, drawn here as SVG (no third party sees the code)."""
    return segno.make(link, error="m").svg_data_uri(scale=5, border=2, dark="#000", light="#fff")


def invite(actor: User | None, pseudonym: str, role: str) -> tuple[User, str]:
    """Create an account (pseudonym and role only) and its first enrolment code."""
    user = create_user(pseudonym, [role], timezone=org_setting("DEFAULT_TIMEZONE"))
    if actor is not None and role == Role.SURVIVOR and actor.has_role(Role.STAFF):
        caseload.assign(actor, user, actor=actor)
    audit.record(
        "account_created",
        actor=actor,
        subject=user,
        admin_action=audit.by_admin(actor, user),
        role=str(role),
    )
    code = issue_code(user, actor=actor)
    return user, code


def invitable_roles(actor: User) -> list[Role]:
    if actor.has_role(Role.ADMIN):
        return list(Role)
    if actor.has_role(Role.STAFF):
        return [Role.SURVIVOR]
    return []


def remember_shown_code(user: User, code: str) -> None:
    """Keep a just-issued code (encrypted) for the one page that shows it after the redirect."""
    session["issued_code"] = {"user": user.public_id, "code": encrypt(code).decode()}


def take_shown_code(user: User) -> str | None:
    held = session.pop("issued_code", None)
    if not isinstance(held, dict) or held.get("user") != user.public_id:
        return None
    try:
        return decrypt(str(held.get("code", "")).encode())
    except Exception:
        return None


# --- WebAuthn ceremonies --------------------------------------------------------------------


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _remember_challenge(kind: str, challenge: bytes, **extra) -> None:
    session["webauthn"] = {
        "kind": kind,
        "challenge": _b64(challenge),
        "expires": time.time() + CHALLENGE_SECONDS,
        **extra,
    }


def _take_challenge(kind: str) -> tuple[bytes, dict]:
    """The pending challenge, removed so it can be answered once only."""
    state = session.pop("webauthn", None)
    if not isinstance(state, dict) or state.get("kind") != kind:
        raise PasskeyError("no_challenge")
    if not claim(session):  # a parallel request with the same cookie took it first
        raise PasskeyError("no_challenge")
    if float(state.get("expires", 0)) < time.time():
        raise PasskeyError("challenge_expired")
    return _unb64(state["challenge"]), state


def passkey_handle(user: User) -> str:
    """The name a phone shows for this passkey: the neutral brand and a short tag."""
    tag = base64.b32encode(hashlib.sha256(user.user_handle).digest()).decode()[:4]
    return f"{org_setting('BRAND_NAME')} {tag}"


def active_passkeys(user: User) -> list[Passkey]:
    return list(
        db.session.scalars(
            select(Passkey)
            .where(Passkey.user_id == user.id, Passkey.revoked_at.is_(None))
            .order_by(Passkey.created_at, Passkey.id)
        )
    )


def registration_options(user: User, *, kind: str, **extra) -> dict:
    cfg = current_app.config
    handle = passkey_handle(user)
    options = generate_registration_options(
        rp_id=cfg["RP_ID"],
        rp_name=org_setting("BRAND_NAME"),
        user_id=user.user_handle,
        user_name=handle,
        user_display_name=handle,
        timeout=CHALLENGE_SECONDS * 1000,
        authenticator_selection=AuthenticatorSelectionCriteria(
            resident_key=ResidentKeyRequirement.REQUIRED,
            user_verification=UserVerificationRequirement.REQUIRED,
        ),
        exclude_credentials=[
            PublicKeyCredentialDescriptor(id=p.credential_id) for p in active_passkeys(user)
        ],
    )
    _remember_challenge(kind, options.challenge, user=user.id, **extra)
    return options_to_json_dict(options)


def _transports(credential: dict) -> str:
    raw = credential.get("response", {}).get("transports") if credential else None
    known = {t.value for t in AuthenticatorTransport}
    if not isinstance(raw, list):
        return ""
    return ",".join(t for t in raw if isinstance(t, str) and t in known)[:200]


def _backup_flags(attestation_or_auth_flags) -> tuple[bool, bool]:
    return bool(attestation_or_auth_flags.be), bool(attestation_or_auth_flags.bs)


def _parse_json(raw: object) -> dict:
    if isinstance(raw, (str, bytes)):
        try:
            raw = json.loads(raw)
        except ValueError:
            raise PasskeyError("malformed") from None
    if not isinstance(raw, dict):
        raise PasskeyError("malformed")
    return raw


def register_passkey(user: User, credential: object, *, kind: str) -> Passkey:
    """Check a registration response against the pending challenge and store the passkey."""
    from webauthn.helpers import parse_attestation_object

    challenge, state = _take_challenge(kind)
    if state.get("user") != user.id:
        raise PasskeyError("wrong_user")
    data = _parse_json(credential)
    cfg = current_app.config
    try:
        verified = verify_registration_response(
            credential=data,
            expected_challenge=challenge,
            expected_rp_id=cfg["RP_ID"],
            expected_origin=cfg["ORIGIN"],
            require_user_verification=True,
        )
        flags = parse_attestation_object(verified.attestation_object).auth_data.flags
    except Exception as exc:  # the library raises several types; all mean "no"
        raise PasskeyError("registration_invalid") from exc
    exists = db.session.scalar(
        select(Passkey.id).where(Passkey.credential_id == verified.credential_id)
    )
    if exists is not None:
        raise PasskeyError("credential_exists")
    had_one = bool(active_passkeys(user))
    eligible, backed_up = _backup_flags(flags)
    passkey = Passkey(
        user_id=user.id,
        credential_id=verified.credential_id,
        public_key=verified.credential_public_key,
        sign_count=verified.sign_count,
        transports=_transports(data),
        backup_eligible=eligible,
        backup_state=backed_up,
        notice_pending=had_one,
        # A first name for the devices list ("Android · Chrome"); the person can rename it.
        nickname=rough_device(request.headers.get("User-Agent", "")) or None,
    )
    db.session.add(passkey)
    db.session.flush()
    audit.record("passkey_added", actor=user, subject=user, passkey=passkey.public_id, via=kind)
    return passkey


def enrolment_options(code_row: EnrolmentCode) -> dict:
    user = db.session.get(User, code_row.user_id)
    return registration_options(user, kind="enrol", code=code_row.id)


def complete_enrolment(credential: object) -> User:
    """Finish an enrolment: the code is used up only when a passkey was really created."""
    state = session.get("webauthn")
    state = state if isinstance(state, dict) else {}
    code_id, user_id = state.get("code"), state.get("user")
    user = db.session.get(User, user_id) if isinstance(user_id, int) else None
    if user is None or not isinstance(code_id, int) or not user.is_active:
        session.pop("webauthn", None)
        raise PasskeyError("no_challenge")
    passkey = register_passkey(user, credential, kind="enrol")
    if not _consume_code(int(code_id)):
        db.session.rollback()
        raise PasskeyError("code_used")
    passkey.last_used_at = utcnow()  # it has just signed the person in
    audit.record("enrolled", actor=user, subject=user)
    start_session(user, method="enrolment", passkey=passkey)
    return user


def sign_in_options() -> dict:
    options = generate_authentication_options(
        rp_id=current_app.config["RP_ID"],
        timeout=CHALLENGE_SECONDS * 1000,
        allow_credentials=[],
        user_verification=UserVerificationRequirement.REQUIRED,
    )
    _remember_challenge("sign_in", options.challenge)
    return options_to_json_dict(options)


def _fail(reason: str, user: User | None = None, passkey: Passkey | None = None):
    audit.record(
        "sign_in_failed",
        subject=user,
        reason=reason,
        passkey=passkey.public_id if passkey else None,
    )
    db.session.commit()
    raise PasskeyError(reason)


def verify_sign_in(credential: object) -> tuple[User, Passkey]:
    """Check an assertion against the pending challenge. Every failure is audited and looks
    the same to the person (see PasskeyError)."""
    try:
        challenge, _ = _take_challenge("sign_in")
    except PasskeyError as exc:
        _fail(exc.reason)
    try:
        data = _parse_json(credential)
        raw_id = _unb64(str(data.get("rawId", "")))
    except (PasskeyError, ValueError):
        _fail("malformed")
    passkey = db.session.scalar(select(Passkey).where(Passkey.credential_id == raw_id))
    if passkey is None:
        _fail("unknown_passkey")
    user = db.session.get(User, passkey.user_id)
    if passkey.revoked_at is not None:
        _fail("revoked_passkey", user, passkey)
    if user is None or not user.is_active:
        _fail("inactive_account", user, passkey)
    response = data.get("response")
    handle = response.get("userHandle") if isinstance(response, dict) else None
    if handle and handle != bytes_to_base64url(user.user_handle):
        _fail("wrong_user_handle", user, passkey)
    cfg = current_app.config
    try:
        verified = verify_authentication_response(
            credential=data,
            expected_challenge=challenge,
            expected_rp_id=cfg["RP_ID"],
            expected_origin=cfg["ORIGIN"],
            credential_public_key=passkey.public_key,
            credential_current_sign_count=0,  # checked below, so a regression is told apart
            require_user_verification=True,
        )
    except Exception:
        _fail("assertion_invalid", user, passkey)
    new_count = verified.new_sign_count
    if (new_count or passkey.sign_count) and new_count <= passkey.sign_count:
        # A cloned authenticator, or a replayed response: refuse and keep a record.
        _fail("sign_count_regression", user, passkey)
    passkey.sign_count = new_count
    passkey.last_used_at = utcnow()
    passkey.backup_state = bool(verified.credential_backed_up)
    return user, passkey


def sign_in_with_passkey(credential: object) -> User:
    user, passkey = verify_sign_in(credential)
    start_session(user, method="passkey", passkey=passkey)
    return user


# --- Devices --------------------------------------------------------------------------------


def pending_notices(user: User) -> list[Passkey]:
    return [p for p in active_passkeys(user) if p.notice_pending]


def _signed_in_at() -> datetime | None:
    raw = session.get("signed_in_at")
    try:
        return datetime.fromisoformat(raw) if isinstance(raw, str) else None
    except ValueError:
        return None


def can_confirm(user: User, passkey: Passkey, passkeys: list[Passkey]) -> bool:
    """Whether this session may confirm a newly added passkey. Only a sign-in made after it was
    added, with a confirmed passkey the person already had, may: whoever adds their own device
    to a phone left signed in can confirm it neither there nor from that device. Once no older
    passkey is left, the new one may confirm itself."""
    signed_in = _signed_in_at()
    own = session.get("passkey_id")
    if signed_in is None or own is None or signed_in <= passkey.created_at:
        return False
    if own == passkey.id:
        return not any(p.created_at < passkey.created_at for p in passkeys if p.id != own)
    return any(p.id == own and not p.notice_pending for p in passkeys)


def confirmable_notices(user: User) -> list[Passkey]:
    passkeys = active_passkeys(user)
    return [p for p in passkeys if p.notice_pending and can_confirm(user, p, passkeys)]


def acknowledge_notices(user: User) -> int:
    confirmed = confirmable_notices(user)
    for passkey in confirmed:
        passkey.notice_pending = False
        audit.record(
            "passkey_notice_acknowledged", actor=user, subject=user, passkey=passkey.public_id
        )
    db.session.commit()
    return len(confirmed)


def current_passkey_id() -> int | None:
    """The passkey this session signed in with (None for a session opened otherwise)."""
    own = session.get("passkey_id")
    return own if isinstance(own, int) else None


def session_unconfirmed() -> bool:
    """Whether this session was opened with a passkey its owner has not confirmed yet: one
    added from a phone left signed in, or enrolled with a code while other passkeys worked.
    Such a session is held at its notice (accounts.views) until a session of an older
    passkey confirms it. Sessions of confirmed passkeys pay no query for this."""
    if not session.get("unconfirmed"):
        return False
    if "unconfirmed" not in g:
        pending = db.session.scalar(
            select(Passkey.notice_pending).where(
                Passkey.id == current_passkey_id(), Passkey.revoked_at.is_(None)
            )
        )
        g.unconfirmed = pending is not False
        if not g.unconfirmed:
            session.pop("unconfirmed", None)  # confirmed since: free from now on
    return g.unconfirmed


def may_shut_out(user: User, passkey: Passkey | None = None) -> bool:
    """Whether this session may remove `passkey` (or, with None, lock out every other device).
    A session opened with a passkey still waiting to be confirmed may remove only that one."""
    own = session.get("passkey_id")
    if passkey is not None and passkey.id == own:
        return True
    return not any(p.id == own and p.notice_pending for p in active_passkeys(user))


def clean_nickname(raw: object) -> tuple[str, str | None]:
    """(value, error) for a passkey nickname."""
    from flask_babel import gettext as _

    value = " ".join(str(raw or "").split()) if isinstance(raw, str) else ""
    if not value:
        return value, _("Give this passkey a name, for example “My phone”.")
    if len(value) > NICKNAME_MAX:
        return value, _("Use %(max)d characters or fewer.", max=NICKNAME_MAX)
    return value, None


def rename_passkey(user: User, passkey: Passkey, nickname: str) -> None:
    passkey.nickname = nickname
    audit.record("passkey_renamed", actor=user, subject=user, passkey=passkey.public_id)
    db.session.commit()


def remove_passkey(user: User, passkey: Passkey) -> bool:
    """Revoke a passkey and end every session opened with it, this one included, and what
    those sessions turned on (events.passkey_removed). True when this session has ended."""
    passkey.revoked_at = utcnow()
    passkey.notice_pending = False
    ended = end_passkey_sessions(passkey.id)
    passkey_removed.send(user, passkey_id=passkey.id)
    audit.record(
        "passkey_removed",
        actor=user,
        subject=user,
        passkey=passkey.public_id,
        sessions_ended=ended,
    )
    db.session.commit()
    return current_passkey_id() == passkey.id


# --- Sessions -------------------------------------------------------------------------------


def session_key(row: UserSession) -> str:
    """A stable, opaque key for a session in URLs (never the row id or the token)."""
    return row.token_hash[:24]


def sessions_of(user: User) -> list[UserSession]:
    now = utcnow()
    rows = db.session.scalars(
        select(UserSession)
        .where(UserSession.user_id == user.id)
        .order_by(UserSession.last_seen_at.desc())
    )
    return [r for r in rows if is_live(r, now)]


def current_session_id() -> int | None:
    row = getattr(session, "row", None)
    return row.id if row is not None else None


def end_one_session(user: User, key: str) -> bool:
    if not isinstance(key, str) or len(key) != 24:
        return False
    rows = [r for r in sessions_of(user) if session_key(r) == key]
    if not rows:
        return False
    db.session.delete(rows[0])
    audit.record("session_ended", actor=user, subject=user)
    db.session.commit()
    return True


def end_other_sessions(user: User) -> int:
    count = end_user_sessions(user.id, keep_current=True)
    audit.record("sessions_ended", actor=user, subject=user, count=count)
    db.session.commit()
    return count


# --- Lock-out and recovery ------------------------------------------------------------------


def lock_account(
    user: User,
    *,
    actor: User | None,
    reason: str,
    keep_passkey_id: int | None = None,
    issue: bool = True,
) -> str | None:
    """Lost or taken phone: revoke passkeys, end sessions at once, and (normally) issue a fresh
    enrolment code for re-enrolment in person. Returns that code."""
    now = utcnow()
    stmt = update(Passkey).where(Passkey.user_id == user.id, Passkey.revoked_at.is_(None))
    if keep_passkey_id is not None:
        stmt = stmt.where(Passkey.id != keep_passkey_id)
    revoked = db.session.execute(stmt.values(revoked_at=now, notice_pending=False)).rowcount
    keep_current = actor is not None and actor.id == user.id  # self-lock: this device stays
    ended = end_user_sessions(user.id, keep_current=keep_current)
    security = security_of(user)
    security.pin_failures = 0
    security.locked_at = now
    audit.record(
        "account_locked",
        actor=actor,
        subject=user,
        admin_action=audit.by_admin(actor, user),
        reason=reason,
        passkeys_revoked=revoked,
        sessions_ended=ended,
    )
    code = issue_code(user, actor=actor) if issue else None
    if not issue:
        db.session.execute(
            update(EnrolmentCode)
            .where(EnrolmentCode.user_id == user.id, EnrolmentCode.used_at.is_(None))
            .values(used_at=now)
        )
    db.session.commit()
    return code


def lock_from_another_device(user: User) -> str | None:
    """A person locks out a lost phone from a device they still hold: every other passkey and
    session ends; the passkey this session signed in with keeps working. If this session did
    not sign in with a passkey, everything is revoked and a fresh code is shown."""
    keep = session.get("passkey_id")
    keep_ok = keep is not None and any(p.id == keep for p in active_passkeys(user))
    return lock_account(
        user,
        actor=user,
        reason="self",
        keep_passkey_id=keep if keep_ok else None,
        issue=not keep_ok,
    )


# --- App PIN --------------------------------------------------------------------------------


def security_of(user: User) -> AccountSecurity:
    row = db.session.get(AccountSecurity, user.id)
    if row is None:
        row = AccountSecurity(user_id=user.id, pin_failures=0)
        db.session.add(row)
    return row


def has_pin(user: User) -> bool:
    row = user.security
    return row is not None and row.pin_hash is not None


def clean_pin(raw: object, confirm: object = None, *, check_confirm: bool = True):
    from flask_babel import gettext as _

    value = raw.strip() if isinstance(raw, str) else ""
    if not (4 <= len(value) <= 12) or not value.isascii() or not value.isdigit():
        return value, _("Use 4 to 12 digits.")
    if check_confirm and confirm != value:
        return value, _("The two PINs are not the same.")
    return value, None


def set_pin(user: User, pin: str) -> None:
    security = security_of(user)
    security.pin_hash = _hasher.hash(pin)
    security.pin_failures = 0
    session["pin_ok"] = True
    audit.record("pin_set", actor=user, subject=user)
    db.session.commit()


def remove_pin(user: User) -> None:
    security = security_of(user)
    security.pin_hash = None
    security.pin_failures = 0
    audit.record("pin_removed", actor=user, subject=user)
    db.session.commit()


def check_pin(user: User, pin: object) -> str:
    """ "ok", "wrong" or "locked" (after PIN_MAX_FAILURES wrong PINs in a row)."""
    security = security_of(user)
    db.session.flush()
    good = False
    if security.pin_hash and isinstance(pin, str) and 0 < len(pin) <= 64:
        try:
            good = _hasher.verify(security.pin_hash, pin.strip())
        except (Argon2Error, InvalidHashError):
            good = False
    if good:
        security.pin_failures = 0
        session["pin_ok"] = True
        db.session.commit()
        return "ok"
    failures = _count_pin_failure(user)
    db.session.expire(security)  # the count changed in the database, not in this object
    if failures is None:  # locked by a parallel guess while this one was checked
        db.session.rollback()
        return "locked"
    audit.record("pin_failed", actor=user, subject=user, failures=failures)
    if failures >= PIN_MAX_FAILURES:
        lock_account(user, actor=None, reason="pin_failures", issue=False)
        return "locked"
    db.session.commit()
    return "wrong"


def _count_pin_failure(user: User) -> int | None:
    """Add one wrong PIN in the database itself, so parallel guesses each count (a read, then
    a write, lost all but one of ten): the row stays locked until this request commits. None
    when the account was locked since this session began (its guesses count no more)."""
    stmt = (
        update(AccountSecurity)
        .where(AccountSecurity.user_id == user.id)
        .values(pin_failures=AccountSecurity.pin_failures + 1)
        .returning(AccountSecurity.pin_failures)
        .execution_options(synchronize_session=False)
    )
    began = _session_began()
    if began is not None:
        stmt = stmt.where(
            (AccountSecurity.locked_at.is_(None)) | (AccountSecurity.locked_at < began)
        )
    return db.session.scalar(stmt)


def _session_began() -> datetime | None:
    row = getattr(session, "row", None)
    return _signed_in_at() or (row.created_at if row is not None else None)


def pin_due() -> bool:
    """True when the signed-in person has an app PIN this session has not yet checked."""
    from flask_login import current_user

    if not current_user.is_authenticated or session.get("pin_ok"):
        return False
    return has_pin(current_user)


# --- privacy: export and deletion (issue 9) -------------------------------------------------
# Sessions are exported and erased by privacy core (survivorapp/privacy/core.py). Passkeys,
# enrolment codes and the account security row cascade with the user row (ON DELETE CASCADE);
# codes someone issued for others keep the code but lose the link (SET NULL). The erasers
# below do the same explicitly so deletion does not depend on the database enforcing keys.


@exporter("passkeys", label=_l("Passkeys"), order=6)
def export_passkeys(user: User) -> list[dict]:
    """Nickname and dates only: never the credential id or the public key."""
    rows = db.session.scalars(
        select(Passkey).where(Passkey.user_id == user.id).order_by(Passkey.created_at, Passkey.id)
    )
    return [
        {
            _l("Name"): p.nickname,
            _l("Added"): p.created_at,
            _l("Last used"): p.last_used_at,
            _l("Synced between devices"): bool(p.backup_state),
            _l("Removed"): p.revoked_at,
        }
        for p in rows
    ]


@exporter("enrolment_codes", label=_l("Sign-in codes"), order=7)
def export_enrolment_codes(user: User) -> list[dict]:
    """That a code was issued and used, and when: never the code."""
    rows = db.session.scalars(
        select(EnrolmentCode)
        .where(EnrolmentCode.user_id == user.id)
        .order_by(EnrolmentCode.created_at, EnrolmentCode.id)
    )
    return [
        {
            _l("Issued"): c.created_at,
            _l("Issued by"): _l("You") if c.created_by_id == user.id else _l("The team"),
            _l("Expires"): c.expires_at,
            _l("Used"): c.used_at,
        }
        for c in rows
    ]


@exporter("app_pin", label=_l("App PIN"), order=8)
def export_pin(user: User) -> list[dict]:
    """Only whether a PIN is set."""
    return [{_l("A PIN is set"): has_pin(user)}]


@eraser("accounts")
def erase_account_rows(user: User) -> None:
    db.session.execute(delete(Passkey).where(Passkey.user_id == user.id))
    db.session.execute(delete(EnrolmentCode).where(EnrolmentCode.user_id == user.id))
    db.session.execute(
        update(EnrolmentCode)
        .where(EnrolmentCode.created_by_id == user.id)
        .values(created_by_id=None)
    )
    db.session.execute(delete(AccountSecurity).where(AccountSecurity.user_id == user.id))
