"""Word-level evidence for the QA checkers: content words with lemmas, and an optional dictionary.

- ``content_words(text, lang)``: the words that carry meaning (not function words, not numbers),
  each with its lemma (simplemma) and character offsets.
- ``word_spans(text, lang)``: every word the same way, as plain tuples, for a checker that keeps
  a whole book's words at once.
- ``load_dictionary(src, tgt)``: a bilingual dictionary read from Debian's FreeDict packages
  (``dict-freedict-pol-eng``, ``dict-freedict-eng-pol``, ...; dictd files under
  ``/usr/share/dictd``) when they are installed; else two chained through English (German-English
  and English-French for German-French); else ``None``. Nothing here requires it: it is extra
  evidence that a word was rendered, and a source of suggested renderings.

The function-word lists are deliberately broad (pronouns, prepositions, conjunctions, particles,
auxiliary and modal verbs, the commonest adverbs): a checker looking for words without a
counterpart should only look at words whose loss would change what a sentence says.
"""

from __future__ import annotations

import gzip
import hashlib
import marshal
import os
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple, TypeVar

from align import lemmas

DICTD_DIR = Path("/usr/share/dictd")
ISO3 = {"pl": "pol", "en": "eng", "de": "deu", "fr": "fra"}
PIVOT = "en"  # the language FreeDict pairs with most others: two dictionaries chain through it
LEMMATISED = frozenset(ISO3)

_FUNCTION_WORDS = {
    "pl": """
        a aby albo ale ani aż bardzo bez bo by być był była było były będzie będą być bowiem
        chociaż choć co coś czy czyli często dla do dopóki dopóty dość dziś dzisiaj gdy gdyby
        gdzie go i ich ile im inny iż ja jak jaki jakiś jako je jeden jego jej jeszcze jeśli
        jednak już każdy kiedy kto który która które ku lecz lub ma mieć mi mnie mną móc musieć
        my na nad nam nami nas nasz natomiast nawet nic nie niech niego niej nim nimi niż no o
        od on ona one oni ono oraz owszem pan pani państwo po pod podczas ponad poza przed przez
        przy przecież również sam sobie się skoro swój są ta tak taki także tam ten teraz też
        to tu tutaj ty tylko tym u w we więc wszystko wszyscy wtedy z za zaś ze zawsze że żeby
        żaden np m.in tzw r tj itd itp ok około pewien coraz wciąż nadal właśnie zatem stąd
        tamten który tyle wiele dużo mało ów sobą siebie mój twój wasz jaki czyj dlaczego czemu
        zostać stać bywać chcieć powinien trzeba można należy tego tej tych temu tę tą ci te
        tymi jej jemu nią niemu niej nich jego którego której którym których któremu
        tak nie więcej mniej większość mniejszość najwięcej dużo wiele kilka kilku parę trochę
        całkiem zupełnie raczej dlatego akurat zarazem następnie potem dopiero jedynie prawie
        wszędzie nigdzie nigdy czasem czasami rzadko ciągle dalej znowu znów ponownie jutro
        wczoraj razem raz razie właściwie oczywiście naprawdę chyba pewnie zapewne cały oba
        obaj obie drugi każdy inny żaden sam swój bardziej najbardziej szczególnie zwłaszcza
        tymczasem wówczas dotąd odtąd stale tutaj owo ów jakby niby rzecz sprawa może proc tys mln mld choćby chociażby przynajmniej
    """,
    "en": """
        a about above after again against all also although am an and another any are as at
        be been before being below between both but by can could did do does doing down during
        each either else even ever every few for from further had has have having he her here
        hers herself him himself his how however i if in into is it its itself just least less
        let may me might more most much must my myself neither no nor not now of off on once
        one only or other our ours ourselves out over own per quite rather same shall she should
        so some such than that the their theirs them themselves then there these they this
        those though through thus to too under until up upon us very via was we were what
        whatever when where whether which while who whom whose why will with within without
        would yet you your yours yourself yourselves get got also still already well way
        ms mr mrs dr i.e e.g etc yes rather therefore hence perhaps maybe probably certainly
        indeed really almost nearly always never often sometimes again twice several many
        whole entire lot lots thing things something anything nothing everything someone
        anyone everyone somebody anybody everybody otherwise instead anyway especially
        particularly mostly mainly simply merely meanwhile later ago example instance
    """,
    "de": """
        aber alle als also am an auch auf aus bei bin bis bist da damit dann das dass dein dem
        den denn der des die dies diese dieser dieses doch dort du durch ein eine einem einen
        einer eines er es etwa euer für gegen hat hatte haben hier ich ihr ihre im in ist ja
        jede jeder jedoch jetzt kann kein keine können man mehr mein mit muss müssen nach nicht
        noch nun nur ob oder ohne schon sehr sein seine sich sie sind so soll sollen über um
        und uns unser unter viel vom von vor war waren was weil welche wenn werden wie wir
        wird wo zu zum zur zwar sowie bereits immer
    """,
    "fr": """
        à afin ai aie ainsi alors au aucun aussi autre aux avec avoir avait bien ce ceci cela
        celle celui ces cet cette chaque chez comme comment dans de des deux donc dont du elle
        elles en encore entre est et été être eu il ils je jamais la le les leur leurs lors
        lui ma mais me même mes moi mon ne ni nos notre nous on ont ou où par pas peu peut
        plus pour pourquoi quand que quel quelle qui sa sans se ses si son sont sous sur ta
        te tes toi ton tous tout toute toutes très tu un une vos votre vous y déjà donc puis
    """,
}
FUNCTION_WORDS = {lang: frozenset(words.split()) for lang, words in _FUNCTION_WORDS.items()}

# A word; not the ending of a number written with one ("47-letni" is no "letni", summer's).
_WORD = re.compile(r"(?<![^\W_])(?<!\d[-‑])[^\W\d_]+(?:[-'’][^\W\d_]+)*")


class Token(NamedTuple):  # a tuple, not a dataclass: cheaper to build, one per word of a book
    """A content word: its text as written, its lower-case lemma and where it stands."""

    text: str
    lemma: str
    start: int
    end: int


def base_lang(lang: str) -> str:
    """``"pl-PL"`` -> ``"pl"``."""
    return lang.strip().lower().replace("_", "-").split("-")[0]


@lru_cache(maxsize=100_000)
def lemma(word: str, lang: str) -> str:
    """The lower-case dictionary lemma of ``word`` (the lower-cased word if unknown)."""
    code = base_lang(lang)
    form = _without_possessive(word)
    if code in LEMMATISED:
        form = lemmas.lemmatize(form, code)
    return form.lower()


def prefetch_lemmas(texts: Iterable[str], lang: str) -> None:
    """Look up every word of ``texts`` in the lemma table in a few queries: the checkers then ask
    about them word by word, and each single query costs more than the lookup itself."""
    code = base_lang(lang)
    if code in LEMMATISED:
        lemmas.prefetch({_without_possessive(m.group()) for text in texts for m in _WORD.finditer(text)}, code)


def _without_possessive(word: str) -> str:
    return word[:-2] if word.endswith(("'s", "’s")) else word


@lru_cache(maxsize=100_000)  # asked once for every word of every pair
def is_function_word(word: str, lang: str) -> bool:
    stop = FUNCTION_WORDS.get(base_lang(lang), frozenset())
    lower = word.lower()
    return lower in stop or lemma(word, lang) in stop or len(lower) < 2


def all_words(text: str, lang: str) -> list[Token]:
    """Every word of ``text``, in order (numbers are another checker's job)."""
    return list(map(Token._make, word_spans(text, lang)))


Span = tuple[str, str, int, int]  # a word as word_spans reads it: text, lemma, start, end


def word_spans(text: str, lang: str) -> list[Span]:
    """``all_words`` as plain tuples (text, lemma, start, end). Python's cyclic garbage collector
    stops watching a plain tuple of strings and numbers, never a Token: a book's Tokens, kept
    alive for a whole check, are walked again at each of its collections."""
    words = []
    for m in _WORD.finditer(text):
        word = m.group()
        words.append((word, lemma(word, lang), m.start(), m.end()))
    return words


def content_words(text: str, lang: str) -> list[Token]:
    """The words of ``text`` that carry meaning, in order."""
    return content_of(all_words(text, lang), lang)


_Word = TypeVar("_Word", Token, Span)


def content_of(words: Iterable[_Word], lang: str) -> list[_Word]:
    """The ``words`` (from ``all_words`` or ``word_spans``) that carry meaning."""
    return [t for t in words if not is_function_word(t[0], lang)]  # a Token's text or a span's


@lru_cache(maxsize=100_000)  # asked of every word of a document for the aligner's word anchors
def fold(word: str) -> str:
    """Lower case without diacritics (``Łatuszka`` -> ``latuszka``; ``groß`` -> ``gross``), for
    spotting cognates."""
    decomposed = unicodedata.normalize("NFKD", word.lower().replace("ł", "l").replace("ß", "ss"))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


# --------------------------------------------------------------------------------------------
# FreeDict dictionaries (optional)
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)  # hashed by identity: memoised lookups are keyed by it
class Dictionary:
    """Source lemma -> its renderings, and target lemma -> the source words it renders.

    Renderings are lower-case words or short phrases (``hand grenade``); both directions are
    filled from both FreeDict files when both are installed. The tables hold each word's
    renderings joined by tabs: a run asks about a few hundred of some 50,000 words, and strings
    load three times faster than sets.
    """

    src_lang: str
    tgt_lang: str
    forward: dict[str, str]
    backward: dict[str, str]

    def renderings(self, src_lemma: str) -> frozenset[str]:
        return _split(self.forward.get(src_lemma))

    def sources(self, tgt_lemma: str) -> frozenset[str]:
        return _split(self.backward.get(tgt_lemma))

    def knows_source(self, src_lemma: str) -> bool:
        return src_lemma in self.forward

    def knows_target(self, tgt_lemma: str) -> bool:
        return tgt_lemma in self.backward


def _split(joined: str | None) -> frozenset[str]:
    return frozenset(joined.split(_JOIN)) if joined else frozenset()


@lru_cache(maxsize=8)
def load_dictionary(src_lang: str, tgt_lang: str, directory: str = str(DICTD_DIR)) -> Dictionary | None:
    """The FreeDict dictionary between two languages, or None when none is installed.

    Where the pair's own dictionary is not installed, two with English are chained: ``Gipfel`` ->
    summit, peak -> ``sommet``, ``pic``. English words have many senses, so a chain also gives
    renderings no translator would use (``Berg`` -> heap -> ``tas``); for the checks that costs
    little, since a rendering that is not in the sentence clears nothing.

    Parsing the dictd files takes seconds, so the two tables are kept in the align cache folder,
    keyed by the files' sizes and dates, and read back in a fraction of that."""
    stamp = dictionary_stamp(src_lang, tgt_lang, directory)
    if not stamp:
        return None
    cached = _cached_tables(stamp)
    if cached is None:
        legs = _legs(src_lang, tgt_lang, directory)
        if len(legs) == 1:
            cached = _parse_tables(_dictionary_files(*legs[0], directory))
        else:  # the second leg first: only the middle words it renders matter in the first
            second = _parse_tables(_dictionary_files(*legs[1], directory))
            first = _parse_tables(_dictionary_files(*legs[0], directory), middle=frozenset(second[0]))
            cached = _chained(first, second)
        cached = tuple(map(_with_swiss_spellings, cached))
        _store_tables(stamp, cached)
    forward, backward = cached
    return Dictionary(base_lang(src_lang), base_lang(tgt_lang), forward, backward)


def _with_swiss_spellings(table: dict[str, str]) -> dict[str, str]:
    """``table`` with each headword spelt ß also under its Swiss spelling, ss (groß: gross), which
    Swiss German writes and the lemmatiser gives (grossen: gross). A spelling that is a headword
    of its own keeps its own entry (Masse, mass, beside Maße, measures)."""
    swiss = {k.replace("ß", "ss"): v for k, v in table.items() if "ß" in k}
    return table | {k: v for k, v in swiss.items() if k not in table}


def dictionary_stamp(src_lang: str, tgt_lang: str, directory: str = str(DICTD_DIR)) -> list[tuple[str, int, int]]:
    """Path, size and date of each installed FreeDict file the dictionary between two languages
    is read from (empty if none): what a run that used the dictionary depended on."""
    files = [pair for a, b in _legs(src_lang, tgt_lang, directory) for pair in _dictionary_files(a, b, directory)]
    return [(str(p), p.stat().st_size, p.stat().st_mtime_ns) for pair in files for p in pair if p.exists()]


def _legs(src_lang: str, tgt_lang: str, directory: str) -> list[tuple[str, str]]:
    """The language pairs whose dictionaries make the one asked for: itself, or through English."""
    def installed(a: str, b: str) -> bool:
        return any(p.exists() for pair in _dictionary_files(a, b, directory) for p in pair)

    src, tgt = base_lang(src_lang), base_lang(tgt_lang)
    if src == tgt:
        return []  # not a translation: no dictionary, and no chain through English back again
    if installed(src, tgt):
        return [(src, tgt)]
    if PIVOT not in (src, tgt) and installed(src, PIVOT) and installed(PIVOT, tgt):
        return [(src, PIVOT), (PIVOT, tgt)]
    return []


def _chained(first: tuple[dict[str, str], dict[str, str]],
             second: tuple[dict[str, str], dict[str, str]]) -> tuple[dict[str, str], dict[str, str]]:
    """The tables of a dictionary through a middle language: each word's renderings are the
    second dictionary's renderings of its renderings in the first."""
    middle_to_target = second[0]
    forward: dict[str, set[str]] = defaultdict(set)
    backward: dict[str, set[str]] = defaultdict(set)
    for word, joined in first[0].items():
        for middle in joined.split(_JOIN):
            renderings = middle_to_target.get(middle)
            if renderings:
                forward[word].update(renderings.split(_JOIN))
    for word, renderings in forward.items():
        for rendering in renderings:
            backward[rendering].add(word)
    return _joined(forward), _joined(backward)


def _joined(table: dict[str, set[str]]) -> dict[str, str]:
    return {k: _JOIN.join(sorted(v)) for k, v in table.items()}


def _dictionary_files(src_lang: str, tgt_lang: str, directory: str) -> list[tuple[Path, Path]]:
    """(index, data) of the FreeDict files each way between two languages, installed or not."""
    src, tgt = base_lang(src_lang), base_lang(tgt_lang)
    if src not in ISO3 or tgt not in ISO3:
        return []
    folder = Path(directory)
    return [
        (folder / f"freedict-{ISO3[a]}-{ISO3[b]}.index", folder / f"freedict-{ISO3[a]}-{ISO3[b]}.dict.dz")
        for a, b in ((src, tgt), (tgt, src))
    ]


def _parse_tables(files, middle: frozenset[str] | None = None) -> tuple[dict[str, str], dict[str, str]]:
    """Both tables of a dictionary from its two files, (source-target, target-source). With
    ``middle``, only those target words are kept (a chain's first leg): the target-source file
    is then read only at their entries, half the work for German-English."""
    forward: dict[str, set[str]] = defaultdict(set)
    backward: dict[str, set[str]] = defaultdict(set)
    for (index, data), table, other, heads in zip(files, (forward, backward), (backward, forward), (None, middle)):
        for head, renderings in _read_dictd(index, data, heads) or ():  # headwords and renderings are lemmas
            if middle is not None and heads is None:
                renderings = [r for r in renderings if r in middle]
            table[head.lower()].update(renderings)
            for rendering in renderings:
                other[rendering].add(head.lower())
    return _joined(forward), _joined(backward)


_JOIN = "\t"  # renderings are cut at tabs (see _renderings), so none holds one
_TABLE_FORMAT = 4  # 4: Swiss spellings of ß headwords (3: renderings joined into one string, 2: frozensets, 1: tuples)


def _table_file(stamp) -> Path:
    from align.cache import resolve_cache_dir

    key = hashlib.sha256(repr((_TABLE_FORMAT, stamp)).encode()).hexdigest()[:16]
    return resolve_cache_dir() / f"freedict-{key}.marshal"


def _cached_tables(stamp):
    try:
        forward, backward = marshal.loads(_table_file(stamp).read_bytes())
    except (OSError, ValueError, EOFError, TypeError):
        return None
    return forward, backward


def _store_tables(stamp, tables) -> None:
    """Write atomically; a cache that cannot be written only costs the next run its speed."""
    path = _table_file(stamp)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_suffix(f".{os.getpid()}.tmp")
        temporary.write_bytes(marshal.dumps(list(tables)))
        os.replace(temporary, path)
    except OSError:
        pass


_B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
_NUMBERED = re.compile(r"^\s*(?:\d+|[IVX]+)\.\s*(.*?)(?:\s+\d+\.)?$")
_TAGS = re.compile(r"<[^>]*>|\[[^\]]*\]|\([^)]*\)|\{[^}]*\}")


def _read_dictd(index: Path, data: Path, heads: frozenset[str] | None = None) -> list[tuple[str, list[str]]] | None:
    """(headword, renderings) for every entry of one dictd dictionary (with ``heads``, only for
    those headwords, in lower case); None if not installed."""
    try:
        lines = index.read_text(encoding="utf-8").splitlines()
        body = gzip.open(data).read()  # dictzip is gzip-compatible
    except OSError:
        return None
    entries = []
    for line in lines:
        parts = line.split("\t")
        if len(parts) != 3 or parts[0].startswith("00database") or not parts[0].strip():
            continue
        if heads is not None and parts[0].lower() not in heads:
            continue
        offset, length = _b64(parts[1]), _b64(parts[2])
        text = body[offset : offset + length].decode("utf-8", "replace")
        renderings = _renderings(text)
        if renderings:
            entries.append((parts[0], renderings))
    return entries


def _b64(code: str) -> int:
    value = 0
    for char in code:
        value = value * 64 + _B64.index(char)
    return value


def _renderings(entry: str) -> list[str]:
    """The translations of one entry: the line after the headword, and every numbered line.

    Both FreeDict layouts put translations there; the other lines are definitions in the
    headword's language, which must not be taken for translations.
    """
    lines = entry.splitlines()[1:]
    chosen = [lines[0]] if lines and not _NUMBERED.match(lines[0]) else []
    chosen += [m.group(1) for line in lines if (m := _NUMBERED.match(line))]
    out = []
    for line in chosen:
        for part in re.split(r"[,;]", _TAGS.sub(" ", line)):
            part = re.sub(r"\s+\d+$", "", " ".join(part.split())).strip(" .…-").lower()
            if part and len(part.split()) <= 4:
                out.append(part)
    return out


def renders(dictionary: Dictionary, src_word: str, tgt_word: str) -> bool:
    """Whether the dictionary gives ``tgt_word`` for ``src_word`` (both as written), looked up
    either way round and compared loosely: an inflected form counts (``roupies`` for ``Rupie``),
    and so does a part of a long source compound (``calculs`` for ``Neuberechnung``)."""
    tgt_forms = {fold(tgt_word), fold(lemma(tgt_word, dictionary.tgt_lang))}
    if any(alike(head, t) for head in _rendering_heads(dictionary, src_word) for t in tgt_forms):
        return True
    src_forms = _source_parts(dictionary, src_word)
    looked_up = {tgt_word.lower(), lemma(tgt_word, dictionary.tgt_lang)}
    heads = {h for t in looked_up for h in _heads(dictionary.sources(t))}
    return any(alike(head, fold(form)) for head in heads for form in src_forms)


ANCHOR_LETTERS = 4  # shortest word taken as an alignment anchor (shorter ones are mostly function words)


def word_anchors(
    src_texts: Sequence[str], tgt_texts: Sequence[str], src_lang: str, tgt_lang: str, dictionary: Dictionary
) -> tuple[list[frozenset[str]], list[frozenset[str]]]:
    """Dictionary evidence for the aligner: for each source segment, the lemmas of its content
    words that have a rendering somewhere in the translation, and for each target segment, the
    source lemmas whose renderings it holds. A bead whose two sides share such a lemma has a word
    and its translation on both sides (``align.aligner``). A lemma is one anchor however many of
    its renderings the other side holds, so joining two beads that each hold their own pair gains
    nothing."""
    prefetch_lemmas(src_texts, src_lang)
    prefetch_lemmas(tgt_texts, tgt_lang)
    src_words = [{w.lemma for w in content_words(x, src_lang) if len(w.text) >= ANCHOR_LETTERS} for x in src_texts]
    tgt_words = [[w for w in content_words(x, tgt_lang) if len(w.text) >= ANCHOR_LETTERS] for x in tgt_texts]
    by_start: dict[str, set[tuple[str, str]]] = defaultdict(set)  # first letters -> (form, lemma)
    for words in tgt_words:
        for w in words:
            for form in (fold(w.lemma), fold(w.text)):
                by_start[form[:3]].add((form, w.lemma))
    rendered_by: dict[str, set[str]] = defaultdict(set)  # target lemma -> source lemmas it renders
    for lemma_ in set().union(*src_words):
        for head in _rendering_heads(dictionary, lemma_):
            for form, target in by_start.get(head[:3], ()):
                if alike(head, form):
                    rendered_by[target].add(lemma_)
    found = set().union(*rendered_by.values())
    src = [frozenset(words & found) for words in src_words]
    tgt = [frozenset(x for w in words for x in rendered_by.get(w.lemma, ())) for words in tgt_words]
    return src, tgt


def _heads(renderings: Iterable[str]) -> set[str]:
    """The words of each rendering, folded, but its short ones (``de`` of ``ligne de partage``)."""
    words = {w for r in renderings for w in fold(r).split()}
    return {w for w in words if len(w) >= 4} or words


@lru_cache(maxsize=20_000)
def _rendering_heads(dictionary: Dictionary, word: str) -> frozenset[str]:
    """The main words of the renderings of a source word, of its lemma or of its compound parts."""
    return frozenset(h for form in _source_parts(dictionary, word) for h in _heads(dictionary.renderings(form)))


@lru_cache(maxsize=20_000)
def _source_parts(dictionary: Dictionary, word: str) -> frozenset[str]:
    """The forms of a source word the dictionary is asked about: the word, its lemma, and for a
    compound the parts the dictionary knows (``neu`` + ``berechnung``, a linking s dropped)."""
    whole = {word.lower(), lemma(word, dictionary.src_lang)}
    forms = set(whole)
    for form in whole:  # the lemma too: an inflected compound's last part (Eislawinen: Lawine)
        if len(form) >= 8 and not dictionary.knows_source(form):
            for cut in range(3, len(form) - 3):
                head, tail = form[:cut], form[cut:]
                if dictionary.knows_source(tail):
                    forms.add(tail)
                    # the head as written, else without a linking s (Forschungs-gebiet)
                    known = next((h for h in (head, head.removesuffix("s")) if dictionary.knows_source(h)), None)
                    if known:
                        forms.add(known)
    return frozenset(forms)


_ENDING = 4  # letters inflection and derivation add to a word (temporar-y / temporar-ily)


def alike(a: str, b: str) -> bool:
    """One word, inflected or derived (``temporary`` / ``temporarily``)."""
    if a == b:
        return True
    short, long_ = (a, b) if len(a) <= len(b) else (b, a)
    if len(short) < 4:
        return False
    if len(long_) - len(short) > _ENDING:
        return long_.startswith(short)  # a compound's first part (Gebiet / Gebirgsrücken: not one word)
    stem = max(4, len(short) - 3)  # inflection and derivation change the last few letters
    return long_.startswith(short[:stem])


def lemma_set(tokens: Iterable[Token]) -> frozenset[str]:
    return frozenset(t.lemma for t in tokens) | frozenset(t.text.lower() for t in tokens)
