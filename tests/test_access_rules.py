"""Deny by default: every route declares who may use it, and undeclared views are refused."""

from flask import Blueprint

from survivorapp.security.access import access_rule


def test_every_route_declares_who_may_use_it(app):
    undeclared = sorted(
        rule.endpoint
        for rule in app.url_map.iter_rules()
        if access_rule(app, rule.endpoint) is None
    )
    assert undeclared == [], f"views without @public/@signed_in/@roles_required: {undeclared}"


def test_a_view_without_a_declaration_is_refused(make_app):
    app = make_app()
    bp = Blueprint("forgotten", __name__)

    @bp.get("/forgotten")
    def forgotten():
        return "secret"

    app.register_blueprint(bp)
    response = app.test_client().get("/forgotten")
    assert response.status_code == 403
    assert b"secret" not in response.data


def test_private_pages_send_anonymous_people_to_sign_in(client):
    for path in ("/home", "/staff", "/mentor", "/admin", "/account"):
        response = client.get(path)
        assert response.status_code == 302, path
        assert response.headers["Location"].endswith("/sign-in")


def test_htmx_requests_are_redirected_with_a_header(client):
    response = client.get("/home", headers={"HX-Request": "true"})
    assert response.status_code == 401
    assert response.headers["HX-Redirect"] == "/sign-in"


def test_roles_are_checked_on_the_server(as_role):
    client, _ = as_role("survivor")
    assert client.get("/home").status_code == 200
    for path in ("/staff", "/mentor", "/admin"):
        assert client.get(path).status_code == 403, path


def test_a_person_with_several_roles_reaches_each_home(as_role):
    client, _ = as_role("survivor", "mentor")
    assert client.get("/home").status_code == 200
    assert client.get("/mentor").status_code == 200
    assert client.get("/staff").status_code == 403
    assert client.get("/").headers["Location"].endswith("/home")


def test_each_role_lands_on_its_own_home(as_role):
    for role, home in (("staff", "/staff"), ("mentor", "/mentor"), ("admin", "/admin")):
        client, _ = as_role(role)
        assert client.get("/").headers["Location"].endswith(home)
