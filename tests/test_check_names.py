"""Tests of the name_variant checker (align.checks.names) and its spelling keys (align.translit).

All sentences are written for these tests; the last tests read the demo pair shipped in
corpora/latushka-interia and hold the checker to its expected findings.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import pytest

from align.checks import names
from align.checks.base import CheckContext
from align.fix import suggested_replacements
from align.translit import name_key, same_name, same_sound, stem
from align.types import Alignment, Bead, Document, Issue, Report, Severity
from tests.helpers import line_document as document
from tests.helpers import paired_context as context

CORPUS = Path(__file__).resolve().parent.parent / "corpora" / "latushka-interia"


def target_only(target: list[str], lang: str = "en", glossary=()) -> CheckContext:
    return CheckContext(
        Alignment(document([], "pl"), document(target, lang), ()), glossary=tuple(glossary)
    )


def spellings(ctx: CheckContext) -> dict[str, set[str]]:
    """Each cluster's canonical form -> the set of its spellings."""
    return {c.canonical: set(c.variants) for c in names.name_clusters(ctx)}


@dataclass(frozen=True)
class Entry:  # the shape the glossary module is expected to give its entries
    source: str
    target: str


# A short Polish interview and its English translation, one sentence a bead.
POLISH = [
    "Rozmawiamy z Pawłem Łatuszką o przyszłości Białorusi.",
    "Paweł Łatuszka mieszka obecnie w Warszawie.",
    "Według Łatuszki reżim Łukaszenki słabnie z każdym miesiącem.",
    "Zwolennicy Łatuszki spotkali się wczoraj w Wilnie.",
    "Czy Łukaszenka boi się własnej armii?",
    "Łatuszka twierdzi, że generałowie patrzą już w stronę Moskwy.",
]
ENGLISH = [
    "We talk to Pavel Latushka about the future of Belarus.",
    "Pavel Latushka now lives in Warsaw.",
    "According to Latushka, the Lukashenko regime grows weaker every month.",
    "Supporters of Latushko met in Vilnius yesterday.",
    "Is Lukashenko afraid of his own army?",
    "Latushka says the generals are already looking towards Moscow.",
]


# ---------------------------------------------------------------------------------------------
# the spelling keys


@pytest.mark.parametrize(
    "a, b",
    [("Latushka", "Latushko"), ("Volfovich", "Wolfovich"), ("Kyiv", "Kiev"),
     ("Tsikhanouskaya", "Tikhanovskaya"), ("Lukashenko", "Lukaschenko")],
)
def test_variants_of_one_name_have_matching_keys(a, b):
    assert same_name(name_key(a, "en"), name_key(b, "en"))


@pytest.mark.parametrize(
    "a, b",
    [("Putin", "Patrushev"), ("Minsk", "Moscow"), ("Poland", "Polish"), ("Russia", "Russian"),
     ("Belarus", "Belarusians"), ("Iran", "Iraq"), ("Tsikhanouskaya", "Tsikhanouski"),
     ("Ivanov", "Ivanova"), ("Marcin", "Martin"), ("Secretary", "Security")],
)
def test_different_names_do_not_match(a, b):
    assert not same_name(name_key(a, "en"), name_key(b, "en"))


@pytest.mark.parametrize(
    "polish, english",
    [("Łatuszką", "Latushka"), ("Wolfowicza", "Volfovich"), ("Cichanouskiej", "Tsikhanouskaya"),
     ("Łukaszence", "Lukashenko"), ("Władimira", "Vladimir"), ("Patruszewem", "Patrushev"),
     ("Krakowie", "Krakow"), ("Tarnowie", "Tarnow")],  # the locative of a place name in -ów
)
def test_polish_inflected_forms_romanise_to_the_english_stem(polish, english):
    polish_root = name_key(stem(polish, "pl"), "pl").rstrip("aeiou")
    english_root = name_key(english, "en").rstrip("aeiou")
    assert polish_root == english_root


@pytest.mark.parametrize(
    "cyrillic, lang, english",
    [("Лукашенко", "ru", "Lukashenko"), ("Ціханоўская", "be", "Tsikhanouskaya"), ("Вольфович", "ru", "Volfovich"),
     ("Харків", "uk", "Kharkiv"), ("Зеленський", "uk", "Zelensky"), ("Тихановская", "ru", "Tikhanovskaya")],
)
def test_cyrillic_names_romanise_to_their_english_renderings(cyrillic, lang, english):
    assert same_name(name_key(cyrillic, lang), name_key(english, "en"))


def test_same_sound_tells_letter_conventions_from_other_vowels():
    assert same_sound("Wolfovich", "Volfovich", "en")
    assert not same_sound("Latushko", "Latushka", "en")
    assert not same_sound("Kiev", "Kyiv", "en")


# ---------------------------------------------------------------------------------------------
# the checker on small texts


def test_latushko_is_reported_once_at_its_segment_with_the_majority_form():
    issues = names.check(context(POLISH, ENGLISH))
    assert len(issues) == 1
    issue = issues[0]
    assert issue.kind == "name_variant"
    assert issue.tgt == (3,)
    assert issue.src == (3,)  # the bead's source sentence
    assert issue.suggestion == "Latushka"
    assert issue.severity is Severity.MEDIUM
    assert "Latushko (1×)" in issue.message and "Latushka (4×)" in issue.message
    assert "Latushka ×4" in issue.evidence and "Latushko ×1" in issue.evidence


def test_cluster_lists_the_inflected_source_forms():
    clusters = {c.canonical: c for c in names.name_clusters(context(POLISH, ENGLISH))}
    latushka = clusters["Latushka"]
    assert latushka.variants == {"Latushka": (0, 1, 2, 5), "Latushko": (3,)}
    assert {"Łatuszką", "Łatuszka", "Łatuszki"} <= set(latushka.source_forms)
    assert {"Łukaszenki", "Łukaszenka"} <= set(clusters["Lukashenko"].source_forms)


def test_conventional_renderings_across_languages_are_not_reported():
    # Łukaszenka, Łukaszenki, Łukaszence, Łukaszenkę -> always Lukashenko: nothing to report.
    polish = [
        "Łukaszenka nie ufa już nikomu.",
        "Ochrona Łukaszenki została wzmocniona.",
        "Swietłana Cichanouska zaproponowała Łukaszence rozmowy.",
        "Władimir Putin wspiera Łukaszenkę.",
        "Aleksandr Wolfowicz spotkał się z Cichanouską.",
    ]
    english = [
        "Lukashenko no longer trusts anyone.",
        "Lukashenko's guard has been strengthened.",
        "Sviatlana Tsikhanouskaya offered Lukashenko talks.",
        "Vladimir Putin backs Lukashenko.",
        "Alexander Volfovich met Tsikhanouskaya.",
    ]
    ctx = context(polish, english)
    assert names.check(ctx) == []
    found = spellings(ctx)
    assert found["Lukashenko"] == {"Lukashenko"}
    assert found["Tsikhanouskaya"] == {"Tsikhanouskaya"}


def test_possessive_wolfovichs_is_a_variant_of_volfovich_with_low_severity():
    english = [
        "General Volfovich was born in Kaluga.",
        "Volfovich later made a career in Minsk.",
        "Muraveiko, a friend of Wolfovich’s, studied in Moscow too.",
        "Nobody doubts that Volfovich listens to Moscow.",
    ]
    issues = names.check(target_only(english))
    found = [(i.tgt, i.suggestion, i.severity) for i in issues]
    assert found == [((2,), "Volfovich", Severity.LOW)]
    assert "Wolfovich (1×)" in issues[0].message


def test_possessive_forms_count_as_the_name_itself():
    english = [
        "Latushka's office is in Warsaw.",
        "The plan was Latushka’s idea.",
        "Critics of Latushka were silent.",
    ]
    ctx = target_only(english)
    assert names.check(ctx) == []
    assert spellings(ctx)["Latushka"] == {"Latushka"}


def test_kyiv_and_kiev_are_one_city():
    english = [
        "The convoy stopped a day's drive from Kyiv.",
        "Talks in Kyiv went on all night.",
        "Without Belarus an attack on Kiev would have been impossible.",
    ]
    issues = names.check(target_only(english))
    assert len(issues) == 1
    assert issues[0].tgt == (2,) and issues[0].suggestion == "Kyiv"
    assert issues[0].severity is Severity.MEDIUM


def test_similar_looking_names_of_different_entities_stay_apart():
    english = [
        "Putin spoke with Patrushev in Moscow on Monday.",
        "Poland sent Polish doctors to Minsk.",
        "Russia and the Russian army; Russians and Belarusians; Belarus and the Belarusian army.",
        "Sviatlana Tsikhanouskaya and her husband Siarhei Tsikhanouski live in Vilnius.",
        "Ivanov and Ivanova met the Secretary of the Security Council.",
        "Then Putin flew from Minsk to Moscow, and Patrushev stayed in Poland.",
    ]
    ctx = target_only(english)
    assert names.check(ctx) == []
    for cluster in names.name_clusters(ctx):
        assert len(cluster.variants) == 1, cluster


def test_first_names_of_two_people_are_not_one_name():
    # Alaksandr (Belarusian form) for one man, Aleksandr for another: two people, no variant.
    english = [
        "Alaksandr Lukashenko met Aleksandr Volfovich.",
        "Alaksandr Lukashenko did not trust him.",
        "Alaksandr Lukashenko left early.",
    ]
    assert names.check(target_only(english)) == []
    # The same two spellings before the same surname are a variant.
    english[0] = "Aleksandr Lukashenko met the general."
    issues = names.check(target_only(english))
    assert [(i.tgt, i.suggestion) for i in issues] == [((0,), "Alaksandr")]


def test_glossary_pin_overrides_the_majority():
    english = [
        "The convoy stopped a day's drive from Kiev.",
        "Talks in Kiev went on all night.",
        "Without Belarus an attack on Kyiv would have been impossible.",
    ]
    unpinned = names.check(target_only(english))
    assert [(i.tgt, i.suggestion) for i in unpinned] == [((2,), "Kiev")]
    pinned = names.check(target_only(english, glossary=[Entry("Kijów", "Kyiv")]))
    assert [(i.tgt, i.suggestion) for i in pinned] == [((0, 1), "Kyiv")]
    assert "Kiev (2×) and Kyiv (1×)" in pinned[0].message


def test_glossary_pin_that_is_a_full_name_pins_its_matching_word():
    ctx = context(POLISH, ENGLISH, glossary=[Entry("Paweł Łatuszko", "Pavel Latushko")])
    clusters = {frozenset(c.variants): c for c in names.name_clusters(ctx)}
    assert clusters[frozenset({"Latushka", "Latushko"})].canonical == "Latushko"
    issues = names.check(ctx)
    assert [(i.tgt, i.suggestion) for i in issues] == [((0, 1, 2, 5), "Latushko")]


def test_glossary_pin_in_an_inflecting_translation_compares_stems():
    # Polish translation: Wolfowicza and Wolfowicz are one spelling, Volfowicz another.
    english = ["Volfovich spoke.", "Without Volfovich.", "I met Volfovich.", "Ask Volfovich."]
    polish = ["Wolfowicz przemówił.", "Bez Wolfowicza.", "Spotkałem Wolfowicza.",
              "Zapytaj Volfowicza."]
    ctx = context(english, polish, src_lang="en", tgt_lang="pl",
                  glossary=[Entry("Volfovich", "Wolfowicz")])
    issues = names.check(ctx)
    assert [(i.tgt, i.replaces, i.suggestion) for i in issues] == [((3,), "Volfowicza", "Wolfowicza")]
    assert "(3×)" in issues[0].message


def test_glossary_entries_without_source_and_target_are_ignored():
    ctx = context(POLISH, ENGLISH, glossary=["Latushko", {"target": "Latushko"}])
    assert [i.suggestion for i in names.check(ctx)] == ["Latushka"]


def test_name_at_sentence_start_is_found_and_ordinary_openers_are_not_names():
    english = [
        "Fundamental. The verdict came from Warsaw.",
        "Latushko said so in Warsaw.",  # only at a sentence start, and not a dictionary word
        "Symbolic, I think. Pavel Latushka agreed with Latushka's team.",
        "Latushka spoke first.",
    ]
    ctx = target_only(english)
    found = spellings(ctx)
    assert "Fundamental" not in found and "Symbolic" not in found and "The" not in found
    assert found["Latushka"] == {"Latushka", "Latushko"}
    assert [(i.tgt, i.suggestion) for i in names.check(ctx)] == [((1,), "Latushka")]


def test_source_evidence_joins_what_the_letters_alone_would_not():
    # "Latuszka" keeps the Polish sz: too far from "Latushka" on letters alone, but both render
    # the same source name in their beads.
    polish = ["Łatuszka przyjechał wczoraj.", "Łatuszki nie było w domu.",
              "Spotkałem Łatuszkę."]
    english = ["Latushka arrived yesterday.", "Latushka was not at home.", "I met Latuszka."]
    assert names.check(target_only(english)) == []
    issues = names.check(context(polish, english))
    assert [(i.tgt, i.src, i.suggestion) for i in issues] == [((2,), (2,), "Latushka")]


def test_source_evidence_separates_two_people_with_similar_names():
    polish = ["Dana przyszła pierwsza.", "Dina przyszła później.", "Dana i Dina to siostry.",
              "Dana wyszła."]
    english = ["Dana came first.", "Dina came later.", "Dana and Dina are sisters.",
               "Dana left."]
    assert len(names.check(target_only(english))) == 1  # letters alone: one vowel apart
    assert names.check(context(polish, english)) == []


def test_two_source_names_one_consonant_apart_stay_two_names():
    # Gasherbrum and Masherbrum are two peaks: letters alone would take them for one name, but
    # each renders its own source name, so the translation only follows its source
    german = ["Der Gasherbrum ist hoch.", "Vom Gasherbrum sahen sie den Masherbrum.",
              "Der Gasherbrum lockt viele.", "Am Masherbrum schneit es."]
    french = ["Le Gasherbrum est haut.", "Du Gasherbrum ils virent le Masherbrum.",
              "Le Gasherbrum attire beaucoup de monde.", "Il neige sur le Masherbrum."]
    assert len(names.check(target_only(french, lang="fr"))) == 1
    assert names.check(context(german, french, src_lang="de", tgt_lang="fr")) == []


def test_two_people_the_source_spells_apart_stay_apart_though_their_keys_match():
    # Novak and Nowak share a key (w/v), so they link to one source root; but each copies its
    # own spelling from the source: a Czech painter and a Polish judge, not one name
    polish = ["Milan Novak otworzył wystawę.", "Sędzia Ewa Nowak oceniała prace.",
              "Nowak chwaliła młodych artystów.", "Novak podziękował gościom."]
    english = ["Milan Novak opened the exhibition.", "Judge Ewa Nowak assessed the works.",
               "Nowak praised the young artists.", "Novak thanked the guests."]
    assert len(names.check(target_only(english))) == 1  # letters alone: one name
    assert names.check(context(polish, english)) == []
    slip = english[:3] + ["Novac thanked the guests."]  # the painter misspelt, once each way
    issues = names.check(context(polish, slip))
    # a tie, but the source writes Novak: suggested, left to a person (no exact replacement)
    assert [(i.tgt, i.replaces, i.suggestion) for i in issues] == [((3,), None, "Novak")]


def test_a_tie_suggests_the_spelling_the_source_writes_letter_for_letter_but_fix_leaves_it():
    polish = ["Pani Wójcik kieruje szpitalem od roku.", "Wójcik chce nowego skrzydła.", "Dąbrowski ją popiera."]
    english = ["Ms Wójcik has run the hospital for a year.", "Wojcik wants a new wing.", "Dąbrowski supports her."]
    [issue] = names.check(context(polish, english))
    assert (issue.tgt, issue.suggestion, issue.replaces) == ((1,), "Wójcik", None)
    assert "the source writes Wójcik" in issue.message
    # where neither spelling is the source's own (a transliteration), nothing is suggested
    kyiv = ["Kijów odpowiedział.", "W Kijowie padał deszcz."]
    [issue] = names.check(context(kyiv, ["Kyiv replied.", "It rained in Kiev."]))
    assert issue.suggestion is None


def test_a_letter_added_at_the_end_of_a_name_the_source_writes_one_way_is_a_slip():
    german = ["Haberl leitet das Team.", "Laut Haberl ist der Trend klar.", "Haberl fordert neue Filter."]
    french = ["Haberl dirige l'équipe.", "Selon Haberle, la tendance est claire.", "Haberl demande de nouveaux filtres."]
    [issue] = names.check(context(german, french, src_lang="de", tgt_lang="fr"))
    assert (issue.tgt, issue.replaces, issue.suggestion) == ((1,), "Haberle", "Haberl")
    # a derived form, not a slip: the source writes two names (Russland, Russen)
    german = ["Russland droht.", "Die Russen marschieren.", "Russland schweigt."]
    french = ["La Russie menace.", "Les Russes avancent.", "La Russie se tait."]
    assert names.check(context(german, french, src_lang="de", tgt_lang="fr")) == []


def test_a_german_genitive_s_is_the_same_source_name():
    german = ["Tessmer wurde am Donnerstag verurteilt.", "Tessmers Anwältin kündigte Revision an.",
              "Tessmer war 2021 zurückgetreten."]
    french = ["Tessmer a été condamné jeudi.", "L'avocate de Tesmer a annoncé un recours.",
              "Tessmer avait démissionné en 2021."]
    [issue] = names.check(context(german, french, src_lang="de", tgt_lang="fr"))
    assert (issue.tgt, issue.replaces, issue.suggestion) == ((1,), "Tesmer", "Tessmer")


def test_a_french_elided_article_is_no_part_of_the_name():
    german = ["Die Firma produziert seit 1990 in Deutschland.", "Im Jahr 2023 verkaufte sie in Deutschland mehr.",
              "Deutschland bleibt ihr wichtigster Markt, sagte Albers.", "Auch Österreich wächst, sagte Albers."]
    french = ["L'entreprise produit en Allemagne depuis 1990.", "En 2023, elle a vendu en Allemagne davantage.",
              "L'Allemagne reste son principal marché, selon Albers.", "L'Autriche aussi progresse, selon Albers."]
    assert names.check(context(german, french, src_lang="de", tgt_lang="fr")) == []  # fix wrote "Allemagne reste"
    slip = french[:3] + ["L'Autriche aussi progresse, selon d'Albert."]  # after an article mid-sentence too
    [issue] = names.check(context(german, slip, src_lang="de", tgt_lang="fr"))
    assert (issue.tgt, issue.suggestion) == ((3,), "Albers") and "Albert (1×)" in issue.message


def test_a_name_inside_a_hyphenated_source_compound_is_source_evidence_too():
    # German writes the place inside a compound (Makalu-Gebiet); the translation names it alone.
    # French keys "Makhalu" and "Makalu" differently (kh), so only the source joins them.
    german = ["Der Makalu ist hoch.", "Das Makalu-Gebiet wurde erkundet.", "Am Makalu schneit es.",
              "Der Makalu lockt viele."]
    french = ["Le Makalu est haut.", "Le massif du Makhalu fut exploré.", "Il neige sur le Makalu.",
              "Le Makalu attire beaucoup de monde."]
    assert names.check(target_only(french, lang="fr")) == []
    issues = names.check(context(german, french, src_lang="de", tgt_lang="fr"))
    assert [(i.tgt, i.src, i.suggestion) for i in issues] == [((1,), (1,), "Makalu")]


def test_a_tie_points_at_the_spelling_unlike_the_source_and_suggests_neither():
    # the source's letters do not say which spelling is right (Kyiv is nearer Kyjów than Kijów),
    # so they only say where the issue goes
    german = ["Sie erreichten den Concordia-Platz.", "Das Gepäck kam nach Concordia."]
    french = ["Ils atteignirent la place de la Concorde.", "Les bagages arrivèrent à Concordia."]
    issues = names.check(context(german, french, src_lang="de", tgt_lang="fr"))
    assert [(i.tgt, i.suggestion) for i in issues] == [((0,), None)]
    assert "each as often as the other; choose one spelling" in issues[0].message


def test_hyphenated_names_are_kept_whole():
    english = [
        "Anna Kowalska-Nowak chairs the committee.",
        "Kowalska-Nowak was re-elected.",
        "The chair, Kovalska-Nowak, declined to comment.",
    ]
    issues = names.check(target_only(english))
    assert [(i.tgt, i.suggestion) for i in issues] == [((2,), "Kowalska-Nowak")]


def test_polish_translation_does_not_flag_case_endings():
    # English source, Polish target: Łatuszka/Łatuszki/Łatuszką are one spelling.
    english = ["Latushka spoke.", "Without Latushka.", "With Latushka.", "In Belarus.", "Belarus."]
    polish = ["Łatuszka przemówił.", "Bez Łatuszki.", "Z Łatuszką.", "Na Białorusi.",
              "Białoruś."]
    ctx = context(english, polish, src_lang="en", tgt_lang="pl")
    assert names.check(ctx) == []
    assert spellings(ctx)["Łatuszka"] == {"Łatuszka"}


# An English source and its Polish translation about a Polish-Ukrainian meeting: Hnatenko and
# his wife are declined as adjectives (Hnatenkiego, Hnatenkiej), the mayor Brzeski likewise.
ENGLISH_MEETING = [
    "Mayor Brzeski welcomed Oksana Hrynevska at the station.",
    "Hrynevska thanked Brzeski for the invitation.",
    "Brzeski showed Hrynevska the old town.",
    "The guests praised Brzeski's hospitality.",
    "Hrynevska then met the students.",
    "Brzeski gave Hrynevska a book.",
]
POLISH_MEETING = [
    "Burmistrz Brzeski powitał Oksanę Hryniewską na dworcu.",
    "Hryniewska podziękowała Brzeskiemu za zaproszenie.",
    "Brzeskij pokazał Hrynewskiej stare miasto.",
    "Goście chwalili gościnność Brzeskiego.",
    "Potem Hryniewska spotkała się ze studentami.",
    "Brzeski dał Hryniewskiej książkę.",
]


def test_polish_suggestion_keeps_the_case_of_the_form_it_replaces():
    # Hrynewskiej is dative: the fix must write Hryniewskiej, not the nominative Hryniewska;
    # Brzeskij is a Russian-style nominative: Brzeski, not the dative Brzeskiemu.
    ctx = context(ENGLISH_MEETING, POLISH_MEETING, src_lang="en", tgt_lang="pl")
    found = {i.replaces: i for i in names.check(ctx)}
    assert {r: i.suggestion for r, i in found.items()} == {
        "Hrynewskiej": "Hryniewskiej", "Brzeskij": "Brzeski"}
    assert all(i.tgt == (2,) for i in found.values())
    # the count is the name's, in all its case forms, not one form's
    assert "Brzeski and its case forms (4×)" in found["Brzeskij"].message
    assert "Hryniewska and its case forms (4×)" in found["Hrynewskiej"].message


def test_polish_suggestion_for_a_form_no_other_sentence_has_is_built_on_the_usual_stem():
    # the dative Wolfowiczowi is nowhere in the text: it is the usual stem with the slip's ending
    english = ["Volfovich spoke.", "Volfovich left.", "I met Volfovich.", "Give it to Volfovich."]
    polish = ["Wolfowicz przemówił.", "Wolfowicz wyszedł.", "Spotkałem Wolfowicza.",
              "Daj to Volfowiczowi."]
    issues = names.check(context(english, polish, src_lang="en", tgt_lang="pl"))
    assert [(i.replaces, i.suggestion) for i in issues] == [("Volfowiczowi", "Wolfowiczowi")]


def test_polish_man_and_woman_of_one_family_are_two_names():
    # Nawrocki and his wife Nawrocka: the adjective's endings show a man and a woman
    english = ["Adam Nawrotsky spoke first.", "Then Ewa Nawrotskaya spoke.",
               "Nawrotsky thanked Nawrotskaya.", "Nawrotskaya left early.",
               "Nawrotsky stayed.", "Guests asked Nawrotsky about Nawrotskaya."]
    polish = ["Adam Nawrocki przemówił pierwszy.", "Potem przemówiła Ewa Nawrocka.",
              "Nawrocki podziękował Nawrockiej.", "Nawrocka wyszła wcześnie.",
              "Nawrocki został.", "Goście pytali Nawrockiego o Nawrocką."]
    ctx = context(english, polish, src_lang="en", tgt_lang="pl")
    assert names.check(ctx) == []
    assert {frozenset(c.variants) for c in names.name_clusters(ctx)} >= {
        frozenset({"Nawrocki"}), frozenset({"Nawrocka"})}
    slip = polish[:3] + ["Nawrockaja wyszła wcześnie."] + polish[4:]  # Russian-style, for her
    issues = names.check(context(english, slip, src_lang="en", tgt_lang="pl"))
    assert [(i.tgt, i.replaces, i.suggestion) for i in issues] == [((3,), "Nawrockaja", "Nawrocka")]


def test_russian_style_polish_forms_are_variants_fixed_in_their_own_case():
    # Sadownyj (nominative) and Sadownyja (genitive, declined as a noun) are Russian-style slips
    # for Sadowny and Sadownego; a tie goes to the Polish form
    english = ["Oleg Sadovny was arrested in May.", "Sadovny denied the charges.",
               "The court heard Sadovny's lawyer.", "Supporters wrote to Sadovny.",
               "Sadovny was released in June."]
    polish = ["Oleg Sadowny został aresztowany w maju.", "Sadownyj zaprzeczył zarzutom.",
              "Sąd wysłuchał adwokata Sadownego.", "Zwolennicy pisali do Sadownyja.",
              "Sadowny wyszedł w czerwcu."]
    issues = names.check(context(english, polish, src_lang="en", tgt_lang="pl"))
    assert [(i.tgt, i.replaces, i.suggestion) for i in issues] == [
        ((1,), "Sadownyj", "Sadowny"), ((3,), "Sadownyja", "Sadownego")]


def test_two_people_with_alike_surnames_in_one_bead_stay_two_names():
    # Zawadzka and Zavadenko both stand in the first and third source sentences, and each
    # rendering matches both loosely (Zawadzk-, Zawadenk-): each is linked to its own name only
    english = ["Judge Ewa Zawadzka questioned witness Taras Zavadenko.",
               "Zawadzka asked about the night of the fire.",
               "Zavadenko told Zawadzka he had seen nothing.", "The hearing was adjourned."]
    polish = ["Sędzia Ewa Zawadzka przesłuchała świadka Tarasa Zawadenkę.", "Zawadzka zapytała o noc pożaru.",
              "Zawadenko powiedział Zawadzkiej, że niczego nie widział.", "Rozprawę odroczono."]
    assert names.check(context(english, polish, src_lang="en", tgt_lang="pl")) == []
    slip = polish[:1] + ["Zavadzka zapytała o noc pożaru."] + polish[2:]  # one of them misspelt
    issues = names.check(context(english, slip, src_lang="en", tgt_lang="pl"))
    assert [(i.tgt, i.replaces, i.suggestion) for i in issues] == [((1,), "Zavadzka", "Zawadzka")]


def test_a_misspelt_wife_is_grouped_with_her_not_with_her_husband():
    english = ["Hanna Astrouskaya leads the opposition.", "Her husband Piotr Astrouski is in prison.",
               "Supporters of Astrouskaya met in Vilnius.", "Then Astrouskaya spoke to them.",
               "Astrouskaya thanked them."]
    polish = ["Hanna Ostrouska kieruje opozycją.", "Jej mąż Piotr Ostrouski siedzi w więzieniu.",
              "Zwolennicy Ostrouskiej spotkali się w Wilnie.", "Potem Ostrowska przemówiła do nich.",
              "Ostrouska podziękowała im."]
    issues = names.check(context(english, polish, src_lang="en", tgt_lang="pl"))
    assert [(i.tgt, i.replaces, i.suggestion) for i in issues] == [((3,), "Ostrowska", "Ostrouska")]
    assert "and Ostrouska and its case forms (3×)" in issues[0].message  # not "and Ostrouski (1×)"


LVIV = ["The festival opened in Lviv.", "Hotels in Lviv are full.", "Lviv is crowded.",
        "The mayor of Lviv spoke.", "Trains to Lviv run late."]


def test_a_tie_is_reported_without_a_suggestion_so_a_fix_leaves_it():
    # Lwów twice, Lwiw twice: nothing says which is right (Lwiw is the nearer to Lviv, and wrong)
    polish = ["Festiwal otwarto we Lwowie.", "Hotele we Lwiwie są pełne.", "We Lwowie jest tłoczno.",
              "Przemawiał mer Lwiwa.", "Pociągi jadą z opóźnieniem."]
    ctx = context(LVIV, polish, src_lang="en", tgt_lang="pl")
    issues = names.check(ctx)
    assert [(i.tgt, i.replaces, i.suggestion) for i in issues] == [((1,), "Lwiwie", None), ((3,), "Lwiwa", None)]
    assert "Lwiwie and its case forms (2×) and Lwowie (2×)" in issues[0].message
    assert suggested_replacements(Report(ctx.alignment, tuple(issues)), ["name_variant"]) == []
    majority = polish[:4] + ["Pociągi do Lwowa jadą z opóźnieniem."]
    issues = names.check(context(LVIV, majority, src_lang="en", tgt_lang="pl"))
    assert [(i.replaces, i.suggestion) for i in issues] == [("Lwiwie", "Lwowie"), ("Lwiwa", "Lwowa")]


def test_a_tie_between_a_name_and_itself_without_polish_letters_goes_to_the_polish_letters():
    english = ["Iga Swiatek won.", "Swiatek thanked the crowd."]
    polish = ["Iga Swiatek wygrała.", "Świątek podziękowała kibicom."]
    issues = names.check(context(english, polish, src_lang="en", tgt_lang="pl"))
    assert [(i.tgt, i.replaces, i.suggestion) for i in issues] == [((0,), "Swiatek", "Świątek")]


def test_a_glossary_form_with_o_acute_gets_o_before_an_ending():
    # Lwów, Lwowa (as Kraków, Krakowa): the pinned nominative's ó is o once an ending follows
    polish = ["Przemawiał mer Lwiwa.", "We Lwowie jest tłoczno.", "Hotele we Lwowie są pełne."]
    ctx = context(LVIV[3:4] + LVIV[1:3], polish, src_lang="en", tgt_lang="pl")
    issues = names.check(CheckContext(ctx.alignment, glossary=(Entry("Lviv", "Lwów"),)))
    assert [(i.tgt, i.replaces, i.suggestion) for i in issues] == [((0,), "Lwiwa", "Lwowa")]


KARPENKA = ["Alena Karpenka reached the semi-final.", "Karpenka served well.", "Fans waited for Karpenka.",
            "Coaches praised Karpenka.", "Karpenka will play on Friday."]


def test_polish_ka_and_ko_forms_of_one_surname_are_variants():
    # the Belarusian -ka and the Russian -ko form: the stem is one, the name is written two ways
    polish = ["Alena Karpenka awansowała do półfinału.", "Karpenko dobrze serwowała.",
              "Kibice czekali na Karpenkę.", "Trenerzy chwalili Karpenkę.", "Karpenka zagra w piątek."]
    issues = names.check(context(KARPENKA, polish, src_lang="en", tgt_lang="pl"))
    assert [(i.tgt, i.replaces, i.severity) for i in issues] == [((1,), "Karpenko", Severity.MEDIUM)]
    # undeclined, Karpenko may stand in any case: no exact form to put in its place
    assert issues[0].suggestion is None
    assert "use one spelling: Karpenka, in the case this sentence needs" in issues[0].message
    # and the other way round: a -ka nominative among -ko forms is that spelling's nominative
    english = ["Hryhorenko spoke.", "Without Hryhorenko.", "They met Hryhorenko.", "Hryhorenko left.",
               "Hryhorenko came back."]
    polish = ["Hryhorenko przemówił.", "Bez Hryhorenki.", "Spotkali Hryhorenkę.", "Hryhorenko wyszedł.",
              "Hryhorenka wrócił."]
    issues = names.check(context(english, polish, src_lang="en", tgt_lang="pl"))
    assert [(i.tgt, i.replaces, i.suggestion) for i in issues] == [((4,), "Hryhorenka", "Hryhorenko")]


def test_an_undeclined_ko_form_takes_its_case_from_the_first_name_before_it():
    polish = ["Alena Karpenka awansowała do półfinału.", "Karpenka dobrze serwowała.",
              "Kibice czekali na Alenę Karpenko.", "Trenerzy chwalili Karpenkę.", "Karpenka zagra w piątek."]
    issues = names.check(context(KARPENKA, polish, src_lang="en", tgt_lang="pl"))
    assert [(i.tgt, i.replaces, i.suggestion) for i in issues] == [((2,), "Karpenko", "Karpenkę")]
    # and a -ko form spelt otherwise too: its -o is no case ending to carry over (not Karpienko)
    polish[2] = "Kibice czekali na Alenę Karpienko."
    issues = names.check(context(KARPENKA, polish, src_lang="en", tgt_lang="pl"))
    assert [(i.replaces, i.suggestion) for i in issues] == [("Karpienko", "Karpenkę")]


@pytest.mark.parametrize("english, polish, slip", [
    (["Lukashenko spoke.", "Without Lukashenko.", "They met Lukashenko.", "They wrote about Lukashenko.",
      "With Lukashenko.", "Lukashenko left.", "Lukashenko came back."],
     ["Łukaszenka przemówił.", "Bez Łukaszenki.", "Spotkali Łukaszenkę.", "Napisali o Łukaszence.",
      "Z Łukaszenką.", "Łukaszenka wyszedł.", "Łukaszenka wrócił."], "Łukaszenko"),
    # a surname in -o declines like one in -a (or not at all)
    (["Hryhorenko spoke.", "Without Hryhorenko.", "They met Hryhorenko.", "They gave it to Hryhorenko.",
      "With Hryhorenko.", "Hryhorenko left.", "Hryhorenko came back."],
     ["Hryhorenko przemówił.", "Bez Hryhorenki.", "Spotkali Hryhorenkę.", "Dali to Hryhorence.",
      "Z Hryhorenką.", "Hryhorenko wyszedł.", "Hryhorenko wrócił."], "Hryhorenka"),
])
def test_case_forms_of_a_ka_or_ko_surname_are_one_spelling_its_other_nominative_is_not(english, polish, slip):
    assert names.check(context(english, polish, src_lang="en", tgt_lang="pl")) == []
    slipped = polish[:5] + [f"{slip} wyszedł."] + polish[6:]
    issues = names.check(context(english, slipped, src_lang="en", tgt_lang="pl"))
    assert [(i.tgt, i.replaces) for i in issues] == [((5,), slip)]


@pytest.mark.parametrize("english, polish", [
    # declined as a masculine noun, a -ko surname's genitive ends in -a (Kliczko, Kliczka)
    (["Klitschko spoke.", "Klitschko's brother came.", "They gave it to Klitschko.", "They met Klitschko."],
     ["Kliczko przemówił.", "Przyszedł brat Kliczki.", "Dali to Kliczkowi.", "Spotkali Kliczka."]),
    # and so does a Polish neuter place name's (Kłodzko, Kłodzka)
    (["Kłodzko is old.", "Tourists come to Kłodzko.", "Kłodzko has a fortress."],
     ["Kłodzko jest stare.", "Turyści przyjeżdżają do Kłodzka.", "Kłodzko ma twierdzę."]),
])
def test_a_genitive_in_a_of_a_ko_name_is_no_ka_variant(english, polish):
    assert names.check(context(english, polish, src_lang="en", tgt_lang="pl")) == []


def test_german_nouns_are_not_names():
    german = [
        "Das Leben in Minsk ist schwer, sagt Latuschka.",
        "Viele Menschen lieben ihre Stadt, aber das Lieben fällt schwer.",
        "Latuschka lebt in Warschau.",
    ]
    assert names.check(target_only(german, lang="de")) == []


def test_unknown_languages_and_empty_documents_degrade_gracefully():
    assert names.check(target_only([], lang="en")) == []
    text = ["Mbeki met Mbeki's rival.", "Then Mbeky left."]
    issues = names.check(target_only(text, lang="xx"))
    assert [(i.tgt, i.suggestion) for i in issues] == [((1,), "Mbeki")]


def test_kinds_and_issue_records():
    assert names.KINDS == ("name_variant",)
    issue = names.check(context(POLISH, ENGLISH))[0]
    assert isinstance(issue, Issue) and issue.kind in names.KINDS


# ---------------------------------------------------------------------------------------------
# one known name put in the place of another (reported by the meaning check)

SWAP_POLISH = [
    "Łukaszenka przyjechał do Mińska w poniedziałek.",
    "Władze Kijowa milczą.",
    "Wieczorem Łukaszenka wyjechał z Mińska.",
    "Zełenski wrócił do Kijowa.",
]
SWAP_ENGLISH = [
    "Lukashenko came to Minsk on Monday.",
    "The authorities in Kyiv are silent.",
    "In the evening Lukashenko left Minsk.",
    "Zelensky returned to Kyiv.",
]


def test_a_known_name_put_in_the_place_of_another_is_a_swap():
    english = SWAP_ENGLISH[:2] + ["In the evening Lukashenko left Kyiv."] + SWAP_ENGLISH[3:]
    swaps = names.swapped_names(context(SWAP_POLISH, english))
    assert swaps == {2: names.NameSwap("Mińska", "Minsk", "Kyiv", "Kijowa")}


@pytest.mark.parametrize("english", [
    SWAP_ENGLISH,  # faithful
    SWAP_ENGLISH[:2] + ["In the evening he left the capital."] + SWAP_ENGLISH[3:],  # names left out
    SWAP_ENGLISH[:2] + ["In the evening Lukashenko left Minsk for Kyiv."] + SWAP_ENGLISH[3:],  # one added
])
def test_names_left_out_or_added_alone_are_no_swap(english):
    assert names.swapped_names(context(SWAP_POLISH, english)) == {}


def test_a_swap_in_a_german_source_whose_nouns_are_all_capitalised():
    german = ["Die Expedition erreichte Skardu im Mai.", "Von Skardu ging es zum Baltoro.",
              "Der Gipfel über dem Baltoro war nah.", "Am Baltoro lag Schnee."]
    french = ["L'expédition atteignit Skardu en mai.", "De Skardu on alla au Baltoro.",
              "Le sommet au-dessus de Skardu était proche.", "Sur le Baltoro il y avait de la neige."]
    swaps = names.swapped_names(context(german, french, src_lang="de", tgt_lang="fr"))
    assert swaps == {2: names.NameSwap("Baltoro", "Baltoro", "Skardu", "Skardu")}
    french[2] = "Le sommet au-dessus du Baltoro était proche."
    assert names.swapped_names(context(german, french, src_lang="de", tgt_lang="fr")) == {}


def test_a_name_without_a_record_elsewhere_is_no_swap():
    # Mińsk is named only here, so nothing says how the translation renders it
    polish = ["Wieczorem Łukaszenka wyjechał z Mińska.", "Zełenski wrócił do Kijowa.", "Łukaszenka milczy."]
    english = ["In the evening Lukashenko left Kyiv.", "Zelensky returned to Kyiv.", "Lukashenko is silent."]
    assert names.swapped_names(context(polish, english)) == {}


# ---------------------------------------------------------------------------------------------
# the demo pair


def _demo_documents() -> tuple[Document, Document]:
    from align.segment import segment

    pl_text = (CORPUS / "pl.txt").read_text(encoding="utf-8")
    en_text = (CORPUS / "en.txt").read_text(encoding="utf-8")
    source = Document(pl_text, "pl", segment(pl_text, "pl"))
    return source, Document(en_text, "en", segment(en_text, "en"))


def _paragraph_beads(source: Document, target: Document) -> tuple[Bead, ...]:
    """A rough alignment, paragraph by paragraph: the English has four debris paragraphs
    before the article and one after it."""

    def paragraphs(doc: Document) -> list[tuple[int, ...]]:
        groups: dict[int, list[int]] = defaultdict(list)
        for seg in doc.segments:
            groups[seg.paragraph].append(seg.index)
        return [tuple(v) for _, v in sorted(groups.items())]

    pl, en = paragraphs(source), paragraphs(target)
    assert len(en) == len(pl) + 5, "the demo pair's paragraphs changed; update this test"
    beads = [Bead((), p) for p in en[:4]]
    beads += [Bead(a, b) for a, b in zip(pl, en[4:-1])]
    beads.append(Bead((), en[-1]))
    return tuple(beads)


def _gold_beads(source: Document, target: Document) -> tuple[Bead, ...]:
    """The hand-made sentence alignment, when it fits the current segmentation."""
    path = CORPUS / "gold.txt"
    if not path.exists():
        pytest.skip("no gold alignment yet")
    beads = []
    for line in path.read_text(encoding="utf-8").split("\n"):
        if line.strip():
            left, right = line.split(":")
            beads.append(Bead(tuple(json.loads(left)), tuple(json.loads(right))))
    covers = sorted(i for b in beads for i in b.src) == list(range(len(source)))
    if not covers or sorted(j for b in beads for j in b.tgt) != list(range(len(target))):
        pytest.skip("gold.txt does not fit the current segmentation")
    return tuple(beads)


def _touches(issue: Issue, entry: dict, ctx: CheckContext) -> bool:
    src = " ".join(ctx.source.segments[i].text for i in issue.src)
    tgt = " ".join(ctx.target.segments[j].text for j in issue.tgt)
    return (
        issue.kind in entry["kinds"]
        and entry.get("source_contains", "") in src
        and entry.get("target_contains", "") in tgt
    )


@pytest.mark.skipif(not (CORPUS / "pl.txt").exists(), reason="demo pair not present")
@pytest.mark.parametrize("alignment", [_paragraph_beads, _gold_beads])
def test_demo_pair_finds_both_expected_name_variants_and_nothing_else(alignment):
    source, target = _demo_documents()
    ctx = CheckContext(Alignment(source, target, alignment(source, target)))
    expected = json.loads((CORPUS / "expected.json").read_text(encoding="utf-8"))
    issues = names.check(ctx)
    wanted = [e for e in expected["expected"] if "name_variant" in e["kinds"]]
    for entry in wanted:
        hits = [i for i in issues if _touches(i, entry, ctx)]
        assert hits, entry["id"]
        assert entry["suggestion"].lower() in (hits[0].suggestion or "").lower()
        assert hits[0].severity.value == entry["severity"], entry["id"]
    for entry in expected["must_not_flag"]:
        assert not [i for i in issues if _touches(i, entry, ctx)], entry["id"]
    assert len(issues) == len(wanted)


@pytest.mark.skipif(not (CORPUS / "en.txt").exists(), reason="demo pair not present")
def test_english_seed_alone_reports_only_latushko_and_wolfovich():
    lines = (CORPUS / "en.txt").read_text(encoding="utf-8").splitlines()
    ctx = target_only([line for line in lines if line.strip()])
    found = sorted(
        (i.suggestion, " ".join(ctx.target.segments[j].text for j in i.tgt))
        for i in names.check(ctx)
    )
    assert [s for s, _ in found] == ["Latushka", "Volfovich"]
    assert "Pavel Latushko told Interia" in found[0][1]
    assert "friend of Wolfovich’s" in found[1][1]


def test_a_polish_womans_surname_given_the_mans_ending_is_a_slip():
    # English keeps a Polish woman's -ska; "Anna Kowalski" for the source's Kowalska is one person
    # misspelt, while a man and a woman the source itself names apart stay two people
    polish = ["Rozmowę prowadziła Anna Kowalska.", "Kowalska zapytała o Charków.", "Pogoda była zła."]
    english = ["The interview was conducted by Anna Kowalski.", "Kowalska asked about Kharkiv.", "The weather was bad."]
    issues = names.check(context(polish, english))
    assert [(i.tgt, i.replaces, i.suggestion) for i in issues] == [((0,), "Kowalski", "Kowalska")]
    couple = ["Jan Kowalski i Anna Kowalska przyszli razem.", "Kowalska zapytała o Charków.", "Kowalski milczał."]
    assert names.check(context(couple, ["Jan Kowalski and Anna Kowalska came together.",
                                        "Kowalska asked about Kharkiv.", "Kowalski kept silent."])) == []


def test_a_name_kept_in_the_sources_spelling_and_mistyped_once_is_a_variant():
    # the keys of the two spelling systems read "cz" and "tz" apart; one letter off the source's
    # own spelling of a name in the same pair is that name mistyped
    ctx = context(
        ["Prezydent Aleksandra Dulkiewicz powiedziała, że plan chroni park.", "Radny zapowiedział skargę do wojewody.",
         "Dulkiewicz zapewniła, że będą konsultacje."],
        ["Mayor Aleksandra Dulkiewicz said the plan protects the park.", "A councillor announced a complaint.",
         "Dulkiewitz assured there would be consultations."],
    )
    issues = names.check(ctx)
    assert [(i.kind, i.tgt) for i in issues] == [("name_variant", (2,))]
    assert "Dulkiewitz (1×) and Dulkiewicz (1×)" in issues[0].message
