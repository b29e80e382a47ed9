"""The audit trail, searchable by administrators."""
from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import Response

from danso.domain.problems import InvalidInput, Problem
from danso.domain.vntext import DateParseError, parse_date
from danso.messages_vi import word
from danso.services import accounts
from danso.web.deps import ContextDep, PageUser
from danso.web.pages.rendering import render
from danso.web.security import verify_csrf

router = APIRouter(dependencies=[Depends(verify_csrf)])

PAGE_SIZE = 100

ACTIONS = {
    "login.succeeded": "Đăng nhập", "login.failed": "Đăng nhập sai",
    "login.rate_limited": "Đăng nhập bị chặn (sai quá nhiều lần)", "logout": "Đăng xuất",
    "user.create": "Tạo tài khoản", "user.disable": "Khoá tài khoản", "user.reset_password": "Đặt lại mật khẩu",
    "token.create": "Tạo mã truy cập API", "export.household": "Xuất/in trang Sổ A0 của hộ",
    "export.households": "Xuất danh sách hộ (API)", "export.persons": "Xuất kết quả tìm người (API)",
    "export.person": "Xuất thông tin một người (API)", "unit.add_village": "Thêm thôn/tổ dân phố",
    "unit.add_area": "Thêm địa bàn CTV", "slip.accept": "Duyệt phiếu thu tin", "slip.enter": "Nộp phiếu thu tin",
    "slip.return": "Trả lại phiếu thu tin", "slip.reject": "Từ chối phiếu thu tin",
    "export.forecast": "Tải về dự báo dân số", "export.report": "Tải về báo cáo thống kê",
    "user.enable": "Mở khoá tài khoản", "report.submit": "Nộp báo cáo thống kê",
    "report.approve": "Duyệt báo cáo thống kê", "report.return": "Trả lại báo cáo thống kê",
    "report.reopen": "Mở lại báo cáo đã duyệt",
}
"""Vietnamese names of the audited actions (the code is shown too: it is what the filter matches)."""


def _date(value: str, field: str) -> object:
    if not value.strip():
        return None
    try:
        return parse_date(value)
    except DateParseError:
        raise InvalidInput([Problem("date.invalid", field, "", {"value": value})]) from None


def _render(request: Request, ctx, user, form: dict[str, str], page: int) -> Response:  # noqa: ANN001
    try:
        entries, total = accounts.audit_entries(ctx, user, actor=form["actor"], action=form["action"],
                                                since=_date(form["since"], "since"),
                                                until=_date(form["until"], "until"), page=page, page_size=PAGE_SIZE)
        problems: list[str] = []
    except InvalidInput as e:
        entries, total, problems = [], 0, [word(p) for p in e.problems]
    return render(request, "audit.html", {"entries": entries, "total": total, "form": form, "page": page,
                                          "pages": max(1, -(-total // PAGE_SIZE)), "problems": problems,
                                          "actions": ACTIONS},
                  status_code=422 if problems else 200)


@router.get("/audit")
def audit(request: Request, ctx: ContextDep, user: PageUser) -> Response:
    return _render(request, ctx, user, {"actor": "", "action": "", "since": "", "until": ""}, 1)


@router.post("/audit")
def audit_search(request: Request, ctx: ContextDep, user: PageUser,
                 actor: Annotated[str, Form(max_length=64)] = "", action: Annotated[str, Form(max_length=40)] = "",
                 since: Annotated[str, Form(max_length=20)] = "", until: Annotated[str, Form(max_length=20)] = "",
                 page: Annotated[int, Form(ge=1, le=100_000)] = 1) -> Response:
    """Filters are posted, not put in the address: logins stay out of URLs and logs."""
    return _render(request, ctx, user, {"actor": actor, "action": action, "since": since, "until": until}, page)
