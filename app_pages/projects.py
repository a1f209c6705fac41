"""Projects: reopen earlier work, or load a new pair (upload, paste or a web address), align and
check it, and save it as a project."""

from __future__ import annotations

import warnings

import streamlit as st

from align import review
from align.errors import AlignError
from align.language import DETECTABLE, language_name
from align.pipeline import AlignWarning
from align.textio import read_text, read_url
from app_pages import common

ss = st.session_state
db = common.store()
state = common.state()
UPLOAD_LIMIT_MB = int(st.get_option("server.maxUploadSize"))
LANGUAGES = ["auto", *sorted(DETECTABLE, key=language_name)]


def open_selected() -> None:
    common.open_project(ss["open-id"][0])


def delete_selected() -> None:
    project_id = ss["open-id"][0]
    try:
        db.delete_project(project_id)
    except AlignError as err:
        common.flash("error", str(err))
        return
    common.flash("success", "Project deleted.")
    if project_id == ss.get("project_id"):
        ss["project_id"] = None  # the next run opens the demo


GLOSSARY_OPEN = "glossary-open"  # session key: the open project's glossary section stays open


def use_glossary(remove: bool = False) -> None:
    """Give the open project the uploaded glossary (or none) and check it again."""
    upload = None if remove else ss.get("project-glossary")
    if upload is None and not remove:
        common.flash("info", "Choose a glossary file first.")
        return

    def action(seen):
        if upload is not None:
            review.check_upload_size(upload.name, upload.size, UPLOAD_LIMIT_MB)
        glossary_file = (upload.name, upload.getvalue()) if upload is not None else None
        return review.set_glossary(db, seen, glossary_file, encoder=common.project_encoder(seen))

    with st.spinner("Checking the translation with the glossary…"):
        common.run_edit(action)
    ss[GLOSSARY_OPEN] = True  # its label names the new glossary: keep it open to show the outcome


def read_side(prefix: str, role: str) -> tuple[str, str | None]:
    """The text given for one side (an upload, else pasted text, else a web address) and the name
    of where it came from (the file's name, the address; none for pasted text)."""
    upload = ss.get(f"{prefix}-file")
    if upload is not None:
        review.check_upload_size(upload.name, upload.size, UPLOAD_LIMIT_MB)
        return read_text(upload.getvalue(), filename=upload.name), upload.name
    pasted = (ss.get(f"{prefix}-paste") or "").strip()
    if pasted:
        return pasted, None
    address = (ss.get(f"{prefix}-url") or "").strip()
    if address:
        return read_url(address), address
    raise AlignError(f"Give the {role}: upload a file, paste the text or enter its web address.")


def side_inputs(prefix: str, title: str) -> None:
    st.markdown(f"**{title}**")
    upload, paste, web = st.tabs(["Upload", "Paste", "Web address"])
    upload.file_uploader(f"{title} file", type=["txt", "md", "docx", "html", "htm"], key=f"{prefix}-file",
                         max_upload_size=UPLOAD_LIMIT_MB, help=f"Plain text, Markdown, Word or HTML, up to {UPLOAD_LIMIT_MB} MB")
    paste.text_area(f"{title} text", key=f"{prefix}-paste", height=180)
    web.text_input(f"{title} address", key=f"{prefix}-url", placeholder="https://…",
                   help="An article address (http or https); needs a network connection.")
    st.selectbox("Language", LANGUAGES, key=f"{prefix}-lang",
                 format_func=lambda c: "detect automatically" if c == "auto" else f"{language_name(c)} ({c})")


CREATED_AS_GIVEN = (" The project was created as given: if that is wrong, delete it here on the Projects "
                    "page and create it again.")


def creation_warning(warning: warnings.WarningMessage) -> str:
    """A warning raised while aligning, in the app's words; one about the texts themselves (a
    language that does not match, a text far longer than the other) says what became of them."""
    text = review.app_wording(str(warning.message))
    return text + CREATED_AS_GIVEN if issubclass(warning.category, AlignWarning) else text


def create() -> None:
    name = (ss.get("new-name") or "").strip()
    lang = {side: None if ss[f"{side}-lang"] == "auto" else ss[f"{side}-lang"] for side in ("src", "tgt")}
    bar = st.progress(0.0, text="Reading the texts…")
    try:
        with warnings.catch_warnings(record=True) as caught:  # a text read with a warning (a stray byte) too
            warnings.simplefilter("always")
            original, original_name = read_side("src", "original")
            translation, translation_name = read_side("tgt", "translation")
            model = common.encoder((ss.get("new-encoder") or "").strip() or None)
            glossary = ss.get("new-glossary")
            if glossary is not None:
                review.check_upload_size(glossary.name, glossary.size, UPLOAD_LIMIT_MB)
            project_id = review.create_project(
                db, name or "Untitled pair", original, translation, src_lang=lang["src"], tgt_lang=lang["tgt"],
                presplit=bool(ss.get("new-presplit")), encoder=model,
                glossary_file=(glossary.name, glossary.getvalue()) if glossary is not None else None,
                file_names=(original_name, translation_name),
                progress=lambda stage, fraction: bar.progress(min(max(fraction, 0.0), 1.0), text=stage.capitalize()),
            )
    except AlignError as err:
        bar.empty()
        common.say("error", review.app_wording(str(err)))
        return
    bar.empty()
    for warning in caught:
        common.flash("warning", creation_warning(warning))
    common.flash("success", "Aligned, checked and saved.")
    common.open_project(project_id)
    st.switch_page("app_pages/review.py")


st.subheader("Projects")
projects = db.list_projects()
labels = {p.id: f"{p.name} · {p.source_lang}→{p.target_lang} · {review.counted(p.beads, 'pair')}, {p.reviewed} "
                f"reviewed, {review.counted(p.open_issues, 'open issue')} · changed "
                f"{p.updated[:16].replace('T', ' ')} UTC" for p in projects}
st.dataframe(
    [{"name": p.name, "languages": f"{p.source_lang} → {p.target_lang}", "pairs": p.beads,
      "reviewed": p.reviewed, "open issues": p.open_issues, "changed (UTC)": p.updated[:16].replace("T", " ")}
     for p in projects],
    hide_index=True, width="stretch",
)
row = st.columns([0.6, 0.2, 0.2], vertical_alignment="bottom")
# (id, label) pairs: a label that changes (its counts, after an edit) is a new option, so the box
# shows the new one instead of keeping the old label under the same id
choices = list(labels.items())
row[0].selectbox("Project", choices, key="open-id", format_func=lambda choice: choice[1],
                 index=list(labels).index(state.info.id) if state.info.id in labels else 0)
row[1].button("Open", on_click=open_selected, type="primary", width="stretch")
with row[2].popover("Delete…", width="stretch"):
    st.write("Delete the chosen project with all its edits? This cannot be undone.")
    st.button("Delete for good", on_click=delete_selected, type="primary")

with st.expander(f"Glossary of the open project · {common.plain(state.settings.get('glossary_file') or 'none')}",
                 expanded=ss.get(GLOSSARY_OPEN, False)):
    st.file_uploader("Glossary (CSV, TSV or TBX)", type=["csv", "tsv", "txt", "tbx", "xml"], key="project-glossary",
                     help="Required renderings, checked in every pair: replaces the project's glossary, and the "
                          "whole translation is checked again with it (Undo takes both back).")
    buttons = st.container(horizontal=True)
    buttons.button("Use this glossary", on_click=use_glossary, type="primary")
    if state.settings.get("glossary"):
        buttons.button("Remove the glossary", on_click=use_glossary, args=(True,))

st.divider()
st.subheader("New pair")
st.text_input("Project name", key="new-name", placeholder="e.g. Interview, April issue")
left, right = st.columns(2)
with left:
    side_inputs("src", "Original")
with right:
    side_inputs("tgt", "Translation")
with st.expander("Options"):
    st.text_input("Encoder", key="new-encoder", placeholder="bundled: multilingual USE (15 languages)",
                  help="Leave empty for the bundled encoder, or give a local sentence-transformers model "
                       "folder or name (e.g. all-MiniLM-L6-v2, or labse if it is in the local cache). "
                       "Nothing is downloaded.")
    st.checkbox("One sentence per line (the texts are already split)", key="new-presplit")
    st.file_uploader("Glossary (CSV, TSV or TBX)", type=["csv", "tsv", "txt", "tbx", "xml"], key="new-glossary",
                     help="Required renderings, checked in every pair now and after each edit: a CSV or TSV "
                          "with the columns source, target (and optionally note, forbidden), or a TBX file.")
if st.button("Align and check", type="primary", icon=":material/play_arrow:"):
    create()
