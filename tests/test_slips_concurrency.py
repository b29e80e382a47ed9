"""Two officers accepting at once, on PostgreSQL (SQLite has a single writer): exactly one acceptance wins, the
other is told who accepted the slip, and the log holds one set of events."""
from __future__ import annotations

import datetime as dt
import threading

import pytest

from danso.domain.problems import InvalidInput, SlipConflict
from danso.services import slips as svc
from slip_factories import TODAY, Slips, small_register

POSTGRES_ONLY = pytest.mark.parametrize("db_url", [pytest.param("postgresql", marks=pytest.mark.postgres)],
                                        indirect=True)


def at_once(*calls) -> list:  # noqa: ANN002
    """Run the calls in threads released together; each one's result or exception."""
    barrier = threading.Barrier(len(calls))
    out: list = [None] * len(calls)

    def go(i: int) -> None:
        barrier.wait()
        try:
            out[i] = calls[i]()
        except Exception as e:  # noqa: BLE001 - the test looks at it
            out[i] = e

    threads = [threading.Thread(target=go, args=(i,)) for i in range(len(calls))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return out


@POSTGRES_ONLY
def test_two_officers_accepting_the_same_slip_at_once_record_it_once(ctx):
    reg = small_register(ctx, households=2)
    s = Slips(ctx, reg.area)
    people = [reg.families[0].elder, reg.families[0].children[0], reg.families[1].children[0]]
    for round_, person in enumerate(people):
        slip = s.enter("move_out", person=person, date=dt.date(2026, 2, 1 + round_), destination="Hà Nội")
        officers = ("xa:officer.a", "xa:officer.b")
        results = at_once(*(lambda o=o: svc.accept_slip(ctx, slip.id, o, today=TODAY) for o in officers))
        won = [r for r in results if not isinstance(r, Exception)]
        lost = [r for r in results if isinstance(r, Exception)]
        assert len(won) == 1 and len(lost) == 1, results
        assert isinstance(lost[0], SlipConflict), lost[0]
        view = svc.get_slip(ctx, slip.id)
        winner = view.actions[-1].actor
        assert winner in officers and lost[0].actor == winner and lost[0].status == "Đã duyệt"
        assert [a.action for a in view.actions] == ["create", "submit", "accept"]
        assert [e.kind for e in view.events] == ["moved_out"]
        assert [e.kind for e in svc.history(ctx, person_id=person)] == ["moved_out"]


@POSTGRES_ONLY
def test_two_slips_of_the_same_death_accepted_at_once_record_one_death(ctx):
    reg = small_register(ctx, households=1)
    s = Slips(ctx, reg.area)
    elder = reg.families[0].elder
    first = s.enter("death", person=elder, date="03/02/2026")
    second = s.enter("death", person=elder, date="03/02/2026", confirm=True)  # possible duplicate, confirmed
    results = at_once(lambda: svc.accept_slips(ctx, [first.id], "xa:officer.a", today=TODAY),
                      lambda: svc.accept_slips(ctx, [second.id], "xa:officer.b", today=TODAY))
    outcomes = [r[0] for r in results]
    assert sorted(o.accepted for o in outcomes) == [False, True]
    loser = next(o for o in outcomes if not o.accepted)
    assert isinstance(loser.error, InvalidInput) and [p.code for p in loser.error.problems] == ["death.already_dead"]
    assert [e.kind for e in svc.history(ctx, person_id=elder)] == ["died"]
