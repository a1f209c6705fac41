"""Alignment quality: strict and lax F1 on the sets we have, with the bundled encoder.

    python bench/alignment.py [--set textberg|demo|perturbed|quarters|news|interviews|dropped|all]
                              [--setting name=value ...]

- textberg: the public Text+Berg German-French development set (``../shared/bench/textberg-dev``,
  Bleualign's dev set, one sentence a line);
- demo: the Polish-English demo pair against ``corpora/latushka-interia/gold.txt``;
- perturbed: eight variants of the demo pair with sentences joined on either side and sentences
  dropped on either side at random, so the gold holds 2-1, 1-2, 1-0 and 0-1 beads of known place;
- quarters: Text+Berg cut into four at gold bead boundaries (beads 105, 211, 316 of 422), each
  quarter aligned alone: four shorter documents, our stand-in for held-out data of the same kind.
  Besides the pooled figures it prints each quarter's strict F1 and their mean.
- news: ten Polish news documents of ours and their English translations, one segment a line
  (``bench/data/news-pl-en-align``): headlines, section labels, bylines, merged and split
  sentences, dropped and added ones.
- interviews: eleven Polish interviews of ours and their English translations as raw text, cut by
  align's segmenter, with their paragraphs (``bench/data/interviews-pl-en-raw``).
- dropped: the demo pair once for every question the English could drop (a paragraph of one
  sentence with a 1-1 gold bead): the question's translation deleted, so the gold holds a 1-0
  bead beside the answer it must not be glued onto.

``--setting`` overrides an ``AlignConfig`` field (e.g. ``--setting tau=1.5``), for tuning. The
installed FreeDict dictionaries (German-French, Polish-English) give word anchors, as they do in
``align.check``; ``--no-dictionary`` leaves them out.
Prints a markdown table and writes ``bench/out/alignment.json``.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import random
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from align.aligner import AlignConfig, align_segments  # noqa: E402
from align.embed import load_encoder, window_encoder  # noqa: E402
from align.evaluate import as_pairs, read_alignment, score  # noqa: E402
from align.lexicon import load_dictionary, word_anchors  # noqa: E402
from align.segment import segment, segment_presplit  # noqa: E402

TEXTBERG = ROOT.parent / "shared" / "bench" / "textberg-dev"
DEMO = ROOT / "corpora" / "latushka-interia"
NEWS = ROOT / "bench" / "data" / "news-pl-en-align"
INTERVIEWS = ROOT / "bench" / "data" / "interviews-pl-en-raw"


def aligner(encoder, compose: bool, dictionaries: bool = True):
    """align_segments with the encoder, its windows composed (as align.check does) or joined,
    and the word anchors of the installed dictionary between the two languages (as align.check
    takes them), unless ``dictionaries`` is off."""
    encode_windows = window_encoder(encoder) if compose else None

    def run(src, tgt, config, langs, **paragraphs):
        dictionary = load_dictionary(*langs) if dictionaries else None
        anchors = word_anchors(src, tgt, *langs, dictionary) if dictionary else None
        return align_segments(src, tgt, encoder.encode, config, encode_windows=encode_windows,
                              word_anchors=anchors, **paragraphs)

    return run


def _textberg_texts() -> tuple[list[str], list[str]]:
    """The Text+Berg set's German and French lines, one segment a line."""
    return tuple([s.text for s in segment_presplit((TEXTBERG / f"{lang}.txt").read_text(encoding="utf-8"))]
                 for lang in ("de", "fr"))


def textberg(align, config):
    src, tgt = _textberg_texts()
    return [read_alignment(TEXTBERG / "gold.txt")], [as_pairs(align(src, tgt, config, ("de", "fr")))]


def demo(align, config):
    src = segment((DEMO / "pl.txt").read_text(encoding="utf-8"), "pl")
    tgt = segment((DEMO / "en.txt").read_text(encoding="utf-8"), "en")
    beads = align(
        [s.text for s in src], [s.text for s in tgt], config, ("pl", "en"),
        src_paragraphs=[s.paragraph for s in src], tgt_paragraphs=[s.paragraph for s in tgt],
    )
    return [read_alignment(DEMO / "gold.txt")], [as_pairs(beads)]


def perturbed(align, config, variants: int = 8):
    src = [s.text for s in segment((DEMO / "pl.txt").read_text(encoding="utf-8"), "pl")]
    tgt = [s.text for s in segment((DEMO / "en.txt").read_text(encoding="utf-8"), "en")]
    beads = [([src[i] for i in s], [tgt[j] for j in t]) for s, t in read_alignment(DEMO / "gold.txt")]
    golds, tests = [], []
    for seed in range(variants):
        s, t, gold = _perturb(beads, random.Random(seed))
        golds.append(gold)
        tests.append(as_pairs(align(s, t, config, ("pl", "en"))))
    return golds, tests


def _perturb(beads, rng, join=0.12, drop=0.04):
    """Join neighbouring beads' sentences into one on one side, or drop one side of a 1-1 bead."""
    out, k = [], 0
    while k < len(beads):
        (s, t), following = beads[k], beads[k + 1] if k + 1 < len(beads) else None
        roll = rng.random()
        if following and s and t and following[0] and following[1] and roll < 2 * join:
            if roll < join:  # the translator merged two sentences
                out.append((s + following[0], [" ".join(t + following[1])]))
            else:  # the translator split one sentence
                out.append(([" ".join(s + following[0])], t + following[1]))
            k += 2
            continue
        if len(s) == 1 and len(t) == 1 and rng.random() < 2 * drop:
            out.append(([], t) if rng.random() < 0.5 else (s, []))
        else:
            out.append((s, t))
        k += 1
    src, tgt, gold = [], [], []
    for s, t in out:
        gold.append((tuple(range(len(src), len(src) + len(s))), tuple(range(len(tgt), len(tgt) + len(t)))))
        src += s
        tgt += t
    return src, tgt, gold


def quarters(align, config, parts: int = 4):
    src, tgt = _textberg_texts()
    gold = read_alignment(TEXTBERG / "gold.txt")
    golds, tests = [], []
    for k in range(parts):
        part = gold[len(gold) * k // parts : len(gold) * (k + 1) // parts]
        s0, t0 = min(i for s, _ in part for i in s), min(j for _, t in part for j in t)
        s1, t1 = max(i for s, _ in part for i in s) + 1, max(j for _, t in part for j in t) + 1
        golds.append([(tuple(i - s0 for i in s), tuple(j - t0 for j in t)) for s, t in part])
        tests.append(as_pairs(align(src[s0:s1], tgt[t0:t1], config, ("de", "fr"))))
    return golds, tests


def news(align, config):
    golds, tests = [], []
    for gold in sorted((NEWS / "gold").glob("*.txt")):
        src, tgt = ([s.text for s in segment_presplit((NEWS / lang / gold.name).read_text(encoding="utf-8"))]
                    for lang in ("pl", "en"))
        golds.append(read_alignment(gold))
        tests.append(as_pairs(align(src, tgt, config, ("pl", "en"))))
    return golds, tests


def interviews(align, config):
    golds, tests = [], []
    for gold in sorted((INTERVIEWS / "gold").glob("*.txt")):
        sides = [segment((INTERVIEWS / lang / gold.name).read_text(encoding="utf-8"), lang) for lang in ("pl", "en")]
        beads = read_alignment(gold)
        for k, side in enumerate(sides):
            if max(i for b in beads for i in b[k]) + 1 != len(side):
                raise SystemExit(f"{gold.name}: the gold was written over another segmentation; write it again")
        golds.append(beads)
        tests.append(as_pairs(align([s.text for s in sides[0]], [s.text for s in sides[1]], config, ("pl", "en"),
                                    src_paragraphs=[s.paragraph for s in sides[0]],
                                    tgt_paragraphs=[s.paragraph for s in sides[1]])))
    return golds, tests


def dropped(align, config):
    src = segment((DEMO / "pl.txt").read_text(encoding="utf-8"), "pl")
    tgt = segment((DEMO / "en.txt").read_text(encoding="utf-8"), "en")
    gold = read_alignment(DEMO / "gold.txt")
    sizes = Counter(s.paragraph for s in tgt)
    alone = {s.index for s in tgt if sizes[s.paragraph] == 1}
    questions = [k for k, (s, t) in enumerate(gold) if len(s) == len(t) == 1 and t[0] in alone
                 and tgt[t[0]].text.rstrip().endswith("?")]
    golds, tests = [], []
    for k in questions:
        gone = gold[k][1][0]
        kept = [s for s in tgt if s.index != gone]
        golds.append([(s, tuple(j - (j > gone) for j in t)) if n != k else (s, ()) for n, (s, t) in enumerate(gold)])
        tests.append(as_pairs(align([s.text for s in src], [s.text for s in kept], config, ("pl", "en"),
                                    src_paragraphs=[s.paragraph for s in src],
                                    tgt_paragraphs=[s.paragraph for s in kept])))
    return golds, tests


SETS = {"textberg": textberg, "demo": demo, "perturbed": perturbed, "quarters": quarters, "news": news,
        "interviews": interviews, "dropped": dropped}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", choices=[*SETS, "all"], default="all")
    parser.add_argument("--setting", action="append", default=[], metavar="NAME=VALUE")
    parser.add_argument("--no-dictionary", action="store_true",
                        help="leave out the word anchors of the installed FreeDict dictionaries")
    parser.add_argument("--joined-windows", action="store_true",
                        help="encode windows as joined texts (draft and final pass), as for encoders that cannot compose them")
    args = parser.parse_args()
    config = _config(args.setting)
    encoder = load_encoder()
    names = list(SETS) if args.set == "all" else [args.set]
    for name in ("textberg", "quarters"):
        if name in names and not TEXTBERG.is_dir():
            print(f"skipping {name}: {TEXTBERG} not found", file=sys.stderr)
            names.remove(name)
    rows = []
    for name in names:
        start = time.perf_counter()
        golds, tests = SETS[name](aligner(encoder, not args.joined_windows, not args.no_dictionary), config)
        seconds = time.perf_counter() - start
        each = [round(score([g], [t]).strict_f1, 3) for g, t in zip(golds, tests)]
        rows.append({"set": name, "documents": len(golds), **score(golds, tests).as_dict(), "seconds": round(seconds, 2),
                     "strict_f1_each": each})
    print(f"command: python bench/alignment.py {' '.join(sys.argv[1:])}".rstrip())
    windows = "joined" if args.joined_windows else "composed"
    dictionaries = "off" if args.no_dictionary else ", ".join(
        f"{a}-{b} {'installed' if load_dictionary(a, b) else 'missing'}" for a, b in (("de", "fr"), ("pl", "en")))
    print(f"encoder: {encoder.id}, windows {windows}; dictionaries: {dictionaries}; "
          f"settings: {', '.join(args.setting) or 'defaults'}\n")
    print("| set | docs | strict P | strict R | strict F1 | lax F1 | seconds |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        print(f"| {r['set']} | {r['documents']} | {r['strict_precision']:.3f} | {r['strict_recall']:.3f} | "
              f"{r['strict_f1']:.3f} | {r['lax_f1']:.3f} | {r['seconds']} |")
    for r in rows:
        if r["set"] == "quarters":
            each = r["strict_f1_each"]
            print(f"\nquarters, each aligned alone: strict F1 {' / '.join(f'{f:.3f}' for f in each)}, "
                  f"mean {sum(each) / len(each):.3f}")
    out = ROOT / "bench" / "out"
    out.mkdir(parents=True, exist_ok=True)
    (out / "alignment.json").write_text(json.dumps({"settings": args.setting, "windows": windows, "results": rows}, indent=2))


def _config(settings: list[str]) -> AlignConfig:
    fields = {f.name: f for f in dataclasses.fields(AlignConfig)}
    values = {}
    for item in settings:
        name, _, value = item.partition("=")
        if name not in fields:
            raise SystemExit(f"unknown setting {name!r}; known: {', '.join(fields)}")
        kind = type(getattr(AlignConfig, name))
        if kind is bool and value.lower() not in ("true", "false"):
            raise SystemExit(f"{name} takes true or false, not {value!r}")
        values[name] = value.lower() == "true" if kind is bool else kind(value)
    return AlignConfig(**values)


if __name__ == "__main__":
    main()
