"""name_variant: one person or place spelled two ways inside the translation.

Renderings across the two languages are conventions, not errors (Polish Łukaszenka, English
Lukashenko); what this checker reports is a translation that writes one name two ways
(Latushka and once Latushko, Volfovich and once Wolfovich's).

How, without a trained name recogniser:

1. Mentions: capitalised words that are not there only because a sentence starts (a word at a
   sentence start counts when it is also capitalised mid-sentence elsewhere, is not a dictionary
   word, or matches a source name in its bead). Possessive 's is dropped; hyphenated names are
   kept whole; all-caps acronyms are left out.
2. Spellings of the translation are compared on phonetic keys (``align.translit``): Kyiv/Kiev and
   Volfovich/Wolfovich share a key, Latushka/Latushko differ only in the final vowel.
3. The source confirms or separates: a translated name is linked to a source name in the same
   bead when their keys match across the two spelling systems (Łatuszki -> Latushka), and of
   two such names in one bead to the more alike (Kowalenko -> Kovalenko, not Kowalska); a
   hyphenated source name also counts part by part (Makalu-Gebietes -> Makalu). Two
   spellings linked to one source name are one name; two spellings each linked to its own,
   different source name are two names, however alike they look. So are two that each copy
   their own spelling from the source, though their keys match (Novak Djokovic, Anna Nowak).
4. Guards keep different names apart: derivations and gender pairs (Russia/Russian,
   Tsikhanouskaya/Tsikhanouski), two ordinary dictionary words (Secretary/Security), first names
   followed by different surnames (Alaksandr Lukashenko, Aleksandr Volfovich: two people),
   and in Polish a surname declined as an adjective for a man and for a woman (Nawalny,
   Nawalnego; Nawalna, Nawalnej: two people, though they share a stem).
5. Spellings are grouped by complete linkage (every pair in a group must be compatible), so a
   chain of near-misses never joins two different names. The majority spelling is suggested,
   unless a glossary entry's target names the cluster: then its form is. A tie goes to a Polish
   form over a Russian-style one, to a name with the target language's letters over the same
   name typed without them (Świątek, Swiatek) and to the gender the source writes; else nothing
   tells which spelling is right (the source's letters do not: Kyiv is nearer Kyjów than
   Kijów), so the issue names both and suggests neither, and a fix leaves the text alone.
   In a translation into Polish the case forms of a name (Łatuszka, Łatuszki) count as one
   spelling, but its -ka and -ko nominatives (Łatuszka, Łatuszko) as two; a Russian-style form
   (Zełenskij, Nawalnaja) is a variant of the Polish one; and each wrong form gets the
   suggestion in its own case (Cichanowskiej -> Cichanouskiej; an undeclined Sobolenko in the
   case of the first name before it, Arynę Sobolenko -> Sabalenkę), so a fix keeps the grammar.

Severity: a variant that only swaps letter conventions (Wolfovich/Volfovich: same sound) is LOW;
one that changes how the name sounds (Latushko/Latushka, Kiev/Kyiv, often a Russian against a
Belarusian or Ukrainian form) is MEDIUM, because a reader may take it for a different person or
read a political choice into it. Neither changes what the text claims, so never HIGH.
"""

from __future__ import annotations

import os
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Callable, Iterable

import numpy as np
from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from align import lemmas
from align.checks.base import CheckContext
from align.lexicon import fold
from align.translit import (
    clearly_distinct,
    counterpart,
    drop_final_vowels,
    inflects,
    name_key,
    same_name,
    same_sound,
    similarity,
    stem,
)
from align.types import Document, Issue, Severity

__all__ = ["KINDS", "NameCluster", "NameSwap", "check", "name_clusters", "find_mentions", "Mention", "swapped_names"]

KINDS = ("name_variant",)

# A word: letters, with inner apostrophes and hyphens (Wolfovich’s, Rimsky-Korsakov).
_WORD = re.compile(r"[^\W\d_]+(?:['’\-][^\W\d_]+)*")
_APOSTROPHES = "'’"
_CLITICS = frozenset({"s", "t", "m", "re", "ve", "ll", "d"})  # Wolfovich’s, I’m, don’t
_OPENERS = "\"'“„«‘([‚"
_SENTENCE_END = ".!?…:;"
_DASHES = "—–-"
# A full stop that does not end a sentence: a title or a Polish/German/French abbreviation.
_ABBREVIATION = re.compile(
    r"\b(?:mr|mrs|ms|dr|st|gen|prof|col|lt|sgt|gov|sen|rep|jr|sr|vs|i\.e|e\.g|ks|św|ul|tzw|np"
    r"|tj|ds|im|płk|mgr|inż|m\.in|z\.b|bzw|mme|mlle)\.$",
    re.IGNORECASE,
)

_MONTHS_DAYS = (
    "January February March April May June July August September October November December "
    "Monday Tuesday Wednesday Thursday Friday Saturday Sunday"
)
# Capitalised words that are not names: titles and forms of address, English months and days.
_NOT_NAMES: dict[str, frozenset[str]] = {
    "en": frozenset(f"Mr Mrs Ms Dr Prof Sir Madam Miss {_MONTHS_DAYS}".split()),
    "pl": frozenset("Pan Pani Panie Pana Panu Panem Panią Państwo Państwa Państwu".split()),
    "de": frozenset("Herr Herrn Frau Dr Prof Sie Ihnen Ihr Ihre".split()),
    "fr": frozenset("Monsieur Madame Mademoiselle Mme Mlle".split()),
}

Links = dict[str, Counter[str]]  # spelling unit -> source roots it renders, with counts
Writings = dict[str, set[str]]  # spelling unit -> the source spellings it renders (``_writing``)

# Polish surnames declined as adjectives: the endings that show a man (Zełenskiego, Nawalnemu,
# Nawalnym, Zełenskim) or a woman (Zełenskiej, Nawalnej), and Russian-style nominatives a Polish
# text writes without j (Zełenskij, Nawalnyj; Nawalnaja).
_ADJECTIVE_ENDINGS = {
    "m": re.compile(r"(?:(?<=[kg])i(?:ego|emu|m)|(?<=[^aeiouyąęó])(?:ego|emu|ym))$"),
    "f": re.compile(r"(?:(?<=k)iej|(?<=[bdfhlłmnprstw])ej)$"),  # not Andrzej, Aleksiej
}
_RUSSIAN_NOMINATIVES = {"m": re.compile(r"(?<=[kn])[iy]j$"), "f": re.compile(r"(?<=[kn])aja$")}
_NOMINATIVE_GENDER = {"i": "m", "y": "m", "a": "f", "ą": "f"}
_RUSSIAN_STEM = re.compile(r"(?<=[kn])[aiy]j$")
_RUSSIAN_STEM_MIN = 6  # letters: Nawalnyj; not Synaj
# Endings of one case, however the stem's last letter or a Russian spelling writes them.
_CASE_KEY = {"ij": "i", "yj": "i", "y": "i", "aja": "a", "iego": "ego", "iemu": "emu", "iej": "ej", "ym": "im"}
# A masculine noun's case endings and the adjective's in the same case (Nawalnyja: Nawalnego).
_NOUN_TO_ADJECTIVE = {"a": "ego", "owi": "emu", "em": "ym", "ie": "ym", "u": "ym"}
_AFTER_KG = {"ego": "iego", "emu": "iemu", "ej": "iej", "y": "i", "ym": "im"}  # Nawalnego, Zełenskiego
_KG_ADJECTIVE = re.compile(r"(?<=[kg])ie(?:go|mu)$")  # the i only marks a soft k/g
_KA_KO_MIN = 5  # a -ka/-ko surname is longer (Łatuszka, Kliczko); Janka and Bojko are first names or words
_MASCULINE_NOUN = re.compile(r"k(?:owi|iem)$")  # Kliczkowi, Kliczkiem: a -ko name declined as Janko

_MIN_ROOT = 3  # shorter source roots (To, Nie) would match too many short names
_PREFILTER = 0.6  # key pairs below this Levenshtein similarity are never the same name
_CHUNK = 512  # spellings compared at once against all others


@dataclass(frozen=True)
class NameCluster:
    """One name of the translation and every spelling it is written with.

    ``variants`` maps each spelling to the target segment indices of its occurrences, one entry
    per occurrence in document order (a segment naming it twice appears twice), so
    ``len(variants[s])`` is the spelling's count.
    """

    canonical: str  # suggested form (majority, or pinned by glossary; see ``settled``)
    variants: dict[str, tuple[int, ...]]  # each spelling seen in the translation -> segments
    source_forms: tuple[str, ...]  # the source-language forms it maps to
    # each spelling -> its occurrences as written, in the order of ``variants`` (Polish case forms)
    forms: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # the spelling ``canonical`` is (a key of ``variants``); None for a glossary form the text lacks
    usual: str | None = None
    # False where two spellings are written equally often and nothing else tells which is right:
    # ``canonical`` is then only the first of them, and no issue suggests it
    settled: bool = True
    # a tie (not ``settled``) in which ``canonical`` alone is the source's spelling letter for
    # letter (Aasland for Aasland, beside Aaslund): suggested, but left to a person, not applied
    copied: bool = False


@dataclass(frozen=True)
class Mention:
    """A capitalised word that may be a name."""

    form: str  # as written, possessive 's removed
    segment: int
    initial: bool  # first word of a sentence: capitalised perhaps only for that reason
    follower: str | None = None  # the capitalised word right after it (Alexander -> Lukashenko)


@dataclass(frozen=True)
class _Spelling:
    """One spelling of the translation: a word, or for an inflecting language its stem."""

    unit: str
    label: str  # the most frequent surface form
    key: str
    mentions: tuple[Mention, ...]
    followers: frozenset[str]  # keys of the surnames that follow it, if it is a first name
    gender: str | None = None  # "m" or "f" where a Polish ending shows it
    vowel: str | None = None  # "a" or "o" for the -ka or the -ko spelling of a stem written both ways
    shared: int = 0  # mentions in case forms its -ka or -ko rival would decline to as well


# ---------------------------------------------------------------------------------------------
# public API


def check(ctx: CheckContext) -> list[Issue]:
    """One issue per minority spelling of every name written two or more ways; where names
    inflect, one per case form of it, each with the usual spelling in that case (none where
    two spellings tie, ``NameCluster.settled``)."""
    clusters = name_clusters(ctx)
    lang = ctx.target.lang
    src_of = _source_segments_by_target(ctx)
    first_names = _first_names(ctx.target)
    issues = []
    for cluster in clusters:
        for spelling in cluster.variants:
            if spelling != cluster.usual and len(cluster.variants) > 1:
                for form, segments in _by_form(cluster, spelling).items():
                    case = _case_of_first_names(form, segments, first_names)
                    issues.append(_issue(cluster, spelling, form, segments, src_of, lang, case))
    return issues


def _by_form(cluster: NameCluster, spelling: str) -> dict[str, tuple[int, ...]]:
    """The segments of each written form of a spelling (Nawalnyja, Nawalnyjowi), in order."""
    segments = cluster.variants[spelling]
    forms = cluster.forms.get(spelling) or (spelling,) * len(segments)
    by_form: dict[str, list[int]] = defaultdict(list)
    for form, segment in zip(forms, segments):
        by_form[form].append(segment)
    return {form: tuple(segs) for form, segs in by_form.items()}


def name_clusters(ctx: CheckContext) -> list[NameCluster]:
    """Every name of the translation with its spellings, most mentioned first.

    Names written one way only are included (the Names panel lists them too; if the glossary
    pins another spelling, ``canonical`` says so); ``check`` reports only names written two or
    more ways.
    """
    tgt_lang, src_lang = ctx.target.lang, ctx.source.lang
    spellings = _spellings(find_mentions(ctx.target), tgt_lang)
    src_mentions = _without_genitive_s(_with_parts(find_mentions(ctx.source)), src_lang)
    roots_by_segment = _source_roots_by_segment(src_mentions, ctx.source)
    links = _links(ctx, spellings, roots_by_segment, src_mentions)
    writings = _writings(ctx, spellings, src_mentions, roots_by_segment)
    accepted = [s for s in spellings if _is_name(s, tgt_lang, bool(links[s.unit]))]
    groups = _group(accepted, links, writings, tgt_lang)
    source_forms = _source_forms_by_root(src_mentions, src_lang)
    clusters = [_cluster(g, links, writings, source_forms, ctx.glossary, tgt_lang) for g in groups]
    return sorted(clusters, key=lambda c: -sum(len(v) for v in c.variants.values()))


def find_mentions(doc: Document) -> list[Mention]:
    """Capitalised words of ``doc`` that may be names, in document order."""
    return list(_mentions(doc))


@lru_cache(maxsize=4)  # read by this check and by the meaning check's name swaps
def _mentions(doc: Document) -> tuple[Mention, ...]:
    not_names = _NOT_NAMES.get(_base(doc.lang), frozenset())
    mentions = []
    for seg in doc.segments:
        words = list(_WORD.finditer(seg.text))
        for match, after in zip(words, words[1:] + [None]):
            token, initial = match.group(0), _starts_sentence(seg.text, match.start())
            if (bare := _without_elision(token, doc.lang, initial)) != token:
                token, initial = bare, False  # "l'Autriche", "L'Allemagne": capitalised for itself
            if not token[0].isupper():
                continue
            form = _name_part(token)
            if not form or form in not_names:
                continue
            follower = None
            if after is not None and not seg.text[match.end() : after.start()].strip():
                follower = _name_part(after.group(0))
            mentions.append(Mention(form, seg.index, initial, follower))
    return tuple(mentions)


@dataclass(frozen=True)
class NameSwap:
    """A pair whose source names one person or place and whose translation another: each name
    has its rendering elsewhere in the document, and neither rendering is in this pair (Mińsku,
    elsewhere Minsk; here Kyiv, elsewhere the rendering of Kijowa)."""

    source_name: str  # as the source writes it here
    rendering: str  # how the translation writes it elsewhere
    target_name: str  # the name the translation writes here instead
    target_source: str  # the source name that target_name renders elsewhere


def swapped_names(ctx: CheckContext) -> dict[int, NameSwap]:
    """For each bead (by position) that swaps one known name for another, the swap.

    A name counts as known when its rendering is linked to it (``counterpart``) in another bead
    of the document. Both names must be known, and the pair must hold neither's rendering:
    a translator who makes a name explicit ('he' -> 'Lukashenko') or leaves one out is not
    caught, and neither is a name rendered by an exonym the spelling does not show (Niemcy /
    Germany). The clean demo and Text+Berg pairs have no swap.
    """
    sides = [(fold(source), fold(target)) for _, source, target in ctx.pairs()]
    said, named = _target_names(ctx), _source_names(ctx, sides)
    linked = {k: {(t, r) for t in said[k] for r in named[k] if counterpart(t, r)} for k in said.keys() & named.keys()}
    renderings, sources = defaultdict(set), defaultdict(set)  # root -> stem keys, stem key -> roots
    labels, forms = {}, {}
    for k, links in linked.items():
        for t, r in links:
            renderings[r].add(t)
            sources[t].add(r)
            labels.setdefault(t, said[k][t])
            forms.setdefault(r, named[k][r])
    swaps = {}
    for k, links in sorted(linked.items()):
        source_text, target_text = sides[k]
        # a name written alike on the other side is there, whatever the filters left out
        lost = sorted((r, t) for r in named[k].keys() - {r for _, r in links} for t in renderings[r]
                      if fold(named[k][r]) not in target_text)
        added = sorted((t, r) for t in said[k].keys() - {t for t, _ in links} for r in sources[t]
                       if fold(said[k][t]) not in source_text)
        if lost and added:
            (root, rendering), (stem_key, other_root) = lost[0], added[0]
            swaps[k] = NameSwap(named[k][root], labels[rendering], said[k][stem_key], forms[other_root])
    return swaps


_MIN_SWAP_NAME = 4  # letters: shorter names and titles (Nov., Mrs) are too often something else


def _target_names(ctx: CheckContext) -> dict[int, dict[str, str]]:
    """Bead position -> the translation's names there, by stem key, with their usual spelling."""
    bead_of = {j: k for k, bead in enumerate(ctx.beads) for j in bead.tgt}
    said: dict[int, dict[str, str]] = defaultdict(dict)
    for spelling in _spellings(_with_parts(find_mentions(ctx.target)), ctx.target.lang):
        if len(spelling.label) < _MIN_SWAP_NAME:
            continue
        if all(m.initial for m in spelling.mentions) and _is_word(spelling.label, ctx.target.lang):
            continue  # capitalised only where a sentence starts (Expédition); a dictionary knows Minsk too
        for mention in spelling.mentions:
            if mention.segment in bead_of:
                said[bead_of[mention.segment]][drop_final_vowels(spelling.key)] = spelling.label
    return said


def _source_names(ctx: CheckContext, sides: list[tuple[str, str]]) -> dict[int, dict[str, str]]:
    """Bead position -> the source's names there, by root, each with a form as written."""
    lang = ctx.source.lang
    bead_of = {i: k for k, bead in enumerate(ctx.beads) for i in bead.src}
    mentions = _with_parts(find_mentions(ctx.source))  # Mustagh-Turm names Mustagh too
    roots = _source_roots_by_segment(mentions, ctx.source)
    kept = _kept_as_written(mentions, bead_of, sides) if _base(lang) == "de" else None
    named: dict[int, dict[str, str]] = defaultdict(dict)
    for mention in mentions:
        root = _source_root(mention.form, lang)
        if len(root) < _MIN_SWAP_NAME or root not in roots.get(mention.segment, ()) or mention.segment not in bead_of:
            continue
        if kept is not None and fold(mention.form) not in kept and _is_word(mention.form, lang):
            continue  # German capitalises every noun (Gipfel); Himalaya is a name all the same
        named[bead_of[mention.segment]].setdefault(root, mention.form)
    return named


def _kept_as_written(mentions: list[Mention], bead_of: dict[int, int], sides: list[tuple[str, str]]) -> set[str]:
    """Source words (folded) that the translation writes as they are in most of the beads that
    have them, two at least: names, where the source capitalises every noun (Himalaya, Nepal:
    Népal; not Gipfel, which a title keeps once)."""
    beads_with: dict[str, set[int]] = defaultdict(set)
    for mention in mentions:
        if mention.segment in bead_of:
            beads_with[fold(mention.form)].add(bead_of[mention.segment])
    kept = set()
    for form, beads in beads_with.items():
        written = sum(form in sides[k][1] for k in beads)
        if written >= 2 and written >= len(beads) / 2:
            kept.add(form)
    return kept


# ---------------------------------------------------------------------------------------------
# mentions


def _without_genitive_s(mentions: list[Mention], lang: str) -> list[Mention]:
    """German names take an -s in the genitive with no apostrophe (Tessmers Anwältin): where the
    document also writes the name without it, the -s form is that name, not another."""
    if _base(lang) != "de":
        return mentions
    forms = {m.form for m in mentions}
    return [replace(m, form=m.form[:-1]) if m.form.endswith("s") and m.form[:-1] in forms else m for m in mentions]


def _with_parts(mentions: list[Mention]) -> list[Mention]:
    """Source mentions, and each part of a hyphenated one as a mention of its own: a German
    compound names a place the translation writes alone (Makalu-Gebietes -> massif du Makalu)."""
    out = []
    for mention in mentions:
        out.append(mention)
        parts = mention.form.split("-")
        if len(parts) > 1:
            out.extend(replace(mention, form=part, follower=None) for part in parts if len(part) >= _MIN_ROOT)
    return out


# Articles and prepositions written onto the next word (French, Italian, Catalan): l'Autriche,
# d'Albers, dell'Himalaya. Not English: O'Brien is a name.
_ELISIONS = {"fr": frozenset("l d qu s n j c m t jusqu lorsqu puisqu".split()),
             "it": frozenset("l d dell dall nell sull all un quell".split()),
             "ca": frozenset("l d s n".split())}


def _without_elision(token: str, lang: str, initial: bool) -> str:
    """``token`` without an elided article before a capitalised word ("l'Autriche" -> "Autriche";
    "L'Allemagne" too at a sentence's start, where the article's capital is the sentence's)."""
    cut = max(token.find(a) for a in _APOSTROPHES)
    elided = _ELISIONS.get(_base(lang), frozenset())
    if cut <= 0 or token[:cut].lower() not in elided or not token[cut + 1 : cut + 2].isupper():
        return token
    return token[cut + 1 :] if token[0].islower() or initial else token


def _name_part(token: str) -> str | None:
    """The name in a token: without a clitic ('s, ’m), the leading capitalised hyphen parts."""
    cut = max(token.rfind(a) for a in _APOSTROPHES)
    if cut > 0 and token[cut + 1 :].lower() in _CLITICS:
        token = token[:cut]
    parts = []
    for part in token.split("-"):
        if not _capitalised(part):
            break
        parts.append(part)
    return "-".join(parts) or None


def _capitalised(word: str) -> bool:
    """Upper-case first letter and some lower case after it (not an acronym, not "I")."""
    return bool(word) and word[0].isupper() and any(c.islower() for c in word[1:])


def _starts_sentence(text: str, start: int) -> bool:
    before = text[:start].rstrip().rstrip(_OPENERS).rstrip()
    if not before or before[-1] in _DASHES:
        return True
    if before[-1] not in _SENTENCE_END:
        return False
    if before[-1] == "." and (_ABBREVIATION.search(before) or _is_initial(before)):
        return False
    return True


def _is_initial(before: str) -> bool:
    """Text ending in a single capital and a full stop: an initial (A. Łukaszenka)."""
    if len(before) < 2 or not before[-2].isupper():
        return False
    return len(before) == 2 or not before[-3].isalpha()


# ---------------------------------------------------------------------------------------------
# spellings and their source counterparts


def _spellings(mentions: list[Mention], lang: str) -> list[_Spelling]:
    """Mentions grouped by spelling (by stem where names inflect), in order of first use."""
    by_unit: dict[str, list[Mention]] = defaultdict(list)
    for mention in mentions:
        by_unit[_unit(mention.form, lang)].append(mention)
    spellings = []
    for unit, group in by_unit.items():
        parts = _by_gender(group, lang)
        for gender, part in parts.items():
            tagged = f"{unit} ({gender})" if len(parts) > 1 else unit
            sides = _by_final_vowel(part, lang)
            for vowel, (side, shared) in sides.items():
                spelling = _spelling(f"{tagged} (-k{vowel})" if vowel else tagged, _key_stem(unit, lang),
                                     gender, side, lang, vowel)
                spellings.append(replace(spelling, shared=shared))
    return spellings


def _spelling(
    unit: str, key_stem: str, gender: str | None, group: list[Mention], lang: str, vowel: str | None = None
) -> _Spelling:
    counts = Counter(m.form for m in group)
    # shown by its nominative where the gender or the -ka/-ko split tells it (Zełenski, not
    # Zełenskim; Łatuszko, not Łatuszki), else most used
    nominatives = [f for f in counts if (gender and _NOMINATIVE_GENDER.get(f[-1:]) == gender)
                   or (vowel and _ka_ko(f, lang) == vowel)]
    label = max(nominatives or counts, key=counts.__getitem__)
    followers = frozenset(
        name_key(_unit(m.follower, lang), lang)
        for m in group
        if m.follower and not _is_word(m.follower, lang)
    )
    return _Spelling(unit, label, name_key(key_stem, lang), tuple(group), followers, gender, vowel)


def _by_final_vowel(group: list[Mention], lang: str) -> dict[str | None, tuple[list[Mention], int]]:
    """The mentions of one stem, split into a -ka and a -ko spelling where the text writes both
    (Łukaszenka and Łukaszenko: the Belarusian and the Russian form of one surname, which the
    stem alone cannot tell apart), each with the count of case forms it holds that both
    would decline to (Łukaszenki, Łukaszenkę): those go with the more written of the two,
    on a tie with the -ka form, and count for neither.

    A stem written with -ko alone is one spelling (Kowalenko, Kowalenki, Kowalence: a surname
    in -o declines like one in -a), and so is one whose -ka form is a Polish word or which is
    declined as a masculine noun (Kliczka, Kliczkowi: a genitive in -a, not a variant)."""
    vowels = [_ka_ko(m.form, lang) for m in group]
    nominative_a = [m.form for m, v in zip(group, vowels) if v == "a"]
    nominative_o = [m.form for m, v in zip(group, vowels) if v == "o"]
    if (not nominative_a or not nominative_o or any(_is_word(f, lang) for f in nominative_a)
            or any(_MASCULINE_NOUN.search(m.form) for m in group)):
        return {None: (group, 0)}
    shared_with = "o" if len(nominative_o) > len(nominative_a) else "a"
    sides: dict[str | None, tuple[list[Mention], int]] = {}
    for vowel in ("a", "o"):
        side = [m for m, v in zip(group, vowels) if v == vowel or (v is None and vowel == shared_with)]
        sides[vowel] = (side, len(side) - len(nominative_a if vowel == "a" else nominative_o))
    return sides


def _ka_ko(form: str, lang: str) -> str | None:
    """"a" or "o" for a Polish name's nominative in -ka or -ko (Łatuszka, Łatuszko), else None."""
    if inflects(lang) and len(form) > _KA_KO_MIN and form[-2:].lower() in ("ka", "ko"):
        return form[-1].lower()
    return None


def _unit(form: str, lang: str) -> str:
    """What counts as one spelling: the word itself, or its stem where names inflect."""
    if not inflects(lang):
        return form
    return stem(_KG_ADJECTIVE.sub("", form), lang)  # Zełenskiego, Zełenski: one stem, Zełensk


def _key_stem(unit: str, lang: str) -> str:
    """The stem a spelling is compared on: a Russian-style stem without its j (Nawalnyj,
    Nawalnaja -> Nawaln), so it meets the Polish forms it is a variant of."""
    if not inflects(lang) or len(unit) < _RUSSIAN_STEM_MIN:
        return unit
    return _RUSSIAN_STEM.sub("", unit)


def _by_gender(group: list[Mention], lang: str) -> dict[str | None, list[Mention]]:
    """The mentions of one stem, split by gender where it is a surname declined as an adjective
    and written for a man and a woman (Nawalny, Nawalnego; Nawalna, Nawalnej): two people."""
    if not inflects(lang):
        return {None: group}
    adjectival = any(p.search(m.form) for m in group for p in _ADJECTIVE_ENDINGS.values())
    genders = [_gender(m.form, adjectival) for m in group]
    shown = set(genders) - {None}
    if len(shown) < 2:
        return {next(iter(shown), None): group}
    parts: dict[str | None, list[Mention]] = defaultdict(list)
    for mention, gender in zip(group, genders):
        parts[gender].append(mention)
    return parts


def _gender(form: str, adjectival: bool) -> str | None:
    """"m" or "f" where the ending shows it; the nominative (Nawalny, Nawalna) only shows it in
    a surname seen declined as an adjective."""
    for endings in (_ADJECTIVE_ENDINGS, _RUSSIAN_NOMINATIVES):
        for gender, pattern in endings.items():
            if pattern.search(form):
                return gender
    return _NOMINATIVE_GENDER.get(form[-1:]) if adjectival else None


def _source_root(form: str, lang: str) -> str:
    """A source name as a key without case ending or final vowels (Łatuszką -> latushk)."""
    return drop_final_vowels(name_key(_unit(form, lang), lang))


def _source_roots_by_segment(mentions: list[Mention], doc: Document) -> dict[int, set[str]]:
    """Source names by segment: a root counts when some mention of it is not a sentence opener,
    or when the word is never written in lower case in the document (so not an ordinary word).

    No dictionary here: loading simplemma's Polish one takes about ten seconds.
    """
    lower_case = {w.group(0) for w in _WORD.finditer(doc.text) if w.group(0).islower()}
    by_root: dict[str, list[Mention]] = defaultdict(list)
    for mention in mentions:
        by_root[_source_root(mention.form, doc.lang)].append(mention)
    roots: dict[int, set[str]] = defaultdict(set)
    for root, group in by_root.items():
        if len(root) >= _MIN_ROOT and any(
            not m.initial or m.form.lower() not in lower_case for m in group
        ):
            for mention in group:
                roots[mention.segment].add(root)
    return roots


def _source_forms_by_root(mentions: list[Mention], lang: str) -> dict[str, list[str]]:
    """The surface forms of each source root, in order of first use (Łatuszka, Łatuszki...)."""
    forms: dict[str, list[str]] = defaultdict(list)
    for mention in mentions:
        root_forms = forms[_source_root(mention.form, lang)]
        if mention.form not in root_forms:
            root_forms.append(mention.form)
    return forms


def _links(
    ctx: CheckContext, spellings: list[_Spelling], roots_by_segment: dict[int, set[str]], src_mentions: list[Mention]
) -> Links:
    """For each spelling, the source roots it matches in its beads, with counts."""
    links: Links = defaultdict(Counter)
    src_of = _source_segments_by_target(ctx)
    written = _written_by_segment(src_mentions, roots_by_segment, ctx.source.lang, fold)
    for spelling in spellings:
        target_root = drop_final_vowels(spelling.key)
        for mention in spelling.mentions:
            bead_src = src_of.get(mention.segment, ())
            # sorted: ties between roots are then broken the same way in every run (sets are not)
            bead_roots = sorted(set().union(*(roots_by_segment.get(i, set()) for i in bead_src)))
            rendered = _rendered(target_root, bead_roots) or _misspelt_copy(
                mention.form, set().union(*(written.get(i, set()) for i in bead_src)))
            for root in rendered:
                links[spelling.unit][root] += 1
    return links


_COPY_LETTERS = 6  # a name this long, one letter off the source's spelling, is that name mistyped


def _written_by_segment(
    mentions: list[Mention], roots_by_segment: dict[int, set[str]], lang: str, spell: Callable[[str], str]
) -> dict[int, set[tuple[str, str]]]:
    """For each source segment, its names' roots, each with its spelling as ``spell`` gives it
    (folded: dulkiewicz; as a writing: nowak)."""
    written: dict[int, set[tuple[str, str]]] = defaultdict(set)
    for mention in mentions:
        root = _source_root(mention.form, lang)
        if root in roots_by_segment.get(mention.segment, ()):
            written[mention.segment].add((root, spell(mention.form)))
    return written


def _misspelt_copy(form: str, written: Iterable[tuple[str, str]]) -> list[str]:
    """The source roots a name copies with one letter wrong (Dulkiewitz for the source's
    Dulkiewicz): the keys of two spelling systems need not meet there ("tz" and "cz" read apart),
    but a translator who keeps a name's spelling and mistypes it has rendered that name."""
    folded = fold(form)
    if len(folded) < _COPY_LETTERS:
        return []
    return sorted({root for root, spelled in written
                   if spelled[:1] == folded[:1] and Levenshtein.distance(spelled, folded) <= 1})


def _rendered(target_root: str, roots: Iterable[str]) -> list[str]:
    """The source roots of a bead that a translated name renders: of those it matches
    (``counterpart``), the most alike. A bead naming two alike people (Kowalska, Kovalenko)
    links each of their renderings (Kowalska, Kowalenko) to its own, not both to both."""
    matched = [root for root in roots if counterpart(target_root, root)]
    best = max((similarity(target_root, root) for root in matched), default=0.0)
    return [root for root in matched if similarity(target_root, root) == best]


def _writings(
    ctx: CheckContext, spellings: list[_Spelling], src_mentions: list[Mention], roots_by_segment: dict[int, set[str]]
) -> Writings:
    """For each spelling, how the source writes the names it renders in its beads: the one
    written like it, where the bead has one (Novak for Novak, beside Anna Nowak), else all."""
    src_lang, tgt_lang = ctx.source.lang, ctx.target.lang
    by_segment = _written_by_segment(src_mentions, roots_by_segment, src_lang, lambda form: _writing(form, src_lang))
    src_of = _source_segments_by_target(ctx)
    writings: Writings = defaultdict(set)
    for spelling in spellings:
        target_root = drop_final_vowels(spelling.key)
        for mention in spelling.mentions:
            pairs = set().union(*(by_segment.get(i, set()) for i in src_of.get(mention.segment, ())))
            rendered = _rendered(target_root, {root for root, _ in pairs})
            written = {w for root, w in pairs if root in rendered}
            own = _writing(mention.form, tgt_lang)
            writings[spelling.unit] |= {own} if own in written else written
    return writings


def _writing(form: str, lang: str) -> str:
    """A name as spelled, without case ending, final vowels and diacritics (Nowaka -> nowak):
    unlike keys, it tells Novak from Nowak; and a Polish -ski / -ska surname with its gender
    (kowalsk/f for Kowalska, Kowalskiej; kowalsk/m for Kowalski, Kowalskiego)."""
    base = drop_final_vowels(fold(_unit(form, lang)))
    gender = _ski_gender(form)
    return f"{base}/{gender}" if gender else base


_SKI_ENDINGS = {"m": re.compile(r"(?:[sc]|dz)k(?:i|iego|iemu|im)$"), "f": re.compile(r"(?:[sc]|dz)k(?:a|iej|ą)$")}


def _ski_gender(form: str) -> str | None:
    """"m" or "f" for a Polish -ski or -ska surname (Kowalskiego, Kowalska), else None."""
    return next((gender for gender, pattern in _SKI_ENDINGS.items() if pattern.search(form)), None)


def _is_name(spelling: _Spelling, lang: str, linked: bool) -> bool:
    """Capitalised for a reason other than starting a sentence."""
    if linked or any(not m.initial for m in spelling.mentions):
        return True
    return not _is_word(spelling.label, lang)


# ---------------------------------------------------------------------------------------------
# grouping


def _end_slip(a: _Spelling, b: _Spelling, links: Links, writings: Writings, lang: str) -> bool:
    """One spelling is the other with a letter more at the end (Haberl / Haberle, Vitrolles /
    Vitrolle), and both render one source name that the source writes one way: a slip, where
    letters alone would take it for a derived form (Russia / Russian). Not a final a, which
    makes a woman's form (Ivanov / Ivanova), nor a word of the language (Russian / Russians)."""
    short, long = sorted((a.key, b.key), key=len)
    if len(long) != len(short) + 1 or not long.startswith(short) or long[-1] == "a":
        return False
    if _is_word(a.label, lang) or _is_word(b.label, lang):
        return False
    shared = set(links[a.unit]) & set(links[b.unit])
    return bool(shared) and len(writings[a.unit] | writings[b.unit]) == 1


def _compatible(a: _Spelling, b: _Spelling, links: Links, writings: Writings, lang: str) -> bool:
    """Whether two spellings of the translation can be one name."""
    if (clearly_distinct(a.key, b.key) and not _gender_slip(a, b, links, writings)
            and not _end_slip(a, b, links, writings, lang)):
        return False
    if a.gender and b.gender and a.gender != b.gender:
        return False  # a man and a woman of one family (Nawalny, Nawalna)
    if a.followers and b.followers and not _overlap(a.followers, b.followers):
        return False  # first names of different people (Alaksandr Łukaszenka, Aleksandr Wolfowicz)
    roots_a, roots_b = set(links[a.unit]), set(links[b.unit])
    if roots_a & roots_b:
        # both render the same source name, unless each copies its own spelling of it: the source
        # tells the two apart (Novak Djokovic, Anna Nowak)
        return not _written_apart(writings[a.unit], writings[b.unit])
    if roots_a and roots_b:
        return False  # each renders its own, different source name
    if a.key != b.key and _is_word(a.label, lang) and _is_word(b.label, lang):
        return False  # two dictionary words (Secretary, Security) are two words
    return same_name(a.key, b.key)


def _gender_slip(a: _Spelling, b: _Spelling, links: Links, writings: Writings) -> bool:
    """A man's and a woman's form of one -ski surname ("Anna Kowalski", "Kowalska") where every
    source sentence writes one person, of one gender: a slip of the translation, not two people."""
    written = writings[a.unit]
    return (bool(set(links[a.unit]) & set(links[b.unit])) and written == writings[b.unit]
            and len(written) == 1 and "/" in next(iter(written)))


def _written_apart(written_a: set[str], written_b: set[str]) -> bool:
    return bool(written_a and written_b) and written_a.isdisjoint(written_b)


def _overlap(keys_a: Iterable[str], keys_b: Iterable[str]) -> bool:
    return any(same_name(x, y) for x in keys_a for y in keys_b)


def _candidate_pairs(spellings: list[_Spelling], links: Links) -> list[tuple[float, int, int, int]]:
    """Pairs worth testing, most alike first: similar keys, or a shared source counterpart; of
    pairs as alike, first those a -ski or -ska ending does not show to be a man and a woman
    (Cichanowska joins Cichanouska before her husband Cichanouski can take her)."""
    keys = [s.key for s in spellings]
    pairs: dict[tuple[int, int], float] = {}
    for first in range(0, len(keys), _CHUNK):  # rows in chunks: memory stays small
        scores = process.cdist(
            keys[first : first + _CHUNK], keys, scorer=Levenshtein.normalized_similarity,
            score_cutoff=_PREFILTER, dtype=np.float32, workers=-1,
        )
        for row, j in np.argwhere(scores > 0):
            i = first + int(row)
            if j > i:
                pairs[(i, int(j))] = float(scores[row, j])
    by_root: dict[str, list[int]] = defaultdict(list)
    for i, spelling in enumerate(spellings):
        for root in links[spelling.unit]:
            by_root[root].append(i)
    for members in by_root.values():
        for x, i in enumerate(members):
            for j in members[x + 1 :]:
                pairs.setdefault((i, j), 1.0)
    genders = [_ski_gender(s.label) for s in spellings]
    ranked = ((score, _agreement(genders[i], genders[j]), i, j) for (i, j), score in pairs.items())
    return sorted(ranked, reverse=True)


def _agreement(gender_a: str | None, gender_b: str | None) -> int:
    """2 for one gender shown by both, 0 for two, 1 where either does not show one."""
    if gender_a is None or gender_b is None:
        return 1
    return 2 if gender_a == gender_b else 0


def _group(spellings: list[_Spelling], links: Links, writings: Writings, lang: str) -> list[list[_Spelling]]:
    """Complete-linkage groups: two groups join only when every cross pair is compatible."""
    group_of = list(range(len(spellings)))
    members: dict[int, list[int]] = {i: [i] for i in range(len(spellings))}
    for _, _, i, j in _candidate_pairs(spellings, links):
        gi, gj = group_of[i], group_of[j]
        if gi == gj:
            continue
        cross = ((spellings[x], spellings[y]) for x in members[gi] for y in members[gj])
        if all(_compatible(a, b, links, writings, lang) for a, b in cross):
            for x in members[gj]:
                group_of[x] = gi
            members[gi].extend(members.pop(gj))
    return [[spellings[i] for i in sorted(m)] for m in members.values()]


# ---------------------------------------------------------------------------------------------
# clusters and issues


def _cluster(
    group: list[_Spelling],
    links: Links,
    writings: Writings,
    source_forms: dict[str, list[str]],
    glossary: Iterable[object],
    lang: str,
) -> NameCluster:
    def rank(s: _Spelling) -> tuple[int, bool, bool]:
        # the most used spelling (case forms a -ka and a -ko spelling share count for neither);
        # on a tie, a Polish form over a Russian-style one (Nawalna, not Nawalnaja), then the
        # gender the source writes (Kowalska, not Kowalski). Not how like the source a spelling
        # is: Kyjowie is more like Kyiv than Kijowie is, and Lukashenko than Łukaszenka.
        own = _writing(s.label, lang)
        gendered_as_source = "/" in own and own in writings[s.unit]
        return (len(s.mentions) - s.shared, _key_stem(s.unit, lang) == s.unit, gendered_as_source)

    def written_in_source(s: _Spelling, key: Callable[[str], str]) -> bool:
        """Whether the source writes ``s`` (compared by ``key``) for a name it renders."""
        return key(s.label) in {key(f) for r in links[s.unit] for f in source_forms.get(r, ())}

    def copies_source(s: _Spelling) -> bool:
        return written_in_source(s, fold)

    best = max(rank(s) for s in group)
    tied = _with_all_marks([s for s in group if rank(s) == best], lang)
    # of spellings still tied, the one that holds the case forms both share, then one the source
    # writes letter for letter, so the issue points at the other (Sobolenko, not Sabalenka), though
    # it suggests neither; then the first used
    majority = max(tied, key=lambda s: (len(s.mentions), copies_source(s), -s.mentions[0].segment))
    pinned = _pinned(group, glossary, lang)
    usual = majority.label
    if pinned:
        usual = next((s.label for s in group if _writes(s, pinned, lang)), None)
    variants = {s.label: tuple(m.segment for m in s.mentions) for s in group}
    written = {s.label: tuple(m.form for m in s.mentions) for s in group}
    roots: list[str] = []
    for s in group:
        roots.extend(r for r, _ in links[s.unit].most_common() if r not in roots)
    forms = tuple(dict.fromkeys(f for r in roots for f in source_forms.get(r, ())))
    settled = bool(pinned) or len(tied) == 1
    exact = [s for s in tied if written_in_source(s, str.casefold)]
    # marks and all (Wójcik, not Wojcik, for the source's Wójcik), where the other spelling is a
    # slip of it: lost marks or one letter (Aaslund); not a rendering of its own (Concorde)
    copied = not settled and len(exact) == 1 and all(
        fold(s.label) == fold(exact[0].label) or Levenshtein.distance(s.label, exact[0].label) <= 1 for s in tied)
    if copied:
        majority = exact[0]
        usual = majority.label
    return NameCluster(pinned or majority.label, variants, forms, written, usual, settled, copied)


# Letters of the target language's own alphabet, which a spelling typed without them loses.
_OWN_LETTERS = {"pl": "ąćęłńóśźżĄĆĘŁŃÓŚŹŻ", "de": "äöüÄÖÜ", "fr": "àâçéèêëîïôùûüÿÀÂÇÉÈÊËÎÏÔÙÛÜŸ"}


def _with_all_marks(tied: list[_Spelling], lang: str) -> list[_Spelling]:
    """The tied spellings, less each that is another one typed without the target language's
    letters (Swiatek beside Świątek in a Polish text: the same name, its diacritics lost)."""
    own = _OWN_LETTERS.get(_base(lang), "")
    kept = [s for s in tied if not any(_unmarked(t.label, s.label, own) for t in tied if t is not s)]
    return kept or tied


def _unmarked(marked: str, plain: str, own: str) -> bool:
    """Whether ``plain`` is ``marked`` with some of the letters ``own`` lists stripped of their marks."""
    return len(marked) == len(plain) and marked != plain and all(
        m == p or (m in own and fold(m) == fold(p)) for m, p in zip(marked, plain))


def _writes(spelling: _Spelling, form: str, lang: str) -> bool:
    """Whether ``form`` is a case form of ``spelling`` (Kijów of Kijowie; Łatuszka of the -ka
    spelling of Łatuszka, Łatuszki, not of Łatuszko)."""
    if spelling.vowel and _ka_ko(form, lang) not in (None, spelling.vowel):
        return False
    return _unit(form, lang) == _unit(spelling.label, lang)


def _pinned(group: list[_Spelling], glossary: Iterable[object], lang: str) -> str | None:
    """The glossary's spelling of this name, if an entry's target names it."""
    for entry in glossary:
        target = getattr(entry, "target", None)
        if not isinstance(target, str) or getattr(entry, "source", None) is None:
            continue
        for token in _WORD.findall(target):
            form = _name_part(token)
            if form is None:
                continue
            unit = _unit(form, lang)
            if any(unit == s.unit or same_name(name_key(unit, lang), s.key) for s in group):
                return form
    return None


def _issue(
    cluster: NameCluster,
    spelling: str,
    form: str,
    segments: tuple[int, ...],
    src_of: dict[int, tuple[int, ...]],
    lang: str,
    case: str | None = None,
) -> Issue:
    tgt = tuple(sorted(set(segments)))
    src = tuple(sorted({i for j in tgt for i in src_of.get(j, ())}))
    canonical, usual = cluster.canonical, cluster.usual
    usual_forms = cluster.forms.get(usual, ()) if usual else ()
    suggestion = _in_case(form, usual_forms, canonical, lang, case) if cluster.settled or cluster.copied else None
    source = f" (source: {', '.join(cluster.source_forms[:4])})" if cluster.source_forms else ""
    use = suggestion or f"{canonical}, in the case this sentence needs"
    if usual and cluster.settled:
        # a count of all the case forms, not of the one form shown
        shown = f"{canonical} and its case forms" if len(set(usual_forms)) > 1 else canonical
        message = (
            f"{form} ({len(segments)}×) and {shown} ({len(cluster.variants[usual])}×) spell the same "
            f"name{source}; use one spelling: {use}."
        )
    elif usual and cluster.copied:  # a tie the source's own spelling leans one way: still a person's choice
        message = f"{_tie(cluster, spelling, lang, source)}; choose one spelling: the source writes {canonical}."
    elif usual:  # nothing tells which is right: the translator chooses, and a fix changes nothing
        message = f"{_tie(cluster, spelling, lang, source)}; choose one spelling."
    else:
        message = (
            f"{form} ({len(segments)}×) is another spelling of {canonical}, the glossary's "
            f"form{source}; use {use}."
        )
    counts = sorted(cluster.variants.items(), key=lambda kv: -len(kv[1]))
    evidence = tuple(f"{spelling} ×{len(segs)}" for spelling, segs in counts) + tuple(
        f"source: {source_form}" for source_form in cluster.source_forms
    )
    # W/V, x/ks: same sound; Łatuszko for Łatuszka is not, though the stem is one
    ka_and_ko = {_ka_ko(form, lang), _ka_ko(canonical, lang)} == {"a", "o"}
    same_letters = same_sound(_unit(form, lang), _unit(canonical, lang), lang) and not ka_and_ko
    severity = Severity.LOW if same_letters else Severity.MEDIUM
    exact = form if cluster.settled or not suggestion else None  # a tie's suggestion is not applied by fix
    return Issue("name_variant", severity, src, tgt, message, evidence, suggestion, replaces=exact)


def _tie(cluster: NameCluster, spelling: str, lang: str, source: str) -> str:
    """How a message names two spellings written as often (Kyjowa and its case forms (2×) and
    Kijowie (2×)). Case forms a -ka and a -ko spelling would both decline to count for neither
    and are named apart (Sabalenko (1×) and Sabalenka (1×) ... (Sabalenkę may be either's))."""
    usual = cluster.usual or cluster.canonical
    ka_ko = {_ka_ko(spelling, lang), _ka_ko(usual, lang)} == {"a", "o"}
    shared = {f for label in (spelling, usual) for f in cluster.forms.get(label, ())
              if ka_ko and _ka_ko(f, lang) is None}

    def shown(label: str) -> str:
        own = [f for f in cluster.forms.get(label, (label,)) if f not in shared]
        return f"{label} and its case forms ({len(own)}×)" if len(set(own)) > 1 else f"{label} ({len(own)}×)"

    either = f" ({', '.join(sorted(shared))} may be either's)" if shared else ""
    return f"{shown(spelling)} and {shown(usual)} spell the same name{source}, each as often as the other{either}"


def _in_case(
    form: str, usual_forms: Iterable[str], canonical: str, lang: str, case: str | None = None
) -> str | None:
    """The usual spelling in the case ``form`` is in, so a fix keeps the grammar (Cichanowskiej
    -> Cichanouskiej, not Cichanouska): a form the text writes with that ending, else one built
    on the usual stem; None where neither is safe (a noun's ending on a Russian-style
    stem whose ending has no adjective counterpart).

    A -ko form against a usual spelling that has none (Sobolenko for Sabalenka) has no case
    ending: a Russian-style surname is often left undeclined, so it is in the case of the first
    name before it (``case``: Arynę Sobolenko -> Sabalenkę), or in one nobody knows. A -ka
    nominative against a usual -ko spelling is that spelling's nominative (Kowalenka -> Kowalenko)."""
    if not inflects(lang):
        return canonical
    split = _split(form, lang)
    if split is None:
        return None
    _, tail_w, ending_w = split
    usual_forms = list(usual_forms)
    if _ka_ko(form, lang) == "o" and not _forms_in_case(usual_forms, ending_w, lang):
        if case is None:
            return None
        ending_w = case
    same_case = _forms_in_case(usual_forms, ending_w, lang)
    if same_case:
        return same_case
    nominatives_o = [f for f in (*usual_forms, canonical) if _ka_ko(f, lang) == "o"]
    if _ka_ko(form, lang) == "a" and nominatives_o:
        return Counter(nominatives_o).most_common(1)[0][0]
    stem_c = (_split(canonical, lang) or (canonical, "", ""))[0]
    if not stem_c.endswith(tail_w):
        return None
    base = stem_c[: len(stem_c) - len(tail_w)]
    ending = _respelled(ending_w, soft=base[-1:] in "kg")
    return (_OPEN_O.sub("o", base) if ending else base) + ending


_OPEN_O = re.compile(r"ó(?=[^aeiouyąęó]+$)")  # Kijów, Kijowa; Kraków, Krakowie: ó before an ending is o


def _forms_in_case(forms: list[str], ending: str, lang: str) -> str | None:
    """The form of ``forms`` written most with ``ending``'s case, if any."""
    same_case = Counter(f for f in forms if _case(f, lang) == _CASE_KEY.get(ending, ending))
    return same_case.most_common(1)[0][0] if same_case else None


# The endings of a first name that tell a surname's case where the surname does not show it
# (Arynę, Aryną; Aleksandrem), and the ending of a -ka surname in that case (Sabalenkę,
# Łukaszenką). Others tell no one case (Aleksandra: genitive or accusative; Aryna: nominative
# or, for a man's name, genitive).
_FIRST_NAME_CASES = (("em", "ą"), ("ę", "ę"), ("ą", "ą"))


def _first_names(doc: Document) -> dict[tuple[int, str], list[str]]:
    """(segment, name) -> the first names written right before it there (Arynę before Sabalenkę)."""
    before: dict[tuple[int, str], list[str]] = defaultdict(list)
    for mention in find_mentions(doc):
        if mention.follower:
            before[(mention.segment, mention.follower)].append(mention.form)
    return before


def _case_of_first_names(
    form: str, segments: tuple[int, ...], first_names: dict[tuple[int, str], list[str]]
) -> str | None:
    """The ending ``form`` needs, as the first name before each of its occurrences tells it,
    where they all tell the same one."""
    names = [name for segment in sorted(set(segments)) for name in first_names.get((segment, form), ())]
    cases = {next((case for ending, case in _FIRST_NAME_CASES if name.endswith(ending)), None) for name in names}
    return cases.pop() if len(names) == len(segments) and len(cases) == 1 else None


def _case(form: str, lang: str) -> str | None:
    """The case ending of ``form``, spelled one way (Zełenskij, Zełenski, Nawalny: i)."""
    split = _split(form, lang)
    return _CASE_KEY.get(split[2], split[2]) if split else None


def _split(form: str, lang: str) -> tuple[str, str, str] | None:
    """A Polish name's stem, the stem letters its ending replaces and the ending (Łatuszce ->
    Łatuszk, k, ce; Zełenskij -> Zełensk, "", ij). A Russian-style stem declined as a noun
    (Nawalnyja) gets the adjective's ending of that case (Nawaln, "", ego)."""
    for pattern in _RUSSIAN_NOMINATIVES.values():
        russian = pattern.search(form)
        if russian and russian.start() >= _MIN_ROOT:
            return form[: russian.start()], "", russian.group(0)
    unit = _unit(form, lang)
    n = len(os.path.commonprefix([fold(form), fold(unit)]))
    stem_, tail, ending = form[:n] + unit[n:], unit[n:], form[n:]
    if _key_stem(stem_, lang) == stem_:
        return stem_, tail, ending
    if stem_[-2:] in ("yj", "ij") and ending in _NOUN_TO_ADJECTIVE:
        return stem_[:-2], "", _NOUN_TO_ADJECTIVE[ending]
    return None


def _respelled(ending: str, soft: bool) -> str:
    """A case ending as Polish writes it after the stem's last letter: i after k and g
    (Zełenskiego, Nawalnego), and a Polish nominative for a Russian-style one (Zełenskij)."""
    if ending in ("ij", "yj"):
        return "i" if soft else "y"
    if ending == "aja":
        return "a"
    if soft:
        return _AFTER_KG.get(ending, ending)
    return {v: k for k, v in _AFTER_KG.items()}.get(ending, ending)


# ---------------------------------------------------------------------------------------------
# helpers


def _source_segments_by_target(ctx: CheckContext) -> dict[int, tuple[int, ...]]:
    """For each target segment, the source segments of its bead."""
    return {j: bead.src for bead in ctx.beads for j in bead.tgt}


def _base(lang: str) -> str:
    return lang.lower().replace("_", "-").split("-")[0]


@lru_cache(maxsize=65536)
def _is_word(form: str, lang: str) -> bool:
    """Whether ``form`` is an ordinary word of ``lang`` (simplemma's dictionary knows it)."""
    try:
        return lemmas.is_known(form, _base(lang))
    except ValueError:  # a language simplemma does not cover: nothing is known
        return False


