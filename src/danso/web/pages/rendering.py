"""Rendering of templates: Vietnamese formatting filters, the user and the CSRF token in every page."""
from __future__ import annotations

import datetime as dt
from functools import lru_cache
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from danso.domain import codes
from danso.domain.access import Permission
from danso.domain.ages import age_group_label
from danso.domain.clock import VN_TZ, local_day
from danso.domain.vntext import format_date
from danso.web.security import CSRF_FIELD, csrf_token, set_csrf_cookie

TEMPLATES_DIR = Path(__file__).resolve().parent.parent / "templates"


def number(value: int | float | None) -> str:
    """1234567 → 1.234.567 (Vietnamese thousands separator)."""
    return "" if value is None else f"{value:,}".replace(",", ".")


def decimal(value: float, places: int = 1) -> str:
    return f"{value:.{places}f}".replace(".", ",")


def date(value: dt.date | dt.datetime | None) -> str:
    if isinstance(value, dt.datetime):
        value = local_day(value)  # a stored UTC time: its day in Vietnam
    return format_date(value)


def datetime(value: dt.datetime | None) -> str:
    """A stored UTC time as Vietnam time, dd/mm/yyyy hh:mm."""
    if value is None:
        return ""
    aware = value if value.tzinfo else value.replace(tzinfo=dt.UTC)
    return aware.astimezone(VN_TZ).strftime("%d/%m/%Y %H:%M")


def label(code: str | None, list_name: str) -> str:
    return codes.code_list(list_name).label(code)


def birth(p: Any) -> str:
    if p.birth_month and p.birth_day:
        return f"{p.birth_day:02d}/{p.birth_month:02d}/{p.birth_year}"
    return str(p.birth_year)


@lru_cache(maxsize=1)
def templates() -> Jinja2Templates:
    t = Jinja2Templates(directory=str(TEMPLATES_DIR))
    t.env.filters.update(number=number, decimal=decimal, date=date, datetime=datetime, label=label, birth=birth,
                         age_group=age_group_label)
    t.env.globals.update(Permission=Permission, codes=codes, CSRF_FIELD=CSRF_FIELD)
    return t


def render(request: Request, name: str, context: dict[str, Any] | None = None, status_code: int = 200,
           headers: dict[str, str] | None = None) -> HTMLResponse:
    """Render a page (or, for ``_name.html``, a fragment) with the user, the CSRF token and the htmx flag."""
    ctx = {"user": getattr(request.state, "principal", None), "csrf": csrf_token(request),
           "htmx": bool(request.headers.get("hx-request")), **(context or {})}
    response = templates().TemplateResponse(request, name, ctx, status_code=status_code, headers=headers)
    set_csrf_cookie(request, response)
    return response
