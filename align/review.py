"""Review operations behind the Streamlit app: everything it does to a project, without Streamlit.

The app (``app.py``, ``app_pages/``) only lays things out; each button calls one function here.

- **Bead arithmetic**: pure functions over a tuple of beads (merge, split, move one sentence across
  a boundary). Each returns a ``BeadEdit``: the new beads, which positions are new, and a name for
  the audit log. Every segment stays in exactly one bead and both sides stay in document order.
- **Scoring**: an edited bead gets a fresh score from the encoder (``Scorer``), on the aligner's
  0..1 confidence scale, measured against the document's own random sentence pairs.
- **Saving**: ``commit_bead_edit``, ``replace_in_translation``, ``add_translation`` (a dropped
  sentence translated), ``set_reviewed``... write one edit to the ``Store``. Pair-scope checks then re-run on the changed pairs only (``recheck``, at
  once); document-scope checks (names, terms, coverage, meaning) re-read the whole document
  (``recheck_document``), which the app runs in a background thread (``DocumentRechecks``) so
  an edit returns at once. ``undo`` takes an edit back together with its re-checks. An edit made
  on a view another tab has overtaken is redone on the latest version when that tab changed
  other pairs only; when it changed the same pair, ``RevisionConflict`` asks the person to look.
- **Viewing**: ``pair_views``/``filter_pairs``/``page_of`` build the side-by-side table;
  ``highlight`` escapes text and marks what an issue's ``evidence`` names; ``word_diff`` previews
  a replacement.
- **Projects and exports**: ``create_project`` (align + check + save), ``open_demo``,
  ``export_bytes``.

Every user-supplied text that ends up in HTML goes through ``html.escape`` here.
"""

from __future__ import annotations

import dataclasses
import difflib
import html
import io
import re
import threading
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import Any, TypeVar

import numpy as np
import pandas as pd

from align import export
from align.aligner import bead_confidence, random_pair_baseline  # the aligner's calibration; see Scorer
from align.checks import CHECKERS, KINDS, CheckContext, is_pair_scope, run_checks
from align.checks.names import NameCluster, name_clusters
from align.embed import USE_ID, Encoder
from align.errors import AlignError, InputError
from align.glossary import GlossaryEntry, read_glossary
from align.pipeline import Progress, align, check_alignment, resolve_encoder
from align.store import (
    AuditEntry, IssueStatus, ProjectNotFound, ProjectState, RevisionConflict, SegmentChange, Store, StoredIssue,
)
from align.types import Alignment, Bead, Document, Issue, Severity

__all__ = [
    "BeadEdit", "DEMO_NAME", "DocumentRechecks", "EXPORT_FORMATS", "LOW_SCORE", "Outcome", "PAGE_SIZE",
    "PairView", "ReviewError", "ReviewFilter", "SEVERITIES", "Scorer", "check_upload_size",
    "commit_bead_edit", "create_project", "default_cut", "demo_paths", "document_scope_kinds",
    "edit_translation", "encoder_name", "evidence_terms", "export_bytes", "export_filename",
    "filter_pairs", "highlight", "merge_with_next", "merge_with_previous", "move_first_source_to_previous",
    "move_first_target_to_previous", "move_last_source_to_next", "move_last_target_to_next",
    "name_clusters_of", "only_rechecks_since", "open_demo", "page_count", "page_of", "pair_marks",
    "pair_scope_kinds", "pair_views", "preview_replacement", "recheck", "recheck_document",
    "replace_in_translation", "sentence_vectors", "set_comment", "set_issue_status", "set_reviewed",
    "similarity_cells", "split", "undo", "word_diff", "app_wording", "counted", "delete_translation",
    "describe_edit",
]

DEMO_NAME = "Demo: Łatuszka interview (pl → en)"
DEMO_DIR = Path(__file__).resolve().parent.parent / "corpora" / "latushka-interia"
PAGE_SIZE = 25


class ReviewError(AlignError):
    """An edit that cannot be made as asked (no next pair to merge with, an empty split...)."""


# -- bead arithmetic -------------------------------------------------------------------------------


@dataclass(frozen=True)
class BeadEdit:
    """The bead list after an edit; ``changed`` are the positions (in ``beads``) of the beads the
    edit made, which need a new score and a re-check."""

    beads: tuple[Bead, ...]
    changed: tuple[int, ...]
    action: str  # names the edit in the audit log: merge, split, move
    description: str  # for the person: "Merged pairs 4 and 5."


def merge_with_next(beads: Sequence[Bead], position: int) -> BeadEdit:
    """Join the bead at ``position`` and the one after it into one bead."""
    _check_position(beads, position)
    if position + 1 >= len(beads):
        raise ReviewError(f"Pair {position + 1} is the last one: there is no next pair to merge with.")
    return _merge(beads, position)


def merge_with_previous(beads: Sequence[Bead], position: int) -> BeadEdit:
    """Join the bead at ``position`` and the one before it into one bead."""
    _check_position(beads, position)
    if position == 0:
        raise ReviewError("Pair 1 is the first one: there is no previous pair to merge with.")
    return _merge(beads, position - 1)


def split(beads: Sequence[Bead], position: int, src_at: int, tgt_at: int) -> BeadEdit:
    """Cut the bead at ``position`` in two: the first keeps ``src_at`` source and ``tgt_at``
    target segments, the second the rest. Each part must keep at least one segment."""
    _check_position(beads, position)
    bead = beads[position]
    if not (0 <= src_at <= len(bead.src) and 0 <= tgt_at <= len(bead.tgt)):
        raise ReviewError(
            f"Pair {position + 1} has {len(bead.src)} original and {len(bead.tgt)} translated "
            "sentences; the cut must fall between them."
        )
    first = Bead(bead.src[:src_at], bead.tgt[:tgt_at], bead.score)
    second = Bead(bead.src[src_at:], bead.tgt[tgt_at:], bead.score)
    if _empty(first) or _empty(second):
        raise ReviewError("Each part of a split must keep at least one sentence.")
    new = (*beads[:position], first, second, *beads[position + 1 :])
    return BeadEdit(new, (position, position + 1), "split", f"Split pair {position + 1} in two.")


def default_cut(bead: Bead, alignment: Alignment | None = None, scorer: Scorer | None = None) -> tuple[int, int]:
    """A valid place to split ``bead`` to offer first: with a ``scorer``, the cut whose two parts
    score best together (a stray line merged in goes back out alone); else each side cut in the
    middle, and a 1-1 bead cut into its two sentences (1-0 and 0-1)."""
    src_at, tgt_at = (len(bead.src) + 1) // 2, (len(bead.tgt) + 1) // 2
    if src_at == len(bead.src) and tgt_at == len(bead.tgt):  # the second part would be empty
        tgt_at = max(0, tgt_at - 1) if bead.tgt else tgt_at
        src_at = src_at - 1 if tgt_at == len(bead.tgt) else src_at
    if scorer is None or alignment is None:
        return src_at, tgt_at

    def worth(cut: tuple[int, int]) -> float:
        i, j = cut
        parts = (Bead(bead.src[:i], bead.tgt[:j]), Bead(bead.src[i:], bead.tgt[j:]))
        return sum(scorer.score(alignment, part) for part in parts)

    cuts = [(i, j) for i in range(len(bead.src) + 1) for j in range(len(bead.tgt) + 1)
            if (i or j) and (i < len(bead.src) or j < len(bead.tgt))]
    return max(cuts, key=lambda cut: (round(worth(cut), 3), cut == (src_at, tgt_at)))


def move_first_target_to_previous(beads: Sequence[Bead], position: int) -> BeadEdit:
    """Move the first translated sentence of the bead at ``position`` to the end of the bead before."""
    return _move(beads, position, "tgt", forward=False)


def move_last_target_to_next(beads: Sequence[Bead], position: int) -> BeadEdit:
    """Move the last translated sentence of the bead at ``position`` to the start of the bead after."""
    return _move(beads, position, "tgt", forward=True)


def move_first_source_to_previous(beads: Sequence[Bead], position: int) -> BeadEdit:
    """Move the first original sentence of the bead at ``position`` to the end of the bead before."""
    return _move(beads, position, "src", forward=False)


def move_last_source_to_next(beads: Sequence[Bead], position: int) -> BeadEdit:
    """Move the last original sentence of the bead at ``position`` to the start of the bead after."""
    return _move(beads, position, "src", forward=True)


def _merge(beads: Sequence[Bead], first: int) -> BeadEdit:
    a, b = beads[first], beads[first + 1]
    merged = Bead(a.src + b.src, a.tgt + b.tgt, min(a.score, b.score))
    new = (*beads[:first], merged, *beads[first + 2 :])
    return BeadEdit(new, (first,), "merge", f"Merged pairs {first + 1} and {first + 2}.")


def _move(beads: Sequence[Bead], position: int, side: str, *, forward: bool) -> BeadEdit:
    _check_position(beads, position)
    other = position + 1 if forward else position - 1
    words = "original" if side == "src" else "translated"
    if not 0 <= other < len(beads):
        where = "next" if forward else "previous"
        raise ReviewError(f"Pair {position + 1} has no {where} pair to move a sentence to.")
    here, there = beads[position], beads[other]
    group: tuple[int, ...] = getattr(here, side)
    if not group:
        raise ReviewError(f"Pair {position + 1} has no {words} sentence to move.")
    moved, kept = (group[-1:], group[:-1]) if forward else (group[:1], group[1:])
    received = moved + getattr(there, side) if forward else getattr(there, side) + moved
    here_after = dataclasses.replace(here, **{side: kept})
    there_after = dataclasses.replace(there, **{side: received})
    pair = (here_after, there_after) if forward else (there_after, here_after)
    low = min(position, other)
    kept_beads = tuple(b for b in pair if not _empty(b))  # a bead left with nothing disappears
    new = (*beads[:low], *kept_beads, *beads[low + 2 :])
    direction = "next" if forward else "previous"
    description = f"Moved a {words} sentence from pair {position + 1} to the {direction} pair."
    return BeadEdit(new, tuple(range(low, low + len(kept_beads))), "move", description)


def _check_position(beads: Sequence[Bead], position: int) -> None:
    if not 0 <= position < len(beads):
        raise ReviewError(f"There is no pair {position + 1} (the document has {len(beads)}).")


def _empty(bead: Bead) -> bool:
    return not bead.src and not bead.tgt


# -- scoring ---------------------------------------------------------------------------------------

_BASELINE_SAMPLE = 300  # sentences per side for the random-pair baseline: 90,000 pairs


@dataclass(frozen=True)
class Scorer:
    """Scores a bead as the aligner does: how far the cosine of its two sides' embeddings lies
    above the document's random sentence pairs (in standard deviations), mapped to 0..1 with the
    aligner's calibration and the aligner's baseline of 1-1 pairs (``random_pair_baseline``), so
    a pair split back out of a merge gets the score the aligner gave it. A merged bead's sides
    are longer texts, whose random baseline is a little higher: its score errs slightly high.
    """

    encode: Callable[[list[str]], np.ndarray]
    mean: float
    std: float

    @classmethod
    def for_alignment(cls, alignment: Alignment, encoder: Encoder) -> Scorer:
        src, tgt = sentence_vectors(alignment, encoder)
        rng = np.random.default_rng(0)
        xs = src[np.sort(rng.choice(len(src), min(len(src), _BASELINE_SAMPLE), replace=False))]
        ys = tgt[np.sort(rng.choice(len(tgt), min(len(tgt), _BASELINE_SAMPLE), replace=False))]
        mean, std = random_pair_baseline(xs, ys)
        return cls(encoder.encode, mean, max(std, 1e-3))

    def score(self, alignment: Alignment, bead: Bead) -> float:
        src_text, tgt_text = _side_texts(alignment, bead)
        if not src_text.strip() or not tgt_text.strip():
            return 0.0  # the aligner gives unpaired sentences 0 too, and a deleted translation is none
        x, y = self.encode([src_text, tgt_text])
        z = (float(x @ y) - self.mean) / self.std
        return round(bead_confidence(z), 3)

    def rescored(self, alignment: Alignment, edit: BeadEdit) -> BeadEdit:
        beads = list(edit.beads)
        for position in edit.changed:
            beads[position] = dataclasses.replace(beads[position], score=self.score(alignment, beads[position]))
        return dataclasses.replace(edit, beads=tuple(beads))


def sentence_vectors(alignment: Alignment, encoder: Encoder) -> tuple[np.ndarray, np.ndarray]:
    """One embedding per segment of each side (served from the on-disk cache after the first run)."""
    src, tgt = alignment.source.texts, alignment.target.texts
    vectors = encoder.encode(src + tgt) if src or tgt else np.zeros((0, 1), dtype=np.float32)
    return vectors[: len(src)], vectors[len(src) :]


def encoder_name(encoder_id: str) -> str | None:
    """The name ``load_encoder`` takes for an encoder id saved with a project."""
    if encoder_id in ("", USE_ID):
        return None
    return encoder_id.removeprefix("st:")


# -- saving edits ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Outcome:
    """What an edit did: the project's revision afterwards, a line for the person, and the bead
    positions it touched (for the view to jump to)."""

    revision: int
    message: str
    changed: tuple[int, ...] = ()


def commit_bead_edit(
    store: Store,
    state: ProjectState,
    make: Callable[[tuple[Bead, ...]], BeadEdit],
    *,
    scorer: Scorer | None = None,
    encoder: Encoder | None = None,
    glossary: Sequence[Any] = (),
    rechecks: DocumentRechecks | None = None,
) -> Outcome:
    """Apply a bead edit to the project as the person saw it (``state``), score the new beads
    (without a ``scorer`` they keep their old scores, a merge the lower of two), save, and
    re-check: the changed pairs at once, the whole document in the background when
    ``rechecks`` is given, else at once too. When another tab changed the project since
    ``state`` was loaded, the edit is made on the latest version if the pairs it replaces are
    as the person saw them; else ``RevisionConflict`` is raised and nothing is written."""
    replaced = _replaced_positions(state.alignment.beads, make(state.alignment.beads).beads)
    seen = [_pair_snapshot(state, p) for p in replaced]
    return _on_latest(
        store, state,
        lambda latest: _save_bead_edit(store, latest, make, scorer, encoder, glossary, rechecks),
        lambda latest: [_pair_snapshot(latest, p) for p in replaced] == seen,
    )


def _save_bead_edit(
    store: Store, state: ProjectState, make: Callable[[tuple[Bead, ...]], BeadEdit], scorer: Scorer | None,
    encoder: Encoder | None, glossary: Sequence[Any], rechecks: DocumentRechecks | None,
    texts: Mapping[int, str] | None = None,
) -> Outcome:
    """Save a bead edit, and with ``texts`` (target index -> text) those translated sentences
    in the same edit, so one undo takes both back."""
    edit = make(state.alignment.beads)
    alignment = state.alignment
    for index, text in (texts or {}).items():
        alignment = _with_target_text(alignment, index, text)
    if scorer is not None:
        edit = scorer.rescored(alignment, edit)
    revision = store.set_beads(
        state.info.id, edit.beads, action=edit.action, texts=texts, expected_revision=state.revision
    )
    alignment = dataclasses.replace(alignment, beads=edit.beads)
    revision = recheck(store, state.info.id, alignment, state.issues, edit.changed,
                       revision=revision, encoder=encoder, glossary=glossary)
    revision = _after_edit(store, state.info.id, revision, rechecks, encoder, glossary)
    return Outcome(revision, edit.description, edit.changed)


_Result = TypeVar("_Result")
_ATTEMPTS = 3  # tries of an edit whose pairs stay untouched while other tabs keep editing


def _on_latest(
    store: Store, seen: ProjectState, attempt: Callable[[ProjectState], _Result],
    unchanged: Callable[[ProjectState], bool],
) -> _Result:
    """``attempt(seen)``; when the store refuses it because the project changed meanwhile (in
    another tab, or by our own background re-check), ``attempt`` again on the latest version,
    provided ``unchanged(latest)`` says that the change left alone what the edit is about (its
    pair, its issue): a change to other pairs must not throw away the person's work. Else the
    ``RevisionConflict`` is raised: the person has to look at the pair again."""
    state = seen
    for _ in range(_ATTEMPTS - 1):
        try:
            return attempt(state)
        except RevisionConflict:
            state = store.load(seen.info.id)
            if not unchanged(state):
                raise
    return attempt(state)


def _pair_snapshot(state: ProjectState, position: int) -> tuple | None:
    """What the person saw of the pair at ``position``: its sentences, their translated texts,
    the reviewed flag and the comment. Another tab's merge or split before it shifts other
    sentences to ``position``, which shows as a change."""
    if not 0 <= position < len(state.alignment.beads):
        return None
    bead, texts = state.alignment.beads[position], state.alignment.target.segments
    return (bead.src, bead.tgt, tuple(texts[j].text for j in bead.tgt),
            state.reviewed[position], state.comments[position])


def _pair_holding(state: ProjectState, index: int) -> tuple | None:
    """The snapshot of the pair that holds translated sentence ``index`` (wherever it is now)."""
    position = next((p for p, b in enumerate(state.alignment.beads) if index in b.tgt), -1)
    return _pair_snapshot(state, position)


def _replaced_positions(old: Sequence[Bead], new: Sequence[Bead]) -> range:
    """The positions in ``old`` of the beads that an edit producing ``new`` replaced."""
    shortest = min(len(old), len(new))
    head = next((k for k in range(shortest) if old[k] != new[k]), shortest)
    tail = next((k for k in range(shortest - head) if old[-1 - k] != new[-1 - k]), shortest - head)
    return range(head, len(old) - tail)


def pair_scope_kinds() -> frozenset[str]:
    """Issue kinds of the checkers that judge each pair on its own (re-run on edited pairs)."""
    return frozenset(kind for checker in CHECKERS if is_pair_scope(checker) for kind in checker.KINDS)


def document_scope_kinds() -> frozenset[str]:
    """Issue kinds of the checkers that read the whole document (names, terms, coverage...)."""
    return frozenset(KINDS) - pair_scope_kinds()


def recheck(
    store: Store,
    project_id: int,
    alignment: Alignment,
    stored: Sequence[StoredIssue],
    positions: Collection[int],
    *,
    revision: int,
    encoder: Encoder | None = None,
    glossary: Sequence[Any] = (),
) -> int:
    """Re-run the pair-scope checkers on the beads at ``positions`` (the pairs an edit changed)
    and replace their findings on those pairs; every other finding is kept. The document-scope
    checkers are ``recheck_document``'s job. The store keeps the reviewer's verdict on an issue
    found again. Nothing is written when the findings did not change. Returns the revision."""
    kinds = pair_scope_kinds()
    ctx = CheckContext(alignment, glossary=tuple(glossary), encoder=encoder)
    fresh = run_checks(ctx, sorted(kinds), beads=positions)
    src = {i for p in positions for i in alignment.beads[p].src}
    tgt = {j for p in positions for j in alignment.beads[p].tgt}
    kept = [s.issue for s in stored if s.issue.kind not in kinds or not (set(s.issue.src) & src or set(s.issue.tgt) & tgt)]
    return _save_issues(store, project_id, stored, kept + fresh, revision)


def recheck_document(
    store: Store, project_id: int, *, encoder: Encoder | None = None, glossary: Sequence[Any] = (), attempts: int = 3
) -> int | None:
    """Re-run the document-scope checkers on the project as saved now and replace their findings.
    If another edit lands meanwhile, start again on the newer state (up to ``attempts`` times).
    Returns the revision afterwards, or None if edits kept overtaking it."""
    kinds = document_scope_kinds()
    for _ in range(attempts):
        state = store.load(project_id)
        ctx = CheckContext(state.alignment, glossary=tuple(glossary), encoder=encoder)
        fresh = run_checks(ctx, sorted(kinds))
        kept = [s.issue for s in state.issues if s.issue.kind not in kinds]
        try:
            return _save_issues(store, project_id, state.issues, kept + fresh, state.revision)
        except RevisionConflict:
            continue
    return None


def only_rechecks_since(store: Store, project_id: int, revision: int) -> bool:
    """Whether every change to the project after ``revision`` was a re-check (the app's own
    background work), so a view from ``revision`` is still right about everything but issues."""
    return all(e.action == "recheck" for e in store.history(project_id) if e.revision > revision)


def _after_edit(
    store: Store, project_id: int, revision: int, rechecks: DocumentRechecks | None,
    encoder: Encoder | None, glossary: Sequence[Any],
) -> int:
    """The document-wide re-check an edit needs: in the background when the caller runs one
    (the app), else now."""
    if rechecks is not None:
        rechecks.request(store, project_id, encoder=encoder, glossary=glossary)
        return revision
    return recheck_document(store, project_id, encoder=encoder, glossary=glossary) or revision


def _save_issues(store: Store, project_id: int, stored: Sequence[StoredIssue], issues: list[Issue], revision: int) -> int:
    if sorted(map(_issue_key, issues)) == sorted(_issue_key(s.issue) for s in stored):
        return revision
    return store.replace_issues(project_id, issues, expected_revision=revision)


class DocumentRechecks:
    """Document-wide re-checks in one worker thread, so that an edit returns at once.

    ``request`` after each edit; requests for a project whose re-check is running are folded
    into one more run when it ends. A long-lived object (the app keeps one per server process).
    """

    def __init__(self) -> None:
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="align-recheck")
        self._lock = threading.Lock()
        self._jobs: dict[tuple[str, int], Future[None]] = {}
        self._again: set[tuple[str, int]] = set()
        self._errors: dict[tuple[str, int], str] = {}

    def request(self, store: Store, project_id: int, *, encoder: Encoder | None = None,
                glossary: Sequence[Any] = ()) -> None:
        key = (str(store.path), project_id)
        with self._lock:
            if key in self._jobs:
                self._again.add(key)
                return
            self._jobs[key] = self._executor.submit(self._run, key, store, project_id, encoder, tuple(glossary))

    def pending(self, store: Store, project_id: int) -> bool:
        with self._lock:
            return (str(store.path), project_id) in self._jobs

    def wait(self, store: Store, project_id: int, timeout: float | None = None) -> None:
        with self._lock:
            job = self._jobs.get((str(store.path), project_id))
        if job is not None:
            job.result(timeout)

    def take_error(self, store: Store, project_id: int) -> str | None:
        """The message of a re-check that failed, once."""
        with self._lock:
            return self._errors.pop((str(store.path), project_id), None)

    def _run(self, key, store: Store, project_id: int, encoder: Encoder | None, glossary: tuple) -> None:
        try:
            while True:
                try:
                    recheck_document(store, project_id, encoder=encoder, glossary=glossary)
                except ProjectNotFound:
                    pass  # deleted meanwhile: nothing to check
                except AlignError as err:
                    self._errors[key] = f"The document-wide re-check failed: {err}"
                with self._lock:
                    if key not in self._again:
                        del self._jobs[key]
                        return
                    self._again.discard(key)
        except BaseException:
            with self._lock:
                self._jobs.pop(key, None)
                self._again.discard(key)
            raise


def replace_in_translation(
    store: Store,
    state: ProjectState,
    old: str,
    new: str,
    *,
    encoder: Encoder | None = None,
    glossary: Sequence[Any] = (),
    rechecks: DocumentRechecks | None = None,
) -> Outcome:
    """Replace the whole word ``old`` by ``new`` in every translated sentence (the Names panel's
    fix), then re-check (the changed pairs at once, the document as ``commit_bead_edit`` does).
    It reads the whole translation, so it is redone on a newer version only when nothing but
    re-checks came between."""
    if not old.strip() or not new.strip():
        raise ReviewError("Both the spelling to replace and its replacement are needed.")
    if old == new:
        raise ReviewError(f"'{old}' is already the chosen spelling.")
    return _on_latest(store, state, lambda latest: _replace(store, latest, old, new, encoder, glossary, rechecks),
                      _only_rechecks(store, state))


def _replace(
    store: Store, state: ProjectState, old: str, new: str, encoder: Encoder | None, glossary: Sequence[Any],
    rechecks: DocumentRechecks | None,
) -> Outcome:
    changes = store.replace_in_target(state.info.id, old, new, expected_revision=state.revision)
    if not changes:
        return Outcome(state.revision, f"'{old}' does not occur in the translation: nothing changed.")
    revision = state.revision + 1
    texts = {c.index: c.after for c in changes}
    target = state.alignment.target
    segments = tuple(dataclasses.replace(s, text=texts.get(s.index, s.text)) for s in target.segments)
    alignment = dataclasses.replace(state.alignment, target=dataclasses.replace(target, segments=segments))
    positions = tuple(p for p, b in enumerate(alignment.beads) if set(b.tgt) & texts.keys())
    revision = recheck(store, state.info.id, alignment, state.issues, positions,
                       revision=revision, encoder=encoder, glossary=glossary)
    revision = _after_edit(store, state.info.id, revision, rechecks, encoder, glossary)
    places = f"{len(changes)} sentence{'s' if len(changes) != 1 else ''}"
    return Outcome(revision, f"Replaced '{old}' with '{new}' in {places}.", positions)


def edit_translation(
    store: Store,
    state: ProjectState,
    index: int,
    text: str,
    *,
    encoder: Encoder | None = None,
    glossary: Sequence[Any] = (),
    rechecks: DocumentRechecks | None = None,
    scorer: Scorer | None = None,
) -> Outcome:
    """Set the text of one translated sentence and re-check (as ``commit_bead_edit`` does, also
    with a change made meanwhile in another tab: redone unless it touched this sentence's pair).
    With a ``scorer`` its pair is scored again: a translation rewritten is a new pair.
    Blank text deletes the sentence: it is saved empty, and neither the checkers nor the
    corrected text count it any more."""
    text = text if text.strip() else ""
    return _on_latest(
        store, state,
        lambda latest: _save_translation(store, latest, index, text, encoder, glossary, rechecks, scorer),
        _same_pair_holding(state, index),
    )


def delete_translation(
    store: Store,
    state: ProjectState,
    index: int,
    *,
    encoder: Encoder | None = None,
    glossary: Sequence[Any] = (),
    rechecks: DocumentRechecks | None = None,
    scorer: Scorer | None = None,
) -> Outcome:
    """Delete one translated sentence (page debris, a duplicate): ``edit_translation`` to empty."""
    return edit_translation(store, state, index, "", encoder=encoder, glossary=glossary, rechecks=rechecks,
                            scorer=scorer)


def _save_translation(
    store: Store, state: ProjectState, index: int, text: str, encoder: Encoder | None, glossary: Sequence[Any],
    rechecks: DocumentRechecks | None, scorer: Scorer | None = None,
) -> Outcome:
    alignment = _with_target_text(state.alignment, index, text)
    positions = tuple(p for p, b in enumerate(alignment.beads) if index in b.tgt)
    scores = None if scorer is None else {p: scorer.score(alignment, alignment.beads[p]) for p in positions}
    revision = store.edit_target_segment(state.info.id, index, text, scores=scores, expected_revision=state.revision)
    if revision == state.revision:
        return Outcome(revision, "The sentence is unchanged.")
    revision = recheck(store, state.info.id, alignment, state.issues, positions,
                       revision=revision, encoder=encoder, glossary=glossary)
    revision = _after_edit(store, state.info.id, revision, rechecks, encoder, glossary)
    done = "Deleted" if not text else "Saved"
    return Outcome(revision, f"{done} translated sentence {index + 1}.", positions)


def _with_target_text(alignment: Alignment, index: int, text: str) -> Alignment:
    target = alignment.target
    segments = tuple(s if s.index != index else dataclasses.replace(s, text=text) for s in target.segments)
    return dataclasses.replace(alignment, target=dataclasses.replace(target, segments=segments))


# -- translating an untranslated pair (an omission) ------------------------------------------------


def translation_goes_to_next(alignment: Alignment, position: int) -> bool:
    """Where the translation of the untranslated pair at ``position`` belongs by default: with
    the next pair when the pair's first original sentence opens a paragraph (so the new text
    lands in the translation's paragraph that renders it) or when no previous pair has a
    translation to take it; else with the previous pair."""
    beads, source = alignment.beads, alignment.source.segments
    _check_position(beads, position)
    bead = beads[position]
    has_previous = position > 0 and bool(beads[position - 1].tgt)
    has_next = position + 1 < len(beads) and bool(beads[position + 1].tgt)
    opens_paragraph = bool(bead.src) and (
        bead.src[0] == 0 or source[bead.src[0]].paragraph != source[bead.src[0] - 1].paragraph
    )
    return has_next and (opens_paragraph or not has_previous)


def attach_translation(
    alignment: Alignment, position: int, text: str, *, to_next: bool
) -> tuple[BeadEdit, int, str]:
    """The edit that translates the untranslated pair at ``position``: ``text`` is written after
    the previous pair's last translated sentence (or, ``to_next``, before the next pair's first)
    and the two pairs become one, so the new words stand where the original has them and the
    sentence count of the translation, which every finding points into, stays as it is.
    Returns the bead edit, the index of the translated sentence that takes the text, and that
    sentence's new text."""
    beads = alignment.beads
    _check_position(beads, position)
    bead, text = beads[position], text.strip()
    if bead.tgt or not bead.src:
        raise ReviewError(f"Pair {position + 1} already has a translation: edit its text instead.")
    if not text:
        raise ReviewError("Type the translation before adding it.")
    other, where = (position + 1, "next") if to_next else (position - 1, "previous")
    if not 0 <= other < len(beads) or not beads[other].tgt:
        raise ReviewError(
            f"Pair {position + 1} has no {where} pair with a translation to add it to: "
            f"translate the {where} pair first, or add it to the other side."
        )
    host = beads[other]
    index = host.tgt[0] if to_next else host.tgt[-1]
    old = alignment.target.segments[index].text.strip()
    parts = (text, old) if to_next else (old, text)
    first_src = bead.src[-1] if to_next else host.src[-1] if host.src else None
    new_text = _break_like(alignment.source, first_src).join(part for part in parts if part)
    edit = _merge(beads, min(position, other))
    description = f"Added the translation of pair {position + 1} to the {where} pair; the two are now one pair."
    return dataclasses.replace(edit, action="add_translation", description=description), index, new_text


def _break_like(source: Document, index: int | None) -> str:
    """What separates source segment ``index`` from the next in the original, as the join of
    two translated sentences: a space, a line break (one segment a line) or a paragraph break
    (a question and its answer), so the corrected text keeps the original's layout."""
    segments = source.segments
    if index is None or index + 1 >= len(segments):
        return " "
    gap = source.text[segments[index].end : segments[index + 1].start]
    return "\n" * min(gap.count("\n"), 2) or " "


def add_translation(
    store: Store,
    state: ProjectState,
    position: int,
    text: str,
    *,
    to_next: bool | None = None,
    encoder: Encoder | None = None,
    glossary: Sequence[Any] = (),
    rechecks: DocumentRechecks | None = None,
    scorer: Scorer | None = None,
) -> Outcome:
    """Translate the untranslated pair at ``position`` (``attach_translation``; ``to_next``
    defaults to ``translation_goes_to_next``), then score and re-check as ``commit_bead_edit``
    does. One edit: Undo takes back the text and the merge together."""
    if to_next is None:
        to_next = translation_goes_to_next(state.alignment, position)
    touched = (position, position + 1 if to_next else position - 1)
    seen = [_pair_snapshot(state, p) for p in touched]

    def attempt(latest: ProjectState) -> Outcome:
        edit, index, new_text = attach_translation(latest.alignment, position, text, to_next=to_next)
        return _save_bead_edit(store, latest, lambda _: edit, scorer, encoder, glossary, rechecks, {index: new_text})

    return _on_latest(store, state, attempt, lambda latest: [_pair_snapshot(latest, p) for p in touched] == seen)


def set_reviewed(store: Store, state: ProjectState, position: int, reviewed: bool) -> Outcome:
    """Mark the pair at ``position`` reviewed (or not); redone on the latest version when
    another tab changed only other pairs meanwhile."""
    revision = _on_latest(
        store, state,
        lambda latest: store.set_reviewed(latest.info.id, position, reviewed, expected_revision=latest.revision),
        _same_pair(state, position),
    )
    word = "reviewed" if reviewed else "not reviewed"
    return Outcome(revision, f"Pair {position + 1} marked {word}.", (position,))


def set_comment(store: Store, state: ProjectState, position: int, comment: str) -> Outcome:
    """Save the reviewer's comment on the pair at ``position`` (blank removes it); redone on the
    latest version when another tab changed only other pairs meanwhile."""
    text = comment.strip()
    revision = _on_latest(
        store, state,
        lambda latest: store.set_comment(latest.info.id, position, text, expected_revision=latest.revision),
        _same_pair(state, position),
    )
    message = f"Comment saved on pair {position + 1}." if text else f"Comment removed from pair {position + 1}."
    return Outcome(revision, message, (position,))


def set_issue_status(store: Store, state: ProjectState, issue_id: int, status: str) -> Outcome:
    """Record the reviewer's verdict on an issue: open, accepted or dismissed; redone on the
    latest version unless another tab gave that issue a verdict meanwhile."""
    revision = _on_latest(
        store, state,
        lambda latest: store.set_issue_status(latest.info.id, issue_id, status, expected_revision=latest.revision),
        _same_issue(state, issue_id),
    )
    return Outcome(revision, f"Issue marked {status}.")


def _same_pair(seen: ProjectState, position: int) -> Callable[[ProjectState], bool]:
    before = _pair_snapshot(seen, position)
    return lambda latest: _pair_snapshot(latest, position) == before


def _same_pair_holding(seen: ProjectState, index: int) -> Callable[[ProjectState], bool]:
    before = _pair_holding(seen, index)
    return lambda latest: _pair_holding(latest, index) == before


def _same_issue(seen: ProjectState, issue_id: int) -> Callable[[ProjectState], bool]:
    def status(state: ProjectState) -> IssueStatus | None:
        return next((s.status for s in state.issues if s.id == issue_id), None)

    before = status(seen)
    return lambda latest: status(latest) == before


def _only_rechecks(store: Store, seen: ProjectState) -> Callable[[ProjectState], bool]:
    """For edits that read the whole project (an undo, a names fix): only re-checks came between."""
    return lambda latest: only_rechecks_since(store, seen.info.id, seen.revision)


def preview_replacement(state: ProjectState, old: str, new: str) -> tuple[SegmentChange, ...]:
    """The translated sentences ``replace_in_translation`` would change, before and after.
    Uses the store's rule: case-sensitive, whole words only."""
    if not old:
        return ()
    pattern = re.compile(rf"(?<!\w){re.escape(old)}(?!\w)")
    changes = []
    for segment in state.alignment.target.segments:
        after = pattern.sub(lambda _: new, segment.text)
        if after != segment.text:
            changes.append(SegmentChange(segment.index, segment.text, after))
    return tuple(changes)


def undo(store: Store, state: ProjectState) -> str | None:
    """Take back the latest edit together with the re-checks that followed it (re-checks are
    only ever written after an edit, never on their own). Returns what was undone, in the app's
    words ("Undid: merge of pairs 9 and 10."), or None when there is nothing left to undo."""
    return _on_latest(store, state, lambda latest: _undo(store, latest), _only_rechecks(store, state))


def _undo(store: Store, state: ProjectState) -> str | None:
    revision = state.revision
    entry = store.undo_last(state.info.id, expected_revision=revision)
    while entry is not None and entry.action == "recheck":
        revision += 1
        entry = store.undo_last(state.info.id, expected_revision=revision)
    if entry is None:
        return None
    return f"Undid: {describe_edit(entry, state)}."


_BEAD_EDITS = {
    "merge": "merge of {pairs}", "split": "split of {pairs}", "move": "move of a sentence between {pairs}",
    "add_translation": "translation added to {pairs}",
}
_REPLACED = re.compile(r"^(?P<old>'.*'|\".*\") -> (?P<new>'.*'|\".*\") in \d+ segments$")  # the store's wording


def describe_edit(entry: AuditEntry, state: ProjectState) -> str:
    """An audit entry in the app's words, numbered from 1 as the app shows pairs and sentences
    ("merge of pairs 9 and 10", "pair 18 marked reviewed"). The store's own target ("beads
    8..8") counts from 0 and names its tables. ``state`` is the project right after the edit."""
    before, after = entry.before, entry.after
    if "beads" in before:
        pairs = _pairs_phrase(before["beads"]["start"], len(before["beads"]["rows"]))
        return _BEAD_EDITS.get(entry.action, "change to {pairs}").format(pairs=pairs)
    if "reviewed" in after and len(after["reviewed"]) == 1:
        [[position, reviewed]] = after["reviewed"]
        return f"pair {position + 1} marked {'reviewed' if reviewed else 'not reviewed'}"
    if "comment" in after and len(after["comment"]) == 1:
        [[position, text]] = after["comment"]
        return f"{'comment on' if text else 'removal of the comment on'} pair {position + 1}"
    if "issue_status" in after and len(after["issue_status"]) == 1:
        [[issue_id, status]] = after["issue_status"]
        return f"{_issue_phrase(state, issue_id)} marked {status}"
    if entry.action == "replace" and (match := _REPLACED.match(entry.target)):
        count = counted(len(after.get("segments", ())), "translated sentence")
        return f"replacement of {match['old']} with {match['new']} in {count}"
    if "settings" in after:
        name = after["settings"].get("glossary_file")
        return f"change of the glossary to {name}" if name else "removal of the glossary"
    if "segments" in after and len(after["segments"]) == 1:
        [[index, text]] = after["segments"]
        return f"{'edit' if text else 'deletion'} of translated sentence {index + 1}"
    return entry.action.replace("_", " ")


def _pairs_phrase(start: int, count: int) -> str:
    if count <= 1:
        return f"pair {start + 1}"
    last = start + count
    return f"pairs {start + 1} and {last}" if count == 2 else f"pairs {start + 1} to {last}"


def _issue_phrase(state: ProjectState, issue_id: int) -> str:
    """"the name variant issue on pair 11": the words the person saw the issue under."""
    stored = next((s for s in state.issues if s.id == issue_id), None)
    if stored is None:
        return "an issue"
    issue, beads = stored.issue, state.alignment.beads
    touches = [p for p, b in enumerate(beads) if set(b.src) & set(issue.src) or set(b.tgt) & set(issue.tgt)]
    where = f" on pair {touches[0] + 1}" if touches else ""
    return f"the {issue.kind.replace('_', ' ')} issue{where}"


def counted(number: int, noun: str) -> str:
    """``number`` with ``noun`` in the singular or plural: "1 pair", "0 pairs", "3 open issues"."""
    return f"{number} {noun if number == 1 else noun + 's'}"  # the app's nouns all take an s


# What the command line's flags are called in the app (its Projects page): a message from the
# library names the flag, which the app's user has never seen. Applied in this order.
_SIDE = {"src": "the original's", "tgt": "the translation's"}
_APP_WORDING: tuple[tuple[re.Pattern[str], str | Callable[[re.Match[str]], str]], ...] = (
    (re.compile(r"pass --src-lang/--tgt-lang"), "choose the languages with the Language selectors"),
    (re.compile(r"pass --(src|tgt)-lang with an ISO 639-1 code such as en or pl"),
     lambda m: f"choose it with {_SIDE[m[1]]} Language selector"),
    (re.compile(r"--(src|tgt)-lang"), lambda m: f"{_SIDE[m[1]]} Language selector"),
    (re.compile(r"--presplit"), "the option 'One sentence per line'"),
    (re.compile(r"with --model"), "in the Encoder box"),
    (re.compile(r"to read a file, give its path \(pathlib\.Path\([^)]*\)\), not a string"),
     "to align a file, upload it"),
    (re.compile(r"\bthe source text\b"), "the original"),
    (re.compile(r"\bthe target text\b"), "the translation"),
    (re.compile(r"\bsource and target\b"), "the original and the translation"),
)


def app_wording(message: str) -> str:
    """A library message (an error, a warning) as the app shows it: the command-line flags it
    names become the app's controls ("check --src-lang" -> "check the original's Language
    selector"), and it reads as a sentence."""
    for pattern, replacement in _APP_WORDING:
        message = pattern.sub(replacement, message)
    message = message[:1].upper() + message[1:]
    return message if message.endswith((".", "!", "?", ")")) else f"{message}."


def name_clusters_of(state: ProjectState) -> list[NameCluster]:
    """Every name of the translation with its spellings, names written several ways first."""
    clusters = name_clusters(CheckContext(state.alignment))
    return sorted(clusters, key=lambda c: len(c.variants) < 2)


def _issue_key(issue: Issue) -> tuple:
    return (issue.kind, issue.severity.value, issue.src, issue.tgt, issue.message, issue.evidence, issue.suggestion)


# -- the side-by-side view -------------------------------------------------------------------------


class ReviewFilter(str, Enum):
    ALL = "all pairs"
    FLAGGED = "with open issues"
    UNREVIEWED = "not reviewed"
    REVIEWED = "reviewed"
    COMMENTED = "with a comment"
    LOW_SCORE = "low score"


LOW_SCORE = 0.5  # below this the aligner is unsure the two sides belong together
SEVERITIES: tuple[str, ...] = tuple(s.value for s in sorted(Severity, key=lambda s: -s.rank))  # high first


@dataclass(frozen=True)
class PairView:
    """One row of the side-by-side table."""

    position: int
    bead: Bead
    source: str
    target: str
    reviewed: bool
    comment: str
    issues: tuple[StoredIssue, ...]  # every issue touching the pair, whatever its status

    @property
    def open_issues(self) -> tuple[StoredIssue, ...]:
        return tuple(s for s in self.issues if s.status.value == "open")

    @property
    def translation_deleted(self) -> bool:
        """The pair had translated sentences, and every one of them was deleted (saved empty)."""
        return bool(self.bead.tgt) and not self.target


def pair_views(state: ProjectState) -> list[PairView]:
    """Every bead of the project as a table row, with the issues that touch it."""
    alignment = state.alignment
    src_texts, tgt_texts = alignment.source.texts, alignment.target.texts
    bead_of_src = {i: p for p, b in enumerate(alignment.beads) for i in b.src}
    bead_of_tgt = {j: p for p, b in enumerate(alignment.beads) for j in b.tgt}
    issues: list[list[StoredIssue]] = [[] for _ in alignment.beads]
    for stored in state.issues:
        touched = {bead_of_src[i] for i in stored.issue.src if i in bead_of_src}
        touched |= {bead_of_tgt[j] for j in stored.issue.tgt if j in bead_of_tgt}
        for position in touched:
            issues[position].append(stored)
    return [
        PairView(
            position=p,
            bead=bead,
            source=" ".join(src_texts[i] for i in bead.src),
            target=" ".join(tgt_texts[j] for j in bead.tgt if tgt_texts[j].strip()),  # blank: deleted
            reviewed=state.reviewed[p],
            comment=state.comments[p],
            issues=tuple(sorted(issues[p], key=lambda s: -s.issue.severity.rank)),
        )
        for p, bead in enumerate(alignment.beads)
    ]


def filter_pairs(
    views: Iterable[PairView],
    *,
    kinds: Collection[str] = (),
    severities: Collection[str] = (),
    review: ReviewFilter = ReviewFilter.ALL,
    query: str = "",
    keep: int | None = None,
) -> list[PairView]:
    """The rows to show. ``kinds``/``severities`` keep pairs with an open issue of one of those
    kinds and severities (empty: no restriction); ``query`` is a case-insensitive search in both
    texts and the comment. The pair at position ``keep`` (the one open in the editor) is shown
    whatever the filter says: fixing its issue must not hide it before it is marked reviewed."""
    needle = query.strip().casefold()
    wanted_issues = bool(kinds or severities)
    rows = []
    for view in views:
        if view.position == keep:
            rows.append(view)
            continue
        if wanted_issues and not any(
            (not kinds or s.issue.kind in kinds) and (not severities or s.issue.severity.value in severities)
            for s in view.open_issues
        ):
            continue
        if not _review_state_matches(view, review):
            continue
        if needle and needle not in f"{view.source}\n{view.target}\n{view.comment}".casefold():
            continue
        rows.append(view)
    return rows


_REVIEW_STATES: dict[ReviewFilter, Callable[[PairView], bool]] = {
    ReviewFilter.ALL: lambda view: True,
    ReviewFilter.FLAGGED: lambda view: bool(view.open_issues),
    ReviewFilter.UNREVIEWED: lambda view: not view.reviewed,
    ReviewFilter.REVIEWED: lambda view: view.reviewed,
    ReviewFilter.COMMENTED: lambda view: bool(view.comment.strip()),
    ReviewFilter.LOW_SCORE: lambda view: view.bead.score < LOW_SCORE,
}


def _review_state_matches(view: PairView, review: ReviewFilter) -> bool:
    return _REVIEW_STATES[review](view)


def page_count(total: int, size: int = PAGE_SIZE) -> int:
    return max(1, -(-total // size))


def page_of(rows: Sequence[PairView], position: int, size: int = PAGE_SIZE) -> int | None:
    """The 1-based page of ``rows`` that shows the bead at ``position``, if it is shown."""
    for k, row in enumerate(rows):
        if row.position == position:
            return k // size + 1
    return None


# -- highlighting ----------------------------------------------------------------------------------

# Evidence lines name a side with a label ("source: Łatuszka", "translation: 30%"); others name a
# spelling with its count ("Latushko ×1"). The label decides where to look for the words.
_SOURCE_LABELS = ("source", "original", "closest in source")
_TARGET_LABELS = ("translation", "target", "closest in translation")
_LABEL = re.compile(r"^(?P<label>[\w ]+?):\s+(?P<rest>.+)$")
_COUNT = re.compile(r"\s+×\d+$")
_ALSO = re.compile(r"\s+\(also as (?P<forms>.+)\)$")
_NOTHING = {"no numbers", ""}
_TRANSLATION_ONLY = {"name_variant"}  # kinds whose unlabelled evidence is words of the translation


def evidence_terms(issue: Issue) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The words an issue's evidence names, as (in the original, in the translation). A term
    with no side label is looked for in both, except for a name variant, whose spellings are the
    translation's; its suggested spelling is left out: it is the right one."""
    src: list[str] = []
    tgt: list[str] = []
    for line in issue.evidence:
        label, terms = _parse_evidence(line)
        if label in _SOURCE_LABELS:
            src += terms
        elif label in _TARGET_LABELS:
            tgt += terms
        elif issue.kind in _TRANSLATION_ONLY:
            tgt += terms
        else:
            src += terms
            tgt += terms
    if issue.kind == "name_variant" and issue.suggestion:
        tgt = [t for t in tgt if t != issue.suggestion]
        src = [t for t in src if t != issue.suggestion]
    return tuple(dict.fromkeys(src)), tuple(dict.fromkeys(tgt))


def _parse_evidence(line: str) -> tuple[str | None, list[str]]:
    label = None
    text = line.strip()
    if match := _LABEL.match(text):
        label, text = match["label"].strip().lower(), match["rest"]
    terms = []
    if also := _ALSO.search(text):
        terms += [t.strip().strip("'\"‘’“”") for t in also["forms"].split(",")]
        text = text[: also.start()]
    terms.insert(0, _COUNT.sub("", text).strip().strip("'\"‘’“”"))
    if label is not None and label not in _SOURCE_LABELS + _TARGET_LABELS:
        label = None  # a word before a colon that is not a side, e.g. "Note: ..."
        terms = [line.strip()]
    return label, [t for t in terms if t.lower() not in _NOTHING]


def highlight(text: str, marks: Iterable[tuple[str, str, str]]) -> str:
    """``text`` as escaped HTML with every whole-word occurrence of each term wrapped in
    ``<mark class="{css_class}" title="{tooltip}">``. ``marks`` are (term, css_class, tooltip);
    where terms overlap, the longer (then earlier-listed) one wins."""
    spans: list[tuple[int, int, str, str]] = []
    for term, css_class, tooltip in sorted(marks, key=lambda m: -len(m[0])):
        if not term.strip():
            continue
        pattern = re.compile(rf"(?<!\w){re.escape(term)}(?!\w)", re.IGNORECASE)
        for match in pattern.finditer(text):
            start, end = match.span()
            if all(end <= s or start >= e for s, e, _, _ in spans):
                spans.append((start, end, css_class, tooltip))
    pieces, position = [], 0
    for start, end, css_class, tooltip in sorted(spans):
        pieces.append(html.escape(text[position:start]))
        pieces.append(
            f'<mark class="{html.escape(css_class)}" title="{html.escape(tooltip)}">'
            f"{html.escape(text[start:end])}</mark>"
        )
        position = end
    pieces.append(html.escape(text[position:]))
    return "".join(pieces)


def pair_marks(view: PairView) -> tuple[list[tuple[str, str, str]], list[tuple[str, str, str]]]:
    """What to highlight in a row's original and translation: the evidence of its open issues,
    classed by severity (``sev-high``...) with the issue's message as the tooltip."""
    src_marks, tgt_marks = [], []
    for stored in view.open_issues:
        issue = stored.issue
        src_terms, tgt_terms = evidence_terms(issue)
        css = f"sev-{issue.severity.value}"
        src_marks += [(t, css, issue.message) for t in src_terms]
        tgt_marks += [(t, css, issue.message) for t in tgt_terms]
    return src_marks, tgt_marks


def word_diff(before: str, after: str) -> str:
    """Escaped HTML of ``after`` with removed words in ``<del>`` and added words in ``<ins>``."""
    a, b = re.findall(r"\w+|\W+", before), re.findall(r"\w+|\W+", after)
    pieces = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if op == "equal":
            pieces.append(html.escape("".join(a[i1:i2])))
            continue
        if i2 > i1:
            pieces.append(f"<del>{html.escape(''.join(a[i1:i2]))}</del>")
        if j2 > j1:
            pieces.append(f"<ins>{html.escape(''.join(b[j1:j2]))}</ins>")
    return "".join(pieces)


# -- the alignment map -----------------------------------------------------------------------------


def similarity_cells(
    alignment: Alignment, src: np.ndarray, tgt: np.ndarray, *, band: int = 8, full_up_to: int = 40_000
) -> pd.DataFrame:
    """Cells of the sentence similarity matrix for the heat map: all of them for a small
    document, else those within ``band`` sentences of the alignment path (the rest of a long
    document's matrix is noise). Columns: ``original`` and ``translation`` (1-based sentence
    numbers), ``similarity`` (cosine), ``path`` (the cell is inside a pair) and ``pair`` (the
    1-based pair a click on the cell should open: the one holding the original sentence)."""
    n, m = len(src), len(tgt)
    bead_of_src = np.full(n, -1)
    bead_of_tgt = np.full(m, -2)
    for position, bead in enumerate(alignment.beads):
        bead_of_src[list(bead.src)] = position
        bead_of_tgt[list(bead.tgt)] = position
    if n * m <= full_up_to:
        rows, cols = np.divmod(np.arange(n * m), m)
        sims = (src @ tgt.T).ravel() if n and m else np.zeros(0)
    else:
        lo, hi = _band_limits(alignment, n, m, band)
        rows = np.repeat(np.arange(n), hi - lo)
        cols = np.concatenate([np.arange(a, b) for a, b in zip(lo, hi)])
        sims = np.concatenate([tgt[a:b] @ src[i] for i, (a, b) in enumerate(zip(lo, hi))])
    return pd.DataFrame({
        "original": rows + 1,
        "translation": cols + 1,
        "similarity": np.round(sims.astype(np.float64), 3),
        "path": bead_of_src[rows] == bead_of_tgt[cols],
        "pair": bead_of_src[rows] + 1,
    })


def _band_limits(alignment: Alignment, n: int, m: int, band: int) -> tuple[np.ndarray, np.ndarray]:
    """For each original sentence, the range [lo, hi) of translated sentences within ``band``
    sentences of the path."""
    low, high = np.full(n, m), np.full(n, -1)
    last_i = last_j = 0
    for bead in alignment.beads:  # a 1-0 or 0-1 bead sits where the other side's last one ended
        rows, cols = bead.src or (last_i,), bead.tgt or (last_j,)
        for i in rows:
            low[i], high[i] = min(low[i], cols[0]), max(high[i], cols[-1])
        last_i, last_j = rows[-1], cols[-1]
    window = np.lib.stride_tricks.sliding_window_view(np.pad(low, band, mode="edge"), 2 * band + 1)
    lo = np.clip(window.min(axis=1) - band, 0, m)
    window = np.lib.stride_tricks.sliding_window_view(np.pad(high, band, mode="edge"), 2 * band + 1)
    hi = np.clip(window.max(axis=1) + band + 1, 0, m)
    return lo, np.maximum(hi, lo)


# -- projects --------------------------------------------------------------------------------------


def demo_paths() -> tuple[Path, Path]:
    """The demo pair shipped with the repository: the Polish original and its English translation."""
    return DEMO_DIR / "pl.txt", DEMO_DIR / "en.txt"


def create_project(
    store: Store,
    name: str,
    original: str | Path,
    translation: str | Path,
    *,
    src_lang: str | None = None,
    tgt_lang: str | None = None,
    presplit: bool = False,
    encoder: Encoder | str | None = None,
    progress: Progress | None = None,
    glossary: Sequence[GlossaryEntry] = (),
    glossary_file: tuple[str, bytes] | None = None,
    file_names: tuple[str | None, str | None] = (None, None),
) -> int:
    """Align and check a pair of texts (or files) and save it as a new project; returns its id.

    ``glossary`` entries, and those of ``glossary_file`` (a CSV/TSV or TBX file's name and bytes,
    as uploaded: a TBX is read for the languages of the aligned texts), are checked now and on
    every later re-check: they are saved with the project. ``file_names`` name where the texts
    came from (an upload's name, a web address), for the exports; a path names itself."""
    if not name.strip():
        raise InputError("Give the project a name.")
    model = resolve_encoder(encoder)
    report_progress = progress or (lambda stage, fraction: None)
    alignment = align(original, translation, src_lang=src_lang, tgt_lang=tgt_lang, presplit=presplit,
                      encoder=model, progress=lambda stage, fraction: report_progress(stage, 0.8 * fraction))
    if glossary_file is not None:
        glossary = (*glossary, *_read_glossary_file(glossary_file, alignment.source.lang, alignment.target.lang))
    report_progress("checking the translation", 0.85)
    report = check_alignment(alignment, encoder=model, glossary=glossary)
    report_progress("saving", 1.0)
    names = [given or (Path(text).name if isinstance(text, Path) else None)
             for given, text in zip(file_names, (original, translation))]
    settings = {"presplit": presplit, **_glossary_settings(glossary, glossary_file),
                "original_file": names[0], "translation_file": names[1]}
    return store.create_project(name, report.alignment, report.issues, encoder=model.id, settings=settings)


def set_glossary(
    store: Store, state: ProjectState, glossary_file: tuple[str, bytes] | None, *, encoder: Encoder | str | None = None
) -> Outcome:
    """Give the project another glossary (a CSV/TSV or TBX file's name and bytes), or none, and
    re-check the whole translation with it: one edit, so one undo takes both back. A broken file
    is refused before anything is written."""
    glossary = () if glossary_file is None else _read_glossary_file(
        glossary_file, state.info.source_lang, state.info.target_lang)
    model = resolve_encoder(encoder)

    def attempt(latest: ProjectState) -> int:
        report = check_alignment(latest.alignment, encoder=model, glossary=glossary)
        settings = {**latest.settings, **_glossary_settings(glossary, glossary_file)}
        return store.set_settings(latest.info.id, settings, report.issues, expected_revision=latest.revision)

    revision = _on_latest(store, state, attempt, lambda latest: True)  # it re-checks whatever is there now
    if glossary_file is None:
        return Outcome(revision, "The project has no glossary now; the translation was checked again.")
    return Outcome(revision, f"Glossary {glossary_file[0]} ({counted(len(glossary), 'term')}) in use; "
                             "the translation was checked with it.")


def _read_glossary_file(glossary_file: tuple[str, bytes], src_lang: str, tgt_lang: str) -> tuple[GlossaryEntry, ...]:
    """An uploaded glossary (name, bytes) read for the project's languages; its messages name it
    as the glossary ("the glossary terms.csv, line 3: ...")."""
    name, data = glossary_file
    return tuple(read_glossary(data, f"the glossary {name}", src_lang, tgt_lang))


def _glossary_settings(glossary: Sequence[GlossaryEntry], glossary_file: tuple[str, bytes] | None) -> dict[str, Any]:
    """The project settings that keep its glossary: the entries and the file they came from."""
    return {"glossary": [dataclasses.asdict(entry) for entry in glossary],
            "glossary_file": glossary_file[0] if glossary_file else None}


def project_glossary(state: ProjectState) -> tuple[GlossaryEntry, ...]:
    """The glossary the project was created with (none for older projects)."""
    return tuple(
        GlossaryEntry(**{key: tuple(value) if isinstance(value, list) else value for key, value in entry.items()})
        for entry in state.settings.get("glossary", ())
    )


def open_demo(store: Store, *, encoder: Encoder | str | None = None, progress: Progress | None = None) -> int:
    """The demo project's id: reopened if the store has it, else aligned, checked and saved."""
    for info in store.list_projects():
        if info.name == DEMO_NAME:
            return info.id
    original, translation = demo_paths()
    return create_project(store, DEMO_NAME, original, translation, src_lang="pl", tgt_lang="en",
                          encoder=encoder, progress=progress)


def check_upload_size(name: str, size: int, limit_mb: int) -> None:
    """Refuse an upload above ``limit_mb`` with a message saying what to do."""
    if size > limit_mb * 2**20:
        raise InputError(
            f"{name} is {size / 2**20:.1f} MB; the app takes files up to {limit_mb} MB. "
            "Split the document, or run the command line tool (python -m align) on it."
        )


# -- exports ---------------------------------------------------------------------------------------

EXPORT_FORMATS: dict[str, tuple[str, str, str]] = {
    # key: (label, file suffix, MIME type)
    "tmx": ("Translation memory (TMX)", ".tmx", "application/x-tmx+xml"),
    "xliff": ("XLIFF 1.2", ".xlf", "application/x-xliff+xml"),
    "csv": ("Pairs table (CSV)", ".csv", "text/csv"),
    "xlsx": ("Pairs table (Excel)", ".xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "text": ("Corrected translation (text)", ".corrected.txt", "text/plain"),
    "qa_html": ("QA report (HTML)", ".qa.html", "text/html"),
    "qa_csv": ("QA report (CSV)", ".qa.csv", "text/csv"),
}


def export_bytes(state: ProjectState, fmt: str) -> bytes:
    """The project in one of ``EXPORT_FORMATS``, with the reviewer's edits; issues the reviewer
    dismissed are left out."""
    report = state.report
    alignment, edits = state.alignment, state.edits
    buffer = io.BytesIO()
    if fmt == "tmx":
        export.to_tmx(state.alignment, buffer, corrected=edits, comments=state.comments)
    elif fmt == "xliff":
        export.to_xliff(alignment, buffer, issues=report.issues, reviewed=state.reviewed, corrected=edits,
                        comments=state.comments,
                        original=state.settings.get("original_file") or f"{state.info.name}.txt")
    elif fmt == "csv":
        export.to_csv(alignment, buffer, issues=report.issues, reviewed=state.reviewed, corrected=edits,
                      comments=state.comments)
    elif fmt == "xlsx":
        export.to_xlsx(alignment, buffer, issues=report.issues, reviewed=state.reviewed, corrected=edits,
                       comments=state.comments)
    elif fmt == "text":
        text = state.corrected_target_text()  # the import dropped the file's final line break: give it back
        return (text if not text or text.endswith("\n") else text + "\n").encode("utf-8")
    elif fmt == "qa_html":
        return export.qa_report_html(report, title=f"QA report: {state.info.name}", comments=state.comments).encode("utf-8")
    elif fmt == "qa_csv":
        return export.qa_report_csv(report, comments=state.comments).encode("utf-8-sig")
    else:
        raise ReviewError(f"Unknown export format {fmt!r}; choose one of {', '.join(EXPORT_FORMATS)}.")
    return buffer.getvalue()


def export_filename(state: ProjectState, fmt: str) -> str:
    """A file name for the download: the project name made safe, and the format's suffix."""
    stem = re.sub(r"[^\w.-]+", "-", state.info.name, flags=re.UNICODE).strip("-.") or "project"
    return f"{stem[:60]}{EXPORT_FORMATS[fmt][1]}"


def _side_texts(alignment: Alignment, bead: Bead) -> tuple[str, str]:
    src, tgt = alignment.source.segments, alignment.target.segments
    return " ".join(src[i].text for i in bead.src), " ".join(tgt[j].text for j in bead.tgt)

