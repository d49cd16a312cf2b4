"""Ready-made goals a survivor can adopt and then change as they like.

The texts are lazy translations: adopting a pathway stores them into a new private goal in the
person's language at that moment, and from then on they are the survivor's own words.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from .models import Area


@dataclass(frozen=True)
class Pathway:
    key: str
    area: Area
    title: object
    why: object
    summary: object
    steps: tuple


PATHWAYS: tuple[Pathway, ...] = (
    Pathway(
        key="housing-phases",
        area=Area.HOUSING,
        title=_l("A home of my own, one stage at a time"),
        why=_l("Each stage gives me a safer, steadier base for the next one."),
        summary=_l(
            "Four stages: somewhere safe now, somewhere to stay for a while, "
            "a place with support nearby, then a home in your own name."
        ),
        steps=(
            _l("Emergency: a safe place to stay for the next few nights"),
            _l("Transitional: a room or flat for the next few months"),
            _l("Supported: a place of my own with support close by"),
            _l("Independent living: a home in my own name"),
        ),
    ),
    Pathway(
        key="stackable-training",
        area=Area.WORK,
        title=_l("A qualification, one short course at a time"),
        why=_l("Short courses fit around my life and add up to something recognised."),
        summary=_l(
            "Pick a field, finish short modules one by one, and put them together for a "
            "certificate."
        ),
        steps=(
            _l("Choose a field I would like to work in"),
            _l("Finish the first short module"),
            _l("Finish the second short module"),
            _l("Finish the third short module"),
            _l("Put the modules together for the certificate"),
        ),
    ),
)


def find(key: str) -> Pathway | None:
    return next((p for p in PATHWAYS if p.key == key), None)
