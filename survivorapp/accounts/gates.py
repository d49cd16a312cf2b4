"""The gates a signed-in session passes before anything else: the app PIN, then a new
passkey's confirmation (security/access.py runs them before every view)."""

from __future__ import annotations

from flask import redirect, render_template, request, url_for

from ..extensions import htmx
from ..security import access
from . import devices, pin


def _gate_redirect(endpoint: str):
    target = url_for(endpoint)
    if htmx:
        return "", 401, {"HX-Redirect": target}
    return redirect(target)


def _unconfirmed_answer():
    """A session of an unconfirmed passkey is shown its notice; it changes nothing."""
    if request.method in ("GET", "HEAD"):
        return _gate_redirect("accounts.new_passkey_notice")
    return render_template("accounts/unconfirmed.html"), 403


# After the passkey, a person with an app PIN sees nothing else until it is entered.
access.add_gate(
    access.Gate(
        name="pin",
        holds=pin.pin_due,
        answer=lambda: _gate_redirect("accounts.pin"),
        exempt=frozenset({"accounts.pin", "accounts.sign_out", "i18n.choose_language"}),
    )
)
# A session opened with a passkey the owner has not confirmed (added from a phone left signed
# in, or with a code while other passkeys work) reads nothing but its notice, and changes no
# access, consent, feed, PIN, session or account setting, until an older passkey confirms it.
# It may remove its own passkey (may_shut_out lets it remove nothing else).
access.add_gate(
    access.Gate(
        name="unconfirmed_passkey",
        holds=devices.session_unconfirmed,
        answer=_unconfirmed_answer,
        exempt=frozenset(
            {
                "accounts.new_passkey_notice",
                "accounts.remove_passkey_confirm",
                "accounts.remove_passkey",
                "accounts.sign_out",
                "i18n.choose_language",
            }
        ),
    )
)
