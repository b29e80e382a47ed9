"""Villages and areas management (commune officers) and the audit trail page (administrators)."""
from __future__ import annotations

from danso.domain.access import Principal, Role
from danso.services import accounts

ADMIN = Principal(0, "admin", "admin", Role.ADMINISTRATOR, None)


def test_a_commune_officer_adds_a_village_and_an_area_and_both_are_audited(world, pages_as):
    client = pages_as("xa")
    page = client.get("/areas")
    assert "Thêm thôn/tổ dân phố" in page.text and world.area in page.text
    token = client.cookies.get("danso_csrf")
    r = client.post("/areas/villages", data={"commune": "10507", "name": "Thôn Kiểm Thử", "kind": "Thôn",
                                             "csrf_token": token})
    assert r.status_code == 303
    village = r.headers["location"].split("done=")[1]
    assert "Thôn Kiểm Thử" in client.get("/areas").text
    r = client.post("/areas/areas", data={"commune": "10507", "village": village, "name": "Địa bàn Thử",
                                          "csrf_token": token})
    assert r.status_code == 303
    assert "Địa bàn Thử" in client.get("/areas").text
    entries, _ = accounts.audit_entries(world.ctx, ADMIN, actor="xa.demo", action="unit.")
    assert {e.action for e in entries} >= {"unit.add_village", "unit.add_area"}


def test_a_commune_officer_cannot_add_a_village_to_another_commune(world, pages_as):
    client = pages_as("xa")
    r = client.post("/areas/villages", data={"commune": "10525", "name": "Thôn Lạ", "kind": "Thôn",
                                             "csrf_token": client.cookies.get("danso_csrf")})
    assert r.status_code == 404
    assert "Thôn Lạ" not in pages_as("xa_b").get("/areas").text


def test_an_empty_village_name_is_refused_with_a_message_and_nothing_is_written(world, pages_as):
    client = pages_as("xa")
    before = client.get("/areas").text.count("<li>")
    r = client.post("/areas/villages", data={"commune": "10507", "name": "   ", "kind": "Thôn",
                                             "csrf_token": client.cookies.get("danso_csrf")})
    assert r.status_code == 422 and "chưa ghi tên" in r.text.lower()
    assert client.get("/areas").text.count("<li>") == before


def test_collaborators_and_province_officers_may_not_manage_areas(world, pages_as):
    for role in ("ctv", "tinh"):
        client = pages_as(role)
        r = client.post("/areas/villages", data={"commune": "10507", "name": "Thôn X", "kind": "Thôn",
                                                 "csrf_token": client.cookies.get("danso_csrf")})
        assert r.status_code == 403


def test_the_administrator_searches_the_audit_trail_by_actor_action_and_day(world, pages_as):
    pages_as("ctv").get(f"/households/{world.household}/print")
    client = pages_as("admin")
    page = client.get("/audit")
    assert "Nhật ký thao tác" in page.text and "login.succeeded" in page.text
    token = client.cookies.get("danso_csrf")
    r = client.post("/audit", data={"actor": "ctv.demo", "action": "export", "csrf_token": token})
    assert r.status_code == 200 and f"household:{world.household}" in r.text
    assert "admin.demo" not in r.text.split("<tbody>")[1]
    r = client.post("/audit", data={"since": "32/01/2026", "csrf_token": token})
    assert r.status_code == 422 and "dd/mm/yyyy" in r.text
    r = client.post("/audit", data={"since": "02/01/2026", "until": "01/01/2026", "csrf_token": token})
    assert r.status_code == 422
