"""Configuration: embedded defaults, environment overrides, and the production guard."""

import os
import stat

import pytest

from survivorapp import create_app
from survivorapp.config import ConfigError, new_vapid_key


@pytest.fixture
def clean_env(monkeypatch):
    for name in list(os.environ):
        if name.startswith("SURVIVORAPP_") or name == "FLASK_DEBUG":
            monkeypatch.delenv(name)
    return monkeypatch


def test_embedded_defaults_need_nothing_and_keep_secrets_private(clean_env, tmp_path):
    clean_env.setenv("FLASK_DEBUG", "1")
    app = create_app(instance_path=str(tmp_path))
    assert app.config["DATABASE_URL"] == f"sqlite:///{tmp_path / 'survivorapp.db'}"
    assert app.config["ORIGIN"] == "http://localhost:5000"
    assert app.config["RP_ID"] == "localhost"
    assert app.config["BRAND_NAME"] == "Daybook"
    for name in ("secret_key", "encryption_keys"):
        path = tmp_path / name
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    # A second start reuses the same secrets.
    again = create_app(instance_path=str(tmp_path))
    assert again.config["SECRET_KEY"] == app.config["SECRET_KEY"]
    assert again.config["ENCRYPTION_KEYS"] == app.config["ENCRYPTION_KEYS"]


def test_every_setting_can_come_from_the_environment(clean_env, tmp_path):
    clean_env.setenv("FLASK_DEBUG", "1")
    clean_env.setenv("SURVIVORAPP_BRAND_NAME", "Planner")
    clean_env.setenv("SURVIVORAPP_ORIGIN", "https://plan.example.org")
    clean_env.setenv("SURVIVORAPP_SESSION_IDLE_MINUTES", "5")
    clean_env.setenv("SURVIVORAPP_DATABASE_URL", f"sqlite:///{tmp_path / 'other.db'}")
    app = create_app(instance_path=str(tmp_path))
    assert app.config["BRAND_NAME"] == "Planner"
    assert app.config["RP_ID"] == "plan.example.org"
    assert app.config["SESSION_IDLE_MINUTES"] == 5
    assert app.config["SESSION_COOKIE_NAME"] == "__Host-sid"
    assert app.config["SQLALCHEMY_DATABASE_URI"].endswith("other.db")


def test_production_refuses_to_start_without_secret_and_origin(clean_env, tmp_path):
    with pytest.raises(ConfigError) as info:
        create_app(instance_path=str(tmp_path))
    message = str(info.value)
    assert "SURVIVORAPP_SECRET_KEY" in message and "SURVIVORAPP_ORIGIN" in message
    assert "SURVIVORAPP_VAPID_PRIVATE_KEY" in message
    assert "\n" not in message
    assert not (tmp_path / "secret_key").exists()


def test_production_starts_with_explicit_settings(clean_env, tmp_path):
    clean_env.setenv("SURVIVORAPP_SECRET_KEY", "x" * 40)
    clean_env.setenv("SURVIVORAPP_ORIGIN", "https://plan.example.org")
    clean_env.setenv("SURVIVORAPP_ENCRYPTION_KEYS", "Yq2cWZ0dQ6c6bq0m4mTq8mXn0cE1hYt5w2qI7Jr3s9o=")
    clean_env.setenv("SURVIVORAPP_VAPID_PRIVATE_KEY", new_vapid_key())
    app = create_app(instance_path=str(tmp_path))
    assert not app.debug
    assert "dev" not in app.blueprints  # no demo shortcut in production


def test_bad_number_is_refused_in_one_line(clean_env, tmp_path):
    clean_env.setenv("FLASK_DEBUG", "1")
    clean_env.setenv("SURVIVORAPP_SESSION_IDLE_MINUTES", "soon")
    with pytest.raises(ConfigError, match="SURVIVORAPP_SESSION_IDLE_MINUTES"):
        create_app(instance_path=str(tmp_path))
