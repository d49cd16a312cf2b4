"""Which language a page speaks: the person's saved choice, then a choice made before sign-in
(the cookie), then the browser's Accept-Language, then the organisation's default."""

from __future__ import annotations

from survivorapp.extensions import db

FRENCH_BROWSER = {"Accept-Language": "fr-FR,fr;q=0.9"}


def lang_of(client, path="/sign-in", **kw) -> str:
    html = client.get(path, **kw).get_data(as_text=True)
    return html.split('<html lang="', 1)[1].split('"', 1)[0]


def test_each_choice_wins_over_the_next(as_role, client):
    assert lang_of(client) == "en"  # the organisation's default
    assert lang_of(client, headers=FRENCH_BROWSER) == "fr"
    client.set_cookie("lang", "uk")
    assert lang_of(client, headers=FRENCH_BROWSER) == "uk"

    signed_in, _ = as_role("survivor", locale="vi")
    signed_in.set_cookie("lang", "uk")
    assert lang_of(signed_in, "/home", headers=FRENCH_BROWSER) == "vi"


def test_the_organisation_default_and_the_offered_languages(make_app):
    app = make_app(DEFAULT_LOCALE="es", LANGUAGES="es,ar")
    client = app.test_client()
    assert lang_of(client) == "es"
    assert lang_of(client, headers={"Accept-Language": "ar"}) == "ar"
    assert lang_of(client, headers=FRENCH_BROWSER) == "es"  # French is not offered here
    client.set_cookie("lang", "fr")
    assert lang_of(client) == "es"


def test_switching_language_when_signed_in_is_saved(as_role):
    client, person = as_role("survivor", locale="en")
    response = client.post_form("/language", {"language": "th", "next": "/home"}, page="/home")
    assert response.status_code == 303
    db.session.refresh(person)
    assert person.locale == "th"
    client.delete_cookie("lang")  # another device: the saved choice follows the person
    assert lang_of(client, "/home") == "th"
