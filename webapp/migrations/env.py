"""Alembic environment: the database URL comes from the web game's configuration.

``webapp.db.upgrade_database(app)`` passes an open connection; the ``alembic`` command line
builds the app (``create_app()``) to read ``QUIZGEN_DATABASE_URL``.
"""

from __future__ import annotations

from logging.config import fileConfig

from alembic import context
from sqlmodel import SQLModel

import webapp.models  # noqa: F401  (registers every table on SQLModel.metadata)

config = context.config
target_metadata = SQLModel.metadata


def _configure(**kwargs) -> None:
    context.configure(target_metadata=target_metadata, compare_type=True, **kwargs)


def run_with(connection) -> None:
    """Run the migrations on an open connection (batch mode on SQLite, which cannot ALTER much)."""
    _configure(connection=connection, render_as_batch=connection.dialect.name == "sqlite")
    with context.begin_transaction():
        context.run_migrations()


def database_url() -> str:
    from webapp import create_app

    return create_app().config["DATABASE_URL"]


if context.is_offline_mode():
    url = database_url()
    _configure(url=url, literal_binds=True, render_as_batch=url.startswith("sqlite"))
    with context.begin_transaction():
        context.run_migrations()
elif config.attributes.get("connection") is not None:
    run_with(config.attributes["connection"])
else:
    if config.config_file_name is not None:
        fileConfig(config.config_file_name, disable_existing_loggers=False)
    from webapp.db import make_engine

    engine = make_engine(database_url())
    with engine.connect() as connection:
        if connection.dialect.name == "sqlite":
            connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
        run_with(connection)
        connection.commit()
    engine.dispose()
