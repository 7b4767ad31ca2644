"""Serbian Cyrillic <-> Latin transliteration, HTML-aware variants and the search fold.

Standard library only. Cyrillic is the canonical stored form (only Cyrillic to Latin is
lossless); to_cyrillic is for text typed in Latin and is shown to an editor before publishing.
It keeps foreign names in Latin: a built-in list plus the newsroom's own words (see
set_extra_latin_words), mixed-case words (iPhone) and spellings Serbian never uses (Scott, Bush).
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Callable, Iterable
from html.entities import html5 as _HTML5_ENTITIES
from pathlib import Path

__all__ = [
    "fold",
    "has_latin_serbian",
    "load_latin_words",
    "set_extra_latin_words",
    "to_cyrillic",
    "to_cyrillic_html",
    "to_latin",
    "to_latin_html",
]

# --- letter tables -------------------------------------------------------------------------------

_CYR = "абвгдђежзијклљмнњопрстћуфхцчџш"
_LAT = "a b v g d đ e ž z i j k l lj m n nj o p r s t ć u f h c č dž š".split()
_CYR_TO_LAT = dict(zip(_CYR, _LAT, strict=True))
# ѐ and ѝ are the accented letters Serbian uses to tell homographs apart (ѝ "her" vs и "and").
_CYR_TO_LAT |= {"ѐ": "è", "ѝ": "ì"}
_CYR_TO_LAT |= {c.upper(): lat.capitalize() for c, lat in _CYR_TO_LAT.items()}
_LATIN_TABLE = str.maketrans(_CYR_TO_LAT)

_LAT_TO_CYR = {lat: c for c, lat in zip(_CYR, _LAT, strict=True) if len(lat) == 1}
_LAT_TO_CYR |= {lat.upper(): c.upper() for lat, c in _LAT_TO_CYR.items()}
_CYRILLIC_TABLE = str.maketrans(_LAT_TO_CYR)

# The case of the first letter decides: "LJ" and "Lj" -> Љ, "lj" and the rare "lJ" -> љ.
_DIGRAPH_TO_CYR = {
    a + b: cyr.upper() if a.isupper() else cyr
    for (first, second), cyr in (("lj", "љ"), ("nj", "њ"), ("dž", "џ"))
    for a in (first, first.upper())
    for b in (second, second.upper())
}
_DIGRAPH_RE = re.compile("|".join(_DIGRAPH_TO_CYR))

_UPPER_DIGRAPH_RE = re.compile("[ЉЊЏ]")
_UPPER_DIGRAPHS = {"Љ": "LJ", "Њ": "NJ", "Џ": "DŽ"}

# Word starts where "dž" / "nj" are two letters (a prefix boundary or a loanword), matched on the
# lower-cased word; _STEM_SPLIT says where to cut the word so that no digraph forms across it.
_D_Z_STEMS = (
    "nadživ nadžanj nadžel nadžet nadžup odžal odžar odživ odžvak podžanr podžel podžig podžup "
    "predživot feldžandarm"
).split()
_N_J_STEMS = "konjunk konjug injekc injekt injicira anjon kenjon tanjug vanjezičk".split()
_STEM_SPLIT = {s: s.index("dž") + 1 for s in _D_Z_STEMS}
_STEM_SPLIT |= {s: s.index("nj") + 1 for s in _N_J_STEMS}
_STEM_RE = re.compile("|".join(sorted(_STEM_SPLIT, key=len, reverse=True)))

_ROMAN_RE = re.compile(r"M{0,3}(?:CM|CD|D?C{0,3})(?:XC|XL|L?X{0,3})(?:IX|IV|V?I{0,3})")
# Serbian words that are also valid numerals. "MI" (we), "LI" (a particle) and "DIV" (giant) are
# never used as numerals; "VI" (you, or 6) is a word when it stands next to an all-caps word, as in
# "DA LI VI ZNATE", and a numeral otherwise ("Pij VI", "VI vek").
_NEVER_ROMAN = frozenset(("MI", "LI", "DIV"))
_CAPS_CONTEXT_ROMAN = frozenset(("VI",))
_PREV_WORD_RE = re.compile(r"([^\W\d_]+)\W{0,5}$")
_NEXT_WORD_RE = re.compile(r"\W{0,5}([^\W\d_]+)")
_SR_LATIN_RE = re.compile("[a-pr-vzA-PR-VZčćđšžČĆĐŠŽ]")
# A word with any other letter (q w x y, é, ß, ...) is a foreign word and stays as written.
# Cyrillic is allowed so that a word typed with mixed scripts still ends up all Cyrillic.
_FOREIGN_RE = re.compile("[^a-pr-vzA-PR-VZčćđšžČĆĐŠŽ\u0400-\u04ff'’-]")
_LETTER = r"(?:[^\W\d_][\u0300-\u036f]*)"
_WORD_RE = re.compile(rf"{_LETTER}+(?:['’-]{_LETTER}+)*")
_WORD_SEP_RE = re.compile("(['’-])")

_FOLD_EXTRA = {"đ": "dj", "Đ": "dj"} | dict(zip("čČćĆšŠžŽ", "ccccsszz", strict=True))
_FOLD_TABLE = str.maketrans(
    {c: lat.lower().translate(str.maketrans(_FOLD_EXTRA)) for c, lat in _CYR_TO_LAT.items()}
    | _FOLD_EXTRA
)

# --- foreign names kept in Latin -----------------------------------------------------------------

# Brands, companies, products, media and organisations that the Serbian press writes in Latin inside
# a Cyrillic text (and "The" of The Guardian), matched on the lower-cased word. Left out on purpose:
# names that are also Serbian words or forms (Tesla, Meta, Signal, Puma, Moderna, Opel: opelo,
# Atlantic: Atlantici) and names the press writes in Cyrillic (NATO, UEFA, FIFA, CIA, FBI, UNESCO,
# Interpol, Tanjug). An acronym here stays (IBM); every other acronym converts (NATO, MUP).
_BUILTIN_LATIN_NAMES = frozenset(
    """
    Facebook Google Microsoft Apple Twitter YouTube Instagram LinkedIn WhatsApp Netflix Amazon
    Samsung Huawei Intel Oracle IBM Nokia Motorola Ericsson Siemens Philips Bosch Sony Nvidia
    Qualcomm Cisco Adobe Dell Lenovo Xiaomi Alibaba Tencent Baidu TikTok Viber Skype Zoom Spotify
    Airbnb PayPal eBay SpaceX OpenAI ChatGPT iPhone iPad Windows Gmail Wikipedia Firefox
    Chrome Mozilla Reddit Snapchat Pinterest Bitcoin PlayStation Nintendo Photoshop Outlook
    Volkswagen Mercedes Audi BMW Renault Peugeot Citroen Ferrari Porsche Volvo Nissan Honda Toyota
    Hyundai Boeing Airbus Lockheed Northrop Grumman Embraer Lufthansa Pfizer Novartis Sinopharm
    AstraZeneca BioNTech Heineken Carlsberg Pepsi Coca-Cola Starbucks McDonald Ikea Lidl Adidas
    Reebok Mastercard Shell Chevron Deloitte KPMG McKinsey JPMorgan Fitch
    Reuters Bloomberg CNN BBC HBO MTV AFP Euronews Guardian Economist Forbes Politico Spiegel
    Deutsche Welle Jazeera Associated Financial Times The
    Greenpeace Amnesty Transparency International Freedom House Rights Watch Crisis Group
    Carnegie Brookings Chatham Council
    """.lower().split()
)
# Also Serbian words (telegram, android; uberi: "pick!"): kept in Latin only when capitalised.
_PROPER_LATIN_NAMES = frozenset(("telegram", "android", "uber"))
# Case endings a listed name takes in a Serbian sentence: Googlea, Facebookom, Appleov, Huaweija.
# A name ending in -a drops it before a few of them (Nokie, Nokiu, Motorolom); with a "j" (Nokija,
# Nokiji) the writer has chosen the Serbian spelling, which converts. No vocative -o: Audi, audio.
_NAME_ENDINGS = frozenset(
    "a e i u om em ov ova ove ovi ovo ovu ovog ovom ovim ovih ovoj ima ama ja je ji ju jem jom "
    "jev jeva jeve jevi jevo jevu jevog jevom jevim jevih jevoj ev eva eve evi evo evu evog evom "
    "evim evih evoj".split()
)
_NAME_ENDING_LENGTHS = sorted({len(e) for e in _NAME_ENDINGS})
_A_DROP_ENDINGS = frozenset("e i u om".split())
# A capital after a lower-case letter inside a word: iPhone, McDonald, DiCaprio. Not a Serbian
# digraph typed in the wrong case (lJ, nJ, dŽ), nor the "i" (and) of an acronym: BiH, KiM.
_MIXED_CASE_RE = re.compile(
    r"[A-ZČĆĐŠŽ](?<=[a-zčćđšž].)(?<!lJ|nJ)(?<!dŽ)(?:(?<![A-ZČĆĐŠŽ]i.)|(?=[a-zčćđšž]))"
)
# Spellings no Serbian word has (checked on the 3 million forms of the hunspell-sr dictionary):
# some double consonants and English word ends, also before a case ending (Smitha, Scottom, Rossov;
# not after "sh" and "gh": Pasha, shima, Berminghama). Lower-case, so that acronyms (DSS) convert.
# Not used although English-looking: "ck" (Donjeck), "oo" and "ee" (kooperacija, reeksport), "ou"
# (samouveren), "ph" and "th" inside a word (ophodan, prethodni), word-initial "ph" (Phenjan).
_CASE_END = r"(?:[aeiu]|om|em|ima|ama|ov[a-zčćđšž]*)?\b"
# Every branch starts with a letter, which lets the regex engine skip to candidate positions.
_FOREIGN_SPELLING_RE = re.compile(
    r"ff|ll|gg|kk|cc|hh|cs|cz|tch|sch|ght|sh\b|gh\b"
    rf"|th{_CASE_END}|ph{_CASE_END}|ch{_CASE_END}|ss{_CASE_END}|tt{_CASE_END}"
)

_latin_names = _BUILTIN_LATIN_NAMES
# The first three letters of every name: one set lookup rules out almost every Serbian word.
_name_prefixes = frozenset(n[:3] for n in _BUILTIN_LATIN_NAMES | _PROPER_LATIN_NAMES)


# --- protected spans: URLs, e-mail addresses, character references -------------------------------

_URL_CHAR = r"""(?:[^\s<>"'„“”«»&]|&amp;|&(?![A-Za-z][A-Za-z0-9]*;|\#))"""
_URL_LAST = r"""[^\s<>"'„“”«»&.,;:!?)\]}…]"""
_URL = rf"(?:\b[A-Za-z][A-Za-z0-9+.\-]*://|\b[wW]{{3}}\.){_URL_CHAR}*{_URL_LAST}"
_EMAIL = r"(?<![\w.+\-])(?:mailto:)?[\w.+\-]+@[\w\-]+(?:\.[\w\-]+)+"
_LEGACY_ENTITIES = sorted(
    (n for n in _HTML5_ENTITIES if not n.endswith(";")), key=len, reverse=True
)
_ENTITY = (
    r"&(?:\#[0-9]+;?|\#[xX][0-9A-Fa-f]+;?|[A-Za-z][A-Za-z0-9]*;|" + "|".join(_LEGACY_ENTITIES) + ")"
)

_TEXT_HINT_RE = re.compile(r"://|@|[wW]{3}\.")
_TEXT_PROTECT_RE = re.compile(f"{_URL}|{_EMAIL}")
_MARKUP_HINT_RE = re.compile(r"://|@|[wW]{3}\.|&")
_MARKUP_PROTECT_RE = re.compile(f"{_URL}|{_EMAIL}|{_ENTITY}")


def _map_unprotected(
    text: str, func: Callable[[str], str], hint: re.Pattern[str], protect: re.Pattern[str]
) -> str:
    if not hint.search(text):
        return func(text)
    out = []
    pos = 0
    for m in protect.finditer(text):
        if m.start() > pos:
            out.append(func(text[pos : m.start()]))
        out.append(m.group())
        pos = m.end()
    if pos < len(text):
        out.append(func(text[pos:]))
    return "".join(out)


# --- Cyrillic to Latin ---------------------------------------------------------------------------


def _neighbour_letter(s: str, i: int, step: int) -> str:
    # Skip combining accents and soft hyphens, which sit inside words.
    while 0 <= i < len(s):
        c = s[i]
        if c != "\u00ad" and not unicodedata.combining(c):
            return c if c.isalpha() else ""
        i += step
    return ""


def _upper_digraph(m: re.Match[str]) -> str:
    s, i, c = m.string, m.start(), m.group()
    nxt = _neighbour_letter(s, i + 1, 1)
    if nxt:
        upper = nxt.isupper()
    else:
        prev = _neighbour_letter(s, i - 1, -1)
        upper = prev.isupper()
    return _UPPER_DIGRAPHS[c] if upper else _CYR_TO_LAT[c]


def _latin_plain(text: str) -> str:
    if "Љ" in text or "Њ" in text or "Џ" in text:
        text = _UPPER_DIGRAPH_RE.sub(_upper_digraph, text)
    return text.translate(_LATIN_TABLE)


def to_latin(text: str) -> str:
    """Transliterate Serbian Cyrillic plain text to Latin, leaving URLs and e-mails untouched."""
    return _map_unprotected(text, _latin_plain, _TEXT_HINT_RE, _TEXT_PROTECT_RE)


# --- Latin to Cyrillic ---------------------------------------------------------------------------


def _digraph_to_cyr(m: re.Match[str]) -> str:
    return _DIGRAPH_TO_CYR[m.group()]


def _cyr_plain(part: str) -> str:
    return _DIGRAPH_RE.sub(_digraph_to_cyr, part).translate(_CYRILLIC_TABLE)


def _is_roman(part: str, caps_context: bool = False) -> bool:
    return (
        len(part) > 1
        and part.isupper()
        and part not in _NEVER_ROMAN
        and not (caps_context and part in _CAPS_CONTEXT_ROMAN)
        and _ROMAN_RE.fullmatch(part) is not None
    )


def _is_caps_word(word: str) -> bool:
    return len(word) > 1 and word.isupper() and not _is_roman(word)


def _in_caps_context(s: str, start: int, end: int) -> bool:
    prev = _PREV_WORD_RE.search(s, max(0, start - 40), start)
    nxt = _NEXT_WORD_RE.match(s, end)
    return bool(prev and _is_caps_word(prev.group(1)) or nxt and _is_caps_word(nxt.group(1)))


def _cyr_part(part: str, caps_context: bool) -> str:
    if _is_roman(part, caps_context):
        return part
    m = _STEM_RE.match(part.lower())
    if m:
        cut = _STEM_SPLIT[m.group()]
        return _cyr_plain(part[:cut]) + _cyr_plain(part[cut:])
    return _cyr_plain(part)


def _is_name(low: str, capitalised: bool) -> bool:
    return low in _latin_names or capitalised and low in _PROPER_LATIN_NAMES


def _is_listed(word: str) -> bool:
    low = word.lower()
    if low[:3] not in _name_prefixes:
        return False
    capitalised = word[0].isupper()
    if _is_name(low, capitalised):
        return True
    for k in _NAME_ENDING_LENGTHS:
        if len(low) - k < 2:
            break
        if low[-k:] in _NAME_ENDINGS:
            stem = low[:-k]
            if _is_name(stem, capitalised):
                return True
            if low[-k:] in _A_DROP_ENDINGS and _is_name(stem + "a", capitalised):
                return True
    return False


def _stays_latin(word: str) -> bool:
    """Whether a word of Serbian Latin letters is a foreign name or spelling to keep as written."""
    # Nearly every word is lower-case or capitalised: a string test spares them the regex.
    if (
        not word[1:].islower()
        and _MIXED_CASE_RE.search(word)
        or _FOREIGN_SPELLING_RE.search(word)
        or _is_listed(word)
    ):
        return True
    # A listed name with a hyphenated ending or in a compound keeps the whole word: Facebook-a.
    if "-" in word or "'" in word or "’" in word:
        return any(_is_listed(part) for part in _WORD_SEP_RE.split(word)[::2] if part)
    return False


# News text repeats its words (about half the tokens of the demo articles are repeats), so memoising
# pays for the foreign-name checks and more; set_extra_latin_words clears it.
@functools.lru_cache(maxsize=8192)
def _cyr_word(token: str, caps_context: bool = False) -> str | None:
    """The Cyrillic form of one word token, or None when the token stays as written."""
    # NFKC per word, not per text, so that nbsp, "…" or "½" around the words are kept as typed.
    word = token if token.isascii() else unicodedata.normalize("NFKC", token)
    if not _SR_LATIN_RE.search(word) or _FOREIGN_RE.search(word) or _stays_latin(word):
        return None
    if "-" in word or "'" in word or "’" in word:
        parts = _WORD_SEP_RE.split(word)
        out = "".join(p if i % 2 else _cyr_part(p, caps_context) for i, p in enumerate(parts))
    else:
        out = _cyr_part(word, caps_context)
    return None if out == word else out


def _cyr_match(m: re.Match[str]) -> str | None:
    token = m.group()
    caps_context = token in _CAPS_CONTEXT_ROMAN and _in_caps_context(m.string, *m.span())
    # One argument when possible: lru_cache then keys on the string itself, its fastest path.
    return _cyr_word(token, True) if caps_context else _cyr_word(token)


def _cyr_token(m: re.Match[str]) -> str:
    out = _cyr_match(m)
    return m.group() if out is None else out


def _cyrillic_plain(text: str) -> str:
    return _WORD_RE.sub(_cyr_token, text)


def to_cyrillic(text: str) -> str:
    """Transliterate Serbian Latin plain text to Cyrillic, keeping foreign words, URLs, numerals."""
    return _map_unprotected(text, _cyrillic_plain, _TEXT_HINT_RE, _TEXT_PROTECT_RE)


def set_extra_latin_words(words: Iterable[str]) -> None:
    """Keep these words in Latin too, beside the built-in names; replaces earlier extra words."""
    global _latin_names, _name_prefixes
    extra = {unicodedata.normalize("NFKC", w).strip().lower() for w in words} - {""}
    names = _BUILTIN_LATIN_NAMES | extra
    _name_prefixes = frozenset(n[:3] for n in names | _PROPER_LATIN_NAMES)
    _latin_names = names
    _cyr_word.cache_clear()


def load_latin_words(path: Path) -> list[str]:
    """Read a word list (one a line, # starts a comment); a missing file is an empty list."""
    try:
        text = path.read_text("utf-8-sig")
    except FileNotFoundError:
        return []
    return [w for line in text.splitlines() if (w := line.split("#", 1)[0].strip())]


# --- HTML ----------------------------------------------------------------------------------------

_HTML_TOKEN_RE = re.compile(
    r"<!--.*?(?:-->|\Z)"
    r"|<![^>]*>|<\?[^>]*>"
    r"""|<(/?)([A-Za-z][^\s/>]*)((?:[^<>"']|"[^"]*"|'[^']*')*)>""",
    re.S,
)
_ATTR_RE = re.compile(r"""([^\s"'<>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'<>`=]+)))?""")
_VOID_TAGS = frozenset(
    "area base br col embed hr img input keygen link meta param source track wbr".split()
)
_CODE_TAGS = frozenset("code pre kbd samp var script style".split())
_RAW_TEXT_END = {name: re.compile(rf"</{name}\s*>", re.I) for name in ("script", "style")}
_CONVERTED_ATTRS = frozenset(("title", "alt"))


def _element_mode(attrs: str, inherited: bool) -> bool:
    low = attrs.lower()
    if "lang" not in low and "translate" not in low:
        return inherited
    lang = translate = None
    for m in _ATTR_RE.finditer(attrs):
        name = m.group(1).lower()
        if name in ("lang", "translate"):
            value = next((v for v in m.group(2, 3, 4) if v is not None), "")
            if name == "lang":
                lang = value.strip().lower()
            else:
                translate = value.strip().lower()
    if translate == "no":
        return False
    if lang is not None:
        return re.split("[-_]", lang, maxsplit=1)[0] == "sr"
    if translate in ("yes", ""):
        return True
    return inherited


def _convert_attrs(attrs: str, convert: Callable[[str], str]) -> str:
    out = []
    pos = 0
    for m in _ATTR_RE.finditer(attrs):
        if m.group(1).lower() not in _CONVERTED_ATTRS:
            continue
        group = next((g for g in (2, 3, 4) if m.group(g) is not None), None)
        if group is None:
            continue
        start, end = m.span(group)
        out.append(attrs[pos:start])
        out.append(convert(m.group(group)))
        pos = end
    if not out:
        return attrs
    out.append(attrs[pos:])
    return "".join(out)


def _convert_html(markup: str, convert: Callable[[str], str]) -> str:
    """Apply convert to the Serbian text of an HTML fragment; everything else stays byte-exact."""
    out: list[str] = []
    append = out.append
    stack: list[tuple[str, bool, bool]] = []  # (tag name, convert inside, code-like inside)
    on, code = True, False
    pos = 0
    search = _HTML_TOKEN_RE.search
    while True:
        m = search(markup, pos)
        if m is None:
            tail = markup[pos:]
            append(convert(tail) if on and tail else tail)
            return "".join(out)
        start = m.start()
        if start > pos:
            text = markup[pos:start]
            append(convert(text) if on else text)
        pos = m.end()
        name = m.group(2)
        if name is None:  # comment, doctype, processing instruction
            append(m.group())
            continue
        name = name.lower()
        if m.group(1):  # end tag: pop to the matching open element, ignore strays
            append(m.group())
            for i in range(len(stack) - 1, -1, -1):
                if stack[i][0] == name:
                    del stack[i:]
                    on, code = (stack[-1][1], stack[-1][2]) if stack else (True, False)
                    break
            continue
        attrs = m.group(3)
        el_code = code or name in _CODE_TAGS
        el_on = False if el_code else _element_mode(attrs, on)
        if el_on and attrs:
            new_attrs = _convert_attrs(attrs, convert)
            if new_attrs is not attrs:
                tag = m.group()
                a, b = m.start(3) - start, m.end(3) - start
                append(tag[:a] + new_attrs + tag[b:])
            else:
                append(m.group())
        else:
            append(m.group())
        if name in _RAW_TEXT_END:
            end = _RAW_TEXT_END[name].search(markup, pos)
            stop = end.end() if end else len(markup)
            append(markup[pos:stop])
            pos = stop
            continue
        self_closing = attrs.endswith("/") and (len(attrs) == 1 or attrs[-2] in " \t\n\r\f\"'")
        if name in _VOID_TAGS or self_closing:
            continue
        stack.append((name, el_on, el_code))
        on, code = el_on, el_code


def _latin_markup_text(text: str) -> str:
    return _map_unprotected(text, _latin_plain, _MARKUP_HINT_RE, _MARKUP_PROTECT_RE)


def _cyrillic_markup_text(text: str) -> str:
    return _map_unprotected(text, _cyrillic_plain, _MARKUP_HINT_RE, _MARKUP_PROTECT_RE)


@functools.lru_cache(maxsize=2048)
def to_latin_html(html: str) -> str:
    """Transliterate the Serbian text, titles and alts of a trusted HTML fragment to Latin."""
    return _convert_html(html, _latin_markup_text)


def to_cyrillic_html(html: str) -> str:
    """Transliterate the Serbian text, titles and alts of a trusted HTML fragment to Cyrillic."""
    return _convert_html(html, _cyrillic_markup_text)


def has_latin_serbian(text: str) -> bool:
    """Tell whether to_cyrillic_html would convert any Latin letters of this text or fragment."""
    found = False

    def probe(segment: str) -> str:
        nonlocal found
        if not found:
            found = (
                _map_unprotected(segment, _probe_plain, _MARKUP_HINT_RE, _MARKUP_PROTECT_RE)
                != segment
            )
        return segment

    _convert_html(text, probe)
    return found


def _probe_plain(text: str) -> str:
    # Returns a different string exactly when some word would be converted.
    for m in _WORD_RE.finditer(text):
        if _cyr_match(m) is not None:
            return ""
    return text


# --- search --------------------------------------------------------------------------------------


def fold(text: str) -> str:
    """Fold text for the search index and queries: one form for both scripts, case, diacritics."""
    text = unicodedata.normalize("NFKC", text).translate(_FOLD_TABLE).lower()
    if text.isascii():
        return text
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
