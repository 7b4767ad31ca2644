"""Interface catalogs: derive the Latin catalog, compile, and keep broken messages harmless.

Runs Babel in-process. The sr_Latn catalog is never edited by hand: it is the transliteration
of sr_Cyrl, written by `update` and `compile`.
"""

import re
from collections.abc import Iterable
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

from mlo import translit

DOMAIN = "messages"
CYRILLIC, LATIN = "sr_Cyrl", "sr_Latn"
_PERCENT = re.compile(r"%(?:\((\w+)\))?[-#0 +]*(?:\d+|\*)?(?:\.\d+)?([diouxXeEfFgGcrsa%])")


def root() -> Path:
    """The top-level translations/ folder."""
    return Path(__file__).resolve().parent.parent / "translations"


def po_path(base: Path, locale: str) -> Path:
    """Where a locale's .po file lives."""
    return base / locale / "LC_MESSAGES" / f"{DOMAIN}.po"


def read_catalog(path: Path, locale: str | None = None) -> Catalog:
    """A .po file as a Babel catalog."""
    with path.open("rb") as handle:
        return read_po(handle, locale=locale, domain=DOMAIN, abort_invalid=True)


def write_catalog(path: Path, catalog: Catalog) -> None:
    """Write a catalog as a .po file (creating folders)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as handle:
        write_po(handle, catalog, width=100)


def latin_catalog(cyrillic: Catalog) -> Catalog:
    """The sr_Latn catalog: sr_Cyrl with every msgstr (and plural form) transliterated."""
    latin = Catalog(
        locale=LATIN,
        domain=DOMAIN,
        project=cyrillic.project,
        version=cyrillic.version,
        creation_date=cyrillic.creation_date,
        revision_date=cyrillic.revision_date,
        last_translator="generated from sr_Cyrl by `flask translate update`",
        language_team=cyrillic.language_team,
        fuzzy=cyrillic.fuzzy,
        header_comment=(
            "# Serbian Latin interface strings, GENERATED from sr_Cyrl: do not edit.\n"
            "# Edit translations/sr_Cyrl/LC_MESSAGES/messages.po and run `make run`."
        ),
    )
    for message in cyrillic:
        if not message.id:
            continue
        string = message.string
        if isinstance(string, (tuple, list)):
            string = tuple(translit.to_latin_html(form) for form in string)
        else:
            string = translit.to_latin_html(string)
        latin.add(
            message.id,
            string,
            locations=message.locations,
            flags=message.flags,
            auto_comments=message.auto_comments,
            user_comments=message.user_comments,
            context=message.context,
        )
    return latin


def derive_latin(base: Path) -> None:
    """Rewrite translations/sr_Latn from translations/sr_Cyrl."""
    write_catalog(po_path(base, LATIN), latin_catalog(read_catalog(po_path(base, CYRILLIC))))


def locales_in(base: Path) -> list[str]:
    """The catalog directories that hold a .po file."""
    return sorted(p.parent.parent.name for p in base.glob(f"*/LC_MESSAGES/{DOMAIN}.po"))


def compile_all(base: Path) -> Iterable[str]:
    """Derive sr_Latn, then compile every catalog (fuzzy entries are left out); yields a report."""
    derive_latin(base)
    for locale in locales_in(base):
        path = po_path(base, locale)
        catalog = read_catalog(path, locale)
        with path.with_suffix(".mo").open("wb") as handle:
            write_mo(handle, catalog, use_fuzzy=False)
        yield f"compiled {path.with_suffix('.mo').relative_to(base.parent)}"


def sample_arguments(msgid: str) -> dict[str, object] | tuple[object, ...]:
    """Values that fill a msgid's %-placeholders, to try a translation with."""
    named: dict[str, object] = {}
    positional: list[object] = []
    for name, conversion in _PERCENT.findall(msgid):
        if conversion == "%":
            continue
        value: object = 1 if conversion in "diouxXeEfFgGc" else "x"
        if name:
            named[name] = value
        else:
            positional.append(value)
    return tuple(positional) if positional and not named else named


def remove_unsafe_messages(translations) -> list[str]:
    """Drop loaded messages that cannot be formatted like their msgid; return those msgids."""
    catalog = getattr(translations, "_catalog", {})
    broken = []
    for key, string in list(catalog.items()):
        msgid = key[0] if isinstance(key, tuple) else key
        if not msgid:
            continue  # the header
        msgid = msgid.split("\x04", 1)[-1]
        arguments = sample_arguments(msgid)
        if isinstance(arguments, dict):
            # Plural forms are filled with `num` even when the singular does not show it.
            arguments = {"num": 1, **arguments}
        try:
            string % arguments
        except (KeyError, ValueError, TypeError, IndexError):
            del catalog[key]
            broken.append(msgid)
    return broken
