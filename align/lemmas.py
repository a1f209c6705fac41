"""Lemmas and dictionary membership from simplemma's data, without paying its load time each run.

simplemma ships each language's dictionary as one compressed stream that a process must decode in
full before its first lookup: the 3.7 M Polish forms take 10-15 s, German about 3 s, English 1 s.
Here a language's dictionary is decoded once into an indexed SQLite table in the align cache folder
(``align.cache.resolve_cache_dir()``: the ``ALIGN_CACHE_DIR`` variable, else ``~/.cache/align``),
one file per language named after simplemma's version. Later processes open the file and look
words up row by row: a warm process loads nothing.

The answers are simplemma's own. Its lemmatiser runs unchanged (case handling, apostrophes, and
the rules and affix decomposition it applies to unknown words) over a dictionary whose lookups go
to SQLite, plugged in through simplemma's ``DictionaryFactory`` hook.

A table is written to a temporary file beside its final name and renamed into place, so a reader
never sees half a table and two processes starting cold at once cannot corrupt it; a lock file
makes the second wait for the first instead of building a copy of its own. A cache folder that
cannot be written (or a table that cannot be read) is no error: the language is served from
simplemma's in-memory dictionary, slow to load but equal in answers, after one warning.
"""

from __future__ import annotations

import os
import sqlite3
import tempfile
import threading
import warnings
from collections.abc import Iterable, Iterator, Mapping
from contextlib import closing, contextmanager
from functools import lru_cache
from pathlib import Path

import simplemma
from simplemma.strategies import DefaultStrategy, DictionaryLookupStrategy
from simplemma.strategies.dictionaries.dictionary_factory import (
    DEFAULT_DICTIONARY_FACTORY,
    SUPPORTED_LANGUAGES,
    DefaultDictionaryFactory,
)
from simplemma.utils import normalize_token

from align.cache import resolve_cache_dir

__all__ = ["lemmatize", "lemmatize_many", "prefetch", "is_known", "table_path"]

TABLE_VERSION = 1  # bump when the table layout changes
_KEYS_PER_QUERY = 500  # well under SQLite's limit on bound parameters
_MEMO_LIMIT = 500_000  # looked-up keys remembered per language before the memo starts afresh
_MISSING = object()


def lemmatize(word: str, lang: str) -> str:
    """simplemma's lemma of ``word`` in ``lang`` (a two-letter code such as "pl")."""
    return _current().lemmatize(word, lang)


def lemmatize_many(words: Iterable[str], lang: str) -> list[str]:
    """The lemmas of ``words`` in order; their dictionary rows are fetched in a few queries."""
    words = list(words)
    prefetch(words, lang)
    lemmatizer = _current()
    return [lemmatizer.lemmatize(word, lang) for word in words]


def prefetch(words: Iterable[str], lang: str) -> None:
    """Fetch the dictionary rows of ``words`` in a few queries, so that lemmatising them one by
    one afterwards reads memory instead of querying SQLite once a word."""
    table = _current().dictionaries.get_dictionary(lang)
    if isinstance(table, _Table):
        table.prefetch(_probes(words))


def is_known(word: str, lang: str) -> bool:
    """Whether simplemma's dictionary of ``lang`` knows ``word`` (in its case or the reverse)."""
    if not isinstance(word, str):
        raise TypeError(f"Wrong input type, expected string, got {type(word)}")
    if not word:
        raise ValueError("Wrong input value: empty string")  # simplemma's checks, in its words
    return _current().lookup.get_lemma(normalize_token(word), lang) is not None


def table_path(lang: str, cache_dir: str | os.PathLike[str] | None = None) -> Path:
    """The SQLite table of ``lang``'s dictionary, built first if it is not there yet.

    Raises ValueError for a language simplemma has no dictionary for, and OSError or
    sqlite3.Error when the table can be neither found nor built.
    """
    path = resolve_cache_dir(cache_dir) / f"lemmas-{lang}-simplemma{simplemma.__version__}-v{TABLE_VERSION}.sqlite3"
    if not path.exists():
        _build(lang, path)
    return path


# ---------------------------------------------------------------------------------------------
# simplemma over SQLite


class _Lemmatizer:
    """simplemma's default lemmatiser and its plain dictionary lookup (``is_known``), both reading
    the tables of one cache folder."""

    def __init__(self, directory: Path) -> None:
        self.dictionaries = _SqliteDictionaries(directory)
        self.lookup = DictionaryLookupStrategy(self.dictionaries)
        strategy = DefaultStrategy(dictionary_factory=self.dictionaries)
        self.lemmatize = simplemma.Lemmatizer(lemmatization_strategy=strategy).lemmatize


def _current() -> _Lemmatizer:
    """The lemmatiser of the cache folder in force (tests and batch runs change it).

    Keyed by the variables ``resolve_cache_dir`` reads rather than by calling it: building the path
    each time costs more than a lookup.
    """
    env = os.environ
    return _lemmatizer(env.get("ALIGN_CACHE_DIR"), env.get("XDG_CACHE_HOME"), env.get("HOME"))


@lru_cache(maxsize=8)
def _lemmatizer(*environment: str | None) -> _Lemmatizer:  # the arguments are the cache key
    return _Lemmatizer(resolve_cache_dir())


class _SqliteDictionaries:
    """simplemma's ``DictionaryFactory`` protocol: a language's dictionary as a SQLite table, or as
    simplemma's own in-memory one when the table cannot be had."""

    def __init__(self, directory: Path) -> None:
        self._directory = directory
        self.get_dictionary = lru_cache(maxsize=None)(self._open)

    def _open(self, lang: str) -> Mapping[str, str]:
        try:
            return _Table(table_path(lang, self._directory))
        except (OSError, sqlite3.Error) as err:
            warnings.warn(
                f"Cannot use a lemma table for {lang!r} in {self._directory} ({err}); loading "
                "simplemma's dictionary into memory instead, which is slow. Set ALIGN_CACHE_DIR "
                "to a writable folder.",
                RuntimeWarning,
                stacklevel=2,
            )
            return DEFAULT_DICTIONARY_FACTORY.get_dictionary(lang)


class _Table(Mapping[str, str]):
    """A read-only word -> lemma mapping over one table, with a memo of the keys looked up.

    simplemma asks about the same strings many times (each form in both cases, the parts it
    tries for unknown words), so answers, misses included, are remembered. One connection is
    shared by the threads of a process behind a lock, and reopened after a fork.
    """

    def __init__(self, path: Path) -> None:
        self._uri = f"{path.resolve().as_uri()}?mode=ro&immutable=1"  # never written after the rename
        self._lock = threading.Lock()
        self._memo: dict[str, str | None] = {}
        self._pid = -1
        self._conn: sqlite3.Connection | None = None
        self._connection().execute("SELECT lemma FROM forms LIMIT 1").fetchall()  # fail here, not mid-run

    def get(self, key: str, default: object = None) -> object:
        value = self._memo.get(key, _MISSING)
        if value is _MISSING:
            value = self._fetch([key]).get(key)
        return default if value is None else value

    def __getitem__(self, key: str) -> str:
        value = self.get(key)
        if value is None:
            raise KeyError(key)
        return value

    def __iter__(self) -> Iterator[str]:
        with self._lock:
            words = [word for (word,) in self._connection().execute("SELECT word FROM forms")]
        return iter(words)

    def __len__(self) -> int:
        with self._lock:
            return self._connection().execute("SELECT count(*) FROM forms").fetchone()[0]

    def prefetch(self, keys: Iterable[str]) -> None:
        """Look up all ``keys`` not yet in the memo, a few hundred to a query."""
        self._fetch([k for k in dict.fromkeys(keys) if k not in self._memo])

    def _fetch(self, keys: list[str]) -> dict[str, str | None]:
        found: dict[str, str | None] = dict.fromkeys(keys)
        with self._lock:
            conn = self._connection()
            for start in range(0, len(keys), _KEYS_PER_QUERY):
                batch = keys[start : start + _KEYS_PER_QUERY]
                marks = ",".join("?" * len(batch))
                found.update(conn.execute(f"SELECT word, lemma FROM forms WHERE word IN ({marks})", batch))
        if len(self._memo) + len(found) > _MEMO_LIMIT:
            self._memo.clear()
        self._memo.update(found)
        return found

    def _connection(self) -> sqlite3.Connection:
        if self._pid != os.getpid():  # SQLite connections must not cross a fork
            self._conn = sqlite3.connect(self._uri, uri=True, check_same_thread=False)
            self._pid = os.getpid()
        assert self._conn is not None
        return self._conn


def _probes(words: Iterable[str]) -> Iterator[str]:
    """The keys simplemma's dictionary lookup tries first for each word: as given, then in the
    reverse case."""
    for word in words:
        if word:
            form = normalize_token(word)
            yield form
            yield form.lower() if form[:1].isupper() else form.capitalize()


# ---------------------------------------------------------------------------------------------
# building a table


def _check_supported(lang: str) -> None:
    """ValueError, as simplemma raises it, for a language without a shipped dictionary."""
    if lang not in SUPPORTED_LANGUAGES:
        raise ValueError(f"Unsupported language: {lang}")


def _build(lang: str, path: Path) -> None:
    """Write ``lang``'s table to a temporary file and rename it to ``path`` once complete."""
    _check_supported(lang)
    path.parent.mkdir(parents=True, exist_ok=True)
    with _exclusive(path.with_name(path.name + ".lock")):
        if path.exists():  # another process built it while this one waited
            return
        fd, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        os.close(fd)
        temporary = Path(name)
        try:
            _write_table(lang, temporary)
            temporary.chmod(0o644)  # mkstemp's 0600 would keep other users of a shared cache out
            os.replace(temporary, path)
        finally:
            temporary.unlink(missing_ok=True)


def _write_table(lang: str, path: Path) -> None:
    with closing(sqlite3.connect(path)) as conn:
        conn.execute("PRAGMA journal_mode=OFF")  # a fresh private file: nothing to roll back to
        conn.execute("PRAGMA synchronous=OFF")  # flushed once below, before the rename
        conn.execute("CREATE TABLE forms (word TEXT PRIMARY KEY, lemma TEXT NOT NULL) WITHOUT ROWID")
        with conn:
            conn.executemany("INSERT INTO forms VALUES (?, ?)", sorted(_entries(lang)))
    with open(path, "rb+") as file:
        os.fsync(file.fileno())


def _entries(lang: str) -> Iterable[tuple[str, str]]:
    """Every (form, lemma) of simplemma's dictionary for ``lang``.

    simplemma's own decoder, used directly: its ``_load_dictionary_from_disk`` (bytes or str pairs,
    depending on the version) is twice as fast as going through the public mapping, which is the
    fallback should that helper change.
    """
    try:
        from simplemma.strategies.dictionaries.dictionary_factory import _load_dictionary_from_disk

        raw = _load_dictionary_from_disk(lang)
    except ImportError:
        raw = DefaultDictionaryFactory(cache_max_size=0).get_dictionary(lang)
    for word, lemma in raw.items():
        yield _text(word), _text(lemma)


def _text(value: str | bytes) -> str:
    return value.decode() if isinstance(value, bytes) else value


@contextmanager
def _exclusive(lock_path: Path) -> Iterator[None]:
    """Hold an exclusive lock on ``lock_path`` (released by the system if the process dies)."""
    try:
        import fcntl
    except ImportError:  # no POSIX locks: the atomic rename alone keeps the table whole
        yield
        return
    with open(lock_path, "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)
