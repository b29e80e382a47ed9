"""``danso serve``: the web application."""
from __future__ import annotations

import click

from danso.cli.common import console, get_context


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on (0.0.0.0: every "
              "network interface, e.g. for phones on the commune's Wi-Fi).")
@click.option("--port", type=click.IntRange(1, 65535), default=8000, show_default=True)
@click.option("--prepare/--no-prepare", default=True, show_default=True, help="Compute the last month's dashboard "
              "of each province (and legacy district) that has officers before answering (seconds each at a "
              "province's scale), so that their first page does not wait for it.")
def serve(host: str, port: int, prepare: bool) -> None:
    """Serve the web application and the API (/api/v1, documented at /api/docs)."""
    import time

    import uvicorn

    from danso.web.app import create_app
    from danso.web.pages.home import prepare_dashboards

    context = get_context()  # checks the database is initialised before the server starts
    if prepare:
        started = time.perf_counter()
        with console.status("Đang chuẩn bị số liệu thống kê tháng trước của các tỉnh …"):
            units = prepare_dashboards(context)
        if units:
            console.print(f"Đã chuẩn bị số liệu thống kê của {', '.join(units)} "
                          f"({time.perf_counter() - started:.0f} giây).")
    shown = "127.0.0.1" if host in ("0.0.0.0", "::") else host
    console.print(f"danso đang chạy tại http://{shown}:{port}/  (Ctrl+C để dừng)")
    uvicorn.run(lambda: create_app(context), factory=True, host=host, port=port, proxy_headers=True,
                log_level="warning", access_log=False)
