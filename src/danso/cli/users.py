"""``danso users …``: accounts of the web application."""
from __future__ import annotations

import click
from rich.table import Table

import danso.messages_accounts  # noqa: F401 - wording of the account problems
from danso.cli.common import console, get_context, handles_errors
from danso.domain.access import Role
from danso.services import accounts
from danso.services.demo_accounts import create_demo_accounts

ROLES = [r.value for r in Role]


def _password(value: str | None) -> tuple[str, bool]:
    """The password given, or a generated one (to be printed once)."""
    return (value, False) if value else (accounts.generate_password(), True)


@click.group()
def users() -> None:
    """Accounts of the web application (roles and scope)."""


@users.command("add")
@click.argument("login")
@click.option("--name", "full_name", required=True, help="Full name, e.g. \"Nguyễn Thị Lan\".")
@click.option("--role", type=click.Choice(ROLES), required=True, help="Role of the account.")
@click.option("--unit", "unit_code", help="Scope unit: area or village (collaborator), commune, legacy district, "
              "province; none for national_viewer and administrator.")
@click.option("--password", help="Initial password (≥ 10 characters); default: a random one, printed once.")
@handles_errors
def add(login: str, full_name: str, role: str, unit_code: str | None, password: str | None) -> None:
    """Create an account. Example: danso users add lan.ctv --name "Nguyễn Thị Lan" --role collaborator
    --unit 10507-001-01"""
    password, generated = _password(password)
    user = accounts.create_user(get_context(), login, full_name, role, unit_code, password)
    console.print(f"Đã tạo tài khoản {user.login} ({user.role.label}, {user.scope_name or 'toàn quốc'}).")
    if generated:
        console.print(f"Mật khẩu: {password}  (chỉ hiện một lần)", markup=False)


@users.command("list")
@handles_errors
def list_() -> None:
    """List the accounts."""
    t = Table()
    for col in ("Tên đăng nhập", "Họ và tên", "Vai trò", "Đơn vị", "Trạng thái", "Ngày tạo"):
        t.add_column(col)
    for u in accounts.list_users(get_context()):
        t.add_row(u.login, u.full_name, u.role.label, f"{u.scope_code} {u.scope_name}" if u.scope_code else "Toàn quốc",
                  "hoạt động" if u.active else "đã khoá", u.created_at.strftime("%d/%m/%Y"))
    console.print(t)


@users.command("disable")
@click.argument("login")
@handles_errors
def disable(login: str) -> None:
    """Disable an account: its sessions end and its API tokens stop working."""
    accounts.disable_user(get_context(), login)
    console.print(f"Đã khoá tài khoản {login}.")


@users.command("reset-password")
@click.argument("login")
@click.option("--password", help="New password (≥ 10 characters); default: a random one, printed once.")
@handles_errors
def reset_password(login: str, password: str | None) -> None:
    """Set a new password (the account is re-enabled; open sessions end)."""
    password, generated = _password(password)
    accounts.reset_password(get_context(), login, password)
    console.print(f"Đã đặt lại mật khẩu cho {login}.")
    if generated:
        console.print(f"Mật khẩu mới: {password}  (chỉ hiện một lần)", markup=False)


@users.command("token")
@click.argument("login")
@click.option("--name", default="api", show_default=True, help="What the token is for.")
@handles_errors
def token(login: str, name: str) -> None:
    """Create an API token for an integration (Authorization: Bearer TOKEN); it acts with this user's scope."""
    value = accounts.create_api_token(get_context(), login, name)
    console.print(f"Mã truy cập API (chỉ hiện một lần): {value}", markup=False)


@users.command("demo")
@click.option("--province", required=True, help="Province of the demo population (e.g. 31).")
@handles_errors
def demo(province: str) -> None:
    """Create (or reset) one demo account per role over the demo population, and print the logins."""
    t = Table(title="Tài khoản dùng thử", title_justify="left")
    for col in ("Tên đăng nhập", "Mật khẩu", "Vai trò", "Đơn vị"):
        t.add_column(col)
    for a in create_demo_accounts(get_context(), province):
        t.add_row(a.login, a.password, a.role.label, f"{a.unit_code} {a.unit_name}" if a.unit_code else a.unit_name)
    console.print(t)
