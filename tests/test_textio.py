import gzip
import io
import random
import socket
import tarfile
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
        "<div>Jeden akapit.</div><script>var x = 1;</script><p>Drugi akapit<br>i linia.</p></body></html>"
    )
    assert read_text(page.encode()) == "Jeden akapit.\n\nDrugi akapit\ni linia."


def test_html_without_text_is_an_error():
    message = one_line_error(read_text, b"<!DOCTYPE html><html><head><title>T</title></head><body></body></html>")
    assert "no text" in message


def test_markdown_is_read_as_written(tmp_path):
    markdown = "# Tytuł\n\nAkapit z *kursywą* i [odnośnikiem](http://example.org).\n\n- punkt\n- punkt"
    path = tmp_path / "notes.md"
    path.write_text(markdown, encoding="utf-8")
    assert read_text(path) == markdown


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
