"""Accounts of the web application: users, browser sessions, API tokens, login attempts; the audit trail's
extra columns. Same ``metadata`` as danso.storage.tables, so Alembic sees one schema; migration 0002.

Secrets are never stored: sessions and API tokens are kept as the SHA-256 of the random value handed to the
browser or the integration, passwords as argon2 hashes.
"""
from __future__ import annotations

from sqlalchemy import Boolean, Column, DateTime, ForeignKey, Index, Integer, String, Table, Text, true

from danso.storage.tables import audit_log, metadata

users = Table(
    "users",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("login", String(64), nullable=False),
    Column("full_name", Text, nullable=False),
    Column("password_hash", Text, nullable=False),  # argon2id
    Column("role", String(24), nullable=False),  # danso.domain.access.Role
    Column("scope_unit_id", Integer, ForeignKey("units.id")),  # NULL for national viewers and administrators
    Column("active", Boolean, nullable=False, server_default=true()),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Index("uq_users_login", "login", unique=True),
)

web_sessions = Table(
    "web_sessions",
    metadata,
    Column("token_hash", String(64), primary_key=True),  # sha256 hex of the cookie value
    Column("user_id", Integer, ForeignKey("users.id"), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("expires_at", DateTime(timezone=True), nullable=False),
    Index("ix_web_sessions_user_id", "user_id"),
)

api_tokens = Table(
    "api_tokens",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("user_id", Integer, ForeignKey("users.id"), nullable=False),
    Column("name", Text, nullable=False),
    Column("token_hash", String(64), nullable=False),  # sha256 hex of the token
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("last_used_at", DateTime(timezone=True)),
    Column("revoked_at", DateTime(timezone=True)),
    Index("uq_api_tokens_token_hash", "token_hash", unique=True),
    Index("ix_api_tokens_user_id", "user_id"),
)

login_attempts = Table(
    "login_attempts",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("login", String(64), nullable=False),
    Column("ip", String(45), nullable=False, server_default=""),
    Column("succeeded", Boolean, nullable=False),
    Index("ix_login_attempts_login_at", "login", "at"),
    Index("ix_login_attempts_ip_at", "ip", "at"),
)

# The audit trail (created in 0001) gains where a request came from and what it touched (migration 0002).
if "ip" not in audit_log.c:
    audit_log.append_column(Column("ip", String(45), nullable=False, server_default=""))
    audit_log.append_column(Column("target", Text, nullable=False, server_default=""))
    Index("ix_audit_log_at", audit_log.c.at)
