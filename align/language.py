"""Which languages a source and its translation are in: detected, or checked when given."""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence

from babel import Locale
from lingua import IsoCode639_1, LanguageDetector, LanguageDetectorBuilder

from align.errors import LanguageError

DETECTABLE = frozenset(
    # the 16 languages of the bundled multilingual Universal Sentence Encoder (zh: both scripts)
    "ar de en es fr it ja ko nl pl pt ru th tr zh".split()
    # neighbours that would otherwise be mistaken for one of those (uk or be for ru, cs or sk
    # for pl), and other languages translators commonly work with
    + "uk be bg sr mk cs sk sl hr hu ro el he fa hi sv da nb fi ca lt lv et id vi".split()
)
"""Languages the detector chooses among. Fewer candidates make it faster and more accurate."""

SAMPLE_CHARS = 3000
"""Detection reads this much of a text: plenty for a reliable answer, fast on huge files."""

MIN_LETTERS = 12
"""Below this many letters (a name, a greeting) a guess is no better than chance."""

MIN_CONFIDENCE = 0.5
"""lingua's confidence for the best language must reach this, or we report 'unsure'."""

MISMATCH_MIN_LETTERS = 200
"""A given language is questioned only on a text this long: a few words may read as anything."""

_CODE = re.compile(r"[a-z]{2}")
# Web and mail addresses are in no language, and a shared one ("https://.../glosowanie-w-sejmie")
# can outweigh a short translation's words.
_ADDRESS = re.compile(r"(?:https?://|www\.)\S+|\S+@\S+\.\w+")


@functools.lru_cache(maxsize=1)
def _detector() -> LanguageDetector:
    # Low-accuracy mode uses lingua's small trigram models only. Measured for these 40
    # languages: building is instant, models load lazily per script on first use, +52 MB
    # and 0.75 s for all of them; the full models take +819 MB and 10.9 s. Lingua documents
    # equal accuracy above ~120 characters, and we read up to SAMPLE_CHARS.
    codes = (getattr(IsoCode639_1, code.upper()) for code in sorted(DETECTABLE))
    return LanguageDetectorBuilder.from_iso_codes_639_1(*codes).with_low_accuracy_mode().build()


def detect_language(text: str) -> str | None:
    """The ISO 639-1 code of the language `text` is written in, or None when unsure."""
    return detect_languages([text])[0]


def detect_languages(texts: Sequence[str]) -> list[str | None]:
    """``detect_language`` of each text. One text after another, not lingua's parallel call: its
    thread pool does not survive a fork, and a batch worker forked from a process that had used it
    would wait for it forever (the models, which take most of the time, are shared either way)."""
    samples = [_ADDRESS.sub(" ", text[: SAMPLE_CHARS * 2])[:SAMPLE_CHARS] for text in texts]
    readable = [k for k, sample in enumerate(samples) if sum(char.isalpha() for char in sample) >= MIN_LETTERS]
    found: list[str | None] = [None] * len(texts)
    if not readable:
        return found
    detector = _detector()
    for k in readable:
        confidences = detector.compute_language_confidence_values(samples[k])
        if confidences and confidences[0].value >= MIN_CONFIDENCE:
            found[k] = confidences[0].language.iso_code_639_1.name.lower()
    return found


def language_name(code: str) -> str:
    """English name of an ISO 639-1 code ("pl" -> "Polish"); the code itself if unknown."""
    return _language_names().get(code, code)


def resolve_languages(
    src_text: str,
    tgt_text: str,
    src_lang: str | None,
    tgt_lang: str | None,
    covered: frozenset[str] | None,
) -> tuple[str, str, list[str]]:
    """(source language, target language, warnings): given codes checked, missing ones detected.

    Raises LanguageError for an unknown code, a language that cannot be detected, or one
    the encoder does not cover (`covered`, when given, is the encoder's set of codes).
    """
    readings = detect_languages([src_text, tgt_text])  # a given code is checked against the text too
    if readings[0] is not None and readings[0] == readings[1]:
        # A translation full of the original's names (a football round-up: "Śląsk Wrocław 1-1
        # Cracovia") can read as the original's language: read both again without their names.
        again = detect_languages([_without_names(src_text), _without_names(tgt_text)])
        if None not in again and again[0] != again[1]:
            readings = again
    src, src_detected = _resolve_side(src_lang, readings[0], "source", "--src-lang")
    tgt, tgt_detected = _resolve_side(tgt_lang, readings[1], "target", "--tgt-lang")
    if covered is not None:
        _check_covered({"source": (src, src_detected), "target": (tgt, tgt_detected)}, covered)
    warnings = [
        f"the {side} text was given as {_named(given)} but reads as {_named(reading)}: check {flag}"
        for side, flag, given, reading, text in (("source", "--src-lang", src_lang and src, readings[0], src_text),
                                                 ("target", "--tgt-lang", tgt_lang and tgt, readings[1], tgt_text))
        if given and _contradicts(given, reading, text)
    ]
    if src == tgt:
        warnings.append(
            f"source and target are both in {_named(src)}: align expects a text and its translation"
        )
    return src, tgt, warnings


def _without_names(text: str) -> str:
    """``text`` without its capitalised words (names, and the first word of each sentence)."""
    return " ".join(word for word in text[:SAMPLE_CHARS * 2].split() if not _FIRST_LETTER.sub("", word)[:1].isupper())


_FIRST_LETTER = re.compile(r"^[\W\d_]+")  # what comes before a word's first letter: quotes, brackets


def check_given(src_lang: str | None, tgt_lang: str | None, covered: frozenset[str] | None) -> None:
    """Raise LanguageError for a code given that is no language code, or names a language the
    encoder does not cover (``covered``), as ``resolve_languages`` would: a check to make once,
    before many pairs would fail alike (``align batch``)."""
    given = {side: (_valid_code(code, flag), False)
             for side, flag, code in (("source", "--src-lang", src_lang), ("target", "--tgt-lang", tgt_lang)) if code}
    if covered is not None:
        _check_covered(given, covered)


def _contradicts(given: str, reading: str | None, text: str) -> bool:
    """Whether the detector, sure of itself on a text long enough to trust, reads another language
    than the one given (a German file passed as --src-lang pl). A language it cannot choose is
    never contradicted."""
    letters = sum(char.isalpha() for char in text[:SAMPLE_CHARS])
    return given in DETECTABLE and reading is not None and reading != given and letters >= MISMATCH_MIN_LETTERS


def _resolve_side(given: str | None, detected: str | None, side: str, flag: str) -> tuple[str, bool]:
    """The side's language and whether it was detected (rather than given)."""
    if given is not None:
        return _valid_code(given, flag), False
    if detected is None:
        raise LanguageError(
            f"could not detect the language of the {side} text: pass {flag} with an ISO 639-1 code such as en or pl"
        )
    return detected, True


def _valid_code(code: str, flag: str) -> str:
    normalized = code.strip().lower()
    if not _CODE.fullmatch(normalized) or normalized not in _language_names():
        raise LanguageError(f"{flag} {code!r} is not a language code: use a two-letter ISO 639-1 code such as en or pl")
    return normalized


def _check_covered(sides: dict[str, tuple[str, bool]], covered: frozenset[str]) -> None:
    missing = [
        f"the {side} text {'looks like' if detected else 'is in'} {_named(code)}"
        for side, (code, detected) in sides.items()
        if code not in covered
    ]
    if missing:
        offered = ", ".join(sorted(_named(code) for code in covered))
        hint = " (if detected wrongly, pass --src-lang/--tgt-lang)" if any(d for _, d in sides.values()) else ""
        raise LanguageError(
            f"{' and '.join(missing)}, which the encoder does not cover; it covers {offered}{hint}; for "
            "other languages give an encoder that covers them with --model (a local sentence-transformers "
            "model such as LaBSE); labelling the text as a language it is not gives a wrong alignment"
        )


def _named(code: str) -> str:
    return f"{language_name(code)} ({code})"


@functools.lru_cache(maxsize=1)
def _language_names() -> dict[str, str]:
    """ISO 639-1 codes and their English names, from the Unicode CLDR data Babel ships."""
    return {code: name for code, name in Locale("en").languages.items() if len(code) == 2}

