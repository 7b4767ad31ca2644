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

import functools
import hashlib
import logging
from collections.abc import Callable
from datetime import UTC, timedelta
from functools import wraps
from pathlib import Path
from typing import Any, NamedTuple

from flask import Flask, Response, current_app, g, make_response, request
from flask.sessions import SecureCookieSessionInterface, SessionMixin
from flask_caching import Cache
from flask_caching.backends.simplecache import SimpleCache

from mlo.config import catalog_folder
from mlo.content import listing
from mlo.web.urls import newsroom

cache = Cache()
log = logging.getLogger(__name__)
# The query arguments a public page reads; any other is ignored, and so not in the cache key
# (else each made-up argument would render and store the page once more).
PAGE_ARGUMENTS = ("page", "q")


class CachedPage(NamedTuple):
    """A rendered page as the cache keeps it."""

    body: bytes
    mimetype: str
    etag: str


def init_app(app: Flask) -> None:
    """Set up the page cache (in process, Redis, or none), versioned static URLs, and the
    default for other responses."""
    config = app.config
    config["RELEASE"] = config.get("RELEASE") or release(app)
    if not config["PAGE_CACHE"]:
        backend: dict[str, Any] = {"CACHE_TYPE": "NullCache", "CACHE_NO_NULL_WARNING": True}
    elif config["CACHE_REDIS_URL"] or config["REDIS_URL"]:
        url = config["CACHE_REDIS_URL"] or config["REDIS_URL"]
        # A Redis that does not answer costs a page a quarter of a second at most.
        timeouts = {"socket_timeout": 0.25, "socket_connect_timeout": 0.25}
        backend = {"CACHE_TYPE": "RedisCache", "CACHE_REDIS_URL": url, "CACHE_OPTIONS": timeouts}
    else:
        backend = {
            "CACHE_TYPE": f"{__name__}.PageMemory",
            "CACHE_THRESHOLD": config["PAGE_CACHE_SIZE"],
            "CACHE_OPTIONS": {"limit": config["PAGE_CACHE_BYTES"]},
        }
    cache.init_app(
        app,
        config={
            **backend,
            "CACHE_KEY_PREFIX": "mlo:page:",
            "CACHE_DEFAULT_TIMEOUT": config["PAGE_CACHE_TIMEOUT"],
        },
    )
    app.after_request(_never_store_errors)
    app.url_defaults(_versioned_static)
    app.session_interface = PublicPageSessions()


def release(app: Flask) -> str:
    """A digest of what renders pages (code, templates, catalogs, static files): a new release
    never serves pages cached by the old one, and static URLs change with their files."""
    template_folder = Path(app.root_path, app.template_folder or "templates").resolve()
    return _digest((Path(app.root_path), template_folder, catalog_folder(app)))


@functools.cache
def _digest(folders: tuple[Path, ...]) -> str:
    # Once a process: files that render pages change only with a new release (and a restart).
    digest = hashlib.blake2b(digest_size=6)
    for folder in folders:
        for path in sorted(folder.rglob("*")):
            if path.is_file() and path.suffix not in (".pyc", ".po", ".pot"):
                digest.update(str(path.relative_to(folder)).encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()


class PageMemory(SimpleCache):
    """Flask-Caching's in-process cache, bounded by the bytes it holds as well as by count."""

    def __init__(self, *args: Any, limit: int = 0, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._limit = limit

    def _over_threshold(self) -> bool:
        held = sum(len(value) for _, value in self._cache.values())
        return super()._over_threshold() or bool(self._limit and held > self._limit)


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
        page = _cached(state)
        if page is None:
            response = make_response(view(**values))
            if response.status_code != 200:
                return response  # redirects and refusals go out as they are, never stored
            body = response.get_data()
            page = CachedPage(body, response.mimetype, hashlib.blake2b(body).hexdigest()[:32])
            _store(state, page)
        response = Response(page.body, mimetype=page.mimetype)
        response.set_etag(page.etag)
        # A client that revalidates by date alone must never get 304 for a page changed in the
        # same second as the one it has: no date until that second is over.
        if newsroom().now - state.last_modified >= timedelta(seconds=1):
            response.last_modified = state.last_modified.replace(tzinfo=UTC)
        config = current_app.config
        response.cache_control.public = True
        response.cache_control.max_age = config["HTTP_MAX_AGE"]
        response.cache_control.stale_while_revalidate = config["HTTP_STALE_WHILE_REVALIDATE"]
        return response.make_conditional(request)

    return cached_view


def _key(state: listing.State) -> str:
    arguments = "&".join(
        f"{name}={request.args[name]}" for name in PAGE_ARGUMENTS if name in request.args
    )
    release = current_app.config["RELEASE"]
    return f"{release}|{state.key}|{request.host}|{request.path}?{arguments}"


def _cached(state: listing.State) -> CachedPage | None:
    try:
        return cache.get(_key(state))
    except Exception:  # the cache is an aid: a Redis outage must not take pages down with it
        log.warning("page cache unavailable", exc_info=True)
        return None


def _store(state: listing.State, page: CachedPage) -> None:
    try:
        cache.set(_key(state), page)
    except Exception:
        log.warning("page cache unavailable", exc_info=True)


def _versioned_static(endpoint: str, values: dict[str, Any]) -> None:
    # Static URLs carry the release, so browsers and proxies may keep the files for long.
    if endpoint == "static":
        values.setdefault("v", current_app.config["RELEASE"])


class PublicPageSessions(SecureCookieSessionInterface):
    """Flask's signed-cookie sessions, except that a public page, which never uses the session,
    does not say `Vary: Cookie` because an extension looked at it (Flask-Login does on every
    response): every reader gets the same page, and shared caches may keep it."""

    def save_session(self, app: Flask, session: SessionMixin, response: Response) -> None:
        """Save as Flask does, except on a public page: it neither reads nor refreshes the
        session, so a signed-in editor's public pages carry no cookie and no `Vary: Cookie`."""
        if g.get("public_page") and not session.modified:
            return
        super().save_session(app, session, response)


def _never_store_errors(response: Response) -> Response:
    # An error page is about this moment (a missing page may be published next minute).
    if response.status_code >= 400 and "Cache-Control" not in response.headers:
        response.headers["Cache-Control"] = "no-store"
    return response
