"""Browser tests: a real server on a free localhost port, driven by Playwright with Debian's Chromium.

Without ``/usr/bin/chromium`` (or ``DANSO_CHROMIUM``) the tests are skipped — unless ``DANSO_REQUIRE_BROWSER=1``
(set by CI, which installs it), where a missing browser fails the run. Screenshots go to
``tests/browser/artifacts/`` (git-ignored), to be looked at.
"""
from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("DANSO_CHROMIUM", "/usr/bin/chromium")
REQUIRE_BROWSER = os.environ.get("DANSO_REQUIRE_BROWSER") == "1"
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
PHONE = {"width": 360, "height": 740}
LAPTOP = {"width": 1366, "height": 768}
PASSWORD = "danso-demo-2025"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fits(page, width: int) -> bool:  # noqa: ANN001
    """No horizontal scrolling of the page at the device's width (a mobile browser widens its layout viewport
    to the content, so window.innerWidth is not the measure)."""
    return page.evaluate("document.documentElement.scrollWidth") <= width


@dataclass
class Server:
    url: str
    ctx: object


@pytest.fixture(scope="session")
def chromium_path() -> str:
    if not Path(CHROMIUM).exists():
        message = f"Chromium not found at {CHROMIUM} (apt-get install chromium)"
        if REQUIRE_BROWSER:
            pytest.fail(f"{message}, and DANSO_REQUIRE_BROWSER=1 requires it")
        pytest.skip(message)
    return CHROMIUM


def demo_context(template_sqlite: Path, tmp_path_factory, name: str, persons: int):  # noqa: ANN001, ANN201
    """A copy of the migrated SQLite template, with a demo of two communes of Hải Phòng (31)."""
    from danso.bootstrap import build
    from danso.config import Settings
    from danso.services.demo import run_demo

    path = tmp_path_factory.mktemp(name) / "danso.db"
    shutil.copy(template_sqlite, path)
    ctx = build(Settings(f"sqlite:///{path}"))
    run_demo(ctx, "31", communes=2, persons=persons, seed=3)
    return ctx


@contextmanager
def serve(ctx) -> Iterator[Server]:  # noqa: ANN001
    """The app of ``ctx`` served by uvicorn on a free localhost port until the block ends (then ``ctx`` is closed)."""
    import uvicorn

    from danso.web.app import create_app

    port = _free_port()
    uv = uvicorn.Server(uvicorn.Config(create_app(ctx), host="127.0.0.1", port=port, log_level="warning",
                                       access_log=False))
    thread = threading.Thread(target=uv.run, daemon=True)
    thread.start()
    for _ in range(200):
        if uv.started:
            break
        time.sleep(0.05)
    else:  # pragma: no cover
        pytest.fail("the test server did not start")
    try:
        yield Server(f"http://127.0.0.1:{port}", ctx)
    finally:
        uv.should_exit = True
        thread.join(timeout=10)
        ctx.close()


@pytest.fixture(scope="session")
def server(chromium_path, template_sqlite, tmp_path_factory) -> Iterator[Server]:  # noqa: ANN001
    from danso.services.demo_accounts import create_demo_accounts

    ctx = demo_context(template_sqlite, tmp_path_factory, "browser", persons=3_000)
    accounts = create_demo_accounts(ctx, "31", PASSWORD)
    _submit_slips(ctx, next(a.unit_code for a in accounts if a.login == "ctv.demo"))
    with serve(ctx) as s:
        yield s


def _submit_slips(ctx, area: str) -> None:  # noqa: ANN001
    """Two slips waiting for review in the collaborator's area: health checks of her two oldest residents."""

    from sqlalchemy import select

    from danso.domain import clock
    from danso.services import slips
    from danso.storage.tables import households, memberships, persons, units

    today = clock.today()
    with ctx.engine.connect() as conn:
        oldest = conn.execute(
            select(persons.c.id).join(memberships, memberships.c.person_id == persons.c.id)
            .join(households, households.c.id == memberships.c.household_id)
            .join(units, units.c.id == households.c.area_id)
            .where(units.c.code == area, memberships.c.valid_to.is_(None), persons.c.birth_year <= today.year - 65)
            .order_by(persons.c.birth_year, persons.c.id).limit(2)).scalars().all()
    for n, person in enumerate(oldest):
        slips.create_slip(ctx, client_id=f"browser-{n}", kind="elderly_checkup", area_code=area,
                          month=today.strftime("%Y-%m"), actor="ctv.demo", submit=True, confirm=True,
                          data={"person": person, "date": today.replace(day=1).strftime("%d/%m/%Y")})


@pytest.fixture(scope="session")
def browser(chromium_path) -> Iterator[object]:  # noqa: ANN001
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=chromium_path,
                              args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        yield b
        b.close()


class Session:
    """One browser context (a device) with its page; console errors are collected (a CSP violation or a
    script error fails the test)."""

    def __init__(self, browser, server: Server, viewport: dict, name: str):  # noqa: ANN001
        self.context = browser.new_context(viewport=viewport, locale="vi-VN",
                                           device_scale_factor=1, is_mobile=viewport is PHONE,
                                           has_touch=viewport is PHONE)
        self.page = self.context.new_page()
        self.errors: list[str] = []
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.server, self.name = server, name

    def goto(self, path: str) -> None:
        self.page.goto(self.server.url + path)

    def login(self, login: str) -> None:
        self.goto("/login")
        self.page.fill("input[name=login]", login)
        self.page.fill("input[name=password]", PASSWORD)
        self.page.click("button[type=submit]")
        self.page.wait_for_url(self.server.url + "/**")

    def close(self) -> None:
        """Close the device; any console error it collected fails the test."""
        self.context.close()
        assert not self.errors, self.errors

    def shot(self, name: str, full_page: bool = True) -> Path:
        ARTIFACTS.mkdir(exist_ok=True)
        path = ARTIFACTS / f"{self.name}-{name}.png"
        self.page.screenshot(path=str(path), full_page=full_page)
        return path


@pytest.fixture
def phone(browser, server) -> Iterator[Session]:  # noqa: ANN001
    s = Session(browser, server, PHONE, "phone")
    yield s
    s.close()


@pytest.fixture
def laptop(browser, server) -> Iterator[Session]:  # noqa: ANN001
    s = Session(browser, server, LAPTOP, "laptop")
    yield s
    s.close()
