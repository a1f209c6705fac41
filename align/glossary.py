"""Loading a glossary: the client's required renderings of source terms.

Two formats:

- CSV or TSV with a header row naming the columns ``source``, ``target`` and optionally ``note``
  and ``forbidden`` (renderings not to use, separated by ``|`` or ``;``). The delimiter (comma,
  tab or semicolon) is read from the header line; UTF-8 with or without a BOM.
- TBX (TBX-Basic / TBX v2 ``termEntry``/``langSet``/``tig``, and TBX v3 ``conceptEntry``/
  ``langSec``/``termSec``; namespaces are ignored). The two languages are the ones asked for, or
  the first two the file uses. A target term marked deprecated, superseded or not recommended
  (``administrativeStatus`` / ``normativeAuthorization``) becomes a forbidden rendering.

Every problem raises ``InputError`` naming the file and the line ("glossary.csv, line 4: missing
target term."). Duplicate source terms with different targets are an error naming both lines.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from align.errors import InputError

__all__ = ["GlossaryEntry", "load_glossary", "parse_csv", "parse_tbx"]

_COLUMNS = ("source", "target", "note", "forbidden")
_REQUIRED = ("source", "target")
_DELIMITERS = ",\t;"
_ALTERNATIVES = re.compile(r"\s*[|;]\s*")
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
# Status values (TBX-Basic, TBX v3, ISO 12620) that mark a term as one not to use.
_NOT_TO_USE = ("deprecated", "superseded", "notrecommended", "obsolete")
_STATUS_TYPES = ("administrativestatus", "normativeauthorization")


@dataclass(frozen=True)
class GlossaryEntry:
    """A source term and the rendering the translation must use for it."""

    source: str
    target: str
    note: str = ""
    forbidden: tuple[str, ...] = ()
    line: int = 0  # where the entry starts in its file (1-based)


def load_glossary(
    path: str | Path, source_lang: str | None = None, target_lang: str | None = None
) -> tuple[GlossaryEntry, ...]:
    """Read a CSV/TSV or TBX glossary. The languages only matter for TBX."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"{path.name}: cannot read the glossary ({exc.strerror}).") from None
    if _looks_like_xml(data, path):
        return parse_tbx(data, path.name, source_lang, target_lang)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InputError(f"{path.name}, line {line}: not UTF-8 text.") from None
    return parse_csv(text, path.name)


def parse_csv(text: str, name: str = "glossary") -> tuple[GlossaryEntry, ...]:
    """Entries of a CSV/TSV glossary given as text; ``name`` is used in error messages."""
    text = text.lstrip("\ufeff")
    header_line = text.split("\n", 1)[0]
    delimiter = max(_DELIMITERS, key=header_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    columns = _header(next(reader, []), name)
    entries = []
    for row in reader:
        line = reader.line_num
        if not any(cell.strip() for cell in row):
            continue
        if len(row) > len(columns):
            raise InputError(
                f"{name}, line {line}: {len(row)} cells, but the header names {len(columns)} "
                f"columns (is a cell with a '{_show(delimiter)}' missing its quotes?)."
            )
        cells = dict(zip(columns, (c.strip() for c in row)))
        entries.append(_entry(cells, name, line))
    return _checked(entries, name)


def parse_tbx(
    data: bytes,
    name: str = "glossary.tbx",
    source_lang: str | None = None,
    target_lang: str | None = None,
) -> tuple[GlossaryEntry, ...]:
    """Entries of a TBX file given as bytes; languages default to the first two the file uses."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        line = exc.lineno or (exc.position[0] if exc.position else 0)
        raise InputError(f"{name}, line {line}: not well-formed XML ({exc.msg}).") from None
    concepts = [e for e in root.iter() if _local(e) in ("termEntry", "conceptEntry")]
    if not concepts:
        raise InputError(f"{name}: no termEntry or conceptEntry elements; is it a TBX file?")
    source_lang, target_lang = _languages(concepts, name, source_lang, target_lang)
    entries = []
    for concept in concepts:
        entries.extend(_tbx_entries(concept, name, source_lang, target_lang))
    return _checked(entries, name)


# --- CSV -------------------------------------------------------------------------------------


def _header(row: list[str], name: str) -> list[str]:
    columns = [c.strip().lower() for c in row]
    if not any(columns):
        raise InputError(f"{name}: the glossary is empty.")
    for column in columns:
        if column not in _COLUMNS:
            known = ", ".join(_COLUMNS)
            raise InputError(f"{name}, line 1: unknown column '{column}' (known: {known}).")
    for column in _REQUIRED:
        if column not in columns:
            raise InputError(f"{name}, line 1: the header has no '{column}' column.")
    if len(set(columns)) < len(columns):
        raise InputError(f"{name}, line 1: a column is named twice.")
    return columns


def _entry(cells: dict[str, str], name: str, line: int) -> GlossaryEntry:
    source, target = cells.get("source", ""), cells.get("target", "")
    if not source:
        raise InputError(f"{name}, line {line}: missing source term.")
    if not target:
        raise InputError(f"{name}, line {line}: missing target term.")
    forbidden = tuple(f for f in _ALTERNATIVES.split(cells.get("forbidden", "")) if f)
    return GlossaryEntry(source, target, cells.get("note", ""), forbidden, line)


def _show(delimiter: str) -> str:
    return "\\t" if delimiter == "\t" else delimiter


# --- TBX -------------------------------------------------------------------------------------


def _looks_like_xml(data: bytes, path: Path) -> bool:
    if path.suffix.lower() in (".tbx", ".xml"):
        return True
    head = data[:200].lstrip(b"\xef\xbb\xbf \t\r\n")
    return head.startswith(b"<")


def _local(element: etree._Element) -> str:
    tag = element.tag
    return etree.QName(tag).localname if isinstance(tag, str) else ""


def _lang_of(element: etree._Element) -> str:
    return (element.get(_XML_LANG) or element.get("lang") or "").strip()


def _same_lang(code: str, wanted: str) -> bool:
    """"en-GB" is an "en" term; "en" asked for matches any English variant, and the reverse."""
    a, b = code.lower().replace("_", "-"), wanted.lower().replace("_", "-")
    return a == b or a.split("-")[0] == b.split("-")[0]


def _lang_sections(concept: etree._Element) -> list[etree._Element]:
    return [e for e in concept.iter() if _local(e) in ("langSet", "langSec")]


def _languages(
    concepts: list[etree._Element], name: str, source: str | None, target: str | None
) -> tuple[str, str]:
    if source and target:
        return source, target
    seen: list[str] = []
    for concept in concepts:
        for section in _lang_sections(concept):
            code = _lang_of(section)
            if code and not any(_same_lang(code, s) for s in seen):
                seen.append(code)
    if source:
        seen = [source] + [c for c in seen if not _same_lang(c, source)]
    if len(seen) < 2:
        raise InputError(f"{name}: the glossary names fewer than two languages.")
    return seen[0], target or seen[1]


@dataclass(frozen=True)
class _Term:
    text: str
    usable: bool
    line: int


def _terms(concept: etree._Element, lang: str) -> list[_Term]:
    found = []
    for section in _lang_sections(concept):
        if not _same_lang(_lang_of(section), lang):
            continue
        for term in (e for e in section.iter() if _local(e) == "term"):
            text = " ".join("".join(term.itertext()).split())
            if text:
                found.append(_Term(text, _usable(term), term.sourceline or 0))
    return found


def _usable(term: etree._Element) -> bool:
    """False when a status note next to the term marks it deprecated or superseded."""
    group = term.getparent()
    if group is None:
        return True
    for note in group.iter():
        kind = (note.get("type") or "").replace("-", "").lower()
        if _local(note) in ("termNote", "descrip") and kind in _STATUS_TYPES:
            value = "".join(note.itertext()).replace("-", "").replace(" ", "").lower()
            if any(value.startswith(bad) for bad in _NOT_TO_USE):
                return False
    return True


def _note(concept: etree._Element) -> str:
    for element in concept.iter():
        if _local(element) == "note" or (
            _local(element) == "descrip" and (element.get("type") or "").lower() == "definition"
        ):
            text = " ".join("".join(element.itertext()).split())
            if text:
                return text
    return ""


def _tbx_entries(
    concept: etree._Element, name: str, source_lang: str, target_lang: str
) -> list[GlossaryEntry]:
    line = concept.sourceline or 0
    sources = [t for t in _terms(concept, source_lang) if t.usable]
    targets = _terms(concept, target_lang)
    preferred = [t for t in targets if t.usable]
    if not sources:
        raise InputError(f"{name}, line {line}: entry has no '{source_lang}' term.")
    if not targets:
        raise InputError(f"{name}, line {line}: entry has no '{target_lang}' term.")
    if not preferred:
        raise InputError(f"{name}, line {line}: every '{target_lang}' term is deprecated.")
    forbidden = tuple(t.text for t in targets if not t.usable)
    note = _note(concept)
    return [
        GlossaryEntry(s.text, preferred[0].text, note, forbidden, s.line or line) for s in sources
    ]


# --- both ------------------------------------------------------------------------------------


def _checked(entries: list[GlossaryEntry], name: str) -> tuple[GlossaryEntry, ...]:
    """Refuse an empty glossary and a source term given two different targets."""
    if not entries:
        raise InputError(f"{name}: the glossary has no entries.")
    first: dict[str, GlossaryEntry] = {}
    kept = []
    for entry in entries:
        key = " ".join(entry.source.casefold().split())
        earlier = first.get(key)
        if earlier is None:
            first[key] = entry
            kept.append(entry)
        elif " ".join(earlier.target.split()) != " ".join(entry.target.split()):
            raise InputError(
                f"{name}, lines {earlier.line} and {entry.line}: '{entry.source}' is given two "
                f"targets ('{earlier.target}' and '{entry.target}')."
            )
    return tuple(kept)
