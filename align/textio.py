"""Read what a user gives us (a path, an upload, a web address) as clean Unicode text.

Formats are recognised by content first (magic bytes), by file extension second. Plain
text is decoded; Markdown is decoded and its markup dropped (link and emphasis text kept,
addresses and images left out); DOCX and HTML have their text extracted with paragraph
breaks kept as blank lines, and everything else is refused with a one-line `InputError`
that says what to do instead.
"""

from __future__ import annotations

import functools
import io
import os
import re
import unicodedata
import urllib.error
import urllib.parse
import urllib.request
import warnings
import zipfile
from pathlib import Path

from charset_normalizer import from_bytes

from align.errors import InputError

MAX_BYTES = 50 * 1024 * 1024
"""Largest input accepted, in bytes (a 50 MB text is some 8 million words)."""

MAX_CONTROL_SHARE = 0.02
"""Share of control bytes above which a file is taken for binary, not text."""

HTML_EXTENSIONS = frozenset({".html", ".htm", ".xhtml"})
MARKDOWN_EXTENSIONS = frozenset({".md", ".markdown", ".mdown", ".mkd"})

# Legacy code pages tried when a file is not Unicode. Keeping this list to encodings that
# real documents in our languages use stops charset-normalizer from picking exotic
# look-alikes (iso8859_10, mac_*, DOS pages) for short Central European text.
LEGACY_ENCODINGS = (
    "cp1250", "iso8859_2",  # Central European: Polish, Czech, Slovak
    "cp1252", "iso8859_15",  # Western European
    "cp1251", "koi8_r", "koi8_u",  # Cyrillic
    "cp1253", "cp1254", "cp1255", "cp1256", "cp1257",  # Greek, Turkish, Hebrew, Arabic, Baltic
    "cp874",  # Thai
    "cp932", "euc_jp", "gb18030", "big5", "cp949",  # Japanese, Chinese, Korean
)

_BOMS = (  # UTF-32 first: its little-endian BOM starts with UTF-16's
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xef\xbb\xbf", "utf-8"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
)

_ARCHIVES = (  # (offset, magic, name)
    (0, b"\x1f\x8b", "gzip"),
    (0, b"7z\xbc\xaf\x27\x1c", "7z"),
    (0, b"Rar!\x1a\x07", "RAR"),
    (0, b"BZh", "bzip2"),
    (0, b"\xfd7zXZ\x00", "xz"),
    (0, b"\x28\xb5\x2f\xfd", "zstd"),
    (257, b"ustar", "tar"),
)

_IMAGES = (
    (0, b"\x89PNG\r\n\x1a\n", "PNG"),
    (0, b"\xff\xd8\xff", "JPEG"),
    (0, b"GIF87a", "GIF"),
    (0, b"GIF89a", "GIF"),
    (0, b"II*\x00", "TIFF"),
    (0, b"MM\x00*", "TIFF"),
    (4, b"ftypheic", "HEIC"),
    (4, b"ftypavif", "AVIF"),
)

# Office formats that are ZIP files but not DOCX: a marker member and a name for the message.
_OTHER_ZIPPED_DOCUMENTS = (
    ("xl/workbook.xml", "an Excel workbook"),
    ("ppt/presentation.xml", "a PowerPoint presentation"),
    ("mimetype", "an OpenDocument or EPUB file"),
)

# What normalize_text replaces before NFC and the trimming of blanks, in this order (regexes:
# str.translate is 50x slower on big texts). align.fix replays the same table to map its changes
# back onto the file's own text.
CHARACTER_REPLACEMENTS: tuple[tuple[re.Pattern[str], str], ...] = (
    # zero-width and other invisible format characters: soft hyphen, combining grapheme joiner,
    # Mongolian vowel separator. Removed, not replaced, so a word they sit in stays one word.
    (re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad\u034f\u180e]"), ""),
    (re.compile("[\u00a0\u202f\u2007]"), " "),  # no-break spaces
    (re.compile(r"\r\n?|\u2028"), "\n"),  # line breaks
    (re.compile("\u2029"), "\n\n"),  # the paragraph separator
    (re.compile("\x0b"), "\n"),  # Word's manual line break
    (re.compile("\x0c"), "\n\n"),  # a page break
    (re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f]"), " "),  # other control characters
)


def normalize_text(text: str) -> str:
    """NFC, no zero-width characters or soft hyphens, plain spaces and LF line ends, no trailing blanks.

    Quotes, dashes and paragraph breaks are the author's and are kept as they are.
    """
    for pattern, replacement in CHARACTER_REPLACEMENTS:
        text = pattern.sub(replacement, text)
    text = unicodedata.normalize("NFC", text)
    return "\n".join(line.rstrip() for line in text.split("\n")).strip("\n")


def read_text(source: str | os.PathLike | bytes, *, filename: str | None = None) -> str:
    """The normalized text of a file path or of uploaded bytes (`filename` hints the type)."""
    if isinstance(source, (bytes, bytearray, memoryview)):
        data, label = bytes(source), filename or "the uploaded file"
        _check_size(len(data), label)
    else:
        data, label = _read_file(Path(source)), str(source)
    return _text_from_bytes(data, label, _extension(filename or label))


def read_url(url: str, *, timeout: float = 10) -> str:
    """The main text of the web page at `url` (http or https only)."""
    parts = urllib.parse.urlsplit(url.strip())
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        raise InputError(f"not a web address: {url!r}: only http:// and https:// addresses can be fetched")
    request = urllib.request.Request(url.strip(), headers={"User-Agent": "align (text fetch)"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            data = response.read(MAX_BYTES + 1)
            is_html = response.headers.get_content_type() in ("text/html", "application/xhtml+xml")
            declared = response.headers.get_content_charset()
    except urllib.error.HTTPError as error:
        raise InputError(f"could not fetch {url}: the server answered {error.code} {error.reason}") from None
    except (urllib.error.URLError, OSError) as error:
        reason = getattr(error, "reason", error)
        raise InputError(f"could not fetch {url}: no network? paste or upload the text instead ({reason})") from None
    _check_size(len(data), url)
    extension = ".html" if is_html else _extension(parts.path)
    return _text_from_bytes(data, url, extension, declared_encoding=declared)


# --- reading and recognising -------------------------------------------------------------


def _extension(name: str | None) -> str:
    return Path(name).suffix.lower() if name else ""


def _check_size(size: int, label: str) -> None:
    if size > MAX_BYTES:
        raise InputError(
            f"{label} is {size / 2**20:.1f} MB, above the {MAX_BYTES // 2**20} MB limit for one input"
        )


def check_readable(path: str | os.PathLike) -> None:
    """Raise the error reading ``path`` would give when it is missing, a folder or unreadable,
    without reading it."""
    path = Path(path)
    if not (path.is_file() and os.access(path, os.R_OK)):
        _read_file(path)


def _read_file(path: Path) -> bytes:
    try:
        if path.is_dir():
            raise InputError(f"{path} is a directory, not a file")
        _check_size(path.stat().st_size, str(path))
        with path.open("rb") as handle:
            data = handle.read(MAX_BYTES + 1)
    except FileNotFoundError:
        if str(path) == "-":
            raise InputError("'-' is no file: align reads files, not standard input; save the text to a file") from None
        raise InputError(f"file not found: {path}") from None
    except PermissionError:
        raise InputError(f"cannot read {path}: permission denied") from None
    _check_size(len(data), str(path))
    return data


def _text_from_bytes(data: bytes, label: str, extension: str, *, declared_encoding: str | None = None) -> str:
    if not data.strip():
        raise InputError(f"{label} is empty")
    _refuse_unsupported(data, label)
    if data.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        text = _docx_text(data, label)
    elif extension == ".docx":
        raise InputError(f"{label} is named .docx but is not a Word document (DOCX is a ZIP file)")
    else:
        text = decode(data, label, declared_encoding=declared_encoding)
        if extension in HTML_EXTENSIONS or _looks_like_html(text):
            text = _html_text(text)
        elif extension in MARKDOWN_EXTENSIONS:
            text = _markdown_text(normalize_text(text))
    text = normalize_text(text)
    if not text.strip():
        raise InputError(f"{label} contains no text")
    return text


def _has_magic(data: bytes, table: tuple[tuple[int, bytes, str], ...]) -> str | None:
    return next((name for offset, magic, name in table if data[offset:offset + len(magic)] == magic), None)


def _refuse_unsupported(data: bytes, label: str) -> None:
    if data.lstrip()[:5] == b"%PDF-":
        raise InputError(f"{label}: PDF is not supported yet: save it as text or DOCX")
    if data.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        raise InputError(f"{label} is an old Word/Office file (.doc): save it as DOCX or text")
    if data.startswith(b"{\\rtf"):
        raise InputError(f"{label}: RTF is not supported yet: save it as text or DOCX")
    if archive := _has_magic(data, _ARCHIVES):
        raise InputError(f"{label} is a {archive} archive: extract it and give the text or DOCX file inside")
    image = _has_magic(data, _IMAGES) or (
        "WEBP" if data[:4] == b"RIFF" and data[8:12] == b"WEBP" else None
    ) or ("BMP" if data[:2] == b"BM" and int.from_bytes(data[2:6], "little") == len(data) else None)
    if image:
        raise InputError(f"{label} is a {image} image: align reads text; save it as text or DOCX")


def _docx_text(data: bytes, label: str) -> str:
    """All the visible text of a DOCX, one paragraph per blank-line-separated block.

    The document's XML is walked in document order (see `_docx_blocks`), so that nothing a reader
    of the document sees is lost: paragraphs and table cells, also inside content controls and
    custom XML, the runs of fields, smart tags, hyperlinks and tracked insertions (tracked
    deletions and field codes are left out), and the paragraphs of a text box right after the
    paragraph it is anchored in. Footnotes, then endnotes, follow the body in the order they are
    referred to, one paragraph each. Headers, footers and comments are not the document's text
    and are left out. Transitional and Strict Open XML are both read.
    """
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = set(archive.namelist())
    except (zipfile.BadZipFile, ValueError):
        raise InputError(f"{label} is a damaged ZIP file") from None
    main = _docx_main_part(archive, members)
    if main is None:
        kind = next((name for marker, name in _OTHER_ZIPPED_DOCUMENTS if marker in members), "a ZIP archive")
        raise InputError(f"{label} is {kind}, not DOCX: save the text as DOCX or plain text")
    root = _docx_xml(archive, main, label)
    body = next((child for child in root if _w_name(child) == "body"), None)
    if _w_name(root) != "document" or body is None:
        raise InputError(f"{label} is a damaged DOCX file (its main part is not a Word document)")
    paragraphs: list[str] = []
    references: list[tuple[str, str]] = []
    _docx_blocks(body, paragraphs, references)
    for kind, part in _docx_note_parts(archive, members, main):
        notes = {}
        for note in _docx_xml(archive, part, label):
            if _w_name(note) == kind and note.get(_w_attribute(note, "type"), "normal") == "normal":
                notes[note.get(_w_attribute(note, "id"))] = note
        for note_id in dict.fromkeys(i for k, i in references if k == kind):
            if note_id in notes:
                _docx_blocks(notes.pop(note_id), paragraphs, [])
    return "\n\n".join(p.strip() for p in paragraphs if p.strip())


_W_NAMESPACES = frozenset({
    "http://schemas.openxmlformats.org/wordprocessingml/2006/main",  # Transitional (what Word writes)
    "http://purl.oclc.org/ooxml/wordprocessingml/main",  # Strict Open XML
})
_MATH_NAMESPACES = frozenset({
    "http://schemas.openxmlformats.org/officeDocument/2006/math",
    "http://purl.oclc.org/ooxml/officeDocument/math",
})
_MARKUP_COMPATIBILITY = "http://schemas.openxmlformats.org/markup-compatibility/2006"
_RELATIONSHIPS = "http://schemas.openxmlformats.org/package/2006/relationships"
# WordprocessingML elements whose content is not visible text: properties (anything ending in
# "Pr" or "PrChange" too), tracked deletions and moves away, field codes, ruby pronunciation
# guides, the separators between note texts.
_DOCX_HIDDEN = frozenset({"del", "moveFrom", "delText", "instrText", "delInstrText", "rt", "sdtPr", "sdtEndPr"})
_MAX_PART_BYTES = 8 * MAX_BYTES


def _w_name(element) -> str | None:
    """The local name of a WordprocessingML (or Office Math) element; "" for one of another
    vocabulary (DrawingML, VML: looked into for text boxes); None for comments."""
    if not isinstance(element.tag, str):
        return None
    namespace, _, local = element.tag[1:].partition("}")
    if namespace in _W_NAMESPACES:
        return local
    if namespace in _MATH_NAMESPACES:
        return "m:" + local
    if namespace == _MARKUP_COMPATIBILITY:
        return "mc:" + local
    return ""


def _w_attribute(element, name: str) -> str:
    return element.tag.partition("}")[0] + "}" + name


def _docx_xml(archive: zipfile.ZipFile, name: str, label: str):
    from lxml import etree

    try:
        if archive.getinfo(name).file_size > _MAX_PART_BYTES:
            raise InputError(f"{label}: its text unpacks to more than {_MAX_PART_BYTES // 2**20} MB, too much for one input")
        return etree.fromstring(archive.read(name), _safe_parser())
    except (zipfile.BadZipFile, KeyError, EOFError, OSError, ValueError, RuntimeError, etree.XMLSyntaxError) as error:
        raise InputError(f"{label} is a damaged DOCX file ({type(error).__name__} in {name})") from None


def _docx_relationships(archive: zipfile.ZipFile, members: set[str], part: str) -> list[tuple[str, str]]:
    """(type, member name) of the relationships of ``part`` ("" for the package)."""
    from lxml import etree

    folder, _, name = part.rpartition("/")
    rels = f"{folder}/_rels/{name}.rels" if folder else f"_rels/{name}.rels"
    if rels not in members:
        return []
    try:
        root = etree.fromstring(archive.read(rels), _safe_parser())
    except (zipfile.BadZipFile, EOFError, OSError, ValueError, RuntimeError, etree.XMLSyntaxError):
        return []
    found = []
    for relationship in root.iter(f"{{{_RELATIONSHIPS}}}Relationship"):
        target = relationship.get("Target", "")
        if relationship.get("TargetMode") == "External" or not target:
            continue
        path = target.lstrip("/") if target.startswith("/") else "/".join(filter(None, (folder, target)))
        found.append((relationship.get("Type", "").rpartition("/")[2], os.path.normpath(path).replace(os.sep, "/")))
    return found


def _safe_parser():
    """An XML parser that neither expands entities nor fetches anything (a new one per part:
    lxml parsers are not to be shared between threads, and the app reads uploads in several)."""
    from lxml import etree

    return etree.XMLParser(resolve_entities=False, no_network=True, remove_comments=True)


def _docx_main_part(archive: zipfile.ZipFile, members: set[str]) -> str | None:
    """The member holding the document (word/document.xml in every Word file we have seen)."""
    for kind, path in _docx_relationships(archive, members, ""):
        if kind == "officeDocument" and path in members and path.startswith("word/"):
            return path
    return "word/document.xml" if "word/document.xml" in members else None


def _docx_note_parts(archive: zipfile.ZipFile, members: set[str], main: str):
    """(\"footnote\", member) and (\"endnote\", member), for those the document has."""
    relationships = _docx_relationships(archive, members, main)
    for kind in ("footnote", "endnote"):
        path = next((p for k, p in relationships if k == kind + "s"), f"word/{kind}s.xml")
        if path in members:
            yield kind, path


def _docx_blocks(element, paragraphs: list[str], references: list[tuple[str, str]]) -> None:
    """Append the text of each paragraph inside ``element`` to ``paragraphs``, in document order
    (table cells row by row), and each footnote and endnote reference to ``references``."""
    for child in element:
        name = _w_name(child)
        if name == "p":
            _docx_paragraph(child, paragraphs, references)
        elif name == "mc:AlternateContent":
            _docx_blocks(_alternative(child), paragraphs, references)
        elif name is not None and not _hidden(name):
            _docx_blocks(child, paragraphs, references)


def _hidden(name: str) -> bool:
    return name in _DOCX_HIDDEN or name.endswith(("Pr", "PrChange")) or name.startswith("mc:")


def _alternative(element):
    """The content of a markup-compatibility choice: the first Choice (what Word shows), not also
    its Fallback, which repeats the same text for older readers."""
    choices = [c for c in element if _w_name(c) in ("mc:Choice", "mc:Fallback")]
    return choices[0] if choices else element


def _docx_paragraph(paragraph, paragraphs: list[str], references: list[tuple[str, str]]) -> None:
    pieces: list[str] = []
    boxes: list[str] = []  # the paragraphs of text boxes anchored here come after this one

    def walk(element) -> None:
        for child in element:
            name = _w_name(child)
            if name in ("t", "m:t"):
                pieces.append(child.text or "")
            elif name in ("tab", "ptab"):
                pieces.append("\t")
            elif name in ("br", "cr"):
                pieces.append("\n")
            elif name == "noBreakHyphen":
                pieces.append("-")
            elif name == "txbxContent":
                _docx_blocks(child, boxes, references)
            elif name in ("footnoteReference", "endnoteReference"):
                references.append((name[:-len("Reference")], child.get(_w_attribute(child, "id"))))
            elif name == "mc:AlternateContent":
                walk(_alternative(child))
            elif name is not None and not _hidden(name):
                walk(child)

    walk(paragraph)
    paragraphs.append("".join(pieces))
    paragraphs.extend(boxes)


# --- decoding ------------------------------------------------------------------------------


def decode(data: bytes, label: str = "the input", *, declared_encoding: str | None = None) -> str:
    """Bytes to text: BOM, BOM-less UTF-16, strict UTF-8, the declared charset, a legacy code page."""
    return _decode_as(data, label, declared_encoding=declared_encoding)[0]


def _decode_as(data: bytes, label: str, *, declared_encoding: str | None = None) -> tuple[str, str]:
    """``_decode``, and the encoding it read the bytes in (after the BOM, if any)."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return _strict(data[len(bom):], encoding, label), encoding
    if utf16 := _bomless_utf16(data):
        return utf16
    _refuse_binary(data, label)
    try:
        return data.decode("utf-8"), "utf-8"  # before the declared charset: pages often mislabel UTF-8
    except UnicodeDecodeError:
        pass
    if (mended := _mostly_utf8(data, label)) is not None:
        return mended, "utf-8"
    if declared_encoding:
        try:
            return data.decode(declared_encoding), declared_encoding
        except (UnicodeDecodeError, LookupError):
            pass
    return _decode_legacy(data, label)


class InputWarning(UserWarning):
    """Something about an input the user should know, that does not stop reading it."""


MAX_STRAY_SHARE = 0.25
"""Most bytes outside UTF-8, per valid UTF-8 multi-byte character, for a file still to be read as UTF-8."""


_STRAY = re.compile("[\udc80-\udcff]")


def _mostly_utf8(data: bytes, label: str) -> str | None:
    """UTF-8 text with a few stray bytes (a line pasted from a legacy editor): read as UTF-8 with
    each stray byte replaced by U+FFFD, and a warning that names where the first one is.

    Taking the whole file for a legacy code page instead would garble every letter that is right.
    A legacy file has few byte sequences that happen to be valid UTF-8 and many that are not, so
    it is left to ``_decode_legacy``.
    """
    text = data.decode("utf-8", errors="surrogateescape")  # each stray byte becomes U+DC80..U+DCFF
    stray = len(_STRAY.findall(text))
    valid = len(text) - len(text.encode("ascii", errors="ignore")) - stray
    if not stray or valid < 1 or stray > MAX_STRAY_SHARE * valid:
        return None
    first = _STRAY.search(text).start()
    line = text.count("\n", 0, first) + 1
    offset = len(text[:first].encode("utf-8", errors="surrogateescape"))
    count = f"{stray} bytes that are" if stray > 1 else "1 byte that is"
    warnings.warn(
        f"in {label}, {count} not UTF-8 replaced with '\ufffd' (the first, 0x{data[offset]:02X}, on line {line}, "
        f"at byte offset {offset}); the rest is read as UTF-8: check that spot",
        InputWarning, stacklevel=2,
    )
    return _STRAY.sub("\ufffd", text)


def _strict(data: bytes, encoding: str, label: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError:
        raise InputError(f"{label} starts with a {encoding.upper()} byte-order mark but is not valid {encoding.upper()}") from None


def _bomless_utf16(data: bytes) -> tuple[str, str] | None:
    """UTF-16 without a BOM, for data that has NUL or control bytes and so cannot be 8-bit text.

    The byte order is the one that puts the NULs in the high bytes (spaces, digits, Latin),
    unless the other reading is the only one free of mixed-script words (CJK text).
    """
    sample = data[:4096]
    if len(data) % 2 or _control_bytes(sample) == 0 or _plain_utf8(data):
        return None
    even_nuls, odd_nuls = sample[0::2].count(0), sample[1::2].count(0)
    orders = ("utf-16-be", "utf-16-le") if even_nuls > odd_nuls else ("utf-16-le", "utf-16-be")
    readings = []
    for encoding in orders:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if _unlikely_share(text) <= MAX_CONTROL_SHARE:
            readings.append((text, encoding))
    return min(readings, key=lambda reading: _oddities(reading[0][:65536]), default=None)


def _plain_utf8(data: bytes) -> bool:
    """Valid UTF-8 without a NUL: a stray control character (a Word line break) in UTF-8 text,
    not UTF-16, whose Latin letters come with NULs and whose bytes are rarely valid UTF-8."""
    if b"\x00" in data:
        return False
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _control_bytes(sample: bytes) -> int:
    return sum(1 for byte in sample if byte < 32 and byte not in b"\t\n\r\f\v\x1b")


def _unlikely_share(text: str) -> float:
    """Share of control, unassigned and private-use characters (text has next to none)."""
    sample = text[:65536]
    unlikely = sum(1 for c in sample if unicodedata.category(c) in ("Cc", "Cn", "Co", "Cs") and c not in "\t\n\r\f\v")
    return unlikely / max(1, len(sample))


def _refuse_binary(data: bytes, label: str) -> None:
    sample = data[:65536]
    if b"\x00" in sample or _control_bytes(sample) > MAX_CONTROL_SHARE * len(sample):
        raise InputError(f"{label} looks like a binary file, not text: save it as text or DOCX")


def _decode_legacy(data: bytes, label: str) -> tuple[str, str]:
    """The most plausible legacy code page: charset-normalizer ranks, our check vetoes.

    charset-normalizer alone mistakes ISO-8859-2 Polish for Windows-1250, and French
    Windows-1252 for Windows-1250, on short texts, where the code pages differ in a few
    letters. A wrong reading shows symbols glued to letters (`¶cianie` for `ścianie`),
    control codes, or letters no single alphabet uses together (`crčme` and `brűlée`).
    Among the decodings charset-normalizer accepts, plus every listed code page that
    decodes cleanly, we take the one with the fewest such signs, and on a tie
    charset-normalizer's order.
    """
    sample = _non_ascii_lines(data)
    ranked = [match.encoding for match in from_bytes(sample, cp_isolation=list(LEGACY_ENCODINGS))]
    candidates = ranked + [e for e in LEGACY_ENCODINGS if e not in ranked]
    scored = []
    for rank, encoding in enumerate(candidates):
        try:
            text = sample.decode(encoding)
            scored.append((_oddities(text) + _foreign_letters(text), rank, encoding))
        except UnicodeDecodeError:
            continue
    non_ascii = sum(byte > 127 for byte in sample)
    for score, _, encoding in sorted(scored):
        if score > max(3, non_ascii / 10):
            break  # even the best reading is mostly nonsense
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    raise InputError(f"{label}: could not recognise the text encoding: save it as UTF-8")


def _non_ascii_lines(data: bytes, size: int = 16384) -> bytes:
    """The first lines that hold non-ASCII bytes: where code pages differ, and whole characters."""
    lines, total = [], 0
    for match in re.finditer(rb"[^\n]*[\x80-\xff][^\n]*", data):
        lines.append(match.group())
        total += len(lines[-1])
        if total >= size:
            break
    return b"\n".join(lines)


# Latin-1 symbols that mis-decoded Central European letters turn into (± for ą, ¶ for ś…).
_GLUED_SYMBOLS = frozenset("¢£¤¥¦¨¬¯±´¶¸¼½¾")
# Latin-1 punctuation and digits that may touch a letter but are odd inside a word (mo¿e, pachnia³a).
_INWORD_ODD = frozenset("¡§ª²³¹º¿")
# Invisible format characters that do belong inside words: soft hyphen, (non-)joiners.
_INWORD_FORMAT = frozenset("\u00ad\u200c\u200d")
_EAST_ASIAN = frozenset({"CJK", "HIRAGANA", "KATAKANA", "KATAKANA-HIRAGANA", "FULLWIDTH", "IDEOGRAPHIC"})


# Accented letters of the Latin-script languages whose texts come in these code pages.
_ALPHABETS = tuple(frozenset(letters) for letters in (
    "ąćęłńóśźż",  # Polish
    "áčďéěíňóřšťúůýž",  # Czech
    "áäčďéíĺľňóôŕšťúýž",  # Slovak
    "čćđšž",  # Croatian, Slovene, Bosnian
    "áéíóöőúüű",  # Hungarian
    "ăâîșțşţ",  # Romanian
    "äöüß",  # German
    "àâæçéèêëîïôœùûüÿ",  # French
    "áéíñóúü",  # Spanish
    "áàâãçéêíóôõú",  # Portuguese
    "àèéìíîòóùú",  # Italian
    "àçèéíïòóúü",  # Catalan
    "áäèéëïóöü",  # Dutch
    "åäæéöø",  # Danish, Norwegian, Swedish
    "åäöšž",  # Finnish
    "äõöüšž",  # Estonian
    "āčēģīķļņšūž",  # Latvian
    "ąčęėįšųūž",  # Lithuanian
    "âçğıîöşû",  # Turkish
))


def _foreign_letters(text: str) -> int:
    """Accented Latin letters that the best-fitting alphabet above lacks (0 for other scripts)."""
    letters = {c.lower() for c in set(text) if c.isalpha() and c > "\x7f" and _script(c) == "LATIN"}
    return min(len(letters - alphabet) for alphabet in _ALPHABETS) if letters else 0


@functools.lru_cache(maxsize=4096)
def _script(char: str) -> str:
    word = unicodedata.name(char, "?").split(" ")[0]
    return "CJK" if word in _EAST_ASIAN else word


def _oddities(text: str) -> int:
    """Characters unlikely in real text: control codes, symbols glued to letters, mixed-script words."""
    count = 0
    for match in re.finditer(r"[^\x00-\x7f]", text):
        i, char = match.start(), match.group()
        before = text[i - 1] if i else " "
        after = text[i + 1] if i + 1 < len(text) else " "
        category = unicodedata.category(char)
        in_word = before.isalpha() and after.isalpha()
        if "\x80" <= char <= "\x9f" or char == "\ufffd" or category in ("Co", "Cn"):
            count += 1
        elif char in _GLUED_SYMBOLS and (before.isalpha() or after.isalpha()):
            count += 1
        elif in_word and (char in _INWORD_ODD or (category == "Cf" and char not in _INWORD_FORMAT)):
            count += 1
        elif (char.isalpha() or category == "Mn") and _mixes_scripts(char, before, after):
            count += 1
    return count


def _mixes_scripts(char: str, before: str, after: str) -> bool:
    script = _script(char)
    return script != "COMBINING" and any(n.isalpha() and _script(n) != script for n in (before, after))


# --- HTML ----------------------------------------------------------------------------------

_HTML_START = re.compile(r"\A\s*(<\?xml[^>]*>\s*)?(<!--.*?-->\s*)*<(!doctype\s+html|html|head|body)[\s>]",
                         re.IGNORECASE | re.DOTALL)
# Block elements of trafilatura's XML output; anything else is inline text inside a block.
_XML_BLOCKS = frozenset({"main", "doc", "div", "list", "table", "row", "quote", "p", "head", "item", "cell", "code"})


def _looks_like_html(text: str) -> bool:
    return bool(_HTML_START.match(text[:4096]))


def _html_text(html: str) -> str:
    """The main text of a page, one paragraph per blank-line-separated block.

    A fragment (no <html>, <head> or <body> at the start: a CMS export, a saved selection) is
    all text, and so is a page without menus, banners or footers: of those all visible text is
    read, because trafilatura, made to find an article among boilerplate, drops headings and
    lists from short documents. Otherwise trafilatura's main text, unless it finds none.
    """
    import trafilatura
    from lxml import etree

    plain = _plain_html_text(html)
    if not _looks_like_html(html) or (plain and not _HTML_BOILERPLATE.search(html)):
        return plain
    extracted = trafilatura.extract(html, output_format="xml", include_tables=True, include_comments=False)
    if extracted:
        main = etree.fromstring(extracted.encode("utf-8")).find("main")
        if main is not None:
            paragraphs = [p.strip() for p in _xml_paragraphs(main)]
            if any(paragraphs):
                return "\n\n".join(p for p in paragraphs if p)
    return plain


# What marks the boilerplate around a page's main text: elements for it, or class, id or role names.
_HTML_BOILERPLATE = re.compile(
    r"<(nav|header|footer|aside|menu|form)[\s>/]"
    r"|\s(class|id|role)\s*=\s*[\"']?[^\"'>]*(nav|menu|cookie|consent|footer|sidebar|banner|breadcrumb|share|social|"
    r"related|advert|widget|comment)",
    re.IGNORECASE,
)


def _xml_paragraphs(element):
    if not any(child.tag in _XML_BLOCKS for child in element):
        yield _inline_text(element)
        return
    if element.text and element.text.strip():
        yield element.text
    for child in element:
        yield from _xml_paragraphs(child)
        if child.tail and child.tail.strip():
            yield child.tail


def _inline_text(element) -> str:
    for line_break in element.iter("lb"):
        line_break.tail = "\n" + (line_break.tail or "")
    return "".join(element.itertext())


_HTML_BLOCK_TAGS = ("p", "div", "li", "h1", "h2", "h3", "h4", "h5", "h6", "td", "th", "tr",
                    "blockquote", "pre", "section", "article", "header", "footer", "dd", "dt",
                    "ul", "ol", "dl", "table", "caption", "figure", "figcaption", "main", "nav", "aside",
                    "address", "details", "summary", "hr")


def _plain_html_text(html: str) -> str:
    """All visible text: blocks become paragraphs."""
    import lxml.html
    from lxml import etree

    try:
        root = lxml.html.fromstring(re.sub(r"\A\s*<\?xml[^>]*>", "", html))
    except (etree.ParserError, ValueError):
        return ""
    etree.strip_elements(root, "head", "script", "style", "noscript", "template", with_tail=False)
    for element in root.iter(*_HTML_BLOCK_TAGS):
        element.tail = "\n\n" + (element.tail or "")
    for element in root.iter("br"):
        element.tail = "\n" + (element.tail or "")
    lines = (" ".join(line.split()) for line in root.text_content().split("\n"))
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


# --- Markdown ------------------------------------------------------------------------------


def _markdown_text(text: str) -> str:
    """The text a reader of rendered Markdown sees, one paragraph per blank-line-separated block:
    markdown-it-py (CommonMark, with tables and strikethrough) renders it, and the HTML is read
    as any page is (headings, list items and table cells become paragraphs; a link keeps its
    text, an image nothing; a code block its text as written). Front matter is metadata."""
    from markdown_it import MarkdownIt

    lines = text.split("\n")
    if lines and lines[0].strip() == "---":
        end = next((i for i, line in enumerate(lines[1:], 1) if line.strip() in ("---", "...")), None)
        if end is not None:
            text = "\n".join(lines[end + 1 :])
    rendered = MarkdownIt("commonmark").enable(["table", "strikethrough"]).render(text)
    return _plain_html_text(rendered) if rendered.strip() else ""


# --- writing back (``align fix``) ----------------------------------------------------------


def read_plain_text(path: str | os.PathLike) -> tuple[str, str, bytes]:
    """A plain-text file as decoded, before `normalize_text`: (text, encoding, byte-order mark).

    For writing a corrected text back as the user had it: `bom + text.encode(encoding)` gives the
    file's bytes again. DOCX and HTML are refused: their text is extracted, not decoded, so it
    cannot be put back in place.
    """
    path = Path(path)
    data, label = _read_file(path), str(path)
    if not data.strip():
        raise InputError(f"{label} is empty")
    _refuse_unsupported(data, label)
    export_first = "a corrected text can only be written back as plain text, so export it as .txt first"
    if data.startswith((b"PK\x03\x04", b"PK\x05\x06")) or _extension(label) == ".docx":
        raise InputError(f"{label} is a Word document: {export_first}")
    text, encoding = _decode_as(data, label)
    if _extension(label) in HTML_EXTENSIONS or _looks_like_html(text):
        raise InputError(f"{label} is a web page: {export_first}")
    bom = next((bom for bom, _ in _BOMS if data.startswith(bom)), b"")
    try:
        exact = text.encode(encoding) == data[len(bom):]
    except UnicodeEncodeError:
        exact = False
    if not exact:
        raise InputError(f"{label}: its encoding cannot be written back exactly: save it as UTF-8 first")
    return text, encoding, bom
