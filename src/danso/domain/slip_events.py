"""What an accepted slip records in the log: the event(s) built from its checked values and the facts of
the register. Pure: the storage adapter applies them (danso.storage.events_apply)."""
from __future__ import annotations

from typing import Any

from danso.domain import codes
from danso.domain.events import EVENT_OF_SLIP, Event
from danso.domain.identifiers import normalise_bhyt, normalise_cccd
from danso.domain.slip_rules import SlipFacts
from danso.domain.slips import ADDRESS_FIELDS

OUTCOMES = {"2": "miscarriage", "3": "abortion", "4": "delivery"}
PERSON_DEFAULTS = {"education": "", "marital": "1", "disability": "0", "residence": "1"}


def _new_person(values: dict[str, Any]) -> dict[str, Any]:
    out = {k: values[k] for k in ("full_name", "sex", "birth", "ethnicity", "relation") if k in values}
    for k, default in PERSON_DEFAULTS.items():
        out[k] = values.get(k) or default
    out["cccd"] = normalise_cccd(values["cccd"]) if values.get("cccd") else None
    out["bhyt"] = normalise_bhyt(values["bhyt"]) if values.get("bhyt") else None
    if out.get("birth") is not None:
        out["birth"] = list(out["birth"])
    return out


def _address(values: dict[str, Any]) -> dict[str, str]:
    return {f.name: values.get(f.name, "") for f in ADDRESS_FIELDS}


def build_events(f: SlipFacts, ids: dict[str, int], *, area_id: int) -> list[Event]:
    """The events of an accepted slip. ``ids``: the persons and households the slip names, resolved."""
    v, day = f.values, f.values["date"]
    kind = EVENT_OF_SLIP.get(f.kind, "")
    person = ids.get("person")
    current = f.person.household_id if f.person else None
    if f.kind == "birth":
        child = {"full_name": v["full_name"], "sex": v["sex"], "ethnicity": v["ethnicity"],
                 "relation": v["relation"], "residence": "1",
                 "bhyt": normalise_bhyt(v["bhyt"]) if v.get("bhyt") else None,
                 "cccd": normalise_cccd(v["cccd"]) if v.get("cccd") else None}
        return [Event(kind, day, None, ids["household"], {"mother_id": ids["mother"], "child": child,
                                                           "place": v["place"], "birth_order": v["birth_order"]})]
    if f.kind == "move_in":
        data: dict[str, Any] = {"origin": v["origin"], "relation": v["relation"], "residence": v.get("residence", "1")}
        if person is None:
            data["new_person"] = _new_person(v)
        return [Event(kind, day, person, ids["household"], data)]
    if f.kind == "move_out":
        return [Event(kind, day, person, current, {"destination": v["destination"]})]
    if f.kind == "transfer":
        return [Event(kind, day, person, ids["to_household"], {"to_household": ids["to_household"],
                                                                "from_household": current,
                                                                "relation": v["relation"]})]
    if f.kind == "info_change":
        attrs = {k: v[k] for k in ("full_name", "education", "marital", "ethnicity", "disability") if k in v}
        if "cccd" in v:
            attrs["cccd"] = normalise_cccd(v["cccd"])
        if "bhyt" in v:
            attrs["bhyt"] = normalise_bhyt(v["bhyt"])
        return [Event(kind, day, person, current, {"attributes": attrs, "residence": v.get("residence"),
                                                   "relation": v.get("relation")})]
    if f.kind in ("marriage", "divorce"):
        spouse = ids.get("spouse")
        return [Event(kind, day, person, current, {"spouse": spouse, "touches": [spouse] if spouse else []})]
    if f.kind == "head_change":
        h = f.households["household"]
        old = h.head_id
        return [Event(kind, day, ids["new_head"], ids["household"], {
            "new_head": ids["new_head"], "old_head": old, "old_head_relation": v["old_head_relation"],
            "touches": [old] if old else []})]
    if f.kind == "contraception_start":
        return [Event(kind, day, person, current, {"method": v["method"], "place": v["place"]})]
    if f.kind == "contraception_stop":
        return [Event(kind, day, person, current, {"reason": v.get("reason", "")})]
    if f.kind == "pregnancy":
        ends = v["event"] in codes.code_list(codes.PREGNANCY_EVENT).where("ends")
        return [Event("pregnancy_ended" if ends else "pregnancy_started", day, person, current,
                      {"event": v["event"], **({"outcome": OUTCOMES[v["event"]]} if ends else {})})]
    if f.kind == "newborn_screening":
        return [Event(kind, day, person, current, {"results": v["results"]})]
    if f.kind == "prenatal_screening":
        return [Event(kind, day, person, current, {"week": v["week"], "conditions": v["conditions"],
                                                   "place": v["place"]})]
    if f.kind in ("death", "elderly_checkup"):
        return [Event(kind, day, person, current, {"cause": v.get("cause", "")} if f.kind == "death" else {})]
    return _household_events(f, ids, area_id, kind)


def _household_events(f: SlipFacts, ids: dict[str, int], area_id: int, kind: str) -> list[Event]:
    v, day = f.values, f.values["date"]
    if f.kind == "household_new":
        return [Event(kind, day, None, None, {
            "household": {"area_id": area_id, "number": v["number"], "kind": v["kind"], **_address(v)},
            "origin": v["origin"], "members": [_new_person(m) for m in v["members"]]})]
    members = [[ids[f"members.{i}"], m["relation"]] for i, m in enumerate(v.get("members") or [])]
    if f.kind == "household_split":
        source = f.households["household"]
        return [Event(kind, day, members[0][0] if members else None, ids["household"], {
            "household": {"area_id": source.area_id, "number": v["number"], "kind": "1", **_address(v)},
            "members": members, "touches": [m[0] for m in members]})]
    if f.kind == "household_merge":
        return [Event(kind, day, None, ids["household"], {
            "merged_household": ids["merged_household"], "members": members,
            "touches": [m[0] for m in members]})]
    if f.kind == "household_dissolve":
        return [Event(kind, day, None, ids["household"], {})]
    if f.kind == "household_relocate":
        changes: dict[str, Any] = {k: v[k] for k in (a.name for a in ADDRESS_FIELDS) if k in v}
        if "number" in v:
            changes["number"] = v["number"]
        if ids.get("area"):
            changes["area_id"] = ids["area"]
        return [Event(kind, day, None, ids["household"], {"changes": changes})]
    raise ValueError(f"no event for slip kind {f.kind}")
