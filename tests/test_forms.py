"""The one form system: WTForms with our own messages, drawn by templates/macros/forms.html."""

from __future__ import annotations

import importlib
import pkgutil
import re
from datetime import date, time
from pathlib import Path

from flask import render_template_string
from werkzeug.datastructures import MultiDict

import survivorapp
from survivorapp import forms as f

MACROS = '{% import "macros/forms.html" as forms %}'


class Sample(f.Form):
    name = f.TextField(
        "Name", [f.Required("Write a name."), f.MaxChars(5, "Too long.")], description="A hint."
    )
    month = f.MonthField("Month")
    day = f.DayField("Day", [f.Required("Give a day.")])
    at = f.ClockField("At")
    zone = f.TimeZoneField("Zone")
    count = f.WholeNumberField("Count")
    pick = f.Radios("Pick", choices=[("a", "A"), ("b", "B")], invalid="Pick one.")
    many = f.Checkboxes("Many", choices=[("x", "X"), ("y", "Y")], invalid="Not one of those.")
    area = f.Choice("Area", choices=[("", "Choose"), ("h", "Home")], invalid="Choose one.")
    ref = f.PublicIdField()


def _sample(app, data: dict):
    with app.test_request_context("/", method="POST", data=MultiDict(data)):
        form = Sample()
        form.validate()
        return form


def test_values_are_parsed_and_typing_is_kept(app):
    form = _sample(
        app,
        {
            "name": "  Sam ",
            "month": "2027-03",
            "day": "2027-03-14",
            "at": "09:30",
            "zone": "asia/bangkok",
            "count": "12",
            "pick": "b",
            "many": ["x", "y"],
            "area": "h",
            "ref": "abc_DEF-123",
        },
    )
    assert form.errors == {}
    assert form.data["name"] == "Sam"
    assert form.month.data == date(2027, 3, 1)
    assert form.day.data == date(2027, 3, 14)
    assert form.at.data == time(9, 30)
    assert form.zone.data == "Asia/Bangkok"
    assert form.count.data == 12
    assert form.many.data == ["x", "y"]
    assert form.ref.data == "abc_DEF-123"
    assert form.zone._value() == "asia/bangkok"  # shown again as typed


def test_every_bad_value_gets_our_own_message(app):
    form = _sample(
        app,
        {
            "name": "much too long",
            "month": "2027-13",
            "day": "14/03/2027",
            "at": "25:00",
            "zone": "Mars/Olympus",
            "count": "1.5",
            "pick": "c",
            "many": ["z"],
            "area": "nowhere",
            "ref": "x\x00y",
        },
    )
    assert form.errors == {
        "name": ["Too long."],
        "month": ["Enter a month like 2027-03."],
        "day": ["Enter a date like 2027-03-14."],
        "at": ["Enter a time like 09:30."],
        "zone": [
            "We do not know that time zone. Use the form Region/City, for example Asia/Bangkok."
        ],
        "count": ["Enter a whole number."],
        "pick": ["Pick one."],
        "many": ["Not one of those."],
        "area": ["Choose one."],
    }
    assert form.ref.data is None
    assert form.day._value() == "14/03/2027"


def test_a_missing_required_value_and_an_empty_choice(app):
    form = _sample(app, {"name": "   ", "area": ""})
    assert form.errors["name"] == ["Write a name."]
    assert form.errors["day"] == ["Give a day."]
    assert "pick" in form.errors  # a radio group with nothing chosen
    assert "area" not in form.errors  # the empty first option is a choice; Required makes it one


def test_the_macros_draw_one_id_scheme_and_keep_the_hint(app):
    with app.test_request_context("/", method="POST", data={"name": "much too long"}):
        form = Sample()
        form.validate()
        html = render_template_string(
            MACROS + "{{ forms.error_summary(form) }}{{ forms.field(form.name) }}"
            "{{ forms.radios(form.pick) }}{{ forms.checkboxes(form.many) }}"
            "{{ forms.select(form.area) }}{{ forms.field(form.day, type='date') }}",
            form=form,
        )
    assert 'href="#name"' in html and 'href="#pick-0"' in html
    name_input = re.search(r"<input[^>]*name=\"name\"[^>]*>", html).group(0)
    assert 'aria-describedby="name-hint name-error"' in name_input
    assert 'aria-invalid="true"' in name_input and 'dir="auto"' in name_input
    assert 'value="much too long"' in name_input
    assert '<p class="hint" id="name-hint">A hint.</p>' in html
    assert '<p class="error" id="name-error">Too long.</p>' in html
    assert 'id="pick-0"' in html and 'type="radio"' in html and "<legend>Pick</legend>" in html
    assert 'type="checkbox"' in html and 'id="many-1"' in html
    assert "required" not in html and "maxlength" not in html
    assert 'type="date"' in html and 'dir="auto"' not in re.search(
        r"<input[^>]*name=\"day\"[^>]*>", html
    ).group(0)


def test_a_bare_field_has_no_box_and_a_group_has_its_legend(app):
    with app.test_request_context("/"):
        form = Sample(formdata=None)
        html = render_template_string(
            MACROS + "{{ forms.bare(form.area, label_class='visually-hidden') }}"
            "{% call forms.group('Together') %}{{ forms.field(form.name) }}{% endcall %}",
            form=form,
        )
    bare, _, group = html.partition('<fieldset class="field">')
    assert '<label class="visually-hidden" for="area">' in bare and '<select id="area"' in bare
    assert 'class="field' not in bare  # no box of its own: its container lays it out
    assert group.lstrip().startswith("<legend>Together</legend>") and 'id="name"' in group


TEMPLATES = Path(survivorapp.__file__).parent / "templates"
BY_HAND = re.compile(r'<input(?![^>]*type="hidden")|<select|<textarea|class="field[" ]')


def test_no_template_draws_a_field_by_hand():
    """Controls are drawn by macros/forms.html alone (hidden inputs excepted), so every one
    has the same label, hint, error and id scheme."""
    found = [
        f"{path.relative_to(TEMPLATES)}: {match.group(0)}"
        for path in sorted(TEMPLATES.rglob("*.html"))
        if path != TEMPLATES / "macros" / "forms.html"
        for match in BY_HAND.finditer(path.read_text())
    ]
    assert found == []


def _all_forms() -> list[type[f.Form]]:
    for module in pkgutil.walk_packages(survivorapp.__path__, "survivorapp."):
        if module.name.endswith(".forms"):
            importlib.import_module(module.name)
    found, todo = [], [f.Form]
    while todo:
        cls = todo.pop()
        found.append(cls)
        todo.extend(cls.__subclasses__())
    return [cls for cls in found if cls.__module__ != "survivorapp.forms"]


def test_no_form_shows_wtforms_own_english(app):
    """Every validator carries one of our messages: WTForms' defaults are not in our
    catalogue, so a person would read them in English whatever their language."""
    with app.test_request_context("/"):
        for cls in _all_forms():
            for field in cls():
                for validator in field.validators:
                    message = getattr(validator, "message", "")
                    assert message, f"{cls.__name__}.{field.name}: {validator!r} has no message"
                if isinstance(field, f._Choosing):
                    assert field.invalid, f"{cls.__name__}.{field.name} has no invalid message"
