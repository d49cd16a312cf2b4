"""The words for an appointment's kind, status and outcome, and a request's status."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from .models import Kind, Outcome, RequestStatus, Status

KIND_LABELS = {
    Kind.COUNSELLING: _l("Counselling"),
    Kind.LEGAL_AID: _l("Legal aid"),
    Kind.HOUSING: _l("Housing check-in"),
    Kind.TRAINING: _l("Training or class"),
    Kind.HEALTH: _l("Health"),
    Kind.OTHER: _l("Other"),
}
STATUS_LABELS = {
    Status.SCHEDULED: _l("Not confirmed yet"),
    Status.CONFIRMED: _l("Confirmed"),
    Status.CANCELLED: _l("Cancelled"),
}
OUTCOME_LABELS = {
    Outcome.ATTENDED: _l("Attended"),
    Outcome.MISSED: _l("Missed"),
}
REQUEST_LABELS = {
    RequestStatus.OPEN: _l("Waiting for an answer"),
    RequestStatus.ACCEPTED: _l("Accepted"),
    RequestStatus.DECLINED: _l("Declined"),
    RequestStatus.COUNTERED: _l("Another time was offered"),
    RequestStatus.WITHDRAWN: _l("Withdrawn"),
}
