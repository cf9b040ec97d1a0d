"""The explorers on the static page: they respond with no kernel, and their geometry is
convnb's.

The explorer's JavaScript (convnb/static/explorer.js) computes output sizes, footprints and
channel sets itself. Here 300 random layers go through ``window.convnb.explorers[0].set``
on a built chapter, and ``get()`` is compared with what convnb computes: the output size
from the shape of ``conv2d``/``conv_transpose2d``, the footprint and the channels by probing
them with one-hot inputs (never from ``convnb.windows``, which the JavaScript mirrors).
Invalid layers must show, in place, the message convnb raises for the same layer.
"""

from __future__ import annotations

import statistics

import pytest

from convnb import arithmetic, frameworks

from .oracle import expected, expected_error, sweep
from .pages import ROOT, chapters

# the chapters whose page holds an explorer, and the page the sweep runs on
EXPLORER_PAGES = [
    name for name in chapters() if "widgets.explorer(" in (ROOT / f"{name}.ipynb").read_text()
]
SWEEP_PAGE = "book/02_standard_convolution"


def test_the_oracle_probes_agree_with_the_definition():
    # the probes above are the test's own reference: check them once against a layer
    # worked out by hand (7x7 input, k=3, s=2, p=1: output (1, 2) reads rows 1..3, cols 3..5)
    p = dict(
        in_size=7, kernel_size=3, stride=2, padding=1, dilation=1, in_channels=4,
        out_channels=6, groups=2, transposed=False, output_padding=0, position=[1, 2],
        out_channel=4,
    )  # fmt: skip
    got = expected(p)
    assert got["output_size"] == 4
    assert got["footprint"] == [[r, c] for r in (1, 2, 3) for c in (3, 4, 5)]
    assert got["channels"] == [2, 3]


def test_every_explorer_responds(open_page):
    assert EXPLORER_PAGES, "no chapter has an explorer"
    for name in EXPLORER_PAGES:
        page, visit = open_page(name)
        roots = page.locator("[data-convnb-explorer]")
        assert roots.count() >= 1, name
        assert page.evaluate("window.convnb.explorers.length") == roots.count(), name
        for k in range(roots.count()):
            root = roots.nth(k)
            before = root.locator("svg").first.inner_html()
            # as a reader does: focus the stride slider and press the arrow key
            slider = root.locator("input[data-key='stride']")
            start = int(slider.input_value())
            slider.focus()
            # a larger stride keeps every preset valid (a smaller one can make a transposed
            # layer's output_padding too large: the explorer then shows convnb's error)
            page.keyboard.press("ArrowRight" if start < 4 else "ArrowLeft")
            params = page.evaluate(f"window.convnb.explorers[{k}].get().params")
            assert params["stride"] != start, name
            shown = root.locator("input[data-key='stride'] + output").inner_text()
            assert int(shown) == params["stride"]
            assert root.locator("svg").first.inner_html() != before, name
        assert visit.errors == [] and visit.external == [], (visit.errors, visit.external)


def test_geometry_agrees_with_convnb_on_300_layers(open_page):
    layers = sweep(seed=13, n=300)
    page, visit = open_page(SWEEP_PAGE)
    results = page.evaluate("layers => layers.map(p => window.convnb.explorers[0].set(p))", layers)
    assert visit.errors == []
    kinds = {"transposed": 0, "groups>1": 0, "same": 0, "dilated": 0}
    for p, got in zip(layers, results, strict=True):
        kinds["transposed"] += p["transposed"]
        kinds["groups>1"] += p["groups"] > 1
        kinds["same"] += p["padding"] == "same"
        kinds["dilated"] += p["dilation"] > 1
        want = expected(p)
        assert got["error"] is None, (p, got["error"])
        assert got["params"] == p
        assert got["output_size"] == want["output_size"], p
        assert sorted(got["footprint"]) == want["footprint"], p
        assert got["channels"] == want["channels"], p
        # the read-outs: parameter count, receptive field, and the layer's code
        k, g = p["kernel_size"], p["groups"]
        assert got["parameters"] == arithmetic.count_params(
            p["in_channels"], p["out_channels"], (k, k), g, bias=False
        )
        field = arithmetic.receptive_field([{"kernel_size": k, "dilation": p["dilation"]}])
        assert got["receptive_field"] == field[0].size
        if not p["transposed"]:
            o = want["output_size"]
            assert got["macs"] == arithmetic.count_macs(
                p["in_channels"], p["out_channels"], (k, k), (o, o), g
            )
        args = dict(stride=p["stride"], padding=p["padding"], dilation=p["dilation"], groups=g)
        extra = (
            dict(transposed=True, output_padding=p["output_padding"]) if p["transposed"] else {}
        )
        torch_code = frameworks.pytorch_layer(
            p["in_channels"], p["out_channels"], k, **args, **extra,
            **({} if p["transposed"] else {"input_size": p["in_size"]}),
        )  # fmt: skip
        assert got["code"]["pytorch"] == torch_code, p
        keras_code = frameworks.keras_layer(
            p["in_channels"], p["out_channels"], k, **args, **extra
        )
        assert got["code"]["keras"] == keras_code, p
    # the sweep reaches every mode it claims to
    assert min(kinds.values()) >= 20, kinds


INVALID = [
    dict(in_channels=8, out_channels=8, groups=3),
    dict(in_channels=4, out_channels=6, groups=4),
    dict(in_size=2, kernel_size=3, padding=0),
    dict(in_size=5, kernel_size=3, dilation=4, padding=1),
    dict(transposed=True, padding="same"),
    dict(transposed=True, stride=2, dilation=1, output_padding=2),
    dict(transposed=True, in_size=1, kernel_size=1, stride=1, padding=1),
    dict(transposed=True, in_channels=4, out_channels=6, groups=4),
]
BASE = dict(
    in_size=5, kernel_size=3, stride=1, padding=1, dilation=1, in_channels=4, out_channels=4,
    groups=1, transposed=False, output_padding=0, position=[0, 0], out_channel=0,
)  # fmt: skip


@pytest.mark.parametrize(
    "change", INVALID, ids=lambda c: ",".join(f"{k}={v}" for k, v in c.items())
)
def test_invalid_layer_shows_the_package_error(open_page, change):
    p = {**BASE, **change}
    expected = expected_error(p)
    assert expected is not None
    page, visit = open_page(SWEEP_PAGE, 390)
    got = page.evaluate("p => window.convnb.explorers[0].set(p)", p)
    root = page.locator("[data-convnb-explorer]").first
    shown = root.locator(".convnb-error").inner_text()
    assert shown == expected
    assert got["error"] == expected
    assert root.locator(".convnb-error").is_visible()
    # and it recovers, every control still there
    page.evaluate("p => window.convnb.explorers[0].set(p)", BASE)
    assert not root.locator(".convnb-error").is_visible()
    assert root.locator("svg").count() == 2
    assert visit.errors == []


def test_one_update_takes(open_page, artefacts):
    """How long set() + redraw takes in the browser (printed; the target is one frame,
    16 ms). A measurement, not an assertion: timings flake on shared machines."""
    page, _ = open_page(SWEEP_PAGE)
    layers = sweep(seed=7, n=60)
    times = page.evaluate(
        """layers => { const ex = window.convnb.explorers[0]; const t = [];
        for (let round = 0; round < 3; round++) for (const p of layers) {
          const start = performance.now(); ex.set(p);
          ex.element.getBoundingClientRect();  // force layout of the new SVG
          t.push(performance.now() - start); }
        return t; }""",
        layers,
    )
    median, worst = statistics.median(times), max(times)
    line = f"explorer update (set + redraw + layout): median {median:.2f} ms, max {worst:.2f} ms"
    (artefacts / "explorer-update.txt").write_text(line + "\n")
    print("\n" + line)


def test_the_sliding_explorer_responds(open_page):
    page, visit = open_page("book/01_convolution_vs_correlation", 390)
    root = page.locator("[data-convnb-sliding]")
    assert root.count() == 1
    title = root.locator("svg text[font-weight='bold']")
    before = title.text_content()
    slider = root.locator("input[data-key='shift']")
    slider.focus()
    page.keyboard.press("ArrowRight")
    after = title.text_content()
    assert after != before and f"out[{slider.input_value()}]" in after
    root.locator("input[data-key='flip']").click()
    flipped = title.text_content()
    assert flipped.split(":")[0] != after.split(":")[0]  # convolution <-> cross-correlation
    assert visit.errors == [] and visit.external == []


def test_the_network_explorer_responds(open_page):
    page, visit = open_page("book/10_real_networks", 390)
    root = page.locator("[data-convnb-network]")
    assert root.count() == 1
    title = root.locator("svg text[font-weight='bold']").first
    before = title.text_content()
    slider = root.locator("input[data-key='layer']")
    slider.focus()
    page.keyboard.press("ArrowLeft")
    assert title.text_content() != before
    root.locator("select").select_option("MobileNet v1 1.0-224")
    assert root.locator("input[data-key='layer']").input_value() == "28"  # the last layer
    assert title.text_content().startswith("fc: receptive field")
    assert visit.errors == [] and visit.external == []
