"""Organisation settings: validated, stored in the database, used from the next request."""

import re
from datetime import timedelta

import pytest
from flask import g
from sqlalchemy import select, update

from survivorapp.database import utcnow
from survivorapp.extensions import db
from survivorapp.security.audit import AuditEvent
from survivorapp.security.sessions import UserSession
from survivorapp.settings import OrgSettings, forget, org_setting
from tests.admin.conftest import settings_form
from tests.helpers import sign_in


def save(client, **changes):
    return client.post_form("/admin/settings", settings_form(**changes), page="/admin/settings")


def test_settings_page_shows_the_defaults(admin_client):
    client, _ = admin_client
    html = client.get("/admin/settings").get_data(as_text=True)
    assert 'value="Daybook"' in html
    assert 'value="https://www.bbc.com/weather"' in html
    assert 'value="20"' in html and 'value="12"' in html and 'value="72"' in html
    assert 'name="retention_days" type="number" value="365"' in html


def test_saving_stores_only_what_differs_from_the_defaults(admin_client):
    client, _ = admin_client
    response = save(client, brand_name="Planner", currency="gbp", timezone="Europe/London")
    assert response.status_code == 303
    row = db.session.get(OrgSettings, 1)
    assert (row.brand_name, row.currency, row.timezone) == ("Planner", "GBP", "Europe/London")
    assert row.exit_url is None and row.session_idle_minutes is None  # still the defaults
    forget()
    assert org_setting("DEFAULT_CURRENCY") == "GBP"
    assert org_setting("EXIT_URL") == "https://www.bbc.com/weather"


def test_brand_name_changes_the_title_on_the_next_request(admin_client, app):
    client, _ = admin_client
    other = app.test_client()
    assert "<title>Sign in · Daybook</title>" in other.get("/sign-in").get_data(as_text=True)
    save(client, brand_name="Sunny Planner")
    assert "<title>Sign in · Sunny Planner</title>" in other.get("/sign-in").get_data(as_text=True)
    assert "Sunny Planner" in client.get("/admin").get_data(as_text=True)


def test_neutral_names_are_offered_and_every_one_is_accepted(admin_client):
    from survivorapp.safety.words import giveaways
    from survivorapp.settings import BRAND_NAMES

    client, _ = admin_client
    page = client.get("/admin/settings").get_data(as_text=True)
    assert 'list="brand-names"' in page
    for name in BRAND_NAMES:
        assert f'<option value="{name}">' in page
        assert giveaways(name) == []
        assert save(client, brand_name=name).status_code == 303


def test_idle_timeout_change_takes_effect_on_the_next_request(admin_client, app):
    client, _ = admin_client
    person_client = app.test_client()
    from tests.factories import make_user

    person = make_user("survivor")
    sign_in(person_client, person)
    assert person_client.get("/home").status_code == 200
    # idle for 10 minutes: fine under the default 20
    db.session.execute(
        update(UserSession)
        .where(UserSession.user_id == person.id)
        .values(last_seen_at=utcnow() - timedelta(minutes=10))
    )
    db.session.commit()
    save(client, session_idle_minutes="5")
    assert person_client.get("/home").headers["Location"].endswith("/sign-in")


def test_languages_and_default_language(admin_client, app):
    client, _ = admin_client
    save(client, languages=["en", "es"], default_locale="es")
    visitor = app.test_client()
    html = visitor.get("/sign-in").get_data(as_text=True)
    assert '<html lang="es"' in html
    assert 'value="es"' in html and 'value="ar"' not in html  # only what is offered
    # a language not offered is ignored
    html = visitor.get("/sign-in", headers={"Accept-Language": "fr"}).get_data(as_text=True)
    assert '<html lang="es"' in html


def test_default_time_zone_is_used_for_visitors(admin_client, app):
    from flask_babel import get_timezone

    client, _ = admin_client
    save(client, timezone="Asia/Bangkok")
    g.__dict__.clear()  # a new request starts with an empty g
    with app.test_request_context("/sign-in"):
        assert str(get_timezone()) == "Asia/Bangkok"


def test_people_invited_after_a_time_zone_change_start_in_it(admin_client):
    from survivorapp.people.team import invite

    client, admin = admin_client
    save(client, timezone="Asia/Bangkok")
    g.__dict__.clear()
    user, _code = invite(admin, "Kim", "survivor")
    assert user.timezone == "Asia/Bangkok"


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("exit_url", "http://www.bbc.com/weather", "starts with https://"),
        ("exit_url", "javascript:alert(1)", "starts with https://"),
        ("exit_url", "https://", "starts with https://"),
        ("exit_url", "//evil.example/x", "starts with https://"),
        ("exit_url", "https://user:pw@example.org/", "starts with https://"),
        ("exit_url", "https://example.org:99999/", "starts with https://"),
        ("exit_url", "https://example.org/" + "a" * 600, "starts with https://"),
        ("exit_url", "https://exa mple.org/", "starts with https://"),
        ("session_idle_minutes", "0", "from 5 to 120"),
        ("session_idle_minutes", "121", "from 5 to 120"),
        ("session_idle_minutes", "-5", "from 5 to 120"),
        ("session_idle_minutes", "ten", "from 5 to 120"),
        ("session_idle_minutes", "9" * 5000, "from 5 to 120"),
        ("session_max_hours", "0", "from 1 to 24"),
        ("session_max_hours", "25", "from 1 to 24"),
        ("enrolment_code_hours", "337", "from 1 to 336"),
        ("enrolment_code_hours", "", "from 1 to 336"),
        ("retention_days", "29", "from 30 to 3650"),
        ("retention_days", "3651", "from 30 to 3650"),
        ("retention_days", "0", "from 30 to 3650"),
        ("retention_days", "", "from 30 to 3650"),
        ("retention_days", "a year", "from 30 to 3650"),
        ("retention_days", "365.5", "from 30 to 3650"),
        ("default_locale", "xx", "Choose a language from the list."),
        ("currency", "XYZ", "three-letter currency code"),
        ("currency", "EURO", "three-letter currency code"),
        ("currency", "€", "three-letter currency code"),
        ("timezone", "Mars/Olympus", "Choose a time zone"),
        ("timezone", "../../etc/passwd", "Choose a time zone"),
        ("brand_name", "", "Enter a name for the app."),
        ("brand_name", "B" * 5000, "Use 40 characters or fewer."),
        ("brand_name", "Survivor Support", "Choose a neutral name"),
        ("brand_name", "Ayuda para Víctimas", "Choose a neutral name"),
        ("brand_name", "دار إيواء", "Choose a neutral name"),
        ("brand_name", "Nạn Nhân", "Choose a neutral name"),
        ("brand_name", "Explotacion Cero", "Choose a neutral name"),
        ("brand_name", "Casework Planner", "Choose a neutral name"),
        ("brand_icon", "skull", "Choose one of the icons."),
    ],
)
def test_invalid_settings_are_refused_clearly(admin_client, field, value, message):
    client, _ = admin_client
    response = save(client, **{"brand_name": "Kept Name", field: value})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert message in html
    assert 'aria-invalid="true"' in html or "Choose one of the icons." in html
    if field != "brand_name":
        assert 'value="Kept Name"' in html  # nothing typed is lost
    assert db.session.get(OrgSettings, 1) is None
    assert db.session.scalars(select(AuditEvent)).all() == []


def test_languages_must_be_offered_and_include_the_default(admin_client):
    client, _ = admin_client
    response = save(client, languages=[])
    assert response.status_code == 422
    assert "Offer at least one language." in response.get_data(as_text=True)
    response = save(client, languages=["en", "klingon"])
    assert "Choose languages from the list." in response.get_data(as_text=True)
    response = save(client, languages=["es", "fr"], default_locale="en")
    html = response.get_data(as_text=True)
    assert "The default language must be one of those offered." in html
    assert re.search(
        r'<input checked id="languages-\d+" name="languages" type="checkbox" value="es">', html
    )
    assert re.search(
        r'<input id="languages-\d+" name="languages" type="checkbox" value="en">', html
    )  # untick kept


def test_idle_cannot_outlast_the_whole_session(admin_client):
    client, _ = admin_client
    response = save(client, session_idle_minutes="90", session_max_hours="1")
    assert response.status_code == 422
    assert "cannot be longer" in response.get_data(as_text=True)


def test_a_malformed_post_is_never_a_500(admin_client):
    client, _ = admin_client
    response = client.post_form("/admin/settings", {}, page="/admin/settings")
    assert response.status_code == 422
    response = client.post_form(
        "/admin/settings",
        {"brand_name": ["a", "b"], "languages": "x" * 1000, "session_idle_minutes": "1e9"},
        page="/admin/settings",
    )
    assert response.status_code == 422


def test_changes_are_logged_with_old_and_new_values(admin_client):
    client, admin = admin_client
    save(client, brand_name="Planner", exit_url="https://example.org/news")
    (event,) = db.session.scalars(select(AuditEvent)).all()
    assert event.action == "org_settings_changed" and event.actor_id == admin.id
    assert event.details == {
        "changes": {
            "brand_name": ["Daybook", "Planner"],
            "exit_url": ["https://www.bbc.com/weather", "https://example.org/news"],
        }
    }
    # saving the same again records nothing
    save(client, brand_name="Planner", exit_url="https://example.org/news")
    assert len(db.session.scalars(select(AuditEvent)).all()) == 1
    html = client.get("/admin/audit").get_data(as_text=True)
    assert "Organisation settings changed" in html
    assert "App name: <bdi>Daybook</bdi> → <bdi>Planner</bdi>" in html


def test_going_back_to_the_default_follows_the_environment_again(admin_client):
    client, _ = admin_client
    save(client, brand_name="Planner")
    save(client, brand_name="Daybook")
    assert db.session.get(OrgSettings, 1).brand_name is None


def test_org_setting_falls_back_to_config(make_app):
    app = make_app(BRAND_NAME="Notes", SESSION_IDLE_MINUTES=7)
    with app.test_request_context("/"):
        assert org_setting("BRAND_NAME") == "Notes"
        assert org_setting("SESSION_IDLE_MINUTES") == 7
        assert org_setting("BRAND_ICON") == "notebook"
        with pytest.raises(KeyError):
            org_setting("SECRET_KEY")


def test_retention_is_chosen_within_bounds_and_logged(admin_client):
    client, admin = admin_client
    response = save(client, retention_days="29")
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Enter a whole number of days from 30 to 3650 (ten years)." in html
    assert 'name="retention_days" type="number" value="29"' in html  # what was typed stays
    assert 'href="#retention_days"' in html  # the summary links to the field
    assert save(client, retention_days=" 90 ").status_code == 303
    assert db.session.get(OrgSettings, 1).retention_days == 90
    forget()
    assert org_setting("RETENTION_DAYS") == 90
    (event,) = db.session.scalars(select(AuditEvent)).all()
    assert event.actor_id == admin.id
    assert event.details == {"changes": {"retention_days": [365, 90]}}
    html = client.get("/admin/audit").get_data(as_text=True)
    assert "Keep what is left of closed accounts (days): <bdi>365</bdi> → <bdi>90</bdi>" in html
    for bound in ("30", "3650"):
        assert save(client, retention_days=bound).status_code == 303
    save(client, retention_days="365")
    assert db.session.get(OrgSettings, 1).retention_days is None  # the environment's again


def test_retention_from_the_environment_is_kept_even_outside_the_bounds(make_app):
    from tests.factories import make_user

    app = make_app(RETENTION_DAYS=7)
    with app.app_context():
        admin = make_user("admin")
        client = app.test_client()
        sign_in(client, admin)
        assert 'type="number" value="7"' in client.get("/admin/settings").get_data(as_text=True)
        form = settings_form(brand_name="Planner", retention_days="7")
        response = client.post_form("/admin/settings", form, page="/admin/settings")
        assert response.status_code == 303
        row = db.session.get(OrgSettings, 1)
        assert (row.brand_name, row.retention_days) == ("Planner", None)
        form = settings_form(retention_days="8")  # any other value must be within the bounds
        response = client.post_form("/admin/settings", form, page="/admin/settings")
        assert response.status_code == 422
        assert "from 30 to 3650" in response.get_data(as_text=True)
