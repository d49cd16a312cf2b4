"""Quick exit, the cover screen, the installable app and the idle lock, in real Chromium.

The exit address is another site and this machine has no internet: every test answers it
locally with page.route, so the browser really navigates there (and logs no error)."""

from __future__ import annotations

import re
import time
from datetime import timedelta

import pytest
from playwright.sync_api import expect
from sqlalchemy import select, update

from survivorapp.database import utcnow
from survivorapp.extensions import db
from survivorapp.security.sessions import UserSession
from tests.browser.conftest import PHONE
from tests.factories import make_user

EXIT_PAGE = "<!doctype html><title>Weather</title><h1>Weather today</h1>"
PERSONAL = "rent money for May"
# Playwright cannot open an installed-app window: answer the display-mode query as one would.
STANDALONE = """
const realMatchMedia = window.matchMedia.bind(window);
window.matchMedia = (query) => /display-mode:\\s*standalone/.test(query)
    ? {matches: true, media: query, onchange: null, addListener() {}, removeListener() {},
       addEventListener() {}, removeEventListener() {}, dispatchEvent() { return false; }}
    : realMatchMedia(query);
"""


def answer_exit_site(target, live) -> str:
    exit_url = live.app.config["EXIT_URL"]
    host = re.match(r"https?://[^/]+", exit_url).group(0)
    target.route(
        host + "/**",
        lambda route: route.fulfill(status=200, content_type="text/html", body=EXIT_PAGE),
    )
    return exit_url


def session_rows(user) -> list[UserSession]:
    db.session.expire_all()
    rows = list(db.session.scalars(select(UserSession).where(UserSession.user_id == user.id)))
    db.session.rollback()  # SQLite: never hold the write lock the live server needs
    return rows


def open_personal_pages(page) -> None:
    """Visit two signed-in pages and leave personal traces in every browser store."""
    page.goto("/home")
    assert page.locator("h1").inner_text() == "Today"
    page.goto("/account")
    page.evaluate(
        """async (secret) => {
            localStorage.setItem('note', secret);
            sessionStorage.setItem('note', secret);
            const cache = await caches.open('personal');
            await cache.put('/home', new Response(secret));
        }""",
        PERSONAL,
    )


def eventually(check, seconds: float = 5.0) -> None:
    """Poll until check() is true: the exit's requests may still be landing on a loaded machine."""
    deadline = time.monotonic() + seconds
    while not check() and time.monotonic() < deadline:
        time.sleep(0.1)


def assert_left_no_trail(page, live, user) -> None:
    eventually(lambda: session_rows(user) == [] and page.context.cookies() == [])
    assert session_rows(user) == []  # the server-side session is gone
    assert page.context.cookies() == []
    # Back lands on the app again, which asks for sign-in and shows nothing personal.
    page.go_back()
    page.wait_for_load_state()
    assert page.url == live.url + "/sign-in"
    assert page.locator("h1").inner_text() == "Sign in"
    assert PERSONAL not in page.content()
    stores = page.evaluate(
        """async () => {
            const names = await caches.keys();
            const urls = [];
            for (const name of names) {
                for (const r of await (await caches.open(name)).keys()) urls.push(r.url);
            }
            const session = {};
            for (let i = 0; i < sessionStorage.length; i++) {
                const key = sessionStorage.key(i);
                session[key] = sessionStorage.getItem(key);
            }
            return {names, urls, local: localStorage.length, session};
        }"""
    )
    assert "personal" not in stores["names"]
    assert stores["local"] == 0
    # htmx keeps the current path (here /sign-in) in sessionStorage; nothing else may be there.
    assert set(stores["session"]) <= {"htmx-current-path-for-history"}
    assert PERSONAL not in str(stores["session"]) and "/account" not in str(stores["session"])
    # The service worker may have precached again: only fingerprinted files and /offline.
    for url in stores["urls"]:
        assert ("/static/" in url and "?v=" in url) or url.endswith("/offline"), url
    # And the session is refused: a private page sends to sign-in.
    page.goto("/home")
    assert page.url == live.url + "/sign-in"


def test_exit_button_leaves_at_once_and_leaves_nothing(page, live, sign_in_browser):
    user = make_user("survivor")
    exit_url = answer_exit_site(page.context, live)
    sign_in_browser(user)
    open_personal_pages(page)
    button = page.locator("#quick-exit")
    box = button.bounding_box()
    assert box["height"] >= 48 and box["width"] >= 48
    # Sticky at the bottom of a phone screen, and nothing covers it.
    assert box["y"] + box["height"] == pytest.approx(PHONE["height"], abs=1)
    page.mouse.wheel(0, 2000)
    covering = page.evaluate(
        """() => { const r = document.getElementById('quick-exit').getBoundingClientRect();
            const el = document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2);
            return el.closest('#quick-exit') !== null; }"""
    )
    assert covering
    button.click()
    page.wait_for_url(exit_url)
    assert page.locator("h1").inner_text() == "Weather today"
    assert_left_no_trail(page, live, user)


def test_the_page_is_hidden_before_anything_else_happens(page, live, sign_in_browser):
    """While the sign-out request is still on its way (held here), the page is already blank:
    someone looking over a shoulder sees nothing from the first instant."""
    exit_url = answer_exit_site(page.context, live)
    sign_in_browser(make_user("survivor"))
    page.goto("/account")
    held = []
    page.route("**/exit", lambda route: held.append(route))
    page.locator("#quick-exit").click(no_wait_after=True)
    page.wait_for_function("document.documentElement.classList.contains('exiting')")
    assert page.evaluate("getComputedStyle(document.body).visibility") == "hidden"
    assert page.url.endswith("/account")  # not yet gone: the sign-out is still held
    for route in held:
        route.continue_()
    page.wait_for_url(exit_url)


def test_shift_three_times_with_a_visible_and_spoken_count(page, live, sign_in_browser):
    user = make_user("survivor")
    exit_url = answer_exit_site(page.context, live)
    sign_in_browser(user)
    open_personal_pages(page)
    status = page.locator("#quick-exit-status")
    steps_on = page.locator("#quick-exit .quick-exit-step.on")
    assert status.get_attribute("aria-live") == "polite"
    page.keyboard.press("Shift")
    assert steps_on.count() == 1
    assert page.locator("#quick-exit .quick-exit-steps").is_visible()
    assert "two more times" in status.inner_text()
    # Shift used with another key (a capital letter) does not count, and resets the count.
    page.keyboard.press("Shift+A")
    assert steps_on.count() == 0
    page.keyboard.press("Shift")
    page.keyboard.press("Shift")
    assert steps_on.count() == 2
    assert "once more" in status.inner_text()
    assert page.url.endswith("/account")
    page.keyboard.press("Shift")
    page.wait_for_url(exit_url)
    assert_left_no_trail(page, live, user)


def test_first_tab_then_enter_leaves(page, live, sign_in_browser):
    user = make_user("survivor")
    exit_url = answer_exit_site(page.context, live)
    sign_in_browser(user)
    open_personal_pages(page)
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "quick-exit"
    page.keyboard.press("Enter")
    page.wait_for_url(exit_url)
    assert_left_no_trail(page, live, user)


def test_shift_count_expires_after_five_seconds(page, live):
    page.clock.install()
    page.goto("/sign-in")
    page.keyboard.press("Shift")
    page.keyboard.press("Shift")
    assert page.locator("#quick-exit .quick-exit-step.on").count() == 2
    page.clock.run_for(5100)
    assert page.locator("#quick-exit .quick-exit-step.on").count() == 0
    assert "cleared" in page.locator("#quick-exit-status").inner_text()
    page.keyboard.press("Shift")
    assert page.url.endswith("/sign-in")


def test_plain_link_works_without_javascript(browser, live):
    user = make_user("survivor")
    context = browser.new_context(viewport=PHONE, base_url=live.url, java_script_enabled=False)
    try:
        exit_url = answer_exit_site(context, live)
        from tests.helpers import sign_in

        client = live.app.test_client()
        sign_in(client, user)
        cookie = client.get_cookie(live.app.config["SESSION_COOKIE_NAME"])
        context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live.url}])
        page = context.new_page()
        page.goto("/home")
        page.goto("/account")
        assert page.locator("h1").inner_text() == "Settings"
        page.click("#quick-exit")
        page.wait_for_url(exit_url)
        assert session_rows(user) == []
        assert context.cookies() == []
        page.go_back()
        page.wait_for_load_state()
        assert page.url == live.url + "/sign-in"
    finally:
        context.close()


def test_installed_app_shows_the_cover_screen_after_exit(page, live, sign_in_browser):
    user = make_user("survivor")
    answer_exit_site(page.context, live)
    page.context.add_init_script(STANDALONE)
    # This phone was set to open on the calculator: that choice outlives quick exit.
    page.goto("/start-screen")
    page.get_by_label("A calculator").check()
    page.get_by_role("button", name="Save").click()
    assert page.get_by_text("Saved for this phone").is_visible()
    sign_in_browser(user)
    open_personal_pages(page)
    assert page.evaluate("matchMedia('(display-mode: standalone)').matches")
    page.click("#quick-exit")
    page.wait_for_url(live.url + "/calculator")
    assert session_rows(user) == []
    assert page.title() == "Calculator · Daybook"
    cookies = {c["name"]: c["value"] for c in page.context.cookies()}
    assert cookies.get("start") == "cover"
    assert set(cookies) <= {"start", "sid"}  # sid: a new, anonymous session at most
    assert session_rows(user) == []
    # A real calculator, worked out in the page.
    for key in ("7", "Multiply", "6", "Minus", "2", "Equals"):
        page.get_by_role("button", name=key, exact=True).click()
    assert page.locator("#calc-result").inner_text() == "40"
    assert page.evaluate("localStorage.length") == 0
    assert page.evaluate("Object.keys(sessionStorage)") in ([], ["htmx-current-path-for-history"])
    assert "/calculator" in page.url and "?" not in page.url
    # The discreet way back in.
    page.get_by_role("link", name="Sign in").click()
    assert page.locator("h1").inner_text() == "Sign in"
    # Opening the installed app again shows the calculator first.
    page.goto(page.request.get("/manifest.webmanifest").json()["start_url"])
    assert page.url == live.url + "/calculator"


def test_app_is_installable_and_its_worker_stores_no_page(page, live, sign_in_browser):
    user = make_user("survivor")
    page.goto("/sign-in")
    href = page.locator('link[rel="manifest"]').get_attribute("href")
    manifest = page.request.get(href)
    assert manifest.headers["content-type"].startswith("application/manifest+json")
    data = manifest.json()
    assert data["name"] == "Daybook" and data["short_name"] == "Daybook"
    assert data["id"] and data["start_url"] and data["display"] == "standalone"
    sizes = {}
    for icon in data["icons"]:
        if icon["type"] == "image/png":
            sizes[icon["sizes"]] = page.evaluate(
                """(src) => new Promise((ok, fail) => { const i = new Image();
                    i.onload = () => ok([i.naturalWidth, i.naturalHeight]);
                    i.onerror = fail; i.src = src; })""",
                icon["src"],
            )
    assert sizes == {"192x192": [192, 192], "512x512": [512, 512]}
    # The worker controls the whole app.
    scope = page.evaluate("navigator.serviceWorker.ready.then(r => r.scope)")
    assert scope == live.url + "/"
    cdp = page.context.new_cdp_session(page)
    errors = cdp.send("Page.getInstallabilityErrors")["installabilityErrors"]
    # Playwright's contexts are incognito, where nothing installs; any other reason is ours.
    assert [e["errorId"] for e in errors if e["errorId"] != "in-incognito"] == []
    # Signed in and browsing: Cache Storage still holds only versioned files and /offline.
    sign_in_browser(user)
    page.goto("/home")
    assert page.evaluate("!!navigator.serviceWorker.controller")
    page.goto("/account")
    cached = page.evaluate(
        """async () => { const urls = [];
            for (const n of await caches.keys())
                for (const r of await (await caches.open(n)).keys()) urls.push(r.url);
            return urls; }"""
    )
    assert live.url + "/offline" in cached
    pages = [u for u in cached if "/static/" not in u]
    assert pages == [live.url + "/offline"]
    assert all("?v=" in u for u in cached if "/static/" in u)
    # Without a network, pages answer with the neutral offline page.
    page.context.set_offline(True)
    page.goto("/home")
    assert page.locator("h1").inner_text() == "No connection"
    assert "Today" not in page.content()
    page.context.set_offline(False)


def test_idle_lock_lands_on_sign_in_and_back_shows_nothing(page, live, sign_in_browser):
    user = make_user("survivor")
    sign_in_browser(user)
    page.goto("/home")
    page.goto("/account")

    def go_idle() -> None:
        idle = live.app.config["SESSION_IDLE_MINUTES"] + 1
        db.session.execute(
            update(UserSession)
            .where(UserSession.user_id == user.id)
            .values(last_seen_at=utcnow() - timedelta(minutes=idle))
        )
        db.session.commit()

    go_idle()
    page.get_by_role("link", name="Today").click()  # the next action
    page.wait_for_url(live.url + "/sign-in")
    page.go_back()
    page.wait_for_load_state()
    assert page.url == live.url + "/sign-in"
    assert page.locator("h1").inner_text() == "Sign in"


def test_idle_page_locks_itself_without_any_action(page, live, sign_in_browser):
    user = make_user("survivor")
    sign_in_browser(user)
    page.clock.install()
    page.goto("/home")
    page.goto("/account")
    idle = live.app.config["SESSION_IDLE_MINUTES"] + 1
    db.session.execute(
        update(UserSession)
        .where(UserSession.user_id == user.id)
        .values(last_seen_at=utcnow() - timedelta(minutes=idle))
    )
    db.session.commit()
    page.clock.run_for(idle * 60 * 1000)
    page.wait_for_url(live.url + "/sign-in")
    page.go_back()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Sign in"


def test_safety_pages_pass_axe(page, live):
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()
    for path in ("/calculator", "/start-screen", "/offline"):
        page.goto(path)
        if path == "/calculator":
            page.keyboard.press("Shift")  # with the count showing, too
        # WCAG rules (the best-practice "region" rule flags the shared layout's skip link).
        tags = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
        results = axe.run(page, options={"runOnly": {"type": "tag", "values": tags}})
        assert results.violations_count == 0, (path, results.generate_report())


# The focused control and the quick-exit bar, as rectangles; whether they overlap.
FOCUS_UNDER_EXIT = """() => {
  const f = document.activeElement, exit = document.getElementById("quick-exit");
  if (!f || f === document.body || exit.contains(f)) return null;
  const a = f.getBoundingClientRect(), b = exit.getBoundingClientRect();
  const overlap = a.bottom > b.top && a.top < b.bottom && a.right > b.left && a.left < b.right;
  return overlap ? (f.id || f.name || f.textContent.trim()).slice(0, 40) : null;
}"""


@pytest.mark.parametrize("viewport", [PHONE, {"width": 1280, "height": 600}])
def test_keyboard_focus_is_never_hidden_by_the_quick_exit(page, live, sign_in_browser, viewport):
    """WCAG 2.4.11: tabbing through a long form never leaves focus under the sticky bar."""
    page.set_viewport_size(viewport)
    sign_in_browser(make_user("admin"))
    page.goto("/admin/settings")
    hidden = []
    for _ in range(60):
        page.keyboard.press("Tab")
        hidden.append(page.evaluate(FOCUS_UNDER_EXIT))
    assert [h for h in hidden if h] == []


def test_the_shift_hint_shows_only_where_there_is_a_keyboard(browser, live):
    """On a touch phone the home page says "tap Leave now" and nothing about Shift."""
    from tests.helpers import sign_in

    user = make_user("survivor")
    client = live.app.test_client()
    sign_in(client, user)
    cookie = client.get_cookie(live.app.config["SESSION_COOKIE_NAME"])
    for touch, shown in ((True, False), (False, True)):
        context = browser.new_context(
            viewport=PHONE, base_url=live.url, has_touch=touch, is_mobile=touch
        )
        try:
            context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live.url}])
            page = context.new_page()
            page.goto("/home")
            expect(page.get_by_text("tap “Leave now”.")).to_be_visible()
            hint = expect(page.get_by_text("pressing Shift three times"))
            if shown:
                hint.to_be_visible()
            else:
                hint.to_be_hidden()
        finally:
            context.close()
