"""How long one explorer update takes in the browser: set(params) + redraw + layout.

    python benchmarks/explorer.py [--rounds N] [--width PX]

Opens the explorer's ES module (convnb/static/explorer.js) in headless Chromium on a
blank local page, with the model the static book page gives it, and times
``explorers[0].set(layer)`` for every preset of :data:`convnb.widgets.PRESETS` and for the
layers of a random sweep, forcing layout after each. Prints min / median / max per row. The
target is one frame (16 ms). Needs Playwright and Chromium (requirements-browser.txt);
nothing leaves the machine. Measure on a quiet machine: it is not asserted anywhere.
"""

from __future__ import annotations

import argparse
import json
import pathlib
import random
import shutil
import statistics

from convnb import widgets

ROOT = pathlib.Path(__file__).resolve().parents[1]
MODULE = ROOT / "convnb" / "static" / "explorer.js"

PAGE = """<!doctype html><meta charset="utf-8"><body style="width:%dpx">
<div id="host"></div>
<script type="module">
const mod = await import(URL.createObjectURL(new Blob([%s], {type: "text/javascript"})));
const state = %s;
const model = {get: k => state[k], set: (k, v) => { state[k] = v; }, save_changes() {},
               on() {}, off() {}};
mod.default.render({model, el: document.getElementById("host")});
window.ready = true;
</script>"""

TIMER = """([layers, rounds]) => {
  const ex = window.convnb.explorers[0];
  const rows = [];
  for (const p of layers) {
    const t = [];
    for (let r = 0; r < rounds; r++) {
      const start = performance.now();
      ex.set(p);
      ex.element.getBoundingClientRect();
      t.push(performance.now() - start);
    }
    rows.push(t);
  }
  return rows;
}"""


def _random_layers(n, seed=0):
    rng = random.Random(seed)
    layers = []
    while len(layers) < n:
        c_in = rng.randint(1, 16)
        g = rng.choice([g for g in range(1, c_in + 1) if c_in % g == 0])
        p = dict(
            in_size=rng.randint(4, 12),
            kernel_size=rng.randint(1, 5),
            stride=rng.randint(1, 3),
            padding=rng.choice([0, 1, 2, "same"]),
            dilation=rng.randint(1, 2),
            in_channels=c_in,
            out_channels=g * rng.randint(1, 32 // g),
            groups=g,
            transposed=False,
            output_padding=0,
            position=[0, 0],
            out_channel=0,
        )
        if widgets.explorer(**p).error is None:
            layers.append(p)
    return layers


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=30)
    parser.add_argument("--width", type=int, default=700, help="explorer width, CSS px")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    presets = {name: widgets.explorer(name).layer() for name in widgets.PRESETS}
    sweep = _random_layers(40)
    page_html = PAGE % (
        args.width,
        json.dumps(MODULE.read_text()),
        json.dumps(presets["standard"]),
    )
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": args.width + 40, "height": 900})
        page.route("**/*", lambda r: r.abort())  # nothing to fetch
        page.set_content(page_html)
        page.wait_for_function("window.ready === true")
        page.evaluate(TIMER, [list(presets.values()), 5])  # warm up
        rows = page.evaluate(TIMER, [list(presets.values()), args.rounds])
        sweep_rows = page.evaluate(TIMER, [sweep, max(args.rounds // 5, 3)])
        browser.close()
    print(f"explorer update in Chromium at {args.width} px: set + redraw + layout, ms")
    print(f"{'layer':<14} {'min':>6} {'median':>7} {'max':>6}   ({args.rounds} rounds)")
    for name, times in zip(presets, rows, strict=True):
        print(f"{name:<14} {min(times):6.2f} {statistics.median(times):7.2f} {max(times):6.2f}")
    flat = [t for row in sweep_rows for t in row]
    print(
        f"{'40 random':<14} {min(flat):6.2f} {statistics.median(flat):7.2f} {max(flat):6.2f}"
        "   (target: one frame, 16 ms)"
    )


if __name__ == "__main__":
    main()
