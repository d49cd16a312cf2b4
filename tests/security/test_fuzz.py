"""Hypothesis drives every form POST and every JSON endpoint as a signed-in person who may use
it, with a valid CSRF token: arbitrary Unicode (NUL, right-to-left marks, invalid UTF-8 where a
browser could send it), huge strings, wrong types (repeated fields for single ones, numbers as
text, impossible dates), missing and extra fields.

Asserted for every example: never a 5xx; and after a 4xx answer, nothing stored has changed (no
partial write): every column of every row of every table is compared, less the logs and the
few session columns that any request updates. Each endpoint gets a fresh world
(tests/security/world.py), so an example that legitimately changes things only affects later
examples of the same endpoint. Examples start from a valid form (tests/security/valid_forms.py)
where the endpoint reads one, so they also reach the code behind the first check.

POST endpoints without a valid form read no field at all (deletes, toggles, confirmations), or only
the one-time token `once`, which is among the fuzzed field names (circles.join,
circles.take_place, goals.adopt).

Closing one's account (privacy.delete_confirmed) is fuzzed by its own test: each example is sent
by a new person, since one that is accepted deletes whoever sent it.
"""

from __future__ import annotations

import hashlib
import inspect
import os
import re
from collections import Counter
from pathlib import Path
from urllib.parse import urlencode

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from survivorapp.accounts import lockout as accounts
from survivorapp.accounts.models import User
from survivorapp.extensions import db, limiter
from survivorapp.people.caseload import assign
from survivorapp.privacy.models import ClosedAccount
from survivorapp.security.access import access_rule
from tests.factories import make_goal, make_user
from tests.helpers import sign_in
from tests.privacy.samples import rows_referencing_user
from tests.security.test_authorization_matrix import url_params
from tests.security.valid_forms import VALID_FORMS, prepare
from tests.security.world import build_world

TEMPLATES = Path(__file__).resolve().parents[2] / "survivorapp" / "templates"
NOT_FIELDS = {
    "csrf_token",
    "viewport",
    "theme-color",
    "color-scheme",
    "htmx-config",
    "idle-lock",
    "referrer",
    "username",
}
# Every field name a template renders, plus the ones rendered from variables.
FIELDS = sorted(
    {
        n
        for path in TEMPLATES.rglob("*.html")
        for n in re.findall(r'name="([A-Za-z_][\w-]*)"', path.read_text())
    }
    - NOT_FIELDS
    | {
        "date", "end", "message", "link", "new_start", "new_end", "new_timezone", "once",
        "why", "comment", "position", "approve", "plan-food", "plan-rent", "plan-other",
        "exit_url", "brand_name", "session_idle_minutes", "session_max_hours",
        "enrolment_code_hours", "booked_appointments", "goals", "budget_summary",
        "own_appointments", "circle_attendance", "action", "step",
    }
)  # fmt: skip

# Values a real form would send, so that examples also get past the first check.
PLAUSIBLE = [
    "", "0", "1", "2", "8", "12.34", "300", "yes", "on", "true", "in", "out", "housing", "work",
    "expense", "income", "food", "rent", "goal", "bills", "accept", "decline", "propose",
    "approve", "weekly", "once", "count", "until", "in_person", "online", "wellbeing", "es",
    "en", "ar", "EUR", "JPY", "survivor", "staff", "mentor", "admin", "health", "counselling",
    "attended", "missed",
    "Europe/Madrid", "UTC", "10:00", "18:00", "23:59", "2026-12-01", "2027-01-15", "2026-12",
    "up", "down", "submit", "A room of my own", "cover", "app",
]  # fmt: skip
HOSTILE = [
    "\x00", "a\x00b", "\u202e\u200f", "\u200b", "\ufeff", "\U0001f600" * 50, "   ", "-1",
    "-0.01", "1e309", "NaN", "inf", "9" * 400, "0x10", "１２", "٣", "2026-02-30", "0000-00-00",
    "9999-12-31", "25:61", "24:00", "Mars/Olympus", "../../etc/passwd", "<script>x</script>",
    "'; DROP TABLE user; --", "%s%s%n", "{{7*7}}", "x" * 20_000, "Ω" * 5_000,
]  # fmt: skip

unicode_text = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=60)
scalar = st.one_of(
    st.sampled_from(PLAUSIBLE),
    st.sampled_from(HOSTILE),
    unicode_text,
    st.integers(min_value=-(10**20), max_value=10**20).map(str),
)
value = st.one_of(scalar, st.lists(scalar, min_size=2, max_size=3))
form_data = st.dictionaries(st.sampled_from([*FIELDS, "unexpected", "x" * 300]), value, max_size=14)
# Bytes that are not UTF-8 (a lone surrogate encoded, stray continuation bytes).
BAD_BYTES = st.sampled_from(["", "&note=%ED%A0%80", "&title=%FF%FE", "&name=%C0%AF&amount=%80"])

json_value = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), unicode_text),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(unicode_text, inner, max_size=3),
    max_leaves=8,
)
json_body = st.one_of(
    json_value,
    st.dictionaries(
        st.sampled_from(["id", "rawId", "type", "response", "code", "clientDataJSON", "x"]),
        json_value,
        max_size=5,
    ),
)

# Whose form it is, where the default (by the route's roles) would only be refused.
ACTOR = {"appointments.update": "staff_with"}
KEEP, DROP = object(), object()


def mutated(base: dict):
    return st.tuples(
        st.fixed_dictionaries(
            {k: st.one_of(st.just(KEEP), st.just(KEEP), value, st.just(DROP)) for k in base}
        ),
        form_data.map(lambda extra: dict(list(extra.items())[:3])),
    ).map(
        lambda pair: {
            **pair[1],
            **{k: (base[k] if v is KEEP else v) for k, v in pair[0].items() if v is not DROP},
        }
    )


JSON_ENDPOINTS = {
    "accounts.enrol_options",
    "accounts.enrol_verify",
    "accounts.sign_in_options",
    "accounts.sign_in_verify",
    "accounts.add_passkey_options",
    "accounts.add_passkey_verify",
}
# POSTs left out of test_no_500_and_no_partial_write, and why. The first four read no field
# (test_skipped_endpoints_read_no_field checks their views), so fuzzed fields never reach any
# code; and they end the acting session, so every later example would only meet the sign-in
# redirect.
SKIP = {
    "accounts.sign_out": "reads no field; ends the session",
    "accounts.lock_self": "reads no field; ends every other session and passkey (or all of them)",
    # Its one input is the session key in the URL, and the world's key is the acting session's.
    "accounts.end_session": "reads no field; ends the acting session",
    "safety.exit_beacon": "reads no field; ends the session",
    # A real form: fuzzed by test_account_deletion_form_fuzzed, a new person per example.
    "privacy.delete_confirmed": "fuzzed on its own: an accepted example deletes the actor",
}


def actor_for(app, endpoint: str) -> str:
    if endpoint in ACTOR:
        return ACTOR[endpoint]
    rule = access_rule(app, endpoint)
    roles = rule.roles if rule else frozenset()
    if not roles or "survivor" in roles:
        return "owner"
    if "mentor" in roles:
        return "circle_mentor"
    if "staff" in roles:
        return "staff_with"
    return "admin"


def post_endpoints() -> list[str]:
    from survivorapp import create_app
    from tests.conftest import app_config

    app = create_app(app_config("sqlite://"))
    found = {r.endpoint for r in app.url_map.iter_rules() if "POST" in r.methods}
    return sorted(found - set(SKIP))


ENDPOINTS = post_endpoints()


# Refused sign-ins are audited, and a member of staff who opened a survivor's goal is logged
# even when their form was refused (the page they see shows it): logs, not partial writes.
NOT_COUNTED = {"audit_event", "access_event"}
# Columns that any request may change, refused or not: what the session holds (its CSRF secret,
# flashed messages) and when it was last used.
CHANGE_ON_ANY_REQUEST = {"user_session": {"data", "last_seen_at"}}
# Refusals that write on purpose, and the columns they may change: only those are left out of
# the comparison (the rest of the table still must not change).
REFUSAL_WRITES = {
    "accounts.pin": {"account_security": {"pin_failures"}},  # a wrong PIN is counted (422)
}


def pin_due_again(w, actor: str) -> None:
    """Before each example: the PIN is asked again, no wrong one counted yet and the rate limit
    not reached, so that every example reaches the PIN check (not the lock-out or a 429, which
    the accounts tests cover)."""
    with w.clients[actor].session_transaction() as session:
        session.pop("pin_ok", None)
    accounts.security_of(w.people[actor]).pin_failures = 0
    db.session.commit()
    limiter.reset()


# State to restore before each example, where one example's success or refusal would keep
# later ones from reaching the code behind the first check.
BEFORE_EACH = {"accounts.pin": pin_due_again}


def table_digests(skip_columns=None, skip_tables=frozenset()) -> dict[str, str]:
    """A digest of each table's contents: every row, every column (values as the app reads
    them, so decrypted), in primary-key order; less {table: columns} in skip_columns."""
    digests = {}
    for table in db.metadata.sorted_tables:
        if table.name in NOT_COUNTED or table.name in skip_tables:
            continue
        skip = CHANGE_ON_ANY_REQUEST.get(table.name, set())
        skip = skip | (skip_columns or {}).get(table.name, set())
        columns = [c for c in table.columns if c.name not in skip]
        order = list(table.primary_key.columns) or columns
        rows = db.session.execute(select(*columns).order_by(*order)).all()
        digests[table.name] = hashlib.sha256(repr([tuple(r) for r in rows]).encode()).hexdigest()
    return digests


def examples_for(app) -> int:
    """25 an endpoint on SQLite, a smaller sample on PostgreSQL; FUZZ_EXAMPLES overrides."""
    if os.environ.get("FUZZ_EXAMPLES"):
        return int(os.environ["FUZZ_EXAMPLES"])
    return 5 if db.engine.dialect.name == "postgresql" else 25


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_no_500_and_no_partial_write(app, endpoint):
    w = build_world(app)
    actor = actor_for(app, endpoint)
    client = w.clients[actor]
    rule = next(
        r for r in app.url_map.iter_rules() if r.endpoint == endpoint and "POST" in r.methods
    )
    with app.test_request_context():
        url = rule.build(url_params(w, endpoint, set(rule.arguments)), append_unknown=False)[1]
    token = w.csrf(actor)
    prepare(w, endpoint)
    may_write = REFUSAL_WRITES.get(endpoint, {})

    def check(response, sent) -> None:
        status = response.status_code
        response.close()
        db.session.rollback()
        assert status < 500, (endpoint, sent)
        after = table_digests(may_write)
        if 400 <= status < 500:
            changed = sorted(name for name, digest in after.items() if before[0][name] != digest)
            assert not changed, f"{endpoint} changed {changed} on a {status}: {sent!r:.500}"
        before[0] = after

    before = [table_digests(may_write)]
    strict = settings(
        max_examples=examples_for(app),
        deadline=None,
        derandomize=not os.environ.get("FUZZ_EXAMPLES"),  # a wider run explores afresh
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )

    if endpoint in JSON_ENDPOINTS:

        @strict
        @given(body=json_body)
        def run(body):
            response = client.post(url, json=body, headers={"X-CSRFToken": token})
            check(response, body)

    else:
        base = VALID_FORMS[endpoint](w) if endpoint in VALID_FORMS else None
        forms = st.one_of(mutated(base), form_data) if base else form_data

        @strict
        @given(data=forms, bad=BAD_BYTES, htmx=st.booleans())
        def run(data, bad, htmx):
            if endpoint in BEFORE_EACH:
                BEFORE_EACH[endpoint](w, actor)
                before[0] = table_digests(may_write)
            pairs = [("csrf_token", token)]
            for key, item in data.items():
                pairs += [(key, v) for v in (item if isinstance(item, list) else [item])]
            body = urlencode(pairs) + bad
            headers = {"HX-Request": "true"} if htmx else {}
            response = client.post(
                url, data=body, content_type="application/x-www-form-urlencoded", headers=headers
            )
            check(response, data)

    run()


READS_INPUT = re.compile(r"request\.(form|values|files|json|get_json|data|get_data|stream)")


def test_skipped_endpoints_read_no_field(app):
    """The skips above hold only while those views read nothing from the request body."""
    for endpoint in set(SKIP) - {"privacy.delete_confirmed"}:
        source = inspect.getsource(inspect.unwrap(app.view_functions[endpoint]))
        assert not READS_INPUT.search(source), f"{endpoint} reads input now: fuzz it"


def test_the_digests_notice_a_partial_write(app):
    """The comparison can fail: one value changed anywhere (an encrypted one too) shows, and
    a refusal's permitted write hides only its own column."""
    person = make_user("survivor")
    goal = make_goal(person, steps=["Ask about rooms"])
    security = accounts.security_of(person)
    db.session.commit()
    pin = REFUSAL_WRITES["accounts.pin"]
    before, before_pin = table_digests(), table_digests(pin)

    def changed(skip=None) -> list[str]:
        db.session.commit()
        after = table_digests(skip)
        return sorted(n for n, d in after.items() if d != (before_pin if skip else before)[n])

    goal.steps[0].text = "Ask about flats"
    assert changed() == ["goal_step"]
    goal.steps[0].text = "Ask about rooms"
    assert changed() == []
    security.pin_failures = 3
    assert changed() == ["account_security"] and changed(pin) == []
    security.pin_hash = "changed on a refusal"
    assert changed(pin) == ["account_security"]


CONFIRM_WORDS = st.sampled_from(
    [
        "DELETE", "delete", " Delete ", "DÉLETE", "D\u0301ELETE", "ＤＥＬＥＴＥ", "DELETE\x00",
        "DELET", "DELETED", "DE LETE", "\u202eETELED", "DELETE" + " " * 200, "ELIMINAR",
        "x" * 20_000,
    ]
)  # fmt: skip


def test_account_deletion_form_fuzzed(app):
    """Closing one's account, fuzzed: never a 5xx; a refusal changes nothing at all; an
    accepted confirmation deletes exactly the sender's rows (and leaves the anonymous marker),
    nobody else's. Each example is sent by a new survivor, with a case worker and a goal, in a
    world where everyone else has one of everything."""
    w = build_world(app)
    staff = w.people["staff_with"]
    base = VALID_FORMS["privacy.delete_confirmed"](w)
    confirm = st.one_of(CONFIRM_WORDS, value)
    forms = st.one_of(
        mutated(base),
        form_data,
        st.tuples(confirm, form_data).map(lambda pair: {**pair[1], "confirm": pair[0]}),
    )
    outcomes = Counter()

    @settings(
        max_examples=examples_for(app),
        deadline=None,
        derandomize=not os.environ.get("FUZZ_EXAMPLES"),
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(data=forms, bad=BAD_BYTES, htmx=st.booleans())
    @example(data={"confirm": " délete ", "why": "x" * 300}, bad="&note=%ED%A0%80", htmx=True)
    @example(data={"confirm": ["nope", "DELETE"]}, bad="", htmx=False)
    def run(data, bad, htmx):
        without_person = table_digests()
        markers = db.session.scalar(select(func.count()).select_from(ClosedAccount))
        person = make_user("survivor")
        assign(staff, person)
        make_goal(person, title="To be deleted", steps=["A step"], submit=True)
        person_id = person.id
        client = app.test_client()
        sign_in(client, person)
        pairs = [("csrf_token", client.csrf_token("/account"))]
        for key, item in data.items():
            pairs += [(key, v) for v in (item if isinstance(item, list) else [item])]
        before = table_digests()
        response = client.post(
            "/privacy/delete",
            data=urlencode(pairs) + bad,
            content_type="application/x-www-form-urlencoded",
            headers={"HX-Request": "true"} if htmx else {},
        )
        status = response.status_code
        response.close()
        db.session.rollback()
        assert status < 500, data
        after = table_digests()
        if db.session.get(User, person_id) is None:
            outcomes["deleted"] += 1
            assert status < 400, (status, data)
            assert rows_referencing_user(person_id) == []
            changed = sorted(
                n for n, d in after.items() if d != without_person[n] and n != "closed_account"
            )
            assert not changed, (
                f"deleting changed {changed} beyond the person's rows: {data!r:.500}"
            )
            now = db.session.scalar(select(func.count()).select_from(ClosedAccount))
            assert now == markers + 1
        else:
            outcomes["refused"] += 1
            assert 400 <= status < 500, (status, data)
            changed = sorted(n for n, d in after.items() if d != before[n])
            assert not changed, f"a refused deletion changed {changed}: {data!r:.500}"

    run()
    # Both ways were taken: the checks above did not pass for want of examples.
    assert outcomes["deleted"] and outcomes["refused"], outcomes


SOURCE = Path(__file__).resolve().parents[2] / "survivorapp"
# Every query-string name the app reads, found in the source so that a new one is fuzzed too.
QUERY_ARGS = sorted(
    {
        n
        for path in SOURCE.rglob("*.py")
        for n in re.findall(r'args\.get(?:list)?\(\s*"([\w-]+)"', path.read_text())
    }
    | {"from", "to"}  # reports read the period through reports.forms.PeriodForm(request.args)
)
query_data = st.dictionaries(st.sampled_from([*QUERY_ARGS, "x" * 300]), value, max_size=6)


def get_endpoints() -> list[str]:
    from survivorapp import create_app
    from tests.conftest import app_config

    app = create_app(app_config("sqlite://"))
    found = {r.endpoint for r in app.url_map.iter_rules() if "GET" in r.methods}
    return sorted(found - {"static", "safety.quick_exit", "accounts.sign_out"})


def test_query_arguments_are_found():
    assert {"after", "month", "from", "to"} <= set(QUERY_ARGS), QUERY_ARGS


@pytest.mark.parametrize("endpoint", get_endpoints())
def test_no_500_from_any_query_string(app, endpoint):
    """Every page, as someone who may open it, with arbitrary query arguments: never a 5xx."""
    w = build_world(app)
    client = w.clients[actor_for(app, endpoint)]
    rule = next(r for r in app.url_map.iter_rules() if r.endpoint == endpoint)
    with app.test_request_context():
        url = rule.build(url_params(w, endpoint, set(rule.arguments)), append_unknown=False)[1]

    @settings(
        max_examples=max(3, examples_for(app) // 3),
        deadline=None,
        derandomize=not os.environ.get("FUZZ_EXAMPLES"),
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(data=query_data, bad=BAD_BYTES)
    @example(data=dict.fromkeys(QUERY_ARGS, "a\x00b"), bad="")  # PostgreSQL refuses NUL
    @example(data=dict.fromkeys(QUERY_ARGS, "9" * 400), bad="&after=%FF")
    def run(data, bad):
        pairs = [
            (key, v)
            for key, item in data.items()
            for v in (item if isinstance(item, list) else [item])
        ]
        response = client.get(f"{url}?{urlencode(pairs)}{bad}")
        status = response.status_code
        response.close()
        db.session.rollback()
        assert status < 500, (endpoint, data, bad)

    run()
