"""Localised error pages: a reader never sees a bare server error."""

from flask import Flask, render_template, url_for
from werkzeug.exceptions import HTTPException

from mlo import locales


def init_app(app: Flask) -> None:
    """Render every HTTP error with the site's own page (unexpected exceptions arrive as 500)."""

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> tuple[str, int]:
        code = error.code or 500
        # No other version of an error exists: the switcher offers each locale's home instead.
        homes = [(locale, url_for("public.home", loc=locale)) for locale in locales.LOCALES]
        return render_template("error.html", code=code, alternates=[], switch=homes), code
