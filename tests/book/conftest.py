"""Fixtures for testing the built book: a fresh strict build, served on localhost.

These tests run only with ``pytest tests/book --book`` (``.ci/run`` does), because they
build the whole book (about 10 s) and, for the browser tests, need Chromium and Playwright.
The build uses the vendored assets (``python scripts/vendor_assets.py``) when they are
present, so that MathJax and the widget manager work without the internet.
"""

from __future__ import annotations

import functools
import http.server
import os
import pathlib
import shutil
import subprocess
import sys
import threading

import pytest
import yaml

from .pages import ROOT

VENDORED = (ROOT / "_vendor" / "static" / "vendor" / "mathjax" / "tex-chtml.js").is_file()
ARTEFACTS = ROOT / "_build" / "test-artefacts"


def pytest_collection_modifyitems(config, items):
    if config.getoption("--book"):
        return
    skip = pytest.mark.skip(reason="book tests build the book: run `pytest tests/book --book`")
    for item in items:
        if pathlib.Path(str(item.fspath)).is_relative_to(ROOT / "tests" / "book"):
            item.add_marker(skip)


@pytest.fixture(scope="session")
def config():
    return yaml.safe_load((ROOT / "_config.yml").read_text())


@pytest.fixture(scope="session")
def built_book(tmp_path_factory):
    """A fresh strict build of the book; returns the folder of its HTML."""
    out = tmp_path_factory.mktemp("book")
    env = dict(os.environ, CONVNB_OFFLINE_ASSETS="1" if VENDORED else "0")
    jupyter_book = shutil.which("jupyter-book", path=str(pathlib.Path(sys.executable).parent))
    result = subprocess.run(
        [
            jupyter_book or "jupyter-book",
            "build",
            str(ROOT),
            "-W",
            "-n",
            "--keep-going",
            "--all",
            "--path-output",
            str(out),
        ],
        capture_output=True,
        text=True,
        env=env,
    )
    if result.returncode:
        pytest.fail(f"strict book build failed:\n{result.stdout[-4000:]}\n{result.stderr[-4000:]}")
    return out / "_build" / "html"


@pytest.fixture(scope="session")
def server(built_book):
    """The built book on an ephemeral localhost port; yields its base URL."""

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    handler = functools.partial(Quiet, directory=str(built_book))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    httpd.shutdown()


def _chromium():
    for candidate in (
        os.environ.get("CONVNB_CHROMIUM"),
        "chromium",
        "chromium-browser",
        "google-chrome",
        "google-chrome-stable",
    ):
        if candidate and shutil.which(candidate):
            return shutil.which(candidate)
    return None


@pytest.fixture(scope="session")
def browser():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip("Playwright is not installed: pip install -r requirements-browser.txt")
    executable = _chromium()
    if executable is None:
        pytest.skip("no Chromium found (apt-get install chromium, or set CONVNB_CHROMIUM)")
    if not VENDORED:
        pytest.skip(
            "assets not vendored: run `python scripts/vendor_assets.py` (needs npm) "
            "so math and widgets render offline"
        )
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=executable,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def artefacts():
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    return ARTEFACTS
