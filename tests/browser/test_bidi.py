"""Typed text keeps its own direction on a page in another: on an Arabic page, a goal titled in
English still reads "Rent 200!" (not "!Rent 200"), and an input follows what is typed in it."""

from playwright.sync_api import expect

from survivorapp.extensions import db
from tests.browser.journeys import switch_language
from tests.factories import make_goal, make_user

LTR = "e => e.matches(':dir(ltr)')"


def test_an_english_title_stays_left_to_right_on_an_arabic_page(page, live, sign_in_browser):
    person = make_user("survivor")
    url = f"/goals/{make_goal(person, title='Rent 200!').public_id}"
    sign_in_browser(person)
    db.session.remove()  # hold no database transaction while the browser works
    page.goto("/goals/")
    switch_language(page, "ar")
    page.goto(url)
    expect(page.locator("html")).to_have_attribute("dir", "rtl")

    heading = page.locator("h1.goal-title")
    title = heading.locator("bdi")
    expect(title).to_have_text("Rent 200!")
    assert title.evaluate(LTR)
    assert not heading.evaluate(LTR)  # the heading itself stays with the page

    step = page.locator("input[name=text]")
    # Empty, it follows the page (placeholder and caret on the right), not dir=auto's default.
    assert step.evaluate("e => getComputedStyle(e).direction") == "rtl"
    step.fill("Rent 200!")
    assert step.evaluate(LTR)  # the input follows what is typed in it (dir=auto)


# Which way an arrow glyph points, from a real screenshot that the browser draws on a canvas:
# the ink of its middle row lies on the side its point is, past the ink of its top row.
POINTS = """async png => {
  const img = new Image();
  img.src = "data:image/png;base64," + png;
  await img.decode();
  const canvas = document.createElement("canvas");
  canvas.width = img.width;
  canvas.height = img.height;
  const ctx = canvas.getContext("2d");
  ctx.drawImage(img, 0, 0);
  const { data } = ctx.getImageData(0, 0, img.width, img.height);
  const inkRows = [];
  for (let y = 0; y < img.height; y++) {
    const xs = [];
    for (let x = 0; x < img.width; x++) {
      const i = (y * img.width + x) * 4;
      if (data[i] + data[i + 1] + data[i + 2] < 3 * 140) xs.push(x);
    }
    if (xs.length) inkRows.push(xs.reduce((a, b) => a + b) / xs.length);
  }
  const middle = inkRows[Math.floor(inkRows.length / 2)];
  return middle > inkRows[0] ? "right" : "left";
}"""


def arrow_points(locator) -> str:
    import base64

    shot = base64.b64encode(locator.screenshot()).decode()
    return locator.page.evaluate(POINTS, shot)


def test_month_arrows_point_the_way_of_reading(page, live, sign_in_browser):
    sign_in_browser(make_user("survivor"))
    db.session.remove()
    page.goto("/budget/?month=2026-01")
    earlier = page.locator("a[rel=prev] span[aria-hidden=true]")
    later = page.locator("a[rel=next] span[aria-hidden=true]")
    assert (arrow_points(earlier), arrow_points(later)) == ("left", "right")
    switch_language(page, "ar")
    page.goto("/budget/?month=2026-01")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    # Right to left, earlier months lie to the right: the arrows turn round with the page.
    assert (arrow_points(earlier), arrow_points(later)) == ("right", "left")
