"""Freshness: a changed original makes its translation outdated, and readers are told."""

import re

import pytest
from sqlalchemy import select

from mlo import db
from mlo.content import operations
from mlo.content.models import Article
from mlo.db import dbsession
from tests.conftest import csrf_token, sign_in

EN = {"title": "Cadets in Niš", "summary": "A visit.", "body": "<p>Cadets visited Niš.</p>"}
SR = {"title": "Кадети у Нишу", "summary": "Посета.", "body": "<p>Кадети су посетили Ниш.</p>"}
NOTICE = {
    "en": "This translation may not include the changes yet.",
    "sr-cyrl": "— овај превод можда још не садржи те измене.",
    "sr-latn": "— ovaj prevod možda još ne sadrži te izmene.",
}
PAGES = {"en": "/en/news/2023/cadets-in-nis/", "sr": "/{prefix}/news/2023/kadeti-u-nisu/"}


def shown(client, prefix: str) -> str:
    url = PAGES["en"] if prefix == "en" else PAGES["sr"].format(prefix=prefix)
    return client.get(url).get_data(as_text=True)


@pytest.mark.parametrize("prefix", ["sr-cyrl", "sr-latn"])
def test_readers_are_told_when_the_original_changed(client, make_article, prefix):
    make_article(key="cadets", published="2023-05-10", en=EN, sr=SR)
    assert NOTICE[prefix] not in shown(client, prefix)
    # The English original changes; the Serbian translation is not touched.
    make_article(key="cadets", published="2023-05-10", en={**EN, "body": "<p>Forty cadets.</p>"})
    page = shown(client, prefix)
    assert NOTICE[prefix] in page
    assert 'href="/en/news/2023/cadets-in-nis/" hreflang="en"' in page
    assert NOTICE["en"] not in shown(client, "en")  # the original itself has no notice
    # Translated again from the new original: up to date, the notice is gone.
    make_article(
        key="cadets",
        published="2023-05-10",
        en={**EN, "body": "<p>Forty cadets.</p>"},
        sr={**SR, "body": "<p>Четрдесет кадета.</p>"},
    )
    assert NOTICE[prefix] not in shown(client, prefix)


def test_an_english_translation_of_a_serbian_original(client, make_article):
    make_article(key="cadets", published="2023-05-10", source="sr", en=EN, sr=SR)
    make_article(key="cadets", published="2023-05-10", source="sr", sr={**SR, "summary": "Ново."})
    page = shown(client, "en")
    assert NOTICE["en"] in page and 'hreflang="sr-Cyrl">Read the original' in page


def test_a_minor_edit_of_the_original_keeps_translations_up_to_date(app, client, make_article):
    from sqlalchemy import select

    from mlo.content.models import Article

    make_article(key="cadets", published="2023-05-10", en=EN, sr=SR)
    with app.app_context():
        db.begin_write()
        article = db.dbsession.scalar(select(Article).where(Article.key == "cadets"))
        body = "<p>Cadets visited Nis.</p>"
        text = operations.prepare_text("en", EN["title"], EN["summary"], body)
        operations.put_translation(article, "en", text, author="ed", minor=True)
        db.dbsession.commit()
    assert NOTICE["sr-cyrl"] not in shown(client, "sr-cyrl")


def test_the_translator_sees_what_changed_and_marks_it_up_to_date(app, client, make_article, staff):
    make_article(
        key="cadets",
        published="2023-05-10",
        en={**EN, "body": "<p>Cadets visited Niš.</p><p>They met the mayor.</p>"},
        sr={**SR, "body": "<p>Кадети су посетили Ниш.</p><p>Састали су се са градоначелником.</p>"},
    )
    changed = "<p>Forty cadets visited Niš.</p><p>They met the mayor.</p><p>Then they left.</p>"
    make_article(key="cadets", published="2023-05-10", en={**EN, "body": changed})
    sign_in(client, "tanja")
    with app.app_context():
        article_id = dbsession.scalar(select(Article.id).where(Article.key == "cadets"))
    edit = client.get(f"/admin/articles/{article_id}/sr/").get_data(as_text=True)
    assert "The original changed since this translation (revision 1 to 2)" in edit
    assert '<li class="changed"><div class="diff"><del>Cadets</del><ins>Forty cadets</ins>' in edit
    assert '<li class="added"><ins>Then they left.</ins>' in edit
    assert '<li class="same">They met the mayor.</li>' in edit
    token = csrf_token(edit)
    marked = client.post(
        f"/admin/articles/{article_id}/sr/up-to-date", data={"csrf_token": token, "revision": 1}
    )
    assert marked.status_code == 302
    assert NOTICE["sr-cyrl"] not in shown(client, "sr-cyrl")
    assert "The original changed" not in client.get(f"/admin/articles/{article_id}/sr/").get_data(
        as_text=True
    )


def test_the_notice_reads_as_one_sentence(client, make_article):
    make_article(key="cadets", published="2023-05-10", en=EN, sr=SR)
    make_article(key="cadets", published="2023-05-10", en={**EN, "body": "<p>Forty.</p>"})
    notice = shown(client, "sr-latn").split('class="outdated"')[1].split("</p>")[0]
    assert ".." not in notice and re.search(r"ažuriran je \d+\. \d+\. \d{4}\. — ovaj", notice)
