"""Operations that change content: the one writer. They add and flush; the caller commits.

Import/export, the back office and the CLI all go through them, so every write sanitizes,
converts Latin-typed Serbian, folds for search, claims slugs and counts revisions the same way.
"""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, select

from mlo.content.models import Article, OldSlug, Translation
from mlo.db import dbsession
from mlo.locales import BY_CODE
from mlo.text import translit
from mlo.text.clean import strip_controls
from mlo.text.html import plain_text, sanitize
from mlo.text.slugs import slugify
from mlo.text.words import exact_words, folded_words


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
    title, summary = (" ".join(strip_controls(text).split()) for text in (title, summary))
    body = sanitize(strip_controls(body))
    latin = any(translit.has_latin_serbian(part) for part in (title, summary, body))
    if BY_CODE[lang].cyrillic and latin:
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
    article: Article,
    lang: str,
    text: Text,
    slug: str | None = None,
    reserved: set[tuple[str, str]] | frozenset[tuple[str, str]] = frozenset(),
) -> bool:
    """Create or update one translation from prepared text; True if anything changed.

    Without a slug, a new translation's slug is made from its title, avoiding `reserved`
    (language, slug) pairs as well as every slug in the database.
    """
    title, summary, body = text.title, text.summary, text.body
    translation = article.translations.get(lang)
    slug = (
        slug
        or (translation.slug if translation else None)
        or _free_slug(lang, title, article, reserved)
    )
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
    index_for_search(translation)
    return True


def index_for_search(translation: Translation) -> None:
    """Set what the search index holds for a translation: its words folded, and exact."""
    text = f"{translation.title} {translation.summary} {plain_text(translation.body)}"
    translation.search_text, translation.search_exact = folded_words(text), exact_words(text)


def _free_slug(lang: str, title: str, article: Article, reserved) -> str:
    base = slugify(title) or slugify(article.key) or "article"
    slug, number = base, 1
    while (lang, slug) in reserved or dbsession.scalar(
        select(Translation.id).where(Translation.lang == lang, Translation.slug == slug)
    ):
        number += 1
        slug = f"{base[:95]}-{number}"
    return slug


def _claim_slug(lang: str, slug: str) -> None:
    # A current slug wins over any redirect that still remembers it.
    dbsession.execute(delete(OldSlug).where(OldSlug.lang == lang, OldSlug.slug == slug))


def delete_article(article: Article, when: datetime) -> None:
    """Move an article to the trash: invisible everywhere, restorable, its slugs kept;
    ValueError if it is there already."""
    if article.deleted_at is not None:
        raise ValueError(f"article {article.key!r} is already deleted")
    article.deleted_at = when


def restore_article(article: Article) -> None:
    """Take an article out of the trash, with its status and slugs as they were; ValueError if
    it is not deleted."""
    if article.deleted_at is None:
        raise ValueError(f"article {article.key!r} is not deleted")
    article.deleted_at = None


def purge_article(article: Article) -> None:
    """Remove a deleted article for good, with its translations and old slugs."""
    if article.deleted_at is None:
        raise ValueError(f"article {article.key!r} is not deleted: delete it before purging")
    dbsession.delete(article)


def refold_all() -> int:
    """Recompute every translation's search text (after the fold changed); how many there are."""
    translations = dbsession.scalars(select(Translation)).all()
    for translation in translations:
        index_for_search(translation)
    dbsession.flush()
    return len(translations)
