"""Every response carries the security headers; pages are never cached, static files are."""

import re

import pytest

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)


@pytest.mark.parametrize("path", ["/sign-in", "/", "/no-such-page"])
def test_security_headers_on_every_response(client, path):
    response = client.get(path)
    h = response.headers
    assert h["Content-Security-Policy"] == CSP
    assert "unsafe" not in h["Content-Security-Policy"]
    assert h["Referrer-Policy"] == "no-referrer"
    assert h["X-Content-Type-Options"] == "nosniff"
    assert h["Cross-Origin-Opener-Policy"] == "same-origin"
    for feature in ("camera=()", "microphone=()", "geolocation=()"):
        assert feature in h["Permissions-Policy"]
    assert "Strict-Transport-Security" not in h  # plain http origin
    assert h["Cache-Control"] == "no-store"
    assert "HX-Request" in h["Vary"]


def test_signed_in_pages_are_never_stored(as_role):
    client, _ = as_role("survivor")
    response = client.get("/home")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    assert "HX-Request" in response.headers["Vary"]


def test_hsts_under_https(make_app):
    app = make_app(ORIGIN="https://plan.example")
    response = app.test_client().get("/sign-in", base_url="https://plan.example")
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")


def test_fingerprinted_static_files_are_immutable(client):
    html = client.get("/sign-in").get_data(as_text=True)
    css = re.search(r'href="(/static/css/app\.css\?v=[0-9a-f]+)"', html).group(1)
    with client.get(css) as response:
        assert response.status_code == 200
        assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    with client.get("/static/css/app.css") as response:
        assert response.headers["Cache-Control"] == "no-cache"


def test_htmx_history_cache_is_off_and_no_inline_script(client):
    html = client.get("/sign-in").get_data(as_text=True)
    assert '"historyCacheSize":0' in html
    assert re.search(r"<script(?![^>]*\bsrc=)", html) is None  # no inline <script>
    assert re.search(r"\son[a-z]+=", html) is None  # no inline handlers
    assert "hx-on" not in html
    assert '<html lang="en" dir="ltr">' in html
    assert "<title>Sign in · Daybook</title>" in html


def test_text_assets_are_gzipped_but_pages_are_not(client):
    import gzip

    html_response = client.get("/sign-in", headers={"Accept-Encoding": "gzip"})
    assert "Content-Encoding" not in html_response.headers  # no BREACH on pages with tokens
    html = html_response.get_data(as_text=True)
    js = re.search(r'src="(/static/js/htmx\.min\.js\?v=[0-9a-f]+)"', html).group(1)
    with client.get(js, headers={"Accept-Encoding": "gzip, br"}) as response:
        assert response.headers["Content-Encoding"] == "gzip"
        assert "Accept-Encoding" in response.headers["Vary"]
        body = gzip.decompress(response.data)
    assert body.startswith(b"var htmx=")
    assert len(response.data) < len(body) / 2
    with client.get(js) as plain:
        assert "Content-Encoding" not in plain.headers
        assert plain.data == body
