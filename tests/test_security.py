"""Hardening: security headers on every response, the size limit, /healthz, request ids and
JSON logs, a localized page instead of a traceback, and every page working under the CSP."""

import io
import json
import logging
import re
import socket
from pathlib import Path

import pytest
from flask import Blueprint, Flask
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import select
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from mlo import create_app, db
from mlo.content.models import Article
from mlo.office import accounts
from mlo.web import logs
from tests.conftest import PASSWORD, csrf_token, running_app, serving, sign_in
from tests.test_browser import TIMEOUT_MS, browser, load_articles  # noqa: F401

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
EN = {"title": "Meeting in Belgrade", "summary": "Talks.", "body": "<p>Talks in Belgrade.</p>"}
SR = {"title": "Састанак у Београду", "summary": "Разговори.", "body": "<p>Разговори.</p>"}
ARTICLE = "/en/news/2023/meeting-in-belgrade/"
SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "X-Frame-Options": "DENY",
}
TOO_LARGE = 7 * 1024 * 1024


def page(response) -> str:
    return response.get_data(as_text=True)


def assert_hardened(response) -> None:
    """The response carries the policy and the other security headers."""
    policy = response.headers["Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in policy.split(";"))
    assert directives["default-src"] == "'self'"
    assert directives["script-src"] == "'self'"  # no 'unsafe-inline', no 'unsafe-eval'
    assert directives["style-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"
    assert directives["object-src"] == "'none'"
    assert directives["base-uri"] == "'self'"
    assert directives["form-action"] == "'self'"
    for name, value in SECURITY_HEADERS.items():
        assert response.headers[name] == value
    assert re.fullmatch(r"[0-9a-f]{32}", response.headers["X-Request-ID"])


def failing(app: Flask) -> None:
    """Register a test-only route that raises, with production's handling of exceptions."""
    bp = Blueprint("failing", __name__)

    @bp.get("/<locale:loc>/failing/")
    def fail() -> str:
        raise RuntimeError("kaboom: a detail only the log may show")

    app.register_blueprint(bp)
    app.config["PROPAGATE_EXCEPTIONS"] = False


def closed_port() -> int:
    """A loopback port nothing listens on."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def json_lines(text: str) -> list[dict]:
    return [json.loads(line) for line in text.splitlines() if line.startswith("{")]


def test_every_kind_of_response_carries_the_security_headers(app, client, make_article, staff):
    make_article(key="meeting", en=EN, sr=SR)
    failing(app)
    responses = {
        "article": client.get(ARTICLE),
        "newsroom": client.get("/sr-latn/news/"),
        "feed": client.get("/en/feed.atom"),
        "redirect": client.get("/"),
        "not found": client.get("/en/no-such-page/"),
        "server error": client.get("/en/failing/"),
        "static file": client.get("/static/site.css"),
        "editor script": client.get("/static/editor.js"),
        "sign-in page": client.get("/admin/login"),
        "back office redirect": client.get("/admin/"),
        "too large": client.post("/en/", data=b"x" * TOO_LARGE),
        "health": client.get("/healthz"),
    }
    assert {name: r.status_code for name, r in responses.items()} == {
        "article": 200,
        "newsroom": 200,
        "feed": 200,
        "redirect": 302,
        "not found": 404,
        "server error": 500,
        "static file": 200,
        "editor script": 200,
        "sign-in page": 200,
        "back office redirect": 302,
        "too large": 413,
        "health": 200,
    }
    for response in responses.values():
        assert_hardened(response)
        assert "Strict-Transport-Security" not in response.headers  # plain HTTP
        response.close()  # a static file's
    sign_in(client, "ed")
    assert_hardened(client.get("/admin/"))


def test_hsts_only_over_https(client):
    secure = client.get("/en/", base_url="https://localhost")
    assert secure.headers["Strict-Transport-Security"] == "max-age=31536000"
    assert_hardened(secure)
    assert "Strict-Transport-Security" not in client.get("/en/").headers
    # Behind a TLS proxy, ProxyFix sets the scheme from X-Forwarded-Proto.
    proxied = client.get("/healthz", environ_overrides={"wsgi.url_scheme": "https"})
    assert proxied.headers["Strict-Transport-Security"] == "max-age=31536000"


def test_hsts_can_be_turned_off(app, client):
    app.config["HSTS_MAX_AGE"] = 0
    assert "Strict-Transport-Security" not in client.get("/en/", base_url="https://x").headers


@pytest.mark.parametrize(
    ("prefix", "lang", "site", "text"),
    [
        ("en", "en", "MLO Belgrade", "larger than the newsroom accepts"),
        ("sr-cyrl", "sr-Cyrl", "МЛО Београд", None),
        ("sr-latn", "sr-Latn", "MLO Beograd", None),
    ],
)
def test_an_oversized_request_gets_the_localized_413_page(client, prefix, lang, site, text):
    response = client.post(f"/{prefix}/", data=b"x" * TOO_LARGE)
    assert response.status_code == 413
    html = page(response)
    assert f'<html lang="{lang}">' in html
    assert f'<a class="brand" href="/{prefix}/">{site}</a>' in html
    assert '<meta name="robots" content="noindex">' in html
    if text:
        assert "<h1>Request too large</h1>" in html and text in html


def test_a_po_file_the_back_office_accepts_fits_under_the_limit(app, client, make_article, staff):
    make_article(key="meeting", en=EN)
    with app.app_context():
        article_id = db.dbsession.scalar(select(Article.id).where(Article.key == "meeting"))
    sign_in(client, "ed")
    url = f"/admin/articles/{article_id}/sr/po"
    token = csrf_token(page(client.get(f"/admin/articles/{article_id}/sr/")))

    def upload(size: int):
        po_file = FileStorage(io.BytesIO(b"# " + b"x" * (size - 3) + b"\n"), "big.po")
        # Encoded here: the test client would spool a large body to a file it never closes.
        boundary, body = encode_multipart({"csrf_token": token, "file": po_file})
        return client.post(url, data=body, content_type=f"multipart/form-data; boundary={boundary}")

    largest = upload(5_000_000)  # the view's own limit: it reads it and explains
    assert largest.status_code == 302
    assert "The file was not imported" in page(client.get(f"/admin/articles/{article_id}/sr/"))
    refused = upload(TOO_LARGE)
    assert refused.status_code == 413
    assert "<h1>Request too large</h1>" in page(refused)
    assert refused.headers["Cache-Control"] == "private, no-store"


@pytest.mark.parametrize(
    ("prefix", "lang", "title"),
    [
        ("en", "en", "Something went wrong"),
        ("sr-cyrl", "sr-Cyrl", "Дошло је до грешке"),
        ("sr-latn", "sr-Latn", "Došlo je do greške"),
    ],
)
def test_an_unexpected_exception_is_the_localized_500_page_and_a_logged_traceback(
    app, client, capsys, prefix, lang, title
):
    failing(app)
    response = client.get(f"/{prefix}/failing/", headers={"X-Request-ID": "trace-42"})
    assert response.status_code == 500
    html = page(response)
    assert f'<html lang="{lang}">' in html and f"<h1>{title}</h1>" in html
    assert "Traceback" not in html and "kaboom" not in html and "RuntimeError" not in html
    assert response.headers["X-Request-ID"] == "trace-42"
    errors = [line for line in json_lines(capsys.readouterr().err) if line["level"] == "ERROR"]
    assert len(errors) == 1
    assert errors[0]["request_id"] == "trace-42"
    assert errors[0]["message"] == f"Exception on /{prefix}/failing/ [GET]"
    assert "RuntimeError: kaboom" in errors[0]["traceback"]


def test_healthz_answers_ok_when_the_database_does(client):
    response = client.get("/healthz")
    assert (response.status_code, page(response)) == (200, "ok\n")
    assert response.mimetype == "text/plain"
    assert response.headers["Cache-Control"] == "no-store"
    assert "Content-Language" not in response.headers
    # Load balancers probe a server by its address, a host name the site does not serve.
    assert client.get("/healthz", headers={"Host": "10.0.0.7:8000"}).status_code == 200
    assert client.get("/en/", headers={"Host": "10.0.0.7:8000"}).status_code == 400
    assert client.head("/healthz").status_code == 200


@pytest.mark.parametrize("backend", ["postgresql", "sqlite"])
def test_healthz_answers_503_and_readers_get_the_error_page_when_the_database_is_down(
    backend, tmp_path
):
    url = {
        "postgresql": f"postgresql+psycopg://postgres@127.0.0.1:{closed_port()}/mlo",
        "sqlite": f"sqlite:///{tmp_path / 'no-such-folder' / 'mlo.sqlite3'}",
    }[backend]
    app = create_app(
        {
            "TESTING": True,
            "DATABASE_URL": url,
            "SECRET_KEY": "test",
            "LOG_REQUESTS": False,
            "PROPAGATE_EXCEPTIONS": False,
        }
    )
    client = app.test_client()
    try:
        health = client.get("/healthz")
        assert (health.status_code, page(health)) == (503, "database unavailable\n")
        assert health.mimetype == "text/plain"
        assert health.headers["Cache-Control"] == "no-store"
        reader = client.get("/sr-cyrl/")
        assert reader.status_code == 500
        assert "<h1>Дошло је до грешке</h1>" in page(reader)
    finally:
        with app.app_context():
            db.engine().dispose()


def test_a_sane_request_id_is_echoed_and_any_other_replaced(client):
    for sane in ["f47ac10b-58cc-4372-a567-0e02b2c3d479", "Root=1-67891233-abcdef012345678912"]:
        assert client.get("/en/", headers={"X-Request-ID": sane}).headers["X-Request-ID"] == sane
    for odd in ["<script>alert(1)</script>", "a" * 129, "two words", "ид", ""]:
        given = client.get("/en/", headers={"X-Request-ID": odd}).headers["X-Request-ID"]
        assert given != odd and re.fullmatch(r"[0-9a-f]{32}", given)
    ids = {client.get("/healthz").headers["X-Request-ID"] for _ in range(3)}
    assert len(ids) == 3


def test_one_json_line_per_request(app, client, caplog, capsys):
    with caplog.at_level(logging.INFO, logger="mlo.requests"):
        client.get("/sr-latn/news/", headers={"X-Request-ID": "req-1"})
        client.get("/en/nowhere/", environ_base={"REMOTE_ADDR": "192.0.2.9"})
        client.post("/en/", data=b"x" * TOO_LARGE)
    records = [r for r in caplog.records if r.name == "mlo.requests"]
    assert len(records) == 3
    lines = [json.loads(logs.JsonFormatter().format(record)) for record in records]
    first, second, third = lines
    assert {k: first[k] for k in ("method", "path", "status", "request_id", "remote_addr")} == {
        "method": "GET",
        "path": "/sr-latn/news/",
        "status": 200,
        "request_id": "req-1",
        "remote_addr": "127.0.0.1",
    }
    assert isinstance(first["duration_ms"], float) and first["duration_ms"] >= 0
    assert (second["status"], second["remote_addr"]) == (404, "192.0.2.9")
    assert (third["method"], third["status"]) == ("POST", 413)
    # The same lines reach the server's error stream, one JSON object each.
    written = [line for line in json_lines(capsys.readouterr().err) if line.get("path")]
    assert [(line["path"], line["status"]) for line in written] == [
        ("/sr-latn/news/", 200),
        ("/en/nowhere/", 404),
        ("/en/", 413),
    ]
    app.config["LOG_REQUESTS"] = False
    caplog.clear()
    client.get("/en/")
    assert not [r for r in caplog.records if r.name == "mlo.requests"]


def test_no_template_needs_inline_script_or_style():
    """What the policy would block: inline scripts and handlers, style attributes and elements,
    javascript: URLs. Every script is a static file."""
    forbidden = re.compile(
        r"<script(?![^>]*\ssrc=)[^>]*>|\son[a-z]+\s*=|\sstyle\s*=|<style|javascript:", re.I
    )
    for path in TEMPLATES.rglob("*.html"):
        text = re.sub(r"{#.*?#}", "", path.read_text("utf-8"), flags=re.S)
        assert not forbidden.search(text), f"{path.name}: {forbidden.search(text).group()}"


VIOLATIONS = """
window.cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.cspViolations.push(`${event.violatedDirective} ${event.blockedURI} ${event.sourceFile}`);
});
"""


GOOGLE_DOCS = (
    '<meta charset="utf-8"><b style="font-weight:normal;" id="docs-internal-guid-1a2b">'
    '<p dir="ltr"><span style="font-weight:400;">Pasted, with </span>'
    '<span style="font-weight:700;">bold</span><span style="font-weight:400;"> and </span>'
    '<span style="font-style:italic;">italic</span></p></b>'
)
PASTE = """(html) => {
  const data = new DataTransfer();
  data.setData("text/html", html);
  data.setData("text/plain", "Pasted, with bold and italic");
  const paste = new ClipboardEvent("paste", {clipboardData: data, bubbles: true, cancelable: true});
  document.querySelector(".ql-editor").dispatchEvent(paste);
}"""


def violations(page: Page) -> list[str]:
    """The CSP violations the page reported since it loaded."""
    return page.evaluate("window.cspViolations")


def test_no_page_reports_a_csp_violation(browser: Browser, tmp_path: Path) -> None:  # noqa: F811
    """The reading pages, the sign-in page, the desk and the rich-text editor at work."""
    with running_app(f"sqlite:///{tmp_path / 'csp.sqlite3'}") as app:
        load_articles(app)
        with app.app_context():
            db.begin_write()
            accounts.create("ed", "editor", PASSWORD)
            db.dbsession.commit()
            article_id = db.dbsession.scalar(
                select(Article.id).where(Article.key == "2023-02-07-cooperation")
            )
        with serving(app) as base:
            context = browser.new_context(locale="en-GB")
            context.set_default_timeout(TIMEOUT_MS)
            context.add_init_script(VIOLATIONS)
            console: list[str] = []
            context.on("console", lambda message: console.append(message.text))
            page = context.new_page()
            try:
                for path in [
                    "/en/news/",
                    "/en/news/2023/cooperation-in-ljubljana-and-belgrade/",
                    "/sr-latn/news/2023/saradnja-u-ljubljani-i-beogradu/",
                    "/sr-cyrl/search/?q=Београд",
                    "/en/no-such-page/",
                    "/admin/login",
                ]:
                    page.goto(base + path)
                    assert violations(page) == [], path
                page.get_by_label("User name").fill("ed")
                page.get_by_label("Password").fill(PASSWORD)
                page.get_by_role("button", name="Sign in").click()
                expect(page.get_by_role("heading", name="Articles")).to_be_visible()
                assert violations(page) == []

                for lang in ("sr", "en"):  # the English one is saved below
                    page.goto(f"{base}/admin/articles/{article_id}/{lang}/")
                    editor = page.locator(".ql-editor")
                    expect(editor).to_be_visible()  # Quill replaced the textarea
                    editor.click()
                    page.keyboard.press("Control+End")
                    page.keyboard.press("Enter")
                    page.keyboard.press("Control+b")
                    page.keyboard.type("Bold words")
                    page.locator(".ql-toolbar .ql-header .ql-picker-label").click()
                    page.locator(".ql-toolbar .ql-picker-item[data-value='2']").click()
                    page.keyboard.press("Shift+Home")
                    page.locator(".ql-toolbar button.ql-link").click()  # its tooltip is placed
                    expect(page.locator(".ql-tooltip.ql-editing")).to_be_visible()
                    page.keyboard.press("Escape")
                    assert violations(page) == [], lang
                assert not [text for text in console if "Content Security Policy" in text]

                # A paste from Google Docs, whose bold and italic are style attributes: the
                # policy keeps the browser from applying them (it logs that, harmlessly), and
                # the editor reads them from the attribute instead.
                page.locator(".ql-editor").click()
                page.keyboard.press("Control+End")
                page.evaluate(PASTE, GOOGLE_DOCS)
                expect(page.locator(".ql-editor strong").last).to_have_text("bold")
                expect(page.locator(".ql-editor em").last).to_have_text("italic")
                page.get_by_role("button", name="Save", exact=True).click()
                expect(page.get_by_role("status")).to_contain_text("Saved as revision")
                expect(page.locator(".ql-editor strong").last).to_have_text("bold")
                assert violations(page) == []

                # The listener does see a violation: an inline style attribute is refused.
                page.evaluate(
                    "document.body.insertAdjacentHTML('beforeend', '<p style=\"color: red\">x</p>')"
                )
                page.wait_for_function("window.cspViolations.length > 0")
                assert violations(page)[0].startswith("style-src")
            finally:
                context.close()
