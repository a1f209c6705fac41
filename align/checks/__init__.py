"""The checkers: one small module per kind of problem, each ``check(ctx) -> list[Issue]``.

``run_checks`` runs them all (or those reporting the asked-for kinds) and returns their issues in
document order. Checkers are independent; the order below is only the order of the report.

A checker whose module sets ``SCOPE = "pair"`` judges each bead on its own, so after an edit it can
be re-run on the changed beads only (``run_checks(ctx, beads=...)``); the others read the whole
document (a name spelled two ways, a term rendered two ways) and always run whole.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Collection, Sequence
from types import ModuleType

from align.checks import coverage, glossary, meaning, names, numbers, terms
from align.checks.base import CheckContext
from align.lexicon import prefetch_lemmas
from align.types import Issue

CHECKERS: tuple[ModuleType, ...] = (coverage, names, numbers, terms, meaning, glossary)
KINDS: tuple[str, ...] = tuple(kind for checker in CHECKERS for kind in checker.KINDS)

__all__ = ["CHECKERS", "KINDS", "CheckContext", "run_checks", "is_pair_scope"]


def is_pair_scope(checker: ModuleType) -> bool:
    return getattr(checker, "SCOPE", "document") == "pair"


def run_checks(
    ctx: CheckContext,
    kinds: Sequence[str] | None = None,
    *,
    beads: Collection[int] | None = None,
) -> list[Issue]:
    """Issues from every checker that reports one of ``kinds`` (default: all kinds).

    With ``beads`` (positions in ``ctx.beads``), pair-scope checkers look at those beads only while
    document-scope checkers still read everything: the re-check after an edit of those beads. The
    caller then replaces the pair-scope issues of those beads and all document-scope issues.
    """
    wanted = set(KINDS if kinds is None else kinds)
    unknown = wanted - set(KINDS)
    if unknown:
        raise ValueError(f"unknown issue kind(s): {', '.join(sorted(unknown))}; known: {', '.join(KINDS)}")
    for document in (ctx.source, ctx.target):  # a few queries now instead of one a word later
        prefetch_lemmas(document.texts, document.lang)
    issues: list[Issue] = []
    for checker in CHECKERS:
        if not wanted.intersection(checker.KINDS):
            continue
        restrict = beads is not None and is_pair_scope(checker)
        issues += checker.check(_restricted(ctx, beads) if restrict else ctx)
    return sorted((i for i in issues if i.kind in wanted), key=_position)


def _restricted(ctx: CheckContext, positions: Collection[int]) -> CheckContext:
    chosen = tuple(b for k, b in enumerate(ctx.beads) if k in set(positions))
    return dataclasses.replace(ctx, alignment=dataclasses.replace(ctx.alignment, beads=chosen))


def _position(issue: Issue) -> tuple[int, int]:
    first = lambda idx: min(idx) if idx else 1 << 30  # noqa: E731
    return (min(first(issue.tgt), first(issue.src)), -issue.severity.rank)
