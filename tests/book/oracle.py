"""What convnb computes for an explorer's layer: the reference the explorer's JavaScript
is checked against (tests/book/test_explorer.py in the browser, tests/test_widgets.py in
Node). Output sizes come from the shapes of ``conv2d``/``conv_transpose2d``; footprints and
channel sets from probing them with one-hot inputs, never from ``convnb.windows`` or
``convnb.channels`` (which the JavaScript mirrors); errors are ``str()`` of what convnb
raises for the same layer.
"""

from __future__ import annotations

import random

import numpy as np

import convnb
from convnb import channels


def random_layer(rng: random.Random) -> dict:
    transposed = rng.random() < 0.3
    c_in = rng.randint(1, 16)
    groups = rng.choice([g for g in range(1, c_in + 1) if c_in % g == 0])
    stride, dilation = rng.randint(1, 4), rng.randint(1, 4)
    return dict(
        in_size=rng.randint(1, 12),
        kernel_size=rng.randint(1, 7),
        stride=stride,
        padding=rng.choice([0, 1, 2, 3] + ([] if transposed else ["same", "same"])),
        dilation=dilation,
        in_channels=c_in,
        out_channels=groups * rng.randint(1, 32 // groups),
        groups=groups,
        transposed=transposed,
        output_padding=rng.randint(0, min(3, max(stride, dilation) - 1)) if transposed else 0,
    )


def _run(p, x, weight):
    common = dict(stride=p["stride"], padding=p["padding"], dilation=p["dilation"])
    if p["transposed"]:
        return convnb.conv_transpose2d(
            x, weight, output_padding=p["output_padding"], groups=p["groups"], **common
        )
    return convnb.conv2d(x, weight, groups=p["groups"], **common)


def expected_error(p) -> str | None:
    """str() of what convnb raises for this layer (None if it is valid)."""
    i, k, g = p["in_size"], p["kernel_size"], p["groups"]
    c_in, c_out = p["in_channels"], p["out_channels"]
    x = np.zeros((1, c_in, i, i))
    shape = (c_in, max(c_out // g, 1)) if p["transposed"] else (c_out, max(c_in // g, 1))
    try:
        _run(p, x, np.zeros((*shape, k, k)))
        # conv_transpose2d reads out_channels from the weight's shape, so a groups that
        # does not divide out_channels cannot reach it: the channel rule itself decides
        channels.input_channels(0, c_in, c_out, g)
    except (ValueError, TypeError) as err:
        return str(err)
    return None


def expected(p) -> dict:
    """Output size, footprint and channels by running convnb on probes."""
    i, k, g = p["in_size"], p["kernel_size"], p["groups"]
    c_in, c_out = p["in_channels"], p["out_channels"]
    shape = (c_in, c_out // g) if p["transposed"] else (c_out, c_in // g)
    size = _run(p, np.zeros((1, c_in, i, i)), np.zeros((*shape, k, k))).shape[-1]
    # footprint: one channel, all-ones kernel, a one-hot probe per cell
    ones = np.ones((1, 1, k, k))
    r, c = p["position"]
    if p["transposed"]:  # the output cells the selected input cell writes
        probe = np.zeros((1, 1, i, i))
        probe[0, 0, r, c] = 1.0
        written = _run({**p, "groups": 1}, probe, ones)[0, 0]
        footprint = sorted(map(list, zip(*np.nonzero(written))))
    else:  # the input cells the selected output reads
        probes = np.eye(i * i).reshape(i * i, 1, i, i)
        read = _run({**p, "groups": 1}, probes, ones)[:, 0, r, c]
        footprint = sorted(list(divmod(int(n), i)) for n in np.nonzero(read)[0])
    # channels: a one-hot probe per input channel, through a 1x1 layer with the same groups
    onehot = np.eye(c_in).reshape(c_in, c_in, 1, 1)
    w = np.ones((*shape, 1, 1))
    flat = dict(stride=1, padding=0, dilation=1, output_padding=0)
    reached = _run({**p, **flat}, onehot, w)[:, p["out_channel"], 0, 0]
    return dict(
        output_size=size,
        footprint=footprint,
        channels=[int(n) for n in np.nonzero(reached)[0]],
    )


def sweep(seed: int, n: int) -> list[dict]:
    rng = random.Random(seed)
    layers = []
    while len(layers) < n:
        p = random_layer(rng)
        if expected_error(p) is not None:
            continue
        p = {**p, "out_channel": rng.randrange(p["out_channels"])}
        grid = p["in_size"] if p["transposed"] else expected({**p, "position": [0, 0]})
        grid = grid if p["transposed"] else grid["output_size"]
        p["position"] = [rng.randrange(grid), rng.randrange(grid)]
        layers.append(p)
    return layers
