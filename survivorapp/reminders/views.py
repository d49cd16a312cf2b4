"""Settings → Reminders: what to be reminded of, the devices that get reminders, and what
will arrive in the next two weeks."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..accounts.devices import current_passkey_id
from ..database import utcnow
from ..security.access import signed_in
from ..security.sessions import rough_device
from . import privacy as _privacy  # noqa: F401  (registers the reminders exporters)
from . import services, subscriptions, vapid
from .forms import SettingsForm, SubscribeForm

bp = Blueprint("reminders", __name__, url_prefix="/account/reminders")


def _page(form: SettingsForm, status: int = 200):
    return render_template(
        "reminders/settings.html",
        form=form,
        devices=subscriptions.devices(current_user),
        public_key=vapid.public_key(),
        is_staff=current_user.has_role("staff"),
        is_survivor=current_user.has_role("survivor"),
    ), status


@bp.get("")
@signed_in
def index():
    return _page(services.form_for(current_user))


@bp.post("")
@signed_in
def save():
    form = SettingsForm()
    if not form.validate():
        return _page(form, 422)
    services.save(current_user, form)
    flash(_("Your reminder choices are saved."), "success")
    return redirect(url_for("reminders.index"), code=303)


@bp.post("/devices")
@signed_in
def subscribe():
    """Sent by reminders.js after the browser's Push API subscribed this device."""
    form = SubscribeForm()
    if not form.validate():
        return {"error": _("This device could not turn reminders on.")}, 422
    subscriptions.subscribe(
        current_user,
        endpoint=form.endpoint.data,
        p256dh=form.p256dh.data,
        auth=form.auth.data,
        passkey_id=current_passkey_id(),
        device=rough_device(request.user_agent.string),
    )
    flash(_("Reminders are on for this device."), "success")
    return {"ok": True}, 201


@bp.post("/devices/<public_id>/off")
@signed_in
def turn_off(public_id: str):
    row = subscriptions.get_device(current_user, public_id)
    if row is not None:
        subscriptions.turn_off(current_user, row)
        flash(_("That device gets no more reminders."), "success")
    return redirect(url_for("reminders.index"), code=303)


@bp.get("/coming-up")
@signed_in
def coming_up():
    now = utcnow()
    return render_template(
        "reminders/coming_up.html", items=services.coming_up(current_user, now), now=now
    )


@bp.post("/coming-up/cancel")
@signed_in
def cancel():
    if services.cancel(current_user, request.form.get("key", "")[:80], utcnow()):
        flash(_("That reminder will not be sent."), "success")
    return redirect(url_for("reminders.coming_up"), code=303)


@bp.post("/coming-up/restore")
@signed_in
def restore():
    if services.restore(current_user, request.form.get("key", "")[:80]):
        flash(_("That reminder will be sent after all."), "success")
    return redirect(url_for("reminders.coming_up"), code=303)
