"""Words of opposite sense across languages: a translation that says 'south' where its source says
'północ' (north), 'last' for 'erste', 'civilian' for 'wojskowy'; and one nation for another
('Ukrainian' for 'rosyjski').

A sentence encoder places a word and its opposite close together (they share every context but
one), so an antonym swap keeps a pair's similarity high and hides from the encoder views of
``align.checks.meaning``. A small hand-made table of oppositions catches it instead: the source
holds one sense of an opposition and not the other, and the translation holds the other and not
the first. Requiring both sides to be one-sided keeps it quiet where a sentence names both poles
('from north to south') or a translator restructures around them.

One opposition a line, the four languages' cells separated by ``|``, the two senses of each cell
by ``/``; the nations, any two of which differ, are one such row, written a nation a line, and so
are the days of the week. A form
is a lemma as ``align.lexicon.lemma`` gives it, in any case (German nouns are written with their
capital, for the suggestion), or the lower-case word for words the lemmatiser does not know; a
common form the lemmatiser reads as another word is listed by that word too (Polish 'skurczy',
'will shrink', as the noun 'skurcz'; 'osłabła' as the adjective 'osłabły'). A Polish comparative
or superlative counts as its positive ('najwyższy', 'mniejszego'), as English ones do through
their lemma ('largest').
Marks:

- ``nord-``: also the first part of a German compound (``Nordwand``, ``Südostgrat``) or of a
  hyphenated word (``franco-suisse``), never a word alone (Jean Franco) nor the start of
  another language's word (French 'sinon' is no 'sino-');
- ``left*``: a label, never matched (English 'left' is also the past of 'leave');
- ``last=``: only as written, not by its lemma ('lasted' is a form of the verb; 'close' is
  also 'near', so 'closed=').

A form also matches as one part of a hyphenated word (``nord-est``), and a form with an
apostrophe as written (``l'est``, ``l'été``): French 'est' and 'été' alone are forms of 'être'.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from align.lexicon import Span, base_lang
from align.lexicon import lemma as lemma_of

LANGS = ("en", "pl", "de", "fr")
COMPOUNDING = frozenset({"de"})  # languages that write a compound as one word (Nordwand)

_TABLE = """
north northern northward / south southern southward | północ północny / południe południowy | Norden nord- nördlich / Süden süd- südlich | nord septentrional / sud méridional
east eastern eastward / west western westward | wschód wschodni / zachód zachodni | Osten ost- östlich / Westen west- westlich | est l'est oriental / ouest occidental
left* / right* | lewy lewica lewicowy / prawy prawica prawicowy | links link linke linker / rechts | gauche / droite
first / last= final | pierwszy / ostatni | erst erste erster / letzt letzte letzter | premier / dernier
new / old | nowy / stary | neu / alt | nouveau neuf / ancien vieux
young / old elderly | młody / stary | jung / alt | jeune / vieux âgé
big bigger large huge / small tiny | duży wielki ogromny / mały niewielki drobny | groß gross riesig / klein winzig | grand gros énorme / petit minuscule
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
beginning start / end* | początek / koniec | Anfang Beginn / Ende Schluss | début commencement / fin
past / future | przeszłość / przyszłość | Vergangenheit / Zukunft | passé / avenir futur
morning / evening | rano ranek poranek / wieczór wieczorem | Morgen Vormittag / Abend | matin matinée / soir soirée
day daytime / night | dzień / noc | Tag / Nacht | jour journée / nuit
summer / winter | lato / zima | Sommer / Winter | estival l'été d'été / hiver hivernal
spring* / autumn | wiosna / jesień | Frühling Frühjahr / Herbst | printemps / automne
life alive / death dead | życie żywy / śmierć martwy | Leben lebendig / Tod tot | vie vivant / mort
war / peace | wojna / pokój | Krieg / Frieden | guerre / paix
victory / defeat | zwycięstwo wygrana / porażka klęska przegrana | Sieg / Niederlage | victoire / défaite
success successful / failure | sukces / niepowodzenie fiasko | Erfolg erfolgreich / Misserfolg Scheitern | succès réussite / échec
military / civilian | wojskowy / cywilny | militärisch / zivil | militaire / civil
foreign / domestic | zagraniczny / krajowy | ausländisch auswärtig / inländisch | étranger / intérieur
internal / external | wewnętrzny / zewnętrzny | intern / extern äußer | interne / externe extérieur
temporary provisional / permanent | tymczasowy / stały trwały | vorläufig provisorisch vorübergehend / dauerhaft ständig | temporaire provisoire / permanent définitif
public / secret confidential | publiczny jawny / tajny poufny | öffentlich / geheim vertraulich | public / secret confidentiel
legal lawful / illegal unlawful | legalny / nielegalny | legal rechtmäßig / illegal | légal / illégal
possible / impossible | możliwy / niemożliwy | möglich / unmöglich | possible / impossible
ally allied friend friendly / enemy hostile | sojusznik sojuszniczy przyjaciel przyjazny / wróg wrogi nieprzyjaciel | Verbündeter verbündet Freund freundlich / Feind feindlich | allié ami amical / ennemi hostile
majority / minority | większość / mniejszość | Mehrheit / Minderheit | majorité / minorité
more / less few fewer | więcej / mniej | mehr / weniger wenig | davantage / moins
import importer / export exporter | import importować importer / eksport eksportować eksporter | Import importieren Einfuhr Importeur / Export exportieren Ausfuhr Exporteur | importation importer importateur / exportation exporter exportateur
maximum / minimum | maksimum maksymalny / minimum minimalny | Maximum maximal / Minimum minimal | maximum maximal / minimum minimal
increase rise rose= risen grow growth raise hike / decrease decline reduce reduction drop fall fell= fallen cut shrink | wzrost wzrosnąć wzrosły wzrość rosnąć rosły urosnąć urość zwiększyć podnieść podwyższyć podwyżka drożeć zdrożeć podrożeć zdrożały podrożały / spadek spaść spadły maleć zmaleć zmalały zmniejszyć obniżyć obniżać obniżka skurczyć skurcz kurczyć kurcz tanieć potanieć potaniały | Anstieg steigen Zunahme zunehmen erhöhen / Rückgang sinken Abnahme senken | augmentation augmenter hausse croître / diminution diminuer baisse réduire
arrival arrive / departure depart | przyjazd przybycie przybyć / wyjazd odjazd wyjechać | Ankunft ankommen / Abfahrt Abreise Aufbruch | arrivée arriver / départ partir
ascent ascend / descent descend | wejście* / zejście | Aufstieg / Abstieg | montée ascension / descente
buy purchase / sell | kupić kupować / sprzedać sprzedawać | kaufen / verkaufen | acheter / vendre
strengthen / weaken | wzmocnić wzmacniać umocnić umacniać / osłabić osłabiać osłabnąć osłabły słabnąć | stärken verstärken / schwächen | renforcer / affaiblir
accept / reject refuse | przyjąć zaakceptować / odrzucić | annehmen akzeptieren / ablehnen | accepter / refuser rejeter
allow permit / forbid ban prohibit | pozwolić zezwolić / zakazać zabronić | erlauben / verbieten | permettre autoriser / interdire
win / lose | wygrać wygrywać / przegrać przegrywać | gewinnen siegen / verlieren | gagner / perdre
support / oppose | poparcie popierać poprzeć wspierać / sprzeciw sprzeciwiać | unterstützen Unterstützung / widersetzen | soutenir soutien appuyer / opposer
attack / defence defense defend | atak atakować zaatakować / obrona bronić | Angriff angreifen / Verteidigung verteidigen | attaque attaquer / défense défendre
guilty / innocent | winny / niewinny | schuldig / unschuldig | coupable / innocent
open / closed= shut | otwarty otworzyć / zamknięty zamknąć | offen öffnen / geschlossen schließen | ouvert ouvrir / fermé fermer
"""

# Nations: any two differ, so a translation that names another nation than its source, and not
# the source's, has turned one into the other ('rosyjskiego' -> 'Ukrainian'). One nation a line:
# the country, its adjective and its people, in English, Polish, German and French.
_NATIONS = """
russia russian | rosja rosyjski rosjanin | russland russisch russe | russie russe russo-
belarus belarusian belarussian | białoruś białoruski białorusin | belarus weißrussland belarussisch weißrussisch | biélorussie biélorusse bélarus
ukraine ukrainian | ukraina ukraiński ukrainiec | ukraine ukrainisch ukrainer | ukraine ukrainien
poland polish | polska polski polak | polen polnisch pole | pologne polonais
lithuania lithuanian | litwa litewski litwin | litauen litauisch litauer | lituanie lituanien
latvia latvian | łotwa łotewski łotysz | lettland lettisch | lettonie letton
estonia estonian | estonia estoński estończyk | estland estnisch | estonie estonien
germany german | niemcy niemiec niemiecki | deutschland deutsch deutscher | allemagne allemand germano-
austria austrian | austria austriacki austriak | österreich österreichisch österreicher | autriche autrichien austro-
switzerland swiss chf | szwajcaria szwajcarski szwajcar chf | schweiz schweizerisch schweizer eidgenössisch sfr chf | suisse helvétique sfr chf
france french | francja francuski francuz | frankreich französisch franzose | france français franco-
italy italian | włochy włoski włoch | italien italienisch italiener | italie italien italo-
spain spanish | hiszpania hiszpański hiszpan | spanien spanisch spanier | espagne espagnol
britain british england english | wielka brytania brytyjski anglia angielski anglik | großbritannien grossbritannien britisch brite england englisch engländer | grande-bretagne britannique angleterre anglais anglo-
america american usa | ameryka amerykański amerykanin usa | amerika amerikanisch amerikaner usa | amérique américain
china chinese | chiny chiński chińczyk | china chinesisch chinese | chine chinois sino-
japan japanese | japonia japoński japończyk | japan japanisch japaner | japon japonais
india indian | indie indyjski hindus | indien indisch inder | inde indien indienne
pakistan pakistani | pakistan pakistański | pakistan pakistanisch | pakistan pakistanais
nepal nepalese nepali | nepal nepalski | nepal nepalesisch | népal népalais
czechia czech | czechy czeski czech | tschechien tschechisch tscheche | tchéquie tchèque
slovakia slovak | słowacja słowacki słowak | slowakei slowakisch | slovaquie slovaque
hungary hungarian | węgry węgierski węgier | ungarn ungarisch | hongrie hongrois
romania romanian | rumunia rumuński | rumänien rumänisch | roumanie roumain
moldova moldovan | mołdawia mołdawski | moldau moldawien moldauisch | moldavie moldave
georgia georgian | gruzja gruziński | georgien georgisch | géorgie géorgien
turkey turkish | turcja turecki turek | türkei türkisch türke | turquie turc
israel israeli | izrael izraelski | israel israelisch | israël israélien
iran iranian | iran irański | iran iranisch | iran iranien
sweden swedish | szwecja szwedzki szwed | schweden schwedisch schwede | suède suédois
finland finnish | finlandia fiński fin | finnland finnisch finne | finlande finlandais
norway norwegian | norwegia norweski norweg | norwegen norwegisch norweger | norvège norvégien
argentina argentine argentinian | argentyna argentyński | argentinien argentinisch | argentine argentin
soviet ussr | radziecki sowiecki zsrr | sowjetisch sowjetunion udssr | soviétique urss
"""


# Weekdays: any two differ, as nations do ('wtorek' -> 'Thursday'). One day a line.
_WEEKDAYS = """
Monday | poniedziałek | Montag | lundi
Tuesday | wtorek | Dienstag | mardi
Wednesday | środa | Mittwoch | mercredi
Thursday | czwartek | Donnerstag | jeudi
Friday | piątek | Freitag | vendredi
Saturday | sobota | Samstag Sonnabend | samedi
Sunday | niedziela | Sonntag | dimanche
"""


@dataclass(frozen=True)
class Pole:
    """One sense of an opposition in one language."""

    row: int
    side: int  # which sense of the row: 0 or 1, or a nation of the nations' row
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
        self.exact: dict[str, set[Pole]] = {}  # matched as written only
        self.first: dict[tuple[int, int], str] = {}  # (row, side) -> the form to suggest


@lru_cache(maxsize=None)
def _tables() -> dict[str, _Forms]:
    """Each language's forms. A row of the oppositions has two senses; the nations are one
    row whose senses are the nations (cells: language by language, each sense's forms)."""
    rows = [[cell.split("/") for cell in line.split("|")] for line in _lines(_TABLE)]
    # a nation is named by its country, capitalised in every language (Rosja, Russie)
    nations = [[" ".join([cell.split()[0].capitalize(), *cell.split()[1:]]) for cell in line.split("|")]
               for line in _lines(_NATIONS)]
    rows.append([[nation[k] for nation in nations] for k in range(len(LANGS))])
    days = [line.split("|") for line in _lines(_WEEKDAYS)]
    rows.append([[day[k] for day in days] for k in range(len(LANGS))])
    tables = {lang: _Forms() for lang in LANGS}
    for row, cells in enumerate(rows):
        labels = [" ".join(f.rstrip("*-=") for f in sense.split()[:1]) for sense in cells[0]]
        for lang, cell in zip(LANGS, cells):
            for side, forms in enumerate(cell):
                _add(tables[lang], Pole(row, side, labels[side]), forms.split())
    return tables


def _lines(table: str) -> list[str]:
    return [line.strip() for line in table.splitlines() if line.strip()]


def _add(table: _Forms, pole: Pole, forms: list[str]) -> None:
    for form in forms:
        if form.endswith("*"):
            continue
        table.first.setdefault((pole.row, pole.side), form.rstrip("-="))
        form = form.lower()
        if form.endswith("="):
            table.exact.setdefault(form[:-1], set()).add(pole)
        elif form.endswith("-"):
            table.prefixes.setdefault(form[:-1], set()).add(pole)
        else:
            table.words.setdefault(form, set()).add(pole)


def poles_of(words: Iterable[Span], lang: str) -> dict[Pole, str]:
    """The senses of the table that ``words`` (text, lemma, start, end) hold, each with the
    first word that holds it."""
    table = _tables().get(base_lang(lang))
    if table is None:
        return {}
    found: dict[Pole, str] = {}
    for text, lemma, *_ in words:
        for pole in _word_poles(table, text, lemma, lang):
            found.setdefault(pole, text)
    return found


# A Polish comparative or superlative ('wyższego', 'najmniejszy'): the stem before the case
# ending. The lemmatiser reads many of these forms, but not all ('największy', 'mniejszy' and
# 'starszych' stay themselves), so the stem is read again with the masculine ending; the two
# stems that are no form of their positive come from a list.
_PL_DEGREE = re.compile(r"(?:naj)?(\w{2,}sz)(?:y|a|e|ego|ej|emu|ych|ym|ymi|ą|i)")
_PL_SUPPLETIVE = {"większ": "duży", "mniejsz": "mały"}


def _positive(text: str, lang: str) -> str:
    """The positive degree of a Polish comparative or superlative adjective ('największego':
    'duży'), or ''."""
    found = _PL_DEGREE.fullmatch(text.lower()) if base_lang(lang) == "pl" else None
    if found is None:
        return ""
    stem = found.group(1)
    return _PL_SUPPLETIVE.get(stem) or lemma_of(stem + "y", lang)


def _word_poles(table: _Forms, text: str, lemma: str, lang: str) -> set[Pole]:
    poles = table.words.get(lemma, set()) | table.exact.get(text.lower(), set())
    if not poles and (positive := _positive(text, lang)):  # największy pracodawca: the biggest
        poles = table.words.get(positive, set())
    if "'" in text or "’" in text:  # l'été is the summer; its lemma, être, is not
        poles |= table.words.get(text.lower().replace("’", "'"), set())
    if "-" in text and not poles:  # franco-suisse: each part as written and as a lemma (but
        # a hyphenated word the table knows whole is no sum of parts: Grande-Bretagne)
        for part in filter(None, text.split("-")):
            for form in {part.lower(), lemma_of(part, lang)}:
                poles |= table.words.get(form, set()) | table.prefixes.get(form, set())
    rest = lemma if base_lang(lang) in COMPOUNDING else ""  # French 'sinon' is no sino-
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
        expected = tables[tgt_code].first.get((pole.row, pole.side))
        if (pole.row, pole.side) in tgt_keys or expected is None:  # rendered, or cannot tell
            continue
        for turned, target_word in tgt_poles.items():
            if turned.row == pole.row and (turned.row, turned.side) not in src_keys:
                found.append(Opposite(word, target_word, pole.label, turned.label, expected))
                break
    return found
