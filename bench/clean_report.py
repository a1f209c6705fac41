"""False alarms: what every checker reports on the clean corpora, on their gold alignment.

    python bench/clean_report.py

The demo pair's issues beyond the findings of ``corpus-notes.md`` count against the issue's bar
(at most one other flag per ten pairs); Text+Berg is a real, loosely made human translation, so
its report shows what a user sees on such a text. Prints a markdown table (issues by kind and by
severity) and writes ``bench/out/clean_report.json``.
"""

from __future__ import annotations

import json
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import align  # noqa: E402
from align.embed import load_encoder  # noqa: E402
from align.types import Alignment  # noqa: E402
from qa import load_corpus  # noqa: E402

SEVERITIES = ("high", "medium", "low")


def main() -> None:
    encoder = load_encoder()
    rows = []
    for name in ("demo", "textberg"):
        corpus = load_corpus(name)
        start = time.perf_counter()
        report = align.check_alignment(Alignment(corpus.source, corpus.target, corpus.gold), encoder=encoder)
        rows.append({
            "corpus": name,
            "pairs": len(corpus.gold),
            "issues": len(report.issues),
            "by_kind": dict(sorted(Counter(i.kind for i in report.issues).items())),
            "by_severity": {s: sum(i.severity.value == s for i in report.issues) for s in SEVERITIES},
            "seconds": round(time.perf_counter() - start, 2),
        })
    kinds = sorted({k for r in rows for k in r["by_kind"]})
    print("command: python bench/clean_report.py\n")
    print("| corpus | gold beads | issues | " + " | ".join(SEVERITIES) + " | " + " | ".join(kinds) + " |")
    print("|---|" + "---:|" * (2 + len(SEVERITIES) + len(kinds)))
    for r in rows:
        cells = [r["pairs"], r["issues"], *r["by_severity"].values(), *(r["by_kind"].get(k, 0) for k in kinds)]
        print(f"| {r['corpus']} | " + " | ".join(str(c) for c in cells) + " |")
    out = ROOT / "bench" / "out"
    out.mkdir(parents=True, exist_ok=True)
    (out / "clean_report.json").write_text(json.dumps(rows, indent=2))


if __name__ == "__main__":
    main()
