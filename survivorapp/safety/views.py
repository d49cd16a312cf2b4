"""Views for safety: quick exit, the cover screen, the installable app (manifest, worker)."""

from __future__ import annotations

from pathlib import Path

from flask import (
    Blueprint,
    Response,
    current_app,
    json,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from ..extensions import csrf
from ..home.panels import home_panel
from ..i18n import text_direction
from ..security.access import public
from . import services
from .forms import START_SIGN_IN, CalculatorForm, StartScreenForm

bp = Blueprint("safety", __name__)


@bp.app_context_processor
def safety_globals() -> dict:
    b = services.brand()
    signed_in = current_user.is_authenticated
    return {
        "brand_icon": b.icon,
        "theme_color": b.theme_color,
        "exit_url": services.exit_url(),
        # The page locks itself (see page.js) when the server-side session would have ended.
        "idle_seconds": services.idle_seconds() if signed_in else 0,
    }


def _cleared(response: Response) -> Response:
    response.headers["Clear-Site-Data"] = services.CLEAR_SITE_DATA
    return response


@bp.get("/exit")
@public
def exit_now():
    """Quick exit without JavaScript: end the session, clear the site's data, leave.

    A GET that changes state, on purpose, like a sign-out link: the exit address is another
    site, and the CSP's `form-action 'self'` stops a form POST from redirecting there. Being
    signed out by a stray link is harmless; being unable to leave is not.
    """
    services.end_session_now()
    return _cleared(redirect(services.exit_url(), code=303))


@bp.post("/exit")
@public
@csrf.exempt
def exit_beacon():
    """Quick exit from page.js (a keep-alive fetch; it sends the page's CSRF header too).

    Exempt from the CSRF check on purpose: leaving must never fail, and a page left open past
    its session (idle lock) holds a stale token, which would turn this into a 400 without
    Clear-Site-Data. Forcing someone out is no harm (GET /exit does the same), and a
    cross-site request carries no session cookie (SameSite=Lax) anyway.
    """
    services.end_session_now()
    return _cleared(Response(status=204))


@bp.get("/calculator")
@public
def calculator():
    """The neutral cover screen: a working calculator that stores nothing."""
    expression = request.args.get("x", "")[: services.MAX_EXPRESSION]
    result = error = None
    if expression.strip():
        try:
            result = services.format_result(services.calculate(expression))
        except services.CalculationError:
            error = True
    return render_template(
        "safety/calculator.html",
        form=CalculatorForm(formdata=None, data={"x": expression}),
        result=result,
        error=error,
        cover_screen=True,
    )


@bp.get("/start")
@public
def start():
    """Where the installed app opens: the cover screen if this device asked for it."""
    if services.starts_on_cover(request.cookies):
        return redirect(url_for("safety.calculator"))
    return redirect(url_for("home.index"))


@bp.route("/start-screen", methods=["GET", "POST"])
@public
def start_screen():
    """Choose what this device shows first. See services.START_COOKIE for why a cookie."""
    if request.method == "POST":
        form = StartScreenForm()
        response = redirect(url_for("safety.start_screen", saved=1), code=303)
        if form.cover:
            response.set_cookie(
                services.START_COOKIE,
                services.START_COVER,
                max_age=365 * 24 * 3600,
                secure=current_app.config["HTTPS"],
                httponly=False,  # page.js writes it back after quick exit clears cookies
                samesite="Lax",
            )
        else:
            response.delete_cookie(
                services.START_COOKIE, secure=current_app.config["HTTPS"], samesite="Lax"
            )
        return response
    cover = services.starts_on_cover(request.cookies)
    form = StartScreenForm(
        formdata=None, data={"start": services.START_COVER if cover else START_SIGN_IN}
    )
    return render_template(
        "safety/start_screen.html", form=form, saved=request.args.get("saved") == "1"
    )


@bp.get("/offline")
@public
def offline():
    """The page the service worker shows when there is no network. Neutral and anonymous:
    it carries no CSRF token and touches no session, so a cached copy holds nothing."""
    return render_template("safety/offline.html", brand_name=services.brand().name)


@bp.get("/manifest.webmanifest")
@public
def manifest():
    b = services.brand()
    icon = b.icon
    data = {
        "id": "/",
        "name": b.name,
        "short_name": b.name[:12],
        "description": str(_l("Plan your days.")),
        "lang": str(get_locale()).replace("_", "-"),
        "dir": text_direction(str(get_locale())),
        "start_url": url_for("safety.start"),
        "scope": "/",
        "display": "standalone",
        "background_color": services.BACKGROUND,
        "theme_color": b.theme_color,
        "icons": [
            {
                "src": services.asset_url(f"icons/{icon}-{size}.png"),
                "sizes": f"{size}x{size}",
                "type": "image/png",
                "purpose": "any",
            }
            for size in (192, 512)
        ]
        + [
            {
                "src": services.asset_url(f"icons/{icon}.svg"),
                "sizes": "any",
                "type": "image/svg+xml",
            }
        ],
    }
    return Response(json.dumps(data), mimetype="application/manifest+json")


@bp.get("/sw.js")
@public
def service_worker():
    """Served from the root so that it controls scope "/"."""
    # Every script the pages may load: all small, all fingerprinted.
    asset = current_app.jinja_env.globals["asset"]
    folder = Path(current_app.static_folder, "js")
    scripts = [asset(f"js/{p.name}") for p in sorted(folder.glob("*.js"))]
    body = render_template("safety/sw.js", icon=services.brand().icon, scripts=scripts)
    response = Response(body, mimetype="text/javascript")
    response.headers["Service-Worker-Allowed"] = "/"
    return response


@home_panel("survivor", order=95)
def this_phone_panel(user) -> str:
    return render_template("safety/_home_panel.html")


__all__ = ["bp"]
