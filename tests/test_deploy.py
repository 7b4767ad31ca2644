"""Serving: proxy trust, and the deploy/ files run for real (gunicorn behind Debian's nginx)."""

import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import feedparser
import pytest
from flask import Flask, request

from mlo import create_app, db
from mlo.web import security

ROOT = Path(__file__).resolve().parent.parent
DEPLOY = ROOT / "deploy"
NGINX = Path("/usr/sbin/nginx")
# How long a server may take to start listening before the test gives up on it.
START_SECONDS = 30

# Skipped without nginx, except under CI, where its absence fails the test.
MISSING_NGINX = not NGINX.exists() and "CI" not in os.environ
needs_nginx = pytest.mark.skipif(MISSING_NGINX, reason="Debian's nginx is not installed")


# --- proxy trust (ProxyFix) ----------------------------------------------------------------


def probe_app(tmp_path: Path, proxies: int) -> Flask:
    """The app on an empty SQLite file, with a route that tells how it sees the request."""
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test",
            "DATABASE_URL": f"sqlite:///{tmp_path / 'probe.sqlite3'}",
            "TRUSTED_PROXIES": proxies,
        }
    )

    @app.get("/probe")
    def probe() -> dict[str, object]:
        return {"secure": request.is_secure, "client": request.remote_addr, "host": request.host}

    return app


FORWARDED = {
    "X-Forwarded-Proto": "https",
    "X-Forwarded-For": "203.0.113.7",
    "X-Forwarded-Host": "localhost",
}


def test_behind_a_trusted_proxy_the_forwarded_scheme_and_client_count(tmp_path):
    client = probe_app(tmp_path, proxies=1).test_client()
    redirect = client.get("/en/news", headers=FORWARDED)
    assert redirect.status_code in (301, 308)
    assert redirect.location == "https://localhost/en/news/"
    assert client.get("/probe", headers=FORWARDED).json == {
        "secure": True,
        "client": "203.0.113.7",
        "host": "localhost",
    }


def test_without_trust_the_forwarded_headers_are_ignored(tmp_path):
    client = probe_app(tmp_path, proxies=0).test_client()
    redirect = client.get("/en/news", headers={**FORWARDED, "X-Forwarded-Host": "evil.example"})
    assert redirect.location == "http://localhost/en/news/"
    seen = client.get("/probe", headers=FORWARDED).json
    assert seen == {"secure": False, "client": "127.0.0.1", "host": "localhost"}


def test_one_trusted_proxy_believes_only_the_address_it_added(tmp_path):
    # A client's own X-Forwarded-For comes first; the proxy appends the address it saw.
    client = probe_app(tmp_path, proxies=1).test_client()
    headers = {"X-Forwarded-For": "198.51.100.1, 203.0.113.7"}
    assert client.get("/probe", headers=headers).json["client"] == "203.0.113.7"


def test_a_bad_proxy_count_stops_the_app(tmp_path):
    with pytest.raises(RuntimeError, match="MLO_TRUSTED_PROXIES"):
        probe_app(tmp_path, proxies="one")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "name, value",
    [("PAGE_CACHE", "off"), ("PRODUCTION", "no"), ("HTTP_MAX_AGE", "abc"), ("PAGE_CACHE_SIZE", -1)],
)
def test_a_setting_of_the_wrong_kind_stops_the_app(tmp_path, name, value):
    with pytest.raises(RuntimeError, match=f"MLO_{name} must be"):
        create_app({"DATABASE_URL": f"sqlite:///{tmp_path / 'x.sqlite3'}", name: value})


def test_a_probe_behind_the_proxy_gets_healthz_whatever_host_it_names(tmp_path):
    client = probe_app(tmp_path, proxies=1).test_client()
    with client.application.app_context():
        db.create_schema()
    response = client.get(
        "/healthz", headers={"Host": "10.0.0.5:8000", "X-Forwarded-Host": "10.0.0.5"}
    )
    assert response.status_code == 200 and response.data == b"ok\n"


# --- gunicorn and nginx, started by the test ------------------------------------------------


def free_port() -> int:
    """A loopback port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(process: subprocess.Popen, url: str, log: Path) -> None:
    """Wait until `url` answers (any status); fail with the server's log if it exits first."""
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"server exited ({process.returncode}):\n{log.read_text()}")
        try:
            urllib.request.urlopen(url, timeout=5).close()
            return
        except urllib.error.HTTPError:
            return
        except OSError:
            time.sleep(0.1)
    pytest.fail(f"server did not answer {url}:\n{log.read_text()}")


@contextmanager
def running(command: list[str], url: str, log: Path, **options) -> Iterator[None]:
    """A server process, up once `url` answers, stopped (TERM, then KILL) afterwards."""
    with log.open("wb") as output:
        process = subprocess.Popen(command, stdout=output, stderr=subprocess.STDOUT, **options)
    try:
        wait_for(process, url, log)
        yield
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def render(path: Path, replacements: dict[str, str]) -> str:
    """A deploy file with its documented values replaced (each must be there: the file and
    the test agree on what they are)."""
    text = path.read_text()
    for old, new in replacements.items():
        assert old in text, f"{path.name} no longer says {old!r}"
        text = text.replace(old, new)
    return text


@contextmanager
def nginx(site: str, folder: Path) -> Iterator[str]:
    """Debian's nginx serving one site file (already rendered to listen on a loopback port) in
    front of nothing else; its base URL. Everything it writes stays in `folder`."""
    port = free_port()
    site = site.replace("listen 80;", f"listen 127.0.0.1:{port};").replace("listen [::]:80;\n", "")
    (folder / "site.conf").write_text(site)
    temp = "\n".join(
        f"    {kind}_temp_path {folder / kind};" for kind in ("client_body", "proxy", "fastcgi")
    )
    (folder / "nginx.conf").write_text(
        f"""daemon off;
worker_processes 1;
pid {folder / "nginx.pid"};
error_log {folder / "error.log"} info;
{"user root;" if os.geteuid() == 0 else ""}
events {{ worker_connections 128; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log off;
{temp}
    uwsgi_temp_path {folder / "uwsgi"};
    scgi_temp_path {folder / "scgi"};
    include {folder / "site.conf"};
}}
"""
    )
    command = [str(NGINX), "-p", str(folder), "-c", str(folder / "nginx.conf")]
    command += ["-e", str(folder / "error.log")]
    check = subprocess.run([*command, "-t"], capture_output=True, text=True)
    assert check.returncode == 0, check.stderr
    base = f"http://127.0.0.1:{port}"
    with running(command, f"{base}/", folder / "nginx.out"):
        yield base


def fetch(url: str, headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
    """Status, headers and body of a GET, redirects not followed."""

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(urllib.request.Request(url, headers=headers or {}), timeout=30) as r:
            return r.status, dict(r.headers), r.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Iterator[str]:
    """The demo newsroom on gunicorn (deploy/gunicorn.conf.py) behind nginx (deploy/nginx/
    mlo.conf), as the README sets it up; nginx's base URL."""
    if MISSING_NGINX:
        pytest.skip("Debian's nginx is not installed")
    folder = tmp_path_factory.mktemp("deploy")
    env = {k: v for k, v in os.environ.items() if not k.startswith("MLO_")}
    env |= {
        "MLO_DATABASE_URL": f"sqlite:///{folder / 'mlo.sqlite3'}",
        "MLO_SECRET_KEY": "test",
        "MLO_TRUSTED_PROXIES": "1",
        "MLO_WORKERS": "2",
    }
    flask = [sys.executable, "-m", "flask", "--app", "app"]
    for command in (["init-db"], ["content", "demo"]):
        subprocess.run([*flask, *command], cwd=ROOT, env=env, check=True, capture_output=True)
    app_port = free_port()
    env["MLO_BIND"] = f"127.0.0.1:{app_port}"
    gunicorn = [sys.executable, "-m", "gunicorn", "-c", str(DEPLOY / "gunicorn.conf.py"), "app:app"]
    with running(
        gunicorn, f"http://127.0.0.1:{app_port}/en/", folder / "gunicorn.log", cwd=ROOT, env=env
    ):
        conf = render(
            DEPLOY / "nginx" / "mlo.conf",
            {
                "server 127.0.0.1:8000;": f"server 127.0.0.1:{app_port};",
                "/srv/mlo/mlo/static/": f"{ROOT / 'mlo' / 'static'}/",
                "/var/lib/nginx/mlo-cache": str(folder / "cache"),
            },
        )
        with nginx(conf, folder) as base:
            yield base


@needs_nginx
def test_nginx_serves_the_pages_of_the_app(site):
    status, headers, body = fetch(f"{site}/en/")
    assert status == 200
    assert headers["Content-Language"] == "en"
    home = body.decode()
    assert '<html lang="en">' in home
    article = re.search(r'href="(/en/news/\d{4}/[a-z0-9-]+/)"', home)
    assert article, "no article on the home page"
    status, _, body = fetch(site + article.group(1))
    assert status == 200
    assert 'property="og:type" content="article"' in body.decode()

    status, headers, body = fetch(f"{site}/en/feed.atom")
    assert status == 200
    assert headers["Content-Type"].startswith("application/atom+xml")
    feed = feedparser.parse(body)
    assert not feed.bozo and feed.entries


@needs_nginx
def test_nginx_serves_static_files_itself_for_long(site):
    status, headers, body = fetch(f"{site}/static/site.css")
    assert status == 200
    assert body == (ROOT / "mlo" / "static" / "site.css").read_bytes()
    assert headers["Content-Type"].startswith("text/css")
    assert "max-age=31536000" in headers["Cache-Control"]
    assert "immutable" in headers["Cache-Control"]
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Content-Security-Policy"] == security.HEADERS["Content-Security-Policy"]
    assert "X-Request-ID" not in headers  # never reached the app


@needs_nginx
def test_the_back_office_is_never_cached(site):
    for _ in range(2):
        status, headers, _body = fetch(f"{site}/admin/login")
        assert status == 200
        assert headers["X-Cache-Status"] == "BYPASS"
        assert "no-store" in headers["Cache-Control"]


@needs_nginx
def test_a_public_page_comes_from_the_cache_the_second_time(site):
    # The app marks public pages `public, max-age=60, stale-while-revalidate=300`; nginx keeps
    # them that long and no longer.
    status, headers, first = fetch(f"{site}/en/news/")
    assert status == 200
    assert "public" in headers["Cache-Control"] and "max-age=" in headers["Cache-Control"]
    assert headers["X-Cache-Status"] in ("MISS", "EXPIRED")
    status, headers, second = fetch(f"{site}/en/news/")
    assert status == 200
    assert headers["X-Cache-Status"] == "HIT"
    assert second == first


@needs_nginx
def test_each_answer_has_its_own_request_id_even_from_the_cache(site):
    answers = [fetch(f"{site}/en/news/2022/")[1] for _ in range(3)]
    assert answers[-1]["X-Cache-Status"] == "HIT"
    ids = [headers["X-Request-ID"] for headers in answers]
    assert all(ids) and len(set(ids)) == len(ids)


@needs_nginx
def test_error_pages_are_not_cached(site):
    for _ in range(2):
        status, headers, _body = fetch(f"{site}/en/news/?page=999")
        assert status == 404
        assert headers.get("X-Cache-Status") != "HIT"


@needs_nginx
def test_the_app_sees_the_scheme_nginx_was_asked_with_not_the_clients_claim(site):
    # nginx overwrites X-Forwarded-Proto with the real scheme; the app trusts only that.
    status, headers, _body = fetch(f"{site}/en/news/2023", {"X-Forwarded-Proto": "https"})
    assert status in (301, 308)
    assert headers["Location"] == f"{site}/en/news/2023/"


def test_nginx_takes_no_larger_request_than_the_app(tmp_path):
    conf = (DEPLOY / "nginx" / "mlo.conf").read_text()
    size = re.search(r"client_max_body_size (\d+)m;", conf)
    assert size, "client_max_body_size in megabytes"
    app = probe_app(tmp_path, proxies=0)
    assert int(size.group(1)) * 1024 * 1024 == app.config["MAX_CONTENT_LENGTH"]
