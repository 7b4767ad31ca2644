"""`translate check`: everything wrong with the catalogs, each with file:line and a fix."""

import gettext
import re
import unicodedata
from pathlib import Path

from babel.messages.catalog import Catalog, Message
from babel.messages.plurals import get_plural

from mlo.catalogs.files import (
    COMPILE,
    CYRILLIC,
    EXTRACT,
    INIT,
    LATIN,
    REQUIRED,
    SOURCE,
    UPDATE,
    CatalogError,
    Problem,
    describe,
    directory_problem,
    extract,
    forms_of,
    key_of,
    latin_catalog,
    locales_in,
    messages_of,
    po_path,
    read_catalog,
    template_path,
)
from mlo.text.messages import breaks_a_page, lone_percent, placeholders, without_placeholders

_TAG = re.compile(r"</?[A-Za-z][^<>]*>")
_MARKUP_CHARS = '"<>&'
# Left out of the Latin-letters check: tags, entities, e-mail addresses and web addresses.
_NOT_WORDS = re.compile(
    r"<[^<>]*>|&#?\w+;|[\w.+-]+@[\w-]+(?:\.[\w-]+)+|\b\w+://\S+|\bwww\.\S+", re.IGNORECASE
)
_WORD = re.compile(r"[^\W\d_]+")
# Roman numerals are written in Latin letters in Cyrillic text too (XXI век).
_ROMAN = re.compile(r"M{0,3}(?:CM|CD|D?C{0,3})(?:XC|XL|L?X{0,3})(?:IX|IV|V?I{0,3})")
_SERBIAN_CYRILLIC = frozenset("абвгдђежзијклљмнњопрстћуфхцчџш")
# Letters of other Cyrillic alphabets that Serbian writers slip in (a Russian keyboard, a copied
# word), and the Serbian spelling to use; transliteration leaves them Cyrillic on Latin pages.
_NOT_SERBIAN = {
    "й": "ј",
    "я": "ја",
    "ю": "ју",
    "щ": "шт",
    "ё": "е",
    "э": "е",
    "ы": "и",
    "ъ": "(leave it out)",
    "ь": "(leave it out; ль is љ, нь is њ)",
    "є": "е",
    "ї": "ји",
    "і": "и",
    "ґ": "г",
    "ѓ": "ђ",
    "ќ": "ћ",
    "ѕ": "дз",
}


def check(project: Path, base: Path) -> list[Problem]:
    """Everything wrong with the catalogs, each with file:line, msgid and a reason to act on."""
    problems = _check_directories(base)
    template = _read_or_report(template_path(base), None, problems)
    if template is not None:
        problems += _check_template_is_fresh(project, base, template)
    for locale in locales_in(base):
        if directory_problem(locale) or locale == LATIN:
            continue  # sr_Latn is generated: _check_latin looks at it
        path = po_path(base, locale)
        catalog = _read_or_report(path, locale, problems)
        if catalog is None:
            continue
        problems += _check_header(path, catalog, locale)
        problems += _check_messages(path, catalog, locale)
        if template is not None:
            problems += _check_against_template(path, catalog, template)
        if locale == CYRILLIC:
            problems += _check_latin(base, catalog)
    return problems


def _read_or_report(path: Path, locale: str | None, problems: list[Problem]) -> Catalog | None:
    try:
        return read_catalog(path, locale)
    except CatalogError as error:
        problems.append(Problem(error.path, error.line or 1, "", error.reason))
        return None


def _check_directories(base: Path) -> list[Problem]:
    problems = []
    for folder in sorted(p for p in base.iterdir() if p.is_dir()):
        reason = directory_problem(folder.name)
        path = po_path(base, folder.name)
        if reason:
            problems.append(Problem(folder, None, "", reason))
        elif folder.name not in REQUIRED and not path.exists():
            fix = f"start it with `{INIT} {folder.name}`, or delete the folder"
            problems.append(Problem(path, 1, "", f"is missing: {fix}"))
    # sr_Latn is not required: `compile` (and so `make run`) generates it.
    for locale in (SOURCE, CYRILLIC):
        if not po_path(base, locale).exists():
            problems.append(
                Problem(po_path(base, locale), 1, "", "is missing: restore it from git")
            )
    return problems


def _check_template_is_fresh(project: Path, base: Path, template: Catalog) -> list[Problem]:
    code = extract(project)
    fix = f"run `{EXTRACT}` and `{UPDATE}`"
    in_template = {key_of(m) for m in messages_of(template)}
    in_code = {key_of(m) for m in messages_of(code)}
    problems = [
        Problem(
            project / m.locations[0][0],
            m.locations[0][1],
            describe(m),
            f"is in the code but not in messages.pot: {fix}",
        )
        for m in messages_of(code)
        if key_of(m) not in in_template
    ]
    problems += [
        Problem(
            template_path(base),
            m.lineno,
            describe(m),
            f"is in messages.pot but no longer in the code: {fix}",
        )
        for m in messages_of(template)
        if key_of(m) not in in_code
    ]
    return problems


def _line_of(path: Path, needle: str) -> int:
    lines = path.read_text("utf-8").splitlines()
    return next((n for n, line in enumerate(lines, 1) if needle in line), 1)


def _examples(expression: str, nplurals: int) -> dict[int, list[int]]:
    rule = gettext.c2py(expression)
    examples: dict[int, list[int]] = {form: [] for form in range(nplurals)}
    for n in range(200):
        form = rule(n)
        if form in examples and len(examples[form]) < 6:
            examples[form].append(n)
    return examples


def _same_rule(expression: str, expected: str) -> bool:
    try:
        rule = gettext.c2py(expression)
    except (ValueError, SyntaxError):
        return False
    reference = gettext.c2py(expected)
    return all(rule(n) == reference(n) for n in range(1000))


def _check_header(path: Path, catalog: Catalog, locale: str) -> list[Problem]:
    problems = []
    if catalog.locale_identifier != locale:
        found = (
            f"Language: {catalog.locale_identifier}" if catalog.locale_identifier else "no Language"
        )
        problems.append(
            Problem(
                path,
                _line_of(path, '"Language:'),
                "(header)",
                f"the header says {found}, but this folder is {locale}: "
                f"set it to Language: {locale}",
            )
        )
    expected = get_plural(locale)
    if catalog.num_plurals != expected.num_plurals or not _same_rule(
        catalog.plural_expr, expected.plural_expr
    ):
        forms = _examples(expected.plural_expr, expected.num_plurals)
        shown_forms = "; ".join(
            f"form {form}: {', '.join(map(str, numbers))}…" for form, numbers in forms.items()
        )
        problems.append(
            Problem(
                path,
                _line_of(path, '"Plural-Forms:'),
                "(header)",
                f'the header has "Plural-Forms: {catalog.plural_forms}" but {locale} needs '
                f'"Plural-Forms: nplurals={expected.num_plurals}; plural={expected.plural_expr};" '
                f"({shown_forms}): copy that line into the header",
            )
        )
    return problems


def _listed(tokens: list[str]) -> str:
    return " ".join(tokens) if tokens else "none"


def _check_messages(path: Path, catalog: Catalog, locale: str) -> list[Problem]:
    rule = get_plural(locale)
    examples = _examples(rule.plural_expr, rule.num_plurals)
    return [
        Problem(path, message.lineno, describe(message), reason)
        for message in messages_of(catalog)
        for reason in _message_problems(message, locale, examples)
    ]


def _message_problems(message: Message, locale: str, examples: dict[int, list[int]]) -> list[str]:
    reasons = []
    forms = forms_of(message)
    if message.fuzzy:
        reasons.append("is marked fuzzy (needs work): check the translation, then clear the mark")
    if not any(forms):
        return reasons + (["is not translated"] if locale == CYRILLIC else [])
    if message.pluralizable:
        for index, numbers in examples.items():
            if index >= len(forms) or not forms[index]:
                shown_numbers = ", ".join(map(str, numbers))
                reasons.append(
                    f"msgstr[{index}] is empty: it is the form for numbers like {shown_numbers}…"
                )
    ids = list(message.id) if message.pluralizable else [message.id]
    for index, form in enumerate(forms):
        label = f"msgstr[{index}]" if message.pluralizable else "the translation"
        if not form:
            continue
        found = _placeholder_problems(ids, form, label) + _markup_problems(ids, form, label)
        if not found and breaks_a_page(ids[0], form, message.pluralizable):
            found.append(f"{label} cannot be shown (the page would show the original instead)")
        if locale == CYRILLIC:
            # A broken placeholder is not also a Latin word: one reason, the one to act on.
            found += _serbian_problems(ids, form, label, latin=not found)
        reasons += found
    return reasons


def _placeholder_problems(ids: list[str], form: str, label: str) -> list[str]:
    wanted = [placeholders(msgid) for msgid in ids]
    found = placeholders(form)
    if found not in wanted:
        return [
            f"placeholders differ: the original has {_listed(wanted[-1])}, {label} has "
            f"{_listed(found)}; copy each placeholder exactly as in the original"
        ]
    if lone_percent(form) and not any(lone_percent(msgid) for msgid in ids):
        return [f'{label} has a lone "%": write "%%" for a percent sign']
    return []


def _markup_problems(ids: list[str], form: str, label: str) -> list[str]:
    reasons = []
    original = "".join(ids)
    tags = [tag for tag in dict.fromkeys(_TAG.findall(form)) if tag not in original]
    if tags:
        one = len(tags) == 1
        reasons.append(
            f"{label} has the HTML {'tag' if one else 'tags'} {' '.join(tags)}, which the "
            f"original does not: remove the {'tag' if one else 'tags'}: the page's markup is "
            "not translated"
        )
    text = _TAG.sub("", form)
    chars = [c for c in _MARKUP_CHARS if c in text and c not in original]
    if chars:
        advice = []
        if '"' in chars:
            advice.append("write quotes as „…“")
        if "&" in chars:
            advice.append("write „и“ for &")
        if "<" in chars or ">" in chars:
            advice.append("write < and > as words")
        name = "a straight quote" if chars == ['"'] else " ".join(chars)
        reasons.append(
            f"{label} has {name} where the original has none: in a web page "
            f"{'it is' if len(chars) == 1 else 'they are'} code; {', '.join(advice)}"
        )
    return reasons


def _serbian_problems(ids: list[str], form: str, label: str, latin: bool) -> list[str]:
    reasons = []
    if latin and form.strip() in (msgid.strip() for msgid in ids) and _latin_words(form):
        reasons.append(f"{label} is the English original copied: translate it")
    elif latin and _latin_words(form):
        words = ", ".join(dict.fromkeys(_latin_words(form)))
        reasons.append(
            f"{label} has Latin letters ({words}): write it in Cyrillic, names and "
            "abbreviations too (sr_Latn is made from it)"
        )
    letters = dict.fromkeys(c for c in form if _foreign_cyrillic(c))
    if letters:
        fixes = ", ".join(f"{c} → {_serbian_for(c)}" for c in letters)
        reasons.append(
            f"{label} has letters that are not Serbian, which Latin pages would show in "
            f"Cyrillic: {fixes}"
        )
    quotes = _english_quotes(form)
    if quotes:
        reasons.append(
            f"{label} has English quotation marks {' '.join(quotes)}: Serbian uses „…“ "
            "(and ‚…‘ inside them)"
        )
    return reasons


def _latin_words(text: str) -> list[str]:
    """The words of a translation that have Latin letters (placeholders and markup left out)."""
    words = _WORD.findall(_NOT_WORDS.sub(" ", without_placeholders(text)))
    return [
        word
        for word in words
        if any(unicodedata.name(c, "").startswith("LATIN") for c in word)
        and not _ROMAN.fullmatch(word)
    ]


def _serbian_for(char: str) -> str:
    fix = _NOT_SERBIAN.get(char.lower(), "(retype the word in Serbian)")
    return fix.capitalize() if char.isupper() else fix


def _foreign_cyrillic(char: str) -> bool:
    return (
        unicodedata.name(char, "").startswith("CYRILLIC") and char.lower() not in _SERBIAN_CYRILLIC
    )


def _english_quotes(text: str) -> list[str]:
    """The quotation marks of a text that are English: “…” ”…” ‘…’ (Serbian „…“ and ‚…‘)."""
    found = []
    double = single = False  # whether a Serbian „ or ‚ is open
    for char in text:
        if char == "„":
            double = True
        elif char == "“":
            if not double:
                found.append(char)
            double = False
        elif char == "”":
            found.append(char)
        elif char == "‚":
            single = True
        elif char == "‘":
            if not single:
                found.append(char)
            single = False
    return list(dict.fromkeys(found))


def _check_against_template(path: Path, catalog: Catalog, template: Catalog) -> list[Problem]:
    in_catalog = {key_of(m) for m in messages_of(catalog)}
    in_template = {key_of(m) for m in messages_of(template)}
    last_line = len(path.read_text("utf-8-sig").splitlines()) or 1  # where `update` adds it
    problems = [
        Problem(
            path,
            last_line,
            describe(m),
            f"is in messages.pot but not in this catalog: run `{UPDATE}`",
        )
        for m in messages_of(template)
        if key_of(m) not in in_catalog
    ]
    problems += [
        Problem(
            path,
            m.lineno,
            describe(m),
            "is not in messages.pot: a msgid was changed (only msgstr lines may be edited) "
            f"or the string left the code; run `{UPDATE}`",
        )
        for m in messages_of(catalog)
        if key_of(m) not in in_template
    ]
    return problems


def _check_latin(base: Path, cyrillic: Catalog) -> list[Problem]:
    """sr_Latn as `compile` will make it from sr_Cyrl, and any hand edit of the sr_Latn file.

    A sr_Latn file older than sr_Cyrl is only stale (the next `compile` rewrites it), which is
    not a problem. One written after sr_Cyrl that differs from the transliteration was edited.
    """
    expected = latin_catalog(cyrillic)
    problems = []
    for message in messages_of(expected):
        source = cyrillic.get(message.id, message.context)
        for form, original in zip(forms_of(message), forms_of(source), strict=True):
            ids = message.id if message.pluralizable else [message.id]
            if breaks_a_page(ids[0], form, message.pluralizable) and not breaks_a_page(
                ids[0], original, message.pluralizable
            ):
                problems.append(
                    Problem(
                        po_path(base, CYRILLIC),
                        source.lineno,
                        describe(message),
                        f"the Latin version {form!r} cannot be shown, although the Cyrillic "
                        "can: tell a programmer (the transliteration breaks it)",
                    )
                )
    path = po_path(base, LATIN)
    cyrillic_path = po_path(base, CYRILLIC)
    if not path.exists() or path.stat().st_mtime_ns <= cyrillic_path.stat().st_mtime_ns:
        return problems
    fix = (
        "sr_Latn is generated from sr_Cyrl and `compile` overwrites it: make the change in "
        f"sr_Cyrl, then run `{COMPILE}` (or `make run`)"
    )
    try:
        latin = read_catalog(path, LATIN)
    except CatalogError as error:
        return [*problems, Problem(error.path, error.line or 1, "", f"{error.reason}; {fix}")]
    for message in messages_of(expected):
        found = latin.get(message.id, message.context)
        if found is None:
            last_line = len(path.read_text("utf-8-sig").splitlines()) or 1
            problems.append(
                Problem(path, last_line, describe(message), f"was deleted from sr_Latn: {fix}")
            )
        elif forms_of(found) != forms_of(message):
            problems.append(
                Problem(
                    path,
                    found.lineno,
                    describe(message),
                    f"was edited by hand: it is {' | '.join(forms_of(found))!r} here but the "
                    f"transliteration of sr_Cyrl is {' | '.join(forms_of(message))!r}; {fix}",
                )
            )
    keys = {key_of(m) for m in messages_of(expected)}
    problems += [
        Problem(path, m.lineno, describe(m), f"was added to sr_Latn but is not in sr_Cyrl: {fix}")
        for m in messages_of(latin)
        if key_of(m) not in keys
    ]
    return problems
