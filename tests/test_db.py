"""The request boundary commits only what a view meant to commit; schema changes are routine."""

import pytest
from sqlalchemy import Column, Integer, Table, func, select

from mlo import db
from mlo.content.models import Article
from mlo.db import Base, dbsession


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
        rename("flushed-only")
        return "form re-rendered with errors", 200

    @app.post("/test/write")
    def write():
        db.begin_write()
        rename("written")
        return "saved", 200

    @app.post("/test/write-then-fail")
    def write_then_fail():
        db.begin_write()
        rename("failed")
        return "conflict", 409

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
    result = runner.invoke(args=["db", "revision", "-m", "nothing"])
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
    assert written[0].name.startswith("0002_")


def test_db_upgrade_is_init_db(app, runner):
    result = runner.invoke(args=["db", "upgrade"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        assert dbsession.scalar(select(func.count()).select_from(Article)) == 0
