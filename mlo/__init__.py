"""The mlo application factory."""

from typing import Any

from flask import Flask

from mlo import cli, config, db, office
from mlo.web import caching, errors, export, feeds, health, i18n, logs, public, security


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Create and wire the application; do no work beyond wiring."""
    app = Flask(__name__, instance_relative_config=True, template_folder="../templates")
    app.config.from_object(config)
    app.config.from_pyfile("config.py", silent=True)
    app.config.from_prefixed_env("MLO")
    if test_config:
        app.config.update(test_config)
    config.resolve(app)

    logs.init_app(app)
    security.init_app(app)
    db.init_app(app)
    i18n.init_app(app)
    errors.init_app(app)
    caching.init_app(app)
    cli.init_app(app)
    export.init_app(app)
    app.register_blueprint(public.bp)
    app.register_blueprint(feeds.bp)
    office.init_app(app)
    health.init_app(app)
    config.trust_proxies(app)  # outermost: every layer within sees the reader's own request
    return app
