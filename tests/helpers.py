"""Small builders shared by the checker tests: documents of one sentence a line, paired 1-1."""

from __future__ import annotations

from align.checks.base import CheckContext
from align.types import Alignment, Bead, Document, Segment


def line_document(sentences: list[str], lang: str) -> Document:
    """A document holding ``sentences`` one a line, each its own segment and paragraph."""
    segments, start = [], 0
    for i, text in enumerate(sentences):
        segments.append(Segment(i, text, i, start, start + len(text)))
        start += len(text) + 1
    return Document("\n".join(sentences), lang, tuple(segments))


def paired_context(source: list[str], target: list[str], *, src_lang="pl", tgt_lang="en", glossary=()) -> CheckContext:
    """A context whose beads pair sentence i with sentence i (both lists the same length)."""
    assert len(source) == len(target)
    beads = tuple(Bead((i,), (i,), 1.0) for i in range(len(source)))
    return CheckContext(
        Alignment(line_document(source, src_lang), line_document(target, tgt_lang), beads),
        glossary=tuple(glossary),
    )
