"""Who can see and change which goal: owners only, staff only what was shared with them."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from survivorapp.extensions import db
from survivorapp.goals.models import Goal
from survivorapp.people import caseload
from tests.factories import make_goal, make_user

SURVIVOR_POSTS = (
    "steps",
    "submit",
    "achieve",
    "archive",
    "restore",
    "reopen",
    "disagree",
    "read",
    "move",
    "edit",
)


def test_another_survivors_goal_answers_404_everywhere(survivor, other_survivor):
    client, _ = survivor
    theirs = make_goal(other_survivor, title="Their secret goal", steps=["Their step"])
    url = f"/goals/{theirs.public_id}"
    assert client.get(url).status_code == 404
    assert client.get(f"{url}/edit").status_code == 404
    token = client.csrf_token("/goals/")
    for action in SURVIVOR_POSTS:
        response = client.post(
            f"{url}/{action}",
            data={
                "csrf_token": token,
                "text": "x",
                "direction": "up",
                "title": "Mine now",
                "area": "other",
            },
        )
        assert response.status_code == 404, action
    step = theirs.steps[0]
    for action in ("toggle", "remove"):
        response = client.post(f"{url}/steps/{step.public_id}/{action}", data={"csrf_token": token})
        assert response.status_code == 404
    db.session.expire_all()
    goal = db.session.get(Goal, theirs.id)
    assert goal.title == "Their secret goal" and len(goal.steps) == 1 and goal.state == "private"
    assert "Their secret goal" not in client.get("/goals/").get_data(as_text=True)
    assert "Their secret goal" not in client.get("/home").get_data(as_text=True)


def test_a_step_of_another_goal_cannot_be_ticked_through_my_goal(survivor, other_survivor):
    client, mai = survivor
    mine = make_goal(mai)
    theirs = make_goal(other_survivor, steps=["Their step"])
    url = f"/goals/{mine.public_id}/steps/{theirs.steps[0].public_id}/toggle"
    assert client.post_form(url, page="/goals/").status_code == 404
    db.session.expire_all()
    assert db.session.get(Goal, theirs.id).steps[0].done_at is None


def test_staff_without_a_caseload_link_get_404(survivor, case_worker, as_role):
    _, mai = survivor
    goal = make_goal(mai, submit=True)
    other_staff, _ = as_role("staff")
    review = f"/goals/review/{goal.public_id}"
    assert other_staff.get(review).status_code == 404
    token = other_staff.csrf_token("/staff")
    assert (
        other_staff.post(
            f"{review}/decide", data={"csrf_token": token, "decision": "approve"}
        ).status_code
        == 404
    )
    assert other_staff.get(f"/goals/review/people/{mai.public_id}").status_code == 404
    assert goal.public_id not in other_staff.get("/staff").get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Goal, goal.id).state == "submitted"


def test_staff_never_see_a_private_goal(survivor, case_worker):
    _, mai = survivor
    staff_client, _ = case_worker
    goal = make_goal(mai, title="Only for me")
    assert staff_client.get(f"/goals/review/{goal.public_id}").status_code == 404
    person = staff_client.get(f"/goals/review/people/{mai.public_id}").get_data(as_text=True)
    assert "Only for me" not in person
    assert "0 shared goals" in staff_client.get("/goals/review").get_data(as_text=True)


def test_unassigned_survivors_private_goals_stay_private(as_role):
    ana = make_user("survivor")
    goal = make_goal(ana, title="Only for me")
    staff_client, _ = as_role("staff")
    assert staff_client.get(f"/goals/review/{goal.public_id}").status_code == 404
    assert staff_client.get(f"/goals/review/people/{ana.public_id}").status_code == 404


def test_once_assigned_the_shared_queue_no_longer_shows_the_goal(as_role):
    ana = make_user("survivor")
    goal = make_goal(ana, submit=True)
    assigned_client, assigned = as_role("staff")
    other_client, _ = as_role("staff")
    assert other_client.get(f"/goals/review/{goal.public_id}").status_code == 200
    caseload.assign(assigned, ana)
    db.session.commit()
    assert other_client.get(f"/goals/review/{goal.public_id}").status_code == 404
    assert assigned_client.get(f"/goals/review/{goal.public_id}").status_code == 200


@pytest.mark.parametrize("path", ["/goals/", "/goals/new", "/goals/pathways"])
def test_mentors_see_no_goals(as_role, path):
    client, _ = as_role("mentor")
    assert client.get(path).status_code == 403


def test_mentors_cannot_open_a_goal_or_review(as_role, survivor):
    _, mai = survivor
    goal = make_goal(mai, submit=True)
    client, _ = as_role("mentor")
    assert client.get(f"/goals/{goal.public_id}").status_code == 403
    assert client.get(f"/goals/review/{goal.public_id}").status_code == 403
    assert client.get("/goals/review").status_code == 403


def test_survivors_cannot_review(survivor, other_survivor):
    client, _ = survivor
    goal = make_goal(other_survivor, submit=True)
    assert client.get(f"/goals/review/{goal.public_id}").status_code == 403
    token = client.csrf_token("/goals/")
    response = client.post(
        f"/goals/review/{goal.public_id}/decide", data={"csrf_token": token, "decision": "approve"}
    )
    assert response.status_code == 403


def test_staff_have_no_way_to_edit_a_survivors_words(app, survivor, case_worker):
    _, mai = survivor
    staff_client, _ = case_worker
    goal = make_goal(mai, title="My words", steps=["My step"], submit=True)
    token = staff_client.csrf_token("/staff")
    edit = {
        "csrf_token": token,
        "title": "Staff words",
        "area": "other",
        "text": "Staff step",
        "why": "Staff why",
    }
    # The survivor's routes refuse staff...
    for path in (f"/goals/{goal.public_id}/edit", f"/goals/{goal.public_id}/steps"):
        assert staff_client.post(path, data=edit).status_code == 403
    # ...the decision ignores anything but the decision and comment...
    review = f"/goals/review/{goal.public_id}"
    staff_client.post(f"{review}/decide", data={**edit, "decision": "approve"})
    db.session.expire_all()
    stored = db.session.scalars(select(Goal).where(Goal.id == goal.id)).one()
    assert stored.title == "My words" and stored.why is None
    assert [s.text for s in stored.steps] == ["My step"]
    # ...and no staff route can change a goal other than by deciding.
    staff_rules = [
        rule
        for rule in app.url_map.iter_rules()
        if rule.endpoint.startswith("goals.")
        and "staff" in getattr(app.view_functions[rule.endpoint].access, "roles", ())
    ]
    posts = sorted(r.endpoint for r in staff_rules if "POST" in r.methods)
    assert posts == ["goals.decide"]
    # The review page has no form fields for the goal's words.
    page = staff_client.get(review).get_data(as_text=True)
    assert 'name="title"' not in page and 'name="text"' not in page
