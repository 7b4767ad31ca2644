"""The words of a text as the search index holds them: folded, and exactly as written."""

import re
import unicodedata

from mlo.text.translit import fold

# A word: letters and digits (Unicode), nothing else; both index backends split text alike.
WORD = re.compile(r"[^\W_]+")


def folded_words(text: str) -> str:
    """The text's words, folded (script, case and diacritics ignored), separated by spaces."""
    return " ".join(WORD.findall(fold(text)))


def exact_words(text: str) -> str:
    """The text's words that have letters the fold drops, lower-cased, each once."""
    words = WORD.findall(unicodedata.normalize("NFC", text).lower())
    return " ".join(dict.fromkeys(word for word in words if not word.isascii()))
