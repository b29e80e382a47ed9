"""Forecast inputs derived from the register, checked against counts computed here from the raw rows; small
areas that sum to the province; both engines."""
from __future__ import annotations

import datetime as dt
from collections import Counter

import numpy as np
import pytest
from sqlalchemy import select, text, update

from danso.domain.ages import age_on
from danso.forecast.inputs import InputsError
from danso.forecast.scenarios import BUILTIN
from danso.services.demo import DEFAULT_DEMO_DATE, run_demo
from danso.services.forecasts import derive_inputs, forecast_communes
from danso.services.units import resolve
from danso.storage import forecast_repo, units_repo
from danso.storage.tables import households, memberships, persons

BASE = DEFAULT_DEMO_DATE  # 31/12/2025
FIRST, MIDDLE = dt.date(2023, 1, 1), dt.date(2024, 7, 1)
RESIDENT = {"1", "2", "4"}


def _rows(ctx):
    with ctx.engine.connect() as conn:
        area_commune = dict(units_repo.areas_under(conn, resolve(conn, "31", BASE).id, BASE))
        hh_area = dict(conn.execute(select(households.c.id, households.c.area_id)).all())
        people = {r.id: r for r in conn.execute(select(persons))}
        ms = list(conn.execute(select(memberships)))
    return area_commune, hh_area, people, ms


def _resident_on(ms, hh_area, area_commune, day, before=False):
    """person id → commune of the resident membership in force on ``day`` (or the day before it)."""
    first_ok = day - dt.timedelta(days=1) if before else day
    return {m.person_id: area_commune[hh_area[m.household_id]] for m in ms
            if m.residence in RESIDENT and m.valid_from <= day and (m.valid_to is None or m.valid_to >= first_ok)
            and hh_area[m.household_id] in area_commune}


def _age(p, day):
    return age_on(p.birth_year, p.birth_month, p.birth_day, day)


@pytest.fixture
def registry(ctx):
    run_demo(ctx, "31", communes=2, persons=1_800, seed=4)
    with ctx.engine.begin() as conn:  # some registered deaths in the window (the demo has none)
        ids = [r.id for r in conn.execute(select(persons.c.id).order_by(persons.c.id).limit(40))]
        for k, pid in enumerate(ids):
            conn.execute(update(persons).where(persons.c.id == pid).values(death_date=dt.date(2024, 3, 1 + k % 28)))
    return ctx


def test_derived_counts_match_counts_made_from_the_raw_rows(registry):
    ctx = registry
    derived = derive_inputs(ctx, "31", BASE)
    area_commune, hh_area, people, ms = _rows(ctx)
    rep = derived.inputs.report

    at_base = _resident_on(ms, hh_area, area_commune, BASE)
    alive = [people[i] for i in at_base if people[i].death_date is None or people[i].death_date > BASE]
    pop = Counter((p.sex, min(_age(p, BASE), 85) // 5) for p in alive)
    for s, sex in enumerate("12"):
        assert derived.inputs.population[s].tolist() == [pop[(sex, g)] for g in range(18)]

    births = Counter()
    for c in people.values():
        if c.mother_id is None:
            continue
        born = dt.date(c.birth_year, c.birth_month or 1, c.birth_day or 1)
        if not FIRST <= born <= BASE:
            continue
        if c.mother_id in _resident_on(ms, hh_area, area_commune, born):
            births[_age(people[c.mother_id], born) // 5 * 5] += 1
    assert sum(births.values()) > 20
    assert rep["fertility"]["births"] == [births[a] for a in range(15, 50, 5)]

    at_mid = _resident_on(ms, hh_area, area_commune, MIDDLE)
    women = Counter(_age(people[i], MIDDLE) // 5 * 5 for i in at_mid if people[i].sex == "2"
                    and (people[i].death_date is None or people[i].death_date > MIDDLE)
                    and dt.date(people[i].birth_year, people[i].birth_month or 1, people[i].birth_day or 1) <= MIDDLE)
    assert rep["fertility"]["woman_years"] == [3 * women[a] for a in range(15, 50, 5)]

    deaths = Counter()
    for p in people.values():
        if p.death_date and FIRST <= p.death_date <= BASE and p.id in _resident_on(
                ms, hh_area, area_commune, p.death_date, before=True):
            age = min(_age(p, p.death_date), 85)
            deaths[(p.sex, 0 if age == 0 else 1 if age < 5 else age // 5 * 5)] += 1
    ages = rep["mortality"]["ages"]
    assert 20 < sum(deaths.values()) <= 40  # not all were resident members on the day they died
    for s, sex in enumerate("12"):
        assert rep["mortality"]["deaths"][s] == [deaths[(sex, a)] for a in ages]
    boys = sum(1 for c in people.values() if c.mother_id and c.sex == "1" and FIRST <= dt.date(
        c.birth_year, c.birth_month or 1, c.birth_day or 1) <= BASE and c.mother_id in _resident_on(
        ms, hh_area, area_commune, dt.date(c.birth_year, c.birth_month or 1, c.birth_day or 1)))
    assert rep["srb"]["boys"] == boys


def test_too_few_registered_deaths_fall_back_to_the_national_schedule_and_say_so(ctx):
    run_demo(ctx, "31", communes=1, persons=1_500, seed=2)  # the demo registers no deaths
    rep = derive_inputs(ctx, "31", BASE).inputs.report["mortality"]
    assert rep["completeness"] == 0
    assert "dùng lịch chuẩn" in rep["note"]
    assert 70 < rep["e0"]["male"] < rep["e0"]["female"] < 85


def test_registered_deaths_are_shrunk_toward_the_national_schedule(registry):
    rep = derive_inputs(registry, "31", BASE).inputs.report["mortality"]
    assert rep["completeness"] > 0.5
    assert "co về lịch chuẩn" in rep["note"]
    observed, used = np.array(rep["mx_observed"]), np.array(rep["mx_used"])
    deaths = np.array(rep["deaths"])
    # where deaths were registered the rate moves toward the observed one, but stays between it and the prior
    cell = np.unravel_index(np.argmax(deaths), deaths.shape)
    assert 0 < used[cell] < observed[cell]


def test_communes_sum_to_the_province_by_year_sex_and_age(registry):
    result = forecast_communes(registry, "31", BASE, 30, BUILTIN["medium"])
    assert len(result.communes) == 2
    total = np.sum([f.projection.population for _, f in result.communes], axis=0)
    np.testing.assert_allclose(total, result.province.projection.population, rtol=1e-9, atol=1e-9)
    births = np.sum([f.projection.births for _, f in result.communes], axis=0)
    np.testing.assert_allclose(births, result.province.projection.births, rtol=1e-9)
    # the base year needs no adjustment: the communes' registers add up to the province's
    raw = [derive_inputs(registry, u.code, BASE).inputs.population for u, _ in result.communes]
    np.testing.assert_array_equal(np.sum(raw, axis=0), result.province.projection.population[0])


def test_a_commune_is_projected_with_rates_shrunk_toward_its_province(registry):
    province = derive_inputs(registry, "31", BASE, with_communes=True)
    code = province.communes[0][0].code
    commune = derive_inputs(registry, code, BASE)
    assert commune.unit.code == code
    assert commune.inputs.report["prior"].startswith("lịch của")
    assert commune.inputs.population.sum() < province.inputs.population.sum()
    with pytest.raises(InputsError, match="không phải tỉnh"):
        forecast_communes(registry, code, BASE, 10, BUILTIN["medium"])


def test_migration_comes_from_registered_moves_when_the_event_log_exists(registry):
    ctx = registry
    with ctx.engine.connect() as conn:
        events = forecast_repo.has_events(conn)
    if not events:
        rep = derive_inputs(ctx, "31", BASE).inputs.report["migration"]
        assert rep["source"] is None and "bằng 0" in rep["note"]
        return
    day = dt.date(2025, 6, 2)
    with ctx.engine.begin() as conn:
        m = conn.execute(select(memberships).where(memberships.c.valid_to.is_(None),
                                                   memberships.c.residence == "1").limit(1)).one()
        conn.execute(update(memberships).where(memberships.c.id == m.id).values(valid_to=day - dt.timedelta(days=1)))
        conn.execute(text("INSERT INTO events (id, kind, event_date, recorded_at, person_id, household_id, data) "
                          "VALUES (:id, 'moved_out', :d, :at, :p, :h, '{}')"),
                     {"id": 10_000_000, "d": day, "at": dt.datetime(2025, 6, 3, tzinfo=dt.timezone.utc),
                      "p": m.person_id, "h": m.household_id})
        sex = conn.execute(select(persons.c.sex).where(persons.c.id == m.person_id)).scalar_one()
    rep = derive_inputs(ctx, "31", BASE).inputs.report["migration"]
    assert rep["source"] == "events"
    assert rep["moved_out"][int(sex) - 1] == 1 and sum(rep["moved_in"]) == 0
    assert sum(map(sum, rep["net_per_step"])) == pytest.approx(-5 / 3)
