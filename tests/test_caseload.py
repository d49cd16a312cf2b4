"""Caseloads: one case worker per survivor, assigned from the command line until the admin
workspace has a page for it."""

from sqlalchemy import select

from survivorapp.database import is_public_id, new_public_id
from survivorapp.extensions import db
from survivorapp.people import caseload
from tests.factories import make_user


def test_assign_and_reassign(app):
    sam, alex = make_user("staff"), make_user("staff")
    mai = make_user("survivor")
    caseload.assign(sam, mai)
    db.session.commit()
    assert caseload.case_worker_of(mai) == sam
    assert caseload.on_caseload(sam.id, mai.id)
    caseload.assign(alex, mai)
    db.session.commit()
    assert caseload.case_worker_of(mai) == alex
    assert not caseload.on_caseload(sam.id, mai.id)
    assert db.session.scalars(caseload.caseload_query(alex.id)).all() == [mai]
    assert db.session.scalars(caseload.caseload_query(sam.id)).all() == []


def test_unassigned_survivors_form_the_shared_queue(app):
    sam = make_user("staff")
    mai, ana = make_user("survivor"), make_user("survivor")
    make_user("mentor")
    caseload.assign(sam, mai)
    db.session.commit()
    assert db.session.scalars(caseload.unassigned_survivors_query()).all() == [ana]


def test_only_staff_hold_caseloads(app):
    mentor, mai = make_user("mentor"), make_user("survivor")
    try:
        caseload.assign(mentor, mai)
    except ValueError:
        pass
    else:
        raise AssertionError("a mentor was given a caseload")


def test_public_ids_never_look_like_a_command_line_option():
    # One in 64 random ids would start with "-", and `flask assign Sam -x…` then fails.
    ids = [new_public_id() for _ in range(2000)]
    assert not [i for i in ids if i.startswith("-")]
    assert all(is_public_id(i) and len(i) == 16 for i in ids)


def test_assign_command(runner):
    sam = make_user("staff", pseudonym="Sam")
    mai = make_user("survivor", pseudonym="Mai")
    result = runner.invoke(args=["assign", "Sam", mai.public_id])
    assert result.exit_code == 0, result.output
    assert caseload.case_worker_of(mai) == sam
    bad = runner.invoke(args=["assign", "Mai", "Sam"])
    assert bad.exit_code != 0 and "only staff" in bad.output
    missing = runner.invoke(args=["assign", "Nobody", "Mai"])
    assert missing.exit_code != 0 and "nobody found" in missing.output
    assert db.session.scalars(select(caseload.CaseloadLink)).all()
