"""wiring: the budget sharing switch becomes the privacy consent area "budget_summary"

Revision ID: a941600fcecb
Revises: 41129019d8dd
Create Date: 2026-11-26 18:42:45.516378

Data: budget_settings.share_summary moves into consent_choice (area "budget_summary"). Sharing
never widens on the way: the result is shared only where the budget switch was on AND the
person had not chosen "private" for that area on the privacy page; a stored "shared" choice
with the budget switch off becomes "private" (that is what staff could actually see).
"""

from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

import survivorapp.database

# revision identifiers, used by Alembic.
revision = "a941600fcecb"
down_revision = "41129019d8dd"
branch_labels = None
depends_on = None

AREA = "budget_summary"

budget_settings = sa.table(
    "budget_settings",
    sa.column("user_id", sa.Integer),
    sa.column("share_summary", sa.Boolean),
)
consent_choice = sa.table(
    "consent_choice",
    sa.column("survivor_id", sa.Integer),
    sa.column("area", sa.String),
    sa.column("shared", sa.Boolean),
    sa.column("changed_at", survivorapp.database.UTCDateTime),
)


def upgrade():
    bind = op.get_bind()
    sharing = set(
        bind.execute(
            sa.select(budget_settings.c.user_id).where(budget_settings.c.share_summary.is_(True))
        ).scalars()
    )
    stored = dict(
        bind.execute(
            sa.select(consent_choice.c.survivor_id, consent_choice.c.shared).where(
                consent_choice.c.area == AREA
            )
        ).all()
    )
    now = datetime.now(UTC)
    new_rows = [
        {"survivor_id": uid, "area": AREA, "shared": True, "changed_at": now}
        for uid in sorted(sharing - set(stored))
    ]
    if new_rows:
        op.bulk_insert(consent_choice, new_rows)
    narrowed = sorted(uid for uid, shared in stored.items() if shared and uid not in sharing)
    if narrowed:
        bind.execute(
            consent_choice.update()
            .where(consent_choice.c.area == AREA, consent_choice.c.survivor_id.in_(narrowed))
            .values(shared=False, changed_at=now)
        )

    with op.batch_alter_table("budget_settings", schema=None) as batch_op:
        batch_op.drop_column("share_summary")


def downgrade():
    with op.batch_alter_table("budget_settings", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("share_summary", sa.Boolean(), nullable=False, server_default=sa.false())
        )
    shared = sa.select(consent_choice.c.survivor_id).where(
        consent_choice.c.area == AREA, consent_choice.c.shared.is_(True)
    )
    op.get_bind().execute(
        budget_settings.update()
        .where(budget_settings.c.user_id.in_(shared))
        .values(share_summary=True)
    )
    with op.batch_alter_table("budget_settings", schema=None) as batch_op:
        batch_op.alter_column("share_summary", server_default=None)
