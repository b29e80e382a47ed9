"""The event log: a correction is a reversal plus a new event; a reversal undoes exactly what its event did and is
refused while later events depend on it; replaying the whole log from empty rebuilds exactly the register; and
the state on a past date does not change when slips about later dates are accepted."""
from __future__ import annotations

import datetime as dt
import uuid
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from danso.bootstrap import Context, build
from danso.config import Settings
from danso.domain.problems import ConfirmationNeeded, InvalidInput, NotFound
from danso.messages_vi import word
from danso.services import slips as svc
from danso.services.registry import household_sheet, summary
from factories import COMMUNE, make_area, register_state
from slip_factories import SEX_FEMALE, SEX_MALE, Slips, new_person, small_register

D = dt.date


def target_url(ctx: Context, tmp_path) -> Iterator[str]:  # noqa: ANN001
    """An empty database to replay into: a new SQLite file, or on PostgreSQL a new database (dropped after)."""
    if ctx.engine.dialect.name == "sqlite":
        yield f"sqlite:///{tmp_path / f'replay-{uuid.uuid4().hex[:6]}.db'}"
        return
    from conftest import pg_database

    with pg_database(label="replay_") as url:
        yield url


def replayed_state(ctx: Context, url: str) -> dict:
    """Replay ``ctx``'s log into ``url`` (empty); the state it rebuilt."""
    report = svc.replay_log(ctx, url)
    assert report.identical, report.differences
    other = build(Settings(url))
    try:
        return register_state(other)
    finally:
        other.close()


def test_every_kind_of_event_is_undone_exactly_by_its_reversal(ctx):
    reg = small_register(ctx, households=2, contraception=True)
    s = Slips(ctx, reg.area)
    f0, f1 = reg.families
    s.event("pregnancy", person=f1.wife, date=D(2026, 1, 2), event="1")
    checks = [
        ("death", dict(person=f0.elder, date=D(2026, 1, 10))),
        ("death", dict(person=f1.wife, date=D(2026, 1, 10))),  # closes her method and her pregnancy
        ("birth", dict(household=f1.household, date=D(2026, 2, 1), mother=f1.wife, full_name="Vũ Minh Khang",
                       sex=SEX_MALE, ethnicity="01", relation="03", place="1", birth_order=2)),
        ("move_in", dict(household=f0.household, date=D(2026, 1, 3), origin="Huế",
                         **new_person(reg.factory, relation="12"))),
        ("move_out", dict(person=f0.children[0], date=D(2026, 1, 4), destination="Huế")),
        ("transfer", dict(person=f0.elder, date=D(2026, 1, 5), to_household=f1.household, relation="09")),
        ("info_change", dict(person=f0.wife, date=D(2026, 1, 6), full_name="Ngô Thị Hằng", residence="4",
                             relation="02", bhyt="GD4319999999999")),
        ("marriage", dict(person=f0.children[0], date=D(2026, 1, 7), spouse=f1.children[0], confirm=True)),
        ("divorce", dict(person=f0.head, date=D(2026, 1, 7), spouse=f0.wife)),
        ("head_change", dict(household=f0.household, date=D(2026, 1, 8), new_head=f0.wife, old_head_relation="02")),
        ("contraception_start", dict(person=f0.wife, date=D(2026, 1, 9), method="7", place="3", confirm=True)),
        ("contraception_stop", dict(person=f0.wife, date=D(2026, 1, 9))),
        ("pregnancy", dict(person=f1.wife, date=D(2026, 1, 11), event="3")),
        ("household_new", dict(date=D(2026, 1, 12), number="70", kind="1", origin="Huế", members=[
            new_person(reg.factory, relation="01"), new_person(reg.factory, sex=SEX_FEMALE, relation="02")])),
        ("household_split", dict(household=f0.household, date=D(2026, 1, 13), number="1A",
                                 members=[{"person": f0.elder, "relation": "01"}])),
        ("household_merge", dict(household=f0.household, date=D(2026, 1, 14), merged_household=f1.household,
                                 members=[{"person": p, "relation": "11"} for p in f1.members])),
        ("household_relocate", dict(household=f1.household, date=D(2026, 1, 15), house_no="7A", number="2B")),
        ("elderly_checkup", dict(person=f0.elder, date=D(2026, 1, 16))),
    ]
    for kind, fields in checks:
        before = register_state(ctx)
        ev = s.event(kind, **fields)
        assert register_state(ctx) != before or kind == "elderly_checkup", kind
        rev = svc.reverse_event(ctx, ev.id, "xa:tran.van.binh", f"ghi nhầm {kind}")
        assert register_state(ctx) == before, kind
        assert (rev.kind, rev.reverses_id, rev.data["reason"]) == ("reversed", ev.id, f"ghi nhầm {kind}")
    # the log keeps everything: each event, stamped with the reversal that cancelled it
    with ctx.engine.connect() as conn:
        from danso.storage import events_repo

        log = list(events_repo.iterate(conn))
    cancelled = [e for e in log if e.kind not in ("household_registered", "reversed", "pregnancy_started")]
    assert len(cancelled) == len(checks) and all(e.reversed_by for e in cancelled)
    assert len([e for e in log if e.kind == "reversed"]) == len(checks)


def test_a_reversal_is_refused_while_later_events_depend_on_it(ctx):
    reg = small_register(ctx, households=2)
    s = Slips(ctx, reg.area)
    f0, f1 = reg.families
    moved = s.event("transfer", person=f0.elder, date=D(2026, 2, 1), to_household=f1.household, relation="08")
    died = s.event("death", person=f0.elder, date=D(2026, 3, 1))
    before = register_state(ctx)
    with pytest.raises(InvalidInput) as e:
        svc.reverse_event(ctx, moved.id, "xa:tran.van.binh", "nhầm")
    assert [word(p) for p in e.value.problems] == [
        f"sự kiện {moved.id}: đã có sự kiện sau về cùng người/hộ (mã {died.id}); hủy các sự kiện đó trước."]
    assert register_state(ctx) == before
    # a spouse named on a marriage is a later event about them too
    married = s.event("marriage", person=f1.children[0], spouse=f0.children[0], date=D(2026, 3, 2), confirm=True)
    split = s.event("household_split", household=f0.household, date=D(2026, 3, 3), number="1C",
                    members=[{"person": f0.children[0], "relation": "01"}])
    with pytest.raises(InvalidInput) as e:
        svc.reverse_event(ctx, married.id, "xa:tran.van.binh", "nhầm")
    assert e.value.problems[0].params == {"ids": str(split.id)}
    # a household split off, then someone moves into it: the split cannot be undone first
    split_off = s.event("household_split", household=f1.household, date=D(2026, 3, 4), number="2C",
                        members=[{"person": f1.children[0], "relation": "01"}])
    new_household = split_off.data["household_row"]["id"]
    arrival = s.event("move_in", household=new_household, date=D(2026, 3, 5), origin="Huế",
                      **new_person(reg.factory, relation="12"))
    with pytest.raises(InvalidInput) as e:
        svc.reverse_event(ctx, split_off.id, "xa:tran.van.binh", "nhầm")
    assert e.value.problems[0].params == {"ids": str(arrival.id)}
    svc.reverse_event(ctx, arrival.id, "xa:tran.van.binh", "nhầm")
    svc.reverse_event(ctx, split_off.id, "xa:tran.van.binh", "nhầm")
    # in the right order, both go
    svc.reverse_event(ctx, split.id, "xa:tran.van.binh", "nhầm")
    svc.reverse_event(ctx, married.id, "xa:tran.van.binh", "nhầm")
    svc.reverse_event(ctx, died.id, "xa:tran.van.binh", "nhầm")
    svc.reverse_event(ctx, moved.id, "xa:tran.van.binh", "nhầm")
    assert f0.elder in {m.person.id for m in household_sheet(ctx, f0.household, D(2026, 6, 1)).members}


def test_registrations_reversals_and_reversed_events_cannot_be_reversed(ctx):
    reg = small_register(ctx, households=1)
    s = Slips(ctx, reg.area)
    f0 = reg.families[0]
    registered = svc.history(ctx, household_id=f0.household)[0]
    assert registered.kind == "household_registered"
    ev = s.event("elderly_checkup", person=f0.elder, date=D(2026, 2, 1))
    rev = svc.reverse_event(ctx, ev.id, "xa:tran.van.binh", "nhầm người")
    for event_id, label in ((registered.id, "Ghi sổ hộ"), (ev.id, "Khám sức khỏe NCT"), (rev.id, "Hủy (đính chính)")):
        with pytest.raises(InvalidInput) as e:
            svc.reverse_event(ctx, event_id, "xa:tran.van.binh", "nhầm")
        assert [word(p) for p in e.value.problems] == [f"sự kiện {event_id}: sự kiện “{label}” này không thể hủy."]
    with pytest.raises(InvalidInput) as e:
        svc.reverse_event(ctx, ev.id, "xa:tran.van.binh", " ")
    assert [p.code for p in e.value.problems] == ["slip.reason_missing"]
    with pytest.raises(NotFound):
        svc.reverse_event(ctx, 99_999, "xa:tran.van.binh", "nhầm")


def test_a_correction_is_a_reversal_and_a_new_event_and_the_log_replays_to_the_same_register(ctx, tmp_path):
    reg = small_register(ctx, households=2)
    s = Slips(ctx, reg.area)
    f0, f1 = reg.families
    wrong = s.event("death", person=f0.elder, date=D(2026, 2, 1))
    total = summary(ctx, COMMUNE, D(2026, 2, 10)).persons
    svc.reverse_event(ctx, wrong.id, "xa:tran.van.binh", "sai ngày mất; đúng là 20/02/2026")
    assert summary(ctx, COMMUNE, D(2026, 2, 10)).persons == total + 1
    s.event("death", person=f0.elder, date=D(2026, 2, 20))
    assert summary(ctx, COMMUNE, D(2026, 2, 10)).persons == total + 1
    assert summary(ctx, COMMUNE, D(2026, 2, 20)).persons == total
    history = svc.history(ctx, person_id=f0.elder)
    assert [(e.kind, e.event_date, e.reversed_by is not None) for e in history] == [
        ("died", D(2026, 2, 1), True), ("reversed", D(2026, 2, 1), False), ("died", D(2026, 2, 20), False)]
    assert history[0].data == wrong.data  # never updated in place
    assert history[1].reverses_id == wrong.id and history[1].data["by"] == "xa:tran.van.binh"
    # more changes, including reversals of births and of new households, then a replay from empty
    baby = s.event("birth", household=f1.household, date=D(2026, 3, 1), mother=f1.wife, full_name="Vũ Gia Huy",
                   sex=SEX_MALE, ethnicity="01", relation="03", place="1", birth_order=2)
    svc.reverse_event(ctx, baby.id, "xa:tran.van.binh", "trẻ của hộ khác")
    s.event("birth", household=f1.household, date=D(2026, 3, 2), mother=f1.wife, full_name="Vũ Gia Bảo",
            sex=SEX_MALE, ethnicity="01", relation="03", place="1", birth_order=2)
    s.event("info_change", person=f0.wife, date=D(2026, 3, 3), full_name="Trương Thị Mỹ")
    s.event("contraception_start", person=f0.wife, date=D(2026, 3, 4), method="2", place="1")
    s.event("household_split", household=f0.household, date=D(2026, 4, 1), number="1D",
            members=[{"person": f0.children[0], "relation": "01"}])
    url = f"sqlite:///{tmp_path / 'replay.db'}"
    assert replayed_state(ctx, url) == register_state(ctx)
    # the replayed database is not empty any more: replaying into it again is refused
    with pytest.raises(InvalidInput) as e:
        svc.replay_log(ctx, url)
    assert [p.code for p in e.value.problems] == ["replay.not_empty"]


# ---------------------------------------------------------------------------------------------------------
# properties over random sequences of slips

KINDS = ("birth", "death", "move_in", "move_out", "transfer", "info_change", "marriage", "divorce", "head_change",
         "contraception_start", "contraception_stop", "pregnancy", "household_new", "household_split",
         "household_merge", "household_relocate", "elderly_checkup", "reverse")

step = st.tuples(st.sampled_from(KINDS), st.integers(0, 30), st.integers(0, 30), st.integers(1, 20))


@dataclass
class Pools:
    persons: list[int]
    households: list[int]
    women: list[int]  # the wives of the registered families


def slip_for(ctx: Context, kind: str, a: int, b: int, day: dt.date, pools: Pools, f) -> dict:  # noqa: ANN001
    """The fields of a slip of ``kind`` about persons and households picked by ``a`` and ``b`` (the rules may still
    refuse it: the sequence then goes on without it)."""
    persons, hh = pools.persons, pools.households
    p, h, h2 = persons[a % len(persons)], hh[a % len(hh)], hh[b % len(hh)]
    woman = pools.women[b % len(pools.women)]
    try:
        current = sorted(m.person.id for m in household_sheet(ctx, h, day).members) or [p]
    except NotFound:  # a household whose creation was reversed
        current = [p]
    member = current[b % len(current)]
    person = dict(person=p, date=day)
    return {
        # a birth order far above the children on record: a warning (confirmed), never an error
        "birth": dict(household=h, date=day, mother=woman, full_name=f.name(SEX_FEMALE), sex="12"[b % 2],
                      ethnicity="01", relation="03", place="1", birth_order=15 + b % 5),
        "death": person,
        "move_in": dict(household=h, date=day, origin="Huế", **new_person(f, relation="12", born=D(1980 + b, 1, 1))),
        "move_out": {**person, "destination": "Huế"},
        "transfer": {**person, "to_household": h2, "relation": "11"},
        "info_change": {**person, "full_name": f.name(SEX_MALE), "residence": "1234"[b % 4]},
        "marriage": {**person, "spouse": persons[b % len(persons)]},
        "divorce": person,
        "head_change": dict(household=h, date=day, new_head=member, old_head_relation="10"),
        "contraception_start": {"person": woman, "date": day, "method": str(1 + a % 9), "place": "1"},
        "contraception_stop": {"person": woman, "date": day},
        "pregnancy": {"person": woman, "date": day, "event": "1" if a % 2 else "234"[a % 3]},
        "household_new": dict(date=day, number=f"N{a}{b}", kind="1", origin="Huế",
                              members=[new_person(f, relation="01"), new_person(f, sex=SEX_FEMALE, relation="02")]),
        "household_split": dict(household=h, date=day, number=f"S{a}{b}",
                                members=[{"person": member, "relation": "01"}]),
        "household_merge": dict(household=h2, date=day, merged_household=h, members=[
            {"person": m, "relation": "11"} for m in current if m != p or current == [p]]),
        "household_relocate": dict(household=h, date=day, house_no=str(b)),
        "elderly_checkup": person,
    }[kind]


def run(ctx: Context, s: Slips, pools: Pools, steps: list, start: dt.date, factory) -> list[str]:  # noqa: ANN001
    """Enter and accept a random sequence of slips (dates non-decreasing from ``start``), growing the pools with
    the persons and households the slips add. Slips the rules refuse are left out; a ``reverse`` step reverses
    the last event accepted, when nothing depends on it. The kinds of the events in force, in order."""
    day = start
    accepted: list[tuple[int, str]] = []
    for kind, a, b, gap in steps:
        day = min(day + dt.timedelta(days=gap), s.today)
        if kind == "reverse":
            if accepted:
                try:
                    svc.reverse_event(ctx, accepted[-1][0], "xa:test", "đính chính")
                    accepted.pop()
                except InvalidInput:
                    pass
            continue
        try:
            view = s.accept(kind, confirm=True, **slip_for(ctx, kind, a, b, day, pools, factory))
        except (InvalidInput, ConfirmationNeeded):
            continue
        for ev in view.events:
            accepted.append((ev.id, ev.kind))
            if ev.person_id and ev.person_id not in pools.persons:
                pools.persons.append(ev.person_id)
            if ev.household_id and ev.household_id not in pools.households:
                pools.households.append(ev.household_id)
            if ev.kind == "household_split":
                pools.households.append(ev.data["household_row"]["id"])
    return [k for _, k in accepted]


def new_register(ctx: Context, n: int) -> tuple[str, Slips, Pools, object]:
    """A new village and area with two families (seed ``n``): the area, its slips, its pools, the factory."""
    area = make_area(ctx, village=f"Thôn thử {n}")
    reg = small_register(ctx, households=2, seed=n, area=area)
    pools = Pools([p for f in reg.families for p in f.members], [f.household for f in reg.families],
                  [f.wife for f in reg.families])
    return area, Slips(ctx, area), pools, reg.factory


def past_view(ctx: Context, area: str, households: list[int], on: dt.date) -> dict:
    """What users read about a date: members with relation and residence, women's methods and pregnancies,
    and the population summary of the area (persons by sex and age, households)."""
    sheets = {}
    for h in households:
        sheet = household_sheet(ctx, h, on)
        sheets[h] = sorted((m.person.id, m.relation, m.residence, m.pregnant,
                            tuple((u.method, u.start_date) for u in m.contraception
                                  if u.start_date <= on and (u.end_date is None or u.end_date >= on)))
                           for m in sheet.members)
    s = summary(ctx, area, on)
    return {"sheets": sheets, "summary": (s.households, s.persons, dict(s.by_sex),
                                          {k: dict(v) for k, v in s.pyramid.items()})}


KINDS_SEEN: list[str] = []


EXAMPLES = settings(max_examples=6, deadline=None, derandomize=True, phases=[Phase.explicit, Phase.generate],
                    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


def test_replaying_the_log_of_random_slips_rebuilds_exactly_the_register(ctx, tmp_path):
    counter = iter(range(1, 1000))
    KINDS_SEEN.clear()

    @EXAMPLES
    @given(steps=st.lists(step, min_size=4, max_size=14))
    def examples(steps: list) -> None:
        n = next(counter)
        _area, s, pools, factory = new_register(ctx, n)
        KINDS_SEEN.extend(run(ctx, s, pools, steps, D(2026, 1, 1), factory))
        if ctx.engine.dialect.name == "sqlite":  # replayed after each sequence (cheap on SQLite)
            assert replayed_state(ctx, f"sqlite:///{tmp_path / f'replay-{n}.db'}") == register_state(ctx)

    examples()
    # the sequences are not degenerate: most kinds of change made it into the log
    assert len(set(KINDS_SEEN)) >= 10, Counter(KINDS_SEEN)
    # the whole log of every sequence, into a new SQLite file or, on PostgreSQL, a new PostgreSQL database
    for url in target_url(ctx, tmp_path):
        assert replayed_state(ctx, url) == register_state(ctx)


def test_the_state_on_a_past_date_does_not_change_when_later_slips_are_accepted(ctx):
    counter = iter(range(100, 1000))
    past = D(2026, 2, 28)

    @EXAMPLES
    @given(before=st.lists(step, min_size=2, max_size=8), after=st.lists(step, min_size=2, max_size=12))
    def examples(before: list, after: list) -> None:
        area, s, pools, factory = new_register(ctx, next(counter))
        # slips about January and February, then slips about March and later; no relocation (a household's area
        # is not dated) and no reversal (a correction may change the past: that is what it is for)
        keep = [x for x in before if x[0] not in ("household_relocate", "reverse")]
        run(ctx, s, pools, keep, D(2026, 1, 1), factory)
        then = list(pools.households)
        seen = past_view(ctx, area, then, past)
        later = [x for x in after if x[0] not in ("household_relocate", "reverse")]
        KINDS_SEEN.extend(run(ctx, s, pools, later, D(2026, 3, 1), factory))
        assert past_view(ctx, area, then, past) == seen

    examples()
