"""User management (administrators): list and filter accounts, create one, disable or enable it, reset its
password. Every change goes through danso.services.scoped_accounts (permission and scope) and is audited there."""
from __future__ import annotations

from dataclasses import replace
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import RedirectResponse, Response

from danso.domain.access import SCOPE_LEVELS, Permission, Role, require
from danso.domain.problems import InvalidInput, Problem
from danso.messages_vi import word
from danso.services import scoped_accounts
from danso.web.deps import ContextDep, PageUser
from danso.web.pages.rendering import render
from danso.web.security import client_ip, verify_csrf

router = APIRouter(dependencies=[Depends(verify_csrf)])

FORM_FIELDS = ("login", "full_name", "role", "unit", "password")
STATUSES = {"": None, "active": True, "disabled": False}
ROLES = [(r.value, r.label) for r in Role]
UNIT_HINTS = {r.value: " hoặc ".join(lv.label for lv in sorted(SCOPE_LEVELS[r], key=lambda lv: lv.depth))
              or "toàn quốc, không gắn đơn vị" for r in Role}
DONE = {"disabled": "Đã khoá tài khoản; các phiên đăng nhập và mã truy cập API của tài khoản đã bị huỷ.",
        "enabled": "Đã mở khoá tài khoản."}

Text = Annotated[str, Form(max_length=200)]
UnitCode = Annotated[str, Form(max_length=40)]


def by_field(problems: list[Problem]) -> dict[str, list[str]]:
    """Problems worded for the field they concern (``""``: the others), without the record prefix."""
    out: dict[str, list[str]] = {}
    for p in problems:
        out.setdefault(p.field if p.field in FORM_FIELDS else "", []).append(word(replace(p, record="")))
    return out


# the list ------------------------------------------------------------------------------------------------------

def _list(request: Request, ctx, user, form: dict[str, str], page: int) -> Response:  # noqa: ANN001
    try:
        result = scoped_accounts.list_users(ctx, user, role=form["role"], unit_code=form["unit"], text=form["text"],
                                            active=STATUSES.get(form["status"]), page=page)
        problems: list[str] = []
    except InvalidInput as e:
        result, problems = None, [word(p) for p in e.problems]
    return render(request, "users.html", {"result": result, "form": form, "problems": problems, "roles": ROLES},
                  status_code=422 if problems else 200)


@router.get("/users")
def users(request: Request, ctx: ContextDep, user: PageUser) -> Response:
    return _list(request, ctx, user, {"role": "", "unit": "", "text": "", "status": ""}, 1)


@router.post("/users")
def users_search(request: Request, ctx: ContextDep, user: PageUser, role: Annotated[str, Form(max_length=24)] = "",
                 unit: Annotated[str, Form(max_length=40)] = "", text: Annotated[str, Form(max_length=100)] = "",
                 status: Annotated[str, Form(pattern="^(|active|disabled)$")] = "",
                 page: Annotated[int, Form(ge=1, le=100_000)] = 1) -> Response:
    """Filters are posted, not put in the address: logins stay out of URLs and logs (as on the audit page)."""
    return _list(request, ctx, user, {"role": role, "unit": unit, "text": text, "status": status}, page)


# a new account -------------------------------------------------------------------------------------------------

def _form(request: Request, values: dict[str, str], errors: dict[str, list[str]] | None = None,
          status_code: int = 200) -> Response:
    return render(request, "user_form.html", {"values": values, "errors": errors or {}, "roles": ROLES,
                                              "hints": UNIT_HINTS}, status_code=status_code)


@router.get("/users/new")
def new_user(request: Request, user: PageUser) -> Response:
    require(user, Permission.MANAGE_USERS)
    return _form(request, {"login": "", "full_name": "", "role": "", "unit": ""})


@router.post("/users/new")
def create_user(request: Request, ctx: ContextDep, user: PageUser, login: Annotated[str, Form(max_length=64)] = "",
                full_name: Text = "", role: Annotated[str, Form(max_length=24)] = "", unit: UnitCode = "",
                password: Annotated[str, Form(max_length=200)] = "") -> Response:
    values = {"login": login, "full_name": full_name, "role": role, "unit": unit}
    try:
        view, generated = scoped_accounts.create_user(ctx, user, login=login, full_name=full_name, role=role,
                                                      unit_code=unit, password=password, ip=client_ip(request))
    except InvalidInput as e:
        return _form(request, values, by_field(e.problems), status_code=422)
    return _detail(request, user, view, notice="Đã tạo tài khoản.", password=generated, typed=not generated)


@router.get("/users/units")
def unit_choices(request: Request, ctx: ContextDep, user: PageUser,
                 role: Annotated[str, Query(max_length=24)] = "",
                 q: Annotated[str, Query(max_length=100)] = "") -> Response:
    """Units matching a search, for the scope of an account of ``role`` (an htmx fragment)."""
    choices = scoped_accounts.unit_choices(ctx, user, role, q)
    return render(request, "_unit_choices.html", {"choices": choices, "q": q.strip(), "role": role})


@router.get("/users/units/pick")
def unit_pick(request: Request, user: PageUser, code: Annotated[str, Query(max_length=40)] = "",
              name: Annotated[str, Query(max_length=200)] = "") -> Response:
    """The scope field filled with a unit chosen from the search (an htmx fragment)."""
    require(user, Permission.MANAGE_USERS)
    return render(request, "_unit_field.html", {"values": {"unit": code}, "picked": name, "errors": {}})


# one account ---------------------------------------------------------------------------------------------------

def _detail(request: Request, user, view, *, notice: str = "", password: str | None = None,  # noqa: ANN001
            typed: bool = False, problems: list[str] | None = None, status_code: int = 200) -> Response:
    return render(request, "user.html", {"account": view, "notice": notice, "password": password, "typed": typed,
                                         "problems": problems or [], "me": view.id == user.user_id},
                  status_code=status_code)


@router.get("/users/{user_id}")
def show_user(request: Request, ctx: ContextDep, user: PageUser, user_id: int,
              done: Annotated[str, Query(pattern="^(disabled|enabled)?$")] = "") -> Response:
    return _detail(request, user, scoped_accounts.get_user(ctx, user, user_id), notice=DONE.get(done, ""))


def _set_active(request: Request, ctx, user, user_id: int, active: bool) -> Response:  # noqa: ANN001
    try:
        scoped_accounts.set_active(ctx, user, user_id, active, ip=client_ip(request))
    except InvalidInput as e:
        return _detail(request, user, scoped_accounts.get_user(ctx, user, user_id),
                       problems=[word(p) for p in e.problems], status_code=422)
    return RedirectResponse(f"/users/{user_id}?done={'enabled' if active else 'disabled'}", status_code=303)


@router.post("/users/{user_id}/disable")
def disable_user(request: Request, ctx: ContextDep, user: PageUser, user_id: int) -> Response:
    return _set_active(request, ctx, user, user_id, False)


@router.post("/users/{user_id}/enable")
def enable_user(request: Request, ctx: ContextDep, user: PageUser, user_id: int) -> Response:
    return _set_active(request, ctx, user, user_id, True)


@router.post("/users/{user_id}/password")
def reset_password(request: Request, ctx: ContextDep, user: PageUser, user_id: int,
                   password: Annotated[str, Form(max_length=200)] = "") -> Response:
    """The new password is shown on this answer only (a typed one is not shown back)."""
    try:
        view, generated = scoped_accounts.reset_password(ctx, user, user_id, password, ip=client_ip(request))
    except InvalidInput as e:
        return _detail(request, user, scoped_accounts.get_user(ctx, user, user_id),
                       problems=[word(replace(p, record="")) for p in e.problems], status_code=422)
    return _detail(request, user, view, notice="Đã đặt mật khẩu mới; các phiên đăng nhập cũ của tài khoản đã kết thúc.",
                   password=generated, typed=not generated)
