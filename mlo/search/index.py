"""The full-text index over Translation.search_text: FTS5 on SQLite, tsvector on PostgreSQL.

The models do not describe it (it is dialect-specific). Migrations create it, and every
upgrade ends with `ensure`, so a migration that recreates the translation table (Alembic's
batch mode on SQLite drops its triggers) can never leave search silently stale.

Each language has its own index of only the translations readers may see at some time
(`listed_at` set), kept by triggers on the translation table. On SQLite an FTS5 table keyed by
`key`: newest first is the index's own order, so a search reads the newest matches and stops at
what the page needs, however common its words. On PostgreSQL a table of the vectors with a GIN
index and an index on publication time, so that neither the count nor the newest matches read
whole translation rows. Beside them, on both, a list of every indexed word (on SQLite with how
many translations hold it): a prefix becomes the words it stands for, which the indexes look up
far faster than a prefix (FTS5 merges the whole lists of a prefix's words before it returns a
row), and SQLite knows how common a query's words are without reading the index."""

import calendar
from datetime import datetime

from sqlalchemy import Connection, text

from mlo.locales import CODES

# Key = the second a translation is listed from * 2**24 + its article's id: newest first and
# unique in one language for articles numbered below 16,777,216, at any date of years 2-9998.
KEY_SHIFT = 24
WORDS = "translation_fts_words"
TRIGGERS = ("translation_fts_ai", "translation_fts_ad", "translation_fts_au")
# Objects of the single index the reading site started with.
_FORMER = ("translation_fts_vocab", "translation_fts")


def fts_table(lang: str) -> str:
    """The SQLite FTS5 table of one language's listed translations."""
    return f"translation_fts_{lang}"


def key(moment: datetime, article_id: int) -> int:
    """The index key of a translation listed at `moment` (naive UTC), as the triggers make it."""
    return calendar.timegm(moment.timetuple()) * 2**KEY_SHIFT + article_id


def article_of(key: int) -> int:
    """The article id inside an index key."""
    return key & (2**KEY_SHIFT - 1)


SQLITE_OBJECTS = frozenset({*map(fts_table, CODES), WORDS, *TRIGGERS})


def _key(row: str) -> str:
    return f"CAST(strftime('%s', {row}.listed_at) AS INTEGER) * {2**KEY_SHIFT} + {row}.article_id"


def _words(row: str) -> str:
    # The stored texts are words of letters and digits separated by single spaces (see
    # mlo.text.words): quoted and comma-separated they are a JSON array.
    joined = f"{row}.search_text || ' ' || {row}.search_exact"
    return f"""json_each('["' || replace({joined}, ' ', '","') || '"]')"""


def _and(condition: str | None) -> str:
    return f" AND ({condition})" if condition else ""


def _insert(row: str, words: str | None = None) -> str:
    statements = [
        f"INSERT INTO {fts_table(lang)}(rowid, search_text, search_exact) "
        f"SELECT {_key(row)}, {row}.search_text, {row}.search_exact "
        f"WHERE {row}.lang = '{lang}' AND {row}.listed_at IS NOT NULL"
        for lang in CODES
    ]
    statements.append(
        f"INSERT INTO {WORDS}(lang, word, docs) SELECT DISTINCT {row}.lang, value, 1 "
        f"FROM {_words(row)} WHERE {row}.listed_at IS NOT NULL{_and(words)} AND value <> '' "
        "ON CONFLICT (lang, word) DO UPDATE SET docs = docs + 1"
    )
    return "; ".join(statements)


def _delete(row: str, words: str | None = None) -> str:
    statements = [
        f"INSERT INTO {fts_table(lang)}({fts_table(lang)}, rowid, search_text, search_exact) "
        f"SELECT 'delete', {_key(row)}, {row}.search_text, {row}.search_exact "
        f"WHERE {row}.lang = '{lang}' AND {row}.listed_at IS NOT NULL"
        for lang in CODES
    ]
    statements.append(
        f"UPDATE {WORDS} SET docs = docs - 1 WHERE {row}.listed_at IS NOT NULL{_and(words)} "
        f"AND lang = {row}.lang AND word IN (SELECT value FROM {_words(row)})"
    )
    return "; ".join(statements)


_INDEXED = ("search_text", "search_exact", "listed_at", "lang", "article_id")
# An update that changes none of the indexed values leaves the index as it is; one that only
# moves a listed translation in time leaves the word counts as they are.
_CHANGED = " OR ".join(f"old.{column} IS NOT new.{column}" for column in _INDEXED)
_WORDS_CHANGED = "(old.listed_at IS NULL) <> (new.listed_at IS NULL) OR " + " OR ".join(
    f"old.{column} IS NOT new.{column}" for column in ("search_text", "search_exact", "lang")
)


SQLITE_DDL = (
    # Contentless: the texts are in the translation table. The folded column has no
    # diacritics; the exact one must keep them.
    *(
        f"CREATE VIRTUAL TABLE {fts_table(lang)} USING fts5(search_text, search_exact, "
        "content='', tokenize='unicode61 remove_diacritics 0')"
        for lang in CODES
    ),
    f"CREATE TABLE {WORDS} (lang VARCHAR(2) NOT NULL, word TEXT NOT NULL, "
    "docs INTEGER NOT NULL, PRIMARY KEY (lang, word)) WITHOUT ROWID",
    f"CREATE TRIGGER translation_fts_ai AFTER INSERT ON translation BEGIN {_insert('new')}; END",
    f"CREATE TRIGGER translation_fts_ad AFTER DELETE ON translation BEGIN {_delete('old')}; END",
    f"CREATE TRIGGER translation_fts_au AFTER UPDATE OF {', '.join(_INDEXED)} ON translation "
    f"WHEN {_CHANGED} BEGIN {_delete('old', _WORDS_CHANGED)}; {_insert('new', _WORDS_CHANGED)}; "
    "END",
)


# PostgreSQL: the vector of every listed translation in a narrow table of its language, kept by
# a trigger, so that reading the newest in order, or many matches from the index, reads no
# whole translation rows; its GIN index without the pending list of fast updates, which every
# query would otherwise read whole.
VECTORS = "translation_fts_vector"


def vectors_table(lang: str) -> str:
    """The PostgreSQL table of one language's listed translations and their vectors."""
    return f"{VECTORS}_{lang}"


# The folded words as they are (the query brings its own stems as prefixes), weight D; the
# exact words weight A, so that ts_rank puts exact matches first.
POSTGRES_COLUMN = (
    "ALTER TABLE translation ADD COLUMN search_vector tsvector GENERATED ALWAYS AS "
    "(setweight(to_tsvector('simple'::regconfig, search_text), 'D') || "
    "setweight(to_tsvector('simple'::regconfig, search_exact), 'A')) STORED"
)
_ROUTE = "\n".join(
    f"""        {"IF" if i == 0 else "ELSIF"} NEW.lang = '{lang}' THEN
            INSERT INTO {vectors_table(lang)} VALUES
                (NEW.id, NEW.article_id, NEW.listed_at, NEW.search_vector);"""
    for i, lang in enumerate(CODES)
)
_UNLIST = "\n".join(
    f"        DELETE FROM {vectors_table(lang)} WHERE id = OLD.id;" for lang in CODES
)
POSTGRES_DDL = (
    *(
        statement
        for lang in CODES
        for statement in (
            # The foreign key: emptying the translation table (TRUNCATE ... CASCADE) empties
            # this one too.
            f"CREATE TABLE {vectors_table(lang)} (id INTEGER PRIMARY KEY REFERENCES "
            "translation (id) ON DELETE CASCADE, article_id INTEGER NOT NULL, "
            "listed_at TIMESTAMP WITHOUT TIME ZONE NOT NULL, search_vector TSVECTOR NOT NULL)",
            f"CREATE INDEX ix_{vectors_table(lang)}_listing ON {vectors_table(lang)} "
            "(listed_at, article_id)",
            f"CREATE INDEX ix_{vectors_table(lang)} ON {vectors_table(lang)} "
            "USING gin (search_vector) WITH (fastupdate = off)",
        )
    ),
    # Every word a listed translation has had, for prefixes to stand for: the index then
    # looks its words up, and skips through their lists, rather than merge whole prefixes.
    f'CREATE TABLE {WORDS} (lang VARCHAR(2) NOT NULL, word TEXT COLLATE "C" NOT NULL)',
    f"CREATE INDEX ix_{WORDS} ON {WORDS} (lang, word)",
    f"""CREATE FUNCTION {VECTORS}_sync() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' THEN
{_UNLIST}
    END IF;
    IF TG_OP <> 'DELETE' AND NEW.listed_at IS NOT NULL THEN
{_ROUTE}
        END IF;
        -- Only words not listed yet, and no unique key: concurrent writers never wait for
        -- each other here (a word listed twice is read once).
        INSERT INTO {WORDS} (lang, word)
        SELECT NEW.lang, lexeme FROM unnest(tsvector_to_array(NEW.search_vector)) AS lexeme
        WHERE NOT EXISTS (
            SELECT 1 FROM {WORDS} WHERE lang = NEW.lang AND word = lexeme
        );
    END IF;
    RETURN NULL;
END $$""",
    f"CREATE TRIGGER {VECTORS}_sync AFTER INSERT OR DELETE OR UPDATE OF {', '.join(_INDEXED)} "
    f"ON translation FOR EACH ROW EXECUTE FUNCTION {VECTORS}_sync()",
)
_POSTGRES_OBJECTS = frozenset({WORDS, f"ix_{WORDS}"}) | frozenset(
    name
    for lang in CODES
    for name in (
        vectors_table(lang),
        f"ix_{vectors_table(lang)}_listing",
        f"ix_{vectors_table(lang)}",
    )
)
# GIN indexes of earlier versions, on the translation table itself.
_FORMER_POSTGRES = (
    "ix_translation_search_vector",
    *(f"ix_translation_search_vector_{lang}" for lang in CODES),
)


def is_index_object(name: str | None) -> bool:
    """Whether a table, column or index name belongs to the search index (not the models)."""
    return bool(name) and (name.startswith("translation_fts") or "search_vector" in name)


def ensure(connection: Connection) -> bool:
    """Create the index if any part of it is missing, and fill it; True if it had to."""
    dialect = connection.dialect.name
    if dialect == "sqlite":
        found = set(
            connection.scalars(
                text("SELECT name FROM sqlite_master WHERE name LIKE 'translation_fts%'")
            )
        )
        if SQLITE_OBJECTS <= found and not found & set(_FORMER):
            return False
        for name in TRIGGERS:
            connection.execute(text(f"DROP TRIGGER IF EXISTS {name}"))
        for name in (*_FORMER, *map(fts_table, CODES), WORDS):
            connection.execute(text(f"DROP TABLE IF EXISTS {name}"))
        for statement in SQLITE_DDL:
            connection.execute(text(statement))
        rebuild(connection)
        return True
    if dialect == "postgresql":
        present = set(
            connection.scalars(
                text(
                    "SELECT column_name FROM information_schema.columns "
                    "WHERE table_schema = current_schema() AND table_name = 'translation' "
                    "UNION ALL SELECT indexname FROM pg_indexes "
                    "WHERE schemaname = current_schema() "
                    "UNION ALL SELECT tablename FROM pg_tables "
                    "WHERE schemaname = current_schema() "
                    "UNION ALL SELECT tgname FROM pg_trigger WHERE NOT tgisinternal "
                    "AND tgrelid = 'translation'::regclass"
                )
            )
        )
        for name in present & set(_FORMER_POSTGRES):
            connection.execute(text(f"DROP INDEX {name}"))
        if "search_vector" not in present:
            connection.execute(text(POSTGRES_COLUMN))
        elif _POSTGRES_OBJECTS | {f"{VECTORS}_sync"} <= present:
            return False
        connection.execute(text(f"DROP TRIGGER IF EXISTS {VECTORS}_sync ON translation"))
        connection.execute(text(f"DROP FUNCTION IF EXISTS {VECTORS}_sync()"))
        for name in (VECTORS, WORDS, *map(vectors_table, CODES)):
            connection.execute(text(f"DROP TABLE IF EXISTS {name}"))
        for statement in POSTGRES_DDL:
            connection.execute(text(statement))
        rebuild(connection)
        return True
    return False


def rebuild(connection: Connection) -> None:
    """Rebuild the index from the stored search text (on PostgreSQL from the vectors, which
    the database itself keeps current)."""
    if connection.dialect.name == "postgresql":
        for lang in CODES:
            table = vectors_table(lang)
            connection.execute(text(f"DELETE FROM {table}"))
            connection.execute(
                text(
                    f"INSERT INTO {table} SELECT id, article_id, listed_at, search_vector "
                    "FROM translation WHERE lang = :lang AND listed_at IS NOT NULL"
                ),
                {"lang": lang},
            )
            connection.execute(text(f"ANALYZE {table}"))
        connection.execute(text(f"DELETE FROM {WORDS}"))
        connection.execute(
            text(
                f"INSERT INTO {WORDS} (lang, word) SELECT DISTINCT lang, lexeme FROM translation, "
                "unnest(tsvector_to_array(search_vector)) AS lexeme WHERE listed_at IS NOT NULL"
            )
        )
        return
    for lang in CODES:
        table = fts_table(lang)
        connection.execute(text(f"INSERT INTO {table}({table}) VALUES ('delete-all')"))
        connection.execute(
            text(
                f"INSERT INTO {table}(rowid, search_text, search_exact) "
                f"SELECT {_key('translation')}, search_text, search_exact FROM translation "
                "WHERE lang = :lang AND listed_at IS NOT NULL"
            ),
            {"lang": lang},
        )
    connection.execute(text(f"DELETE FROM {WORDS}"))
    connection.execute(
        text(
            f"INSERT INTO {WORDS}(lang, word, docs) "
            "SELECT translation.lang, value, count(DISTINCT translation.id) "
            f"FROM translation, {_words('translation')} "
            "WHERE translation.listed_at IS NOT NULL AND value <> '' GROUP BY 1, 2"
        )
    )
