"""The full-text index over Translation.search_text: FTS5 on SQLite, tsvector on PostgreSQL.

The models do not describe it (it is dialect-specific). Migrations create it, and every
upgrade ends with `ensure`, so a migration that recreates the translation table (Alembic's
batch mode on SQLite drops its triggers) can never leave search silently stale.
"""

from sqlalchemy import Connection, text

SQLITE_OBJECTS = frozenset(
    {
        "translation_fts",
        "translation_fts_vocab",
        "translation_fts_ai",
        "translation_fts_ad",
        "translation_fts_au",
    }
)
_COLUMNS = "search_text, search_exact"
_NEW = "new.search_text, new.search_exact"
_OLD = "old.search_text, old.search_exact"
SQLITE_DDL = (
    # The folded column has no diacritics; the exact one must keep them.
    f"CREATE VIRTUAL TABLE translation_fts USING fts5({_COLUMNS}, content='translation', "
    "content_rowid='id', tokenize='unicode61 remove_diacritics 0')",
    # How many translations hold each word: a cheap estimate of how many a query matches.
    "CREATE VIRTUAL TABLE translation_fts_vocab USING fts5vocab(translation_fts, 'col')",
    "CREATE TRIGGER translation_fts_ai AFTER INSERT ON translation BEGIN "
    f"INSERT INTO translation_fts(rowid, {_COLUMNS}) VALUES (new.id, {_NEW}); END",
    "CREATE TRIGGER translation_fts_ad AFTER DELETE ON translation BEGIN "
    f"INSERT INTO translation_fts(translation_fts, rowid, {_COLUMNS}) "
    f"VALUES ('delete', old.id, {_OLD}); END",
    f"CREATE TRIGGER translation_fts_au AFTER UPDATE OF {_COLUMNS} ON translation BEGIN "
    f"INSERT INTO translation_fts(translation_fts, rowid, {_COLUMNS}) "
    f"VALUES ('delete', old.id, {_OLD}); "
    f"INSERT INTO translation_fts(rowid, {_COLUMNS}) VALUES (new.id, {_NEW}); END",
)
# The folded words as they are (the query brings its own stems as prefixes), weight D; the
# exact words weight A, so that ts_rank puts exact matches first.
POSTGRES_DDL = (
    "ALTER TABLE translation ADD COLUMN search_vector tsvector GENERATED ALWAYS AS "
    "(setweight(to_tsvector('simple'::regconfig, search_text), 'D') || "
    "setweight(to_tsvector('simple'::regconfig, search_exact), 'A')) STORED",
    "CREATE INDEX ix_translation_search_vector ON translation USING gin (search_vector)",
)


def is_index_object(name: str | None) -> bool:
    """Whether a table, column or index name belongs to the search index (not the models)."""
    return bool(name) and (name.startswith("translation_fts") or "search_vector" in name)


def ensure(connection: Connection) -> bool:
    """Create the index if any part of it is missing, and fill it; True if it had to."""
    dialect = connection.dialect.name
    if dialect == "sqlite":
        found = connection.scalars(
            text("SELECT name FROM sqlite_master WHERE name LIKE 'translation_fts%'")
        )
        if SQLITE_OBJECTS <= set(found):
            return False
        for name in ("translation_fts_ai", "translation_fts_ad", "translation_fts_au"):
            connection.execute(text(f"DROP TRIGGER IF EXISTS {name}"))
        for name in ("translation_fts_vocab", "translation_fts"):
            connection.execute(text(f"DROP TABLE IF EXISTS {name}"))
        for statement in SQLITE_DDL:
            connection.execute(text(statement))
        rebuild(connection)
        return True
    if dialect == "postgresql":
        column = connection.scalar(
            text(
                "SELECT 1 FROM information_schema.columns WHERE table_schema = current_schema() "
                "AND table_name = 'translation' AND column_name = 'search_vector'"
            )
        )
        if column:
            return False
        for statement in POSTGRES_DDL:
            connection.execute(text(statement))
        return True
    return False


def rebuild(connection: Connection) -> None:
    """Rebuild the index from the stored search text (PostgreSQL's is always current)."""
    if connection.dialect.name == "sqlite":
        connection.execute(text("INSERT INTO translation_fts(translation_fts) VALUES ('rebuild')"))
