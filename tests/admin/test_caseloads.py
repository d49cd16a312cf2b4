"""Caseloads: assign and reassign participants; the participant sees who their contact is."""

from sqlalchemy import select

from survivorapp.extensions import db
from survivorapp.people import caseload
from survivorapp.security.audit import AuditEvent
from tests.factories import make_user


def test_caseloads_page_lists_staff_with_counts_and_the_queue(admin_client, staff_pair):
    client, _ = admin_client
    sam, _alex = staff_pair
    mai, olena = make_user("survivor", pseudonym="Mai"), make_user("survivor", pseudonym="Olena")
    make_user("survivor", pseudonym="Ana")
    caseload.assign(sam, mai)
    caseload.assign(sam, olena)
    db.session.commit()
    html = client.get("/admin/caseloads").get_data(as_text=True)
    assert "Sam" in html and "2 people" in html
    assert "Alex" in html and "0 people" in html
    queue = html.split("Waiting for a contact")[1]
    assert "Ana" in queue and "Mai" not in queue
    page = client.get(f"/admin/caseloads/{sam.public_id}").get_data(as_text=True)
    assert "Mai" in page and "Olena" in page and "Ana" not in page


def test_admin_assigns_and_reassigns(admin_client, staff_pair):
    client, admin = admin_client
    sam, alex = staff_pair
    ana = make_user("survivor", pseudonym="Ana")
    response = client.post_form(
        "/admin/caseloads/assign",
        {"survivor": ana.public_id, "staff": sam.public_id, "next": "/admin/caseloads"},
        page="/admin/caseloads",
    )
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/admin/caseloads")
    assert caseload.case_worker_of(ana).id == sam.id
    client.post_form(
        "/admin/caseloads/assign",
        {"survivor": ana.public_id, "staff": alex.public_id},
        page="/admin/caseloads",
    )
    assert caseload.case_worker_of(ana).id == alex.id
    assert caseload.on_caseload(alex.id, ana.id) and not caseload.on_caseload(sam.id, ana.id)
    actions = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "caseload_assigned")
    ).all()
    assert [e.actor_id for e in actions] == [admin.id, admin.id]
    # and off the caseload again
    client.post_form(
        "/admin/caseloads/assign", {"survivor": ana.public_id, "staff": ""}, page="/admin/caseloads"
    )
    assert caseload.case_worker_of(ana) is None


def test_assign_refuses_what_makes_no_sense(admin_client, staff_pair):
    client, _ = admin_client
    sam, _ = staff_pair
    ana = make_user("survivor")
    mentor = make_user("mentor")

    def post(data):
        return client.post_form("/admin/caseloads/assign", data, page="/admin/caseloads")

    # a mentor is not staff; staff is not a participant
    response = post({"survivor": ana.public_id, "staff": mentor.public_id})
    assert response.status_code == 422
    assert "Choose a member of staff." in response.get_data(as_text=True)
    assert post({"survivor": sam.public_id, "staff": sam.public_id}).status_code == 422
    # unknown or missing ids
    assert post({"survivor": "nope", "staff": sam.public_id}).status_code == 404
    assert post({"survivor": ana.public_id, "staff": "nope"}).status_code == 404
    assert post({}).status_code == 404
    assert post({"survivor": "x" * 10000}).status_code == 404
    assert caseload.case_worker_of(ana) is None


def test_turned_off_staff_cannot_take_a_caseload(admin_client, staff_pair):
    client, _ = admin_client
    sam, _ = staff_pair
    client.post_form(f"/admin/people/{sam.public_id}/disable", page="/admin/people")
    ana = make_user("survivor")
    response = client.post_form(
        "/admin/caseloads/assign",
        {"survivor": ana.public_id, "staff": sam.public_id},
        page="/admin/caseloads",
    )
    assert response.status_code == 422


def test_participant_sees_their_contact_by_the_name_staff_chose(as_role, staff_pair, app):
    client, survivor = as_role("survivor")
    sam, _ = staff_pair
    html = client.get("/home").get_data(as_text=True)
    assert "Your contact will show here once one is chosen." in html
    caseload.assign(sam, survivor)
    db.session.commit()
    assert "Your contact: <bdi>Sam</bdi>" in client.get("/home").get_data(as_text=True)
    # Sam chooses a name to show
    from tests.helpers import sign_in

    staff_client = app.test_client()
    sign_in(staff_client, sam)
    response = staff_client.post_form(
        "/account/contact-name", {"contact_name": "  Sam at the\n drop-in "}, page="/account"
    )
    assert response.status_code == 303
    home = client.get("/home").get_data(as_text=True)
    assert "Your contact: <bdi>Sam at the drop-in</bdi>" in home
    # the page title never says what the app is for
    assert "<title>Today · Daybook</title>" in client.get("/home").get_data(as_text=True)


def test_contact_name_form_on_the_account_page(as_role):
    client, staff = as_role("staff", pseudonym="Sam")
    html = client.get("/account").get_data(as_text=True)
    assert 'name="contact_name"' in html
    response = client.post_form(
        "/account/contact-name", {"contact_name": "S" * 200}, page="/account"
    )
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Use 60 characters or fewer." in html and "S" * 200 in html
    # empty means "show my pseudonym"
    client.post_form("/account/contact-name", {"contact_name": "Sammy"}, page="/account")
    client.post_form("/account/contact-name", {"contact_name": ""}, page="/account")
    from survivorapp.people.contact_names import contact_name

    assert contact_name(staff) == "Sam"


def test_only_staff_have_a_contact_name(as_role):
    client, _ = as_role("survivor")
    assert 'name="contact_name"' not in client.get("/account").get_data(as_text=True)
    response = client.post_form("/account/contact-name", {"contact_name": "x"}, page="/account")
    assert response.status_code == 403


def test_contact_names_are_encrypted_at_rest(as_role):
    from sqlalchemy import text

    client, _ = as_role("staff")
    client.post_form("/account/contact-name", {"contact_name": "Secret-Name"}, page="/account")
    raw = db.session.execute(text("SELECT name FROM contact_name")).scalars().all()
    assert raw and all(b"Secret-Name" not in bytes(v) for v in raw)
