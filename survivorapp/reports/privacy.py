"""What reports tell privacy: the choice to be counted, and the check-ins' export and erasure."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, select

from ..accounts.models import User
from ..extensions import db
from ..privacy.registry import consent_area, eraser, exporter
from .forms import HELPED, HINDERED
from .models import CheckIn

COUNTED = "counted_in_reports"

# Opt-in (default False): being counted is a choice, made at enrolment where every area is
# asked explicitly; people enrolled before this area existed are not counted until they say so.
# Survivors own their data (DESIGN §2 rule 4) and consent to data use must be an act, not a
# silence. The price is smaller numbers, which suppression then hides more often.
consent_area(
    COUNTED,
    label=_l("Anonymous totals"),
    explains=_l(
        "Your progress is added to anonymous totals (how many goals, stages, visits and "
        "check-in answers) that the organisation reports. Small numbers are always hidden and "
        "your name, notes and words are never included."
    ),
    default=False,
    order=60,
)


@exporter("check_ins", label=_l("Check-ins"), order=80)
def export_check_ins(user: User) -> list[dict]:
    rows = db.session.scalars(
        select(CheckIn).where(CheckIn.user_id == user.id).order_by(CheckIn.answered_at)
    )
    return [
        {
            _l("Answered"): r.answered_at,
            _l("How safe at home (1 to 5)"): r.safe_at_home,
            _l("What helped most"): str(HELPED[r.helped]) if r.helped else None,
            _l("What got in the way"): str(HINDERED[r.hindered]) if r.hindered else None,
            _l("Anything else"): r.note,
        }
        for r in rows
    ]


@eraser("check_ins")
def erase_check_ins(user: User) -> None:
    db.session.execute(delete(CheckIn).where(CheckIn.user_id == user.id))
