"""The shared visual language of :mod:`convnb.plot`: colours, cells, slabs, labels."""

from __future__ import annotations

import re

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


# Okabe and Ito's colour-blind-safe palette, without its green and its vermillion (so that no
# two groups are a red/green pair), then Paul Tol's wine and sand.
GROUP_COLORS = [
    "#0072b2",
    "#e69f00",
    "#cc79a7",
    "#56b4e9",
    "#f0e442",
    "#999999",
    "#882255",
    "#ddcc77",
]

# Text sizes in points. A figure at most WIDTH inches wide shows 11 pt text at 14.7 CSS px on
# a desktop page, and still at 10 CSS px or more in the 358 px column of a 390 px phone.
FONT = 11
TITLE = 12
WIDTH = 5.3


def book_style() -> None:
    """Make the figures of this session readable and crisp in the book's HTML pages.

    Inline figures become SVG (sharp on any screen) with their text kept as text, in a
    sans-serif font the browser has, the SVG ids become deterministic, and the default
    text size is :data:`FONT` points. Call it once, at the top of a chapter notebook.

    Examples
    --------
    >>> book_style()
    >>> import matplotlib
    >>> matplotlib.rcParams["svg.fonttype"]
    'none'
    """
    import matplotlib

    matplotlib.rcParams.update(_RC)
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython comes with every notebook
        return
    shell = get_ipython()
    if shell is not None:
        from matplotlib.figure import Figure
        from matplotlib_inline.backend_inline import set_matplotlib_formats

        set_matplotlib_formats("svg")
        svg = shell.display_formatter.formatters["image/svg+xml"]
        svg.for_type(Figure, lambda fig: svg_text(fig, bbox_inches="tight"))


_PROLOG = re.compile(r"^.*?(?=<svg)", re.S)
_METADATA = re.compile(r"\s*<metadata>.*?</metadata>", re.S)
_FONTS = re.compile(r"font-family: 'DejaVu Sans'[^;\"]*")
_DIGITS = re.compile(r"(\d\.\d\d)\d+")
_INDENT = re.compile(r"\n\s+")
# SVG's defaults (miter joins, butt caps) said again on every shape; clipping to the axes box
# of axes drawn with their whole content inside
_REDUNDANT = re.compile(
    r'; stroke-linejoin: miter|; stroke-linecap: butt| clip-path="url\(#[^)]*\)"'
)


def svg_text(fig, **savefig_kwargs) -> str:
    """``fig`` as a light SVG document: text kept as text, no metadata, 2 decimals.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots()
    >>> svg = svg_text(fig)
    >>> svg.startswith("<svg"), "<metadata>" in svg
    (True, False)
    >>> plt.close(fig)
    """
    import io

    import matplotlib

    buffer = io.StringIO()
    with matplotlib.rc_context(_RC):
        fig.savefig(buffer, format="svg", metadata={"Date": None}, **savefig_kwargs)
    text = _METADATA.sub("", _PROLOG.sub("", buffer.getvalue()))
    # hundredths of a point are invisible; the fonts: one a browser has, then any sans-serif
    text = _FONTS.sub("font-family: 'DejaVu Sans', Verdana, Arial, sans-serif", text)
    return _INDENT.sub("\n", _DIGITS.sub(r"\1", _REDUNDANT.sub("", text)))


_RC = {
    "svg.fonttype": "none",
    "svg.hashsalt": "convnb",
    "font.size": FONT,
    "axes.titlesize": TITLE,
    "axes.labelsize": FONT,
    "xtick.labelsize": FONT,
    "ytick.labelsize": FONT,
    "legend.fontsize": FONT,
}


def group_color(group: int) -> str:
    """The colour of channel group ``group`` in every figure.

    Parameters
    ----------
    group : int
        Index of the channel group (0 for the first). The palette has 8 colours, so
        groups ``g`` and ``g + 8`` share one.

    Returns
    -------
    str
        A hex colour such as ``"#0072b2"``.

    Examples
    --------
    >>> group_color(0), group_color(8)
    ('#0072b2', '#0072b2')
    """
    return GROUP_COLORS[group % len(GROUP_COLORS)]


def _fmt(value) -> str:
    value = complex(value)
    if value.imag:
        return f"{value:.2g}"
    return f"{value.real:.0f}" if value.real.is_integer() else f"{value.real:.2g}"


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
        ax.text(x, y, text, ha="center", va="center", fontsize=FONT, alpha=alpha)


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
    fontsize=FONT,
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
        gid=gid,
    )
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
    """The "input ..." / "output ..." label above a grid whose top-left is origin.

    Left-aligned on the grid, so that labels of grids side by side do not run into each other.
    """
    ax.text(origin[0], origin[1] + 0.3, text, ha="left", va="bottom", fontsize=FONT)


def _finish(ax, title=None):
    ax.set_aspect("equal")
    ax.axis("off")
    ax.autoscale_view()
    bottom, top = ax.get_ylim()
    ys = [t.get_position()[1] for t in ax.texts if t.get_va() == "bottom"]
    lows = [t.get_position()[1] for t in ax.texts if t.get_va() == "top"]
    # room for the labels above the grids (one line of text) and the notes below
    ax.set_ylim(min([bottom, *(y - 1.2 for y in lows)]), max([top, *ys]) + 1.3)
    if title:
        ax.set_title(title, fontsize=TITLE)
    return ax


def _pt(pair):
    return str(pair[0]) if pair[0] == pair[1] else f"{pair[0]},{pair[1]}"


def _pads_text(pads):
    flat = [v for p in pads for v in p]
    return str(flat[0]) if len(set(flat)) == 1 else " ".join(f"{a}/{b}" for a, b in pads)


def _slab(ax, x, y, color, *, edge, width, alpha, gid=None, depth=0.5):
    ax.add_patch(
        Polygon(
            [(x, y), (x + 1.6, y), (x + 1.6 + depth, y + 0.5), (x + depth, y + 0.5)],
            closed=True,
            facecolor=color,
            edgecolor=edge,
            linewidth=width,
            alpha=alpha,
            gid=gid,
        )
    )


def _plain_log(axis):
    """Log-axis labels as plain numbers (1, 10, 100): the default 10² draws its exponent at
    70 % of the text size, too small to read on a phone."""
    from matplotlib.ticker import FuncFormatter, LogLocator, NullFormatter

    axis.set_major_locator(LogLocator(base=10))
    axis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:g}"))
    axis.set_minor_formatter(NullFormatter())
