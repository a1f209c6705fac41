"""term_inconsistency: one source term rendered in near-identical but different ways.

The case it is built for: Polish *Narodowe Zarządzanie Antykryzysowe* (also *Narodowego Zarządzania
Antykryzysowego*, *Narodowym Zarządzaniu Antykryzysowym*) translated *National Crisis Management*
once and *National Anti-Crisis Management* twice. A reader of the translation may take these for
two bodies.

How, without a term bank or a trained model:

1. Source terms: runs of 2-6 content words (stopwords excluded; in capitalised names a connector
   such as "of" or "i" may stand inside) that recur in at least two beads. Words are compared by
   ``align.morph`` keys, so inflected forms group. A shorter run that only ever occurs inside a
   longer one is dropped (for rewordings, step 5, only when it holds no capital inside a
   sentence: a name in a clause the source repeats is a term of its own, whereas a common-noun
   phrase there is part of the clause); runs made mostly of proper names are left to the
   name_variant checker. For rewordings, a German hyphenated compound at a run's end also
   stands for its last part (grossen Himalaya-Berge holds grossen Berge), and an abbreviation
   (SFr., UE) is a term alone, rendered only by words its letters spell out (francs suisses,
   European Union): neither the encoder nor a dictionary knows what it stands for.
2. Renderings: in each of the term's beads, the candidate target phrases are capitalised names
   and the shorter names inside them (National Anti-Crisis Management Office, National
   Anti-Crisis Management), and runs of 2-5 lower-case content words (German: ending in a noun;
   French: with "de" inside). Phrases common elsewhere in the translation are not specific to
   the term and are ignored. Each bead keeps the candidate that has a close match (rapidfuzz
   token-sort ratio on the words' morph groups) in the most other beads of the term; ties go to
   the one as long as the term and at the same place in the sentence.
3. Families: renderings equal up to inflection and hyphenation are one rendering. A rendering that
   only adds one trailing word to another (... Management / ... Management Office) joins its
   family: a trailing classifier word (Office, Agency, Council) fills out the same name, and a
   reader still sees one body, whereas a change inside the name (Crisis / Anti-Crisis) reads as a
   different one. The extended form is still shown in the evidence.
4. Families of one term that differ by one content word added, dropped or changed, in the same
   order, are an inconsistency: the minority families are reported, the majority (or the
   glossary's pinned rendering) is the suggestion. Other differences (Russian troops / Russian
   army, Ambassador of Belarus / Belarusian Ambassador) are as likely to be paraphrase as a term
   problem and are not reported; nor is an extra word in a common-noun term when the source has
   an extra word next to the term in the same places (temporary military occupation).
5. Rewordings (``rewordings``): the fuzzy families miss a word swapped for a synonym or dropped
   (Security Council -> Federal Council, government in exile -> cabinet in exile). Compared word
   by word, such a rendering is the term's usual rendering with one content word changed, added
   or dropped, in a bead whose source holds the same term. The encoder confirms that the usual
   rendering translates the term (cosine >= 0.5), so two unrelated phrases one word apart are
   not taken for a term's renderings. A dropped word is low severity (often a shortened second
   mention), as is anything in a common-noun term; a changed or added word in a name is medium.
   A rendering cut down to one word is taken for a shortened mention and left alone, unless the
   word left is the modifier without its noun (democratic forces -> democratic, roupies
   indiennes -> indiennes; see ``_modifier_only``).
6. A bilingual dictionary (``CheckContext.dictionary``), when installed, settles what the
   encoder cannot (``_DictionaryEvidence``): it reads a long compound poorly (Schneeinsel), and
   a phrase used once each way is a tie. Where every word of the usual rendering renders a word of the
   term (îlots de neige: Schnee + Insel), a variant with one word changed is reported, in a name
   or a compound, unless its new word renders another word of its own source or, outside a
   name, is the dictionary's rendering too (a synonym). In an ordinary phrase used once each
   way (roupies indiennes / roupies hindoues) the encoder need only put the better of the two
   close to the term, not both near it, when the dictionary confirms one in full and the other's
   new word renders nothing in its source (roupies spéciales).
7. What is not a change: a name's possessive for its adjective (Ukraine's president / Ukrainian
   President); with a dictionary, a differing word that renders no word of the term but another
   word of its own source (a neighbour taken into the phrase: "president asks" for prezydent
   Ukrainy prosi); a rendering whose sentence holds the usual rendering's words reordered around
   it ("Minister of Foreign Affairs", cut to "Foreign Affairs", beside "Foreign Minister").
8. A tie (one place each way) is reported at the less likely rendering, whichever comes first:
   the one the dictionary does not confirm when it confirms the other (General of Culture beside
   Minister of Culture for minister kultury); else the one whose word the translation does not
   use with the term's words elsewhere (safety guarantees, where Rada Bezpieczeństwa is always
   the Security Council); else the one the encoder puts further from the term.
"""

from __future__ import annotations

import dataclasses
import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from functools import cached_property, lru_cache
from typing import Any, Callable, Iterable, NamedTuple, Sequence

import numpy as np
from rapidfuzz import fuzz, process
from rapidfuzz.distance import Levenshtein

from align import morph
from align.lexicon import Dictionary, fold, lemma, renders
from align.translit import cognate_keys, name_key
from align.checks.base import CheckContext
from align.types import Bead, Issue, Severity

__all__ = ["KINDS", "check", "term_uses", "TermUse", "SourceTerm", "Occurrence", "Rendering"]

KINDS = ("term_inconsistency",)

_SIMILAR = 80  # token-sort ratio at which two renderings count as variants of one rendering
_SPECIFIC = 0.5  # share of a phrase's beads that must hold the term for it to be a rendering
_MAX_TERM = 6  # words in a source term
_MAX_LOWER = 5  # words in a lower-case target candidate
_MIN_LETTERS = 3  # letters of a content word in a lower-case term

_TOKEN = re.compile(r"[^\W\d_]+(?:['’\-‐][^\W\d_]+)*")
_HYPHEN = re.compile(r"[\-‐]")
# an elided article or pronoun written onto the next word (l'officier, dell'Himalaya): the word is
# what follows it, so that l'officier de liaison and un officier de liaison are one rendering
_ELISION = {
    code: re.compile(rf"(?i)(?:{prefixes})['’](?=[^\W\d_])")
    for code, prefixes in {
        "fr": "c|d|j|l|m|n|s|t|qu|jusqu|lorsqu|puisqu|quoiqu|presqu",
        "it": "c|d|l|m|s|t|v|un|all|dall|dell|nell|sull|coll|quell|bell|sant|tutt",
        "ca": "d|l|m|n|s|t",
    }.items()
}
_OPENING = "\"'„“”«»‘’([—–- \t\r\n"
_SENTENCE_END = ".!?…:"
_CAPITALISES_NOUNS = frozenset({"de", "lb"})  # capitals there mark nouns, not names
_COMPOUNDING = frozenset({"de", "nl", "sv", "da", "nb", "no"})  # compounds written as one word
_COMPOUND = 10  # letters of a single word taken as a compound term


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Function words and very common words; a term neither starts nor ends with one.
_STOPWORDS: dict[str, frozenset[str]] = {
    "pl": _words(
        "a aby ach albo ale ani aż bardzo bez bo być był była było byli były będzie będą bym "
        "by co coś czy czyli dla do dlaczego dlatego dość gdy gdyż gdzie go i ich ile im inne "
        "inny iż ja jak jaki jakie jako je jednak jego jej jest jestem jeszcze jeśli jeżeli już "
        "ją każdy kiedy kto która które którego której który których którym którzy ku lub ma "
        "mają mam mamy mi mnie może można mu my na nad nam nas nasi nasz nasza nasze naszych "
        "naszym naszej naszego naszą naszymi naszemu wasz wasza wasze waszych waszym waszej waszego "
        "waszą moim mojej mojego moją moich twój twoja twoje twoim twojej twojego "
        "nawet nic nich nie nim niż no o od oraz on ona one oni ono po pod podczas ponieważ "
        "przed przez przy sam się są ta tak także tam te tego tej ten teraz też to tu tych tylko "
        "tym tu u w we wie więc wszystko wszyscy wśród z za ze że żeby jeden jedna jedno dwa "
        "dwie tę tą nami wam was wy ty ci sobie siebie swoje swój swoją swojego swojej mój moja "
        "moje natomiast również zawsze nigdy bardziej najbardziej wtedy potem później dziś "
        "dzisiaj obecnie wcześniej wciąż właśnie chyba raczej przecież zresztą jakby tutaj "
        "tyle tylu wiele wielu kilka kilku m.in np tzw itd itp wobec według mimo choć chociaż "
        "inny inna inne innych innego wszystkich wszystkie wszystkim cały cała całe całego całej "
        "dwóch trzy trzech cztery pięć sto tysiąc pierwszy ostatni raz razy"
    ),
    "en": _words(
        "a about above after again against all also am an and any are aren't as at be because "
        "been before being below between both but by can can't cannot could couldn't did didn't "
        "do does doesn't doing don't down during each even ever every few for from further had "
        "hadn't has hasn't have haven't having he her here hers herself him himself his how i "
        "if in into is isn't it it's its itself just let's may me might more most must my "
        "myself no nor not now of off on once only or other ought our ours ourselves out over "
        "own same shall she should so some such than that that's the their theirs them "
        "themselves then there there's these they this those through to too under until up "
        "upon us very was wasn't we were weren't what when where whether which while who whom "
        "whose why will with within without won't would wouldn't yet you your yours yourself "
        "one two however therefore thus also already still really quite rather many much "
        "like well other others another several each first last next three four five six seven "
        "eight nine ten hundred thousand times"
    ),
    "de": _words(
        "aber alle allem allen aller alles als also am an ans auch auf aus bei beim bin bis "
        "bist da damit dann das dass dem den denn der des die dies diese diesem diesen dieser "
        "dieses doch dort du durch ein eine einem einen einer eines er es etwas für gegen hat "
        "hatte hier ich ihm ihn ihr ihre im in ist ja jede jeder jedes jetzt kann kein keine "
        "man mehr mich mir mit muss nach nicht noch nun nur ob oder ohne sehr sein seine sich "
        "sie sind so soll sondern sowie über um und uns unser unter vom von vor war waren was "
        "weil welche wenn wer werden wie wieder wir wird wo zu zum zur zwischen "
        "haben habe hatten wurde wurden worden sei seien gegen während seit immer schon bereits "
        "etwa andere anderen anderer anderes einige einigen mehrere viele vielen wenige ganz "
        "ganze ganzen zwei drei vier fünf sechs sieben acht neun zehn hundert tausend mal"
    ),
    "fr": _words(
        "à au aux avec ce ces cette ceci cela celle celui comme dans de des du elle elles en "
        "est et été être eu il ils je la le les leur leurs lui ma mais me même mes moi mon ne "
        "nos notre nous on ou où par pas pour qu que qui sa se ses si son sont sur ta te tes "
        "toi ton tous tout toute toutes tu un une vos votre vous y a ai avait avons ont était "
        "fait plus très aussi alors donc ainsi autre autres plusieurs quelques chaque certains "
        "certaines tel telle tels telles pendant depuis entre vers chez sans sous après avant "
        "contre selon durant parmi lors encore déjà toujours jamais peu beaucoup trop assez "
        "deux trois quatre cinq six sept huit neuf dix cent mille fois"
    ),
}
# Words that are stopwords in any language: not compared when renderings are compared (a French
# text may cite "The Alpine Journal" and once "Alpine Journal").
_ANY_STOPWORDS = frozenset().union(*_STOPWORDS.values())
# A two-word term's noun stands first in French (roupies indiennes), last in English and German
# (democratic forces); an adjective is told by its ending. Other target languages keep every
# one-word mention (Polish puts an adjective on either side of its noun).
_NOUN_FIRST = frozenset({"fr"})
_ADJECTIVE = {
    "en": re.compile(r"(?:ic|al|ous|ive|an|ese|ish|ful|less|able|ible|ary|ory|ern)$"),
    "fr": re.compile(r"(?:iques?|iens?|iennes?|aise?s?|ales?|aux|ifs?|ives?|eux|euses?|aires?|els?|elles?|ables?|ibles?)$"),
    "de": re.compile(r"(?:isch|lich|ig|bar|sam|los|haft)(?:e|em|en|er|es)?$"),
}
# Lower-case words that may stand inside any French term (gestion de crise).
_INNER_CONNECTORS: dict[str, frozenset[str]] = {"fr": _words("de du des d'")}
# For comparing renderings word by word: words that may stand alone between two content words
# of a term in any language (rząd na uchodźstwie, government in exile), never at its ends.
_WORD_CONNECTORS: dict[str, frozenset[str]] = {
    "pl": _words("na w we z ze do od dla"),
    "en": _words("of in for on"),
    "de": _words("der des von für zur zum"),
    "fr": _words("de du des à"),
}
# Lower-case words that may stand inside a capitalised name (Minister of Culture).
_CONNECTORS: dict[str, frozenset[str]] = {
    "pl": _words("i ds. do"),
    "en": _words("of for and the on in"),
    "de": _words("für und der des die von"),
    "fr": _words("de du des la le et pour l'"),
}


class _Token(NamedTuple):  # a tuple, not a dataclass: a book has a hundred thousand words a side
    text: str
    start: int
    end: int
    key: str  # the morph group of each hyphen-separated part, joined with "-"
    stop: bool
    capital: bool
    initial: bool  # first word of a sentence
    name_like: bool
    joined: bool = False  # only spaces between it and the word before it
    place: int = 0  # its number among its text's tokens


@dataclass(frozen=True)
class Occurrence:
    """A source term in one bead: its words as written there and where they start (0..1)."""

    bead: int
    surface: str
    position: float
    neighbours: frozenset[str] = frozenset()  # content words right before or after it


@dataclass(frozen=True)
class SourceTerm:
    """A recurring source phrase; ``key`` is its words' morph groups."""

    key: tuple[str, ...]
    occurrences: tuple[Occurrence, ...]
    capitalised: bool
    size: int = 0  # content words (connectors such as "of" not counted)

    @property
    def beads(self) -> tuple[int, ...]:
        return tuple(o.bead for o in self.occurrences)

    @property
    def display(self) -> str:
        """The shortest written form: for Polish usually the nominative."""
        return min((o.surface for o in self.occurrences), key=len)


@dataclass(frozen=True)
class Rendering:
    """A target phrase taken as the translation of a term in one bead."""

    bead: int
    surface: str
    key: tuple[str, ...]
    norm: str  # the words' morph groups, for fuzzy comparison across inflections
    position: float
    capital: bool = False  # a capitalised name (or a piece of one)
    size: int = 0  # content words; a hyphenated compound is one
    extended: str = ""  # the whole name when this is its first part (... Management Office)
    words: tuple[str, ...] = ()  # morph groups of the content words, compounds whole


@dataclass(frozen=True)
class TermUse:
    """A source term with the rendering chosen in each bead where one was found."""

    term: SourceTerm
    renderings: tuple[Rendering, ...]


def check(ctx: CheckContext) -> list[Issue]:
    issues: list[Issue] = []
    seen: set[tuple[tuple[int, ...], str]] = set()
    sides = _Sides.of(ctx)
    neighbours = _neighbour_evidence(ctx, sides)
    found = [issue for use in term_uses(ctx, sides) for issue in _issues(use, ctx, neighbours)]
    found += [_reworded_issue(r, ctx) for r in rewordings(ctx, sides)]
    for issue in found:  # one issue per place and fix: the two ways may find the same one
        keys = {(issue.tgt, "=" + (issue.replaces or "").lower()), (issue.tgt, (issue.suggestion or "").lower())}
        if not keys & seen:
            seen |= keys
            issues.append(issue)
    return issues


@dataclass(frozen=True)
class _Sides:
    """Each bead's joined texts and tokens on both sides, made once for both ways of checking."""

    beads: tuple[Bead, ...]
    src_texts: tuple[str, ...]
    tgt_texts: tuple[str, ...]
    src_tokens: tuple[list[_Token], ...]
    tgt_tokens: tuple[list[_Token], ...]

    @classmethod
    def of(cls, ctx: CheckContext) -> _Sides:
        pairs = ctx.pairs()
        src_texts = tuple(text for _, text, _ in pairs)
        tgt_texts = tuple(text for _, _, text in pairs)
        return cls(
            tuple(bead for bead, _, _ in pairs), src_texts, tgt_texts,
            tuple(_tokenise_side(src_texts, ctx.source.lang)), tuple(_tokenise_side(tgt_texts, ctx.target.lang)),
        )


def term_uses(ctx: CheckContext, sides: _Sides | None = None) -> list[TermUse]:
    """Every recurring source term with its renderings, most term-like terms first."""
    sides = sides or _Sides.of(ctx)
    beads, src_texts, tgt_texts = sides.beads, sides.src_texts, sides.tgt_texts
    src_tokens, tgt_tokens = sides.src_tokens, sides.tgt_tokens
    grams = [_target_grams(tokens, ctx.target.lang) for tokens in tgt_tokens]
    phrase_beads: dict[tuple[str, ...], set[int]] = defaultdict(set)
    for i, found in enumerate(grams):
        for key in found:
            phrase_beads[key].add(i)
    made: dict[int, list[Rendering]] = {}

    def candidates(bead: int) -> list[Rendering]:
        """Made for the beads that hold a term only: most beads of a text hold none."""
        if bead not in made:
            made[bead] = _target_phrases(bead, grams[bead], tgt_tokens[bead], tgt_texts[bead], ctx.target.lang)
        return made[bead]

    uses = []
    for term in _source_terms(src_tokens, src_texts, ctx.source.lang):
        term_beads = [i for i in term.beads if beads[i].tgt]
        if len(term_beads) < 2:
            continue
        chosen = _choose_renderings(term, term_beads, candidates, phrase_beads)
        if len(chosen) >= 2:
            uses.append(TermUse(term, tuple(chosen)))
    return uses


# --- tokens ----------------------------------------------------------------------------------


def _tokenise_side(texts: Sequence[str], lang: str) -> list[list[_Token]]:
    """Tokens of each text, with one morph grouping for the whole document."""
    code = morph.lang_code(lang)
    # words in first-seen order (so are their parts); no match objects are kept: a book's
    # hundreds of thousands would each be walked by the garbage collector
    stop = _STOPWORDS.get(code, frozenset())
    elision = _ELISION.get(code)
    elided: dict[str, int] = {}  # a word as written -> letters of its elided article or pronoun

    def cut(word: str) -> int:
        if word not in elided:
            m = elision.match(word) if elision and word.lower().replace("’", "'") not in stop else None
            elided[word] = m.end() if m else 0
        return elided[word]

    words = dict.fromkeys(word[cut(word):] for text in texts for word in _TOKEN.findall(text))
    groups = morph.group_words([p for word in words for p in _HYPHEN.split(word)], code)
    traits = {word: _traits(word, groups, stop, code) for word in words}  # once a word, not once a use
    gaps: dict[str, tuple[bool, bool]] = {}  # the text between two words: mostly a few kinds
    tokens = []
    for text in texts:
        side: list[_Token] = []
        end = None  # of the word before
        for m in _TOKEN.finditer(text):
            word, (start, after) = m.group(), m.span()
            if end is None:
                joined, initial = False, _starts_sentence(text, start)
            elif (gap := text[end:start]) in gaps:
                joined, initial = gaps[gap]
            elif len(gap) < _LOOK_BACK:
                joined, initial = gaps[gap] = _after_gap(gap)
            else:
                joined, initial = not gap.strip(), _starts_sentence(text, start)
            k = cut(word)
            key, is_stop, capital, name_like = traits[word[k:]]
            side.append(_Token(word[k:], start + k, after, key, is_stop, capital, initial, name_like, joined, len(side)))
            end = after
        tokens.append(side)
    return tokens


def _traits(word: str, groups: dict[str, str], stop: frozenset[str], code: str) -> tuple[str, bool, bool, bool]:
    """A word's morph key, whether it is a stopword, capitalised, and looks like a name."""
    parts = _HYPHEN.split(word)
    return (
        "-".join(groups[p.lower()] for p in parts),
        word.lower().replace("’", "'") in stop,
        word[:1].isupper(),
        all(morph.is_name_like(p, code) for p in parts),
    )


_LOOK_BACK = 40  # characters before a word searched for the end of a sentence


def _starts_sentence(text: str, start: int) -> bool:
    window = max(0, start - _LOOK_BACK)  # only quotes, dashes and spaces may stand in between
    before = text[window:start].rstrip(_OPENING)
    return before[-1] in _SENTENCE_END if before else window == 0


def _after_gap(gap: str) -> tuple[bool, bool]:
    """Whether the word after ``gap`` (shorter than the look-back) is joined to the word before
    it, and starts a sentence: as ``_starts_sentence`` says, since the word before ends the
    look-back (a letter is no opening mark)."""
    before = gap.rstrip(_OPENING)
    return not gap.strip(), bool(before) and before[-1] in _SENTENCE_END


def _capitalised_runs(tokens: Sequence[_Token], code: str) -> list[list[_Token]]:
    """Capitalised names, with single connector words inside (Minister of Culture); punctuation
    ends a name.

    A stopword at either end is dropped (The National ...); a sentence-initial content word gives
    the run both with and without it, as its capital may be the sentence's, not the name's.
    """
    connectors = _CONNECTORS.get(code, frozenset())
    found: list[list[_Token]] = []
    current: list[_Token] = []
    for tok in [*tokens, None]:
        if tok is not None and tok.joined and (tok.capital or (
            current and current[-1].capital and tok.text.lower() in connectors
        )):
            current.append(tok)
            continue
        while current and (current[-1].stop or not current[-1].capital):
            current.pop()
        if len(current) >= 2:
            found.extend(_initial_variants(current))
        current = [tok] if tok is not None and tok.capital else []
    return [r for r in found if len(r) >= 2]


def _initial_variants(run: list[_Token]) -> list[list[_Token]]:
    if not run:
        return []
    if run[0].stop:
        return [run[1:]]
    if run[0].initial:
        return [run, run[1:]]
    return [run]


def _content_ngrams(
    tokens: Sequence[_Token],
    code: str,
    longest: int,
    fits: Callable[[list[_Token]], bool] = lambda gram: True,
    connectors: dict[str, frozenset[str]] = _INNER_CONNECTORS,
) -> list[list[_Token]]:
    """Runs of 2..``longest`` adjacent content words that ``fits`` accepts.

    A single connector word may stand inside (gestion de crise).
    """
    inner = connectors.get(code, frozenset())
    grams: list[list[_Token]] = []
    stretch: list[_Token] = []
    for tok in tokens:
        kept = not tok.stop or tok.text.lower() in inner
        if kept and tok.joined:
            stretch.append(tok)
            continue
        if len(stretch) >= 2:  # punctuation or a stopword ends it
            grams.extend(_grams_of(stretch, longest, fits))
        stretch = [tok] if kept else []
    if len(stretch) >= 2:
        grams.extend(_grams_of(stretch, longest, fits))
    return grams


def _grams_of(stretch: list[_Token], longest: int, fits: Callable[[list[_Token]], bool]) -> list[list[_Token]]:
    """The stretch's grams that start and end with a content word and hold no two connectors
    in a row."""
    grams = []
    n = len(stretch)
    for i in range(n):
        if stretch[i].stop:
            continue
        for j in range(i + 2, min(n, i + longest) + 1):
            if stretch[j - 1].stop:
                if stretch[j - 2].stop:
                    break  # two connectors in a row: so are all longer grams from i
                continue
            gram = stretch[i:j]
            if fits(gram):
                grams.append(gram)
    return grams


def _mostly_names(tokens: Sequence[_Token]) -> bool:
    content = names = 0  # counted in a loop: this is asked of every gram
    for t in tokens:
        if not t.stop:
            content += 1
            names += t.name_like
    return names * 2 > content


# --- source terms ----------------------------------------------------------------------------


def _source_terms(
    tokens_by_bead: Sequence[Sequence[_Token]], texts: Sequence[str], lang: str, words: bool = False
) -> list[SourceTerm]:
    """Recurring multi-word source terms, most term-like first (capitalised, long, frequent).

    With ``words`` (for comparing renderings word by word), a term may hold a connector in any
    language (rząd na uchodźstwie), and in a language that writes compounds as one word a long
    noun alone is a term too (Verbindungsoffizier -> officier de liaison), and a shorter term
    inside a longer one is kept if it has a capital inside a sentence (rosyjskim Sztabem
    Generalnym inside a repeated clause; any German noun).
    """
    code = morph.lang_code(lang)
    connectors = _WORD_CONNECTORS if words else _INNER_CONNECTORS
    seen: dict[tuple[tuple[str, ...], bool], list[tuple[int, list[_Token]]]] = defaultdict(list)  # key, named -> (bead, gram)
    for bead, tokens in enumerate(tokens_by_bead):
        grams = list(_source_grams(tokens, code, connectors))
        if words and code in _COMPOUNDING:
            grams += [[t] for t in tokens if _compound_noun(t)]
            grams += [gram[:-1] + [_head_of(gram[-1])] for gram in grams if len(gram) >= 2 and "-" in gram[-1].key]
        if words:
            grams += [[t] for t in tokens if _is_abbreviation(t.text)]
        for gram in grams:
            # a name (Polskie Elektrownie Jądrowe, the company) and the same words as an ordinary
            # phrase (polskich elektrowni, Polish power plants) are two terms
            named_form = code not in _CAPITALISES_NOUNS and any(t.capital and not t.initial for t in gram if not t.stop)
            seen[(tuple([t.key for t in gram]), named_form)].append((bead, gram))
    terms = []
    named: set[tuple[str, ...]] = set()  # with a capital inside a sentence
    for (key, _), uses in seen.items():
        if uses[0][0] == uses[-1][0]:
            continue  # in one bead: most grams of a long text, so nothing more is worked out for them
        first: dict[int, list[_Token]] = {}  # bead -> its first gram
        for bead, gram in uses:
            first.setdefault(bead, gram)
        occurrences = tuple(_occurrence(b, gram, tokens_by_bead[b], texts[b]) for b, gram in first.items())
        capitalised = any(all(t.capital for t in gram if not t.stop) for _, gram in uses)
        terms.append(SourceTerm(key, occurrences, capitalised, sum(not t.stop for t in uses[-1][1])))
        if words and (code in _CAPITALISES_NOUNS or any(t.capital and not t.initial for _, g in uses for t in g)):
            named.add(key)
    terms = _drop_contained(terms, named)
    return sorted(terms, key=lambda t: (not t.capitalised, -len(t.key), -len(t.occurrences)))


def _is_abbreviation(word: str) -> bool:
    """Two to six letters, two or more of them capitals (SFr., NATO, UE, CHF), and no Roman
    numeral (Lager II)."""
    return (
        2 <= len(word) <= 6 and word.isalpha() and sum(map(str.isupper, word)) >= 2
        and not _ROMAN.fullmatch(word)
    )


_ROMAN = re.compile(r"[IVXLCDM]+")


def _spelled_out(abbreviation: str, words: Sequence[str]) -> bool:
    """Whether ``words`` spell out ``abbreviation``: its letters, cut into pieces, begin each of
    them, in any order (SFr.: francs suisses, Schweizer Franken; UE: European Union), as a
    translation writes out a currency or a body the source abbreviates."""
    letters = fold(abbreviation)
    heads = [fold(w) for w in words]

    def covers(rest: str, left: list[str]) -> bool:
        if not rest:
            return not left
        return any(
            w.startswith(rest[:k]) and covers(rest[k:], left[:i] + left[i + 1 :])
            for k in range(1, len(rest) + 1) for i, w in enumerate(left)
        )

    return 2 <= len(heads) <= len(letters) and covers(letters, heads)


def _head_of(token: _Token) -> _Token:
    """A hyphenated compound read as its last part, which names what it is: grossen
    Himalaya-Berge holds the term of grossen Berge, as britische Himalaya-Expedition holds
    britische Expedition."""
    return token._replace(key=token.key.rsplit("-", 1)[-1])


def _occurrence(bead: int, gram: list[_Token], tokens: Sequence[_Token], text: str) -> Occurrence:
    around = _neighbours(gram, tokens)
    return Occurrence(bead, text[gram[0].start : gram[-1].end], gram[0].start / max(len(text), 1), around)


def _compound_noun(token: _Token) -> bool:
    """A long capitalised word inside a sentence, not an adjective made from a name
    (Verbindungsoffizier, Wasserscheide; not Österreichische). The lexicon knows few compounds,
    so they look like names to it; that test is not made."""
    word = token.text.lower()
    return (
        token.capital and not token.initial and not token.stop
        and len(word) >= _COMPOUND and not word.endswith(_ADJECTIVE_ENDINGS)
    )


_ADJECTIVE_ENDINGS = tuple(f"{stem}{end}" for stem in ("isch", "lich", "ig") for end in ("", "e", "en", "er", "es", "em"))


def _neighbours(gram: list[_Token], tokens: Sequence[_Token], reach: int = 2) -> frozenset[str]:
    """Keys of the content words among the ``reach`` words right before and after ``gram``
    (tymczasowy białoruski | rząd na uchodźstwie), up to punctuation."""
    first, last = gram[0].place, gram[-1].place
    around = []
    k = first
    while k > 0 and first - k < reach and tokens[k].joined:
        k -= 1
        around.append(tokens[k])
    k = last
    while k + 1 < len(tokens) and k - last < reach and tokens[k + 1].joined:
        k += 1
        around.append(tokens[k])
    return frozenset(t.key for t in around if not t.stop)


def _source_grams(
    tokens: Sequence[_Token], code: str, connectors: dict[str, frozenset[str]]
) -> Iterable[list[_Token]]:
    for gram in _capitalised_runs(tokens, code):
        if len(gram) <= _MAX_TERM and not _mostly_names(gram):
            yield gram

    def long_enough(gram: list[_Token]) -> bool:
        return all(len(t.text) >= _MIN_LETTERS for t in gram if not t.stop)

    for gram in _content_ngrams(tokens, code, _MAX_TERM, long_enough, connectors):
        if not _mostly_names(gram):
            yield gram


def _drop_contained(terms: list[SourceTerm], keep: set[tuple[str, ...]]) -> list[SourceTerm]:
    """Drop a term that occurs only inside one longer term (Zarządzanie Antykryzysowe), unless
    it is in ``keep``."""
    inside: dict[tuple[str, ...], set[tuple[int, ...]]] = defaultdict(set)
    kept = []
    for term in sorted(terms, key=lambda t: -len(t.key)):
        beads = tuple(sorted(term.beads))
        if beads in inside.get(term.key, ()) and term.key not in keep:
            continue
        kept.append(term)
        n = len(term.key)
        for i in range(n):
            for j in range(i + 2, n + 1):
                if j - i < n:
                    inside[term.key[i:j]].add(beads)
    return kept


# --- renderings ------------------------------------------------------------------------------


def _target_grams(tokens: Sequence[_Token], lang: str) -> dict[tuple[str, ...], tuple[int, int, int]]:
    """Candidate renderings in a target text: each phrase's key, with where its first gram is
    (its first and last token, and where the name it starts ends in the text).

    Places, not lists of tokens: they are kept for every bead of a long text, and the garbage
    collector would walk lists again and again.
    """
    code = morph.lang_code(lang)
    grams: list[tuple[list[_Token], list[_Token]]]  # (phrase, the name it is part of)
    if code in _CAPITALISES_NOUNS:
        grams = [(g, g) for g in _content_ngrams(tokens, code, _MAX_LOWER, _ends_in_noun)]
    else:
        names = _capitalised_runs(tokens, code)
        parts = [(part, run) for run in names for part in _sub_runs(run)]
        lower = _content_ngrams(tokens, code, _MAX_LOWER, _lower_after_first)
        grams = [(run, run) for run in names] + parts + [(g, g) for g in lower]
    found: dict[tuple[str, ...], tuple[int, int, int]] = {}
    for gram, whole in grams:
        key = tuple("-".join([t.key for t in gram]).split("-"))  # a hyphenated word's parts apart
        if key not in found and not _mostly_names(gram):
            name_end = whole[-1].end if whole[0] is gram[0] else gram[-1].end  # of the name it starts
            found[key] = (gram[0].place, gram[-1].place, name_end)
    return found


def _target_phrases(
    bead: int, grams: dict[tuple[str, ...], tuple[int, int, int]], tokens: Sequence[_Token], text: str,
    lang: str,
) -> list[Rendering]:
    """The candidate renderings (``_target_grams``) in the target text of the ``bead``-th pair."""
    names_capitalised = morph.lang_code(lang) not in _CAPITALISES_NOUNS
    phrases = []
    for key, (first, last, name_end) in grams.items():
        gram = tokens[first : last + 1]
        surface = text[gram[0].start : gram[-1].end]
        phrases.append(
            Rendering(
                bead=bead,
                surface=surface,
                key=key,
                norm=" ".join(key),
                position=gram[0].start / max(len(text), 1),
                capital=names_capitalised and all(t.capital for t in gram if not t.stop),
                size=sum(not t.stop for t in gram),
                words=tuple(t.key for t in gram if t.text.lower() not in _ANY_STOPWORDS),
                extended=text[gram[0].start : name_end],
            )
        )
    return phrases


def _ends_in_noun(gram: list[_Token]) -> bool:
    """German: a noun phrase ends with its noun, which has a capital (not an initial)."""
    return gram[-1].capital and len(gram[-1].text) > 1


def _lower_after_first(gram: list[_Token]) -> bool:
    """A common-noun phrase, or one whose first word only has a capital (Gestion de crise)."""
    return not any(t.capital for t in gram[1:]) and all(len(t.text) > 1 for t in gram)


def _sub_runs(run: list[_Token]) -> list[list[_Token]]:
    """Shorter names inside a capitalised run: Minister of Culture and Belarusian Ambassador ->
    Minister of Culture, Belarusian Ambassador, ... (each starts and ends with a capital)."""
    ends = [k for k, t in enumerate(run) if t.capital and not t.stop]
    return [
        run[i : j + 1]
        for i in ends
        for j in ends
        if i <= j and (i, j) != (0, len(run) - 1) and sum(not t.stop for t in run[i : j + 1]) >= 2
    ]


def _choose_renderings(
    term: SourceTerm,
    term_beads: Sequence[int],
    candidates: Callable[[int], Sequence[Rendering]],
    phrase_beads: dict[tuple[str, ...], set[int]],
) -> list[Rendering]:
    """In each bead, the candidate with a close match in the most of the term's other beads.

    Ties go to the candidate as long as the term and at the same place in its sentence (Gestion
    nationale anticrise, not its part Gestion nationale, which all beads share), then to the
    closest matches.
    """
    bead_set = set(term_beads)
    longest = term.size + 3
    pool: list[Rendering] = []
    for b in term_beads:
        for p in candidates(b):
            beads = phrase_beads[p.key]
            if p.size <= longest and len(beads & bead_set) >= _SPECIFIC * len(beads):
                pool.append(p)
    if not pool:
        return []
    norms = list(dict.fromkeys(p.norm for p in pool))  # a term's rendering recurs: scored once
    row_of = {norm: k for k, norm in enumerate(norms)}
    rows = np.array([row_of[p.norm] for p in pool])
    scores = process.cdist(norms, norms, scorer=fuzz.token_sort_ratio, score_cutoff=_SIMILAR, dtype=np.int32)
    scores = scores[np.ix_(rows, rows)]
    owner = np.array([p.bead for p in pool])
    new_bead = np.r_[True, owner[1:] != owner[:-1]]  # pool is grouped by bead
    starts = np.flatnonzero(new_bead)
    best_per_bead = np.maximum.reduceat(scores, starts, axis=1)  # (phrase, bead) best match
    own = best_per_bead[np.arange(len(pool)), np.cumsum(new_bead) - 1]  # its own bead's column
    coverage = (np.count_nonzero(best_per_bead, axis=1) - (own > 0)).tolist()  # other beads matched
    closeness = (best_per_bead.sum(axis=1) - own).tolist()
    positions = {o.bead: o.position for o in term.occurrences}
    chosen = []
    for start, end in zip(starts.tolist(), [*starts[1:].tolist(), len(pool)]):
        best, best_rank = None, None
        for i in range(start, end):
            if coverage[i] == 0:
                continue
            p = pool[i]
            # as long as the term and at the same place in the sentence; a quarter of the
            # sentence away weighs as much as one word too many or too few
            misfit = abs(p.size - term.size) + 4 * abs(p.position - positions[p.bead])
            rank = (
                term.capitalised and p.capital,  # a name is rendered by a name
                coverage[i],
                -misfit,
                closeness[i],
            )
            if best_rank is None or rank > best_rank:
                best, best_rank = p, rank
        if best is not None:
            chosen.append(best)
    return chosen


# --- one word of a rendering changed, added or dropped ---------------------------------------
#
# The fuzzy families above catch near-identical spellings (Crisis / Anti-Crisis). A translator
# also swaps a word for a synonym or drops one: Security Council -> Federal Council, government in
# exile -> cabinet in exile, current situation -> situation. Compared word by word, such a
# rendering is the term's usual rendering with one content word changed, added or dropped, in a
# bead whose source holds the same term.


_TRANSLATES = 0.5  # encoder cosine of a source term and a phrase taken as its rendering
_ESTABLISHED = 0.3  # ... when the usual rendering is used in two or more places
_NEAR = 0.45  # ... and of a term and its other rendering, when each is used once


@dataclass(frozen=True)
class Rewording:
    """A bead where ``term`` is rendered as ``usual`` with one word changed (``how``)."""

    term: SourceTerm
    bead: int
    surface: str  # the rendering found in this bead
    usual: str  # the rendering of the term's other beads
    usual_beads: tuple[int, ...]
    how: str  # "changed", "added" or "dropped"
    forms: tuple[str, ...] = ()  # the usual rendering as each of its places writes it


@dataclass(frozen=True)
class _Candidate:
    """A phrase of some of a term's beads, and the beads lacking it that have it reworded."""

    term: SourceTerm
    usual: tuple[str, ...]
    has: tuple[int, ...]
    found: tuple[tuple[int, tuple[str, ...], str], ...]  # (bead, variant, how)
    common: tuple[str, ...] = ()  # phrases every one of the term's beads has


def rewordings(ctx: CheckContext, sides: _Sides | None = None) -> list[Rewording]:
    """Beads whose rendering of a recurring source term is its usual rendering reworded.

    Word structure proposes (one word changed, added or dropped, in a bead whose source holds
    the term); the encoder confirms that the usual rendering translates the term, so that two
    unrelated phrases one word apart (Ambassador of Belarus / Council of Belarus) are left alone.
    Without an encoder only renderings used in two or more places are trusted. Terms a glossary
    pins, and the shorter terms inside them, are left to the families above, which hold every
    rendering to the pinned one.
    """
    sides = sides or _Sides.of(ctx)
    code = morph.lang_code(ctx.target.lang)
    phrases = [_word_phrases(tokens, text, code) for tokens, text in zip(sides.tgt_tokens, sides.tgt_texts)]
    phrase_beads: dict[tuple[str, ...], set[int]] = defaultdict(set)
    for i, found in enumerate(phrases):
        for key in found:
            phrase_beads[key].add(i)
    edits = _OneEdit(phrase_beads)
    source_terms = _source_terms(sides.src_tokens, sides.src_texts, ctx.source.lang, words=True)
    pinned = [t.key for t in source_terms if _pinned(t, ctx.glossary, ctx.source.lang) is not None]
    dictionary = ctx.dictionary()
    stop = _STOPWORDS.get(code, _ANY_STOPWORDS)
    src_code = morph.lang_code(ctx.source.lang)
    evidence = _DictionaryEvidence(dictionary, phrases, sides.src_texts, stop, src_code) if dictionary is not None else None
    candidates: list[_Candidate] = []
    for term in source_terms:
        term_beads = {i for i in term.beads if sides.beads[i].tgt}
        if len(term_beads) >= 2 and not any(term.key == k or _inside(term.key, k) for k in pinned):
            found = _reworded_candidates(
                term, term_beads, phrases, phrase_beads, edits, code, compound_ties=dictionary is not None,
                foreign=evidence.foreign_to(term) if evidence else None, texts=sides.tgt_texts)
            if _abbreviated(term):  # only words that spell it out render an abbreviation
                found = [kept for c in found if (kept := _spelling_first(c, phrases, stop)) is not None]
            candidates.extend(found)
    usage = _DocumentUsage(sides.src_tokens, phrases)
    best: dict[tuple, tuple[tuple[float, ...], _Candidate]] = {}
    settled: dict[tuple, dict[tuple[str, ...], list[_Candidate]]] = defaultdict(lambda: defaultdict(list))
    for c, (sim_usual, sim_variant, sim_common) in zip(candidates, _similarities(ctx.encoder, candidates, phrases)):
        if evidence is not None and not (c := evidence.without_neighbours(c)).found:
            continue
        if not (c := _without_reordered(c, phrases, sides.tgt_texts, stop)).found:
            continue
        if not (c := _without_lower_neighbours(c, phrases, stop)).found:
            continue
        term_id = (c.term.key, c.term.beads)  # a name and an ordinary phrase may share a key
        if _encoder_vouches(c, sim_usual, sim_variant, sim_common):
            rank = (len(c.has) + len(c.found), len(c.has), sim_usual)
            if term_id not in best or rank > best[term_id][0]:
                best[term_id] = (rank, _oriented_tie(c, sim_usual, sim_variant, evidence, usage))
        elif evidence and (anchored := evidence.anchored(c, (sim_usual, sim_variant, sim_common))):
            settled[term_id][anchored.usual].append(anchored)
    chosen = [c for _, c in best.values()]
    for key, by_usual in settled.items():  # where the encoder vouched for none: the rendering
        if key not in best:  # the dictionary confirms in the most places, against all its variants
            chosen.append(_merged(max(by_usual.values(), key=lambda cs: len({b for c in cs for b in c.has}))))
    found = []
    for c in chosen:
        usual_surface = phrases[c.has[0]][c.usual]
        forms = tuple(phrases[b][c.usual] for b in c.has)
        found.extend(Rewording(c.term, b, phrases[b][v], usual_surface, c.has, how, forms) for b, v, how in c.found)
    # a term inside a longer one (Sztabem Generalnym, rosyjskim Sztabem Generalnym) may find the
    # same change: the longest rendering of it in a bead stands for all; and where the two take
    # opposite sides of a tie, the longer term, which the dictionary could confirm in full, wins
    out: list[Rewording] = []
    for r in sorted(found, key=lambda r: -len(r.surface)):
        if any(o.bead == r.bead and r.surface in o.surface for o in out):
            continue
        opposite = [o for o in out if o.bead in r.usual_beads and r.bead in o.usual_beads]
        if all(len(o.term.key) < len(r.term.key) for o in opposite):
            out = [o for o in out if o not in opposite] + [r]
    return sorted(out, key=lambda r: r.bead)


def _spelling_first(c: _Candidate, phrases, stop: frozenset[str]) -> _Candidate | None:
    """An abbreviation's candidate with the rendering that spells it out as the usual one (a
    tie is turned round when only its other rendering does); None when neither does."""
    def spells(bead: int, key: tuple[str, ...]) -> bool:
        return _spelled_out(c.term.display, _content(phrases[bead][key], stop))

    if spells(c.has[0], c.usual):
        return c
    if _tie(c) and spells(c.found[0][0], c.found[0][1]):
        return _swapped(c)
    return None


def _oriented_tie(c: _Candidate, sim_usual: float, sim_variant: float, evidence: _DictionaryEvidence | None,
                  usage: _DocumentUsage) -> _Candidate:
    """A tie (one place each way, one word changed) with the likelier rendering as the usual one,
    so that the other is reported. Which place comes first in the text says nothing; in turn:
    the one the dictionary confirms when it confirms only one (Minister of Culture, not General of
    Culture, for minister kultury); the one whose word the translation uses with the term's words
    elsewhere (security guarantees, not safety guarantees, where Rada Bezpieczeństwa is the
    Security Council); the one the encoder puts nearer the term."""
    if not _tie(c):
        return c
    for usual_likelier in (evidence.confirmed_of_tie(c) if evidence is not None else None, usage.prefers(c)):
        if usual_likelier is not None:
            return c if usual_likelier else _swapped(c)
    return _swapped(c) if sim_variant > sim_usual else c


@dataclass(frozen=True)
class _DocumentUsage:
    """How the translation renders words elsewhere in the document, to settle a tie."""

    src_tokens: Sequence[Sequence[_Token]]
    phrases: Sequence[dict[tuple[str, ...], str]]

    @cached_property
    def src_words(self) -> list[frozenset[str]]:
        return [frozenset(t.key for t in tokens if not t.stop) for tokens in self.src_tokens]

    def prefers(self, c: _Candidate) -> bool | None:
        """Whether the beads outside the term's that hold one of its words use the usual
        rendering's word (True) or the other's (False) clearly more: in two or more beads, and
        three times as many as the other; None when neither."""
        (_, variant, _), = c.found
        usual_word, other_word = _new_word(variant, c.usual), _new_word(c.usual, variant)
        words = {k for k in c.term.key if k.lower() not in _ANY_STOPWORDS}
        if usual_word is None or other_word is None or not words:
            return None
        term_beads = set(c.term.beads)
        votes = Counter()
        for b, (source, found) in enumerate(zip(self.src_words, self.phrases)):
            if b not in term_beads and words & source:
                votes[usual_word] += (usual_word,) in found
                votes[other_word] += (other_word,) in found
        usual, other = votes[usual_word], votes[other_word]
        if usual >= 2 and usual >= 3 * other:
            return True
        if other >= 2 and other >= 3 * usual:
            return False
        return None


def _tie(c: _Candidate) -> bool:
    return len(c.has) == 1 and len(c.found) == 1 and c.found[0][2] == "changed"


def _swapped(c: _Candidate) -> _Candidate:
    """A tie seen from its other rendering."""
    (b, variant, how), usual_bead = c.found[0], c.has[0]
    return _Candidate(c.term, variant, (b,), ((usual_bead, c.usual, how),), c.common)


def _merged(candidates: list[_Candidate]) -> _Candidate:
    """Candidates of one term and one usual rendering as one, with all their places."""
    has = tuple(sorted({b for c in candidates for b in c.has}))
    found = {f[0]: f for c in candidates for f in c.found if f[0] not in has}
    return dataclasses.replace(candidates[0], has=has, found=tuple(found[b] for b in sorted(found)))


def _encoder_vouches(c: _Candidate, sim_usual: float, sim_variant: float, sim_common: float) -> bool:
    """Whether the encoder takes the usual rendering (and, in a tie, both) for the term's."""
    if len(c.has) < 2:
        if len(c.term.key) == 1:
            return False  # a compound's tie: the encoder reads one long word poorly
        # one place each way: both renderings must be near the term, the better one close to it
        better = max(sim_usual, sim_variant)
        return min(sim_usual, sim_variant) >= _NEAR and better >= _TRANSLATES and sim_common < better
    # not the term's rendering, or a phrase of every bead renders it better
    return sim_usual >= _ESTABLISHED and sim_common < sim_usual


def _similarities(encoder, candidates: Sequence[_Candidate], phrases) -> list[tuple[float, float, float]]:
    """For each candidate, the cosines of its term with its usual rendering, with its first
    variant, and the best with a phrase all the term's beads share."""
    if encoder is None or not candidates:
        return [(1.0, 1.0, 0.0) if len(c.has) >= 2 and not c.common else (0.0, 0.0, 0.0) for c in candidates]
    strings: dict[str, int] = {}

    def row(text: str) -> int:
        return strings.setdefault(text, len(strings))

    rows = []
    for c in candidates:
        b, variant, _ = c.found[0]
        rows.append((row(c.term.display), row(phrases[c.has[0]][c.usual]), row(phrases[b][variant]), [row(t) for t in c.common]))
    vectors = encoder.encode(list(strings))
    return [
        (
            float(vectors[t] @ vectors[u]),
            float(vectors[t] @ vectors[v]),
            max((float(vectors[t] @ vectors[k]) for k in common), default=0.0),
        )
        for t, u, v, common in rows
    ]


def _word_phrases(tokens: Sequence[_Token], text: str, code: str) -> dict[tuple[str, ...], str]:
    """Every phrase of 1..5 words in a target text (content words at both ends, single
    connectors inside), keyed by its words' morph groups, with its surface form. Hyphenated
    words count as their parts (government-in-exile = government in exile), and a compound of two
    words in a phrase also as one word, which a word of another rendering may stand for
    (pro-democracy forces / democratic forces)."""
    found: dict[tuple[str, ...], str] = {}
    for gram in _content_ngrams(tokens, code, _MAX_LOWER, connectors=_WORD_CONNECTORS):
        if len(gram[0].text) > 1 and len(gram[-1].text) > 1 and not _mostly_names(gram):
            surface = text[gram[0].start : gram[-1].end]
            found.setdefault(_slots(gram), surface)
            if len(gram) >= 2 and any(_compound_word(t.key) for t in gram):
                found.setdefault(tuple(t.text.lower() if t.stop else t.key for t in gram), surface)
    for t in tokens:  # then single words: half the phrases, so without making a gram of each
        if not t.stop and len(t.text) > 1 and not t.name_like:
            found.setdefault(tuple(t.key.split("-")), t.text)
    return found


def _compound_word(key: str) -> bool:
    """A word of two content words joined by a hyphen (pro-democracy, anti-crisis), not a phrase
    written with hyphens (government-in-exile)."""
    parts = key.split("-")
    return len(parts) == 2 and not any(p.lower() in _ANY_STOPWORDS for p in parts)


def _slots(gram: Sequence[_Token]) -> tuple[str, ...]:
    """The gram's stopwords and the parts of its content words' keys (no stopword has a hyphen)."""
    return tuple("-".join([t.text.lower() if t.stop else t.key for t in gram]).split("-"))


def _reworded_candidates(
    term: SourceTerm,
    term_beads: set[int],
    phrases: Sequence[dict[tuple[str, ...], str]],
    phrase_beads: dict[tuple[str, ...], set[int]],
    edits: _OneEdit,
    code: str,
    compound_ties: bool = False,
    foreign: Callable[[str], bool] | None = None,
    texts: Sequence[str] = (),
) -> list[_Candidate]:
    """Phrases specific to the term's beads, each with the term's beads that lack it but have
    it with one word changed, added or dropped, and the phrases all the beads share (if one of
    those translates the term, it is rendered consistently)."""
    usual_phrases = [
        key for key in {k for b in term_beads for k in phrases[b]}
        if _content_size(key) >= 2 and len(phrase_beads[key] & term_beads) * 2 >= len(phrase_beads[key])
    ]
    everywhere = tuple(key for key in usual_phrases if phrase_beads[key] >= term_beads)
    around = {o.bead: o.neighbours for o in term.occurrences}
    words_of = {b: {w for key in phrases[b] for w in key} for b in term_beads}
    explained: dict[int, list[tuple[str, ...]]] = defaultdict(list)  # bead -> usual phrases
    out = []
    for usual in sorted(usual_phrases, key=len, reverse=True):
        has = phrase_beads[usual] & term_beads
        if len(term.key) == 1 and len(has) < 2 and not compound_ties:
            continue  # a compound's rendering is trusted only once it is used in two places, or
            # when a dictionary says it renders the compound (a compound is capitalised, so its
            # beads add nothing to ``explained`` either)
        found = []
        cut_down: set[int] = set()  # beads whose variant is the rendering's modifier alone
        closest = edits.closest(usual, term_beads - has)
        for b in sorted(closest):
            if any(_inside(usual, longer) for longer in explained[b]):
                continue  # a longer rendering's difference here is explained by the source
            variant, how = closest[b]
            if _modifier_only(usual, variant, code, words_of[b]):
                cut_down.add(b)
            elif how != "changed" and _source_explains(how, b, has, around, term):
                explained[b].append(usual)
                continue
            if _neighbour_at_edge(usual, variant, term, everywhere):
                continue  # "Komisja Europejska zaproponowała" / "Komisję Europejską": the two
                # phrases differ only in the word beside the term's rendering
            if how == "dropped" and texts and _said_otherwise(_new_word(variant, usual), texts[b]):
                continue  # Ukraine's president: the dropped Ukrainian is there as a possessive
            new = _new_word(usual, variant)
            if new is not None and all((new,) in phrases[i] for i in has) and not (foreign and foreign(new)):
                continue  # the usual beads use that word too (Belarusian Ambassador / Council of
                # Belarus in one, Ambassador of Belarus in the other): not a changed rendering.
                # Every one of them: a word in one of three (several generals, beside the
                # Security Council) is incidental, and so is one the dictionary says renders no
                # word of the term (General of Culture for minister kultury, beside generałów)
            found.append((b, variant, how))
        if not found:
            continue
        most = Counter(v for _, v, _ in found).most_common(1)[0][1]
        reversible = _content_size(found[0][1]) >= 2  # the variant may be taken as the usual one
        if most > len(has) or (most == len(has) and reversible and min(has) > found[0][0]):
            continue  # the variant is as common or more: judged with it as the usual one
        if (len(has) < 2 and not term.capitalised) or len(term.key) == 1:
            # one word alone against a phrase: a shortened mention as often as not, unless what
            # is left is the modifier without its noun
            found = [f for f in found if _content_size(f[1]) >= 2 or f[0] in cut_down]
            if not found:
                continue
        common = tuple(phrases[min(term_beads)][key] for key in everywhere)
        out.append(_Candidate(term, usual, tuple(sorted(has)), tuple(found), common))
    return out


@dataclass(frozen=True)
class _DictionaryEvidence:
    """What a bilingual dictionary says about a term's renderings in one document."""

    dictionary: Dictionary
    phrases: Sequence[dict[tuple[str, ...], str]]
    src_texts: Sequence[str]
    stop: frozenset[str]
    src_code: str

    def anchored(self, c: _Candidate, sims: tuple[float, float, float]) -> _Candidate | None:
        """A candidate the encoder does not vouch for, settled by the dictionary: when every
        content word of the usual rendering renders a word of the term (roupies indiennes for
        indische Rupies; îlots de neige for Schneeinsel, part by part), its variants with one word
        changed are inconsistent, unless the new word renders another word of their own source
        (technisch schwierige Berge -> montagne difficile: a rewording around the term, not of it).
        A word added or dropped is as often a shortened or fuller mention, and is left alone (but
        for a dropped word that renders a word of a common-noun term, see ``_drops_term_word``),
        as is a common-noun term's variant that the dictionary confirms too (a synonym). Outside names
        and compounds only a tie is settled so, and only when the encoder (``sims``: the term's
        cosines with the usual rendering, the variant and a phrase every bead has) puts one of the
        two close to the term. In a tie the confirmed rendering is taken for the usual one.
        None when none is confirmed."""
        found = tuple(f for f in c.found
                      if f[2] == "changed" or f[2] == "dropped" and self._drops_term_word(c, f[0], f[1]))
        if not found:
            return None
        if not (_named(c.term, self.src_code) or _compound(c.term, self.src_code)):
            # an ordinary phrase said two ways (obecna sytuacja: current / present situation) is
            # the encoder's to judge, but in a tie it cannot tell which way is the rule, and one
            # rendering the dictionary confirms word for word, beside a variant whose new word
            # renders nothing there (roupies spéciales), settles it
            if len(c.has) != 1 or max(sims[:2]) < _TRANSLATES:
                return None
        c = self.oriented(dataclasses.replace(c, found=found))
        usual = self.phrases[c.has[0]][c.usual]
        if not self._confirmed(c.term, usual):
            return None
        kept = tuple(f for f in c.found if not self._explained(c.term, self.phrases[f[0]][f[1]], usual, f[0]))
        return dataclasses.replace(c, found=kept) if kept else None

    def without_neighbours(self, c: _Candidate) -> _Candidate:
        """``c`` less what the term's neighbours explain: the variants whose one differing word
        renders no word of the term but another word of its own source ("president asks" for
        prezydent Ukrainy prosi, against "President Volodymyr"; "Ministry" against "Ministry
        spokesman" for rzecznik Ministerstwa): neighbours, not the term."""
        usual = self.phrases[c.has[0]][c.usual]
        kept = tuple(f for f in c.found
                     if not self._neighbours_differ(c.term, usual, c.has[:1], self.phrases[f[0]][f[1]], (f[0],)))
        return c if len(kept) == len(c.found) else dataclasses.replace(c, found=kept)

    def neighbour_change(self, term: SourceTerm, family: _Family, reference: _Family) -> bool:
        """``without_neighbours`` for the renderings' families: whether ``family`` differs from
        ``reference`` only by what the term's neighbours explain."""
        return self._neighbours_differ(term, reference.surface, reference.beads, family.surface, family.beads)

    def _neighbours_differ(self, term: SourceTerm, usual: str, usual_beads: Sequence[int], other: str,
                           other_beads: Sequence[int]) -> bool:
        """Words compared without a possessive ending ("Kowalczyk's team" holds Kowalczyk). When
        the differing word of one phrase renders the term, the other phrase still differs only by
        a neighbour if its own differing word stands at an end of it and renders a word of its
        own source, none of the term: "hospital grows" (szpitali rośnie) beside "hospital
        network" is "hospital", a shortened mention, and the verb after it."""
        mine, theirs = self._bare_content(usual), self._bare_content(other)
        old, new = set(mine) - set(theirs), set(theirs) - set(mine)
        if len(old) > 1 or len(new) > 1 or not (old or new):
            return False
        old_renders, new_renders = (any(self._renders_term(term, w) for w in words) for words in (old, new))
        if old_renders and new_renders:
            return False
        if old_renders or new_renders:  # the other word must be a neighbour at an end of its phrase
            words, phrase, beads = (new, theirs, other_beads) if old_renders else (old, mine, usual_beads)
            return bool(words) and words <= {phrase[0], phrase[-1]} and any(
                self._renders_beside(term, w, b) for w in words for b in beads)
        return (any(self._renders_around(term, w, b) for w in new for b in other_beads)
                or any(self._renders_around(term, w, b) for w in old for b in usual_beads))

    def _bare_content(self, surface: str) -> list[str]:
        return [_POSSESSIVE.sub("", w.lower()) or w.lower() for w in self._content(surface)]

    def _renders_beside(self, term: SourceTerm, word: str, bead: int) -> bool:
        """Whether a target word renders no word of the term but one of the two words right
        before or after it in the bead's source, in its clause (szpitali | rośnie)."""
        if self._renders_term(term, word):
            return False
        text = self.src_texts[bead]
        for occurrence in term.occurrences:
            at = text.find(occurrence.surface) if occurrence.bead == bead else -1
            if at < 0:
                continue
            before = _CLAUSE_BREAK.split(text[:at])[-1]
            after = _CLAUSE_BREAK.split(text[at + len(occurrence.surface):])[0]
            beside = _TOKEN.findall(before)[-2:] + _TOKEN.findall(after)[:2]
            return any(self._renders(s, word) for s in beside)
        return False

    def _renders_around(self, term: SourceTerm, word: str, bead: int) -> bool:
        """Whether a target word renders no word of the term but another word of the bead's source."""
        if self._renders_term(term, word):
            return False
        own = set(_TOKEN.findall(self.src_texts[bead])) - _term_words(term)
        return any(self._renders(s, word) for s in own)

    def _drops_term_word(self, c: _Candidate, bead: int, variant: tuple[str, ...]) -> bool:
        """Whether the word a variant lacks renders a word of the term, which its own source
        holds in full (neue offizielle Kote: 'nouvelle cote officielle', then 'nouvelle cote').
        Not in a name, which is shortened once it is known (the expedition, for the International
        Himalaya Expedition)."""
        if _named(c.term, self.src_code):
            return False
        usual = self.phrases[c.has[0]][c.usual]
        lost = set(self._content(usual)) - set(self._content(self.phrases[bead][variant]))
        return any(self._renders_term(c.term, w) for w in lost)

    def foreign_to(self, term: SourceTerm) -> Callable[[str], bool]:
        """A test of a target word: the dictionary knows it, and gives it for no word of ``term``."""
        d = self.dictionary

        def foreign(word: str) -> bool:
            known = d.knows_target(word) or d.knows_target(lemma(word, d.tgt_lang))
            return known and not self._renders_term(term, word)

        return foreign

    def _explained(self, term: SourceTerm, variant: str, usual: str, bead: int) -> bool:
        """Whether a variant's new word need not be an inconsistency: it renders another word of
        its source, or, in a common-noun term, it is another rendering of the term's words the
        dictionary gives (Russian troops / Russian army for rosyjskie wojska: a paraphrase)."""
        if self._reworded_around(term, variant, usual, bead):
            return True
        shorter = len(self._content(variant)) < len(self._content(usual))  # a word of the term lost
        return not shorter and not _named(term, self.src_code) and self._confirmed(term, variant)

    def oriented(self, c: _Candidate) -> _Candidate:
        """A tie with the rendering the dictionary confirms, if just one, as the usual one."""
        confirmed = self.confirmed_of_tie(c) if _tie(c) else None
        return _swapped(c) if confirmed is False else c

    def confirmed_of_tie(self, c: _Candidate) -> bool | None:
        """In a tie, whether the dictionary confirms the usual rendering (True) or the other one
        (False) in full; None when it confirms both or neither."""
        (b, variant, _), usual_bead = c.found[0], c.has[0]
        usual = self._confirmed(c.term, self.phrases[usual_bead][c.usual])
        other = self._confirmed(c.term, self.phrases[b][variant])
        return usual if usual != other else None

    def _content(self, surface: str) -> list[str]:
        return _content(surface, self.stop)

    def _confirmed(self, term: SourceTerm, surface: str) -> bool:
        """Whether every content word of a rendering renders a word of the term: the dictionary
        says so, or it is the same word (offizielle Kote: cote, which the dictionary lacks)."""
        words = self._content(surface)
        if _abbreviated(term):
            return _spelled_out(term.display, words)
        return bool(words) and all(self._renders_term(term, w) for w in words)

    def _renders_term(self, term: SourceTerm, tgt_word: str) -> bool:
        """Whether a target word renders one of the term's words."""
        return any(self._renders(s, tgt_word) for s in _term_words(term))

    def _renders(self, src_word: str, tgt_word: str) -> bool:
        d = self.dictionary
        return renders(d, src_word, tgt_word) or cognate_keys(name_key(src_word, d.src_lang), name_key(tgt_word, d.tgt_lang))

    def _reworded_around(self, term: SourceTerm, surface: str, other: str, bead: int) -> bool:
        new = set(self._content(surface)) - set(self._content(other))
        own = set(_TOKEN.findall(self.src_texts[bead])) - _term_words(term)
        return any(renders(self.dictionary, s, w) for w in new for s in own)


def _content(surface: str, stop: frozenset[str]) -> list[str]:
    return [w for w in _TOKEN.findall(surface) if w.lower() not in stop]


def _named(term: SourceTerm, src_code: str) -> bool:
    """A capitalised term that names something; a German noun alone is capitalised as every
    noun is, and is no name."""
    return term.capitalised and not (len(term.key) == 1 and src_code in _CAPITALISES_NOUNS)


def _abbreviated(term: SourceTerm) -> bool:
    return len(term.key) == 1 and _is_abbreviation(term.display)


def _compound(term: SourceTerm, src_code: str) -> bool:
    return len(term.key) == 1 and src_code in _COMPOUNDING


@lru_cache(maxsize=4096)  # asked for each word a rendering of the term is judged by
def _term_words(term: SourceTerm) -> frozenset[str]:
    return frozenset(w for o in term.occurrences for w in _TOKEN.findall(o.surface))


def _modifier_only(usual: tuple[str, ...], variant: tuple[str, ...], code: str, bead_words: set[str]) -> bool:
    """A two-word rendering cut down to its modifier ('democratic forces' -> 'democratic',
    'roupies indiennes' -> 'indiennes'). A shortened mention keeps the noun ('the forces'); this
    names something else. The noun is the word the language puts last (English, German) or first
    (French); the word left must read as an adjective, and the noun must be missing from the bead
    altogether (not inside 'government-in-exile')."""
    content = [w for w in usual if w.lower() not in _ANY_STOPWORDS]
    adjective = _ADJECTIVE.get(code)
    if adjective is None or len(content) != 2 or len(variant) != 1 or variant[0] not in content:
        return False
    noun = content[0] if code in _NOUN_FIRST else content[-1]
    return variant[0] != noun and noun not in bead_words and adjective.search(variant[0]) is not None


def _new_word(usual: tuple[str, ...], variant: tuple[str, ...]) -> str | None:
    """The word ``variant`` has in place of (or beyond) ``usual``'s words, if any."""
    extra = [w for w in variant if w not in usual]
    return extra[0] if len(extra) == 1 else None


def _inside(short: tuple[str, ...], long: tuple[str, ...]) -> bool:
    n = len(short)
    return n < len(long) and any(long[i : i + n] == short for i in range(len(long) - n + 1))


def _source_explains(how: str, bead: int, has: set[int], around: dict[int, frozenset[str]], term: SourceTerm) -> bool:
    """Whether a word added or dropped may translate a source word next to the term (tymczasową
    okupacją wojskową -> temporary military occupation): common-noun terms only."""
    if term.capitalised:
        return False
    if how == "added":
        return bool(around[bead] - set().union(*(around[i] for i in has)))
    return all(around[i] - around[bead] for i in has)


def _neighbour_at_edge(usual: tuple[str, ...], variant: tuple[str, ...], term: SourceTerm,
                       shared: Sequence[tuple[str, ...]]) -> bool:
    """Whether ``usual`` and ``variant`` differ only in a first or last word beyond a phrase that
    every bead of the term has (``shared``) and that has as many content words as the term: a
    neighbour of a name's rendering ("Komisja Europejska zaproponowała" / "Komisji Europejskiej
    Ursula"), not a change in it. Only names: a common-noun phrase takes in its neighbours'
    words too ("altitude des grands sommets" for grossen Berge), and a compound's rendering has
    more words than the compound."""
    if len(term.key) < 2 or not term.capitalised:
        return False
    if len(usual) == len(variant):  # one word changed
        cores = [core for core in (usual[1:], usual[:-1]) if core in (variant[1:], variant[:-1])]
    else:  # one word added or dropped
        short, long_ = sorted((usual, variant), key=len)
        cores = [short] if short in (long_[1:], long_[:-1]) else []
    return any(core and core in shared and _content_size(core) >= len(term.key) for core in cores)


@lru_cache(maxsize=65536)  # asked of a phrase for each term whose beads hold it
def _content_size(key: tuple[str, ...]) -> int:
    return sum(1 for k in key if k.lower() not in _ANY_STOPWORDS)


class _OneEdit:
    """The document's phrases indexed by their one-word edits, so that the phrases one word away
    from a rendering are looked up once for the whole document, not searched for in each bead
    (a long document has many terms, and each has many beads)."""

    _GAP = "\0"

    def __init__(self, phrase_beads: dict[tuple[str, ...], set[int]]):
        self.phrase_beads = phrase_beads
        self.by_edit: dict[tuple[str, ...], list[tuple[str, ...]]] = defaultdict(list)
        for key in phrase_beads:
            for k in range(len(key)):
                self.by_edit[key[:k] + (self._GAP,) + key[k + 1 :]].append(key)  # one word changed
                self.by_edit[(self._GAP,) + key[:k] + key[k + 1 :]].append(key)  # one word more
        self._variants: dict[tuple[str, ...], list[tuple[tuple[str, ...], str]]] = {}

    def variants(self, usual: tuple[str, ...]) -> list[tuple[tuple[str, ...], str]]:
        """The phrases that are ``usual`` with one content word changed, added or dropped (see
        ``_how``), with which of the three: found once a phrase, however many terms it renders."""
        if usual not in self._variants:
            gap = (self._GAP,)
            gapped = (gap + usual, *(usual[:k] + gap + usual[k + 1 :] for k in range(len(usual))))
            shorter = (usual[:k] + usual[k + 1 :] for k in range(len(usual)))
            near = [key for probe in gapped for key in self.by_edit.get(probe, ())]
            near += [key for key in shorter if key in self.phrase_beads]
            self._variants[usual] = [(key, how) for key in dict.fromkeys(near) if (how := _how(usual, key))]
        return self._variants[usual]

    def closest(self, usual: tuple[str, ...], beads: set[int]) -> dict[int, tuple[tuple[str, ...], str]]:
        """For each of ``beads`` that has a variant of ``usual``, the closest, with how it differs:
        one content word added (preferred: it has all of ``usual``), changed or dropped."""
        least: dict[int, dict[str, tuple[str, ...]]] = defaultdict(dict)  # bead -> how -> phrase
        for key, how in self.variants(usual):
            for b in self.phrase_beads[key] & beads:
                if how not in least[b] or key < least[b][how]:  # the least: the same on every run
                    least[b][how] = key
        order = ("added", "changed", "dropped")  # most words in common first
        return {b: next((kinds[how], how) for how in order if how in kinds) for b, kinds in least.items()}


@lru_cache(maxsize=65536)
def _how(usual: tuple[str, ...], other: tuple[str, ...]) -> str:
    """"changed", "added" or "dropped" when ``other`` is ``usual`` with one content word so
    edited (in the same order, with a content word in common); "" otherwise."""
    def content(word: str) -> bool:
        return word.lower() not in _ANY_STOPWORDS

    if len(usual) == len(other):
        diff = [k for k in range(len(usual)) if usual[k] != other[k]]
        if len(diff) == 1 and _name_forms(usual[diff[0]], other[diff[0]]):
            return ""
        if len(diff) == 1 and content(usual[diff[0]]) and content(other[diff[0]]):
            return "changed" if _content_size(other) >= 2 or len(other) == 1 else ""
        return ""
    longer, shorter, how = (other, usual, "added") if len(other) > len(usual) else (usual, other, "dropped")
    if len(longer) != len(shorter) + 1 or not shorter:
        return ""
    for k in range(len(longer)):
        if content(longer[k]) and longer[:k] + longer[k + 1 :] == shorter:
            return how
    return ""


def _reworded_issue(r: Rewording, ctx: CheckContext) -> Issue:
    bead = ctx.beads[r.bead]
    places = len(r.usual_beads)
    where = f"{places} other place{'s' if places != 1 else ''}"
    message = f"{r.term.display} is translated '{r.surface}' here but '{r.usual}' in {where}."
    # A changed word in a name reads as another body; a dropped word is often a shortened
    # second mention (the Council), so it is only a hint. A German noun alone is capitalised
    # as every noun is: it is no name.
    medium = r.how != "dropped" and _named(r.term, morph.lang_code(ctx.source.lang))
    tie = places == 1
    # of the usual rendering's forms, one in the number of the text it replaces, then the commonest
    forms = r.forms or (r.usual,)
    usual = max(dict.fromkeys(forms), key=lambda f: (_same_number(r.surface, f, ctx.target.lang), forms.count(f)))
    suggestion = _capitalised_as(r.surface, _in_forms_of(usual, r.surface, ctx.target.lang))
    # only a changed word is replaced: a word added or dropped may be a fuller or shorter mention
    # (the hospital, for the hospital network), and which words around it belong to the term
    # only a person can tell; nor a suggestion whose number differs from the text it replaces
    exact = not tie and r.how == "changed" and _same_number(r.surface, suggestion, ctx.target.lang)
    return Issue(
        kind="term_inconsistency",
        severity=Severity.MEDIUM if medium else Severity.LOW,
        src=bead.src,
        tgt=bead.tgt,
        message=message + (_TIE if tie else ""),
        evidence=(f"'{r.usual}' ×{places}", f"'{r.surface}' ×1 (a word {r.how})"),
        suggestion=suggestion,
        replaces=r.surface if exact else None,
    )


# One place each way: the likelier rendering is suggested, but only a person can tell, so
# ``align fix`` is given no exact replacement to apply.
_TIE = " Each is used once: check which is right before changing either."


def _in_forms_of(usual: str, surface: str, lang: str) -> str:
    """``usual`` with each word that ``surface`` also has in the form ``surface`` gives it, so the
    suggestion fits its sentence: "Rzecznik Ministerstwa Spraw Zewnętrznych" gets "Ministerstwa
    Spraw Zagranicznych", not the nominative "Ministerstwo ..." of the usual rendering's place.
    Only where the two have as many words, one for one."""
    usual_words, surface_words = list(_TOKEN.finditer(usual)), _TOKEN.findall(surface)
    if len(usual_words) != len(surface_words):
        return usual
    out, end = [], 0
    for match, form in zip(usual_words, surface_words):
        keeps = bool(_POSSESSIVE.search(match.group())) == bool(_POSSESSIVE.search(form))  # Kowalczyk's
        word = form if keeps and morph.same_word(match.group(), form, lang) else match.group()
        out += [usual[end : match.start()], word]
        end = match.end()
    return "".join(out) + usual[end:]


def _same_number(replaced: str, suggestion: str, lang: str) -> bool:
    """Whether an English suggestion's last word is plural where the text it replaces has a
    plural last word, and only there ("emergency departments" is no fix for "emergency ward").
    Other languages are not judged (their suggestions take the replaced text's forms)."""
    if morph.lang_code(lang) != "en":
        return True
    last = [_TOKEN.findall(text) for text in (replaced, suggestion)]
    if not all(last):
        return True
    return len({_plural(words[-1]) for words in last}) == 1


def _plural(word: str) -> bool:
    low = word.lower()
    return low != lemma(low, "en") and low.endswith("s") and not _POSSESSIVE.search(low)


def _capitalised_as(replaced: str, suggestion: str) -> str:
    """The suggestion with a capital where the text it replaces has one at its start (a
    sentence's first word: 'Officier de contact rentra' -> 'Officier de liaison', not 'officier')."""
    if replaced[:1].isupper() and suggestion[:1].islower():
        return suggestion[0].upper() + suggestion[1:]
    return suggestion


# --- families and issues ---------------------------------------------------------------------


@dataclass(frozen=True)
class _Family:
    key: tuple[str, ...]
    members: tuple[Rendering, ...]

    @property
    def surface(self) -> str:
        plain = [m.surface for m in self.members if m.key == self.key]
        return max(dict.fromkeys(plain), key=plain.count)  # the most common, first seen on ties

    @property
    def words(self) -> tuple[str, ...]:
        return next(m.words for m in self.members if m.key == self.key)

    @property
    def extended(self) -> tuple[str, ...]:
        """Longer forms seen: merged renderings and whole names this one starts."""
        longer = [
            m.surface if m.key != self.key else m.extended if m.extended != m.surface else ""
            for m in self.members
        ]
        return tuple(dict.fromkeys(s for s in longer if s and s != self.surface))

    @property
    def beads(self) -> tuple[int, ...]:
        return tuple(m.bead for m in self.members)


def _families(renderings: Sequence[Rendering]) -> list[_Family]:
    """Renderings grouped by key; a key plus one trailing word joins the shorter key's family."""
    by_key: dict[tuple[str, ...], list[Rendering]] = defaultdict(list)
    for r in renderings:
        by_key[r.key].append(r)
    for key in sorted(by_key, key=len, reverse=True):
        if len(key) > 2 and key[:-1] in by_key:
            by_key[key[:-1]].extend(by_key.pop(key))
    families = [_Family(k, tuple(sorted(v, key=lambda r: r.bead))) for k, v in by_key.items()]
    return sorted(families, key=lambda f: (-len(f.members), f.beads[0]))


def _variants(a: _Family, b: _Family) -> bool:
    """Near-identical renderings: one content word added, dropped or changed, in the same order.

    National Crisis Management / National Anti-Crisis Management, Coordinating Council /
    Coordination Council are variants; Ambassador of Belarus / Belarusian Ambassador and
    government in exile / exiled government are rephrasings, not a changed term.
    """
    words_a, words_b = a.words, b.words
    if Levenshtein.distance(words_a, words_b) != 1 or not set(words_a) & set(words_b):
        return False
    if len(words_a) == len(words_b) and _name_forms(*(x for x, y in zip(words_a, words_b) if x != y),
                                                    *(y for x, y in zip(words_a, words_b) if x != y)):
        return False
    return fuzz.token_sort_ratio(" ".join(a.key), " ".join(b.key)) >= _SIMILAR


_POSSESSIVE = re.compile(r"['’]s?$")
_NAME_STEM = 4  # letters a name's stem keeps (Chin-a's, Chin-ese)


def _name_forms(a: str, b: str) -> bool:
    """A name's possessive and its adjective: Ukraine's / Ukrainian, Russia's / Russian, China's /
    Chinese. One word to a reader, so "Ukraine's president" and "Ukrainian President" are one
    rendering, not a word changed."""
    for possessive, other in ((a.lower(), b.lower()), (b.lower(), a.lower())):
        name = _POSSESSIVE.sub("", possessive)
        stem = name[:-1]
        if name != possessive and len(stem) >= _NAME_STEM and other.startswith(stem) and not _POSSESSIVE.search(other):
            return True
    return False


_CLAUSE_BREAK = re.compile(r"[,;:.!?()\[\]\"„”“«»—–]")
_NEARBY = 25  # characters around a variant searched for the usual rendering's words


def _without_reordered(c: _Candidate, phrases, texts: Sequence[str], stop: frozenset[str]) -> _Candidate:
    """``c`` less the variants whose sentence holds every content word of the usual rendering
    right around them: the usual rendering reordered ("Minister of Foreign Affairs", cut to
    "Foreign Affairs", beside the usual "Foreign Minister"), not a word changed or lost."""
    usual = {w.lower() for w in _content(phrases[c.has[0]][c.usual], stop)}

    def reordered(bead: int, variant: tuple[str, ...], how: str) -> bool:
        surface, text = phrases[bead][variant], texts[bead]
        at = text.find(surface)
        if how == "added" or at < 0:
            return False
        nearby = text[max(0, at - _NEARBY) : at + len(surface) + _NEARBY]
        return usual <= {w.lower() for w in _TOKEN.findall(nearby)}

    kept = tuple(f for f in c.found if not reordered(*f))
    return c if len(kept) == len(c.found) else dataclasses.replace(c, found=kept)


def _lower_neighbour(term: SourceTerm, usual: str, other: str, stop: frozenset[str]) -> bool:
    """Whether two renderings of a name share only capitalised words and differ only in a
    lower-case word at an end: the words before or after the name in their sentences ("Supreme
    Audit Office criticised" / "Supreme Audit Office inspection", "Kowalczyk's team" /
    "Kowalczyk worked", "recapitalising Polish" / "Polish"), not a change in it. Words are
    compared without a possessive ending."""
    if not term.capitalised:
        return False
    words = [[(_POSSESSIVE.sub("", w.lower()) or w.lower(), w) for w in _content(s, stop)] for s in (usual, other)]
    if not all(words):
        return False
    bare = [{b for b, _ in ws} for ws in words]
    shared, differing = bare[0] & bare[1], bare[0] ^ bare[1]
    if not shared or not differing or any(len(b - shared) > 1 for b in bare):
        return False
    for ws in words:
        for k, (b, w) in enumerate(ws):
            if b in shared and not w[:1].isupper():
                return False  # a shared lower-case word: the phrase is more than a name
            if b in differing and (w[:1].isupper() or 0 < k < len(ws) - 1):
                return False  # a capitalised word, or one inside the phrase, changed
    return True


def _without_lower_neighbours(c: _Candidate, phrases, stop: frozenset[str]) -> _Candidate:
    """``c`` less the variants that differ from the usual rendering only by a lower-case
    neighbour of a name (``_lower_neighbour``)."""
    usual = phrases[c.has[0]][c.usual]
    kept = tuple(f for f in c.found if not _lower_neighbour(c.term, usual, phrases[f[0]][f[1]], stop))
    return c if len(kept) == len(c.found) else dataclasses.replace(c, found=kept)


def _said_otherwise(word: str | None, text: str) -> bool:
    """Whether ``text`` holds ``word`` as the other of a name's possessive and adjective."""
    return word is not None and any(_name_forms(word, w) for w in _TOKEN.findall(text))


def _explained_by_source(term: SourceTerm, a: _Family, b: _Family) -> bool:
    """Whether the longer rendering's extra word may translate a word next to the source term.

    "tymczasową okupacją wojskową" -> "temporary military occupation" against "tymczasową
    okupacją" -> "temporary occupation": the source differs too. Checked for common-noun
    terms only; a capitalised name is a unit, and words around it are not part of it.
    """
    if term.capitalised or len(a.key) == len(b.key):
        return False
    longer, shorter = (a, b) if len(a.key) > len(b.key) else (b, a)
    around = {o.bead: o.neighbours for o in term.occurrences}
    shorter_words = set().union(*(around[i] for i in shorter.beads))
    return all(around[i] - shorter_words for i in longer.beads)


def _pinned(term: SourceTerm, glossary: Iterable[Any], src_lang: str) -> str | None:
    """The glossary's rendering of ``term``, when an entry's source is the whole term."""
    for entry in glossary:
        source, target = getattr(entry, "source", ""), getattr(entry, "target", "")
        if not source or not target:
            continue
        for occ in term.occurrences:
            if morph.find(source, occ.surface, src_lang) == [(0, len(occ.surface))]:
                return target
    return None


def _neighbour_evidence(ctx: CheckContext, sides: _Sides) -> _DictionaryEvidence | None:
    dictionary = ctx.dictionary()
    if dictionary is None:
        return None
    stop = _STOPWORDS.get(morph.lang_code(ctx.target.lang), _ANY_STOPWORDS)
    return _DictionaryEvidence(dictionary, (), sides.src_texts, stop, morph.lang_code(ctx.source.lang))


def _issues(use: TermUse, ctx: CheckContext, neighbours: _DictionaryEvidence | None = None) -> list[Issue]:
    families = _families(use.renderings)
    if len(families) < 2:
        return []
    pinned = _pinned(use.term, ctx.glossary, ctx.source.lang)
    canonical = _canonical(families, pinned, ctx.target.lang)
    reference = canonical or families[0]
    related = [
        f
        for f in families
        if f is reference
        or (_variants(f, reference) and not _explained_by_source(use.term, f, reference))
    ]
    if neighbours is not None:  # the words that differ render the term's neighbours, not the term
        related = [f for f in related if f is reference or not neighbours.neighbour_change(use.term, f, reference)]
    stop = _STOPWORDS.get(morph.lang_code(ctx.target.lang), _ANY_STOPWORDS)
    related = [f for f in related if f is reference or not _lower_neighbour(use.term, reference.surface, f.surface, stop)]
    if len(related) < 2:
        return []  # one rendering, or several that differ too much to be one term's variants
    if not use.term.capitalised and pinned is None and len(reference.members) < 2:
        return []  # a common-noun phrase rendered once each way: no convention to break yet
    suggestion = pinned if canonical is None and pinned else reference.surface
    out = []
    for family in related:
        if family is canonical or (canonical is None and pinned is None and family is reference):
            continue
        others = [f for f in related if f is not family]
        out.append(_issue(use.term, family, others, related, suggestion, pinned, ctx))
    return out


def _canonical(families: list[_Family], pinned: str | None, lang: str) -> _Family | None:
    if pinned is None:
        return None
    for family in families:
        if morph.find(pinned, family.surface, lang) == [(0, len(family.surface))]:
            return family
    return None


def _issue(
    term: SourceTerm,
    family: _Family,
    others: list[_Family],
    related: list[_Family],
    suggestion: str,
    pinned: str | None,
    ctx: CheckContext,
) -> Issue:
    beads = [ctx.beads[i] for i in family.beads]
    main = max(others, key=lambda f: len(f.members))
    places = sum(len(f.members) for f in others)
    where = f"{places} other place{'s' if places != 1 else ''}"
    message = (
        f"{term.display} is translated '{family.surface}' here but '{main.surface}' in {where}."
    )
    if pinned is not None:
        message = message[:-1] + f"; the glossary gives '{pinned}'."
    tie = pinned is None and len(family.members) == 1 and len(main.members) == 1
    text = _capitalised_as(family.surface, _in_forms_of(suggestion, family.surface, ctx.target.lang))
    # a word added or dropped is no exact fix: "sea wind farms" against the "wind farms" found
    # in the other places, which say "offshore wind farms"
    exact = (not tie and len(_TOKEN.findall(text)) == len(_TOKEN.findall(family.surface))
             and _same_number(family.surface, text, ctx.target.lang))
    return Issue(
        kind="term_inconsistency",
        severity=Severity.MEDIUM,
        src=tuple(sorted({i for b in beads for i in b.src})),
        tgt=tuple(sorted({j for b in beads for j in b.tgt})),
        message=message + (_TIE if tie else ""),
        evidence=tuple(_evidence(f) for f in sorted(related, key=lambda f: -len(f.members))),
        suggestion=text,
        replaces=family.surface if exact else None,
    )


def _evidence(family: _Family) -> str:
    text = f"'{family.surface}' ×{len(family.members)}"
    if family.extended:
        text += " (also as " + ", ".join(f"'{s}'" for s in family.extended) + ")"
    return text
