"""A double tap or a retried request creates one record, not two."""

import threading
import time

from flask import request
from sqlalchemy import func, select

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
