"""Property tests: segment, align and check on hostile input must not crash, must cover every
segment exactly once, in order, and must give the same answer twice.

Texts mix right-to-left scripts, combining marks, emoji, control and format characters,
punctuation-only runs and blank lines, plus the extremes: a 10,000-character sentence and thousands
of one-word lines. Alignment runs with the real bundled encoder (its cache in a temporary folder);
the DP-level properties at the end use random embeddings, and only check invariants.
"""

from __future__ import annotations

import hashlib
import string

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from align import pipeline
from align.aligner import AlignConfig, align_segments
from align.checks import KINDS
from align.embed import load_encoder
from align.errors import AlignError
from align.segment import segment, segment_presplit
from align.textio import normalize_text
from align.types import Alignment, Bead

LANGS = ("de", "fr", "pl", "en", "ar", "xx")
ATOMS = (
    "Der Hund schläft.", "Le chien dort.", "Pies śpi na dywanie.", "The dog sleeps.",
    "مرحبا بالعالم.", "שלום עולם.", "\u202eevil\u202c", "e\u0301te\u0301", "a\u0308\u0304",
    "👍🏽", "👨‍👩‍👧", "🇵🇱", "\x00", "\x07", "\x0b", "\x1b[31m", "\u200b", "\ufeff", "\u00ad",
    "...", "!!!", "?!", "—", "«»", "„“", "()", "1.", "2,5 proc.", "ok. ok. ok.", "Dr.", "np.", "z.B.",
    "\t", "  ", "\n", "\n\n", "\r\n", "\u2028", "\u0085",
)
SEPARATORS = (" ", "\n", "\n\n", " \n \n", ". ", "\r\n")


@st.composite
def hostile_text(draw, max_atoms: int = 12) -> str:
    """Pieces of the table above and arbitrary characters, joined by spaces and line breaks."""
    piece = st.one_of(
        st.sampled_from(ATOMS),
        st.text(st.characters(codec="utf-8"), min_size=1, max_size=12),
        st.text(string.punctuation, min_size=1, max_size=6),
    )
    pieces = draw(st.lists(piece, min_size=1, max_size=max_atoms))
    seps = draw(st.lists(st.sampled_from(SEPARATORS), min_size=len(pieces), max_size=len(pieces)))
    return "".join(p + s for p, s in zip(pieces, seps))


@pytest.fixture(scope="module")
def encoder(tmp_path_factory):
    return load_encoder(cache_dir=tmp_path_factory.mktemp("embedding-cache"))


def assert_segments_valid(text: str, segments) -> None:
    assert [s.index for s in segments] == list(range(len(segments)))
    end = 0
    for s in segments:
        assert end <= s.start <= s.end <= len(text)
        assert text[s.start : s.end] == s.text
        end = s.end
    assert [s.paragraph for s in segments] == sorted(s.paragraph for s in segments)


def assert_beads_cover(beads, n_src: int, n_tgt: int) -> None:
    """Every segment of both sides in exactly one bead, in document order (so beads are monotone)."""
    assert [i for b in beads for i in b.src] == list(range(n_src))
    assert [j for b in beads for j in b.tgt] == list(range(n_tgt))
    assert all(b.src or b.tgt for b in beads)
    assert all(0.0 <= b.score <= 1.0 for b in beads)


def assert_one_line_error(err: AlignError) -> None:
    message = str(err)
    assert message.strip() and "\n" not in message and "Traceback" not in message


# --- segmentation --------------------------------------------------------------------------------


@settings(max_examples=150, deadline=None)
@given(text=hostile_text(max_atoms=30), lang=st.sampled_from(LANGS))
def test_segment_keeps_offsets_order_and_is_deterministic(text, lang):
    text = normalize_text(text)
    segments = segment(text, lang)
    assert_segments_valid(text, segments)
    assert all(s.text.strip() for s in segments)
    assert segment(text, lang) == segments


@settings(max_examples=100, deadline=None)
@given(text=hostile_text(max_atoms=30))
def test_presplit_gives_one_segment_per_line(text):
    text = normalize_text(text)
    segments = segment_presplit(text)
    assert_segments_valid(text, segments)
    if text.strip():
        assert len(segments) == len(text.rstrip("\n").split("\n"))


# --- alignment and checks with the real encoder --------------------------------------------------


def align_or_refuse(src: str, tgt: str, encoder, **kwargs) -> Alignment | None:
    try:
        return pipeline.align(src, tgt, encoder=encoder, **kwargs)
    except AlignError as err:  # unusable input (e.g. nothing but blanks) is refused in one line
        assert_one_line_error(err)
        return None


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(src=hostile_text(), tgt=hostile_text(), presplit=st.booleans())
def test_align_and_check_hostile_text(encoder, src, tgt, presplit):
    alignment = align_or_refuse(src, tgt, encoder, src_lang="de", tgt_lang="fr", presplit=presplit)
    if alignment is None:
        return
    assert_beads_cover(alignment.beads, len(alignment.source), len(alignment.target))
    again = pipeline.align(src, tgt, encoder=encoder, src_lang="de", tgt_lang="fr", presplit=presplit)
    assert again.beads == alignment.beads
    report = pipeline.check_alignment(alignment, encoder=encoder)
    for issue in report.issues:
        assert issue.kind in KINDS and issue.message.strip()
        assert all(0 <= i < len(alignment.source) for i in issue.src)
        assert all(0 <= j < len(alignment.target) for j in issue.tgt)
    assert pipeline.check_alignment(alignment, encoder=encoder).issues == report.issues


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(src=hostile_text(), tgt=hostile_text())
def test_language_detection_on_hostile_text_refuses_cleanly(encoder, src, tgt):
    alignment = align_or_refuse(src, tgt, encoder)
    if alignment is not None:
        assert_beads_cover(alignment.beads, len(alignment.source), len(alignment.target))


@pytest.mark.parametrize("text", ["", "   ", "\n\n\n", "\t \r\n \u2028"])
def test_blank_input_is_refused_in_one_line(encoder, text):
    with pytest.raises(AlignError) as caught:
        pipeline.align(text, "Le chien dort.", encoder=encoder, src_lang="de", tgt_lang="fr")
    assert_one_line_error(caught.value)


def test_punctuation_only_and_emoji_only_texts(encoder):
    src = "!!!\n\n... ???\n\n;;; ---\n\n👍🏽 👍🏽\n"
    tgt = "?!\n\n«» …\n\n👨‍👩‍👧\n"
    for presplit in (False, True):
        alignment = pipeline.align(src, tgt, encoder=encoder, src_lang="de", tgt_lang="fr", presplit=presplit)
        assert_beads_cover(alignment.beads, len(alignment.source), len(alignment.target))


def test_a_10000_character_sentence_among_short_ones(encoder):
    long_de = "Der Weg " + "führte weiter über Geröll und Schnee " * 270 + "bis zum Grat."
    long_fr = "Le chemin " + "continuait sur les éboulis et la neige " * 260 + "jusqu'à l'arête."
    assert len(long_de) > 10_000 and len(long_fr) > 10_000
    src = f"Wir brachen früh auf.\n\n{long_de}\n\nOben war es kalt."
    tgt = f"Nous sommes partis tôt.\n\n{long_fr}\n\nEn haut, il faisait froid."
    report = pipeline.check(src, tgt, encoder=encoder, src_lang="de", tgt_lang="fr")
    beads = report.alignment.beads
    assert_beads_cover(beads, len(report.alignment.source), len(report.alignment.target))
    long_index = next(s.index for s in report.alignment.source.segments if len(s.text) > 10_000)
    assert any(long_index in b.src and b.tgt for b in beads)  # the long one is paired, not dropped


WORDS = {  # German -> French, one word a line
    "Haus": "maison", "Baum": "arbre", "Berg": "montagne", "Fluss": "rivière", "Stadt": "ville",
    "Brot": "pain", "Wasser": "eau", "Schnee": "neige", "Sonne": "soleil", "Mond": "lune",
    "Hund": "chien", "Katze": "chat", "Vogel": "oiseau", "Fisch": "poisson", "Pferd": "cheval",
    "Tisch": "table", "Stuhl": "chaise", "Fenster": "fenêtre", "Tür": "porte", "Buch": "livre",
}


def test_thousands_of_one_word_lines(encoder):
    rng = np.random.default_rng(7)
    words = list(WORDS)
    chosen = [words[k] for k in rng.integers(0, len(words), 2000)]
    keep = rng.random(len(chosen)) > 0.01  # a few lines left untranslated
    src = "\n".join(chosen) + "\n"
    tgt = "\n".join(WORDS[w].capitalize() for w, k in zip(chosen, keep) if k) + "\n"
    for presplit in (True, False):  # as lines, and through the segmenter
        alignment = pipeline.align(src, tgt, encoder=encoder, src_lang="de", tgt_lang="fr", presplit=presplit)
        assert_beads_cover(alignment.beads, len(alignment.source), len(alignment.target))
        assert (len(alignment.source), len(alignment.target)) == (2000, int(keep.sum()))


# --- the DP alone, with random embeddings --------------------------------------------------------


def random_encoder(seed: int, dim: int = 16):
    """Encodes a text as a random unit vector fixed by (seed, text): the same text, the same row."""

    def encode(texts: list[str]) -> np.ndarray:
        rows = []
        for text in texts:
            digest = hashlib.sha256(f"{seed}\0{text}".encode("utf-8", "surrogatepass")).digest()
            rows.append(np.random.default_rng(int.from_bytes(digest[:8], "little")).normal(size=dim))
        matrix = np.array(rows, dtype=np.float32).reshape(len(texts), dim)
        return matrix / np.maximum(np.linalg.norm(matrix, axis=1, keepdims=True), 1e-12)

    return encode


@st.composite
def sides(draw, max_len: int = 80) -> tuple[list[str], list[int]]:
    n = draw(st.integers(0, max_len))
    texts = draw(st.lists(st.sampled_from(["a", "b 1", "c 2,5", "d", "e 1999", "", "f."]), min_size=n, max_size=n))
    breaks = draw(st.lists(st.booleans(), min_size=n, max_size=n))
    return [f"{t} {k}" for k, t in enumerate(texts)], list(np.cumsum(breaks).astype(int))


@st.composite
def configs(draw) -> AlignConfig:
    max_side = draw(st.integers(1, 5))
    return AlignConfig(
        max_side=max_side,
        max_bead=draw(st.integers(2, max_side + 1)) if max_side > 1 else 2,
        band_width=draw(st.integers(1, 8)),
        full_grid_cells=draw(st.sampled_from([16, 200, 250_000])),  # small: the coarse-to-fine path
        zone_radius=draw(st.integers(0, 2)),
        merge_across_paragraphs=draw(st.booleans()),
        tau=draw(st.sampled_from([-5.0, 0.0, 1.0, 5.0])),  # from "pair everything" to "pair nothing"
    )


@settings(max_examples=100, deadline=None)
@given(src=sides(), tgt=sides(), config=configs(), seed=st.integers(0, 3))
def test_dp_invariants_with_random_embeddings(src, tgt, config, seed):
    (src_texts, src_par), (tgt_texts, tgt_par) = src, tgt
    run = lambda: align_segments(  # noqa: E731
        src_texts, tgt_texts, random_encoder(seed), config, src_paragraphs=src_par, tgt_paragraphs=tgt_par
    )
    beads = run()
    assert_beads_cover(beads, len(src_texts), len(tgt_texts))
    allowed = {(int(a), int(b)) for a, b in config.shapes()} | {(1, 0), (0, 1)}
    assert {(len(b.src), len(b.tgt)) for b in beads} <= allowed
    if not config.merge_across_paragraphs:
        for b in beads:
            assert len({src_par[i] for i in b.src}) <= 1 and len({tgt_par[j] for j in b.tgt}) <= 1
    assert run() == beads


@settings(max_examples=6, deadline=None)
@given(n=st.integers(300, 1200), drop=st.floats(0.0, 0.3), seed=st.integers(0, 100))
def test_dp_long_documents_with_gaps(n, drop, seed):
    """Long enough for several coarse-to-fine levels, with runs of untranslated segments."""
    rng = np.random.default_rng(seed)
    src = [f"s{k}" for k in range(n)]
    kept = [k for k in range(n) if rng.random() >= drop]
    assume(kept)
    tgt = [f"t{k}" for k in kept]
    base = random_encoder(seed, dim=32)

    def encode(texts: list[str]) -> np.ndarray:  # a target line embeds as its source line
        return base([t.replace("t", "s", 1) if t.startswith("t") else t for t in texts])

    config = AlignConfig(full_grid_cells=10_000)
    beads = align_segments(src, tgt, encode, config)
    assert_beads_cover(beads, n, len(tgt))
    assert beads == align_segments(src, tgt, encode, config)


def test_empty_side_leaves_everything_unaligned():
    beads = align_segments(["a", "b"], [], random_encoder(0))
    assert beads == [Bead((0,), ()), Bead((1,), ())]
    assert align_segments([], ["x"], random_encoder(0)) == [Bead((), (0,))]
