"""/api/v1/persons: search by name without diacritics, CCCD or BHYT, and one person, within scope only."""
from __future__ import annotations

import pytest

from danso.domain.vntext import fold


def _member(api_as, household_id):  # noqa: ANN001, ANN202
    return api_as("admin").get(f"/api/v1/households/{household_id}").json()["members"][0]


def test_a_collaborator_finds_a_person_of_her_area_by_name_without_diacritics(world, api_as):
    person = _member(api_as, world.household)
    r = api_as("ctv").post("/api/v1/persons/search", json={"text": fold(person["full_name"])})
    assert r.status_code == 200
    hits = r.json()
    assert person["person_id"] in [h["id"] for h in hits]
    assert {h["area_code"] for h in hits} == {world.area}


@pytest.mark.parametrize("role, visible", [("ctv", False), ("xa", False), ("xa_b", True), ("huyen", True),
                                           ("huyen_khac", False), ("tinh", True), ("tinh_khac", False),
                                           ("admin", True)])
def test_search_and_lookup_never_return_a_person_outside_the_scope(world, api_as, role, visible):
    person = _member(api_as, world.household_other_commune)
    client = api_as(role)
    for key in ("full_name", "bhyt"):
        if not person[key]:
            continue
        hits = client.post("/api/v1/persons/search", json={"text": person[key]}).json()
        assert (person["person_id"] in [h["id"] for h in hits]) is visible
    r = client.get(f"/api/v1/persons/{person['person_id']}")
    assert r.status_code == (200 if visible else 404)
    if visible:
        assert r.json()["household_id"] == world.household_other_commune


def test_a_national_viewer_may_not_search_persons(world, api_as):
    r = api_as("quocgia").post("/api/v1/persons/search", json={"text": "nguyen"})
    assert r.status_code == 403 and r.json()["error"]["code"] == "forbidden"


@pytest.mark.parametrize("body", [{"text": ""}, {"text": "  !!  "}, {}, {"text": "x" * 500}])
def test_an_empty_or_oversized_search_is_refused_in_vietnamese(world, api_as, body):
    r = api_as("xa").post("/api/v1/persons/search", json=body)
    assert r.status_code == 422
    assert r.json()["error"]["code"] == "invalid_input"


def test_a_person_that_does_not_exist_is_not_found(world, api_as):
    r = api_as("admin").get("/api/v1/persons/99999999")
    assert r.status_code == 404
    assert r.json()["error"]["message"] == "Không tìm thấy người mã 99999999 trong phạm vi của bạn."
