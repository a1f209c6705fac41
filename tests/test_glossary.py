"""Tests of glossary loading (align.glossary), inflection-insensitive matching (align.morph)
and the glossary checker (align.checks.glossary).

The fixture files under tests/data/glossary/ and all sentences are written for these tests.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from align import morph
from align.checks import glossary as glossary_check
from align.checks.base import CheckContext
from align.errors import InputError
from align.glossary import GlossaryEntry, GlossaryWarning, load_glossary, parse_csv, parse_tbx
from align.types import Alignment, Bead, Severity
from tests.helpers import line_document as document
from tests.helpers import paired_context

DATA = Path(__file__).resolve().parent / "data" / "glossary"


# --- inflection-insensitive matching ---------------------------------------------------------


@pytest.mark.parametrize("lang, term, text, found", [
    # Polish: case forms of adjective + noun names, and plural
    ("pl", "Narodowe Zarządzanie Antykryzysowe", "w Narodowym Zarządzaniu Antykryzysowym", True),
    ("pl", "Narodowe Zarządzanie Antykryzysowe", "z Narodowym Zarządzaniem Antykryzysowym", True),
    ("pl", "Narodowe Zarządzanie Antykryzysowe", "Narodowego Zarządzania Antykryzysowego", True),
    ("pl", "ręczna wyrzutnia rakiet", "boi się ręcznych wyrzutni rakiet", True),
    ("pl", "ręczna wyrzutnia rakiet", "mają ręczne wyrzutnie rakiet", True),
    ("pl", "Rada Koordynacyjna", "spotkanie z Radą Koordynacyjną", True),
    ("pl", "Federacja Rosyjska", "wojska Federacji Rosyjskiej", True),
    ("pl", "sztab generalny", "kontakty ze Sztabem Generalnym", True),
    ("pl", "Paweł Łatuszka", "rozmowa z Pawłem Łatuszką", True),
    ("pl", "ręczna wyrzutnia rakiet", "rzucał ręczne granaty", False),
    ("pl", "Rada Koordynacyjna", "Rada Najwyższa obradowała", False),
    ("pl", "Narodowe Zarządzanie Antykryzysowe", "Narodowe, Zarządzanie Antykryzysowe", False),
    # English: plurals, possessives, hyphenation
    ("en", "rocket launcher", "hand-held rocket launchers", True),
    ("en", "crisis", "two crises", True),
    ("en", "Security Council", "the Security Councils of both states", True),
    ("en", "Anti-Crisis Management", "the National Anti Crisis Management", True),
    ("en", "Volfovich", "a friend of Volfovich’s", True),
    ("en", "National Crisis Management", "the National Anti-Crisis Management", False),
    ("en", "rocket launcher", "hand grenades", False),
    ("en", "F-16 fighter", "two F-16 fighters", True),
    ("en", "F-16 fighter", "two F-15 fighters", False),
    # German and French
    ("de", "nationaler Krisenstab", "des nationalen Krisenstabes", True),
    ("fr", "gestion de crise", "les gestions de crises", True),
    ("fr", "État", "l’État", True),
])
def test_inflected_forms_match(lang, term, text, found):
    assert morph.contains(term, text, lang) is found


def test_polish_word_order_is_optional():
    assert not morph.contains("Federacja Rosyjska", "Rosyjska Federacja", "pl")
    assert morph.contains("Federacja Rosyjska", "Rosyjską Federacją", "pl", any_order=True)


def test_find_gives_character_spans():
    text = "Mówił o Narodowym Zarządzaniu Antykryzysowym."
    [(start, end)] = morph.find("Narodowe Zarządzanie Antykryzysowe", text, "pl")
    assert text[start:end] == "Narodowym Zarządzaniu Antykryzysowym"


def test_group_words_joins_inflected_forms_only():
    forms = ["Zarządzanie", "zarządzania", "zarządzaniem", "rakiet", "rakieta"]
    groups = morph.group_words(forms, "pl")
    assert groups["zarządzanie"] == groups["zarządzania"] == groups["zarządzaniem"]
    assert groups["rakiet"] == groups["rakieta"]
    assert groups["rakiet"] != groups["zarządzanie"]


def test_name_like_words():
    assert morph.is_name_like("Łatuszka", "pl")
    assert not morph.is_name_like("Narodowe", "pl")
    assert not morph.is_name_like("Management", "en")


# --- loading ---------------------------------------------------------------------------------


def test_csv_with_note_and_forbidden_columns():
    entries = load_glossary(DATA / "pl-en.csv")
    assert entries[0] == GlossaryEntry(
        "Narodowe Zarządzanie Antykryzysowe",
        "National Anti-Crisis Management",
        "name of the body",
        ("National Crisis Management",),
        line=2,
    )
    assert entries[1].forbidden == ("hand grenade", "grenade launcher")
    assert entries[2].source == "Rada Koordynacyjna, Białoruś"  # a quoted comma stays
    assert entries[2].line == 4


def test_tsv_with_byte_order_mark():
    entries = load_glossary(DATA / "bom.tsv")
    assert [(e.source, e.target, e.line) for e in entries] == [
        ("Rada Koordynacyjna", "Coordination Council", 2),
        ("rząd na uchodźstwie", "government in exile", 3),
    ]


def test_semicolon_delimiter_is_detected():
    entries = load_glossary(DATA / "semicolon.csv")
    assert entries[1].target == "temporary occupation"
    assert entries[1].forbidden == ("provisional occupation", "interim occupation")


def test_tbx_basic_v2_with_a_deprecated_term():
    entries = load_glossary(DATA / "tbx2.tbx", "pl", "en")
    first = entries[0]
    assert (first.source, first.target) == (
        "Narodowe Zarządzanie Antykryzysowe", "National Anti-Crisis Management"
    )
    assert first.forbidden == ("National Crisis Management",)
    assert first.note == "The opposition body that prepares a transition."
    assert first.line == 11
    assert (entries[1].source, entries[1].target) == (
        "ręczna wyrzutnia rakiet", "hand-held rocket launcher"
    )


def test_tbx_v2_languages_default_to_the_first_two():
    entries = load_glossary(DATA / "tbx2.tbx")
    assert entries[0].target == "National Anti-Crisis Management"  # pl, then en-GB


def test_tbx_v3_with_synonyms_and_chosen_languages():
    entries = load_glossary(DATA / "tbx3.tbx", "pl", "en")
    assert [(e.source, e.target) for e in entries] == [
        ("Rada Koordynacyjna", "Coordination Council"),
        ("rząd na uchodźstwie", "government in exile"),
        ("rząd emigracyjny", "government in exile"),
    ]
    assert entries[0].forbidden == ("Coordinating Council",)
    # without languages the file's first two (en, pl) are used, in that order
    assert load_glossary(DATA / "tbx3.tbx")[0].source == "Coordination Council"


@pytest.mark.parametrize("name, message", [
    ("missing-target.csv", "missing-target.csv, line 4: missing target term."),
    ("unknown-column.csv", "unknown-column.csv, line 1: unknown column 'comment'"),
    ("duplicate.csv", "duplicate.csv, lines 2 and 4: 'Kryzys' is given two targets"),
    ("header-only.csv", "header-only.csv: the glossary has no entries."),
    ("broken.tbx", "broken.tbx, line 5: not well-formed XML"),
])
def test_bad_glossaries_name_the_file_and_line(name, message):
    with pytest.raises(InputError) as caught:
        load_glossary(DATA / name)
    assert str(caught.value).startswith(message)


@pytest.mark.parametrize("text, message", [
    ("", "g.csv: the glossary is empty."),
    ("source,target\nkryzys,crisis\n,government\n", "g.csv, line 3: missing source term."),
    ("source,target\nkryzys,crisis,extra\n", "g.csv, line 2: 3 cells, but the header names 2"),
    ("source,note\nkryzys,crisis\n", "g.csv, line 1: the header has no 'target' column."),
    ("source,target,forbidden\nKO,Civic Coalition,Coalition\nPO,Civic Platform,civic  platform\n",
     "g.csv, line 3: 'civic  platform' is given both as the rendering of 'PO' and as a forbidden one."),
    ('source,target\nkryzys,crisis\n"unterminated,Civic\nrząd,government\n',
     "g.csv, line 3: a quote (\") opens a cell but is never closed."),
    ('source,target\nkryzys,crisis\n"Rada\nKoordynacyjna",\n', "g.csv, line 3: missing target term."),
    ("source,target,\nkryzys,crisis,oops\n", "g.csv, line 2: a cell holds text under a column with no name."),
])
def test_bad_csv_text(text, message):
    with pytest.raises(InputError) as caught:
        parse_csv(text, "g.csv")
    assert str(caught.value).startswith(message)


def test_repeated_identical_entries_are_kept_once_and_blank_lines_skipped():
    entries = parse_csv("source,target\nkryzys,crisis\n\nkryzys,crisis\n", "g.csv")
    assert entries == (GlossaryEntry("kryzys", "crisis", line=2),)


@pytest.mark.parametrize("text", [
    "\nsource,target\nkryzys,crisis\n",  # a blank line before the header
    "source,target,\r\nkryzys,crisis,\r\n",  # Excel's trailing delimiter
    "sep=;\nsource;target\nkryzys;crisis\n",  # Excel's delimiter hint
])
def test_csv_as_spreadsheets_save_it(text):
    assert [(e.source, e.target) for e in parse_csv(text, "g.csv")] == [("kryzys", "crisis")]


def test_tbx_entry_missing_a_language_is_left_out_with_a_warning():
    with pytest.warns(GlossaryWarning, match="line 9: entry has no 'en' term; left out"):
        entries = load_glossary(DATA / "tbx-missing-lang.tbx")
    assert [(e.source, e.target) for e in entries] == [("kryzys", "crisis")]


# Admitted synonyms come first in the file, so the preferred term must be picked by its status.
SYNONYMS_TBX = """<martif><text><body><termEntry>
<langSet xml:lang="pl"><tig><term>Rada Ministrów</term></tig></langSet>
<langSet xml:lang="en">
  <tig><term>Cabinet</term><termNote type="administrativeStatus">admittedTerm-admn-sts</termNote></tig>
  <tig><term>Council of Ministers</term><termNote type="administrativeStatus">preferredTerm-admn-sts</termNote></tig>
  <tig><term>Ministerial Council</term><termNote type="administrativeStatus">deprecatedTerm-admn-sts</termNote></tig>
</langSet></termEntry></body></text></martif>""".encode()


def test_tbx_admitted_synonyms_are_alternatives_of_the_preferred_term():
    [entry] = parse_tbx(SYNONYMS_TBX, "syn.tbx", "pl", "en")
    assert entry.target == "Council of Ministers"
    assert entry.alternatives == ("Cabinet",)
    assert entry.forbidden == ("Ministerial Council",)


def test_missing_file_is_an_input_error(tmp_path):
    with pytest.raises(InputError, match="nothing.csv: cannot read the glossary"):
        load_glossary(tmp_path / "nothing.csv")


# --- the glossary checker --------------------------------------------------------------------


def context(source: list[str], target: list[str], glossary) -> CheckContext:
    return paired_context(source, target, glossary=glossary)


ORGANISATION = GlossaryEntry(
    "Narodowe Zarządzanie Antykryzysowe",
    "National Anti-Crisis Management",
    forbidden=("National Crisis Management",),
)
LAUNCHER = GlossaryEntry("ręczna wyrzutnia rakiet", "rocket launcher")


def test_inflected_source_and_target_terms_satisfy_the_glossary():
    ctx = context(
        [
            "Boi się ataków z ręcznych wyrzutni rakiet.",
            "Pracuje w Narodowym Zarządzaniu Antykryzysowym.",
        ],
        [
            "He fears attacks with hand-held rocket launchers.",
            "She works for the National Anti-Crisis Management.",
        ],
        [ORGANISATION, LAUNCHER],
    )
    assert glossary_check.check(ctx) == []


def test_missing_required_rendering_is_reported():
    ctx = context(
        ["Kolega", "Łukaszenka boi się ataków z ręcznych wyrzutni rakiet, gdy lata helikopterem."],
        ["A colleague", "Lukashenko is afraid of hand grenades when he flies by helicopter."],
        [LAUNCHER],
    )
    [issue] = glossary_check.check(ctx)
    assert issue.kind == "glossary"
    assert issue.severity is Severity.HIGH
    assert (issue.src, issue.tgt) == ((1,), (1,))
    assert issue.evidence == ("ręcznych wyrzutni rakiet",)
    assert issue.suggestion == "rocket launcher"
    assert "'ręcznych wyrzutni rakiet' should be translated 'rocket launcher'" in issue.message


def test_forbidden_rendering_is_reported():
    ctx = context(
        ["Eksperci Narodowego Zarządzania Antykryzysowego przygotowali raport."],
        ["Experts of the National Crisis Management prepared a report."],
        [ORGANISATION],
    )
    [issue] = glossary_check.check(ctx)
    assert issue.evidence == (
        "Narodowego Zarządzania Antykryzysowego",
        "National Crisis Management",
    )
    assert "forbids" in issue.message
    assert issue.suggestion == "National Anti-Crisis Management"


def test_forbidden_rendering_next_to_the_required_one_is_reported():
    ctx = context(
        ["Narodowe Zarządzanie Antykryzysowe ma biuro w Warszawie."],
        ["The National Anti-Crisis Management, formerly National Crisis Management, is in Warsaw."],
        [ORGANISATION],
    )
    [issue] = glossary_check.check(ctx)
    assert "next to the required 'National Anti-Crisis Management'" in issue.message


def test_beads_without_the_source_term_or_without_a_target_are_not_checked():
    ctx = CheckContext(
        Alignment(
            document(["Mówił o kryzysie.", "Pracuje w Narodowym Zarządzaniu Antykryzysowym."],
                     "pl"),
            document(["He spoke about the crisis."], "en"),
            (Bead((0,), (0,), 1.0), Bead((1,), (), 0.0)),
        ),
        glossary=(ORGANISATION,),
    )
    assert glossary_check.check(ctx) == []


def test_glossary_loaded_from_file_drives_the_checker():
    ctx = context(
        ["Członkowie Rady Koordynacyjnej spotkali się w Wilnie."],
        ["Members of the Coordinating Council met in Vilnius."],
        load_glossary(DATA / "tbx3.tbx", "pl", "en"),
    )
    [issue] = glossary_check.check(ctx)
    assert issue.suggestion == "Coordination Council"
    assert issue.evidence == ("Rady Koordynacyjnej", "Coordinating Council")


def test_no_glossary_no_issues():
    ctx = context(["Mówił o kryzysie."], ["He spoke about the crisis."], [])
    assert glossary_check.check(ctx) == []


def test_admitted_synonym_satisfies_the_glossary_and_the_preferred_term_is_suggested():
    glossary = parse_tbx(SYNONYMS_TBX, "syn.tbx", "pl", "en")
    ctx = context(
        ["Rada Ministrów zebrała się wczoraj.", "Rada Ministrów zebrała się dziś."],
        ["The Cabinet met yesterday.", "The government met today."],
        glossary,
    )
    [issue] = glossary_check.check(ctx)
    assert issue.tgt == (1,)
    assert issue.suggestion == "Council of Ministers"


@pytest.mark.parametrize("source, target, reported", [
    ("Po obiedzie poszedł do domu.", "After lunch he went home.", False),  # the preposition
    ("Posłowie PO-u głosowali przeciw.", "The MPs voted against.", True),  # inflected after a hyphen
    ("Politycy PiS-u i PO spotkali się.", "Politicians met.", True),
    ("Ue, to było złe.", "Oh, that was bad.", False),
])
def test_acronyms_match_only_in_their_own_casing(source, target, reported):
    glossary = [GlossaryEntry("PO", "Civic Platform"), GlossaryEntry("UE", "EU")]
    assert bool(glossary_check.check(context([source], [target], glossary))) is reported


def test_internal_capital_term_allows_a_polish_ending_and_ordinary_terms_ignore_case():
    glossary = [GlossaryEntry("PiS", "Law and Justice"), GlossaryEntry("kryzys", "crisis")]
    ctx = context(
        ["Posłowie PiSu.", "Pis to nie partia.", "KRYZYS!"],
        ["The MPs of Law and Justice.", "It is no party.", "Disaster!"],
        glossary,
    )
    assert [issue.tgt for issue in glossary_check.check(ctx)] == [(2,)]


def test_forbidden_rendering_inside_the_required_one_is_not_reported():
    entry = GlossaryEntry("Koalicja Obywatelska", "Civic Coalition", forbidden=("Coalition",))
    ctx = context(
        ["Koalicja Obywatelska wygrała.", "Koalicja Obywatelska wygrała, choć koalicja się chwiała."],
        ["The Civic Coalition won.", "The Civic Coalition won, though the Coalition wobbled."],
        [entry],
    )
    [issue] = glossary_check.check(ctx)
    assert issue.tgt == (1,) and issue.evidence[1:] == ("Coalition",)
