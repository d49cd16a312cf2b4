"""Sample data for what the core and privacy hold: caseload, consent, access log, sessions,
audit events."""

from __future__ import annotations

import secrets

from survivorapp.extensions import db
from survivorapp.people import caseload
from survivorapp.privacy import areas, consent
from survivorapp.privacy.services import log_access
from survivorapp.security import audit
from survivorapp.security.sessions import UserSession
from tests.factories import make_user
from tests.privacy.samples import sample_data


@sample_data
def core(person) -> list[str]:
    what = f"Sample looked-at record {secrets.token_hex(4)}"
    staff = make_user("staff", pseudonym=f"Sample staff {secrets.token_hex(4)}")
    caseload.assign(staff, person)
    consent.set_choices(person, {areas.BUDGET_SUMMARY: True}, actor=person)
    log_access(staff, person, areas.GOALS, what=what, commit=False)
    db.session.add(
        UserSession(
            token_hash=secrets.token_hex(32), user_id=person.id, data="{}", device="Android"
        )
    )
    audit.record("sign_in", actor=person, subject=person, method="passkey")
    audit.record("caseload_assigned", actor=staff, subject=person, survivor=person.public_id)
    return [what]
