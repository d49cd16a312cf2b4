"""The neutral cover screen (a calculator) and the device's start-screen choice."""

from __future__ import annotations

from decimal import Decimal

import pytest

from survivorapp.safety.services import CalculationError, calculate, format_result


@pytest.mark.parametrize(
    ("expression", "result"),
    [
        ("2+3*4", "14"),
        ("(2+3)*4", "20"),
        ("10/4", "2.5"),
        ("1/3", "0.3333333333"),
        ("-5+2", "-3"),
        ("7\u00d76\u22122", "40"),
        ("8\u00f72", "4"),
        ("0.1+0.2", "0.3"),
        ("1,5*2", "3"),
    ],
)
def test_calculator_works(expression, result):
    assert format_result(calculate(expression)) == result


@pytest.mark.parametrize(
    "expression", ["", "2+", "1/0", "abc", "(1+2", "1.2.3", "1)", "__import__('os')", "(" * 60]
)
def test_calculator_refuses_what_it_cannot_work_out(expression):
    with pytest.raises(CalculationError):
        calculate(expression)


def test_huge_numbers_do_not_break_it():
    with pytest.raises(CalculationError):
        format_result(calculate("9" * 150 + "*" + "9" * 45))
    assert format_result(Decimal("-0")) == "0"


def test_calculator_page_works_without_javascript(client):
    response = client.get("/calculator", query_string={"x": "12*3+4"})
    assert response.status_code == 200
    html = response.text
    assert ">40</output>" in html
    assert "<title>Calculator · Daybook</title>" in html
    assert 'href="/sign-in"' in html  # the discreet way in
    assert "Leave now" not in html and ">Close<" in html  # exit stays, with a plain label


@pytest.mark.parametrize("x", ["1/0", "x" * 5000, "\x00", "((((", "1e999999"])
def test_calculator_page_never_fails(client, x):
    response = client.get("/calculator", query_string={"x": x})
    assert response.status_code == 200
    assert "That cannot be worked out." in response.text or "<output" in response.text


def test_start_screen_is_a_device_choice_kept_in_a_cookie(client):
    assert client.get("/start").headers["Location"] == "/"
    response = client.post_form("/start-screen", {"start": "cover"}, page="/start-screen")
    assert response.status_code == 303
    cookie = client.get_cookie("start")
    assert cookie is not None and cookie.value == "cover"
    assert client.get("/start").headers["Location"] == "/calculator"
    assert (
        'checked id="start-1" name="start" type="radio" value="cover"'
        in client.get("/start-screen").text
    )
    client.post_form("/start-screen", {"start": "sign-in"}, page="/start-screen")
    assert client.get_cookie("start") is None
    assert client.get("/start").headers["Location"] == "/"


def test_start_screen_choice_needs_csrf_and_ignores_nonsense(client):
    assert client.post("/start-screen", data={"start": "cover"}).status_code == 400
    response = client.post_form("/start-screen", {"start": "x" * 1000}, page="/start-screen")
    assert response.status_code == 303
    assert client.get_cookie("start") is None
