"""`danso demo` end to end: generation streamed into each engine, then read back through the services."""
from __future__ import annotations

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select

from danso.cli.main import cli
from danso.domain.problems import InvalidInput
from danso.demo.generator import generate
from danso.demo.rows import IdStart
from danso.services.demo import DEFAULT_DEMO_DATE, plan_communes, run_demo
from danso.services.registry import household_sheet, search_persons, summary
from danso.storage import registry_repo
from danso.storage.tables import households, memberships, persons
from factories import row_counts


def test_the_demo_loads_a_population_that_the_summary_counts_to_the_last_person(ctx):
    report = run_demo(ctx, "31", communes=2, persons=3_000, seed=7)
    with ctx.engine.connect() as conn:
        n_persons = conn.execute(select(func.count()).select_from(persons)).scalar_one()
        n_households = conn.execute(select(func.count()).select_from(households)).scalar_one()
        n_current = conn.execute(select(func.count()).select_from(memberships)
                                 .where(memberships.c.valid_to.is_(None))).scalar_one()
    assert report.counts["persons"] == n_persons == n_current
    assert report.counts["households"] == n_households
    assert abs(n_persons - 3_000) < 40
    s = summary(ctx, "31", DEFAULT_DEMO_DATE)
    assert s.households == n_households
    # everybody but the persons recorded as staying temporarily (tạm trú) is resident
    with ctx.engine.connect() as conn:
        temporary = conn.execute(select(func.count()).select_from(memberships)
                                 .where(memberships.c.residence == "3")).scalar_one()
    assert s.persons == n_persons - temporary
    assert len(s.communes) == 2
    assert sum(c[2] for c in s.communes) == s.persons


def test_what_the_database_holds_is_exactly_what_the_generator_produced(ctx):
    with ctx.engine.connect() as conn:
        plan = plan_communes(conn, "31", 1, DEFAULT_DEMO_DATE)
        ids = IdStart(**registry_repo.next_ids(conn))
    expected = [(p[0], p[1], p[3], p[4], p[10], p[11], p[13]) for batch in
                generate(plan, province_code="31", persons=1_500, seed=3, on=DEFAULT_DEMO_DATE, ids=ids)
                for p in batch.persons]
    run_demo(ctx, "31", communes=1, persons=1_500, seed=3)
    with ctx.engine.connect() as conn:
        stored = conn.execute(select(persons.c.id, persons.c.full_name, persons.c.sex, persons.c.birth_year,
                                     persons.c.cccd, persons.c.bhyt, persons.c.mother_id)
                              .order_by(persons.c.id)).all()
    assert [tuple(r) for r in stored] == sorted(expected)


def test_a_demo_person_is_found_by_name_without_diacritics_and_shown_in_their_household(ctx):
    run_demo(ctx, "31", communes=1, persons=1_200, seed=11)
    with ctx.engine.connect() as conn:
        name, pid = conn.execute(select(persons.c.full_name, persons.c.id).where(persons.c.id == 100)).one()
    from danso.domain.vntext import fold

    hits = search_persons(ctx, fold(name).upper())
    assert pid in [h.id for h in hits]
    hit = next(h for h in hits if h.id == pid)
    sheet = household_sheet(ctx, hit.household_id, DEFAULT_DEMO_DATE)
    assert pid in [m.person.id for m in sheet.members]


def test_the_demo_refuses_communes_that_already_hold_data_and_writes_nothing(ctx):
    run_demo(ctx, "31", communes=1, persons=500, seed=1)
    before = row_counts(ctx)
    with pytest.raises(InvalidInput) as e:
        run_demo(ctx, "31", communes=2, persons=500, seed=2)
    assert e.value.problems[0].code == "unit.not_empty"
    assert row_counts(ctx) == before


def test_the_demo_command_prints_a_summary_line_in_vietnamese(db_url):
    result = CliRunner().invoke(cli, ["--db", db_url, "demo", "--province", "31", "--communes", "1",
                                      "--persons", "800"])
    assert result.exit_code == 0, result.output
    assert "Đã tạo 1 xã/phường" in result.output
    bad = CliRunner().invoke(cli, ["--db", db_url, "demo", "--province", "99", "--persons", "800"])
    assert bad.exit_code == 2
    assert "không có đơn vị hành chính mã “99”" in bad.output
