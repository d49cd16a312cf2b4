"""Words for states and history lines, as the survivor and as staff see them."""

from flask_babel import lazy_gettext as _l

from .models import EventKind, GoalState

STATE_LABELS = {
    GoalState.PRIVATE: _l("Private: only you can see it"),
    GoalState.SUBMITTED: _l("Sent: waiting for a reply"),
    GoalState.CHANGES_REQUESTED: _l("Changes suggested"),
    GoalState.APPROVED: _l("Approved"),
    GoalState.DISAGREED: _l("You disagreed with the suggestion"),
}
STAFF_STATE_LABELS = {
    GoalState.PRIVATE: _l("Private"),
    GoalState.SUBMITTED: _l("Waiting for your decision"),
    GoalState.CHANGES_REQUESTED: _l("Changes asked for"),
    GoalState.APPROVED: _l("Approved"),
    GoalState.DISAGREED: _l("Disagrees with the request"),
}
EVENT_LABELS = {
    EventKind.CREATED: _l("Created the goal"),
    EventKind.ADOPTED: _l("Started the goal from a ready-made plan"),
    EventKind.EDITED: _l("Changed the goal"),
    EventKind.SUBMITTED: _l("Sent the goal for approval"),
    EventKind.RESUBMITTED: _l("Sent the goal again"),
    EventKind.APPROVED: _l("Approved the goal"),
    EventKind.CHANGES_REQUESTED: _l("Asked for changes"),
    EventKind.DISAGREED: _l("Disagreed with the request"),
    EventKind.ACHIEVED: _l("Marked the goal as achieved"),
    EventKind.REOPENED: _l("Opened the goal again"),
    EventKind.ARCHIVED: _l("Put the goal away"),
    EventKind.RESTORED: _l("Brought the goal back"),
}
# The viewer's own lines are whole sentences: "You" with a third-person verb is wrong in most
# of our languages ("Tú creó", "أنت أنشأ"), and each language conjugates its own way.
OWN_EVENT_LABELS = {
    EventKind.CREATED: _l("You created the goal"),
    EventKind.ADOPTED: _l("You started the goal from a ready-made plan"),
    EventKind.EDITED: _l("You changed the goal"),
    EventKind.SUBMITTED: _l("You sent the goal for approval"),
    EventKind.RESUBMITTED: _l("You sent the goal again"),
    EventKind.APPROVED: _l("You approved the goal"),
    EventKind.CHANGES_REQUESTED: _l("You asked for changes"),
    EventKind.DISAGREED: _l("You disagreed with the request"),
    EventKind.ACHIEVED: _l("You marked the goal as achieved"),
    EventKind.REOPENED: _l("You opened the goal again"),
    EventKind.ARCHIVED: _l("You put the goal away"),
    EventKind.RESTORED: _l("You brought the goal back"),
}
