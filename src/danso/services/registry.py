"""Use cases of the register: import household sheets, show a household, search persons, move a person,
and the population summary of any unit on any date."""
from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any

from danso.bootstrap import Context
from danso.domain import clock, codes
from danso.domain.events import REGISTERED, REGISTRATION_TABLES, Event, registration_data, to_json
from danso.domain.ages import AGE_GROUP_WIDTH, OPEN_AGE_GROUP
from danso.domain.identifiers import normalise_bhyt, normalise_cccd
from danso.domain.problems import InvalidInput, NotFound, Problem
from danso.domain.registry import HouseholdRecord, code_problems, household_problems
from danso.domain.sheets import parse_household_sheets
from danso.domain.units import Level, Unit
from danso.domain.vntext import fold
from danso.services.units import resolve
from danso.storage import events_repo, registry_repo, units_repo
from danso.storage.dialects import name_tokens


@dataclass
class ImportReport:
    households: list[int]
    persons: int


def import_households(ctx: Context, doc: Any, *, today: dt.date | None = None) -> ImportReport:
    """Record household sheets (format: docs/household-import.md). All or nothing: one problem anywhere and
    nothing is written; every problem is reported at once."""
    today = today or clock.today()
    records, problems = parse_household_sheets(doc)
    for i, h in enumerate(records, start=1):
        problems += household_problems(h, today=today, record=f"hộ {h.number}")
    problems += _duplicate_identifier_problems(records)
    with ctx.engine.begin() as conn:  # checked against the register too, so that every problem is listed
        events_repo.lock_register(conn)
        areas: dict[str, int] = {}
        for h in records:
            if h.area_code not in areas:
                try:
                    areas[h.area_code] = resolve(conn, h.area_code, today, Level.AREA, field="area").id
                except InvalidInput as e:
                    problems += [Problem(p.code, "area", f"hộ {h.number}", p.params) for p in e.problems]
        problems += _already_registered_problems(conn, records)
        if problems:
            raise InvalidInput(problems)
        ids = registry_repo.next_ids(conn)
        rows = _rows(records, areas, ids, today)
        registry_repo.insert_rows(conn, **rows)
        return ImportReport([r[0] for r in rows["households_rows"]], len(rows["persons_rows"]))


def _duplicate_identifier_problems(records: list[HouseholdRecord]) -> list[Problem]:
    seen: dict[tuple[str, str], str] = {}
    out = []
    for h in records:
        for i, m in enumerate(h.members, start=1):
            who = f"hộ {h.number}, người {i} ({m.person.full_name})"
            for fld, value in (("cccd", normalise_cccd(m.person.cccd or "")),
                               ("bhyt", normalise_bhyt(m.person.bhyt or ""))):
                if not value:
                    continue
                if (fld, value) in seen:
                    out.append(Problem("person.duplicate_in_file", fld, who, {"value": value, "other": seen[(fld, value)]}))
                seen[(fld, value)] = who
    return out


def _already_registered_problems(conn, records: list[HouseholdRecord]) -> list[Problem]:  # noqa: ANN001
    by_cccd = {normalise_cccd(m.person.cccd): (h, i, m) for h in records for i, m in enumerate(h.members, 1)
               if m.person.cccd}
    by_bhyt = {normalise_bhyt(m.person.bhyt): (h, i, m) for h in records for i, m in enumerate(h.members, 1)
               if m.person.bhyt}
    out = []
    for row in registry_repo.persons_by_identifiers(conn, by_cccd, by_bhyt):
        fld, (h, i, m) = ("cccd", by_cccd[row.cccd]) if row.cccd in by_cccd else ("bhyt", by_bhyt[row.bhyt])
        who = f"hộ {h.number}, người {i} ({m.person.full_name})"
        code = "person.in_other_household" if row.household_id else "person.already_registered"
        out.append(Problem(code, fld, who, {"person_id": row.id, "name": row.full_name,
                                            "household_id": row.household_id}))
    return out


def _rows(records: list[HouseholdRecord], areas: dict[str, int], ids: dict[str, int],
          today: dt.date) -> dict[str, list[tuple]]:
    """The rows of the imported sheets, with one registration event per household (the log it replays from)."""
    hid, pid, mid, cid = ids["household"], ids["person"], ids["membership"], ids["contraceptive"]
    gid, eid = ids["pregnancy"], ids["event"]
    recorded_at = dt.datetime.now(dt.timezone.utc)
    out: dict[str, list[tuple]] = {k: [] for k in ("households_rows", "persons_rows", "memberships_rows",
                                                   "contraceptive_rows", "reproductive_rows", "pregnancy_rows",
                                                   "event_rows")}
    for h in records:
        sheet: dict[str, list[tuple]] = {k: [] for k in REGISTRATION_TABLES}
        sheet["households"].append((hid, areas[h.area_code], h.number, h.kind, h.hamlet, h.alley, h.lane,
                                    h.sub_lane, h.house_no, h.street, "active", h.established_on, None))
        person_ids = [pid + k for k in range(len(h.members))]
        # mothers first (grandmothers before mothers), so that the foreign key to the mother holds row by row
        order = sorted(range(len(h.members)), key=lambda k: _generation(h, k))
        for k in order:
            m, p = h.members[k], h.members[k].person
            mother_id = person_ids[m.mother - 1] if m.mother else None
            sheet["persons"].append((person_ids[k], p.full_name, fold(p.full_name), p.sex, p.birth_year,
                                     p.birth_month, p.birth_day, p.ethnicity, p.education, p.marital,
                                     normalise_cccd(p.cccd) if p.cccd else None,
                                     normalise_bhyt(p.bhyt) if p.bhyt else None, p.disability, mother_id, None))
            sheet["memberships"].append((mid, person_ids[k], hid, m.relation, m.residence, m.since, None))
            mid += 1
            if m.contraceptive_method:
                sheet["contraceptive_uses"].append((cid, person_ids[k], m.contraceptive_method,
                                                    m.contraceptive_since, None))
                cid += 1
            if m.living_sons is not None or m.living_daughters is not None:
                sheet["reproductive_status"].append((person_ids[k], m.living_sons or 0, m.living_daughters or 0,
                                                     today))
            if m.pregnant:
                sheet["pregnancies"].append((gid, person_ids[k], today, None, None))
                gid += 1
        for name, key in zip(REGISTRATION_TABLES, ("households_rows", "persons_rows", "memberships_rows",
                                                   "contraceptive_rows", "reproductive_rows", "pregnancy_rows"),
                             strict=True):
            out[key] += sheet[name]
        out["event_rows"].append((eid, REGISTERED, today, recorded_at, None, None, hid,
                                  to_json(registration_data(sheet)), None, None))
        eid += 1
        pid += len(h.members)
        hid += 1
    return out


def _generation(h: HouseholdRecord, k: int) -> int:
    """How many mothers up from member ``k`` within the household (validation has refused cycles)."""
    n = 0
    while h.members[k].mother is not None and n < len(h.members):
        k, n = h.members[k].mother - 1, n + 1
    return n


@dataclass
class Member:
    person: Any
    relation: str
    residence: str
    valid_from: dt.date
    valid_to: dt.date | None
    contraception: list[Any] = field(default_factory=list)
    reproductive: Any = None
    pregnancies: list[Any] = field(default_factory=list)
    pregnant: bool = False  # on the sheet's date


@dataclass
class HouseholdSheet:
    household: Any
    area: Unit
    hierarchy: list[Unit]
    members: list[Member]
    past_members: list[Member]


def household_sheet(ctx: Context, household_id: int, on: dt.date | None = None) -> HouseholdSheet:
    """The Sổ A0 page of a household on ``on`` (today): address, members that day, women's follow-up, and the
    members who had left by then."""
    on = on or clock.today()
    with ctx.engine.connect() as conn:
        h = registry_repo.household(conn, household_id)
        if h is None:
            raise NotFound("household", household_id)
        rows = registry_repo.household_members(conn, household_id, None)
        uses, status, preg = registry_repo.women_followup(conn, [r.id for r in rows])
        before = registry_repo.values_before(conn, [r.id for r in rows], on)
        current, past = [], []
        for r in rows:
            r = _as_on(r, before.get(r.id, {}), on)
            pregnant = any(g.start_date <= on and (g.end_date is None or g.end_date > on) for g in preg.get(r.id, []))
            member = Member(r, r.relation, r.residence, r.valid_from, r.valid_to, uses.get(r.id, []),
                            status.get(r.id), preg.get(r.id, []), pregnant)
            if r.valid_from > on:
                continue  # joined after that date: not on the sheet of that day
            (current if r.valid_to is None or r.valid_to >= on else past).append(member)
        return HouseholdSheet(h, units_repo.get(conn, h.area_id),
                              [a.unit for a in units_repo.ancestors(conn, h.area_id, on)], current, past)


def _as_on(row: Any, old: dict[str, Any], on: dt.date) -> Any:
    """A member's line as it read on ``on``: basic information changed since then shows its old value, and a
    death after that date is not shown."""
    if not old and (row.death_date is None or row.death_date <= on):
        return row
    values = dict(row._mapping)
    values.update(old)
    if values.get("death_date") and values["death_date"] > on:
        values["death_date"] = None
    return SimpleNamespace(**values)


@dataclass
class PersonHit:
    id: int
    full_name: str
    sex: str
    birth: str
    cccd: str | None
    bhyt: str | None
    household_id: int | None
    household_number: str | None
    area_code: str | None


SEARCH_LIMIT = 50


def search_persons(ctx: Context, query: str, *, unit_code: str | None = None,
                   limit: int = SEARCH_LIMIT) -> list[PersonHit]:
    """Find persons by name (diacritics and case ignored: ``nguyen van a`` finds ``Nguyễn Văn A``),
    by CCCD or by BHYT number. ``unit_code`` keeps only the current members of households in that unit."""
    tokens = name_tokens(fold(query))
    if not tokens:
        raise InvalidInput([Problem("search.empty", "text", query)])
    with ctx.engine.connect() as conn:
        area_ids = None
        if unit_code:
            today = clock.today()
            root = resolve(conn, unit_code, today)
            area_ids = [a for a, _ in units_repo.areas_under(conn, root.id, today)]
        compact = "".join(tokens).upper()
        ids: list[int] = []
        # a number may be typed in groups ("031 085 001 234", "GD 4 31 3120000001"), as the import accepts it
        if compact.isdigit() or (len(compact) == 15 and (len(tokens) == 1 or compact[2:].isdigit())):
            ids = [r.id for r in registry_repo.persons_by_identifiers(
                conn, [compact] if compact.isdigit() else [], [compact])]
        if not ids:
            ids = registry_repo.search_person_ids(conn, tokens, limit, area_ids)
        rows = registry_repo.persons_with_household(conn, ids)
        if area_ids is not None:
            allowed = set(area_ids)
            rows = [r for r in rows if r.area_id in allowed]
    hits = [PersonHit(r.id, r.full_name, r.sex, _birth_text(r), r.cccd, r.bhyt, r.household_id,
                      r.household_number, r.area_code) for r in rows]
    q = fold(query)
    # exact name first, then names that start with what was typed, then the rest
    hits.sort(key=lambda h: (fold(h.full_name) != q, not fold(h.full_name).startswith(q), fold(h.full_name), h.id))
    return hits[:limit]


def _birth_text(r) -> str:  # noqa: ANN001
    if r.birth_month and r.birth_day:
        return f"{r.birth_day:02d}/{r.birth_month:02d}/{r.birth_year}"
    return str(r.birth_year)


def move_person(ctx: Context, person_id: int, to_household_id: int, *, on: dt.date, relation: str,
                residence: str = "1", actor: str = "") -> None:
    """The person leaves their current household (last day: the day before ``on``) and joins another;
    the history is kept. Recorded in the event log as a transfer (chuyển hộ), like an accepted slip."""
    from danso.services.slips import record_event

    problems: list[Problem] = []
    who = f"người {person_id}"
    problems += code_problems(codes.RELATION, relation, "relation", who)
    problems += code_problems(codes.RESIDENCE, residence, "residence", who)
    if on > clock.today():
        problems.append(Problem("date.future", "on", who, {"value": on}))
    if problems:
        raise InvalidInput(problems)
    with ctx.engine.begin() as conn:
        events_repo.lock_register(conn)
        p = registry_repo.person(conn, person_id)
        if p is None:
            raise NotFound("person", person_id)
        target = registry_repo.household(conn, to_household_id)
        if target is None:
            raise NotFound("household", to_household_id)
        history = registry_repo.person_memberships(conn, person_id)
        current = [m for m in history if m.valid_to is None]
        if current and current[0].household_id == to_household_id:
            raise InvalidInput([Problem("person.same_household", "to", who, {"household_id": to_household_id})])
        if any(m.valid_from >= on or (m.valid_to is not None and m.valid_to >= on) for m in history):
            raise InvalidInput([Problem("person.overlapping_membership", "on", who, {"value": on})])
        record_event(conn, Event("transferred", on, person_id, to_household_id, {
            "to_household": to_household_id, "from_household": current[0].household_id if current else None,
            "relation": relation, "residence": residence, "by": actor}), dt.datetime.now(dt.timezone.utc))


@dataclass
class Summary:
    unit: Unit
    on: dt.date
    households: int
    family_households: int
    persons: int
    by_sex: Counter
    pyramid: dict[int, Counter]  # age group → sex → persons
    communes: list[tuple[Unit, int, int, Counter]]  # commune, households, persons, by sex


def summary(ctx: Context, unit_code: str, on: dt.date | None = None) -> Summary:
    """Households and resident population (nhân khẩu thực tế thường trú) of a unit on a date: by sex,
    by 5-year age group and per commune, along the hierarchy in force on that date."""
    on = on or clock.today()
    resident = sorted(codes.code_list(codes.RESIDENCE).where("resident"))
    with ctx.engine.connect() as conn:
        root = resolve(conn, unit_code, on)
        people = registry_repo.resident_counts(conn, root.id, on, resident, AGE_GROUP_WIDTH, OPEN_AGE_GROUP)
        hh = registry_repo.household_counts(conn, root.id, on)
        commune_ids = {r.commune_id for r in people} | {r.commune_id for r in hh}
        commune_units = {cid: units_repo.get(conn, cid) for cid in commune_ids if cid is not None}
    by_sex: Counter = Counter()
    pyramid: dict[int, Counter] = {}
    per_commune: dict[int | None, list] = {}
    for r in people:
        by_sex[r.sex] += r.n
        pyramid.setdefault(int(r.age_group), Counter())[r.sex] += r.n
        entry = per_commune.setdefault(r.commune_id, [0, 0, Counter()])
        entry[1] += r.n
        entry[2][r.sex] += r.n
    total_hh = family = 0
    for r in hh:
        total_hh += r.n
        family += r.n if r.kind == "1" else 0
        per_commune.setdefault(r.commune_id, [0, 0, Counter()])[0] += r.n
    communes = sorted(((commune_units[c], v[0], v[1], v[2]) for c, v in per_commune.items() if c is not None),
                      key=lambda t: t[0].code)
    return Summary(root.unit, on, total_hh, family, sum(by_sex.values()), by_sex,
                   dict(sorted(pyramid.items())), communes)
