"""Sample personal data the reports feature holds: check-in answers (with encrypted words)."""

from __future__ import annotations

import secrets

from tests.factories import make_check_in
from tests.privacy.samples import sample_data


@sample_data
def check_ins(person) -> list[str]:
    words = f"Sample check-in words {secrets.token_hex(4)}"
    make_check_in(person, safe=3, helped="groups", hindered="money", note=words)
    return [words]
