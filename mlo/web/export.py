"""`flask --app app export-static DIR`: the public site as files under the same URLs.

Pages are rendered by the app itself (its test client, as a reader's browser would ask for
them) and found by crawling from each locale's home, feed and 404 page, the sitemap and
robots.txt, following every internal link. A URL ending in / is DIR/<path>/index.html, its
?page=N is DIR/<path>/index.page-N.html (deploy/nginx/mlo-static.conf maps it back), and
mlo/static is copied under static/. A manifest in DIR lists what the export wrote, so the next
run rewrites only files whose bytes changed and removes the pages that are gone.
"""

import json
import os
import re
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from html import escape, unescape
from html.parser import HTMLParser
from pathlib import Path, PurePosixPath
from urllib.parse import parse_qs, unquote, urljoin, urlsplit

import click
from flask import Flask, current_app, url_for
from flask.cli import with_appcontext
from werkzeug.test import TestResponse

from mlo import locales
from mlo.web.i18n import _
from mlo.web.public import PAGE_NUMBER  # the ?page= the app answers (and mlo-static.conf maps)

MANIFEST = ".mlo-export.json"


@dataclass(frozen=True, order=True)
class Page:
    """One URL of the site: a path and, for a listing past its first page, the page number."""

    path: str
    number: int = 1

    @property
    def url(self) -> str:
        """The path with its query, as a link writes it."""
        return self.path + (f"?page={self.number}" if self.number > 1 else "")

    @property
    def file(self) -> str:
        """Where the page lives in the export, relative to its folder."""
        name = unquote(self.path).lstrip("/")
        if self.path.endswith("/"):
            return name + ("index.html" if self.number == 1 else f"index.page-{self.number}.html")
        return name


@dataclass
class Export:
    """What one run did: files by state, and the links it could not follow."""

    written: int = 0
    unchanged: int = 0
    removed: int = 0
    files: set[str] = field(default_factory=set)
    notes: list[str] = field(default_factory=list)


@click.command("export-static")
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
@with_appcontext
def export_static(folder: Path) -> None:
    """Write the public site as static files into FOLDER (again: only what changed)."""
    app: Flask = current_app._get_current_object()  # type: ignore[attr-defined]
    if not app.config["SITE_URL"]:
        raise click.ClickException(
            "the export needs the public address its pages link to: "
            "set MLO_SITE_URL=https://newsroom.example.org"
        )
    # A log line for each page would bury the summary.
    app.config["LOG_REQUESTS"] = False
    folder.mkdir(parents=True, exist_ok=True)
    previous = _read_manifest(folder)
    export = Export()
    complete = False
    try:
        for relative, data in _site(app, export):
            _write(folder, relative, data, export)
        complete = True
    finally:
        # A run that stopped still lists what earlier runs wrote, for the next one to remove.
        _write_manifest(folder, export.files if complete else export.files | previous)
    export.removed = _remove(folder, previous - export.files)
    for note in export.notes:
        click.echo(f"note: {note}", err=True)
    click.echo(
        f"exported {len(export.files)} files to {folder}: {export.written} written, "
        f"{export.unchanged} unchanged, {export.removed} removed"
    )


def init_app(app: Flask) -> None:
    """Register the command."""
    app.cli.add_command(export_static)


def _site(app: Flask, export: Export) -> Iterator[tuple[str, bytes]]:
    # The static folder as it is, the crawled pages, and a front door for plain file servers.
    static = Path(app.static_folder or "")
    prefix = (app.static_url_path or "/static").strip("/")
    for path in sorted(path for path in static.rglob("*") if path.is_file()):
        yield f"{prefix}/{path.relative_to(static).as_posix()}", path.read_bytes()
    yield from _Crawler(app, export).pages()
    yield "index.html", _front_door(app)


class _Crawler:
    """Renders the site's pages through the app and follows their internal links."""

    def __init__(self, app: Flask, export: Export) -> None:
        self.app = app
        self.export = export
        self.site: str = app.config["SITE_URL"]
        self.client = app.test_client(use_cookies=False)
        self.static_folder = Path(app.static_folder or "")
        every = locales.LOCALES
        with app.test_request_context(base_url=self.site):
            seeds = [Page(url_for("feeds.sitemap")), Page(url_for("feeds.robots"))]
            seeds += [Page(url_for("public.home", loc=locale)) for locale in every]
            seeds += [Page(url_for("feeds.atom", loc=locale)) for locale in every]
            self.static = url_for("static", filename="")
            # Not pages of a static site: the redirect at / (the front door stands in), search.
            self.skipped = {"/"} | {url_for("public.search_page", loc=locale) for locale in every}
        # Rendered as the 404 page a static server answers with, in each locale.
        self.error_pages = {Page(f"/{locale.prefix}/404.html") for locale in every}
        self.queue = deque([*seeds, *sorted(self.error_pages)])
        self.linked_from = {page: "the start" for page in self.queue}

    def pages(self) -> Iterator[tuple[str, bytes]]:
        """Each page's file and bytes, until no link leads anywhere new."""
        with click.progressbar(length=len(self.queue), label="Exporting pages") as bar:
            while self.queue:
                page = self.queue.popleft()
                data = self._visit(page)
                if data is not None:
                    yield page.file, data
                bar.length = len(self.linked_from)  # the site grows as links are found
                bar.update(1)

    def _visit(self, page: Page) -> bytes | None:
        response = self._get(page)
        where = f"{page.url} (linked from {self.linked_from[page]})"
        if response.status_code >= 500:
            raise click.ClickException(f"{where} answered {response.status}: the export stopped")
        data = None
        if response.status_code == (404 if page in self.error_pages else 200):
            data = response.get_data()
            links = _links(response)
        elif response.location:
            self.export.notes.append(f"{where} redirects to {response.location}: not exported")
            links = [response.location]
        else:
            self.export.notes.append(f"{where} answered {response.status}")
            links = []
        for link in links:
            target = self._target(urljoin(self.site + page.url, link), page)
            if target is not None and target not in self.linked_from:
                self.linked_from[target] = page.url
                self.queue.append(target)
        return data

    def _get(self, page: Page) -> TestResponse:
        # A fresh app context for each page, as for a reader's request: its own `g`, its own
        # database session closed afterwards (the command's context would otherwise be reused).
        with self.app.app_context():
            try:
                return self.client.get(page.url, base_url=self.site)
            except Exception as error:
                raise click.ClickException(
                    f"{self.site}{page.url} failed: {type(error).__name__}: {error}; "
                    "the export stopped"
                ) from error

    def _target(self, url: str, referrer: Page) -> Page | None:
        # The page of this site a link leads to; None for another site, the back office, search,
        # a static file (copied already) and what the export cannot follow (with a note).
        parts = urlsplit(url)
        path = unquote(parts.path) or "/"
        if f"{parts.scheme}://{parts.netloc}" != self.site or path in self.skipped:
            return None
        if path.startswith("/admin/") or path == "/admin":  # the back office (a contract)
            return None
        if ".." in PurePosixPath(path).parts:
            self.export.notes.append(f"{referrer.url} links to {url}: not a path of this site")
            return None
        if path.startswith(self.static):
            if not (self.static_folder / path.removeprefix(self.static)).is_file():
                self.export.notes.append(f"{referrer.url} links to a missing file {url}")
            return None
        query = parse_qs(parts.query, keep_blank_values=True)
        if not query:
            return Page(parts.path or "/")
        number = query.get("page", [""])[0]  # the app reads the first
        if list(query) == ["page"] and path.endswith("/") and PAGE_NUMBER.fullmatch(number):
            return Page(parts.path, int(number))
        self.export.notes.append(f"{referrer.url} links to {url}: a query the export cannot follow")
        return None


class _LinkParser(HTMLParser):
    """Collects the URLs of href, src and srcset attributes."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        """Note the element's links."""
        for name, value in attrs:
            if value and name in ("href", "src"):
                self.links.append(value)
            elif value and name == "srcset":
                self.links += [item.split()[0] for item in value.split(",") if item.strip()]


def _links(response: TestResponse) -> list[str]:
    text = response.get_data(as_text=True)
    if response.mimetype == "text/html":
        parser = _LinkParser()
        parser.feed(text)
        parser.close()
        return parser.links
    if response.mimetype.endswith("xml"):  # sitemaps (<loc>, xhtml:link), Atom (<link href>)
        found = re.findall(r"<loc>\s*([^<\s]+)\s*</loc>|\shref=\"([^\"]*)\"", text)
        return [unescape(loc or href) for loc, href in found]
    if response.mimetype == "text/plain":  # robots.txt
        return re.findall(r"(?mi)^sitemap:\s*(\S+)", text)
    return []


def _front_door(app: Flask) -> bytes:
    # / redirects by cookie and browser languages in the app (and in mlo-static.conf); a plain
    # file server gets this page, which sends the visitor to the default locale's home.
    default = locales.negotiate(None)
    with app.test_request_context(f"/{default.prefix}/", base_url=app.config["SITE_URL"]):
        home = url_for("public.home", loc=default)
        items = "\n".join(
            f'<li><a href="{url_for("public.home", loc=locale)}" hreflang="{locale.bcp47}" '
            f'lang="{locale.bcp47}">{escape(locale.label)}</a></li>'
            for locale in locales.LOCALES
        )
        title = escape(_("MLO Belgrade"))
    return (
        f'<!doctype html>\n<html lang="{default.bcp47}">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{title}</title>\n"
        f'<meta http-equiv="refresh" content="0; url={home}">\n'
        f'<link rel="canonical" href="{app.config["SITE_URL"]}{home}">\n</head>\n'
        f"<body>\n<ul>\n{items}\n</ul>\n</body>\n</html>\n"
    ).encode()


def _write(folder: Path, relative: str, data: bytes, export: Export) -> None:
    export.files.add(relative)
    target = folder / relative
    if target.is_file() and target.stat().st_size == len(data) and target.read_bytes() == data:
        export.unchanged += 1
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    # Whole files only, for a server reading the folder meanwhile.
    temporary = target.with_name(f".{target.name}.tmp")
    temporary.write_bytes(data)
    os.replace(temporary, target)
    export.written += 1


def _remove(folder: Path, gone: Iterable[str]) -> int:
    removed = 0
    for relative in sorted(gone):
        target = folder / relative
        if not target.is_file():
            continue
        target.unlink()
        removed += 1
        parent = target.parent
        while parent != folder and not any(parent.iterdir()):
            parent.rmdir()
            parent = parent.parent
    return removed


def _read_manifest(folder: Path) -> set[str]:
    path = folder / MANIFEST
    if not path.exists():
        return set()
    try:
        files = json.loads(path.read_text("utf-8"))["files"]
    except (ValueError, KeyError, TypeError) as error:
        raise click.ClickException(f"{path}: not an export manifest ({error})") from None
    # Only files inside the folder, whatever the manifest says: removal never goes outside it.
    return {
        name
        for name in files
        if isinstance(name, str)
        and not PurePosixPath(name).is_absolute()
        and ".." not in PurePosixPath(name).parts
    }


def _write_manifest(folder: Path, files: set[str]) -> None:
    data = (json.dumps({"files": sorted(files)}, indent=0) + "\n").encode()
    path = folder / MANIFEST
    if not path.is_file() or path.read_bytes() != data:
        path.write_bytes(data)
