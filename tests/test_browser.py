"""End to end in a real browser: Chromium (Debian's package) driven by Playwright.

Starts ``streamlit run app.py`` on a free port with a temporary store and embedding cache, opens
the demo, applies the Latushko -> Latushka fix on the Names page, downloads the corrected
translation from the Export page and checks it, and saves a screenshot. Along the way it
measures (and prints, never asserts) the warm opening time of the demo and the round trip of an
edit on a ~500-pair project, and writes them to bench/out/browser_timings.json.

    python -m pytest tests/test_browser.py -m browser -s
"""

from __future__ import annotations

import json
import os
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from datetime import datetime, timezone
from pathlib import Path

import pytest

from align import review
from align.embed import load_encoder
from align.store import Store
from tests.browser.long_demo import make_long_demo

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
REPO = Path(__file__).resolve().parent.parent
TIMINGS = REPO / "bench" / "out" / "browser_timings.json"
VIEWPORT = {"width": 1500, "height": 1000}
EDITS = 8  # round trips timed

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Chromium at /usr/bin/chromium (apt-get install -y chromium)"),
]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_healthy(url: str, server: subprocess.Popen, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"streamlit exited with code {server.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as answer:
                if answer.read().strip() == b"ok":
                    return
        except OSError:
            time.sleep(0.3)
    raise TimeoutError(f"streamlit did not answer at {url} within {timeout} s")


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    """A running app with the demo project and a ~500-pair project in its store."""
    folder = tmp_path_factory.mktemp("browser")
    cache = tmp_path_factory.getbasetemp() / "align-cache"  # shared with the other app tests
    env = dict(os.environ, ALIGN_STORE=str(folder / "projects.sqlite3"), ALIGN_CACHE_DIR=str(cache))
    store = Store(env["ALIGN_STORE"])
    demo = review.open_demo(store, encoder=load_encoder(cache_dir=cache))
    long = make_long_demo(store, demo, copies=4)
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true",
         "--server.port", str(port), "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false"],
        cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_healthy(url, server)
        yield {"url": url, "store": store, "demo": demo, "long": long, "folder": folder}
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()


@pytest.fixture(scope="module")
def browser():
    playwright = pytest.importorskip("playwright.sync_api")
    with playwright.sync_playwright() as driver:
        chromium = driver.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


# Timed inside the page (performance.now, checked every animation frame), so the figures hold no
# round trips between the test and the browser.
UNTIL_DRAWN = """async (rows) => {
  const drawn = () => document.querySelectorAll('[id^=pair-]').length >= rows
    && !document.querySelector('[data-testid=stSkeleton]')
    && [...document.querySelectorAll('button')].some(b => b.innerText.includes('Undo last edit'));
  while (!drawn()) await new Promise(r => requestAnimationFrame(r));
  return performance.now();
}"""
CLICK_UNTIL = """async ([label, done]) => {
  const start = performance.now();
  [...document.querySelectorAll('button, [role=menuitem]')].find(b => b.innerText.includes(label)).click();
  const finished = new Function('return ' + done);
  while (!finished()) {
    if (performance.now() - start > 120000) throw new Error('no change after clicking ' + label);
    await new Promise(r => requestAnimationFrame(r));
  }
  return performance.now() - start;
}"""


def open_review(page, url: str, rows: int) -> float:
    """Open the app; seconds from navigation until the table's rows and every widget on screen
    are drawn."""
    page.goto(url, wait_until="commit")
    return page.evaluate(UNTIL_DRAWN, rows) / 1000


def settle(page) -> None:
    """Wait until the app is idle (no script run in progress)."""
    page.wait_for_function(
        "document.querySelector('[data-testid=stApp]')?.dataset.testScriptState !== 'running'", timeout=120_000
    )


def test_demo_name_fix_download_and_timings(app, browser, tmp_path):
    url, store = app["url"], app["store"]
    page = browser.new_page(viewport=VIEWPORT, accept_downloads=True)

    # First visit: the server starts loading the encoder and draws the demo (cold).
    cold = open_review(page, url, review.PAGE_SIZE)
    assert page.locator("mark.sev-medium", has_text="Latushko").count() == 1
    # Warm: the running server opens the saved demo again, in a browser that has the app's
    # scripts cached (as for anyone's second visit).
    context = browser.new_context(viewport=VIEWPORT)
    open_review(context.new_page(), url, review.PAGE_SIZE)
    warm = []
    for _ in range(3):
        tab = context.new_page()
        warm.append(open_review(tab, url, review.PAGE_SIZE))
        tab.close()
    context.close()
    # Edits on the long project, before any edit starts a background re-check.
    timings = review_round_trips(browser, url, app["long"], store)

    # The names fix, on the Names page.
    page.get_by_role("link", name="Names").click()
    apply = page.get_by_role("button", name="Apply “Latushka” to the whole translation")
    apply.wait_for(timeout=60_000)
    page.locator("del", has_text="Latushko").wait_for()
    apply.click()
    page.get_by_text("Replaced 'Latushko' with 'Latushka' in 1 sentence.").wait_for(timeout=60_000)
    settle(page)
    assert "Latushko" not in store.corrected_target_text(app["demo"])

    # The corrected translation, downloaded from the Export page.
    page.get_by_role("link", name="Export").click()
    button = page.get_by_role("button", name="Corrected translation (text)")
    button.wait_for(timeout=60_000)
    with page.expect_download(timeout=60_000) as download:
        button.click()
    saved = tmp_path / download.value.suggested_filename
    download.value.save_as(saved)
    text = saved.read_text(encoding="utf-8")
    assert "Latushko" not in text and text.count("Latushka") == 4
    assert text.startswith("top of page")

    # Back on the Review page: the flag is gone from the table.
    page.get_by_role("link", name="Review").click()
    page.wait_for_function(f"document.querySelectorAll('[id^=pair-]').length >= {review.PAGE_SIZE}", timeout=60_000)
    assert page.locator("mark", has_text="Latushko").count() == 0
    shot = tmp_path / "review.png"
    page.screenshot(path=str(shot), full_page=False)
    assert shot.stat().st_size > 10_000

    # A comment typed and not yet sent: no key pressed in its box may leave the pair and drop it
    # (a button shortcut fires before the box's text reaches the server: Alt+Down was Next's).
    page.get_by_role("button", name="5", exact=True).click()
    box = page.get_by_label("Comment")
    box.wait_for(timeout=60_000)
    box.fill("Check the date with the author")
    box.press("Alt+ArrowDown")
    settle(page)
    page.wait_for_timeout(500)
    assert page.locator("#pair-5.selected").count() == 1  # still on the pair (rows are numbered from 1)
    assert page.get_by_label("Comment").input_value() == "Check the date with the author"
    page.locator(".st-key-next button").click()  # leaving the pair saves what was typed
    page.wait_for_function("document.querySelector('#pair-6.selected') !== null", timeout=60_000)
    assert store.load(app["demo"]).comments[4] == "Check the date with the author"
    page.close()

    timings.update(merge_round_trip(browser, url, app["long"], store))
    timings.update({
        "demo_open_cold_s": round(cold, 2),
        "demo_open_warm_s": round(statistics.median(warm), 2),
        "demo_open_warm_runs_s": [round(t, 2) for t in warm],
        "measured": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "load_average_1min": round(os.getloadavg()[0], 2),
        "cpus": os.cpu_count(),
        "screenshot": str(shot),
    })
    TIMINGS.parent.mkdir(parents=True, exist_ok=True)
    TIMINGS.write_text(json.dumps(timings, indent=2) + "\n")
    print("\nbrowser timings:", json.dumps(timings, indent=2))


def review_round_trips(browser, url: str, project: int, store: Store) -> dict:
    """Open the ~500-pair project and time "Reviewed, next pair" from the click until the page
    shows the pair reviewed and the next one open."""
    page = browser.new_page(viewport=VIEWPORT)
    open_s = open_review(page, f"{url}/?project={project}", review.PAGE_SIZE)
    page.get_by_role("button", name="3", exact=True).click()
    confirm = page.get_by_role("button", name="Reviewed, next pair")
    confirm.wait_for(timeout=60_000)
    settle(page)
    times = []
    for k in range(EDITS):  # marks pair 3 + k reviewed, opens the next pair
        done = (f"document.getElementById('pair-{3 + k}')?.classList.contains('reviewed')"
                f" && !!document.querySelector('#pair-{4 + k}.selected')")
        times.append(page.evaluate(CLICK_UNTIL, ["Reviewed, next pair", done]) / 1000)
        settle(page)
    # The table redraws on its own after these edits: its head must still follow them.
    pairs = store.load(project).info.beads
    page.get_by_text(f"{EDITS} of {pairs} pairs reviewed").wait_for(timeout=60_000)
    page.close()
    assert all(store.load(project).reviewed[2 : 2 + EDITS])
    return {
        "long_project_pairs": store.load(project).info.beads,
        "long_project_open_s": round(open_s, 2),
        "edit_round_trip_ms": [round(1000 * t) for t in times],
        "edit_round_trip_median_ms": round(1000 * statistics.median(times)),
    }


def merge_round_trip(browser, url: str, project: int, store: Store) -> dict:
    """Time a merge on the long project: from the click until the table shows one pair less."""
    page = browser.new_page(viewport=VIEWPORT)
    pairs = store.load(project).info.beads
    open_review(page, f"{url}/?project={project}", review.PAGE_SIZE)
    page.get_by_role("button", name="20", exact=True).click()
    menu = page.get_by_role("button", name="Alignment")
    menu.wait_for(timeout=60_000)
    settle(page)
    menu.click()
    page.get_by_role("menuitem", name="Merge with the next pair").wait_for(timeout=60_000)
    done = f"document.body.innerText.includes('{pairs - 1} of {pairs - 1} pairs shown')"
    elapsed = page.evaluate(CLICK_UNTIL, ["Merge with the next pair", done]) / 1000
    page.close()
    assert store.load(project).info.beads == pairs - 1
    return {"merge_round_trip_ms": round(1000 * elapsed)}
