"""collection slips, the event log, dated pregnancies and attribute changes

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23

Data already in the register is carried over: a pregnancy recorded on a woman's follow-up becomes an open
pregnancy from the date it was recorded, and every household already registered gets its registration event
(the rows it holds now — no slip has changed them yet), so that replaying the log rebuilds the register.
"""
import datetime as dt

from alembic import op
import sqlalchemy as sa

from danso.domain.events import REGISTERED, REGISTRATION_TABLES, registration_data, to_json


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('attribute_changes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('attribute', sa.String(length=20), nullable=False),
    sa.Column('old_value', sa.Text(), nullable=True),
    sa.Column('new_value', sa.Text(), nullable=True),
    sa.Column('effective', sa.Date(), nullable=False),
    sa.ForeignKeyConstraint(['person_id'], ['persons.id'], name=op.f('fk_attribute_changes_person_id_persons')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_attribute_changes'))
    )
    with op.batch_alter_table('attribute_changes', schema=None) as batch_op:
        batch_op.create_index('ix_attribute_changes_person_id_attribute', ['person_id', 'attribute'], unique=False)

    op.create_table('closed_months',
    sa.Column('commune_id', sa.Integer(), nullable=False),
    sa.Column('month', sa.String(length=7), nullable=False),
    sa.Column('closed_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('closed_by', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['commune_id'], ['units.id'], name=op.f('fk_closed_months_commune_id_units')),
    sa.PrimaryKeyConstraint('commune_id', 'month', name=op.f('pk_closed_months'))
    )
    op.create_table('pregnancies',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('start_date', sa.Date(), nullable=False),
    sa.Column('end_date', sa.Date(), nullable=True),
    sa.Column('outcome', sa.String(length=12), nullable=True),
    sa.ForeignKeyConstraint(['person_id'], ['persons.id'], name=op.f('fk_pregnancies_person_id_persons')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_pregnancies'))
    )
    with op.batch_alter_table('pregnancies', schema=None) as batch_op:
        batch_op.create_index('ix_pregnancies_person_id', ['person_id'], unique=False)

    op.create_table('slips',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('client_id', sa.String(length=64), nullable=False),
    sa.Column('kind', sa.String(length=30), nullable=False),
    sa.Column('area_id', sa.Integer(), nullable=False),
    sa.Column('commune_id', sa.Integer(), nullable=False),
    sa.Column('month', sa.String(length=7), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('payload', sa.Text(), nullable=False),
    sa.Column('problems', sa.Text(), server_default='[]', nullable=False),
    sa.Column('warnings_confirmed', sa.Boolean(), server_default=sa.text('(false)'), nullable=False),
    sa.Column('late', sa.Boolean(), server_default=sa.text('(false)'), nullable=False),
    sa.Column('on_behalf', sa.Boolean(), server_default=sa.text('(false)'), nullable=False),
    sa.Column('reason', sa.Text(), server_default='', nullable=False),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.Column('created_by', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['area_id'], ['units.id'], name=op.f('fk_slips_area_id_units')),
    sa.ForeignKeyConstraint(['commune_id'], ['units.id'], name=op.f('fk_slips_commune_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_slips'))
    )
    with op.batch_alter_table('slips', schema=None) as batch_op:
        batch_op.create_index('ix_slips_area_id_month', ['area_id', 'month'], unique=False)
        batch_op.create_index('ix_slips_commune_id_month_status', ['commune_id', 'month', 'status'], unique=False)
        batch_op.create_index('uq_slips_client_id', ['client_id'], unique=True)

    op.create_table('events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=30), nullable=False),
    sa.Column('event_date', sa.Date(), nullable=False),
    sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('slip_id', sa.Integer(), nullable=True),
    sa.Column('person_id', sa.Integer(), nullable=True),
    sa.Column('household_id', sa.Integer(), nullable=True),
    sa.Column('data', sa.Text(), nullable=False),
    sa.Column('reverses_id', sa.Integer(), nullable=True),
    sa.Column('reversed_by', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['reverses_id'], ['events.id'], name=op.f('fk_events_reverses_id_events')),
    sa.ForeignKeyConstraint(['slip_id'], ['slips.id'], name=op.f('fk_events_slip_id_slips')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_events'))
    )
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.create_index('ix_events_household_id', ['household_id'], unique=False)
        batch_op.create_index('ix_events_kind_event_date', ['kind', 'event_date'], unique=False)
        batch_op.create_index('ix_events_person_id', ['person_id'], unique=False)
        batch_op.create_index('ix_events_slip_id', ['slip_id'], unique=False)

    op.create_table('slip_actions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('slip_id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('actor', sa.Text(), nullable=False),
    sa.Column('action', sa.String(length=20), nullable=False),
    sa.Column('from_status', sa.String(length=10), nullable=True),
    sa.Column('to_status', sa.String(length=10), nullable=False),
    sa.Column('reason', sa.Text(), server_default='', nullable=False),
    sa.ForeignKeyConstraint(['slip_id'], ['slips.id'], name=op.f('fk_slip_actions_slip_id_slips')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_slip_actions'))
    )
    with op.batch_alter_table('slip_actions', schema=None) as batch_op:
        batch_op.create_index('ix_slip_actions_slip_id', ['slip_id'], unique=False)

    op.execute("INSERT INTO pregnancies (id, person_id, start_date) "
               "SELECT ROW_NUMBER() OVER (ORDER BY person_id), person_id, recorded_on FROM reproductive_status "
               "WHERE pregnant")
    with op.batch_alter_table('reproductive_status', schema=None) as batch_op:
        batch_op.drop_column('pregnant')
    _registration_events(op.get_bind())


def _registration_events(conn) -> None:
    """One registration event per household already in the register, carrying its rows."""
    orders = {
        "households": ("id", "area_id", "number", "kind", "hamlet", "alley", "lane", "sub_lane", "house_no",
                       "street", "status", "established_on", "dissolved_on"),
        "persons": ("id", "full_name", "name_folded", "sex", "birth_year", "birth_month", "birth_day", "ethnicity",
                    "education", "marital", "cccd", "bhyt", "disability", "mother_id", "death_date"),
        "memberships": ("id", "person_id", "household_id", "relation", "residence", "valid_from", "valid_to"),
        "contraceptive_uses": ("id", "person_id", "method", "start_date", "end_date"),
        "reproductive_status": ("person_id", "living_sons", "living_daughters", "recorded_on"),
        "pregnancies": ("id", "person_id", "start_date", "end_date", "outcome"),
    }
    member_of = "person_id IN (SELECT person_id FROM memberships WHERE household_id = :h)"
    where = {"households": "id = :h", "persons": "id IN (SELECT person_id FROM memberships WHERE household_id = :h)",
             "memberships": "household_id = :h", "contraceptive_uses": member_of,
             "reproductive_status": member_of, "pregnancies": member_of}
    now = dt.datetime.now(dt.timezone.utc)
    today = now.date()
    ids = [r[0] for r in conn.execute(sa.text("SELECT id FROM households ORDER BY id"))]
    for n, hid in enumerate(ids, start=1):
        rows = {t: [tuple(r) for r in conn.execute(sa.text(f"SELECT {', '.join(orders[t])} FROM {t} WHERE {where[t]} "
                                                            f"ORDER BY 1"), {"h": hid})]
                for t in REGISTRATION_TABLES}
        conn.execute(sa.text("INSERT INTO events (id, kind, event_date, recorded_at, household_id, data) "
                             "VALUES (:id, :kind, :d, :at, :h, :data)"),
                     {"id": n, "kind": REGISTERED, "d": today, "at": now, "h": hid,
                      "data": to_json(registration_data(rows))})


def downgrade() -> None:
    with op.batch_alter_table('reproductive_status', schema=None) as batch_op:
        batch_op.add_column(sa.Column('pregnant', sa.Boolean(), server_default=sa.text('false'), nullable=False))
    op.execute("UPDATE reproductive_status SET pregnant = true WHERE person_id IN "
               "(SELECT person_id FROM pregnancies WHERE end_date IS NULL)")
    with op.batch_alter_table('slip_actions', schema=None) as batch_op:
        batch_op.drop_index('ix_slip_actions_slip_id')

    op.drop_table('slip_actions')
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.drop_index('ix_events_slip_id')
        batch_op.drop_index('ix_events_person_id')
        batch_op.drop_index('ix_events_kind_event_date')
        batch_op.drop_index('ix_events_household_id')

    op.drop_table('events')
    with op.batch_alter_table('slips', schema=None) as batch_op:
        batch_op.drop_index('uq_slips_client_id')
        batch_op.drop_index('ix_slips_commune_id_month_status')
        batch_op.drop_index('ix_slips_area_id_month')

    op.drop_table('slips')
    with op.batch_alter_table('pregnancies', schema=None) as batch_op:
        batch_op.drop_index('ix_pregnancies_person_id')

    op.drop_table('pregnancies')
    op.drop_table('closed_months')
    with op.batch_alter_table('attribute_changes', schema=None) as batch_op:
        batch_op.drop_index('ix_attribute_changes_person_id_attribute')

    op.drop_table('attribute_changes')
