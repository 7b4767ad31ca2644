"""Back-office accounts."""

import secrets
from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import CheckConstraint, DateTime, String
from sqlalchemy.orm import Mapped, mapped_column
from werkzeug.security import check_password_hash, generate_password_hash

from mlo.content.models import utcnow
from mlo.db import Base
from mlo.locales import CODES

ROLES = ("admin", "editor", "translator")


class User(UserMixin, Base):
    """Someone who signs in to the back office."""

    __tablename__ = "user_account"
    __table_args__ = (CheckConstraint(f"role IN ({', '.join(map(repr, ROLES))})", name="role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(100), unique=True)
    password_hash: Mapped[str] = mapped_column(String(300))
    role: Mapped[str] = mapped_column(String(16))
    # The languages a translator may edit, comma-separated ("en,sr"); editors and admins edit all.
    languages: Mapped[str] = mapped_column(String(100), default="")
    # The interface locale prefix the back office speaks to this user ("" until they choose).
    interface: Mapped[str] = mapped_column(String(16), default="")
    active: Mapped[bool] = mapped_column(default=True)
    # Changed when the password changes or the account is disabled: old sessions end.
    session_token: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime(), default=utcnow)

    @property
    def is_active(self) -> bool:
        """Flask-Login: a disabled account cannot sign in or stay signed in."""
        return self.active

    def get_id(self) -> str:
        """Flask-Login: what the session remembers (changes when the password changes)."""
        return f"{self.id}:{self.session_token}"

    def set_password(self, password: str) -> None:
        """Store a new password (scrypt) and end every existing session."""
        self.password_hash = generate_password_hash(password, method="scrypt")
        self.session_token = secrets.token_hex(16)

    def check_password(self, password: str) -> bool:
        """Whether `password` is this account's."""
        return check_password_hash(self.password_hash, password)

    def may_edit(self, lang: str) -> bool:
        """Whether this user may edit the `lang` translation of an article."""
        return self.role in ("admin", "editor") or lang in self.language_codes

    @property
    def language_codes(self) -> list[str]:
        """The languages assigned to a translator, in table order."""
        chosen = set(self.languages.split(","))
        return [code for code in CODES if code in chosen]

    @property
    def may_publish(self) -> bool:
        """Editors and admins publish, schedule, unpublish and delete."""
        return self.role in ("admin", "editor")
