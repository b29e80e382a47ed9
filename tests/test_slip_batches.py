"""Accepting a batch of slips set-wise (danso.services.slip_batches) gives exactly what accepting them one by one
gives: the same results, the same events with the same ids, the same register — including slips that depend on
an earlier slip of the batch, and when a write fails and the batch is done again slip by slip."""
from __future__ import annotations

import random
import shutil
import uuid
from pathlib import Path

import pytest
from sqlalchemy import create_engine, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import IntegrityError

from danso.bootstrap import build
from danso.config import Settings
from danso.demo import stream as s
from danso.services import slip_batches
from danso.services import slips as svc
from danso.services.demo import run_demo
from danso.services.demo_stream import _month_slips
from danso.services.slips import NewSlip
from danso.storage import replay, stream_repo, units_repo
from danso.storage.tables import events

MONTH = "2026-01"
LAST = s.month_days(MONTH)[1]


def _month_of_slips(ctx) -> list[int]:  # noqa: ANN001
    """A small province's month of slips, submitted, plus slips that depend on one another."""
    run_demo(ctx, "31", communes=1, persons=6_000, seed=3)
    with ctx.engine.connect() as conn:
        province = units_repo.find_by_code(conn, "31", LAST)[0]
        areas = sorted(a for a, _ in units_repo.areas_under(conn, province.id, LAST))
        codes = stream_repo.area_codes(conn, areas)
    new = _month_slips(ctx, areas, codes, MONTH, random.Random(7), 11, 3)
    death = next(n for n in new if n.kind == "death")
    woman = next(n for n in new if n.kind == "contraception_start")
    new += [
        # the same death twice: the second fails, whichever way
        NewSlip("again-death", "death", death.area_code, {**death.data}, MONTH, submit=True),
        # a change for someone who has died earlier in the batch
        NewSlip("after-death", "info_change", death.area_code, {"person": death.data["person"], "date":
                                                                f"28/{MONTH[5:]}/{MONTH[:4]}", "education": "8"},
                MONTH, submit=True),
        # a woman who starts a method, then changes to another one
        NewSlip("then-switch", "contraception_start", woman.area_code, {
            "person": woman.data["person"], "date": f"28/{MONTH[5:]}/{MONTH[:4]}", "place": "1",
            "method": "6" if woman.data["method"] != "6" else "7"}, MONTH, submit=True),
    ]
    views = svc.import_slips(ctx, new, actor="ctv", confirm=True, today=LAST)
    return [v.id for v, _ in views]


def _clone(ctx, url: str, tmp_path: Path) -> str:  # noqa: ANN001
    ctx.engine.dispose()
    u = make_url(url)
    if u.get_backend_name() == "sqlite":
        copy = tmp_path / f"copy-{uuid.uuid4().hex[:6]}.db"
        shutil.copy(u.database, copy)
        return f"sqlite:///{copy}"
    name = f"{u.database}_c"
    admin = create_engine(u.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as c:
        c.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{u.database}"'))
    admin.dispose()
    return u.set(database=name).render_as_string(hide_password=False)


def _drop(url: str) -> None:
    u = make_url(url)
    if u.get_backend_name() == "postgresql":
        admin = create_engine(u.set(database="postgres"), isolation_level="AUTOCOMMIT")
        with admin.connect() as c:
            c.execute(text(f'DROP DATABASE IF EXISTS "{u.database}" WITH (FORCE)'))
        admin.dispose()


def _log(ctx) -> list[tuple]:  # noqa: ANN001
    with ctx.engine.connect() as conn:
        return [(r.id, r.kind, str(r.event_date), r.person_id, r.household_id, r.data, r.slip_id)
                for r in conn.execute(select(events).order_by(events.c.id))]


def _outcome(results) -> list[tuple]:  # noqa: ANN001
    return [(r.slip_id, r.accepted, [p.code for p in getattr(r.error, "problems", [])] if r.error else None)
            for r in results]


@pytest.fixture
def twin(ctx, db_url, tmp_path):  # noqa: ANN001, ANN201
    """The context, its slip ids, and a second context on a copy of the same database."""
    ids = _month_of_slips(ctx)
    copy = _clone(ctx, db_url, tmp_path)
    other = build(Settings(copy))
    yield ids, other
    other.close()
    _drop(copy)


def _one_by_one(ctx, ids: list[int]) -> list:  # noqa: ANN001
    out = []
    for sid in ids:
        try:
            svc.accept_slip(ctx, sid, "xa", confirm=True, today=LAST)
            out.append(svc.BatchResult(sid, True))
        except svc.DansoError as e:
            out.append(svc.BatchResult(sid, False, e))
    return out


@pytest.mark.parametrize("chunk", [40, 10_000])
def test_a_batch_gives_exactly_what_slips_accepted_one_by_one_give(ctx, twin, chunk):
    ids, other = twin
    batch = svc.accept_slips(ctx, ids, "xa", confirm=True, today=LAST, chunk=chunk)
    single = _one_by_one(other, ids)
    assert _outcome(batch) == _outcome(single)
    failed = {r.slip_id: r.error for r in batch if not r.accepted}
    assert set(failed) == set(ids[-3:-1])  # the second death, the change after the death; the switch is accepted
    assert sum(r.accepted for r in batch) == len(ids) - 2 > 80
    assert _log(ctx) == _log(other)
    with ctx.engine.connect() as a, other.engine.connect() as b:
        assert replay.state(a) == replay.state(b)


def test_a_failed_write_redoes_the_chunk_slip_by_slip_and_leaves_nothing_half_written(ctx, twin, monkeypatch):
    ids, other = twin
    real = slip_batches.write_events
    calls = {"n": 0}

    def failing(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        calls["n"] += 1
        if calls["n"] == 40:  # in the middle of the first chunk's first wave
            raise IntegrityError("INSERT …", {}, Exception("simulated: an identifier taken meanwhile"))
        return real(*args, **kwargs)

    monkeypatch.setattr(slip_batches, "write_events", failing)
    batch = svc.accept_slips(ctx, ids, "xa", confirm=True, today=LAST, chunk=len(ids))
    assert calls["n"] == 40  # the fast path stopped there; the chunk was done again slip by slip
    single = _one_by_one(other, ids)
    assert _outcome(batch) == _outcome(single)
    assert _log(ctx) == _log(other)
    with ctx.engine.connect() as a, other.engine.connect() as b:
        assert replay.state(a) == replay.state(b)


def test_events_read_ahead_from_a_day_and_earlier_days_asked_of_the_database(ctx):  # noqa: ANN001
    import datetime as dt

    from danso.storage.slip_facts import ReadAhead
    from slip_factories import Slips, small_register

    reg = small_register(ctx, households=1)
    slips = Slips(ctx, reg.area)
    elder = reg.families[0].elder
    december = slips.event("elderly_checkup", person=elder, date=dt.date(2025, 12, 10))
    january = slips.event("elderly_checkup", person=elder, date=dt.date(2026, 1, 5), confirm=True)
    with ctx.engine.connect() as conn:
        register = ReadAhead(conn, LAST, since=dt.date(2026, 1, 1))
        register.read([elder], [])
        assert register.events[elder] == [(january.id, "elderly_checked", dt.date(2026, 1, 5))]  # only from 01/01
        assert register.same_events(["elderly_checked"], elder, dt.date(2026, 1, 5)) == [january.id]
        assert register.same_events(["elderly_checked"], elder, dt.date(2025, 12, 10)) == [december.id]
        assert register.same_events(["elderly_checked"], elder, dt.date(2025, 12, 11)) == []


def test_a_batch_of_household_events_adds_the_same_rows_as_one_by_one(ctx, db_url, tmp_path, monkeypatch):  # noqa: ANN001
    """New households, splits, merges, moves within the commune, arrivals and twins: the new rows of a wave are
    written per table at its end (events_repo.inserts_deferred); the register equals the one-by-one one."""
    import datetime as dt

    from slip_factories import SEX_FEMALE, Slips, new_person, small_register

    reg = small_register(ctx, households=4, contraception=True)
    f0, f1, f2, f3 = reg.families
    s = Slips(ctx, reg.area)
    day = dt.date(2026, 1, 12)
    ids = [s.enter(kind, confirm=True, **fields).id for kind, fields in [
        ("household_new", dict(date=day, number="70", kind="1", origin="Huế", members=[
            new_person(reg.factory, relation="01"), new_person(reg.factory, sex=SEX_FEMALE, relation="02")])),
        ("household_split", dict(household=f0.household, date=day, number="1A",
                                 members=[{"person": f0.elder, "relation": "01"}])),
        ("household_merge", dict(household=f1.household, date=day, merged_household=f2.household,
                                 members=[{"person": p, "relation": "11"} for p in f2.members])),
        ("transfer", dict(person=f3.children[0], date=day, to_household=f0.household, relation="05")),
        ("move_in", dict(household=f3.household, date=day, origin="Huế", **new_person(reg.factory, relation="12"))),
        ("birth", dict(household=f3.household, date=day, mother=f3.wife, full_name="Vũ Minh Khang", sex="1",
                       ethnicity="01", relation="03", place="1", birth_order=2)),
        ("pregnancy", dict(person=f1.wife, date=day, event="1")),
    ]]
    copy = _clone(ctx, db_url, tmp_path)
    other = build(Settings(copy))
    try:
        # set-wise, not the slip-by-slip fallback of a failed write
        monkeypatch.setattr(svc, "_accept_in_savepoint", lambda *a: pytest.fail("the set-wise chunk failed"))
        batch = svc.accept_slips(ctx, ids, "xa", confirm=True, today=LAST)
        monkeypatch.undo()
        single = _one_by_one(other, ids)
        assert _outcome(batch) == _outcome(single)
        assert sum(r.accepted for r in batch) >= 6, _outcome(batch)
        assert _log(ctx) == _log(other)
        with ctx.engine.connect() as a, other.engine.connect() as b:
            assert replay.state(a) == replay.state(b)
    finally:
        other.close()
        _drop(copy)
