"""Faults a review found in the reading site and the import; each test failed before its fix."""

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from alembic.migration import MigrationContext
from alembic.operations import Operations
from sqlalchemy import event, text, update

from mlo import create_app, db
from mlo.content import operations
from mlo.content.models import Translation
from mlo.text import translit
from tests.conftest import running_app
from tests.test_search import found


def write(tmp_path, records) -> str:
    path = tmp_path / "articles.json"
    path.write_text(json.dumps(records), "utf-8")
    return str(path)


def record(key="k", title="Title", **fields):
    return {"key": key, "published": "2023-02-07", "translations": {"en": {"title": title}}} | (
        fields
    )


@pytest.mark.parametrize("year", [1, 2, 1000, 9998])
def test_every_archive_year_answers_200_or_404(client, make_article, year):
    make_article(published="2023-02-07")
    assert client.get(f"/en/news/{year}/").status_code == 404
    assert client.get(f"/sr-latn/news/{year}/some-slug/").status_code == 404


@pytest.mark.parametrize(
    ("published", "message"),
    [
        ("0001-01-01", "'0001-01-01': the year must be from 2 to 9998"),
        ("9999-12-31T23:59:59-12:00", "the year must be from 2 to 9998"),
        ("9999-01-01", "the year must be from 2 to 9998"),
    ],
)
def test_import_refuses_dates_outside_the_archive(runner, tmp_path, published, message):
    result = runner.invoke(
        args=["content", "import", write(tmp_path, [record(published=published)])]
    )
    assert result.exit_code == 1
    assert "record 1 (key 'k'): published: " in result.output and message in result.output


@pytest.mark.parametrize("field", ["title", "summary", "body", "slug"])
def test_import_refuses_a_lone_surrogate_with_a_clear_message(runner, tmp_path, field):
    data = record()
    data["translations"]["en"][field] = "a\ud800b"
    path = tmp_path / "articles.json"
    path.write_text(json.dumps([data]), "utf-8")  # written escaped, as \\ud800
    result = runner.invoke(args=["content", "import", str(path)])
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert f"translations.en.{field}: " in result.output
    assert "nothing was imported" in result.output


def test_a_title_made_slug_never_takes_a_slug_another_record_gives(runner, tmp_path, client):
    records = [
        record("first", title="Hello"),
        record("second", title="Other", translations={"en": {"title": "Other", "slug": "hello"}}),
    ]
    result = runner.invoke(args=["content", "import", write(tmp_path, records)])
    assert result.exit_code == 0, result.output
    assert "Other" in client.get("/en/news/2023/hello/").get_data(as_text=True)
    assert "Hello" in client.get("/en/news/2023/hello-2/").get_data(as_text=True)


def test_control_characters_are_stripped_and_feeds_stay_valid(app, client, make_article):
    make_article(
        en={"title": "Bell\x07 and\x1b escape", "summary": "Sum\x0cmary\ufffe", "body": ""}
    )
    html = client.get("/en/").get_data(as_text=True)
    assert "Bell and escape" in html and "Summary" in html
    with app.app_context():  # stored before the fix: the feed must still be XML
        db.begin_write()
        db.dbsession.execute(update(Translation).values(title="Bad\x01title\uffff"))
        db.dbsession.commit()
    for url in ("/en/feed.atom", "/sitemap.xml"):
        ET.fromstring(client.get(url).data)
    assert "Badtitle" in client.get("/en/feed.atom").get_data(as_text=True)


def test_listing_pages_offer_only_locales_where_they_exist(client, make_article):
    for day in range(1, 12):
        make_article(published=f"2024-03-{day:02d}")
    make_article(published="2023-02-07", en={"title": "Both"}, sr={"title": "Обоје"})
    page2 = client.get("/en/news/?page=2").get_data(as_text=True)
    assert 'hreflang="sr-Cyrl"' not in page2 and 'hreflang="en"' in page2
    assert "/sr-cyrl/news/?page=2" not in page2  # nor in the switcher
    year = client.get("/en/news/2024/").get_data(as_text=True)
    assert "/sr-latn/news/2024/" not in year
    shared = client.get("/en/news/2023/").get_data(as_text=True)
    assert 'hreflang="sr-Latn" href="http://localhost/sr-latn/news/2023/"' in shared


def test_deleting_restoring_and_purging(runner, client, make_article, tmp_path):
    make_article(key="gone", en={"title": "Gone", "slug": "gone"})
    assert runner.invoke(args=["content", "delete", "gone"]).exit_code == 0
    assert client.get("/en/news/2023/gone/").status_code == 404
    # The trash keeps the slug: a new article must choose another, and is told why.
    clash = record("new", translations={"en": {"title": "New", "slug": "gone"}})
    result = runner.invoke(args=["content", "import", write(tmp_path, [clash])])
    assert "used by article 'gone' (deleted: purge it to free the slug)" in result.output
    # Export writes every article; importing it back keeps the deletion.
    exported = tmp_path / "export.json"
    assert runner.invoke(args=["content", "export", str(exported)]).exit_code == 0
    [gone] = json.loads(exported.read_text("utf-8"))
    assert gone["deleted"]
    assert runner.invoke(args=["content", "import", str(exported)]).output.startswith("created: 0")
    assert client.get("/en/news/2023/gone/").status_code == 404
    # Importing the key without `deleted` restores it, and says so.
    del gone["deleted"]
    output = runner.invoke(args=["content", "import", write(tmp_path, [gone])]).output
    assert "restored: 1\n  gone" in output
    assert client.get("/en/news/2023/gone/").status_code == 200
    assert "not deleted" in runner.invoke(args=["content", "purge", "gone"]).output
    runner.invoke(args=["content", "delete", "gone"])
    assert runner.invoke(args=["content", "restore", "gone"]).exit_code == 0
    runner.invoke(args=["content", "delete", "gone"])
    assert runner.invoke(args=["content", "purge", "gone"]).exit_code == 0
    result = runner.invoke(args=["content", "import", write(tmp_path, [clash])])
    assert result.exit_code == 0, result.output
    assert client.get("/en/news/2023/gone/").status_code == 200


def test_search_and_old_slugs_survive_a_migration_that_recreates_the_table(
    app, client, make_article, runner
):
    make_article(key="k", en={"title": "Before the migration", "body": "<p>Kragujevac</p>"})
    make_article(key="k", en={"title": "Before the migration", "slug": "renamed", "body": ""})
    with (
        app.app_context(),
        db.engine().connect() as connection,
        db.foreign_keys_off(connection),
        connection.begin(),
    ):
        if connection.dialect.name == "sqlite":
            # What Alembic's batch mode does to alter a table: copy it, drop it, rename.
            operations = Operations(MigrationContext.configure(connection))
            with operations.batch_alter_table("translation", recreate="always") as batch:
                batch.alter_column("summary", existing_type=Translation.__table__.c.summary.type)
        else:
            connection.execute(text("ALTER TABLE translation DROP COLUMN search_vector"))
    with app.app_context():
        db.create_schema()  # what every upgrade runs last
    make_article(en={"title": "After the migration", "body": "<p>Kragujevac</p>"})
    html = client.get("/en/search/?q=kragujevac").get_data(as_text=True)
    assert "After the migration" in html
    result = runner.invoke(args=["search", "reindex"])
    assert result.exit_code == 0 and "2 translations" in result.output
    html = client.get("/en/search/?q=kragujevac").get_data(as_text=True)
    assert "Before the migration" not in html  # its body changed: the index follows
    assert client.get("/en/news/2023/before-the-migration/").status_code == 301


def test_absolute_urls_come_from_the_site_url_never_the_host_header(tmp_path, make_article):
    url = f"sqlite:///{tmp_path / 'site.sqlite3'}"
    with running_app(url, SITE_URL="https://news.example.org/") as app:
        client = app.test_client()
        # A proxy may pass its own name (an extra trusted host) or a forwarded one.
        app.config["TRUSTED_HOSTS"].append("backend.internal")
        for headers in ({"Host": "backend.internal"}, {"X-Forwarded-Host": "evil.example"}):
            html = client.get("/en/", headers=headers, base_url="http://news.example.org")
            html = html.get_data(as_text=True)
            assert '<link rel="canonical" href="https://news.example.org/en/">' in html
            assert "evil" not in html and "localhost" not in html
        assert client.get("/en/", headers={"Host": "evil.example"}).status_code == 400
        robots = client.get("/robots.txt", headers={"Host": "news.example.org"})
        assert "Sitemap: https://news.example.org/sitemap.xml" in robots.get_data(as_text=True)
        feed = client.get("/en/feed.atom", headers={"Host": "news.example.org"})
        assert "<id>tag:news.example.org,2022:feed/en</id>" in feed.get_data(as_text=True)


def test_development_trusts_only_loopback_and_keeps_atom_ids(client):
    assert client.get("/en/", headers={"Host": "evil.example"}).status_code == 400
    for host in ("localhost", "127.0.0.1:5000"):
        feed = client.get("/en/feed.atom", headers={"Host": host}).get_data(as_text=True)
        assert "<id>tag:localhost,2022:feed/en</id>" in feed


def test_a_secret_key_is_generated_once_and_production_requires_one():
    first = create_app({"DATABASE_URL": "sqlite://"})
    second = create_app({"DATABASE_URL": "sqlite://"})
    assert len(first.config["SECRET_KEY"]) >= 32
    assert first.config["SECRET_KEY"] == second.config["SECRET_KEY"]
    assert first.config["SECRET_KEY"] != "dev-only-change-me"
    with pytest.raises(RuntimeError, match="MLO_SECRET_KEY, MLO_SITE_URL"):
        create_app({"DATABASE_URL": "sqlite://", "PRODUCTION": True})
    production = {"PRODUCTION": True, "SECRET_KEY": "k" * 40, "SITE_URL": "https://x.example"}
    assert create_app({"DATABASE_URL": "sqlite://", **production}).config["SESSION_COOKIE_SECURE"]


def test_too_many_words_get_a_clear_message(client, make_article):
    make_article(en={"title": "one two three four five six seven eight nine ten eleven"})
    words = "one two three four five six seven eight nine ten"
    assert client.get("/en/search/", query_string={"q": words}).status_code == 200
    response = client.get("/en/search/", query_string={"q": words + " eleven"})
    assert response.status_code == 400
    assert "Use at most 10 different words." in response.get_data(as_text=True)
    # Repeats are one word: a hundred "a" is one (common) word, not a hundred.
    assert client.get("/sr-latn/search/", query_string={"q": "a " * 99}).status_code == 200


def test_sqlite_runs_the_full_text_match_once(app, client, make_article):
    if not app.config["DATABASE_URL"].startswith("sqlite"):
        pytest.skip("FTS5 is SQLite's")
    make_article(en={"title": "Belgrade news", "body": "<p>Belgrade.</p>"})
    with app.app_context():
        engine = db.engine()
    statements = []

    def record(_conn, _cursor, statement, *_args):
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    try:
        assert "Belgrade news" in client.get("/en/search/?q=belgrade").get_data(as_text=True)
    finally:
        event.remove(engine, "before_cursor_execute", record)
    assert sum("MATCH" in statement for statement in statements) == 1


@pytest.mark.parametrize("prefix", ["sr-cyrl", "sr-latn"])
@pytest.mark.parametrize("query", ["Ћеле", "Ćele", "ЋЕЛЕ"])
def test_exact_letters_rank_before_folded_matches(client, make_article, prefix, query):
    make_article(
        key="whole",
        published="2024-01-01",
        sr={"title": "Целог дана", "body": "<p>Целог дана, целог лета, целе године.</p>"},
    )
    make_article(
        key="tower",
        published="2022-01-01",
        sr={"title": "Посета Нишу", "body": "<p>Обишли су Ћеле кулу.</p>"},
    )
    assert found(client, prefix, query) == ["poseta-nisu", "celog-dana"]
    # Typed without the letters that tell them apart, relevance alone decides.
    assert found(client, prefix, "cele") == ["celog-dana", "poseta-nisu"]


def test_the_newsroom_keeps_its_own_names_in_latin(tmp_path, make_article, app, client):
    latin_words = Path(app.instance_path) / "latin_words.txt"
    saved = latin_words.read_text("utf-8") if latin_words.exists() else None
    latin_words.write_text("# names we keep in Latin\nVucic\n", "utf-8")
    try:
        with running_app(f"sqlite:///{tmp_path / 'words.sqlite3'}"):  # reads the file
            text = operations.prepare_text("sr", "Facebook i Vucic u Beogradu", "", "")
        assert text.title == "Facebook и Vucic у Београду"
    finally:
        if saved is None:
            latin_words.unlink()
        else:
            latin_words.write_text(saved, "utf-8")
        translit.set_extra_latin_words(translit.load_latin_words(latin_words))


def test_too_many_words_in_serbian_agrees_with_the_number(client):
    words = " ".join(f"rec{n}" for n in range(11))
    page = client.get("/sr-latn/search/", query_string={"q": words}).get_data(as_text=True)
    assert "Unesite najviše 10 različitih reči." in page


def test_a_deeply_nested_file_is_not_json_for_us(runner, tmp_path):
    path = tmp_path / "deep.json"
    path.write_text("[" * 100_000 + "]" * 100_000, "utf-8")
    result = runner.invoke(args=["content", "import", str(path)])
    assert result.exit_code == 1
    assert "not valid JSON" in result.output and "nothing was imported" in result.output
