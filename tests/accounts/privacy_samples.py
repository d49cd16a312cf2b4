"""Sample accounts data for the generic privacy checks (tests/privacy/samples.py): a passkey
nickname (encrypted free text) and an enrolment code issued by staff."""

from __future__ import annotations

import secrets

from survivorapp.accounts import codes
from survivorapp.accounts.models import Passkey
from survivorapp.extensions import db
from tests.factories import make_user
from tests.privacy.samples import sample_data


@sample_data
def accounts(person) -> list[str]:
    nickname = f"Sample phone {secrets.token_hex(4)}"
    db.session.add(
        Passkey(
            user_id=person.id,
            credential_id=secrets.token_bytes(32),
            public_key=secrets.token_bytes(64),
            nickname=nickname,
        )
    )
    staff = make_user("staff", pseudonym=f"Sample issuer {secrets.token_hex(4)}")
    codes.issue_code(person, actor=staff)
    # No PIN here: a PIN would send the deletion test's client to the PIN gate (the app PIN
    # row is checked in tests/accounts/test_privacy.py).
    db.session.flush()
    return [nickname]
