"""Reports served from the cache: a second ``check`` of the same run reads its issues back, and
anything a run reads (texts, alignment, glossary, kinds, options, code) gives it a new key."""

from __future__ import annotations

import dataclasses
import warnings
from pathlib import Path

import pytest

from align import checks, pipeline
from align.cache import REPORT_FILE, ReportCache
from align.checks import CheckContext, run_key
from align.embed import load_encoder
from align.glossary import GlossaryEntry
from align.types import Bead, Issue, Severity

SRC = (
    "Paweł Łatuszka kieruje Narodowym Zarządzaniem Antykryzysowym od 2020 roku.\n\n"
    "Narodowe Zarządzanie Antykryzysowe ma 30 proc. poparcia.\n\n"
    "Łatuszka mówi, że w kraju jest 40 tys. więźniów politycznych.\n"
)
TGT = (
    "Pavel Latushka has led the National Anti-Crisis Management since 2020.\n\n"
    "The National Crisis Management has 30% support.\n\n"
    "Latushko says there are 14 thousand political prisoners in the country.\n"
)


@pytest.fixture()
def encoder(tmp_path: Path):
    """The bundled encoder with a cache folder of its own, so the reports folder starts empty."""
    return load_encoder(cache_dir=tmp_path)


def test_the_second_check_reads_the_report_back_without_running_a_checker(encoder, tmp_path, monkeypatch):
    first = pipeline.check(SRC, TGT, encoder=encoder, src_lang="pl", tgt_lang="en")
    kinds = {issue.kind for issue in first.issues}
    assert {"name_variant", "number_mismatch"} <= kinds  # a run that found something real
    assert (tmp_path / REPORT_FILE).exists()

    def fail(*args, **kwargs):
        raise AssertionError("the checkers ran again")

    monkeypatch.setattr("align.checks.run_checks", fail)
    second = pipeline.check(SRC, TGT, encoder=encoder, src_lang="pl", tgt_lang="en")
    assert second.issues == first.issues
    assert second.alignment.beads == first.alignment.beads


def test_another_translation_or_glossary_is_checked_afresh(encoder, monkeypatch):
    pipeline.check(SRC, TGT, encoder=encoder, src_lang="pl", tgt_lang="en")
    runs = []
    real = checks.run_checks
    monkeypatch.setattr("align.checks.run_checks", lambda *a, **k: runs.append(1) or real(*a, **k))
    fixed = pipeline.check(SRC, TGT.replace("Latushko", "Latushka"), encoder=encoder, src_lang="pl", tgt_lang="en")
    assert "name_variant" not in {issue.kind for issue in fixed.issues}
    glossary = [GlossaryEntry("Narodowe Zarządzanie Antykryzysowe", "National Anti-Crisis Management")]
    pipeline.check(SRC, TGT, encoder=encoder, src_lang="pl", tgt_lang="en", glossary=glossary)
    pipeline.check(SRC, TGT, encoder=encoder, src_lang="pl", tgt_lang="en", kinds=["number_mismatch"])
    assert len(runs) == 3


def test_the_key_follows_everything_a_run_reads(encoder):
    alignment = pipeline.align(SRC, TGT, encoder=encoder, src_lang="pl", tgt_lang="en")
    ctx = CheckContext(alignment, encoder=encoder)
    key = run_key(ctx)
    assert run_key(CheckContext(alignment, encoder=encoder)) == key  # equal inputs, equal keys

    target = alignment.target
    edited = dataclasses.replace(target.segments[0], text=target.segments[0].text.replace("2020", "2021"))
    other_target = dataclasses.replace(target, segments=(edited, *target.segments[1:]))
    beads = alignment.beads
    other_beads = (Bead(beads[0].src, ()), Bead((), beads[0].tgt), *beads[1:])
    variants = [
        dataclasses.replace(ctx, alignment=dataclasses.replace(alignment, target=other_target)),
        dataclasses.replace(ctx, alignment=dataclasses.replace(alignment, beads=other_beads)),
        dataclasses.replace(ctx, glossary=(GlossaryEntry("Łatuszka", "Latushka"),)),
        dataclasses.replace(ctx, options={"dictionary": False}),
        dataclasses.replace(ctx, encoder=None),
    ]
    keys = {run_key(v) for v in variants} | {run_key(ctx, ["number_mismatch"]), key}
    assert len(keys) == len(variants) + 2


def test_a_report_with_any_text_survives_the_cache(tmp_path):
    cache = ReportCache(tmp_path)
    issues = [{"kind": "addition", "severity": Severity.LOW.value, "src": [], "tgt": [3],
               "message": "Zażółć gęślą jaźń \ud800 👍🏽 \x00", "evidence": ["«»"]}]
    cache.put(b"k", issues)
    assert cache.get(b"k") == issues
    assert cache.get(b"another key") is None


def test_only_the_newest_reports_are_kept(tmp_path, monkeypatch):
    monkeypatch.setattr("align.cache.REPORTS_KEPT", 2)
    cache = ReportCache(tmp_path)
    for k in range(4):
        cache.put(bytes([k]), [{"n": k}])
    assert [cache.get(bytes([k])) for k in range(4)] == [None, None, [{"n": 2}], [{"n": 3}]]


def test_a_corrupt_report_cache_warns_once_and_the_check_goes_on(encoder, tmp_path):
    (tmp_path / REPORT_FILE).write_bytes(b"not a database " * 300)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        report = pipeline.check(SRC, TGT, encoder=encoder, src_lang="pl", tgt_lang="en")
    caught = [w for w in caught if w.category is not pipeline.VocabularyNotice]  # on a machine without FreeDict
    assert [w.category for w in caught] == [RuntimeWarning]
    assert REPORT_FILE in str(caught[0].message)
    assert any(issue.kind == "name_variant" for issue in report.issues)
    assert isinstance(report.issues[0], Issue)


def test_an_uncached_encoder_caches_no_report(monkeypatch):
    stored = []
    monkeypatch.setattr(ReportCache, "put", lambda self, key, issues: stored.append(self.path))
    report = pipeline.check(SRC, TGT, encoder=load_encoder(cache=False), src_lang="pl", tgt_lang="en")
    assert report.issues and not stored
