"""Write the input fixtures: one Polish passage in every encoding and format we read.

Run from the repository root: `python tests/data/input/make_fixtures.py`. The passage and
its English translation are our own words; the other files are derived from them.
"""

import html
from pathlib import Path

import docx

HERE = Path(__file__).parent
POLISH = (HERE / "pl_utf8.txt").read_text(encoding="utf-8").strip()
# ISO-8859-2 has no typographic dashes or quotes: its fixture uses ASCII ones instead.
ASCII_PUNCTUATION = str.maketrans({"–": "-", "—": "-", "„": '"', "”": '"'})

ENCODED = {
    "pl_utf8_bom.txt": ("utf-8-sig", b""),
    "pl_utf16le_bom.txt": ("utf-16-le", b"\xff\xfe"),
    "pl_utf16be_bom.txt": ("utf-16-be", b"\xfe\xff"),
    "pl_utf16le.txt": ("utf-16-le", b""),
    "pl_utf16be.txt": ("utf-16-be", b""),
    "pl_cp1250.txt": ("cp1250", b""),
    "pl_iso8859_2.txt": ("iso8859_2", b""),  # with ASCII_PUNCTUATION
}


def write_encoded() -> None:
    for name, (encoding, bom) in ENCODED.items():
        text = POLISH.translate(ASCII_PUNCTUATION) if encoding == "iso8859_2" else POLISH
        (HERE / name).write_bytes(bom + text.encode(encoding))


def write_docx() -> None:
    """The passage as Word paragraphs, plus a line break and a table with a merged cell."""
    document = docx.Document()
    paragraphs = POLISH.split("\n\n")
    document.add_heading(paragraphs[0], level=1)
    for paragraph in paragraphs[1:]:
        lines = paragraph.split("\n")
        run_holder = document.add_paragraph(lines[0])
        for line in lines[1:]:
            run = run_holder.add_run()
            run.add_break()
            run_holder.add_run(line)
        document.add_paragraph("")  # an empty paragraph must not add blank lines
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "Gatunek"
    table.cell(0, 1).text = "Liczba skrzynek"
    table.cell(1, 0).merge(table.cell(1, 1)).text = "Słoneczniki rosną w każdej skrzynce."
    document.save(HERE / "pl.docx")


def write_html() -> None:
    """The passage as a news-style page: menu, article, related links, footer, a script."""
    title, *paragraphs = POLISH.split("\n\n")
    body = "\n".join(f"    <p>{html.escape(p).replace(chr(10), '<br>')}</p>" for p in paragraphs)
    page = f"""<!DOCTYPE html>
<html lang="pl">
<head><meta charset="utf-8"><title>{title} | Gazeta Osiedlowa</title>
<script>window.dataLayer = [];</script></head>
<body>
  <nav><ul><li><a href="/">Strona główna</a></li><li><a href="/kultura">Kultura</a></li>
  <li><a href="/sport">Sport</a></li></ul></nav>
  <article>
    <h1>{title}</h1>
{body}
  </article>
  <aside><h2>Czytaj także</h2><ul><li><a href="/a">Nowy park przy dworcu</a></li></ul></aside>
  <footer>Wszelkie prawa zastrzeżone. Kontakt: redakcja@example.org</footer>
</body>
</html>
"""
    (HERE / "pl.html").write_text(page, encoding="utf-8")


if __name__ == "__main__":
    write_encoded()
    write_docx()
    write_html()
