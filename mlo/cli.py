"""Command line: `flask --app app init-db`, `content import/export/demo`, `translate ...`."""

import json
from collections.abc import Iterator
from contextlib import contextmanager
from importlib import resources
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import AppGroup, with_appcontext
from sqlalchemy import func, select

from mlo import catalogs, db, publishing
from mlo.db import session
from mlo.i18n import newsroom_zone
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
    """Create or upgrade the schema (the Alembic migrations); safe to run again."""
    db.create_schema()
    click.echo(f"Database ready: {db.engine().url.render_as_string(hide_password=True)}")


def _import(data: object, label: str) -> None:
    try:
        report = publishing.import_document(data)
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
    articles = publishing.export_articles(newsroom_zone())
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


def _translations() -> Path:
    """The catalog folder the app serves: the first of BABEL_TRANSLATION_DIRECTORIES."""
    first = current_app.config["BABEL_TRANSLATION_DIRECTORIES"].split(";")[0]
    return (Path(current_app.root_path) / first).resolve()


@contextmanager
def _catalog_errors() -> Iterator[None]:
    """Turn a catalog that cannot be read into a one-line error naming file and line (exit 1)."""
    try:
        yield
    except catalogs.CatalogError as error:
        raise click.ClickException(str(error)) from None


@translate.command("extract")
def extract_command() -> None:
    """Collect the strings of templates/ and mlo/ into translations/messages.pot."""
    with _catalog_errors():
        click.echo(catalogs.write_template(catalogs.project_root(), _translations()))


@translate.command("update")
def update_command() -> None:
    """Merge messages.pot into every catalog, then regenerate sr_Latn from sr_Cyrl."""
    with _catalog_errors():
        for written in catalogs.update(_translations()):
            click.echo(written)


@translate.command("compile")
def compile_command() -> None:
    """Derive sr_Latn from sr_Cyrl and compile every catalog to .mo."""
    with _catalog_errors():
        for written in catalogs.compile_all(_translations()):
            click.echo(written)


@translate.command("init")
@click.argument("lang")
def init_command(lang: str) -> None:
    """Start the catalog of a new language LANG (a code such as de or fr)."""
    with _catalog_errors():
        click.echo(catalogs.init(_translations(), lang))
    click.echo("Pages use it once a developer adds the language to mlo/locales.py.")


@translate.command("status")
@click.option("--json", "as_json", is_flag=True, help="Print JSON (with the message lists).")
@click.option("--list", "listed", is_flag=True, help="List untranslated and fuzzy messages.")
def status_command(as_json: bool, listed: bool) -> None:
    """How complete each catalog is: a table, or JSON."""
    with _catalog_errors():
        report = catalogs.status(_translations())
    if as_json:
        data = {"catalogs": [entry.as_dict() for entry in report]}
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    rows = [
        ("catalog", "total", "translated", "fuzzy", "untranslated", "obsolete", "done", "kept by")
    ]
    rows += [
        (s.locale, *map(str, (s.total, s.translated, s.fuzzy, s.untranslated, s.obsolete)))
        + (f"{s.percent}%", s.role)
        for s in report
    ]
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    for first, *numbers, role in rows:
        cells = [cell.rjust(width) for cell, width in zip(numbers, widths[1:-1], strict=True)]
        click.echo("  ".join([first.ljust(widths[0]), *cells, role]))
    for entry in report if listed else []:
        for kind, messages in (
            ("untranslated", entry.untranslated_messages),
            ("fuzzy", entry.fuzzy_messages),
        ):
            if messages:
                click.echo(f"\n{entry.locale}: {kind}")
            for message in messages:
                context = f" (context {message.context!r})" if message.context else ""
                click.echo(f"  {', '.join(message.locations)}  {message.msgid!r}{context}")


@translate.command("check")
def check_command() -> None:
    """Check every catalog; print each problem as file:line: msgid: reason (exit 1 if any)."""
    problems = catalogs.check(catalogs.project_root(), _translations())
    for problem in problems:
        click.echo(problem)
    if problems:
        raise click.ClickException(
            f"{len(problems)} problems in the catalogs; TRANSLATING.md explains each"
        )
    click.echo("catalogs OK: complete, consistent with each other and with the code")
