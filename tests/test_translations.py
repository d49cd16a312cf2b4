"""Every offered language has a complete catalogue: every message translated, nothing fuzzy,
placeholders and plural forms intact, and the template up to date with the code."""

import re
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from survivorapp.config import SETTINGS

ROOT = Path(__file__).parent.parent
TRANSLATIONS = ROOT / "translations"
LANGUAGES = [c for c in str(SETTINGS["LANGUAGES"][0]).split(",") if c != "en"]
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]|\{(\w+)\}")


def placeholders(text: str) -> set[str]:
    return {a or b for a, b in PLACEHOLDER.findall(text or "")}


def load(path: Path):
    with path.open("rb") as fh:
        return read_po(fh)


def test_template_is_up_to_date(tmp_path):
    """messages.pot holds every string in the code (run `make translations` if this fails)."""
    fresh = tmp_path / "messages.pot"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "babel.messages.frontend",
            "extract",
            "--no-location",
            "--sort-output",
            "-F",
            str(ROOT / "babel.cfg"),
            "-k",
            "_l",
            "-k",
            "lazy_gettext",
            "-o",
            str(fresh),
            ".",  # babel.cfg's patterns start at the repository root, as `make translations`
        ],
        check=True,
        capture_output=True,
        cwd=ROOT,
    )
    wanted = {m.id if isinstance(m.id, str) else m.id[0] for m in load(fresh) if m.id}
    have = {
        m.id if isinstance(m.id, str) else m.id[0]
        for m in load(TRANSLATIONS / "messages.pot")
        if m.id
    }
    assert len(wanted) > 500, "the extraction found (almost) nothing: check babel.cfg's paths"
    assert sorted(wanted - have) == [], "strings missing from messages.pot: run make translations"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_catalogue_is_complete(lang):
    pot = load(TRANSLATIONS / "messages.pot")
    path = TRANSLATIONS / lang / "LC_MESSAGES" / "messages.po"
    assert path.exists(), f"no catalogue for {lang}"
    po = load(path)
    problems = []
    for message in pot:
        if not message.id:
            continue
        translated = po.get(message.id)
        if translated is None:
            problems.append(f"missing: {message.id!r}")
            continue
        if translated.fuzzy:
            problems.append(f"fuzzy: {message.id!r}")
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = (
            translated.string if isinstance(translated.string, tuple) else (translated.string,)
        )
        if isinstance(message.id, tuple) and len(strings) != po.num_plurals:
            problems.append(f"plural forms {len(strings)} != {po.num_plurals}: {message.id!r}")
        expected = set().union(*(placeholders(i) for i in ids))
        for s in strings:
            if not s:
                problems.append(f"empty: {message.id!r}")
            elif isinstance(message.id, tuple):
                # a plural form may leave out the number itself (e.g. "one goal"), nothing else
                if not placeholders(s) <= expected:
                    problems.append(f"placeholders {placeholders(s)} vs {expected}: {s!r}")
            elif placeholders(s) != expected:
                problems.append(f"placeholders {placeholders(s)} vs {expected}: {s!r}")
    assert problems == [], f"{lang}: {len(problems)} problems, first: {problems[:5]}"


def test_addresses_in_arabic_read_left_to_right():
    """A web address inside right-to-left text is scrambled ("//:https") unless isolated:
    the Arabic catalogue wraps each one in LEFT-TO-RIGHT ISOLATE ... POP DIRECTIONAL ISOLATE."""
    po = load(TRANSLATIONS / "ar" / "LC_MESSAGES" / "messages.po")
    strings = [
        s for m in po if m.id for s in (m.string if isinstance(m.string, tuple) else [m.string])
    ]
    with_address = [s for s in strings if "://" in s]
    assert with_address, "no address in the catalogue: this test checks nothing"
    # Every address opens with LRI and closes with PDI, none left open or bare.
    unisolated = [
        s for s in with_address if re.sub(r"\u2066https?://[^\u2069\s]*\u2069", "", s).count("://")
    ]
    assert unisolated == []


NAV_LABEL = re.compile(r'nav_item\(\s*"[\w.]+",\s*_l\("([^"]+)"\)')
NAV_LABELS = sorted(
    {
        m
        for path in (ROOT / "survivorapp").rglob("*.py")
        for m in NAV_LABEL.findall(path.read_text())
    }
)


@pytest.mark.parametrize("lang", ["en", *LANGUAGES])
def test_menu_labels_are_distinct(lang):
    """A person with several roles sees several menus at once: no two entries may read alike
    ("Groups" and "Circles" were both "المجموعات" in Arabic)."""
    assert len(NAV_LABELS) >= 10, NAV_LABELS
    po = None if lang == "en" else load(TRANSLATIONS / lang / "LC_MESSAGES" / "messages.po")
    shown = [label if po is None else po.get(label).string for label in NAV_LABELS]
    assert len(set(shown)) == len(shown), sorted(shown)
