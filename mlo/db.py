"""The database: one engine per app, a session per app context, and the boundary that commits."""

from pathlib import Path
from typing import cast

import alembic.command
import alembic.config
from flask import Flask, Response, current_app, g
from sqlalchemy import Engine, MetaData, create_engine, event
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker
from werkzeug.local import LocalProxy

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """Declarative base with a naming convention, so migrations get stable constraint names."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def init_app(app: Flask) -> None:
    """Create the app's engine and register the request boundary."""
    engine = make_engine(app.config["DATABASE_URL"])
    app.extensions["mlo.db"] = sessionmaker(engine)
    app.after_request(_commit)
    app.teardown_appcontext(_close)


def make_engine(url: str) -> Engine:
    """An engine for URL; SQLite gets foreign keys and WAL, as production would want."""
    engine = create_engine(url)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    # Search reads many whole rows; memory-mapped reads make that markedly faster.
    cursor.execute("PRAGMA mmap_size=268435456")
    cursor.close()


def engine() -> Engine:
    """The current app's engine."""
    return cast(Engine, current_app.extensions["mlo.db"].kw["bind"])


def get_session() -> Session:
    """The session of the current app context, opened on first use."""
    if "db_session" not in g:
        g.db_session = current_app.extensions["mlo.db"]()
    return g.db_session


session: Session = cast(Session, LocalProxy(get_session))


def create_schema() -> None:
    """Bring the current app's database to the newest schema; safe to run again."""
    upgrade(engine())


def upgrade(bind: Engine) -> None:
    """Run the Alembic migrations that the database has not had yet."""
    config = alembic.config.Config()
    config.set_main_option("script_location", str(Path(__file__).parent / "migrations"))
    with bind.begin() as connection:
        config.attributes["connection"] = connection
        alembic.command.upgrade(config, "head")


def _commit(response: Response) -> Response:
    # The request boundary: operations only flush, a successful response commits.
    db_session = g.get("db_session")
    if db_session is not None and response.status_code < 400:
        db_session.commit()
    return response


def _close(_exc: BaseException | None) -> None:
    db_session = g.pop("db_session", None)
    if db_session is not None:
        db_session.close()
