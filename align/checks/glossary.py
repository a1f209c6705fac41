"""glossary: a source term from the glossary whose required rendering is missing in its bead.

For every glossary entry (``align.glossary.GlossaryEntry``: ``source``, ``target``, optional
``forbidden`` renderings) and every bead whose source text contains the entry's source term in
any inflected form (Polish "Narodowego Zarządzania Antykryzysowego" for the entry "Narodowe
Zarządzanie Antykryzysowe"; for Polish, also with adjective and noun swapped), the bead's
target text must contain the required rendering (or one of the entry's ``alternatives``), again
in any inflected form ("rocket launchers" for "rocket launcher"). A forbidden rendering in that
target text is reported too, unless it is part of a required one ("Coalition" in "Civic Coalition").

A term word written with a capital inside it, as acronyms are ("PO", "UE", "NATO", "PiS"), matches
only that casing, with an inflected ending after a hyphen or right after it ("PiS-u", "PO-wi"):
otherwise "PO" (Civic Platform) would match the Polish preposition "Po" opening a sentence. Other
words match in any casing.

Matching is ``align.morph``: simplemma lemmas for pl/en/de/fr, a crude stem for unknown words.
Presence is checked per bead, not counted: a second mention is often a pronoun. Beads with an
empty side are left to the omission/addition checker.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Sequence

from align import morph
from align.checks.base import CheckContext
from align.types import Bead, Issue, Severity

__all__ = ["KINDS", "SCOPE", "check"]

KINDS = ("glossary",)
SCOPE = "pair"  # each bead is judged on its own, so an edited bead can be re-checked alone

_ANY_ORDER = frozenset({"pl"})  # languages whose adjectives stand on either side of the noun
_ENDING = re.compile(r"(?:['’]?[^\W\d_]+)?")  # what may follow a cased term word: "PiS" in "PiSu", "PiS'u"

Span = tuple[int, int]


@dataclass(frozen=True)
class _Entry:
    """A glossary entry with its terms split into words once."""

    source: str
    target: str
    note: str
    source_words: tuple[morph.Word, ...]
    renderings: tuple[tuple[morph.Word, ...], ...]  # the target first, then its alternatives
    forbidden: tuple[tuple[str, tuple[morph.Word, ...]], ...]


def check(ctx: CheckContext) -> list[Issue]:
    src_lang, tgt_lang = morph.lang_code(ctx.source.lang), morph.lang_code(ctx.target.lang)
    entries = [_prepared(e, src_lang, tgt_lang) for e in ctx.glossary]
    entries = [e for e in entries if e.source_words and e.renderings]
    if not entries:
        return []
    issues = []
    for bead, src_text, tgt_text in ctx.pairs():
        if not bead.src or not bead.tgt:
            continue
        src_words = morph.words(src_text, src_lang)
        src_keys = frozenset(k for w in src_words for k in w.keys)
        tgt_words = morph.words(tgt_text, tgt_lang)
        for entry in entries:
            if not all(w.keys & src_keys for w in entry.source_words):
                continue  # cheap test before the scan
            spans = _spans(entry.source_words, src_words, src_text, src_lang)
            if spans:
                surface = src_text[spans[0][0] : spans[0][1]]
                issue = _check_bead(bead, entry, surface, tgt_words, tgt_text, tgt_lang)
                if issue is not None:
                    issues.append(issue)
    return issues


def _prepared(entry: Any, src_lang: str, tgt_lang: str) -> _Entry:
    source, target = getattr(entry, "source", ""), getattr(entry, "target", "")
    forbidden = tuple(getattr(entry, "forbidden", ()) or ())
    renderings = (target, *(getattr(entry, "alternatives", ()) or ()))  # duck-typed entries may lack it
    return _Entry(
        source=source,
        target=target,
        note=getattr(entry, "note", "") or "",
        source_words=morph.words(source, src_lang),
        renderings=tuple(w for w in (morph.words(r, tgt_lang) for r in renderings) if w),
        forbidden=tuple((f, morph.words(f, tgt_lang)) for f in forbidden if f.strip()),
    )


def _check_bead(
    bead: Bead,
    entry: _Entry,
    surface: str,
    tgt_words: Sequence[morph.Word],
    tgt_text: str,
    tgt_lang: str,
) -> Issue | None:
    required_spans = [span for words in entry.renderings for span in _spans(words, tgt_words, tgt_text, tgt_lang)]
    required = bool(required_spans)
    used = _forbidden_used(entry, tgt_words, tgt_text, tgt_lang, required_spans)
    if required and not used:
        return None
    return Issue(
        kind="glossary",
        severity=Severity.HIGH,
        src=bead.src,
        tgt=bead.tgt,
        message=_message(entry, surface, required, used),
        evidence=(surface, *used),
        suggestion=entry.target,
    )


def _forbidden_used(
    entry: _Entry, tgt_words: Sequence[morph.Word], tgt_text: str, tgt_lang: str, required: Sequence[Span]
) -> list[str]:
    """The first use of each forbidden rendering, outside the required ones ("Coalition" in
    "Civic Coalition" is no use of "Coalition")."""
    used = []
    for _, words in entry.forbidden:
        outside = [s for s in _spans(words, tgt_words, tgt_text, tgt_lang) if not _inside(s, required)]
        if outside:
            used.append(tgt_text[outside[0][0] : outside[0][1]])
    return used


def _message(entry: _Entry, surface: str, required: bool, used: list[str]) -> str:
    quoted = ", ".join(f"'{u}'" for u in used)
    if used and required:
        text = (
            f"The translation uses {quoted}, which the glossary forbids for '{entry.source}', "
            f"next to the required '{entry.target}'."
        )
    elif used:
        text = (
            f"'{surface}' is translated {quoted} here, which the glossary forbids; "
            f"it requires '{entry.target}'."
        )
    else:
        text = (
            f"'{surface}' should be translated '{entry.target}' (glossary), "
            "but the translation here does not use it."
        )
    if entry.note:
        text += f" Note: {entry.note}"
    return text


def _spans(term: Sequence[morph.Word], words: Sequence[morph.Word], text: str, lang: str) -> list[Span]:
    """Where ``term`` occurs in ``text`` in any inflected form, its cased words in their casing."""
    spans = morph.match_spans(term, words, text, any_order=lang in _ANY_ORDER)
    cased = [w.text for w in term if _is_cased(w.text)]
    if not cased:
        return spans
    return [
        span for span in spans
        if all(any(_same_casing(c, w.text) for w in words if span[0] <= w.start < span[1]) for c in cased)
    ]


def _is_cased(word: str) -> bool:
    """An acronym or a word with a capital inside ("PO", "PiS"): its casing tells it apart."""
    return any(c.isupper() for c in word[1:])


def _same_casing(cased: str, word: str) -> bool:
    """``word`` is ``cased`` as written, bare or with a lower-case ending ("PiS", "PiSu")."""
    if not word.startswith(cased):
        return False
    ending = word[len(cased):]
    return not ending or (bool(_ENDING.fullmatch(ending)) and ending == ending.lower())


def _inside(span: Span, outer: Sequence[Span]) -> bool:
    return any(start <= span[0] and span[1] <= end for start, end in outer)
