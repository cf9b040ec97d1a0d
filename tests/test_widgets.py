"""convnb.widgets: explorers build, every control moves, read-outs match the package."""

from __future__ import annotations

import re

import numpy as np
import pytest

import convnb
from convnb import plot, widgets


def test_sliding_explorer_controls_redraw(monkeypatch):
    calls = []
    original = plot.sliding_kernel

    def recording(signal, kernel, shift, *, flip=False, ax=None):
        calls.append((shift, flip))
        return original(signal, kernel, shift, flip=flip, ax=ax)

    monkeypatch.setattr(plot, "sliding_kernel", recording)
    box = widgets.sliding_explorer(np.arange(5.0), np.array([1.0, 0.0, -1.0]))
    slider, toggle, _ = box.children
    assert (slider.min, slider.max) == (0, 6)
    assert calls == [(3, False)]  # the first picture is drawn at once, mid-way
    slider.value = 6
    toggle.value = True
    slider.value = 0
    assert calls[1:] == [(6, False), (6, True), (0, True)]


def _expected(p):
    """Output size and parameter count by running convnb.conv (or its adjoint's size)."""
    i, k, s, d = p["input_size"], p["kernel_size"], p["stride"], p["dilation"]
    c_in, c_out, g = p["channels"], p["channels"] * p["multiplier"], p["groups"]
    if p["transposed"]:
        o = (i - 1) * s - 2 * p["padding"] + d * (k - 1) + p["output_padding"] + 1
        # the forward conv of that size lands back on i
        back = convnb.conv(
            np.zeros((1, c_out, o, o)),
            np.zeros((c_in, c_out // g, k, k)),
            stride=s,
            padding=p["padding"],
            dilation=d,
            groups=g,
        ).shape[2]
        assert back == i + p["output_padding"] // s
        return o, c_in * (c_out // g) * k * k
    y = convnb.conv(
        np.zeros((1, c_in, i, i)),
        np.zeros((c_out, c_in // g, k, k)),
        stride=s,
        padding=p["padding"],
        dilation=d,
        groups=g,
    )
    return y.shape[2], y.shape[1] * (c_in // g) * k * k


def _readout_numbers(ex):
    text = re.sub("<[^>]+>", " ", ex.readout.value)
    size = int(re.search(r"output size\s+(\d+)×", text).group(1))
    params = int(re.search(r"parameters\s+([\d,]+)", text).group(1).replace(",", ""))
    return size, params


@pytest.mark.parametrize("preset", sorted(widgets.PRESETS))
def test_every_preset_draws_and_reads_out_the_truth(preset):
    ex = widgets.explorer(preset)
    assert ex.error is None
    assert ex.figure is not None and len(ex.figure.axes) == 2
    assert _readout_numbers(ex) == _expected(ex.layer())
    assert "# PyTorch" in ex.readout.value and "# TensorFlow / Keras" in ex.readout.value


MOVES = [
    ("input_size", 8),
    ("channels", 6),
    ("multiplier", 3),
    ("groups", 3),
    ("kernel_size", 5),
    ("stride", 2),
    ("padding", "same"),
    ("padding", 2),
    ("dilation", 2),
    ("position", 3),
    ("out_channel", 4),
    ("transposed", True),
    ("output_padding", 1),
]


def test_every_control_moves_and_the_readout_follows():
    ex = widgets.explorer("standard")
    assert set(ex.controls) == {name for name, _ in MOVES}
    for name, value in MOVES:
        before = ex.readout.value
        ex.controls[name].value = value
        assert ex.controls[name].value == value
        assert ex.error is None, (name, ex.error)
        if name not in ("position", "out_channel"):
            assert ex.readout.value != before, name
            assert _readout_numbers(ex) == _expected(ex.layer()), name


def test_invalid_combination_shows_the_package_error_and_recovers():
    ex = widgets.explorer("group")  # 8 channels, 2 groups
    ex.controls["groups"].value = 3
    assert ex.error == "ValueError: groups=3 does not divide in_channels=8"
    assert "groups=3 does not divide in_channels=8" in ex.readout.value
    ex.controls["groups"].value = 4
    assert ex.error is None
    ex.controls["input_size"].value = 2
    ex.controls["padding"].value = 0
    assert ex.error.startswith("ValueError: the dilated kernel spans 3 samples")
    ex.controls["padding"].value = 1
    assert ex.error is None
    ex.controls["transposed"].value = True
    ex.controls["padding"].value = "same"
    assert ex.error == "ValueError: padding='same' is not defined for a transposed convolution"


def test_position_sliders_follow_the_output():
    ex = widgets.explorer("arithmetic")  # 7x7 input, stride 2: 4x4 output
    assert ex.controls["position"].max == 15
    ex.controls["position"].value = 15
    ex.controls["stride"].value = 3  # 3x3 output now
    assert ex.controls["position"].max == 8
    assert ex.controls["position"].value == 8


@pytest.mark.parametrize("preset", sorted(widgets.PRESETS))
def test_pytorch_code_builds_the_same_layer(preset):
    torch = pytest.importorskip("torch")
    ex = widgets.explorer(preset)
    p = ex.layer()
    code = re.search(r"# PyTorch\n(.*?)\n\n", ex.readout.value, re.S).group(1)
    layer = eval(code, {"torch": torch})
    c_in = p["channels"] * (p["multiplier"] if p["transposed"] else 1)
    y = layer(torch.zeros(1, c_in, p["input_size"], p["input_size"]))
    size, params = _readout_numbers(ex)
    assert y.shape[-1] == size
    assert sum(t.numel() for t in layer.parameters()) == params


def test_companion_animation_covers_every_position():
    anim = widgets.companion("dilated")
    assert len(list(anim.new_frame_seq())) == 81


def test_explorer_argument_errors():
    with pytest.raises(ValueError, match=r"^preset='dense' is not one of \["):
        widgets.explorer("dense")
    with pytest.raises(TypeError, match=r"^explorer\(\) got unknown parameters \['kernel'\]$"):
        widgets.explorer(kernel=3)
