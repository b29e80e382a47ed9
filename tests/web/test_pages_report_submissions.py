"""Submission and approval on the report pages: the commune officer submits (with a confirmation box), the
province sees its communes side by side and approves, returns or reopens with a reason; every form carries the
CSRF token and the version it was shown at; scope as everywhere (another unit: not found).

The world is shared with the other web tests: each test here uses periods of 2025 of its own (the demo register
is drawn on 31/12/2025) and closes no month the others use."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from danso.services import report_submissions as svc
from danso.storage.accounts_tables import audit_log
from tests.web.conftest import COMMUNE_A, COMMUNE_B, LOGINS, PROVINCE

LEGACY_DISTRICT = "288"  # commune A's predecessor's district (huyen.demo)


def _hidden(html: str, action: str) -> list[dict[str, str]]:
    """The hidden fields of every form posting to ``action``."""
    out = []
    for form in re.findall(rf'<form[^>]*action="{re.escape(action)}"[^>]*>(.*?)</form>', html, re.S):
        out.append(dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', form)))
    return out


def _state(world, unit: str, period: str) -> svc.ReportStatus:  # noqa: ANN001
    return svc.get_status(world.ctx, svc.operator("test"), unit, period)


def _audit(world, action: str) -> list[str]:  # noqa: ANN001
    with world.ctx.engine.connect() as conn:
        return [r.detail for r in conn.execute(select(audit_log).where(audit_log.c.action == action)
                                               .order_by(audit_log.c.id))]


def test_the_commune_officer_submits_her_report_after_confirming_the_figures(world, pages_as):
    xa = pages_as("xa")
    query = {"unit": COMMUNE_A, "period": "2025-07"}
    page = xa.get("/reports", params=query)
    assert page.status_code == 200
    assert "Nộp và duyệt báo cáo" in page.text and "Chưa nộp" in page.text and "quá hạn" in page.text
    assert "hạn nộp 07/08/2025" in page.text and "đơn vị nhận: Thành phố Hải Phòng" in page.text
    assert 'name="confirm" value="true" required' in page.text and "Duyệt báo cáo" not in page.text
    [fields] = _hidden(page.text, "/reports/submit")
    assert fields["version"] == "0" and fields["csrf_token"] == xa.cookies.get("danso_csrf")

    unconfirmed = xa.post("/reports/submit", data=fields)
    assert unconfirmed.status_code == 422
    assert "Đánh dấu ô xác nhận đã kiểm tra số liệu trước khi nộp báo cáo." in unconfirmed.text
    assert _state(world, COMMUNE_A, "2025-07").number == 0

    done = xa.post("/reports/submit", data={**fields, "confirm": "true"})
    assert done.status_code == 303 and done.headers["location"].endswith("done=submit")
    shown = xa.get(done.headers["location"])
    assert "Đã nộp báo cáo Tháng 7 năm 2025 của" in shown.text and "chờ Thành phố Hải Phòng duyệt" in shown.text
    assert "Đã nộp, chờ duyệt" in shown.text and "nộp muộn" in shown.text and "phiên bản 1" in shown.text
    assert 'action="/reports/submit"' not in shown.text  # submitted: nothing more to do for now
    link = re.search(r'href="(/reports/submitted\?[^"]+)" download', shown.text).group(1).replace("&amp;", "&")
    frozen = xa.get(link)
    assert frozen.status_code == 200 and frozen.json()["unit"]["code"] == COMMUNE_A
    assert "bao-cao-danso-10507-2025-07-v1.json" in frozen.headers["content-disposition"]
    assert _audit(world, "report.submit")[-1].startswith("kỳ 2025-07; DANSO; phiên bản 1")
    assert _audit(world, "export.report")[-1] == "json; DANSO; kỳ 2025-07; phiên bản 1 đã nộp"

    again = xa.post("/reports/submit", data={**fields, "confirm": "true"})  # the page was shown at version 0
    assert again.status_code == 409 and f"vừa được {LOGINS['xa']} chuyển sang" in again.text


def test_the_province_approves_from_its_communes_side_by_side_and_reopens_with_a_reason(world, pages_as):
    period = "2025-08"
    svc.submit(world.ctx, svc.operator(LOGINS["xa"]), COMMUNE_A, period)
    tinh = pages_as("tinh")
    page = tinh.get("/reports/status", params={"unit": PROVINCE, "period": period})
    assert page.status_code == 200
    assert "Tháng 8 năm 2025" in page.text and "hạn nộp của xã/phường: <b>08/09/2025</b>" in page.text
    rows = re.findall(r'<tr id="u-(\d+)">', page.text)
    assert len(rows) == 114 and COMMUNE_A in rows
    assert re.search(r"<b>113</b><span>chưa nộp \(113 quá hạn\)</span>", page.text)
    forms = {f["unit"]: f for f in _hidden(page.text, "/reports/status/decide") if f["decision"] == "approve"}
    assert list(forms) == [COMMUNE_A]  # only the submitted report can be approved
    approved = tinh.post("/reports/status/decide", data=forms[COMMUNE_A])
    assert approved.status_code == 303 and approved.headers["location"].endswith(f"#u-{COMMUNE_A}")
    back = tinh.get(approved.headers["location"])
    assert "Đã duyệt báo cáo Tháng 8 năm 2025 của" in back.text and "khóa sổ" in back.text
    assert _state(world, COMMUNE_A, period).state.value == "approved"

    reopen = next(f for f in _hidden(back.text, "/reports/status/decide") if f["decision"] == "reopen")
    blank = tinh.post("/reports/status/decide", data={**reopen, "reason": "  "})
    assert blank.status_code == 422 and "Phải ghi lý do mở lại báo cáo." in blank.text
    done = tinh.post("/reports/status/decide", data={**reopen, "reason": "Sai số phụ nữ có chồng"})
    assert done.status_code == 303
    st = _state(world, COMMUNE_A, period)
    assert (st.state.value, st.reason, st.updated_by) == ("reopened", "Sai số phụ nữ có chồng", LOGINS["tinh"])

    commune_page = pages_as("xa").get("/reports", params={"unit": COMMUNE_A, "period": period})
    assert "Đã mở lại" in commune_page.text and "Lý do mở lại: Sai số phụ nữ có chồng" in commune_page.text
    assert 'action="/reports/submit"' in commune_page.text  # she submits version 2
    only = tinh.get("/reports/status", params={"unit": PROVINCE, "period": period, "only": "returned"})
    assert re.findall(r'<tr id="u-(\d+)">', only.text) == [COMMUNE_A]


def test_the_province_returns_a_report_from_its_preview_and_the_commune_sees_why(world, pages_as):
    period = "2025-09"
    svc.submit(world.ctx, svc.operator(LOGINS["xa"]), COMMUNE_A, period)
    tinh = pages_as("tinh")
    page = tinh.get("/reports", params={"unit": COMMUNE_A, "period": period})
    assert "Duyệt báo cáo" in page.text and "Trả lại báo cáo" in page.text and "Nộp báo cáo</button>" not in page.text
    fields = next(f for f in _hidden(page.text, "/reports/decide") if f["decision"] == "return")
    done = tinh.post("/reports/decide", data={**fields, "reason": "Thiếu phiếu sinh <tháng 9>"})
    assert done.status_code == 303 and done.headers["location"].endswith("done=return")
    assert "Đã trả lại báo cáo Tháng 9 năm 2025" in tinh.get(done.headers["location"]).text
    mine = pages_as("xa").get("/reports", params={"unit": COMMUNE_A, "period": period})
    assert "Bị trả lại" in mine.text and "Lý do trả lại: Thiếu phiếu sinh &lt;tháng 9&gt;" in mine.text
    assert "trả lại phiên bản 1: Thiếu phiếu sinh &lt;tháng 9&gt;" in mine.text  # the history
    stale = tinh.post("/reports/decide", data={**fields, "reason": "lần nữa"})  # the page was shown before
    assert stale.status_code == 409 and f"vừa được {LOGINS['tinh']} chuyển sang “Bị trả lại”" in stale.text


def test_only_the_unit_above_decides_and_the_commune_only_submits(world, pages_as):
    period = "2025-10"
    tinh = pages_as("tinh")
    page = tinh.get("/reports", params={"unit": COMMUNE_A, "period": period})
    assert 'action="/reports/submit"' not in page.text and 'action="/reports/decide"' not in page.text
    fields = {"unit": COMMUNE_A, "period": period, "form": "DANSO", "version": "0", "confirm": "true",
              "csrf_token": tinh.cookies.get("danso_csrf")}
    refused = tinh.post("/reports/submit", data=fields)
    assert refused.status_code == 403 and "Chỉ cán bộ dân số của chính xã/phường" in refused.text
    svc.submit(world.ctx, svc.operator(LOGINS["xa"]), COMMUNE_A, period)
    xa = pages_as("xa")
    refused = xa.post("/reports/decide", data={**fields, "decision": "approve", "version": "1",
                                               "csrf_token": xa.cookies.get("danso_csrf")})
    assert refused.status_code == 403
    assert "Chỉ cán bộ dân số của Thành phố Hải Phòng (đơn vị nhận báo cáo)" in refused.text
    assert _state(world, COMMUNE_A, period).state.value == "submitted"


def test_forms_without_the_csrf_token_are_refused_and_change_nothing(world, pages_as):
    xa = pages_as("xa")
    fields = {"unit": COMMUNE_A, "period": "2025-11", "form": "DANSO", "version": "0", "confirm": "true"}
    r = xa.post("/reports/submit", data=fields)
    assert r.status_code == 403 and "Phiên làm việc của biểu mẫu đã hết hạn" in r.text
    r = xa.post("/reports/submit", data={**fields, "csrf_token": "x" * 43})
    assert r.status_code == 403
    tinh = pages_as("tinh")
    r = tinh.post("/reports/status/decide", data={**fields, "decision": "approve", "list_unit": PROVINCE})
    assert r.status_code == 403
    assert _state(world, COMMUNE_A, "2025-11").number == 0


@pytest.mark.parametrize(("role", "unit", "period", "status"), [
    ("ctv", COMMUNE_A, "2025-12", 403),
    ("xa", PROVINCE, "2025-12", 404),
    ("xa", COMMUNE_B, "2025-12", 404),
    ("xa_b", COMMUNE_A, "2025-12", 404),
    ("tinh_khac", PROVINCE, "2025-12", 404),
    ("huyen_khac", LEGACY_DISTRICT, "2025-05", 404),
    ("huyen", PROVINCE, "2025-12", 404),
    ("xa", COMMUNE_A, "2025-12", 200),
    ("huyen", LEGACY_DISTRICT, "2025-05", 200),
    ("quocgia", PROVINCE, "2025-12", 200),
    ("admin", PROVINCE, "2025-12", 200),
])
def test_the_status_page_shows_only_units_in_scope(world, pages_as, role, unit, period, status):
    r = pages_as(role).get("/reports/status", params={"unit": unit, "period": period})
    assert r.status_code == status, r.text[:300]
    if status == 200:
        assert "Tình hình nộp báo cáo" in r.text and "Quyết định" not in r.text  # nothing submitted: no decision
    if status == 404:
        assert "Không tìm thấy" in r.text


def test_a_legacy_district_sees_its_old_communes_for_a_period_before_the_reform(world, pages_as):
    r = pages_as("huyen").get("/reports/status", params={"unit": LEGACY_DISTRICT, "period": "2025-05"})
    assert r.status_code == 200 and "hạn nộp của xã/phường: <b>06/06/2025</b>" in r.text
    assert len(re.findall(r'<tr id="u-(\d+)">', r.text)) > 5
    later = pages_as("huyen").get("/reports/status", params={"unit": LEGACY_DISTRICT, "period": "2025-Q3"})
    assert later.status_code == 422 and "chỉ có hiệu lực đến 30/06/2025" in later.text


def test_a_province_report_links_to_its_communes_status(world, pages_as):
    r = pages_as("tinh").get("/reports", params={"unit": PROVINCE, "period": "2025-Q4", "form": "01-DSH"})
    assert r.status_code == 200 and "Nộp và duyệt báo cáo" not in r.text
    assert 'href="/reports/status?unit=31&amp;period=2025-Q4&amp;form=DANSO"' in r.text
