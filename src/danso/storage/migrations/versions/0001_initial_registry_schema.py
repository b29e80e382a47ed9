"""initial registry schema

Revision ID: 0001
Revises: 
Create Date: 2026-11-23

Name search ignores diacritics and case: persons.name_folded holds the folded name, indexed by
SQLite FTS5 (table person_names, kept in step by triggers) or a PostgreSQL GIN index on its tsvector.
"""
from alembic import op
import sqlalchemy as sa


revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('audit_log',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('actor', sa.Text(), nullable=False),
    sa.Column('action', sa.String(length=40), nullable=False),
    sa.Column('detail', sa.Text(), server_default='', nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_log'))
    )
    op.create_table('code_list_items',
    sa.Column('list_name', sa.String(length=40), nullable=False),
    sa.Column('version', sa.String(length=20), nullable=False),
    sa.Column('code', sa.String(length=10), nullable=False),
    sa.Column('label', sa.Text(), nullable=False),
    sa.Column('attrs', sa.Text(), server_default='{}', nullable=False),
    sa.PrimaryKeyConstraint('list_name', 'version', 'code', name=op.f('pk_code_list_items'))
    )
    op.create_table('persons',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('full_name', sa.Text(), nullable=False),
    sa.Column('name_folded', sa.Text(), nullable=False),
    sa.Column('sex', sa.String(length=1), nullable=False),
    sa.Column('birth_year', sa.SmallInteger(), nullable=False),
    sa.Column('birth_month', sa.SmallInteger(), nullable=True),
    sa.Column('birth_day', sa.SmallInteger(), nullable=True),
    sa.Column('ethnicity', sa.String(length=2), nullable=False),
    sa.Column('education', sa.String(length=2), nullable=False),
    sa.Column('marital', sa.String(length=1), nullable=False),
    sa.Column('cccd', sa.String(length=12), nullable=True),
    sa.Column('bhyt', sa.String(length=15), nullable=True),
    sa.Column('disability', sa.String(length=1), server_default='0', nullable=False),
    sa.Column('mother_id', sa.Integer(), nullable=True),
    sa.Column('death_date', sa.Date(), nullable=True),
    sa.CheckConstraint('birth_day IS NULL OR (birth_day BETWEEN 1 AND 31)', name=op.f('ck_persons_birth_day')),
    sa.CheckConstraint('birth_month IS NULL OR (birth_month BETWEEN 1 AND 12)', name=op.f('ck_persons_birth_month')),
    sa.ForeignKeyConstraint(['mother_id'], ['persons.id'], name=op.f('fk_persons_mother_id_persons')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_persons'))
    )
    with op.batch_alter_table('persons', schema=None) as batch_op:
        batch_op.create_index('ix_persons_mother_id', ['mother_id'], unique=False)
        batch_op.create_index('uq_persons_bhyt', ['bhyt'], unique=True)
        batch_op.create_index('uq_persons_cccd', ['cccd'], unique=True)

    op.create_table('units',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=32), nullable=False),
    sa.Column('level', sa.String(length=10), nullable=False),
    sa.Column('name', sa.Text(), nullable=False),
    sa.Column('kind', sa.String(length=40), server_default='', nullable=False),
    sa.Column('valid_from', sa.Date(), nullable=True),
    sa.Column('valid_to', sa.Date(), nullable=True),
    sa.Column('source', sa.Text(), server_default='', nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_units'))
    )
    with op.batch_alter_table('units', schema=None) as batch_op:
        batch_op.create_index('ix_units_code', ['code'], unique=False)
        batch_op.create_index('uq_units_code_level_from', ['code', 'level', 'valid_from'], unique=True)

    op.create_table('contraceptive_uses',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('method', sa.String(length=2), nullable=False),
    sa.Column('start_date', sa.Date(), nullable=False),
    sa.Column('end_date', sa.Date(), nullable=True),
    sa.ForeignKeyConstraint(['person_id'], ['persons.id'], name=op.f('fk_contraceptive_uses_person_id_persons')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_contraceptive_uses'))
    )
    with op.batch_alter_table('contraceptive_uses', schema=None) as batch_op:
        batch_op.create_index('ix_contraceptive_uses_person_id', ['person_id'], unique=False)

    op.create_table('households',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('area_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=16), nullable=False),
    sa.Column('kind', sa.String(length=2), nullable=False),
    sa.Column('hamlet', sa.Text(), server_default='', nullable=False),
    sa.Column('alley', sa.Text(), server_default='', nullable=False),
    sa.Column('lane', sa.Text(), server_default='', nullable=False),
    sa.Column('sub_lane', sa.Text(), server_default='', nullable=False),
    sa.Column('house_no', sa.Text(), server_default='', nullable=False),
    sa.Column('street', sa.Text(), server_default='', nullable=False),
    sa.Column('status', sa.String(length=10), server_default='active', nullable=False),
    sa.Column('established_on', sa.Date(), nullable=False),
    sa.Column('dissolved_on', sa.Date(), nullable=True),
    sa.ForeignKeyConstraint(['area_id'], ['units.id'], name=op.f('fk_households_area_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_households'))
    )
    with op.batch_alter_table('households', schema=None) as batch_op:
        batch_op.create_index('ix_households_area_id_number', ['area_id', 'number'], unique=False)

    op.create_table('reproductive_status',
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('living_sons', sa.SmallInteger(), server_default='0', nullable=False),
    sa.Column('living_daughters', sa.SmallInteger(), server_default='0', nullable=False),
    sa.Column('pregnant', sa.Boolean(), server_default=sa.text('(false)'), nullable=False),
    sa.Column('recorded_on', sa.Date(), nullable=False),
    sa.ForeignKeyConstraint(['person_id'], ['persons.id'], name=op.f('fk_reproductive_status_person_id_persons')),
    sa.PrimaryKeyConstraint('person_id', name=op.f('pk_reproductive_status'))
    )
    op.create_table('unit_lineage',
    sa.Column('source_id', sa.Integer(), nullable=False),
    sa.Column('target_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('effective', sa.Date(), nullable=False),
    sa.Column('is_default', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['source_id'], ['units.id'], name=op.f('fk_unit_lineage_source_id_units')),
    sa.ForeignKeyConstraint(['target_id'], ['units.id'], name=op.f('fk_unit_lineage_target_id_units')),
    sa.PrimaryKeyConstraint('source_id', 'target_id', name=op.f('pk_unit_lineage'))
    )
    with op.batch_alter_table('unit_lineage', schema=None) as batch_op:
        batch_op.create_index('ix_unit_lineage_target_id', ['target_id'], unique=False)

    op.create_table('unit_links',
    sa.Column('child_id', sa.Integer(), nullable=False),
    sa.Column('parent_id', sa.Integer(), nullable=False),
    sa.Column('valid_from', sa.Date(), nullable=True),
    sa.Column('valid_to', sa.Date(), nullable=True),
    sa.ForeignKeyConstraint(['child_id'], ['units.id'], name=op.f('fk_unit_links_child_id_units')),
    sa.ForeignKeyConstraint(['parent_id'], ['units.id'], name=op.f('fk_unit_links_parent_id_units')),
    sa.PrimaryKeyConstraint('child_id', 'parent_id', name=op.f('pk_unit_links'))
    )
    with op.batch_alter_table('unit_links', schema=None) as batch_op:
        batch_op.create_index('ix_unit_links_parent_id', ['parent_id'], unique=False)

    op.create_table('memberships',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('household_id', sa.Integer(), nullable=False),
    sa.Column('relation', sa.String(length=2), nullable=False),
    sa.Column('residence', sa.String(length=1), nullable=False),
    sa.Column('valid_from', sa.Date(), nullable=False),
    sa.Column('valid_to', sa.Date(), nullable=True),
    sa.ForeignKeyConstraint(['household_id'], ['households.id'], name=op.f('fk_memberships_household_id_households')),
    sa.ForeignKeyConstraint(['person_id'], ['persons.id'], name=op.f('fk_memberships_person_id_persons')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_memberships'))
    )
    with op.batch_alter_table('memberships', schema=None) as batch_op:
        batch_op.create_index('ix_memberships_household_id', ['household_id'], unique=False)
        batch_op.create_index('ix_memberships_person_id', ['person_id'], unique=False)
        batch_op.create_index('uq_memberships_current_person', ['person_id'], unique=True, sqlite_where=sa.text('valid_to IS NULL'), postgresql_where=sa.text('valid_to IS NULL'))

    _create_name_search()


def _create_name_search() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("CREATE VIRTUAL TABLE person_names USING fts5(name_folded, content='persons', "
                   "content_rowid='id', tokenize='unicode61 remove_diacritics 2', prefix='1 2')")
        op.execute("CREATE TRIGGER persons_ai AFTER INSERT ON persons BEGIN "
                   "INSERT INTO person_names(rowid, name_folded) VALUES (new.id, new.name_folded); END")
        op.execute("CREATE TRIGGER persons_ad AFTER DELETE ON persons BEGIN "
                   "INSERT INTO person_names(person_names, rowid, name_folded) "
                   "VALUES ('delete', old.id, old.name_folded); END")
        op.execute("CREATE TRIGGER persons_au AFTER UPDATE OF name_folded ON persons BEGIN "
                   "INSERT INTO person_names(person_names, rowid, name_folded) "
                   "VALUES ('delete', old.id, old.name_folded); "
                   "INSERT INTO person_names(rowid, name_folded) VALUES (new.id, new.name_folded); END")
    else:
        op.execute("CREATE INDEX ix_persons_name_tsv ON persons "
                   "USING gin (to_tsvector('simple'::regconfig, name_folded))")


def _drop_name_search() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for trigger in ("persons_ai", "persons_ad", "persons_au"):
            op.execute(f"DROP TRIGGER {trigger}")
        op.execute("DROP TABLE person_names")
    else:
        op.execute("DROP INDEX ix_persons_name_tsv")


def downgrade() -> None:
    _drop_name_search()
    with op.batch_alter_table('memberships', schema=None) as batch_op:
        batch_op.drop_index('uq_memberships_current_person', sqlite_where=sa.text('valid_to IS NULL'), postgresql_where=sa.text('valid_to IS NULL'))
        batch_op.drop_index('ix_memberships_person_id')
        batch_op.drop_index('ix_memberships_household_id')

    op.drop_table('memberships')
    with op.batch_alter_table('unit_links', schema=None) as batch_op:
        batch_op.drop_index('ix_unit_links_parent_id')

    op.drop_table('unit_links')
    with op.batch_alter_table('unit_lineage', schema=None) as batch_op:
        batch_op.drop_index('ix_unit_lineage_target_id')

    op.drop_table('unit_lineage')
    op.drop_table('reproductive_status')
    with op.batch_alter_table('households', schema=None) as batch_op:
        batch_op.drop_index('ix_households_area_id_number')

    op.drop_table('households')
    with op.batch_alter_table('contraceptive_uses', schema=None) as batch_op:
        batch_op.drop_index('ix_contraceptive_uses_person_id')

    op.drop_table('contraceptive_uses')
    with op.batch_alter_table('units', schema=None) as batch_op:
        batch_op.drop_index('uq_units_code_level_from')
        batch_op.drop_index('ix_units_code')

    op.drop_table('units')
    with op.batch_alter_table('persons', schema=None) as batch_op:
        batch_op.drop_index('uq_persons_cccd')
        batch_op.drop_index('uq_persons_bhyt')
        batch_op.drop_index('ix_persons_mother_id')

    op.drop_table('persons')
    op.drop_table('code_list_items')
    op.drop_table('audit_log')
