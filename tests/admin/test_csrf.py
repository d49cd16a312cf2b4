"""Every admin form needs a CSRF token."""

from survivorapp.extensions import db
from survivorapp.people import caseload
from tests.admin.conftest import settings_form
from tests.factories import make_user


def test_every_admin_form_needs_a_token(admin_client):
    client, _admin = admin_client
    person = make_user("survivor")
    staff = make_user("staff")
    posts = [
        (f"/admin/people/{person.public_id}/roles", {"roles": ["mentor"]}),
        (f"/admin/people/{person.public_id}/disable", {}),
        (f"/admin/people/{person.public_id}/enable", {}),
        ("/admin/caseloads/assign", {"survivor": person.public_id, "staff": staff.public_id}),
        ("/admin/settings", settings_form(brand_name="Hijacked")),
    ]
    for url, data in posts:
        assert client.post(url, data=data).status_code == 400, url
        assert client.post(url, data={**data, "csrf_token": "forged"}).status_code == 400, url
    db.session.refresh(person)
    assert person.roles == {"survivor"} and person.is_active
    assert caseload.case_worker_of(person) is None
    assert "Hijacked" not in client.get("/admin").get_data(as_text=True)


def test_contact_name_form_needs_a_token(as_role):
    client, _ = as_role("staff")
    assert client.post("/account/contact-name", data={"contact_name": "x"}).status_code == 400


def test_admin_pages_carry_tokens_in_their_forms(admin_client):
    client, _ = admin_client
    person = make_user("survivor")
    for page in ("/admin/settings", f"/admin/people/{person.public_id}", "/admin/caseloads"):
        assert 'name="csrf_token"' in client.get(page).get_data(as_text=True), page
