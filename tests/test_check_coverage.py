"""The coverage checker: omissions, additions, page debris and clauses lost inside a bead."""

from __future__ import annotations

from functools import lru_cache

import pytest

from align.checks import coverage
from align.checks.base import CheckContext
from align.types import Alignment, Bead, Document, Segment, Severity


def context(src: list[str], tgt: list[str], beads: list[tuple[list[int], list[int]]], encoder=None) -> CheckContext:
    source = Document("\n".join(src), "pl", tuple(Segment(i, t) for i, t in enumerate(src)))
    target = Document("\n".join(tgt), "en", tuple(Segment(i, t) for i, t in enumerate(tgt)))
    alignment = Alignment(source, target, tuple(Bead(tuple(s), tuple(t), 0.9) for s, t in beads))
    return CheckContext(alignment, encoder=encoder)


@lru_cache(maxsize=1)
def encoder():
    from align.embed import UseEncoder

    return UseEncoder(threads=2)


BODY_PL = [
    "Rada miasta zebrała się w poniedziałek wieczorem.",
    "Radni rozmawiali o budowie nowej szkoły na północy miasta.",
    "Burmistrz obiecał, że prace ruszą jesienią.",
    "Mieszkańcy pytali o koszty i o to, kto zapłaci za drogę dojazdową.",
]
BODY_EN = [
    "The town council met on Monday evening.",
    "Councillors discussed building a new school in the north of the town.",
    "The mayor promised that work would start in the autumn.",
    "Residents asked about the costs and about who would pay for the access road.",
]


def one_to_one(n: int, offset_src: int = 0, offset_tgt: int = 0) -> list[tuple[list[int], list[int]]]:
    return [([offset_src + i], [offset_tgt + i]) for i in range(n)]


def test_untranslated_sentence_is_a_high_omission():
    src = BODY_PL[:2] + ["Na sali zabrakło krzeseł dla wszystkich chętnych słuchaczy."] + BODY_PL[2:]
    beads = one_to_one(2) + [([2], [])] + [([3], [2]), ([4], [3])]
    issues = coverage.check(context(src, BODY_EN, beads))
    assert [(i.kind, i.severity, i.src, i.tgt) for i in issues] == [("omission", Severity.HIGH, (2,), ())]
    assert "krzeseł" in issues[0].message


def test_untranslated_heading_is_a_low_omission():
    src = ["Aktualności"] + BODY_PL
    issues = coverage.check(context(src, BODY_EN, [([0], [])] + one_to_one(4, 1, 0)))
    assert [(i.kind, i.severity) for i in issues] == [("omission", Severity.LOW)]


def test_a_short_whole_sentence_counts_as_a_sentence_both_ways():
    # Two content words and a full stop: a claim an editor must see, not a heading.
    src = BODY_PL + ["Nie wiem nawet, czy żyje."] + BODY_PL
    tgt = BODY_EN + ["The Kremlin denied this."] + BODY_EN  # far from the edges, where headlines are
    beads = one_to_one(4) + [([4], []), ([], [4])] + one_to_one(4, 5, 5)
    issues = coverage.check(context(src, tgt, beads))
    assert [(i.kind, i.severity) for i in issues] == [("omission", Severity.HIGH), ("addition", Severity.MEDIUM)]


@pytest.mark.parametrize("line", [
    "Czytaj też: Tusk o przyszłości koalicji",
    "Zobacz także: www.example.pl/galeria",
    # long, with a sentence mark inside: still a link, however many words the title has
    "Czytaj też: Rachunki za prąd znowu w górę? Rząd ma na to swój plan",
    "Zobacz również: Morskie wiatraki. Kto na nich zarobi?",
])
def test_a_link_line_of_the_original_page_left_untranslated_is_low(line):
    # Translators leave out the links to the original site's other articles on purpose.
    src = BODY_PL[:2] + [line] + BODY_PL[2:]
    beads = one_to_one(2) + [([2], [])] + [([3], [2]), ([4], [3])]
    issues = coverage.check(context(src, BODY_EN, beads))
    assert [(i.kind, i.severity, i.src) for i in issues] == [("omission", Severity.LOW, (2,))]
    assert "page debris" in issues[0].message and issues[0].suggestion.startswith("Nothing to do")


def test_added_sentence_is_a_medium_addition():
    tgt = BODY_EN[:3] + ["Several residents also complained about the noise from the building site."] + BODY_EN[3:]
    beads = one_to_one(3) + [([], [3]), ([3], [4])]
    issues = coverage.check(context(BODY_PL, tgt, beads))
    assert [(i.kind, i.severity, i.src, i.tgt) for i in issues] == [("addition", Severity.MEDIUM, (), (3,))]
    assert "looks like page debris" not in issues[0].message


@pytest.mark.parametrize("line", [
    "Share this article",
    "Read more",
    "www.example-news.org/local/council",
    "We use cookies to give you the best experience",
    "Photo: Anna Nowak",
    "Back to top",
])
def test_page_debris_at_the_end_is_a_low_addition_to_delete(line):
    tgt = BODY_EN + [line]
    issues = coverage.check(context(BODY_PL, tgt, one_to_one(4) + [([], [4])]))
    assert len(issues) == 1
    issue = issues[0]
    assert (issue.kind, issue.severity, issue.tgt) == ("addition", Severity.LOW, (4,))
    assert "looks like page debris" in issue.message
    assert issue.suggestion == "Delete it."


def test_repeated_headline_at_the_top_is_debris():
    tgt = ["The council will build a school", "The council will build a school."] + BODY_EN
    src = ["Rada zbuduje szkołę."] + BODY_PL
    beads = [([], [0]), ([0], [1])] + one_to_one(4, 1, 2)
    issues = coverage.check(context(src, tgt, beads))
    assert [(i.kind, i.severity, i.tgt) for i in issues] == [("addition", Severity.LOW, (0,))]
    assert "a copy of another line" in issues[0].message


@pytest.mark.parametrize("line", ["24 a !", "- _- .", "....."])
def test_scanner_dust_inside_the_text_is_debris_by_itself(line):
    # no word of three letters: no sentence, wherever it stands and however it ends
    tgt = BODY_EN[:2] + [line] + BODY_EN[2:]
    issues = coverage.check(context(BODY_PL, tgt, one_to_one(2) + [([], [2])] + one_to_one(2, 2, 3)))
    assert [(i.kind, i.severity, i.tgt) for i in issues] == [("addition", Severity.LOW, (2,))]
    assert "looks like page debris" in issues[0].message


@pytest.mark.parametrize("deleted", ["", "   ", "\n"])
def test_a_translated_sentence_deleted_in_the_review_is_no_addition_and_no_debris(deleted):
    # the review app deletes page debris by saving it empty: the blank segment stays in its bead
    tgt = [deleted] + BODY_EN
    issues = coverage.check(context(BODY_PL, tgt, [([], [0])] + one_to_one(4, 0, 1), encoder()))
    assert issues == []


def test_blank_lines_of_a_presplit_file_are_nothing_to_translate_on_either_side():
    # one sentence a line with an empty line at each paragraph break: the aligner leaves each
    # blank line in a bead of its own
    src = BODY_PL[:2] + [""] + BODY_PL[2:]
    tgt = BODY_EN[:2] + [""] + BODY_EN[2:]
    beads = one_to_one(2) + [([2], []), ([], [2])] + one_to_one(2, 3, 3)
    assert coverage.check(context(src, tgt, beads, encoder())) == []


def test_a_pair_whose_translation_was_deleted_is_an_omission_of_its_original_only():
    tgt = BODY_EN[:2] + [""] + BODY_EN[3:]
    issues = coverage.check(context(BODY_PL, tgt, one_to_one(4), encoder()))
    assert [(i.kind, i.severity, i.src, i.tgt) for i in issues] == [("omission", Severity.HIGH, (2,), ())]


def test_a_sentence_is_not_debris_even_at_the_edge():
    assert len(coverage.debris_features("The mayor thanked everyone who came to the meeting.", at_edge=True)) < 2
    assert len(coverage.debris_features("Residents will vote on the plan in June.", other_lines=BODY_EN)) == 0


def test_clauses_are_cut_at_punctuation_and_dashes_but_not_into_scraps():
    text = "Radni długo dyskutowali o szkole i o drodze — a na koniec tego wieczoru, jak to zwykle u nich bywa, nic nie ustalili."
    parts = coverage.clauses(text)
    assert parts == [
        "Radni długo dyskutowali o szkole i o drodze",
        "— a na koniec tego wieczoru,",
        "jak to zwykle u nich bywa, nic nie ustalili.",  # the short last piece joins its neighbour
    ]
    assert " ".join(parts) == text


MERGED_PL = (
    "Nowa hala sportowa zostanie otwarta w październiku, a jej budowa kosztowała czterdzieści milionów złotych; "
    "na dachu zamontowano panele słoneczne, które mają zasilać basen i oświetlenie boiska."
)
FULL_EN = [
    "The new sports hall will open in October, and building it cost forty million zloty.",
    "Solar panels were fitted on the roof to power the swimming pool and the pitch lighting.",
]


def merged_context(english: list[str]) -> CheckContext:
    src = BODY_PL + [MERGED_PL]
    tgt = BODY_EN + english
    beads = one_to_one(4) + [([4], list(range(4, 4 + len(english))))]
    return context(src, tgt, beads, encoder())


def test_clause_lost_inside_a_merged_bead_is_a_medium_omission():
    issues = coverage.check(merged_context(["The new sports hall will open in October.", "Building it cost forty million zloty."]))
    lost = [i for i in issues if i.kind == "omission"]
    assert [(i.severity, i.src) for i in lost] == [(Severity.MEDIUM, (4,))]
    assert "panele słoneczne" in lost[0].evidence[0]
    assert "hala sportowa" not in lost[0].evidence[0]


def test_a_clause_cut_at_its_inner_comma_is_found_whole():
    # "choć świadkowie twierdzą, | że sprawców było czterech," is one lost thought in two pieces;
    # each piece alone barely moves the source.
    src = ["Policja zatrzymała trzech mężczyzn, którzy w nocy włamali się do sklepu, choć świadkowie "
           "twierdzą, że sprawców było czterech, a jeden z nich uciekł samochodem w stronę granicy."]
    tgt = ["Police arrested three men who broke into the shop at night, and one of them fled by car towards the border."]
    issues = coverage.check(context(src, tgt, [([0], [0])], encoder()))
    assert [(i.kind, i.evidence[0]) for i in issues] == [("omission", "choć świadkowie twierdzą, że sprawców było czterech,")]


def test_complete_merged_bead_is_not_flagged():
    assert coverage.check(merged_context(FULL_EN)) == []


UNTRANSLATED_PL = "Rosja już wywiera presję na Łukaszenkę."
GENERALS_PL = "Z informacji, którymi dysponujemy, wiemy, że w Radzie Bezpieczeństwa jest dwóch generałów, którzy mogą go obalić."
GENERALS_EN = "From the information we have, we know that there are two generals in the Security Council who may overthrow him."


def test_an_untranslated_sentence_merged_into_its_neighbours_bead_is_an_omission():
    # What the aligner does with a source sentence that has no counterpart: it joins a neighbour.
    # Taking the short sentence out of the long bead barely moves the source (the clause test
    # misses it); on its own it matches the translation no better than unrelated sentences.
    ctx = context(BODY_PL + [UNTRANSLATED_PL, GENERALS_PL], BODY_EN + [GENERALS_EN], one_to_one(4) + [([4, 5], [4])], encoder())
    lost = [i for i in coverage.check(ctx) if i.kind == "omission"]
    assert [(i.severity, i.src, i.tgt) for i in lost] == [(Severity.MEDIUM, (4,), (4,))]
    assert lost[0].evidence[0] == UNTRANSLATED_PL


RUSSIA_PL = (
    "Z informacji, którymi dysponujemy, wiemy, że kilku generałów pozostaje w bezpośrednim kontakcie "
    "z rosyjskim Sztabem Generalnym — mówi Interii były minister kultury."
)
RUSSIA_EN = (
    "From the information we have, we know that several generals are in direct contact with the Russian "
    "General Staff, the former Minister of Culture told Interia."
)


def test_a_sentence_missing_from_a_merged_bead_is_tested_on_its_own_even_beside_a_short_opening():
    # the next sentence opens with a short clause ("Z informacji,"): joined to the sentence before,
    # it would hide the lost one from the clause test (the test the demo pair needs, where the
    # lost sentence's Russia matches the translation too well for the member test)
    assert coverage.clauses(f"{UNTRANSLATED_PL} {RUSSIA_PL}")[:2] == [UNTRANSLATED_PL, "Z informacji, którymi dysponujemy, wiemy,"]
    ctx = context(BODY_PL + [UNTRANSLATED_PL, RUSSIA_PL], BODY_EN + [RUSSIA_EN], one_to_one(4) + [([4, 5], [4])], encoder())
    assert [(i.src, i.evidence[0]) for i in coverage._lost_clauses(ctx)] == [((4, 5), UNTRANSLATED_PL)]


def test_an_ordinal_is_no_sentence_end_for_the_clauses():
    text = "Der Turm wurde von zwei Seilschaften erstiegen, am 6. und 7. Juli 1956, und beide kamen heil zurück."
    assert coverage.clauses(text) == [
        "Der Turm wurde von zwei Seilschaften erstiegen, am 6. und 7. Juli 1956,", "und beide kamen heil zurück."]


def test_two_sentences_a_translator_joined_are_not_flagged():
    src = BODY_PL + ["Burmistrz nie chciał komentować sprawy.", "Powiedział tylko, że decyzja w tej sprawie zapadnie w przyszłym tygodniu."]
    tgt = BODY_EN + ["The mayor would not comment on the matter, saying only that a decision would be made next week."]
    assert coverage.check(context(src, tgt, one_to_one(4) + [([4, 5], [4])], encoder())) == []


LONG_PL = (
    "Po długiej i burzliwej dyskusji, która trwała aż do północy, radni przyjęli budżet na przyszły rok, "
    "a przewodniczący rady podziękował mieszkańcom za liczne uwagi zgłoszone w czasie konsultacji."
)
LONG_EN_LOOSE = (  # every clause is there, in other words and another order
    "The councillors passed next year's budget after a long, stormy debate that went on until midnight, "
    "and the council's chairman thanked residents for the many comments they had sent in during the consultation."
)
LONG_EN_CUT = (  # the thanks are gone
    "The councillors passed next year's budget after a long, stormy debate that went on until midnight."
)


def long_bead_context(english: str) -> CheckContext:
    return context(BODY_PL + [LONG_PL], BODY_EN + [english], one_to_one(5), encoder())


def test_clause_lost_inside_a_long_one_to_one_bead_is_an_omission():
    lost = [i for i in coverage.check(long_bead_context(LONG_EN_CUT)) if i.kind == "omission"]
    assert [(i.severity, i.src) for i in lost] == [(Severity.MEDIUM, (4,))]
    assert "podziękował mieszkańcom" in lost[0].evidence[0]
    assert "budżet" not in lost[0].evidence[0]


def test_long_bead_translated_in_other_words_is_not_flagged():
    assert coverage.check(long_bead_context(LONG_EN_LOOSE)) == []


def test_much_shorter_translation_than_the_document_norm_is_an_omission():
    src = [f"Zdanie numer {n}: radni rozmawiali o kolejnej sprawie z porządku obrad." for n in range(12)]
    tgt = [f"Sentence number {n}: councillors discussed another item on the agenda." for n in range(12)]
    src[6] = ("Radni rozmawiali także o nowym rozkładzie jazdy autobusów, o cenach biletów miesięcznych, "
              "o remoncie przystanków przy rynku i o budowie ścieżki rowerowej nad rzeką.")
    tgt[6] = "Buses were discussed."
    issues = coverage.check(context(src, tgt, one_to_one(12)))
    assert [(i.kind, i.severity, i.src) for i in issues] == [("omission", Severity.MEDIUM, (6,))]


def test_a_side_longer_than_any_sentence_is_not_tested_clause_by_clause(monkeypatch):
    # Each clause would cost an encoding of the whole side; a side of this length is a text
    # without punctuation, not a sentence that could have lost a clause.
    clause = "the committee approved the new budget for the regional hospital"
    huge = ", ".join([clause] * 100)
    edits: list[int] = []
    real = coverage.edit_encoder

    def recording(encoder):
        encode = real(encoder)
        return lambda sentences, pieces: (edits.extend(len(t) for _, t in pieces), encode(sentences, pieces))[1]

    monkeypatch.setattr(coverage, "edit_encoder", recording)
    ctx = context([huge, clause + ", and the mayor, who signed it on Monday evening in the town hall, thanked "
                   "the members of the council for their patient work"],
                  ["Le comité a approuvé le budget.", "Le maire a remercié le conseil."],
                  [([0], [0]), ([1], [1])], encoder())
    coverage._lost_clauses(ctx)
    assert edits and max(edits) <= coverage.CLAUSE_TEST_MAX_CHARS < len(huge)
