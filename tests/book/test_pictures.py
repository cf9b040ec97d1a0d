"""The book's pictures in a real browser, at a desktop width and a phone width.

At 1280 px and 390 px, on every page:

* the page does not scroll sideways;
* figure text is at least 12 CSS px (desktop) or 10 CSS px (phone), measured, not assumed:
  each SVG figure (a file, or a player's frame) is put into the page as inline SVG at the
  size its ``img`` is drawn, and every ``<text>`` element's computed font size is scaled by
  its on-screen transform (``getScreenCTM``). A raster figure has no text the browser can
  measure, so figures must be SVG (matplotlib via ``convnb.plot.book_style``);
* every image has alt text that says something (not empty, not a file name);
* every animation player fits the column, its buttons on screen.

Across pages: no two chapters show the same animation (byte-identical frames).
A full-page screenshot of every page at both widths is left in _build/test-artefacts/
(``pictures-<width>-<page>.png``), with the smallest text size per page in
``pictures.json``.
"""

from __future__ import annotations

import hashlib
import json

import pytest

from .pages import toc_pages

PAGES = toc_pages()
WIDTHS = {1280: 12.0, 390: 10.0}  # viewport width: smallest figure text, CSS px
MEASURED: dict[str, dict[str, float | None]] = {}

# Pictures inside an explorer (a widget) are the explorer front-end's, checked with it.
_IN_WIDGET = ".jupyter-widgets, .widget-subarea, [data-convnb-explorer]"

_MEASURE_SVG = """
async (img) => {
  const source = await (await fetch(img.src)).text();
  const holder = document.createElement("div");
  holder.style.cssText = "position:absolute;left:0;top:0;visibility:hidden;";
  holder.innerHTML = source.slice(source.indexOf("<svg"));
  const svg = holder.querySelector("svg");
  svg.setAttribute("width", img.getBoundingClientRect().width);
  svg.setAttribute("height", img.getBoundingClientRect().height);
  document.body.appendChild(holder);
  const sizes = Array.from(svg.querySelectorAll("text"))
    .filter(t => t.textContent.trim())
    .map(t => {
      const m = t.getScreenCTM();
      return parseFloat(getComputedStyle(t).fontSize) * Math.hypot(m.a, m.b);
    });
  holder.remove();
  return sizes.length ? Math.min(...sizes) : null;
}
"""


@pytest.fixture(params=list(WIDTHS), ids=lambda w: f"{w}px")
def width(request):
    return request.param


@pytest.fixture
def tab(browser, width):
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    page.set_default_timeout(20_000)
    yield page
    context.close()


def _open(tab, url):
    tab.goto(url, wait_until="load")
    tab.wait_for_function(
        "() => !window.MathJax || !MathJax.startup || MathJax.startup.promise.then(() => true)"
    )
    tab.wait_for_timeout(300)


def _figures(tab):
    """Handles of the images in the page's article that are not part of an explorer."""
    images = tab.locator("article img")
    return [
        images.nth(k)
        for k in range(images.count())
        if not images.nth(k).evaluate(f"i => !!i.closest('{_IN_WIDGET}')")
    ]


@pytest.mark.parametrize("name", PAGES)
def test_pictures_are_readable(tab, server, artefacts, width, name):
    _open(tab, server + name + ".html")
    # players autoplay: stop them, so that the measured frame is the one in the screenshot
    for button in tab.locator("[data-convnb-player] button[title='Play']").all():
        if "pause" in (button.text_content() or ""):
            button.click()

    overflow = tab.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{name} scrolls sideways by {overflow} px at {width} px"

    smallest, problems = None, []
    for img in _figures(tab):
        src = img.get_attribute("src") or ""
        alt = (img.get_attribute("alt") or "").strip()
        label = src.rsplit("/", 1)[-1][:40]
        path_like = " " not in alt or alt.endswith((".png", ".svg", ".jpg"))
        if not alt or alt == src or path_like:
            problems.append(f"image {label} has alt {alt!r}")
        if not img.is_visible():
            continue
        if not (src.endswith(".svg") or src.startswith("data:image/svg+xml")):
            problems.append(f"image {label} is a raster: its text cannot be measured")
            continue
        size = img.evaluate(_MEASURE_SVG)
        if size is None:
            continue
        smallest = size if smallest is None else min(smallest, size)
        if size < WIDTHS[width] - 0.05:
            problems.append(f"image {label}: text {size:.1f} px < {WIDTHS[width]} px")

    for player in tab.locator("[data-convnb-player]").all():
        box = player.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= width + 0.5, (name, box)
        for button in player.locator("button").all():
            b = button.bounding_box()
            assert b["x"] + b["width"] <= width, f"{name}: a player button is off screen"

    MEASURED.setdefault(name, {})[f"{width}px"] = None if smallest is None else round(smallest, 1)
    (artefacts / "pictures.json").write_text(json.dumps(MEASURED, indent=1, sort_keys=True))
    tab.screenshot(
        path=str(artefacts / f"pictures-{width}-{name.replace('/', '__')}.png"), full_page=True
    )
    print(f"\n{name} at {width} px: smallest figure text {smallest} CSS px")
    assert problems == [], problems


def test_no_two_chapters_share_an_animation(browser, server):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    owner: dict[str, str] = {}
    for name in PAGES:
        tab.goto(server + name + ".html", wait_until="load")
        frames = tab.locator("[data-convnb-player] script[type='application/json']")
        for script in frames.all():
            digest = hashlib.sha256(script.text_content().encode()).hexdigest()
            assert owner.setdefault(digest, name) == name, (
                f"{name} shows the same animation as {owner[digest]}"
            )
    context.close()
    assert owner, "no animation player found on any page"
