"""``danso``: the command-line entry point."""
from __future__ import annotations

import click

from danso import __version__
from danso.cli import demo as demo_cli
from danso.cli import forecast as forecast_cli
from danso.cli import registry as registry_cli
from danso.cli import reports as reports_cli
from danso.cli import slips as slips_cli
from danso.cli import units as units_cli
from danso.cli import users as users_cli
from danso.cli import web as web_cli
from danso.cli.common import DATE, console, get_context, handles_errors
from danso.cli.render import print_summary
from danso.config import DATABASE_URL_ENV
from danso.domain.codes import all_code_lists, code_list
from danso.services import registry
from danso.storage.schema import upgrade


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--db", metavar="URL", help=f"Database URL (sqlite:///FILE or postgresql://…); default: "
              f"${DATABASE_URL_ENV}, else a SQLite file in the user's data directory.")
@click.version_option(__version__, prog_name="danso")
@click.pass_context
def cli(ctx: click.Context, db: str | None) -> None:
    """danso — Hệ thống thông tin quản lý chuyên ngành Dân số - KHHGĐ."""
    ctx.ensure_object(dict)
    ctx.obj["db"] = db


@cli.command()
def init() -> None:
    """Create or upgrade the database schema (idempotent)."""
    context = get_context()
    upgrade(context.engine)
    console.print(f"Cơ sở dữ liệu sẵn sàng: {context.engine.url.render_as_string(hide_password=True)}")


@cli.command()
@click.argument("name", required=False)
def codes(name: str | None) -> None:
    """Show the code lists (danh mục), or one of them."""
    from rich.table import Table

    lists = [code_list(name)] if name else all_code_lists()
    for cl in lists:
        t = Table(title=f"{cl.title} ({cl.name}, phiên bản {cl.version})", title_justify="left")
        t.add_column("Mã")
        t.add_column("Tên")
        for item in cl.items:
            t.add_row(item.code, item.label)
        console.print(t)
        console.print(f"[dim]Nguồn: {cl.source}[/]")


@cli.command()
@click.option("--unit", "unit_code", default="VN", show_default=True, help="Unit code (e.g. 31, 11296).")
@click.option("--on", type=DATE, help="Date (dd/mm/yyyy); default today.")
@handles_errors
def summary(unit_code: str, on) -> None:  # noqa: ANN001
    """Households and resident population of a unit on a date: by sex, 5-year age group and commune."""
    print_summary(registry.summary(get_context(), unit_code, on))


cli.add_command(units_cli.units)
cli.add_command(registry_cli.households)
cli.add_command(registry_cli.persons)
cli.add_command(demo_cli.demo)
cli.add_command(slips_cli.slips)
cli.add_command(slips_cli.history)
cli.add_command(slips_cli.events)
cli.add_command(forecast_cli.forecast)
cli.add_command(users_cli.users)
cli.add_command(web_cli.serve)
cli.add_command(reports_cli.report)
cli.add_command(reports_cli.indicators)


def main() -> None:
    cli(prog_name="danso")
