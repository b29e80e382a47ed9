"""/api/v1/slips: enter, list, read and review slips through the API, within each role's scope."""
from __future__ import annotations

import itertools

import pytest

from danso.domain import clock

_IDS = itertools.count(1)


def _body(area: str, person: int, **extra) -> dict:  # noqa: ANN003
    today = clock.today()
    return {"client_id": f"api-{next(_IDS)}", "kind": "elderly_checkup", "area": area,
            "month": today.strftime("%Y-%m"), "confirm": True,
            "data": {"person": person, "date": today.replace(day=1).strftime("%d/%m/%Y")}, **extra}


def test_a_collaborators_device_enters_a_slip_once_even_when_it_sends_it_twice(world, api_as):
    body = _body(world.area, world.elderly(world.area, newest_first=True)[0])
    first = api_as("ctv").post("/api/v1/slips", json=body)
    assert first.status_code == 201, first.text
    slip = first.json()
    assert slip["status"] == "submitted" and slip["status_label"] == "Chờ duyệt" and not slip["on_behalf"]
    again = api_as("ctv").post("/api/v1/slips", json=body)
    assert again.json()["id"] == slip["id"]
    listed = api_as("ctv").get("/api/v1/slips", params={"status": "submitted"}).json()
    assert slip["id"] in [s["id"] for s in listed]
    assert api_as("ctv").get(f"/api/v1/slips/{slip['id']}").json()["kind_label"] == \
        "Người cao tuổi khám sức khỏe định kỳ"


def test_the_commune_officer_accepts_through_the_api_and_a_second_decision_is_refused(world, api_as):
    person = world.elderly(world.area, newest_first=True)[1]
    slip = api_as("ctv").post("/api/v1/slips", json=_body(world.area, person)).json()
    r = api_as("xa").post(f"/api/v1/slips/{slip['id']}/review", json={"decision": "accept", "confirm": True})
    assert r.status_code == 200 and r.json()["status"] == "accepted"
    r = api_as("xa").post(f"/api/v1/slips/{slip['id']}/review", json={"decision": "reject", "reason": "x"})
    assert r.status_code == 422 and r.json()["error"]["code"] == "invalid_input"
    assert "không thể" in r.json()["error"]["problems"][0]


@pytest.mark.parametrize("role, read, review", [("ctv", 404, 403), ("xa_b", 404, 404), ("huyen", 200, 403),
                                                ("tinh", 200, 200), ("tinh_khac", 404, 404), ("quocgia", 403, 403),
                                                ("admin", 200, 200)])
def test_slips_are_read_and_reviewed_only_within_scope(world, api_as, role, read, review):
    person = world.elderly(world.other_area, newest_first=True)[0]
    slip = api_as("xa").post("/api/v1/slips", json=_body(world.other_area, person))
    assert slip.status_code == 201 and slip.json()["on_behalf"]  # entered by the officer for the collaborator
    sid = slip.json()["id"]
    assert api_as(role).get(f"/api/v1/slips/{sid}").status_code == read
    r = api_as(role).post(f"/api/v1/slips/{sid}/review", json={"decision": "return", "reason": "kiểm tra lại"})
    assert r.status_code == review
    if role == "ctv":  # her own area is another one: not even listed
        assert sid not in [s["id"] for s in api_as(role).get("/api/v1/slips").json()]


def test_a_slip_for_an_area_outside_the_scope_or_with_bad_fields_is_refused(world, api_as):
    r = api_as("ctv").post("/api/v1/slips", json=_body(world.other_area, 1))
    assert r.status_code == 404 and r.json()["error"]["code"] == "not_found"
    bad = _body(world.area, 1)
    bad["data"] = {"person": "không rõ", "date": "31/02/2026"}
    r = api_as("ctv").post("/api/v1/slips", json=bad)
    assert r.status_code == 422 and len(r.json()["error"]["problems"]) == 2
    r = api_as("ctv").get("/api/v1/slips", params={"page_size": 1000})
    assert r.status_code == 422
    assert api_as("huyen").post("/api/v1/slips", json=_body(world.area, 1)).status_code == 403
    # a province officer enters for a commune without a computer: in her province only, marked on behalf
    assert api_as("tinh_khac").post("/api/v1/slips", json=_body(world.area, 1)).status_code == 404
    r = api_as("tinh").post("/api/v1/slips", json=_body(world.area, world.elderly(world.area, newest_first=True)[2]))
    assert r.status_code == 201 and r.json()["on_behalf"] and r.json()["status"] == "submitted"
