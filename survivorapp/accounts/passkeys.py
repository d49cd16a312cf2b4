"""Passkeys and their WebAuthn ceremonies: register one, enrol with a code, sign in."""

from __future__ import annotations

import base64
import hashlib
import json
import time

from flask import current_app, request, session
from sqlalchemy import select
from webauthn import (
    generate_authentication_options,
    generate_registration_options,
    verify_authentication_response,
    verify_registration_response,
)
from webauthn.helpers import bytes_to_base64url, options_to_json_dict, parse_attestation_object
from webauthn.helpers.structs import (
    AuthenticatorSelectionCriteria,
    AuthenticatorTransport,
    PublicKeyCredentialDescriptor,
    ResidentKeyRequirement,
    UserVerificationRequirement,
)

from ..database import utcnow
from ..extensions import db
from ..security import audit
from ..security.sessions import claim, rough_device
from ..settings import org_setting
from .codes import consume_code
from .models import EnrolmentCode, Passkey, User
from .services import start_session

CHALLENGE_SECONDS = 5 * 60


class PasskeyError(Exception):
    """A ceremony failed. The reason goes to the audit log, never to the person."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


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
    if not consume_code(int(code_id)):  # the refusal (400) rolls the new passkey back
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
    # Committed now, because the refusal that follows (400) rolls back the request.
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
