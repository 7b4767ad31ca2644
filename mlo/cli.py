"""Command line: `flask --app app init-db`, `content import/export/demo`, `translate ...`."""

import json
from importlib import resources
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import AppGroup, with_appcontext
from sqlalchemy import func, select

from mlo import catalogs, db, publishing
from mlo.db import session
from mlo.models import Article

content = AppGroup("content", help="Import and export articles (JSON, see README).")
translate = AppGroup("translate", help="Interface catalogs: extract, update, compile, check.")


def init_app(app: Flask) -> None:
    """Register the commands."""
    app.cli.add_command(init_db)
    app.cli.add_command(content)
    app.cli.add_command(translate)


@click.command("init-db")
@with_appcontext
def init_db() -> None:
    """Create the schema (or add what is missing); safe to run again."""
    db.create_schema()
    click.echo(f"Database ready: {db.engine().url.render_as_string(hide_password=True)}")


def _import(data: object, label: str) -> None:
    zone = current_app.config["NEWSROOM_TIMEZONE"]
    try:
        report = publishing.import_articles(publishing.parse_records(data, zone))
        session.commit()
    except publishing.ImportProblem as problem:
        session.rollback()
        raise click.ClickException(f"{label}: {problem}; nothing was imported") from None
    for outcome in ("created", "updated", "unchanged"):
        keys = getattr(report, outcome)
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
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        message = f"{path}: not valid JSON: {error}; nothing was imported"
        raise click.ClickException(message) from None
    _import(data, str(path))


@content.command("export")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
def export_command(path: Path) -> None:
    """Write every article to a JSON file in the import format."""
    articles = publishing.export_articles(current_app.config["NEWSROOM_TIMEZONE"])
    path.write_text(json.dumps(articles, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    click.echo(f"exported {len(articles)} articles to {path}")


@content.command("demo")
def demo_command() -> None:
    """Load the demo articles, only into a database that has none."""
    if session.scalar(select(func.count()).select_from(Article)):
        click.echo("The database already has articles; demo content not loaded.")
        return
    data = json.loads(resources.files("mlo").joinpath("demo_content.json").read_text("utf-8"))
    _import(data, "demo content")


@translate.command("compile")
def compile_command() -> None:
    """Derive sr_Latn from sr_Cyrl and compile every catalog to .mo."""
    for line in catalogs.compile_all(catalogs.root()):
        click.echo(line)
