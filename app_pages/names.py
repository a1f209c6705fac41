"""Names: every name of the translation with its spellings, counts and places; pick one spelling,
preview the change, apply it to the whole translation, undo."""

from __future__ import annotations

import html

import streamlit as st

from align import review
from align.checks.names import NameCluster
from app_pages import common

ss = st.session_state
state = common.state()
db = common.store()


@st.cache_data(show_spinner=False, max_entries=16)
def clusters(project: tuple[str, int], revision: int, _state) -> list[NameCluster]:
    return review.name_clusters_of(_state)


def apply_spelling(cluster_key: str, variants: list[str]) -> None:
    chosen = ss[cluster_key]

    def action(seen):
        options = common.edit_options(seen)
        outcome = None
        for old in variants:
            if old == chosen:
                continue
            outcome = review.replace_in_translation(db, seen, old, chosen, **options)
            seen = db.load(seen.info.id)
        return outcome

    common.run_edit(action)


PAIR_OF = {j: p for p, b in enumerate(state.alignment.beads) for j in b.tgt}  # translated sentence -> pair


def places(segments: tuple[int, ...]) -> str:
    pair_of = PAIR_OF
    pairs = sorted({pair_of[j] + 1 for j in segments if j in pair_of})
    shown = ", ".join(str(p) for p in pairs[:12])
    return shown + (f" and {len(pairs) - 12} more" if len(pairs) > 12 else "")


def draw_cluster(number: int, cluster: NameCluster) -> None:
    spellings = sorted(cluster.variants, key=lambda s: -len(cluster.variants[s]))
    with st.container(border=True):
        source = f" · original: {', '.join(cluster.source_forms)}" if cluster.source_forms else ""
        st.html(f"<strong>{html.escape(' / '.join(spellings))}</strong>"
                f"<span style='color:#666'>{html.escape(source)}</span>")
        rows = [{"spelling": s, "times": len(cluster.variants[s]), "pairs": places(cluster.variants[s])}
                for s in spellings]
        st.dataframe(rows, hide_index=True, width="stretch")
        key = f"canon-{number}-{state.revision}"
        default = spellings.index(cluster.canonical) if cluster.canonical in spellings else 0
        chosen = st.radio("Use this spelling everywhere", spellings, index=default, key=key, horizontal=True)
        changes = [c for old in spellings if old != chosen for c in review.preview_replacement(state, old, chosen)]
        if not changes:
            st.caption("Nothing to change: the translation already uses this spelling only.")
            return
        with st.expander(f"Preview: changes to {review.counted(len(changes), 'sentence')}", expanded=True):
            st.html("".join(f"<p><small>sentence {c.index + 1}</small><br>{review.word_diff(c.before, c.after)}</p>"
                            for c in changes))
        st.button(f"Apply “{chosen}” to the whole translation", key=f"apply-{number}", type="primary",
                  on_click=apply_spelling, args=(key, spellings))


st.subheader("Names in the translation")
st.caption("A name written two ways may read as two people. Pick the spelling to keep; the change "
           "is saved at once, re-checked, and can be taken back with Undo.")
found = clusters(common.project_key(state), state.revision, state)
several = [c for c in found if len(c.variants) > 1]
single = [c for c in found if len(c.variants) == 1]
top = st.columns([0.8, 0.2])
top[0].markdown(f"**{len(several)}** name{'s' if len(several) != 1 else ''} written more than one way · "
                f"{len(single)} written one way")
top[1].button("Undo last edit", icon=":material/undo:", on_click=common.undo_last, key="names-undo")
for number, cluster in enumerate(several):
    draw_cluster(number, cluster)
if not several:
    st.success("Every name is spelled one way throughout the translation.")
with st.expander(f"All names written one way ({len(single)})"):
    st.dataframe(
        [{"name": c.canonical, "times": sum(len(v) for v in c.variants.values()),
          "original": ", ".join(c.source_forms), "pairs": places(next(iter(c.variants.values())))}
         for c in single],
        hide_index=True, width="stretch",
    )
