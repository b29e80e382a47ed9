"""Section III of a household's Sổ A0 page: the events of the household and of all its members (current and past)
read in one statement, whatever the number of members, and exactly those: an event that only names other
persons is left out even when their ids share digits with a member's (the log is searched as text first)."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import event

from danso.domain.access import Principal, Role
from danso.domain.events import to_json
from danso.services import accounts, scoped_slips
from danso.services import slips as svc
from danso.services.registry import household_sheet
from danso.storage import events_repo
from slip_factories import Slips, small_register

D = dt.date
PASSWORD = "mat-khau-rat-dai"
ADMIN = Principal(0, "admin", "admin", Role.ADMINISTRATOR, None)


def everyone(ctx, household: int) -> list[int]:  # noqa: ANN001
    """The household's current and past members, as the page lists them."""
    sheet = household_sheet(ctx, household)
    return [m.person.id for m in [*sheet.members, *sheet.past_members]]


def one_at_a_time(ctx, household: int, members: list[int]) -> list[int]:  # noqa: ANN001
    """Event ids of the household's history read subject by subject (the household, then each member)."""
    found = {e.id: e for e in svc.history(ctx, household_id=household)}
    for p in members:
        found.update({e.id: e for e in svc.history(ctx, person_id=p)})
    return [e.id for e in sorted(found.values(), key=lambda e: (e.event_date, e.id))]


def test_a_households_history_is_its_events_and_its_members_read_in_one_statement(ctx):
    reg = small_register(ctx, households=3)
    s = Slips(ctx, reg.area)
    f0, f1, f2 = reg.families
    married = s.event("marriage", person=f0.children[0], spouse=f1.children[0], date=D(2026, 1, 7), confirm=True)
    divorced = s.event("divorce", person=f0.head, spouse=f0.wife, date=D(2026, 1, 8))
    head = s.event("head_change", household=f0.household, date=D(2026, 1, 9), new_head=f0.wife,
                   old_head_relation="02")
    moved = s.event("transfer", person=f0.elder, date=D(2026, 2, 1), to_household=f1.household, relation="08")
    checkup = s.event("elderly_checkup", person=f0.elder, date=D(2026, 2, 3))
    born = s.event("birth", household=f1.household, date=D(2026, 3, 20), mother=f1.wife, full_name="Trần Bảo An",
                   sex="2", ethnicity="01", relation="03", place="1", birth_order=2)
    unrelated = s.event("divorce", person=f2.head, spouse=f2.wife, date=D(2026, 3, 21))
    accounts.create_user(ctx, "xa.hong.an", "Trần Văn Bình", "commune_officer", "11602", PASSWORD)
    officer = accounts.sign_in(ctx, "xa.hong.an", PASSWORD, "127.0.0.1")[0]

    reads: list[str] = []

    def record(conn, cursor, statement, *args) -> None:  # noqa: ANN001
        if "FROM events" in statement:
            reads.append(statement)

    for fam, expected, absent in (
            (f0, [married, divorced, head, moved, checkup], [born, unrelated]),
            (f1, [married, moved, checkup, born], [divorced, head, unrelated])):
        members = everyone(ctx, fam.household)
        reads.clear()
        event.listen(ctx.engine, "before_cursor_execute", record)
        try:
            history = scoped_slips.household_history(ctx, officer, fam.household, members)
        finally:
            event.remove(ctx.engine, "before_cursor_execute", record)
        assert len(reads) == 1
        ids = [e.id for e in history]
        assert ids == one_at_a_time(ctx, fam.household, members)
        assert {e.id for e in expected} <= set(ids) and not {e.id for e in absent} & set(ids)
        assert history[0].kind == "household_registered" and history[0].household_id == fam.household
        assert len(ids) == len(set(ids))
        assert [(e.event_date, e.id) for e in history] == sorted((e.event_date, e.id) for e in history)


def test_a_person_is_not_found_in_events_whose_text_only_holds_her_digits(ctx):
    """Ids of one digit appear in most of the log's text (other ids, row ids, dates): the text search finds
    candidates, and only the events that really name the person are kept."""
    reg = small_register(ctx, households=3)
    s = Slips(ctx, reg.area)
    f0, _f1, f2 = reg.families
    unrelated = s.event("divorce", person=f2.head, spouse=f2.wife, date=D(2026, 1, 8))
    text = to_json(unrelated.data)
    holding = [p for p in f0.members if str(p) in text]
    assert holding, (f0.members, text)  # a candidate of the text search for these persons
    for p in holding:
        assert unrelated.id not in [e.id for e in svc.history(ctx, person_id=p)]
    history = scoped_slips.household_history(ctx, ADMIN, f0.household, everyone(ctx, f0.household))
    assert unrelated.id not in [e.id for e in history]
    assert unrelated.id in [e.id for e in svc.history(ctx, person_id=f2.wife)]


def test_many_subjects_are_read_in_pieces_the_engine_can_bind(ctx):
    reg = small_register(ctx, households=2)
    f0 = reg.families[0]
    members = everyone(ctx, f0.household)
    with ctx.engine.connect() as conn:
        few = events_repo.for_subjects(conn, person_ids=members, household_ids=[f0.household])
        many = events_repo.for_subjects(conn, person_ids=[*range(10_000, 11_000), *members],
                                        household_ids=[f0.household, *range(20_000, 20_500)])
    assert few and [e.id for e in many] == [e.id for e in few]
