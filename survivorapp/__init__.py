"""survivorapp: a discreet planner for people rebuilding their lives."""

from __future__ import annotations

import importlib
import logging
from pathlib import Path

from flask import Flask, g
from flask_babel import get_locale
from flask_login import current_user
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.routing import BaseConverter

from . import assets, cli, i18n, navigation
from . import config as config_module
from .accounts import dev
from .accounts.access import demo_links_allowed
from .database import tune_sqlite
from .extensions import babel, csrf, db, htmx, limiter, login_manager, migrate
from .security import access, errors, headers, once, transactions
from .security.sessions import DbSessionInterface
from .settings import org_setting

BLUEPRINTS = [  # an explicit list: nothing is registered by accident
    "survivorapp.i18n:bp",
    "survivorapp.home.views:bp",
    "survivorapp.accounts.views:bp",
    "survivorapp.people.staff:bp",
    "survivorapp.safety.views:bp",
    "survivorapp.goals.views:bp",
    "survivorapp.appointments.views:bp",
    "survivorapp.budget.views:bp",
    "survivorapp.circles.views:bp",
    "survivorapp.admin.views:bp",
    "survivorapp.admin.views:contact_bp",
    "survivorapp.people.admin:bp",
    "survivorapp.privacy.views:bp",
    "survivorapp.reports.views:bp",
    "survivorapp.reminders.views:bp",
]
MODEL_MODULES = [
    "survivorapp.accounts.models",
    "survivorapp.security.sessions",
    "survivorapp.security.audit",
    "survivorapp.security.once",
    "survivorapp.safety.models",
    "survivorapp.goals.models",
    "survivorapp.appointments.models",
    "survivorapp.budget.models",
    "survivorapp.circles.models",
    "survivorapp.settings",
    "survivorapp.people.contact_names",
    "survivorapp.privacy.models",
    "survivorapp.reports.models",
    "survivorapp.reminders.models",
]


def _load(dotted: str):
    module, _, attr = dotted.partition(":")
    mod = importlib.import_module(module)
    return getattr(mod, attr) if attr else mod


def create_app(test_config: dict | None = None, *, instance_path: str | None = None) -> Flask:
    app = Flask(__name__, instance_relative_config=True, instance_path=instance_path)
    _init_url_converters(app)
    if test_config is None:
        app.config.update(config_module.load(app.instance_path, production=not app.debug))
    else:
        app.config.update(config_module.finish({**config_module.defaults(), **test_config}))
    app.config.setdefault("SQLALCHEMY_ENGINE_OPTIONS", {})
    # Exception messages and logs never quote the values a person typed.
    app.config["SQLALCHEMY_ENGINE_OPTIONS"].setdefault("hide_parameters", True)
    # A restarted database server leaves dead pooled connections: test them before use.
    app.config["SQLALCHEMY_ENGINE_OPTIONS"].setdefault("pool_pre_ping", True)
    logging.getLogger("survivorapp").setLevel(app.config.get("LOG_LEVEL", "INFO"))
    if app.config.get("TRUSTED_PROXIES"):
        n = int(app.config["TRUSTED_PROXIES"])
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=n, x_proto=n, x_host=n)

    _init_extensions(app)
    for dotted in MODEL_MODULES:
        _load(dotted)
    for dotted in BLUEPRINTS:
        app.register_blueprint(_load(dotted))
    if demo_links_allowed(app):
        app.register_blueprint(dev.bp)
    _init_request_hooks(app)
    _init_templates(app)
    cli.register(app)
    return app


class _Segment(BaseConverter):
    regex = r"[^/\x00-\x1f\x7f]+"
    part_isolating = True


class _Path(BaseConverter):
    regex = r"[^/\x00-\x1f\x7f][^\x00-\x1f\x7f]*?"
    part_isolating = False
    weight = 200


def _init_url_converters(app: Flask) -> None:
    """URL parts never carry control characters: PostgreSQL refuses a NUL outright, so an id
    like `a%00b` would reach a query and fail there. Such a URL matches no route (404)."""
    app.url_map.converters.update(default=_Segment, string=_Segment, path=_Path)


def _init_extensions(app: Flask) -> None:
    db.init_app(app)
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        with app.app_context():
            tune_sqlite(db.engine)
    migrate.init_app(app, db, directory=str(Path(app.root_path).parent / "migrations"))
    app.session_interface = DbSessionInterface()
    login_manager.init_app(app)
    login_manager.session_protection = None  # the server-side session does this job
    login_manager.login_view = "accounts.sign_in"
    babel.init_app(
        app,
        locale_selector=i18n.select_locale,
        timezone_selector=i18n.select_timezone,
        default_translation_directories=str(Path(app.root_path).parent / "translations"),
    )
    csrf.init_app(app)
    htmx.init_app(app)
    limiter.init_app(app)


def _init_request_hooks(app: Flask) -> None:
    transactions.init_app(app)
    app.before_request(access.enforce)
    app.after_request(headers.apply)
    errors.register(app)


def _init_templates(app: Flask) -> None:
    assets.init_app(app)
    app.jinja_env.globals["once_field"] = once.field

    @app.context_processor
    def globals_():
        # Computed once per request: a home page renders one template per panel.
        cached = g.get("_layout_context")
        if cached is None:
            cached = g._layout_context = layout_context()
        return cached

    def layout_context() -> dict:
        locale = str(get_locale())
        return {
            "brand": org_setting("BRAND_NAME"),
            "lang": locale.replace("_", "-"),
            "text_dir": i18n.text_direction(locale),
            "language_form": i18n.language_form(),
            "nav_items": navigation.items_for_current_user(),
            "current_user": current_user,
        }


def warm_up(app: Flask) -> None:
    """Compile every template ahead of the first request (see wsgi.py)."""
    for name in app.jinja_env.list_templates(extensions=("html", "js")):
        app.jinja_env.get_template(name)
