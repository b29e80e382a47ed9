"""Figures kept for the pages (danso.services.figures_cache): a kept report is the report computed now — after
a slip is accepted, an event reversed or a unit added, it is computed again — and the scope is checked on every
request, kept figure or not."""
from __future__ import annotations

import datetime as dt
import threading
import time

import pytest

from danso.domain import clock
from danso.domain.access import Principal, Role
from danso.domain.problems import NotFound
from danso.services import report_submissions
from danso.services.figures_cache import FiguresCache, cached
from danso.services.reports import build_report
from danso.services.slips import reverse_event
from danso.services.units import add_area, add_village
from factories import COMMUNE
from report_scenario import OTHER_COMMUNE, build
from slip_factories import d

PERIOD = "2026-03"


def _officer(ctx, code: str) -> Principal:  # noqa: ANN001
    from danso.services.units import resolve

    with ctx.engine.connect() as conn:
        row = resolve(conn, code, clock.today())
    return Principal(7, f"xa.{code}", "Người Thử", Role.COMMUNE_OFFICER, row.id, code, row.unit.name, row.unit.level)


def _births(report) -> int:  # noqa: ANN001
    return report.total["births"].value


def test_a_kept_report_is_computed_again_after_each_change_of_the_register(ctx):  # noqa: ANN001
    s = build(ctx)
    officer = _officer(ctx, COMMUNE)

    def live():  # noqa: ANN202
        return report_submissions.live_report(ctx, officer, COMMUNE, PERIOD)

    first = live()
    assert _births(first) == 0 and ctx.figures.computed == 1
    assert live() is first and ctx.figures.computed == 1  # nothing changed: the kept report
    view = s.slips["A1"].accept("birth", household=s.households["H2"], date=d(dt.date(2026, 3, 15)),
                                mother=s.ids["h2_wife"], full_name="Nguyễn Thị Bé", sex="2", ethnicity="01",
                                relation="03", place="2", birth_order=1, confirm=True)
    after_birth = live()
    assert _births(after_birth) == 1 and ctx.figures.computed == 2
    reverse_event(ctx, view.events[0].id, "xa.test", "Nhập nhầm")
    assert _births(live()) == 0 and ctx.figures.computed == 3
    village = add_village(ctx, COMMUNE, "Tổ dân phố Ba", "Tổ dân phố")  # a new column of the commune's report
    assert village.name in [c.unit.name for c in live().columns] and ctx.figures.computed == 4
    add_area(ctx, village.code, "Địa bàn 1")
    live()
    assert ctx.figures.computed == 5
    # every kept report equals the report computed now
    fresh = build_report(ctx, COMMUNE, PERIOD, units_on=live().units_on)
    assert +live().counts == +fresh.counts and [c.unit_id for c in live().columns] == [c.unit_id for c in fresh.columns]


def test_the_scope_is_checked_before_a_kept_report_is_given(ctx):  # noqa: ANN001
    build(ctx)
    report_submissions.live_report(ctx, _officer(ctx, COMMUNE), COMMUNE, PERIOD)
    with pytest.raises(NotFound):
        report_submissions.live_report(ctx, _officer(ctx, OTHER_COMMUNE), COMMUNE, PERIOD)


def test_two_requests_for_the_same_figure_at_once_compute_it_once(ctx):  # noqa: ANN001
    figures = FiguresCache()
    calls = []

    def slow() -> int:
        calls.append(1)
        time.sleep(0.3)
        return 42

    got = []
    threads = [threading.Thread(target=lambda: got.append(figures.get(ctx, "k", slow))) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert got == [42] * 4 and len(calls) == 1 and figures.computed == 1


def test_the_least_recently_used_figures_are_dropped_first(ctx):  # noqa: ANN001
    figures = FiguresCache(kept=2)
    for key in ("a", "b", "a", "c"):  # "b" is the least recently used when "c" comes
        figures.get(ctx, key, lambda k=key: k.upper())
    assert figures.computed == 3
    assert figures.get(ctx, "a", lambda: "again") == "A" and figures.get(ctx, "b", lambda: "again") == "again"


def test_a_failing_computation_keeps_nothing(ctx):  # noqa: ANN001
    def boom() -> int:
        raise ValueError("no")

    with pytest.raises(ValueError):
        cached(ctx, "x", boom)
    assert cached(ctx, "x", lambda: 1) == 1


def test_the_home_page_summary_is_kept_until_a_slip_changes_the_register(ctx):  # noqa: ANN001
    from danso.services.scope import unit_summary

    s = build(ctx)
    officer = _officer(ctx, COMMUNE)
    before = unit_summary(ctx, officer)
    assert unit_summary(ctx, officer) is before
    s.slips["A1"].accept("death", person=s.ids["h1_grandma"], date=d(dt.date(2026, 3, 5)))
    assert unit_summary(ctx, officer).persons == before.persons - 1
    with pytest.raises(NotFound):
        unit_summary(ctx, _officer(ctx, OTHER_COMMUNE), COMMUNE)


def test_slips_dated_after_the_period_keep_its_report_and_a_late_or_retroactive_one_does_not(ctx):  # noqa: ANN001
    s = build(ctx)
    officer = _officer(ctx, COMMUNE)

    def live():  # noqa: ANN202
        return report_submissions.live_report(ctx, officer, COMMUNE, PERIOD)

    kept = live()
    # April's slips: the register of 31/03 is what it was — the kept report is given, and it is right
    s.slips["A1"].accept("birth", household=s.households["H2"], date=d(dt.date(2026, 4, 15)),
                         mother=s.ids["h2_wife"], full_name="Nguyễn Thị Bé", sex="2", ethnicity="01",
                         relation="03", place="2", birth_order=1, confirm=True)
    s.slips["A1"].accept("death", person=s.ids["h1_grandma"], date=d(dt.date(2026, 4, 2)))
    assert live() is kept and ctx.figures.computed == 1
    assert +build_report(ctx, COMMUNE, PERIOD, units_on=kept.units_on).counts == +kept.counts
    # a household's new area is not dated: it moves the household's past too
    s.slips["A1"].accept("household_relocate", household=s.households["H1"], date=d(dt.date(2026, 4, 20)),
                         house_no="9")
    assert live() is not kept and ctx.figures.computed == 2
    # a late slip, dated within the period
    s.slips["A2"].accept("marriage", person=s.ids["h3_woman"], date=d(dt.date(2026, 3, 14)))
    again = live()
    assert ctx.figures.computed == 3 and again.total["marriages"].value == 1


def test_every_dated_kind_is_a_kind_of_event():
    from danso.domain.events import DATED_KINDS, KIND_LABELS, REGISTERED, REVERSED

    assert DATED_KINDS <= set(KIND_LABELS) and not {REGISTERED, REVERSED, "info_changed",
                                                      "household_relocated"} & DATED_KINDS


def test_a_kept_report_stays_right_whatever_dated_slips_come_after_its_period(ctx):  # noqa: ANN001
    """Property: random sequences of slips whose events are all of the dated kinds, dated after the period,
    never make the kept report differ from the report computed now (and it is kept, not computed again)."""
    from hypothesis import given
    from hypothesis import strategies as st

    from danso.domain.events import DATED_KINDS, EVENT_OF_SLIP
    from test_event_log import EXAMPLES, KINDS, new_register, run

    kinds = sorted(k for k in KINDS if EVENT_OF_SLIP.get(k) in DATED_KINDS)
    assert len(kinds) >= 12, kinds
    steps = st.tuples(st.sampled_from(kinds), st.integers(0, 30), st.integers(0, 30), st.integers(1, 20))
    counter = iter(range(500, 1000))
    period, end = "2026-02", dt.date(2026, 2, 28)

    @EXAMPLES
    @given(before=st.lists(steps, min_size=2, max_size=8), after=st.lists(steps, min_size=2, max_size=12))
    def examples(before: list, after: list) -> None:
        _area, s, pools, factory = new_register(ctx, next(counter))
        run(ctx, s, pools, before, dt.date(2026, 1, 1), factory)
        figures = FiguresCache()
        kept = figures.get(ctx, "r", lambda: build_report(ctx, COMMUNE, period), as_of=end)
        run(ctx, s, pools, after, dt.date(2026, 3, 1), factory)
        again = figures.get(ctx, "r", lambda: pytest.fail("computed again"), as_of=end)
        fresh = build_report(ctx, COMMUNE, period)
        assert again is kept and +fresh.counts == +kept.counts

    examples()
