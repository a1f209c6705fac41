"""meaning_shift: aligned pairs where a word of one side has no counterpart in the other.

Sentence similarity does not see a wrong word in a long sentence (a "generator" rendered "power
plant" still scores 0.8), so this checker works word by word and judges each pair against the
rest of the document:

1. **Words.** Each side's content words (``align.lexicon``) and, as candidate counterparts, the
   phrases of 1-3 consecutive content words of the other side.
2. **Evidence of a counterpart** for each word, from the strongest available source:
   - the same word in both texts, or a cognate / transliterated name (``protektorat`` /
     ``protectorate``, ``Swietłany`` / ``Sviatlana``);
   - a word pair that recurs together across the document's beads (the document teaches its own
     lexicon: ``uchodźstwie`` / ``exile`` in five beads);
   - a bilingual dictionary, when one is installed (``align.lexicon.load_dictionary``);
   - else the multilingual encoder: the word's best cosine with the other side's phrases, and how
     far that stands above the same word's best match in the *other* beads (a z-score: a word
     that resembles everything counts for less than one that picks out its own bead).
3. **Pair score.** A word without counterpart scores by how far its best cosine falls short; a
   pair scores its worst source word plus its worst target word (a mistranslation usually leaves
   one unmatched word on each side: ``rakiet`` and ``grenades``).
4. **Outliers.** Pairs whose score stands far above the document's typical pair are flagged
   (z-score among all pairs), at most a small share of the pairs.

Without an encoder the checker reports nothing: a dictionary alone misses too many renderings to
be trusted.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from rapidfuzz.distance import Levenshtein

from align.checks.base import CheckContext
from align.lexicon import Dictionary, Token, all_words, is_function_word, load_dictionary
from align.translit import name_key
from align.types import Bead, Issue, Severity

KINDS = ("meaning_shift",)

MAX_PHRASE = 3  # longest run of content words tried as a counterpart
MATCHED_COSINE = 0.62  # a word whose best cosine reaches this has a counterpart
DISTINCT_Z = 3.0  # ... and so has one that matches its own bead this far above the others
COGNATE_SIMILARITY = 0.75  # normalised edit similarity of name keys
RECURRING_MIN = 3  # beads in which a word pair must co-occur to teach the lexicon
RECURRING_DICE = 0.6
OUTLIER_Z = 2.0  # a pair is flagged this many standard deviations above the document's mean
KNOWN_WEIGHT = 1.5  # a word the dictionary knows, none of whose renderings is there
UNKNOWN_WEIGHT = 0.7  # a word the installed dictionary does not know (a compound, a rare form)
MIN_SCORE = 0.35  # ... and only if its score says something in absolute terms too
MAX_SHARE = 0.03  # never more than this share of the pairs


@dataclass(frozen=True)
class WordEvidence:
    """How well one word of a pair is matched on the other side."""

    token: Token
    closest: str  # the other side's phrase most like it
    cosine: float  # their similarity
    z: float  # how far that stands above this word's best match in the other beads
    confirmed: str | None  # "same", "cognate", "recurring", "dictionary" or None
    weight: float = 1.0  # KNOWN_WEIGHT when a dictionary knows the word and finds no rendering

    @property
    def shortfall(self) -> float:
        """How far the word is from having a counterpart (0 when it has one)."""
        if self.confirmed:
            return 0.0
        if self.cosine >= MATCHED_COSINE or self.z >= DISTINCT_Z:
            return 0.0
        return (MATCHED_COSINE - self.cosine) * self.weight


@dataclass(frozen=True)
class PairReading:
    """One bead seen word by word."""

    bead: Bead
    source: tuple[WordEvidence, ...]
    target: tuple[WordEvidence, ...]

    @property
    def worst_source(self) -> WordEvidence | None:
        return max(self.source, key=lambda e: e.shortfall, default=None)

    @property
    def worst_target(self) -> WordEvidence | None:
        return max(self.target, key=lambda e: e.shortfall, default=None)

    @property
    def score(self) -> float:
        return sum(e.shortfall for e in (self.worst_source, self.worst_target) if e)


def check(ctx: CheckContext) -> list[Issue]:
    if ctx.encoder is None:
        return []
    readings = read_pairs(ctx)
    dictionary = _dictionary(ctx)
    return [_issue(r, dictionary) for r in outliers(readings)]


def read_pairs(ctx: CheckContext) -> list[PairReading]:
    """Every bead with text on both sides, read word by word (see the module doc)."""
    beads = [(b, s, t) for b, s, t in ctx.pairs() if b.src and b.tgt]
    if not beads:
        return []
    src_lang, tgt_lang = ctx.source.lang, ctx.target.lang
    src_all = [all_words(s, src_lang) for _, s, _ in beads]
    tgt_all = [all_words(t, tgt_lang) for _, _, t in beads]
    src_words = [[w for w in ws if not is_function_word(w.text, src_lang)] for ws in src_all]
    tgt_words = [[w for w in ws if not is_function_word(w.text, tgt_lang)] for ws in tgt_all]
    src_space = _Space.build(ctx.encoder, src_words)
    tgt_space = _Space.build(ctx.encoder, tgt_words)
    lexicon = _recurring_pairs(src_words, tgt_words)
    dictionary = _dictionary(ctx)

    def judge_source(word: Token, others: Sequence[Token]) -> tuple[str | None, float]:
        found = _confirmed(word, src_lang, others, tgt_lang, lambda t: (word.lemma, t.lemma) in lexicon,
                           dictionary and (lambda lemmas: dictionary.renders(word.lemma, lemmas)))
        return found, _weight(dictionary and dictionary.knows_source(word.lemma), dictionary)

    def judge_target(word: Token, others: Sequence[Token]) -> tuple[str | None, float]:
        found = _confirmed(word, tgt_lang, others, src_lang, lambda s: (s.lemma, word.lemma) in lexicon,
                           dictionary and (lambda lemmas: dictionary.rendered_by(word.lemma, lemmas)))
        return found, _weight(dictionary and dictionary.knows_target(word.lemma), dictionary)

    source = _evidence(src_space, tgt_space, src_words, tgt_all, judge_source)
    target = _evidence(tgt_space, src_space, tgt_words, src_all, judge_target)
    return [PairReading(b, tuple(s), tuple(t)) for (b, _, _), s, t in zip(beads, source, target)]


def outliers(readings: Sequence[PairReading]) -> list[PairReading]:
    """The pairs whose score stands out from the document's (see the module constants)."""
    if len(readings) < 2:
        return [r for r in readings if r.score >= MIN_SCORE * 1.5]
    scores = np.array([r.score for r in readings])
    mean, spread = float(scores.mean()), float(scores.std()) or 1.0
    ranked = sorted(readings, key=lambda r: -r.score)
    limit = max(1, round(MAX_SHARE * len(readings)))
    return [r for r in ranked[:limit] if r.score >= MIN_SCORE and (r.score - mean) / spread >= OUTLIER_Z]


# --------------------------------------------------------------------------------------------
# Embedding space of one side
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Space:
    """Vectors of one side's words (as written and as lemma) and of its phrases, bead by bead."""

    words: list[tuple[np.ndarray, np.ndarray]]  # per bead: (surface rows, lemma rows)
    phrases: list[tuple[list[str], np.ndarray]]  # per bead: phrase texts and their rows

    @staticmethod
    def build(encoder, tokens: list[list[Token]]) -> _Space:
        phrase_texts = [_phrases(ts) for ts in tokens]
        strings = sorted({x for ts in tokens for t in ts for x in (t.text, t.lemma)}
                         | {p for ps in phrase_texts for p in ps})
        vectors = encoder.encode(strings) if strings else np.zeros((0, 1), np.float32)
        row = {s: i for i, s in enumerate(strings)}
        take = lambda texts: vectors[[row[x] for x in texts]] if texts else vectors[:0]  # noqa: E731
        words = [(take([t.text for t in ts]), take([t.lemma for t in ts])) for ts in tokens]
        return _Space(words, [(ps, take(ps)) for ps in phrase_texts])


def _phrases(tokens: Sequence[Token]) -> list[str]:
    """Runs of 1..MAX_PHRASE consecutive content words (as written)."""
    texts = [t.text for t in tokens]
    return [" ".join(texts[i : i + n]) for n in range(1, MAX_PHRASE + 1) for i in range(len(texts) - n + 1)]


def _best(words: tuple[np.ndarray, np.ndarray], phrases: np.ndarray) -> np.ndarray:
    """For each word, its best cosine (as written or as lemma) with any of the phrases."""
    if not len(phrases):
        return np.zeros((len(words[0]), 0))
    return np.maximum(words[0] @ phrases.T, words[1] @ phrases.T)


def _weight(known: bool | None, dictionary: Dictionary | None) -> float:
    if dictionary is None:
        return 1.0
    return KNOWN_WEIGHT if known else UNKNOWN_WEIGHT


def _evidence(own, other, own_words, other_words, judge) -> list[list[WordEvidence]]:
    n = len(own_words)
    readings = []
    for k in range(n):
        if not own_words[k] or not other.phrases[k][0]:  # nothing to weigh a word against
            readings.append([])
            continue
        per_bead = np.full((len(own_words[k]), n), np.nan)
        for j in range(n):
            if len(other.phrases[j][1]):
                per_bead[:, j] = _best(own.words[k], other.phrases[j][1]).max(axis=1)
        rest = np.delete(per_bead, k, axis=1)
        typical = np.nanmean(rest, axis=1) if rest.size else np.zeros(len(own_words[k]))
        spread = np.nanstd(rest, axis=1) if rest.size else np.ones(len(own_words[k]))
        sims = _best(own.words[k], other.phrases[k][1])
        texts = other.phrases[k][0]
        row = []
        for i, word in enumerate(own_words[k]):
            best = int(sims[i].argmax())
            z = float((sims[i, best] - typical[i]) / spread[i]) if spread[i] > 0 else 0.0
            confirmed, weight = judge(word, other_words[k])  # all words: może is rendered perhaps
            row.append(WordEvidence(word, texts[best], float(sims[i, best]), z, confirmed, weight))
        readings.append(row)
    return readings


# --------------------------------------------------------------------------------------------
# Confirmations that need no encoder
# --------------------------------------------------------------------------------------------


def _confirmed(word: Token, lang: str, others: Sequence[Token], other_lang: str, recurring, in_dictionary) -> str | None:
    lower = word.text.lower()
    if any(o.text.lower() == lower or o.lemma == word.lemma for o in others):
        return "same"
    key = name_key(word.text, lang)
    if len(key) >= 4 and any(_cognates(key, name_key(o.text, other_lang)) for o in others):
        return "cognate"
    if any(recurring(o) for o in others):
        return "recurring"
    if in_dictionary and in_dictionary(frozenset(o.lemma for o in others) | {o.text.lower() for o in others}):
        return "dictionary"
    return None


def _cognates(a: str, b: str) -> bool:
    """Name keys that share most of their letters (endings differ by inflection)."""
    if len(b) < 4:
        return False
    stem = min(len(a), len(b))
    return Levenshtein.normalized_similarity(a[:stem], b[:stem]) >= COGNATE_SIMILARITY


def _recurring_pairs(src: list[list[Token]], tgt: list[list[Token]]) -> set[tuple[str, str]]:
    """Lemma pairs that occur together in several beads and rarely apart (Dice coefficient)."""
    src_sets = [{t.lemma for t in ts} for ts in src]
    tgt_sets = [{t.lemma for t in ts} for ts in tgt]
    src_count = Counter(l for s in src_sets for l in s)
    tgt_count = Counter(l for s in tgt_sets for l in s)
    together = Counter((a, b) for s, t in zip(src_sets, tgt_sets) for a in s for b in t
                       if src_count[a] >= RECURRING_MIN and tgt_count[b] >= RECURRING_MIN)
    dice = {(a, b): 2 * c / (src_count[a] + tgt_count[b]) for (a, b), c in together.items() if c >= RECURRING_MIN}
    best_of_source: dict[str, float] = {}
    best_of_target: dict[str, float] = {}
    for (a, b), d in dice.items():
        best_of_source[a] = max(best_of_source.get(a, 0.0), d)
        best_of_target[b] = max(best_of_target.get(b, 0.0), d)
    # a pair counts only if each word is the other's best partner (competitive linking)
    return {
        (a, b) for (a, b), d in dice.items()
        if d >= RECURRING_DICE and d >= best_of_source[a] and d >= best_of_target[b]
    }


def _dictionary(ctx: CheckContext) -> Dictionary | None:
    if not ctx.options.get("dictionary", True):
        return None
    return load_dictionary(ctx.source.lang, ctx.target.lang)


# --------------------------------------------------------------------------------------------
# Reporting
# --------------------------------------------------------------------------------------------


def _issue(reading: PairReading, dictionary: Dictionary | None) -> Issue:
    src, tgt = reading.worst_source, reading.worst_target
    lost = src if src and src.shortfall else None
    added = tgt if tgt and tgt.shortfall else None
    evidence: list[str] = []
    if lost:
        evidence += [f"source: {lost.token.text}", f"closest in translation: {lost.closest}"]
    if added:
        evidence += [f"translation: {added.token.text}", f"closest in source: {added.closest}"]
    if lost:
        message = (f"Possible change of meaning: '{lost.token.text}' has no clear counterpart in the "
                   f"translation (closest: '{lost.closest}')")
    else:
        message = (f"Possible change of meaning: '{added.token.text}' in the translation has no clear "
                   f"counterpart in the source (closest: '{added.closest}')")
    suggestion = None
    if lost and dictionary:
        renderings = sorted(dictionary.renderings(lost.token.lemma), key=len)
        if renderings:
            suggestion = f"Check the rendering of '{lost.token.text}': " + " / ".join(renderings[:3])
    return Issue("meaning_shift", Severity.MEDIUM, reading.bead.src, reading.bead.tgt, message,
                 tuple(evidence), suggestion)
