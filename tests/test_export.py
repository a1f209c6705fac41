"""Exports parse back with the library that reads them, and hold every pair intact."""

from __future__ import annotations

import io
import json
from html.parser import HTMLParser

import pandas as pd
import pytest
from lxml import etree
from lxml import html as lxml_html
from translate.storage import tmx, xliff

from align.errors import AlignError
from align.export import (
    EXCEL_CELL_LIMIT,
    ExportError,
    pairs,
    qa_report_csv,
    qa_report_html,
    to_csv,
    to_tmx,
    to_xliff,
    to_xlsx,
)
from align.types import Alignment, Bead, Document, Issue, Report, Segment, Severity

SCRIPT = "<script>alert('x')</script>"
POLISH = (
    "Paweł Łatuszka powiedział: „Nie oddamy kraju pod protektorat Rosji”.",
    "Ceny wzrosły o 30 proc. & więcej, a płace < 5 proc.",
    f"Ktoś wkleił {SCRIPT} do wywiadu.",
    "Źródło: Interia.",
    "Żółw idzie powoli; ćma leci szybko.",
    "=1+1 to nie formuła.",
)
ENGLISH = (
    'Pavel Latushko said: "We will not cede the country to Russia".',
    "Prices rose by 30% & more,",
    "while wages < 5%.",
    f"Someone pasted {SCRIPT} into the interview.",
    "top of page",
    "The tortoise walks slowly; the moth flies fast.",
    "=1+1 is not a formula.",
    "NA",
)
BEADS = (
    Bead((0,), (0,), 0.93),
    Bead((1,), (1, 2), 0.81),  # 1-2
    Bead((2,), (3,), 0.9),
    Bead((3,), (), 0.0),  # source only
    Bead((), (4,), 0.0),  # target only: web debris
    Bead((4,), (5,), 0.88),
    Bead((5,), (6, 7), 0.5),
)
ISSUES = (
    Issue("name_variant", Severity.HIGH, (0,), (0,), "Latushko <vs> Latushka & co.", ("Latushko",), "Pavel Latushka"),
    Issue("meaning_shift", Severity.MEDIUM, (0,), (0,), "The protectorate is lost.", ("protektorat",)),
    Issue("omission", Severity.MEDIUM, (3,), (), "Source sentence not translated."),
    Issue("addition", Severity.LOW, (), (4,), f"Extra text {SCRIPT}.", (SCRIPT,)),
)
REVIEWED = (True, False, True, False, False, True, False)
# A reviewer's comments: quotes, &, markup, an emoji and a line break must all come through as
# written. Pair 0 has issues, pair 2 has none; the blank one on pair 5 counts as no comment.
COMMENT = 'Use "Latushka" & not <b>Latushko</b> 🙂\nAsk the author.'
SECOND = "Fine, but <i>check</i> the tone & register\n— ok?"
COMMENTS = (COMMENT, "", SECOND, "", "", "   ", "")
COMMENTED = {0: COMMENT, 2: SECOND}


def document(texts: tuple[str, ...], lang: str) -> Document:
    segments, text = [], ""
    for index, sentence in enumerate(texts):
        text += " " if index else ""
        segments.append(Segment(index, sentence, 0, len(text), len(text) + len(sentence)))
        text += sentence
    return Document(text, lang, tuple(segments))


ALIGNMENT = Alignment(document(POLISH, "pl"), document(ENGLISH, "en"), BEADS, {"encoder": "test", "segmenter": "x"})


def expected_pairs(corrected: dict[int, str] | None = None) -> list[tuple[str, str]]:
    target = list(ENGLISH)
    for index, text in (corrected or {}).items():
        target[index] = text
    return [(" ".join(POLISH[i] for i in b.src), " ".join(target[j] for j in b.tgt)) for b in BEADS]


# -- TMX ------------------------------------------------------------------------------------------

HEADER_REQUIRED = ("creationtool", "creationtoolversion", "segtype", "o-tmf", "adminlang", "srclang", "datatype")


def test_tmx_round_trip_holds_every_two_sided_pair(tmp_path):
    path = tmp_path / "memory.tmx"
    assert to_tmx(ALIGNMENT, path) == 5
    memory = tmx.tmxfile(path.open("rb"))
    two_sided = [(str(p), s, t) for p, (s, t) in enumerate(expected_pairs()) if s and t]
    assert [(u.getid(), u.source, u.target) for u in memory.units] == two_sided
    for unit in memory.units:
        langs = [node.get("{http://www.w3.org/XML/1998/namespace}lang") for node in unit.getlanguageNodes()]
        assert langs == ["pl", "en"]
    assert memory.sourcelanguage == "pl"


def test_tmx_header_is_what_tmx_14_requires(tmp_path):
    path = tmp_path / "memory.tmx"
    to_tmx(ALIGNMENT, path)
    root = etree.parse(str(path)).getroot()
    assert root.tag == "tmx" and root.get("version") == "1.4"
    header = root.find("header")
    assert all(header.get(name) for name in HEADER_REQUIRED)
    assert header.get("creationtool") == "align"
    assert header.get("segtype") == "sentence" and header.get("srclang") == "pl"
    assert header.get("datatype") == "plaintext"
    for tu in root.iter("tu"):
        # TMX order: notes and props first, then the variants
        tags = [child.tag for child in tu]
        assert tags == ["prop", "tuv", "tuv"]
        assert tu.find("prop").get("type").startswith("x-")


def test_tmx_uses_corrected_target_and_skips_emptied_pairs():
    corrected = {0: 'Pavel Latushka said: "We will not hand the country over to Russia".', 3: ""}
    buffer = io.BytesIO()
    assert to_tmx(ALIGNMENT, buffer, corrected=corrected) == 4
    memory = tmx.tmxfile.parsestring(buffer.getvalue())
    assert memory.units[0].target == corrected[0]
    assert "2" not in [u.getid() for u in memory.units]


@pytest.mark.parametrize("comments", [COMMENTS, COMMENTED], ids=["sequence", "mapping"])
def test_tmx_carries_the_reviewers_comment_as_a_note_of_its_unit(comments):
    buffer = io.BytesIO()
    to_tmx(ALIGNMENT, buffer, comments=comments)
    memory = tmx.tmxfile.parsestring(buffer.getvalue())
    assert {u.getid(): u.getnotes() for u in memory.units} == {"0": COMMENT, "1": "", "2": SECOND, "5": "", "6": ""}
    tu = etree.fromstring(buffer.getvalue()).find("body/tu")
    assert [child.tag for child in tu] == ["note", "prop", "tuv", "tuv"]  # TMX 1.4 order


def test_xml_exports_replace_characters_xml_cannot_carry():
    dirty = Alignment(document(("Zdanie\x0bz tabulatorem.",), "pl"), document(("A\x01line.",), "en"), (Bead((0,), (0,)),))
    buffer = io.BytesIO()
    to_tmx(dirty, buffer, comments=("Uwaga\x0cto.",))
    unit = tmx.tmxfile.parsestring(buffer.getvalue()).units[0]
    assert (unit.source, unit.target) == ("Zdanie z tabulatorem.", "A line.")
    assert unit.getnotes() == "Uwaga to."
    workbook = io.BytesIO()
    to_xlsx(dirty, workbook)
    row = pd.read_excel(io.BytesIO(workbook.getvalue()), keep_default_na=False).iloc[0]
    assert (row["source"], row["target"]) == ("Zdanie z tabulatorem.", "A line.")


# -- XLIFF ----------------------------------------------------------------------------------------

XLIFF_NS = "{urn:oasis:names:tc:xliff:document:1.2}"
XLIFF_STATES = {"final", "needs-adaptation", "needs-l10n", "needs-review-adaptation", "needs-review-l10n",
                "needs-review-translation", "needs-translation", "new", "signed-off", "translated"}


def test_xliff_round_trip_holds_every_bead_and_its_notes(tmp_path):
    path = tmp_path / "pairs.xlf"
    assert to_xliff(ALIGNMENT, path, issues=ISSUES, reviewed=REVIEWED) == len(BEADS)
    store = xliff.xlifffile.parsestring(path.read_bytes())
    assert (store.getsourcelanguage(), store.gettargetlanguage()) == ("pl", "en")
    units = store.units
    assert [(u.source, u.target) for u in units] == expected_pairs()
    assert [u.xmlelement.get("id") for u in units] == [str(p) for p in range(len(BEADS))]
    assert [u.xmlelement.get("resname") for u in units] == [str(b) for b in BEADS]
    assert [u.isapproved() for u in units] == list(REVIEWED)
    states = [u.xmlelement.find(f"{XLIFF_NS}target").get("state") for u in units]
    assert [s for s, r in zip(states, REVIEWED) if r] == ["signed-off"] * sum(REVIEWED)
    assert states[1] == "translated"
    notes = units[0].getnotes()
    assert ISSUES[0].message in notes and ISSUES[1].message in notes and "Pavel Latushka" in notes
    assert "1-0 bead" in units[3].getnotes() and ISSUES[2].message in units[3].getnotes()
    assert "0-1 bead" in units[4].getnotes() and SCRIPT in units[4].getnotes()
    assert units[2].getnotes() == ""


def test_xliff_gives_the_comment_as_a_reviewer_note_beside_the_qa_notes():
    buffer = io.BytesIO()
    to_xliff(ALIGNMENT, buffer, issues=ISSUES, comments=COMMENTS)
    units = xliff.xlifffile.parsestring(buffer.getvalue()).units
    assert [u.getnotes("reviewer") for u in units] == [COMMENT, "", SECOND, "", "", "", ""]
    qa_notes = units[0].getnotes("align-qa")
    assert ISSUES[0].message in qa_notes and ISSUES[1].message in qa_notes and COMMENT not in qa_notes
    assert units[2].getnotes() == SECOND
    assert "0-1 bead" in units[4].getnotes()  # the state note stays


def test_xliff_is_version_1_2_with_a_valid_structure(tmp_path):
    path = tmp_path / "pairs.xlf"
    to_xliff(ALIGNMENT, path, issues=ISSUES, comments=COMMENTS)
    root = etree.parse(str(path)).getroot()
    assert root.tag == f"{XLIFF_NS}xliff" and root.get("version") == "1.2"
    assert set(root.nsmap.values()) == {"urn:oasis:names:tc:xliff:document:1.2"}
    file_node = root.find(f"{XLIFF_NS}file")
    assert all(file_node.get(a) for a in ("original", "source-language", "datatype", "target-language"))
    units = list(root.iter(f"{XLIFF_NS}trans-unit"))
    assert len({u.get("id") for u in units}) == len(units) == len(BEADS)
    for unit in units:
        tags = [etree.QName(child).localname for child in unit]
        assert tags[:2] == ["source", "target"] and set(tags[2:]) <= {"note"}
        assert unit.get("approved") in {"yes", "no", None}  # optional; absent means not approved
        state = unit.find(f"{XLIFF_NS}target").get("state")
        assert state in XLIFF_STATES
        for note in unit.findall(f"{XLIFF_NS}note"):
            assert 1 <= int(note.get("priority", "1")) <= 10
    states = [u.find(f"{XLIFF_NS}target").get("state") for u in units]
    assert states[3] == "needs-translation" and states[4] == "needs-review-translation"


# -- tables ---------------------------------------------------------------------------------------


def check_pairs_table(frame: pd.DataFrame, corrected: dict[int, str] | None = None, comments=("",) * 7) -> None:
    assert list(frame.columns) == ["bead", "src_indices", "tgt_indices", "source", "target", "score", "kind",
                                   "issues", "pair", "source sentences", "translated sentences", "comment", "reviewed"]
    assert list(frame["bead"]) == list(range(7)) and list(frame["pair"]) == list(range(1, 8))  # 0- and 1-based
    assert [str(s) for s in frame["source sentences"]] == ["1", "2", "3", "4", "", "5", "6"]
    assert [str(t) for t in frame["translated sentences"]] == ["1", "2, 3", "4", "", "5", "6", "7, 8"]
    assert list(frame["comment"]) == [c.strip() for c in comments]
    assert list(zip(frame["source"], frame["target"])) == expected_pairs(corrected)
    assert [tuple(json.loads(s)) for s in frame["src_indices"]] == [b.src for b in BEADS]
    assert [tuple(json.loads(t)) for t in frame["tgt_indices"]] == [b.tgt for b in BEADS]
    assert list(frame["kind"]) == [b.kind for b in BEADS]
    assert list(frame["score"]) == pytest.approx([b.score for b in BEADS])
    assert [bool(r) for r in frame["reviewed"]] == list(REVIEWED)
    assert frame["issues"].iloc[0] == "name_variant, meaning_shift"
    assert frame["issues"].iloc[3] == "omission" and frame["issues"].iloc[2] == ""


def test_csv_round_trip_to_a_path_and_a_buffer(tmp_path):
    path = tmp_path / "pairs.csv"
    to_csv(ALIGNMENT, path, issues=ISSUES, reviewed=REVIEWED)
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")  # BOM: Excel reads UTF-8
    check_pairs_table(pd.read_csv(path, keep_default_na=False, encoding="utf-8-sig"))
    corrected = {7: "N/A", 0: "Poprawione „zdanie” <b>."}
    buffer = io.BytesIO()
    to_csv(ALIGNMENT, buffer, issues=ISSUES, reviewed=REVIEWED, corrected=corrected)
    check_pairs_table(pd.read_csv(io.BytesIO(buffer.getvalue()), keep_default_na=False), corrected)


def test_xlsx_round_trip_keeps_text_as_text(tmp_path):
    path = tmp_path / "pairs.xlsx"
    to_xlsx(ALIGNMENT, path, issues=ISSUES, reviewed=REVIEWED)
    sheets = pd.read_excel(path, sheet_name=None, keep_default_na=False)
    check_pairs_table(sheets["pairs"])
    assert sheets["pairs"]["source"].iloc[6] == "=1+1 to nie formuła."  # not evaluated as a formula
    assert len(sheets["issues"]) == len(ISSUES)


def test_pairs_tables_carry_the_comment_in_its_row(tmp_path):
    to_csv(ALIGNMENT, tmp_path / "pairs.csv", issues=ISSUES, reviewed=REVIEWED, comments=COMMENTS)
    to_xlsx(ALIGNMENT, tmp_path / "pairs.xlsx", issues=ISSUES, reviewed=REVIEWED, comments=COMMENTED)
    table = pd.read_csv(tmp_path / "pairs.csv", keep_default_na=False, encoding="utf-8-sig")
    sheets = pd.read_excel(tmp_path / "pairs.xlsx", sheet_name=None, keep_default_na=False)
    for frame in (table, sheets["pairs"]):
        check_pairs_table(frame, comments=COMMENTS)
    issue_comments = dict(zip(sheets["issues"]["message"], sheets["issues"]["comment"]))
    assert issue_comments == {ISSUES[0].message: COMMENT, ISSUES[1].message: COMMENT, ISSUES[2].message: "",
                              ISSUES[3].message: ""}


# -- QA report ------------------------------------------------------------------------------------


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)

    def handle_data(self, data):
        self.text.append(data)


def test_html_report_escapes_user_text():
    on_script = Issue("meaning_shift", Severity.LOW, (2,), (3,), "Check the pasted code.")
    page = qa_report_html(Report(ALIGNMENT, ISSUES + (on_script,)), title="Raport <QA> & „test”")
    assert "<script" not in page.lower()
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in page
    parsed = _Collector()
    parsed.feed(page)
    assert "script" not in parsed.tags and "link" not in parsed.tags and "img" not in parsed.tags
    text = "".join(parsed.text)
    assert f"Someone pasted {SCRIPT} into the interview." in text  # shown to the reader as text
    assert f"Ktoś wkleił {SCRIPT} do wywiadu." in text
    assert "Raport <QA> & „test”" in text and ISSUES[0].message in text


def test_html_report_summarises_by_kind_and_severity():
    page = qa_report_html(Report(ALIGNMENT, ISSUES))
    summary = pd.read_html(io.StringIO(page))[0].set_index("kind")
    assert summary.loc["total"].to_dict() == {"high": 1, "medium": 2, "low": 1, "total": 4}
    assert summary.loc["name_variant"].to_dict() == {"high": 1, "medium": 0, "low": 0, "total": 1}
    assert summary.loc["omission"].to_dict() == {"high": 0, "medium": 1, "low": 0, "total": 1}
    parsed = _Collector()
    parsed.feed(page)
    text = "".join(parsed.text)
    order = [text.index(i.message) for i in (ISSUES[0], ISSUES[1], ISSUES[3])]
    assert order == sorted(order)  # high before medium before low
    assert "No issues found." in qa_report_html(Report(ALIGNMENT, ()))


def issue_rows(page: str) -> dict[str, lxml_html.HtmlElement]:
    """The issues table's rows by the issue message that opens their message cell."""
    rows = lxml_html.fromstring(page).xpath('//table[@class="issues"]/tr[td]')
    return {row.xpath("td")[5].text: row for row in rows}


def test_html_report_shows_comments_with_issues_and_lists_the_others():
    page = qa_report_html(Report(ALIGNMENT, ISSUES), comments=COMMENTS)
    rows = issue_rows(page)
    remarks = {message: [d.text_content() for d in row.xpath('.//div[@class="comment"]')]
               for message, row in rows.items()}
    on_pair_1 = [f"Reviewer, pair 1: {COMMENT}"]
    assert remarks == {ISSUES[0].message: on_pair_1, ISSUES[1].message: on_pair_1,
                       ISSUES[2].message: [], ISSUES[3].message: []}
    tree = lxml_html.fromstring(page)
    assert "Reviewer comments" in [h.text for h in tree.iter("h2")]
    listed = [[td.text_content() for td in row.xpath("td")] for row in tree.xpath('//table[@class="comments"]/tr[td]')]
    assert listed == [["3", POLISH[2], ENGLISH[3], SECOND]]  # pair 1 has issues: its comment is with them
    assert not tree.xpath("//b[contains(., 'Latushko')] | //i | //script")  # the markup stayed text
    assert "Reviewer comments" not in qa_report_html(Report(ALIGNMENT, ISSUES))


def test_qa_report_csv_gives_the_comment_of_every_pair_an_issue_touches():
    spanning = Issue("term_inconsistency", Severity.LOW, (0, 2), (), "Two pairs.")
    text = qa_report_csv(Report(ALIGNMENT, ISSUES + (spanning,)), comments=COMMENTED)
    frame = pd.read_csv(io.StringIO(text), keep_default_na=False).set_index("message")
    assert frame.loc[ISSUES[0].message, "comment"] == COMMENT and frame.loc[ISSUES[1].message, "comment"] == COMMENT
    assert frame.loc[ISSUES[2].message, "comment"] == "" and frame.loc[ISSUES[3].message, "comment"] == ""
    assert frame.loc["Two pairs.", "comment"] == f"Pair 1: {COMMENT}\nPair 3: {SECOND}"
    assert frame.loc["Two pairs.", "pairs"] == "1, 3" and frame.loc[ISSUES[3].message, "translated sentences"] == "5"


def test_qa_report_csv_round_trip():
    frame = pd.read_csv(io.StringIO(qa_report_csv(Report(ALIGNMENT, ISSUES))), keep_default_na=False)
    assert list(frame["severity"]) == ["high", "medium", "medium", "low"]
    row = frame.iloc[0]
    assert (row["kind"], row["source"], row["target"]) == ("name_variant", POLISH[0], ENGLISH[0])
    assert row["suggestion"] == "Pavel Latushka" and row["message"] == ISSUES[0].message
    assert frame.iloc[3]["target"] == ENGLISH[4] and frame.iloc[3]["evidence"] == SCRIPT


# -- errors ---------------------------------------------------------------------------------------


def test_bad_exports_get_one_line_errors(tmp_path):
    no_language = Alignment(document(POLISH, ""), ALIGNMENT.target, BEADS)
    dangling = Alignment(ALIGNMENT.source, ALIGNMENT.target, BEADS + (Bead((9,), ()),))
    for call in (
        lambda: to_tmx(no_language, io.BytesIO()),
        lambda: to_xliff(dangling, io.BytesIO()),
        lambda: to_csv(ALIGNMENT, io.BytesIO(), reviewed=(True,)),
        lambda: to_xliff(ALIGNMENT, io.BytesIO(), reviewed=(True,)),
        lambda: to_csv(ALIGNMENT, io.BytesIO(), corrected={42: "x"}),
        lambda: to_tmx(ALIGNMENT, tmp_path / "missing-folder" / "x.tmx"),
        lambda: qa_report_html(Report(ALIGNMENT, (Issue("x", Severity.LOW, (77,), (), "m"),))),
        lambda: to_xliff(ALIGNMENT, io.BytesIO(), comments=("one",)),
        lambda: to_csv(ALIGNMENT, io.BytesIO(), comments={7: "past the last pair"}),
        lambda: qa_report_csv(Report(ALIGNMENT, ISSUES), comments="a single string"),
    ):
        with pytest.raises(ExportError) as caught:
            call()
        assert isinstance(caught.value, AlignError) and "\n" not in str(caught.value)


def test_pairs_assign_issues_to_every_bead_they_touch():
    spanning = Issue("term_inconsistency", Severity.LOW, (0, 4), (), "Two beads.")
    found = pairs(ALIGNMENT, issues=[spanning])
    assert [p.position for p in found if p.issues] == [0, 5]


# -- edge cases -----------------------------------------------------------------------------------

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def test_tmx_with_one_language_code_on_both_sides_keeps_both_variants():
    # an en-GB edition aligned with its en-US one: both sides are "en"
    british = Alignment(document(("The colour is grey.",), "en"), document(("The color is gray.",), "en"),
                        (Bead((0,), (0,), 0.9),))
    buffer = io.BytesIO()
    assert to_tmx(british, buffer) == 1
    unit = tmx.tmxfile.parsestring(buffer.getvalue()).units[0]
    assert (unit.source, unit.target) == ("The colour is grey.", "The color is gray.")
    variants = etree.fromstring(buffer.getvalue()).find("body/tu").findall("tuv")
    assert [(v.get(XML_LANG), v.findtext("seg")) for v in variants] == [
        ("en", "The colour is grey."), ("en", "The color is gray."),
    ]


def test_lone_surrogates_become_spaces_in_tables_and_reports():
    broken = Alignment(document(("a\ud800b",), "pl"), document(("c\udc00d",), "en"), (Bead((0,), (0,), 0.9),))
    issue = Issue("x", Severity.HIGH, (0,), (0,), "about a\ud800b", ("a\ud800b",), "c\udc00d")
    buffer = io.BytesIO()
    to_csv(broken, buffer, comments=["note \udfff"])
    frame = pd.read_csv(io.BytesIO(buffer.getvalue()), encoding="utf-8-sig", keep_default_na=False)
    assert (frame["source"][0], frame["target"][0], frame["comment"][0]) == ("a b", "c d", "note")
    to_xlsx(broken, io.BytesIO(), issues=[issue])
    report = Report(broken, (issue,))
    assert "a b" in qa_report_html(report).encode("utf-8").decode()
    assert "about a b" in qa_report_csv(report).encode("utf-8").decode()


def test_xliff_never_approves_an_empty_target_and_gives_an_emptied_one_a_state():
    shapes = Alignment(document(("a", "b", "c"), "pl"), document(("B", "C"), "en"),
                       (Bead((0,), (), 0.0), Bead((1,), (0,), 0.9), Bead((2,), (1,), 0.9)))
    buffer = io.BytesIO()
    to_xliff(shapes, buffer, reviewed=[True, True, True], corrected={0: ""})
    units = list(etree.fromstring(buffer.getvalue()).iter(f"{XLIFF_NS}trans-unit"))
    assert [u.get("approved") for u in units] == ["no", "no", "yes"]
    states = [u.find(f"{XLIFF_NS}target").get("state") for u in units]
    assert states == ["needs-translation", "needs-translation", "signed-off"]
    assert "deleted in review" in xliff.xlifffile.parsestring(buffer.getvalue()).units[1].getnotes()


def test_a_paragraph_break_inside_a_pairs_text_is_a_space_in_every_table_and_memory():
    # a question translated in review onto its answer: "Why?\n\n— Because ..." in one segment
    shapes = Alignment(document(("Dlaczego?", "— Bo tak."), "pl"), document(("— Because.",), "en"),
                       (Bead((0, 1), (0,), 0.9),))
    pair = pairs(shapes, corrected={0: "Why?\n\n— Because."})[0]
    assert (pair.source, pair.target) == ("Dlaczego? — Bo tak.", "Why? — Because.")
    buffer = io.BytesIO()
    to_tmx(shapes, buffer, corrected={0: "Why?\n\n— Because."})
    assert b"<seg>Why? \xe2\x80\x94 Because.</seg>" in buffer.getvalue()


def test_xliff_leaves_out_a_debris_line_deleted_in_review():
    debris = Alignment(document(("a", "b"), "pl"), document(("top of page", "A", "B"), "en"),
                       (Bead((), (0,), 0.0), Bead((0,), (1,), 0.9), Bead((1,), (2,), 0.9)))
    buffer = io.BytesIO()
    assert to_xliff(debris, buffer, corrected={0: ""}) == 2
    units = list(etree.fromstring(buffer.getvalue()).iter(f"{XLIFF_NS}trans-unit"))
    assert [u.get("id") for u in units] == ["1", "2"]  # the ids stay the pairs' positions


def test_xlsx_cuts_an_over_long_cell_with_a_visible_marker():
    long = Alignment(document(("x" * 40_000,), "pl"), document(("short",), "en"), (Bead((0,), (0,), 0.9),))
    buffer = io.BytesIO()
    to_xlsx(long, buffer)
    cell = pd.read_excel(io.BytesIO(buffer.getvalue()), sheet_name="pairs")["source"][0]
    assert len(cell) == EXCEL_CELL_LIMIT
    assert cell.startswith("x" * 30_000) and "CUT" in cell and "40,000" in cell and "CSV" in cell


def test_a_merged_side_with_a_deleted_segment_has_no_stray_space():
    merged = Alignment(document(("a", "b", "c"), "pl"), document(("A", "B", "C", "D"), "en"),
                       (Bead((0,), (0, 1), 0.9), Bead((1, 2), (2, 3), 0.9)))
    found = pairs(merged, corrected={0: "", 2: ""})
    assert [p.target for p in found] == ["B", "D"]
    buffer = io.BytesIO()
    to_tmx(merged, buffer, corrected={0: "", 2: ""})
    assert [u.target for u in tmx.tmxfile.parsestring(buffer.getvalue()).units] == ["B", "D"]
