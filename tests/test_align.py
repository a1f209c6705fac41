"""The aligner: invariants of the dynamic programme (property-based, any embeddings) and alignment
quality with the real bundled encoder."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import align
from align.aligner import AlignConfig, align_segments
from align.embed import window_encoder
from align.evaluate import as_pairs, read_alignment, score
from align.lexicon import load_dictionary, word_anchors
from align.segment import segment_presplit

# --- invariants: any embeddings, any sizes ---------------------------------------------------------


def _planted_encoder(vectors: dict[str, np.ndarray]):
    """Window texts are space-joined tokens; a window's vector is the normalised sum of its tokens'."""

    def encode(texts: list[str]) -> np.ndarray:
        rows = [sum(vectors[token] for token in text.split(" ")) for text in texts]
        matrix = np.array(rows, dtype=np.float32).reshape(len(texts), -1)
        return matrix / np.maximum(np.linalg.norm(matrix, axis=1, keepdims=True), 1e-9)

    return encode


def _composing(encode):
    """The planted encoder as an encoder that composes windows (the bundled encoder's path)."""
    return lambda texts, windows: encode([" ".join(texts[i : i + a]) for i, a in windows])


@st.composite
def documents(draw):
    """Two documents whose sentences are random vectors, the target built from the source with
    deletions, insertions, splits and noise, plus paragraph numbers for both."""
    seed = draw(st.integers(0, 2**31 - 1))
    n = draw(st.integers(0, 40))
    rng = np.random.default_rng(seed)
    vectors, src, tgt = {}, [], []
    for i in range(n):
        name = f"s{i}"
        vectors[name] = rng.normal(size=16)
        src.append(name)
        fate = rng.random()
        if fate < 0.1:
            continue  # deleted in the translation
        parts = 2 if fate > 0.85 else 1
        for p in range(parts):
            tname = f"t{len(tgt)}"
            vectors[tname] = vectors[name] / parts + rng.normal(size=16) * 0.3
            tgt.append(tname)
        if rng.random() < 0.1:
            tname = f"t{len(tgt)}"
            vectors[tname] = rng.normal(size=16)
            tgt.append(tname)
    src_par = np.cumsum(rng.random(len(src)) < 0.2).tolist()
    tgt_par = np.cumsum(rng.random(len(tgt)) < 0.2).tolist()
    return src, tgt, vectors, src_par, tgt_par


def _check_invariants(beads, n, m, config, src_par=None, tgt_par=None):
    src_seen = [i for b in beads for i in b.src]
    tgt_seen = [j for b in beads for j in b.tgt]
    assert src_seen == list(range(n)), "every source segment exactly once, in order"
    assert tgt_seen == list(range(m)), "every target segment exactly once, in order"
    for b in beads:
        assert b.src or b.tgt
        assert list(b.src) == list(range(b.src[0], b.src[0] + len(b.src))) if b.src else True
        assert len(b.src) <= config.max_side and len(b.tgt) <= config.max_side
        assert len(b.src) + len(b.tgt) <= max(config.max_bead, 1)
        assert 0.0 <= b.score <= 1.0
        if not b.src or not b.tgt:
            assert b.score == 0.0
        if src_par is not None and not config.merge_across_paragraphs:
            assert len({src_par[i] for i in b.src}) <= 1, "a bead side never spans two paragraphs"
            assert len({tgt_par[j] for j in b.tgt}) <= 1


@settings(max_examples=60, deadline=None)
@given(documents(), st.sampled_from([AlignConfig(), AlignConfig(max_side=2, max_bead=3), AlignConfig(full_grid_cells=16)]),
       st.booleans(), st.integers(0, 2**31 - 1))
def test_every_segment_once_in_order(doc, config, composed, anchor_seed):
    src, tgt, vectors, src_par, tgt_par = doc
    encode = _planted_encoder(vectors)
    rng = np.random.default_rng(anchor_seed)  # word anchors anywhere, shared or not, even crossing
    words = [f"w{k}" for k in range(8)]
    anchors = ([frozenset(rng.choice(words, rng.integers(0, 3))) for _ in src],
               [frozenset(rng.choice(words, rng.integers(0, 3))) for _ in tgt])
    beads = align_segments(src, tgt, encode, config, src_paragraphs=src_par, tgt_paragraphs=tgt_par,
                           encode_windows=_composing(encode) if composed else None, word_anchors=anchors)
    _check_invariants(beads, len(src), len(tgt), config, src_par, tgt_par)


def test_progress_of_a_long_document_moves_forward_through_the_embeddings():
    rng = np.random.default_rng(0)
    vectors = {f"w{i}": rng.normal(size=16) for i in range(1500)}
    src = tgt = list(vectors)
    encode = _planted_encoder(vectors)
    reports: list[tuple[str, float]] = []
    align_segments(src, tgt, encode, encode_windows=_composing(encode), progress=lambda *r: reports.append(r))
    fractions = [f for _, f in reports]
    assert fractions == sorted(fractions) and fractions[0] == 0.0 and fractions[-1] == 1.0
    # 1,500 sentences a side make about 7,500 windows a side: several reports while embedding
    assert sum(stage.startswith("embedding") for stage, _ in reports) >= 5


@settings(max_examples=15, deadline=None)
@given(documents())
def test_deterministic(doc):
    src, tgt, vectors, _, _ = doc
    encode = _planted_encoder(vectors)
    assert align_segments(src, tgt, encode) == align_segments(src, tgt, encode)


def test_one_side_empty_gives_null_beads():
    encode = _planted_encoder({"a": np.ones(4), "b": np.ones(4)})
    beads = align_segments(["a", "b"], [], encode)
    assert [(b.src, b.tgt) for b in beads] == [((0,), ()), ((1,), ())]
    assert [(b.src, b.tgt) for b in align_segments([], ["a"], encode)] == [((), (0,))]


def test_coarse_to_fine_recovers_a_planted_path_in_a_long_document():
    """With the grid far above the whole-grid limit, the banded search still finds the diagonal,
    a deletion and an insertion that are plainly there."""
    rng = np.random.default_rng(7)
    n = 600
    vectors = {f"s{i}": rng.normal(size=32) for i in range(n)}
    src = [f"s{i}" for i in range(n)]
    tgt = []
    for i in range(n):
        if i == 300:
            continue  # deleted
        vectors[f"t{i}"] = vectors[f"s{i}"] + rng.normal(size=32) * 0.2
        tgt.append(f"t{i}")
        if i == 450:
            vectors["extra"] = rng.normal(size=32)
            tgt.append("extra")
    beads = align_segments(src, tgt, _planted_encoder(vectors), AlignConfig(full_grid_cells=10_000))
    pairs = {(b.src, b.tgt) for b in beads}
    assert ((300,), ()) in pairs
    assert ((), (tgt.index("extra"),)) in pairs
    one_to_one = sum(1 for b in beads if len(b.src) == 1 and len(b.tgt) == 1)
    assert one_to_one >= n - 5


# --- quality with the real bundled encoder ----------------------------------------------------------


def test_demo_pair_matches_gold(demo_paths, encoder):
    pl, en, gold = demo_paths
    alignment = align.align(pl, en, encoder=encoder)
    result = score(read_alignment(gold), as_pairs(alignment.beads))
    assert result.strict_f1 >= 0.97, result
    assert alignment.source.lang == "pl" and alignment.target.lang == "en"


def test_null_and_split_beads(encoder):
    """A Polish sentence rendered as two English ones, an English addition and a Polish omission."""
    polish = [
        "Rada miasta przyjęła wczoraj nowy budżet na przyszły rok.",
        "Najwięcej pieniędzy trafi na remonty szkół i przedszkoli, a reszta na budowę dwóch nowych linii tramwajowych.",
        "Opozycja zapowiedziała, że zaskarży uchwałę do sądu.",
        "Burmistrz nie chciał komentować sprawy.",
        "Sesja trwała ponad sześć godzin.",
    ]
    english = [
        "Yesterday the city council adopted a new budget for next year.",
        "Local journalists were not allowed into the chamber.",
        "Most of the money will go to repairing schools and kindergartens.",
        "The rest will fund two new tram lines.",
        "The opposition announced that it would challenge the resolution in court.",
        "The session lasted more than six hours.",
    ]
    beads = align_segments(polish, english, encoder.encode)
    pairs = [(b.src, b.tgt) for b in beads]
    assert ((), (1,)) in pairs
    assert ((1,), (2, 3)) in pairs
    assert ((3,), ()) in pairs
    assert ((4,), (5,)) in pairs


def test_a_name_cut_off_from_its_sentence_stays_with_its_translation(encoder):
    """The German line ends before the guide's name and the next one starts with it; the French
    keeps the name in the first sentence. Both sentence pairs look fine one by one, but only the
    2-2 bead keeps the name with its translation (how Text+Berg's gold aligns such cuts)."""
    german = [
        "Am Morgen verliessen wir die Hütte bei klarem Himmel.",
        "Der Weg führte zuerst über eine breite Moräne.",
        "Die erste Überschreitung des Passes gelang im Sommer 1921 dem Bergführer",
        "Mattias Zurbriggen , seither wurde er nur selten begangen .",
        "Oben wehte ein kalter Wind aus Nordwesten.",
        "Wir rasteten eine Stunde und assen Brot und Käse.",
        "Der Abstieg über den Gletscher war lang und mühsam.",
    ]
    french = [
        "Le matin, nous avons quitté la cabane sous un ciel clair.",
        "Le chemin passait d'abord sur une large moraine.",
        "Le col fut franchi pour la première fois en été 1921 par le guide Mattias Zurbriggen .",
        "Depuis, il n'a été parcouru que rarement .",
        "En haut soufflait un vent froid du nord-ouest.",
        "Nous avons fait une pause d'une heure avec du pain et du fromage.",
        "La descente par le glacier fut longue et pénible.",
    ]
    beads = align_segments(german, french, encoder.encode, encode_windows=window_encoder(encoder))
    assert ((2, 3), (2, 3)) in [(b.src, b.tgt) for b in beads]


def test_a_line_ending_in_a_colon_goes_with_what_it_announces(encoder):
    """A heading or lead-in that ends with a colon belongs with the next segment: where the
    translation folds it into its rendering of that segment, it joins that bead (left alone
    without the lead-in rule)."""
    german = [
        "Am Morgen verliessen wir die Hütte bei klarem Himmel.",
        "Der Weg führte zuerst über eine breite Moräne.",
        "Auf diesem schönen Platz hatten schon viele Expeditionen ihr Hauptlager errichtet.",
        "Literatur :",
        "Hans Keller , « Die Berge im Wallis » , Bern 1956 , S. 12-40 .",
        "Oben wehte ein kalter Wind aus Nordwesten.",
    ]
    french = [
        "Le matin, nous avons quitté la cabane sous un ciel clair.",
        "Le chemin passait d'abord sur une large moraine.",
        "Sur ce bel emplacement, bien des expéditions avaient déjà établi leur camp de base.",
        "( Voir Hans Keller , Die Berge im Wallis , Berne 1956 , p. 12-40 . )",
        "En haut soufflait un vent froid du nord-ouest.",
    ]
    windows = window_encoder(encoder)
    beads = [(b.src, b.tgt) for b in align_segments(german, french, encoder.encode, encode_windows=windows)]
    assert ((3, 4), (3,)) in beads
    unruled = align_segments(german, french, encoder.encode, AlignConfig(lead_in_penalty=0.0), encode_windows=windows)
    assert ((3, 4), (3,)) not in [(b.src, b.tgt) for b in unruled]


def test_a_word_and_its_rendering_keep_a_sentence_cut_elsewhere_with_its_translation(encoder, tmp_path):
    """The French ends its third sentence after the German's fourth has begun ("il est temps de
    chercher un bivouac" renders "Es war Zeit, einen Biwakplatz zu suchen"). The encoder alone
    takes the two 1-1 pairs, which each look fine; the dictionary's words on both sides of the
    cut (Zeit, Biwak-platz, suchen) make it the 2-2 bead the texts are."""
    from tests.test_lexicon import write_dictd

    write_dictd(tmp_path, "deu-fra", {
        "Zeit": "temps", "Biwak": "bivouac", "Platz": "place", "suchen": "chercher", "schmal": "étroit",
        "Band": "banquette", "Haken": "piton", "Turm": "tour", "Gipfel": "sommet",
    })
    german = [
        "Am Morgen verliessen wir die Hütte bei klarem Himmel.",
        "Der Weg führte zuerst über eine breite Moräne.",
        "Am Abend standen sie am Fuss des letzten grossen Turmes, und dahinter erschien der Gipfel.",
        "Es war Zeit, einen Biwakplatz zu suchen: zwei schmale Bänder, die Haken verlangten.",
        "Oben wehte ein kalter Wind aus Nordwesten.",
    ]
    french = [
        "Le matin, nous avons quitté la cabane sous un ciel clair.",
        "Le chemin passait d'abord sur une large moraine.",
        "Le soir, ils sont au pied de la dernière grande tour, derrière laquelle apparaît le sommet ; "
        "il est temps de chercher un bivouac, et ils trouvent",
        "deux étroites banquettes, où il faut s'assurer avec des pitons.",
        "En haut soufflait un vent froid du nord-ouest.",
    ]
    anchors = word_anchors(german, french, "de", "fr", load_dictionary("de", "fr", str(tmp_path)))
    windows = window_encoder(encoder)
    alone = [(b.src, b.tgt) for b in align_segments(german, french, encoder.encode, encode_windows=windows)]
    assert ((2,), (2,)) in alone and ((3,), (3,)) in alone
    beads = align_segments(german, french, encoder.encode, encode_windows=windows, word_anchors=anchors)
    assert ((2, 3), (2, 3)) in [(b.src, b.tgt) for b in beads]


def test_anchors_are_numbers_and_names_written_alike():
    from align.aligner import _NAMED, _SPELLED, _anchors

    def named(*keys: str) -> set:
        return {(_NAMED, key) for key in keys}

    assert _anchors("Kühn traf Łatuszka 1956 in Genève, am 8839,8 m hohen Gipfel.") == named(
        "kuhn", "latuszka", "#1956", "geneve", "gipfel", "#8839.8")
    assert _anchors("Le Dr Kuhn a vu Latuszka en 1956 à Geneve (8839.8 m).") >= named(
        "kuhn", "latuszka", "#1956", "geneve", "#8839.8")
    assert _anchors("am Dr. Ob es ging?") == set()  # short capitalised words are not names
    # a number in words is an anchor of its own weaker kind, and no name
    assert _anchors("Siedmiu wstrzymało się.") == {(_SPELLED, "#7")} == _anchors("Seven abstained.")


def textberg_dev() -> Path:
    """The Text+Berg development set, or a skip when ../shared is not beside the repository."""
    folder = Path(__file__).resolve().parents[2] / "shared" / "bench" / "textberg-dev"
    if not folder.is_dir():
        pytest.skip(f"{folder} is not here (it sits beside the repository in CI)")
    return folder


@pytest.mark.slow
def test_textberg_dev_quality(encoder):
    """A guard on the public German-French development set: strict F1 well above a plain DP (0.77)."""
    folder = textberg_dev()
    alignment = align.align(folder / "de.txt", folder / "fr.txt", presplit=True, encoder=encoder)
    result = score(read_alignment(folder / "gold.txt"), as_pairs(alignment.beads))
    assert result.strict_f1 >= 0.89, result
    assert result.lax_f1 >= 0.98, result


@pytest.mark.slow
def test_blank_lines_between_paragraphs_stand_alone_and_change_nothing_else(encoder, tmp_path):
    """A one-sentence-a-line file often has an empty line at each paragraph break. Empty lines all
    match each other perfectly: counted in the random-pair baseline they made correct 1-1 pairs
    look weak, and the aligner fused them 2-2 all through the document."""
    folder = textberg_dev()
    src = (folder / "de.txt").read_text(encoding="utf-8").splitlines()
    tgt = (folder / "fr.txt").read_text(encoding="utf-8").splitlines()
    gold = read_alignment(folder / "gold.txt")
    breaks = [bead for k, bead in enumerate(gold) if k % 8 == 7 and bead[0] and bead[1]]  # a break after these

    def with_blanks(lines: list[str], side: int) -> tuple[list[str], list[int]]:
        after = {bead[side][-1] for bead in breaks}
        out, where = [], []
        for i, line in enumerate(lines):
            where.append(len(out))
            out.append(line)
            if i in after:
                out.append("")
        return out, where

    (src_b, src_at), (tgt_b, tgt_at) = with_blanks(src, 0), with_blanks(tgt, 1)
    (tmp_path / "de.txt").write_text("\n".join(src_b), encoding="utf-8")
    (tmp_path / "fr.txt").write_text("\n".join(tgt_b), encoding="utf-8")
    alignment = align.align(tmp_path / "de.txt", tmp_path / "fr.txt", presplit=True, encoder=encoder)
    blank_src = {i for i, line in enumerate(src_b) if not line}
    blank_tgt = {j for j, line in enumerate(tgt_b) if not line}
    assert len(blank_src) == len(blank_tgt) == len(breaks)
    for bead in alignment.beads:  # each blank line is a bead of its own
        if set(bead.src) & blank_src or set(bead.tgt) & blank_tgt:
            assert len(bead.src) + len(bead.tgt) == 1, bead
    # the sentences align as well as without the blank lines (strict F1 0.944 there)
    src_back = {new: old for old, new in enumerate(src_at)}
    tgt_back = {new: old for old, new in enumerate(tgt_at)}
    content = [(tuple(src_back[i] for i in b.src), tuple(tgt_back[j] for j in b.tgt)) for b in alignment.beads
               if not (set(b.src) <= blank_src and set(b.tgt) <= blank_tgt)]
    assert score(gold, content).strict_f1 >= 0.93


def test_a_merged_side_across_a_blank_line_takes_the_blank_line_in(encoder):
    """Found by the fuzz test: with merges across paragraphs, two sentences around a blank line
    became one bead and the blank line's own bead came after it, out of order."""
    alignment = align.align("Der Hund schläft.\n\nDer Hund schläft.", "Der Hund schläft.", presplit=True,
                            src_lang="de", tgt_lang="fr", encoder=encoder, config=AlignConfig(paragraph_penalty=0.0))
    assert [i for b in alignment.beads for i in b.src] == [0, 1, 2]
    assert all(list(b.src) == list(range(b.src[0], b.src[0] + len(b.src))) for b in alignment.beads if b.src)


def test_a_question_and_its_answer_in_two_paragraphs_may_be_one_translated_sentence(encoder):
    """Portals set a question and its answer as two paragraphs; a translator folds a short
    question into the answer. A merge across the paragraph break must be possible."""
    pl = ("Kamil Wrona został w sobotę mistrzem świata w biegu na 10 km.\n\nZmęczony?\n\n"
          "– Bardzo. Nogi mam jak z waty.\n\nKto pierwszy do pana zadzwonił?\n\n"
          "– Mama. Płakała przez telefon, więc niewiele zrozumiałem.\n")
    en = ("Kamil Wrona became world champion over 10 km on Saturday.\n\n"
          "Asked whether he was tired, he said he was very tired: his legs felt like jelly.\n\n"
          "The first to call him was his mother. \"She was crying on the phone, so I didn't understand much.\"\n")
    alignment = align.align(pl, en, src_lang="pl", tgt_lang="en", encoder=encoder)
    assert [(b.src, b.tgt) for b in alignment.beads] == [
        ((0,), (0,)), ((1, 2, 3), (1,)), ((4, 5), (2,)), ((6,), (3,))]
    kept_apart = align.align(pl, en, src_lang="pl", tgt_lang="en", encoder=encoder,
                             config=AlignConfig(merge_across_paragraphs=False))
    assert ((1, 2, 3), (1,)) not in [(b.src, b.tgt) for b in kept_apart.beads]


def test_a_dropped_question_is_not_glued_onto_its_answer_across_the_paragraph_break(demo_paths, encoder):
    """The price of a paragraph break inside a merged side: with none, a question the translation
    dropped rides on its answer's bead, and no omission is reported."""
    original, translation, _ = (p.read_text(encoding="utf-8") for p in demo_paths)
    dropped = translation.replace("Why didn’t it happen?\n\n", "", 1)

    def bead_of_question(config: AlignConfig) -> tuple:
        alignment = align.align(original, dropped, src_lang="pl", tgt_lang="en", encoder=encoder, config=config)
        texts = alignment.source.texts
        bead = next(b for b in alignment.beads if any(texts[i] == "Dlaczego do tego nie doszło?" for i in b.src))
        return len(bead.src), len(bead.tgt)

    assert bead_of_question(AlignConfig()) == (1, 0)
    assert bead_of_question(AlignConfig(paragraph_penalty=0.0)) == (2, 1)


def test_a_section_label_of_the_original_page_is_not_glued_onto_the_headline(encoder):
    """'Kultura' under the headline: a web page's section label the translation leaves out. A lone
    word without punctuation adds nothing to a merged side, so it costs what page debris does."""
    pl = ["Koncert w Operze Bałtyckiej. Owacje dla młodej pianistki z Gdańska", "Kultura", "12.10.2024, 20:40",
          "Pianistka zagrała wszystkie etiudy Chopina w jeden wieczór.", "Bilety wyprzedano w dwa dni.",
          "Koncert transmitowało radio.", "Reklama", "Kolejny występ zaplanowano na grudzień.",
          "Artystka wystąpi wtedy z orkiestrą z Wrocławia."]
    en = ["Concert at the Baltic Opera: an ovation for a young pianist from Gdańsk",
          "The pianist played all of Chopin's études in one evening.",
          "The tickets sold out in two days, and the concert was broadcast on the radio.",
          "Her next performance is planned for December, with an orchestra from Wrocław."]

    def beads(config: AlignConfig) -> list:
        return [(b.src, b.tgt) for b in align_segments(pl, en, encoder.encode, config, encode_windows=window_encoder(encoder))]

    assert beads(AlignConfig()) == [((0,), (0,)), ((1,), ()), ((2,), ()), ((3,), (1,)), ((4, 5), (2,)), ((6,), ()),
                                    ((7, 8), (3,))]
    assert ((0, 1), (0,)) in beads(AlignConfig(debris_penalty=0.0))


def test_a_number_written_out_anchors_its_sentence_as_digits_do(encoder, monkeypatch):
    """'Siedmiu wstrzymało się od głosu.' / 'Seven abstained.': a short, loose pair among the
    vote's other figures; the number in words on both sides keeps it a pair."""
    from align import aligner

    pl = ["Sejm przyjął w piątek ustawę o ochronie lasów.", "Głosowało 448 posłów.", "Za było 231.", "Przeciw było 210.",
          "Siedmiu wstrzymało się od głosu.", "Ustawa trafi teraz do Senatu.", "Senat ma na to 30 dni."]
    en = ["On Friday the Sejm passed the forest protection bill.", "448 MPs voted.", "231 were in favour.",
          "210 were against.", "Seven abstained.", "The bill now goes to the Senate, which has 30 days to consider it."]

    def beads() -> list:
        return [(b.src, b.tgt) for b in align_segments(pl, en, encoder.encode, AlignConfig(),
                                                       encode_windows=window_encoder(encoder))]

    assert ((4,), (4,)) in beads()
    monkeypatch.setattr(aligner, "_number_words", lambda: {})  # digits only, as before
    assert ((4,), (4,)) not in beads()


def test_a_word_the_document_also_writes_in_lower_case_is_no_name(encoder, monkeypatch):
    """'Glacier' opens every French line of a list of glaciers, and one German line names a glacier
    by its French name: taken for a name, the word glued that orphan line ('Glacier de Saleina',
    whose French line the translation dropped) to the previous item. French writes 'glacier' in
    lower case elsewhere, so it is a common word, not a name (German nouns never are)."""
    from align import aligner

    german = [
        'Das Haushaltsjahr 1957/58 war für die Gletscher wiederum ungünstig .',
        'Der Winter brachte zwar in den Nordalpen reichliche Niederschläge .',
        'Aber der Sommer war heiss und trocken , und die Schneegrenze stieg schon Ende Juli über 3200 m.',
        'Von den 98 beobachteten Gletschern sind 79 zurückgegangen , 6 vorgestossen und 13 stationär geblieben .',
        'Dazu kommen 4 Gletscher , deren Zunge unter Schutt oder Lawinenschnee lag , so dass keine Messung möglich war .',
        'Die grössten Rückzugsbeträge weisen auf :',
        'Rhonegletscher - 41,5 m',
        'Unterer Grindelwaldgletscher - 38 m',
        'Aletschgletscher - 35,2 m',
        'Gornergletscher - 29 m',
        'Glacier de Saleina - 27,8 m',
        'Morteratschgletscher - 24 m',
        'Vorgestossen sind namentlich kleinere , steile Gletscher der Nordseite :',
        'der Tschingelgletscher ( + 6 m ) , der Blüemlisalpgletscher ( + 4,5 m ) und der Glacier du Trient ( + 3 m ) .',
        'Beim Rhonegletscher hat sich die Zunge seit 1856 um insgesamt 1480 m zurückgezogen .',
        'Der Gletscher ist damit fast ganz aus dem Talboden von Gletsch verschwunden .',
    ]
    french = [
        "L' exercice 1957/58 a de nouveau été défavorable aux glaciers .",
        "L' hiver a certes apporté des précipitations abondantes dans les Alpes du Nord , mais l' été fut chaud et sec , et la limite des neiges dépassa 3200 m dès la fin de juillet .",
        'Sur 98 glaciers observés , 79 sont en décrue , 6 en crue et 13 stationnaires .',
        "Il faut y ajouter 4 glaciers dont la langue était recouverte d' éboulis ou de neige d' avalanche , ce qui a empêché toute mesure .",
        'Les plus forts reculs ont été enregistrés aux glaciers suivants :',
        'Glacier du Rhône - 41,5 m',
        'Glacier inférieur de Grindelwald - 38 m',
        "Glacier d' Aletsch - 35,2 m",
        'Glacier du Gorner - 29 m',
        'Glacier du Morteratsch - 24 m',
        'Ce sont surtout de petits glaciers raides du versant nord qui ont avancé : le glacier du Tschingel ( + 6 m ) , celui de la Blüemlisalp ( + 4,5 m ) et le glacier du Trient ( + 3 m ) .',
        'La langue du glacier du Rhône a reculé de 1480 m au total depuis 1856 ;',
        'le glacier a ainsi presque entièrement quitté le fond de la vallée de Gletsch .',
        "Les mesures de l' accumulation sur le Claridenfirn ont donné les valeurs suivantes ( en cm d' eau ) :",
    ]

    def beads() -> list:
        return [(b.src, b.tgt) for b in align_segments(german, french, encoder.encode, AlignConfig(),
                                                       encode_windows=window_encoder(encoder))]

    assert ((9,), (8,)) in beads() and ((10,), ()) in beads()
    monkeypatch.setattr(aligner, "_common_words", lambda texts: set())  # every capitalised word a name
    assert ((9, 10), (8,)) in beads()


@pytest.mark.slow
def test_a_numbered_item_starts_a_bead_of_its_own(encoder):
    """Text+Berg's chronicle of expeditions: an introduction, then '1. ...' with the first
    expedition. Without the item rule the introduction and the item's two lines are one 3-3 bead;
    with it, the gold's 1-1 and 2-2."""
    folder = textberg_dev()
    src = [s.text for s in segment_presplit((folder / "de.txt").read_text(encoding="utf-8"))]
    tgt = [s.text for s in segment_presplit((folder / "fr.txt").read_text(encoding="utf-8"))]
    windows = window_encoder(encoder)
    intro, item = ((25,), (62,)), ((26, 27), (63, 64))
    assert src[26].startswith("1. ") and tgt[63].startswith("1. ")
    gold = read_alignment(folder / "gold.txt")
    assert intro in gold and item in gold

    def beads(config: AlignConfig) -> list:
        return [(b.src, b.tgt) for b in align_segments(src, tgt, encoder.encode, config, encode_windows=windows)]

    assert {intro, item} <= set(beads(AlignConfig()))
    assert not {intro, item} & set(beads(AlignConfig(item_penalty=0.0)))


def test_a_segment_ending_with_an_abbreviation_goes_on_in_the_next():
    from align.aligner import _continues

    # our own lines, cut where a presplit corpus's splitter cuts
    assert _continues("4. Dhaulagiri , ca. 8167 m , Leiter Dr . ")
    assert _continues("« Berichte » , Nr. 12,S .") and _continues("Le compte rendu parut en ( Nov .")
    assert _continues("Selon la carte , le versant E .")
    assert not _continues("Der Grat war steil und vereist .") and not _continues("le sommet fut atteint .")


def test_page_debris_is_marked_unless_it_completes_an_abbreviation():
    from align import dp
    from align.aligner import _marks

    # our own lines: a scanner's dust, a reference cut at an initial, a sentence
    lines = ["Le sommet fut atteint le 9 mai .", "24 a !", "par Imanishi ( rôle de l' H .", "C ) .", ".:-- , .", "Il neigeait ."]
    marks = _marks(lines, np.array([0, 0, 1, 1, 1, 2]))
    assert np.diff(marks[dp.DEBRIS]).tolist() == [0, 1, 0, 0, 1, 0]
    assert marks[dp.PARAGRAPHS].tolist() == [0, 0, 0, 1, 1, 1, 2]  # segments 2 and 5 open a paragraph


@pytest.mark.slow
def test_page_debris_is_left_alone_rather_than_joined_to_a_sentence(encoder):
    """Text+Berg: '24 a !', scanner's dust after the French of 'So wurde Skardu ...'. Joined to
    that sentence it barely moves the similarity, and a 1-2 bead of a well-matched pair outscores a
    1-1; the gold leaves it alone, and so does the aligner with the debris rule."""
    folder = textberg_dev()
    src = [s.text for s in segment_presplit((folder / "de.txt").read_text(encoding="utf-8"))]
    tgt = [s.text for s in segment_presplit((folder / "fr.txt").read_text(encoding="utf-8"))]
    windows = window_encoder(encoder)
    pair, dust = ((284,), (328,)), ((), (329,))
    assert tgt[329] == "24 a !" and {pair, dust} <= set(read_alignment(folder / "gold.txt"))

    def beads(config: AlignConfig) -> list:
        return [(b.src, b.tgt) for b in align_segments(src, tgt, encoder.encode, config, encode_windows=windows)]

    assert {pair, dust} <= set(beads(AlignConfig()))
    assert not {pair, dust} & set(beads(AlignConfig(debris_penalty=0.0)))


@pytest.mark.slow
def test_a_bead_does_not_end_after_an_abbreviation_on_one_side_only(encoder):
    """Text+Berg's chronicle: '7. Kangchendzönga, ca. 8597 m, Leiter Ch .' | 'Evans, ...' against
    '... Chef Ch.Evans ;' | 'équipes du sommet ...'. Without the rule the aligner cuts after 'Ch .'
    (two 1-1 beads); with it, the gold's 2-2."""
    folder = textberg_dev()
    src = [s.text for s in segment_presplit((folder / "de.txt").read_text(encoding="utf-8"))]
    tgt = [s.text for s in segment_presplit((folder / "fr.txt").read_text(encoding="utf-8"))]
    windows = window_encoder(encoder)
    bead = ((419, 420), (496, 497))
    assert bead in read_alignment(folder / "gold.txt") and src[419].rstrip().endswith("Ch .")

    def beads(config: AlignConfig) -> list:
        return [(b.src, b.tgt) for b in align_segments(src, tgt, encoder.encode, config, encode_windows=windows)]

    assert bead in beads(AlignConfig())
    assert bead not in beads(AlignConfig(continues_penalty=0.0))


@pytest.mark.slow
@pytest.mark.parametrize("windows", ["composed", "joined"])
def test_a_deleted_sentence_leaves_the_beads_far_from_it_alone(encoder, windows):
    """The random-pair baseline is estimated on a sample of windows; deleting one sentence (as a
    translator's omission does) must not change that sample so much that beads far away move
    (one bead on a knife edge may flip). Both ways of embedding windows: composed by the bundled
    encoder, and encoded as joined texts (a draft pass, then the final one) as for other encoders."""
    folder = textberg_dev()
    de = (folder / "de.txt").read_text(encoding="utf-8").splitlines()
    fr = (folder / "fr.txt").read_text(encoding="utf-8").splitlines()
    encode_windows = window_encoder(encoder) if windows == "composed" else None
    whole = align_segments(de, fr, encoder.encode, encode_windows=encode_windows)
    far = lambda beads, skip: {(b.src, tuple(j - (j > skip) for j in b.tgt)) for b in beads  # noqa: E731
                               if b.src and min(b.src) > 300}
    moved = 0
    for deleted in (40, 80, 120, 160, 200, 240):  # target lines well before source line 300
        edited = align_segments(de, fr[:deleted] + fr[deleted + 1 :], encoder.encode, encode_windows=encode_windows)
        moved += len(far(edited, 10**9) ^ far(whole, deleted))
    assert moved <= 2


def test_baseline_sample_takes_a_repeated_line_about_as_often_as_it_occurs():
    # The baseline's windows are sampled by a key from their text; copies of one text must still
    # count as separate windows, or a line repeated all over a document (a speaker's name, a
    # dash) would fill the sample or be missing from it.
    from align.aligner import _sample, _text_keys

    texts = [f"Sentence number {k} of the interview." for k in range(700)] + ["— Yes."] * 300
    texts = [texts[k] for k in np.random.default_rng(7).permutation(1000)]
    chosen = _sample(np.arange(1000), _text_keys(texts), 256)
    assert len(set(chosen.tolist())) == 256
    assert 0.15 * 256 < sum(texts[k] == "— Yes." for k in chosen) < 0.45 * 256


def test_baseline_sample_changes_only_by_the_deleted_window():
    # Chosen by content, not by position: deleting one window early in the document (every
    # later window moves up a place) takes at most that window out of the sample.
    from align.aligner import _sample, _text_keys

    texts = [f"Sentence number {k} of the book." for k in range(1000)]
    before = {texts[k] for k in _sample(np.arange(1000), _text_keys(texts), 256)}
    edited = texts[:10] + texts[11:]
    after = {edited[k] for k in _sample(np.arange(999), _text_keys(edited), 256)}
    assert len(before - after) <= 1 and len(after - before) <= 1
