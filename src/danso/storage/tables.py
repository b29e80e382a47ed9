"""The database schema (SQLAlchemy Core). Alembic migrations in ``migrations/`` create exactly this."""
from __future__ import annotations

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    SmallInteger,
    String,
    Table,
    Text,
    text,
)

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_N_name)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

code_list_items = Table(
    "code_list_items",
    metadata,
    Column("list_name", String(40), primary_key=True),
    Column("version", String(20), primary_key=True),
    Column("code", String(10), primary_key=True),
    Column("label", Text, nullable=False),
    Column("attrs", Text, nullable=False, server_default="{}"),  # JSON object
)

units = Table(
    "units",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("code", String(32), nullable=False),
    Column("level", String(10), nullable=False),
    Column("name", Text, nullable=False),
    Column("kind", String(40), nullable=False, server_default=""),
    Column("valid_from", Date),
    Column("valid_to", Date),
    Column("source", Text, nullable=False, server_default=""),
    Index("ix_units_code", "code"),
    Index("uq_units_code_level_from", "code", "level", "valid_from", unique=True),
)

unit_links = Table(
    "unit_links",
    metadata,
    Column("child_id", Integer, ForeignKey("units.id"), primary_key=True),
    Column("parent_id", Integer, ForeignKey("units.id"), primary_key=True),
    Column("valid_from", Date),
    Column("valid_to", Date),
    Index("ix_unit_links_parent_id", "parent_id"),
)

unit_lineage = Table(
    "unit_lineage",
    metadata,
    Column("source_id", Integer, ForeignKey("units.id"), primary_key=True),
    Column("target_id", Integer, ForeignKey("units.id"), primary_key=True),
    Column("kind", String(10), nullable=False),  # merged | split
    Column("effective", Date, nullable=False),
    Column("is_default", Boolean, nullable=False),
    Index("ix_unit_lineage_target_id", "target_id"),
)

households = Table(
    "households",
    metadata,
    Column("id", Integer, primary_key=True),  # stable: survives the 5-yearly reissue of the Sổ A0
    Column("area_id", Integer, ForeignKey("units.id"), nullable=False),
    Column("number", String(16), nullable=False),  # household number within the area ("100", "100.1")
    Column("kind", String(2), nullable=False),  # code list household_kind
    Column("hamlet", Text, nullable=False, server_default=""),  # xóm
    Column("alley", Text, nullable=False, server_default=""),  # ngõ
    Column("lane", Text, nullable=False, server_default=""),  # ngách
    Column("sub_lane", Text, nullable=False, server_default=""),  # hẻm
    Column("house_no", Text, nullable=False, server_default=""),  # số nhà
    Column("street", Text, nullable=False, server_default=""),  # đường/phố
    Column("status", String(10), nullable=False, server_default="active"),  # active | dissolved
    Column("established_on", Date, nullable=False),
    Column("dissolved_on", Date),
    Index("ix_households_area_id_number", "area_id", "number"),
)

persons = Table(
    "persons",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("full_name", Text, nullable=False),
    Column("name_folded", Text, nullable=False),  # lower case, no diacritics: the search key
    Column("sex", String(1), nullable=False),
    Column("birth_year", SmallInteger, nullable=False),
    Column("birth_month", SmallInteger),  # NULL when only the year is known
    Column("birth_day", SmallInteger),
    Column("ethnicity", String(2), nullable=False),
    Column("education", String(2), nullable=False),
    Column("marital", String(1), nullable=False),
    Column("cccd", String(12)),  # căn cước / mã định danh cá nhân
    Column("bhyt", String(15)),  # mã thẻ BHYT: the Sổ A0 person id (mã đối tượng)
    Column("disability", String(1), nullable=False, server_default="0"),
    Column("mother_id", Integer, ForeignKey("persons.id")),
    Column("death_date", Date),
    CheckConstraint("birth_month IS NULL OR (birth_month BETWEEN 1 AND 12)", name="birth_month"),
    CheckConstraint("birth_day IS NULL OR (birth_day BETWEEN 1 AND 31)", name="birth_day"),
    Index("uq_persons_cccd", "cccd", unique=True),
    Index("uq_persons_bhyt", "bhyt", unique=True),
    Index("ix_persons_mother_id", "mother_id"),
)

memberships = Table(
    "memberships",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("person_id", Integer, ForeignKey("persons.id"), nullable=False),
    Column("household_id", Integer, ForeignKey("households.id"), nullable=False),
    Column("relation", String(2), nullable=False),  # code list relation (quan hệ với chủ hộ)
    Column("residence", String(1), nullable=False),  # code list residence (tình trạng cư trú)
    Column("valid_from", Date, nullable=False),
    Column("valid_to", Date),  # last day in the household; NULL while current
    Index("ix_memberships_household_id", "household_id"),
    Index("ix_memberships_person_id", "person_id"),
    # at most one current household per person (overlaps in the past are checked by the service)
    Index("uq_memberships_current_person", "person_id", unique=True,
          sqlite_where=text("valid_to IS NULL"), postgresql_where=text("valid_to IS NULL")),
)

contraceptive_uses = Table(
    "contraceptive_uses",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("person_id", Integer, ForeignKey("persons.id"), nullable=False),
    Column("method", String(2), nullable=False),  # code list contraceptive_method (BPTT)
    Column("start_date", Date, nullable=False),
    Column("end_date", Date),
    Index("ix_contraceptive_uses_person_id", "person_id"),
)

reproductive_status = Table(
    "reproductive_status",
    metadata,
    Column("person_id", Integer, ForeignKey("persons.id"), primary_key=True),
    Column("living_sons", SmallInteger, nullable=False, server_default="0"),
    Column("living_daughters", SmallInteger, nullable=False, server_default="0"),
    Column("recorded_on", Date, nullable=False),
)

audit_log = Table(
    "audit_log",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("actor", Text, nullable=False),
    Column("action", String(40), nullable=False),
    Column("detail", Text, nullable=False, server_default=""),
)

# ---------------------------------------------------------------------------------------------------------
# Collection slips (phiếu thu tin) and the event log. See docs/slips.md.

slips = Table(
    "slips",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("client_id", String(64), nullable=False),  # generated by the client: sending twice records once
    Column("kind", String(30), nullable=False),  # danso.domain.slips.SlipKind
    Column("area_id", Integer, ForeignKey("units.id"), nullable=False),  # the collaborator area (địa bàn CTV)
    Column("commune_id", Integer, ForeignKey("units.id"), nullable=False),  # its commune when entered
    Column("month", String(7), nullable=False),  # reporting month, YYYY-MM
    Column("status", String(10), nullable=False),  # draft | submitted | accepted | returned | rejected
    Column("payload", Text, nullable=False),  # JSON: the slip's fields as entered
    Column("problems", Text, nullable=False, server_default="[]"),  # JSON: warnings found at the last check
    Column("warnings_confirmed", Boolean, nullable=False, server_default=text("false")),
    Column("late", Boolean, nullable=False, server_default=text("false")),
    Column("on_behalf", Boolean, nullable=False, server_default=text("false")),
    Column("reason", Text, nullable=False, server_default=""),  # why it was returned or rejected
    Column("version", Integer, nullable=False, server_default="1"),  # bumped by every change of status
    Column("created_by", Text, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    Index("uq_slips_client_id", "client_id", unique=True),
    Index("ix_slips_commune_id_month_status", "commune_id", "month", "status"),
    Index("ix_slips_area_id_month", "area_id", "month"),
)

slip_actions = Table(
    "slip_actions",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("slip_id", Integer, ForeignKey("slips.id"), nullable=False),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("actor", Text, nullable=False),
    Column("action", String(20), nullable=False),  # create | edit | submit | accept | return | reject | correct
    Column("from_status", String(10)),
    Column("to_status", String(10), nullable=False),
    Column("reason", Text, nullable=False, server_default=""),
    Index("ix_slip_actions_slip_id", "slip_id"),
)

events = Table(
    "events",
    metadata,
    Column("id", Integer, primary_key=True),  # the order of application: replay applies events by id
    Column("kind", String(30), nullable=False),  # danso.domain.events.EventKind
    Column("event_date", Date, nullable=False),  # when it happened
    Column("recorded_at", DateTime(timezone=True), nullable=False),  # when it entered the register
    Column("slip_id", Integer, ForeignKey("slips.id")),  # NULL for imports and the demo
    Column("person_id", Integer),  # the main person, if any
    Column("household_id", Integer),  # the household it happened in, if any
    Column("data", Text, nullable=False),  # JSON: everything needed to apply and to reverse it
    Column("reverses_id", Integer, ForeignKey("events.id")),  # set on a reversal: the event it cancels
    Column("reversed_by", Integer),  # stamped on the cancelled event in the reversal's transaction
    Index("ix_events_person_id", "person_id"),
    Index("ix_events_household_id", "household_id"),
    Index("ix_events_kind_event_date", "kind", "event_date"),
    Index("ix_events_slip_id", "slip_id"),
)

attribute_changes = Table(
    "attribute_changes",
    metadata,
    # a person's basic information over time: persons holds today's value; the value on a past date is the
    # old_value of the earliest change effective after that date
    Column("id", Integer, primary_key=True),
    Column("event_id", Integer, nullable=False),  # the event that made the change (written after it)
    Column("person_id", Integer, ForeignKey("persons.id"), nullable=False),
    Column("attribute", String(20), nullable=False),  # full_name | education | marital | ethnicity | …
    Column("old_value", Text),
    Column("new_value", Text),
    Column("effective", Date, nullable=False),
    Index("ix_attribute_changes_person_id_attribute", "person_id", "attribute"),
)

pregnancies = Table(
    "pregnancies",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("person_id", Integer, ForeignKey("persons.id"), nullable=False),
    Column("start_date", Date, nullable=False),  # date recorded as pregnant
    Column("end_date", Date),  # delivery, miscarriage or abortion
    Column("outcome", String(12)),  # delivery | miscarriage | abortion | stillbirth
    Index("ix_pregnancies_person_id", "person_id"),
)

closed_months = Table(
    "closed_months",
    metadata,
    # a commune's month whose report has been approved: slips landing in it afterwards are late
    Column("commune_id", Integer, ForeignKey("units.id"), primary_key=True),
    Column("month", String(7), primary_key=True),
    Column("closed_at", DateTime(timezone=True), nullable=False),
    Column("closed_by", Text, nullable=False),
)

# ---------------------------------------------------------------------------------------------------------
# Submission and approval of reports (docs/reports.md): migration 0004.

report_submissions = Table(
    "report_submissions",
    metadata,
    # one row per commune, period and form once it has been submitted; its current state
    Column("id", Integer, primary_key=True),
    Column("unit_id", Integer, ForeignKey("units.id"), nullable=False),  # the commune
    Column("period", String(8), nullable=False),  # 2026-10, 2026-Q3, 2026-6T, 2026-9T, 2026
    Column("form", String(10), nullable=False),  # DANSO, 03-DSX
    Column("units_on", Date, nullable=False),  # the date whose units the report is drawn on
    Column("parent_id", Integer, ForeignKey("units.id")),  # the unit above on that date: it decides
    Column("state", String(10), nullable=False),  # danso.domain.submissions.State
    Column("number", Integer, nullable=False),  # the version in force (1, 2, …: one per submission)
    Column("version", Integer, nullable=False, server_default="1"),  # bumped by every change of state
    Column("deadline", Date, nullable=False),
    Column("first_submitted_at", DateTime(timezone=True), nullable=False),
    Column("submitted_at", DateTime(timezone=True), nullable=False),  # of the version in force
    Column("late", Boolean, nullable=False, server_default=text("false")),  # first submitted after the deadline
    Column("reason", Text, nullable=False, server_default=""),  # of the last return or reopening
    Column("updated_at", DateTime(timezone=True), nullable=False),
    Column("updated_by", Text, nullable=False),
    Index("uq_report_submissions_unit_id_period_form", "unit_id", "period", "form", unique=True),
    Index("ix_report_submissions_parent_id_period", "parent_id", "period"),
)

report_versions = Table(
    "report_versions",
    metadata,
    # the history of a report: every submitted version (its frozen figures) and every decision on it
    Column("id", Integer, primary_key=True),
    Column("submission_id", Integer, ForeignKey("report_submissions.id"), nullable=False),
    Column("number", Integer, nullable=False),  # the version submitted, or decided on
    Column("action", String(10), nullable=False),  # submit | approve | return | reopen
    Column("from_state", String(10), nullable=False),
    Column("to_state", String(10), nullable=False),
    Column("actor", Text, nullable=False),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("reason", Text, nullable=False, server_default=""),
    Column("late", Boolean, nullable=False, server_default=text("false")),  # a submission after the deadline
    Column("report", Text),  # submissions: the report as submitted (JSON, as danso.exports.machine writes it)
    Index("ix_report_versions_submission_id", "submission_id"),
)
