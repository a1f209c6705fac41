"""Spelling keys for personal and place names, so that renderings of one name compare equal.

Three steps, each a small function:

- ``romanize(word, lang)``: a name as written in a Latin-script language, re-spelled the way an
  English text would write it (Polish ``Łatuszka`` -> ``latushka``, ``Wolfowicz`` -> ``volfovich``,
  German ``Lukaschenko`` -> ``lukashenko``). Lower case, no diacritics.
- ``stem(word, lang)``: the word without its case ending, for languages that inflect names
  (Polish ``Łatuszki``, ``Łatuszką`` -> ``Łatuszk``). Other languages keep the word as it is.
- ``name_key(word, lang)``: a coarse phonetic key on top of the romanisation that erases the
  differences between transliteration systems (kh/h, w/v, y/i/j, ou/ov before a consonant, tz/ts,
  doubled letters), so ``Volfovich``/``Wolfovich`` and ``Kyiv``/``Kiev`` get one key.

``same_name(a, b)`` then decides from two keys whether two spellings are one name, with guards
against the usual false friends (``Russia``/``Russian``, ``Tsikhanouskaya``/``Tsikhanouski``,
``Iran``/``Iraq``). ``same_sound(a, b, lang)`` tells a pure letter convention (W/V, x/ks) from a
variant that changes how the name sounds (Latushka/Latushko).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from rapidfuzz.distance import Levenshtein

__all__ = [
    "romanize",
    "inflects",
    "stem",
    "name_key",
    "drop_final_vowels",
    "skeleton",
    "similarity",
    "same_name",
    "counterpart",
    "clearly_distinct",
    "same_sound",
]

_VOWELS = "aeiou"

# Letter groups re-spelled the English way, per language; longest first so "szcz" wins over "sz".
_ROMANIZATION: dict[str, dict[str, str]] = {
    "pl": {
        "szcz": "shch", "rz": "zh", "sz": "sh", "cz": "ch", "ch": "kh", "dż": "j", "dź": "dzh",
        "ż": "zh", "ź": "zh", "ś": "s", "ć": "ts", "c": "ts", "ń": "n", "ł": "l", "ó": "o",
        "ą": "a", "ę": "e", "w": "v", "j": "y",
    },
    "cs": {
        "ch": "kh", "š": "sh", "č": "ch", "ž": "zh", "ř": "rzh", "c": "ts", "j": "y", "w": "v",
    },
    "de": {"tsch": "ch", "sch": "sh", "z": "ts", "j": "y", "w": "v", "ß": "ss"},
    "fr": {"tch": "ch", "ch": "sh", "dj": "j", "ou": "u"},
}
_ROMANIZATION["sk"] = _ROMANIZATION["cs"]

# Cyrillic, the way English news writes Russian, Ukrainian and Belarusian names (close to
# BGN/PCGN): Лукашенко -> lukashenko, Ціханоўская -> tsikhanouskaya, Зеленський -> zelenskyy.
# Read by the script, whatever the text's language code says; the few letters the languages
# sound differently (г: g in Russian, h in Ukrainian and Belarusian; и: i / y) go by the code.
_CYRILLIC = {
    "щ": "shch", "ж": "zh", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "ё": "yo", "є": "ye", "ї": "yi",
    "ю": "yu", "я": "ya", "а": "a", "б": "b", "в": "v", "г": "g", "ґ": "g", "д": "d", "е": "e", "з": "z",
    "и": "i", "і": "i", "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r",
    "с": "s", "т": "t", "у": "u", "ў": "u", "ф": "f", "ы": "y", "э": "e", "ъ": "", "ь": "",
}
_CYRILLIC_BY_LANG = {"uk": {"г": "h", "и": "y"}, "be": {"г": "h"}}
_HAS_CYRILLIC = re.compile("[\u0400-\u04ff]")

# Polish palatal "ie" after a consonant is plain "e" in English renderings (Swietłana, Władimir).
_PL_SOFT_E = re.compile(r"(?<=[^aeiouy])ie")

# Keys: spellings that differ between transliteration systems, reduced to one; longest first.
_KEY_RULES = {
    "tsch": "ch", "sch": "sh", "tch": "ch", "kh": "h", "tz": "ts", "ck": "k", "ph": "f",
    "x": "ks", "q": "k", "w": "v", "y": "i", "j": "i", "ie": "i",
}
_HARD_C = re.compile(r"c(?=[aoulrt]|$)")  # Moscow, Cracow: c sounds k
_OU_BEFORE_CONSONANT = re.compile(r"ou(?=[^aeiou])")  # Belarusian ў: Tsikhanouskaya / -ovskaya
_DOUBLE = re.compile(r"(.)\1+")
_NOT_LETTER = re.compile(r"[^a-z]")

# Case endings of Polish names and nouns, longest first, with the stem consonant they replace
# (dative/locative Łukaszence -> Łukaszenk, Kałudze -> Kaług); a stem keeps three letters.
# Not "ów": it ends the nominative of place names (Kijów, Kraków) more often than a plural, and
# so "owie" is their locative (w Krakowie -> Krakow) more often than a plural (Nowakowie).
_POLISH_ENDINGS = (
    ("owie", "ow"), ("dzie", "d"), ("ami", ""), ("ach", ""), ("owi", ""), ("iej", ""), ("ego", ""),
    ("emu", ""), ("iem", ""), ("ymi", ""), ("imi", ""), ("cie", "t"), ("dze", "g"), ("sze", "ch"),
    ("rze", "r"), ("ym", ""), ("im", ""), ("ej", ""), ("em", ""), ("om", ""), ("ie", ""),
    ("ce", "k"), ("ą", ""), ("ę", ""), ("a", ""), ("e", ""), ("i", ""), ("o", ""), ("u", ""),
    ("y", ""),
)
_MIN_STEM = 3
_POLISH_SOFT = str.maketrans("śćńźóŚĆŃŹÓ", "scnzoSCNZO")


def _substitute(text: str, table: dict[str, str]) -> str:
    """Replace every key of ``table`` in one left-to-right pass (outputs are not re-read)."""
    if not table:
        return text
    pattern = _pattern(tuple(sorted(table, key=len, reverse=True)))
    return pattern.sub(lambda m: table[m.group(0)], text)


@lru_cache(maxsize=None)
def _pattern(keys: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile("|".join(re.escape(k) for k in keys))


def _strip_marks(text: str) -> str:
    text = text.replace("ł", "l").replace("ø", "o").replace("đ", "d").replace("æ", "ae")
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _base_lang(lang: str) -> str:
    return lang.lower().replace("_", "-").split("-")[0]


def romanize(word: str, lang: str) -> str:
    """``word`` re-spelled the way an English text writes names: lower case, no diacritics."""
    code = _base_lang(lang)
    text = word.lower()
    if _HAS_CYRILLIC.search(text):
        return _strip_marks(_substitute(text, _CYRILLIC | _CYRILLIC_BY_LANG.get(code, {})))
    if code == "pl":
        text = _PL_SOFT_E.sub("e", text)
    return _strip_marks(_substitute(text, _ROMANIZATION.get(code, {})))


def inflects(lang: str) -> bool:
    """Whether ``stem`` knows the case endings of ``lang`` (names change their ending there)."""
    return _base_lang(lang) == "pl"


def stem(word: str, lang: str) -> str:
    """``word`` without its case ending in a language that inflects names (Polish); else as is.

    Soft letters that alternate within one word's inflection are folded too (Białoruś,
    Białorusi -> Białorus; Kijów, Kijowa -> Kijow). Hand-written rather than simplemma's
    lemmatiser: that one knows few foreign names (it makes Wolfowicz into Wolf) and takes
    about ten seconds to load its Polish dictionary.
    """
    if not inflects(lang):
        return word
    lower = word.lower()
    for ending, consonant in _POLISH_ENDINGS:
        if lower.endswith(ending) and len(lower) - len(ending) >= _MIN_STEM:
            word = word[: len(word) - len(ending)] + consonant
            break
    return word.translate(_POLISH_SOFT)


@lru_cache(maxsize=65536)
def name_key(word: str, lang: str) -> str:
    """A coarse phonetic key: equal for spellings of one name in different romanisations."""
    text = _substitute(romanize(word, lang), _KEY_RULES)
    text = _OU_BEFORE_CONSONANT.sub("ov", _HARD_C.sub("k", text))
    return _DOUBLE.sub(r"\1", _NOT_LETTER.sub("", text))


COGNATE_SIMILARITY = 0.8  # normalised edit similarity of two word keys that makes them one word


def cognate_keys(a: str, b: str) -> bool:
    """Whether two word keys (``name_key``) share most of their letters, compared on as many
    letters as the shorter has, as endings differ by inflection (protektorat / protectorate,
    Kote / cote). Keys under four letters are never cognates: too many short words look alike."""
    if len(a) < 4 or len(b) < 4:
        return False
    stem = min(len(a), len(b))
    return Levenshtein.normalized_similarity(a[:stem], b[:stem]) >= COGNATE_SIMILARITY


def drop_final_vowels(key: str) -> str:
    """The key without its final vowels (Latushka, Latushko -> latushk), keeping three letters."""
    trimmed = key.rstrip(_VOWELS)
    return trimmed if len(trimmed) >= _MIN_STEM else key


def skeleton(key: str) -> str:
    """The consonants of a key: transliterations mostly disagree about vowels, not consonants."""
    return _DOUBLE.sub(r"\1", "".join(c for c in key if c not in _VOWELS))


def similarity(a: str, b: str) -> float:
    """Normalised Levenshtein similarity of two keys, 0..1."""
    return Levenshtein.normalized_similarity(a, b)


def clearly_distinct(a: str, b: str) -> bool:
    """Two keys that look alike but are different names by construction.

    One a proper prefix of the other is a derivation, plural or feminine form (Russia/Russian,
    Belarus/Belarusians, Ivanov/Ivanova); a final ``a`` against a final ``i`` on one stem is a
    feminine/masculine pair (Tsikhanouskaya/Tsikhanouski, Dimitra/Dimitri).
    """
    if a != b and (a.startswith(b) or b.startswith(a)):
        return True
    ends = {a[-1:], b[-1:]}
    return ends == {"a", "i"} and drop_final_vowels(a) == drop_final_vowels(b)


def same_name(a: str, b: str) -> bool:
    """Whether two keys (``name_key``) spell one name, judged from the letters alone.

    Names of up to eight letters must keep every consonant (Kyiv/Kiev yes, Iran/Iraq no) and
    be 75% alike; longer names may differ in one consonant (Tsikhanouskaya/Tikhanovskaya) and
    must be 80% alike. A different final vowel on one stem is allowed (Latushka/Latushko).
    """
    if a == b:
        return True
    if not a or not b or clearly_distinct(a, b):
        return False
    if a[-1] in _VOWELS and b[-1] in _VOWELS and drop_final_vowels(a) == drop_final_vowels(b):
        return True
    consonant_edits = Levenshtein.distance(skeleton(a), skeleton(b))
    if max(len(a), len(b)) <= 8:
        return consonant_edits == 0 and similarity(a, b) >= 0.75
    return consonant_edits <= 1 and similarity(a, b) >= 0.8


def counterpart(target_stem: str, source_stem: str) -> bool:
    """Whether a translation's name and a source name (both keys without final vowels) match.

    Looser than ``same_name``: the two sides come from different spelling systems
    (Sviatlana/Swietłana, Belarus/Białoruś), and the alignment already says they sit in
    sentences that translate each other.
    """
    if target_stem == source_stem:
        return True
    if not target_stem or not source_stem or target_stem[0] != source_stem[0]:
        return False
    if Levenshtein.distance(skeleton(target_stem), skeleton(source_stem)) > 1:
        return False
    return similarity(target_stem, source_stem) >= 0.7


def same_sound(a: str, b: str, lang: str) -> bool:
    """Whether two spellings differ only in letter conventions (Wolfovich/Volfovich, x/ks),
    not in how the name is pronounced (Latushka/Latushko, Kiev/Kyiv)."""

    def letters(word: str) -> str:
        text = _substitute(romanize(word, lang), {"w": "v", "x": "ks", "ph": "f", "ck": "k",
                                                  "sch": "sh", "tz": "ts"})
        return _DOUBLE.sub(r"\1", _NOT_LETTER.sub("", text))

    return letters(a) == letters(b)
