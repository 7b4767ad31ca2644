"""Translation memory: earlier translations suggested for similar paragraphs, in either script."""

from types import SimpleNamespace

import pytest
from sqlalchemy import func, select, text

from mlo import db
from mlo.content import memory, operations
from mlo.content.models import Article, MemoryUnit
from mlo.db import dbsession

MET_EN = (
    "The Head of the Liaison Office met the Minister of Defence in Belgrade to discuss defence "
    "reform and the next steps in cooperation."
)
MET_SR = (
    "Шеф Канцеларије за везу састао се са министром одбране у Београду да би разговарали о "
    "реформи одбране и наредним корацима у сарадњи."
)
MET_SR_LATIN = (
    "Šef Kancelarije za vezu sastao se sa ministrom odbrane u Beogradu da bi razgovarali o "
    "reformi odbrane i narednim koracima u saradnji."
)
ASKED_EN = "Journalists asked about the demining exercise near Niš and about flood relief."
ASKED_SR = "Новинари су питали о вежби разминирања код Ниша и о помоћи у поплавама."
MEETING = {
    "en": {
        "title": "Defence reform talks in Belgrade",
        "summary": "A meeting at the Ministry of Defence.",
        "body": f"<p>{MET_EN}</p>\n<p>{ASKED_EN}</p>",
    },
    "sr": {
        "title": "Разговори о реформи одбране у Београду",
        "summary": "Састанак у Министарству одбране.",
        "body": f"<p>{MET_SR}</p>\n<p>{ASKED_SR}</p>",
    },
}


def remember(app, key: str) -> int:
    """Remember one article as the writer does after a save; its id."""
    with app.app_context():
        db.begin_write()
        article = dbsession.scalars(select(Article).where(Article.key == key)).one()
        memory.remember(article)
        dbsession.commit()
        return article.id


def suggest(app, texts, source="en", target="sr", exclude=None):
    with app.app_context():
        return memory.suggest(texts, source, target, exclude)


@pytest.fixture
def meeting(app, make_article) -> int:
    make_article(key="meeting", **MEETING)
    return remember(app, "meeting")


def test_an_identical_paragraph_is_suggested_with_score_100(app, meeting):
    [found] = suggest(app, [MET_EN])
    assert [(s.source_text, s.target_text, s.score, s.article_id) for s in found] == [
        (MET_EN, MET_SR, 100, meeting)
    ]


def test_a_paragraph_with_a_word_changed_scores_between_70_and_99(app, meeting):
    [found] = suggest(app, [MET_EN.replace("met", "visited")])
    assert len(found) == 1 and found[0].target_text == MET_SR
    assert 70 <= found[0].score <= 99


def test_an_unrelated_paragraph_gets_nothing(app, meeting):
    unrelated = "Local media reported widely on the charity concert held in Novi Sad last spring."
    assert suggest(app, [unrelated, "", "   "]) == [[], [], []]


def test_serbian_typed_in_latin_matches_the_cyrillic_memory(app, meeting):
    [found] = suggest(app, [MET_SR_LATIN], "sr", "en")
    assert [(s.source_text, s.target_text, s.score) for s in found] == [(MET_SR, MET_EN, 100)]
    [found] = suggest(app, [MET_SR.upper()], "sr", "en")
    assert found[0].score == 100


def test_each_text_gets_its_own_suggestions_title_and_summary_too(app, meeting):
    found = suggest(app, [ASKED_EN, "Defence reform talks in Belgrade", MET_EN], "en", "sr")
    assert [[s.target_text for s in texts] for texts in found] == [
        [ASKED_SR],
        ["Разговори о реформи одбране у Београду"],
        [MET_SR],
    ]


def test_the_memory_follows_an_edit(app, make_article, meeting):
    edited = MET_SR.replace("састао се са министром", "разговарао је са министром")
    make_article(key="meeting", sr=MEETING["sr"] | {"body": f"<p>{edited}</p><p>{ASKED_SR}</p>"})
    remember(app, "meeting")
    [found] = suggest(app, [MET_EN])
    assert [s.target_text for s in found] == [edited]


def test_different_block_structures_give_only_title_and_summary(app, make_article):
    sr = MEETING["sr"] | {"body": f"<h2>Састанак</h2><p>{MET_SR}</p><p>{ASKED_SR}</p>"}
    make_article(key="uneven", en=MEETING["en"], sr=sr)
    remember(app, "uneven")
    found = suggest(app, [MET_EN, ASKED_EN, MEETING["en"]["title"], MEETING["en"]["summary"]])
    assert [[s.target_text for s in texts] for texts in found] == [
        [],
        [],
        [MEETING["sr"]["title"]],
        [MEETING["sr"]["summary"]],
    ]


def test_the_article_being_translated_is_excluded(app, make_article, meeting):
    assert suggest(app, [MET_EN], exclude=meeting) == [[]]
    make_article(key="again", **MEETING)
    again = remember(app, "again")
    [found] = suggest(app, [MET_EN], exclude=meeting)
    assert [(s.target_text, s.article_id) for s in found] == [(MET_SR, again)]


def test_at_most_three_best_first_and_one_per_translation(app, make_article):
    for number, word in enumerate(["met", "visited", "welcomed", "thanked", "greeted"]):
        en = MET_EN.replace("met", word).replace("steps", "steps" + "!" * number)
        sr = MET_SR.replace("Шеф", f"Шеф {number}")
        make_article(
            key=f"v{number}",
            en={"title": f"T{number}", "body": f"<p>{en}</p>"},
            sr={"title": f"Т{number}", "body": f"<p>{sr}</p>"},
        )
        remember(app, f"v{number}")
    copy = MET_SR.replace("Шеф", "Шеф 0")
    make_article(
        key="copy",
        en={"title": "C", "body": f"<p>{MET_EN}</p>"},
        sr={"title": "Ц", "body": f"<p>{copy}</p>"},
    )
    remember(app, "copy")
    [found] = suggest(app, [MET_EN.replace("met", "welcomed")])
    scores = [s.score for s in found]
    assert len(found) == 3 and scores == sorted(scores, reverse=True) and scores[0] == 100
    # Articles v0 and copy remember the same translation of the same text: it is shown once.
    assert len({s.target_text for s in found}) == 3


def test_units_pair_blocks_in_order_in_both_directions(app, make_article, meeting):
    with app.app_context():
        units = dbsession.execute(
            select(MemoryUnit.source_lang, MemoryUnit.source_text, MemoryUnit.target_text)
            .where(MemoryUnit.article_id == meeting)
            .order_by(MemoryUnit.id)
        ).all()
    pairs = [(s, t) for lang, s, t in units if lang == "en"]
    assert pairs == [
        (MEETING["en"]["title"], MEETING["sr"]["title"]),
        (MEETING["en"]["summary"], MEETING["sr"]["summary"]),
        (MET_EN, MET_SR),
        (ASKED_EN, ASKED_SR),
    ]
    assert [(t, s) for lang, s, t in units if lang == "sr"] == pairs


def test_one_language_deleted_or_purged_articles_are_not_remembered(app, make_article, meeting):
    make_article(key="english-only", en={"title": "Defence reform talks in Belgrade"})
    assert remember(app, "english-only")
    with app.app_context():
        db.begin_write()
        article = dbsession.get(Article, meeting)
        operations.delete_article(article, article.published_at, author="test")
        assert memory.remember(article) == 0
        dbsession.commit()
    assert suggest(app, [MET_EN]) == [[]]
    with app.app_context():
        db.begin_write()
        article = dbsession.get(Article, meeting)
        operations.restore_article(article, author="test")
        memory.remember(article)
        dbsession.commit()
    assert suggest(app, [MET_EN])[0][0].score == 100
    with app.app_context():
        db.begin_write()
        article = dbsession.get(Article, meeting)
        operations.delete_article(article, article.published_at, author="test")
        operations.purge_article(article)
        dbsession.commit()
        assert dbsession.scalar(select(func.count()).select_from(MemoryUnit)) == 0
        if db.engine().dialect.name == "sqlite":  # the index forgets them too
            vocabulary = "SELECT count(*) FROM translation_fts_memory_en_sr_vocab"
            assert dbsession.scalar(text(vocabulary)) == 0


def test_rebuild_all_remembers_every_article_as_remember_does(app, make_article, meeting):
    make_article(
        key="other",
        en={"title": "Other", "body": f"<p>{ASKED_EN}</p>"},
        sr={"title": "Друго", "body": f"<p>{ASKED_SR}</p>"},
    )
    with app.app_context():
        db.begin_write()
        assert memory.rebuild_all() == 2 * (4 + 2)
        dbsession.commit()
    [asked] = suggest(app, [ASKED_EN], exclude=meeting)
    assert [s.target_text for s in asked] == [ASKED_SR]


def test_a_missing_index_is_recreated_and_filled(app, meeting):
    with app.app_context(), db.engine().begin() as connection:
        if connection.dialect.name == "sqlite":
            connection.execute(text("DROP TRIGGER translation_fts_memory_en_sr_ai"))
        else:
            connection.execute(text("DROP INDEX ix_memory_unit_search_vector_en_sr"))
        assert memory.ensure(connection) is True
        assert memory.ensure(connection) is False
    assert suggest(app, [MET_EN])[0][0].score == 100


def test_aligned_pairs_the_blocks_of_bodies_with_the_same_structure():
    en = SimpleNamespace(
        title="Title",
        summary="Summary",
        body="<p>One <strong>two</strong></p>\n<ul><li>a</li><li>b</li></ul>",
    )
    sr = SimpleNamespace(
        title="Наслов",
        summary="",
        body="<p>Један <strong>два</strong></p><ul><li>а</li><li>б</li></ul>",
    )
    assert memory.aligned(en, sr) == [("Title", "Наслов"), ("One two", "Један два"), ("a b", "а б")]
    sr.body = "<p>Један два</p><p>а б</p>"
    assert memory.aligned(en, sr) == [("Title", "Наслов")]


def test_a_part_left_untranslated_is_not_remembered():
    en = SimpleNamespace(title="Talks", summary="", body=f"<p>{MET_EN}</p><p>{ASKED_EN}</p>")
    sr = SimpleNamespace(title="Разговори", summary="", body=f"<p>{MET_EN}</p><p>{ASKED_SR}</p>")
    rows = memory.unit_rows(1, {"en": en, "sr": sr})
    assert [(row["source_lang"], row["source_text"]) for row in rows] == [
        ("en", "Talks"),
        ("en", ASKED_EN),
        ("sr", "Разговори"),
        ("sr", ASKED_SR),
    ]
