"""Word-level differences between two texts, for revision history and edit conflicts."""

import re
from dataclasses import dataclass
from difflib import SequenceMatcher

from mlo.text.html import blocks, plain_text

_TOKENS = re.compile(r"\s+|[^\W_]+|[^\s]")  # spaces, words, and each punctuation mark


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


@dataclass(frozen=True)
class BlockChange:
    """One block of a body in a comparison: unchanged, added, removed, or changed (words)."""

    kind: str  # "same" | "added" | "removed" | "changed"
    old: str
    new: str
    runs: list[tuple[str, str]]


def html_blocks(old: str, new: str) -> list[BlockChange]:
    """Paragraph by paragraph, what changed from one body to another; a changed paragraph
    carries its word-level changes."""
    before = [plain_text(block.inner) for block in blocks(old)]
    after = [plain_text(block.inner) for block in blocks(new)]
    changes: list[BlockChange] = []
    matcher = SequenceMatcher(None, before, after, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            changes += [BlockChange("same", text, text, []) for text in before[i1:i2]]
            continue
        paired = list(zip(before[i1:i2], after[j1:j2], strict=False)) if op == "replace" else []
        changes += [BlockChange("changed", a, b, words(a, b)) for a, b in paired]
        changes += [BlockChange("removed", text, "", []) for text in before[i1 + len(paired) : i2]]
        changes += [BlockChange("added", "", text, []) for text in after[j1 + len(paired) : j2]]
    return changes
