""" "Run in your browser": the JupyterLite site that docs/build.py puts in site/lite, served on
127.0.0.1 with every other host unreachable, opens the lecture-graph tutorial in headless
Chromium, runs its first cells in Pyodide (chaingrad installed from the site's own wheel) and
shows the lecture's gradients. Browser rule as tests/test_player.py: CI installs Chromium and
runs this; elsewhere it skips when the browser is missing."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from browser import chromium_session
from site_fixture import built_site

NOTEBOOK = "backprop_lecture_graph.ipynb"
FIRST_CELLS = 4  # install, build the graph, its forward values, backward() and the gradients


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def served() -> tuple[str, Path]:
    site = built_site(lite=True)
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1", "-d", str(site)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(50):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        yield f"http://127.0.0.1:{port}", site
    finally:
        server.terminate()
        server.wait(timeout=10)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    # no host but this machine resolves: a request to a CDN fails instead of leaking
    rules = "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1"
    yield from chromium_session((rules,), window="1000,900", load_timeout=120)


OUTPUTS = """return Array.from(document.querySelectorAll('.jp-OutputArea-output'))
             .map(function (e) { return e.innerText; }).join('\\n');"""


def test_tutorial_runs_in_the_browser_offline(served, browser) -> None:
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    base, site = served
    browser.get(f"{base}/lite/notebooks/index.html?path={NOTEBOOK}")
    deadline = time.monotonic() + 120
    while not browser.find_elements(By.CSS_SELECTOR, ".jp-Notebook .jp-Cell"):
        assert time.monotonic() < deadline, "the notebook did not open in 120 s"
        time.sleep(0.5)
    browser.find_elements(By.CSS_SELECTOR, ".jp-Notebook .jp-Cell")[0].click()
    cells = json.loads((site / "lite/files" / NOTEBOOK).read_text())["cells"]
    # chaingrad installs as any package does, its requirements resolved by micropip from the
    # site (graphviz-pure is left out on emscripten by its environment marker)
    install = "".join(next(c for c in cells if c["cell_type"] == "code")["source"])
    assert 'piplite.install("chaingrad")' in install and "deps=False" not in install
    run = 0
    for cell in cells:  # Shift+Enter through the markdown and the first code cells
        ActionChains(browser).key_down(Keys.SHIFT).send_keys(Keys.ENTER).key_up(
            Keys.SHIFT
        ).perform()
        time.sleep(0.2)
        run += cell["cell_type"] == "code"
        if run == FIRST_CELLS:
            break
    deadline = time.monotonic() + 240
    text = ""
    while "da = " not in text:
        assert time.monotonic() < deadline, f"no gradients after 240 s; outputs so far:\n{text}"
        assert "Error" not in text, text
        time.sleep(1)
        text = browser.execute_script(OUTPUTS)
    assert "u = 6.0, v = 11.0, J = 33.0" in text
    assert "da = 3, db = 6, dc = 9" in text

    outside = set()
    for entry in browser.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message["method"] == "Network.requestWillBeSent":
            url = message["params"]["request"]["url"]
            if url.startswith(("http:", "https:", "ws:", "wss:")) and not url.startswith(
                (base, base.replace("http", "ws"))
            ):
                outside.add(url)
    assert not outside, f"requests to other hosts: {sorted(outside)}"
