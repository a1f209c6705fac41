"""What the library's front door accepts, and the clear errors for what it cannot use."""

from __future__ import annotations

from pathlib import Path

import pytest

import align
from align.glossary import GlossaryEntry
from align.pipeline import load_text

DEMO = Path(__file__).resolve().parents[1] / "corpora" / "latushka-interia"


def test_a_string_is_the_text_itself_and_never_opens_a_file(tmp_path):
    path = tmp_path / "notes"
    path.write_text("Ala ma kota.\n", encoding="utf-8")
    assert load_text(path) == "Ala ma kota."
    # a text typed into the app (or a web service) that names a file on the server is not read
    assert load_text(str(path)) == str(path)
    for name in ("pl.txt", str(tmp_path / "en.docx")):  # looks like a file name, whether or not it exists
        with pytest.raises(align.AlignError, match=r"looks like a file name: to read a file, give its path"):
            load_text(name, role="original")
    assert load_text("Ala ma kota.txt i psa.") == "Ala ma kota.txt i psa."


def test_bytes_are_decoded_like_a_file():
    data = "Łatuszka powiedział, że reżim upadnie.".encode("cp1250")
    assert load_text(data, role="original") == "Łatuszka powiedział, że reżim upadnie."


@pytest.mark.parametrize("bad", [None, 5, ["a text"]])
def test_what_is_no_text_gets_a_clear_error(bad):
    with pytest.raises(align.AlignError, match="must be a text"):
        load_text(bad, role="original")


def test_an_unknown_issue_kind_is_an_input_error_not_a_bare_value_error():
    with pytest.raises(align.AlignError, match="unknown issue kind"):
        align.check("Ala ma kota.", "Ala has a cat.", kinds=["spelling"], src_lang="pl", tgt_lang="en")


@pytest.mark.parametrize("entry", [("Łatuszka", "Latushka"), {"source": "Łatuszka", "target": "Latushka"},
                                   GlossaryEntry("Łatuszka", "Latushka")])
def test_a_glossary_may_be_pairs_dicts_or_entries(entry):
    report = align.check(DEMO / "pl.txt", DEMO / "en.txt", glossary=[entry], kinds=["glossary"])
    assert report.issues, "the demo translation writes Latushko for Łatuszka somewhere"
    assert all(i.kind == "glossary" and "Latushka" in (i.suggestion or "") for i in report.issues)


def test_a_glossary_entry_of_another_shape_is_refused():
    with pytest.raises(align.AlignError, match="glossary entry"):
        align.check(DEMO / "pl.txt", DEMO / "en.txt", glossary=[("Łatuszka",)], kinds=["glossary"])


def test_checks_without_a_dictionary_say_so_and_what_would_help(encoder, monkeypatch):
    from align import pipeline

    spanish, english = "El ayuntamiento aprobó el presupuesto ayer.", "The city council approved the budget yesterday."
    with pytest.warns(pipeline.VocabularyNotice, match="Spanish and English.*Polish, English, German and French only"):
        align.check(spanish, english, src_lang="es", tgt_lang="en", encoder=encoder)
    monkeypatch.setattr(pipeline, "load_dictionary", lambda *langs: None)  # a machine without FreeDict
    with pytest.warns(pipeline.VocabularyNotice, match="install Debian's dict-freedict-pol-eng dict-freedict-eng-pol"):
        align.check("Rada miasta przyjęła wczoraj budżet.", english, src_lang="pl", tgt_lang="en", encoder=encoder)
