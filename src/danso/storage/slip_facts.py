"""What the checks of a slip read from the register: the facts about the persons and households it names, and
the events already in force for them (duplicates).

``Register`` reads them statement by statement (one slip); ``ReadAhead`` reads them for a whole batch of slips
in a few set-based statements, then answers from memory — valid as long as nothing written meanwhile changes
them, which the batch guarantees (danso.services.slip_batches).
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import Connection

from danso.domain.identifiers import normalise_bhyt, normalise_cccd
from danso.domain.slip_rules import HouseholdFacts, PersonFacts
from danso.domain.slips import PersonRef, parse_payload
from danso.storage import events_repo, slips_repo


class Register:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def persons(self, ids: Sequence[int], on: dt.date) -> dict[int, PersonFacts]:
        return slips_repo.person_facts(self.conn, ids, on)

    def household(self, household_id: int, on: dt.date) -> HouseholdFacts | None:
        return slips_repo.household_facts(self.conn, household_id, on)

    def same_events(self, kinds: Sequence[str], person_id: int, day: dt.date) -> list[int]:
        """Ids of events in force of these kinds, for this person (subject), on this date."""
        return sorted(events_repo.same_events(self.conn, kinds, person_id, day))

    def births_of(self, mother_id: int, day: dt.date) -> list[int]:
        """Ids of birth events in force for this mother on this date."""
        return sorted(events_repo.births_of(self.conn, mother_id, day))


class ReadAhead(Register):
    """Facts read for many persons and households at once (``read``), answered from memory until ``forget``;
    anything not read ahead is read from the database as ``Register`` does. With ``since``, only the persons'
    events dated from that day are read ahead (a year of history holds a dozen health checks for each elderly
    person; the slips of a month ask about their own days): an earlier day is asked of the database."""

    def __init__(self, conn: Connection, on: dt.date, since: dt.date | None = None) -> None:
        super().__init__(conn)
        self.on = on
        self.since = since
        self.people: dict[int, PersonFacts] = {}
        self.households: dict[int, HouseholdFacts] = {}
        self.events: dict[int, list[tuple[int, str, dt.date]]] = {}
        self.births: dict[int, list[tuple[int, dt.date]]] = {}
        self.person_ids: set[int] = set()  # read ahead (known, or known not to exist)
        self.household_ids: set[int] = set()

    def read(self, person_ids: Iterable[int], household_ids: Iterable[int]) -> None:
        """Read what is not known yet about these persons and households, and the households of the persons."""
        new = sorted(set(person_ids) - self.person_ids)
        if new:
            self.people.update(slips_repo.person_facts(self.conn, new, self.on))
            for eid, kind, pid, day in events_repo.events_of_persons(self.conn, new, self.since):
                self.events.setdefault(pid, []).append((eid, kind, day))
            for eid, mother, day in events_repo.births_by_mothers(self.conn, new):
                self.births.setdefault(mother, []).append((eid, day))
            self.person_ids.update(new)
        wanted = set(household_ids) | {self.people[p].household_id for p in new if p in self.people}
        new_households = sorted(h for h in wanted - self.household_ids if h is not None)
        if new_households:
            self.households.update(slips_repo.households_facts(self.conn, new_households, self.on))
            self.household_ids.update(new_households)

    def forget(self, person_ids: Iterable[int], household_ids: Iterable[int]) -> None:
        """Drop what may have changed: these persons and households, and every member of these households."""
        households = set(household_ids)
        persons = set(person_ids)
        for h in households:
            if h in self.households:
                persons |= self.households[h].member_ids
        for p in persons:
            self.people.pop(p, None)
            self.events.pop(p, None)
            self.births.pop(p, None)
        for h in households:
            self.households.pop(h, None)
        self.person_ids -= persons
        self.household_ids -= households

    def persons(self, ids: Sequence[int], on: dt.date) -> dict[int, PersonFacts]:
        if on != self.on or not self.person_ids.issuperset(ids):
            return super().persons(ids, on)
        return {i: self.people[i] for i in ids if i in self.people}

    def household(self, household_id: int, on: dt.date) -> HouseholdFacts | None:
        if on != self.on or household_id not in self.household_ids:
            return super().household(household_id, on)
        return self.households.get(household_id)

    def same_events(self, kinds: Sequence[str], person_id: int, day: dt.date) -> list[int]:
        if person_id not in self.person_ids or (self.since is not None and day < self.since):
            return super().same_events(kinds, person_id, day)
        return sorted(e for e, k, d in self.events.get(person_id, ()) if k in kinds and d == day)

    def births_of(self, mother_id: int, day: dt.date) -> list[int]:
        if mother_id not in self.person_ids:
            return super().births_of(mother_id, day)
        return sorted(e for e, d in self.births.get(mother_id, ()) if d == day)


HOUSEHOLD_KEYS = ("household", "to_household", "merged_household")


def names_in(conn: Connection, kind: str, payload: dict[str, Any]) -> tuple[set[int], set[int], set[tuple[str, str]]]:
    """The persons, households and identifier numbers a slip names."""
    values, _ = parse_payload(kind, payload, "")
    if values is None:  # refused by its checks, which will say why
        return set(), set(), set()
    refs = [v for v in values.values() if isinstance(v, PersonRef)]
    refs += [m["person"] for m in values.get("members") or [] if isinstance(m.get("person"), PersonRef)]
    persons: set[int] = set()
    for ref in refs:
        persons |= ({int(ref.value)} if ref.by == "id"
                    else set(slips_repo.person_ids_by_identifier(conn, ref.by, ref.value)))
    households = {int(values[k]) for k in HOUSEHOLD_KEYS if values.get(k) is not None}
    numbers = set()
    for v in [values, *(values.get("members") or [])]:
        if v.get("cccd"):
            numbers.add(("cccd", normalise_cccd(v["cccd"])))
        if v.get("bhyt"):
            numbers.add(("bhyt", normalise_bhyt(v["bhyt"])))
    return persons, households, numbers
