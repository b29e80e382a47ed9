"""Use cases of collection slips: enter, submit, accept, return, reject; and the event log behind them.

Life cycle (danso.domain.slips.TRANSITIONS): draft → submitted → accepted | returned (corrected, submitted
again) | rejected. Every use case is one transaction. Accepting a slip validates it again against the register
as it is now, appends its events to the log and applies them to the dated state in that same transaction.
Two officers accepting the same slip: the register's write lock orders them, and the second is told who
accepted it. Callers check the user's scope (danso.services.accounts) before calling.
"""
from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from sqlalchemy import Connection
from sqlalchemy.exc import DBAPIError, IntegrityError

from danso.bootstrap import Context
from danso.domain import clock
from danso.domain.events import Event
from danso.domain.identifiers import bhyt_problems, cccd_problems, normalise_bhyt, normalise_cccd
from danso.domain.problems import ConfirmationNeeded, DansoError, InvalidInput, NotFound, Problem, SlipConflict
from danso.domain.slip_events import build_events
from danso.domain.slip_rules import SlipFacts, check, errors, warnings
from danso.domain.slips import KINDS, PersonRef, Status, month_of, parse_month, parse_payload, transition_problem
from danso.domain.units import Level
from danso.services.units import resolve
from danso.storage import events_repo, slips_repo, units_repo
from danso.storage.events_apply import apply
from danso.storage.slip_facts import ReadAhead, Register, names_in


@dataclass
class SlipView:
    id: int
    client_id: str
    kind: str
    area_id: int
    area_code: str
    commune_id: int
    month: str
    status: Status
    payload: dict[str, Any]
    problems: list[dict[str, Any]]
    late: bool
    on_behalf: bool
    reason: str
    version: int
    created_by: str
    created_at: dt.datetime
    actions: list[Any] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)

    @property
    def label(self) -> str:
        return KINDS[self.kind].label


def _now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


def _record(slip_id: int | None) -> str:
    return f"phiếu {slip_id}" if slip_id else "phiếu mới"


# ---------------------------------------------------------------------------------------------------------
# entering and submitting


@dataclass
class NewSlip:
    """A slip as entered: by a collaborator's form, an import file or the API."""

    client_id: str
    kind: str
    area_code: str
    data: dict[str, Any]
    month: str = ""
    submit: bool = False


def create_slip(ctx: Context, *, client_id: str, kind: str, area_code: str, month: str, data: dict[str, Any],
                actor: str, on_behalf: bool = False, submit: bool = False, confirm: bool = False,
                today: dt.date | None = None) -> tuple[SlipView, bool]:
    """Enter a slip (a draft; submitted at once with ``submit``). Returns the slip and whether it was created:
    a ``client_id`` already recorded returns the slip recorded then (sending twice records once)."""
    views = import_slips(ctx, [NewSlip(client_id, kind, area_code, data, month, submit)], actor=actor,
                         on_behalf=on_behalf, confirm=confirm, today=today)
    return views[0]


def import_slips(ctx: Context, new: Sequence[NewSlip], *, actor: str, on_behalf: bool = False, confirm: bool = False,
                 today: dt.date | None = None) -> list[tuple[SlipView, bool]]:
    """Enter many slips in one transaction: every problem of every slip is reported and nothing is written,
    or all are recorded (those marked ``submit`` submitted). Slips already recorded (same client id) are
    returned as they are."""
    today = today or clock.today()
    problems: list[Problem] = []
    for i, n in enumerate(new, start=1):
        record = f"phiếu {str(n.client_id or '').strip() or f'thứ {i}'}"
        if not str(n.client_id or "").strip() or len(str(n.client_id)) > 64:
            problems.append(Problem("slip.client_id", "client_id", record, {"value": n.client_id}))
        if n.month and parse_month(n.month) is None:
            problems.append(Problem("slip.month", "month", record, {"value": n.month}))
        problems += parse_payload(n.kind, n.data, record)[1]
    if problems:
        raise InvalidInput(problems)
    out: list[tuple[SlipView, bool]] = []
    warned: list[Problem] = []
    with ctx.engine.begin() as conn:
        events_repo.lock_register(conn)
        register = _read_ahead(conn, new, today)
        for n in new:
            try:
                out.append(_create(conn, n, actor, on_behalf, confirm, today, register))
            except InvalidInput as e:
                problems += e.problems
            except ConfirmationNeeded as e:
                warned += e.problems
        if problems:  # leaving the block by an exception rolls the whole import back
            raise InvalidInput(problems)
        if warned:
            raise ConfirmationNeeded(warned)
    return out


def _read_ahead(conn: Connection, new: Sequence[NewSlip], today: dt.date) -> Register:
    """The register's facts about every person and household the slips name, read at once: entering and
    submitting slips changes nothing in the register, so they hold for the whole import."""
    if len(new) < 2:
        return Register(conn)
    register = ReadAhead(conn, today)
    named = [names_in(conn, n.kind, n.data) for n in new if n.submit]
    register.read({p for persons, _, _ in named for p in persons}, {h for _, hs, _ in named for h in hs})
    return register


def _create(conn: Connection, n: NewSlip, actor: str, on_behalf: bool, confirm: bool,
            today: dt.date, register: Register | None = None) -> tuple[SlipView, bool]:
    client_id = str(n.client_id).strip()
    existing = slips_repo.by_client_id(conn, client_id)
    if existing is not None:
        if existing.kind != n.kind or json.loads(existing.payload) != n.data:
            raise InvalidInput([Problem("slip.client_id_reused", "client_id", _record(existing.id),
                                        {"value": client_id})])
        return _view(conn, existing), False
    values, _ = parse_payload(n.kind, n.data, _record(None))
    assert values is not None  # checked by the caller
    area = resolve(conn, n.area_code, today, Level.AREA, field="area")
    commune_id = slips_repo.commune_of_area(conn, area.id, today)
    month = parse_month(n.month) if n.month else month_of(values["date"])
    sid = slips_repo.insert_slip(conn, client_id=client_id, kind=n.kind, area_id=area.id, commune_id=commune_id,
                                 month=month, payload=n.data, actor=actor, at=_now(), on_behalf=on_behalf)
    slips_repo.add_action(conn, sid, _now(), actor, "create", None, Status.DRAFT.value)
    if n.submit:
        try:
            _submit(conn, slips_repo.get(conn, sid), actor, confirm, today, register)
        except (InvalidInput, ConfirmationNeeded) as e:  # the slip is not kept: name it by its client id
            e.problems = [replace(p, record=p.record.replace(_record(sid), f"phiếu {client_id}", 1))
                          for p in e.problems]
            raise
    return _view(conn, slips_repo.get(conn, sid)), True


def update_slip(ctx: Context, slip_id: int, data: dict[str, Any], actor: str) -> SlipView:
    """Correct a draft or a returned slip."""
    with ctx.engine.begin() as conn:
        events_repo.lock_register(conn)
        row = _get(conn, slip_id)
        _allowed(row, "edit")
        _, problems = parse_payload(row.kind, data, _record(slip_id))
        if problems:
            raise InvalidInput(problems)
        if not slips_repo.set_status(conn, slip_id, row.version, {
                "payload": json.dumps(data, ensure_ascii=False), "updated_at": _now()}):
            raise _conflict(conn, slip_id)
        slips_repo.add_action(conn, slip_id, _now(), actor, "edit", row.status, row.status)
        return _view(conn, slips_repo.get(conn, slip_id))


def submit_slip(ctx: Context, slip_id: int, actor: str, *, confirm: bool = False,
                today: dt.date | None = None) -> SlipView:
    """Submit a draft (or a corrected returned slip) for review. Errors block; warnings need ``confirm``."""
    with ctx.engine.begin() as conn:
        events_repo.lock_register(conn)
        _submit(conn, _get(conn, slip_id), actor, confirm, today or clock.today())
        return _view(conn, slips_repo.get(conn, slip_id))


def _submit(conn: Connection, row: Any, actor: str, confirm: bool, today: dt.date,
            register: Register | None = None) -> None:
    _allowed(row, "submit")
    facts, _ids = gather_facts(conn, row, today, register=register)
    problems = check(facts)
    if errors(problems):
        raise InvalidInput(errors(problems))
    found = warnings(problems)
    if found and not confirm:
        raise ConfirmationNeeded(found)
    late = any(p.code == "slip.late" for p in found)
    if not slips_repo.set_status(conn, row.id, row.version, {
            "status": Status.SUBMITTED.value, "problems": _problems_json(found), "warnings_confirmed": bool(found),
            "late": late, "reason": "", "updated_at": _now()}):
        raise _conflict(conn, row.id)
    slips_repo.add_action(conn, row.id, _now(), actor, "submit", row.status, Status.SUBMITTED.value)


# ---------------------------------------------------------------------------------------------------------
# review


def accept_slip(ctx: Context, slip_id: int, actor: str, *, confirm: bool = False,
                today: dt.date | None = None) -> SlipView:
    """Accept a submitted slip: its events enter the log and the register changes, in one transaction."""
    with ctx.engine.begin() as conn:
        events_repo.lock_register(conn)
        _accept(conn, slip_id, actor, confirm, today or clock.today())
        return _view(conn, slips_repo.get(conn, slip_id))


@dataclass
class BatchResult:
    slip_id: int
    accepted: bool
    error: DansoError | None = None


def accept_slips(ctx: Context, slip_ids: Sequence[int], actor: str, *, confirm: bool = False,
                 today: dt.date | None = None, chunk: int = 1000,
                 progress: Callable[[int, int], None] | None = None) -> list[BatchResult]:
    """Accept many slips. Each slip is all or nothing: a slip that fails its checks is left as it was and
    reported with its reason, the others are accepted. Commits every ``chunk`` slips.

    A chunk is checked set-wise (danso.services.slip_batches: the register read ahead for many slips at once,
    the slips' statuses written together); should a write fail there, the chunk is rolled back and done again
    slip by slip, each in a savepoint of its own, so the failure stays with its slip."""
    today = today or clock.today()
    out: list[BatchResult] = []
    ids = list(slip_ids)
    for start in range(0, len(ids), chunk):
        part = ids[start:start + chunk]
        results = _accept_set_wise(ctx, part, actor, confirm, today) if len(set(part)) == len(part) else None
        if results is None:  # the same slip named twice, or a write failed: slip by slip
            with ctx.engine.begin() as conn:
                events_repo.lock_register(conn)
                results = [_accept_in_savepoint(conn, sid, actor, confirm, today) for sid in part]
        out += results
        if progress:
            progress(min(start + chunk, len(ids)), len(ids))
    return out


def _accept_set_wise(ctx: Context, part: list[int], actor: str, confirm: bool,
                     today: dt.date) -> list[BatchResult] | None:
    """A chunk accepted in waves, in one transaction; None (and nothing written) if a write failed there
    (SlipsChanged, an integrity error…)."""
    from danso.services.slip_batches import accept_batch

    try:
        with ctx.engine.begin() as conn:
            events_repo.lock_register(conn)
            return accept_batch(conn, part, actor, confirm, today)
    except (DansoError, DBAPIError):
        return None


def _accept_in_savepoint(conn: Connection, slip_id: int, actor: str, confirm: bool, today: dt.date) -> BatchResult:
    sp = conn.begin_nested()
    try:
        _accept(conn, slip_id, actor, confirm, today)
        sp.commit()
        return BatchResult(slip_id, True)
    except DansoError as e:
        sp.rollback()
        return BatchResult(slip_id, False, e)
    except IntegrityError as e:  # e.g. an identifier taken meanwhile: this slip only
        sp.rollback()
        return BatchResult(slip_id, False, InvalidInput([Problem(
            "slip.integrity", "data", _record(slip_id), {"error": str(e.orig).splitlines()[0]})]))


def _accept(conn: Connection, slip_id: int, actor: str, confirm: bool, today: dt.date) -> None:
    row = _get(conn, slip_id, for_update=True)
    facts, ids, found = check_acceptance(conn, row, confirm, today, Register(conn))
    at = _now()
    write_events(conn, row, facts, ids, at)
    if not slips_repo.set_status(conn, slip_id, row.version, accepted_values(row, found, at)):
        raise _conflict(conn, slip_id)
    slips_repo.add_action(conn, slip_id, at, actor, "accept", row.status, Status.ACCEPTED.value)


def check_acceptance(conn: Connection, row: Any, confirm: bool, today: dt.date,
                     register: Register) -> tuple[SlipFacts, dict[str, int], list[Problem]]:
    """Check a slip about to be accepted against the register as it is now: raises if it may not be
    accepted; returns its facts, the ids it names and the warnings found."""
    if row.status == Status.ACCEPTED.value:
        raise _conflict(conn, row.id)
    _allowed(row, "accept")
    facts, ids = gather_facts(conn, row, today, open_slips=False, register=register)
    problems = check(facts)
    if errors(problems):
        raise InvalidInput(errors(problems))
    found = warnings(problems)
    confirmed = {p["code"] for p in json.loads(row.problems)} if row.warnings_confirmed else set()
    if [p for p in found if p.code not in confirmed] and not confirm:
        raise ConfirmationNeeded(found)
    return facts, ids, found


def write_events(conn: Connection, row: Any, facts: SlipFacts, ids: dict[str, int], at: dt.datetime, *,
                 append: bool = True) -> list[Event]:
    """Apply the slip's events to the register and append them to the log (``append=False``: the caller
    appends them, e.g. a batch's events in one statement)."""
    evs = build_events(facts, ids, area_id=row.area_id)
    for ev in evs:
        ev.slip_id = row.id
        ev.id = events_repo.next_event_id(conn)
        apply(conn, ev)
    if append and evs:
        events_repo.append_many(conn, evs, at)
    return evs


def accepted_values(row: Any, found: list[Problem], at: dt.datetime) -> dict[str, Any]:
    """The slip's columns once accepted: late if its month was closed, the warnings confirmed."""
    late = bool(row.late) or any(p.code == "slip.late" for p in found)
    return {"status": Status.ACCEPTED.value, "late": late, "problems": _problems_json(found), "updated_at": at}


def return_slip(ctx: Context, slip_id: int, actor: str, reason: str) -> SlipView:
    """Send a submitted slip back to the collaborator, with the reason, to be corrected and resubmitted."""
    return _close(ctx, slip_id, actor, reason, "return", Status.RETURNED)


def reject_slip(ctx: Context, slip_id: int, actor: str, reason: str) -> SlipView:
    """Refuse a slip for good (e.g. a change that did not happen), with the reason."""
    return _close(ctx, slip_id, actor, reason, "reject", Status.REJECTED)


def _close(ctx: Context, slip_id: int, actor: str, reason: str, action: str, to: Status) -> SlipView:
    if not reason.strip():
        raise InvalidInput([Problem("slip.reason_missing", "reason", _record(slip_id))])
    with ctx.engine.begin() as conn:
        events_repo.lock_register(conn)
        row = _get(conn, slip_id, for_update=True)
        _allowed(row, action)
        if not slips_repo.set_status(conn, slip_id, row.version, {"status": to.value, "reason": reason.strip(),
                                                                 "updated_at": _now()}):
            raise _conflict(conn, slip_id)
        slips_repo.add_action(conn, slip_id, _now(), actor, action, row.status, to.value, reason.strip())
        return _view(conn, slips_repo.get(conn, slip_id))


# ---------------------------------------------------------------------------------------------------------
# the log


def record_event(conn: Connection, ev: Event, at: dt.datetime) -> int:
    """Append an event and apply it to the dated state, inside the caller's transaction."""
    ev.id = events_repo.next_event_id(conn)
    apply(conn, ev)
    return events_repo.append(conn, ev, at)


def reverse_event(ctx: Context, event_id: int, actor: str, reason: str) -> Event:
    """Cancel an event (a correction): a ``reversed`` event is appended and exactly what the event did is undone.
    Refused while later events about the same person or household are in force: reverse those first."""
    from danso.domain.events import REVERSED
    from danso.storage.events_apply import revert

    if not reason.strip():
        raise InvalidInput([Problem("slip.reason_missing", "reason", f"sự kiện {event_id}")])
    with ctx.engine.begin() as conn:
        events_repo.lock_register(conn)
        ev = events_repo.get(conn, event_id)
        if ev is None:
            raise NotFound("event", event_id)
        if ev.kind == REVERSED or ev.reversed_by is not None or ev.kind == "household_registered":
            raise InvalidInput([Problem("event.not_reversible", "event", f"sự kiện {event_id}",
                                        {"kind": ev.label})])
        later = events_repo.later_events(conn, ev)
        if later:
            raise InvalidInput([Problem("event.later_events", "event", f"sự kiện {event_id}",
                                        {"ids": ", ".join(str(e.id) for e in later)})])
        revert(conn, ev)
        rev = Event(REVERSED, ev.event_date, ev.person_id, ev.household_id, {"reason": reason.strip(), "by": actor},
                    ev.slip_id, reverses_id=ev.id)
        rev.id = events_repo.next_event_id(conn)
        events_repo.append(conn, rev, _now())
        events_repo.stamp_reversed(conn, ev.id, rev.id)
        return rev


def history(ctx: Context, *, person_id: int | None = None, household_id: int | None = None) -> list[Event]:
    """Every event about a person or a household, in the order they happened."""
    with ctx.engine.connect() as conn:
        return events_repo.for_subject(conn, person_id=person_id, household_id=household_id)


def close_month(ctx: Context, commune_code: str, month: str, actor: str) -> None:
    """Close a commune's month (its report approved): slips landing in it from now on are marked late."""
    the_month = parse_month(month)
    if the_month is None:
        raise InvalidInput([Problem("slip.month", "month", commune_code, {"value": month})])
    with ctx.engine.begin() as conn:
        commune = resolve(conn, commune_code, _month_end(the_month), Level.COMMUNE, field="commune")
        slips_repo.close_month(conn, commune.id, the_month, actor, _now())


def _month_end(month: str) -> dt.date:
    y, m = int(month[:4]), int(month[5:])
    return dt.date(y + m // 12, m % 12 + 1, 1) - dt.timedelta(days=1)


# ---------------------------------------------------------------------------------------------------------
# reading


def get_slip(ctx: Context, slip_id: int) -> SlipView:
    with ctx.engine.connect() as conn:
        view = _view(conn, _get(conn, slip_id))
        view.actions = slips_repo.actions(conn, slip_id)
        view.events = [e for e in events_repo.for_slip(conn, slip_id)]
        return view


def list_slips(ctx: Context, *, unit_code: str | None = None, month: str | None = None,
               statuses: Sequence[str] | None = None, limit: int = 500, offset: int = 0) -> list[SlipView]:
    """Slips of a unit (a commune, or any unit above or below it) for a month, by status."""
    the_month = parse_month(month) if month else None
    if month and the_month is None:
        raise InvalidInput([Problem("slip.month", "month", "", {"value": month})])
    bad = [s for s in statuses or () if s not in Status.__members__.values()]
    if bad:
        raise InvalidInput([Problem("slip.status_unknown", "status", "", {"value": ", ".join(bad)})])
    with ctx.engine.connect() as conn:
        commune_ids = area_ids = None
        if unit_code:
            today = clock.today()
            root = resolve(conn, unit_code, today)
            if root.unit.level in (Level.VILLAGE, Level.AREA):
                area_ids = [a for a, _ in units_repo.areas_under(conn, root.id, today)]
            else:
                commune_ids = sorted({c for _, c in units_repo.areas_under(conn, root.id, today)
                                      if c is not None} | ({root.id} if root.unit.level == Level.COMMUNE else set()))
        rows = slips_repo.listing(conn, commune_ids=commune_ids, area_ids=area_ids, month=the_month,
                                  statuses=statuses, limit=limit, offset=offset)
        return [_view(conn, r, r.area_code) for r in rows]


# ---------------------------------------------------------------------------------------------------------
# facts


def gather_facts(conn: Connection, row: Any, today: dt.date, *, open_slips: bool = True,
                 register: Register | None = None) -> tuple[SlipFacts, dict[str, int]]:
    """Parse the slip, resolve the persons and households it names, and collect what the rules look at.
    ``open_slips``: also look for duplicates among the area's slips not yet accepted (at submission; at
    acceptance the log is enough, since the first of two duplicates accepted is in it)."""
    record = _record(row.id)
    payload = json.loads(row.payload)
    values, problems = parse_payload(row.kind, payload, record)
    if values is None:
        raise InvalidInput(problems)
    ids: dict[str, int] = {}
    refs: dict[str, PersonRef] = {k: v for k, v in values.items() if isinstance(v, PersonRef)}
    for i, m in enumerate(values.get("members") or []):
        if isinstance(m.get("person"), PersonRef):
            refs[f"members.{i}"] = m["person"]
    for key, ref in refs.items():
        pid = _resolve_person(conn, ref, key, record, problems)
        if pid is not None:
            ids[key] = pid
    for key in ("household", "to_household", "merged_household"):
        if key in values:
            ids[key] = values[key]
    if values.get("area"):
        try:
            ids["area"] = resolve(conn, values["area"], today, Level.AREA, field="area").id
        except InvalidInput as e:
            problems += e.problems
    if problems:
        raise InvalidInput(problems)
    register = register or Register(conn)
    facts = SlipFacts(row.kind, values, today, record, row.commune_id)
    people = register.persons([v for k, v in ids.items() if k not in
                               ("household", "to_household", "merged_household", "area")], today)
    unknown = [Problem("slip.person_unknown", key.split(".")[0], record, {"value": str(ref)})
               for key, ref in refs.items()
               if ids.get(key) not in people or _elsewhere(people[ids[key]], row, key)]
    if unknown:
        raise InvalidInput(unknown)
    for key, pid in ids.items():
        if key.startswith("members."):
            facts.members.append(people[pid])
        elif key in refs:
            facts.persons[key] = people[pid]
    for key in ("household", "to_household", "merged_household"):
        if key in ids:
            h = register.household(ids[key], today)
            if h is None or (h.commune_id is not None and h.commune_id != row.commune_id):
                problems.append(Problem("slip.household_unknown", key, record, {"value": ids[key]}))
            else:
                facts.households[key] = h
    problems += _identifier_problems(conn, row, values, facts, record, today)
    if "area" in ids and slips_repo.commune_of_area(conn, ids["area"], today) != row.commune_id:
        problems.append(Problem("relocate.other_commune", "area", record, {"value": values["area"]}))
    if problems:
        raise InvalidInput(problems)
    facts.duplicate_of = _duplicate(conn, row, facts, open_slips, register)
    event_month = month_of(values["date"])
    for m in sorted({event_month, row.month}):
        if slips_repo.is_closed(conn, row.commune_id, m):
            facts.closed_month = m
    return facts, ids


def _elsewhere(p: Any, row: Any, key: str) -> bool:
    """Whether a person named by a slip belongs to another commune than the slip's: for the slip, someone not
    in the register (the commune's officer and collaborator may not learn who they are, not even their name in a
    message). A person moving in may come from anywhere, but not from a household they still live in."""
    commune = p.commune_id if (row.kind == "move_in" and key == "person") else (p.commune_id or p.home_commune_id)
    return commune is not None and commune != row.commune_id


def _resolve_person(conn: Connection, ref: PersonRef, key: str, record: str, problems: list[Problem]) -> int | None:
    if ref.by == "id":
        return int(ref.value)  # checked with the person's facts (one query for all the slip names)
    ids = slips_repo.person_ids_by_identifier(conn, ref.by, ref.value)
    if len(ids) == 1:
        return ids[0]
    field_name = key.split(".")[0] if key.startswith("members.") else key
    problems.append(Problem("slip.person_unknown", field_name, record, {"value": str(ref)}))
    return None


def _identifier_problems(conn: Connection, row: Any, values: dict[str, Any], facts: SlipFacts, record: str,
                         today: dt.date) -> list[Problem]:
    """CCCD/BHYT numbers entered on a slip: well formed, consistent with sex and birth year, not someone else's
    (whose name is given only if they belong to the slip's commune)."""
    kind = row.kind
    out: list[Problem] = []
    people: list[tuple[dict[str, Any], str]] = []
    if kind in ("birth", "move_in", "info_change"):
        people.append((values, record))
    for i, m in enumerate(values.get("members") or [], start=1):
        if kind == "household_new":
            people.append((m, f"{record}, người {i}"))
    seen: dict[tuple[str, str], str] = {}  # the same number given to two members of a new household
    for v, who in people:
        for fld, value in (("cccd", normalise_cccd(v.get("cccd") or "")),
                           ("bhyt", normalise_bhyt(v.get("bhyt") or ""))):
            if value and (fld, value) in seen:
                out.append(Problem("person.duplicate_in_file", fld, who, {"value": value,
                                                                          "other": seen[(fld, value)]}))
            seen.setdefault((fld, value), who)
        p = facts.person
        sex = v.get("sex") or (p.sex if p else None)
        year = (v["birth"][0] if v.get("birth") else None) or (values["date"].year if kind == "birth" else None) \
            or (p.birth_year if p else None)
        if v.get("cccd"):
            out += cccd_problems(v["cccd"], sex=sex, birth_year=year, record=who)
        if v.get("bhyt"):
            out += bhyt_problems(v["bhyt"], record=who)
        owner = slips_repo.identifier_owner(conn, normalise_cccd(v["cccd"]) if v.get("cccd") else None,
                                            normalise_bhyt(v["bhyt"]) if v.get("bhyt") else None)
        if owner is not None and not (p and owner.id == p.id):
            field_name = "cccd" if v.get("cccd") else "bhyt"
            facts_of_owner = slips_repo.person_facts(conn, [owner.id], today).get(owner.id)
            if facts_of_owner is not None and _elsewhere(facts_of_owner, row, ""):
                out.append(Problem("person.registered_elsewhere", field_name, who))
            else:
                out.append(Problem("person.already_registered", field_name, who,
                                   {"person_id": owner.id, "name": owner.full_name}))
    return out


def _duplicate(conn: Connection, row: Any, facts: SlipFacts, open_slips: bool, register: Register) -> str | None:
    from danso.domain.events import EVENT_OF_SLIP

    subject = facts.persons.get("mother") if row.kind == "birth" else facts.person
    if subject is None:
        return None
    if row.kind == "birth":
        same = register.births_of(subject.id, facts.date)
    else:
        kinds = ("pregnancy_started", "pregnancy_ended") if row.kind == "pregnancy" else (EVENT_OF_SLIP[row.kind],)
        same = register.same_events(kinds, subject.id, facts.date)
    if same:
        return f"sự kiện {same[0]}"
    if not open_slips:
        return None
    others = slips_repo.open_duplicates(conn, row.id, row.area_id, row.kind, subject.id, facts.date,
                                        key="mother" if row.kind == "birth" else "person")
    return f"phiếu {others[0]}" if others else None


# ---------------------------------------------------------------------------------------------------------


def _get(conn: Connection, slip_id: int, for_update: bool = False) -> Any:
    row = slips_repo.get(conn, slip_id, for_update=for_update)
    if row is None:
        raise NotFound("slip", slip_id)
    return row


def _allowed(row: Any, action: str) -> None:
    p = transition_problem(action, Status(row.status), _record(row.id))
    if p:
        raise InvalidInput([p])


def _conflict(conn: Connection, slip_id: int) -> SlipConflict:
    row = slips_repo.get(conn, slip_id)
    acts = slips_repo.actions(conn, slip_id)
    return SlipConflict(slip_id, Status(row.status).label, acts[-1].actor if acts else "")


def _problems_json(problems: list[Problem]) -> str:
    from danso.domain.events import to_json

    return to_json([{"code": p.code, "field": p.field, "severity": p.severity, "params": p.params}  # type: ignore[arg-type]
                    for p in problems])


def _view(conn: Connection, row: Any, area_code: str | None = None) -> SlipView:
    code = area_code or units_repo.get(conn, row.area_id).code
    return SlipView(row.id, row.client_id, row.kind, row.area_id, code, row.commune_id, row.month, Status(row.status),
                    json.loads(row.payload), json.loads(row.problems), bool(row.late), bool(row.on_behalf), row.reason,
                    row.version, row.created_by, row.created_at)


@dataclass
class ReplayReport:
    events: int
    seconds: float
    identical: bool
    differences: dict[str, tuple[Any, Any]] = field(default_factory=dict)


def replay_log(ctx: Context, into_url: str) -> ReplayReport:
    """Rebuild the register from the event log alone in an empty database (``into_url``) and compare the two,
    table by table (row counts and a hash of every row)."""
    import time

    from danso.storage import replay
    from danso.storage.engine import make_engine
    from danso.storage.schema import upgrade

    target = make_engine(into_url)
    try:
        upgrade(target)
        with target.connect() as conn:
            if replay.fingerprint(conn)["persons"][0] or events_repo.next_event_id(conn) > 1:
                raise InvalidInput([Problem("replay.not_empty", "into", into_url)])
        started = time.perf_counter()
        n = replay.replay(ctx.engine, target)
        seconds = time.perf_counter() - started
        with ctx.engine.connect() as a, target.connect() as b:
            fa, fb = replay.fingerprint(a), replay.fingerprint(b)
    finally:
        target.dispose()
    diff = {k: (fa[k], fb[k]) for k in fa if fa[k] != fb[k]}
    return ReplayReport(n, seconds, not diff, diff)
