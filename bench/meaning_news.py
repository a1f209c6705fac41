"""meaning_shift on Polish news translated into English: false alarms on correct translations and
the translators' errors it finds, by kind.

    python bench/meaning_news.py [--no-dictionary]

``bench/data/news-pl-en/``: five document pairs we wrote for this bench (politics, war, economy,
culture, an interview; 127 aligned pairs), each English text a correct, freely made translation,
and ``plants.csv``: 61 errors of the kinds translators make (a near-miss word, a false friend, a
negation lost or added, a modal or a quantifier changed, a subject swapped, a phrase dropped),
each planted alone into its document's English. A plant is found when a meaning_shift issue
points at the sentence it changed. Each document is checked end to end (``align.check``: our
segmenter, the aligner, the checker), so an alignment error would count against it.

Prints a markdown table and writes ``bench/out/meaning_news.json``.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import align  # noqa: E402

DATA = ROOT / "bench" / "data" / "news-pl-en"


def meaning_issues(polish: str, english: str, dictionary: bool) -> tuple[align.Report, list]:
    report = align.check(polish, english, kinds=["meaning_shift"], src_lang="pl", tgt_lang="en", dictionary=dictionary)
    return report, list(report.issues)


def run(dictionary: bool) -> dict:
    plants = list(csv.DictReader((DATA / "plants.csv").open(encoding="utf-8")))
    found, planted, false_alarms, pairs, runs = Counter(), Counter(), [], 0, []
    for doc in sorted({p["doc"] for p in plants}):
        polish = (DATA / f"{doc}.pl.txt").read_text(encoding="utf-8")
        english = (DATA / f"{doc}.en.txt").read_text(encoding="utf-8")
        report, clean = meaning_issues(polish, english, dictionary)
        pairs += sum(1 for b in report.alignment.beads if b.src and b.tgt)
        false_alarms += [f"{doc}: {issue.message}" for issue in clean]
        for plant in (p for p in plants if p["doc"] == doc):
            assert english.count(plant["correct"]) == 1, plant["id"]
            report, issues = meaning_issues(polish, english.replace(plant["correct"], plant["planted"]), dictionary)
            where = next(s.index for s in report.alignment.target.segments if plant["planted"] in s.text)
            hit = any(where in issue.tgt for issue in issues)
            planted[plant["kind"]] += 1
            found[plant["kind"]] += hit
            runs.append({"id": plant["id"], "kind": plant["kind"], "found": hit})
    return {"pairs": pairs, "false_alarms": false_alarms, "found": dict(found), "planted": dict(planted), "runs": runs}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-dictionary", action="store_true")
    args = parser.parse_args()
    start = time.perf_counter()
    result = run(dictionary=not args.no_dictionary)
    result["seconds"] = round(time.perf_counter() - start, 1)
    print("| kind | found |\n|---|---:|")
    for kind, n in result["planted"].items():
        print(f"| {kind} | {result['found'].get(kind, 0)} / {n} |")
    total = sum(result["found"].values()), sum(result["planted"].values())
    print(f"| all | {total[0]} / {total[1]} |")
    flags = len(result["false_alarms"])
    print(f"\nflags on the correct translations: {flags} on {result['pairs']} pairs "
          f"({10 * flags / result['pairs']:.2f} per 10 pairs); {result['seconds']} s")
    for line in result["false_alarms"]:
        print(f"  {line}")
    out = ROOT / "bench" / "out"
    out.mkdir(exist_ok=True)
    (out / "meaning_news.json").write_text(json.dumps(result, ensure_ascii=False, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
