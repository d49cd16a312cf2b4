"""Views for budget: parse input, call services, pick a template."""

from __future__ import annotations

from decimal import Decimal

from babel.dates import format_skeleton
from babel.numbers import get_currency_name
from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask_babel import _, format_date, format_percent, get_locale
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from ..accounts.models import Role
from ..extensions import db, htmx
from ..home.panels import home_panel
from ..i18n import month_year, safe_next, text_direction
from ..navigation import nav_item
from ..security import once
from ..security.access import roles_required
from . import forms, money, services
from .models import BudgetCategory, BudgetEntry, SavingsGoal
from .services import EXPENSE, INCOME, TIPS

bp = Blueprint("budget", __name__, url_prefix="/budget")

COMMON_CURRENCIES = [
    "EUR",
    "USD",
    "GBP",
    "CHF",
    "PLN",
    "RON",
    "UAH",
    "CZK",
    "HUF",
    "SEK",
    "NOK",
    "DKK",
    "BGN",
    "TRY",
    "MAD",
    "NGN",
    "GHS",
    "KES",
    "THB",
    "VND",
    "PHP",
    "IDR",
    "INR",
    "CNY",
    "JPY",
    "BHD",
    "AED",
    "SAR",
    "EGP",
    "BRL",
    "MXN",
    "COP",
    "PEN",
    "ARS",
]


def month_short(first) -> str:
    return format_skeleton("MMM", first, locale=get_locale())


@bp.context_processor
def helpers():
    return {
        "money": money.money,
        "for_input": money.for_input,
        "month_label": month_year,
        "month_short": month_short,
        "percent": services.progress_percent,
        "percent_label": percent_label,
        "format_date": format_date,
        "currency_name": lambda code: get_currency_name(code, locale=get_locale()),
        "tips": TIPS,
    }


def percent_label(pct: int) -> str:
    return format_percent(Decimal(pct).scaleb(-2))


def _current_month():
    return services.month_start(services.today_for(current_user))


def _month_arg():
    return services.parse_month(request.args.get("month"), services.today_for(current_user))


def _month_param(first) -> str:
    return f"{first.year:04d}-{first.month:02d}"


def _to_budget(first=None, anchor: str = ""):
    args = {"month": _month_param(first)} if first and first != _current_month() else {}
    return redirect(url_for("budget.index", **args) + anchor, code=303)


# -- the budget page -------------------------------------------------------------------------


@bp.get("/")
@roles_required(Role.SURVIVOR)
def index():
    first = _month_arg()
    settings = services.settings_for(current_user)
    custom = services.custom_categories(current_user)
    summary = services.summary(current_user, first, settings, custom)
    points = services.trend(current_user, first, settings.currency)
    rtl = text_direction(str(get_locale())) == "rtl"
    hidden = services.dismissed(settings)
    # One tip at a time, next to the first category it helps with: useful, never preachy.
    tip_key = next(
        (
            line.tip
            for line in summary.lines
            if (line.planned or line.spent) and line.tip and line.tip not in hidden
        ),
        None,
    )
    return render_template(
        "budget/index.html",
        summary=summary,
        settings=settings,
        hidden_tips=hidden,
        tip_key=tip_key,
        chart=services.chart(points, summary.planned, rtl=rtl),
        points=points,
        goals=services.goals_for(current_user),
        first=first,
        this_month=first == _current_month(),
        prev_month=_month_param(services.add_months(first, -1)),
        next_month=_month_param(services.add_months(first, 1)),
        show_next=first < _current_month(),
        quick=services.category_choices(current_user, EXPENSE, custom),
    )


def _entry_page(values: dict, errors: dict, status: int = 200, entry=None):
    currency = entry.currency if entry else services.settings_for(current_user).currency
    kind = values.get("kind") if values.get("kind") in (EXPENSE, INCOME) else EXPENSE
    context = {
        "values": values,
        "errors": errors,
        "kind": kind,
        "entry": entry,
        "action": (
            url_for("budget.update_entry", public_id=entry.public_id)
            if entry
            else url_for("budget.create_entry")
        ),
        "choices": services.category_choices(current_user, kind),
        "currency": currency,
        "example": money.example(currency),
        "today": services.today_for(current_user).isoformat(),
        "latest": services.latest_allowed(current_user).isoformat(),
    }
    if htmx and status == 200:
        return render_template("budget/_entry_form.html", **context)
    return render_template("budget/add.html", **context), status


@bp.get("/add")
@roles_required(Role.SURVIVOR)
def add():
    kind = INCOME if request.args.get("kind") == INCOME else EXPENSE
    category = request.args.get("category", "")
    return _entry_page({"kind": kind, "category": category}, {})


@bp.post("/entries")
@roles_required(Role.SURVIVOR)
def create_entry():
    settings = services.settings_for(current_user)
    values, errors = forms.entry(request.form, current_user, settings.currency)
    if errors:
        typed = {k: request.form.get(k, "") for k in ("kind", "category", "amount", "note")}
        typed["on_date"] = request.form.get("on_date", "")
        return _entry_page(typed, errors, 422)
    if not once.claim(request.form.get("once")):  # a double tap: the first one is saved
        return _to_budget(services.month_start(values["on_date"]))
    entry = services.add_entry(current_user, **values)
    db.session.commit()
    flash(
        _(
            "Saved: %(amount)s on %(date)s.",
            amount=money.money(entry.amount_minor, entry.currency),
            date=format_date(entry.on_date),
        ),
        "success",
    )
    return _to_budget(services.month_start(entry.on_date))


@bp.get("/entries")
@roles_required(Role.SURVIVOR)
def entries():
    first = _month_arg()
    names = {c.public_id: c.name for c in services.custom_categories(current_user)}
    rows = services.entries_in_month(current_user, first)
    return render_template(
        "budget/entries.html",
        rows=rows,
        first=first,
        label=lambda key: services.category_label(key, names),
        prev_month=_month_param(services.add_months(first, -1)),
        next_month=_month_param(services.add_months(first, 1)),
        show_next=first < _current_month(),
    )


@bp.get("/entries/<public_id>")
@roles_required(Role.SURVIVOR)
def edit_entry(public_id: str):
    entry = services.get_owned_or_404(BudgetEntry, public_id, current_user)
    values = {
        "kind": entry.kind,
        "category": entry.category,
        "amount": money.for_input(entry.amount_minor, entry.currency),
        "on_date": entry.on_date.isoformat(),
        "note": entry.note or "",
    }
    return _entry_page(values, {}, entry=entry)


@bp.post("/entries/<public_id>")
@roles_required(Role.SURVIVOR)
def update_entry(public_id: str):
    entry = services.get_owned_or_404(BudgetEntry, public_id, current_user)
    form = request.form.copy()
    form["kind"] = entry.kind  # an entry keeps its kind and its currency
    values, errors = forms.entry(form, current_user, entry.currency)
    if errors:
        typed = {k: request.form.get(k, "") for k in ("category", "amount", "note", "on_date")}
        typed["kind"] = entry.kind
        return _entry_page(typed, errors, 422, entry=entry)
    for name in ("category", "amount_minor", "on_date", "note"):
        setattr(entry, name, values[name])
    db.session.commit()
    flash(_("Entry changed."), "success")
    return redirect(url_for("budget.entries", month=_month_param(entry.on_date)), code=303)


@bp.post("/entries/<public_id>/delete")
@roles_required(Role.SURVIVOR)
def delete_entry(public_id: str):
    entry = services.get_owned_or_404(BudgetEntry, public_id, current_user)
    first = services.month_start(entry.on_date)
    db.session.delete(entry)
    db.session.commit()
    flash(_("Entry removed."), "success")
    return redirect(url_for("budget.entries", month=_month_param(first)), code=303)


@bp.get("/export.csv")
@roles_required(Role.SURVIVOR)
def export():
    body = services.export_csv(current_user)
    return Response(
        "\ufeff" + body,  # a BOM, so spreadsheet programs read the text as UTF-8
        mimetype="text/csv",
        headers={"Content-Disposition": 'attachment; filename="entries.csv"'},
    )


# -- plan and categories ---------------------------------------------------------------------


def _plan_page(typed: dict | None, errors: dict, status: int = 200, name_typed: str = ""):
    settings = services.settings_for(current_user)
    plans = services.plans_for(current_user, settings.currency)
    choices = services.category_choices(current_user, EXPENSE)
    custom = {c.public_id for c in services.custom_categories(current_user)}
    if typed is None:
        typed = {f"plan-{k}": money.for_input(plans.get(k), settings.currency) for k, _ in choices}
    return render_template(
        "budget/plan.html",
        choices=choices,
        custom=custom,
        typed=typed,
        errors=errors,
        currency=settings.currency,
        example=money.example(settings.currency),
        name_typed=name_typed,
    ), status


@bp.get("/plan")
@roles_required(Role.SURVIVOR)
def plan():
    return _plan_page(None, {})


@bp.post("/plan")
@roles_required(Role.SURVIVOR)
def save_plan():
    settings = services.settings_for(current_user)
    amounts, errors = forms.plan(request.form, current_user, settings.currency)
    if errors:
        typed = {k: v for k, v in request.form.items() if k.startswith("plan-")}
        return _plan_page(typed, errors, 422)
    services.save_settings(settings)
    services.set_plans(current_user, settings.currency, amounts)
    db.session.commit()
    flash(_("Monthly budget saved."), "success")
    return _to_budget()


@bp.post("/categories")
@roles_required(Role.SURVIVOR)
def add_category():
    name, errors = forms.name(request.form)
    if not errors and len(services.custom_categories(current_user)) >= (
        services.CUSTOM_CATEGORY_LIMIT
    ):
        errors = {"name": _l("You have the most categories you can add. Remove one first.")}
    if errors:
        return _plan_page(None, errors, 422, name_typed=name)
    if not once.claim(request.form.get("once")):
        return redirect(url_for("budget.plan"), code=303)
    services.add_category(current_user, name)
    db.session.commit()
    flash(_("Category added."), "success")
    return redirect(url_for("budget.plan"), code=303)


@bp.post("/categories/<public_id>/delete")
@roles_required(Role.SURVIVOR)
def delete_category(public_id: str):
    row = services.get_owned_or_404(BudgetCategory, public_id, current_user)
    services.delete_category(current_user, row)
    db.session.commit()
    flash(_("Category removed. Its spending now counts as Other."), "success")
    return redirect(url_for("budget.plan"), code=303)


# -- settings, sharing, tips -----------------------------------------------------------------


def _settings_page(
    settings, errors: dict, status: int = 200, typed: str | None = None, shared=None
):
    return render_template(
        "budget/settings.html",
        settings=settings,
        shared=services.shares_summary(current_user) if shared is None else shared,
        errors=errors,
        typed=settings.currency if typed is None else typed,
        currencies=COMMON_CURRENCIES,
        has_worker=_case_worker() is not None,
    ), status


def _case_worker():
    from ..people.caseload import case_worker_of

    return case_worker_of(current_user)


@bp.get("/settings")
@roles_required(Role.SURVIVOR)
def settings():
    return _settings_page(services.settings_for(current_user), {})


@bp.post("/settings")
@roles_required(Role.SURVIVOR)
def save_settings():
    row = services.settings_for(current_user)
    code, errors = forms.currency(request.form)
    share = request.form.get("share_summary") == "yes"
    if errors:
        typed = request.form.get("currency", "")
        return _settings_page(row, errors, 422, typed=typed, shared=share)
    # The sharing switch is the privacy consent area "budget_summary" (recorded there).
    services.set_sharing(current_user, share)
    row.currency = code
    services.save_settings(row)
    db.session.commit()
    flash(_("Settings saved."), "success")
    return _to_budget()


@bp.post("/tips/<key>/dismiss")
@roles_required(Role.SURVIVOR)
def dismiss_tip(key: str):
    # The answer is built before the commit: nothing can fail once the change is saved.
    if htmx:
        response = ""
    else:
        response = redirect(safe_next(request.form.get("next"), url_for("budget.index")), 303)
    services.dismiss_tip(current_user, key)
    db.session.commit()
    return response


# -- savings ---------------------------------------------------------------------------------


def _savings_page(values: dict, errors: dict, status: int = 200):
    settings = services.settings_for(current_user)
    goals = services.goals_for(current_user)
    today = services.today_for(current_user)
    return render_template(
        "budget/savings.html",
        goals=goals,
        values=values,
        errors=errors,
        currency=settings.currency,
        example=money.example(settings.currency),
        monthly={g.id: services.monthly_to_put_aside(g, today) for g in goals},
        hidden_tips=services.dismissed(settings),
        today=today.isoformat(),
    ), status


@bp.get("/savings")
@roles_required(Role.SURVIVOR)
def savings():
    return _savings_page({"kind": request.args.get("kind", "goal")}, {})


@bp.post("/savings")
@roles_required(Role.SURVIVOR)
def create_goal():
    settings = services.settings_for(current_user)
    values, errors = forms.goal(request.form, current_user, settings.currency)
    if errors:
        typed = {k: request.form.get(k, "") for k in ("name", "kind", "target", "target_date")}
        return _savings_page(typed, errors, 422)
    if not once.claim(request.form.get("once")):
        return redirect(url_for("budget.savings"), code=303)
    goal = SavingsGoal(user_id=current_user.id, **values)
    db.session.add(goal)
    db.session.commit()
    flash(_("Savings goal added."), "success")
    return redirect(url_for("budget.goal", public_id=goal.public_id), code=303)


def _goal_page(goal, errors: dict, typed: dict, status: int = 200):
    today = services.today_for(current_user)
    return render_template(
        "budget/goal.html",
        goal=goal,
        errors=errors,
        typed=typed,
        monthly=services.monthly_to_put_aside(goal, today),
        example=money.example(goal.currency),
    ), status


@bp.get("/savings/<public_id>")
@roles_required(Role.SURVIVOR)
def goal(public_id: str):
    return _goal_page(services.get_owned_or_404(SavingsGoal, public_id, current_user), {}, {})


@bp.post("/savings/<public_id>/contributions")
@roles_required(Role.SURVIVOR)
def contribute(public_id: str):
    goal = services.get_owned_or_404(SavingsGoal, public_id, current_user)
    amount, errors = forms.contribution(request.form, goal, goal.currency)
    if errors:
        typed = {k: request.form.get(k, "") for k in ("amount", "direction")}
        return _goal_page(goal, errors, typed, 422)
    if not once.claim(request.form.get("once")):
        return redirect(url_for("budget.goal", public_id=goal.public_id), code=303)
    services.contribute(goal, amount, services.today_for(current_user))
    db.session.commit()
    flash(_("Saved."), "success")
    return redirect(url_for("budget.goal", public_id=goal.public_id), code=303)


@bp.post("/savings/<public_id>/delete")
@roles_required(Role.SURVIVOR)
def delete_goal(public_id: str):
    goal = services.get_owned_or_404(SavingsGoal, public_id, current_user)
    db.session.delete(goal)
    db.session.commit()
    flash(_("Savings goal removed."), "success")
    return redirect(url_for("budget.savings"), code=303)


# -- a summary shared with staff -------------------------------------------------------------


@bp.get("/shared/<public_id>")
@roles_required(Role.STAFF)
def shared(public_id: str):
    person, first = services.open_shared_summary_or_404(
        current_user, public_id, request.args.get("month")
    )
    summary = services.summary(person, first)
    return render_template(
        "budget/shared.html",
        person=person,
        summary=summary,
        first=first,
        prev_month=_month_param(services.add_months(first, -1)),
        next_month=_month_param(services.add_months(first, 1)),
    )


# -- home panels and navigation --------------------------------------------------------------


@home_panel("survivor", order=30)
def survivor_panel(user) -> str:
    first = services.month_start(services.today_for(user))
    summary = services.summary(user, first)
    return render_template(
        "budget/_home_panel.html", summary=summary, money=money.money, month_label=month_year
    )


@home_panel("staff", order=60)
def staff_panel(user) -> str:
    people = services.sharing_with(user)
    if not people:
        return ""
    return render_template("budget/_staff_panel.html", people=people)


nav_item("budget.index", _l("Budget"), roles=(Role.SURVIVOR,), order=30)
