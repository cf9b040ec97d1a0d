"""convnb.widgets: explorers build, their traitlets and read-outs match the package, and
the explorer's JavaScript geometry agrees with convnb (run in Node)."""

from __future__ import annotations

import json
import pathlib
import shutil
import subprocess

import numpy as np
import pytest
import traitlets

from convnb import frameworks, widgets
from convnb import signal as convnb_signal

from .book.oracle import expected, expected_error, sweep


def test_sliding_explorer_carries_convnbs_results():
    f, g = np.arange(5.0), np.array([1.0, 0.0, -1.0])
    box = widgets.sliding_explorer(f, g)
    assert (box.shift, box.flip) == (3, False)  # mid-way through the 7 outputs
    assert box.convolved == list(np.convolve(f, g))
    assert box.correlated == list(np.correlate(f, g, mode="full"))
    assert "export default { render }" in str(box.get_state()["_esm"])
    box.shift, box.flip = 6, True
    with pytest.raises(traitlets.TraitError, match=r"shift=7 is not in 0\.\.6"):
        box.shift = 7
    with pytest.raises(TypeError, match="real signals"):
        widgets.sliding_explorer(f * 1j, g)


def test_sliding_taps_in_javascript_are_convnbs():
    node = shutil.which("node")
    if node is None:
        pytest.skip("Node.js is not installed")
    module = pathlib.Path(widgets.__file__).parent / "static" / "sliding.js"
    cases = [(n, m, s, flip) for n in (1, 3, 5) for m in (1, 2, 3) for s in range(n + m - 1)
             for flip in (False, True)]  # fmt: skip
    script = (
        f"import * as m from {json.dumps(module.as_uri())};"
        "console.log(JSON.stringify(JSON.parse(process.argv[1])"
        ".map(([n, k, s, f]) => m.taps(n, k, s, f))));"
    )
    out = subprocess.run(
        [node, "--input-type=module", "-e", script, json.dumps(cases)],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    want = [[list(t) for t in convnb_signal.taps(n, m, s, flip=f)] for n, m, s, f in cases]
    assert json.loads(out) == want


def _layer(**changes):
    return {**widgets.explorer("standard").layer(), **changes}


@pytest.mark.parametrize("preset", sorted(widgets.PRESETS))
def test_every_preset_is_a_valid_layer_and_reads_out_the_truth(preset):
    ex = widgets.explorer(preset)
    assert ex.error is None
    p = ex.layer()
    want = expected(p)
    assert ex.info["output_size"] == want["output_size"]
    assert ex.info["channels"] == want["channels"]
    k = p["kernel_size"]
    # parameters: the weight's own size, (C_out, C_in / groups, k, k) or its transpose
    assert ex.info["parameters"] == p["out_channels"] * (p["in_channels"] // p["groups"]) * k * k


def test_preset_keys_become_layer_parameters():
    ex = widgets.explorer("arithmetic", input_size=9, channels=3, multiplier=2, position=5)
    assert (ex.in_size, ex.in_channels, ex.out_channels) == (9, 3, 6)
    assert ex.position == [1, 0]  # flat index 5 of the 5x5 output
    ex = widgets.explorer("group", out_channels=4, position=[2, 3])
    assert (ex.in_channels, ex.out_channels, ex.groups, ex.position) == (8, 4, 2, [2, 3])


def test_the_widget_carries_its_es_module():
    ex = widgets.explorer("dilated")
    state = ex.get_state()
    assert "export default { render }" in str(state["_esm"])
    assert {key: state[key] for key in widgets.LAYER_KEYS} == ex.layer()


def test_invalid_layer_gives_the_package_error_and_recovers():
    ex = widgets.explorer("group")  # 8 channels, 2 groups
    ex.groups = 3
    assert ex.error == "ValueError: groups=3 does not divide in_channels=8"
    assert ex.info is None
    ex.groups = 4
    assert ex.error is None
    ex.in_size, ex.padding = 2, 0
    assert ex.error.startswith("ValueError: the dilated kernel spans 3 samples")
    ex.padding = 1
    assert ex.error is None
    ex.transposed, ex.padding = True, "same"
    assert ex.error == "TypeError: padding must be an integer, got 'same'"


@pytest.mark.parametrize(
    "changes",
    [
        dict(in_channels=8, out_channels=8, groups=3),
        dict(in_channels=4, out_channels=6, groups=4),
        dict(in_size=5, kernel_size=3, dilation=4, padding=1),
        dict(transposed=True, stride=2, output_padding=2),
        dict(transposed=True, in_size=1, kernel_size=1, padding=1),
        dict(transposed=True, in_channels=4, out_channels=6, groups=4),
    ],
)
def test_python_side_errors_are_convnbs(changes):
    p = _layer(**changes)
    ex = widgets.explorer("standard", **changes)
    assert ex.error.split(": ", 1)[1] == expected_error(p)


@pytest.mark.parametrize("preset", sorted(widgets.PRESETS))
def test_pytorch_code_builds_the_same_layer(preset):
    torch = pytest.importorskip("torch")
    ex = widgets.explorer(preset)
    p = ex.layer()
    layer = eval(ex.info["pytorch"], {"torch": torch})
    y = layer(torch.zeros(1, p["in_channels"], p["in_size"], p["in_size"]))
    assert y.shape[-1] == ex.info["output_size"]
    assert y.shape[1] == p["out_channels"]
    assert sum(t.numel() for t in layer.parameters()) == ex.info["parameters"]


def test_javascript_geometry_agrees_with_convnb_in_node():
    """The explorer's ES module, run by Node on 100 random layers (the browser test of the
    built book runs 300 through the page itself)."""
    node = shutil.which("node")
    if node is None:
        pytest.skip("Node.js is not installed")
    layers = sweep(seed=5, n=100)
    module = pathlib.Path(widgets.__file__).parent / "static" / "explorer.js"
    script = (
        f"import * as m from {json.dumps(module.as_uri())};"
        "const layers = JSON.parse(process.argv[1]);"
        "console.log(JSON.stringify(layers.map(p => {const i = m.analyse(p);"
        " return {...i, pytorch: m.pytorchCode(p), keras: m.kerasCode(p)};})));"
    )
    out = subprocess.run(
        [node, "--input-type=module", "-e", script, json.dumps(layers)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    for p, got in zip(layers, json.loads(out), strict=True):
        want = expected(p)
        assert got["error"] is None, p
        assert got["output_size"] == want["output_size"], p
        assert sorted(got["footprint"]) == want["footprint"], p
        assert got["channels"] == want["channels"], p
        args = dict(stride=p["stride"], padding=p["padding"], dilation=p["dilation"])
        args.update(groups=p["groups"])
        if p["transposed"]:
            args.update(transposed=True, output_padding=p["output_padding"])
        c_in, c_out, k = p["in_channels"], p["out_channels"], p["kernel_size"]
        assert got["keras"] == frameworks.keras_layer(c_in, c_out, k, **args), p
        if not p["transposed"]:
            args["input_size"] = p["in_size"]
        assert got["pytorch"] == frameworks.pytorch_layer(c_in, c_out, k, **args), p
    script = (
        f"import * as m from {json.dumps(module.as_uri())};"
        "console.log(JSON.stringify(JSON.parse(process.argv[1]).map(p => m.analyse(p).error)));"
    )
    bad = [_layer(**c) for c in _INVALID]
    out = subprocess.run(
        [node, "--input-type=module", "-e", script, json.dumps(bad)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert json.loads(out) == [expected_error(p) for p in bad]


_INVALID = [
    dict(in_channels=8, out_channels=8, groups=3),
    dict(in_channels=4, out_channels=6, groups=4),
    dict(in_size=2, kernel_size=3, padding=0),
    dict(transposed=True, padding="same"),
    dict(transposed=True, stride=2, dilation=1, output_padding=2),
    dict(transposed=True, in_size=1, kernel_size=1, stride=1, padding=1),
]


def test_network_explorer_carries_convnbs_summary():
    from convnb import networks

    box = widgets.network_explorer("AlexNet", layer=4)
    assert (box.network, box.layer) == ("AlexNet", 4)
    assert set(box.tables) == set(networks.NETWORKS)
    layers, shape = networks.NETWORKS["AlexNet"]
    rows = networks.summarize(layers, shape)
    table = box.tables["AlexNet"]
    assert [r["name"] for r in table["rows"]] == [r.name for r in rows]
    assert [r["rf_size"] for r in table["rows"]] == [r.rf_size for r in rows]
    assert sum(r["macs"] for r in table["rows"]) == sum(r.macs for r in rows)
    # conv1 of AlexNet: 11x11, stride 4, on 227 pixels: 55 outputs, the central one (27)
    # starts at 27 * 4 = 108, so its field is centred on pixel 108 + 5 = 113
    assert (table["rows"][0]["cx"], table["rows"][0]["cy"]) == (113, 113)
    assert "export default { render }" in str(box.get_state()["_esm"])
    with pytest.raises(traitlets.TraitError, match=r"layer=99 is not in 0\.\.10"):
        box.layer = 99
    with pytest.raises(ValueError, match="network='LeNet' is not one of"):
        widgets.network_explorer("LeNet")


def test_companion_animation_covers_every_position():
    anim = widgets.companion("dilated")
    assert len(list(anim.new_frame_seq())) == 81


def test_explorer_argument_errors():
    with pytest.raises(ValueError, match=r"^preset='dense' is not one of \["):
        widgets.explorer("dense")
    with pytest.raises(TypeError, match=r"^explorer\(\) got unknown parameters \['kernel'\]$"):
        widgets.explorer(kernel=3)
