"""Speed of the bundled encoder (USE multilingual v3) on this machine, with and without the cache.

    python bench/embed_speed.py [--n 2000]

Texts: the sentences of the English demo seed, the lines of the Text+Berg dev pair (German,
French) and two-line windows of the dev pair (the kind of group text the aligner embeds). Prints a
markdown table of texts per second for each kind, uncached, then for all of them (up to ``--n``)
uncached, into an empty cache (encode + write) and from a warm cache, and how much float16 storage
moves cosine scores. Last, what the aligner really asks of the bundled encoder: every sentence of
the dev pair and every window of 2 to 5 of them, composed (``align.use``), against the same
windows encoded as joined texts. And, since those come from one short document, the same over
long distinct text (``--prose``, 5,000 sentences): English prose from the documentation of the
packages installed beside align (their PyPI descriptions and module docstrings, read from
site-packages at run time), every sentence and every window of 2 to 5 of them, composed, as the
aligner asks for a book's side.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import sys
import sysconfig
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from align.cache import EmbeddingCache  # noqa: E402
from align.embed import CachedEncoder, UseEncoder  # noqa: E402

SHARED = Path(os.environ.get("ALIGN_SHARED", Path(__file__).resolve().parents[2] / "shared"))
DEV = SHARED / "bench" / "textberg-dev"
SEED = SHARED / "seeds" / "000_7563b8bfa2c0009c.txt"


def read_lines(path: Path) -> list[str]:
    return [line.strip() for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def text_kinds() -> dict[str, list[str]]:
    de, fr = read_lines(DEV / "de.txt"), read_lines(DEV / "fr.txt")
    english = [s for line in read_lines(SEED) for s in re.split(r"(?<=[.!?])\s+", line) if s]
    windows = [f"{a} {b}" for lines in (de, fr) for a, b in zip(lines, lines[1:])]
    kinds = {"demo sentences": english, "Text+Berg lines": de + fr, "two-line Text+Berg windows": windows}
    return {label: list(dict.fromkeys(texts)) for label, texts in kinds.items()}


_PROSE = re.compile(r"[a-z]{3,} [a-z]{3,} [a-z]{3,}")  # three lower-case words in a row
_MARKUP = re.compile(r"[{}<>=|`#*\[\]]")


def package_prose(n: int, modules: int = 3000) -> list[str]:
    """Up to ``n`` distinct English sentences from the installed packages' documentation, shuffled
    with a fixed seed: long text with the spread of vocabulary of a real book (no repeats)."""
    site = Path(sysconfig.get_paths()["purelib"])
    bodies = [f.read_text(encoding="utf-8", errors="ignore").split("\n\n", 1)[-1] for f in sorted(site.glob("*.dist-info/METADATA"))]
    for f in sorted(site.glob("*/*.py"))[:modules]:
        bodies.append(" ".join(re.findall(r'"""(.*?)"""', f.read_text(encoding="utf-8", errors="ignore"), re.S)))
    sentences = [s for body in bodies for s in re.split(r"(?<=[.!?])\s+", re.sub(r"\s+", " ", body))
                 if 40 <= len(s) <= 300 and _PROSE.search(s) and not _MARKUP.search(s)]
    sentences = list(dict.fromkeys(sentences))
    random.Random(0).shuffle(sentences)
    return sentences[:n]


def bench_texts(n: int) -> list[str]:
    return list(dict.fromkeys(text for texts in text_kinds().values() for text in texts))[:n]


def best_of(repeat: int, fn):
    """(result, seconds) of the fastest of ``repeat`` runs: the machine may be shared."""
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        runs.append((time.perf_counter() - start, result))
    seconds, result = min(runs, key=lambda run: run[0])
    return result, seconds


def into_empty_cache(encoder: UseEncoder, texts: list[str]) -> np.ndarray:
    with tempfile.TemporaryDirectory() as tmp:
        return CachedEncoder(encoder, EmbeddingCache(tmp)).encode(texts)


def from_warm_cache(encoder: UseEncoder, texts: list[str], folder: str) -> np.ndarray:
    warm = CachedEncoder(encoder, EmbeddingCache(folder))  # a fresh object: nothing in memory
    vectors = warm.encode(texts)
    assert warm.stats.misses == 0, warm.stats
    return vectors


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=2000, help="number of distinct texts")
    parser.add_argument("--repeat", type=int, default=3, help="runs per figure; the fastest counts")
    parser.add_argument("--prose", type=int, default=5000, help="distinct sentences of package documentation")
    args = parser.parse_args()
    texts = bench_texts(args.n)
    load_average = os.getloadavg()[0]  # before we start: other work on a shared machine

    encoder = UseEncoder()
    _, load_s = best_of(1, lambda: encoder.encode(["warm-up"]))  # loads the model
    plain, plain_s = best_of(args.repeat, lambda: encoder.encode(texts))
    _, cold_s = best_of(args.repeat, lambda: into_empty_cache(encoder, texts))
    with tempfile.TemporaryDirectory() as tmp:
        CachedEncoder(encoder, EmbeddingCache(tmp)).encode(texts)
        cached, warm_s = best_of(args.repeat, lambda: from_warm_cache(encoder, texts, tmp))
        db_mb = sum(f.stat().st_size for f in Path(tmp).iterdir()) / 1e6

    row_cos = np.einsum("ij,ij->i", plain, cached)
    half = len(texts) // 2
    sims_plain, sims_cached = plain[:half] @ plain[half:].T, cached[:half] @ cached[half:].T
    best_same = np.mean(sims_plain.argmax(axis=1) == sims_cached.argmax(axis=1))

    print(f"{len(texts)} distinct texts, {encoder.threads} threads, best of {args.repeat}, "
          f"model load {load_s:.1f} s, load average before {load_average:.1f}\n")
    print("| run | texts | characters | seconds | texts/s |")
    print("|---|---:|---:|---:|---:|")
    for label, kind in text_kinds().items():
        _, seconds = best_of(args.repeat, lambda: encoder.encode(kind))
        chars = sum(map(len, kind)) / len(kind)
        print(f"| {label}, uncached | {len(kind)} | {chars:.0f} | {seconds:.2f} | {len(kind) / seconds:,.0f} |")
    chars = sum(map(len, texts)) / len(texts)
    for label, seconds in (("uncached", plain_s), ("empty cache (encode + write)", cold_s), ("warm cache", warm_s)):
        print(f"| all, {label} | {len(texts)} | {chars:.0f} | {seconds:.2f} | {len(texts) / seconds:,.0f} |")
    de, fr = read_lines(DEV / "de.txt"), read_lines(DEV / "fr.txt")
    windows = [(i, a) for a in range(1, 6) for i in range(len(de) - a + 1)]
    composed, composed_s = best_of(args.repeat, lambda: encoder.encode_windows(de, windows))
    joined_texts = [" ".join(de[i : i + a]) for i, a in windows]
    joined, joined_s = best_of(1, lambda: encoder.encode(joined_texts))
    chars = sum(map(len, joined_texts)) / len(joined_texts)
    for label, seconds in (("composed", composed_s), ("joined and encoded", joined_s)):
        print(f"| German sentences and their windows of 2-5 lines, {label} | {len(windows)} | {chars:.0f} | "
              f"{seconds:.2f} | {len(windows) / seconds:,.0f} |")
    prose = package_prose(args.prose)
    prose_windows = [(i, a) for a in range(1, 6) for i in range(len(prose) - a + 1)]
    _, prose_s = best_of(2, lambda: encoder.encode_windows(prose, prose_windows))
    chars = sum(len(" ".join(prose[i : i + a])) for i, a in prose_windows) / len(prose_windows)
    print(f"| {len(prose):,} distinct sentences of package documentation and their windows of 2-5, composed (best of 2) "
          f"| {len(prose_windows)} | {chars:.0f} | {prose_s:.2f} | {len(prose_windows) / prose_s:,.0f} |")
    print(f"\ncomposed vs joined windows: min cosine {np.einsum('ij,ij->i', composed, joined).min():.7f}")
    print(f"cache file: {db_mb:.1f} MB (float16)")
    print(f"float16 vs float32: min cosine(vector, stored vector) {row_cos.min():.6f}; "
          f"max |cosine score change| {np.abs(sims_plain - sims_cached).max():.2e} over {sims_plain.size:,} pairs; "
          f"best match unchanged for {best_same:.1%} of rows")


if __name__ == "__main__":
    main()
