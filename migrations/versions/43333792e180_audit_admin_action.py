"""audit events: admin_action marks what the admin activity log shows

Revision ID: 43333792e180
Revises: a978ccb115eb
Create Date: 2026-12-01 11:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '43333792e180'
down_revision = 'a978ccb115eb'
branch_labels = None
depends_on = None

# Only admins could record these.
ADMIN_ONLY = ('roles_changed', 'account_disabled', 'account_enabled', 'org_settings_changed')
# Staff and admins both record these: an admin's, on someone else, count (best effort for
# earlier events: the actor holds the admin role now).
SHARED = (
    'caseload_assigned',
    'caseload_unassigned',
    'account_created',
    'enrolment_code_issued',
    'account_locked',
)


def upgrade():
    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('admin_action', sa.Boolean(), server_default=sa.false(), nullable=False)
        )
        batch_op.create_index(
            'ix_audit_event_admin_action_at', ['admin_action', 'at'], unique=False
        )
    audit = sa.table(
        'audit_event',
        sa.column('action', sa.String),
        sa.column('actor_id', sa.Integer),
        sa.column('subject_id', sa.Integer),
        sa.column('admin_action', sa.Boolean),
    )
    user_role = sa.table('user_role', sa.column('user_id', sa.Integer), sa.column('role', sa.String))
    admins = sa.select(user_role.c.user_id).where(user_role.c.role == 'admin')
    op.execute(
        audit.update().where(audit.c.action.in_(ADMIN_ONLY)).values(admin_action=sa.true())
    )
    op.execute(
        audit.update()
        .where(
            audit.c.action.in_(SHARED),
            audit.c.actor_id.in_(admins),
            sa.or_(audit.c.subject_id.is_(None), audit.c.subject_id != audit.c.actor_id),
        )
        .values(admin_action=sa.true())
    )


def downgrade():
    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        batch_op.drop_index('ix_audit_event_admin_action_at')
        batch_op.drop_column('admin_action')
