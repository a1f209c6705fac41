"""Review: original | translation | score | flags, side by side, with filters, search and paging.

Click a pair's number to open it: the pair editor under the row marks it reviewed (and moves to
the next), merges, moves a sentence across a boundary, splits, takes a comment, records verdicts
on issues, edits the translated text and takes the translation of an untranslated pair. Every action is one call into ``align.review``; the page
is then redrawn from the store. The table is a fragment: a click in it (opening a pair, paging,
filtering, every edit) redraws only the table, which keeps a round trip short on a long document.
Nothing outside it changes with an edit: the pair count, the progress and the notice of a
document-wide re-check are in the table's head; when the re-check ends, the whole app redraws.
"""

from __future__ import annotations

import html
from collections.abc import Callable

import streamlit as st

from align import review
from align.checks import KINDS
from align.store import ProjectState, StoredIssue
from align.types import Bead
from app_pages import common

ss = st.session_state
db = common.store()

BEAD_ACTIONS: dict[str, Callable[[tuple[Bead, ...], int], review.BeadEdit]] = {
    "Merge with the previous pair": review.merge_with_previous,
    "Merge with the next pair": review.merge_with_next,
    "Move the first translated sentence to the previous pair": review.move_first_target_to_previous,
    "Move the last translated sentence to the next pair": review.move_last_target_to_next,
    "Move the first original sentence to the previous pair": review.move_first_source_to_previous,
    "Move the last original sentence to the next pair": review.move_last_source_to_next,
}


# -- callbacks (they run before the page is drawn) ---------------------------------------------------


def select(position: int | None) -> None:
    save_typed()
    ss["selected"] = None if ss.get("selected") == position else position


def save_typed() -> None:
    """Save the open pair's sentences and comment as typed and not saved yet: leaving a pair (Next,
    Previous, Reviewed next pair, Close, or Ctrl+Enter inside a box) never drops an edit."""
    position = ss.get("selected")
    beads = common.state().alignment.beads
    if position is None or position >= len(beads):
        return
    texts = common.state().alignment.target.texts
    typed = [(index, key) for index in beads[position].tgt
             if (key := text_key(index, texts[index])) in ss and ss[key] != texts[index]]
    for index, key in typed:
        save_text(index, key)
    bead = beads[position]
    if bead.src and not bead.tgt:  # a translation typed but not added: shown again with its sentence
        keep_added(bead.src[0])
    comment = common.state().comments[position]
    if (key := comment_key(pair_anchor(bead), comment)) in ss and ss[key] != comment:
        save_comment(position, key, pair_anchor(bead))
        typed.append((position, key))
    if typed:  # the next edit of this callback (the reviewed mark) builds on the saved text
        ss["state"] = db.load(common.state().info.id)
        ss["seen_revision"] = ss["state"].revision


# Box keys carry a digest of the saved text, not the project's revision: an edit elsewhere (another
# pair, another tab) must not reset what is being typed in a box.
def text_key(index: int, saved: str) -> str:
    return f"txt-{index}-{common.version(saved)}"


def comment_key(anchor: int, saved: str) -> str:
    return f"cmt-{anchor}-{common.version(saved)}"


def pair_anchor(bead: Bead) -> int:
    """A pair's first original sentence (or, for a translation-only pair, its first translated
    one, negative): what a kept comment draft is filed under, since a merge before the pair, in
    this tab or another, changes its position."""
    return bead.src[0] if bead.src else -1 - bead.tgt[0]


EDIT_TEXT = "edit_text_chosen"  # session key: the "Edit the translated text" toggle, kept across pairs


# The box for an untranslated pair's translation is keyed by the pair's first original sentence,
# not its position: a merge before it (here or in another tab) must not move what was typed for
# one sentence under another.
def add_key(first_source: int) -> str:
    return f"add-{first_source}"


def keep_added(first_source: int) -> None:
    """Keep what is typed in an untranslated pair's box for when it is drawn again (after paging,
    another page, or another pair's edit)."""
    if ss.get(key := add_key(first_source), "").strip():
        common.keep_draft(("add", first_source), ss[key], "translation")


def step(offset: int) -> None:
    """Open the next (or previous) pair among those shown."""
    save_typed()
    shown = ss.get("shown_positions", [])
    current = ss.get("selected")
    if not shown:
        return
    if current in shown:
        index = shown.index(current) + offset
    else:
        index = 0 if offset > 0 else len(shown) - 1
    ss["selected"] = shown[index] if 0 <= index < len(shown) else None
    if ss["selected"] is not None:
        ss["jump_to"] = ss["selected"]


def bead_edit(position: int, make: Callable[[tuple[Bead, ...], int], review.BeadEdit]) -> None:
    def action(seen):
        return review.commit_bead_edit(db, seen, lambda beads: make(beads, position), **common.scored_edit_options(seen))

    outcome = common.run_edit(action)
    if outcome and outcome.changed:
        ss["selected"] = outcome.changed[0]


def split_pair(position: int) -> None:
    src_at, tgt_at = ss[f"split-src-{position}"], ss[f"split-tgt-{position}"]
    ss["splitting"] = None
    bead_edit(position, lambda beads, p: review.split(beads, p, src_at, tgt_at))


def mark_reviewed(position: int, reviewed: bool, then_next: bool) -> None:
    save_typed()
    outcome = common.run_edit(lambda seen: review.set_reviewed(db, seen, position, reviewed))
    if outcome and then_next:
        step(+1)


def save_comment(position: int, key: str, anchor: int) -> None:
    typed = ss[key]
    common.run_edit(lambda seen: review.set_comment(db, seen, position, typed),
                    kept=lambda: common.keep_draft(("cmt", anchor), typed, "comment"))


def set_status(issue_id: int, status: str) -> None:
    common.run_edit(lambda seen: review.set_issue_status(db, seen, issue_id, status))


def save_text(index: int, key: str) -> None:
    typed = ss[key]

    def action(seen):
        return review.edit_translation(db, seen, index, typed, **common.scored_edit_options(seen))

    common.run_edit(action, kept=lambda: common.keep_draft(("txt", index), typed, "text"))


def add_text(position: int, first_source: int) -> None:
    key = add_key(first_source)
    typed, to_next = ss[key], ss[f"{key}-side"]

    def action(seen):
        return review.add_translation(db, seen, position, typed, to_next=to_next, **common.scored_edit_options(seen))

    outcome = common.run_edit(action, kept=lambda: common.keep_draft(("add", first_source), typed, "translation"))
    if outcome and outcome.changed:
        ss["selected"] = outcome.changed[0]


def delete_text(index: int) -> None:
    common.run_edit(lambda seen: review.delete_translation(db, seen, index, **common.scored_edit_options(seen)))


def go_to_page(number: int) -> None:
    """Show page ``number``: a fresh pagination widget (its key carries an epoch) starts there."""
    ss["page_epoch"] = ss.get("page_epoch", 0) + 1
    ss["page_start"] = number


def clear_filters() -> None:
    ss["f_kinds"], ss["f_sev"], ss["f_review"], ss["f_query"] = [], [], review.ReviewFilter.ALL, ""
    go_to_page(1)


# -- drawing -----------------------------------------------------------------------------------------


def text_html(text: str, marks, empty: str) -> str:
    if not text:
        return f'<span class="empty">{empty}</span>'
    return review.highlight(text, marks).replace("\n", "<br>")


def score_html(bead: Bead) -> str:
    level = "low" if bead.score < review.LOW_SCORE else "mid" if bead.score < 0.8 else "high"
    return (f'<div class="score {level}" title="alignment confidence">{bead.score:.2f}'
            f'<span class="shape" title="sentences: original-translation">{bead.kind}</span></div>')


def flags_html(view: review.PairView) -> str:
    parts = ['<div><span class="chip ok">✓ reviewed</span></div>'] if view.reviewed else []
    for stored in view.open_issues:
        issue = stored.issue
        fix = f' <span class="suggest">→ {html.escape(issue.suggestion)}</span>' if issue.suggestion else ""
        parts.append(
            f'<div class="issue"><span class="chip sev-{issue.severity.value}">'
            f"{html.escape(issue.kind.replace('_', ' '))}</span>{html.escape(issue.message)}{fix}</div>"
        )
    settled = len(view.issues) - len(view.open_issues)
    if settled:
        parts.append(f'<div class="settled">{settled} issue{"s" if settled > 1 else ""} settled</div>')
    if view.comment:
        parts.append(f'<div class="comment">💬 {html.escape(view.comment)}</div>')
    return "".join(parts)


TARGET_DELETED, NO_TARGET = "translated sentence deleted", "no translated sentence"


def row_html(view: review.PairView, selected: bool) -> str:
    info = common.state().info
    src_marks, tgt_marks = review.pair_marks(view)
    classes = "pair" + (" reviewed" if view.reviewed else "") + (" selected" if selected else "")
    return (
        f'<div class="{classes}" id="pair-{view.position + 1}">'
        f'<div lang="{html.escape(info.source_lang)}">'
        f"{text_html(view.source, src_marks, 'no original sentence')}</div>"
        f'<div lang="{html.escape(info.target_lang)}">'
        f"{text_html(view.target, tgt_marks, TARGET_DELETED if view.translation_deleted else NO_TARGET)}</div>"
        f'{score_html(view.bead)}<div class="flags">{flags_html(view)}</div></div>'
    )


def header_html() -> str:
    info = common.state().info
    src = html.escape(common.language_label(info.source_lang))
    tgt = html.escape(common.language_label(info.target_lang))
    return (f'<div class="pairs-head"><div>Original · {src}</div><div>Translation · {tgt}</div>'
            "<div>Score</div><div>Flags</div></div>")


def draw_row(view: review.PairView) -> None:
    # A horizontal container, not st.columns: half the elements, a noticeably faster redraw.
    selected = ss.get("selected") == view.position
    with st.container(horizontal=True, gap="small", wrap=False, key=f"row-{view.position}"):
        st.button(str(view.position + 1), key=f"sel-{view.position}", on_click=select, args=(view.position,),
                  type="primary" if selected else "tertiary", help="Open this pair: review, merge, split, comment")
        st.html(row_html(view, selected))


DELETED = '<span class="empty">deleted</span>'


def segment_list(indices: tuple[int, ...], texts: list[str]) -> str:
    if not indices:
        return '<p class="empty">none</p>'
    items = "".join(f'<li value="{i + 1}">{html.escape(texts[i]) or DELETED}</li>' for i in indices)
    return f'<ol class="seglist">{items}</ol>'


def possible(make: Callable[[tuple[Bead, ...], int], review.BeadEdit], position: int) -> bool:
    try:
        make(common.state().alignment.beads, position)
    except review.ReviewError:
        return False
    return True


def draw_editor(view: review.PairView) -> None:
    # Few widgets on purpose: every element here is redrawn after each edit.
    state = common.state()
    position, bead = view.position, view.bead
    with st.container(border=True, key="pair-editor"):
        top = st.container(horizontal=True, vertical_alignment="center")
        top.markdown(f"**Pair {position + 1}** · {bead.kind} · score {bead.score:.2f}")
        if view.reviewed:
            top.button("Mark not reviewed", key="unreview", on_click=mark_reviewed, args=(position, False, False),
                       icon=":material/undo:")
        else:
            top.button("Reviewed, next pair", key="review-next", type="primary", shortcut="Mod+Enter",
                       on_click=mark_reviewed, args=(position, True, True), icon=":material/done:")
        # No shortcuts here: a key pressed inside a text box reaches the button before the box's
        # text reaches the server, and the edit would be lost. Ctrl+Enter commits the box first.
        top.button("Previous", key="prev", on_click=step, args=(-1,), icon=":material/keyboard_arrow_up:")
        top.button("Next", key="next", on_click=step, args=(+1,), icon=":material/keyboard_arrow_down:")
        top.menu_button("Alignment", alignment_options(view), key="align-menu", on_click=on_alignment_menu,
                        args=(position,), icon=":material/call_split:",
                        help="Merge with a neighbour, move a sentence across the boundary, split")
        top.button("Close", key="close", on_click=select, args=(None,), icon=":material/close:", type="tertiary")

        st.html(sentences_html(bead))
        if ss.get("splitting") == position:
            draw_split(view)
        for stored in view.issues:
            draw_issue(stored)

        if bead.src and not bead.tgt:
            draw_translation_adder(position)
        key = comment_key(pair_anchor(bead), view.comment)
        st.text_area("Comment", value=common.draft(("cmt", pair_anchor(bead)), view.comment), key=key,
                     height=68, placeholder="A note for yourself or the translator")
        st.button("Save comment", key=f"save-{key}", on_click=save_comment, args=(position, key, pair_anchor(bead)))

        # the widget's own state goes when no pair is open; the person's choice stays
        if st.toggle("Edit the translated text", value=ss.get(EDIT_TEXT, False), key="edit-text",
                     on_change=lambda: ss.update({EDIT_TEXT: ss["edit-text"]})):
            st.caption("Saving a sentence empty deletes it from the translation (page debris, a repeated "
                       "line); Undo brings it back.")
            texts = state.alignment.target.texts
            for index in bead.tgt:
                draw_sentence_editor(index, texts[index])


ADD_SIDES = {False: "after the previous pair's translation", True: "before the next pair's translation"}


def draw_translation_adder(position: int) -> None:
    """An untranslated pair (a dropped sentence): its translation, typed here, joins a neighbour
    pair's translated text, where the original has the sentence."""
    alignment = common.state().alignment
    sides = [to_next for to_next in ADD_SIDES if can_attach(position, to_next)]
    if not sides:
        st.caption("Neither neighbouring pair has a translation to add this one to: translate one of them first.")
        return
    first_source = alignment.beads[position].src[0]
    key = add_key(first_source)
    st.text_area("Translation of this pair", value=common.draft(("add", first_source), ""), key=key, height=80,
                 placeholder="Type the missing translation", on_change=keep_added, args=(first_source,))
    default = review.translation_goes_to_next(alignment, position)
    with st.container(horizontal=True, vertical_alignment="bottom"):
        st.radio("Add it", sides, index=sides.index(default) if default in sides else 0, format_func=ADD_SIDES.get,
                 key=f"{key}-side", horizontal=True)
        st.button("Add the translation", key=f"{key}-save", on_click=add_text, args=(position, first_source))


def can_attach(position: int, to_next: bool) -> bool:
    try:
        review.attach_translation(common.state().alignment, position, "-", to_next=to_next)
    except review.ReviewError:
        return False
    return True


def draw_sentence_editor(index: int, saved: str) -> None:
    key = text_key(index, saved)
    st.text_area(f"Translated sentence {index + 1}", value=common.draft(("txt", index), saved), key=key,
                 height=80, placeholder="deleted: type a sentence and save to restore it")
    with st.container(horizontal=True):
        st.button("Save", key=f"save-{index}", on_click=save_text, args=(index, key))
        if saved:
            st.button("Delete this sentence", key=f"delete-{index}", on_click=delete_text, args=(index,),
                      icon=":material/delete:", type="tertiary")


SPLIT = "Split this pair in two…"


def alignment_options(view: review.PairView) -> list[str]:
    options = [label for label, make in BEAD_ACTIONS.items() if possible(make, view.position)]
    return options + ([SPLIT] if len(view.bead.src) + len(view.bead.tgt) > 1 else [])


def on_alignment_menu(position: int) -> None:
    choice = ss.get("align-menu")
    if choice == SPLIT:
        ss["splitting"] = position
    elif choice in BEAD_ACTIONS:
        bead_edit(position, BEAD_ACTIONS[choice])


def sentences_html(bead: Bead) -> str:
    alignment = common.state().alignment
    src, tgt = alignment.source.texts, alignment.target.texts
    return (f'<div class="sentences"><div><div class="label">Original sentences</div>{segment_list(bead.src, src)}</div>'
            f'<div><div class="label">Translated sentences</div>{segment_list(bead.tgt, tgt)}</div></div>')


VERDICTS = {"accepted": "Accept", "dismissed": "Dismiss", "open": "Reopen"}


def draw_issue(stored: StoredIssue) -> None:
    issue = stored.issue
    fix = f' <span class="suggest">→ {html.escape(issue.suggestion)}</span>' if issue.suggestion else ""
    with st.container(horizontal=True, vertical_alignment="center", wrap=False):
        st.html(
            f'<div class="flags"><span class="chip sev-{issue.severity.value}">'
            f'{html.escape(issue.kind.replace("_", " "))}</span>{html.escape(issue.message)}{fix} '
            f"<em>({html.escape(stored.status.value)})</em></div>"
        )
        options = [label for status, label in VERDICTS.items() if status != stored.status.value]
        key = f"verdict-{stored.id}"
        st.menu_button("Verdict", options, key=key, on_click=on_verdict, args=(stored.id, key), type="tertiary")


def on_verdict(issue_id: int, key: str) -> None:
    status = {label: status for status, label in VERDICTS.items()}[ss[key]]
    set_status(issue_id, status)


def draw_split(view: review.PairView) -> None:
    position, bead = view.position, view.bead
    st.caption("Split this pair in two: how many sentences of each side stay in the first part?")
    cols = st.columns([0.2, 0.2, 0.6], vertical_alignment="bottom")
    state = common.state()
    src_cut, tgt_cut = review.default_cut(bead, state.alignment, common.scorer(state, common.project_encoder(state)))
    src_at = cols[0].selectbox("Original", range(len(bead.src) + 1), index=src_cut,
                               key=f"split-src-{position}", format_func=lambda k: f"first {k}")
    tgt_at = cols[1].selectbox("Translation", range(len(bead.tgt) + 1), index=tgt_cut,
                               key=f"split-tgt-{position}", format_func=lambda k: f"first {k}")
    try:
        preview = review.split(common.state().alignment.beads, position, src_at, tgt_at)
    except review.ReviewError as err:
        cols[2].caption(str(err))
        return
    first, second = preview.beads[position], preview.beads[position + 1]
    with cols[2].container(horizontal=True):
        st.button(f"Split into {first.kind} and {second.kind}", key="split", on_click=split_pair,
                  args=(position,), icon=":material/call_split:", type="primary")
        st.button("Cancel", key="split-cancel", on_click=lambda: ss.update(splitting=None), type="tertiary")


# -- the page ----------------------------------------------------------------------------------------


@st.fragment
def review_table() -> None:
    """Filters, pages, rows and the pair editor: a click in here redraws only this part of the app."""
    state = common.reload_in_fragment()
    common.show_flash()
    views = review.pair_views(state)
    jump = ss.pop("jump_to", None)
    if jump is not None and 0 <= jump < len(views):
        ss["selected"] = jump

    if jump is not None:  # the pair to show must not be filtered out
        current = review.filter_pairs(views, kinds=ss.get("f_kinds", []), severities=ss.get("f_sev", []),
                                      review=ss.get("f_review", review.ReviewFilter.ALL), query=ss.get("f_query", ""))
        if review.page_of(current, jump) is None:
            clear_filters()

    rows = filtered_rows(state, views)
    ss["shown_positions"] = [view.position for view in rows]

    pages = review.page_count(len(rows))
    page_key = f"page-{ss.get('page_epoch', 0)}"
    current_page = ss.get(page_key, ss.get("page_start", 1))
    wanted_page = (review.page_of(rows, jump) or 1) if jump is not None else min(current_page, pages)
    if wanted_page != current_page:
        go_to_page(wanted_page)
        page_key = f"page-{ss['page_epoch']}"

    info = state.info
    summary = st.columns([0.55, 0.45], vertical_alignment="center")
    with summary[0]:
        done = info.reviewed / info.beads if info.beads else 0.0
        st.progress(done, text=f"{info.reviewed} of {review.counted(info.beads, 'pair')} reviewed · "
                               f"{review.counted(info.open_issues, 'open issue')}")
        st.caption(f"{len(rows)} of {review.counted(len(views), 'pair')} shown · click a pair's number to open it")
        common.recheck_notice(info.id, in_page=True)
    with summary[1]:
        page = st.pagination(pages, default=min(ss.get("page_start", 1), pages), key=page_key, width="stretch",
                             on_change=save_typed)  # the open pair's boxes are not drawn on another page

    if not rows:
        st.info("No pair matches these filters.")
        st.button("Show all pairs", on_click=clear_filters)
    else:
        with st.container(horizontal=True, gap="small", wrap=False, key="row-head"):
            st.html('<div class="numhead">#</div>', width="content")
            st.html(header_html())
        start = (page - 1) * review.PAGE_SIZE
        for view in rows[start : start + review.PAGE_SIZE]:
            draw_row(view)
            if ss.get("selected") == view.position:
                draw_editor(view)

    if jump is not None:  # bring the pair into view (our own script: a number, no user text)
        st.html(f"<script>setTimeout(() => document.getElementById('pair-{int(jump) + 1}')"
                "?.scrollIntoView({block: 'center'}), 100);</script>", unsafe_allow_javascript=True)


def filtered_rows(state: ProjectState, views: list[review.PairView]) -> list[review.PairView]:
    """The filter bar, and the pairs that pass it."""
    kind_options = sorted(set(KINDS) | {s.issue.kind for s in state.issues})
    bar = st.columns([0.3, 0.17, 0.18, 0.35], vertical_alignment="bottom")
    kinds = bar[0].multiselect("Issue kind", kind_options, key="f_kinds", on_change=go_to_page, args=(1,),
                               format_func=lambda k: k.replace("_", " "), placeholder="any kind")
    severities = bar[1].multiselect("Severity", review.SEVERITIES, key="f_sev", on_change=go_to_page, args=(1,),
                                    placeholder="any")
    shown = bar[2].selectbox("Pairs", list(review.ReviewFilter), key="f_review", on_change=go_to_page, args=(1,),
                             format_func=lambda f: f.value)
    query = bar[3].text_input("Search", key="f_query", on_change=go_to_page, args=(1,),
                              placeholder="words in the original, the translation or a comment")
    return review.filter_pairs(views, kinds=kinds, severities=severities, review=shown, query=query,
                               keep=ss.get("selected"))


review_table()
