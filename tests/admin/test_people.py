"""People: list, roles (with the last-admin guard), turning accounts off and on."""

import re

from sqlalchemy import select

from survivorapp.extensions import db
from survivorapp.people import caseload
from survivorapp.security.audit import AuditEvent
from survivorapp.security.sessions import UserSession
from tests.factories import make_user
from tests.helpers import sign_in


def events(action):
    return list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == action)))


def test_people_list_shows_everyone_with_roles_and_status(admin_client):
    client, _ = admin_client
    make_user("staff", pseudonym="Sam")
    make_user("survivor", "mentor", pseudonym="Lucía")
    off = make_user("survivor", pseudonym="Ana")
    client.post_form(f"/admin/people/{off.public_id}/disable", page="/admin/people")
    html = client.get("/admin/people").get_data(as_text=True)
    for name in ("Robin", "Sam", "Lucía", "Ana", "Peer mentor", "Participant", "Turned off"):
        assert name in html
    assert "4 people" in html


def test_people_list_filters_by_name_role_and_status(admin_client):
    client, _ = admin_client
    make_user("staff", pseudonym="Sam Green")
    make_user("survivor", pseudonym="Samira")
    make_user("survivor", pseudonym="Olena")
    html = client.get("/admin/people?q=sam").get_data(as_text=True)
    assert "Sam Green" in html and "Samira" in html and "Olena" not in html
    html = client.get("/admin/people?q=sam&role=staff").get_data(as_text=True)
    assert "Sam Green" in html and "Samira" not in html
    html = client.get("/admin/people?status=disabled").get_data(as_text=True)
    assert "Nobody matches." in html
    # htmx asks for the list only
    fragment = client.get("/admin/people?q=ole", headers={"HX-Request": "true"})
    text = fragment.get_data(as_text=True)
    assert "Olena" in text and "<html" not in text
    # odd input is not an error
    assert client.get("/admin/people?role=%00&status=x&q=" + "z" * 5000).status_code == 200


def test_admin_changes_roles_and_it_is_recorded(admin_client):
    client, admin = admin_client
    person = make_user("survivor")
    response = client.post_form(
        f"/admin/people/{person.public_id}/roles",
        {"roles": ["survivor", "mentor"]},
        page=f"/admin/people/{person.public_id}",
    )
    assert response.status_code == 303
    db.session.refresh(person)
    assert person.roles == {"survivor", "mentor"}
    (event,) = events("roles_changed")
    assert event.actor_id == admin.id and event.subject_id == person.id
    assert event.details == {"before": ["survivor"], "after": ["mentor", "survivor"]}


def test_a_new_role_takes_effect_on_the_next_request(admin_client, app):
    client, _ = admin_client
    person = make_user("survivor")
    other = app.test_client()
    sign_in(other, person)
    assert other.get("/mentor").status_code == 403
    client.post_form(
        f"/admin/people/{person.public_id}/roles",
        {"roles": ["survivor", "mentor"]},
        page="/admin/people",
    )
    assert other.get("/mentor").status_code == 200


def test_no_roles_at_all_is_refused_and_nothing_changes(admin_client):
    client, _ = admin_client
    person = make_user("staff")
    response = client.post_form(
        f"/admin/people/{person.public_id}/roles", {"roles": ["wizard"]}, page="/admin/people"
    )
    assert response.status_code == 422
    assert "Choose at least one role." in response.get_data(as_text=True)
    db.session.refresh(person)
    assert person.roles == {"staff"}


def test_the_last_admin_cannot_remove_their_own_admin_role(admin_client):
    client, admin = admin_client
    response = client.post_form(
        f"/admin/people/{admin.public_id}/roles", {"roles": ["staff"]}, page="/admin/people"
    )
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "You are the last admin" in html
    # what was ticked is kept on the page
    assert re.search(
        r'<input checked id="roles-\d" name="roles" type="checkbox" value="staff">', html
    )
    db.session.refresh(admin)
    assert admin.roles == {"admin"}
    assert events("roles_changed") == []


def test_with_another_admin_an_admin_may_step_down(admin_client):
    client, admin = admin_client
    make_user("admin")
    response = client.post_form(
        f"/admin/people/{admin.public_id}/roles", {"roles": ["staff"]}, page="/admin/people"
    )
    assert response.status_code == 303
    db.session.refresh(admin)
    assert admin.roles == {"staff"}
    # and is no longer an admin on the next request
    assert client.get("/admin/people").status_code == 403


def test_a_turned_off_admin_does_not_count_as_another_admin(admin_client):
    client, admin = admin_client
    other = make_user("admin")
    client.post_form(f"/admin/people/{other.public_id}/disable", page="/admin/people")
    response = client.post_form(
        f"/admin/people/{admin.public_id}/roles", {"roles": ["staff"]}, page="/admin/people"
    )
    assert response.status_code == 422


def test_removing_the_staff_role_returns_their_caseload_to_the_queue(admin_client):
    client, _ = admin_client
    staff = make_user("staff")
    survivor = make_user("survivor")
    caseload.assign(staff, survivor)
    db.session.commit()
    client.post_form(
        f"/admin/people/{staff.public_id}/roles", {"roles": ["mentor"]}, page="/admin/people"
    )
    assert caseload.case_worker_of(survivor) is None
    assert len(events("caseload_unassigned")) == 1


def test_disabling_ends_every_session_at_once(admin_client, app):
    client, admin = admin_client
    person = make_user("survivor")
    phone, laptop = app.test_client(), app.test_client()
    sign_in(phone, person)
    sign_in(laptop, person)
    assert phone.get("/home").status_code == 200
    response = client.post_form(
        f"/admin/people/{person.public_id}/disable", page=f"/admin/people/{person.public_id}"
    )
    assert response.status_code == 303
    rows = db.session.scalars(select(UserSession).where(UserSession.user_id == person.id))
    assert rows.all() == []
    # the open session gets the sign-in page on its very next request
    for device in (phone, laptop):
        answer = device.get("/home", follow_redirects=True)
        assert answer.request.path == "/sign-in"
        assert "<h1>Sign in</h1>" in answer.get_data(as_text=True)
    (event,) = events("account_disabled")
    assert event.actor_id == admin.id and event.details == {"sessions_ended": 2}
    db.session.refresh(person)
    assert not person.is_active


def test_a_disabled_account_cannot_sign_in_again(admin_client, app):
    client, _ = admin_client
    person = make_user("staff")
    client.post_form(f"/admin/people/{person.public_id}/disable", page="/admin/people")
    fresh = app.test_client()
    sign_in(fresh, person)  # a session row naming a turned-off person
    assert fresh.get("/staff").headers["Location"].endswith("/sign-in")


def test_an_admin_cannot_turn_off_their_own_account(admin_client):
    client, admin = admin_client
    response = client.post_form(f"/admin/people/{admin.public_id}/disable", page="/admin/people")
    assert response.status_code == 422
    assert "You cannot turn off your own account." in response.get_data(as_text=True)
    db.session.refresh(admin)
    assert admin.is_active


def test_enabling_again(admin_client, app):
    client, _ = admin_client
    person = make_user("survivor")
    client.post_form(f"/admin/people/{person.public_id}/disable", page="/admin/people")
    response = client.post_form(
        f"/admin/people/{person.public_id}/enable", page=f"/admin/people/{person.public_id}"
    )
    assert response.status_code == 303
    db.session.refresh(person)
    assert person.is_active
    assert len(events("account_enabled")) == 1
    again = app.test_client()
    sign_in(again, person)
    assert again.get("/home").status_code == 200


def test_unknown_person_in_a_post_is_404(admin_client):
    client, _ = admin_client
    for action in ("roles", "disable", "enable"):
        url = f"/admin/people/nope/{action}"
        assert client.post_form(url, {"roles": ["admin"]}, page="/admin/people").status_code == 404


def test_people_page_links_to_the_invite_page(admin_client):
    client, _ = admin_client
    html = client.get("/admin/people").get_data(as_text=True)
    assert 'href="/people/invite"' in html
    invite = client.get("/people/invite?role=mentor").get_data(as_text=True)
    assert re.search(r'<option (selected value="mentor"|value="mentor" selected)', invite)
