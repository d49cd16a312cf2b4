"""`next`: only a same-origin path, never a 500, and the redirect is built before the commit.

The three endpoints that redirect to a `next` from the form (the language choice, hiding a
budget tip, assigning a caseload) are attacked with control characters (a newline made
Werkzeug refuse the Location header after the write was committed: a 500 for a change that
had happened), a tab (Python's urlsplit drops it, so "/\\t/evil.example" came out as
"Location: //evil.example"), backslashes (browsers read "/\\evil" as "//evil") and absolute
or scheme-relative addresses. Every answer must be a redirect to a same-origin path.
"""

from __future__ import annotations

import unicodedata
from urllib.parse import urlsplit

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from survivorapp.accounts.models import User
from survivorapp.budget import preferences as budget
from survivorapp.budget.models import BudgetSettings
from survivorapp.extensions import db
from survivorapp.i18n import safe_next
from survivorapp.people import caseload
from tests.factories import make_user

ATTACKS = [
    "/\n",
    "/home\nSet-Cookie: x=1",
    "/home\r\nLocation: https://evil.example",
    "/home\r",
    "/\t/evil.example",
    "/\t\\evil.example",
    "/\n/evil.example",
    "/\r/evil.example",
    "/\x00/evil.example",
    "/\x0b/evil.example",
    "/\x1f/evil.example",
    "/\x7f/evil.example",
    "/\x85/evil.example",
    "/\x9f/evil.example",
    "/\u202e/evil.example",
    "/\u2028/evil.example",
    "//evil.example",
    "//evil.example/x",
    "/\\evil.example",
    "/\\/evil.example",
    "\\\\evil",
    "\\/evil.example",
    "https://evil.example",
    "https:/evil.example",
    "javascript:alert(1)",
    "http://localhost@evil.example/",
    " //evil.example",
    "\t//evil.example",
    "/home/\\..\\evil",
    "/" + "a" * 5000,
]
# Harmless: a percent-encoded newline is text in a path, not a newline.
KEPT = ["/home", "/budget/?month=2024-05", "/%0a", "/%0d%0aSet-Cookie:x", "/%2F/evil.example"]


def assert_same_origin_path(location: str) -> None:
    """A path on this origin, however a browser reads it (WHATWG URL parsing drops tabs and
    newlines, strips leading controls and spaces, and treats a backslash as a slash)."""
    assert location.startswith("/"), location
    assert not location.startswith(("//", "/\\")), location
    assert "\\" not in location, location
    assert not any(unicodedata.category(ch)[0] == "C" for ch in location), location
    browser = location.replace("\t", "").replace("\n", "").replace("\r", "").replace("\\", "/")
    assert not browser.lstrip("".join(map(chr, range(33)))).startswith("//"), location
    parts = urlsplit(location)
    assert not parts.scheme and not parts.netloc, location


# --- the check itself ---------------------------------------------------------------------


@pytest.mark.parametrize("target", ATTACKS)
def test_safe_next_refuses(target):
    assert safe_next(target, "/fallback") == "/fallback"


@pytest.mark.parametrize("target", KEPT)
def test_safe_next_keeps_same_origin_paths(target):
    assert safe_next(target, "/fallback") == target


@pytest.mark.parametrize("target", [None, "", 7, b"/home", ["/home"]])
def test_safe_next_refuses_what_is_not_text(target):
    assert safe_next(target, "/fallback") == "/fallback"


NASTY = st.sampled_from(
    [
        *"/\\:.?#%@ \t\n\r\x00\x0b\x1f\x7f\x85\x9f\u202e\u2028\u3000\uff0f",
        *("evil.example", "https:", "//", "/\\", "%0a", "localhost"),
    ]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(NASTY, st.characters()), max_size=12).map("".join))
def test_safe_next_only_ever_gives_a_same_origin_path(target):
    assert_same_origin_path(safe_next(target, "/fallback"))


# --- the three endpoints ------------------------------------------------------------------


@pytest.fixture
def survivor(as_role):
    return as_role("survivor", locale="en")


@pytest.fixture
def admin(as_role):
    return as_role("admin")


def _language(client, target):
    return client.post_form("/language", {"language": "es", "next": target}, page="/home")


def _dismiss(client, target):
    return client.post_form("/budget/tips/saving/dismiss", {"next": target}, page="/budget/")


def _assign(client, target, survivor_id, staff_id):
    return client.post_form(
        "/admin/caseloads/assign",
        {"survivor": survivor_id, "staff": staff_id, "next": target},
        page="/admin/caseloads",
    )


@pytest.mark.parametrize("target", ATTACKS)
def test_language_choice_never_leaves_the_site(survivor, target):
    client, user = survivor
    response = _language(client, target)
    assert response.status_code == 303, response.status_code
    assert response.headers["Location"] == "/"
    db.session.expire_all()
    assert db.session.get(User, user.id).locale == "es"


@pytest.mark.parametrize("target", ATTACKS)
def test_hiding_a_tip_never_leaves_the_site(survivor, target):
    client, user = survivor
    response = _dismiss(client, target)
    assert response.status_code == 303, response.status_code
    assert response.headers["Location"] == "/budget/"
    db.session.expire_all()
    assert "saving" in budget.dismissed(db.session.get(BudgetSettings, user.id))


@pytest.mark.parametrize("target", ATTACKS)
def test_assigning_a_caseload_never_leaves_the_site(admin, target):
    client, _ = admin
    ana, sam = make_user("survivor"), make_user("staff")
    response = _assign(client, target, ana.public_id, sam.public_id)
    assert response.status_code == 303, response.status_code
    assert response.headers["Location"] == "/admin/caseloads"
    assert caseload.case_worker_of(ana).id == sam.id


@pytest.mark.parametrize("target", KEPT[:2])
def test_a_good_next_is_followed(survivor, target):
    client, _ = survivor
    assert _language(client, target).headers["Location"] == target
    assert _dismiss(client, target).headers["Location"] == target


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(target=st.lists(st.one_of(NASTY, st.characters()), max_size=10).map("".join))
def test_language_choice_redirects_on_the_site_whatever_next_says(client, target):
    response = client.post_form("/language", {"language": "es", "next": target})
    assert response.status_code == 303, (response.status_code, target)
    assert_same_origin_path(response.headers["Location"])


# --- the redirect is built before the write is committed ---------------------------------


class Refused(Exception):
    pass


def _refuse(*args, **kwargs):
    raise Refused


@pytest.mark.parametrize("module", ["survivorapp.i18n", "survivorapp.budget.views"])
def test_a_redirect_that_cannot_be_built_commits_nothing(survivor, monkeypatch, module):
    """Whatever makes the redirect fail, it fails before the commit: no 500 for a change
    that was made anyway."""
    client, user = survivor
    token = client.csrf_token("/home")
    monkeypatch.setattr(f"{module}.redirect", _refuse)
    if module == "survivorapp.i18n":
        response = client.post("/language", data={"language": "es", "csrf_token": token})
    else:
        response = client.post("/budget/tips/saving/dismiss", data={"csrf_token": token})
    assert response.status_code == 500
    db.session.rollback()
    assert db.session.get(User, user.id).locale == "en"
    row = db.session.get(BudgetSettings, user.id)
    assert row is None or "saving" not in budget.dismissed(row)


def test_a_caseload_redirect_that_cannot_be_built_commits_nothing(admin, monkeypatch):
    client, _ = admin
    ana, sam = make_user("survivor"), make_user("staff")
    token = client.csrf_token("/admin/caseloads")
    monkeypatch.setattr("survivorapp.people.admin.redirect", _refuse)
    response = client.post(
        "/admin/caseloads/assign",
        data={"survivor": ana.public_id, "staff": sam.public_id, "csrf_token": token},
    )
    assert response.status_code == 500
    db.session.rollback()
    assert caseload.case_worker_of(db.session.get(User, ana.id)) is None
