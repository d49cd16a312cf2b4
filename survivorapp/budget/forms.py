"""Small hand-written validators. Each returns (values, errors); `errors` maps a field name to
a translated message, and the view re-renders the form with what the person typed."""

from __future__ import annotations

from datetime import date, timedelta

from flask_babel import lazy_gettext as _l
from werkzeug.datastructures import MultiDict

from . import money, services
from .services import EXPENSE, INCOME, NAME_MAX, NOTE_MAX


def _text(form: MultiDict, name: str) -> str:
    value = form.get(name, "")
    return value if isinstance(value, str) else ""


def _date(text: str, *, earliest: date, latest: date, errors: dict, name: str) -> date | None:
    try:
        value = date.fromisoformat(text.strip())
    except ValueError:
        errors[name] = _l("Enter a date like 2026-01-31.")
        return None
    if value < earliest:
        errors[name] = _l("That date is too long ago.")
        return None
    if value > latest:
        errors[name] = _l("That date is too far ahead.")
        return None
    return value


def entry(form: MultiDict, user, currency: str) -> tuple[dict, dict]:
    errors: dict[str, object] = {}
    values: dict[str, object] = {}
    kind = _text(form, "kind")
    if kind not in (EXPENSE, INCOME):
        errors["kind"] = _l("Choose money in or money spent.")
        kind = EXPENSE
    values["kind"] = kind
    keys = {k for k, _ in services.category_choices(user, kind)}
    category = _text(form, "category")
    if category not in keys:
        errors["category"] = _l("Choose a category from the list.")
    values["category"] = category
    try:
        values["amount_minor"] = money.parse_amount(_text(form, "amount"), currency)
    except money.MoneyError as exc:
        errors["amount"] = exc.message
    raw_date = _text(form, "on_date")
    if raw_date.strip():
        values["on_date"] = _date(
            raw_date,
            earliest=services.EARLIEST,
            latest=services.latest_allowed(user),
            errors=errors,
            name="on_date",
        )
    else:
        values["on_date"] = services.today_for(user)
    note = _text(form, "note").strip()
    if len(note) > NOTE_MAX:
        errors["note"] = _l("Keep the note under %(max)s characters.", max=NOTE_MAX)
    values["note"] = note or None
    values["currency"] = currency
    return values, errors


def plan(form: MultiDict, user, currency: str) -> tuple[dict, dict]:
    errors: dict[str, object] = {}
    amounts: dict[str, int | None] = {}
    for key, _label in services.category_choices(user, EXPENSE):
        raw = _text(form, f"plan-{key}").strip()
        if not raw:
            amounts[key] = None
            continue
        try:
            amounts[key] = money.parse_amount(raw, currency, allow_zero=True)
        except money.MoneyError as exc:
            errors[f"plan-{key}"] = exc.message
    return amounts, errors


def name(form: MultiDict, field: str = "name") -> tuple[str, dict]:
    value = _text(form, field).strip()
    if not value:
        return value, {field: _l("Enter a name.")}
    if len(value) > NAME_MAX:
        return value, {field: _l("Keep the name under %(max)s characters.", max=NAME_MAX)}
    return value, {}


def goal(form: MultiDict, user, currency: str) -> tuple[dict, dict]:
    title, errors = name(form)
    values: dict[str, object] = {"name": title, "currency": currency}
    kind = _text(form, "kind") or "goal"
    if kind not in ("goal", "bills"):
        errors["kind"] = _l("Choose what the money is for.")
    values["kind"] = kind
    try:
        values["target_minor"] = money.parse_amount(_text(form, "target"), currency)
    except money.MoneyError as exc:
        errors["target"] = exc.message
    raw_date = _text(form, "target_date")
    values["target_date"] = None
    if raw_date.strip():
        today = services.today_for(user)
        values["target_date"] = _date(
            raw_date,
            earliest=today,
            latest=today + timedelta(days=366 * 30),
            errors=errors,
            name="target_date",
        )
    elif kind == "bills":
        errors["target_date"] = _l("Enter the date the bill is due.")
    return values, errors


def contribution(form: MultiDict, goal, currency: str) -> tuple[int | None, dict]:
    direction = _text(form, "direction") or "in"
    if direction not in ("in", "out"):
        return None, {"amount": _l("Choose whether to put money in or take it out.")}
    try:
        amount = money.parse_amount(_text(form, "amount"), currency)
    except money.MoneyError as exc:
        return None, {"amount": exc.message}
    if direction == "out":
        if amount > goal.saved_minor:
            return None, {
                "amount": _l(
                    "That is more than you have put aside (%(saved)s).",
                    saved=money.money(goal.saved_minor, currency),
                )
            }
        amount = -amount
    return amount, {}


def currency(form: MultiDict) -> tuple[str, dict]:
    code = _text(form, "currency").strip().upper()
    if not money.valid_currency(code):
        return code, {"currency": _l("Enter a three-letter currency code, like EUR or USD.")}
    return code, {}
