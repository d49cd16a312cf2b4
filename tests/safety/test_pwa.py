"""The installable app: manifest, icons, service worker and offline page."""

from __future__ import annotations

import re
import struct
from pathlib import Path

import pytest

from survivorapp.safety.services import ICONS

ICON_DIR = Path(__file__).resolve().parents[2] / "survivorapp" / "static" / "icons"


def png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()[:24]
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


@pytest.mark.parametrize("icon", sorted(ICONS))
def test_every_neutral_icon_exists_in_every_size(icon):
    assert (ICON_DIR / f"{icon}.svg").read_text().startswith("<svg")
    assert png_size(ICON_DIR / f"{icon}-192.png") == (192, 192)
    assert png_size(ICON_DIR / f"{icon}-512.png") == (512, 512)


def test_manifest_has_what_an_install_needs(client):
    response = client.get("/manifest.webmanifest")
    assert response.mimetype == "application/manifest+json"
    data = response.get_json()
    assert data["name"] == "Daybook" and data["short_name"] == "Daybook"
    assert data["id"] == "/" and data["scope"] == "/"
    assert data["display"] == "standalone"
    assert data["start_url"] == "/start"
    assert re.fullmatch(r"#[0-9a-f]{6}", data["theme_color"])
    assert re.fullmatch(r"#[0-9a-f]{6}", data["background_color"])
    pngs = {i["sizes"]: i["src"] for i in data["icons"] if i["type"] == "image/png"}
    assert set(pngs) == {"192x192", "512x512"}
    for src in pngs.values():
        with client.get(src) as icon:
            assert icon.status_code == 200 and icon.mimetype == "image/png"
            assert icon.headers["Cache-Control"] == "public, max-age=31536000, immutable"


def test_the_brand_icon_is_a_setting(make_app):
    app = make_app(BRAND_ICON="leaf", BRAND_NAME="Greenbook")
    client = app.test_client()
    data = client.get("/manifest.webmanifest").get_json()
    assert data["name"] == "Greenbook"
    assert all("/icons/leaf" in i["src"] for i in data["icons"])
    assert data["theme_color"] == ICONS["leaf"]
    html = client.get("/sign-in").text
    assert "<title>Sign in · Greenbook</title>" in html
    assert re.search(r'rel="icon" href="/static/icons/leaf\.svg\?v=', html)
    assert f'<meta name="theme-color" content="{ICONS["leaf"]}">' in html
    assert "/icons/leaf-512.png?v=" in client.get("/sw.js").text


def test_an_unknown_icon_falls_back_to_the_notebook(make_app):
    app = make_app(BRAND_ICON="../../etc/passwd")
    data = app.test_client().get("/manifest.webmanifest").get_json()
    assert all("/icons/notebook" in i["src"] for i in data["icons"])


def test_pages_link_the_manifest_and_load_the_page_script(client):
    html = client.get("/sign-in").text
    assert '<link rel="manifest" href="/manifest.webmanifest">' in html
    assert re.search(r'<script src="/static/js/page\.js\?v=[0-9a-f]+" defer>', html)


def test_service_worker_precaches_exactly_the_fingerprinted_files_pages_use(client):
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response.mimetype == "text/javascript"
    assert response.headers["Service-Worker-Allowed"] == "/"
    assert response.headers["Cache-Control"] == "no-store"
    js = response.text
    precache = re.findall(r'"(/static/[^"]+)"', js)
    assert precache and all(re.search(r"\?v=[0-9a-f]{12}$", url) for url in precache)
    page = client.get("/sign-in").text
    for url in re.findall(r'(?:href|src)="(/static/(?:css|js)/[^"]+)"', page):
        assert url in precache
    # The only page it keeps is the offline page; it never writes to a cache at run time.
    assert 'OFFLINE_URL = "/offline"' in js
    assert "cache.put" not in js and ".put(" not in js
    assert 'credentials: "omit"' in js


def test_offline_page_is_anonymous_and_stores_nothing(as_role):
    client, _ = as_role("survivor")
    response = client.get("/offline")
    html = response.text
    assert response.status_code == 200
    assert "No connection" in html and "<title>Offline · Daybook</title>" in html
    assert "csrf" not in html.lower()
    assert "Sign out" not in html and "idle-lock" not in html
    assert 'id="quick-exit"' in html


def test_offline_page_starts_no_session(client):
    response = client.get("/offline")
    assert "Set-Cookie" not in response.headers
