"""Maps over the input: receptive fields of stacks and networks, arrays side by side."""

from __future__ import annotations

import textwrap
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.colors import ListedColormap
from matplotlib.patches import Rectangle

from .. import arithmetic, networks, windows
from .._backend import to_numpy
from .._typing import Array
from ._style import COLORS, FONT, WIDTH, _plain_log

if TYPE_CHECKING:
    import matplotlib.axes

    import convnb.networks


def receptive_field(
    layers: Sequence[Mapping[str, int]],
    *,
    input_size: int | None = None,
    axes: Sequence[matplotlib.axes.Axes] | None = None,
) -> list[matplotlib.axes.Axes]:
    """What one output of a stack of layers sees, after each layer, in 2-D.

    One panel per layer: the input grid shaded by the number of paths from each input
    sample to the output (:func:`convnb.windows.receptive_field_counts`, the same map along
    both axes), with the receptive-field size of the stack
    (:func:`convnb.arithmetic.receptive_field`) and the span of that layer's own kernel.
    Holes inside the field are inputs the output never sees (gridding). The panels share
    one colour scale, shown with its label beside them.

    Parameters
    ----------
    layers : sequence of mappings
        ``kernel_size`` and optionally ``stride``, ``padding``, ``dilation`` (ints).
        A layer without ``padding`` is drawn with ``dilation * (kernel_size - 1) // 2``
        (the size-keeping padding of an odd kernel at stride 1).
    input_size : int, optional
        Side of the square input drawn; defaults to the final receptive field plus 4.
    axes : sequence of matplotlib.axes.Axes, optional
        One per layer, to draw into (each cleared first); a new figure with a colour bar
        if omitted.

    Returns
    -------
    list of matplotlib.axes.Axes
        One per layer, in order, each showing an ``input_size x input_size`` map.

    Examples
    --------
    >>> axes = receptive_field([{"kernel_size": 3, "dilation": d} for d in (1, 2, 4)])
    >>> [ax.get_title().splitlines()[0] for ax in axes]
    ['layer 1: 3×3', 'layer 2: 7×7', 'layer 3: 15×15']
    >>> plt.close(axes[0].figure)
    """
    layers = list(layers)
    fields = arithmetic.receptive_field(layers)
    if input_size is None:
        input_size = fields[-1].size + 4
    padded = [
        {"padding": layer.get("dilation", 1) * (layer["kernel_size"] - 1) // 2, **layer}
        for layer in layers
    ]
    out_size = arithmetic.stack_sizes(padded, input_size)[-1]
    maps = windows.receptive_field_counts(padded, input_size, out_size // 2)
    grids = [np.outer(np.array(c), np.array(c)) for c in maps]
    top = max(int(g.max()) for g in grids)
    new = axes is None
    if new:
        axes = _panel_row(len(layers), 1.3)
    for n, (ax, layer, field, grid) in enumerate(zip(axes, layers, fields, grids), start=1):
        ax.clear()
        shown = ax.imshow(
            np.where(grid > 0, grid, np.nan),
            cmap=_PATHS,
            vmin=0.5,
            vmax=top + 0.5,
            interpolation="nearest",
        )
        ax.set_xticks(np.arange(-0.5, input_size), minor=True)
        ax.set_yticks(np.arange(-0.5, input_size), minor=True)
        ax.grid(which="minor", color="#dddddd", linewidth=0.4)
        ax.tick_params(which="both", length=0, labelbottom=False, labelleft=False)
        span = layer.get("dilation", 1) * (layer["kernel_size"] - 1) + 1
        ax.set_title(f"layer {n}: {field.size}×{field.size}\n(spans {span}×{span})", fontsize=FONT)
    if new:
        bar = axes[0].figure.colorbar(shown, ax=axes, shrink=0.8, aspect=15)
        bar.set_label("paths to the output", fontsize=FONT)
        bar.ax.tick_params(labelsize=FONT)
        bar.ax.yaxis.set_major_locator(plt.MaxNLocator(4, integer=True))
    return axes


# light to dark orange, without the near-white start: one path must still show
_PATHS = ListedColormap(plt.get_cmap("Oranges")(np.linspace(0.3, 1.0, 256)))


def heatmaps(
    images: Sequence[Array],
    titles: Sequence[str],
    *,
    axes: Sequence[matplotlib.axes.Axes] | None = None,
    cmap: str = "viridis",
    label: str = "value",
) -> list[matplotlib.axes.Axes]:
    """A row of 2-D arrays drawn side by side, on one shared colour scale.

    For comparing what different layers do to the same input (for example the
    checkerboard of a transposed convolution against its remedies): the same colour is
    the same value in every panel. Each title gets a line with that array's range; the
    colour bar carries ``label``.

    Parameters
    ----------
    images : sequence of Array
        2-D arrays, each of shape ``(H_i, W_i)`` (the shapes may differ), from any
        supported array library.
    titles : sequence of str
        One title per image (wrapped to the panel's width).
    axes : sequence of matplotlib.axes.Axes, optional
        One per image, to draw into (each cleared first); a new figure with a colour bar
        if omitted.
    cmap : str, default "viridis"
        A matplotlib colour map name.
    label : str, default "value"
        The colour bar's label (only drawn on a new figure).

    Returns
    -------
    list of matplotlib.axes.Axes
        One per image, in order.

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
    for image in images:
        if image.ndim != 2:
            raise ValueError(f"heatmaps draws 2-D arrays, got shape {image.shape}")
    low = min(float(a.min()) for a in images)
    high = max(float(a.max()) for a in images)
    new = axes is None
    if new:
        axes = _panel_row(len(images), 1.4)
    chars = max(12, int(axes[0].get_position().width * axes[0].figure.get_figwidth() * 72 / 6.5))
    for ax, image, title in zip(axes, images, titles):
        ax.clear()
        shown = ax.imshow(image, cmap=cmap, vmin=low, vmax=high, interpolation="nearest")
        wrapped = textwrap.fill(title, chars)
        ax.set_title(f"{wrapped}\n{image.min():.3g} to {image.max():.3g}", fontsize=FONT)
        ax.set_xticks([])
        ax.set_yticks([])
    if new:
        bar = axes[0].figure.colorbar(shown, ax=axes, shrink=0.8, aspect=15)
        bar.set_label(label, fontsize=FONT)
        bar.ax.tick_params(labelsize=FONT)
    return axes


def network(
    rows: Sequence[convnb.networks.Row],
    layer: int,
    input_shape: tuple[int, int, int],
    *,
    axes: Sequence[matplotlib.axes.Axes] | None = None,
) -> list[matplotlib.axes.Axes]:
    """What one layer of a network sees, and what the network has cost up to it.

    Top: a synthetic test image of the network's input size with the receptive field of
    that layer's central output drawn on it (size and position from
    :func:`convnb.networks.summarize`; the part outside the image is the padding it sees).
    Bottom: the running totals of parameters and multiply-accumulates, layer by layer, with
    the chosen layer marked.

    Parameters
    ----------
    rows : sequence of convnb.networks.Row
        The network's rows, from :func:`convnb.networks.summarize`.
    layer : int
        Index of the row to show, in ``0 .. len(rows) - 1``.
    input_shape : (int, int, int)
        The network's input ``(C, H, W)``; the test image is ``H x W``.
    axes : sequence of two matplotlib.axes.Axes, optional
        Where to draw the image and the totals (each cleared first); a new figure if
        omitted.

    Returns
    -------
    list of matplotlib.axes.Axes
        ``[image, totals]``.

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
    cy, cx = networks._centre(rows, layer)
    _, h, w = input_shape
    yy, xx = np.mgrid[0:h, 0:w]
    image = np.sin(xx / 9.0) * np.cos(yy / 13.0) + ((xx // 32 + yy // 32) % 2) * 0.6
    if axes is None:
        _, axes = plt.subplots(
            2,
            1,
            figsize=(WIDTH, 7.4),
            layout="constrained",
            gridspec_kw={"height_ratios": [1, 1.25]},
        )
    left, right = axes
    left.clear()
    left.imshow(image, cmap="gray", interpolation="nearest")
    row = rows[layer]
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
        f"(input {h}x{w}, one output step = {row.rf_jump} pixels)",
        fontsize=FONT,
    )
    left.set_xticks([])
    left.set_yticks([])
    right.clear()
    x = np.arange(len(rows))
    params = np.maximum(np.cumsum([r.params for r in rows]) / 1e6, 1e-3)
    macs = np.maximum(np.cumsum([r.macs for r in rows]) / 1e6, 1e-3)
    right.plot(x, macs, "o-", color="#0072b2", label="multiply-accumulates")
    right.plot(x, params, "s--", color="#e69f00", label="parameters")
    right.axvline(layer, color=COLORS["focus"], linestyle=":", linewidth=1.2)
    step = max(1, -(-len(rows) // 18))  # at most 18 names along the axis
    right.set_xticks(x[::step], [r.name for r in rows][::step], rotation=90, fontsize=FONT)
    right.tick_params(axis="y", which="both", labelsize=FONT)
    right.set_yscale("log")
    _plain_log(right.yaxis)
    right.set_ylabel("millions, running total", fontsize=FONT)
    # above the axes, where it can cover no curve
    right.legend(
        fontsize=FONT, loc="lower center", bbox_to_anchor=(0.5, 1.0), ncol=2, frameon=False
    )
    right.set_title(
        f"up to {row.name}: {macs[layer]:.1f}M MACs, {params[layer]:.2f}M parameters",
        fontsize=FONT,
        pad=26,
    )
    return [left, right]


def _panel_row(n, titles):
    """A new row of ``n`` square panels within WIDTH, ``titles`` inches added for the titles."""
    panel = min(2.2, (WIDTH - 0.9) / n)
    size = (panel * n + 0.9, panel + titles)
    _, axes = plt.subplots(1, n, figsize=size, layout="constrained", squeeze=False)
    return list(axes[0])
