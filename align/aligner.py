"""Sentence alignment: from two lists of segments and an encoder to beads.

The passes narrow each other, so the work stays linear in document length:

1. **Anchor path.** Sentence embeddings only; beads 1-1 and skips. Long documents are aligned
   coarse-to-fine (as Vecalign does): neighbouring sentences are averaged into half as many, the
   coarse path is found recursively and the fine search is limited to a band around it.
2. **All bead shapes** in a band around the anchor path, scored with the embeddings of the
   concatenated windows of sentences on each side. An encoder that composes window embeddings
   from its reading of the sentences (the bundled one, see ``align.use``) gives every window
   for little more than the sentences' cost, and this is the last pass. For any other encoder,
   each window costs a fresh encode, so this pass is a draft: a window's embedding is approximated
   by the normalised, length-weighted sum of its sentences' embeddings, and
3. **Final** (other encoders). Real embeddings of concatenated windows, but only near the places
   where the draft merged or skipped sentences (elsewhere the draft's 1-1 beads stand unchallenged
   by merges).

Besides the embeddings, a bead is worth more for each anchor both its sides hold: a number or a
name written alike (``_anchors``), and, where a bilingual dictionary is installed, a source word
whose rendering stands on the other side (``align.lexicon.word_anchors``, passed in by
``align.pipeline``). Bead values and the dynamic programme are in ``align.dp``.
"""

from __future__ import annotations

import hashlib
import math
import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, fields, replace
from functools import lru_cache
from typing import ClassVar

import numpy as np

from align import dp
from align.errors import InputError
from align.types import Bead

Progress = Callable[[str, float], None]
Encode = Callable[[list[str]], np.ndarray]
# Embeddings of the windows (first segment, number of segments) of a list of texts (align.use).
EncodeWindows = Callable[[Sequence[str], Sequence[tuple[int, int]]], np.ndarray]

_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_WORD = re.compile(r"[^\W\d_]+")
_NAME_LETTERS = 4  # shortest capitalised word taken for a name
# A segment without a word of three letters is page debris ('24 a !', '.:-- , .'), unless it completes
# an abbreviation the segment before ends with ('... de l' H .' | 'C ) .'); see align.dp. So is a
# lone word without punctuation, a web page's section label ('Kultura', 'Reklama'): alone, a
# heading keeps its 1-1 bead; glued onto a sentence it adds nothing to say.
_DEBRIS = re.compile(r"[^\W\d_]{3}")
_LABEL = re.compile(r"[^\W\d_][\w-]*")
# A numbered item's start ('3. Nanga Parbat', '12. Für die', 'b ) la déviation', 'IV. Teil'): a
# list or a chapter's new point, which the translation starts afresh too.
_ITEM = re.compile(r"\s*(?:\d{1,2}\.|[a-z]\s?\)|[IVX]+\.)\s+\S")
# An abbreviation ending a segment ('Leiter Ch.', '( Nov.', 'l\' E.', 'Nr. 293, S.'): an initial
# or a short capitalised one, a month, a page or 'about'. The sentence splitter cut the sentence
# there, so the segment goes on in the next one (see _marks).
_CONTINUES = re.compile(r"(?:^|[\s(,])(?:[A-Z][a-z]?|Jan|Febr?|Aug|Sept?|Okt|Oct|Nov|Dez|Déc|p|pp|ca|cf|vgl)\s?\.$")
# kinds of anchor: a number or a name; a word and its dictionary rendering; a number in words
_NAMED, _WORD_PAIR, _SPELLED = "named", "word", "spelled"
_SAMPLE_WINDOWS = 512  # per side and shape: 262,144 pairs
_WINDOWS_AT_ONCE = 4096  # windows asked of an encoder that composes them, between progress reports
# The typical random-pair baseline of the bundled encoder: cosine mean and spread for 1-1 pairs,
# both rising with the log of the number of segment pairs a bead spans (measured on the Text+Berg
# and demo pairs), worth _PRIOR_WEIGHT pairs of evidence.
_PRIOR_MEAN, _PRIOR_MEAN_SLOPE, _PRIOR_STD, _PRIOR_STD_SLOPE, _PRIOR_WEIGHT = 0.09, 0.04, 0.12, 0.012, 200


@dataclass(frozen=True)
class AlignConfig:
    """Settings of the aligner. The defaults were chosen on the Text+Berg development set."""

    max_side: int = 5  # most segments on one side of a bead
    # Most segments in a bead, both sides together, whatever its shape: Text+Berg's gold holds 3-3,
    # 4-3 and 2-5 beads where two translators cut a passage at different places.
    max_bead: int = 6
    tau: float = 0.75  # how far above random (in standard deviations) a pair must be to pay
    length_weight: float = 1.5
    merge_penalty: float = 0.25  # per segment beyond a 1-1 bead
    anchor_bonus: float = 2.0  # per number or name found on both sides (see _anchors)
    word_bonus: float = 0.4  # per source word whose dictionary rendering is on the other side
    lead_in_penalty: float = 1.0  # for a merged side whose last segment leads into the next (see _leads_in)
    continues_penalty: float = 1.0  # for a bead cut after an abbreviation on one side only (see _marks)
    debris_penalty: float = 1.0  # per segment of page debris inside a merged side (see _DEBRIS)
    item_penalty: float = 1.0  # per segment opening a numbered item after a merged side's first (see _ITEM)
    part_weight: float = 0.5  # per standard deviation a merged member falls below part_threshold
    part_threshold: float = 0.5
    band_width: int = 8  # cells searched on each side of the previous pass's path
    full_grid_cells: int = 250_000  # grids up to this size are searched whole in pass 1
    zone_radius: int = 1  # segments around a draft merge or skip that may be re-merged
    # a question and its answer set as two paragraphs are often one translated sentence, so a
    # merged side may cross a paragraph break, at a price: a dropped question must not ride on its
    # answer (see bench/README, stop 24). False keeps a merged side inside one paragraph.
    merge_across_paragraphs: bool = True
    paragraph_penalty: float = 0.5  # per segment opening a paragraph inside a merged side, after its first

    # Allowed values, checked on construction: anything else fails deep in the DP (no bead shape
    # is left when max_side < 1 or max_bead < 2) or silently gives a nonsense alignment (NaN
    # scores, a negative penalty that rewards merging). The upper bounds on bead sizes keep the
    # number of shapes, and so the work, sane: a bead of 50 segments a side is no sentence pair.
    COUNT_RANGES: ClassVar[dict[str, tuple[int, int | None]]] = {
        "max_side": (1, 50), "max_bead": (2, 100), "band_width": (1, None),
        "full_grid_cells": (0, None), "zone_radius": (0, None),
    }
    SIGNED: ClassVar[frozenset[str]] = frozenset({"tau", "part_threshold"})  # thresholds: any finite value

    def __post_init__(self) -> None:
        for name, (low, high) in self.COUNT_RANGES.items():
            self._check_count(name, low, high)
        for field in fields(self):
            if field.type == "float":  # every weight, penalty and threshold, new ones included
                self._check_number(field.name)
        if not isinstance(self.merge_across_paragraphs, bool):
            raise InputError(f"merge_across_paragraphs must be True or False, not {self.merge_across_paragraphs!r}")

    def _check_count(self, name: str, low: int, high: int | None) -> None:
        value = getattr(self, name)
        whole = isinstance(value, (int, np.integer)) and not isinstance(value, bool)
        if not (whole and low <= value and (high is None or value <= high)):
            allowed = f"from {low} to {high}" if high is not None else f"of {low} or more"
            raise InputError(f"{name} must be a whole number {allowed}, not {value!r}")

    def _check_number(self, name: str) -> None:
        value = getattr(self, name)
        real = isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, bool)
        if not (real and math.isfinite(value) and (name in self.SIGNED or value >= 0)):
            allowed = "a finite number" if name in self.SIGNED else "a finite number of 0 or more"
            raise InputError(f"{name} must be {allowed}, not {value!r}")

    def shapes(self) -> np.ndarray:
        return np.array(
            [
                (a, b)
                for a in range(1, self.max_side + 1)
                for b in range(1, self.max_side + 1)
                if a + b <= self.max_bead
            ],
            dtype=np.int64,
        )

    def params(self) -> np.ndarray:
        values = (self.tau, self.length_weight, self.merge_penalty, self.part_weight, self.part_threshold,
                  self.lead_in_penalty, self.item_penalty, self.continues_penalty, self.debris_penalty,
                  self.paragraph_penalty)
        return np.array(values, dtype=np.float64)


@dataclass(frozen=True)
class _Side:
    """What the passes need to know about one side's segments."""

    texts: Sequence[str]
    emb: np.ndarray  # sentence embeddings, L2-normalised
    cum_len: np.ndarray  # cumulative character counts, length n + 1
    anchor_ptr: np.ndarray  # anchor ids of segment i: anchor_val[anchor_ptr[i]:anchor_ptr[i + 1]]
    anchor_val: np.ndarray
    anchor_weight: np.ndarray  # what sharing each anchor id is worth (the same array on both sides)
    paragraph: np.ndarray
    keys: np.ndarray  # a pseudo-random 64-bit key per segment, from its text (see _sample)
    marks: np.ndarray  # layout marks, rows dp.LEADS_IN, dp.ITEMS, dp.CONTINUES, dp.DEBRIS, dp.PARAGRAPHS (_marks)

    def __len__(self) -> int:
        return len(self.texts)


def align_segments(
    src: Sequence[str],
    tgt: Sequence[str],
    encode: Encode,
    config: AlignConfig = AlignConfig(),
    *,
    src_paragraphs: Sequence[int] | None = None,
    tgt_paragraphs: Sequence[int] | None = None,
    progress: Progress | None = None,
    encode_windows: EncodeWindows | None = None,
    word_anchors: tuple[Sequence[frozenset[str]], Sequence[frozenset[str]]] | None = None,
) -> list[Bead]:
    """Align two segment lists; every segment of both sides lands in exactly one bead, in order.

    ``encode_windows``, when the encoder has it, embeds every window at once (see the module doc);
    otherwise windows are encoded as joined texts with ``encode``, and only where needed.
    ``word_anchors`` (``align.lexicon.word_anchors``): for each source and each target segment, the
    source words it holds with a dictionary rendering on the other side, or the source words whose
    rendering it holds; a bead earns ``word_bonus`` for each such word on both of its sides.

    A blank segment (a presplit file's empty line between paragraphs) says nothing: it stays out
    of the alignment, where it would match every other blank line perfectly and skew the
    random-pair baseline, and comes back as a bead of its own (``[k]:[]``), or inside a merged
    side that spans it (``[4, 5, 6]:[3]`` for sentences 4 and 6 across the blank line 5)."""
    kept_s = [i for i, text in enumerate(src) if text.strip()]
    kept_t = [j for j, text in enumerate(tgt) if text.strip()]
    if len(kept_s) == len(src) and len(kept_t) == len(tgt):
        return _align_segments(src, tgt, encode, config, src_paragraphs, tgt_paragraphs, progress,
                               encode_windows, word_anchors)

    def kept(items: Sequence | None, indices: list[int]) -> list | None:
        return None if items is None else [items[i] for i in indices]

    beads = _align_segments(
        kept(src, kept_s), kept(tgt, kept_t), encode, config, kept(src_paragraphs, kept_s),
        kept(tgt_paragraphs, kept_t), progress, encode_windows,
        None if word_anchors is None else (kept(word_anchors[0], kept_s), kept(word_anchors[1], kept_t)),
    )
    beads = [Bead(_spanned([kept_s[i] for i in b.src]), _spanned([kept_t[j] for j in b.tgt]), b.score) for b in beads]
    blank_src = sorted(set(range(len(src))) - {i for b in beads for i in b.src})
    blank_tgt = sorted(set(range(len(tgt))) - {j for b in beads for j in b.tgt})
    return _with_blanks(beads, blank_src, blank_tgt)


def _spanned(indices: list[int]) -> tuple[int, ...]:
    """Indices from the first to the last: a merged side takes in the blank lines between its sentences."""
    return tuple(range(indices[0], indices[-1] + 1)) if indices else ()


def _with_blanks(beads: list[Bead], blank_src: list[int], blank_tgt: list[int]) -> list[Bead]:
    """``beads`` with a null bead for each blank segment, each where its index falls in order."""
    out: list[Bead] = []
    blank_src, blank_tgt = blank_src[::-1], blank_tgt[::-1]  # popped from the end: first first
    for bead in beads:
        while bead.src and blank_src and blank_src[-1] < bead.src[0]:
            out.append(Bead((blank_src.pop(),), ()))
        while bead.tgt and blank_tgt and blank_tgt[-1] < bead.tgt[0]:
            out.append(Bead((), (blank_tgt.pop(),)))
        out.append(bead)
    return out + [Bead((i,), ()) for i in blank_src[::-1]] + [Bead((), (j,)) for j in blank_tgt[::-1]]


def _align_segments(src, tgt, encode, config, src_paragraphs, tgt_paragraphs, progress, encode_windows,
                    word_anchors) -> list[Bead]:
    report = progress or (lambda stage, fraction: None)
    if not src or not tgt:
        return [Bead((i,), ()) for i in range(len(src))] + [Bead((), (j,)) for j in range(len(tgt))]
    src_anchors = [_anchors(x) for x in src]
    tgt_anchors = [_anchors(x) for x in tgt]
    common = _common_words(src) | _common_words(tgt)
    src_anchors = [{a for a in found if a[0] != _NAMED or a[1] not in common} for found in src_anchors]
    tgt_anchors = [{a for a in found if a[0] != _NAMED or a[1] not in common} for found in tgt_anchors]
    if word_anchors is not None and config.word_bonus:
        if (len(word_anchors[0]), len(word_anchors[1])) != (len(src), len(tgt)):
            raise ValueError("word_anchors needs one set per source and per target segment")
        src_anchors = [found | {(_WORD_PAIR, w) for w in words} for found, words in zip(src_anchors, word_anchors[0])]
        tgt_anchors = [found | {(_WORD_PAIR, w) for w in words} for found, words in zip(tgt_anchors, word_anchors[1])]
    # only an anchor both documents hold can be shared by a bead: the others (most capitalised
    # German nouns in a French translation) would only lengthen the DP's comparisons
    shared = sorted(set().union(*src_anchors) & set().union(*tgt_anchors))
    anchor_ids = {a: k for k, a in enumerate(shared)}
    bonus = {_NAMED: config.anchor_bonus, _WORD_PAIR: config.word_bonus, _SPELLED: config.word_bonus}
    weights = np.array([bonus[kind] for kind, _ in shared], dtype=np.float64)
    s = _side(src, src_paragraphs, src_anchors, anchor_ids, weights)
    t = _side(tgt, tgt_paragraphs, tgt_anchors, anchor_ids, weights)
    shapes = config.shapes()
    if encode_windows is not None:
        stage = "embedding sentences and their windows"
        share_s = len(s) / (len(s) + len(t))  # of the 80% of the run the embeddings take
        report(stage, 0.0)
        ws = _every_window(s, shapes, config, encode_windows, lambda done: report(stage, 0.8 * share_s * done))
        wt = _every_window(t, shapes, config, encode_windows, lambda done: report(stage, 0.8 * (share_s + (1 - share_s) * done)))
        s, t = replace(s, emb=ws.emb[: len(s)]), replace(t, emb=wt.emb[: len(t)])
    else:
        report("embedding sentences", 0.0)
        emb = encode(list(src) + list(tgt))
        s, t = replace(s, emb=_contiguous(emb[: len(s)])), replace(t, emb=_contiguous(emb[len(s) :]))

    report("finding anchors", 0.3 if encode_windows is None else 0.8)
    anchor = _anchor_path(s.emb, t.emb, s.cum_len, t.cum_len, s.keys, t.keys, config)
    lo, hi = dp.band_around(anchor, len(s), len(t), config.band_width)
    if encode_windows is not None:
        report("aligning", 0.9)
        final = _run(lo, hi, shapes, s, t, ws, wt, config)
        report("done", 1.0)
        return _scored(final, s, t, ws, wt, config)

    report("drafting", 0.4)
    draft_s, draft_t = _approximate_windows(s, shapes, config), _approximate_windows(t, shapes, config)
    draft = _run(lo, hi, shapes, s, t, draft_s, draft_t, config)

    report("embedding merged windows", 0.5)
    final_s, final_t = _embedded_windows(s, t, draft, shapes, config, encode)
    lo, hi = dp.band_around(dp.path_cells(draft), len(s), len(t), config.band_width)
    report("aligning", 0.9)
    final = _run(lo, hi, shapes, s, t, final_s, final_t, config)
    beads = _scored(final, s, t, final_s, final_t, config)
    report("done", 1.0)
    return beads


def _side(texts, paragraphs, anchors: list[set[tuple[str, str]]], anchor_ids: dict[tuple[str, str], int],
          weights: np.ndarray) -> _Side:
    """A side without embeddings yet (they depend on the encoder's path, see align_segments)."""
    lengths = np.array([len(x) for x in texts], dtype=np.float64)
    ptr, vals = [0], []
    for found in anchors:
        vals.extend(sorted(anchor_ids[a] for a in found if a in anchor_ids))
        ptr.append(len(vals))
    para = np.zeros(len(texts), np.int64) if paragraphs is None else np.asarray(paragraphs, np.int64)
    return _Side(
        texts,
        np.zeros((0, 0), np.float32),
        np.concatenate([[0.0], np.cumsum(lengths)]),
        np.array(ptr, dtype=np.int64),
        np.array(vals, dtype=np.int64),
        weights,
        para,
        _text_keys(texts),
        _marks(texts, para),
    )


def _marks(texts: Sequence[str], paragraphs: np.ndarray) -> np.ndarray:
    """The layout marks the DP charges for (``align.dp``), one column per segment and one more."""
    marks = np.zeros((dp.MARK_ROWS, len(texts) + 1), dtype=np.float64)
    marks[dp.PARAGRAPHS, 2:] = np.cumsum(paragraphs[1:] != paragraphs[:-1])
    marks[dp.LEADS_IN, :-1] = [_leads_in(x) for x in texts]
    marks[dp.ITEMS, 1:] = np.cumsum([_ITEM.match(x) is not None for x in texts])
    marks[dp.CONTINUES, :-1] = [_continues(x) for x in texts]
    completes = [False] + [bool(c) for c in marks[dp.CONTINUES, :-2]]  # the segment before goes on
    debris = [(_DEBRIS.search(x) is None or _LABEL.fullmatch(x.strip()) is not None) and not c
              for x, c in zip(texts, completes)]
    marks[dp.DEBRIS, 1:] = np.cumsum(debris)
    return marks


def _continues(text: str) -> bool:
    """A segment that ends with an abbreviation ('... Leiter Ch.' | 'Evans, ...') is a sentence the
    splitter cut in two, so a bead should not end there unless the other side's does too (both
    sides cut alike by the same splitter: '( Nov.' | '1956 )' in a reference and its translation).
    In the Text+Berg gold, all ten such segments sit inside a merged side. A real sentence that
    ends with one ('... nach N.') on one side only costs the penalty once and keeps its bead."""
    return _CONTINUES.search(text.rstrip()) is not None


def _leads_in(text: str) -> bool:
    """A segment that ends with a colon announces what follows ('Literatur:', 'The climbers
    were:'), so it belongs with the next segment rather than the one before: ending a merged side
    with one, or leaving it unaligned, costs ``lead_in_penalty``."""
    return text.rstrip().endswith((":", "\uff1a"))


def _anchors(text: str) -> set[tuple[str, str]]:
    """What a text and its translation usually write alike: numbers (in digits or in words: 9,
    nine, dziewięciu), and names (capitalised words of four letters or more, compared in lower
    case without diacritics: Kühn, Kuhn). A bead earns a bonus for each anchor found on both
    sides, so where two translators cut a passage at different places, the cut that keeps each
    name with its translation wins ('... dem Bergführer / Mattias Zurbriggen, seither ...' against
    '... par le guide Mattias Zurbriggen. / Depuis ...' is one 2-2 bead, see tests/test_align.py).
    German capitalises every noun; those rarely meet a capitalised French or English word spelt
    the same, and when they do, they usually translate each other."""
    spelled = _number_words()
    words = _WORD.findall(text)
    numbers = {"#" + _normalise_number(x) for x in _NUMBER.findall(text)}
    names = {_folded(w) for w in words if len(w) >= _NAME_LETTERS and w[0].isupper() and w.lower() not in spelled}
    # a number in words is weaker evidence ("Vier-Mann-Expedition" | "ces quatre hommes" is the
    # next sentence): it weighs what a dictionary's word pair does ("Nine abstained.")
    in_words = {(_SPELLED, "#" + spelled[w.lower()]) for w in words if w.lower() in spelled}
    return {(_NAMED, a) for a in numbers | names} | in_words


def _common_words(texts: Sequence[str]) -> set[str]:
    """Words a document also writes in lower case: a capitalised one is then a sentence's first
    word or a noun ("Liste", "Glacier du Gorner"), not a name the translation spells alike."""
    return {_folded(w) for text in texts for w in _WORD.findall(text) if w.islower()}


@lru_cache(maxsize=1)
def _number_words() -> dict[str, str]:
    """Written-out numbers of every language the number check reads (dziewięciu, nine, neun), as
    the anchor their digits give. Not one: "ein", "un" and "one" are articles and pronouns too."""
    from align.checks.numbers import NUMBER_WORDS  # the number check's own tables

    return {word: _normalise_number(str(value)) for table in NUMBER_WORDS.values()
            for word, value in table.items() if value >= 2 and len(word) >= 3 and " " not in word}


def _folded(word: str) -> str:
    decomposed = unicodedata.normalize("NFKD", word.lower().replace("ł", "l"))  # ł does not decompose
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _normalise_number(token: str) -> str:
    """'8839,8' and '8839.8' are one number; so are '30' and '30.0'."""
    token = token.replace(",", ".")
    return token.rstrip("0").rstrip(".") if "." in token else token


# --- pass 1: anchors, coarse to fine -------------------------------------------------------------


def _anchor_path(es, et, len_s, len_t, keys_s, keys_t, config: AlignConfig) -> list[tuple[int, int]]:
    n, m = len(es), len(et)
    if (n + 1) * (m + 1) <= config.full_grid_cells or min(n, m) < 4:
        lo, hi = dp.full_band(n, m)
    else:
        coarse = _anchor_path(_halve(es), _halve(et), _halve_lengths(len_s), _halve_lengths(len_t),
                              _halve_keys(keys_s), _halve_keys(keys_t), config)
        projected = [(min(2 * i, n), min(2 * j, m)) for i, j in coarse]
        lo, hi = dp.band_around(projected, n, m, config.band_width)
    one_to_one = np.array([[1, 1]], dtype=np.int64)
    rows_s = np.arange(n, dtype=np.int64)[None, :].repeat(2, axis=0)
    rows_t = np.arange(m, dtype=np.int64)[None, :].repeat(2, axis=0)
    sentences_s = _Windows(rows_s, es, np.vstack([keys_s, keys_s]))
    sentences_t = _Windows(rows_t, et, np.vstack([keys_t, keys_t]))
    mean, std = _shape_stats(one_to_one, sentences_s, sentences_t)
    no_anchors_s, no_anchors_t = np.zeros(n + 1, np.int64), np.zeros(m + 1, np.int64)
    back = dp.banded_dp(
        lo, hi, one_to_one, _shape_index(one_to_one), rows_s, rows_t, es, et, mean, std,
        np.asarray(len_s, np.float64), np.asarray(len_t, np.float64), _log_ratio(len_s, len_t),
        no_anchors_s, np.zeros(0, np.int64), no_anchors_t, np.zeros(0, np.int64), np.zeros(0, np.float64),
        np.zeros((dp.MARK_ROWS, n + 1), np.float64), np.zeros((dp.MARK_ROWS, m + 1), np.float64),  # marks: final pass
        config.params(),
    )
    return dp.path_cells(dp.backtrack(back, lo, one_to_one, m))


def _halve(emb: np.ndarray) -> np.ndarray:
    """Average neighbouring rows (a trailing odd row stays alone), renormalised."""
    pairs = emb[: len(emb) // 2 * 2].reshape(-1, 2, emb.shape[1]).sum(axis=1)
    if len(emb) % 2:
        pairs = np.vstack([pairs, emb[-1:]])
    return _normalised(pairs)


def _halve_keys(keys: np.ndarray) -> np.ndarray:
    """Keys of the halved side: neighbouring keys combined (a trailing odd one stays alone)."""
    pairs = _combined(keys[0 : len(keys) // 2 * 2 : 2], keys[1 : len(keys) // 2 * 2 : 2])
    return np.append(pairs, keys[-1:]) if len(keys) % 2 else pairs


def _halve_lengths(cum_len: np.ndarray) -> np.ndarray:
    """Cumulative lengths of the halved side: every other boundary, and always the end."""
    halved = cum_len[::2]
    return halved if (len(cum_len) - 1) % 2 == 0 else np.append(halved, cum_len[-1])


# --- windows: approximate (pass 2) and embedded (pass 3) -----------------------------------------


@dataclass(frozen=True)
class _Windows:
    rows: np.ndarray  # rows[a, i]: row of emb holding segments i..i+a-1, or -1
    emb: np.ndarray
    keys: np.ndarray  # keys[a, i]: the key of segments i..i+a-1 (from their texts)


def _window_keys(side: _Side, sizes: int) -> np.ndarray:
    keys = np.zeros((sizes + 1, len(side)), dtype=np.uint64)
    keys[1] = side.keys
    for a in range(2, min(sizes, len(side)) + 1):
        starts = len(side) - a + 1
        keys[a, :starts] = _combined(keys[a - 1, :starts], side.keys[a - 1 :])
    return keys


def _window_allowed(side: _Side, i: int, a: int, config: AlignConfig) -> bool:
    if i + a > len(side):
        return False
    return config.merge_across_paragraphs or side.paragraph[i] == side.paragraph[i + a - 1]


def _approximate_windows(side: _Side, shapes: np.ndarray, config: AlignConfig) -> _Windows:
    n, sizes = len(side), int(shapes.max())
    rows = np.full((sizes + 1, n), -1, dtype=np.int64)
    rows[1] = np.arange(n)
    blocks, next_row = [side.emb], n
    # Each sentence weighs by its length: a window's real embedding leans towards its longer
    # sentences (on Text+Berg this raises the approximation's cosine with the real one from
    # 0.88 to 0.91 for two sentences, and the draft's lax F1 from 0.961 to 0.988).
    weighted = side.emb * np.diff(side.cum_len).astype(np.float32)[:, None]
    cumulative = np.vstack([np.zeros((1, side.emb.shape[1]), np.float32), np.cumsum(weighted, axis=0)])
    for a in range(2, sizes + 1):
        starts = np.array([i for i in range(n) if _window_allowed(side, i, a, config)], dtype=np.int64)
        if len(starts) == 0:
            continue
        blocks.append(_normalised(cumulative[starts + a] - cumulative[starts]))
        rows[a, starts] = np.arange(next_row, next_row + len(starts))
        next_row += len(starts)
    return _Windows(rows, np.ascontiguousarray(np.vstack(blocks), dtype=np.float32), _window_keys(side, sizes))


def _every_window(side: _Side, shapes, config, encode_windows: EncodeWindows, done: Callable[[float], None]) -> _Windows:
    """Sentences and all their windows the bead shapes allow, embedded by the encoder a few
    thousand at a time in document order (so a long document's progress shows), ``done(share)``
    after each batch."""
    rows, windows = _zone_windows(side, np.ones(len(side), bool), shapes, config)
    wanted = [(i, 1) for i in range(len(side))] + windows  # row r of the embeddings is wanted[r]
    order = sorted(range(len(wanted)), key=wanted.__getitem__)
    emb = None
    for start in range(0, len(order), _WINDOWS_AT_ONCE):
        batch = order[start : start + _WINDOWS_AT_ONCE]
        vectors = encode_windows(side.texts, [wanted[r] for r in batch])
        if emb is None:
            emb = np.empty((len(wanted), vectors.shape[1]), dtype=np.float32)
        emb[batch] = vectors
        done((start + len(batch)) / len(order))
    return _Windows(rows, _contiguous(emb), _window_keys(side, rows.shape[0] - 1))


def _embedded_windows(s: _Side, t: _Side, draft, shapes, config, encode) -> tuple[_Windows, _Windows]:
    """Real embeddings for windows near the draft's merges and skips; sentences everywhere."""
    zone_s, zone_t = np.zeros(len(s), bool), np.zeros(len(t), bool)
    r = config.zone_radius
    for (i0, j0), (src, tgt) in zip(dp.path_cells(draft), draft):
        if len(src) == 1 and len(tgt) == 1:
            continue
        # A skipped segment may belong with its neighbours on the other side, hence the radius
        # around an empty span too.
        zone_s[max(0, i0 - r) : i0 + len(src) + r] = True
        zone_t[max(0, j0 - r) : j0 + len(tgt) + r] = True
    ws, windows_s = _zone_windows(s, zone_s, shapes, config)
    wt, windows_t = _zone_windows(t, zone_t, shapes, config)
    texts_s, texts_t = _joined(s, windows_s), _joined(t, windows_t)
    emb = encode(texts_s + texts_t) if texts_s or texts_t else np.zeros((0, s.emb.shape[1]), np.float32)
    return _attach(s, ws, emb[: len(texts_s)]), _attach(t, wt, emb[len(texts_s) :])


def _zone_windows(side: _Side, zone: np.ndarray, shapes, config) -> tuple[np.ndarray, list[tuple[int, int]]]:
    """Windows of two or more segments inside the zone: their rows (after the n sentences) and
    their (first segment, size)."""
    n, sizes = len(side), int(shapes.max())
    rows = np.full((sizes + 1, n), -1, dtype=np.int64)
    rows[1] = np.arange(n)
    windows: list[tuple[int, int]] = []
    for a in range(2, sizes + 1):
        for i in range(n - a + 1):
            if zone[i : i + a].all() and _window_allowed(side, i, a, config):
                rows[a, i] = n + len(windows)
                windows.append((i, a))
    return rows, windows


def _joined(side: _Side, windows: list[tuple[int, int]]) -> list[str]:
    return [" ".join(side.texts[i : i + a]) for i, a in windows]


def _attach(side: _Side, rows: np.ndarray, window_emb: np.ndarray) -> _Windows:
    emb = np.ascontiguousarray(np.vstack([side.emb, window_emb]), dtype=np.float32)
    return _Windows(rows, emb, _window_keys(side, rows.shape[0] - 1))


# --- running the programme and scoring beads -----------------------------------------------------


def _run(lo, hi, shapes, s: _Side, t: _Side, ws: _Windows, wt: _Windows, config):
    mean, std = _shape_stats(shapes, ws, wt)
    back = dp.banded_dp(
        lo, hi, shapes, _shape_index(shapes), ws.rows, wt.rows, ws.emb, wt.emb, mean, std,
        s.cum_len, t.cum_len, _log_ratio(s.cum_len, t.cum_len),
        s.anchor_ptr, s.anchor_val, t.anchor_ptr, t.anchor_val, s.anchor_weight, s.marks, t.marks, config.params(),
    )
    return dp.backtrack(back, lo, shapes, len(t))


def _shape_index(shapes: np.ndarray) -> np.ndarray:
    index = np.full((shapes.max() + 1, shapes.max() + 1), -1, dtype=np.int64)
    index[shapes[:, 0], shapes[:, 1]] = np.arange(len(shapes))
    return index


def _shape_stats(shapes, ws: _Windows, wt: _Windows) -> tuple[np.ndarray, np.ndarray]:
    """Mean and spread of the cosine of window pairs, per shape: nearly all pairs of a document are
    not translations of each other, so this is the "random pair" baseline. Estimated on all pairs
    of a sample of windows from each side, and pulled towards a typical baseline when the document
    is too short to say much on its own."""
    mean, std = np.zeros(len(shapes)), np.ones(len(shapes))
    for k, (a, b) in enumerate(shapes):
        x, y = ws.emb[_sample(ws.rows[a], ws.keys[a], _SAMPLE_WINDOWS)], wt.emb[_sample(wt.rows[b], wt.keys[b], _SAMPLE_WINDOWS)]
        mean[k], std[k] = random_pair_baseline(x, y, a, b)
    return mean, std


def random_pair_baseline(x: np.ndarray, y: np.ndarray, a: int = 1, b: int = 1) -> tuple[float, float]:
    """Mean and spread of the cosine of all pairs of the (unit) rows of ``x`` and ``y``, windows of
    ``a`` and ``b`` sentences, pulled towards the typical baseline of that shape when there are
    few. The review app scores an edited bead against this same baseline."""
    prior_mean = _PRIOR_MEAN + _PRIOR_MEAN_SLOPE * np.log(a * b)
    prior_std = _PRIOR_STD + _PRIOR_STD_SLOPE * np.log(a * b)
    # Leave out as many of the highest pairs as there could be translations among them:
    # in a short document they are a large share of all pairs and would inflate the baseline.
    cos = np.sort((x @ y.T).ravel())[: -min(len(x), len(y)) or None] if len(x) and len(y) else np.zeros(0)
    n, w = len(cos), _PRIOR_WEIGHT
    m = (cos.sum() + w * prior_mean) / (n + w)
    var = (((cos - m) ** 2).sum() + w * prior_std**2) / (n + w)
    return float(m), float(np.sqrt(var))


def _sample(rows: np.ndarray, keys: np.ndarray, k: int) -> np.ndarray:
    """Up to ``k`` of the windows present in ``rows`` (-1: absent), chosen by what they say
    rather than where they stand: those whose key, taken from their text, is smallest. An edit in
    one place (a sentence deleted or added) then changes the sample only by the windows it
    touches, where a choice by position would shift every sample member after it; the baseline,
    and with it the alignment far from the edit, stays as it was. Copies of one text get keys of
    their own (by their order), so a repeated line is sampled about as often as it occurs."""
    present = rows >= 0
    rows, keys = rows[present], keys[present]
    if len(rows) <= k:
        return rows
    keys = _mixed(keys ^ _copy_numbers(keys))
    return rows[np.sort(np.argsort(keys, kind="stable")[:k])]


def _text_keys(texts: Sequence[str]) -> np.ndarray:
    """A pseudo-random 64-bit key per text: the same on every machine and in every run."""
    digests = b"".join(hashlib.blake2b(t.encode("utf-8", "surrogatepass"), digest_size=8).digest() for t in texts)
    return np.frombuffer(digests, dtype=np.uint64).copy()


def _combined(left: np.ndarray, right: np.ndarray) -> np.ndarray:
    """The keys of two texts joined, left then right."""
    return _mixed(left * np.uint64(0x100000001B3) ^ right)


def _mixed(x: np.ndarray) -> np.ndarray:
    """splitmix64's finaliser: small differences between keys spread over all 64 bits."""
    x = (x ^ (x >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    x = (x ^ (x >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    return x ^ (x >> np.uint64(31))


def _copy_numbers(keys: np.ndarray) -> np.ndarray:
    """For each key, how many equal keys come before it (0 for the first or only one)."""
    order = np.argsort(keys, kind="stable")  # equal keys stay in document order
    starts = np.flatnonzero(np.r_[True, keys[order][1:] != keys[order][:-1]])
    numbers = np.empty(len(keys), dtype=np.uint64)
    numbers[order] = np.arange(len(keys)) - np.repeat(starts, np.diff(np.r_[starts, len(keys)]))
    return numbers


def _scored(path, s: _Side, t: _Side, ws: _Windows, wt: _Windows, config) -> list[Bead]:
    """Beads with a confidence in 0..1: how far above random pairs of its shape the bead lies."""
    shapes = config.shapes()
    mean, std = _shape_stats(shapes, ws, wt)
    index = {(int(a), int(b)): k for k, (a, b) in enumerate(shapes)}
    beads = []
    for src, tgt in path:
        score = 0.0
        if len(src) and len(tgt):
            k = index[(len(src), len(tgt))]
            x = ws.emb[ws.rows[len(src), src.start]]
            y = wt.emb[wt.rows[len(tgt), tgt.start]]
            z = (float(x @ y) - mean[k]) / std[k]
            score = bead_confidence(z)
        beads.append(Bead(tuple(src), tuple(tgt), round(score, 3)))
    return beads


def bead_confidence(z: float) -> float:
    """Map a standardised similarity to 0..1 (calibrated on Text+Berg: 0.5 at z = 2.5)."""
    return float(1.0 / (1.0 + np.exp(-1.5 * (z - 2.5))))


def _log_ratio(len_s: np.ndarray, len_t: np.ndarray) -> float:
    return float(np.log((len_t[-1] + 1.0) / (len_s[-1] + 1.0)))


def _contiguous(x: np.ndarray) -> np.ndarray:
    return np.ascontiguousarray(x, dtype=np.float32)


def _normalised(x: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(x, axis=1, keepdims=True)
    return (x / np.maximum(norms, 1e-12)).astype(np.float32)
