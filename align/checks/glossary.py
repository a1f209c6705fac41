"""glossary: a source term from the glossary whose required rendering is missing in its bead.

For every glossary entry (``align.glossary.GlossaryEntry``: ``source``, ``target``, optional
``forbidden`` renderings) and every bead whose source text contains the entry's source term in
any inflected form (Polish "Narodowego Zarządzania Antykryzysowego" for the entry "Narodowe
Zarządzanie Antykryzysowe"; for Polish, also with adjective and noun swapped), the bead's
target text must contain the required rendering, again in any inflected form ("rocket launchers"
for "rocket launcher"). A forbidden rendering in that target text is reported too.

Matching is ``align.morph``: simplemma lemmas for pl/en/de/fr, a crude stem for unknown words.
Presence is checked per bead, not counted: a second mention is often a pronoun. Beads with an
empty side are left to the omission/addition checker.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Sequence

from align import morph
from align.checks.base import CheckContext
from align.types import Bead, Issue, Severity

__all__ = ["KINDS", "SCOPE", "check"]

KINDS = ("glossary",)
SCOPE = "pair"  # each bead is judged on its own, so an edited bead can be re-checked alone

_ANY_ORDER = frozenset({"pl"})  # languages whose adjectives stand on either side of the noun


@dataclass(frozen=True)
class _Entry:
    """A glossary entry with its terms split into words once."""

    source: str
    target: str
    note: str
    source_words: tuple[morph.Word, ...]
    target_words: tuple[morph.Word, ...]
    forbidden: tuple[tuple[str, tuple[morph.Word, ...]], ...]


def check(ctx: CheckContext) -> list[Issue]:
    src_lang, tgt_lang = morph.lang_code(ctx.source.lang), morph.lang_code(ctx.target.lang)
    entries = [_prepared(e, src_lang, tgt_lang) for e in ctx.glossary]
    entries = [e for e in entries if e.source_words and e.target_words]
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
            spans = morph.match_spans(
                entry.source_words, src_words, src_text, any_order=src_lang in _ANY_ORDER
            )
            if spans:
                surface = src_text[spans[0][0] : spans[0][1]]
                issue = _check_bead(bead, entry, surface, tgt_words, tgt_text, tgt_lang)
                if issue is not None:
                    issues.append(issue)
    return issues


def _prepared(entry: Any, src_lang: str, tgt_lang: str) -> _Entry:
    source, target = getattr(entry, "source", ""), getattr(entry, "target", "")
    forbidden = tuple(getattr(entry, "forbidden", ()) or ())
    return _Entry(
        source=source,
        target=target,
        note=getattr(entry, "note", "") or "",
        source_words=morph.words(source, src_lang),
        target_words=morph.words(target, tgt_lang),
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
    any_order = tgt_lang in _ANY_ORDER
    required = bool(morph.match_spans(entry.target_words, tgt_words, tgt_text, any_order=any_order))
    used = [
        tgt_text[s:e]
        for _, words in entry.forbidden
        for s, e in morph.match_spans(words, tgt_words, tgt_text, any_order=any_order)[:1]
    ]
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
