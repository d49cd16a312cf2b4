"""A double tap or a retried request creates one record, not two."""

import threading
import time
from datetime import timedelta

from flask import request
from sqlalchemy import func, select

from survivorapp.database import utcnow
from survivorapp.extensions import db
from survivorapp.security import audit, once
from survivorapp.security.access import public
from survivorapp.security.audit import AuditEvent


def add_create_route(app):
    @app.post("/_create")
    @public
    def create():
        if not once.claim(request.form.get("once")):
            return "already done", 303, {"Location": "/"}
        audit.record("created_for_test")
        db.session.commit()
        return "created", 201


def events() -> int:
    return db.session.scalar(
        select(func.count()).select_from(AuditEvent).where(AuditEvent.action == "created_for_test")
    )


def test_the_same_form_posted_twice_creates_one_record(make_app):
    app = make_app()
    add_create_route(app)
    client = app.test_client()
    with app.app_context():
        token = client.csrf_token()
        first = client.post("/_create", data={"once": "tok-1", "csrf_token": token})
        second = client.post("/_create", data={"once": "tok-1", "csrf_token": token})
        assert (first.status_code, second.status_code) == (201, 303)
        assert events() == 1
        client.post("/_create", data={"once": "tok-2", "csrf_token": token})
        assert events() == 2


def test_simultaneous_double_submission_creates_one_record(make_app):
    app = make_app()
    add_create_route(app)
    with app.app_context():
        token = app.test_client().csrf_token()
    codes: list[int] = []
    barrier = threading.Barrier(4, timeout=30)  # a thread that died breaks it, not a hang

    def post():
        client = app.test_client()
        with app.app_context():
            t = client.csrf_token()
            barrier.wait()
            codes.append(
                client.post("/_create", data={"once": "same", "csrf_token": t}).status_code
            )

    threads = [threading.Thread(target=post) for _ in range(4)]
    for t in threads:
        t.start()
    deadline = time.monotonic() + 60
    for t in threads:
        t.join(timeout=max(0.0, deadline - time.monotonic()))
    assert not any(t.is_alive() for t in threads), "a request never finished"
    assert sorted(codes) == [201, 303, 303, 303]
    with app.app_context():
        assert events() == 1
    assert token


def test_once_field_renders_a_hidden_token():
    html = str(once.field())
    assert html.startswith('<input type="hidden" name="once" value="')
    assert str(once.field('a"b')) == '<input type="hidden" name="once" value="a&#34;b">'


def test_the_housekeeping_command_purges_old_tokens_with_old_sessions(app, runner):
    """The double-submission table would otherwise grow by one row per form sent, forever."""
    assert once.claim("old-token") and once.claim("fresh-token")
    db.session.commit()
    old = db.session.get(once.FormSubmission, once.token_digest("old-token"))
    old.created_at = utcnow() - once.KEEP - timedelta(minutes=1)
    db.session.commit()

    result = runner.invoke(args=["purge-sessions"])

    assert result.exit_code == 0 and "1 old form tokens removed" in result.output
    db.session.expire_all()
    assert db.session.get(once.FormSubmission, once.token_digest("old-token")) is None
    assert db.session.get(once.FormSubmission, once.token_digest("fresh-token")) is not None
    assert not once.claim("fresh-token")  # a retry within the window still finds it taken
