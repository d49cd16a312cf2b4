"""Consent: per survivor, per area, shared with staff or private. No row means the default.

from survivorapp.privacy import consent
consent.allows(survivor.id, "budget_summary")            -> bool
select(Goal).where(consent.allows_clause(Goal.owner_id, "goals"))
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, exists, false, select, true

from ..accounts.models import User
from ..database import utcnow
from ..extensions import db
from ..security import audit
from . import areas as _areas  # noqa: F401  (declares the consent areas)
from .forms import PREFIX, consent_form
from .models import ConsentChange, ConsentChoice
from .registry import areas as consent_areas
from .registry import get_area


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


def parse_consent_form(formdata) -> tuple[dict[str, bool], dict[str, str], list[str]]:
    """(choices, errors by area key, unknown field names) from fields `area-<key>`."""
    form = consent_form(formdata=formdata)
    form.validate()
    errors = {name[len(PREFIX) :]: f.errors[0] for name, f in form._fields.items() if f.errors}
    return form.choices(), errors, form.unknown()


def consent_form_context(survivor: User | None = None, form=None, errors=None) -> dict:
    """What privacy/_consent_form.html needs: `consent_form`, filled with the survivor's
    choices (the defaults without one), or with what was sent (`form`) and its errors."""
    if form is None:
        return {"consent_form": consent_form(choices_for(getattr(survivor, "id", None)))}
    sent = consent_form(formdata=form)
    sent.validate()
    return {"consent_form": sent}
