"""The editors' desk: sign in, the list of articles, settings, translations, previews, history.

Views are thin: forms validate, mlo.content.operations writes, the request boundary commits.
"""

import re
from datetime import datetime
from typing import Any

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import refresh
from flask_login import current_user, login_user, logout_user
from flask_wtf import FlaskForm
from sqlalchemy import select
from sqlalchemy.exc import OperationalError
from werkzeug.security import check_password_hash

from mlo import db, locales
from mlo.config import catalog_folder
from mlo.content import memory, operations
from mlo.content.models import Article, ArticleRevision, Translation, utcnow
from mlo.content.queries import outdated
from mlo.db import dbsession
from mlo.locales import CODES, Locale
from mlo.office import accounts, desk, grid
from mlo.office.auth import (
    EDITORS,
    PER_ACCOUNT,
    PER_ADDRESS,
    attempted_account,
    failed,
    limiter,
    requires,
)
from mlo.office.forms import (
    AccountForm,
    ActionForm,
    LoginForm,
    NewArticleForm,
    PoUploadForm,
    ReviewForm,
    SettingsForm,
    TranslationForm,
    language_name,
)
from mlo.text import dates, diff, translit
from mlo.text.html import blocks, plain_text, removed_by_sanitize
from mlo.text.slugs import slugify
from mlo.web.i18n import _, visitor_locale
from mlo.web.urls import newsroom

bp = Blueprint("office", __name__, url_prefix="/admin")
DESK_PAGE = 25
GRID_PAGE = 50
MAX_PO_BYTES = 5_000_000
SAFE_NEXT = re.compile(r"/admin/[A-Za-z0-9._~/?&=%+-]*")
# A hash to check a password against when the user name is unknown, so that the answer takes
# as long as for a real account and does not tell which names exist.
_NOBODY = "scrypt:32768:8:1$nobody$" + "0" * 128


@bp.before_request
def interface_locale() -> None:
    """The back office speaks the signed-in user's chosen locale (else the browser's)."""
    chosen = current_user.is_authenticated and locales.BY_PREFIX.get(current_user.interface)
    g.locale = chosen or visitor_locale()
    # Read now: a write begins with a rollback, which expires the loaded user.
    g.author = current_user.username if current_user.is_authenticated else None


@bp.context_processor
def languages() -> dict[str, Any]:
    """The article languages and the signed-in user, for every back-office template."""
    return {"languages": CODES, "current_user": current_user}


bp.add_app_template_global(language_name)


@bp.errorhandler(OperationalError)
def busy(_error: OperationalError) -> tuple[str, int]:
    """Another writer held the database past the wait: say so, never a traceback."""
    db.end_write()
    return render_template("office/busy.html"), 503


def author() -> str:
    """Who the revisions written in this request are by."""
    return g.author


def start_write() -> None:
    """Begin this request's write transaction now: on SQLite, wait for the write lock here
    (up to the busy timeout), before anything is read that the write depends on."""
    db.begin_write()
    dbsession.connection()


# --- signing in ----------------------------------------------------------------------------------


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(PER_ACCOUNT, key_func=attempted_account, methods=["POST"], deduct_when=failed)
@limiter.limit(PER_ADDRESS, methods=["POST"], deduct_when=failed)
def login() -> Response | tuple[str, int] | str:
    """Sign in; a wrong name or password says only that, and counts against the throttle."""
    form = LoginForm()
    if not form.validate_on_submit():
        return render_template("office/login.html", form=form), 400 if form.is_submitted() else 200
    user = accounts.find(form.username.data)
    if user is None or not user.active:
        check_password_hash(_NOBODY, form.password.data)  # the same time as a real check
    elif user.check_password(form.password.data):
        login_user(user)
        session.permanent = True
        return redirect(_next_page())
    form.form_errors.append(_("Wrong user name or password."))
    return render_template("office/login.html", form=form), 401


def _next_page() -> str:
    # Only a plain path of the desk: never another host, a scheme, or a header-breaking byte.
    target = request.args.get("next", "")
    if not SAFE_NEXT.fullmatch(target) or "//" in target or ".." in target:
        return url_for("office.desk_home")
    return target


@bp.post("/logout")
@requires()
def logout() -> Response:
    """Sign out."""
    if FlaskForm().validate_on_submit():  # its CSRF token only
        logout_user()
    return redirect(url_for("office.login"))


@bp.route("/account", methods=["GET", "POST"])
@requires()
def account() -> Response | str:
    """The signed-in user's own settings: the language of the back office."""
    form = AccountForm(interface=current_user.interface or g.locale.prefix)
    if form.validate_on_submit():
        start_write()
        current_user.interface = form.interface.data
        db.commit_when_done()
        flash(_("Your settings are saved."))
        return redirect(url_for("office.account"))
    return render_template("office/account.html", form=form)


# --- the desk ------------------------------------------------------------------------------------


@bp.get("/")
@requires()
def desk_home() -> str:
    """Every article, newest first, by state, year, language and title."""
    zone, now = current_app.config["NEWSROOM_TIMEZONE"], utcnow()
    state = request.args.get("state", "")
    year = request.args.get("year", "")
    lang = request.args.get("lang", "")
    filters = desk.Filters(
        state=state if state in desk.STATES else "",
        year=int(year) if year.isascii() and year.isdigit() and 1 <= int(year) <= 9998 else None,
        lang=lang if lang in CODES else "",
        title=request.args.get("q", "")[:200],
    )
    page = desk.desk_page(filters, zone, now, _page_number(), DESK_PAGE)
    if page.number > page.pages:
        abort(404)
    return render_template(
        "office/desk.html",
        page=page,
        filters=filters,
        years=desk.years(zone),
        states=desk.STATES,
        state_of=lambda article: desk.state_of(article, now),
        zone=zone,
    )


def _page_number() -> int:
    raw = request.args.get("page", "1")
    if not raw.isascii() or not raw.isdigit() or len(raw) > 6 or int(raw) < 1:
        abort(404)
    return int(raw)


def _article(article_id: int) -> Article:
    article = dbsession.get(Article, article_id)
    if article is None:
        abort(404)
    return article


def _local(moment: datetime) -> datetime:
    # The form's naive datetime-local value, in the newsroom's time zone.
    return dates.to_local(moment, current_app.config["NEWSROOM_TIMEZONE"]).replace(tzinfo=None)


def _stored(local: datetime) -> datetime:
    return dates.to_utc(local, current_app.config["NEWSROOM_TIMEZONE"])


# --- articles ------------------------------------------------------------------------------------


@bp.route("/articles/new", methods=["GET", "POST"])
@requires(*EDITORS)
def new_article() -> Response | str:
    """Start an article: its language, title and time; a draft until it is published."""
    form = NewArticleForm()
    if request.method == "GET":
        form.published.data = _local(utcnow()).replace(second=0, microsecond=0)
    if not form.validate_on_submit():
        return render_template("office/new_article.html", form=form)
    start_write()
    local = form.published.data
    article = Article(key=_free_key(f"{local.date().isoformat()}-{slugify(form.title.data)}"))
    dbsession.add(article)
    operations.save_settings(
        article, _stored(local), "draft", form.source.data, author=author(), note="created"
    )
    text = operations.prepare_text(form.source.data, form.title.data, "", "")
    operations.put_translation(article, form.source.data, text, author=author())
    dbsession.flush()
    db.commit_when_done()
    return redirect(url_for("office.translation", article_id=article.id, lang=form.source.data))


def _free_key(base: str) -> str:
    base = base.strip("-")[:90] or "article"
    key, number = base, 1
    while dbsession.scalar(select(Article.id).where(Article.key == key)):
        number += 1
        key = f"{base}-{number}"
    return key


@bp.route("/articles/<int:article_id>/", methods=["GET", "POST"])
@requires(*EDITORS)
def settings(article_id: int) -> Response | str | tuple[str, int]:
    """An article's settings: source language, publication time, status."""
    article = _article(article_id)
    form = SettingsForm(
        source=article.source_lang,
        published=_local(article.published_at),
        status=article.status,
        revision=article.revision,
    )
    if not form.validate_on_submit():
        return _settings_page(article, form)
    start_write()
    article = _article(article_id)
    try:
        operations.save_settings(
            article,
            _stored(form.published.data),
            form.status.data,
            form.source.data,
            author=author(),
            expected=form.revision.data,
        )
    except operations.Conflict:
        dbsession.rollback()
        article = _article(article_id)
        form.revision.data = article.revision
        return _settings_page(article, form, conflict=True), 409
    db.commit_when_done()
    flash(_("The settings are saved."))
    return redirect(url_for("office.settings", article_id=article_id))


def _settings_page(article: Article, form: SettingsForm, conflict: bool = False) -> str:
    history = dbsession.scalars(
        select(ArticleRevision)
        .where(ArticleRevision.article_id == article.id)
        .order_by(ArticleRevision.number.desc())
    )
    return render_template(
        "office/settings.html",
        article=article,
        form=form,
        action=ActionForm(revision=article.revision),
        history=list(history),
        conflict=conflict,
        state=desk.state_of(article, utcnow()),
    )


def _act(article_id: int, change: Any, done: str) -> Response | tuple[str, int]:
    # A button on the settings page: publish now, unpublish, delete, restore, purge.
    form = ActionForm()
    if not form.validate_on_submit():
        abort(400)
    start_write()
    article = _article(article_id)
    try:
        change(article, form.revision.data)
    except (operations.Conflict, ValueError):
        dbsession.rollback()
        flash(_("Someone changed this article meanwhile: check it and try again."), "error")
        return redirect(url_for("office.settings", article_id=article_id))
    db.commit_when_done()
    flash(done)
    return redirect(url_for("office.settings", article_id=article_id))


@bp.post("/articles/<int:article_id>/publish")
@requires(*EDITORS)
def publish(article_id: int) -> Response | tuple[str, int]:
    """Publish now (a publication time still to come becomes now; a past one is kept)."""
    return _act(
        article_id,
        lambda article, expected: operations.save_settings(
            article,
            min(article.published_at, utcnow().replace(microsecond=0)),
            "published",
            article.source_lang,
            author=author(),
            expected=expected,
            note="published",
        ),
        _("Published."),
    )


@bp.post("/articles/<int:article_id>/unpublish")
@requires(*EDITORS)
def unpublish(article_id: int) -> Response | tuple[str, int]:
    """Back to draft: readers no longer see it."""
    return _act(
        article_id,
        lambda article, expected: operations.save_settings(
            article,
            article.published_at,
            "draft",
            article.source_lang,
            author=author(),
            expected=expected,
            note="unpublished",
        ),
        _("Unpublished: the article is a draft again."),
    )


@bp.route("/articles/<int:article_id>/delete", methods=["GET", "POST"])
@requires(*EDITORS)
def delete(article_id: int) -> Response | tuple[str, int] | str:
    """Ask, then move the article to the trash (it can be restored)."""
    if request.method == "GET":
        article = _article(article_id)
        form = ActionForm(revision=article.revision)
        return render_template("office/confirm.html", article=article, form=form, purge=False)
    return _act(
        article_id,
        lambda article, expected: operations.delete_article(
            article, utcnow(), author=author(), expected=expected
        ),
        _("Deleted. The article is in the trash and can be restored."),
    )


@bp.post("/articles/<int:article_id>/restore")
@requires(*EDITORS)
def restore(article_id: int) -> Response | tuple[str, int]:
    """Take the article out of the trash."""
    return _act(
        article_id,
        lambda article, expected: operations.restore_article(
            article, author=author(), expected=expected
        ),
        _("Restored."),
    )


@bp.route("/articles/<int:article_id>/purge", methods=["GET", "POST"])
@requires("admin")
def purge(article_id: int) -> Response | tuple[str, int] | str:
    """Ask, then remove a deleted article for good (admins only)."""
    article = _article(article_id)
    if article.deleted_at is None:
        abort(404)
    form = ActionForm(revision=article.revision)
    if not form.validate_on_submit():
        return render_template("office/confirm.html", article=article, form=form, purge=True)
    start_write()
    operations.purge_article(_article(article_id))
    db.commit_when_done()
    flash(_("The article is removed for good."))
    return redirect(url_for("office.desk_home", state="deleted"))


# --- translations --------------------------------------------------------------------------------


def _editable(article_id: int, lang: str) -> tuple[Article, Translation | None]:
    if lang not in CODES:
        abort(404)
    article = _article(article_id)
    if not current_user.may_edit(lang):
        abort(403)
    return article, article.translations.get(lang)


@bp.route("/articles/<int:article_id>/<lang>/", methods=["GET", "POST"])
@requires()
def translation(article_id: int, lang: str) -> Response | str | tuple[str, int]:
    """Write one language of an article: a new revision at each save, never over a newer one."""
    article, current = _editable(article_id, lang)
    if request.method == "GET":
        form = TranslationForm(obj=current)
        form.revision.data = str(current.revision) if current else ""
        return _translation_page(article, lang, current, form)
    form = TranslationForm()
    if not form.validate_on_submit():
        return _translation_page(article, lang, current, form)
    body, summary = form.body.data or "", form.summary.data or ""
    removed = removed_by_sanitize(body)
    if removed and form.confirmed_cleaning.data != "yes":
        form.confirmed_cleaning.data = "yes"
        return _translation_page(article, lang, current, form, removed=removed)
    text = operations.prepare_text(lang, form.title.data, summary, body)
    if text.converted and form.confirmed_cyrillic.data != "yes":
        # Show the Cyrillic (editable) beside its Latin reading before anything is saved.
        form.confirmed_cyrillic.data = "yes"
        form.title.data, form.summary.data, form.body.data = text.title, text.summary, text.body
        return _translation_page(article, lang, current, form, converted=text)
    try:
        start_write()
    except OperationalError:
        # Past the wait another writer still holds the database: the text stays in the form.
        db.end_write()
        article, current = _editable(article_id, lang)
        return _translation_page(article, lang, current, form, busy=True), 503
    article, current = _editable(article_id, lang)
    expected = form.expected_revision()
    try:
        if current is not None and expected is None:
            raise operations.Conflict("created by someone else since the form was loaded")
        changed = operations.put_translation(
            article,
            lang,
            text,
            form.slug.data or None,
            author=author(),
            expected=expected,
            minor=bool(form.minor.data) and current_user.may_publish,
            # An editor's new translation is published; a translator's waits for review.
            state="published" if current_user.may_publish else "in_progress",
        )
        dbsession.flush()
    except operations.Conflict:
        dbsession.rollback()
        article, current = _editable(article_id, lang)
        return _conflict_page(article, lang, current, form), 409
    except operations.SlugTaken:
        dbsession.rollback()
        article, current = _editable(article_id, lang)
        form.slug.errors = [_("Another article already uses this address.")]
        return _translation_page(article, lang, current, form), 409
    db.commit_when_done()
    saved = article.translations[lang]
    if changed:
        flash(_("Saved as revision %(number)d.", number=saved.revision))
    else:
        flash(_("Nothing changed: no new revision."))
    return redirect(url_for("office.translation", article_id=article_id, lang=lang))


def _translation_page(
    article: Article,
    lang: str,
    current: Translation | None,
    form: TranslationForm,
    removed: list[str] | None = None,
    converted: operations.Text | None = None,
    theirs: Translation | None = None,
    busy: bool = False,
) -> str:
    latin = None
    if converted is not None:
        latin = {
            "title": translit.to_latin(converted.title),
            "summary": translit.to_latin(converted.summary),
            "body": translit.to_latin_html(converted.body),
        }
    return render_template(
        "office/translation.html",
        article=article,
        lang=lang,
        current=current,
        form=form,
        removed=removed or [],
        latin=latin,
        theirs=theirs,
        last_author=theirs and desk.revision(theirs, theirs.revision).author,
        reading=locales.for_languages({lang}),
        busy=busy,
        source_changes=_source_changes(current),
        suggestions=_suggestions(article, lang),
        memory_tags=[block.tag or "p" for block in blocks(article.source.body)]
        if article.source
        else [],
        upload=PoUploadForm(),
        action=ActionForm(revision=current.revision if current else 0),
        state=desk.state_of(article, utcnow()),
    )


def _suggestions(article: Article, lang: str) -> list[dict[str, Any]]:
    # For each part of the source: up to three translations of similar texts from the memory.
    source = article.source
    if source is None or source.lang == lang:
        return []
    parts = [("title", source.title), ("summary", source.summary)]
    parts += [
        (f"body/{index}", plain_text(block.inner))
        for index, block in enumerate(blocks(source.body))
    ]
    found = memory.suggest([text for _, text in parts], source.lang, lang, article.id)
    return [
        {
            "part": part,
            "text": text,
            "suggestions": hits,
            "exact": any(hit.score == 100 for hit in hits),
        }
        for (part, text), hits in zip(parts, found, strict=True)
        if text.strip()
    ]


def _source_changes(current: Translation | None) -> dict[str, Any] | None:
    # What changed in the source since this translation was made, part by part.
    if current is None or not current.is_stale():
        return None
    source = current.article.source
    then = desk.revision(source, current.source_revision or 0)
    old = (then.title, then.summary, then.body) if then else ("", "", "")
    return {
        "since": current.source_revision,
        "now": source.revision,
        "title": diff.words(old[0], source.title),
        "summary": diff.words(old[1], source.summary),
        "body": diff.html_blocks(old[2], source.body),
    }


@bp.post("/articles/<int:article_id>/<lang>/up-to-date")
@requires()
def up_to_date(article_id: int, lang: str) -> Response:
    """The translator has followed the changed source: the translation is up to date."""
    form = ActionForm()
    if not form.validate_on_submit():
        abort(400)
    start_write()
    article, translation = _editable(article_id, lang)
    if translation is None or not translation.is_stale():
        abort(404)
    try:
        operations.mark_up_to_date(translation, author=author(), expected=form.revision.data)
    except operations.Conflict:
        dbsession.rollback()
        flash(_("Someone saved this text meanwhile: check it and try again."), "error")
        return redirect(url_for("office.translation", article_id=article_id, lang=lang))
    db.commit_when_done()
    flash(_("Marked up to date with the original."))
    return redirect(url_for("office.translation", article_id=article_id, lang=lang))


def _conflict_page(article: Article, lang: str, theirs: Translation, form: TranslationForm) -> str:
    # The form keeps the writer's text; it now answers the newer revision, so saving the merge
    # works, and the page shows both versions with their differences.
    form.revision.data = str(theirs.revision)
    form.confirmed_cleaning.data = form.confirmed_cyrillic.data = ""
    return _translation_page(article, lang, theirs, form, theirs=theirs)


@bp.get("/articles/<int:article_id>/<lang>/preview/<locale:reading>/")
@requires()
def preview(article_id: int, lang: str, reading: Locale) -> str:
    """The translation exactly as readers will see it in one locale, whatever its status."""
    article = _article(article_id)
    translation = article.translations.get(lang)
    if translation is None or reading.lang != lang:
        abort(404)
    g.locale = reading
    refresh()  # Babel chose the back office's language already; the page is the reader's
    return render_template(
        "article.html",
        translation=translation,
        year=newsroom().local_year(article),
        alternates=[],
        switch=[
            (other, url_for(".preview", article_id=article_id, lang=lang, reading=other))
            for other in locales.for_languages({lang})
        ],
        preview=True,
        outdated=outdated(translation),
    )


@bp.get("/articles/<int:article_id>/<lang>/history")
@requires()
def history(article_id: int, lang: str) -> str:
    """Every revision of a translation, newest first."""
    article = _article(article_id)
    translation = article.translations.get(lang)
    if translation is None:
        abort(404)
    return render_template(
        "office/history.html",
        article=article,
        translation=translation,
        revisions=desk.revisions(translation),
    )


@bp.get("/articles/<int:article_id>/<lang>/revisions/<int:number>/")
@requires()
def revision(article_id: int, lang: str, number: int) -> str:
    """One revision and what it changed, word by word, from the one before."""
    article = _article(article_id)
    translation = article.translations.get(lang)
    shown = translation and desk.revision(translation, number)
    if not shown:
        abort(404)
    before = desk.previous(translation, number)
    changes = {
        "title": diff.words(before.title if before else "", shown.title),
        "summary": diff.words(before.summary if before else "", shown.summary),
        "body": diff.html_words(before.body if before else "", shown.body),
    }
    return render_template(
        "office/revision.html",
        article=article,
        translation=translation,
        shown=shown,
        before=before,
        changes=changes,
        form=ActionForm(revision=translation.revision),
    )


@bp.post("/articles/<int:article_id>/<lang>/revisions/<int:number>/restore")
@requires()
def restore_revision(article_id: int, lang: str, number: int) -> Response:
    """Save an old revision again, as the newest (history only grows)."""
    form = ActionForm()
    if not form.validate_on_submit():
        abort(400)
    start_write()
    article, translation = _editable(article_id, lang)
    old = translation and desk.revision(translation, number)
    if not old:
        abort(404)
    try:
        changed = operations.restore_revision(
            translation, old, author=author(), expected=form.revision.data
        )
    except operations.Conflict:
        dbsession.rollback()
        flash(_("Someone saved this text meanwhile: check it and try again."), "error")
        return redirect(url_for("office.history", article_id=article_id, lang=lang))
    db.commit_when_done()
    if changed:
        flash(_("Revision %(number)d is restored as the newest.", number=number))
    else:
        flash(_("Nothing changed: no new revision."))
    return redirect(url_for("office.translation", article_id=article_id, lang=lang))


@bp.get("/translations/")
@requires()
def translations() -> str:
    """What is left to translate: every article's state in each language, with counts."""
    zone = current_app.config["NEWSROOM_TIMEZONE"]
    mine = current_user.language_codes if not current_user.may_publish else list(CODES)
    lang, state, year = (request.args.get(name, "") for name in ("lang", "state", "year"))
    filters = grid.GridFilters(
        state=state if state in grid.STATES else "",
        langs=(lang,) if lang in mine else tuple(mine),
        year=int(year) if year.isascii() and year.isdigit() and 1 <= int(year) <= 9998 else None,
    )
    if not filters.langs:
        abort(403)  # a translator without languages has nothing to translate
    shown = grid.grid(filters, zone, _page_number(), GRID_PAGE)
    if shown.number > shown.pages:
        abort(404)
    return render_template(
        "office/grid.html",
        grid=shown,
        filters=filters,
        languages_shown=mine,
        years=desk.years(zone),
        states=grid.STATES,
    )


def _workflow(article_id: int, lang: str, change: Any, done: str) -> Response:
    # A step of a translation's way to readers: ready for review, publish, send back.
    form = ReviewForm()
    if not form.validate_on_submit():
        abort(400)
    start_write()
    article, translation = _editable(article_id, lang)
    if translation is None:
        abort(404)
    try:
        change(translation, form)
    except (operations.Conflict, ValueError):
        dbsession.rollback()
        flash(_("Someone saved this text meanwhile: check it and try again."), "error")
        return redirect(url_for("office.translation", article_id=article_id, lang=lang))
    db.commit_when_done()
    flash(done)
    return redirect(url_for("office.translation", article_id=article_id, lang=lang))


@bp.post("/articles/<int:article_id>/<lang>/submit")
@requires()
def submit(article_id: int, lang: str) -> Response:
    """The translator's work is ready for an editor's review."""
    return _workflow(
        article_id,
        lang,
        lambda t, form: operations.submit_for_review(
            t, author=author(), expected=form.revision.data
        ),
        _("Sent for review. An editor publishes it or sends it back."),
    )


@bp.route("/articles/<int:article_id>/<lang>/review", methods=["GET", "POST"])
@requires(*EDITORS)
def review(article_id: int, lang: str) -> Response | str:
    """An editor reviews a translation against what readers last saw: publish or send back."""
    if request.method == "POST":
        form = ReviewForm()
        if "send_back" in request.form:
            if not (form.comment.data or "").strip():
                flash(_("Say what to change before sending it back."), "error")
                return redirect(url_for("office.review", article_id=article_id, lang=lang))
            return _workflow(
                article_id,
                lang,
                lambda t, f: operations.send_back(
                    t, f.comment.data.strip(), author=author(), expected=f.revision.data
                ),
                _("Sent back to the translator."),
            )
        return _workflow(
            article_id,
            lang,
            lambda t, f: operations.publish_translation(
                t, author=author(), expected=f.revision.data
            ),
            _("The translation is published."),
        )
    article, translation = _editable(article_id, lang)
    if translation is None:
        abort(404)
    last = translation.published_revision and desk.revision(
        translation, translation.published_revision
    )
    return render_template(
        "office/review.html",
        article=article,
        translation=translation,
        last=last,
        changes={
            "title": diff.words(last.title if last else "", translation.title),
            "summary": diff.words(last.summary if last else "", translation.summary),
            "body": diff.html_words(last.body if last else "", translation.body),
        },
        form=ReviewForm(revision=translation.revision),
    )


@bp.get("/articles/<int:article_id>/<lang>/po")
@requires()
def po_export(article_id: int, lang: str) -> Response:
    """The article's source text for translation into `lang`, as a PO file for a CAT tool."""
    from mlo.content import po  # Babel's PO modules load only when a PO is asked for

    article, _current = _editable(article_id, lang)
    try:
        data = po.export_po(article, lang)
    except po.PoProblem as problem:
        flash(str(problem), "error")
        return redirect(url_for("office.translation", article_id=article_id, lang=lang))
    name = f"{article.key}.{po.po_locale(lang)}.po"
    return Response(
        data,
        mimetype="text/x-gettext-translation",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@bp.post("/articles/<int:article_id>/<lang>/po")
@requires()
def po_import(article_id: int, lang: str) -> Response:
    """A translated PO file, saved as a new revision of this translation, or refused whole."""
    from mlo.content import po

    form = PoUploadForm()
    back = redirect(url_for("office.translation", article_id=article_id, lang=lang))
    if not form.validate_on_submit():
        flash(_("Choose the translated %(format)s file first.", format="PO"), "error")
        return back
    data = form.file.data.read(MAX_PO_BYTES + 1)
    start_write()
    article, _current = _editable(article_id, lang)
    try:
        if len(data) > MAX_PO_BYTES:
            raise po.PoProblem("the file is larger than any article's PO file")
        result = po.import_po(
            data, author(), state="published" if current_user.may_publish else "in_progress"
        )
        if (result.key, result.lang) != (article.key, lang):
            raise po.PoProblem(f"this file is for {result.key} ({result.lang}), not this page")
    except po.PoProblem as problem:
        db.end_write()
        # Translators: %(reason)s is the import's own explanation, in English.
        flash(_("The file was not imported: %(reason)s", reason=str(problem)), "error")
        return back
    db.commit_when_done()
    if result.revision is None:
        flash(_("The file has the same text: nothing changed."))
    else:
        flash(_("Saved as revision %(number)d.", number=result.revision))
    return back


@bp.get("/catalogs")
@requires()
def catalogs() -> str:
    """The interface catalogs' coverage and the strings still to translate (read only: the
    catalogs are changed with the translate commands, as TRANSLATING.md explains)."""
    # Loaded here, for this page only: the running site does not carry the catalog tooling.
    from mlo.catalogs import files

    try:
        report = files.status(catalog_folder(current_app))
    except files.CatalogError as error:
        return render_template("office/catalogs.html", report=[], error=str(error))
    return render_template("office/catalogs.html", report=report, error=None)


@bp.get("/<path:anything>")
@requires()
def unknown(anything: str) -> None:
    """No such page; strangers are asked to sign in first, like everywhere under /admin/."""
    abort(404)


@bp.app_template_global()
def diff_of(old: str, new: str, html: bool = False) -> list[tuple[str, str]]:
    """Word-level changes from `old` to `new`, for templates."""
    return diff.html_words(old, new) if html else diff.words(old, new)
