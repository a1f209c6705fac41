"""A long project for timing the app: the demo pair repeated until it has some 500 pairs.

Built by copying the demo's segments, beads and issues with shifted indices, so it needs no
alignment run and no checks, and behaves like a real 500-pair project in the store.
"""

from __future__ import annotations

import dataclasses

from align.store import Store
from align.types import Alignment, Bead, Document, Segment

SEPARATOR = "\n\n"


def tile_document(document: Document, copies: int) -> Document:
    text = SEPARATOR.join([document.text] * copies)
    segments: list[Segment] = []
    paragraphs = max((s.paragraph for s in document.segments), default=0) + 1
    for copy in range(copies):
        shift = copy * (len(document.text) + len(SEPARATOR))
        segments += [
            Segment(copy * len(document) + s.index, s.text, copy * paragraphs + s.paragraph, s.start + shift, s.end + shift)
            for s in document.segments
        ]
    return Document(text, document.lang, tuple(segments))


def make_long_demo(store: Store, demo_id: int, copies: int = 4, name: str | None = None) -> int:
    """Save the demo project repeated ``copies`` times as a new project; returns its id."""
    state = store.load(demo_id)
    alignment = state.alignment
    n_src, n_tgt = len(alignment.source), len(alignment.target)

    def shifted(indices: tuple[int, ...], size: int, copy: int) -> tuple[int, ...]:
        return tuple(i + copy * size for i in indices)

    beads = tuple(
        Bead(shifted(b.src, n_src, copy), shifted(b.tgt, n_tgt, copy), b.score)
        for copy in range(copies) for b in alignment.beads
    )
    issues = [
        dataclasses.replace(s.issue, src=shifted(s.issue.src, n_src, copy), tgt=shifted(s.issue.tgt, n_tgt, copy))
        for copy in range(copies) for s in state.issues
    ]
    long = Alignment(tile_document(alignment.source, copies), tile_document(state.original_target, copies),
                     beads, dict(alignment.signature))
    label = name or f"Demo ×{copies} ({len(beads)} pairs, for timing)"
    return store.create_project(label, long, issues, encoder=state.info.encoder)

