"""Reports when the register changes: later slips leave a past period alone (except late ones), a reversed
event stops counting, the same report on SQLite and PostgreSQL, and the boundaries of both eras."""
from __future__ import annotations

import datetime as dt
import shutil
import uuid

import pytest
from sqlalchemy import text

from conftest import _pg_admin, pg_url
from danso.bootstrap import build as build_context
from danso.config import Settings
from danso.exports.machine import report_dict
from danso.services import slips as slip_svc
from danso.services.registry import import_households
from danso.services.reports import build_report
from danso.services.units import add_area, add_village
from factories import COMMUNE, ON, Factory, make_area
from report_scenario import first_quarter
from slip_factories import OFFICER, new_person


def _stable(report) -> dict:  # noqa: ANN001
    d = report_dict(report)
    d.pop("created_at")
    return d


def test_a_past_period_is_unchanged_by_later_slips_changed_by_late_ones_and_restored_by_a_reversal(ctx):  # noqa: ANN001
    s = first_quarter(ctx)
    before = _stable(build_report(ctx, "31", "2026-Q1"))
    a1, i = s.slips["A1"], s.ids
    # April: deaths (one of an infant), a move out, a household moving in, a method stopped, a marriage —
    # none dated in Q1
    a1.accept("death", person=i["h1_head"], date="02/04/2026")
    a1.accept("death", person=i["h2_baby"], date="25/04/2026")  # born 15/02/2026: an infant death
    a1.accept("household_new", date="12/04/2026", number="9", kind="1", origin="Hải Dương", members=[
        new_person(Factory(seed=9), relation="01", sex="1", born=dt.date(1970, 1, 1)),
        new_person(Factory(seed=9), relation="02", sex="2", born=dt.date(1972, 2, 2), marital="2")])
    a1.accept("move_out", person=i["h2_head"], date="10/04/2026", destination="Hà Nội")
    a1.accept("contraception_stop", person=i["h1_wife"], date="15/04/2026")
    s.slips["B1"].accept("marriage", person=i["h4_wife"], spouse=i["h4_head"], date="20/04/2026")
    assert _stable(build_report(ctx, "31", "2026-Q1")) == before
    april = build_report(ctx, "31", "2026-04").total
    assert (april["deaths"].value, april["infant_deaths"].value, april["moves_out"].value) == (2, 1, 1)
    assert april["deaths"].breakdowns["age_group"] == {"0": 1, "45": 1}  # H1 head born 15/05/1980: 45
    assert april["infant_deaths"].breakdowns["sex"] == {"2": 1}
    assert (april["moves_in"].value, april["households"].value, april["marriages"].value) == (2, 5, 1)
    assert april["discontinuations"].breakdowns["method"] == {"6": 1}
    # March closed (its report approved); then a slip dated in March arrives: it is late and changes Q1
    slip_svc.close_month(ctx, COMMUNE, "2026-03", OFFICER)
    view = s.slips["A2"].accept("death", person=i["h3_woman"], date="30/03/2026", confirm=True)
    assert view.late
    after = build_report(ctx, "31", "2026-Q1").total
    assert (after["deaths"].value, after["population"].value, after["pregnant_women"].value) == (2, 11, 0)
    assert after["births"].value == before["indicators"][7]["value"] == 3
    # a reversed event no longer counts
    slip_svc.reverse_event(ctx, view.events[0].id, OFFICER, "nhầm người")
    assert _stable(build_report(ctx, "31", "2026-Q1")) == before


@pytest.fixture
def both_engines(template_sqlite, template_pg, tmp_path):  # noqa: ANN001, ANN201
    path = tmp_path / "danso.db"
    shutil.copy(template_sqlite, path)
    name = f"danso_test_rep_{uuid.uuid4().hex[:8]}"
    with _pg_admin().connect() as c:
        c.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{template_pg}"'))
    contexts = [build_context(Settings(f"sqlite:///{path}")), build_context(Settings(pg_url(name)))]
    yield contexts
    for c in contexts:
        c.close()
    with _pg_admin().connect() as c:
        c.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@pytest.mark.postgres
def test_the_same_report_from_sqlite_and_postgresql_is_identical(both_engines):  # noqa: ANN001
    reports = []
    for ctx in both_engines:
        first_quarter(ctx)
        reports.append([_stable(build_report(ctx, unit, period)) for unit, period in (
            ("31", "2026-Q1"), (COMMUNE, "2026-02"), ("VN", "2026-6T"))])
    assert reports[0] == reports[1]
    assert reports[0][2]["indicators"][2]["value"] == 12  # the nation: population at 30/06/2026


def _household(f: Factory, area: str, number: str) -> dict:
    """Head and wife, both there since 2015 (2 residents)."""
    doc = f.document(area, households=1, children=0, grandparent=False, contraception=False, number=number)
    h = doc["households"][0]
    h["established_on"] = "01/01/2015"
    for m in h["members"]:
        m["since"] = max(m["since"], "01/01/2015", key=lambda s: dt.datetime.strptime(s, "%d/%m/%Y"))
        m.pop("pregnant", None)
    return doc


def test_old_periods_under_the_old_three_tiers_and_under_the_new_communes(ctx):  # noqa: ANN001
    # a village of the new Phường Hồng An that belonged to the old Phường An Hồng (11602, Quận Hồng Bàng 303)
    linked = make_area(ctx, COMMUNE, legacy_commune="11602")
    # a village recorded before the reform in the old Thị trấn Trường Sơn (11656), split on 01/07/2025 between
    # Xã An Lão (11629, the default new commune) and Phường Phù Liễn (11446); nobody re-linked it since
    old_village = add_village(ctx, "11656", "Khu Một", "Khu", on=dt.date(2025, 3, 1))
    legacy_only = add_area(ctx, old_village.code, "Địa bàn 1").code
    f = Factory(seed=3)
    for area, number in ((linked, "1"), (linked, "2"), (legacy_only, "1")):
        import_households(ctx, _household(f, area, number), today=ON)
    old = build_report(ctx, "303", "2025-Q1")  # the district, on the old tiers of 31/03/2025
    assert old.unit.name == "Quận Hồng Bàng"
    assert {c.unit.code: c.values["population"].value for c in old.columns if c.counts} == {"11602": 4}
    assert build_report(ctx, "11656", "2025-Q1").total["population"].value == 2  # old commune, direct
    # the same old period drawn on the new communes (units in force on 01/01/2026)
    new_on = dt.date(2026, 1, 1)
    assert build_report(ctx, COMMUNE, "2025-Q1", units_on=new_on).total["population"].value == 4
    assert build_report(ctx, "11629", "2025-Q1", units_on=new_on).total["population"].value == 2  # default
    assert build_report(ctx, "11446", "2025-Q1", units_on=new_on).total["population"].value == 0
    # a period after the reform: the legacy-only village is still reported through the mapping
    assert build_report(ctx, "11629", "2026-Q1").total["population"].value == 2
    province = build_report(ctx, "31", "2026-Q1")
    assert province.total["population"].value == 6
    assert {c.unit.code: c.values["population"].value for c in province.columns if c.counts} == {
        COMMUNE: 4, "11629": 2}
    # without --units-on, code 11629 in 2025-Q1 is the old Xã An Lão, which the village was never part of
    old_an_lao = build_report(ctx, "11629", "2025-Q1")
    assert old_an_lao.unit.valid_to == dt.date(2025, 6, 30)
    assert old_an_lao.total["population"].value == 0
