"""The project store: round trips, one audit row per edit, undo, revisions, concurrency, crashes."""

from __future__ import annotations

import multiprocessing
import os
import random
import signal
import sqlite3
import threading
from dataclasses import replace
from pathlib import Path

import pytest

from align import store as store_module
from align.errors import AlignError
from align.store import (
    IssueStatus,
    ProjectNotFound,
    RevisionConflict,
    SegmentChange,
    Store,
    StoreError,
    corrected_text,
    default_store_path,
)
from align.types import Alignment, Bead, Document, Issue, Segment, Severity

POLISH = [
    ["Paweł Łatuszka mówi o „Narodowym Zarządzaniu Antykryzysowym”.", "Łukaszenka boi się o życie."],
    ["Wyrzutnie rakiet są groźne.", "Zysk wzrósł o 30 proc.", "To koniec."],
]
ENGLISH = [
    ["Pavel Latushko speaks about the \"National Crisis Management\".", "Lukashenko fears for his life."],
    ["top of page", "Hand grenades are dangerous.", "Profit rose by 30%.", "Latushkovich is another name."],
]
BEADS = (
    Bead((0,), (0,), 0.91),
    Bead((1,), (1,), 0.88),
    Bead((), (2,), 0.0),
    Bead((2,), (3,), 0.62),
    Bead((3,), (4,), 0.95),
    Bead((4,), (5,), 0.40),
)
ISSUES = (
    Issue("name_variant", Severity.HIGH, (0,), (0,), "Latushko is written Latushka elsewhere.",
          ("Latushko", "Latushka"), "Pavel Latushka"),
    Issue("meaning_shift", Severity.MEDIUM, (2,), (3,), "Rocket launchers became hand grenades.",
          ("wyrzutnie rakiet",), None),
    Issue("addition", Severity.LOW, (), (5,), "The last sentence has no source.", (), None),
)


def make_document(paragraphs: list[list[str]], lang: str, gap: str = "  ") -> Document:
    """A document whose segments carry exact offsets; ``gap`` between sentences, blank lines
    between paragraphs, so a corrected text must keep both."""
    text, segments = "", []
    for number, sentences in enumerate(paragraphs):
        if number:
            text += "\n\n"
        for position, sentence in enumerate(sentences):
            if position:
                text += gap
            segments.append(Segment(len(segments), sentence, number, len(text), len(text) + len(sentence)))
            text += sentence
    return Document(text + "\n", lang, tuple(segments))


def make_alignment() -> Alignment:
    return Alignment(make_document(POLISH, "pl"), make_document(ENGLISH, "en"), BEADS, {"encoder": "test-encoder"})


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return Store(tmp_path / "projects.sqlite3")


@pytest.fixture
def project(store: Store) -> int:
    return store.create_project("Wywiad", make_alignment(), ISSUES, settings={"min_score": 0.3})


def content(state):
    """What an undo must restore: everything but the revision and the timestamps."""
    return (state.alignment, state.original_target, state.issues, state.reviewed, state.comments)


def raw(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(path)


# -- paths, schema, pragmas ---------------------------------------------------------------------


def test_default_store_path_prefers_env_then_xdg(monkeypatch, tmp_path):
    monkeypatch.setenv("ALIGN_STORE", str(tmp_path / "mine.db"))
    assert default_store_path() == tmp_path / "mine.db"
    monkeypatch.delenv("ALIGN_STORE")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    assert default_store_path() == tmp_path / "data" / "align" / "projects.sqlite3"
    monkeypatch.delenv("XDG_DATA_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert default_store_path() == tmp_path / "home" / ".local" / "share" / "align" / "projects.sqlite3"


def test_store_creates_folders_wal_and_schema_version(tmp_path):
    path = tmp_path / "deep" / "er" / "projects.sqlite3"
    Store(path)
    with raw(path) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert conn.execute("PRAGMA user_version").fetchone()[0] == store_module.SCHEMA_VERSION
        tables = {name for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert {"projects", "segments", "beads", "issues", "audit"} <= tables


def test_newer_schema_is_refused(tmp_path):
    path = tmp_path / "p.sqlite3"
    Store(path)
    with raw(path) as conn:
        conn.execute(f"PRAGMA user_version = {store_module.SCHEMA_VERSION + 1}")
    with pytest.raises(StoreError, match="newer align"):
        Store(path)


def test_migration_hook_upgrades_an_old_file(tmp_path, monkeypatch):
    path = tmp_path / "p.sqlite3"
    old = Store(path)
    project_id = old.create_project("Stary", make_alignment(), ISSUES)
    version = store_module.SCHEMA_VERSION

    def add_column(conn: sqlite3.Connection) -> None:
        conn.execute("ALTER TABLE projects ADD COLUMN note TEXT NOT NULL DEFAULT ''")

    monkeypatch.setattr(store_module, "SCHEMA_VERSION", version + 1)
    monkeypatch.setattr(store_module, "MIGRATIONS", {version: add_column})
    upgraded = Store(path)
    with raw(path) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == version + 1
        columns = {row[1] for row in conn.execute("PRAGMA table_info(projects)")}
    assert "note" in columns
    assert upgraded.load(project_id).alignment == make_alignment()


def test_missing_migration_is_a_clear_error(tmp_path, monkeypatch):
    path = tmp_path / "p.sqlite3"
    Store(path)
    monkeypatch.setattr(store_module, "SCHEMA_VERSION", store_module.SCHEMA_VERSION + 1)
    with pytest.raises(StoreError, match="No migration"):
        Store(path)


def test_foreign_files_are_refused(tmp_path):
    other = tmp_path / "other.sqlite3"
    with raw(other) as conn:
        conn.execute("CREATE TABLE notes (x)")
    with pytest.raises(StoreError, match="another program"):
        Store(other)
    garbage = tmp_path / "garbage.sqlite3"
    garbage.write_bytes(b"this is not a database at all " * 100)
    with pytest.raises(StoreError) as caught:
        Store(garbage)
    assert "\n" not in str(caught.value)


# -- create, load, list, delete -------------------------------------------------------------------


def test_create_load_round_trip(store, project):
    state = store.load(project)
    assert state.alignment == make_alignment()
    assert state.original_target == make_alignment().target
    assert [s.issue for s in state.issues] == list(ISSUES)
    assert all(s.status is IssueStatus.OPEN for s in state.issues)
    assert state.reviewed == (False,) * len(BEADS)
    assert state.comments == ("",) * len(BEADS)
    assert state.settings == {"min_score": 0.3}
    assert state.revision == 0 and state.edits == {}
    assert state.info.name == "Wywiad" and state.info.encoder == "test-encoder"
    assert (state.info.source_lang, state.info.target_lang) == ("pl", "en")
    assert state.corrected_target_text() == make_alignment().target.text


def test_list_projects_newest_first_with_counts(store, project):
    second = store.create_project("Drugi", make_alignment(), ())
    store.set_reviewed(project, 0, True)
    listed = store.list_projects()
    assert [p.id for p in listed] == [project, second]
    assert (listed[0].beads, listed[0].reviewed, listed[0].open_issues) == (len(BEADS), 1, len(ISSUES))
    assert (listed[1].reviewed, listed[1].open_issues) == (0, 0)


def test_delete_cascades_to_every_table(store, project):
    keep = store.create_project("Zostaje", make_alignment(), ISSUES)
    store.edit_target_segment(project, 0, "Edited.")
    store.delete_project(project)
    with pytest.raises(ProjectNotFound):
        store.load(project)
    with raw(store.path) as conn:
        for table in ("segments", "beads", "issues", "audit"):
            assert conn.execute(f"SELECT count(*) FROM {table} WHERE project_id = ?", (project,)).fetchone()[0] == 0
    assert store.load(keep).alignment == make_alignment()


def test_bad_input_gets_clear_errors(store, project):
    broken = replace(make_alignment(), beads=BEADS[:-1])  # target segment 5 in no bead
    for call in (
        lambda: store.create_project("x", broken),
        lambda: store.create_project("   ", make_alignment()),
        lambda: store.edit_target_segment(project, 99, "x"),
        lambda: store.set_reviewed(project, 99, True),
        lambda: store.set_issue_status(project, 1, "maybe"),
        lambda: store.set_beads(project, BEADS[:-1]),
        lambda: store.set_beads(project, BEADS, action="undo"),
        lambda: store.set_beads(project, BEADS, action="merge", texts={99: "x"}),
        lambda: store.replace_in_target(project, "", "x"),
        lambda: store.load(12345),
    ):
        with pytest.raises(AlignError) as caught:
            call()
        assert str(caught.value) and "\n" not in str(caught.value)


# -- edits and the audit log ----------------------------------------------------------------------

EDITS = {
    "edit_segment": lambda s, p: s.edit_target_segment(p, 0, "Pavel Latushka speaks."),
    "replace": lambda s, p: s.replace_in_target(p, "Latushko", "Latushka"),
    "set_reviewed": lambda s, p: s.set_reviewed(p, 1, True),
    "set_comment": lambda s, p: s.set_comment(p, 1, "Sprawdzić <nazwisko> & tytuł"),
    "merge": lambda s, p: s.set_beads(p, BEADS[:1] + (Bead((1,), (1, 2), 0.7),) + BEADS[3:], action="merge"),
    "add_translation": lambda s, p: s.set_beads(  # a merge and a sentence's new text: one edit
        p, BEADS[:1] + (Bead((1,), (1, 2), 0.7),) + BEADS[3:], action="add_translation", texts={1: "Added."}),
    "recheck": lambda s, p: s.replace_issues(p, ISSUES[:1]),
    "issue_status": lambda s, p: s.set_issue_status(p, s.load(p).issues[1].id, IssueStatus.DISMISSED),
}


@pytest.mark.parametrize("action", sorted(EDITS))
def test_each_edit_writes_exactly_one_audit_row(store, project, action):
    before = store.load(project)
    EDITS[action](store, project)
    after = store.load(project)
    log = store.history(project)
    assert [e.action for e in log] == ["create", action]
    assert after.revision == before.revision + 1 == log[-1].revision
    assert content(after) != content(before)
    assert not log[-1].undone


@pytest.mark.parametrize("action", sorted(EDITS))
def test_undo_restores_each_edit(store, project, action):
    before = store.load(project)
    EDITS[action](store, project)
    undone = store.undo_last(project)
    assert undone is not None and undone.action == action and undone.undone
    assert content(store.load(project)) == content(before)
    log = store.history(project)
    assert [(e.action, e.undone) for e in log] == [("create", False), (action, True), ("undo", False)]
    assert store.undo_last(project) is None  # "create" is never undone


def test_an_edit_that_changes_nothing_writes_nothing(store, project):
    store.set_reviewed(project, 0, False)
    store.set_comment(project, 0, "")
    store.edit_target_segment(project, 0, ENGLISH[0][0])
    assert store.replace_in_target(project, "Nonexistent", "X") == ()
    store.set_beads(project, BEADS)
    assert store.load(project).revision == 0
    assert len(store.history(project)) == 1


def test_random_edits_then_undo_all_restores_the_start(store, project):
    rng = random.Random(7)
    start = store.load(project)
    states = [content(start)]
    for _ in range(30):
        state = store.load(project)
        choice = rng.randrange(6)
        if choice == 0:
            store.edit_target_segment(project, rng.randrange(6), f"Zdanie {rng.random():.3f} „ż”")
        elif choice == 1:
            store.set_reviewed(project, rng.randrange(len(state.alignment.beads)), rng.random() < 0.5)
        elif choice == 2:
            store.set_comment(project, rng.randrange(len(state.alignment.beads)), f"uwaga {rng.randrange(9)}")
        elif choice == 3:
            store.set_beads(project, random_beads(rng), action="realign")
        elif choice == 4:
            store.replace_issues(project, rng.sample(ISSUES, rng.randrange(4)))
        elif state.issues:
            store.set_issue_status(project, rng.choice(state.issues).id, rng.choice(list(IssueStatus)))
        if content(store.load(project)) != states[-1]:
            states.append(content(store.load(project)))
    assert len(states) > 15
    while store.undo_last(project) is not None:
        pass
    assert content(store.load(project)) == content(start)


def random_beads(rng: random.Random) -> tuple[Bead, ...]:
    """A valid monotone alignment of 5 source and 6 target segments."""
    beads, i, j = [], 0, 0
    while i < 5 or j < 6:
        take_src = min(rng.randrange(3), 5 - i)
        take_tgt = min(rng.randrange(3), 6 - j)
        if take_src == take_tgt == 0:
            continue
        beads.append(Bead(tuple(range(i, i + take_src)), tuple(range(j, j + take_tgt)), rng.random()))
        i, j = i + take_src, j + take_tgt
    return tuple(beads)


def test_undo_walks_back_across_interleaved_undos(store, project):
    base = content(store.load(project))
    store.edit_target_segment(project, 0, "First edit.")
    after_first = content(store.load(project))
    store.set_reviewed(project, 2, True)
    store.undo_last(project)
    assert content(store.load(project)) == after_first
    store.set_comment(project, 3, "Nowy komentarz")
    store.undo_last(project)
    assert content(store.load(project)) == after_first
    assert store.undo_last(project).action == "edit_segment"
    assert content(store.load(project)) == base
    assert store.undo_last(project) is None


def test_merge_keeps_flags_of_untouched_beads_and_logs_a_small_splice(store, project):
    store.set_reviewed(project, 0, True)
    store.set_comment(project, 4, "dobrze")
    merged = BEADS[:1] + (Bead((1,), (1, 2), 0.7),) + BEADS[3:]
    store.set_beads(project, merged, action="merge")
    state = store.load(project)
    assert state.alignment.beads == merged
    assert state.reviewed == (True, False, False, False, False)
    assert state.comments == ("", "", "", "dobrze", "")
    entry = store.history(project)[-1]
    assert entry.before["beads"]["start"] == 1 and len(entry.before["beads"]["rows"]) == 2
    assert len(entry.after["beads"]["rows"]) == 1


def test_a_merge_joins_the_comments_of_its_pairs_and_a_split_keeps_it_on_the_first_part(store, project):
    store.set_comment(project, 3, "check the term")
    store.set_comment(project, 4, "a number changed?")
    store.set_reviewed(project, 3, True)
    merged = BEADS[:3] + (Bead((2, 3), (3, 4), 0.7),) + BEADS[5:]
    store.set_beads(project, merged, action="merge")
    state = store.load(project)
    assert state.comments[3] == "check the term\na number changed?" and not state.reviewed[3]  # a new pair
    store.set_beads(project, BEADS, action="split")
    assert store.load(project).comments[3:5] == ("check the term\na number changed?", "")
    store.undo_last(project)
    store.undo_last(project)
    assert store.load(project).comments[3:5] == ("check the term", "a number changed?")


def test_replace_in_target_whole_words_and_one_undo(store, project):
    store.edit_target_segment(project, 1, "Latushko met Latushko, not Latushkovich.")
    changes = store.replace_in_target(project, "Latushko", "Latushka")
    assert changes == (
        SegmentChange(0, ENGLISH[0][0], ENGLISH[0][0].replace("Latushko", "Latushka")),
        SegmentChange(1, "Latushko met Latushko, not Latushkovich.", "Latushka met Latushka, not Latushkovich."),
    )
    assert store.load(project).alignment.target.segments[5].text == ENGLISH[1][3]  # Latushkovich untouched
    loose = store.replace_in_target(project, "Latushko", "Lat", whole_word=False)
    assert [c.index for c in loose] == [1, 5]
    store.undo_last(project)
    store.undo_last(project)
    assert store.load(project).edits == {1: "Latushko met Latushko, not Latushkovich."}


def test_replacement_text_is_literal(store, project):
    store.replace_in_target(project, "30%", r"\1 30 per cent \g<0>")
    assert store.load(project).alignment.target.segments[4].text == r"Profit rose by \1 30 per cent \g<0>."


def test_recheck_of_some_beads_keeps_other_issues_and_verdicts(store, project):
    state = store.load(project)
    name_issue, meaning_issue, _ = state.issues
    store.set_issue_status(project, name_issue.id, "dismissed")
    store.set_issue_status(project, meaning_issue.id, "accepted")
    # re-check bead 0 only: the same name issue comes back, plus a new one
    extra = Issue("number_mismatch", Severity.HIGH, (0,), (0,), "A number vanished.")
    store.replace_issues(project, [ISSUES[0], extra], for_beads=[0])
    issues = store.load(project).issues
    assert [(s.issue.kind, s.status) for s in issues] == [
        ("meaning_shift", IssueStatus.ACCEPTED),
        ("addition", IssueStatus.OPEN),
        ("name_variant", IssueStatus.DISMISSED),
        ("number_mismatch", IssueStatus.OPEN),
    ]
    assert issues[2].id != name_issue.id  # a fresh row, never a reused id
    assert store.load(project).report.issues == (ISSUES[1], ISSUES[2], extra)


# -- corrected text -------------------------------------------------------------------------------


def test_corrected_text_keeps_paragraphs_and_spacing(store, project):
    store.edit_target_segment(project, 2, "")  # the web debris line goes
    store.edit_target_segment(project, 3, "Hand-held rocket launchers are dangerous.")
    expected = make_alignment().target.text.replace("top of page  ", "").replace(
        "Hand grenades are dangerous.", "Hand-held rocket launchers are dangerous.")
    assert store.corrected_target_text(project) == expected
    assert "\n\n" in expected and "  " in expected


def test_corrected_text_without_offsets_rebuilds_from_segments():
    document = Document("", "pl", (Segment(0, "Ala ma kota."), Segment(1, "Kot ma Alę."), Segment(2, "Koniec.", 1)))
    assert corrected_text(document, {1: "Kot ma psa."}) == "Ala ma kota. Kot ma psa.\n\nKoniec."


# -- concurrency and crashes ----------------------------------------------------------------------


def test_revision_follows_every_edit_and_names_a_missing_project(store, project):
    before = store.revision(project)
    assert before == store.load(project).revision
    store.set_reviewed(project, 0, True, expected_revision=before)
    assert store.revision(project) == before + 1 == store.load(project).revision
    with pytest.raises(ProjectNotFound):
        store.revision(project + 1000)


def test_revision_conflict_between_two_tabs(store, project):
    tab_a, tab_b = Store(store.path), Store(store.path)
    seen = tab_a.load(project).revision
    assert tab_b.load(project).revision == seen
    tab_a.edit_target_segment(project, 0, "Tab A wrote this.", expected_revision=seen)
    with pytest.raises(RevisionConflict) as caught:
        tab_b.set_comment(project, 0, "Tab B too late.", expected_revision=seen)
    assert isinstance(caught.value, AlignError) and "\n" not in str(caught.value)
    state = store.load(project)
    assert state.revision == seen + 1 and state.comments[0] == ""
    assert len(store.history(project)) == 2
    tab_b.set_comment(project, 0, "Tab B after reload.", expected_revision=state.revision)


def test_concurrent_writers_do_not_corrupt_or_lose_edits(store, project):
    per_thread, threads = 15, 4
    errors: list[BaseException] = []

    def writer(number: int) -> None:
        own = Store(store.path)  # its own connections, as another process would have
        try:
            for k in range(per_thread):
                own.edit_target_segment(project, number, f"wątek {number} edycja {k}")
                own.set_comment(project, number, f"komentarz {number}/{k}")
        except BaseException as err:  # noqa: BLE001 - reported below
            errors.append(err)

    workers = [threading.Thread(target=writer, args=(n,)) for n in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert errors == []
    state = store.load(project)
    assert state.revision == threads * per_thread * 2
    revisions = [e.revision for e in store.history(project)]
    assert revisions == list(range(threads * per_thread * 2 + 1))
    for n in range(threads):
        assert state.alignment.target.segments[n].text == f"wątek {n} edycja {per_thread - 1}"
        assert state.comments[n] == f"komentarz {n}/{per_thread - 1}"
    with raw(store.path) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def _write_until_killed(path: str, project_id: int, segments: int, report) -> None:
    """Child process: edit forever, reporting each edit once its transaction has committed."""
    own = Store(path)
    number = 0
    while True:
        index, text = number % segments, f"edycja nr {number}: zażółć „gęślą”"
        revision = own.edit_target_segment(project_id, index, text)
        report.send((revision, index, text))
        number += 1


def test_killed_writer_loses_no_committed_edit(store, project):
    context = multiprocessing.get_context("spawn")
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(target=_write_until_killed, args=(str(store.path), project, 6, sender))
    child.start()
    sender.close()  # the child holds the only write end, so EOF follows its death
    reported = [receiver.recv() for _ in range(60)]
    os.kill(child.pid, signal.SIGKILL)
    child.join()
    while True:
        try:
            reported.append(receiver.recv())
        except EOFError:
            break
    assert child.exitcode == -signal.SIGKILL

    reopened = Store(store.path)
    with raw(store.path) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    log = {e.revision: e for e in reopened.history(project)}
    for revision, index, text in reported:
        assert log[revision].after == {"segments": [[index, text]]}
    state = reopened.load(project)
    assert state.revision == max(log) >= reported[-1][0]
    latest = {}
    for revision in sorted(log):
        for index, text in log[revision].after.get("segments", ()):
            latest[index] = text
    assert state.edits == latest
