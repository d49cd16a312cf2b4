"""The consent areas survivors choose about, and what can be opened without one.

Features refer to these by key: BOOKED_APPOINTMENTS, GOALS, BUDGET_SUMMARY, OWN_APPOINTMENTS,
CIRCLE_ATTENDANCE (consent areas) and PROFILE (an access-log area with no consent choice).
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from .registry import access_area, consent_area

BOOKED_APPOINTMENTS = "booked_appointments"
GOALS = "goals"
BUDGET_SUMMARY = "budget_summary"
OWN_APPOINTMENTS = "own_appointments"
CIRCLE_ATTENDANCE = "circle_attendance"
PROFILE = "profile"

consent_area(
    BOOKED_APPOINTMENTS,
    label=_l("Appointments the team booked for you"),
    explains=_l(
        "The team can see the appointments they booked with you: the time, the place and any "
        "notes they added."
    ),
    default=True,
    order=10,
)
consent_area(
    GOALS,
    label=_l("Goals you send for approval"),
    explains=_l(
        "When you send a goal for approval, the team can read it and comment. Goals you keep "
        "to yourself are never shown."
    ),
    default=True,
    order=20,
)
consent_area(
    BUDGET_SUMMARY,
    label=_l("Budget summary"),
    explains=_l(
        "The team can see your monthly totals and savings. They never see single entries or "
        "your notes."
    ),
    default=False,
    order=30,
)
consent_area(
    OWN_APPOINTMENTS,
    label=_l("Appointments you added yourself"),
    explains=_l("The team can see the time and place of appointments you added yourself."),
    default=False,
    order=40,
)
consent_area(
    CIRCLE_ATTENDANCE,
    label=_l("Group attendance"),
    explains=_l(
        "The team can see which group meetings you said you would go to, and whether the "
        "group host marked you as there."
    ),
    default=False,
    order=50,
)
access_area(PROFILE, label=_l("Your profile"))
