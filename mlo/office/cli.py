"""`flask --app app users ...`: back-office accounts from the command line."""

import sys

import click
from flask.cli import AppGroup
from sqlalchemy import select

from mlo import db
from mlo.db import dbsession
from mlo.office import accounts
from mlo.office.models import ROLES, User

users = AppGroup("users", help="Back-office accounts: create, list, set-role, disable, reset.")


def _password() -> str:
    # Asked twice at a terminal; otherwise two lines of standard input (no echo warnings).
    if sys.stdin.isatty():
        return click.prompt("Password", hide_input=True, confirmation_prompt=True)
    first, again = (sys.stdin.readline().rstrip("\r\n") for _ in range(2))
    if first != again:
        raise click.ClickException("the two passwords differ")
    return first


def _user(name: str) -> User:
    user = accounts.find(name)
    if user is None:
        raise click.ClickException(f"no user named {name!r}")
    return user


def _commit_or_explain(action) -> None:
    db.begin_write()
    try:
        action()
    except accounts.AccountProblem as problem:
        dbsession.rollback()
        raise click.ClickException(str(problem)) from None
    dbsession.commit()


@users.command("create")
@click.argument("name")
@click.option("--role", type=click.Choice(ROLES), required=True, help="What the user may do.")
@click.option("--languages", default="", help="A translator's languages, such as en,sr.")
def create_command(name: str, role: str, languages: str) -> None:
    """Create an account; the password is asked twice."""
    password = _password()
    _commit_or_explain(lambda: accounts.create(name, role, password, languages))
    click.echo(f"created {name.lower()} ({role})")


@users.command("list")
def list_command() -> None:
    """Every account: name, role, languages, whether it may sign in."""
    for user in dbsession.scalars(select(User).order_by(User.username)):
        state = "active" if user.active else "disabled"
        languages = f" [{user.languages}]" if user.role == "translator" else ""
        click.echo(f"{user.username}  {user.role}{languages}  {state}")


@users.command("set-role")
@click.argument("name")
@click.argument("role", type=click.Choice(ROLES))
@click.option("--languages", default=None, help="A translator's languages, such as en,sr.")
def set_role_command(name: str, role: str, languages: str | None) -> None:
    """Change an account's role (and a translator's languages)."""
    _commit_or_explain(lambda: accounts.set_role(_user(name), role, languages))
    click.echo(f"{name}: {role}")


@users.command("disable")
@click.argument("name")
def disable_command(name: str) -> None:
    """Stop an account from signing in and end its sessions."""
    _commit_or_explain(lambda: accounts.disable(_user(name)))
    click.echo(f"{name}: disabled")


@users.command("reset-password")
@click.argument("name")
def reset_password_command(name: str) -> None:
    """Give an account a new password (asked twice) and end its sessions."""
    user = _user(name)
    password = _password()
    _commit_or_explain(lambda: accounts.reset_password(user, password))
    click.echo(f"{name}: password changed")
