"""What every checker receives, and the helper that makes issues.

A checker is a module in ``align.checks`` with a ``KINDS`` tuple (the issue kinds it can report)
and a ``check(ctx: CheckContext) -> list[Issue]`` function. Checkers are independent: none reads
another's output.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from align.lexicon import DICTD_DIR, Dictionary, load_dictionary
from align.types import Alignment, Bead, Document

if TYPE_CHECKING:  # imported only for type hints; the encoder module pulls numpy models in
    from align.embed import Encoder


@dataclass(frozen=True)
class CheckContext:
    """The aligned pair and the resources a checker may use."""

    alignment: Alignment
    glossary: tuple[Any, ...] = ()
    encoder: "Encoder | None" = None
    options: dict[str, Any] = field(default_factory=dict)

    @property
    def source(self) -> Document:
        return self.alignment.source

    @property
    def target(self) -> Document:
        return self.alignment.target

    @property
    def beads(self) -> tuple[Bead, ...]:
        return self.alignment.beads

    @property
    def dictionary_dir(self) -> str:
        """Where the FreeDict dictd files are read from (``options["dictionary_dir"]``)."""
        return str(self.options.get("dictionary_dir", DICTD_DIR))

    def dictionary(self) -> Dictionary | None:
        """The pair's bilingual dictionary, or None: none installed, or ``options["dictionary"]``
        is False."""
        if not self.options.get("dictionary", True):
            return None
        return load_dictionary(self.source.lang, self.target.lang, self.dictionary_dir)

    def pairs(self) -> list[tuple[Bead, str, str]]:
        """Each bead with both sides' text joined, for checkers that read pair by pair."""
        src, tgt = self.source.segments, self.target.segments
        return [
            (b, " ".join(src[i].text for i in b.src), " ".join(tgt[j].text for j in b.tgt))
            for b in self.beads
        ]
