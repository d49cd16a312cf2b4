"""Consent: per survivor, per area, shared with staff or private. No row means the default.

from survivorapp.privacy import consent
consent.allows(survivor.id, "budget_summary")            -> bool
select(Goal).where(consent.allows_clause(Goal.owner_id, "goals"))
"""

from __future__ import annotations

from flask_babel import _
from sqlalchemy import ColumnElement, exists, false, select, true

from ..accounts.models import User
from ..database import utcnow
from ..extensions import db
from ..security import audit
from . import areas as _areas  # noqa: F401  (declares the consent areas)
from .models import ConsentChange, ConsentChoice
from .registry import areas as consent_areas
from .registry import get_area

SHARED, PRIVATE = "shared", "private"


def allows(survivor_id: int, area_key: str) -> bool:
    area = get_area(area_key)
    shared = db.session.scalar(
        select(ConsentChoice.shared).where(
            ConsentChoice.survivor_id == survivor_id, ConsentChoice.area == area.key
        )
    )
    return area.default if shared is None else bool(shared)


def allows_clause(survivor_id_column, area_key: str) -> ColumnElement[bool]:
    """True where the survivor in `survivor_id_column` shares `area_key` with staff."""
    area = get_area(area_key)
    opposite = exists().where(
        ConsentChoice.survivor_id == survivor_id_column,
        ConsentChoice.area == area.key,
        ConsentChoice.shared.is_(false() if area.default else true()),
    )
    return ~opposite if area.default else opposite


def choices_for(survivor_id: int | None) -> dict[str, bool]:
    """Every area's current choice (defaults filled in)."""
    stored = {}
    if survivor_id is not None:
        stored = dict(
            db.session.execute(
                select(ConsentChoice.area, ConsentChoice.shared).where(
                    ConsentChoice.survivor_id == survivor_id
                )
            ).all()
        )
    return {a.key: bool(stored.get(a.key, a.default)) for a in consent_areas()}


def set_choices(survivor: User, choices: dict[str, bool], *, actor: User | None = None) -> list:
    """Apply choices at once and record each real change in the history. Caller commits."""
    current = choices_for(survivor.id)
    changed = []
    for key, shared in choices.items():
        get_area(key)  # unknown keys are a programming error here: forms check first
        row = db.session.get(ConsentChoice, (survivor.id, key))
        if row is None:
            db.session.add(ConsentChoice(survivor_id=survivor.id, area=key, shared=shared))
        elif row.shared != shared:
            row.shared = shared
            row.changed_at = utcnow()
        if current[key] != shared:
            db.session.add(
                ConsentChange(
                    survivor_id=survivor.id,
                    area=key,
                    shared=shared,
                    changed_by_id=getattr(actor, "id", actor),
                )
            )
            changed.append(key)
    if changed:
        audit.record("consent_changed", actor=actor, subject=survivor, areas=sorted(changed))
    db.session.flush()
    return changed


def history_for(survivor_id: int) -> list[ConsentChange]:
    return list(
        db.session.scalars(
            select(ConsentChange)
            .where(ConsentChange.survivor_id == survivor_id)
            .order_by(ConsentChange.at.desc(), ConsentChange.id.desc())
        )
    )


def parse_consent_form(form) -> tuple[dict[str, bool], dict[str, str], list[str]]:
    """(choices, errors by area key, unknown field names) from fields `area-<key>`."""
    known = {a.key for a in consent_areas()}
    unknown = sorted(k for k in form if k.startswith("area-") and k[5:] not in known)
    choices: dict[str, bool] = {}
    errors: dict[str, str] = {}
    for area in consent_areas():
        value = form.get(f"area-{area.key}")
        if value == SHARED:
            choices[area.key] = True
        elif value == PRIVATE:
            choices[area.key] = False
        elif not value:
            errors[area.key] = _("Choose whether to share this or keep it private.")
        else:
            errors[area.key] = _("Choose one of the two options.")
    return choices, errors, unknown


def consent_form_context(survivor: User | None = None, form=None, errors=None) -> dict:
    """What privacy/_consent_form.html needs. With a submitted form, keeps what was chosen."""
    values = {
        k: (SHARED if v else PRIVATE) for k, v in choices_for(getattr(survivor, "id", None)).items()
    }
    if form is not None:
        for area in consent_areas():
            submitted = form.get(f"area-{area.key}")
            values[area.key] = submitted if submitted in (SHARED, PRIVATE) else None
    return {
        "consent_areas": consent_areas(),
        "consent_values": values,
        "consent_errors": errors or {},
    }
