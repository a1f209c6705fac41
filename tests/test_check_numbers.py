"""The number_mismatch checker: what it reads, what it flags, and what it must leave alone."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from align.checks import numbers
from align.checks.base import CheckContext
from align.checks.numbers import Quantity, compare, extract, render
from align.types import Alignment, Bead, Document, Segment, Severity

HIGH, MEDIUM, LOW = Severity.HIGH, Severity.MEDIUM, Severity.LOW


def flagged(src: str, tgt: str, src_lang: str, tgt_lang: str) -> list[tuple]:
    """(severity, source text, target text) for each finding; None for a missing side."""
    return [
        (f.severity, f.src.text if f.src else None, f.tgt.text if f.tgt else None)
        for f in compare(extract(src, src_lang), extract(tgt, tgt_lang))
    ]


def readings(text: str, lang: str) -> list[tuple]:
    return [q.readings[0] for q in extract(text, lang).quantities]


# ------------------------------------------------------------------------------------------
# Reading quantities
# ------------------------------------------------------------------------------------------

N, P = "number", "percent"


@pytest.mark.parametrize("text, lang, expected", [
    ("Podatek wzrósł o 30 proc. w ciągu roku.", "pl", [(P, 30)]),
    ("Prices went up 30 per cent, not 30 percent.", "en", [(P, 30), (P, 30)]),
    ("Es waren 12,5 Prozent.", "de", [(P, Decimal("12.5"))]),
    ("Une hausse de 7 pour cent.", "fr", [(P, 7)]),
    ("Zebrano 40 tys. podpisów.", "pl", [(N, 40000)]),
    ("Zebrano 40 000 podpisów.", "pl", [(N, 40000)]),
    ("Gmina dostała 1,5 mln zł i 3 mld euro.", "pl", [(N, 1500000), (N, 3 * 10**9)]),
    ("They raised 1.5 million and 2,500 more; 40k in total.", "en",
     [(N, 1500000), (N, 2500), (N, 40000)]),
    ("Das kostet 2.500 Euro, also 2,5 Tsd.", "de", [(N, 2500), (N, 2500)]),
    ("Il y a 40 000 habitants et deux millions de touristes.", "fr", [(N, 40000), (N, 2000000)]),
    ("Przyszło dwa tysiące pięćset osób.", "pl", [(N, 2500)]),
    ("Przyszło stu dwudziestu pięciu gości.", "pl", [(N, 125)]),
    ("Twenty-five thousand people signed.", "en", [(N, 25000)]),
    ("It cost two hundred and fifty pounds.", "en", [(N, 250)]),
    ("A dozen eggs.", "en", [(N, 12)]),
    ("Trwało to półtora roku.", "pl", [(N, Decimal("1.5"))]),
    ("Fünfundzwanzig Leute kamen.", "de", [(N, 25)]),
    ("Vingt-cinq personnes et soixante-dix chaises.", "fr", [(N, 25), (N, 70)]),
    ("W czwartek 31 marca.", "pl", [("date", (31, 3))]),
    ("Zaczęło się 1 marzec.", "pl", [("date", (1, 3))]),
    ("On March 31, 2022 it began.", "en", [("date", (31, 3)), (N, 2022)]),
    ("On the 31st of March.", "en", [("date", (31, 3))]),
    ("Am 3. Oktober 1990.", "de", [("date", (3, 10)), (N, 1990)]),
    ("Le 1er mars.", "fr", [("date", (1, 3))]),
    ("Termin: 31.03.2022.", "pl", [("date", (31, 3)), (N, 2022)]),
    ("Spotkanie o godz. 17.30, potem o 18:15.", "pl", [("time", (17, 30)), ("time", (18, 15))]),
    ("We met at 5:30 pm.", "en", [("time", (17, 30))]),
    ("Działo się to w XX wieku.", "pl", [(N, 20)]),
    ("Stało się to w 2021 r.", "pl", [(N, 2021)]),
    ("Ceny spadły o 30-40%.", "pl", [(P, 30), (P, 40)]),
    ("To był 30-procentowy wzrost dla 20-letniej firmy.", "pl", [(P, 30), (N, 20)]),
    ("Kupiono F-16, a COVID-19 minął.", "pl", [("code", "F16"), ("code", "COVID19")]),
])
def test_reads_quantities(text: str, lang: str, expected: list[tuple]) -> None:
    assert readings(text, lang) == [(k, Decimal(v) if k in (N, P) else v) for k, v in expected]


@pytest.mark.parametrize("text, lang", [
    ("1. Wprowadzenie do tematu", "pl"),                  # a list marker
    ("Zobacz https://example.org/art/2021/05/77.", "pl"),  # digits in an address
    ("We may meet in March again.", "en"),                  # "may" and "March" alone are not dates
    ("Przyszło kilka tysięcy osób.", "pl"),                 # vague, no value
    ("Thousands of people came.", "en"),
])
def test_reads_no_quantity(text: str, lang: str) -> None:
    assert extract(text, lang).quantities == ()


def test_separate_numbers_are_not_summed() -> None:
    assert readings("Between 2 and three people, 38 83 times.", "en") == [
        (N, 2), (N, 3), (N, 38), (N, 83)]
    assert readings("two hundred and fifty", "en") == [(N, 250)]


def test_vague_words_are_collected() -> None:
    assert extract("Przyszło kilka tysięcy osób, dwukrotnie więcej.", "pl").vague == (
        "kilka", "tysięcy", "dwukrotnie")
    assert extract("Several thousands came, twice as many.", "en").vague == (
        "Several", "thousands", "twice")


def test_ambiguous_formats_keep_both_readings() -> None:
    """2,500 in a Polish text is 2.5 by the rules but may be an unlocalised 2500."""
    (q,) = extract("Kosztuje 2,500 zł.", "pl").quantities
    assert q.readings == ((N, Decimal("2.5")), (N, Decimal(2500)))
    (q,) = extract("It costs 2,500 zlotys.", "en").quantities
    assert q.readings == ((N, Decimal(2500)), (N, Decimal("2.5")))


# ------------------------------------------------------------------------------------------
# Comparing Polish and English
# ------------------------------------------------------------------------------------------

PL_EN = [
    # equal values, different formats: nothing
    ("Po raz drugi wygrał w 2020 r.", "He won for the 2nd time in 2020.", []),  # an ordinal in words
    ("Na początku było trudno.", "At first it was hard.", []),  # "first" is not always a rank
    ("Sezon 2019/2020 był trudny.", "The 2019-20 season was hard.", []),  # a span of years
    ("Ochrona została wzmocniona o 30 proc.", "The guard was strengthened by 30%.", []),
    ("Ochrona została wzmocniona o 30 procent.", "The guard was strengthened by 30 per cent.", []),
    ("Przekazaliśmy 40 tys. stron akt.", "We handed over 40 thousand pages of files.", []),
    ("Przekazaliśmy 40 tys. stron akt.", "We handed over 40,000 pages of files.", []),
    ("Dotacja wynosi 1,5 mln zł.", "The grant is 1.5 million zlotys.", []),
    ("Dotacja wynosi 1,5 mln zł.", "The grant is PLN 1,500,000.", []),
    ("W czwartek 31 marca zatrzymano 38 kolejarzy.",
     "On Thursday, 31 March, 38 railway workers were detained.", []),
    ("Zatrzymano ich 31 marca.", "They were detained on March 31.", []),
    ("Umowę podpisano 31.03.2022.", "The deal was signed on 31 March 2022.", []),
    ("Było to w 2021 r.", "That was in 2021.", []),
    ("Jest dwóch generałów, którzy mogą go obalić.",
     "There are two generals who may overthrow him.", []),
    ("Jest dwóch generałów.", "There are 2 generals.", []),
    ("Towarzyszą mu jeden lub dwa śmigłowce.", "One or two helicopters go with him.", []),
    ("Jedno nie wyklucza drugiego.", "One does not preclude the other.", []),
    ("Nie wyklucza to drugiego rozwiązania.", "One does not preclude the other.", []),
    ("Przyszło dwadzieścia pięć tysięcy osób.", "25,000 people came.", []),
    ("Kupili myśliwce F-16 w 2021 r.", "They bought F-16s in 2021.", []),
    ("W latach 90. pracował w ministerstwie.", "In the 1990s he worked at the ministry.", []),
    ("Wrócą za dwa-trzy tygodnie.", "They will be back in two or three weeks.", []),
    ("Mińsk leży 200 km od granicy.", "Minsk lies 200 kilometres from the border.", []),
    ("Straty sięgają 2,3 mld dolarów.", "Losses reach $2.3bn.", []),
    ("Zginęło ponad stu żołnierzy.", "More than a hundred soldiers were killed.", []),
    ("Bilet kosztuje 2,500 zł.", "The ticket costs 2,500 zlotys.", []),  # unlocalised format
    ("Start o godz. 17.30.", "The start is at 5:30 pm.", []),
    ("Od dwóch lat nic się nie zmienia.", "For a couple of years nothing has changed.", []),
    ("Produkcja wzrosła dwukrotnie.", "Output grew two times.", []),
    # changed values
    ("Ochrona została wzmocniona o 30 proc.", "The guard was strengthened by 40%.",
     [(HIGH, "30 proc.", "40%")]),
    ("Zatrzymano 38 kolejarzy.", "83 railway workers were detained.", [(HIGH, "38", "83")]),
    ("Zatrzymano ich 31 marca.", "They were detained on 31 May.", [(HIGH, "31 marca", "31 May")]),
    ("Dotacja wynosi 1,5 mln zł.", "The grant is 15 million zlotys.",
     [(HIGH, "1,5 mln", "15 million")]),
    ("Jest dwóch generałów.", "There are three generals.", [(HIGH, "dwóch", "three")]),
    ("Lecą z nim jednym lub dwoma śmigłowcami.", "One or three helicopters fly with him.",
     [(HIGH, "dwoma", "three")]),
    # in a bead of several sentences the right numbers are paired by place
    ("W 2021 r. zatrzymano 38 kolejarzy. Potem wypuszczono 12 z nich.",
     "In 2021, 38 railway workers were detained. Later 21 of them were released.",
     [(HIGH, "12", "21")]),
    # one side only
    ("Zatrzymano 38 kolejarzy.", "Railway workers were detained.", [(MEDIUM, "38", None)]),
    ("Zatrzymano kolejarzy.", "38 railway workers were detained.", [(MEDIUM, None, "38")]),
    ("Przyszło kilka tysięcy osób.", "Some 3,000 people came.", [(LOW, None, "3,000")]),
    ("Przyszli dwaj posłowie.", "The deputies came.", [(LOW, "dwaj", None)]),
    # a percentage against a bare number of the same value
    ("Wzrost o 30 proc.", "An increase of 30.", [(LOW, "30 proc.", "30")]),
    # a month or weekday without a day, inflected: compared only with the other side's
    ("Wojska wycofano w lipcu.", "The troops were withdrawn in July.", []),
    ("Wojska wycofano w lipcu.", "The troops were withdrawn in September.", [(MEDIUM, "lipcu", "September")]),
    ("Spotkanie odbyło się we wtorek.", "The meeting took place on Thursday.", [(MEDIUM, "wtorek", "Thursday")]),
    ("Rozmowy zaczęły się 3 lipca, a skończyły w sierpniu.", "Talks began on 3 July and ended in August.", []),
    ("Rozmowy zaczęły się 3 lipca, a skończyły w sierpniu.", "Talks began on 3 July and ended in October.",
     [(MEDIUM, "sierpniu", "October")]),
    ("Przyjechał w lipcu, 3 lipca.", "He came on 3 July.", []),  # a month said in a date as well
    ("Wyjechał w maju.", "He left.", []),  # one side only: the translator's choice
    ("Wyjechał w maju.", "He may leave in winter.", []),  # lower case 'may' is a verb
    # the same value in another unit or currency; a unit on one side only says nothing
    ("Dotacja wynosi 500 zł.", "The grant is 500 dollars.", [(HIGH, "500", "500")]),
    ("Dotacja wynosi 500 zł.", "The grant is 500.", []),
    ("Przeszli 40 km.", "They walked 40 miles.", [(HIGH, "40", "40")]),
    ("Rozmowy trwały 3 dni.", "The talks lasted 3 weeks.", [(HIGH, "3", "3")]),
    ("Rozmowy trwały 3 dni.", "The talks lasted three days.", []),
    ("Koszt to 3 mln euro.", "The cost is €3 million.", []),  # a symbol before the amount
]


@pytest.mark.parametrize("pl, en, expected", PL_EN)
def test_polish_english_pairs(pl: str, en: str, expected: list[tuple]) -> None:
    assert flagged(pl, en, "pl", "en") == expected


DE_FR = [
    ("Die Kosten stiegen um 12,5 Prozent.", "Les coûts ont augmenté de 12,5 %.", []),
    ("Es kamen 2.500 Besucher.", "2 500 visiteurs sont venus.", []),
    ("Es geht um 1,5 Mio. Euro.", "Il s'agit de 1,5 million d'euros.", []),
    ("Am 3. Oktober 1990 kam die Einheit.", "L'unité est arrivée le 3 octobre 1990.", []),
    ("Zwei Kantone stimmten zu.", "Deux cantons ont approuvé.", []),
    ("Um 14.30 Uhr begann die Sitzung.", "La séance a commencé à 14 h 30.", []),
    ("Um 13.30 Uhr betraten sie den Gipfel.", "À 13 h. 30, ils foulèrent le sommet.", []),  # older French typography
    ("Es gibt einundzwanzig Gemeinden.", "Il y a vingt et une communes.", []),
    ("Sie forschten 1952 und 1953 dort.", "Ils y firent des recherches en 1952/53.", []),  # a span of years
    ("Die zweite und die dritte Besteigung glückten.", "Les 2e et 3e ascensions réussirent.", []),  # ordinals
    ("Das war der zweite Versuch.", "C'était la 3e tentative.", [(MEDIUM, None, "3e")]),
    ("Sie kamen am 18. Mai 1956 an und reisten am 23. Mai ab.",
     "Ils arrivèrent le 18 mai 1956 et repartirent le 23 mai 1956.", []),  # the year written with each date
    ("Sie kamen am 18. Mai 1956 an und reisten am 23. Mai ab.",
     "Ils arrivèrent le 18 mai 1956 et repartirent le 23 mai 1957.", [(MEDIUM, None, "1957")]),
    ("Sie forschten 1952 und 1953 dort.", "Ils y firent des recherches en 1952/54.", [(HIGH, "1953", "54")]),
    ("Das war im 19. Jahrhundert.", "C'était au XIXe siècle.", []),
    ("Tausende Menschen kamen.", "Des milliers de personnes sont venues.", []),
    ("Es geht um 3 Mrd. Franken.", "Il s'agit de trois milliards de francs.", []),
    ("Die Kosten stiegen um 12,5 Prozent.", "Les coûts ont augmenté de 15 %.",
     [(HIGH, "12,5 Prozent", "15 %")]),
    ("Am 3. Oktober kam die Einheit.", "L'unité est arrivée le 3 novembre.",
     [(HIGH, "3. Oktober", "3 novembre")]),
    ("Es kamen 2.500 Besucher.", "25 000 visiteurs sont venus.", [(HIGH, "2.500", "25 000")]),
    ("Zwei Kantone stimmten zu.", "Trois cantons ont approuvé.", [(HIGH, "Zwei", "Trois")]),
    ("Der Vertrag gilt seit 2004.", "Le traité est en vigueur.", [(MEDIUM, "2004", None)]),
    ("Die Sitzung beginnt um 14 Uhr.", "La séance commence à 15 h.", [(HIGH, "14 Uhr", "15 h")]),
    # a Roman numeral or a list marker stands in for a number the other side writes in digits
    ("Lager 2 ( 5400 m ) stand am Grat.", "Le camp II , 5400 m , était sur l'arête.", []),
    ("Der Berg wurde oft besucht 10. In der Chronik stand mehr.", "10. La chronique en disait plus.", []),
    ("Lager 2 stand am Grat.", "Le camp III était sur l'arête.", [(LOW, "2", None)]),
    ("Die Aussicht vom K2 war gross.", "La vue du K 2 était grande.", []),  # a code spaced out
    ("Das Wasser war etwa 1 ½ m tief.", "L'eau était profonde de 1,50 m.", []),
    ("Er gilt als leichter Siebentausender.", "Il passe pour le plus facile des « 7000 ».", []),
    # a rank answers a rank first; a height dropped and a count added are two findings, not
    # one value changed from 8848 to 2
    ("Die zweite Besteigung des Everest ( 8848 m ) gelang.", "Deux cordées réussirent la 2e ascension de l'Everest.",
     [(LOW, None, "Deux"), (MEDIUM, "8848", None)]),
    # the year repeated with each date is not a value changed either
    ("Am 23. Mai 1956 und am 24. Mai stiegen sie auf 8848 m.", "Le 23 mai 1956 et le 24 mai 1956 ils montèrent à 8884 m.",
     [(HIGH, "8848", "8884")]),
    # ... but only once the other side's own numbers are matched: "Le 3" is the 3rd of July
    ("Am 3. Juli erreichten sie Lager III.", "Le 3 , ils atteignirent le camp III.", []),
    ("Im Juli erreichten sie das Lager.", "En juillet, ils atteignirent le camp.", []),
    ("Im Juli erreichten sie das Lager.", "En septembre, ils atteignirent le camp.", [(MEDIUM, "Juli", "septembre")]),
    ("Am Montag begann der Aufstieg.", "Le mercredi commença la montée.", [(MEDIUM, "Montag", "mercredi")]),
    # another unit, or a conversion: 8848 m are 29 029 feet, and the French count two weeks as 15 days
    ("Der Gipfel ist 8848 m hoch.", "Le sommet a 8848 pieds.", [(HIGH, "8848", "8848")]),
    ("Der Gipfel ist 8848 m hoch.", "Le sommet a 29 029 pieds.", []),
    ("Seit zwei Wochen warteten sie.", "Depuis quinze jours ils attendaient.", []),
    ("Seit zwei Wochen warteten sie.", "Depuis deux mois ils attendaient.", [(HIGH, "zwei", "deux")]),
    ("Sie zahlten 180 SFr.", "Ils payèrent 180 francs suisses.", []),
]


@pytest.mark.parametrize("de, fr, expected", DE_FR)
def test_german_french_pairs(de: str, fr: str, expected: list[tuple]) -> None:
    assert flagged(de, fr, "de", "fr") == expected


def test_the_same_digits_at_another_scale_are_one_value_changed() -> None:
    assert flagged("Budżet wynosi 1,5 mln zł.", "The budget is 1.5 thousand zloty.", "pl", "en") == [
        (HIGH, "1,5 mln", "1.5 thousand")]
    assert flagged("Budżet wynosi 1,5 mln zł.", "The budget is 2 zloty.", "pl", "en") == [
        (MEDIUM, "1,5 mln", None), (MEDIUM, None, "2")]


def test_english_i_is_the_pronoun_not_a_roman_one() -> None:
    assert flagged("Ma 1 rok.", "I know he is a year old.", "pl", "en") == [(MEDIUM, "1", None)]


def test_codes_are_matched_as_tokens() -> None:
    assert flagged("Kupiono F-16 i Su-25.", "F-16 and Su-25 jets were bought.", "pl", "en") == []
    assert flagged("Kupiono F-16.", "F-35 jets were bought.", "pl", "en") == [
        (MEDIUM, "F-16", "F-35")]
    assert flagged("Kupiono F-16.", "Jets were bought.", "pl", "en") == [(LOW, "F-16", None)]


# ------------------------------------------------------------------------------------------
# Equal values are never flagged, whatever the formats
# ------------------------------------------------------------------------------------------

LANGS = ("pl", "en", "de", "fr")
SENTENCE = {"pl": "Wynik: {} w tym roku.", "en": "The result: {} this year.",
            "de": "Das Ergebnis: {} in diesem Jahr.", "fr": "Le résultat : {} cette année."}

amounts = st.decimals(min_value=0, max_value=10**9, places=2, allow_nan=False)
quantities = st.one_of(
    st.builds(lambda v, s: Quantity("", (("number", v),), scaled=s), amounts, st.booleans()),
    st.builds(lambda v: Quantity("", (("percent", v),)), amounts),
    st.builds(lambda d, m: Quantity("", (("date", (d, m)),)),
              st.integers(1, 28), st.integers(1, 12)),
    st.builds(lambda h, m: Quantity("", (("time", (h, m)),)),
              st.integers(0, 23), st.integers(0, 59)),
)


@given(quantities, st.sampled_from(LANGS), st.sampled_from(LANGS))
def test_a_value_rendered_in_two_languages_is_never_flagged(q: Quantity, a: str, b: str) -> None:
    src, tgt = SENTENCE[a].format(render(q, a)), SENTENCE[b].format(render(q, b))
    assert q.readings[0] in extract(src, a).quantities[0].readings
    assert flagged(src, tgt, a, b) == []


@pytest.mark.parametrize("q, lang, expected", [
    (Quantity("", (("percent", Decimal(30)),)), "en", "30%"),
    (Quantity("", (("percent", Decimal(30)),)), "pl", "30 proc."),
    (Quantity("", (("number", Decimal(1500000)),), scaled=True), "en", "1.5 million"),
    (Quantity("", (("number", Decimal(1500000)),), scaled=True), "pl", "1,5 mln"),
    (Quantity("", (("number", Decimal(1500000)),), scaled=True), "fr", "1,5 million"),
    (Quantity("", (("number", Decimal(40000)),)), "en", "40,000"),
    (Quantity("", (("number", Decimal(40000)),)), "pl", "40 000"),
    (Quantity("", (("number", Decimal(2500)),)), "de", "2.500"),
    (Quantity("", (("date", (31, 3)),)), "en", "31 March"),
    (Quantity("", (("date", (31, 3)),)), "de", "31. März"),
    (Quantity("", (("month", 7),)), "en", "July"),
    (Quantity("", (("month", 7),)), "fr", "juillet"),
    (Quantity("", (("weekday", 2),)), "de", "Dienstag"),
    (Quantity("", (("weekday", 2),)), "pl", "wtorek"),
])
def test_render(q: Quantity, lang: str, expected: str) -> None:
    assert render(q, lang) == expected


# ------------------------------------------------------------------------------------------
# The checker on a small aligned interview
# ------------------------------------------------------------------------------------------

POLISH = [
    "Łukaszenka boi się o życie; jest dwóch generałów, którzy mogą go obalić.",
    "W ostatnich tygodniach jego ochronę wzmocniono o 30 proc.",
    "W czwartek 31 marca zatrzymano 38 kolejarzy.",
    "Do Hagi trafiło 40 tys. stron dokumentów.",
    "Kosztowało to 1,5 mln dolarów.",
    "Tak było.",
    "Rozmowa odbyła się w 2022 r.",
    "Tego zdania nie przetłumaczono: 17 osób.",
]
ENGLISH = [
    "Lukashenko fears for his life.",
    "There are two generals who may overthrow him.",
    "In recent weeks his guard has been strengthened by 40%.",
    "On Thursday, 31 May, 83 railway workers were detained.",
    "40 thousand pages of documents went to The Hague.",
    "It cost 15 million dollars.",
    "So it was, in 2021.",
    "Top of page 1",
]


def _document(texts: list[str], lang: str) -> Document:
    return Document(" ".join(texts), lang, tuple(Segment(i, t) for i, t in enumerate(texts)))


@pytest.fixture()
def interview() -> CheckContext:
    beads = (
        Bead((0,), (0, 1)), Bead((1,), (2,)), Bead((2,), (3,)), Bead((3,), (4,)),
        Bead((4,), (5,)), Bead((5, 6), (6,)), Bead((7,), ()), Bead((), (7,)),
    )
    return CheckContext(Alignment(_document(POLISH, "pl"), _document(ENGLISH, "en"), beads))


def test_check_on_an_interview(interview: CheckContext) -> None:
    issues = numbers.check(interview)
    assert all(i.kind == "number_mismatch" for i in issues)
    assert not any(i.src == (7,) or i.tgt == (7,) for i in issues)  # one-sided beads: coverage's
    found = {(i.src, i.tgt, i.severity, i.suggestion) for i in issues}
    assert found == {
        ((1,), (2,), HIGH, "30%"),
        ((2,), (3,), HIGH, "31 March"),
        ((2,), (3,), HIGH, "38"),
        ((4,), (5,), HIGH, "1.5 million"),
        ((5, 6), (6,), HIGH, "2022"),
    }


def test_messages_name_both_sides(interview: CheckContext) -> None:
    by_suggestion = {i.suggestion: i for i in numbers.check(interview)}
    percent = by_suggestion["30%"]
    assert percent.message == "The original says 30 proc. (30%); the translation says 40%."
    assert percent.evidence == ("original: 30 proc.", "translation: 40%")
    date = by_suggestion["31 March"]
    assert date.message == "The original says 31 marca (31 March); the translation says 31 May."


def test_one_sided_issue_message() -> None:
    ctx = CheckContext(Alignment(_document(["Zatrzymano 38 kolejarzy w 2021 r."], "pl"),
                                 _document(["Railway workers were detained in 2021."], "en"),
                                 (Bead((0,), (0,)),)))
    (issue,) = numbers.check(ctx)
    assert issue.severity == MEDIUM
    assert issue.message == "The original says 38, but the translation has no matching number."
    assert issue.evidence == ("original: 38", "translation: 2021")


def test_language_codes_with_regions_are_understood() -> None:
    ctx = CheckContext(Alignment(_document(["Wzrost o 30 proc."], "pl-PL"),
                                 _document(["A rise of 30%."], "en_GB"), (Bead((0,), (0,)),)))
    assert numbers.check(ctx) == []


# ------------------------------------------------------------------------------------------
# Newsroom Polish and English: shapes a news translator writes every day
# ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("pl, en, expected", [
    ("Sędzia wymierzył mu 4 lata więzienia.", "The judge handed him a four-year jail term.", []),
    ("Dostała 3 lata w zawieszeniu na 6 lat.",
     "She got a three-year suspended term with a six-year probation.", []),
    ("Premier złoży 2 dni wizyty w Kijowie.", "The prime minister will pay a two-day visit to Kyiv.", []),
    ("Rząd zatwierdził plan za 40 mld euro.", "The government approved a 40-billion-euro plan.", []),
    ("Firma zawarła umowę na 3 mld dolarów.", "The firm signed a three-billion-dollar deal.", []),
    ("Przyznano mu 12 lat więzienia.", "He was given a twenty-five-year sentence.", [(HIGH, "12", "twenty-five")]),
    ("Sędzia wymierzył mu 4 lata więzienia.", "The judge handed him a four-month jail term.",
     [(HIGH, "4", "four")]),  # another unit
])
def test_hyphenated_compounds_read_their_number(pl: str, en: str, expected: list[tuple]) -> None:
    assert flagged(pl, en, "pl", "en") == expected


@pytest.mark.parametrize("pl, en, expected", [
    # Polish writes "ten-year" and "two-time" solid: the stem's number is read
    ("Sąd orzekł dziesięcioletni zakaz.", "The court imposed a ten-year ban.", []),
    ("Sąd orzekł pięcioletni zakaz.", "The court imposed a ban for ten years.", [(HIGH, "pięcioletni", "ten")]),
    ("Jest dwukrotnym mistrzem świata.", "He is a two-time world champion.", []),
    ("Jest dwukrotnym mistrzem świata.", "He is a three-time world champion.", [(HIGH, "dwukrotnym", "three")]),
    ("Trzypiętrowy budynek ma dwadzieścia pokoi.", "The three-storey building has 20 rooms.", []),
    # ... but not "twice" as an adverb ("doubled"), nor words that only start like a number
    ("Ceny wzrosły dwukrotnie.", "Prices doubled.", []),
    ("To dwuznaczna odpowiedź, więc trzymał się planu.", "An ambiguous answer, so he kept to the plan.", []),
    ("Wyjazd kilkudniowy zaplanowano na maj.", "A trip of a few days is planned for May.", []),
])
def test_polish_solid_compounds_read_their_number(pl: str, en: str, expected: list[tuple]) -> None:
    assert flagged(pl, en, "pl", "en") == expected


@pytest.mark.parametrize("pl, en, expected", [
    ("W Krakowie termometry pokazały 33 st. C.", "Thermometers in Krakow showed 33C.", []),
    ("Nad morzem będzie 21,5 st. C.", "It will be 21.5C on the coast.", []),
    ("W nocy spadnie do -12 st. C.", "At night it will drop to -12C.", []),
    ("W Krakowie termometry pokazały 33 st. C.", "Thermometers in Krakow showed 38C.", [(HIGH, "33", "38C")]),
])
def test_degrees_written_after_the_digits(pl: str, en: str, expected: list[tuple]) -> None:
    assert flagged(pl, en, "pl", "en") == expected
    assert flagged(en, pl, "en", "pl") == [(sev, t, s) for sev, s, t in expected]


def test_degrees_fahrenheit_read_as_a_number() -> None:
    assert readings("In Phoenix it was 104F.", "en") == [(N, Decimal(104))]


@pytest.mark.parametrize("pl, en, expected", [
    ("Aktywa funduszu sięgnęły 3 bln zł.", "The fund's assets reached PLN 3 trillion.", []),
    ("Aktywa funduszu sięgnęły 1,2 biliona zł.", "The fund's assets reached PLN 1.2 trillion.", []),
    ("Rynek jest wart bilion dolarów.", "The market is worth a trillion dollars.", []),
    ("Gospodarka wytworzy 4 biliony złotych.", "The economy will produce four trillion zlotys.", []),
    ("Aktywa funduszu sięgnęły 3bln zł.", "The fund's assets reached PLN 3 trillion.", []),
    # the false friend: bilion is a trillion, not a billion
    ("Aktywa funduszu sięgnęły 3 bln zł.", "The fund's assets reached PLN 3 billion.",
     [(HIGH, "3 bln", "3 billion")]),
    ("Rynek jest wart 2 biliony dolarów.", "The market is worth 2 billion dollars.",
     [(HIGH, "2 biliony", "2 billion")]),
])
def test_polish_bilion_is_a_trillion(pl: str, en: str, expected: list[tuple]) -> None:
    assert flagged(pl, en, "pl", "en") == expected


def test_a_trillion_is_suggested_as_one() -> None:
    src, tgt = extract("Dług sięgnie 2 bln zł.", "pl"), extract("Debt will reach PLN 2 billion.", "en")
    (finding,) = compare(src, tgt)
    message, _, suggestion = numbers._describe(finding, src, tgt, "en")
    assert suggestion == "2 trillion"
    assert message == "The original says 2 bln (2 trillion); the translation says 2 billion."


@pytest.mark.parametrize("text, lang, expected", [
    ("Autobus odjechał o godz. 8.10.", "pl", [("time", (8, 10))]),
    ("Sesję zamknięto o godzinie 18.12.", "pl", [("time", (18, 12))]),
    ("Wrócił o 9.05.", "pl", [("time", (9, 5))]),
    ("Der Zug fuhr um 7.05.", "de", [("time", (7, 5))]),
    ("Termin minął 8.10.", "pl", [("date", (8, 10))]),  # no hour word: the 8th of October
])
def test_a_clock_time_at_a_sentence_end_is_not_a_date(text: str, lang: str, expected: list[tuple]) -> None:
    assert readings(text, lang) == expected


def test_a_clock_time_at_a_sentence_end_matches_the_translation() -> None:
    assert flagged("Autobus odjechał o godz. 8.10.", "The bus left at 8:10 am.", "pl", "en") == []
    assert flagged("Autobus odjechał o godz. 8.10.", "The bus left at 8:20 am.", "pl", "en") == [
        (HIGH, "8.10", "8:20 am")]


@pytest.mark.parametrize("pl, en, expected", [
    ("Inflacja spadła o 0,3 pkt proc.", "Inflation fell by 0.3 percentage points.", []),
    ("Inflacja spadła o 0,3 pkt proc.", "Inflation fell by 0.3 pp.", []),
    ("Inflacja spadła o 0,3 p.p.", "Inflation fell by 0.3 percentage points.", []),
    ("Stopa wzrosła o 1 punkt procentowy.", "The rate rose by one percentage point.", []),
    ("Inflacja spadła o 0,3 pkt.", "Inflation fell by 0.3 points.", []),
    ("Drużyna zdobyła 52 punkty.", "The team scored 52 points.", []),  # a score, on both sides
    ("Inflacja spadła o 0,3 proc.", "Inflation fell by 0.3%.", []),
    # percent is another unit than percentage points
    ("Inflacja spadła o 0,3 pkt proc.", "Inflation fell by 0.3%.", [(HIGH, "0,3 pkt proc.", "0.3%")]),
    ("Inflacja spadła o 0,3 p.p.", "Inflation fell by 0.3 percent.", [(HIGH, "0,3 p.p.", "0.3 percent")]),
    ("Deficyt sięgnął 4,1 proc. PKB.", "The deficit reached 4.1 percentage points of GDP.",
     [(HIGH, "4,1 proc.", "4.1 percentage points")]),
    ("Inflacja spadła o 0,3 proc.", "Inflation fell by 0.3 points.", [(HIGH, "0,3 proc.", "0.3 points")]),
])
def test_percentage_points_are_another_unit_than_percent(pl: str, en: str, expected: list[tuple]) -> None:
    assert flagged(pl, en, "pl", "en") == expected


def test_percentage_points_are_reported_like_another_unit() -> None:
    src, tgt = extract("Bezrobocie spadło o 0,4 pkt proc.", "pl"), extract("Unemployment fell by 0.4%.", "en")
    (finding,) = compare(src, tgt)
    assert finding.reason == "unit"
    assert numbers._describe(finding, src, tgt, "en") == (
        "The original says 0,4 pkt proc.; the translation says 0.4%, another unit.",
        ("original: 0,4 pkt proc.", "translation: 0.4%"), "0.4 percentage points")


def test_polish_p_p_is_read_whole() -> None:
    (q,) = extract("Marża wzrosła o 0,5 p.p.", "pl").quantities
    assert (q.text, q.readings) == ("0,5 p.p.", ((P, Decimal("0.5")),))


@pytest.mark.parametrize("pl, en, expected", [
    ("Alert II stopnia objął 5 powiatów.", "The level-two alert covered six districts.", [(HIGH, "5", "six")]),
    ("Benedykt XVI odwiedził 4 kraje.", "Benedict XVI visited three countries.", [(HIGH, "4", "three")]),
    ("W II turze głosowało 9 osób.", "Nine people voted in the second round.", []),
    # a vague word still leaves a change in words uncertain
    ("Kilka razy odwiedził 4 kraje.", "Several times he visited three countries.", [(LOW, "4", "three")]),
])
def test_a_roman_numeral_elsewhere_does_not_soften_a_change(pl: str, en: str, expected: list[tuple]) -> None:
    assert flagged(pl, en, "pl", "en") == expected


@pytest.mark.parametrize("pl, en, expected", [
    ("Budowa ruszy w połowie 2026 r.", "Construction will begin in mid-2026.", []),
    ("Po 1991 r. fabryka upadła.", "The post-1991 years ruined the factory.", []),
    ("Pod koniec lat 80. wyjechał.", "He left in the late-1980s.", []),
    ("Budowa ruszy w połowie 2026 r.", "Construction will begin in mid-2027.", [(HIGH, "2026", "2027")]),
])
def test_a_year_after_mid_or_post_is_a_year(pl: str, en: str, expected: list[tuple]) -> None:
    assert flagged(pl, en, "pl", "en") == expected


@pytest.mark.parametrize("pl, en, expected", [
    ("Wylądował transportowiec Ił-76.", "An Il-76 transport plane landed.", []),
    ("Odpalono rakiety Ch-59.", "Kh-59 missiles were launched.", []),
    ("Odpalono rakiety Ch-59.", "Kh-69 missiles were launched.", [(MEDIUM, "Ch-59", "Kh-69")]),
])
def test_transliterated_designations_are_one_code(pl: str, en: str, expected: list[tuple]) -> None:
    assert flagged(pl, en, "pl", "en") == expected


@pytest.mark.parametrize("pl, en, expected", [
    ("Szczyt zaczął się o godz. 12.", "The summit began at noon.", []),
    ("Szczyt zaczął się o 12:00.", "The summit began at midday.", []),
    ("Sklepy zamknięto o godz. 24.", "The shops were closed at midnight.", []),
    ("Sklepy zamknięto o północy.", "The shops were closed at midnight.", []),
    ("Szczyt zaczął się o godz. 13.", "The summit began at noon.", [(MEDIUM, "13", None)]),
])
def test_noon_and_midnight_are_clock_times(pl: str, en: str, expected: list[tuple]) -> None:
    assert flagged(pl, en, "pl", "en") == expected


@pytest.mark.parametrize("pl, en, expected", [
    ("Spór trwa od 10 lat.", "The dispute has lasted a decade.", []),
    ("Spór trwa od dekady.", "The dispute has lasted ten years.", []),
    ("Spór trwa od 20 lat.", "The dispute has lasted two decades.", []),
    ("Spór trwa od dziesięcioleci.", "The dispute has lasted for decades.", []),
    ("W latach osiemdziesiątych grał w klubie.", "In the 1980s he played for the club.", []),
    ("Spór trwa od 30 lat.", "The dispute has lasted two decades.", [(HIGH, "30", "two decades")]),
])
def test_decades_are_ten_years(pl: str, en: str, expected: list[tuple]) -> None:
    assert flagged(pl, en, "pl", "en") == expected


@pytest.mark.parametrize("pl, en, expected", [
    ("Szczyt UE odbędzie się 14-15 marca.", "The EU summit will take place on March 14-15.", []),
    ("Szczyt UE odbędzie się 14-15 marca.", "The EU summit will take place on 14 and 15 March.", []),
    ("Mosty zamknięto w nocy z 9 na 10 maja.", "Bridges were closed overnight from May 9 to 10.", []),
    ("Kongres potrwa od 2 do 4 czerwca.", "The congress runs June 2-4.", []),
    ("Szczyt UE odbędzie się 14-15 marca.", "The EU summit will take place on April 14-15.",
     [(HIGH, "14-15 marca", "April 14-15")]),  # Polish names the month last, English first
    ("Mosty zamknięto w nocy z 9 na 10 maja.", "Bridges were closed overnight from June 9 to 10.",
     [(HIGH, "9 na 10 maja", "June 9 to 10")]),
    ("Szczyt UE odbędzie się 14-15 marca.", "The EU summit will take place on March 14-16.",
     [(HIGH, "14-15 marca", "March 14-16")]),
])
def test_a_month_changed_in_a_date_range_is_flagged(pl: str, en: str, expected: list[tuple]) -> None:
    assert flagged(pl, en, "pl", "en") == expected


def test_a_date_range_is_suggested_whole() -> None:
    src, tgt = extract("Targi trwają 8-9 kwietnia.", "pl"), extract("The fair runs May 8-9.", "en")
    (finding,) = compare(src, tgt)
    assert numbers._describe(finding, src, tgt, "en")[2] == "8-9 April"


@pytest.mark.parametrize("pl, en, expected", [
    ("Referendum zarządzono na 9 XI.", "The referendum was called for November 9.", []),
    ("Referendum zarządzono na 9 XI.", "The referendum was called for 9 December.", [(HIGH, "9 XI", "9 December")]),
    ("Ustawa weszła w życie 1 V 2004 r.", "The law came into force on May 1, 2004.", []),
    ("Ustawa weszła w życie 1 VI 2004 r.", "The law came into force on May 1, 2004.", [(HIGH, "1 VI", "May 1")]),
    ("Ustawa weszła w życie 1.VII.2004 r.", "The law came into force on July 1, 2004.", []),
    ("Spotkanie przełożono na 21 lis.", "The meeting was moved to Nov 21.", []),
    ("Spotkanie przełożono na 21 lis.", "The meeting was moved to Oct 21.", [(HIGH, "21 lis", "Oct 21")]),
    ("Akumulator ma 12 V napięcia.", "The battery has 12 V.", []),  # volts, not May
])
def test_polish_roman_and_abbreviated_months(pl: str, en: str, expected: list[tuple]) -> None:
    assert flagged(pl, en, "pl", "en") == expected


def test_a_bare_day_does_not_match_a_date_of_another_month() -> None:
    # each side names the month once, with another day: the days alone would answer each other
    assert flagged("Obrady zaczęły się 3, a skończyły 4 lipca.", "The talks began on July 3 and ended on the 4th.",
                   "pl", "en") == []
    assert flagged("Obrady zaczęły się 3, a skończyły 4 lipca.", "The talks began on August 3 and ended on the 4th.",
                   "pl", "en") != []
    assert flagged("Głosowanie wyznaczono na 7.", "The vote was set for July 7.", "pl", "en") == []  # no month


def test_a_date_is_not_a_clock_hour() -> None:
    assert flagged("Rozprawa ruszy 12 stycznia o godz. 10.", "The hearing opens on January 10 at 12 pm.",
                   "pl", "en") == [(MEDIUM, "12 stycznia", None), (MEDIUM, None, "12 pm")]


@pytest.mark.parametrize("pl, en, expected", [
    ("Miasto odwiedziło pół miliona turystów.", "Half a million tourists visited the city.", []),
    ("Miasto odwiedziło pół miliona turystów.", "The city drew 500,000 tourists.", []),
    ("Budowa pochłonie ćwierć miliarda złotych.", "Construction will swallow PLN 250 million.", []),
    ("Zbiórka dała 250 tys. zł.", "The collection raised a quarter of a million zlotys.", []),
    ("Pracowali nad tym pół roku.", "They worked on it for half a year.", []),  # no scale: still vague
    ("Miasto odwiedziło pół miliona turystów.", "A million tourists visited the city.",
     [(HIGH, "pół miliona", "million")]),
    ("Budowa pochłonie ćwierć miliarda złotych.", "Construction will swallow PLN 1 billion.",
     [(HIGH, "ćwierć miliarda", "1 billion")]),
])
def test_a_fraction_of_a_scale_word_is_its_value(pl: str, en: str, expected: list[tuple]) -> None:
    assert flagged(pl, en, "pl", "en") == expected


def test_a_fraction_of_a_scale_word_reads_in_english() -> None:
    assert readings("Half a billion people and a quarter of a million cars.", "en") == [
        (N, Decimal(500_000_000)), (N, Decimal(250_000))]


@pytest.mark.parametrize("pl, en, expected", [
    ("Rano termometr pokazał -8 st. C.", "In the morning the thermometer showed -8C.", []),
    ("Rano termometr pokazał -8 st. C.", "In the morning the thermometer showed minus 8 degrees.", []),
    ("Rano termometr pokazał -8 st. C.", "In the morning it was 8 degrees below zero.", []),  # the sign in words
    ("Rano było 8 stopni mrozu.", "In the morning it was -8C.", []),
    ("Bilans handlowy wyniósł -3,4 mld zł.", "The trade deficit was PLN 3.4 billion.", []),
    ("PKB zmienił się o -0,4 proc.", "GDP shrank by 0.4%.", []),  # a percentage's sign is said in words
    ("Mecz skończył się 3-1 (0-1).", "The match ended 3-1 (0-1).", []),  # hyphens between numbers
    ("Od 20 odjęto minus 5.", "Minus 5 was subtracted from 20.", []),
    ("Rano termometr pokazał -8 st. C.", "In the morning the thermometer showed 8 degrees.",
     [(MEDIUM, "-8", "8")]),
    ("Na szczycie było minus 4 stopnie.", "It was 4 degrees on the summit.", [(MEDIUM, "minus 4", "4")]),
    ("Na szczycie było 4 stopnie.", "It was −4 degrees on the summit.", [(MEDIUM, "4", "−4")]),
])
def test_a_minus_lost_or_added_is_flagged(pl: str, en: str, expected: list[tuple]) -> None:
    assert flagged(pl, en, "pl", "en") == expected


def test_a_lost_minus_is_reported_with_the_minus() -> None:
    src, tgt = extract("W nocy będzie minus 6 stopni.", "pl"), extract("It will be 6 degrees at night.", "en")
    (finding,) = compare(src, tgt)
    assert numbers._describe(finding, src, tgt, "en") == (
        "The original says minus 6 (-6); the translation says 6, without the minus.",
        ("original: minus 6", "translation: 6"), "-6")


def test_french_moins_is_no_minus() -> None:
    assert flagged("Er durchschwamm mindestens fünf Flüsse.", "Il a traversé au moins cinq rivières.", "de", "fr") == []


@pytest.mark.parametrize("pl, en, expected", [
    ("Grzywna wyniesie 50 tys. zł.", "The fine will be PLN 50,000 (around $12,500).", [(LOW, None, "12,500")]),
    ("Grzywna wyniesie 50 tys. zł.", "The fine will be 50,000 zlotys (roughly 11,600 euros).", [(LOW, None, "11,600")]),
    ("Grzywna wyniesie 50 tys. zł (ok. 12,5 tys. dol.).", "The fine will be PLN 50,000.",
     [(LOW, "12,5 tys.", None)]),
    # not a conversion: no brackets, or no currency in them
    ("Grzywna wyniesie 50 tys. zł.", "The fine will be PLN 50,000 and $12,500.", [(MEDIUM, None, "12,500")]),
    ("Grzywna wyniesie 50 tys. zł.", "The fine will be PLN 50,000 (12,500 cases).", [(MEDIUM, None, "12,500")]),
])
def test_an_amount_converted_in_brackets_is_a_note(pl: str, en: str, expected: list[tuple]) -> None:
    assert flagged(pl, en, "pl", "en") == expected


@pytest.mark.parametrize("pl, en, expected", [
    ("Lech zagra w 1/8 finału pucharu.", "Lech will play in the cup's round of 16.", []),
    ("Lech zagra w 1/8 finału pucharu.", "Lech will play in the cup's last 16.", []),
    ("Lech doszedł do 1/4 finału.", "Lech reached the quarter-finals.", []),
    ("Lech doszedł do 1/2 finału.", "Lech reached the semi-final.", []),
    ("Lech zagra w 1/8 finału pucharu.", "Lech will play in the cup's round of 32.", [(MEDIUM, None, "32")]),
])
def test_a_cup_round_written_as_a_fraction_of_the_final(pl: str, en: str, expected: list[tuple]) -> None:
    assert flagged(pl, en, "pl", "en") == expected


def test_a_clock_time_is_not_paired_with_a_year() -> None:
    # one source segment against two: by position alone the year would meet the time
    src = numbers.extract_segments(["Śledztwo wszczęto z art. 163 § 1 kk. Pożar wybuchł 4 maja 2021 r. "
                                    "o godz. 22.15 w hali magazynowej w Gdyni."], "pl")
    tgt = numbers.extract_segments(["The investigation was opened under Article 163 § 1 of the Criminal Code.",
                                    "The fire broke out on May 4, 2020, at 10:15 am in a warehouse in Gdynia."], "en")
    assert [(f.reason, f.src.text, f.tgt.text) for f in compare(src, tgt)] == [
        ("changed", "2021", "2020"), ("changed", "22.15", "10:15 am")]


def test_a_clock_time_still_pairs_with_an_hour() -> None:
    assert flagged("Sesja zaczęła się o godz. 9.", "The session began at 10:30 am.", "pl", "en") == [
        (HIGH, "9", "10:30 am")]


@pytest.mark.parametrize("pl, en, expected", [
    ("Pociąg jedzie 160 km/h.", "The train runs at 160 km/h.", []),
    ("Pociąg jedzie 160 km/h.", "The train runs at 100 mph.", []),  # a conversion
    ("Jacht płynął 8 węzłów.", "The yacht sailed at 8 knots.", []),
    ("Pociąg jedzie 160 km/h.", "The train runs at 160 mph.", [(HIGH, "160", "160")]),
    ("Wiatr wiał 20 m/s.", "The wind blew at 20 km/h.", [(HIGH, "20", "20")]),
    ("Jacht płynął 8 węzłów.", "The yacht sailed at 8 km/h.", [(HIGH, "8", "8")]),
])
def test_speed_units(pl: str, en: str, expected: list[tuple]) -> None:
    assert flagged(pl, en, "pl", "en") == expected


@pytest.mark.parametrize("de, fr, expected", [
    ("Die Zellen sind nur 300 µm gross.", "Les cellules ne mesurent que 300 micromètres.", []),
    ("Die Zellen sind nur 300 µm gross.", "Les cellules ne mesurent que 300 millimètres.", [(HIGH, "300", "300")]),
    ("Ein Billett kostet neu 70 Rappen mehr.", "Un billet coûte désormais 70 centimes de plus.", []),
    ("Ein Billett kostet neu 70 Rappen mehr.", "Un billet coûte désormais 70 francs de plus.", [(HIGH, "70", "70")]),
    ("Das Loch war 5 cm tief.", "Le trou faisait 50 mm de profondeur.", []),  # a conversion
    ("Der Wald bedeckt 12 km².", "La forêt couvre 12 hectares.", [(HIGH, "12", "12")]),
    ("Der Tank fasst 300 Liter.", "Le réservoir contient 300 litres.", []),
    ("Der Tank fasst 3 m³.", "Le réservoir contient 3000 litres.", []),
])
def test_small_units_area_volume_and_cents(de: str, fr: str, expected: list[tuple]) -> None:
    assert flagged(de, fr, "de", "fr") == expected


def test_swiss_spelling_of_a_number_word():
    assert flagged("Das dauert zwanzig oder dreissig Jahre.", "Cela prend vingt ou trente ans.", "de", "fr") == []
    assert flagged("Das dauert einunddreissig Jahre.", "Cela prend trente et un ans.", "de", "fr") == []


def test_a_speed_unit_is_quoted_whole() -> None:
    src, tgt = extract("Pociąg jedzie 160 km/h.", "pl"), extract("The train runs at 160 m/s.", "en")
    (finding,) = compare(src, tgt)
    assert numbers._describe(finding, src, tgt, "en") == (
        "The original says 160 km/h; the translation says 160 m/s, another unit.",
        ("original: 160 km/h", "translation: 160 m/s"), "160 km/h")


# ------------------------------------------------------------------------------------------
# Languages beyond Polish, English, German and French
# ------------------------------------------------------------------------------------------

@pytest.mark.parametrize("text, lang, expected", [
    ("La fábrica costó 3,5 millones de euros.", "es", [(N, 3500000)]),
    ("El puente costará 2.400 millones de pesos.", "es", [(N, 2400 * 10**6)]),
    ("Gastaron dos mil millones en carreteras.", "es", [(N, 2 * 10**9)]),  # mil millones: 10^9
    ("La deuda llega a un billón de pesos.", "es", [(N, 10**12)]),  # billón: 10^12
    ("Vinieron treinta y cinco alumnos.", "es", [(N, 35)]),
    ("La mostra ha avuto 12 mila visitatori e 3,2 milioni di euro.", "it", [(N, 12000), (N, 3200000)]),
    ("Il fondo vale 7 mld di euro.", "it", [(N, 7 * 10**9)]),
    ("A empresa faturou 2 bilhões de reais.", "pt", [(N, 2 * 10**9)]),  # Brazilian bilhão: 10^9
    ("A dívida chegou a 2 biliões de euros.", "pt", [(N, 2 * 10**12)]),  # European bilião: 10^12
    ("O clube gastou 3 mil milhões e 40 mil euros.", "pt", [(N, 3 * 10**9), (N, 40000)]),
    ("Er kwamen 1,5 miljoen bezoekers en twee miljard euro.", "nl", [(N, 1500000), (N, 2 * 10**9)]),
    ("Завод обошёлся в 3 миллиарда рублей.", "ru", [(N, 3 * 10**9)]),  # миллиард: 10^9
    ("Пришли 12 тыс. человек, бюджет 1,2 млрд.", "ru", [(N, 12000), (N, 1200 * 10**6)]),
    ("Пришли двадцать пять человек.", "ru", [(N, 25)]),
    ("Şirket 4,5 milyon lira kazandı.", "tr", [(N, 4500000)]),
    ("Fiyatlar yüzde 12 ve %3,5 arttı.", "tr", [(P, 12), (P, Decimal("3.5"))]),  # percent first
    ("Ceny wzrosły o 15 por ciento.", "es", [(P, 15)]),
    ("I prezzi sono saliti del 4 per cento.", "it", [(P, 4)]),
    ("De prijzen stegen met 4 procent.", "nl", [(P, 4)]),
    ("Цены выросли на 4 процента.", "ru", [(P, 4)]),
])
def test_reads_scales_and_percents_of_more_languages(text: str, lang: str, expected: list[tuple]) -> None:
    assert readings(text, lang) == [(k, Decimal(v)) for k, v in expected]


@pytest.mark.parametrize("src, src_lang, tgt", [
    ("El museo costó 4,5 millones de euros y la obra duró dos años.", "es",
     "The museum cost 4.5 million euros and took two years to build."),
    ("El túnel costará 1.200 millones de euros.", "es", "The tunnel will cost 1.2 billion euros."),
    ("Il museo è costato 4,5 milioni di euro in due anni.", "it",
     "The museum cost 4.5 million euros over two years."),
    ("O museu custou 4,5 milhões de euros em dois anos.", "pt",
     "The museum cost 4.5 million euros over two years."),
    ("Het museum kostte 4,5 miljoen euro en de bouw duurde twee jaar.", "nl",
     "The museum cost 4.5 million euros and took two years to build."),
    ("Музей стоил 4,5 миллиона евро, стройка шла два года.", "ru",
     "The museum cost 4.5 million euros and took two years to build."),
    ("В городе живут 2 миллиона человек, бюджет 1,2 млрд, рост 15 процентов.", "ru",
     "The city has 2 million people, a budget of 1.2 billion and growth of 15 percent."),
    ("Müze 4,5 milyon avroya mal oldu; bütçe yüzde 15 arttı.", "tr",
     "The museum cost 4.5 million euros; the budget grew by 15%."),
])
def test_correct_amounts_in_more_languages_are_not_flagged(src: str, src_lang: str, tgt: str) -> None:
    assert flagged(src, tgt, src_lang, "en") == []


@pytest.mark.parametrize("src, src_lang, tgt, expected", [
    ("El túnel costará 1.200 millones de euros.", "es", "The tunnel will cost 1.2 trillion euros.",
     [(HIGH, "1.200 millones", "1.2 trillion")]),
    ("La deuda llega a 2 billones de pesos.", "es", "The debt reaches 2 billion pesos.",
     [(HIGH, "2 billones", "2 billion")]),  # a false friend: billón is 10^12
    ("Музей стоил 4,5 миллиона евро.", "ru", "The museum cost 4.5 billion euros.",
     [(HIGH, "4,5 миллиона", "4.5 billion")]),
])
def test_a_changed_scale_in_more_languages_is_flagged(src: str, src_lang: str, tgt: str,
                                                      expected: list[tuple]) -> None:
    assert flagged(src, tgt, src_lang, "en") == expected


@pytest.mark.parametrize("value, lang, expected", [
    (Decimal(4500000), "es", "4,5 millones"), (Decimal(10**6), "es", "1 millón"),
    (Decimal(12 * 10**8), "es", "1,2 mil millones"), (Decimal(4500000), "it", "4,5 milioni"),
    (Decimal(4500000), "ru", "4,5 млн"), (Decimal(4500000), "ja", "450万"),
])
def test_a_scaled_amount_is_rendered_in_the_target_language(value: Decimal, lang: str, expected: str) -> None:
    assert render(Quantity("x", (("number", value),), scaled=True), lang) == expected


def test_a_percent_is_rendered_first_in_turkish() -> None:
    assert render(Quantity("15%", (("percent", Decimal(15)),)), "tr") == "%15"


@pytest.mark.parametrize("text, lang, expected", [
    ("建物の費用は450万ユーロで、建設には2年かかった。", "ja", [(N, 4500000), (N, 2)]),
    ("予算は1億2000万円だった。", "ja", [(N, 120000000)]),
    ("250人以上の子どもたちが来た。", "ja", [(N, 250)]),  # digits against the words: no code
    ("ボランティアが１２，０００冊の本を集めた。", "ja", [(N, 12000)]),  # full-width digits
    ("図書館は2023年3月31日に開いた。", "ja", [(N, 2023), ("date", (31, 3))]),
    ("这座建筑花费了450万欧元。", "zh", [(N, 4500000)]),
    ("志愿者收集了12000本书，增长了15％。", "zh", [(N, 12000), (P, 15)]),
    ("그는 2019년 3월 31일에 3천만 원을 받았다.", "ko", [(N, 2019), ("date", (31, 3)), (N, 30000000)]),
])
def test_reads_cjk_numbers(text: str, lang: str, expected: list[tuple]) -> None:
    assert [(k, Decimal(v) if k in (N, P) else v) for k, v in readings(text, lang)] == [
        (k, Decimal(v) if k in (N, P) else v) for k, v in expected]


@pytest.mark.parametrize("src, src_lang, tgt", [
    ("建物の費用は450万ユーロで、建設には2年かかった。", "ja",
     "The building cost 4.5 million euros and took two years to build."),
    ("市長は9時に図書館を開いた。", "ja", "The mayor opened the library at 9 o'clock."),
    ("古い図書館は2019年に焼失した！", "ja", "The old library had burned down in 2019."),
    ("市議会は3月にこの計画に賛成した。", "ja", "The council voted for the plan in March."),
    ("这座建筑花费了450万欧元，建造用了两年。", "zh",
     "The building cost 4.5 million euros and took two years to build."),
    ("250多名儿童来了。", "zh", "More than 250 children came."),
    ("志愿者收集了12000本书。", "zh", "Volunteers collected 12,000 books."),
])
def test_correct_cjk_numbers_are_not_flagged(src: str, src_lang: str, tgt: str) -> None:
    assert flagged(src, tgt, src_lang, "en") == []


@pytest.mark.parametrize("src, src_lang, tgt, expected", [
    ("建物の費用は450万ユーロだった。", "ja", "The building cost 5.5 million euros.",
     [(HIGH, "450万", "5.5 million")]),
    ("志愿者收集了12000本书。", "zh", "Volunteers collected 13,000 books.", [(HIGH, "12000", "13,000")]),
    ("2023年3月31日に開館した。", "ja", "It opened on 30 March 2023.", [(HIGH, "3月31日", "30 March")]),
    ("市议会在3月投票。", "zh", "The council voted in May.", [(MEDIUM, "3月", "May")]),
])
def test_a_changed_cjk_number_is_flagged(src: str, src_lang: str, tgt: str, expected: list[tuple]) -> None:
    assert flagged(src, tgt, src_lang, "en") == expected


def test_a_number_in_characters_only_confirms() -> None:
    # 两 confirms "two"; 一 ("a", 一起 "together") is never reported by itself
    assert flagged("他们一起花了两年。", "They spent two years together.", "zh", "en") == []
    assert flagged("他们一起走了。", "They left at 5.", "zh", "en") == [(MEDIUM, None, "5")]


def test_a_scale_not_read_in_the_source_language_is_not_a_changed_value() -> None:
    # no scale words are read for Arabic: "4,5" is most likely the 4.5 million, said in words
    assert flagged("كلف المبنى 4,5 مليون يورو.", "The building cost 4.5 million euros.", "ar", "en") == []
    assert flagged("كلف المبنى 4,5 مليون يورو.", "The building cost 5.5 million euros.", "ar", "en") == [
        (MEDIUM, "4,5", None), (MEDIUM, None, "5.5 million")]  # other digits are still reported


MORE_SENTENCES = {
    "es": "El informe da {} al final.", "it": "Il rapporto indica {} alla fine.",
    "pt": "O relatório indica {} no fim.", "nl": "Het verslag noemt {} aan het eind.",
    "ru": "В отчёте указано {} в конце.", "tr": "Raporda sonunda {} yazıyor.",
    "ja": "報告書の最後に{}とある。", "zh": "报告最后写着{}。",
}
amounts_and_percents = st.one_of(
    st.builds(lambda v, s: Quantity("", (("number", v),), scaled=s), amounts, st.booleans()),
    st.builds(lambda v: Quantity("", (("percent", v),)), amounts),
)


@settings(deadline=None)
@given(amounts_and_percents, st.sampled_from(tuple(MORE_SENTENCES)), st.sampled_from(("en", "pl", "de", "fr")))
def test_an_amount_rendered_in_more_languages_is_never_flagged(q: Quantity, a: str, b: str) -> None:
    src, tgt = MORE_SENTENCES[a].format(render(q, a)), SENTENCE[b].format(render(q, b))
    assert q.readings[0] in extract(src, a).quantities[0].readings
    assert flagged(src, tgt, a, b) == []
