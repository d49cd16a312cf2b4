"""Admin workspace and privacy (issue 9): admin opens in the access log, export, deletion."""

from __future__ import annotations

import json

from sqlalchemy import select

from survivorapp.extensions import db
from survivorapp.people.admin_services import record_view
from survivorapp.people.contact_names import ContactName, set_contact_name
from survivorapp.privacy.models import AccessEvent
from survivorapp.privacy.services import delete_account
from tests.factories import make_user
from tests.helpers import sign_in
from tests.privacy.samples import rows_referencing_user


def test_admin_opening_an_account_shows_on_the_persons_access_page(app, admin_client):
    client, admin = admin_client
    person = make_user("survivor", pseudonym="Mai")
    assert client.get(f"/admin/people/{person.public_id}").status_code == 200
    mine = app.test_client()
    sign_in(mine, person)
    html = mine.get("/privacy/access").get_data(as_text=True)
    assert "Robin" in html and "looked at Your profile" in html
    # The admin looking at their own page, or pages that are not a person, log nothing.
    client.get(f"/admin/people/{admin.public_id}")
    client.get("/admin/people")
    assert len(db.session.scalars(select(AccessEvent)).all()) == 1


def test_a_post_on_the_person_page_is_not_a_view(admin_client):
    client, _ = admin_client
    person = make_user("survivor")
    page = "/admin/people"
    client.post_form(f"/admin/people/{person.public_id}/disable", {}, page=page)
    assert db.session.scalars(select(AccessEvent)).all() == []


def test_export_holds_the_contact_name_staff_chose(as_role):
    client, staff = as_role("staff", "survivor")  # privacy pages are for survivors
    set_contact_name(staff, "Sam at the drop-in")
    data = json.loads(client.get("/privacy/export/my-data.json").get_data(as_text=True))
    sections = {s["key"]: s for s in data["sections"]}
    assert sections["contact_name"]["title"] == "The name you show to the people you support"
    [row] = sections["contact_name"]["items"]
    assert row["Name"] == "Sam at the drop-in"


def test_deleting_staff_removes_their_contact_name_and_unlinks_their_looks(admin_client):
    _, admin = admin_client
    staff = make_user("staff")
    person = make_user("survivor")
    set_contact_name(staff, "Sam at the drop-in")
    admin_id = admin.id
    record_view(admin, person)
    delete_account(staff)
    delete_account(admin)
    db.session.expire_all()
    assert db.session.scalars(select(ContactName)).all() == []
    assert rows_referencing_user(admin_id) == []
    # The person still sees that someone looked, now as a former team member.
    [event] = db.session.scalars(select(AccessEvent)).all()
    assert (event.subject_id, event.viewer_id, event.area) == (person.id, None, "profile")
