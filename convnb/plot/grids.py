"""2-D pictures of one convolution or transposed convolution, and their animation."""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.animation import FuncAnimation
from matplotlib.patches import Rectangle

from .. import arithmetic, windows
from ._player import _animation
from ._style import (
    COLORS,
    FONT,
    WIDTH,
    _cells,
    _finish,
    _grid_label,
    _pads_text,
    _pair2,
    _pt,
    _square,
)

if TYPE_CHECKING:
    import matplotlib.axes


def spatial(
    input_size: int | tuple[int, int],
    kernel_size: int | tuple[int, int],
    position: tuple[int, int] = (0, 0),
    *,
    stride: int | tuple[int, int] = 1,
    padding: int | tuple[int, int] | str = 0,
    dilation: int | tuple[int, int] = 1,
    ax: matplotlib.axes.Axes | None = None,
) -> matplotlib.axes.Axes:
    """The spatial picture of a 2-D convolution at one output position.

    Left: the input grid with its padding (hatched), the kernel's taps at ``position``
    (orange; holes of a dilated kernel stay empty inside the dashed span), and, when the
    stride skips positions, a dot at the corner of every window the stride visits. Right:
    the output grid with ``position`` outlined. The taps are
    :func:`convnb.windows.footprint`, the map :func:`convnb.conv` reads through, and the
    geometry is :func:`convnb.arithmetic.geometry`.

    Parameters
    ----------
    input_size, kernel_size : int or (int, int)
        Height and width (an int means square).
    position : (int, int), default (0, 0)
        Output position to show; must lie inside the output.
    stride, dilation : int or (int, int), default 1
        Step between windows and spacing of the kernel's taps, per axis, as in
        :func:`convnb.conv`.
    padding : int, (int, int), "same" or "valid", default 0
        As in :func:`convnb.conv`.
    ax : matplotlib.axes.Axes, optional
        Where to draw (cleared first); a new figure if omitted.

    Returns
    -------
    matplotlib.axes.Axes
        The axes drawn on. The kernel's taps carry the gid ``"footprint:r,c"`` (input
        coordinates, without padding), the chosen output ``"output:r,c"``.

    Examples
    --------
    >>> ax = spatial(5, 3, (1, 1), stride=2, padding=1)
    >>> sorted(p.get_gid() for p in ax.patches if (p.get_gid() or "").startswith("output"))
    ['output:1,1']
    >>> plt.close(ax.figure)
    """
    size, kernel = _pair2(input_size, "input_size"), _pair2(kernel_size, "kernel_size")
    stride, dilation = _pair2(stride, "stride"), _pair2(dilation, "dilation")
    _, _, pads, out = arithmetic.geometry(size, kernel, stride, padding, dilation)
    position = tuple(int(p) for p in position)
    if not all(0 <= p < o for p, o in zip(position, out)):
        raise ValueError(f"position={position} is outside the output of size {out}")
    (top, bottom), (left, right) = pads
    rows, cols = top + size[0] + bottom, left + size[1] + right  # the padded input
    ax = _axes(ax, cols + out[1] + 3, max(rows, out[0]) + 2)

    taps = windows.footprint(position, kernel, stride, pads, dilation)
    origin = (0.0, 0.0)
    padded = list(np.ndindex(rows, cols))
    data = [(r, c) for r, c in padded if top <= r < top + size[0] and left <= c < left + size[1]]
    _cells(ax, data, origin, color=COLORS["input"])
    _cells(
        ax,
        sorted(set(padded) - set(data)),
        origin,
        color=COLORS["padding"],
        hatch="///",
        alpha=0.8,
    )
    for r, c in taps:
        _square(
            ax,
            r + top,
            c + left,
            origin,
            color=COLORS["kernel"],
            edge=COLORS["focus"],
            width=1.8,
            gid=f"footprint:{r},{c}",
        )
    # the span of the dilated kernel, holes included
    r0, c0 = taps[0]
    span = tuple(d * (k - 1) + 1 for d, k in zip(dilation, kernel))
    ax.add_patch(
        Rectangle(
            (c0 + left, -(r0 + top) - span[0]),
            span[1],
            span[0],
            fill=False,
            linestyle="--",
            linewidth=1.2,
            edgecolor=COLORS["focus"],
        )
    )
    if max(stride) > 1:
        # where the stride puts each window's first tap (with stride 1: every cell, noise)
        corners = [
            windows.footprint(p, kernel, stride, pads, dilation)[0] for p in np.ndindex(*out)
        ]
        ax.plot(
            [c + left + 0.5 for _, c in corners],
            [-(r + top) - 0.5 for r, _ in corners],
            "o",
            color=COLORS["focus"],
            markersize=3,
            gid="stride-corners",
        )
    _grid_label(
        ax,
        origin,
        cols,
        f"input {size[0]}×{size[1]}"
        + (f", padding {_pads_text(pads)}" if any(sum(p) for p in pads) else ""),
    )

    _grid(ax, "output", out, (cols + 2, -(rows - out[0]) / 2), position)
    return _finish(
        ax,
        f"kernel {kernel[0]}×{kernel[1]}, stride {_pt(stride)}, "
        f"dilation {_pt(dilation)}\noutput {position}",
    )


def transposed(
    input_size: int | tuple[int, int],
    kernel_size: int | tuple[int, int],
    position: tuple[int, int] = (0, 0),
    *,
    stride: int | tuple[int, int] = 1,
    padding: int | tuple[int, int] = 0,
    dilation: int | tuple[int, int] = 1,
    output_padding: int | tuple[int, int] = 0,
    ax: matplotlib.axes.Axes | None = None,
) -> matplotlib.axes.Axes:
    """The scatter picture of a 2-D transposed convolution for one input sample.

    Left: the input grid with ``position`` outlined. Right: the output grid, every cell
    showing how many (input sample, kernel tap) products are added into it (the overlap
    count, shaded: uneven counts are the checkerboard artifact), and the footprint that
    ``position`` is scattered onto outlined in orange. Cells of the footprint trimmed away
    by ``padding`` are drawn dashed outside the grid. The footprint is
    :func:`convnb.windows.footprint` and the counts :func:`convnb.windows.overlap_counts`.

    Parameters
    ----------
    input_size, kernel_size : int or (int, int)
        Height and width of the transposed convolution's input and kernel (an int means
        square).
    position : (int, int), default (0, 0)
        Input position whose scatter is shown; must lie inside the input.
    stride, padding, dilation, output_padding : int or (int, int)
        As in :func:`convnb.conv_transpose`: ``padding`` trims that many rows and columns
        from each side of the full output, ``output_padding`` adds some at the end.
    ax : matplotlib.axes.Axes, optional
        Where to draw (cleared first); a new figure if omitted.

    Returns
    -------
    matplotlib.axes.Axes
        The axes drawn on. Footprint cells inside the output carry the gid
        ``"footprint:r,c"``, trimmed ones ``"trimmed:r,c"`` (output coordinates), the
        chosen input ``"input:r,c"``.

    Examples
    --------
    >>> ax = transposed(3, 3, (1, 1), stride=2)
    >>> len([p for p in ax.patches if (p.get_gid() or "").startswith("footprint")])
    9
    >>> plt.close(ax.figure)
    """
    size, kernel = _pair2(input_size, "input_size"), _pair2(kernel_size, "kernel_size")
    stride, dilation = _pair2(stride, "stride"), _pair2(dilation, "dilation")
    pads, opad = _pair2(padding, "padding"), _pair2(output_padding, "output_padding")
    out = tuple(
        arithmetic.conv_transpose_output_size(*a)
        for a in zip(size, kernel, stride, pads, dilation, opad)
    )
    position = tuple(int(p) for p in position)
    if not all(0 <= p < n for p, n in zip(position, size)):
        raise ValueError(f"position={position} is outside the input of size {size}")
    counts = np.array(windows.overlap_counts(size, kernel, stride, pads, dilation, opad))
    ax = _axes(ax, size[1] + out[1] + 4, max(size[0], out[0]) + 3)
    _grid(ax, "input", size, (0, -(out[0] - size[0]) / 2 - 1), position)

    ox, oy = size[1] + 2, -1.0
    top = counts.max()
    shades = plt.get_cmap("Greens")
    cells = list(np.ndindex(*out))
    _cells(ax, cells, (ox, oy), color=[shades(0.15 + 0.6 * counts[p] / top) for p in cells])
    for r, c in cells:
        ax.text(
            ox + c + 0.5, oy - r - 0.5, str(counts[r, c]), ha="center", va="center", fontsize=FONT
        )
    for r, c in windows.footprint(position, kernel, stride, pads, dilation):
        inside = 0 <= r < out[0] and 0 <= c < out[1]
        patch = _square(
            ax,
            r,
            c,
            (ox, oy),
            color="none",
            edge=COLORS["kernel"],
            width=2.4,
            dashed=not inside,
            gid=f"footprint:{r},{c}" if inside else f"trimmed:{r},{c}",
        )
        patch.set_fill(False)
    # above the rows that padding trims, where footprints are drawn dashed
    _grid_label(ax, (ox, oy + pads[0]), out[1], f"output {out[0]}×{out[1]}")
    ax.text(
        ox + out[1] / 2,
        oy - out[0] - 0.3,
        "numbers: overlap count",
        ha="center",
        va="top",
        fontsize=FONT,
    )
    return _finish(
        ax,
        f"transposed: kernel {kernel[0]}×{kernel[1]}, stride {_pt(stride)}, "
        f"padding {_pt(pads)}\ninput {position} scattered",
    )


def animate(
    input_size: int | tuple[int, int],
    kernel_size: int | tuple[int, int],
    *,
    stride: int | tuple[int, int] = 1,
    padding: int | tuple[int, int] | str = 0,
    dilation: int | tuple[int, int] = 1,
    transposed: bool = False,
    output_padding: int | tuple[int, int] = 0,
    interval: int = 900,
    dpi: int = 72,
) -> FuncAnimation:
    """Animate :func:`spatial` over every output position (or :func:`transposed` over every
    input position when ``transposed`` is True), for ``.to_jshtml()``.

    Parameters
    ----------
    input_size, kernel_size : int or (int, int)
        Height and width (an int means square).
    stride, padding, dilation : int or (int, int)
        As in :func:`spatial` (``padding`` may also be ``"same"`` or ``"valid"`` there),
        or as in :func:`transposed` when ``transposed`` is True.
    transposed : bool, default False
        Animate the scatter of a transposed convolution instead of the windows of a
        convolution.
    output_padding : int or (int, int), default 0
        Used only when ``transposed`` is True.
    interval : int, default 900
        Milliseconds per frame.
    dpi : int, default 72
        Resolution of the frames (``.to_jshtml()`` inlines them as PNG images).

    Returns
    -------
    matplotlib.animation.FuncAnimation
        One frame per output position in row-major order (per input position when
        ``transposed``); its figure is closed, so a notebook shows only the animation.

    Examples
    --------
    >>> anim = animate(4, 3, padding=1, stride=2)
    >>> len(list(anim.new_frame_seq()))  # a 2x2 output
    4
    """
    size, kernel = _pair2(input_size, "input_size"), _pair2(kernel_size, "kernel_size")
    st, dil = _pair2(stride, "stride"), _pair2(dilation, "dilation")
    if transposed:
        picture = functools.partial(_transposed, output_padding=output_padding)
        positions = list(np.ndindex(*size))
    else:
        picture = spatial
        positions = list(np.ndindex(*arithmetic.geometry(size, kernel, st, padding, dil).out))

    def draw(i, ax=None):
        return picture(size, kernel, positions[i], stride=st, padding=padding, dilation=dil, ax=ax)

    return _animation(draw, len(positions), interval, dpi)


_transposed = transposed  # `animate` has an argument of that name


def _axes(ax, width, height):
    """``ax`` cleared, or new axes for a picture of width x height cells, at most WIDTH
    inches wide (text stays readable on a phone; the cells shrink instead)."""
    if ax is None:
        cell = min(0.42, (WIDTH - 0.5) / width)
        size = (cell * width + 0.5, cell * height + 1.0)
        _, ax = plt.subplots(figsize=size, layout="constrained")
    ax.clear()
    return ax


def _grid(ax, name, shape, origin, position):
    """The labelled ``name`` grid ("input" or "output") with ``position`` outlined."""
    _cells(ax, list(np.ndindex(*shape)), origin, color=COLORS[name])
    _square(
        ax,
        *position,
        origin,
        color=COLORS[name],
        edge=COLORS["focus"],
        width=2.2,
        gid=f"{name}:{position[0]},{position[1]}",
    )
    _grid_label(ax, origin, shape[1], f"{name} {shape[0]}×{shape[1]}")
