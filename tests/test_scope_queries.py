"""Scope checks walk the unit tree in one statement: the ancestors of a unit (or of many units at once) along the
links in force on a date, the scope of many units checked together (the review queue, the names a slip shows),
and the dashboard's crumbs read from one chain — the same answers as walking up one level at a time."""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import event

from danso.bootstrap import Context
from danso.domain import clock
from danso.domain.units import LEGACY_LAST_DAY, Level
from danso.services import accounts, scope, scoped_slips
from danso.storage import units_repo
from factories import COMMUNE, LEGACY_COMMUNE, PROVINCE, make_area
from slip_factories import Slips, small_register

PASSWORD = "mat-khau-rat-dai"


@contextmanager
def statements(ctx: Context) -> Iterator[list[str]]:
    """The SQL statements run on the engine inside the block (transaction control left out: PostgreSQL's
    driver begins on its own, SQLite's is sent as a statement)."""
    seen: list[str] = []

    def record(conn, cursor, statement, *args) -> None:  # noqa: ANN001
        if not statement.lstrip().upper().startswith(("BEGIN", "COMMIT", "ROLLBACK")):
            seen.append(statement)

    event.listen(ctx.engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(ctx.engine, "before_cursor_execute", record)


def unit_id(ctx: Context, code: str, level: Level) -> int:
    """The unit with this code and level in force today."""
    with ctx.engine.connect() as conn:
        return units_repo.find_by_code(conn, code, clock.today(), level)[0].id


def walk_up(ctx: Context, start: int, on: dt.date) -> list[tuple[str, str]]:
    """(level, code) of the ancestors, found one parent at a time (units_repo.parents) — the reference."""
    out, current = [], start
    with ctx.engine.connect() as conn:
        while True:
            up = [p for p, f, t in units_repo.parents(conn, current) if (f is None or f <= on)
                  and (t is None or t >= on)]
            if not up:
                return out
            out.append((up[0].unit.level.value, up[0].unit.code))
            current = up[0].id


def principal(ctx: Context, login: str, role: str, unit: str | None):  # noqa: ANN201
    accounts.create_user(ctx, login, "Nguyễn Thị Lan", role, unit, PASSWORD)
    return accounts.sign_in(ctx, login, PASSWORD, "127.0.0.1")[0]


def test_ancestors_follow_the_links_in_force_on_the_date_in_one_statement(ctx):
    area = make_area(ctx, legacy_commune=LEGACY_COMMUNE)
    village = area.rsplit("-", 1)[0]
    area_id = unit_id(ctx, area, Level.AREA)
    today, before = clock.today(), LEGACY_LAST_DAY
    with ctx.engine.connect() as conn, statements(ctx) as seen:
        now = units_repo.ancestors(conn, area_id, today)
        then = units_repo.ancestors(conn, area_id, before)
    assert len(seen) == 2
    assert [(a.unit.level.value, a.unit.code) for a in now] == [
        ("village", village), ("commune", COMMUNE), ("province", PROVINCE), ("nation", "VN")]
    # before the reform: the legacy commune, its district and the province of then
    assert [a.unit.level.value for a in then] == ["village", "commune", "district", "province", "nation"]
    assert then[1].id != now[1].id and then[1].unit.valid_to == LEGACY_LAST_DAY
    assert [(a.unit.level.value, a.unit.code) for a in now] == walk_up(ctx, area_id, today)
    assert [(a.unit.level.value, a.unit.code) for a in then] == walk_up(ctx, area_id, before)
    # same rows as reading each unit (UnitRow: id and the unit with its dates)
    with ctx.engine.connect() as conn:
        assert [a.unit for a in now] == [units_repo.get(conn, a.id) for a in now]
        assert units_repo.ancestors(conn, now[-1].id, today) == []  # the nation has none
        assert units_repo.ancestors(conn, 10**9, today) == []  # nor does an unknown unit


def test_ancestors_of_many_units_at_once_are_those_of_each(ctx):
    area = make_area(ctx, legacy_commune=LEGACY_COMMUNE)
    other = make_area(ctx, "10507", village="Thôn Hai", area="Địa bàn 2")
    ids = [unit_id(ctx, area, Level.AREA), unit_id(ctx, other, Level.AREA), unit_id(ctx, COMMUNE, Level.COMMUNE),
           unit_id(ctx, "VN", Level.NATION)]
    for on in (clock.today(), LEGACY_LAST_DAY):
        with ctx.engine.connect() as conn:
            with statements(ctx) as seen:
                many = units_repo.ancestors_of(conn, ids, on)
            assert len(seen) == 1
            assert many == {i: units_repo.ancestors(conn, i, on) for i in ids}


def test_the_scope_of_many_units_is_checked_in_one_statement(ctx):
    area = make_area(ctx)
    elsewhere = make_area(ctx, "10507", village="Thôn Hai", area="Địa bàn 2")
    village = area.rsplit("-", 1)[0]
    units = {"area": unit_id(ctx, area, Level.AREA), "village": unit_id(ctx, village, Level.VILLAGE),
             "commune": unit_id(ctx, COMMUNE, Level.COMMUNE), "province": unit_id(ctx, PROVINCE, Level.PROVINCE),
             "elsewhere": unit_id(ctx, elsewhere, Level.AREA)}
    expected = {
        principal(ctx, "xa.hong.an", "commune_officer", COMMUNE): {"area", "village", "commune"},
        principal(ctx, "ctv.lan", "collaborator", area): {"area"},
        principal(ctx, "tinh.hp", "province_officer", PROVINCE): {"area", "village", "commune", "province",
                                                                   "elsewhere"},
        principal(ctx, "tinh.hn", "province_officer", "01"): set(),
        principal(ctx, "admin.vn", "administrator", None): set(units),
    }
    for who, inside in expected.items():
        with ctx.engine.connect() as conn:
            with statements(ctx) as seen:
                found = scope.units_in_scope(conn, who, units.values())
            assert len(seen) <= 1, who.login
            assert found == {units[k] for k in inside}, who.login
            assert {k for k, i in units.items() if scope.unit_in_scope(conn, who, i)} == inside, who.login


def test_a_legacy_district_sees_the_units_below_it_on_its_last_day(ctx):
    area = make_area(ctx, legacy_commune=LEGACY_COMMUNE)
    district = principal(ctx, "huyen.hong.bang", "district_officer", "303")
    assert district.scope_last_day == LEGACY_LAST_DAY
    with ctx.engine.connect() as conn:
        assert scope.units_in_scope(conn, district, [unit_id(ctx, area, Level.AREA)]) == {
            unit_id(ctx, area, Level.AREA)}
        assert scope.units_in_scope(conn, district, [unit_id(ctx, COMMUNE, Level.COMMUNE)]) == set()


def test_the_review_queue_checks_the_scope_of_all_its_areas_at_once(ctx):
    reg = small_register(ctx, households=1)
    second = small_register(ctx, households=1, seed=2, area=make_area(ctx, village="Thôn Hai", area="Địa bàn 2"))
    officer = principal(ctx, "xa.hong.an", "commune_officer", COMMUNE)
    Slips(ctx, reg.area).enter("elderly_checkup", person=reg.families[0].elder, date=dt.date(2026, 6, 1))

    def queue() -> tuple[list, int]:
        with statements(ctx) as seen:
            views = scoped_slips.list_slips(ctx, officer, statuses=["submitted"])
        return views, len(seen)

    one, with_one_area = queue()
    Slips(ctx, second.area).enter("elderly_checkup", person=second.families[0].elder, date=dt.date(2026, 6, 1))
    two, with_two_areas = queue()
    assert len(one) == 1 and len(two) == 2
    assert with_two_areas == with_one_area
    # and nobody else's queue shows them
    assert scoped_slips.list_slips(ctx, principal(ctx, "xa.khac", "commune_officer", "10507")) == []


def test_the_dashboard_crumbs_are_the_ancestors_within_scope_from_one_chain(ctx):
    area = make_area(ctx)
    village = area.rsplit("-", 1)[0]
    officer = principal(ctx, "xa.hong.an", "commune_officer", COMMUNE)
    admin = principal(ctx, "admin.vn", "administrator", None)
    collaborator = principal(ctx, "ctv.lan", "collaborator", area)
    with statements(ctx) as seen:
        page = scope.unit_page(ctx, officer, area)
    assert [a.code for a in page.ancestors] == [COMMUNE, village]  # top down, the scope unit first
    # the scope check, the chain and the children: no walk up the tree per level, nor per crumb
    assert sum("unit_links" in s for s in seen) == 3
    assert [a.code for a in scope.unit_page(ctx, admin, area).ancestors] == ["VN", PROVINCE, COMMUNE, village]
    assert [a.code for a in scope.unit_page(ctx, officer, COMMUNE).ancestors] == []
    assert [a.code for a in scope.unit_page(ctx, collaborator).ancestors] == []
