"""Export: everything, readable (HTML) and machine-readable (JSON), in the person's language."""

from __future__ import annotations

import json
import re

import pytest
from flask_babel import lazy_gettext as _l

from survivorapp.privacy import registry
from tests.privacy.samples import build_samples


@pytest.fixture
def extra_exporter():
    """A feature's exporter, registered the way goals or budget will register theirs."""

    @registry.exporter("probe_notes", label=_l("Notes"))
    def notes(user):
        return [{_l("Text"): "<script>alert(1)</script> & more", _l("Count"): 3}]

    yield
    registry._exporters.pop("probe_notes", None)


def test_json_export_holds_everything(as_role, extra_exporter):
    client, person = as_role("survivor", pseudonym="Mai Export", timezone="Asia/Bangkok")
    markers = build_samples(person)
    response = client.get("/privacy/export/my-data.json")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    assert response.headers["Content-Disposition"] == 'attachment; filename="my-data.json"'
    assert response.headers["Cache-Control"] == "no-store"
    data = json.loads(response.get_data(as_text=True))
    keys = [s["key"] for s in data["sections"]]
    for key in ("profile", "caseload", "consent", "access", "sessions", "events", "probe_notes"):
        assert key in keys
    text = json.dumps(data, ensure_ascii=False)
    for marker in markers:
        assert marker in text
    profile = data["sections"][keys.index("profile")]["items"][0]
    assert profile["Name you use here"] == "Mai Export"
    assert profile["Time zone"] == "Asia/Bangkok"
    notes = data["sections"][keys.index("probe_notes")]
    assert notes["title"] == "Notes"
    assert notes["items"] == [{"Text": "<script>alert(1)</script> & more", "Count": 3}]
    consent_rows = data["sections"][keys.index("consent")]["items"]
    assert {"Area": "Budget summary", "Shared": True} in consent_rows
    # No secrets: session token hashes and user handles never appear.
    assert "token_hash" not in text and "user_handle" not in text


def test_html_export_is_readable_self_contained_and_escaped(as_role, extra_exporter):
    client, person = as_role("survivor", pseudonym="<i>Mai</i>")
    build_samples(person)
    response = client.get("/privacy/export/my-data.html")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"] == 'attachment; filename="my-data.html"'
    html = response.get_data(as_text=True)
    assert "<title>My data</title>" in html
    assert "&lt;i&gt;Mai&lt;/i&gt;" in html and "<i>Mai</i>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; more" in html
    assert "<script" not in html and "<link" not in html
    assert not re.search(r"(src|href)=", html), "the file must need nothing from outside"
    for title in ("Your profile", "Notes", "Who looked at your records", "Account activity"):
        assert f"<h2>{title}</h2>" in html


def test_export_is_in_the_persons_language(as_role):
    client, _ = as_role("survivor", locale="ar")
    html = client.get("/privacy/export/my-data.html").get_data(as_text=True)
    assert '<html lang="ar" dir="rtl">' in html
    data = json.loads(client.get("/privacy/export/my-data.json").get_data(as_text=True))
    assert data["language"] == "ar"


def test_export_page_offers_both_files(as_role):
    client, _ = as_role("survivor")
    html = client.get("/privacy/export").get_data(as_text=True)
    assert 'href="/privacy/export/my-data.html"' in html
    assert 'href="/privacy/export/my-data.json"' in html


def test_only_the_person_themselves_can_export(as_role, client):
    staff, _ = as_role("staff")
    assert staff.get("/privacy/export/my-data.json").status_code == 403
    assert client.get("/privacy/export/my-data.json").status_code == 302  # to sign-in


def test_every_account_event_is_named_in_words():
    """Each action the code records (audit.record("…")) has a label for the "Account activity"
    part of the export: a new one without a label fails here instead of showing its code name."""
    import ast
    from pathlib import Path

    from survivorapp.privacy.core import ACTION_LABELS

    recorded = set()
    for path in Path(__file__).resolve().parents[2].joinpath("survivorapp").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            func = getattr(node, "func", None)
            name = getattr(func, "attr", None) or getattr(func, "id", None)
            if isinstance(node, ast.Call) and name == "record" and node.args:
                first = node.args[0]
                if isinstance(first, ast.Constant) and isinstance(first.value, str):
                    recorded.add(first.value)
    assert len(recorded) > 30, recorded  # the scan finds the calls
    assert sorted(recorded - set(ACTION_LABELS)) == []
