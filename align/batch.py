"""``python -m align batch``: align and check many document pairs, in parallel, resumable.

    python -m align batch PAIRS --out OUT [--jobs N] [--engine local|dask] [--scheduler ADDRESS]

``PAIRS`` is one of
  - a manifest, CSV or TSV with the columns ``src,tgt[,id]`` (a header row naming them is
    optional; paths are relative to the manifest);
  - a folder with ``src/`` and ``tgt/`` sub-folders whose files are matched by stem
    (``src/ch01.txt`` + ``tgt/ch01.docx``);
  - a folder of ``NAME.SRCLANG.*`` + ``NAME.TGTLANG.*`` files (needs ``--src-lang`` and
    ``--tgt-lang``, which say which file is the original).

For each pair ``OUT`` gets ``NAME.json`` (the JSON contract of ``align check``) and ``NAME.tmx``,
plus ``summary.json`` for the run (so no pair may be named ``summary``). Each file is written to a
temporary name and renamed, and last a hidden ``.NAME.key``: a digest of the pair's two files and of
every option that changes results (``result_key``). A second run skips a pair whose outputs are
complete and whose key is the one it would make now, and does the rest (resume after a crash or
Ctrl-C); a pair whose files or options changed is redone, and counted as such. A pair that fails is
recorded with a one-line reason and the run goes on; the exit code is 1 if any pair failed, else 0
(2 for a usage error).

Work is split so that workers never touch the output folder: the driver reads each pair's files,
a worker (``align_pair``, a picklable module-level function) turns the bytes into the two outputs,
and the driver writes them. So a Dask cluster needs no shared file system. Each worker process
loads the encoder once (``_worker_encoder``); all of them share the on-disk embedding cache.
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
import threading
import time
import traceback
import warnings
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Executor, Future, ProcessPoolExecutor, ThreadPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field, fields, replace
from functools import lru_cache
from pathlib import Path

from align import __version__
from align.errors import AlignError, InputError

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2
SUMMARY_FILE = "summary.json"
_RUN_NAMES = {Path(SUMMARY_FILE).stem}  # no pair may be called so: its NAME.json would be the run's file
_SPEED_ONLY = {"threads"}  # Options fields that change how fast a pair is done, not its outputs
MANIFEST_SUFFIXES = {".csv", ".tsv", ".txt"}
_UNSAFE_NAME = re.compile(r"[^\w.\-]+")
_LANG_SUFFIX = re.compile(r"^[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})?$")  # de, pt-BR, zh_Hans


# --- records -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PairFiles:
    """One document pair to align; ``name`` names its outputs."""

    name: str
    src: Path
    tgt: Path


@dataclass(frozen=True)
class Options:
    """What every pair is aligned and checked with (picklable: sent to the workers)."""

    src_lang: str | None = None
    tgt_lang: str | None = None
    model: str | None = None
    presplit: bool = False
    glossary: tuple = ()  # GlossaryEntry records, read once by the driver
    threads: int | None = None  # encoder threads per worker (None: all the worker's cores)
    dictionary: bool = True  # use the installed bilingual dictionaries (see align.pipeline.check)


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
    redone: bool = False  # done again: its outputs were made from other inputs or options


# --- finding the pairs ---------------------------------------------------------------------------


def find_pairs(
    location: Path, src_lang: str | None = None, tgt_lang: str | None = None
) -> tuple[list[PairFiles], list[Path]]:
    """The pairs a manifest or folder describes, and the files in it that have no partner."""
    if location.is_file():
        return _checked_names(read_manifest(location)), []
    if not location.is_dir():
        raise InputError(f"{location}: no such manifest or folder")
    if (location / "src").is_dir() and (location / "tgt").is_dir():
        pairs, unmatched = _pairs_by_stem(location / "src", location / "tgt")
    else:
        pairs, unmatched = _pairs_by_language(location, src_lang, tgt_lang)
    if not pairs:
        raise InputError(f"{location}: no document pairs found (files are matched by name; see 'align batch --help')")
    return _checked_names(pairs), unmatched


def read_manifest(path: Path) -> list[PairFiles]:
    """Rows ``src,tgt[,id]`` of a CSV or TSV file; blank rows and rows starting with # are skipped."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as err:
        raise InputError(f"{path}: cannot read the manifest ({_one_line(err)})") from None
    delimiter = "\t" if path.suffix.lower() == ".tsv" or "\t" in text.split("\n", 1)[0] else ","
    rows = [(n, r) for n, r in enumerate(csv.reader(io.StringIO(text), delimiter=delimiter), 1)
            if r and any(c.strip() for c in r) and not r[0].lstrip().startswith("#")]
    columns = {"src": 0, "tgt": 1, "id": 2}
    if rows and {"src", "tgt"} <= {c.strip().lower() for c in rows[0][1]}:
        header = [c.strip().lower() for c in rows.pop(0)[1]]
        columns = {key: header.index(key) for key in ("src", "tgt", "id") if key in header}
    pairs = []
    for line, row in rows:
        cells = [c.strip() for c in row]
        src, tgt = (_cell(cells, columns.get(key)) for key in ("src", "tgt"))
        if not src or not tgt:
            raise InputError(f"{path.name}, line {line}: expected a source and a target path")
        name = _cell(cells, columns.get("id")) or Path(src).stem
        pairs.append(PairFiles(name, path.parent / src, path.parent / tgt))
    if not pairs:
        raise InputError(f"{path}: the manifest lists no pairs")
    return pairs


def _cell(cells: list[str], index: int | None) -> str:
    return cells[index] if index is not None and index < len(cells) else ""


def _pairs_by_stem(src_dir: Path, tgt_dir: Path) -> tuple[list[PairFiles], list[Path]]:
    src, tgt = _files_by_stem(src_dir), _files_by_stem(tgt_dir)
    pairs = [PairFiles(stem, src[stem], tgt[stem]) for stem in sorted(src.keys() & tgt.keys())]
    unmatched = sorted(p for stem, p in [*src.items(), *tgt.items()] if stem not in src.keys() & tgt.keys())
    return pairs, unmatched


def _files_by_stem(folder: Path) -> dict[str, Path]:
    files: dict[str, Path] = {}
    for path in sorted(_visible_files(folder)):
        if path.stem in files:
            raise InputError(f"{folder}: {files[path.stem].name} and {path.name} have the same name; keep one")
        files[path.stem] = path
    return files


def _pairs_by_language(folder: Path, src_lang: str | None, tgt_lang: str | None) -> tuple[list[PairFiles], list[Path]]:
    """``NAME.de.txt`` + ``NAME.fr.txt``: the language codes given say which is the original."""
    by_lang: dict[str, dict[str, Path]] = {}
    for path in _visible_files(folder):
        parts = path.name.split(".")
        if len(parts) >= 3 and _LANG_SUFFIX.match(parts[-2]):
            by_lang.setdefault(parts[-2].lower(), {})[".".join(parts[:-2])] = path
    if not by_lang:
        return [], []
    if not src_lang or not tgt_lang:
        raise InputError(
            f"{folder}: files are named by language ({', '.join(sorted(by_lang))}); "
            "give --src-lang and --tgt-lang to say which are the originals"
        )
    src, tgt = by_lang.get(src_lang.lower(), {}), by_lang.get(tgt_lang.lower(), {})
    common = src.keys() & tgt.keys()
    pairs = [PairFiles(name, src[name], tgt[name]) for name in sorted(common)]
    unmatched = sorted(p for name, p in [*src.items(), *tgt.items()] if name not in common)
    return pairs, unmatched


def _visible_files(folder: Path) -> Iterator[Path]:
    return (p for p in folder.iterdir() if p.is_file() and not p.name.startswith("."))


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

    original = read_text(task.src_data, filename=task.src_name)
    translation = read_text(task.tgt_data, filename=task.tgt_name)
    report = pipeline.check(
        original, translation, glossary=options.glossary or None, src_lang=options.src_lang,
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


def _one_line(err: BaseException) -> str:
    text = " ".join(str(err).split())
    return text or type(err).__name__


# --- outputs -------------------------------------------------------------------------------------


def result_key(task: PairTask, options: Options) -> str:
    """A digest of all a pair's outputs are made from: both files (names and bytes), every option
    that changes results (all of ``Options`` but ``_SPEED_ONLY``) and align's version."""
    settings = [(f.name, getattr(options, f.name)) for f in fields(Options) if f.name not in _SPEED_ONLY]
    digest = hashlib.sha256()
    for part in (__version__, repr(settings), task.src_name, task.src_data, task.tgt_name, task.tgt_data):
        data = part if isinstance(part, bytes) else part.encode("utf-8")
        digest.update(len(data).to_bytes(8, "big") + data)  # lengths first: no two inputs digest alike
    return digest.hexdigest()


def _key_file(out: Path, name: str) -> Path:
    return out / f".{name}.key"  # pair names never start with a dot: no pair's output can be called so


def _stored_key(out: Path, name: str) -> str | None:
    try:
        return _key_file(out, name).read_text(encoding="ascii").strip()
    except (OSError, UnicodeDecodeError):
        return None


def finished_issues(out: Path, name: str, key: str) -> dict[str, int] | None:
    """Issue counts of a pair whose outputs are complete and were made from ``key`` (see
    ``result_key``), or None if it must be (re)done."""
    return _complete_issues(out, name) if _stored_key(out, name) == key else None


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
    """Write to a temporary file beside ``path``, then rename: readers see all or nothing."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
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
    write_atomically(_key_file(out, result.name), key.encode("ascii"))


def _task(pair: PairFiles) -> PairTask:
    return PairTask(pair.name, pair.src.name, _read_bytes(pair.src), pair.tgt.name, _read_bytes(pair.tgt))


def _read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as err:
        raise InputError(f"{path}: cannot read ({err.strerror or _one_line(err)})") from None


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
    only a pair that kills its worker on its own is marked failed, and the rest carry on.
    """
    outcomes: dict[str, Outcome] = {}
    stale: set[str] = set()  # names of pairs whose complete outputs were made from other inputs or options

    def record(outcome: Outcome) -> None:
        if outcome.status == "done" and outcome.name in stale:
            outcome = replace(outcome, redone=True)
        outcomes[outcome.name] = outcome
        on_outcome(outcome)

    queue: deque[PairFiles] = deque()
    for pair in pairs:
        issues = _current_issues(out, pair, options)
        if issues is not None:
            record(Outcome(pair.name, "skipped", issues=issues))
            continue
        queue.append(pair)
        if _complete_issues(out, pair.name) is not None:
            stale.add(pair.name)
    suspects: deque[PairFiles] = deque()
    while queue or suspects:
        alone = bool(suspects)
        with executors(1 if alone else limit) as executor:
            crashed = _drain(executor, suspects if alone else queue, 1 if alone else limit, out, options, work, record)
        if alone and crashed:
            record(Outcome(crashed[0].name, "failed", reason="the worker process died while aligning it (out of memory?)"))
        else:
            suspects.extend(crashed)
    return [outcomes[p.name] for p in pairs]


def _current_issues(out: Path, pair: PairFiles, options: Options) -> dict[str, int] | None:
    """Issue counts of a pair finished from its inputs as they are now and these options, else None."""
    try:
        return finished_issues(out, pair.name, result_key(_task(pair), options))
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


def local_executors(options: Options) -> Callable[[int], Executor]:
    """Process pools whose workers load the encoder once; one worker runs in this process."""

    def make(workers: int):
        if workers == 1 and options.threads is None:
            return ThreadPoolExecutor(1)
        return _process_pool(workers, options)

    return make


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


# --- the command ---------------------------------------------------------------------------------


def register(subparsers) -> argparse.ArgumentParser:
    """Add the ``batch`` command to an argparse sub-parsers object."""
    parser = subparsers.add_parser(
        "batch", help="align and check many document pairs (manifest or folder), in parallel, resumable",
        description="Align and check many document pairs. Writes NAME.json (as 'align check --format json') "
                    "and NAME.tmx per pair and summary.json to --out; a second run skips the pairs finished "
                    "from the same files and options. "
                    "Exit 0 if no pair failed, 1 if any did, 2 on a usage error.",
    )
    parser.add_argument("pairs", metavar="MANIFEST_OR_DIR",
                        help="CSV/TSV manifest (src,tgt[,id]), or a folder with src/ and tgt/, "
                             "or a folder of NAME.SRCLANG.txt + NAME.TGTLANG.txt files")
    parser.add_argument("--out", required=True, metavar="DIR", help="folder for NAME.json, NAME.tmx and summary.json")
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
    if args.jobs < 1:
        raise InputError("--jobs must be at least 1")
    if args.scheduler and args.engine != "dask":
        raise InputError("--scheduler needs --engine dask")
    pairs, unmatched = find_pairs(Path(args.pairs), args.src_lang, args.tgt_lang)
    glossary = _glossary(args.glossary, args.src_lang, args.tgt_lang)
    _check_model(args.model)
    out = _output_folder(Path(args.out))
    for path in unmatched:
        warnings.warn(f"{path}: no matching file on the other side; left out")
    local_threads = max(1, _cores() // args.jobs)
    started = time.perf_counter()
    with _progress_bar(len(pairs), args.quiet) as tick:
        if args.engine == "dask":
            with dask_client(args.scheduler, args.jobs) as client:
                workers = sum(client.nthreads().values()) or 1
                options = _options(args, glossary, None if args.scheduler else local_threads)
                outcomes = run_batch(pairs, out, options, dask_executors(client), limit=2 * workers, on_outcome=tick)
        else:
            options = _options(args, glossary, None if args.jobs == 1 else local_threads)
            outcomes = run_batch(pairs, out, options, local_executors(options), limit=args.jobs, on_outcome=tick)
    summary = summarize(outcomes, unmatched, args, time.perf_counter() - started)
    write_atomically(out / SUMMARY_FILE, json.dumps(summary, ensure_ascii=False, indent=2).encode("utf-8"))
    print_summary(summary, out)
    return EXIT_FAILED if summary["failed"] else EXIT_OK


def _options(args: argparse.Namespace, glossary: tuple, threads: int | None) -> Options:
    return Options(args.src_lang, args.tgt_lang, args.model, args.presplit, glossary, threads, not args.no_dictionary)


def _output_folder(out: Path) -> Path:
    try:
        out.mkdir(parents=True, exist_ok=True)
    except (FileExistsError, NotADirectoryError):
        raise InputError(f"--out {out}: not a folder") from None
    except OSError as err:
        raise InputError(f"--out {out}: cannot create the folder ({err.strerror})") from None
    return out


def _check_model(model: str | None) -> None:
    """A model that is not on this machine is a usage error, before any worker starts."""
    from align.embed import load_encoder

    load_encoder(model, cache=False)  # checks the model is there; loads nothing yet


def _glossary(path: str | None, src_lang: str | None, tgt_lang: str | None) -> tuple:
    if not path:
        return ()
    from align.glossary import load_glossary

    return tuple(load_glossary(Path(path), src_lang, tgt_lang))


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


def summarize(outcomes: Iterable[Outcome], unmatched: list[Path], args: argparse.Namespace, seconds: float) -> dict:
    outcomes = list(outcomes)
    status = Counter(o.status for o in outcomes)
    kinds: Counter[str] = Counter()
    for outcome in outcomes:
        kinds.update(outcome.issues)
    return {
        "pairs": len(outcomes),
        "done": status["done"],
        "redone": sum(o.redone for o in outcomes),  # of the done: outputs made from other inputs or options
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


def _outcome_dict(outcome: Outcome) -> dict:
    data = {"name": outcome.name, "status": outcome.status, "issues": outcome.issues}
    if outcome.status == "done":
        data.update(beads=outcome.beads, seconds=round(outcome.seconds, 2), notes=list(outcome.notes))
    if outcome.redone:
        data["redone"] = True
    if outcome.reason:
        data["reason"] = outcome.reason
    if outcome.detail:
        data["detail"] = outcome.detail
    return data


def print_summary(summary: dict, out: Path) -> None:
    redone = f" ({summary['redone']} redone: inputs or options changed)" if summary["redone"] else ""
    print(f"{summary['pairs']} pairs: {summary['done']} done{redone}, {summary['skipped']} skipped "
          f"(already in {out}), {summary['failed']} failed  [{summary['seconds']:.1f} s]")
    failed = [r for r in summary["results"] if r["status"] == "failed"]
    if failed:
        width = max(len(r["name"]) for r in failed)
        print("\nfailed:")
        for r in failed:
            print(f"  {r['name']:<{width}}  {r['reason']}")
    if summary["issues_by_kind"]:
        width = max(len(k) for k in summary["issues_by_kind"])
        print("\nissues by kind:")
        for kind, count in summary["issues_by_kind"].items():
            print(f"  {kind:<{width}}  {count:>6}")


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
