"""The migrations and the models describe the same schema, on every backend."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import text

from mlo import db
from mlo.db import Base


def test_migrations_match_the_models(app):
    with app.app_context(), db.engine().connect() as connection:
        context = MigrationContext.configure(connection)
        differences = [
            diff
            for diff in compare_metadata(context, Base.metadata)
            # The search index is dialect-specific DDL the models deliberately do not describe.
            if "translation_fts" not in str(diff) and "search_vector" not in str(diff)
        ]
    assert differences == []


def test_init_db_twice_keeps_data(app, runner, make_article):
    make_article(key="kept")
    assert runner.invoke(args=["init-db"]).exit_code == 0
    assert runner.invoke(args=["init-db"]).exit_code == 0
    with app.app_context():
        assert db.dbsession.scalar(text("SELECT count(*) FROM article")) == 1
