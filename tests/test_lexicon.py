"""align.lexicon's FreeDict reader, on small dictd files written here in FreeDict's layout."""

from __future__ import annotations

import gzip
from pathlib import Path

from align.lexicon import alike, load_dictionary, renders, word_anchors, word_spans

_B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"


def _b64(value: int) -> str:
    digits = ""
    while True:
        value, digit = divmod(value, 64)
        digits = _B64[digit] + digits
        if not value:
            return digits


def write_dictd(folder: Path, pair: str, entries: dict[str, str]) -> None:
    """``freedict-{pair}.index`` and ``.dict.dz``: each entry its headword, then its renderings."""
    body, index = b"", []
    for head, renderings in entries.items():
        text = f"{head} /pron/\n{renderings}\n\n".encode()
        index.append(f"{head}\t{_b64(len(body))}\t{_b64(len(text))}")
        body += text
    (folder / f"freedict-{pair}.index").write_text("\n".join(index) + "\n", encoding="utf-8")
    (folder / f"freedict-{pair}.dict.dz").write_bytes(gzip.compress(body))


def test_a_direct_dictionary_reads_both_files_both_ways(tmp_path):
    write_dictd(tmp_path, "pol-eng", {"wyrzutnia": "launcher, launching pad", "rakieta": "rocket"})
    write_dictd(tmp_path, "eng-pol", {"grenade": "granat"})
    found = load_dictionary("pl", "en", str(tmp_path))
    assert found.renderings("wyrzutnia") == {"launcher", "launching pad"}
    assert found.renderings("granat") == {"grenade"}  # read from the English-Polish file, reversed
    assert found.sources("rocket") == {"rakieta"}
    assert not found.knows_source("pies")


def test_languages_without_a_dictionary_between_them_are_chained_through_english(tmp_path):
    write_dictd(tmp_path, "deu-eng", {"Gipfel": "summit, peak", "Berg": "mountain, heap"})
    write_dictd(tmp_path, "eng-fra", {"summit": "sommet", "peak": "pic, sommet", "mountain": "montagne"})
    chained = load_dictionary("de", "fr", str(tmp_path))
    assert chained.renderings("gipfel") == {"sommet", "pic"}
    assert chained.renderings("berg") == {"montagne"}  # 'heap' has no French rendering here
    assert chained.sources("sommet") == {"gipfel"}
    assert chained.knows_target("montagne") and not chained.knows_source("tal")
    assert load_dictionary("fr", "de", str(tmp_path)).renderings("sommet") == {"gipfel"}
    assert load_dictionary("de", "de", str(tmp_path)) is None  # not through English and back


def test_a_direct_dictionary_is_preferred_and_a_broken_chain_gives_none(tmp_path):
    write_dictd(tmp_path, "deu-eng", {"Gipfel": "summit"})
    assert load_dictionary("de", "fr", str(tmp_path)) is None  # no English-French to chain with
    write_dictd(tmp_path, "eng-fra", {"summit": "sommet"})
    write_dictd(tmp_path, "deu-fra", {"Gipfel": "cime"})
    load_dictionary.cache_clear()  # the answer above is kept for the run
    direct = load_dictionary("de", "fr", str(tmp_path))
    assert direct.renderings("gipfel") == {"cime"}


def test_renders_takes_inflected_forms_and_the_parts_of_a_compound(tmp_path):
    write_dictd(tmp_path, "deu-fra", {"Rupie": "roupie", "neu": "nouveau", "Berechnung": "calcul", "Insel": "île"})
    write_dictd(tmp_path, "fra-deu", {"îlot": "Inselchen"})
    found = load_dictionary("de", "fr", str(tmp_path))
    assert renders(found, "Rupie", "roupies")  # a plural of the rendering
    assert renders(found, "Neuberechnung", "calculs") and renders(found, "Neuberechnung", "nouveaux")
    assert renders(found, "Schneeinsel", "îlots")  # îlot's source Inselchen shares Insel's stem
    assert not renders(found, "Neuberechnung", "mesures")
    assert not renders(found, "Ber", "calcul")  # too short to hold a part


def test_an_inflected_compound_is_split_at_its_lemma_and_no_long_word_is_a_form_of_a_short_one(tmp_path):
    write_dictd(tmp_path, "deu-fra", {"Eis": "glace", "Lawine": "avalanche", "Gebiet": "région", "Forschung": "recherche"})
    write_dictd(tmp_path, "fra-deu", {"crête": "Gebirgsrücken, Grat"})
    found = load_dictionary("de", "fr", str(tmp_path))
    assert renders(found, "Eislawinen", "avalanches") and renders(found, "Eislawinen", "glace")  # Lawinen: Lawine
    assert renders(found, "Forschungsgebiet", "région")
    assert not renders(found, "Forschungsgebiet", "crête")  # Gebiet is no form of Gebirgsrücken
    assert alike("temporary", "temporarily") and alike("biwak", "biwakplatz")
    assert not alike("temps", "tempetueux") and not alike("gebiet", "gebirgsrucken")


def test_swiss_german_ss_finds_the_headword_spelt_with_sharp_s(tmp_path):
    write_dictd(tmp_path, "deu-fra", {"groß": "grand", "Fuß": "pied", "Masse": "masse", "Maße": "mesures"})
    write_dictd(tmp_path, "fra-deu", {"rue": "Straße"})
    found = load_dictionary("de", "fr", str(tmp_path))
    assert renders(found, "grossen", "grands") and renders(found, "Fuss", "pied")
    assert found.renderings("masse") == {"masse"}  # a headword of its own keeps its entry
    assert found.renderings("maße") == {"mesures"}
    assert renders(load_dictionary("fr", "de", str(tmp_path)), "rue", "Strassen")  # ß in a rendering


def test_word_anchors_pair_source_words_with_the_segments_that_hold_their_renderings(tmp_path):
    write_dictd(tmp_path, "deu-fra", {"Zeit": "temps", "Biwak": "bivouac", "Platz": "place", "Haken": "piton, crochet"})
    dictionary = load_dictionary("de", "fr", str(tmp_path))
    german = ["Es war Zeit, einen Biwakplatz zu suchen.", "Die Haken hielten.", "Der Schnee fiel."]
    french = ["Il est temps de chercher un bivouac.", "Les pitons et les crochets tenaient.", "La neige tombait."]
    src, tgt = word_anchors(german, french, "de", "fr", dictionary)
    assert src == [{"zeit", "biwakplatz"}, {"haken"}, set()]  # Biwakplatz by its part Biwak
    assert tgt == [{"zeit", "biwakplatz"}, {"haken"}, set()]  # Haken once, though rendered twice


def test_the_ending_of_a_number_is_no_word():
    # "47-letni" is an age, not "letni" (summer's); "F-16s" has no word "s"
    words = [w for w, *_ in word_spans("47-letni Nawalny, 30-procentowy wzrost, F-16s i biało-czerwona flaga", "pl")]
    assert words == ["Nawalny", "wzrost", "F", "i", "biało-czerwona", "flaga"]
