"""Server-side cost of one edit in the review app, on a 500-pair project (no browser).

    python bench/app_edit.py [--copies 4] [--repeat 5]

Measures, on the demo pair repeated to ~530 pairs (tests/browser/long_demo.py), the library calls
one edit makes: mark a pair reviewed; merge two pairs (re-score and pair-scope re-check; the
document-wide re-check runs in the background and is timed on its own); the app's whole script
run (AppTest: load the project from the store and draw the review page). The browser's share of
an edit round trip is measured by tests/test_browser.py. Writes bench/out/app_edit.json.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from align import review  # noqa: E402
from align.embed import load_encoder  # noqa: E402
from align.store import Store  # noqa: E402
from tests.browser.long_demo import make_long_demo  # noqa: E402


def timed(function, repeat: int) -> list[float]:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return times


def ms(times: list[float]) -> dict[str, float]:
    return {"median_ms": round(1000 * statistics.median(times), 1), "max_ms": round(1000 * max(times), 1)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=4)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="align-bench-"))
    os.environ["ALIGN_STORE"] = str(folder / "projects.sqlite3")
    store = Store()
    encoder = load_encoder()
    demo = review.open_demo(store, encoder=encoder)
    project = make_long_demo(store, demo, copies=args.copies)
    state = store.load(project)
    pairs = len(state.alignment.beads)
    results: dict[str, object] = {"pairs": pairs, "load_average": os.getloadavg()[0]}

    results["load"] = ms(timed(lambda: store.load(project), args.repeat))
    results["table_rows"] = ms(timed(lambda: review.filter_pairs(review.pair_views(store.load(project))), args.repeat))

    flags = iter(range(10**6))
    results["mark_reviewed"] = ms(timed(
        lambda: review.set_reviewed(store, store.load(project), next(flags) % pairs, True), args.repeat))

    scorer = review.Scorer.for_alignment(state.alignment, encoder)
    rechecks = review.DocumentRechecks()
    positions = iter(range(20, 20 + 3 * args.repeat, 3))
    results["merge"] = ms(timed(lambda: review.commit_bead_edit(
        store, store.load(project), lambda beads: review.merge_with_next(beads, next(positions)),
        scorer=scorer, encoder=encoder, rechecks=rechecks), args.repeat))
    start = time.perf_counter()
    rechecks.wait(store, project)
    results["document_recheck_after_merges_s"] = round(time.perf_counter() - start, 2)
    results["document_recheck_s"] = round(min(timed(
        lambda: review.recheck_document(store, project, encoder=encoder), 1)), 2)

    from streamlit.testing.v1 import AppTest

    app = AppTest.from_file(str(REPO / "app.py"), default_timeout=600)
    app.query_params["project"] = str(project)
    app.run()
    results["script_run"] = ms(timed(app.run, args.repeat))

    print(json.dumps(results, indent=2))
    out = REPO / "bench" / "out"
    out.mkdir(parents=True, exist_ok=True)
    (out / "app_edit.json").write_text(json.dumps(results, indent=2) + "\n")


if __name__ == "__main__":
    main()
