"""Consent: defaults, changes acting at once, history, and the helpers features call."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from survivorapp.accounts.models import User
from survivorapp.extensions import db
from survivorapp.privacy import areas, consent
from survivorapp.privacy.models import ConsentChange
from tests.factories import make_user

SHARING = "/privacy/sharing"


def test_defaults_follow_the_issue(app):
    person = make_user("survivor")
    assert consent.choices_for(person.id) == {
        areas.BOOKED_APPOINTMENTS: True,
        areas.GOALS: True,
        areas.BUDGET_SUMMARY: False,
        areas.OWN_APPOINTMENTS: False,
        areas.CIRCLE_ATTENDANCE: False,
        "counted_in_reports": False,  # reports (issue 12): counted only after opting in
    }
    assert consent.allows(person.id, areas.GOALS) is True
    assert consent.allows(person.id, areas.BUDGET_SUMMARY) is False


def test_changes_act_at_once_and_are_recorded(app):
    person = make_user("survivor")
    changed = consent.set_choices(
        person, {areas.BUDGET_SUMMARY: True, areas.GOALS: False}, actor=person
    )
    db.session.commit()
    assert sorted(changed) == [areas.BUDGET_SUMMARY, areas.GOALS]
    assert consent.allows(person.id, areas.BUDGET_SUMMARY) is True
    assert consent.allows(person.id, areas.GOALS) is False
    history = consent.history_for(person.id)
    assert {(h.area, h.shared, h.changed_by_id) for h in history} == {
        (areas.BUDGET_SUMMARY, True, person.id),
        (areas.GOALS, False, person.id),
    }
    assert all(h.at is not None for h in history)
    # Setting the same value again changes nothing and records nothing.
    assert consent.set_choices(person, {areas.GOALS: False}, actor=person) == []
    db.session.commit()
    assert len(consent.history_for(person.id)) == 2


def test_allows_clause_filters_at_the_query(app):
    sharing, private, default = (make_user("survivor") for _ in range(3))
    consent.set_choices(sharing, {areas.BUDGET_SUMMARY: True, areas.GOALS: True})
    consent.set_choices(private, {areas.GOALS: False})
    db.session.commit()

    def who(area):
        ids = db.session.scalars(select(User.id).where(consent.allows_clause(User.id, area)))
        return set(ids)

    assert who(areas.BUDGET_SUMMARY) == {sharing.id}
    assert who(areas.GOALS) == {sharing.id, default.id}


def test_unknown_area_key_is_a_programming_error(app):
    person = make_user("survivor")
    with pytest.raises(KeyError):
        consent.allows(person.id, "diary")
    with pytest.raises(KeyError):
        consent.allows_clause(User.id, "diary")


def test_sharing_page_explains_and_saves(as_role):
    client, person = as_role("survivor")
    html = client.get(SHARING).get_data(as_text=True)
    assert "Budget summary" in html and "never see single entries" in html
    assert 'checked id="area-budget_summary-1"' in html
    form = {
        f"area-{k}": ("shared" if v else "private")
        for k, v in consent.choices_for(person.id).items()
    }
    form["area-budget_summary"] = "shared"
    response = client.post_form(SHARING, form, page=SHARING)
    assert response.status_code == 303
    page = client.get(SHARING).get_data(as_text=True)
    assert "Saved." in page
    assert 'checked id="area-budget_summary-0"' in page
    assert consent.allows(person.id, areas.BUDGET_SUMMARY) is True
    change = db.session.scalar(select(ConsentChange).where(ConsentChange.survivor_id == person.id))
    assert (change.area, change.shared, change.changed_by_id) == ("budget_summary", True, person.id)


def test_sharing_form_with_htmx_answers_a_fragment(as_role):
    client, person = as_role("survivor")
    token = client.csrf_token(SHARING)
    form = {"area-goals": "private"}
    response = client.post(SHARING, data=form, headers={"HX-Request": "true", "X-CSRFToken": token})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert html.lstrip().startswith('<div id="sharing">') and "<html" not in html
    assert consent.allows(person.id, areas.GOALS) is True  # nothing saved


def test_missing_and_wrong_values_keep_what_was_chosen(as_role):
    client, person = as_role("survivor")
    form = {"area-goals": "private", "area-budget_summary": "everyone"}
    response = client.post_form(SHARING, form, page=SHARING)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Choose one of the two options." in html
    assert "Choose whether to share this or keep it private." in html
    assert 'checked id="area-goals-1"' in html  # kept what was typed
    assert consent.allows(person.id, areas.GOALS) is True  # nothing saved


def test_unknown_area_in_the_form_is_refused(as_role):
    client, person = as_role("survivor")
    form = {f"area-{a}": "shared" for a in consent.choices_for(person.id)}
    form["area-diary"] = "shared"
    response = client.post_form(SHARING, form, page=SHARING)
    assert response.status_code == 400
    assert "not recognised" in response.get_data(as_text=True)
    assert consent.allows(person.id, areas.BUDGET_SUMMARY) is False


def test_sharing_needs_csrf_and_the_survivor_role(as_role):
    client, person = as_role("survivor")
    assert client.post(SHARING, data={"area-goals": "private"}).status_code == 400
    assert consent.allows(person.id, areas.GOALS) is True
    staff, _ = as_role("staff")
    assert staff.get(SHARING).status_code == 403
