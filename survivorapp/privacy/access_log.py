"""What a survivor sees on /privacy/access (and in their export): who looked at what, when."""

from __future__ import annotations

from sqlalchemy import Select, select

from ..accounts.models import User
from ..extensions import db
from ..people.contact_names import contact_name
from .models import AccessEvent
from .registry import access_label


def access_events_query(subject_id: int) -> Select:
    return (
        select(AccessEvent)
        .where(AccessEvent.subject_id == subject_id)
        .order_by(AccessEvent.at.desc(), AccessEvent.id.desc())
    )


def access_rows(subject_id: int, limit: int = 200) -> list[dict]:
    rows = []
    names: dict[int, str | None] = {}
    for event in db.session.scalars(access_events_query(subject_id).limit(limit)):
        if event.viewer_id is not None and event.viewer_id not in names:
            viewer = db.session.get(User, event.viewer_id)
            # The name this member of staff shows to the people they support, as elsewhere.
            names[event.viewer_id] = contact_name(viewer) if viewer else None
        rows.append(
            {
                "who": names.get(event.viewer_id) if event.viewer_id else None,
                "area": access_label(event.area) or event.area,
                "what": event.what,
                "at": event.at,
            }
        )
    return rows
