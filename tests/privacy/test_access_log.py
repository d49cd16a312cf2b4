"""The access log, and that staff without consent get nothing."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from survivorapp.extensions import db
from survivorapp.people import caseload
from survivorapp.privacy import areas, consent
from survivorapp.privacy.models import AccessEvent
from survivorapp.privacy.services import log_access, may_open
from tests.factories import make_user
from tests.helpers import sign_in


def events_about(user) -> int:
    return db.session.scalar(
        select(func.count()).select_from(AccessEvent).where(AccessEvent.subject_id == user.id)
    )


def signed_in_client(app, user):
    client = app.test_client()
    sign_in(client, user)
    return client


def test_staff_without_consent_get_nothing(staff_app):
    staff = make_user("staff", pseudonym="Sam")
    person = make_user("survivor", pseudonym="Mai")
    caseload.assign(staff, person)
    db.session.commit()
    staff_client = signed_in_client(staff_app, staff)
    url = f"/probe/budget/{person.public_id}"

    response = staff_client.get(url)  # budget summary is private by default
    assert response.status_code == 404
    assert b"budget-summary" not in response.data
    assert events_about(person) == 0

    consent.set_choices(person, {areas.BUDGET_SUMMARY: True}, actor=person)
    db.session.commit()
    response = staff_client.get(url)
    assert response.status_code == 200
    assert response.get_data(as_text=True) == f"budget-summary-for-{person.public_id}"
    assert events_about(person) == 1

    # The survivor sees that access on their page.
    page = signed_in_client(staff_app, person).get("/privacy/access").get_data(as_text=True)
    assert "Sam" in page and "Budget summary" in page and "monthly totals" in page

    consent.set_choices(person, {areas.BUDGET_SUMMARY: False}, actor=person)
    db.session.commit()
    assert staff_client.get(url).status_code == 404  # withdrawn: at once
    assert events_about(person) == 1


def test_only_staff_who_support_the_person_may_open(staff_app):
    mine, other = make_user("staff"), make_user("staff")
    admin = make_user("admin")
    person = make_user("survivor")
    caseload.assign(mine, person)
    consent.set_choices(person, {areas.BUDGET_SUMMARY: True})
    db.session.commit()
    assert may_open(mine, person, areas.BUDGET_SUMMARY)
    assert not may_open(other, person, areas.BUDGET_SUMMARY)
    assert not may_open(admin, person, areas.BUDGET_SUMMARY)  # admins: totals, not records
    assert may_open(admin, person, areas.PROFILE)
    for viewer in (other, admin):
        client = signed_in_client(staff_app, viewer)
        assert client.get(f"/probe/budget/{person.public_id}").status_code == 404
    assert events_about(person) == 0


def test_unassigned_survivors_are_open_to_all_staff_when_shared(app):
    staff, person = make_user("staff"), make_user("survivor")
    assert may_open(staff, person, areas.GOALS)  # shared by default, in the shared queue
    assert not may_open(staff, person, areas.CIRCLE_ATTENDANCE)


def test_access_page_shows_who_what_and_when_in_the_persons_time_zone(as_role):
    client, person = as_role("survivor", timezone="Asia/Bangkok")
    staff = make_user("staff", pseudonym="Alex")
    event = log_access(staff, person, areas.GOALS, what="<b>goal</b>")
    event.at = datetime(2026, 1, 5, 23, 30, tzinfo=UTC)  # 6 January 06:30 in Bangkok
    db.session.commit()
    html = client.get("/privacy/access").get_data(as_text=True)
    assert "Alex" in html
    assert "Goals you send for approval" in html
    assert "Jan 6, 2026" in html and "6:30" in html
    assert "&lt;b&gt;goal&lt;/b&gt;" in html and "<b>goal</b>" not in html


def test_another_survivor_cannot_see_it(as_role):
    _, person = as_role("survivor")
    other_client, _ = as_role("survivor")
    log_access(make_user("staff", pseudonym="Robin"), person, areas.GOALS)
    html = other_client.get("/privacy/access").get_data(as_text=True)
    assert "Robin" not in html
    assert "Nobody on the team has opened your records yet." in html
    staff_client, _ = as_role("staff")
    assert staff_client.get("/privacy/access").status_code == 403


def test_own_views_are_never_logged(app):
    person = make_user("survivor", "staff")
    assert log_access(person, person, areas.GOALS) is None
    assert events_about(person) == 0


def test_unknown_area_is_refused(app):
    staff, person = make_user("staff"), make_user("survivor")
    with pytest.raises(KeyError):
        log_access(staff, person, "diary")
    with pytest.raises(KeyError):
        may_open(staff, person, "diary")


def test_a_deleted_viewer_shows_as_a_former_team_member(as_role):
    client, person = as_role("survivor")
    staff = make_user("staff", pseudonym="Gone")
    log_access(staff, person, areas.GOALS)
    db.session.delete(staff)
    db.session.commit()
    html = client.get("/privacy/access").get_data(as_text=True)
    assert "A former team member" in html and "Gone" not in html


def test_the_log_and_the_export_name_staff_as_they_show_themselves(as_role):
    from survivorapp.people import caseload
    from survivorapp.people.contact_names import set_contact_name

    client, person = as_role("survivor")
    staff = make_user("staff", pseudonym="S. Okafor (team 3)")
    caseload.assign(staff, person)
    set_contact_name(staff, "Sam at the drop-in")
    log_access(staff, person, areas.GOALS, what="a goal")
    db.session.commit()
    html = client.get("/privacy/access").get_data(as_text=True)
    assert "Sam at the drop-in" in html and "Okafor" not in html
    exported = client.get("/privacy/export/my-data.json").get_data(as_text=True)
    assert "Sam at the drop-in" in exported and "Okafor" not in exported
