"""The application factory: ``create_app(context)`` builds the FastAPI app; nothing is built at import.

Serve with ``danso serve`` (uvicorn, factory). Pages are server-rendered (Jinja2, htmx vendored in /static);
the JSON API lives under /api/v1, documented by its OpenAPI schema at /api/v1/openapi.json.
"""
from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI, Request, Response
from fastapi.middleware.gzip import GZipMiddleware
from fastapi.staticfiles import StaticFiles

import danso.messages_accounts  # noqa: F401 - wording of the account problems
from danso import __version__
from danso.bootstrap import Context
from danso.web import errors
from danso.web.security import SECURITY_HEADERS

STATIC_DIR = Path(__file__).resolve().parent / "static"


def create_app(context: Context) -> FastAPI:
    """Build the application over ``context`` (its engine must hold an upgraded schema)."""
    from danso.web.api.v1 import router as api_v1
    from danso.web.pages import (areas, audit, auth, forecast, home, households, reminders, reports, search,
                                 slip_forms, slips, users)

    app = FastAPI(
        title="danso API", version=__version__,
        description="Hệ thống thông tin quản lý chuyên ngành Dân số - KHHGĐ. Xác thực: `Authorization: Bearer "
                    "<mã truy cập>` (tạo bằng `danso users token LOGIN`). Lỗi: `{\"error\": {\"code\", \"message\"}}`.",
        openapi_url="/api/v1/openapi.json", docs_url=None, redoc_url=None,  # the viewers load from CDNs
    )
    app.state.context = context
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    app.include_router(api_v1)
    for module in (auth, home, households, search, areas, audit, slip_forms, slips, forecast, reports, reminders,
                   users):
        app.include_router(module.router, include_in_schema=False)
    errors.install(app)

    @app.get("/favicon.ico", include_in_schema=False)
    def favicon() -> Response:
        """No icon (pages extending base.html say so; a browser still asks on the others, e.g. the print view)."""
        return Response(status_code=204)

    app.add_middleware(GZipMiddleware, minimum_size=1000)  # htmx.min.js: 52 kB → 17 kB on a slow line

    @app.middleware("http")
    async def security_headers(request: Request, call_next):  # noqa: ANN001, ANN202
        response = await call_next(request)
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        if not request.url.path.startswith("/static/"):
            response.headers.setdefault("Cache-Control", "no-store")  # pages hold personal data
        return response

    return app
