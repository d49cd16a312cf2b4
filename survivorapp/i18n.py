"""Language and time zone choice, and the language switcher."""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime, timedelta
from urllib.parse import urlsplit

import flask_babel
from babel import Locale
from babel.core import get_global
from babel.dates import format_skeleton, get_datetime_format
from flask import Blueprint, current_app, redirect, request, url_for
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from markupsafe import Markup, escape
from wtforms.fields.choices import SelectChoice

from .forms import Choice, Form
from .security.access import public
from .settings import org_setting

# Each language named in itself, so a person can find their own.
LANGUAGE_NAMES = {
    "en": "English",
    "es": "Español",
    "fr": "Français",
    "pt": "Português",
    "ar": "العربية",
    "uk": "Українська",
    "ro": "Română",
    "vi": "Tiếng Việt",
    "th": "ไทย",
    "tl": "Tagalog",
}
RTL = {"ar", "fa", "he", "ur"}
COOKIE = "lang"

bp = Blueprint("i18n", __name__)


def offered() -> list[str]:
    return [c for c in org_setting("LANGUAGES") if c in LANGUAGE_NAMES]


def select_locale() -> str:
    """The person's saved choice, then a choice made before sign-in, then the browser's."""
    languages = offered()
    if current_user and current_user.is_authenticated and current_user.locale in languages:
        return current_user.locale
    chosen = request.cookies.get(COOKIE)
    if chosen in languages:
        return chosen
    best = request.accept_languages.best_match(languages)
    return best or org_setting("DEFAULT_LOCALE")


def select_timezone() -> str:
    if current_user and current_user.is_authenticated:
        return current_user.timezone
    return org_setting("DEFAULT_TIMEZONE")


def text_direction(locale: str) -> str:
    return "rtl" if str(locale).split("_")[0] in RTL else "ltr"


def clock(moment, format: str = "short") -> str:
    """A time of day in the viewer's zone and language that never breaks across lines: a lone
    "ص" or "น." at the start of a line reads as nothing."""
    return flask_babel.format_time(moment, format).replace(" ", "\u00a0")


@bp.app_template_filter("to_the_minute")
def to_the_minute(value: datetime) -> str:
    """A moment in the viewer's zone and language, date and time to the minute: "medium" dates
    with `clock` times, joined the locale's own way (Babel's "medium" would add seconds)."""
    pattern = get_datetime_format("medium", locale=get_locale())
    return pattern.replace("{1}", flask_babel.format_date(value, "medium")).replace(
        "{0}", clock(value)
    )


def next_week_starts(today: date, locale: str) -> date:
    """The first day of next week, a week starting where the language is most spoken: Sunday
    for English (US), Portuguese (Brazil), Thai and Tagalog, Saturday for Arabic (Egypt), Monday
    elsewhere. A bare language has no territory, hence CLDR's likely subtags."""
    likely = get_global("likely_subtags").get(str(locale), str(locale))
    first = Locale.parse(likely).first_week_day  # 0 is Monday, as in date.weekday()
    return today + timedelta(days=7 - (today.weekday() - first) % 7)


@bp.app_template_filter("month_year")
def month_year(value) -> str:
    """A month and year in the current language, e.g. "March 2027" or "marzo de 2027"."""
    return format_skeleton("yMMMM", value, locale=get_locale())


# --- text people typed, in a page of another direction --------------------------------------
#
# A title typed in English on an Arabic page (or in Arabic on an English page) must keep its
# own direction, or "Rent 200!" shows as "!Rent 200" and a sentence around it is scrambled.
# Inline text a person typed goes through `|bidi`; a block that holds one person's text as its
# whole content (a note, a "why this matters" paragraph) gets dir="auto" in the template, and
# so does every input and textarea where people type words.


# Direction controls typed into a name or title (embeddings, overrides, isolates) would reach
# past its <bdi>: a typed U+2069 closes the isolation early, and a U+202E after it then turns
# the words around the name backwards on other people's screens. Isolated text drops them.
_DIRECTION_CONTROLS = dict.fromkeys(
    map(ord, "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
)


def without_direction_controls(value) -> str:
    cleaned = str(value).translate(_DIRECTION_CONTROLS)
    return Markup(cleaned) if isinstance(value, Markup) else cleaned  # noqa: S704  # nosec B704


@bp.app_template_filter("bidi")
def bidi(value) -> Markup:
    """`value` isolated in a <bdi> (escaped, like any other value), or "" when there is none."""
    if value is None or value == "":
        return Markup("")
    return Markup("<bdi>{}</bdi>").format(without_direction_controls(value))


FSI, PDI = "\u2068", "\u2069"  # FIRST STRONG ISOLATE ... POP DIRECTIONAL ISOLATE
_ISOLATED = re.compile(f"{FSI}([^{FSI}{PDI}]*){PDI}")


def isolate(value) -> str:
    """`value` between FSI and PDI: isolation in plain text, for a message that cannot carry
    markup, such as a flash message (stored as JSON between requests). Show it with the
    `isolates` filter, which turns each isolated value into a <bdi>."""
    return f"{FSI}{without_direction_controls(value)}{PDI}"


@bp.app_template_filter("isolates")
def isolates(text) -> Markup:
    """Plain text (escaped) with each FSI ... PDI value from `isolate` shown as a <bdi>."""
    return Markup(_ISOLATED.sub(r"<bdi>\1</bdi>", str(escape(text))))  # noqa: S704  # nosec B704


NEXT_MAX = 2048


def safe_next(target: object, fallback: str) -> str:
    """`target` if it is a path on this site however a browser reads it, else `fallback`.

    Browsers drop tabs and newlines from a URL and read a backslash as a slash, and Python's
    urlsplit drops tabs too: "/\\t/evil.example" would leave as "Location: //evil.example". A
    newline would also make the Location header fail, after the change was saved. So: a str
    that starts with one "/", no backslash, no control, format (bidi), surrogate, private-use,
    unassigned or line/paragraph separator character, and no scheme or host."""
    if not isinstance(target, str) or not 0 < len(target) <= NEXT_MAX:
        return fallback
    if not target.startswith("/") or target.startswith("//") or "\\" in target:
        return fallback
    if any(unicodedata.category(ch)[0] == "C" or ch in "\u2028\u2029" for ch in target):
        return fallback
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return fallback
    return target


class LanguageForm(Form):
    """The language switcher at the foot of every page, and the enrolment page's first step:
    one select, `language`, of the languages offered, each option named in its own language."""

    language = Choice(
        _l("Language"), invalid=_l("Choose a language from the list."), id="language-select"
    )

    def __init__(self, *args, control_id: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.language.choices = [
            SelectChoice(code, LANGUAGE_NAMES[code], {"lang": code}) for code in offered()
        ]
        if control_id:  # the enrolment page shows the footer's switcher too: ids must differ
            self.language.id = self.language.label.field_id = control_id


def language_form(control_id: str | None = None) -> LanguageForm:
    """The switcher as drawn, with the language in use chosen."""
    return LanguageForm(formdata=None, data={"language": str(get_locale())}, control_id=control_id)


@bp.post("/language")
@public
def choose_language():
    form = LanguageForm()
    back = safe_next(request.form.get("next"), url_for("home.index"))
    response = redirect(back, code=303)
    if not form.validate_on_submit():  # not a language offered here: nothing changes
        return response
    code = form.language.data
    if current_user.is_authenticated:
        current_user.locale = code  # kept by the one transaction rule (security/transactions)
    secure = current_app.config["HTTPS"]
    response.set_cookie(
        COOKIE, code, max_age=365 * 24 * 3600, secure=secure, httponly=True, samesite="Lax"
    )
    return response
