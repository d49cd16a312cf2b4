"""Helpers for the role journeys: axe-core (WCAG 2.2 A/AA), reflow at 320 px and 200 % text,
touch target sizes, visible keyboard focus, and moving through a page by keyboard alone.

Every check adds readable problems ("page: rule: target") to one list per journey; the test
asserts the list is empty at the end, so one run shows everything that is wrong."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from axe_playwright_python.sync_playwright import Axe
from flask_babel import force_locale, gettext
from playwright.sync_api import expect

from survivorapp.i18n import text_direction
from tests.browser.conftest import PHONE

WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
# Best-practice rule checked too: all content inside landmarks.
EXTRA_RULES = ["region"]
AXE = Axe()

# Reflow and text resize, measured in the page. Offsets of one pixel are rounding.
LAYOUT_JS = """
(limit) => {
  const doc = document.documentElement;
  const out = [];
  const name = (el) => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
    (typeof el.className === 'string' && el.className ? '.' + el.className.split(' ')[0] : '');
  if (doc.scrollWidth > limit + 1) {
    // name the innermost elements that stick out, so the message says what to fix
    const wide = [...document.body.querySelectorAll('*')].filter((el) => {
      const r = el.getBoundingClientRect();
      return r.width > 0 && (r.right > limit + 1 || r.left < -1);
    });
    const inner = wide.filter((el) => !wide.some((o) => o !== el && el.contains(o)));
    const culprits = inner.slice(0, 3).map(name).join(', ');
    out.push('page is ' + doc.scrollWidth + 'px wide (' + culprits + ')');
  }
  const main = document.querySelector('main');
  if (main) {
    for (const el of [main, ...main.querySelectorAll('*')]) {
      const style = getComputedStyle(el);
      if (style.display === 'none' || el.closest('.visually-hidden')) continue;
      // a text field scrolls its own value: that is not lost text
      if (['INPUT', 'TEXTAREA', 'SELECT'].includes(el.tagName)) continue;
      const clips = ['hidden', 'clip'].includes(style.overflowX);
      if ((el === main || clips) && el.scrollWidth > el.clientWidth + 1) {
        out.push('clipped text in ' + name(el));
      }
    }
  }
  return out;
}
"""

# Controls in navigation and forms must be at least 44 x 44 CSS px. A checkbox or radio
# counts with its label (the label is the tap target). Inline links in running text are
# exempt (WCAG 2.5.8), so only links in navigation and links styled as buttons are measured.
TARGETS_JS = """
() => {
  const out = [];
  const sel = 'nav a, a.button, a.button-secondary, a.button-danger, .actions a, ' +
    '.goals-panel-item > a, .goals-panel .notice li > a, ' +
    'button, select, textarea, input:not([type=hidden]), #quick-exit';
  for (const el of document.querySelectorAll(sel)) {
    if (el.closest('.visually-hidden')) continue;
    const style = getComputedStyle(el);
    if (style.visibility === 'hidden' || style.display === 'none') continue;
    let box = el.getBoundingClientRect();
    if (box.width === 0 && box.height === 0) continue;
    if ((el.type === 'checkbox' || el.type === 'radio') && el.labels && el.labels.length) {
      const l = el.labels[0].getBoundingClientRect();
      const left = Math.min(box.left, l.left), right = Math.max(box.right, l.right);
      const top = Math.min(box.top, l.top), bottom = Math.max(box.bottom, l.bottom);
      box = {width: right - left, height: bottom - top};
    }
    if (box.width < 43.5 || box.height < 43.5) {
      const name = (el.innerText || el.value || el.name || el.id || '').trim().slice(0, 30);
      out.push(el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + ' "' + name + '" is ' +
               Math.round(box.width) + 'x' + Math.round(box.height));
    }
  }
  return out;
}
"""

FOCUS_JS = """
() => {
  const el = document.activeElement;
  if (!el || el === document.body) return 'nothing has focus';
  const s = getComputedStyle(el);
  const outline = s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0;
  const shadow = s.boxShadow && s.boxShadow !== 'none';
  if (outline || shadow) return '';
  return 'no visible focus on ' + el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
         ' "' + (el.innerText || el.value || '').trim().slice(0, 30) + '"';
}
"""


def path_of(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


# A digit in any script a page may show: Western, Arabic-Indic, Extended Arabic-Indic.
DIGIT = "[0-9\u0660-\u0669\u06f0-\u06f9]"
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]")


class Language:
    """The language a journey is walked in, chosen by the `lang` cookie as a person's first
    choice is. Its words come from the app's own catalogue (call it like gettext), and a word
    with no translation fails the journey, so a page that stops being translated is caught."""

    def __init__(self, code: str, page, live):
        self.code = code
        page.context.add_cookies([{"name": "lang", "value": code, "url": live.url}])

    def __call__(self, msgid: str, **values) -> str:
        with force_locale(self.code):
            text = gettext(msgid, **values)
        if self.code != "en":
            assert text != (msgid % values if values else msgid), f"no {self.code}: {msgid!r}"
        return text

    def pattern(self, msgid: str, *, numbers: bool = True) -> re.Pattern:
        """The whole translated message, each placeholder standing for a value; with `numbers`
        every value must hold a digit (a date, a time, an amount), in whatever script."""
        value = f".*?{DIGIT}.*?" if numbers else ".+?"
        parts = PLACEHOLDER.split(self(msgid))
        return re.compile("^" + value.join(re.escape(part) for part in parts) + "$")


class Audit:
    """Collects accessibility problems across one journey."""

    def __init__(self, page, language: str = "en"):
        self.page = page
        self.language = language
        self.problems: list[str] = []
        self.visited: list[str] = []
        self._devtools = None

    # -- checks on the page as it is now --------------------------------------------------
    def axe(self, where: str) -> None:
        results = AXE.run(
            self.page,
            options={
                "runOnly": {"type": "tag", "values": WCAG},
                "rules": {rule: {"enabled": True} for rule in EXTRA_RULES},
                "resultTypes": ["violations"],
            },
        )
        for violation in results.response["violations"]:
            for node in violation["nodes"]:
                self.problems.append(
                    f"{where}: axe {violation['id']} ({violation['impact']}) at "
                    f"{node['target']}: {violation['help']}"
                )

    def layout(self, where: str) -> None:
        page = self.page
        page.set_viewport_size({"width": 320, "height": PHONE["height"]})
        for problem in page.evaluate(LAYOUT_JS, 320):
            self.problems.append(f"{where} at 320px: {problem}")
        page.set_viewport_size(PHONE)
        page.evaluate("document.documentElement.style.fontSize = '200%'")
        for problem in page.evaluate(LAYOUT_JS, PHONE["width"]):
            self.problems.append(f"{where} with 200% text: {problem}")
        page.evaluate("document.documentElement.style.fontSize = ''")

    def targets(self, where: str) -> None:
        for problem in self.page.evaluate(TARGETS_JS):
            self.problems.append(f"{where}: small touch target {problem}")

    def check(self) -> None:
        """Everything on the page as the journey left it (its language, light theme)."""
        path = path_of(self.page.url)
        where = path if self.language == "en" else f"{path} [{self.language}]"
        self.page_language(where)
        self.axe(where)
        self.layout(where)
        self.targets(where)
        if path not in self.visited:
            self.visited.append(path)

    def page_language(self, where: str) -> None:
        """The page is in the journey's language and direction: no step falls back."""
        html = self.page.locator("html")
        shown = (html.get_attribute("lang") or "", html.get_attribute("dir") or "")
        if not shown[0].startswith(self.language) or shown[1] != text_direction(self.language):
            self.problems.append(f"{where}: page is lang={shown[0]!r} dir={shown[1]!r}")

    def sweep(self, *, skip: tuple[str, ...] = ()) -> None:
        """Every page visited again in the dark theme, then in Arabic (light and dark)."""
        page = self.page
        urls = [u for u in self.visited if not u.startswith(skip)]
        page.emulate_media(color_scheme="dark")
        for url in urls:
            page.goto(url)
            self.axe(f"{url} [en, dark]")
        page.emulate_media(color_scheme="light")
        switch_language(page, "ar")
        for url in urls:
            page.goto(url)
            expect(page.locator("html")).to_have_attribute("dir", "rtl")
            self.axe(f"{url} [ar]")
            self.layout(f"{url} [ar]")
            page.emulate_media(color_scheme="dark")
            self.axe(f"{url} [ar, dark]")
            page.emulate_media(color_scheme="light")
        switch_language(page, "en")

    def assert_clean(self) -> None:
        assert not self.problems, "accessibility problems:\n" + "\n".join(self.problems)

    # -- keyboard -------------------------------------------------------------------------
    def note_focus(self) -> None:
        """Record a problem when the focused element shows no visible focus."""
        problem = self.page.evaluate(FOCUS_JS)
        if problem:
            self.problems.append(f"{path_of(self.page.url)}: {problem}")

    def tab_to(self, locator, *, backwards: bool = False, limit: int = 60) -> None:
        """Press Tab (or Shift+Tab) until `locator` has focus; every stop must show focus."""
        page = self.page
        key = "Shift+Tab" if backwards else "Tab"
        for _ in range(limit):
            page.keyboard.press(key)
            self.note_focus()
            if locator.evaluate("el => el === document.activeElement"):
                return
        raise AssertionError(f"{path_of(page.url)}: could not reach {locator} with {key}")

    def press(self, locator, key: str = "Enter", **kw) -> None:
        self.tab_to(locator, **kw)
        self.page.keyboard.press(key)

    def type_into(self, locator, text: str, **kw) -> None:
        self.tab_to(locator, **kw)
        self.page.keyboard.press("ControlOrMeta+a")
        self.keys(text)

    def keys(self, text: str) -> None:
        """Type `text` key by key, as a keyboard for its script does. Playwright types a
        character outside the US layout as a bare input event with no key press, which a
        select's type-ahead never sees; those characters go through DevTools as key presses."""
        for char in text:
            if char.isascii():
                self.page.keyboard.type(char)
                continue
            if self._devtools is None:
                self._devtools = self.page.context.new_cdp_session(self.page)
            for kind in ("keyDown", "keyUp"):
                event = {"type": kind, "key": char, "text": char if kind == "keyDown" else ""}
                self._devtools.send("Input.dispatchKeyEvent", event)

    def start(self, path: str) -> None:
        """Go to a page and start from its top: focus on the document, nothing focused."""
        self.page.goto(path)


def switch_language(page, code: str) -> None:
    """The footer switcher, as a person would use it (saves the choice when signed in)."""
    page.locator("#language-select").select_option(code)
    page.locator(".language-form button").click()
    expect(page.locator("html")).to_have_attribute("lang", re.compile(f"^{code}"))
