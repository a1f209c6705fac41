"""``python -m align batch``: align and check many document pairs, in parallel, resumable.

    python -m align batch PAIRS --out OUT [--jobs N] [--engine local|dask] [--scheduler ADDRESS]

``PAIRS`` is one of
  - a manifest, CSV or TSV with the columns ``src,tgt[,id]`` (a header row naming them, also as
    ``source``/``target`` in any case, is optional; paths are relative to the manifest). Excel's
    files work too: ``;`` as the delimiter, a ``sep=;`` first line, UTF-16 or a code page;
  - a folder with ``src/`` and ``tgt/`` sub-folders whose files are matched by stem
    (``src/ch01.txt`` + ``tgt/ch01.docx``);
  - a folder of ``NAME.SRCLANG.*`` + ``NAME.TGTLANG.*`` files (needs ``--src-lang`` and
    ``--tgt-lang``, two different codes, which say which file is the original).
In a folder, names are matched after Unicode normalisation (NFC: macOS writes NFD), two files of
one name (``ch01.txt`` and ``ch01.md``) are refused, and sub-folders are not searched (a warning
names them). A file without a partner is left out: warned about, listed in the console summary
and in ``summary.json`` as ``unmatched``; it does not change the exit code, which is about the
pairs found (a pipeline that must have every file paired checks ``unmatched``). ``--out`` may not
be an input folder itself (its outputs would be read as documents next time).

For each pair ``OUT`` gets ``NAME.json`` (the JSON contract of ``align check``) and ``NAME.tmx``,
plus ``summary.json`` for the run (so no pair may be named ``summary``). Each file is written to a
temporary name and renamed, and last a hidden ``.NAME.key``: a digest of the pair's two files, of
every option that changes results, of align's code and of the installed dictionaries
(``result_key``), with the pair's bead count and warnings. A second run skips a pair whose outputs
are complete and whose key is the one it would make now, and does the rest (resume after a crash
or Ctrl-C); a pair whose files or options changed is redone, and counted as such. A pair that fails
is recorded with a one-line reason and the run goes on; outputs it had from earlier inputs are
renamed ``NAME.json.stale`` and ``NAME.tmx.stale``, so that nothing takes them for current. The
exit code is 1 if any pair failed, else 0 (2 for a usage error, or when interrupted: ``summary.json``
then lists the pairs finished so far).

Work is split so that workers never touch the output folder: the driver reads each pair's files,
a worker process (``align_pair``, a picklable module-level function) turns the bytes into the two
outputs, and the driver writes them. So a Dask cluster needs no shared file system, and a pair that
kills its process (out of memory) fails alone, even with ``--jobs 1``. Each worker process loads
the encoder once (``_worker_encoder``); all of them share the on-disk embedding cache.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import hashlib
import io
import json
import multiprocessing
import os
import re
import signal
import sys
import tempfile
import threading
import time
import traceback
import unicodedata
import warnings
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Executor, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field, fields, replace
from functools import lru_cache
from pathlib import Path

from align import __version__
from align.errors import AlignError, InputError

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2
SUMMARY_FILE = "summary.json"
STALE_SUFFIX = ".stale"  # a failed pair's outputs from earlier inputs: NAME.json.stale
_RUN_NAMES = {Path(SUMMARY_FILE).stem}  # no pair may be called so: its NAME.json would be the run's file
_SPEED_ONLY = {"threads"}  # Options fields that change how fast a pair is done, not its outputs
_LONGEST_OUTPUT = f".json{STALE_SUFFIX}"  # the longest name a pair's files get: NAME + this
_MAX_NAME_BYTES = 255  # the longest file name ext4, APFS and NTFS allow
_UNSAFE_NAME = re.compile(r"[^\w.\-]+")
_LANG_SUFFIX = re.compile(r"^[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})?$")  # de, pt-BR, zh_Hans
_EXCEL_SEP = re.compile(r"sep=(.)")  # Excel's first line naming the delimiter
_MANIFEST_COLUMNS = {"src": "src", "source": "src", "tgt": "tgt", "target": "tgt", "id": "id"}
_NOTES_SHOWN = 3  # warnings printed per pair; summary.json has them all


# --- records -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PairFiles:
    """One document pair to align; ``name`` names its outputs."""

    name: str
    src: Path
    tgt: Path


@dataclass(frozen=True)
class GlossaryFile:
    """A glossary as sent to the workers: each pair reads it in its own languages (a TBX has many)."""

    name: str
    data: bytes


@dataclass(frozen=True)
class Options:
    """What every pair is aligned and checked with (picklable: sent to the workers)."""

    src_lang: str | None = None
    tgt_lang: str | None = None
    model: str | None = None
    presplit: bool = False
    glossary: GlossaryFile | None = None  # checked once by the driver
    threads: int | None = None  # encoder threads per worker (None: all the worker's cores)
    dictionary: bool = True  # use the installed bilingual dictionaries (see align.pipeline.check)
    stamp: str = ""  # align's code and the installed dictionaries (see resources_stamp)


@dataclass(frozen=True)
class PairTask:
    """A pair's input as bytes, so that a worker needs no access to the driver's files."""

    name: str
    src_name: str
    src_data: bytes
    tgt_name: str
    tgt_data: bytes


@dataclass(frozen=True)
class PairResult:
    """What a worker sends back: the outputs, or the reason there are none."""

    name: str
    report_json: str = ""
    tmx: bytes = b""
    issues: dict[str, int] = field(default_factory=dict)
    beads: int = 0
    notes: tuple[str, ...] = ()  # warnings raised while aligning
    error: str | None = None  # one line, for the user
    detail: str | None = None  # traceback of an unexpected error, for the developer
    seconds: float = 0.0


@dataclass(frozen=True)
class Outcome:
    """One line of the summary."""

    name: str
    status: str  # "done", "skipped" or "failed"
    reason: str = ""
    issues: dict[str, int] = field(default_factory=dict)
    beads: int = 0
    notes: tuple[str, ...] = ()
    seconds: float = 0.0
    detail: str | None = None
    redone: bool = False  # done again: its outputs were made from other inputs, options, code or dictionaries
    set_aside: tuple[str, ...] = ()  # failed: its earlier outputs, renamed NAME.json.stale etc.


# --- finding the pairs ---------------------------------------------------------------------------


def find_pairs(
    location: Path, src_lang: str | None = None, tgt_lang: str | None = None
) -> tuple[list[PairFiles], list[Path]]:
    """The pairs a manifest or folder describes, and the files in it that have no partner."""
    if location.is_file():
        return _checked_names(_listed_files_exist(read_manifest(location), location)), []
    if not location.is_dir():
        raise InputError(f"{location}: no such manifest or folder")
    if _has_src_and_tgt(location):
        pairs, unmatched = _pairs_by_stem(location / "src", location / "tgt")
    else:
        pairs, unmatched = _pairs_by_language(location, src_lang, tgt_lang)
    if not pairs:
        raise InputError(f"{location}: no document pairs found (files are matched by name; see 'align batch --help')")
    return _checked_names(pairs), unmatched


def _input_folders(location: Path) -> list[Path]:
    """The folders whose files are read as inputs (none for a manifest: it names its files)."""
    if not location.is_dir():
        return []
    return [location / "src", location / "tgt"] if _has_src_and_tgt(location) else [location]


def _has_src_and_tgt(location: Path) -> bool:
    return (location / "src").is_dir() and (location / "tgt").is_dir()


def read_manifest(path: Path) -> list[PairFiles]:
    """Rows ``src,tgt[,id]`` of a CSV or TSV file; blank rows and rows starting with # are skipped.

    The delimiter is the one Excel's ``sep=`` first line names, else a tab in a .tsv file or in the
    first row, else ``;`` if the first row has more of them than commas (Excel in many locales)."""
    text = _manifest_text(path)
    delimiter, skipped = _manifest_layout(text, path.suffix)
    rows = [(n, r) for n, r in enumerate(csv.reader(io.StringIO(text), delimiter=delimiter), 1)
            if n > skipped and r and any(c.strip() for c in r) and not r[0].lstrip().startswith("#")]
    columns = {"src": 0, "tgt": 1, "id": 2}
    if rows and _is_header(rows[0][1]):
        line, header = rows.pop(0)
        columns = _header_columns(header, f"{path.name}, line {line}")
    pairs = []
    for line, row in rows:
        cells = [c.strip() for c in row]
        src, tgt = (_cell(cells, columns.get(key)) for key in ("src", "tgt"))
        if not src or not tgt:
            raise InputError(f"{path.name}, line {line}: expected a source and a target path "
                             f"(separated by '{_shown(delimiter)}')")
        name = _cell(cells, columns.get("id")) or Path(src).stem
        pairs.append(PairFiles(name, path.parent / src, path.parent / tgt))
    if not pairs:
        raise InputError(f"{path}: the manifest lists no pairs")
    return pairs


def _manifest_text(path: Path) -> str:
    """The manifest decoded as the texts are (a BOM, UTF-16, a code page), but not normalised as
    they are: its cells are paths, which must stay as the file system spells them."""
    from align.textio import decode

    try:
        data = path.read_bytes()
    except OSError as err:
        raise InputError(f"{path}: cannot read the manifest ({err.strerror or _one_line(err)})") from None
    try:
        return decode(data, str(path))
    except InputError:
        raise InputError(f"{path}: cannot read the manifest as text: save it as CSV (UTF-8)") from None


def _manifest_layout(text: str, suffix: str) -> tuple[str, int]:
    """The delimiter, and how many lines come before the rows (Excel's "sep=;" line, or none)."""
    lines = text.split("\n")
    hint = _EXCEL_SEP.fullmatch(lines[0].strip())
    if hint:
        return hint.group(1), 1
    first = next((line for line in lines if line.strip() and not line.lstrip().startswith("#")), "")
    if suffix.lower() == ".tsv" or "\t" in first:
        return "\t", 0
    return (";" if first.count(";") > first.count(",") else ","), 0


def _is_header(row: list[str]) -> bool:
    """Whether a row names a column: then it is the header, though a misspelt one."""
    return any(c.strip().lower() in _MANIFEST_COLUMNS for c in row)


def _header_columns(header: list[str], where: str) -> dict[str, int]:
    names = [_MANIFEST_COLUMNS.get(c.strip().lower()) for c in header]
    for column, spelled in (("src", "src or source"), ("tgt", "tgt or target")):
        if column not in names:
            raise InputError(f"{where}: the header has no {spelled} column")
    return {column: names.index(column) for column in ("src", "tgt", "id") if column in names}


def _cell(cells: list[str], index: int | None) -> str:
    return cells[index] if index is not None and index < len(cells) else ""


def _shown(delimiter: str) -> str:
    return "\\t" if delimiter == "\t" else delimiter


def _listed_files_exist(pairs: list[PairFiles], manifest: Path) -> list[PairFiles]:
    """A manifest none of whose files exist is not one (a text given by mistake), or its paths are
    wrong: either way a usage error, rather than every pair failing."""
    if not any(p.src.is_file() or p.tgt.is_file() for p in pairs):
        raise InputError(f"{manifest}: none of the files it lists exists (paths are relative to its folder); "
                         "a manifest has rows src,tgt[,id]")
    return pairs


def _pairs_by_stem(src_dir: Path, tgt_dir: Path) -> tuple[list[PairFiles], list[Path]]:
    src, tgt = _files_by_stem(src_dir), _files_by_stem(tgt_dir)
    pairs = [PairFiles(stem, src[stem], tgt[stem]) for stem in sorted(src.keys() & tgt.keys())]
    unmatched = sorted(p for stem, p in [*src.items(), *tgt.items()] if stem not in src.keys() & tgt.keys())
    return pairs, unmatched


def _files_by_stem(folder: Path) -> dict[str, Path]:
    return _one_file_per_name(((_nfc(path.stem), path) for path in _visible_files(folder)), folder)


def _pairs_by_language(folder: Path, src_lang: str | None, tgt_lang: str | None) -> tuple[list[PairFiles], list[Path]]:
    """``NAME.de.txt`` + ``NAME.fr.txt``: the language codes given say which is the original."""
    named = []  # (language, name, path)
    for path in _visible_files(folder):
        parts = path.name.split(".")
        if len(parts) >= 3 and _LANG_SUFFIX.match(parts[-2]):
            named.append((parts[-2].lower(), _nfc(".".join(parts[:-2])), path))
    languages = sorted({lang for lang, _, _ in named})
    if not languages:
        return [], []
    if not src_lang or not tgt_lang:
        raise InputError(
            f"{folder}: files are named by language ({', '.join(languages)}); "
            "give --src-lang and --tgt-lang to say which are the originals"
        )
    if src_lang.lower() == tgt_lang.lower():
        raise InputError(f"{folder}: --src-lang and --tgt-lang are both {src_lang!r}: give the language of the "
                         "originals and that of the translations")
    src, tgt = (_one_file_per_name(((name, path) for lang, name, path in named if lang == wanted.lower()), folder)
                for wanted in (src_lang, tgt_lang))
    common = src.keys() & tgt.keys()
    pairs = [PairFiles(name, src[name], tgt[name]) for name in sorted(common)]
    unmatched = sorted(p for name, p in [*src.items(), *tgt.items()] if name not in common)
    return pairs, unmatched


def _one_file_per_name(named: Iterable[tuple[str, Path]], folder: Path) -> dict[str, Path]:
    """Files by the name they are matched on; two of one name (ch01.txt, ch01.md) are refused:
    which one is meant is not ours to guess."""
    files: dict[str, Path] = {}
    for name, path in named:
        if name in files:
            raise InputError(f"{folder}: {files[name].name} and {path.name} have the same name; keep one")
        files[name] = path
    return files


def _visible_files(folder: Path) -> list[Path]:
    """The folder's files, sorted so that every file system gives the same pairs."""
    return sorted(p for p in folder.iterdir() if p.is_file() and not p.name.startswith("."))


def _unsearched_folders(location: Path, out: Path) -> list[Path]:
    """Sub-folders of the input folders, whose files are not read (the output folder aside)."""
    where = out.resolve()
    return [sub for folder in _input_folders(location) for sub in sorted(folder.iterdir())
            if sub.is_dir() and not sub.name.startswith(".") and sub.resolve() != where]


def _nfc(name: str) -> str:
    return unicodedata.normalize("NFC", name)  # "Łódź" copied from macOS comes in NFD


def _checked_names(pairs: list[PairFiles]) -> list[PairFiles]:
    """Names made safe for file names, and distinct (each names two output files)."""
    safe = [PairFiles(_UNSAFE_NAME.sub("_", p.name).strip("._") or "pair", p.src, p.tgt) for p in pairs]
    repeated = sorted(name for name, count in Counter(p.name for p in safe).items() if count > 1)
    if repeated:
        raise InputError(f"several pairs would be written as {repeated[0]}.json: give them distinct ids")
    for pair in safe:
        if pair.name.casefold() in _RUN_NAMES:  # casefold: Summary.json is summary.json on macOS and Windows
            raise InputError(f"{pair.src}: a pair named {pair.name!r} would overwrite the run's {SUMMARY_FILE}: "
                             "give it another id in a manifest, or rename the file")
        size, limit = len(pair.name.encode("utf-8")), _MAX_NAME_BYTES - len(_LONGEST_OUTPUT)
        if size > limit:  # found now, not once the pair is aligned and its outputs cannot be written
            raise InputError(f"{pair.src}: the pair's name is {size} bytes long (UTF-8), too long for its output "
                             f"files, which allow {limit}: give it a shorter id in a manifest, or rename the file")
    return safe


# --- the work on one pair (runs in a worker) -----------------------------------------------------


@lru_cache(maxsize=None)
def _worker_encoder(model: str | None, threads: int | None):
    """The encoder of this worker process, loaded once and kept for every pair it aligns."""
    from align.cache import EmbeddingCache, resolve_cache_dir
    from align.embed import CachedEncoder, UseEncoder, load_encoder

    if (model or "use").strip().lower() in {"use", "use-multilingual-v3"}:
        # Built by hand to set its thread count: N workers x all cores would oversubscribe.
        return CachedEncoder(UseEncoder(threads=threads), EmbeddingCache(resolve_cache_dir()))
    return load_encoder(model)


def init_worker(model: str | None, threads: int | None, driver: int, stop) -> None:
    """Pool initializer: set up the encoder before the first pair arrives. It must not raise (that
    would break the pool): a problem shows again, as each pair's own error, in ``align_pair``.

    Ctrl-C reaches the whole process group; a worker ignores it (else each prints a traceback) and
    leaves it to the driver, which sets ``stop`` (see ``_process_pool``)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    threading.Thread(target=_exit_when_driver_stops, args=(driver, stop), daemon=True).start()
    with contextlib.suppress(Exception):
        _worker_encoder(model, threads)


def _exit_when_driver_stops(driver: int, stop) -> None:
    """End this worker as soon as the driver sets ``stop`` or is gone (killed: this process then has
    another parent), rather than finishing its pair, or waiting for work that never comes."""
    while not stop.wait(1.0) and os.getppid() == driver:
        pass
    os._exit(1)


def align_pair(task: PairTask, options: Options) -> PairResult:
    """Align and check one pair; never raises (a failure comes back as ``error``)."""
    started = time.perf_counter()
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            result = _align_and_check(task, options)
        notes = tuple(dict.fromkeys(str(w.message) for w in caught))
        return replace(result, notes=notes, seconds=time.perf_counter() - started)
    except AlignError as err:
        return PairResult(task.name, error=_one_line(err), seconds=time.perf_counter() - started)
    except Exception as err:  # a bug or an exhausted resource: report it, keep the batch going
        return PairResult(
            task.name, error=f"{type(err).__name__}: {_one_line(err)}", detail=traceback.format_exc(),
            seconds=time.perf_counter() - started,
        )


def _align_and_check(task: PairTask, options: Options) -> PairResult:
    from align import export, pipeline
    from align.serialize import report_to_dict
    from align.textio import read_text

    # Both sides often have one file name: a message must say which side it is about.
    original = read_text(task.src_data, filename=f"the original {task.src_name}")
    translation = read_text(task.tgt_data, filename=f"the translation {task.tgt_name}")
    with _glossary_path(options.glossary) as glossary:
        report = pipeline.check(
            original, translation, glossary=glossary, src_lang=options.src_lang,
            tgt_lang=options.tgt_lang, presplit=options.presplit,
            encoder=_worker_encoder(options.model, options.threads), dictionary=options.dictionary,
        )
    tmx = io.BytesIO()
    export.to_tmx(report.alignment, tmx)
    return PairResult(
        task.name,
        report_json=json.dumps(report_to_dict(report), ensure_ascii=False, indent=1),
        tmx=tmx.getvalue(),
        issues=dict(Counter(i.kind for i in report.issues)),
        beads=len(report.alignment.beads),
    )


@contextlib.contextmanager
def _glossary_path(glossary: GlossaryFile | None) -> Iterator[Path | None]:
    """The glossary as a file of its own name again, for ``pipeline.check`` to read in the languages
    of the pair (given or detected), as ``align check`` does: only the alignment knows them, and a
    TBX read in other languages gives other entries (reversed ones, for the first two it names)."""
    if glossary is None:
        yield None
        return
    with tempfile.TemporaryDirectory(prefix="align-glossary-") as folder:
        path = Path(folder) / glossary.name
        path.write_bytes(glossary.data)
        yield path


def _one_line(err: BaseException) -> str:
    text = " ".join(str(err).split())
    return text or type(err).__name__


# --- outputs -------------------------------------------------------------------------------------


def result_key(task: PairTask, options: Options) -> str:
    """A digest of all a pair's outputs are made from: both files (names and bytes), every option
    that changes results (all of ``Options`` but ``_SPEED_ONLY``, its ``stamp`` too) and align's version."""
    settings = [(f.name, getattr(options, f.name)) for f in fields(Options) if f.name not in _SPEED_ONLY]
    digest = hashlib.sha256()
    for part in (__version__, repr(settings), task.src_name, task.src_data, task.tgt_name, task.tgt_data):
        data = part if isinstance(part, bytes) else part.encode("utf-8")
        digest.update(len(data).to_bytes(8, "big") + data)  # lengths first: no two inputs digest alike
    return digest.hexdigest()


def resources_stamp(dictionary: bool) -> str:
    """A digest of what changes results besides the inputs and options, as ``align check``'s report
    cache keys on it (``align.checks.run_key``): align's code (an edit changes results without a new
    version), the libraries the checks depend on and, if used, the installed dictionaries. A pair's
    languages are known only once it is aligned, so every dictionary align could use counts."""
    from align import checks, lexicon

    folder = str(lexicon.DICTD_DIR)
    installed = sorted({
        entry for a in lexicon.ISO3 for b in lexicon.ISO3 if a != b for entry in lexicon.dictionary_stamp(a, b, folder)
    }) if dictionary else []
    made_with = (checks.code_fingerprint(), checks.dependency_versions(), installed)
    return hashlib.sha256(repr(made_with).encode("utf-8")).hexdigest()


def _key_file(out: Path, name: str) -> Path:
    return out / f".{name}.key"  # pair names never start with a dot: no pair's output can be called so


def _stored_mark(out: Path, name: str) -> dict:
    """What the key file says: the key, and the pair's bead count and warnings (empty if unreadable)."""
    try:
        mark = json.loads(_key_file(out, name).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return mark if isinstance(mark, dict) else {}


def finished_outcome(out: Path, name: str, key: str) -> Outcome | None:
    """A pair's outcome, "skipped", if its outputs are complete and were made from ``key`` (see
    ``result_key``), with the counts and warnings stored with them; None if it must be (re)done."""
    mark = _stored_mark(out, name)
    issues = _complete_issues(out, name) if mark.get("key") == key else None
    if issues is None:
        return None
    notes, beads = mark.get("notes", []), mark.get("beads", 0)
    return Outcome(name, "skipped", issues=issues, beads=beads if isinstance(beads, int) else 0,
                   notes=tuple(str(n) for n in notes) if isinstance(notes, list) else ())


def _complete_issues(out: Path, name: str) -> dict[str, int] | None:
    """Issue counts of a pair whose outputs are complete, whatever they were made from."""
    report, tmx = out / f"{name}.json", out / f"{name}.tmx"
    if not (report.is_file() and tmx.is_file()):
        return None
    try:
        data = json.loads(report.read_text(encoding="utf-8"))
        return dict(Counter(issue["kind"] for issue in data["issues"]))
    except (OSError, ValueError, KeyError, TypeError):
        return None  # not ours, or damaged by hand: redo it


def write_atomically(path: Path, data: bytes) -> None:
    """Write to a temporary file beside ``path``, then rename: readers see all or nothing. The
    temporary name is short, so that any name short enough for ``path`` works."""
    short = hashlib.sha256(path.name.encode("utf-8")).hexdigest()[:16]
    temporary = path.with_name(f".{short}.{os.getpid()}.tmp")
    try:
        with open(temporary, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)


def _save(out: Path, result: PairResult, key: str) -> None:
    # The key file is the "done" mark: gone while the outputs are replaced, so that a crash halfway
    # leaves a pair to redo, never new and old files taken together for finished.
    _key_file(out, result.name).unlink(missing_ok=True)
    write_atomically(out / f"{result.name}.tmx", result.tmx)
    write_atomically(out / f"{result.name}.json", result.report_json.encode("utf-8"))
    mark = {"key": key, "beads": result.beads, "notes": list(result.notes)}
    write_atomically(_key_file(out, result.name), json.dumps(mark, ensure_ascii=False).encode("utf-8"))


def _set_aside(out: Path, outcome: Outcome) -> Outcome:
    """A failed pair's outputs, made from earlier inputs or options, renamed NAME.json.stale and
    NAME.tmx.stale: kept (they are the user's), but no longer taken for current by anyone."""
    moved = []
    try:
        _key_file(out, outcome.name).unlink(missing_ok=True)
        for path in (out / f"{outcome.name}.json", out / f"{outcome.name}.tmx"):
            if path.is_file():
                os.replace(path, path.with_name(path.name + STALE_SUFFIX))
                moved.append(path.name + STALE_SUFFIX)
    except OSError as err:
        reason = f"{outcome.reason}; its outputs from earlier inputs could not be renamed .stale ({_one_line(err)})"
        return replace(outcome, reason=reason, set_aside=tuple(moved))
    return replace(outcome, set_aside=tuple(moved))


def _task(pair: PairFiles) -> PairTask:
    return PairTask(pair.name, pair.src.name, _read_bytes(pair.src, "original"),
                    pair.tgt.name, _read_bytes(pair.tgt, "translation"))


def _read_bytes(path: Path, role: str) -> bytes:
    try:
        return path.read_bytes()
    except OSError as err:
        raise InputError(f"cannot read the {role} {path} ({err.strerror or _one_line(err)})") from None


# --- running many pairs --------------------------------------------------------------------------

Work = Callable[[PairTask, Options], PairResult]


def run_batch(
    pairs: list[PairFiles],
    out: Path,
    options: Options,
    executors: Callable[[int], Executor],
    *,
    limit: int,
    on_outcome: Callable[[Outcome], None] = lambda outcome: None,
    work: Work = align_pair,
) -> list[Outcome]:
    """Every pair's outcome, in the order given.

    ``executors(workers)`` opens an executor (used as a context manager); at most ``limit`` pairs
    are in flight at once. When a worker process dies (killed for memory, a crash in native code)
    the pool breaks: the pairs that were in flight are retried one at a time in a fresh pool, so
    only a pair that kills its worker on its own is marked failed, and the rest carry on. A pair
    that fails has its outputs from earlier inputs set aside (``_set_aside``).
    """
    outcomes: dict[str, Outcome] = {}
    stale: set[str] = set()  # names of pairs whose complete outputs were made from other inputs or options

    def record(outcome: Outcome) -> None:
        if outcome.status == "done" and outcome.name in stale:
            outcome = replace(outcome, redone=True)
        if outcome.status == "failed":
            outcome = _set_aside(out, outcome)
        outcomes[outcome.name] = outcome
        on_outcome(outcome)

    queue: deque[PairFiles] = deque()
    for pair in pairs:
        finished = _current_outcome(out, pair, options)
        if finished is not None:
            record(finished)
            continue
        queue.append(pair)
        if _complete_issues(out, pair.name) is not None:
            stale.add(pair.name)
    suspects: deque[PairFiles] = deque()
    while queue or suspects:
        alone = bool(suspects) or limit == 1  # one pair in flight: if its worker died, that pair killed it
        with executors(1 if alone else limit) as executor:
            crashed = _drain(executor, suspects or queue, 1 if alone else limit, out, options, work, record)
        if alone and crashed:
            record(Outcome(crashed[0].name, "failed", reason="the worker process died while aligning it (out of memory?)"))
        else:
            suspects.extend(crashed)
    return [outcomes[p.name] for p in pairs]


def _current_outcome(out: Path, pair: PairFiles, options: Options) -> Outcome | None:
    """The "skipped" outcome of a pair finished from its inputs as they are now and these options, else None."""
    try:
        return finished_outcome(out, pair.name, result_key(_task(pair), options))
    except InputError:
        return None  # unreadable: queued, it fails with the reason


def _drain(executor: Executor, queue: deque[PairFiles], limit: int, out: Path, options: Options,
           work: Work, record: Callable[[Outcome], None]) -> list[PairFiles]:
    """Run the queue's pairs, ``limit`` at a time; returns the pairs in flight if the pool broke."""
    in_flight: dict[Future, tuple[PairFiles, str]] = {}  # and the key of the inputs the worker was sent
    while queue or in_flight:
        while queue and len(in_flight) < limit:
            pair = queue.popleft()
            try:
                task = _task(pair)
                in_flight[executor.submit(work, task, options)] = pair, result_key(task, options)
            except InputError as err:
                record(Outcome(pair.name, "failed", reason=str(err)))
            except BrokenProcessPool:  # it broke since the last wait: this pair never started
                queue.appendleft(pair)
                return [p for p, _ in in_flight.values()]
        if not in_flight:
            break
        done, _ = wait(in_flight, return_when=FIRST_COMPLETED)
        for future in done:
            pair, key = in_flight.pop(future)
            try:
                result = future.result()
            except BrokenProcessPool:
                return [pair, *(p for p, _ in in_flight.values())]
            except Exception as err:  # e.g. a Dask worker lost several times over
                record(Outcome(pair.name, "failed", reason=f"{type(err).__name__}: {_one_line(err)}"))
                continue
            record(_stored(out, result, key))
    return []


def _stored(out: Path, result: PairResult, key: str) -> Outcome:
    if result.error is not None:
        return Outcome(result.name, "failed", reason=result.error, seconds=result.seconds, detail=result.detail)
    try:
        _save(out, result, key)
    except OSError as err:
        return Outcome(result.name, "failed", reason=f"cannot write the outputs: {_one_line(err)}")
    return Outcome(result.name, "done", issues=result.issues, beads=result.beads, notes=result.notes,
                   seconds=result.seconds)


# --- engines -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Engine:
    """Where the pairs run: ``executors(options)`` opens the pools ``run_batch`` uses, ``limit``
    pairs at once, each worker's encoder with ``threads`` threads (None: all its cores)."""

    executors: Callable[[Options], Callable[[int], Executor]]
    limit: int
    threads: int | None


def local_executors(options: Options) -> Callable[[int], Executor]:
    """Process pools whose workers load the encoder once. A pool even for one job: a pair that
    kills its process (out of memory) then fails alone, and the batch goes on."""
    return lambda workers: _process_pool(workers, options)


@contextlib.contextmanager
def _process_pool(workers: int, options: Options) -> Iterator[Executor]:
    """A process pool whose workers quit at once if the driver stops early (Ctrl-C, an error):
    otherwise leaving the pool would wait for every pair in flight to finish."""
    context = multiprocessing.get_context("fork" if sys.platform == "linux" else "spawn")
    stop = context.Event()
    initargs = (options.model, options.threads, os.getpid(), stop)
    with ProcessPoolExecutor(workers, mp_context=context, initializer=init_worker, initargs=initargs) as pool:
        try:
            yield pool
        except BaseException:
            stop.set()
            raise


@contextlib.contextmanager
def dask_client(scheduler: str | None, workers: int) -> Iterator:
    """A client of the cluster at ``scheduler``, or of a local cluster of ``workers`` processes."""
    import logging

    from distributed import Client, LocalCluster

    if scheduler:
        try:
            client = Client(scheduler, timeout="10s")
        except ValueError as err:  # no port, an unknown scheme
            raise InputError(f"--scheduler {scheduler}: not a Dask scheduler address ({_one_line(err)}); "
                             "give tcp://HOST:PORT") from None
        except (OSError, TimeoutError) as err:
            raise InputError(f"cannot reach the Dask scheduler at {scheduler}: {_one_line(err)}") from None
        with client:
            yield client
        return
    with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None,
                      silence_logs=logging.ERROR) as cluster, Client(cluster) as client:
        yield client


def dask_executors(client) -> Callable[[int], Executor]:
    @contextlib.contextmanager
    def make(workers: int) -> Iterator[Executor]:
        yield client.get_executor(pure=False)  # the client outlives it; nothing to shut down

    return make


@contextlib.contextmanager
def _engine(args: argparse.Namespace) -> Iterator[Engine]:
    local_threads = max(1, _cores() // args.jobs)  # the cores shared out among the local workers
    if args.engine != "dask":
        yield Engine(local_executors, args.jobs, None if args.jobs == 1 else local_threads)
        return
    with dask_client(args.scheduler, args.jobs) as client:
        workers = sum(client.nthreads().values()) or 1
        yield Engine(lambda options: dask_executors(client), 2 * workers, None if args.scheduler else local_threads)


# --- the command ---------------------------------------------------------------------------------


def register(subparsers) -> argparse.ArgumentParser:
    """Add the ``batch`` command to an argparse sub-parsers object."""
    parser = subparsers.add_parser(
        "batch", help="align and check many document pairs (manifest or folder), in parallel, resumable",
        description="Align and check many document pairs. Writes NAME.json (as 'align check --format json') "
                    "and NAME.tmx per pair and summary.json to --out; a second run skips the pairs finished "
                    "from the same files, options, align code and dictionaries. A failed pair's outputs from "
                    "earlier inputs are renamed NAME.json.stale and NAME.tmx.stale. Files without a partner "
                    "are left out and listed (summary.json: unmatched); they do not change the exit code. "
                    "Exit 0 if no pair failed, 1 if any did, 2 on a usage error or when interrupted.",
    )
    parser.add_argument("pairs", metavar="MANIFEST_OR_DIR",
                        help="CSV/TSV manifest (src,tgt[,id]; ',', ';' or tab), or a folder with src/ and tgt/, "
                             "or a folder of NAME.SRCLANG.txt + NAME.TGTLANG.txt files")
    parser.add_argument("--out", required=True, metavar="DIR",
                        help="folder for NAME.json, NAME.tmx and summary.json (not an input folder itself)")
    parser.add_argument("--jobs", type=int, default=_cores(), metavar="N",
                        help="pairs aligned at once (default: the number of cores, %(default)s)")
    parser.add_argument("--engine", choices=("local", "dask"), default="local",
                        help="local: a process pool on this machine (default); dask: a Dask cluster")
    parser.add_argument("--scheduler", metavar="ADDRESS",
                        help="Dask scheduler address (tcp://host:8786); without it --engine dask starts a local cluster")
    parser.add_argument("--src-lang", metavar="L", help="ISO 639-1 code of the originals (default: detected)")
    parser.add_argument("--tgt-lang", metavar="L", help="ISO 639-1 code of the translations (default: detected)")
    parser.add_argument("--model", metavar="M", help="sentence encoder (as for 'align check'; default: the bundled one)")
    parser.add_argument("--presplit", action="store_true", help="take one segment per line, as is")
    parser.add_argument("--glossary", metavar="FILE", help="CSV/TSV or TBX file of required renderings")
    parser.add_argument("--no-dictionary", action="store_true",
                        help="leave the installed FreeDict dictionaries out (as for 'align check')")
    parser.add_argument("-q", "--quiet", action="store_true", help="no progress bar")
    parser.set_defaults(run=run_command)
    return parser


def run_command(args: argparse.Namespace) -> int:
    """The ``batch`` command: exit 0 if every pair is done or skipped, 1 if any failed."""
    _check_arguments(args)
    location = Path(args.pairs)
    _check_not_an_input(Path(args.out), _input_folders(location))
    pairs, unmatched = find_pairs(location, args.src_lang, args.tgt_lang)
    glossary = _glossary(args.glossary, args.src_lang, args.tgt_lang)
    for folder in _unsearched_folders(location, Path(args.out)):
        warnings.warn(f"{folder}: sub-folders are not searched; the files in it are left out")
    for path in unmatched:
        warnings.warn(f"{path}: no matching file on the other side; left out")
    with _engine(args) as engine:  # first: a Dask scheduler it cannot reach is a usage error, before --out is made
        out = _output_folder(Path(args.out))
        options = _options(args, glossary, engine.threads)
        summary = _run(pairs, unmatched, out, options, engine, args)
    print_summary(summary, out)
    return EXIT_FAILED if summary["failed"] else EXIT_OK


def _check_arguments(args: argparse.Namespace) -> None:
    """Usage errors that need no file read: before any work, one line each."""
    if args.jobs < 1:
        raise InputError("--jobs must be at least 1")
    if args.scheduler and args.engine != "dask":
        raise InputError("--scheduler needs --engine dask")
    from align.language import check_given

    check_given(args.src_lang, args.tgt_lang, _check_model(args.model))  # once, not in every pair


def _run(pairs: list[PairFiles], unmatched: list[Path], out: Path, options: Options, engine: Engine,
         args: argparse.Namespace) -> dict:
    """Run the pairs and write summary.json; if interrupted (Ctrl-C), with the pairs finished so far."""
    finished: dict[str, Outcome] = {}
    started = time.perf_counter()
    with _progress_bar(len(pairs), args.quiet) as tick:
        def record(outcome: Outcome) -> None:
            finished[outcome.name] = outcome
            tick(outcome)

        try:
            outcomes = run_batch(pairs, out, options, engine.executors(options), limit=engine.limit, on_outcome=record)
        except KeyboardInterrupt:
            unfinished = [p.name for p in pairs if p.name not in finished]
            so_far = [finished[p.name] for p in pairs if p.name in finished]
            _write_summary(out, summarize(so_far, unmatched, args, time.perf_counter() - started, unfinished))
            raise
    summary = summarize(outcomes, unmatched, args, time.perf_counter() - started)
    _write_summary(out, summary)
    return summary


def _write_summary(out: Path, summary: dict) -> None:
    write_atomically(out / SUMMARY_FILE, json.dumps(summary, ensure_ascii=False, indent=2).encode("utf-8"))


def _options(args: argparse.Namespace, glossary: GlossaryFile | None, threads: int | None) -> Options:
    dictionary = not args.no_dictionary
    return Options(args.src_lang, args.tgt_lang, args.model, args.presplit, glossary, threads, dictionary,
                   resources_stamp(dictionary))


def _check_not_an_input(out: Path, inputs: list[Path]) -> None:
    """Outputs written among the inputs would be read as inputs by the next run (a sub-folder is not read)."""
    for folder in inputs:
        if out.resolve() == folder.resolve():
            raise InputError(f"--out {out} is an input folder: its files are read as documents; "
                             "choose another folder (a sub-folder will do)")


def _output_folder(out: Path) -> Path:
    try:
        out.mkdir(parents=True, exist_ok=True)
    except (FileExistsError, NotADirectoryError):
        raise InputError(f"--out {out}: not a folder") from None
    except OSError as err:
        raise InputError(f"--out {out}: cannot create the folder ({err.strerror})") from None
    return out


def _check_model(model: str | None) -> frozenset[str] | None:
    """A model that is not on this machine is a usage error, before any worker starts; returns the
    languages it covers (None if unknown)."""
    from align.embed import load_encoder

    return load_encoder(model, cache=False).languages  # checks the model is there; loads nothing yet


def _glossary(path: str | None, src_lang: str | None, tgt_lang: str | None) -> GlossaryFile | None:
    """The glossary file, checked now (in the languages given, else the first two a TBX names);
    each pair reads it again in its own languages (see ``_glossary_path``)."""
    if not path:
        return None
    from align.glossary import GlossaryWarning, read_glossary

    try:
        data = Path(path).read_bytes()
    except OSError as err:
        raise InputError(f"--glossary {path}: cannot read the glossary ({err.strerror or _one_line(err)})") from None
    with warnings.catch_warnings():
        # Which entries are left out depends on the languages: each pair notes its own.
        warnings.simplefilter("ignore", GlossaryWarning)
        read_glossary(data, Path(path).name, src_lang, tgt_lang)
    return GlossaryFile(Path(path).name, data)


@contextlib.contextmanager
def _progress_bar(total: int, quiet: bool) -> Iterator[Callable[[Outcome], None]]:
    from tqdm import tqdm

    with tqdm(total=total, unit="pair", file=sys.stderr, disable=True if quiet else None, leave=False) as bar:
        def tick(outcome: Outcome) -> None:
            bar.set_postfix_str(f"{outcome.name}: {'redone' if outcome.redone else outcome.status}", refresh=False)
            bar.update(1)

        yield tick


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


# --- the summary ---------------------------------------------------------------------------------


def summarize(outcomes: Iterable[Outcome], unmatched: list[Path], args: argparse.Namespace, seconds: float,
              unfinished: list[str] | None = None) -> dict:
    """The run's summary; ``unfinished``: the pairs an interrupted run did not get to."""
    outcomes = list(outcomes)
    status = Counter(o.status for o in outcomes)
    kinds: Counter[str] = Counter()
    for outcome in outcomes:
        kinds.update(outcome.issues)
    summary = {
        "pairs": len(outcomes) + len(unfinished or []),
        "done": status["done"],
        "redone": sum(o.redone for o in outcomes),  # of the done: outputs made from other inputs, options or code
        "skipped": status["skipped"],
        "failed": status["failed"],
        "issues_by_kind": dict(kinds.most_common()),
        "unmatched": [str(p) for p in unmatched],
        "seconds": round(seconds, 2),
        "settings": {"engine": args.engine, "jobs": args.jobs, "model": args.model or "use",
                     "presplit": args.presplit, "src_lang": args.src_lang, "tgt_lang": args.tgt_lang,
                     "glossary": args.glossary, "dictionary": not args.no_dictionary},
        "results": [_outcome_dict(o) for o in outcomes],
    }
    if unfinished is not None:
        summary.update(interrupted=True, unfinished=unfinished)
    return summary


def _outcome_dict(outcome: Outcome) -> dict:
    data = {"name": outcome.name, "status": outcome.status, "issues": outcome.issues}
    if outcome.status in ("done", "skipped"):
        data.update(beads=outcome.beads, notes=list(outcome.notes))
    if outcome.status == "done":
        data["seconds"] = round(outcome.seconds, 2)
    if outcome.redone:
        data["redone"] = True
    if outcome.reason:
        data["reason"] = outcome.reason
    if outcome.set_aside:
        data["set_aside"] = list(outcome.set_aside)
    if outcome.detail:
        data["detail"] = outcome.detail
    return data


def print_summary(summary: dict, out: Path) -> None:
    changed = "inputs, options, code or dictionaries changed"
    redone = f" ({summary['redone']} redone: {changed})" if summary["redone"] else ""
    print(f"{summary['pairs']} pairs: {summary['done']} done{redone}, {summary['skipped']} skipped "
          f"(already in {out}), {summary['failed']} failed  [{summary['seconds']:.1f} s]")
    failed = [r for r in summary["results"] if r["status"] == "failed"]
    if failed:
        width = max(len(r["name"]) for r in failed)
        print("\nfailed:")
        for r in failed:
            aside = f" (earlier outputs renamed {', '.join(r['set_aside'])})" if r.get("set_aside") else ""
            print(f"  {r['name']:<{width}}  {r['reason']}{aside}")
    _print_warnings(summary["results"])
    if summary["unmatched"]:
        print("\nleft out (no matching file on the other side):")
        for path in summary["unmatched"]:
            print(f"  {path}")
    if summary["issues_by_kind"]:
        width = max(len(k) for k in summary["issues_by_kind"])
        print("\nissues by kind:")
        for kind, count in summary["issues_by_kind"].items():
            print(f"  {kind:<{width}}  {count:>6}")


def _print_warnings(results: list[dict]) -> None:
    """Each pair's warnings (not a translation, one text far longer, ...), the first few of each."""
    warned = [r for r in results if r.get("notes")]
    if not warned:
        return
    width = max(len(r["name"]) for r in warned)
    print("\nwarnings:")
    for r in warned:
        for note in r["notes"][:_NOTES_SHOWN]:
            print(f"  {r['name']:<{width}}  {note}")
        if len(r["notes"]) > _NOTES_SHOWN:
            print(f"  {'':<{width}}  ... and {len(r['notes']) - _NOTES_SHOWN} more (see summary.json)")


def main(argv: list[str] | None = None) -> int:
    """``python -m align.batch``: the command on its own, until ``align.cli`` registers it."""
    parser = argparse.ArgumentParser(prog="align")
    register(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(["batch", *(sys.argv[1:] if argv is None else argv)])
    warnings.showwarning = lambda message, *rest, **kw: print(f"align: warning: {message}", file=sys.stderr)
    try:
        return args.run(args)
    except AlignError as err:
        print(f"align: error: {err}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:  # as align.cli does
        print("align: interrupted", file=sys.stderr)
        return EXIT_USAGE


if __name__ == "__main__":
    sys.exit(main())
