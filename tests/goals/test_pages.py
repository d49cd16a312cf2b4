"""Goal pages with and without htmx, reordering, pathways and the home panels."""

from __future__ import annotations

from flask_babel import force_locale
from sqlalchemy import select

from survivorapp.accounts.models import User
from survivorapp.extensions import db
from survivorapp.goals.models import Goal
from survivorapp.goals.pathways import PATHWAYS
from tests.factories import make_goal
from tests.helpers import sign_in

HX = {"HX-Request": "true"}


def test_htmx_gets_the_goal_card_alone(survivor):
    client, mai = survivor
    goal = make_goal(mai, steps=["Call the council"])
    url = f"/goals/{goal.public_id}"
    step = goal.steps[0]
    response = client.post_form(f"{url}/steps/{step.public_id}/toggle", page=url, headers=HX)
    assert response.status_code == 200
    fragment = response.get_data(as_text=True)
    assert "<html" not in fragment and f'id="goal-{goal.public_id}"' in fragment
    assert 'aria-pressed="true"' in fragment and "1 of 1 step done" in fragment
    assert "HX-Request" in response.headers["Vary"]

    added = client.post_form(f"{url}/steps", {"text": "Book a visit"}, page=url, headers=HX)
    assert added.status_code == 200 and "Book a visit" in added.get_data(as_text=True)
    assert "1 of 2 steps done" in added.get_data(as_text=True)

    shared = client.post_form(f"{url}/submit", page=url, headers=HX)
    text = shared.get_data(as_text=True)
    assert shared.status_code == 200 and "<html" not in text
    assert "Sent: waiting for a reply" in text
    assert "You sent the goal for approval" in text and "You sent the goal again" not in text


def test_without_javascript_actions_redirect_back_to_the_goal(survivor):
    client, mai = survivor
    goal = make_goal(mai, steps=["Call the council"])
    url = f"/goals/{goal.public_id}"
    response = client.post_form(f"{url}/steps/{goal.steps[0].public_id}/toggle", page=url)
    assert response.status_code == 303 and response.headers["Location"] == url


def test_goals_move_up_and_down_with_and_without_htmx(survivor):
    client, mai = survivor
    a, _b, c = (make_goal(mai, title=t) for t in ("Alpha", "Bravo", "Charlie"))

    def order(html):
        return sorted(("Alpha", "Bravo", "Charlie"), key=html.index)

    assert order(client.get("/goals/").get_data(as_text=True)) == ["Alpha", "Bravo", "Charlie"]
    response = client.post_form(f"/goals/{c.public_id}/move", {"direction": "up"}, page="/goals/")
    assert response.status_code == 303
    assert order(client.get("/goals/").get_data(as_text=True)) == ["Alpha", "Charlie", "Bravo"]
    response = client.post_form(
        f"/goals/{a.public_id}/move", {"direction": "down"}, page="/goals/", headers=HX
    )
    fragment = response.get_data(as_text=True)
    assert response.status_code == 200 and 'id="goal-list"' in fragment and "<html" not in fragment
    assert order(fragment) == ["Charlie", "Alpha", "Bravo"]
    # Moving the first up is a no-op, not an error.
    client.post_form(f"/goals/{c.public_id}/move", {"direction": "up"}, page="/goals/")
    assert order(client.get("/goals/").get_data(as_text=True)) == ["Charlie", "Alpha", "Bravo"]


def test_adopting_a_pathway_makes_a_private_goal_that_can_be_changed(survivor):
    client, mai = survivor
    page = client.get("/goals/pathways").get_data(as_text=True)
    assert "Emergency" in page and "Independent living" in page and "certificate" in page
    response = client.post_form("/goals/pathways/housing-phases", page="/goals/pathways")
    assert response.status_code == 303
    goal = db.session.scalars(select(Goal).where(Goal.owner_id == mai.id)).one()
    assert goal.state == "private" and goal.pathway == "housing-phases"
    assert [s.text.split(":")[0] for s in goal.steps] == [
        "Emergency",
        "Transitional",
        "Supported",
        "Independent living",
    ]
    url = f"/goals/{goal.public_id}"
    edited = client.post_form(
        f"{url}/edit", {"area": "housing", "title": "My own flat in town"}, page=f"{url}/edit"
    )
    assert edited.status_code == 303
    client.post_form(f"{url}/steps/{goal.steps[0].public_id}/remove", page=url)
    db.session.expire_all()
    goal = db.session.get(Goal, goal.id)
    assert goal.title == "My own flat in town" and len(goal.steps) == 3


def test_pathway_texts_are_stored_in_the_persons_language(app, survivor):
    _, mai = survivor
    from survivorapp.goals import services

    with app.test_request_context(), force_locale("en"):
        goal = services.adopt_pathway(mai, PATHWAYS[1])
    assert isinstance(goal.title, str) and goal.steps[-1].text.endswith("certificate")


def test_the_survivor_home_panel_summarises_goals(survivor):
    client, mai = survivor
    make_goal(mai, title="Open a bank account", steps=["Find a bank", "Book a visit"])
    home = client.get("/home").get_data(as_text=True)
    assert "Open a bank account" in home and "0 of 2 steps done" in home


def test_mark_a_reply_as_read(survivor, case_worker):
    client, mai = survivor
    staff_client, _ = case_worker
    goal = make_goal(mai, submit=True)
    review = f"/goals/review/{goal.public_id}"
    staff_client.post_form(f"{review}/decide", {"decision": "approve"}, page=review)
    assert "1 new reply" in client.get("/home").get_data(as_text=True)
    url = f"/goals/{goal.public_id}"
    client.post_form(f"{url}/read", page=url)
    assert "new reply" not in client.get("/home").get_data(as_text=True)


def test_page_titles_are_neutral(survivor, case_worker):
    client, mai = survivor
    staff_client, _ = case_worker
    goal = make_goal(mai, title="Leave the flat they keep me in", submit=True)
    for c, path in (
        (client, "/goals/"),
        (client, f"/goals/{goal.public_id}"),
        (client, "/goals/new"),
        (client, "/goals/pathways"),
        (staff_client, f"/goals/review/{goal.public_id}"),
    ):
        html = c.get(path).get_data(as_text=True)
        title = html[html.index("<title>") + 7 : html.index("</title>")]
        assert title in ("Goals · Daybook", "Review · Daybook"), title


def test_demo_goals_load(app, runner):
    result = runner.invoke(args=["demo"])
    assert result.exit_code == 0, result.output
    housing = db.session.scalar(select(Goal).where(Goal.pathway == "housing-phases"))
    assert housing.state == "approved"
    # Sam sees Mai's course in the queue and Ana's goal from the shared list, oldest first.
    sam = next(u for u in db.session.scalars(select(User)) if u.pseudonym == "Sam")
    client = app.test_client()
    sign_in(client, sam)
    home = client.get("/staff").get_data(as_text=True)
    assert home.index("<bdi>Mai</bdi>: Work and training") < home.index("<bdi>Ana</bdi>: Education")
    assert "Shared list" in home


def test_edit_errors_keep_what_was_typed(survivor):
    client, mai = survivor
    goal = make_goal(mai, title="Before")
    url = f"/goals/{goal.public_id}/edit"
    data = {"area": "nowhere", "title": "After <i>x</i>", "why": "Because", "target_month": ""}
    response = client.post_form(url, data, page=url)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Choose one of the areas in the list." in page
    assert 'value="After &lt;i&gt;x&lt;/i&gt;"' in page and "Because</textarea>" in page
    db.session.expire_all()
    assert db.session.get(Goal, goal.id).title == "Before"
