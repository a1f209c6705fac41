"""The library's front door: two texts in, an Alignment or a checked Report out.

    import align
    report = align.check(original, translation)

``original`` and ``translation`` are texts (``str``) or paths to files (``pathlib.Path``). Every
stage is a module of its own (segment, embed, aligner, checks); this one only wires them up and
records which encoder, segmenter and settings produced the result.
"""

from __future__ import annotations

import dataclasses
import os
import warnings
from collections.abc import Callable, Sequence
from pathlib import Path

from align import __version__
from align.aligner import AlignConfig, align_segments
from align.cache import EmbeddingCache, ReportCache
from align.embed import Encoder, load_encoder, window_encoder
from align.errors import InputError
from align.glossary import GlossaryEntry
from align.language import language_name, resolve_languages
from align.lexicon import ISO3, Dictionary, base_lang, load_dictionary, word_anchors
from align.segment import segment, segment_presplit
from align.textio import normalize_text, read_text
from align.types import Alignment, Document, Report

Text = str | os.PathLike
Progress = Callable[[str, float], None]

_LENGTH_RATIO_WARNING = 3.0


class AlignWarning(UserWarning):
    """Something the user should know, that does not stop the run."""


def load_text(source: Text | bytes, *, role: str = "text") -> str:
    """Text from a path (any format ``align.textio`` reads), a file's bytes or a string, normalised.
    A string is always the text itself, never read as a file name: a text typed into a form (the
    app, a web service) must not open files on the machine that runs it. A one-word string that
    looks like a file name ("pl.txt") is refused with the way to read the file instead."""
    if isinstance(source, (bytes, bytearray)):
        return read_text(source, filename=f"the {role}")
    if not isinstance(source, (str, os.PathLike)):
        raise InputError(f"the {role} must be a text (str), a path or bytes, not {type(source).__name__}")
    if isinstance(source, os.PathLike):
        return read_text(source)
    if _looks_like_a_file_name(source):
        name = source.strip()
        raise InputError(f"the {role} is the text {name!r}, which looks like a file name: to read a file, "
                         f"give its path (pathlib.Path({name!r})), not a string")
    text = normalize_text(source)
    if not text.strip():
        raise InputError(f"the {role} is empty")
    return text


_FILE_SUFFIXES = frozenset(".txt .text .md .markdown .docx .doc .odt .rtf .pdf .html .htm .xhtml .csv .tsv".split())


def _looks_like_a_file_name(text: str) -> bool:
    name = text.strip()
    return 0 < len(name) < 1024 and not any(c.isspace() for c in name) and Path(name).suffix.lower() in _FILE_SUFFIXES


def make_document(text: str, lang: str, *, presplit: bool = False) -> Document:
    segments = segment_presplit(text) if presplit else segment(text, lang)
    return Document(text=text, lang=lang, segments=segments)


def resolve_encoder(encoder: Encoder | str | None) -> Encoder:
    return encoder if isinstance(encoder, Encoder) else load_encoder(encoder)


def align(
    original: Text,
    translation: Text,
    *,
    src_lang: str | None = None,
    tgt_lang: str | None = None,
    presplit: bool = False,
    encoder: Encoder | str | None = None,
    config: AlignConfig = AlignConfig(),
    progress: Progress | None = None,
) -> Alignment:
    """Segment both texts and align their segments (see ``align.aligner``)."""
    src_text = load_text(original, role="original")
    tgt_text = load_text(translation, role="translation")
    model = resolve_encoder(encoder)
    src_lang, tgt_lang, notes = resolve_languages(src_text, tgt_text, src_lang, tgt_lang, model.languages)
    for note in notes:
        warnings.warn(note, AlignWarning, stacklevel=2)
    source = make_document(src_text, src_lang, presplit=presplit)
    target = make_document(tgt_text, tgt_lang, presplit=presplit)
    _warn_if_lopsided(source, target)
    return align_documents(source, target, model, config=config, progress=progress, presplit=presplit)


def align_documents(
    source: Document,
    target: Document,
    encoder: Encoder,
    *,
    config: AlignConfig = AlignConfig(),
    progress: Progress | None = None,
    presplit: bool = False,
) -> Alignment:
    """Align two already segmented documents. Where a bilingual dictionary between their languages
    is installed (``align.lexicon``), words and their renderings are anchors too."""
    dictionary = load_dictionary(source.lang, target.lang) if config.word_bonus else None
    beads = align_segments(
        source.texts,
        target.texts,
        encoder.encode,
        config,
        src_paragraphs=[s.paragraph for s in source.segments],
        tgt_paragraphs=[s.paragraph for s in target.segments],
        progress=progress,
        encode_windows=window_encoder(encoder),
        word_anchors=word_anchors(source.texts, target.texts, source.lang, target.lang, dictionary) if dictionary else None,
    )
    made = signature(encoder, config, presplit=presplit, dictionary=dictionary)
    return Alignment(source, target, tuple(beads), made)


def check(
    original: Text,
    translation: Text,
    *,
    glossary: Sequence | str | os.PathLike | None = None,
    kinds: Sequence[str] | None = None,
    src_lang: str | None = None,
    tgt_lang: str | None = None,
    presplit: bool = False,
    encoder: Encoder | str | None = None,
    config: AlignConfig = AlignConfig(),
    progress: Progress | None = None,
    dictionary: bool = True,
) -> Report:
    """Align the two texts and run the checkers on the aligned pairs. With ``dictionary`` off, the
    installed bilingual dictionaries are left out of both (as on a machine without them)."""
    model = resolve_encoder(encoder)
    if not dictionary:
        config = dataclasses.replace(config, word_bonus=0.0)
    alignment = align(
        original, translation, src_lang=src_lang, tgt_lang=tgt_lang, presplit=presplit,
        encoder=model, config=config, progress=progress,
    )
    return check_alignment(alignment, glossary=glossary, kinds=kinds, encoder=model, reports=_report_cache(model),
                           options={} if dictionary else {"dictionary": False})


def check_alignment(
    alignment: Alignment,
    *,
    glossary: Sequence | str | os.PathLike | None = None,
    kinds: Sequence[str] | None = None,
    encoder: Encoder | None = None,
    reports: ReportCache | None = None,
    options: dict | None = None,
) -> Report:
    """Run the checkers (all, or those reporting ``kinds``) on an existing alignment.
    ``options`` go to the checkers (``CheckContext.options``: ``{"dictionary": False}`` leaves the
    installed dictionaries out).

    With ``reports``, a run whose inputs (``align.checks.run_key``) were checked before takes its
    issues from that cache instead, and a new run's issues are stored there."""
    from align.checks import CheckContext, run_checks, run_key
    from align.serialize import issue_from_dict, issue_to_dict

    entries = _glossary_entries(glossary, alignment.source.lang, alignment.target.lang)
    ctx = CheckContext(alignment, glossary=entries, encoder=encoder, options=dict(options or {}))
    if ctx.options.get("dictionary", True):
        _note_missing_vocabulary(alignment.source.lang, alignment.target.lang)
    if reports is None:
        return Report(alignment, tuple(run_checks(ctx, kinds)))
    key = run_key(ctx, kinds)
    stored = reports.get(key)
    if stored is not None:
        return Report(alignment, tuple(issue_from_dict(data) for data in stored))
    issues = tuple(run_checks(ctx, kinds))
    reports.put(key, [issue_to_dict(issue) for issue in issues])
    return Report(alignment, issues)


class VocabularyNotice(UserWarning):
    """The checks run with less evidence than they could have (no bilingual dictionary)."""


def _note_missing_vocabulary(src_lang: str, tgt_lang: str) -> None:
    """Say when the meaning and term checks have no dictionary to read, so that a short report
    is not taken for a clean translation; and what to install where one exists."""
    src, tgt = base_lang(src_lang), base_lang(tgt_lang)
    if src == tgt or load_dictionary(src, tgt) is not None:
        return
    pair = f"{language_name(src)} and {language_name(tgt)}"
    if src in ISO3 and tgt in ISO3:
        packages = " ".join(f"dict-freedict-{ISO3[a]}-{ISO3[b]}" for a, b in ((src, tgt), (tgt, src)))
        hint = f"install Debian's {packages} for them"
    else:
        hint = "align reads word-level dictionaries for Polish, English, German and French only"
    warnings.warn(
        f"no bilingual dictionary between {pair}: the meaning and term checks rest on the sentence "
        f"encoder alone and find less ({hint}); numbers, names, omissions and additions are checked as usual",
        VocabularyNotice, stacklevel=3,
    )


def _report_cache(encoder: Encoder) -> ReportCache | None:
    """Reports are cached in the folder of the encoder's embedding cache, and only when it has one."""
    embeddings = getattr(encoder, "cache", None)
    if isinstance(embeddings, EmbeddingCache) and embeddings.enabled:
        return ReportCache(embeddings.path.parent)
    return None


def _glossary_entries(glossary, src_lang: str, tgt_lang: str) -> tuple:
    if glossary is None:
        return ()
    if isinstance(glossary, (str, os.PathLike)):
        from align.glossary import load_glossary

        return load_glossary(Path(glossary), src_lang, tgt_lang)
    return tuple(_glossary_entry(entry) for entry in glossary)


def _glossary_entry(entry) -> GlossaryEntry:
    """A glossary entry given as an entry, a (source, target) pair or a dict with those keys."""
    if isinstance(entry, GlossaryEntry):
        return entry
    if isinstance(entry, dict) and {"source", "target"} <= entry.keys():
        return GlossaryEntry(str(entry["source"]), str(entry["target"]), str(entry.get("note", "")))
    if isinstance(entry, (tuple, list)) and len(entry) == 2 and all(isinstance(x, str) for x in entry):
        return GlossaryEntry(*entry)
    raise InputError(f"a glossary entry must be a GlossaryEntry, a (source, target) pair or a dict "
                     f"with 'source' and 'target', not {entry!r}")


def signature(
    encoder: Encoder, config: AlignConfig, *, presplit: bool = False, dictionary: Dictionary | None = None
) -> dict[str, str]:
    """How a result was made, so a report can say so (as sacrebleu's signatures do)."""
    changed = {
        f.name: getattr(config, f.name)
        for f in dataclasses.fields(config)
        if getattr(config, f.name) != f.default
    }
    return {
        "align": __version__,
        "encoder": encoder.id,
        "segmenter": "presplit (one segment a line)" if presplit else "align.segment",
        "settings": ", ".join(f"{k}={v}" for k, v in changed.items()) or "defaults",
        "dictionary": f"FreeDict {dictionary.src_lang}-{dictionary.tgt_lang}" if dictionary else "none",
    }


def _warn_if_lopsided(source: Document, target: Document) -> None:
    a, b = len(source.text), len(target.text)
    if min(a, b) and max(a, b) / min(a, b) > _LENGTH_RATIO_WARNING:
        longer = "original" if a > b else "translation"
        warnings.warn(
            f"the {longer} is {max(a, b) / min(a, b):.1f} times longer than the other text: "
            "large parts will stay unaligned; check that these are a text and its translation",
            AlignWarning,
            stacklevel=3,
        )
