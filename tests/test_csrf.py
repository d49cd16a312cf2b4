"""CSRF on every state change: forms carry a token, htmx sends it in a header."""

import re


def test_post_without_token_is_refused(client):
    response = client.post("/language", data={"language": "es"})
    assert response.status_code == 400
    assert "lang" not in {c.key for c in client._cookies.values()}


def test_post_with_form_token_is_accepted(client):
    response = client.post_form("/language", {"language": "es", "next": "/sign-in"})
    assert response.status_code == 303
    assert client.get_cookie("lang").value == "es"


def test_htmx_sends_the_token_in_a_header(client):
    html = client.get("/sign-in").get_data(as_text=True)
    token = re.search(r'"X-CSRFToken": "([^"]+)"', html).group(1)
    response = client.post(
        "/language", data={"language": "fr"}, headers={"X-CSRFToken": token, "HX-Request": "true"}
    )
    assert response.status_code == 303


def test_token_from_another_session_is_refused(app, client):
    other = app.test_client()
    token = other.csrf_token()
    response = client.post("/language", data={"language": "es", "csrf_token": token})
    assert response.status_code == 400


def test_sign_out_needs_a_token(as_role):
    client, _ = as_role("survivor")
    assert client.post("/sign-out").status_code == 400
    assert client.get("/home").status_code == 200
