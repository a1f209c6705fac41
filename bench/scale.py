"""How the aligner scales with document length, embeddings given (no encoder involved).

    python bench/scale.py                      # 1k, 2k, 5k, 10k, 20k and 50k sentences a side
    python bench/scale.py --sizes 1000 20000   # some of them
    python bench/scale.py --joined-windows     # the path of encoders that cannot compose windows

A synthetic pair per size: the source is random unit vectors (512 dimensions, as the bundled
encoder's); the target walks the source and makes, per source sentence, a noisy copy (1-1), a
deletion (1-0), an insertion (0-1), a split (1-2: the source vector is the sum of two "halves",
each target piece carries one) or a merge (2-1: the target carries the sum of two source
sentences). A window of several sentences (what the final pass asks the encoder for) embeds as
the normalised sum of its members' vectors plus noise. Texts are letter ids padded to a
realistic, correlated length, with no digits (so the number bonus never fires). By default the
synthetic encoder also composes windows (``encode_windows``), as the bundled encoder does, and
the aligner asks for every window at once and runs one pass over them; with ``--joined-windows``
it runs the draft and the final pass, encoding only the final pass's windows as joined texts.

Each size runs in a fresh subprocess (after a small warm-up alignment, so numba's JIT is not
timed) and reports wall time per stage, the time spent in the synthetic encoder (not the
aligner's), peak resident memory (``ru_maxrss``) and strict/lax F1 against the synthetic truth.
The markdown table goes to stdout, the figures to ``bench/out/scale.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))  # run as a script from anywhere
OUT = REPO / "bench" / "out" / "scale.json"
DIM = 512
SIZES = (1_000, 2_000, 5_000, 10_000, 20_000, 50_000)
# Probability of each thing the translator did with the next source sentence.
OPERATIONS = {"copy": 0.86, "delete": 0.02, "insert": 0.02, "split": 0.05, "merge": 0.05}
COPY_NOISE = 2.7  # cosine of a sentence and its translation about 1 / sqrt(1 + 2.7^2) = 0.35, z about 8 (as with USE)
WINDOW_NOISE = 0.6
TARGETS = {"time_s_20k": 20.0, "rss_mb_20k": 2048, "rss_mb_50k": 4096}


# --- the synthetic pair --------------------------------------------------------------------------


def letters(k: int) -> str:
    """A digit-free id: 0 -> 'a', 25 -> 'z', 26 -> 'ba' ..."""
    out = ""
    while True:
        out = chr(97 + k % 26) + out
        k //= 26
        if k == 0:
            return out


class SyntheticPair:
    """Source and target texts, their vectors by id, and the true beads."""

    def __init__(self, n: int, seed: int = 0) -> None:
        self.rng = np.random.default_rng(seed)
        self.vectors: dict[str, np.ndarray] = {}
        self.src: list[str] = []
        self.tgt: list[str] = []
        self.truth: list[tuple[tuple[int, ...], tuple[int, ...]]] = []
        ops, probs = zip(*OPERATIONS.items())
        while len(self.src) < n:
            self._step(self.rng.choice(ops, p=probs))

    def _unit(self, x: np.ndarray) -> np.ndarray:
        return (x / np.linalg.norm(x)).astype(np.float32)

    def _content(self) -> np.ndarray:
        return self._unit(self.rng.normal(size=DIM))

    def _noisy(self, x: np.ndarray, scale: float = COPY_NOISE) -> np.ndarray:
        return self._unit(x / np.linalg.norm(x) + scale * self._content())

    def _add(self, side: list[str], prefix: str, vector: np.ndarray, length: float) -> int:
        key = f"{prefix}{letters(len(side))}"
        self.vectors[key] = vector
        side.append(key + ":" + "x" * max(1, int(length) - len(key) - 1))  # no spaces: windows split on them
        return len(side) - 1

    def _length(self) -> float:
        return float(np.clip(self.rng.lognormal(np.log(110), 0.5), 12, 600))

    def _translated_length(self, length: float) -> float:
        return length * 1.12 * float(self.rng.lognormal(0, 0.12))

    def _step(self, op: str) -> None:
        if op == "copy":
            c, length = self._content(), self._length()
            i = self._add(self.src, "s", c, length)
            j = self._add(self.tgt, "t", self._noisy(c), self._translated_length(length))
            self.truth.append(((i,), (j,)))
        elif op == "delete":
            i = self._add(self.src, "s", self._content(), self._length())
            self.truth.append(((i,), ()))
        elif op == "insert":
            j = self._add(self.tgt, "t", self._content(), self._length())
            self.truth.append(((), (j,)))
        elif op == "split":  # one source sentence, its two halves translated apart
            c1, c2, l1, l2 = self._content(), self._content(), self._length() / 2, self._length() / 2
            i = self._add(self.src, "s", self._unit(c1 + c2), l1 + l2)
            j1 = self._add(self.tgt, "t", self._noisy(c1), self._translated_length(l1))
            j2 = self._add(self.tgt, "t", self._noisy(c2), self._translated_length(l2))
            self.truth.append(((i,), (j1, j2)))
        else:  # merge: two source sentences become one
            c1, c2, l1, l2 = self._content(), self._content(), self._length() / 2, self._length() / 2
            i1 = self._add(self.src, "s", c1, l1)
            i2 = self._add(self.src, "s", c2, l2)
            j = self._add(self.tgt, "t", self._noisy(c1 + c2), self._translated_length(l1 + l2))
            self.truth.append(((i1, i2), (j,)))

    def encode(self, texts: list[str]) -> np.ndarray:
        """A sentence's vector as made above; a window's is the sum of its members' plus noise."""
        out = np.empty((len(texts), DIM), dtype=np.float32)
        for row, text in enumerate(texts):
            keys = [piece.split(":", 1)[0] for piece in text.split(" ")]
            if len(keys) == 1:
                out[row] = self.vectors[keys[0]]
            else:
                out[row] = self._noisy(np.sum([self.vectors[k] for k in keys], axis=0), WINDOW_NOISE)
        return out

    def encode_windows(self, texts, windows) -> np.ndarray:
        return self.encode([" ".join(texts[i : i + a]) for i, a in windows])


# --- one size, in this process -------------------------------------------------------------------


def measure(n: int, composed: bool) -> dict:
    from align.aligner import AlignConfig, align_segments
    from align.evaluate import as_pairs, score

    warm = SyntheticPair(60, seed=1)
    align_segments(warm.src, warm.tgt, warm.encode, AlignConfig(),  # compile / load the JIT cache
                   encode_windows=warm.encode_windows if composed else None)
    rss_before = _rss_mb()

    pair = SyntheticPair(n)
    encoder_calls: list[float] = []  # seconds per call: sentences, then merged windows
    texts_encoded: list[int] = []

    def timed(encode):
        def run(*args) -> np.ndarray:
            t0 = time.perf_counter()
            try:
                return encode(*args)
            finally:
                encoder_calls.append(time.perf_counter() - t0)
                texts_encoded.append(len(args[-1]))
        return run

    marks: list[tuple[str, float]] = []
    started = time.perf_counter()
    beads = align_segments(pair.src, pair.tgt, timed(pair.encode), AlignConfig(),
                           encode_windows=timed(pair.encode_windows) if composed else None,
                           progress=lambda stage, _: marks.append((stage, time.perf_counter() - started)))
    total = time.perf_counter() - started
    scores = score(pair.truth, as_pairs(beads))
    marks = [m for k, m in enumerate(marks) if k == 0 or m[0] != marks[k - 1][0]]  # where each stage starts
    stage = {name: marks[k + 1][1] - at for k, (name, at) in enumerate(marks[:-1])}
    calls = encoder_calls + [0.0, 0.0]
    if composed:  # one pass: every window embedded up front
        aligner_stages = {
            "prepare": stage["embedding sentences and their windows"] - sum(encoder_calls),
            "anchors": stage["finding anchors"],
            "draft": 0.0,
            "final": stage["aligning"],
        }
    else:  # wall time of the aligner's own work, the synthetic encoder's taken out
        aligner_stages = {
            "prepare": stage["embedding sentences"] - calls[0],
            "anchors": stage["finding anchors"],
            "draft": stage["drafting"],
            "final": stage["embedding merged windows"] - calls[1] + stage["aligning"],
        }
    return {
        "n_src": len(pair.src),
        "n_tgt": len(pair.tgt),
        "seconds_total": round(total, 3),
        "seconds_encoder": round(sum(encoder_calls), 3),
        "seconds_aligner": round(total - sum(encoder_calls), 3),
        "aligner_stages_s": {k: round(v, 3) for k, v in aligner_stages.items()},
        "windows": "composed" if composed else "joined",
        "texts_encoded": texts_encoded,  # per call: both sides' windows, or sentences then merged windows
        "peak_rss_mb": round(_rss_mb(), 1),
        "rss_before_mb": round(rss_before, 1),
        "strict_f1": round(scores.strict_f1, 4),
        "lax_f1": round(scores.lax_f1, 4),
        "true_shapes": _shapes(pair.truth),
        "found_shapes": _shapes(as_pairs(beads)),
    }


def _shapes(beads) -> dict[str, int]:
    from collections import Counter

    return dict(Counter(f"{len(s)}-{len(t)}" for s, t in beads).most_common())


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


# --- the driver ----------------------------------------------------------------------------------


def run_fresh(n: int, composed: bool) -> dict:
    """``measure(n)`` in a new interpreter, so peak memory is this size's alone."""
    command = [sys.executable, __file__, "--one", str(n)] + ([] if composed else ["--joined-windows"])
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        return {"n_src": n, "error": (done.stderr.strip().splitlines() or ["exit %d" % done.returncode])[-1]}
    return json.loads(done.stdout)


def table(rows: list[dict]) -> str:
    lines = [
        "| sentences (src x tgt) | aligner s | encoder s (synthetic) | anchors s | draft s | final s | peak RSS MB | strict F1 | lax F1 |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        if "error" in r:
            lines.append(f"| {r['n_src']} | failed: {r['error']} |||||||| ")
            continue
        st = r["aligner_stages_s"]
        lines.append(
            f"| {r['n_src']:,} x {r['n_tgt']:,} | {r['seconds_aligner']:.2f} | {r['seconds_encoder']:.2f} | "
            f"{st['anchors']:.2f} | {st['draft']:.2f} | {st['final']:.2f} | "
            f"{r['peak_rss_mb']:.0f} | {r['strict_f1']:.4f} | {r['lax_f1']:.4f} |"
        )
    return "\n".join(lines)


def verdicts(rows: list[dict]) -> list[str]:
    by_n = {r["n_src"]: r for r in rows if "error" not in r}
    out = []
    if 20_000 in by_n:
        r = by_n[20_000]
        out.append(f"20k x 20k: {r['seconds_aligner']:.1f} s (target < {TARGETS['time_s_20k']:.0f} s), "
                   f"{r['peak_rss_mb']:.0f} MB (target < {TARGETS['rss_mb_20k']} MB)")
    if 50_000 in by_n:
        out.append(f"50k x 50k: {by_n[50_000]['peak_rss_mb']:.0f} MB (target < {TARGETS['rss_mb_50k']} MB)")
    sizes = sorted(by_n)
    if len(sizes) >= 2:
        small, big = by_n[sizes[0]], by_n[sizes[-1]]
        growth = (big["seconds_aligner"] / small["seconds_aligner"]) / (big["n_src"] / small["n_src"])
        out.append(f"time per sentence, {sizes[-1]:,} vs {sizes[0]:,}: x{growth:.2f} (1.0 = linear)")
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=list(SIZES), metavar="N")
    parser.add_argument("--joined-windows", action="store_true", help="the draft and final passes over joined windows")
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)  # internal: measure one size, print JSON
    args = parser.parse_args()
    if args.one:
        print(json.dumps(measure(args.one, not args.joined_windows)))
        return 0
    command = "python bench/scale.py" + ("" if args.sizes == list(SIZES) else " --sizes " + " ".join(map(str, args.sizes)))
    command += " --joined-windows" if args.joined_windows else ""
    rows = []
    for n in args.sizes:
        rows.append(run_fresh(n, not args.joined_windows))
        print(f"  {n:,}: done", file=sys.stderr)
    text = table(rows)
    notes = verdicts(rows)
    print(f"$ {command}\n\n{text}\n")
    for note in notes:
        print(f"- {note}")
    load = os.getloadavg()
    print(f"- machine: {os.cpu_count()} cores, load average {load[0]:.1f} (other work on the machine slows every figure)")
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps({
        "command": command, "python": platform.python_version(), "cores": os.cpu_count(),
        "load_average": load, "targets": TARGETS, "results": rows, "notes": notes,
    }, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
