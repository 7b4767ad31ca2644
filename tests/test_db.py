"""The request boundary commits only what a view meant to commit; schema changes are routine."""

import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import Column, Integer, Table, func, select

from mlo import create_app, db
from mlo.content.models import Article
from mlo.db import Base, dbsession
from mlo.office import csrf


@pytest.fixture
def views(app, make_article):
    """Routes that rename an article, each ending its request differently."""
    key = make_article(key="kept")

    def rename(to: str) -> None:
        article = dbsession.scalar(select(Article).where(Article.key == key))
        article.key = to
        dbsession.flush()

    @app.post("/test/flush-only")
    def flush_only():
        db.begin_write()
        rename("flushed-only")
        return "form re-rendered with errors", 200

    @app.post("/test/write")
    def write():
        db.begin_write()
        rename("written")
        db.commit_when_done()
        return "saved", 200

    @app.post("/test/write-then-fail")
    def write_then_fail():
        db.begin_write()
        rename("failed")
        db.commit_when_done()
        return "conflict", 409

    for view in (flush_only, write, write_then_fail):
        csrf.exempt(view)  # these stand for any writing view; CSRF is tested with the office
    return app


def keys(app) -> list[str]:
    with app.app_context():
        return list(dbsession.scalars(select(Article.key)))


def test_a_view_that_only_flushes_commits_nothing(views, client):
    assert client.post("/test/flush-only").status_code == 200
    assert keys(views) == ["kept"]


def test_a_failed_write_commits_nothing(views, client):
    assert client.post("/test/write-then-fail").status_code == 409
    assert keys(views) == ["kept"]


def test_a_write_that_succeeds_is_committed(views, client):
    assert client.post("/test/write").status_code == 200
    assert keys(views) == ["written"]


def test_revision_writes_nothing_when_models_and_database_agree(app, runner):
    versions = db.MIGRATIONS / "versions"
    before = set(versions.iterdir())
    try:
        result = runner.invoke(args=["db", "revision", "-m", "nothing"])
    finally:
        for path in set(versions.iterdir()) - before:  # never leave a stray migration behind
            path.unlink()
    assert result.exit_code == 0, result.output
    assert "no migration written" in result.output


def test_revision_autogenerates_a_migration_for_a_model_change(app, tmp_path):
    scratch = Table("scratch", Base.metadata, Column("id", Integer, primary_key=True))
    try:
        with app.app_context():
            written = db.revision(db.engine(), "add scratch", directory=tmp_path)
    finally:
        Base.metadata.remove(scratch)
    assert len(written) == 1 and written[0].parent == tmp_path
    migration = written[0].read_text("utf-8")
    assert 'op.create_table(\n        "scratch"' in migration
    assert "translation_fts" not in migration and "search_vector" not in migration
    number = len(list((db.MIGRATIONS / "versions").glob("[0-9]*.py"))) + 1
    assert written[0].name == f"{number:04d}_add_scratch.py"
    lint = subprocess.run(
        [Path(sys.executable).with_name("ruff"), "check", written[0]], capture_output=True
    )
    assert lint.returncode == 0, lint.stdout


def test_revision_on_a_database_not_upgraded_says_what_to_do(tmp_path, runner):
    app = create_app({"DATABASE_URL": f"sqlite:///{tmp_path / 'empty.sqlite3'}"})
    result = app.test_cli_runner().invoke(args=["db", "revision", "-m", "x"])
    assert result.exit_code == 1
    assert "run `flask --app app db upgrade` first" in result.output
    assert "Traceback" not in result.output


def test_db_upgrade_is_init_db(app, runner):
    result = runner.invoke(args=["db", "upgrade"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        assert dbsession.scalar(select(func.count()).select_from(Article)) == 0
