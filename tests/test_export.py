"""The static export: the whole public site as files, served by nginx exactly as the app would."""

import json
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from flask import Flask
from flask.testing import FlaskClient

from mlo import config
from mlo.web import security
from tests.test_deploy import DEPLOY, MISSING_NGINX, fetch, nginx, render

SITE = "https://news.example.org"
# Serbian news from one year, enough for a second page of its archive and of the newsroom.
EXTRA_ARTICLES = 12


@pytest.fixture
def app(app: Flask) -> Flask:
    """The test app, public at SITE: an export needs the address its pages link to."""
    app.config["SITE_URL"] = SITE
    config.resolve(app)
    return app


@pytest.fixture
def newsroom(app, runner, make_article) -> list[str]:
    """The demo newsroom and a year of news in both languages; the keys of that year's news."""
    assert runner.invoke(args=["content", "demo"]).exit_code == 0
    return [
        make_article(
            key=f"news-2021-{n:02d}",
            published=f"2021-{n:02d}-15",
            en={"title": f"Exercise number {n}", "body": f"<p>Report {n}.</p>"},
            sr={"title": f"Вежба број {n}", "body": f"<p>Извештај {n}.</p>"},
        )
        for n in range(1, EXTRA_ARTICLES + 1)
    ]


def export(runner, folder: Path) -> str:
    """Run the export into `folder`; its output."""
    result = runner.invoke(args=["export-static", str(folder)])
    assert result.exit_code == 0, result.output
    return result.output


def url_of(relative: str) -> str:
    """The URL a file of the export answers (what deploy/nginx/mlo-static.conf maps)."""
    path = "/" + relative
    page = re.fullmatch(r"(.*/)index\.page-(\d+)\.html", path)
    if page:
        return f"{page.group(1)}?page={page.group(2)}"
    return path.removesuffix("index.html")


class Links(HTMLParser):
    """href, src and srcset URLs of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if value and name in ("href", "src"):
                self.found.append(value)
            elif value and name == "srcset":
                self.found += [part.split()[0] for part in value.split(",")]


def links_in(url: str, body: bytes) -> set[str]:
    """The site's own URLs (path and query) a page, feed, sitemap or robots.txt links to."""
    text = body.decode()
    if url.endswith((".xml", ".atom")):
        found = re.findall(r"<loc>([^<]+)</loc>", text) + re.findall(r'\shref="([^"]+)"', text)
    elif url.endswith(".txt"):
        found = re.findall(r"(?m)^Sitemap: (\S+)$", text)
    else:
        parser = Links()
        parser.feed(text)
        found = parser.found
    internal = set()
    for link in found:
        parts = urlsplit(urljoin(SITE + url, link.replace("&amp;", "&")))
        if f"{parts.scheme}://{parts.netloc}" == SITE:
            internal.add(parts.path + (f"?{parts.query}" if parts.query else ""))
    return {
        link
        for link in internal
        if not link.startswith("/admin/") and "/search/" not in link and link != "/"
    }


def served(folder: Path, tmp_path: Path):
    """nginx with deploy/nginx/mlo-static.conf over the export in `folder`."""
    conf = render(
        DEPLOY / "nginx" / "mlo-static.conf", {"root /srv/mlo/export;": f"root {folder};"}
    )
    (tmp_path / "nginx").mkdir(exist_ok=True)
    return nginx(conf, tmp_path / "nginx")


def rendered(client: FlaskClient, url: str) -> bytes:
    """What the app itself answers for a URL of the site."""
    response = client.get(url, base_url=SITE)
    assert response.status_code == 200, url
    return response.get_data()


@pytest.mark.skipif(MISSING_NGINX, reason="Debian's nginx is not installed")
def test_the_export_served_by_nginx_is_the_site(app, runner, newsroom, tmp_path):
    folder = tmp_path / "site"
    output = export(runner, folder)
    files = json.loads((folder / ".mlo-export.json").read_text())["files"]
    assert f"exported {len(files)} files" in output and f"{len(files)} written" in output
    client = app.test_client()
    with served(folder, tmp_path) as base:
        linked: set[str] = set()
        for relative in files:
            url = url_of(relative)
            if relative == "index.html" or relative.endswith("/404.html"):
                continue  # the front door and the error pages: below
            status, headers, body = fetch(base + url)
            assert status == 200, url
            assert body == (folder / relative).read_bytes(), url
            if not url.startswith("/static/"):
                linked |= links_in(url, body)
        # Every link of every page leads to the page the app shows there.
        for url in sorted(linked):
            status, _, body = fetch(base + url)
            assert status == 200, url
            if url.startswith("/static/"):
                # Static URLs carry the release (?v=...); the file is the path's.
                assert body == (folder / urlsplit(url).path.lstrip("/")).read_bytes(), url
            else:
                assert body == rendered(client, url), url
        # Pages and alternates of every kind were among them.
        assert {"/en/news/?page=2", "/sr-cyrl/news/?page=2", "/sr-latn/news/2021/?page=2"} <= linked
        assert "/sitemap.xml" in linked and "/sr-latn/feed.atom" in linked
        assert fetch(base + "/en/news/?page=2")[2] != fetch(base + "/en/news/")[2]
        assert fetch(base + "/en/news/?page=1")[2] == fetch(base + "/en/news/")[2]

        status, headers, _ = fetch(base + "/sr-latn/news/2021/?page=2")
        assert headers["Content-Language"] == "sr-Latn"
        status, headers, _ = fetch(base + "/en/feed.atom")
        assert headers["Content-Type"].startswith("application/atom+xml")

        # What is not there answers as in the app: a localized 404, a redirect to the slash.
        for url in ("/sr-cyrl/news/1999/", "/sr-cyrl/news/?page=99", "/sr-cyrl/news/?page=x"):
            status, _, body = fetch(base + url)
            assert (status, body) == (404, (folder / "sr-cyrl/404.html").read_bytes()), url
        assert fetch(base + "/en/404.html")[0] == 404
        assert fetch(base + "/.mlo-export.json")[0] == 404
        status, headers, _ = fetch(base + "/en/news/2021?page=2")
        assert (status, headers["Location"]) == (301, "/en/news/2021/?page=2")

        # The front door: the visitor's locale, as the app chooses it.
        assert fetch(base + "/")[1]["Location"] == "/en/"
        assert fetch(base + "/", {"Accept-Language": "sr-RS,en;q=0.5"})[1]["Location"] == (
            "/sr-cyrl/"
        )
        assert fetch(base + "/", {"Cookie": "lang=sr-latn"})[1]["Location"] == "/sr-latn/"

        # The app's security headers on every answer: pages, files, errors, the front door.
        for url in ("/sr-latn/news/", "/static/site.css", "/en/news/1999/", "/"):
            headers = fetch(base + url)[1]
            for name, value in security.HEADERS.items():
                assert headers.get(name) == value, (url, name)
    # A plain file server shows index.html at /: it leads to each locale's home.
    assert links_in("/", (folder / "index.html").read_bytes()) == {
        "/en/",
        "/sr-cyrl/",
        "/sr-latn/",
    }


def test_a_second_export_rewrites_nothing(runner, newsroom, tmp_path):
    folder = tmp_path / "site"
    export(runner, folder)
    before = {path: path.stat().st_mtime_ns for path in folder.rglob("*") if path.is_file()}
    output = export(runner, folder)
    assert " 0 written, " in output and f"{len(before) - 1} unchanged, 0 removed" in output
    after = {path: path.stat().st_mtime_ns for path in folder.rglob("*") if path.is_file()}
    assert after == before


def test_a_deleted_article_leaves_the_export(runner, newsroom, tmp_path):
    folder = tmp_path / "site"
    export(runner, folder)
    pages = [path for path in folder.rglob("index.html") if "exercise-number-3" in str(path)]
    pages += [path for path in folder.rglob("index.html") if "vezba-broj-3" in str(path)]
    assert len(pages) == 3  # English, Cyrillic and Latin
    mine = "custom.txt"
    (folder / mine).write_text("not the export's")
    assert runner.invoke(args=["content", "delete", newsroom[2]]).exit_code == 0
    output = export(runner, folder)
    assert not any(page.exists() for page in pages)
    assert not any(page.parent.exists() for page in pages)  # no empty folders left
    assert re.search(r"[1-9]\d* removed", output)
    assert (folder / mine).exists()  # never the export's to remove
    assert "exercise-number-3" not in (folder / "sitemap.xml").read_text()


def test_the_export_needs_the_site_url(app, runner, tmp_path):
    app.config["SITE_URL"] = None
    result = runner.invoke(args=["export-static", str(tmp_path / "site")])
    assert result.exit_code != 0
    assert "MLO_SITE_URL" in result.output


def test_a_failing_page_stops_the_export_and_says_which(app, runner, newsroom, tmp_path):
    @app.before_request
    def broken():
        from flask import request

        if request.path == "/sr-latn/news/2021/":
            return "broken", 500
        return None

    result = runner.invoke(args=["export-static", str(tmp_path / "site")])
    assert result.exit_code != 0
    assert "/sr-latn/news/2021/" in result.output and "500" in result.output
