"""Real-browser fixtures: the app served on localhost, Debian's Chromium driven by Playwright,
and Chrome's virtual authenticator for passkeys. Never downloads a browser."""

from __future__ import annotations

import os
import shutil
import threading

import pytest
from werkzeug.serving import make_server

from survivorapp import create_app
from survivorapp.extensions import db
from tests.conftest import app_config, empty_tables, reset_schema
from tests.helpers import free_port

CHROMIUM = os.environ.get("CHROMIUM", shutil.which("chromium") or "/usr/bin/chromium")
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]
PHONE = {"width": 360, "height": 740}
# A loaded two-core CI machine runs the server, Chromium and pytest at once: Playwright's
# defaults (5 s for expect, 30 s for actions) are too short for the first and kept for the second.
EXPECT_TIMEOUT_MS = 15_000
CONTEXT_TIMEOUT_MS = 30_000

# Record CSP violations in the page itself; init scripts are not subject to the page's CSP.
CSP_WATCH = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', function (e) {
  window.__cspViolations.push(e.violatedDirective + ' ' + e.blockedURI);
});
"""


def _closing(app):
    """Werkzeug's development server closes a response body only after draining the socket;
    when the browser drops a connection mid-file (a page closed while an icon loads), that
    draining raises first and the open file is left to the garbage collector, which warns. A
    generator's `finally` runs however the iteration ends, so the file is always closed."""

    def serve(environ, start_response):
        body = app(environ, start_response)
        try:
            yield from body
        finally:
            if hasattr(body, "close"):
                body.close()

    return serve


class LiveServer:
    def __init__(self, app, port: int):
        self.app = app
        self.url = f"http://localhost:{port}"
        self._server = make_server("127.0.0.1", port, _closing(app), threaded=True)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    def wait_idle(self) -> None:
        """Wait for the requests being served to finish (each has its own thread)."""
        for thread in threading.enumerate():
            if "process_request_thread" in thread.name:
                thread.join(10)

    def stop(self) -> None:
        self._server.shutdown()
        self._thread.join(5)


@pytest.fixture(scope="session")
def live_server(tmp_path_factory):
    port = free_port()
    folder = tmp_path_factory.mktemp("live")
    app = create_app(
        app_config(f"sqlite:///{folder / 'live.db'}", ORIGIN=f"http://localhost:{port}"),
        instance_path=str(folder),
    )
    reset_schema(app)
    server = LiveServer(app, port)
    yield server
    server.stop()
    with app.app_context():
        db.engine.dispose()


@pytest.fixture
def live(live_server):
    """The live server, with an app context for building data and empty tables afterwards."""
    with live_server.app.app_context():
        yield live_server
        db.session.remove()
    empty_tables(live_server.app)


def _with_timeouts(new_context):
    """browser.new_context, giving every context (the fixture's and a test's own) the default
    timeout above."""

    def make(*args, **kwargs):
        context = new_context(*args, **kwargs)
        context.set_default_timeout(CONTEXT_TIMEOUT_MS)
        return context

    return make


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM):
        pytest.fail(f"Chromium not found at {CHROMIUM}: run `make test`, which installs it")
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=EXPECT_TIMEOUT_MS)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        browser.new_context = _with_timeouts(browser.new_context)
        yield browser
        browser.close()


class PageProblems:
    """Console errors, script errors and failed sub-resources. A page answering 4xx on purpose
    (a form with a mistake answers 422) is not a problem; a missing script or image is."""

    LOAD_FAILED = "Failed to load resource: the server responded with a status of"

    def __init__(self, page):
        self.console_errors: list[str] = []
        page.on("console", self._console)
        page.on("pageerror", lambda e: self.console_errors.append(str(e)))
        page.on("response", self._response)

    def _console(self, message) -> None:
        if message.type == "error" and not message.text.startswith(self.LOAD_FAILED):
            self.console_errors.append(message.text)

    def _response(self, response) -> None:
        request = response.request
        if response.status >= 500 or (
            response.status >= 400 and request.resource_type not in ("document", "fetch", "xhr")
        ):
            self.console_errors.append(f"{response.status} {request.resource_type} {response.url}")


@pytest.fixture
def page(browser, live):
    context = browser.new_context(viewport=PHONE, base_url=live.url)
    context.add_init_script(CSP_WATCH)
    page = context.new_page()
    problems = PageProblems(page)
    page.problems = problems
    yield page
    try:
        violations = page.evaluate("window.__cspViolations || []")
    except Exception:  # the page may have navigated away to a closed site
        violations = []
    context.close()
    assert problems.console_errors == [], f"console errors: {problems.console_errors}"
    assert violations == [], f"CSP violations: {violations}"


@pytest.fixture
def authenticator(page):
    """A DevTools virtual authenticator: a phone's platform passkey store with UV."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    result = cdp.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
                "automaticPresenceSimulation": True,
            }
        },
    )
    return cdp, result["authenticatorId"]


@pytest.fixture
def sign_in_browser(page, live):
    """Sign a person in for a browser test through a real server-side session (a row and a
    random cookie), for tests about features rather than about passkeys."""
    from tests.helpers import sign_in

    def go(user) -> None:
        client = live.app.test_client()
        sign_in(client, user)
        cookie = client.get_cookie(live.app.config["SESSION_COOKIE_NAME"])
        page.context.add_cookies(
            [
                {
                    "name": cookie.key,
                    "value": cookie.value,
                    "url": live.url,
                    "httpOnly": True,
                    "sameSite": "Lax",
                }
            ]
        )

    return go
