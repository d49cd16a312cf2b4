"""retention days as an organisation setting

Revision ID: a978ccb115eb
Revises: b4cf4623007b
Create Date: 2026-12-01 10:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'a978ccb115eb'
down_revision = 'b4cf4623007b'
branch_labels = None
depends_on = None


def upgrade():
    # NULL: no admin has chosen a period, so SURVIVORAPP_RETENTION_DAYS applies.
    with op.batch_alter_table('org_settings', schema=None) as batch_op:
        batch_op.add_column(sa.Column('retention_days', sa.Integer(), nullable=True))


def downgrade():
    with op.batch_alter_table('org_settings', schema=None) as batch_op:
        batch_op.drop_column('retention_days')
