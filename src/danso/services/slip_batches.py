"""Accepting a batch of slips set-wise (a commune's month: thousands of slips at once).

Accepting slip by slip costs about ten statements a slip (read it, read the facts about whom it names, look for
duplicates, write its events, its status, its action), each a round trip to PostgreSQL. Here a batch is taken
in *waves*: the register's facts for the slips are read ahead in a few set-based statements
(danso.storage.slip_facts.ReadAhead), each slip of a wave is checked in Python exactly as a single slip is
(danso.services.slips.check_acceptance), the events of the valid ones are applied in order, and their statuses
and actions are written in one statement each.

A wave is the longest run of slips, in the order given, none of which can change what a later one of the run is
checked against. A slip *owns* the persons it names (subject, mother, spouse, members), the households it names
and the CCCD/BHYT numbers it gives; it *reads* the households of the persons it names and their mothers (a
child's death changes the mother's living children). The run stops at the first slip owning something an
earlier slip of the run owns or reads, or reading something one owns. After each wave the facts it may have
changed are forgotten and read again. So slips are checked and applied in the order given, against exactly the
register they would have seen one by one: same results, same ids, same state.
"""
from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection

from danso.domain.problems import DansoError, NotFound
from danso.domain.slips import Status
from danso.services.slips import BatchResult, _now, accepted_values, check_acceptance, write_events
from danso.storage import events_repo, slips_repo
from danso.storage.slip_facts import ReadAhead, names_in

def accept_batch(conn: Connection, slip_ids: Sequence[int], actor: str, confirm: bool,
                 today: dt.date) -> list[BatchResult]:
    """Accept these slips (each named once) inside the caller's transaction, which holds the register's lock.
    A slip failing its checks is reported and left as it was; a failing write raises (the caller rolls back)."""
    rows = slips_repo.get_many(conn, slip_ids, for_update=True)
    results: dict[int, BatchResult] = {sid: BatchResult(sid, False, NotFound("slip", sid))
                                       for sid in slip_ids if sid not in rows}
    pending = [rows[sid] for sid in slip_ids if sid in rows]
    named = {row.id: names_in(conn, row.kind, json.loads(row.payload)) for row in pending}
    # the persons' events read ahead from the first day of the earliest month the slips are for
    months = sorted(row.month for row in pending if row.month)
    register = ReadAhead(conn, today, dt.date.fromisoformat(months[0] + "-01") if months else None)
    i = 0
    while i < len(pending):
        rest = pending[i:]
        register.read({p for row in rest for p in named[row.id][0]}, {h for row in rest for h in named[row.id][1]})
        wave: list[Any] = []
        owned: set[tuple[str, Any]] = set()
        read: set[tuple[str, Any]] = set()
        for row in rest:
            owns, reads = _keys(named[row.id], register)
            if owns & (owned | read) or reads & owned:
                break
            wave.append(row)
            owned |= owns
            read |= reads
        _accept_wave(conn, wave, register, actor, confirm, today, results)
        register.forget({k for tag, k in owned | read if tag == "p"}, {k for tag, k in owned | read if tag == "h"})
        i += len(wave)
    return [results[sid] for sid in slip_ids]


def _accept_wave(conn: Connection, wave: list[Any], register: ReadAhead, actor: str, confirm: bool,
                 today: dt.date, results: dict[int, BatchResult]) -> None:
    checked = []
    for row in wave:
        try:
            checked.append((row, *check_acceptance(conn, row, confirm, today, register)))
        except DansoError as e:
            results[row.id] = BatchResult(row.id, False, e)
    if not checked:
        return
    at = _now()
    with events_repo.inserts_deferred(conn):  # the wave's new rows written per table at the end
        evs = [ev for row, facts, ids, _found in checked
               for ev in write_events(conn, row, facts, ids, at, append=False)]
    if evs:
        events_repo.append_many(conn, evs, at)
    if not slips_repo.set_status_many(conn, [(row.id, row.version, accepted_values(row, found, at))
                                             for row, _f, _i, found in checked]):
        raise SlipsChanged()
    slips_repo.add_actions(conn, [(row.id, at, actor, "accept", row.status, Status.ACCEPTED.value, "")
                                  for row, *_ in checked])
    for row, *_ in checked:
        results[row.id] = BatchResult(row.id, True)


class SlipsChanged(DansoError):
    """A slip of the batch changed after it was read (cannot happen while the register's lock is held): the
    caller rolls the batch back and accepts its slips one by one."""


def _keys(named: tuple[set[int], set[int], set[tuple[str, str]]],
          register: ReadAhead) -> tuple[set[tuple[str, Any]], set[tuple[str, Any]]]:
    """What a slip owns and what it reads besides (see the module's docstring)."""
    persons, households, numbers = named
    owns: set[tuple[str, Any]] = {("p", p) for p in persons} | {("h", h) for h in households}
    owns |= {("n", n) for n in numbers}
    reads: set[tuple[str, Any]] = set()
    for p in persons:
        facts = register.people.get(p)
        if facts is not None:
            reads |= {("h", facts.household_id), ("p", facts.mother_id)}
    reads -= {("h", None), ("p", None)}
    return owns, reads - owns
