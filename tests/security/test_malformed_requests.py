"""Malformed requests that no form fuzzing sends: hostile headers and cookies on every page,
and bodies of the wrong type or charset on every POST. Never a 5xx (test_fuzz.py drives the
form fields and query strings themselves)."""

from __future__ import annotations

import pytest

from survivorapp.extensions import db
from tests.security.test_authorization_matrix import url_params
from tests.security.test_fuzz import actor_for, get_endpoints, post_endpoints
from tests.security.world import build_world

HEADERS = [
    {"Accept-Language": "ar;q=\x7f, *;q=nan, ;;;,,=,q=1e999"},
    {"Accept-Language": "x" * 8000},
    {"Accept-Language": "zz-ZZ, ar-EG;q=0.5, en;q=-1"},
    {"HX-Request": "true", "HX-Target": "<x>", "HX-Current-URL": "x:", "HX-Trigger": "\x01"},
    {"HX-Request": "false", "HX-Boosted": "true"},
    {"If-None-Match": 'W/"\x01"', "If-Modified-Since": "yesterday", "Range": "bytes=9-1"},
    {"User-Agent": "\u202e" * 3000, "Referer": "::::", "X-Forwarded-For": "not an ip, , ,"},
    {"Accept-Encoding": "gzip;q=abc, br;q=1e5", "Accept": "*/*;q=nan"},
]  # fmt: skip
COOKIES = [
    {"lang": "\u202e", "start": "\x01", "cover": "1"},
    {"lang": "a" * 4000, "start": "app"},
]
BODIES = [
    ("application/x-www-form-urlencoded; charset=klingon", b"a=%FF%FE&b=\xff"),
    (
        "multipart/form-data; boundary=zz",
        b'--zz\r\nContent-Disposition: form-data; name="f"; filename="a"\r\n\r\nhi\r\n--zz--\r\n',
    ),
    ("multipart/form-data", b"no boundary"),
    ("application/json", b'{"a": [1, {"b": null}]'),
    ("application/json", b"[]"),
    ("application/json; charset=utf-16", b"\xff\xfe{\x00}\x00"),
    ("text/plain", b"\x00\x01\x02"),
    ("application/x-www-form-urlencoded", b"csrf_token=" + b"A" * 5000 + b"&&&=&=="),
]


def _world_actor_and_url(app, endpoint):
    w = build_world(app)
    rule = next(r for r in app.url_map.iter_rules() if r.endpoint == endpoint)
    with app.test_request_context():
        url = rule.build(url_params(w, endpoint, set(rule.arguments)), append_unknown=False)[1]
    return w, actor_for(app, endpoint), url


def _status(response) -> int:
    response.close()
    db.session.rollback()
    return response.status_code


@pytest.mark.parametrize("endpoint", get_endpoints())
def test_hostile_headers_and_cookies_on_every_page(app, endpoint):
    w, actor, url = _world_actor_and_url(app, endpoint)
    client = w.clients[actor]
    failures = [h for h in HEADERS if _status(client.get(url, headers=h)) >= 500]
    for cookies in COOKIES:
        for name, value in cookies.items():
            client.set_cookie(name, value)
        if _status(client.get(url)) >= 500:
            failures.append(cookies)
        for name in cookies:
            client.delete_cookie(name)
    assert not failures, (endpoint, failures)


@pytest.mark.parametrize("endpoint", post_endpoints())
def test_wrong_bodies_on_every_post(app, endpoint):
    w, actor, url = _world_actor_and_url(app, endpoint)
    client = w.clients[actor]
    # With a valid CSRF token in the header, so that every body reaches the view itself; and
    # without, so that the token check meets them too.
    token = {"X-CSRFToken": w.csrf(actor)}
    failures = []
    for content_type, body in BODIES:
        for extra in ({}, {"HX-Request": "true"}, token, {"HX-Request": "true", **token}):
            status = _status(
                client.post(url, data=body, headers={"Content-Type": content_type, **extra})
            )
            if status >= 500:
                failures.append((content_type, extra))
    assert not failures, (endpoint, failures)


# Ids and tokens as a URL carries them: a NUL (PostgreSQL refuses it in any query), other
# control characters, a direction override, a very long id, an encoded traversal.
HOSTILE_PARTS = ["a%00b", "%00", "%01%7F", "%E2%80%AE", "x" * 300, "..%2F..%2Fx"]


def _routes_with_parts() -> list[str]:
    from survivorapp import create_app
    from tests.conftest import app_config

    app = create_app(app_config("sqlite://"))
    return sorted({r.endpoint for r in app.url_map.iter_rules() if r.arguments})


@pytest.mark.parametrize("endpoint", _routes_with_parts())
def test_hostile_ids_in_the_path_are_never_a_5xx(app, endpoint):
    w = build_world(app)
    rule = next(r for r in app.url_map.iter_rules() if r.endpoint == endpoint)
    with app.test_request_context():
        good = rule.build(url_params(w, endpoint, set(rule.arguments)), append_unknown=False)[1]
    failures = []
    for actor in ("owner", actor_for(app, endpoint)):
        client = w.clients[actor]
        headers = {"X-CSRFToken": w.csrf(actor)}
        for part in HOSTILE_PARTS:
            # Each id in turn, the others left valid, so that the hostile one is the one looked up.
            for arg in rule.arguments:
                value = url_params(w, endpoint, set(rule.arguments))[arg]
                url = good.replace(str(value), part, 1)
                for method in sorted(rule.methods & {"GET", "POST"}):
                    if _status(client.open(url, method=method, headers=headers)) >= 500:
                        failures.append((actor, method, url))
    assert not failures, failures
