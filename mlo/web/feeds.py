"""For feed readers and crawlers: an Atom feed per locale, the sitemap and robots.txt."""

from datetime import UTC, datetime
from itertools import groupby

from flask import Blueprint, Response, current_app, g, render_template

from mlo import locales
from mlo.content.models import Translation
from mlo.locales import CODES, Locale
from mlo.text.clean import xml_safe
from mlo.web.urls import absolute_url_for, article_url, newsroom

bp = Blueprint("feeds", __name__)


def rfc3339(value: datetime) -> str:
    """A stored naive-UTC time as an RFC 3339 timestamp."""
    return value.replace(tzinfo=UTC).isoformat()


def tag_uri(*parts: str) -> str:
    """A stable Atom id that survives slug changes: tag:<host>,2022:<parts>."""
    return f"tag:{current_app.config['TAG_AUTHORITY']},2022:" + "/".join(parts)


@bp.get("/<locale:loc>/feed.atom")
def atom() -> Response:
    """The newest articles of one locale, as Atom 1.0."""
    entries = newsroom().latest(g.locale.lang, current_app.config["FEED_SIZE"])
    updated = max((max(t.updated_at, t.article.published_at) for t in entries), default=None)
    body = render_template(
        "feed.xml", entries=entries, updated=updated, rfc3339=rfc3339, tag_uri=tag_uri
    )
    # Stored text may hold characters XML forbids (imported before they were refused).
    return Response(xml_safe(body), mimetype="application/atom+xml")


@bp.get("/sitemap.xml")
def sitemap() -> Response:
    """Every public page in every locale it exists in, with hreflang alternates."""
    translations = newsroom().all_visible()
    newest = max((t.updated_at for t in translations), default=None)
    pages: list[tuple[list[tuple[Locale, str]], datetime | None]] = []
    for endpoint, values, languages in _listing_pages():
        urls = [
            (loc, absolute_url_for(endpoint, loc=loc, **values))
            for loc in locales.for_languages(languages)
        ]
        pages.append((urls, newest))
    by_article = sorted(translations, key=lambda t: t.article_id)
    for _article_id, group in groupby(by_article, key=lambda t: t.article_id):
        members: list[Translation] = list(group)
        urls = [
            (loc, article_url(t, loc, external=True))
            for t in members
            for loc in locales.for_languages({t.lang})
        ]
        pages.append((urls, max(t.updated_at for t in members)))
    body = render_template("sitemap.xml", pages=pages, rfc3339=rfc3339)
    return Response(xml_safe(body), mimetype="application/xml")


def _listing_pages() -> list[tuple[str, dict[str, int], set[str]]]:
    # Home and newsroom exist in every language; a year page only where that year has news.
    everywhere = set(CODES)
    years: dict[int, set[str]] = {}
    for lang in CODES:
        for year, _count in newsroom().archive_years(lang):
            years.setdefault(year, set()).add(lang)
    return [("public.home", {}, everywhere), ("public.newsroom", {}, everywhere)] + [
        ("public.year_archive", {"year": year}, langs)
        for year, langs in sorted(years.items(), reverse=True)
    ]


@bp.get("/robots.txt")
def robots() -> Response:
    """Crawl everything public; search results and the back office are not for crawlers."""
    lines = ["User-agent: *", "Disallow: /admin/"]
    lines += [f"Disallow: /{locale.prefix}/search/" for locale in locales.LOCALES]
    lines.append(f"Sitemap: {absolute_url_for('feeds.sitemap')}")
    return Response("\n".join(lines) + "\n", mimetype="text/plain")
