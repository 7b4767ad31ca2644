"""`translate check`: everything wrong with the catalogs, each with file:line and a fix."""

import gettext
from pathlib import Path

from babel.messages.catalog import Catalog, Message
from babel.messages.plurals import get_plural

from mlo.catalogs.files import (
    COMPILE,
    CYRILLIC,
    DOMAIN,
    EXTRACT,
    LATIN,
    REQUIRED,
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
from mlo.text import translit
from mlo.text.messages import lone_percent, new_markup, placeholders, without_placeholders


def check(project: Path, base: Path) -> list[Problem]:
    """Everything wrong with the catalogs, each with file:line, msgid and a reason to act on."""
    problems = _check_directories(base)
    template = _read_or_report(template_path(base), None, problems)
    if template is not None:
        problems += _check_template_is_fresh(project, base, template)
    catalogs: dict[str, Catalog] = {}
    for locale in locales_in(base):
        path = po_path(base, locale)
        catalog = _read_or_report(path, locale, problems) if not directory_problem(locale) else None
        if catalog is None:
            continue
        catalogs[locale] = catalog
        problems += _check_header(path, catalog, locale)
        if locale == LATIN:
            continue  # its messages are compared with sr_Cyrl's below
        problems += _check_messages(path, catalog, locale)
        if template is not None:
            problems += _check_against_template(path, catalog, template)
    if CYRILLIC in catalogs and LATIN in catalogs:
        problems += _check_latin(po_path(base, LATIN), catalogs[LATIN], catalogs[CYRILLIC])
    return problems


def _read_or_report(path: Path, locale: str | None, problems: list[Problem]) -> Catalog | None:
    try:
        return read_catalog(path, locale)
    except CatalogError as error:
        problems.append(Problem(error.path, error.line, "", error.reason))
        return None


def _check_directories(base: Path) -> list[Problem]:
    problems = []
    for folder in sorted(p for p in base.iterdir() if p.is_dir()):
        reason = directory_problem(folder.name)
        if reason is None and not po_path(base, folder.name).exists():
            reason = f"has no LC_MESSAGES/{DOMAIN}.po"
        if reason:
            problems.append(Problem(folder, None, "", reason))
    for locale in REQUIRED:
        if not po_path(base, locale).exists():
            fix = f"run `{COMPILE}`" if locale == LATIN else "restore it from git"
            problems.append(Problem(po_path(base, locale), None, "", f"is missing: {fix}"))
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
    wanted = [placeholders(msgid) for msgid in ids]
    for index, form in enumerate(forms):
        label = f"msgstr[{index}]" if message.pluralizable else "the translation"
        found = placeholders(form)
        if not form:
            continue
        if new_markup(ids[-1], form):
            reasons.append(
                f'{label} has " < > or & where the original has none: in a web page they are '
                "code; write quotes as „…“ and & as „и“"
            )
        if found not in wanted:
            reasons.append(
                f"placeholders differ: the original has {_listed(wanted[-1])}, {label} has "
                f"{_listed(found)}; copy each placeholder exactly as in the original"
            )
        elif lone_percent(form) and not any(lone_percent(msgid) for msgid in ids):
            reasons.append(f'{label} has a lone "%": write "%%" for a percent sign')
        if locale == CYRILLIC and translit.has_latin_serbian(without_placeholders(form)):
            reasons.append(
                f"{label} is in Latin letters: write it in Cyrillic (sr_Latn is made from it)"
            )
    return reasons


def _check_against_template(path: Path, catalog: Catalog, template: Catalog) -> list[Problem]:
    in_catalog = {key_of(m) for m in messages_of(catalog)}
    in_template = {key_of(m) for m in messages_of(template)}
    problems = [
        Problem(
            path, None, describe(m), f"is in messages.pot but not in this catalog: run `{UPDATE}`"
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


def _check_latin(path: Path, latin: Catalog, cyrillic: Catalog) -> list[Problem]:
    expected = latin_catalog(cyrillic)
    fix = f"sr_Latn is generated from sr_Cyrl, never edited: run `{COMPILE}` (or `make run`)"
    problems = []
    for message in messages_of(expected):
        found = latin.get(message.id, message.context)
        if found is None:
            problems.append(
                Problem(path, None, describe(message), f"is missing from sr_Latn: {fix}")
            )
        elif forms_of(found) != forms_of(message):
            problems.append(
                Problem(
                    path,
                    found.lineno,
                    describe(message),
                    f"is {' | '.join(forms_of(found))!r} here but the transliteration of "
                    f"sr_Cyrl is {' | '.join(forms_of(message))!r}: {fix}",
                )
            )
    keys = {key_of(m) for m in messages_of(expected)}
    problems += [
        Problem(path, m.lineno, describe(m), f"is not in sr_Cyrl: {fix}")
        for m in messages_of(latin)
        if key_of(m) not in keys
    ]
    return problems
