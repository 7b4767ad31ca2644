"""Word-level differences between two texts, for revision history and edit conflicts."""

import re
from difflib import SequenceMatcher

from mlo.text.html import plain_text

_TOKENS = re.compile(r"\s+|[^\s]+")


def words(old: str, new: str) -> list[tuple[str, str]]:
    """The change from `old` to `new` as runs of ("same" | "removed" | "added", text)."""
    before, after = _TOKENS.findall(old), _TOKENS.findall(new)
    runs: list[tuple[str, str]] = []
    matcher = SequenceMatcher(None, before, after, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            runs.append(("same", "".join(before[i1:i2])))
            continue
        if op in ("delete", "replace"):
            runs.append(("removed", "".join(before[i1:i2])))
        if op in ("insert", "replace"):
            runs.append(("added", "".join(after[j1:j2])))
    return runs


def html_words(old: str, new: str) -> list[tuple[str, str]]:
    """The word-level change between the readable text of two HTML bodies, paragraph breaks
    kept as line breaks."""
    return words(_paragraphs(old), _paragraphs(new))


def _paragraphs(html: str) -> str:
    blocks = re.split(r"</(?:p|h[2-4]|li|blockquote|figcaption)>", html)
    return "\n".join(filter(None, (plain_text(block) for block in blocks)))


def changed(runs: list[tuple[str, str]]) -> bool:
    """Whether a diff has any change at all."""
    return any(kind != "same" for kind, _ in runs)
