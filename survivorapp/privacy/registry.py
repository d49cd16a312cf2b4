"""What each feature tells privacy about its data, registered at import time.

    from survivorapp.privacy.registry import consent_area, eraser, exporter

    # a consent area (privacy defines the five current ones in privacy/areas.py)
    consent_area("goals", label=_l("Goals"), explains=_l("..."), default=True)

    @exporter("goals")                 # a consent area key, or a name with label=_l("...")
    def export_goals(user) -> list[dict]:
        return [{_l("Goal"): goal.title, _l("Added"): goal.created_at} for goal in ...]

    @eraser("goals")
    def erase_goals(user) -> None:     # delete the feature's personal rows for this person
        db.session.execute(delete(Goal).where(Goal.owner_id == user.id))

Exporters return plain data: a list of dicts whose keys are (lazy) translated labels and whose
values are str, int, bool, None, datetime/date, or lists of those. The export turns them into the
HTML page (dates in the person's time zone) and the JSON file (ISO 8601). Erasers run in ONE
transaction before the user row is deleted; they must not commit.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class ConsentArea:
    key: str
    label: object  # lazy translated
    explains: object  # lazy translated: what staff see when it is shared
    default: bool  # shared by default?
    order: int = 50


@dataclass(frozen=True)
class AccessArea:
    """Something staff or an admin can open that is not a consent area (e.g. the profile)."""

    key: str
    label: object


@dataclass(frozen=True)
class Exporter:
    name: str
    label: object
    fn: Callable
    order: int


@dataclass(frozen=True)
class Eraser:
    name: str
    fn: Callable
    order: int


_areas: dict[str, ConsentArea] = {}
_access_areas: dict[str, AccessArea] = {}
_exporters: dict[str, Exporter] = {}
_erasers: dict[str, Eraser] = {}


def consent_area(key: str, *, label, explains, default: bool, order: int = 50) -> ConsentArea:
    """Declare an area a survivor chooses to share with staff or keep private."""
    if key in _areas:
        return _areas[key]
    area = ConsentArea(key, label, explains, bool(default), order)
    _areas[key] = area
    return area


def access_area(key: str, *, label) -> AccessArea:
    """Declare something that access can be logged for without a consent choice."""
    if key not in _access_areas:
        _access_areas[key] = AccessArea(key, label)
    return _access_areas[key]


def areas() -> list[ConsentArea]:
    return sorted(_areas.values(), key=lambda a: (a.order, a.key))


def get_area(key: str) -> ConsentArea:
    """The consent area for a key; KeyError for a key nobody declared (a programming error)."""
    return _areas[key]


def access_label(key: str):
    """The label to show for an access-log area key (consent areas and access areas)."""
    if key in _areas:
        return _areas[key].label
    if key in _access_areas:
        return _access_areas[key].label
    return None


def is_access_area(key: str) -> bool:
    return key in _areas or key in _access_areas


def exporter(name: str, *, label=None, order: int = 50) -> Callable[[Callable], Callable]:
    """Register fn(user) -> list[dict] for the export. The name may be a consent area key
    (its label is used) or any name with a label."""

    def register(fn: Callable) -> Callable:
        title = label if label is not None else (_areas[name].label if name in _areas else None)
        if title is None:
            raise ValueError(f"exporter {name!r} needs a label")
        _exporters.setdefault(name, Exporter(name, title, fn, order))
        return fn

    return register


def exporters() -> list[Exporter]:
    return sorted(_exporters.values(), key=lambda e: (e.order, e.name))


def eraser(name: str, *, order: int = 50) -> Callable[[Callable], Callable]:
    """Register fn(user) -> None that deletes a feature's personal rows for the person."""

    def register(fn: Callable) -> Callable:
        _erasers.setdefault(name, Eraser(name, fn, order))
        return fn

    return register


def erasers() -> list[Eraser]:
    return sorted(_erasers.values(), key=lambda e: (e.order, e.name))
