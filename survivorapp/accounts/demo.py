"""Demo data for accounts: a one-time enrolment link per demo person, printed by `make run`."""

from __future__ import annotations

from ..demo import demo_step
from ..settings import org_setting
from . import codes


@demo_step(order=90)
def enrolment_links(people) -> None:
    hours = org_setting("ENROLMENT_CODE_HOURS")
    lines = ["", f"One-time enrolment links (create a passkey; each works once, for {hours} h):"]
    for user in people.everyone():
        code = codes.issue_code(user, actor=None)
        roles = ", ".join(sorted(r.value for r in user.roles))
        lines.append(f"  {user.pseudonym:<16} {roles:<18} {codes.enrol_link(code)}")
    people.extra.setdefault("links", []).extend(lines)
