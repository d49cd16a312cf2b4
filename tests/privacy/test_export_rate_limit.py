"""The data export is rate-limited per person: building it reads every table about them, so
a script (or a stolen session) must not be able to ask for it without end."""

from __future__ import annotations

from survivorapp.privacy.views import EXPORT_LIMIT

URLS = ["/privacy/export/my-data.json", "/privacy/export/my-data.html"]


def test_the_export_is_rate_limited_per_person(as_role):
    assert EXPORT_LIMIT == "10 per hour"
    client, _ = as_role("survivor")
    # Both files count against one limit: asking for them in turn does not double it.
    statuses = [client.get(URLS[i % 2]).status_code for i in range(10)]
    assert statuses == [200] * 10
    refused = client.get(URLS[0])
    assert refused.status_code == 429
    html = refused.get_data(as_text=True)
    assert "Too many tries. Please wait a minute and try again." in html  # the app's own page
    assert refused.headers["Cache-Control"] == "no-store"
    assert "Content-Disposition" not in refused.headers
    assert client.get(URLS[1]).status_code == 429
    assert client.get("/privacy/export").status_code == 200  # the page itself still opens
    # Keyed by the person, not the address: someone else on the same network still gets theirs.
    other, _ = as_role("survivor")
    assert other.get(URLS[0]).status_code == 200
