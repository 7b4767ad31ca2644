"""HTTP caching and the page cache of the reading site.

A public page is rendered once per (release, content state, scheme, host, path and the query
arguments it reads) and then answered from the cache (Flask-Caching: in this process, bounded,
or Redis when MLO_REDIS_URL is set) by a WSGI layer in front of Flask: no view, no template,
not even Flask's request handling. The content state is read from the database on every request
(one indexed query): an edit through any path (browser, import, another worker or machine)
bumps its version in the writing transaction, and a scheduled publication going live changes
its newest due time, so no cached page outlives either.

What is stored is the whole response Flask made (with every header its hooks added), so a page
from the cache is the page Flask would send, with a fresh request id. Every public page carries
a strong ETag (a hash of its bytes), Last-Modified (when what readers see last changed) and
`Cache-Control: public` with a short max-age; conditional requests get 304. Error responses are
never stored; the back office sets its own `private, no-store`.
"""

import functools
import hashlib
import logging
import time
from collections.abc import Callable, Iterable
from datetime import UTC, datetime, timedelta
from functools import wraps
from pathlib import Path
from typing import Any, NamedTuple
from urllib.parse import parse_qs

from flask import Flask, Response, current_app, g, make_response, request
from flask.sessions import SecureCookieSessionInterface, SessionMixin
from flask_caching import Cache
from flask_caching.backends.simplecache import SimpleCache
from werkzeug.http import is_resource_modified, parse_date, unquote_etag

from mlo import db
from mlo.config import catalog_folder
from mlo.content import listing
from mlo.web import logs, urls
from mlo.web.urls import newsroom

cache = Cache()
log = logging.getLogger(__name__)
# The query arguments a public page reads; any other is ignored, and so not in the cache key
# (else each made-up argument would render and store the page once more).
PAGE_ARGUMENTS = ("page", "q")


class CachedPage(NamedTuple):
    """A rendered page as the cache keeps it: Flask's response, less what is per request."""

    headers: list[tuple[str, str]]
    body: bytes
    etag: str
    last_modified: datetime | None


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
    if config["PAGE_CACHE"]:
        app.wsgi_app = PageCache(app)  # type: ignore[method-assign]


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
        given = request.environ.get(STATE)  # read by the page cache before Flask
        g.content_state = given or listing.state(newsroom().now)
    return g.content_state


def public_page(view: Callable[..., Any]) -> Callable[..., Response]:
    """Mark a public GET view's page for the page cache, and give it HTTP validators."""

    @wraps(view)
    def validated_view(**values: Any) -> Response:
        g.public_page = True
        response = make_response(view(**values))
        if response.status_code != 200:
            return response  # redirects and refusals go out as they are, never stored
        state = content_state()
        response.set_etag(hashlib.blake2b(response.get_data()).hexdigest()[:32])
        # A client that revalidates by date alone must never get 304 for a page changed in the
        # same second as the one it has: no date until that second is over.
        if newsroom().now - state.last_modified >= timedelta(seconds=1):
            response.last_modified = state.last_modified.replace(tzinfo=UTC)
        config = current_app.config
        response.cache_control.public = True
        response.cache_control.max_age = config["HTTP_MAX_AGE"]
        response.cache_control.stale_while_revalidate = config["HTTP_STALE_WHILE_REVALIDATE"]
        if STATE in request.environ:  # the page cache sent this request on: it keeps the page
            response.headers[STORE] = "1"
        return response.make_conditional(request)

    return validated_view


# What the page cache tells Flask (in the WSGI environ) and Flask tells it (a header it removes).
NOW, STATE, STORE = "mlo.now", "mlo.content_state", "X-Mlo-Page-Cache"
# Per request, or never to be shared: not kept with a page.
UNKEPT = {STORE.lower(), logs.HEADER.lower(), "set-cookie", "date"}
CONDITIONS = ("HTTP_IF_NONE_MATCH", "HTTP_IF_MODIFIED_SINCE")
# No public page lives here: such requests go straight to Flask, without reading the state.
NOT_PAGES = ("/admin", "/static/", "/healthz")


class PageCache:
    """WSGI layer in front of Flask: a public page in the cache is answered here; any other
    request goes on to Flask, and a page Flask marks as public (`public_page`) is kept on its
    way out."""

    def __init__(self, app: Flask) -> None:
        self.app = app
        self.wsgi_app = app.wsgi_app

    def __call__(self, environ: dict[str, Any], start_response: Callable) -> Iterable[bytes]:
        """Answer from the cache, or through Flask."""
        path = environ.get("PATH_INFO", "")
        if environ.get("REQUEST_METHOD") not in ("GET", "HEAD") or path.startswith(NOT_PAGES):
            return self.wsgi_app(environ, start_response)
        started = time.perf_counter()
        try:
            now = urls.utcnow()
            state = listing.state(now, db.engine(self.app))
        except Exception:  # the database is down: Flask answers (503, or its error page)
            return self.wsgi_app(environ, start_response)
        key = self._key(environ, state)
        page = self._get(key)
        if page is not None:
            return self._answer(environ, start_response, page, started)
        # Flask renders the whole page, body and all, even for HEAD (the answer to HEAD leaves
        # the body out here); conditions are applied here too, once the page is kept.
        inner = {**environ, "REQUEST_METHOD": "GET", NOW: now, STATE: state}
        for name in CONDITIONS:
            inner.pop(name, None)
        captured: list[Any] = []
        body = self.wsgi_app(
            inner, lambda status, headers, exc_info=None: captured.extend((status, headers))
        )
        status, headers = captured
        if not any(name == STORE for name, _ in headers):
            start_response(status, headers)
            return body
        try:
            data = b"".join(body)
        finally:
            getattr(body, "close", lambda: None)()
        page = self._keep(key, headers, data)
        return self._answer(environ, start_response, page, None, headers)

    def _key(self, environ: dict[str, Any], state: listing.State) -> str:
        query = parse_qs(environ.get("QUERY_STRING", ""), keep_blank_values=True)
        arguments = "&".join(f"{name}={query[name][0]}" for name in PAGE_ARGUMENTS if name in query)
        where = f"{environ['wsgi.url_scheme']}://{environ.get('HTTP_HOST', '')}"
        release = self.app.config["RELEASE"]
        return f"{release}|{state.key}|{where}{environ.get('PATH_INFO', '')}?{arguments}"

    def _backend(self) -> Any:
        return self.app.extensions["cache"][cache]

    def _get(self, key: str) -> CachedPage | None:
        try:
            return self._backend().get(key)
        except Exception:  # the cache is an aid: a Redis outage must not take pages down
            log.warning("page cache unavailable", exc_info=True)
            return None

    def _keep(self, key: str, headers: list[tuple[str, str]], body: bytes) -> CachedPage:
        found = dict(headers)
        modified = found.get("Last-Modified")
        page = CachedPage(
            [(name, value) for name, value in headers if name.lower() not in UNKEPT],
            body,
            unquote_etag(found["ETag"])[0] or "",
            parse_date(modified) if modified else None,
        )
        if "Set-Cookie" not in found:
            try:
                self._backend().set(key, page)
            except Exception:
                log.warning("page cache unavailable", exc_info=True)
        return page

    def _answer(
        self,
        environ: dict[str, Any],
        start_response: Callable,
        page: CachedPage,
        started: float | None,
        flask_headers: list[tuple[str, str]] | None = None,
    ) -> Iterable[bytes]:
        # From the cache (started: log it here) or just rendered (Flask logged it, with its id).
        if flask_headers is None:
            request_id = logs.sane_id(environ.get("HTTP_X_REQUEST_ID", ""))
        else:
            request_id = dict(flask_headers).get(logs.HEADER, "")
        headers = [*page.headers, (logs.HEADER, request_id)]
        if is_resource_modified(environ, page.etag, last_modified=page.last_modified):
            status, body = "200 OK", [b""] if environ["REQUEST_METHOD"] == "HEAD" else [page.body]
        else:
            status, body = "304 Not Modified", []
            headers = [(n, v) for n, v in headers if n not in ("Content-Length", "Content-Type")]
        start_response(status, headers)
        if started is not None and self.app.config["LOG_REQUESTS"]:
            logs.log_request(
                environ["REQUEST_METHOD"],
                environ.get("PATH_INFO", ""),
                int(status[:3]),
                started,
                request_id=request_id,
                remote_addr=environ.get("REMOTE_ADDR"),
                cached=True,
            )
        return body


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
