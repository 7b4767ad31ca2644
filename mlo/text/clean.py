"""Text as people type and paste it, made safe to store: one place for invisible junk.

Control characters (other than tab and line breaks) and the noncharacters U+FFFE and U+FFFF
make XML invalid and mean nothing to a reader; lone surrogates cannot be stored at all.
"""

import re

_CONTROL = re.compile("[\x01-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")
_SURROGATE = re.compile("[\ud800-\udfff]")
# What XML 1.0 cannot carry at all, for output that must stay valid whatever is stored.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def strip_controls(text: str) -> str:
    """The text without control characters (tab, newline and carriage return kept)."""
    return _CONTROL.sub("", text)


def problem(text: str) -> str | None:
    """Why a text cannot be stored (a NUL or a lone surrogate), or None if it can."""
    if "\x00" in text:
        return "contains a NUL character"
    found = _SURROGATE.search(text)
    if found:
        return f"contains a lone surrogate (U+{ord(found.group()):04X}), which is not text"
    return None


def xml_safe(text: str) -> str:
    """Text with every character XML 1.0 forbids removed."""
    return _NOT_XML.sub("", text)
