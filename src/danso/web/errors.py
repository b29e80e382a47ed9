"""Errors as the user sees them: JSON ``{"error": {"code", "message", "problems"}}`` under /api, a page
otherwise; always in Vietnamese, never a stack trace."""
from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from danso.domain.access import AccessDenied
from danso.domain.problems import ConfirmationNeeded, InvalidInput, NotFound, SlipConflict
from danso.messages_vi import word
from danso.web.deps import LoginRequired, TokenRequired
from danso.web.security import CsrfFailed

log = logging.getLogger("danso.web")

NOT_FOUND_WHAT = {"unit": "đơn vị", "household": "hộ", "person": "người", "slip": "phiếu", "user": "tài khoản"}

MESSAGES = {
    "not_found": "Không tìm thấy trang hoặc bản ghi này (hoặc bạn không có quyền xem).",
    "forbidden": "Vai trò của bạn không được phép làm việc này.",
    "unauthorized": "Cần mã truy cập API hợp lệ (tiêu đề Authorization: Bearer …).",
    "csrf": "Phiên làm việc của biểu mẫu đã hết hạn. Tải lại trang và thử lại.",
    "invalid_input": "Dữ liệu không hợp lệ.",
    "method_not_allowed": "Thao tác này không được hỗ trợ ở địa chỉ này.",
    "server_error": "Đã có lỗi trong hệ thống; thao tác chưa được thực hiện. Thử lại sau hoặc báo quản trị viên.",
}


def _is_api(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def _respond(request: Request, status: int, code: str, message: str, problems: list[str] | None = None) -> Response:
    if _is_api(request):
        body: dict = {"error": {"code": code, "message": message}}
        if problems:
            body["error"]["problems"] = problems
        return JSONResponse(body, status_code=status)
    from danso.web.pages.rendering import render

    return render(request, "error.html", {"status": status, "message": message, "problems": problems or []},
                  status_code=status)


def install(app: FastAPI) -> None:
    @app.exception_handler(InvalidInput)
    async def invalid_input(request: Request, exc: InvalidInput) -> Response:
        return _respond(request, 422, "invalid_input", MESSAGES["invalid_input"], [word(p) for p in exc.problems])

    @app.exception_handler(ConfirmationNeeded)
    async def confirmation_needed(request: Request, exc: ConfirmationNeeded) -> Response:
        return _respond(request, 422, "confirmation_needed", "Có cảnh báo cần xác nhận; gửi lại với \"confirm\": true "
                        "nếu thông tin đúng.", [word(p) for p in exc.problems])

    @app.exception_handler(SlipConflict)
    async def slip_conflict(request: Request, exc: SlipConflict) -> Response:
        return _respond(request, 409, "conflict", f"Phiếu {exc.slip_id} vừa được {exc.actor or 'người khác'} xử lý "
                        f"trước (trạng thái: {exc.status}); không có gì thay đổi.")

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, exc: RequestValidationError) -> Response:
        problems = [f"{'.'.join(str(x) for x in e.get('loc', ())[1:]) or 'dữ liệu'}: giá trị không hợp lệ"
                    for e in exc.errors()]
        return _respond(request, 422, "invalid_input", MESSAGES["invalid_input"], problems)

    @app.exception_handler(NotFound)
    async def not_found(request: Request, exc: NotFound) -> Response:
        what = NOT_FOUND_WHAT.get(exc.what, exc.what)
        return _respond(request, 404, "not_found", f"Không tìm thấy {what} mã {exc.key} trong phạm vi của bạn.")

    @app.exception_handler(AccessDenied)
    async def denied(request: Request, exc: AccessDenied) -> Response:
        return _respond(request, 403, "forbidden", MESSAGES["forbidden"])

    @app.exception_handler(CsrfFailed)
    async def csrf(request: Request, exc: CsrfFailed) -> Response:
        return _respond(request, 403, "csrf", MESSAGES["csrf"])

    @app.exception_handler(TokenRequired)
    async def token_required(request: Request, exc: TokenRequired) -> Response:
        response = _respond(request, 401, "unauthorized", MESSAGES["unauthorized"])
        response.headers["WWW-Authenticate"] = "Bearer"
        return response

    @app.exception_handler(LoginRequired)
    async def login_required(request: Request, exc: LoginRequired) -> Response:
        if request.headers.get("hx-request"):
            return Response(status_code=401, headers={"HX-Redirect": "/login"})
        return RedirectResponse("/login", status_code=303)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        code = {404: "not_found", 405: "method_not_allowed"}.get(exc.status_code, "error")
        return _respond(request, exc.status_code, code, MESSAGES.get(code, MESSAGES["server_error"]))

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception) -> Response:
        # logged without the request's query or body (they may hold personal data)
        log.exception("unexpected error on %s %s", request.method, request.url.path)
        return _respond(request, 500, "server_error", MESSAGES["server_error"])
