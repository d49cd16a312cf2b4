"""Only admins reach /admin/…; staff, mentors and participants get 403; nobody signed out."""

import pytest

from survivorapp.extensions import db
from tests.factories import make_user

ADMIN_GETS = ["/admin", "/admin/people", "/admin/caseloads", "/admin/settings", "/admin/audit"]


def admin_urls(person_id: str) -> list[str]:
    return [*ADMIN_GETS, f"/admin/people/{person_id}", f"/admin/caseloads/{person_id}"]


@pytest.mark.parametrize("role", ["staff", "mentor", "survivor"])
def test_other_roles_cannot_reach_any_admin_page(as_role, role):
    staff = make_user("staff")
    client, _ = as_role(role)
    for url in admin_urls(staff.public_id):
        assert client.get(url).status_code == 403, url
    for url in (
        f"/admin/people/{staff.public_id}/roles",
        f"/admin/people/{staff.public_id}/disable",
        "/admin/caseloads/assign",
        "/admin/settings",
    ):
        token = client.csrf_token("/account")
        response = client.post(url, data={"csrf_token": token, "roles": ["admin"]})
        assert response.status_code == 403, url
    db.session.refresh(staff)
    assert not staff.has_role("admin") and staff.is_active


def test_signed_out_people_are_sent_to_sign_in(client):
    for url in ADMIN_GETS:
        response = client.get(url)
        assert response.status_code == 302
        assert response.headers["Location"].endswith("/sign-in")


def test_every_admin_page_opens_for_an_admin(admin_client):
    client, _ = admin_client
    staff = make_user("staff")
    for url in admin_urls(staff.public_id):
        assert client.get(url).status_code == 200, url


def test_admin_home_shows_the_panels(admin_client):
    client, _ = admin_client
    make_user("survivor")
    html = client.get("/admin").get_data(as_text=True)
    assert "/admin/people" in html and "/admin/caseloads" in html and "/admin/settings" in html
    assert "1 person has no contact on staff yet." in html


def test_unknown_people_answer_404(admin_client):
    client, _ = admin_client
    assert client.get("/admin/people/nobody-here").status_code == 404
    assert client.get("/admin/people/" + "x" * 300).status_code == 404
    survivor = make_user("survivor")
    assert client.get(f"/admin/caseloads/{survivor.public_id}").status_code == 404


def test_no_admin_page_shows_a_participants_private_records(admin_client, app):
    """Admins manage accounts; no /admin route reaches goals, budget, appointments or circles."""
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/admin"):
            assert rule.endpoint.startswith(("admin.", "admin_people.", "home.admin")), rule.rule
