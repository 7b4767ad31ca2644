"""`flask --app app translate ...`: the interface catalogs' commands (Babel in-process).

Registered through the `flask.commands` entry point, so the running site never loads them.
"""

import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from mlo.catalogs import files
from mlo.catalogs.check import check
from mlo.config import catalog_folder

translate = AppGroup("translate", help="Interface catalogs: extract, update, compile, check.")


def _translations() -> Path:
    """The catalog folder the app serves."""
    return catalog_folder(current_app)


@contextmanager
def _catalog_errors() -> Iterator[None]:
    """Turn a catalog that cannot be read into a one-line error naming file and line (exit 1)."""
    try:
        yield
    except files.CatalogError as error:
        raise click.ClickException(str(error)) from None


@translate.command("extract")
def extract_command() -> None:
    """Collect the strings of templates/ and mlo/ into translations/messages.pot."""
    with _catalog_errors():
        click.echo(files.write_template(files.project_root(), _translations()))


@translate.command("update")
def update_command() -> None:
    """Merge messages.pot into every catalog, then regenerate sr_Latn from sr_Cyrl."""
    with _catalog_errors():
        for written in files.update(_translations()):
            click.echo(written)


@translate.command("compile")
def compile_command() -> None:
    """Derive sr_Latn from sr_Cyrl and compile every catalog to .mo."""
    with _catalog_errors():
        for written in files.compile_all(_translations()):
            click.echo(written)


@translate.command("init")
@click.argument("lang")
def init_command(lang: str) -> None:
    """Start the catalog of a new language LANG (a code such as de or fr)."""
    with _catalog_errors():
        click.echo(files.init(_translations(), lang))
    click.echo("Pages use it once a developer adds the language to mlo/locales.py.")


@translate.command("status")
@click.option("--json", "as_json", is_flag=True, help="Print JSON (with the message lists).")
@click.option("--list", "listed", is_flag=True, help="List untranslated and fuzzy messages.")
def status_command(as_json: bool, listed: bool) -> None:
    """How complete each catalog is: a table, or JSON."""
    with _catalog_errors():
        report = files.status(_translations())
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
    problems = check(files.project_root(), _translations())
    for problem in problems:
        click.echo(problem)
    if problems:
        count = "1 problem" if len(problems) == 1 else f"{len(problems)} problems"
        raise click.ClickException(f"{count} in the catalogs; TRANSLATING.md explains each")
    click.echo("catalogs OK: complete, consistent with each other and with the code")
