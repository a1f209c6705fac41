from pathlib import Path

import pytest

from align.errors import LanguageError
from align.language import DETECTABLE, detect_language, detect_languages, language_name, resolve_languages

DATA = Path(__file__).parent / "data" / "input"

# Our own sentences: two or three of everyday prose per language.
SAMPLES = {
    "pl": "Stary młyn stoi nad rzeką od ponad stu lat. Nasza sąsiadka hoduje pomidory na balkonie, "
    "a wieczorem czyta wnukom bajki o smokach.",
    "en": "The old mill has stood by the river for more than a hundred years. Our neighbour grows "
    "tomatoes on her balcony and reads stories about dragons to her grandchildren in the evening.",
    "de": "Die alte Mühle steht seit über hundert Jahren am Fluss. Unsere Nachbarin zieht Tomaten auf "
    "ihrem Balkon und liest ihren Enkeln abends Geschichten über Drachen vor.",
    "fr": "Le vieux moulin se dresse au bord de la rivière depuis plus de cent ans. Notre voisine "
    "cultive des tomates sur son balcon et lit le soir des histoires de dragons à ses petits-enfants.",
    "uk": "Старий млин стоїть біля річки вже понад сто років. Наша сусідка вирощує помідори на "
    "балконі, а ввечері читає онукам казки про драконів.",
    "ru": "Старая мельница стоит у реки уже больше ста лет. Наша соседка выращивает помидоры на "
    "балконе, а вечером читает внукам сказки о драконах.",
    "cs": "Starý mlýn stojí u řeky už více než sto let. Naše sousedka pěstuje na balkoně rajčata "
    "a večer čte vnoučatům pohádky o dracích.",
}


@pytest.mark.parametrize("code", sorted(SAMPLES))
def test_detects_the_language_of_everyday_prose(code):
    assert detect_language(SAMPLES[code]) == code


@pytest.mark.parametrize(
    "sentence",
    [
        SAMPLES["uk"],
        "Вчора ввечері ми довго гуляли парком і розмовляли про нову роботу.",
        "Їжак знайшов у траві яблуко й поніс його до своєї нори.",
    ],
)
def test_ukrainian_is_not_taken_for_polish_or_russian(sentence):
    assert detect_language(sentence) == "uk"


def test_detects_the_demo_fixtures():
    assert detect_language((DATA / "pl_utf8.txt").read_text(encoding="utf-8")) == "pl"
    assert detect_language((DATA / "en_utf8.txt").read_text(encoding="utf-8")) == "en"


@pytest.mark.parametrize("text", ["", "   ", "12 345, 678.", "OK", "John Smith", "— 10:45 —"])
def test_unsure_on_text_without_enough_letters(text):
    assert detect_language(text) is None


def test_several_texts_detected_at_once_keep_their_order():
    texts = [SAMPLES["de"], "12:45 !!", SAMPLES["pl"], SAMPLES["fr"], ""]
    assert detect_languages(texts) == ["de", None, "pl", "fr", None]
    assert detect_languages([]) == []


def test_detection_reads_the_start_of_a_long_text():
    text = SAMPLES["pl"] * 40 + SAMPLES["en"] * 400  # English is the bulk, but not the start
    assert detect_language(text) == "pl"


def test_detectable_languages_include_the_bundled_encoders():
    assert set("ar de en es fr it ja ko nl pl pt ru th tr zh uk be cs sk".split()) <= DETECTABLE


def test_language_names():
    assert language_name("pl") == "Polish"
    assert language_name("uk") == "Ukrainian"


# --- resolve_languages ---------------------------------------------------------------------


def test_missing_codes_are_detected():
    assert resolve_languages(SAMPLES["pl"], SAMPLES["en"], None, None, None) == ("pl", "en", [])


def test_explicit_codes_override_detection():
    src, tgt, warnings = resolve_languages(SAMPLES["pl"], SAMPLES["en"], "cs", "DE", None)
    assert (src, tgt, warnings) == ("cs", "de", [])


def test_explicit_code_on_one_side_only():
    assert resolve_languages(SAMPLES["pl"], SAMPLES["fr"], "pl", None, None)[:2] == ("pl", "fr")


def test_a_given_code_that_the_text_contradicts_is_warned_about():
    german, english = " ".join([SAMPLES["de"]] * 3), " ".join([SAMPLES["en"]] * 3)
    src, tgt, warnings = resolve_languages(german, english, "pl", "en", None)
    assert (src, tgt) == ("pl", "en")  # the user's word stands
    assert warnings == ["the source text was given as Polish (pl) but reads as German (de): check --src-lang"]
    assert resolve_languages(" ".join([SAMPLES["pl"]] * 3), english, "pl", "en", None)[2] == []


def test_a_short_text_or_a_language_the_detector_does_not_know_is_taken_at_its_word():
    assert resolve_languages(SAMPLES["de"], SAMPLES["en"], "pl", None, None)[2] == []  # too short to trust
    # Irish is no language the detector chooses among, so it cannot say the text is not Irish
    assert resolve_languages(" ".join([SAMPLES["pl"]] * 3), SAMPLES["en"], "ga", None, None)[2] == []


@pytest.mark.parametrize("code", ["xx", "pol", "p1", "", "en-GB", "qq"])
def test_unknown_codes_are_refused(code):
    with pytest.raises(LanguageError, match="--src-lang"):
        resolve_languages(SAMPLES["pl"], SAMPLES["en"], code, None, None)


def test_undetectable_side_asks_for_the_flag():
    with pytest.raises(LanguageError, match="target text: pass --tgt-lang"):
        resolve_languages(SAMPLES["pl"], "12 345", None, None, None)
    assert resolve_languages(SAMPLES["pl"], "12 345", None, "en", None)[:2] == ("pl", "en")


def test_same_language_on_both_sides_is_a_warning():
    src, tgt, warnings = resolve_languages(SAMPLES["pl"], SAMPLES["pl"], None, None, None)
    assert (src, tgt) == ("pl", "pl")
    assert len(warnings) == 1 and "Polish (pl)" in warnings[0]


def test_uncovered_language_names_the_covered_ones():
    covered = frozenset({"en", "pl", "de"})
    with pytest.raises(LanguageError) as caught:
        resolve_languages(SAMPLES["uk"], SAMPLES["en"], None, None, covered)
    message = str(caught.value)
    assert "Ukrainian (uk)" in message and "source" in message
    assert "English (en)" in message and "German (de)" in message and "Polish (pl)" in message
    assert "--model" in message and "labelling the text as a language it is not" in message  # the way forward
    assert "\n" not in message


def test_uncovered_explicit_language_is_refused_too():
    with pytest.raises(LanguageError, match="Czech"):
        resolve_languages(SAMPLES["pl"], SAMPLES["en"], "pl", "cs", frozenset({"en", "pl"}))


def test_covered_languages_pass():
    covered = frozenset({"en", "pl"})
    assert resolve_languages(SAMPLES["pl"], SAMPLES["en"], None, None, covered) == ("pl", "en", [])


def test_a_translation_full_of_the_originals_names_is_read_in_its_own_language():
    # an English round-up whose lines are mostly Polish club and city names
    english = (
        "Round 12 results:\nKorona Kielce 1-3 Jagiellonia Białystok\nŚląsk Wrocław 1-1 Cracovia\n"
        "Pogoń Szczecin 2-0 Widzew Łódź\nRaków Częstochowa 0-0 Zagłębie Lubin\nRuch Chorzów 3-0 ŁKS Łódź\n"
        "Jagiellonia Białystok stay top after the win in Kielce."
    )
    polish = (
        "Wyniki 12. kolejki:\nKorona Kielce 1:3 Jagiellonia Białystok\nŚląsk Wrocław 1:1 Cracovia\n"
        "Pogoń Szczecin 2:0 Widzew Łódź\nRaków Częstochowa 0:0 Zagłębie Lubin\nRuch Chorzów 3:0 ŁKS Łódź\n"
        "Jagiellonia Białystok po zwycięstwie w Kielcach pozostaje liderem."
    )
    assert detect_language(english) == "pl"  # read whole, the names win
    assert resolve_languages(polish, english, None, None, None) == ("pl", "en", [])
    # two texts truly in one language are still said to be
    assert resolve_languages(polish, polish, None, None, None)[2]


def test_a_web_address_is_read_in_no_language():
    address = "https://www.gdansk.pl/wiadomosci/rada-miasta-przyjela-plan-zagospodarowania-przestrzennego-dla-dzielnicy"
    english = f"Details were published at {address}. The council voted on Monday."
    assert detect_language(english) == "en"
