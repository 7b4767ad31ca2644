"""The reading site: home, newsroom, year archives, articles and the redirect at /."""

import re

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

from mlo import search
from mlo.content.queries import outdated
from mlo.locales import CODES
from mlo.text.slugs import is_slug
from mlo.web import urls
from mlo.web.caching import public_page
from mlo.web.i18n import visitor_locale
from mlo.web.urls import article_url, same_page, versions

bp = Blueprint("public", __name__)
# The page numbers a listing answers: one way to write each (no ?page=01 beside ?page=1).
PAGE_NUMBER = re.compile(r"[1-9][0-9]{0,5}")
bp.add_app_template_global(article_url)
bp.add_app_template_global(urls.absolute)
bp.add_app_template_global(urls.absolute_url_for)


@bp.get("/")
def root() -> Response:
    """Send the visitor to the locale of their cookie or browser."""
    response = redirect(url_for("public.home", loc=visitor_locale()), 302)
    response.headers["Vary"] = "Accept-Language, Cookie"
    return response


@bp.get("/<locale:loc>/")
@public_page
def home() -> str:
    """Latest news."""
    items = urls.newsroom().latest(g.locale.lang, current_app.config["HOME_SIZE"])
    return render_template("home.html", items=items, alternates=same_page(set(CODES)))


@bp.get("/<locale:loc>/news/")
@public_page
def newsroom() -> str:
    """All news, newest first, a page at a time."""
    return _listing(year=None)


@bp.get("/<locale:loc>/news/<int(min=1, max=9998):year>/")
@public_page
def year_archive(year: int) -> str:
    """The news of one year."""
    return _listing(year=year)


def _listing(year: int | None) -> str:
    number = page_number()
    result = urls.newsroom().page(g.locale.lang, number, current_app.config["PAGE_SIZE"], year)
    if number > result.pages or (year is not None and result.total == 0):
        abort(404)
    return render_template(
        "news.html",
        page=result,
        year=year,
        years=urls.newsroom().archive_years(g.locale.lang),
        alternates=same_page(_listing_langs(number, year), page=number if number > 1 else None),
    )


def _listing_langs(number: int, year: int | None) -> set[str]:
    # Only the languages in which the same listing page exists (page 2 may not, nor a year).
    size = current_app.config["PAGE_SIZE"]
    return {g.locale.lang} | {
        lang
        for lang in CODES
        if lang != g.locale.lang and urls.newsroom().page_exists(lang, number, size, year)
    }


@bp.get("/<locale:loc>/news/<int(min=1, max=9998):year>/<slug>/")
@public_page
def article(year: int, slug: str) -> Response | str | tuple[str, int]:
    """One article; old slugs and wrong years redirect, other languages say what exists."""
    if not is_slug(slug):
        abort(404)
    translation = urls.newsroom().find(g.locale.lang, slug)
    if translation is None:
        moved = urls.newsroom().find_moved(g.locale.lang, slug)
        if moved is not None:
            return redirect(article_url(moved), 301)
        return _not_in_this_language(slug)
    if urls.newsroom().local_year(translation.article) != year:
        return redirect(article_url(translation), 301)
    return render_template(
        "article.html",
        translation=translation,
        year=year,
        alternates=[(locale, url) for locale, _, url in versions(translation.article)],
        outdated=outdated(translation),
    )


def _not_in_this_language(slug: str) -> Response | tuple[str, int]:
    article = urls.newsroom().find_elsewhere(slug)
    if article is None:
        abort(404)
    mine = article.translations.get(g.locale.lang)
    if mine is not None and mine.is_public:
        # The reader swapped the prefix of a URL whose language we do have: go to it.
        return redirect(article_url(article.translations[g.locale.lang]), 302)
    existing = versions(article)
    alternates = [(locale, url) for locale, _, url in existing]
    return render_template("missing.html", versions=existing, alternates=alternates), 404


@bp.get("/<locale:loc>/search/")
@public_page
def search_page() -> str | tuple[str, int]:
    """Search our content in this locale's language, in either script."""
    query = request.args.get("q", "")
    number = page_number()
    config = current_app.config
    limits = search.Limits(
        config["SEARCH_MAX_QUERY"], config["SEARCH_MAX_WORDS"], config["SEARCH_PAGE_SIZE"]
    )
    result = search.run(query, g.locale, urls.newsroom(), number, limits)
    if not result.refused and number > result.pages:
        abort(404)
    status = 400 if result.refused else 200
    # The same search exists in every locale (Serbian in both scripts finds the same articles).
    alternates = same_page(set(CODES), q=query or None, page=number if number > 1 else None)
    return render_template("search.html", query=query, result=result, alternates=alternates), status


def page_number() -> int:
    """The ?page= number (1 if absent); anything but a positive whole number, written as such,
    is a 404."""
    raw = request.args.get("page", "1")
    if not PAGE_NUMBER.fullmatch(raw):
        abort(404)
    return int(raw)
