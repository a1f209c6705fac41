"""The meaning_shift checker, with the real bundled encoder (USE multilingual)."""

from __future__ import annotations

import random
from dataclasses import replace
from functools import lru_cache
from pathlib import Path

import pytest

from align.checks import meaning
from align.checks.base import CheckContext
from align.lexicon import Dictionary, Token, load_dictionary, word_spans
from align.opposites import find_opposites
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
    ("Rybacy wrócili do portu przed burzą.", "The fishermen returned to the harbour before the storm."),
    ("Wystawa potrwa do końca marca.", "The exhibition will run until the end of March."),
    ("Sąd uniewinnił dziennikarza.", "The court acquitted the journalist."),
    ("Studenci protestowali przed ministerstwem.", "Students protested in front of the ministry."),
]


@lru_cache(maxsize=1)
def encoder():
    from align.embed import UseEncoder

    return UseEncoder(threads=2)


def context(pairs: list[tuple[str, str]], langs: tuple[str, str] = ("pl", "en"), **options) -> CheckContext:
    source = Document("", langs[0], tuple(Segment(i, s) for i, (s, _) in enumerate(pairs)))
    target = Document("", langs[1], tuple(Segment(i, t) for i, (_, t) in enumerate(pairs)))
    beads = tuple(Bead((i,), (i,), 1.0) for i in range(len(pairs)))
    return CheckContext(Alignment(source, target, beads), encoder=encoder(), options=options)


def with_pair(index: int, english: str) -> list[tuple[str, str]]:
    pairs = list(PAIRS)
    pairs[index] = (pairs[index][0], english)
    return pairs


def reading(pairs: list[tuple[str, str]], index: int, **options) -> meaning.PairReading:
    return next(r for r in meaning.read_pairs(context(pairs, **options)) if r.bead.src == (index,))


def test_no_encoder_no_findings():
    assert meaning.check(replace(context(PAIRS), encoder=None)) == []


def z_of(pairs: list[tuple[str, str]], index: int, word: str) -> float:
    return next(w.z for w in reading(pairs, index, dictionary=False).target if w.token.text == word)


def test_a_wrong_word_scores_higher_than_the_right_one_even_without_a_dictionary():
    for index, wrong, right_word, wrong_word in [
        (5, "The police arrested a bicycle thief.", "car", "bicycle"),  # samochodów (cars)
        (8, "The gardener planted a hundred young roses in the park.", "oaks", "roses"),  # dębów (oaks)
    ]:
        assert z_of(with_pair(index, wrong), index, wrong_word) > z_of(PAIRS, index, right_word) + 1.0


def test_cognates_are_cleared_without_the_encoder_and_names_are_left_to_other_checkers():
    traktor = next(w for w in reading(PAIRS, 0, dictionary=False).source if w.token.text == "traktor")
    assert (traktor.cleared_by, traktor.counterpart.text) == ("cognate", "tractor")
    assert "Krakowa" not in {w.token.text for w in reading(PAIRS, 3).source}


def test_the_cognate_index_finds_the_word_a_full_scan_finds():
    rng = random.Random(7)

    def variant(word: str) -> str:  # a few random edits: many are still cognates, many not
        letters = list(word)
        for _ in range(rng.randrange(4)):
            k = rng.randrange(len(letters))
            edit = rng.choice(("substitute", "insert", "delete"))
            if edit == "substitute":
                letters[k] = rng.choice("abdeilmnorstu")
            elif edit == "insert":
                letters.insert(k, rng.choice("abdeilmnorstu"))
            elif len(letters) > 4:
                del letters[k]
        return "".join(letters)

    stems = ["".join(rng.choice("abdeilmnorstu") for _ in range(rng.randrange(4, 19))) for _ in range(60)]
    found = 0
    for _ in range(300):
        words = [variant(rng.choice(stems)) for _ in range(12)]
        others = meaning._Counterparts.of([(w, w, 0, len(w)) for w in words], [], meaning._WordKeys("en"))
        for word in [variant(rng.choice(stems)) for _ in range(8)]:
            key = meaning.name_key(word, "en")
            if len(key) < 4:
                continue
            scanned = next((other for other, other_key in others.keyed if meaning.cognate_keys(key, other_key)), None)
            assert others.first_cognate(key) == scanned, (key, [k for _, k in others.keyed])
            found += scanned is not None
    assert found > 100  # the words compared include many cognates


def test_negation_on_one_side_only_is_noticed():
    negated = reading(with_pair(14, "The court did not acquit the journalist."), 14, dictionary=False)
    assert negated.negation_differs
    assert not reading(PAIRS, 14).negation_differs


@pytest.mark.parametrize("lang, text, negated", [
    # literary French drops the "pas" after pouvoir, savoir, oser, cesser
    ("fr", "Ils ne purent aller jusqu'au sommet.", True),
    ("fr", "Il ne cessa de neiger pendant dix jours.", True),
    ("fr", "Ils ne savaient où aller.", True),
    # ... but "ne ... que" is "only"
    ("fr", "Le vol ne peut être tenté que par beau temps.", False),
    ("fr", "Il ne reste plus que quatre sommets à gravir.", False),
    ("fr", "Ce ne sont que des pas dans la neige.", False),
    # elliptic negations, and a "pas" that is a step
    ("fr", "Rien de nouveau à signaler.", True),
    ("fr", "Pas question de suivre la route anglaise.", True),
    ("fr", "Des pieds non déformés par les chaussures.", True),
    ("fr", "Un sommet voisin. Aucun autre n'a été gravi.", True),
    ("fr", "Nulle part elle n'avait marché à quatre pattes.", True),
    ("fr", "Il ne faut les gêner en aucune manière.", True),
    ("fr", "Chaque « pas » avait cinq orteils.", False),
    # idioms and litotes whose negation word negates nothing
    ("fr", "Ce n'est là, il va sans dire, qu'un argument.", False),
    ("fr", "Il viendra sans doute demain.", False),
    ("fr", "Cela ne manque pas de créer des difficultés.", False),
    ("fr", "Le village se trouve non loin de Gilgit.", False),
    ("fr", "Avant qu'aucune ne soit publiée.", False),
    ("de", "Das verringerte das Gewicht nicht unerheblich.", False),
    ("de", "Er kam nicht nur zu Fuss.", False),
    ("de", "Das war nicht unbedingt nötig.", True),
    ("de", "Dafür reichte die Zeit keinesfalls aus.", True),
    ("de", "Nirgends hatte es sich auf allen Vieren bewegt.", True),
    ("de", "Reicht das zum Leben? Nein.", True),  # as French "Non."
    ("de", "Die Vorlage erhielt 53,7 Prozent Nein-Stimmen.", True),  # as "53,7 % de non"
    ("fr", "Le feu était fixé, mais pas encore éteint.", True),
    ("fr", "La tendance n'en est pas moins claire.", False),  # nevertheless
    ("en", "It was not only cold but wet.", False),
    ("en", "See the Alpine Journal, No. 293.", False),
    ("en", "The result is not unexpected.", False),
    ("en", "They were not under attack.", True),
    ("en", "The money went nowhere.", True),
    ("pl", "Nie tylko rząd, ale i opozycja.", False),
    ("pl", "To nie bez znaczenia.", False),
    ("pl", "Nigdzie indziej.", True),
    ("en", "Firefighters did not put out the blaze until morning.", False),  # only then: "dopiero"
    ("en", "Unless the coalition agrees, the budget falls.", True),  # if not: "jeśli ... nie"
    ("pl", "Chyba że koalicja się zgodzi.", True),
    ("pl", "Stopy procentowe bez zmian.", False),  # "without" is soft, below
    # the "nie" after "dopóki" and "zanim" is no negation ("until"); the main clause's is
    ("pl", "Pielęgniarki będą strajkować, dopóki szpital nie podniesie płac.", False),
    ("pl", "Pociągi stoją, dopóki nie usuną drzewa z torów.", False),
    ("pl", "Nie wyjdziemy z domu, zanim nie skończy się burza.", True),
    ("pl", "Dopóki trwa burza, statki nie wypłyną z portu.", True),
])
def test_negations_are_read_by_the_grammar_of_each_language(lang, text, negated):
    assert (meaning._negations(text, lang).clear > 0) is negated


@pytest.mark.parametrize("source, target, differs", [
    ("Rada pozostawiła stopy bez zmian.", "The council left rates unchanged.", False),
    ("Zachód nie dostrzega, że to łatwe.", "The West acts without noticing that it is easy.", False),
    ("Problem wynika z przepisów, a nie z zaniedbań.", "He blamed the rules rather than negligence.", False),
    ("To byłoby nie do pomyślenia.", "That would have been unthinkable.", False),
    ("Sąd nie uniewinnił dziennikarza.", "The court acquitted the journalist.", True),
    ("Sąd uniewinnił dziennikarza.", "The court did not acquit the journalist.", True),
])
def test_without_answers_a_negation_but_never_negates_a_side_alone(source, target, differs):
    negation = (meaning._negations(source, "pl"), meaning._negations(target, "en"))
    reading = meaning.PairReading(None, source, target, (), (), negation)
    assert reading.negation_differs is differs


def test_out_of_the_question_answers_a_german_negation():
    german, french = "Ein Verkauf kam nicht in Frage.", "Il était hors de question de vendre."
    negation = (meaning._negations(german, "de"), meaning._negations(french, "fr"))
    assert not meaning.PairReading(None, german, french, (), (), negation).negation_differs


def en_pl_reading(english: str, polish: str) -> meaning.PairReading:
    """An English sentence and its Polish translation read for negations and opposite senses."""
    opposites = find_opposites(word_spans(english, "en"), word_spans(polish, "pl"), "en", "pl")
    negation = (meaning._negations(english, "en"), meaning._negations(polish, "pl"))
    return meaning.PairReading(None, english, polish, (), (), negation, opposites=tuple(opposites))


@pytest.mark.parametrize("english, polish, differs", [
    # a verb that means a negation answers the translation's "nie"
    ("The mayor refused to sign the contract.", "Burmistrz nie chciał podpisać umowy.", False),
    ("The driver failed to stop at the crossing.", "Kierowca nie zatrzymał się na przejściu.", False),
    ("The council has yet to approve the budget.", "Rada jeszcze nie zatwierdziła budżetu.", False),
    ("The headmaster ignored the parents' letter.", "Dyrektor nie odpowiedział na list rodziców.", False),
    ("Two judges disagreed with the verdict.", "Dwóch sędziów nie zgodziło się z wyrokiem.", False),
    ("The club declined to name the new coach.", "Klub nie chciał podać nazwiska nowego trenera.", False),
    ("The village lacks a doctor.", "We wsi nie ma lekarza.", False),
    ("The ministry denied the talks.", "Ministerstwo nie potwierdziło rozmów.", False),
    # ... and the Polish words that mean one answer an English "not"
    ("There were no witnesses.", "Brak było świadków.", False),
    ("He would not answer the questions.", "Odmówił odpowiedzi na pytania.", False),
    # "not ... until" answers the main clause's "nie" of "nie ... dopóki nie"
    ("The school will not open the gym until the inspectors approve it.",
     "Szkoła nie otworzy sali, dopóki inspektorzy jej nie zatwierdzą.", False),
    ("The bridge stays closed to lorries until the engineers finish.",
     "Most pozostanie zamknięty dla ciężarówek, dopóki inżynierowie nie skończą.", False),
    # real flips are still seen, a lost "nie" beside a "dopóki ... nie" too
    ("The driver did not stop at the crossing.", "Kierowca zatrzymał się na przejściu.", True),
    ("The council approved the budget.", "Rada nie zatwierdziła budżetu.", True),
    ("The city would not reopen the old stone bridge over the river until the engineers finish.",
     "Miasto otworzy ponownie stary kamienny most na rzece, dopóki inżynierowie nie skończą.", True),
    # words that only look like such verbs
    ("The discussion lasted two hours.", "Dyskusja nie trwała dwóch godzin.", True),
    ("Prices declined by two percent.", "Ceny nie spadły o dwa procent.", True),
])
def test_a_word_that_means_a_negation_answers_one_but_never_negates_a_side_alone(english, polish, differs):
    assert en_pl_reading(english, polish).negation_differs is differs


def test_an_opposite_under_a_lexical_negation_is_a_rewording():
    # 'refused' (reject) against 'nie przyjął' (accept, negated): the two turns cancel
    reading = en_pl_reading("The board refused the offer.", "Zarząd nie przyjął oferty.")
    assert reading.opposites and not reading.negation_differs
    assert reading.turned is None
    assert en_pl_reading("The board refused the offer.", "Zarząd przyjął ofertę.").turned


def test_a_lexical_negation_rendered_with_nie_is_not_reported():
    # one negation in a document that otherwise keeps its negations would be reported by itself
    pairs = [(english, polish) for polish, english in PAIRS]
    pairs.append(("The minister refused to comment on the strike.", "Minister nie chciał komentować strajku."))
    assert all(i.src != (len(PAIRS),) for i in meaning.check(context(pairs, ("en", "pl"), dictionary=False)))


def test_a_lone_negation_on_one_side_is_reported_where_the_translation_keeps_its_negations():
    pairs = with_pair(14, "The court did not acquit the journalist.")
    issues = meaning.check(context(pairs, dictionary=False))
    assert [i.src for i in issues] == [(14,)]
    assert "only the translation is negated" in issues[0].evidence


def test_negation_is_only_evidence_where_the_translator_rewords_negations_freely():
    pairs = with_pair(14, "The court did not acquit the journalist.")
    reworded = {5: "The police did not let a car thief get away.", 13: "The exhibition will not close before the end of March.",
                3: "The train to Kraków did not leave on time."}
    one = meaning.read_pairs(context(pairs, dictionary=False))
    for index, english in reworded.items():
        pairs[index] = (pairs[index][0], english)
    several = meaning.read_pairs(context(pairs, dictionary=False))
    assert sum(r.negation_differs for r in several) == 4
    assert meaning._negation_is_rare(one) and not meaning._negation_is_rare(several)


@needs_dictionary
def test_clear_mistranslation_is_the_top_pair_and_reads_with_both_sides_and_a_rendering():
    # In a 16-pair document the word scores are too few to clear FLAG_SCORE (calibrated on whole
    # documents, see bench/qa_meaning.py), so this checks the ranking and the report it would make.
    ctx = context(with_pair(5, "The police arrested a bicycle thief."))
    top = max(meaning.read_pairs(ctx), key=lambda r: r.score)
    issue = meaning._issue(top, ctx.dictionary())
    assert (issue.kind, issue.severity, issue.src, issue.tgt) == ("meaning_shift", Severity.MEDIUM, (5,), (5,))
    assert issue.message == ("Possible change of meaning: 'samochodów' has no clear counterpart in the "
                             "translation; the translation says 'bicycle'")
    assert issue.evidence == ("source: samochodów", "translation: bicycle")
    assert "car" in issue.suggestion


@needs_dictionary
def test_faithful_paraphrases_are_not_flagged():
    assert meaning.check(context(PAIRS)) == []


@needs_dictionary
def test_a_phrase_replaced_is_the_top_pair_and_reported_as_a_phrase():
    ctx = context(with_pair(8, "The gardener planted a hundred red tulips in the park."))
    top = max(meaning.read_pairs(ctx), key=lambda r: r.score)
    assert top.bead.src == (8,)
    assert "the translation says 'red tulips'" in meaning._issue(top, None).message


def test_an_opposite_sense_is_reported_by_itself_with_the_words_and_a_rendering():
    # The encoder puts 'old' next to 'new', so no word score would single this pair out.
    issues = meaning.check(context(with_pair(0, "Last week the farmer bought an old tractor."), dictionary=False))
    assert [(i.src, i.tgt) for i in issues] == [((0,), (0,))]
    assert issues[0].message == "Possible change of meaning: the source says 'nowy' (new), the translation says 'old'"
    assert "sense: 'nowy' (new) -> 'old'" in issues[0].evidence
    assert issues[0].suggestion == "Check the rendering of 'nowy': new"


def test_an_opposite_under_a_negation_on_one_side_is_a_rewording():
    pairs = with_pair(8, "The gardener planted a hundred oaks in the park, none of them old.")
    assert reading(pairs, 8, dictionary=False).opposites  # 'młodych' and 'old', one side negated
    assert reading(pairs, 8, dictionary=False).turned is None
    assert reading(with_pair(8, "The gardener planted a hundred old oaks in the park."), 8, dictionary=False).turned


def test_a_name_swapped_for_another_is_reported_with_both_names_and_the_usual_rendering():
    pairs = [
        ("Łukaszenka przyjechał do Mińska w poniedziałek.", "Lukashenko came to Minsk on Monday."),
        ("Władze Kijowa milczą.", "The authorities in Kyiv are silent."),
        ("Wieczorem Łukaszenka wyjechał z Mińska.", "In the evening Lukashenko left Kyiv."),
        ("Zełenski wrócił do Kijowa.", "Zelensky returned to Kyiv."),
    ] + PAIRS
    issues = meaning.check(context(pairs, dictionary=False))
    assert [i.src for i in issues] == [(2,)]
    assert issues[0].message == ("Possible change of meaning: the source names 'Mińska' (rendered 'Minsk' elsewhere), "
                                 "but the translation says 'Kyiv' (the rendering of 'Kijowa' elsewhere)")
    assert "name: Mińska -> Kyiv" in issues[0].evidence
    assert issues[0].suggestion == "Check the name: Minsk"


def test_a_word_moved_into_the_next_sentence_is_noticed():
    source = Document("", "pl", (Segment(0, "Walczy o swój polityczny, choćby prowizoryczny byt, bo jest słaby."),))
    target = Document("", "en", (Segment(0, "He fights for his political existence."),
                                 Segment(1, "Even temporarily, because he is weak.")))
    ctx = CheckContext(Alignment(source, target, (Bead((0,), (0, 1), 1.0),)), encoder=encoder())
    moved = meaning._moved(meaning.read_pairs(ctx)[0].source, meaning._sentence_starts(target.segments, (0, 1)), "en")
    if HAS_DICTIONARY:
        assert moved and moved.word.text == "prowizoryczny" and moved.rendering.text == "temporarily"
    else:
        assert moved is None  # without a dictionary the renderings are not known


# --- the demo pair, end to end against its gold alignment ------------------------------------

DEMO = Path(__file__).resolve().parents[1] / "corpora" / "latushka-interia"
DEMO_FINDINGS = {  # source anchor -> translation anchor (expected.json)
    "pod protektorat Rosji": "ceded, for example, to Russia",
    "ręcznych wyrzutni rakiet": "hand grenades",
    "prowizoryczny byt": "Even temporarily",
}


@lru_cache(maxsize=1)
def demo_context() -> CheckContext:
    from align.evaluate import read_alignment
    from align.segment import segment

    pl = (DEMO / "pl.txt").read_text(encoding="utf-8")
    en = (DEMO / "en.txt").read_text(encoding="utf-8")
    beads = tuple(Bead(s, t, 1.0) for s, t in read_alignment(DEMO / "gold.txt"))
    alignment = Alignment(Document(pl, "pl", segment(pl, "pl")), Document(en, "en", segment(en, "en")), beads)
    return CheckContext(alignment, encoder=encoder())


def _texts(ctx: CheckContext, issue) -> tuple[str, str]:
    return (" ".join(ctx.source.texts[i] for i in issue.src), " ".join(ctx.target.texts[i] for i in issue.tgt))


@needs_dictionary
@pytest.mark.skipif(not (DEMO / "gold.txt").exists(), reason="demo gold alignment missing")
def test_demo_pair_three_findings_within_the_false_alarm_budget():
    ctx = demo_context()
    issues = meaning.check(ctx)
    texts = [_texts(ctx, i) for i in issues]
    for source_anchor, target_anchor in DEMO_FINDINGS.items():
        assert any(source_anchor in s and target_anchor in t for s, t in texts), source_anchor
    assert len(issues) <= len(DEMO_FINDINGS) + 3
    assert all(i.kind == "meaning_shift" and i.severity == Severity.MEDIUM for i in issues)
    rockets = next(i for i, (s, _) in zip(issues, texts) if "wyrzutni" in s)
    assert "wyrzutni rakiet" in rockets.message and "grenades" in rockets.message
    # the dictionary's senses of rakieta, nearest first: a rocket, not a flare or a racket
    assert rockets.suggestion.startswith("Check the rendering of 'rakiet': rocket")


@pytest.mark.skipif(not (DEMO / "gold.txt").exists(), reason="demo gold alignment missing")
def test_demo_pair_without_dictionary_stays_quiet():
    ctx = replace(demo_context(), options={"dictionary": False})
    issues = meaning.check(ctx)
    pairs = [b for b in ctx.beads if b.src and b.tgt]
    assert len(issues) <= round(meaning.MAX_SHARE * len(pairs))


def _reading(text: str, isolated: float, in_context: float = 0.0, cleared: str | None = None):
    from align.lexicon import Token

    return meaning.WordReading(Token(text, text, 0, len(text)), cleared, isolated=isolated, in_context=in_context)


def test_a_long_document_gets_the_in_context_view_for_its_least_matched_pairs_only():
    n = meaning.CONTEXT_PAIRS * 2  # a tenth of the pairs would be fewer than CONTEXT_PAIRS
    # pair k's open words match their best counterpart with cosine k / n: the low k are worst
    source = [[_reading("słowo", k / n), _reading("jasne", 0.0, cleared="same")] for k in range(n)]
    target = [[_reading("word", k / n)] for k in range(n)]
    chosen = meaning._context_pairs(source, target)
    assert chosen == list(range(meaning.CONTEXT_PAIRS))
    short = meaning._context_pairs(source[:50], target[:50])
    assert short == list(range(50))  # a short document: every pair
    book = meaning.CONTEXT_PAIRS * 20  # a book: a tenth of its pairs
    source = [[_reading("słowo", k / book)] for k in range(book)]
    target = [[_reading("word", k / book)] for k in range(book)]
    assert meaning._context_pairs(source, target) == list(range(book // 10))


def test_pairs_without_the_in_context_view_get_the_typical_cosine():
    readings = [[_reading("a", 0.5, in_context=0.2)], [_reading("b", 0.5, in_context=0.4)],
                [_reading("c", 0.5, in_context=0.6)], [_reading("d", 0.5), _reading("e", 0.9, cleared="same")]]
    before = [list(words) for words in readings]
    meaning._typical_context(readings, chosen=[0, 1, 2])  # in place
    assert readings[:3] == before[:3]
    assert readings[3][0].in_context == pytest.approx(0.4)
    assert readings[3][1] == before[3][1]  # cleared words are left alone


# "rząd" rendered "government" in six pairs: the document's own record of the word
GOVERNMENT = [
    ("Rząd przyjął nową ustawę o szkołach.", "The government adopted a new law on schools."),
    ("Opozycja skrytykowała rząd za wysokie ceny.", "The opposition criticised the government for high prices."),
    ("Rząd obiecał nowe drogi na wschodzie kraju.", "The government promised new roads in the east of the country."),
    ("Rolnicy domagają się od rządu pomocy po suszy.", "Farmers demand help from the government after the drought."),
    ("Rząd zbierze się w czwartek.", "The government will meet on Thursday."),
    ("Dziennikarze pytali rząd o budżet.", "Journalists asked the government about the budget."),
]
TAXES = ("Rząd ogłosił wczoraj nowe podatki dla firm.", "Yesterday parliament announced new taxes for companies.")


def test_a_word_rendered_in_every_other_pair_but_not_here_raises_the_pair():
    consistent = PAIRS + GOVERNMENT + [TAXES]
    ctx = context(consistent, dictionary=False)  # the six pairs teach rząd = government
    shifted = meaning.read_pairs(ctx)[-1]
    assert (shifted.most_unexpected.token.text, shifted.most_unexpected.usual) == ("Rząd", (6, 6))
    [issue] = [i for i in meaning.check(ctx) if i.src == (len(consistent) - 1,)]
    assert "'Rząd' has a counterpart in 6 of the 6 other pairs with it" in issue.evidence
    # a translator who renders the word freely (three of six pairs) makes its miss here no surprise
    others = iter(["cabinet", "ministers", "authorities"])
    free = [(pl, en.replace("government", next(others))) if k % 2 else (pl, en) for k, (pl, en) in enumerate(GOVERNMENT)]
    loose = meaning.read_pairs(context(PAIRS + free + [TAXES], dictionary=False))[-1]
    assert loose.most_unexpected.unexpected == 0
    assert loose.score < shifted.score


def english_polish(renderings: dict[str, list[str]], polish: list[str]) -> Dictionary:
    """A small English-Polish dictionary: ``renderings`` by English lemma, and the Polish lemmas it knows."""
    return Dictionary("en", "pl", {k: "\t".join(v) for k, v in renderings.items()}, dict.fromkeys(polish, "x"))


def test_a_suggestion_holds_only_renderings_a_translator_could_write():
    # FreeDict's sense numbers, markup and examples, and phrases with an English word in them
    dictionary = english_polish(
        {"office": ["*be in/hold* office ([be v: :in | hold v:] :office)", "take office", "1. biuro", "urząd",
                    "the military wojsko"], "take": ["brać"], "military": ["wojskowy"]},
        ["biuro", "urząd", "brać", "wojsko", "wojskowy"])
    office = Token("office", "office", 0, 6)
    assert meaning._ranked_renderings(office, dictionary, None) == ["biuro", "urząd"]


def test_a_suggestion_puts_renderings_of_the_words_part_of_speech_first():
    # shortest first without an encoder; then a verb's form gets Polish infinitives first, a plural the rest
    dictionary = english_polish({"scramble": ["gramolenie", "mieszać", "gramolić się", "walka"],
                                 "jet": ["latać odrzutowcami", "odrzutowiec", "dżet"]}, [])
    def ranked(text: str, base: str) -> list[str]:
        return meaning._ranked_renderings(Token(text, base, 0, len(text)), dictionary, None)

    assert ranked("scrambled", "scramble") == ["mieszać", "gramolić się", "walka", "gramolenie"]
    assert ranked("scramble", "scramble") == ["walka", "mieszać", "gramolenie", "gramolić się"]
    assert ranked("jets", "jet") == ["dżet", "odrzutowiec", "latać odrzutowcami"]


@needs_dictionary
def test_freedict_suggestions_for_an_english_word_are_polish():
    dictionary = load_dictionary("en", "pl")
    renderings = meaning._ranked_renderings(Token("office", "office", 0, 6), dictionary, encoder())
    assert "urząd" in renderings
    assert not [r for r in renderings if "office" in r or "*" in r or "/" in r]


@needs_dictionary
def test_a_function_word_of_the_dictionary_clears_no_word_it_begins():
    """'with' renders the preposition 'przy', which begins 'przyjechał' (arrived): no counterpart."""
    pairs = list(PAIRS)
    pairs[3] = ("Pociąg przyjechał do Krakowa z dużym opóźnieniem.", "The train left for Kraków with a long delay.")
    arrived = next(w for w in reading(pairs, 3).source if w.token.text == "przyjechał")
    assert arrived.cleared_by is None


def test_a_pair_of_thousands_of_words_is_read_without_the_costly_in_context_view(monkeypatch):
    # The in-context view encodes a sentence once per word; a text without punctuation is one
    # "sentence" of thousands of words, so such a pair gets the document's typical view instead.
    words = "rolnik kupił nowy traktor szkoła most rzeka pociąg lekarz policja".split()
    huge = " ".join(words[k % len(words)] for k in range(1200))
    pairs = list(PAIRS) + [(huge, "The farmer bought a new tractor.")]
    edited: list[str] = []
    real = meaning.edit_encoder

    def recording(encoder):
        encode = real(encoder)
        return lambda sentences, edits: (edited.extend(text for _, text in edits), encode(sentences, edits))[1]

    monkeypatch.setattr(meaning, "edit_encoder", recording)
    readings = meaning.read_pairs(context(pairs, dictionary=False))
    assert len(readings) == len(pairs)
    assert edited and max(map(len, edited)) <= meaning.CONTEXT_MAX_CHARS


def test_numbers_written_as_words_are_left_to_the_number_check():
    # "pół roku" -> "six months" is a conversion, not a lost word; ordinals stay words
    assert not meaning._may_change_meaning("six", "six", "en", False)
    assert not meaning._may_change_meaning("pół", "pół", "pl", False)
    assert meaning._may_change_meaning("army", "army", "en", False)


def test_a_function_word_is_never_a_moved_rendering():
    # "einzigartige" read as rendered by "des" (lemma "un") across a sentence break is no move
    def word(text, start, counterpart, at):
        return meaning.WordReading(Token(text, text, start, start + len(text)), "dictionary",
                                   Token(counterpart, counterpart, at, at + len(counterpart)))

    for middle, moved in (("des", None), ("unique", "unique")):
        source = [word("ganz", 0, "entière", 40), word("einzigartige", 5, middle, 3), word("Tal", 18, "vallée", 50)]
        found = meaning._moved(source, [30], "fr")
        assert (found and found.rendering.text) == moved


def test_a_sense_turned_round_is_reported_before_a_lone_negation():
    # one report for a short document: the table's finding (east -> west) goes before a negation
    # on one side only, which translators also write lexically ("nie działają" -> "out of order")
    from align.opposites import Opposite

    def reading(k, negation=(meaning.Negations(0, 0),) * 2, opposites=()):
        return meaning.PairReading(Bead((k,), (k,), 0.9), "", "", (), (), negation, opposites=opposites)

    turned = reading(1, opposites=(Opposite("wschodniej", "west", "east", "west", "east"),))
    negated = reading(2, negation=(meaning.Negations(1, 0), meaning.Negations(0, 0)))
    quiet = [reading(k) for k in range(3, 12)]
    assert meaning.outliers([negated, turned, *quiet]) == [turned]


@pytest.mark.parametrize("polish, english, differs", [
    # "not enough", "not much", "not many" say "too little" as often as they negate
    ("Rodzice mówią, że to za mało.", "The parents say that is not enough.", False),
    ("Zostało niewiele czasu do wyborów.", "There is not much time left before the election.", False),
    ("Na spotkanie przyszło mało osób.", "Not many people came to the meeting.", False),
    ("Pieniędzy nie wystarczy na remont.", "The money isn't enough for the repairs.", False),
    # ... and a clear negation beside them still counts
    ("Nie mamy wielu lekarzy.", "We have many doctors.", True),
    # "unfortunately" judges a clause and negates nothing: a negation turned round is seen
    ("Na szczęście nikt nie zginął w pożarze.", "Unfortunately, two people died in the fire.", True),
    ("Na szczęście nikt nie zginął w pożarze.", "Fortunately, nobody died in the fire.", False),
    ("Niestety pociąg nie przyjechał.", "Unfortunately, the train did not arrive.", False),
])
def test_quantities_and_judgements_are_no_negations(polish, english, differs):
    negation = (meaning._negations(polish, "pl"), meaning._negations(english, "en"))
    assert meaning.PairReading(None, polish, english, (), (), negation).negation_differs is differs


def test_a_form_of_a_light_word_is_light_under_any_reading():
    # 'mamy' is 'we have' (mieć) far more often than 'mothers', the lemmatiser's reading
    assert not meaning._may_change_meaning("mamy", "mama", "pl", False)
    assert meaning._may_change_meaning("mamie", "mama", "pl", False)


@needs_dictionary
def test_a_form_with_two_readings_has_a_counterpart_under_either_and_no_suggestion():
    # 'do rana' is 'until morning' (rano), not the wound the lemmatiser reads
    pairs = list(PAIRS)
    pairs[13] = ("Wystawa potrwa do rana.", "The exhibition will run until morning.")
    word = next(w for w in reading(pairs, 13).source if w.token.text == "rana")
    assert word.cleared_by == "dictionary" and word.counterpart.text == "morning"
    pairs[13] = ("Wystawa potrwa do rana.", "The exhibition will run until the wound.")
    mistaken = meaning.PairReading(Bead((13,), (13,), 1.0), pairs[13][0], pairs[13][1],
                                   (meaning.WordReading(Token("rana", "rana", 17, 21), None, z=3.0),), (),
                                   (meaning.Negations(0, 0),) * 2)
    assert meaning._issue(mistaken, load_dictionary("pl", "en"), encoder()).suggestion is None


@needs_dictionary
def test_a_suggestion_drops_freedict_slips():
    # a homograph's number with its full stop, two senses run together, a word English does not know
    dictionary = Dictionary("pl", "en", {"pozyskiwać": "win 2.", "niewiele": "not much little\ta few",
                                         "odejście": "congeeing\tdeparture"}, {})
    def ranked(word: str) -> list[str]:
        return meaning._ranked_renderings(Token(word, word, 0, len(word)), dictionary, None)

    assert ranked("pozyskiwać") == ["win"]
    assert ranked("niewiele") == ["a few", "not much"]
    assert ranked("odejście") == ["departure"]


def test_a_pronoun_is_no_content_word():
    # Polish 'was' (you, lemma 'wy') is no word a translation must render ('u was' -> 'in your hospital')
    assert not meaning._may_change_meaning("was", "wy", "pl", False)


def test_a_lone_negation_is_named_and_no_word_around_it_is_blamed():
    # the message quotes the negation, not an unrelated open word, and suggests no rendering
    pairs = with_pair(14, "The court did not acquit the journalist, the judges said.")
    issues = meaning.check(context(pairs))
    assert [i.src for i in issues] == [(14,)]
    assert issues[0].message == "Possible change of meaning: only the translation is negated ('not')"
    assert issues[0].suggestion is None
