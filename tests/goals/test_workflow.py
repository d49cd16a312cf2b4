"""The whole approval workflow on the server: create, add steps, share, ask for changes,
revise, resubmit, approve, and the survivor reads the history."""

from __future__ import annotations

import re
from datetime import date

from sqlalchemy import select

from survivorapp.extensions import db
from survivorapp.goals.models import Goal, GoalEvent
from survivorapp.security.audit import AuditEvent
from tests.factories import make_goal


def only_goal(user) -> Goal:
    db.session.expire_all()
    return db.session.scalars(select(Goal).where(Goal.owner_id == user.id)).one()


def test_the_workflow_from_first_step_to_approval(survivor, case_worker):
    client, mai = survivor
    staff_client, sam = case_worker

    # Create a goal: private, and it says so.
    response = client.post_form(
        "/goals/new",
        {
            "area": "housing",
            "title": "A room of my own",
            "why": "Somewhere calm",
            "target_month": "",
        },
        page="/goals/new",
    )
    assert response.status_code == 303
    goal = only_goal(mai)
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "A room of my own" in page
    assert "Only you can see this goal until you send it" in page
    assert goal.state == "private"

    # Staff never see a private goal.
    assert staff_client.get(f"/goals/review/{goal.public_id}").status_code == 404
    assert "A room of my own" not in staff_client.get("/staff").get_data(as_text=True)

    # Add steps and tick one.
    url = f"/goals/{goal.public_id}"
    for text in ("Find out about housing help", "Visit two rooms"):
        assert client.post_form(f"{url}/steps", {"text": text}, page=url).status_code == 303
    goal = only_goal(mai)
    assert [s.text for s in goal.steps] == ["Find out about housing help", "Visit two rooms"]
    step = goal.steps[0]
    client.post_form(f"{url}/steps/{step.public_id}/toggle", page=url)
    assert "1 of 2 steps done" in client.get(url).get_data(as_text=True)

    # Send it for approval: it reaches the case worker's queue.
    assert client.post_form(f"{url}/submit", page=url).status_code == 303
    home = staff_client.get("/staff").get_data(as_text=True)
    assert "Waiting for a decision" in home and f"/goals/review/{goal.public_id}" in home

    # Staff ask for changes, with a comment (required).
    review = f"/goals/review/{goal.public_id}"
    missing = staff_client.post_form(f"{review}/decide", {"decision": "changes"}, page=review)
    assert missing.status_code == 422
    assert "Say what you would like changed" in missing.get_data(as_text=True)
    answer = staff_client.post_form(
        f"{review}/decide",
        {"decision": "changes", "comment": "Could you add a date to aim for?"},
        page=review,
    )
    assert answer.status_code == 303
    assert only_goal(mai).state == "changes_requested"

    # The survivor sees the decision and the comment, with the staff pseudonym.
    page = client.get(url).get_data(as_text=True)
    assert "<bdi>Sam</bdi> suggested changes" in page
    assert "Could you add a date to aim for?" in page
    assert "You have 1 new reply about your goals." in client.get("/home").get_data(as_text=True)

    # They revise and send it again.
    month = date.today().replace(day=1).strftime("%Y-%m")
    edited = client.post_form(
        f"{url}/edit",
        {
            "area": "housing",
            "title": "A room of my own",
            "why": "Somewhere calm",
            "target_month": month,
        },
        page=f"{url}/edit",
    )
    assert edited.status_code == 303
    assert client.post_form(f"{url}/submit", page=url).status_code == 303
    assert only_goal(mai).state == "submitted"

    # Staff approve.
    assert (
        staff_client.post_form(f"{review}/decide", {"decision": "approve"}, page=review).status_code
        == 303
    )
    goal = only_goal(mai)
    assert goal.state == "approved"
    assert "Waiting for a decision" in staff_client.get("/staff").get_data(as_text=True)
    assert f"/goals/review/{goal.public_id}" not in staff_client.get("/staff").get_data(
        as_text=True
    )

    # The survivor sees the whole history: who, what, when.
    page = client.get(url).get_data(as_text=True)
    assert "<bdi>Sam</bdi> approved this goal" in page
    kinds = [
        e.kind
        for e in db.session.scalars(
            select(GoalEvent).where(GoalEvent.goal_id == goal.id).order_by(GoalEvent.id)
        )
    ]
    assert kinds == [
        "created",
        "submitted",
        "changes_requested",
        "edited",
        "resubmitted",
        "approved",
    ]
    # Their own lines are whole "You ..." sentences; the team's carry the name.
    flat = " ".join(page.split())
    for label in (
        "You created the goal",
        "You sent the goal for approval",
        "<strong><bdi>Sam</bdi></strong> <span>Asked for changes</span>",
        "You changed the goal",
        "You sent the goal again",
        "<strong><bdi>Sam</bdi></strong> <span>Approved the goal</span>",
    ):
        assert label in flat
    assert "Created the goal" not in page  # never "You" + a third-person line
    assert page.count("<time") >= 6

    # Decisions are audited without the comment.
    audits = db.session.scalars(select(AuditEvent).where(AuditEvent.action.like("goal_%"))).all()
    assert sorted(a.action for a in audits) == ["goal_approved", "goal_changes_requested"]
    assert all("date to aim" not in a.detail for a in audits)
    assert all(a.actor_id == sam.id and a.subject_id == mai.id for a in audits)


def test_the_survivor_can_record_that_they_disagree(survivor, case_worker):
    client, mai = survivor
    staff_client, _ = case_worker
    goal = make_goal(mai, submit=True)
    review = f"/goals/review/{goal.public_id}"
    staff_client.post_form(
        f"{review}/decide", {"decision": "changes", "comment": "Smaller steps?"}, page=review
    )
    url = f"/goals/{goal.public_id}"
    response = client.post_form(f"{url}/disagree", {"comment": "These steps suit me."}, page=url)
    assert response.status_code == 303
    assert only_goal(mai).state == "disagreed"
    staff_page = staff_client.get(review).get_data(as_text=True)
    assert "These steps suit me." in staff_page
    assert "Disagrees with the request" in staff_page
    # They can still send it again later.
    assert client.post_form(f"{url}/submit", page=url).status_code == 303
    assert only_goal(mai).state == "submitted"


def test_unassigned_survivors_goals_go_to_the_shared_queue(as_role):
    _client, ana = as_role("survivor", pseudonym="Ana")
    goal = make_goal(ana, title="Learn to drive", submit=True)
    for _ in range(2):
        staff_client, _staff = as_role("staff")
        home = staff_client.get("/staff").get_data(as_text=True)
        assert f"/goals/review/{goal.public_id}" in home
        assert "Shared list" in home
        assert "shared list that all staff see" in home
    review = f"/goals/review/{goal.public_id}"
    assert (
        staff_client.post_form(f"{review}/decide", {"decision": "approve"}, page=review).status_code
        == 303
    )
    assert only_goal(ana).state == "approved"
    # Deciding twice is refused kindly, not a crash.
    again = staff_client.post_form(f"{review}/decide", {"decision": "approve"}, page=review)
    assert again.status_code == 409


def test_queue_is_oldest_first_and_caseload_counts_shared_goals(
    survivor, case_worker, other_survivor
):
    _client, mai = survivor
    staff_client, sam = case_worker
    from survivorapp.people import caseload

    caseload.assign(sam, other_survivor)
    first = make_goal(other_survivor, title="First", submit=True)
    second = make_goal(mai, title="Second", submit=True)
    make_goal(mai, title="Private one")
    html = staff_client.get("/goals/review").get_data(as_text=True)
    assert html.index(first.public_id) < html.index(second.public_id)
    assert "Private one" not in html
    assert "Mai" in html and "Olena" in html
    assert "1 shared goal" in html


def test_achieved_goals_are_celebrated_and_kept(survivor):
    client, mai = survivor
    goal = make_goal(mai, steps=["One"])
    url = f"/goals/{goal.public_id}"
    client.post_form(f"{url}/achieve", page=url)
    page = client.get(url).get_data(as_text=True)
    assert "You achieved this goal. Well done!" in page
    index = client.get("/goals/").get_data(as_text=True)
    assert "Achieved" in index and goal.title in index
    client.post_form(f"{url}/archive", page=url)
    assert only_goal(mai).archived_at is not None
    client.post_form(f"{url}/restore", page=url)
    assert only_goal(mai).archived_at is None


def test_the_queue_pages_through_caseload_and_shared_list_in_order(case_worker):
    """Both sources merge oldest first, a page at a time, each goal once; another case
    worker's people never show."""
    from datetime import timedelta

    from survivorapp.database import utcnow
    from survivorapp.goals import review
    from survivorapp.people import caseload
    from tests.factories import make_user

    staff_client, sam = case_worker
    mine = make_user("survivor")
    unassigned = make_user("survivor")
    elsewhere = make_user("survivor")
    caseload.assign(sam, mine)
    caseload.assign(make_user("staff"), elsewhere)
    start = utcnow() - timedelta(days=1)
    expected = []
    for n in range(7):
        for owner in (mine, unassigned, elsewhere):
            goal = make_goal(owner, title=f"Goal {n}", submit=True)
            goal.submitted_at = start + timedelta(minutes=n)  # same minute: the id decides
            if owner is not elsewhere:
                expected.append(goal.id)
    db.session.commit()

    seen, cursor, pages = [], None, 0
    while True:
        page, cursor = review.approval_queue(sam, after=cursor, limit=3)
        seen += [goal.id for goal, _shared in page]
        assert all(shared == (goal.owner_id == unassigned.id) for goal, shared in page)
        pages += 1
        if cursor is None:
            break
    assert seen == sorted(expected, key=lambda i: (db.session.get(Goal, i).submitted_at, i))
    assert pages == 5  # 14 goals, 3 a page

    # The pages: the staff home shows the oldest five and links to the review page, which
    # shows twenty and links on while more wait.
    for n in range(7, 14):
        make_goal(unassigned, title=f"Goal {n}", submit=True)
    home = staff_client.get("/staff").get_data(as_text=True)
    assert home.count('class="goal-queue-item"') == 5
    assert 'href="/goals/review"' in home and "More goals waiting" in home
    assert "2 people you support" in home  # Mai and one more
    first = staff_client.get("/goals/review").get_data(as_text=True)
    assert first.count('class="goal-queue-item"') == 20
    more = re.search(r'href="(/goals/review\?after=[\w-]+)"', first).group(1)
    rest = staff_client.get(more).get_data(as_text=True)
    assert rest.count('class="goal-queue-item"') == 1
    assert "More goals waiting" not in rest
    # A cursor that names no goal starts from the beginning rather than failing.
    assert staff_client.get("/goals/review?after=%00nonsense").status_code == 200
