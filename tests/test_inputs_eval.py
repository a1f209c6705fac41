"""Bad settings and bad eval inputs: each is refused with one line naming what is wrong (exit 2),
never a traceback, never a silent score."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from align.aligner import AlignConfig
from align.cli import main
from align.errors import InputError
from align.evaluate import check_indices, parse_alignment, read_alignment

POLISH = "Pociąg do Gdańska odjechał o świcie.\nW Warszawie padał deszcz przez cały dzień.\nKot spał na parapecie.\n"
ENGLISH = "The train to Gdańsk left at dawn.\nIt rained all day in Warsaw.\nThe cat slept on the windowsill.\n"
GOLD = "[0]:[0]\n[1]:[1]\n[2]:[2]\n"
LANGS = ("--src-lang", "pl", "--tgt-lang", "en")


def run(capsys, *argv) -> tuple[int, str, str]:
    """``main``'s exit code, stdout and stderr, whether it returns or exits (argparse exits)."""
    try:
        code = main([str(a) for a in argv])
    except SystemExit as stop:
        code = stop.code
    out, err = capsys.readouterr()
    return code, out, err


def assert_one_line_error(code: int, err: str, *fragments: str) -> None:
    lines = err.strip().splitlines()
    assert code == 2 and len(lines) == 1 and lines[0].startswith("align: error:"), err
    for fragment in fragments:
        assert fragment in lines[0], err


def write_triple(folder: Path, gold: str | bytes = GOLD) -> tuple[Path, Path, Path]:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "pl.txt").write_text(POLISH, encoding="utf-8")
    (folder / "en.txt").write_text(ENGLISH, encoding="utf-8")
    gold_path = folder / "gold.txt"
    gold_path.write_bytes(gold if isinstance(gold, bytes) else gold.encode("utf-8"))
    return folder / "pl.txt", folder / "en.txt", gold_path


# --- AlignConfig settings (bug 7) ---------------------------------------------------------------


@pytest.mark.parametrize(
    "field, value",
    [("max_side", 0), ("max_side", -3), ("max_side", 51), ("max_side", 2.0), ("max_side", True),
     ("max_bead", 1), ("band_width", 0), ("zone_radius", -1), ("full_grid_cells", -1),
     ("merge_penalty", -0.5), ("anchor_bonus", -1.0), ("length_weight", math.nan), ("tau", math.nan),
     ("word_bonus", math.inf), ("part_threshold", -math.inf), ("merge_across_paragraphs", "yes")],
)
def test_align_config_refuses_nonsense_naming_the_setting(field, value):
    with pytest.raises(InputError, match=field):
        AlignConfig(**{field: value})


def test_align_config_keeps_values_that_make_sense():
    # The fuzz tests and the benchmarks use these: a negative threshold, no zone, a tiny full grid.
    AlignConfig(tau=-5.0, zone_radius=0, full_grid_cells=0, max_side=1, max_bead=2, word_bonus=0.0)


@pytest.mark.parametrize(
    "option, value, allowed",
    [("--max-side", "0", "from 1 to 50"), ("--max-side", "-3", "from 1 to 50"), ("--max-bead", "1", "from 2 to 100")],
)
def test_bead_size_options_out_of_range_are_one_line_errors(capsys, tmp_path, option, value, allowed):
    src, tgt, _ = write_triple(tmp_path)
    code, out, err = run(capsys, "pairs", src, tgt, option, value)
    assert_one_line_error(code, err, option, allowed)
    assert out == ""


# --- argparse's own errors (minor) --------------------------------------------------------------


def test_argparse_errors_are_one_line_with_a_help_hint(capsys, tmp_path):
    src, tgt, _ = write_triple(tmp_path)
    code, _, err = run(capsys, "pairs", src, tgt, "--format", "xml")
    assert_one_line_error(code, err, "--format", "xml", "(see align pairs --help)")
    code, _, err = run(capsys)
    assert_one_line_error(code, err, "(see align --help)")


def test_help_still_prints_the_full_usage(capsys):
    code, out, _ = run(capsys, "eval", "--help")
    assert code == 0 and out.startswith("usage: align eval") and "--segment" in out


# --- gold files (bug 9) -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "gold, message",
    [
        ("[0]:[0]\n[1e400]:[1]\n", "line 2"),  # was an OverflowError
        ("[0.7]:[0]\n", "line 1"),  # was read as [0]
        ("[0]:[0]\n\n{3, 2}:[1]\n", "line 3"),  # a set: was read in any order
        ("[-1]:[0]\n", "line 1"),
        ("[0]:[0] [1]:[1]\n", "line 1"),  # two beads on one line
        ("[]:[]\n", "at least one side"),
        ("[1, 0]:[0]\n", "increasing order"),
        ("", "empty"),
        ("\n  \n", "empty"),
        ("[0]:[0]\n".encode("utf-8") + "[1]:[1] # źle\n".encode("cp1250"), "not UTF-8"),
        (b"\x7fELF\x02\x01\x01\x00\x00\xff\xfe\x00" * 20, "not UTF-8"),  # a binary, like /bin/ls
    ],
)
def test_malformed_gold_is_one_line_error_naming_file_and_line(capsys, tmp_path, gold, message):
    src, tgt, gold_path = write_triple(tmp_path, gold)
    code, out, err = run(capsys, "eval", src, tgt, gold_path, *LANGS)
    assert_one_line_error(code, err, str(gold_path), message)
    assert out == ""


def test_vecalign_format_is_still_read_as_written():
    text = "[0, 1]:[0]\r\n[]:[1]\n[2]:[]\n\n[3]:[2,3]\n"
    assert parse_alignment(text) == [((0, 1), (0,)), ((), (1,)), ((2,), ()), ((3,), (2, 3))]


def test_gold_with_a_byte_order_mark_is_read(tmp_path):
    path = tmp_path / "gold.txt"
    path.write_text("[0]:[0]\n", encoding="utf-8-sig")
    assert read_alignment(path) == [((0,), (0,))]


def test_indices_past_the_end_of_the_texts_are_refused():
    with pytest.raises(InputError, match=r"\[2\]:\[5\] refers to segment 5 of target, which has 3"):
        check_indices([((0,), (0,)), ((2,), (5,))], (3, 3), hint="")
    check_indices([((0, 1), (0,)), ((2,), (1, 2))], (3, 3))  # the last segments are fine


def test_gold_past_the_lines_suggests_segment(capsys, demo_paths):
    """The demo gold counts sentences (up to 130) but the files hold 77 lines: F1 was 0.00, silently."""
    code, out, err = run(capsys, "eval", *demo_paths)
    assert_one_line_error(code, err, "gold.txt", "segment 130", "--segment")
    assert out == ""


def test_gold_past_the_segments_with_segment_gives_no_segment_hint(capsys, tmp_path):
    src, tgt, gold = write_triple(tmp_path, GOLD + "[3]:[3]\n")
    code, _, err = run(capsys, "eval", src, tgt, gold, *LANGS, "--segment")
    assert_one_line_error(code, err, "segment 3", str(src))
    assert "add --segment" not in err


# --- folders matched by name (bug 10) -----------------------------------------------------------


def write_folders(root: Path, names: dict[str, list[str]]) -> list[Path]:
    """Folders src, tgt and gold under ``root``, holding the files named for each."""
    content = {"src": POLISH, "tgt": ENGLISH, "gold": GOLD}
    folders = []
    for role in ("src", "tgt", "gold"):
        folder = root / role
        folder.mkdir()
        for name in names[role]:
            (folder / name).write_text(content[role], encoding="utf-8")
        folders.append(folder)
    return folders


def test_eval_warns_about_files_without_partners(capsys, tmp_path):
    folders = write_folders(tmp_path, {
        "src": ["doc.txt", "lonely.txt"], "tgt": ["doc.txt"], "gold": ["doc.txt", "lonely.txt", ".DS_Store"],
    })
    code, out, err = run(capsys, "eval", *folders, *LANGS, "--format", "json")
    assert code == 0, err
    assert json.loads(out)["documents"] == 1
    warnings = [line for line in err.splitlines() if line.startswith("align: warning:")]
    assert len(warnings) == 2 and all("lonely.txt" in w and "left out" in w for w in warnings), err
    assert all(str(folders[1]) in w for w in warnings)  # names the folder the partner is missing from
    assert ".DS_Store" not in err


@pytest.mark.parametrize("role", ["src", "tgt", "gold"])
def test_eval_refuses_two_files_of_one_name(capsys, tmp_path, role):
    names = {r: ["doc.txt"] for r in ("src", "tgt", "gold")}
    names[role] = ["doc.md", "doc.txt"]
    folders = write_folders(tmp_path, names)
    code, out, err = run(capsys, "eval", *folders, *LANGS)
    assert_one_line_error(code, err, "doc.md and doc.txt have the same name")
    assert out == ""
