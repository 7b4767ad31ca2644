"""The editors' desk: who may open what, writing, publishing, revisions and lost updates."""

import re
import shutil
import threading
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from mlo import db
from mlo.content.models import Article, ArticleRevision, Revision
from mlo.content.queries import Newsroom
from mlo.db import dbsession
from tests.conftest import PASSWORD, csrf_token, sign_in

# Every back-office endpoint and the roles that may use it. A new route missing here fails
# test_every_back_office_route_has_a_rule, so nobody can add one without deciding who may use it.
ANYONE = {"admin", "editor", "translator"}
EDITORS = {"admin", "editor"}
RULES = {
    "office.login": None,  # open to strangers
    "office.logout": ANYONE,
    "office.account": ANYONE,
    "office.desk_home": ANYONE,
    "office.new_article": EDITORS,
    "office.settings": EDITORS,
    "office.publish": EDITORS,
    "office.unpublish": EDITORS,
    "office.delete": EDITORS,
    "office.restore": EDITORS,
    "office.purge": {"admin"},
    "office.translation": ANYONE,  # the translator's own language (sr) in this walk
    "office.preview": ANYONE,
    "office.history": ANYONE,
    "office.revision": ANYONE,
    "office.restore_revision": ANYONE,
    "office.up_to_date": ANYONE,  # the translator of that language
    "office.catalogs": ANYONE,
    "office.translations": ANYONE,
    "office.submit": ANYONE,  # the translator of that language
    "office.review": EDITORS,
    "office.po_export": ANYONE,  # the translator of that language
    "office.po_import": ANYONE,
    "office.unknown": ANYONE,  # any other /admin/ address: sign in first, then 404
}
EN = {"title": "Meeting in Belgrade", "summary": "Talks.", "body": "<p>Talks in Belgrade.</p>"}
SR = {"title": "Састанак у Београду", "summary": "Разговори.", "body": "<p>Разговори.</p>"}


@pytest.fixture
def article(app, make_article):
    """A published bilingual article (its id)."""
    make_article(key="meeting", published="2023-02-07", en=EN, sr=SR)
    with app.app_context():
        return dbsession.scalar(select(Article.id).where(Article.key == "meeting"))


def page(response) -> str:
    return response.get_data(as_text=True)


def form_of(client, url: str) -> dict[str, str]:
    """The fields of the form with the `revision` on a page, as a browser would post them."""
    html = page(client.get(url))
    fields = dict(re.findall(r'<input [^>]*?name="([^"]+)"[^>]*?value="([^"]*)"', html))
    fields |= {
        name: value
        for name, value in re.findall(
            r'<textarea [^>]*?name="([^"]+)"[^>]*>([^<]*)</textarea>', html
        )
    }
    fields["csrf_token"] = csrf_token(html)
    return {
        k: v.replace("&lt;", "<").replace("&gt;", ">").replace("&#34;", '"')
        for k, v in fields.items()
    }


def test_every_back_office_route_has_a_rule(app):
    endpoints = {
        rule.endpoint for rule in app.url_map.iter_rules() if rule.rule.startswith("/admin")
    }
    assert endpoints == set(RULES)


@pytest.mark.parametrize("who", [None, "tanja", "ed", "ada"])
def test_permission_matrix(app, client, staff, article, who):
    if who:
        assert sign_in(client, who).status_code == 302
    app.config["WTF_CSRF_ENABLED"] = False  # this walk is about roles; CSRF has its own test
    role = staff.get(who)
    values = {"article_id": article, "lang": "sr", "number": 1, "reading": "sr-latn"}
    values["anything"] = "no/such/page"
    adapter = app.url_map.bind("localhost")
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/admin"):
            continue
        url = adapter.build(rule.endpoint, {name: values[name] for name in rule.arguments})
        allowed = RULES[rule.endpoint]
        method = "GET" if "GET" in rule.methods else "POST"
        if rule.endpoint == "office.logout" or (method == "POST" and role in (allowed or ())):
            continue  # doing it would change what the rest of the walk sees
        response = client.open(url, method=method)
        headers = response.headers
        assert headers["Cache-Control"] == "private, no-store", url
        if allowed is None:
            assert response.status_code == 200, url
        elif role is None:
            assert response.status_code == 302, url
            assert headers["Location"].startswith("/admin/login?next="), url
        elif role not in allowed:
            assert response.status_code == 403, url
        else:  # allowed (purging is only for deleted articles, which this one is not)
            expected = 404 if rule.endpoint in ("office.purge", "office.unknown") else 200
            assert response.status_code == expected, (url, response.status_code)
            assert "Сарадња" not in page(response)


def test_a_translator_edits_only_their_languages_and_never_publishes(client, staff, article):
    sign_in(client, "tanja")
    assert client.get(f"/admin/articles/{article}/sr/").status_code == 200
    assert client.get(f"/admin/articles/{article}/en/").status_code == 403
    fields = form_of(client, f"/admin/articles/{article}/sr/")
    assert client.post(f"/admin/articles/{article}/en/", data=fields).status_code == 403
    token = fields["csrf_token"]
    for action in ("publish", "unpublish", "delete", "restore"):
        response = client.post(f"/admin/articles/{article}/{action}", data={"csrf_token": token})
        assert response.status_code == 403, action
    assert "Publish now" not in page(client.get(f"/admin/articles/{article}/sr/"))


def test_forms_without_the_csrf_token_change_nothing(app, client, staff, article):
    sign_in(client, "ed")
    fields = form_of(client, f"/admin/articles/{article}/en/") | {"title": "Hijacked"}
    del fields["csrf_token"]
    assert client.post(f"/admin/articles/{article}/en/", data=fields).status_code == 400
    assert client.post(f"/admin/articles/{article}/unpublish").status_code == 400
    forged = client.post(f"/admin/articles/{article}/delete", data={"csrf_token": "forged"})
    assert forged.status_code == 400
    with app.app_context():
        saved = dbsession.scalar(select(Article).where(Article.id == article))
        assert saved.deleted_at is None and saved.status == "published"
        assert saved.translations["en"].title == EN["title"]


def test_signing_in_and_out(client, staff):
    wrong = sign_in(client, "ed", "not the password")
    assert wrong.status_code == 401 and "Wrong user name or password." in page(wrong)
    unknown = sign_in(client, "nobody")
    assert unknown.status_code == 401 and "Wrong user name or password." in page(unknown)
    response = sign_in(client, "ed")
    assert response.status_code == 302 and response.headers["Location"] == "/admin/"
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert client.get("/admin/").status_code == 200
    token = csrf_token(page(client.get("/admin/")))
    assert client.post("/admin/logout", data={"csrf_token": token}).status_code == 302
    assert client.get("/admin/").status_code == 302


def test_login_goes_back_only_to_a_page_of_the_desk(client, staff):
    token = csrf_token(page(client.get("/admin/login")))
    for target, landing in (
        ("/admin/account", "/admin/account"),
        ("https://evil.example/", "/admin/"),
        ("//evil.example/admin/", "/admin/"),
    ):
        response = client.post(
            f"/admin/login?next={target}",
            data={"csrf_token": token, "username": "ed", "password": PASSWORD},
        )
        assert response.headers["Location"] == landing


def test_failed_sign_ins_are_refused_for_a_while(client, staff):
    for _ in range(5):
        assert sign_in(client, "ed", "guess").status_code == 401
    # Even the right password is refused now, for this account...
    assert sign_in(client, "ed").status_code == 429
    # ...while another account, from the same address, may still sign in.
    assert sign_in(client, "ada").status_code == 302


def test_a_disabled_account_or_a_new_password_ends_sessions(app, client, staff, runner):
    sign_in(client, "ed")
    assert client.get("/admin/").status_code == 200
    result = runner.invoke(args=["users", "reset-password", "ed"], input="new password 1\n" * 2)
    assert result.exit_code == 0, result.output
    assert client.get("/admin/").status_code == 302
    assert sign_in(client, "ed", "new password 1").status_code == 302
    assert runner.invoke(args=["users", "disable", "ed"]).exit_code == 0
    assert client.get("/admin/").status_code == 302
    assert sign_in(client, "ed", "new password 1").status_code == 401


def test_users_command(runner, app):
    result = runner.invoke(
        args=["users", "create", "Mila", "--role", "translator", "--languages", "sr"],
        input=f"{PASSWORD}\n{PASSWORD}\n",
    )
    assert result.exit_code == 0, result.output
    taken = runner.invoke(
        args=["users", "create", "mila", "--role", "editor"], input=f"{PASSWORD}\n" * 2
    )
    assert taken.exit_code == 1 and "the user name 'mila' is taken" in taken.output
    assert "Traceback" not in taken.output
    bad_role = runner.invoke(args=["users", "create", "x1", "--role", "boss"], input="")
    assert bad_role.exit_code == 2 and "'boss' is not one of" in bad_role.output
    short = runner.invoke(
        args=["users", "create", "x2", "--role", "editor"], input="short\nshort\n"
    )
    assert short.exit_code == 1 and "at least 10 characters" in short.output
    mismatch = runner.invoke(
        args=["users", "create", "x3", "--role", "editor"], input=f"{PASSWORD}\nother\n"
    )
    assert mismatch.exit_code != 0
    assert runner.invoke(args=["users", "set-role", "mila", "editor"]).exit_code == 0
    assert "mila  editor  active" in runner.invoke(args=["users", "list"]).output
    assert runner.invoke(args=["users", "disable", "mila"]).exit_code == 0
    assert "mila  editor  disabled" in runner.invoke(args=["users", "list"]).output
    assert runner.invoke(args=["users", "disable", "ghost"]).exit_code == 1


def test_an_editor_writes_publishes_and_readers_see_it_only_then(app, client, staff):
    sign_in(client, "ed")
    token = csrf_token(page(client.get("/admin/articles/new")))
    created = client.post(
        "/admin/articles/new",
        data={
            "csrf_token": token,
            "source": "en",
            "title": "Desk news",
            "published": "2025-03-01T10:00",
        },
    )
    edit = created.headers["Location"]
    fields = form_of(client, edit) | {
        "summary": "From the desk.",
        "body": "<p>Written at the desk.</p>",
    }
    assert client.post(edit, data=fields).status_code == 302
    assert client.get("/en/news/2025/desk-news/").status_code == 404  # a draft
    article_id = int(edit.split("/")[3])
    preview = client.get(f"/admin/articles/{article_id}/en/preview/en/")
    assert preview.status_code == 200 and "Written at the desk." in page(preview)
    assert preview.headers["Cache-Control"] == "private, no-store"
    assert '<meta name="robots" content="noindex">' in page(preview)
    assert '<html lang="en">' in page(preview)
    settings = form_of(client, f"/admin/articles/{article_id}/")
    published = client.post(
        f"/admin/articles/{article_id}/publish",
        data={"csrf_token": settings["csrf_token"], "revision": settings["revision"]},
    )
    assert published.status_code == 302
    # Its date (2025, already past) is kept: publishing now does not move it in the archive.
    assert "Written at the desk." in page(client.get("/en/news/2025/desk-news/"))
    assert "Desk news" in page(client.get("/en/"))
    outsider = app.test_client()
    assert outsider.get(f"/admin/articles/{article_id}/en/preview/en/").status_code == 302


def test_scheduled_articles_appear_at_their_time_and_not_a_second_before(app, make_article):
    make_article(key="later", published="2030-05-01T09:00:00+02:00", en={"title": "Later"})
    with app.app_context():
        moment = dbsession.scalar(select(Article.published_at).where(Article.key == "later"))
        zone = app.config["NEWSROOM_TIMEZONE"]
        before = Newsroom(zone, moment - timedelta(seconds=1))
        at = Newsroom(zone, moment)
        assert before.latest("en", 5) == [] and before.find("en", "later") is None
        assert [t.title for t in at.latest("en", 5)] == ["Later"]
        assert at.find("en", "later") is not None


def test_settings_schedule_unpublish_delete_restore_purge(app, client, staff, article):
    sign_in(client, "ed")
    url = f"/admin/articles/{article}/"
    fields = form_of(client, url) | {"published": "2099-01-01T08:00", "status": "published"}
    assert client.post(url, data=fields).status_code == 302
    assert "Scheduled" in page(client.get(url))
    assert client.get("/en/news/2023/meeting-in-belgrade/").status_code == 404
    fields = form_of(client, url)
    client.post(
        f"{url}unpublish", data={"csrf_token": fields["csrf_token"], "revision": fields["revision"]}
    )
    with app.app_context():
        assert dbsession.get(Article, article).status == "draft"
    confirm = client.get(f"{url}delete")
    assert "Delete this article?" in page(confirm)
    fields = form_of(client, f"{url}delete")
    assert client.post(f"{url}delete", data=fields).status_code == 302
    assert "in the trash" in page(client.get(url))
    assert "Meeting in Belgrade" in page(client.get("/admin/?state=deleted"))
    assert "Meeting in Belgrade" not in page(client.get("/admin/"))
    assert client.get(f"{url}purge").status_code == 403  # editors do not purge
    fields = form_of(client, url)
    client.post(
        f"{url}restore", data={"csrf_token": fields["csrf_token"], "revision": fields["revision"]}
    )
    with app.app_context():
        assert dbsession.get(Article, article).deleted_at is None
        notes = dbsession.scalars(
            select(ArticleRevision.note).where(ArticleRevision.article_id == article)
        ).all()
    assert "deleted" in notes and "restored" in notes and "unpublished" in notes


def test_admin_purges_a_deleted_article(app, client, staff, article):
    sign_in(client, "ada")
    url = f"/admin/articles/{article}/"
    fields = form_of(client, f"{url}delete")
    client.post(f"{url}delete", data=fields)
    fields = form_of(client, f"{url}purge")
    assert client.post(f"{url}purge", data=fields).status_code == 302
    with app.app_context():
        assert dbsession.get(Article, article) is None
        assert dbsession.scalar(select(func.count()).select_from(Revision)) == 0


def test_the_sanitizer_asks_before_removing_anything(app, client, staff, article):
    sign_in(client, "ed")
    url = f"/admin/articles/{article}/en/"
    fields = form_of(client, url) | {"body": '<p onclick="steal()">Hi <script>x()</script></p>'}
    shown = client.post(url, data=fields)
    assert shown.status_code == 200
    assert "<code>onclick on &lt;p&gt;</code>" in page(
        shown
    ) and "<code>&lt;script&gt;</code>" in page(shown)
    with app.app_context():
        assert dbsession.get(Article, article).translations["en"].revision == 1  # not saved
    fields["confirmed_cleaning"] = "yes"
    assert client.post(url, data=fields).status_code == 302
    with app.app_context():
        assert dbsession.get(Article, article).translations["en"].body == "<p>Hi x()</p>"


def test_serbian_typed_in_latin_is_shown_in_both_scripts_before_saving(app, client, staff, article):
    sign_in(client, "ed")
    url = f"/admin/articles/{article}/sr/"
    fields = form_of(client, url) | {"title": "Sastanak u Nišu", "body": "<p>Džon je došao.</p>"}
    shown = page(client.post(url, data=fields))
    assert 'value="Састанак у Нишу"' in shown and "Džon je došao." in shown
    with app.app_context():
        assert dbsession.get(Article, article).translations["sr"].title == SR["title"]
    fields = form_of_html(shown)
    fields["title"] = "Састанак у Нишу"  # the editor corrects nothing and saves
    assert client.post(url, data=fields).status_code == 302
    with app.app_context():
        saved = dbsession.get(Article, article).translations["sr"]
        assert saved.title == "Састанак у Нишу" and saved.body == "<p>Џон је дошао.</p>"


def form_of_html(html: str) -> dict[str, str]:
    fields = dict(re.findall(r'<input [^>]*?name="([^"]+)"[^>]*?value="([^"]*)"', html))
    fields |= dict(re.findall(r'<textarea [^>]*?name="([^"]+)"[^>]*>([^<]*)</textarea>', html))
    return {k: v.replace("&lt;", "<").replace("&gt;", ">") for k, v in fields.items()}


def test_revision_history_diff_and_restore(app, client, staff, article):
    sign_in(client, "ed")
    url = f"/admin/articles/{article}/en/"
    for body in ("<p>Talks in Niš today.</p>", "<p>Talks in Niš.</p>"):
        assert client.post(url, data=form_of(client, url) | {"body": body}).status_code == 302
    history = page(client.get(f"{url}history"))
    assert history.count("<tr>") == 4  # a header and revisions 1-3
    assert "ed" in history and "import" in history
    change = page(client.get(f"{url}revisions/2/"))
    assert "<del>Belgrade</del>" in change and "<ins>Niš today</ins>" in change
    token = form_of(client, f"{url}revisions/1/")
    restored = client.post(f"{url}revisions/1/restore", data=token)
    assert restored.status_code == 302
    with app.app_context():
        saved = dbsession.get(Article, article).translations["en"]
        assert saved.revision == 4 and saved.body == EN["body"]
        notes = dbsession.scalars(select(Revision.note).where(Revision.translation_id == saved.id))
        assert "restored revision 1" in list(notes)


def test_a_save_over_a_newer_revision_gets_the_merge_page(app, staff, article):
    first, second = app.test_client(), app.test_client()
    sign_in(first, "ed")
    sign_in(second, "ada")
    url = f"/admin/articles/{article}/en/"
    mine, theirs = form_of(first, url), form_of(second, url)
    assert (
        second.post(url, data=theirs | {"body": "<p>Their careful words.</p>"}).status_code == 302
    )
    conflict = first.post(url, data=mine | {"body": "<p>My own words.</p>"})
    assert conflict.status_code == 409
    html = page(conflict)
    assert "Someone saved this text while you were writing" in html
    assert "Their careful words." in html  # their version
    assert "My own words." in html  # my text, still in the form
    assert "by ada" in html
    merged = form_of_html(html) | {"body": "<p>Their careful words. My own words.</p>"}
    merged["csrf_token"] = mine["csrf_token"]
    assert first.post(url, data=merged).status_code == 302
    with app.app_context():
        saved = dbsession.get(Article, article).translations["en"]
        assert saved.revision == 3 and "Their careful words. My own words." in saved.body


@pytest.mark.parametrize("writers", [6])
def test_two_writers_at_once_lose_nothing(app, staff, article, writers):
    url = f"/admin/articles/{article}/en/"
    clients = [app.test_client() for _ in range(writers)]
    forms = []
    for index, client in enumerate(clients):
        sign_in(client, "ed" if index % 2 else "ada")
        forms.append(form_of(client, url))
    statuses: list[int] = []
    start = threading.Barrier(writers)

    def save(index: int) -> None:
        start.wait()
        body = f"<p>Writer {index} was here.</p>"
        statuses.append(clients[index].post(url, data=forms[index] | {"body": body}).status_code)

    threads = [threading.Thread(target=save, args=(i,)) for i in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # All loaded revision 1: exactly one save wins, every other writer gets the merge page.
    assert sorted(statuses) == [302] + [409] * (writers - 1)
    with app.app_context():
        saved = dbsession.get(Article, article).translations["en"]
        numbers = dbsession.scalars(
            select(Revision.number).where(Revision.translation_id == saved.id)
        )
        assert saved.revision == 2 and sorted(numbers) == [1, 2]


def test_a_save_waits_for_a_running_import_or_says_the_newsroom_is_busy(
    app, staff, article, monkeypatch
):
    if not app.config["DATABASE_URL"].startswith("sqlite"):
        pytest.skip("SQLite's single writer; PostgreSQL writers wait on row locks")
    client = app.test_client()
    sign_in(client, "ed")
    url = f"/admin/articles/{article}/en/"
    with app.app_context():
        blocker = db.write_engine(db.engine()).connect()
    # Another writer (an import, say) holds the write lock for a while.
    blocker.begin()
    release = threading.Timer(0.5, blocker.rollback)
    release.start()
    saved = client.post(url, data=form_of(client, url) | {"body": "<p>Waited my turn.</p>"})
    release.join()
    assert saved.status_code == 302
    monkeypatch.setattr(db, "SQLITE_BUSY_TIMEOUT", 200)
    blocker.begin()
    try:
        busy = client.post(url, data=form_of(client, url) | {"body": "<p>Keep these words.</p>"})
    finally:
        blocker.rollback()
        blocker.close()
    assert busy.status_code == 503
    assert "The newsroom is busy" in page(busy) and "Keep these words." in page(busy)


def test_imports_write_revisions_by_import(app, article):
    with app.app_context():
        authors = dbsession.scalars(select(Revision.author)).all()
        assert set(authors) == {"import"} and len(authors) == 2
        assert dbsession.scalar(select(ArticleRevision.author)) == "import"


def test_the_desk_lists_filters_and_finds_titles_in_either_script(client, staff, make_article):
    make_article(key="a", published="2022-05-01", sr={"title": "Ћевапи у Лесковцу"})
    make_article(key="b", published="2023-05-01", status="draft", en={"title": "A draft"})
    make_article(key="c", published="2099-05-01", en={"title": "Far future"})
    sign_in(client, "ed")
    everything = page(client.get("/admin/"))
    assert everything.index("Far future") < everything.index("A draft") < everything.index("Ћевапи")
    assert "Far future" in page(client.get("/admin/?state=scheduled"))
    assert "Far future" not in page(client.get("/admin/?state=draft"))
    assert "A draft" in page(client.get("/admin/?state=draft&year=2023"))
    assert "Ћевапи" in page(client.get("/admin/?q=cevapi"))
    assert "Ћевапи" in page(client.get("/admin/?q=ĆEVAPI u Leskovcu"))
    assert "Ћевапи" not in page(client.get("/admin/?lang=en"))
    assert client.get("/admin/?page=99").status_code == 404
    assert client.get("/admin/?year=99999&state=bogus&lang=xx").status_code == 200


def test_each_user_chooses_the_language_of_the_back_office(client, staff):
    sign_in(client, "tanja")
    assert "Articles" in page(client.get("/admin/"))
    fields = form_of(client, "/admin/account") | {"interface": "sr-latn"}
    assert client.post("/admin/account", data=fields).status_code == 302
    desk = page(client.get("/admin/"))
    assert '<html lang="sr-Latn">' in desk and "<h1>Članci</h1>" in desk
    assert "0 članaka" in desk  # the three Serbian plural forms


def test_no_back_office_page_is_cached_or_shows_drafts_to_strangers(client, make_article, staff):
    make_article(key="secret", status="draft", en={"title": "Secret draft"})
    for url in ("/admin/", "/admin/login", "/admin/articles/1/en/preview/en/", "/admin/nowhere"):
        response = client.get(url)
        assert response.headers["Cache-Control"] == "private, no-store", url
        assert "Secret draft" not in page(response)


def test_careless_and_hostile_input_never_breaks_the_desk(app, client, staff, article):
    """What a review found: each once answered 500."""
    token = csrf_token(page(client.get("/admin/login")))
    login = client.post(
        "/admin/login?next=/admin/%0d%0aX:1",
        data={"csrf_token": token, "username": "ed", "password": PASSWORD},
    )
    assert login.status_code == 302 and login.headers["Location"] == "/admin/"
    url = f"/admin/articles/{article}/en/"
    fields = form_of(client, url)
    bare = {"csrf_token": fields["csrf_token"], "title": "Only a title", "revision": "1"}
    assert client.post(url, data=bare).status_code == 302  # no summary, no body: both empty
    huge = form_of(client, url) | {"revision": "9" * 30, "body": "<p>Mine.</p>"}
    assert client.post(url, data=huge).status_code == 409
    nul = form_of(client, url) | {"title": "Bad\x00title"}
    assert "cannot be stored" in page(client.post(url, data=nul))
    settings = form_of(client, f"/admin/articles/{article}/")
    ancient = client.post(
        f"/admin/articles/{article}/", data=settings | {"published": "0001-01-01T00:00"}
    )
    assert ancient.status_code == 200 and "Choose a year from 2 to 9998." in page(ancient)
    forged = settings | {"revision": "9" * 30}
    assert client.post(f"/admin/articles/{article}/publish", data=forged).status_code == 400
    new = form_of(client, "/admin/articles/new") | {"title": "Old", "published": "0001-01-01T00:00"}
    assert "Choose a year from 2 to 9998." in page(client.post("/admin/articles/new", data=new))
    with app.app_context():
        saved = dbsession.get(Article, article).translations["en"]
        assert (saved.title, saved.summary, saved.body) == ("Only a title", "", "")


def test_the_year_filter_offers_only_years_with_articles(client, staff, make_article):
    make_article(key="one", published="1999-12-31T23:30:00+01:00")  # local 1999, UTC 1999
    make_article(key="two", published="2024-01-01T00:30:00+01:00")  # local 2024, UTC 2023
    sign_in(client, "ed")
    offered = re.findall(r'<option value="(\d{4})"', page(client.get("/admin/")))
    assert offered == ["2024", "1999"]


def test_restoring_the_current_revision_changes_nothing(app, client, staff, article):
    sign_in(client, "ed")
    url = f"/admin/articles/{article}/en/"
    token = csrf_token(page(client.get(f"{url}revisions/1/")))
    response = client.post(f"{url}revisions/1/restore", data={"csrf_token": token, "revision": 1})
    assert response.status_code == 302
    assert "Nothing changed: no new revision." in page(client.get(url))


def test_translators_see_the_catalogs_coverage_and_what_is_left(app, client, staff, tmp_path):
    from mlo.catalogs import files

    copy = tmp_path / "translations"
    shutil.copytree(files.root(), copy)
    po = files.po_path(copy, "sr_Cyrl")
    po.write_text(po.read_text("utf-8").replace('msgstr "Новије"', 'msgstr ""'), "utf-8")
    app.config["BABEL_TRANSLATION_DIRECTORIES"] = str(copy)
    sign_in(client, "tanja")
    html = page(client.get("/admin/catalogs"))
    assert "Still to translate in sr_Cyrl" in html and '<strong lang="en">Newer</strong>' in html
    assert "link to the previous page of a list, which holds newer articles." in html
    assert "TRANSLATING.md" in html
