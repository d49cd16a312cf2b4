"""The demo organisation has believable appointments that render for each role."""

from sqlalchemy import select

from survivorapp.accounts.models import User
from survivorapp.appointments.models import Appointment, Outcome
from survivorapp.extensions import db
from tests.helpers import sign_in, text


def _person(name: str) -> User:
    return next(u for u in db.session.scalars(select(User)) if u.pseudonym == name)


def test_demo_appointments_render(app, runner):
    assert runner.invoke(args=["demo"]).exit_code == 0
    mai, sam = app.test_client(), app.test_client()
    sign_in(mai, _person("Mai"))
    sign_in(sam, _person("Sam"))
    home = text(mai.get("/home"))
    assert "Next up" in home and "Counselling" in home and "Earlier" in home
    assert "Olena" in text(sam.get("/appointments/requests"))
    assert "1 request to move" in text(sam.get("/staff"))
    # Past appointments: one the person marked, one their case worker marked, one not yet.
    earlier = text(mai.get("/appointments")).split("earlier or cancelled")[1]
    assert "Health" in earlier and "Attended" in earlier and "Missed" not in earlier
    missed = db.session.scalars(select(Appointment).where(Appointment.outcome.is_not(None)))
    [missed] = [a for a in missed if a.outcome == Outcome.MISSED]
    assert missed.survivor_id == _person("Olena").id
    page = text(sam.get(f"/appointments/{missed.public_id}"))
    assert "You marked this as missed." in page and "Did Olena come?" in page
