"""Command line: `init-db`, `db revision|upgrade`, `content import|export|demo|po-export|po-import`,
`search reindex`.

The catalog commands (`translate ...`) live with the catalog tooling in mlo.catalogs.
"""

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from importlib import resources
from pathlib import Path

import alembic.util
import click
from flask import Flask, current_app
from flask.cli import AppGroup, with_appcontext
from sqlalchemy import func, select
from sqlalchemy.exc import OperationalError

from mlo import db
from mlo.content import operations, transfer
from mlo.content.models import Article, utcnow
from mlo.db import dbsession
from mlo.search import index

database = AppGroup("db", help="The schema: upgrade it, or write a migration for a model change.")
content = AppGroup("content", help="Import and export articles (JSON, see README).")
search = AppGroup("search", help="The full-text index.")
# Who the revisions these commands write are by.
AUTHOR = "command line"
# How long a command waits for another writer (a long import, a save) before giving up.
COMMAND_WAIT_MS = 120_000
# Who the revisions `content po-import` writes are by.
PO_AUTHOR = "po-import"


def init_app(app: Flask) -> None:
    """Register the commands."""
    app.cli.add_command(init_db)
    app.cli.add_command(database)
    app.cli.add_command(content)
    app.cli.add_command(search)


@click.command("init-db")
@with_appcontext
def init_db() -> None:
    """Create or upgrade the schema (the Alembic migrations); safe to run again."""
    db.create_schema()
    click.echo(f"Database ready: {db.engine().url.render_as_string(hide_password=True)}")


@database.command("upgrade")
def upgrade_command() -> None:
    """Apply the migrations the database has not had yet (the same as init-db)."""
    db.create_schema()
    click.echo(f"Database upgraded: {db.engine().url.render_as_string(hide_password=True)}")


@database.command("revision")
@click.option("-m", "--message", required=True, help="What the migration changes.")
def revision_command(message: str) -> None:
    """Write a migration from the difference between the models and the upgraded database."""
    try:
        written = db.revision(db.engine(), message)
    except alembic.util.CommandError as error:
        raise click.ClickException(
            f"{error}: run `flask --app app db upgrade` first, then try again"
        ) from None
    for path in written:
        click.echo(f"wrote {path}: review it, then run `flask --app app db upgrade`")
    if not written:
        click.echo("The models and the database agree: no migration written.")


@contextmanager
def _importing(label: str, problem: type[Exception]) -> Iterator[None]:
    """One import in one write transaction: committed, or nothing of it, with a clear message
    for a `problem` of the file or a database too busy to wait for."""
    db.begin_write(wait_ms=COMMAND_WAIT_MS)
    try:
        yield
        dbsession.commit()
    except problem as error:
        dbsession.rollback()
        raise click.ClickException(f"{label}: {error}; nothing was imported") from None
    except OperationalError as error:
        dbsession.rollback()
        raise click.ClickException(
            f"{label}: the newsroom's database is busy ({error.orig}); nothing was imported: "
            "run the import again in a moment"
        ) from None


def _import(data: object, label: str) -> None:
    with _importing(label, transfer.ImportProblem):
        report = transfer.import_document(data, current_app.config["NEWSROOM_TIMEZONE"])
    for outcome in ("created", "updated", "unchanged", "deleted", "restored"):
        keys = getattr(report, outcome)
        if keys or outcome in ("created", "updated", "unchanged"):
            click.echo(f"{outcome}: {len(keys)}" + "".join(f"\n  {key}" for key in keys))
    for key in report.converted:
        click.echo(f"note: {key}: Serbian text entered in Latin was stored in Cyrillic")


@content.command("import")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
def import_command(path: Path) -> None:
    """Upsert the articles of a JSON file by key, all or nothing."""
    try:
        data = json.loads(path.read_bytes())
    except OSError as error:
        raise click.ClickException(f"{path}: cannot read: {error.strerror}") from None
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as error:
        message = f"{path}: not valid JSON: {error}; nothing was imported"
        raise click.ClickException(message) from None
    _import(data, str(path))


@content.command("export")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
def export_command(path: Path) -> None:
    """Write every article to a JSON file in the import format."""
    articles = transfer.export_articles(current_app.config["NEWSROOM_TIMEZONE"])
    path.write_text(json.dumps(articles, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    click.echo(f"exported {len(articles)} articles to {path}")


@content.command("demo")
def demo_command() -> None:
    """Load the demo articles, only into a database that has none."""
    if dbsession.scalar(select(func.count()).select_from(Article)):
        click.echo("The database already has articles; demo content not loaded.")
        return
    data = json.loads(resources.files("mlo").joinpath("demo_content.json").read_text("utf-8"))
    _import(data, "demo content")


@content.command("po-export")
@click.argument("key")
@click.argument("lang")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
def po_export_command(key: str, lang: str, path: Path) -> None:
    """Write an article's source text to a PO file, for translation into LANG."""
    # Here, not at the top: Babel's catalog tooling stays out of the running site.
    from mlo.content import po

    article = dbsession.scalar(select(Article).where(Article.key == key))
    if article is None:
        raise click.ClickException(f"no article with the key {key!r}")
    try:
        data = po.export_po(article, lang)
    except po.PoProblem as problem:
        raise click.ClickException(str(problem)) from None
    try:
        path.write_bytes(data)
    except OSError as error:
        raise click.ClickException(f"{path}: cannot write: {error.strerror}") from None
    source = article.translations[article.source_lang]
    click.echo(
        f"exported {key} ({article.source_lang}, revision {source.revision}) "
        f"for translation into {lang} to {path}"
    )


@content.command("po-import")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
def po_import_command(path: Path) -> None:
    """Save a translated PO file (from po-export) as a new revision of its translation."""
    from mlo.content import po  # not at the top: see po_export_command

    try:
        data = path.read_bytes()
    except OSError as error:
        raise click.ClickException(f"{path}: cannot read: {error.strerror}") from None
    with _importing(str(path), po.PoProblem):
        result = po.import_po(data, PO_AUTHOR)
    if result.unchanged:
        click.echo(f"{result.key} {result.lang}: unchanged")
        return
    if result.confirmed:
        click.echo(
            f"{result.key} {result.lang}: revision {result.revision}: the same text, marked up to "
            f"date with the source's revision {result.source_revision}"
        )
        return
    click.echo(f"{result.key} {result.lang}: revision {result.revision}")
    if result.converted:
        click.echo(f"note: {result.key}: Serbian text entered in Latin was stored in Cyrillic")


@content.command("delete")
@click.argument("key")
def delete_command(key: str) -> None:
    """Move an article to the trash (invisible everywhere, restorable)."""
    _change(key, lambda article: operations.delete_article(article, utcnow(), author=AUTHOR))
    click.echo(f"deleted {key} (restore it with `content restore {key}`)")


@content.command("restore")
@click.argument("key")
def restore_command(key: str) -> None:
    """Take a deleted article out of the trash."""
    _change(key, lambda article: operations.restore_article(article, author=AUTHOR))
    click.echo(f"restored {key}")


@content.command("purge")
@click.argument("key")
def purge_command(key: str) -> None:
    """Remove a deleted article for good, freeing its slugs."""
    _change(key, operations.purge_article)
    click.echo(f"purged {key}")


def _change(key: str, operation: Callable[[Article], None]) -> None:
    db.begin_write()
    article = dbsession.scalar(select(Article).where(Article.key == key))
    if article is None:
        raise click.ClickException(f"no article with the key {key!r}")
    try:
        operation(article)
    except ValueError as error:
        raise click.ClickException(str(error)) from None
    dbsession.commit()


@search.command("reindex")
def reindex_command() -> None:
    """Fold every translation's text again and rebuild the full-text index from it."""
    db.begin_write()
    count = operations.refold_all()
    index.ensure(dbsession.connection())
    index.rebuild(dbsession.connection())
    dbsession.commit()
    click.echo(f"search index rebuilt: {count} translations")
