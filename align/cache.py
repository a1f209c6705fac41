"""The on-disk caches: a second run over the same text encodes nothing and checks nothing again.

Where they live, first match wins:
  1. the ``cache_dir`` argument (``load_encoder(cache_dir=...)``, the CLI's option),
  2. the environment variable ``ALIGN_CACHE_DIR``,
  3. ``$XDG_CACHE_HOME/align``, else ``~/.cache/align``.

What they hold, one SQLite file each:

- ``EmbeddingCache``: rows that map sha256(encoder id, NUL, text) to the vector, stored as
  float16. Half the disk of float32, and cosine scores move by about 1e-4 (measured in
  ``bench/embed_speed.py``), far below any decision the aligner makes.
- ``ReportCache``: the issues the checkers found, by a key of everything they read (the aligned
  texts, the glossary, the checkers' code and resources: see ``align.checks.run_key``), as
  compressed JSON. Only the most recently stored ``REPORTS_KEPT`` reports are kept.

Several processes (a batch run) may read and write at once: WAL mode lets readers and one writer
work together, the busy timeout makes writers queue instead of failing, and ``INSERT OR IGNORE``
makes a write idempotent (a key always maps to the same value).

A cache that cannot be used (corrupt file, read-only disk, a file where the folder should be) must
not break a run: the first failure warns once and switches the cache off; the run goes on uncached.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import time
import warnings
import zlib
from collections.abc import Iterator, Sequence
from contextlib import closing, contextmanager
from pathlib import Path

import numpy as np

CACHE_FILE = "embeddings-v1.sqlite3"  # bump the version if the key or the storage format changes
REPORT_FILE = "reports-v1.sqlite3"
STORAGE_DTYPE = np.float16
BUSY_TIMEOUT_S = 60.0
REPORTS_KEPT = 200  # a book's report is a few hundred kilobytes compressed
_KEYS_PER_QUERY = 500  # well under SQLite's limit on bound parameters


def resolve_cache_dir(cache_dir: str | os.PathLike[str] | None = None) -> Path:
    """The cache folder: the explicit argument, else $ALIGN_CACHE_DIR, else the XDG default."""
    if cache_dir is not None:
        return Path(cache_dir).expanduser()
    if env_dir := os.environ.get("ALIGN_CACHE_DIR"):
        return Path(env_dir).expanduser()
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "align"


def text_key(encoder_id: str, text: str) -> bytes:
    """Content hash of (encoder id, text); texts with lone surrogates hash too."""
    return hashlib.sha256(f"{encoder_id}\0{text}".encode("utf-8", "surrogatepass")).digest()


class _SqliteCache:
    """One SQLite file in the cache folder; a connection per call, so an object is safe to share
    between threads and to pickle."""

    file_name = ""
    schema = ""

    def __init__(self, directory: str | os.PathLike[str]) -> None:
        self.path = Path(directory) / self.file_name
        self._ready = False
        self._broken = False

    @property
    def enabled(self) -> bool:
        return not self._broken

    @contextmanager
    def _connection(self) -> Iterator[sqlite3.Connection]:
        """A connection inside one transaction (committed on success, rolled back on error)."""
        if not self._ready:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        with closing(sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_S)) as conn:
            if not self._ready:
                conn.execute("PRAGMA journal_mode=WAL")  # persistent: once per file is enough
                conn.execute(self.schema)
                self._ready = True
            conn.execute("PRAGMA synchronous=NORMAL")  # WAL stays consistent; a crash loses at most the last writes
            with conn:
                yield conn

    def _disable(self, err: Exception) -> None:
        self._broken = True
        warnings.warn(
            f"The cache {self.path} cannot be used ({err}); continuing without it. "
            "Delete the file or set ALIGN_CACHE_DIR to a writable folder.",
            RuntimeWarning,
            stacklevel=3,
        )


class EmbeddingCache(_SqliteCache):
    """Vectors by (encoder id, text)."""

    file_name = CACHE_FILE
    # A rowid table, not WITHOUT ROWID: there a 1 KB row spills into an overflow page and the file
    # grows fourfold.
    schema = "CREATE TABLE IF NOT EXISTS embeddings (key BLOB PRIMARY KEY, vector BLOB NOT NULL)"

    def get_many(self, encoder_id: str, texts: Sequence[str]) -> dict[str, np.ndarray]:
        """The cached vectors (STORAGE_DTYPE rows) of those texts that are in the cache."""
        if self._broken or not texts:
            return {}
        by_key = {text_key(encoder_id, t): t for t in texts}
        keys = list(by_key)
        found: dict[str, np.ndarray] = {}
        try:
            with self._connection() as conn:
                for start in range(0, len(keys), _KEYS_PER_QUERY):
                    batch = keys[start : start + _KEYS_PER_QUERY]
                    marks = ",".join("?" * len(batch))
                    rows = conn.execute(f"SELECT key, vector FROM embeddings WHERE key IN ({marks})", batch)
                    for key, blob in rows:
                        found[by_key[key]] = np.frombuffer(blob, dtype=STORAGE_DTYPE)
        except (sqlite3.Error, OSError) as err:
            self._disable(err)
            return {}
        return found

    def put_many(self, encoder_id: str, texts: Sequence[str], vectors: np.ndarray) -> None:
        """Store one vector per text (converted to STORAGE_DTYPE)."""
        if self._broken or not len(texts):
            return
        stored = np.asarray(vectors, dtype=STORAGE_DTYPE)
        rows = [(text_key(encoder_id, t), row.tobytes()) for t, row in zip(texts, stored)]
        try:
            with self._connection() as conn:
                conn.executemany("INSERT OR IGNORE INTO embeddings (key, vector) VALUES (?, ?)", rows)
        except (sqlite3.Error, OSError) as err:
            self._disable(err)


class ReportCache(_SqliteCache):
    """The checkers' issues (as ``align.serialize.issue_to_dict`` gives them) by a run's key."""

    file_name = REPORT_FILE
    schema = "CREATE TABLE IF NOT EXISTS reports (key BLOB PRIMARY KEY, issues BLOB NOT NULL, stored REAL NOT NULL)"

    def get(self, key: bytes) -> list[dict] | None:
        """The issues stored under ``key``, or None."""
        if self._broken:
            return None
        try:
            with self._connection() as conn:
                row = conn.execute("SELECT issues FROM reports WHERE key = ?", (key,)).fetchone()
            return None if row is None else json.loads(zlib.decompress(row[0]))
        except (sqlite3.Error, OSError, zlib.error, ValueError) as err:
            self._disable(err)
            return None

    def put(self, key: bytes, issues: list[dict]) -> None:
        """Store the issues under ``key``, and forget all but the newest ``REPORTS_KEPT``."""
        if self._broken:
            return
        blob = zlib.compress(json.dumps(issues).encode("ascii"))  # ASCII: lone surrogates survive
        try:
            with self._connection() as conn:
                conn.execute("INSERT OR REPLACE INTO reports (key, issues, stored) VALUES (?, ?, ?)", (key, blob, time.time()))
                conn.execute("DELETE FROM reports WHERE key NOT IN "
                             "(SELECT key FROM reports ORDER BY stored DESC LIMIT ?)", (REPORTS_KEPT,))
        except (sqlite3.Error, OSError) as err:
            self._disable(err)
