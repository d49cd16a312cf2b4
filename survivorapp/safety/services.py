"""Quick exit, brand and cover-screen helpers. Views stay thin; these hold the decisions."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, DivisionByZero, InvalidOperation

from flask import current_app
from flask_login import current_user

from ..accounts import services as accounts
from ..accounts.devices import current_passkey_id
from ..accounts.events import device_left
from ..settings import org_setting

# Neutral icons an organisation may choose (SURVIVORAPP_BRAND_ICON): name -> theme colour.
# Each has static/icons/<name>.svg, <name>-192.png and <name>-512.png.
ICONS: dict[str, str] = {
    "notebook": "#235f8c",
    "calendar": "#8c2f39",
    "leaf": "#2f6b3a",
    "sun": "#9a5b00",
    "calculator": "#4a4f57",
}
DEFAULT_ICON = "notebook"
BACKGROUND = "#ffffff"

# Sent with every quick-exit answer: the browser drops this site's HTTP cache, cookies and
# storage (localStorage, sessionStorage, IndexedDB, Cache Storage, service workers).
CLEAR_SITE_DATA = '"cache", "cookies", "storage"'

# Where the start-screen choice lives: it is about this device, not a person, and it must
# work before anyone signs in, so it cannot be an account setting. It is a small cookie
# ("start=cover") that says nothing personal; the manifest's start_url (/start) reads it.
# Quick exit clears every cookie (Clear-Site-Data), which would silently drop the disguise
# exactly when it matters, so page.js writes this one cookie back after the clearing (the
# cookie is therefore not HttpOnly). The no-JavaScript exit cannot do that: there the
# choice is lost, and the app opens on sign-in until it is chosen again.
START_COOKIE = "start"
START_COVER = "cover"


@dataclass(frozen=True)
class Brand:
    name: str
    icon: str
    theme_color: str


def brand() -> Brand:
    """The neutral name and icon shown outside the page body (titles, manifest, icons):
    the admin's choice (organisation settings), else SURVIVORAPP_BRAND_NAME / _BRAND_ICON."""
    icon = str(org_setting("BRAND_ICON") or DEFAULT_ICON)
    if icon not in ICONS:
        icon = DEFAULT_ICON
    return Brand(str(org_setting("BRAND_NAME")), icon, ICONS[icon])


def asset_url(filename: str) -> str:
    """The fingerprinted URL templates use (`asset()`), for answers that are not templates."""
    return current_app.jinja_env.globals["asset"](filename)


def exit_url() -> str:
    """Where quick exit goes: the one place to read it (admin setting, else EXIT_URL)."""
    return str(org_setting("EXIT_URL"))


def idle_seconds() -> int:
    """How long a signed-in page may sit unused before the server ends its session."""
    return int(org_setting("SESSION_IDLE_MINUTES")) * 60


def end_session_now() -> None:
    """End the server-side session of whoever is here (the row is deleted at response time),
    and what this device turned on that would reach it later (reminders)."""
    if current_user.is_authenticated:
        device_left.send(current_user._get_current_object(), passkey_id=current_passkey_id())
    accounts.finish_session(current_user if current_user.is_authenticated else None)


def starts_on_cover(cookies) -> bool:
    return cookies.get(START_COOKIE) == START_COVER


# --- the calculator on the cover screen (also works without JavaScript) --------------------

MAX_EXPRESSION = 200
# The keypad's signs (multiplication, division and minus signs) read as their ASCII operators.
SIGNS = {"\u00d7": "*", "\u00f7": "/", "\u2212": "-"}
OPERATORS = {"+", "-", "*", "/", *SIGNS}


class CalculationError(ValueError):
    pass


def _tokens(expression: str) -> list[str]:
    tokens: list[str] = []
    number = ""
    for ch in expression.replace(",", "."):
        if ch.isdigit() or ch == ".":
            number += ch
            continue
        if number:
            tokens.append(number)
            number = ""
        if ch.isspace():
            continue
        if ch in OPERATORS or ch in "()":
            tokens.append(SIGNS.get(ch, ch))
        else:
            raise CalculationError(ch)
    if number:
        tokens.append(number)
    return tokens


def calculate(expression: str) -> Decimal:
    """Evaluate + - * / and brackets on decimals. Raises CalculationError on anything else."""
    if len(expression) > MAX_EXPRESSION:
        raise CalculationError("too long")
    tokens = _tokens(expression)
    pos = 0

    def peek() -> str | None:
        return tokens[pos] if pos < len(tokens) else None

    def take() -> str:
        nonlocal pos
        if pos >= len(tokens):
            raise CalculationError("end")
        pos += 1
        return tokens[pos - 1]

    def factor(depth: int) -> Decimal:
        if depth > 50:
            raise CalculationError("nesting")
        item = take()
        if item == "-":
            return -factor(depth + 1)
        if item == "+":
            return factor(depth + 1)
        if item == "(":
            value = expr(depth + 1)
            if take() != ")":
                raise CalculationError(")")
            return value
        try:
            return Decimal(item)
        except InvalidOperation:
            raise CalculationError(item) from None

    def term(depth: int) -> Decimal:
        value = factor(depth)
        while peek() in ("*", "/"):
            op = take()
            right = factor(depth)
            try:
                value = value * right if op == "*" else value / right
            except (DivisionByZero, InvalidOperation):
                raise CalculationError("division") from None
        return value

    def expr(depth: int) -> Decimal:
        value = term(depth)
        while peek() in ("+", "-"):
            op = take()
            right = term(depth)
            value = value + right if op == "+" else value - right
        return value

    if not tokens:
        raise CalculationError("empty")
    result = expr(0)
    if pos != len(tokens):
        raise CalculationError("trailing")
    return result


def format_result(value: Decimal) -> str:
    """Plain digits, at most 10 decimals, no exponent, no trailing zeros."""
    try:
        text = f"{value.quantize(Decimal('1.0000000000')):f}"
    except InvalidOperation:
        raise CalculationError("too large") from None
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text
