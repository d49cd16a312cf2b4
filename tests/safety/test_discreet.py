"""Nothing a bystander can see says what the app is for (DESIGN.md §2.1), in any language
the app offers: titles, the manifest, sign-in and enrolment, the offline page, error pages."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from flask_babel import force_locale

from survivorapp.extensions import db
from survivorapp.safety.words import GIVEAWAYS, giveaways
from survivorapp.security.errors import CSRF_MESSAGE, MESSAGES
from tests.factories import make_user
from tests.helpers import sign_in

# Pages anyone can open (the enrolment page with a real code is checked on its own below).
PUBLIC_PAGES = ["/sign-in", "/enrol", "/offline", "/calculator", "/start-screen"]
ERROR_REQUESTS = [
    ("get", "/no-such-page", 404),
    ("put", "/sign-in", 405),
    ("post", "/language", 400),
]
SKIP_ENDPOINTS = {"static", "safety.exit_now", "dev.sign_in_as"}
TRANSLATIONS = Path(__file__).resolve().parents[2] / "translations"


def test_the_word_list_itself_works():
    assert giveaways("<title>Shelter &amp; support</title>") == ["shelter"]
    assert "víctima" in giveaways("Ayuda para VÍCTIMAS")
    assert giveaways("Nạn nhân") == ["nạn nhân"]
    # As people type them: without accents, with the old Romanian cedilla, or a word's stem.
    assert giveaways("Trafico de personas") == ["tráfico de personas"]
    assert giveaways("Nan nhan") == ["nạn nhân"]
    assert giveaways("Supravieţuitor") == ["supraviețuitor"]
    assert giveaways("Casework") == ["casework"]
    assert giveaways("Exploit Free") == ["exploit"]
    assert giveaways("Slave No More") == ["slave"]
    assert giveaways("Plan your days · Daybook") == []
    assert set(GIVEAWAYS) >= {"en", "es", "fr", "pt", "ar", "uk", "ro", "vi", "th", "tl"}


@pytest.fixture
def languages(app):
    return list(app.config["LANGUAGES"])


def _client_in(app, code):
    client = app.test_client()
    client.set_cookie("lang", code)
    return client


def test_public_pages_error_pages_and_manifest_say_nothing(app, languages):
    for code in languages:
        client = _client_in(app, code)
        for path in [*PUBLIC_PAGES, "/manifest.webmanifest"]:
            response = client.get(path)
            assert response.status_code in (200, 404), (code, path)
            assert giveaways(response.get_data(as_text=True)) == [], (code, path)
        for method, path, status in ERROR_REQUESTS:
            response = getattr(client, method)(path)
            assert response.status_code == status
            assert giveaways(response.get_data(as_text=True)) == [], (code, path)
        with force_locale(code):
            texts = [str(t) for pair in MESSAGES.values() for t in pair] + [str(CSRF_MESSAGE)]
        assert giveaways(" ".join(texts)) == [], code


def test_manifest_names_the_app_neutrally(client):
    data = client.get("/manifest.webmanifest").get_json()
    for field in ("name", "short_name", "description"):
        assert giveaways(data[field]) == [], field


def _page_paths(app) -> list[str]:
    return sorted(
        rule.rule
        for rule in app.url_map.iter_rules()
        if "GET" in rule.methods and not rule.arguments and rule.endpoint not in SKIP_ENDPOINTS
    )


def test_every_page_title_is_neutral(app, languages):
    everyone = make_user("survivor", "mentor", "staff", "admin")
    for code in languages:
        anonymous = _client_in(app, code)
        signed_in = _client_in(app, code)
        sign_in(signed_in, everyone)
        for client in (anonymous, signed_in):
            for path in _page_paths(app):
                body = client.get(path).get_data(as_text=True)
                for title in re.findall(r"<title>(.*?)</title>", body, re.S):
                    assert giveaways(title) == [], (code, path, title)
    assert "/calculator" in _page_paths(app) and "/sign-in" in _page_paths(app)


def test_no_catalogue_says_it_anywhere():
    """Every string the app can show, signed in or not, in every language: never "victim",
    and no other giveaway either (a phone may be read over a shoulder on any page). The
    catalogues are scanned directly, so a word is caught before it is compiled."""
    found = []
    for po in sorted(
        [*TRANSLATIONS.glob("*/LC_MESSAGES/messages.po"), TRANSLATIONS / "messages.pot"]
    ):
        with po.open("rb") as fh:
            catalog = read_po(fh)
        for message in catalog:
            texts = [*_strings(message.id), *_strings(message.string)]
            found += [(po.parent.parent.name, t) for t in texts if giveaways(t)]
    assert len(list(TRANSLATIONS.glob("*/LC_MESSAGES/messages.po"))) == 9
    assert found == []


def _strings(value) -> list[str]:
    return [t for t in (value if isinstance(value, tuple) else (value,)) if t]


def test_a_revealing_brand_name_would_be_caught(make_app):
    app = make_app(BRAND_NAME="Survivor Support")
    with app.app_context():
        body = app.test_client().get("/sign-in").get_data(as_text=True)
        manifest = app.test_client().get("/manifest.webmanifest").get_data(as_text=True)
    assert giveaways(re.search(r"<title>(.*?)</title>", body).group(1)) == ["survivor"]
    assert "survivor" in giveaways(manifest)


def test_the_enrolment_page_and_the_passkey_it_makes_say_nothing(app, languages):
    """What a person sees while enrolling, and what their phone stores and shows for the
    passkey (site name, user name, display name), in every language."""
    from survivorapp.people import team

    for code in languages:
        _, enrolment_code = team.invite(None, "Kim", "survivor")
        db.session.commit()
        client = _client_in(app, code)
        page = client.get(f"/enrol?code={enrolment_code}")
        assert page.status_code == 200 and 'data-passkey="enrol"' in page.text, code
        assert giveaways(page.get_data(as_text=True)) == [], code
        token = client.csrf_token(f"/enrol?code={enrolment_code}")
        options = client.post(
            "/enrol/options", json={"code": enrolment_code}, headers={"X-CSRFToken": token}
        ).get_json()
        names = [options["rp"]["name"], options["user"]["name"], options["user"]["displayName"]]
        assert all(names) and giveaways(" ".join(names)) == [], (code, names)
        assert "Kim" not in names  # the handle is neutral, not even the pseudonym
