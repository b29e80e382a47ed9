"""Collection slips in the browser: the collaborator's slips, the commune's review queue and decisions,
within scope only."""
from __future__ import annotations

import datetime as dt
import itertools

import pytest

from danso.domain import clock
from danso.domain.access import Principal, Role
from danso.services import accounts, slips

ADMIN = Principal(0, "admin", "admin", Role.ADMINISTRATOR, None)
_IDS = itertools.count(1)


def _submitted(world, area: str, person: int) -> int:  # noqa: ANN001
    today = clock.today()
    view, created = slips.create_slip(
        world.ctx, client_id=f"web-{next(_IDS)}-{area}", kind="elderly_checkup", area_code=area,
        month=today.strftime("%Y-%m"), data={"person": person, "date": today.replace(day=1).strftime("%d/%m/%Y")},
        actor="ctv.demo", submit=True, confirm=True)
    assert created
    return view.id


def api_as_admin(world):  # noqa: ANN001, ANN201
    from fastapi.testclient import TestClient

    return TestClient(world.app, headers={"Authorization": f"Bearer {world.tokens['admin']}"})


@pytest.fixture
def slip_ids(world):  # noqa: ANN001, ANN201
    """Two slips submitted in the collaborator's area (commune A)."""
    mine = world.elderly(world.area)
    assert len(mine) >= 2
    return _submitted(world, world.area, mine[0]), _submitted(world, world.area, mine[1])


def test_a_collaborator_sees_her_slips_and_may_not_decide_on_them(world, pages_as, slip_ids):
    client = pages_as("ctv")
    page = client.get("/slips")
    assert "Phiếu của tôi" in page.text and f'href="/slips/{slip_ids[0]}"' in page.text
    detail = client.get(f"/slips/{slip_ids[0]}")
    assert "Người cao tuổi khám sức khỏe định kỳ" in detail.text and "Chờ duyệt" in detail.text
    assert f"(mã người {world.elderly(world.area)[0]})" in detail.text  # the person by name
    assert "Duyệt phiếu" not in detail.text.split("<main>")[1]
    r = client.post(f"/slips/{slip_ids[0]}/review", data={"decision": "accept",
                                                          "csrf_token": client.cookies.get("danso_csrf")})
    assert r.status_code == 403


def test_the_commune_officer_returns_a_slip_with_a_reason_and_accepts_another(world, pages_as, slip_ids):
    client = pages_as("xa")
    token = client.cookies.get("danso_csrf")
    queue = client.get("/slips")
    assert "Phiếu chờ duyệt" in queue.text and f'href="/slips/{slip_ids[0]}"' in queue.text
    r = client.post(f"/slips/{slip_ids[0]}/review", data={"decision": "return", "reason": "  ",
                                                          "csrf_token": token})
    assert r.status_code == 422 and "phải ghi lý do" in r.text
    r = client.post(f"/slips/{slip_ids[0]}/review", data={"decision": "return", "reason": "Sai ngày khám",
                                                          "csrf_token": token})
    assert r.status_code == 303
    returned = pages_as("ctv").get(f"/slips/{slip_ids[0]}")
    assert "Trả lại để sửa" in returned.text and "Sai ngày khám" in returned.text
    r = client.post(f"/slips/{slip_ids[1]}/review", data={"decision": "accept", "confirm": "true",
                                                          "csrf_token": token})
    assert r.status_code == 303, r.text
    accepted = client.get(r.headers["location"])
    assert "Đã duyệt phiếu" in accepted.text and "Đã duyệt" in accepted.text
    r = client.post(f"/slips/{slip_ids[1]}/review", data={"decision": "reject", "reason": "x", "csrf_token": token})
    assert r.status_code == 422  # already accepted: nothing to decide
    person = world.elderly(world.area)[1]
    household = api_as_admin(world).get(f"/api/v1/persons/{person}").json()["household_id"]
    sheet = client.get(f"/households/{household}")
    assert f'href="/slips/{slip_ids[1]}"' in sheet.text  # section III: the change and the slip behind it
    entries, _ = accounts.audit_entries(world.ctx, ADMIN, actor="xa.demo", action="slip.")
    assert {(e.action, e.target) for e in entries} >= {("slip.return", f"slip:{slip_ids[0]}"),
                                                        ("slip.accept", f"slip:{slip_ids[1]}")}


@pytest.mark.parametrize("role, status", [("xa_b", 404), ("huyen_khac", 404), ("tinh_khac", 404),
                                          ("quocgia", 403), ("tinh", 200)])
def test_slips_outside_the_scope_are_not_found_and_only_reviewers_decide(world, pages_as, slip_ids, role, status):
    client = pages_as(role)
    assert client.get(f"/slips/{slip_ids[0]}").status_code == status
    listed = client.get("/slips?status=all")
    assert (f'href="/slips/{slip_ids[0]}"' in listed.text) is (status == 200)
    r = client.post(f"/slips/{slip_ids[0]}/review", data={"decision": "return", "reason": "kiểm tra lại",
                                                          "csrf_token": client.cookies.get("danso_csrf")})
    if role == "tinh":  # a province officer reviews on behalf of a commune without a computer
        assert r.status_code == 303
    else:
        assert r.status_code in (403, 404)


def test_a_bad_status_or_month_filter_is_refused_in_vietnamese(world, pages_as):
    client = pages_as("xa")
    assert client.get("/slips?status=lost").status_code == 422
    assert client.get("/slips?month=2026-13").status_code == 422
    assert client.get("/slips/999999").status_code == 404


def _form(client, kind: str) -> dict[str, str]:  # noqa: ANN001
    page = client.get(f"/slips/new/{kind}")
    assert page.status_code == 200
    client_id = page.text.split('name="client_id" value="')[1].split('"')[0]
    area = page.text.split('name="area" value="')[1].split('"')[0] if 'name="area" value="' in page.text else ""
    return {"client_id": client_id, "csrf_token": client.cookies.get("danso_csrf"), "area": area,
            "month": clock.today().strftime("%Y-%m")}


def test_a_collaborator_enters_a_slip_in_a_form_and_sending_it_twice_records_it_once(world, pages_as):
    client = pages_as("ctv")
    kinds = client.get("/slips/new")
    assert "Người cao tuổi khám sức khỏe định kỳ" in kinds.text and "Trẻ sinh ra" in kinds.text
    person = world.elderly(world.area)[2]
    data = {**_form(client, "elderly_checkup"), "person": str(person),
            "date": clock.today().replace(day=1).strftime("%d/%m/%Y"), "confirm": "true"}
    first = client.post("/slips/new/elderly_checkup", data=data)
    assert first.status_code == 303, first.text
    again = client.post("/slips/new/elderly_checkup", data=data)
    assert again.headers["location"] == first.headers["location"]
    page = client.get(first.headers["location"])
    assert "Đã nộp phiếu" in page.text and "Chờ duyệt" in page.text and f"(mã người {person})" in page.text
    entries, _ = accounts.audit_entries(world.ctx, ADMIN, actor="ctv.demo", action="slip.enter")
    assert len([e for e in entries if e.target == first.headers["location"].replace("/slips/", "slip:").split("?")[0]]) == 1


def test_the_form_offers_the_month_of_the_day_in_vietnam(world, pages_as, monkeypatch):
    client = pages_as("ctv")
    # 30/11/2026 18:30 UTC is 01/12/2026 01:30 in Vietnam (UTC+7): a server in UTC is still in November
    monkeypatch.setattr(clock, "_now_utc", lambda: dt.datetime(2026, 11, 30, 18, 30, tzinfo=dt.UTC))
    page = client.get("/slips/new/death")
    assert page.status_code == 200 and 'name="month" value="2026-12"' in page.text
    monkeypatch.setattr(clock, "_now_utc", lambda: dt.datetime(2026, 11, 30, 16, 59, tzinfo=dt.UTC))  # 23:59
    assert 'name="month" value="2026-11"' in client.get("/slips/new/death").text


def test_a_slip_with_missing_or_wrong_fields_is_refused_with_vietnamese_messages(world, pages_as):
    client = pages_as("ctv")
    r = client.post("/slips/new/death", data={**_form(client, "death"), "person": "abc", "date": "31/02/2026"})
    assert r.status_code == 422
    assert "phải là mã người trong sổ, số CCCD (12 số) hoặc mã thẻ BHYT" in r.text
    assert "không phải ngày hợp lệ" in r.text or "không tồn tại" in r.text
    assert 'value="abc"' in r.text  # what was typed is kept


def test_slips_are_entered_only_for_areas_in_scope(world, pages_as):
    ctv = pages_as("ctv")
    r = ctv.post("/slips/new/elderly_checkup", data={**_form(ctv, "elderly_checkup"), "area": world.other_area,
                                                     "person": "1", "date": "01/11/2026"})
    assert r.status_code == 404
    xa = pages_as("xa")  # a commune officer enters on a collaborator's behalf, in any area of her commune
    form = xa.get("/slips/new/elderly_checkup").text
    assert world.area in form and world.other_area in form
    assert pages_as("quocgia").get("/slips/new").status_code == 403
    assert pages_as("huyen").get("/slips/new").status_code == 403
    tinh = pages_as("tinh")  # a province officer, for a commune without a computer
    assert tinh.get("/slips/new").status_code == 200 and 'name="area"' in tinh.get("/slips/new/elderly_checkup").text
    assert ctv.get("/slips/new/household_new").status_code == 404  # members lists: file import only


def test_the_home_page_tells_what_waits_for_each_user(world, pages_as, slip_ids):
    xa = pages_as("xa")
    assert "Phiếu chờ duyệt (" in xa.get("/").text
    xa.post(f"/slips/{slip_ids[0]}/review", data={"decision": "return", "reason": "Thiếu ngày",
                                                  "csrf_token": xa.cookies.get("danso_csrf")})
    home = pages_as("ctv").get("/").text
    assert "phiếu bị trả lại" in home and 'href="/slips?status=returned"' in home


def test_the_home_page_of_a_province_shows_the_end_of_last_month_and_of_a_commune_today(world, pages_as):
    from danso.web.pages.rendering import date as vn_date

    today = clock.today()
    month_end = today.replace(day=1) - dt.timedelta(days=1)
    tinh = pages_as("tinh").get("/").text
    assert f"số liệu ngày {vn_date(month_end)}" in tinh
    # the province's figures come from its dashboard's report: the register's summary of that day, to the person
    from danso.services.registry import summary
    from danso.web.pages.rendering import number

    s = summary(world.ctx, "31", month_end)
    assert s.persons > 0
    for n in (s.households, s.persons, s.by_sex["1"], s.by_sex["2"]):
        assert f"<b>{number(n)}</b>" in tinh
    xa = pages_as("xa").get("/").text
    assert f"số liệu ngày {vn_date(today)}" in xa and 'href="/reports"' in xa
    assert "phiên bản sau" not in xa


def test_the_provinces_dashboards_are_prepared_before_the_server_answers(world, pages_as):
    from danso.web.pages.home import prepare_dashboards

    assert "31" in prepare_dashboards(world.ctx)
    computed = world.ctx.figures.computed
    tinh = pages_as("tinh")
    assert tinh.get("/").status_code == 200 and tinh.get("/units/31").status_code == 200
    from danso.services.dashboard import latest_month

    report = tinh.get(f"/reports?unit=31&period={latest_month(clock.today()).code}")
    assert report.status_code == 200, report.text[:300]
    assert world.ctx.figures.computed == computed  # the three pages from what was prepared
