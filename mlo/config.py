"""Default configuration; instance/config.py and MLO_* environment variables override it."""

import secrets
from pathlib import Path
from urllib.parse import urlsplit

from flask import Config, Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from mlo.text import translit

# Set MLO_PRODUCTION=1 where the site is served to the public: then a real secret key and the
# public site URL are required, and nothing is guessed.
PRODUCTION = False

# None: a random key generated once into instance/secret_key (development only).
SECRET_KEY: str | None = None

# None means the SQLite file instance/mlo.sqlite3 (set in resolve, where the path is known).
DATABASE_URL: str | None = None

# The public base URL every absolute link (canonical, hreflang, feeds, sitemap) is built from,
# such as https://newsroom.example.org. None (development only): the request's own host.
SITE_URL: str | None = None
# Host names accepted besides SITE_URL's; any other Host header is answered 400.
EXTRA_HOSTS: list[str] = []
DEVELOPMENT_HOSTS = ["localhost", "127.0.0.1", "::1"]
# The authority of Atom ids (tag:<authority>,2022:...): stable whatever the request's host.
TAG_AUTHORITY: str | None = None

# Shared state across servers (the sign-in throttle today, the page cache next), such as
# redis://127.0.0.1:6379/0. None: each process keeps its own in memory.
REDIS_URL: str | None = None

# How many reverse proxies (nginx, a load balancer, a CDN) stand in front of the app and set
# X-Forwarded-For, -Proto and -Host: 0 (default) ignores those headers, as anyone can send them;
# 1 behind one nginx (deploy/nginx/mlo.conf). Read by trust_proxies.
TRUSTED_PROXIES = 0

# The back office's session cookie: never sent cross-site from another page's form.
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_HTTPONLY = True
# A signed-in session lasts a working day or so.
PERMANENT_SESSION_LIFETIME = 12 * 60 * 60

BABEL_DEFAULT_LOCALE = "en"
# Resolved against the package folder, so the top-level translations/ is one level up.
BABEL_TRANSLATION_DIRECTORIES = "../translations"

# Dates are stored in UTC and shown in the newsroom's own time zone (Babel is given it too).
NEWSROOM_TIMEZONE = "Europe/Belgrade"

PAGE_SIZE = 10
HOME_SIZE = 6
SEARCH_PAGE_SIZE = 10
SEARCH_MAX_QUERY = 200
SEARCH_MAX_WORDS = 10
FEED_SIZE = 20
# Articles per sitemap file: small enough that each file is quick to make and to keep (about
# 330 kB; a sitemap may hold 50,000 URLs, and each article has up to three).
SITEMAP_ARTICLES = 200

# The page cache: rendered public pages, kept per content version (in each process, at most
# PAGE_CACHE_SIZE pages; in Redis when REDIS_URL is set). Turn it off to render every request.
PAGE_CACHE = True
PAGE_CACHE_SIZE = 1000
PAGE_CACHE_BYTES = 64 * 1024 * 1024  # and at most this many bytes of pages, in each process
PAGE_CACHE_TIMEOUT = 3600  # seconds; a page no longer asked for leaves Redis after this
# The page cache's own Redis, if not REDIS_URL's: a Redis that may evict (maxmemory with
# allkeys-lru) must not also hold the sign-in throttle's counters.
CACHE_REDIS_URL: str | None = None
# What renders pages (code, templates, catalogs, static files) as a digest, in cache keys and
# static URLs; None: computed at start-up, the same on every server running the same release.
RELEASE: str | None = None
# What browsers and shared caches (nginx, a CDN) may do with a public page: keep it this many
# seconds, then serve it stale this much longer while they ask for a fresh one.
HTTP_MAX_AGE = 60
# Static URLs carry the release (?v=...), so their files may be kept for a year.
SEND_FILE_MAX_AGE_DEFAULT = 365 * 24 * 60 * 60
HTTP_STALE_WHILE_REVALIDATE = 60

# Cookie that remembers the reader's chosen locale for the redirect at /.
LANG_COOKIE = "lang"

# The largest request body accepted; anything larger is answered 413. The largest legitimate
# ones: a PO upload (up to 5 MB, the back office's own limit) and an article's text (500,000
# characters, at most 3 MB form-encoded). Flask's MAX_FORM_MEMORY_SIZE (500 kB for a text field
# of a multipart form) and MAX_FORM_PARTS (1,000) suit our forms: the one multipart form (the
# PO upload) has a file and a token.
MAX_CONTENT_LENGTH = 6 * 1024 * 1024
# One JSON line a request (method, path, status, duration, request id, address) on the
# "mlo.requests" logger.
LOG_REQUESTS = True
# Strict-Transport-Security on responses served over HTTPS, in seconds (0: no header).
HSTS_MAX_AGE = 365 * 24 * 60 * 60


# Settings that must be true or false (or 1 or 0), and whole numbers not below 0: an environment
# variable that is neither (MLO_PAGE_CACHE=off) stops the app at start, rather than mean "on".
SWITCHES = ("PRODUCTION", "PAGE_CACHE", "LOG_REQUESTS")
NUMBERS = (
    "PAGE_CACHE_SIZE",
    "PAGE_CACHE_BYTES",
    "PAGE_CACHE_TIMEOUT",
    "HTTP_MAX_AGE",
    "HTTP_STALE_WHILE_REVALIDATE",
    "HSTS_MAX_AGE",
    "SITEMAP_ARTICLES",
    "MAX_CONTENT_LENGTH",
    "TRUSTED_PROXIES",
)


def resolve(app: Flask) -> None:
    """Fill in what depends on the instance folder and check what production requires."""
    _check_types(app.config)
    instance = Path(app.instance_path)
    instance.mkdir(parents=True, exist_ok=True)
    config = app.config
    if not config["DATABASE_URL"]:
        config["DATABASE_URL"] = f"sqlite:///{instance / 'mlo.sqlite3'}"
    if config["PRODUCTION"]:
        missing = [name for name in ("SECRET_KEY", "SITE_URL") if not config[name]]
        if missing:
            raise RuntimeError(
                "in production (MLO_PRODUCTION) these must be set: "
                + ", ".join(f"MLO_{name}" for name in missing)
            )
    if not config["SECRET_KEY"]:
        config["SECRET_KEY"] = _instance_secret(instance / "secret_key")
    # Names the newsroom keeps in Latin when Serbian typed in Latin is stored in Cyrillic.
    translit.set_extra_latin_words(translit.load_latin_words(instance / "latin_words.txt"))
    site = urlsplit(config["SITE_URL"] or "")
    if config["SITE_URL"] and (site.scheme not in ("http", "https") or not site.hostname):
        raise RuntimeError(f"MLO_SITE_URL must be like https://example.org: {site.geturl()!r}")
    config["SITE_URL"] = f"{site.scheme}://{site.netloc}" if site.hostname else None
    hosts = [site.hostname] if site.hostname else list(config["DEVELOPMENT_HOSTS"])
    config["TRUSTED_HOSTS"] = hosts + list(config["EXTRA_HOSTS"])
    config["TAG_AUTHORITY"] = config["TAG_AUTHORITY"] or site.hostname or "localhost"
    config["PREFERRED_URL_SCHEME"] = site.scheme or "http"
    config["SESSION_COOKIE_SECURE"] = site.scheme == "https"


def trust_proxies(app: Flask) -> None:
    """Take the client's address, scheme and host from the TRUSTED_PROXIES nearest proxies."""
    count = app.config["TRUSTED_PROXIES"]  # a whole number, checked by resolve
    if count:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=count, x_proto=count, x_host=count)


def _check_types(config: Config) -> None:
    for name in SWITCHES:
        if config[name] not in (True, False):  # 1 and 0 are equal to True and False
            raise RuntimeError(f"MLO_{name} must be true or false (or 1 or 0): {config[name]!r}")
        config[name] = bool(config[name])
    for name in NUMBERS:
        value = config[name]
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise RuntimeError(f"MLO_{name} must be a whole number, 0 or more: {value!r}")


def catalog_folder(app: Flask) -> Path:
    """The catalog folder the app serves: the first of BABEL_TRANSLATION_DIRECTORIES."""
    first = app.config["BABEL_TRANSLATION_DIRECTORIES"].split(";")[0]
    return (Path(app.root_path) / first).resolve()


def _instance_secret(path: Path) -> str:
    # Generated once and kept, so sessions survive a restart; never committed (instance/).
    if not path.exists():
        path.touch(mode=0o600)
        path.write_text(secrets.token_hex(32))
    return path.read_text().strip()
