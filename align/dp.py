"""The dynamic programme behind the aligner, over a band of the alignment grid.

Cell (i, j) of the grid means "the first i source and the first j target segments are aligned".
A bead of shape (a, b) moves from (i, j) to (i + a, j + b); a skip moves one step along one side.
The programme maximises the sum of bead values; skips are worth 0, so a bead must earn its place
by being worth more than leaving its segments unaligned. Three marks of a text's layout count too:
a segment that leads into the next (it ends with a colon: 'Literature:', 'The climbers were:')
costs ``lead`` when it is skipped or ends a merged side, since it belongs with what it announces;
a segment that opens a numbered item ('3. Nanga Parbat', 'b) the deviation') costs ``item`` when it
stands inside or at the end of a merged side, since it starts something new; a segment that
ends with an abbreviation ('Leiter Ch.', '( Nov.') goes on in the next one, so it costs ``cont``
when it is skipped or ends a bead's side while the other side's last segment does not end with
one (the same splitter cutting both texts at the same abbreviation is no reason to merge); and a
segment of page debris (no word of three letters: '24 a !', '.:-- , .', unless the segment before
ends with an abbreviation it completes, 'C ) .') costs ``debris`` inside a merged side, since it
adds length and nothing to say: joined to a well-matched sentence it would ride on that sentence's
similarity, where left alone it costs nothing.

The value of a bead covering source windows X and target windows Y (``a`` and ``b`` segments) is

    sqrt(a * b) * (z(X, Y) - tau - lam * |log((|Y| + 10) / (|X| + 10)) - r|)
        - merge * (a + b - 2)  +  shared_anchors(X, Y)

        - parts * sum over the members m of a merged side of max(0, theta - z(m, other side))

        - lead * (merged sides whose last segment leads into the next)
        - cont * |continues(last source segment) - continues(last target segment)|
        - item * (segments of a merged side, other than its first, that open a numbered item)
        - debris * (segments of a merged side that are page debris)
        - paragraph * (segments of a merged side, other than its first, that open a paragraph)

where z is the cosine of the window embeddings, standardised against random pairs of the same
shape (longer windows are more similar to anything, so raw cosines are not comparable across
shapes), |X| is a length in characters, r the document's typical log length ratio,
shared_anchors sums the weights of the distinct anchors found on both sides (numbers and names
written alike, and source words whose dictionary rendering the other side holds; ``align.aligner``
writes them as ids), and the last term charges a
merge for each member sentence that is not itself related to the other side.

Only cells inside a band are computed: ``lo[i] <= j <= hi[i]`` for each row i. A band is chosen
around a coarser path (see ``align.aligner``), which keeps the work linear in document length.
"""

from __future__ import annotations

import numpy as np
from numba import njit

LEADS_IN, ITEMS, CONTINUES, DEBRIS, PARAGRAPHS = 0, 1, 2, 3, 4  # rows of a side's layout marks (see banded_dp)
MARK_ROWS = 5
SKIP_SOURCE = -1
SKIP_TARGET = -2
_NONE = -3
_NEG = -1e30


@njit(cache=True, nogil=True)
def _shared_value(sp, sv, i, a, tp, tv, j, b, weight, mark, stamp):
    """The summed weights of the distinct anchor ids present in source segments i..i+a-1 and
    target segments j..j+b-1. ``mark`` is scratch space, one entry per id, and ``stamp`` a number
    not used on it before: the target window's ids are marked ``stamp``, and an id counted is
    marked ``-stamp``, so each window pair costs the length of its id lists, not their product."""
    for y in range(tp[j], tp[j + b]):
        mark[tv[y]] = stamp
    total = 0.0
    for x in range(sp[i], sp[i + a]):
        v = sv[x]
        if mark[v] == stamp:
            total += weight[v]
            mark[v] = -stamp
    return total


@njit(cache=True, nogil=True, fastmath=True)
def _unrelated_parts(a, b, pi, pj, rs, rt, src_rows, tgt_rows, src_emb, tgt_emb,
                     shape_index, shape_mean, shape_std, threshold):
    """How far the members of a merged side fall below ``threshold`` (in standard deviations)
    when each is compared with the whole other side: a merge must not carry a passenger."""
    shortfall = 0.0
    dim = src_emb.shape[1]
    if b > 1:
        k = shape_index[a, 1]
        for q in range(b):
            row = tgt_rows[1, pj + q]
            dot = np.float32(0.0)
            for d in range(dim):
                dot += src_emb[rs, d] * tgt_emb[row, d]
            shortfall += max(0.0, threshold - (dot - shape_mean[k]) / shape_std[k])
    if a > 1:
        k = shape_index[1, b]
        for p in range(a):
            row = src_rows[1, pi + p]
            dot = np.float32(0.0)
            for d in range(dim):
                dot += src_emb[row, d] * tgt_emb[rt, d]
            shortfall += max(0.0, threshold - (dot - shape_mean[k]) / shape_std[k])
    return shortfall


@njit(cache=True, nogil=True)
def _cumulative_worth(ptr, val, weight):
    """Cumulative sums, segment by segment, of the weights of each segment's anchor ids."""
    worth = np.zeros(len(ptr))
    for i in range(len(ptr) - 1):
        total = 0.0
        for x in range(ptr[i], ptr[i + 1]):
            total += weight[val[x]]
        worth[i + 1] = worth[i] + total
    return worth


@njit(cache=True, nogil=True, fastmath=True)
def banded_dp(
    lo, hi, shapes, shape_index, src_rows, tgt_rows, src_emb, tgt_emb, shape_mean, shape_std,
    src_len, tgt_len, log_ratio, anchor_ptr_s, anchor_val_s, anchor_ptr_t, anchor_val_t, anchor_weight,
    marks_s, marks_t, params,
):
    """Fill the band and return its back-pointers (shape index, SKIP_SOURCE or SKIP_TARGET).

    ``src_rows[a, i]`` is the row of ``src_emb`` holding the embedding of source segments
    i..i+a-1, or -1 when that window was not embedded (beads that need it are not considered);
    likewise for the target. ``shape_index[a, b]`` is the index of shape (a, b) in ``shapes`` or -1.
    ``src_len`` is cumulative characters (length n + 1).
    ``marks_s`` holds the source's layout marks, four rows of n + 1: ``LEADS_IN`` (1 where
    segment i leads into the next), ``ITEMS`` (how many segments before i open a numbered
    item), ``CONTINUES`` (1 where segment i ends with an abbreviation) and ``DEBRIS`` (how many
    segments before i are page debris) and ``PARAGRAPHS`` (how many segments before i open a
    paragraph); likewise ``marks_t``.
    ``anchor_weight[id]`` is what sharing anchor ``id`` is worth (``align.aligner``: a number or
    name, or a word and its dictionary rendering).
    ``params`` = (tau, lam, merge, part_weight, part_threshold, lead_in, item, cont, debris, paragraph).
    """
    tau, lam, merge = params[0], params[1], params[2]
    part_weight, part_threshold, lead_in, item, cont = params[3], params[4], params[5], params[6], params[7]
    debris, paragraph = params[8], params[9]
    lead_s, items_s = marks_s[LEADS_IN], marks_s[ITEMS]
    lead_t, items_t = marks_t[LEADS_IN], marks_t[ITEMS]
    cont_s, cont_t = marks_s[CONTINUES], marks_t[CONTINUES]
    debris_s, debris_t = marks_s[DEBRIS], marks_t[DEBRIS]
    par_s, par_t = marks_s[PARAGRAPHS], marks_t[PARAGRAPHS]
    n = lo.shape[0] - 1
    width = 0
    for i in range(n + 1):
        width = max(width, hi[i] - lo[i] + 1)
    score = np.full((n + 1, width), _NEG)
    back = np.full((n + 1, width), _NONE, dtype=np.int8)
    # the most a window's anchors can be worth (their weights summed, repeats and all), so that a
    # bead that cannot win even with all of them is dropped before they are matched
    worth_s = _cumulative_worth(anchor_ptr_s, anchor_val_s, anchor_weight)
    worth_t = _cumulative_worth(anchor_ptr_t, anchor_val_t, anchor_weight)
    mark = np.zeros(len(anchor_weight), dtype=np.int64)
    stamp = 0
    score[0, 0 - lo[0]] = 0.0
    dim = src_emb.shape[1]
    for i in range(n + 1):
        for j in range(lo[i], hi[i] + 1):
            if i == 0 and j == 0:
                continue
            best = _NEG
            arg = _NONE
            if i > 0 and lo[i - 1] <= j <= hi[i - 1]:
                v = score[i - 1, j - lo[i - 1]] - lead_in * lead_s[i - 1] - cont * cont_s[i - 1]
                if v > best:
                    best, arg = v, SKIP_SOURCE
            if j > lo[i]:
                v = score[i, j - 1 - lo[i]] - lead_in * lead_t[j - 1] - cont * cont_t[j - 1]
                if v > best:
                    best, arg = v, SKIP_TARGET
            for k in range(shapes.shape[0]):
                a, b = shapes[k, 0], shapes[k, 1]
                pi, pj = i - a, j - b
                if pi < 0 or pj < 0 or pj < lo[pi] or pj > hi[pi]:
                    continue
                prev = score[pi, pj - lo[pi]]
                if prev <= _NEG:
                    continue
                rs, rt = src_rows[a, pi], tgt_rows[b, pj]
                if rs < 0 or rt < 0:
                    continue
                dot = np.float32(0.0)
                for d in range(dim):
                    dot += src_emb[rs, d] * tgt_emb[rt, d]
                z = (dot - shape_mean[k]) / shape_std[k]
                lx = src_len[i] - src_len[pi]
                ly = tgt_len[j] - tgt_len[pj]
                length_gap = abs(np.log((ly + 10.0) / (lx + 10.0)) - log_ratio)
                value = np.sqrt(a * b) * (z - tau - lam * length_gap) - merge * (a + b - 2)
                value -= cont * abs(cont_s[i - 1] - cont_t[j - 1])  # a cut mid-sentence on one side
                if a > 1:  # a lead-in closing the side; items opening after its first segment; debris
                    value -= lead_in * lead_s[i - 1] + item * (items_s[i] - items_s[pi + 1])
                    value -= debris * (debris_s[i] - debris_s[pi]) + paragraph * (par_s[i] - par_s[pi + 1])
                if b > 1:
                    value -= lead_in * lead_t[j - 1] + item * (items_t[j] - items_t[pj + 1])
                    value -= debris * (debris_t[j] - debris_t[pj]) + paragraph * (par_t[j] - par_t[pj + 1])
                most = min(worth_s[i] - worth_s[pi], worth_t[j] - worth_t[pj])
                if prev + value + most <= best:
                    continue
                if most > 0.0:
                    stamp += 1
                    value += _shared_value(anchor_ptr_s, anchor_val_s, pi, a, anchor_ptr_t, anchor_val_t, pj, b,
                                           anchor_weight, mark, stamp)
                if prev + value <= best:
                    continue  # the passenger charge below only lowers the value: no need to work it out
                if part_weight != 0.0 and (a > 1 or b > 1):
                    value -= part_weight * _unrelated_parts(
                        a, b, pi, pj, rs, rt, src_rows, tgt_rows, src_emb, tgt_emb,
                        shape_index, shape_mean, shape_std, part_threshold,
                    )
                if prev + value > best:
                    best, arg = prev + value, k
            score[i, j - lo[i]] = best
            back[i, j - lo[i]] = arg
    return back


def backtrack(back: np.ndarray, lo: np.ndarray, shapes: np.ndarray, m: int) -> list[tuple[range, range]]:
    """Walk the back-pointers from the last cell; returns (source range, target range) beads."""
    i, j = len(lo) - 1, m
    beads: list[tuple[range, range]] = []
    while i > 0 or j > 0:
        step = int(back[i, j - lo[i]])
        if step == SKIP_SOURCE:
            beads.append((range(i - 1, i), range(j, j)))
            i -= 1
        elif step == SKIP_TARGET:
            beads.append((range(i, i), range(j - 1, j)))
            j -= 1
        elif step >= 0:
            a, b = int(shapes[step, 0]), int(shapes[step, 1])
            beads.append((range(i - a, i), range(j - b, j)))
            i, j = i - a, j - b
        else:  # unreachable cell: the band did not connect the corners
            raise RuntimeError("alignment band is disconnected")
    beads.reverse()
    return beads


def full_band(n: int, m: int) -> tuple[np.ndarray, np.ndarray]:
    return np.zeros(n + 1, dtype=np.int64), np.full(n + 1, m, dtype=np.int64)


def band_around(path: list[tuple[int, int]], n: int, m: int, width: int) -> tuple[np.ndarray, np.ndarray]:
    """A band of ``width`` cells on every side of a path of grid cells, connected corner to corner."""
    lo = np.full(n + 1, m, dtype=np.int64)
    hi = np.zeros(n + 1, dtype=np.int64)
    for i, j in path:
        r0, r1 = max(0, i - width), min(n, i + width)
        lo[r0 : r1 + 1] = np.minimum(lo[r0 : r1 + 1], max(0, j - width))
        hi[r0 : r1 + 1] = np.maximum(hi[r0 : r1 + 1], min(m, j + width))
    # Monotone edges keep every cell reachable: lo never falls, hi never falls going down.
    lo = np.minimum.accumulate(lo[::-1])[::-1]
    hi = np.maximum.accumulate(hi)
    lo[0], hi[n] = 0, m
    return lo, hi


def path_cells(beads: list[tuple[range, range]]) -> list[tuple[int, int]]:
    """The grid cells a bead path passes through, start included."""
    cells = [(0, 0)]
    for src, tgt in beads:
        cells.append((src.stop if len(src) else cells[-1][0], tgt.stop if len(tgt) else cells[-1][1]))
    return cells
