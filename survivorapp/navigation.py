"""The navigation bar, assembled from what each feature registers for each role."""

from __future__ import annotations

from dataclasses import dataclass

from flask_login import current_user

from .security.access import fully_signed_in


@dataclass(frozen=True)
class NavItem:
    endpoint: str
    label: object  # a lazy translated string
    roles: frozenset[str]
    order: int


_items: list[NavItem] = []


def nav_item(endpoint: str, label, *, roles: tuple[str, ...], order: int = 50) -> None:
    if any(i.endpoint == endpoint for i in _items):
        return
    _items.append(NavItem(endpoint, label, frozenset(roles), order))
    _items.sort(key=lambda i: i.order)


def items_for_current_user() -> list[NavItem]:
    if not fully_signed_in():
        return []
    return [i for i in _items if current_user.has_role(*i.roles)]
