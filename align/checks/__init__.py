"""The checkers: one small module per kind of problem, each ``check(ctx) -> list[Issue]``.

``run_checks`` runs them all (or those reporting the asked-for kinds) and returns their issues in
document order. Checkers are independent; the order below is only the order of the report.
"""

from __future__ import annotations

from collections.abc import Sequence
from types import ModuleType

from align.checks import names, numbers
from align.checks.base import CheckContext
from align.types import Issue

CHECKERS: tuple[ModuleType, ...] = (names, numbers)
KINDS: tuple[str, ...] = tuple(kind for checker in CHECKERS for kind in checker.KINDS)

__all__ = ["CHECKERS", "KINDS", "CheckContext", "run_checks"]


def run_checks(ctx: CheckContext, kinds: Sequence[str] | None = None) -> list[Issue]:
    wanted = set(KINDS if kinds is None else kinds)
    unknown = wanted - set(KINDS)
    if unknown:
        raise ValueError(f"unknown issue kind(s): {', '.join(sorted(unknown))}; known: {', '.join(KINDS)}")
    issues = [
        issue
        for checker in CHECKERS
        if wanted.intersection(checker.KINDS)
        for issue in checker.check(ctx)
        if issue.kind in wanted
    ]
    return sorted(issues, key=_position)


def _position(issue: Issue) -> tuple[int, int]:
    first = lambda idx: min(idx) if idx else 1 << 30  # noqa: E731
    return (min(first(issue.tgt), first(issue.src)), -issue.severity.rank)
