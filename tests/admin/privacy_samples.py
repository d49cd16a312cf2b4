"""Sample admin-workspace data for the generic privacy checks (tests/privacy/samples.py): the
name the person shows as staff and an admin opening their account page."""

from __future__ import annotations

import secrets

from survivorapp.people import admin_services, contact_names
from tests.factories import make_user
from tests.privacy.samples import sample_data


@sample_data
def admin(person) -> list[str]:
    name = f"Sample contact name {secrets.token_hex(4)}"
    contact_names.set_contact_name(person, name)
    boss = make_user("admin", pseudonym=f"Sample admin {secrets.token_hex(4)}")
    admin_services.record_view(boss, person)
    return [name]
