"""`danso demo --months`: a month-by-month stream of slips, entered and accepted through the slip services."""
from __future__ import annotations

import datetime as dt
from collections import Counter

from click.testing import CliRunner
from sqlalchemy import func, select

from danso.cli.main import cli
from danso.services.demo import DEFAULT_DEMO_DATE, run_demo
from danso.services.demo_stream import run_stream
from danso.services.registry import summary
from danso.storage.tables import events, persons, slips

KINDS_EXPECTED = {"birth", "death", "pregnancy", "marriage", "move_out", "move_in", "elderly_checkup",
                  "contraception_start", "contraception_stop"}


def _counts(ctx) -> tuple[int, Counter, Counter]:
    with ctx.engine.connect() as conn:
        n = conn.execute(select(func.count()).select_from(persons)).scalar_one()
        by_status = Counter(dict(conn.execute(select(slips.c.status, func.count()).group_by(slips.c.status)).all()))
        by_event = Counter(dict(conn.execute(select(events.c.kind, func.count()).group_by(events.c.kind)).all()))
    return n, by_status, by_event


def test_two_months_of_slips_are_all_accepted_and_change_the_register_by_exactly_what_they_record(ctx):
    run_demo(ctx, "31", communes=1, persons=6_000, seed=3)
    before, _, _ = _counts(ctx)
    start_population = summary(ctx, "31", DEFAULT_DEMO_DATE).persons
    report = run_stream(ctx, "31", months=2, seed=3, start=DEFAULT_DEMO_DATE)
    assert report.months == ["2026-01", "2026-02"]
    assert report.failed == [] and report.refused == []
    assert report.accepted == report.slips > 100
    assert KINDS_EXPECTED <= set(report.by_kind)
    after, by_status, by_event = _counts(ctx)
    assert by_status == Counter({"accepted": report.slips})
    # persons enter the register only by birth or by moving in
    assert after - before == by_event["born"] + by_event["moved_in"] == report.by_kind["birth"] + report.by_kind[
        "move_in"]
    # the resident population at the end of February, from the dated state, moved by exactly the flows (the
    # stream's status changes are to tạm vắng, which still counts as resident)
    end = summary(ctx, "31", dt.date(2026, 2, 28)).persons
    flows = by_event["born"] + by_event["moved_in"] - by_event["died"] - by_event["moved_out"]
    assert end == start_population + flows

def test_the_stream_is_the_same_for_the_same_seed(tmp_path):
    def one(name: str) -> tuple:
        url = f"sqlite:///{tmp_path / name}"
        runner = CliRunner()
        for args in (["init"], ["units", "load"]):
            assert runner.invoke(cli, ["--db", url, *args]).exit_code == 0
        result = runner.invoke(cli, ["--db", url, "demo", "--province", "31", "--communes", "1", "--persons", "2000",
                                     "--seed", "5", "--months", "1"])
        assert result.exit_code == 0, result.output
        assert "Đã duyệt" in result.output and "phiếu của 1 tháng (2026-01 – 2026-01)" in result.output
        from danso.bootstrap import build
        from danso.config import Settings

        c = build(Settings(url))
        with c.engine.connect() as conn:
            rows = conn.execute(select(events.c.kind, events.c.event_date, events.c.person_id)
                                .where(events.c.kind != "household_registered").order_by(events.c.id)).all()
        c.close()
        return tuple(tuple(r) for r in rows)

    first, second = one("a.db"), one("b.db")
    assert first == second and len(first) > 10
