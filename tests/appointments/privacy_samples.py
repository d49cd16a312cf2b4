"""Sample appointments data for the generic privacy checks (tests/privacy/samples.py)."""

from __future__ import annotations

import secrets
from datetime import timedelta

from survivorapp.appointments.models import CalendarFeed, Outcome, RequestStatus
from survivorapp.database import utcnow
from survivorapp.extensions import db
from tests.factories import make_appointment, make_move_request, make_user
from tests.privacy.samples import sample_data


@sample_data
def appointments(person) -> list[str]:
    tag = secrets.token_hex(4)
    place, note = f"Sample clinic {tag}", f"Sample appointment note {tag}"
    link = f"https://example.org/sample-{tag}"
    own_place = f"Sample own place {tag}"
    message, answer = f"Sample move request {tag}", f"Sample staff answer {tag}"
    title = f"Sample feed title {tag}"
    booker = make_user("staff", pseudonym=f"Sample booker {tag}")
    booked = make_appointment(person, by=booker, place=place, link=link, note=note)
    make_appointment(person, place=own_place, shared=True)
    went = make_appointment(person, by=booker, start=utcnow() - timedelta(days=3))
    went.outcome, went.outcome_by_id, went.outcome_at = Outcome.ATTENDED, person.id, utcnow()
    make_move_request(
        booked,
        message=message,
        status=RequestStatus.DECLINED,
        answered_by_id=booker.id,
        answered_at=utcnow(),
        answer_note=answer,
    )
    db.session.add(CalendarFeed(user_id=person.id, token_hash=secrets.token_hex(32), title=title))
    db.session.flush()
    return [place, note, link, own_place, message, answer, title]
