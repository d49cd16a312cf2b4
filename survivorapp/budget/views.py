"""Views for budget: read a form, call one service, pick a template."""

from __future__ import annotations

from flask import Response, flash, redirect, render_template, request, url_for
from flask_babel import _, format_date, get_locale
from flask_login import current_user

from ..accounts.models import Role
from ..extensions import htmx
from ..i18n import safe_next, text_direction
from ..localtime import today_for
from ..people.caseload import case_worker_of
from ..security import once
from ..security.access import roles_required
from . import access, categories, entries, money, plan, preferences, savings
from . import panels as _panels  # noqa: F401  (registers the home panels and the menu item)
from . import privacy as _privacy  # noqa: F401  (registers the budget's exporters)
from .forms import CategoryForm, ContributionForm, EntryForm, GoalForm, SettingsForm, plan_form
from .models import EntryKind, SavingsKind
from .months import latest_allowed, month_param, month_start
from .pages import bp, current_month, month_arg, months_around, person_currency, to_budget
from .summary import chart, summary, trend

__all__ = ["bp"]


# -- the budget page -------------------------------------------------------------------------


@bp.get("/")
@roles_required(Role.SURVIVOR)
def index():
    first = month_arg()
    settings = preferences.settings_for(current_user)
    custom = categories.custom_categories(current_user)
    month = summary(current_user, first, settings, custom)
    points = trend(current_user, first, settings.currency)
    rtl = text_direction(str(get_locale())) == "rtl"
    hidden = preferences.dismissed(settings)
    # One tip at a time, next to the first category it helps with: useful, never preachy.
    tip_key = next(
        (
            line.tip
            for line in month.lines
            if (line.planned or line.spent) and line.tip and line.tip not in hidden
        ),
        None,
    )
    return render_template(
        "budget/index.html",
        summary=month,
        settings=settings,
        hidden_tips=hidden,
        tip_key=tip_key,
        chart=chart(points, month.planned, rtl=rtl),
        points=points,
        goals=savings.goals_for(current_user),
        this_month=first == current_month(),
        quick=categories.category_choices(current_user, EntryKind.EXPENSE, custom),
        **months_around(first),
    )


def _entry_page(form: EntryForm, status: int = 200, entry=None):
    context = {
        "form": form,
        "kind": form.chosen_kind,
        "entry": entry,
        "action": (
            url_for("budget.update_entry", public_id=entry.public_id)
            if entry
            else url_for("budget.create_entry")
        ),
        "currency": form.currency,
        "example": money.example(form.currency),
        "today": today_for(current_user).isoformat(),
        "latest": latest_allowed(current_user).isoformat(),
    }
    if htmx and status == 200:
        return render_template("budget/_entry_form.html", **context)
    return render_template("budget/add.html", **context), status


@bp.get("/add")
@roles_required(Role.SURVIVOR)
def add():
    kind = EntryKind.INCOME if request.args.get("kind") == EntryKind.INCOME else EntryKind.EXPENSE
    data = {"category": request.args.get("category", "")}
    form = EntryForm(user=current_user, currency=person_currency(), kind=kind, data=data)
    return _entry_page(form)


@bp.post("/entries")
@roles_required(Role.SURVIVOR)
def create_entry():
    form = EntryForm(user=current_user, currency=person_currency())
    if not form.validate_on_submit():
        return _entry_page(form, 422)
    values = form.values()
    if not once.claim(request.form.get("once")):  # a double tap: the first one is saved
        return to_budget(month_start(values["on_date"]))
    entry = entries.add_entry(current_user, **values)
    flash(
        _(
            "Saved: %(amount)s on %(date)s.",
            amount=money.money(entry.amount_minor, entry.currency),
            date=format_date(entry.on_date),
        ),
        "success",
    )
    return to_budget(month_start(entry.on_date))


@bp.get("/entries", endpoint="entries")
@roles_required(Role.SURVIVOR)
def entries_page():
    first = month_arg()
    names = {c.public_id: c.name for c in categories.custom_categories(current_user)}
    return render_template(
        "budget/entries.html",
        rows=entries.entries_in_month(current_user, first),
        label=lambda key: categories.category_label(key, names),
        **months_around(first),
    )


def _entry_form(entry, submitted: bool = False) -> EntryForm:
    """An entry keeps its kind and its currency; the page opens with what it holds."""
    if submitted:
        return EntryForm(user=current_user, currency=entry.currency, kind=entry.kind)
    return EntryForm(
        user=current_user,
        currency=entry.currency,
        kind=entry.kind,
        formdata=None,
        data={
            "category": entry.category,
            "amount": money.for_input(entry.amount_minor, entry.currency),
            "on_date": entry.on_date,
            "note": entry.note or "",
        },
    )


@bp.get("/entries/<public_id>")
@roles_required(Role.SURVIVOR)
def edit_entry(public_id: str):
    entry = access.get_entry_or_404(public_id, current_user)
    return _entry_page(_entry_form(entry), entry=entry)


@bp.post("/entries/<public_id>")
@roles_required(Role.SURVIVOR)
def update_entry(public_id: str):
    entry = access.get_entry_or_404(public_id, current_user)
    form = _entry_form(entry, submitted=True)
    if not form.validate_on_submit():
        return _entry_page(form, 422, entry=entry)
    entries.change_entry(entry, **form.values())
    flash(_("Entry changed."), "success")
    return redirect(url_for("budget.entries", month=month_param(entry.on_date)), code=303)


@bp.post("/entries/<public_id>/delete")
@roles_required(Role.SURVIVOR)
def delete_entry(public_id: str):
    entry = access.get_entry_or_404(public_id, current_user)
    first = month_start(entry.on_date)
    entries.delete_entry(entry)
    flash(_("Entry removed."), "success")
    return redirect(url_for("budget.entries", month=month_param(first)), code=303)


@bp.get("/export.csv")
@roles_required(Role.SURVIVOR)
def export():
    body = entries.export_csv(current_user)
    return Response(
        "\ufeff" + body,  # a BOM, so spreadsheet programs read the text as UTF-8
        mimetype="text/csv",
        headers={"Content-Disposition": 'attachment; filename="entries.csv"'},
    )


# -- plan and categories ---------------------------------------------------------------------


def _plan_form(submitted: bool = False):
    currency = person_currency()
    choices = categories.category_choices(current_user, EntryKind.EXPENSE)
    if submitted:
        return plan_form(choices, currency=currency)
    plans = plan.plans_for(current_user, currency)
    data = {f"plan-{k}": money.for_input(plans.get(k), currency) for k, _ in choices}
    return plan_form(choices, currency=currency, formdata=None, data=data)


def _plan_page(form=None, category_form=None, status: int = 200):
    currency = person_currency()
    return render_template(
        "budget/plan.html",
        form=form or _plan_form(),
        category_form=category_form or CategoryForm(formdata=None),
        choices=categories.category_choices(current_user, EntryKind.EXPENSE),
        custom={c.public_id for c in categories.custom_categories(current_user)},
        currency=currency,
        example=money.example(currency),
    ), status


@bp.get("/plan", endpoint="plan")
@roles_required(Role.SURVIVOR)
def plan_page():
    return _plan_page()


@bp.post("/plan")
@roles_required(Role.SURVIVOR)
def save_plan():
    form = _plan_form(submitted=True)
    if not form.validate_on_submit():
        return _plan_page(form, status=422)
    plan.save_plan(current_user, form.amounts())
    flash(_("Monthly budget saved."), "success")
    return to_budget()


@bp.post("/categories")
@roles_required(Role.SURVIVOR)
def add_category():
    form = CategoryForm(user=current_user)
    if not form.validate_on_submit():
        return _plan_page(category_form=form, status=422)
    if once.claim(request.form.get("once")):
        categories.add_category(current_user, form.name.data)
        flash(_("Category added."), "success")
    return redirect(url_for("budget.plan"), code=303)


@bp.post("/categories/<public_id>/delete")
@roles_required(Role.SURVIVOR)
def delete_category(public_id: str):
    row = access.get_category_or_404(public_id, current_user)
    categories.delete_category(current_user, row)
    flash(_("Category removed. Its spending now counts as Other."), "success")
    return redirect(url_for("budget.plan"), code=303)


# -- settings, sharing, tips -----------------------------------------------------------------


def _settings_page(form: SettingsForm, status: int = 200):
    return render_template(
        "budget/settings.html",
        form=form,
        currencies=money.COMMON_CURRENCIES,
        has_worker=case_worker_of(current_user) is not None,
    ), status


@bp.get("/settings")
@roles_required(Role.SURVIVOR)
def settings():
    data = {
        "currency": person_currency(),
        "share_summary": preferences.shares_summary(current_user),
    }
    return _settings_page(SettingsForm(formdata=None, data=data))


@bp.post("/settings")
@roles_required(Role.SURVIVOR)
def save_settings():
    form = SettingsForm()
    if not form.validate_on_submit():
        return _settings_page(form, 422)
    # The sharing switch is the privacy consent area "budget_summary" (recorded there).
    preferences.save_preferences(current_user, form.currency.data, form.share_summary.data)
    flash(_("Settings saved."), "success")
    return to_budget()


@bp.post("/tips/<key>/dismiss")
@roles_required(Role.SURVIVOR)
def dismiss_tip(key: str):
    preferences.dismiss_tip(current_user, access.tip_or_404(key))
    if htmx:
        return ""
    return redirect(safe_next(request.form.get("next"), url_for("budget.index")), 303)


# -- savings ---------------------------------------------------------------------------------


def _savings_page(form: GoalForm, status: int = 200):
    goals = savings.goals_for(current_user)
    today = today_for(current_user)
    return render_template(
        "budget/savings.html",
        goals=goals,
        form=form,
        currency=form.currency,
        example=money.example(form.currency),
        monthly={g.id: savings.monthly_to_put_aside(g, today) for g in goals},
        hidden_tips=preferences.dismissed(preferences.settings_for(current_user)),
        today=today.isoformat(),
    ), status


def _goal_form(**kwargs) -> GoalForm:
    return GoalForm(user=current_user, currency=person_currency(), **kwargs)


@bp.get("/savings", endpoint="savings")
@roles_required(Role.SURVIVOR)
def savings_page():
    kind = SavingsKind.BILLS if request.args.get("kind") == SavingsKind.BILLS else SavingsKind.GOAL
    return _savings_page(_goal_form(data={"kind": kind}))


@bp.post("/savings")
@roles_required(Role.SURVIVOR)
def create_goal():
    form = _goal_form()
    if not form.validate_on_submit():
        return _savings_page(form, 422)
    if not once.claim(request.form.get("once")):
        return redirect(url_for("budget.savings"), code=303)
    goal = savings.add_goal(current_user, **form.values())
    flash(_("Savings goal added."), "success")
    return redirect(url_for("budget.goal", public_id=goal.public_id), code=303)


def _goal_page(goal, form: ContributionForm, status: int = 200):
    return render_template(
        "budget/goal.html",
        goal=goal,
        form=form,
        monthly=savings.monthly_to_put_aside(goal, today_for(current_user)),
        example=money.example(goal.currency),
    ), status


@bp.get("/savings/<public_id>")
@roles_required(Role.SURVIVOR)
def goal(public_id: str):
    goal = access.get_goal_or_404(public_id, current_user)
    return _goal_page(goal, ContributionForm(goal=goal, currency=goal.currency))


@bp.post("/savings/<public_id>/contributions")
@roles_required(Role.SURVIVOR)
def contribute(public_id: str):
    goal = access.get_goal_or_404(public_id, current_user)
    form = ContributionForm(goal=goal, currency=goal.currency)
    if not form.validate_on_submit():
        return _goal_page(goal, form, 422)
    if once.claim(request.form.get("once")):
        savings.contribute(goal, form.signed_amount, today_for(current_user))
        flash(_("Saved."), "success")
    return redirect(url_for("budget.goal", public_id=goal.public_id), code=303)


@bp.post("/savings/<public_id>/delete")
@roles_required(Role.SURVIVOR)
def delete_goal(public_id: str):
    savings.delete_goal(access.get_goal_or_404(public_id, current_user))
    flash(_("Savings goal removed."), "success")
    return redirect(url_for("budget.savings"), code=303)


# -- a summary shared with staff -------------------------------------------------------------


@bp.get("/shared/<public_id>")
@roles_required(Role.STAFF)
def shared(public_id: str):
    person, first = access.open_shared_summary_or_404(
        current_user, public_id, request.args.get("month")
    )
    return render_template(
        "budget/shared.html",
        person=person,
        summary=summary(person, first),
        **months_around(first),
    )
