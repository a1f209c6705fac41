"""``python -m align`` (or ``align``): a thin shell over the library.

Commands: ``pairs`` (the alignment), ``check`` (alignment and QA), ``fix`` (a corrected
translation and a change log), ``eval`` (against a gold standard), ``batch`` (many pairs, see
``align.batch``). Exit codes: 0 success; 1 ``check`` found issues at or above ``--fail-on``; 2 an error,
reported as one line on stderr.
"""

from __future__ import annotations

import argparse
import gc
import json
import sys
import warnings
from collections.abc import Sequence
from pathlib import Path

from align.errors import AlignError

EXIT_OK, EXIT_FOUND, EXIT_ERROR = 0, 1, 2
SEVERITIES = ("low", "medium", "high")


def run() -> None:
    """The process's entry point (``python -m align``, the ``align`` command): ``main``, then exit.

    The objects still alive are first frozen out of the garbage collector's way: the last
    collection at interpreter exit would otherwise walk them all (lemma memos, numba's compiler
    state), about 0.3 s of a 3 s ``check``, for a process that is ending anyway."""
    _utf8_output()
    code = main()
    sys.stdout.flush()
    gc.freeze()
    sys.exit(code)


def _utf8_output() -> None:
    """JSON, CSV, HTML and TSV go out as UTF-8 whatever the locale's code page (the HTML says
    so, and a Windows pipe would otherwise get cp1252 and fail at the first Polish letter); a
    terminal keeps its encoding and shows '?' for what it cannot draw, and so does stderr."""
    for stream in (sys.stdout, sys.stderr):
        try:
            if stream is sys.stdout and not stream.isatty():
                stream.reconfigure(encoding="utf-8")
            else:
                stream.reconfigure(errors="replace")
        except (AttributeError, ValueError, OSError):  # not a text stream we may change
            pass


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    warnings.showwarning = _show_warning
    try:
        return args.run(args)
    except AlignError as err:
        print(f"align: error: {err}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        print("align: interrupted", file=sys.stderr)
        return EXIT_ERROR
    except BrokenPipeError:  # e.g. piped into head
        return EXIT_OK


def _show_warning(message, category, filename, lineno, file=None, line=None) -> None:
    print(f"align: warning: {message}", file=sys.stderr)


# --- commands ------------------------------------------------------------------------------------


def _pairs(args: argparse.Namespace) -> int:
    from align import pipeline
    from align.evaluate import format_alignment
    from align.serialize import alignment_to_dict

    alignment = pipeline.align(
        Path(args.src), Path(args.tgt), src_lang=args.src_lang, tgt_lang=args.tgt_lang,
        presplit=args.presplit, encoder=args.model, config=_config(args), progress=_progress(args),
    )
    if args.format == "json":
        _print_json(alignment_to_dict(alignment))
    elif args.format == "tsv":
        src, tgt = alignment.source.segments, alignment.target.segments
        for bead in alignment.beads:
            left = " ".join(src[i].text for i in bead.src)
            right = " ".join(tgt[j].text for j in bead.tgt)
            sys.stdout.write(f"{bead}\t{bead.score:.3f}\t{_tsv(left)}\t{_tsv(right)}\n")
    else:
        sys.stdout.write(format_alignment(alignment.beads))
    return EXIT_OK


def _check(args: argparse.Namespace) -> int:
    from align import pipeline

    fail_kinds, fail_severity = _fail_on(args.fail_on)
    report = pipeline.check(
        Path(args.src), Path(args.tgt), glossary=args.glossary, src_lang=args.src_lang,
        tgt_lang=args.tgt_lang, presplit=args.presplit, encoder=args.model, config=_config(args),
        progress=_progress(args), dictionary=not args.no_dictionary,
    )
    _write_report(report, args.format)
    failing = [
        i for i in report.issues
        if (i.kind in fail_kinds) or (fail_severity is not None and i.severity.rank >= fail_severity)
    ]
    return EXIT_FOUND if failing else EXIT_OK


def _fix(args: argparse.Namespace) -> int:
    from align import fix

    if args.in_place and args.out:
        _usage_error("--out and --in-place exclude each other: --in-place writes the corrected text over TGT")
    kinds = [k.strip() for k in args.apply_suggestions.split(",") if k.strip()] if args.apply_suggestions else []
    if not args.name and not kinds:
        _usage_error("nothing to fix: give --name OLD=NEW and/or --apply-suggestions KINDS")
    _known_kinds(kinds, "--apply-suggestions")
    done = fix.fix_files(
        args.src, args.tgt, names=[fix.parse_name_fix(value) for value in args.name], kinds=kinds,
        out=args.out, log=args.log, in_place=args.in_place, src_lang=args.src_lang, tgt_lang=args.tgt_lang,
        presplit=args.presplit, encoder=args.model, config=_config(args), progress=_progress(args),
        dictionary=not args.no_dictionary, glossary=args.glossary,
    )
    for name in done.names_not_found:
        print(f"align: note: the translation has no '{name}': nothing replaced for it",
              file=sys.stderr)
    for kind in done.without_suggestions:
        print(f"align: note: no {kind} issue names the exact text to replace: nothing of that kind to apply",
              file=sys.stderr)
    if done.original:
        print(f"align: the original translation is kept as {done.original}", file=sys.stderr)
    print(f"{len(done.changes)} segment(s) changed; corrected text: {done.corrected or args.tgt}; "
          f"change log: {done.log}", file=sys.stderr)
    return EXIT_OK


def _eval(args: argparse.Namespace) -> int:
    from align import pipeline
    from align.evaluate import as_pairs, check_indices, read_alignment, score

    triples = _matched_files(Path(args.src), Path(args.tgt), Path(args.gold))
    golds = [read_alignment(gold) for _, _, gold in triples]  # a malformed gold fails before the slow part
    encoder = pipeline.resolve_encoder(args.model)
    # Gold sets are usually one sentence a line; a gold made for segmented text refers past the lines.
    hint = "" if args.segment else "; the texts were read one segment a line: add --segment if the gold counts sentences"
    tests = []
    for (src, tgt, gold), gold_beads in zip(triples, golds):
        alignment = pipeline.align(
            src, tgt, src_lang=args.src_lang, tgt_lang=args.tgt_lang, presplit=not args.segment,
            encoder=encoder, config=_config(args),
        )
        counts = (len(alignment.source.segments), len(alignment.target.segments))
        check_indices(gold_beads, counts, where=str(gold), names=(str(src), str(tgt)), hint=hint)
        tests.append(as_pairs(alignment.beads))
    scores = score(golds, tests)
    if args.format == "json":
        _print_json({"documents": len(triples), **scores.as_dict(), "signature": alignment.signature})
    else:
        print(f"documents: {len(triples)}   ({', '.join(f'{k}={v}' for k, v in alignment.signature.items())})")
        print(f"{'':8}{'precision':>10}{'recall':>10}{'F1':>10}")
        for name in ("strict", "lax"):
            p, r, f = (getattr(scores, f"{name}_{m}") for m in ("precision", "recall", "f1"))
            print(f"{name:8}{p:10.4f}{r:10.4f}{f:10.4f}")
    return EXIT_OK


# --- helpers -------------------------------------------------------------------------------------


def _write_report(report, fmt: str) -> None:
    if fmt == "json":
        from align.serialize import report_to_dict

        _print_json(report_to_dict(report))
    elif fmt in ("csv", "html"):
        from align import export  # pandas and translate-toolkit: only when needed

        sys.stdout.write(export.qa_report_csv(report) if fmt == "csv" else export.qa_report_html(report))
    else:
        _print_table(report)


def _print_table(report) -> None:
    src, tgt = report.alignment.source.segments, report.alignment.target.segments
    beads = report.alignment.beads
    print(f"{len(beads)} pairs, {len(report.issues)} issues")
    for issue in report.issues:
        where = f"src {list(issue.src)} tgt {list(issue.tgt)}"
        print(f"\n[{issue.severity.value.upper()}] {issue.kind}  ({where})\n  {issue.message}")
        if issue.suggestion:
            print(f"  suggestion: {issue.suggestion}")
        for label, side, idx in (("original", src, issue.src), ("translation", tgt, issue.tgt)):
            if idx:
                print(f"  {label}: {_shorten(' '.join(side[i].text for i in idx))}")


def _fail_on(value: str) -> tuple[set[str], int | None]:
    """``--fail-on`` takes a severity (fail at or above it) or a comma-separated list of kinds."""
    from align.checks import KINDS

    value = value.strip().lower()
    if value in SEVERITIES:
        return set(), SEVERITIES.index(value)
    if value == "never":
        return set(), None
    kinds = {k.strip() for k in value.split(",") if k.strip()}
    if not kinds or kinds - set(KINDS):
        _usage_error(
            f"--fail-on {value!r}: expected a severity ({', '.join(SEVERITIES)}), 'never', "
            f"or issue kinds from: {', '.join(KINDS)}"
        )
    return kinds, None


def _known_kinds(kinds, option: str) -> None:
    from align.checks import KINDS

    unknown = sorted(set(kinds) - set(KINDS))
    if unknown:
        _usage_error(f"{option}: unknown issue kind(s) {', '.join(unknown)}; known: {', '.join(KINDS)}")


def _usage_error(message: str) -> None:
    print(f"align: error: {message}", file=sys.stderr)
    raise SystemExit(EXIT_ERROR)


def _matched_files(src: Path, tgt: Path, gold: Path) -> list[tuple[Path, Path, Path]]:
    """Files matched by name across three folders, or three single files.

    As in ``align batch``: a file without a partner in each of the other folders is left out with
    a warning, and two files of one name in a folder (doc.txt, doc.md) are refused."""
    if src.is_file() and tgt.is_file() and gold.is_file():
        return [(src, tgt, gold)]
    for folder in (src, tgt, gold):
        if not folder.is_dir():
            raise AlignError(f"{folder} is not a folder (give three folders, or three files)")
    folders = (src, tgt, gold)
    by_stem = [_files_by_stem(folder) for folder in folders]
    common = sorted(set.intersection(*(set(files) for files in by_stem)))
    if not common:
        raise AlignError(f"no file name is present in all of {src}, {tgt} and {gold}")
    for files in by_stem:
        for stem in sorted(files.keys() - set(common)):
            missing = ", ".join(str(folder) for folder, other in zip(folders, by_stem) if stem not in other)
            print(f"align: warning: {files[stem]}: no matching file in {missing}; left out", file=sys.stderr)
    return [tuple(files[stem] for files in by_stem) for stem in common]


def _files_by_stem(folder: Path) -> dict[str, Path]:
    """The visible files of ``folder`` by name without extension; two of one name are refused."""
    files: dict[str, Path] = {}
    for path in sorted(p for p in folder.iterdir() if p.is_file() and not p.name.startswith(".")):
        if path.stem in files:
            raise AlignError(f"{folder}: {files[path.stem].name} and {path.name} have the same name; keep one")
        files[path.stem] = path
    return files


def _config(args: argparse.Namespace):
    from align.aligner import AlignConfig

    word_bonus = 0.0 if args.no_dictionary else AlignConfig.word_bonus
    return AlignConfig(max_side=args.max_side, max_bead=args.max_bead, word_bonus=word_bonus)


def _config_count(field: str):
    """An argparse type for a whole-number ``AlignConfig`` setting. The range is AlignConfig's own,
    checked while parsing so that the one-line error names the option: "argument --max-side: ..."."""

    def parse(text: str) -> int:
        from align.aligner import AlignConfig

        value = int(text)  # a ValueError becomes argparse's "invalid int value: 'x'"
        try:
            AlignConfig(**{field: value})
        except AlignError as err:
            raise argparse.ArgumentTypeError(str(err).removeprefix(f"{field} ")) from None
        return value

    parse.__name__ = "int"
    return parse


def _progress(args: argparse.Namespace):
    if args.quiet or not sys.stderr.isatty():
        return None
    from tqdm import tqdm

    bar = tqdm(total=100, desc="aligning", unit="%", file=sys.stderr, leave=False)

    def update(stage: str, fraction: float) -> None:
        bar.set_description(stage)
        bar.update(round(fraction * 100) - bar.n)
        if fraction >= 1.0:
            bar.close()

    return update


def _print_json(data) -> None:
    json.dump(data, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")


def _tsv(text: str) -> str:
    return text.replace("\t", " ").replace("\n", " ")


def _shorten(text: str, width: int = 160) -> str:
    text = " ".join(text.split())  # a segment's own line breaks would break the table's indentation
    return text if len(text) <= width else text[: width - 1] + "…"


# --- argument parsing ----------------------------------------------------------------------------


class _Parser(argparse.ArgumentParser):
    """argparse, but its errors are one line like every other error (the README promises it):
    argparse's own print the whole usage first. Sub-commands' parsers are of this class too."""

    def error(self, message: str):
        print(f"align: error: {message} (see {self.prog} --help)", file=sys.stderr)
        raise SystemExit(EXIT_ERROR)


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="align", description="Align a text with its translation and check the translation.")
    commands = parser.add_subparsers(dest="command", required=True)

    pairs = commands.add_parser("pairs", help="print the sentence alignment")
    _add_pair_arguments(pairs)
    pairs.add_argument("--format", choices=("vecalign", "tsv", "json"), default="vecalign",
                       help="vecalign: one bead a line, [0, 1]:[2] (default); tsv: bead, score, texts; json")
    pairs.set_defaults(run=_pairs)

    check = commands.add_parser("check", help="align, then report translation problems")
    _add_pair_arguments(check)
    check.add_argument("--format", choices=("json", "table", "csv", "html"), default="table")
    check.add_argument("--glossary", help="CSV/TSV or TBX file of required renderings")
    check.add_argument("--fail-on", default="medium", metavar="SEVERITY|KINDS",
                       help="exit 1 when an issue at or above this severity (low, medium, high), or of "
                            "one of these comma-separated kinds, is found; 'never' always exits 0 (default: medium)")
    check.set_defaults(run=_check)

    fixer = commands.add_parser(
        "fix", help="write a corrected translation and a change log",
        description="Apply named replacements and/or the checkers' exact suggestions to the translation. "
                    "Writes TGT.fixed.txt and TGT.fixed.changes.csv unless told otherwise; nothing is "
                    "overwritten without --in-place, and then the original is kept as TGT.orig. The "
                    "corrected text keeps TGT's encoding and line endings; TGT must be plain text "
                    "(export a DOCX or HTML translation as text first).",
    )
    _add_pair_arguments(fixer)
    fixer.add_argument("--name", action="append", default=[], metavar="OLD=NEW",
                       help="replace a spelling everywhere in the translation (whole words), e.g. Latushko=Latushka")
    fixer.add_argument("--apply-suggestions", metavar="KINDS",
                       help="apply the suggestions of these comma-separated issue kinds where the checker "
                            "names the exact text to replace (name_variant, term_inconsistency)")
    fixer.add_argument("--glossary", help="CSV/TSV or TBX file of required renderings: the form it gives a name "
                                          "or a term is the one the suggestions write")
    fixer.add_argument("--out", help="corrected translation (default: TGT.fixed.<ext>)")
    fixer.add_argument("--log", help="change log, CSV: segment, what, before, after; a new file (default: "
                                     "OUT.changes.csv, with --in-place the first free OUT.changes[.N].csv)")
    fixer.add_argument("--in-place", action="store_true", help="overwrite TGT, keeping the original beside it")
    fixer.set_defaults(run=_fix)

    evaluate = commands.add_parser("eval", help="score alignments against gold alignments (strict and lax F1)")
    evaluate.add_argument("src", metavar="SRC_DIR")
    evaluate.add_argument("tgt", metavar="TGT_DIR")
    evaluate.add_argument("gold", metavar="GOLD_DIR", help="gold alignments in the Vecalign format, matched by file name")
    evaluate.add_argument("--segment", action="store_true",
                          help="segment the texts with align's segmenter (default: one segment a line, as gold sets are)")
    _add_model_arguments(evaluate)
    evaluate.add_argument("--format", choices=("table", "json"), default="table")
    evaluate.set_defaults(run=_eval)

    from align import batch

    batch.register(commands)
    return parser


def _add_pair_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("src", metavar="SRC", help="the original (txt, md, docx, html)")
    parser.add_argument("tgt", metavar="TGT", help="the translation")
    parser.add_argument("--presplit", action="store_true", help="take one segment per line, as is")
    _add_model_arguments(parser)
    parser.add_argument("-q", "--quiet", action="store_true", help="no progress bar")


def _add_model_arguments(parser: argparse.ArgumentParser) -> None:
    from align.aligner import AlignConfig

    parser.add_argument("--src-lang", metavar="L", help="ISO 639-1 code of the original (default: detected)")
    parser.add_argument("--tgt-lang", metavar="L", help="ISO 639-1 code of the translation (default: detected)")
    parser.add_argument("--model", metavar="M",
                        help="sentence encoder: 'use' (bundled, default), a local sentence-transformers model "
                             "folder, or a model name in the local Hugging Face cache (e.g. labse)")
    parser.add_argument("--max-side", type=_config_count("max_side"), default=AlignConfig.max_side, metavar="N",
                        help="most segments on one side of a bead (default %(default)s)")
    parser.add_argument("--max-bead", type=_config_count("max_bead"), default=AlignConfig.max_bead, metavar="N",
                        help="most segments in a bead, both sides together (default %(default)s)")
    parser.add_argument("--no-dictionary", action="store_true",
                        help="leave the installed FreeDict dictionaries out (the aligner's word anchors, the "
                             "checks' word evidence): the same result as on a machine without them")
