"""Localised error pages: a reader never sees a bare server error."""

from flask import Flask, render_template
from werkzeug.exceptions import HTTPException


def init_app(app: Flask) -> None:
    """Render every HTTP error with the site's own page (unexpected exceptions arrive as 500)."""

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> tuple[str, int]:
        code = error.code or 500
        return render_template("error.html", code=code, alternates=[]), code
