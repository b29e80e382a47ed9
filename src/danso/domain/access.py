"""Roles, what each may do, and where: plain rules, no I/O.

Every user has one role and, except national viewers and administrators, one *scope unit*: the collaborator
area or village of a collaborator (CTV), the commune of a commune officer, the legacy district (before
01/07/2025) of a district officer, the province of a province officer. A user sees a record when the unit the
record belongs to lies under their scope unit — along the hierarchy in force today, or, for a scope unit no
longer in force (a legacy district), along the hierarchy of its last day.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from danso.domain.problems import Problem
from danso.domain.units import Level


class Role(StrEnum):
    COLLABORATOR = "collaborator"
    COMMUNE_OFFICER = "commune_officer"
    DISTRICT_OFFICER = "district_officer"
    PROVINCE_OFFICER = "province_officer"
    NATIONAL_VIEWER = "national_viewer"
    ADMINISTRATOR = "administrator"

    @property
    def label(self) -> str:
        return ROLE_LABELS[self]


ROLE_LABELS = {
    Role.COLLABORATOR: "Cộng tác viên",
    Role.COMMUNE_OFFICER: "Cán bộ dân số xã/phường",
    Role.DISTRICT_OFFICER: "Cán bộ dân số quận/huyện (cũ)",
    Role.PROVINCE_OFFICER: "Cán bộ dân số tỉnh/thành phố",
    Role.NATIONAL_VIEWER: "Người xem toàn quốc",
    Role.ADMINISTRATOR: "Quản trị hệ thống",
}

SCOPE_LEVELS: dict[Role, frozenset[Level]] = {
    Role.COLLABORATOR: frozenset({Level.AREA, Level.VILLAGE}),
    Role.COMMUNE_OFFICER: frozenset({Level.COMMUNE}),
    Role.DISTRICT_OFFICER: frozenset({Level.DISTRICT}),
    Role.PROVINCE_OFFICER: frozenset({Level.PROVINCE}),
    Role.NATIONAL_VIEWER: frozenset(),
    Role.ADMINISTRATOR: frozenset(),
}
"""Levels a role's scope unit may have; an empty set: the whole country, no scope unit."""


class Permission(StrEnum):
    READ_REGISTER = "read_register"  # households and persons (personal data)
    MANAGE_UNITS = "manage_units"  # villages and collaborator areas
    ENTER_SLIPS = "enter_slips"  # collection slips of an area (a commune officer: on a collaborator's behalf)
    REVIEW_SLIPS = "review_slips"  # accept, return or reject collection slips
    VIEW_STATISTICS = "view_statistics"  # aggregate counts, dashboards
    MANAGE_USERS = "manage_users"
    READ_AUDIT = "read_audit"


PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.COLLABORATOR: frozenset({Permission.READ_REGISTER, Permission.ENTER_SLIPS, Permission.VIEW_STATISTICS}),
    Role.COMMUNE_OFFICER: frozenset({Permission.READ_REGISTER, Permission.MANAGE_UNITS, Permission.ENTER_SLIPS,
                                     Permission.REVIEW_SLIPS, Permission.VIEW_STATISTICS}),
    Role.DISTRICT_OFFICER: frozenset({Permission.READ_REGISTER, Permission.VIEW_STATISTICS}),
    # a province officer may enter and accept slips on behalf of a commune that has no computer (marked
    # on_behalf); district officers only read: their districts ended with the reform of 01/07/2025
    Role.PROVINCE_OFFICER: frozenset({Permission.READ_REGISTER, Permission.ENTER_SLIPS, Permission.REVIEW_SLIPS,
                                      Permission.VIEW_STATISTICS}),
    # national viewers see statistics, never names: the register stays with the provinces
    Role.NATIONAL_VIEWER: frozenset({Permission.VIEW_STATISTICS}),
    Role.ADMINISTRATOR: frozenset(Permission),
}


@dataclass(frozen=True)
class Principal:
    """Who is asking: the signed-in user (web session) or the owner of an API token."""

    user_id: int
    login: str
    full_name: str
    role: Role
    scope_unit_id: int | None  # None: the whole country
    scope_code: str = "VN"
    scope_name: str = "Toàn quốc"
    scope_level: Level = Level.NATION
    scope_last_day: dt.date | None = None  # set when the scope unit is no longer in force

    def can(self, permission: Permission) -> bool:
        return permission in PERMISSIONS[self.role]

    @property
    def nationwide(self) -> bool:
        return self.scope_unit_id is None

    def hierarchy_date(self, today: dt.date) -> dt.date:
        """The date along whose hierarchy the scope is read (a legacy district: its last day)."""
        return self.scope_last_day if self.scope_last_day and self.scope_last_day < today else today

    def covers(self, ancestor_ids: set[int]) -> bool:
        """Whether a unit whose ancestors (itself included) are ``ancestor_ids`` lies in this scope."""
        return self.nationwide or self.scope_unit_id in ancestor_ids


class AccessDenied(Exception):
    """The user may not do this (a role without the permission). Records outside a user's scope are reported
    as not found instead, so that their existence is not revealed."""

    def __init__(self, permission: Permission):
        self.permission = permission
        super().__init__(f"permission {permission} required")


def require(principal: Principal, permission: Permission) -> None:
    if not principal.can(permission):
        raise AccessDenied(permission)


LOGIN_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789._-")
PASSWORD_MIN_LENGTH = 10


def account_problems(login: str, full_name: str, role: str, scope_level: Level | None) -> list[Problem]:
    """What is wrong with a new account (wording in danso.messages_vi / danso.web)."""
    out: list[Problem] = []
    if not (3 <= len(login) <= 64) or not set(login) <= LOGIN_CHARS:
        out.append(Problem("user.login_shape", "login", login, {"value": login}))
    if not full_name.strip():
        out.append(Problem("user.name_missing", "full_name", login))
    if role not in Role.__members__.values():
        out.append(Problem("user.role_unknown", "role", login, {"value": role,
                                                                 "roles": ", ".join(r.value for r in Role)}))
        return out
    levels = SCOPE_LEVELS[Role(role)]
    if levels and scope_level not in levels:
        out.append(Problem("user.scope_level", "unit", login, {
            "role": Role(role).label, "levels": ", ".join(sorted(lv.label for lv in levels))}))
    if not levels and scope_level not in (None, Level.NATION):
        out.append(Problem("user.scope_nationwide", "unit", login, {"role": Role(role).label}))
    return out


def password_problems(password: str, login: str) -> list[Problem]:
    if len(password) < PASSWORD_MIN_LENGTH:
        return [Problem("user.password_short", "password", login, {"min": PASSWORD_MIN_LENGTH})]
    if password.lower() == login.lower():
        return [Problem("user.password_is_login", "password", login)]
    return []


@dataclass(frozen=True)
class RateLimit:
    """Failed logins allowed within ``window`` before further attempts are refused until it passes."""

    per_login: int = 5
    per_ip: int = 20
    window: dt.timedelta = dt.timedelta(minutes=15)

    def blocked(self, failures_for_login: int, failures_from_ip: int) -> bool:
        return failures_for_login >= self.per_login or failures_from_ip >= self.per_ip
