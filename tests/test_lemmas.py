"""align.lemmas: simplemma's answers from a SQLite table built once per cache folder.

The equality tests compare with simplemma itself (its in-memory dictionaries), with warnings turned
into errors: align.lemmas warns whenever it falls back to that same in-memory dictionary, so a
passing test means the answers came from the table.
"""

from __future__ import annotations

import os
import re
import sqlite3
import subprocess
import sys
import threading
import warnings
from contextlib import closing, nullcontext
from pathlib import Path

import pytest
import simplemma
from simplemma.strategies.dictionaries.dictionary_factory import DefaultDictionaryFactory

from align import lemmas
from align.cache import resolve_cache_dir

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "corpora" / "latushka-interia"

# Inflected forms, capitalised and upper-case forms, names, apostrophes, numbers, made-up words.
WORDS = {
    "pl": [
        "domu", "Domu", "kobietami", "najbliższym", "zarządzania", "Zarządzanie", "Białorusi",
        "powiedział", "byłem", "poszliśmy", "ludźmi", "dzieci", "Warszawie", "demokratycznych",
        "Łatuszka", "Łatuszki", "Cichanouska", "WYBORY", "1989", "przedwyborczymi", "zbrzdękwa",
    ],
    "en": [
        "Houses", "HOUSES", "children", "went", "running", "Better", "Anna's", "neighbours",
        "don't", "well-known", "Lukashenko", "UN", "unelectable", "1994", "zbrzdękwa",
    ],
    "de": [
        "Häuser", "Kindern", "ging", "Straße", "Bundesregierung", "Verhandlungen", "schönsten",
        "Oppositionsführerin", "gegangen", "Lukaschenko", "zbrzdękwa",
    ],
    "fr": [
        "maisons", "allées", "l'État", "était", "Chevaux", "yeux", "aujourd'hui", "présidentielles",
        "Loukachenko", "zbrzdękwa",
    ],
}
_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")


def demo_words(name: str) -> list[str]:
    return list(dict.fromkeys(_WORD.findall((DEMO / name).read_text(encoding="utf-8"))))


def expected_lemmas(words: list[str], lang: str) -> list[str]:
    return [simplemma.lemmatize(w, lang) for w in words]


def expected_known(words: list[str], lang: str) -> list[bool]:
    return [simplemma.is_known(w, lang) for w in words]


def tables_in(folder: Path, lang: str) -> list[Path]:
    return sorted(folder.glob(f"lemmas-{lang}-*.sqlite3"))


@pytest.mark.parametrize("lang", sorted(WORDS))
def test_same_answers_as_simplemma(lang: str) -> None:
    words = WORDS[lang]
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a fallback to the in-memory dictionary would warn
        got_lemmas = [lemmas.lemmatize(w, lang) for w in words]
        got_many = lemmas.lemmatize_many(words, lang)
        got_known = [lemmas.is_known(w, lang) for w in words]
    assert tables_in(resolve_cache_dir(), lang)
    assert got_lemmas == expected_lemmas(words, lang)
    assert got_many == got_lemmas
    assert got_known == expected_known(words, lang)
    assert any(got_known) and not all(got_known)  # the table holds known and unknown words


@pytest.mark.parametrize("lang, name", [("pl", "pl.txt"), ("en", "en.txt")])
def test_every_word_of_the_demo_pair_as_simplemma(lang: str, name: str) -> None:
    words = demo_words(name)
    assert len(words) > 500
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        got = lemmas.lemmatize_many(words, lang)
        known = [lemmas.is_known(w, lang) for w in words]
    assert got == expected_lemmas(words, lang)
    assert known == expected_known(words, lang)


def test_bad_input_raises_like_simplemma() -> None:
    for call in (lemmas.lemmatize, lemmas.is_known, simplemma.lemmatize, simplemma.is_known):
        with pytest.raises(ValueError, match="Unsupported language"):
            call("word", "xx")
        with pytest.raises(ValueError, match="empty string"):
            call("", "en")
    with pytest.raises(ValueError, match="Unsupported language"):
        lemmas.table_path("../xx")


def test_table_is_built_once_and_reused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ALIGN_CACHE_DIR", str(tmp_path))
    words = WORDS["fr"]
    assert lemmas.lemmatize_many(words, "fr") == expected_lemmas(words, "fr")
    [table] = tables_in(tmp_path, "fr")
    assert simplemma.__version__ in table.name
    built = table.stat()

    def build_again(*_args: object) -> None:
        raise AssertionError("the table was built a second time")

    monkeypatch.setattr(lemmas, "_write_table", build_again)
    assert lemmas.table_path("fr", tmp_path) == table
    assert [lemmas.lemmatize(w, "fr") for w in words] == expected_lemmas(words, "fr")

    # A new process opens the same file: a rebuild would have renamed a new file into place.
    script = "import sys; from align import lemmas; print(lemmas.lemmatize_many(sys.argv[1:], 'fr'))"
    run = subprocess.run(
        [sys.executable, "-c", script, *words], cwd=ROOT, capture_output=True, text=True, timeout=300,
        env={**os.environ, "ALIGN_CACHE_DIR": str(tmp_path)},
    )
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == repr(expected_lemmas(words, "fr"))
    again = table.stat()
    assert (again.st_ino, again.st_mtime_ns, again.st_size) == (built.st_ino, built.st_mtime_ns, built.st_size)
    assert tables_in(tmp_path, "fr") == [table]


def test_unwritable_cache_folder_falls_back_with_one_warning(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("ALIGN_CACHE_DIR", str(blocker / "cache"))  # cannot be created, even by root
    words = WORDS["en"]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        got = [lemmas.lemmatize(w, "en") for w in words] + lemmas.lemmatize_many(words, "en")
        known = [lemmas.is_known(w, "en") for w in words]
    assert got == expected_lemmas(words, "en") * 2
    assert known == expected_known(words, "en")
    assert [str(w.message)[:31] for w in caught] == ["Cannot use a lemma table for 'e"]
    assert issubclass(caught[0].category, RuntimeWarning)


def test_unreadable_table_falls_back_with_a_warning(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    name = lemmas.table_path("en", tmp_path / "good").name
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / name).write_bytes(b"this is not a SQLite database" * 100)
    monkeypatch.setenv("ALIGN_CACHE_DIR", str(broken))
    with pytest.warns(RuntimeWarning, match="Cannot use a lemma table"):
        assert lemmas.lemmatize("Houses", "en") == simplemma.lemmatize("Houses", "en")


def assert_whole_table(folder: Path, lang: str) -> None:
    """One table, no temporary files left, every entry of simplemma's dictionary in it."""
    [table] = tables_in(folder, lang)
    assert not list(folder.glob("*.tmp"))
    dictionary = DefaultDictionaryFactory().get_dictionary(lang)
    with closing(sqlite3.connect(table)) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert conn.execute("SELECT count(*) FROM forms").fetchone() == (len(dictionary),)
        sample = list(dictionary.items())[:: len(dictionary) // 200]
        stored = dict(conn.execute("SELECT word, lemma FROM forms WHERE word IN (%s)" % ",".join("?" * len(sample)),
                                   [w for w, _ in sample]))
    assert stored == dict(sample)


def test_two_processes_starting_cold_leave_one_whole_table(tmp_path: Path) -> None:
    words = WORDS["fr"]
    script = "import sys; from align import lemmas; print(lemmas.lemmatize_many(sys.argv[1:], 'fr'))"
    env = {**os.environ, "ALIGN_CACHE_DIR": str(tmp_path)}
    runs = [
        subprocess.Popen([sys.executable, "-c", script, *words], cwd=ROOT, env=env, text=True,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        for _ in range(2)
    ]
    results = [(run.communicate(timeout=300), run.returncode) for run in runs]
    for (out, err), code in results:
        assert code == 0, err
        assert "Warning" not in err
        assert out.strip() == repr(expected_lemmas(words, "fr"))
    assert_whole_table(tmp_path, "fr")


def test_concurrent_builds_without_the_lock_still_leave_one_whole_table(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Where there is no file lock, the rename alone keeps the table whole."""
    monkeypatch.setattr(lemmas, "_exclusive", lambda _path: nullcontext())
    start = threading.Barrier(2)
    errors: list[BaseException] = []

    def build() -> None:
        try:
            start.wait()
            lemmas.table_path("fr", tmp_path)
        except BaseException as err:  # noqa: BLE001 - reported below
            errors.append(err)

    threads = [threading.Thread(target=build) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert_whole_table(tmp_path, "fr")
