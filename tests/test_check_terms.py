"""Tests of the term_inconsistency checker (align.checks.terms).

The sentences are written for these tests. The last test reads the demo pair shipped in
corpora/latushka-interia, aligned by its gold alignment, and holds the checker to the expected
findings there.
"""

from __future__ import annotations

import dataclasses
import json
import re
from pathlib import Path

import pytest

from align.checks import terms
from align.checks.base import CheckContext
from align.glossary import GlossaryEntry
from align.segment import segment
from align.types import Alignment, Bead, Document, Severity
from tests.helpers import line_document as document
from tests.helpers import paired_context as context  # sentence i paired with sentence i

CORPUS = Path(__file__).resolve().parent.parent / "corpora" / "latushka-interia"


# An interview about an organisation whose name the translator renders two ways.
POLISH = [
    "Rozmawiamy z przedstawicielem Narodowego Zarządzania Antykryzysowego o sytuacji w kraju.",
    "Eksperci pracujący w Narodowym Zarządzaniu Antykryzysowym przygotowali nowy raport.",
    "Minister powiedział, że raport trafi do rządu w przyszłym tygodniu.",
    "Narodowe Zarządzanie Antykryzysowe ma biuro w Warszawie.",
    "Rzecznik powiedział dziennikarzom, że biuro pozostanie otwarte.",
    "Przedstawiciele Narodowego Zarządzania Antykryzysowego spotkali się z dyplomatami.",
]
ENGLISH = [
    "We talk to a representative of the National Anti-Crisis Management about the situation.",
    "Experts working for the National Crisis Management have prepared a new report.",
    "The minister said that the report would reach the government next week.",
    "The National Anti-Crisis Management Office is based in Warsaw.",
    "The spokesman told journalists that the office would stay open.",
    "Representatives of the National Anti-Crisis Management met with diplomats.",
]


def test_minority_rendering_of_an_inflected_term_is_reported():
    issues = terms.check(context(POLISH, ENGLISH))
    assert len(issues) == 1
    issue = issues[0]
    assert issue.kind == "term_inconsistency"
    assert issue.severity is Severity.MEDIUM
    assert (issue.src, issue.tgt) == ((1,), (1,))
    assert issue.message == (
        "Narodowe Zarządzanie Antykryzysowe is translated 'National Crisis Management' here "
        "but 'National Anti-Crisis Management' in 3 other places."
    )
    assert issue.suggestion == "National Anti-Crisis Management"
    assert issue.evidence == (
        "'National Anti-Crisis Management' ×3 (also as 'National Anti-Crisis Management Office')",
        "'National Crisis Management' ×1",
    )


def test_inflected_forms_make_one_source_term():
    uses = terms.term_uses(context(POLISH, ENGLISH))
    organisation = [u for u in uses if u.term.display == "Narodowe Zarządzanie Antykryzysowe"]
    assert len(organisation) == 1
    assert organisation[0].term.beads == (0, 1, 3, 5)
    renderings = organisation[0].renderings
    assert [r.surface for r in renderings] == [
        "National Anti-Crisis Management",
        "National Crisis Management",
        "National Anti-Crisis Management",
        "National Anti-Crisis Management",
    ]
    assert renderings[2].extended == "National Anti-Crisis Management Office"


def test_consistent_rendering_is_not_reported():
    consistent = list(ENGLISH)
    consistent[1] = "Experts working for the National Anti-Crisis Management prepared a report."
    assert terms.check(context(POLISH, consistent)) == []


def test_a_trailing_classifier_word_alone_is_not_an_inconsistency():
    polish = [POLISH[0], POLISH[3], POLISH[5]]
    english = [ENGLISH[0], ENGLISH[3], ENGLISH[5]]  # ... Management, ... Management Office
    assert terms.check(context(polish, english)) == []


def test_glossary_pinned_rendering_overrides_the_majority():
    pinned = GlossaryEntry("Narodowe Zarządzanie Antykryzysowe", "National Crisis Management")
    issues = terms.check(context(POLISH, ENGLISH, glossary=[pinned]))
    assert len(issues) == 1
    issue = issues[0]
    assert issue.tgt == (0, 3, 5)
    assert issue.suggestion == "National Crisis Management"
    assert "'National Anti-Crisis Management' here" in issue.message
    assert "the glossary gives 'National Crisis Management'" in issue.message


def test_glossary_rendering_used_nowhere_makes_every_variant_an_issue():
    pinned = GlossaryEntry("Narodowe Zarządzanie Antykryzysowe", "National Emergency Board")
    issues = terms.check(context(POLISH, ENGLISH, glossary=[pinned]))
    assert sorted(i.tgt for i in issues) == [(0, 3, 5), (1,)]
    assert {i.suggestion for i in issues} == {"National Emergency Board"}


def test_a_word_changed_inside_a_name_is_reported():
    polish = [
        "Członkowie Rady Koordynacyjnej spotkali się w Wilnie.",
        "Rada Koordynacyjna wydała oświadczenie w sprawie wyborów.",
        "Dziennikarze zapytali Radę Koordynacyjną o plany na przyszłość.",
    ]
    english = [
        "Members of the Coordination Council met in Vilnius.",
        "The Coordinating Council issued a statement on the elections.",
        "Journalists asked the Coordination Council about its plans.",
    ]
    issues = terms.check(context(polish, english))
    assert [(i.tgt, i.suggestion) for i in issues] == [((1,), "Coordination Council")]
    assert "'Coordinating Council' here" in issues[0].message


def test_ordinary_words_translated_differently_are_not_terms():
    polish = [
        "Minister powiedział, że rosyjskie wojska zostaną w kraju.",
        "Rzecznik powiedział, że rosyjskie wojska ćwiczą przy granicy.",
        "Generał powiedział, że rosyjskie wojska nie mają zapasów.",
    ]
    english = [
        "The minister said that Russian troops would stay in the country.",
        "The spokesman told us that Russian forces are training near the border.",
        "The general stated that the Russian army has no supplies.",
    ]
    assert terms.check(context(polish, english)) == []


def test_person_names_are_left_to_the_name_checker():
    polish = [
        "Paweł Łatuszka spotkał się wczoraj z dyplomatami.",
        "Według Pawła Łatuszki rząd powstanie jesienią.",
        "Paweł Łatuszka nie wyklucza wyjazdu do Brukseli.",
    ]
    english = [
        "Pavel Latushka met diplomats yesterday.",
        "According to Pavel Latushko, the government will be formed in autumn.",
        "Pavel Latushka does not rule out a trip to Brussels.",
    ]
    assert terms.check(context(polish, english)) == []


def test_an_extra_word_that_translates_an_extra_source_word_is_not_reported():
    polish = [
        "Kraj znajduje się pod tymczasową okupacją wojskową sąsiada.",
        "Prawnicy opisali tymczasową okupację jako stan przejściowy.",
    ]
    english = [
        "The country is under temporary military occupation by its neighbour.",
        "Lawyers described the temporary occupation as a transitional state.",
    ]
    assert terms.check(context(polish, english)) == []


def test_a_lower_case_term_rendered_two_ways_is_reported():
    polish = [
        "Opozycja chce powołać rząd na uchodźstwie jeszcze w tym roku.",
        "Rząd na uchodźstwie miałby siedzibę w Warszawie.",
        "Nie wszyscy popierają pomysł, by rząd na uchodźstwie reprezentował kraj.",
    ]
    english = [
        "The opposition wants to set up a government in exile this year.",
        "The exiled government would be based in Warsaw.",
        "Not everyone supports the idea that a government in exile should represent the country.",
    ]
    # "government in exile" / "exiled government" share one word and are not near-identical
    # strings: the checker stays silent rather than guess that this is one term.
    assert terms.check(context(polish, english)) == []


GERMAN = [
    "Wir sprechen mit einem Vertreter des Nationalen Antikrisenmanagements über die Lage.",
    "Experten des Nationalen Krisenmanagements haben einen neuen Bericht vorbereitet.",
    "Der Minister sagte, der Bericht gehe nächste Woche an die Regierung.",
    "Das Nationale Antikrisenmanagement hat ein Büro in Warschau.",
    "Der Sprecher sagte den Journalisten, das Büro bleibe offen.",
    "Vertreter des Nationalen Antikrisenmanagements trafen sich mit Diplomaten.",
]
FRENCH = [
    "Nous parlons avec un représentant de la Gestion nationale anticrise de la situation.",
    "Les experts de la Gestion nationale de crise ont préparé un nouveau rapport.",
    "Le ministre a dit que le rapport arriverait au gouvernement la semaine prochaine.",
    "La Gestion nationale anticrise a un bureau à Varsovie.",
    "Le porte-parole a dit aux journalistes que le bureau resterait ouvert.",
    "Des représentants de la Gestion nationale anticrise ont rencontré des diplomates.",
]


@pytest.mark.parametrize("lang, target, minority, majority", [
    # German nouns all have capitals, and compounds make one word of "crisis management"
    ("de", GERMAN, "Nationalen Krisenmanagements", "Nationalen Antikrisenmanagements"),
    # French capitalises only the first word of a name, and "de" stands inside terms
    ("fr", FRENCH, "Gestion nationale de crise", "Gestion nationale anticrise"),
])
def test_term_inconsistency_in_german_and_french_translations(lang, target, minority, majority):
    issues = terms.check(context(POLISH, target, tgt_lang=lang))
    assert [(i.tgt, i.suggestion) for i in issues] == [((1,), majority)]
    assert f"'{minority}' here but '{majority}' in 3 other places" in issues[0].message


PARK_POLISH = [
    "Turyści odwiedzają park narodowy latem.",
    "Zimą park narodowy jest zamknięty dla samochodów.",
    "Strażnicy pilnują, by park narodowy pozostał czysty.",
]


def test_common_noun_term_needs_a_repeated_rendering_before_a_variant_is_reported():
    english = [
        "Tourists visit the national park in summer.",
        "In winter the national parkland is closed to cars.",
        "Rangers make sure the national park stays clean.",
    ]
    [issue] = terms.check(context(PARK_POLISH, english))
    assert (issue.tgt, issue.suggestion) == ((1,), "national park")
    # once each way: nothing has been established yet, so nothing is reported
    assert terms.check(context(PARK_POLISH[:2], english[:2])) == []


def test_empty_alignment_gives_no_issues():
    ctx = CheckContext(Alignment(document([], "pl"), document([], "en"), ()))
    assert terms.check(ctx) == []


# --- the demo pair ---------------------------------------------------------------------------


def _gold_context() -> CheckContext:
    source_text = (CORPUS / "pl.txt").read_text(encoding="utf-8")
    target_text = (CORPUS / "en.txt").read_text(encoding="utf-8")
    source = Document(source_text, "pl", segment(source_text, "pl"))
    target = Document(target_text, "en", segment(target_text, "en"))
    beads = []
    for line in (CORPUS / "gold.txt").read_text(encoding="utf-8").splitlines():
        left, right = line.split(":")
        indices = [tuple(int(i) for i in re.findall(r"\d+", side)) for side in (left, right)]
        beads.append(Bead(indices[0], indices[1], 1.0))
    return CheckContext(Alignment(source, target, tuple(beads)))


def _touches(issue, entry: dict, ctx: CheckContext) -> bool:
    if issue.kind not in entry["kinds"]:
        return False
    src = " ".join(ctx.source.segments[i].text for i in issue.src)
    tgt = " ".join(ctx.target.segments[j].text for j in issue.tgt)
    return entry.get("source_contains", "") in src and entry.get("target_contains", "") in tgt


@pytest.mark.skipif(not (CORPUS / "gold.txt").exists(), reason="demo gold alignment not present")
def test_demo_pair_finds_the_crisis_management_case_and_nothing_else():
    ctx = _gold_context()
    expected = json.loads((CORPUS / "expected.json").read_text(encoding="utf-8"))
    issues = terms.check(ctx)
    wanted = [e for e in expected["expected"] if "term_inconsistency" in e["kinds"]]
    for entry in wanted:
        hits = [i for i in issues if _touches(i, entry, ctx)]
        assert hits, entry["id"]
        assert hits[0].suggestion == entry["suggestion"]
        assert hits[0].severity.value == entry["severity"]
    for entry in expected["must_not_flag"]:
        assert not [i for i in issues if _touches(i, entry, ctx)], entry["id"]
    assert len(issues) == len(wanted)


# --- rewordings: one word of the usual rendering changed, added or dropped --------------------

COUNCIL_POLISH = [
    "Rada Bezpieczeństwa zebrała się w poniedziałek.",
    "Posiedzenie Rady Bezpieczeństwa trwało do wieczora.",
    "Członkowie Rady Bezpieczeństwa nie podjęli decyzji.",
    "Rzecznik Rady Bezpieczeństwa odmówił komentarza.",
]
COUNCIL_ENGLISH = [
    "The Security Council met on Monday.",
    "The meeting of the Security Council lasted until the evening.",
    "Members of the Federal Council made no decision.",
    "A spokesman for the Security Council declined to comment.",
]


def test_a_synonym_inside_a_name_is_reported_against_the_usual_rendering():
    issues = terms.check(context(COUNCIL_POLISH, COUNCIL_ENGLISH))
    assert [(i.tgt, i.replaces, i.suggestion) for i in issues] == [((2,), "Federal Council", "Security Council")]
    assert issues[0].severity is Severity.MEDIUM
    assert "'Federal Council' here but 'Security Council' in 3 other places" in issues[0].message


def test_a_changed_word_that_one_usual_sentence_also_holds_is_still_a_rewording():
    # "federal" stands in one of the three sentences with the usual rendering, away from the
    # term: incidental there, it does not make "Federal Council" a rendering the translator uses
    polish = [*COUNCIL_POLISH[:3], "Rzecznik Rady Bezpieczeństwa odmówił komentarza w sprawie budżetu federalnego."]
    english = [*COUNCIL_ENGLISH[:3], "A spokesman for the Security Council declined to comment on the federal budget."]
    issues = terms.check(context(polish, english))
    assert [(i.tgt, i.replaces, i.suggestion) for i in issues] == [((2,), "Federal Council", "Security Council")]


def test_a_rewording_in_a_common_noun_term_is_low_and_a_word_explained_by_the_source_is_not_one():
    polish = [
        "Rząd na uchodźstwie zbiera się co tydzień.",
        "Powołaliśmy rząd na uchodźstwie w sierpniu.",
        "Gabinet? Nie, rząd na uchodźstwie działa jawnie.",
        "Chcemy, by tymczasowy rząd na uchodźstwie uznały inne państwa.",
    ]
    english = [
        "The government in exile meets every week.",
        "We set up the government in exile in August.",
        "A cabinet? No, the cabinet in exile works openly.",
        "We want other states to recognise the provisional government in exile.",
    ]
    issues = terms.check(context(polish, english))
    assert [(i.tgt, i.replaces, i.severity) for i in issues] == [((2,), "cabinet in exile", Severity.LOW)]


def test_unrelated_phrases_one_word_apart_are_not_renderings_of_a_term(encoder):
    # "ambasador Białorusi" is rendered the same way twice; the phrases one word apart around it
    # (Council of Belarus / Ambassador of Belarus) do not translate it, as the encoder tells
    polish = [
        "Ambasador Białorusi spotkał się z członkami rady. Rada Białorusi milczała.",
        "Ambasador Białorusi wrócił do Mińska.",
    ]
    english = [
        "The Ambassador of Belarus met council members. The Council of Belarus kept silent.",
        "The Ambassador of Belarus returned to Minsk.",
    ]
    ctx = context(polish, english)
    assert terms.check(dataclasses.replace(ctx, encoder=encoder)) == []


def test_one_rendering_each_way_needs_the_encoder_to_vouch_for_it(encoder):
    polish = ["Obecna sytuacja jest trudna.", "Nikt nie wie, jak długo potrwa obecna sytuacja."]
    english = ["The current situation is difficult.", "No one knows how long the present situation will last."]
    ctx = context(polish, english)
    assert terms.check(ctx) == []  # without an encoder, a rendering used once is not a convention
    issues = terms.check(dataclasses.replace(ctx, encoder=encoder))
    # a tie: reported where the encoder puts the rendering further from the term
    assert [(i.tgt, i.replaces, i.suggestion) for i in issues] == [((0,), None, "present situation")]


@pytest.mark.parametrize("first, second", [
    ("Ukraine's president asks for more air defence.", "Ukrainian President Volodymyr Zelensky came to Warsaw."),
    ("The Ukrainian president asks for more air defence.", "Ukraine's President Volodymyr Zelensky came to Warsaw."),
])
def test_a_names_possessive_and_its_adjective_are_one_rendering(encoder, first, second):
    # Headline and body: "Ukraine's president" and "Ukrainian President" say the same thing.
    polish = ["Prezydent Ukrainy prosi o więcej obrony powietrznej.",
              "Prezydent Ukrainy Wołodymyr Zełenski przyjechał do Warszawy."]
    ctx = dataclasses.replace(context(polish, [first, second]), encoder=encoder)
    assert terms.check(ctx) == []
    assert terms._name_forms("Russia’s", "Russian") and terms._name_forms("chinese", "china's")
    assert not terms._name_forms("Citizens'", "Civic") and not terms._name_forms("Civil", "Civic")


@pytest.mark.parametrize("pairs", [
    pytest.param([  # the verb and the noun after the name are its sentence's, not the term's
        ("Posłowie Koalicji Obywatelskiej poparli zakup.", "MPs of the Civic Coalition supported the purchase."),
        ("Koalicja Obywatelska ma w Sejmie 157 posłów.", "KO has 157 MPs in the Sejm."),
        ("Lider Koalicji Obywatelskiej Donald Tusk jest premierem.", "Civic Coalition leader Donald Tusk is prime minister."),
    ], id="neighbours"),
    pytest.param([  # the usual rendering reordered, not a word changed
        ("Minister spraw zagranicznych Radosław Sikorski poleciał do Nowego Jorku.",
         "Foreign Minister Radosław Sikorski flew to New York."),
        ("Na posiedzeniu Rady Bezpieczeństwa minister spraw zagranicznych mówił o Ukrainie.",
         "At the Security Council meeting, the foreign minister spoke about Ukraine."),
        ("Według ministra spraw zagranicznych Rada Bezpieczeństwa jest sparaliżowana.",
         "According to the Minister of Foreign Affairs, the Security Council is paralysed."),
    ], id="reordered"),
])
def test_a_consistent_term_with_other_words_around_it_is_not_reported(encoder, pairs):
    ctx = context([pl for pl, _ in pairs], [en for _, en in pairs])
    assert terms.check(dataclasses.replace(ctx, encoder=encoder)) == []


WEATHER = ("Pogoda była tego dnia bardzo zła.", "The weather was very bad that day.")


@pytest.mark.parametrize("pairs, expected", [
    pytest.param(  # a tie, wrong first: reported where the encoder puts the rendering further from the term
        [("Musimy zbudować możliwie najszerszą koalicję sił demokratycznych.",
          "We must build the broadest possible coalition of democratic units."),
         WEATHER,
         ("Pytam jako polityk białoruskich sił demokratycznych.",
          "I am asking as a politician of the Belarusian democratic forces.")],
        ((0,), None, "democratic forces"), id="tie-wrong-first"),
    pytest.param(  # a hyphenated compound stands for one word of the usual rendering
        [("Siły demokratyczne muszą zbudować możliwie najszerszą koalicję.",
          "The democratic forces must build the broadest possible coalition."),
         WEATHER,
         ("Pytam jako polityk, który reprezentuje siły demokratyczne.",
          "I am asking as a politician who represents the pro-democracy forces."),
         ("Siły demokratyczne mają w Wilnie swoje biuro.", "The democratic forces have their office in Vilnius.")],
        ((2,), "pro-democracy forces", "democratic forces"), id="hyphenated-compound"),
    pytest.param(  # a tie of synonyms, settled by the translation's word for bezpieczeństwo elsewhere
        [("Kto będzie się domagał gwarancji bezpieczeństwa dla Ukrainy?",
          "Who will demand safety guarantees for Ukraine?"),
         ("Rada Bezpieczeństwa zebrała się w poniedziałek.", "The Security Council met on Monday."),
         ("Jak wiarygodne będą gwarancje bezpieczeństwa bez wojsk?",
          "How credible will security guarantees be without troops?"),
         ("Sekretarz Rady Bezpieczeństwa milczy.", "The secretary of the Security Council is silent."),
         WEATHER],
        ((0,), None, "security guarantees"), id="tie-settled-by-usage"),
])
def test_a_changed_rendering_is_reported_where_it_is_wrong(encoder, pairs, expected):
    ctx = context([pl for pl, _ in pairs], [en for _, en in pairs])
    issues = terms.check(dataclasses.replace(ctx, encoder=encoder))
    assert [(i.tgt, i.replaces, i.suggestion) for i in issues] == [expected]


def test_a_compound_word_is_two_words_joined_not_a_phrase_written_with_hyphens():
    assert terms._compound_word("pro-democracy") and terms._compound_word("anti-crisis")
    assert not terms._compound_word("government-in-exile") and not terms._compound_word("exile")


def test_a_term_cut_down_to_its_adjective_is_reported_but_a_shortened_mention_is_not(encoder):
    # a shortened mention keeps the noun ("the situation"); a rendering left with its adjective
    # alone ("the democratic of Belarus") names something else
    polish = [
        "Potrzebujemy szerokiej koalicji sił demokratycznych.",
        "Pytam jako polityk sił demokratycznych Białorusi.",
        "Obecna sytuacja jest trudna.",
        "Nikt nie wie, jak długo potrwa obecna sytuacja.",
    ]
    english = [
        "We need a broad coalition of democratic forces.",
        "I ask as a politician of the democratic of Belarus.",
        "The current situation is difficult.",
        "No one knows how long the situation will last.",
    ]
    issues = terms.check(dataclasses.replace(context(polish, english), encoder=encoder))
    assert [(i.tgt, i.replaces, i.suggestion, i.severity) for i in issues] == [
        ((1,), None, "democratic forces", Severity.LOW)]


def test_a_noun_still_there_inside_a_hyphenated_word_is_not_dropped(encoder):
    polish = [
        "Wczoraj spotkaliśmy rząd białoruski.",
        "Nikt nie ufa rządowi białoruskiemu.",
        "Gdzie będzie biuro rządu białoruskiego na uchodźstwie?",
    ]
    english = [
        "Yesterday we met the Belarusian government.",
        "Nobody trusts the Belarusian government.",
        "Where will the office of the Belarusian government-in-exile be?",
    ]
    assert terms.check(dataclasses.replace(context(polish, english), encoder=encoder)) == []


def test_a_french_term_cut_to_its_noun_is_a_shortened_mention(encoder):
    # French puts a few adjectives before the noun: "haut sommet" -> "sommet" keeps the noun,
    # and "sommet" does not end like an adjective
    german = ["Wir sahen den hohen Gipfel.", "Wir sahen den hohen Gipfel wieder.", "Sie sprachen lange vom hohen Gipfel."]
    french = ["Nous avons vu le haut sommet.", "Nous avons revu le haut sommet.", "Ils ont longuement parlé du sommet."]
    ctx = context(german, french, src_lang="de", tgt_lang="fr")
    assert terms.check(dataclasses.replace(ctx, encoder=encoder)) == []


def test_a_name_inside_a_repeated_passage_is_a_term_of_its_own(encoder):
    # the whole clause recurs in the source, so it is a recurring phrase too; the name inside it
    # must still be compared on its own, or the clause's weaker likeness to the name's rendering
    # hides the changed word
    polish = [
        "Wiemy, że kilku oficerów utrzymuje stały kontakt z białoruskim Dowództwem Operacyjnym.",
        "Rozmawialiśmy o pogodzie i o cenach paliwa.",
        "Według naszych źródeł kilku oficerów utrzymuje stały kontakt z białoruskim Dowództwem Operacyjnym.",
    ]
    english = [
        "We know that several officers keep in constant contact with the Belarusian Operational Command.",
        "We talked about the weather and fuel prices.",
        "According to our sources, several officers keep in constant contact with the Belarusian Field Command.",
    ]
    issues = terms.check(dataclasses.replace(context(polish, english), encoder=encoder))
    # one issue: the shorter names inside it ("Belarusian Field") find the same change
    assert [(i.tgt, i.replaces, i.suggestion) for i in issues] == [
        ((2,), None, "Belarusian Operational Command")
    ]


def test_word_groups_keep_their_first_form_whatever_order_a_forms_keys_come_in(monkeypatch):
    # A form whose keys reach two groups joins them; the joined group must be named by its first
    # form, not by whichever key a set happened to yield first (a set's order follows the hash
    # seed: Text+Berg's word groups came out differently from run to run).
    from align import morph

    keys = {"alpha": ["k1"], "beta": ["k2"], "gamma": ["k1", "k2"]}
    groups = []
    for order in (list, lambda ks: list(reversed(ks))):
        monkeypatch.setattr(morph, "word_keys", lambda word, lang, order=order: order(keys[word]))
        groups.append(morph.group_words(["alpha", "beta", "gamma"], "xx"))
    assert groups[0] == groups[1] == {"alpha": "alpha", "beta": "alpha", "gamma": "alpha"}


def _with_dictionary(ctx: CheckContext, folder: Path, pair: str, entries: dict[str, str]) -> CheckContext:
    """``ctx`` reading a dictionary of ``entries`` written to ``folder`` (FreeDict's layout)."""
    from tests.test_lexicon import write_dictd

    write_dictd(folder, pair, entries)
    return dataclasses.replace(ctx, options={"dictionary_dir": str(folder)})


GERMAN_SNOW = [
    "Wir sahen drei Spuren am Rand einer Schneeinsel im Bach.",
    "Das Wetter blieb den ganzen Tag schlecht.",
    "Der Weg war wegen der vielen Schneeinseln sehr mühsam.",
]


@pytest.mark.parametrize("other, reported", [("îlots de névé", True), ("îles de neige", False)])
def test_a_compound_rendered_two_ways_once_each_is_settled_by_the_dictionary(tmp_path, encoder, other, reported):
    french = [
        "Nous vîmes trois traces au bord d'un îlot de neige dans le ruisseau.",
        "Le temps resta mauvais toute la journée.",
        f"Le chemin était très pénible à cause des nombreux {other}.",
    ]
    ctx = dataclasses.replace(context(GERMAN_SNOW, french, src_lang="de", tgt_lang="fr"), encoder=encoder)
    ctx = _with_dictionary(ctx, tmp_path, "deu-fra", {"Schnee": "neige", "Insel": "île, îlot"})
    issues = terms.check(ctx)
    if reported:  # névé renders no word of Schneeinsel: îlot de neige is the rendering to keep
        assert [(i.tgt, i.replaces, i.suggestion, i.severity) for i in issues] == [
            ((2,), None, "îlots de neige", Severity.LOW)  # in the form of the sentence it goes into
        ]
    else:  # île is the dictionary's rendering too: a synonym in a common noun, not reported
        assert issues == []
    assert terms.check(dataclasses.replace(ctx, options={"dictionary": False})) == []  # nothing to settle it


def _findings(german: list[str], french: list[str], entries: dict[str, str], folder: Path, encoder) -> list:
    """The term issues of a German-French text with a German-French dictionary of ``entries``:
    where, the rendering to replace, and the suggestion."""
    ctx = dataclasses.replace(context(german, french, src_lang="de", tgt_lang="fr"), encoder=encoder)
    ctx = _with_dictionary(ctx, folder, "deu-fra", entries)
    return [(i.tgt, i.replaces, i.suggestion) for i in terms.check(ctx)]


def test_an_inflected_compound_is_read_by_the_parts_of_its_lemma(tmp_path, encoder):
    german = [
        "Die Nordwand ist steil und wird von Eislawinen bestrichen.",
        "Am Abend erreichten wir das Lager.",
        "Der Weg zum Sattel war auf der linken Seite von Eislawinen bedroht.",
    ]
    french = [
        "La face nord est raide et balayée par les avalanches de glace.",
        "Le soir, nous avons atteint le camp.",
        "Le chemin vers le col était menacé à gauche par des coulées de glace.",
    ]
    # Eislawinen is no headword, and its last part Lawinen is none either: Lawine, of the lemma, is
    assert _findings(german, french, {"Eis": "glace", "Lawine": "avalanche"}, tmp_path, encoder) == [
        ((2,), None, "avalanches de glace")
    ]


def test_a_rendering_that_loses_a_word_of_the_term_is_reported(tmp_path, encoder):
    german = [
        "Die neue offizielle Kote ist im Frühling berechnet worden.",
        "Wir warteten drei Tage im Lager auf besseres Wetter.",
        "Die neue offizielle Kote ist meines Wissens noch nicht publiziert.",
    ]
    french = [
        "La nouvelle cote officielle a été calculée au printemps.",
        "Nous avons attendu trois jours au camp un temps meilleur.",
        "La nouvelle cote n'a pas encore été publiée, à ma connaissance.",
    ]
    # officielle renders offizielle, which the third source holds too: not a shorter mention
    assert _findings(german, french, {"neu": "nouveau", "offiziell": "officiel"}, tmp_path, encoder) == [
        ((2,), None, "nouvelle cote officielle")
    ]


@pytest.mark.parametrize("other, replaces, suggestion", [
    ("Un officier de contact", "officier de contact", "officier de liaison"),  # not 'Un l'officier'
    ("Officier de contact,", "Officier de contact", "Officier de liaison"),  # a sentence's first word
])
def test_an_elided_article_is_no_part_of_a_rendering_and_a_suggestion_keeps_a_capital(
        encoder, other, replaces, suggestion):
    german = [
        "Wir bezahlten den Verbindungsoffizier am Ende des Monats.",
        "Das Wetter blieb schlecht.",
        "Der Verbindungsoffizier begleitet jede Expedition.",
        "Der Weg war lang.",
        "Der Verbindungsoffizier kehrte nach Skardu zurück.",
    ]
    french = [
        "Nous avons payé l'officier de liaison à la fin du mois.",
        "Le temps resta mauvais.",
        "L'officier de liaison accompagne chaque expédition.",
        "Le chemin était long.",
        f"{other} il rentra à Skardu.",
    ]
    ctx = dataclasses.replace(context(german, french, src_lang="de", tgt_lang="fr"), encoder=encoder)
    assert [(i.tgt, i.replaces, i.suggestion) for i in terms.check(ctx)] == [((4,), replaces, suggestion)]


def test_a_tie_in_a_name_suggests_the_rendering_the_dictionary_confirms(tmp_path, encoder):
    polish = [
        "Rozmawialiśmy z byłym ministrem kultury o teatrze.",
        "Pogoda była tego dnia bardzo zła.",
        "Były minister kultury mieszka teraz w Wilnie.",
    ]
    english = [
        "We spoke with the former General of Culture about the theatre.",
        "The weather was very bad that day.",
        "The former Minister of Culture now lives in Vilnius.",
    ]
    ctx = dataclasses.replace(context(polish, english), encoder=encoder)
    # without a dictionary the encoder decides: Minister of Culture is nearer ministrem kultury
    plain = terms.check(dataclasses.replace(ctx, options={"dictionary": False}))
    assert [(i.tgt, i.replaces, i.suggestion) for i in plain] == [((0,), None, "Minister of Culture")]
    confirmed = _with_dictionary(ctx, tmp_path, "pol-eng", {"minister": "minister", "kultura": "culture"})
    assert [(i.tgt, i.replaces, i.suggestion) for i in terms.check(confirmed)] == [
        ((0,), None, "Minister of Culture")]


def test_a_new_word_the_usual_sentence_holds_for_another_reason_is_still_a_change(tmp_path, encoder):
    polish = [
        "Były minister kultury mówi, że kilku generałów sprzeciwia się wojnie.",
        "Pogoda była tego dnia bardzo zła.",
        "Były minister kultury mieszka teraz w Wilnie.",
    ]
    english = [
        "The former Minister of Culture says that several generals oppose the war.",
        "The weather was very bad that day.",
        "The former General of Culture now lives in Vilnius.",
    ]
    ctx = dataclasses.replace(context(polish, english), encoder=encoder)
    # 'generals' stands in the usual sentence too: without a dictionary, the variant may be the
    # usual sentence's own way of putting it
    assert terms.check(dataclasses.replace(ctx, options={"dictionary": False})) == []
    # there it renders generałów, and no word of minister kultury
    ctx = _with_dictionary(ctx, tmp_path, "pol-eng", {"minister": "minister", "kultura": "culture", "generał": "general"})
    assert [(i.tgt, i.replaces, i.suggestion) for i in terms.check(ctx)] == [((2,), None, "Minister of Culture")]


@pytest.mark.parametrize("other", ["roupies hindoues", "roupies spéciales"])
def test_a_tie_in_an_ordinary_phrase_is_settled_by_the_dictionary(tmp_path, encoder, other):
    # hindoues: a synonym the encoder half vouches for; spéciales: a word that renders nothing
    # in the source, which the encoder puts far from the term
    german = [
        "Eine Abgabe von 3000 indischen Rupies ist zu entrichten.",
        "Das Wetter blieb den ganzen Tag schlecht.",
        "Der Offizier erhält monatlich 200 indische Rupies.",
    ]
    french = [
        f"Une taxe de 3000 {other} doit être versée.",
        "Le temps resta mauvais toute la journée.",
        "L'officier reçoit 200 roupies indiennes par mois.",
    ]
    ctx = dataclasses.replace(context(german, french, src_lang="de", tgt_lang="fr"), encoder=encoder)
    assert terms.check(dataclasses.replace(ctx, options={"dictionary": False})) == []  # too far for the encoder alone
    ctx = _with_dictionary(ctx, tmp_path, "deu-fra", {"indisch": "indien", "Rupie": "roupie"})
    assert [(i.tgt, i.replaces, i.suggestion) for i in terms.check(ctx)] == [((0,), None, "roupies indiennes")]


def test_a_word_the_rendering_shares_with_the_term_confirms_it_where_the_dictionary_is_silent(tmp_path, encoder):
    # the dictionary knows neu and offiziell but not Kote; cote is the same word
    german = [
        "Die neue offizielle Kote wurde 1955 ausgegeben.",
        "Das Wetter blieb den ganzen Tag schlecht.",
        "Die neue offizielle Kote ist noch nicht publiziert.",
    ]
    french = [
        "La nouvelle cote officielle fut publiée en 1955.",
        "Le temps resta mauvais toute la journée.",
        "La nouvelle cote centrale n'a pas encore été publiée.",
    ]
    ctx = dataclasses.replace(context(german, french, src_lang="de", tgt_lang="fr"), encoder=encoder)
    ctx = _with_dictionary(ctx, tmp_path, "deu-fra", {"neu": "nouveau", "offiziell": "officiel"})
    issues = terms.check(ctx)
    assert [(i.tgt, i.replaces, i.suggestion) for i in issues] == [((2,), None, "nouvelle cote officielle")]


def test_a_hyphenated_compound_holds_the_term_of_its_last_part(tmp_path, encoder):
    # grossen Alpen-Gipfel are grossen Gipfel of a kind: the two sentences share that term
    german = [
        "Die Karte zeigt die grossen Alpen-Gipfel mit ihren neuen Höhen.",
        "Das Wetter blieb den ganzen Tag schlecht.",
        "Alle grossen Gipfel der Gegend sind schon bestiegen worden.",
    ]
    french = [
        "La carte montre les grands sommets alpins avec leurs nouvelles altitudes.",
        "Le temps resta mauvais toute la journée.",
        "Tous les grands glaciers de la région ont déjà été gravis.",
    ]
    entries = {"groß": "grand", "Gipfel": "sommet, cime"}
    assert _findings(german, french, entries, tmp_path, encoder) == [((2,), None, "grands sommets")]


@pytest.mark.parametrize("first, second, expected", [
    ("francs suisses", "francs helvétiques", [((2,), None, "francs suisses")]),
    ("francs helvétiques", "francs suisses", [((0,), None, "francs suisses")]),
    ("francs suisses", "francs suisses", []),
])
def test_an_abbreviation_spelt_out_two_ways_is_reported_where_the_words_do_not_spell_it(
    tmp_path, encoder, first, second, expected
):
    # the encoder puts SFr. far from any spelling out, and no dictionary has it: the letters do
    german = [
        "Die Hütte kostet 40 SFr. für eine Nacht.",
        "Das Wetter blieb den ganzen Tag schlecht.",
        "Dem Träger zahlten wir 25 SFr. am Tag.",
    ]
    french = [
        f"Le refuge coûte 40 {first} pour une nuit.",
        "Le temps resta mauvais toute la journée.",
        f"Nous avons payé au porteur 25 {second} par jour.",
    ]
    assert _findings(german, french, {"Hütte": "cabane, refuge"}, tmp_path, encoder) == expected


def test_letters_spell_out_an_abbreviation_in_any_order():
    assert terms._spelled_out("SFr", ["francs", "suisses"]) and terms._spelled_out("SFr", ["Schweizer", "Franken"])
    assert terms._spelled_out("UE", ["European", "Union"])
    assert not terms._spelled_out("SFr", ["conseil", "suisses"])
    assert not terms._spelled_out("SFr", ["francs"])  # the S spells nothing
    assert not terms._spelled_out("NATO", ["North", "Atlantic", "Treaty", "Organisation", "forces"])
    assert terms._is_abbreviation("SFr") and terms._is_abbreviation("UE")
    assert not terms._is_abbreviation("II") and not terms._is_abbreviation("Berg")  # a numeral, a noun


# -- an English original, a Polish translation ----------------------------------------------------


def _en_pl(english: list[str], polish: list[str], encoder) -> list:
    ctx = dataclasses.replace(context(english, polish, src_lang="en", tgt_lang="pl"), encoder=encoder)
    return terms.check(ctx)


def test_polish_case_forms_of_one_rendering_are_one_rendering(encoder):
    # "cztery lata" and "sześciu lat": the forms the numeral asks for, of "rok"; and the words
    # beside "Komisja Europejska" (a verb, the next name) are no part of the term
    assert _en_pl(
        ["A court sentenced the mayor to four years in prison.", "The prosecutor had demanded six years in prison.",
         "The European Commission has proposed a loan programme.", "Tusk called on the European Commission to pay.",
         "The head of the European Commission, Ursula von der Leyen, will come in June."],
        ["Sąd skazał burmistrza na cztery lata więzienia.", "Prokurator żądał sześciu lat więzienia.",
         "Komisja Europejska zaproponowała program pożyczek.", "Tusk wezwał Komisję Europejską do wypłat.",
         "Szefowa Komisji Europejskiej Ursula von der Leyen przyjedzie w czerwcu."],
        encoder,
    ) == []


def test_a_suggestion_takes_the_case_of_the_sentence_it_goes_into(encoder):
    issues = _en_pl(
        ["The Ministry of Foreign Affairs said it would help.", "The Ministry of Foreign Affairs will prepare proposals.",
         "A spokesman for the Ministry of Foreign Affairs confirmed this."],
        ["Ministerstwo Spraw Zagranicznych zapowiedziało pomoc.", "Ministerstwo Spraw Zagranicznych przygotuje propozycje.",
         "Rzecznik Ministerstwa Spraw Zewnętrznych to potwierdził."],
        encoder,
    )
    assert [(i.tgt, i.replaces, i.suggestion) for i in issues] == [
        ((2,), "Ministerstwa Spraw Zewnętrznych", "Ministerstwa Spraw Zagranicznych")]  # genitive, as the text needs


# -- neighbours, shortened mentions and suggestions that would damage the text ---------------------


def test_a_verb_after_a_shortened_mention_is_no_changed_word(encoder):
    # "the clinic network" cut to "the clinic", with the verb after it: not "clinic network" changed
    polish = ["Budżet dla sieci przychodni rośnie wolniej niż płace.",
              "Sieć przychodni obejmuje cały region.",
              "Dyrektor chwali sieć przychodni.",
              "Sieć przychodni potrzebuje reformy."]
    english = ["The budget of the clinic grows more slowly than wages.",
               "The clinic network covers the whole region.",
               "The director praises the clinic network.",
               "The clinic network needs reform."]
    assert terms.check(dataclasses.replace(context(polish, english), encoder=encoder)) == []


def test_a_dropped_or_added_word_is_reported_but_never_as_an_exact_replacement():
    # "the clinic" for "the clinic network" may be a shortened mention, or an unrelated word in
    # a sentence that lost the term: the issue stays for a person, with no text for a fix to write
    polish = ["Sieć przychodni obejmuje region.", "Sieć przychodni potrzebuje reformy.", "Wczoraj sieć przychodni dostała pieniądze."]
    english = ["The clinic network covers the region.", "The clinic network needs reform.", "Yesterday the clinic received money."]
    ctx = context(polish, english)
    term = terms.SourceTerm(("sieć", "przychodnia"), (terms.Occurrence(0, "Sieć przychodni", 0.0),), False, 2)
    for how, surface in (("dropped", "clinic"), ("added", "local clinic network"), ("changed", "clinic chain")):
        issue = terms._reworded_issue(terms.Rewording(term, 2, surface, "clinic network", (0, 1), how), ctx)
        assert issue.suggestion == "clinic network"
        assert issue.replaces == (surface if how == "changed" else None)


@pytest.mark.parametrize("english", [
    pytest.param(["Judge Nowak spoke for an hour.", "The weather was bad.", "Judge Nowak's ruling surprised everyone."],
                 id="possessive-and-verb"),
    pytest.param(["The Central Statistical Office published data.", "The weather was bad.",
                  "A Central Statistical Office survey shows the same."], id="verb-and-noun"),
])
def test_lower_case_words_beside_a_name_are_no_part_of_its_rendering(encoder, english):
    polish = {
        "possessive-and-verb": ["Sędzia Nowak mówił przez godzinę.", "Pogoda była zła.",
                                "Wyrok sędziego Nowaka wszystkich zaskoczył."],
        "verb-and-noun": ["Główny Urząd Statystyczny opublikował dane.", "Pogoda była zła.",
                          "Badanie Głównego Urzędu Statystycznego pokazuje to samo."],
    }["possessive-and-verb" if "Judge" in english[0] else "verb-and-noun"]
    assert terms.check(dataclasses.replace(context(polish, english), encoder=encoder)) == []


def test_a_company_name_and_the_same_words_as_a_common_phrase_are_two_terms(encoder):
    polish = ["Rząd dokapitalizuje spółkę Polskie Kopalnie Miedzi.", "Pogoda była zła.",
              "Ceny są wysokie dla polskich kopalni od lat."]
    english = ["The government will recapitalise Polish Copper Mines.", "The weather was bad.",
               "Prices have been high for Polish mines for years."]
    assert terms.check(dataclasses.replace(context(polish, english), encoder=encoder)) == []


def test_a_suggestion_keeps_the_number_of_the_text_it_replaces():
    polish = ["Oddziały ratunkowe są przepełnione.", "Oddział ratunkowy przyjął stu pacjentów.",
              "Nasz oddział ratunkowy ma nowego szefa.", "Strata na oddziale ratunkowym wyniosła milion."]
    english = ["Emergency departments are overcrowded.", "The emergency department admitted a hundred patients.",
               "Our emergency department has a new head.", "The loss on the emergency ward came to a million."]
    issues = terms.check(context(polish, english))
    assert [(i.tgt, i.replaces, i.suggestion) for i in issues] == [((3,), "emergency ward", "emergency department")]
    assert not terms._same_number("emergency ward", "emergency departments", "en")


def test_a_word_added_to_the_usual_rendering_is_not_deleted_by_a_fix(encoder):
    # "sea" may render "morskie", which the other places leave out: deleting it is no exact fix
    polish = ["Morskie farmy wiatrowe dadzą dużo prądu.", "Zbudujemy morskie farmy wiatrowe.",
              "Morskie farmy wiatrowe są drogie.", "Bez linii morskie farmy wiatrowe nie ruszą."]
    english = ["Wind farms will give a lot of power.", "We will build wind farms.",
               "Wind farms are expensive.", "Without lines the sea wind farms will not start."]
    issues = terms.check(dataclasses.replace(context(polish, english), encoder=encoder))
    assert issues and all(i.replaces is None for i in issues if i.tgt == (3,))
