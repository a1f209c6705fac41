"""Fixing the translation: replacements, the corrected text, and ``align fix`` end to end."""

from __future__ import annotations

import csv
import shutil

import pytest

from align import fix
from align.cli import main
from align.errors import InputError
from align.pipeline import make_document

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
    with path.open(encoding="utf-8") as handle:
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
