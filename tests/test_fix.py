"""Fixing the translation: replacements, the corrected text, and ``align fix`` end to end."""

from __future__ import annotations

import csv
import dataclasses
import shutil
from pathlib import Path

import pytest

from align import fix
from align.cli import main
from align.errors import InputError
from align.pipeline import make_document
from align.textio import normalize_text

TEXT = (
    "Wywiad z Latushko.\n\n"
    "Pavel Latushko told us: Latushko's plan is bold.  It is not Latushkovich's.\n\n"
    "Latushko\n"
)


def test_whole_words_only_and_layout_kept():
    doc = make_document(TEXT, "en")
    corrected, changes = fix.apply(doc, [fix.Replacement("Latushko", "Latushka")])
    assert corrected == TEXT.replace("Latushko", "Latushka").replace("Latushkavich", "Latushkovich")
    assert "Latushkovich's" in corrected  # part of a longer word: untouched
    assert "bold.  It" in corrected  # the double space between sentences survives
    assert [c.segment for c in changes] == [0, 1, 3]
    assert all(c.rules == ("Latushko -> Latushka",) for c in changes)


def test_replacement_limited_to_segments():
    doc = make_document(TEXT, "en")
    corrected, changes = fix.apply(doc, [fix.Replacement("Latushko", "Latushka", frozenset({0}))])
    assert [c.segment for c in changes] == [0]
    assert corrected.count("Latushka") == 1


@pytest.mark.parametrize(("text", "deleted", "expected"), [
    ("top of page\n\nFirst one.\n\nSecond one.\n", {0}, "First one.\n\nSecond one.\n"),  # first line
    ("First one.\n\nShare this\n\nSecond one.\n", {1}, "First one.\n\nSecond one.\n"),  # a paragraph
    ("First one. Read more\n\nSecond one.\n", {1}, "First one.\n\nSecond one.\n"),  # ends a paragraph
    ("First one.\n\nRead more. Second one.\n", {1}, "First one.\n\nSecond one.\n"),  # starts one
    ("First one. Middle one. Last one.", {1}, "First one. Last one."),  # inside a line
    ("First one.\n\nSecond one.\n\nBack to top\n", {2}, "First one.\n\nSecond one.\n"),  # last line
    ("Menu\n\nShare\n\nFirst one.\n", {0, 1}, "First one.\n"),  # two in a row
])
def test_a_segment_edited_to_empty_text_is_deleted_with_its_spacing(text, deleted, expected):
    doc = make_document(text, "en")
    assert fix.corrected_text(doc, {i: " " if i % 2 else "" for i in deleted}) == expected


def test_a_deleted_segment_leaves_no_gap_when_the_text_is_rebuilt():
    doc = make_document("top of page\n\nFirst one. Second one.", "en")
    doc = dataclasses.replace(doc, segments=tuple(dataclasses.replace(s, start=0, end=0) for s in doc.segments))
    assert fix.corrected_text(doc, {0: ""}) == "First one. Second one."
    assert fix.corrected_text(doc, {1: ""}) == "top of page\n\nSecond one."


def test_parse_name_fix():
    assert fix.parse_name_fix(" Latushko = Latushka ").old == "Latushko"
    for bad in ("Latushko", "=Latushka", "Latushko="):
        with pytest.raises(InputError):
            fix.parse_name_fix(bad)


@pytest.fixture
def demo_copy(tmp_path, demo_paths):
    pl, en, _ = demo_paths
    shutil.copy(pl, tmp_path / "pl.txt")
    shutil.copy(en, tmp_path / "en.txt")
    return tmp_path


def _log(path):
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")  # a BOM, for Excel
    with path.open(encoding="utf-8-sig") as handle:
        return list(csv.DictReader(handle))


def test_fix_by_name_writes_corrected_text_and_log(demo_copy, capsys):
    src, tgt = demo_copy / "pl.txt", demo_copy / "en.txt"
    original = tgt.read_text(encoding="utf-8")
    assert main(["fix", str(src), str(tgt), "--name", "Latushko=Latushka"]) == 0
    fixed = (demo_copy / "en.fixed.txt").read_text(encoding="utf-8")
    assert "Latushko" in original and "Latushko" not in fixed
    assert fixed == original.replace("Latushko", "Latushka")
    rows = _log(demo_copy / "en.fixed.changes.csv")
    assert len(rows) == 1 and "Latushko" in rows[0]["before"] and "Latushka" in rows[0]["after"]
    assert tgt.read_text(encoding="utf-8") == original  # nothing overwritten
    assert main(["fix", str(src), str(tgt), "--name", "Latushko=Latushka"]) == 2  # output exists
    assert "exists" in capsys.readouterr().err


def test_a_name_the_translation_never_has_is_said_and_a_wrong_source_path_is_an_error(demo_copy, capsys):
    src, tgt = demo_copy / "pl.txt", demo_copy / "en.txt"
    assert main(["fix", str(src), str(tgt), "--name", "Latushko=Latushka", "--name", "Nobody=Somebody"]) == 0
    err = capsys.readouterr().err
    assert "has no 'Nobody'" in err and "has no 'Latushko'" not in err and "1 segment(s) changed" in err
    # the source is not read for a named fix, but a typo in its path must not pass unnoticed
    assert main(["fix", str(demo_copy / "pl-typo.txt"), str(tgt), "--name", "X=Y", "--out", str(demo_copy / "o.txt")]) == 2
    assert "file not found" in capsys.readouterr().err and not (demo_copy / "o.txt").exists()
    assert main(["fix", str(demo_copy), str(tgt), "--name", "X=Y", "--out", str(demo_copy / "o.txt")]) == 2
    assert "is a directory" in capsys.readouterr().err
    assert main(["check", "-", str(tgt)]) == 2
    assert "standard input" in capsys.readouterr().err


def test_a_glossary_pins_the_form_the_suggestions_write(demo_copy):
    src, tgt = demo_copy / "pl.txt", demo_copy / "en.txt"
    glossary = demo_copy / "terms.csv"
    glossary.write_text("source,target\nPaweł Łatuszka,Pavel Latushko\n", encoding="utf-8")  # the house style, say
    out = demo_copy / "fixed.txt"
    assert main(["fix", str(src), str(tgt), "--apply-suggestions", "name_variant", "--glossary", str(glossary),
                 "--out", str(out), "-q"]) == 0
    fixed = out.read_text(encoding="utf-8")
    assert "Latushka" not in fixed and fixed.count("Latushko") == tgt.read_text(encoding="utf-8").count("Latushk")


def test_apply_suggestions_fixes_names_and_terms(demo_copy):
    src, tgt = demo_copy / "pl.txt", demo_copy / "en.txt"
    out = demo_copy / "fixed.txt"
    code = main(["fix", str(src), str(tgt), "--apply-suggestions", "name_variant,term_inconsistency", "--out", str(out), "-q"])
    assert code == 0
    fixed = out.read_text(encoding="utf-8")
    assert "Latushko" not in fixed and "Wolfovich" not in fixed
    assert "National Crisis Management" not in fixed
    assert fixed.count("National Anti-Crisis Management") == 3
    assert {r["what"] for r in _log(demo_copy / "fixed.changes.csv")} >= {"Latushko -> Latushka"}


def test_in_place_keeps_the_original(demo_copy):
    src, tgt = demo_copy / "pl.txt", demo_copy / "en.txt"
    original = tgt.read_text(encoding="utf-8")
    assert main(["fix", str(src), str(tgt), "--name", "Latushko=Latushka", "--in-place"]) == 0
    assert (demo_copy / "en.txt.orig").read_text(encoding="utf-8") == original
    assert "Latushko" not in tgt.read_text(encoding="utf-8")


def test_fix_needs_something_to_do(demo_copy, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["fix", str(demo_copy / "pl.txt"), str(demo_copy / "en.txt")])
    assert exit_info.value.code == 2
    with pytest.raises(SystemExit):
        main(["fix", str(demo_copy / "pl.txt"), str(demo_copy / "en.txt"), "--apply-suggestions", "typos"])
    assert "typos" in capsys.readouterr().err


# --- outputs never overwrite what the user has -----------------------------------------------

INPUTS = Path(__file__).parent / "data" / "input"


def _files(folder):
    """Every file in ``folder`` with its bytes: what the user has, to compare before and after."""
    return {p.name: p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _small_pair(folder):
    (folder / "pl.txt").write_text("Rozmowa z Łatuszką.\n", encoding="utf-8")
    (folder / "en.txt").write_text("An interview with Latushko.\n\nLatushko said no.\n", encoding="utf-8")
    return folder / "pl.txt", folder / "en.txt"


@pytest.mark.parametrize("options", [
    ["--in-place", "--log", "pl.txt"],  # the log over the original
    ["--in-place", "--log", "en.txt"],  # the log over the corrected translation
    ["--out", "x.txt", "--log", "x.txt"],  # the log over the corrected text
    ["--out", "./x.txt", "--log", "x.txt"],  # the same, spelt differently
    ["--out", "pl.txt"],
    ["--out", "en.txt"],
    ["--log", "en.txt"],
    ["--in-place", "--log", "old.csv"],  # an existing log, named by the user
    ["--out", "nodir/x.txt"],  # a folder that does not exist
    ["--log", "nodir/x.csv"],
])
def test_fix_refuses_outputs_that_overwrite(tmp_path, monkeypatch, capsys, options):
    monkeypatch.chdir(tmp_path)
    _small_pair(tmp_path)
    (tmp_path / "old.csv").write_text("a log the user keeps\n", encoding="utf-8")
    before = _files(tmp_path)
    assert main(["fix", "pl.txt", "en.txt", "--name", "Latushko=Latushka", *options]) == 2
    err = capsys.readouterr().err
    assert err.startswith("align: error:") and err.count("\n") == 1  # one line, no traceback
    assert _files(tmp_path) == before  # nothing written, nothing lost


def test_in_place_keeps_an_existing_log_and_numbers_the_new_one(tmp_path):
    src, tgt = _small_pair(tmp_path)
    assert main(["fix", str(src), str(tgt), "--name", "Latushko=Latushka", "--in-place"]) == 0
    first_log = (tmp_path / "en.changes.csv").read_bytes()
    assert main(["fix", str(src), str(tgt), "--name", "Latushka=Łatuszka", "--in-place"]) == 0
    assert (tmp_path / "en.changes.csv").read_bytes() == first_log
    assert [r["what"] for r in _log(tmp_path / "en.changes.1.csv")] == ["Latushka -> Łatuszka"] * 2
    assert "Latushko" in (tmp_path / "en.txt.orig").read_text(encoding="utf-8")
    assert "Latushka" in (tmp_path / "en.txt.orig.1").read_text(encoding="utf-8")


def test_in_place_backup_does_not_take_the_log_name(tmp_path):
    src, tgt = _small_pair(tmp_path)
    original = tgt.read_bytes()
    log = tmp_path / "en.txt.orig"  # free now, but the backup's usual name
    assert main(["fix", str(src), str(tgt), "--name", "Latushko=Latushka", "--in-place", "--log", str(log)]) == 0
    assert (tmp_path / "en.txt.orig.1").read_bytes() == original
    assert _log(log)[0]["what"] == "Latushko -> Latushka"


def test_out_and_in_place_exclude_each_other(tmp_path):
    src, tgt = _small_pair(tmp_path)
    before = _files(tmp_path)
    with pytest.raises(SystemExit) as exit_info:
        main(["fix", str(src), str(tgt), "--name", "Latushko=Latushka", "--in-place", "--out", str(tmp_path / "x.txt")])
    assert exit_info.value.code == 2 and _files(tmp_path) == before


# --- the corrected text is the user's text, changed only where the names were ----------------

ENCODINGS = {  # the input fixtures and the encoding each is in (BOMs are kept as they are)
    "pl_utf8.txt": "utf-8", "pl_utf8_bom.txt": "utf-8", "pl_cp1250.txt": "cp1250",
    "pl_iso8859_2.txt": "iso8859_2", "pl_utf16le.txt": "utf-16-le", "pl_utf16be.txt": "utf-16-be",
    "pl_utf16le_bom.txt": "utf-16-le", "pl_utf16be_bom.txt": "utf-16-be",
}


@pytest.mark.parametrize("name, encoding", ENCODINGS.items())
def test_fix_keeps_the_encoding(tmp_path, name, encoding):
    src, tgt = INPUTS / "en_utf8.txt", tmp_path / name
    shutil.copy(INPUTS / name, tgt)
    out = tmp_path / "fixed.txt"
    assert main(["fix", str(src), str(tgt), "--name", "Wróbel=Wróblewska", "--out", str(out)]) == 0
    expected = (INPUTS / name).read_bytes().replace("Wróbel".encode(encoding), "Wróblewska".encode(encoding))
    assert out.read_bytes() == expected != (INPUTS / name).read_bytes()
    assert tgt.read_bytes() == (INPUTS / name).read_bytes()


def test_fix_keeps_line_ends_and_spacing(tmp_path):
    """CRLF, a no-break space, a zero-width space, a decomposed ó and trailing blanks all stay."""
    text = "\r\n Wywiad z Latushko.  \r\n\r\nPaweł\u00a0Latushko: Ło\u0301dz\u0301\u200b to Latushkowa.\t\r\n\r\n"
    src, tgt = _small_pair(tmp_path)
    tgt.write_bytes(text.encode("utf-8"))
    out = tmp_path / "fixed.txt"
    assert main(["fix", str(src), str(tgt), "--name", "Latushko=Latushka", "--out", str(out)]) == 0
    expected = "\r\n Wywiad z Latushka.  \r\n\r\nPaweł\u00a0Latushka: Ło\u0301dz\u0301\u200b to Latushkowa.\t\r\n\r\n"
    assert out.read_bytes() == expected.encode("utf-8")


def test_rewrite_raw_keeps_a_multiword_names_no_break_space():
    raw = "Pavel\u00a0Latushko said so.\r\n"
    doc = make_document(normalize_text(raw), "en")
    _, changes = fix.apply(doc, [fix.Replacement("Pavel Latushko", "Paweł Latuszka")])
    assert fix.rewrite_raw(raw, doc, changes) == "Paweł\u00a0Latuszka said so.\r\n"


def test_fix_refuses_a_character_the_encoding_lacks(tmp_path, capsys):
    tgt = tmp_path / "pl_cp1250.txt"
    shutil.copy(INPUTS / tgt.name, tgt)
    assert main(["fix", str(INPUTS / "en_utf8.txt"), str(tgt), "--name", "Wróbel=Воробей"]) == 2
    assert "cp1250" in capsys.readouterr().err
    assert [p.name for p in tmp_path.iterdir()] == [tgt.name]


@pytest.mark.parametrize("name", ["pl.docx", "pl.html"])
@pytest.mark.parametrize("in_place", [False, True])
def test_fix_refuses_documents_that_are_not_plain_text(tmp_path, capsys, name, in_place):
    tgt = tmp_path / name
    shutil.copy(INPUTS / name, tgt)
    args = ["fix", str(INPUTS / "en_utf8.txt"), str(tgt), "--name", "Wróbel=Wróblewska"]
    assert main(args + (["--in-place"] if in_place else [])) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "export" in err
    assert _files(tmp_path) == {name: (INPUTS / name).read_bytes()}


def test_a_kind_without_exact_suggestions_is_noted(demo_copy, capsys):
    src, tgt = demo_copy / "pl.txt", demo_copy / "en.txt"
    assert main(["fix", str(src), str(tgt), "--apply-suggestions", "number_mismatch", "-q"]) == 0
    err = capsys.readouterr().err
    assert "note" in err and "number_mismatch" in err


def test_fix_files_is_the_library_call_behind_the_command(tmp_path):
    # align fix is a thin shell over align.fix.fix_files: an API user gets the same files
    src, tgt = _small_pair(tmp_path)
    done = fix.fix_files(src, tgt, names=["Latushko=Latushka"])
    assert done.corrected == tmp_path / "en.fixed.txt" and done.original is None and len(done.changes) == 2
    assert "Latushko" not in done.corrected.read_text(encoding="utf-8")
    assert [r["what"] for r in _log(done.log)] == ["Latushko -> Latushka"] * 2
    with pytest.raises(InputError, match="exists"):  # never over a file the user has
        fix.fix_files(src, tgt, names=["Latushko=Latushka"])
