"""Account operations: create, change role, disable, reset a password. They flush only."""

import re

from sqlalchemy import select

from mlo.db import dbsession
from mlo.locales import CODES
from mlo.office.models import ROLES, User

USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{1,49}$")
MIN_PASSWORD = 10
# Names the history uses for writers that are not accounts.
RESERVED = frozenset({"import", "command line"})


class AccountProblem(Exception):
    """A request about an account that cannot be done, with the reason to show."""


def find(username: str) -> User | None:
    """The account with this name, if any."""
    return dbsession.scalar(select(User).where(User.username == username.strip().lower()))


def check_password(password: str) -> None:
    """AccountProblem unless the password is long enough."""
    if len(password) < MIN_PASSWORD:
        raise AccountProblem(f"the password must have at least {MIN_PASSWORD} characters")


def parse_languages(value: str) -> str:
    """A --languages value ("en,sr") checked and in table order."""
    chosen = [code.strip() for code in value.split(",") if code.strip()]
    unknown = [code for code in chosen if code not in CODES]
    if unknown:
        raise AccountProblem(f"unknown language {unknown[0]!r} (use {', '.join(CODES)})")
    return ",".join(code for code in CODES if code in chosen)


def create(username: str, role: str, password: str, languages: str = "") -> User:
    """A new account; AccountProblem for a bad or taken name, role or password."""
    name = username.strip().lower()
    if not USERNAME.match(name) or name in RESERVED:
        raise AccountProblem(
            f"{username!r} cannot be a user name: use 2-50 lower-case letters, digits, . _ -"
        )
    if find(name) is not None:
        raise AccountProblem(f"the user name {name!r} is taken")
    if role not in ROLES:
        raise AccountProblem(f"unknown role {role!r} (use {', '.join(ROLES)})")
    check_password(password)
    user = User(username=name, role=role, languages=parse_languages(languages))
    user.set_password(password)
    dbsession.add(user)
    dbsession.flush()
    return user


def set_role(user: User, role: str, languages: str | None = None) -> None:
    """Change a user's role (and a translator's languages)."""
    if role not in ROLES:
        raise AccountProblem(f"unknown role {role!r} (use {', '.join(ROLES)})")
    user.role = role
    if languages is not None:
        user.languages = parse_languages(languages)


def disable(user: User) -> None:
    """Stop an account from signing in, and end its sessions; its history stays."""
    user.active = False
    user.session_token = "disabled"


def reset_password(user: User, password: str) -> None:
    """Set a new password and end the account's sessions; a disabled account stays disabled."""
    check_password(password)
    user.set_password(password)
    if not user.active:
        user.session_token = "disabled"
