"""omission / addition: text on one side that has no counterpart on the other.

A blank target segment is a sentence deleted in the review (saved empty): it is left out of its
bead before anything below, so it is never reported itself.

Three findings:

- **A segment with no counterpart** (a 1-0 bead is an omission, a 0-1 bead an addition). Severity
  follows what was lost or added: a whole sentence is HIGH as an omission and MEDIUM as an
  addition, a short fragment or one-word heading LOW.
- **Page debris** in the translation: a target-only line that looks like what a web page leaves
  behind (navigation, share buttons, bylines, link captions, cookie notices, bare addresses, a
  repeated headline) is an addition of LOW severity, with the suggestion to delete it. It is
  recognised by general features, never by exact strings: few words, no closing punctuation,
  boilerplate vocabulary, an address, a near copy of another line, a place before the first or
  after the last aligned pair.
- **A source sentence merged into a bead it does not match**: in a bead of two or more source
  sentences, one (four content words or more) whose cosine with the bead's target is no better
  than that of random sentence pairs of the document. This is what an untranslated sentence looks
  like once the aligner has attached it to a neighbour; a sentence a translator merged with
  another keeps part of its match (on the gold alignments of Text+Berg and the demo pair, none of
  111 merged source sentences is that low). A MEDIUM omission. Not done for target sentences: a
  short piece of a long source sentence split in the translation compares with the whole source
  and scores as low as random while being translated.
- **A clause lost inside a bead**: in a merged bead (n-m, 1-n, n-1) or a long 1-1 bead, a source
  clause (sentences are cut at commas, semicolons, colons and dashes) without which the source
  matches the target better: the cosine of the source without the clause and the target beats
  that of the whole source by a margin (two running clauses are tested together too: a clause cut
  at its inner comma is lost whole). A translated clause has its counterpart in the target, so
  taking it away lowers the match; a clause nobody translated only dilutes it. (Comparing each
  clause with the target on its own flagged about one Text+Berg bead in six that was tested,
  nearly all of them translated, and missed more planted losses.) Also a bead whose target is far
  shorter than the document's usual length ratio. Reported as a MEDIUM omission with the clause
  as evidence. Needs the encoder for the clause test; the length test works without it.
"""

from __future__ import annotations

import dataclasses
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from rapidfuzz import fuzz, process

from align.checks.base import CheckContext
from align.embed import edit_encoder
from align.lexicon import content_words
from align.types import Bead, Issue, Severity

KINDS = ("omission", "addition")

SENTENCE_WORDS = 4  # a segment with this many content words is a sentence, not a heading
SHORT_WORDS = 8  # debris lines are at most this long (in words)
EDGE_SEGMENTS = 3  # segments this close to either end of the text count as "at the edge"
DUPLICATE_RATIO = 85  # rapidfuzz ratio above which two lines are copies of each other
DEBRIS_EVIDENCE = 2  # features a line needs to be called debris

CLAUSE_MIN_CHARS = 25  # shorter pieces are merged with their neighbour, not tested alone
CLAUSE_MIN_WORDS = 3  # content words a clause needs to be worth reporting
LONG_BEAD_CHARS = 160  # a 1-1 bead this long is tested clause by clause too
# A source side longer than this is no sentence (a text without punctuation, a whole section):
# testing it clause by clause would encode it once per clause, so it is left alone.
CLAUSE_TEST_MAX_CHARS = 5000
CLAUSE_GAIN = 0.02  # cosine the source gains against its target when a lost clause is left out
MEMBER_Z = 0.0  # a merged sentence no more like the bead's other side than random pairs (in deviations)
MEMBER_SAMPLE = 512  # sentences a side for the document's random-pair level
LENGTH_Z = -3.0  # a bead whose log length ratio is this many deviations below the norm
LENGTH_MIN_CHARS = 60  # ... with at least this much source text
LENGTH_MIN_SPREAD = 0.15  # floor of that deviation: real translations never keep lengths tighter

# Words that web pages put around an article. Lower case; matched as whole words or phrases.
BOILERPLATE = (
    "top of page", "bottom of page", "back to top", "skip to content", "main menu", "menu",
    "home", "share", "shares", "tweet", "like", "follow us", "subscribe", "newsletter", "sign in",
    "sign up", "log in", "login", "register", "read more", "read also", "see also", "related",
    "related articles", "comments", "comment", "print", "email", "e-mail", "advertisement",
    "sponsored", "cookie", "cookies", "privacy", "privacy policy", "terms of use",
    "all rights reserved", "copyright", "original article", "original article in", "source",
    "photo", "image", "video", "gallery", "tags", "posted", "published", "updated",
    "interview by", "written by", "translated by", "edition of", "click here", "next",
    "previous", "load more", "accept", "czytaj też", "czytaj także", "czytaj więcej", "udostępnij",
    "przeczytaj też", "przeczytaj także", "zobacz także", "zobacz również", "polecamy",
    "zobacz też", "komentarze", "reklama", "źródło", "zdjęcie", "fot", "autor", "weiterlesen",
    "teilen", "werbung", "lire aussi", "partager", "publicité",
)
_BOILERPLATE = re.compile(r"(?<!\w)(?:" + "|".join(re.escape(p) for p in sorted(BOILERPLATE, key=len, reverse=True)) + r")(?!\w)", re.IGNORECASE)
# A line that opens with "read also" is a link to another article: debris whatever its length.
_LINK_LINE = re.compile(
    r"^\W*(?:(?:prze)?czytaj|zobacz|read|see|lire|lesen sie)\s+(?:też|także|również|więcej|also|more|aussi|auch)\b"
    r"|^\W*(?:polecamy|weiterlesen)\b", re.IGNORECASE)
LINK = "a link to another article"
_ADDRESS = re.compile(r"(?:https?://|www\.)\S+|\b[\w.-]+@[\w-]+\.[\w.]+\b|\b[\w-]+\.(?:com|org|net|pl|eu|de|fr|uk|by|ru|info)\b", re.IGNORECASE)
_WORD = re.compile(r"[^\W\d_]{3,}")  # three letters in a row
NO_WORDS = "no word, only marks, digits or stray letters"
AT_EDGE = "at the edge of the text"
_CLOSING = re.compile(r"[.!?…:;\"'”’»)]\s*$")
_CLAUSE_CUT = re.compile(r"(?<=[,;:.!?])\s+|\s+(?=[—–-]\s)")  # cut after the mark, before a dash
_SENTENCE_END = re.compile(r"(?:(?<!\d)\.|[!?…])[\"'»”’)]*$")  # "am 6." is an ordinal, not an end


def check(ctx: CheckContext) -> list[Issue]:
    ctx = _without_blank(ctx)
    issues = _null_beads(ctx)
    members = _unmatched_members(ctx)
    merged_in = {i.tgt for i in members}  # the clause test would report the same beads again
    issues += members
    issues += [i for i in _lost_clauses(ctx) if i.tgt not in merged_in]
    issues += _short_targets(ctx, {i.src for i in issues})
    return issues


def _without_blank(ctx: CheckContext) -> CheckContext:
    """``ctx`` with every blank segment left out of its bead. The review app deletes a translated
    sentence by saving it empty, and a deleted sentence is neither an addition nor debris; a
    presplit file's empty line between paragraphs is nothing to translate. A bead left with no
    target text is then a 1-0 bead (its source lost its translation), and one left with nothing
    at all is dropped."""
    src_texts, tgt_texts = ctx.source.texts, ctx.target.texts
    if all(text.strip() for text in src_texts) and all(text.strip() for text in tgt_texts):
        return ctx
    beads = (dataclasses.replace(b, src=tuple(i for i in b.src if src_texts[i].strip()),
                                 tgt=tuple(j for j in b.tgt if tgt_texts[j].strip())) for b in ctx.beads)
    kept = tuple(b for b in beads if b.src or b.tgt)
    return dataclasses.replace(ctx, alignment=dataclasses.replace(ctx.alignment, beads=kept))


# --------------------------------------------------------------------------------------------
# 1-0 and 0-1 beads
# --------------------------------------------------------------------------------------------


def _null_beads(ctx: CheckContext) -> list[Issue]:
    aligned = [k for k, b in enumerate(ctx.beads) if b.src and b.tgt]
    first, last = (aligned[0], aligned[-1]) if aligned else (len(ctx.beads), -1)
    target_texts = ctx.target.texts
    plain_lines: list[str] | None = None  # made once, for the first target-only bead
    issues = []
    for k, bead in enumerate(ctx.beads):
        if bead.src and not bead.tgt:
            text = " ".join(ctx.source.texts[i] for i in bead.src)
            at_edge = k < first or k > last or _near_edge(bead.src, len(ctx.source.texts))
            features = _debris_features(text, at_edge, ())
            issues.append(_omission(bead, text, ctx.source.lang, features))
        elif bead.tgt and not bead.src:
            text = " ".join(target_texts[j] for j in bead.tgt)
            at_edge = k < first or k > last or _near_edge(bead.tgt, len(target_texts))
            plain_lines = plain_lines or [_plain(t) for t in target_texts]
            others = [line for j, line in enumerate(plain_lines) if j not in bead.tgt]
            features = _debris_features(text, at_edge, others)
            issues.append(_addition(bead, text, ctx.target.lang, features))
    return issues


def _near_edge(indices: Sequence[int], total: int) -> bool:
    return min(indices) < EDGE_SEGMENTS or max(indices) >= total - EDGE_SEGMENTS


def _omission(bead: Bead, text: str, lang: str, features: tuple[str, ...]) -> Issue:
    if _is_debris(features):  # "Czytaj też: ...", a share bar
        return Issue("omission", Severity.LOW, bead.src, (),
                     f"'{_short(text)}' looks like page debris ({', '.join(features)}) and is not translated.",
                     (text, *features), "Nothing to do if it was left out on purpose.")
    severity = Severity.HIGH if _is_sentence(text, lang) else Severity.MEDIUM if len(content_words(text, lang)) >= 2 else Severity.LOW
    return Issue("omission", severity, bead.src, (), f"Not translated: '{_short(text)}' has no counterpart in the translation.",
                 (text,), "Translate it, or confirm that leaving it out was intended.")


def _addition(bead: Bead, text: str, lang: str, features: tuple[str, ...]) -> Issue:
    if _is_debris(features):
        return Issue("addition", Severity.LOW, (), bead.tgt,
                     f"'{_short(text)}' looks like page debris ({', '.join(features)}), not part of the translation.",
                     (text, *features), "Delete it.")
    # At the edge of the text a short line is more likely the page's (a headline) than a claim.
    at_edge = AT_EDGE in features
    whole = len(content_words(text, lang)) >= SENTENCE_WORDS if at_edge else _is_sentence(text, lang)
    severity = Severity.MEDIUM if whole else Severity.LOW
    return Issue("addition", severity, (), bead.tgt, f"Added: '{_short(text)}' has no counterpart in the source.",
                 (text,), "Delete it, or confirm that the addition was intended.")


def _is_debris(features: tuple[str, ...]) -> bool:
    return len(features) >= DEBRIS_EVIDENCE or NO_WORDS in features or LINK in features


def _is_sentence(text: str, lang: str) -> bool:
    """A whole sentence, not a heading or a fragment: four content words, or two that end with a
    full stop ("The Kremlin denied it.", "Nie wiem, czy żyje.")."""
    words = len(content_words(text, lang))
    return words >= SENTENCE_WORDS or (words >= 2 and bool(_SENTENCE_END.search(text)))


def debris_features(text: str, *, at_edge: bool = False, other_lines: Sequence[str] = ()) -> tuple[str, ...]:
    """What makes ``text`` look like web-page debris rather than a sentence (maybe nothing)."""
    return _debris_features(text, at_edge, [_plain(line) for line in other_lines])


def _debris_features(text: str, at_edge: bool, plain_others: Sequence[str]) -> tuple[str, ...]:
    words = text.split()
    features = []
    if not _WORD.search(text):
        features.append(NO_WORDS)  # enough by itself: scanner dust ("24 a !", "- _-")
    if _ADDRESS.search(text):
        features.append("a web or mail address")
    if _LINK_LINE.search(text):
        features.append(LINK)
    elif _BOILERPLATE.search(text):
        features.append("page vocabulary")
    if len(words) <= SHORT_WORDS and not _CLOSING.search(text):
        features.append("a short line without closing punctuation")
    if at_edge:
        features.append(AT_EDGE)
    if process.extractOne(_plain(text), plain_others, scorer=fuzz.ratio, score_cutoff=DUPLICATE_RATIO) is not None:
        features.append("a copy of another line")
    return tuple(features)


def _plain(text: str) -> str:
    return " ".join(re.sub(r"[^\w\s]", " ", text.lower()).split())


# --------------------------------------------------------------------------------------------
# Sentences merged into a bead they do not match
# --------------------------------------------------------------------------------------------


def _unmatched_members(ctx: CheckContext) -> list[Issue]:
    merged = [(b, s, t) for b, s, t in ctx.pairs() if len(b.src) > 1 and b.tgt]
    if ctx.encoder is None or not merged:
        return []
    source, target = ctx.source.texts, ctx.target.texts
    src_sample, tgt_sample = _evenly_spaced(len(source)), _evenly_spaced(len(target))
    members = sorted({i for bead, _, _ in merged for i in bead.src})
    vectors = ctx.encoder.encode([source[i] for i in src_sample] + [target[j] for j in tgt_sample]
                                 + [source[i] for i in members] + [t for _, _, t in merged])
    mean, spread = _random_level(vectors[: len(src_sample)], vectors[len(src_sample) : len(src_sample) + len(tgt_sample)])
    member_vectors = dict(zip(members, vectors[len(src_sample) + len(tgt_sample) :]))
    issues = []
    for (bead, _, _), translation in zip(merged, vectors[-len(merged) :]):
        for i in bead.src:
            z = (float(member_vectors[i] @ translation) - mean) / spread
            if z <= MEMBER_Z and len(content_words(source[i], ctx.source.lang)) >= SENTENCE_WORDS:
                issues.append(Issue(
                    "omission", Severity.MEDIUM, (i,), bead.tgt,
                    f"This sentence seems not translated: '{_short(source[i])}' matches the translation no better than unrelated sentences do.",
                    (source[i], f"cosine with the translation {z:+.1f} deviations from unrelated pairs"),
                    "Translate it, or confirm that leaving it out was intended.",
                ))
    return issues


def _evenly_spaced(n: int) -> list[int]:
    """Up to MEMBER_SAMPLE positions spread evenly over 0..n-1."""
    return sorted(set(np.linspace(0, n - 1, min(n, MEMBER_SAMPLE)).astype(int).tolist()))


def _random_level(src_vectors: np.ndarray, tgt_vectors: np.ndarray) -> tuple[float, float]:
    """Typical cosine of sentence pairs of the two samples and its spread (median and robust
    deviation: in a short document the true pairs are a share of all pairs that would lift a
    mean)."""
    cos = (src_vectors @ tgt_vectors.T).ravel()
    centre = float(np.median(cos))
    return centre, float(np.median(np.abs(cos - centre))) * 1.4826 or 1.0


# --------------------------------------------------------------------------------------------
# Clauses lost inside a bead
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ClauseGain:
    """One source clause of a bead, and how much nearer its target the source comes without it."""

    text: str
    gain: float


def clauses(text: str) -> list[str]:
    """``text`` cut at sentence ends, commas, semicolons, colons and dashes; short pieces are
    joined to the piece before them (a clause of two words is no test of anything), or, at the
    start of a sentence, to the piece after them: a sentence the translation lacks stays a piece
    of its own ("Rosja już wywiera presję na Łukaszenkę." | "Z informacji, którymi ...")."""
    cuts = [0] + [m.end() for m in _CLAUSE_CUT.finditer(text)] + [len(text)]
    pieces = [text[a:b].strip() for a, b in zip(cuts, cuts[1:]) if text[a:b].strip()]
    merged: list[str] = []
    opening = ""  # a short piece that opens a sentence, waiting for the rest of it
    for k, piece in enumerate(pieces):
        if opening:
            piece, opening = f"{opening} {piece}", ""  # the text between pieces is one space
        short = len(piece) < CLAUSE_MIN_CHARS
        opens = bool(merged) and _opens_sentence(merged[-1], piece)
        if merged and (len(merged[-1]) < CLAUSE_MIN_CHARS or short and (not opens or k + 1 == len(pieces))):
            merged[-1] = f"{merged[-1]} {piece}"
        elif short and opens:
            opening = piece
        else:
            merged.append(piece)
    return merged


def _opens_sentence(before: str, piece: str) -> bool:
    """Whether ``piece`` starts a sentence after ``before``: a sentence end, then a capital (not
    "am 6. | und 7. Juli")."""
    first = next((ch for ch in piece if ch.isalnum()), "")
    return _SENTENCE_END.search(before) is not None and first.isupper()


def _lost_clauses(ctx: CheckContext) -> list[Issue]:
    pairs = [(b, s, t) for b, s, t in ctx.pairs() if b.src and b.tgt]
    if ctx.encoder is None or not pairs:
        return []
    lang = ctx.source.lang
    tested = []  # (bead, source, target, clauses, the clauses long enough to report)
    for bead, src, tgt in pairs:
        if len(src) > CLAUSE_TEST_MAX_CHARS:
            continue
        if len(bead.src) > 1 or len(bead.tgt) > 1 or len(src) >= LONG_BEAD_CHARS:
            parts = clauses(src)
            worth = _spans_worth_testing(parts, lang)
            if len(parts) >= 2 and worth:
                tested.append((bead, src, tgt, parts, worth))
    pairs_vectors = iter(ctx.encoder.encode([text for _, src, tgt, _, _ in tested for text in (src, tgt)]))
    # each source without one clause (or two running clauses), read only around the cut (align.use)
    edits = [(k, text) for k, (_, _, _, parts, worth) in enumerate(tested) for text in _without_each(parts, worth)]
    without = iter(edit_encoder(ctx.encoder)([src for _, src, _, _, _ in tested], edits))
    issues = []
    for bead, _, _, parts, worth in tested:
        source, target = next(pairs_vectors), next(pairs_vectors)
        whole = float(source @ target)
        gains = {(a, b): float(next(without) @ target) - whole for a, b in worth}
        lost = _lost_spans(gains)
        lost = [ClauseGain(" ".join(parts[a:b]), gains[a, b]) for a, b in lost]
        if lost:
            text = " ".join(g.text for g in lost)
            issues.append(Issue(
                "omission", Severity.MEDIUM, bead.src, bead.tgt,
                f"Part of the source seems missing from the translation: '{_short(text)}'.",
                (text, *(f"without '{_short(g.text, 40)}' the source matches the translation better (cosine +{g.gain:.2f})" for g in lost)),
                "Check that this part is translated.",
            ))
    return issues


def _spans_worth_testing(parts: list[str], lang: str) -> list[tuple[int, int]]:
    """Each clause with enough content words, and, in a sentence of three clauses or more, each
    two running clauses: a clause cut at its inner comma ("choć wcześniej zapowiadano," | "że
    nastąpi to dopiero jesienią,") is lost as a whole, and each half alone barely moves the source."""
    def worth(a: int, b: int) -> bool:
        return len(content_words(" ".join(parts[a:b]), lang)) >= CLAUSE_MIN_WORDS

    singles = [(k, k + 1) for k in range(len(parts)) if worth(k, k + 1)]
    doubles = [(k, k + 2) for k in range(len(parts) - 1) if len(parts) >= 3 and worth(k, k + 2)]
    return singles + doubles


def _lost_spans(gains: dict[tuple[int, int], float]) -> list[tuple[int, int]]:
    """The clauses (or two running clauses, where neither alone is lost) without which the source
    matches its target better, in order."""
    lost = [span for span, gain in gains.items() if gain >= CLAUSE_GAIN and span[1] - span[0] == 1]
    for (a, b), gain in sorted(gains.items(), key=lambda item: -item[1]):  # the likeliest first
        if b - a == 2 and gain >= CLAUSE_GAIN and not any(x < b and a < y for x, y in lost):
            lost.append((a, b))
    return sorted(lost)


def _without_each(parts: list[str], which: list[tuple[int, int]]) -> list[str]:
    return [" ".join(p for j, p in enumerate(parts) if not a <= j < b) for a, b in which]


def _short_targets(ctx: CheckContext, reported: set[tuple[int, ...]]) -> list[Issue]:
    """Beads whose target is far shorter than the document's usual length ratio."""
    pairs = [(b, s, t) for b, s, t in ctx.pairs() if b.src and b.tgt]
    if len(pairs) < 10:
        return []
    ratios = np.array([math.log(len(t) / len(s)) for _, s, t in pairs if s and t])
    centre = float(np.median(ratios))
    spread = max(float(np.median(np.abs(ratios - centre))) * 1.4826, LENGTH_MIN_SPREAD)  # robust deviation
    issues = []
    for bead, src, tgt in pairs:
        if bead.src in reported or len(src) < LENGTH_MIN_CHARS or not tgt:
            continue
        z = (math.log(len(tgt) / len(src)) - centre) / spread
        if z <= LENGTH_Z:
            issues.append(Issue(
                "omission", Severity.MEDIUM, bead.src, bead.tgt,
                f"The translation is much shorter than usual for this document ({len(tgt)} characters for {len(src)}).",
                (src, tgt), "Check that nothing was left out.",
            ))
    return issues


def _short(text: str, limit: int = 80) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
