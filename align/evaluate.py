"""Alignment quality against a gold standard: strict and lax precision, recall and F1.

The definition is the one Vecalign and Bertalign report (after Sennrich and Volk's Bleualign
evaluation), so figures are comparable with theirs:

- precision counts every bead of the test alignment, null beads included; a bead is a strict hit
  when the gold holds exactly that bead, a lax hit when it shares a source sentence with a gold
  bead whose target side it also overlaps;
- recall swaps the roles and leaves null beads (1-0, 0-1) out on both sides.

Alignments are read and written in the Vecalign format: one bead a line, ``[0, 1]:[2]``.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from align.errors import InputError
from align.types import Bead

BeadPair = tuple[tuple[int, ...], tuple[int, ...]]


@dataclass(frozen=True)
class Counts:
    strict_hits: int = 0
    lax_hits: int = 0
    total: int = 0

    def __add__(self, other: Counts) -> Counts:
        return Counts(
            self.strict_hits + other.strict_hits,
            self.lax_hits + other.lax_hits,
            self.total + other.total,
        )


@dataclass(frozen=True)
class Scores:
    strict_precision: float
    strict_recall: float
    strict_f1: float
    lax_precision: float
    lax_recall: float
    lax_f1: float

    def as_dict(self) -> dict[str, float]:
        return {k: round(v, 4) for k, v in self.__dict__.items()}


def format_bead(src: Iterable[int], tgt: Iterable[int]) -> str:
    return f"{list(src)}:{list(tgt)}"


def format_alignment(beads: Iterable[Bead]) -> str:
    return "".join(format_bead(b.src, b.tgt) + "\n" for b in beads)


# One bead: two bracketed lists of non-negative whole numbers, e.g. [0, 1]:[2] or []:[3].
_SIDE = r"\[\s*(?:[0-9]+\s*(?:,\s*[0-9]+\s*)*)?\]"
_BEAD_LINE = re.compile(rf"({_SIDE})\s*:\s*({_SIDE})")


def parse_alignment(text: str, *, where: str = "alignment") -> list[BeadPair]:
    """Parse Vecalign-format lines; blank lines are skipped, a malformed line names itself.

    Only the format itself is taken: lists of non-negative whole numbers, increasing within a side,
    one bead a line. Anything looser (``[0.7]``, ``{3, 2}``, ``[1e400]``) would be read as some
    other bead, or crash, and give a wrong score without a word."""
    beads = []
    for number, line in enumerate(text.split("\n"), start=1):
        line = line.strip()
        if line:
            beads.append(_parse_bead(line, f"{where}, line {number}"))
    return beads


def _parse_bead(line: str, where: str) -> BeadPair:
    shown = line if len(line) <= 60 else line[:59] + "…"
    match = _BEAD_LINE.fullmatch(line)
    if not match:
        raise InputError(f"{where}: not a bead like [0, 1]:[2]: {shown!r}")
    src, tgt = (tuple(int(i) for i in re.findall(r"[0-9]+", side)) for side in match.groups())
    if not src and not tgt:
        raise InputError(f"{where}: a bead needs a segment on at least one side: {shown!r}")
    if any(list(side) != sorted(set(side)) for side in (src, tgt)):
        raise InputError(f"{where}: the segments of a bead must be listed in increasing order: {shown!r}")
    return src, tgt


def read_alignment(path: str | Path) -> list[BeadPair]:
    """A Vecalign-format file (UTF-8, a BOM allowed) holding at least one bead."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as err:
        raise InputError(f"cannot read {path}: {err.strerror}") from None
    except UnicodeDecodeError:
        raise InputError(f"{path}: not UTF-8 text; an alignment is one bead a line, like [0, 1]:[2]") from None
    beads = parse_alignment(text, where=str(path))
    if not beads:
        raise InputError(f"{path}: no beads (the file is empty); expected one a line, like [0, 1]:[2]")
    return beads


def check_indices(
    beads: Sequence[BeadPair], counts: tuple[int, int], *, where: str = "alignment",
    names: tuple[str, str] = ("source", "target"), hint: str = "",
) -> None:
    """Refuse beads that refer to segments past the end of the texts (``counts`` segments each).

    Such a gold was made for another segmentation or another file, and would score near zero
    with no sign of why. ``hint`` is added to the message, e.g. how to segment differently."""
    for side, count, name in zip((0, 1), counts, names):
        highest = max((i for bead in beads for i in bead[side]), default=-1)
        if highest >= count:
            bead = next(b for b in beads if highest in b[side])
            raise InputError(
                f"{where}: the bead {format_bead(*bead)} refers to segment {highest} of {name}, "
                f"which has {count} segment(s), numbered from 0{hint}"
            )


def _hits(reference: Sequence[BeadPair], test: Sequence[BeadPair]) -> Counts:
    """How many test beads are strict and lax hits against the reference."""
    reference_set = {b for b in reference if b[0] or b[1]}
    test_set = {b for b in test if b[0] or b[1]}
    targets_of_source: dict[int, set[int]] = defaultdict(set)
    for src, tgt in reference_set:
        for i in src:
            targets_of_source[i].update(tgt)
    strict = lax = 0
    for bead in test_set:
        if bead in reference_set:
            strict += 1
            lax += 1
        else:
            src, tgt = bead
            linked = set().union(*(targets_of_source[i] for i in src)) if src else set()
            lax += bool(linked.intersection(tgt))
    return Counts(strict, lax, len(test_set))


def _ratio(hits: int, total: int) -> float:
    return hits / total if total else 0.0


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def score(
    gold: Sequence[Sequence[BeadPair]], test: Sequence[Sequence[BeadPair]]
) -> Scores:
    """Micro-averaged scores over several documents (one gold and one test list each).

    A single document's gold and test bead lists may be passed directly too.
    """
    if _is_one_document(gold) and _is_one_document(test):
        gold, test = [gold], [test]
    if len(gold) != len(test):
        raise ValueError("need one test alignment per gold alignment")
    precision = recall = Counts()
    for g, t in zip(gold, test):
        precision += _hits(g, t)
        both_sides = lambda beads: [b for b in beads if b[0] and b[1]]  # noqa: E731
        recall += _hits(both_sides(t), both_sides(g))
    sp, sr = _ratio(precision.strict_hits, precision.total), _ratio(recall.strict_hits, recall.total)
    lp, lr = _ratio(precision.lax_hits, precision.total), _ratio(recall.lax_hits, recall.total)
    return Scores(sp, sr, _f1(sp, sr), lp, lr, _f1(lp, lr))


def _is_one_document(alignments) -> bool:
    return bool(alignments) and isinstance(alignments[0], tuple)


def as_pairs(beads: Iterable[Bead]) -> list[BeadPair]:
    return [(tuple(b.src), tuple(b.tgt)) for b in beads]
