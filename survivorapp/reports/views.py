"""Views for reports: aggregate outcomes for staff and admins, and the survivor's check-in."""

from __future__ import annotations

from datetime import timedelta

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask_babel import _, format_date, format_decimal
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from ..accounts.models import Role
from ..database import utcnow
from ..extensions import htmx
from ..home.panels import home_panel
from ..navigation import nav_item
from ..security import once
from ..security.access import roles_required
from . import check_ins, forms, services
from . import privacy as _privacy  # noqa: F401  (registers the consent area, exporter, eraser)
from .access import get_check_in_or_404, scope_for
from .scope import org_today

bp = Blueprint("reports", __name__, url_prefix="/reports")

team_only = roles_required(Role.STAFF, Role.ADMIN)
survivor_only = roles_required(Role.SURVIVOR)
CHECK_IN_EVERY = timedelta(days=28)  # the invitation shows again after four weeks


def _period_form() -> forms.PeriodForm:
    form = forms.PeriodForm(request.args, today=org_today())
    form.validate()
    return form


@bp.get("/")
@team_only
def index():
    form = _period_form()
    scope = scope_for(current_user)
    report = None if form.errors else services.build(scope, form.period)
    context = {
        "report": report,
        "form": form,
        "period": form.period,
        "scope": scope,
        "hidden_text": services.hidden_text(),
        "rounding_note": services.rounding_note(),
        "too_few_text": services.too_few_text(),
        "withheld_text": services.withheld_text(),
    }
    if htmx and not form.errors:
        return render_template("reports/_report.html", **context)
    return render_template("reports/index.html", **context), (422 if form.errors else 200)


@bp.get("/report.csv")
@team_only
def export():
    form = _period_form()
    if form.errors:
        return index()
    period = form.period
    body = services.export_csv(services.build(scope_for(current_user), period))
    name = f"report-{period.param('from')}-{period.param('to')}.csv"
    return Response(
        "\ufeff" + body,  # a BOM, so spreadsheet programs read the text as UTF-8
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


# -- check-in ----------------------------------------------------------------------------------


def _check_in_page(form: forms.CheckInForm, status: int = 200):
    return (
        render_template(
            "reports/check_in.html",
            form=form,
            history=check_ins.own_check_ins(current_user),
            helped=forms.HELPED,
            hindered=forms.HINDERED,
            safe_labels=forms.SAFE_LABELS,
            note_max=forms.NOTE_MAX,
        ),
        status,
    )


@bp.get("/check-in")
@survivor_only
def check_in():
    return _check_in_page(forms.CheckInForm())


@bp.post("/check-in")
@survivor_only
def save_check_in():
    form = forms.CheckInForm()
    if not form.validate_on_submit():
        return _check_in_page(form, 422)
    if not once.claim(request.form.get("once")):  # a double tap: the first one is saved
        return redirect(url_for("reports.check_in"), code=303)
    check_ins.add_check_in(current_user, form.answers())
    flash(_("Thank you. Your answers are saved."), "success")
    return redirect(url_for("reports.check_in"), code=303)


@bp.post("/check-in/<public_id>/delete")
@survivor_only
def delete_check_in(public_id: str):
    check_ins.remove_check_in(get_check_in_or_404(public_id, current_user))
    flash(_("Answer removed."), "success")
    return redirect(url_for("reports.check_in"), code=303)


@home_panel("survivor", order=85)
def survivor_panel(user) -> str:
    last = check_ins.last_check_in_at(user)
    due = last is None or utcnow() - last > CHECK_IN_EVERY
    return render_template("reports/_home_panel.html", due=due)


@home_panel("staff", order=95)
def staff_panel(user) -> str:
    if user.has_role(Role.ADMIN):
        return ""  # the admin home has its own link to the organisation's report
    return render_template("reports/_team_panel.html", organisation=False)


@home_panel("admin", order=40)
def admin_panel(user) -> str:
    return render_template("reports/_team_panel.html", organisation=True)


@bp.app_template_filter("report_number")
def report_number(value) -> str:
    return format_decimal(value)


@bp.app_template_filter("report_date")
def report_date(value) -> str:
    return format_date(value, "medium")


nav_item("reports.index", _l("Reports"), roles=(Role.STAFF, Role.ADMIN), order=70)
