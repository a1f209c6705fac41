"""align.review: bead arithmetic, re-checks, the names fix, undo, the view helpers, exports.

The pure parts are tested on small hand-made bead lists (and with hypothesis); the parts that
save to a store run on the demo pair with the real bundled encoder (its embedding cache is
warmed once per test session, in a folder shared with tests/test_app.py).
"""

from __future__ import annotations

import dataclasses
import io
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from translate.storage import tmx, xliff

from align import review
from align.checks import CheckContext, run_checks
from align.embed import load_encoder
from align.errors import InputError
from align.glossary import GlossaryEntry
from align.pipeline import make_document
from align.store import IssueStatus, RevisionConflict, Store, StoredIssue
from align.types import Alignment, Bead, Issue, Severity

# -- fixtures -----------------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def cache_dir(tmp_path_factory) -> Path:
    """One embedding cache for the whole session (tests/test_app.py uses the same folder)."""
    return tmp_path_factory.getbasetemp() / "align-cache"


@pytest.fixture(scope="session")
def encoder(cache_dir):
    return load_encoder(cache_dir=cache_dir)


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory, encoder) -> Path:
    """A store holding the demo project, aligned and checked once for the session."""
    path = tmp_path_factory.mktemp("review-template") / "projects.sqlite3"
    review.open_demo(Store(path), encoder=encoder)
    return path


@pytest.fixture
def demo(tmp_path, demo_template) -> tuple[Store, int]:
    """A fresh copy of the demo store for one test."""
    path = tmp_path / "projects.sqlite3"
    shutil.copy(demo_template, path)
    store = Store(path)
    return store, store.list_projects()[0].id


def keys(issues) -> list[tuple]:
    return sorted((i.kind, i.src, i.tgt, i.message) for i in issues)


def full_check(alignment: Alignment, encoder) -> list[tuple]:
    return keys(run_checks(CheckContext(alignment, encoder=encoder)))


def stored_keys(state) -> list[tuple]:
    return keys(s.issue for s in state.issues)


# -- bead arithmetic ----------------------------------------------------------------------------------

BEADS = (
    Bead((0,), (0,), 0.9),
    Bead((1,), (1, 2), 0.8),
    Bead((2, 3), (3,), 0.7),
    Bead((), (4,), 0.0),
    Bead((4,), (), 0.0),
)


def test_merge_with_next_joins_two_beads_and_keeps_the_lower_score():
    edit = review.merge_with_next(BEADS, 1)
    assert edit.beads[1] == Bead((1, 2, 3), (1, 2, 3), 0.7)
    assert edit.beads[:1] == BEADS[:1] and edit.beads[2:] == BEADS[3:]
    assert edit.changed == (1,) and edit.action == "merge"


def test_merge_with_previous_is_merge_with_next_of_the_bead_before():
    assert review.merge_with_previous(BEADS, 2) == review.merge_with_next(BEADS, 1)


@pytest.mark.parametrize(
    ("operation", "position", "message"),
    [
        (review.merge_with_next, 4, "no next pair"),
        (review.merge_with_previous, 0, "no previous pair"),
        (review.move_first_target_to_previous, 0, "no previous pair"),
        (review.move_last_source_to_next, 4, "no next pair"),
        (review.move_first_target_to_previous, 4, "no translated sentence"),
        (review.move_first_source_to_previous, 3, "no original sentence"),
        (review.merge_with_next, 7, "no pair 8"),
    ],
)
def test_impossible_edits_say_why(operation, position, message):
    with pytest.raises(review.ReviewError, match=message):
        operation(BEADS, position)


def test_split_cuts_each_side_where_asked():
    edit = review.split(BEADS, 1, 1, 1)
    assert edit.beads[1:3] == (Bead((1,), (1,), 0.8), Bead((), (2,), 0.8))
    assert edit.changed == (1, 2) and len(edit.beads) == len(BEADS) + 1


@pytest.mark.parametrize(("src_at", "tgt_at"), [(0, 0), (1, 2), (2, 1)])
def test_split_refuses_an_empty_part(src_at, tgt_at):
    with pytest.raises(review.ReviewError):
        review.split(BEADS, 1, src_at, tgt_at)


@settings(max_examples=100, deadline=None)
@given(st.integers(0, 4), st.integers(0, 4))
def test_the_offered_split_is_always_valid(n_src, n_tgt):
    if n_src + n_tgt < 2:
        return
    bead = Bead(tuple(range(n_src)), tuple(range(n_tgt)))
    review.split((bead,), 0, *review.default_cut(bead))  # raises if the cut were invalid


def test_the_offered_split_of_a_one_to_one_pair_unpairs_it():
    assert review.split((Bead((0,), (0,)),), 0, *review.default_cut(Bead((0,), (0,)))).beads == (
        Bead((0,), ()), Bead((), (0,)))


def test_the_offered_split_with_a_scorer_puts_a_stray_line_back_out(demo, encoder):
    store, project_id = demo
    alignment = store.load(project_id).alignment
    position = next(p for p, b in enumerate(alignment.beads[:-1]) if not b.src and len(b.tgt) == 1
                    and len(alignment.beads[p + 1].src) == len(alignment.beads[p + 1].tgt) == 1)
    merged = review.merge_with_next(alignment.beads, position).beads[position]  # a 1-2 pair: debris + a sentence
    scorer = review.Scorer.for_alignment(alignment, encoder)
    assert review.default_cut(merged) == (1, 1)  # the middle: the sentence with the stray line
    assert review.default_cut(merged, alignment, scorer) == (0, 1)  # the stray line alone, the pair as it was


def test_moving_a_sentence_across_a_boundary():
    up = review.move_first_target_to_previous(BEADS, 1)
    assert up.beads[:2] == (Bead((0,), (0, 1), 0.9), Bead((1,), (2,), 0.8))
    down = review.move_last_source_to_next(BEADS, 2)
    assert down.beads[2:4] == (Bead((2,), (3,), 0.7), Bead((3,), (4,), 0.0))
    assert up.changed == (0, 1) and down.changed == (2, 3)


def test_a_bead_left_empty_by_a_move_disappears():
    edit = review.move_first_target_to_previous(BEADS, 3)  # the 0-1 bead gives away its only sentence
    assert edit.beads[2] == Bead((2, 3), (3, 4), 0.7)
    assert len(edit.beads) == len(BEADS) - 1 and edit.changed == (2,)


def untranslated_alignment(src_text: str, tgt_text: str, beads: tuple[Bead, ...], *, presplit=False) -> Alignment:
    return Alignment(make_document(src_text, "pl", presplit=presplit), make_document(tgt_text, "en", presplit=presplit),
                     beads)


def test_a_dropped_sentence_translated_joins_the_previous_pair_with_the_originals_spacing():
    alignment = untranslated_alignment(
        "Ala ma kota. Kot jest szary.\n\nPies śpi.", "Ala has a cat.\n\nThe dog sleeps.",
        (Bead((0,), (0,), 0.9), Bead((1,), (), 0.0), Bead((2,), (1,), 0.9)),
    )
    assert not review.translation_goes_to_next(alignment, 1)  # mid-paragraph: it follows its sentence
    edit, index, text = review.attach_translation(alignment, 1, " The cat is grey. ", to_next=False)
    assert (index, text) == (0, "Ala has a cat. The cat is grey.")
    assert edit.beads == (Bead((0, 1), (0,), 0.0), Bead((2,), (1,), 0.9)) and edit.changed == (0,)
    assert edit.action == "add_translation"
    # the other way the original has a paragraph break between the two, and so has the join
    edit, index, text = review.attach_translation(alignment, 1, "The cat is grey.", to_next=True)
    assert (index, text) == (1, "The cat is grey.\n\nThe dog sleeps.")
    assert edit.beads == (Bead((0,), (0,), 0.9), Bead((1, 2), (1,), 0.0))


def test_a_dropped_line_of_a_presplit_text_is_translated_as_a_line_of_its_own():
    alignment = untranslated_alignment(
        "Pytanie?\nOdpowiedź.\nDalej.", "Answer.\nFurther.",
        (Bead((0,), (), 0.0), Bead((1,), (0,), 0.9), Bead((2,), (1,), 0.9)), presplit=True,
    )
    assert review.translation_goes_to_next(alignment, 0)  # nothing before it to take it
    _, index, text = review.attach_translation(alignment, 0, "Question?", to_next=True)
    assert (index, text) == (0, "Question?\nAnswer.")


@pytest.mark.parametrize(("position", "text", "to_next", "message"), [
    (0, "x", False, "already has a translation"),
    (1, "   ", False, "Type the translation"),
    (2, "x", False, "no previous pair with a translation"),  # the pair before is untranslated too
    (3, "x", True, "no next pair with a translation"),
])
def test_a_translation_that_cannot_be_added_says_why(position, text, to_next, message):
    alignment = untranslated_alignment(
        "Raz. Dwa. Trzy. Cztery.", "One.",
        (Bead((0,), (0,), 0.9), Bead((1,), (), 0.0), Bead((2,), (), 0.0), Bead((3,), (), 0.0)),
    )
    with pytest.raises(review.ReviewError, match=message):
        review.attach_translation(alignment, position, text, to_next=to_next)


def shapes_to_beads(shapes: list[tuple[int, int]]) -> tuple[Bead, ...]:
    beads, i, j = [], 0, 0
    for a, b in shapes:
        beads.append(Bead(tuple(range(i, i + a)), tuple(range(j, j + b)), 0.5))
        i, j = i + a, j + b
    return tuple(beads)


SHAPES = st.lists(
    st.tuples(st.integers(0, 3), st.integers(0, 3)).filter(lambda s: s != (0, 0)), min_size=1, max_size=12
)
OPERATIONS = [
    review.merge_with_next, review.merge_with_previous, review.move_first_target_to_previous,
    review.move_last_target_to_next, review.move_first_source_to_previous, review.move_last_source_to_next,
]


@settings(max_examples=300, deadline=None)
@given(SHAPES, st.data())
def test_every_edit_keeps_each_segment_once_in_order(shapes, data):
    beads = shapes_to_beads(shapes)
    position = data.draw(st.integers(0, len(beads) - 1))
    if data.draw(st.booleans()):
        bead = beads[position]
        src_at = data.draw(st.integers(0, len(bead.src)))
        tgt_at = data.draw(st.integers(0, len(bead.tgt)))
        operation = lambda b, p: review.split(b, p, src_at, tgt_at)  # noqa: E731
    else:
        operation = data.draw(st.sampled_from(OPERATIONS))
    try:
        edit = operation(beads, position)
    except review.ReviewError:
        return
    for side in ("src", "tgt"):
        before = [i for b in beads for i in getattr(b, side)]
        after = [i for b in edit.beads for i in getattr(b, side)]
        assert after == before  # every segment once, in document order
    assert all(b.src or b.tgt for b in edit.beads)
    assert edit.changed and all(0 <= p < len(edit.beads) for p in edit.changed)
    untouched = [b for k, b in enumerate(edit.beads) if k not in edit.changed]
    assert all(b in beads for b in untouched)


# -- evidence and highlighting ------------------------------------------------------------------------


def test_evidence_terms_read_each_checkers_wording():
    name = Issue("name_variant", Severity.MEDIUM, (5,), (10,), "m",
                 ("Latushka ×3", "Latushko ×1", "source: Łatuszka"), "Latushka")
    assert review.evidence_terms(name) == (("Łatuszka",), ("Latushko",))
    number = Issue("number_mismatch", Severity.HIGH, (1,), (1,), "m", ("original: 30 proc.", "translation: 40%"))
    assert review.evidence_terms(number) == (("30 proc.",), ("40%",))
    meaning = Issue("meaning_shift", Severity.MEDIUM, (2,), (2,), "m",
                    ("source: wyrzutnie", "closest in translation: grenades"))
    assert review.evidence_terms(meaning) == (("wyrzutnie",), ("grenades",))
    term = Issue("term_inconsistency", Severity.MEDIUM, (3,), (3,), "m",
                 ("'National Crisis Management' ×1 (also as 'Crisis Management')",))
    assert review.evidence_terms(term)[1] == ("National Crisis Management", "Crisis Management")
    dropped = Issue("number_mismatch", Severity.HIGH, (1,), (1,), "m", ("original: 38", "translation: no numbers"))
    assert review.evidence_terms(dropped) == (("38",), ())


def test_highlight_escapes_user_text_and_marks_whole_words():
    text = 'Pavel Latushko <script>alert("x")</script> & Latushkovich'
    out = review.highlight(text, [("Latushko", "sev-medium", 'a "title" <b>')])
    assert "<script>" not in out and "&lt;script&gt;" in out and "&amp;" in out
    assert out.count("<mark") == 1  # not inside "Latushkovich"
    assert '<mark class="sev-medium" title="a &quot;title&quot; &lt;b&gt;">Latushko</mark>' in out


def test_highlight_prefers_the_longer_of_overlapping_terms():
    out = review.highlight("the National Crisis Management office", [("Crisis", "a", ""), ("National Crisis Management", "b", "")])
    assert out.count("<mark") == 1 and ">National Crisis Management</mark>" in out


def test_word_diff_marks_the_changed_word_only():
    out = review.word_diff("Pavel Latushko told <Interia>.", "Pavel Latushka told <Interia>.")
    assert out == "Pavel <del>Latushko</del><ins>Latushka</ins> told &lt;Interia&gt;."


# -- the view -----------------------------------------------------------------------------------------


def test_filters_by_kind_severity_review_state_and_search(demo):
    store, project_id = demo
    state = store.load(project_id)
    views = review.pair_views(state)
    assert len(views) == len(state.alignment.beads)
    flagged = review.filter_pairs(views, kinds=["name_variant"])
    assert {v.target.count("Latushko") + v.target.count("Wolfovich") for v in flagged} == {1}
    assert review.filter_pairs(views, kinds=["name_variant"], severities=["high"]) == []
    low_names = review.filter_pairs(views, kinds=["name_variant"], severities=["low"])
    assert [v.target.count("Wolfovich") for v in low_names] == [1]
    segments_with_low = {j for s in state.issues if s.issue.severity is Severity.LOW for j in s.issue.tgt}
    segments_with_low |= {-1 - i for s in state.issues if s.issue.severity is Severity.LOW for i in s.issue.src}
    expected = [v.position for v in views if set(v.bead.tgt) & segments_with_low
                or {-1 - i for i in v.bead.src} & segments_with_low]
    assert [v.position for v in review.filter_pairs(views, severities=["low"])] == expected
    assert review.filter_pairs(views, review=review.ReviewFilter.REVIEWED) == []
    found = review.filter_pairs(views, query="HAND GRENADES")
    assert len(found) == 1 and "hand grenades" in found[0].target
    low = review.filter_pairs(views, review=review.ReviewFilter.LOW_SCORE)
    assert low and all(v.bead.score < review.LOW_SCORE for v in low)
    assert review.page_count(len(views)) == -(-len(views) // review.PAGE_SIZE)
    assert review.page_of(views, 120) == 120 // review.PAGE_SIZE + 1 and review.page_of(flagged, 120) is None
    # the pair open in the editor stays shown though it no longer matches (its issue just fixed)
    kept = review.filter_pairs(views, kinds=["name_variant"], keep=120)
    assert [v.position for v in kept] == sorted([*(v.position for v in flagged), 120])


def test_similarity_cells_cover_the_path_whole_or_in_a_band(demo, encoder):
    store, project_id = demo
    alignment = store.load(project_id).alignment
    src, tgt = review.sentence_vectors(alignment, encoder)
    full = review.similarity_cells(alignment, src, tgt)
    assert len(full) == len(src) * len(tgt)
    band = review.similarity_cells(alignment, src, tgt, band=3, full_up_to=0)
    assert len(band) < len(full) / 5
    on_path = {(i - 1, j - 1) for i, j in full[full["path"]][["original", "translation"]].itertuples(index=False)}
    assert on_path == {(i, j) for b in alignment.beads for i in b.src for j in b.tgt}
    assert on_path <= {(i - 1, j - 1) for i, j in band[["original", "translation"]].itertuples(index=False)}
    row = full[(full["original"] == 7) & (full["translation"] == 12)].iloc[0]  # a path cell
    assert np.isclose(row["similarity"], float(src[6] @ tgt[11]), atol=1e-3)
    assert alignment.beads[int(row["pair"]) - 1].src == (6,)


def test_upload_size_limit_says_what_to_do():
    review.check_upload_size("a.txt", 5 * 2**20, 5)
    with pytest.raises(InputError, match=r"big\.docx is 6\.0 MB; the app takes files up to 5 MB"):
        review.check_upload_size("big.docx", 6 * 2**20, 5)


# -- edits saved to the store -------------------------------------------------------------------------


def test_merge_is_saved_rescored_rechecked_and_undone_whole(demo, encoder):
    store, project_id = demo
    before = store.load(project_id)
    scorer = review.Scorer.for_alignment(before.alignment, encoder)
    outcome = review.commit_bead_edit(store, before, lambda b: review.merge_with_next(b, 10),
                                      scorer=scorer, encoder=encoder)
    after = store.load(project_id)
    merged = after.alignment.beads[10]
    assert merged.src == before.alignment.beads[10].src + before.alignment.beads[11].src
    assert merged.tgt == before.alignment.beads[10].tgt + before.alignment.beads[11].tgt
    assert len(after.alignment.beads) == len(before.alignment.beads) - 1
    assert 0.0 <= merged.score <= 1.0 and outcome.changed == (10,)
    assert stored_keys(after) == full_check(after.alignment, encoder)

    assert review.undo(store, after) == "Undid: merge of pairs 11 and 12."
    restored = store.load(project_id)
    assert restored.alignment.beads == before.alignment.beads
    assert stored_keys(restored) == stored_keys(before)


def test_a_dropped_question_translated_in_the_app_restores_the_text_and_clears_the_omission(tmp_path, encoder):
    original, translation = (path.read_text(encoding="utf-8") for path in review.demo_paths())
    question = "Why didn’t it happen?"  # a question of the interview, a paragraph of its own
    assert f"\n\n{question}\n\n" in translation
    store = Store(tmp_path / "projects.sqlite3")
    project_id = review.create_project(store, "dropped", original, translation.replace(f"{question}\n\n", "", 1),
                                       encoder=encoder)
    before = store.load(project_id)
    [position] = [p for p, b in enumerate(before.alignment.beads) if not b.tgt]
    [omission] = [s.issue for s in before.issues if s.issue.kind == "omission"]
    assert omission.src == before.alignment.beads[position].src
    scorer = review.Scorer.for_alignment(before.alignment, encoder)

    outcome = review.add_translation(store, before, position, question, encoder=encoder, scorer=scorer)
    after = store.load(project_id)
    assert outcome.changed == (position,) and len(after.alignment.beads) == len(before.alignment.beads) - 1
    merged = after.alignment.beads[position]
    assert merged.src == before.alignment.beads[position].src + before.alignment.beads[position + 1].src
    assert merged.score > 0.5  # scored again: the question and its answer against both of theirs
    assert after.corrected_target_text() == translation  # the paragraph break is back too
    assert not [s for s in after.issues if s.issue.kind == "omission"]
    assert stored_keys(after) == full_check(after.alignment, encoder)

    assert review.undo(store, after) == f"Undid: translation added to pairs {position + 1} and {position + 2}."
    restored = store.load(project_id)
    assert restored.alignment == before.alignment and stored_keys(restored) == stored_keys(before)


def test_a_score_recomputed_for_a_split_matches_a_good_and_a_bad_pair(demo, encoder):
    store, project_id = demo
    state = store.load(project_id)
    alignment = state.alignment
    scorer = review.Scorer.for_alignment(alignment, encoder)
    good = alignment.beads[10]  # a 1-1 pair the aligner scored high
    wrong = Bead(good.src, alignment.beads[40].tgt)  # the same original with an unrelated translation
    assert scorer.score(alignment, good) > 0.8
    assert scorer.score(alignment, wrong) < 0.2
    assert scorer.score(alignment, Bead(good.src, ())) == 0.0
    # a pair split back out of a merge gets about the score the aligner gave it, not a lower one
    one_to_one = [b for b in alignment.beads if len(b.src) == len(b.tgt) == 1]
    gaps = np.array([abs(scorer.score(alignment, b) - b.score) for b in one_to_one])
    assert gaps.mean() < 0.01 and gaps.max() < 0.1, (gaps.mean(), gaps.max())


def test_an_edit_on_a_stale_view_of_its_own_pair_writes_nothing(demo, encoder):
    store, project_id = demo
    seen = store.load(project_id)
    review.set_reviewed(store, seen, 11, True)  # another tab, on the pair the merge would swallow
    with pytest.raises(RevisionConflict):
        review.commit_bead_edit(store, seen, lambda b: review.merge_with_next(b, 10), encoder=encoder)
    with pytest.raises(RevisionConflict):
        review.edit_translation(store, seen, seen.alignment.beads[11].tgt[0], "Rewritten.", encoder=encoder)
    review.set_comment(store, store.load(project_id), 14, "from tab A")
    with pytest.raises(RevisionConflict):
        review.set_comment(store, seen, 14, "from tab B")
    now = store.load(project_id)
    assert now.alignment.beads == seen.alignment.beads and now.reviewed[11] and now.comments[14] == "from tab A"


def test_an_edit_on_a_stale_view_of_other_pairs_is_made_on_the_latest_version(demo, encoder):
    """Tab A marks pair 18 reviewed; then tab B, which has not seen that, dismisses an issue,
    comments on pair 16, rewrites the text of pair 15 and merges pairs 31 and 32: each on a pair
    A left alone, so each is made on the latest version (and none of B's edits undoes A's)."""
    store, project_id = demo
    seen = store.load(project_id)
    index = seen.alignment.beads[14].tgt[0]
    review.set_reviewed(store, seen, 17, True)  # tab A
    issue = next(s for s in seen.issues if s.issue.kind == "name_variant")
    review.set_issue_status(store, seen, issue.id, "dismissed")
    review.set_comment(store, seen, 15, "typed in B")
    review.edit_translation(store, seen, index, "Rewritten by B.", encoder=encoder)
    review.commit_bead_edit(store, seen, lambda b: review.merge_with_next(b, 30), encoder=encoder)
    now = store.load(project_id)
    assert now.reviewed[17] and now.comments[15] == "typed in B"
    assert now.alignment.target.segments[index].text == "Rewritten by B."
    assert len(now.alignment.beads) == len(seen.alignment.beads) - 1
    assert next(s for s in now.issues if s.issue == issue.issue).status is IssueStatus.DISMISSED
    with pytest.raises(RevisionConflict):  # the merge moved pair 42 up to position 40: not what B saw there
        review.set_reviewed(store, seen, 40, True)


def test_name_fix_changes_every_variant_and_clears_the_issue(demo, encoder):
    store, project_id = demo
    state = store.load(project_id)
    cluster = next(c for c in review.name_clusters_of(state) if "Latushko" in c.variants)
    assert cluster.canonical == "Latushka"
    preview = review.preview_replacement(state, "Latushko", "Latushka")
    outcome = review.replace_in_translation(store, state, "Latushko", "Latushka", encoder=encoder)
    after = store.load(project_id)
    assert {c.index for c in preview} == {i for i, t in after.edits.items()}
    assert [after.alignment.target.segments[c.index].text for c in preview] == [c.after for c in preview]
    text = after.corrected_target_text()
    assert "Latushko" not in text and text.count("Latushka") == state.original_target.text.count("Latushk")
    assert not any("Latushko" in s.issue.message for s in after.issues)
    assert stored_keys(after) == full_check(after.alignment, encoder)
    assert outcome.message == "Replaced 'Latushko' with 'Latushka' in 1 sentence."

    review.undo(store, after)
    undone = store.load(project_id)
    assert undone.corrected_target_text() == state.original_target.text
    assert stored_keys(undone) == stored_keys(state)


def test_replacing_a_spelling_that_is_not_there_changes_nothing(demo, encoder):
    store, project_id = demo
    state = store.load(project_id)
    outcome = review.replace_in_translation(store, state, "Latuszko", "Latushka", encoder=encoder)
    assert outcome.revision == state.revision and "nothing changed" in outcome.message
    with pytest.raises(review.ReviewError):
        review.replace_in_translation(store, state, "Latushka", "Latushka")


def test_recheck_of_changed_pairs_equals_a_full_check_and_keeps_verdicts(tmp_path, encoder):
    source = make_document("Mam 30 lat.\n\nAla ma kota.\n\nPies śpi w domu.\n\nKot ma 3 lata.", "pl")
    target = make_document("I am 40.\n\nAla has a cat.\n\nThe dog sleeps at home.\n\nThe cat is 3.", "en")
    beads = tuple(Bead((k,), (k,), 0.9) for k in range(4))
    alignment = Alignment(source, target, beads)
    store = Store(tmp_path / "p.sqlite3")
    issues = run_checks(CheckContext(alignment, encoder=encoder))
    assert [i.kind for i in issues] == ["number_mismatch"]  # 30 against 40, in the first pair
    project_id = store.create_project("numbers", alignment, issues)
    state = store.load(project_id)
    store.set_issue_status(project_id, state.issues[0].id, IssueStatus.DISMISSED)
    state = store.load(project_id)

    review.commit_bead_edit(store, state, lambda b: review.merge_with_next(b, 1), encoder=encoder)
    after = store.load(project_id)
    assert stored_keys(after) == full_check(after.alignment, encoder)
    assert [s.status for s in after.issues] == [IssueStatus.DISMISSED]  # the verdict survives


def test_document_rechecks_run_in_the_background_and_fold_requests(demo, encoder):
    store, project_id = demo
    state = store.load(project_id)
    rechecks = review.DocumentRechecks()
    outcome = review.replace_in_translation(store, state, "Latushko", "Latushka", encoder=encoder, rechecks=rechecks)
    assert outcome.revision == state.revision + 1  # returned before the document-wide re-check
    rechecks.request(store, project_id, encoder=encoder)  # folded into the running one
    rechecks.wait(store, project_id, timeout=600)
    assert not rechecks.pending(store, project_id) and rechecks.take_error(store, project_id) is None
    after = store.load(project_id)
    assert not any("Latushko" in s.issue.message for s in after.issues)
    assert stored_keys(after) == full_check(after.alignment, encoder)
    assert review.only_rechecks_since(store, project_id, outcome.revision)
    assert not review.only_rechecks_since(store, project_id, state.revision)


def test_undo_without_edits_returns_none(demo):
    store, project_id = demo
    assert review.undo(store, store.load(project_id)) is None


def test_undo_says_what_it_undid_in_the_apps_words(demo, encoder):
    store, project_id = demo

    def latest():
        return store.load(project_id)

    review.commit_bead_edit(store, latest(), lambda b: review.merge_with_previous(b, 9), encoder=encoder)
    assert review.undo(store, latest()) == "Undid: merge of pairs 9 and 10."
    review.commit_bead_edit(store, latest(), lambda b: review.split(b, 17, 1, 1), encoder=encoder)
    assert review.undo(store, latest()) == "Undid: split of pair 18."
    review.set_reviewed(store, latest(), 17, True)
    assert review.undo(store, latest()) == "Undid: pair 18 marked reviewed."
    review.edit_translation(store, latest(), 1, "Edited.", encoder=encoder)
    assert review.undo(store, latest()) == "Undid: edit of translated sentence 2."
    review.delete_translation(store, latest(), 0, encoder=encoder)
    assert review.undo(store, latest()) == "Undid: deletion of translated sentence 1."
    review.set_comment(store, latest(), 1, "A note.")
    assert review.undo(store, latest()) == "Undid: comment on pair 2."
    issue = next(s for s in latest().issues if "Latushko" in s.issue.message)
    review.set_issue_status(store, latest(), issue.id, "dismissed")
    assert review.undo(store, latest()) == "Undid: the name variant issue on pair 11 marked dismissed."
    review.replace_in_translation(store, latest(), "Latushko", "Latushka", encoder=encoder)
    assert review.undo(store, latest()) == "Undid: replacement of 'Latushko' with 'Latushka' in 1 translated sentence."


def test_undo_on_a_view_overtaken_by_a_recheck_only_still_undoes(demo, encoder):
    store, project_id = demo
    seen = store.load(project_id)
    outcome = review.set_reviewed(store, seen, 4, True)
    seen = store.load(project_id)
    review.recheck_document(store, project_id, encoder=None)  # our own background re-check, without the encoder
    assert store.revision(project_id) > outcome.revision
    assert review.undo(store, seen) == "Undid: pair 5 marked reviewed."
    assert not store.load(project_id).reviewed[4]


def test_a_translated_sentence_saved_empty_is_deleted(demo, encoder):
    """Pair 1 of the demo is page debris ("top of page") with the suggestion to delete it."""
    store, project_id = demo
    before = store.load(project_id)
    debris = [s for s in before.issues if s.issue.tgt == (0,)]
    assert [s.issue.suggestion for s in debris] == ["Delete it."]
    outcome = review.edit_translation(store, before, 0, "  \n ", encoder=encoder)
    assert outcome.message == "Deleted translated sentence 1."
    after = store.load(project_id)
    assert after.alignment.target.segments[0].text == ""
    assert not [s for s in after.issues if 0 in s.issue.tgt]  # no checker reports the deleted sentence
    assert after.info.open_issues == before.info.open_issues - len(debris)
    assert stored_keys(after) == full_check(after.alignment, encoder)
    text = after.corrected_target_text()
    assert text == before.original_target.text.removeprefix("top of page\n\n")
    assert review.pair_views(after)[0].translation_deleted and review.pair_views(after)[0].target == ""


def test_a_translation_rewritten_is_scored_again_and_undo_takes_the_score_back(demo, encoder):
    store, project_id = demo
    before = store.load(project_id)
    scorer = review.Scorer.for_alignment(before.alignment, encoder)
    position = next(p for p, b in enumerate(before.alignment.beads) if len(b.src) == len(b.tgt) == 1 and b.score > 0.9)
    [index] = before.alignment.beads[position].tgt
    review.edit_translation(store, before, index, "Bananas are yellow and grow in warm countries.",
                            encoder=encoder, scorer=scorer)
    after = store.load(project_id)
    assert after.alignment.beads[position].score < 0.2  # the low-score filter finds it now
    assert "Undid: edit of translated sentence" in review.undo(store, after)
    assert store.load(project_id).alignment.beads[position].score == before.alignment.beads[position].score
    # deleting the translation leaves the pair nothing to score
    review.delete_translation(store, store.load(project_id), index, encoder=encoder, scorer=scorer)
    assert store.load(project_id).alignment.beads[position].score == 0.0


def test_library_messages_name_the_apps_controls_not_the_command_line_flags():
    mismatch = "the source text was given as German (de) but reads as Polish (pl): check --src-lang"
    assert review.app_wording(mismatch) == (
        "The original was given as German (de) but reads as Polish (pl): check the original's Language selector.")
    undetected = "could not detect the language of the target text: pass --tgt-lang with an ISO 639-1 code such as en or pl"
    assert review.app_wording(undetected) == (
        "Could not detect the language of the translation: choose it with the translation's Language selector.")
    uncovered = "the source text looks like Latin (la), which the encoder does not cover; it covers English (en) " \
                "(if detected wrongly, pass --src-lang/--tgt-lang)"
    assert "--" not in review.app_wording(uncovered) and "Language selectors" in review.app_wording(uncovered)
    assert "in the Encoder box" in review.app_wording("give an encoder that covers them with --model (a local")
    named = "the original is the text 'notes.txt', which looks like a file name: to read a file, give its path " \
            "(pathlib.Path('notes.txt')), not a string"
    assert review.app_wording(named).endswith("which looks like a file name: to align a file, upload it.")
    assert review.app_wording("Pair 1 is the first one.") == "Pair 1 is the first one."


def test_counts_take_the_singular_for_one():
    assert [review.counted(n, "open issue") for n in (0, 1, 2)] == ["0 open issues", "1 open issue", "2 open issues"]


def test_reviewed_flag_comment_and_issue_verdict(demo):
    store, project_id = demo
    state = store.load(project_id)
    state = store.load(project_id) if review.set_reviewed(store, state, 5, True) else state
    state = store.load(project_id) if review.set_comment(store, state, 5, "  check <b>this</b> ") else state
    issue: StoredIssue = state.issues[0]
    review.set_issue_status(store, state, issue.id, "dismissed")
    state = store.load(project_id)
    assert state.reviewed[5] and state.comments[5] == "check <b>this</b>"
    view = review.pair_views(state)[5]
    assert view.reviewed and view.comment == "check <b>this</b>"
    assert state.issues[0].status is IssueStatus.DISMISSED
    assert issue.issue not in state.report.issues


# -- projects and exports -----------------------------------------------------------------------------


def test_a_pasted_script_is_kept_as_text(tmp_path, encoder):
    store = Store(tmp_path / "p.sqlite3")
    project_id = review.create_project(
        store, "<b>pasted</b>", "Ala ma kota. <script>alert(1)</script> Pies śpi.",
        "Ala has a cat. <script>alert(1)</script> The dog sleeps.", src_lang="pl", tgt_lang="en", encoder=encoder,
    )
    state = store.load(project_id)
    assert state.info.name == "<b>pasted</b>"
    rows = [review.highlight(v.target, []) for v in review.pair_views(state)]
    assert any("&lt;script&gt;alert(1)&lt;/script&gt;" in r for r in rows)
    assert not any("<script>" in r for r in rows)
    assert "<script>" not in review.export_bytes(state, "qa_html").decode()
    assert review.export_filename(state, "tmx") == "b-pasted-b.tmx"


GLOSSARY_CSV = "source,target\nKoalicja Obywatelska,Civic Coalition\n".encode()


def test_a_project_keeps_its_glossary_for_every_later_check(tmp_path, encoder):
    store = Store(tmp_path / "p.sqlite3")
    project_id = review.create_project(
        store, "coalition", "Koalicja Obywatelska wygrała wybory. Posłowie Koalicji Obywatelskiej świętowali.",
        "The Citizens' Coalition won the election. Civic Coalition MPs celebrated.", src_lang="pl", tgt_lang="en",
        encoder=encoder, glossary_file=("terms.csv", GLOSSARY_CSV),
    )
    state = store.load(project_id)
    assert review.project_glossary(state) == (GlossaryEntry("Koalicja Obywatelska", "Civic Coalition", line=2),)
    assert [(i.issue.kind, i.issue.tgt) for i in state.issues if i.issue.kind == "glossary"] == [("glossary", (0,))]
    # the edit that follows the glossary is re-checked against it, and the issue goes
    review.edit_translation(store, state, 0, "The Civic Coalition won the election.", encoder=encoder,
                            glossary=review.project_glossary(state))
    assert not [i for i in store.load(project_id).issues if i.issue.kind == "glossary"]


def test_a_glossary_given_later_checks_the_edited_translation_and_undo_takes_it_back(tmp_path, encoder):
    store = Store(tmp_path / "p.sqlite3")
    project_id = review.create_project(
        store, "coalition", "Koalicja Obywatelska wygrała wybory. Posłowie Koalicji Obywatelskiej świętowali.",
        "The Citizens' Coalition won the election. Civic Coalition MPs celebrated.", src_lang="pl", tgt_lang="en",
        encoder=encoder,
    )
    state = store.load(project_id)
    assert not review.project_glossary(state) and not [i for i in state.issues if i.issue.kind == "glossary"]
    review.edit_translation(store, state, 1, "The Coalition's MPs celebrated.", encoder=encoder)
    outcome = review.set_glossary(store, store.load(project_id), ("terms.csv", GLOSSARY_CSV), encoder=encoder)
    assert "terms.csv (1 term)" in outcome.message
    state = store.load(project_id)
    assert review.project_glossary(state) == (GlossaryEntry("Koalicja Obywatelska", "Civic Coalition", line=2),)
    assert state.settings["glossary_file"] == "terms.csv"
    # both pairs now miss the required rendering: the first as imported, the second as edited
    assert sorted(i.issue.tgt for i in state.issues if i.issue.kind == "glossary") == [(0,), (1,)]
    # a broken file is refused with the glossary named, and the project keeps the glossary it had
    with pytest.raises(InputError, match="the glossary broken.csv"):
        review.set_glossary(store, state, ("broken.csv", b"source,target\nKoalicja\n"), encoder=encoder)
    assert store.load(project_id).revision == state.revision
    assert review.undo(store, state) == "Undid: change of the glossary to terms.csv."
    state = store.load(project_id)
    assert not review.project_glossary(state) and not [i for i in state.issues if i.issue.kind == "glossary"]
    assert state.alignment.target.segments[1].text == "The Coalition's MPs celebrated."  # the edit stays
    review.set_glossary(store, state, ("terms.csv", GLOSSARY_CSV), encoder=encoder)
    outcome = review.set_glossary(store, store.load(project_id), None, encoder=encoder)
    assert "no glossary" in outcome.message
    state = store.load(project_id)
    assert state.settings["glossary_file"] is None and not review.project_glossary(state)
    assert not [i for i in state.issues if i.issue.kind == "glossary"]


def test_create_project_refuses_an_empty_name(tmp_path, encoder):
    with pytest.raises(InputError, match="name"):
        review.create_project(Store(tmp_path / "p.sqlite3"), "  ", "Ala ma kota.", "Ala has a cat.", encoder=encoder)


def test_open_demo_reopens_the_saved_project(demo, encoder):
    store, project_id = demo
    assert review.open_demo(store, encoder=encoder) == project_id
    assert len(store.list_projects()) == 1


def test_every_export_parses_back_with_the_edits(demo, encoder):
    store, project_id = demo
    state = store.load(project_id)
    review.replace_in_translation(store, state, "Latushko", "Latushka", encoder=encoder)
    state = store.load(project_id)
    review.set_reviewed(store, state, 10, True)
    state = store.load(project_id)
    review.set_comment(store, state, 10, "Check the <b>title</b> & the date")
    state = store.load(project_id)
    data = {fmt: review.export_bytes(state, fmt) for fmt in review.EXPORT_FORMATS}
    # the reviewer's comment goes with the pair in every format a translator is handed
    assert xliff.xlifffile.parsestring(data["xliff"]).units[10].getnotes("reviewer") == "Check the <b>title</b> & the date"
    assert "Check the &lt;b&gt;title&lt;/b&gt; &amp; the date" in data["qa_html"].decode()
    for fmt in ("tmx", "csv", "xlsx"):
        assert b"Check the" in data[fmt] or fmt == "xlsx"
    assert "Check the <b>title</b> & the date" in set(pd.read_excel(io.BytesIO(data["xlsx"]), sheet_name="pairs",
                                                                     keep_default_na=False)["comment"])

    memory = tmx.tmxfile.parsestring(data["tmx"])
    targets = [u.target for u in memory.units]
    assert len(targets) == sum(1 for b in state.alignment.beads if b.src and b.tgt)
    assert any("Latushka told Interia" in t for t in targets) and not any("Latushko" in t for t in targets)
    units = xliff.xlifffile.parsestring(data["xliff"]).units
    assert b"original=\"pl.txt\"" in data["xliff"]  # the file the units come from, as the demo was opened
    assert len(units) == len(state.alignment.beads) and units[10].isapproved()
    table = pd.read_csv(io.BytesIO(data["csv"]), keep_default_na=False)
    assert len(table) == len(state.alignment.beads) and table["reviewed"].sum() == 1
    sheet = pd.read_excel(io.BytesIO(data["xlsx"]), sheet_name="pairs", keep_default_na=False)
    assert list(sheet["target"]) == list(table["target"])
    text = data["text"].decode("utf-8")
    assert "Latushko" not in text and text.count("Latushka") == 4
    assert text.endswith("bottom of page\n")  # a text file ends with a line break, as the upload did
    assert "Wolfovich" in data["qa_html"].decode() and "Latushko" not in data["qa_html"].decode()
    qa = pd.read_csv(io.BytesIO(data["qa_csv"]), encoding="utf-8-sig", keep_default_na=False)
    assert len(qa) == len(state.report.issues) and "name_variant" in set(qa["kind"])
    assert not qa["message"].str.contains("Latushko").any()
    with pytest.raises(review.ReviewError):
        review.export_bytes(state, "pdf")


def test_encoder_names_round_trip():
    assert review.encoder_name("use-multilingual-v3") is None
    assert review.encoder_name("st:sentence-transformers/all-MiniLM-L6-v2") == "sentence-transformers/all-MiniLM-L6-v2"


def test_scorer_on_a_document_without_sentences_is_harmless(encoder):
    empty = Alignment(make_document("Ala ma kota.", "pl"), dataclasses.replace(make_document("x", "en"), segments=()),
                      (Bead((0,), ()),))
    scorer = review.Scorer.for_alignment(empty, encoder)
    assert scorer.score(empty, empty.beads[0]) == 0.0


def test_a_broken_glossary_is_named_as_the_glossary_and_creates_nothing(tmp_path, encoder):
    store = Store(tmp_path / "p.sqlite3")
    with pytest.raises(InputError, match=r"^the glossary broken\.csv, line 2: a quote"):
        review.create_project(store, "coalition", "Koalicja Obywatelska wygrała.", "The Civic Coalition won.",
                              src_lang="pl", tgt_lang="en", encoder=encoder,
                              glossary_file=("broken.csv", b'source,target\n"Koalicja,Civic Coalition\n'))
    assert not store.list_projects()
