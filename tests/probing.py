"""Independent index maps, measured by running convnb.conv on one-hot inputs.

A convolution is linear, so which inputs an output depends on (and through how many
products) can be read off by convolving unit impulses with all-ones kernels. These helpers
never call convnb.windows or convnb.channels: they are what those modules are tested against.
"""

from __future__ import annotations

import numpy as np

import convnb


def dependence_2d(size, kernel, stride=1, padding=0, dilation=1):
    """counts[p][q]: products of input q (2-D) in output p of a 1-channel conv, ones kernel."""
    h, w = size
    impulses = np.eye(h * w).reshape(h * w, 1, h, w)
    out = convnb.conv(
        impulses, np.ones((1, 1, *kernel)), stride=stride, padding=padding, dilation=dilation
    )
    oh, ow = out.shape[2:]
    # out[q, 0, p] -> counts[p, q]
    return {
        (i, j): {
            (q // w, q % w): int(np.rint(out[q, 0, i, j]))
            for q in range(h * w)
            if out[q, 0, i, j] != 0
        }
        for i in range(oh)
        for j in range(ow)
    }


def channel_dependence(in_channels, out_channels, groups):
    """mask[o, c]: does output channel o change when input channel c does?"""
    x = np.eye(in_channels).reshape(in_channels, in_channels, 1, 1)
    w = np.ones((out_channels, in_channels // groups, 1, 1))
    y = convnb.conv(x, w, groups=groups)[:, :, 0, 0]  # y[c, o]
    return (y != 0).T


def stack_paths_1d(layers, input_size, unit_positions):
    """paths[l][q]: all-ones path count from input q to the given unit after layer l+1."""
    impulses = np.eye(input_size).reshape(input_size, 1, input_size)
    result = []
    h = impulses
    for layer, unit in zip(layers, unit_positions):
        h = convnb.conv(
            h,
            np.ones((1, 1, layer["kernel_size"])),
            stride=layer.get("stride", 1),
            padding=layer.get("padding", 0),
            dilation=layer.get("dilation", 1),
        )
        result.append([int(np.rint(v)) for v in h[:, 0, unit]])
    return result
