"""Review projects in one SQLite file: every edit is saved at once, logged, and can be undone.

Where the file lives: ``$ALIGN_STORE`` if set, else ``$XDG_DATA_HOME/align/projects.sqlite3``,
else ``~/.local/share/align/projects.sqlite3`` (see ``default_store_path``).

Durability and concurrency
--------------------------
- ``journal_mode=WAL``: readers never block the writer, and a commit is one append to the WAL.
- ``synchronous=FULL``: every commit is fsynced before ``COMMIT`` returns. ``NORMAL`` would
  already survive a *killed process* (a commit's WAL frames are written to the OS before COMMIT
  returns, and the OS keeps them when the process dies), but after a *power cut or kernel crash*
  it may lose the last commits. FULL also survives those; it costs one fsync per edit, which is
  nothing at the pace a person edits.
- Every write is one ``BEGIN IMMEDIATE`` transaction that changes the project, bumps its
  ``revision`` and appends its audit row, so an edit is saved whole or not at all. IMMEDIATE takes
  the write lock up front; with the busy timeout, two tabs or processes queue instead of failing
  (a deferred transaction that reads first could not wait for the lock when it upgrades).
- Optimistic concurrency: edits accept ``expected_revision``; if another tab changed the project
  since that revision, ``RevisionConflict`` is raised and nothing is written.
- A connection per call: a ``Store`` holds only its path, so one object may be shared between
  threads (Streamlit sessions) and processes.

Schema (``PRAGMA user_version`` = ``SCHEMA_VERSION``; ``MIGRATIONS[n]`` upgrades version n to n+1)
--------------------------------------------------------------------------------------------------
- ``projects``: id, name, created, updated (ISO 8601 UTC), revision, source/target language,
  source/target text as imported, encoder id, the alignment's signature and the settings (JSON).
- ``segments``: (project, side 'src'/'tgt', index) -> current text, original text, paragraph,
  start, end. Only target texts are edited; offsets always refer to the imported text.
- ``beads``: (project, position) -> src and tgt index lists (space-separated: "0 1"), score,
  reviewed, comment.
- ``issues``: id, project, kind, severity, src, tgt (JSON lists), message, evidence (JSON),
  suggestion, status (open / accepted / dismissed).
- ``audit``: id, project, at, revision after the edit, action, target (what was touched, for
  people), before and after (JSON patches, below), undone.

Patches: an audit row's ``before`` and ``after`` are JSON objects with the same keys, each
describing part of the project; applying ``after`` performs the edit, applying ``before`` undoes it.
Keys: ``segments`` [[index, text]...] (target side), ``reviewed`` [[position, bool]...],
``comment`` [[position, text]...], ``score`` [[position, score]...], ``beads`` {start, rows}
(a splice of the bead list), ``issues`` [issue rows] (the rows one side has and the other does
not), ``issue_status`` [[id, status]...], ``settings`` {the project's settings}.
Edits are undone strictly last-first, so the project is always in the ``after`` state of the
edit being undone and a splice position is still valid.
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from enum import Enum
from pathlib import Path
from types import MappingProxyType
from typing import Any

from align.errors import AlignError
from align.fix import corrected_text, replace_all
from align.types import Alignment, Bead, Document, Issue, Report, Segment, Severity

__all__ = [
    "AuditEntry",
    "IssueStatus",
    "ProjectInfo",
    "ProjectNotFound",
    "ProjectState",
    "RevisionConflict",
    "SegmentChange",
    "Store",
    "StoreError",
    "StoredIssue",
    "default_store_path",
]

SCHEMA_VERSION = 1
BUSY_TIMEOUT_S = 30.0  # how long a writer waits for another writer before giving up
STORE_FILE = "projects.sqlite3"

# Version n -> the function that upgrades a version-n database to n+1, inside the opening
# transaction. Empty while the schema is at its first version.
MIGRATIONS: Mapping[int, Callable[[sqlite3.Connection], None]] = MappingProxyType({})

_SCHEMA = (
    """CREATE TABLE projects (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        name TEXT NOT NULL,
        created TEXT NOT NULL,
        updated TEXT NOT NULL,
        revision INTEGER NOT NULL DEFAULT 0,
        source_lang TEXT NOT NULL,
        target_lang TEXT NOT NULL,
        source_text TEXT NOT NULL,
        target_text TEXT NOT NULL,
        encoder TEXT NOT NULL DEFAULT '',
        signature TEXT NOT NULL DEFAULT '{}',
        settings TEXT NOT NULL DEFAULT '{}')""",
    """CREATE TABLE segments (
        project_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
        side TEXT NOT NULL CHECK (side IN ('src', 'tgt')),
        idx INTEGER NOT NULL,
        text TEXT NOT NULL,
        original TEXT NOT NULL,
        paragraph INTEGER NOT NULL,
        start INTEGER NOT NULL,
        end INTEGER NOT NULL,
        PRIMARY KEY (project_id, side, idx)) WITHOUT ROWID""",
    """CREATE TABLE beads (
        project_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        src TEXT NOT NULL,
        tgt TEXT NOT NULL,
        score REAL NOT NULL,
        reviewed INTEGER NOT NULL DEFAULT 0 CHECK (reviewed IN (0, 1)),
        comment TEXT NOT NULL DEFAULT '',
        PRIMARY KEY (project_id, position)) WITHOUT ROWID""",
    """CREATE TABLE issues (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        project_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
        kind TEXT NOT NULL,
        severity TEXT NOT NULL CHECK (severity IN ('low', 'medium', 'high')),
        src TEXT NOT NULL,
        tgt TEXT NOT NULL,
        message TEXT NOT NULL,
        evidence TEXT NOT NULL DEFAULT '[]',
        suggestion TEXT,
        status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'accepted', 'dismissed')))""",
    "CREATE INDEX issues_by_project ON issues (project_id)",
    """CREATE TABLE audit (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        project_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
        at TEXT NOT NULL,
        revision INTEGER NOT NULL,
        action TEXT NOT NULL,
        target TEXT NOT NULL,
        before TEXT NOT NULL,
        after TEXT NOT NULL,
        undone INTEGER NOT NULL DEFAULT 0 CHECK (undone IN (0, 1)))""",
    "CREATE INDEX audit_by_project ON audit (project_id, id)",
)

_RESERVED_ACTIONS = frozenset({"create", "undo"})  # written by the store itself, never undone


class StoreError(AlignError):
    """The project store cannot do what was asked (unusable file, bad edit, unknown project)."""


class ProjectNotFound(StoreError):
    """No project with that id (deleted, or never created)."""


class RevisionConflict(StoreError):
    """Another tab or process changed the project since the caller loaded it."""


class IssueStatus(str, Enum):
    OPEN = "open"
    ACCEPTED = "accepted"
    DISMISSED = "dismissed"

    def __str__(self) -> str:
        return self.value


@dataclass(frozen=True)
class ProjectInfo:
    """A project's header, as listed on the start page."""

    id: int
    name: str
    created: str
    updated: str
    revision: int
    source_lang: str
    target_lang: str
    encoder: str
    beads: int
    reviewed: int
    open_issues: int


@dataclass(frozen=True)
class StoredIssue:
    """An issue with its id in the store and the reviewer's verdict."""

    id: int
    issue: Issue
    status: IssueStatus = IssueStatus.OPEN


@dataclass(frozen=True)
class SegmentChange:
    """One target segment's text before and after an edit."""

    index: int
    before: str
    after: str


@dataclass(frozen=True)
class AuditEntry:
    """One row of the audit log; ``before``/``after`` are the patches described in the module doc."""

    id: int
    at: str
    revision: int
    action: str
    target: str
    before: dict[str, Any]
    after: dict[str, Any]
    undone: bool


@dataclass(frozen=True)
class ProjectState:
    """Everything the review app needs about one project, read in one snapshot.

    ``alignment.target`` holds the current (edited) segment texts; ``original_target`` is the
    translation as imported. Offsets in both refer to the imported text. ``reviewed`` and
    ``comments`` are per bead position.
    """

    info: ProjectInfo
    alignment: Alignment
    original_target: Document
    issues: tuple[StoredIssue, ...]
    reviewed: tuple[bool, ...]
    comments: tuple[str, ...]
    settings: dict[str, Any] = field(default_factory=dict)

    @property
    def revision(self) -> int:
        return self.info.revision

    @property
    def edits(self) -> dict[int, str]:
        """Edited target segments: index -> current text."""
        now, before = self.alignment.target.segments, self.original_target.segments
        return {a.index: a.text for a, b in zip(now, before) if a.text != b.text}

    @property
    def report(self) -> Report:
        """The alignment with the issues the reviewer has not dismissed."""
        kept = tuple(s.issue for s in self.issues if s.status is not IssueStatus.DISMISSED)
        return Report(self.alignment, kept)

    def corrected_target_text(self) -> str:
        return corrected_text(self.original_target, self.edits)


def default_store_path() -> Path:
    """$ALIGN_STORE, else the user's data folder (XDG), then ``align/projects.sqlite3``."""
    if explicit := os.environ.get("ALIGN_STORE"):
        return Path(explicit).expanduser()
    base = os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share"
    return Path(base).expanduser() / "align" / STORE_FILE


class Store:
    """Projects in one SQLite file. Every edit method is one transaction that writes the change,
    bumps the project's revision and appends one audit row; an edit that changes nothing writes
    nothing. Edit methods return the new revision unless said otherwise."""

    def __init__(self, path: str | os.PathLike[str] | None = None) -> None:
        self.path = Path(path).expanduser() if path is not None else default_store_path()
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as err:
            raise StoreError(f"Cannot create the folder for the project store {self.path}: {err}.") from err
        self._prepare_schema()

    # -- projects ------------------------------------------------------------------------------

    def create_project(
        self,
        name: str,
        alignment: Alignment,
        issues: Iterable[Issue] = (),
        *,
        encoder: str | None = None,
        settings: Mapping[str, Any] | None = None,
    ) -> int:
        """Save a new project and return its id. ``encoder`` defaults to the alignment
        signature's "encoder" entry."""
        if not name.strip():
            raise StoreError("A project needs a name.")
        _check_beads(alignment.beads, len(alignment.source), len(alignment.target))
        now = _now()
        source, target = alignment.source, alignment.target
        with self._transaction(write=True) as conn:
            cursor = conn.execute(
                "INSERT INTO projects (name, created, updated, source_lang, target_lang, source_text,"
                " target_text, encoder, signature, settings) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    name.strip(), now, now, source.lang, target.lang, source.text, target.text,
                    encoder if encoder is not None else alignment.signature.get("encoder", ""),
                    _json(alignment.signature), _json(settings or {}),
                ),
            )
            project_id = int(cursor.lastrowid)
            for side, document in (("src", source), ("tgt", target)):
                conn.executemany(
                    "INSERT INTO segments VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    [(project_id, side, i, s.text, s.text, s.paragraph, s.start, s.end)
                     for i, s in enumerate(document.segments)],
                )
            _write_beads(conn, project_id, [_bead_row(b) for b in alignment.beads])
            _insert_issues(conn, project_id, _new_issue_rows(conn, issues, {}))
            _log(conn, project_id, 0, "create", name.strip(), {}, {})
        return project_id

    def list_projects(self) -> tuple[ProjectInfo, ...]:
        """All projects, most recently changed first."""
        with self._transaction(write=False) as conn:
            rows = conn.execute(f"{_INFO_QUERY} ORDER BY p.updated DESC, p.id DESC").fetchall()
        return tuple(ProjectInfo(*row) for row in rows)

    def revision(self, project_id: int) -> int:
        """The project's revision now: a cheap way to tell whether a loaded copy is current."""
        with self._transaction(write=False) as conn:
            return _revision(conn, project_id)

    def load(self, project_id: int) -> ProjectState:
        """The project as it is now, read in one consistent snapshot."""
        with self._transaction(write=False) as conn:
            info = _info(conn, project_id)
            project = conn.execute(
                "SELECT source_text, target_text, signature, settings FROM projects WHERE id = ?",
                (project_id,),
            ).fetchone()
            source_text, target_text, signature, settings = project
            source = _document(conn, project_id, "src", source_text, info.source_lang, current=True)
            target = _document(conn, project_id, "tgt", target_text, info.target_lang, current=True)
            original = _document(conn, project_id, "tgt", target_text, info.target_lang, current=False)
            beads = _read_beads(conn, project_id)
            issues = tuple(_stored_issue(row) for row in _read_issue_rows(conn, project_id))
        return ProjectState(
            info=info,
            alignment=Alignment(source, target, tuple(_row_bead(r) for r in beads), json.loads(signature)),
            original_target=original,
            issues=issues,
            reviewed=tuple(bool(r[3]) for r in beads),
            comments=tuple(r[4] for r in beads),
            settings=json.loads(settings),
        )

    def corrected_target_text(self, project_id: int) -> str:
        """The translation as imported, with every edited segment written over its original span."""
        return self.load(project_id).corrected_target_text()

    def delete_project(self, project_id: int) -> None:
        """Delete the project with its segments, beads, issues and audit log."""
        with self._transaction(write=True) as conn:
            _revision(conn, project_id)
            conn.execute("DELETE FROM projects WHERE id = ?", (project_id,))

    def history(self, project_id: int) -> tuple[AuditEntry, ...]:
        """The project's audit log, oldest first."""
        with self._transaction(write=False) as conn:
            _revision(conn, project_id)
            rows = conn.execute(f"{_AUDIT_QUERY} WHERE project_id = ? ORDER BY id", (project_id,))
            return tuple(_audit_entry(row) for row in rows.fetchall())

    # -- edits ---------------------------------------------------------------------------------

    def set_beads(
        self,
        project_id: int,
        beads: Sequence[Bead],
        *,
        action: str = "set_beads",
        texts: Mapping[int, str] | None = None,
        expected_revision: int | None = None,
    ) -> int:
        """Replace the bead list (after a merge, split or move computed by the aligner library),
        and with ``texts`` (target index -> text) set those target segments in the same edit.

        A bead that keeps its src and tgt keeps its reviewed flag and comment; a new bead starts
        unreviewed (what it pairs changed) with the comments of the old beads it takes segments
        from, so a merge or split never drops a reviewer's note: a merge joins them, a split gives
        the first part the comment and the others none. ``action`` names the edit in the log
        ("merge", "split", ...).
        """
        if action in _RESERVED_ACTIONS or not action:
            raise StoreError(f"'{action}' cannot name a bead edit.")
        with self._edit(project_id, expected_revision) as (conn, revision):
            n_src, n_tgt = (_count_segments(conn, project_id, side) for side in ("src", "tgt"))
            _check_beads(beads, n_src, n_tgt)
            old = _read_beads(conn, project_id)
            kept = {(tuple(r[0]), tuple(r[1])): (r[3], r[4]) for r in old}
            noted = {(side, i): r[4] for r in old if r[4] for side in (0, 1) for i in r[side]}
            new, carried = [], set()
            for bead in beads:
                reviewed, comment = kept.get((tuple(bead.src), tuple(bead.tgt)), (False, None))
                if comment is None:  # a new bead: the notes of the beads it takes from, once each
                    notes = [noted[key] for key in [(0, i) for i in bead.src] + [(1, j) for j in bead.tgt]
                             if key in noted]
                    comment = "\n".join(n for n in dict.fromkeys(notes) if n not in carried)
                    carried.update(notes)
                new.append([list(bead.src), list(bead.tgt), float(bead.score), reviewed, comment])
            start, old_part, new_part = _splice(old, new)
            where = f"beads {start}..{start + max(len(new_part), 1) - 1}"
            before: dict[str, Any] = {"beads": {"start": start, "rows": old_part}}
            after: dict[str, Any] = {"beads": {"start": start, "rows": new_part}}
            if texts:
                current = _target_texts(conn, project_id)
                if any(not 0 <= index < len(current) for index in texts):
                    raise StoreError(f"The translation has segments 0..{len(current) - 1} only.")
                before["segments"] = [[index, current[index]] for index in sorted(texts)]
                after["segments"] = [[index, texts[index]] for index in sorted(texts)]
            return _commit(conn, project_id, revision, action, where, before, after)

    def edit_target_segment(
        self,
        project_id: int,
        index: int,
        new_text: str,
        *,
        scores: Mapping[int, float] | None = None,
        expected_revision: int | None = None,
    ) -> int:
        """Set the current text of one target segment, and with ``scores`` (bead position ->
        score) the scores of the beads it changes, in the same edit: one undo takes both back."""
        with self._edit(project_id, expected_revision) as (conn, revision):
            row = conn.execute(
                "SELECT text FROM segments WHERE project_id = ? AND side = 'tgt' AND idx = ?", (project_id, index)
            ).fetchone()
            if row is None:
                size = _count_segments(conn, project_id, "tgt")
                raise StoreError(f"The translation has no segment {index} (it has {size}).")
            before, after = {"segments": [[index, row[0]]]}, {"segments": [[index, new_text]]}
            if row[0] != new_text and scores:
                old = dict(conn.execute("SELECT position, score FROM beads WHERE project_id = ?", (project_id,)))
                before["score"] = [[p, old[p]] for p in sorted(scores)]
                after["score"] = [[p, scores[p]] for p in sorted(scores)]
            return _commit(conn, project_id, revision, "edit_segment", f"target segment {index}", before, after)

    def replace_in_target(
        self,
        project_id: int,
        old: str,
        new: str,
        *,
        whole_word: bool = True,
        expected_revision: int | None = None,
    ) -> tuple[SegmentChange, ...]:
        """Replace ``old`` by ``new`` in every target segment (case-sensitive; with ``whole_word``
        only where ``old`` is not part of a longer word). Returns the changed segments; one
        ``undo_last`` reverts them all."""
        if not old:
            raise StoreError("Nothing to replace: the text to find is empty.")
        with self._edit(project_id, expected_revision) as (conn, revision):
            texts = _target_texts(conn, project_id)
            if whole_word:
                found = replace_all(texts, old, new)
            else:
                found = [(i, t, t.replace(old, new)) for i, t in enumerate(texts) if old in t]
            changes = [SegmentChange(index, before, after) for index, before, after in found]
            _commit(conn, project_id, revision, "replace", f"{old!r} -> {new!r} in {len(changes)} segments",
                    {"segments": [[c.index, c.before] for c in changes]},
                    {"segments": [[c.index, c.after] for c in changes]})
        return tuple(changes)

    def set_reviewed(
        self, project_id: int, position: int, reviewed: bool, *, expected_revision: int | None = None
    ) -> int:
        """Mark the bead at ``position`` as reviewed (or not)."""
        return self._set_bead_field(project_id, position, "reviewed", bool(reviewed), expected_revision)

    def set_comment(
        self, project_id: int, position: int, comment: str, *, expected_revision: int | None = None
    ) -> int:
        """Set the reviewer's comment on the bead at ``position`` ("" removes it)."""
        return self._set_bead_field(project_id, position, "comment", comment, expected_revision)

    def replace_issues(
        self,
        project_id: int,
        issues: Iterable[Issue],
        *,
        for_beads: Iterable[int] | None = None,
        expected_revision: int | None = None,
    ) -> int:
        """Store the results of a re-check.

        Without ``for_beads`` all issues are replaced; with it, only the issues that touch a
        segment of those beads (by position) are, and ``issues`` should be the re-check of those
        beads. A new issue identical to a removed one (kind, src, tgt, message) keeps the
        reviewer's verdict, so a dismissed false alarm stays dismissed.
        """
        with self._edit(project_id, expected_revision) as (conn, revision):
            current = _read_issue_rows(conn, project_id)
            if for_beads is None:
                removed, scope = current, "all issues"
            else:
                positions = sorted(set(for_beads))
                src, tgt = _segments_of(_read_beads(conn, project_id), positions)
                removed = [r for r in current if set(r["src"]) & src or set(r["tgt"]) & tgt]
                scope = f"issues of beads {positions}"
            verdicts = {_issue_key(r): r["status"] for r in removed}
            added = _new_issue_rows(conn, issues, verdicts)
            return _commit(conn, project_id, revision, "recheck", scope, {"issues": removed}, {"issues": added})

    def set_settings(
        self,
        project_id: int,
        settings: Mapping[str, Any],
        issues: Iterable[Issue] | None = None,
        *,
        expected_revision: int | None = None,
    ) -> int:
        """Change the project's settings (its glossary, ...). With ``issues``, the re-check the
        new settings give replaces every issue in the same edit, so one undo takes both back; a
        finding made again keeps the reviewer's verdict, as in ``replace_issues``."""
        with self._edit(project_id, expected_revision) as (conn, revision):
            [old] = conn.execute("SELECT settings FROM projects WHERE id = ?", (project_id,)).fetchone()
            before, after = {"settings": json.loads(old)}, {"settings": json.loads(_json(settings))}
            if issues is not None:
                current = _read_issue_rows(conn, project_id)
                before["issues"] = current
                after["issues"] = _new_issue_rows(conn, issues, {_issue_key(r): r["status"] for r in current})
            return _commit(conn, project_id, revision, "settings", "project settings", before, after)

    def set_issue_status(
        self,
        project_id: int,
        issue_id: int,
        status: IssueStatus | str,
        *,
        expected_revision: int | None = None,
    ) -> int:
        """Record the reviewer's verdict on one issue: open, accepted or dismissed."""
        try:
            verdict = IssueStatus(status)
        except ValueError:
            raise StoreError(f"Unknown issue status {status!r}; use open, accepted or dismissed.") from None
        with self._edit(project_id, expected_revision) as (conn, revision):
            row = conn.execute(
                "SELECT status FROM issues WHERE id = ? AND project_id = ?", (issue_id, project_id)
            ).fetchone()
            if row is None:
                raise StoreError(f"Project {project_id} has no issue {issue_id}.")
            return _commit(conn, project_id, revision, "issue_status", f"issue {issue_id}",
                           {"issue_status": [[issue_id, row[0]]]}, {"issue_status": [[issue_id, verdict.value]]})

    def undo_last(self, project_id: int, *, expected_revision: int | None = None) -> AuditEntry | None:
        """Undo the latest edit not yet undone (repeat to go further back); returns the entry
        undone, or None when there is nothing left to undo. The undo is itself logged."""
        with self._edit(project_id, expected_revision) as (conn, revision):
            row = conn.execute(
                f"{_AUDIT_QUERY} WHERE project_id = ? AND undone = 0 AND action NOT IN ('create', 'undo')"
                " ORDER BY id DESC LIMIT 1",
                (project_id,),
            ).fetchone()
            if row is None:
                return None
            entry = _audit_entry(row)
            conn.execute("UPDATE audit SET undone = 1 WHERE id = ?", (entry.id,))
            _commit(conn, project_id, revision, "undo", f"{entry.action}: {entry.target}", entry.after, entry.before)
        return replace(entry, undone=True)

    # -- plumbing ------------------------------------------------------------------------------

    def _set_bead_field(
        self, project_id: int, position: int, name: str, value: Any, expected_revision: int | None
    ) -> int:
        with self._edit(project_id, expected_revision) as (conn, revision):
            row = conn.execute(
                f"SELECT {name} FROM beads WHERE project_id = ? AND position = ?", (project_id, position)
            ).fetchone()
            if row is None:
                raise StoreError(f"Project {project_id} has no bead at position {position}.")
            old = bool(row[0]) if name == "reviewed" else row[0]
            return _commit(conn, project_id, revision, f"set_{name}", f"bead {position}",
                           {name: [[position, old]]}, {name: [[position, value]]})

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        try:
            # timeout= is SQLite's busy timeout: a writer waits for the lock instead of failing.
            conn = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_S, isolation_level=None)
        except sqlite3.Error as err:
            raise StoreError(f"Cannot open the project store {self.path}: {err}.") from err
        try:
            conn.execute("PRAGMA foreign_keys = ON")
            conn.execute("PRAGMA synchronous = FULL")
            yield conn
        except sqlite3.Error as err:
            raise StoreError(f"The project store {self.path} failed: {err}.") from err
        finally:
            conn.close()

    @contextmanager
    def _transaction(self, *, write: bool) -> Iterator[sqlite3.Connection]:
        """One transaction: committed when the block ends, rolled back if it raises."""
        with self._connect() as conn:
            conn.execute("BEGIN IMMEDIATE" if write else "BEGIN")
            try:
                yield conn
            except BaseException:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")

    @contextmanager
    def _edit(self, project_id: int, expected: int | None) -> Iterator[tuple[sqlite3.Connection, int]]:
        """A write transaction on one project, after checking nobody changed it meanwhile."""
        with self._transaction(write=True) as conn:
            revision = _revision(conn, project_id)
            if expected is not None and expected != revision:
                raise RevisionConflict(
                    f"Project {project_id} was changed elsewhere (another tab or window): it is at "
                    f"revision {revision}, you had {expected}. Reload it and try again."
                )
            yield conn, revision

    def _prepare_schema(self) -> None:
        with self._connect() as conn:
            conn.execute("PRAGMA journal_mode = WAL")  # persistent in the file; a no-op once set
            conn.execute("BEGIN IMMEDIATE")
            try:
                _migrate(conn, self.path)
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")


def _migrate(conn: sqlite3.Connection, path: Path) -> None:
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    if version > SCHEMA_VERSION:
        raise StoreError(f"The project store {path} was written by a newer align (schema {version}); update align.")
    if version == 0:
        if conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]:
            raise StoreError(f"{path} is an SQLite file of another program, not an align project store.")
        for statement in _SCHEMA:
            conn.execute(statement)
    else:
        for step in range(version, SCHEMA_VERSION):
            if step not in MIGRATIONS:
                raise StoreError(f"No migration from schema {step} of the project store {path}.")
            MIGRATIONS[step](conn)
    conn.execute(f"PRAGMA user_version = {int(SCHEMA_VERSION)}")


# -- reading -----------------------------------------------------------------------------------

_INFO_QUERY = """SELECT p.id, p.name, p.created, p.updated, p.revision, p.source_lang, p.target_lang, p.encoder,
    (SELECT count(*) FROM beads b WHERE b.project_id = p.id),
    (SELECT count(*) FROM beads b WHERE b.project_id = p.id AND b.reviewed),
    (SELECT count(*) FROM issues i WHERE i.project_id = p.id AND i.status = 'open')
    FROM projects p"""

_AUDIT_QUERY = "SELECT id, at, revision, action, target, before, after, undone FROM audit"


def _info(conn: sqlite3.Connection, project_id: int) -> ProjectInfo:
    row = conn.execute(f"{_INFO_QUERY} WHERE p.id = ?", (project_id,)).fetchone()
    if row is None:
        raise ProjectNotFound(f"There is no project {project_id} (it may have been deleted).")
    return ProjectInfo(*row)


def _revision(conn: sqlite3.Connection, project_id: int) -> int:
    row = conn.execute("SELECT revision FROM projects WHERE id = ?", (project_id,)).fetchone()
    if row is None:
        raise ProjectNotFound(f"There is no project {project_id} (it may have been deleted).")
    return row[0]


def _document(
    conn: sqlite3.Connection, project_id: int, side: str, text: str, lang: str, *, current: bool
) -> Document:
    column = "text" if current else "original"
    rows = conn.execute(
        f"SELECT idx, {column}, paragraph, start, end FROM segments"
        " WHERE project_id = ? AND side = ? ORDER BY idx",
        (project_id, side),
    )
    return Document(text, lang, tuple(Segment(*row) for row in rows))


def _count_segments(conn: sqlite3.Connection, project_id: int, side: str) -> int:
    query = "SELECT count(*) FROM segments WHERE project_id = ? AND side = ?"
    return conn.execute(query, (project_id, side)).fetchone()[0]


def _target_texts(conn: sqlite3.Connection, project_id: int) -> list[str]:
    rows = conn.execute(
        "SELECT text FROM segments WHERE project_id = ? AND side = 'tgt' ORDER BY idx", (project_id,)
    )
    return [text for (text,) in rows]


BeadRow = list[Any]  # [src indices, tgt indices, score, reviewed, comment]: the JSON form in patches


def _read_beads(conn: sqlite3.Connection, project_id: int) -> list[BeadRow]:
    rows = conn.execute(
        "SELECT src, tgt, score, reviewed, comment FROM beads WHERE project_id = ? ORDER BY position",
        (project_id,),
    )
    return [[_indices(s), _indices(t), score, bool(r), c] for s, t, score, r, c in rows]


def _bead_row(bead: Bead) -> BeadRow:
    return [list(bead.src), list(bead.tgt), float(bead.score), False, ""]


def _row_bead(row: BeadRow) -> Bead:
    return Bead(tuple(row[0]), tuple(row[1]), row[2])


def _read_issue_rows(conn: sqlite3.Connection, project_id: int) -> list[dict[str, Any]]:
    rows = conn.execute(
        "SELECT id, kind, severity, src, tgt, message, evidence, suggestion, status"
        " FROM issues WHERE project_id = ? ORDER BY id",
        (project_id,),
    )
    names = ("id", "kind", "severity", "src", "tgt", "message", "evidence", "suggestion", "status")
    issues = []
    for row in rows:
        issue = dict(zip(names, row))
        for key in ("src", "tgt", "evidence"):
            issue[key] = json.loads(issue[key])
        issues.append(issue)
    return issues


def _stored_issue(row: Mapping[str, Any]) -> StoredIssue:
    issue = Issue(
        kind=row["kind"],
        severity=Severity(row["severity"]),
        src=tuple(row["src"]),
        tgt=tuple(row["tgt"]),
        message=row["message"],
        evidence=tuple(row["evidence"]),
        suggestion=row["suggestion"],
    )
    return StoredIssue(row["id"], issue, IssueStatus(row["status"]))


def _audit_entry(row: Sequence[Any]) -> AuditEntry:
    id_, at, revision, action, target, before, after, undone = row
    return AuditEntry(id_, at, revision, action, target, json.loads(before), json.loads(after), bool(undone))


# -- writing -----------------------------------------------------------------------------------


def _commit(
    conn: sqlite3.Connection,
    project_id: int,
    revision: int,
    action: str,
    target: str,
    before: dict[str, Any],
    after: dict[str, Any],
) -> int:
    """Apply ``after``, bump the revision and log the edit, all in the caller's transaction.
    An edit that changes nothing writes nothing."""
    if before == after:
        return revision
    _apply(conn, project_id, after, before)
    revision += 1
    conn.execute("UPDATE projects SET revision = ?, updated = ? WHERE id = ?", (revision, _now(), project_id))
    _log(conn, project_id, revision, action, target, before, after)
    return revision


def _log(
    conn: sqlite3.Connection, project_id: int, revision: int, action: str, target: str,
    before: Mapping[str, Any], after: Mapping[str, Any],
) -> None:
    conn.execute(
        "INSERT INTO audit (project_id, at, revision, action, target, before, after) VALUES (?, ?, ?, ?, ?, ?, ?)",
        (project_id, _now(), revision, action, target, _json(before), _json(after)),
    )


def _apply(conn: sqlite3.Connection, project_id: int, to: Mapping[str, Any], frm: Mapping[str, Any]) -> None:
    """Bring the parts of the project a patch describes from state ``frm`` to state ``to``."""
    conn.executemany(
        "UPDATE segments SET text = ? WHERE project_id = ? AND side = 'tgt' AND idx = ?",
        [(text, project_id, index) for index, text in to.get("segments", ())],
    )
    for name in ("reviewed", "comment", "score"):
        conn.executemany(
            f"UPDATE beads SET {name} = ? WHERE project_id = ? AND position = ?",
            [(value, project_id, position) for position, value in to.get(name, ())],
        )
    if "beads" in to:
        rows = _read_beads(conn, project_id)
        start, old = frm["beads"]["start"], frm["beads"]["rows"]
        if rows[start : start + len(old)] != old:
            raise StoreError(f"The saved beads of project {project_id} do not match its log; cannot apply the edit.")
        rows[start : start + len(old)] = to["beads"]["rows"]
        # positions before the splice do not move; rewrite from there on
        conn.execute("DELETE FROM beads WHERE project_id = ? AND position >= ?", (project_id, start))
        _write_beads(conn, project_id, rows[start:], first=start)
    if "settings" in to:
        conn.execute("UPDATE projects SET settings = ? WHERE id = ?", (_json(to["settings"]), project_id))
    if "issues" in to:
        conn.executemany("DELETE FROM issues WHERE id = ?", [(r["id"],) for r in frm["issues"]])
        _insert_issues(conn, project_id, to["issues"])
    conn.executemany(
        "UPDATE issues SET status = ? WHERE id = ? AND project_id = ?",
        [(status, issue_id, project_id) for issue_id, status in to.get("issue_status", ())],
    )


def _write_beads(conn: sqlite3.Connection, project_id: int, rows: Sequence[BeadRow], *, first: int = 0) -> None:
    conn.executemany(
        "INSERT INTO beads (project_id, position, src, tgt, score, reviewed, comment) VALUES (?, ?, ?, ?, ?, ?, ?)",
        [(project_id, i, _index_text(src), _index_text(tgt), score, int(reviewed), comment)
         for i, (src, tgt, score, reviewed, comment) in enumerate(rows, start=first)],
    )


def _new_issue_rows(
    conn: sqlite3.Connection, issues: Iterable[Issue], verdicts: Mapping[tuple, str]
) -> list[dict[str, Any]]:
    """Rows for new issues, with fresh ids (AUTOINCREMENT never reuses one, even after undo)."""
    seq = conn.execute("SELECT seq FROM sqlite_sequence WHERE name = 'issues'").fetchone()
    next_id = (seq[0] if seq else 0) + 1
    rows = []
    for offset, issue in enumerate(issues):
        row = {
            "id": next_id + offset,
            "kind": issue.kind,
            "severity": Severity(issue.severity).value,
            "src": list(issue.src),
            "tgt": list(issue.tgt),
            "message": issue.message,
            "evidence": list(issue.evidence),
            "suggestion": issue.suggestion,
        }
        row["status"] = verdicts.get(_issue_key(row), IssueStatus.OPEN.value)
        rows.append(row)
    return rows


def _insert_issues(conn: sqlite3.Connection, project_id: int, rows: Iterable[Mapping[str, Any]]) -> None:
    conn.executemany(
        "INSERT INTO issues (id, project_id, kind, severity, src, tgt, message, evidence, suggestion, status)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [(r["id"], project_id, r["kind"], r["severity"], _json(r["src"]), _json(r["tgt"]), r["message"],
          _json(r["evidence"]), r["suggestion"], r["status"]) for r in rows],
    )


# -- small helpers -----------------------------------------------------------------------------


def _check_beads(beads: Sequence[Bead], n_src: int, n_tgt: int) -> None:
    """Every segment of both sides in exactly one bead, and no empty bead."""
    for side, size, groups in (("source", n_src, [b.src for b in beads]), ("target", n_tgt, [b.tgt for b in beads])):
        seen = sorted(i for group in groups for i in group)
        if seen != list(range(size)):
            raise StoreError(f"The beads must hold each {side} segment (0..{size - 1}) exactly once.")
    if any(not b.src and not b.tgt for b in beads):
        raise StoreError("A bead must hold at least one segment.")


def _splice(old: list[BeadRow], new: list[BeadRow]) -> tuple[int, list[BeadRow], list[BeadRow]]:
    """The smallest replaced run: old[start:len(old)-tail] became new[start:len(new)-tail]."""
    start = 0
    while start < min(len(old), len(new)) and old[start] == new[start]:
        start += 1
    tail = 0
    while tail < min(len(old), len(new)) - start and old[-1 - tail] == new[-1 - tail]:
        tail += 1
    return start, old[start : len(old) - tail], new[start : len(new) - tail]


def _segments_of(beads: Sequence[BeadRow], positions: Sequence[int]) -> tuple[set[int], set[int]]:
    if any(not 0 <= p < len(beads) for p in positions):
        raise StoreError(f"Bead positions must be in 0..{len(beads) - 1}.")
    src = {i for p in positions for i in beads[p][0]}
    tgt = {i for p in positions for i in beads[p][1]}
    return src, tgt


def _index_text(indices: Sequence[int]) -> str:
    """Bead index lists as "0 1" (plain and several times faster to read back than JSON)."""
    return " ".join(str(int(i)) for i in indices)


def _indices(text: str) -> list[int]:
    return [int(i) for i in text.split()]


def _issue_key(row: Mapping[str, Any]) -> tuple:
    return (row["kind"], tuple(row["src"]), tuple(row["tgt"]), row["message"])


def _json(value: Any) -> str:
    try:
        return json.dumps(value, ensure_ascii=False)
    except (TypeError, ValueError) as err:
        raise StoreError(f"Cannot save a value that is not plain JSON data: {err}.") from err


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds")
