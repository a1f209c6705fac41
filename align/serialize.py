"""Alignments and reports as plain dictionaries: the JSON contract of ``python -m align check``.

    {"source": {"lang": "pl", "segments": ["...", ...]},
     "target": {"lang": "en", "segments": [...]},
     "pairs":  [{"src": [0], "tgt": [0, 1], "score": 0.93}, ...],
     "issues": [{"kind": "name_variant", "severity": "medium", "src": [3], "tgt": [4],
                 "message": "...", "evidence": ["..."], "suggestion": "Latushka",
                 "replaces": "Latushko"}, ...],
     "signature": {"align": "0.1.0", "encoder": "...", ...}}

``from_dict`` reads the same shape back (segment offsets are recomputed from the texts).
"""

from __future__ import annotations

from typing import Any

from align.types import Alignment, Bead, Document, Issue, Report, Segment, Severity


def alignment_to_dict(alignment: Alignment) -> dict[str, Any]:
    return {
        "source": _document(alignment.source),
        "target": _document(alignment.target),
        "pairs": [{"src": list(b.src), "tgt": list(b.tgt), "score": b.score} for b in alignment.beads],
        "signature": dict(alignment.signature),
    }


def report_to_dict(report: Report) -> dict[str, Any]:
    data = alignment_to_dict(report.alignment)
    data["issues"] = [issue_to_dict(i) for i in report.issues]
    data["signature"] = data.pop("signature")  # keep it last, after the issues
    return data


def issue_to_dict(issue: Issue) -> dict[str, Any]:
    data: dict[str, Any] = {
        "kind": issue.kind,
        "severity": issue.severity.value,
        "src": list(issue.src),
        "tgt": list(issue.tgt),
        "message": issue.message,
        "evidence": list(issue.evidence),
    }
    if issue.suggestion is not None:
        data["suggestion"] = issue.suggestion
    if issue.replaces is not None:
        data["replaces"] = issue.replaces
    return data


def report_from_dict(data: dict[str, Any]) -> Report:
    alignment = Alignment(
        _document_from(data["source"]),
        _document_from(data["target"]),
        tuple(Bead(tuple(p["src"]), tuple(p["tgt"]), float(p.get("score", 0.0))) for p in data["pairs"]),
        dict(data.get("signature", {})),
    )
    return Report(alignment, tuple(issue_from_dict(i) for i in data.get("issues", ())))


def issue_from_dict(data: dict[str, Any]) -> Issue:
    return Issue(
        kind=data["kind"],
        severity=Severity(data["severity"]),
        src=tuple(data["src"]),
        tgt=tuple(data["tgt"]),
        message=data["message"],
        evidence=tuple(data.get("evidence", ())),
        suggestion=data.get("suggestion"),
        replaces=data.get("replaces"),
    )


def _document(doc: Document) -> dict[str, Any]:
    return {"lang": doc.lang, "segments": doc.texts}


def _document_from(data: dict[str, Any]) -> Document:
    segments, offset = [], 0
    for index, text in enumerate(data["segments"]):
        segments.append(Segment(index, text, 0, offset, offset + len(text)))
        offset += len(text) + 1
    return Document("\n".join(data["segments"]), data["lang"], tuple(segments))
