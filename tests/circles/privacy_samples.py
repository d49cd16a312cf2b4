"""Sample circles data for the generic privacy checks (tests/privacy/samples.py): the person
runs a circle (built through the service, which needs no role) and is a member of another
one, with a single-session place and attendance marked about them."""

from __future__ import annotations

import secrets
from datetime import UTC, datetime, time, timedelta

from survivorapp.circles import hosting, membership, occurrences
from tests.factories import make_circle, make_user
from tests.privacy.samples import sample_data


@sample_data
def circles(person) -> list[str]:
    tag = secrets.token_hex(4)
    name, place, note = f"Sample circle {tag}", f"Sample place {tag}", f"Sample change {tag}"
    own = make_circle(person, name=name, place=place)
    hosting.cancel_session(own, occurrences.upcoming(own)[0], note)
    membership.join(own, make_user("survivor"))

    host = make_user("mentor")
    first = datetime.now(UTC).date() - timedelta(days=3)
    joined = make_circle(host, first_date=first, tzid="UTC", start_time=time(0, 0))
    membership.join(joined, person)
    key = datetime.combine(first, time(0), tzinfo=UTC)
    [session] = occurrences.sessions(joined, key, key)
    hosting.mark_attendance(joined, session, {person.public_id})
    drop_in = make_circle(host, capacity=3)
    membership.rsvp(drop_in, person, occurrences.upcoming(drop_in)[0])
    return [name, place, note]
