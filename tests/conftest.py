"""Fixtures: an app on a fresh database per test (SQLite, and PostgreSQL when configured)."""

import os
import re
import socket
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy import text
from werkzeug.serving import make_server

from mlo import create_app, db
from mlo.catalogs import files as catalogs
from mlo.content import transfer
from mlo.db import Base
from mlo.office import accounts

POSTGRES_URL = os.environ.get("MLO_TEST_POSTGRES_URL")
BACKENDS = ["sqlite"] + (["postgresql"] if POSTGRES_URL else [])


@pytest.fixture(scope="session", autouse=True)
def compiled_catalogs() -> None:
    """Real compiled catalogs, fresh from the .po files in the tree."""
    list(catalogs.compile_all(catalogs.root()))


@pytest.fixture(scope="session")
def postgres_schema() -> str:
    """The PostgreSQL test database with a fresh schema, made once per run."""
    assert POSTGRES_URL
    engine = db.make_engine(POSTGRES_URL)
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    db.upgrade(engine)
    engine.dispose()
    return POSTGRES_URL


@contextmanager
def running_app(url: str, **config: Any) -> Iterator[Flask]:
    """A test app on the database at `url`, its schema up to date; disposed of afterwards."""
    app = create_app({"TESTING": True, "DATABASE_URL": url, "SECRET_KEY": "test", **config})
    with app.app_context():
        db.create_schema()
    try:
        yield app
    finally:
        with app.app_context():
            db.engine().dispose()


@pytest.fixture(params=BACKENDS)
def app(request: pytest.FixtureRequest, tmp_path) -> Iterator[Flask]:
    """The application on an empty database of each configured backend."""
    if request.param == "postgresql":
        url = request.getfixturevalue("postgres_schema")
    else:
        url = f"sqlite:///{tmp_path / 'test.sqlite3'}"
    with running_app(url) as app:
        if request.param == "postgresql":
            with app.app_context():
                tables = ", ".join(table.name for table in Base.metadata.sorted_tables)
                db.dbsession.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
                db.dbsession.commit()
        yield app


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    """A test client."""
    return app.test_client()


@pytest.fixture
def runner(app: Flask) -> FlaskCliRunner:
    """A CLI runner."""
    return app.test_cli_runner()


ArticleFactory = Callable[..., str]


@pytest.fixture
def make_article(app: Flask) -> ArticleFactory:
    """Create (or update) an article through the import operation; returns its key."""
    counter = iter(range(1, 10_000))

    def make(
        key: str | None = None,
        published: str = "2023-02-07",
        status: str = "published",
        source: str | None = None,
        **translations: dict[str, Any],
    ) -> str:
        key = key or f"article-{next(counter)}"
        if not translations:
            translations = {"en": {"title": f"Article {key}", "body": "<p>Text.</p>"}}
        record = {
            "key": key,
            "published": published,
            "status": status,
            "translations": translations,
        }
        if source:
            record["source"] = source
        with app.app_context():
            db.begin_write()
            transfer.import_document([record], app.config["NEWSROOM_TIMEZONE"])
            db.dbsession.commit()
        return key

    return make


PASSWORD = "correct horse battery"
CSRF = re.compile(r'name="csrf_token"(?: type="hidden")? value="([^"]+)"')


def csrf_token(html: str) -> str:
    """The CSRF token of the first form on a page."""
    found = CSRF.search(html)
    assert found, "no csrf_token on the page"
    return found.group(1)


@pytest.fixture
def staff(app: Flask) -> dict[str, str]:
    """An admin, an editor and a Serbian translator; name -> role."""
    accounts_made = {"ada": "admin", "ed": "editor", "tanja": "translator"}
    with app.app_context():
        db.begin_write()
        for name, role in accounts_made.items():
            accounts.create(name, role, PASSWORD, "sr" if role == "translator" else "")
        db.dbsession.commit()
    return accounts_made


def sign_in(client: FlaskClient, name: str, password: str = PASSWORD) -> Any:
    """Sign in through the login form, as a browser would; the response to the POST."""
    token = csrf_token(client.get("/admin/login").get_data(as_text=True))
    return client.post(
        "/admin/login", data={"csrf_token": token, "username": name, "password": password}
    )


@contextmanager
def serving(app: Flask) -> Iterator[str]:
    """The app served for real (threaded werkzeug) on a free loopback port; its base URL."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join()
        server.server_close()


def free_port() -> int:
    """A TCP port on loopback that nothing listens on now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="session")
def redis_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real redis-server of the test's own, on a free loopback port, keeping nothing on disk."""
    port = free_port()
    folder = tmp_path_factory.mktemp("redis")
    server = subprocess.Popen(
        [
            "redis-server",
            "--bind",
            "127.0.0.1",
            "--port",
            str(port),
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            str(folder),
        ],
        stdout=subprocess.DEVNULL,
    )
    try:
        for _ in range(100):
            with socket.socket() as probe:
                if probe.connect_ex(("127.0.0.1", port)) == 0:
                    break
            time.sleep(0.05)
        else:
            raise RuntimeError("redis-server did not start")
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        server.terminate()
        server.wait(10)
