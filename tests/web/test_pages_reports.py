"""The report page: who may open it, scope (another unit's report is not found), the preview against the
reports service (a column per child unit, the total their sum), legacy periods of a district officer,
Vietnamese problems instead of errors, downloads recorded in the audit trail."""
from __future__ import annotations

import csv
import io
import json
import re

import pytest
from openpyxl import load_workbook

from danso.domain.access import Principal, Role
from danso.exports.machine import CSV_COLUMNS
from danso.exports.rows import Row, cell_text
from danso.services import accounts
from danso.services.reports import build_report
from danso.web.pages.rendering import number
from tests.web.conftest import COMMUNE_A, COMMUNE_B, PROVINCE

ADMIN = Principal(0, "admin", "admin", Role.ADMINISTRATOR, None)
LEGACY_DISTRICT = "288"  # the district commune A's predecessor belonged to (huyen.demo)
QUARTER = "2025-Q4"  # the demo register is drawn on 31/12/2025


@pytest.mark.parametrize(("role", "status"), [("ctv", 403), ("xa", 200), ("huyen", 200), ("tinh", 200),
                                              ("quocgia", 200), ("admin", 200)])
def test_the_report_page_and_its_link_are_for_every_role_but_collaborators(world, pages_as, role, status):
    client = pages_as(role)
    r = client.get("/reports")
    assert r.status_code == status
    assert ('href="/reports"' in client.get("/", follow_redirects=True).text) is (status == 200)
    if status == 200:  # the form only: nothing is computed before it is sent
        assert "rp-table" not in r.text and "Xem báo cáo" in r.text
    else:
        assert "Vai trò của bạn không được phép" in r.text


SCOPE = {"xa": {COMMUNE_A: 200, COMMUNE_B: 404, PROVINCE: 404},
         "xa_b": {COMMUNE_A: 404, COMMUNE_B: 200},
         "huyen_khac": {LEGACY_DISTRICT: 404, COMMUNE_A: 404},
         "tinh_khac": {PROVINCE: 404, COMMUNE_B: 404},
         "tinh": {COMMUNE_B: 200}}


@pytest.mark.parametrize("role", SCOPE)
def test_another_units_report_is_not_found_and_its_download_neither(world, pages_as, role):
    client = pages_as(role)
    for unit, status in SCOPE[role].items():
        period = "2025-Q1" if unit == LEGACY_DISTRICT else QUARTER
        r = client.get("/reports", params={"unit": unit, "period": period})
        assert r.status_code == status, (unit, r.status_code)
        assert ("rp-table" in r.text) is (status == 200)
        if status == 404:
            assert "Không tìm thấy" in r.text
            assert client.get("/reports/export/csv", params={"unit": unit, "period": period}).status_code == 404


def _cells(html: str, label: str) -> list[str]:
    row = re.search(rf"<td>{re.escape(label)}(?:<span[^>]*>[^<]*</span>)?</td><td>[^<]*</td>(.*?)</tr>", html,
                    re.S).group(1)
    return re.findall(r'<td class="num">([^<]*)</td>', row)


def test_the_province_report_has_a_column_per_commune_with_data_and_their_sum(world, pages_as):
    r = pages_as("tinh").get("/reports", params={"unit": PROVINCE, "period": QUARTER, "form": "01-DSH"})
    assert r.status_code == 200
    report = build_report(world.ctx, PROVINCE, QUARTER, form="01-DSH")
    names = {c.unit.code: c.unit.name for c in report.columns}
    html = r.text
    assert "BÁO CÁO THỐNG KÊ CHUYÊN NGÀNH DÂN SỐ" in html and "Quý IV năm 2025" in html
    assert "từ 01/10/2025 đến 31/12/2025" in html and "địa giới hành chính ngày 31/12/2025" in html
    heads = re.findall(r'<th class="num">([^<]*)</th>', html)
    assert heads == ["Tổng số", names[COMMUNE_A], names[COMMUNE_B]]  # only the two communes holding data
    assert f"{len(report.columns) - 2} đơn vị trực thuộc chưa có số liệu" in html
    # the official rows first, numbers formatted as in Vietnam, the total the sum of the columns
    labels = re.findall(r"<tr><td>(\d+)</td><td>([^<]*)<span", html)
    assert [x[1] for x in labels[:4]] == ["Tổng số hộ dân cư tính đến cuối quý",
                                          "Tổng số nhân khẩu thực tế thường trú (dân số) tính đến cuối quý",
                                          "Số nữ từ 15-49 tuổi có chồng tính đến cuối quý",
                                          "Tổng số trẻ sinh ra trong quý"]
    total, a, b = _cells(html, "Tổng số nhân khẩu thực tế thường trú (dân số) tính đến cuối quý")
    assert total == number(report.total["population"].value) and "." in total
    assert int(total.replace(".", "")) == int(a.replace(".", "")) + int(b.replace(".", ""))
    assert _cells(html, "Tỷ số giới tính")[0] == f"{report.total['sex_ratio'].value:.2f}".replace(".", ",")
    assert "- Nam" not in html  # breakdown lines only when asked for
    average = report.total["average_population"].value
    assert _cells(html, "Dân số trung bình")[0] == f"{average:,.2f}".translate(str.maketrans(",.", ".,"))  # as the XLSX
    assert "." in _cells(html, "Dân số trung bình")[0]


def test_a_commune_officer_previews_the_yearly_commune_form_with_one_column(world, pages_as):
    r = pages_as("xa").get("/reports", params={"unit": COMMUNE_A, "period": "2025", "form": "03-DSX",
                                               "breakdowns": "1"})
    assert r.status_code == 200
    report = build_report(world.ctx, COMMUNE_A, "2025", form="03-DSX")
    assert re.findall(r'<th class="num">([^<]*)</th>', r.text) == ["Số lượng"]
    assert _cells(r.text, "Tổng số hộ dân cư (hộ tập thể + hộ gia đình) tính đến cuối năm") == [
        number(report.total["households"].value)]
    assert "BÁO CÁO THỐNG KÊ CHUYÊN NGÀNH DÂN SỐ CẤP XÃ" in r.text
    boys = report.total["births"].breakdowns["sex"].get("1", 0)  # births are not among the form's known rows
    assert re.search(rf'<tr class="sub"><td></td><td>- Nam</td><td>trẻ</td>\s*<td class="num">{number(boys)}</td>',
                     r.text)
    assert "<td>- Con thứ 3 trở lên</td>" in r.text


def test_a_district_officer_reports_legacy_periods_only(world, pages_as):
    client = pages_as("huyen")
    r = client.get("/reports", params={"unit": LEGACY_DISTRICT, "period": "2025-Q1"})
    assert r.status_code == 200 and "địa giới hành chính ngày 31/03/2025" in r.text and "Quý I năm 2025" in r.text
    r = client.get("/reports", params={"unit": LEGACY_DISTRICT, "period": QUARTER})
    assert r.status_code == 422 and "chỉ có hiệu lực đến 30/06/2025; chọn kỳ báo cáo kết thúc trước ngày đó" in r.text


def test_an_old_period_of_a_new_commune_is_drawn_on_todays_units(world, pages_as):
    r = pages_as("xa").get("/reports", params={"unit": COMMUNE_A, "period": "2025-Q1"})
    assert r.status_code == 200 and "Quý I năm 2025" in r.text
    assert "địa giới hành chính ngày 31/03/2025" not in r.text


@pytest.mark.parametrize(("params", "problem"), [
    ({"unit": PROVINCE, "period": "2025-Q5"}, "Kỳ báo cáo “2025-Q5” không hợp lệ; viết theo một trong các dạng"),
    ({"unit": PROVINCE, "period": "2099-01"}, "chưa kết thúc (đến 31/01/2099); chọn một kỳ đã qua"),
    ({"unit": PROVINCE, "period": QUARTER, "form": "03-DSX"}, "Biểu 03-DSX dành cho cấp"),
    ({"unit": PROVINCE, "period": QUARTER, "form": "99-XYZ"}, "Không có biểu mẫu “99-XYZ”"),
])
def test_bad_input_is_explained_in_vietnamese_never_a_server_error(world, pages_as, params, problem):
    client = pages_as("tinh")
    for path in ("/reports", "/reports/export/xlsx"):
        r = client.get(path, params=params)
        assert r.status_code == 422 and problem in r.text, (path, r.status_code)


def test_downloads_are_the_services_exports_and_are_audited(world, pages_as):
    client = pages_as("xa")
    q = {"unit": COMMUNE_A, "period": QUARTER}
    got = {fmt: client.get(f"/reports/export/{fmt}", params=q) for fmt in ("xlsx", "csv", "json", "adx", "dhis2")}
    assert all(r.status_code == 200 for r in got.values()), {k: r.status_code for k, r in got.items()}
    assert got["xlsx"].headers["content-disposition"] == 'attachment; filename="bao-cao-danso-10507-2025-Q4.xlsx"'
    ws = load_workbook(io.BytesIO(got["xlsx"].content))["DANSO"]
    assert ws["A3"].value == f"Đơn vị báo cáo: {build_report(world.ctx, COMMUNE_A, QUARTER).unit.name} (mã 10507)"
    assert tuple(next(csv.reader(io.StringIO(got["csv"].text)))) == CSV_COLUMNS
    assert json.loads(got["json"].text)["period"]["code"] == QUARTER
    assert "urn:ihe:qrph:adx:2015" in got["adx"].text and 'period="2025-10-01/P3M"' in got["adx"].text
    assert json.loads(got["dhis2"].text)["period"] == "2025Q4"
    nine = client.get("/reports/export/dhis2", params={**q, "period": "2025-9T"})
    assert nine.status_code == 422 and "DHIS2 không có kỳ 9 tháng" in nine.text
    entries, _ = accounts.audit_entries(world.ctx, ADMIN, actor="xa.demo", action="export.report")
    assert [e.detail.split(";")[0] for e in entries[:5]] == ["dhis2", "adx", "json", "csv", "xlsx"]
    assert entries[0].target == "unit:10507" and entries[0].detail == "dhis2; DANSO; kỳ 2025-Q4"


def test_figures_are_written_as_in_vietnam_and_rows_without_figures_say_so():
    def row(kind: str, value: float | int | None, rate: bool = False) -> Row:
        return Row("1", "x", "x", "Hộ", value, (value,), rate, kind)

    assert [cell_text(row("value", 1415)), cell_text(row("value", 2846.5)), cell_text(row("value", 66.6667, True)),
            cell_text(row("value", 1234.5, True), 0), cell_text(row("value", None, True)),
            cell_text(row("value", 0, True)), cell_text(row("heading", None)), cell_text(row("missing", None))] == [
        "1.415", "2.846,50", "66,67", "1.234,50", "-", "0,00", "", "..."]
