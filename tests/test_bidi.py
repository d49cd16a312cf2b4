"""Text people type keeps its own direction, whatever the page's language.

An English title on an Arabic page (or Arabic on an English page) must be isolated, or
"Rent 200!" shows as "!Rent 200" and a translated sentence around it is scrambled. So every
piece of typed text a page shows sits in a <bdi> (the `bidi` filter) or in an element whose
nearest dir attribute is "auto", and every input or textarea holding typed text has dir="auto".

The page test stores the sample personal data of every feature (tests/privacy/samples.py),
opens every page that shows it, as the person, their case worker, a mentor and an admin, and
checks each place a sample string appears.
"""

from __future__ import annotations

import secrets
from datetime import timedelta
from html.parser import HTMLParser

from flask import url_for
from markupsafe import Markup
from sqlalchemy import select

from survivorapp.accounts.models import CaseloadLink, Passkey, User
from survivorapp.appointments.models import Appointment
from survivorapp.budget.models import BudgetCategory, BudgetEntry, SavingsGoal
from survivorapp.circles import membership as circle_membership
from survivorapp.circles import occurrences as circle_occurrences
from survivorapp.circles.models import Circle
from survivorapp.extensions import db
from survivorapp.goals.models import Goal
from survivorapp.i18n import bidi, isolate, isolates
from survivorapp.people import admin_services, contact_names
from survivorapp.privacy import consent
from tests.factories import make_appointment, make_move_request, make_user
from tests.helpers import sign_in
from tests.privacy.samples import build_samples

VOID = {
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param",
    "source", "track", "wbr",
}  # fmt: skip


class BidiScanner(HTMLParser):
    """Finds each marker in a page and notes where it is not isolated."""

    def __init__(self, markers):
        super().__init__(convert_charrefs=True)
        self.markers = [m for m in markers if m]
        self.stack: list[tuple[str, dict]] = []
        self.seen: list[str] = []
        self.problems: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "input":
            self._check_input(attrs)
        if tag not in VOID:
            self.stack.append((tag, attrs))

    def handle_startendtag(self, tag, attrs):
        if tag == "input":
            self._check_input(dict(attrs))

    def handle_endtag(self, tag):
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i][0] == tag:
                del self.stack[i:]
                return

    def handle_data(self, data):
        for marker in self.markers:
            if marker in data:
                self.seen.append(marker)
                if not self._isolated():
                    self.problems.append(f"text {marker!r} in {self._where()}")

    def _check_input(self, attrs):
        value = attrs.get("value") or ""
        if attrs.get("type") == "hidden":
            return
        for marker in self.markers:
            if marker in value:
                self.seen.append(marker)
                if attrs.get("dir") != "auto":
                    self.problems.append(f"input value {marker!r} in <input id={attrs.get('id')}>")

    def _isolated(self) -> bool:
        if any(tag == "bdi" for tag, _attrs in self.stack):
            return True
        for _tag, attrs in reversed(self.stack):
            if "dir" in attrs:
                return attrs["dir"] == "auto"
        return False

    def _where(self) -> str:
        return " > ".join(
            tag + "".join(f".{c}" for c in (attrs.get("class") or "").split()[:1])
            for tag, attrs in self.stack[-4:]
        )


def scan(html: str, markers) -> BidiScanner:
    scanner = BidiScanner(markers)
    scanner.feed(html)
    scanner.close()
    return scanner


# --- the scanner and the helpers themselves ---------------------------------------------------


def test_the_scanner_flags_text_that_is_not_isolated():
    html = """<html dir="rtl"><body>
      <h1>Rent 200!</h1>
      <p dir="ltr">Rent 200! <b>again</b></p>
      <p>ok: <bdi>Rent 200!</bdi></p>
      <blockquote dir="auto"><span>Rent 200!</span></blockquote>
      <input id="a" value="Rent 200!"><input id="b" dir="auto" value="Rent 200!">
      <textarea>Rent 200!</textarea><textarea dir="auto">Rent 200!</textarea>
      <select><option>Rent 200!</option><option dir="auto">Rent 200!</option></select>
    </body></html>"""
    scanner = scan(html, ["Rent 200!"])
    assert len(scanner.seen) == 10
    assert len(scanner.problems) == 5
    assert "h1" in scanner.problems[0] and "p" in scanner.problems[1]
    assert any("input id=a" in p for p in scanner.problems)
    assert not any("input id=b" in p for p in scanner.problems)


def test_the_filter_isolates_and_escapes(app):
    assert bidi("Rent 200!") == Markup("<bdi>Rent 200!</bdi>")
    assert bidi("<script>alert(1)</script>") == "<bdi>&lt;script&gt;alert(1)&lt;/script&gt;</bdi>"
    assert bidi(None) == "" and bidi("") == ""
    assert bidi(0) == "<bdi>0</bdi>"
    template = app.jinja_env.from_string(
        "{{ x|bidi }}|{{ _('You are signed in as %(name)s.', name=x|bidi) }}|{{ none|bidi }}."
    )
    with app.test_request_context():
        html = template.render(x="<b>Mai</b> & co", none=None)
    assert html == (
        "<bdi>&lt;b&gt;Mai&lt;/b&gt; &amp; co</bdi>|"
        "You are signed in as <bdi>&lt;b&gt;Mai&lt;/b&gt; &amp; co</bdi>.|."
    )


def test_typed_direction_controls_cannot_reach_past_the_isolation():
    """A name ending in POP DIRECTIONAL ISOLATE + RIGHT-TO-LEFT OVERRIDE would close its <bdi>
    early and turn the rest of the sentence backwards: isolated text drops every control."""
    sneaky = "Mai\u2069\u202e\u2066\u202a\u202b\u202c\u202d\u2067\u2068"
    assert bidi(sneaky) == "<bdi>Mai</bdi>"
    flashed = isolates(f"{isolate(sneaky)} is now with {isolate('Sam')}.")
    assert flashed == "<bdi>Mai</bdi> is now with <bdi>Sam</bdi>."
    assert bidi(Markup("<b>Mai</b>\u202e")) == "<bdi><b>Mai</b></bdi>"  # markup stays markup


def test_flash_messages_isolate_and_escape():
    flashed = f"{isolate('<b>Ana')} is now with {isolate('Sam')}."
    assert isolates(flashed) == "<bdi>&lt;b&gt;Ana</bdi> is now with <bdi>Sam</bdi>."
    assert isolates("<no isolates>") == "&lt;no isolates&gt;"


def test_the_caseload_flash_isolates_both_names(as_role):
    client, _admin = as_role("admin")
    staff = make_user("staff", pseudonym="Sam 2!")
    person = make_user("survivor", pseudonym="مي")
    response = client.post_form(
        "/admin/caseloads/assign",
        {"survivor": person.public_id, "staff": staff.public_id, "next": "/admin/caseloads"},
        page="/admin/caseloads",
        follow_redirects=True,
    )
    html = response.get_data(as_text=True)
    assert "<bdi>مي</bdi> is now with <bdi>Sam 2!</bdi>." in html
    assert "\u2068" not in html


# --- every page that shows typed text ---------------------------------------------------------


def _world():
    """Sample data of every feature for one person, who also runs a circle, plus an open
    request to move an appointment, a contact name and an admin's caseload change. Returns
    (person, case worker, mentor, admin, markers)."""
    tag = secrets.token_hex(3)
    person = make_user("survivor", "mentor", pseudonym=f"Sample person {tag}")
    markers = build_samples(person)
    admin = make_user("admin", pseudonym=f"Sample second admin {tag}")
    worker = make_user("staff", pseudonym=f"Sample worker {tag}")
    admin_services.assign(admin, person, worker)
    contact_names.set_contact_name(worker, f"Sample worker's contact name {tag}")
    consent.set_choices(person, dict.fromkeys(consent.choices_for(None), True), actor=person)
    booked = make_appointment(person, by=worker, place=f"Sample room {tag}")
    make_move_request(booked, days=2, message=f"Sample open request {tag}")
    db.session.commit()
    joined = next(c for c in db.session.scalars(select(Circle)) if c.mentor_id != person.id)
    mentor = db.session.get(User, joined.mentor_id)  # runs the circles the person joined
    # Every pseudonym, circle name and place, and contact name is typed text too.
    markers += [u.pseudonym for u in db.session.scalars(select(User))]
    for circle in db.session.scalars(select(Circle)):
        markers += [circle.name, circle.place]
    markers += [f"Sample worker's contact name {tag}", f"Sample room {tag}"]
    markers += [f"Sample open request {tag}"]
    return person, worker, mentor, admin, sorted(set(markers), key=len, reverse=True)


def _survivor_pages(person) -> list[str]:
    goals = db.session.scalars(select(Goal).where(Goal.owner_id == person.id)).all()
    appointments = db.session.scalars(
        select(Appointment).where(Appointment.survivor_id == person.id)
    ).all()
    entry = db.session.scalars(select(BudgetEntry).where(BudgetEntry.user_id == person.id)).first()
    category = db.session.scalars(
        select(BudgetCategory).where(BudgetCategory.user_id == person.id)
    ).first()
    saving = db.session.scalars(select(SavingsGoal).where(SavingsGoal.user_id == person.id)).first()
    passkey = db.session.scalars(select(Passkey).where(Passkey.user_id == person.id)).first()
    circles = db.session.scalars(select(Circle)).all()
    own = next(c for c in circles if c.mentor_id == person.id)
    cancelled = next(s for s in circle_occurrences.upcoming(own) if s.cancelled)
    return [
        url_for("home.survivor"),
        url_for("goals.index"),
        *(url_for("goals.show", public_id=g.public_id) for g in goals),
        *(url_for("goals.edit", public_id=g.public_id) for g in goals),
        url_for("appointments.index"),
        *(url_for("appointments.show", public_id=a.public_id) for a in appointments),
        *(
            url_for("appointments.edit", public_id=a.public_id)
            for a in appointments
            if a.booked_by_survivor
        ),
        url_for("appointments.calendar_settings"),
        url_for("budget.index", month=entry.on_date.strftime("%Y-%m")),
        url_for("budget.entries", month=entry.on_date.strftime("%Y-%m")),
        url_for("budget.edit_entry", public_id=entry.public_id),
        url_for("budget.add", category=category.public_id),
        url_for("budget.plan"),
        url_for("budget.savings"),
        url_for("budget.goal", public_id=saving.public_id),
        url_for("circles.index"),
        *(url_for("circles.show", public_id=c.public_id) for c in circles),
        url_for("circles.mine"),
        url_for("circles.manage", public_id=own.public_id),
        url_for("circles.session_page", public_id=own.public_id, token=cancelled.token),
        url_for("reports.check_in"),
        url_for("accounts.account"),
        url_for("accounts.devices"),
        url_for("accounts.remove_passkey_confirm", public_id=passkey.public_id),
        url_for("privacy.index"),
        url_for("privacy.access"),
        url_for("privacy.export"),
        url_for("privacy.export_html"),
    ]


def _staff_pages(person, worker) -> list[str]:
    goals = db.session.scalars(select(Goal).where(Goal.owner_id == person.id)).all()
    booked = db.session.scalars(
        select(Appointment).where(Appointment.created_by_id == worker.id)
    ).all()
    requests = [r for a in booked for r in a.requests]
    return [
        url_for("home.staff"),
        url_for("goals.review_list"),
        url_for("goals.review_person", public_id=person.public_id),
        *(url_for("goals.review", public_id=g.public_id) for g in goals),
        url_for("appointments.index"),
        url_for("appointments.queue"),
        *(url_for("appointments.show", public_id=a.public_id) for a in booked),
        *(url_for("appointments.answer_form", public_id=r.public_id) for r in requests),
        url_for("appointments.new"),
        url_for("budget.shared", public_id=person.public_id),
        url_for("people.people"),
        url_for("people.person", public_id=person.public_id),
        url_for("accounts.account"),
    ]


def _mentor_pages(person, mentor) -> list[str]:
    urls = [url_for("home.mentor"), url_for("circles.mine")]
    for circle in db.session.scalars(select(Circle).where(Circle.mentor_id == mentor.id)):
        urls.append(url_for("circles.manage", public_id=circle.public_id))
        token = _first_session_with(circle, person)
        urls.append(url_for("circles.session_page", public_id=circle.public_id, token=token))
    return urls


def _first_session_with(circle, person) -> str:
    """The first session (past or coming) that expects the person: a member or a drop-in."""
    start = circle_occurrences.dtstart(circle)
    for session in circle_occurrences.sessions(circle, start, start + timedelta(days=60)):
        if any(p.id == person.id for p, _single in circle_membership.expected(circle, session)):
            return session.token
    raise AssertionError(f"{person.pseudonym} expects no session of {circle.name}")


def _admin_pages(person, worker) -> list[str]:
    return [
        url_for("home.admin"),
        url_for("admin_people.people"),
        url_for("admin_people.person", public_id=person.public_id),
        url_for("admin_people.person", public_id=worker.public_id),
        url_for("admin_people.caseloads"),
        url_for("admin_people.staff_caseload", public_id=worker.public_id),
        url_for("admin.audit"),
    ]


def test_every_page_isolates_the_text_people_typed(app):
    person, worker, mentor, admin, markers = _world()
    assert db.session.get(CaseloadLink, person.id).staff_id == worker.id
    with app.test_request_context():
        visits = [
            (person, _survivor_pages(person)),
            (worker, _staff_pages(person, worker)),
            (mentor, _mentor_pages(person, mentor)),
            (admin, _admin_pages(person, worker)),
        ]
    problems, seen, pages = [], [], 0
    for user, urls in visits:
        client = app.test_client()
        sign_in(client, user)
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, (user.pseudonym, url, response.status_code)
            scanner = scan(response.get_data(as_text=True), markers)
            problems += [f"{url}: {p}" for p in scanner.problems]
            seen += scanner.seen
            pages += 1
    assert not problems, "\n".join(problems)
    # Not vacuous: many pages, many places, and every sample string was met at least once.
    assert pages >= 55, pages
    assert len(seen) >= 150, len(seen)
    assert not [m for m in markers if m not in seen]
