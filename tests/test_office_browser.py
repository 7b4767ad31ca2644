"""The editors' desk in a real browser: writing in the rich-text editor, previewing,
publishing, and two editors saving the same text (Debian's chromium, like test_browser)."""

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from mlo import db
from mlo.content import transfer
from mlo.office import accounts
from tests.conftest import PASSWORD, running_app, serving
from tests.test_browser import TIMEOUT_MS, browser  # noqa: F401  (the shared chromium)


@pytest.fixture
def desk(tmp_path: Path) -> Iterator[str]:
    """The app with two editors on a SQLite file, served (threaded) on 127.0.0.1."""
    with running_app(f"sqlite:///{tmp_path / 'desk.sqlite3'}") as app:
        with app.app_context():
            db.begin_write()
            accounts.create("ed", "editor", PASSWORD)
            accounts.create("ada", "admin", PASSWORD)
            db.dbsession.commit()
        with serving(app) as base:
            yield base


def signed_in(browser: Browser, base: str, name: str) -> Page:  # noqa: F811
    """A new browser context, signed in as `name`, on the desk."""
    page = browser.new_context(locale="en-GB").new_page()
    page.set_default_timeout(TIMEOUT_MS)
    page.goto(f"{base}/admin/")
    expect(page).to_have_url(f"{base}/admin/login?next=%2Fadmin%2F")
    page.get_by_label("User name").fill(name)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Articles")).to_be_visible()
    return page


def test_an_editor_writes_previews_and_publishes(browser: Browser, desk: str) -> None:  # noqa: F811
    page = signed_in(browser, desk, "ed")
    page.get_by_role("link", name="New article").click()
    page.get_by_label("Title").fill("Cadets visit the Iron Gates")
    page.get_by_role("button", name="Create and write").click()
    editor = page.locator(".ql-editor")
    expect(editor).to_be_visible()  # Quill replaced the textarea
    editor.click()
    page.keyboard.type("Cadets of the Military Academy visited ")
    page.keyboard.press("Control+b")
    page.keyboard.type("Đerdap")
    page.keyboard.press("Control+b")
    page.keyboard.type(" national park.")
    page.get_by_label("Summary").fill("A visit to the gorge.")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("Saved as revision 2.")
    page.get_by_role("link", name="Preview (English)").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Cadets visit the Iron Gates")
    expect(page.locator(".body strong")).to_have_text("Đerdap")
    expect(page.locator(".body")).to_contain_text("visited Đerdap national park.")
    expect(page.locator(".preview-banner")).to_be_visible()
    page.go_back()
    page.get_by_role("link", name="Article settings").click()
    page.get_by_role("button", name="Publish now").click()
    expect(page.get_by_role("status")).to_contain_text("Published.")
    page.goto(f"{desk}/en/")
    page.get_by_role("link", name="Cadets visit the Iron Gates").click()
    expect(page.locator(".body")).to_contain_text("visited Đerdap national park.")


def test_the_second_of_two_editors_gets_the_merge_page(browser: Browser, desk: str) -> None:  # noqa: F811
    first = signed_in(browser, desk, "ed")
    first.get_by_role("link", name="New article").click()
    first.get_by_label("Title").fill("Joint exercise")
    first.get_by_role("button", name="Create and write").click()
    url = first.url
    second = signed_in(browser, desk, "ada")
    second.goto(url)
    for page, words in ((first, "Words of the first editor."), (second, "The second one's words.")):
        page.locator(".ql-editor").click()
        page.keyboard.type(words)
    first.get_by_role("button", name="Save", exact=True).click()
    expect(first.get_by_role("status")).to_contain_text("Saved as revision 2.")
    second.get_by_role("button", name="Save", exact=True).click()
    conflict = "Someone saved this text while you were writing"
    expect(second.get_by_role("heading", name=conflict)).to_be_visible()
    expect(second.locator(".conflict")).to_contain_text("Words of the first editor.")
    expect(second.locator(".ql-editor")).to_contain_text("The second one's words.")
    second.locator(".ql-editor").click()
    second.keyboard.press("End")
    second.keyboard.type(" Words of the first editor.")
    second.get_by_role("button", name="Save the merged text").click()
    expect(second.get_by_role("status")).to_contain_text("Saved as revision 3.")


def test_a_translator_follows_a_changed_original_with_the_memory(
    browser: Browser,  # noqa: F811
    tmp_path: Path,
) -> None:
    with running_app(f"sqlite:///{tmp_path / 'memory.sqlite3'}") as app:
        with app.app_context():
            db.begin_write()
            accounts.create("tanja", "translator", PASSWORD, "sr")
            zone = app.config["NEWSROOM_TIMEZONE"]
            transfer.import_document(
                [
                    {
                        "key": "earlier",
                        "published": "2023-01-10",
                        "translations": {
                            "en": {"title": "Earlier", "body": "<p>Forty cadets visited Niš.</p>"},
                            "sr": {
                                "title": "Раније",
                                "body": "<p>Четрдесет кадета посетило је Ниш.</p>",
                            },
                        },
                    },
                    {
                        "key": "visit",
                        "published": "2023-05-10",
                        "translations": {
                            "en": {"title": "Visit", "body": "<p>Cadets visited Niš.</p>"},
                            "sr": {"title": "Посета", "body": "<p>Кадети су посетили Ниш.</p>"},
                        },
                    },
                ],
                zone,
            )
            # The English original changes; the Serbian translation is now outdated.
            transfer.import_document(
                [
                    {
                        "key": "visit",
                        "published": "2023-05-10",
                        "translations": {
                            "en": {"title": "Visit", "body": "<p>Forty cadets visited Niš.</p>"}
                        },
                    }
                ],
                zone,
            )
            db.dbsession.commit()
        with serving(app) as base:
            public = f"{base}/sr-cyrl/news/2023/poseta/"
            page = signed_in(browser, base, "tanja")
            page.get_by_role("link", name="Translations").click()
            outdated = page.get_by_role("link", name="outdated", exact=True)
            expect(outdated).to_have_count(1)
            outdated.click()
            expect(page.locator(".source-changes li.changed")).to_contain_text("Forty")
            expect(page.locator(".source-changes li.changed ins")).to_have_text("Forty cadets")
            memory = page.locator("section.memory")
            expect(memory).to_contain_text("Четрдесет кадета посетило је Ниш.")
            memory.get_by_role("button", name="Use").first.click()
            # It comes in before the old sentence, never over it: the translator removes that.
            editor = page.locator(".ql-editor p")
            expect(editor).to_have_text(
                ["Четрдесет кадета посетило је Ниш.", "Кадети су посетили Ниш."]
            )
            editor.nth(1).click()
            page.keyboard.press("End")
            page.keyboard.press("Shift+Home")
            page.keyboard.press("Backspace")
            page.keyboard.press("Backspace")
            expect(page.locator(".ql-editor")).to_have_text("Четрдесет кадета посетило је Ниш.")
            page.get_by_role("button", name="Save", exact=True).click()
            expect(page.get_by_role("status")).to_contain_text("Saved as revision 2.")
            page.get_by_role("button", name="Mark up to date").click()
            expect(page.get_by_role("status")).to_contain_text("Marked up to date")
            reader = browser.new_page()
            reader.goto(public)
            expect(reader.locator(".body")).to_have_text("Четрдесет кадета посетило је Ниш.")
            expect(reader.locator(".outdated")).to_have_count(0)
