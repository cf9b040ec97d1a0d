"""The built book in a real browser (headless Chromium, driven by Playwright), offline.

Every page: no console errors, no failed local requests, every image loaded, every formula
typeset by MathJax, every animation player steps when its button is clicked, every
embedded widget shows its first figure. Then the previous/next links walk the book in the
order of _toc.yml, and the search page finds a chapter. A screenshot of each page and the
page weights are left in _build/test-artefacts/.
"""

from __future__ import annotations

import json
from urllib.parse import urlparse

import pytest

from .pages import chapters, toc_pages

PAGES = toc_pages()
PAGE_LIMIT = 2 * 2**20  # bytes of a chapter's own content: its HTML (animations inline) and images
WEIGHTS: dict[str, dict[str, int]] = {}


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    tab.set_default_timeout(20_000)
    yield tab
    context.close()


def _visit(page, url):
    """Open url and record what went wrong and how much was loaded."""
    log = {"errors": [], "failed": [], "bytes": {}}
    base = urlparse(url)

    def local(address):
        return urlparse(address).netloc == base.netloc

    page.on(
        "console",
        lambda m: (
            m.type == "error" and log["errors"].append(f"{m.text} ({m.location.get('url', '')})")
        ),
    )
    page.on("pageerror", lambda e: log["errors"].append(str(e)))
    page.on("requestfailed", lambda r: log["failed"].append(r.url))

    def on_response(response):
        if response.status >= 400 and local(response.url):
            log["failed"].append(f"{response.status} {response.url}")
        elif local(response.url):
            try:
                log["bytes"][response.url] = len(response.body())
            except Exception:  # a redirect or a body the browser dropped
                pass

    page.on("response", on_response)
    page.goto(url, wait_until="networkidle")
    page.wait_for_function(
        "() => !window.MathJax || !MathJax.startup || MathJax.startup.promise .then(() => true)",
        timeout=20_000,
    )
    page.wait_for_timeout(500)  # widgets render after the manager's asynchronous load
    return log


@pytest.mark.parametrize("name", PAGES)
def test_page_renders_cleanly(page, server, artefacts, name):
    url = server + name + ".html"
    log = _visit(page, url)
    assert log["errors"] == [], log["errors"]
    assert log["failed"] == [], log["failed"]

    broken = page.evaluate(
        "Array.from(document.images).filter(i => !i.complete || i.naturalWidth === 0)"
        ".map(i => i.src.slice(0, 80))"
    )
    assert broken == []

    # math: every formula Sphinx marked is typeset, and no raw TeX delimiters are left
    untypeset = page.evaluate(
        "Array.from(document.querySelectorAll('.math'))"
        ".filter(e => !e.querySelector('mjx-container')).map(e => e.textContent.slice(0, 60))"
    )
    assert untypeset == []
    text = page.evaluate("document.querySelector('main').innerText")
    for raw in ("\\(", "\\[", "$$"):
        assert raw not in text

    # animations: clicking "Next frame" shows another frame
    players = page.locator("div.animation")
    for k in range(players.count()):
        player = players.nth(k)
        frame = player.locator("img").first
        before = frame.get_attribute("src")
        player.locator("button[title='Next frame']").click()
        assert frame.get_attribute("src") != before

    # widgets: each embedded view is rendered by the widget manager, with its figure
    views = page.evaluate(
        "Array.from(document.querySelectorAll("
        "'script[type=\"application/vnd.jupyter.widget-view+json\"]'))"
        ".map(s => ({widgets: s.parentElement.querySelectorAll('.jupyter-widgets').length,"
        " images: s.parentElement.querySelectorAll('img').length}))"
    )
    for view in views:
        assert view["widgets"] > 0 and view["images"] > 0, view

    own = sum(
        size
        for address, size in log["bytes"].items()
        if address.split("?")[0].endswith((".html", ".png", ".svg", ".jpg"))
        and "/_static/" not in address
    )
    WEIGHTS[name] = {"own": own, "all": sum(log["bytes"].values())}
    (artefacts / "page-weights.json").write_text(json.dumps(WEIGHTS, indent=1))
    print(
        f"\n{name}: {own / 1024:.0f} KiB of its own (HTML with inline animations, images), "
        f"{WEIGHTS[name]['all'] / 1024:.0f} KiB with the shared scripts, styles and fonts"
    )
    page.screenshot(path=str(artefacts / f"{name.replace('/', '__')}.png"), full_page=True)
    if name in chapters():
        assert own < PAGE_LIMIT


def test_previous_and_next_walk_the_book_in_order(page, server):
    page.goto(server + PAGES[0] + ".html")
    seen = [PAGES[0]]
    while page.locator("a.right-next").count():
        page.locator("a.right-next").first.click()
        page.wait_for_load_state()
        seen.append(page.url.removeprefix(server).removesuffix(".html"))
    assert seen == PAGES
    for expected in reversed(PAGES[:-1]):
        page.locator("a.left-prev").first.click()
        page.wait_for_load_state()
        assert page.url == server + expected + ".html"


def test_search_finds_a_chapter(page, server):
    page.goto(server + "search.html?q=cross-correlation")
    results = page.locator("#search-results li")
    results.first.wait_for()
    hrefs = [
        results.nth(k).locator("a").first.get_attribute("href") for k in range(results.count())
    ]
    assert any("01_convolution_vs_correlation" in h for h in hrefs), hrefs
