"""The budget's panels on the home pages and its place in the navigation."""

from __future__ import annotations

from flask import render_template
from flask_babel import lazy_gettext as _l

from ..accounts.models import Role
from ..home.panels import home_panel
from ..i18n import month_year
from ..localtime import today_for
from ..navigation import nav_item
from . import money, preferences
from .months import month_start
from .summary import summary


@home_panel("survivor", order=30)
def survivor_panel(user) -> str:
    month = summary(user, month_start(today_for(user)))
    return render_template(
        "budget/_home_panel.html", summary=month, money=money.money, month_label=month_year
    )


@home_panel("staff", order=60)
def staff_panel(user) -> str:
    people = preferences.sharing_with(user)
    if not people:
        return ""
    return render_template("budget/_staff_panel.html", people=people)


nav_item("budget.index", _l("Budget"), roles=(Role.SURVIVOR,), order=30)
