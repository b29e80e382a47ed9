"""How each kind of event changes the dated state, and how its reversal undoes exactly that.

Every handler takes the event with its ``data``; on first application it completes ``data`` (ids of new
rows, rows it closes, old values) and on replay it finds them there, so both do the same thing.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from sqlalchemy import Connection, select, update

from danso.domain.events import REGISTERED, Event, last_day_before
from danso.domain.vntext import fold
from danso.storage.dialects import bulk_insert
from danso.storage.events_repo import (
    REGISTRATION_TABLES,
    _children_counts,
    _close_current_use,
    _close_membership,
    _close_open_pregnancy,
    _current_use,
    _delete,
    _insert,
    _new_id,
    _open_membership,
    _reopen,
    _restore_counts,
    _set_attributes,
    _typed,
    _undo_attributes,
    current_membership,
)
from danso.storage.tables import contraceptive_uses, households, memberships, persons, pregnancies

Handler = Callable[[Connection, Event, dict[str, int]], None]
MARRIED, DIVORCED = "2", "4"
HEAD = "01"


def _d(v: Any) -> dt.date | None:
    return dt.date.fromisoformat(v) if isinstance(v, str) else v


def _registered(conn: Connection, ev: Event, _taken: dict[str, int]) -> None:
    for name, table, columns in REGISTRATION_TABLES:
        rows = ev.data.get(name)
        if rows:
            bulk_insert(conn, table, columns, [_typed(table, columns, r) for r in rows])


def _new_person(conn: Connection, d: dict[str, Any], taken: dict[str, int], fields: dict[str, Any]) -> int:
    """Insert the person described by ``fields`` (once: the row with its id is kept in ``d['person_row']``)."""
    if "person_row" not in d:
        year, month, day = fields["birth"]
        d["person_row"] = {
            "id": _new_id(conn, persons, taken), "full_name": fields["full_name"],
            "name_folded": fold(fields["full_name"]), "sex": fields["sex"], "birth_year": year,
            "birth_month": month, "birth_day": day, "ethnicity": fields.get("ethnicity", "01"),
            "education": fields.get("education", ""), "marital": fields.get("marital", "1"),
            "cccd": fields.get("cccd"), "bhyt": fields.get("bhyt"), "disability": fields.get("disability", "0"),
            "mother_id": fields.get("mother_id"), "death_date": None}
    _insert(conn, persons, d["person_row"])
    return d["person_row"]["id"]


def _born(conn: Connection, ev: Event, taken: dict[str, int]) -> None:
    d = ev.data
    child = d["child"]
    pid = _new_person(conn, d, taken, {**child, "birth": [ev.event_date.year, ev.event_date.month,
                                                          ev.event_date.day], "mother_id": d["mother_id"],
                                       "marital": "1"})
    ev.person_id = pid
    _open_membership(conn, d, "membership", taken, person_id=pid, household_id=ev.household_id,
                     relation=child["relation"], residence=child.get("residence", "1"), valid_from=ev.event_date)
    if "pregnancy_closed" not in d:  # found and ended in one statement
        d["pregnancy_closed"] = _close_open_pregnancy(conn, d["mother_id"], ev.event_date, "delivery")
    elif d["pregnancy_closed"]:
        conn.execute(update(pregnancies).where(pregnancies.c.id == d["pregnancy_closed"]).values(
            end_date=ev.event_date, outcome="delivery"))
    d.setdefault("date", ev.event_date.isoformat())
    _children_counts(conn, d, d["mother_id"], child["sex"])


def _unborn(conn: Connection, ev: Event) -> None:
    d = ev.data
    _delete(conn, memberships, d["membership"]["id"])
    _delete(conn, persons, d["person_row"]["id"])
    if d.get("pregnancy_closed"):
        conn.execute(update(pregnancies).where(pregnancies.c.id == d["pregnancy_closed"]).values(
            end_date=None, outcome=None))
    _restore_counts(conn, d, d["mother_id"])


def _died(conn: Connection, ev: Event, _taken: dict[str, int]) -> None:
    d, pid = ev.data, ev.person_id
    conn.execute(update(persons).where(persons.c.id == pid).values(death_date=ev.event_date))
    _close_membership(conn, d, "membership_closed", pid, ev.event_date)
    if "use_closed" not in d:  # each found and ended in one statement
        u = _close_current_use(conn, pid, ev.event_date)
        d["use_closed"] = u.id if u else None
        d["pregnancy_closed"] = _close_open_pregnancy(conn, pid, ev.event_date, "death")
        return
    if d["use_closed"]:
        conn.execute(update(contraceptive_uses).where(contraceptive_uses.c.id == d["use_closed"])
                     .values(end_date=ev.event_date))
    if d["pregnancy_closed"]:
        conn.execute(update(pregnancies).where(pregnancies.c.id == d["pregnancy_closed"])
                     .values(end_date=ev.event_date, outcome="death"))


def _undied(conn: Connection, ev: Event) -> None:
    d = ev.data
    conn.execute(update(persons).where(persons.c.id == ev.person_id).values(death_date=None))
    _reopen(conn, memberships, "valid_to", (d.get("membership_closed") or [None])[0])
    _reopen(conn, contraceptive_uses, "end_date", d.get("use_closed"))
    if d.get("pregnancy_closed"):
        conn.execute(update(pregnancies).where(pregnancies.c.id == d["pregnancy_closed"])
                     .values(end_date=None, outcome=None))


def _moved_in(conn: Connection, ev: Event, taken: dict[str, int]) -> None:
    d = ev.data
    if d.get("new_person"):
        ev.person_id = _new_person(conn, d, taken, d["new_person"])
    _open_membership(conn, d, "membership", taken, person_id=ev.person_id, household_id=ev.household_id,
                     relation=d["relation"], residence=d.get("residence") or "1", valid_from=ev.event_date)


def _unmoved_in(conn: Connection, ev: Event) -> None:
    d = ev.data
    _delete(conn, memberships, d["membership"]["id"])
    if d.get("person_row"):
        _delete(conn, persons, d["person_row"]["id"])


def _moved_out(conn: Connection, ev: Event, _taken: dict[str, int]) -> None:
    _close_membership(conn, ev.data, "membership_closed", ev.person_id, ev.event_date)


def _reopen_closed(conn: Connection, ev: Event) -> None:
    _reopen(conn, memberships, "valid_to", (ev.data.get("membership_closed") or [None])[0])


def _move_member(conn: Connection, d: dict[str, Any], key: str, taken: dict[str, int], person_id: int,
                 household_id: int, relation: str, day: dt.date, residence: str | None = None) -> None:
    """Close the person's current membership and open one in ``household_id`` from ``day``."""
    if key not in d:
        m = current_membership(conn, person_id)
        d[key] = {"closed": None if m is None else [m.id, last_day_before(day, m.valid_from).isoformat()],
                  "residence": residence or (m.residence if m else "1")}
    sub = d[key]
    _close_membership(conn, sub, "closed", person_id, day)
    _open_membership(conn, sub, "opened", taken, person_id=person_id, household_id=household_id,
                     relation=relation, residence=sub["residence"], valid_from=day)


def _unmove_member(conn: Connection, sub: dict[str, Any]) -> None:
    _delete(conn, memberships, sub["opened"]["id"])
    _reopen(conn, memberships, "valid_to", (sub.get("closed") or [None])[0])


def _transferred(conn: Connection, ev: Event, taken: dict[str, int]) -> None:
    d = ev.data
    _move_member(conn, d, "move", taken, ev.person_id, d["to_household"], d["relation"], ev.event_date,
                 residence=d.get("residence"))


def _untransferred(conn: Connection, ev: Event) -> None:
    _unmove_member(conn, ev.data["move"])


def _info_changed(conn: Connection, ev: Event, taken: dict[str, int]) -> None:
    d = ev.data
    _set_attributes(conn, d, "changes", ev, ev.person_id, d.get("attributes", {}), taken)
    if d.get("residence") or d.get("relation"):
        if "membership_before" not in d:
            m = current_membership(conn, ev.person_id)
            d["membership_before"] = {"household_id": m.household_id, "relation": m.relation,
                                      "residence": m.residence}
        before = d["membership_before"]
        _move_member(conn, d, "move", taken, ev.person_id, before["household_id"],
                     d.get("relation") or before["relation"], ev.event_date,
                     residence=d.get("residence") or before["residence"])


def _uninfo_changed(conn: Connection, ev: Event) -> None:
    d = ev.data
    if d.get("move"):
        _unmove_member(conn, d["move"])
    _undo_attributes(conn, d.get("changes"), ev.person_id)


def _marital(value: str) -> Handler:
    def handler(conn: Connection, ev: Event, taken: dict[str, int]) -> None:
        d = ev.data
        _set_attributes(conn, d, "changes", ev, ev.person_id, {"marital": value}, taken)
        if d.get("spouse"):
            _set_attributes(conn, d, "spouse_changes", ev, d["spouse"], {"marital": value}, taken)
    return handler


def _unmarital(conn: Connection, ev: Event) -> None:
    d = ev.data
    _undo_attributes(conn, d.get("changes"), ev.person_id)
    if d.get("spouse"):
        _undo_attributes(conn, d.get("spouse_changes"), d["spouse"])


def _head_changed(conn: Connection, ev: Event, taken: dict[str, int]) -> None:
    d = ev.data
    _move_member(conn, d, "new_head_move", taken, d["new_head"], ev.household_id, HEAD, ev.event_date)
    if d.get("old_head"):
        _move_member(conn, d, "old_head_move", taken, d["old_head"], ev.household_id, d["old_head_relation"],
                     ev.event_date)


def _unhead_changed(conn: Connection, ev: Event) -> None:
    d = ev.data
    if d.get("old_head_move"):
        _unmove_member(conn, d["old_head_move"])
    _unmove_member(conn, d["new_head_move"])


def _method_started(conn: Connection, ev: Event, taken: dict[str, int]) -> None:
    d = ev.data
    if "use_closed" not in d:
        u = _current_use(conn, ev.person_id)
        d["use_closed"] = None if u is None else [u.id, last_day_before(ev.event_date, u.start_date).isoformat()]
        d["use"] = {"id": _new_id(conn, contraceptive_uses, taken), "person_id": ev.person_id, "method": d["method"],
                    "start_date": ev.event_date, "end_date": None}
    if d["use_closed"]:
        conn.execute(update(contraceptive_uses).where(contraceptive_uses.c.id == d["use_closed"][0])
                     .values(end_date=_d(d["use_closed"][1])))
    _insert(conn, contraceptive_uses, d["use"])


def _unmethod_started(conn: Connection, ev: Event) -> None:
    d = ev.data
    _delete(conn, contraceptive_uses, d["use"]["id"])
    _reopen(conn, contraceptive_uses, "end_date", (d.get("use_closed") or [None])[0])


def _method_stopped(conn: Connection, ev: Event, _taken: dict[str, int]) -> None:
    d = ev.data
    if "use_closed" not in d:  # found and ended in one statement
        u = _close_current_use(conn, ev.person_id, ev.event_date)
        d["use_closed"] = u.id if u else None
        d["method"] = u.method if u else None
    elif d["use_closed"]:
        conn.execute(update(contraceptive_uses).where(contraceptive_uses.c.id == d["use_closed"])
                     .values(end_date=ev.event_date))


def _unmethod_stopped(conn: Connection, ev: Event) -> None:
    _reopen(conn, contraceptive_uses, "end_date", ev.data.get("use_closed"))


def _pregnancy_started(conn: Connection, ev: Event, taken: dict[str, int]) -> None:
    d = ev.data
    if "pregnancy" not in d:
        d["pregnancy"] = {"id": _new_id(conn, pregnancies, taken), "person_id": ev.person_id,
                          "start_date": ev.event_date, "end_date": None, "outcome": None}
    _insert(conn, pregnancies, d["pregnancy"])


def _unpregnancy_started(conn: Connection, ev: Event) -> None:
    _delete(conn, pregnancies, ev.data["pregnancy"]["id"])


def _pregnancy_ended(conn: Connection, ev: Event, _taken: dict[str, int]) -> None:
    d = ev.data
    if "pregnancy_closed" not in d:  # found and ended in one statement
        d["pregnancy_closed"] = _close_open_pregnancy(conn, ev.person_id, ev.event_date, d["outcome"])
    elif d["pregnancy_closed"]:
        conn.execute(update(pregnancies).where(pregnancies.c.id == d["pregnancy_closed"])
                     .values(end_date=ev.event_date, outcome=d["outcome"]))


def _unpregnancy_ended(conn: Connection, ev: Event) -> None:
    if ev.data.get("pregnancy_closed"):
        conn.execute(update(pregnancies).where(pregnancies.c.id == ev.data["pregnancy_closed"])
                     .values(end_date=None, outcome=None))


def _household_row(conn: Connection, d: dict[str, Any], taken: dict[str, int], ev: Event) -> int:
    if "household_row" not in d:
        d["household_row"] = {"id": _new_id(conn, households, taken), **d["household"], "status": "active",
                              "established_on": ev.event_date, "dissolved_on": None}
    _insert(conn, households, d["household_row"])
    return d["household_row"]["id"]


def _household_created(conn: Connection, ev: Event, taken: dict[str, int]) -> None:
    d = ev.data
    hid = ev.household_id = _household_row(conn, d, taken, ev)
    d.setdefault("people", [{} for _ in d["members"]])
    for fields, sub in zip(d["members"], d["people"], strict=True):
        pid = _new_person(conn, sub, taken, fields)
        _open_membership(conn, sub, "membership", taken, person_id=pid, household_id=hid,
                         relation=fields["relation"], residence=fields.get("residence") or "1",
                         valid_from=ev.event_date)
    ev.person_id = d["people"][0]["person_row"]["id"]


def _unhousehold_created(conn: Connection, ev: Event) -> None:
    d = ev.data
    for sub in d["people"]:
        _delete(conn, memberships, sub["membership"]["id"])
        _delete(conn, persons, sub["person_row"]["id"])
    _delete(conn, households, d["household_row"]["id"])


def _household_split(conn: Connection, ev: Event, taken: dict[str, int]) -> None:
    d = ev.data
    new_id = _household_row(conn, d, taken, ev)
    d.setdefault("moves", [{} for _ in d["members"]])
    for (pid, relation), sub in zip(d["members"], d["moves"], strict=True):
        _move_member(conn, sub, "move", taken, pid, new_id, relation, ev.event_date)


def _unhousehold_split(conn: Connection, ev: Event) -> None:
    d = ev.data
    for sub in d["moves"]:
        _unmove_member(conn, sub["move"])
    _delete(conn, households, d["household_row"]["id"])


def _household_merged(conn: Connection, ev: Event, taken: dict[str, int]) -> None:
    d = ev.data
    d.setdefault("moves", [{} for _ in d["members"]])
    for (pid, relation), sub in zip(d["members"], d["moves"], strict=True):
        _move_member(conn, sub, "move", taken, pid, ev.household_id, relation, ev.event_date)
    conn.execute(update(households).where(households.c.id == d["merged_household"]).values(
        status="dissolved", dissolved_on=ev.event_date))


def _unhousehold_merged(conn: Connection, ev: Event) -> None:
    d = ev.data
    conn.execute(update(households).where(households.c.id == d["merged_household"]).values(
        status="active", dissolved_on=None))
    for sub in d["moves"]:
        _unmove_member(conn, sub["move"])


def _household_dissolved(conn: Connection, ev: Event, _taken: dict[str, int]) -> None:
    conn.execute(update(households).where(households.c.id == ev.household_id).values(
        status="dissolved", dissolved_on=ev.event_date))


def _unhousehold_dissolved(conn: Connection, ev: Event) -> None:
    conn.execute(update(households).where(households.c.id == ev.household_id).values(
        status="active", dissolved_on=None))


def _household_relocated(conn: Connection, ev: Event, _taken: dict[str, int]) -> None:
    d = ev.data
    if "before" not in d:
        h = conn.execute(select(households).where(households.c.id == ev.household_id)).one()
        d["before"] = {k: getattr(h, k) for k in d["changes"]}
    conn.execute(update(households).where(households.c.id == ev.household_id).values(**d["changes"]))


def _unhousehold_relocated(conn: Connection, ev: Event) -> None:
    conn.execute(update(households).where(households.c.id == ev.household_id).values(**ev.data["before"]))


def _nothing(_conn: Connection, _ev: Event, _taken: dict[str, int] | None = None) -> None:
    """Screenings and health checks are recorded in the log only; they change no state."""


APPLY: dict[str, Handler] = {
    REGISTERED: _registered, "born": _born, "died": _died, "moved_in": _moved_in, "moved_out": _moved_out,
    "transferred": _transferred, "info_changed": _info_changed, "married": _marital(MARRIED),
    "divorced": _marital(DIVORCED), "head_changed": _head_changed, "method_started": _method_started,
    "method_stopped": _method_stopped, "pregnancy_started": _pregnancy_started,
    "pregnancy_ended": _pregnancy_ended, "household_created": _household_created,
    "household_split": _household_split, "household_merged": _household_merged,
    "household_dissolved": _household_dissolved, "household_relocated": _household_relocated,
    "newborn_screened": _nothing, "prenatal_screened": _nothing, "elderly_checked": _nothing,
}

REVERT: dict[str, Callable[[Connection, Event], None]] = {
    "born": _unborn, "died": _undied, "moved_in": _unmoved_in, "moved_out": _reopen_closed,
    "transferred": _untransferred, "info_changed": _uninfo_changed, "married": _unmarital,
    "divorced": _unmarital, "head_changed": _unhead_changed, "method_started": _unmethod_started,
    "method_stopped": _unmethod_stopped, "pregnancy_started": _unpregnancy_started,
    "pregnancy_ended": _unpregnancy_ended, "household_created": _unhousehold_created,
    "household_split": _unhousehold_split, "household_merged": _unhousehold_merged,
    "household_dissolved": _unhousehold_dissolved, "household_relocated": _unhousehold_relocated,
    "newborn_screened": _nothing, "prenatal_screened": _nothing, "elderly_checked": _nothing,
}


def apply(conn: Connection, ev: Event) -> None:
    """Apply an event to the dated state (completing its data the first time)."""
    APPLY[ev.kind](conn, ev, {})


def revert(conn: Connection, ev: Event) -> None:
    """Undo exactly what ``apply`` did for this event."""
    REVERT[ev.kind](conn, ev)
