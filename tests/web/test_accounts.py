"""Accounts: creation rules, argon2 hashes, disabling, tokens, the `danso users` commands."""
from __future__ import annotations

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from danso.cli.main import cli
from danso.domain.problems import InvalidInput
from danso.services import accounts
from danso.storage.accounts_tables import api_tokens, users


def test_a_password_is_stored_as_an_argon2_hash_and_a_token_as_its_sha256(ctx):
    accounts.create_user(ctx, "lan.ctv", "Nguyễn Thị Lan", "national_viewer", None, "mat-khau-rat-dai")
    token = accounts.create_api_token(ctx, "lan.ctv", "báo cáo")
    with ctx.engine.connect() as conn:
        stored = conn.execute(select(users.c.password_hash)).scalar_one()
        token_hash = conn.execute(select(api_tokens.c.token_hash)).scalar_one()
    assert stored.startswith("$argon2id$") and "mat-khau" not in stored
    assert token_hash == accounts.secret_hash(token) and token not in token_hash
    assert accounts.principal_for_api_token(ctx, token).login == "lan.ctv"


@pytest.mark.parametrize("login, role, unit, code", [
    ("Lan CTV", "collaborator", "31", "user.login_shape"),
    ("lan", "collaborator", "31", "user.scope_level"),
    ("lan", "commune_officer", None, "user.scope_level"),
    ("lan", "national_viewer", "31", "user.scope_nationwide"),
    ("lan", "chief", "31", "user.role_unknown"),
    ("lan", "province_officer", "99", "unit.unknown"),
])
def test_an_account_with_a_wrong_role_or_scope_is_refused_with_the_reason(ctx, login, role, unit, code):
    with pytest.raises(InvalidInput) as e:
        accounts.create_user(ctx, login, "Nguyễn Thị Lan", role, unit, "mat-khau-rat-dai")
    assert code in [p.code for p in e.value.problems]
    assert accounts.list_users(ctx) == []


def test_disabling_an_account_ends_its_sessions_and_revokes_its_tokens(ctx):
    accounts.create_user(ctx, "hoa", "Lê Thị Hoa", "province_officer", "31", "mat-khau-rat-dai")
    token = accounts.create_api_token(ctx, "hoa", "x")
    _, session = accounts.sign_in(ctx, "hoa", "mat-khau-rat-dai", "10.0.0.1")
    assert accounts.principal_for_session(ctx, session)
    accounts.disable_user(ctx, "hoa")
    assert accounts.principal_for_session(ctx, session) is None
    assert accounts.principal_for_api_token(ctx, token) is None
    with pytest.raises(accounts.LoginRefused):
        accounts.sign_in(ctx, "hoa", "mat-khau-rat-dai", "10.0.0.1")


def test_sign_in_is_refused_after_five_failures_even_with_the_right_password(ctx):
    accounts.create_user(ctx, "minh", "Trần Văn Minh", "province_officer", "31", "mat-khau-rat-dai")
    for _ in range(5):
        with pytest.raises(accounts.LoginRefused) as e:
            accounts.sign_in(ctx, "minh", "sai-mat-khau", "10.0.0.2")
        assert e.value.reason == "invalid"
    with pytest.raises(accounts.LoginRefused) as e:
        accounts.sign_in(ctx, "minh", "mat-khau-rat-dai", "10.0.0.2")
    assert e.value.reason == "rate_limited"


def test_the_users_commands_add_list_reset_and_disable(db_url):
    run = CliRunner().invoke
    r = run(cli, ["--db", db_url, "users", "add", "tinh.hp", "--name", "Phạm Quốc Hùng", "--role",
                  "province_officer", "--unit", "31"])
    assert r.exit_code == 0, r.output
    assert "Đã tạo tài khoản tinh.hp" in r.output and "Mật khẩu:" in r.output
    r = run(cli, ["--db", db_url, "users", "list"])
    assert "tinh.hp" in r.output and "Cán bộ dân số tỉnh/thành phố" in r.output and "hoạt động" in r.output
    r = run(cli, ["--db", db_url, "users", "reset-password", "tinh.hp", "--password", "mat-khau-moi-123"])
    assert r.exit_code == 0 and "Đã đặt lại mật khẩu" in r.output
    r = run(cli, ["--db", db_url, "users", "disable", "tinh.hp"])
    assert r.exit_code == 0 and "Đã khoá" in r.output
    assert "đã khoá" in run(cli, ["--db", db_url, "users", "list"]).output
    r = run(cli, ["--db", db_url, "users", "add", "x", "--name", "X", "--role", "collaborator", "--unit", "31"])
    assert r.exit_code == 2
    assert "Tên đăng nhập" in r.output or "tên đăng nhập" in r.output
    r = run(cli, ["--db", db_url, "users", "disable", "khong.co"])
    assert r.exit_code == 2 and "không có người dùng" in r.output
