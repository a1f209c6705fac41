"""Alignment map: sentence similarity as a heat map with the chosen pairs on it (click a cell to
open its pair), and a histogram of pair scores."""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from align import review
from app_pages import common

ss = st.session_state
state = common.state()


@st.cache_data(show_spinner="Computing sentence similarities…", max_entries=8)
def cells(project: tuple[str, int], revision: int, _state, _encoder) -> pd.DataFrame:
    src, tgt = review.sentence_vectors(_state.alignment, _encoder)
    return review.similarity_cells(_state.alignment, src, tgt)


def heat_map(frame: pd.DataFrame) -> alt.LayerChart:
    pick = alt.selection_point(name="cell", fields=["pair"], on="click")
    n_src, n_tgt = len(state.alignment.source), len(state.alignment.target)
    x = alt.X("translation:O", title=f"translated sentence ({n_tgt})", axis=alt.Axis(labelOverlap=True))
    y = alt.Y("original:O", title=f"original sentence ({n_src})", axis=alt.Axis(labelOverlap=True))
    tooltip = ["pair:Q", "original:Q", "translation:Q", "similarity:Q"]
    base = alt.Chart(frame).mark_rect().encode(
        x=x, y=y, tooltip=tooltip,
        color=alt.Color("similarity:Q", scale=alt.Scale(scheme="blues", domain=[0, 1]), title="similarity"),
    ).add_params(pick)
    path = alt.Chart(frame[frame["path"]]).mark_rect(fill=None, stroke="#d9480f", strokeWidth=1.5).encode(
        x=x, y=y, tooltip=tooltip,
    )
    side = min(900, max(360, 7 * max(n_src, n_tgt)))
    return (base + path).properties(height=side)


def histogram() -> alt.LayerChart:
    scores = pd.DataFrame({"score": [b.score for b in state.alignment.beads]})
    bars = alt.Chart(scores).mark_bar(color="#4c78a8").encode(
        x=alt.X("score:Q", bin=alt.Bin(step=0.05, extent=[0, 1]), title="pair score"),
        y=alt.Y("count():Q", title="pairs"),
    )
    rule = alt.Chart(pd.DataFrame({"score": [review.LOW_SCORE]})).mark_rule(color="#b3261e", strokeDash=[4, 3]).encode(
        x="score:Q"
    )
    return (bars + rule).properties(height=220)


st.subheader("Alignment map")
model = common.project_encoder(state)
left, right = st.columns([0.68, 0.32])
with left:
    if model is None:
        common.say("warning", f"The encoder this project was aligned with ({state.info.encoder}) is not available "
                   "here, so the similarity map cannot be drawn.")
    else:
        frame = cells(common.project_key(state), state.revision, state, model)
        banded = len(frame) < len(state.alignment.source) * len(state.alignment.target)
        st.caption("Darker cells: more similar sentences. Outlined: the pairs as aligned. Click a cell to "
                   "open its pair." + (" Long document: only a band around the path is shown." if banded else ""))
        event = st.altair_chart(heat_map(frame), on_select="rerun", key="map", width="stretch")
        chosen = event.selection.get("cell") if event else None
        if chosen:
            ss["jump_to"] = int(chosen[0]["pair"]) - 1
            st.switch_page("app_pages/review.py")
with right:
    st.caption("Pair scores (the dashed line: below it the aligner was unsure)")
    st.altair_chart(histogram(), width="stretch")
    low = sum(b.score < review.LOW_SCORE for b in state.alignment.beads)
    st.metric("Pairs below the line", low)
    st.caption("Choose 'low score' under Pairs on the Review page to go through them.")
