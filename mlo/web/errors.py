"""Localised error pages: a reader never sees a bare server error."""

from flask import Flask, Response, render_template, url_for
from werkzeug.exceptions import HTTPException, SecurityError

from mlo import locales


def init_app(app: Flask) -> None:
    """Render every HTTP error with the site's own page (unexpected exceptions arrive as 500)."""

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> tuple[str, int] | Response:
        code = error.code or 500
        if isinstance(error, SecurityError):
            # An untrusted Host header: no URL can be built for it, so no page is rendered.
            return Response("Bad Request: unknown host\n", 400, mimetype="text/plain")
        # No other version of an error exists: the switcher offers each locale's home instead.
        homes = [(locale, url_for("public.home", loc=locale)) for locale in locales.LOCALES]
        return render_template("error.html", code=code, alternates=[], switch=homes), code
