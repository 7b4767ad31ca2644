"""Interface catalog files: extract, update, init, compile and status, with Babel in-process.

Developer and translator tooling, never imported by the running site. Plain functions on a
translations folder (`base`) and the source tree (`project`). Translators edit only sr_Cyrl:
the sr_Latn catalog is its transliteration, rewritten by `update` and `compile`. The en catalog
is the English source, where an empty msgstr shows the msgid as written.
"""

import io
import re
import tomllib
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from babel import Locale, UnknownLocaleError
from babel.messages.catalog import Catalog, Message
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import PoFileError, read_po, write_po

from mlo import locales
from mlo.text import translit

DOMAIN = "messages"
# The catalog directories, as the locale table names them.
SOURCE, CYRILLIC, LATIN = (
    loc.gettext for loc in (locales.ENGLISH, locales.CYRILLIC, locales.LATIN)
)
REQUIRED = (SOURCE, CYRILLIC, LATIN)
ROLES = {SOURCE: "English source", CYRILLIC: "translators", LATIN: "generated from sr_Cyrl"}
KEYWORDS: dict[str, Any] = {
    "_": None,
    "_l": None,
    "_lp": ((1, "c"), 2),
    "gettext": None,
    "ngettext": (1, 2),
    "pgettext": ((1, "c"), 2),
    "lazy_gettext": None,
    "lazy_pgettext": ((1, "c"), 2),
    "npgettext": ((1, "c"), 2, 3),
}
COMMENT_TAGS = ["Translators:"]
# The commands as a translator pastes them into a terminal in the project folder.
TRANSLATE = ".venv/bin/flask --app app translate"
EXTRACT, UPDATE, COMPILE, INIT = (
    f"{TRANSLATE} {name}" for name in "extract update compile init".split()
)

_SERBIAN = re.compile(r"sr(?:[-_@].*)?", re.IGNORECASE)
_STRING = r'"(?:[^"\\]|\\.)*"'
_KEYWORD_LINE = re.compile(rf"(?:msgctxt|msgid|msgid_plural|msgstr|msgstr\[\d+\])\s*{_STRING}")
_NPLURALS = re.compile(r'"Plural-Forms:\s*nplurals\s*=\s*\d+\s*;')
_KEYWORDS = re.compile(r"(?:msgctxt|msgid|msgid_plural|msgstr|msgstr\[\d+\])(?=[\s\"]|$)")
# The generated files' own words stay as committed, so that regenerating them changes nothing.
_TEMPLATE_HEADER = (
    "# Interface strings of mlo, extracted from templates/ and mlo/: do not edit.\n"
    "# Regenerate with `flask --app app translate extract`, then run "
    "`flask --app app translate update`."
)
_LATIN_HEADER = (
    "# Serbian Latin interface strings, GENERATED from sr_Cyrl: do not edit.\n"
    "# Edit translations/sr_Cyrl/LC_MESSAGES/messages.po and run `make run`."
)


def shown(path: Path) -> str:
    """A path as a reader should see it: relative to the working directory when inside it."""
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


class CatalogError(Exception):
    """A catalog that cannot be read or made; the message names the file, the line and why."""

    def __init__(self, path: Path, line: int | None, reason: str) -> None:
        super().__init__(f"{shown(path)}{'' if line is None else f':{line}'}: {reason}")
        self.path, self.line, self.reason = path, line, reason


@dataclass(frozen=True)
class Problem:
    """One thing `check` found: where it is, which message, and why it is wrong."""

    path: Path
    line: int | None
    msgid: str
    reason: str

    def __str__(self) -> str:
        """file:line: "msgid": reason."""
        where = shown(self.path) + ("" if self.line is None else f":{self.line}")
        return f"{where}: {self.msgid}: {self.reason}" if self.msgid else f"{where}: {self.reason}"


@dataclass(frozen=True)
class Written:
    """A file a command wrote, or left alone because nothing had changed."""

    path: Path
    action: str
    messages: int
    detail: str = ""

    def __str__(self) -> str:
        """One line of a command's report."""
        detail = f" ({self.detail})" if self.detail else ""
        return f"{self.action} {shown(self.path)}: {self.messages} messages{detail}"


@dataclass(frozen=True)
class Entry:
    """A message listed by `status`: its msgid, context and where the code uses it."""

    msgid: str
    context: str | None
    locations: list[str]
    comments: list[str] = field(default_factory=list)  # the translator comments


@dataclass(frozen=True)
class Status:
    """How complete one catalog is."""

    locale: str
    role: str
    total: int
    translated: int
    fuzzy: int
    untranslated: int
    obsolete: int
    percent: float
    untranslated_messages: list[Entry] = field(default_factory=list)
    fuzzy_messages: list[Entry] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        """The status as plain data, for JSON."""
        return asdict(self)


# --- files ---------------------------------------------------------------------------------------


def project_root() -> Path:
    """The source tree: where pyproject.toml, templates/ and mlo/ live."""
    return Path(__file__).resolve().parents[2]


def root() -> Path:
    """The top-level translations/ folder."""
    return project_root() / "translations"


def template_path(base: Path) -> Path:
    """Where messages.pot lives."""
    return base / f"{DOMAIN}.pot"


def po_path(base: Path, locale: str) -> Path:
    """Where a locale's .po file lives."""
    return base / locale / "LC_MESSAGES" / f"{DOMAIN}.po"


def locales_in(base: Path) -> list[str]:
    """The catalog directories that hold a .po file."""
    return sorted(p.parent.parent.name for p in base.glob(f"*/LC_MESSAGES/{DOMAIN}.po"))


def read_catalog(path: Path, locale: str | None = None) -> Catalog:
    """A .po or .pot file as a Babel catalog; CatalogError says which line is wrong and why."""
    try:
        data = path.read_bytes()
    except OSError as error:
        raise CatalogError(path, None, f"cannot be read: {error.strerror}") from None
    try:
        text = data.decode("utf-8-sig")  # some editors start UTF-8 files with a byte-order mark
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise CatalogError(
            path, line, "this line is not UTF-8 text: save the file as UTF-8"
        ) from None
    lines = text.splitlines()
    for number, line in enumerate(lines, 1):
        reason = _syntax_problem(line.strip())
        if reason:
            raise CatalogError(path, number, f"does not parse: {reason}")
    try:
        return read_po(lines, locale=locale, domain=DOMAIN, abort_invalid=True)
    except PoFileError as error:
        reason = _explain(error)
        if reason:
            raise CatalogError(path, error.lineno + 1, f"does not parse: {reason}") from None
        problem = str(error).rsplit(" on ", 1)[0]
    except ValueError as error:
        problem = str(error)
    # Babel reads the header's values (dates, Language, nplurals) as it finishes the header.
    line = next((n for n, text in enumerate(lines, 1) if text.startswith('msgid ""')), 1)
    raise CatalogError(
        path, line, f"a value in the header (first entry) cannot be read: {problem}"
    ) from None


def _syntax_problem(line: str) -> str | None:
    # Babel silently accepts a missing closing quote or an unescaped " inside the text.
    if not line or line.startswith("#"):
        return None
    if line.startswith('"Plural-Forms:') and not _NPLURALS.match(line):
        return 'the header\'s Plural-Forms must start with "nplurals=N;", N being a number'
    if _KEYWORD_LINE.fullmatch(line) or re.fullmatch(_STRING, line):
        return None
    if _KEYWORDS.match(line) or line.startswith('"'):
        return (
            'the text must be in straight double quotes "…"; '
            "inside the text, use Serbian quotes „…“"
        )
    return "this line is not a msgid, msgstr or msgctxt line, a quoted line or a # comment"


def _explain(error: PoFileError) -> str | None:
    message = str(error)
    if message.startswith("msg has more translations"):
        return (
            f"this entry has more plural forms than the header's Plural-Forms allows "
            f"(nplurals={error.catalog.num_plurals}): fix Plural-Forms in the header"
        )
    if message.startswith("missing msgstr"):
        return "this entry has a msgid but no msgstr line"
    if message.startswith("cannot parse po file with conflicts"):
        return (
            "the file has merge-conflict markers (#-#-#-#-#): keep one translation, delete the rest"
        )
    if message.startswith(("Unknown or misformatted keyword", "Got line starting with")):
        return message.rsplit(" on ", 1)[0]
    return None  # a header value


def _render(catalog: Catalog) -> bytes:
    buffer = io.BytesIO()
    write_po(buffer, catalog, width=100, include_previous=True)
    return buffer.getvalue()


def write_catalog(path: Path, catalog: Catalog) -> None:
    """Write a catalog as a .po file (creating folders)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(_render(catalog))


def messages_of(catalog: Catalog) -> list[Message]:
    """The catalog's messages, without the header."""
    return [message for message in catalog if message.id]


def key_of(message: Message) -> tuple[str | None, object]:
    """What identifies a message across catalogs: its context and msgid(s)."""
    return message.context, tuple(message.id) if isinstance(message.id, list) else message.id


def _singular(message: Message) -> str:
    return message.id[0] if isinstance(message.id, (tuple, list)) else message.id


def describe(message: Message) -> str:
    """A message as a reader can find it in Poedit: its (singular) msgid, and context if any."""
    return f'"{_singular(message)}"' + (
        f' (context "{message.context}")' if message.context else ""
    )


def forms_of(message: Message) -> tuple[str, ...]:
    """A message's translation as a tuple of forms (one unless it is counted)."""
    string = message.string
    return tuple(string) if isinstance(string, (tuple, list)) else (string,)


def _complete(message: Message, nplurals: int) -> bool:
    forms = forms_of(message)
    return all(forms) and (not message.pluralizable or len(forms) == nplurals)


# --- extract, update, init -----------------------------------------------------------------------


def _pyproject(project: Path) -> dict[str, Any]:
    with (project / "pyproject.toml").open("rb") as handle:
        return tomllib.load(handle)


def mappings(project: Path) -> tuple[list[tuple[str, str]], dict[str, dict[str, str]]]:
    """The method map and options of [[tool.babel.mappings]] in the project's pyproject.toml."""
    method_map: list[tuple[str, str]] = []
    options_map: dict[str, dict[str, str]] = {}
    for mapping in _pyproject(project)["tool"]["babel"]["mappings"]:
        options = {
            name: str(value).lower() if isinstance(value, bool) else str(value)
            for name, value in mapping.items()
            if name not in ("method", "pattern")
        }
        if mapping["method"] == "jinja2":
            # mlo.web.i18n renders templates trimmed: msgids must be extracted trimmed.
            options["trimmed"] = "true"
        method_map.append((mapping["pattern"], mapping["method"]))
        options_map[mapping["pattern"]] = options
    return method_map, options_map


def extract(project: Path) -> Catalog:
    """Every interface string of the project's templates and Python code, as a template catalog."""
    meta = _pyproject(project)["project"]
    catalog = Catalog(
        project=meta["name"],
        version=meta["version"],
        header_comment=_TEMPLATE_HEADER,
        charset="utf-8",
        fuzzy=False,
    )
    method_map, options_map = mappings(project)
    for filename, lineno, message, comments, context in extract_from_dir(
        project, method_map, options_map, KEYWORDS, COMMENT_TAGS, strip_comment_tags=True
    ):
        location = (Path(filename).as_posix(), lineno)
        catalog.add(message, None, [location], auto_comments=comments, context=context)
    return catalog


def write_template(project: Path, base: Path) -> Written:
    """Extract the strings into messages.pot; an unchanged template keeps its file and date."""
    catalog = extract(project)
    path = template_path(base)
    count = len(messages_of(catalog))
    if path.exists():
        fresh = catalog.creation_date
        catalog.creation_date = read_catalog(path).creation_date
        if _render(catalog) == path.read_bytes():
            return Written(path, "unchanged", count)
        catalog.creation_date = fresh
    write_catalog(path, catalog)
    return Written(path, "wrote", count)


def update(base: Path) -> list[Written]:
    """Merge messages.pot into every hand-kept catalog, then regenerate sr_Latn from sr_Cyrl."""
    template = read_catalog(template_path(base))
    written = []
    for locale in locales_in(base):
        if locale == LATIN:
            continue
        path = po_path(base, locale)
        catalog = read_catalog(path, locale)
        before = {key_of(m) for m in messages_of(catalog)}
        obsolete = len(catalog.obsolete)
        # English msgstrs stay empty, so guessing them from similar msgids would only add noise.
        catalog.update(template, no_fuzzy_matching=locale == SOURCE)
        after = messages_of(catalog)
        added = sum(key_of(m) not in before for m in after)
        fuzzy = sum(m.fuzzy for m in after)
        gone = len(catalog.obsolete) - obsolete
        write_catalog(path, catalog)
        detail = f"{added} new, {fuzzy} fuzzy, {gone} no longer used"
        written.append(Written(path, "updated", len(after), detail))
    if CYRILLIC in locales_in(base):
        written.append(derive_latin(base))
    return written


def init(base: Path, locale: str) -> Written:
    """Start the catalog of a new language from messages.pot."""
    reason = directory_problem(locale)
    variant = serbian_variant(locale)
    if variant:
        reason = f"no catalog is made for {locale}: {variant}"
    if locale == LATIN:
        reason = "sr_Latn is generated from sr_Cyrl by `compile`; nobody starts or edits it"
    path = po_path(base, locale)
    if reason:
        raise CatalogError(base / locale, None, reason)
    if path.exists():
        raise CatalogError(path, None, f"already exists: run `{UPDATE}` to bring it up to date")
    catalog = read_catalog(template_path(base), locale)
    catalog.locale = locale
    catalog.revision_date = datetime.now().astimezone()
    catalog.fuzzy = False
    catalog.language_team = Locale.parse(locale).english_name
    catalog.header_comment = (
        f"# {catalog.language_team} interface strings of mlo.\n"
        "# How to translate: see TRANSLATING.md."
    )
    write_catalog(path, catalog)
    return Written(path, "created", len(messages_of(catalog)), "to translate")


def serbian_variant(name: str) -> str | None:
    """Why a Serbian catalog other than sr_Cyrl and sr_Latn is not made, or None for others."""
    if name == "sr":
        return (
            'a folder named "sr" is used by any Serbian page whose own catalog is missing, so '
            "Latin pages could show Cyrillic (Serbian is translated in sr_Cyrl; sr_Latn is "
            "generated from it)"
        )
    if name in (CYRILLIC, LATIN) or not _SERBIAN.fullmatch(name):
        return None
    if "latn" in name.lower() or "latin" in name.lower():
        return "Serbian Latin is generated into sr_Latn (from sr_Cyrl)"
    return "Serbian is translated in sr_Cyrl (and sr_Latn is generated from it)"


def directory_problem(name: str) -> str | None:
    """Why a folder under translations/ cannot be a catalog directory, or None if it can."""
    variant = serbian_variant(name)
    if variant:
        return f"remove this folder: {variant}"
    if "-" in name:
        fixed = name.replace("-", "_")
        return f"catalog folders use an underscore, not a hyphen: rename it to {fixed}"
    try:
        Locale.parse(name)
    except (ValueError, UnknownLocaleError):
        return f'"{name}" is not a language code (examples: de, fr, sr_Cyrl)'
    return None


# --- the Latin catalog and compiling -------------------------------------------------------------


def latin_catalog(cyrillic: Catalog) -> Catalog:
    """The sr_Latn catalog: sr_Cyrl with every msgstr (and plural form) transliterated."""
    latin = Catalog(
        locale=LATIN,
        domain=DOMAIN,
        project=cyrillic.project,
        version=cyrillic.version,
        creation_date=cyrillic.creation_date,
        revision_date=cyrillic.revision_date,
        last_translator="generated from sr_Cyrl by `flask --app app translate compile`",
        language_team="Serbian (Latin), generated",
        fuzzy=False,
        header_comment=_LATIN_HEADER,
    )
    for message in messages_of(cyrillic):
        forms = tuple(translit.to_latin_html(form) for form in forms_of(message))
        latin.add(
            message.id,
            forms if isinstance(message.string, (tuple, list)) else forms[0],
            locations=message.locations,
            flags=message.flags,
            auto_comments=message.auto_comments,
            user_comments=message.user_comments,
            context=message.context,
        )
    return latin


def derive_latin(base: Path) -> Written:
    """Rewrite translations/sr_Latn from translations/sr_Cyrl."""
    latin = latin_catalog(read_catalog(po_path(base, CYRILLIC), CYRILLIC))
    path = po_path(base, LATIN)
    write_catalog(path, latin)
    return Written(path, "generated", len(messages_of(latin)), "from sr_Cyrl")


def compile_all(base: Path) -> list[Written]:
    """Derive sr_Latn, then compile every catalog to .mo, leaving out what readers cannot use.

    Fuzzy entries and plural entries without all their forms are left out (the reader gets the
    English string), and the header always carries the directory's own language and plural rule.
    """
    for locale in locales_in(base):
        reason = directory_problem(locale)
        if reason:
            raise CatalogError(base / locale, None, reason)
    written = [derive_latin(base)]
    for locale in locales_in(base):
        path = po_path(base, locale)
        source = read_catalog(path, locale)
        compiled = Catalog(locale=locale, domain=DOMAIN, charset="utf-8", fuzzy=False)
        messages = messages_of(source)
        for message in messages:
            if not message.fuzzy and _complete(message, compiled.num_plurals):
                compiled.add(
                    message.id, message.string, flags=message.flags, context=message.context
                )
        with path.with_suffix(".mo").open("wb") as handle:
            write_mo(handle, compiled)
        count = len(messages_of(compiled))
        left_out = len(messages) - count
        detail = f"{left_out} untranslated or fuzzy, shown in English" if left_out else ""
        if locale == SOURCE:
            detail = "the English source: empty msgstrs show the msgid"
        written.append(Written(path.with_suffix(".mo"), "compiled", count, detail))
    return written


# --- status --------------------------------------------------------------------------------------


def _entry(message: Message) -> Entry:
    where = [f"{name}:{line}" if line else name for name, line in message.locations]
    return Entry(_singular(message), message.context, where, list(message.auto_comments))


def status(base: Path) -> list[Status]:
    """Per catalog: how many messages are translated, fuzzy, untranslated and obsolete."""
    report = []
    for locale in locales_in(base):
        catalog = read_catalog(po_path(base, locale), locale)
        messages = messages_of(catalog)
        fuzzy = [m for m in messages if m.fuzzy]
        untranslated = [
            m
            for m in messages
            if not m.fuzzy
            and not _complete(m, catalog.num_plurals)
            and not (locale == SOURCE and not any(forms_of(m)))
        ]
        translated = len(messages) - len(fuzzy) - len(untranslated)
        report.append(
            Status(
                locale=locale,
                role=ROLES.get(locale, "translators"),
                total=len(messages),
                translated=translated,
                fuzzy=len(fuzzy),
                untranslated=len(untranslated),
                obsolete=len(catalog.obsolete),
                percent=round(100 * translated / len(messages), 1) if messages else 100.0,
                untranslated_messages=[_entry(m) for m in untranslated],
                fuzzy_messages=[_entry(m) for m in fuzzy],
            )
        )
    return report
