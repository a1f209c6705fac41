"""A 100-page book pair end to end (``align.check``), with an empty embedding cache and again warm.

    python bench/book.py                    # ~5,000 sentences a side: cold, warm, rechecked
    python bench/book.py --profile          # also the top functions by own time, per run

The rechecked run also times each checker alone on its alignment, after the timed run.

The book is built from the Text+Berg development set (German-French, one sentence a line, in
``shared/bench/textberg-dev``; nothing of it is stored in the repository): its gold alignment is
cut into blocks at places where both sides break cleanly, and the set is repeated with the blocks
shuffled the same way on both sides. Each repetition also varies every sentence the same way on
both sides (a dash or other mark in front, detokenised punctuation, no final stop), so the
strings differ between repetitions and a cold run really encodes about 5,000 sentences a side
instead of finding the repeats in the cache. The gold alignment comes along, so the run reports
strict and lax F1 as a sanity check.

Each run is a fresh process: ``cold`` with an empty cache folder (the model loads, every
sentence and window is encoded, every checker runs; the German and French lemma tables, which a
machine builds once whatever the documents, are built before it and timed on their own), ``warm``
with the same folder (a second run of the same command: embeddings and the report come from the
cache), and ``rechecked``: the same, with the cached report deleted first, so that every checker
runs again on embeddings from the cache (what a second run costs after any change that the
report's key sees, such as another glossary). Stage times come from the aligner's ``progress``
callback; the table goes to stdout, the figures to ``bench/out/book.json``. Targets on 2 cores:
cold < 60 s, warm < 10 s.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import pstats
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))  # run as a script from anywhere

DEV = REPO.parent / "shared" / "bench" / "textberg-dev"
OUT = REPO / "bench" / "out"
BOOK = OUT / "book"
TARGETS = {"cold_s": 60.0, "warm_s": 10.0}
RUNS = ("cold", "warm", "rechecked")
BLOCK_BEADS = (8, 40)  # a "paragraph block" holds this many gold beads (drawn uniformly)

Bead = tuple[tuple[int, ...], tuple[int, ...]]


# --- building the book ---------------------------------------------------------------------------


def clean_cuts(gold: list[Bead]) -> list[int]:
    """Bead positions k where beads[:k] and beads[k:] use disjoint, ordered lines on both sides."""
    def last(side: int, bead: Bead, default: int) -> int:
        return max(bead[side], default=default)

    cuts, seen_src, seen_tgt = [], -1, -1
    rest_src = _suffix_min([min(b[0], default=10**9) for b in gold])
    rest_tgt = _suffix_min([min(b[1], default=10**9) for b in gold])
    for k, bead in enumerate(gold[:-1], 1):
        seen_src, seen_tgt = max(seen_src, last(0, bead, -1)), max(seen_tgt, last(1, bead, -1))
        if seen_src < rest_src[k] and seen_tgt < rest_tgt[k]:
            cuts.append(k)
    return cuts


def _suffix_min(values: list[int]) -> list[int]:
    out, low = [0] * (len(values) + 1), 10**9
    out[-1] = low
    for k in range(len(values) - 1, -1, -1):
        low = min(low, values[k])
        out[k] = low
    return out


def blocks(gold: list[Bead], n_src: int, n_tgt: int, rng) -> list[tuple[range, range, list[Bead]]]:
    """Consecutive gold beads grouped into blocks: (source lines, target lines, beads renumbered)."""
    allowed, cuts, size = set(clean_cuts(gold)), [0], rng.integers(*BLOCK_BEADS)
    for k in range(1, len(gold)):
        if k in allowed and k - cuts[-1] >= size:
            cuts.append(k)
            size = rng.integers(*BLOCK_BEADS)
    cuts.append(len(gold))
    starts_src = [min((i for b in gold[a:] for i in b[0]), default=n_src) for a in cuts[:-1]] + [n_src]
    starts_tgt = [min((j for b in gold[a:] for j in b[1]), default=n_tgt) for a in cuts[:-1]] + [n_tgt]
    starts_src[0] = starts_tgt[0] = 0  # lines no bead covers belong to the block they sit in
    out = []
    for k in range(len(cuts) - 1):
        src, tgt = range(starts_src[k], starts_src[k + 1]), range(starts_tgt[k], starts_tgt[k + 1])
        beads = [(tuple(i - src.start for i in s), tuple(j - tgt.start for j in t)) for s, t in gold[cuts[k] : cuts[k + 1]]]
        out.append((src, tgt, beads))
    return out


PREFIXES = ("", "– ", "… ", "* ")  # a dialogue dash, a trailing-off start, a list mark


def vary(line: str, variant: int) -> str:
    """The same sentence, written a little differently (variant 0 leaves it as it is)."""
    flags = variant // len(PREFIXES)
    if flags & 1:  # detokenised: "Berg , der" -> "Berg, der"; "d' une" -> "d'une"
        line = re.sub(r"\s+([,.;:!?)»“])", r"\1", line)
        line = re.sub(r"([(«„])\s+", r"\1", line)
        line = re.sub(r"(\w[’'])\s+", r"\1", line)
    if flags & 2:
        line = re.sub(r"\s*[.!?;:]+\s*$", "", line) or line
    return PREFIXES[variant % len(PREFIXES)] + line


def build_book(sentences: int, seed: int = 0) -> dict:
    from align.evaluate import format_bead, read_alignment

    de = (DEV / "de.txt").read_text(encoding="utf-8").splitlines()
    fr = (DEV / "fr.txt").read_text(encoding="utf-8").splitlines()
    gold = read_alignment(DEV / "gold.txt")
    rng = np.random.default_rng(seed)
    parts = blocks(gold, len(de), len(fr), rng)
    repeats = max(1, round(sentences / len(de)))
    out_de, out_fr, out_gold = [], [], []
    for variant in range(repeats):
        for k in rng.permutation(len(parts)):
            src, tgt, beads = parts[k]
            base_s, base_t = len(out_de), len(out_fr)
            out_de += [vary(de[i].strip(), variant) for i in src]
            out_fr += [vary(fr[j].strip(), variant) for j in tgt]
            out_gold += [([i + base_s for i in s], [j + base_t for j in t]) for s, t in beads]
    BOOK.mkdir(parents=True, exist_ok=True)
    (BOOK / "de.txt").write_text("\n".join(out_de) + "\n", encoding="utf-8")
    (BOOK / "fr.txt").write_text("\n".join(out_fr) + "\n", encoding="utf-8")
    (BOOK / "gold.txt").write_text("".join(format_bead(s, t) + "\n" for s, t in out_gold), encoding="utf-8")
    return {"de_sentences": len(out_de), "fr_sentences": len(out_fr), "blocks": len(parts), "repeats": repeats,
            "distinct_de": len(set(out_de)), "distinct_fr": len(set(out_fr))}


# --- one run, in its own process -----------------------------------------------------------------


def one_run(cache_dir: str, run: str, profile: bool) -> dict:
    os.environ["ALIGN_CACHE_DIR"] = cache_dir
    cold = run == "cold"
    started = time.perf_counter()
    from align import pipeline
    from align.cache import REPORT_FILE
    from align.embed import load_encoder
    from align.evaluate import as_pairs, read_alignment, score

    stages: dict[str, float] = {"import": time.perf_counter() - started}
    if run == "rechecked":
        (Path(cache_dir) / REPORT_FILE).unlink(missing_ok=True)
    encoder = load_encoder()
    if cold:  # time the model's load on its own (a warm run never loads it: all hits)
        t0 = time.perf_counter()
        encoder.inner.encode(["."])
        stages["model load"] = time.perf_counter() - t0
    marks: list[tuple[str, float]] = []
    profiler = cProfile.Profile() if profile else None
    t0 = time.perf_counter()
    if profiler:
        profiler.enable()
    report = pipeline.check(
        BOOK / "de.txt", BOOK / "fr.txt", presplit=True, src_lang="de", tgt_lang="fr", encoder=encoder,
        progress=lambda stage, _: marks.append((stage, time.perf_counter())),
    )
    if profiler:
        profiler.disable()
    end = time.perf_counter()
    marks = [m for k, m in enumerate(marks) if k == 0 or m[0] != marks[k - 1][0]]  # where each stage starts
    stages["read + segment"] = marks[0][1] - t0
    for (name, at), (_, after) in zip(marks, marks[1:]):
        stages[name] = after - at
    stages["checks"] = end - marks[-1][1]
    scores = score(read_alignment(BOOK / "gold.txt"), as_pairs(report.alignment.beads))
    result = {
        "run": run,
        "seconds": round(end - started, 2),  # the whole process but the interpreter's start
        "stages_s": {k: round(v, 2) for k, v in stages.items()},
        "texts_encoded": encoder.stats.misses,
        "texts_from_cache": encoder.stats.hits,
        "beads": len(report.alignment.beads),
        "issues": len(report.issues),
        "strict_f1": round(scores.strict_f1, 4),
        "lax_f1": round(scores.lax_f1, 4),
    }
    if profiler:
        result["profile"] = _top(profiler)
    if run == "rechecked":  # each checker alone on the same alignment, after the timed run (not in its figure)
        result["checker_s"] = _time_checkers(report.alignment, encoder)
    return result


def _time_checkers(alignment, encoder) -> dict[str, float]:
    from align.checks import CHECKERS, CheckContext
    from align.lexicon import prefetch_lemmas

    ctx = CheckContext(alignment, encoder=encoder)
    for document in (ctx.source, ctx.target):
        prefetch_lemmas(document.texts, document.lang)
    seconds = {}
    for checker in CHECKERS:
        started = time.perf_counter()
        checker.check(ctx)
        seconds[checker.__name__.rsplit(".", 1)[-1]] = round(time.perf_counter() - started, 2)
    return seconds


def _top(profiler: cProfile.Profile, count: int = 20) -> list[str]:
    stream = io.StringIO()
    pstats.Stats(profiler, stream=stream).sort_stats("tottime").print_stats(count)
    lines = [ln for ln in stream.getvalue().splitlines() if ln.strip()]
    start = next(k for k, ln in enumerate(lines) if ln.lstrip().startswith("ncalls"))
    return lines[start : start + count + 1]


# What an installation does once, whatever the documents: the German and French lemma tables
# (built into the cache folder) and the aligner's compiled dynamic programme (numba keeps it
# beside align/dp.py), here on two lines a side with made-up embeddings.
_ONE_TIME_SETUP = """
import numpy as np
from align import lemmas
from align.aligner import align_segments
lemmas.table_path('de'); lemmas.table_path('fr')
align_segments(['a', 'b'], ['c', 'd'], lambda texts: np.eye(len(texts), 4, dtype=np.float32))
"""


def one_time_setup(cache_dir: str) -> float:
    """Do the one-time set-up first, in its own process; the cold run then times what a new
    document costs: an empty cache folder."""
    code = _ONE_TIME_SETUP
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", code], env={**os.environ, "ALIGN_CACHE_DIR": cache_dir}, cwd=REPO, check=True)
    return round(time.perf_counter() - started, 1)


def run_fresh(cache_dir: str, run: str, profile: bool) -> dict:
    args = [sys.executable, __file__, "--one", run, "--cache", cache_dir]
    done = subprocess.run(args + (["--profile"] if profile else []), capture_output=True, text=True, check=False)
    if done.returncode != 0:
        return {"run": run, "error": (done.stderr.strip().splitlines() or ["?"])[-1]}
    return json.loads(done.stdout.strip().splitlines()[-1])


# --- the driver ----------------------------------------------------------------------------------


def table(runs: list[dict]) -> str:
    names = list(dict.fromkeys(k for r in runs for k in r.get("stages_s", {})))
    head = "| stage | " + " | ".join(r["run"] for r in runs) + " |"
    lines = [head, "|---|" + "---:|" * len(runs)]
    for name in names:
        cells = [f"{r['stages_s'][name]:.2f}" if name in r.get("stages_s", {}) else "-" for r in runs]
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    lines.append("| **total (s)** | " + " | ".join(f"**{r['seconds']:.2f}**" if "seconds" in r else r["error"] for r in runs) + " |")
    for key, label in (("texts_encoded", "texts encoded"), ("texts_from_cache", "texts from cache"),
                       ("strict_f1", "strict F1"), ("lax_f1", "lax F1"), ("issues", "issues")):
        lines.append(f"| {label} | " + " | ".join(str(r.get(key, "-")) for r in runs) + " |")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sentences", type=int, default=5000, help="about this many source sentences (default 5000)")
    parser.add_argument("--profile", action="store_true", help="add the top functions by own time to each run")
    parser.add_argument("--one", choices=RUNS, help=argparse.SUPPRESS)
    parser.add_argument("--cache", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(one_run(args.cache, args.one, args.profile)))
        return 0
    command = "python bench/book.py" + (f" --sentences {args.sentences}" if args.sentences != 5000 else "") + (
        " --profile" if args.profile else "")
    book = build_book(args.sentences)
    print(f"book: {book['de_sentences']:,} de / {book['fr_sentences']:,} fr sentences "
          f"({book['distinct_de']:,} / {book['distinct_fr']:,} distinct), {book['blocks']} blocks x {book['repeats']}",
          file=sys.stderr)
    runs: list[dict] = []
    with tempfile.TemporaryDirectory(prefix="align-book-cache-") as cache:
        book["setup_s"] = one_time_setup(cache)
        print(f"one-time set-up (lemma tables, compiled DP): {book['setup_s']} s, not in the cold run", file=sys.stderr)
        for run in RUNS:
            runs.append(run_fresh(cache, run, args.profile))
            print(f"{runs[-1]['run']}: {runs[-1].get('seconds', runs[-1].get('error'))} s", file=sys.stderr)
            _save(command, book, runs)  # a long run's figures survive an interrupted second run
    load = os.getloadavg()
    print(f"$ {command}\n")
    print(f"Book: {book['de_sentences']:,} German / {book['fr_sentences']:,} French sentences, presplit; "
          f"{os.cpu_count()} cores, load average {load[0]:.1f}. The one-time set-up (lemma tables, "
          f"compiled DP) was done first ({book['setup_s']} s, once per installation).\n")
    print(table(runs))
    for r in runs:
        if "seconds" in r and f"{r['run']}_s" in TARGETS:
            target = TARGETS[f"{r['run']}_s"]
            print(f"- {r['run']}: {r['seconds']:.1f} s (target < {target:.0f} s): {'met' if r['seconds'] < target else 'MISSED'}")
        if "checker_s" in r:
            print(f"  each checker alone ({r['run']}, s): " + ", ".join(f"{k} {v:.2f}" for k, v in r["checker_s"].items()))
        for line in r.get("profile", []):
            print(f"    {line}")
    _save(command, book, runs)
    return 0


def _save(command: str, book: dict, runs: list[dict]) -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "book.json").write_text(json.dumps(
        {"command": command, "book": book, "cores": os.cpu_count(), "load_average": os.getloadavg(),
         "targets": TARGETS, "runs": runs}, indent=2))


if __name__ == "__main__":
    sys.exit(main())
