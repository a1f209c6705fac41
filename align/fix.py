"""Fixing the translation: replacements applied segment by segment, with a log of every change.

Used by ``python -m align fix`` and, through the same functions, by the store and the review app:
a replacement is case-sensitive and whole-word (``Latushko`` is replaced in "Latushko's" but not
in "Latushkowa"), and the corrected text is the original text with only the changed segments
rewritten, so paragraphs and spacing stay as the user had them. ``rewrite_raw`` carries the same
changes back into the file's own text (line endings, no-break spaces and all that the reader
normalises), for writing in the file's own encoding. ``fix_files`` is the whole of ``align fix``:
the corrected file and its change log, written beside the translation, never over what the user has.
"""

from __future__ import annotations

import csv
import difflib
import io
import re
import shutil
import unicodedata
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from itertools import chain, count
from pathlib import Path
from typing import Any

from align.errors import InputError
from align.textio import CHARACTER_REPLACEMENTS, normalize_text
from align.types import Document, Report


@dataclass(frozen=True)
class Replacement:
    """Write ``new`` for ``old``: in the given target segments, or everywhere when None."""

    old: str
    new: str
    segments: frozenset[int] | None = None
    reason: str = ""


@dataclass(frozen=True)
class Change:
    """One segment as it was and as it is after the replacements that touched it."""

    segment: int
    before: str
    after: str
    rules: tuple[str, ...]


def whole_word(old: str) -> re.Pattern[str]:
    return re.compile(rf"(?<!\w){re.escape(old)}(?!\w)")


def replace_all(texts: Sequence[str], old: str, new: str) -> list[tuple[int, str, str]]:
    """(index, before, after) for each text where ``old`` occurs as a whole word."""
    if not old:
        return []
    pattern = whole_word(old)
    changed = []
    for index, text in enumerate(texts):
        after = pattern.sub(lambda _: new, text)
        if after != text:
            changed.append((index, text, after))
    return changed


def parse_name_fix(value: str) -> Replacement:
    """``Latushko=Latushka`` (the form to replace, then the form to write)."""
    old, sep, new = value.partition("=")
    if not sep or not old.strip() or not new.strip():
        raise InputError(f"--name {value!r}: expected OLD=NEW, e.g. Latushko=Latushka")
    return Replacement(old.strip(), new.strip(), None, f"--name {old.strip()}={new.strip()}")


def suggested_replacements(report: Report, kinds: Collection[str]) -> list[Replacement]:
    """The fixes the checkers know exactly: issues of ``kinds`` that name the text they replace."""
    return [
        Replacement(issue.replaces, issue.suggestion, frozenset(issue.tgt), f"{issue.kind}: {issue.message}")
        for issue in report.issues
        if issue.kind in kinds and issue.replaces and issue.suggestion and issue.replaces != issue.suggestion
    ]


def kinds_without_suggestions(report: Report, kinds: Collection[str]) -> list[str]:
    """The kinds in ``kinds`` for which no issue names an exact replacement (nothing to apply)."""
    return [kind for kind in kinds if not suggested_replacements(report, [kind])]


def apply(document: Document, replacements: Iterable[Replacement]) -> tuple[str, list[Change]]:
    """The corrected text of ``document`` and the segments that changed."""
    current = {s.index: s.text for s in document.segments}
    rules: dict[int, list[str]] = {}
    for rule in replacements:
        pattern = whole_word(rule.old)
        for index, text in current.items():
            if rule.segments is not None and index not in rule.segments:
                continue
            after = pattern.sub(lambda _: rule.new, text)
            if after != text:
                current[index] = after
                rules.setdefault(index, []).append(f"{rule.old} -> {rule.new}")
    changes = [
        Change(s.index, s.text, current[s.index], tuple(rules[s.index]))
        for s in document.segments
        if s.index in rules
    ]
    return corrected_text(document, {c.segment: c.after for c in changes}), changes


def corrected_text(document: Document, edits: Mapping[int, str]) -> str:
    """The document's text with edited segments written over their original character spans,
    so paragraphs, line breaks and spacing stay as they were.

    ``document`` is the text as imported (segment texts unedited). When the offsets do not match
    the text (segments made by hand without offsets), the text is rebuilt from the segments
    instead: one space between segments, a blank line between paragraphs.

    A segment edited to empty (or blank) text is deleted, together with one of the two runs of
    white space around it, so no blank line or double space is left where it was.
    """
    if not _offsets_match(document):
        return _rebuild(document, edits)
    ordered = sorted(document.segments, key=lambda s: s.start)
    bounds = [0, *(edge for seg in ordered for edge in (seg.start, seg.end)), len(document.text)]
    gaps = [document.text[a:b] for a, b in zip(bounds[::2], bounds[1::2])]  # around and between segments
    texts = [edits.get(seg.index, seg.text) for seg in ordered]
    last_kept = max((k for k, text in enumerate(texts) if text.strip()), default=-1)
    pieces = [gaps[0]]  # gap, text, gap, text, ..., gap
    for k, (text, gap_after) in enumerate(zip(texts, gaps[1:])):
        if text.strip():
            pieces += [text, gap_after]
        else:
            pieces[-1] = _join_gaps(pieces[-1], gap_after, first=len(pieces) == 1, last=k > last_kept)
    return "".join(pieces)


def _join_gaps(before: str, after: str, *, first: bool, last: bool) -> str:
    """What stays of the text around a deleted segment. Of two runs of white space keep one: the
    text's own leading or trailing run at either end, else the one with more line breaks (a
    paragraph break outweighs a space). Anything else (a dash, a quote mark) is kept whole."""
    if before.strip() or after.strip():
        return before + after
    if first or last:
        return before if first else after
    return after if after.count("\n") > before.count("\n") else before


def _offsets_match(document: Document) -> bool:
    ordered = sorted(document.segments, key=lambda s: s.start)
    overlapping = any(a.end > b.start for a, b in zip(ordered, ordered[1:]))
    exact = all(document.text[s.start : s.end] == s.text for s in document.segments)
    return exact and not overlapping


def _rebuild(document: Document, edits: Mapping[int, str]) -> str:
    paragraphs: dict[int, list[str]] = {}
    for seg in document.segments:
        paragraphs.setdefault(seg.paragraph, []).append(edits.get(seg.index, seg.text))
    kept = (" ".join(t for t in texts if t.strip()) for texts in paragraphs.values())  # blank: deleted
    return "\n\n".join(p for p in kept if p)


# --- the corrected text as the user's file had it --------------------------------------------


def rewrite_raw(raw: str, document: Document, changes: Sequence[Change]) -> str:
    """``raw`` (the translation as decoded from its file, not normalised) with only the characters
    that ``changes`` changed rewritten: CRLF, no-break spaces, zero-width characters and the rest
    of what the reader normalises stay as they were outside the changes.

    ``document`` is the translation as read from ``raw``, with its segments' offsets.
    """
    normalized, starts, ends = _normalized_with_spans(raw)
    if normalized != document.text or not _offsets_match(document):
        raise InputError("the translation's file no longer matches the text that was fixed: nothing written")
    pieces, position = [], 0
    for start, end, new in _edits(document, changes):
        raw_start = max(position, starts[start] if start < end else (ends[start - 1] if start else 0))
        pieces += [raw[position:raw_start], new]
        position = max(raw_start, ends[end - 1] if start < end else raw_start)
    pieces.append(raw[position:])
    rewritten = "".join(pieces)
    expected = corrected_text(document, {c.segment: c.after for c in changes})
    if normalize_text(rewritten) != normalize_text(expected):  # a safeguard: never write what the log does not say
        raise InputError("could not rewrite the changes without touching the text around them: nothing written")
    return rewritten


def encoded(text: str, encoding: str, bom: bytes) -> bytes:
    """``text`` in the encoding, and with the byte-order mark, that its file came in."""
    try:
        return bom + text.encode(encoding)
    except UnicodeEncodeError as error:
        char = error.object[error.start]
        raise InputError(
            f"{char!r} cannot be written in {encoding}, the translation's encoding: save the translation as UTF-8 first"
        ) from None


def _edits(document: Document, changes: Sequence[Change]) -> Iterator[tuple[int, int, str]]:
    """(start, end, new text) in ``document.text``, where each changed segment now differs.

    The rules ran one after another over each segment, so where they wrote is recovered by a
    character diff of the segment before and after (the smallest edit: letters a new spelling
    shares with the old one stay untouched)."""
    offsets = {s.index: s.start for s in document.segments}
    for change in sorted(changes, key=lambda c: offsets[c.segment]):
        matcher = difflib.SequenceMatcher(None, change.before, change.after, autojunk=False)
        for op, i1, i2, j1, j2 in matcher.get_opcodes():
            if op != "equal":
                yield offsets[change.segment] + i1, offsets[change.segment] + i2, change.after[j1:j2]


Edits = list[tuple[int, int, str]]


def _substitution(pattern: re.Pattern[str], new: str) -> Callable[[str], Edits]:
    return lambda text: [(m.start(), m.end(), new) for m in pattern.finditer(text)]


def _nfc_edits(text: str) -> Edits:
    """NFC cluster by cluster (a letter and the marks that join it), so each composed character
    comes from the span of its parts."""
    if unicodedata.is_normalized("NFC", text):
        return []
    edits, start = [], 0
    for end in range(1, len(text) + 1):
        if end == len(text) or _starts_cluster(text[end]):
            cluster = text[start:end]
            composed = unicodedata.normalize("NFC", cluster)
            if composed != cluster:
                edits.append((start, end, composed))
            start = end
    return edits


def _starts_cluster(char: str) -> bool:
    # Hangul vowel and final jamo have combining class 0 but compose with the syllable before
    return unicodedata.combining(char) == 0 and not "\u1160" <= char <= "\u11ff"


# ``textio.normalize_text``, step by step; ``rewrite_raw`` checks the result is the same text.
_NORMALIZING = (
    *(_substitution(pattern, replacement) for pattern, replacement in CHARACTER_REPLACEMENTS),
    _nfc_edits,
    _substitution(re.compile(r"[^\S\n]+(?=\n|\Z)"), ""),  # each line's trailing blanks
    _substitution(re.compile(r"\A\n+|\n+\Z"), ""),
)


def _normalized_with_spans(raw: str) -> tuple[str, list[int], list[int]]:
    """``normalize_text(raw)``, and for each of its characters the span of ``raw`` it comes from."""
    text, starts, ends = raw, list(range(len(raw))), list(range(1, len(raw) + 1))
    for step in _NORMALIZING:
        text, starts, ends = _rewrite(text, starts, ends, step(text))
    return text, starts, ends


def _rewrite(text: str, starts: list[int], ends: list[int], edits: Edits) -> tuple[str, list[int], list[int]]:
    """``text`` with the (start, end, new) edits made; each new character spans what it replaced."""
    if not edits:
        return text, starts, ends
    pieces, new_starts, new_ends, position = [], [], [], 0
    for start, end, new in edits:
        pieces += [text[position:start], new]
        new_starts += starts[position:start] + [starts[start]] * len(new)
        new_ends += ends[position:start] + [ends[end - 1]] * len(new)
        position = end
    pieces.append(text[position:])
    return "".join(pieces), new_starts + starts[position:], new_ends + ends[position:]


# --- the corrected file and its change log (``align fix``) -----------------------------------


@dataclass(frozen=True)
class FixedFiles:
    """What ``fix_files`` did."""

    changes: tuple[Change, ...]
    corrected: Path | None  # None when fixing in place changed nothing (the file is left alone)
    log: Path
    original: Path | None  # where the translation was kept before it was overwritten in place
    without_suggestions: tuple[str, ...]  # kinds asked for whose issues name no exact text to replace
    names_not_found: tuple[str, ...] = ()  # the OLD of each --name OLD=NEW that the translation never has


def fix_files(
    source: str | Path,
    translation: str | Path,
    *,
    names: Iterable[str | Replacement] = (),
    kinds: Sequence[str] = (),
    out: str | Path | None = None,
    log: str | Path | None = None,
    in_place: bool = False,
    **check_options: Any,
) -> FixedFiles:
    """Write the translation with ``names`` (``"Latushko=Latushka"``) and the exact suggestions of
    the issues of ``kinds`` applied, to ``out`` (default TRANSLATION.fixed.txt) or over the
    translation with ``in_place`` (its original kept as TRANSLATION.orig), and the change log to
    ``log`` (default OUT.changes.csv). The corrected file keeps the translation's encoding, BOM and
    line endings. Nothing is written when an output would overwrite the source, the translation
    (but in place), the other output or an existing file. ``check_options`` go to
    ``align.pipeline.check`` (src_lang, tgt_lang, presplit, encoder, config, progress, dictionary,
    glossary: the renderings it pins are the ones the suggestions write)."""
    from align import pipeline, textio  # pipeline loads the encoder's machinery: only when fixing

    source, translation = Path(source), Path(translation)
    if in_place and out:
        raise InputError("--out and --in-place exclude each other: --in-place writes the corrected text over the translation")
    out = translation if in_place else Path(out or _sibling(translation, ".fixed"))
    log = Path(log) if log else _default_log(out, in_place)
    _refuse_overwriting(source, translation, out, log, in_place)
    rules = [parse_name_fix(n) if isinstance(n, str) else n for n in names]
    if not rules and not kinds:
        raise InputError("nothing to fix: give --name OLD=NEW and/or --apply-suggestions KINDS")
    if not kinds:  # the source is not read for a named fix, but a wrong path is the user's mistake to hear of
        textio.check_readable(source)
    named = list(rules)
    raw, encoding, bom = textio.read_plain_text(translation)  # before the alignment: DOCX and HTML are refused
    without: tuple[str, ...] = ()
    if kinds:
        report = pipeline.check(source, translation, kinds=list(kinds), **check_options)
        target = report.alignment.target
        rules += suggested_replacements(report, kinds)
        without = tuple(kinds_without_suggestions(report, kinds))
    else:  # a named replacement needs no alignment, nor the file read again
        text = normalize_text(raw)
        if not text.strip():
            raise InputError(f"{translation} contains no text")
        target = pipeline.make_document(text, check_options.get("tgt_lang") or "und",
                                        presplit=bool(check_options.get("presplit")))
    _, changes = apply(target, rules)
    corrected = encoded(rewrite_raw(raw, target, changes), encoding, bom)
    original = _keep_original(translation, taken={log.resolve()}) if in_place and changes else None
    written = out if changes or not in_place else None
    if written:
        _write_file(written, corrected, replace=in_place)
    _write_file(log, _change_log(changes))
    applied = {rule for change in changes for rule in change.rules}
    missing = tuple(r.old for r in named if f"{r.old} -> {r.new}" not in applied)
    return FixedFiles(tuple(changes), written, log, original, without, missing)


def _default_log(out: Path, in_place: bool) -> Path:
    """OUT.changes.csv; in place, which is for fixing one file again and again, the first free
    OUT.changes[.N].csv, so that each run's log is kept as each run's original is."""
    first = _sibling(out, ".changes", ".csv")
    if not in_place:
        return first
    return _first_free(chain([first], (_sibling(out, f".changes.{n}", ".csv") for n in count(1))))


def _refuse_overwriting(src: Path, tgt: Path, out: Path, log: Path, in_place: bool) -> None:
    """Refuse, before anything is written, an output that would overwrite one of the user's files
    or the other output. Paths are compared resolved (``./en.txt``, a symlink)."""
    for option, path in (("--out", out), ("--log", log)):
        if not path.parent.is_dir():
            raise InputError(f"{option} {path}: the folder {path.parent} does not exist")
    taken = {src.resolve(): f"the original ({src})", tgt.resolve(): f"the translation ({tgt})"}
    if out.resolve() == src.resolve() or (not in_place and out.resolve() == tgt.resolve()):
        raise InputError(f"the corrected text would overwrite {taken[out.resolve()]}: give --out another file")
    taken.setdefault(out.resolve(), f"the corrected text ({out})")
    if log.resolve() in taken:
        raise InputError(f"the change log would overwrite {taken[log.resolve()]}: give --log another file")
    if not in_place and out.exists():
        raise InputError(f"{out} exists: give --out another file, or use --in-place")
    if log.exists():
        raise InputError(f"{log} exists: give --log another file")


def _first_free(candidates: Iterable[Path], taken: Collection[Path] = ()) -> Path:
    """The first of ``candidates`` that is not a file yet nor in ``taken`` (about to be written)."""
    return next(path for path in candidates if not path.exists() and path.resolve() not in taken)


def _sibling(path: Path, tag: str, suffix: str | None = None) -> Path:
    return path.with_name(f"{path.stem}{tag}{suffix or path.suffix or '.txt'}")


def _keep_original(path: Path, taken: Collection[Path] = ()) -> Path:
    """Copy ``path`` to the first free ``NAME.orig[.N]`` beside it before it is overwritten
    (free of the files about to be written too: a log named NAME.orig must not replace the copy)."""
    numbered = (path.with_name(f"{path.name}.orig.{n}") for n in count(1))
    backup = _first_free(chain([path.with_name(path.name + ".orig")], numbered), taken)
    try:
        shutil.copy2(path, backup)
    except OSError as error:
        raise InputError(f"cannot keep the original as {backup}: {error.strerror or error}; nothing written") from None
    return backup


def _change_log(changes: Sequence[Change]) -> bytes:
    table = io.StringIO(newline="")
    writer = csv.writer(table)
    writer.writerow(["segment", "what", "before", "after"])
    for change in changes:
        writer.writerow([change.segment, "; ".join(change.rules), change.before, change.after])
    return table.getvalue().encode("utf-8-sig")  # the BOM tells Excel it is UTF-8, as the exports do


def _write_file(path: Path, data: bytes, *, replace: bool = False) -> None:
    """Write ``data`` to a new file (over ``path`` only with ``replace``): exclusive creation, so a
    file that appeared since the checks is not overwritten either."""
    try:
        with path.open("wb" if replace else "xb") as handle:
            handle.write(data)
    except FileExistsError:
        raise InputError(f"{path} exists: it was not overwritten") from None
    except OSError as error:
        raise InputError(f"cannot write {path}: {error.strerror or error}") from None
