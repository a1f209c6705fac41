"""align's review app: ``streamlit run app.py``.

Opens on the demo pair (aligned, checked and saved in the project store on the first start).
A thin shell: layout only. Every operation is a call into the library (``align.review``,
``align.store``); the pages are in ``app_pages/``, their shared plumbing in ``app_pages/common.py``.
"""

from __future__ import annotations

import html

import streamlit as st

from align import review
from app_pages import common

# An emoji favicon: Streamlit draws it as an inline SVG. A Material icon here would be fetched from
# fonts.gstatic.com, which fails offline (the pages' own Material icons come with Streamlit).
FAVICON = "↔️"
st.set_page_config(page_title="align · review", page_icon=FAVICON, layout="wide")

PAGES = [
    st.Page("app_pages/review.py", title="Review", icon=":material/compare_arrows:", default=True),
    st.Page("app_pages/names.py", title="Names", icon=":material/badge:"),
    st.Page("app_pages/map.py", title="Alignment map", icon=":material/grid_on:"),
    st.Page("app_pages/export.py", title="Export", icon=":material/download:"),
    st.Page("app_pages/projects.py", title="Projects", icon=":material/folder_open:"),
]


def sidebar(state) -> None:
    """Nothing here may change with an edit made on the review page: those redraw only its table
    (the pair count is in the table's head there, and so is the re-check notice after an edit;
    other pages get that notice in the sidebar, below, once the page has run)."""
    info = state.info
    with st.sidebar:
        st.html(f"<strong>{html.escape(info.name)}</strong>")  # user text: always escaped
        st.caption(
            f"{common.language_label(info.source_lang)} → {common.language_label(info.target_lang)}"
            f" · encoder {info.encoder or 'unknown'}"
            + (f" · glossary {common.plain(state.settings.get('glossary_file') or '')} "
               f"({review.counted(len(glossary), 'term')})"
               if (glossary := state.settings.get("glossary")) else "")
        )
        st.button("Undo last edit", icon=":material/undo:", on_click=common.undo_last,
                  help="Takes back the last saved edit of this project (repeat to go further back).")
        st.caption("Every edit is saved at once.")
        if error := common.rechecks().take_error(common.store(), info.id):
            common.say("error", error)


navigation = st.navigation(PAGES, position="top")
common.preload_encoder()
st.html(common.CSS)
current = common.load_current()
sidebar(current)
common.show_flash()
st.session_state.pop(common.RECHECK_SHOWN, None)  # a table-only redraw may have left it
navigation.run()
if not st.session_state.pop(common.RECHECK_SHOWN, False):  # the review page shows it in its table
    with st.sidebar:
        common.recheck_notice(current.info.id)
