"""Where each role lands: the one table of home pages, for views and services alike."""

from __future__ import annotations

from ..accounts.models import Role

HOMES = {  # where each role lands, in this order when a person holds several
    Role.SURVIVOR: "home.survivor",
    Role.MENTOR: "home.mentor",
    Role.STAFF: "home.staff",
    Role.ADMIN: "home.admin",
}


def home_endpoint(user) -> str:
    return next((ep for role, ep in HOMES.items() if user.has_role(role)), "accounts.account")
