"""Words for states and history lines, as the survivor and as staff see them."""

from flask_babel import lazy_gettext as _l

STATE_LABELS = {
    "private": _l("Private: only you can see it"),
    "submitted": _l("Sent: waiting for a reply"),
    "changes_requested": _l("Changes suggested"),
    "approved": _l("Approved"),
    "disagreed": _l("You disagreed with the suggestion"),
}
STAFF_STATE_LABELS = {
    "private": _l("Private"),
    "submitted": _l("Waiting for your decision"),
    "changes_requested": _l("Changes asked for"),
    "approved": _l("Approved"),
    "disagreed": _l("Disagrees with the request"),
}
EVENT_LABELS = {
    "created": _l("Created the goal"),
    "adopted": _l("Started the goal from a ready-made plan"),
    "edited": _l("Changed the goal"),
    "submitted": _l("Sent the goal for approval"),
    "resubmitted": _l("Sent the goal again"),
    "approved": _l("Approved the goal"),
    "changes_requested": _l("Asked for changes"),
    "disagreed": _l("Disagreed with the request"),
    "achieved": _l("Marked the goal as achieved"),
    "reopened": _l("Opened the goal again"),
    "archived": _l("Put the goal away"),
    "restored": _l("Brought the goal back"),
}
# The viewer's own lines are whole sentences: "You" with a third-person verb is wrong in most
# of our languages ("Tú creó", "أنت أنشأ"), and each language conjugates its own way.
OWN_EVENT_LABELS = {
    "created": _l("You created the goal"),
    "adopted": _l("You started the goal from a ready-made plan"),
    "edited": _l("You changed the goal"),
    "submitted": _l("You sent the goal for approval"),
    "resubmitted": _l("You sent the goal again"),
    "approved": _l("You approved the goal"),
    "changes_requested": _l("You asked for changes"),
    "disagreed": _l("You disagreed with the request"),
    "achieved": _l("You marked the goal as achieved"),
    "reopened": _l("You opened the goal again"),
    "archived": _l("You put the goal away"),
    "restored": _l("You brought the goal back"),
}
