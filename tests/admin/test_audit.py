"""The admin audit trail: every admin action, newest first, in plain words, paged."""

import re

from sqlalchemy import select

from survivorapp.extensions import db
from survivorapp.privacy.models import AccessEvent
from survivorapp.security import audit
from survivorapp.security.audit import AuditEvent
from tests.factories import make_user

CODE = re.compile(r"\b([2-9A-HJ-NP-TV-Z]{4}-[2-9A-HJ-NP-TV-Z]{4}-[2-9A-HJ-NP-TV-Z]{4})\b")


def test_audit_shows_actions_by_pseudonym_newest_first(admin_client):
    client, _ = admin_client
    person = make_user("survivor", pseudonym="Mai")
    staff = make_user("staff", pseudonym="Sam")
    client.post_form(
        "/admin/caseloads/assign",
        {"survivor": person.public_id, "staff": staff.public_id},
        page="/admin/caseloads",
    )
    client.post_form(
        f"/admin/people/{person.public_id}/roles",
        {"roles": ["survivor", "mentor"]},
        page="/admin/people",
    )
    client.post_form(f"/admin/people/{person.public_id}/disable", page="/admin/people")
    html = client.get("/admin/audit").get_data(as_text=True)
    for text in (
        "Account turned off",
        "Roles changed",
        "Added to a caseload",
        "By <bdi>Robin</bdi>",  # names are isolated from the sentence around them
        "For <bdi>Mai</bdi>",
        "Now with <bdi>Sam</bdi>",
        "From Participant to Peer mentor, Participant",
    ):
        assert text in html, text
    assert html.index("Account turned off") < html.index("Roles changed")
    assert html.index("Roles changed") < html.index("Added to a caseload")
    assert "caseload_assigned" not in html


def test_audit_leaves_out_sign_ins_and_other_private_events(admin_client):
    client, _admin = admin_client
    person = make_user("survivor")
    audit.record("sign_in", actor=person, subject=person, method="passkey")
    db.session.commit()
    html = client.get("/admin/audit").get_data(as_text=True)
    assert "sign_in" not in html and "passkey" not in html
    assert "Nothing yet." in html


def test_audit_is_paged(admin_client):
    client, admin = admin_client
    person = make_user("survivor")
    for _ in range(35):
        audit.record("account_enabled", actor=admin, subject=person, admin_action=True)
    db.session.commit()
    first = client.get("/admin/audit").get_data(as_text=True)
    assert first.count("Account turned on again") == 30 and "page=2" in first
    second = client.get("/admin/audit?page=2").get_data(as_text=True)
    assert second.count("Account turned on again") == 5 and "page=1" in second
    for odd in ("0", "-1", "abc", "9" * 50, "999"):
        assert client.get(f"/admin/audit?page={odd}").status_code == 200


def _code_shown(client, response) -> str:
    """The sign-in code on the page a people-page action redirects to."""
    assert response.status_code == 303, response.status_code
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    return CODE.search(html).group(1)


def test_every_admin_action_is_recorded(admin_client, staff_pair):
    from tests.admin.conftest import settings_form

    client, admin = admin_client
    sam, _ = staff_pair
    person = make_user("survivor")
    client.post_form(
        f"/admin/people/{person.public_id}/roles", {"roles": ["mentor"]}, page="/admin/people"
    )
    client.post_form(f"/admin/people/{person.public_id}/disable", page="/admin/people")
    client.post_form(f"/admin/people/{person.public_id}/enable", page="/admin/people")
    client.post_form(
        "/admin/caseloads/assign",
        {"survivor": make_user("survivor").public_id, "staff": sam.public_id},
        page="/admin/caseloads",
    )
    client.post_form("/admin/settings", settings_form(brand_name="Planner"), page="/admin/settings")
    # The people pages admins share with staff: invite, a new code, lock.
    codes = [
        _code_shown(
            client,
            client.post_form(
                "/people/invite", {"pseudonym": "Noor", "role": "staff"}, page="/people/invite"
            ),
        ),
        _code_shown(client, client.post_form(f"/people/{person.public_id}/new-code")),
        _code_shown(client, client.post_form(f"/people/{person.public_id}/lock")),
    ]
    events = db.session.scalars(select(AuditEvent).where(AuditEvent.actor_id == admin.id)).all()
    assert sorted(e.action for e in events) == sorted(
        [
            "roles_changed",
            "account_disabled",
            "account_enabled",
            "caseload_assigned",
            "org_settings_changed",
            "account_created",
            "enrolment_code_issued",
            "enrolment_code_issued",
            "account_locked",
            "enrolment_code_issued",
        ]
    )
    assert all(e.admin_action for e in events)
    html = client.get("/admin/audit").get_data(as_text=True)
    assert html.count('<li class="card">') == len(events)  # every one of them is shown
    for text in (
        "Person invited",
        "For <bdi>Noor</bdi>",
        "Role: Staff",
        "Account locked",
        "Passkeys stopped: 0",
        "Valid until",
    ):
        assert text in html, text
    assert html.count("New sign-in code made") == 3
    assert html.index("New sign-in code made") < html.index("Account locked")  # newest first
    for code in codes:  # discreet: the codes themselves never reach the log
        for part in [code, code.replace("-", ""), *code.split("-")]:
            assert part not in html
    for raw in ("account_created", "enrolment_code_issued", "account_locked", "hours"):
        assert raw not in html


def test_an_admin_who_is_also_staff_taking_someone_on_is_logged(as_role):
    client, _admin = as_role("admin", "staff", pseudonym="Robin")
    response = client.post_form(
        "/people/invite", {"pseudonym": "Kim", "role": "survivor"}, page="/people/invite"
    )
    assert response.status_code == 303
    html = client.get("/admin/audit").get_data(as_text=True)
    for text in ("Person invited", "Role: Participant", "Added to a caseload", "Now with"):
        assert text in html, text
    assert "New sign-in code made" in html


def test_staff_own_and_automatic_actions_stay_off_the_admin_log(admin_client, as_role):
    from survivorapp.accounts.lockout import lock_account

    client, _ = admin_client
    staff_client, _staff = as_role("staff")
    # A member of staff (not an admin) invites someone, makes them a new code, locks them.
    response = staff_client.post_form(
        "/people/invite", {"pseudonym": "Kim", "role": "survivor"}, page="/people/invite"
    )
    kim_id = response.headers["Location"].split("/")[-2]
    assert staff_client.post_form(f"/people/{kim_id}/new-code").status_code == 303
    assert staff_client.post_form(f"/people/{kim_id}/lock").status_code == 303
    # Another admin's own account: locking their other devices, adding a passkey.
    other_admin = make_user("admin")
    lock_account(other_admin, actor=other_admin, reason="self")
    audit.record("passkey_added", actor=other_admin, subject=other_admin, passkey="x")
    # The app itself locks an account after too many wrong PINs.
    lock_account(make_user("survivor"), actor=None, reason="pin_failures", issue=False)
    db.session.commit()
    recorded = [e.action for e in db.session.scalars(select(AuditEvent))]
    for action in ("account_created", "caseload_assigned", "enrolment_code_issued"):
        assert action in recorded
    assert recorded.count("account_locked") == 3
    assert db.session.scalars(select(AuditEvent).where(AuditEvent.admin_action)).all() == []
    html = client.get("/admin/audit").get_data(as_text=True)
    assert "Nothing yet." in html and '<li class="card">' not in html


def test_opening_a_participants_account_page_is_recorded_in_their_access_log(admin_client):
    """One mechanism: the access log (privacy), not a second audit event."""
    client, admin = admin_client
    person = make_user("survivor", pseudonym="Mai")
    staff = make_user("staff")
    client.get(f"/admin/people/{person.public_id}")
    client.get(f"/admin/people/{staff.public_id}")
    events = db.session.scalars(select(AccessEvent)).all()
    assert [(e.viewer_id, e.subject_id, e.area) for e in events] == [
        (admin.id, person.id, "profile")
    ]
    assert (
        db.session.scalars(select(AuditEvent).where(AuditEvent.subject_id == person.id)).all() == []
    )


def test_upgrading_puts_earlier_admin_actions_on_the_log(tmp_path):
    """The migration that adds admin_action marks events recorded before it by the same rule."""
    from flask_migrate import upgrade
    from sqlalchemy import text

    from survivorapp import create_app
    from tests.conftest import app_config
    from tests.test_database import migration_urls

    for url in migration_urls(tmp_path):
        app = create_app(app_config(url), instance_path=str(tmp_path))
        with app.app_context():
            if db.engine.dialect.name == "postgresql":
                with db.engine.begin() as conn:
                    conn.execute(text("DROP SCHEMA IF EXISTS migrations CASCADE"))
                    conn.execute(text("CREATE SCHEMA migrations"))
            upgrade(revision="a978ccb115eb")
            admin, staff, person = make_user("admin"), make_user("staff"), make_user("survivor")
            rows = [
                ("roles_changed", admin.id, person.id),
                ("org_settings_changed", admin.id, None),
                ("account_created", admin.id, person.id),
                ("enrolment_code_issued", admin.id, person.id),
                ("account_locked", admin.id, admin.id),  # their own: stays off
                ("account_created", staff.id, person.id),  # staff: stays off
                ("caseload_assigned", staff.id, person.id),
                ("account_locked", None, person.id),  # the app itself: stays off
                ("sign_in", admin.id, admin.id),
            ]
            for n, (action, actor, subject) in enumerate(rows):
                db.session.execute(
                    text(
                        "INSERT INTO audit_event (id, at, action, actor_id, subject_id, detail)"
                        " VALUES (:id, CURRENT_TIMESTAMP, :action, :actor, :subject, '{}')"
                    ),
                    {"id": n + 1, "action": action, "actor": actor, "subject": subject},
                )
            db.session.commit()
            db.session.remove()
            upgrade()
            marked = db.session.scalars(
                select(AuditEvent.id).where(AuditEvent.admin_action).order_by(AuditEvent.id)
            ).all()
            assert marked == [1, 2, 3, 4], db.engine.dialect.name
            db.session.remove()
            if db.engine.dialect.name == "postgresql":
                with db.engine.begin() as conn:
                    conn.execute(text("DROP SCHEMA migrations CASCADE"))
            db.engine.dispose()
