"""Loading a glossary: the client's required renderings of source terms.

Two formats:

- CSV or TSV with a header row naming the columns ``source``, ``target`` and optionally ``note``
  and ``forbidden`` (renderings not to use, separated by ``|`` or ``;``). The delimiter (comma,
  tab or semicolon) is read from the header line, or from Excel's ``sep=;`` line before it;
  UTF-8 with or without a BOM. Blank lines before the header and columns with an empty name
  (Excel's trailing delimiter) are ignored, as long as no cell of such a column holds text.
- TBX (TBX-Basic / TBX v2 ``termEntry``/``langSet``/``tig``, and TBX v3 ``conceptEntry``/
  ``langSec``/``termSec``; namespaces are ignored). The two languages are the ones asked for, or
  the first two the file uses. A target term marked deprecated, superseded or not recommended
  (``administrativeStatus`` / ``normativeAuthorization``) becomes a forbidden rendering; the other
  target terms are accepted renderings (``alternatives``), the one marked preferred (else the first)
  being the ``target`` to suggest. An entry without a term in one of the two languages is common
  in multilingual termbases: it is skipped with a ``GlossaryWarning``.

Every problem raises ``InputError`` naming the file and the line ("glossary.csv, line 4: missing
target term."). Duplicate source terms with different targets are an error naming both lines, and
so is a forbidden rendering that is also the required one.
"""

from __future__ import annotations

import csv
import io
import re
import warnings
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from align.errors import InputError

__all__ = ["GlossaryEntry", "GlossaryWarning", "load_glossary", "parse_csv", "parse_tbx", "read_glossary"]

_COLUMNS = ("source", "target", "note", "forbidden")
_REQUIRED = ("source", "target")
_DELIMITERS = ",\t;"
_EXCEL_SEP = re.compile(r"sep=(.)\s*")  # Excel's first-line hint naming the delimiter
_ALTERNATIVES = re.compile(r"\s*[|;]\s*")
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
# Status values (TBX-Basic, TBX v3, ISO 12620) that mark a term as one not to use.
_NOT_TO_USE = ("deprecated", "superseded", "notrecommended", "obsolete")
_PREFERRED = "preferred"
_STATUS_TYPES = ("administrativestatus", "normativeauthorization")


class GlossaryWarning(UserWarning):
    """A glossary entry left out, while the rest of the glossary is used."""


@dataclass(frozen=True)
class GlossaryEntry:
    """A source term and the rendering the translation must use for it: ``target``, or one of
    the ``alternatives`` (admitted synonyms); ``target`` is the one suggested."""

    source: str
    target: str
    note: str = ""
    forbidden: tuple[str, ...] = ()
    line: int = 0  # where the entry starts in its file (1-based)
    alternatives: tuple[str, ...] = ()  # last, so positional construction keeps working

    @property
    def renderings(self) -> tuple[str, ...]:
        """Every accepted rendering, the one to suggest first."""
        return (self.target, *self.alternatives)


def load_glossary(
    path: str | Path, source_lang: str | None = None, target_lang: str | None = None
) -> tuple[GlossaryEntry, ...]:
    """Read a CSV/TSV or TBX glossary. The languages only matter for TBX."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"{path.name}: cannot read the glossary ({exc.strerror}).") from None
    return read_glossary(data, path.name, source_lang, target_lang)


def read_glossary(
    data: bytes, name: str = "glossary", source_lang: str | None = None, target_lang: str | None = None
) -> tuple[GlossaryEntry, ...]:
    """A CSV/TSV or TBX glossary given as bytes (an upload); ``name`` is the file's, for messages
    and for telling TBX by its extension."""
    if _looks_like_xml(data, Path(name)):
        return parse_tbx(data, name, source_lang, target_lang)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InputError(f"{name}, line {line}: not UTF-8 text (save the glossary as UTF-8).") from None
    return parse_csv(text, name)


def parse_csv(text: str, name: str = "glossary") -> tuple[GlossaryEntry, ...]:
    """Entries of a CSV/TSV glossary given as text; ``name`` is used in error messages."""
    text = text.lstrip("\ufeff")
    skipped, delimiter = _layout(text)
    _check_quotes(text, delimiter, name)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    for _ in range(skipped):
        next(reader, None)
    columns = _header(next(reader, []), name, reader.line_num)
    entries = []
    end = reader.line_num
    for row in reader:
        line, end = end + 1, reader.line_num  # a quoted cell may run over lines: name the first
        if not any(cell.strip() for cell in row):
            continue
        if len(row) > len(columns):
            raise InputError(
                f"{name}, line {line}: {len(row)} cells, but the header names {len(columns)} "
                f"columns (is a cell with a '{_show(delimiter)}' missing its quotes?)."
            )
        cells = dict(zip(columns, (c.strip() for c in row)))
        if cells.pop("", ""):
            raise InputError(f"{name}, line {line}: a cell holds text under a column with no name.")
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


def _layout(text: str) -> tuple[int, str]:
    """How many lines come before the header (blank ones, Excel's "sep=;" hint) and the
    delimiter: the hint's, else the most frequent of ours in the header line."""
    lines = text.split("\n") + [""]  # as the csv reader counts them (it ends none at \x0c, \u2028)
    skipped = 0
    while skipped < len(lines) - 1 and not lines[skipped].strip():
        skipped += 1
    hint = _EXCEL_SEP.fullmatch(lines[skipped])
    if hint:
        return skipped + 1, hint.group(1)
    return skipped, max(_DELIMITERS, key=lines[skipped].count)


def _check_quotes(text: str, delimiter: str, name: str) -> None:
    """The lenient reader takes an unclosed quote's cell to the end of the file, which then shows
    as a confusing "missing target term"; name the quote instead."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    end = 0
    try:
        for _ in reader:
            end = reader.line_num
    except csv.Error as exc:
        if "end of data" in str(exc):
            raise InputError(f"{name}, line {end + 1}: a quote (\") opens a cell but is never closed.") from None


def _header(row: list[str], name: str, line: int) -> list[str]:
    columns = [c.strip().lower() for c in row]
    if not any(columns):
        raise InputError(f"{name}: the glossary is empty.")
    for column in columns:
        if column and column not in _COLUMNS:
            known = ", ".join(_COLUMNS)
            raise InputError(f"{name}, line {line}: unknown column '{column}' (known: {known}).")
    for column in _REQUIRED:
        if column not in columns:
            raise InputError(f"{name}, line {line}: the header has no '{column}' column.")
    named = [c for c in columns if c]
    if len(set(named)) < len(named):
        raise InputError(f"{name}, line {line}: a column is named twice.")
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
    preferred: bool = False


def _terms(concept: etree._Element, lang: str) -> list[_Term]:
    found = []
    for section in _lang_sections(concept):
        if not _same_lang(_lang_of(section), lang):
            continue
        for term in (e for e in section.iter() if _local(e) == "term"):
            text = " ".join("".join(term.itertext()).split())
            if text:
                status = _statuses(term)
                usable = not any(value.startswith(bad) for value in status for bad in _NOT_TO_USE)
                preferred = any(value.startswith(_PREFERRED) for value in status)
                found.append(_Term(text, usable, term.sourceline or 0, preferred))
    return found


def _statuses(term: etree._Element) -> list[str]:
    """The status values noted next to the term ("deprecatedtermadmnsts", "admittedterm", ...)."""
    group = term.getparent()
    if group is None:
        return []
    return [
        "".join(note.itertext()).replace("-", "").replace(" ", "").lower()
        for note in group.iter()
        if _local(note) in ("termNote", "descrip")
        and (note.get("type") or "").replace("-", "").lower() in _STATUS_TYPES
    ]


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
    usable = [t for t in targets if t.usable]
    for lang, terms in ((source_lang, sources), (target_lang, targets)):
        if not terms:  # multilingual termbases are often incomplete; one gap must not sink them all
            warnings.warn(f"{name}, line {line}: entry has no '{lang}' term; left out.", GlossaryWarning,
                          stacklevel=2)
            return []
    if not usable:
        raise InputError(f"{name}, line {line}: every '{target_lang}' term is deprecated.")
    usable.sort(key=lambda t: not t.preferred)  # the preferred term is the suggestion; stable sort
    alternatives = tuple(dict.fromkeys(t.text for t in usable[1:] if t.text != usable[0].text))
    forbidden = tuple(t.text for t in targets if not t.usable)
    note = _note(concept)
    return [
        GlossaryEntry(s.text, usable[0].text, note, forbidden, s.line or line, alternatives) for s in sources
    ]


# --- both ------------------------------------------------------------------------------------


def _checked(entries: list[GlossaryEntry], name: str) -> tuple[GlossaryEntry, ...]:
    """Refuse an empty glossary, a source term given two different targets and a rendering
    both required and forbidden (it would flag every correct translation)."""
    if not entries:
        raise InputError(f"{name}: the glossary has no entries.")
    first: dict[str, GlossaryEntry] = {}
    kept = []
    for entry in entries:
        _check_forbidden(entry, name)
        key = _folded(entry.source)
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


def _check_forbidden(entry: GlossaryEntry, name: str) -> None:
    accepted = {_folded(r) for r in entry.renderings}
    for rendering in entry.forbidden:
        if _folded(rendering) in accepted:
            raise InputError(
                f"{name}, line {entry.line}: '{rendering}' is given both as the rendering of "
                f"'{entry.source}' and as a forbidden one."
            )


def _folded(text: str) -> str:
    return " ".join(text.casefold().split())
