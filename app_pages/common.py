"""What every page of the app shares: the store, the encoder, the open project, edit plumbing, CSS.

Not a page itself (``app.py`` lists the pages with ``st.navigation``). Project data always comes
from the store; ``st.session_state`` holds only UI state: which project, which pair is open, the
revision the person last saw, and messages to show after a callback.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor

import streamlit as st

from align import review
from align.cache import resolve_cache_dir
from align.embed import Encoder, load_encoder
from align.errors import AlignError
from align.store import ProjectNotFound, ProjectState, RevisionConflict, Store, default_store_path

CONFLICT = (
    "This project was changed in another tab or window, so it has been reloaded. "
    "Your last action was not applied: check the pair and do it again."
)
CHANGED_ELSEWHERE = "This project was changed in another tab or window: showing the latest version."
KEPT = (
    "This pair was changed in another tab or window, so your {what} was not saved. What you typed "
    "is still in its box: compare it with the pair as saved now, and save again."
)
NOTHING_TO_UNDO = "Nothing left to undo."

CSS = """
<style>
.pairs-head, .pair { display: grid;
  grid-template-columns: minmax(0, 2fr) minmax(0, 2fr) 3.6rem minmax(8rem, 1fr);
  gap: .8rem; align-items: start; }
.pair > div { overflow-wrap: anywhere; }  /* a long word must not push its column out of line */
@media (max-width: 1280px) {  /* a laptop with the sidebar open: the flags go below the texts */
  .pairs-head, .pair { grid-template-columns: minmax(0, 1fr) minmax(0, 1fr) 3.6rem; }
  .pair .flags { grid-column: 1 / -1; }
  .pairs-head > div:last-child { display: none; }
}
.pairs-head { font-size: .8rem; font-weight: 600; color: #555; border-bottom: 2px solid #ccc;
  padding-bottom: .25rem; }
.pair { padding: .35rem 0 .45rem; border-bottom: 1px solid #e6e6e6; line-height: 1.45; }
.pair.reviewed { background: #f3faf3; }
.pair.selected { background: #eef4fb; }
.pair .shape { display: block; font-weight: 400; font-size: .72rem; color: #888; }
.flags .settled { color: #666; }
.pair .empty { color: #aaa; font-style: italic; }
.pair .score { font-variant-numeric: tabular-nums; font-size: .85rem; }
.score.low { color: #b3261e; font-weight: 600; }
.score.mid { color: #8a5a00; }
.score.high { color: #2e6b30; }
.flags { font-size: .8rem; }
.flags .issue { margin-bottom: .3rem; }
.chip { display: inline-block; border-radius: .6rem; padding: 0 .45rem; font-size: .72rem;
  font-weight: 600; margin-right: .25rem; }
.chip.sev-high, mark.sev-high { background: #f9d0cc; }
.chip.sev-medium, mark.sev-medium { background: #fde6b3; }
.chip.sev-low, mark.sev-low { background: #e3ecf9; }
.chip.ok { background: #d8efd9; }
.flags .suggest { color: #2e6b30; }
.flags .comment { color: #444; font-style: italic; }
mark { padding: 0 .1rem; border-radius: .2rem; }
del { background: #f9d0cc; text-decoration: line-through; }
ins { background: #d8efd9; text-decoration: none; }
.seglist { margin: 0; padding-left: 1.4rem; }
.sentences { display: grid; grid-template-columns: minmax(0, 1fr) minmax(0, 1fr); gap: 1.2rem;
  overflow-wrap: anywhere; }
.sentences .label { font-size: .8rem; color: #666; margin-bottom: .2rem; }
[class*="st-key-sel-"] button { padding: 0 .3rem; min-height: 1.9rem; min-width: 2.6rem;
  font-variant-numeric: tabular-nums; }
.numhead { width: 2.6rem; font-size: .8rem; font-weight: 600; color: #555; }
.seglist li { margin-bottom: .2rem; }
</style>
"""


# -- resources -------------------------------------------------------------------------------------


@st.cache_resource(show_spinner=False)
def _store(path: str) -> Store:
    return Store(path)


def store() -> Store:
    """The project store at $ALIGN_STORE or the user's data folder."""
    return _store(str(default_store_path()))


def _load_warm(name: str | None) -> Encoder:
    encoder = load_encoder(name)
    getattr(encoder, "inner", encoder).encode(["warm-up"])  # load the model now, not on the first edit
    return encoder


@st.cache_resource(show_spinner=False)
def _encoder_future(name: str | None, cache_dir: str) -> Future[Encoder]:
    return ThreadPoolExecutor(max_workers=1, thread_name_prefix="encoder").submit(_load_warm, name)


def preload_encoder(name: str | None = None) -> None:
    """Start loading the encoder in the background (it takes a few seconds)."""
    _encoder_future(name, str(resolve_cache_dir()))


def encoder(name: str | None = None) -> Encoder:
    """The encoder (bundled USE by default), loaded once per server process; its embeddings are
    cached on disk. Raises EncoderNotAvailable for a model that is not on this machine."""
    future = _encoder_future(name, str(resolve_cache_dir()))
    if not future.done():
        with st.spinner("Loading the sentence encoder (once per server start)…"):
            return future.result()
    return future.result()


def project_encoder(state: ProjectState) -> Encoder | None:
    """The encoder the project was aligned with, or None if it is not available any more (edits
    then keep a merged pair's lower score instead of re-scoring it)."""
    try:
        return encoder(review.encoder_name(state.info.encoder))
    except AlignError:
        return None


@st.cache_resource(show_spinner=False)
def rechecks() -> review.DocumentRechecks:
    """The server's background runner of document-wide re-checks."""
    return review.DocumentRechecks()


@st.cache_resource(show_spinner=False, max_entries=8)
def _scorer(project: tuple[str, int], encoder_id: str, _state: ProjectState, _encoder: Encoder) -> review.Scorer:
    return review.Scorer.for_alignment(_state.alignment, _encoder)


def scorer(state: ProjectState, model: Encoder | None) -> review.Scorer | None:
    """The project's bead scorer; its random-pair baseline is computed once per project."""
    return None if model is None else _scorer(project_key(state), model.id, state, model)


def project_key(state: ProjectState) -> tuple[str, int]:
    """Names the project across stores (a cache key)."""
    return (str(store().path), state.info.id)


# -- the open project ------------------------------------------------------------------------------


def open_project(project_id: int) -> None:
    """Switch this tab to another project."""
    st.session_state["project_id"] = project_id
    st.session_state["seen_revision"] = None
    st.session_state["selected"] = None
    st.session_state["splitting"] = None
    st.session_state["page_epoch"] = st.session_state.get("page_epoch", 0) + 1
    st.session_state["page_start"] = 1
    st.query_params["project"] = str(project_id)


def _initial_project(db: Store) -> int:
    wanted = st.query_params.get("project")
    if wanted and wanted.isdigit() and any(p.id == int(wanted) for p in db.list_projects()):
        return int(wanted)
    bar = st.progress(0.0, text="Preparing the demo pair (first start only)…")
    project_id = review.open_demo(db, encoder=encoder(), progress=lambda stage, f: bar.progress(f, text=stage))
    bar.empty()
    return project_id


def load_current() -> ProjectState:
    """Load the tab's project (the demo the first time) and remember it for this run's pages and
    the next run's callbacks. Tells the person when another tab changed it meanwhile."""
    db = store()
    if st.session_state.get("project_id") is None:
        open_project(_initial_project(db))
    try:
        state = _load(db, st.session_state["project_id"])
    except ProjectNotFound:
        flash("warning", "The project you had open was deleted; opened the demo instead.")
        open_project(review.open_demo(db, encoder=encoder()))
        state = db.load(st.session_state["project_id"])
    seen = st.session_state.get("seen_revision")
    if seen is not None and seen != state.revision and not review.only_rechecks_since(db, state.info.id, seen):
        flash("info", CHANGED_ELSEWHERE)
    st.session_state["seen_revision"] = state.revision
    st.session_state["state"] = state
    st.query_params["project"] = str(state.info.id)
    return state


def _load(db: Store, project_id: int) -> ProjectState:
    """The project from the store; the copy from the last run when its revision is unchanged (a
    click that only moves around, pages or filters reads one row instead of the whole project)."""
    last: ProjectState | None = st.session_state.get("state")
    if last is not None and last.info.id == project_id and db.revision(project_id) == last.revision:
        return last
    return db.load(project_id)


def state() -> ProjectState:
    """The project as loaded at the start of this run (or of this fragment's run)."""
    return st.session_state["state"]


def reload_in_fragment() -> ProjectState:
    """Load the project at the start of a fragment (a part of a page that redraws on its own). If
    it changed in a way this tab did not make (another tab, a conflict; our own background
    re-check aside), the whole app redraws instead: the parts outside the fragment would show the
    old version."""
    seen = st.session_state.get("seen_revision")
    current = load_current()
    if seen is None or (seen != current.revision and not review.only_rechecks_since(store(), current.info.id, seen)):
        st.rerun(scope="app")
    return current


# -- edits -----------------------------------------------------------------------------------------


def flash(kind: str, text: str) -> None:
    """Queue a message for the next render (callbacks run before the page is drawn)."""
    st.session_state.setdefault("flash", []).append((kind, text))


def show_flash() -> None:
    for kind, text in st.session_state.pop("flash", []):
        say(kind, text)


_MARKDOWN = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:])")


def plain(text: str) -> str:
    """``text`` with Markdown's special characters escaped: messages quote user input (a file
    name, an address), which must show as typed, never as a link, markup or formula."""
    return _MARKDOWN.sub(r"\\\1", text)


def say(kind: str, text: str) -> None:
    """A message box (error, warning, info) or, for "success", a toast; always as plain text."""
    if kind == "success":
        st.toast(plain(text), icon=":material/check:")
    else:
        getattr(st, kind)(plain(text))


def run_edit(
    action: Callable[[ProjectState], review.Outcome | str | None],
    *,
    kept: Callable[[], str] | None = None,
    nothing: str | None = None,
) -> review.Outcome | None:
    """Run one edit against the project as the person last saw it (``align.review`` redoes it on
    the latest version when another tab changed other pairs only). A change to the same pair
    cancels the edit (nothing is written) and reloads; ``kept`` then keeps what the person typed
    for the next run and returns the message to show. ``nothing`` is said, neutrally, when the
    action did nothing (returned None). An AlignError shows its message."""
    seen: ProjectState = st.session_state["state"]
    try:
        result = action(seen)
    except RevisionConflict:
        st.session_state["seen_revision"] = None  # reload without a second message
        flash("warning", kept() if kept else CONFLICT)
        return None
    except AlignError as err:
        flash("error", review.app_wording(str(err)))
        return None
    if isinstance(result, review.Outcome):
        st.session_state["seen_revision"] = result.revision
        flash("success", result.message)
        return result
    st.session_state["seen_revision"] = None
    if result:
        flash("success", result)
    elif nothing:
        flash("info", nothing)
    return None


DRAFTS = "drafts"  # session key: text typed into a box whose edit another tab's change refused


def keep_draft(slot: tuple[str, int], typed: str, what: str) -> str:
    """Keep ``typed`` for the box ``slot`` names, to show again after the reload (see ``draft``)."""
    st.session_state.setdefault(DRAFTS, {})[slot] = typed
    return KEPT.format(what=what)


def draft(slot: tuple[str, int], saved: str) -> str:
    """What the box ``slot`` names starts with: a kept draft (once), else the saved text."""
    return st.session_state.get(DRAFTS, {}).pop(slot, saved)


def version(text: str) -> str:
    """A short digest of a saved text, for the key of the box that edits it: a change to that
    text (here or in another tab) gives a fresh box showing it, while changes to anything else
    leave the box, and what the person is typing in it, alone."""
    return f"{zlib.crc32(text.encode('utf-8')):08x}"


def edit_options(state: ProjectState) -> dict:
    """What an edit needs besides the project: the encoder (scores, checks), the project's
    glossary (checks) and the runners."""
    model = project_encoder(state)
    return {"encoder": model, "glossary": review.project_glossary(state), "rechecks": rechecks()}


def scored_edit_options(state: ProjectState) -> dict:
    """``edit_options`` and the scorer, for an edit that changes what a pair holds (its beads or
    its translated text), after which the pair is scored again."""
    options = edit_options(state)
    return {**options, "scorer": scorer(state, options["encoder"])}


RECHECK_SHOWN = "recheck_notice_in_page"  # session key: this run's page placed the notice itself


def recheck_notice(project_id: int, *, in_page: bool = False) -> None:
    """The notice of the document-wide re-check, while one runs for this project. A page that
    places it itself says ``in_page``, and the sidebar then leaves it out."""
    if in_page:
        st.session_state[RECHECK_SHOWN] = True
    if rechecks().pending(store(), project_id):
        recheck_status(project_id)


@st.fragment(run_every=1.0)
def recheck_status(project_id: int) -> None:
    """Shown while the document-wide re-check runs; redraws the app when it is done."""
    if rechecks().pending(store(), project_id):
        st.caption(":material/hourglass_top: Re-checking the whole document…")
        return
    st.session_state["seen_revision"] = None  # our own re-check changed the revision
    st.rerun()


def undo_last() -> None:
    run_edit(lambda s: review.undo(store(), s), nothing=NOTHING_TO_UNDO)


def language_label(code: str) -> str:
    from align.language import language_name

    return f"{language_name(code)} ({code})"
