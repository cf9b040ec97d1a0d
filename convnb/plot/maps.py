"""Maps over the input: receptive fields of stacks and networks, arrays side by side."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.patches import Rectangle

from .. import arithmetic, windows
from .._backend import to_numpy
from ._style import COLORS


def receptive_field(layers, *, input_size=None, axes=None):
    """What one output of a stack of layers sees, after each layer, in 2-D.

    One panel per layer: the input grid shaded by the number of paths from each input
    sample to the output (:func:`convnb.windows.receptive_field_counts`, the same map along
    both axes), with the receptive-field size of the stack
    (:func:`convnb.arithmetic.receptive_field`) and the span of that layer's own kernel.
    Holes inside the field are inputs the output never sees (gridding).

    Parameters
    ----------
    layers : sequence of mappings
        ``kernel_size`` and optionally ``stride``, ``padding``, ``dilation`` (ints).
    input_size : int, optional
        Defaults to the final receptive field plus a margin.

    Returns
    -------
    list of matplotlib.axes.Axes

    Examples
    --------
    >>> axes = receptive_field([{"kernel_size": 3, "dilation": d} for d in (1, 2, 4)])
    >>> [ax.get_title().splitlines()[0] for ax in axes]
    ['after layer 1: 3×3', 'after layer 2: 7×7', 'after layer 3: 15×15']
    >>> plt.close(axes[0].figure)
    """
    layers = list(layers)
    fields = arithmetic.receptive_field(layers)
    if input_size is None:
        input_size = fields[-1].size + 4
    padded = [
        dict(layer, padding=layer.get("dilation", 1) * (layer["kernel_size"] - 1) // 2)
        if "padding" not in layer
        else layer
        for layer in layers
    ]
    out_size = arithmetic.stack_sizes(padded, input_size)[-1]
    maps = windows.receptive_field_counts(padded, input_size, out_size // 2)
    if axes is None:
        _, axes = plt.subplots(
            1, len(layers), figsize=(3.0 * len(layers), 3.4), layout="constrained", squeeze=False
        )
        axes = list(axes[0])
    for n, (ax, layer, field, counts) in enumerate(zip(axes, layers, fields, maps), start=1):
        counts = np.array(counts)
        grid = np.outer(counts, counts)
        ax.clear()
        ax.imshow(
            np.where(grid > 0, grid, np.nan), cmap="Oranges", vmin=0, interpolation="nearest"
        )
        ax.set_xticks(np.arange(-0.5, input_size), minor=True)
        ax.set_yticks(np.arange(-0.5, input_size), minor=True)
        ax.grid(which="minor", color="#dddddd", linewidth=0.4)
        ax.tick_params(which="both", length=0, labelbottom=False, labelleft=False)
        span = layer.get("dilation", 1) * (layer["kernel_size"] - 1) + 1
        ax.set_title(
            f"after layer {n}: {field.size}×{field.size}\n"
            f"(this layer's kernel spans {span}×{span})",
            fontsize=9,
        )
    return axes


def heatmaps(images, titles, *, axes=None, cmap="viridis"):
    """A row of 2-D arrays drawn side by side, each with its title and its value range.

    For comparing what different layers do to the same input (for example the
    checkerboard of a transposed convolution against its remedies).

    Returns
    -------
    list of matplotlib.axes.Axes

    Examples
    --------
    >>> import numpy as np
    >>> axes = heatmaps([np.eye(3), np.ones((3, 3))], ["identity", "ones"])
    >>> [ax.get_title().splitlines()[0] for ax in axes]
    ['identity', 'ones']
    >>> plt.close(axes[0].figure)
    """
    images = [np.asarray(to_numpy(a)) for a in images]
    if len(images) != len(titles):
        raise ValueError(f"got {len(images)} images but {len(titles)} titles")
    if axes is None:
        _, axes = plt.subplots(
            1, len(images), figsize=(3.2 * len(images), 3.4), layout="constrained", squeeze=False
        )
        axes = list(axes[0])
    for ax, image, title in zip(axes, images, titles):
        if image.ndim != 2:
            raise ValueError(f"heatmaps draws 2-D arrays, got shape {image.shape}")
        ax.clear()
        shown = ax.imshow(image, cmap=cmap, interpolation="nearest")
        ax.set_title(f"{title}\nmin {image.min():.3g}, max {image.max():.3g}", fontsize=9)
        ax.set_xticks([])
        ax.set_yticks([])
        ax.figure.colorbar(shown, ax=ax, shrink=0.7)
    return axes


def network(rows, layer, input_shape, *, axes=None):
    """What one layer of a network sees, and what the network has cost up to it.

    Left: a synthetic test image of the network's input size with the receptive field of
    that layer's central output drawn on it (size and position from
    :func:`convnb.networks.summarize`; the part outside the image is the padding it sees).
    Right: the running totals of parameters and multiply-accumulates, layer by layer, with
    the chosen layer marked.

    Returns
    -------
    list of matplotlib.axes.Axes

    Examples
    --------
    >>> from convnb import networks
    >>> layers, shape = networks.NETWORKS["AlexNet"]
    >>> axes = network(networks.summarize(layers, shape), 4, shape)
    >>> axes[0].get_title().splitlines()[0]
    'conv3: receptive field 99x99'
    >>> plt.close(axes[0].figure)
    """
    rows = list(rows)
    if not 0 <= layer < len(rows):
        raise ValueError(f"layer={layer} is not in 0..{len(rows) - 1}")
    _, h, w = input_shape
    yy, xx = np.mgrid[0:h, 0:w]
    image = np.sin(xx / 9.0) * np.cos(yy / 13.0) + ((xx // 32 + yy // 32) % 2) * 0.6
    if axes is None:
        _, axes = plt.subplots(
            1, 2, figsize=(11, 4.2), layout="constrained", gridspec_kw={"width_ratios": [1, 1.4]}
        )
    left, right = axes
    left.clear()
    left.imshow(image, cmap="gray", interpolation="nearest")
    row = rows[layer]
    spatial = (
        row.shape
        if len(row.shape) == 3
        else rows[max(i for i in range(layer + 1) if len(rows[i].shape) == 3)].shape
    )
    centre = (spatial[1] // 2, spatial[2] // 2)
    cy = row.rf_start + centre[0] * row.rf_jump
    cx = row.rf_start + centre[1] * row.rf_jump
    half = row.rf_size / 2
    left.add_patch(
        Rectangle(
            (cx - half, cy - half),
            row.rf_size,
            row.rf_size,
            fill=False,
            edgecolor=COLORS["kernel"],
            linewidth=2.5,
        )
    )
    left.plot([cx], [cy], "o", color=COLORS["kernel"])
    left.set_xlim(min(-0.5, cx - half - 2), max(w - 0.5, cx + half + 2))
    left.set_ylim(max(h - 0.5, cy + half + 2), min(-0.5, cy - half - 2))
    left.set_title(
        f"{row.name}: receptive field {row.rf_size}x{row.rf_size}\n"
        f"(input {h}x{w}, one output step = {row.rf_jump} input pixels)",
        fontsize=9,
    )
    left.set_xticks([])
    left.set_yticks([])
    right.clear()
    x = np.arange(len(rows))
    params = np.maximum(np.cumsum([r.params for r in rows]) / 1e6, 1e-3)
    macs = np.maximum(np.cumsum([r.macs for r in rows]) / 1e6, 1e-3)
    right.plot(x, macs, "o-", color=COLORS["output"], label="multiply-accumulates (millions)")
    right.plot(x, params, "s-", color=COLORS["input"], label="parameters (millions)")
    right.axvline(layer, color=COLORS["focus"], linestyle="--", linewidth=1)
    right.set_xticks(x, [r.name for r in rows], rotation=90, fontsize=7)
    right.set_yscale("log")
    right.legend(fontsize=8, loc="upper left")
    right.set_title(
        f"running totals: {macs[layer]:.1f}M MACs, {params[layer]:.2f}M parameters "
        f"up to {row.name}",
        fontsize=9,
    )
    return [left, right]
