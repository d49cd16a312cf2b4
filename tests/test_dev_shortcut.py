"""The demo sign-in shortcut exists only in debug mode on localhost, for loopback clients."""

import hashlib

import pytest
from sqlalchemy import select

from survivorapp import create_app
from survivorapp.extensions import db
from survivorapp.security.sessions import UserSession
from tests.conftest import app_config
from tests.factories import make_user


@pytest.fixture
def debug_app(make_app):
    app = make_app(DEBUG=True)
    with app.app_context():
        yield app


def test_shortcut_signs_in_and_rotates_the_session(debug_app):
    user = make_user("staff")
    client = debug_app.test_client()
    client.get("/sign-in")
    before = client.get_cookie("sid").value
    response = client.get(f"/dev/sign-in/{user.public_id}")
    assert response.status_code == 302
    after = client.get_cookie("sid").value
    assert after != before
    hashes = db.session.scalars(select(UserSession.token_hash)).all()
    assert hashlib.sha256(before.encode()).hexdigest() not in hashes
    assert client.get("/staff").status_code == 200


def test_shortcut_refused_from_another_machine(debug_app):
    user = make_user("staff")
    client = debug_app.test_client()
    response = client.get(
        f"/dev/sign-in/{user.public_id}", environ_base={"REMOTE_ADDR": "192.0.2.7"}
    )
    assert response.status_code == 404
    assert client.get("/staff").status_code == 302


def test_shortcut_absent_outside_debug(client, app):
    user = make_user("staff")
    assert "dev" not in app.blueprints
    assert client.get(f"/dev/sign-in/{user.public_id}").status_code == 404


def test_shortcut_absent_when_origin_is_not_localhost(tmp_path):
    app = create_app(
        app_config(f"sqlite:///{tmp_path / 'e.db'}", DEBUG=True, ORIGIN="https://plan.example"),
        instance_path=str(tmp_path),
    )
    assert "dev" not in app.blueprints


def test_a_second_demo_run_prints_the_links_again(debug_app):
    """`make run` on a database it filled before still prints a way in for each person."""
    runner = debug_app.test_cli_runner()
    first = runner.invoke(args=["demo"])
    assert first.exit_code == 0, first.output
    links = {line.split()[-1] for line in first.output.splitlines() if "/dev/sign-in/" in line}
    gone = make_user("survivor", pseudonym="Gone")
    gone.disabled_at = gone.created_at
    db.session.commit()
    again = runner.invoke(args=["demo"])
    assert again.exit_code == 0 and "already" in again.output
    relinked = {line.split()[-1] for line in again.output.splitlines() if "/dev/sign-in/" in line}
    assert len(links) >= 6 and relinked == links  # the same people, not the disabled one
    assert debug_app.test_client().get(sorted(relinked)[0]).status_code == 302
