"""Run time: no mistake a translator makes in sr_Cyrl takes a page down or shows a placeholder.

Each mutation kind breaks every message of the real Serbian catalog the same way (a counted
message in one of its forms), in one copy of translations/. The pages of both Serbian scripts
must then be exactly the pages of a catalog where those messages are untranslated: each broken
message falls back to English, nothing else changes. `check` must name each broken message.
"""

import difflib
import logging
import re
import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from flask import Flask

from mlo import db
from mlo.catalogs import files as catalogs
from mlo.catalogs.check import check
from mlo.content import transfer
from mlo.text.messages import placeholders
from tests.conftest import running_app

Mutation = Callable[[str, bool], str | None]


def _replace_first_placeholder(form: str, new: Callable[[str], str], otherwise: str) -> str:
    found = placeholders(form)
    if not found:
        return form + otherwise
    name = re.fullmatch(r"%\((\w+)\).*", found[0])
    return form.replace(found[0], new(name[1] if name else "num"), 1)


# Each takes a msgstr (or one plural form) and whether the message is counted; None: not a mistake.
MUTATIONS: dict[str, Mutation] = {
    "adds %(num)d": lambda form, counted: None if counted else f"{form} (%(num)d)",
    "adds an unknown %(nmu)s": lambda form, _: f"{form} %(nmu)s",
    "drops a placeholder": lambda form, _: (
        form.replace(placeholders(form)[0], "", 1) if placeholders(form) else None
    ),
    "has a lone %": lambda form, _: f"{form} 100%",
    "adds a straight quote": lambda form, _: f'"{form}"',
    "adds a tag": lambda form, _: f"<b>{form}</b><br>",
    "adds an ampersand": lambda form, _: f"{form} & још",
    "uses %s": lambda form, _: _replace_first_placeholder(form, lambda _: "%s", " %s"),
    "uses {braces}": lambda form, _: _replace_first_placeholder(form, "{{{}}}".format, " {num}"),
}
# What `check` says about each kind (the translator's side of the same mistakes).
REASONS = {
    "adds %(num)d": "placeholders differ",
    "adds an unknown %(nmu)s": "placeholders differ",
    "drops a placeholder": "placeholders differ",
    "has a lone %": 'has a lone "%"',
    "adds a straight quote": "has a straight quote",
    "adds a tag": "remove the tags: the page's markup is not translated",
    "adds an ampersand": "has & where the original has none",
    "uses %s": "placeholders differ",
    "uses {braces}": "placeholders differ",
}
PLURAL_FORM = 1  # the form a counted message is broken in: numbers like 2, 3, 4
RAW_PLACEHOLDER = re.compile(r"%\(\w*\)|%[sd]|\{\w*\}|\{&#39;")

ARTICLES = [
    ("ljubljana", "2023-02-07", "Cooperation in Ljubljana", "Сарадња у Љубљани"),
    ("nis", "2023-05-10", "Cooperation in Niš", "Сарадња у Нишу"),
    ("belgrade", "2022-03-01", "Cooperation in Belgrade", "Сарадња у Београду"),
    ("en-only", "2024-10-04", "Visit to Niš", None),
]
# (method, path after the locale prefix, status): every page type of the reading site.
PAGES = [
    ("GET", "", 200),
    ("GET", "news/", 200),
    ("GET", "news/?page=2", 200),
    ("GET", "news/2023/", 200),
    ("GET", "news/2023/saradnja-u-ljubljani/", 200),
    ("GET", "news/2024/visit-to-nis/", 404),  # exists only in English
    ("GET", "search/?q=saradnja", 200),
    ("GET", "search/?q=zzzz", 200),
    ("GET", "search/?q=...", 200),
    ("GET", "search/?q=" + "a" * 201, 400),
    ("GET", "nema-ovoga/", 404),
    ("GET", "feed.atom", 200),
    ("POST", "", 405),
    ("GET", "boom/", 500),  # the error page itself, after a deliberate failure
]
PREFIXES = ("sr-cyrl", "sr-latn")


@pytest.fixture(scope="module")
def database(tmp_path_factory: pytest.TempPathFactory) -> str:
    """One SQLite database with the articles, shared by every app of this module."""
    url = f"sqlite:///{tmp_path_factory.mktemp('runtime') / 'runtime.sqlite3'}"
    records = [
        {
            "key": key,
            "published": published,
            "status": "published",
            "translations": {
                "en": {"title": english, "summary": "Summary.", "body": "<p>Text.</p>"},
                **({"sr": {"title": serbian, "body": "<p>Текст.</p>"}} if serbian else {}),
            },
        }
        for key, published, english, serbian in ARTICLES
    ]
    with running_app(url) as app, app.app_context():
        db.begin_write()
        transfer.import_document(records, app.config["NEWSROOM_TIMEZONE"])
        db.dbsession.commit()
    return url


def mutate(catalog: Catalog, mutation: Mutation) -> dict[tuple, str]:
    """Break every message of a catalog in place; return the key and msgid of each broken one."""
    broken = {}
    for message in catalogs.messages_of(catalog):
        forms = list(catalogs.forms_of(message))
        index = PLURAL_FORM if message.pluralizable else 0
        new = mutation(forms[index], message.pluralizable) if forms[index] else None
        if new is None:
            continue
        forms[index] = new
        message.string = tuple(forms) if message.pluralizable else new
        broken[catalogs.key_of(message)] = message.id[0] if message.pluralizable else message.id
    return broken


def catalog_copy(target: Path, change: Callable[[Catalog], object]) -> tuple[Path, object]:
    """A copy of translations/ whose sr_Cyrl is changed by `change`, compiled; and its result."""
    shutil.copytree(catalogs.root(), target, ignore=shutil.ignore_patterns("*.mo"))
    path = catalogs.po_path(target, catalogs.CYRILLIC)
    catalog = catalogs.read_catalog(path, catalogs.CYRILLIC)
    result = change(catalog)
    catalogs.write_catalog(path, catalog)
    catalogs.compile_all(target)
    return target, result


@contextmanager
def serving(database: str, translations: Path) -> Iterator[Flask]:
    """An app on the shared database that serves the catalogs of `translations`."""
    with running_app(
        database,
        BABEL_TRANSLATION_DIRECTORIES=str(translations),
        RELEASE="compared",  # one release whatever the catalogs: pages are compared byte for byte
        PAGE_SIZE=1,
        SEARCH_PAGE_SIZE=1,
        PROPAGATE_EXCEPTIONS=False,
    ) as app:

        def boom() -> str:
            raise RuntimeError("a deliberate failure, to render the error page")

        for prefix in PREFIXES:
            app.add_url_rule(f"/{prefix}/boom/", f"boom_{prefix}", boom)
        yield app


def pages(app: Flask) -> dict[str, tuple[int, str]]:
    """Every page of both Serbian scripts: URL -> (status, text)."""
    client = app.test_client()
    rendered = {}
    for prefix in PREFIXES:
        for method, path, _status in PAGES:
            url = f"/{prefix}/{path}"
            response = client.open(url, method=method)
            rendered[f"{method} {url}"] = (response.status_code, response.get_data(as_text=True))
    return rendered


def difference(url: str, found: str, expected: str) -> str:
    """The lines where a page differs from what it should be."""
    diff = difflib.unified_diff(expected.splitlines(), found.splitlines(), lineterm="", n=0)
    return "\n".join([url, *diff])


@pytest.mark.parametrize("kind", MUTATIONS)
def test_a_broken_translation_falls_back_to_english_on_every_page(kind, database, tmp_path, caplog):
    broken_path, broken = catalog_copy(tmp_path / "broken", lambda c: mutate(c, MUTATIONS[kind]))
    assert broken
    if kind not in ("adds %(num)d", "drops a placeholder"):
        every = catalogs.messages_of(
            catalogs.read_catalog(catalogs.po_path(broken_path, "sr_Cyrl"))
        )
        assert len(broken) == len(every)

    def untranslate(catalog: Catalog) -> None:
        for message in catalogs.messages_of(catalog):
            if catalogs.key_of(message) in broken:
                message.string = ("",) * 3 if message.pluralizable else ""

    reference_path, _ = catalog_copy(tmp_path / "reference", untranslate)
    with (
        caplog.at_level(logging.WARNING, logger="mlo.web.i18n"),
        serving(database, broken_path) as app,
    ):
        found = pages(app)
    warned = {r.args[0] for r in caplog.records if r.name == "mlo.web.i18n"}
    assert warned == set(broken.values())
    with serving(database, reference_path) as app:
        expected = pages(app)

    statuses = {
        f"{method} /{prefix}/{path}": status
        for prefix in PREFIXES
        for method, path, status in PAGES
    }
    for url, (status, text) in found.items():
        assert status == statuses[url], (url, text)
        assert not RAW_PLACEHOLDER.search(text), (url, RAW_PLACEHOLDER.search(text))
        assert (status, text) == expected[url], difference(url, text, expected[url][1])


@pytest.mark.parametrize("kind", MUTATIONS)
def test_check_names_every_broken_message_once(kind, tmp_path):
    base, broken = catalog_copy(tmp_path / "broken", lambda c: mutate(c, MUTATIONS[kind]))
    before, _ = catalog_copy(tmp_path / "before", lambda _: None)
    path = catalogs.po_path(base, catalogs.CYRILLIC)
    # Only what the mutation adds: the tree may have other problems of its own meanwhile.
    known = {str(p).replace(str(before), str(base)) for p in check(catalogs.project_root(), before)}
    added = [p for p in check(catalogs.project_root(), base) if str(p) not in known]
    catalog = catalogs.read_catalog(path, catalogs.CYRILLIC)
    for message in catalogs.messages_of(catalog):
        named = [p for p in added if p.path == path and p.line == message.lineno]
        if catalogs.key_of(message) in broken:
            assert len(named) == 1, (message.id, [str(p) for p in named])
            assert REASONS[kind] in named[0].reason, str(named[0])
    assert len(added) == len(broken), [str(p) for p in added]
