"""meaning_shift: aligned pairs where a word of one side has no counterpart in the other.

Sentence similarity does not see a wrong word in a long sentence ("hand-held rocket launchers"
rendered "hand grenades" still scores high), so this checker reads each pair word by word and
judges each word against the rest of the document:

1. **Words.** Each side's content words, less names and numbers (other checkers' business) and
   less the light words a translator adds or drops freely (``think``, ``part``, ``sprawa``).
2. **Cheap evidence of a counterpart**, enough to clear a word: the same word or a cognate on the
   other side (``protektorat`` / ``protectorate``); a bilingual dictionary when one is installed
   (``align.lexicon.load_dictionary``; ``wyrzutnia`` -> ``launcher``); a word pair that recurs
   together in the document's pairs (the document teaches its own lexicon).
3. **Encoder evidence** for the other words, two views of the bundled sentence encoder:
   - *isolated*: the word's (and its lemma's) best cosine with the other side's words;
   - *in context* (occlusion): the word's contribution to its sentence, the sentence's vector
     minus the vector of the sentence without the word, compared with the other side's words'
     contributions. A word and its translation move their sentences the same way.
   A word unlike everything on the other side in both views scores high; a dictionary that knows
   the word and finds none of its renderings adds to that.
4. **The document's record.** A source word that has a counterpart in the document's other
   pairs and none here is surprising in proportion to that record (``rząd``: 9 of 9 other pairs,
   then ``parliament`` here); the surprise beyond ``EXPECTED_SURPRISE`` is added to the word's
   standardised score (step 5) and to its pair's. A near miss the encoder cannot tell from the right word (army / navy) shows here.
5. **Pair score.** Word scores are standardised over the document (per side). A pair scores the
   strongest run of adjacent unmatched words of its translation (``hand grenades``) plus half
   that of its source (``ręcznych wyrzutni rakiet``), plus a bonus when only one side negates
   ("without", "rather than", a negating prefix and a word that means a negation answer a
   negation but never negate a side alone: "nie dostrzega" -> "without noticing", "bez zmian" ->
   "unchanged", "refused to comment" -> "nie chciał komentować"), and one when the
   translation splits the sentence and moves a word's rendering away from its neighbours'
   (``choćby prowizoryczny byt`` -> ``existence. Even temporarily``). Numbers written as words
   are the number check's ("pół roku" -> "six months").
6. **What the encoder cannot tell apart.** It puts a word next to its opposite ('north' /
   'south', 'first' / 'last') and a nation or a place next to another, so a sense turned around
   or a name swapped leaves the word scores low. ``align.opposites`` finds the first from a
   table of oppositions and nations in Polish, English, German and French;
   ``align.checks.names.swapped_names`` the second from the names' renderings elsewhere in the
   document.
7. **Outliers.** Pairs scoring at least ``FLAG_SCORE`` and ``OUTLIER_Z`` standard deviations
   above the document's pairs are reported, never more than ``MAX_SHARE`` of the pairs. A pair
   of step 6 is reported first; then, in a document where few pairs negate on one side only,
   each such pair.

Without an encoder the checker reports nothing: a dictionary alone misses too many renderings to
be trusted.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from itertools import chain, count, product
from typing import NamedTuple

import numpy as np
from threadpoolctl import threadpool_limits

from align.checks.base import CheckContext
from align.checks.names import NameSwap, swapped_names
from align.checks.numbers import NUMBER_WORDS, SCALE_WORDS
from align.embed import edit_encoder
from align.lemmas import is_known
from align.lexicon import Dictionary, Span, Token, alike, base_lang, content_of, fold, is_function_word, word_spans
from align.lexicon import lemma as lemma_of
from align.morph import is_name_like
from align.opposites import Opposite, find_opposites
from align.translit import COGNATE_SIMILARITY, cognate_keys, name_key
from align.types import Bead, Issue, Severity

KINDS = ("meaning_shift",)

RECURRING_MIN = 2  # pairs in which two words must co-occur to teach the lexicon
RECURRING_DICE = 0.5
CONTEXT_WEIGHT = 0.4  # in-context cosine, relative to the isolated cosine
DICTIONARY_MISS = 0.08  # added to a word's score when the dictionary knows it and finds no rendering
SOURCE_WEIGHT = 0.5  # a pair's score: worst target word + this * worst source word
NEGATION_BONUS = 2.0  # added when exactly one side negates
NEGATION_RARE = 0.02  # share of pairs negating on one side only (or one pair), up to which each is reported
FLAG_SCORE = 2.0  # pair score (in standard deviations of word scores) from which a pair is reported
OUTLIER_Z = 2.0  # ... if it also stands this far above the document's pair scores
OPEN_Z = 0.0  # an open word scores above the document's typical open word
MOVED_BONUS = 2.5  # added when a word's rendering moved to another sentence of the translation
NEAR_CHARS = 12  # neighbours this close (in characters) belong together
MAX_SHARE = 0.05  # never more than this share of the pairs
EXPECTED_SURPRISE = 1.5  # surprise (-log odds, from its other pairs) of a source word's miss that counts
CONTEXT_PAIRS = 200  # pairs that always get the in-context view (all of a shorter document)
CONTEXT_MAX_CHARS = 5000  # longer pairs get the document's typical in-context cosine instead

# Light words: verbs of saying and thinking, vague nouns, evaluative adjectives. Translators add,
# drop and swap them freely, so their absence says little about meaning. And a pronoun the
# function words may lack (Polish 'was', 'wam': 'u was' is 'at your place' or 'here').
_LIGHT = {
    "en": """
        think know say said tell told ask asked see seen look seem go went gone going come came
        get make made take took taken give gave given put keep let want need try use used mean
        find found become turn show call far today now enough people person sure good best better
        bad back long part form thing kind sort lot fact case point time way day year place side
        end matter question issue real able possible likely certain clear actually simply just
        even still yet also again here there first second last next new old big small great
        little many much more other another such whole general various several different same own
        important main happen happened do does done include including""",
    "pl": """
        myśleć sądzić wiedzieć mówić powiedzieć pytać widzieć wydawać wyglądać iść pójść przyjść
        dostać robić zrobić brać wziąć dać dawać trzymać chcieć potrzebować próbować używać
        znaczyć znaleźć znajdować stawać zostawać pokazać nazywać dziś dzisiaj teraz dość dosyć
        ludzie człowiek pewny pewien dobry dobrze lepszy najlepszy zły część forma rzecz rodzaj
        fakt przypadek punkt czas sposób dzień rok miejsce strona koniec kwestia sprawa pytanie
        problem prawdziwy naprawdę możliwy jasny jasne prosty prostu właśnie pierwszy drugi
        ostatni następny nowy stary duży mały wielki cały różny kilka ważny główny własny dojść
        mieć wy""",
    "de": """
        denken glauben wissen sagen fragen sehen schauen scheinen gehen kommen bekommen machen
        nehmen geben halten lassen wollen brauchen versuchen benutzen bedeuten finden werden
        zeigen nennen heute jetzt genug leute mensch sicher gut besser schlecht teil form ding art
        fall punkt zeit weise tag jahr ort seite ende frage wirklich möglich klar einfach eben
        erste zweite letzte nächste neu alt groß gross klein viel ganz verschieden mehrere
        wichtig eigen""",
    "fr": """
        penser croire savoir dire demander voir regarder sembler aller venir obtenir faire prendre
        donner tenir laisser vouloir falloir faut fallut besoin essayer utiliser signifier trouver
        devenir montrer appeler aujourd hui maintenant assez gens personne sûr bon bien mieux
        meilleur mauvais partie forme chose sorte fait cas point temps façon jour année an lieu
        côté fin question vrai vraiment possible clair simplement premier première second deuxième
        dernier dernière prochain nouveau nouvelle vieux grand grande petit petite beaucoup tout
        toute plusieurs différent important propre jusqu lorsqu puisqu quelqu""",
}
LIGHT_WORDS = {lang: frozenset(words.split()) for lang, words in _LIGHT.items()}
# Forms the lemmatiser reads as one word that are as often, or more often, a form of another:
# Polish 'mamy' is 'we have' (mieć) far more often than 'mothers' (mama), 'rana' in 'do rana' is
# 'morning' (rano), not 'wound', and 'lata' is 'years' (rok) more often than 'flies' (latać). A
# form one of whose readings is a light word is light itself; a form with a counterpart under any
# of its readings has one; and no suggestion offers the renderings of one reading of it.
_OTHER_READINGS = {
    "pl": {"mamy": ("mieć",), "rana": ("rano",), "lata": ("rok", "lato")},
}
OTHER_READINGS = {lang: {form: frozenset(lemmas) for form, lemmas in forms.items()}
                  for lang, forms in _OTHER_READINGS.items()}
# Numbers written as words are the number check's ("pół roku" -> "six months" is a conversion);
# ordinals stay words ("the first ascent").
_NUMBER_WORDS = {lang: frozenset(chain(NUMBER_WORDS.get(lang, ()), SCALE_WORDS.get(lang, ()), (half,)))
                 for lang, half in (("en", "half"), ("pl", "pół"), ("de", "halb"), ("fr", "demi"))}

# Words that negate a clause. French counts the second part of ne ... pas, and ``ne`` alone before
# pouvoir, savoir, oser and cesser (literary French drops the pas: "ne purent aller"), unless a que
# makes it "only" ("ne peut être tenté que"); an elliptic "Rien de nouveau", "Aucun autre",
# "Pas question" or "non défigurés" negates too; "unless" is "if not" ("jeśli ... nie"). A negation
# on one side only is a change of meaning worth a look.
_NEGATION = {
    "en": r"\b(?:not|no|never|nothing|none|nobody|nowhere|neither|nor|cannot|unless)\b|n['’]t\b",
    "pl": r"\b(?:nie|nigdy|żaden|żadna|żadne|żadnego|żadnej|żadnych|nic|niczego|nikt|nikogo|nigdzie|ani)\b"
          r"|\bchyba\s+że\b",
    "de": r"\b(?:nicht|kein|keine|keinen|keinem|keiner|keines|keinesfalls|keineswegs|nie|niemals|nichts|niemand"
          r"|nirgends|nirgendwo|weder|nein)\b|\bes\s+sei\s+denn\b",
    "fr": r"\bn(?:e\s+|['’]\s*)(?:(?!qu)\S+\s+){0,4}?"  # ne ... pas, not across a que
          r"(?:pas|jamais|plus(?!\s+qu)|rien|aucun|aucune|nullement|guère(?!\s+qu)|point)\b"
          r"|\bn(?:e\s+|['’]\s*)(?:(?:le|la|les|lui|leur|se|y|en)\s+|s['’]\s*)?"  # literary ne
          r"(?:peu[tx]?|peuvent|pouv\w+|pourr\w+|pu[ts]?|purent|sai[st]|sav\w+|saur\w+|su[st]?|surent"
          r"|os\w+|cess\w+)\b(?!(?:\s+\S+){0,3}?\s+qu['’e])"
          r"|\brien\b|\bnulle\s+part\b|(?:^|[.;:!?]\s*)aucune?\b|(?:^|[,;:(]\s*|\b(?:mais|et|ou)\s+)pas\b"
          r"|\bnon\b(?!-)"
          r"|\bà\s+moins\s+qu",
}
# "Without" negates too, but translators turn it into an affix as often as not ("bez zmian" ->
# "unchanged") and into it ("nie dostrzega" -> "without noticing"): it answers a negation on the
# other side, and never makes a side negated by itself. So do "rather than" and "instead of" ("z
# przepisów, a nie z zaniedbań" -> "the rules rather than negligence"), a word negated by its
# prefix ("nie do pomyślenia" -> "unthinkable"; "niemożliwe" -> "not possible"), and a word that
# means a negation ("refused to comment" -> "nie chciał komentować", "failed to appear" -> "nie
# stawił się", "has yet to decide" -> "jeszcze nie zdecydował", "disagreed" -> "nie zgodziła się";
# "brak dowodów" -> "there is no evidence", "odmówił" -> "would not"). "Unfortunately" is no such
# prefix: it judges the clause and negates nothing ("Na szczęście nikt nie zginął" ->
# "Unfortunately, two people died" turns the sentence round).
_SOFT_NEGATION = {
    "en": r"\bwithout\b|\brather\s+than\b|\binstead\s+of\b"
          r"|\bun(?!der|til|ion|it|ivers|ique|ite|iform|less\b|fortunate)[a-z]{4,}|\bimpossibl[ey]\b"
          r"|\b(?:refus|fail|reject|lack|refrain|neglect|absen)\w*|\bignor(?:e|es|ed|ing)\b"
          r"|\bden(?:y|ies|ied|ying|ials?)\b|\bdeclin(?:e|es|ed|ing)\s+to\b|\byet\s+to\b"
          r"|\bdis(?:agre|approv|lik|allow|obe|regard|trust|satisf|pleas|believ|belief|honest|loyal)\w*",
    "pl": r"\bbez\b|\bzamiast\b|\bnie(?!mal|daw|co\b|stet|mc|bo|dziel|wiel|dług|gdyś|zwykł)\w{4,}"
          r"|\b(?:za)?brak\w*|\bodm(?:ówi|awia|ow[aeyi])\w*|\bzaprzecz\w*|\bodrzuc\w*|\bz?ignor\w*"
          r"|\bzaniecha\w*",
    "de": r"\bohne\b|\b(?:an)?statt\b|\bun(?!ter|d\b|s\b|ser)\w{4,}",
    "fr": r"\bsans\b|\bplutôt\s+qu|\bau\s+lieu\s+d|\bhors\s+de\s+question\b",
}
# Phrases whose negation word negates nothing: "not only", "no doubt", a litotes ("nicht
# unerheblich", "ne manque pas de"), "No. 293", a restrictive "rien que", the "nie" that Polish
# puts after "dopóki" and "zanim" ("dopóki reżim nie zakończy ataków": until the regime ends its
# attacks). Taken out before counting.
_NOT_NEGATION = {
    "en": r"\bnot\s+only\b|\bno\s+doubt\b|\bwithout\s+(?:a\s+|any\s+)?doubt\b|\bgoes\s+without\s+saying\b"
          r"|\bnot\s+un(?!i|der|til|less|to\b)\w{4,}|\bno\.\s*\d",
    "pl": r"\bnie\s+tylko\b|\bbez\s+wątpienia\b|\bnie\s+bez\b"
          r"|\b(?:dopóki|dopóty|póki|zanim)\s+(?:[^\s,;:.!?]+\s+){0,3}?nie\b",
    "de": r"\bnicht\s+nur\b|\bohne\s+(?:jeden\s+)?Zweifel\b|\bnicht\s+un(?!bedingt|mittelbar|ter|ten|s\b|ser|d\b)\w{4,}",
    "fr": r"\b(?:non|pas)\s+seulement\b|\bsans\s+(?:aucun\s+)?doute\b|\bva\s+sans\s+dire\b|\bsans\s+cesse\b"
          r"|\bne\s+manqu\w+\s+pas\s+de\b|\bn['’]\s*est\s+pas\s+sans\b|\bnon\s+loin\b|\brien\s+qu"
          r"|\bn['’]\s*en\s+\S+\s+pas\s+moins\b",  # "n'en est pas moins": nevertheless
}
# Phrases whose negation word answers a negation on the other side but never negates a side alone,
# as soft negations do: "not ... until" is "only then", "dopiero" as often as "nie ... dopóki nie"
# (whose second "nie" is no negation, above); "not enough", "not much" and "not many" say "too
# little" ("za mało", "niewiele", "mało") as often as they render "nie wystarczy" or "nie ma
# wielu". Taken out, then counted as soft.
_SOFT_PHRASES = {
    "en": r"(?:\bnot|n['’]t)\b(?:\s+\S+){0,5}?\s+until\b"
          r"|(?:\bnot|n['’]t)\s+(?:nearly\s+|quite\s+|very\s+)?(?:enough|much|many|a\s+lot)\b",
}
NEGATION = {lang: re.compile(pattern, re.IGNORECASE) for lang, pattern in _NEGATION.items()}
SOFT_NEGATION = {lang: re.compile(pattern, re.IGNORECASE) for lang, pattern in _SOFT_NEGATION.items()}
NOT_NEGATION = {lang: re.compile(pattern, re.IGNORECASE) for lang, pattern in _NOT_NEGATION.items()}
SOFT_PHRASES = {lang: re.compile(pattern, re.IGNORECASE) for lang, pattern in _SOFT_PHRASES.items()}


class Negations(NamedTuple):
    """A side's negations: clear ones ("not", "nie"), and soft ones ("without", "bez")."""

    clear: int
    soft: int
    first: str = ""  # the first clear one as written, to name in a message


class WordReading(NamedTuple):  # a tuple, not a dataclass: a book has 60,000, rebuilt at each step
    """One content word of a pair and how well the other side answers it."""

    token: Token
    cleared_by: str | None  # "same", "cognate", "dictionary" or "recurring"; None if not cleared
    counterpart: Token | None = None  # the other side's word that cleared it, when there is one
    isolated: float = 0.0  # best cosine of the word alone with the other side's words
    in_context: float = 0.0  # best cosine of its contribution with the other side's words'
    closest: str = ""  # the other side's word most like it
    dictionary_miss: bool = False  # the dictionary knows the word and finds none of its renderings
    z: float = 0.0  # its score standardised over the document (set once all pairs are read)
    usual: tuple[int, int] = (0, 0)  # the other pairs with its lemma, and those where it has a counterpart
    unexpected: float = 0.0  # how far the surprise of its miss here exceeds EXPECTED_SURPRISE (or 0)

    @property
    def raw_score(self) -> float:
        """How unlike the other side the word is (higher: less like anything there)."""
        return -(self.isolated + CONTEXT_WEIGHT * self.in_context) + DICTIONARY_MISS * self.dictionary_miss

    @property
    def open(self) -> bool:
        """Not cleared, and less like the other side than the document's typical open word."""
        return self.cleared_by is None and self.z > OPEN_Z


_NO_WORD = WordReading(Token("", "", 0, 0), None)  # what a pair without source words has at most


@dataclass(frozen=True)
class Moved:
    """A source word whose rendering stands in another sentence of the translation than the
    renderings of the words around it (``prowizoryczny byt`` -> ``existence. Even temporarily``)."""

    word: Token
    rendering: Token
    neighbour: Token  # a source word next to it, rendered in the other sentence


@dataclass(frozen=True)
class PairReading:
    """One bead read word by word."""

    bead: Bead
    source_text: str
    target_text: str
    source: tuple[WordReading, ...]
    target: tuple[WordReading, ...]
    negation: tuple[Negations, Negations]  # negations counted in the source and in the translation
    moved: Moved | None = None
    opposites: tuple[Opposite, ...] = ()  # senses the translation turned around (north -> south)
    swap: NameSwap | None = None  # one known name put in the place of another (Minsk -> Kyiv)

    @cached_property  # the outliers sort every pair by its score
    def lost(self) -> tuple[WordReading, ...]:
        """The source's strongest run of adjacent open words (what the translation lacks)."""
        return _strongest_run(self.source_text, self.source)

    @cached_property
    def said(self) -> tuple[WordReading, ...]:
        """The translation's strongest run of adjacent open words (what it says instead)."""
        return _strongest_run(self.target_text, self.target)

    @property
    def most_unexpected(self) -> WordReading:
        """The source word whose missing counterpart the rest of the document least expected."""
        return max(self.source, key=lambda w: w.unexpected, default=_NO_WORD)

    @property
    def negation_differs(self) -> bool:
        """One side clearly negated, the other not at all."""
        return any(mine.clear and not any(theirs) for mine, theirs in (self.negation, self.negation[::-1]))

    @property
    def negated_side(self) -> str:
        return "translation" if self.negation[1].clear else "source"

    @property
    def turned(self) -> Opposite | None:
        """A sense the translation turned into its opposite, unless one side alone negates clearly:
        then the two turns cancel ('nie jest łatwe' -> 'it is difficult'), also where the other
        side's negation is soft ('nie przyjął oferty' -> 'refused the offer')."""
        clear = [side.clear > 0 for side in self.negation]
        return None if clear[0] != clear[1] or not self.opposites else self.opposites[0]

    @cached_property
    def score(self) -> float:
        words = _weight(self.said) + SOURCE_WEIGHT * _weight(self.lost) + self.most_unexpected.unexpected
        return words + NEGATION_BONUS * self.negation_differs + MOVED_BONUS * (self.moved is not None)


def _weight(run: Sequence[WordReading]) -> float:
    return sum(w.z for w in run)


def _strongest_run(text: str, words: Sequence[WordReading]) -> tuple[WordReading, ...]:
    """The run of adjacent open words with the highest summed z (a phrase rendered wrongly
    leaves several neighbours without counterpart: 'ręcznych wyrzutni rakiet')."""
    best: tuple[WordReading, ...] = ()
    run: list[WordReading] = []
    for word in words:
        if not word.open:
            run = []
            continue
        if run and not _adjacent(text, run[-1].token, word.token):
            run = []
        run.append(word)
        if _weight(run) > _weight(best):
            best = tuple(run)
    return best


def _adjacent(text: str, left: Token, right: Token) -> bool:
    """Only spaces or a short word stand between the two words, no punctuation."""
    between = text[left.end : right.start]
    return len(between.strip()) <= 3 and not re.search(r"[.,;:!?—–()]", between)


def check(ctx: CheckContext) -> list[Issue]:
    if ctx.encoder is None:
        return []
    readings = read_pairs(ctx)
    return [_issue(r, ctx.dictionary(), ctx.encoder) for r in outliers(readings)]


def outliers(readings: Sequence[PairReading]) -> list[PairReading]:
    """The pairs scoring at least FLAG_SCORE and standing out from the document's other pairs
    (a loosely translated document raises every pair's score), best first, at most MAX_SHARE."""
    scores = np.array([r.score for r in readings])
    if not len(scores):
        return []
    mean, spread = float(scores.mean()), float(scores.std()) or 1.0
    limit = max(1, round(MAX_SHARE * len(readings)))
    rare = _negation_is_rare(readings)

    def tier(r: PairReading) -> int:
        """A name or a sense swapped first (a table says so), then a negation on one side only in
        a document that rarely does that, then the rest by score."""
        return 0 if r.swap is not None or r.turned is not None else 1 if rare and r.negation_differs else 2

    ranked = sorted(readings, key=lambda r: (tier(r), -r.score))
    return [r for r in ranked[:limit]
            if tier(r) < 2 or (r.score >= FLAG_SCORE and (r.score - mean) / spread >= OUTLIER_Z)]


def _negation_is_rare(readings: Sequence[PairReading]) -> bool:
    """Whether few of the document's pairs negate on one side only. A faithful translation keeps
    its negations (none of the demo pair's 128 pairs drops or adds one), and then a single one
    that differs is worth a look by itself; a translator who rewords freely ("nicht bekannt" ->
    "on manque de détails": 9% of Text+Berg's pairs) makes it only one piece of evidence."""
    return sum(r.negation_differs for r in readings) <= max(1.0, NEGATION_RARE * len(readings))


# --------------------------------------------------------------------------------------------
# Reading the pairs
# --------------------------------------------------------------------------------------------


def read_pairs(ctx: CheckContext) -> list[PairReading]:
    """Every bead with text on both sides, read word by word (see the module doc)."""
    pairs = [(b, s, t) for b, s, t in ctx.pairs() if b.src and b.tgt]
    if not pairs:
        return []
    src_lang, tgt_lang = base_lang(ctx.source.lang), base_lang(ctx.target.lang)
    # every word and the content words as plain spans (text, lemma, start, end), candidates as Tokens
    src_all = [word_spans(s, src_lang) for _, s, _ in pairs]
    tgt_all = [word_spans(t, tgt_lang) for _, _, t in pairs]
    src_content = [content_of(words, src_lang) for words in src_all]
    tgt_content = [content_of(words, tgt_lang) for words in tgt_all]
    src_words = [_candidates(words, src_lang) for words in src_content]
    tgt_words = [_candidates(words, tgt_lang) for words in tgt_content]
    dictionary = ctx.dictionary()
    heads = _Heads(dictionary) if dictionary else None
    lexicon = _recurring_pairs(src_words, tgt_words)
    partners = {forward: _partners(lexicon, forward) for forward in (True, False)}
    src_keys, tgt_keys = _WordKeys(src_lang), _WordKeys(tgt_lang)

    def clear(words: list[Token], keys: _WordKeys, other_words: list[Span], other_candidates: list[Token],
              other_keys: _WordKeys, forward: bool) -> list[WordReading]:
        others = _Counterparts.of(other_words, other_candidates, other_keys)
        return [WordReading(w, *_cleared(w, keys, others, heads, partners[forward], forward)) for w in words]

    source = [clear(ws, src_keys, o, oc, tgt_keys, True) for ws, o, oc in zip(src_words, tgt_all, tgt_words)]
    target = [clear(ws, tgt_keys, o, oc, src_keys, False) for ws, o, oc in zip(tgt_words, src_all, src_words)]
    # the readings are filled in in place: a book has 60,000, and the garbage collector walks every
    # one alive at each collection
    _encoder_evidence(ctx.encoder, [(s, t) for _, s, t in pairs], source, target, src_content, tgt_content)
    if dictionary:
        _dictionary_misses(source, dictionary, True)
        _dictionary_misses(target, dictionary, False)
    _standardise(source)
    _standardise(target)
    _expected_counterparts(source)
    swaps = {ctx.beads[k]: swap for k, swap in swapped_names(ctx).items()}
    readings = []
    for k, ((bead, s, t), sw, tw) in enumerate(zip(pairs, source, target)):
        breaks = _sentence_starts(ctx.target.segments, bead.tgt)
        negation = (_negations(s, src_lang), _negations(t, tgt_lang))
        opposites = tuple(find_opposites(src_all[k], tgt_all[k], src_lang, tgt_lang))
        readings.append(PairReading(bead, s, t, tuple(sw), tuple(tw), negation, _moved(sw, breaks, tgt_lang), opposites,
                                    swaps.get(bead)))
    return readings


def _candidates(content: list[Span], lang: str) -> list[Token]:
    """The words whose loss or change would change what the sentence says (of its content words)."""
    return [Token._make(w) for w in content if _may_change_meaning(w[0], w[1], lang, w[2] == 0)]


@lru_cache(maxsize=100_000)  # a book asks about each of its words in every pair that has it
def _may_change_meaning(text: str, lemma: str, lang: str, at_start: bool) -> bool:
    light = LIGHT_WORDS.get(lang, frozenset())
    numbers = _NUMBER_WORDS.get(base_lang(lang), frozenset())
    return (lemma not in light and text.lower() not in light and text.lower() not in numbers and len(text) >= 3
            and not (_other_readings(text, lang) & light) and not _is_name(text, lang, at_start))


def _other_readings(text: str, lang: str) -> frozenset[str]:
    """The lemmas of ``text`` besides the lemmatiser's (``OTHER_READINGS``)."""
    return OTHER_READINGS.get(base_lang(lang), {}).get(text.lower(), frozenset())


def _is_name(text: str, lang: str, at_start: bool) -> bool:
    """A capitalised word the lemmatiser does not know as a common word (German capitalises
    every noun, elsewhere a capital at the start of the text says nothing)."""
    if not text[0].isupper() or (at_start and lang != "de"):
        return False
    return is_name_like(text, lang)


def _most_edits(letters: int) -> int:
    """The most edits by which two keys of ``letters`` letters can pass as cognates (a bound:
    the margin keeps in a count that ``cognate_keys``'s rounding might let pass)."""
    return int((1 - COGNATE_SIMILARITY) * letters + 1e-9)


# Cognate keys are compared on as many letters as the shorter has. Below this length they may
# differ by one edit at most, a substitution (two strings of one length that differ by an
# insertion also differ by a deletion), so their first two or their next two letters agree.
ONE_EDIT_BELOW = next(n for n in count(4) if _most_edits(n) > 1)


class _WordKeys(dict[str, tuple[str, str]]):
    """Each word form's lower case and name key ("" when too short to compare), worked out once a
    run: a book repeats its words in thousands of pairs."""

    def __init__(self, lang: str) -> None:
        super().__init__()
        self.lang = lang

    def __missing__(self, text: str) -> tuple[str, str]:
        key = name_key(text, self.lang)
        self[text] = found = (text.lower(), key if len(key) >= 4 else "")
        return found


@dataclass(frozen=True)
class _Counterparts:
    """One side's words in a pair, indexed once for all the other side's words that look in it."""

    words: list[Span]
    tokens: dict[int, Token]  # the candidate words' Tokens by their start, to serve as counterparts
    first_by_text: dict[str, int]  # lower-case form -> position of its first word
    first_by_lemma: dict[str, int]
    keyed: list[tuple[int, str]]  # the words (positions) with a name key long enough to compare
    # the keyed words (positions in ``keyed``) by their key's letters 1-2 and 3-4, and the long
    # keys, which need comparing with every long key (see ONE_EDIT_BELOW)
    by_head: dict[str, list[int]]
    by_second: dict[str, list[int]]
    long_keyed: list[int]

    @classmethod
    def of(cls, words: list[Span], candidates: list[Token], keys: _WordKeys) -> _Counterparts:
        by_text: dict[str, int] = {}
        by_lemma: dict[str, int] = {}
        keyed: list[tuple[int, str]] = []
        by_head: dict[str, list[int]] = {}
        by_second: dict[str, list[int]] = {}
        long_keyed: list[int] = []
        for k, (text, lemma, _, _) in enumerate(words):  # one pass: a book has 185,000 words
            lower, key = keys[text]
            by_text.setdefault(lower, k)
            by_lemma.setdefault(lemma, k)
            if key:
                by_head.setdefault(key[:2], []).append(len(keyed))
                by_second.setdefault(key[2:4], []).append(len(keyed))
                if len(key) >= ONE_EDIT_BELOW:
                    long_keyed.append(len(keyed))
                keyed.append((k, key))
        return cls(words, {t.start: t for t in candidates}, by_text, by_lemma, keyed, by_head, by_second, long_keyed)

    @cached_property
    def folded(self) -> list[tuple[str, str]]:
        """Each word's folded lemma and text (for the dictionary)."""
        return [(_fold(lemma), _fold(text)) for text, lemma, _, _ in self.words]

    def token(self, k: int) -> Token:
        return self.tokens.get(self.words[k][2]) or Token._make(self.words[k])

    def first_cognate(self, key: str) -> int | None:
        """The position of the first word whose key is a cognate of ``key`` (a key of four
        letters or more); only the words that the index cannot rule out are compared."""
        near = self.by_head.get(key[:2], []) + self.by_second.get(key[2:4], [])
        if len(key) >= ONE_EDIT_BELOW:
            near += self.long_keyed
        for k in sorted(set(near)) if len(near) > 1 else near:
            other, other_key = self.keyed[k]
            if cognate_keys(key, other_key):
                return other
        return None


def _cleared(word: Token, keys: _WordKeys, others: _Counterparts, heads: _Heads | None,
             partners: dict[str, frozenset[str]], forward: bool) -> tuple[str | None, Token | None]:
    """How the other side's words show that ``word`` has a counterpart, and which word it is
    (``partners``: the document's lexicon, from this side's lemmas to the other's), under its
    lemma or, failing that, under another reading of its form ('do rana': rano, 'morning')."""
    found = _cleared_as(word, keys, others, heads, partners, forward)
    for reading in sorted(_other_readings(word.text, keys.lang)) if found[0] is None else ():
        found = _cleared_as(word._replace(lemma=reading), keys, others, heads, partners, forward)
        if found[0] is not None:
            break
    return found


def _cleared_as(word: Token, keys: _WordKeys, others: _Counterparts, heads: _Heads | None,
                partners: dict[str, frozenset[str]], forward: bool) -> tuple[str | None, Token | None]:
    lower, key = keys[word.text]
    missing = len(others.words)
    same = min(others.first_by_text.get(lower, missing), others.first_by_lemma.get(word.lemma, missing))
    if same < missing:
        return "same", others.token(same)
    if key:
        other = others.first_cognate(key)
        if other is not None:
            return "cognate", others.token(other)
    if heads:
        other = _in_dictionary(word, others, heads, forward)
        if other is not None:
            return "dictionary", others.token(other)
    lemmas = partners.get(word.lemma)
    if lemmas:
        first = min([others.first_by_lemma.get(lemma, missing) for lemma in lemmas])
        if first < missing:
            return "recurring", others.token(first)
    return None, None


def _in_dictionary(word: Token, others: _Counterparts, heads: _Heads, forward: bool) -> int | None:
    """The word of ``others`` (its position) that renders ``word`` (or that ``word`` renders), if any.

    Both directions of the dictionary are asked, and forms are compared loosely (a shared stem,
    or a compound holding the rendering: ``narodowowyzwoleńczego`` holds ``wyzwolenie``'s stem).
    """
    wanted = heads.of(word.lemma, forward) | heads.of(word.text.lower(), forward)
    wanted_by_start = _by_start(wanted)  # once per word, not once per word it is compared with
    mine = (_fold(word.lemma), _fold(word.text))
    for k, ((_, lemma, _, _), forms) in enumerate(zip(others.words, others.folded)):
        if _any_alike(wanted, wanted_by_start, forms) or _any_alike(*heads.indexed(lemma, not forward), mine):
            return k
    return None


def _any_alike(heads: frozenset[str], by_start: dict[str, tuple[str, ...]], forms: tuple[str, str]) -> bool:
    """Whether one of the rendering heads is a form of one of the words, or stands inside it
    (``by_start``: the heads by their first three letters)."""
    if not heads:
        return False
    for form in forms:
        if form in heads:
            return True
        if any(alike(h, form) for h in by_start.get(form[:3], ())):
            return True
        if len(form) >= 10 and any(len(h) >= 6 and h[:-2] in form for h in heads):  # a compound
            return True
    return False


@lru_cache(maxsize=50_000)
def _by_start(heads: frozenset[str]) -> dict[str, tuple[str, ...]]:
    index: dict[str, list[str]] = {}
    for head in heads:
        index.setdefault(head[:3], []).append(head)
    return {k: tuple(v) for k, v in index.items()}


@dataclass(frozen=True)
class _Heads:
    """The main word (the longest, folded) of each dictionary rendering, memoised for one run."""

    dictionary: Dictionary
    memo: dict[tuple[str, bool], frozenset[str]] = field(default_factory=dict)
    indexed_memo: dict[tuple[str, bool], tuple[frozenset[str], dict[str, tuple[str, ...]]]] = field(
        default_factory=dict)

    def of(self, word: str, forward: bool) -> frozenset[str]:
        key = (word, forward)
        if key not in self.memo:
            look_up = self.dictionary.renderings if forward else self.dictionary.sources
            lang = self.dictionary.tgt_lang if forward else self.dictionary.src_lang
            # a function word is no head: 'przy' (for 'with') would match 'przyszłość' by its start
            found = (max(_fold(r).split(), key=len, default="")
                     for r in look_up(word) if not is_function_word(r, lang))
            self.memo[key] = frozenset(h for h in found if len(h) >= 3)
        return self.memo[key]

    def indexed(self, word: str, forward: bool) -> tuple[frozenset[str], dict[str, tuple[str, ...]]]:
        """``of(word, forward)`` with the heads by their first three letters."""
        key = (word, forward)
        if key not in self.indexed_memo:
            heads = self.of(word, forward)
            self.indexed_memo[key] = (heads, _by_start(heads))
        return self.indexed_memo[key]


@lru_cache(maxsize=100_000)
def _fold(word: str) -> str:
    return fold(word)


def _partners(lexicon: set[tuple[str, str]], forward: bool) -> dict[str, frozenset[str]]:
    """The lexicon's lemma pairs as each source lemma's target partners (or the reverse)."""
    found: dict[str, set[str]] = {}
    for a, b in lexicon:
        found.setdefault(a if forward else b, set()).add(b if forward else a)
    return {lemma: frozenset(others) for lemma, others in found.items()}


def _recurring_pairs(src: list[list[Token]], tgt: list[list[Token]]) -> set[tuple[str, str]]:
    """Lemma pairs that occur together in several pairs and rarely apart (Dice coefficient),
    each the other's best partner (competitive linking)."""
    src_sets = [{t.lemma for t in ts} for ts in src]
    tgt_sets = [{t.lemma for t in ts} for ts in tgt]
    src_count = Counter(chain.from_iterable(src_sets))
    tgt_count = Counter(chain.from_iterable(tgt_sets))
    src_frequent = [[a for a in s if src_count[a] >= RECURRING_MIN] for s in src_sets]
    tgt_frequent = [[b for b in t if tgt_count[b] >= RECURRING_MIN] for t in tgt_sets]
    together = Counter(chain.from_iterable(map(product, src_frequent, tgt_frequent)))
    dice = {(a, b): 2 * c / (src_count[a] + tgt_count[b]) for (a, b), c in together.items() if c >= RECURRING_MIN}
    best_of_source: dict[str, float] = {}
    best_of_target: dict[str, float] = {}
    for (a, b), d in dice.items():
        best_of_source[a] = max(best_of_source.get(a, 0.0), d)
        best_of_target[b] = max(best_of_target.get(b, 0.0), d)
    return {(a, b) for (a, b), d in dice.items()
            if d >= RECURRING_DICE and d >= best_of_source[a] and d >= best_of_target[b]}


def _dictionary_misses(readings: list[list[WordReading]], dictionary: Dictionary, forward: bool) -> None:
    """Mark the open words the dictionary knows (it found none of their renderings), in place."""
    knows = dictionary.knows_source if forward else dictionary.knows_target
    for words in readings:
        for i, word in enumerate(words):
            if not word.cleared_by:
                words[i] = word._replace(dictionary_miss=knows(word.token.lemma))


def _negations(text: str, lang: str) -> Negations:
    pattern, soft = NEGATION.get(lang), SOFT_NEGATION.get(lang)
    if not pattern:
        return Negations(0, 0)
    idioms, phrases = NOT_NEGATION.get(lang), SOFT_PHRASES.get(lang)
    text = idioms.sub(" ", text) if idioms else text
    text, answering = phrases.subn(" ", text) if phrases else (text, 0)
    clear = list(pattern.finditer(text))
    first = ""
    if clear:  # as written, with the word an "n't" ends ("isn't")
        first = (re.search(r"[\w'’]*$", text[: clear[0].start()]).group(0) + clear[0].group(0)).strip()
    return Negations(len(clear), answering + (len(soft.findall(text)) if soft else 0), first)


def _sentence_starts(segments, indices: Sequence[int]) -> list[int]:
    """Where each segment after the first starts in the pair's joined text (joined by a space)."""
    starts, offset = [], 0
    for n, i in enumerate(indices):
        if n:
            starts.append(offset)
        offset += len(segments[i].text) + 1
    return starts


def _moved(source: Sequence[WordReading], breaks: list[int], tgt_lang: str) -> Moved | None:
    """A source word rendered in another sentence of the translation than both its neighbours.

    Only words with a clear counterpart count (dictionary, cognate, same word, document lexicon),
    and never a function word ('des', lemma 'un', for 'einzigartige'); a translation that splits
    a sentence keeps each word with its neighbours unless it moved a qualifier across the break,
    which changes what the word qualifies.
    """
    if not breaks:
        return None
    placed = [(w, bisect_right(breaks, w.counterpart.start)) for w in source
              if w.counterpart and not is_function_word(w.counterpart.text, tgt_lang)]
    for (before, a), (word, b), (after, c) in zip(placed, placed[1:], placed[2:]):
        if a == c != b and _near(before.token, word.token) and _near(word.token, after.token):
            return Moved(word.token, word.counterpart, after.token)
    return None


def _near(left: Token, right: Token) -> bool:
    return right.start - left.end <= NEAR_CHARS


# --------------------------------------------------------------------------------------------
# Encoder evidence
# --------------------------------------------------------------------------------------------


def _occluded(text: str, token: Token) -> str:
    """``text`` without ``token``, spaces tidied."""
    return " ".join((text[: token.start] + text[token.end :]).split())


def _encoder_evidence(encoder, texts, source, target, src_all, tgt_all) -> None:
    """Fill in the isolated and in-context cosines of every word not cleared cheaply (in place).

    Two encode calls. First the words alone (as written and as lemma), for every pair's isolated
    cosines. Then the in-context view, which needs each sentence encoded once more without each
    of its candidate words: the costliest part of the check. In a long document it is computed
    for the pairs the isolated view already ranks highest (``CONTEXT_PAIRS`` or more, a tenth of
    them), since only a few outliers are ever reported; the other pairs' open words get the
    document's typical in-context cosine. Candidates that are cleared still serve as counterparts
    for the other side's words.
    """
    words = chain.from_iterable(chain(src_all, tgt_all))
    forms = dict.fromkeys(form for text, lemma, _, _ in words for form in (text, lemma))  # in order, once
    strings: dict[str, int] = {form: k for k, form in enumerate(forms)}

    def index(text: str) -> int:
        return strings.setdefault(text, len(strings))

    vectors = encoder.encode(list(strings))
    # each pair's content words as written, then as lemmas (rows of ``vectors``)
    src_forms = [[strings[w[0]] for w in ws] + [strings[w[1]] for w in ws] for ws in src_all]
    tgt_forms = [[strings[w[0]] for w in ws] + [strings[w[1]] for w in ws] for ws in tgt_all]
    with threadpool_limits(1, user_api="blas"):  # one small product a pair: too small to share
        for k in range(len(texts)):
            _isolated(source[k], vectors, strings, tgt_forms[k], tgt_all[k])
            _isolated(target[k], vectors, strings, src_forms[k], src_all[k])
    # a segment of thousands of words (a text without punctuation) would be encoded once per word
    chosen = [k for k in _context_pairs(source, target) if max(map(len, texts[k])) <= CONTEXT_MAX_CHARS]

    known = len(strings)
    originals: dict[str, str] = {}  # each new text -> the sentence it is an edit of (or itself)

    def edited(text: str, original: str) -> int:
        originals.setdefault(text, original)
        return index(text)

    sentence_rows = {k: (edited(texts[k][0], texts[k][0]), edited(texts[k][1], texts[k][1])) for k in chosen}
    occluded = {k: ([edited(_occluded(texts[k][0], w.token), texts[k][0]) for w in source[k]],
                    [edited(_occluded(texts[k][1], w.token), texts[k][1]) for w in target[k]]) for k in chosen}
    if len(strings) > known:
        new = list(strings)[known:]
        sentences = list(dict.fromkeys(originals[text] for text in new))
        row = {text: k for k, text in enumerate(sentences)}
        # a sentence without one word is read only around the gap (align.use)
        vectors = np.vstack([vectors, edit_encoder(encoder)(sentences, [(row[originals[text]], text) for text in new])])
    with threadpool_limits(1, user_api="blas"):
        for k in chosen:
            s_row, t_row = sentence_rows[k]
            s_contrib = _contributions(vectors, s_row, occluded[k][0])
            t_contrib = _contributions(vectors, t_row, occluded[k][1])
            _in_context(source[k], s_contrib, t_contrib, len(tgt_all[k]))
            _in_context(target[k], t_contrib, s_contrib, len(src_all[k]))
    if len(chosen) < len(texts):
        _typical_context(source, chosen)
        _typical_context(target, chosen)


def _context_pairs(source: list[list[WordReading]], target: list[list[WordReading]]) -> list[int]:
    """The pairs that get the in-context view: all of a short document's; in a long one those
    whose least matched words (isolated view) are least matched."""
    n = len(source)
    wanted = _context_budget(n)
    if n <= wanted:
        return list(range(n))

    def worst(words: list[WordReading]) -> float:
        return max((-w.isolated for w in words if not w.cleared_by), default=-1.0)

    rough = [worst(t) + SOURCE_WEIGHT * worst(s) for s, t in zip(source, target)]
    return sorted(sorted(range(n), key=lambda k: -rough[k])[:wanted])


def _context_budget(pairs: int) -> int:
    # Measured on a 900-pair book: the view for 200 pairs reports 36 of the 39 pairs that the
    # view for every pair reports (a third, 300 pairs: 37) for under a quarter of its encoding.
    return max(CONTEXT_PAIRS, pairs // 10)


def _typical_context(readings: list[list[WordReading]], chosen: list[int]) -> None:
    """Open words of the pairs left without the in-context view get the median of the others
    (in place)."""
    measured = [w.in_context for k in chosen for w in readings[k] if not w.cleared_by]
    typical = float(np.median(measured)) if measured else 0.0
    picked = set(chosen)
    for k, words in enumerate(readings):
        if k not in picked:
            for i, word in enumerate(words):
                if not word.cleared_by:
                    words[i] = word._replace(in_context=typical)


def _contributions(vectors: np.ndarray, sentence: int, without: list[int]) -> np.ndarray:
    """Each word's contribution to its sentence's vector, unit length."""
    if not without:
        return np.zeros((0, vectors.shape[1]), dtype=vectors.dtype)
    rows = vectors[sentence] - vectors[without]
    norms = np.linalg.norm(rows, axis=1, keepdims=True)
    return np.divide(rows, norms, out=np.zeros_like(rows), where=norms > 0)


def _isolated(words, vectors, strings, other_forms, other_content) -> None:
    """Fill in the open words' best isolated cosine on the other side and the word that gives it
    (one matrix product a pair: a book has tens of thousands of open words)."""
    open_words = [i for i, word in enumerate(words) if not word.cleared_by]
    n_other = len(other_content)
    if not open_words or not n_other:
        return
    mine = vectors[[strings[form] for i in open_words for form in (words[i].token.text, words[i].token.lemma)]]
    # rows: each word as written and as lemma; columns: the other words as written, then as lemmas
    alone = (mine @ vectors[other_forms].T).reshape(len(open_words), 2, 2, n_other).max(axis=(1, 2))
    best = alone.argmax(axis=1)
    for i, cosine, other in zip(open_words, alone.max(axis=1).tolist(), best.tolist()):
        words[i] = WordReading(words[i].token, None, None, cosine, 0.0, other_content[other][0])


def _in_context(words, own_contrib, other_contrib, n_other) -> None:
    """Fill in the open words' best in-context cosine (their contribution's) on the other side
    (``n_other``: the other side's content words; without any, the words have no cosines)."""
    open_words = [i for i, word in enumerate(words) if not word.cleared_by]
    if not open_words or not n_other or not len(other_contrib):
        return
    context = (own_contrib[open_words] @ other_contrib.T).max(axis=1)
    for i, cosine in zip(open_words, context.tolist()):
        words[i] = words[i]._replace(in_context=cosine)


def _standardise(readings: list[list[WordReading]]) -> None:
    """Set each open word's z: its raw score against all open words of the same side (in place)."""
    scores = np.array([w.raw_score for ws in readings for w in ws if w.cleared_by is None])
    if len(scores) < 2:
        return
    mean, spread = float(scores.mean()), float(scores.std()) or 1.0
    z = iter(((scores - mean) / spread).tolist())
    for words in readings:
        for i, word in enumerate(words):
            if not word.cleared_by:
                words[i] = word._replace(z=next(z))


def _expected_counterparts(readings: list[list[WordReading]]) -> None:
    """Raise the z of a source word that has a counterpart in the document's other pairs and none
    here (in place). A translator who renders 'rząd' in all nine other pairs that have it, and not
    in this one, has changed something here, however close the encoder puts the word that stands
    in its place ('parliament'). How surprising the miss is comes from the word's own record, so a
    word the translator renders freely ('Berg': 17 of 21 pairs) misses without surprise. Source
    words only: a translation adds words its source never forces ('glacier du Baltoro')."""
    pairs_with, rendered = Counter(), Counter()
    for words in readings:
        lemmas = {w.token.lemma for w in words}
        pairs_with.update(lemmas)
        rendered.update(lemmas & {w.token.lemma for w in words if w.cleared_by})
    for words in readings:
        here = {w.token.lemma for w in words if w.cleared_by}
        for i, word in enumerate(words):
            lemma = word.token.lemma
            if word.cleared_by or lemma in here:
                continue
            others, hits = pairs_with[lemma] - 1, rendered[lemma]
            excess = -np.log((others - hits + 1) / (others + 2)) - EXPECTED_SURPRISE  # odds smoothed
            if excess > 0:  # the word is open, and the pair's score rises by as much again
                words[i] = word._replace(z=word.z + excess, usual=(others, hits), unexpected=float(excess))


# --------------------------------------------------------------------------------------------
# Reporting
# --------------------------------------------------------------------------------------------


def _issue(reading: PairReading, dictionary: Dictionary | None, encoder=None) -> Issue:
    lost, said = _text(reading.source_text, reading.lost), _text(reading.target_text, reading.said)
    evidence: list[str] = []
    if lost:
        evidence.append(f"source: {lost}")
    if said:
        evidence.append(f"translation: {said}")
    unexpected = reading.most_unexpected
    if unexpected.unexpected:
        others, hits = unexpected.usual
        evidence.append(f"'{unexpected.token.text}' has a counterpart in {hits} of the {others} other pairs with it")
    if reading.negation_differs:
        evidence.append(f"only the {reading.negated_side} is negated")
    if reading.moved:
        moved = reading.moved
        evidence.append(f"moved: {moved.word.text} -> {moved.rendering.text}")
    if reading.swap:
        evidence.append(f"name: {reading.swap.source_name} -> {reading.swap.target_name}")
    turned = reading.turned
    if turned:
        evidence.append(f"sense: {_glossed(turned.source_word, turned.source_sense)} -> "
                        f"{_glossed(turned.target_word, turned.target_sense)}")
    message = "Possible change of meaning: " + _what(reading, lost, said)
    suggestion = None
    if reading.swap:
        suggestion = f"Check the name: {reading.swap.rendering}"
    elif turned:
        suggestion = f"Check the rendering of '{turned.source_word}': {turned.expected}"
    elif reading.lost and dictionary and not (reading.negation_differs and not (lost and said)):
        # (a negation on one side only is about the negation, not about the words around it)
        word = max(reading.lost, key=lambda w: w.z).token
        # a form of two words ('rana': wound, or morning in 'do rana') gets no one word's senses
        renderings = [] if _other_readings(word.text, dictionary.src_lang) else _ranked_renderings(
            word, dictionary, encoder)
        if renderings:
            suggestion = f"Check the rendering of '{word.text}': " + " / ".join(renderings[:3])
    return Issue("meaning_shift", Severity.MEDIUM, reading.bead.src, reading.bead.tgt, message,
                 tuple(evidence), suggestion)


def _ranked_renderings(word: Token, dictionary: Dictionary, encoder) -> list[str]:
    """The dictionary's renderings of ``word`` that a translator could write (``_writable``), those
    the encoder puts nearest the word (as written or as lemma) first: the dictionary lists a word's
    senses in no order, and 'rakieta' is a rocket far more often than a flare or a racket.
    Shortest first without an encoder. Then, where the word's form says whether it is a verb and
    the translation's language marks its verbs, the renderings of that part of speech come first
    ('scrambled': 'gramolić się' before 'gramolenie'; 'jets': 'odrzutowiec' before 'latać')."""
    renderings = sorted(_writable(dictionary.renderings(word.lemma), dictionary),
                        key=lambda r: (len(r), r))  # stable ties
    if encoder is not None and len(renderings) >= 2:
        vectors = encoder.encode([word.text, word.lemma, *renderings])
        near = np.maximum(vectors[2:] @ vectors[0], vectors[2:] @ vectors[1])
        renderings = [renderings[k] for k in np.argsort(-near, kind="stable")]
    verb, infinitive = _verb_form(word, dictionary.src_lang), _INFINITIVE.get(dictionary.tgt_lang)
    if verb is not None and infinitive is not None:
        renderings.sort(key=lambda r: bool(infinitive.match(r)) != verb)  # stable: the encoder's order within
    return renderings


# FreeDict entries as the dictionary keeps them may hold a sense's number ("1. strumień") and the
# entry's markup and examples ("*be in/hold* office ([be V: :in | hold V:] :office)").
_NUMBERED_SENSE = re.compile(r"^(?:\d+|[a-z])\.\s+")
_MARKUP = re.compile(r"[*/()\[\]<>{}:=|\d]")
# How a language writes a verb's dictionary form, where that tells it from the verb's noun: a Polish
# verb phrase starts with an infinitive ('latać odrzutowcami', 'nie zgadzać się'), and no noun in
# -ość or -ęć is one.
_INFINITIVE = {"pl": re.compile(r"^(?:nie\s+)?\w+(?<!oś)(?<!ę)(?<!ęś)ć(?:\s|$)")}


# FreeDict slips that reach an entry's renderings: a homograph's number after the word ('win 2',
# its full stop kept), and two senses run together ('not much little' for 'not much; little').
_HOMOGRAPH_NUMBER = re.compile(r"\s+\d+\.?$")
_RUN_TOGETHER = re.compile(r"^(not\s+(?:much|many|enough))\s+\w+$")


def _writable(renderings: frozenset[str], dictionary: Dictionary) -> set[str]:
    """The renderings a translator could write into the translation: without a sense's number,
    markup, a word of the source's language ('take office', 'the military wojsko') or a word the
    translation's language does not know ('congeeing')."""
    plain = {_RUN_TOGETHER.sub(r"\1", _HOMOGRAPH_NUMBER.sub("", _NUMBERED_SENSE.sub("", r))) for r in renderings}
    return {r for r in plain if r and not _MARKUP.search(r) and not any(_foreign(w, dictionary) for w in r.split())
            and all(_known(w, dictionary.tgt_lang) for w in r.split())}


@lru_cache(maxsize=10_000)
def _known(word: str, lang: str) -> bool:
    """A word the lemmatiser of ``lang`` knows, or a function word (which it may not list)."""
    return is_function_word(word, lang) or not word.isalpha() or is_known(word, lang)


def _foreign(word: str, dictionary: Dictionary) -> bool:
    """A word of the dictionary's source language, not of its target language."""
    src, tgt = dictionary.src_lang, dictionary.tgt_lang
    if dictionary.knows_target(word) or is_function_word(word, tgt):
        return False
    return is_function_word(word, src) or dictionary.knows_source(word) or dictionary.knows_source(lemma_of(word, src))


def _verb_form(word: Token, lang: str) -> bool | None:
    """Whether the source word as written is a verb's form (True: 'failed'), a noun's plural
    (False: 'jets'), or could be either (None: 'office', 'rose'). English only."""
    text, base = word.text.lower(), word.lemma
    if lang != "en" or text == base:
        return None
    if text in (base + "s", base + "es", base[:-1] + "ies"):
        return False
    return True if text.endswith("ed") else None


def _text(text: str, run: Sequence[WordReading]) -> str:
    return text[run[0].token.start : run[-1].token.end] if run else ""


def _what(reading: PairReading, lost: str, said: str) -> str:
    """The finding in a translator's words."""
    if reading.swap:
        swap = reading.swap
        return (f"the source names '{swap.source_name}' (rendered '{swap.rendering}' elsewhere), but the "
                f"translation says '{swap.target_name}' (the rendering of '{swap.target_source}' elsewhere)")
    if reading.turned:
        turned = reading.turned
        return (f"the source says {_glossed(turned.source_word, turned.source_sense)}, the translation says "
                f"{_glossed(turned.target_word, turned.target_sense)}")
    if reading.moved and not (lost and said):
        moved = reading.moved
        return (f"'{moved.word.text}' goes with '{moved.neighbour.text}' in the source, but the translation "
                f"puts its rendering '{moved.rendering.text}' in another sentence")
    if reading.negation_differs and not (lost and said):
        side = reading.negated_side
        negation = reading.negation[side == "translation"].first
        return f"only the {side} is negated" + (f" ('{negation}')" if negation else "")
    if lost and said:
        return f"'{lost}' has no clear counterpart in the translation; the translation says '{said}'"
    if lost:
        return f"'{lost}' has no clear counterpart in the translation"
    return f"the translation says '{said}', which has no clear counterpart in the source"


def _glossed(word: str, sense: str) -> str:
    """'sud' (south); 'old' alone where the word is its English sense."""
    return f"'{word}'" if word.lower() == sense.lower() else f"'{word}' ({sense})"
