"""Alembic environment: the connection is handed over by danso.storage.schema (never built here)."""
from alembic import context

from danso.storage import accounts_tables  # noqa: F401 - adds the accounts tables to the metadata
from danso.storage.tables import metadata

connection = context.config.attributes.get("connection")
if connection is None:  # pragma: no cover - only for `alembic` run by hand with -x url=…
    from danso.storage.engine import make_engine

    connection = make_engine(context.get_x_argument(as_dictionary=True)["url"]).connect()

context.configure(connection=connection, target_metadata=metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
