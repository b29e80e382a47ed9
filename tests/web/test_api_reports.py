"""/api/v1/reports: the live report, a commune's submission and its history, the figures as submitted, the
communes side by side; submit, approve, return, reopen — each endpoint for each role within and outside its
scope; errors as JSON with a code and a Vietnamese message.

Periods of 2025 used by no other web test (the world is shared; see test_pages_report_submissions.py)."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from danso.exports.machine import report_dict
from danso.services import report_submissions as svc
from danso.services.reports import build_report
from danso.storage.accounts_tables import audit_log
from tests.web.conftest import COMMUNE_A, COMMUNE_B, LOGINS, PROVINCE

LEGACY_DISTRICT = "288"


def _post(api, action: str, unit: str, period: str, **extra):  # noqa: ANN001, ANN003, ANN201
    return api.post(f"/api/v1/reports/{action}", json={"unit": unit, "period": period, **extra})


def test_a_commune_submits_through_the_api_and_the_province_approves(world, api_as):
    period = "2025-Q3"
    first = _post(api_as("xa"), "submit", COMMUNE_A, period)
    assert first.status_code == 200, first.text
    body = first.json()
    assert (body["state"], body["state_label"], body["number"], body["version"]) == (
        "submitted", "Đã nộp, chờ duyệt", 1, 1)
    assert body["late"] and body["deadline"] == "2025-10-07" and body["parent"]["code"] == PROVINCE
    assert [s["action"] for s in body["history"]] == ["submit"] and body["history"][0]["actor"] == LOGINS["xa"]

    seen = api_as("tinh").get("/api/v1/reports/submission", params={"unit": COMMUNE_A, "period": period}).json()
    assert seen["version"] == 1 and seen["state"] == "submitted"
    ok = _post(api_as("tinh"), "approve", COMMUNE_A, period, version=seen["version"])
    assert ok.status_code == 200 and ok.json()["state"] == "approved" and ok.json()["version"] == 2
    twice = _post(api_as("admin"), "approve", COMMUNE_A, period)
    assert twice.status_code == 409
    error = twice.json()["error"]
    assert error["code"] == "conflict" and f"vừa được {LOGINS['tinh']} chuyển sang “Đã duyệt”" in error["message"]
    stale = _post(api_as("tinh"), "reopen", COMMUNE_A, period, reason="Sai", version=1)
    assert stale.status_code == 409 and stale.json()["error"]["code"] == "conflict"

    frozen = api_as("tinh").get("/api/v1/reports/submitted", params={"unit": COMMUNE_A, "period": period})
    assert frozen.status_code == 200 and frozen.json() == svc.frozen_report(
        world.ctx, svc.operator("test"), COMMUNE_A, period)
    with world.ctx.engine.connect() as conn:
        details = [r.detail for r in conn.execute(select(audit_log).where(audit_log.c.actor == LOGINS["tinh"],
                                                                          audit_log.c.action.like("%report%"))
                                                   .order_by(audit_log.c.id))]
    assert details[-2:] == ["kỳ 2025-Q3; DANSO; phiên bản 1", "api json; DANSO; kỳ 2025-Q3; phiên bản đã nộp"]


def test_return_and_reopen_need_a_reason_and_go_only_from_the_states_that_allow_them(world, api_as):
    period = "2025-9T"
    tinh = api_as("tinh")
    r = _post(tinh, "approve", COMMUNE_A, period)
    assert r.status_code == 422 and r.json()["error"]["code"] == "invalid_input"
    assert "9 tháng đầu năm 2025: không thể duyệt báo cáo đang ở trạng thái “Chưa nộp”." in \
        r.json()["error"]["problems"][0]
    assert _post(api_as("xa"), "submit", COMMUNE_A, period).status_code == 200
    r = _post(tinh, "return", COMMUNE_A, period)
    assert r.status_code == 422 and r.json()["error"]["problems"] == ["Phải ghi lý do trả lại báo cáo."]
    r = _post(tinh, "return", COMMUNE_A, period, reason="Thiếu phiếu tháng 9")
    assert r.status_code == 200 and (r.json()["state"], r.json()["reason"]) == ("returned", "Thiếu phiếu tháng 9")
    r = _post(tinh, "reopen", COMMUNE_A, period, reason="x")
    assert r.status_code == 422 and "không thể mở lại báo cáo đang ở trạng thái “Bị trả lại”" in \
        r.json()["error"]["problems"][0]
    r = _post(api_as("xa"), "submit", COMMUNE_A, period)
    assert r.status_code == 200 and r.json()["number"] == 2
    assert [(s["action"], s["number"]) for s in r.json()["history"]] == [("submit", 1), ("return", 1), ("submit", 2)]
    r = api_as("xa").get("/api/v1/reports/submitted", params={"unit": COMMUNE_A, "period": period, "version": 3})
    assert r.status_code == 404 and r.json()["error"]["code"] == "not_found"


def test_the_live_report_is_the_services_json_and_is_audited(world, api_as):
    r = api_as("tinh").get("/api/v1/reports", params={"unit": PROVINCE, "period": "2025-Q4", "form": "01-DSH"})
    assert r.status_code == 200
    expected = report_dict(build_report(world.ctx, PROVINCE, "2025-Q4", form="01-DSH"))
    assert {k: v for k, v in r.json().items() if k != "created_at"} == \
        {k: v for k, v in expected.items() if k != "created_at"}
    bad = api_as("tinh").get("/api/v1/reports", params={"unit": PROVINCE, "period": "2025-13"})
    assert bad.status_code == 422 and "Kỳ báo cáo “2025-13” không hợp lệ" in bad.json()["error"]["problems"][0]


def test_the_status_lists_the_provinces_communes_side_by_side(world, api_as):
    period = "2025-6T"
    _post(api_as("xa"), "submit", COMMUNE_A, period)
    r = api_as("tinh").get("/api/v1/reports/status", params={"unit": PROVINCE, "period": period})
    assert r.status_code == 200
    body = r.json()
    assert body["deadline"] == "2025-07-07" and len(body["communes"]) == 114
    assert body["counts"]["submitted"] == 1 and body["counts"]["missing"] == 113 == body["counts"]["overdue"]
    by_code = {c["unit"]["code"]: c for c in body["communes"]}
    assert by_code[COMMUNE_A]["state"] == "submitted" and by_code[COMMUNE_B]["state"] == "missing"
    assert by_code[COMMUNE_B]["overdue"] and by_code[COMMUNE_B]["history"] is None


# every endpoint, for each role: (live report of commune A, status of the province, submission of commune A,
# submit commune A, approve commune A)
SCOPE = {
    "ctv": (403, 403, 403, 403, 403),
    "xa": (200, 404, 200, 200, 403),
    "xa_b": (404, 404, 404, 404, 404),
    "huyen": (200, 404, 200, 403, 422),  # 10507 is for the legacy district the old commune: nothing submitted
    "huyen_khac": (404, 404, 404, 404, 404),
    "tinh": (200, 200, 200, 403, 200),
    "tinh_khac": (404, 404, 404, 404, 404),
    "quocgia": (200, 200, 200, 403, 403),
    "admin": (200, 200, 200, 200, 200),
}


def _bring(world, period: str, *, submitted: bool) -> None:  # noqa: ANN001
    """Put commune A's report in a state where it can be submitted (or, ``submitted``, approved)."""
    admin = svc.operator("test")
    state = svc.get_status(world.ctx, admin, COMMUNE_A, period).state.value
    if submitted and state != "submitted":
        if state == "approved":
            svc.reopen(world.ctx, admin, COMMUNE_A, period, reason="để thử")
        svc.submit(world.ctx, admin, COMMUNE_A, period)
    if not submitted and state in ("submitted", "approved"):
        (svc.return_report if state == "submitted" else svc.reopen)(world.ctx, admin, COMMUNE_A, period,
                                                                   reason="để thử")


@pytest.mark.parametrize("role", SCOPE)
def test_every_endpoint_answers_each_role_within_its_scope_only(world, api_as, role):
    period = "2025-Q2"
    live, listing, one, submit, approve = SCOPE[role]
    api = api_as(role)
    query = {"unit": COMMUNE_A, "period": period}
    assert api.get("/api/v1/reports", params=query).status_code == live
    assert api.get("/api/v1/reports/status", params={"unit": PROVINCE, "period": period}).status_code == listing
    assert api.get("/api/v1/reports/submission", params=query).status_code == one
    _bring(world, period, submitted=False)
    r = _post(api, "submit", COMMUNE_A, period)
    assert r.status_code == submit, r.text
    if r.status_code != 200:
        assert r.json()["error"]["code"] == {403: "forbidden", 404: "not_found", 422: "invalid_input"}[submit]
        assert r.json()["error"]["message"]
    _bring(world, period, submitted=True)
    r = _post(api, "approve", COMMUNE_A, period)
    assert r.status_code == approve, r.text
    assert api_as(None).get("/api/v1/reports/status", params=query).status_code == 401
