"""The import/export format (a JSON array of articles): validation, upsert by key, export."""

import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from mlo.content import operations
from mlo.content.models import STATUSES, Article, Translation
from mlo.db import dbsession
from mlo.locales import CODES
from mlo.text import clean, dates
from mlo.text.slugs import is_slug

KEY_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$")
RECORD_FIELDS = {"key", "published", "status", "source", "translations", "deleted"}
TRANSLATION_FIELDS = {"title", "slug", "summary", "body"}
# Who the revisions an import writes are by.
AUTHOR = "import"


class ImportProblem(Exception):
    """A record that cannot be imported, with the field at fault."""

    def __init__(self, index: int, key: object, field: str, message: str) -> None:
        super().__init__(message)
        self.index, self.key, self.field, self.message = index, key, field, message

    def __str__(self) -> str:
        key = f" (key {self.key!r})" if isinstance(self.key, str) and self.key else ""
        text = f"record {self.index + 1}{key}: {self.field}: {self.message}"
        # A field name may hold a lone surrogate from the file: show it escaped, printable.
        return text.encode("utf-8", "backslashreplace").decode("utf-8")


@dataclass
class TranslationData:
    """One language of an incoming article: its prepared text and the slug it asks for."""

    lang: str
    text: operations.Text
    slug: str | None


@dataclass
class ArticleData:
    """An incoming article, validated."""

    key: str
    published_at: datetime
    status: str
    source: str
    translations: dict[str, TranslationData]
    converted: bool = False  # Serbian text was entered in Latin and converted to Cyrillic
    deleted_at: datetime | None = None  # in the trash since then (export writes it)


@dataclass
class ImportReport:
    """What an import did, by article key."""

    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)
    restored: list[str] = field(default_factory=list)
    converted: list[str] = field(default_factory=list)


def parse_records(data: Any, zone: str) -> list[ArticleData]:
    """Validate an import document (a JSON array of articles); raise ImportProblem on the first
    bad record."""
    if not isinstance(data, list):
        raise ImportProblem(-1, None, "(document)", "expected a JSON array of articles")
    records = [_parse_record(index, record, zone) for index, record in enumerate(data)]
    seen_keys: dict[str, int] = {}
    seen_slugs: dict[tuple[str, str], int] = {}
    for index, record in enumerate(records):
        if record.key in seen_keys:
            raise ImportProblem(
                index, record.key, "key", f"duplicate key (also record {seen_keys[record.key] + 1})"
            )
        seen_keys[record.key] = index
        for lang, translation in record.translations.items():
            if translation.slug is None:
                continue
            other = seen_slugs.setdefault((lang, translation.slug), index)
            if other != index:
                raise ImportProblem(
                    index,
                    record.key,
                    f"translations.{lang}.slug",
                    f"duplicate slug {translation.slug!r} (also record {other + 1})",
                )
    return records


def _parse_record(index: int, record: Any, zone: str) -> ArticleData:
    def problem(field_name: str, message: str) -> ImportProblem:
        key = record.get("key") if isinstance(record, dict) else None
        return ImportProblem(index, key, field_name, message)

    if not isinstance(record, dict):
        raise problem("(record)", "expected an object")
    unknown = set(record) - RECORD_FIELDS
    if unknown:
        raise problem(sorted(unknown)[0], "unknown field")
    key = record.get("key")
    if not isinstance(key, str) or not KEY_PATTERN.match(key):
        raise problem("key", "missing, or not letters, digits, '.', '_' and '-' (100 at most)")
    published = record.get("published")
    if not isinstance(published, str):
        raise problem("published", "missing; expected a date (2023-02-07) or an ISO datetime")
    published_at = _parse_moment(published, zone, problem, "published")
    deleted = record.get("deleted")
    if deleted is not None and not isinstance(deleted, str):
        raise problem("deleted", "expected a date or an ISO datetime (or null: not deleted)")
    deleted_at = None if deleted is None else _parse_moment(deleted, zone, problem, "deleted")
    status = record.get("status", "published")
    if status not in STATUSES:
        raise problem("status", f"{status!r} is not one of: {', '.join(STATUSES)}")
    translations = record.get("translations")
    if not isinstance(translations, dict) or not translations:
        raise problem("translations", "missing; expected an object with 'en' and/or 'sr'")
    parsed: dict[str, TranslationData] = {}
    converted = False
    for lang, fields in translations.items():
        if lang not in CODES:
            raise problem(f"translations.{lang}", f"unknown language (use {', '.join(CODES)})")
        parsed[lang], was_latin = _parse_translation(lang, fields, problem)
        converted = converted or was_latin
    source = record.get("source", next(code for code in CODES if code in parsed))
    if source not in CODES:
        raise problem("source", f"unknown language {source!r} (use {', '.join(CODES)})")
    if source not in parsed:
        raise problem("source", f"the source language {source!r} has no translation")
    return ArticleData(key, published_at, status, source, parsed, converted, deleted_at)


def _parse_moment(value: str, zone: str, problem, name: str) -> datetime:
    try:
        return dates.parse_published(value, zone)
    except ValueError as error:
        if "year" in str(error):
            raise problem(name, f"{value!r}: {error}") from None
        raise problem(name, f"{value!r} is not a date (2023-02-07) or an ISO datetime") from None


def _parse_translation(lang: str, fields: Any, problem) -> tuple[TranslationData, bool]:
    where = f"translations.{lang}"
    if not isinstance(fields, dict):
        raise problem(where, "expected an object with title, summary and body")
    unknown = set(fields) - TRANSLATION_FIELDS
    if unknown:
        raise problem(f"{where}.{sorted(unknown)[0]}", "unknown field")
    for name in TRANSLATION_FIELDS:
        if name in fields and not isinstance(fields[name], str):
            raise problem(f"{where}.{name}", "expected a string")
        reason = clean.problem(fields.get(name, ""))
        if reason:
            raise problem(f"{where}.{name}", reason)
    text = operations.prepare_text(
        lang, fields.get("title", ""), fields.get("summary", ""), fields.get("body", "")
    )
    title = text.title
    if not title:
        raise problem(f"{where}.title", "missing title")
    if len(title) > 300:
        raise problem(f"{where}.title", "longer than 300 characters")
    slug = fields.get("slug") or None
    if slug is not None and not is_slug(slug):
        raise problem(f"{where}.slug", f"{slug!r} is not lower-case ASCII words joined by '-'")
    return TranslationData(lang, text, slug), text.converted


def import_document(data: Any, zone: str) -> ImportReport:
    """Validate and upsert an import document whose dates are local to `zone` (flushes)."""
    return import_articles(parse_records(data, zone))


def import_articles(records: list[ArticleData]) -> ImportReport:
    """Upsert validated articles by key (flushes; raises ImportProblem on a slug clash)."""
    report = ImportReport()
    _check_slugs_against_database(records)
    # A slug one record gives explicitly is not free for a title-made slug of another.
    reserved = set().union(*map(_own_slugs, records))
    for index, record in enumerate(records):
        article = dbsession.scalar(select(Article).where(Article.key == record.key))
        outcome = "created" if article is None else "updated"
        if article is None:
            article = Article(key=record.key)
            dbsession.add(article)
        try:
            changed = _set_article(article, record, reserved - _own_slugs(record))
        except operations.Conflict:
            raise ImportProblem(
                index, record.key, "(record)", "someone saved this article during the import"
            ) from None
        if outcome == "created" or changed:
            getattr(report, outcome).append(record.key)
        else:
            report.unchanged.append(record.key)
        if record.deleted_at is not None and article.deleted_at is None:
            operations.delete_article(article, record.deleted_at, author=AUTHOR)
            report.deleted.append(record.key)
        elif record.deleted_at is None and article.deleted_at is not None:
            operations.restore_article(article, author=AUTHOR)
            report.restored.append(record.key)
        if record.converted:
            report.converted.append(record.key)
        try:
            dbsession.flush()
        except IntegrityError as error:
            # Checked above, so only a writer racing this import gets here.
            raise ImportProblem(
                index, record.key, "translations", f"conflicts with the database: {error.orig}"
            ) from None
    return report


def _own_slugs(record: ArticleData) -> set[tuple[str, str]]:
    return {(lang, t.slug) for lang, t in record.translations.items() if t.slug}


def _check_slugs_against_database(records: list[ArticleData]) -> None:
    for index, record in enumerate(records):
        for lang, data in record.translations.items():
            if data.slug is None:
                continue
            owner = dbsession.execute(
                select(Article.key, Article.deleted_at)
                .join(Translation)
                .where(Translation.lang == lang, Translation.slug == data.slug)
            ).first()
            if owner is not None and owner.key != record.key:
                deleted = " (deleted: purge it to free the slug)" if owner.deleted_at else ""
                raise ImportProblem(
                    index,
                    record.key,
                    f"translations.{lang}.slug",
                    f"slug {data.slug!r} is already used by article {owner.key!r}{deleted}",
                )


def _set_article(article: Article, record: ArticleData, reserved: set[tuple[str, str]]) -> bool:
    changed = operations.save_settings(
        article, record.published_at, record.status, record.source, author=AUTHOR
    )
    touched = [
        lang
        for lang, data in record.translations.items()
        if operations.put_translation(
            article, data.lang, data.text, data.slug, reserved, author=AUTHOR
        )
    ]
    # A translation written now is written from the source as it is now.
    operations.mark_translated(article, [lang for lang in touched if lang != record.source])
    return changed or bool(touched)


def export_articles(zone: str) -> list[dict[str, Any]]:
    """Every article, deleted ones with their `deleted` time, in the import format, oldest
    first: importing the file gives back the same newsroom."""
    articles = dbsession.scalars(select(Article).order_by(Article.published_at, Article.key))
    return [_exported(article, zone) for article in articles]


def _exported(article: Article, zone: str) -> dict[str, Any]:
    record: dict[str, Any] = {
        "key": article.key,
        "published": dates.format_published(article.published_at, zone),
        "status": article.status,
        "source": article.source_lang,
        "translations": {
            lang: {"title": t.title, "slug": t.slug, "summary": t.summary, "body": t.body}
            for lang, t in sorted(article.translations.items())
        },
    }
    if article.deleted_at is not None:
        record["deleted"] = dates.format_published(article.deleted_at, zone)
    return record
