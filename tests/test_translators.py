"""The translators' desk: the status grid through a whole cycle, review, and who may do what."""

import re

from sqlalchemy import select

from mlo.content.models import Article
from mlo.db import dbsession
from tests.conftest import csrf_token, sign_in
from tests.test_po import fill

EN = {"title": "Cadets in Niš", "summary": "A visit.", "body": "<p>Cadets visited Niš.</p>"}


def page(response) -> str:
    return response.get_data(as_text=True)


def cell(client, article_id: int, lang: str = "sr") -> str:
    """The state the grid shows for one article in one language."""
    html = page(client.get("/admin/translations/"))
    row = re.search(rf'/admin/articles/{article_id}/{lang}/[^"]*">([^<]+)</a>', html)
    return row.group(1) if row else ""


def counts(client) -> dict[str, int]:
    html = page(client.get("/admin/translations/"))
    return {label: int(n) for label, n in re.findall(r"\">([a-z ]+): <strong>(\d+)</strong>", html)}


def post(client, url: str, **fields) -> int:
    token = csrf_token(page(client.get("/admin/account")))  # one token serves the session
    return client.post(url, data={"csrf_token": token, **fields}).status_code


def test_a_translation_through_its_whole_cycle(app, make_article, staff):
    make_article(key="cadets", published="2023-05-10", en=EN)
    with app.app_context():
        article_id = dbsession.scalar(select(Article.id).where(Article.key == "cadets"))
    translator, editor = app.test_client(), app.test_client()
    sign_in(translator, "tanja")
    sign_in(editor, "ed")
    edit = f"/admin/articles/{article_id}/sr/"
    assert cell(translator, article_id) == "missing"
    assert counts(translator)["missing"] == 1
    original = page(translator.get(f"/admin/articles/{article_id}/sr/"))
    assert "The original (English)" in original and "Cadets visited Niš." in original

    # The translator writes: in progress, and readers see nothing of it.
    token = csrf_token(page(translator.get(edit)))
    fields = {
        "csrf_token": token,
        "title": "Кадети у Нишу",
        "body": "<p>Кадети су посетили Ниш.</p>",
    }
    assert translator.post(edit, data=fields).status_code == 302
    assert cell(translator, article_id) == "in progress"
    assert app.test_client().get("/sr-cyrl/news/2023/kadeti-u-nisu/").status_code == 404
    assert "Кадети" not in page(app.test_client().get("/sr-cyrl/"))
    assert 'hreflang="sr-Cyrl"' not in page(app.test_client().get("/en/news/2023/cadets-in-nis/"))

    # Ready for review; a translator can never publish.
    assert post(translator, f"{edit}submit", revision=1) == 302
    assert cell(translator, article_id) == "ready for review"
    assert translator.get(f"{edit}review").status_code == 403
    assert post(translator, f"{edit}review", revision=2, publish="") == 403

    # The editor reviews: all of it is new to readers; sends it back, then publishes.
    review = page(editor.get(f"{edit}review"))
    assert "Readers have not seen this translation yet" in review
    assert "<ins>Кадети су посетили Ниш.</ins>" in review
    assert post(editor, f"{edit}review", revision=2, send_back="", comment="Градоначелник?") == 302
    assert cell(translator, article_id) == "in progress"
    assert "Градоначелник?" in page(translator.get(edit))
    assert post(translator, f"{edit}submit", revision=3) == 302
    assert post(editor, f"{edit}review", revision=4, publish="") == 302
    assert cell(editor, article_id) == "up to date"
    public = app.test_client().get("/sr-cyrl/news/2023/kadeti-u-nisu/")
    assert public.status_code == 200 and "Кадети су посетили Ниш." in page(public)

    # The original changes: outdated, until the translator follows it.
    make_article(key="cadets", published="2023-05-10", en={**EN, "body": "<p>Forty cadets.</p>"})
    assert cell(translator, article_id) == "outdated"
    assert counts(translator)["outdated"] == 1
    assert post(translator, f"{edit}up-to-date", revision=5) == 302
    assert cell(translator, article_id) == "up to date"
    # Later edits of a published translation are live: it was reviewed once.
    token = csrf_token(page(translator.get(edit)))
    fields |= {"csrf_token": token, "body": "<p>Четрдесет кадета.</p>", "revision": "6"}
    assert translator.post(edit, data=fields).status_code == 302
    assert "Четрдесет кадета." in page(app.test_client().get("/sr-cyrl/news/2023/kadeti-u-nisu/"))


def test_translators_see_only_their_languages(app, client, make_article, staff):
    make_article(key="cadets", published="2023-05-10", en=EN)
    sign_in(client, "tanja")
    html = page(client.get("/admin/translations/"))
    assert '<th scope="col">Serbian</th>' in html and '<th scope="col">English</th>' not in html
    assert client.get("/admin/translations/?lang=en").status_code == 200  # ignored: their own


def test_the_grid_filters_by_state_language_and_year(app, client, make_article, staff):
    make_article(key="old", published="2022-05-10", en=EN)
    make_article(
        key="both", published="2023-05-10", en={**EN, "title": "Both"}, sr={"title": "Оба"}
    )
    sign_in(client, "ed")
    missing = page(client.get("/admin/translations/?state=missing&lang=sr"))
    assert "Cadets in Niš" in missing and "Both" not in missing
    assert "Both" in page(client.get("/admin/translations/?year=2023"))
    assert "Cadets in Niš" not in page(client.get("/admin/translations/?year=2023"))
    # The English originals are no translation: shown as such, never counted.
    assert page(client.get("/admin/translations/")).count(">original</a>") == 2
    assert counts(client) == {
        "missing": 1,
        "in progress": 0,
        "ready for review": 0,
        "outdated": 0,
        "up to date": 1,
    }


def test_a_translator_works_in_their_own_tool_through_po_files(
    app, client, make_article, staff, tmp_path
):
    make_article(key="cadets", published="2023-05-10", en=EN)
    make_article(key="other", published="2023-05-11", en={"title": "Other"})
    with app.app_context():
        article_id = dbsession.scalar(select(Article.id).where(Article.key == "cadets"))
    sign_in(client, "tanja")
    download = client.get(f"/admin/articles/{article_id}/sr/po")
    assert download.status_code == 200
    assert 'filename="cadets.sr_Cyrl.po"' in download.headers["Content-Disposition"]
    path = tmp_path / "cadets.po"
    path.write_bytes(download.data)
    fill(
        path, {"title": "Кадети у Нишу", "summary": "Посета.", "body/0": "Кадети су посетили Ниш."}
    )
    token = csrf_token(page(client.get(f"/admin/articles/{article_id}/sr/")))
    upload = client.post(
        f"/admin/articles/{article_id}/sr/po",
        data={"csrf_token": token, "file": (path.open("rb"), "cadets.po")},
        content_type="multipart/form-data",
    )
    assert upload.status_code == 302
    assert "Saved as revision 1." in page(client.get(f"/admin/articles/{article_id}/sr/"))
    assert (
        cell(client, article_id) == "in progress"
    )  # a translator's new translation: reviewed first
    # A file of another article is refused, whole.
    other = tmp_path / "other.po"
    with app.app_context():
        other_id = dbsession.scalar(select(Article.id).where(Article.key == "other"))
    other.write_bytes(client.get(f"/admin/articles/{other_id}/sr/po").data)
    fill(other, {"title": "Друго"})
    refused = client.post(
        f"/admin/articles/{article_id}/sr/po",
        data={"csrf_token": token, "file": (other.open("rb"), "other.po")},
        content_type="multipart/form-data",
    )
    assert refused.status_code == 302
    message = page(client.get(f"/admin/articles/{article_id}/sr/"))
    assert "The file was not imported: this file is for other (sr), not this page" in message
