"""Shared CLI plumbing: the context, date options, and turning domain errors into messages and exit codes."""
from __future__ import annotations

import datetime as dt
import functools
import sys
from collections.abc import Callable
from typing import Any

import click
from rich.console import Console

from danso.bootstrap import Context, build
from danso.config import Settings
from danso.domain.problems import ConfirmationNeeded, InvalidInput, NotFound, SlipConflict
from danso.domain.vntext import DateParseError, format_date, parse_date
from danso.messages_vi import word

# Piped output (files, tests) gets a wide page instead of rich's 80-column default.
console = Console(highlight=False, soft_wrap=True, width=None if sys.stdout.isatty() else 160)
err_console = Console(stderr=True, highlight=False, soft_wrap=True, width=None if sys.stderr.isatty() else 160)

EXIT_INVALID = 2
EXIT_NOT_FOUND = 3

NOT_FOUND_WHAT = {"unit": "đơn vị hành chính", "household": "hộ", "person": "người", "slip": "phiếu",
                  "event": "sự kiện"}


def get_context() -> Context:
    ctx = click.get_current_context()
    obj = ctx.find_root().obj
    if obj.get("context") is None:
        context = build(Settings.load(obj.get("db")))
        ctx.find_root().call_on_close(context.close)
        if ctx.find_root().invoked_subcommand != "init" and not _schema_ready(context):
            err_console.print("[bold red]Cơ sở dữ liệu chưa được khởi tạo hoặc cần nâng cấp[/] "
                              f"({context.engine.url.render_as_string(hide_password=True)}): chạy `danso init`.")
            sys.exit(EXIT_INVALID)
        obj["context"] = context
    return obj["context"]


def _schema_ready(context: Context) -> bool:
    from sqlalchemy.exc import OperationalError

    from danso.storage.schema import is_current

    try:
        return is_current(context.engine)
    except OperationalError as e:
        err_console.print(f"[bold red]Không kết nối được cơ sở dữ liệu[/]: {str(e.orig).strip()}")
        sys.exit(EXIT_INVALID)


class DateType(click.ParamType):
    name = "dd/mm/yyyy"

    def convert(self, value: Any, param: Any, ctx: Any) -> dt.date:
        if isinstance(value, dt.date):
            return value
        try:
            return parse_date(value)
        except DateParseError as e:
            self.fail(str(e), param, ctx)


DATE = DateType()


def describe(error: Exception) -> str:
    """A domain error in one Vietnamese sentence (for lists of results, e.g. a batch of slips)."""
    if isinstance(error, (InvalidInput, ConfirmationNeeded)):
        prefix = "cần xác nhận: " if isinstance(error, ConfirmationNeeded) else ""
        return prefix + "; ".join(word(p) for p in error.problems)
    if isinstance(error, SlipConflict):
        return f"phiếu đã được xử lý (trạng thái “{error.status}”, bởi {error.actor or 'người khác'})"
    if isinstance(error, NotFound):
        return f"không tìm thấy {NOT_FOUND_WHAT.get(error.what, error.what)} mã {error.key}"
    return str(error)


def handles_errors(fn: Callable) -> Callable:
    """Print domain errors in Vietnamese and exit with a non-zero code (nothing has been written)."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except InvalidInput as e:
            err_console.print(f"[bold red]Dữ liệu không hợp lệ[/] — không có gì được ghi ({len(e.problems)} lỗi):")
            for p in e.problems:
                err_console.print(f"  • {word(p)}", markup=False)
            sys.exit(EXIT_INVALID)
        except ConfirmationNeeded as e:
            err_console.print(f"[bold yellow]Cần xác nhận[/] — chưa ghi gì ({len(e.problems)} cảnh báo):")
            for p in e.problems:
                err_console.print(f"  • {word(p)}", markup=False)
            err_console.print("Kiểm tra lại; nếu đúng, chạy lại lệnh với --confirm.")
            sys.exit(EXIT_INVALID)
        except SlipConflict as e:
            err_console.print(f"[bold red]Phiếu {e.slip_id} đã được xử lý[/] (trạng thái “{e.status}”, "
                              f"bởi {e.actor or 'người khác'}); không có gì thay đổi.")
            sys.exit(EXIT_INVALID)
        except NotFound as e:
            err_console.print(f"[bold red]Không tìm thấy[/] {NOT_FOUND_WHAT.get(e.what, e.what)} mã {e.key}.")
            sys.exit(EXIT_NOT_FOUND)

    return wrapper


def fmt_date(value: dt.date | None, empty: str = "") -> str:
    return format_date(value) or empty
