"""The words for each role, the same on every screen and in a person's own export. Neutral:
they can show on a screen a bystander sees (the word list in safety/words.py checks them)."""

from flask_babel import lazy_gettext as _l

from .models import Role

# Role is a StrEnum, so both Role.STAFF and "staff" find a label.
ROLE_LABELS = {
    Role.SURVIVOR: _l("Participant"),
    Role.MENTOR: _l("Peer mentor"),
    Role.STAFF: _l("Staff"),
    Role.ADMIN: _l("Admin"),
}
