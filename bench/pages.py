"""The pages the benchmark drives, with one URL per signed-in person."""

from __future__ import annotations

from sqlalchemy import select

from bench.seed import SAMPLE, World, sessions_for


def _spread(ids: list[int]) -> list[int]:
    return ids[:: max(1, len(ids) // SAMPLE)][:SAMPLE]


def targets(world: World) -> dict[str, list[tuple[str, str]]]:
    from survivorapp.extensions import db
    from survivorapp.goals.models import Goal

    survivors = _spread(world.survivors)
    staff = _spread(world.staff)
    s_cookies = sessions_for(survivors)
    st_cookies = sessions_for(staff)
    first_goal = dict(
        db.session.execute(
            select(Goal.owner_id, Goal.public_id).where(
                Goal.owner_id.in_(survivors), Goal.position == 0
            )
        ).all()
    )
    return {
        "survivor home": [(c, "/home") for c in s_cookies],
        "goals": [(c, "/goals/") for c in s_cookies],
        "one goal": [
            (c, f"/goals/{first_goal[u]}") for c, u in zip(s_cookies, survivors, strict=True)
        ],
        "appointments": [(c, "/appointments") for c in s_cookies],
        "budget": [(c, "/budget/") for c in s_cookies],
        "circles": [(c, "/circles") for c in s_cookies],
        "staff queue": [(c, "/goals/review") for c in st_cookies],
        "staff home": [(c, "/staff") for c in st_cookies],
    }
