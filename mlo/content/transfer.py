"""The import/export format (a JSON array of articles): validation, upsert by key, export."""

import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select

from mlo.content import operations
from mlo.content.models import STATUSES, Article, Translation
from mlo.db import dbsession
from mlo.locales import CODES
from mlo.text import dates
from mlo.text.slugs import is_slug

KEY_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$")
RECORD_FIELDS = {"key", "published", "status", "source", "translations"}
TRANSLATION_FIELDS = {"title", "slug", "summary", "body"}


class ImportProblem(Exception):
    """A record that cannot be imported, with the field at fault."""

    def __init__(self, index: int, key: object, field: str, message: str) -> None:
        super().__init__(message)
        self.index, self.key, self.field, self.message = index, key, field, message

    def __str__(self) -> str:
        key = f" (key {self.key!r})" if isinstance(self.key, str) and self.key else ""
        return f"record {self.index + 1}{key}: {self.field}: {self.message}"


@dataclass
class TranslationData:
    """One language of an incoming article, already sanitised and in canonical script."""

    lang: str
    title: str
    slug: str | None
    summary: str
    body: str


@dataclass
class ArticleData:
    """An incoming article, validated."""

    key: str
    published_at: datetime
    status: str
    source: str
    translations: dict[str, TranslationData]
    converted: bool = False  # Serbian text was entered in Latin and converted to Cyrillic


@dataclass
class ImportReport:
    """What an import did, by article key."""

    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
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
    try:
        published_at = dates.parse_published(published, zone)
    except ValueError:
        raise problem(
            "published", f"{published!r} is not a date (2023-02-07) or an ISO datetime"
        ) from None
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
    source = record.get("source", "en" if "en" in parsed else "sr")
    if source not in CODES:
        raise problem("source", f"unknown language {source!r} (use {', '.join(CODES)})")
    if source not in parsed:
        raise problem("source", f"the source language {source!r} has no translation")
    return ArticleData(key, published_at, status, source, parsed, converted)


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
        if "\x00" in fields.get(name, ""):
            raise problem(f"{where}.{name}", "contains a NUL character")
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
    return TranslationData(lang, title, slug, text.summary, text.body), text.converted


def import_document(data: Any, zone: str) -> ImportReport:
    """Validate and upsert an import document whose dates are local to `zone` (flushes)."""
    return import_articles(parse_records(data, zone))


def import_articles(records: list[ArticleData]) -> ImportReport:
    """Upsert validated articles by key (flushes; raises ImportProblem on a slug clash)."""
    report = ImportReport()
    _check_slugs_against_database(records)
    for record in records:
        article = dbsession.scalar(select(Article).where(Article.key == record.key))
        outcome = "created" if article is None else "updated"
        if article is None:
            article = Article(key=record.key)
            dbsession.add(article)
        changed = _set_article(article, record)
        if outcome == "created" or changed:
            getattr(report, outcome).append(record.key)
        else:
            report.unchanged.append(record.key)
        if record.converted:
            report.converted.append(record.key)
        dbsession.flush()
    return report


def _check_slugs_against_database(records: list[ArticleData]) -> None:
    for index, record in enumerate(records):
        for lang, data in record.translations.items():
            if data.slug is None:
                continue
            owner = dbsession.scalar(
                select(Article.key)
                .join(Translation)
                .where(Translation.lang == lang, Translation.slug == data.slug)
            )
            if owner is not None and owner != record.key:
                raise ImportProblem(
                    index,
                    record.key,
                    f"translations.{lang}.slug",
                    f"slug {data.slug!r} is already used by article {owner!r}",
                )


def _set_article(article: Article, record: ArticleData) -> bool:
    changed = operations.set_article(article, record.published_at, record.status, record.source)
    touched = [
        lang
        for lang, data in record.translations.items()
        if operations.put_translation(
            article, data.lang, data.title, data.summary, data.body, data.slug
        )
    ]
    # A translation written now is written from the source as it is now.
    operations.mark_translated(article, [lang for lang in touched if lang != record.source])
    return changed or bool(touched)


def export_articles(zone: str) -> list[dict[str, Any]]:
    """Every article that is not deleted, in the import format, oldest first."""
    articles = dbsession.scalars(
        select(Article)
        .where(Article.deleted_at.is_(None))
        .order_by(Article.published_at, Article.key)
    )
    return [
        {
            "key": article.key,
            "published": dates.format_published(article.published_at, zone),
            "status": article.status,
            "source": article.source_lang,
            "translations": {
                lang: {"title": t.title, "slug": t.slug, "summary": t.summary, "body": t.body}
                for lang, t in sorted(article.translations.items())
            },
        }
        for article in articles
    ]
