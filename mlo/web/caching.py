"""HTTP caching and the page cache of the reading site.

A public page is rendered once per (host, path and query, content state) and then served from
the cache (Flask-Caching: in this process, bounded, or Redis when MLO_REDIS_URL is set) without
touching the templates. The content state is read from the database on every request (one
indexed query): an edit through any path (browser, import, another worker or machine) bumps its
version in the writing transaction, and a scheduled publication going live changes its newest
due time, so no cached page outlives either.

Every public page carries a strong ETag (a hash of its bytes), Last-Modified (when what readers
see last changed) and `Cache-Control: public` with a short max-age; conditional requests get
304. Error responses are never stored; the back office sets its own `private, no-store`.
"""

import hashlib
from collections.abc import Callable
from datetime import UTC
from functools import wraps
from typing import Any, NamedTuple

from flask import Flask, Response, current_app, g, make_response, request
from flask.sessions import SecureCookieSessionInterface, SessionMixin
from flask_caching import Cache

from mlo.content import listing
from mlo.web.urls import newsroom

cache = Cache()


class CachedPage(NamedTuple):
    """A rendered page as the cache keeps it."""

    body: bytes
    mimetype: str
    etag: str


def init_app(app: Flask) -> None:
    """Set up the page cache (in process, Redis, or none) and the default for other responses."""
    config = app.config
    if not config["PAGE_CACHE"]:
        backend: dict[str, Any] = {"CACHE_TYPE": "NullCache", "CACHE_NO_NULL_WARNING": True}
    elif config["REDIS_URL"]:
        backend = {"CACHE_TYPE": "RedisCache", "CACHE_REDIS_URL": config["REDIS_URL"]}
    else:
        backend = {"CACHE_TYPE": "SimpleCache", "CACHE_THRESHOLD": config["PAGE_CACHE_SIZE"]}
    cache.init_app(
        app,
        config={
            **backend,
            "CACHE_KEY_PREFIX": "mlo:page:",
            "CACHE_DEFAULT_TIMEOUT": config["PAGE_CACHE_TIMEOUT"],
        },
    )
    app.after_request(_never_store_errors)
    app.session_interface = PublicPageSessions()


def content_state() -> listing.State:
    """What readers see during this request: the content version and newest due publication."""
    if "content_state" not in g:
        g.content_state = listing.state(newsroom().now)
    return g.content_state


def public_page(view: Callable[..., Any]) -> Callable[..., Response]:
    """Serve a public GET view from the page cache, and give its response HTTP validators."""

    @wraps(view)
    def cached_view(**values: Any) -> Response:
        g.public_page = True
        state = content_state()
        key = f"{request.host}|{request.full_path}|{state.key}"
        page = cache.get(key)
        if page is None:
            response = make_response(view(**values))
            if response.status_code != 200:
                return response  # redirects and refusals go out as they are, never stored
            body = response.get_data()
            page = CachedPage(body, response.mimetype, hashlib.blake2b(body).hexdigest()[:32])
            cache.set(key, page)
        response = Response(page.body, mimetype=page.mimetype)
        response.set_etag(page.etag)
        response.last_modified = state.last_modified.replace(tzinfo=UTC)
        config = current_app.config
        response.cache_control.public = True
        response.cache_control.max_age = config["HTTP_MAX_AGE"]
        response.cache_control.stale_while_revalidate = config["HTTP_STALE_WHILE_REVALIDATE"]
        return response.make_conditional(request)

    return cached_view


class PublicPageSessions(SecureCookieSessionInterface):
    """Flask's signed-cookie sessions, except that a public page, which never uses the session,
    does not say `Vary: Cookie` because an extension looked at it (Flask-Login does on every
    response): every reader gets the same page, and shared caches may keep it."""

    def save_session(self, app: Flask, session: SessionMixin, response: Response) -> None:
        """Save as Flask does, unless this is a public page and the session was only read."""
        if g.get("public_page") and not session.modified:
            session.accessed = False
        super().save_session(app, session, response)


def _never_store_errors(response: Response) -> Response:
    # An error page is about this moment (a missing page may be published next minute).
    if response.status_code >= 400 and "Cache-Control" not in response.headers:
        response.headers["Cache-Control"] = "no-store"
    return response
