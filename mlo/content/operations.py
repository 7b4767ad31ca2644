"""Operations that change content: the one writer. They add and flush; the caller commits.

Import/export, the back office and the CLI all go through them, so every write sanitizes,
converts Latin-typed Serbian, folds for search, claims slugs and counts revisions the same way.
"""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, select, update
from sqlalchemy.orm.attributes import set_committed_value

from mlo.content import memory
from mlo.content.models import Article, ArticleRevision, OldSlug, Revision, Translation
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


class Conflict(Exception):
    """Someone saved a newer revision since the form was loaded (or since this write began)."""


class SlugTaken(Exception):
    """The slug asked for belongs to another article in that language."""


def _bump(item: Article | Translation, expected: int | None) -> int:
    """Take the next revision of a stored article or translation, if it is still at `expected`.

    The check is one UPDATE in the database, so it holds across workers and machines: on
    PostgreSQL a second writer waits for the first's row lock, then matches no row.
    """
    model = type(item)
    expected = item.revision if expected is None else expected
    claimed = dbsession.execute(
        update(model)
        .where(model.id == item.id, model.revision == expected)
        .values(revision=expected + 1)
        .execution_options(synchronize_session=False)
    )
    if claimed.rowcount != 1:
        raise Conflict(f"{model.__name__.lower()} {item.id} is no longer at revision {expected}")
    set_committed_value(item, "revision", expected + 1)
    return expected + 1


def save_settings(
    article: Article,
    published_at: datetime,
    status: str,
    source: str,
    *,
    author: str,
    expected: int | None = None,
    note: str = "",
) -> bool:
    """Set an article's publication time (naive UTC), status and source language, as a new
    settings revision; True if anything changed. Conflict if `expected` is not current."""
    new = article.id is None
    unchanged = (article.published_at, article.status, article.source_lang) == (
        published_at,
        status,
        source,
    )
    if unchanged and not new:
        return False
    if not new:
        _bump(article, expected)
    article.published_at, article.status, article.source_lang = published_at, status, source
    _record_settings(article, author, note)
    return True


def _record_settings(article: Article, author: str, note: str) -> None:
    dbsession.add(
        ArticleRevision(
            article=article,
            number=article.revision or 1,
            author=author,
            source_lang=article.source_lang,
            status=article.status,
            published_at=article.published_at,
            deleted_at=article.deleted_at,
            note=note,
        )
    )


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
    *,
    author: str,
    expected: int | None = None,
    minor: bool = False,
    note: str = "",
    state: str = "published",
) -> bool:
    """Create or update one translation from prepared text, as a new revision; True if
    anything changed. Conflict if `expected` is not the stored revision. A new translation
    starts in `state` (a translator's starts "in_progress"); an existing one keeps its state.

    Without a slug, a new translation's slug is made from its title, avoiding `reserved`
    (language, slug) pairs as well as every slug in the database. A minor edit (or a slug
    change alone) does not make the other languages outdated.
    """
    title, summary, body = text.title, text.summary, text.body
    translation = article.translations.get(lang)
    if slug and _slug_owner(lang, slug) not in (None, translation and translation.id):
        raise SlugTaken(f"{lang} slug {slug!r} is taken")
    slug = (
        slug
        or (translation.slug if translation else None)
        or _free_slug(lang, title, article, reserved)
    )
    if translation is None:
        translation = Translation(
            lang=lang, title=title, summary=summary, body=body, slug=slug, revision=1
        )
        translation.changed_revision = 1
        translation.state = state
        translation.review_comment = ""
        source = article.translations.get(article.source_lang)
        if source is not None and lang != article.source_lang:
            translation.source_revision = source.revision
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
        number = _bump(translation, expected)
        if content_changed:
            translation.title, translation.summary, translation.body = title, summary, body
            if not minor:
                translation.changed_revision = number
        if translation.slug != slug:
            _claim_slug(lang, slug)
            translation.old_slugs.append(OldSlug(lang=lang, slug=translation.slug))
            translation.slug = slug
    index_for_search(translation)
    memory.remember(article)
    _record(
        translation, author, note, minor or translation.changed_revision != translation.revision
    )
    return True


def _record(translation: Translation, author: str, note: str, minor: bool = True) -> None:
    # Every save is a revision: the translation as it now is, who saved it and why.
    if translation.state == "published":  # live: this is now what readers see
        translation.published_revision = translation.revision
    dbsession.add(
        Revision(
            translation=translation,
            number=translation.revision,
            author=author,
            title=translation.title,
            slug=translation.slug,
            summary=translation.summary,
            body=translation.body,
            minor=minor,
            note=note,
        )
    )


def submit_for_review(
    translation: Translation, *, author: str, expected: int | None = None
) -> None:
    """A translator's work is ready: an editor reviews it next. ValueError unless in progress."""
    if translation.state != "in_progress":
        raise ValueError("only a translation in progress can be sent for review")
    _bump(translation, expected)
    translation.state = "review"
    _record(translation, author, "ready for review")


def publish_translation(
    translation: Translation, *, author: str, expected: int | None = None
) -> None:
    """An editor publishes a translation: readers see it (when its article is published)."""
    if translation.state == "published":
        raise ValueError("the translation is published already")
    _bump(translation, expected)
    translation.state, translation.review_comment = "published", ""
    _record(translation, author, "published")


def send_back(
    translation: Translation, comment: str, *, author: str, expected: int | None = None
) -> None:
    """An editor returns a translation under review to its translator, saying why."""
    if translation.state != "review":
        raise ValueError("only a translation under review can be sent back")
    _bump(translation, expected)
    translation.state, translation.review_comment = "in_progress", comment
    _record(translation, author, f"sent back: {comment}"[:300])


def restore_revision(
    translation: Translation, revision: Revision, *, author: str, expected: int | None = None
) -> bool:
    """Save an old revision's text again, as a new revision (history only grows); its slug too
    if no other translation has taken it meanwhile."""
    slug = revision.slug
    taken = _slug_owner(translation.lang, slug) not in (None, translation.id)
    return put_translation(
        translation.article,
        translation.lang,
        Text(revision.title, revision.summary, revision.body),
        translation.slug if taken else slug,
        author=author,
        expected=expected,
        note=f"restored revision {revision.number}",
    )


def mark_up_to_date(translation: Translation, *, author: str, expected: int | None = None) -> None:
    """Record that a translation now follows its source as it is, as a new revision (same text):
    readers stop being told it may be outdated."""
    source = translation.article.source
    if source is None or source is translation:
        raise ValueError("the source itself is always up to date")
    _bump(translation, expected)
    translation.source_revision = source.revision
    _record(translation, author, f"up to date with the source's revision {source.revision}")


def index_for_search(translation: Translation) -> None:
    """Set what the search index holds for a translation: its words folded, and exact."""
    text = f"{translation.title} {translation.summary} {plain_text(translation.body)}"
    translation.search_text, translation.search_exact = folded_words(text), exact_words(text)
    translation.title_folded = folded_words(translation.title)


def _slug_owner(lang: str, slug: str) -> int | None:
    return dbsession.scalar(
        select(Translation.id).where(Translation.lang == lang, Translation.slug == slug)
    )


def _free_slug(lang: str, title: str, article: Article, reserved) -> str:
    base = slugify(title) or slugify(article.key) or "article"
    slug, number = base, 1
    while (lang, slug) in reserved or _slug_owner(lang, slug) is not None:
        number += 1
        slug = f"{base[:95]}-{number}"
    return slug


def _claim_slug(lang: str, slug: str) -> None:
    # A current slug wins over any redirect that still remembers it.
    dbsession.execute(delete(OldSlug).where(OldSlug.lang == lang, OldSlug.slug == slug))


def delete_article(
    article: Article, when: datetime, *, author: str, expected: int | None = None
) -> None:
    """Move an article to the trash: invisible everywhere, restorable, its slugs kept;
    ValueError if it is there already."""
    if article.deleted_at is not None:
        raise ValueError(f"article {article.key!r} is already deleted")
    _bump(article, expected)
    article.deleted_at = when
    memory.remember(article)  # nothing in the trash is suggested
    _record_settings(article, author, "deleted")


def restore_article(article: Article, *, author: str, expected: int | None = None) -> None:
    """Take an article out of the trash, with its status and slugs as they were; ValueError if
    it is not deleted."""
    if article.deleted_at is None:
        raise ValueError(f"article {article.key!r} is not deleted")
    _bump(article, expected)
    article.deleted_at = None
    memory.remember(article)
    _record_settings(article, author, "restored")


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
