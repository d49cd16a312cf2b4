"""Deny by default: every view declares who may use it, and a request hook enforces it.

    @public                      anyone, signed in or not
    @signed_in                   any signed-in person
    @roles_required("staff")     signed in and holding one of the roles

A view with no declaration answers 403, and tests/test_access_rules.py fails on it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from flask import Flask, abort, current_app, redirect, request, session, url_for
from flask_login import current_user

from ..extensions import htmx

ALWAYS_PUBLIC = {"static"}


@dataclass(frozen=True)
class Access:
    public: bool = False
    roles: frozenset[str] = frozenset()


def public(view: Callable) -> Callable:
    view.access = Access(public=True)
    return view


def signed_in(view: Callable) -> Callable:
    view.access = Access()
    return view


def roles_required(*roles: str) -> Callable[[Callable], Callable]:
    def mark(view: Callable) -> Callable:
        view.access = Access(roles=frozenset(str(r) for r in roles))
        return view

    return mark


def access_rule(app: Flask, endpoint: str) -> Access | None:
    if endpoint in ALWAYS_PUBLIC:
        return Access(public=True)
    return getattr(app.view_functions.get(endpoint), "access", None)


@dataclass(frozen=True)
class Gate:
    """Something a signed-in session must settle before private pages open (an app PIN still
    to be entered, a new passkey still to be confirmed). While `holds()` is true, every
    signed-in view outside `exempt` answers `answer()` instead."""

    name: str
    holds: Callable[[], bool]
    answer: Callable[[], object]
    exempt: frozenset[str]


gates: list[Gate] = []


def add_gate(gate: Gate) -> None:
    if all(g.name != gate.name for g in gates):
        gates.append(gate)


def fully_signed_in() -> bool:
    """Signed in with nothing left to settle: only then does the navigation show."""
    return current_user.is_authenticated and not any(g.holds() for g in gates)


def to_sign_in():
    target = url_for("accounts.sign_in")
    if htmx:
        return "", 401, {"HX-Redirect": target}
    return redirect(target)


def enforce() -> object | None:
    if request.endpoint is None:  # routing failed: Flask answers 404/405 itself
        return None
    rule = access_rule(current_app, request.endpoint)
    if rule is None:
        current_app.logger.error("view %s declares no access rule", request.endpoint)
        abort(403)
    if rule.public:
        return None
    if not current_user.is_authenticated:
        session.pop("_user_id", None)
        return to_sign_in()
    for gate in gates:
        if request.endpoint not in gate.exempt and gate.holds():
            return gate.answer()
    if rule.roles and not current_user.has_role(*rule.roles):
        abort(403)
    return None
