"""GET /healthz for load balancers and orchestrators: is the database answering?"""

from collections.abc import Iterable
from typing import Any

from flask import Blueprint, Flask, Response
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from mlo import db

PATH = "/healthz"
bp = Blueprint("health", __name__)


def init_app(app: Flask) -> None:
    """Serve /healthz, whatever Host header the probe sends."""
    app.register_blueprint(bp)
    app.wsgi_app = AnyHost(app.wsgi_app, app.config["TRUSTED_HOSTS"][0])  # type: ignore[method-assign]


@bp.get(PATH)
def healthz() -> Response:
    """200 "ok" when the database answers a trivial query, else 503; never cached."""
    try:
        with db.engine().connect() as connection:
            connection.execute(text("SELECT 1"))
    except SQLAlchemyError:
        return _plain("database unavailable\n", 503)
    return _plain("ok\n", 200)


def _plain(body: str, status: int) -> Response:
    return Response(body, status, mimetype="text/plain", headers={"Cache-Control": "no-store"})


class AnyHost:
    """WSGI middleware: /healthz is served under a trusted host name whatever the Host header.

    Load balancers and container probes address a server by its IP, which the host check
    (TRUSTED_HOSTS) would answer 400; the answer builds no URL, so any Host is harmless.
    """

    def __init__(self, wsgi_app: Any, host: str) -> None:
        self.wsgi_app = wsgi_app
        self.host = host

    def __call__(self, environ: dict, start_response: Any) -> Iterable[bytes]:
        """Pass the request on, with a trusted Host for /healthz."""
        if environ.get("PATH_INFO") == PATH:
            environ["HTTP_HOST"] = self.host
        return self.wsgi_app(environ, start_response)
