"""The listings' kept counts, deep pages and sitemap files follow every write, on both backends."""

import threading
from datetime import datetime, timedelta
from xml.etree import ElementTree

import pytest
from sqlalchemy import select

from mlo import db
from mlo.content import listing, operations
from mlo.content.models import Article, SiteState, Translation, utcnow
from mlo.content.queries import Newsroom
from mlo.db import dbsession
from mlo.text import dates

ZONE = "Europe/Belgrade"
NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}


def by_brute_force(lang: str, now: datetime) -> list[tuple[int, int]]:
    """(year, count) of what readers see, from every row and the rule itself, not the counts."""
    years: dict[int, int] = {}
    for translation in dbsession.scalars(select(Translation).where(Translation.lang == lang)):
        article = translation.article
        if (
            article.status == "published"
            and article.deleted_at is None
            and article.published_at <= now
            and translation.state == "published"
        ):
            year = dates.to_local(article.published_at, ZONE).year
            years[year] = years.get(year, 0) + 1
    return sorted(years.items(), reverse=True)


def article(key: str) -> Article:
    return dbsession.scalars(select(Article).where(Article.key == key)).one()


def assert_counts_right(app, now: datetime | None = None) -> None:
    with app.app_context():
        now = now or utcnow()
        for lang in ("en", "sr"):
            newsroom = Newsroom(ZONE, now)
            assert newsroom.archive_years(lang) == by_brute_force(lang, now)


def test_counts_follow_every_kind_of_write(app, make_article):
    for day in ("2022-01-01", "2022-12-31T23:30", "2023-01-01T00:30", "2023-05-05", "2024-02-29"):
        make_article(
            key="k" + day.replace(":", ""),
            published=day,
            en={"title": f"E {day}", "body": "<p>x</p>"},
            sr={"title": f"С {day}", "body": "<p>х</p>"},
        )
    make_article(key="draft", published="2023-03-03", status="draft")
    assert_counts_right(app)
    with app.app_context():
        # New Year's Eve 23:30 in Belgrade is 22:30 UTC: it counts in 2022, locally.
        assert dict(Newsroom(ZONE, utcnow()).archive_years("en"))[2022] == 2
        operations.delete_article(article("k2023-05-05"), utcnow(), author="ed")
        operations.save_settings(
            article("k2022-01-01"), datetime(2024, 7, 1), "published", "en", author="ed"
        )
        operations.save_settings(
            article("draft"), datetime(2023, 3, 3), "published", "en", author="ed"
        )
        sr = article("k2024-02-29").translations["sr"]
        sr.state = "review"
        dbsession.commit()
    assert_counts_right(app)
    with app.app_context():
        operations.restore_article(article("k2023-05-05"), author="ed")
        operations.delete_article(article("k2022-12-31T2330"), utcnow(), author="ed")
        operations.purge_article(article("k2022-12-31T2330"))
        dbsession.commit()
    assert_counts_right(app)


def test_a_rolled_back_write_leaves_the_counts_and_version(app, make_article):
    make_article(key="a", published="2023-01-10")
    with app.app_context():
        version = dbsession.get(SiteState, 1).version
        operations.delete_article(article("a"), utcnow(), author="ed")
        dbsession.flush()
        dbsession.rollback()
        assert dbsession.get(SiteState, 1).version == version
    assert_counts_right(app)


def test_a_scheduled_article_counts_once_it_is_due(app, make_article):
    soon = utcnow() + timedelta(days=3)
    make_article(key="now", published="2023-01-10")
    make_article(key="later", published=soon.strftime("%Y-%m-%dT%H:%M"))
    assert_counts_right(app)
    assert_counts_right(app, now=soon + timedelta(days=1))
    with app.app_context():
        newsroom = Newsroom(ZONE, utcnow())
        assert [t.article.key for t in newsroom.latest("en", 5)] == ["now"]


@pytest.mark.parametrize("size", [1, 3, 4])
def test_every_page_of_every_listing_is_the_plain_newest_first_order(app, make_article, size):
    # Several articles a month, in months and years with gaps, and two at the same instant.
    moments = [f"202{y}-{m:02d}-{d:02d}" for y in (1, 3) for m in (1, 2, 11) for d in (3, 17)]
    moments += ["2023-02-17"]
    for number, moment in enumerate(moments):
        make_article(key=f"a{number}", published=moment)
    with app.app_context():
        newsroom = Newsroom(ZONE, utcnow())
        expected = [
            t.article.key
            for t in sorted(
                dbsession.scalars(select(Translation).where(Translation.lang == "en")),
                key=lambda t: (t.article.published_at, t.article_id),
                reverse=True,
            )
        ]
        for year in (None, 2021, 2023):
            wanted = [k for k in expected if year is None or article(k).published_at.year == year]
            seen = []
            page = newsroom.page("en", 1, size, year)
            for number in range(1, page.pages + 2):
                page = newsroom.page("en", number, size, year)
                seen += [t.article.key for t in page.items]
            assert seen == wanted
            assert page.total == len(wanted)


def test_another_worker_sees_an_edit_at_once(app, make_article, tmp_path):
    """Two app instances on one database stand for two workers (or machines)."""
    from conftest import running_app

    make_article(key="a", published="2023-01-10", en={"title": "First title", "body": "<p>x</p>"})
    other = running_app(app.config["DATABASE_URL"])
    with other as second:
        reader = second.test_client()
        assert "First title" in reader.get("/en/news/").get_data(as_text=True)
        with app.app_context():
            translation = article("a").translations["en"]
            operations.put_translation(
                translation.article,
                "en",
                operations.prepare_text("en", "Second title", "", "<p>x</p>"),
                author="ed",
            )
            dbsession.commit()
        assert "Second title" in reader.get("/en/news/").get_data(as_text=True)


def test_two_writers_in_one_month_both_count(app, make_article):
    if not app.config["DATABASE_URL"].startswith("postgresql"):
        pytest.skip("SQLite takes one writer at a time (BEGIN IMMEDIATE) before they read")
    make_article(key="a", published="2023-01-10", status="draft")
    make_article(key="b", published="2023-01-20", status="draft")
    start = threading.Barrier(2)

    def publish(key: str) -> None:
        with app.app_context():
            db.begin_write()
            item = article(key)
            start.wait()
            operations.save_settings(item, item.published_at, "published", "en", author=key)
            dbsession.commit()

    threads = [threading.Thread(target=publish, args=(key,)) for key in "ab"]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert_counts_right(app)
    with app.app_context():
        assert Newsroom(ZONE, utcnow()).count("en", 2023) == 2


def test_counts_are_made_again_in_another_time_zone(app, make_article):
    make_article(key="eve", published="2022-12-31T23:30")  # 22:30 UTC
    with app.app_context():
        assert Newsroom(ZONE, utcnow()).archive_years("en") == [(2022, 1)]
        with db.engine().begin() as connection:
            listing.ensure(connection, "UTC")
        dbsession.rollback()  # a new snapshot
        assert Newsroom("UTC", utcnow()).archive_years("en") == [(2022, 1)]
        with db.engine().begin() as connection:
            listing.ensure(connection, "Asia/Tokyo")
        dbsession.rollback()
        assert Newsroom("Asia/Tokyo", utcnow()).archive_years("en") == [(2023, 1)]


def locs(xml: bytes, tag: str) -> list[str]:
    return [e.text or "" for e in ElementTree.fromstring(xml).iterfind(f"s:{tag}/s:loc", NS)]


def test_a_large_sitemap_is_an_index_of_small_files_that_resolve(app, client, make_article):
    app.config["SITEMAP_ARTICLES"] = 2
    for number in range(5):
        make_article(
            key=f"a{number}",
            published=f"2023-0{number + 1}-10",
            en={"title": f"Article {number}", "body": "<p>x</p>"},
            sr={"title": f"Чланак {number}", "body": "<p>х</p>"},
        )
    with app.app_context():
        operations.delete_article(article("a2"), utcnow(), author="ed")  # ids 2, 3 share a block
        dbsession.commit()
    index = client.get("/sitemap.xml")
    assert index.status_code == 200
    files = locs(index.data, "sitemap")
    assert [f.removeprefix("http://localhost") for f in files] == [
        "/sitemap-pages.xml",
        "/sitemap-articles-0.xml",
        "/sitemap-articles-1.xml",
        "/sitemap-articles-2.xml",
    ]
    pages = []
    for file in files:
        response = client.get(file.removeprefix("http://localhost"))
        assert response.status_code == 200
        pages += locs(response.data, "url")
    articles = [page for page in pages if page.count("/") == 7]
    assert len(articles) == 4 * 3  # four visible articles in three locales
    assert not any("article-2" in page or "clanak-2" in page for page in pages)
    for page in pages:
        assert client.get(page.removeprefix("http://localhost")).status_code == 200
    for missing in ("9", "00", "01", "2147483647", "99999999999999999999"):
        assert client.get(f"/sitemap-articles-{missing}.xml").status_code == 404, missing


def test_a_small_sitemap_is_one_file(client, make_article):
    make_article(key="a", published="2023-01-10")
    body = client.get("/sitemap.xml").data
    assert locs(body, "sitemap") == []
    assert any(url.endswith("/en/news/2023/article-a/") for url in locs(body, "url"))
