"""Every route in app.url_map, for every kind of person, against objects that belong to
survivor A (and, for mentor routes, to the circle that mentor M1 runs and A joined).

The expected answer of every (endpoint, method, actor) cell is written out in EXPECTED below,
one letter per actor in the order of ACTORS:

    anon  owner(A)  other(B)  mentor(M2)  circle_mentor(M1)  staff_with(A on caseload)
    staff_without  admin

    A   allowed: 2xx, a redirect to somewhere other than sign-in, or 400/422 for a form
    D   denied: 403 or 404
    S   sent to sign in: 302 to /sign-in, or 401 with HX-Redirect for htmx
    N   answered like a success but changes nothing (ending a session that is not yours is
        quietly ignored); checked afterwards: A's session and passkey are untouched
    a   allowed but not exercised here: a POST that would legitimately change the actor's own
        (or their caseload's) records; covered by the feature's own tests
    -   not exercised: a POST that would end this actor's session or account

POSTs are sent with a valid CSRF token. Any route missing from the table fails the test, so a
new route must be added here with its answers.

A positive control: a row that everyone is refused would pass just as well with a wrong URL
(an id that matches nothing answers 404 to everyone). So every row must succeed (2xx, or 3xx
to somewhere other than sign-in) for someone: in the matrix itself, or, where the matrix only
sends an empty form or does not exercise the cell ("a", "-"), in test_someone_may_use_it, which
sends a valid request (tests/security/valid_forms.py) in a fresh world. A row that no one may
ever use is listed in DENY_ALL with the reason.
"""

from __future__ import annotations

import os

import pytest
from flask import current_app, url_for
from sqlalchemy import select

from survivorapp.accounts import devices as accounts
from survivorapp.accounts.devices import session_key
from survivorapp.accounts.models import Passkey
from survivorapp.extensions import db
from survivorapp.people import team
from survivorapp.security.access import access_rule
from tests.accounts.authenticator import SoftAuthenticator
from tests.accounts.conftest import enrol
from tests.helpers import sign_in
from tests.security.valid_forms import VALID_FORMS, prepare
from tests.security.world import ACTORS, World, build_world, sign_in_again

# Routes that end the session they are called in (quick exit): the client signs in again.
ENDS_SESSION = {"safety.exit_now", "safety.exit_beacon", "accounts.sign_out"}

# fmt: off
EXPECTED: dict[tuple[str, str], str] = {
    ("accounts.add_passkey_options", "POST"):        "Saaaaaaa",
    ("accounts.add_passkey_verify", "POST"):         "Saaaaaaa",
    ("accounts.devices", "GET"):                     "SAAAAAAA",
    ("accounts.end_other_sessions", "POST"):         "Saaaaaaa",
    ("accounts.end_session", "POST"):                "SaNNNNNN",
    ("accounts.enrol", "GET"):                       "AAAAAAAA",
    ("accounts.enrol_options", "POST"):              "AAAAAAAA",
    ("accounts.enrol_verify", "POST"):               "AAAAAAAA",
    ("accounts.enrol_sharing", "POST"):              "AAAAAAAA",
    ("people.invite", "GET"):                        "SDDDDAAA",
    ("people.invite", "POST"):                       "SDDDDaaa",
    ("accounts.lock_confirm", "GET"):                "SAAAAAAA",
    ("people.lock_person", "POST"):                  "SDDDDaDa",
    ("accounts.lock_self", "POST"):                  "S-------",
    ("people.new_code", "POST"):                     "SDDDDaDa",
    ("accounts.new_passkey_notice", "GET"):          "SAAAAAAA",
    ("accounts.new_passkey_notice", "POST"):         "Saaaaaaa",
    ("accounts.own_code", "GET"):                    "SAAAAAAA",
    ("people.people", "GET"):                        "SDDDDAAA",
    ("people.person", "GET"):                        "SDDDDADA",
    ("people.person_code", "GET"):                   "SDDDDADA",
    ("accounts.pin", "GET"):                         "SAAAAAAA",
    ("accounts.pin", "POST"):                        "SAAAAAAA",
    ("accounts.remove_passkey", "POST"):             "SaDDDDDD",
    ("accounts.remove_passkey_confirm", "GET"):      "SADDDDDD",
    ("accounts.remove_pin", "POST"):                 "Saaaaaaa",
    ("accounts.rename_passkey", "POST"):             "SaDDDDDD",
    ("accounts.sessions", "GET"):                    "SAAAAAAA",
    ("accounts.set_pin", "GET"):                     "SAAAAAAA",
    ("accounts.set_pin", "POST"):                    "Saaaaaaa",
    ("accounts.sign_in_options", "POST"):            "AAAAAAAA",
    ("accounts.sign_in_verify", "POST"):             "AAAAAAAA",
    ("safety.calculator", "GET"):                    "AAAAAAAA",
    ("safety.exit_beacon", "POST"):                  "A-------",
    ("safety.exit_now", "GET"):                      "AAAAAAAA",
    ("safety.manifest", "GET"):                      "AAAAAAAA",
    ("safety.offline", "GET"):                       "AAAAAAAA",
    ("safety.service_worker", "GET"):                "AAAAAAAA",
    ("safety.start", "GET"):                         "AAAAAAAA",
    ("safety.start_screen", "GET"):                  "AAAAAAAA",
    ("safety.start_screen", "POST"):                 "AAAAAAAA",
    ("accounts.account", "GET"):                     "SAAAAAAA",
    ("reminders.cancel", "POST"):                    "SAAAAAAA",
    ("reminders.coming_up", "GET"):                  "SAAAAAAA",
    ("reminders.index", "GET"):                      "SAAAAAAA",
    ("reminders.restore", "POST"):                   "SAAAAAAA",
    ("reminders.save", "POST"):                      "SAAAAAAA",
    ("reminders.subscribe", "POST"):                 "Saaaaaaa",
    ("reminders.turn_off", "POST"):                  "SAAAAAAA",
    ("accounts.sign_in", "GET"):                     "AAAAAAAA",
    ("accounts.sign_out", "POST"):                   "A-------",
    ("admin_people.assign", "POST"):                 "SDDDDDDa",
    ("admin.audit", "GET"):                          "SDDDDDDA",
    ("admin_people.caseloads", "GET"):               "SDDDDDDA",
    ("admin_people.change_roles", "POST"):           "SDDDDDDa",
    ("admin_people.disable", "POST"):                "SDDDDDDa",
    ("admin_people.enable", "POST"):                 "SDDDDDDa",
    ("admin_people.people", "GET"):                  "SDDDDDDA",
    ("admin_people.person", "GET"):                  "SDDDDDDA",
    ("admin.save_settings", "POST"):                 "SDDDDDDa",
    ("admin.settings", "GET"):                       "SDDDDDDA",
    ("admin_people.staff_caseload", "GET"):          "SDDDDDDA",
    ("appointments.answer", "POST"):                 "SDDDDaDD",
    ("appointments.answer_form", "GET"):             "SDDDDADD",
    ("appointments.calendar_settings", "GET"):       "SAADDDDD",
    ("appointments.cancel", "POST"):                 "SaDDDaDD",
    ("appointments.confirm", "POST"):                "SaDDDDDD",
    ("appointments.create", "POST"):                 "SaaDDaaD",
    ("appointments.download", "GET"):                "SADDDADD",
    ("appointments.edit", "GET"):                    "SDDDDADD",
    ("appointments.feed", "GET"):                    "AAAAAAAA",
    ("appointments.index", "GET"):                   "SAADDAAD",
    ("appointments.new", "GET"):                     "SAADDAAD",
    ("appointments.new_feed_address", "POST"):       "SaaDDDDD",
    ("appointments.record_outcome", "POST"):         "SaDDDaDD",
    ("appointments.queue", "GET"):                   "SDDDDAAD",
    ("appointments.request_move", "POST"):           "SaDDDDDD",
    ("appointments.reschedule", "GET"):              "SADDDDDD",
    ("appointments.revoke_feed_address", "POST"):    "SaaDDDDD",
    ("appointments.save_calendar_settings", "POST"): "SaaDDDDD",
    ("appointments.save_time_zone", "POST"):         "SaaDDaaD",
    ("appointments.show", "GET"):                    "SADDDADD",
    ("appointments.time_zone", "GET"):               "SAADDAAD",
    ("appointments.update", "POST"):                 "SDDDDaDD",
    ("budget.add", "GET"):                           "SAADDDDD",
    ("budget.add_category", "POST"):                 "SaaDDDDD",
    ("budget.contribute", "POST"):                   "SaDDDDDD",
    ("budget.create_entry", "POST"):                 "SaaDDDDD",
    ("budget.create_goal", "POST"):                  "SaaDDDDD",
    ("budget.delete_category", "POST"):              "SaDDDDDD",
    ("budget.delete_entry", "POST"):                 "SaDDDDDD",
    ("budget.delete_goal", "POST"):                  "SaDDDDDD",
    ("budget.dismiss_tip", "POST"):                  "SaaDDDDD",
    ("budget.edit_entry", "GET"):                    "SADDDDDD",
    ("budget.entries", "GET"):                       "SAADDDDD",
    ("budget.export", "GET"):                        "SAADDDDD",
    ("budget.goal", "GET"):                          "SADDDDDD",
    ("budget.index", "GET"):                         "SAADDDDD",
    ("budget.plan", "GET"):                          "SAADDDDD",
    ("budget.save_plan", "POST"):                    "SaaDDDDD",
    ("budget.save_settings", "POST"):                "SaaDDDDD",
    ("budget.savings", "GET"):                       "SAADDDDD",
    ("budget.settings", "GET"):                      "SAADDDDD",
    ("budget.shared", "GET"):                        "SDDDDADD",
    ("budget.update_entry", "POST"):                 "SaDDDDDD",
    ("circles.calendar_file", "GET"):                "SADDADDD",
    ("circles.cancel", "POST"):                      "SDDDaDDD",
    ("circles.give_up_place", "POST"):               "SaaDDDDD",
    ("circles.index", "GET"):                        "SAADDDDD",
    ("circles.join", "POST"):                        "SaaDDDDD",
    ("circles.leave", "POST"):                       "SaaDDDDD",
    ("circles.manage", "GET"):                       "SDDDADDD",
    ("circles.mark_attendance", "POST"):             "SDDDaDDD",
    ("circles.mine", "GET"):                         "SDDAADDD",
    ("circles.move", "POST"):                        "SDDDaDDD",
    ("circles.new", "GET"):                          "SDDAADDD",
    ("circles.new", "POST"):                         "SDDaaDDD",
    ("circles.restore", "POST"):                     "SDDDaDDD",
    ("circles.session_page", "GET"):                 "SDDDADDD",
    ("circles.show", "GET"):                         "SAADDDDD",
    ("circles.take_place", "POST"):                  "SaaDDDDD",
    ("contact.contact_name", "POST"):                "SDDDDaaD",
    ("goals.add_step", "POST"):                      "SaDDDDDD",
    ("goals.adopt", "POST"):                         "SaaDDDDD",
    ("goals.change_state", "POST"):                  "SaDDDDDD",
    ("goals.decide", "POST"):                        "SDDDDaDD",
    ("goals.disagree", "POST"):                      "SaDDDDDD",
    ("goals.edit", "GET"):                           "SADDDDDD",
    ("goals.edit", "POST"):                          "SaDDDDDD",
    ("goals.index", "GET"):                          "SAADDDDD",
    ("goals.mark_read", "POST"):                     "SaDDDDDD",
    ("goals.move", "POST"):                          "SaDDDDDD",
    ("goals.new", "GET"):                            "SAADDDDD",
    ("goals.new", "POST"):                           "SaaDDDDD",
    ("goals.pathway_list", "GET"):                   "SAADDDDD",
    ("goals.remove_step", "POST"):                   "SaDDDDDD",
    ("goals.review", "GET"):                         "SDDDDADD",
    ("goals.review_list", "GET"):                    "SDDDDAAD",
    ("goals.review_person", "GET"):                  "SDDDDADD",
    ("goals.show", "GET"):                           "SADDDDDD",
    ("goals.toggle_step", "POST"):                   "SaDDDDDD",
    ("home.admin", "GET"):                           "SDDDDDDA",
    ("home.index", "GET"):                           "SAAAAAAA",
    ("home.mentor", "GET"):                          "SDDAADDD",
    ("home.staff", "GET"):                           "SDDDDAAD",
    ("home.survivor", "GET"):                        "SAADDDDD",
    ("i18n.choose_language", "POST"):                "Aaaaaaaa",
    ("privacy.access", "GET"):                       "SAADDDDD",
    ("reports.check_in", "GET"):                     "SAADDDDD",
    ("reports.delete_check_in", "POST"):             "SaDDDDDD",
    ("reports.export", "GET"):                       "SDDDDAAA",
    ("reports.index", "GET"):                        "SDDDDAAA",
    ("reports.save_check_in", "POST"):               "SaaDDDDD",
    ("privacy.closed", "GET"):                       "AAAAAAAA",
    ("privacy.delete", "GET"):                       "SAADDDDD",
    ("privacy.delete_confirmed", "POST"):            "S--DDDDD",
    ("privacy.export", "GET"):                       "SAADDDDD",
    ("privacy.export_html", "GET"):                  "SAADDDDD",
    ("privacy.export_json", "GET"):                  "SAADDDDD",
    ("privacy.index", "GET"):                        "SAADDDDD",
    ("privacy.save_sharing", "POST"):                "SaaDDDDD",
    ("privacy.sharing", "GET"):                      "SAADDDDD",
    ("static", "GET"):                               "AAAAAAAA",
}

# Objects that the matrix above does not reach: A's own appointment (booked by A, private by
# default, so not even A's case worker sees it) on the GET routes that open one.
PRIVATE_OBJECTS: dict[tuple[str, str], str] = {
    ("appointments.show", "own_appointment"):        "SADDDDDD",
    ("appointments.edit", "own_appointment"):        "SADDDDDD",
    ("appointments.download", "own_appointment"):    "SADDDDDD",
    ("appointments.reschedule", "own_appointment"):  "SADDDDDD",
}
# fmt: on

# The calendar feed answers to its key alone (a calendar app has no session): with A's key
# everyone gets it (the row above), without it no one does.
WRONG_FEED_KEYS = ["", "not-the-key", "A" * 43]

# Rows that no one may ever use, with the reason. None now: every route has some use.
DENY_ALL: dict[tuple[str, str], str] = {}

# Rows whose answers in the matrix are refusals of its empty form (or, for sign-out, the
# sign-in page it is meant to end on): test_someone_may_use_it shows their success.
SHOWN_BY_PROBE: dict[tuple[str, str], str] = {
    ("accounts.enrol_options", "POST"): "needs an enrolment code",
    ("accounts.enrol_verify", "POST"): "needs a passkey ceremony",
    ("accounts.enrol_sharing", "POST"): "needs an enrolment code and the sharing choices",
    ("accounts.sign_in_verify", "POST"): "needs a passkey ceremony",
    ("accounts.sign_out", "POST"): "its success is the sign-in page",
}
# Rows that someone may use but that the matrix does not exercise for them (only "a" and "-"
# cells; an "N" is no success: a key that matches nothing gets the same answer), and those
# above: each gets a valid request, in a fresh world, in test_someone_may_use_it.
PROBED = sorted(
    {key for key, row in EXPECTED.items() if set(row) & set("a-") and "A" not in row}
    | set(SHOWN_BY_PROBE)
)


# Query strings a route needs (the calendar feed's key is a query argument).
QUERY = {"appointments.feed": lambda w: f"?key={w.ids['feed_key']}"}


def url_params(w: World, endpoint: str, arguments: set[str]) -> dict[str, str]:
    ids = w.ids
    public_id = {
        "goals.review_person": ids["owner"],
        "appointments.answer_form": ids["request"],
        "appointments.answer": ids["request"],
        "appointments.record_outcome": ids["past_appointment"],
        "budget.edit_entry": ids["entry"],
        "budget.update_entry": ids["entry"],
        "budget.delete_entry": ids["entry"],
        "budget.delete_category": ids["category"],
        "budget.shared": ids["owner"],
        "admin_people.staff_caseload": ids["staff_with"],
        "accounts.remove_passkey_confirm": ids["passkey"],
        "accounts.remove_passkey": ids["passkey"],
        "accounts.rename_passkey": ids["passkey"],
        "reports.delete_check_in": ids["check_in"],
    }.get(endpoint)
    if public_id is None:
        blueprint = endpoint.split(".")[0]
        public_id = {
            "goals": ids["goal"],
            "appointments": ids["appointment"],
            "budget": ids["savings"],
            "circles": ids["circle"],
            "admin": ids["owner"],
        }.get(blueprint, ids["owner"])
    values = {
        "public_id": public_id,
        "step_id": ids["step"],
        # Attendance is taken for a session that has happened; the rest act on the next one.
        "token": ids["past_session" if endpoint == "circles.mark_attendance" else "session"],
        "action": "achieve",  # the goal was already sent for approval: "submit" would be a 409
        "key": {
            "goals.adopt": "stackable-training",
            "accounts.end_session": ids["session_key"],
        }.get(endpoint, "rent"),
        "filename": "css/app.css",
    }
    missing = arguments - values.keys()
    assert not missing, f"{endpoint}: no value for {missing}; add one to url_params"
    return {name: values[name] for name in arguments}


def route_url(app, w: World, rule) -> str:
    with app.test_request_context():
        params = url_params(w, rule.endpoint, set(rule.arguments))
    url = rule.build(params, append_unknown=False)[1] if params else rule.rule
    return url + (QUERY[rule.endpoint](w) if rule.endpoint in QUERY else "")


def outcome(response) -> str:
    code = response.status_code
    location = response.headers.get("Location", "")
    if code == 302 and location.split("?")[0].endswith("/sign-in"):
        return "S"
    if code == 401 and response.headers.get("HX-Redirect"):
        return "S"
    if code in (403, 404):
        return "D"
    if code >= 500 or code in (401, 405):
        return f"!{code}"
    return "A"


def succeeded(response) -> bool:
    """A real success: 2xx, or 3xx to somewhere other than sign-in (not a form's 400/422)."""
    code = response.status_code
    to_sign_in = response.headers.get("Location", "").split("?")[0].endswith("/sign-in")
    return 200 <= code < 300 or (300 <= code < 400 and not to_sign_in)


def cells(app):
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            yield rule, method


def test_private_objects_stay_private(app):
    w = build_world(app)
    problems = []
    urls = []
    for (endpoint, object_key), expected in PRIVATE_OBJECTS.items():
        with app.test_request_context():
            urls.append((url_for(endpoint, public_id=w.ids[object_key]), endpoint, expected))
    with app.test_request_context():
        feed = url_for("appointments.feed")
    urls += [
        (f"{feed}?key={key}", "appointments.feed", "D" * len(ACTORS)) for key in WRONG_FEED_KEYS
    ]
    for url, endpoint, expected in urls:
        for actor, want in zip(ACTORS, expected, strict=True):
            response = w.clients[actor].get(url)
            got = outcome(response)
            response.close()
            if got != want:
                problems.append(f"GET {url} ({endpoint}) as {actor}: expected {want}, got {got}")
    assert not problems, "\n".join(problems)


def test_every_route_answers_every_person_as_written(app):
    w = build_world(app)
    drafting = os.environ.get("MATRIX_DRAFT")
    assert drafting or not any("?" in row for row in EXPECTED.values())
    problems: list[str] = []
    draft: dict[tuple[str, str], str] = {}
    successes: set[tuple[str, str]] = set()
    # GETs first (they change nothing), then POSTs.
    ordered = sorted(cells(app), key=lambda c: c[1] != "GET")
    for rule, method in ordered:
        key = (rule.endpoint, method)
        expected = EXPECTED.get(key)
        if expected is None and not drafting:
            problems.append(f"{key} is not in EXPECTED: add its answers")
            continue
        expected = expected or "?" * len(ACTORS)
        assert len(expected) == len(ACTORS), key
        assert access_rule(app, rule.endpoint) is not None, key
        url = route_url(app, w, rule)
        got_row = ""
        for actor, want in zip(ACTORS, expected, strict=True):
            if want in "a-":
                got_row += want
                continue
            client = w.clients[actor]
            if method == "GET":
                response = client.get(url)
            else:
                response = client.post(url, data={"csrf_token": w.csrf(actor)})
            got = outcome(response)
            if want in "A?" and got == "A" and succeeded(response):
                successes.add(key)
            response.close()
            if rule.endpoint in ENDS_SESSION:
                sign_in_again(w, actor)
            got_row += got[0] if got[0] != "!" else "!"
            if want == "N" and got == "A":
                got = "N"
            if want != "?" and got != want:
                problems.append(
                    f"{method} {url} ({rule.endpoint}) as {actor}: expected {want}, "
                    f"got {got} ({response.status_code} {response.headers.get('Location', '')})"
                )
        draft[key] = got_row
    # Nothing anyone else posted reached A: still signed in, passkey still there, same name.
    assert w.clients["owner"].get("/account").status_code == 200
    passkey = db.session.scalar(select(Passkey).where(Passkey.public_id == w.ids["passkey"]))
    db.session.refresh(passkey)
    assert passkey.revoked_at is None and passkey.nickname == "My phone"
    stale = set(EXPECTED) - {(r.endpoint, m) for r, m in cells(app)}
    problems += [f"{key} is in EXPECTED but no longer a route" for key in sorted(stale)]
    # The positive control: someone succeeded on every row, here or in test_someone_may_use_it.
    for key, row in sorted(EXPECTED.items()):
        if key not in DENY_ALL and not set(row) & set("AaN-"):
            problems.append(f"{key}: refused to everyone ({row}); list it in DENY_ALL with why")
    for key in sorted(set(draft) - successes - set(PROBED) - set(DENY_ALL)):
        problems.append(
            f"{key}: no one succeeded (2xx, or 3xx not to sign-in). A wrong URL would pass "
            "such a row: fix its URL in url_params, add its valid request to "
            "tests/security/valid_forms.py and the row to SHOWN_BY_PROBE, or list it in "
            "DENY_ALL with the reason."
        )
    for key in sorted(successes & set(DENY_ALL)):
        problems.append(f"{key} is in DENY_ALL but someone succeeded: {DENY_ALL[key]}")
    if drafting:
        for (endpoint, method), row in sorted(draft.items()):
            print(f'    ("{endpoint}", "{method}"): "{row}",')
    assert not problems, "\n".join(problems)


def test_deny_all_rows_are_denied_to_all():
    for key, reason in DENY_ALL.items():
        assert reason and not set(EXPECTED[key]) & set("AaN-"), key


# --- the positive control ---------------------------------------------------------------------


def json_post(w: World, actor: str, url: str, body):
    return w.clients[actor].post(url, json=body, headers={"X-CSRFToken": w.csrf(actor)})


def _passkey_ceremony(w: World, actor: str, url: str, options_endpoint: str, body: dict):
    """The options request, then the authenticator's answer posted to the probed URL."""
    auth = SoftAuthenticator(current_app.config["ORIGIN"])
    with current_app.test_request_context():
        options = json_post(w, actor, url_for(options_endpoint), body)
    assert options.status_code == 200, options.get_json()
    return json_post(w, actor, url, auth.create(options.get_json())), auth


def _sign_in(w: World, actor: str, url: str):
    """Someone enrols a passkey on another device, then signs in with it here."""
    auth = SoftAuthenticator(current_app.config["ORIGIN"])
    _, code = team.invite(None, "Lee", "survivor")
    db.session.commit()
    assert enrol(current_app.test_client(), code, auth).status_code == 200
    with current_app.test_request_context():
        options = json_post(w, actor, url_for("accounts.sign_in_options"), {})
    return json_post(w, actor, url, auth.get(options.get_json()))


def _end_other_device(w: World, actor: str, url: str):
    """A's session on another device (prepared as w.ids["session_key"]) ends."""
    response = w.clients[actor].post(url, data={"csrf_token": w.csrf(actor)})
    assert len(accounts.sessions_of(w.people[actor])) == 1, "the other session is still there"
    return response


def _other_device(w: World) -> None:
    """A is signed in on a second device too; the URL's key is that session's."""
    other = current_app.test_client()
    sign_in(other, w.people["owner"])
    other.get("/account")
    current = w.ids["session_key"]
    [row] = [r for r in accounts.sessions_of(w.people["owner"]) if session_key(r) != current]
    w.ids["session_key"] = session_key(row)


# Requests other than "the valid form (or an empty JSON body), as the first actor who may".
PROBE_REQUESTS = {
    ("accounts.enrol_options", "POST"): lambda w, actor, url: json_post(
        w, actor, url, {"code": w.ids["code"]}
    ),
    ("accounts.enrol_verify", "POST"): lambda w, actor, url: _passkey_ceremony(
        w, actor, url, "accounts.enrol_options", {"code": w.ids["code"]}
    )[0],
    ("accounts.add_passkey_verify", "POST"): lambda w, actor, url: _passkey_ceremony(
        w, actor, url, "accounts.add_passkey_options", {}
    )[0],
    ("accounts.sign_in_verify", "POST"): _sign_in,
    ("accounts.end_session", "POST"): _end_other_device,
}
PROBE_SETUP = {("accounts.end_session", "POST"): _other_device}
JSON_ROUTES = {"accounts.add_passkey_options", "accounts.sign_in_options"}
# Routes whose success ends the session on the sign-in page.
SIGNS_OUT = {("accounts.sign_out", "POST")}


# Whose request it is, where not the first actor who may use the route.
PROBE_ACTOR = {("accounts.sign_out", "POST"): "owner"}  # anonymous, signing out shows nothing


def probe_actor(key: tuple[str, str]) -> str:
    """The first actor who may use the route ("A" or "a"), else one it would sign out ("-")."""
    if key in PROBE_ACTOR:
        return PROBE_ACTOR[key]
    row = EXPECTED[key]
    return next(
        actor
        for letters in ("Aa", "-")
        for actor, letter in zip(ACTORS, row, strict=True)
        if letter in letters
    )


@pytest.mark.parametrize(("endpoint", "method"), PROBED, ids=[f"{e} {m}" for e, m in PROBED])
def test_someone_may_use_it(app, endpoint, method):
    """The positive control of the rows that the matrix shows no success for."""
    key = (endpoint, method)
    w = build_world(app)
    actor = probe_actor(key)
    w.csrf(actor)  # before the setup: with an app PIN due, pages wait for the PIN
    prepare(w, endpoint)
    if key in PROBE_SETUP:
        PROBE_SETUP[key](w)
    rule = next(
        r for r in app.url_map.iter_rules() if r.endpoint == endpoint and method in r.methods
    )
    url = route_url(app, w, rule)
    client = w.clients[actor]
    if key in PROBE_REQUESTS:
        response = PROBE_REQUESTS[key](w, actor, url)
    elif method == "GET":
        response = client.get(url)
    elif endpoint in JSON_ROUTES:
        response = json_post(w, actor, url, {})
    else:
        form = VALID_FORMS[endpoint](w) if endpoint in VALID_FORMS else {}
        response = client.post(url, data={**form, "csrf_token": w.csrf(actor)})
    answer = f"{response.status_code} {response.headers.get('Location', '')}"
    response.close()
    if key in SIGNS_OUT:
        assert response.status_code == 303, answer
        assert outcome(client.get("/account")) == "S", f"{actor} still signed in"
    else:
        assert succeeded(response), f"{method} {url} as {actor}: {answer}"
