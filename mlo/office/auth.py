"""Signing in and out, who may do what, and the throttle on failed sign-ins."""

from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import Flask, abort, current_app, request
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager, current_user
from sqlalchemy import select

from mlo.db import dbsession
from mlo.office.models import User
from mlo.web.i18n import _l

# Public pages never read the session, so they vary by no cookie and stay cacheable: the back
# office gives its own templates `current_user` (mlo.office.views).
login_manager = LoginManager()
login_manager.login_view = "office.login"
login_manager.login_message = _l("Please sign in to open that page.")
limiter = Limiter(get_remote_address, strategy="moving-window")

# Failed sign-ins allowed before the account, or the address, is refused for a while.
PER_ACCOUNT = "5 per 15 minutes"
PER_ADDRESS = "20 per 15 minutes"


def init_app(app: Flask) -> None:
    """Wire Flask-Login and the throttle (in memory, or Redis when MLO_REDIS_URL is set)."""
    app.config.setdefault("RATELIMIT_STORAGE_URI", app.config.get("REDIS_URL") or "memory://")
    app.config.setdefault("RATELIMIT_HEADERS_ENABLED", False)
    # Redis down: each process counts in its own memory meanwhile, and sign-in still works.
    app.config.setdefault("RATELIMIT_IN_MEMORY_FALLBACK_ENABLED", True)
    login_manager.init_app(app, add_context_processor=False)
    limiter.init_app(app)
    # Only sign-in is throttled: every other request skips the limiter's bookkeeping.
    limiter.request_filter(lambda: request.blueprint != "office")


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    """The signed-in user, once per request; a changed password or a disabled account ends it."""
    number, _, token = user_id.partition(":")
    if not number.isdigit():
        return None
    user = dbsession.scalar(select(User).where(User.id == int(number)))
    if user is None or not user.active or user.session_token != token:
        return None
    return user


def failed(response: Any) -> bool:
    """Whether a sign-in attempt failed (only failures count against the limits)."""
    return response.status_code != 302


def attempted_account() -> str:
    """The throttle key of the account a sign-in attempt names."""
    return "account:" + request.form.get("username", "").strip().lower()[:100]


def requires(*roles: str) -> Callable:
    """A view for signed-in users with one of these roles (anyone signed in if none given):
    strangers are sent to sign in, others get 403."""

    def decorate(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            if not current_user.is_authenticated:
                return current_app.login_manager.unauthorized()
            if roles and current_user.role not in roles:
                abort(403)
            return view(*args, **kwargs)

        wrapped.roles = roles or ("admin", "editor", "translator")
        return wrapped

    return decorate


EDITORS = ("admin", "editor")
