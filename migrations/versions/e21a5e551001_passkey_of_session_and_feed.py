"""sessions and calendar addresses remember their passkey: removing it ends them

Revision ID: e21a5e551001
Revises: c1a5e0d2b7f4
Create Date: 2026-12-07 06:16:57.928745

"""
from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision = 'e21a5e551001'
down_revision = 'c1a5e0d2b7f4'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('calendar_feed', schema=None) as batch_op:
        batch_op.add_column(sa.Column('passkey_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_calendar_feed_passkey_id'), ['passkey_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_calendar_feed_passkey_id_passkey'), 'passkey', ['passkey_id'], ['id'], ondelete='SET NULL')

    with op.batch_alter_table('user_session', schema=None) as batch_op:
        batch_op.add_column(sa.Column('passkey_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_user_session_passkey_id'), ['passkey_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_user_session_passkey_id_passkey'), 'passkey', ['passkey_id'], ['id'], ondelete='CASCADE')

    # Sessions open now kept their passkey in their data only.
    if op.get_bind().dialect.name == 'postgresql':
        found = "(data::json->>'passkey_id')::int"
    else:
        found = "CAST(json_extract(data, '$.passkey_id') AS INTEGER)"
    op.execute(
        f"UPDATE user_session SET passkey_id = {found} "
        f"WHERE {found} IN (SELECT id FROM passkey)"
    )


def downgrade():
    with op.batch_alter_table('user_session', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_user_session_passkey_id_passkey'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_user_session_passkey_id'))
        batch_op.drop_column('passkey_id')

    with op.batch_alter_table('calendar_feed', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_calendar_feed_passkey_id_passkey'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_calendar_feed_passkey_id'))
        batch_op.drop_column('passkey_id')
