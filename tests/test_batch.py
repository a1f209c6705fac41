"""``align batch``: many pairs, in parallel (process pool or Dask), resumable, one failure at a time.

The pairs are aligned with the real bundled encoder (its cache in a temporary folder). Only the
crash test uses a stand-in work function: it tests the scheduler, not alignment.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from translate.storage import tmx

from align import batch
from align.batch import Options, PairFiles, PairResult, PairTask

# Short German originals and French translations written for these tests.
ALPS = (
    ["Der Gipfel lag den ganzen Morgen im Nebel.", "Gegen Mittag riss die Wolkendecke auf.",
     "Wir erreichten die Hütte erst am Abend.", "Der Hüttenwart kochte uns eine heiße Suppe."],
    ["Le sommet est resté dans le brouillard toute la matinée.", "Vers midi, la couche de nuages s'est déchirée.",
     "Nous n'avons atteint la cabane que le soir.", "Le gardien nous a préparé une soupe chaude."],
)
TRAIN = (
    ["Der Zug nach Genf fährt um 7 Uhr ab.", "Die Fahrt dauert ungefähr drei Stunden.",
     "Im Speisewagen gibt es Kaffee und Brot."],
    ["Le train pour Genève part à 9 heures.", "Le trajet dure environ trois heures.",
     "Au wagon-restaurant, on sert du café et du pain."],
)


def write_pair(src: Path, tgt: Path, pair: tuple[list[str], list[str]]) -> None:
    src.parent.mkdir(parents=True, exist_ok=True)
    tgt.parent.mkdir(parents=True, exist_ok=True)
    src.write_text("\n".join(pair[0]) + "\n", encoding="utf-8")
    tgt.write_text("\n".join(pair[1]) + "\n", encoding="utf-8")


def _cli_has_batch() -> bool:
    from align import cli

    make_parser = getattr(cli, "_parser", None)
    if make_parser is None:
        return False
    with contextlib.redirect_stderr(io.StringIO()), contextlib.redirect_stdout(io.StringIO()):
        try:
            make_parser().parse_args(["batch", "pairs", "--out", "out"])
        except SystemExit:
            return False
    return True


def run(*args: str | Path) -> int:
    """The command as a user runs it: through align.cli once it has ``batch``, else on its own."""
    argv = [str(a) for a in args]
    if _cli_has_batch():
        from align import cli

        return cli.main(["batch", *argv])
    return batch.main(argv)


def summary(out: Path) -> dict:
    return json.loads((out / batch.SUMMARY_FILE).read_text(encoding="utf-8"))


def by_name(data: dict) -> dict[str, dict]:
    return {r["name"]: r for r in data["results"]}


def assert_contract(path: Path, n_src: int, n_tgt: int) -> dict:
    data = json.loads(path.read_text(encoding="utf-8"))
    assert set(data) >= {"source", "target", "pairs", "issues", "signature"}
    assert len(data["source"]["segments"]) == n_src and len(data["target"]["segments"]) == n_tgt
    src = [i for p in data["pairs"] for i in p["src"]]
    tgt = [j for p in data["pairs"] for j in p["tgt"]]
    assert src == list(range(n_src)) and tgt == list(range(n_tgt))  # each once, in order
    return data


@pytest.fixture(scope="module", autouse=True)
def cache_dir(tmp_path_factory):
    folder = tmp_path_factory.mktemp("embedding-cache")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("ALIGN_CACHE_DIR", str(folder))
        yield folder


@pytest.fixture(scope="module")
def folder_run(tmp_path_factory):
    """One run over a src/ + tgt/ folder with two good pairs, an empty one and a lone file."""
    root = tmp_path_factory.mktemp("batch")
    pairs = root / "pairs"
    write_pair(pairs / "src" / "alps.txt", pairs / "tgt" / "alps.txt", ALPS)
    write_pair(pairs / "src" / "train.txt", pairs / "tgt" / "train.md", TRAIN)
    (pairs / "src" / "empty.txt").write_text("Ein Satz.\n", encoding="utf-8")
    (pairs / "tgt" / "empty.txt").write_text("\n\n", encoding="utf-8")
    (pairs / "src" / "lonely.txt").write_text("Niemand hat mich übersetzt.\n", encoding="utf-8")
    out = root / "out"
    stdout = io.StringIO()
    with contextlib.redirect_stdout(stdout):
        code = run(pairs, "--out", out, "--jobs", "2", "--presplit", "--src-lang", "de", "--tgt-lang", "fr")
    return code, out, stdout.getvalue()


def test_folder_run_writes_the_json_contract_and_tmx_per_pair(folder_run):
    code, out, _ = folder_run
    assert code == batch.EXIT_FAILED  # the empty pair failed
    alps = assert_contract(out / "alps.json", 4, 4)
    assert alps["source"]["lang"] == "de" and alps["target"]["lang"] == "fr"
    assert [(p["src"], p["tgt"]) for p in alps["pairs"]] == [([i], [i]) for i in range(4)]
    train = assert_contract(out / "train.json", 3, 3)
    assert any(i["kind"] == "number_mismatch" and i["src"] == [0] for i in train["issues"])
    memory = tmx.tmxfile((out / "alps.tmx").open("rb"))
    assert [u.source for u in memory.units] == ALPS[0]
    assert [u.target for u in memory.units] == ALPS[1]
    assert not (out / "empty.json").exists() and not (out / "lonely.json").exists()


def test_summary_counts_failures_with_reasons_and_issues_by_kind(folder_run):
    _, out, printed = folder_run
    data = summary(out)
    assert (data["pairs"], data["done"], data["skipped"], data["failed"]) == (3, 2, 0, 1)
    results = by_name(data)
    assert results["empty"]["status"] == "failed" and "empty" in results["empty"]["reason"]
    assert "\n" not in results["empty"]["reason"]
    assert results["alps"]["beads"] == 4
    assert data["issues_by_kind"]["number_mismatch"] >= 1
    assert data["issues_by_kind"] == {
        kind: sum(r["issues"].get(kind, 0) for r in data["results"]) for kind in data["issues_by_kind"]
    }
    assert [Path(p).name for p in data["unmatched"]] == ["lonely.txt"]
    assert "3 pairs: 2 done, 0 skipped" in printed
    assert f"empty  {results['empty']['reason']}" in printed
    assert "number_mismatch" in printed


def test_a_second_run_skips_finished_pairs_and_redoes_damaged_ones(folder_run, tmp_path):
    _, first_out, _ = folder_run
    out = tmp_path / "out"
    out.mkdir()
    for name in ("alps.json", "alps.tmx", ".alps.key", "train.tmx", ".train.key"):  # threads differ: no matter
        (out / name).write_bytes((first_out / name).read_bytes())
    (out / "train.json").write_text('{"source": {"lang": "de", "segm', encoding="utf-8")  # cut short
    (out / ".empty.json.999.tmp").write_text("{}", encoding="utf-8")  # a stray temporary file
    os.utime(out / "alps.json", (1_000_000_000, 1_000_000_000))
    pairs = first_out.parent / "pairs"
    with contextlib.redirect_stdout(io.StringIO()):
        code = run(pairs, "--out", out, "--jobs", "1", "--presplit", "--src-lang", "de", "--tgt-lang", "fr", "-q")
    assert code == batch.EXIT_FAILED
    results = by_name(summary(out))
    assert {n: r["status"] for n, r in results.items()} == {"alps": "skipped", "train": "done", "empty": "failed"}
    assert results["alps"]["issues"] == by_name(summary(first_out))["alps"]["issues"]  # read back
    assert (out / "alps.json").stat().st_mtime == 1_000_000_000  # untouched
    assert_contract(out / "train.json", 3, 3)
    assert not [p.name for p in out.iterdir() if p.name.endswith(".tmp") and p.name != ".empty.json.999.tmp"]


def test_manifest_with_ids_relative_paths_and_a_missing_file(tmp_path):
    write_pair(tmp_path / "texts" / "de" / "1.txt", tmp_path / "texts" / "fr" / "1.txt", ALPS)
    manifest = tmp_path / "lists" / "pairs.csv"
    manifest.parent.mkdir()
    manifest.write_text(
        "id,src,tgt\n"
        "# the id column may come first\n"
        "Alpen Tag 1,../texts/de/1.txt,../texts/fr/1.txt\n"
        "ghost,../texts/de/2.txt,../texts/fr/2.txt\n",
        encoding="utf-8",
    )
    out = tmp_path / "out"
    with contextlib.redirect_stdout(io.StringIO()):
        code = run(manifest, "--out", out, "--jobs", "1", "--presplit", "-q")
    assert code == batch.EXIT_FAILED
    results = by_name(summary(out))
    assert results["Alpen_Tag_1"]["status"] == "done"  # the id, made safe for a file name
    assert results["ghost"]["status"] == "failed" and "2.txt" in results["ghost"]["reason"]
    data = assert_contract(out / "Alpen_Tag_1.json", 4, 4)
    assert (data["source"]["lang"], data["target"]["lang"]) == ("de", "fr")  # detected


def test_headerless_tsv_manifest(tmp_path):
    write_pair(tmp_path / "a.de.txt", tmp_path / "a.fr.txt", TRAIN)
    manifest = tmp_path / "pairs.tsv"
    manifest.write_text("a.de.txt\ta.fr.txt\n\n", encoding="utf-8")
    assert batch.read_manifest(manifest) == [PairFiles("a.de", tmp_path / "a.de.txt", tmp_path / "a.fr.txt")]


def test_files_named_by_language_need_the_languages_given(tmp_path, capsys):
    write_pair(tmp_path / "pairs" / "trip.de.txt", tmp_path / "pairs" / "trip.fr.txt", TRAIN)
    (tmp_path / "pairs" / "notes.txt").write_text("not a pair\n", encoding="utf-8")
    out = tmp_path / "out"
    assert run(tmp_path / "pairs", "--out", out, "--presplit") == batch.EXIT_USAGE
    assert "--src-lang" in capsys.readouterr().err
    code = run(tmp_path / "pairs", "--out", out, "--presplit", "--src-lang", "fr", "--tgt-lang", "de", "-q", "--jobs", "1")
    assert code == batch.EXIT_OK
    data = assert_contract(out / "trip.json", 3, 3)
    assert data["source"]["segments"] == TRAIN[1]  # --src-lang fr: the French file is the original
    assert "1 pairs: 1 done" in capsys.readouterr().out


@pytest.mark.parametrize(
    "make_args, message",
    [
        (lambda d: [d / "nowhere", "--out", d / "out"], "no such manifest or folder"),
        (lambda d: [d, "--out", d / "out"], "no document pairs found"),
        (lambda d: [d, "--out", d / "out", "--jobs", "0"], "--jobs"),
        (lambda d: [d, "--out", d / "out", "--scheduler", "tcp://127.0.0.1:1"], "--engine dask"),
        (lambda d: [d, "--out", d / "out", "--src-lang", "xx"], "--src-lang 'xx' is not a language code"),
        (lambda d: [d, "--out", d / "out", "--tgt-lang", "sw"], "Swahili (sw), which the encoder does not cover"),
        (lambda d: [d, "--out", d / "out", "--engine", "dask", "--scheduler", "myhost"],
         "not a Dask scheduler address"),
        (lambda d: [d, "--out", d / "out", "--engine", "dask", "--scheduler", "http://host:8786"],
         "not a Dask scheduler address"),
    ],
)
def test_usage_errors_exit_2_with_one_line(tmp_path, capsys, make_args, message):
    if "no document" not in message:  # a pair to do: the option is what is wrong
        write_pair(tmp_path / "src" / "a.txt", tmp_path / "tgt" / "a.txt", TRAIN)
    assert run(*make_args(tmp_path)) == batch.EXIT_USAGE
    err = capsys.readouterr().err.strip()
    assert message in err and "\n" not in err and "Traceback" not in err
    assert not (tmp_path / "out").exists()  # found before anything is made


def test_two_pairs_with_one_name_are_refused(tmp_path, capsys):
    write_pair(tmp_path / "x" / "a.txt", tmp_path / "y" / "a.txt", TRAIN)
    manifest = tmp_path / "m.csv"
    manifest.write_text("src,tgt,id\nx/a.txt,y/a.txt,one\nx/a.txt,y/a.txt,one\n", encoding="utf-8")
    assert run(manifest, "--out", tmp_path / "out") == batch.EXIT_USAGE
    assert "one.json" in capsys.readouterr().err


def test_dask_engine_gives_the_same_results_as_the_pool(folder_run, tmp_path):
    from distributed import Client, LocalCluster

    _, local_out, _ = folder_run
    pairs = local_out.parent / "pairs"
    out = tmp_path / "out"
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        with contextlib.redirect_stdout(io.StringIO()):
            code = run(pairs, "--out", out, "--engine", "dask", "--scheduler", cluster.scheduler_address,
                       "--presplit", "--src-lang", "de", "--tgt-lang", "fr", "-q")
        with Client(cluster) as client:
            assert sum(client.nthreads().values()) == 2
    assert code == batch.EXIT_FAILED
    assert {n: r["status"] for n, r in by_name(summary(out)).items()} == {
        "alps": "done", "train": "done", "empty": "failed"}
    for name in ("alps", "train"):
        ours = json.loads((out / f"{name}.json").read_text(encoding="utf-8"))
        theirs = json.loads((local_out / f"{name}.json").read_text(encoding="utf-8"))
        assert ours == theirs


def test_unreachable_scheduler_is_a_usage_error(tmp_path, capsys):
    write_pair(tmp_path / "p" / "src" / "a.txt", tmp_path / "p" / "tgt" / "a.txt", TRAIN)
    code = run(tmp_path / "p", "--out", tmp_path / "out", "--engine", "dask", "--scheduler", "tcp://127.0.0.1:9")
    assert code == batch.EXIT_USAGE
    assert "cannot reach the Dask scheduler" in capsys.readouterr().err


# --- the scheduler, with a stand-in for the work -------------------------------------------------


def crash_on_boom(task: PairTask, options: Options) -> PairResult:
    """Kills its worker process for the pair named "boom"; echoes the input otherwise."""
    if task.name == "boom":
        os._exit(3)
    report = {"source": task.src_data.decode(), "issues": [{"kind": "echo"}]}
    return PairResult(task.name, report_json=json.dumps(report), tmx=task.tgt_data, issues={"echo": 1}, beads=1)


def test_a_pair_that_kills_its_worker_fails_alone(tmp_path):
    pairs = []
    for name in ("a", "boom", "b", "c", "d"):
        write_pair(tmp_path / "src" / f"{name}.txt", tmp_path / "tgt" / f"{name}.txt", ([name], [name.upper()]))
        pairs.append(PairFiles(name, tmp_path / "src" / f"{name}.txt", tmp_path / "tgt" / f"{name}.txt"))
    out = tmp_path / "out"
    out.mkdir()
    options = Options(threads=1)
    seen = []
    outcomes = batch.run_batch(pairs, out, options, batch.local_executors(options), limit=2,
                               on_outcome=seen.append, work=crash_on_boom)
    assert [(o.name, o.status) for o in outcomes] == [
        ("a", "done"), ("boom", "failed"), ("b", "done"), ("c", "done"), ("d", "done")]
    assert "worker process died" in outcomes[1].reason
    assert sorted(o.name for o in seen) == ["a", "b", "boom", "c", "d"]  # each reported once
    assert json.loads((out / "c.json").read_text())["source"] == "c\n"
    assert (out / "c.tmx").read_bytes() == b"C\n"


def test_write_atomically_replaces_whole_files_and_leaves_no_temporary(tmp_path):
    target = tmp_path / "x.json"
    target.write_text("old")
    batch.write_atomically(target, b"new")
    assert target.read_bytes() == b"new"
    assert [p.name for p in tmp_path.iterdir()] == ["x.json"]
    (tmp_path / ".x.key").write_text('{"key": "key"}')
    assert batch.finished_outcome(tmp_path, "x", "key") is None  # no TMX beside it: not finished


# --- resume only what is unchanged ---------------------------------------------------------------


def test_the_result_key_follows_every_option_that_changes_results_and_not_threads():
    from dataclasses import fields, replace

    task = PairTask("a", "a.txt", b"Ein Satz.\n", "a.txt", b"Une phrase.\n")
    base = Options(src_lang="de", tgt_lang="fr", stamp="code and dictionaries")
    changed = {"src_lang": "pl", "tgt_lang": "en", "model": "labse", "presplit": True,
               "glossary": batch.GlossaryFile("terms.csv", b"source,target\nGipfel,sommet\n"), "dictionary": False,
               "stamp": "other code or dictionaries"}
    assert set(changed) == {f.name for f in fields(Options)} - {"threads"}  # a new option must be listed here
    key = batch.result_key(task, base)
    assert batch.result_key(task, replace(base, threads=3)) == key  # how fast, not what comes out
    for option, value in changed.items():
        assert batch.result_key(task, replace(base, **{option: value})) != key, option
    assert batch.result_key(replace(task, tgt_data=b"Une autre phrase.\n"), base) != key
    assert batch.result_key(replace(task, src_name="a.md"), base) != key  # read as Markdown


def quiet_run(*args: str | Path) -> tuple[int, str]:
    stdout = io.StringIO()
    with contextlib.redirect_stdout(stdout):
        code = run(*args, "--jobs", "1", "--presplit", "--src-lang", "de", "--tgt-lang", "fr", "-q")
    return code, stdout.getvalue()


def statuses(out: Path) -> dict[str, str]:
    return {n: "redone" if r.get("redone") else r["status"] for n, r in by_name(summary(out)).items()}


def test_a_rerun_redoes_the_pairs_whose_inputs_or_options_changed(tmp_path):
    write_pair(tmp_path / "p" / "src" / "alps.txt", tmp_path / "p" / "tgt" / "alps.txt", ALPS)
    write_pair(tmp_path / "p" / "src" / "train.txt", tmp_path / "p" / "tgt" / "train.txt", TRAIN)
    pairs, out = tmp_path / "p", tmp_path / "out"
    assert quiet_run(pairs, "--out", out)[0] == batch.EXIT_OK
    fixed = [line.replace("9 heures", "7 heures") for line in TRAIN[1]]
    (pairs / "tgt" / "train.txt").write_text("\n".join(fixed) + "\n", encoding="utf-8")
    code, printed = quiet_run(pairs, "--out", out)
    assert code == batch.EXIT_OK and statuses(out) == {"alps": "skipped", "train": "redone"}
    assert "1 done (1 redone: inputs, options, code or dictionaries changed), 1 skipped" in printed
    assert summary(out)["redone"] == 1
    assert not json.loads((out / "train.json").read_text(encoding="utf-8"))["issues"]  # the new report
    assert quiet_run(pairs, "--out", out, "--no-dictionary")[0] == batch.EXIT_OK
    assert statuses(out) == {"alps": "redone", "train": "redone"}
    glossary = tmp_path / "terms.csv"
    glossary.write_text("source,target\nGipfel,sommet\n", encoding="utf-8")
    quiet_run(pairs, "--out", out, "--no-dictionary", "--glossary", glossary)
    assert statuses(out) == {"alps": "redone", "train": "redone"}
    glossary.write_text("source,target\nGipfel,cime\n", encoding="utf-8")  # same file, new contents
    quiet_run(pairs, "--out", out, "--no-dictionary", "--glossary", glossary)
    assert statuses(out) == {"alps": "redone", "train": "redone"}
    assert any(i["kind"] == "glossary" for i in json.loads((out / "alps.json").read_text(encoding="utf-8"))["issues"])
    code, printed = quiet_run(pairs, "--out", out, "--no-dictionary", "--glossary", glossary)
    assert statuses(out) == {"alps": "skipped", "train": "skipped"} and "redone" not in printed


def test_outputs_cut_short_by_a_crash_are_not_taken_for_finished(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    result = PairResult("a", report_json='{"issues": []}', tmx=b"<tmx/>")
    batch._save(out, result, "old")
    assert batch.finished_outcome(out, "a", "old") == batch.Outcome("a", "skipped", issues={})
    (out / ".a.key").write_text("stale", encoding="utf-8")  # as if a crash came after the new TMX
    assert batch.finished_outcome(out, "a", "old") is None


# --- the run's own files -------------------------------------------------------------------------


@pytest.mark.parametrize("layout", ["manifest id", "folder file", "other case"])
def test_no_pair_can_take_the_name_of_the_run_summary(tmp_path, capsys, layout):
    if layout == "folder file":
        write_pair(tmp_path / "p" / "src" / "summary.txt", tmp_path / "p" / "tgt" / "summary.txt", TRAIN)
        pairs = tmp_path / "p"
    else:
        write_pair(tmp_path / "d0.de.txt", tmp_path / "d0.fr.txt", TRAIN)
        pairs = tmp_path / "m.csv"
        pairs.write_text(f"d0.de.txt,d0.fr.txt,{'summary' if layout == 'manifest id' else 'Summary'}\n")
    assert run(pairs, "--out", tmp_path / "out", "-q") == batch.EXIT_USAGE
    err = capsys.readouterr().err.strip()
    assert "summary.json" in err and "\n" not in err and "Traceback" not in err
    assert not (tmp_path / "out" / "summary.json").exists()


# --- Ctrl-C and a killed driver ------------------------------------------------------------------

# The command as a user runs it, with a stand-in for the work: pair "a" takes a minute, the others
# none, so that a signal surely finds one worker inside a pair and the other idle, waiting for work.
SLOW_DRIVER = """
import os, sys, time
from align import batch, cli

def slow_a(task, options):
    with open(sys.argv[1], "a") as marker:
        marker.write(f"{os.getpid()} {task.name}\\n")
    if task.name == "a":
        time.sleep(60)
    return batch.PairResult(task.name, report_json='{"issues": []}')

batch.run_batch.__kwdefaults__["work"] = slow_a
sys.exit(cli.main(["batch", *sys.argv[2:]]))
"""


def running(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] not in ("Z", "X")  # an orphan may wait unreaped


def ours(pid: int) -> bool:
    """Whether ``pid`` still runs SLOW_DRIVER (and is not a process that took its number since)."""
    with contextlib.suppress(OSError):
        return running(pid) and "slow_a" in Path(f"/proc/{pid}/cmdline").read_text()
    return False


def _default_ctrl_c() -> None:
    import signal

    signal.signal(signal.SIGINT, signal.SIG_DFL)


@contextlib.contextmanager
def slow_batch(tmp_path):
    """A batch driver (its own process group) with a worker inside a pair and another idle."""
    import subprocess
    import sys
    import time

    if not sys.platform.startswith("linux"):
        pytest.skip("reads /proc and relies on fork")
    for name in ("a", "b", "c"):
        write_pair(tmp_path / "p" / "src" / f"{name}.txt", tmp_path / "p" / "tgt" / f"{name}.txt", TRAIN)
    marker = tmp_path / "started"
    argv = [sys.executable, "-c", SLOW_DRIVER, marker, tmp_path / "p", "--out", tmp_path / "out", "--jobs", "2",
            "--presplit", "--src-lang", "de", "--tgt-lang", "fr", "-q"]
    # A shell starts a background job with Ctrl-C ignored, and a CI runner may start the tests so:
    # the driver, like a command typed at a terminal, must have Ctrl-C's default handling.
    driver = subprocess.Popen([str(a) for a in argv], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                              start_new_session=True, preexec_fn=_default_ctrl_c)
    workers: set[int] = set()
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and driver.poll() is None:
            calls = marker.read_text().split("\n")[:-1] if marker.exists() else []
            workers = {int(call.split()[0]) for call in calls}
            if len(calls) == 3 and (tmp_path / "out" / "c.json").exists():  # b and c done: one worker idle
                break
            time.sleep(0.1)
        else:
            pytest.fail(f"the workers did not start: {driver.poll()=}")
        assert len(workers) == 2
        yield driver, workers
    finally:
        for pid in [driver.pid, *workers]:
            if ours(pid):
                os.kill(pid, 9)
        driver.communicate()


def test_ctrl_c_prints_one_line_and_stops_the_workers_at_once(tmp_path):
    import signal
    import time

    with slow_batch(tmp_path) as (driver, workers):
        os.killpg(driver.pid, signal.SIGINT)
        started = time.monotonic()
        _, err = driver.communicate(timeout=30)
        assert time.monotonic() - started < 15  # not after the workers' minute-long pairs
        assert driver.returncode == batch.EXIT_USAGE
        assert err.strip() == "align: interrupted", err
        assert not [pid for pid in workers if running(pid)]


def test_workers_of_a_killed_driver_quit(tmp_path):
    import time

    with slow_batch(tmp_path) as (driver, workers):
        os.kill(driver.pid, 9)
        deadline = time.monotonic() + 10
        while any(running(pid) for pid in workers) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not [pid for pid in workers if running(pid)]


@pytest.mark.skipif(sys.platform != "linux", reason="forked workers are the Linux default")
def test_workers_forked_after_language_detection_in_the_driver_do_not_hang(tmp_path):
    # lingua's parallel detection keeps a thread pool that a forked worker inherits without its
    # threads: a worker that detected again then waited forever (and so did a test suite that had
    # detected a language before running a batch). Run in a fresh interpreter, bounded in time.
    write_pair(tmp_path / "src" / "alps.txt", tmp_path / "tgt" / "alps.txt", ALPS)
    write_pair(tmp_path / "src" / "train.txt", tmp_path / "tgt" / "train.txt", TRAIN)
    script = (
        "import sys\n"
        "from align.language import detect_languages\n"
        "from align import batch\n"
        f"detect_languages([{ALPS[0][0]!r}, {ALPS[0][1]!r}])\n"
        f"sys.exit(batch.main([{str(tmp_path)!r}, '--out', {str(tmp_path / 'out')!r}, '--jobs', '2', '--presplit']))\n"
    )
    run = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                           env={**os.environ, "ALIGN_CACHE_DIR": str(tmp_path / "cache")}, start_new_session=True)
    try:
        _, err = run.communicate(timeout=240)
    except subprocess.TimeoutExpired:
        os.killpg(run.pid, 9)  # the hung workers too: they hold the interpreter lock and never see the driver go
        run.communicate()
        pytest.fail("the batch hung")
    assert run.returncode == 0, err[-2000:]
    assert sorted(p.name for p in (tmp_path / "out").glob("*.json")) == ["alps.json", "summary.json", "train.json"]


# --- results as 'align check' gives them ---------------------------------------------------------

# A termbase that lists French before German, as many do: read in the first two languages it names,
# its entry would run French -> German, and not one German original would be checked against it.
FRENCH_FIRST_TBX = """<?xml version="1.0" encoding="UTF-8"?>
<martif type="TBX" xml:lang="fr"><text><body>
 <termEntry id="t1">
  <langSet xml:lang="fr"><tig><term>cime</term></tig></langSet>
  <langSet xml:lang="de"><tig><term>Gipfel</term></tig></langSet>
 </termEntry>
</body></text></martif>
"""


def test_a_tbx_glossary_is_read_in_the_languages_of_each_pair(tmp_path):
    write_pair(tmp_path / "src" / "alps.txt", tmp_path / "tgt" / "alps.txt", ALPS)
    (tmp_path / "terms.tbx").write_text(FRENCH_FIRST_TBX, encoding="utf-8")
    out = tmp_path / "out"
    with contextlib.redirect_stdout(io.StringIO()):  # the languages are detected: de -> fr
        code = run(tmp_path, "--out", out, "--glossary", tmp_path / "terms.tbx", "--presplit", "--jobs", "1", "-q")
    assert code == batch.EXIT_OK
    report = json.loads((out / "alps.json").read_text(encoding="utf-8"))
    assert (report["source"]["lang"], report["target"]["lang"]) == ("de", "fr")
    found = [i for i in report["issues"] if i["kind"] == "glossary"]
    assert len(found) == 1 and "cime" in found[0]["message"] and found[0]["src"] == [0]


def test_warnings_are_printed_and_kept_for_skipped_pairs(tmp_path):
    write_pair(tmp_path / "src" / "same.txt", tmp_path / "tgt" / "same.txt", (ALPS[0], ALPS[0]))
    write_pair(tmp_path / "src" / "train.txt", tmp_path / "tgt" / "train.txt", TRAIN)
    out = tmp_path / "out"
    printed = []
    for _ in range(2):
        stdout = io.StringIO()
        with contextlib.redirect_stdout(stdout):
            assert run(tmp_path, "--out", out, "--presplit", "--jobs", "1", "-q") == batch.EXIT_OK
        printed.append(stdout.getvalue())
        results = by_name(summary(out))
        assert [n for n, r in results.items() if r["notes"]] == ["same"]
        assert "both in German (de)" in results["same"]["notes"][0]
    assert statuses(out) == {"same": "skipped", "train": "skipped"}  # the second run read them back
    assert results["same"]["beads"] == 4
    for text in printed:
        warned = text.split("\nwarnings:\n", 1)[1]
        assert warned.startswith("  same  source and target are both in German (de)"), text


def test_one_language_given_twice_for_files_named_by_language_is_a_usage_error(tmp_path, capsys):
    write_pair(tmp_path / "p" / "doc.de.txt", tmp_path / "p" / "doc.fr.txt", TRAIN)
    code = run(tmp_path / "p", "--out", tmp_path / "out", "--src-lang", "de", "--tgt-lang", "DE", "-q")
    assert code == batch.EXIT_USAGE
    assert "--src-lang and --tgt-lang are both 'de'" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


def test_a_failure_says_which_side_failed(folder_run, tmp_path):
    _, out, printed = folder_run
    assert by_name(summary(out))["empty"]["reason"] == "the translation empty.txt is empty"
    assert "empty  the translation empty.txt is empty" in printed
    (tmp_path / "a.txt").write_text("Ein Satz.\n", encoding="utf-8")
    with pytest.raises(batch.InputError, match=r"^cannot read the translation .*missing\.txt \(No such file"):
        batch._task(PairFiles("a", tmp_path / "a.txt", tmp_path / "missing.txt"))


# --- finding the pairs ---------------------------------------------------------------------------


def test_two_files_for_one_name_and_language_are_refused_whatever_the_listing_order(tmp_path, monkeypatch):
    write_pair(tmp_path / "doc.de.txt", tmp_path / "doc.fr.txt", TRAIN)
    (tmp_path / "doc.de.md").write_text("\n".join(ALPS[0]) + "\n", encoding="utf-8")
    listed = Path.iterdir
    monkeypatch.setattr(Path, "iterdir", lambda folder: iter(sorted(listed(folder), reverse=True)))
    with pytest.raises(batch.InputError, match="doc.de.md and doc.de.txt have the same name; keep one"):
        batch.find_pairs(tmp_path, "de", "fr")
    (tmp_path / "doc.en.txt").write_text("\n".join(TRAIN[1]) + "\n", encoding="utf-8")
    pairs, unmatched = batch.find_pairs(tmp_path, "en", "fr")  # the twins are not the files asked for
    assert pairs == [PairFiles("doc", tmp_path / "doc.en.txt", tmp_path / "doc.fr.txt")] and not unmatched


def test_names_match_in_any_unicode_form_and_what_is_left_out_is_shown(tmp_path, capsys):
    import unicodedata

    name = "Łódź_rozdział"
    write_pair(tmp_path / "p" / "src" / f"{name}.txt",
               tmp_path / "p" / "tgt" / f"{unicodedata.normalize('NFD', name)}.txt", TRAIN)  # copied from a Mac
    write_pair(tmp_path / "p" / "src" / "part2" / "ch2.txt", tmp_path / "p" / "tgt" / "part2" / "ch2.txt", ALPS)
    (tmp_path / "p" / "src" / "lonely.txt").write_text("Niemand hat mich übersetzt.\n", encoding="utf-8")
    out = tmp_path / "p" / "out"  # a sub-folder of the input folder: neither read nor warned about
    code = run(tmp_path / "p", "--out", out, "--presplit", "--src-lang", "de", "--tgt-lang", "fr", "--jobs", "1", "-q")
    assert code == batch.EXIT_OK  # the pairs found were done; left-out files are listed, as documented
    printed = capsys.readouterr()
    assert {n: r["status"] for n, r in by_name(summary(out)).items()} == {name: "done"}
    assert summary(out)["unmatched"] == [str(tmp_path / "p" / "src" / "lonely.txt")]
    assert f"left out (no matching file on the other side):\n  {tmp_path / 'p' / 'src' / 'lonely.txt'}" in printed.out
    for side in ("src", "tgt"):
        assert f"{tmp_path / 'p' / side / 'part2'}: sub-folders are not searched" in printed.err
    assert "out: sub-folders" not in printed.err


@pytest.mark.parametrize(
    "file_name, data",
    [
        ("semicolons.csv", "src;tgt;id\nde/a.txt;fr/a.txt;one\n".encode()),  # Excel in a Polish or German locale
        ("excel.csv", "sep=;\nsource;target;id\nde/a.txt;fr/a.txt;one\n".encode()),
        ("capitals.csv", "\ufeffSource,Target,ID\r\nde/a.txt,fr/a.txt,one\r\n".encode()),
        ("unicode.txt", "src\ttgt\tid\r\nde/a.txt\tfr/a.txt\tone\r\n".encode("utf-16")),  # Excel's "Unicode text"
    ],
)
def test_manifests_as_excel_writes_them(tmp_path, file_name, data):
    (tmp_path / file_name).write_bytes(data)
    assert batch.read_manifest(tmp_path / file_name) == [PairFiles("one", tmp_path / "de/a.txt", tmp_path / "fr/a.txt")]


def test_a_manifest_in_a_code_page_keeps_its_letters(tmp_path):
    manifest = tmp_path / "pairs.csv"
    text = 'src,tgt\n"katalog z spacją/źródło ą.txt","katalog z spacją/tłumaczenie.txt"\n'
    manifest.write_bytes(text.encode("cp1250"))  # as Excel saves "CSV" on a Polish Windows
    folder = tmp_path / "katalog z spacją"
    expected = PairFiles("źródło ą", folder / "źródło ą.txt", folder / "tłumaczenie.txt")
    assert batch.read_manifest(manifest) == [expected]


@pytest.mark.parametrize("header, missing", [("src,id", "tgt or target"), ("Target;ID", "src or source")])
def test_a_header_naming_one_path_column_is_an_error(tmp_path, header, missing):
    manifest = tmp_path / "pairs.csv"
    manifest.write_text(f"{header}\na.txt,one\n", encoding="utf-8")
    with pytest.raises(batch.InputError, match=f"^pairs.csv, line 1: the header has no {missing} column$"):
        batch.read_manifest(manifest)


def test_a_text_given_for_a_manifest_is_a_usage_error(tmp_path, capsys):
    text = tmp_path / "notes.txt"
    text.write_text("Anna works as a teacher, in Kraków.\nShe has, as they say, a cat.\n", encoding="utf-8")
    assert run(text, "--out", tmp_path / "out", "-q") == batch.EXIT_USAGE
    assert "none of the files it lists exists" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("layout", ["src and tgt", "named by language"])
def test_out_may_not_be_an_input_folder(tmp_path, capsys, layout):
    if layout == "src and tgt":
        write_pair(tmp_path / "src" / "ch1.txt", tmp_path / "tgt" / "ch1.txt", TRAIN)
        out = tmp_path / "tgt"
    else:
        write_pair(tmp_path / "ch1.de.txt", tmp_path / "ch1.fr.txt", TRAIN)
        out = tmp_path
    before = sorted(tmp_path.rglob("*"))
    assert run(tmp_path, "--out", out, "--src-lang", "de", "--tgt-lang", "fr", "-q") == batch.EXIT_USAGE
    assert "is an input folder" in capsys.readouterr().err
    assert sorted(tmp_path.rglob("*")) == before


def test_long_names_fit_their_temporary_files_or_are_refused_up_front(tmp_path):
    longest = "x" * 244  # NAME.json.stale, the longest name a pair's files get, has 255 bytes: the most allowed
    batch._save(tmp_path, PairResult(longest, report_json='{"issues": []}', tmx=b"<tmx/>"), "key")
    assert batch.finished_outcome(tmp_path, longest, "key") is not None
    failed = batch._set_aside(tmp_path, batch.Outcome(longest, "failed", reason="why"))
    assert failed.set_aside == (f"{longest}.json.stale", f"{longest}.tmx.stale")
    too_long = PairFiles("ł" * 122 + "x", tmp_path / "a.txt", tmp_path / "b.txt")  # 245 bytes in UTF-8
    with pytest.raises(batch.InputError, match="the pair's name is 245 bytes long"):
        batch._checked_names([too_long])


# --- a pair that fails, a rerun, an interrupted run ----------------------------------------------


def test_a_pair_that_fails_on_a_rerun_has_its_earlier_outputs_set_aside(tmp_path):
    write_pair(tmp_path / "p" / "src" / "a.txt", tmp_path / "p" / "tgt" / "a.txt", TRAIN)
    out = tmp_path / "out"
    assert quiet_run(tmp_path / "p", "--out", out)[0] == batch.EXIT_OK
    report = (out / "a.json").read_bytes()
    (tmp_path / "p" / "tgt" / "a.txt").write_text("", encoding="utf-8")  # the translation replaced
    code, printed = quiet_run(tmp_path / "p", "--out", out)
    assert code == batch.EXIT_FAILED
    assert sorted(p.name for p in out.iterdir()) == ["a.json.stale", "a.tmx.stale", "summary.json"]
    assert (out / "a.json.stale").read_bytes() == report  # kept, under a name nothing takes for current
    assert by_name(summary(out))["a"]["set_aside"] == ["a.json.stale", "a.tmx.stale"]
    assert "a  the translation a.txt is empty (earlier outputs renamed a.json.stale, a.tmx.stale)" in printed


def test_the_resources_stamp_follows_the_installed_dictionaries_and_the_code(tmp_path, monkeypatch):
    from align import checks, lexicon

    monkeypatch.setattr(lexicon, "DICTD_DIR", tmp_path)
    before = batch.resources_stamp(True), batch.resources_stamp(False)
    for suffix in ("index", "dict.dz"):
        (tmp_path / f"freedict-deu-fra.{suffix}").write_bytes(b"installed")
    assert batch.resources_stamp(True) != before[0]
    assert batch.resources_stamp(False) == before[1]  # --no-dictionary: they make no difference
    monkeypatch.setattr(checks, "code_fingerprint", lambda: "edited")
    assert batch.resources_stamp(False) != before[1]


def test_a_rerun_redoes_the_pairs_made_by_other_code(tmp_path, monkeypatch):
    from align import checks

    write_pair(tmp_path / "p" / "src" / "train.txt", tmp_path / "p" / "tgt" / "train.txt", TRAIN)
    out = tmp_path / "out"
    quiet_run(tmp_path / "p", "--out", out, "--no-dictionary")
    quiet_run(tmp_path / "p", "--out", out, "--no-dictionary")
    assert statuses(out) == {"train": "skipped"}
    monkeypatch.setattr(checks, "code_fingerprint", lambda: "align, edited")
    quiet_run(tmp_path / "p", "--out", out, "--no-dictionary")
    assert statuses(out) == {"train": "redone"}


# A stand-in for the work, for the scheduler's tests: each pair is echoed, but "boom" kills its
# process (as the out-of-memory killer would) and "stop" is interrupted (as by Ctrl-C).
CRASHING_DRIVER = """
import os, sys
from align import batch, cli

def echo_or_crash(task, options):
    with open(sys.argv[1], "a") as marker:
        marker.write(task.name + "\\n")
    if task.name == "boom":
        os._exit(3)
    return batch.PairResult(task.name, report_json='{"issues": []}', tmx=b"<tmx/>")

batch.run_batch.__kwdefaults__["work"] = echo_or_crash
sys.exit(cli.main(["batch", *sys.argv[2:]]))
"""


def test_with_one_job_a_pair_that_kills_its_process_fails_alone(tmp_path):
    for name in ("a", "boom", "c"):
        write_pair(tmp_path / "p" / "src" / f"{name}.txt", tmp_path / "p" / "tgt" / f"{name}.txt", TRAIN)
    marker, out = tmp_path / "started", tmp_path / "out"
    argv = [sys.executable, "-c", CRASHING_DRIVER, marker, tmp_path / "p", "--out", out, "--jobs", "1", "-q"]
    done = subprocess.run([str(a) for a in argv], capture_output=True, text=True, timeout=120)
    assert done.returncode == batch.EXIT_FAILED, done.stderr[-2000:]
    results = by_name(summary(out))
    assert {n: r["status"] for n, r in results.items()} == {"a": "done", "boom": "failed", "c": "done"}
    assert "worker process died" in results["boom"]["reason"]
    assert marker.read_text().split() == ["a", "boom", "c"]  # alone in flight: not tried twice


def interrupted_at_stop(task: PairTask, options: Options) -> PairResult:
    if task.name == "stop":
        raise KeyboardInterrupt  # reaches the driver as Ctrl-C would
    return PairResult(task.name, report_json='{"issues": []}', tmx=b"<tmx/>", beads=1)


def test_an_interrupted_run_writes_the_summary_of_the_pairs_it_finished(tmp_path, monkeypatch, capsys):
    for name in ("a", "stop", "z"):
        write_pair(tmp_path / "p" / "src" / f"{name}.txt", tmp_path / "p" / "tgt" / f"{name}.txt", TRAIN)
    monkeypatch.setitem(batch.run_batch.__kwdefaults__, "work", interrupted_at_stop)
    out = tmp_path / "out"
    assert run(tmp_path / "p", "--out", out, "--jobs", "1", "-q") == batch.EXIT_USAGE
    assert capsys.readouterr().err.strip() == "align: interrupted"
    data = summary(out)
    assert (data["pairs"], data["done"], data["interrupted"], data["unfinished"]) == (3, 1, True, ["stop", "z"])
    assert [r["name"] for r in data["results"]] == ["a"]
