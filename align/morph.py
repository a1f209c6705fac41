"""Inflection-insensitive matching of words and multi-word terms (pl, en, de, fr; others roughly).

A word is reduced to a small set of *keys*: its lower-case form, its dictionary lemma (simplemma)
and, for words the dictionary does not know (names, new coinages), a crude stem with the common
endings cut off. Two words match when their key sets meet. A set rather than one lemma, because
the dictionary is not always consistent: Polish ``Zarządzanie`` lemmatises to the verb
``zarządzać`` while ``Zarządzania`` lemmatises to the noun ``zarządzanie``; the surface form
``zarządzanie`` is shared, so the two still meet.

A multi-word term matches a run of consecutive words (separated by spaces or a hyphen only) that
match it word by word, optionally in any order (Polish puts some adjectives on either side of the
noun: ``wyrzutnia ręczna`` / ``ręczna wyrzutnia``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from itertools import permutations
from typing import Iterable, Sequence

from align import lemmas

__all__ = [
    "Word",
    "lang_code",
    "words",
    "word_keys",
    "lemma",
    "stem",
    "same_word",
    "is_name_like",
    "match_spans",
    "find",
    "contains",
    "group_words",
]

# Letters or digits with inner apostrophes (Wolfovich’s, l'État); a hyphen splits Anti-Crisis and
# F-16 in two.
_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")
_JOINER = re.compile(r"[\s\-‐‑]*")  # what may stand between two words of one term
_ALIASES = {"pol": "pl", "eng": "en", "deu": "de", "ger": "de", "fra": "fr", "fre": "fr"}
_LEMMATISED = frozenset({"pl", "en", "de", "fr"})  # languages whose simplemma data we rely on
_ELISION = re.compile(r"^(?:[cdjlmnst]|qu|jusqu|lorsqu|puisqu)['’]", re.IGNORECASE)
_POSSESSIVE = re.compile(r"['’]s?$")

# Inflectional endings cut by the fallback stemmer, longest first (a stem keeps 3 letters).
_ENDINGS: dict[str, tuple[str, ...]] = {
    "pl": (
        "owie", "ami", "ach", "ego", "emu", "ych", "ich", "ymi", "imi", "owi", "iej", "iem",
        "om", "ów", "ej", "ym", "im", "em", "ie", "ią", "ą", "ę", "a", "e", "i", "y", "u", "o",
    ),
    "en": ("es", "s"),
    "de": ("en", "er", "es", "em", "e", "n", "s"),
    "fr": ("es", "s", "e", "x"),
}
_GENERIC_ENDINGS = ("es", "s")
_MIN_STEM = 3

# Plurals from another root, which neither a lemmatiser's single guess ("lata": latać, to fly)
# nor a stemmer ties to their singular: "cztery lata" and "sześciu lat" are forms of "rok".
_SUPPLETIVE: dict[str, dict[str, str]] = {
    "pl": {
        **dict.fromkeys(("lata", "lat", "latach", "latami", "latom"), "rok"),
        **dict.fromkeys(("ludzie", "ludzi", "ludźmi", "ludziom"), "człowiek"),
        **dict.fromkeys(("dzieci", "dziećmi", "dzieciom"), "dziecko"),
    },
    "en": {"people": "person", "children": "child", "men": "man", "women": "woman"},
}


@dataclass(frozen=True)
class Word:
    """A word of a text: its characters ``text[start:end]`` and its matching keys."""

    text: str
    start: int
    end: int
    keys: frozenset[str]


def lang_code(lang: str) -> str:
    """The two-letter code of ``lang`` ("pl-PL" -> "pl", "deu" -> "de")."""
    code = lang.strip().lower().replace("_", "-").split("-")[0]
    return _ALIASES.get(code, code)


def words(text: str, lang: str) -> tuple[Word, ...]:
    """The words of ``text`` with their keys (hyphenated compounds give one word per part)."""
    return tuple(
        Word(m.group(), m.start(), m.end(), word_keys(m.group(), lang))
        for m in _WORD.finditer(text)
    )


@lru_cache(maxsize=200_000)
def word_keys(word: str, lang: str) -> frozenset[str]:
    """Lower-case form, lemma and (for words the dictionary lacks) stem of ``word``."""
    code = lang_code(lang)
    form = _bare(word, code)
    keys = {form}
    if form in _SUPPLETIVE.get(code, {}):
        keys.add(_SUPPLETIVE[code][form])
    if code in _LEMMATISED:
        keys.add(lemma(form, code))
        if not lemmas.is_known(form, code):
            keys.add(stem(form, code))
    else:
        keys.add(stem(form, code))
    return frozenset(keys)


def lemma(word: str, lang: str) -> str:
    """The dictionary lemma of ``word`` in lower case (the word itself when unknown)."""
    code = lang_code(lang)
    form = _bare(word, code)
    if code not in _LEMMATISED:
        return form
    return lemmas.lemmatize(form, code).lower()


def stem(word: str, lang: str) -> str:
    """``word`` in lower case without its longest known inflectional ending."""
    form = word.lower()
    for ending in _ENDINGS.get(lang_code(lang), _GENERIC_ENDINGS):
        if form.endswith(ending) and len(form) - len(ending) >= _MIN_STEM:
            return form[: -len(ending)]
    return form


def same_word(a: str, b: str, lang: str) -> bool:
    """Whether ``a`` and ``b`` are forms of one word (Narodowego ~ narodowe)."""
    return bool(word_keys(a, lang) & word_keys(b, lang))


@lru_cache(maxsize=50_000)
def is_name_like(word: str, lang: str) -> bool:
    """Whether ``word`` looks like a proper name rather than a dictionary word.

    True when the dictionary does not know it (Łatuszka, Tsikhanouskaya) or knows it only as a
    capitalised lemma (Paweł, Putin). Languages without dictionary data say False.
    """
    code = lang_code(lang)
    if code not in _LEMMATISED:
        return False
    form = _bare(word, code)
    if not lemmas.is_known(form, code):
        return True
    found = lemmas.lemmatize(form, code)
    return found[:1].isupper()


def match_spans(
    term: Sequence[Word], text: Sequence[Word], source: str, *, any_order: bool = False
) -> list[tuple[int, int]]:
    """Character spans of ``text`` where the words of ``term`` occur as consecutive words.

    ``source`` is the string ``text`` was read from (to check what stands between the words).
    """
    n = len(term)
    if n == 0 or n > len(text):
        return []
    spans = []
    i = 0
    while i + n <= len(text):
        window = text[i : i + n]
        if _adjacent(window, source) and _window_matches(term, window, any_order):
            spans.append((window[0].start, window[-1].end))
            i += n
        else:
            i += 1
    return spans


def find(term: str, text: str, lang: str, *, any_order: bool = False) -> list[tuple[int, int]]:
    """Character spans of ``text`` where ``term`` occurs in any inflected form."""
    return match_spans(words(term, lang), words(text, lang), text, any_order=any_order)


def contains(term: str, text: str, lang: str, *, any_order: bool = False) -> bool:
    """Whether ``term`` occurs in ``text`` in any inflected form."""
    return bool(find(term, text, lang, any_order=any_order))


def group_words(forms: Iterable[str], lang: str) -> dict[str, str]:
    """One representative for each group of forms that share a key, for use as a dict key.

    Matching by key sets is not transitive-safe for hashing (a form may meet two others that do
    not meet each other), so forms are grouped by union-find: every form maps to the first form
    of its group. Keys: lower-case forms of ``forms``.
    """
    parent: dict[str, str] = {}

    def root(form: str) -> str:
        while parent[form] != form:
            parent[form] = parent[parent[form]]
            form = parent[form]
        return form

    owner: dict[str, str] = {}
    seen: dict[str, int] = {}  # form -> when it came: the earlier root of two groups stays root,
    # so the representative does not depend on the order a form's keys come in (a set's order
    # changes with the hash seed)
    for form in dict.fromkeys(f.lower() for f in forms):
        parent.setdefault(form, form)
        seen.setdefault(form, len(seen))
        for key in word_keys(form, lang):
            if key in owner:
                a, b = sorted((root(owner[key]), root(form)), key=seen.__getitem__)
                if a != b:
                    parent[b] = a
            else:
                owner[key] = form
    return {form: root(form) for form in parent}


def _bare(word: str, code: str) -> str:
    """Lower case, typographic apostrophe unified, English possessive and French elision removed."""
    form = word.lower().replace("’", "'")
    if code == "en":
        form = _POSSESSIVE.sub("", form) or form
    elif code == "fr":
        form = _ELISION.sub("", form) or form
    return form


def _adjacent(window: Sequence[Word], source: str) -> bool:
    return all(
        _JOINER.fullmatch(source[a.end : b.start]) for a, b in zip(window, window[1:])
    )


def _window_matches(term: Sequence[Word], window: Sequence[Word], any_order: bool) -> bool:
    if all(t.keys & w.keys for t, w in zip(term, window)):
        return True
    if not any_order or len(term) > 4:
        return False
    return any(
        all(t.keys & w.keys for t, w in zip(term, order)) for order in permutations(window)
    )
