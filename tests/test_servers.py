"""Two app servers (gunicorn, deploy/gunicorn.conf.py) sharing one PostgreSQL and one Redis: what
is written through one, or through the command line, is served by the other on its very first
request, never a stale page.

Runs on PostgreSQL only (MLO_TEST_POSTGRES_URL), in a schema of its own that it drops afterwards,
so the rest of the suite's database is untouched. Skipped without PostgreSQL, except under CI,
where that fails instead.
"""

import html
import json
import math
import os
import re
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from html.parser import HTMLParser
from http.cookiejar import CookieJar
from pathlib import Path
from typing import NamedTuple
from urllib.parse import urlencode

import pytest
import redis
from sqlalchemy import select, text
from sqlalchemy.engine import make_url

from mlo import db
from mlo.content import transfer
from mlo.content.models import Article
from mlo.office import accounts
from tests.conftest import PASSWORD, POSTGRES_URL, free_port, running_app
from tests.test_deploy import DEPLOY, ROOT, wait_for

# Every request the test makes is answered within this, or the test fails.
REQUEST_SECONDS = 30
SITE = "http://newsroom.test"
# The demo article the editor renames, and the draft the editor publishes.
EDITED = "2024-10-04-chief-of-mlo-visits-nis"
DRAFT = "2024-11-20-sps-flood-protection-danube"


# --- a browser of our own: cookies, forms, every status kept -------------------------------


class Page(NamedTuple):
    """One response: status, headers and the body as text."""

    status: int
    headers: dict[str, str]
    text: str


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *_args, **_kwargs):
        return None


class Visitor:
    """One browser talking to one server: its own cookies, redirects not followed, and every
    answer's status remembered. `host` is the Host header sent (as a proxy in front would)."""

    def __init__(self, base: str, host: str | None = None) -> None:
        self.base = base
        self.host = host
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(CookieJar()), _NoRedirect()
        )
        self.answers: list[tuple[str, int]] = []

    def get(self, path: str) -> Page:
        """GET a path of the server."""
        return self._open(urllib.request.Request(self.base + path))

    def post(self, path: str, fields: dict[str, str]) -> Page:
        """POST a form (urlencoded) to a path of the server."""
        data = urlencode(fields).encode()
        return self._open(urllib.request.Request(self.base + path, data=data, method="POST"))

    def sign_in(self, name: str, password: str = PASSWORD) -> None:
        """Sign in through the login form, as a browser would."""
        fields = form_with(self.get("/admin/login").text, "password")
        answer = self.post("/admin/login", fields | {"username": name, "password": password})
        assert answer.status == 302, f"sign-in as {name} answered {answer.status}"

    def errors(self) -> list[tuple[str, int]]:
        """Every answer with a server error status (5xx)."""
        return [(path, status) for path, status in self.answers if status >= 500]

    def _open(self, request: urllib.request.Request) -> Page:
        if self.host:
            request.add_header("Host", self.host)
        try:
            with self.opener.open(request, timeout=REQUEST_SECONDS) as response:
                page = Page(response.status, dict(response.headers), response.read().decode())
        except urllib.error.HTTPError as error:
            page = Page(error.code, dict(error.headers), error.read().decode())
        self.answers.append((f"{request.get_method()} {request.selector}", page.status))
        return page


class _Forms(HTMLParser):
    """The forms of a page: each one's action and the fields a browser would submit."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[tuple[str, dict[str, str]]] = []
        self._textarea: str | None = None
        self._select: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {name: value or "" for name, value in attrs}
        if tag == "form":
            self.forms.append((found.get("action", ""), {}))
            return
        if not self.forms:
            return
        fields = self.forms[-1][1]
        name, kind = found.get("name"), found.get("type", "text")
        if tag == "input" and name and kind not in ("submit", "button", "file", "image"):
            if kind not in ("checkbox", "radio") or "checked" in found:
                fields[name] = found.get("value", "on" if kind == "checkbox" else "")
        elif tag == "textarea" and name:
            self._textarea = name
            fields[name] = ""
        elif tag == "select" and name:
            self._select = name
        elif tag == "option" and self._select:
            if self._select not in fields or "selected" in found:
                fields[self._select] = found.get("value", "")

    def handle_data(self, data: str) -> None:
        if self._textarea:
            self.forms[-1][1][self._textarea] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "textarea" and self._textarea:
            fields = self.forms[-1][1]
            # A browser drops the line break that starts a textarea's content.
            fields[self._textarea] = re.sub(r"^\r?\n", "", fields[self._textarea])
            self._textarea = None
        elif tag == "select":
            self._select = None


def forms_of(page_html: str) -> list[tuple[str, dict[str, str]]]:
    """(action, fields) of every form on a page, in order."""
    parser = _Forms()
    parser.feed(page_html)
    parser.close()
    return parser.forms


def form_with(page_html: str, field: str, action: str | None = None) -> dict[str, str]:
    """The fields of the first form on a page that has `field` (and, if given, that action)."""
    for found_action, fields in forms_of(page_html):
        if field in fields and (action is None or found_action.endswith(action)):
            return fields
    raise AssertionError(f"no form with {field!r} ({action or 'any action'}) on the page")


def shown(page: Page) -> str:
    """A page's text as a reader sees it: search highlights and entities gone."""
    return html.unescape(re.sub(r"</?mark>", "", page.text))


# --- two gunicorn servers on one PostgreSQL schema and one Redis ---------------------------


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """A PostgreSQL schema of this test's own (the URL's search path), dropped afterwards."""
    if not POSTGRES_URL:
        if "CI" in os.environ:
            pytest.fail("CI is set but MLO_TEST_POSTGRES_URL is not: two servers need PostgreSQL")
        pytest.skip("two servers share PostgreSQL: set MLO_TEST_POSTGRES_URL")
    schema = f"mlo_servers_{os.getpid()}"
    engine = db.make_engine(POSTGRES_URL)
    with engine.begin() as connection:
        connection.execute(text(f"DROP SCHEMA IF EXISTS {schema} CASCADE"))
        connection.execute(text(f"CREATE SCHEMA {schema}"))
    try:
        confined = make_url(POSTGRES_URL).update_query_dict({"options": f"-csearch_path={schema}"})
        yield confined.render_as_string(hide_password=False)
    finally:
        with engine.begin() as connection:
            connection.execute(text(f"DROP SCHEMA IF EXISTS {schema} CASCADE"))
        engine.dispose()


@contextmanager
def app_servers(env: dict[str, str], folder: Path, count: int = 2) -> Iterator[list[str]]:
    """`count` gunicorn servers (deploy/gunicorn.conf.py) of the app, each on a free loopback
    port, up once /healthz answers, stopped afterwards; their base URLs and log files."""
    ports: list[int] = []
    while len(ports) < count:
        port = free_port()
        if port not in ports:
            ports.append(port)
    command = [sys.executable, "-m", "gunicorn", "-c", str(DEPLOY / "gunicorn.conf.py"), "app:app"]
    started: list[subprocess.Popen] = []
    try:
        for port in ports:
            with (folder / f"gunicorn-{port}.log").open("wb") as log:
                started.append(
                    subprocess.Popen(
                        command,
                        cwd=ROOT,
                        env=env | {"MLO_BIND": f"127.0.0.1:{port}"},
                        stdout=log,
                        stderr=subprocess.STDOUT,
                    )
                )
        for process, port in zip(started, ports, strict=True):
            wait_for(process, f"http://127.0.0.1:{port}/healthz", folder / f"gunicorn-{port}.log")
        yield [f"http://127.0.0.1:{port}" for port in ports]
    finally:
        for process in started:
            process.terminate()
        for process in started:
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def test_two_servers_serve_each_others_edits_at_once(postgres_url, redis_url, tmp_path):
    with running_app(postgres_url) as setup:
        assert setup.test_cli_runner().invoke(args=["content", "demo"]).exit_code == 0
        with setup.app_context():
            db.begin_write()
            accounts.create("ed", "editor", PASSWORD, "")
            db.dbsession.commit()
            articles = {
                item.key: item
                for item in db.dbsession.scalars(
                    select(Article).where(Article.key.in_([EDITED, DRAFT]))
                )
            }
            edited, draft = articles[EDITED], articles[DRAFT]
            edited_id, draft_id = edited.id, draft.id
            old_title = edited.translations["en"].title
            article_url = f"/en/news/2024/{edited.translations['en'].slug}/"
            draft_title = draft.translations["en"].title
        zone = setup.config["NEWSROOM_TIMEZONE"]

        env = {name: value for name, value in os.environ.items() if not name.startswith("MLO_")}
        env |= {
            "MLO_PRODUCTION": "1",
            "MLO_SECRET_KEY": "one key for both servers",
            "MLO_SITE_URL": SITE,
            "MLO_DATABASE_URL": postgres_url,
            "MLO_REDIS_URL": redis_url,
            "MLO_WORKERS": "2",
        }
        host = SITE.removeprefix("http://")
        with app_servers(env, tmp_path) as (base_a, base_b):
            # Readers of each server, and an editor of server A, all behind one host name (as
            # behind a load balancer), so the servers also share their cached pages in Redis.
            reader_a, reader_b = Visitor(base_a, host), Visitor(base_b, host)
            editor = Visitor(base_a, host)
            readers = (reader_b, reader_a)  # the other server first
            new_title = "Chief of NATO MLO visits Zaječar and Quillwort"
            pages = ["/en/", "/en/news/", article_url, "/en/feed.atom", "/en/search/?q=quillwort"]

            # Both servers have every page cached before anything changes.
            for reader in readers:
                for path in pages * 2:
                    assert reader.get(path).status == 200, path
            assert old_title in shown(reader_b.get(article_url))
            assert "Quillwort" not in shown(reader_b.get("/en/search/?q=quillwort"))
            assert redis.Redis.from_url(redis_url).keys("mlo:page:*"), "no page cached in Redis"

            # An editor renames the article through server A's back office.
            editor.sign_in("ed")
            form_url = f"/admin/articles/{edited_id}/en/"
            fields = form_with(editor.get(form_url).text, "title")
            assert editor.post(form_url, fields | {"title": new_title}).status == 302
            for reader in readers:
                for path in pages:
                    page = shown(reader.get(path))
                    assert new_title in page, f"{reader.base}{path} is stale after the edit"
                    assert old_title not in page, path

            # An import through the command line, while both servers run.
            record = {
                "key": "2025-01-15-imported",
                "published": "2025-01-15",
                "translations": {"en": {"title": "Imported while serving", "body": "<p>…</p>"}},
            }
            document = tmp_path / "import.json"
            document.write_text(json.dumps([record]))
            imported = subprocess.run(
                [sys.executable, "-m", "flask", "--app", "app", "content", "import", str(document)],
                cwd=ROOT,
                env=env,
                capture_output=True,
                text=True,
                timeout=120,
            )
            assert imported.returncode == 0, imported.stderr
            for reader in readers:
                for path in ("/en/", "/en/news/", "/en/feed.atom"):
                    assert "Imported while serving" in shown(reader.get(path)), path
                assert reader.get("/en/news/2025/imported-while-serving/").status == 200

            # The editor publishes a draft through server A.
            settings = editor.get(f"/admin/articles/{draft_id}/").text
            publish = form_with(settings, "revision", action="/publish")
            assert editor.post(f"/admin/articles/{draft_id}/publish", publish).status == 302
            for reader in readers:
                for path in ("/en/news/", "/en/feed.atom"):
                    assert draft_title in shown(reader.get(path)), path

            # A scheduled article appears on both servers at its time, on already cached pages.
            due = math.ceil(time.time()) + 2
            moment = datetime.fromtimestamp(due, UTC).isoformat()
            scheduled = {
                "key": "scheduled",
                "published": moment,
                "translations": {"en": {"title": "Due in two seconds", "body": "<p>…</p>"}},
            }
            with setup.app_context():
                db.begin_write()
                transfer.import_document([scheduled], zone)
                db.dbsession.commit()
            listings = ("/en/", "/en/news/", "/en/feed.atom")
            for reader in readers:
                for path in listings:
                    page = shown(reader.get(path))
                    if time.time() < due:  # answered before its time: not there yet
                        assert "Due in two seconds" not in page, path
            time.sleep(max(0.0, due - time.time()) + 0.05)
            for reader in readers:
                for path in listings:
                    assert "Due in two seconds" in shown(reader.get(path)), path

            assert not [error for visitor in (*readers, editor) for error in visitor.errors()]
        for log in tmp_path.glob("gunicorn-*.log"):
            assert "Traceback" not in log.read_text(), log.read_text()
