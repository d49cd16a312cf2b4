"""Privacy fixtures: a staff view that goes through privacy's checks, like features' will."""

from __future__ import annotations

import pytest
from flask import Blueprint, abort
from flask_login import current_user
from sqlalchemy import select

from survivorapp.accounts.models import User
from survivorapp.extensions import db
from survivorapp.privacy import areas
from survivorapp.privacy.services import open_or_404
from survivorapp.security.access import roles_required


@pytest.fixture
def staff_app(make_app):
    """An app with a small staff view of a survivor's budget summary, as a feature would
    write it: open_or_404 checks caseload and consent, then logs the access."""
    app = make_app()
    bp = Blueprint("budget_probe", __name__)

    @bp.get("/probe/budget/<public_id>")
    @roles_required("staff", "admin")
    def budget(public_id: str):
        subject = db.session.scalar(select(User).where(User.public_id == public_id))
        if subject is None:
            abort(404)
        open_or_404(current_user, subject, areas.BUDGET_SUMMARY, what="monthly totals")
        return "budget-summary-for-" + subject.public_id

    app.register_blueprint(bp)
    with app.app_context():
        yield app
        db.session.remove()
