"""Sample goals data for the generic privacy checks (tests/privacy/samples.py)."""

from __future__ import annotations

import secrets

from survivorapp.extensions import db
from survivorapp.goals import services
from tests.factories import make_goal, make_user
from tests.privacy.samples import sample_data


@sample_data
def goals(person) -> list[str]:
    tag = secrets.token_hex(4)
    title, why, step = f"Sample goal {tag}", f"Sample reason {tag}", f"Sample step {tag}"
    note, reply = f"Sample disagreement {tag}", f"Sample staff reply {tag}"
    goal = make_goal(person, title=title, why=why, steps=[step], submit=True)
    reviewer = make_user("staff", pseudonym=f"Sample reviewer {tag}")
    services.decide(goal, reviewer, approve=False, comment=reply)
    services.disagree(goal, person, note)
    db.session.flush()
    return [title, why, step, note, reply]
