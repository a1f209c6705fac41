"""Exports of a reviewed alignment: TMX and XLIFF for CAT tools, CSV and XLSX tables, the QA report.

Every export reads an ``Alignment``; optional extras are the QA issues, the reviewed flag of each
bead (by position), ``corrected``: edited target segments by index (``ProjectState.edits``),
used instead of the segment texts, and ``comments``: the reviewer's comment on each bead, as a
sequence by position (``ProjectState.comments``, "" for none) or a ``{position: text}`` mapping.
The corrected translation as plain text is ``align.fix.corrected_text`` (edits written back at
their original offsets).

A side made of several segments is exported as their texts joined by one space; a segment
emptied by an edit is left out of the join.

Output goes to a path or to an open binary file. XML exports (TMX, XLIFF, XLSX) replace the
control characters XML cannot carry by a space; CSV keeps every character but lone surrogates,
which no UTF-8 file can hold (every export replaces them by a space). Read our CSV back
with ``keep_default_na=False``, or pandas turns a target text such as "NA" into a missing value.
"""

from __future__ import annotations

import html
import io
import json
import os
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import IO, Any, Optional, Union

import pandas as pd
from lxml import etree
from translate.storage import tmx, xliff

from align.errors import AlignError
from align.types import Alignment, Bead, Issue, Report, Severity

__all__ = [
    "ExportError",
    "Pair",
    "pairs",
    "pairs_frame",
    "qa_report_csv",
    "qa_report_html",
    "to_csv",
    "to_tmx",
    "to_xliff",
    "to_xlsx",
]

Destination = Union[str, os.PathLike, IO[bytes]]
Comments = Optional[Union[Sequence[str], Mapping[int, str]]]

CREATION_TOOL = "align"
XLIFF_NAMESPACE = "urn:oasis:names:tc:xliff:document:1.2"
QA_NOTE_ORIGIN = "align-qa"
REVIEWER_NOTE_ORIGIN = "reviewer"  # XLIFF <note from=...>: tells the reviewer's word from the QA notes
# Characters XML 1.0 cannot carry (C0 controls but tab and newlines, non-characters, lone
# surrogates). The toolkit would drop them and glue words together ("a\x0bb" -> "ab").
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
_SURROGATE = re.compile("[\ud800-\udfff]")  # halves of a pair left alone: not encodable in UTF-8
# Excel's limit on the characters of one cell; openpyxl would silently write a longer text in full
# and pandas cuts it with a mere warning.
EXCEL_CELL_LIMIT = 32_767
_NOTE_PRIORITY = {Severity.HIGH: "1", Severity.MEDIUM: "3", Severity.LOW: "5"}  # XLIFF: 1 = most important


class ExportError(AlignError):
    """An alignment that cannot be exported as asked, or an output that cannot be written."""


@dataclass(frozen=True)
class Pair:
    """One bead with both sides' text, the issues that touch any of its segments and the
    reviewer's comment ("" for none)."""

    position: int
    bead: Bead
    source: str
    target: str
    issues: tuple[Issue, ...]
    comment: str = ""

    @property
    def number(self) -> int:
        """The pair's number as the review app shows it: counted from 1."""
        return self.position + 1


def pairs(
    alignment: Alignment,
    *,
    issues: Iterable[Issue] = (),
    corrected: Mapping[int, str] | None = None,
    comments: Comments = None,
) -> list[Pair]:
    """The beads in order with their texts; the common ground of every export."""
    src_texts = alignment.source.texts
    tgt_texts = alignment.target.texts
    for index, text in (corrected or {}).items():
        _check_index(index, len(tgt_texts), "corrected target")
        tgt_texts[index] = text
    by_bead: list[list[Issue]] = [[] for _ in alignment.beads]
    src_bead, tgt_bead = _bead_of_segments(alignment)
    for issue in issues:
        for position in _beads_touched(issue, src_bead, tgt_bead):
            by_bead[position].append(issue)
    comment_of = _comments_by_position(comments, len(alignment.beads))
    result = []
    for position, bead in enumerate(alignment.beads):
        for i in bead.src:
            _check_index(i, len(src_texts), f"bead {position} source")
        for j in bead.tgt:
            _check_index(j, len(tgt_texts), f"bead {position} target")
        source = _joined(src_texts[i] for i in bead.src)
        target = _joined(tgt_texts[j] for j in bead.tgt)
        result.append(Pair(position, bead, source, target, tuple(by_bead[position]), comment_of[position]))
    return result


def _comments_by_position(comments: Comments, count: int) -> list[str]:
    """One stripped comment per bead ("" for none), checked against the number of beads."""
    if comments is None:
        return [""] * count
    if isinstance(comments, str):  # a str is a Sequence too; one comment for every bead is surely a mistake
        raise ExportError("Comments go one per pair (a sequence or a {position: text} mapping), not one string.")
    if isinstance(comments, Mapping):
        result = [""] * count
        for position, text in comments.items():
            if not 0 <= position < count:
                raise ExportError(f"A comment is for pair position {position}, but there are only {count} pairs.")
            result[position] = text
    else:
        if len(comments) != count:
            raise ExportError(f"Got {len(comments)} comments for {count} beads.")
        result = list(comments)
    return [_unicode_text(text or "").strip() for text in result]


def _beads_touched(issue: Issue, src_bead: Mapping[int, int], tgt_bead: Mapping[int, int]) -> list[int]:
    touched = {src_bead[i] for i in issue.src if i in src_bead} | {tgt_bead[j] for j in issue.tgt if j in tgt_bead}
    return sorted(touched)


# -- TMX ------------------------------------------------------------------------------------------


def to_tmx(
    alignment: Alignment,
    destination: Destination,
    *,
    corrected: Mapping[int, str] | None = None,
    comments: Comments = None,
) -> int:
    """Write a TMX 1.4 translation memory and return the number of translation units.

    One <tu> per bead whose both sides hold text; beads with an empty side (1-0, 0-1, or a
    segment emptied by an edit) are skipped, since a memory entry needs both languages (with
    them any comment on them: XLIFF and the tables keep every bead). Each
    <tu> carries its bead position as ``tuid``, the bead as a ``x-align-bead`` prop and the
    reviewer's comment, if any, as a <note>.
    """
    src_lang, tgt_lang = _languages(alignment)
    memory = tmx.tmxfile(sourcelanguage=src_lang, targetlanguage=tgt_lang)
    _tmx_header(memory)
    written = 0
    for pair in pairs(alignment, corrected=corrected, comments=comments):
        if not pair.source.strip() or not pair.target.strip():
            continue
        unit = memory.addsourceunit(_xml_text(pair.source), src_lang)
        # built directly: the toolkit's settarget overwrites the source <tuv> when both sides
        # share a language code (en-GB and en-US editions aligned as en/en)
        unit.xmlelement.append(unit.createlanguageNode(tgt_lang, _xml_text(pair.target), "target"))
        if len(unit.getlanguageNodes()) != 2:  # a memory entry with one side lost is worse than none
            raise ExportError(f"Pair {pair.number} lost a side while being written to TMX.")
        unit.xmlelement.set("tuid", str(pair.position))
        prop = etree.Element(unit.namespaced("prop"), type="x-align-bead")
        prop.text = str(pair.bead)
        unit.xmlelement.insert(0, prop)  # TMX wants notes and props before the <tuv>s
        if pair.comment:
            unit.addnote(_xml_text(pair.comment))  # the toolkit puts it before the props, as TMX wants
        written += 1
    _write(destination, _serialize(memory))
    return written


def _tmx_header(memory: tmx.tmxfile) -> None:
    """translate-toolkit writes every attribute TMX 1.4 requires, but names itself as the tool,
    gives the encoding as o-tmf (the original memory format) and "PlainText" for the
    recommended "plaintext"; set those to what is true of our file."""
    header = memory.document.getroot().find(memory.namespaced("header"))
    header.set("creationtool", CREATION_TOOL)
    header.set("creationtoolversion", _tool_version())
    header.set("o-tmf", CREATION_TOOL)
    header.set("datatype", "plaintext")
    header.set("segtype", "sentence")
    header.set("adminlang", "en")
    header.set("creationdate", datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ"))


# -- XLIFF ----------------------------------------------------------------------------------------


class _Xliff12File(xliff.xlifffile):
    """translate-toolkit's XLIFF store writes version 1.1; the same model under the 1.2 namespace."""

    XMLskeleton = f"""<?xml version="1.0" ?>
<xliff version='1.2' xmlns='{XLIFF_NAMESPACE}'>
<file original='NoName' source-language='en' datatype='plaintext'>
<body>
</body>
</file>
</xliff>"""
    namespace = XLIFF_NAMESPACE


def to_xliff(
    alignment: Alignment,
    destination: Destination,
    *,
    issues: Iterable[Issue] = (),
    reviewed: Sequence[bool] | None = None,
    corrected: Mapping[int, str] | None = None,
    comments: Comments = None,
    original: str = "translation.txt",
) -> int:
    """Write an XLIFF 1.2 file and return the number of trans-units: one per bead, except a
    target-only bead whose text was deleted in review (page debris), which leaves nothing to
    translate or review.

    ``id`` is the bead position and ``resname`` the bead (``[0, 1]:[2]``). A 1-0 bead has an
    empty <target> in state needs-translation; a 0-1 bead has an empty <source> and its target in
    state needs-review-translation; both say so in a note, as does a target emptied by an edit
    (needs-translation). Reviewed beads with a target are ``approved="yes"``, every other unit
    ``approved="no"``: a CAT tool locks approved units, and an empty one must not pass unseen; an
    approved unit's target is in state signed-off.
    The reviewer's comment is a <note from="reviewer">; each QA issue touching a bead is a
    <note from="align-qa"> with a priority by severity.
    """
    src_lang, tgt_lang = _languages(alignment)
    store = _Xliff12File(sourcelanguage=src_lang, targetlanguage=tgt_lang)
    filenode = next(store.document.getroot().iterchildren(store.namespaced("file")))
    store.setfilename(filenode, original)
    all_pairs = pairs(alignment, issues=issues, corrected=corrected, comments=comments)
    _check_reviewed(reviewed, len(all_pairs))
    written = 0
    for pair in all_pairs:
        if not pair.source.strip() and not pair.target.strip():
            continue
        unit = store.addsourceunit(_xml_text(pair.source), filename=original)
        unit.setid(str(pair.position))
        unit.xmlelement.set("resname", str(pair.bead))
        unit.settarget(_xml_text(pair.target))
        _xliff_state(unit, pair)
        approved = reviewed is not None and bool(reviewed[pair.position]) and bool(pair.target.strip())
        unit.xmlelement.set("approved", "yes" if approved else "no")
        if approved:  # a reviewed pair is more than translated: its state says so to the CAT tool
            unit.getlanguageNode(lang=None, index=1).set("state", "signed-off")
        if pair.comment:
            unit.addnote(_xml_text(pair.comment), origin=REVIEWER_NOTE_ORIGIN)
        for issue in pair.issues:
            _xliff_note(unit, _issue_line(issue), priority=_NOTE_PRIORITY[Severity(issue.severity)])
        written += 1
    _write(destination, _serialize(store))
    return written


def _xliff_state(unit: xliff.xliffunit, pair: Pair) -> None:
    target = unit.getlanguageNode(lang=None, index=1)
    if not pair.bead.tgt:
        target.set("state", "needs-translation")
        _xliff_note(unit, f"No translation: the source has no counterpart in the target ({pair.bead.kind} bead).")
    elif not pair.bead.src:
        target.set("state", "needs-review-translation")
        _xliff_note(unit, f"No source: the target has no counterpart in the source ({pair.bead.kind} bead).")
    elif pair.target.strip():
        target.set("state", "translated")
    else:
        target.set("state", "needs-translation")
        _xliff_note(unit, "No translation: the translated text of this pair was deleted in review.")


def _xliff_note(unit: xliff.xliffunit, text: str, *, priority: str | None = None) -> None:
    note = etree.SubElement(unit.xmlelement, unit.namespaced("note"))
    note.text = _xml_text(text)
    note.set("from", QA_NOTE_ORIGIN)
    if priority:
        note.set("priority", priority)


# -- tables ---------------------------------------------------------------------------------------

# "bead" and the index lists count from 0, for programs; "pair" and the sentence columns count from
# 1, as the review app does, for people. New columns go at the end so positions stay stable.
PAIR_COLUMNS = ("bead", "src_indices", "tgt_indices", "source", "target", "score", "kind", "issues",
                "pair", "source sentences", "translated sentences", "comment")


def pairs_frame(
    alignment: Alignment,
    *,
    issues: Iterable[Issue] = (),
    reviewed: Sequence[bool] | None = None,
    corrected: Mapping[int, str] | None = None,
    comments: Comments = None,
) -> pd.DataFrame:
    """One row per bead: position, index lists (JSON), texts, score, shape, issue kinds, the
    pair and sentence numbers as the app shows them, the reviewer's comment and, when given, the
    reviewed flag."""
    rows = [
        {
            "bead": p.position,
            "src_indices": json.dumps(list(p.bead.src)),
            "tgt_indices": json.dumps(list(p.bead.tgt)),
            "source": p.source,
            "target": p.target,
            "score": round(float(p.bead.score), 4),
            "kind": p.bead.kind,
            "issues": ", ".join(dict.fromkeys(i.kind for i in p.issues)),
            "pair": p.number,
            "source sentences": _numbers_from_one(p.bead.src),
            "translated sentences": _numbers_from_one(p.bead.tgt),
            "comment": p.comment,
        }
        for p in pairs(alignment, issues=issues, corrected=corrected, comments=comments)
    ]
    frame = pd.DataFrame(rows, columns=list(PAIR_COLUMNS))
    _check_reviewed(reviewed, len(frame))
    if reviewed is not None:
        frame["reviewed"] = [bool(r) for r in reviewed]
    return frame


def to_csv(
    alignment: Alignment,
    destination: Destination,
    *,
    issues: Iterable[Issue] = (),
    reviewed: Sequence[bool] | None = None,
    corrected: Mapping[int, str] | None = None,
    comments: Comments = None,
) -> None:
    """The pairs table as UTF-8 CSV with a byte-order mark, so Excel reads the diacritics right."""
    frame = pairs_frame(alignment, issues=issues, reviewed=reviewed, corrected=corrected, comments=comments)
    _write(destination, frame.to_csv(index=False).encode("utf-8-sig"))


def to_xlsx(
    alignment: Alignment,
    destination: Destination,
    *,
    issues: Iterable[Issue] = (),
    reviewed: Sequence[bool] | None = None,
    corrected: Mapping[int, str] | None = None,
    comments: Comments = None,
) -> None:
    """The pairs table as an Excel workbook (sheet "pairs"), with a sheet "issues" when there are
    any. Every text cell is a string: a segment starting with "=" never becomes a formula.

    A text longer than Excel's 32,767 characters per cell is cut, and the cell ends with a
    visible marker saying so and pointing to the CSV export, which keeps the whole text (refusing
    would leave the reviewer with no workbook at all for one stray paragraph).
    """
    issue_list = list(issues)
    sheets = {
        "pairs": pairs_frame(alignment, issues=issue_list, reviewed=reviewed, corrected=corrected, comments=comments)
    }
    if issue_list:
        sheets["issues"] = _issues_frame(Report(alignment, tuple(issue_list)), comments)
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        for name, frame in sheets.items():
            _excel_safe(frame).to_excel(writer, sheet_name=name, index=False)
            for row in writer.sheets[name].iter_rows():
                for cell in row:
                    if cell.data_type == "f":  # openpyxl reads "=..." as a formula; it is text
                        cell.data_type = "s"
    _write(destination, buffer.getvalue())


def _excel_safe(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.apply(lambda col: col.map(lambda v: _excel_cell(_xml_text(v)) if isinstance(v, str) else v))


def _excel_cell(text: str) -> str:
    """``text``, or its start and a marker when it is over Excel's limit for one cell."""
    if len(text) <= EXCEL_CELL_LIMIT:
        return text
    marker = (f" [… CUT: Excel holds {EXCEL_CELL_LIMIT:,} characters per cell; this text has "
              f"{len(text):,}. The CSV export keeps it whole.]")
    return text[: EXCEL_CELL_LIMIT - len(marker)] + marker


# -- QA report ------------------------------------------------------------------------------------

# "src_indices"/"tgt_indices" count from 0, for programs; the columns after "suggestion" count from
# 1, as the review app does, and carry the reviewer's comment on the pairs an issue touches.
ISSUE_COLUMNS = ("severity", "kind", "src_indices", "tgt_indices", "source", "target", "message", "evidence",
                 "suggestion", "pairs", "source sentences", "translated sentences", "comment")


@dataclass(frozen=True)
class _Commentary:
    """The reviewer's comments as the QA report places them: beside the issues of a commented
    pair, and on their own for commented pairs the report has no issue on."""

    pairs: list[Pair]
    src_bead: dict[int, int]
    tgt_bead: dict[int, int]

    def positions(self, issue: Issue) -> list[int]:
        return _beads_touched(issue, self.src_bead, self.tgt_bead)

    def on(self, issue: Issue) -> list[Pair]:
        return [self.pairs[p] for p in self.positions(issue) if self.pairs[p].comment]

    def without_issues(self) -> list[Pair]:
        return [p for p in self.pairs if p.comment and not p.issues]


def _commentary(report: Report, comments: Comments) -> _Commentary:
    src_bead, tgt_bead = _bead_of_segments(report.alignment)
    return _Commentary(pairs(report.alignment, issues=report.issues, comments=comments), src_bead, tgt_bead)


def _sorted_issues(report: Report) -> list[Issue]:
    def key(issue: Issue) -> tuple[int, int]:
        first = min([*issue.tgt, *issue.src], default=-1)
        return (-Severity(issue.severity).rank, first)

    return sorted(report.issues, key=key)


def _issue_texts(report: Report, issue: Issue) -> tuple[str, str]:
    src, tgt = report.alignment.source.texts, report.alignment.target.texts
    for i in issue.src:
        _check_index(i, len(src), f"issue {issue.kind} source")
    for j in issue.tgt:
        _check_index(j, len(tgt), f"issue {issue.kind} target")
    return _joined(src[i] for i in issue.src), _joined(tgt[j] for j in issue.tgt)


def _issues_frame(report: Report, comments: Comments = None) -> pd.DataFrame:
    commentary = _commentary(report, comments)
    rows = []
    for issue in _sorted_issues(report):
        source, target = _issue_texts(report, issue)
        rows.append({
            "severity": str(Severity(issue.severity)),
            "kind": issue.kind,
            "src_indices": json.dumps(list(issue.src)),
            "tgt_indices": json.dumps(list(issue.tgt)),
            "source": source,
            "target": target,
            "message": _unicode_text(issue.message),
            "evidence": _unicode_text(" | ".join(issue.evidence)),
            "suggestion": _unicode_text(issue.suggestion or ""),
            "pairs": _numbers_from_one(commentary.positions(issue)),
            "source sentences": _numbers_from_one(issue.src),
            "translated sentences": _numbers_from_one(issue.tgt),
            "comment": _comment_cell(commentary.on(issue)),
        })
    return pd.DataFrame(rows, columns=list(ISSUE_COLUMNS))


def _comment_cell(commented: Sequence[Pair]) -> str:
    """The comment as written when the issue touches one commented pair; when it spans several,
    each on its own line, prefixed by its pair so the reader knows which is which."""
    if len(commented) == 1:
        return commented[0].comment
    return "\n".join(f"Pair {p.number}: {p.comment}" for p in commented)


def qa_report_csv(report: Report, *, comments: Comments = None) -> str:
    """The issues as CSV text, most severe first, with the source and target text they concern
    and the reviewer's comment on the pairs they touch."""
    return _issues_frame(report, comments).to_csv(index=False)


def qa_report_html(report: Report, *, title: str = "Translation QA report", comments: Comments = None) -> str:
    """A self-contained HTML page (no scripts, no outside resources): what was compared, a
    summary by kind and severity, every issue with its texts and the reviewer's comment on its
    pair, then the comments on pairs without issues. All text is escaped."""
    alignment = report.alignment
    issues = _sorted_issues(report)
    commentary = _commentary(report, comments)
    e = html.escape
    signature = ", ".join(f"{k}: {v}" for k, v in sorted(alignment.signature.items()))
    facts = [
        ("Source", f"{alignment.source.lang}, {len(alignment.source)} segments"),
        ("Target", f"{alignment.target.lang}, {len(alignment.target)} segments"),
        ("Pairs", str(len(alignment.beads))),
        ("Issues", str(len(issues))),
        ("Made with", signature or "-"),
    ]
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f"<title>{e(title)}</title>",
        f'<meta name="generator" content="{e(CREATION_TOOL)} {e(_tool_version())}">',
        f"<style>{_CSS}</style></head><body>",
        f"<h1>{e(title)}</h1>",
        "<dl>" + "".join(f"<dt>{e(k)}</dt><dd>{e(v)}</dd>" for k, v in facts) + "</dl>",
        "<h2>Summary</h2>",
        _summary_table(issues),
        "<h2>Issues</h2>",
        _issues_table(report, issues, commentary),
        _comments_section(report, commentary.without_issues()),
        "</body></html>",
    ]
    return _unicode_text("\n".join(part for part in parts if part) + "\n")


def _summary_table(issues: Sequence[Issue]) -> str:
    if not issues:
        return "<p>No issues found.</p>"
    e = html.escape
    levels = sorted(Severity, key=lambda s: -s.rank)
    counts = Counter((i.kind, Severity(i.severity)) for i in issues)
    kinds = sorted({i.kind for i in issues})
    head = "<tr><th>kind</th>" + "".join(f"<th>{e(str(s))}</th>" for s in levels) + "<th>total</th></tr>"
    body = []
    for kind in kinds:
        cells = "".join(f"<td>{counts[kind, s]}</td>" for s in levels)
        body.append(f"<tr><td>{e(kind)}</td>{cells}<td>{sum(counts[kind, s] for s in levels)}</td></tr>")
    totals = "".join(f"<td>{sum(counts[k, s] for k in kinds)}</td>" for s in levels)
    body.append(f"<tr class=\"total\"><td>total</td>{totals}<td>{len(issues)}</td></tr>")
    return f'<table class="summary">{head}{"".join(body)}</table>'


def _issues_table(report: Report, issues: Sequence[Issue], commentary: _Commentary) -> str:
    if not issues:
        return ""
    e = html.escape
    src_lang, tgt_lang = e(report.alignment.source.lang), e(report.alignment.target.lang)
    head = "".join(f"<th>{name}</th>" for name in ("#", "severity", "kind", "source", "target", "message", "suggestion"))
    rows = []
    for number, issue in enumerate(issues, 1):
        source, target = _issue_texts(report, issue)
        severity = str(Severity(issue.severity))
        where = (f"pair {_numbers_from_one(commentary.positions(issue)) or '-'}; sentences: source "
                 f"{_numbers_from_one(issue.src) or '-'}, translation {_numbers_from_one(issue.tgt) or '-'}")
        evidence = f'<div class="evidence">{e(" | ".join(issue.evidence))}</div>' if issue.evidence else ""
        remarks = "".join(
            f'<div class="comment"><b>Reviewer, pair {p.number}:</b> {e(p.comment)}</div>'
            for p in commentary.on(issue)
        )
        rows.append(
            f'<tr class="{severity}"><td title="{e(where)}">{number}</td><td>{e(severity)}</td>'
            f'<td>{e(issue.kind)}</td><td lang="{src_lang}">{e(source)}</td><td lang="{tgt_lang}">{e(target)}</td>'
            f"<td>{e(issue.message)}{evidence}{remarks}</td><td>{e(issue.suggestion or '')}</td></tr>"
        )
    return f'<table class="issues"><tr>{head}</tr>{"".join(rows)}</table>'


def _comments_section(report: Report, commented: Sequence[Pair]) -> str:
    """Comments on pairs without issues: the issue rows cannot carry them, yet the translator
    should read them too. Nothing at all when there are none."""
    if not commented:
        return ""
    e = html.escape
    src_lang, tgt_lang = e(report.alignment.source.lang), e(report.alignment.target.lang)
    head = "".join(f"<th>{name}</th>" for name in ("pair", "source", "target", "comment"))
    rows = "".join(
        f'<tr><td>{p.number}</td><td lang="{src_lang}">{e(p.source)}</td><td lang="{tgt_lang}">{e(p.target)}</td>'
        f'<td class="comment">{e(p.comment)}</td></tr>'
        for p in commented
    )
    return f'<h2>Reviewer comments</h2>\n<table class="comments"><tr>{head}</tr>{rows}</table>'


_CSS = (
    "body{font-family:system-ui,sans-serif;margin:2em;max-width:80em}"
    "table{border-collapse:collapse;margin:1em 0}th,td{border:1px solid #ccc;padding:.3em .6em;"
    "vertical-align:top;text-align:left}th{background:#f3f3f3}tr.total td{font-weight:bold}"
    "tr.high td:nth-child(2){color:#b00020;font-weight:bold}tr.medium td:nth-child(2){color:#a15c00}"
    ".evidence{color:#555;font-size:.9em;margin-top:.3em}dl{display:grid;grid-template-columns:auto 1fr;"
    "gap:.2em 1em}dt{font-weight:bold}dd{margin:0}"
    ".comment{white-space:pre-wrap}div.comment{margin-top:.3em;color:#1a4f8a}"  # keep the reviewer's line breaks
)


# -- helpers --------------------------------------------------------------------------------------


def _xml_text(text: str) -> str:
    return _XML_ILLEGAL.sub(" ", text)


def _unicode_text(text: str) -> str:
    return _SURROGATE.sub(" ", text)


def _joined(texts: Iterable[str]) -> str:
    """One side's segments joined by a space; a segment emptied by an edit adds no space, and a
    line or paragraph break inside one (a translation added in review across a paragraph
    break) is a space too, as between the segments: a pair is one unit of text, both sides
    alike. Lone surrogates (possible only in API strings) become spaces, as in the XML exports."""
    return _unicode_text(" ".join(_LINE_BREAKS.sub(" ", t.strip()) for t in texts if t.strip()))


_LINE_BREAKS = re.compile(r"[ \t]*\n\s*")


def _check_reviewed(reviewed: Sequence[bool] | None, count: int) -> None:
    if reviewed is not None and len(reviewed) != count:
        raise ExportError(f"Got {len(reviewed)} reviewed flags for {count} beads.")


def _numbers_from_one(indices: Iterable[int]) -> str:
    """Positions as the review app shows them, counted from 1: "4, 5"; "" for none."""
    return ", ".join(str(i + 1) for i in indices)


def _issue_line(issue: Issue) -> str:
    line = f"[{Severity(issue.severity)}] {issue.kind}: {issue.message}"
    return f"{line} Suggestion: {issue.suggestion}" if issue.suggestion else line


def _bead_of_segments(alignment: Alignment) -> tuple[dict[int, int], dict[int, int]]:
    src = {i: p for p, b in enumerate(alignment.beads) for i in b.src}
    tgt = {j: p for p, b in enumerate(alignment.beads) for j in b.tgt}
    return src, tgt


def _languages(alignment: Alignment) -> tuple[str, str]:
    src, tgt = alignment.source.lang.strip(), alignment.target.lang.strip()
    if not src or not tgt:
        raise ExportError("Both documents need a language code (e.g. pl, en) to be exported.")
    return src, tgt


def _check_index(index: int, size: int, where: str) -> None:
    if not 0 <= index < size:
        raise ExportError(f"The {where} refers to segment {index}, but there are only {size}.")


def _serialize(store: Any) -> bytes:
    # units are born in the toolkit's default namespace and moved into ours; drop the leftover
    # declarations they carry
    etree.cleanup_namespaces(store.document.getroot())
    buffer = io.BytesIO()
    store.serialize(buffer)
    return buffer.getvalue()


def _write(destination: Destination, data: bytes) -> None:
    try:
        if hasattr(destination, "write"):
            destination.write(data)
        else:
            Path(destination).write_bytes(data)
    except OSError as err:
        raise ExportError(f"Cannot write the export to {destination}: {err}.") from err


def _tool_version() -> str:
    try:
        return version("align")
    except PackageNotFoundError:  # running from a checkout that was never installed
        return "dev"
