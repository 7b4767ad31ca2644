"""`content po-export` / `content po-import`: an article's source out as a PO file for a
translator, the translation back in as a new revision, or refused with the reason."""

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from sqlalchemy import func, select

from mlo import db
from mlo.content.models import Revision, Translation

KEY = "2023-02-07-kurir-interview"
EN = {
    "title": "Interview of Chief NATO MLO Belgrade for Kurir",
    "summary": "On February 6, the interview was published.",
    "body": (
        "<p>NATO and Serbia cooperate.</p>\n"
        "<h2>Partnership</h2>\n"
        "<p>The office opened in <strong>2006</strong>.</p>\n"
        "<ul><li>Defence reform</li><li>Science for Peace</li></ul>\n"
        '<p>Read <a href="https://www.nato.int/">more</a>.</p>'
    ),
}
SR = {
    "title": "Интервју за Курир",
    "summary": "Интервју је објављен 6. фебруара.",
    "body/0": "НАТО и Србија сарађују.",
    "body/1": "Partnerstvo",  # typed in Latin: stored in Cyrillic
    "body/2": "Канцеларија је отворена <strong>2006.</strong> године.",
    "body/3": "<li>Реформа одбране</li><li>Наука за мир</li>",
    "body/4": 'Прочитајте <a href="https://www.nato.int/">више</a>.',
}


def fill(path: Path, translations: dict[str, str], fuzzy: tuple[str, ...] = ()) -> Path:
    """Type translations into an exported file's empty msgstrs, as a translator would."""

    def entry(found: re.Match) -> str:
        block = found.group(0)
        part = re.search(r'^msgctxt "[^"]*:([^"]+)"$', block, re.M).group(1)
        if part in fuzzy:
            block = "#, fuzzy\n" + block
        if part not in translations:
            return block
        quoted = translations[part].replace("\\", "\\\\").replace('"', '\\"')
        return re.sub(r'^msgstr ""$', lambda _: f'msgstr "{quoted}"', block, flags=re.M)

    text = re.sub(r"(?ms)^msgctxt .*?(?=\n\n|\Z)", entry, path.read_text("utf-8"))
    path.write_text(text, "utf-8")
    return path


def revisions(app) -> int:
    with app.app_context():
        return db.dbsession.scalar(select(func.count()).select_from(Revision))


def serbian(app) -> Translation | None:
    with app.app_context():
        return db.dbsession.scalar(select(Translation).where(Translation.lang == "sr"))


@pytest.fixture
def interview(make_article):
    return make_article(key=KEY, source="en", en=EN)


def export(runner, tmp_path, key=KEY, lang="sr", name="interview.po") -> Path:
    path = tmp_path / name
    result = runner.invoke(args=["content", "po-export", key, lang, str(path)])
    assert result.exit_code == 0, result.output
    return path


def refused(runner, path: Path) -> str:
    result = runner.invoke(args=["content", "po-import", str(path)])
    assert result.exit_code != 0
    assert "nothing was imported" in result.output
    assert "Traceback" not in result.output
    return result.output


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="GNU gettext's msgfmt is not installed")
def test_exported_file_passes_msgfmt_check(app, runner, interview, tmp_path):
    path = export(runner, tmp_path)
    text = path.read_text("utf-8")
    assert '"Language: sr_Cyrl\\n"' in text
    assert '"X-Source-Language: en\\n"' in text
    assert f'"X-Mlo-Article: {KEY}\\n"' in text and '"X-Mlo-Source-Revision: 1\\n"' in text
    assert "nplurals=3" in text  # Serbian's plural forms: Poedit needs them
    assert f'msgctxt "{KEY}@1:body/3"\n' in text
    assert "#. block: ul\nmsgctxt" in text
    assert 'msgid "<li>Defence reform</li><li>Science for Peace</li>"' in text
    check = subprocess.run(["msgfmt", "--check", "-o", "/dev/null", str(path)], capture_output=True)
    assert check.returncode == 0, check.stderr.decode()
    fill(path, SR)
    check = subprocess.run(["msgfmt", "--check", "-o", "/dev/null", str(path)], capture_output=True)
    assert check.returncode == 0, check.stderr.decode()


def test_round_trip_makes_a_new_serbian_revision(app, runner, client, interview, tmp_path):
    path = fill(export(runner, tmp_path), SR)
    result = runner.invoke(args=["content", "po-import", str(path)])
    assert result.exit_code == 0, result.output
    assert f"{KEY} sr: revision 1" in result.output
    assert "entered in Latin was stored in Cyrillic" in result.output

    with app.app_context():
        sr = db.dbsession.scalar(select(Translation).where(Translation.lang == "sr"))
        assert sr.source_revision == sr.article.translations["en"].revision == 1
        assert not sr.is_stale()
        history = db.dbsession.scalars(select(Revision).where(Revision.translation_id == sr.id))
        assert [revision.author for revision in history] == ["po-import"]
    page = client.get(f"/sr-cyrl/news/2023/{sr.slug}/").get_data(as_text=True)
    assert "Интервју за Курир" in page
    assert ">Партнерство</h2>" in page  # the Latin msgstr, in Cyrillic, still a heading
    assert "<ul><li>Реформа одбране</li><li>Наука за мир</li></ul>" in page
    assert "<p>Канцеларија је отворена <strong>2006.</strong> године.</p>" in page
    assert '<a href="https://www.nato.int/">више</a>' in page

    # The same file again changes nothing; a new export starts from the translation.
    before = revisions(app)
    again = runner.invoke(args=["content", "po-import", str(path)])
    assert again.exit_code == 0 and f"{KEY} sr: unchanged" in again.output
    assert revisions(app) == before
    text = export(runner, tmp_path, name="again.po").read_text("utf-8")
    assert 'msgstr "<li>Реформа одбране</li><li>Наука за мир</li>"' in text
    assert 'msgstr "Партнерство"' in text


def test_outdated_parts_of_a_translation_come_back_fuzzy(
    app, runner, make_article, interview, tmp_path
):
    runner.invoke(args=["content", "po-import", str(fill(export(runner, tmp_path), SR))])
    make_article(
        key=KEY, source="en", en={**EN, "body": EN["body"].replace("Partnership", "Allies")}
    )
    text = export(runner, tmp_path, name="changed.po").read_text("utf-8")

    def comments(part: str) -> str:
        return text[: text.index(f'msgctxt "{KEY}@2:{part}"')].rsplit("\n\n", 1)[1]

    assert "#, fuzzy" in comments("body/1")  # Poedit shows the old and the new English
    assert '#| msgid "Partnership"' in comments("body/1")
    assert 'msgstr "Партнерство"' in text
    assert "fuzzy" not in comments("title") and "fuzzy" not in comments("body/0")

    # Confirming the old translation without editing it is refused while it is fuzzy...
    assert "not translated: body/1 (body/1 marked fuzzy" in refused(runner, tmp_path / "changed.po")
    assert serbian(app).source_revision == 1
    # ...and, once the translator clears the flag, records that it follows the new English.
    path = tmp_path / "changed.po"
    path.write_text(path.read_text("utf-8").replace("#, fuzzy\n", ""), "utf-8")
    result = runner.invoke(args=["content", "po-import", str(path)])
    assert result.exit_code == 0, result.output
    assert f"{KEY} sr: revision 2: the same text, marked up to date" in result.output
    with app.app_context():
        sr = db.dbsession.scalar(select(Translation).where(Translation.lang == "sr"))
        assert sr.source_revision == 2 and not sr.is_stale()


def test_refuses_a_file_of_another_article(app, runner, make_article, interview, tmp_path):
    make_article(key="other", source="en", en={"title": "Other", "body": "<p>Other.</p>"})
    path = fill(export(runner, tmp_path), SR)
    text = path.read_text("utf-8").replace(f"X-Mlo-Article: {KEY}", "X-Mlo-Article: other")
    path.write_text(text, "utf-8")
    before = revisions(app)
    message = refused(runner, path)
    assert "header is for article 'other'" in message and f"'{KEY}'" in message
    assert revisions(app) == before and serbian(app) is None


def test_refuses_a_file_made_from_an_older_source(app, runner, make_article, interview, tmp_path):
    path = fill(export(runner, tmp_path), SR)
    make_article(key=KEY, source="en", en={**EN, "body": EN["body"].replace("2006", "2007")})
    before = revisions(app)
    message = refused(runner, path)
    assert "made from revision 1 of the English source" in message
    assert "now at revision 2" in message
    assert "changed since: body/2:" in message  # the paragraph with the year, and only it
    assert revisions(app) == before and serbian(app) is None


def test_a_new_english_slug_does_not_outdate_the_file(
    app, runner, make_article, interview, tmp_path
):
    path = fill(export(runner, tmp_path), SR)
    make_article(key=KEY, source="en", en={**EN, "slug": "kurir"})  # revision 2, same text
    result = runner.invoke(args=["content", "po-import", str(path)])
    assert result.exit_code == 0 and f"{KEY} sr: revision 1" in result.output, result.output
    assert serbian(app).source_revision == 2


@pytest.mark.parametrize(
    ("part", "translation", "reason"),
    [
        ("body/2", "Канцеларија.</p><p>Отворена 2006.", "body/2: <p> would split the block"),
        ("body/2", "Отворена <strong>2006.", "body/2: broken markup: a tag is not closed"),
        ("body/0", "НАТО<script>alert(1)</script>", "body/0: broken markup: <script> would be"),
        ("body/4", '<a href="javascript:alert(1)">више</a>', "body/4: broken markup: href on <a>"),
    ],
)
def test_refuses_broken_markup(app, runner, interview, tmp_path, part, translation, reason):
    path = fill(export(runner, tmp_path), {**SR, part: translation})
    before = revisions(app)
    assert reason in refused(runner, path)
    assert revisions(app) == before and serbian(app) is None


def test_refuses_missing_and_fuzzy_entries(app, runner, interview, tmp_path):
    untranslated = {part: text for part, text in SR.items() if part not in ("summary", "body/3")}
    path = fill(export(runner, tmp_path), untranslated)
    assert "not translated: summary, body/3;" in refused(runner, path)

    path = fill(export(runner, tmp_path, name="fuzzy.po"), SR, fuzzy=("body/0",))
    assert "not translated: body/0 (body/0 marked fuzzy" in refused(runner, path)

    path = fill(export(runner, tmp_path, name="cut.po"), SR)
    text = path.read_text("utf-8")
    start = text.index("#. block: ul")
    path.write_text(text[:start] + text[text.index("\n\n", start) + 2 :], "utf-8")
    assert "not translated: body/3;" in refused(runner, path)
    assert revisions(app) == 1 and serbian(app) is None


def test_refuses_what_is_not_a_po_file_of_this_newsroom(app, runner, interview, tmp_path):
    (tmp_path / "articles.json").write_text('[{"key": "x"}]', "utf-8")
    assert "not a PO file: line 1" in refused(runner, tmp_path / "articles.json")
    (tmp_path / "latin1.po").write_bytes(b'msgid "caf\xe9"\nmsgstr ""\n')
    assert "not a PO file in UTF-8" in refused(runner, tmp_path / "latin1.po")
    (tmp_path / "other.po").write_text('msgid "Hello"\nmsgstr "Здраво"\n', "utf-8")
    assert "no X-Mlo-Article header" in refused(runner, tmp_path / "other.po")

    path = fill(export(runner, tmp_path), SR)
    path.write_text(path.read_text("utf-8").replace("X-Mlo-Target: sr", "X-Mlo-Target: en"))
    assert "'en' is the source language" in refused(runner, path)
    assert revisions(app) == 1 and serbian(app) is None


def test_export_explains_what_it_cannot_do(runner, make_article, interview, tmp_path):
    path = str(tmp_path / "x.po")
    for args, message in [
        (["nope", "sr"], "no article with the key 'nope'"),
        ([KEY, "de"], "unknown language 'de' (use en, sr)"),
        ([KEY, "en"], "'en' is the source language"),
    ]:
        result = runner.invoke(args=["content", "po-export", *args, path])
        assert result.exit_code != 0 and message in result.output, result.output
    assert not (tmp_path / "x.po").exists()


def test_a_paragraph_added_to_the_original_keeps_the_rest_of_the_translation(
    app, runner, make_article, tmp_path
):
    en = {"title": "Visit", "body": "<p>One.</p><p>Two.</p><p>Three.</p>"}
    sr = {"title": "Посета", "body": "<p>Један.</p><p>Два.</p><p>Три.</p>"}
    make_article(key="visit", published="2023-05-10", en=en, sr=sr)
    changed = {**en, "body": "<p>One.</p><p>New.</p><p>Two, changed.</p><p>Three.</p>"}
    make_article(key="visit", published="2023-05-10", en=changed)
    path = tmp_path / "visit.po"
    assert runner.invoke(args=["content", "po-export", "visit", "sr", str(path)]).exit_code == 0
    entry = re.compile(
        r'(#, fuzzy\n)?(?:#\| msgid "([^"]*)"\n)?'
        r'msgctxt "visit@2:(body/\d)"\nmsgid "[^"]*"\nmsgstr "([^"]*)"'
    )
    entries = {
        part: (fuzzy, old, translated)
        for fuzzy, old, part, translated in entry.findall(path.read_text("utf-8"))
    }
    assert entries["body/0"] == ("", "", "Један.")
    assert entries["body/1"] == ("", "", "")  # new in the original: to translate
    assert entries["body/2"] == ("#, fuzzy\n", "Two.", "Два.")  # changed: the old text shown
    assert entries["body/3"] == ("", "", "Три.")
