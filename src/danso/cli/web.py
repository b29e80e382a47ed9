"""``danso serve``: the web application."""
from __future__ import annotations

import click

from danso.cli.common import console, get_context


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on (0.0.0.0: every "
              "network interface, e.g. for phones on the commune's Wi-Fi).")
@click.option("--port", type=click.IntRange(1, 65535), default=8000, show_default=True)
def serve(host: str, port: int) -> None:
    """Serve the web application and the API (/api/v1, documented at /api/docs)."""
    import uvicorn

    from danso.web.app import create_app

    context = get_context()  # checks the database is initialised before the server starts
    shown = "127.0.0.1" if host in ("0.0.0.0", "::") else host
    console.print(f"danso đang chạy tại http://{shown}:{port}/  (Ctrl+C để dừng)")
    uvicorn.run(lambda: create_app(context), factory=True, host=host, port=port, proxy_headers=True,
                log_level="warning", access_log=False)
