"""Sentence segmentation with exact character offsets.

Two entry points:

- ``segment(text, lang)`` splits running text into sentences, headings and one-line debris.
- ``segment_presplit(text)`` takes one segment per line, as Vecalign and Bertalign do.

Why sentence-splitter and not pysbd
-----------------------------------
The core is ``sentence-splitter`` (Koehn and Schroeder's Moses splitter: curated non-breaking
prefix lists for 24 languages, and the rule that a sentence never ends before a lowercase
word). On our tricky cases pysbd 0.3.4 was clearly worse for Polish: it split after every
abbreviation even before a lowercase word ("przy ul. | Długiej", "m.in. | studenci",
"ds. | nadzoru", "p. | ex." in French), and it cut "„To koniec.| ” Potem". It was also 2.5x
slower (3.4 s against 1.3 s for 5,500 sentences, paragraph by paragraph). pysbd is kept only for
the languages the Moses lists do not cover but pysbd does (Chinese, Japanese, Arabic, Hindi...),
whose sentences are not separated by spaces.

What this module adds on top
----------------------------
- Offsets: the core returns strings with whitespace collapsed; they are mapped back onto the
  input by counting non-whitespace characters, so ``text[start:end]`` is the segment exactly.
- Structure: blank lines are hard boundaries (``paragraph`` numbers them); inside a paragraph a
  short line without final punctuation (a heading, "top of page") or a line followed by a
  dash-led turn ends its segment, while a long wrapped line runs on into the next.
- Abbreviation rules per language (``_RULES``), consulted at every candidate boundary:
  ``never`` ones never end a sentence (np., m.in., Ms., z.B., Mme); none ends one before a number
  (No. 5, ok. 40); ``numeric`` ones (No., nr) and ``closing`` ones (etc., usw., itd.) end one
  before any other capital; ``unit`` ones (proc., tys.) do unless an acronym or a counted noun
  follows ("30 proc. PKB", "40 tys. Białorusinów"); ``may`` ones (r., Jr., Mio.) end a sentence
  only when the next word is a common sentence opener: in a short list of openers, or seen in
  lowercase elsewhere in the document (so "w 2021 r. Potem" splits and "w 2021 r. Rosja" does
  not). Polish dates ("2023 r.", "15 bm.") also end a sentence before any capitalised word when
  the sentence already has a verb ("Umowę podpisano 31 marca 2023 r. Kowalski twierdzi"), never
  when the date opens it ("31 marca 2023 r. Sejm uchwalił"). ``unit_or_title`` ones ("s.",
  "st.") are units after a number and titles before a name. Initials (G. O. Dyhrenfurth,
  A. Łukaszenka) do not end a sentence, except dotted ones ("the U.S. The") and a surname's
  initial after a first name ("Marka W. Mężczyzna") before an opener. In
  Polish a short number with a dot is an ordinal, not a sentence's end, after a preposition
  ("w 3. Brygadzie") or at the start of a sentence ("5. Brygada"), unless an opener follows,
  and after a noun before an oblique case ("żołnierze 2. Korpusu").
- Line breaks inside a block: after a ``may`` abbreviation a break ends the sentence before a
  capital where the line is short against the block's longest, or the block's lines are too
  long to be an editor's wrapping (one paragraph a line: "w 1992 r.⏎Ile może pan stracić?").
- Boundaries the core misses: after the ellipsis character, after the German closing quote “,
  before the low opening quote „ of Polish and German ("Tak. „Nie wiem.”"), and before a
  dash-led turn in the middle of a paragraph ("Tak. — Nie wiem.").
- Linear time: the core is quadratic on very long blocks (it rebuilds its string word by word),
  so blocks are fed to it in windows of ``_WINDOW`` characters with a look-ahead of two words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Callable

import pysbd
from sentence_splitter import SentenceSplitter, SentenceSplitterException

from align.types import Segment

__all__ = ["segment", "segment_presplit"]

Span = tuple[int, int]
Core = Callable[[str], list[str]]

_WINDOW = 3000  # characters handed to the core at once; keeps it linear on huge paragraphs
_WRAP_RATIO = 0.75  # a line at least this long (against the paragraph's longest) is wrapped text
_WRAP_MIN = 30  # ... and at least this many characters

_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)?")
_TERMINAL_END = re.compile(r"[.!?…:;][\"'”’»)\]“]*\s*$")
_SENTENCE_END = re.compile(r"[.!?…;][\"'”’»)\]“]*\s*$")  # a colon announces what follows
# A new turn or list item: "— Tak." or "• item"; a wrapped "— by the way" is told apart later.
_TURN_START = re.compile(r"\s*(?:[—–-]\s+[\"'„“«]*[^\W_]|[•*·]\s)")
# A candidate boundary: end punctuation, closing quotes or brackets (French » may be spaced), space.
_CANDIDATE = re.compile(r"([.!?…]+)((?:[\"'”’»)\]“]|\s+»)*)(?=\s)")
_TOKEN_BEFORE = re.compile(r"[\w.\-]*$")
_INITIALS = re.compile(r"(?:[^\W\d_]\.)*[^\W\d_]")  # G | U.S | Ł (checked for capitals)
_NEXT = re.compile(r"\s+(?:([—–-])\s+)?((?:<[a-zA-Z][^<>]{0,40}>)*[\"'„“«‘(\[¿¡]*)(\w*)")  # <b>, <i>: inline markup
_LANG_ALIASES = {"pol": "pl", "eng": "en", "deu": "de", "ger": "de", "fra": "fr", "fre": "fr"}


@dataclass(frozen=True)
class _Rules:
    """Abbreviations (lowercase, without the final dot) and sentence openers of one language."""

    never: frozenset[str] = frozenset()
    numeric: frozenset[str] = frozenset()
    closing: frozenset[str] = frozenset()
    unit: frozenset[str] = frozenset()
    counted: re.Pattern[str] | None = None  # capitalised words that go on after a unit
    may: frozenset[str] = frozenset()
    openers: frozenset[str] = frozenset()
    # Where ordinals are written with a dot (3. Brygada), the words after which a number and its
    # dot are an ordinal before a capitalised noun ("w 3. Brygadzie"), not a sentence's end.
    ordinal_after: frozenset[str] = frozenset()
    # A unit after a number ("9,58 s.", "28 st."), a title before a name otherwise ("s. Anna").
    unit_or_title: frozenset[str] = frozenset()
    # Abbreviations that end a date ("2023 r.", "15 bm."): see ``_date_ends_sentence``.
    date_end: frozenset[str] = frozenset()


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


_RULES: dict[str, _Rules] = {
    "pl": _Rules(
        never=_words(
            "np m.in tzw tzn tj ds nt ul al pl os św dr prof gen płk ppłk mjr kpt por ks bp abp "
            "kard mgr inż hab doc red dyr ok ang ros ukr biał niem franc łac zob cyt im ur przyp "
            "woj pow gm mec adw sp śp jw płn płd wsch zach ob wz oprac fot pt "
            # ranks of the army, the police and the church: "mł. insp.", "st. sierż.", "ks. prał."
            "ppor kmdr adm wadm kadm bryg dyw chor plut kpr szer sierż asp insp nadinsp "
            "podinsp kom nadkom podkom mł prał kan"
        ),
        numeric=_words("nr pkt art ust par str tab godz zm poz rozdz rys"),
        closing=_words("itd itp cdn kk kpk kc kpc kw"),  # ... and the codes of law: art. 148 kk.
        unit=_words("proc tys mln mld dol"),
        counted=re.compile(r"\w+(?:ów|an|ych|ich|ek)"),  # 30 proc. Polaków, 40 tys. Rosjan, Ukrainek
        may=_words("r in w ub.r br bm ub.m o.o"),
        openers=_words(
            "a ale i w we na nie po od do z ze za przez dla przy to ten ta te tego tym tych tak "
            "tam teraz wtedy potem później jak jednak dlatego kiedy gdy jeśli jeżeli czy co kto "
            "już jest są był była było byli on ona ono oni one my wy ja jego jej ich nasz nasi "
            "według obecnie wcześniej również także natomiast mimo choć chociaż można trzeba "
            "dziś dzisiaj wczoraj ponadto ponieważ bo więc zatem wiele wielu większość "
            # the nouns that open the next sentence in news of an arrest or a trial
            "mężczyzna kobieta sprawca policja policjanci prokuratura sąd podejrzany kierowca"
        ),
        ordinal_after=_words(
            "w we z ze na do od po przy o za pod nad przed dla ku przez między u "
            "nasz nasza naszej naszego swojej swojego tej tę"
        ),
        unit_or_title=_words("s st"),
        date_end=_words("r bm br ub.r ub.m"),
    ),
    "en": _Rules(
        never=_words(
            "mr mrs ms messrs dr prof gen col lt sgt capt gov sen rep rev st mt e.g i.e cf vs viz "
            "approx dept fr"
        ),
        numeric=_words("no nos fig p pp vol ch art sec"),
        closing=_words("etc"),
        may=_words("jr sr inc ltd co corp bros a.m p.m ph.d jan feb mar apr jun jul aug sep sept oct nov dec"),
        openers=_words(
            "the a an this that these those it he she they we i you there then but and so in on "
            "at as if when what why how who where after before however meanwhile now still yet "
            "also some many most his her their our my its no not for from to with by all one later"
        ),
    ),
    "de": _Rules(
        never=_words(
            "z.b bzw dr prof hr fr d.h u.a vgl ca sog evtl ggf inkl exkl bspw u.ä o.ä st dipl "
            "ing mag geb gest gegr u.u z.t i.d.r m.e"
        ),
        numeric=_words("nr no s abs art bd ziff kap tab abb fig"),
        closing=_words("usw u.s.w etc usf"),
        may=_words("ff mio mrd chr jh jhs tsd s.o s.u"),
        openers=_words(
            "der die das den dem des ein eine er sie es wir ich ihr man dann danach doch aber und "
            "auch als am im in auf nach mit von vor bei zu zum zur so da dort hier heute nun "
            "jetzt wenn weil was wie wo wer warum dies diese dieser dieses nicht kein keine alle "
            "viele schon noch"
        ),
    ),
    "fr": _Rules(
        never=_words(
            "mm mme mmes mlle mlles dr pr me mgr st ste ex cf av bd boul env réf n.b c.-à-d"
        ),
        numeric=_words("n no p pp t vol chap art fig"),
        closing=_words("etc"),
        may=_words("cie ibid j.-c"),
        openers=_words(
            "le la les l un une des il elle ils elles on nous vous je ce cette ces c mais et puis "
            "alors donc en dans sur pour par avec après avant depuis si quand comme ainsi "
            "toutefois pourtant cependant enfin ensuite au aux du de tous toutes"
        ),
    ),
}


def segment(text: str, lang: str) -> tuple[Segment, ...]:
    """Split ``text`` into sentences; ``lang`` is an ISO 639 code (others get a generic splitter).

    Paragraph breaks (blank lines) are hard boundaries. Whitespace-only text gives ``()``.
    """
    if not text.strip():
        return ()
    code = _normalise_lang(lang)
    rules = _RULES.get(code, _Rules())
    core = _core(code)
    lowercase_seen = frozenset(w for w in re.findall(r"\w+", text) if w.islower())
    segments: list[Segment] = []
    for paragraph, lines in enumerate(_paragraphs(text)):
        for block_start, block_end in _blocks(text, lines):
            for start, end in _sentences(text, block_start, block_end, core, rules, lowercase_seen):
                segments.append(Segment(len(segments), text[start:end], paragraph, start, end))
    return tuple(segments)


def segment_presplit(text: str) -> tuple[Segment, ...]:
    """One segment per line: segment k is line k (Vecalign/Bertalign convention).

    Lines end at ``\\n``, ``\\r\\n`` or ``\\r`` (as Python's text mode reads them); a final line
    break does not add a segment. Each line is stripped of surrounding whitespace (offsets point
    at the stripped text), and a blank line is kept as an empty segment so that indices stay equal
    to line numbers. ``paragraph`` counts runs of non-blank lines. Whitespace-only text gives
    ``()``.
    """
    if not text.strip():
        return ()
    segments: list[Segment] = []
    paragraph, after_blank = 0, False
    for start, end in _lines(text):
        start, end = _strip(text, start, end)
        if start == end:
            after_blank = True
        elif after_blank and segments:
            paragraph, after_blank = paragraph + 1, False
        else:
            after_blank = False
        segments.append(Segment(len(segments), text[start:end], paragraph, start, end))
    return tuple(segments)


# --- structure: lines, paragraphs, blocks ---------------------------------------------------


def _lines(text: str) -> list[Span]:
    """Spans of the lines, without their line breaks; no empty span after a final line break."""
    spans = []
    for match in _LINE.finditer(text):
        if match.start() == len(text):
            break
        spans.append((match.start(), match.start() + len(match.group().rstrip("\r\n"))))
    return spans


def _paragraphs(text: str) -> list[list[Span]]:
    """Runs of non-blank lines."""
    paragraphs: list[list[Span]] = [[]]
    for start, end in _lines(text):
        if text[start:end].strip():
            paragraphs[-1].append((start, end))
        elif paragraphs[-1]:
            paragraphs.append([])
    return [p for p in paragraphs if p]


def _blocks(text: str, lines: list[Span]) -> list[Span]:
    """Group a paragraph's lines into blocks the splitter may run across.

    A line break ends a block after a short line with no final punctuation (a heading or debris
    line) and before a dash- or bullet-led line; a long line is taken as wrapped text, unless no
    line of the paragraph ends a sentence (a list of results).
    """
    longest = max(len(text[s:e].strip()) for s, e in lines)
    # No line ends a sentence: a list or a table (results, a timetable), not wrapped prose,
    # whose last line at least would end with a full stop.
    listing = not any(_SENTENCE_END.search(text[s:e]) for s, e in lines)
    blocks: list[Span] = []
    block_start = lines[0][0]
    for (start, end), (next_start, next_end) in zip(lines, lines[1:]):
        line = text[start:end]
        wrapped = not listing and len(line.strip()) >= max(_WRAP_MIN, _WRAP_RATIO * longest)
        continues = text[next_start:next_end].lstrip()[:1].islower()
        runs_on = (_TERMINAL_END.search(line) is not None and not listing) or wrapped or continues
        turn = _TURN_START.match(text, next_start, next_end)
        if not runs_on or (turn and not turn.group()[-1].islower()):
            blocks.append((block_start, end))
            block_start = next_start
    blocks.append((block_start, lines[-1][1]))
    return blocks


def _strip(text: str, start: int, end: int) -> Span:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


# --- sentences inside a block --------------------------------------------------------------


def _sentences(
    text: str, start: int, end: int, core: Core, rules: _Rules, lowercase_seen: frozenset[str]
) -> list[Span]:
    """Sentence spans of ``text[start:end]``: the core's boundaries, corrected by our rules."""
    flat = re.sub(r"\s", " ", text[start:end])  # same length: offsets carry over
    core_cuts = _core_cuts(flat, core)
    hints = _line_break_hints(text, start, end)
    cuts = set()
    for match in _CANDIDATE.finditer(flat):
        verdict = _verdict(flat, match, rules, lowercase_seen, match.end() in hints)
        cut = match.end()
        if verdict or (verdict is None and cut in core_cuts):
            cuts.add(cut)
        core_cuts.discard(cut)
    cuts |= core_cuts  # core boundaries that are not candidates of ours stand as they are
    spans = []
    previous = 0
    for cut in sorted(cuts) + [len(flat)]:
        s, e = _strip(flat, previous, cut)
        if s < e:
            spans.append((start + s, start + e))
        previous = cut
    return spans


_HARD_WRAP = 150  # a block with a longer line was not wrapped by an editor at a fixed width


def _line_break_hints(text: str, start: int, end: int) -> set[int]:
    """Offsets (relative to ``start``) of line ends inside a block that likely end a paragraph:
    the block has lines too long for an editor's wrapping (one paragraph a line), or the line is
    short against the block's longest (the last line of a wrapped paragraph)."""
    lines = [(s, e) for s, e in _lines(text[start:end])]
    if len(lines) < 2:
        return set()
    lengths = [len(text[start + s:start + e].strip()) for s, e in lines]
    longest = max(lengths)
    hints = set()
    for (s, e), length in zip(lines[:-1], lengths):
        if longest > _HARD_WRAP or length < _WRAP_RATIO * longest:
            hints.add(len(text[start:start + e].rstrip()))
    return hints


def _verdict(
    flat: str, match: re.Match[str], rules: _Rules, lowercase_seen: frozenset[str],
    line_break: bool = False,
) -> bool | None:
    """True/False where our rules know better than the core; None to take the core's word.

    ``line_break``: a line break that likely ends a paragraph follows the candidate."""
    punct, closers = match.group(1), match.group(2)
    following = _NEXT.match(flat, match.end())
    if following is None:
        return None
    dash, opening, word = following.groups()
    first = word[:1]
    if not first:
        return None
    if first.islower():
        return False
    token = _TOKEN_BEFORE.search(flat, max(0, match.start() - 40), match.start()).group()
    opener = word.lower() in rules.openers or word.lower() in lowercase_seen
    start = match.start() - len(token)
    if punct == "." and not closers and token.isdigit() and len(token) <= _ORDINAL_DIGITS and (
            start == 0 or flat[:start].isspace()):
        return False  # "1. Jagiellonia ...": the number of a list item, never a sentence alone
    if punct == "." and not closers and token.isdigit() and _CENTURY.match(flat, match.end()):
        return False  # "od lat 20. XX wieku": a decade of a century
    if punct == "." and not closers and rules.ordinal_after and not opener and _ordinal(flat, match.start(), token, rules):
        return False  # a noun follows an ordinal: "w 3. Brygadzie", not "o 5. Potem"
    if punct == "." and not closers and rules.ordinal_after and not opener and _ordinal_of_unit(
            flat, match.start(), token, word, following.end()):
        return False  # "żołnierze 2. Korpusu Polskiego": a unit's number after a noun
    if punct == "." and not closers:
        kind = _abbreviation_kind(token, rules)
        if token.lower() in rules.unit_or_title:
            kind = "unit" if _NUMBER_BEFORE.search(flat, 0, start) else "never"
            if kind == "unit" and word in ("C", "F"):
                return False  # "28 st. C." is one temperature
        # An opener that is no initial itself ("G. O. Dyhrenfurth").
        opens = opener and not (len(word) == 1 and flat.startswith(".", following.end()))
        if kind == "initial" and opens and _initial_may_end(flat, start, token):
            return True  # "the U.S. The move", "Marka W. Mężczyzna usłyszał zarzut"
        if kind == "initial" and _no_initial(flat, match.start() - len(token), token, opener):
            return True
        if kind in ("initial", "never"):
            return False
        if kind is not None and first.isdigit():
            return False
        if kind in ("numeric", "closing"):
            return True
        if kind == "unit":
            return not _counted(word, rules)
        if kind == "may":
            if token.lower() in ("a.m", "p.m") and not word.isupper():
                return True  # "at 2:30 p.m. Shares fell": a time ends the sentence; "p.m. EST" goes on
            if token.lower() in rules.date_end:
                return _date_ends_sentence(flat, start, word, following.end(), opener, line_break, rules)
            return opener or (line_break and first.isupper())
    if dash:
        return True
    if "„" in opening and first.isupper():
        return True  # a quotation opens: "Tak – powiedział. „Nie wiem”" (the core knows only “)
    if "<" in opening and first.isupper():
        return True  # markup the core takes for a word: "Tak! <b>Nie</b> wiem."
    if "…" in punct or "“" in closers:
        return not first.isdigit()
    return None


_ORDINAL_DIGITS = 3  # an ordinal is short; "w 1990." may well end a sentence
_WORD_BEFORE = re.compile(r"(?:^|(\S*?)[\s\u00a0]+)$")


def _ordinal(flat: str, dot: int, token: str, rules: _Rules) -> bool:
    """Whether a number and its dot are an ordinal: after a preposition or determiner ("w 3.
    Brygadzie", "do 2. Armii"), or opening a sentence of its own ("Zginęło 30 osób. 5. Brygada
    ..."), where a number and a dot alone are never a sentence."""
    if not (token.isdigit() and len(token) <= _ORDINAL_DIGITS):
        return False
    start = dot - len(token)
    if start > 0 and not flat[start - 1].isspace():  # the end of a time or a decimal: "17:30.", "5,75."
        return False
    before = _WORD_BEFORE.search(flat, max(0, start - 40), start)
    word = before.group(1) if before else None
    if not word:  # the number opens the text
        return True
    if word.endswith(".") and word[:-1].lower() in rules.numeric:  # "o godz. 19." is that abbreviation's number
        return False
    return word.lower() in rules.ordinal_after or word[-1] in ".!?…:"


_NUMBER_BEFORE = re.compile(r"\d[\d,.]*[\s\u00a0]+$")  # "9,58 s.", "28 st."
_UNIT_CASE = re.compile(r"\w+(?:u|ii|ji|ej|ego)")  # Korpusu, Armii, Dywizji, Polskiej, Warszawskiego
_UNIT_CASE_BEFORE_NAME = re.compile(r"\w+[yi]")  # Brygady (Pancernej)


def _ordinal_of_unit(flat: str, dot: int, token: str, word: str, after: int) -> bool:
    """A short number and its dot between a lowercase noun and a capitalised noun in an oblique
    case: the ordinal of a unit ("żołnierze 2. Korpusu Polskiego", "dowódca 1. Brygady
    Pancernej"), where a sentence's last number is followed by a nominative ("Było ich 5.
    Brygada wycofała się")."""
    if not (token.isdigit() and len(token) <= _ORDINAL_DIGITS and len(word) > 2):
        return False
    start = dot - len(token)
    before = _WORD_BEFORE.search(flat, max(0, start - 40), start)
    noun = before.group(1) if before else None
    if not noun or not noun.isalpha() or not noun[1:].islower() or _PL_VERB.fullmatch(noun.lower()):
        return False  # "Przeciw było 214. Dziewięciu wstrzymało się": a count after a verb
    if word.lower().endswith(("ciu", "stu")):
        return False  # a numeral: "Dziewięciu", "Dwustu"
    if _UNIT_CASE.fullmatch(word):
        return True
    next_word = re.match(r"\s+(\w+)", flat[after:])
    return bool(_UNIT_CASE_BEFORE_NAME.fullmatch(word) and next_word and next_word.group(1)[:1].isupper())


def _initial_may_end(flat: str, start: int, token: str) -> bool:
    """Whether an initial before a sentence opener ends the sentence: dotted initials ("the U.S.",
    "D.C.") or a surname's initial after a first name ("Marka W.", anonymised as news does)."""
    if "." in token:
        return True
    before = _WORD_BEFORE.search(flat, max(0, start - 40), start)
    name = before.group(1) if before else None
    return bool(name) and len(name) > 1 and name.isalpha() and name[0].isupper() and not name.isupper()


# --- a date at a sentence's end (Polish): "w grudniu 2023 r. Minister ..." ------------------

_DATE_WORDS = _words(
    "w we od do z ze na po przed przy około ok. dnia dniu dniem koniec końcu końca początku "
    "początek połowie połowy przełomie pod latem zimą wiosną jesienią i a oraz lub albo – — - "
    "rok roku r. r już jeszcze dopiero też także również tylko nawet kwartale kwartału półroczu "
    "półrocza latach lata bm. br. ub. ub.r. ub.m. stycznia lutego marca kwietnia maja czerwca "
    "lipca sierpnia września października listopada grudnia styczniu lutym marcu kwietniu maju "
    "czerwcu lipcu sierpniu wrześniu październiku listopadzie grudniu"
)
_DATE_TOKEN = re.compile(r"[\d.,/–-]+|[IVX]+")
# A finite verb or an impersonal past form: past tense, -no/-to, present in -uje/-ają/-ują.
_PL_VERB = re.compile(
    r"\w{2,}(?:ał|ała|ało|ali|ały|ył|yła|yło|yli|yły|ił|iła|iło|ili|iły|ął|ęła|ęło|ęli|ęły|eli|"
    r"[aiy]łem|[aiy]łam|liśmy|łyśmy|[^\Waeiouyąęó\d]ł|ano|ono|ęto|ito|yto|arto|ają|ują|uje)"
    r"|jest|są|był|była|było|byli|były|ma|mają|będzie|będą|może|mogą|musi|muszą|trwa|wynosi"
)
_NOT_VERBS = _words(
    "kanał kanały kapitał materiał materiały udział udziały podział rozdział dział działy "
    "generał potencjał ideał upał zapał szał ciało ciała działo dzieło dzieła cały cała całe "
    "biały biała białe stały stała stałe doskonały doskonała wspaniały wspaniała "
    "skała skały chwili stali niedzieli kąpieli modeli hoteli przemysł pomysł pomysły zmysł "
    "namysł rzemiosło źródło źródła światło krzesło hasło masło mydło skrzydło skrzydła mogiła "
    "święto warto dojrzały dojrzała okazały"
)
_SUBORDINATORS = _words(
    "gdy kiedy jeśli jeżeli choć chociaż zanim odkąd skoro ponieważ dopóki aby żeby jak gdyby "
    "mimo chyba"
)
_OBLIQUE = re.compile(r"\w+(?:ego|emu|ą|ę|ym|im|ach|om|ami)")  # "Zatrzymano w 2023 r. Jana Kowalskiego"
_SENTENCE_BREAK = re.compile(r"[.!?…][\"'”’»)\]]*\s+(?=[\"'„“«(\[—–-]*\s*[^\W_])")


def _date_ends_sentence(
    flat: str, start: int, word: str, after: int, opener: bool, line_break: bool, rules: _Rules
) -> bool:
    """Whether a date's abbreviation ("2023 r.", "15 bm.") ends its sentence before a capital.

    Not when the date opens the sentence ("31 marca 2023 r. Sejm uchwalił"): a date alone is no
    sentence. Otherwise before a sentence opener or at a line break that ends a paragraph, and
    before other capitalised words when the sentence already has its verb ("Umowę podpisano 31
    marca 2023 r. Kowalski twierdzi"), unless a clause opened by "gdy", "jeśli"... is still
    waiting for its main clause, or the next word is in an oblique case ("... r. Kowalskiego")."""
    prefix = _sentence_so_far(flat, start, rules)
    words = [w.strip(",;:()\"'„”«»") for w in prefix.split()]
    words = [w for w in words if w]
    if all(w.lower() in _DATE_WORDS or _DATE_TOKEN.fullmatch(w) for w in words):
        return False
    if opener or line_break:
        return True
    name = re.match(r"\s+([^\W\d_]+)", flat[after:])
    if _OBLIQUE.fullmatch(word) or (name and name.group(1)[0].isupper() and _OBLIQUE.fullmatch(name.group(1))):
        return False
    if words[0].lower() in _SUBORDINATORS and "," not in prefix:
        return False
    return any(_PL_VERB.fullmatch(w.lower()) and w.lower() not in _NOT_VERBS for w in words)


def _sentence_so_far(flat: str, start: int, rules: _Rules) -> str:
    """The text from the last likely sentence end before ``start`` (or the block's start)."""
    window = max(0, start - 400)
    begin = window
    for match in _SENTENCE_BREAK.finditer(flat, window, start):
        if flat[match.end():start].lstrip("\"'„“«([—–- ")[:1].islower():
            continue  # a lowercase word goes on: "30 proc. w 2021 r."
        token = _TOKEN_BEFORE.search(flat, max(0, match.start() - 40), match.start()).group()
        if _abbreviation_kind(token, rules) in ("never", "initial", "numeric"):
            continue  # "ok. 300", "ul. Długiej", "G. Nowak": no sentence's end
        begin = match.end()
    return flat[begin:start]


_CENTURY = re.compile(r"\s+[IVX]{1,5}\s+w(?:iek\w*)?\b\.?")  # "XX wieku", "XXI w."
_SCALE_BEFORE = re.compile(r"(?:°|\bst\. ?)$")  # "30°C", "28 st. C"
_DAY_BEFORE = re.compile(r"\b\d{1,2} $")  # "15 X" (a Roman month)


def _no_initial(flat: str, start: int, token: str, opener: bool) -> bool:
    """A lone capital that is no initial but ends a sentence: a temperature's scale ("28 st. C.",
    "30°C."), a Roman month after a day ("15 X."), a Roman numeral before a common opener
    ("World War I. Later")."""
    before = flat[max(0, start - 4):start]
    if token in ("C", "F") and _SCALE_BEFORE.search(before):
        return True
    if token in ("I", "V", "X"):
        return opener or bool(_DAY_BEFORE.search(before))
    return False


def _counted(word: str, rules: _Rules) -> bool:
    """An acronym or a counted noun after a unit: "30 proc. PKB", "40 tys. Białorusinów"."""
    acronym = len(word) > 1 and word.isupper()
    return acronym or bool(rules.counted and rules.counted.fullmatch(word))


def _abbreviation_kind(token: str, rules: _Rules) -> str | None:
    if token.isupper() and _INITIALS.fullmatch(token):
        return "initial"  # G. | U.S. | Ł.
    key = token.lower()
    for kind in ("never", "numeric", "closing", "unit", "may"):
        if key in getattr(rules, kind):
            return kind
    return None


def _core_cuts(flat: str, core: Core) -> set[int]:
    """Offsets in ``flat`` where the core ends a sentence, window by window (see ``_WINDOW``)."""
    cuts: set[int] = set()
    start = 0
    while start < len(flat):
        seam = _word_end(flat, start + _WINDOW)
        lookahead = _after_words(flat, seam, 2)
        for cut in _map_sentences(flat, start, lookahead, core):
            if cut <= seam:
                cuts.add(cut)
        start = seam
    cuts.discard(len(flat))
    return cuts


def _word_end(flat: str, position: int) -> int:
    """The first space at or after ``position`` (or the end)."""
    space = flat.find(" ", position)
    return len(flat) if space < 0 else space


def _after_words(flat: str, position: int, count: int) -> int:
    """The end of the ``count``-th word that starts after ``position``."""
    for _ in range(count):
        while position < len(flat) and flat[position] == " ":
            position += 1
        position = _word_end(flat, position)
    return position


def _map_sentences(flat: str, start: int, end: int, core: Core) -> list[int]:
    """End offsets of the core's sentences in ``flat[start:end]``, found by counting non-spaces."""
    positions = [i for i in range(start, end) if flat[i] != " "]
    sentences = core(flat[start:end])
    if "".join(sentences).replace(" ", "") != "".join(flat[i] for i in positions):
        return []  # the core changed more than whitespace: trust only our own rules here
    ends, count = [], 0
    for sentence in sentences:
        count += len(sentence.replace(" ", ""))
        if count:
            ends.append(positions[count - 1] + 1)
    return ends


# --- the core splitter -----------------------------------------------------------------------


def _normalise_lang(lang: str) -> str:
    code = (lang or "").strip().lower().replace("_", "-").split("-")[0]
    return _LANG_ALIASES.get(code, code)


@lru_cache(maxsize=None)
def _core(code: str) -> Core:
    """The library splitter for ``code``: Moses rules, pysbd where only it knows the language."""
    try:
        return SentenceSplitter(language=code).split
    except SentenceSplitterException:
        pass
    try:
        segmenter = pysbd.Segmenter(language=code, clean=False)
        return lambda block: [s for s in segmenter.segment(block) if s.strip()]
    except ValueError:
        return SentenceSplitter(language="en").split
