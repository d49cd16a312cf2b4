"""circle sequence: calendar apps take a re-imported event with a cancelled or moved session

Revision ID: c1a5e0d2b7f4
Revises: 48158f19b2e2
Create Date: 2026-12-03 11:40:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c1a5e0d2b7f4'
down_revision = '48158f19b2e2'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('circle', schema=None) as batch_op:
        batch_op.add_column(sa.Column('sequence', sa.Integer(), server_default='0', nullable=False))
    # A circle that already has changed sessions starts above the events handed out before.
    op.execute(
        "UPDATE circle SET sequence = (SELECT count(*) FROM circle_session_change "
        "WHERE circle_session_change.circle_id = circle.id)"
    )


def downgrade():
    with op.batch_alter_table('circle', schema=None) as batch_op:
        batch_op.drop_column('sequence')
