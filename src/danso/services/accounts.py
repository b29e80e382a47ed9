"""Use cases of accounts: create, list, disable users and reset passwords; sign in (rate-limited and recorded);
browser sessions and API tokens; who is asking (a :class:`Principal`) for every other service.

Passwords are hashed with argon2id; session cookies and API tokens are random values of which only the SHA-256
is stored. Every write here is recorded in the audit trail within the same transaction.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass
from functools import lru_cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import Connection

from danso.bootstrap import Context
from danso.domain import clock
from danso.domain.access import Principal, RateLimit, Role, SCOPE_LEVELS, account_problems, password_problems
from danso.domain.problems import InvalidInput, Problem
from danso.domain.units import Level
from danso.storage import accounts_repo, units_repo

SESSION_LIFETIME = dt.timedelta(hours=12)
RATE_LIMIT = RateLimit()
TOKEN_PREFIX = "dso_"


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


@lru_cache(maxsize=1)
def _hasher() -> PasswordHasher:
    return PasswordHasher()  # argon2id, the library's current recommended parameters


def hash_password(password: str) -> str:
    return _hasher().hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher().verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def secret_hash(value: str) -> str:
    """SHA-256 (hex) of a session cookie or API token: what the database keeps."""
    return hashlib.sha256(value.encode()).hexdigest()


def generate_password() -> str:
    return secrets.token_urlsafe(9)  # 12 characters, ~72 bits


@dataclass(frozen=True)
class UserView:
    id: int
    login: str
    full_name: str
    role: Role
    scope_code: str | None
    scope_name: str | None
    active: bool
    created_at: dt.datetime


def _principal(row) -> Principal:  # noqa: ANN001
    if row.scope_unit_id is None:
        return Principal(row.id, row.login, row.full_name, Role(row.role), None)
    return Principal(row.id, row.login, row.full_name, Role(row.role), row.scope_unit_id, row.scope_code,
                     row.scope_name, Level(row.scope_level), row.scope_valid_to)


def _view(row) -> UserView:  # noqa: ANN001
    return UserView(row.id, row.login, row.full_name, Role(row.role), row.scope_code, row.scope_name,
                    bool(row.active), row.created_at)


def audit(conn: Connection, actor: str, action: str, target: str = "", *, ip: str = "", detail: str = "") -> None:
    """Record one write or export of personal data: who, what, when, from where. Never personal data itself:
    ``target`` names records by id (``household:12``), ``detail`` holds non-personal context."""
    accounts_repo.insert_audit(conn, at=utcnow(), actor=actor, action=action, target=target, ip=ip, detail=detail)


def _scope_unit(conn: Connection, role: Role, unit_code: str | None, login: str) -> tuple[int | None, Level | None]:
    if not unit_code:
        return None, None
    levels = SCOPE_LEVELS[role]
    rows = [r for r in units_repo.find_by_code(conn, unit_code) if not levels or r.unit.level in levels]
    if not rows:
        rows = units_repo.find_by_code(conn, unit_code)
        if not rows:
            raise InvalidInput([Problem("unit.unknown", "unit", login, {"code": unit_code})])
    # the version in force today, else the latest (a legacy district: the one that ended on 30/06/2025)
    today = clock.today()
    row = next((r for r in rows if r.unit.in_force(today)), rows[-1])
    return row.id, row.unit.level


def create_user(ctx: Context, login: str, full_name: str, role: str, unit_code: str | None, password: str,
                *, actor: str = "cli", ip: str = "") -> UserView:
    """Create an account. ``unit_code``: the scope unit (area or village for a collaborator, commune, legacy
    district, province); none for national viewers and administrators.

    Example: ``create_user(ctx, "lan.ctv", "Nguyễn Thị Lan", "collaborator", "10507-001-01", "…")``
    """
    login = login.strip().lower()
    problems = password_problems(password, login)
    with ctx.engine.begin() as conn:
        level = None
        unit_id = None
        if role in Role.__members__.values():
            unit_id, level = _scope_unit(conn, Role(role), unit_code, login)
        problems = account_problems(login, full_name, role, level) + problems
        if accounts_repo.user_by_login(conn, login) is not None:
            problems.append(Problem("user.login_taken", "login", login, {"value": login}))
        if problems:
            raise InvalidInput(problems)
        uid = accounts_repo.insert_user(conn, login=login, full_name=full_name.strip(),
                                        password_hash=hash_password(password), role=role,
                                        scope_unit_id=unit_id, now=utcnow())
        audit(conn, actor, "user.create", f"user:{uid}", ip=ip, detail=f"role={role} unit={unit_code or ''}")
        return _view(accounts_repo.user_by_id(conn, uid))


def list_users(ctx: Context) -> list[UserView]:
    with ctx.engine.connect() as conn:
        return [_view(r) for r in accounts_repo.list_users(conn)]


def active_principals(ctx: Context, roles: set[Role]) -> list[Principal]:
    """The active accounts of these roles, as they are when they sign in."""
    with ctx.engine.connect() as conn:
        return [_principal(r) for r in accounts_repo.list_users(conn) if r.active and Role(r.role) in roles]


def _existing(conn: Connection, login: str):  # noqa: ANN202
    row = accounts_repo.user_by_login(conn, login.strip().lower())
    if row is None:
        raise InvalidInput([Problem("user.unknown", "login", login, {"value": login})])
    return row


def disable_user(ctx: Context, login: str, *, actor: str = "cli", ip: str = "") -> None:
    """Disable an account: its sessions end and its API tokens are revoked at once."""
    with ctx.engine.begin() as conn:
        row = _existing(conn, login)
        accounts_repo.update_user(conn, row.id, active=False)
        accounts_repo.delete_sessions(conn, user_id=row.id)
        accounts_repo.revoke_tokens(conn, row.id, utcnow())
        audit(conn, actor, "user.disable", f"user:{row.id}", ip=ip)


def enable_user(ctx: Context, login: str, *, actor: str = "cli", ip: str = "") -> None:
    """Enable a disabled account again (with its password; its API tokens stay revoked)."""
    with ctx.engine.begin() as conn:
        row = _existing(conn, login)
        accounts_repo.update_user(conn, row.id, active=True)
        audit(conn, actor, "user.enable", f"user:{row.id}", ip=ip)


def reset_password(ctx: Context, login: str, password: str, *, actor: str = "cli", ip: str = "") -> None:
    """Set a new password (and re-enable the account); open sessions end."""
    with ctx.engine.begin() as conn:
        row = _existing(conn, login)
        problems = password_problems(password, row.login)
        if problems:
            raise InvalidInput(problems)
        accounts_repo.update_user(conn, row.id, password_hash=hash_password(password), active=True)
        accounts_repo.delete_sessions(conn, user_id=row.id)
        audit(conn, actor, "user.reset_password", f"user:{row.id}", ip=ip)


class LoginRefused(Exception):
    """``reason``: "invalid" (unknown login, wrong password or disabled account: not told apart, so that
    logins cannot be probed) or "rate_limited"."""

    def __init__(self, reason: str, retry_minutes: int = 0):
        self.reason, self.retry_minutes = reason, retry_minutes
        super().__init__(reason)


def sign_in(ctx: Context, login: str, password: str, ip: str) -> tuple[Principal, str]:
    """Check a login and password and open a session. Returns the principal and the session token (for the
    cookie). Every attempt is recorded; after too many failures the login is refused for a while."""
    login = login.strip().lower()[:64]
    now = utcnow()
    # read, then check the password (argon2: slow on purpose) outside any write transaction, then record
    with ctx.engine.connect() as conn:
        blocked = RATE_LIMIT.blocked(*accounts_repo.recent_failures(conn, login, ip, now - RATE_LIMIT.window))
        row = None if blocked else accounts_repo.user_by_login(conn, login)
    ok = False
    if not blocked:
        ok = row is not None and bool(row.active) and verify_password(row.password_hash, password)
        if not ok and row is None:
            verify_password(_dummy_hash(), password)  # same time whether the login exists or not
    with ctx.engine.begin() as conn:
        if blocked:
            accounts_repo.insert_attempt(conn, login, ip, False, now)
            audit(conn, login, "login.rate_limited", ip=ip)
            raise_later = LoginRefused("rate_limited", int(RATE_LIMIT.window.total_seconds() // 60))
        else:
            accounts_repo.insert_attempt(conn, login, ip, ok, now)
            audit(conn, login, "login.succeeded" if ok else "login.failed", f"user:{row.id}" if row else "", ip=ip)
            if ok:
                token = secrets.token_urlsafe(32)
                accounts_repo.delete_sessions(conn, expired_before=now)
                accounts_repo.insert_session(conn, secret_hash(token), row.id, now, now + SESSION_LIFETIME)
                return _principal(row), token
            raise_later = LoginRefused("invalid")
    # raised after the transaction committed, so that the failed attempt is counted
    raise raise_later


@lru_cache(maxsize=1)
def _dummy_hash() -> str:
    return hash_password(secrets.token_urlsafe(16))


def sign_out(ctx: Context, token: str, actor: str, ip: str) -> None:
    with ctx.engine.begin() as conn:
        accounts_repo.delete_sessions(conn, token_hash=secret_hash(token))
        audit(conn, actor, "logout", ip=ip)


def principal_for_session(ctx: Context, token: str) -> Principal | None:
    """The user of a session cookie, if the session is open and the account active."""
    with ctx.engine.connect() as conn:
        uid = accounts_repo.session_user_id(conn, secret_hash(token), utcnow())
        row = accounts_repo.user_by_id(conn, uid) if uid is not None else None
        return _principal(row) if row is not None and row.active else None


def create_api_token(ctx: Context, login: str, name: str, *, actor: str = "cli", ip: str = "") -> str:
    """A new API token for the user (shown once; only its hash is kept). It carries the user's role and scope."""
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    with ctx.engine.begin() as conn:
        row = _existing(conn, login)
        tid = accounts_repo.insert_token(conn, row.id, name.strip() or "api", secret_hash(token), utcnow())
        audit(conn, actor, "token.create", f"token:{tid}", ip=ip, detail=f"user:{row.id}")
    return token


def principal_for_api_token(ctx: Context, token: str) -> Principal | None:
    if not token.startswith(TOKEN_PREFIX):
        return None
    with ctx.engine.begin() as conn:
        uid = accounts_repo.token_user_id(conn, secret_hash(token))
        row = accounts_repo.user_by_id(conn, uid) if uid is not None else None
        if row is None or not row.active:
            return None
        accounts_repo.touch_token(conn, secret_hash(token), utcnow())
        return _principal(row)


@dataclass(frozen=True)
class AuditEntry:
    at: dt.datetime
    actor: str
    action: str
    target: str
    ip: str
    detail: str


def audit_entries(ctx: Context, principal: Principal, *, actor: str = "", action: str = "",
                  since: dt.date | None = None, until: dt.date | None = None, page: int = 1,
                  page_size: int = 100) -> tuple[list[AuditEntry], int]:
    """The audit trail, newest first, for administrators: by actor (login), action prefix and days (UTC)."""
    from danso.domain.access import Permission, require

    require(principal, Permission.READ_AUDIT)
    if since and until and since > until:
        raise InvalidInput([Problem("date.range", "on", "")])
    start = dt.datetime.combine(since, dt.time(), dt.UTC) if since else None
    end = dt.datetime.combine(until + dt.timedelta(days=1), dt.time(), dt.UTC) if until else None
    with ctx.engine.connect() as conn:
        rows, total = accounts_repo.search_audit(conn, actor=actor.strip().lower() or None,
                                                 action=action.strip() or None, since=start, until=end,
                                                 offset=(max(page, 1) - 1) * page_size, limit=page_size)
    return [AuditEntry(_aware(r.at), r.actor, r.action, r.target, r.ip, r.detail) for r in rows], total


def _aware(value: dt.datetime) -> dt.datetime:
    """SQLite hands back naive datetimes: every stored time is UTC."""
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)
