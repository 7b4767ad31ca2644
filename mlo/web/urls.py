"""Where things live: the newsroom as of this request, and the URLs of articles and pages."""

from typing import Any

from flask import current_app, g, has_request_context, request, url_for

from mlo import locales
from mlo.content.models import Article, Translation, utcnow
from mlo.content.queries import Newsroom
from mlo.locales import Locale
from mlo.web.i18n import current_locale


def newsroom() -> Newsroom:
    """The newsroom as readers see it during this request (one "now" for the whole page)."""
    if "newsroom" not in g:
        # The page cache decided "now" before the request reached Flask (mlo.web.caching).
        now = request.environ.get("mlo.now") if has_request_context() else None
        g.newsroom = Newsroom(current_app.config["NEWSROOM_TIMEZONE"], now or utcnow())
    return g.newsroom


def absolute(path: str) -> str:
    """The absolute URL of a path of this site: under the configured site URL (in development,
    without one, under the request's host, which TRUSTED_HOSTS has checked)."""
    return (current_app.config["SITE_URL"] or request.host_url.rstrip("/")) + path


def absolute_url_for(endpoint: str, **values: Any) -> str:
    """url_for, absolute (never from the Host header in production)."""
    return absolute(url_for(endpoint, **values))


def article_url(
    translation: Translation, locale: Locale | None = None, external: bool = False
) -> str:
    """The URL of a translation, in `locale` (by default the current one, if it fits)."""
    path = url_for(
        "public.article",
        loc=locale or current_locale(),
        year=newsroom().local_year(translation.article),
        slug=translation.slug,
    )
    return absolute(path) if external else path


def versions(article: Article) -> list[tuple[Locale, Translation, str]]:
    """Every locale that shows this (visible) article, with its translation and absolute URL."""
    public = {lang for lang, translation in article.translations.items() if translation.is_public}
    return [
        (locale, translation, article_url(translation, locale, external=True))
        for locale in locales.for_languages(public)
        for translation in [article.translations[locale.lang]]
    ]


def same_page(langs: set[str] | frozenset[str], **args: object) -> list[tuple[Locale, str]]:
    """This page's absolute URL under each locale whose language is in `langs`."""
    values = {**(request.view_args or {}), **{k: v for k, v in args.items() if v is not None}}
    endpoint = request.endpoint or "public.home"
    return [
        (locale, absolute_url_for(endpoint, loc=locale, **values))
        for locale in locales.for_languages(langs)
    ]
