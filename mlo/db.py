"""The database: one engine per app, a session per app context, and the boundary that commits.

Operations only add and flush. A view that writes calls `begin_write()` before it reads what it
will change (on SQLite the transaction then takes the write lock at its start, BEGIN IMMEDIATE,
and waits its turn), and `commit_when_done()` once the write is valid: the request boundary
commits only then, and only if the response succeeded. Everything else is rolled back.
"""

import functools
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, cast

import alembic.command
import alembic.config
import alembic.script
from flask import Flask, Response, current_app, g
from sqlalchemy import Connection, Engine, MetaData, Select, create_engine, event
from sqlalchemy.engine import Compiled, Dialect
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker
from werkzeug.local import LocalProxy

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
MIGRATIONS = Path(__file__).parent / "migrations"
# How long a SQLite writer waits for another's lock before giving up (milliseconds).
SQLITE_BUSY_TIMEOUT = 5000


class Base(DeclarativeBase):
    """Declarative base with a naming convention, so migrations get stable constraint names."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def init_app(app: Flask) -> None:
    """Create the app's engines and register the request boundary."""
    engine = make_engine(app.config["DATABASE_URL"])
    # The newsroom's time zone travels with each session: the listing counts months in it.
    app.extensions["mlo.db"] = sessionmaker(engine, info={"zone": app.config["NEWSROOM_TIMEZONE"]})
    app.extensions["mlo.db.write"] = write_engine(engine)
    app.after_request(_commit)
    app.teardown_appcontext(_close)


def make_engine(url: str) -> Engine:
    """An engine for URL; SQLite gets foreign keys, WAL and transactions it controls itself."""
    engine = create_engine(url)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_connect)
        event.listen(engine, "begin", _sqlite_begin)
    return engine


def write_engine(engine: Engine) -> Engine:
    """The same engine (pool and listeners) whose transactions are write transactions."""
    return engine.execution_options(sqlite_begin="IMMEDIATE")


def _sqlite_connect(dbapi_connection, _record) -> None:
    # The driver's own transaction handling runs SELECTs outside any transaction, so a
    # read-then-write silently loses a concurrent update: we issue BEGIN ourselves.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT}")
    # Search reads many whole rows; memory-mapped reads make that markedly faster.
    cursor.execute("PRAGMA mmap_size=268435456")
    cursor.close()


def _sqlite_begin(connection: Connection) -> None:
    options = connection.get_execution_options()
    wait = int(options.get("sqlite_busy_timeout", SQLITE_BUSY_TIMEOUT))
    # Set only when it changes: most transactions (every page a reader asks for) keep the default.
    if connection.info.get("busy_timeout", SQLITE_BUSY_TIMEOUT) != wait:
        connection.exec_driver_sql(f"PRAGMA busy_timeout={wait}")
        connection.info["busy_timeout"] = wait
    connection.exec_driver_sql(f"BEGIN {options.get('sqlite_begin', 'DEFERRED')}")


def engine(app: Flask | None = None) -> Engine:
    """The engine of `app` (by default the current app)."""
    return cast(Engine, (app or current_app).extensions["mlo.db"].kw["bind"])


def fetch_one(
    statement: Select, params: dict[str, Any], bind: Engine | None = None
) -> tuple[Any, ...] | None:
    """The first row of a small read on a pooled connection of its own (of `bind`, by default
    the current app's engine), without a session or the ORM: what the page cache asks on every
    request must cost next to nothing. Values come as the driver gives them (SQLite gives times
    as ISO strings)."""
    bind = bind or engine()
    compiled = _compiled(bind.dialect, statement)
    values = compiled.construct_params(params)
    if compiled.positiontup is not None:
        arguments: Any = tuple(values[name] for name in compiled.positiontup)
    else:
        arguments = values
    connection = bind.raw_connection()
    try:
        cursor = connection.cursor()
        cursor.execute(compiled.string, arguments)
        row = cursor.fetchone()
        cursor.close()
    finally:
        connection.close()
    return tuple(row) if row is not None else None


@functools.cache
def _compiled(dialect: Dialect, statement: Select) -> Compiled:
    return statement.compile(dialect=dialect)


def get_session() -> Session:
    """The session of the current app context, opened on first use."""
    if "db_session" not in g:
        g.db_session = current_app.extensions["mlo.db"]()
    return g.db_session


# The database session (not Flask's cookie `session`).
dbsession: Session = cast(Session, LocalProxy(get_session))


def begin_write(wait_ms: int | None = None) -> Session:
    """Make this context's session a writer: its next statement starts a write transaction
    (on SQLite waiting up to `wait_ms` for another writer, by default SQLITE_BUSY_TIMEOUT)."""
    session = get_session()
    writer = current_app.extensions["mlo.db.write"]
    if wait_ms is not None:
        writer = writer.execution_options(sqlite_busy_timeout=wait_ms)
    session.rollback()  # ends any read snapshot; loaded objects reload when next used
    session.bind = writer
    return session


def end_write() -> Session:
    """Give up this context's write transaction (rolled back); the session reads again."""
    session = get_session()
    session.rollback()
    session.bind = engine()
    g.pop("db_commit", None)
    return session


def commit_when_done() -> None:
    """Have the request boundary commit this request's writes if its response succeeds."""
    g.db_commit = True


def create_schema() -> None:
    """Bring the current app's database to the newest schema; safe to run again."""
    upgrade(engine(), zone=current_app.config["NEWSROOM_TIMEZONE"])


def alembic_config(connection: Connection | None = None) -> alembic.config.Config:
    """The Alembic configuration of our migrations, on `connection` if given."""
    config = alembic.config.Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


def upgrade(bind: Engine, zone: str | None = None) -> None:
    """Run the Alembic migrations that the database has not had yet (the listing's month counts
    are kept in the newsroom time zone `zone`; None keeps the one they were made in)."""
    with bind.connect() as connection, foreign_keys_off(connection), connection.begin():
        config = alembic_config(connection)
        config.attributes["zone"] = zone
        alembic.command.upgrade(config, "head")


@contextmanager
def foreign_keys_off(connection: Connection) -> Iterator[None]:
    """On SQLite, no foreign key actions while migrating: Alembic's batch mode drops and
    recreates a table, and ON DELETE CASCADE would empty the tables that point at it."""
    if connection.dialect.name != "sqlite":
        yield
        return
    raw = connection.connection.dbapi_connection
    raw.execute("PRAGMA foreign_keys=OFF")  # only outside a transaction, so before BEGIN
    try:
        yield
        broken = raw.execute("PRAGMA foreign_key_check").fetchall()
        if broken:
            raise RuntimeError(f"the migration left rows pointing nowhere: {broken[:5]}")
    finally:
        raw.execute("PRAGMA foreign_keys=ON")


def revision(bind: Engine, message: str, directory: Path | None = None) -> list[Path]:
    """Write a new migration, autogenerated from the difference of the models and `bind`;
    alembic.util.CommandError if the database is not upgraded first."""
    versions = MIGRATIONS / "versions"
    with bind.connect() as connection:
        config = alembic_config(connection)
        config.attributes["revision"] = True
        if directory is not None:
            config.set_main_option("path_separator", "os")
            config.set_main_option(
                "version_locations", os.pathsep.join(map(str, (versions, directory)))
            )
        head = alembic.script.ScriptDirectory.from_config(config).get_current_head()
        ruff = Path(sys.executable).with_name("ruff")
        if ruff.exists():  # a developer's install: the new file is linted like the rest
            hooks = {"fix": "check --fix --quiet", "format": "format --quiet"}
            config.set_section_option("post_write_hooks", "hooks", ", ".join(hooks))
            for name, command in hooks.items():
                config.set_section_option("post_write_hooks", f"{name}.type", "exec")
                config.set_section_option("post_write_hooks", f"{name}.executable", str(ruff))
                config.set_section_option(
                    "post_write_hooks", f"{name}.options", f"{command} REVISION_SCRIPT_FILENAME"
                )
        scripts = alembic.command.revision(
            config,
            message=message,
            autogenerate=True,
            rev_id=f"{int(head or 0) + 1:04d}",
            version_path=str(directory) if directory else None,
        )
    scripts = scripts if isinstance(scripts, list) else [scripts]
    return [Path(script.path) for script in scripts if script is not None]


def _commit(response: Response) -> Response:
    # The request boundary: only a view that began a write, and succeeded, commits.
    db_session = g.get("db_session")
    if db_session is not None and g.pop("db_commit", False) and response.status_code < 400:
        db_session.commit()
    return response


def _close(_exc: BaseException | None) -> None:
    g.pop("db_commit", None)
    db_session = g.pop("db_session", None)
    if db_session is not None:
        db_session.close()
