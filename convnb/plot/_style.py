"""The shared visual language of :mod:`convnb.plot`: colours, cells, slabs, labels."""

from __future__ import annotations

from matplotlib.collections import PatchCollection
from matplotlib.patches import Polygon, Rectangle

COLORS = {
    "input": "#a6c8e8",
    "kernel": "#f6b26b",
    "output": "#9fd49b",
    "padding": "#ffffff",
    "product": "#eeeeee",
    "edge": "#555555",
    "focus": "#000000",
    "faded": "#e8e8e8",
}


GROUP_COLORS = [
    "#4e79a7",
    "#f28e2b",
    "#59a14f",
    "#e15759",
    "#b07aa1",
    "#76b7b2",
    "#edc948",
    "#ff9da7",
    "#9c755f",
    "#bab0ac",
]


def group_color(group: int) -> str:
    """The colour of channel group ``group`` in every figure."""
    return GROUP_COLORS[group % len(GROUP_COLORS)]


def _fmt(value) -> str:
    value = complex(value)
    if value.imag:
        return f"{value:.2g}"
    real = value.real
    return f"{real:.0f}" if float(real).is_integer() else f"{real:.2g}"


def _cell(ax, x, y, text, color, *, hatch=None, focus=False, alpha=1.0):
    ax.add_patch(
        Rectangle(
            (x - 0.45, y - 0.4),
            0.9,
            0.8,
            facecolor=color,
            edgecolor=COLORS["focus"] if focus else COLORS["edge"],
            linewidth=2.2 if focus else 0.8,
            hatch=hatch,
            alpha=alpha,
        )
    )
    if text is not None:
        ax.text(x, y, text, ha="center", va="center", fontsize=10, alpha=alpha)


def _pair2(value, name):
    if isinstance(value, (tuple, list)):
        if len(value) != 2:
            raise ValueError(f"{name}={tuple(value)!r} must be an int or a pair for a 2-D picture")
        return tuple(int(v) for v in value)
    return (int(value), int(value))


def _square(
    ax,
    row,
    col,
    origin,
    *,
    color,
    hatch=None,
    edge=None,
    width=0.8,
    gid=None,
    text=None,
    alpha=1.0,
    dashed=False,
    fontsize=8,
):
    x0, y0 = origin
    patch = Rectangle(
        (x0 + col, y0 - row - 1),
        1,
        1,
        facecolor=color,
        edgecolor=edge or COLORS["edge"],
        linewidth=width,
        hatch=hatch,
        alpha=alpha,
        linestyle="--" if dashed else "-",
    )
    if gid:
        patch.set_gid(gid)
    ax.add_patch(patch)
    if text is not None:
        ax.text(x0 + col + 0.5, y0 - row - 0.5, text, ha="center", va="center", fontsize=fontsize)
    return patch


def _cells(ax, cells, origin, *, color, hatch=None, alpha=1.0):
    """Many plain cells as one collection (one draw call: the explorer redraws often)."""
    x0, y0 = origin
    rects = [Rectangle((x0 + c, y0 - r - 1), 1, 1) for r, c in cells]
    if rects:
        ax.add_collection(
            PatchCollection(
                rects,
                facecolor=color,
                edgecolor=COLORS["edge"],
                linewidth=0.8,
                hatch=hatch,
                alpha=alpha,
            )
        )


def _grid_label(ax, origin, width, text):
    """The "input ..." / "output ..." label centred above a grid whose top-left is origin."""
    ax.text(origin[0] + width / 2, origin[1] + 0.4, text, ha="center", va="bottom", fontsize=9)


def _finish(ax, title=None):
    ax.set_aspect("equal")
    ax.axis("off")
    ax.autoscale_view()
    bottom, top = ax.get_ylim()
    ax.set_ylim(bottom, top + 1.2)  # room for the "input"/"output" labels above the grids
    if title:
        ax.set_title(title, fontsize=10)
    return ax


def _pt(pair):
    return str(pair[0]) if pair[0] == pair[1] else f"{pair[0]},{pair[1]}"


def _pads_text(pads):
    flat = [v for p in pads for v in p]
    return str(flat[0]) if len(set(flat)) == 1 else " ".join(f"{a}/{b}" for a, b in pads)


def _slab(ax, x, y, color, *, edge, width, alpha, gid=None, depth=0.5):
    patch = Polygon(
        [(x, y), (x + 1.6, y), (x + 1.6 + depth, y + 0.5), (x + depth, y + 0.5)],
        closed=True,
        facecolor=color,
        edgecolor=edge,
        linewidth=width,
        alpha=alpha,
    )
    if gid:
        patch.set_gid(gid)
    ax.add_patch(patch)
