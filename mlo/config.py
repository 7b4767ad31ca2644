"""Default configuration; instance/config.py and MLO_* environment variables override it."""

SECRET_KEY = "dev-only-change-me"

# None means the SQLite file instance/mlo.sqlite3 (set in the factory, where the path is known).
DATABASE_URL: str | None = None

BABEL_DEFAULT_LOCALE = "en"
# Resolved against the package folder, so the top-level translations/ is one level up.
BABEL_TRANSLATION_DIRECTORIES = "../translations"

# Dates are stored in UTC and shown in the newsroom's own time zone (Babel is given it too).
NEWSROOM_TIMEZONE = "Europe/Belgrade"

PAGE_SIZE = 10
HOME_SIZE = 6
SEARCH_PAGE_SIZE = 10
SEARCH_MAX_QUERY = 200
FEED_SIZE = 20

# Cookie that remembers the reader's chosen locale for the redirect at /.
LANG_COOKIE = "lang"
