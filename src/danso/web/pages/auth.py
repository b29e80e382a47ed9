"""Sign in and out."""
from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response

from danso.services import accounts
from danso.web.deps import ContextDep
from danso.web.pages.rendering import render
from danso.web.security import (
    SESSION_COOKIE,
    clear_session_cookie,
    client_ip,
    set_session_cookie,
    verify_csrf,
)

router = APIRouter(dependencies=[Depends(verify_csrf)])


@router.get("/login")
def login_form(request: Request, ctx: ContextDep) -> Response:
    token = request.cookies.get(SESSION_COOKIE)
    if token and accounts.principal_for_session(ctx, token):
        return RedirectResponse("/", status_code=303)
    return render(request, "login.html", {"login": ""})


@router.post("/login")
def login(request: Request, ctx: ContextDep, login: Annotated[str, Form(max_length=200)] = "",
          password: Annotated[str, Form(max_length=1000)] = "") -> Response:
    try:
        _principal, token = accounts.sign_in(ctx, login, password, client_ip(request))
    except accounts.LoginRefused as e:
        if e.reason == "rate_limited":
            message = (f"Đăng nhập sai quá nhiều lần. Vui lòng thử lại sau {e.retry_minutes} phút "
                       "hoặc liên hệ quản trị viên.")
            return render(request, "login.html", {"login": login, "error": message}, status_code=429)
        return render(request, "login.html", {"login": login, "error": "Tên đăng nhập hoặc mật khẩu không đúng."},
                      status_code=401)
    response = RedirectResponse("/", status_code=303)
    set_session_cookie(request, response, token)
    return response


@router.post("/logout")
def logout(request: Request, ctx: ContextDep) -> Response:
    token = request.cookies.get(SESSION_COOKIE)
    if token:
        principal = accounts.principal_for_session(ctx, token)
        accounts.sign_out(ctx, token, principal.login if principal else "", client_ip(request))
    response = RedirectResponse("/login", status_code=303)
    clear_session_cookie(request, response)
    return response
