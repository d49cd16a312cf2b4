"""Home panels: a feature adds its part of a role's home page without touching this folder.

@home_panel("survivor", order=20)
def goals_panel(user) -> str:
    return render_template("goals/_home_panel.html", goals=...)
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from markupsafe import Markup


@dataclass(frozen=True)
class Panel:
    role: str
    order: int
    render: Callable


_panels: list[Panel] = []


def _key(fn: Callable) -> str:
    return f"{fn.__module__}.{fn.__qualname__}"


def home_panel(role: str, *, order: int = 50) -> Callable[[Callable], Callable]:
    def register(render: Callable) -> Callable:
        if not any(_key(p.render) == _key(render) and p.role == role for p in _panels):
            _panels.append(Panel(role, order, render))
            _panels.sort(key=lambda p: p.order)
        return render

    return register


def render_panels(role: str, user) -> list[Markup]:
    # Renderers return HTML from autoescaped templates.
    return [Markup(p.render(user)) for p in _panels if p.role == role]  # noqa: S704  # nosec B704
