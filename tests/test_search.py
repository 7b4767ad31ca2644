"""Search our content: either script, any case, with or without diacritics, any input safe."""

import re

import pytest

from mlo.search import backends
from mlo.search import query as search_terms
from mlo.text import translit
from tests.test_translit import FOLD_CASES

CEVAPI = {
    "title": "Српски специјалитети",
    "summary": "Колеге су донеле ћевапе.",
    "body": "<p>Пробао сам ћевапи, чварци и пребранац у Београду.</p>",
}
DJOKOVIC = {
    "title": "Добротворни турнир",
    "summary": "Новак Ђоковић послао је рекет.",
    "body": "<p>Рекет са потписом Ђоковића био је главна атракција састанка.</p>",
}
MEETING = {
    "title": "Састанак у Министарству одбране",
    "summary": "Делегација НАТО у Београду.",
    "body": "<p>На састанку је разговарано о сарадњи.</p>",
}


@pytest.fixture
def articles(make_article):
    make_article(
        key="cevapi", sr=CEVAPI, en={"title": "Serbian delicacies", "body": "<p>Ćevapi.</p>"}
    )
    make_article(
        key="djokovic",
        sr=DJOKOVIC,
        en={"title": "Charity tennis", "body": "<p>Novak Đoković sent a racket.</p>"},
    )
    make_article(
        key="meeting",
        sr=MEETING,
        en={"title": "Meeting at the Ministry", "body": "<p>Talks in Belgrade.</p>"},
    )
    make_article(key="sastav", sr={"title": "Нови састав тима", "body": "<p>Састав је познат.</p>"})
    make_article(
        key="draft", status="draft", sr={"title": "Нацрт о ћевапима", "body": "<p>ћевапи</p>"}
    )
    make_article(
        key="later", published="2999-01-01", sr={"title": "Будући ћевапи", "body": "<p>ћевапи</p>"}
    )


def found(client, prefix, query):
    response = client.get(f"/{prefix}/search/", query_string={"q": query})
    assert response.status_code == 200, response.status_code
    html = response.get_data(as_text=True)
    return re.findall(r'<h2><a href="/[^/]+/news/\d+/([^/]+)/">', html)


@pytest.mark.parametrize("query", ["ћевапи", "ćevapi", "cevapi", "ĆEVAPI", "Ћевапи", "cEvApI"])
@pytest.mark.parametrize("prefix", ["sr-cyrl", "sr-latn"])
def test_serbian_search_ignores_script_case_and_diacritics(client, articles, prefix, query):
    assert found(client, prefix, query) == ["srpski-specijaliteti"]


@pytest.mark.parametrize(
    "query", ["Ђоковић", "Đoković", "Djokovic", "djokovic", "ĐOKOVIĆ", "Dokovic"]
)
def test_djokovic_in_any_spelling(client, articles, query):
    expected = [] if query == "Dokovic" else ["dobrotvorni-turnir"]
    assert found(client, "sr-latn", query) == expected


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("Beograd", {"srpski-specijaliteti", "sastanak-u-ministarstvu-odbrane"}),
        ("Београда", {"srpski-specijaliteti", "sastanak-u-ministarstvu-odbrane"}),
        ("sastanak", {"sastanak-u-ministarstvu-odbrane", "dobrotvorni-turnir"}),
        ("састанку", {"sastanak-u-ministarstvu-odbrane", "dobrotvorni-turnir"}),
        ("ćevapa", {"srpski-specijaliteti"}),
        ("SASTANKA", {"sastanak-u-ministarstvu-odbrane", "dobrotvorni-turnir"}),
        ("sastanak beograd", {"sastanak-u-ministarstvu-odbrane"}),
        # PostgreSQL once stemmed the stem again (sastan -> sasta) and found this one too.
        ("sastav", {"novi-sastav-tima"}),
        # ... and once looked short words up with their weight glued on ("u" as "ud").
        ("састанак у Београду", {"sastanak-u-ministarstvu-odbrane"}),
    ],
)
def test_inflected_forms_match(client, articles, query, expected):
    assert set(found(client, "sr-cyrl", query)) == expected


def test_english_pages_search_english_text(client, articles):
    assert found(client, "en", "racket") == ["charity-tennis"]
    assert found(client, "en", "Đoković") == ["charity-tennis"]
    assert found(client, "en", "ћевапи") == ["serbian-delicacies"]  # folded to cevapi
    assert found(client, "en", "meetings") == ["meeting-at-the-ministry"]
    assert found(client, "en", "the ministry") == ["meeting-at-the-ministry"]
    # Snowball spells both ministry and ministries ministri, which ministry does not begin.
    assert found(client, "en", "ministries") == ["meeting-at-the-ministry"]
    assert found(client, "en", "delicacy") == ["serbian-delicacies"]


def test_results_show_highlighted_snippet_count_and_reader_script(client, articles):
    html = client.get("/sr-latn/search/?q=ћевапи").get_data(as_text=True)
    assert "Srpski specijaliteti" in html  # the title in the reader's script
    assert "<mark>ćevapi</mark>" in html and "<mark>ćevape</mark>" in html
    assert "1 " in re.search(r'<p role="status">([^<]+)</p>', html).group(1)
    html = client.get("/sr-cyrl/search/?q=cevapi").get_data(as_text=True)
    assert "<mark>ћевапи</mark>" in html


def test_drafts_and_scheduled_are_never_found(client, articles):
    html = client.get("/sr-cyrl/search/?q=ћевапи").get_data(as_text=True)
    assert "Нацрт" not in html and "Будући" not in html


HOSTILE = [
    '"',
    '"ćevapi',
    "ćevapi\"'`",
    "cevapi AND OR NOT NEAR",
    "NEAR(cevapi beograd, 2)",
    "cevapi*",
    "^cevapi",
    "title:cevapi",
    "((cevapi",
    "cevapi))",
    "'; DROP TABLE translation; --",
    "1' OR '1'='1",
    "!!!???...",
    '* ^ : ( ) " -',
    "%",
    "\\",
    "\x00cevapi",
    "ćevapi & | !",
    "<script>alert(1)</script>",
]


@pytest.mark.parametrize("query", HOSTILE)
def test_any_input_is_safe(client, articles, query):
    response = client.get("/sr-latn/search/", query_string={"q": query})
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "<script>alert" not in html
    if search_terms.terms(query) == ["cevapi"]:
        assert "srpski-specijaliteti" in html
    elif not search_terms.terms(query):
        assert "Unesite bar jednu reč" in html


def test_only_punctuation_asks_for_a_word(client, articles):
    html = client.get("/en/search/?q=!!!").get_data(as_text=True)
    assert "Type at least one word" in html
    html = client.get("/en/search/?q=the").get_data(as_text=True)  # a word, just too common
    assert "0 articles found" in html and "Type at least one word" not in html


def test_overlong_query_gets_a_clear_message(client, articles):
    response = client.get("/en/search/", query_string={"q": "a" * 10_000})
    assert response.status_code == 400
    assert "too long" in response.get_data(as_text=True)


def test_non_utf8_percent_escapes(client, articles):
    response = client.get("/sr-latn/search/?q=%C4%87evapi%FF%FE")
    assert response.status_code == 200


def test_empty_query_shows_the_form(client):
    html = client.get("/en/search/").get_data(as_text=True)
    assert 'name="q"' in html and "articles found" not in html


def test_search_pagination(client, app, make_article):
    app.config["SEARCH_PAGE_SIZE"] = 2
    for day in range(1, 6):
        make_article(
            published=f"2023-03-0{day}", en={"title": f"Belgrade {day}", "body": "<p>x</p>"}
        )
    html = client.get("/en/search/?q=belgrade").get_data(as_text=True)
    assert "5 articles found" in html and "Page 1 of 3" in html
    assert client.get("/en/search/?q=belgrade&page=3").status_code == 200
    assert client.get("/en/search/?q=belgrade&page=4").status_code == 404
    assert client.get("/en/search/?q=belgrade&page=abc").status_code == 404


def test_index_follows_updates_and_deletes(client, app, make_article):
    from mlo import db
    from mlo.content.models import Article

    make_article(key="k", en={"title": "Flood protection", "body": "<p>x</p>"})
    assert found(client, "en", "flood") == ["flood-protection"]
    make_article(
        key="k", en={"title": "Fire protection", "slug": "flood-protection", "body": "<p>x</p>"}
    )
    assert found(client, "en", "flood") == []
    assert found(client, "en", "fire") == ["flood-protection"]
    with app.app_context():
        db.dbsession.delete(db.dbsession.query(Article).one())
        db.dbsession.commit()
    assert found(client, "en", "fire") == []


@pytest.mark.parametrize(("text", "expected"), FOLD_CASES)
def test_fold_table(text, expected):
    assert translit.fold(text) == expected


def test_relevance_orders_the_newest_matches(client, make_article, monkeypatch):
    make_article(published="2023-01-01", en={"title": "Belgrade, Belgrade, Belgrade", "body": ""})
    make_article(published="2023-06-01", en={"title": "News", "body": "<p>In Belgrade today.</p>"})
    assert found(client, "en", "belgrade") == ["belgrade-belgrade-belgrade", "news"]
    # Only the newest matches are put in order of relevance; older ones follow, newest first.
    monkeypatch.setattr(backends, "RANKED_AT_MOST", 1)
    # Another spelling of the same search: the page cache holds the first one.
    assert found(client, "en", "Belgrade") == ["news", "belgrade-belgrade-belgrade"]


def test_exact_letters_come_first_however_common_the_words(client, make_article, monkeypatch):
    make_article(
        key="whole",
        published="2024-01-01",
        sr={"title": "Целог дана", "body": "<p>Целе године.</p>"},
    )
    make_article(
        key="tower",
        published="2022-01-01",
        sr={"title": "Посета Нишу", "body": "<p>Обишли су Ћеле кулу.</p>"},
    )
    monkeypatch.setattr(backends, "WEIGHED_AT_MOST", 0)  # SQLite: too common to weigh
    assert found(client, "sr-latn", "Ćele") == ["poseta-nisu", "celog-dana"]
    assert found(client, "sr-latn", "cele") == ["celog-dana", "poseta-nisu"]


def test_past_the_counted_matches_the_count_says_more_than(client, app, make_article, monkeypatch):
    monkeypatch.setattr(backends, "COUNTED_AT_MOST", 3)
    app.config["SEARCH_PAGE_SIZE"] = 2
    for day in range(1, 6):
        make_article(published=f"2023-03-0{day}", en={"title": f"Talks {day}", "body": "<p>x</p>"})
    html = client.get("/en/search/?q=talks").get_data(as_text=True)
    assert "More than 3 articles found" in html and "Page 1 of 2" in html
    assert found(client, "en", "talks") == ["talks-5", "talks-4"]
    html = client.get("/en/search/?q=talks&page=2").get_data(as_text=True)
    assert re.findall(r'<h2><a href="/en/news/2023/([^/]+)/">', html) == ["talks-3"]
    assert client.get("/en/search/?q=talks&page=3").status_code == 404
    monkeypatch.setattr(backends, "COUNTED_AT_MOST", 5)
    assert "5 articles found" in client.get("/en/search/?q=TALKS").get_data(as_text=True)


# PostgreSQL's ways to the newest of many matches: counted from the index, then read in order
# or (when they are rarer there than it reads) from the index again; or, when most of the newest
# match, read in order alone.
@pytest.mark.parametrize(
    ("query", "read_per_match", "dense"),
    [
        ("harbour", 20, 0.6),
        ("harbour", 0, 0.6),
        ("harbour", 20, 0.0),
        ("harbour news today", 20, 0.6),
    ],
)
def test_many_matches_come_newest_first(
    client, app, make_article, monkeypatch, query, read_per_match, dense
):
    monkeypatch.setattr(backends, "COUNTED_AT_MOST", 3)
    monkeypatch.setattr(backends, "RANKED_AT_MOST", 1)
    monkeypatch.setattr(backends, "READ_PER_MATCH", read_per_match)
    monkeypatch.setattr(backends, "DENSE", dense)
    app.config["SEARCH_PAGE_SIZE"] = 2
    for day in range(1, 10):
        title = f"Harbour news {day} today" if day % 2 else f"Quay {day}"
        make_article(published=f"2023-04-0{day}", en={"title": title, "body": ""})
    html = client.get("/en/search/", query_string={"q": query}).get_data(as_text=True)
    assert "More than 3 articles found" in html
    assert found(client, "en", query) == ["harbour-news-9-today", "harbour-news-7-today"]
    html = client.get("/en/search/", query_string={"q": query, "page": 2}).get_data(as_text=True)
    assert re.findall(r'<h2><a href="/en/news/2023/([^/]+)/">', html) == ["harbour-news-5-today"]


def test_a_prefix_of_many_words_finds_what_its_words_find(client, make_article, monkeypatch):
    make_article(key="a", en={"title": "Cooperation", "body": "<p>Cooperative people.</p>"})
    make_article(key="b", en={"title": "Cooperatives", "body": "<p>x</p>"})
    make_article(key="c", en={"title": "Coop", "body": "<p>x</p>"})
    expected = {"cooperation", "cooperatives"}
    assert set(found(client, "en", "cooperate")) == expected
    monkeypatch.setattr(backends, "FORMS_AT_MOST", 1)
    assert set(found(client, "en", "COOPERATE")) == expected


def test_search_follows_publication_changes(client, app, make_article):
    from mlo import db
    from mlo.content.models import Article

    make_article(key="old", published="2020-01-01", en={"title": "Harbour one", "body": ""})
    make_article(key="new", published="2021-01-01", en={"title": "Harbour two", "body": ""})
    assert found(client, "en", "harbour") == ["harbour-two", "harbour-one"]
    make_article(key="old", published="2022-01-01", en={"title": "Harbour one", "body": ""})
    assert found(client, "en", "Harbour") == ["harbour-one", "harbour-two"]
    with app.app_context():
        article = db.dbsession.query(Article).filter_by(key="new").one()
        article.status = "draft"
        db.dbsession.commit()
    assert found(client, "en", "HARBOUR") == ["harbour-one"]
    with app.app_context():
        article = db.dbsession.query(Article).filter_by(key="new").one()
        article.status = "published"
        db.dbsession.commit()
    assert found(client, "en", "harbour") == ["harbour-one", "harbour-two"]


def test_switcher_keeps_the_search(client, articles):
    html = client.get("/sr-latn/search/?q=ćevapi").get_data(as_text=True)
    switcher = html.split('class="switcher"')[1].split("</nav>")[0]
    assert 'href="http://localhost/sr-cyrl/search/?q=%C4%87evapi"' in switcher
    assert 'href="http://localhost/en/search/?q=%C4%87evapi"' in switcher


def test_deleted_articles_disappear_everywhere(client, app, articles):
    from mlo import db
    from mlo.content.models import Article, utcnow

    with app.app_context():
        article = db.dbsession.query(Article).filter_by(key="cevapi").one()
        article.deleted_at = utcnow()
        db.dbsession.commit()
    assert found(client, "sr-cyrl", "ћевапи") == []
    assert client.get("/sr-cyrl/news/2023/srpski-specijaliteti/").status_code == 404
    assert "srpski-specijaliteti" not in client.get("/sr-cyrl/news/").get_data(as_text=True)
    assert "srpski-specijaliteti" not in client.get("/sitemap.xml").get_data(as_text=True)
