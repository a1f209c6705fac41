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
  not). Single capital initials (G. O. Dyhrenfurth, A. Łukaszenka) never end a sentence. In
  Polish a short number with a dot is an ordinal, not a sentence's end, after a preposition
  ("w 3. Brygadzie") or at the start of a sentence ("5. Brygada"), unless an opener follows.
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


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


_RULES: dict[str, _Rules] = {
    "pl": _Rules(
        never=_words(
            "np m.in tzw tzn tj ds nt ul al pl os św dr prof gen płk ppłk mjr kpt por ks bp abp "
            "kard mgr inż hab doc red dyr ok ang ros ukr biał niem franc łac zob cyt im ur przyp "
            "woj pow gm mec adw sp śp jw płn płd wsch zach ob wz oprac fot"
        ),
        numeric=_words("nr pkt art ust par str tab godz zm poz s rozdz rys"),
        closing=_words("itd itp cdn kk kpk kc kpc kw"),  # ... and the codes of law: art. 148 kk.
        unit=_words("proc tys mln mld dol"),
        counted=re.compile(r"\w+(?:ów|an|ych|ich)"),  # 30 proc. Polaków, 40 tys. Rosjan
        may=_words("r in w ub.r br o.o"),
        openers=_words(
            "a ale i w we na nie po od do z ze za przez dla przy to ten ta te tego tym tych tak "
            "tam teraz wtedy potem później jak jednak dlatego kiedy gdy jeśli jeżeli czy co kto "
            "już jest są był była było byli on ona ono oni one my wy ja jego jej ich nasz nasi "
            "według obecnie wcześniej również także natomiast mimo choć chociaż można trzeba "
            "dziś dzisiaj wczoraj ponadto ponieważ bo więc zatem wiele wielu większość"
        ),
        ordinal_after=_words(
            "w we z ze na do od po przy o za pod nad przed dla ku przez między u "
            "nasz nasza naszej naszego swojej swojego tej tę"
        ),
    ),
    "en": _Rules(
        never=_words(
            "mr mrs ms messrs dr prof gen col lt sgt capt gov sen rep rev st mt e.g i.e cf vs viz "
            "approx dept"
        ),
        numeric=_words("no nos fig p pp vol ch art sec"),
        closing=_words("etc"),
        may=_words("jr sr inc ltd co corp bros a.m p.m"),
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
    cuts = set()
    for match in _CANDIDATE.finditer(flat):
        verdict = _verdict(flat, match, rules, lowercase_seen)
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


def _verdict(
    flat: str, match: re.Match[str], rules: _Rules, lowercase_seen: frozenset[str]
) -> bool | None:
    """True/False where our rules know better than the core; None to take the core's word."""
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
    if punct == "." and not closers:
        kind = _abbreviation_kind(token, rules)
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
            return opener
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
