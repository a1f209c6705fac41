"""The plain records every stage passes along: segments, beads, issues and documents.

All are frozen dataclasses so a stage can never change what an earlier stage produced; a new
record is made instead (``dataclasses.replace``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum


@dataclass(frozen=True)
class Segment:
    """One sentence (or heading, or debris line) of a document.

    ``start``/``end`` are character offsets into the document's text, so a fix can be written back
    in place; ``paragraph`` numbers the paragraph it came from (paragraph breaks are hard
    boundaries for the segmenter).
    """

    index: int
    text: str
    paragraph: int = 0
    start: int = 0
    end: int = 0


@dataclass(frozen=True)
class Document:
    """A text, its language and its segments."""

    text: str
    lang: str
    segments: tuple[Segment, ...]

    @property
    def texts(self) -> list[str]:
        return [s.text for s in self.segments]

    def __len__(self) -> int:
        return len(self.segments)


@dataclass(frozen=True)
class Bead:
    """A group of source segments aligned with a group of target segments.

    Either side may be empty (a 1-0 or 0-1 bead). ``score`` is a confidence in 0..1.
    """

    src: tuple[int, ...]
    tgt: tuple[int, ...]
    score: float = 0.0

    @property
    def kind(self) -> str:
        """The bead's shape, e.g. ``"1-2"`` or ``"0-1"``."""
        return f"{len(self.src)}-{len(self.tgt)}"

    def __str__(self) -> str:
        return f"{list(self.src)}:{list(self.tgt)}"


class Severity(str, Enum):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"

    @property
    def rank(self) -> int:
        return _SEVERITY_RANK[self]

    def __str__(self) -> str:
        return self.value


_SEVERITY_RANK = {Severity.LOW: 0, Severity.MEDIUM: 1, Severity.HIGH: 2}


@dataclass(frozen=True)
class Issue:
    """One problem found in the translation.

    ``src``/``tgt`` are segment indices; ``evidence`` names what the checker saw (the words, the
    numbers); ``suggestion`` is the fix when one is known, and ``replaces`` the exact text of the
    target segments it should replace, when the checker knows it (``align fix`` applies those).
    """

    kind: str
    severity: Severity
    src: tuple[int, ...]
    tgt: tuple[int, ...]
    message: str
    evidence: tuple[str, ...] = ()
    suggestion: str | None = None
    replaces: str | None = None


@dataclass(frozen=True)
class Alignment:
    """Two documents and the beads that pair their segments, in document order."""

    source: Document
    target: Document
    beads: tuple[Bead, ...]
    signature: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Report:
    """An alignment and what the checkers found in it."""

    alignment: Alignment
    issues: tuple[Issue, ...]
