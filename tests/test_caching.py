"""HTTP validators and the page cache: fast repeats, and never a stale page after an edit."""

from datetime import timedelta

import pytest
from conftest import running_app, sign_in
from sqlalchemy import select

from mlo.content import operations
from mlo.content.models import Article, utcnow
from mlo.db import dbsession
from mlo.web import caching, public, urls

PAGES = [
    "/en/",
    "/sr-cyrl/news/",
    "/sr-latn/news/2023/",
    "/en/news/2023/first-news/",
    "/en/search/?q=news",
    "/en/feed.atom",
    "/sitemap.xml",
    "/robots.txt",
]


@pytest.fixture
def settled(monkeypatch) -> None:
    """Requests arrive a few seconds after the content last changed (pages then carry a date)."""
    monkeypatch.setattr(urls, "utcnow", lambda: utcnow() + timedelta(seconds=3))


@pytest.fixture
def news(make_article) -> str:
    return make_article(
        key="first",
        published="2023-03-01",
        en={"title": "First news", "body": "<p>News from Belgrade.</p>"},
        sr={"title": "Прва вест", "body": "<p>Вест из Београда.</p>"},
    )


def retitle(app, key: str, title: str) -> None:
    """An editor's save, made the way every writer makes it (the operation, then a commit)."""
    with app.app_context():
        item = dbsession.scalars(select(Article).where(Article.key == key)).one()
        text = operations.prepare_text("en", title, "", item.translations["en"].body)
        operations.put_translation(item, "en", text, slug="first-news", author="ed")
        dbsession.commit()


@pytest.mark.parametrize("url", PAGES)
def test_public_pages_carry_validators_and_answer_304(client, news, settled, url):
    response = client.get(url)
    assert response.status_code == 200
    etag, weak = response.get_etag()
    assert etag and not weak
    assert response.last_modified is not None
    control = response.cache_control
    assert control.public and control.max_age == 60
    assert control.stale_while_revalidate == 60
    assert "Cookie" not in response.headers.get("Vary", "")
    again = client.get(url, headers={"If-None-Match": f'"{etag}"'})
    assert again.status_code == 304 and again.data == b""
    since = client.get(url, headers={"If-Modified-Since": response.headers["Last-Modified"]})
    assert since.status_code == 304


def test_an_edit_changes_every_page_it_appears_on_at_once(app, client, news, settled):
    before = {url: client.get(url) for url in PAGES if url.startswith("/en/")}
    retitle(app, news, "Renamed news")
    for url, old in before.items():
        new = client.get(url, headers={"If-None-Match": old.headers["ETag"]})
        assert new.status_code == 200, url
        assert "Renamed" in new.get_data(as_text=True), url
        assert new.headers["ETag"] != old.headers["ETag"]
        assert new.last_modified >= old.last_modified


def test_a_page_changed_this_second_carries_no_date(app, client, news, settled, monkeypatch):
    """A client revalidating by date alone must not get 304 for a second change within the
    same second as the first: until that second is over, pages go out without a date."""
    assert client.get("/en/").last_modified is not None
    monkeypatch.setattr(urls, "utcnow", utcnow)  # the request comes right after the edit
    retitle(app, news, "Renamed news")
    assert client.get("/en/").last_modified is None


def test_a_cached_page_is_served_without_rendering(app, client, news, monkeypatch):
    first = client.get("/en/news/")

    def fail(*_args, **_kwargs):
        raise AssertionError("rendered again")

    monkeypatch.setattr(public, "render_template", fail)
    again = client.get("/en/news/")
    assert again.status_code == 200 and again.data == first.data


def test_a_scheduled_article_appears_when_due_even_on_a_cached_page(
    app, client, news, make_article
):
    later = utcnow() + timedelta(hours=2)
    make_article(
        key="scheduled",
        published=later.strftime("%Y-%m-%dT%H:%M"),
        en={"title": "Tomorrow news", "body": "<p>x</p>"},
    )
    assert "Tomorrow news" not in client.get("/en/").get_data(as_text=True)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(urls, "utcnow", lambda: later + timedelta(minutes=1))
        assert "Tomorrow news" in client.get("/en/").get_data(as_text=True)


def test_errors_and_the_back_office_are_never_stored(app, client, news, staff):
    for url in ("/en/news/2023/no-such-article/", "/en/news/?page=9", "/xx/"):
        response = client.get(url)
        assert response.status_code == 404
        assert response.headers["Cache-Control"] == "no-store"
    refused = client.get("/en/search/?q=" + "x" * 500)
    assert refused.status_code == 400 and refused.headers["Cache-Control"] == "no-store"
    sign_in(client, "ed")
    desk = client.get("/admin/")
    assert desk.status_code == 200
    assert {"private", "no-store"} <= set(desk.headers["Cache-Control"].replace(" ", "").split(","))
    preview = client.get("/admin/articles/first/en/preview")
    assert "public" not in preview.headers.get("Cache-Control", "")


def test_the_root_redirect_varies_by_language_and_cookie(client):
    response = client.get("/", headers={"Accept-Language": "sr"})
    assert response.status_code == 302
    assert response.headers["Vary"] == "Accept-Language, Cookie"
    assert "public" not in response.headers.get("Cache-Control", "")


def test_the_page_cache_is_bounded_in_memory(app, client, news):
    limited = running_app(app.config["DATABASE_URL"], PAGE_CACHE_SIZE=5)
    with limited as small:
        reader = small.test_client()
        for number in range(40):
            assert reader.get(f"/en/search/?q=news{number}").status_code == 200
        with small.app_context():
            # SimpleCache prunes once it holds more than its threshold.
            assert len(caching.cache.cache._cache) <= 6


def test_workers_sharing_redis_share_pages_and_see_edits_at_once(app, news, redis_url, monkeypatch):
    url = app.config["DATABASE_URL"]
    with running_app(url, REDIS_URL=redis_url) as one, running_app(url, REDIS_URL=redis_url) as two:
        with one.app_context():
            caching.cache.clear()
        first = one.test_client().get("/en/news/")
        monkeypatch.setattr(public, "render_template", lambda *a, **k: "rendered")
        # The second worker serves the page the first one rendered, from Redis.
        shared = two.test_client().get("/en/news/")
        assert shared.data == first.data
        monkeypatch.undo()
        retitle(one, news, "Edited through the first worker")
        edited = two.test_client().get("/en/news/")
        assert "Edited through the first worker" in edited.get_data(as_text=True)


def test_made_up_query_arguments_neither_render_nor_store_a_page(app, client, news, monkeypatch):
    first = client.get("/en/news/")
    monkeypatch.setattr(public, "render_template", lambda *a, **k: "rendered")
    for number in range(20):
        again = client.get(f"/en/news/?utm_source={number}")
        assert again.status_code == 200 and again.data == first.data
    with app.app_context():
        assert len(caching.cache.cache._cache) == 1


def test_the_memory_cache_is_bounded_in_bytes():
    memory = caching.PageMemory(threshold=1000, limit=50_000)
    for number in range(40):
        memory.set(f"page-{number}", caching.CachedPage([], b"x" * 10_000, "e", None))
    assert sum(len(value) for _, value in memory._cache.values()) <= 60_000
    assert memory.get("page-39") is not None


def test_pages_and_sign_in_work_while_redis_is_down(app, news, staff):
    with running_app(app.config["DATABASE_URL"], REDIS_URL="redis://127.0.0.1:1/0") as down:
        reader = down.test_client()
        for url in ("/en/", "/en/news/", "/en/news/2023/first-news/", "/sitemap.xml"):
            assert reader.get(url).status_code == 200, url
        # The throttle counts in this process's memory meanwhile.
        assert sign_in(reader, "ed", "wrong").status_code == 401
        assert sign_in(reader, "ed").status_code == 302


def test_the_page_cache_may_have_a_redis_of_its_own(app, news, redis_url, monkeypatch):
    url = app.config["DATABASE_URL"]
    with running_app(url, CACHE_REDIS_URL=redis_url) as one:
        with one.app_context():
            caching.cache.clear()
        first = one.test_client().get("/en/news/")
        monkeypatch.setattr(public, "render_template", lambda *a, **k: "rendered")
        with running_app(url, CACHE_REDIS_URL=redis_url) as two:
            assert two.test_client().get("/en/news/").data == first.data


def test_a_new_release_never_serves_the_old_release_pages(app, news, redis_url, monkeypatch):
    url = app.config["DATABASE_URL"]
    with running_app(url, REDIS_URL=redis_url, RELEASE="old") as old:
        with old.app_context():
            caching.cache.clear()
        monkeypatch.setattr(public, "render_template", lambda *a, **k: "old release")
        assert old.test_client().get("/en/").data == b"old release"
        monkeypatch.undo()
    with running_app(url, REDIS_URL=redis_url, RELEASE="new") as new:
        assert b"First news" in new.test_client().get("/en/").data


def test_static_urls_carry_the_release(app, client):
    page = client.get("/en/").get_data(as_text=True)
    release = app.config["RELEASE"]
    assert f"/static/site.css?v={release}" in page
    with client.get(f"/static/site.css?v={release}") as static:
        assert static.status_code == 200
        assert static.cache_control.max_age == 365 * 24 * 60 * 60  # a new release, a new URL


def test_a_signed_in_editor_gets_the_readers_page_without_a_cookie(client, news, staff):
    sign_in(client, "ed")
    response = client.get("/en/news/")
    assert response.status_code == 200
    assert "Set-Cookie" not in response.headers
    assert "Cookie" not in response.headers.get("Vary", "")
    assert client.get("/admin/").status_code == 200  # still signed in


def test_a_page_from_the_cache_is_the_page_flask_sent_with_its_own_request_id(
    client, news, settled
):
    first = client.get("/sr-latn/news/")
    again = client.get("/sr-latn/news/", headers={"X-Request-ID": "probe-42"})
    assert again.data == first.data
    assert again.headers["X-Request-ID"] == "probe-42"
    assert first.headers["X-Request-ID"] != "probe-42"
    same = {"Content-Security-Policy", "Content-Language", "ETag", "Cache-Control"}
    for name in same | {"Last-Modified", "X-Content-Type-Options", "Content-Type"}:
        assert again.headers[name] == first.headers[name], name
    assert "X-Mlo-Page-Cache" not in first.headers and "X-Mlo-Page-Cache" not in again.headers
    head = client.head("/sr-latn/news/")
    assert head.status_code == 200 and head.data == b""
    assert head.headers["Content-Length"] == str(len(first.data))


def test_a_revalidation_is_kept_for_the_next_reader(client, news, settled, monkeypatch):
    """nginx revalidates with If-None-Match: the page it has not seen rendered is kept all the
    same, so the next reader gets it from the cache."""
    etag = client.get("/en/news/").headers["ETag"]
    with client.application.app_context():
        caching.cache.clear()
    assert client.get("/en/news/", headers={"If-None-Match": etag}).status_code == 304
    monkeypatch.setattr(public, "render_template", lambda *a, **k: "rendered")
    assert b"First news" in client.get("/en/news/").data


def test_a_page_from_the_cache_is_logged(client, news, caplog):
    with caplog.at_level("INFO", logger="mlo.requests"):
        client.get("/en/")
        client.get("/en/", headers={"X-Request-ID": "probe-7"})
    rendered, record = [r for r in caplog.records if r.name == "mlo.requests"]
    assert "cached" not in rendered.fields
    assert record.fields["request_id"] == "probe-7" and record.fields["cached"] is True
    assert record.fields["status"] == 200 and record.fields["path"] == "/en/"


def test_a_head_request_first_keeps_the_whole_page_for_the_next_get(client, news):
    head = client.head("/en/news/")
    assert head.status_code == 200 and head.data == b""
    page = client.get("/en/news/")
    assert b"First news" in page.data
    assert page.headers["Content-Length"] == head.headers["Content-Length"]


def test_without_the_page_cache_pages_are_rendered_each_time_and_still_validated(app, news):
    with running_app(app.config["DATABASE_URL"], PAGE_CACHE=False) as uncached:
        reader = uncached.test_client()
        first = reader.get("/en/news/")
        assert "X-Mlo-Page-Cache" not in first.headers  # the cache's own mark never leaks
        etag = first.headers["ETag"]
        assert reader.get("/en/news/", headers={"If-None-Match": etag}).status_code == 304
        retitle(uncached, news, "Renamed news")
        assert b"Renamed news" in reader.get("/en/news/").data
