"""Senses turned into their opposites across languages (align.opposites), inflection included."""

from __future__ import annotations

import pytest

from align.lexicon import word_spans
from align.opposites import find_opposites


def turned(source: str, target: str, src_lang: str, tgt_lang: str) -> list[tuple[str, str, str, str]]:
    found = find_opposites(word_spans(source, src_lang), word_spans(target, tgt_lang), src_lang, tgt_lang)
    return [(o.source_word, o.target_word, o.source_sense, o.target_sense) for o in found]


@pytest.mark.parametrize(("source", "target", "langs", "expected"), [
    # inflected Polish against English
    ("Wojska wycofano z północnej części kraju.", "Troops were withdrawn from the southern part of the country.",
     ("pl", "en"), [("północnej", "southern", "north", "south")]),
    ("To była pierwsza rozmowa z ministrem.", "It was the last conversation with the minister.",
     ("pl", "en"), [("pierwsza", "last", "first", "last")]),
    ("Granica była otwarta.", "The border was closed.", ("pl", "en"), [("otwarta", "closed", "open", "closed")]),
    ("Rozmawiał z tymczasowym rządem.", "He spoke to the permanent government.",
     ("pl", "en"), [("tymczasowym", "permanent", "temporary", "permanent")]),
    # a German compound by its first part, a French hyphenated word by its parts
    ("Sie stiegen durch die Nordwand ab.", "Ils descendirent par la face sud.",
     ("de", "fr"), [("Nordwand", "sud", "north", "south")]),
    ("Der Südostgrat war vereist.", "L'arête sud-ouest était couverte de glace.",
     ("de", "fr"), [("Südostgrat", "sud-ouest", "east", "west")]),
    ("Im Herbst erreichten sie das Lager.", "Au printemps, ils atteignirent le camp.",
     ("de", "fr"), [("Herbst", "printemps", "autumn", "spring")]),
    # French 'est' and 'été' by their elided article: alone they are forms of 'être'
    ("Sie zogen nach Westen.", "Ils partirent vers l'est.", ("de", "fr"), [("Westen", "l'est", "west", "east")]),
    ("Das war im Winter.", "C'était l'été.", ("de", "fr"), [("Winter", "l'été", "winter", "summer")]),
    ("Zginęło więcej żołnierzy niż w zeszłym roku.", "Fewer soldiers died than last year.",
     ("pl", "en"), [("więcej", "Fewer", "more", "less")]),
    # past forms the lemmatiser leaves as they are, and verbs of markets
    ("Płace wzrosły o pięć procent.", "Wages fell by five percent.", ("pl", "en"), [("wzrosły", "fell", "increase", "decrease")]),
    ("Ceny spadły.", "Prices rose.", ("pl", "en"), [("spadły", "rose", "decrease", "increase")]),
    ("Bank obniżył stopy.", "The bank raised rates.", ("pl", "en"), [("obniżył", "raised", "decrease", "increase")]),
    ("Złoty umocnił się wobec euro.", "The zloty weakened against the euro.",
     ("pl", "en"), [("umocnił", "weakened", "strengthen", "weaken")]),
    ("Eksporterzy narzekają na kurs.", "Importers complain about the rate.",
     ("pl", "en"), [("Eksporterzy", "Importers", "export", "import")]),
    # days of the week: any two differ
    ("Spotkanie odbędzie się we wtorek.", "The meeting will take place on Thursday.",
     ("pl", "en"), [("wtorek", "Thursday", "Tuesday", "Thursday")]),
    # nations: any two differ ('rosyjskiego' -> 'Ukrainian'), country, adjective or people
    ("Wycofano rosyjskie wojska.", "The Ukrainian troops were withdrawn.",
     ("pl", "en"), [("rosyjskie", "Ukrainian", "Russia", "Ukraine")]),
    ("Białorusini protestowali w Mińsku.", "Russians protested in Minsk.",
     ("pl", "en"), [("Białorusini", "Russians", "Belarus", "Russia")]),
    ("Eine französisch-schweizerische Expedition.", "Une expédition franco-italienne.",
     ("de", "fr"), [("französisch-schweizerische", "franco-italienne", "Switzerland", "Italy")]),
    # English into Polish: the direction does not matter
    ("The army sent civilian advisers.", "Armia wysłała doradców wojskowych.",
     ("en", "pl"), [("civilian", "wojskowych", "civilian", "military")]),
    # Polish verbs of markets by the lemmas the lemmatiser gives: osłabnąć, urosnąć, 'skurczy'
    # read as the noun 'skurcz', prices that go up or down
    ("The forint strengthened against the dollar.", "Forint osłabł wobec dolara.",
     ("en", "pl"), [("strengthened", "osłabł", "strengthen", "weaken")]),
    ("Industry will shrink next year.", "Przemysł urośnie w przyszłym roku.",
     ("en", "pl"), [("shrink", "urośnie", "decrease", "increase")]),
    ("Farm output will grow this year.", "Produkcja rolna skurczy się w tym roku.",
     ("en", "pl"), [("grow", "skurczy", "increase", "decrease")]),
    ("Train tickets fell in price.", "Bilety kolejowe zdrożały.",
     ("en", "pl"), [("fell", "zdrożały", "decrease", "increase")]),
])
def test_a_sense_turned_around_is_found(source, target, langs, expected):
    assert turned(source, target, *langs) == expected


@pytest.mark.parametrize(("source", "target", "langs"), [
    # faithful renderings
    ("Wojska wycofano z północnej części kraju.", "Troops were withdrawn from the northern part of the country.", ("pl", "en")),
    ("Sie stiegen durch die Nordwand ab.", "Ils descendirent par la face nord.", ("de", "fr")),
    # both poles on one side: a span, a comparison, a restructured sentence
    ("Marsz z północy na południe trwał tydzień.", "The march from the south took a week.", ("pl", "en")),
    ("Der Weg führte vom Nordgrat zum Südgipfel.", "Le chemin menait au sommet sud.", ("de", "fr")),
    # French 'est' is the verb unless it is part of a compass point
    ("Der Westgrat ist schwierig.", "Cette arête est difficile.", ("de", "fr")),
    # a label that is never matched: English 'left' is also the past of 'leave'
    ("Skręcił w prawą stronę.", "He left the road.", ("pl", "en")),
    # a nation rendered, others named beside it; a currency spelt out (SFr.: francs suisses);
    # a person called Franco; Grande-Bretagne, which is no 'grande'
    ("Rosja i Białoruś ćwiczą razem.", "Russia and Belarus are training together.", ("pl", "en")),
    ("Sie zahlten 200 indische Rupies ( = 180 SFr. ).", "Ils payèrent 200 roupies indiennes (180 francs suisses).", ("de", "fr")),
    ("Das Buch von Jean Franco erschien in deutscher Fassung.", "Le livre de Jean Franco a paru.", ("de", "fr")),
    # 'lasted' is the verb, 'close to' is 'near': neither is 'last' or 'closed'
    ("Pierwszego dnia rozmowy trwały długo.", "On day one the talks lasted long.", ("pl", "en")),
    ("Granica była otwarta.", "The camp was close to the border.", ("pl", "en")),
    # French 'sinon' is no 'sino-' (China): a nation left out is not turned into another
    ("Die russischen Truppen mussten gehen.", "Les troupes devaient partir, sinon elles étaient prises.", ("de", "fr")),
    ("Auf der kleinen Insel Grossbritannien.", "Dans l'île étroite de Grande-Bretagne.", ("de", "fr")),
    # languages the table does not know
    ("Il nord è lontano.", "The south is far.", ("it", "en")),
    # a day rendered, a span of days; a fall in the sense of autumn is no decrease
    ("Spotkanie odbędzie się we wtorek.", "The meeting is on Tuesday.", ("pl", "en")),
    ("Sklepy są otwarte od poniedziałku do piątku.", "Shops open Monday to Friday.", ("pl", "en")),
    ("Wybory odbędą się jesienią.", "The election will be held in the fall.", ("pl", "en")),
    ("The forint weakened against the dollar.", "Forint osłabł wobec dolara.", ("en", "pl")),
    ("Farm output will grow this year.", "Produkcja rolna urośnie w tym roku.", ("en", "pl")),
    ("Sales shrank in the spring.", "Sprzedaż skurczyła się wiosną.", ("en", "pl")),
])
def test_faithful_or_two_sided_pairs_turn_nothing(source, target, langs):
    assert turned(source, target, *langs) == []


@pytest.mark.parametrize(("source", "target", "expected"), [
    # a Polish superlative or comparative counts as its positive, the suppletive ones too
    ("Szpital to często największy pracodawca w mieście.", "The hospital is often the smallest employer in town.",
     [("największy", "smallest", "big", "small")]),
    ("Mieszkają w najmniejszej wsi w gminie.", "They live in the biggest village in the district.",
     [("najmniejszej", "biggest", "small", "big")]),
    ("Kupili mniejsze mieszkanie.", "They bought a larger flat.", [("mniejsze", "larger", "small", "big")]),
    ("To najwyższy budynek w mieście.", "It is the lowest building in town.", [("najwyższy", "lowest", "high", "low")]),
    ("Pracują tu starsi lekarze.", "Younger doctors work here.", [("starsi", "Younger", "old", "young")]),
])
def test_degrees_of_comparison_are_read_as_their_positive(source, target, expected):
    assert turned(source, target, "pl", "en") == expected


@pytest.mark.parametrize(("source", "target"), [
    ("Szpital to często największy pracodawca w mieście.", "The hospital is often the largest employer in town."),
    ("Kupili mniejsze mieszkanie.", "They bought a smaller flat."),
    # forms in -sz- that are no comparatives, and a comparative outside the table
    ("Nasza kasza jest lepsza.", "Our porridge is better, not small.", ),
    ("Najwyższa Izba Kontroli skrytykowała szpital.", "The Supreme Audit Office criticised the hospital."),
])
def test_degrees_of_comparison_rendered_turn_nothing(source, target):
    assert turned(source, target, "pl", "en") == []
