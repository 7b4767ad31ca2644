"""`content import` / `content export`: the contract's JSON, all or nothing, clear errors."""

import json
import os
import subprocess
import sys
from importlib import resources
from pathlib import Path
from subprocess import PIPE, STDOUT

import pytest
from sqlalchemy import func, select

from mlo import cli, db
from mlo.content.models import Article, OldSlug, Translation

PROJECT = Path(__file__).resolve().parent.parent

INTERVIEW = {
    "key": "2023-02-07-kurir-interview",
    "published": "2023-02-07",
    "status": "published",
    "source": "en",
    "translations": {
        "en": {
            "title": "Interview of Chief NATO MLO Belgrade for Kurir",
            "summary": "On February 6, the interview was published.",
            "body": "<p>NATO and Serbia.</p>",
        },
        "sr": {
            "title": "Интервју за Курир",
            "summary": "Интервју је објављен 6. фебруара.",
            "body": "<p>НАТО и Србија.</p>",
        },
    },
}


def write(tmp_path, data, name="articles.json"):
    path = tmp_path / name
    path.write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8")
    return str(path)


def count(app, model=Article):
    with app.app_context():
        return db.dbsession.scalar(select(func.count()).select_from(model))


def test_import_creates_then_updates_by_key(app, runner, tmp_path):
    result = runner.invoke(args=["content", "import", write(tmp_path, [INTERVIEW])])
    assert result.exit_code == 0, result.output
    assert "created: 1" in result.output and INTERVIEW["key"] in result.output
    with app.app_context():
        sr = db.dbsession.scalar(select(Translation).where(Translation.lang == "sr"))
        assert sr.slug == "intervju-za-kurir"  # folded Latin, shared by both scripts
        assert sr.revision == 1 and sr.source_revision == 1

    changed = json.loads(json.dumps(INTERVIEW))
    changed["translations"]["en"]["body"] = "<p>NATO and Serbia, partners.</p>"
    result = runner.invoke(args=["content", "import", write(tmp_path, [changed])])
    assert "updated: 1" in result.output, result.output
    assert count(app) == 1
    with app.app_context():
        en, sr = (
            db.dbsession.scalar(select(Translation).where(Translation.lang == lang))
            for lang in ("en", "sr")
        )
        assert en.revision == 2
        assert sr.is_stale()  # the English source moved on; the Serbian was made from revision 1

    result = runner.invoke(args=["content", "import", write(tmp_path, [changed])])
    assert "unchanged: 1" in result.output


def test_export_round_trips(app, runner, tmp_path):
    timed = {**INTERVIEW, "key": "timed", "published": "2023-03-01T10:30:00+01:00"}
    timed["translations"] = {
        "en": {**INTERVIEW["translations"]["en"], "title": "Timed", "slug": "timed"}
    }
    runner.invoke(args=["content", "import", write(tmp_path, [INTERVIEW, timed])])
    out = tmp_path / "export.json"
    result = runner.invoke(args=["content", "export", str(out)])
    assert result.exit_code == 0, result.output
    exported = json.loads(out.read_text("utf-8"))
    assert [a["key"] for a in exported] == [INTERVIEW["key"], "timed"]
    assert exported[0]["published"] == "2023-02-07"
    assert exported[1]["published"] == "2023-03-01T10:30:00+01:00"
    assert exported[0]["translations"]["sr"]["title"] == "Интервју за Курир"
    result = runner.invoke(args=["content", "import", str(out)])
    assert "unchanged: 2" in result.output, result.output


def bad(**changes):
    record = json.loads(json.dumps(INTERVIEW))
    for path, value in changes.items():
        target = record
        *parents, last = path.split("__")
        for parent in parents:
            target = target[parent]
        if value is None:
            del target[last]
        else:
            target[last] = value
    return record


@pytest.mark.parametrize(
    ("record", "expected"),
    [
        (bad(translations__en__title=None), "translations.en.title: missing title"),
        (bad(translations__en__title="   "), "translations.en.title: missing title"),
        (bad(translations__de={"title": "Hallo"}), "translations.de: unknown language"),
        (bad(published="7.2.2023"), "published: '7.2.2023' is not a date"),
        (bad(published="2023-02-30"), "published: '2023-02-30' is not a date"),
        (bad(published=None), "published: missing"),
        (bad(status="secret"), "status: 'secret' is not one of"),
        (bad(source="sr", translations__sr=None), "source: the source language 'sr' has no"),
        (bad(key="no spaces allowed"), "key: missing, or not letters"),
        (bad(translations__en__slug="Not A Slug"), "translations.en.slug: 'Not A Slug' is not"),
        (bad(translations__en__title=42), "translations.en.title: expected a string"),
        (bad(translations={}), "translations: missing"),
        (bad(colour="red"), "colour: unknown field"),
        (bad(translations__en__body="<p>a\x00b</p>"), "translations.en.body: contains a NUL"),
        ("not a record", "(record): expected an object"),
    ],
)
def test_bad_record_names_record_and_field_and_imports_nothing(
    app, runner, tmp_path, record, expected
):
    good = {**INTERVIEW, "key": "good-one"}
    good["translations"] = {"en": {"title": "Good", "slug": "good"}}
    result = runner.invoke(args=["content", "import", write(tmp_path, [good, record])])
    assert result.exit_code == 1
    assert "record 2" in result.output and expected in result.output, result.output
    assert "nothing was imported" in result.output
    assert count(app) == 0


def test_duplicate_slug_in_file_and_against_database(app, runner, tmp_path, make_article):
    # Slugs made from equal titles get a number; only explicit slugs can clash.
    twin = bad(key="twin")
    result = runner.invoke(args=["content", "import", write(tmp_path, [INTERVIEW, twin])])
    assert "created: 2" in result.output, result.output
    with app.app_context():
        slugs = set(db.dbsession.scalars(select(Translation.slug).where(Translation.lang == "sr")))
        assert slugs == {"intervju-za-kurir", "intervju-za-kurir-2"}
    make_article(key="older", en={"title": "Older", "slug": "taken"})
    clash = bad(translations__en__slug="taken")
    result = runner.invoke(args=["content", "import", write(tmp_path, [clash])])
    assert result.exit_code == 1
    assert "translations.en.slug: slug 'taken' is already used by article 'older'" in result.output
    same = [bad(translations__en__slug="same"), bad(key="other", translations__en__slug="same")]
    result = runner.invoke(args=["content", "import", write(tmp_path, same)])
    assert "record 2 (key 'other'): translations.en.slug: duplicate slug 'same'" in result.output
    dup_key = [INTERVIEW, INTERVIEW]
    result = runner.invoke(args=["content", "import", write(tmp_path, dup_key)])
    assert "record 2" in result.output and "key: duplicate key (also record 1)" in result.output
    assert count(app) == 3  # the interview, its twin and the older article


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("{not json", "not valid JSON"),
        ('{"key": "x"}', "expected a JSON array of articles"),
        (b"\xff\xfe\x00garbage", "not valid JSON"),
    ],
)
def test_malformed_files(runner, tmp_path, content, expected):
    path = tmp_path / "broken.json"
    path.write_bytes(content if isinstance(content, bytes) else content.encode())
    result = runner.invoke(args=["content", "import", str(path)])
    assert result.exit_code == 1 and expected in result.output, result.output


def test_missing_file(runner, tmp_path):
    result = runner.invoke(args=["content", "import", str(tmp_path / "nope.json")])
    assert result.exit_code == 1 and "cannot read" in result.output


def test_an_import_that_waits_too_long_says_so_and_imports_nothing(
    app, runner, tmp_path, monkeypatch
):
    if not app.config["DATABASE_URL"].startswith("sqlite"):
        pytest.skip("SQLite's writer lock is what an import waits for")
    monkeypatch.setattr(cli, "COMMAND_WAIT_MS", 50)
    with app.app_context(), db.write_engine(db.engine()).connect() as other:
        other.exec_driver_sql("SELECT 1")  # another writer holds the newsroom (BEGIN IMMEDIATE)
        result = runner.invoke(args=["content", "import", write(tmp_path, [INTERVIEW])])
        other.rollback()
    assert result.exit_code == 1
    assert "database is busy" in result.output and "nothing was imported" in result.output
    assert count(app) == 0


def test_latin_serbian_is_stored_in_cyrillic(app, runner, tmp_path):
    record = bad(
        translations__sr={
            "title": "Saradnja u Ljubljani",
            "summary": "NATO i Srbija, nadživeti",
            "body": '<p>Tekst <span lang="en">Facebook</span> i <a href="https://nato.int/sr">link</a></p>',
        }
    )
    result = runner.invoke(args=["content", "import", write(tmp_path, [record])])
    assert "Serbian text entered in Latin was stored in Cyrillic" in result.output
    with app.app_context():
        sr = db.dbsession.scalar(select(Translation).where(Translation.lang == "sr"))
        assert sr.title == "Сарадња у Љубљани"
        assert sr.summary == "НАТО и Србија, надживети"
        assert sr.body == (
            '<p>Текст <span lang="en">Facebook</span> и <a href="https://nato.int/sr">линк</a></p>'
        )
        assert sr.slug == "saradnja-u-ljubljani"


def test_bodies_are_sanitised_on_import(app, runner, tmp_path):
    record = bad(
        translations__en__body='<p onclick="x()">Hi<script>alert(1)</script></p>'
        '<a href="javascript:alert(1)">x</a><iframe src="https://evil"></iframe>'
    )
    runner.invoke(args=["content", "import", write(tmp_path, [record])])
    with app.app_context():
        en = db.dbsession.scalar(select(Translation).where(Translation.lang == "en"))
        assert "script" not in en.body and "onclick" not in en.body
        assert "javascript" not in en.body and "iframe" not in en.body
        assert en.body.startswith("<p>Hi")


def test_changed_slug_is_remembered(app, make_article):
    make_article(key="k", en={"title": "First title", "slug": "first"})
    make_article(key="k", en={"title": "First title", "slug": "second"})
    make_article(key="k", en={"title": "First title", "slug": "third"})
    with app.app_context():
        assert sorted(db.dbsession.scalars(select(OldSlug.slug))) == ["first", "second"]
    # Going back to an old slug makes it current again, not a redirect to itself.
    make_article(key="k", en={"title": "First title", "slug": "first"})
    with app.app_context():
        assert sorted(db.dbsession.scalars(select(OldSlug.slug))) == ["second", "third"]


def test_demo_content_loads_once(app, runner):
    result = runner.invoke(args=["content", "demo"])
    assert result.exit_code == 0, result.output
    assert "created: 12" in result.output
    result = runner.invoke(args=["content", "demo"])
    assert "already has articles" in result.output
    assert count(app) == 12


def test_init_db_is_idempotent(runner):
    for _ in range(2):
        result = runner.invoke(args=["init-db"])
        assert result.exit_code == 0 and "Database ready" in result.output


def test_the_serbian_demo_content_reads_as_a_serbian_editor_corrected_it():
    records = json.loads(resources.files("mlo").joinpath("demo_content.json").read_text("utf-8"))
    serbian = " ".join(
        " ".join(record["translations"]["sr"].values())
        for record in records
        if "sr" in record["translations"]
    )
    for corrected in ("адмирал Манч", "дневни лист „Курир“", "За почетак бих рекао"):
        assert corrected in serbian
    for wrong in (
        "Мунш",
        "за Курир",
        "Захваљујући играчима",
        "Генерално гледано",
        "док надограђујемо оно што су постигли",
        "најостваривијом опцијом",
        "имао је економску сарадњу као један од својих главних циљева",
        "у наметању Кремљу трошкова без преседана",
        "Почео бих тиме да НАТО није у рату",
        "Због њене непријатељске политике",
    ):
        assert wrong not in serbian, wrong
    assert '"' not in serbian.replace('lang="en"', "").replace('translate="no"', "")


def test_two_imports_at_once_both_succeed(app, tmp_path):
    """The second waits for the first's write lock instead of failing with 'database is locked'."""
    files = []
    for batch in range(2):
        records = [
            {
                "key": f"batch{batch}-{n}",
                "published": "2024-01-01",
                "translations": {
                    "en": {"title": f"Batch {batch} item {n}", "body": "<p>x</p>" * 50}
                },
            }
            for n in range(150)
        ]
        path = tmp_path / f"batch{batch}.json"
        path.write_text(json.dumps(records), "utf-8")
        files.append(path)
    env = os.environ | {"MLO_DATABASE_URL": app.config["DATABASE_URL"], "MLO_SECRET_KEY": "t"}
    command = [sys.executable, "-m", "flask", "--app", "app", "content", "import"]
    # Two processes, as two people at two terminals would run them.
    runs = [
        subprocess.Popen(
            [*command, str(path)], env=env, cwd=PROJECT, stdout=PIPE, stderr=STDOUT, text=True
        )
        for path in files
    ]
    outputs = [run.communicate(timeout=120)[0] for run in runs]
    assert [run.returncode for run in runs] == [0, 0], outputs
    assert all("created: 150" in output for output in outputs)
    with app.app_context():
        assert db.dbsession.scalar(select(func.count()).select_from(Article)) == 300
