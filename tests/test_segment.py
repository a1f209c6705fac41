"""Tests of align.segment: tricky cases per language, structure, offsets and presplit input."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from align.segment import segment, segment_presplit

REPO = Path(__file__).resolve().parents[1]
SEED_CANDIDATES = (
    REPO.parent / "shared" / "seeds" / "000_7563b8bfa2c0009c.txt",
    REPO / "corpora" / "latushka-interia" / "en.txt",
)


def texts(text: str, lang: str) -> list[str]:
    return [s.text for s in segment(text, lang)]


def assert_offsets_valid(text: str, segments) -> None:
    """Each segment is text[start:end], stripped, in order, and no non-space character is lost."""
    assert [s.index for s in segments] == list(range(len(segments)))
    previous_end = 0
    for s in segments:
        assert text[s.start : s.end] == s.text
        assert s.text == s.text.strip()
        assert s.start >= previous_end
        previous_end = s.end
    joined = "".join(s.text for s in segments)
    assert "".join(joined.split()) == "".join(text.split())


POLISH = [
    (  # a decade of a century: "lat 20. XX wieku" is one phrase
        "Od lat 20. XX wieku miasto rośnie. W latach 90. XX w. nic się nie zmieniło.",
        ["Od lat 20. XX wieku miasto rośnie.", "W latach 90. XX w. nic się nie zmieniło."],
    ),
    (  # the end of a time or a decimal ends a sentence: no ordinal there
        "Mecz zacznie się o godz. 17:30. Transmisja w Canal+ Sport. Stopa wynosi 5,75. Rada zbierze się w marcu.",
        ["Mecz zacznie się o godz. 17:30.", "Transmisja w Canal+ Sport.", "Stopa wynosi 5,75.",
         "Rada zbierze się w marcu."],
    ),
    (  # the hour after "godz." is no ordinal opening a sentence; a byline stays whole
        "Koncert potrwa do godz. 19.\nSobota\nW sobotę będzie padać.\n\nOprac. Piotr Nowak\nFot. Anna Kos / PAP",
        ["Koncert potrwa do godz. 19.", "Sobota", "W sobotę będzie padać.", "Oprac. Piotr Nowak",
         "Fot. Anna Kos / PAP"],
    ),
    (  # a paragraph none of whose lines ends a sentence is a list, each line a segment
        "Tabela:\n1. Jagiellonia Białystok – 52 pkt\n2. Śląsk Wrocław – 49 pkt\n"
        "Korona Kielce – Legia Warszawa 1:3\nŚląsk Wrocław – Lech Poznań 1:1",
        ["Tabela:", "1. Jagiellonia Białystok – 52 pkt", "2. Śląsk Wrocław – 49 pkt",
         "Korona Kielce – Legia Warszawa 1:3", "Śląsk Wrocław – Lech Poznań 1:1"],
    ),
    (  # ... but prose wrapped by an editor runs on across its lines
        "Ten akapit jest zawinięty w kilku miejscach, bo tak\nzapisał go edytor tekstu, który łamie linie\n"
        "Rada Miasta zebrała się w poniedziałek wieczorem.",
        ["Ten akapit jest zawinięty w kilku miejscach, bo tak\nzapisał go edytor tekstu, który łamie linie\n"
         "Rada Miasta zebrała się w poniedziałek wieczorem."],
    ),
    (  # a temperature's scale, a code of law, a currency and a Roman month end their sentences
        "Będzie 28 st. C. Jutro spadnie deszcz. Grozi mu art. 148 kk. Proces ruszy w maju.",
        ["Będzie 28 st. C.", "Jutro spadnie deszcz.", "Grozi mu art. 148 kk.", "Proces ruszy w maju."],
    ),
    (
        "Ropa kosztuje 82,40 dol. Kontrakt wygasa. Wybory odbyły się 15 X. Frekwencja była wysoka.",
        ["Ropa kosztuje 82,40 dol.", "Kontrakt wygasa.", "Wybory odbyły się 15 X.", "Frekwencja była wysoka."],
    ),
    (  # ... but an initial still does not, nor a Roman numeral before a name
        "Przyjechał G. O. Dyhrenfurth z synem. Spotkał Karola X. Kowalskiego.",
        ["Przyjechał G. O. Dyhrenfurth z synem.", "Spotkał Karola X. Kowalskiego."],
    ),
    (  # ordinals are written with a dot: after a preposition, before a noun, not a sentence end
        "Służył w 3. Brygadzie Pancernej. Potem wrócił do domu.",
        ["Służył w 3. Brygadzie Pancernej.", "Potem wrócił do domu."],
    ),
    (  # a number and a dot alone are never a sentence: an ordinal opens the next one
        "Zginęło 30 osób. 5. Brygada wycofała się.",
        ["Zginęło 30 osób.", "5. Brygada wycofała się."],
    ),
    (  # chapter and figure numbers
        "Zob. rozdz. 3. Tam jest wszystko. Por. rys. 2 na str. 5.",
        ["Zob. rozdz. 3.", "Tam jest wszystko.", "Por. rys. 2 na str. 5."],
    ),
    (  # a count ends its sentence, and so does an hour before a sentence opener
        "Było ich 5. Brygada wycofała się rano. Spotkaliśmy się o 5. Potem poszliśmy spać.",
        ["Było ich 5.", "Brygada wycofała się rano.", "Spotkaliśmy się o 5.", "Potem poszliśmy spać."],
    ),
    (
        "Inflacja wzrosła w 2021 r. o 2,5 proc. w skali roku. To najwięcej od dekady.",
        ["Inflacja wzrosła w 2021 r. o 2,5 proc. w skali roku.", "To najwięcej od dekady."],
    ),
    (
        "W 2021 r. Łukaszenka zaczął prowokować Polskę. Potem było tylko gorzej.",
        ["W 2021 r. Łukaszenka zaczął prowokować Polskę.", "Potem było tylko gorzej."],
    ),
    (
        "Wszystko zaczęło się w 2021 r. Potem przyszła wojna.",
        ["Wszystko zaczęło się w 2021 r.", "Potem przyszła wojna."],
    ),
    (
        "Ochronę wzmocniono o 30 proc. Nie wiadomo, czy to wystarczy.",
        ["Ochronę wzmocniono o 30 proc.", "Nie wiadomo, czy to wystarczy."],
    ),
    (
        "Ochronę wzmocniono o 30 proc. Obawia się zamachów.",
        ["Ochronę wzmocniono o 30 proc.", "Obawia się zamachów."],
    ),
    (
        "Za wojną jest 30 proc. Rosjan, a przeciw niej 40 tys. Białorusinów w kraju.",
        ["Za wojną jest 30 proc. Rosjan, a przeciw niej 40 tys. Białorusinów w kraju."],
    ),
    (
        "Deficyt sięga 3 proc. PKB. Rząd milczy.",
        ["Deficyt sięga 3 proc. PKB.", "Rząd milczy."],
    ),
    (
        "Na wiec przyszło 40 tys. Tłum był spokojny i po południu cały tłum się rozszedł.",
        ["Na wiec przyszło 40 tys.", "Tłum był spokojny i po południu cały tłum się rozszedł."],
    ),
    (
        "Było tam ok. 40 tys. osób, m.in. studenci i emeryci. Nikt nie został zatrzymany.",
        ["Było tam ok. 40 tys. osób, m.in. studenci i emeryci.", "Nikt nie został zatrzymany."],
    ),
    (
        "Do Mińska przyjechał gen. Wolfowicz, a płk. Nowak został w Moskwie. "
        "Obaj są tzw. ludźmi Kremla.",
        [
            "Do Mińska przyjechał gen. Wolfowicz, a płk. Nowak został w Moskwie.",
            "Obaj są tzw. ludźmi Kremla.",
        ],
    ),
    (
        "Spotkanie odbyło się przy ul. Długiej, obok kościoła św. Anny. Przyszedł też prof. Nowak.",
        [
            "Spotkanie odbyło się przy ul. Długiej, obok kościoła św. Anny.",
            "Przyszedł też prof. Nowak.",
        ],
    ),
    (
        "Według danych z 31.03.2022 r. zginęło 1.500 osób. To dane szacunkowe.",
        ["Według danych z 31.03.2022 r. zginęło 1.500 osób.", "To dane szacunkowe."],
    ),
    (
        "Pełnomocnik ds. mediów udzielił wywiadu nt. wojny. Wywiad ukazał się w piątek.",
        ["Pełnomocnik ds. mediów udzielił wywiadu nt. wojny.", "Wywiad ukazał się w piątek."],
    ),
    (
        "Rozmawiał z nim dr Jan Kowalski. A. Łukaszenka nie skomentował sprawy.",
        ["Rozmawiał z nim dr Jan Kowalski.", "A. Łukaszenka nie skomentował sprawy."],
    ),
    (
        "Budżet wynosi 3 mln zł i wzrośnie do 1,5 mld zł. Wydatki rosną szybciej.",
        ["Budżet wynosi 3 mln zł i wzrośnie do 1,5 mld zł.", "Wydatki rosną szybciej."],
    ),
    (
        "Kupiliśmy jabłka, gruszki, śliwki itd. Reszta przyjdzie jutro.",
        ["Kupiliśmy jabłka, gruszki, śliwki itd.", "Reszta przyjdzie jutro."],
    ),
    (
        "— Tak. Nasi prawnicy dokładnie to sprawdzili.",
        ["— Tak.", "Nasi prawnicy dokładnie to sprawdzili."],
    ),
    (
        "Tak. — Nie wiem — odpowiedział po chwili.",
        ["Tak.", "— Nie wiem — odpowiedział po chwili."],
    ),
    (
        "Marcin Makowski, Interia: czy Białoruś jest dziś pod okupacją?",
        ["Marcin Makowski, Interia: czy Białoruś jest dziś pod okupacją?"],
    ),
    (
        "Powiedział wprost: „To już koniec.” Potem wyszedł z sali.",
        ["Powiedział wprost: „To już koniec.”", "Potem wyszedł z sali."],
    ),
    (
        "Tak – powiedział. „Nie wiem” – odparł mjr Kot. Wyszedł, mówiąc np. „Do widzenia”.",
        ["Tak – powiedział.", "„Nie wiem” – odparł mjr Kot.", "Wyszedł, mówiąc np. „Do widzenia”."],
    ),
    (
        "Czy to prawda? Tak, wszystko się zgadza! Jedziemy dalej.",
        ["Czy to prawda?", "Tak, wszystko się zgadza!", "Jedziemy dalej."],
    ),
    (  # "pt." (pod tytułem) goes on into the title it announces; a real end before „ still cuts
        "Jego książka pt. „Listy z Londynu” ukazała się w marcu. Wyszła też inna. „Nie wiem” – mówi.",
        ["Jego książka pt. „Listy z Londynu” ukazała się w marcu.", "Wyszła też inna.",
         "„Nie wiem” – mówi."],
    ),
    (  # a unit's ordinal after a noun, before an oblique case ...
        "Głównie żołnierze 2. Korpusu Polskiego nie wrócili. Dowódca 1. Brygady Pancernej zginął.",
        ["Głównie żołnierze 2. Korpusu Polskiego nie wrócili.", "Dowódca 1. Brygady Pancernej zginął."],
    ),
    (  # ... but a count after a verb ends its sentence, even before a numeral in -u
        "Przeciw było 214. Dziewięciu wstrzymało się od głosu. Było ich 5. Brygada wycofała się.",
        ["Przeciw było 214.", "Dziewięciu wstrzymało się od głosu.", "Było ich 5.", "Brygada wycofała się."],
    ),
    (  # feminine genitive plurals are counted nouns after a unit; a nominative is not
        "W Polsce pracuje ok. 300 tys. Ukrainek i 20 tys. Polek. Przyjechało 300 tys. Ukraina to odczuła.",
        ["W Polsce pracuje ok. 300 tys. Ukrainek i 20 tys. Polek.", "Przyjechało 300 tys.",
         "Ukraina to odczuła."],
    ),
    (  # ranks of the police, the army and the church, and "s." (siostra) before a name ...
        "Mówi mł. insp. Katarzyna Nowak. Przyjechał st. sierż. Adam Nowak. "
        "Mszę odprawił ks. prał. Adam Nowak. Pomaga im s. Małgorzata Chmielewska.",
        ["Mówi mł. insp. Katarzyna Nowak.", "Przyjechał st. sierż. Adam Nowak.",
         "Mszę odprawił ks. prał. Adam Nowak.", "Pomaga im s. Małgorzata Chmielewska."],
    ),
    (  # ... but after a number "s." and "st." are seconds and degrees; "s. 5" is a page
        "Przebiegł 100 m w 9,58 s. Bolt był najszybszy. Jest 28 st. Jutro będzie chłodniej. Zob. s. 5.",
        ["Przebiegł 100 m w 9,58 s.", "Bolt był najszybszy.", "Jest 28 st.", "Jutro będzie chłodniej.",
         "Zob. s. 5."],
    ),
    (  # a date ends a sentence that already has its verb, before any capitalised word ...
        "Pieniądze zarezerwowano w grudniu 2023 r. Minister finansów je potwierdził. "
        "Tę ustawę przyjęto w 1997 r. Obowiązuje do dziś. Kontrola trwała do 31 marca 2023 r. "
        "Inspektorzy zwrócili uwagę na kolejki. Obrady potrwają do 15 bm. Potem przerwa.",
        ["Pieniądze zarezerwowano w grudniu 2023 r.", "Minister finansów je potwierdził.",
         "Tę ustawę przyjęto w 1997 r.", "Obowiązuje do dziś.", "Kontrola trwała do 31 marca 2023 r.",
         "Inspektorzy zwrócili uwagę na kolejki.", "Obrady potrwają do 15 bm.", "Potem przerwa."],
    ),
    (  # ... but a date opening its sentence does not end it, even before an opener
        "31 marca 2023 r. Sejm uchwalił ustawę. Od 1 stycznia 2024 r. W Polsce obowiązuje zakaz. "
        "Według stanu na 31 grudnia 2023 r. Polska miała 38 mln mieszkańców.",
        ["31 marca 2023 r. Sejm uchwalił ustawę.", "Od 1 stycznia 2024 r. W Polsce obowiązuje zakaz.",
         "Według stanu na 31 grudnia 2023 r. Polska miała 38 mln mieszkańców."],
    ),
    (  # ... nor a date in a clause still waiting for its main clause, nor before an object
        "Kiedy podpisano umowę w 2023 r. Kowalski był ministrem. Zatrzymano w 2023 r. Jana Kowalskiego. "
        "Na posiedzeniu 31 marca 2023 r. RPP pozostawiła stopy bez zmian.",
        ["Kiedy podpisano umowę w 2023 r. Kowalski był ministrem.", "Zatrzymano w 2023 r. Jana Kowalskiego.",
         "Na posiedzeniu 31 marca 2023 r. RPP pozostawiła stopy bez zmian."],
    ),
    (  # an anonymised surname's initial ends a sentence before an opener; a full name goes on
        "Zatrzymano 34-letniego Marka W. Mężczyzna usłyszał zarzut. Spotkał Karola X. Kowalskiego.",
        ["Zatrzymano 34-letniego Marka W.", "Mężczyzna usłyszał zarzut.", "Spotkał Karola X. Kowalskiego."],
    ),
]

ENGLISH = [
    (  # a time's p.m. ends its sentence, unless a time zone follows
        "Shares were up 1.2% at 2:30 p.m. Shares of PKO BP fell. The vote ends at 8 p.m. EST on Monday.",
        ["Shares were up 1.2% at 2:30 p.m.", "Shares of PKO BP fell.", "The vote ends at 8 p.m. EST on Monday."],
    ),
    (  # a list item's number stays with its item
        "Table:\n1. Jagiellonia Białystok – 52 pts\n2. Śląsk Wrocław – 49 pts",
        ["Table:", "1. Jagiellonia Białystok – 52 pts", "2. Śląsk Wrocław – 49 pts"],
    ),
    (  # inline markup left in a text file opens a sentence like a capital does
        "This is it. <b>Another</b> one here. Ms. <b>Smith</b> came.",
        ["This is it.", "<b>Another</b> one here.", "Ms. <b>Smith</b> came."],
    ),
    (  # a Roman numeral before a sentence opener, a temperature's scale
        "He fought in World War I. Later he taught. It was 30°C. Then it rained. I met John I. Smith.",
        ["He fought in World War I.", "Later he taught.", "It was 30°C.", "Then it rained.", "I met John I. Smith."],
    ),
    (
        "Ms. Tsikhanouskaya met Mr. Brown and Mrs. Green. They talked for an hour.",
        ["Ms. Tsikhanouskaya met Mr. Brown and Mrs. Green.", "They talked for an hour."],
    ),
    (
        "Bring pens, paper, etc. The shop opens at nine.",
        ["Bring pens, paper, etc.", "The shop opens at nine."],
    ),
    (
        "We sell pens, paper, etc. and other things.",
        ["We sell pens, paper, etc. and other things."],
    ),
    (
        "He moved to the U.S. last year. His wife stayed.",
        ["He moved to the U.S. last year.", "His wife stayed."],
    ),
    (
        "Consider the losses, i.e. Russian losses in men. They are high.",
        ["Consider the losses, i.e. Russian losses in men.", "They are high."],
    ),
    (
        "Some animals, e.g. Arctic foxes, change colour. Others do not.",
        ["Some animals, e.g. Arctic foxes, change colour.", "Others do not."],
    ),
    (
        "Dr. Smith lives at No. 10 on the square. He is busy.",
        ["Dr. Smith lives at No. 10 on the square.", "He is busy."],
    ),
    (
        "The peak was first climbed by G. O. Dyhrenfurth in 1934. It is still hard.",
        ["The peak was first climbed by G. O. Dyhrenfurth in 1934.", "It is still hard."],
    ),
    (
        'He said: "We need real action." Then he left.',
        ['He said: "We need real action."', "Then he left."],
    ),
    (
        "We need real action, not a “shadow cabinet”. I believe it.",
        ["We need real action, not a “shadow cabinet”.", "I believe it."],
    ),
    (
        "— Yes. Our lawyers have analysed the situation.",
        ["— Yes.", "Our lawyers have analysed the situation."],
    ),
    ("Why? Because it failed. Really!", ["Why?", "Because it failed.", "Really!"]),
    (
        "The rate rose to 2.5 percent in 2021. In 2022 it fell.",
        ["The rate rose to 2.5 percent in 2021.", "In 2022 it fell."],
    ),
    ("Wait… Then it happened.", ["Wait…", "Then it happened."]),
    ("It was 5 p.m. The office had closed.", ["It was 5 p.m.", "The office had closed."]),
    (  # dotted initials end a sentence before an opener, not before a name
        "He moved to the U.S. The move surprised him. She lives in Washington, D.C. The city is "
        "expensive. The U.S. Army left. He met John F. Kennedy.",
        ["He moved to the U.S.", "The move surprised him.", "She lives in Washington, D.C.",
         "The city is expensive.", "The U.S. Army left.", "He met John F. Kennedy."],
    ),
    (  # a surname's initial after a first name, before an opener; not another initial
        "He was arrested with Marek W. The man was charged. It was built by J. R. R. Tolkien.",
        ["He was arrested with Marek W.", "The man was charged.", "It was built by J. R. R. Tolkien."],
    ),
    (  # Fr. (Father) never ends a sentence; Ph.D. and a month's abbreviation may
        "Mass was said by Fr. Andrzej Nowicki. She has a Ph.D. Later she taught. "
        "She has a Ph.D. in physics. I expect a cut in Sept. A small one. It is due Sept. 5.",
        ["Mass was said by Fr. Andrzej Nowicki.", "She has a Ph.D.", "Later she taught.",
         "She has a Ph.D. in physics.", "I expect a cut in Sept.", "A small one.", "It is due Sept. 5."],
    ),
]

GERMAN = [
    (
        "Er kam z.B. am Montag. Sie kam erst später.",
        ["Er kam z.B. am Montag.", "Sie kam erst später."],
    ),
    (
        "Die Hütte liegt auf 2.500 Metern bzw. knapp darunter. Der Weg ist steil.",
        ["Die Hütte liegt auf 2.500 Metern bzw. knapp darunter.", "Der Weg ist steil."],
    ),
    (
        "Wir brauchen Seile, Haken usw. Dann geht es los.",
        ["Wir brauchen Seile, Haken usw.", "Dann geht es los."],
    ),
    (
        "Im Haus Nr. 5 wohnt Dr. Müller. Er ist Bergführer.",
        ["Im Haus Nr. 5 wohnt Dr. Müller.", "Er ist Bergführer."],
    ),
    (
        "Am 3. August erreichten wir den Gipfel. Das Wetter war gut.",
        ["Am 3. August erreichten wir den Gipfel.", "Das Wetter war gut."],
    ),
    (
        "Er sagte: „Wir kehren um.“ Dann stiegen wir ab.",
        ["Er sagte: „Wir kehren um.“", "Dann stiegen wir ab."],
    ),
    (
        "Ja. „Ich weiß es nicht.“ Er ging z.B. „nach Hause“.",
        ["Ja.", "„Ich weiß es nicht.“", "Er ging z.B. „nach Hause“."],
    ),
    (
        "Die Erstbesteigung gelang G. O. Dyhrenfurth im Jahr 1934. Seitdem kamen viele.",
        ["Die Erstbesteigung gelang G. O. Dyhrenfurth im Jahr 1934.", "Seitdem kamen viele."],
    ),
    (
        "Am 31.03.2022 waren es 1.500 Besucher. Es war kalt.",
        ["Am 31.03.2022 waren es 1.500 Besucher.", "Es war kalt."],
    ),
]

FRENCH = [
    (
        "M. Dupont et Mme Martin sont arrivés hier. Ils repartent demain.",
        ["M. Dupont et Mme Martin sont arrivés hier.", "Ils repartent demain."],
    ),
    (
        "Il faut des cordes, p. ex. des cordes statiques. Le reste suivra.",
        ["Il faut des cordes, p. ex. des cordes statiques.", "Le reste suivra."],
    ),
    (
        "Nous avons pris du pain, du fromage, etc. Le départ était à six heures.",
        ["Nous avons pris du pain, du fromage, etc.", "Le départ était à six heures."],
    ),
    (
        "Il a dit : « Nous redescendons. » Puis il est parti.",
        ["Il a dit : « Nous redescendons. »", "Puis il est parti."],
    ),
    (
        "Il a dit\u00a0: «\u00a0Nous partons.\u00a0» Puis il est parti.",
        ["Il a dit\u00a0: «\u00a0Nous partons.\u00a0»", "Puis il est parti."],
    ),
    (
        "Le taux est passé à 2,5 % en 2021. Il baisse depuis.",
        ["Le taux est passé à 2,5 % en 2021.", "Il baisse depuis."],
    ),
    (
        "La cabane se trouve à 2.500 mètres. On y arrive en trois heures.",
        ["La cabane se trouve à 2.500 mètres.", "On y arrive en trois heures."],
    ),
]


@pytest.mark.parametrize("text, expected", POLISH)
def test_polish(text: str, expected: list[str]) -> None:
    assert texts(text, "pl") == expected


@pytest.mark.parametrize("text, expected", ENGLISH)
def test_english(text: str, expected: list[str]) -> None:
    assert texts(text, "en") == expected


@pytest.mark.parametrize("text, expected", GERMAN)
def test_german(text: str, expected: list[str]) -> None:
    assert texts(text, "de") == expected


@pytest.mark.parametrize("text, expected", FRENCH)
def test_french(text: str, expected: list[str]) -> None:
    assert texts(text, "fr") == expected


@pytest.mark.parametrize(
    "lang, cases", [("pl", POLISH), ("en", ENGLISH), ("de", GERMAN), ("fr", FRENCH)]
)
def test_offsets_of_all_cases(lang: str, cases) -> None:
    for text, _ in cases:
        assert_offsets_valid(text, segment(text, lang))


@pytest.mark.parametrize(
    "lang, base, text",
    [
        ("pl-PL", "pl", "Było ok. 40 tys. osób. Potem przyszło więcej."),
        ("PL", "pl", "Było ok. 40 tys. osób. Potem przyszło więcej."),
        ("pol", "pl", "Było ok. 40 tys. osób. Potem przyszło więcej."),
        ("en_GB", "en", "Bring pens, paper, etc. The shop opens at nine."),
        ("fra", "fr", "Nous avons pris du pain, du fromage, etc. Le départ était à six heures."),
    ],
)
def test_language_code_variants_use_the_language_rules(lang: str, base: str, text: str) -> None:
    assert texts(text, lang) == texts(text, base)
    assert len(texts(text, lang)) == 2


@pytest.mark.parametrize("lang", ["xx", "", "uk", "es", "zh"])
def test_unknown_or_other_languages_split_plainly(lang: str) -> None:
    text = "The first sentence is here. The second one follows!\n\nA new paragraph."
    assert texts(text, lang) == [
        "The first sentence is here.",
        "The second one follows!",
        "A new paragraph.",
    ]


def test_chinese_splits_without_spaces() -> None:
    assert texts("他来了。她走了。", "zh") == ["他来了。", "她走了。"]


@pytest.mark.parametrize("text", ["", "   ", "\n\n\t\r\n", "\u00a0\u2028"])
def test_empty_input_gives_no_segments(text: str) -> None:
    assert segment(text, "pl") == ()
    assert segment_presplit(text) == ()


def test_paragraphs_are_hard_boundaries_and_numbered() -> None:
    text = "First one. Second one\n\nthird one. Fourth.\n\n\n   \nFifth"
    segments = segment(text, "en")
    assert [(s.text, s.paragraph) for s in segments] == [
        ("First one.", 0),
        ("Second one", 0),
        ("third one.", 1),
        ("Fourth.", 1),
        ("Fifth", 2),
    ]
    assert_offsets_valid(text, segments)


def test_heading_line_is_its_own_segment() -> None:
    text = "Chapter One\nIt was late when we left the hut. Nobody spoke."
    assert texts(text, "en") == [
        "Chapter One",
        "It was late when we left the hut.",
        "Nobody spoke.",
    ]


def test_debris_lines_inside_a_paragraph_stay_apart() -> None:
    text = "top of page\nOriginal article in\nInteria\nThe interview begins here."
    assert texts(text, "en") == [
        "top of page",
        "Original article in",
        "Interia",
        "The interview begins here.",
    ]


def test_wrapped_lines_run_on_into_one_sentence() -> None:
    text = (
        "The legal recognition of the country as a territory under\n"
        "temporary occupation guarantees its territorial integrity, said\n"
        "Pavel Latushka. Nobody disagreed with him in the end.\n"
    )
    segments = segment(text, "en")
    assert [" ".join(s.text.split()) for s in segments] == [
        "The legal recognition of the country as a territory under temporary occupation "
        "guarantees its territorial integrity, said Pavel Latushka.",
        "Nobody disagreed with him in the end.",
    ]
    assert_offsets_valid(text, segments)


def test_a_line_break_after_a_sentence_final_abbreviation_ends_the_sentence() -> None:
    # One paragraph a line, no blank lines: the break after "r." is a paragraph's end.
    long = "Susza jest gorsza niż zwykle, bo od kwietnia nie padało, a upał nie odpuszcza od tygodni. " * 2
    text = f"{long}Zupełnie jak w 1992 r.\nIle może pan stracić?\n{long.strip()}"
    found = texts(text, "pl")
    assert "Zupełnie jak w 1992 r." in found
    assert "Ile może pan stracić?" in found
    # Without the line break the sentence has no verb to tell it ends at "r.".
    assert "Zupełnie jak w 1992 r. Ile może pan stracić?" in texts(text.replace("r.\nIle", "r. Ile"), "pl")
    # Text wrapped at a fixed width runs on across a full line that ends in "r." mid-sentence.
    wrapped = (
        "Według danych urzędu statystycznego z pierwszych miesięcy 2021 r.\n"
        "Łukaszenka wydał na wojsko i na milicję więcej niż kiedykolwiek\n"
        "przed nim. Potem było tylko gorzej."
    )
    assert texts(wrapped, "pl") == [wrapped[: wrapped.index(" Potem")], "Potem było tylko gorzej."]


def test_dash_led_lines_are_new_turns_but_a_wrapped_dash_is_not() -> None:
    text = (
        "Czy Rosja może zaatakować?\n— Tak. To realny scenariusz.\n— Nie zgadzam się.\n"
        "Wojsko przygotowywało się do tego przez cały rok, destabilizując granicę w sposób\n"
        "— jak to nazywamy — hybrydowy."
    )
    assert texts(text, "pl") == [
        "Czy Rosja może zaatakować?",
        "— Tak.",
        "To realny scenariusz.",
        "— Nie zgadzam się.",
        "Wojsko przygotowywało się do tego przez cały rok, destabilizując granicę w sposób\n"
        "— jak to nazywamy — hybrydowy.",
    ]


def test_crlf_gives_the_same_segments_with_valid_offsets() -> None:
    unix = "Tytuł\n\n— Tak. Wzrosło o 30 proc. w 2021 r.\nTo dużo.\n\nKoniec.\n"
    windows = unix.replace("\n", "\r\n")
    unix_segments, windows_segments = segment(unix, "pl"), segment(windows, "pl")
    assert [s.text for s in windows_segments] == [s.text for s in unix_segments]
    assert [s.paragraph for s in windows_segments] == [s.paragraph for s in unix_segments]
    assert_offsets_valid(windows, windows_segments)
    assert not any("\r" in s.text for s in windows_segments)


def test_a_very_long_paragraph_is_split_exactly() -> None:
    # Longer than the window the core sees at once: seams must neither cut nor merge sentences.
    sentences = [
        f"Sentence {i} mentions Dr. Brown, Mr. Smith and G. O. Dyhrenfurth, i.e. three people."
        for i in range(400)
    ]
    text = " ".join(sentences)
    segments = segment(text, "en")
    assert [s.text for s in segments] == sentences
    assert_offsets_valid(text, segments)


WORDS = st.sampled_from(
    [
        "Ala", "ma", "kota", "np.", "proc.", "tys.", "r.", "Dr.", "Ms.", "U.S.", "etc.", "2,5%",
        "1.500", "31.03.2022", "G.", "—", "„To", "koniec.”", "«", "»", "?", "!", "…", ".", "Tak.",
        "\n", "\n\n", "\r\n", " \n ", "\t", "\u00a0", "„", "“", "\"", "(", ")", "z.B.", "M.",
    ]
)


@settings(max_examples=200, deadline=None)
@given(st.lists(WORDS, max_size=60), st.sampled_from(["pl", "en", "de", "fr", "xx"]))
def test_offsets_invariant_on_random_text(words: list[str], lang: str) -> None:
    text = " ".join(words)
    segments = segment(text, lang)
    assert_offsets_valid(text, segments)
    assert all(s.text for s in segments)
    paragraphs = [s.paragraph for s in segments]
    assert paragraphs == sorted(paragraphs)


# --- presplit ------------------------------------------------------------------------------


def test_presplit_one_segment_per_line() -> None:
    text = "Pierwsze zdanie. Drugie w tej samej linii.\n  Wcięta linia  \n\nPo pustej linii\n"
    segments = segment_presplit(text)
    assert [s.text for s in segments] == [
        "Pierwsze zdanie. Drugie w tej samej linii.",
        "Wcięta linia",
        "",
        "Po pustej linii",
    ]
    assert [s.index for s in segments] == [0, 1, 2, 3]
    assert [s.paragraph for s in segments] == [0, 0, 0, 1]
    for s in segments:
        assert text[s.start : s.end] == s.text


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
def test_presplit_line_endings(newline: str) -> None:
    text = newline.join(["jeden", "dwa", "", "cztery"]) + newline
    segments = segment_presplit(text)
    assert [s.text for s in segments] == ["jeden", "dwa", "", "cztery"]
    for s in segments:
        assert text[s.start : s.end] == s.text


def test_presplit_without_final_newline_and_with_trailing_blank_lines() -> None:
    assert [s.text for s in segment_presplit("a\nb")] == ["a", "b"]
    assert [s.text for s in segment_presplit("a\nb\n\n")] == ["a", "b", ""]


# --- the demo English seed ------------------------------------------------------------------


@pytest.fixture(scope="module")
def seed() -> str:
    for path in SEED_CANDIDATES:
        if path.exists():
            return path.read_text(encoding="utf-8")
    pytest.skip("the demo English seed is not available")


@pytest.fixture(scope="module")
def seed_segments(seed: str):
    return segment(seed, "en")


def test_seed_offsets_and_paragraphs(seed: str, seed_segments) -> None:
    assert_offsets_valid(seed, seed_segments)
    paragraphs = [p for p in seed.split("\n\n") if p.strip()]
    assert len({s.paragraph for s in seed_segments}) == len(paragraphs)


@pytest.mark.parametrize(
    "line",
    [
        "top of page",
        "bottom of page",
        "Original article in",
        "An interview by Pavel Latushka for the Polish edition of",
        "Symbolic, I think.",
        "Marcin Makowski, Interia: is Belarus officially under Russian occupation?",
    ],
)
def test_seed_one_line_paragraphs_are_whole_segments(seed_segments, line: str) -> None:
    assert line in [s.text for s in seed_segments]


def test_seed_abbreviations_do_not_split(seed_segments) -> None:
    found = [s.text for s in seed_segments]
    assert any("a few weeks ago, Ms. Tsikhanouskaya expressed her wish" in t for t in found)
    assert any("the current situation, i.e. Russian losses in men" in t for t in found)
    assert not any(t.endswith(("Ms.", "Mr.", "i.e.", "e.g.")) for t in found)


def test_seed_dash_turns_keep_their_dash(seed_segments) -> None:
    found = [s.text for s in seed_segments]
    assert "— Fundamental." in found
    assert "— This is a logistical question." in found
    assert "— Yes." in found
    assert "Pavel Latushka, former Minister of Culture and Ambassador of Belarus: — Yes." in found
    assert not any(t in ("—", "– ") for t in found)
