"""Fixing the translation: replacements applied segment by segment, with a log of every change.

Used by ``python -m align fix`` and, through the same functions, by the store and the review app:
a replacement is case-sensitive and whole-word (``Latushko`` is replaced in "Latushko's" but not
in "Latushkowa"), and the corrected text is the original text with only the changed segments
rewritten, so paragraphs and spacing stay as the user had them.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass

from align.errors import InputError
from align.types import Document, Report


@dataclass(frozen=True)
class Replacement:
    """Write ``new`` for ``old``: in the given target segments, or everywhere when None."""

    old: str
    new: str
    segments: frozenset[int] | None = None
    reason: str = ""


@dataclass(frozen=True)
class Change:
    """One segment as it was and as it is after the replacements that touched it."""

    segment: int
    before: str
    after: str
    rules: tuple[str, ...]


def whole_word(old: str) -> re.Pattern[str]:
    return re.compile(rf"(?<!\w){re.escape(old)}(?!\w)")


def replace_all(texts: Sequence[str], old: str, new: str) -> list[tuple[int, str, str]]:
    """(index, before, after) for each text where ``old`` occurs as a whole word."""
    if not old:
        return []
    pattern = whole_word(old)
    changed = []
    for index, text in enumerate(texts):
        after = pattern.sub(lambda _: new, text)
        if after != text:
            changed.append((index, text, after))
    return changed


def parse_name_fix(value: str) -> Replacement:
    """``Latushko=Latushka`` (the form to replace, then the form to write)."""
    old, sep, new = value.partition("=")
    if not sep or not old.strip() or not new.strip():
        raise InputError(f"--name {value!r}: expected OLD=NEW, e.g. Latushko=Latushka")
    return Replacement(old.strip(), new.strip(), None, f"--name {old.strip()}={new.strip()}")


def suggested_replacements(report: Report, kinds: Collection[str]) -> list[Replacement]:
    """The fixes the checkers know exactly: issues of ``kinds`` that name the text they replace."""
    return [
        Replacement(issue.replaces, issue.suggestion, frozenset(issue.tgt), f"{issue.kind}: {issue.message}")
        for issue in report.issues
        if issue.kind in kinds and issue.replaces and issue.suggestion and issue.replaces != issue.suggestion
    ]


def apply(document: Document, replacements: Iterable[Replacement]) -> tuple[str, list[Change]]:
    """The corrected text of ``document`` and the segments that changed."""
    current = {s.index: s.text for s in document.segments}
    rules: dict[int, list[str]] = {}
    for rule in replacements:
        pattern = whole_word(rule.old)
        for index, text in current.items():
            if rule.segments is not None and index not in rule.segments:
                continue
            after = pattern.sub(lambda _: rule.new, text)
            if after != text:
                current[index] = after
                rules.setdefault(index, []).append(f"{rule.old} -> {rule.new}")
    changes = [
        Change(s.index, s.text, current[s.index], tuple(rules[s.index]))
        for s in document.segments
        if s.index in rules
    ]
    return corrected_text(document, {c.segment: c.after for c in changes}), changes


def corrected_text(document: Document, edits: Mapping[int, str]) -> str:
    """The document's text with edited segments written over their original character spans,
    so paragraphs, line breaks and spacing stay as they were.

    ``document`` is the text as imported (segment texts unedited). When the offsets do not match
    the text (segments made by hand without offsets), the text is rebuilt from the segments
    instead: one space between segments, a blank line between paragraphs.
    """
    if not _offsets_match(document):
        return _rebuild(document, edits)
    pieces: list[str] = []
    position = 0
    for seg in sorted(document.segments, key=lambda s: s.start):
        if seg.index in edits:
            pieces += [document.text[position : seg.start], edits[seg.index]]
            position = seg.end
    pieces.append(document.text[position:])
    return "".join(pieces)


def _offsets_match(document: Document) -> bool:
    ordered = sorted(document.segments, key=lambda s: s.start)
    overlapping = any(a.end > b.start for a, b in zip(ordered, ordered[1:]))
    exact = all(document.text[s.start : s.end] == s.text for s in document.segments)
    return exact and not overlapping


def _rebuild(document: Document, edits: Mapping[int, str]) -> str:
    paragraphs: dict[int, list[str]] = {}
    for seg in document.segments:
        paragraphs.setdefault(seg.paragraph, []).append(edits.get(seg.index, seg.text))
    return "\n\n".join(" ".join(texts) for texts in paragraphs.values())
