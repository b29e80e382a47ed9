"""Reading and writing accounts, sessions, API tokens, login attempts and the audit trail."""
from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from sqlalchemy import Connection, and_, delete, func, insert, or_, select, true, update

from danso.storage.accounts_tables import api_tokens, login_attempts, users, web_sessions
from danso.storage.tables import audit_log, units


def _user_select():  # noqa: ANN202
    return (select(users, units.c.code.label("scope_code"), units.c.name.label("scope_name"),
                   units.c.level.label("scope_level"), units.c.valid_to.label("scope_valid_to"))
            .outerjoin(units, units.c.id == users.c.scope_unit_id))


def user_by_login(conn: Connection, login: str):  # noqa: ANN201
    return conn.execute(_user_select().where(users.c.login == login)).first()


def user_by_id(conn: Connection, user_id: int):  # noqa: ANN201
    return conn.execute(_user_select().where(users.c.id == user_id)).first()


def list_users(conn: Connection) -> list:
    return list(conn.execute(_user_select().order_by(users.c.role, users.c.login)))


def insert_user(conn: Connection, *, login: str, full_name: str, password_hash: str, role: str,
                scope_unit_id: int | None, now: dt.datetime) -> int:
    return conn.execute(insert(users).values(login=login, full_name=full_name, password_hash=password_hash,
                                      role=role, scope_unit_id=scope_unit_id, active=True, created_at=now)
                        .returning(users.c.id)).scalar_one()


def update_user(conn: Connection, user_id: int, **values: object) -> None:
    conn.execute(update(users).where(users.c.id == user_id).values(**values))


# sessions -------------------------------------------------------------------------------------------------

def insert_session(conn: Connection, token_hash: str, user_id: int, now: dt.datetime, expires: dt.datetime) -> None:
    conn.execute(insert(web_sessions).values(token_hash=token_hash, user_id=user_id, created_at=now,
                                             expires_at=expires))


def session_user_id(conn: Connection, token_hash: str, now: dt.datetime) -> int | None:
    return conn.execute(select(web_sessions.c.user_id).where(web_sessions.c.token_hash == token_hash,
                                                             web_sessions.c.expires_at > now)).scalar()


def delete_sessions(conn: Connection, *, token_hash: str | None = None, user_id: int | None = None,
                    expired_before: dt.datetime | None = None) -> None:
    cond = [c for c in (web_sessions.c.token_hash == token_hash if token_hash else None,
                        web_sessions.c.user_id == user_id if user_id is not None else None,
                        web_sessions.c.expires_at <= expired_before if expired_before else None) if c is not None]
    conn.execute(delete(web_sessions).where(or_(*cond)))


# API tokens -----------------------------------------------------------------------------------------------

def insert_token(conn: Connection, user_id: int, name: str, token_hash: str, now: dt.datetime) -> int:
    return conn.execute(insert(api_tokens).values(user_id=user_id, name=name, token_hash=token_hash,
                                                  created_at=now).returning(api_tokens.c.id)).scalar_one()


def token_user_id(conn: Connection, token_hash: str) -> int | None:
    return conn.execute(select(api_tokens.c.user_id).where(api_tokens.c.token_hash == token_hash,
                                                           api_tokens.c.revoked_at.is_(None))).scalar()


def touch_token(conn: Connection, token_hash: str, now: dt.datetime) -> None:
    conn.execute(update(api_tokens).where(api_tokens.c.token_hash == token_hash).values(last_used_at=now))


def revoke_tokens(conn: Connection, user_id: int, now: dt.datetime) -> None:
    conn.execute(update(api_tokens).where(api_tokens.c.user_id == user_id, api_tokens.c.revoked_at.is_(None))
                 .values(revoked_at=now))


# login attempts -------------------------------------------------------------------------------------------

def insert_attempt(conn: Connection, login: str, ip: str, succeeded: bool, now: dt.datetime) -> None:
    conn.execute(insert(login_attempts).values(at=now, login=login, ip=ip, succeeded=succeeded))


def recent_failures(conn: Connection, login: str, ip: str, since: dt.datetime) -> tuple[int, int]:
    """Failed attempts since ``since`` for this login and from this address."""
    def count(cond) -> int:  # noqa: ANN001
        return conn.execute(select(func.count()).select_from(login_attempts).where(
            cond, login_attempts.c.at > since, login_attempts.c.succeeded.is_(False))).scalar_one()
    return count(login_attempts.c.login == login), count(login_attempts.c.ip == ip)


# audit trail ----------------------------------------------------------------------------------------------

def insert_audit(conn: Connection, *, at: dt.datetime, actor: str, action: str, target: str, ip: str,
                 detail: str) -> None:
    # ids come from the database (SERIAL / INTEGER PRIMARY KEY): concurrent requests never collide
    conn.execute(insert(audit_log).values(at=at, actor=actor, action=action, target=target, ip=ip,
                                          detail=detail))


def search_audit(conn: Connection, *, actor: str | None, action: str | None, since: dt.datetime | None,
                 until: dt.datetime | None, offset: int, limit: int) -> tuple[list, int]:
    cond = []
    if actor:
        cond.append(audit_log.c.actor == actor)
    if action:
        cond.append(audit_log.c.action.like(f"{action}%"))
    if since:
        cond.append(audit_log.c.at >= since)
    if until:
        cond.append(audit_log.c.at < until)
    where = and_(true(), *cond)
    total = conn.execute(select(func.count()).select_from(audit_log).where(where)).scalar_one()
    rows = conn.execute(select(audit_log).where(where).order_by(audit_log.c.at.desc(), audit_log.c.id.desc())
                        .offset(offset).limit(limit))
    return list(rows), total


def distinct_actions(conn: Connection) -> Sequence[str]:
    return list(conn.execute(select(audit_log.c.action).distinct().order_by(audit_log.c.action)).scalars())
