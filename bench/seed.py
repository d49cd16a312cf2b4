"""Seeding a large organisation quickly, and picking signed-in people to drive pages with.

Rows go in with Core inserts in batches (encrypted columns still pass through their type, so
the data is as encrypted as in real use). Features add their part in FEATURE_SEEDERS.
"""

from __future__ import annotations

import hashlib
import json
import random
import secrets
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import func, insert, select, text

DEFAULT = {  # the default size, at scale 1.0
    "survivors": 20_000,
    "staff": 200,
    "mentors": 300,
    "goals": 100_000,
    "appointments": 400_000,
    "budget_entries": 2_000_000,
    "circles": 1_500,
}
SAMPLE = 64  # signed-in people per role that the load is spread over
BATCH = 5_000


def progress(label: str, done: int, total: int, started: float) -> None:
    width = 30
    filled = int(width * done / max(total, 1))
    rate = done / max(time.monotonic() - started, 1e-6)
    sys.stderr.write(
        f"\r   {label:<16} [{'#' * filled}{'.' * (width - filled)}] "
        f"{done:>9,}/{total:,} {rate:,.0f}/s"
    )
    if done >= total:
        sys.stderr.write("\n")
    sys.stderr.flush()


def insert_rows(label: str, table, rows: Iterable[dict], total: int) -> None:
    from survivorapp.extensions import db

    started, done, batch = time.monotonic(), 0, []
    for row in rows:
        batch.append(row)
        if len(batch) >= BATCH:
            db.session.execute(insert(table), batch)
            db.session.commit()
            done += len(batch)
            batch.clear()
            progress(label, done, total, started)
    if batch:
        db.session.execute(insert(table), batch)
        db.session.commit()
        done += len(batch)
    progress(label, done, total, started)


@dataclass
class World:
    scale: float
    now: datetime
    survivors: list[int] = field(default_factory=list)
    staff: list[int] = field(default_factory=list)
    mentors: list[int] = field(default_factory=list)
    admin: int = 0
    rng: random.Random = field(default_factory=lambda: random.Random(7))

    def count(self, name: str) -> int:
        return max(1, round(DEFAULT[name] * self.scale))


def _users(world: World) -> None:
    from survivorapp.accounts.models import CaseloadLink, User, UserRole
    from survivorapp.extensions import db

    zones = ["Europe/London", "Asia/Bangkok", "Europe/Madrid", "Europe/Kyiv", "America/Lima"]
    plan = [
        ("survivor", world.count("survivors")),
        ("staff", world.count("staff")),
        ("mentor", world.count("mentors")),
        ("admin", 1),
    ]
    total = sum(n for _, n in plan)

    def rows() -> Iterator[dict]:
        for role, n in plan:
            for i in range(n):
                yield {
                    "public_id": secrets.token_urlsafe(12),
                    "user_handle": secrets.token_bytes(32),
                    "pseudonym": f"{role} {i}",
                    "timezone": zones[i % len(zones)],
                    "created_at": world.now,
                }

    insert_rows("people", User.__table__, rows(), total)
    ids = db.session.scalars(select(User.id).order_by(User.id)).all()
    start = 0
    for role, n in plan:
        chunk = ids[start : start + n]
        start += n
        setattr(
            world,
            {"survivor": "survivors", "staff": "staff", "mentor": "mentors", "admin": "admin"}[
                role
            ],
            chunk if role != "admin" else chunk[0],
        )
        insert_rows(
            f"roles: {role}",
            UserRole.__table__,
            ({"user_id": uid, "role": role} for uid in chunk),
            len(chunk),
        )
    staff = world.staff
    insert_rows(
        "caseloads",
        CaseloadLink.__table__,
        (
            {"survivor_id": sid, "staff_id": staff[i % len(staff)], "assigned_at": world.now}
            for i, sid in enumerate(world.survivors)
        ),
        len(world.survivors),
    )


# Each feature seeder takes the world and returns nothing; pages() below names the URLs.
FEATURE_SEEDERS: list[Callable[[World], None]] = []


def sessions_for(user_ids: list[int]) -> list[str]:
    """Real server-side sessions (rows in user_session) and the cookies that carry them."""
    from survivorapp.extensions import db
    from survivorapp.security.sessions import UserSession

    cookies = []
    for uid in user_ids:
        token = secrets.token_urlsafe(32)
        db.session.add(
            UserSession(
                token_hash=hashlib.sha256(token.encode()).hexdigest(),
                user_id=uid,
                data=json.dumps({"_user_id": str(uid), "_fresh": True, "csrf_token": "x"}),
                device="bench",
            )
        )
        cookies.append(f"sid={token}")
    db.session.commit()
    return cookies


def pages(world: World) -> dict[str, list[tuple[str, str]]]:
    from bench import pages as page_module

    return page_module.targets(world)


def prepare(db_url: str, scale: float, env: dict[str, str]) -> dict[str, list[tuple[str, str]]]:
    from flask_migrate import upgrade

    from bench import features  # noqa: F401 - registers the feature seeders
    from survivorapp import create_app
    from survivorapp.accounts.models import User
    from survivorapp.extensions import db

    config = {
        k.removeprefix("SURVIVORAPP_"): v for k, v in env.items() if k.startswith("SURVIVORAPP_")
    }
    app = create_app(config, instance_path=str(Path(__file__).parent / ".data" / "instance"))
    with app.app_context():
        fresh = _reset(db_url)
        upgrade()
        world = World(scale=scale, now=datetime.now(UTC))
        if fresh or db.session.scalar(select(func.count()).select_from(User)) == 0:
            _users(world)
            for seeder in FEATURE_SEEDERS:
                seeder(world)
            # Planner statistics, as autovacuum (PostgreSQL) or a nightly ANALYZE would keep.
            with db.engine.begin() as conn:
                conn.execute(text("ANALYZE"))
        else:
            raise RuntimeError("database not empty")
        targets = pages(world)
        db.engine.dispose()
    return targets


def _reset(db_url: str) -> bool:
    from survivorapp.extensions import db

    if db.engine.dialect.name == "postgresql":
        schema = db_url.rsplit("%3D", 1)[1]
        with db.engine.begin() as conn:
            conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    else:
        db.engine.dispose()
        path = Path(db_url.removeprefix("sqlite:///"))
        for suffix in ("", "-wal", "-shm"):
            Path(str(path) + suffix).unlink(missing_ok=True)
    return True
