"""Operations that change content: the one writer. They add and flush; the caller commits.

Import/export, the back office and the CLI all go through them, so every write sanitizes,
converts Latin-typed Serbian, folds for search, claims slugs and counts revisions the same way.
"""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, select

from mlo.content.models import Article, OldSlug, Translation
from mlo.db import dbsession
from mlo.text import translit
from mlo.text.html import plain_text, sanitize
from mlo.text.slugs import slugify


@dataclass(frozen=True)
class Text:
    """A translation's text as it is stored: one-line title and summary, sanitized body,
    Serbian in Cyrillic (`converted` says that it was typed in Latin)."""

    title: str
    summary: str
    body: str
    converted: bool = False


def prepare_text(lang: str, title: str, summary: str, body: str) -> Text:
    """Submitted text in its stored form; every write path goes through here."""
    title, summary, body = " ".join(title.split()), " ".join(summary.split()), sanitize(body)
    if lang == "sr" and any(translit.has_latin_serbian(part) for part in (title, summary, body)):
        return Text(
            translit.to_cyrillic(title),
            translit.to_cyrillic(summary),
            translit.to_cyrillic_html(body),
            converted=True,
        )
    return Text(title, summary, body)


def set_article(article: Article, published_at: datetime, status: str, source: str) -> bool:
    """Set an article's publication time (naive UTC), status and source language; True if
    anything changed."""
    changed = (article.published_at, article.status, article.source_lang) != (
        published_at,
        status,
        source,
    )
    article.published_at, article.status, article.source_lang = published_at, status, source
    return changed


def mark_translated(article: Article, langs: list[str]) -> None:
    """Record that these translations were made from the source as it is now."""
    source = article.translations[article.source_lang]
    for lang in langs:
        if lang != article.source_lang:
            article.translations[lang].source_revision = source.revision


def put_translation(
    article: Article, lang: str, title: str, summary: str, body: str, slug: str | None = None
) -> bool:
    """Create or update one translation (body already sanitised); True if anything changed."""
    translation = article.translations.get(lang)
    slug = slug or (translation.slug if translation else None) or _free_slug(lang, title, article)
    if translation is None:
        translation = Translation(lang=lang, title=title, summary=summary, body=body, slug=slug)
        article.translations[lang] = translation
        _claim_slug(lang, slug)
    else:
        content_changed = (translation.title, translation.summary, translation.body) != (
            title,
            summary,
            body,
        )
        if not content_changed and translation.slug == slug:
            return False
        if content_changed:
            translation.revision += 1
            translation.title, translation.summary, translation.body = title, summary, body
        if translation.slug != slug:
            _claim_slug(lang, slug)
            translation.old_slugs.append(OldSlug(lang=lang, slug=translation.slug))
            translation.slug = slug
    translation.search_text = search_text(title, summary, body)
    return True


def search_text(title: str, summary: str, body: str) -> str:
    """What the search index holds for a translation: its folded plain text."""
    return translit.fold(f"{title} {summary} {plain_text(body)}")


def _free_slug(lang: str, title: str, article: Article) -> str:
    base = slugify(title) or slugify(article.key) or "article"
    slug, number = base, 1
    while dbsession.scalar(
        select(Translation.id).where(Translation.lang == lang, Translation.slug == slug)
    ):
        number += 1
        slug = f"{base[:95]}-{number}"
    return slug


def _claim_slug(lang: str, slug: str) -> None:
    # A current slug wins over any redirect that still remembers it.
    dbsession.execute(delete(OldSlug).where(OldSlug.lang == lang, OldSlug.slug == slug))


def refold_all() -> int:
    """Recompute every translation's search text (after the fold changed); how many there are."""
    translations = dbsession.scalars(select(Translation)).all()
    for translation in translations:
        translation.search_text = search_text(
            translation.title, translation.summary, translation.body
        )
    dbsession.flush()
    return len(translations)
