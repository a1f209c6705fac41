"""How well the meaning_shift checker finds planted mistranslations, and what else it flags.

Two corpora with gold alignments: the demo pair (Polish -> English, ``corpora/latushka-interia``)
and the Text+Berg dev set (German -> French, ``../shared/bench/textberg-dev``, one segment a
line). In each round a few correct 1-1 pairs get one planted change of meaning in the translation,
one of four kinds, in turn:

- ``near``: a content word replaced by a near miss from the swap lists below (army -> navy);
- ``unrelated``: a content word replaced by a content word of another sentence;
- ``phrase``: a run of two or three words replaced by a run of another sentence;
- ``negate``: an auxiliary or copula negated (is -> is not, est -> n'est pas);
- ``name`` (only with ``--kinds``): a name the translation writes replaced by another name it
  writes elsewhere (Minsk -> Kyiv), so both names have a record in the document.

The checker then reads the whole document. Reported per corpus:

- recall: planted pairs flagged / planted pairs (overall and per kind);
- precision: planted pairs flagged / (those + flags on pairs neither planted nor a known finding);
- for the demo, its own findings (protectorate, rocket launchers, makeshift) on the untouched pair,
  the other flags there, and the time of a warm run.

Run: ``python bench/qa_meaning.py [--rounds 8] [--per-round 6] [--corpus demo] [--kinds name]``.
Embeddings are cached (``ALIGN_CACHE_DIR``): the first run encodes for minutes, later ones reuse.
"""

from __future__ import annotations

import argparse
import random
import re
import sys
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from align.checks import meaning  # noqa: E402
from align.checks.base import CheckContext  # noqa: E402
from align.embed import load_encoder  # noqa: E402
from align.lexicon import content_words  # noqa: E402
from align.types import Alignment, Bead, Document, Segment  # noqa: E402

import qa  # noqa: E402  (the QA bench: the same corpora, loaded one way)

KINDS = ("near", "unrelated", "phrase", "negate")  # the default rotation
ALL_KINDS = (*KINDS, "name")

# Near misses: a word a careless translator could put in place of the right one (our own lists).
SWAPS_EN = {
    "army": "navy", "minister": "ambassador", "sanctions": "subsidies", "government": "parliament",
    "western": "eastern", "west": "east", "increased": "decreased", "border": "coast", "war": "peace",
    "helicopter": "aeroplane", "prison": "hospital", "troops": "police", "generals": "colonels",
    "legal": "illegal", "strategic": "tactical", "political": "economic", "military": "civilian",
    "pressure": "support", "occupation": "liberation", "lawyers": "doctors", "future": "past",
    "protests": "elections", "criminal": "civil", "officers": "soldiers", "cabinet": "committee",
    "office": "embassy", "documents": "photographs", "murder": "theft", "torture": "bribery",
    "crime": "mistake", "threat": "promise", "regime": "party", "coup": "strike", "guard": "staff",
    "cities": "factories", "villages": "forests", "leaflets": "newspapers", "workers": "students",
    "discipline": "equipment", "morale": "salary", "tanks": "trains", "ceasefire": "election",
    "agreement": "argument", "conclusions": "questions", "appeals": "threats", "losses": "gains",
    "security": "health", "territory": "economy", "sovereignty": "economy", "offensive": "defence",
    "country": "city", "situation": "economy", "power": "money", "attack": "visit", "life": "career",
    "exile": "prison", "people": "children", "democratic": "religious", "former": "current",
    "international": "local", "direct": "indirect", "information": "money", "special": "ordinary",
    "weeks": "months", "ready": "unwilling", "long": "short", "foreign": "domestic",
    "recognition": "criticism", "decisions": "mistakes", "danger": "chance", "internal": "external",
}
SWAPS_FR = {
    "expédition": "excursion", "camp": "village", "sommet": "col", "glacier": "lac", "arête": "paroi",
    "porteurs": "guides", "équipe": "famille", "neige": "pluie", "altitude": "vitesse", "jours": "mois",
    "juillet": "décembre", "juin": "janvier", "ascension": "descente", "descente": "montée",
    "première": "dernière", "dernier": "premier", "vallée": "plaine", "nord": "sud", "ouest": "est",
    "glace": "boue", "montagne": "colline", "montagnes": "collines", "heures": "minutes",
    "difficile": "facile", "facile": "pénible", "grande": "petite", "grand": "petit", "haut": "bas",
    "droite": "gauche", "gauche": "droite", "nuit": "matinée", "soleil": "brouillard",
    "médecin": "cuisinier", "cordes": "échelles", "charges": "vivres", "chef": "cuisinier",
    "avalanches": "orages", "rocheux": "boisé", "sherpas": "soldats", "officier": "marchand",
    "empreintes": "photographies", "traces": "cris", "ours": "loup", "homme": "enfant",
    "hommes": "femmes", "alpinistes": "touristes", "succès": "échec", "retour": "départ",
    "massif": "village", "mauvais": "excellent", "long": "court", "nouvelle": "ancienne",
    "nouveau": "vieux", "membres": "adversaires", "paroi": "prairie", "pentes": "rives",
    "tentatives": "promesses", "rivière": "route", "mains": "genoux", "avions": "navires",
    "dangereuse": "agréable", "rapide": "lente", "profonde": "étroite", "ciel": "sol",
}
SWAPS = {"en": SWAPS_EN, "fr": SWAPS_FR}

# Negation: an auxiliary or copula and its negated form.
_NEGATE_EN = re.compile(r"\b(is|are|was|were|can|will|has|have|had|should|could|would|must)\b")
_NEGATE_FR = re.compile(r"\b(est|sont|était|étaient|fut|furent|peut|peuvent|pouvait|doit|doivent|devait|a|ont|avait|avaient)\b")


def negate(text: str, lang: str) -> str | None:
    """``text`` with its first auxiliary or copula negated, or None if it has none."""
    if lang == "en":
        match = _NEGATE_EN.search(text)
        if not match:
            return None
        word = match.group()
        new = "cannot" if word == "can" else f"{word} not"
    elif lang == "fr":
        match = _NEGATE_FR.search(text)
        if not match:
            return None
        word = match.group()
        new = f"n'{word} pas" if word[0] in "aeéiou" else f"ne {word} pas"
    else:
        return None
    return text[: match.start()] + new + text[match.end() :]


@dataclass(frozen=True)
class Corpus:
    """A gold-aligned pair and what is known to be wrong in it already."""

    name: str
    source: Document
    target: Document
    beads: tuple[Bead, ...]
    known: dict[tuple[int, ...], str] = field(default_factory=dict)  # src indices -> finding

    @property
    def lang(self) -> str:
        return self.target.lang

    def context(self, encoder, target_texts: list[str] | None = None, options=None) -> CheckContext:
        target = self.target
        if target_texts is not None:
            target = Document(target.text, target.lang, tuple(Segment(i, t) for i, t in enumerate(target_texts)))
        return CheckContext(Alignment(self.source, target, self.beads), encoder=encoder, options=options or {})


def load_demo() -> Corpus:
    demo = qa.load_corpus("demo")
    known = {(16,): "protectorate", (104,): "rocket launchers", (45,): "makeshift"}
    return Corpus("demo pl-en", demo.source, demo.target, demo.gold, known)


def load_textberg() -> Corpus:
    textberg = qa.load_corpus("textberg")
    return Corpus("textberg de-fr", textberg.source, textberg.target, textberg.gold)


# --------------------------------------------------------------------------------------------
# Planting
# --------------------------------------------------------------------------------------------

Planter = Callable[[str, str, random.Random, list[str]], "tuple[str, str] | None"]


def _words(text: str, lang: str):
    """Lower-case content words long enough to matter (capitalised ones may be names)."""
    return [t for t in content_words(text, lang) if len(t.text) >= 4 and t.text[0].islower() and "'" not in t.text]


def plant_near(text: str, lang: str, rng: random.Random, donors: list[str]) -> tuple[str, str] | None:
    swaps = SWAPS.get(lang, {})
    near = [t for t in _words(text, lang) if t.text.lower() in swaps]
    if not near:
        return None
    word = rng.choice(near)
    new = swaps[word.text.lower()]
    return text[: word.start] + new + text[word.end :], f"{word.text}->{new}"


def plant_unrelated(text: str, lang: str, rng: random.Random, donors: list[str]) -> tuple[str, str] | None:
    words = _words(text, lang)
    if not words:
        return None
    word = rng.choice(words)
    present = {t.text.lower() for t in content_words(text, lang)}
    new = rng.choice([d for d in donors if d.lower() not in present])
    return text[: word.start] + new + text[word.end :], f"{word.text}->{new}"


def plant_phrase(text: str, lang: str, rng: random.Random, donors: list[str]) -> tuple[str, str] | None:
    words = content_words(text, lang)
    runs = [(words[i], words[i + 1]) for i in range(len(words) - 1) if words[i + 1].start - words[i].end <= 6]
    if not runs:
        return None
    first, last = rng.choice(runs)
    new = " ".join(rng.sample(donors, 2))
    old = text[first.start : last.end]
    return text[: first.start] + new + text[last.end :], f"{old}->{new}"


def plant_negate(text: str, lang: str, rng: random.Random, donors: list[str]) -> tuple[str, str] | None:
    new = negate(text, lang)
    return (new, "negated") if new else None


_NAME = re.compile(r"(?<=[\w,;] )[A-ZÀ-ÖØ-Þ][^\W\d_]{3,}")  # capitalised inside a sentence


def names_of(texts: list[str]) -> list[str]:
    """Capitalised words inside sentences that the translation writes twice or more: its names."""
    seen = Counter(m.group() for text in texts for m in _NAME.finditer(text))
    return sorted(word for word, n in seen.items() if n >= 2)


def plant_name(text: str, lang: str, rng: random.Random, names: list[str]) -> tuple[str, str] | None:
    present = [m for m in _NAME.finditer(text) if m.group() in names]
    others = [n for n in names if n not in text]
    if not present or not others:
        return None
    old, new = rng.choice(present), rng.choice(others)
    return text[: old.start()] + new + text[old.end() :], f"{old.group()}->{new}"


PLANTERS: dict[str, Planter] = {
    "near": plant_near, "unrelated": plant_unrelated, "phrase": plant_phrase, "negate": plant_negate,
    "name": plant_name,
}


def candidates(corpus: Corpus) -> list[Bead]:
    """Correct 1-1 pairs with enough words on the translation side to plant into."""
    texts = corpus.target.texts
    return [b for b in corpus.beads if len(b.src) == 1 and len(b.tgt) == 1 and b.src not in corpus.known
            and len(content_words(texts[b.tgt[0]], corpus.lang)) >= 5]


@dataclass
class Tally:
    planted: Counter = field(default_factory=Counter)  # kind -> planted pairs
    found: Counter = field(default_factory=Counter)  # kind -> planted pairs flagged
    false_alarms: int = 0
    rounds: int = 0

    def line(self) -> str:
        planted, found = sum(self.planted.values()), sum(self.found.values())
        recall = found / planted if planted else 0.0
        precision = found / (found + self.false_alarms) if found + self.false_alarms else 0.0
        kinds = ", ".join(f"{k} {self.found[k]}/{self.planted[k]}" for k in ALL_KINDS if self.planted[k])
        return (f"recall {recall:.2f} ({found}/{planted}: {kinds}); precision {precision:.2f} "
                f"({self.false_alarms} false alarms, {self.false_alarms / max(1, self.rounds):.1f} a round)")


def run_planted(corpus: Corpus, encoder, rounds: int, per_round: int, seed: int, options, verbose: bool,
                kinds: tuple[str, ...] = KINDS) -> Tally:
    rng = random.Random(seed)
    texts = list(corpus.target.texts)
    pool = candidates(corpus)
    words = sorted({t.text for x in texts for t in _words(x, corpus.lang) if len(t.text) >= 5})
    names = names_of(texts)
    tally = Tally()
    kind_no = 0
    for round_no in range(rounds):
        new_texts, planted = list(texts), {}
        for bead in rng.sample(pool, min(per_round, len(pool))):
            for attempt in range(len(kinds)):  # the next kind that fits this sentence
                kind = kinds[(kind_no + attempt) % len(kinds)]
                donors = names if kind == "name" else words
                result = PLANTERS[kind](texts[bead.tgt[0]], corpus.lang, rng, donors)
                if result:
                    new_texts[bead.tgt[0]], what = result
                    planted[bead.src] = (kind, what)
                    kind_no += attempt + 1
                    break
        flagged = {i.src for i in meaning.check(corpus.context(encoder, new_texts, options))}
        noise = [s for s in flagged if s not in planted and s not in corpus.known]
        tally.rounds += 1
        tally.false_alarms += len(noise)
        for src, (kind, _) in planted.items():
            tally.planted[kind] += 1
            tally.found[kind] += src in flagged
        if verbose:
            marks = ", ".join(f"{k}:{w}{'*' if s in flagged else ''}" for s, (k, w) in planted.items())
            print(f"  round {round_no + 1}: {sum(s in flagged for s in planted)}/{len(planted)} found, "
                  f"{len(noise)} other flags {sorted(noise)}  [{marks}]")
    return tally


def report_demo(corpus: Corpus, encoder, options) -> None:
    ctx = corpus.context(encoder, options=options)
    meaning.check(ctx)  # warm the embedding cache
    started = time.perf_counter()
    issues = meaning.check(ctx)
    elapsed = time.perf_counter() - started
    flagged = {i.src: i for i in issues}
    print(f"{corpus.name} untouched ({len(corpus.beads)} beads), warm run {elapsed:.2f} s:")
    for src, name in corpus.known.items():
        issue = flagged.get(src)
        print(f"  {name:18s} {'FOUND: ' + issue.message if issue else 'missed'}")
    extra = [i for s, i in flagged.items() if s not in corpus.known]
    for issue in extra:
        print(f"  other flag: src {list(issue.src)}: {issue.message}")
    found = sum(s in flagged for s in corpus.known)
    print(f"  {found}/{len(corpus.known)} found, {len(extra)} other flags")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=8)
    parser.add_argument("--per-round", type=int, default=6)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--corpus", choices=["demo", "textberg", "both"], default="both")
    parser.add_argument("--no-dictionary", action="store_true")
    parser.add_argument("--quiet", action="store_true")
    parser.add_argument("--kinds", default=",".join(KINDS), help=f"planted kinds, in turn: {', '.join(ALL_KINDS)}")
    args = parser.parse_args()
    kinds = tuple(args.kinds.split(","))
    if set(kinds) - set(ALL_KINDS):
        parser.error(f"unknown kind(s); known: {', '.join(ALL_KINDS)}")
    options = {"dictionary": not args.no_dictionary}
    encoder = load_encoder()
    corpora = []
    if args.corpus in {"demo", "both"}:
        corpora.append(load_demo())
    if args.corpus in {"textberg", "both"} and qa.TEXTBERG.exists():
        corpora.append(load_textberg())
    for corpus in corpora:
        if corpus.known:
            report_demo(corpus, encoder, options)
        print(f"{corpus.name}: planted shifts, {args.rounds} rounds of {args.per_round}")
        tally = run_planted(corpus, encoder, args.rounds, args.per_round, args.seed, options, not args.quiet, kinds)
        print(f"  {tally.line()}")


if __name__ == "__main__":
    main()
