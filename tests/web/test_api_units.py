"""/api/v1/units and /api/v1/me: units in scope, their statistics, and who the token is."""
from __future__ import annotations

import pytest

COMMUNE_A, COMMUNE_B, PROVINCE = "10507", "10525", "31"


def test_me_tells_the_role_and_scope_of_the_token(world, api_as):
    body = api_as("xa").get("/api/v1/me").json()
    assert body["login"] == "xa.demo" and body["role"] == "commune_officer"
    assert body["role_label"] == "Cán bộ dân số xã/phường" and body["scope_code"] == COMMUNE_A


@pytest.mark.parametrize("token", [None, "dso_not-a-real-token", "Basic abc"])
def test_without_a_valid_token_the_api_answers_401_in_vietnamese(world, token):
    from fastapi.testclient import TestClient

    headers = {"Authorization": f"Bearer {token}"} if token else {}
    for path in ("/api/v1/me", "/api/v1/units/31", "/api/v1/households", "/api/v1/households/1",
                 "/api/v1/persons/1", "/api/v1/slips", "/api/v1/slips/1"):
        r = TestClient(world.app, headers=headers).get(path)
        assert r.status_code == 401, path
        assert r.json()["error"]["code"] == "unauthorized"
        assert r.headers["www-authenticate"] == "Bearer"
    r = TestClient(world.app, headers=headers).post("/api/v1/persons/search", json={"text": "lan"})
    assert r.status_code == 401


# which units each role may open: its own scope unit, what lies below, never beside or above
UNITS = {
    "ctv": {PROVINCE: 404, COMMUNE_A: 404, COMMUNE_B: 404},
    "xa": {PROVINCE: 404, COMMUNE_A: 200, COMMUNE_B: 404},
    "xa_b": {PROVINCE: 404, COMMUNE_A: 404, COMMUNE_B: 200},
    "tinh": {PROVINCE: 200, COMMUNE_A: 200, COMMUNE_B: 200},
    "tinh_khac": {PROVINCE: 404, COMMUNE_A: 404, COMMUNE_B: 404},
    "quocgia": {PROVINCE: 200, COMMUNE_A: 200, COMMUNE_B: 200},
    "admin": {PROVINCE: 200, COMMUNE_A: 200, COMMUNE_B: 200},
}


@pytest.mark.parametrize("role", UNITS)
def test_units_and_their_statistics_are_served_only_within_scope(world, api_as, role):
    client = api_as(role)
    for code, status in UNITS[role].items():
        assert client.get(f"/api/v1/units/{code}").status_code == status, code
        assert client.get(f"/api/v1/units/{code}/summary").status_code == status, code


def test_the_collaborator_sees_her_own_area_and_its_statistics(world, api_as):
    client = api_as("ctv")
    unit = client.get(f"/api/v1/units/{world.area}").json()
    assert unit["unit"]["level"] == "area" and unit["ancestors"] == []
    summary = client.get(f"/api/v1/units/{world.area}/summary").json()
    assert summary["households"] > 0 and summary["persons"] == summary["male"] + summary["female"]


def test_the_province_summary_counts_every_commune_and_draws_a_full_pyramid(world, api_as):
    s = api_as("tinh").get(f"/api/v1/units/{PROVINCE}/summary").json()
    assert [c["code"] for c in s["communes"]] == [COMMUNE_A, COMMUNE_B]
    assert sum(c["persons"] for c in s["communes"]) == s["persons"] > 5_000
    assert sum(g["male"] + g["female"] for g in s["pyramid"]) == s["persons"]
    assert s["pyramid"][0]["age_group"] == "0–4"


def test_a_district_officer_sees_the_legacy_district_as_it_stood_on_its_last_day(world, api_as):
    client = api_as("huyen")
    unit = client.get("/api/v1/units/288").json()
    assert unit["on"] == "2025-06-30" and unit["unit"]["valid_to"] == "2025-06-30"
    s = client.get("/api/v1/units/288/summary").json()
    assert s["on"] == "2025-06-30" and s["persons"] > 0
    assert client.get(f"/api/v1/units/{PROVINCE}").status_code == 404
    assert api_as("huyen_khac").get("/api/v1/units/288").status_code == 404


def test_a_unit_code_that_does_not_exist_or_is_malformed_gets_a_json_error(world, api_as):
    assert api_as("admin").get("/api/v1/units/99999999").json()["error"]["code"] == "not_found"
    assert api_as("admin").get("/api/v1/units/a%20b").json()["error"]["code"] == "invalid_input"


def test_the_api_is_described_by_an_openapi_schema(world):
    from fastapi.testclient import TestClient

    schema = TestClient(world.app).get("/api/v1/openapi.json").json()
    paths = set(schema["paths"])
    assert {"/api/v1/me", "/api/v1/units/{code}", "/api/v1/units/{code}/summary", "/api/v1/households",
            "/api/v1/households/{household_id}", "/api/v1/persons/search", "/api/v1/persons/{person_id}",
            "/api/v1/slips", "/api/v1/slips/{slip_id}", "/api/v1/slips/{slip_id}/review", "/api/v1/reports",
            "/api/v1/reports/status", "/api/v1/reports/submission", "/api/v1/reports/submitted",
            "/api/v1/reports/{action}"} == paths
    assert not any(p.startswith("/households") for p in paths)  # pages stay out of the API schema
