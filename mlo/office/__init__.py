"""The back office under /admin/: accounts, the editors' desk, previews and revisions.

It changes content only through mlo.content.operations; the public site never imports it.
"""

from flask import Flask, Response, request
from flask_wtf.csrf import CSRFProtect

from mlo.office import auth, cli, views

csrf = CSRFProtect()


def init_app(app: Flask) -> None:
    """Wire accounts, CSRF on every form, the desk's views and the users commands."""
    auth.init_app(app)
    csrf.init_app(app)
    app.register_blueprint(views.bp)
    app.after_request(_private)
    app.cli.add_command(cli.users)


def _private(response: Response) -> Response:
    # Nothing under /admin/ (sign-in page, previews, errors included) is stored by any cache,
    # or indexed.
    if request.path.startswith("/admin/") or request.path == "/admin":
        response.headers["Cache-Control"] = "private, no-store"
        response.headers["X-Robots-Tag"] = "noindex, nofollow"
    return response
