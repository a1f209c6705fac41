import gzip
import io
import random
import socket
import tarfile
import warnings
import zipfile
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from align import textio
from align.errors import InputError
from align.textio import normalize_text, read_text, read_url

DATA = Path(__file__).parent / "data" / "input"
POLISH = (DATA / "pl_utf8.txt").read_text(encoding="utf-8").strip()
ASCII_PUNCTUATION = str.maketrans({"–": "-", "—": "-", "„": '"', "”": '"'})

# Short sentences are where charset-normalizer alone picks the wrong Central European code page.
SHORT_POLISH = [
    "Zażółć gęślą jaźń.",
    "Źródło wody było tuż za płotem, więc chłopcy biegali tam codziennie.",
    "Łąka pachniała świeżo skoszoną trawą.\nŚcieżka prowadziła do źródła, gdzie żaby śpiewały.",
    "Ćma usiadła na ścianie. Żółw jadł sałatę. Ślimak pełzł po ławce.",
    "ŚWIĘTO ŹRÓDEŁ. ŻÓŁTA ŁÓDŹ.",
    "Mąka, mąż i wąż są tu.",
    "Źródło. Żaba ma łódź.",
]


def one_line_error(call, *args, **kwargs) -> str:
    with pytest.raises(InputError) as caught:
        call(*args, **kwargs)
    message = str(caught.value)
    assert message and "\n" not in message
    return message


# --- encodings -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    [
        "pl_utf8.txt",
        "pl_utf8_bom.txt",
        "pl_utf16le_bom.txt",
        "pl_utf16be_bom.txt",
        "pl_utf16le.txt",
        "pl_utf16be.txt",
        "pl_cp1250.txt",
    ],
)
def test_polish_fixture_decodes_to_the_same_text(name):
    assert read_text(DATA / name) == POLISH


def test_iso_8859_2_fixture_decodes_to_polish_letters():
    assert read_text(DATA / "pl_iso8859_2.txt") == POLISH.translate(ASCII_PUNCTUATION)


def test_bytes_and_path_read_the_same():
    assert read_text((DATA / "pl_cp1250.txt").read_bytes(), filename="pl.txt") == read_text(DATA / "pl_cp1250.txt")


@pytest.mark.parametrize("encoding", ["cp1250", "iso8859_2", "utf-8", "utf-8-sig", "utf-16"])
@pytest.mark.parametrize("sentence", SHORT_POLISH)
def test_short_polish_text_in_each_encoding(sentence, encoding):
    assert read_text(sentence.encode(encoding)) == sentence


@pytest.mark.parametrize(
    "text, encoding",
    [
        ("Le garçon a mangé une crème brûlée près de la fenêtre où tombait la pluie.", "cp1252"),
        ("Le garçon a mangé une crème brûlée près de la fenêtre où tombait la pluie.", "iso8859_15"),
        ("Die Größe der Brücke überraschte unsere Gäste aus München.", "cp1252"),
        ("Příliš žluťoučký kůň úpěl ďábelské ódy.", "cp1250"),
        ("Příliš žluťoučký kůň úpěl ďábelské ódy.", "iso8859_2"),
        ("Старая мельница стоит у реки уже больше ста лет.", "cp1251"),
        ("Наша сусідка вирощує помідори на балконі, їх дуже багато.", "koi8_u"),
        ("Kedi bahçede güneşin altında uyuyordu, ılık bir öğleden sonraydı.", "cp1254"),
        ("今日は天気がいいので、公園を散歩しました。", "cp932"),
        ("今天天气很好，我们去公园散步了。", "gb18030"),
        ("Наша сусідка вирощує помідори на балконі.", "utf-16-le"),
        ("오늘은 날씨가 좋아서 공원에 산책하러 갔습니다.", "utf-16-be"),
    ],
)
def test_other_languages_in_their_legacy_or_bomless_encodings(text, encoding):
    assert read_text(text.encode(encoding)) == text


def test_legacy_letters_far_into_a_long_file_are_decoded_right():
    english = "The report below was written by several people over many weeks.\n" * 2000
    polish = "Ściana, źdźbło i ślimak: to świat Łąckiej.\n"
    assert read_text((english + polish).encode("iso8859_2")) == (english + polish).strip()


def test_bom_that_lies_is_an_error():
    message = one_line_error(read_text, b"\xef\xbb\xbf" + "Zażółć".encode("cp1250"))
    assert "UTF-8" in message


def test_bytes_that_no_encoding_reads_as_text_are_an_error():
    generator = random.Random(7)  # printable ASCII and high bytes in random order: no language
    noise = bytes(generator.choice(range(0x20, 0x100)) for _ in range(3000)).replace(b"\x7f", b" ")
    assert "encoding" in one_line_error(read_text, noise)


# --- formats -----------------------------------------------------------------------------


def test_docx_keeps_paragraphs_line_breaks_and_table_cells():
    text = read_text(DATA / "pl.docx")
    paragraphs = text.split("\n\n")
    assert text.startswith(POLISH + "\n\n")  # heading, paragraphs, the in-paragraph line break
    assert paragraphs[-3:] == ["Gatunek", "Liczba skrzynek", "Słoneczniki rosną w każdej skrzynce."]
    assert "\n\n\n" not in text  # empty Word paragraphs add nothing


def test_docx_upload_recognised_by_content_without_a_name():
    assert read_text((DATA / "pl.docx").read_bytes()) == read_text(DATA / "pl.docx")


def test_html_main_text_without_menus_and_footer():
    text = read_text(DATA / "pl.html")
    assert text == POLISH
    assert "Strona główna" not in text and "prawa zastrzeżone" not in text and "dataLayer" not in text


def test_html_recognised_by_content_when_named_txt():
    html = (DATA / "pl.html").read_bytes()
    assert read_text(html, filename="article.txt") == POLISH


def test_html_fragment_recognised_by_extension():
    fragment = "<p>Pierwszy akapit.</p><p>Drugi akapit,<br>w dwóch liniach.</p>".encode()
    assert read_text(fragment, filename="x.html") == "Pierwszy akapit.\n\nDrugi akapit,\nw dwóch liniach."
    assert read_text(fragment, filename="x.txt").startswith("<p>")  # plain text stays as written


def test_html_falls_back_to_plain_text_when_trafilatura_finds_nothing(monkeypatch):
    import trafilatura

    monkeypatch.setattr(trafilatura, "extract", lambda *args, **kwargs: None)
    page = (
        "<html><head><title>Tytuł</title><style>p {color: red}</style></head><body>"
        "<nav>Menu</nav><div>Jeden akapit.</div><script>var x = 1;</script><p>Drugi akapit<br>i linia.</p></body></html>"
    )
    assert read_text(page.encode()) == "Menu\n\nJeden akapit.\n\nDrugi akapit\ni linia."


def test_html_without_text_is_an_error():
    message = one_line_error(read_text, b"<!DOCTYPE html><html><head><title>T</title></head><body></body></html>")
    assert "no text" in message


def test_markdown_markup_is_dropped(tmp_path):
    markdown = (
        "---\ntitle: Notatka\n---\n# Tytuł #\n\nAkapit z *kursywą*, **pogrubieniem** i [odnośnikiem](http://example.org \"t\").\n"
        "Druga linia z `kodem` i [przypisem][1].\n\n> Cytat w cudzysłowie.\n\n- punkt pierwszy\n- punkt drugi\n"
        "1. Książki: 12 000\n\n![Zdjęcie](img/biblioteka-2024.jpg)\n\n| Rzecz | Koszt |\n|---|---:|\n| Dach | 1,2 mln |\n\n"
        "Podtytuł\n--------\n\n* * *\n\nRok 2024. Gwiazdka \\*zostaje\\*, a snake_case_name też.\n\n[1]: http://example.org/p"
    )
    path = tmp_path / "notes.md"
    path.write_text(markdown, encoding="utf-8")
    assert read_text(path) == (
        "Tytuł\n\nAkapit z kursywą, pogrubieniem i odnośnikiem.\nDruga linia z kodem i przypisem.\n\n"
        "Cytat w cudzysłowie.\n\npunkt pierwszy\n\npunkt drugi\n\nKsiążki: 12 000\n\n"
        "Rzecz\n\nKoszt\n\nDach\n\n1,2 mln\n\nPodtytuł\n\nRok 2024. Gwiazdka *zostaje*, a snake_case_name też."
    )
    assert read_text(markdown.encode(), filename="notes.md") == read_text(path)


def test_markdown_code_blocks_keep_their_markup_characters():
    markdown = "Przykład:\n\n```python\nx = a * b * c # **bez zmian**\n```\n\nKoniec."
    assert read_text(markdown.encode(), filename="x.md") == "Przykład:\n\nx = a * b * c # **bez zmian**\n\nKoniec."


def test_markdown_syntax_in_a_txt_file_is_read_as_written():
    text = "# Tytuł\n\nAkapit z *kursywą* i [odnośnikiem](http://example.org).\n\n- punkt\n- punkt"
    assert read_text(text.encode(), filename="notes.txt") == text


def test_html_fragment_keeps_headings_and_lists():
    fragment = (
        "<div><h1>Biblioteka otwarta</h1><p>Miasto obudziło się wcześnie.</p><p>Budynek kosztował 4,5 mln euro.</p>"
        "<ul><li>Otwarte codziennie.</li><li>Bezpłatnie dla dzieci.</li></ul></div>"
    )
    assert read_text(fragment.encode(), filename="x.html") == (
        "Biblioteka otwarta\n\nMiasto obudziło się wcześnie.\n\nBudynek kosztował 4,5 mln euro.\n\n"
        "Otwarte codziennie.\n\nBezpłatnie dla dzieci."
    )


def test_html_page_without_boilerplate_keeps_headings_and_lists():
    page = (
        "<!DOCTYPE html><html><head><title>T</title><script>var x;</script></head><body>"
        "<h1>Biblioteka otwarta</h1><p>Miasto obudziło się wcześnie.</p><p>Budynek kosztował 4,5 mln euro.</p>"
        "<ol><li>Otwarte codziennie.</li><li>Bezpłatnie dla dzieci.</li></ol></body></html>"
    )
    text = read_text(page.encode())
    assert text.startswith("Biblioteka otwarta\n\n") and text.endswith("Otwarte codziennie.\n\nBezpłatnie dla dzieci.")
    assert "var x" not in text


# --- refusals ----------------------------------------------------------------------------


def zip_bytes(members: dict[str, str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def tar_bytes() -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w") as archive:
        info = tarfile.TarInfo("a.txt")
        info.size = 5
        archive.addfile(info, io.BytesIO(b"hello"))
    return buffer.getvalue()


def test_pdf_is_refused_with_advice():
    message = one_line_error(read_text, b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< >>\nendobj\n", filename="a.pdf")
    assert "PDF is not supported yet: save it as text or DOCX" in message


@pytest.mark.parametrize(
    "data, expected",
    [
        (zip_bytes({"a.txt": "hello"}), "ZIP archive"),
        (zip_bytes({"xl/workbook.xml": "<x/>"}), "Excel"),
        (zip_bytes({"mimetype": "application/vnd.oasis.opendocument.text"}), "OpenDocument"),
        (gzip.compress(b"hello world"), "gzip"),
        (b"7z\xbc\xaf\x27\x1c\x00\x04" + bytes(40), "7z"),
        (b"Rar!\x1a\x07\x01\x00" + bytes(40), "RAR"),
        (tar_bytes(), "tar"),
    ],
)
def test_archives_are_refused(data, expected):
    assert expected in one_line_error(read_text, data, filename="upload.bin")


@pytest.mark.parametrize(
    "data, expected",
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(17), "PNG"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(30), "JPEG"),
        (b"GIF89a\x01\x00\x01\x00" + bytes(20), "GIF"),
        (b"RIFF\x24\x00\x00\x00WEBPVP8 " + bytes(20), "WEBP"),
    ],
)
def test_images_are_refused(data, expected):
    assert expected in one_line_error(read_text, data, filename="scan.txt")


def test_text_starting_with_bm_is_not_taken_for_a_bitmap():
    assert read_text(b"BMW and Mercedes were parked outside.") == "BMW and Mercedes were parked outside."


@pytest.mark.parametrize(
    "data",
    [
        b"\x7fELF\x02\x01\x01\x00" + bytes(64) + b"some strings inside",
        bytes(range(256)) * 4,
        b"text with \x01\x02\x03\x04 control bytes \x05\x06\x07\x08 all over \x0e\x0f\x10\x11",
    ],
)
def test_other_binary_is_refused(data):
    assert "binary" in one_line_error(read_text, data)


def test_old_word_and_rtf_are_refused():
    assert ".doc" in one_line_error(read_text, b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(100))
    assert "RTF" in one_line_error(read_text, rb"{\rtf1\ansi Hello}")


def test_text_named_docx_is_refused():
    assert "DOCX" in one_line_error(read_text, b"just text", filename="report.docx")


@pytest.mark.parametrize("data", [b"", b"   \n\t\r\n  ", "\u00a0\u200b\n".encode(), "\ufeff".encode("utf-16")])
def test_empty_or_blank_input_is_refused(data):
    message = one_line_error(read_text, data)
    assert "empty" in message or "no text" in message


def test_missing_file_and_directory_are_refused(tmp_path):
    assert "not found" in one_line_error(read_text, tmp_path / "nowhere.txt")
    assert "directory" in one_line_error(read_text, tmp_path)


def test_size_limit_is_named(tmp_path, monkeypatch):
    monkeypatch.setattr(textio, "MAX_BYTES", 1024 * 1024)
    big = tmp_path / "big.txt"
    big.write_bytes(b"word " * 300_000)
    assert "1 MB limit" in one_line_error(read_text, big)
    assert "1 MB limit" in one_line_error(read_text, b"word " * 300_000)


def test_default_size_limit_is_50_mb():
    assert textio.MAX_BYTES == 50 * 1024 * 1024


# --- normalization -----------------------------------------------------------------------


def test_decomposed_polish_letters_are_composed():
    decomposed = "Z\u0307o\u0301\u0142w i z\u0301ro\u0301d\u0142o, e\u0328"
    assert normalize_text(decomposed) == "Żółw i źródło, ę"


def test_zero_width_characters_are_removed():
    assert normalize_text("\ufeffsło\u200bwo\u200c i\u200d dru\u2060gie\ufeff") == "słowo i drugie"


def test_no_break_spaces_become_spaces():
    assert normalize_text("10\u00a0000 zł, 5\u202f%, 1\u2007234") == "10 000 zł, 5 %, 1 234"


def test_line_ends_and_trailing_whitespace():
    assert normalize_text("Raz \t\r\nDwa\rTrzy  \n\n\nCztery \u00a0\n") == "Raz\nDwa\nTrzy\n\n\nCztery"


def test_control_characters_become_breaks_or_spaces():
    # Word writes a manual line break as a vertical tab and a page break as a form feed.
    assert normalize_text("Raz\x0bdwa.\x0cTrzy \x01cztery\x7f.") == "Raz\ndwa.\n\nTrzy  cztery ."


def test_utf8_with_stray_control_bytes_is_not_read_as_utf16():
    # 50 bytes, an even count, with control bytes: once decoded as UTF-16 (CJK garbage).
    data = "Pierwsze zdanie\x0bz podziałem. Drugie\x0czdanie \x01 tu.\n".encode()
    assert len(data) % 2 == 0
    assert read_text(data) == "Pierwsze zdanie\nz podziałem. Drugie\n\nzdanie   tu."


def test_typography_and_paragraphs_are_kept():
    text = "„Cytat” – powiedział — «dobrze»… ‘tak’ “yes”\n\nNowy akapit.\n  Wcięta linia."
    assert normalize_text(text) == text


@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=200))
def test_normalize_is_idempotent(text):
    once = normalize_text(text)
    assert normalize_text(once) == once
    assert "\r" not in once and "\u200b" not in once and "\u00a0" not in once


# --- web addresses -----------------------------------------------------------------------


@pytest.mark.parametrize("url", ["ftp://example.org/a.txt", "file:///etc/hosts", "example.org/article", "javascript:x"])
def test_only_http_addresses_are_fetched(url):
    assert "http" in one_line_error(read_url, url)


def test_unreachable_address_fails_fast_with_advice():
    with socket.socket() as probe:  # a loopback port that nothing listens on once closed
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    message = one_line_error(read_url, f"http://127.0.0.1:{port}/article", timeout=2)
    assert "could not fetch" in message and "no network?" in message and "paste or upload" in message


# --- DOCX: all visible text ----------------------------------------------------------------

W_TRANSITIONAL = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W_STRICT = "http://purl.oclc.org/ooxml/wordprocessingml/main"
RELATIONSHIPS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def docx_bytes(body: str, *, notes: dict[str, str] | None = None, namespace: str = W_TRANSITIONAL,
               main_type: str = RELATIONSHIPS + "/officeDocument") -> bytes:
    """A minimal Word file: ``body`` is the XML inside <w:body>; ``notes`` maps "footnotes" or
    "endnotes" to the XML inside that part's root."""
    declarations = (f'xmlns:w="{namespace}" xmlns:r="{RELATIONSHIPS}" '
                    'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
                    'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
                    'xmlns:v="urn:schemas-microsoft-com:vml" '
                    'xmlns:m="http://schemas.openxmlformats.org/officeDocument/2006/math"')
    members = {
        "[Content_Types].xml": (
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.'
            'wordprocessingml.document.main+xml"/></Types>'),
        "_rels/.rels": ('<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                        f'<Relationship Id="rId1" Type="{main_type}" Target="word/document.xml"/></Relationships>'),
        "word/document.xml": f"<w:document {declarations}><w:body>{body}<w:sectPr/></w:body></w:document>",
    }
    rels = []
    for n, (part, content) in enumerate((notes or {}).items()):
        tag = part[:-1]
        rels.append(f'<Relationship Id="rId{n + 5}" Type="{RELATIONSHIPS}/{part}" Target="{part}.xml"/>')
        members[f"word/{part}.xml"] = f"<w:{part} {declarations}>{content}</w:{part}>".replace("<w:n ", f"<w:{tag} ").replace("</w:n>", f"</w:{tag}>")
    members["word/_rels/document.xml.rels"] = (
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' + "".join(rels) + "</Relationships>")
    return zip_bytes(members)


def para(*runs: str) -> str:
    return "<w:p>" + "".join(runs) + "</w:p>"


def run(text: str) -> str:
    return f'<w:r><w:t xml:space="preserve">{text}</w:t></w:r>'


def test_docx_reads_content_controls_custom_xml_fields_and_smart_tags():
    body = (
        para(run("Pierwszy akapit."))
        + "<w:sdt><w:sdtPr><w:alias w:val='Pole'/></w:sdtPr><w:sdtContent>"
        + para(run("W polu formularza.")) + para(run("Drugi w polu.")) + "</w:sdtContent></w:sdt>"
        + '<w:customXml w:element="sekcja">' + para(run("W customXml.")) + "</w:customXml>"
        + para('<w:fldSimple w:instr="HYPERLINK x"><w:r><w:t>Pole proste.</w:t></w:r></w:fldSimple>')
        + para("<w:sdt><w:sdtPr/><w:sdtContent>" + run("Kontrolka w wierszu.") + "</w:sdtContent></w:sdt>")
        + para('<w:smartTag w:uri="u" w:element="place">' + run("Znacznik.") + "</w:smartTag>")
        + para(run("Strona "), '<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> PAGE </w:instrText></w:r>'
               '<w:r><w:fldChar w:fldCharType="separate"/></w:r>', run("7"), '<w:r><w:fldChar w:fldCharType="end"/></w:r>', run("."))
        + para(run("Wzór "), "<m:oMath><m:r><m:t>x+1</m:t></m:r></m:oMath>", run("."))
    )
    assert read_text(docx_bytes(body)) == (
        "Pierwszy akapit.\n\nW polu formularza.\n\nDrugi w polu.\n\nW customXml.\n\nPole proste.\n\n"
        "Kontrolka w wierszu.\n\nZnacznik.\n\nStrona 7.\n\nWzór x+1."
    )


def test_docx_keeps_tracked_insertions_and_leaves_out_deletions():
    body = para(
        run("Budynek "),
        '<w:ins w:id="1" w:author="R"><w:r><w:t xml:space="preserve">kosztował 4,5 mln euro</w:t></w:r></w:ins>',
        '<w:del w:id="2" w:author="R"><w:r><w:delText xml:space="preserve"> USUNIĘTE</w:delText></w:r></w:del>',
        '<w:moveFrom w:id="3" w:author="R">' + run(" PRZENIESIONE") + "</w:moveFrom>",
        '<w:moveTo w:id="4" w:author="R">' + run(" i był gotowy") + "</w:moveTo>",
        run("."),
    )
    assert read_text(docx_bytes(body)) == "Budynek kosztował 4,5 mln euro i był gotowy."


def test_docx_text_box_is_read_once_after_its_paragraph():
    box = "<w:txbxContent>" + para(run("Tekst w ramce.")) + "</w:txbxContent>"
    body = (
        para(run("Przed ramką."), "<w:r><mc:AlternateContent><mc:Choice Requires='wps'><w:drawing><wps:wsp><wps:txbx>"
             + box + "</wps:txbx></wps:wsp></w:drawing></mc:Choice><mc:Fallback><w:pict><v:shape><v:textbox>"
             + box + "</v:textbox></v:shape></w:pict></mc:Fallback></mc:AlternateContent></w:r>")
        + para(run("Po ramce."))
    )
    assert read_text(docx_bytes(body)) == "Przed ramką.\n\nTekst w ramce.\n\nPo ramce."


def test_docx_footnotes_and_endnotes_follow_the_body_in_reference_order():
    body = (
        para(run("Zdanie z przypisem."), '<w:r><w:footnoteReference w:id="3"/></w:r>')
        + para(run("Drugie."), '<w:r><w:footnoteReference w:id="2"/></w:r>', '<w:r><w:endnoteReference w:id="2"/></w:r>')
    )
    separator = '<w:n w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:n>'
    notes = {
        "footnotes": separator
        + '<w:n w:id="2"><w:p><w:r><w:footnoteRef/></w:r>' + run(" Przypis drugi.") + "</w:p></w:n>"
        + '<w:n w:id="3"><w:p><w:r><w:footnoteRef/></w:r>' + run(" Przypis pierwszy.") + "</w:p></w:n>"
        + '<w:n w:id="9">' + para(run("Nigdzie nie wskazany.")) + "</w:n>",
        "endnotes": separator + '<w:n w:id="2">' + para(run("Przypis końcowy.")) + "</w:n>",
    }
    assert read_text(docx_bytes(body, notes=notes)) == (
        "Zdanie z przypisem.\n\nDrugie.\n\nPrzypis pierwszy.\n\nPrzypis drugi.\n\nPrzypis końcowy."
    )


def test_docx_merged_and_nested_table_cells_are_read_once():
    cell = lambda content, extra="": f"<w:tc><w:tcPr>{extra}</w:tcPr>{content}</w:tc>"  # noqa: E731
    inner = "<w:tbl><w:tr>" + cell(para(run("Zagnieżdżona."))) + "</w:tr></w:tbl>"
    body = (
        "<w:tbl><w:tblPr/><w:tblGrid/><w:tr>" + cell(para(run("Scalona.")), '<w:gridSpan w:val="2"/>') + "</w:tr>"
        + "<w:tr>" + cell(para(run("A"))) + cell(inner + para(run("B"))) + "</w:tr></w:tbl>"
    )
    assert read_text(docx_bytes(body)) == "Scalona.\n\nA\n\nZagnieżdżona.\n\nB"


def test_docx_tabs_breaks_and_hyphens():
    body = para(run("Raz"), "<w:r><w:tab/><w:t>dwa</w:t><w:br/><w:t>trzy-</w:t><w:noBreakHyphen/>"
                "<w:t>cztery wy</w:t><w:softHyphen/><w:t>razy</w:t></w:r>")
    assert read_text(docx_bytes(body)) == "Raz\tdwa\ntrzy--cztery wyrazy"


def test_strict_open_xml_docx_is_read():
    data = docx_bytes(para(run("Dokument w formacie Strict.")), namespace=W_STRICT,
                      main_type="http://purl.oclc.org/ooxml/officeDocument/relationships/officeDocument")
    assert read_text(data, filename="strict.docx") == "Dokument w formacie Strict."


def test_docx_with_broken_xml_is_called_damaged():
    data = docx_bytes(para(run("Tekst.")))
    members = {name: zipfile.ZipFile(io.BytesIO(data)).read(name).decode() for name in zipfile.ZipFile(io.BytesIO(data)).namelist()}
    members["word/document.xml"] = members["word/document.xml"][:-30]
    message = one_line_error(read_text, zip_bytes(members), filename="x.docx")
    assert "damaged DOCX" in message and "x.docx" in message


# --- stray bytes in UTF-8 ------------------------------------------------------------------


def test_utf8_with_one_stray_byte_stays_utf8_with_a_warning():
    lines = ["Zażółć gęślą jaźń.", "Łąka pachniała świeżo skoszoną trawą.", "Ścieżka prowadziła do źródła."]
    data = bytearray("\n".join(lines).encode())
    position = data.index(b"prowadzi")
    data[position:position] = b"\xe9"  # a Latin-1 é pasted from another editor
    with pytest.warns(textio.InputWarning) as caught:
        text = read_text(bytes(data), filename="pl.txt")
    assert text == "\n".join(lines).replace("prowadzi", "\ufffdprowadzi")
    message = str(caught[0].message)
    assert "pl.txt" in message and "line 3" in message and f"byte offset {position}" in message and "0xE9" in message


def test_legacy_file_is_not_taken_for_utf8_with_stray_bytes():
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no stray-byte warning either
        assert read_text(POLISH.encode("cp1250")) == POLISH


def test_utf8_with_stray_bytes_cannot_be_written_back(tmp_path):
    path = tmp_path / "pl.txt"
    path.write_bytes("Zażółć gęślą jaźń. Łąka".encode() + b"\xe9" + " pachniała świeżo.".encode())
    with pytest.warns(textio.InputWarning):
        message = one_line_error(textio.read_plain_text, path)
    assert "UTF-8" in message


# --- invisible format characters ------------------------------------------------------------


def test_soft_hyphens_and_other_invisible_format_characters_are_removed():
    assert normalize_text("wy\u00adkształ\u00adcenie, a\u034fb i c\u180ed") == "wykształcenie, ab i cd"


def test_soft_hyphen_does_not_split_a_sentence_or_word():
    from align.segment import segment

    text = read_text("Wzrost o 5 pro\u00adcent.\u00ad Kolejne zdanie.".encode(), filename="x.txt")
    assert text == "Wzrost o 5 procent. Kolejne zdanie."
    assert [s.text for s in segment(text, "pl")] == ["Wzrost o 5 procent.", "Kolejne zdanie."]
