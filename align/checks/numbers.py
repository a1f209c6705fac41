"""number_mismatch: numbers, amounts, percentages, dates and times that differ between the sides.

Each side of a bead is read into a multiset of normalised values ("30 proc." and "30%" both become
the percentage 30; "40 tys.", "40 thousand" and "40,000" the number 40000; "31 marca" and
"March 31" the date 31.03), and the two multisets are compared. Equal values are never flagged,
whatever their format.

Reading happens in two steps, both driven by the tables below:

1. masking rules (regexes) take out what has a fixed shape: URLs, dates, clock times, Roman
   centuries and codes such as F-16 or COVID-19 (codes are compared as tokens, not as numbers);
2. a small lexer + phrase reader turns what is left into amounts: digits in the language's own
   format, scale words ("1,5 mln", "two million"), written-out numbers ("dwóch", "twenty-five")
   and a percent sign or word after them.

Words that speak of a quantity without giving one ("kilka", "several", "thousands", "dwukrotnie")
are collected as *vague*: a number the other side lacks is then only a LOW note, since that word
may well be its translation.

A list marker at a segment's start ("10. La chronique"), a Roman numeral ("camp II"), a code
written with a space ("K 2" for "K2", and the number inside a code) and a German
"Siebentausender" (a 7000 m peak) are *stand-ins*: never reported themselves, they answer a
number the other side writes once everything else is matched ("Lager 2" / "camp II").

A month or weekday named without a day ("w lipcu", "am Montag") is compared only with the other
side's months and weekdays, alone or in a date: a change is reported ("in September"), a name on
one side only is not (a translator may say it once for two sentences).

A unit or currency written by an amount ("8848 m", "500 zł", "3 dni", "$500") goes with it: an
equal value in another unit of the same kind is reported ("8848 pieds"), unless the two come to
about the same amount, a conversion ("29 029 ft"; "quinze jours" for "zwei Wochen"), which also
excuses a value changed with its unit. Percent and percentage points are two units of a
percentage ("0,2 pkt proc." is not "0.2%").

A minus ("-15", "minus 2", never the hyphen of "5-6") is read beside the value: a number written
with it on one side only is reported, unless the other side may say the sign in words ("15 stopni
mrozu", "below zero", "deficit").
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from functools import lru_cache
from typing import Any, NamedTuple

from align.checks.base import CheckContext
from align.lexicon import lemma
from align.types import Bead, Issue, Severity

KINDS = ("number_mismatch",)
SCOPE = "pair"  # each bead is judged on its own (see align.checks)

Reading = tuple[str, Any]
"""One interpretation of a written quantity: ``("number", Decimal)``, ``("percent", Decimal)``,
``("date", (day, month))``, ``("time", (hour, minute))``, ``("code", "F16")``, and for a month or
weekday named without a day ``("month", 7)`` or ``("weekday", 1)`` (Monday)."""


# --------------------------------------------------------------------------------------------
# Tables
# --------------------------------------------------------------------------------------------

DOT_DECIMAL_LANGS = frozenset({"en", "ga", "he", "hi", "ja", "ko", "ms", "mt", "th", "zh"})
"""Languages that write 1.5 and 2,500; all others are read as 1,5 and 2.500 / 2 500."""


def _words(table: dict[int | float | str, str]) -> dict[str, Decimal]:
    """``{2: "dwa dwie dwóch"}`` -> ``{"dwa": 2, "dwie": 2, "dwóch": 2}``."""
    return {word: Decimal(str(value)) for value, forms in table.items() for word in forms.split()}


NUMBER_WORDS: dict[str, dict[str, Decimal]] = {
    "en": _words({
        1: "one", 2: "two", 3: "three", 4: "four", 5: "five", 6: "six", 7: "seven", 8: "eight",
        9: "nine", 10: "ten", 11: "eleven", 12: "twelve", 13: "thirteen", 14: "fourteen",
        15: "fifteen", 16: "sixteen", 17: "seventeen", 18: "eighteen", 19: "nineteen",
        20: "twenty", 30: "thirty", 40: "forty", 50: "fifty", 60: "sixty", 70: "seventy",
        80: "eighty", 90: "ninety",
    }),
    "pl": _words({
        1: "jeden jedna jedno jednego jednej jednemu jednym jedną",
        2: "dwa dwie dwóch dwu dwaj dwoma dwom dwiema",
        3: "trzy trzech trzem trzema trzej",
        4: "cztery czterech czterem czterema czterej",
        5: "pięć pięciu pięcioma", 6: "sześć sześciu sześcioma", 7: "siedem siedmiu siedmioma",
        8: "osiem ośmiu ośmioma", 9: "dziewięć dziewięciu dziewięcioma",
        10: "dziesięć dziesięciu dziesięcioma", 11: "jedenaście jedenastu jedenastoma",
        12: "dwanaście dwunastu dwunastoma", 13: "trzynaście trzynastu trzynastoma",
        14: "czternaście czternastu czternastoma", 15: "piętnaście piętnastu piętnastoma",
        16: "szesnaście szesnastu szesnastoma", 17: "siedemnaście siedemnastu siedemnastoma",
        18: "osiemnaście osiemnastu osiemnastoma",
        19: "dziewiętnaście dziewiętnastu dziewiętnastoma",
        20: "dwadzieścia dwudziestu dwudziestoma", 30: "trzydzieści trzydziestu trzydziestoma",
        40: "czterdzieści czterdziestu czterdziestoma",
        50: "pięćdziesiąt pięćdziesięciu pięćdziesięcioma",
        60: "sześćdziesiąt sześćdziesięciu sześćdziesięcioma",
        70: "siedemdziesiąt siedemdziesięciu siedemdziesięcioma",
        80: "osiemdziesiąt osiemdziesięciu osiemdziesięcioma",
        90: "dziewięćdziesiąt dziewięćdziesięciu dziewięćdziesięcioma",
        100: "sto stu stoma", 200: "dwieście dwustu", 300: "trzysta trzystu",
        400: "czterysta czterystu", 500: "pięćset pięciuset", 600: "sześćset sześciuset",
        700: "siedemset siedmiuset", 800: "osiemset ośmiuset", 900: "dziewięćset dziewięciuset",
        1.5: "półtora półtorej",
    }),
    "de": _words({
        1: "eins", 2: "zwei zwo", 3: "drei", 4: "vier", 5: "fünf", 6: "sechs", 7: "sieben",
        8: "acht", 9: "neun", 10: "zehn", 11: "elf", 12: "zwölf", 13: "dreizehn",
        14: "vierzehn", 15: "fünfzehn", 16: "sechzehn", 17: "siebzehn", 18: "achtzehn",
        19: "neunzehn", 20: "zwanzig", 30: "dreißig dreissig", 40: "vierzig", 50: "fünfzig",  # Swiss: ss
        60: "sechzig", 70: "siebzig", 80: "achtzig", 90: "neunzig",
    }),
    "fr": _words({
        2: "deux", 3: "trois", 4: "quatre", 5: "cinq", 6: "six", 7: "sept", 8: "huit",
        9: "neuf", 10: "dix", 11: "onze", 12: "douze", 13: "treize", 14: "quatorze",
        15: "quinze", 16: "seize", 20: "vingt", 30: "trente", 40: "quarante",
        50: "cinquante", 60: "soixante", 70: "soixante-dix", 80: "quatre-vingt quatre-vingts",
        90: "quatre-vingt-dix",
    }),
    # Articles that double as "one" (un, um, een, bir) are left out; see AMBIGUOUS_WORDS for
    # words with another common sense.
    "es": _words({
        2: "dos", 3: "tres", 4: "cuatro", 5: "cinco", 6: "seis", 7: "siete", 8: "ocho", 9: "nueve",
        10: "diez", 11: "once", 12: "doce", 13: "trece", 14: "catorce", 15: "quince",
        16: "dieciséis", 17: "diecisiete", 18: "dieciocho", 19: "diecinueve", 20: "veinte",
        21: "veintiuno veintiún veintiuna", 22: "veintidós", 23: "veintitrés", 24: "veinticuatro",
        25: "veinticinco", 26: "veintiséis", 27: "veintisiete", 28: "veintiocho", 29: "veintinueve",
        30: "treinta", 40: "cuarenta", 50: "cincuenta", 60: "sesenta", 70: "setenta",
        80: "ochenta", 90: "noventa", 100: "cien ciento",
    }),
    "it": _words({
        2: "due", 3: "tre", 4: "quattro", 5: "cinque", 6: "sei", 7: "sette", 8: "otto", 9: "nove",
        10: "dieci", 11: "undici", 12: "dodici", 13: "tredici", 14: "quattordici", 15: "quindici",
        16: "sedici", 17: "diciassette", 18: "diciotto", 19: "diciannove", 20: "venti",
        30: "trenta", 40: "quaranta", 50: "cinquanta", 60: "sessanta", 70: "settanta",
        80: "ottanta", 90: "novanta", 100: "cento",
    }),
    "pt": _words({
        2: "dois duas", 3: "três", 4: "quatro", 5: "cinco", 6: "seis", 7: "sete", 8: "oito",
        9: "nove", 10: "dez", 11: "onze", 12: "doze", 13: "treze", 14: "catorze quatorze",
        15: "quinze", 16: "dezesseis dezasseis", 17: "dezessete dezassete", 18: "dezoito",
        19: "dezenove dezanove", 20: "vinte", 30: "trinta", 40: "quarenta", 50: "cinquenta",
        60: "sessenta", 70: "setenta", 80: "oitenta", 90: "noventa", 100: "cem cento",
    }),
    "nl": _words({
        2: "twee", 3: "drie", 4: "vier", 5: "vijf", 6: "zes", 7: "zeven", 8: "acht", 9: "negen",
        10: "tien", 11: "elf", 12: "twaalf", 13: "dertien", 14: "veertien", 15: "vijftien",
        16: "zestien", 17: "zeventien", 18: "achttien", 19: "negentien", 20: "twintig",
        30: "dertig", 40: "veertig", 50: "vijftig", 60: "zestig", 70: "zeventig", 80: "tachtig",
        90: "negentig",
    }),
    "ru": _words({
        1: "один одна одно одного одной одному одним одном одну",
        2: "два две двух двум двумя", 3: "три трёх трех трём трем тремя",
        4: "четыре четырёх четырех четырём четырем четырьмя", 5: "пять пяти пятью",
        6: "шесть шести шестью", 7: "семь семи семью", 8: "восемь восьми восемью восьмью",
        9: "девять девяти девятью", 10: "десять десяти десятью",
        11: "одиннадцать одиннадцати", 12: "двенадцать двенадцати", 13: "тринадцать тринадцати",
        14: "четырнадцать четырнадцати", 15: "пятнадцать пятнадцати",
        16: "шестнадцать шестнадцати", 17: "семнадцать семнадцати",
        18: "восемнадцать восемнадцати", 19: "девятнадцать девятнадцати",
        20: "двадцать двадцати", 30: "тридцать тридцати", 40: "сорок сорока",
        50: "пятьдесят пятидесяти", 60: "шестьдесят шестидесяти", 70: "семьдесят семидесяти",
        80: "восемьдесят восьмидесяти", 90: "девяносто девяноста", 100: "сто ста",
        200: "двести двухсот", 300: "триста трёхсот трехсот", 400: "четыреста четырёхсот",
        500: "пятьсот пятисот",
    }),
    "tr": _words({
        2: "iki", 3: "üç", 4: "dört", 5: "beş", 6: "altı", 7: "yedi", 8: "sekiz", 9: "dokuz",
        10: "on", 20: "yirmi", 30: "otuz", 40: "kırk", 50: "elli", 60: "altmış", 70: "yetmiş",
        80: "seksen", 90: "doksan", 100: "yüz",
    }),
}

JOINERS = {"en": "and", "fr": "et", "es": "y", "pt": "e"}  # treinta y cinco, vinte e cinco
UNITS_AFTER_JOINER = {  # articles that count as 1 inside a compound: vingt et un, einundzwanzig
    "fr": {"un": Decimal(1), "une": Decimal(1)},
    "de": {"ein": Decimal(1)},
}

AMBIGUOUS_WORDS: dict[str, frozenset[str]] = {
    # "one" is as often a pronoun as a number; "neuf" is also "new", "acht" also "heed"; "a
    # decade" is ten years or just a long time. Alone, these words may confirm a number on the
    # other side but are never flagged.
    "en": frozenset({"one", "decade"}),
    "pl": frozenset(w for w, v in NUMBER_WORDS["pl"].items() if v == 1)
          | frozenset("dekada dekady dekadę dekadzie dekadą".split()),
    "de": frozenset({"eins", "acht"}),
    "fr": frozenset({"neuf"}),
    "it": frozenset({"sei", "venti"}),  # "you are", "winds"
    "nl": frozenset({"acht", "elf"}),  # "heed", an elf
    "ru": frozenset(w for w, v in NUMBER_WORDS["ru"].items() if v == 1),
    "tr": frozenset({"on", "altı", "yedi", "yüz"}),  # "front", "under", "ate", "face"
}


def _ordinals(stems: dict[int, str], endings: str) -> dict[str, Decimal]:
    """Every inflected form of each ordinal stem: ``{2: "zweit"}``, "e en er es em" -> zweite, ..."""
    return {stem + ending: Decimal(value) for value, many in stems.items() for stem in many.split()
            for ending in endings.split(",")}


_PL_HARD = "y,a,e,ego,ej,emu,ym,ą,ych,ymi"
ORDINAL_WORDS: dict[str, dict[str, Decimal]] = {
    # Read so that a written-out ordinal confirms digits on the other side (zweiten / 2e, drugi /
    # 2nd); like AMBIGUOUS_WORDS they are never flagged themselves: "first", "drugi", "second"
    # say "at first", "the other", "a second" as often as a rank.
    "en": _ordinals({1: "first", 2: "second", 3: "third", 4: "fourth", 5: "fifth", 6: "sixth",
                     7: "seventh", 8: "eighth", 9: "ninth", 10: "tenth", 11: "eleventh", 12: "twelfth"}, ""),
    "fr": _ordinals({1: "premier première", 2: "deuxième second seconde", 3: "troisième", 4: "quatrième",
                     5: "cinquième", 6: "sixième", 7: "septième", 8: "huitième", 9: "neuvième",
                     10: "dixième", 11: "onzième", 12: "douzième"}, ",s"),
    "de": _ordinals({1: "erst", 2: "zweit", 3: "dritt", 4: "viert", 5: "fünft", 6: "sechst",
                     7: "siebt siebent", 8: "acht", 9: "neunt", 10: "zehnt", 11: "elft", 12: "zwölft"},
                    "e,en,er,es,em"),
    "pl": _ordinals({1: "pierwsz", 4: "czwart", 5: "piąt", 6: "szóst", 7: "siódm", 8: "ósm",
                     9: "dziewiąt", 10: "dziesiąt", 20: "dwudziest", 30: "trzydziest", 40: "czterdziest",
                     50: "pięćdziesiąt", 60: "sześćdziesiąt", 70: "siedemdziesiąt",  # lata siedemdziesiąte
                     80: "osiemdziesiąt", 90: "dziewięćdziesiąt"}, _PL_HARD)
          | _ordinals({2: "drug"}, "i,a,ie,iego,iej,iemu,im,ą,ich,imi")
          | _ordinals({3: "trzec"}, "i,ia,ie,iego,iej,iemu,im,ią,ich,imi"),
}


@dataclass(frozen=True)
class Scale:
    """A word that multiplies the number before it; ``alone`` if it also means 1 x itself."""

    factor: Decimal
    alone: bool


def _scales(table: dict[int, tuple[str, str]]) -> dict[str, Scale]:
    """``{1000: ("thousand", "thousands")}``: the forms that may stand alone, then the rest."""
    scales = {}
    for factor, (alone, after_number_only) in table.items():
        scales |= {w: Scale(Decimal(factor), True) for w in alone.split()}
        scales |= {w: Scale(Decimal(factor), False) for w in after_number_only.split()}
    return scales


SCALE_WORDS: dict[str, dict[str, Scale]] = {
    "en": _scales({
        10: ("decade", "decades"), 12: ("dozen", "dozens"), 100: ("hundred", "hundreds"),
        10**3: ("thousand", "thousands"), 10**6: ("million", "millions mn"),
        10**9: ("billion", "billions bn"), 10**12: ("trillion", "trillions"),
    }),
    "pl": _scales({
        10: ("dekada dekady dekadę dekadzie dekadą", "dekad dekadach dekadami"),
        10**3: ("tysiąc tysiąca tysiącem tysiącu", "tysiące tysięcy tysiącach tysiącami tys"),
        10**6: ("milion miliona milionem milionie", "miliony milionów milionach milionami mln"),
        10**9: ("miliard miliarda miliardem miliardzie", "miliardy miliardów miliardach mld"),
        10**12: ("bilion biliona bilionem bilionie", "biliony bilionów bilionach bilionami bln"),  # a trillion
    }),
    "de": _scales({
        100: ("hundert", "hunderte"), 10**3: ("tausend", "tausende tsd"),
        10**6: ("million", "millionen mio"), 10**9: ("milliarde", "milliarden mrd"),
    }),
    "fr": _scales({
        100: ("cent", "cents"), 10**3: ("mille", "milliers"),
        10**6: ("million", "millions"), 10**9: ("milliard", "milliards"),
    }),
    # Beware the false friends: Spanish billón and European Portuguese bilião are 10^12, the
    # Brazilian bilhão 10^9; "mil millones" and "mil milhões" are 10^9 (see _Phrase.times).
    "es": _scales({
        10**3: ("mil", "miles"), 10**6: ("millón", "millones mill mills"),
        10**9: ("millardo", "millardos"), 10**12: ("billón", "billones"),
    }),
    "it": _scales({
        10**3: ("mille", "mila migliaia"), 10**6: ("milione", "milioni mln"),
        10**9: ("miliardo", "miliardi mld"),
    }),
    "pt": _scales({
        10**3: ("mil", "milhares"), 10**6: ("milhão", "milhões mi"),
        10**9: ("bilhão", "bilhões bi"), 10**12: ("bilião trilhão", "biliões trilhões tri"),
    }),
    "nl": _scales({
        100: ("honderd", "honderden"), 10**3: ("duizend", "duizenden"),
        10**6: ("miljoen", "miljoenen mln"), 10**9: ("miljard", "miljarden mld mrd"),
        10**12: ("biljoen", "biljoenen"),
    }),
    "ru": _scales({
        10**3: ("тысяча тысячу тысячей тысяче", "тысячи тысяч тысячам тысячами тысячах тыс"),
        10**6: ("миллион миллиону миллионом миллионе",
                "миллиона миллионы миллионов миллионам миллионами миллионах млн"),
        10**9: ("миллиард миллиарду миллиардом миллиарде",
                "миллиарда миллиарды миллиардов миллиардам миллиардами миллиардах млрд"),
        10**12: ("триллион", "триллиона триллионов трлн"),
    }),
    "tr": _scales({
        10**3: ("bin", "binlerce"), 10**6: ("milyon", "milyonlarca mn mln"),
        10**9: ("milyar", "milyarlarca mlr"), 10**12: ("trilyon", ""),
    }),
}

FRACTION_WORDS = {
    "en": {"half": Decimal("0.5"), "quarter": Decimal("0.25")},
    "pl": {"pół": Decimal("0.5"), "ćwierć": Decimal("0.25")},
    "de": {"halbe": Decimal("0.5")},
}
"""Fractions read as a number only before a scale word: pół miliona, a quarter of a billion, eine
halbe Million; elsewhere ("pół roku", "half the team") they stay vague."""
FRACTION_LINKS = frozenset({"a", "an", "of"})  # half a million, a quarter of a billion

ATTACHED_SCALES = {"k": 10**3, "tys": 10**3, "m": 10**6, "mln": 10**6, "mio": 10**6,
                   "bn": 10**9, "mld": 10**9, "mrd": 10**9}
"""Scale abbreviations written straight after the digits: 40k, 3bn, 1,5mln."""
ATTACHED_SCALES_BY_LANG = {"pl": ATTACHED_SCALES | {"bln": 10**12},  # 2bln zł: Polish bilion is 10^12
                          "ru": ATTACHED_SCALES | {"тыс": 10**3, "млн": 10**6, "млрд": 10**9}}

ORDINAL_SUFFIXES = frozenset("st nd rd th e er re ème eme te ten".split())  # 20th, 2e, 1er, 3te

ATTACHED_PLAIN = frozenset(
    "st nd rd th s r e er re ème eme te ten "  # ordinals, 1990s, 2021r.
    "km m cm mm kg g mg t l ml h min ms ha kW MW GW kWh W V GB MB kB TB zł "
    "C F mph".split()  # degrees written the AP and BBC way: 28C, 86F
)
"""Suffixes written straight after the digits that leave the number a number (20th, 10km).
Case matters: 5g is five grams, 5G a code."""

PERCENT, POINTS = "percent:%", "percent:pp"
"""The units of a percentage: percent, and percentage points (a rate up from 3% to 3.2% rose by
0.2 points, and by 6.7 percent); written as one of them, 0.2 is wrong in the other."""

PERCENT_PHRASES: dict[str, tuple[tuple[str, tuple[str, ...]], ...]] = {
    # each phrase is a sequence of regexes, matched in full against consecutive words, with its
    # unit; the first that matches is taken, so "percentage points" comes before "percentage"
    "en": ((POINTS, ("percentage", "points?")), (POINTS, ("pp",)),
           (PERCENT, ("per", "cent")), (PERCENT, ("percent|pct|percentage",))),
    "pl": ((POINTS, ("punkt\\w*|pkt", "proc\\w*")), (POINTS, ("p\\.p",)), (PERCENT, ("proc|procent\\w*",))),
    "de": ((POINTS, ("prozentpunkt\\w*",)), (PERCENT, ("prozent\\w*|proz",))),
    "fr": ((POINTS, ("points?", "de", "pourcentage")), (PERCENT, ("pour", "cent")), (PERCENT, ("pourcent\\w*",))),
    "es": ((POINTS, ("puntos?", "porcentual(es)?")), (PERCENT, ("por", "ciento"))),
    "it": ((POINTS, ("punt[oi]", "percentual[ei]")), (PERCENT, ("per", "cento")), (PERCENT, ("percento",))),
    "pt": ((POINTS, ("pontos?", "percentua(l|is)")), (PERCENT, ("por", "cento"))),
    "nl": ((POINTS, ("procentpunt\\w*",)), (PERCENT, ("procent|percent",))),
    "ru": ((POINTS, ("процентн\\w*", "пункт\\w*")), (PERCENT, ("процент\\w*",))),
    "tr": ((POINTS, ("puan",)),),  # the percent itself comes first there: yüzde 15, %15
}
PERCENT_BEFORE = {"tr": frozenset({"yüzde"})}
"""Languages that write the percent before the number ("%15", "yüzde 15"), with their words."""
BARE_POINTS = {"en": re.compile("points"), "pl": re.compile("pkt|punkty|punktów|punktu")}
"""Points with no word for percent: the score of a match, or percentage points in a text on rates
("fell by 0.2 points"). Read as a number that may also be a percentage in points."""
PERCENT_SUFFIX = re.compile(r"proc\w*|procent\w*|prozent\w*|percent\w*|pourcent\w*|процент\w*", re.I)
"""After a hyphen: 30-procentowy, 30-prozentig, 30-percent."""

VAGUE_WORDS: dict[str, frozenset[str]] = {
    "en": frozenset(
        "several few couple half twice double triple dozens scores both once single pair "
        "first second third fourth fifth sixth seventh eighth ninth tenth".split()
    ),
    "pl": frozenset(
        "kilka kilku kilkoma kilkanaście kilkunastu kilkadziesiąt kilkudziesięciu kilkaset "
        "kilkuset parę paru pół połowa połowy połowę setki setek dziesiątki dziesiątek tuzin "
        "oba obaj obie obu obydwa obydwaj obydwie obydwu obiema raz razy pierwszy pierwsza "
        "pierwsze drugi druga drugie trzeci trzecia trzecie wiele".split()
    ),
    "de": frozenset(
        "einige mehrere paar halb halbe hälfte dutzend dutzende beide beiden zweimal dreimal "
        "doppelt erste erster zweite zweiter dritte dritter".split()
    ),
    "fr": frozenset(
        "plusieurs quelques demi moitié dizaine dizaines centaine centaines douzaine deux-fois "
        "double premier première deuxième second seconde troisième".split()
    ),
}
VAGUE_PATTERN: dict[str, re.Pattern[str]] = {
    # prefixed adjectives and adverbs: dwuletni, trzykrotnie, pięcioosobowy, threefold
    "pl": re.compile(r"(dwu|trzy|cztero|pięcio|sześcio|siedmio|ośmio|dziewięcio|dziesięcio|"
                     r"kilku|kilkunasto|kilkudziesięcio|wielo|pół)\w{3,}"),
    "en": re.compile(r"\w+fold|\w+teenth|\w+tieth"),
    "de": re.compile(r"(zwei|drei|vier|fünf|sechs|sieben|acht|neun|zehn)(mal|fach|jährig)\w*"),
    "fr": re.compile(r"\w+ième|\w+aine"),
}
MINUS_WORDS = frozenset({"minus"})  # minus 2 stopnie; not French "moins" ("au moins cinq": at least five)
SIGN_WORDS: dict[str, re.Pattern[str]] = {
    # words that give a number's sign without a minus: "15 stopni mrozu" or "a deficit of 2
    # billion" may translate -15 and -2 billion, so a minus on the other side is no sign flipped
    "en": re.compile(r"\b(below|minus|negative|deficits?|loss|losses|frost|freezing|sub-?zero)\b", re.I),
    "pl": re.compile(r"\b(mróz|mroz\w*|poniżej|ujemn\w*|deficyt\w*|strat[aęąy]?|stratach|stratami|stracie|"
                     r"minus\w*)\b", re.I),
    "de": re.compile(r"\b(unter|minus|negativ\w*|defizit\w*|verlust\w*|frost\w*|minusgrade\w*)\b", re.I),
    "fr": re.compile(r"\b(sous|moins|négati\w*|déficit\w*|pertes?|gel)\b", re.I),
}
ROMAN_NUMERAL = re.compile(r"(?=[IVXLC])(C{0,3})(XC|XL|L?X{0,3})(IX|IV|V?I{0,3})")


def _month_table(canonical: str, extra: str = "") -> tuple[tuple[str, ...], dict[str, int]]:
    """Names used when writing a date, and every form read (lower case) -> month number."""
    names = tuple(canonical.split())
    forms = {name.lower(): i for i, name in enumerate(names, start=1)}
    forms |= {form: int(m) for form, m in (pair.split(":") for pair in extra.split())}
    return names, forms


_EN_MONTH_ABBREVIATIONS = "jan:1 feb:2 mar:3 apr:4 jun:6 jul:7 aug:8 sep:9 sept:9 oct:10 nov:11 dec:12"
MONTHS: dict[str, tuple[tuple[str, ...], dict[str, int]]] = {
    "en": _month_table(
        "January February March April May June July August September October November December",
        _EN_MONTH_ABBREVIATIONS,
    ),
    "pl": _month_table(  # genitive, as in "31 marca"; the nominative is read too
        "stycznia lutego marca kwietnia maja czerwca lipca sierpnia września października "
        "listopada grudnia",
        "styczeń:1 luty:2 marzec:3 kwiecień:4 maj:5 czerwiec:6 lipiec:7 sierpień:8 wrzesień:9 "
        "październik:10 listopad:11 grudzień:12",
    ),
    "de": _month_table(
        "Januar Februar März April Mai Juni Juli August September Oktober November Dezember",
        "jänner:1",
    ),
    "fr": _month_table(
        "janvier février mars avril mai juin juillet août septembre octobre novembre décembre"
    ),
}


CAPITALISED_CALENDAR = frozenset({"en", "de"})  # months and weekdays; in lower case other words ("may")


def _calendar(lang: str, weekdays: str, other_cases: str = "") -> dict[str, Reading]:
    """The month names of ``MONTHS`` (not the abbreviations: "mar" and "dec" are other words
    alone), ``other_cases`` of them (``"styczniu:1"``) and the ``weekdays`` (``"Monday /
    Tuesday"``) -> every form (lower case) -> its reading."""
    abbreviations = {pair.split(":")[0] for pair in _EN_MONTH_ABBREVIATIONS.split()} if lang == "en" else set()
    table: dict[str, Reading] = {form: ("month", m) for form, m in MONTHS[lang][1].items() if form not in abbreviations}
    table |= {form: ("month", int(m)) for form, m in (pair.split(":") for pair in other_cases.split())}
    for number, forms in enumerate(weekdays.split("/"), start=1):
        table |= {form.lower(): ("weekday", number) for form in forms.split()}
    return table


# Month and weekday names standing alone ("w lipcu", "on Monday"): a date without a day, which
# the encoder cannot tell from another month.
CALENDAR_WORDS: dict[str, dict[str, Reading]] = {
    "en": _calendar("en", "Monday / Tuesday / Wednesday / Thursday / Friday / Saturday / Sunday"),
    "pl": _calendar(
        "pl",
        "poniedziałek poniedziałku poniedziałki / wtorek wtorku wtorki / środa środę środy środzie "
        "/ czwartek czwartku czwartki / piątek piątku piątki / sobota sobotę soboty sobocie / "
        "niedziela niedzielę niedzieli",
        "styczniu:1 lutym:2 marcu:3 kwietniu:4 maju:5 czerwcu:6 lipcu:7 sierpniu:8 wrześniu:9 "  # locative
        "październiku:10 listopadzie:11 grudniu:12",
    ),
    "de": _calendar("de", "Montag / Dienstag / Mittwoch / Donnerstag / Freitag / Samstag Sonnabend / Sonntag"),
    "fr": _calendar("fr", "lundi / mardi / mercredi / jeudi / vendredi / samedi / dimanche"),
}
_CALENDAR_WORD = re.compile(r"(?<![\w-])[^\W\d_]+(?![\w-])")

def _units(table: dict[str, str]) -> dict[str, str]:
    """``{"length:m": "m metr metra"}`` -> every form (lower case) -> its unit."""
    return {form: unit for unit, forms in table.items() for form in forms.split()}


# Units and currencies written next to a number (after it, or a symbol or code before it), by
# language: the same value in another unit is another amount (8848 m / 8848 pieds, 500 zł / 500
# dollars, 3 dni / 3 weeks). Forms are lower case without a final full stop; a word not found
# as written is looked up by its lemma ("lat": "rok"). Our own lists; words with a second common
# sense are left out (English "pound", French "mille").
UNIT_WORDS: dict[str, dict[str, str]] = {
    "en": _units({
        "length:m": "m metre metres meter meters", "length:km": "km kilometre kilometres kilometer kilometers",
        "length:ft": "ft feet foot", "length:mi": "mile miles",
        "mass:kg": "kg kilogram kilograms", "mass:t": "tonne tonnes ton tons",
        "money:pln": "zł zloty zlotys zlotych pln", "money:usd": "$ dollar dollars usd",
        "money:eur": "€ euro euros eur", "money:gbp": "£ gbp sterling", "money:chf": "chf sfr franc francs",
        "money:rub": "rouble roubles ruble rubles rub", "money:inr": "rupee rupees",
        "time:s": "second seconds", "time:min": "minute minutes", "time:h": "hour hours",
        "time:d": "day days", "time:wk": "week weeks", "time:mo": "month months", "time:y": "year years",
        "speed:kmh": "km/h kph", "speed:mph": "mph", "speed:ms": "m/s", "speed:kn": "knot knots kn",
        "length:mm": "mm millimetre millimetres millimeter millimeters",
        "length:cm": "cm centimetre centimetres centimeter centimeters",
        "length:um": "µm μm micrometre micrometres micrometer micrometers micron microns",
        "area:km2": "km² km2", "area:m2": "m² m2", "area:ha": "ha hectare hectares",
        "volume:l": "litre litres liter liters", "volume:m3": "m³ m3", "money:cent": "cent cents",
    }),
    "pl": _units({
        "length:m": "m metr metry metrów metra", "length:km": "km kilometr kilometry kilometrów kilometra",
        "length:ft": "stopa stopy stóp", "length:mi": "mila mile mil",
        "mass:kg": "kg kilogram kilogramy kilogramów", "mass:t": "t tona tony ton",
        "money:pln": "zł złoty złote złotych pln", "money:usd": "$ dolar dolary dolarów dol usd",
        "money:eur": "€ euro eur", "money:gbp": "£ funt funty funtów gbp", "money:chf": "chf frank franki franków",
        "money:rub": "rubel ruble rubli rub", "money:inr": "rupia rupie rupii",
        "time:s": "sekunda sekundy sekund", "time:min": "minuta minuty minut", "time:h": "godzina godziny godzin",
        "time:d": "dzień dni", "time:wk": "tydzień tygodnie tygodni", "time:mo": "miesiąc miesiące miesięcy",
        "time:y": "rok roku lata",
        "speed:kmh": "km/h", "speed:mph": "mph", "speed:ms": "m/s",
        "speed:kn": "węzeł węzły węzłów węzłach kn",
        "length:mm": "mm milimetr milimetry milimetrów milimetra",
        "length:cm": "cm centymetr centymetry centymetrów centymetra",
        "length:um": "µm μm mikrometr mikrometry mikrometrów mikrometra mikron mikrony mikronów",
        "area:km2": "km² km2", "area:m2": "m² m2", "area:ha": "ha hektar hektary hektarów hektara",
        "volume:l": "litr litry litrów litra", "volume:m3": "m³ m3", "money:cent": "cent centy centów grosz grosze groszy",
    }),
    "de": _units({
        "length:m": "m meter metern", "length:km": "km kilometer kilometern", "length:ft": "ft fuss fuß",
        "length:mi": "meile meilen", "mass:kg": "kg kilogramm", "mass:t": "t tonne tonnen",
        "money:pln": "zloty pln", "money:usd": "$ dollar usd", "money:eur": "€ euro eur",
        "money:gbp": "£ pfund gbp", "money:chf": "chf sfr fr franken", "money:rub": "rubel", "money:inr": "rupie rupien rupies",
        "time:s": "sekunde sekunden", "time:min": "minute minuten", "time:h": "stunde stunden",
        "time:d": "tag tage tagen", "time:wk": "woche wochen", "time:mo": "monat monate monaten", "time:y": "jahr jahre jahren",
        "speed:kmh": "km/h", "speed:mph": "mph", "speed:ms": "m/s", "speed:kn": "knoten kn",
        "length:mm": "mm millimeter millimetern", "length:cm": "cm zentimeter zentimetern",
        "length:um": "µm μm mikrometer mikrometern mikron", "area:km2": "km² km2 quadratkilometer",
        "area:m2": "m² m2 quadratmeter quadratmetern", "area:ha": "ha hektar hektaren",
        "volume:l": "liter litern", "volume:m3": "m³ m3 kubikmeter", "money:cent": "cent cents rappen",
    }),
    "fr": _units({
        "length:m": "m mètre mètres", "length:km": "km kilomètre kilomètres", "length:ft": "pied pieds",
        "length:mi": "milles", "mass:kg": "kg kilo kilos kilogramme kilogrammes", "mass:t": "t tonne tonnes",
        "money:pln": "zloty zlotys pln", "money:usd": "$ dollar dollars usd", "money:eur": "€ euro euros eur",
        "money:gbp": "£ livre livres gbp", "money:chf": "chf sfr fr franc francs", "money:rub": "rouble roubles",
        "money:inr": "roupie roupies", "time:s": "seconde secondes", "time:min": "minute minutes",
        "time:h": "heure heures", "time:d": "jour jours journée journées", "time:wk": "semaine semaines",
        "time:mo": "mois", "time:y": "an ans année années",
        "speed:kmh": "km/h", "speed:mph": "mph", "speed:ms": "m/s", "speed:kn": "nœud nœuds kn",
        "length:mm": "mm millimètre millimètres", "length:cm": "cm centimètre centimètres",
        "length:um": "µm μm micromètre micromètres micron microns", "area:km2": "km² km2",
        "area:m2": "m² m2", "area:ha": "ha hectare hectares", "volume:l": "litre litres",
        "volume:m3": "m³ m3", "money:cent": "centime centimes cent cents",
    }),
}
# 3 millions d'euros, two-day, km/h
_UNIT_AFTER = re.compile(r"[\s\u00a0]*(?:[-‑]|de\s+|d['’]\s*)?([$€£]|[^\W\d_]+)(/[^\W\d_]+)?")
_UNIT_BEFORE = re.compile(r"([$€£]|\b[A-Z]{3})[\s\u00a0]*$")  # $500, PLN 1,500,000

CLOCK_WORDS = {  # clock times written with a word: 14 Uhr, 14.30 Uhr, 14 h 30, 14 h. 30, 14h
    "de": (r"(?<![\d.,])(?P<hour>[01]?\d|2[0-3])(?:[.:](?P<minute>[0-5]\d))?\s*Uhr\b(?P<ampm>)",),
    "fr": (r"(?<![\d.,])(?P<hour>[01]?\d|2[0-3])\s?h(?:\.?\s?(?P<minute>[0-5]\d))?(?!\w)(?P<ampm>)",),
}
CLOCK_NAMES: dict[str, dict[str, tuple[Reading, ...]]] = {
    # they confirm "godz. 12" or "12:00" on the other side, and are never flagged: Polish
    # "południe" and "północ" are also south and north, so the other side may have no number
    "en": {"noon": (("time", (12, 0)),), "midday": (("time", (12, 0)),),
           "midnight": (("time", (0, 0)), ("number", Decimal(12)), ("number", Decimal(24)))},
}
RANGE_WORDS = {"en": "to|and|through", "pl": "do|na|i", "de": "bis|und", "fr": "au|et"}
"""Words between the two days of a range: 5 to 7 March, z 23 na 24 lutego (overnight)."""
CENTURY_WORDS = r"wiek\w*|w\.|century|jahrhundert\w*|jh\.|siècles?"
CLOCK_CUES = {  # words before a clock time written like a day and month: o godz. 7.05., um 7.05.
    "pl": frozenset("godz. godzinie godzina godziny o".split()), "de": frozenset("um gegen".split()),
}

CJK_LANGS = frozenset({"ja", "zh", "ko"})
"""Languages that write numbers straight against the words: 450万ユーロ, 2019年, 3월 31일."""
CJK_SCRIPT = "\u3000-\u303f\u3040-\u30ff\u3130-\u318f\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7a3\uff01-\uff0f\uff1a-\uff20\uff5b-\uff65"
"""CJK punctuation, kana, hangul and ideographs: blanked once the rules below have read them."""
CJK_SCALES = {
    # written after digits: 450万 (4.5 million), 1億2000万, 3천만 (3000 x 10^4); zh 兆 is also "mega"
    "ja": {"千": 10**3, "百": 100, "万": 10**4, "萬": 10**4, "億": 10**8, "兆": 10**12},
    "zh": {"千": 10**3, "百": 100, "万": 10**4, "萬": 10**4, "亿": 10**8, "億": 10**8},
    "ko": {"천": 10**3, "백": 100, "만": 10**4, "억": 10**8, "조": 10**12},
}
CJK_DATE = {"ja": ("年", "月", "日"), "zh": ("年", "月", "日号號"), "ko": ("년", "월", "일")}
"""Year, month and day markers: 2023年3月31日, 3월 31일."""
KANJI_DIGITS = {**dict(zip("〇一二三四五六七八九", range(10))), "零": 0, "两": 2, "兩": 2}
"""Numerals written in characters (两年, 二十五): read as *ambiguous* numbers, which confirm a
number on the other side but are never flagged: 一 is as often "a" or part of a word (一起)."""
_FULLWIDTH = str.maketrans("０１２３４５６７８９％", "0123456789%")
_FULLWIDTH_ANY = re.compile("[\uff05\uff10-\uff19]")
_FULLWIDTH_SEPARATOR = re.compile("(?<=\\d)[，．：](?=\\d)")  # 12，000 / 10：30, never a clause's comma


# --------------------------------------------------------------------------------------------
# Records
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Quantity:
    """A number-like thing as written on one side, with its possible readings (preferred first)."""

    text: str
    readings: tuple[Reading, ...]
    position: float = 0.0  # 0..1 through the bead, to pair leftovers that sit in the same place
    spelled: bool = False  # written in words ("dwóch"), so less certain than digits
    ambiguous: bool = False  # a word like "one" that may not be a number at all
    scaled: bool = False  # written with a scale word ("1,5 mln"): render it that way too
    ordinal: bool = False  # a rank ("zweiten", "2e", "20th"), matched first with ranks
    unit: tuple[str, str] | None = None  # its unit ("length:m", as written), when one is written by it
    days: tuple[int, int] | None = None  # first and last day of a range naming its month once (5-6 listopada)
    negative: bool = False  # written with a minus ("-15", "minus 2"); the readings hold its size
    conversion: bool = False  # in brackets, in another currency than the amount before: (about €2,300)

    @property
    def kind(self) -> str:
        return self.readings[0][0]

    @property
    def value(self) -> Any:
        return self.readings[0][1]


@dataclass(frozen=True)
class Extraction:
    """What one side of a bead says in numbers, plus vague number words it uses."""

    quantities: tuple[Quantity, ...]
    vague: tuple[str, ...] = ()
    # numbers that may answer one the other side writes but are not reported by themselves: a
    # list marker ("10. La chronique ...") and a Roman numeral ("camp II" for "Lager 2")
    standins: tuple[Quantity, ...] = ()
    # month and weekday names outside a date: compared only with the other side's (a change)
    calendar: tuple[Quantity, ...] = ()
    # words that say a number is below zero without a minus ("mrozu", "deficit"; see SIGN_WORDS)
    sign_words: tuple[str, ...] = ()
    # whether the side's language has scale words here (SCALE_WORDS): where it has none, "4,5"
    # may well say the "4.5 million" of the other side, in words not read
    reads_scales: bool = True


@dataclass(frozen=True)
class Finding:
    """One difference between the sides; ``src``/``tgt`` is None for a one-sided number."""

    severity: Severity
    reason: str  # changed | dropped | added | percent_sign | unit | sign
    src: Quantity | None
    tgt: Quantity | None


# --------------------------------------------------------------------------------------------
# Step 1: masking rules for fixed shapes
# --------------------------------------------------------------------------------------------

_Span = tuple[str, int, int]  # text as written, start, end
_RuleReader = Callable[[re.Match[str], str], list[tuple] | None]
"""-> (span, readings) or (span, readings, other Quantity fields) for each quantity found."""


@dataclass(frozen=True)
class _Rule:
    pattern: re.Pattern[str]
    read: _RuleReader  # -> quantities found, or None to leave the text alone
    needs_digits: bool = True  # skipped on text without digits (most prose), for speed


def _span(m: re.Match[str], group: int | str = 0) -> _Span:
    return m.group(group), m.start(group), m.end(group)


def _valid_day_month(day: int, month: int) -> bool:
    return 1 <= day <= 31 and 1 <= month <= 12


def _full_year(digits: str) -> int:
    year = int(digits)
    return year if len(digits) == 4 else year + (2000 if year < 50 else 1900)


def _read_url(m: re.Match[str], lang: str) -> list:
    return []  # masked so that digits in addresses are not read


def _read_numeric_date(m: re.Match[str], lang: str) -> list | None:
    """31.03.2022, 31/03/2022 (also 03/31/2022 in English), 2022-03-31: a date and a year.

    The patterns name the day ``a`` and the month ``b`` (day first, the usual order).
    """
    a, b = int(m["a"]), int(m["b"])
    day_first = [(a, b)] if _valid_day_month(a, b) else []
    month_first = [(b, a)] if _valid_day_month(b, a) and a != b else []
    options = day_first + month_first if m["sep"] == "/" and lang == "en" else day_first
    if not options:
        return None
    date = (_span(m, "date"), tuple(("date", dm) for dm in options))
    if not m["year"]:
        return [date]
    return [date, (_span(m, "year"), (("number", Decimal(_full_year(m["year"]))),))]


_CUE_REACH = 20  # characters before a day.month. date searched for "godz." or "um"
_YEAR_AFTER = re.compile(r"[\s.]*\d{4}(?!\d)")


def _read_day_month(m: re.Match[str], lang: str) -> list | None:
    """"am 31.03." without a year, unless a word for the hour comes before: "o godz. 7.05." is
    five past seven, not 7 May (the lexer reads it as a time)."""
    words_before = m.string[max(0, m.start() - _CUE_REACH):m.start()].split()  # not the whole text, per date
    if words_before and words_before[-1].lower() in CLOCK_CUES.get(lang, ()):
        return None
    return _read_numeric_date(m, lang)


def _read_text_date(m: re.Match[str], lang: str) -> list | None:
    """31 marca, 31st of March, March 31, 31. März, 1er mars."""
    month_word = m["month"]
    if lang in CAPITALISED_CALENDAR and not month_word[0].isupper():
        return None  # "may", "march" and "mai" are words too; months are capitalised there
    month = MONTHS[lang][1].get(month_word.lower().rstrip("."))
    day = int(m["day"])
    if month is None or not _valid_day_month(day, month):
        return None
    return [(_span(m), (("date", (day, month)),))]


def _read_date_range(m: re.Match[str], lang: str) -> list | None:
    """5-6 listopada, December 5-6, z 23 na 24 lutego, 5 to 7 March: a date for each day, since
    a translator may name the month with the first day or the last one."""
    month_word = m["month"]
    if lang in CAPITALISED_CALENDAR and not month_word[0].isupper():
        return None
    month = MONTHS[lang][1].get(month_word.lower().rstrip("."))
    first, last = int(m["day"]), int(m["last"])
    if month is None or not first < last or not _valid_day_month(last, month):
        return None
    return [(_span(m), (("date", (day, month)),), {"days": (first, last)}) for day in (first, last)]


PL_SHORT_MONTHS = {
    **{numeral: m for m, numeral in enumerate("I II III IV V VI VII VIII IX X XI XII".split(), start=1)},
    **dict(zip("sty lut mar kwi cze lip sie wrz paź lis gru".split(), (1, 2, 3, 4, 6, 7, 8, 9, 10, 11, 12))),
}
"""Polish months written short after a day: 15 X, 3 III 2024, 15 paź. (maj is never shortened)."""


def _read_short_date(m: re.Match[str], lang: str) -> list | None:
    """15 X, 3 III 2024, 15.X.2024, 15 paź.: a day and month. "12 V" is as often twelve volts
    and "5 lis" is not a word with a month in it: V, I and an abbreviation without its full stop
    are read as a month only before a year."""
    day, month = int(m["day"]), PL_SHORT_MONTHS[m["month"]]
    before_year = _YEAR_AFTER.match(m.string, m.end())
    doubtful = m["month"] in ("I", "V") or (m["month"].islower() and not m["dot"])
    if not _valid_day_month(day, month) or (doubtful and not before_year):
        return None
    return [(_span(m, "date"), (("date", (day, month)),))]


def _read_time(m: re.Match[str], lang: str) -> list | None:
    hour, minute = int(m["hour"]), int(m["minute"] or 0)
    meridiem = (m["ampm"] or "").lower().replace(".", "")
    if meridiem and not 1 <= hour <= 12:
        return None
    if meridiem:
        hour = hour % 12 + (12 if meridiem == "pm" else 0)
    return [(_span(m), (("time", (hour, minute)),))]


def _roman_value(numeral: str) -> int:
    values = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}
    digits = [values[c] for c in numeral]
    return sum(-d if d < nxt else d for d, nxt in zip(digits, digits[1:] + [0]))


def _read_year_span(m: re.Match[str], lang: str) -> list | None:
    """1952/53, 2019-20: two years, the second written with its last two digits."""
    first, last = int(m["first"]), int(m["last"])
    if last <= first % 100:
        return None  # 1952-48 is something else
    second = first - first % 100 + last
    return [(_span(m, "first"), (("number", Decimal(first)),)), (_span(m, "last"), (("number", Decimal(second)),))]


def _read_century(m: re.Match[str], lang: str) -> list | None:
    """XX wiek / XXe siècle: the Roman numeral is read as the number it stands for."""
    if not ROMAN_NUMERAL.fullmatch(m["roman"]):
        return None
    return [(_span(m, "roman"), (("number", Decimal(_roman_value(m["roman"]))),))]


def _read_code(m: re.Match[str], lang: str) -> list:
    """F-16, COVID-19, MH17: compared as tokens, ignoring case, hyphens and endings (F-16s)."""
    code = m.group(0)
    if year := _PREFIXED_YEAR.fullmatch(code):
        return _read_prefixed_year(m, year)
    head, tail = re.fullmatch(r"(.*\d)(\D*)", code).groups()
    if tail.lstrip("-‑").islower():
        code = head  # an English plural or a Polish case ending: F-16s, F-16-ów
    return [(_span(m), (("code", _transliterated(re.sub(r"[-‑/]", "", code).upper())),))]


_PREFIXED_YEAR = re.compile(r"(?:mid|pre|post|early|late)[-‑](?P<year>1[5-9]\d\d|20\d\d)(?P<decade>s?)", re.I)


def _read_prefixed_year(m: re.Match[str], year: re.Match[str]) -> list:
    """mid-2024, post-1989, the mid-1990s: a year, not a code (the 1990s are also "lata 90.")."""
    value = int(year["year"])
    readings = (("number", Decimal(value)),)
    if year["decade"] and value % 10 == 0:
        readings += (("number", Decimal(value % 100)),)
    start = m.start() + year.start("year")
    return [((m.string[start:m.end()], start, m.end()), readings)]


def _transliterated(code: str) -> str:
    """Polish and English spell Russian and Ukrainian designations apart: Ił-76 / Il-76,
    Ch-101 / Kh-101. Both sides are brought to the English spelling before they are compared."""
    code = code.replace("Ł", "L")
    return "KH" + code[2:] if code.startswith("CH") else code


def _alternation(words: Sequence[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


@lru_cache(maxsize=None)
def _rules(lang: str) -> tuple[_Rule, ...]:
    """The masking rules for one language, in the order they are applied."""
    rules = [
        _Rule(re.compile(r"https?://\S+|www\.\S+|\S+@\S+\.\w+"), _read_url),
        *_cjk_rules(lang),
        _Rule(_CUP_ROUND, _read_cup_round),
        _Rule(re.compile(r"(?<![\d.])(?P<date>(?P<a>\d{1,2})(?P<sep>[./])(?P<b>\d{1,2})(?P=sep))"
                         r"(?P<year>\d{4}|\d{2})(?![\d])"), _read_numeric_date),
        _Rule(re.compile(r"(?<!\d)(?P<year>\d{4})-(?P<date>(?P<b>\d{2})-(?P<a>\d{2}))(?!\d)"
                         r"(?P<sep>)"), _read_numeric_date),
        _Rule(re.compile(r"(?<![\d.,/])(?P<first>1[5-9]\d\d|20\d\d)\s?[/–‑-]\s?(?P<last>\d\d)(?![\d%]|[.,]\d)"),
              _read_year_span),
    ]
    if lang not in DOT_DECIMAL_LANGS:  # "am 31.03." without a year
        rules.append(_Rule(re.compile(r"(?<![\d.,])(?P<date>(?P<a>\d{1,2})(?P<sep>\.)"
                                      r"(?P<b>\d{1,2})\.)(?P<year>)(?=\s|$)"), _read_day_month))
    if lang in MONTHS:
        months = _alternation(list(MONTHS[lang][1]))
        to = rf"(?:\s*[-–‑]\s*|\s+(?:{RANGE_WORDS[lang]})\s+)"
        rules += [
            _Rule(re.compile(rf"(?<![\d.,])(?P<day>\d{{1,2}})(?:\.|st|nd|rd|th|er|e)?{to}(?P<last>\d{{1,2}})"
                             rf"(?:\.|st|nd|rd|th|er|e)?\s+(?:of\s+)?(?P<month>{months})\b", re.I), _read_date_range),
            _Rule(re.compile(rf"\b(?P<month>{months})\.?\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?{to}"
                             rf"(?P<last>\d{{1,2}})(?:st|nd|rd|th)?(?![\d]|[.,]\d)", re.I), _read_date_range),
            _Rule(re.compile(rf"(?<![\d.,])(?P<day>\d{{1,2}})(?:\.|st|nd|rd|th|er|e)?\s+(?:of\s+)?"
                             rf"(?P<month>{months})\b", re.I), _read_text_date),
            _Rule(re.compile(rf"\b(?P<month>{months})\.?\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?"
                             rf"(?![\d]|[.,]\d)", re.I), _read_text_date),
        ]
    if lang == "pl":
        rules.append(_Rule(re.compile(rf"(?<![\d.,])(?P<date>(?P<day>\d{{1,2}})(?:\.\s*|\s+)"
                                      rf"(?P<month>{_alternation(list(PL_SHORT_MONTHS))}))(?P<dot>\.)?(?!\w)"),
                           _read_short_date))
    rules += [
        _Rule(re.compile(r"(?<![\d:.,])(?P<hour>[01]?\d|2[0-3]):(?P<minute>[0-5]\d)(?::[0-5]\d)?"
                         r"(?!\d)(?:\s*(?P<ampm>[ap]\.m\.?|[ap]m)(?!\w))?", re.I), _read_time),  # "am." ends a sentence
        _Rule(re.compile(r"(?<![\d:.,])(?P<hour>\d{1,2})(?:\.(?P<minute>[0-5]\d))?\s*"
                         r"(?P<ampm>[ap]\.m\.|[ap]m\b)", re.I), _read_time),
        *(_Rule(re.compile(pattern, re.I), _read_time) for pattern in CLOCK_WORDS.get(lang, ())),
        _Rule(re.compile(rf"(?<!\w)(?P<roman>[IVXLC]{{1,7}})(?:e|ème)?\s+(?:{CENTURY_WORDS})",
                         re.I), _read_century, needs_digits=False),
        _Rule(re.compile(r"(?<![\w-])[^\W\d_]+[-‑/]?\d[\w-]*"), _read_code),
    ]
    return tuple(rules)


def _cjk_rules(lang: str) -> list[_Rule]:
    """Dates, months, scales and character numerals of ja/zh/ko, then the rest of the script
    blanked out, so that "250人以上" reads as 250 and not as a code."""
    if lang not in CJK_LANGS:
        return []
    year, month, day = CJK_DATE[lang]
    scales = CJK_SCALES[lang]
    big = "".join(c for c, f in scales.items() if f >= 10**4)
    small = "".join(c for c, f in scales.items() if f < 10**4)
    group = rf"\d+(?:[.,]\d+)*\s*(?:[{small}]\s*[{big}]?|[{big}])"
    rules = [
        _Rule(re.compile(rf"(?<![\d.,])(?:(?P<year>\d{{4}})\s*{year}\s*)?(?P<date>(?P<b>\d{{1,2}})\s*{month}\s*"
                         rf"(?P<a>\d{{1,2}})\s*[{day}])"), _read_cjk_date),
        _Rule(re.compile(rf"(?<![\d.,])(?P<month>\d{{1,2}})\s*{month}(?!\s*\d)"), _read_cjk_month),
        _Rule(re.compile(rf"(?<![\d.,]){group}(?:\s*{group})*"), _read_cjk_scaled),
    ]
    if lang != "ko":
        numerals = "".join(KANJI_DIGITS) + "十" + small + big
        rules.append(_Rule(re.compile(f"[{numerals}]+"), _read_kanji_number, needs_digits=False))
    return rules + [_Rule(re.compile(f"[{CJK_SCRIPT}]+"), _read_url, needs_digits=False)]


def _read_cjk_date(m: re.Match[str], lang: str) -> list | None:
    day, month = int(m["a"]), int(m["b"])
    if not _valid_day_month(day, month):
        return None
    date = (_span(m, "date"), (("date", (day, month)),))
    return [date, (_span(m, "year"), (("number", Decimal(m["year"])),))] if m["year"] else [date]


def _read_cjk_month(m: re.Match[str], lang: str) -> list | None:
    """3月 without a day: a month named alone (see ``extract``), not the number 3."""
    month = int(m["month"])
    return [(_span(m), (("month", month),))] if 1 <= month <= 12 else None


def _read_cjk_scaled(m: re.Match[str], lang: str) -> list:
    """450万, 1億2000万, 3천만: the groups' values added up."""
    scales, total = CJK_SCALES[lang], Decimal(0)
    for digits, marks in re.findall(r"(\d+(?:[.,]\d+)*)\s*([^\d\s]+(?:\s*[^\d\s])?)", m[0]):
        value = _digit_readings(digits, lang)[0][1]
        for mark in marks.replace(" ", ""):
            value *= scales[mark]
        total += value
    return [(_span(m), (("number", total),), {"scaled": True})]


def _read_kanji_number(m: re.Match[str], lang: str) -> list | None:
    """二十五, 两, 三百: a number written in characters, read as ambiguous (see KANJI_DIGITS)."""
    if not any(c in KANJI_DIGITS or c == "十" for c in m[0]):
        return None
    scales = CJK_SCALES[lang] | {"十": 10}
    total = group = digit = Decimal(0)
    for c in m[0]:
        if c in KANJI_DIGITS:
            digit = Decimal(KANJI_DIGITS[c])
        elif scales[c] < 10**4:
            group += (digit or 1) * scales[c]
            digit = Decimal(0)
        else:
            total += (group + digit or 1) * scales[c]
            group = digit = Decimal(0)
    value = total + group + digit
    return [(_span(m), (("number", value),), {"spelled": True, "ambiguous": True})] if value else None


_CUP_ROUND = re.compile(r"(?<![\d/.,])1/(?P<part>2|4|8|16|32)\s+(?:finał\w*|de\s+finale)", re.I)
"""1/8 finału: the round of 16, a stand-in for the teams left (2 x 8); 1/4 finału the quarter-finals."""


def _read_cup_round(m: re.Match[str], lang: str) -> list:
    return []  # masked; ``_standins`` reads it


_LIST_MARKER = re.compile(r"^\s*\(?\d{1,2}[.)](?=\s+\w)")


def _mask(text: str, start: int, end: int) -> str:
    return text[:start] + " " * (end - start) + text[end:]


def _mask_list_marker(text: str, lang: str) -> str:
    """"1. Introduction" and "2) ..." at the start of a segment number the list, not a quantity."""
    m = _LIST_MARKER.match(text)
    if m is None:
        return text
    following = text[m.end():].split(maxsplit=1)[0].lower().rstrip(".,")
    if following in MONTHS.get(lang, ((), {}))[1]:
        return text  # "1. März ..." is a date
    return _mask(text, m.start(), m.end())


def _apply_rules(text: str, lang: str) -> tuple[str, list[Quantity]]:
    """Reads the fixed shapes and blanks them out (same length, so offsets stay valid)."""
    found: list[Quantity] = []
    has_digits = any(c.isdigit() for c in text)
    for rule in _rules(lang):
        if has_digits or not rule.needs_digits:
            text = _apply_rule(rule, text, lang, found)
    return text, found


def _apply_rule(rule: _Rule, text: str, lang: str, found: list[Quantity]) -> str:
    def take(m: re.Match[str]) -> str:
        result = rule.read(m, lang)
        if result is None:
            return m.group(0)
        found.extend(Quantity(written.strip(), readings, start / max(len(text), 1), **dict(*more))
                     for (written, start, _), readings, *more in result)
        return " " * len(m.group(0))

    return rule.pattern.sub(take, text)


# --------------------------------------------------------------------------------------------
# Step 2: lexer and phrase reader for amounts
# --------------------------------------------------------------------------------------------

_NUMBER = (
    r"\d{1,3}(?:(?:[ \u00a0\u202f\u2009]\d{3})+|(?:,\d{3})+|(?:\.\d{3})+|(?:['’]\d{3})+)(?!\d)"
    r"(?:[.,]\d+)?"
    r"|\d+(?:[.,]\d+)?"
)
_TOKEN = re.compile(
    r"(?P<minus>(?<![\w.,/)\]−-])[-−](?=\d))?"  # -15, but not the hyphen of 5-6 or F-16
    rf"(?P<digits>{_NUMBER})(?:(?P<hyphen>[-‑])?(?P<suffix>[^\W\d_]+\.?))?"
    r"|(?P<word>p\.p\.(?!\w)|[^\W\d_]+(?:[-‑][^\W\d_]+)*\.?)"  # p.p., Polish percentage points
    r"|(?P<pct>%)"
    r"|(?P<other>\S)"
)


class _Token(NamedTuple):  # a tuple, not a dataclass: a book has hundreds of thousands
    kind: str  # digits | word | pct | other
    text: str
    start: int
    end: int
    suffix: str = ""  # letters written straight after digits: "k" in 40k
    hyphen: bool = False  # the suffix follows a hyphen: 20-letni
    norm: str = ""  # lower case, without a final dot: the form looked up in the tables
    minus: bool = False  # digits after a minus sign, not after a word or a number ("-15", not "5-6")


def _token(kind: str, text: str, start: int, end: int, suffix: str = "", hyphen: bool = False,
           minus: bool = False) -> _Token:
    return _Token(kind, text, start, end, suffix, hyphen, text.lower().rstrip("."), minus)


def _tokens(text: str, lang: str) -> list[_Token]:
    tokens = []
    for m in _TOKEN.finditer(text):
        if m["digits"]:
            suffix = (m["suffix"] or "").rstrip(".")
            full_stop = m.group(0).endswith(".") and suffix.lower() not in ABBREVIATIONS  # 38C.
            tokens.append(_token("digits", m["digits"], m.start(), m.end() - full_stop, suffix, bool(m["hyphen"]),
                                 bool(m["minus"])))
        elif m["word"] and _is_word_range(m["word"], lang):
            tokens += _split_word(m["word"], m.start())
        elif m["word"] and (head := _compound_head(m["word"], lang)):
            tokens += _split_compound(m["word"], m.start(), head)

        else:
            tokens.append(_token(m.lastgroup or "other", m.group(0), m.start(), m.end()))
    return tokens


def _is_word_range(word: str, lang: str) -> bool:
    """"dwa-trzy", "two-three": two numbers, not one compound like "twenty-five"."""
    if "-" not in word and "‑" not in word:
        return False
    parts = re.split(r"[-‑]", word.lower().rstrip("."))
    return ( _number_word("-".join(parts), lang) is None
            and all(_number_word(p, lang) is not None for p in parts))


def _split_word(word: str, start: int) -> list[_Token]:
    tokens, offset = [], start
    for part in re.split(r"([-‑])", word):
        kind = "other" if part in ("-", "‑") else "word"
        tokens.append(_token(kind, part, offset, offset + len(part)))
        offset += len(part)
    return tokens


# Polish writes "ten-year" and "three-time" solid: a number's stem, then what is counted.
_PL_STEMS = {
    "dwu": 2, "trzy": 3, "cztero": 4, "pięcio": 5, "sześcio": 6, "siedmio": 7, "ośmio": 8,
    "dziewięcio": 9, "dziesięcio": 10, "jedenasto": 11, "dwunasto": 12, "trzynasto": 13,
    "czternasto": 14, "piętnasto": 15, "szesnasto": 16, "siedemnasto": 17, "osiemnasto": 18,
    "dziewiętnasto": 19, "dwudziesto": 20, "trzydziesto": 30, "czterdziesto": 40,
    "pięćdziesięcio": 50, "stu": 100,
}
# ... and only these counted things, so that "dwuznaczny" (ambiguous) or "trzymać" (to hold)
# are no numbers: years, days, weeks, months, hours, minutes, times, people, storeys, per cent,
# kilometres, metres, stars, points, sets, stages, degrees, rooms, tonnes.
_PL_COUNTED = (
    r"(?:letn|dniow|tygodniow|miesięczn|godzinn|minutow|krotn(?!ie$)|osobow|piętrow|procentow|kilometrow|"
    r"metrow|gwiazdkow|punktow|setow|etapow|stopniow|pokojow|tonow)\w*")  # not "dwukrotnie": doubled
_PL_COMPOUND = re.compile(rf"({'|'.join(sorted(_PL_STEMS, key=len, reverse=True))})({_PL_COUNTED})")

COMPOUND_NUMBER_LANGS = frozenset({"en"})
"""Languages whose hyphenated compounds are read for the number they start with ("a three-year
term"). Polish writes them solid ("trzyletni", read as vague); German ones ("Vier-Mann-Expedition")
are left unread: translators drop them freely, and reading them only added low notes on Text+Berg."""


def _compound_head(word: str, lang: str) -> int:
    """How many hyphenated parts at the start of a compound make a number ("three-year",
    "twenty-five-year", "two-million-dollar"); 0 for a number word or a word without one."""
    parts = re.split(r"[-‑]", word.lower().rstrip("."))
    if lang not in COMPOUND_NUMBER_LANGS or len(parts) < 2 or _number_word("-".join(parts), lang):
        return 0
    return next((k for k in range(len(parts) - 1, 0, -1)
                 if _number_word("-".join(parts[:k]), lang) is not None), 0)


def _split_compound(word: str, start: int, head: int) -> list[_Token]:
    """The number, then the other parts as words with no hyphen between, so that a scale word
    goes on with the number (two-million-dollar) and any other word ends it (three-year)."""
    pieces = re.split(r"([-‑])", word)
    tokens, offset = [], start
    for k, part in enumerate(["".join(pieces[:2 * head - 1]), *pieces[2 * head - 1:]]):
        if k % 2 == 0:
            tokens.append(_token("word", part, offset, offset + len(part)))
        offset += len(part)
    return tokens


def _digit_readings(written: str, lang: str) -> tuple[Reading, ...]:
    """'2 500', '2,500', '2.500', '1,5', '17.30' -> readings, the language's usual one first.

    A single separator before exactly three digits is ambiguous (2,500 is 2.5 in Polish and 2500
    in English); both readings are kept, so a format slip is not mistaken for a changed value.
    """
    s = re.sub(r"[\s'’]", "", written)  # spaces and apostrophes only ever group thousands
    seps = {c for c in s if c in ".,"}
    if not seps:
        return (("number", Decimal(s)),)
    if len(seps) == 2:  # 1.234,5 or 1,234.5: the last separator is the decimal one
        decimal_sep = s[max(s.rfind("."), s.rfind(","))]
        group_sep = "," if decimal_sep == "." else "."
        return (("number", Decimal(s.replace(group_sep, "").replace(decimal_sep, "."))),)
    sep = seps.pop()
    head, *tails = s.split(sep)
    if len(tails) > 1:  # 1.000.000
        return (("number", Decimal(s.replace(sep, ""))),)
    tail = tails[0]
    decimal = ("number", Decimal(f"{head}.{tail}"))
    grouped = ("number", Decimal(head + tail))
    local_decimal_sep = "." if lang in DOT_DECIMAL_LANGS else ","
    readings = [decimal]
    if len(tail) == 3 and head != "0":
        readings = [decimal, grouped] if sep == local_decimal_sep else [grouped, decimal]
    if sep == "." and len(tail) == 2 and int(head) <= 23 and int(tail) <= 59:
        time = ("time", (int(head), int(tail)))  # "o 17.30" is a clock time in Polish or German
        readings = readings + [time] if local_decimal_sep == "." else [time] + readings
    return tuple(readings)


def _number_word(word: str, lang: str) -> Decimal | None:
    """The value of a written-out number: dwóch, twenty-five, vingt-cinq, fünfundzwanzig."""
    table = NUMBER_WORDS.get(lang, {})
    if word in table:
        return table[word]
    if lang == "pl" and (solid := _PL_COMPOUND.fullmatch(word)):  # "dziesięcioletni": 10
        return Decimal(_PL_STEMS[solid[1]])
    if "-" not in word and "‑" not in word and not (lang == "de" and "und" in word):
        return None
    parts = re.split(r"[-‑]", word)
    if lang == "de" and len(parts) == 1 and "und" in word:  # fünfundzwanzig = zwanzig + fünf
        parts = word.split("und", 1)[::-1]
        table = table | UNITS_AFTER_JOINER["de"]
    if len(parts) < 2 or any(p not in table for p in parts):
        return None
    total = table[parts[0]]
    for part in parts[1:]:
        if not _adds_to(total, table[part]):
            return None
        total += table[part]
    return total


def _joined_value(tokens: list[_Token], j: int, lang: str) -> Decimal | None:
    """The number after a joining word: "hundred *and fifty*", "vingt *et un*"."""
    if tokens[j].norm != JOINERS.get(lang) or j + 1 >= len(tokens) or tokens[j + 1].kind != "word":
        return None
    word = tokens[j + 1].norm
    return _number_word(word, lang) or UNITS_AFTER_JOINER.get(lang, {}).get(word)


def _adds_to(current: Decimal, value: Decimal) -> bool:
    """Whether a number word continues the one before it: twenty + five, sto + dwadzieścia."""
    return (current >= 10 and current % 10 == 0 and value < 10) or (
        current >= 100 and current % 100 == 0 and value < 100
    )


ABBREVIATIONS = frozenset("tys proc pkt mio mrd tsd proz pct r p.p тыс mill mills".split())
"""Words whose dot belongs to them; any other word's dot is punctuation, left out of the text."""


def _percent_phrase(tokens: list[_Token], i: int, lang: str) -> tuple[int, str | None]:
    """How many tokens from ``i`` say "percent" or "percentage points", and which (0, None if
    neither)."""
    if i < len(tokens) and tokens[i].kind == "pct":
        return 1, PERCENT
    for unit, phrase in PERCENT_PHRASES.get(lang, ()):
        words = tokens[i:i + len(phrase)]
        if len(words) == len(phrase) and all(
            t.kind == "word" and re.fullmatch(p, t.norm) for p, t in zip(phrase, words)
        ):
            return len(phrase), unit
    return 0, None


def _bare_points(tokens: list[_Token], i: int, lang: str) -> bool:
    pattern = BARE_POINTS.get(lang)
    return bool(pattern and i < len(tokens) and tokens[i].kind == "word" and pattern.fullmatch(tokens[i].norm))


@dataclass(frozen=True)
class _Phrase:
    """An amount being read: ``total`` of the completed scales plus the ``current`` group."""

    total: Decimal = Decimal(0)
    current: Decimal = Decimal(0)
    spelled: bool = True
    scaled: bool = False
    last_scale: Decimal = Decimal(0)  # the last scale word of a thousand or more read

    @property
    def value(self) -> Decimal:
        return self.total + self.current

    def plus(self, value: Decimal) -> _Phrase:
        return replace(self, current=self.current + value)

    def times(self, factor: Decimal) -> _Phrase:
        if factor < 1000:  # hundred, dozen: multiply the current group only
            return replace(self, current=(self.current or 1) * factor)
        if self.scaled and factor > self.last_scale:  # mil millones, a thousand million: 10^9
            return replace(self, total=self.value * factor, current=Decimal(0), last_scale=factor)
        return replace(self, total=self.total + (self.current or 1) * factor,
                       current=Decimal(0), scaled=True, last_scale=factor)


@dataclass(frozen=True)
class _Amount:
    """A phrase read from the tokens, with the character span it covers."""

    readings: tuple[Reading, ...]
    start: int
    end: int
    spelled: bool = False
    ambiguous: bool = False
    scaled: bool = False
    ordinal: bool = False
    unit: tuple[str, str] | None = None  # PERCENT or POINTS and the words saying it, part of the phrase
    negative: bool = False

    def quantity(self, text: str) -> Quantity:
        return Quantity(text[self.start:self.end], self.readings, self.start / max(len(text), 1),
                        self.spelled, self.ambiguous, self.scaled, self.ordinal, negative=self.negative)


def _read_words(tokens: list[_Token], j: int, phrase: _Phrase, lang: str) -> tuple[_Phrase, int]:
    """Extends a phrase with following number and scale words: "dwa | tysiące pięćset"."""
    scales = SCALE_WORDS.get(lang, {})
    while j < len(tokens) and tokens[j].kind == "word":
        token, value = tokens[j], _number_word(tokens[j].norm, lang)
        after_scale = phrase.current == 0 and phrase.total > 0  # "tysiące | pięćset"
        continues = after_scale or phrase.spelled and _adds_to(phrase.current, value or 0)
        if value is not None and continues:
            phrase = phrase.plus(value)
        elif token.norm in scales and (phrase.value or scales[token.norm].alone):
            phrase = phrase.times(scales[token.norm].factor)
        elif (joined := _joined_value(tokens, j, lang)) is not None and phrase.spelled \
                and _adds_to(phrase.current, joined):
            phrase, j, token = phrase.plus(joined), j + 1, tokens[j + 1]  # two tokens read
        else:
            break
        j += 1
        if token.text.endswith(".") and token.norm not in scales:
            break  # a full stop ends the sentence, and the phrase
    return phrase, j


def _read_phrase(tokens: list[_Token], i: int, lang: str) -> tuple[_Amount | None, int]:
    """Reads one amount starting at token ``i``; returns it (or None) and the next index."""
    first = tokens[i]
    if (percent := _percent_before(tokens, i, lang)) is not None:
        return percent
    if first.kind == "digits":
        amount, j = _read_digit_phrase(tokens, i, lang)
        return (_negated(amount, amount.start) if amount and first.minus else amount), j
    if first.kind != "word":
        return None, i + 1
    if first.norm in MINUS_WORDS and i + 1 < len(tokens) and not _after_a_number(tokens, i, lang):
        amount, j = _read_phrase(tokens, i + 1, lang)  # minus 2 stopnie
        return (_negated(amount, first.start), j) if amount else (None, i + 1)
    if (clock := CLOCK_NAMES.get(lang, {}).get(first.norm)) is not None:
        end = first.end - first.text.endswith(".")
        return _Amount(clock, first.start, end, spelled=True, ambiguous=True), i + 1
    if (rank := ORDINAL_WORDS.get(lang, {}).get(first.norm)) is not None:
        return _finish(tokens, i, i + 1, _Phrase(current=rank), (), lang, ambiguous=True, ordinal=True)
    value, scale = _number_word(first.norm, lang), SCALE_WORDS.get(lang, {}).get(first.norm)
    if (fraction := _fraction_of_scale(tokens, i, lang)) is not None:
        phrase, j = _read_words(tokens, fraction[1], _Phrase(current=fraction[0]), lang)
    elif value is not None:
        phrase, j = _read_words(tokens, i + 1, _Phrase(current=value), lang)
    elif scale is not None and scale.alone:  # "tysiąc", "a million": one of the scale
        phrase, j = _read_words(tokens, i, _Phrase(), lang)
    else:
        return None, i + 1
    ambiguous = j == i + 1 and first.norm in AMBIGUOUS_WORDS.get(lang, frozenset())
    return _finish(tokens, i, j, phrase, (), lang, ambiguous)


def _percent_before(tokens: list[_Token], i: int, lang: str) -> tuple[_Amount | None, int] | None:
    """"%15", "yüzde 15" where the percent comes first (PERCENT_BEFORE): the percentage read
    from the number after it; None where no number follows."""
    words = PERCENT_BEFORE.get(lang)
    first = tokens[i]
    if not words or not (first.kind == "pct" or first.kind == "word" and first.norm in words):
        return None
    if i + 1 >= len(tokens) or tokens[i + 1].kind not in ("digits", "word") or tokens[i + 1].minus:
        return None
    amount, j = _read_phrase(tokens, i + 1, lang)
    if amount is None or amount.readings[0][0] != "number":
        return None
    readings = tuple(("percent", v) for k, v in amount.readings if k == "number")
    return replace(amount, readings=readings, start=first.start, ambiguous=False,
                   unit=(PERCENT, first.text)), j


def _negated(amount: _Amount, start: int) -> _Amount:
    """The amount below zero, from ``start`` (the minus); a clock time is never negative."""
    if amount.readings[0][0] not in ("number", "percent"):
        return amount
    return replace(amount, start=start, negative=True)


def _after_a_number(tokens: list[_Token], i: int, lang: str) -> bool:
    """'10 minus 2' subtracts and 'plus minus 5' is about five: neither minus is a sign."""
    before = tokens[i - 1] if i else None
    return before is not None and (before.kind == "digits" or before.norm in ("plus", "+", "/", "±")
                                   or _number_word(before.norm, lang) is not None)


def _fraction_of_scale(tokens: list[_Token], i: int, lang: str) -> tuple[Decimal, int] | None:
    """The fraction at ``i`` and the index of the scale word it takes: "pół | miliona", "half a |
    million"; None if no scale word follows."""
    fraction = FRACTION_WORDS.get(lang, {}).get(tokens[i].norm)
    if fraction is None or tokens[i].text.endswith("."):
        return None
    j = i + 1
    while j < len(tokens) and tokens[j].norm in FRACTION_LINKS:
        j += 1
    return (fraction, j) if j < len(tokens) and tokens[j].norm in SCALE_WORDS.get(lang, {}) else None


def _read_digit_phrase(tokens: list[_Token], i: int, lang: str) -> tuple[_Amount | None, int]:
    """40 | 40 tys. | 1,5 mln | 40k | 20-letni | 30-procentowy | 2021r. | 17.30."""
    first, j = tokens[i], i + 1
    readings = _digit_readings(first.text, lang)
    suffix = first.suffix if first.suffix in ATTACHED_PLAIN else first.suffix.lower()
    attached_scales = ATTACHED_SCALES_BY_LANG.get(lang, ATTACHED_SCALES)
    if suffix and not first.hyphen and suffix not in attached_scales.keys() | ATTACHED_PLAIN:
        return None, j  # 5G, 3D: a code written digits first; left out
    if readings[0][0] != "number":  # a clock time such as 17.30
        return _Amount(readings, first.start, first.end), j
    phrase, alternatives = _Phrase(current=readings[0][1], spelled=False), readings[1:]
    if first.hyphen and PERCENT_SUFFIX.fullmatch(suffix):
        return _Amount((("percent", phrase.value),), first.start, first.end, unit=(PERCENT, suffix)), j
    if suffix in attached_scales and not first.hyphen:
        phrase = phrase.times(Decimal(attached_scales[suffix]))
        alternatives = readings[:1] if suffix == "m" else ()  # 3m is 3 million, or 3 metres
    if first.hyphen and (scale := SCALE_WORDS.get(lang, {}).get(suffix)):  # a 50-billion-euro fund
        phrase, alternatives = phrase.times(scale.factor), ()
    if suffix == "s" and re.fullmatch(r"\d{3}0", first.text):  # the 1990s, also "lata 90."
        alternatives += (("number", phrase.value % 100),)
    if not suffix:
        phrase, j = _read_words(tokens, j, phrase, lang)  # "40 tys.", "1,5 mln", "2 tysiące"
        alternatives = () if phrase.scaled else alternatives
    return _finish(tokens, i, j, phrase, alternatives, lang, ambiguous=False, ordinal=suffix in ORDINAL_SUFFIXES)


def _finish(tokens: list[_Token], i: int, j: int, phrase: _Phrase,
            alternatives: tuple[Reading, ...], lang: str, ambiguous: bool, ordinal: bool = False) -> tuple[_Amount, int]:
    """Adds a following percent word or sign and wraps the phrase tokens[i:j] up.

    ``alternatives`` are other readings of the digits (2,500 may be 2.5); they take the percent
    too, except a clock-time reading.
    """
    kind, (n, unit_id) = "number", _percent_phrase(tokens, j, lang)
    if n:
        kind, ambiguous = "percent", False  # "one percentage point" is a number
    readings = tuple((kind if k == "number" else k, v)
                     for k, v in (("number", phrase.value), *alternatives))
    if not n and _bare_points(tokens, j, lang):
        readings, unit_id, n = readings + (("percent", phrase.value),), POINTS, 1
    unit = (unit_id, " ".join(t.text for t in tokens[j:j + n])) if unit_id else None
    j += n
    last = tokens[j - 1]
    end = last.end - (last.text.endswith(".") and last.norm not in ABBREVIATIONS)  # a full stop
    return _Amount(readings, tokens[i].start, end, phrase.spelled, ambiguous, phrase.scaled, ordinal, unit), j


def _is_vague(token: _Token, lang: str) -> bool:
    if token.kind != "word":
        return False
    word = token.norm
    scale = SCALE_WORDS.get(lang, {}).get(word)
    pattern = VAGUE_PATTERN.get(lang)
    return (
        word in VAGUE_WORDS.get(lang, frozenset())
        or (scale is not None and not scale.alone)  # "thousands of", "miliony ludzi"
        or bool(pattern and pattern.fullmatch(word) and not (lang == "pl" and _PL_COMPOUND.fullmatch(word)))
        or _is_roman_word(token.text)
    )


def _is_roman_word(text: str) -> bool:
    """XX, IV: a Roman numeral (not "I", mostly the English pronoun)."""
    return text[0] in "IVXLC" and len(text) > 1 and bool(ROMAN_NUMERAL.fullmatch(text.rstrip(".")))


def _read_amounts(original: str, masked: str, lang: str) -> tuple[list[Quantity], list[str]]:
    """The amounts in the masked text (written as in the original), and its vague words."""
    tokens, amounts, vague, i = _tokens(masked, lang), [], [], 0
    while i < len(tokens):
        amount, next_i = _read_phrase(tokens, i, lang)
        if amount is not None:
            amounts.append(amount)
        elif _is_vague(tokens[i], lang):
            vague.append(tokens[i].text)
        i = next_i
    spread = _spread_percent_over_ranges(amounts, original)
    quantities = [replace(a.quantity(original), unit=_unit_of(a, original, lang)) for a in spread]
    for k in range(1, len(spread)):
        if _is_conversion(quantities[k - 1], quantities[k], original[spread[k - 1].end:spread[k].start]):
            quantities[k] = replace(quantities[k], conversion=True)
    return quantities, vague


_CONVERSION_GAP = re.compile(r"[^()\d]{0,25}\([^()\d]{0,25}")  # " zł (ok. ", " (about €"


def _is_conversion(before: Quantity, q: Quantity, gap: str) -> bool:
    """"PLN 10,000 (about €2,300)", "10 tys. zł (ok. 2,3 tys. euro)": an amount in brackets in
    another currency than the one just before it, a note for the reader of the translation."""
    money = [u[0] for u in (before.unit, q.unit) if u and u[0].startswith("money:")]
    return len(money) == 2 and money[0] != money[1] and bool(_CONVERSION_GAP.fullmatch(gap))


def _unit_of(a: _Amount, text: str, lang: str) -> tuple[str, str] | None:
    """The percent or points the phrase says, else the unit written by it."""
    return a.unit or _unit_by(text, a.start, a.end, lang)


def _unit_by(text: str, start: int, end: int, lang: str) -> tuple[str, str] | None:
    """The unit written after the amount ``text[start:end]``, or a symbol or code before it."""
    table = UNIT_WORDS.get(lang)
    if not table:
        return None
    after = _UNIT_AFTER.match(text, end)
    if after and after[2] and (unit := table.get((after[1] + after[2]).lower())):
        return unit, after[1] + after[2]  # km/h, m/s; "zł/mkw." is zł
    if after:
        word = after[1].lower()
        unit = table.get(word) or (table.get(lemma(word, lang)) if len(word) > 2 else None)
        if unit:
            return unit, after[1]
    before = _UNIT_BEFORE.search(text, 0, start)
    if before and (unit := table.get(before[1].lower())):
        return unit, before[1]
    return None


def _spread_percent_over_ranges(amounts: list[_Amount], text: str) -> list[_Amount]:
    """In "30-40%" the 30 is a percentage too."""
    spread = list(amounts)
    for k, (a, b) in enumerate(zip(amounts, amounts[1:])):
        if a.readings[0][0] == "number" and b.readings[0][0] == "percent" \
                and text[a.end:b.start].strip() in ("-", "–", "‑"):
            spread[k] = replace(a, readings=(("percent", a.readings[0][1]),), unit=b.unit)
    return spread


# --------------------------------------------------------------------------------------------
# Extraction
# --------------------------------------------------------------------------------------------


def extract(text: str, lang: str) -> Extraction:
    """All quantities in one text, in order of appearance."""
    lang = base_lang(lang)
    # full-width digits (１２) are digits; characters are replaced one for one, so that
    # positions do not move
    if _FULLWIDTH_ANY.search(text):
        text = _FULLWIDTH_SEPARATOR.sub(lambda m: chr(ord(m[0]) - 0xFEE0), text.translate(_FULLWIDTH))
    # "1 ½" is 1.5 (read in place, as long as the text: positions must not move)
    halved = _HALF.sub(".5" if lang in DOT_DECIMAL_LANGS else ",5", text)
    unlisted = _mask_list_marker(halved, lang)
    masked, fixed = _apply_rules(unlisted, lang)
    amounts, vague = _read_amounts(text, masked, lang)
    months = [q for q in fixed if q.kind in ("month", "weekday")]  # 3月 (CJK rules)
    fixed = [q for q in fixed if q.kind not in ("month", "weekday")]
    sign = SIGN_WORDS.get(lang)
    return Extraction(tuple(sorted(fixed + amounts, key=lambda q: q.position)), tuple(vague),
                      tuple(_standins(text, unlisted != halved, masked, lang)),
                      tuple(months + _calendar_words(text, masked, lang)),
                      tuple(m[0] for m in sign.finditer(text)) if sign else (),
                      lang in SCALE_WORDS or lang in CJK_LANGS)


_HALF = re.compile(r"(?<=\d)[ \u00a0]½")
_ROMAN_WORD = re.compile(r"(?<![\w.-])[IVXLC]{1,7}(?![\w-])")
_SPACED_CODE = re.compile(r"(?<![\w-])([A-Z]{1,3}) (\d{1,3})(?![\d.,]\d|\w)")  # K 2 for K2
_GERMAN_THOUSANDER = re.compile(r"(?<!\w)(\w+?)tausender", re.I)  # Siebentausender: a 7000 m peak


def _standins(text: str, listed: bool, masked: str, lang: str) -> list[Quantity]:
    """Numbers that may stand in for one on the other side: the list marker that
    ``_mask_list_marker`` took out; the Roman numerals no rule read (a century is read already;
    English "I" is the pronoun); the number inside a code (K2 for the "2" of "K 2") and a code
    written with a space; a German "Siebentausender", a peak of 7000 m; a cup round written as a
    fraction of the final ("1/8 finału", the last 16)."""
    found = []

    def add(written: str, reading: Reading, start: int) -> None:
        found.append(Quantity(written, (reading,), start / max(len(text), 1)))

    if listed:
        marker = _LIST_MARKER.match(text)[0]
        add(marker.strip(), ("number", Decimal(re.search(r"\d+", marker)[0])), 0)
    for m in _ROMAN_WORD.finditer(masked):
        if ROMAN_NUMERAL.fullmatch(m[0]) and not (lang == "en" and m[0] == "I"):
            add(m[0], ("number", Decimal(_roman_value(m[0]))), m.start())
    for m in _CUP_ROUND.finditer(text):
        add(m[0], ("number", Decimal(2 * int(m["part"]))), m.start())
    for m in _SPACED_CODE.finditer(text):
        add(m[0], ("code", m[1] + m[2]), m.start())
    for m in re.finditer(r"(?<![\w-])[A-Z]{1,3}-?(\d{1,3})(?![\w.,]\d|\w)", text):
        add(m[0], ("number", Decimal(m[1])), m.start())
    if lang == "de":
        for m in _GERMAN_THOUSANDER.finditer(text):
            value = NUMBER_WORDS["de"].get(m[1].lower())
            if value is not None:
                add(m[0], ("number", value * 1000), m.start())
    return found


def _calendar_words(text: str, masked: str, lang: str) -> list[Quantity]:
    """Month and weekday names the date rules left (``masked``). English and German write them
    with a capital, and in lower case they are other words ('may', 'march')."""
    table = CALENDAR_WORDS.get(lang)
    if not table:
        return []
    found = []
    for m in _CALENDAR_WORD.finditer(masked):
        reading = table.get(m[0].lower())
        if reading and (lang not in CAPITALISED_CALENDAR or m[0][0].isupper()):
            found.append(Quantity(m[0], (reading,), m.start() / max(len(text), 1)))
    return found


def extract_segments(texts: Sequence[str], lang: str) -> Extraction:
    """The quantities of a bead side made of several segments; positions run 0..1 over all."""
    quantities: list[Quantity] = []
    vague: list[str] = []
    standins: list[Quantity] = []
    calendar: list[Quantity] = []
    sign_words: list[str] = []
    reads_scales = True
    for n, text in enumerate(texts):
        found = extract(text, lang)
        reads_scales = found.reads_scales
        quantities += [replace(q, position=(n + q.position) / len(texts)) for q in found.quantities]
        vague += found.vague
        standins += found.standins
        calendar += [replace(q, position=(n + q.position) / len(texts)) for q in found.calendar]
        sign_words += found.sign_words
    return Extraction(tuple(quantities), tuple(vague), tuple(standins), tuple(calendar), tuple(sign_words),
                      reads_scales)


def base_lang(lang: str) -> str:
    """'pl-PL' -> 'pl'."""
    return re.split(r"[-_]", lang.strip().lower())[0]


# --------------------------------------------------------------------------------------------
# Comparison
# --------------------------------------------------------------------------------------------

_FAMILY = {  # leftovers of one family may be the same value changed
    "number": "amount", "percent": "amount", "time": "amount", "date": "date", "code": "code",
    "month": "month", "weekday": "weekday",
}


def _loose_value(reading: Reading) -> Any:
    """What a reading amounts to once its kind is set aside: 30% ~ 30, 17:00 ~ 17, 31.03 ~ 31."""
    kind, value = reading
    if kind == "time":
        return value[0] if value[1] == 0 else None
    if kind == "date":
        return value[0]
    return value if kind in ("number", "percent") else None


def _repeated_year(q: Quantity, other: Extraction) -> bool:
    """A year the other side writes too, once less often: a translator often repeats the year
    with each date (le 23 mai 1956 ... le 24 mai 1956 for am 23. Mai ... am 24. Mai 1956)."""
    kind, value = q.readings[0]
    is_year = kind == "number" and re.fullmatch(r"\d{4}", q.text) and 1000 <= value <= 2100
    return bool(is_year) and any(_same_primary(q, o) for o in other.quantities)


def _same_rank(s: Quantity, t: Quantity) -> bool:
    """Two ranks of one value (zweiten / 2e): matched before "deux" can take the rank's place."""
    return s.ordinal and t.ordinal and s.readings[0] == t.readings[0]


def _same_primary(s: Quantity, t: Quantity) -> bool:
    return s.readings[0] == t.readings[0]


def _share_reading(s: Quantity, t: Quantity) -> bool:
    return bool(set(s.readings) & set(t.readings))


def _same_loosely(s: Quantity, t: Quantity) -> bool:
    """Equal once the kind is ignored, between different kinds only (31 March is not 31 May); a
    date only with a bare day (a 12 January is no 12 o'clock)."""
    if "date" in (s.kind, t.kind) and "number" not in (s.kind, t.kind):
        return False
    return s.kind != t.kind and any(
        _loose_value(a) is not None and _loose_value(a) == _loose_value(b)
        for a in s.readings for b in t.readings
    )


def _months(q: Quantity) -> set[int]:
    return {value[1] for kind, value in q.readings if kind == "date"} | {
        value for kind, value in q.readings if kind == "month"}


def _months_named(e: Extraction) -> set[int]:
    """The months a side names, alone or in a date."""
    return set().union(*map(_months, e.calendar + e.quantities))


def _same_loosely_in(src: Extraction, tgt: Extraction) -> Callable[[Quantity, Quantity], bool]:
    """``_same_loosely``, where a bare day is a date's day only if its own side names that month
    or none: "5-6 listopada" is not "December 5-6", however the days are written."""
    src_months, tgt_months = _months_named(src), _months_named(tgt)

    def same(s: Quantity, t: Quantity) -> bool:
        if t.kind == "date" and src_months and not _months(t) & src_months:
            return False
        if s.kind == "date" and tgt_months and not _months(s) & tgt_months:
            return False
        return _same_loosely(s, t)

    return same


def _match(src: list[Quantity], tgt: list[Quantity], same: Callable[[Quantity, Quantity], bool]
           ) -> tuple[list[tuple[Quantity, Quantity]], list[Quantity], list[Quantity]]:
    """Greedy one-to-one matching; returns the pairs and what is left on each side."""
    pairs, tgt_left = [], list(tgt)
    src_left = []
    for s in src:
        t = next((t for t in tgt_left if same(s, t)), None)
        if t is None:
            src_left.append(s)
        else:
            pairs.append((s, t))
            tgt_left.remove(t)
    return pairs, src_left, tgt_left


def _pair_by_place(src: list[Quantity], tgt: list[Quantity]
                   ) -> tuple[list[tuple[Quantity, Quantity]], list[Quantity], list[Quantity]]:
    """Pairs leftovers of the same family that sit nearest each other: a changed value."""
    candidates = sorted(
        (abs(s.position - t.position), i, j)
        for i, s in enumerate(src) for j, t in enumerate(tgt) if _comparable(s, t)
    )
    paired: dict[int, int] = {}  # source index -> target index
    for _, i, j in candidates:
        if i not in paired and j not in paired.values():
            paired[i] = j
    return ([(src[i], tgt[j]) for i, j in paired.items()],
            [q for i, q in enumerate(src) if i not in paired],
            [q for j, q in enumerate(tgt) if j not in paired.values()])


def _comparable(s: Quantity, t: Quantity) -> bool:
    """Whether two leftovers may be one value changed: same family, codes with the same letters,
    amounts of one order of magnitude or the same digits at another scale (1,5 mln / 1.5
    thousand). An 8848 left over beside a "deux" is a number dropped and another added."""
    if _FAMILY[s.kind] != _FAMILY[t.kind]:
        return False
    if s.kind == "code":
        return re.match(r"\D*", s.value)[0] == re.match(r"\D*", t.value)[0]
    if (s.kind == "time") != (t.kind == "time"):
        return _may_be_an_hour(t if s.kind == "time" else s)  # 23.40 was never the year 2022
    a, b = abs(_loose_value(s.readings[0]) or 0), abs(_loose_value(t.readings[0]) or 0)
    if not (isinstance(a, Decimal) and isinstance(b, Decimal) and a and b):
        return True
    return max(a, b) / min(a, b) <= MAX_CHANGE_RATIO or _mantissa(a) == _mantissa(b)


MAX_CHANGE_RATIO = 100


def _may_be_an_hour(q: Quantity) -> bool:
    return q.kind == "number" and 0 <= q.value <= 24  # "o 23" for "11:40 pm"


def _mantissa(value: Decimal) -> Decimal:
    return value.scaleb(-value.adjusted()).normalize()


def _changed_severity(s: Quantity, t: Quantity, unclear: bool) -> Severity:
    if s.kind == "code":
        return Severity.MEDIUM  # F-16 vs F-35: a name, which a translator may have reason to change
    if (s.spelled or t.spelled) and unclear:
        return Severity.LOW
    return Severity.HIGH


def _one_sided_severity(q: Quantity, other_side_vague: bool) -> Severity | None:
    if q.kind == "code" or q.conversion:
        return Severity.LOW
    if q.spelled:
        return None if other_side_vague else Severity.LOW
    return Severity.LOW if other_side_vague else Severity.MEDIUM


def compare(src: Extraction, tgt: Extraction) -> list[Finding]:
    """The differences between two sides' quantities, in the order they appear in the source."""
    src_left, tgt_left = list(src.quantities), list(tgt.quantities)
    matched = []
    for same in (_same_rank, _same_primary, _share_reading):
        pairs, src_left, tgt_left = _match(src_left, tgt_left, same)
        matched += pairs
    loose, src_left, tgt_left = _match(src_left, tgt_left, _same_loosely_in(src, tgt))
    _, src_left, _ = _match(src_left, list(tgt.standins), _share_reading)  # last: the weakest evidence
    _, tgt_left, _ = _match(tgt_left, list(src.standins), _share_reading)
    findings = [Finding(Severity.LOW, "percent_sign", s, t) for s, t in loose
                if (s.kind == "percent") != (t.kind == "percent")]

    # a year repeated with each date (see _repeated_year) is not a value changed either
    src_left = [q for q in src_left if not q.ambiguous and not _repeated_year(q, tgt)]
    tgt_left = [q for q in tgt_left if not q.ambiguous and not _repeated_year(q, src)]
    changed, dropped, added = _pair_by_place(src_left, tgt_left)
    changed = [(s, t) for s, t in changed if not _converted(s, t)  # zwei Wochen / quinze jours
               and not _scale_unread(s, t, src, tgt)]
    # a vague word may be what a spelled-out number was translated as; a Roman numeral ("Jan
    # Paweł II", "II stopnia") names a thing and says nothing of why 6 became "seven"
    unclear = any(not _is_roman_word(word) for word in src.vague + tgt.vague)
    findings += [Finding(_changed_severity(s, t, unclear), "changed", s, t) for s, t in changed]
    findings += [Finding(sev, "dropped", q, None) for q in dropped
                 if (sev := _one_sided_severity(q, bool(tgt.vague))) is not None]
    findings += [Finding(sev, "added", None, q) for q in added
                 if (sev := _one_sided_severity(q, bool(src.vague))) is not None]
    findings += _calendar_changes(src, tgt)
    findings += [Finding(Severity.HIGH, "unit", s, t) for s, t in matched if _other_unit(s, t)]
    findings += [Finding(Severity.MEDIUM, "sign", s, t) for s, t in matched if _sign_flipped(s, t, src, tgt)]
    return sorted(_once_per_range(findings), key=lambda f: (f.src or f.tgt).position)


def _scale_unread(s: Quantity, t: Quantity, src: Extraction, tgt: Extraction) -> bool:
    """"4,5" for "4.5 million" where the side without the scale is in a language whose scale
    words are not read (no SCALE_WORDS): the same digits, and most likely the same amount."""
    if s.scaled == t.scaled or not s.kind == t.kind == "number" or not (s.value and t.value):
        return False
    unscaled = tgt if s.scaled else src
    return not unscaled.reads_scales and _mantissa(abs(s.value)) == _mantissa(abs(t.value))


def _sign_flipped(s: Quantity, t: Quantity, src: Extraction, tgt: Extraction) -> bool:
    """-15 on one side, 15 on the other: a minus lost or added. Only for numbers (a percentage's
    sign is mostly said in words, "fell 2.5%"), and not where the side without the minus has a
    word that may say it (SIGN_WORDS: "15 stopni mrozu", "a deficit of")."""
    if s.negative == t.negative or not s.kind == t.kind == "number":
        return False
    return not (tgt if s.negative else src).sign_words


def _once_per_range(findings: list[Finding]) -> list[Finding]:
    """One finding for the two days of a range ("5-6 listopada" / "December 5-6"): both days are
    read from the same words, and the message quotes them whole."""
    seen, kept = set(), []
    for f in findings:
        key = tuple((q.text, q.position) if q and q.days else q and id(q) for q in (f.src, f.tgt))
        if key not in seen:
            seen.add(key)
            kept.append(f)
    return kept


# How many of the first unit of its kind each unit is worth: a value given in another unit that
# comes to about the same amount is a conversion (8848 m / 29 029 ft), not an error. The French
# say "quinze jours" for two weeks and "huit jours" for one, hence the margin.
UNIT_FACTORS = {
    "length:m": 1, "length:km": 1000, "length:ft": 0.3048, "length:mi": 1609.344, "mass:kg": 1, "mass:t": 1000,
    "time:s": 1, "time:min": 60, "time:h": 3600, "time:d": 86400, "time:wk": 604800, "time:mo": 2629800,
    "time:y": 31557600, "speed:kmh": 1, "speed:mph": 1.609344, "speed:ms": 3.6, "speed:kn": 1.852,
    "length:mm": 0.001, "length:cm": 0.01, "length:um": 1e-6, "area:km2": 1e6, "area:m2": 1, "area:ha": 1e4,
    "volume:l": 1, "volume:m3": 1000,
}
CONVERSION_MARGIN = 0.15


def _two_units(s: Quantity, t: Quantity) -> bool:
    """Each written with a unit, two different units of one kind (length, money, time...). A
    unit on one side only says nothing: a translator writes it once for a list of numbers."""
    return bool(s.unit and t.unit) and s.unit[0] != t.unit[0] and s.unit[0].split(":")[0] == t.unit[0].split(":")[0]


def _other_unit(s: Quantity, t: Quantity) -> bool:
    return _two_units(s, t) and not _converted(s, t)


def _converted(s: Quantity, t: Quantity) -> bool:
    """Two units of one kind, amounts that come to about the same: a conversion (money has no
    rate here; one unit is never one: 6100 m / 6200 m is a value changed)."""
    if not (_two_units(s, t) and s.unit[0] in UNIT_FACTORS and t.unit[0] in UNIT_FACTORS):
        return False
    if s.kind != "number" or t.kind != "number":
        return False
    a, b = float(s.value) * UNIT_FACTORS[s.unit[0]], float(t.value) * UNIT_FACTORS[t.unit[0]]
    return abs(a - b) <= CONVERSION_MARGIN * max(abs(a), abs(b))


def _calendar_changes(src: Extraction, tgt: Extraction) -> list[Finding]:
    """A month or weekday named on each side, and neither named on the other side, alone or
    in a date: 'w lipcu' -> 'in September'. One named on one side only is a translator's choice
    ('am 3. Juli' -> 'le 3', the month said the sentence before), so it is never reported."""
    named = lambda e: {q.readings[0] for q in e.calendar} | {  # noqa: E731
        ("month", q.value[1]) for q in e.quantities if q.kind == "date"}
    src_named, tgt_named = named(src), named(tgt)
    src_left = [q for q in src.calendar if q.readings[0] not in tgt_named]
    tgt_left = [q for q in tgt.calendar if q.readings[0] not in src_named]
    changed, _, _ = _pair_by_place(src_left, tgt_left)
    return [Finding(Severity.MEDIUM, "changed", s, t) for s, t in changed]


# --------------------------------------------------------------------------------------------
# Rendering a value the way the target language writes it
# --------------------------------------------------------------------------------------------

NUMBER_STYLE = {  # decimal separator, group separator, shortest integer that gets grouped
    "en": (".", ",", 4), "pl": (",", " ", 5), "de": (",", ".", 4), "fr": (",", " ", 4),
    "es": (",", ".", 5), "it": (",", ".", 4), "pt": (",", ".", 4), "nl": (",", ".", 4),
    "ru": (",", " ", 5), "tr": (",", ".", 4),
}
SCALE_STYLE = {
    "en": ((10**12, "trillion"), (10**9, "billion"), (10**6, "million"), (10**3, "thousand")),
    "pl": ((10**12, "bln"), (10**9, "mld"), (10**6, "mln"), (10**3, "tys.")),
    "de": ((10**9, "Mrd."), (10**6, "Mio.")),
    "fr": ((10**9, "milliards"), (10**6, "millions")),
    "es": ((10**9, "mil millones"), (10**6, "millones")),
    "it": ((10**9, "miliardi"), (10**6, "milioni")),
    "pt": ((10**6, "milhões"),),  # bilhão is 10^9 in Brazil, bilião 10^12 in Portugal
    "nl": ((10**9, "miljard"), (10**6, "miljoen")),
    "ru": ((10**9, "млрд"), (10**6, "млн")),
    "tr": ((10**9, "milyar"), (10**6, "milyon")),
    "ja": ((10**8, "億"), (10**4, "万")),
    "zh": ((10**8, "亿"), (10**4, "万")),
    "ko": ((10**8, "억"), (10**4, "만")),
}
SCALE_SINGULAR = {"es": {"millones": "millón"}, "it": {"milioni": "milione", "miliardi": "miliardo"},
                  "pt": {"milhões": "milhão"}}
"""The word for exactly one of a scale: 1 millón, 1,5 millones."""
PERCENT_STYLE = {"en": "{}%", "pl": "{} proc.", "de": "{} %", "fr": "{} %", "es": "{} %", "it": "{}%",
                 "pt": "{}%", "nl": "{} procent", "ru": "{}%", "tr": "%{}"}
POINTS_STYLE = {"en": "{} percentage points", "pl": "{} pkt proc.", "de": "{} Prozentpunkte",
                "fr": "{} points de pourcentage"}
DATE_STYLE = {"en": "{d} {month}", "pl": "{d} {month}", "de": "{d}. {month}", "fr": "{d} {month}"}


def format_number(value: Decimal, lang: str) -> str:
    default = NUMBER_STYLE["en"] if lang in DOT_DECIMAL_LANGS else (",", " ", 5)
    decimal_sep, group_sep, min_grouped = NUMBER_STYLE.get(lang, default)
    integer, _, fraction = f"{value.normalize():f}".partition(".")
    if len(integer) >= min_grouped:
        integer = f"{int(integer):,}".replace(",", group_sep)
    return integer + (decimal_sep + fraction if fraction else "")


def _format_amount(value: Decimal, lang: str, scaled: bool) -> str:
    for factor, word in SCALE_STYLE.get(lang, ()) if scaled else ():
        mantissa = value / factor
        if mantissa >= 1 and mantissa == round(mantissa, 3):
            if lang == "fr" and mantissa < 2:
                word = word.rstrip("s")  # 1,5 million, 2 millions
            if mantissa == 1:
                word = SCALE_SINGULAR.get(lang, {}).get(word, word)
            space = "" if lang in CJK_LANGS else " "  # 450万
            return f"{format_number(mantissa, lang)}{space}{word}"
    return format_number(value, lang)


def _render_percent(value: Decimal, unit: str | None, lang: str) -> str:
    style = POINTS_STYLE.get(lang, "{} pp") if unit == POINTS else PERCENT_STYLE.get(lang, "{}%")
    return style.format(format_number(value, lang))


def _render_amount(q: Quantity, lang: str) -> str:
    kind, value = q.readings[0]
    if kind == "number":
        return _format_amount(value, lang, q.scaled)
    return _render_percent(value, q.unit and q.unit[0], lang)


def render(q: Quantity, lang: str) -> str:
    """How ``q`` is written in ``lang``: 30% / 30 proc., 31 March / 31 marca, 1.5 million."""
    kind, value = q.readings[0]
    if kind == "number" and re.match(r"\d{4}(?![\d.,\s]*\d)", q.text):
        return q.text[:4]  # a year, written without a group separator in every language
    if kind in ("number", "percent"):
        return "-" * q.negative + _render_amount(q, lang)
    if kind == "date":
        day, month = value
        if lang not in MONTHS:
            return f"{day:02d}.{month:02d}."
        days = "{}-{}".format(*q.days) if q.days else day  # 5-6 November
        return DATE_STYLE[lang].format(d=days, month=MONTHS[lang][0][month - 1])
    if kind == "time":
        return f"{value[0]}:{value[1]:02d}"
    if kind == "month" and lang in MONTHS:
        return MONTHS[lang][0][value - 1]
    if kind == "weekday" and lang in CALENDAR_WORDS:
        name = next(form for form, reading in CALENDAR_WORDS[lang].items() if reading == (kind, value))
        return name.capitalize() if lang in CAPITALISED_CALENDAR else name
    return q.text


# --------------------------------------------------------------------------------------------
# Issues
# --------------------------------------------------------------------------------------------


def _as_written(q: Quantity, lang: str) -> str:
    """'30 proc. (30%)': as written, plus the target rendering when the formats differ."""
    rendered = render(q, lang)
    same = re.sub(r"\s", "", rendered.lower()) == re.sub(r"\s", "", q.text.lower())
    return q.text if same else f"{q.text} ({rendered})"


def _listing(extraction: Extraction) -> str:
    return ", ".join(q.text for q in extraction.quantities) or "no numbers"


def _describe(f: Finding, src: Extraction, tgt: Extraction, tgt_lang: str
              ) -> tuple[str, tuple[str, ...], str | None]:
    """Message, evidence and suggestion for one finding."""
    s, t = f.src, f.tgt
    if f.reason == "changed":
        suggestion = s.text if s.kind == "code" else render(s, tgt_lang)
        return (f"The original says {_as_written(s, tgt_lang)}; the translation says {t.text}.",
                (f"original: {s.text}", f"translation: {t.text}"), suggestion)
    if f.reason == "unit":
        original, translation = _with_unit(s), _with_unit(t)
        return (f"The original says {original}; the translation says {translation}, another unit.",
                (f"original: {original}", f"translation: {translation}"), _in_unit_of(t, s, tgt_lang))
    if f.reason == "sign":
        return (f"The original says {_as_written(s, tgt_lang)}; the translation says {t.text}, "
                f"{'without the minus' if s.negative else 'with a minus'}.",
                (f"original: {s.text}", f"translation: {t.text}"), render(s, tgt_lang))
    if f.reason == "percent_sign":
        if s.kind == "percent":
            message = (f"The original says {_as_written(s, tgt_lang)}, a percentage; the "
                       f"translation says {t.text} without the percent sign.")
        else:
            message = (f"The translation says {t.text}, a percentage; the original says "
                       f"{s.text} without the percent sign.")
        return message, (f"original: {s.text}", f"translation: {t.text}"), render(s, tgt_lang)
    if f.reason == "dropped":
        return (f"The original says {_as_written(s, tgt_lang)}, but the translation has no "
                f"matching {_noun(s)}.", (f"original: {s.text}", f"translation: {_listing(tgt)}"),
                render(s, tgt_lang))
    return (f"The translation says {t.text}, but the original has no matching {_noun(t)}.",
            (f"original: {_listing(src)}", f"translation: {t.text}"), None)


def _with_unit(q: Quantity) -> str:
    return q.text if q.unit[0] in (PERCENT, POINTS) else f"{q.text} {q.unit[1]}"  # 0,2 pkt proc. says it


def _in_unit_of(t: Quantity, s: Quantity, lang: str) -> str | None:
    """The translation's value in the original's unit: the suggestion for a unit finding."""
    if s.unit[0] in (PERCENT, POINTS):
        return _render_percent(t.value, s.unit[0], lang)
    unit = _unit_name(s.unit[0], lang, plural=s.value != 1)
    return f"{t.text} {unit}" if unit else None


def _unit_name(unit: str, lang: str, plural: bool) -> str | None:
    """The first form the unit tables give ``unit`` in ``lang`` (the symbol for money), its plural
    in -s where the tables have one (days)."""
    forms = [form for form, u in UNIT_WORDS.get(lang, {}).items() if u == unit]
    if not forms:
        return None
    return forms[0] + "s" if plural and forms[0] + "s" in forms else forms[0]


def _noun(q: Quantity) -> str:
    return "name or code" if q.kind == "code" else "number"


def check(ctx: CheckContext) -> list[Issue]:
    """Flags numbers, amounts, percentages, dates and times that differ within aligned pairs."""
    src_lang, tgt_lang = base_lang(ctx.source.lang), base_lang(ctx.target.lang)
    issues = []
    for bead in ctx.beads:
        if not bead.src or not bead.tgt:
            continue  # an unpaired segment is the coverage checker's concern
        src = extract_segments([ctx.source.segments[i].text for i in bead.src], src_lang)
        tgt = extract_segments([ctx.target.segments[j].text for j in bead.tgt], tgt_lang)
        issues += [_issue(bead, f, src, tgt, tgt_lang) for f in compare(src, tgt)]
    return issues


def _issue(bead: Bead, f: Finding, src: Extraction, tgt: Extraction, tgt_lang: str) -> Issue:
    message, evidence, suggestion = _describe(f, src, tgt, tgt_lang)
    return Issue(kind="number_mismatch", severity=f.severity, src=bead.src, tgt=bead.tgt,
                 message=message, evidence=evidence, suggestion=suggestion)
