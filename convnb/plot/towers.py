"""AlexNet's two towers: each layer split between two GPUs, cross-GPU layers marked."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import matplotlib.pyplot as plt
from matplotlib.patches import FancyArrowPatch, Rectangle

from ..networks import NETWORKS, Conv, Linear, Pool
from ._style import COLORS, FONT, WIDTH, _finish, group_color

if TYPE_CHECKING:
    import matplotlib.axes

__all__ = ["two_towers"]


def _width(layer) -> int:
    """Channels (or features) a layer outputs."""
    return layer.out_channels if isinstance(layer, Conv) else layer.out_features


def two_towers(
    layers: Sequence[Conv | Pool | Linear] | None = None,
    *,
    ax: matplotlib.axes.Axes | None = None,
) -> matplotlib.axes.Axes:
    """The two-GPU picture of a network split in two towers, drawn from its description.

    Each convolution or fully connected layer is a column of two boxes, one per GPU, each
    holding half of the layer's channels. A layer that reads only its own GPU's half
    (``groups=2``) gets straight arrows; a layer that reads both halves (``groups=1``, and
    every fully connected layer) gets crossing arrows as well, drawn in red, with its name
    in red. Pooling layers work per channel, so they stay inside their tower and are
    written under the layer they follow.

    Parameters
    ----------
    layers : sequence of Conv, Pool and Linear, optional
        A network of :mod:`convnb.networks` layers, in order; AlexNet's
        (``NETWORKS["AlexNet"]``) by default. Any other kind of layer is a ValueError.
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure by default.

    Returns
    -------
    matplotlib.axes.Axes
        Crossing arrows carry the gid ``"cross:<layer name>"``.

    Examples
    --------
    >>> ax = two_towers()
    >>> sorted({p.get_gid().split(":")[1] for p in ax.patches
    ...         if (p.get_gid() or "").startswith("cross:")})
    ['conv3', 'fc6', 'fc7', 'fc8']
    >>> plt.close(ax.figure)
    """
    if layers is None:
        layers = NETWORKS["AlexNet"][0]
    columns = []  # (layer, [pool names that follow it])
    for layer in layers:
        if isinstance(layer, Pool):
            if columns:
                columns[-1][1].append(layer.name)
        elif isinstance(layer, Conv | Linear):
            columns.append((layer, []))
        else:
            raise ValueError(f"two_towers draws Conv, Pool and Linear layers, got {layer!r}")
    if ax is None:
        _, ax = plt.subplots(figsize=(0.75 * WIDTH, 4.0), layout="constrained")
    ax.clear()
    step, box_w, box_h = 1.05, 0.62, 0.9
    ys = (1.55, 0.05)  # GPU 1 above, GPU 2 below
    ax.add_patch(
        Rectangle(
            (0, ys[1]),
            box_w,
            ys[0] + box_h - ys[1],
            facecolor=COLORS["input"],
            edgecolor=COLORS["edge"],
        )
    )
    ax.text(
        box_w / 2,
        ys[0] + box_h + 0.12,
        "input",
        ha="center",
        va="bottom",
        rotation=60,
        fontsize=FONT + 1.5,
    )
    for col, (layer, pools) in enumerate(columns, start=1):
        x = col * step
        # the first layer reads the whole input on both GPUs: no crossing arrows
        cross = col > 1 and (isinstance(layer, Linear) or layer.groups == 1)
        color = "#c0392b" if cross else COLORS["edge"]
        half = _width(layer) // 2
        for gpu, y in enumerate(ys):
            ax.add_patch(
                Rectangle(
                    (x, y),
                    box_w,
                    box_h,
                    facecolor=group_color(gpu),
                    alpha=0.55,
                    edgecolor=COLORS["edge"],
                    gid=f"tower:{layer.name}:{gpu}",
                )
            )
            ax.text(
                x + box_w / 2,
                y + box_h / 2,
                f"{half:,}",
                ha="center",
                va="center",
                rotation=90,
                fontsize=FONT + 1.5,
            )
        ax.text(
            x + box_w / 2,
            ys[0] + box_h + 0.12,
            layer.name,
            ha="left",
            va="bottom",
            rotation=60,
            fontsize=FONT + 1.5,
            color=color,
            fontweight="bold" if cross else "normal",
        )
        if pools:
            ax.text(
                x + box_w / 2,
                ys[1] - 0.18,
                "+ pool",
                ha="center",
                va="top",
                rotation=90,
                fontsize=FONT + 1.5,
                color=COLORS["edge"],
            )
        x0 = x - step + box_w
        for src, y_src in enumerate(ys):
            for dst, y_dst in enumerate(ys):
                if src != dst and not cross:
                    continue
                ax.add_patch(
                    FancyArrowPatch(
                        (x0, y_src + box_h / 2),
                        (x, y_dst + box_h / 2),
                        arrowstyle="-|>",
                        mutation_scale=7,
                        lw=0.9,
                        color=color if src != dst else COLORS["edge"],
                        gid=(f"cross:{layer.name}" if src != dst else f"same:{layer.name}"),
                    )
                )
    for gpu, y in enumerate(ys):
        ax.text(
            -0.1, y + box_h / 2, f"GPU {gpu + 1}", ha="right", va="center", fontsize=FONT + 1.5
        )
    ax.set_xlim(-0.8, (len(columns) + 1) * step)
    _finish(ax, "channels on each GPU; red: a layer that reads both GPUs' halves")
    ax.set_ylim(-1.0, ys[0] + box_h + 1.0)
    return ax
