"""How well the omission checker finds a clause lost inside a bead, and what it flags on clean text.

    python bench/lost_clauses.py [--plants 40] [--seeds 0,1,2] [--tests clauses,members] [--show]

Two gold-aligned corpora (the demo pair, pl-en, and the Text+Berg dev set, de-fr; see bench/qa.py).
The checker's clause test reads one bead at a time, so many plants go into one copy of a corpus:

- ``clean``: the gold alignment as it is. Every flag there is a clause the checker thinks lost;
  Text+Berg's translation does leave things out, so these are not all false (``--show`` lists them);
- ``cut``: in beads the clause test reads (merged, or long), one clause of the target is deleted,
  so the source clause it rendered is lost;
- ``merge``: a 1-1 pair's target is deleted and its source joins the next 1-1 pair's bead, as the
  aligner does with a source sentence left without a counterpart.

Two tests report omissions inside a bead: ``clauses`` (a source clause without which the source
matches the target better) and ``members`` (a sentence of a merged bead that matches the bead's
target no better than random sentence pairs). ``--tests`` picks them; the checker runs both.

Recall is planted beads flagged / planted beads; "other flags" are flags on beads not planted.
"""

from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from qa import Corpus, load_corpus  # noqa: E402

from align.checks import coverage  # noqa: E402
from align.checks.base import CheckContext  # noqa: E402
from align.embed import load_encoder  # noqa: E402
from align.lexicon import content_words  # noqa: E402
from align.pipeline import make_document  # noqa: E402
from align.types import Alignment, Bead  # noqa: E402


def lost_clause_beads(corpus: Corpus, beads: list[Bead], target_texts: list[str], encoder, tests: set[str]) -> set[Bead]:
    """The beads the checker reports an omission in (the gold source, these target lines)."""
    target = make_document("\n".join(target_texts), corpus.lang, presplit=True)
    assert target.texts == target_texts, "a target line was re-split"
    ctx = CheckContext(Alignment(corpus.source, target, tuple(beads)), encoder=encoder)
    issues = coverage._lost_clauses(ctx) if "clauses" in tests else []
    issues += [i for i in coverage._unmatched_members(ctx) if i.kind == "omission"] if "members" in tests else []
    return {b for b in beads for i in issues if i.src and set(i.src) <= set(b.src) and i.tgt == b.tgt}


def read_by_clause_test(corpus: Corpus, bead: Bead) -> bool:
    src = " ".join(corpus.source.texts[i] for i in bead.src)
    merged = len(bead.src) > 1 or len(bead.tgt) > 1
    return bool(bead.src and bead.tgt) and (merged or len(src) >= coverage.LONG_BEAD_CHARS) and len(coverage.clauses(src)) >= 2


def plant_cuts(corpus: Corpus, rng: random.Random, count: int) -> tuple[list[Bead], list[str], set[Bead]]:
    texts = corpus.target.texts
    options = [b for b in corpus.gold if read_by_clause_test(corpus, b) and len(coverage.clauses(texts[b.tgt[-1]])) >= 2]
    chosen = rng.sample(options, min(count, len(options)))
    for bead in chosen:
        parts = coverage.clauses(texts[bead.tgt[-1]])
        drop = rng.randrange(len(parts))
        texts[bead.tgt[-1]] = " ".join(p for k, p in enumerate(parts) if k != drop)
    return list(corpus.gold), texts, set(chosen)


def plant_merges(corpus: Corpus, rng: random.Random, count: int) -> tuple[list[Bead], list[str], set[Bead]]:
    gold, lang = list(corpus.gold), corpus.source.lang
    one_one = [len(b.src) == 1 and len(b.tgt) == 1 for b in gold]
    options = [k for k in range(len(gold) - 1) if one_one[k] and one_one[k + 1]
               and len(content_words(corpus.source.texts[gold[k].src[0]], lang)) >= coverage.CLAUSE_MIN_WORDS]
    taken: set[int] = set()
    for k in rng.sample(options, len(options)):
        if len(taken) < count and not taken & {k - 1, k, k + 1, k + 2}:
            taken.add(k)
    beads, planted = [], set()
    for k, bead in enumerate(gold):
        if k in taken:  # its target stays as a 0-1 bead; its source goes into the next bead
            beads.append(Bead((), bead.tgt, 1.0))
        elif k - 1 in taken:
            merged = Bead(gold[k - 1].src + bead.src, bead.tgt, 1.0)
            beads.append(merged)
            planted.add(merged)
        else:
            beads.append(bead)
    return beads, corpus.target.texts, planted


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--plants", type=int, default=40, help="beads planted per corpus, seed and kind")
    parser.add_argument("--seeds", default="0,1,2")
    parser.add_argument("--tests", default="clauses,members", help="which tests report: clauses, members or both")
    parser.add_argument("--show", action="store_true", help="print the clean flags")
    args = parser.parse_args()
    tests = set(args.tests.split(","))
    encoder = load_encoder()
    print("| corpus | beads read by the clause test | clean flags | plant | seed | recall | other flags |")
    print("|---|---:|---:|---|---:|---|---:|")
    for name in ("demo", "textberg"):
        corpus = load_corpus(name)
        read = sum(read_by_clause_test(corpus, b) for b in corpus.gold)
        clean = lost_clause_beads(corpus, list(corpus.gold), corpus.target.texts, encoder, tests)
        for seed in (int(s) for s in args.seeds.split(",")):
            for kind, plant in (("cut", plant_cuts), ("merge", plant_merges)):
                beads, texts, planted = plant(corpus, random.Random(seed), args.plants)
                flagged = lost_clause_beads(corpus, beads, texts, encoder, tests)
                print(f"| {name} | {read} | {len(clean)} | {kind} | {seed} | {len(flagged & planted)}/{len(planted)} "
                      f"| {len(flagged - planted)} |")
        if args.show:
            for bead in sorted(clean, key=lambda b: b.src):
                print(f"\n{bead}\n  {' '.join(corpus.source.texts[i] for i in bead.src)}\n  {' '.join(corpus.target.texts[j] for j in bead.tgt)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
