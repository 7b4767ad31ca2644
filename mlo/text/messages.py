"""Interface messages: their placeholders, and whether a translation can break a page.

Shared by the running site (which drops unsafe translations as a catalog loads) and the catalog
tooling (which reports them to translators). Plain functions on strings.
"""

import re

_PERCENT = re.compile(r"%(?:\((\w+)\))?[-#0 +]*(?:\d+|\*)?(?:\.\d+)?([diouxXeEfFgGcrsa%])")
_BRACE = re.compile(r"\{\w*(?:[!:][^{}]*)?\}")
_COUNT = re.compile(r"%\(num\)")
_MARKUP = frozenset('"<>&')  # Jinja marks translations safe: these would become markup


def placeholders(text: str) -> list[str]:
    """The placeholders of a string: named and {braced} ones sorted, positional ones in order."""
    named: set[str] = set(_BRACE.findall(text))
    positional: list[str] = []
    for match in _PERCENT.finditer(text):
        if match[2] == "%":
            continue
        if match[1]:
            named.add(match[0])
        else:
            positional.append(match[0])
    return sorted(named) + positional


def without_placeholders(text: str) -> str:
    """The text with every placeholder replaced by a space (what a reader's words are)."""
    return _BRACE.sub(" ", _PERCENT.sub(" ", text))


def lone_percent(text: str) -> bool:
    """Whether text has a "%" that is not part of a placeholder or "%%"."""
    return "%" in _PERCENT.sub("", text)


def new_markup(msgid: str, string: str) -> bool:
    """Whether a translation adds characters that are markup in HTML (" < > &) to its msgid."""
    return bool(_MARKUP.intersection(string) - set(msgid))


def sample_arguments(msgid: str, counted: bool = False) -> dict[str, object] | tuple[object, ...]:
    """The values the site fills a msgid's %-placeholders with (plus `num` if it is counted)."""
    named: dict[str, object] = {"num": 1} if counted else {}
    positional: list[object] = []
    for match in _PERCENT.finditer(msgid):
        name, conversion = match[1], match[2]
        if conversion == "%":
            continue
        value: object = 1 if conversion in "diouxXeEfFgGc" else "x"
        if name:
            named[name] = value
        else:
            positional.append(value)
    return tuple(positional) if positional and not named else named


def placeholders_match(msgid: str, string: str, counted: bool = False) -> bool:
    """Whether a translation has exactly its msgid's placeholders (a counted one may add num)."""
    found, wanted = placeholders(string), placeholders(msgid)
    if counted and not any(_COUNT.match(p) for p in wanted):
        # The msgid_plural (not known here) usually shows the count its singular leaves out.
        found = [p for p in found if not _COUNT.match(p)]
    return found == wanted


def breaks_a_page(msgid: str, string: str, counted: bool = False) -> bool:
    """Whether a translation, shown instead of its msgid, would break or garble the page.

    Jinja formats every translation with % and the msgid's arguments (counted ones also get
    `num`), and marks it safe. So a translation fails when that formatting fails, shows a wrong
    or missing value when its placeholders differ (a %s shows the arguments as "{}"), and
    becomes markup when it adds " < > or &.
    """
    if not placeholders_match(msgid, string, counted) or new_markup(msgid, string):
        return True
    try:
        string % sample_arguments(msgid, counted)
    except (KeyError, ValueError, TypeError, IndexError):
        return True
    return False
