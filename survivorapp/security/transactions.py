"""The one transaction rule: services read, change and flush; a request's changes are committed
here, once, after its view has answered without an error. An answer of 400 or more rolls
back, so a form sent back with a problem, a refusal or a crash leaves nothing half-written.

A service commits by itself only where a write must outlive a refusal (a wrong PIN counted,
a sign-in challenge spent) or where work runs outside a request (the CLI); such a commit has a
comment saying which. Views never touch `db.session` (tests/test_structure.py).
"""

from __future__ import annotations

from flask import Flask, Response

from ..extensions import db


def end(response: Response) -> Response:
    if response.status_code < 400:
        db.session.commit()
    else:
        db.session.rollback()
    return response


def init_app(app: Flask) -> None:
    # Registered first, so it runs last of the after_request hooks (Flask runs them in
    # reverse): the answer is complete before its changes are kept.
    app.after_request(end)
