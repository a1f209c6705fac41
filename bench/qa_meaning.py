"""How well the meaning_shift checker finds planted mistranslations, and what else it flags.

Takes the demo pair with its gold alignment (corpora/latushka-interia), and in each round plants
a few meaning shifts into correct 1-1 pairs of the English: one content word is replaced, by a
near miss from the swap list below when the sentence has such a word ("army" -> "navy"), else by
a content word taken from another sentence (an unrelated word). The checker then runs on the
whole document. Reported:

- recall: planted pairs flagged / planted pairs;
- false alarms: flagged pairs that are neither planted nor one of the demo's known findings;
- the demo's own findings (protectorate, rocket launchers, makeshift) on the untouched pair.

Run: ``/work/venv/bin/python bench/qa_meaning.py [--rounds 8] [--per-round 5] [--no-dictionary]``.
Embeddings are cached (``ALIGN_CACHE_DIR``), so a second run is much faster.
"""

from __future__ import annotations

import argparse
import random
import re
import sys
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from align.checks import meaning  # noqa: E402
from align.checks.base import CheckContext  # noqa: E402
from align.embed import load_encoder  # noqa: E402
from align.evaluate import read_alignment  # noqa: E402
from align.lexicon import content_words  # noqa: E402
from align.segment import segment  # noqa: E402
from align.types import Alignment, Bead, Document, Segment  # noqa: E402

DEMO = ROOT / "corpora" / "latushka-interia"
KNOWN = {(16,): "protectorate", (104,): "rocket launchers", (45,): "makeshift"}  # gold src indices

# Near misses: a word a careless translator could put in place of the right one.
SWAPS = {
    "army": "navy", "minister": "ambassador", "sanctions": "subsidies", "government": "parliament",
    "western": "eastern", "west": "east", "increased": "decreased", "border": "coast", "war": "peace",
    "helicopter": "aeroplane", "prison": "hospital", "troops": "police", "generals": "colonels",
    "legal": "illegal", "strategic": "tactical", "political": "economic", "military": "civilian",
    "pressure": "support", "occupation": "liberation", "lawyers": "doctors", "future": "past",
    "protests": "elections", "criminal": "civil", "officers": "soldiers", "cabinet": "committee",
    "office": "embassy", "documents": "photographs", "murder": "theft", "torture": "bribery",
    "crime": "mistake", "threat": "promise", "regime": "party", "coup": "strike", "guard": "staff",
    "cities": "factories", "villages": "forests", "leaflets": "newspapers", "workers": "students",
    "discipline": "equipment", "morale": "salary", "tanks": "trains", "ceasefire": "election",
    "agreement": "argument", "conclusions": "questions", "appeals": "threats", "losses": "gains",
    "security": "health", "territory": "economy", "sovereignty": "economy", "offensive": "defence",
}


def demo_context(encoder, target_texts: list[str] | None = None, options=None) -> CheckContext:
    pl = (DEMO / "pl.txt").read_text(encoding="utf-8")
    en = (DEMO / "en.txt").read_text(encoding="utf-8")
    source = Document(pl, "pl", segment(pl, "pl"))
    target = Document(en, "en", segment(en, "en"))
    if target_texts is not None:
        target = Document(en, "en", tuple(Segment(i, t) for i, t in enumerate(target_texts)))
    beads = tuple(Bead(s, t, 1.0) for s, t in read_alignment(DEMO / "gold.txt"))
    return CheckContext(Alignment(source, target, beads), encoder=encoder, options=options or {})


def plant(text: str, rng: random.Random, donors: list[str]) -> tuple[str, str, str] | None:
    """``text`` with one content word replaced; (new text, old word, new word) or None."""
    words = [t for t in content_words(text, "en") if len(t.text) >= 4 and t.text[0].islower()]
    if not words:
        return None
    near = [t for t in words if t.text.lower() in SWAPS]
    word = rng.choice(near) if near else rng.choice(words)
    new = SWAPS.get(word.text.lower()) or rng.choice([d for d in donors if d.lower() != word.lemma])
    return text[: word.start] + new + text[word.end :], word.text, new


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=8)
    parser.add_argument("--per-round", type=int, default=5)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--no-dictionary", action="store_true")
    args = parser.parse_args()
    options = {"dictionary": not args.no_dictionary}
    encoder = load_encoder()
    base = demo_context(encoder, options=options)
    texts = base.target.texts
    candidates = [b for b in base.beads if len(b.src) == 1 and len(b.tgt) == 1 and b.src not in KNOWN
                  and len(content_words(texts[b.tgt[0]], "en")) >= 5]
    donors = sorted({t.text for x in texts for t in content_words(x, "en") if len(t.text) >= 5 and t.text.islower()})

    started = time.time()
    found = {bead.src: issue for issue in meaning.check(base) for bead in base.beads if bead.src == issue.src}
    print(f"demo pair ({len(base.beads)} beads, dictionary {'on' if options['dictionary'] else 'off'}):")
    for src, name in KNOWN.items():
        print(f"  {name:18s} {'FOUND' if src in found else 'missed'}")
    extra = [i for s, i in found.items() if s not in KNOWN]
    for issue in extra:
        print(f"  false alarm: src {list(issue.src)}: {issue.message}")
    print(f"  {len(found) - len(extra)}/3 found, {len(extra)} false alarms, {time.time() - started:.0f} s")

    rng = random.Random(args.seed)
    planted_total = planted_found = false_alarms = flagged_total = 0
    for round_no in range(args.rounds):
        chosen = rng.sample(candidates, args.per_round)
        new_texts = list(texts)
        planted = {}
        for bead in chosen:
            result = plant(texts[bead.tgt[0]], rng, donors)
            if result:
                new_texts[bead.tgt[0]], old, new = result
                planted[bead.src] = (old, new)
        ctx = demo_context(encoder, new_texts, options)
        flagged = {i.src for i in meaning.check(ctx)}
        hits = [s for s in planted if s in flagged]
        noise = [s for s in flagged if s not in planted and s not in KNOWN]
        planted_total += len(planted)
        planted_found += len(hits)
        false_alarms += len(noise)
        flagged_total += len(flagged)
        swaps = ", ".join(f"{o}->{n}{'*' if s in flagged else ''}" for s, (o, n) in planted.items())
        print(f"round {round_no + 1}: {len(hits)}/{len(planted)} planted found, {len(noise)} other flags  [{swaps}]")
    recall = planted_found / planted_total if planted_total else 0.0
    precision = planted_found / (planted_found + false_alarms) if planted_found + false_alarms else 0.0
    print(f"planted shifts: recall {recall:.2f} ({planted_found}/{planted_total}); "
          f"precision {precision:.2f} (false alarms {false_alarms} over {args.rounds} rounds of "
          f"{len(base.beads)} beads, {false_alarms / max(1, args.rounds):.1f} a round)")


if __name__ == "__main__":
    main()
