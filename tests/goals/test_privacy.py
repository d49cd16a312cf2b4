"""Goals and privacy (issue 9): consent, the access log, export and deletion."""

from __future__ import annotations

import json

from sqlalchemy import select

from survivorapp.extensions import db
from survivorapp.goals import access, services
from survivorapp.goals.models import Goal, GoalEvent, Step
from survivorapp.goals.review import approval_queue
from survivorapp.people import caseload
from survivorapp.privacy import areas, consent
from survivorapp.privacy.services import delete_account
from tests.factories import make_goal, make_user
from tests.helpers import access_events
from tests.privacy.samples import rows_referencing_user


def stop_sharing(person):
    consent.set_choices(person, {areas.GOALS: False}, actor=person)
    db.session.commit()


def test_staff_without_consent_get_nothing(survivor, case_worker):
    client, mai = survivor
    staff_client, sam = case_worker
    goal = make_goal(mai, title="Find a flat near school", submit=True)
    review = f"/goals/review/{goal.public_id}"
    person = f"/goals/review/people/{mai.public_id}"
    # Shared by default: the goal is in the queue and opens.
    assert [g.id for g, _shared in approval_queue(sam)[0]] == [goal.id]
    assert staff_client.get(review).status_code == 200
    assert staff_client.get(person).status_code == 200

    stop_sharing(mai)
    assert approval_queue(sam)[0] == []
    assert staff_client.get(review).status_code == 404
    assert staff_client.get(person).status_code == 404
    token = staff_client.csrf_token("/goals/review")
    decided = staff_client.post(
        f"{review}/decide", data={"csrf_token": token, "decision": "approve"}
    )
    assert decided.status_code == 404
    for page in ("/staff", "/goals/review"):
        html = staff_client.get(page).get_data(as_text=True)
        assert "Find a flat near school" not in html
        assert review not in html and person not in html, page
    assert "Keeps goals private for now" in html  # the review page lists the caseload
    db.session.expire_all()
    # The goal itself is untouched: still sent, waiting, as the survivor left it.
    assert db.session.get(Goal, goal.id).state == "submitted"
    page = client.get(f"/goals/{goal.public_id}").get_data(as_text=True)
    assert "the team does not see goals you send" in page and "/privacy/sharing" in page

    # Sharing again brings it back into the queue as it was.
    consent.set_choices(mai, {areas.GOALS: True}, actor=mai)
    db.session.commit()
    assert [g.id for g, _shared in approval_queue(sam)[0]] == [goal.id]
    assert staff_client.get(review).status_code == 200


def test_the_shared_queue_respects_consent_too(app):
    """People with no case worker: every member of staff sees their goals, unless private."""
    sam = make_user("staff")
    lone = make_user("survivor")
    goal = make_goal(lone, submit=True)
    assert [g.id for g, _shared in approval_queue(sam)[0]] == [goal.id]
    stop_sharing(lone)
    assert approval_queue(sam)[0] == []
    assert db.session.scalars(access.reviewable_goals_query(sam)).all() == []


def test_each_staff_view_is_logged_and_shown_to_the_survivor(survivor, case_worker):
    client, mai = survivor
    staff_client, sam = case_worker
    goal = make_goal(mai, title="Start an evening course", submit=True)
    assert access_events(mai) == []
    staff_client.get("/goals/review")  # a list with no goal text: not an access
    assert access_events(mai) == []

    assert staff_client.get(f"/goals/review/people/{mai.public_id}").status_code == 200
    assert staff_client.get(f"/goals/review/{goal.public_id}").status_code == 200
    events = access_events(mai)
    assert [(e.viewer_id, e.area, e.what) for e in events] == [
        (sam.id, "goals", None),
        (sam.id, "goals", "Start an evening course"),
    ]
    # The survivor's own views are never logged.
    client.get(f"/goals/{goal.public_id}")
    assert len(access_events(mai)) == 2
    html = client.get("/privacy/access").get_data(as_text=True)
    assert "Sam" in html and "Start an evening course" in html
    assert "Goals you send for approval" in html

    # Refused views are not logged.
    stop_sharing(mai)
    assert staff_client.get(f"/goals/review/{goal.public_id}").status_code == 404
    assert len(access_events(mai)) == 2


def test_export_holds_goals_steps_history_and_comments(survivor, case_worker):
    client, mai = survivor
    _, sam = case_worker
    goal = make_goal(
        mai, title="Open a bank account", why="To be paid safely", steps=["Ask for papers"]
    )
    services.toggle_step(goal.steps[0])
    services.submit(goal, mai)
    services.decide(goal, sam, approve=False, comment="Which bank suits you?")
    db.session.commit()

    data = json.loads(client.get("/privacy/export/my-data.json").get_data(as_text=True))
    sections = {s["key"]: s for s in data["sections"]}
    [row] = sections["goals"]["items"]
    assert sections["goals"]["title"] == "Goals"
    assert row["Goal"] == "Open a bank account"
    assert row["Why it matters"] == "To be paid safely"
    assert row["Area"] == "Housing" and row["State"] == "Changes suggested"
    [step] = sections["goal_steps"]["items"]
    assert step["Goal"] == "Open a bank account" and step["Step"] == "Ask for papers"
    assert step["Done"]  # an ISO time
    history = sections["goal_history"]["items"]
    assert [(h["What happened"], h["By"]) for h in history] == [
        ("Created the goal", "You"),
        ("Sent the goal for approval", "You"),
        ("Asked for changes", "Sam"),
    ]
    assert history[-1]["Comment"] == "Which bank suits you?"
    html = client.get("/privacy/export/my-data.html").get_data(as_text=True)
    assert "Which bank suits you?" in html and "Ask for papers" in html


def test_export_holds_nobody_elses_goals(survivor, other_survivor):
    client, _ = survivor
    make_goal(other_survivor, title="Their own goal", steps=["Their step"])
    text = client.get("/privacy/export/my-data.json").get_data(as_text=True)
    assert "Their own goal" not in text and "Their step" not in text


def test_deleting_a_survivor_removes_goals_steps_and_history(survivor, case_worker):
    _, mai = survivor
    _, sam = case_worker
    goal = make_goal(mai, steps=["One"], submit=True)
    services.decide(goal, sam, approve=True, comment="Well planned")
    db.session.commit()
    mai_id = mai.id
    delete_account(mai)
    db.session.expire_all()
    assert rows_referencing_user(mai_id) == []
    assert db.session.scalars(select(Goal)).all() == []
    assert db.session.scalars(select(Step)).all() == []
    assert db.session.scalars(select(GoalEvent)).all() == []


def test_deleting_staff_keeps_their_reply_on_the_survivors_goal(survivor, case_worker):
    client, mai = survivor
    _, sam = case_worker
    goal = make_goal(mai, submit=True)
    services.decide(goal, sam, approve=False, comment="Maybe start smaller?")
    db.session.commit()
    sam_id = sam.id
    delete_account(sam)
    db.session.expire_all()
    assert rows_referencing_user(sam_id) == []
    events = db.session.scalars(select(GoalEvent).where(GoalEvent.goal_id == goal.id)).all()
    reply = [e for e in events if e.kind == "changes_requested"]
    assert [(e.actor_id, e.comment) for e in reply] == [(None, "Maybe start smaller?")]
    html = client.get(f"/goals/{goal.public_id}").get_data(as_text=True)
    assert "Maybe start smaller?" in html and "A former team member" in html
    assert db.session.get(Goal, goal.id).owner_id == mai.id
    # The survivor is no longer on anyone's caseload; the goal waits in the shared queue.
    assert caseload.case_worker_of(mai) is None


def test_a_decision_reads_plainly_in_the_exported_account_activity(survivor, case_worker):
    client, mai = survivor
    _, sam = case_worker
    goal = make_goal(mai, submit=True)
    services.decide(goal, sam, approve=True, comment=None)
    db.session.commit()
    data = json.loads(client.get("/privacy/export/my-data.json").get_data(as_text=True))
    [events] = [s["items"] for s in data["sections"] if s["key"] == "events"]
    assert {"A goal was approved"} <= {e["What happened"] for e in events}
