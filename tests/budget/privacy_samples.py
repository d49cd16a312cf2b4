"""Sample budget data for the generic privacy checks (tests/privacy/samples.py)."""

from __future__ import annotations

import secrets
from datetime import date

from survivorapp.budget import categories, preferences
from survivorapp.budget.models import BudgetSettings
from survivorapp.extensions import db
from tests.factories import make_entry, make_plan, make_savings_goal
from tests.privacy.samples import sample_data


@sample_data
def budget(person) -> list[str]:
    tag = secrets.token_hex(4)
    category, note, saving = f"Sample category {tag}", f"Sample note {tag}", f"Sample saving {tag}"
    db.session.add(BudgetSettings(user_id=person.id, currency="EUR", dismissed_tips="debt"))
    row = categories.add_category(person, category)
    db.session.flush()
    make_entry(person, 1234, category=row.public_id, on=date(2026, 1, 2), note=note)
    make_plan(person, row.public_id, 5000)
    make_savings_goal(person, 100000, name=saving, saved=2500)
    preferences.set_sharing(person, True)
    return [category, note, saving]
