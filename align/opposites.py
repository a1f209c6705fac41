"""Words of opposite sense across languages: a translation that says 'south' where its source says
'północ' (north), 'last' for 'erste', 'civilian' for 'wojskowy'.

A sentence encoder places a word and its opposite close together (they share every context but
one), so an antonym swap keeps a pair's similarity high and hides from the encoder views of
``align.checks.meaning``. A small hand-made table of oppositions catches it instead: the source
holds one sense of an opposition and not the other, and the translation holds the other and not
the first. Requiring both sides to be one-sided keeps it quiet where a sentence names both poles
('from north to south') or a translator restructures around them.

One opposition a line, the four languages' cells separated by ``|``, the two senses of each cell
by ``/``. A form is a lemma as ``align.lexicon.lemma`` gives it (or the lower-case word, for words
it does not know). Marks:

- ``nord-``: also the first part of a compound (``Nordwand``, ``Südostgrat``); German only;
- ``left*``: a label, never matched (English 'left' is also the past of 'leave').

A form also matches as one part of a hyphenated word (``nord-est``), and a form with an
apostrophe as written (``l'est``, ``l'été``): French 'est' and 'été' alone are forms of 'être'.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from align.lexicon import Span, base_lang

LANGS = ("en", "pl", "de", "fr")

_TABLE = """
north northern northward / south southern southward | północ północny / południe południowy | norden nord- nördlich / süden süd- südlich | nord septentrional / sud méridional
east eastern eastward / west western westward | wschód wschodni / zachód zachodni | osten ost- östlich / westen west- westlich | est l'est oriental / ouest occidental
left* / right* | lewy lewica lewicowy / prawy prawica prawicowy | links link linke linker / rechts | gauche / droite
first / last final | pierwszy / ostatni | erst erste erster / letzt letzte letzter | premier / dernier
new / old | nowy / stary | neu / alt | nouveau neuf / ancien vieux
young / old elderly | młody / stary | jung / alt | jeune / vieux âgé
big large huge / small tiny | duży wielki ogromny / mały niewielki drobny | groß gross riesig / klein winzig | grand gros énorme / petit minuscule
long lengthy / short brief | długi / krótki | lang / kurz | long / court bref
high tall / low | wysoki / niski | hoch / niedrig | haut élevé / bas basse
wide broad / narrow | szeroki / wąski | breit / schmal eng | large / étroit
heavy / light* | ciężki / lekki | schwer / leicht | lourd / léger
easy / difficult hard | łatwy / trudny | leicht einfach / schwer schwierig | facile aisé / difficile dur pénible
fast quick rapid / slow | szybki szybko / powolny wolno | schnell rasch / langsam | rapide vite / lent lente lentement
strong powerful / weak | silny mocny potężny / słaby | stark mächtig / schwach | fort puissant / faible
rich wealthy / poor | bogaty / biedny ubogi | reich / arm | riche / pauvre
hot warm / cold | gorący ciepły / zimny chłodny | heiß warm / kalt | chaud / froid
full / empty | pełny pełen / pusty | voll / leer | plein / vide
true / false | prawdziwy / fałszywy | wahr / falsch | vrai / faux
early / late | wczesny wcześnie / późny późno | früh / spät | tôt précoce / tard tardif
beginning start / end* | początek / koniec | anfang beginn / ende schluss | début commencement / fin
past / future | przeszłość / przyszłość | vergangenheit / zukunft | passé / avenir futur
morning / evening | rano ranek poranek / wieczór wieczorem | morgen vormittag / abend | matin matinée / soir soirée
day daytime / night | dzień / noc | tag / nacht | jour journée / nuit
summer / winter | lato / zima | sommer / winter | estival l'été d'été / hiver hivernal
spring* / autumn | wiosna / jesień | frühling frühjahr / herbst | printemps / automne
life alive / death dead | życie żywy / śmierć martwy | leben lebendig / tod tot | vie vivant / mort
war / peace | wojna / pokój | krieg / frieden | guerre / paix
victory / defeat | zwycięstwo wygrana / porażka klęska przegrana | sieg / niederlage | victoire / défaite
success successful / failure | sukces / niepowodzenie fiasko | erfolg erfolgreich / misserfolg scheitern | succès réussite / échec
military / civilian | wojskowy / cywilny | militärisch / zivil | militaire / civil
foreign / domestic | zagraniczny / krajowy | ausländisch auswärtig / inländisch | étranger / intérieur
internal / external | wewnętrzny / zewnętrzny | intern / extern äußer | interne / externe extérieur
temporary provisional / permanent | tymczasowy / stały trwały | vorläufig provisorisch vorübergehend / dauerhaft ständig | temporaire provisoire / permanent définitif
public / secret confidential | publiczny jawny / tajny poufny | öffentlich / geheim vertraulich | public / secret confidentiel
legal lawful / illegal unlawful | legalny / nielegalny | legal rechtmäßig / illegal | légal / illégal
possible / impossible | możliwy / niemożliwy | möglich / unmöglich | possible / impossible
ally allied friend friendly / enemy hostile | sojusznik sojuszniczy przyjaciel przyjazny / wróg wrogi nieprzyjaciel | verbündeter verbündet freund freundlich / feind feindlich | allié ami amical / ennemi hostile
majority / minority | większość / mniejszość | mehrheit / minderheit | majorité / minorité
maximum / minimum | maksimum maksymalny / minimum minimalny | maximum maximal / minimum minimal | maximum maximal / minimum minimal
increase rise grow growth / decrease decline reduce reduction drop | wzrost wzrosnąć rosnąć zwiększyć / spadek spaść maleć zmniejszyć | anstieg steigen zunahme zunehmen erhöhen / rückgang sinken abnahme senken | augmentation augmenter hausse croître / diminution diminuer baisse réduire
arrival arrive / departure depart | przyjazd przybycie przybyć / wyjazd odjazd wyjechać | ankunft ankommen / abfahrt abreise aufbruch | arrivée arriver / départ partir
ascent ascend / descent descend | wejście* / zejście | aufstieg / abstieg | montée ascension / descente
buy purchase / sell | kupić kupować / sprzedać sprzedawać | kaufen / verkaufen | acheter / vendre
accept / reject refuse | przyjąć zaakceptować / odrzucić | annehmen akzeptieren / ablehnen | accepter / refuser rejeter
allow permit / forbid ban prohibit | pozwolić zezwolić / zakazać zabronić | erlauben / verbieten | permettre autoriser / interdire
win / lose | wygrać wygrywać / przegrać przegrywać | gewinnen siegen / verlieren | gagner / perdre
support / oppose | poparcie popierać poprzeć wspierać / sprzeciw sprzeciwiać | unterstützen unterstützung / widersetzen | soutenir soutien appuyer / opposer
attack / defence defense defend | atak atakować zaatakować / obrona bronić | angriff angreifen / verteidigung verteidigen | attaque attaquer / défense défendre
guilty / innocent | winny / niewinny | schuldig / unschuldig | coupable / innocent
open / closed close shut | otwarty otworzyć / zamknięty zamknąć | offen öffnen / geschlossen schließen | ouvert ouvrir / fermé fermer
"""


@dataclass(frozen=True)
class Pole:
    """One sense of an opposition in one language."""

    row: int
    side: int  # 0 or 1: which sense of the row
    label: str  # the sense in English words, for messages


@dataclass(frozen=True)
class Opposite:
    """A source word whose sense the translation turned into its opposite."""

    source_word: str
    target_word: str
    source_sense: str  # 'north'
    target_sense: str  # 'south'
    expected: str  # a form of the source's sense in the translation's language ('nord')


class _Forms:
    """One language's forms: whole words, and first parts of compounds."""

    def __init__(self) -> None:
        self.words: dict[str, set[Pole]] = {}
        self.prefixes: dict[str, set[Pole]] = {}
        self.first: dict[tuple[int, int], str] = {}  # (row, side) -> the form to suggest


@lru_cache(maxsize=None)
def _tables() -> dict[str, _Forms]:
    tables = {lang: _Forms() for lang in LANGS}
    for row, line in enumerate(filter(None, (line.strip() for line in _TABLE.splitlines()))):
        cells = [cell.split("/") for cell in line.split("|")]
        labels = [" ".join(f.rstrip("*-") for f in sense.split()[:1]) for sense in cells[0]]
        for lang, cell in zip(LANGS, cells):
            for side, forms in enumerate(cell):
                pole = Pole(row, side, labels[side])
                for form in forms.split():
                    if form.endswith("*"):
                        continue
                    table = tables[lang]
                    table.first.setdefault((row, side), form.rstrip("-"))
                    if form.endswith("-"):
                        table.prefixes.setdefault(form[:-1], set()).add(pole)
                    else:
                        table.words.setdefault(form, set()).add(pole)
    return tables


def poles_of(words: Iterable[Span], lang: str) -> dict[Pole, str]:
    """The senses of the table that ``words`` (text, lemma, start, end) hold, each with the
    first word that holds it."""
    table = _tables().get(base_lang(lang))
    if table is None:
        return {}
    found: dict[Pole, str] = {}
    for text, lemma, *_ in words:
        for pole in _word_poles(table, text, lemma):
            found.setdefault(pole, text)
    return found


def _word_poles(table: _Forms, text: str, lemma: str) -> set[Pole]:
    poles = set(table.words.get(lemma, ()))
    if "'" in text or "’" in text:  # l'été is the summer; its lemma, être, is not
        poles |= table.words.get(text.lower().replace("’", "'"), set())
    if "-" in text:
        for part in text.lower().split("-"):
            poles |= table.words.get(part, set()) | table.prefixes.get(part, set())
    rest = lemma
    while table.prefixes and rest:  # Nordostgrat: north, then east
        head = next((p for p in table.prefixes if rest.startswith(p) and len(rest) > len(p)), None)
        if head is None:
            break
        poles |= table.prefixes[head]
        rest = rest[len(head):]
    return poles


def find_opposites(source: Sequence[Span], target: Sequence[Span], src_lang: str, tgt_lang: str) -> list[Opposite]:
    """The oppositions the pair turns around: the source holds one sense and not the other, the
    translation the other and not the first."""
    tables = _tables()
    src_code, tgt_code = base_lang(src_lang), base_lang(tgt_lang)
    if src_code not in tables or tgt_code not in tables:
        return []
    src_poles, tgt_poles = poles_of(source, src_code), poles_of(target, tgt_code)
    src_keys = {(p.row, p.side) for p in src_poles}
    tgt_keys = {(p.row, p.side) for p in tgt_poles}
    found = []
    for pole, word in src_poles.items():
        other = (pole.row, 1 - pole.side)
        if other in src_keys or (pole.row, pole.side) in tgt_keys or other not in tgt_keys:
            continue
        expected = tables[tgt_code].first.get((pole.row, pole.side))
        if expected is None:  # the translation's language has no form of it: cannot tell
            continue
        turned = next(p for p in tgt_poles if (p.row, p.side) == other)
        found.append(Opposite(word, tgt_poles[turned], pole.label, turned.label, expected))
    return found
