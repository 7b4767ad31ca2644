"""Alembic environment: migrates the connection that mlo.db.create_schema hands it."""

from alembic import context

from mlo import models  # noqa: F401  (registers the tables on the metadata)
from mlo.db import Base

context.configure(
    connection=context.config.attributes["connection"],
    target_metadata=Base.metadata,
    render_as_batch=True,  # SQLite alters tables by copying them
)
with context.begin_transaction():
    context.run_migrations()
