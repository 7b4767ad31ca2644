"""Interface catalogs: the translate commands, every `check` problem, and run-time safety.

Every test works on a copy of translations/ in a temporary folder; the real tree is only read.
"""

import json
import logging
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from babel.support import Translations
from flask import Flask
from flask.testing import FlaskCliRunner

from mlo.catalogs import files as catalogs
from mlo.catalogs.check import check as check_catalogs
from mlo.catalogs.cli import translate
from tests.conftest import running_app

PROJECT = catalogs.project_root()
LANGUAGE = '"Language: sr_Cyrl\\n"'
SERBIAN_PLURALS = re.compile(r'"Plural-Forms: .*?;\\n"\n', re.DOTALL)
PLURAL_FORMS = '"Plural-Forms: {}\\n"'


@pytest.fixture
def base(tmp_path: Path) -> Path:
    """A copy of translations/ (without compiled files) that a test may break."""
    target = tmp_path / "translations"
    shutil.copytree(catalogs.root(), target, ignore=shutil.ignore_patterns("*.mo"))
    return target


@pytest.fixture
def served(base: Path, tmp_path: Path) -> Iterator[Flask]:
    """An app on an empty database that serves (and whose commands use) the copied catalogs."""
    url = f"sqlite:///{tmp_path / 'catalogs.sqlite3'}"
    catalogs.compile_all(base)
    with running_app(url, BABEL_TRANSLATION_DIRECTORIES=str(base)) as app:
        yield app


@pytest.fixture
def cli(served: Flask) -> FlaskCliRunner:
    """A CLI runner whose `translate` commands work on the copied catalogs."""
    # The flask command finds `translate` through its entry point; the app itself has no link.
    served.cli.add_command(translate)
    return served.test_cli_runner()


def po(base: Path, locale: str = catalogs.CYRILLIC) -> Path:
    """A locale's .po file in the copy."""
    return catalogs.po_path(base, locale)


def edit(path: Path, old: str, new: str) -> int:
    """Replace the one occurrence of old in a file; return the line it starts on."""
    text = path.read_text("utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), "utf-8")
    return text[: text.index(old)].count("\n") + 1


def msgid_line(path: Path, msgid: str) -> int:
    """The line of `msgid "..."` in a .po file."""
    lines = path.read_text("utf-8").splitlines()
    return lines.index(f'msgid "{msgid}"') + 1


def header_line(path: Path, name: str) -> int:
    """The line of a header field in a .po file."""
    lines = path.read_text("utf-8").splitlines()
    return next(n for n, text in enumerate(lines, 1) if text.startswith(f'"{name}:'))


def set_plural_forms(base: Path, value: str) -> None:
    """Replace the Plural-Forms header of the copied sr_Cyrl catalog with a one-line value."""
    text = po(base).read_text("utf-8")
    line = PLURAL_FORMS.replace("{}", value)
    po(base).write_text(SERBIAN_PLURALS.sub(lambda _: line + "\n", text, count=1), "utf-8")


LABEL = r"(?:the translation|msgstr\[\d\])"


def documented_reasons() -> list[re.Pattern[str]]:
    """The messages TRANSLATING.md explains (the first column of its table), as patterns."""
    text = (PROJECT / "TRANSLATING.md").read_text("utf-8")
    table = text[text.index("| message | what to do |") :].split("\n\n")[0]
    cells = re.findall(r"^\| (`.*?`(?: / `.*?`)*) \|", table, re.MULTILINE)
    spans = [span for cell in cells for span in re.findall(r"`([^`]+)`", cell)]
    # "…" stands for what varies; "the translation" may also be one form, "msgstr[1]".
    label = re.escape("the translation")
    return [
        re.compile(".*".join(map(re.escape, span.split("…"))).replace(label, LABEL))
        for span in spans
    ]


DOCUMENTED = documented_reasons()


def problems(base: Path) -> list[str]:
    """What `check` reports for the copy, as the lines it prints."""
    found = check_catalogs(PROJECT, base)
    # TRANSLATING.md promises a file and line for every problem (a folder has no lines) and
    # explains every message.
    assert all(p.line or p.path.is_dir() for p in found), [str(p) for p in found]
    for problem in found:
        assert any(pattern.search(problem.reason) for pattern in DOCUMENTED), problem.reason
    return [str(problem) for problem in found]


def last_line(path: Path) -> int:
    """The number of the last line of a file."""
    return len(path.read_text("utf-8").splitlines())


def assert_reported(base: Path, path: Path, line: int | None, msgid: str, reason: str) -> None:
    """Exactly one reported problem names this file:line and msgid and gives the reason."""
    where = catalogs.shown(path) + ("" if line is None else f":{line}")
    prefix = f"{where}: {msgid}: " if msgid else f"{where}: "
    found = [p for p in problems(base) if p.startswith(prefix) and reason in p]
    assert len(found) == 1, (prefix, reason, problems(base))


# --- the real catalogs ---------------------------------------------------------------------------


def test_the_real_catalogs_pass_check_and_are_complete():
    assert check_catalogs(PROJECT, catalogs.root()) == []
    for status in catalogs.status(catalogs.root()):
        assert (status.fuzzy, status.untranslated, status.percent) == (0, 0, 100.0), status


def test_extraction_keeps_contexts_translator_comments_and_plurals():
    template = catalogs.extract(PROJECT)
    heading = template.get("News Archive", "heading")
    assert heading is not None and template.get("News Archive", "breadcrumb") is not None
    newer = template.get("Newer")
    assert newer.auto_comments == [
        "link to the previous page of a list, which holds newer articles."
    ]
    assert ("templates/_macros.html", msgid_line_in_code("Newer")) in newer.locations
    assert template.get("%(num)d article").id == ("%(num)d article", "%(num)d articles")
    limit = template.get("That search is too long: use at most %(limit)d characters.")
    assert limit.auto_comments and limit.locations[0][0] == "templates/search.html"


def msgid_line_in_code(msgid: str) -> int:
    """The line of templates/_macros.html that uses a msgid."""
    lines = (PROJECT / "templates" / "_macros.html").read_text("utf-8").splitlines()
    return next(n for n, line in enumerate(lines, 1) if f'"{msgid}"' in line)


# --- check: one deliberately broken .po per problem ----------------------------------------------


@pytest.mark.parametrize(
    ("old", "new", "reason"),
    [
        ('msgstr "Новије"', 'msgstr "Нови "је""', 'the text must be in straight double quotes "…"'),
        ('msgstr "Новије"', 'msgstr "Новије', 'the text must be in straight double quotes "…"'),
        ('msgstr "Новије"', 'msgsrt "Новије"', "this line is not a msgid, msgstr or msgctxt line"),
        ('msgstr "Новије"', "", "this entry has a msgid but no msgstr line"),
    ],
)
def test_check_names_the_line_that_does_not_parse(base, old, new, reason):
    line = edit(po(base), old, new)
    if not new:
        line = msgid_line(po(base), "Newer")
    assert_reported(base, po(base), line, "", f"does not parse: {reason}")


def test_check_reports_text_that_is_not_utf8(base):
    line = edit(po(base), 'msgstr "Новије"', 'msgstr "Novije"')
    po(base).write_bytes(po(base).read_bytes().replace(b"Novije", "Novíje".encode("latin-1")))
    assert_reported(base, po(base), line, "", "not UTF-8 text")


def test_check_reports_a_wrong_language_header(base):
    line = edit(po(base), LANGUAGE, '"Language: sr\\n"')
    assert_reported(base, po(base), line, "(header)", "set it to Language: sr_Cyrl")


def test_check_reports_a_wrong_serbian_plural_rule(base):
    set_plural_forms(base, "nplurals=3; plural=(n%10==1 ? 0 : n%10>=2 && n%10<=4 ? 1 : 2);")
    line = header_line(po(base), "Plural-Forms")
    reason = 'but sr_Cyrl needs "Plural-Forms: nplurals=3; plural=n % 10 == 1'
    assert_reported(base, po(base), line, "(header)", reason)
    assert_reported(base, po(base), line, "(header)", "form 1: 2, 3, 4, 22, 23, 24…")


def test_check_accepts_the_same_plural_rule_written_differently(base):
    set_plural_forms(
        base,
        "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : "
        "n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);",
    )
    assert problems(base) == []


def test_check_reports_a_header_it_cannot_read(base):
    set_plural_forms(base, "nplurals=three; plural=n;")
    line = header_line(po(base), "Plural-Forms")
    assert_reported(base, po(base), line, "", 'Plural-Forms must start with "nplurals=N;"')


def test_check_reports_a_header_value_it_cannot_read(base):
    text = po(base).read_text("utf-8")
    date = re.search(r'"POT-Creation-Date: [^"]*"', text)[0]
    edit(po(base), date, '"POT-Creation-Date: yesterday\\n"')
    line = msgid_line(po(base), "")
    reason = "a value in the header (first entry) cannot be read: time data 'yesterday'"
    assert_reported(base, po(base), line, "", reason)


def test_check_reads_a_file_with_a_byte_order_mark(base):
    po(base).write_bytes(b"\xef\xbb\xbf" + po(base).read_bytes())
    assert problems(base) == []


def test_check_reports_a_header_with_too_few_plural_forms(base):
    set_plural_forms(base, "nplurals=2; plural=(n != 1);")
    line = msgid_line(po(base), "%(num)d article")
    assert_reported(base, po(base), line, "", "more plural forms than the header's Plural-Forms")


@pytest.mark.parametrize(
    ("msgid", "old", "new", "reason"),
    [
        (
            "%(num)d article",
            'msgstr[0] "%(num)d чланак"',
            'msgstr[0] "%(nmu)d чланак"',
            "the original has %(num)d, msgstr[0] has %(nmu)d",
        ),
        (
            "Page %(page)d of %(pages)d",
            'msgstr "Страна %(page)d од %(pages)d"',
            'msgstr "Страна %(page)d"',
            "the original has %(page)d %(pages)d, the translation has %(page)d;",
        ),
        (
            "Search: %(query)s",
            'msgstr "Претрага: %(query)s"',
            'msgstr "Претрага: %s"',
            "the original has %(query)s, the translation has %s;",
        ),
        (
            "Search: %(query)s",
            'msgstr "Претрага: %(query)s"',
            'msgstr "Претрага: {query}"',
            "the original has %(query)s, the translation has {query};",
        ),
        ("Newer", 'msgstr "Новије"', 'msgstr "Новије %(num)d"', "the original has none"),
        ("Newer", 'msgstr "Новије"', 'msgstr "100% новије"', 'has a lone "%"'),
        (
            "Newer",
            'msgstr "Новије"',
            'msgstr "<b>Новије</b>"',
            "has the HTML tags <b> </b>, which the original does not: remove the tags: the "
            "page's markup is not translated",
        ),
        (
            "Newer",
            'msgstr "Новије"',
            'msgstr "Новије<br>"',
            "has the HTML tag <br>, which the original does not: remove the tag: the page's "
            "markup is not translated",
        ),
        (
            "Pages",
            'msgstr "Странице"',
            'msgstr "Странице \\"вести\\""',
            "has a straight quote where the original has none: in a web page it is code; write "
            "quotes as „…“",
        ),
        ("Pages", 'msgstr "Странице"', 'msgstr "Странице & вести"', "write „и“ for &"),
        ("Pages", 'msgstr "Странице"', 'msgstr "Странице < 5"', "write < and > as words"),
    ],
)
def test_check_reports_placeholders_that_differ(base, msgid, old, new, reason):
    edit(po(base), old, new)
    assert_reported(base, po(base), msgid_line(po(base), msgid), f'"{msgid}"', reason)


@pytest.mark.parametrize("new", ['msgstr[2] ""', ""])
def test_check_reports_a_plural_entry_without_all_its_forms(base, new):
    edit(po(base), 'msgstr[2] "%(num)d чланака"\n', new and new + "\n")
    line = msgid_line(po(base), "%(num)d article")
    reason = "msgstr[2] is empty: it is the form for numbers like 0, 5, 6, 7, 8, 9…"
    assert_reported(base, po(base), line, '"%(num)d article"', reason)


def test_check_reports_fuzzy_untranslated_and_latin_entries_in_sr_cyrl(base):
    edit(po(base), 'msgid "Older"', '#, fuzzy\nmsgid "Older"')
    edit(po(base), 'msgstr "Новије"', 'msgstr ""')
    edit(po(base), 'msgstr "Путања"', 'msgstr "Putanja"')
    path = po(base)
    assert_reported(base, path, msgid_line(path, "Older"), '"Older"', "is marked fuzzy")
    assert_reported(base, path, msgid_line(path, "Newer"), '"Newer"', "is not translated")
    reason = "has Latin letters (Putanja): write it in Cyrillic, names and abbreviations too"
    assert_reported(base, path, msgid_line(path, "Breadcrumbs"), '"Breadcrumbs"', reason)


@pytest.mark.parametrize(
    ("msgid", "old", "new", "reason"),
    [
        # Words with q w x y are never transliterated, so they were once taken for names.
        ("Newsroom", "Вести", "Newsroom", "the translation is the English original copied"),
        ("Search our content", "Претражите наш садржај", "Search our content", "copied"),
        ("Newsroom", "Вести", "Newsroom вести", "has Latin letters (Newsroom)"),
        ("MLO Belgrade", "МЛО Београд", "MLO Београд", "has Latin letters (MLO)"),
        ("Newer", "Новије", "Новиje", "has Latin letters (Новиje)"),  # a Latin j and e inside
        (
            "Newer",
            "Новије",
            "Новыйе",
            "not Serbian, which Latin pages would show in Cyrillic: ы → и",
        ),
        ("Newer", "Новије", "Новыйе", "й → ј"),
        ("Pages", "Странице", "Страницы и щит", "щ → шт"),
        (
            "Pages",
            "Странице",
            "Странице “вести”",
            "has English quotation marks “ ”: Serbian uses „…“",
        ),
        ("Pages", "Странице", "Странице ‘вести’", "has English quotation marks ‘"),
    ],
)
def test_check_reports_what_is_not_serbian_cyrillic(base, msgid, old, new, reason):
    edit(po(base), f'msgid "{msgid}"\nmsgstr "{old}"', f'msgid "{msgid}"\nmsgstr "{new}"')
    assert_reported(base, po(base), msgid_line(po(base), msgid), f'"{msgid}"', reason)


@pytest.mark.parametrize(
    "new",
    [
        "Странице „вести“ и ‚наслови‘",
        "XXI век, IV страна",
        "Пишите на press@mlo.example или https://mlo.example/sr-latn/",
        "Странице д’Артањана",
    ],
)
def test_check_accepts_serbian_quotes_roman_numerals_and_addresses(base, new):
    edit(po(base), 'msgstr "Странице"', f'msgstr "{new}"')
    assert not [p for p in problems(base) if '"Pages"' in p]


@pytest.mark.parametrize(
    "new",
    ["Страна (page)d од %(pages)d", "Страна %(page)z од %(pages)d", "Страна %page од %(pages)d"],
)
def test_a_broken_placeholder_is_reported_as_a_placeholder_only(base, new):
    edit(po(base), 'msgstr "Страна %(page)d од %(pages)d"', f'msgstr "{new}"')
    found = [p for p in problems(base) if '"Page %(page)d of %(pages)d"' in p]
    assert len(found) == 1 and "placeholders differ" in found[0], found


def translating_example(caption: str) -> str:
    """The first code block after a caption in TRANSLATING.md."""
    text = (PROJECT / "TRANSLATING.md").read_text("utf-8")
    return text.split(caption, 1)[1].split("```\n", 2)[1]


def without_locations(text: str) -> str:
    """A .po excerpt without its `#:` lines, which move whenever a template changes."""
    return "".join(line for line in text.splitlines(keepends=True) if not line.startswith("#:"))


def test_translating_md_shows_a_fuzzy_entry_as_update_writes_it_and_how_to_clear_it(cli, base):
    edit(
        catalogs.template_path(base),
        'msgid "Search: %(query)s"',
        'msgid "Search results: %(query)s"',
    )
    assert cli.invoke(args=["translate", "update"]).exit_code == 0
    before = translating_example("a fuzzy entry looks like this:")
    assert without_locations(before) in without_locations(po(base).read_text("utf-8"))
    line = msgid_line(po(base), "Search results: %(query)s")
    assert_reported(base, po(base), line, '"Search results: %(query)s"', "is marked fuzzy")
    # What the guide says to do: delete the word fuzzy and the #| lines, fix the translation.
    after = translating_example("After the fix:")
    text = po(base).read_text("utf-8")
    entry = text[text.index(before.split("\n")[0]) :].split("\n\n")[0] + "\n"
    fixed = "".join(
        line.replace("fuzzy, ", "").replace("Претрага:", "Резултати претраге:")
        for line in entry.splitlines(keepends=True)
        if not line.startswith("#|")
    )
    assert without_locations(fixed) == without_locations(after)
    po(base).write_text(text.replace(entry, fixed), "utf-8")
    assert not [p for p in problems(base) if p.startswith(catalogs.shown(po(base)))]


def test_translating_md_example_line_is_the_real_one():
    example = translating_example("Every problem is one line")
    line = msgid_line(po(catalogs.root()), "Newer")
    assert (
        example
        == f'translations/sr_Cyrl/LC_MESSAGES/messages.po:{line}: "Newer": is not translated\n'
    )


def test_check_accepts_empty_english_msgstrs_but_not_fuzzy_ones(base):
    english = po(base, catalogs.SOURCE)
    assert 'msgid "Older"\nmsgstr ""' in english.read_text("utf-8")
    edit(english, 'msgid "Older"', '#, fuzzy\nmsgid "Older"')
    assert problems(base) == [
        f'{catalogs.shown(english)}:{msgid_line(english, "Older")}: "Older": '
        "is marked fuzzy (needs work): check the translation, then clear the mark"
    ]


def test_check_reports_a_hand_edited_latin_catalog(base):
    latin = po(base, catalogs.LATIN)
    edit(latin, 'msgstr "Novije"', 'msgstr "Noviji"')
    reason = (
        "was edited by hand: it is 'Noviji' here but the transliteration of sr_Cyrl is 'Novije'"
    )
    assert_reported(base, latin, msgid_line(latin, "Newer"), '"Newer"', reason)
    edit(latin, 'msgid "Older"\nmsgstr "Starije"\n', "")
    assert_reported(base, latin, last_line(latin), '"Older"', "was deleted from sr_Latn")
    edit(latin, 'msgstr "Stranice"', 'msgstr "Stranice')
    assert_reported(base, latin, msgid_line(latin, "Pages") + 1, "", "does not parse")
    catalogs.compile_all(base)
    assert not [p for p in problems(base) if p.startswith(catalogs.shown(po(base, catalogs.LATIN)))]


def test_check_ignores_a_stale_latin_catalog_and_checks_the_one_compile_makes(base):
    latin = po(base, catalogs.LATIN)
    edit(latin, 'msgstr "Novije"', 'msgstr "Noviji"')  # edited by hand, then sr_Cyrl was saved
    edit(po(base), 'msgstr "Старије"', 'msgstr "Ранije"')
    edit(po(base), 'msgstr "Странице"', 'msgstr "Стране"')
    found = problems(base)
    assert not [p for p in found if p.startswith(catalogs.shown(latin))], found
    # The translator's mistake is reported once, in the file to fix.
    assert [p for p in found if "Ранije" in p or '"Older"' in p] == [
        f'{catalogs.shown(po(base))}:{msgid_line(po(base), "Older")}: "Older": the translation '
        "has Latin letters (Ранije): write it in Cyrillic, names and abbreviations too (sr_Latn "
        "is made from it)"
    ]


def test_check_reports_strings_missing_from_the_template(base):
    template = catalogs.template_path(base)
    text = template.read_text("utf-8")
    entry = re.search(r'\n\n(#[^\n]*\n)*msgid "Newer"\nmsgstr ""\n', text)
    template.write_text(text.replace(entry[0], "\n"), "utf-8")
    code = PROJECT / "templates" / "_macros.html"
    line = msgid_line_in_code("Newer")
    assert_reported(base, code, line, '"Newer"', "is in the code but not in messages.pot")
    assert_reported(base, po(base), msgid_line(po(base), "Newer"), '"Newer"', "not in messages.pot")


def test_check_reports_template_strings_no_longer_in_the_code(base):
    template = catalogs.template_path(base)
    with template.open("a", encoding="utf-8") as handle:
        handle.write('\nmsgid "Gone"\nmsgstr ""\n')
    line = msgid_line(template, "Gone")
    assert_reported(base, template, line, '"Gone"', "no longer in the code")
    assert_reported(
        base, po(base), last_line(po(base)), '"Gone"', "is in messages.pot but not in this catalog"
    )


def test_check_reports_an_edited_msgid(base):
    edit(po(base), 'msgid "Newer"', 'msgid "Newest"')
    assert_reported(
        base, po(base), msgid_line(po(base), "Newest"), '"Newest"', "a msgid was changed"
    )
    assert_reported(base, po(base), last_line(po(base)), '"Newer"', "not in this catalog")


LATIN_FOLDER = "remove this folder: Serbian Latin is generated into sr_Latn"
CYRILLIC_FOLDER = "remove this folder: Serbian is translated in sr_Cyrl"


@pytest.mark.parametrize(
    ("folder", "reason"),
    [
        ("sr", 'remove this folder: a folder named "sr"'),
        ("sr-Latn", LATIN_FOLDER),
        ("sr@latin", LATIN_FOLDER),
        ("sr_RS@latin", LATIN_FOLDER),
        ("sr_Latn_RS", LATIN_FOLDER),
        ("sr_Cyrl_RS", CYRILLIC_FOLDER),
        ("sr-Cyrl", CYRILLIC_FOLDER),
        ("sr_RS", CYRILLIC_FOLDER),
        ("pt-BR", "rename it to pt_BR"),
    ],
)
def test_check_reports_catalog_folders_that_must_not_exist(base, folder, reason):
    target = base / folder / "LC_MESSAGES"
    target.mkdir(parents=True)
    shutil.copy(po(base), target / "messages.po")
    assert_reported(base, base / folder, None, "", reason)
    assert not [p for p in problems(base) if "header" in p]


def test_check_reports_a_folder_without_a_catalog(base):
    (base / "de" / "LC_MESSAGES").mkdir(parents=True)
    reason = "is missing: start it with `.venv/bin/flask --app app translate init de`"
    assert_reported(base, po(base, "de"), 1, "", reason)


def test_check_reports_a_missing_catalog_but_not_a_missing_latin_one(base):
    po(base).unlink()
    po(base, catalogs.LATIN).unlink()
    assert problems(base) == [f"{catalogs.shown(po(base))}:1: is missing: restore it from git"]


# --- the commands --------------------------------------------------------------------------------


def test_check_command_prints_each_problem_and_fails(cli, base):
    assert cli.invoke(args=["translate", "check"]).output.endswith("with the code\n")
    edit(po(base), 'msgstr "Новије"', 'msgstr ""')
    result = cli.invoke(args=["translate", "check"])
    assert result.exit_code == 1
    line = f'{catalogs.shown(po(base))}:{msgid_line(po(base), "Newer")}: "Newer": is not translated'
    assert line in result.output.splitlines()
    # sr_Latn is stale until `compile` (or `make run`) regenerates it: that is not a problem.
    assert "Error: 1 problem in the catalogs; TRANSLATING.md explains each" in result.output


def test_status_command_prints_a_table_json_and_lists(cli, base):
    edit(po(base), 'msgid "Older"', '#, fuzzy\nmsgid "Older"')
    edit(po(base), 'msgstr "Новије"', 'msgstr ""')
    total = str(len(catalogs.read_catalog(catalogs.template_path(base))))
    table = cli.invoke(args=["translate", "status"]).output.splitlines()
    assert table[0].split() == [
        "catalog", "total", "translated", "fuzzy", "untranslated", "obsolete", "done", "kept", "by"
    ]  # fmt: skip
    assert table[1].split() == ["en", total, total, "0", "0", "0", "100.0%", "English", "source"]
    percent = round(100 * (int(total) - 2) / int(total), 1)
    row = ["sr_Cyrl", total, str(int(total) - 2), "1", "1", "0", f"{percent}%", "translators"]
    assert table[2].split() == row

    data = json.loads(cli.invoke(args=["translate", "status", "--json"]).output)
    cyrillic = data["catalogs"][1]
    assert cyrillic["locale"] == "sr_Cyrl" and cyrillic["percent"] == percent
    where = f"templates/_macros.html:{msgid_line_in_code('Newer')}"
    [untranslated] = cyrillic["untranslated_messages"]
    assert untranslated["msgid"] == "Newer" and untranslated["context"] is None
    assert where in untranslated["locations"]  # the desk's pager uses it too

    listed = cli.invoke(args=["translate", "status", "--list"]).output
    assert "\nsr_Cyrl: untranslated\n" in listed and "\nsr_Cyrl: fuzzy\n" in listed
    assert f"  templates/_macros.html:{msgid_line_in_code('Older')}" in listed


def test_update_merges_the_template_and_regenerates_latin(cli, base):
    edit(
        po(base),
        'msgstr "Страна %(page)d од %(pages)d"',
        'msgstr "ЉУБЉАНА, Његош: страна %(page)d од %(pages)d, <b title=\\"Џеп\\">ЏЕП</b>"',
    )
    edit(catalogs.template_path(base), 'msgid "Newer"', 'msgid "Newer news"')
    result = cli.invoke(args=["translate", "update"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    total = len(catalogs.messages_of(catalogs.read_catalog(catalogs.template_path(base))))
    assert lines[0].endswith(
        f"en/LC_MESSAGES/messages.po: {total} messages (1 new, 0 fuzzy, 1 no longer used)"
    )
    assert lines[1].endswith(
        f"sr_Cyrl/LC_MESSAGES/messages.po: {total} messages (1 new, 1 fuzzy, 0 no longer used)"
    )
    assert lines[2].startswith("generated ") and lines[2].endswith("(from sr_Cyrl)")

    # The old translation is offered for the changed string, marked fuzzy for review.
    cyrillic = catalogs.read_catalog(po(base))
    assert (cyrillic.get("Newer news").string, cyrillic.get("Newer news").fuzzy) == (
        "Новије",
        True,
    )
    latin = catalogs.read_catalog(po(base, catalogs.LATIN))
    assert latin.locale_identifier == "sr_Latn" and latin.get("Newer news").fuzzy
    assert latin.get("Page %(page)d of %(pages)d").string == (
        'LJUBLJANA, Njegoš: strana %(page)d od %(pages)d, <b title="Džep">DŽEP</b>'
    )
    assert latin.get("%(num)d article").string == (
        "%(num)d članak",
        "%(num)d članka",
        "%(num)d članaka",
    )
    assert not [p for p in problems(base) if p.startswith(catalogs.shown(po(base, catalogs.LATIN)))]


def test_extract_command_rewrites_the_template_only_when_strings_change(cli, base):
    template = catalogs.template_path(base)
    cli.invoke(args=["translate", "extract"])  # the tree's template may only have moved lines
    before = template.read_bytes()
    assert cli.invoke(args=["translate", "extract"]).output.startswith("unchanged ")
    assert template.read_bytes() == before
    template.unlink()
    assert cli.invoke(args=["translate", "extract"]).output.startswith("wrote ")
    assert [m.id for m in catalogs.read_catalog(template)] == [
        m.id for m in catalogs.read_catalog(catalogs.template_path(catalogs.root()))
    ]


def test_init_command_starts_a_new_language_and_refuses_wrong_ones(cli, base):
    result = cli.invoke(args=["translate", "init", "de"])
    assert result.exit_code == 0 and "created " in result.output
    german = catalogs.read_catalog(po(base, "de"))
    total = len(catalogs.read_catalog(catalogs.template_path(base)))
    assert (german.locale_identifier, german.num_plurals, len(german)) == ("de", 2, total)
    for lang, reason in [
        ("sr", 'a folder named "sr"'),
        ("sr-Latn", "Serbian Latin is generated into sr_Latn"),
        ("sr@latin", "Serbian Latin is generated into sr_Latn"),
        ("pt-BR", "underscore"),
        ("sr_Latn", "generated from sr_Cyrl"),
        ("en", "already exists"),
        ("xx_QQ", "not a language code"),
    ]:
        result = cli.invoke(args=["translate", "init", lang])
        assert result.exit_code == 1 and reason in result.output, (lang, result.output)
    assert not (base / "sr").exists()


def test_compile_command_writes_every_catalog(cli, base):
    output = cli.invoke(args=["translate", "compile"]).output
    for locale in catalogs.REQUIRED:
        assert (po(base, locale).with_suffix(".mo")).exists()
    assert "compiled " in output and output.count("\n") == 4


def test_compile_stops_at_a_po_that_does_not_parse(cli, base):
    line = edit(po(base), 'msgstr "Новије"', 'msgstr "Новије')
    result = cli.invoke(args=["translate", "compile"])
    assert result.exit_code == 1
    assert f"Error: {catalogs.shown(po(base))}:{line}: does not parse" in result.output


def test_compile_leaves_out_fuzzy_and_incomplete_entries(base):
    edit(po(base), 'msgstr[2] "%(num)d чланака"', 'msgstr[2] ""')
    edit(po(base), 'msgid "Older"', '#, fuzzy\nmsgid "Older"')
    catalogs.compile_all(base)
    for locale in (catalogs.CYRILLIC, catalogs.LATIN):
        translations = Translations.load(str(base), [locale])
        assert translations.ngettext("%(num)d article", "%(num)d articles", 5) == "%(num)d articles"
        assert translations.gettext("Older") == "Older"
        assert translations.gettext("Newer") in ("Новије", "Novije")


# --- run time ------------------------------------------------------------------------------------


def test_a_broken_translation_shows_english_and_logs_the_msgid(served, base, caplog):
    edit(po(base), 'msgstr[2] "%(num)d чланака"', 'msgstr[2] "%(nmu)d чланака"')
    # A straight quote would end the aria-label attribute early (Jinja marks translations safe).
    edit(po(base), 'msgstr "Језик и писмо"', 'msgstr "Језик и \\"писмо\\""')
    catalogs.compile_all(base)
    client = served.test_client()
    with caplog.at_level(logging.WARNING, logger="mlo.web.i18n"):
        for prefix in ("sr-cyrl", "sr-latn"):
            response = client.get(f"/{prefix}/news/")
            assert response.status_code == 200
            page = response.get_data(as_text=True)
            assert '<p class="count">0 articles</p>' in page
            assert 'aria-label="Language and script"' in page
            assert "<h1>Вести</h1>" in page or "<h1>Vesti</h1>" in page
    warned = sorted(r.getMessage() for r in caplog.records if r.name == "mlo.web.i18n")
    assert len(warned) == 4
    assert all("'%(num)d article'" in message for message in warned[:2])
    assert all("'Language and script'" in message for message in warned[2:])
