"""Pictures of convolutions, drawn from the same index maps the computations use.

Arrays in (any supported library; they are copied to NumPy here, the one place data leaves
its device for drawing), matplotlib Axes or animations out. Nothing here holds state or
knows about widgets; :mod:`convnb.widgets` builds on this module, never the other way.

The visual language, shared by every figure:

* input samples are blue, kernel samples orange, output samples green;
* implicit zeros (padding) are white with a grey hatch;
* the current output and the samples that make it are outlined in black;
* every row is labelled with what it is ("input", "kernel", "output");
* dilation holes (positions inside a kernel's span that it skips) are left unfilled inside a
  dashed outline of the span;
* channel groups get one colour each, from the same palette in every figure.

Patches that tests (or readers of the code) need to identify carry a ``gid``:
``"footprint:r,c"`` for a highlighted input cell, ``"output:r,c"`` for the chosen output,
``"feeds:c"`` for an input channel that feeds the chosen output channel.
"""

from __future__ import annotations

import base64
import io
import re

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.animation import FuncAnimation
from matplotlib.collections import PatchCollection
from matplotlib.patches import Polygon, Rectangle

from . import arithmetic, channels, windows
from . import signal as _signal
from ._backend import to_numpy

__all__ = [
    "COLORS",
    "animate",
    "animate_sliding",
    "benchmark",
    "channel_picture",
    "channel_shuffle",
    "connectivity",
    "heatmaps",
    "network",
    "player",
    "receptive_field",
    "roofline",
    "sliding_kernel",
    "spatial",
    "transposed",
]

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


def sliding_kernel(signal, kernel, shift, *, flip=False, ax=None):
    """Draw one step of a 1-D convolution or cross-correlation in ``"full"`` mode.

    Four labelled rows: the input with its implicit zeros, the kernel placed at ``shift``
    (reversed when ``flip`` is True), the products of the samples that meet, and the whole
    output with the current entry outlined. Which samples meet comes from
    :func:`convnb.signal.taps`; the output row is :func:`convnb.signal.convolve` or
    :func:`convnb.signal.correlate` itself.

    Parameters
    ----------
    signal, kernel : 1-D arrays
        Any supported array library.
    shift : int
        Output index in the full result, ``0 .. len(signal) + len(kernel) - 2``.
    flip : bool, default False
        True draws convolution (kernel reversed), False cross-correlation.
    ax : matplotlib Axes, optional
        Where to draw; a new figure is made if omitted.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import numpy as np
    >>> ax = sliding_kernel(np.array([1, 2, 3, 4]), np.array([1, 0, -1]), 3, flip=True)
    >>> [t.get_text() for t in ax.get_yticklabels()]
    ['input', 'kernel (flipped)', 'products', 'output']
    >>> plt.close(ax.figure)
    """
    f = np.asarray(to_numpy(signal))
    g = np.asarray(to_numpy(kernel))
    if f.ndim != 1 or g.ndim != 1:
        raise ValueError(f"signal and kernel must be 1-D, got shapes {f.shape} and {g.shape}")
    n, m = len(f), len(g)
    pairs = _signal.taps(n, m, shift, flip=flip)
    out = to_numpy((_signal.convolve if flip else _signal.correlate)(signal, kernel))
    if ax is None:
        _, ax = plt.subplots(figsize=(0.62 * (n + 2 * m) + 1.8, 3.0), layout="constrained")
    ax.clear()

    rows = {"input": 3, "kernel": 2, "products": 1, "output": 0}
    lo, hi = -(m - 1), n - 1 + (m - 1)
    covered = {i for i, _ in pairs}
    for x in range(lo, hi + 1):
        inside = 0 <= x < n
        _cell(
            ax,
            x,
            rows["input"],
            _fmt(f[x]) if inside else "0",
            COLORS["input"] if inside else COLORS["padding"],
            hatch=None if inside else "///",
            focus=x in covered,
            alpha=1.0 if inside else 0.7,
        )
    for i, j in pairs:
        gj = np.conj(g[j]) if not flip else g[j]
        _cell(ax, i, rows["kernel"], _fmt(g[j]), COLORS["kernel"], focus=True)
        ax.text(i, rows["kernel"] - 0.52, f"k[{j}]", ha="center", va="top", fontsize=7)
        product = f[i] * gj if 0 <= i < n else 0
        _cell(ax, i, rows["products"], _fmt(product), COLORS["product"])
    # output n is drawn under the centre of the kernel that produced it
    centre = (m - 1) // 2
    for k, value in enumerate(out):
        x = k - (m - 1) + centre
        _cell(ax, x, rows["output"], _fmt(value), COLORS["output"], focus=k == shift)
    ax.text(
        shift - (m - 1) + centre,
        rows["output"] - 0.55,
        f"out[{shift}]",
        ha="center",
        va="top",
        fontsize=8,
    )

    ax.set_xlim(lo - 0.6, hi + 0.6)
    ax.set_ylim(-0.9, 3.6)
    ax.set_yticks(list(rows.values()))
    kernel_label = "kernel (flipped)" if flip else "kernel"
    ax.set_yticklabels(["input", kernel_label, "products", "output"])
    ax.set_xticks(range(lo, hi + 1))
    ax.tick_params(axis="x", labelsize=8)
    ax.set_xlabel("position along the input")
    for side in ("top", "right", "left"):
        ax.spines[side].set_visible(False)
    name = "convolution (kernel flipped)" if flip else "cross-correlation (no flip)"
    ax.set_title(f"{name}: out[{shift}] = {_fmt(out[shift])}", fontsize=11)
    ax.set_aspect("equal")
    return ax


def animate_sliding(signal, kernel, *, flip=False, interval=700, dpi=72):
    """Animate :func:`sliding_kernel` over every output position.

    The figure is closed before returning, so a notebook shows only the animation; call
    ``.to_jshtml()`` on the result for a player that runs in a plain browser. ``dpi`` sets
    the resolution of the frames, which are inlined as PNG images in that player.

    Returns
    -------
    matplotlib.animation.FuncAnimation

    Examples
    --------
    >>> import numpy as np
    >>> anim = animate_sliding(np.arange(4.0), np.array([1.0, -1.0]))
    >>> len(list(anim.new_frame_seq()))  # one frame per output of the full result
    5
    >>> html = anim.to_jshtml()  # a self-contained player: frames inlined, no CDN
    """
    n, m = len(to_numpy(signal)), len(to_numpy(kernel))
    ax = sliding_kernel(signal, kernel, 0, flip=flip)
    fig = ax.figure
    anim = FuncAnimation(
        fig,
        lambda k: sliding_kernel(signal, kernel, k, flip=flip, ax=ax),
        frames=n + m - 1,
        interval=interval,
    )
    plt.close(fig)  # (closing resets the dpi, so set it afterwards)
    fig.set_dpi(dpi)
    return anim


# --- spatial pictures -------------------------------------------------------------------------


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


def _finish(ax, title=None):
    ax.set_aspect("equal")
    ax.axis("off")
    ax.autoscale_view()
    bottom, top = ax.get_ylim()
    ax.set_ylim(bottom, top + 1.2)  # room for the "input"/"output" labels above the grids
    if title:
        ax.set_title(title, fontsize=10)
    return ax


def spatial(input_size, kernel_size, position=(0, 0), *, stride=1, padding=0, dilation=1, ax=None):
    """The spatial picture of a 2-D convolution at one output position.

    Left: the input grid with its padding (hatched), the kernel's taps at ``position``
    (orange; holes of a dilated kernel stay empty inside the dashed span), and a dot at the
    corner of every window the stride visits. Right: the output grid with ``position``
    outlined. The taps are :func:`convnb.windows.footprint`, the map :func:`convnb.conv`
    reads through, and the output size is :func:`convnb.arithmetic.conv_output_size`.

    Parameters
    ----------
    input_size, kernel_size : int or (int, int)
        Height and width (an int means square).
    position : (int, int), default (0, 0)
        Output position to show.
    stride, dilation : int or (int, int)
    padding : int, (int, int), "same" or "valid"
        As in :func:`convnb.conv`.
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> ax = spatial(5, 3, (1, 1), stride=2, padding=1)
    >>> sorted(p.get_gid() for p in ax.patches if (p.get_gid() or "").startswith("output"))
    ['output:1,1']
    >>> plt.close(ax.figure)
    """
    size, kernel = _pair2(input_size, "input_size"), _pair2(kernel_size, "kernel_size")
    stride, dilation = _pair2(stride, "stride"), _pair2(dilation, "dilation")
    pads = arithmetic.resolve_padding(padding, size, kernel, stride, dilation)
    out = tuple(arithmetic.conv_output_size(*a) for a in zip(size, kernel, stride, pads, dilation))
    position = tuple(int(p) for p in position)
    if not all(0 <= p < o for p, o in zip(position, out)):
        raise ValueError(f"position={position} is outside the output of size {out}")
    if ax is None:
        width = pads[1][0] + size[1] + pads[1][1] + out[1] + 3
        height = max(pads[0][0] + size[0] + pads[0][1], out[0]) + 2
        _, ax = plt.subplots(
            figsize=(0.42 * width + 0.5, 0.42 * height + 0.6), layout="constrained"
        )
    ax.clear()

    taps = windows.footprint(position, kernel, stride, pads, dilation)
    (top, bottom), (left, right) = pads
    origin = (0.0, 0.0)
    padded = [(r, c) for r in range(top + size[0] + bottom) for c in range(left + size[1] + right)]
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
    # where the stride puts each window's first tap
    corners = [windows.footprint(p, kernel, stride, pads, dilation)[0] for p in np.ndindex(*out)]
    ax.plot(
        [c + left + 0.5 for _, c in corners],
        [-(r + top) - 0.5 for r, _ in corners],
        "o",
        color=COLORS["focus"],
        markersize=2.5,
        gid="stride-corners",
    )
    ax.text(
        (left + size[1] + right) / 2,
        0.4,
        f"input {size[0]}×{size[1]}"
        + (f", padding {_pads_text(pads)}" if any(sum(p) for p in pads) else ""),
        ha="center",
        va="bottom",
        fontsize=9,
    )

    ox = left + size[1] + right + 2
    oy = -((top + size[0] + bottom) - out[0]) / 2
    _cells(ax, list(np.ndindex(*out)), (ox, oy), color=COLORS["output"])
    _square(
        ax,
        *position,
        (ox, oy),
        color=COLORS["output"],
        edge=COLORS["focus"],
        width=2.2,
        gid=f"output:{position[0]},{position[1]}",
    )
    ax.text(
        ox + out[1] / 2,
        oy + 0.4,
        f"output {out[0]}×{out[1]}",
        ha="center",
        va="bottom",
        fontsize=9,
    )
    return _finish(
        ax,
        f"kernel {kernel[0]}×{kernel[1]}, stride {_pt(stride)}, "
        f"dilation {_pt(dilation)}: output {position}",
    )


def _pt(pair):
    return str(pair[0]) if pair[0] == pair[1] else f"{pair[0]},{pair[1]}"


def _pads_text(pads):
    flat = [v for p in pads for v in p]
    return str(flat[0]) if len(set(flat)) == 1 else " ".join(f"{a}/{b}" for a, b in pads)


def transposed(
    input_size,
    kernel_size,
    position=(0, 0),
    *,
    stride=1,
    padding=0,
    dilation=1,
    output_padding=0,
    ax=None,
):
    """The scatter picture of a 2-D transposed convolution for one input sample.

    Left: the input grid with ``position`` outlined. Right: the output grid, every cell
    showing how many (input sample, kernel tap) products are added into it (the overlap
    count, shaded: uneven counts are the checkerboard artifact), and the footprint that
    ``position`` is scattered onto outlined in orange. Cells of the footprint trimmed away
    by ``padding`` are drawn dashed outside the grid. The footprint is
    :func:`convnb.windows.footprint` and the counts :func:`convnb.windows.overlap_counts`.

    Returns
    -------
    matplotlib.axes.Axes

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
    if ax is None:
        width = size[1] + out[1] + 4
        height = max(size[0], out[0]) + 3
        _, ax = plt.subplots(
            figsize=(0.42 * width + 0.5, 0.42 * height + 0.6), layout="constrained"
        )
    ax.clear()
    iy = -(out[0] - size[0]) / 2 - 1
    _cells(ax, list(np.ndindex(*size)), (0, iy), color=COLORS["input"])
    _square(
        ax,
        *position,
        (0, iy),
        color=COLORS["input"],
        edge=COLORS["focus"],
        width=2.2,
        gid=f"input:{position[0]},{position[1]}",
    )
    ax.text(
        size[1] / 2, iy + 0.4, f"input {size[0]}×{size[1]}", ha="center", va="bottom", fontsize=9
    )

    ox, oy = size[1] + 2, -1.0
    top = counts.max()
    shades = plt.get_cmap("Greens")
    cells = list(np.ndindex(*out))
    _cells(ax, cells, (ox, oy), color=[shades(0.15 + 0.6 * counts[p] / top) for p in cells])
    for r, c in cells:
        ax.text(
            ox + c + 0.5, oy - r - 0.5, str(counts[r, c]), ha="center", va="center", fontsize=8
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
    ax.text(
        ox + out[1] / 2,
        oy + 0.4,
        f"output {out[0]}×{out[1]} (numbers: overlap count)",
        ha="center",
        va="bottom",
        fontsize=9,
    )
    return _finish(
        ax,
        f"transposed: kernel {kernel[0]}×{kernel[1]}, stride {_pt(stride)}, "
        f"padding {_pt(pads)}: input {position} scattered",
    )


def animate(
    input_size,
    kernel_size,
    *,
    stride=1,
    padding=0,
    dilation=1,
    transposed=False,
    output_padding=0,
    interval=600,
    dpi=72,
):
    """Animate :func:`spatial` over every output position (or :func:`transposed` over every
    input position when ``transposed`` is True), for ``.to_jshtml()``.

    Returns
    -------
    matplotlib.animation.FuncAnimation

    Examples
    --------
    >>> anim = animate(4, 3, padding=1, stride=2)
    >>> len(list(anim.new_frame_seq()))  # a 2x2 output
    4
    """
    size, kernel = _pair2(input_size, "input_size"), _pair2(kernel_size, "kernel_size")
    st, dil = _pair2(stride, "stride"), _pair2(dilation, "dilation")
    if transposed:
        positions = list(np.ndindex(*size))

        def draw(p, ax=None):
            return _transposed(
                size,
                kernel,
                p,
                stride=st,
                padding=padding,
                dilation=dil,
                output_padding=output_padding,
                ax=ax,
            )
    else:
        pads = arithmetic.resolve_padding(padding, size, kernel, st, dil)
        out = tuple(arithmetic.conv_output_size(*a) for a in zip(size, kernel, st, pads, dil))
        positions = list(np.ndindex(*out))

        def draw(p, ax=None):
            return spatial(size, kernel, p, stride=st, padding=padding, dilation=dil, ax=ax)

    ax = draw(positions[0])
    fig = ax.figure
    anim = FuncAnimation(
        fig, lambda i: draw(positions[i], ax=ax), frames=len(positions), interval=interval
    )
    plt.close(fig)  # (closing resets the dpi, so set it afterwards)
    fig.set_dpi(dpi)
    return anim


_transposed = transposed  # `animate` has an argument of that name


# --- channel pictures -------------------------------------------------------------------------


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


def channel_picture(in_channels, out_channels, groups=1, out_channel=0, *, kernel_size=3, ax=None):
    """The channel picture: input and output tensors as stacks of channel slabs.

    Each slab is one channel, coloured by its group. The input slabs that feed
    ``out_channel`` (:func:`convnb.channels.input_channels`) are drawn solid and joined to
    it; the others are faded. ``groups=1`` is a dense layer, ``groups=in_channels`` a
    depthwise one (``out_channels = m * in_channels`` for channel multiplier ``m``), and a
    1x1 ``kernel_size`` a pointwise one.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> ax = channel_picture(4, 8, groups=4, out_channel=5)  # depthwise, multiplier 2
    >>> sorted(p.get_gid() for p in ax.patches if (p.get_gid() or "").startswith("feeds"))
    ['feeds:2']
    >>> plt.close(ax.figure)
    """
    c_in, c_out = int(in_channels), int(out_channels)
    feeding = channels.input_channels(out_channel, c_in, c_out, groups)
    per_in, per_out = c_in // groups, c_out // groups
    if ax is None:
        _, ax = plt.subplots(figsize=(6.2, 0.32 * max(c_in, c_out) + 1.6), layout="constrained")
    ax.clear()
    step = 0.62
    top = max(c_in, c_out) * step
    y_in = [top - (top - c_in * step) / 2 - (c + 1) * step for c in range(c_in)]
    y_out = [top - (top - c_out * step) / 2 - (o + 1) * step for o in range(c_out)]
    for c in range(c_in):
        on = c in feeding
        _slab(
            ax,
            0,
            y_in[c],
            group_color(c // per_in),
            edge=COLORS["focus"] if on else "none",
            width=1.5 if on else 0,
            alpha=1.0 if on else 0.25,
            gid=f"feeds:{c}" if on else f"channel:{c}",
        )
        if on:
            ax.plot(
                [2.1, 5.0],
                [y_in[c] + 0.25, y_out[out_channel] + 0.25],
                color=COLORS["edge"],
                linewidth=0.8,
            )
    for o in range(c_out):
        on = o == out_channel
        _slab(
            ax,
            5.0,
            y_out[o],
            group_color(o // per_out),
            edge=COLORS["focus"] if on else "none",
            width=2.0 if on else 0,
            alpha=1.0 if on else 0.35,
            gid=f"out_channel:{o}" if on else None,
        )
    k = _pair2(kernel_size, "kernel_size")
    kind = (
        "dense"
        if groups == 1
        else f"depthwise, multiplier {c_out // c_in}"
        if groups == c_in
        else f"groups={groups}"
    )
    ax.text(1.05, top + 0.3, f"input: {c_in} channels", ha="center", fontsize=9)
    ax.text(6.05, top + 0.3, f"output: {c_out} channels", ha="center", fontsize=9)
    return _finish(
        ax,
        f"{k[0]}×{k[1]} {kind}: output channel {out_channel} reads "
        f"input {feeding.start}..{feeding.stop - 1}",
    )


def connectivity(in_channels, out_channels, groups=1, *, shuffled_from=None, ax=None):
    """The connectivity picture: which weights exist, as an out x in matrix.

    Row ``o``, column ``c`` is filled (in the colour of the group) when output channel ``o``
    reads input channel ``c``: :func:`convnb.channels.connectivity`. Grouped layers are
    block-diagonal. With ``shuffled_from=g``, the columns are the channels *before* a
    channel shuffle with ``g`` groups (:func:`convnb.channels.shuffle_permutation`): every
    output group then reads from every earlier group.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> ax = connectivity(4, 4, groups=2)
    >>> int((ax.images[0].get_array()[..., 3] > 0).sum())  # filled cells
    8
    >>> plt.close(ax.figure)
    """
    mask = np.array(channels.connectivity(in_channels, out_channels, groups))
    c_out, c_in = mask.shape
    if shuffled_from is not None:
        perm = channels.shuffle_permutation(c_in, shuffled_from)
        unshuffled = np.zeros_like(mask)
        unshuffled[:, perm] = mask  # column perm[j] of the earlier layer is column j here
        mask = unshuffled
    rgba = np.ones((c_out, c_in, 4))
    rgba[..., 3] = 0.0
    per_out = c_out // groups
    for o in range(c_out):
        color = matplotlib.colors.to_rgba(group_color(o // per_out))
        rgba[o, mask[o]] = color
    if ax is None:
        _, ax = plt.subplots(figsize=(0.3 * c_in + 1.8, 0.3 * c_out + 1.3), layout="constrained")
    ax.clear()
    ax.imshow(rgba, interpolation="nearest", extent=(-0.5, c_in - 0.5, c_out - 0.5, -0.5))
    ax.set_xticks(range(c_in))
    ax.set_yticks(range(c_out))
    ax.tick_params(labelsize=7)
    ax.set_xticks(np.arange(-0.5, c_in), minor=True)
    ax.set_yticks(np.arange(-0.5, c_out), minor=True)
    ax.grid(which="minor", color="#cccccc", linewidth=0.5)
    ax.tick_params(which="minor", length=0)
    ax.set_xlabel("input channel" + (" (before the shuffle)" if shuffled_from else ""))
    ax.set_ylabel("output channel")
    title = "dense" if groups == 1 else f"groups={groups}"
    if shuffled_from:
        title += f", after a shuffle of {shuffled_from} groups"
    ax.set_title(f"weights that exist: {title}", fontsize=10)
    return ax


def channel_shuffle(channels_count, groups, *, ax=None):
    """Channel shuffle as a picture: each channel's group colour, before and after.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> ax = channel_shuffle(6, 2)
    >>> len(ax.lines)  # one line per channel
    6
    >>> plt.close(ax.figure)
    """
    perm = channels.shuffle_permutation(channels_count, groups)
    per = channels_count // groups
    if ax is None:
        _, ax = plt.subplots(figsize=(0.5 * channels_count + 1.5, 2.4), layout="constrained")
    ax.clear()
    for j, src in enumerate(perm):
        _square(ax, 0, src, (0, 2.5), color=group_color(src // per), text=str(src))
        _square(ax, 0, j, (0, 0), color=group_color(src // per), text=str(src))
        ax.plot([src + 0.5, j + 0.5], [1.5, 0.0], color=COLORS["edge"], linewidth=0.8)
    ax.text(-0.3, 2.0, "before", ha="right", va="center", fontsize=9)
    ax.text(-0.3, -0.5, "after", ha="right", va="center", fontsize=9)
    return _finish(ax, f"channel shuffle: {channels_count} channels, {groups} groups")


# --- receptive field --------------------------------------------------------------------------


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
    out_size = input_size
    for layer in padded:
        out_size = arithmetic.conv_output_size(
            out_size,
            layer["kernel_size"],
            layer.get("stride", 1),
            layer["padding"],
            layer.get("dilation", 1),
        )
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


# --- maps of values ------------------------------------------------------------------------


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


# --- networks -------------------------------------------------------------------------------


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


# --- performance ----------------------------------------------------------------------------


def benchmark(report, *, axes=None):
    """Bar charts of a benchmark report (:mod:`convnb.bench`): GFLOP/s and time / PyTorch.

    Returns
    -------
    list of matplotlib.axes.Axes

    Examples
    --------
    >>> from convnb import bench
    >>> axes = benchmark(bench.load_report("cpu-2-threads"))
    >>> axes[0].get_xlabel()
    'GFLOP/s (2 x multiply-accumulates per second)'
    >>> plt.close(axes[0].figure)
    """
    rows = report["results"]
    names = [r["workload"] for r in rows]
    if axes is None:
        _, axes = plt.subplots(
            1, 2, figsize=(11, 0.32 * len(rows) + 1.4), sharey=True, layout="constrained"
        )
    y = np.arange(len(rows))
    rate = [r["gflops"] for r in rows]
    axes[0].barh(y, rate, color=COLORS["output"], edgecolor=COLORS["edge"])
    axes[0].axvline(
        report["sgemm_gflops"],
        color=COLORS["focus"],
        linestyle="--",
        label=f"float32 matrix multiply: {report['sgemm_gflops']:.0f}",
    )
    axes[0].set_yticks(y, names, fontsize=8)
    axes[0].invert_yaxis()
    axes[0].set_xlabel("GFLOP/s (2 x multiply-accumulates per second)")
    axes[0].legend(fontsize=8, loc="lower right")
    ratios = [r["ratio"] if r["ratio"] is not None else np.nan for r in rows]
    axes[1].barh(y, ratios, color=COLORS["kernel"], edgecolor=COLORS["edge"])
    axes[1].axvline(1.0, color=COLORS["focus"], linewidth=1)
    axes[1].set_xlabel("time of convnb / time of PyTorch (lower is better)")
    threads = report.get("threads") or "default"
    axes[0].set_title(f"convnb on NumPy, {threads} thread(s)", fontsize=10)
    axes[1].set_title(f"against PyTorch {report.get('torch') or '(not installed)'}", fontsize=10)
    return list(axes)


def roofline(report, *, ax=None):
    """Each workload placed by arithmetic intensity (FLOP per byte moved) and GFLOP/s.

    The two ceilings are this machine's measured memory bandwidth (a slope: GB/s times
    FLOP/byte) and its float32 matrix-multiply rate (flat). A layer below the slope's part of
    the roof is limited by memory, below the flat part by arithmetic.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> from convnb import bench
    >>> ax = roofline(bench.load_report("cpu-2-threads"))
    >>> ax.get_xscale(), ax.get_yscale()
    ('log', 'log')
    >>> plt.close(ax.figure)
    """
    rows = report["results"]
    if ax is None:
        _, ax = plt.subplots(figsize=(7.5, 5), layout="constrained")
    bandwidth, peak = report["bandwidth_gbs"], report["sgemm_gflops"]
    intensity = np.array([r["intensity"] for r in rows])
    rate = np.array([r["gflops"] for r in rows])
    xs = np.logspace(np.log10(min(intensity.min(), 0.5) / 2), np.log10(intensity.max() * 3), 100)
    ax.plot(
        xs,
        np.minimum(bandwidth * xs, peak),
        color=COLORS["focus"],
        linewidth=1.5,
        label=f"roof: {bandwidth:.0f} GB/s, {peak:.0f} GFLOP/s",
    )
    kinds = sorted({r["kind"] for r in rows})
    for k, kind in enumerate(kinds):
        pick = [i for i, r in enumerate(rows) if r["kind"] == kind]
        ax.scatter(
            intensity[pick],
            rate[pick],
            color=group_color(k),
            edgecolor="black",
            zorder=3,
            label=kind,
        )
    for r, x, y in zip(rows, intensity, rate):
        ax.annotate(
            r["workload"].split(" ")[0] + " " + r["workload"].split(" ")[1],
            (x, y),
            fontsize=7,
            xytext=(4, -3),
            textcoords="offset points",
        )
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("arithmetic intensity (FLOP per byte of input, weights and output)")
    ax.set_ylabel("GFLOP/s")
    ax.legend(fontsize=8, loc="lower right")
    ax.set_title("where each layer sits under the machine's roof", fontsize=10)
    return ax


# --- static players ---------------------------------------------------------------------------

_FRAME = re.compile(r"data:image/png;base64,([^\"]*)")
_CDN_LINK = re.compile(r"<link[^>]*font-awesome[^>]*>", re.S)
_ICON = re.compile(r'<i class="fa fa-([a-z-]+)( fa-flip-horizontal)?"></i>')
# matplotlib's player draws its buttons with Font Awesome icons fetched from a CDN; plain
# characters need nothing from the network and look the same everywhere
_GLYPHS = {
    "minus": "\u2212",
    "plus": "+",
    "fast-backward": "|\u25c0\u25c0",
    "step-backward": "|\u25c0",
    "play reversed": "\u25c0",
    "pause": "\u275a\u275a",
    "play": "\u25b6",
    "step-forward": "\u25b6|",
    "fast-forward": "\u25b6\u25b6|",
}


def player(anim, *, colors: int = 48) -> str:
    """A self-contained HTML player for ``anim``: ``anim.to_jshtml()``, lighter and offline.

    Every frame is re-encoded as a PNG with a palette of ``colors`` colours (the book's
    pictures use a handful), which makes a page about 3 times lighter than matplotlib's
    full-colour frames with no visible change, and the buttons' icons, which matplotlib
    loads from a CDN, become plain characters. The player needs no kernel and no network.

    Examples
    --------
    >>> html = player(animate(3, 2))
    >>> html.count("data:image/png;base64,")  # one frame per output of a 2x2 result
    4
    >>> "http" in html
    False
    """
    from PIL import Image  # matplotlib depends on Pillow

    def lighter(match):
        raw = base64.b64decode(match.group(1).replace("\\\n", ""))
        image = Image.open(io.BytesIO(raw)).convert("RGB")
        image = image.quantize(colors=colors, method=Image.Quantize.MEDIANCUT)
        buffer = io.BytesIO()
        image.save(buffer, format="PNG", optimize=True)
        return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")

    def glyph(match):
        name = match.group(1) + (" reversed" if match.group(2) else "")
        return f"<span>{_GLYPHS.get(name, name)}</span>"

    html = _FRAME.sub(lighter, anim.to_jshtml())
    return _ICON.sub(glyph, _CDN_LINK.sub("", html))
