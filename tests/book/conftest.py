"""Fixtures for testing the built book: a fresh strict build, served on localhost.

These tests run only with ``pytest tests/book --book`` (``.ci/run`` does), because they
build the whole book (about 10 s) and, for the browser tests, need Chromium and Playwright.
The build serves MathJax from the build when ``npm ci`` has installed it (package.json,
package-lock.json), so that the pages work without the internet; the explorers need
nothing from outside at all.

Fixtures for other book tests: ``built_book`` (the HTML folder), ``server`` (its localhost
URL), ``browser`` (Chromium), ``artefacts`` (where screenshots go) and ``open_page``, which
opens a page at a viewport width, records what went wrong, blocks and records every request
that would leave localhost, and measures the transfer.
"""

from __future__ import annotations

import functools
import gzip
import http.server
import os
import pathlib
import shutil
import subprocess
import sys
import threading
from urllib.parse import urlparse

import pytest
import yaml

from .pages import ROOT

VENDORED = (ROOT / "node_modules" / "mathjax" / "es5" / "tex-chtml.js").is_file()
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
    """A fresh strict build of the book; returns the folder of its HTML.

    ``CONVNB_BUILT_BOOK=<folder of the HTML>`` reuses a build instead (for working on the
    tests themselves; CI always builds afresh)."""
    reuse = os.environ.get("CONVNB_BUILT_BOOK")
    if reuse:
        return pathlib.Path(reuse)
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
        pytest.skip("MathJax not vendored: run `npm ci` so that formulas render offline")
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


# What GitHub Pages serves gzip-compressed (text); the rest (images, fonts) goes as it is.
_COMPRESSED = (".html", ".js", ".css", ".svg", ".json", ".txt", ".map", ".mjs")


class Visit:
    """What one page load did: console errors, failed and external requests, bytes."""

    def __init__(self, base):
        self.base = urlparse(base).netloc
        self.errors, self.failed, self.external = [], [], []
        self.raw, self.gzip = {}, {}

    def local(self, address):
        return urlparse(address).netloc == self.base

    def attach(self, page):
        page.on(
            "console",
            lambda m: (
                m.type == "error" and self.errors.append(f"{m.text} ({m.location.get('url', '')})")
            ),
        )
        page.on("pageerror", lambda e: self.errors.append(str(e)))

        def route(r):
            if self.local(r.request.url):
                r.continue_()
            else:  # nothing may leave localhost: record it, and refuse it
                self.external.append(r.request.url)
                r.abort()

        page.route("**/*", route)
        page.on(
            "requestfailed",
            lambda r: self.local(r.url) and self.failed.append(f"{r.failure} {r.url}"),
        )
        page.on("response", self._response)

    def _response(self, response):
        if not self.local(response.url):
            return
        if response.status >= 400:
            self.failed.append(f"{response.status} {response.url}")
            return
        try:
            body = response.body()
        except Exception:  # a redirect or a body the browser dropped
            return
        path = urlparse(response.url).path
        self.raw[response.url] = len(body)
        compressed = path.endswith(_COMPRESSED) or path.endswith("/")
        self.gzip[response.url] = len(gzip.compress(body, 6)) if compressed else len(body)

    @property
    def transfer(self):
        """Bytes over the wire, gzip-compressed as GitHub Pages serves them."""
        return sum(self.gzip.values())


@pytest.fixture
def open_page(browser, server):
    """open_page(name, width=1280, motion="no-preference") -> (page, visit): the page loaded,
    math typeset and widgets rendered, at a viewport ``width`` CSS px wide, for a reader whose
    ``prefers-reduced-motion`` is ``motion``."""
    contexts = []

    def opener(name, width=1280, motion="no-preference"):
        context = browser.new_context(
            viewport={"width": width, "height": 900}, reduced_motion=motion
        )
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(20_000)
        visit = Visit(server)
        visit.attach(page)
        page.goto(server + name + ".html", wait_until="networkidle")
        page.wait_for_function(
            "() => !window.MathJax || !MathJax.startup || MathJax.startup.promise.then(() => true)"
        )
        page.wait_for_function(
            "() => !document.querySelector("
            "'script[type=\"application/vnd.jupyter.widget-state+json\"]')"
            " || (window.convnb && window.convnb.widgetsReady)"
        )
        return page, visit

    yield opener
    for context in contexts:
        context.close()
