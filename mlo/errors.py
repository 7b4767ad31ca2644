"""Localised error pages: a reader never sees a bare server error."""

from flask import Flask, render_template
from werkzeug.exceptions import HTTPException, InternalServerError


def init_app(app: Flask) -> None:
    """Render every HTTP error, and any unexpected exception, with the site's own page."""

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> tuple[str, int]:
        code = error.code or 500
        return render_template("error.html", code=code, alternates=[]), code

    @app.errorhandler(InternalServerError)
    def server_error(_error: InternalServerError) -> tuple[str, int]:
        return render_template("error.html", code=500, alternates=[]), 500
