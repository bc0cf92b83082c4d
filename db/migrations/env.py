"""Alembic environment for Policy Radar.

`db.schema` runs the migrations on a connection it has already opened and
locked (passed as `config.attributes["connection"]`, inside its transaction);
the alembic command line (alembic.ini at the repository root) gets an engine
for $DATABASE_URL instead. Either way the target metadata is db.models, and
the search index tables, which only exist on some dialects and are not in
the models, are left out of autogenerate comparisons.
"""
from __future__ import annotations

from logging.config import fileConfig

from alembic import context

from db.engine import database_url, make_engine
from db.models import Base
from db.schema import include_name

config = context.config
if config.config_file_name is not None:  # the alembic command line: log what it runs
    fileConfig(config.config_file_name, disable_existing_loggers=False)


def run_offline() -> None:
    """`alembic upgrade --sql`: print the SQL instead of running it."""
    context.configure(url=config.get_main_option("sqlalchemy.url") or database_url(),
                      target_metadata=Base.metadata, literal_binds=True, include_name=include_name)
    with context.begin_transaction():
        context.run_migrations()


def run_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    engine = make_engine(config.get_main_option("sqlalchemy.url") or None)
    try:
        with engine.connect() as conn:
            _run(conn)
            conn.commit()
    finally:
        engine.dispose()


def _run(connection) -> None:
    context.configure(connection=connection, target_metadata=Base.metadata, include_name=include_name)
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    run_offline()
else:
    run_online()
