"""A small demo province with one account per role, built once per engine (SQLite, PostgreSQL) for the web
tests; and clients signed in as each role (API tokens, browser sessions)."""
from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, select, text
from sqlalchemy.engine import make_url

from danso.bootstrap import Context, build
from danso.config import Settings
from danso.domain import clock
from danso.services import accounts
from danso.services.demo import run_demo
from danso.services.demo_accounts import DEMO_PASSWORD, create_demo_accounts
from danso.storage.tables import households, memberships, persons, units
from danso.web.app import create_app

_PG_URL = os.environ.get("DANSO_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
PROVINCE = "31"
COMMUNE_A, COMMUNE_B = "10507", "10525"  # the first two communes of Hải Phòng: the demo fills them
OTHER_DISTRICT = "303"  # Quận Hồng Bàng (before 01/07/2025): holds none of the demo communes
ROLES = ("ctv", "xa", "huyen", "tinh", "quocgia", "admin")
LOGINS = {"ctv": "ctv.demo", "xa": "xa.demo", "huyen": "huyen.demo", "tinh": "tinh.demo",
          "quocgia": "quocgia.demo", "admin": "admin.demo", "xa_b": "xa.khac", "huyen_khac": "huyen.khac",
          "tinh_khac": "tinh.khac"}


@dataclass
class World:
    ctx: Context
    app: object
    area: str  # the demo collaborator's area (commune A)
    other_area: str  # another area of commune A
    household: int  # in the collaborator's area
    household_same_commune: int  # commune A, other area
    household_other_commune: int  # commune B
    tokens: dict[str, str] = field(default_factory=dict)

    def elderly(self, area: str, *, newest_first: bool = False) -> list[int]:
        """Ids of the living current residents of ``area`` aged 65 or more this year (the subjects of elderly
        health-check slips), by id; ``newest_first``: the highest ids first (tests sharing the world each take
        their own end)."""
        order = persons.c.id.desc() if newest_first else persons.c.id
        with self.ctx.engine.connect() as conn:
            return list(conn.execute(
                select(persons.c.id).join(memberships, memberships.c.person_id == persons.c.id)
                .join(households, households.c.id == memberships.c.household_id)
                .join(units, units.c.id == households.c.area_id)
                .where(units.c.code == area, memberships.c.valid_to.is_(None), persons.c.death_date.is_(None),
                       persons.c.birth_year <= clock.today().year - 65).order_by(order)).scalars())


def _households_by_area(conn) -> dict[str, list[int]]:  # noqa: ANN001
    out: dict[str, list[int]] = {}
    for hid, code in conn.execute(select(households.c.id, units.c.code).join(units, units.c.id == households.c.area_id)
                                  .order_by(households.c.id)):
        out.setdefault(code, []).append(hid)
    return out


@pytest.fixture(scope="session", params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def world(request, tmp_path_factory) -> Iterator[World]:  # noqa: ANN001
    if request.param == "sqlite":
        path = tmp_path_factory.mktemp("web") / "danso.db"
        shutil.copy(request.getfixturevalue("template_sqlite"), path)
        url = f"sqlite:///{path}"
    else:
        # named after the session's template, so that the session's clean-up drops it too
        template = request.getfixturevalue("template_pg")
        name = f"{template}_web_{uuid.uuid4().hex[:6]}"
        admin_url = make_url(_PG_URL)
        admin = create_engine(admin_url.set(drivername="postgresql+psycopg"), isolation_level="AUTOCOMMIT")
        with admin.connect() as c:
            c.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{template}"'))
        admin.dispose()
        url = admin_url.set(drivername="postgresql+psycopg", database=name).render_as_string(hide_password=False)
    ctx = build(Settings(url))
    # ~850 households per commune: two collaborator areas each
    run_demo(ctx, PROVINCE, communes=2, persons=6_000, seed=5)
    create_demo_accounts(ctx, PROVINCE)
    accounts.create_user(ctx, LOGINS["xa_b"], "Vũ Thị Bình", "commune_officer", COMMUNE_B, DEMO_PASSWORD)
    accounts.create_user(ctx, LOGINS["huyen_khac"], "Ngô Văn Khải", "district_officer", OTHER_DISTRICT, DEMO_PASSWORD)
    accounts.create_user(ctx, LOGINS["tinh_khac"], "Bùi Thị Hạnh", "province_officer", "01", DEMO_PASSWORD)
    with ctx.engine.connect() as conn:
        by_area = _households_by_area(conn)
    mine = next(a for a in accounts.list_users(ctx) if a.login == LOGINS["ctv"]).scope_code
    same_commune = sorted(a for a in by_area if a.startswith(COMMUNE_A) and a != mine)
    other_commune = sorted(a for a in by_area if a.startswith(COMMUNE_B))
    assert same_commune and other_commune, by_area.keys()
    w = World(ctx, create_app(ctx), mine, same_commune[0], by_area[mine][0], by_area[same_commune[0]][0],
              by_area[other_commune[0]][0])
    w.tokens = {role: accounts.create_api_token(ctx, login, "tests") for role, login in LOGINS.items()}
    yield w
    ctx.close()


@pytest.fixture
def api_as(world: World):  # noqa: ANN201
    """``api_as(role)``: a client sending that role's API token (``None``: no token)."""
    def make(role: str | None) -> TestClient:
        headers = {"Authorization": f"Bearer {world.tokens[role]}"} if role else {}
        return TestClient(world.app, headers=headers)
    return make


@pytest.fixture
def pages_as(world: World):  # noqa: ANN201
    """``pages_as(role)``: a browser signed in as that role through the login form (CSRF token included)."""
    def make(role: str) -> TestClient:
        client = TestClient(world.app, follow_redirects=False)
        client.get("/login")
        r = client.post("/login", data={"login": LOGINS[role], "password": DEMO_PASSWORD,
                                        "csrf_token": client.cookies.get("danso_csrf")})
        assert r.status_code == 303, r.text
        return client
    return make
