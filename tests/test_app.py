"""The review app's flows, driven through Streamlit's AppTest (no browser).

Every test points ALIGN_STORE at its own temporary store and ALIGN_CACHE_DIR at the session's
embedding cache (shared with tests/test_review.py), and uses the real bundled encoder. Results
are read back from the store, not from the screen only.
"""

from __future__ import annotations

import io
import re
import shutil
import tomllib
from pathlib import Path

import pandas as pd
import pytest
from streamlit.runtime.media_file_manager import MediaFileManager
from streamlit.testing.v1 import AppTest
from translate.storage import tmx, xliff

from streamlit.string_util import is_emoji

from align import review
from align.embed import load_encoder
from align.pipeline import make_document
from align.store import Store
from align.types import Alignment, Bead, Issue, Severity

APP = str(Path(__file__).resolve().parent.parent / "app.py")
TIMEOUT = 180  # the first run in a session loads the encoder


@pytest.fixture(scope="session")
def cache_dir(tmp_path_factory) -> Path:
    return tmp_path_factory.getbasetemp() / "align-cache"


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory, cache_dir) -> Path:
    """A store with the demo project, made once; it also warms the embedding cache."""
    path = tmp_path_factory.mktemp("app-template") / "projects.sqlite3"
    review.open_demo(Store(path), encoder=load_encoder(cache_dir=cache_dir))
    return path


@pytest.fixture
def store_path(tmp_path, cache_dir, monkeypatch) -> Path:
    path = tmp_path / "store" / "projects.sqlite3"
    monkeypatch.setenv("ALIGN_STORE", str(path))
    monkeypatch.setenv("ALIGN_CACHE_DIR", str(cache_dir))
    return path


@pytest.fixture
def demo_store(store_path, demo_template) -> Store:
    store_path.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(demo_template, store_path)
    return Store(store_path)


def open_app(page: str | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT).run()
    if page:
        at.switch_page(page).run()
    assert not at.exception, at.exception
    return at


def html(at: AppTest) -> str:
    return "\n".join(element.value for element in at.html)


def text(at: AppTest) -> str:
    """What the page says, without the markup."""
    return re.sub(r"<[^>]+>", "", html(at))


def said(messages) -> list[str]:
    """The texts of message boxes or toasts as the person reads them (the app escapes Markdown)."""
    return [re.sub(r"\\(.)", r"\1", m.value) for m in messages]


def pairs_shown(at: AppTest) -> int:
    return html(at).count('id="pair-')


def button(at: AppTest, label: str):
    return next(b for b in at.button if b.label == label)


def comment_box(at: AppTest):
    return next(t for t in at.text_area if t.label == "Comment")


def sentence_box(at: AppTest, index: int):
    return next(t for t in at.text_area if t.label == f"Translated sentence {index + 1}")


def demo_state(store: Store):
    return store.load(store.list_projects()[0].id)


def settled_state(store: Store):
    """The demo project once the app's background document-wide re-check is done."""
    from app_pages import common

    project_id = store.list_projects()[0].id
    common.rechecks().wait(store, project_id, timeout=600)
    return store.load(project_id)


# -- opening ------------------------------------------------------------------------------------------


def test_opens_on_the_demo_aligned_and_checked_and_reopens_it(store_path, demo_template):
    at = open_app()
    projects = Store(store_path).list_projects()
    assert [p.name for p in projects] == [review.DEMO_NAME]
    assert projects[0].beads > 100 and projects[0].open_issues >= 1
    page = html(at)
    assert pairs_shown(at) == review.PAGE_SIZE
    assert "Łatuszka interview" in page  # the project name, in the sidebar
    assert at.query_params["project"] == str(projects[0].id)

    again = open_app()  # a second tab (session) opens the same saved project
    assert [p.id for p in Store(store_path).list_projects()] == [projects[0].id]
    assert pairs_shown(again) == review.PAGE_SIZE


def test_flags_are_highlighted_in_the_text(demo_store):
    at = open_app()
    page = html(at)
    assert '<mark class="sev-medium"' in page and ">Latushko</mark>" in page
    assert "name variant" in page and "→ Latushka" in page


# -- filters ------------------------------------------------------------------------------------------


def test_filter_by_kind_severity_state_and_search(demo_store):
    at = open_app()
    at.multiselect(key="f_kinds").set_value(["name_variant"]).run()
    assert pairs_shown(at) == 2
    at.multiselect(key="f_sev").set_value(["low"]).run()
    assert pairs_shown(at) == 1 and "Wolfovich</mark>" in html(at)
    at.multiselect(key="f_kinds").set_value([]).run()
    at.multiselect(key="f_sev").set_value([]).run()
    at.text_input(key="f_query").set_value("grenades").run()
    assert pairs_shown(at) == 1 and "hand grenades" in text(at)
    at.text_input(key="f_query").set_value("").run()
    at.selectbox(key="f_review").set_value(review.ReviewFilter.REVIEWED).run()
    assert pairs_shown(at) == 0 and at.info[0].value == "No pair matches these filters."
    button(at, "Show all pairs").click().run()
    assert pairs_shown(at) == review.PAGE_SIZE


def test_long_documents_are_paged(demo_store):
    at = open_app()
    total = demo_state(demo_store).info.beads
    assert "pair-1\"" in html(at) and f'id="pair-{review.PAGE_SIZE + 1}"' not in html(at)
    last = review.page_count(total)
    at.pagination[0].set_value(last).run()
    assert pairs_shown(at) == total - (last - 1) * review.PAGE_SIZE
    assert f'id="pair-{(last - 1) * review.PAGE_SIZE + 1}"' in html(at)


# -- editing ------------------------------------------------------------------------------------------


def test_apply_the_name_fix_then_undo(demo_store):
    at = open_app("app_pages/names.py")
    assert "Latushka / Latushko" in html(at)
    assert "<del>Latushko</del><ins>Latushka</ins>" in html(at)  # the preview
    button(at, "Apply “Latushka” to the whole translation").click().run()
    assert not at.exception, at.exception
    state = settled_state(demo_store)
    assert "Latushko" not in state.corrected_target_text()
    assert not any("Latushko" in s.issue.message for s in state.issues)
    assert "Replaced 'Latushko' with 'Latushka' in 1 sentence." in said(at.toast)
    assert "Latushka / Latushko" not in html(at)  # the name is now written one way

    at.run()  # the page as it is after the background re-check
    button(at, "Undo last edit").click().run()
    state = settled_state(demo_store)
    assert "Pavel Latushko told Interia" in state.corrected_target_text()
    assert any("Latushko" in s.issue.message for s in state.issues)


def test_the_recheck_notice_shows_once_on_every_page(demo_store, monkeypatch):
    """While a document-wide re-check runs, the review page shows the notice in its table's head
    and the other pages in the sidebar: one notice each, never two."""
    monkeypatch.setattr(review.DocumentRechecks, "pending", lambda self, store, project_id: True)

    def notices(elements) -> int:
        return sum("Re-checking the whole document" in c.value for c in elements.caption)

    at = open_app()
    assert (notices(at.main), notices(at.sidebar)) == (1, 0)
    at.switch_page("app_pages/names.py").run()
    assert (notices(at.main), notices(at.sidebar)) == (0, 1)
    at.switch_page("app_pages/review.py").run()
    assert (notices(at.main), notices(at.sidebar)) == (1, 0)


def test_merge_and_split_a_pair(demo_store):
    before = demo_state(demo_store)
    at = open_app()
    button(at, "11").click().run()
    assert at.session_state["selected"] == 10
    assert any(m.value.startswith("**Pair 11** · 1-1") for m in at.markdown)
    at.menu_button(key="align-menu").click("Merge with the next pair").run()
    assert not at.exception, at.exception
    merged = demo_state(demo_store)
    assert len(merged.alignment.beads) == len(before.alignment.beads) - 1
    bead = merged.alignment.beads[10]
    assert bead.src == before.alignment.beads[10].src + before.alignment.beads[11].src
    assert 0.0 <= bead.score <= 1.0

    at.menu_button(key="align-menu").click("Split this pair in two…").run()
    at.selectbox(key="split-src-10").set_value(1).run()
    at.selectbox(key="split-tgt-10").set_value(1).run()
    button(at, "Split into 1-1 and 1-1").click().run()
    assert not at.exception, at.exception
    split = demo_state(demo_store)
    assert [(b.src, b.tgt) for b in split.alignment.beads] == [(b.src, b.tgt) for b in before.alignment.beads]
    edits = [e.action for e in demo_store.history(split.info.id) if e.action not in ("create", "recheck")]
    assert edits == ["merge", "split"]


def test_review_next_comment_and_dismiss(demo_store):
    at = open_app()
    button(at, "11").click().run()
    button(at, "Reviewed, next pair").click().run()
    state = demo_state(demo_store)
    assert state.reviewed[10] and not state.reviewed[11]
    assert at.session_state["selected"] == 11  # the editor moved on to the next pair
    comment_box(at).set_value("Check <this> name")
    button(at, "Save comment").click().run()
    state = demo_state(demo_store)
    assert state.comments[11] == "Check <this> name"
    assert "Check &lt;this&gt; name" in html(at)

    button(at, "Previous").click().run()  # back to pair 11, which has the Latushko issue
    latushko = next(s for s in state.issues if "Latushko" in s.issue.message)
    at.menu_button(key=f"verdict-{latushko.id}").click("Dismiss").run()
    state = demo_state(demo_store)
    assert [s.status.value for s in state.issues if "Latushko" in s.issue.message] == ["dismissed"]


def test_an_edit_from_a_stale_tab_is_refused_with_a_message(demo_store):
    first, second = open_app(), open_app()
    pairs = demo_state(demo_store).info.beads
    button(first, "11").click().run()
    button(first, "Reviewed, next pair").click().run()
    button(second, "11").click().run()  # this run reloads: the other tab's change shows up
    assert any("changed in another tab" in i for i in said(second.info))
    revision = demo_state(demo_store).revision

    button(first, "Reviewed, next pair").click().run()  # the first tab changes the project again
    second.menu_button(key="align-menu").click("Merge with the next pair").run()  # acts on what it saw
    assert any("changed in another tab" in w for w in said(second.warning))
    state = demo_state(demo_store)
    assert state.revision == revision + 1  # only the first tab's edit was written
    assert len(state.alignment.beads) == pairs and state.reviewed[10] and state.reviewed[11]


def test_another_tabs_change_to_other_pairs_does_not_throw_away_what_was_typed(demo_store):
    """Tabs A and B on pair 15; B rewrites the sentence; A marks pair 18 reviewed; B saves."""
    a, b = open_app(), open_app()
    index = demo_state(demo_store).alignment.beads[14].tgt[0]
    button(a, "15").click().run()
    button(b, "15").click().run()
    b.toggle(key="edit-text").set_value(True).run()
    sentence_box(b, index).set_value("Rewritten in tab B.")
    button(a, "18").click().run()
    button(a, "Reviewed, next pair").click().run()
    button(b, "Save").click().run()
    assert not b.exception, b.exception
    state = demo_state(demo_store)
    assert state.alignment.target.segments[index].text == "Rewritten in tab B." and state.reviewed[17]
    assert not b.warning and "Saved translated sentence 15." in said(b.toast)
    assert sentence_box(b, index).value == "Rewritten in tab B."


def test_another_tabs_change_to_the_same_pair_keeps_what_was_typed_to_compare(demo_store):
    a, b = open_app(), open_app()
    before = demo_state(demo_store)
    index = before.alignment.beads[14].tgt[0]
    button(a, "15").click().run()
    button(b, "15").click().run()
    b.toggle(key="edit-text").set_value(True).run()
    sentence_box(b, index).set_value("Rewritten in tab B.")
    comment_box(a).set_value("Comment from tab A.")
    button(a, "Save comment").click().run()  # tab A changes pair 15
    button(b, "Save").click().run()
    assert any("your text was not saved" in w for w in said(b.warning))
    assert sentence_box(b, index).value == "Rewritten in tab B."  # kept, to compare and save again
    assert comment_box(b).value == "Comment from tab A."  # the box shows the comment as saved now
    assert demo_state(demo_store).alignment.target.segments[index].text == before.alignment.target.texts[index]

    comment_box(b).set_value("Comment from tab B.")
    comment_box(a).set_value("Second comment from tab A.")
    button(a, "Save comment").click().run()
    button(b, "Save comment").click().run()
    assert any("your comment was not saved" in w for w in said(b.warning))
    assert comment_box(b).value == "Comment from tab B."
    button(b, "Save comment").click().run()  # saved on second thought
    assert demo_state(demo_store).comments[14] == "Comment from tab B."


def test_a_comment_kept_after_a_conflict_stays_with_its_pair_when_another_tab_merges_before_it(demo_store):
    a, b = open_app(), open_app()
    button(a, "15").click().run()
    button(b, "15").click().run()
    comment_box(b).set_value("Check this name.")
    review.commit_bead_edit(demo_store, demo_state(demo_store), lambda beads: review.merge_with_next(beads, 12))
    # another tab merged pairs 13 and 14 behind tab B's back: B's pair 15 is now pair 14, and
    # B's save is refused (pair 15 is another pair now) with its text kept
    button(b, "Save comment").click().run()
    assert any("your comment was not saved" in w for w in said(b.warning))
    button(b, "Close").click().run()
    button(b, "15").click().run()  # the pair that was 16: it must not show the draft
    assert comment_box(b).value == ""
    button(b, "14").click().run()  # where the pair it was typed for is now
    assert comment_box(b).value == "Check this name."


@pytest.mark.parametrize("leave", ["Reviewed, next pair", "Next", "Close"])
def test_a_comment_typed_and_not_saved_is_saved_when_the_pair_is_left(demo_store, leave):
    at = open_app()
    button(at, "11").click().run()
    comment_box(at).set_value("Ask the author about this name.")
    button(at, leave).click().run()
    assert not at.exception, at.exception
    state = settled_state(demo_store)
    assert state.comments[10] == "Ask the author about this name."
    assert state.reviewed[10] is (leave == "Reviewed, next pair") and not at.warning


@pytest.mark.parametrize("leave", ["Reviewed, next pair", "Next", "Close"])
def test_a_sentence_typed_and_not_saved_is_saved_when_the_pair_is_left(demo_store, leave):
    # Ctrl+Enter in the box is also the "Reviewed, next pair" shortcut: leaving never drops the edit
    at = open_app()
    button(at, "11").click().run()
    at.toggle(key="edit-text").set_value(True).run()
    index = demo_state(demo_store).alignment.beads[10].tgt[0]
    box = next(t for t in at.text_area if t.label == f"Translated sentence {index + 1}")
    box.set_value("A sentence rewritten by the reviewer.")
    button(at, leave).click().run()
    assert not at.exception, at.exception
    state = settled_state(demo_store)
    assert state.alignment.target.texts[index] == "A sentence rewritten by the reviewer."
    assert state.reviewed[10] is (leave == "Reviewed, next pair") and not at.warning


def test_the_text_editor_stays_open_from_pair_to_pair(demo_store):
    at = open_app()
    button(at, "11").click().run()
    at.toggle(key="edit-text").set_value(True).run()
    button(at, "Close").click().run()  # no pair open: Streamlit forgets the toggle's own state
    button(at, "15").click().run()
    index = demo_state(demo_store).alignment.beads[14].tgt[0]
    assert at.toggle(key="edit-text").value and sentence_box(at, index)


def test_delete_a_translated_sentence(demo_store):
    """Pair 1 of the demo is page debris ("top of page"), flagged with the suggestion to delete it."""
    before = demo_state(demo_store)
    at = open_app()
    button(at, "1").click().run()
    at.toggle(key="edit-text").set_value(True).run()
    assert any("Saving a sentence empty deletes it" in c.value for c in at.caption)
    button(at, "Delete this sentence").click().run()
    assert not at.exception, at.exception
    assert "Deleted translated sentence 1." in said(at.toast)
    state = settled_state(demo_store)
    assert state.alignment.target.segments[0].text == ""
    assert state.info.open_issues < before.info.open_issues
    assert not state.corrected_target_text().startswith(("\n", "top of page"))
    at.run()
    assert "translated sentence deleted" in text(at)


def test_translate_two_dropped_questions(store_path, cache_dir):
    original, translation = (path.read_text(encoding="utf-8") for path in review.demo_paths())
    questions = ("Why didn’t it happen?", "Do we know their names?")  # each a paragraph of its own
    dropped = translation
    for question in questions:
        dropped = dropped.replace(f"{question}\n\n", "", 1)
    store_path.parent.mkdir(parents=True, exist_ok=True)
    store = Store(store_path)
    project = review.create_project(store, "dropped", original, dropped, encoder=load_encoder(cache_dir=cache_dir))
    beads = demo_state(store).alignment.beads
    first, second = [p for p, b in enumerate(beads) if not b.tgt]
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.query_params["project"] = str(project)
    at.run()
    at.text_input(key="f_query").set_value("?").run()  # the questions, on one page

    def open_pair(position: int):
        button(at, str(position + 1)).click().run()
        return next(t for t in at.text_area if t.label == "Translation of this pair")

    open_pair(second).set_value("Do we know")  # typed, not added yet
    box = open_pair(first)  # leaving the pair keeps what was typed there
    assert [r.value for r in at.radio if r.key == f"add-{beads[first].src[0]}-side"] == [True]  # own paragraph: next
    box.set_value(questions[0])
    button(at, "Add the translation").click().run()
    assert not at.exception, at.exception
    assert f"Added the translation of pair {first + 1} to the next pair" in said(at.toast)[0]
    # the merge moved the second question up one place; what was typed for it moved with it
    button(at, "Close").click().run()
    box = open_pair(second - 1)
    assert box.value == "Do we know"
    box.set_value(questions[1])
    button(at, "Add the translation").click().run()
    state = settled_state(store)
    assert state.corrected_target_text() == translation
    assert not [s for s in state.issues if s.issue.kind == "omission"]


def test_undo_says_what_it_undid_and_nothing_left_neutrally(demo_store):
    at = open_app()
    button(at, "Undo last edit").click().run()
    assert "Nothing left to undo." in said(at.info) and not at.toast
    button(at, "18").click().run()
    button(at, "Reviewed, next pair").click().run()
    button(at, "Undo last edit").click().run()
    assert "Undid: pair 18 marked reviewed." in said(at.toast)
    assert not demo_state(demo_store).reviewed[17]


def test_counts_are_singular_for_one(store_path):
    source, target = make_document("Ala ma kota.", "pl"), make_document("Ala has a dog.", "en")
    issue = Issue("meaning_shift", Severity.MEDIUM, (0,), (0,), "kot is a cat, not a dog.")
    project = Store(store_path).create_project("One pair", Alignment(source, target, (Bead((0,), (0,), 0.9),)), [issue])
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.query_params["project"] = str(project)
    at.run()
    assert not at.exception, at.exception
    assert at.get("progress")[0].proto.text == "0 of 1 pair reviewed · 1 open issue"
    assert any(c.value.startswith("1 of 1 pair shown") for c in at.caption)
    at.switch_page("app_pages/export.py").run()
    assert any(c.value.startswith("1 pair · 0 reviewed · 1 open issue · 0 translated sentences edited")
               for c in at.caption)
    at.switch_page("app_pages/projects.py").run()
    assert "1 pair, 0 reviewed, 1 open issue" in at.selectbox(key="open-id").options[0]


def test_language_messages_name_the_apps_controls(demo_store):
    original, translation = (path.read_text(encoding="utf-8")[:1500] for path in review.demo_paths())
    at = open_app("app_pages/projects.py")
    at.text_area(key="src-paste").set_value("1 2 3 4 5").run()  # nothing to tell a language by
    at.text_area(key="tgt-paste").set_value(translation).run()
    button(at, "Align and check").click().run()
    assert said(at.error) == ["Could not detect the language of the original: choose it with the original's "
                              "Language selector."]

    at.text_area(key="src-paste").set_value(original).run()  # Polish, given as German
    at.selectbox(key="src-lang").set_value("de").run()
    button(at, "Align and check").click().run()
    assert not at.exception, at.exception
    warning = next(w for w in said(at.warning) if "reads as Polish" in w)
    assert "check the original's Language selector" in warning and "--" not in warning
    assert "created as given" in warning


def test_the_favicon_needs_no_network(store_path, monkeypatch):
    """A Material icon as page_icon is fetched from fonts.gstatic.com; an emoji is drawn inline."""
    import streamlit

    icons = []
    set_page_config = streamlit.set_page_config
    monkeypatch.setattr(streamlit, "set_page_config",
                        lambda **kwargs: icons.append(kwargs.get("page_icon")) or set_page_config(**kwargs))
    open_app()
    assert icons and all(is_emoji(icon) for icon in icons)


def test_jump_to_a_pair_from_the_map(demo_store):
    at = open_app("app_pages/map.py")
    assert len(at.get("arrow_vega_lite_chart")) + len(at.get("vega_lite_chart")) >= 2
    at.session_state["jump_to"] = 80  # what a click on a heat map cell sets
    at.switch_page("app_pages/review.py").run()
    assert at.session_state["selected"] == 80
    assert at.pagination[0].value == 80 // review.PAGE_SIZE + 1 and 'id="pair-81"' in html(at)


# -- loading and exporting ----------------------------------------------------------------------------


def paste_pair(name: str, polish: str, english: str) -> AppTest:
    """The Projects page with a new Polish-English pair pasted in, not yet aligned."""
    at = open_app("app_pages/projects.py")
    at.text_input(key="new-name").set_value(name).run()
    at.text_area(key="src-paste").set_value(polish).run()
    at.text_area(key="tgt-paste").set_value(english).run()
    at.selectbox(key="src-lang").set_value("pl").run()
    at.selectbox(key="tgt-lang").set_value("en").run()
    return at


def test_new_project_from_pasted_text_keeps_markup_as_text(demo_store):
    at = paste_pair("Pasted <i>pair</i>", "Ala ma kota. <script>alert(1)</script> Pies śpi w domu.",
                    "Ala has a cat. <script>alert(1)</script> The dog sleeps at home.")
    button(at, "Align and check").click().run()
    assert not at.exception, at.exception
    names = [p.name for p in demo_store.list_projects()]
    assert "Pasted <i>pair</i>" in names
    page = html(at)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "<script>alert" not in page
    assert "<strong>Pasted &lt;i&gt;pair&lt;/i&gt;</strong>" in page


def test_new_project_from_uploaded_files(demo_store):
    data = Path(APP).parent / "tests" / "data" / "input"
    at = open_app("app_pages/projects.py")
    at.file_uploader(key="src-file").upload("rozmowa.docx", (data / "pl.docx").read_bytes(),
                                            "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
    at.file_uploader(key="tgt-file").upload("talk.txt", (data / "en_utf8.txt").read_bytes(), "text/plain")
    at.run()
    button(at, "Align and check").click().run()
    assert not at.exception, at.exception
    project = next(p for p in demo_store.list_projects() if p.name == "Untitled pair")
    assert (project.source_lang, project.target_lang) == ("pl", "en")  # detected
    state = demo_store.load(project.id)
    first = review.pair_views(state)[0]
    assert (first.source, first.target) == ("Rozmowa z ogrodniczką", "A conversation with a gardener")
    assert (state.settings["original_file"], state.settings["translation_file"]) == ("rozmowa.docx", "talk.txt")
    assert at.query_params["project"] == str(project.id) and "Rozmowa z ogrodniczką" in text(at)


def test_a_stray_byte_in_an_upload_is_named_in_a_warning(demo_store):
    data = Path(APP).parent / "tests" / "data" / "input"
    polish = (data / "pl_utf8.txt").read_bytes().replace("ż".encode(), b"\xbf", 1)  # one cp1250 byte pasted in
    at = open_app("app_pages/projects.py")
    at.file_uploader(key="src-file").upload("rozmowa.txt", polish, "text/plain")
    at.file_uploader(key="tgt-file").upload("talk.txt", (data / "en_utf8.txt").read_bytes(), "text/plain")
    at.run()
    button(at, "Align and check").click().run()
    assert not at.exception, at.exception
    assert any("1 byte that is not UTF-8" in w for w in said(at.warning) + said(at.toast)), said(at.warning)


def test_a_glossary_given_with_a_new_pair_is_checked_and_named_in_the_sidebar(demo_store):
    at = paste_pair("Coalition", "Koalicja Obywatelska wygrała wybory. Posłowie świętowali.",
                    "The Citizens' Coalition won the election. MPs celebrated.")
    at.file_uploader(key="new-glossary").upload("terms.csv", b"source,target\nKoalicja Obywatelska,Civic Coalition\n",
                                                "text/csv").run()
    button(at, "Align and check").click().run()
    assert not at.exception, at.exception
    project = next(p for p in demo_store.list_projects() if p.name == "Coalition")
    state = demo_store.load(project.id)
    assert [i.issue.kind for i in state.issues] == ["glossary"]
    assert any("glossary terms.csv (1 term)" in line for line in said(at.sidebar.caption))


def test_the_open_projects_glossary_can_be_replaced_and_removed(demo_store):
    at = paste_pair("Coalition", "Koalicja Obywatelska wygrała wybory. Posłowie świętowali.",
                    "The Citizens' Coalition won the election. MPs celebrated.")
    button(at, "Align and check").click().run()
    project = next(p for p in demo_store.list_projects() if p.name == "Coalition")
    assert not demo_store.load(project.id).issues
    at.switch_page("app_pages/projects.py").run()
    at.file_uploader(key="project-glossary").upload(
        "client.csv", b"source,target\nKoalicja Obywatelska,Civic Coalition\n", "text/csv").run()
    button(at, "Use this glossary").click().run()
    assert not at.exception, at.exception
    state = demo_store.load(project.id)
    assert [i.issue.kind for i in state.issues] == ["glossary"] and state.settings["glossary_file"] == "client.csv"
    assert any("glossary client.csv (1 term)" in line for line in said(at.sidebar.caption))
    # the project box below the table says what the table says: one open issue now
    label = next(o for o in at.selectbox(key="open-id").options if o.startswith("Coalition"))
    assert "1 open issue" in label
    glossary_section = next(e for e in at.expander if e.label.startswith("Glossary of the open project"))
    assert glossary_section.proto.expanded  # it stays open to show the outcome
    button(at, "Open").click().run()
    assert not at.exception and at.query_params["project"] == str(project.id)
    button(at, "Remove the glossary").click().run()
    state = demo_store.load(project.id)
    assert not state.issues and not state.settings["glossary"]
    button(at, "Undo last edit").click().run()
    assert [i.issue.kind for i in demo_store.load(project.id).issues] == ["glossary"]


def test_bad_addresses_and_big_uploads_get_a_clear_message(demo_store):
    at = open_app("app_pages/projects.py")
    at.text_input(key="src-url").set_value("file:///etc/passwd").run()
    at.text_area(key="tgt-paste").set_value("Some text.").run()
    button(at, "Align and check").click().run()
    assert "only http:// and https:// addresses" in said(at.error)[0]
    assert "file\\:///etc/passwd" in at.error[0].value  # shown as typed, never as a link
    at.text_input(key="src-url").set_value("http://127.0.0.1:9/article").run()  # nothing listens there
    button(at, "Align and check").click().run()
    assert "Could not fetch http://127.0.0.1:9/article: no network?" in said(at.error)[0]

    at.text_input(key="src-url").set_value("").run()
    limit = tomllib.loads((Path(APP).parent / ".streamlit" / "config.toml").read_text())["server"]["maxUploadSize"]
    at.file_uploader(key="src-file").upload("big.txt", b"a" * (limit * 2**20 + 1), "text/plain").run()
    button(at, "Align and check").click().run()
    assert f"the app takes files up to {limit} MB" in said(at.error)[0]
    assert len(demo_store.list_projects()) == 1


def test_export_buttons_give_files_that_parse_back(demo_store, monkeypatch):
    made: dict[str, object] = {}
    original = MediaFileManager.add_deferred

    def capture(self, data_callable, mimetype, coordinates, file_name=None, **kwargs):
        made[file_name] = data_callable
        return original(self, data_callable, mimetype, coordinates, file_name=file_name, **kwargs)

    monkeypatch.setattr(MediaFileManager, "add_deferred", capture)
    at = open_app("app_pages/names.py")
    button(at, "Apply “Latushka” to the whole translation").click().run()
    at.switch_page("app_pages/export.py").run()
    assert not at.exception, at.exception
    labels = [b.label for b in at.get("download_button")]
    assert labels == [label for label, _, _ in review.EXPORT_FORMATS.values()]
    settled_state(demo_store)  # a download made now has the re-checked issues
    files = {Path(name).name.split(".", 1)[1]: fn() for name, fn in made.items()}
    assert set(files) == {"tmx", "xlf", "csv", "xlsx", "corrected.txt", "qa.html", "qa.csv"}

    text = files["corrected.txt"].decode("utf-8")
    assert "Latushko" not in text and text.count("Latushka") == 4
    units = tmx.tmxfile.parsestring(files["tmx"]).units
    assert any("Pavel Latushka told Interia" in u.target for u in units)
    assert len(xliff.xlifffile.parsestring(files["xlf"]).units) == demo_state(demo_store).info.beads
    table = pd.read_csv(io.BytesIO(files["csv"]), keep_default_na=False)
    assert len(table) == demo_state(demo_store).info.beads
    assert len(pd.read_excel(io.BytesIO(files["xlsx"]), sheet_name="pairs")) == len(table)
    assert "Wolfovich" in files["qa.html"].decode() and "<script" not in files["qa.html"].decode()
    qa = pd.read_csv(io.BytesIO(files["qa.csv"]), encoding="utf-8-sig", keep_default_na=False)
    assert len(qa) == demo_state(demo_store).info.open_issues
    assert "name_variant" in set(qa["kind"]) and not qa["message"].str.contains("Latushko").any()
