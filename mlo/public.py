"""The reading site: home, newsroom, year archives, articles and the redirect at /."""

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    g,
    redirect,
    render_template,
    request,
    url_for,
)

from mlo import locales, news, search, translit
from mlo.locales import Locale
from mlo.models import Article, Translation

bp = Blueprint("public", __name__)
bp.add_app_template_global(news.article_url)


@bp.get("/")
def root() -> Response:
    """Send the visitor to the locale of their cookie or browser."""
    locale = locales.negotiate(
        request.headers.get("Accept-Language"),
        request.cookies.get(current_app.config["LANG_COOKIE"]),
    )
    response = redirect(url_for("public.home", loc=locale), 302)
    response.headers["Vary"] = "Accept-Language, Cookie"
    return response


@bp.get("/<locale:loc>/")
def home() -> str:
    """Latest news."""
    items = news.latest(g.locale.lang, current_app.config["HOME_SIZE"])
    return render_template("home.html", items=items, alternates=_everywhere())


@bp.get("/<locale:loc>/news/")
def newsroom() -> str:
    """All news, newest first, a page at a time."""
    return _listing(year=None)


@bp.get("/<locale:loc>/news/<int(min=1, max=9998):year>/")
def year_archive(year: int) -> str:
    """The news of one year."""
    return _listing(year=year)


def _listing(year: int | None) -> str:
    number = page_number()
    result = news.page(g.locale.lang, number, current_app.config["PAGE_SIZE"], year)
    if number > result.pages or (year is not None and result.total == 0):
        abort(404)
    return render_template(
        "news.html",
        page=result,
        year=year,
        years=news.archive_years(g.locale.lang),
        alternates=_everywhere(page=number if number > 1 else None),
    )


@bp.get("/<locale:loc>/news/<int(min=1, max=9998):year>/<slug>/")
def article(year: int, slug: str) -> Response | str | tuple[str, int]:
    """One article; old slugs and wrong years redirect, other languages say what exists."""
    if not translit.is_slug(slug):
        abort(404)
    locale = g.locale
    translation = news.find(locale.lang, slug)
    if translation is None:
        moved = news.find_moved(locale.lang, slug)
        if moved is not None:
            return redirect(news.article_url(moved), 301)
        return _not_in_this_language(slug)
    if news.local_year(translation.article) != year:
        return redirect(news.article_url(translation), 301)
    return render_template(
        "article.html",
        translation=translation,
        year=year,
        alternates=[(locale, url) for locale, _, url in _versions(translation.article)],
    )


def _not_in_this_language(slug: str) -> Response | tuple[str, int]:
    article = news.find_elsewhere(slug)
    if article is None:
        abort(404)
    if g.locale.lang in article.translations:
        # The reader swapped the prefix of a URL whose language we do have: go to it.
        return redirect(news.article_url(article.translations[g.locale.lang]), 302)
    versions = _versions(article)
    alternates = [(locale, url) for locale, _, url in versions]
    return render_template("missing.html", versions=versions, alternates=alternates), 404


@bp.get("/<locale:loc>/search/")
def search_page() -> str | tuple[str, int]:
    """Search our content in this locale's language, in either script."""
    query = request.args.get("q", "")
    number = page_number()
    result = search.run(query, g.locale, number, current_app.config["SEARCH_PAGE_SIZE"])
    if result.error is None and number > result.pages:
        abort(404)
    status = 400 if result.error else 200
    # The same search exists in every locale (Serbian in both scripts finds the same articles).
    alternates = _everywhere(q=query or None, page=number if number > 1 else None)
    return render_template("search.html", query=query, result=result, alternates=alternates), status


def page_number() -> int:
    """The ?page= number (1 if absent); anything but a positive whole number is a 404."""
    raw = request.args.get("page", "1")
    if not raw.isascii() or not raw.isdigit() or len(raw) > 6 or int(raw) < 1:
        abort(404)
    return int(raw)


def _everywhere(**args: object) -> list[tuple[Locale, str]]:
    # Listing pages exist in every locale: the same endpoint and arguments under each prefix.
    values = {**(request.view_args or {}), **{k: v for k, v in args.items() if v is not None}}
    return [
        (
            locale,
            url_for(request.endpoint or "public.home", loc=locale, _external=True, **values),
        )
        for locale in locales.LOCALES
    ]


def _versions(article: Article) -> list[tuple[Locale, Translation, str]]:
    # Every locale that shows this (visible) article, with its translation and URL.
    return [
        (locale, translation, news.article_url(translation, locale, _external=True))
        for locale in locales.for_languages(set(article.translations))
        for translation in [article.translations[locale.lang]]
    ]
