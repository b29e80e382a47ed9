"""Demo accounts, one per role, over the demo population (``danso users demo``, the README's first command)."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from danso.bootstrap import Context
from danso.domain import clock
from danso.domain.access import Role
from danso.domain.problems import InvalidInput, Problem
from danso.domain.units import Level
from danso.services import accounts
from danso.services.units import resolve
from danso.storage import accounts_repo, units_repo

DEMO_PASSWORD = "danso-demo-2025"
"""Printed with the logins: demo data only, never for real accounts."""


@dataclass(frozen=True)
class DemoAccount:
    login: str
    full_name: str
    role: Role
    unit_code: str | None
    unit_name: str
    password: str


def _first_with_children(conn, parent_id: int, on: dt.date):  # noqa: ANN001, ANN202
    for child in units_repo.children(conn, parent_id, on):
        if units_repo.children(conn, child.id, None):
            return child
    return None


def create_demo_accounts(ctx: Context, province_code: str, password: str = DEMO_PASSWORD) -> list[DemoAccount]:
    """Create (or reset to ``password``) one account per role: the collaborator of the first area of the first
    commune holding demo data, its commune officer, the officer of the legacy district that commune belonged
    to, the province officer, a national viewer and an administrator."""
    today = clock.today()
    with ctx.engine.connect() as conn:
        province = resolve(conn, province_code, today, Level.PROVINCE, field="province")
        commune = _first_with_children(conn, province.id, today)
        if commune is None:
            raise InvalidInput([Problem("unit.unknown", "commune", province_code, {"code": province_code})])
        village = units_repo.children(conn, commune.id, today)[0]
        area = units_repo.children(conn, village.id, None)[0]
        _, predecessors = units_repo.lineage(conn, commune.id)
        legacy = [p for p, _k, _d in predecessors if p.unit.level == Level.COMMUNE]
        district = None
        if legacy:
            parents = [p for p, _f, _t in units_repo.parents(conn, legacy[0].id) if p.unit.level == Level.DISTRICT]
            district = parents[0] if parents else None
        existing = {r.login for r in accounts_repo.list_users(conn)}
    plan = [("ctv.demo", "Nguyễn Thị Lan", Role.COLLABORATOR, area),
            ("xa.demo", "Trần Văn Minh", Role.COMMUNE_OFFICER, commune),
            ("huyen.demo", "Lê Thị Hoa", Role.DISTRICT_OFFICER, district),
            ("tinh.demo", "Phạm Quốc Hùng", Role.PROVINCE_OFFICER, province),
            ("quocgia.demo", "Đỗ Thu Hà", Role.NATIONAL_VIEWER, None),
            ("admin.demo", "Quản trị hệ thống", Role.ADMINISTRATOR, None)]
    out = []
    for login, name, role, unit in plan:
        if role == Role.DISTRICT_OFFICER and unit is None:
            continue
        code = unit.unit.code if unit else None
        if login in existing:
            accounts.reset_password(ctx, login, password, actor="demo")
        else:
            accounts.create_user(ctx, login, name, role.value, code, password, actor="demo")
        out.append(DemoAccount(login, name, role, code, unit.unit.name if unit else "Toàn quốc", password))
    return out
