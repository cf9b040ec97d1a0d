"""Pictures of tiles and halos, drawn from :func:`convnb.halos.tile_plan` (the plan the
computation uses), never from a separate copy of the geometry."""

from __future__ import annotations

from collections.abc import Sequence
from itertools import accumulate
from typing import TYPE_CHECKING

import matplotlib.pyplot as plt
from matplotlib.patches import Rectangle

from ..halos import AxisPlan
from ._style import COLORS, FONT, WIDTH

if TYPE_CHECKING:
    import matplotlib.axes

__all__ = ["halo_cone", "tiles"]

_HALO = COLORS["kernel"]
_CORE = COLORS["output"]


def tiles(
    rows: AxisPlan,
    cols: AxisPlan,
    picks: Sequence[tuple[int, int]],
    *,
    ax: matplotlib.axes.Axes | None = None,
) -> matplotlib.axes.Axes:
    """An image split into chunks, with the window (chunk plus halo) of some tiles.

    Parameters
    ----------
    rows, cols : AxisPlan
        The plans along the two spatial axes (:func:`convnb.tiled.tile_plan`).
    picks : sequence of (int, int)
        ``(row tile, column tile)`` indices of the tiles whose windows are drawn.
    ax : matplotlib.axes.Axes, optional
        Where to draw (not cleared); a new figure if omitted.

    Returns
    -------
    matplotlib.axes.Axes
        The image is blue with the chunk boundaries in black; for each picked tile, its
        own input chunk is green and its halo orange, outlined; the padding around the
        image (where windows reach past the edge) is hatched.
    """
    if ax is None:
        _, ax = plt.subplots(
            figsize=(0.85 * WIDTH, 0.85 * WIDTH * 0.8 * rows.sizes[0] / cols.sizes[0])
        )
    h, w = rows.sizes[0], cols.sizes[0]
    row_bounds, col_bounds = _bounds(rows), _bounds(cols)
    pb, pr = rows.pad_before, cols.pad_before
    ax.add_patch(
        Rectangle((-pr, -pb), w + pr + max(cols.pad_after, 0), h + pb + max(rows.pad_after, 0),
                  facecolor="white", edgecolor=COLORS["edge"], hatch="//", linewidth=0.5)
    )  # fmt: skip
    ax.add_patch(Rectangle((0, 0), w, h, facecolor=COLORS["input"], edgecolor="none"))
    for i, j in picks:
        (r0, r1), (c0, c1) = rows.tiles[i].inputs[0], cols.tiles[j].inputs[0]
        ax.add_patch(Rectangle((c0, r0), c1 - c0, r1 - r0, facecolor=_HALO, alpha=0.8))
        (a, b), (c, d) = row_bounds[i : i + 2], col_bounds[j : j + 2]  # the tile's own chunk
        ax.add_patch(Rectangle((c, a), d - c, b - a, facecolor=_CORE, edgecolor="none"))
        ax.add_patch(
            Rectangle((c0, r0), c1 - c0, r1 - r0, fill=False, edgecolor=COLORS["focus"],
                      linewidth=2, linestyle="--")
        )  # fmt: skip
        ax.text(c0 + 0.3, r0 + 0.3, f"tile ({i}, {j})", va="top", fontsize=FONT)
    for boundary in row_bounds[1:-1]:
        ax.plot([0, w], [boundary, boundary], color=COLORS["focus"], linewidth=1.2)
    for boundary in col_bounds[1:-1]:
        ax.plot([boundary, boundary], [0, h], color=COLORS["focus"], linewidth=1.2)
    ax.add_patch(Rectangle((0, 0), w, h, fill=False, edgecolor=COLORS["edge"], linewidth=1.5))
    ax.legend(
        handles=[
            Rectangle((0, 0), 1, 1, facecolor=_CORE, label="the tile's own chunk"),
            Rectangle((0, 0), 1, 1, facecolor=_HALO, label="its halo"),
            Rectangle((0, 0), 1, 1, facecolor="white", hatch="//", edgecolor=COLORS["edge"],
                      label="padding"),
        ],
        loc="upper left", bbox_to_anchor=(1.01, 1), frameon=False,
    )  # fmt: skip
    ax.set_xlim(-pr - 0.5, w + max(cols.pad_after, 0) + 0.5)
    ax.set_ylim(h + max(rows.pad_after, 0) + 0.5, -pb - 0.5)
    ax.set_aspect("equal")
    ax.set_xlabel("column")
    ax.set_ylabel("row")
    return ax


def _bounds(plan):
    """Where the input chunks start, then where the last one ends."""
    return list(accumulate(plan.chunks, initial=0))


def halo_cone(
    plan: AxisPlan,
    tile: int,
    *,
    names: Sequence[str] | None = None,
    ax: matplotlib.axes.Axes | None = None,
) -> matplotlib.axes.Axes:
    """Along one axis: the window each layer reads for one tile, from input to output.

    Parameters
    ----------
    plan : AxisPlan
        From :func:`convnb.tiled.tile_plan`.
    tile : int
        Which tile.
    names : sequence of str, optional
        Row labels, input first (default ``x``, ``h1``, ..., ``y``).
    ax : matplotlib.axes.Axes, optional
        Where to draw (not cleared); a new figure if omitted.

    Returns
    -------
    matplotlib.axes.Axes
        One row per layer input and one for the output; each row shows that activation's
        positions (blue inside, hatched in the padding) and, in orange, the window the tile
        needs, whose width at the input is its chunk plus the halo.
    """
    windows = [*plan.tiles[tile].inputs, plan.tiles[tile].output]
    n = len(windows)
    names = list(names) if names is not None else ["x", *(f"h{k}" for k in range(1, n - 1)), "y"]
    if ax is None:
        _, ax = plt.subplots(figsize=(0.85 * WIDTH, 0.6 * n + 0.8))
    lo = min(min(w[0] for w in windows), 0)
    hi = max(max(w[1] for w in windows), max(plan.sizes))
    for row, ((a, b), size, name) in enumerate(zip(windows, plan.sizes, names)):
        y = n - 1 - row
        for pos in range(lo, hi):
            inside = 0 <= pos < size
            color = _HALO if a <= pos < b else COLORS["input"] if inside else "white"
            ax.add_patch(
                Rectangle((pos, y - 0.35), 0.9, 0.7, facecolor=color,
                          edgecolor=COLORS["edge"], linewidth=0.5,
                          hatch=None if inside else "//")
            )  # fmt: skip
        ax.text(lo - 0.6, y, name, ha="right", va="center", fontsize=FONT)
        ax.text(hi + 0.3, y, f"{b - a} read", ha="left", va="center", fontsize=FONT)
    ax.set_xlim(lo - 2.5, hi + 3)
    ax.set_ylim(-0.7, n - 0.3)
    ax.set_yticks([])
    ax.set_xlabel("position (below 0 and past the end: padding)")
    for side in ("left", "right", "top"):
        ax.spines[side].set_visible(False)
    return ax
