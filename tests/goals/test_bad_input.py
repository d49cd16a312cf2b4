"""Bad input gets a clear message, a 4xx status and everything typed shown again, never a 500."""

from __future__ import annotations

import html
from datetime import date

import pytest
from sqlalchemy import func, select

from survivorapp.extensions import db
from survivorapp.goals.models import Goal, Step
from tests.factories import make_goal
from tests.goals.conftest import form_values


def last_month() -> str:
    today = date.today()
    year, month = (today.year, today.month - 1) if today.month > 1 else (today.year - 1, 12)
    return f"{year:04d}-{month:02d}"


def goal_count() -> int:
    return db.session.scalar(select(func.count()).select_from(Goal))


GOOD = {
    "area": "work",
    "title": "Find a job in a bakery",
    "why": "I love baking",
    "target_month": "",
}


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"title": ""}, "title", "Give your goal a short name."),
        ({"title": "   "}, "title", "Give your goal a short name."),
        ({"title": "x" * 10_000}, "title", "Keep the name to 200 characters or fewer."),
        ({"why": "y" * 2001}, "why", "Keep this to 2000 characters or fewer."),
        ({"target_month": last_month()}, "target_month", "Choose this month or a later one."),
        ({"target_month": "soon"}, "target_month", "Enter a month like 2027-03"),
        ({"target_month": "2027-13"}, "target_month", "Enter a month like 2027-03"),
        ({"area": "space-travel"}, "area", "Choose one of the areas in the list."),
        ({"area": ""}, "area", "Choose one of the areas in the list."),
    ],
)
def test_new_goal_errors_keep_what_was_typed(survivor, changes, field, message):
    client, _ = survivor
    data = {**GOOD, **changes}
    response = client.post_form("/goals/new", data, page="/goals/new")
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert message in page
    assert f'id="{field}-error"' in page
    values = form_values(page)
    for name in ("title", "why", "target_month"):
        assert html.unescape(values[name]) == data[name], name
    if data["area"] in ("work",):
        assert '<option selected value="work">' in page
    assert goal_count() == 0


def test_a_target_month_this_month_is_fine(survivor):
    client, _ = survivor
    month = date.today().strftime("%Y-%m")
    response = client.post_form("/goals/new", {**GOOD, "target_month": month}, page="/goals/new")
    assert response.status_code == 303
    assert db.session.scalars(select(Goal)).one().target_month == date.today().replace(day=1)


def test_missing_fields_are_errors_not_crashes(survivor):
    client, _ = survivor
    response = client.post_form("/goals/new", {}, page="/goals/new")
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Give your goal a short name." in page and "Choose one of the areas" in page
    assert goal_count() == 0


def test_html_and_script_are_shown_escaped(survivor, case_worker):
    client, _mai = survivor
    staff_client, _ = case_worker
    evil = '<script>alert("x")</script><b>bold</b>'
    response = client.post_form(
        "/goals/new", {**GOOD, "title": evil, "why": evil}, page="/goals/new"
    )
    assert response.status_code == 303
    goal = db.session.scalars(select(Goal)).one()
    assert goal.title == evil
    url = f"/goals/{goal.public_id}"
    client.post_form(f"{url}/steps", {"text": evil}, page=url)
    client.post_form(f"{url}/submit", page=url)
    for page in (
        client.get(url),
        client.get("/goals/"),
        client.get("/home"),
        staff_client.get(f"/goals/review/{goal.public_id}"),
    ):
        text = page.get_data(as_text=True)
        assert "<script>alert" not in text and "<b>bold</b>" not in text
        assert "&lt;script&gt;alert" in text
    # Errors re-render escaped too.
    bad = client.post_form("/goals/new", {**GOOD, "title": evil + "x" * 300}, page="/goals/new")
    assert bad.status_code == 422 and "<script>alert" not in bad.get_data(as_text=True)


def test_step_errors_keep_the_text(survivor):
    client, mai = survivor
    goal = make_goal(mai)
    url = f"/goals/{goal.public_id}"
    long_text = "s" * 301
    for text, message in (
        ("", "Write what the step is."),
        (long_text, "Keep a step to 300 characters or fewer."),
    ):
        for headers in ({}, {"HX-Request": "true"}):
            response = client.post_form(f"{url}/steps", {"text": text}, page=url, headers=headers)
            assert response.status_code == 422
            page = response.get_data(as_text=True)
            assert message in page
            assert f'value="{text}"' in page
    assert db.session.scalar(select(func.count()).select_from(Step)) == 0


def test_a_step_added_to_someone_elses_goal_is_404(survivor, other_survivor):
    client, _ = survivor
    theirs = make_goal(other_survivor)
    response = client.post_form(
        f"/goals/{theirs.public_id}/steps", {"text": "Mine"}, page="/goals/"
    )
    assert response.status_code == 404
    assert db.session.scalar(select(func.count()).select_from(Step)) == 0


@pytest.mark.parametrize(
    "path",
    [
        "/goals/12345",
        "/goals/abc",
        "/goals/-1/edit",
        "/goals/%00",
        "/goals/" + "9" * 500,
        "/goals/review/42",
        "/goals/review/people/nobody",
    ],
)
def test_unknown_or_non_numeric_ids_are_404(survivor, case_worker, path):
    client, _ = survivor
    staff_client, _ = case_worker
    who = staff_client if "/review" in path else client
    assert who.get(path).status_code == 404


def test_unknown_ids_in_posts_are_404(survivor):
    client, mai = survivor
    goal = make_goal(mai)
    token = client.csrf_token("/goals/")
    for path in (
        f"/goals/{goal.public_id}/steps/nope/toggle",
        "/goals/nope/submit",
        "/goals/pathways/no-such-plan",
        f"/goals/{goal.public_id}/fly",
    ):
        assert client.post(path, data={"csrf_token": token}).status_code in (404, 405), path


def test_bad_move_direction_is_400(survivor):
    client, mai = survivor
    goal = make_goal(mai)
    for direction in ({}, {"direction": "sideways"}, {"direction": "1"}):
        response = client.post_form(f"/goals/{goal.public_id}/move", direction, page="/goals/")
        assert response.status_code == 400


def test_bad_decision_is_422_and_keeps_the_comment(survivor, case_worker):
    _, mai = survivor
    staff_client, _ = case_worker
    goal = make_goal(mai, submit=True)
    review = f"/goals/review/{goal.public_id}"
    for data in (
        {"decision": "maybe", "comment": "Hello there"},
        {"comment": "Hello there"},
        {"decision": "changes", "comment": "c" * 2001},
    ):
        response = staff_client.post_form(f"{review}/decide", data, page=review)
        assert response.status_code == 422
        assert data["comment"] in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Goal, goal.id).state == "submitted"


def test_a_too_long_disagreement_note_is_kept(survivor, case_worker):
    client, mai = survivor
    staff_client, _ = case_worker
    goal = make_goal(mai, submit=True)
    review = f"/goals/review/{goal.public_id}"
    staff_client.post_form(
        f"{review}/decide", {"decision": "changes", "comment": "Why?"}, page=review
    )
    url = f"/goals/{goal.public_id}"
    note = "n" * 2001
    response = client.post_form(f"{url}/disagree", {"comment": note}, page=url)
    assert response.status_code == 422
    assert note in response.get_data(as_text=True)
    assert "Keep this to 2000 characters or fewer." in response.get_data(as_text=True)


def test_actions_in_the_wrong_state_answer_409(survivor):
    client, mai = survivor
    goal = make_goal(mai, submit=True)
    url = f"/goals/{goal.public_id}"
    for action in ("submit", "restore", "reopen", "disagree"):
        response = client.post_form(f"{url}/{action}", page=url)
        assert response.status_code == 409, action
        assert "cannot be done with this goal right now" in response.get_data(as_text=True)


def test_strange_form_values_never_crash(survivor):
    client, _ = survivor
    token = client.csrf_token("/goals/new")
    response = client.post(
        "/goals/new",
        data={
            "csrf_token": token,
            "title": ["a", "b"],
            "area": ["work", "money"],
            "target_month": "\x00\x00",
            "why": "a\x00b",
        },
    )
    assert response.status_code in (303, 422)
    response = client.post(
        "/goals/new",
        data=b"\xff\xfe garbage",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert response.status_code == 400


def test_an_overdue_goal_can_still_be_edited_but_not_moved_further_into_the_past(survivor):
    client, user = survivor
    year, month = map(int, last_month().split("-"))
    goal = make_goal(user, target_month=date(year, month, 1))
    db.session.commit()
    url = f"/goals/{goal.public_id}/edit"
    kept = {**GOOD, "title": "A new name", "target_month": last_month()}
    assert client.post_form(url, kept, page=url).status_code == 303
    db.session.refresh(goal)
    assert goal.title == "A new name" and goal.target_month == date(year, month, 1)
    earlier = {**kept, "target_month": f"{year - 1:04d}-{month:02d}"}
    response = client.post_form(url, earlier, page=url)
    assert response.status_code == 422
    assert "Choose this month or a later one." in response.get_data(as_text=True)
