"""For feed readers and crawlers: an Atom feed per locale, the sitemap and robots.txt."""

from datetime import UTC, datetime
from itertools import groupby
from operator import itemgetter

from flask import Blueprint, Response, abort, current_app, g, render_template, request, url_for
from markupsafe import escape

from mlo import locales
from mlo.locales import CODES, Locale
from mlo.text.clean import xml_safe
from mlo.web.caching import public_page
from mlo.web.urls import absolute, absolute_url_for, newsroom

bp = Blueprint("feeds", __name__)


def rfc3339(value: datetime) -> str:
    """A stored naive-UTC time as an RFC 3339 timestamp."""
    return value.replace(tzinfo=UTC).isoformat()


def tag_uri(*parts: str) -> str:
    """A stable Atom id that survives slug changes: tag:<host>,2022:<parts>."""
    return f"tag:{current_app.config['TAG_AUTHORITY']},2022:" + "/".join(parts)


@bp.get("/<locale:loc>/feed.atom")
@public_page
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
@public_page
def sitemap() -> Response:
    """Every public page with its hreflang alternates; past one file's worth of articles, a
    sitemap index of the listing pages' file and one file per block of article ids."""
    size = current_app.config["SITEMAP_ARTICLES"]
    blocks = newsroom().sitemap_blocks(size)
    if not blocks or blocks == [0]:
        return _xml(_urlset(_listing_pages() + _article_pages(0, size)))
    files = [absolute_url_for("feeds.sitemap_pages")] + [
        absolute_url_for("feeds.sitemap_articles", block=block) for block in blocks
    ]
    lines = [f"  <sitemap><loc>{escape(url)}</loc></sitemap>" for url in files]
    return _xml(SITEMAP_INDEX.format("\n".join(lines)))


@bp.get("/sitemap-pages.xml")
@public_page
def sitemap_pages() -> Response:
    """The listing pages (home, newsroom, year archives) of every locale."""
    return _xml(_urlset(_listing_pages()))


@bp.get("/sitemap-articles-<int:block>.xml")
@public_page
def sitemap_articles(block: int) -> Response:
    """The articles whose ids fall in one block of SITEMAP_ARTICLES ids."""
    size = current_app.config["SITEMAP_ARTICLES"]
    # One URL a file (no /sitemap-articles-007.xml), and no block past the largest id.
    if request.path != url_for("feeds.sitemap_articles", block=block) or block >= 2**31 // size:
        abort(404)
    pages = _article_pages(block, size)
    if not pages:
        abort(404)
    return _xml(_urlset(pages))


SITEMAP_INDEX = (
    '<?xml version="1.0" encoding="utf-8"?>\n'
    '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n{}\n</sitemapindex>\n'
)
URLSET = (
    '<?xml version="1.0" encoding="utf-8"?>\n<urlset'
    ' xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'
    ' xmlns:xhtml="http://www.w3.org/1999/xhtml">\n{}\n</urlset>\n'
)
# One page: its URL in every locale it exists in, and when it last changed.
SitemapPage = tuple[list[tuple[Locale, str]], datetime | None]


def _xml(body: str) -> Response:
    # Stored text may hold characters XML forbids (imported before they were refused).
    return Response(xml_safe(body), mimetype="application/xml")


def _urlset(pages: list[SitemapPage]) -> str:
    # Built as strings, not through a template: a file lists thousands of URLs.
    entries = []
    for urls, lastmod in pages:
        links = "".join(
            f'\n    <xhtml:link rel="alternate" hreflang="{loc.bcp47}" href="{escape(url)}"/>'
            for loc, url in urls
        )
        changed = f"\n    <lastmod>{rfc3339(lastmod)}</lastmod>" if lastmod else ""
        entries += [
            f"  <url>\n    <loc>{escape(url)}</loc>{changed}{links}\n  </url>" for _, url in urls
        ]
    return URLSET.format("\n".join(entries))


def _article_pages(block: int, size: int) -> list[SitemapPage]:
    site = absolute("")
    pages: list[SitemapPage] = []
    for _article_id, group in groupby(newsroom().sitemap_rows(block, size), key=itemgetter(0)):
        rows = list(group)
        urls = [
            (
                loc,
                f"{site}/{loc.prefix}/news/{newsroom().local_year_of(row.published_at)}/{row.slug}/",
            )
            for row in rows
            for loc in locales.for_languages({row.lang})
        ]
        pages.append((urls, max(row.updated_at for row in rows)))
    return pages


def _listing_pages() -> list[SitemapPage]:
    # Home and newsroom exist in every language; a year page only where that year has news.
    years: dict[int, set[str]] = {}
    for lang in CODES:
        for year, _count in newsroom().archive_years(lang):
            years.setdefault(year, set()).add(lang)
    listings = [("public.home", {}, set(CODES)), ("public.newsroom", {}, set(CODES))] + [
        ("public.year_archive", {"year": year}, langs)
        for year, langs in sorted(years.items(), reverse=True)
    ]
    return [
        (
            [
                (loc, absolute_url_for(endpoint, loc=loc, **values))
                for loc in locales.for_languages(languages)
            ],
            None,
        )
        for endpoint, values, languages in listings
    ]


@bp.get("/robots.txt")
@public_page
def robots() -> Response:
    """Crawl everything public; search results and the back office are not for crawlers."""
    lines = ["User-agent: *", "Disallow: /admin/"]
    lines += [f"Disallow: /{locale.prefix}/search/" for locale in locales.LOCALES]
    lines.append(f"Sitemap: {absolute_url_for('feeds.sitemap')}")
    return Response("\n".join(lines) + "\n", mimetype="text/plain")
