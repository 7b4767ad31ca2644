"""End to end in a real browser: the redirect at /, an article, the switcher and its cookie.

Drives Debian's chromium (/usr/bin/chromium) with Playwright against the app served for real by
werkzeug on a free local port. Skipped when chromium is missing on a developer machine; fails
instead when the CI environment variable is set, so CI can never skip it silently.
"""

import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from playwright.sync_api import Browser, Page, expect, sync_playwright

from mlo import db
from mlo.content import transfer
from tests.conftest import running_app, serving

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
TIMEOUT_MS = 15_000

EN_TITLE = "Cooperation in Ljubljana and Belgrade"
CYRILLIC_TITLE = "Сарадња у Љубљани и Београду"
LATIN_TITLE = "Saradnja u Ljubljani i Beogradu"
SR_SLUG = "saradnja-u-ljubljani-i-beogradu"
ARTICLES = [
    {
        "key": "2023-02-07-cooperation",
        "published": "2023-02-07",
        "source": "en",
        "translations": {
            "en": {
                "title": EN_TITLE,
                "slug": "cooperation-in-ljubljana-and-belgrade",
                "summary": "Officers from Ljubljana and Belgrade met to plan joint training.",
                "body": "<p>The meeting in Belgrade followed an earlier one in Ljubljana.</p>",
            },
            "sr": {
                "title": CYRILLIC_TITLE,
                "slug": SR_SLUG,
                "summary": "Официри из Љубљане и Београда договорили су заједничку обуку.",
                "body": "<p>Састанак у Београду уследио је после састанка у Љубљани.</p>",
            },
        },
    },
    {
        "key": "2023-01-10-english-only",
        "published": "2023-01-10",
        "translations": {"en": {"title": "An English-only note", "body": "<p>Text.</p>"}},
    },
]


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """Headless chromium; skipped without it, except under CI where its absence is a failure."""
    if not os.access(CHROMIUM, os.X_OK):
        if "CI" in os.environ:
            pytest.fail(f"CI is set but {CHROMIUM} is missing: the CI image must install chromium")
        pytest.skip(f"{CHROMIUM} is missing (apt-get install chromium); set CI to make this fail")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        yield browser
        browser.close()


@pytest.fixture
def live_server(tmp_path: Path) -> Iterator[str]:
    """The app with two articles on a SQLite file, served on 127.0.0.1; yields its base URL."""
    with running_app(f"sqlite:///{tmp_path / 'browser.sqlite3'}") as app:
        load_articles(app)
        with serving(app) as base:
            yield base


def load_articles(app: Flask) -> None:
    """Import ARTICLES through the import operation."""
    with app.app_context():
        transfer.import_document(ARTICLES, app.config["NEWSROOM_TIMEZONE"])
        db.dbsession.commit()


def html_lang(page: Page) -> str:
    """The document's <html lang>."""
    return page.evaluate("document.documentElement.lang")


def test_switcher_changes_script_and_is_remembered(browser: Browser, live_server: str) -> None:
    """English by Accept-Language, then Cyrillic and Latin by the switcher; / then stays Latin."""
    context = browser.new_context(locale="en-US")
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    try:
        page.goto(f"{live_server}/")
        expect(page).to_have_url(f"{live_server}/en/")
        assert html_lang(page) == "en"

        page.get_by_role("link", name=EN_TITLE).click()
        expect(page).to_have_url(
            re.compile(r"/en/news/2023/cooperation-in-ljubljana-and-belgrade/$")
        )
        expect(page.locator("h1")).to_have_text(EN_TITLE)

        page.get_by_role("link", name="Ћирилица").click()
        expect(page).to_have_url(f"{live_server}/sr-cyrl/news/2023/{SR_SLUG}/")
        expect(page.locator("h1")).to_have_text(CYRILLIC_TITLE)
        assert html_lang(page) == "sr-Cyrl"

        page.get_by_role("link", name="Latinica").click()
        expect(page).to_have_url(f"{live_server}/sr-latn/news/2023/{SR_SLUG}/")
        expect(page.locator("h1")).to_have_text(LATIN_TITLE)
        assert html_lang(page) == "sr-Latn"

        cookies = {cookie["name"]: cookie["value"] for cookie in context.cookies(live_server)}
        assert cookies.get("lang") == "sr-latn"
        page.goto(f"{live_server}/")
        expect(page).to_have_url(f"{live_server}/sr-latn/")
        assert html_lang(page) == "sr-Latn"
        expect(page.get_by_role("link", name=LATIN_TITLE)).to_be_visible()
    finally:
        context.close()
