"""/api/v1/households: paginated lists and Sổ A0 sheets, within each role's scope only."""
from __future__ import annotations

import pytest

from danso.services import accounts

# who sees which household: the collaborator's area / another area of her commune / another commune
VISIBLE = {
    "ctv": (True, False, False),
    "xa": (True, True, False),
    "xa_b": (False, False, True),
    "huyen": (True, True, True),  # both demo communes were in Thành phố Hải Dương (288)
    "huyen_khac": (False, False, False),
    "tinh": (True, True, True),
    "tinh_khac": (False, False, False),
    "admin": (True, True, True),
}


@pytest.mark.parametrize("role", VISIBLE)
def test_a_household_sheet_is_served_only_within_the_scope_of_each_role(world, api_as, role):
    client = api_as(role)
    targets = (world.household, world.household_same_commune, world.household_other_commune)
    for household_id, visible in zip(targets, VISIBLE[role], strict=True):
        r = client.get(f"/api/v1/households/{household_id}")
        if visible:
            assert r.status_code == 200, r.text
            body = r.json()
            assert body["id"] == household_id and body["members"]
            assert {"full_name", "birth", "bhyt", "contraception"} <= body["members"][0].keys()
        else:
            assert r.status_code == 404, r.text
            assert r.json()["error"]["code"] == "not_found"
            assert "members" not in r.text


def test_a_national_viewer_sees_statistics_but_never_a_household(world, api_as):
    r = api_as("quocgia").get(f"/api/v1/households/{world.household}")
    assert r.status_code == 403
    assert r.json()["error"] == {"code": "forbidden", "message": "Vai trò của bạn không được phép làm việc này."}
    assert api_as("quocgia").get("/api/v1/households").status_code == 403


def test_a_household_that_does_not_exist_and_one_out_of_scope_get_the_same_answer(world, api_as):
    missing = api_as("ctv").get("/api/v1/households/999999")
    hidden = api_as("ctv").get(f"/api/v1/households/{world.household_other_commune}")
    assert missing.status_code == hidden.status_code == 404
    assert missing.json()["error"]["code"] == hidden.json()["error"]["code"] == "not_found"


def test_the_list_is_paginated_and_holds_only_the_households_of_the_scope(world, api_as):
    client = api_as("ctv")
    first = client.get("/api/v1/households", params={"page_size": 100}).json()
    assert first["page"] == 1 and first["page_size"] == 100 and first["total"] > 100
    assert first["pages"] == -(-first["total"] // 100)
    assert {h["area_code"] for h in first["items"]} == {world.area}
    second = client.get("/api/v1/households", params={"page": 2, "page_size": 100}).json()
    assert not {h["id"] for h in first["items"]} & {h["id"] for h in second["items"]}
    every = set()
    for page in range(1, first["pages"] + 1):
        every |= {h["id"] for h in client.get("/api/v1/households", params={"page": page, "page_size": 100})
                  .json()["items"]}
    assert len(every) == first["total"] and world.household in every


def test_a_commune_officer_lists_her_whole_commune_and_filters_by_area_and_number(world, api_as):
    client = api_as("xa")
    whole = client.get("/api/v1/households", params={"page_size": 1}).json()["total"]
    mine = client.get("/api/v1/households", params={"unit": world.area, "page_size": 1}).json()["total"]
    other = client.get("/api/v1/households", params={"unit": world.other_area, "page_size": 1}).json()["total"]
    assert whole == mine + other
    one = client.get("/api/v1/households", params={"unit": world.area, "number": "1"}).json()
    assert one["total"] == 1 and one["items"][0]["number"] == "1" and one["items"][0]["head_name"]


def test_filtering_by_an_area_outside_the_scope_is_not_found(world, api_as):
    r = api_as("ctv").get("/api/v1/households", params={"unit": world.other_area})
    assert r.status_code == 404 and r.json()["error"]["code"] == "not_found"


@pytest.mark.parametrize("params", [{"page": 0}, {"page_size": 0}, {"page_size": 500}, {"page": "abc"},
                                    {"unit": "31;drop"}])
def test_bad_paging_or_filters_get_a_vietnamese_json_error_not_a_crash(world, api_as, params):
    r = api_as("xa").get("/api/v1/households", params=params)
    assert r.status_code == 422
    error = r.json()["error"]
    assert error["code"] == "invalid_input" and error["message"] == "Dữ liệu không hợp lệ."
    assert error["problems"]


def test_every_read_of_households_through_the_api_is_recorded_as_an_export(world, api_as):
    client = api_as("tinh")
    client.get(f"/api/v1/households/{world.household_same_commune}")
    entries, _ = accounts.audit_entries(world.ctx, _admin(world), actor="tinh.demo", action="export.household")
    assert entries[0].target == f"household:{world.household_same_commune}"
    assert entries[0].ip == "testclient"


def _admin(world):  # noqa: ANN001, ANN202
    from danso.domain.access import Principal, Role

    return Principal(0, "admin", "admin", Role.ADMINISTRATOR, None)
