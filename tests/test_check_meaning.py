"""The meaning_shift checker, with the real bundled encoder (USE multilingual)."""

from __future__ import annotations

import math
from dataclasses import replace
from functools import lru_cache
from pathlib import Path

import pytest

from align.checks import coverage, meaning
from align.checks.base import CheckContext
from align.lexicon import content_words, load_dictionary
from align.types import Alignment, Bead, Document, Segment, Severity

HAS_DICTIONARY = load_dictionary("pl", "en") is not None
needs_dictionary = pytest.mark.skipif(not HAS_DICTIONARY, reason="FreeDict pl-en (dict-freedict-pol-eng) not installed")

# Our own short news sentences, each with a faithful English rendering (some freely paraphrased).
PAIRS = [
    ("Rolnik kupił w zeszłym tygodniu nowy traktor.", "Last week the farmer bought a new tractor."),
    ("Szkoła otrzymała pieniądze na remont biblioteki.", "The school received money to renovate its library."),
    ("Burmistrz otworzył most nad rzeką.", "The mayor opened the bridge over the river."),
    ("Pociąg do Krakowa odjechał z dużym opóźnieniem.", "The train to Kraków left with a long delay."),
    ("Lekarze ostrzegają przed upałem w czasie wakacji.", "Doctors warn against the heat during the holidays."),
    ("Policja zatrzymała złodzieja samochodów.", "The police arrested a car thief."),
    ("Muzeum pokazuje obrazy malarzy z dziewiętnastego wieku.", "The museum shows paintings by nineteenth-century painters."),
    ("Spotkanie rady odbyło się w poniedziałek wieczorem.", "The council meeting took place on Monday evening."),
    ("Ogrodnik posadził w parku sto młodych dębów.", "The gardener planted a hundred young oaks in the park."),
    ("Fabryka zwolniła część pracowników.", "The factory laid off some of its workers."),
    ("Kierowca autobusu zatrzymał się przed przejściem dla pieszych.", "The bus driver stopped before the pedestrian crossing."),
    ("Piekarz co rano sprzedaje świeży chleb.", "Every morning the baker sells fresh bread."),
]


@lru_cache(maxsize=1)
def encoder():
    from align.embed import UseEncoder

    return UseEncoder(threads=2)


def context(pairs: list[tuple[str, str]], **options) -> CheckContext:
    source = Document("", "pl", tuple(Segment(i, s) for i, (s, _) in enumerate(pairs)))
    target = Document("", "en", tuple(Segment(i, t) for i, (_, t) in enumerate(pairs)))
    beads = tuple(Bead((i,), (i,), 1.0) for i in range(len(pairs)))
    return CheckContext(Alignment(source, target, beads), encoder=encoder(), options=options)


def with_pair(index: int, english: str) -> list[tuple[str, str]]:
    pairs = list(PAIRS)
    pairs[index] = (pairs[index][0], english)
    return pairs


def score_of(pairs: list[tuple[str, str]], index: int, **options) -> float:
    return next(r.score for r in meaning.read_pairs(context(pairs, **options)) if r.bead.src == (index,))


def test_no_encoder_no_findings():
    assert meaning.check(replace(context(PAIRS), encoder=None)) == []


def test_words_without_counterpart_raise_the_pair_score_even_without_a_dictionary():
    wrong = with_pair(5, "The police arrested a bicycle thief.")  # samochodów (cars) -> bicycle
    assert score_of(wrong, 5, dictionary=False) > score_of(PAIRS, 5, dictionary=False) + 0.1
    wrong = with_pair(8, "The gardener planted a hundred young roses in the park.")  # dębów (oaks) -> roses
    assert score_of(wrong, 8, dictionary=False) > score_of(PAIRS, 8, dictionary=False) + 0.1


def test_cognates_and_same_words_count_as_counterparts():
    reading = next(r for r in meaning.read_pairs(context(PAIRS)) if r.bead.src == (3,))
    krakow = next(e for e in reading.source if e.token.text == "Krakowa")
    assert krakow.confirmed in {"same", "cognate"}
    assert krakow.shortfall == 0.0


@needs_dictionary
def test_clear_mistranslation_is_flagged_with_the_dictionary_rendering():
    issues = meaning.check(context(with_pair(5, "The police arrested a bicycle thief.")))
    assert [(i.kind, i.severity, i.src, i.tgt) for i in issues] == [("meaning_shift", Severity.MEDIUM, (5,), (5,))]
    issue = issues[0]
    assert issue.message.startswith("Possible change of meaning: 'samochodów' has no clear counterpart")
    assert "bicycle" in " ".join(issue.evidence)
    assert "car" in issue.suggestion


@needs_dictionary
def test_faithful_paraphrases_are_not_flagged():
    assert meaning.check(context(PAIRS)) == []


@needs_dictionary
def test_a_second_mistranslation_is_flagged_too():
    issues = meaning.check(context(with_pair(8, "The gardener planted a hundred young roses in the park.")))
    assert [i.src for i in issues] == [(8,)]
    assert "dębów" in issues[0].message


# --- the demo pair, end to end against its gold alignment ------------------------------------

DEMO = Path(__file__).resolve().parents[1] / "corpora" / "latushka-interia"


@lru_cache(maxsize=1)
def demo_context() -> CheckContext:
    from align.evaluate import read_alignment
    from align.segment import segment

    pl = (DEMO / "pl.txt").read_text(encoding="utf-8")
    en = (DEMO / "en.txt").read_text(encoding="utf-8")
    beads = tuple(Bead(s, t, 1.0) for s, t in read_alignment(DEMO / "gold.txt"))
    alignment = Alignment(Document(pl, "pl", segment(pl, "pl")), Document(en, "en", segment(en, "en")), beads)
    return CheckContext(alignment, encoder=encoder())


@pytest.mark.skipif(not (DEMO / "gold.txt").exists(), reason="demo gold alignment missing")
def test_demo_pair_stays_within_the_false_alarm_budget():
    ctx = demo_context()
    pairs = [b for b in ctx.beads if b.src and b.tgt]
    issues = meaning.check(ctx)
    assert len(issues) <= math.ceil(meaning.MAX_SHARE * len(pairs))
    assert all(i.kind == "meaning_shift" and i.src and i.tgt for i in issues)
    assert all(i.message.startswith("Possible change of meaning: '") for i in issues)


@pytest.mark.skipif(not (DEMO / "gold.txt").exists(), reason="demo gold alignment missing")
def test_demo_pair_coverage_reports_the_page_debris_and_no_lost_clause():
    ctx = demo_context()
    issues = coverage.check(ctx)
    debris = {ctx.target.texts[i.tgt[0]] for i in issues if "page debris" in i.message}
    assert {"top of page", "bottom of page", "Original article in",
            "An interview by Pavel Latushka for the Polish edition of"} <= debris
    assert all(i.kind == "addition" and not i.src for i in issues)  # the gold has no lost clause
    assert all(len(content_words(ctx.target.texts[i.tgt[0]], "en")) < 8 for i in issues)
