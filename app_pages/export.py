"""Export: translation memory, XLIFF, tables, the corrected translation and the QA report.

Each file is made when its button is clicked, from the project as saved at that moment.
"""

from __future__ import annotations

import streamlit as st

from align import review
from app_pages import common

state = common.state()
db = common.store()
project_id = state.info.id

HELP = {
    "tmx": "One translation unit per pair with text on both sides; opens in CAT tools.",
    "xliff": "Every pair, reviewed ones approved, QA issues as notes.",
    "csv": "One row per pair: texts, score, issue kinds, reviewed.",
    "xlsx": "The same table as an Excel workbook, with an issues sheet.",
    "text": "The translation as imported, with your edits written in place.",
    "qa_html": "A self-contained page listing every issue you have not dismissed.",
    "qa_csv": "The same issues as a table.",
}


def make(fmt: str):
    # Runs when the button is clicked: export the project as it is saved then.
    return lambda: review.export_bytes(db.load(project_id), fmt)


st.subheader("Export")
st.caption(f"{review.counted(state.info.beads, 'pair')} · {state.info.reviewed} reviewed · "
           f"{review.counted(state.info.open_issues, 'open issue')} · "
           f"{review.counted(len(state.edits), 'translated sentence')} edited")
for fmt, (label, _suffix, mime) in review.EXPORT_FORMATS.items():
    cols = st.columns([0.3, 0.7], vertical_alignment="center")
    cols[0].download_button(label, data=make(fmt), file_name=review.export_filename(state, fmt), mime=mime,
                            key=f"dl-{fmt}", on_click="ignore", icon=":material/download:", width="stretch")
    cols[1].caption(HELP[fmt])
