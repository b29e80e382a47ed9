"""The forecast page: who may open it, scope (another unit's forecast is not found), the results against the
forecast service, Vietnamese problems instead of errors, downloads recorded in the audit trail."""
from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re

import pytest
from openpyxl import load_workbook

from danso.domain import clock
from danso.domain.access import Principal, Role
from danso.forecast.scenarios import BUILTIN
from danso.services import accounts, forecasts, scope
from danso.web.pages.rendering import number
from tests.web.conftest import COMMUNE_A, COMMUNE_B, PROVINCE

ADMIN = Principal(0, "admin", "admin", Role.ADMINISTRATOR, None)
BASE = "31/12/2025"


def _query(unit: str, **kw: str) -> dict[str, str]:
    return {"unit": unit, "base_date": BASE, "years": "30", "step": "5", "scenario": "medium", **kw}


@pytest.mark.parametrize(("role", "status"), [("ctv", 403), ("huyen", 403), ("xa", 200), ("tinh", 200),
                                              ("quocgia", 200), ("admin", 200)])
def test_the_forecast_page_and_its_link_are_for_communes_provinces_and_the_whole_country(world, pages_as, role,
                                                                                          status):
    client = pages_as(role)
    r = client.get("/forecast")
    assert r.status_code == status
    home = client.get("/", follow_redirects=True)
    assert ('href="/forecast"' in home.text) is (status == 200)
    if status == 200:  # the form only: nothing is computed before it is sent
        assert "<svg" not in r.text and f'value="31/12/{clock.today().year - 1}"' in r.text
    else:
        assert "Vai trò của bạn không được phép" in r.text


SCOPE = {"xa": {COMMUNE_A: 200, COMMUNE_B: 404, PROVINCE: 404},
         "xa_b": {COMMUNE_A: 404, COMMUNE_B: 200},
         "tinh": {COMMUNE_A: 200, PROVINCE: 200},
         "tinh_khac": {COMMUNE_A: 404, PROVINCE: 404}}


@pytest.mark.parametrize("role", SCOPE)
def test_another_units_forecast_is_not_found_and_its_download_neither(world, pages_as, role):
    client = pages_as(role)
    for unit, status in SCOPE[role].items():
        r = client.get("/forecast", params=_query(unit))
        assert r.status_code == status, (unit, r.status_code)
        assert ("Tháp dân số" in r.text) is (status == 200)
        if status == 404:
            assert client.get("/forecast/export/csv", params=_query(unit)).status_code == 404
    assert "Traceback" not in r.text


def test_the_province_forecast_shows_the_services_projection_pyramid_trend_indicators_and_inputs(world, pages_as):
    r = pages_as("tinh").get("/forecast", params=_query(PROVINCE, scenario="low"))
    assert r.status_code == 200
    f = forecasts.forecast_unit(world.ctx, PROVINCE, dt.date(2025, 12, 31), 30, BUILTIN["low"])
    html = r.text
    # the service's pyramid inline (first year filled, last outlined) and the trend drawn by the page
    assert "(tô màu) và 31/12/2055 (viền)" in html and html.count('stroke="#222"') == 2 * 18
    assert html.count('<polyline class="line') == 3 and html.count('class="dot total"') == len(f.years) == 7
    # the indicators by year, Vietnamese numbers, against the service
    last = f.population_indicators[-1]
    row = re.search(r"<tr><td>31/12/2055</td>(.*?)</tr>", html, re.S).group(1)
    cells = re.findall(r'<td class="num">([^<]*)</td>', row)
    assert cells[0] == number(round(last["total"]))
    assert cells[1] == number(round(last["male"])) and cells[3] == f"{last['sex_ratio']:.1f}".replace(".", ",")
    assert cells[4] == f"{last['median_age']:.1f}".replace(".", ",")
    step = re.search(r"<tr><td>31/12/2025 – 31/12/2030</td>(.*?)</tr>", html, re.S).group(1)
    tfr = f"{f.step_indicators[0]['tfr']:.2f}".replace(".", ",")
    assert re.findall(r'<td class="num">([^<]*)</td>', step)[3] == tfr
    # the derived inputs with the registered counts behind them, and every assumption
    births = round(sum(f.report["fertility"]["births"]))
    assert f"từ {number(births)} trẻ sinh" in html and "Năm-người phụ nữ" in html and "mx nữ dùng" in html
    assert f.scenario.describe() in html and all(a in html for a in f.assumptions)
    for fmt in ("xlsx", "csv", "json"):
        assert f"/forecast/export/{fmt}?unit=31&amp;base_date=31%2F12%2F2025&amp;years=30&amp;step=5" in html


def test_a_commune_officer_projects_her_commune_in_single_years(world, pages_as):
    r = pages_as("xa").get("/forecast", params=_query(COMMUNE_A, step="1", years="12"))
    assert r.status_code == 200
    assert "bước 1 năm" in r.text and r.text.count('class="dot total"') == 13
    assert r.text.count("<tr><td>31/12/20") == 13 + 12  # 13 dates, 12 one-year steps


@pytest.mark.parametrize(("query", "problems"), [
    (_query(PROVINCE, base_date="31/02/2025", years="0", step="2", scenario="rat-cao"),
     ["Ngày gốc “31/02/2025” không hợp lệ", "Số năm dự báo “0” không hợp lệ", "Bước dự báo phải là 1 năm hoặc 5 năm",
      "Không có phương án “rat-cao”"]),
    (_query(PROVINCE, base_date="01/01/2099", years="nhiều"), ["ở tương lai", "Số năm dự báo “nhiều”"]),
    (_query(PROVINCE, years="101", base_date="29/02/2028"), ["từ 1 đến 100", "(29 tháng 2) chưa dùng được"]),
    (_query(PROVINCE, base_date="31/12/2024"), ["chỉ có hiệu lực từ 01/07/2025"]),
    (_query("VILLAGE"), ["dự báo được lập cho tỉnh/thành phố hoặc xã/phường"]),
])
def test_bad_input_is_explained_in_vietnamese_never_a_server_error(world, pages_as, query, problems):
    client = pages_as("tinh")
    if query["unit"] == "VILLAGE":  # a village of commune A
        query = {**query, "unit": scope.unit_page(world.ctx, ADMIN, COMMUNE_A).children[0].code}
    for path in ("/forecast", "/forecast/export/json"):
        r = client.get(path, params=query)
        assert r.status_code == 422, (path, r.text[-600:])
        for p in problems:
            assert p in r.text, (path, p)
    assert 'name="base_date" value="' + query["base_date"] + '"' in client.get("/forecast", params=query).text


def test_a_commune_without_residents_has_nothing_to_project(world, pages_as):
    client = pages_as("tinh")
    empty = re.findall(r'<option value="(\d+)"', client.get("/forecast").text)
    unit = next(c for c in empty if c not in (PROVINCE, COMMUNE_A, COMMUNE_B))
    r = client.get("/forecast", params=_query(unit))
    assert r.status_code == 422 and "chưa có nhân khẩu thường trú nào trong sổ ngày 31/12/2025" in r.text


def test_downloads_are_the_services_outputs_and_are_audited(world, pages_as):
    client = pages_as("quocgia")
    q = _query(PROVINCE, years="10")
    got = {fmt: client.get(f"/forecast/export/{fmt}", params=q) for fmt in ("csv", "xlsx", "json")}
    assert all(r.status_code == 200 for r in got.values())
    assert got["csv"].headers["content-disposition"] == 'attachment; filename="du-bao-31-20251231-medium-10n.csv"'
    rows = list(csv.reader(io.StringIO(got["csv"].text)))
    assert rows[0] == ["ngay", "gioi_tinh", "nhom_tuoi", "dan_so"] and len(rows) == 1 + 3 * 2 * 18
    assert {r[0] for r in rows[1:]} == {"31/12/2025", "31/12/2030", "31/12/2035"}
    wb = load_workbook(io.BytesIO(got["xlsx"].content))
    assert wb.sheetnames == ["Chỉ tiêu", "Biến động", "Dân số", "Giả định"]
    doc = json.loads(got["json"].text)
    assert doc["dates"] == ["31/12/2025", "31/12/2030", "31/12/2035"] and doc["derived_inputs"]["fertility"]["births"]
    assert client.get("/forecast/export/pdf", params=q).status_code == 404
    entries, _ = accounts.audit_entries(world.ctx, ADMIN, actor="quocgia.demo", action="export.forecast")
    assert [e.detail.split(";")[0] for e in entries[:3]] == ["json", "xlsx", "csv"]
    assert entries[0].target == "unit:31" and "ngày gốc 31/12/2025; 10 năm; bước 5; medium" in entries[0].detail
