"""3-D tensor pictures of the channel axis, and their animations.

A tensor of shape ``(C, H, W)`` is a box: rows go down, columns right, channels into the
page (channel 0 in front), drawn in an oblique projection. Its channels are tinted by
group. The samples one output reads are drawn as solid cubes inside it; a kernel is a box
of its own (``C_in/groups`` deep); the output sample it writes is a solid cube of the output.
What is read comes from :func:`convnb.windows.footprint` (where) and
:func:`convnb.channels.input_channels` (which channels), the maps :func:`convnb.conv`
computes with. Cubes carry a ``gid``: ``"reads:c,r,col"`` for an input sample read,
``"writes:o,r,col"`` for the output sample written.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.animation import FuncAnimation
from matplotlib.colors import to_rgba
from matplotlib.patches import Polygon

from .. import arithmetic, channels, windows
from . import _player
from ._style import COLORS, FONT, TITLE, WIDTH, _pair2, _square, group_color

if TYPE_CHECKING:
    import matplotlib.axes

DX, DY = 0.5, 0.38  # the projection of one channel of depth


def _p(origin, col, row, ch):
    return (origin[0] + col + ch * DX, origin[1] - row + ch * DY)


# the corners of a voxel's visible faces, as (column, row, channel) offsets from its own
_FACES = {
    "front": ((0, 0, 0), (1, 0, 0), (1, 1, 0), (0, 1, 0)),
    "top": ((0, 0, 0), (1, 0, 0), (1, 0, 1), (0, 0, 1)),
    "right": ((1, 0, 0), (1, 1, 0), (1, 1, 1), (1, 0, 1)),
}


def _corners(origin, face, col, row, ch):
    return [_p(origin, col + dc, row + dr, ch + dd) for dc, dr, dd in _FACES[face]]


def _box(x0, y0, x1, y1):
    """The corners of an upright rectangle."""
    return [(x0, y0), (x1, y0), (x1, y1), (x0, y1)]


def _face(ax, points, color, *, edge=COLORS["edge"], width=0.5, alpha=1.0, gid=None, z=1):
    patch = Polygon(
        points,
        closed=True,
        facecolor=to_rgba(color, alpha),
        edgecolor=edge,
        linewidth=width,
        zorder=z,
        gid=gid,
    )
    # add_artist, and the limits set once at the end (_done): add_patch's exact extent per
    # patch would triple the time of a frame of hundreds of faces
    return ax.add_artist(patch)


def _cube(ax, origin, ch, row, col, color, *, gid=None):
    """One solid voxel: its front, top and right faces."""
    kw = dict(edge=COLORS["focus"], width=0.9, z=3)
    _face(ax, _corners(origin, "front", col, row, ch), color, gid=gid, **kw)
    _face(ax, _corners(origin, "top", col, row, ch), _shade(color, 1.15), **kw)
    _face(ax, _corners(origin, "right", col, row, ch), _shade(color, 0.8), **kw)


def _shade(color, factor):
    r, g, b, _ = to_rgba(color)
    if factor > 1:
        return tuple(v + (1 - v) * (factor - 1) * 2 for v in (r, g, b))
    return tuple(v * factor for v in (r, g, b))


def _cubes(ax, origin, voxels, color_of, gid_prefix):
    """Solid voxels in painter's order: far channels, lower rows, left columns first."""
    for ch, row, col in sorted(voxels, key=lambda v: (-v[0], -v[1], v[2])):
        _cube(ax, origin, ch, row, col, color_of(ch), gid=f"{gid_prefix}:{ch},{row},{col}")


def _tensor(ax, origin, shape, color_of, *, label, alpha=0.35, pads=((0, 0), (0, 0))):
    """The visible faces of a (C, H, W) box: front grid, top and right strips per channel,
    and its first and last channel index along the top-right edge.

    ``pads`` widens the front grid by hatched padding rows and columns (drawn, not stored).
    """
    c, h, w = shape
    (top, bottom), (left, right) = pads
    for row in range(-top, h + bottom):
        for col in range(-left, w + right):
            inside = 0 <= row < h and 0 <= col < w
            patch = _face(
                ax,
                _corners(origin, "front", col, row, 0),
                color_of(0) if inside else COLORS["padding"],
                alpha=alpha if inside else 0.9,
            )
            if not inside:
                patch.set_hatch("///")
                patch.set_edgecolor("#999999")
    for ch in range(c):
        for col in range(-left, w + right):
            _face(ax, _corners(origin, "top", col, -top, ch), color_of(ch), alpha=alpha)
        for row in range(-top, h + bottom):
            # the right faces of the last column
            _face(ax, _corners(origin, "right", w + right - 1, row, ch), color_of(ch), alpha=alpha)
    x0, y0 = _p(origin, -left, h + bottom, 0)
    ax.text(x0, y0 - 0.35, label, ha="left", va="top", fontsize=FONT)
    for ch in sorted({0, c - 1}):
        x, y = _p(origin, w + right, -top, ch + 0.5)
        ax.text(x + 0.15, y + 0.05, str(ch), ha="left", va="bottom", fontsize=FONT)


def _layer(
    ax,
    y0,
    c_in,
    c_out,
    groups,
    out_channel,
    position,
    k,
    size,
    pads,
    *,
    names,
    colors,
    active=True,
):
    """One layer drawn left to right: input tensor, one kernel, output tensor.

    Returns the right edge and the bottom of what was drawn.
    """
    per_in = c_in // groups
    feeding = channels.input_channels(out_channel, c_in, c_out, groups)
    out = arithmetic.geometry(size, k, 1, pads).out
    color_in, color_out = colors
    (_, bottom), (left, right) = pads
    origin_in = (left, y0)
    _tensor(
        ax,
        origin_in,
        (c_in, *size),
        color_in,
        label=f"{names[0]}\n{c_in}×{size[0]}×{size[1]}",
        pads=pads,
    )
    in_width = left + size[1] + right + c_in * DX
    kx = in_width + 1.5
    origin_k = (kx, y0 - (size[0] - k[0]) / 2)
    kernel_width = k[1] + per_in * DX
    ox = kx + kernel_width + 1.5
    origin_out = (ox, y0 - (size[0] - out[0]) / 2)
    _tensor(
        ax, origin_out, (c_out, *out), color_out, label=f"{names[1]}\n{c_out}×{out[0]}×{out[1]}"
    )
    kx0, ky0 = _p(origin_k, 0, k[0], 0)
    bottom_y = min(y0 - size[0] - bottom, ky0) - 2.4
    if not active:
        return ox + out[1] + c_out * DX, bottom_y
    taps = windows.footprint(position, k, 1, pads, 1)
    reads = [
        (ch, r, c) for ch in feeding for r, c in taps if 0 <= r < size[0] and 0 <= c < size[1]
    ]
    _cubes(ax, origin_in, reads, color_in, "reads")
    kernel = [(d, r, c) for d in range(per_in) for r in range(k[0]) for c in range(k[1])]
    _cubes(ax, origin_k, kernel, lambda d: color_in(feeding.start + d), "kernel")
    ax.text(
        kx0,
        ky0 + k[0] + per_in * DY + 0.3,
        f"kernel {out_channel}\n{per_in}×{k[0]}×{k[1]}",
        ha="left",
        va="bottom",
        fontsize=FONT,
    )
    _cubes(ax, origin_out, [(out_channel, *position)], color_out, "writes")
    arrow = dict(arrowstyle="->", color=COLORS["edge"], linewidth=1.2)
    wx, wy = _p(origin_in, taps[-1][1] + 1, taps[-1][0] + 0.5, feeding.stop)
    ax.annotate("", (kx - 0.1, ky0 + k[0] / 2), (min(wx, kx - 0.6), wy), arrowprops=arrow)
    tx, ty = _p(origin_out, position[1], position[0] + 0.5, out_channel)
    ax.annotate("", (tx, ty), (kx + kernel_width + 0.1, ky0 + k[0] / 2), arrowprops=arrow)
    return ox + out[1] + c_out * DX, bottom_y


def _reads_text(feeding):
    if len(feeding) == 1:
        return f"channel {feeding.start}"
    return f"channels {feeding.start}–{feeding.stop - 1}"


def _colors(c_in, c_out, groups):
    """Input channels by group (by channel in a dense layer, to show the mixing)."""
    per_in, per_out = c_in // groups, c_out // groups
    if groups == 1:
        return (group_color, lambda o: COLORS["output"])
    return (lambda ch: group_color(ch // per_in), lambda o: group_color(o // per_out))


def channel_step(
    in_channels: int,
    out_channels: int,
    groups: int = 1,
    out_channel: int = 0,
    position: tuple[int, int] = (0, 0),
    *,
    kernel_size: int | tuple[int, int] = 3,
    input_size: int | tuple[int, int] = 4,
    padding: int | tuple[int, int] | str = 0,
    ax: matplotlib.axes.Axes | None = None,
) -> matplotlib.axes.Axes:
    """One output sample of a (grouped) 2-D convolution, as 3-D tensors.

    Left: the input, ``in_channels`` deep, tinted by group (by channel when
    ``groups=1``); the samples that ``out_channel`` at ``position`` reads are solid cubes
    (window from :func:`convnb.windows.footprint`, channels from
    :func:`convnb.channels.input_channels`). Middle: that output channel's kernel,
    ``in_channels / groups`` deep. Right: the output, the sample written a solid cube.
    Below: the weights that exist (:func:`convnb.channels.connectivity`), this output
    channel's row outlined. ``groups=1`` is a standard layer, ``groups=in_channels``
    depthwise, a 1x1 kernel pointwise.

    Parameters
    ----------
    in_channels, out_channels : int
        Channels of the layer's input and output.
    groups : int, default 1
        Channel groups; must divide both channel counts.
    out_channel : int, default 0
        The output channel shown, in ``0 .. out_channels - 1``.
    position : (int, int), default (0, 0)
        The output position shown; must lie inside the output.
    kernel_size, input_size : int or (int, int)
        Height and width (an int means square); stride and dilation are 1.
    padding : int, (int, int), "same" or "valid", default 0
        As in :func:`convnb.conv`; drawn as hatched rows and columns around the input.
    ax : matplotlib.axes.Axes, optional
        Where to draw (cleared first); a new figure if omitted.

    Returns
    -------
    matplotlib.axes.Axes
        The axes drawn on. The input samples read carry the gid ``"reads:c,r,col"``, the
        output sample written ``"writes:o,r,col"``.

    Examples
    --------
    >>> ax = channel_step(4, 4, groups=2, out_channel=3, kernel_size=1, input_size=3)
    >>> sorted(p.get_gid() for p in ax.patches if (p.get_gid() or "").startswith("reads"))
    ['reads:2,0,0', 'reads:3,0,0']
    >>> plt.close(ax.figure)
    """
    c_in, c_out = int(in_channels), int(out_channels)
    channels.input_channels(0, c_in, c_out, groups)  # the channel counts first
    k, size, pads, out = _geometry(kernel_size, input_size, padding)
    position = _inside(position, out)
    feeding = channels.input_channels(out_channel, c_in, c_out, groups)
    if ax is None:
        _, ax = plt.subplots(figsize=(WIDTH, 0.62 * WIDTH), layout="constrained")
    ax.clear()
    colors = _colors(c_in, c_out, groups)
    width, my = _layer(
        ax,
        0.0,
        c_in,
        c_out,
        groups,
        out_channel,
        position,
        k,
        size,
        pads,
        names=("input", "output"),
        colors=colors,
    )

    # the weights that exist, this output channel's row outlined
    mask = channels.connectivity(c_in, c_out, groups)
    cell = min(0.7, width / (c_in + 9))
    for o in range(c_out):
        for c in range(c_in):
            _face(
                ax,
                _box(c * cell, my - o * cell, (c + 1) * cell, my - (o + 1) * cell),
                colors[0](c) if mask[o][c] else "#ffffff",
                edge="#bbbbbb",
                width=0.4,
                alpha=1.0 if o == out_channel else 0.4,
            )
    _face(
        ax,
        _box(0, my - out_channel * cell, c_in * cell, my - (out_channel + 1) * cell),
        "none",
        edge=COLORS["focus"],
        width=1.8,
        z=4,
    )
    ax.text(
        c_in * cell + 0.5,
        my - c_out * cell / 2,
        "weights that exist:\nrow = output channel,\ncolumn = input channel",
        ha="left",
        va="center",
        fontsize=FONT,
    )

    kind = (
        "pointwise (1×1)"
        if k == (1, 1) and groups == 1
        else "standard"
        if groups == 1
        else f"depthwise, multiplier {c_out // c_in}"
        if groups == c_in
        else f"{groups} groups"
    )
    return _done(
        ax,
        f"{kind}: output channel {out_channel} at {position}\nreads input {_reads_text(feeding)}",
    )


def _geometry(kernel_size, input_size, padding=0):
    """Kernel and input size as pairs, the pads and the output size (stride 1)."""
    k = _pair2(kernel_size, "kernel_size")
    size = _pair2(input_size, "input_size")
    _, _, pads, out = arithmetic.geometry(size, k, 1, padding)
    return k, size, pads, out


def _inside(position, out):
    """``position`` as a pair of ints, checked to lie inside an output of size ``out``."""
    position = tuple(int(v) for v in position)
    if not all(0 <= p < o for p, o in zip(position, out)):
        raise ValueError(f"position={position} is outside the output of size {out}")
    return position


def _done(ax, title):
    ax.set_title(title, fontsize=TITLE)
    ax.set_aspect("equal")
    ax.axis("off")
    points = np.vstack([p.get_xy() for p in ax.patches if isinstance(p, Polygon)])
    ax.set_xlim(points[:, 0].min() - 0.3, points[:, 0].max() + 1.2)
    ax.set_ylim(points[:, 1].min() - 1.6, points[:, 1].max() + 0.5)
    return ax


def animate_channels(
    in_channels: int,
    out_channels: int,
    groups: int = 1,
    *,
    kernel_size: int | tuple[int, int] = 3,
    input_size: int | tuple[int, int] = 4,
    padding: int | tuple[int, int] | str = 0,
    positions: Sequence[tuple[int, int]] | None = None,
    interval: int = 1100,
) -> FuncAnimation:
    """Animate :func:`channel_step` over every output channel (at each of ``positions``).

    Parameters
    ----------
    in_channels, out_channels, groups : int
        The layer, as in :func:`channel_step`.
    kernel_size, input_size, padding
        As in :func:`channel_step`.
    positions : sequence of (int, int), optional
        Output positions to visit, each for every output channel; by default the
        output's central position only.
    interval : int, default 1100
        Milliseconds per frame.

    Returns
    -------
    matplotlib.animation.FuncAnimation
        ``len(positions) * out_channels`` frames: every output channel at the first
        position, then at the next; its figure is closed.

    Examples
    --------
    >>> anim = animate_channels(4, 8, groups=4, kernel_size=3, input_size=4)  # depthwise, m=2
    >>> len(list(anim.new_frame_seq()))
    8
    """
    *_, out = _geometry(kernel_size, input_size, padding)  # checked before the channels
    if positions is None:
        positions = [(out[0] // 2, out[1] // 2)]
    frames = [
        (in_channels, out_channels, groups, o, p)
        for p in positions
        for o in range(int(out_channels))
    ]
    return _animation(
        channel_step,
        frames,
        interval,
        kernel_size=kernel_size,
        input_size=input_size,
        padding=padding,
    )


def separable_step(
    channels_in: int,
    out_channels: int,
    step: int,
    position: tuple[int, int] = (0, 0),
    *,
    kernel_size: int | tuple[int, int] = 3,
    input_size: int | tuple[int, int] = 4,
    multiplier: int = 1,
    ax: matplotlib.axes.Axes | None = None,
) -> matplotlib.axes.Axes:
    """One step of a depthwise-separable layer, as two rows of 3-D tensors.

    Top row, the first pass: a depthwise convolution (``groups = channels_in``, channel
    multiplier ``multiplier``) from the input to the intermediate tensor. Bottom row, the
    second pass: a pointwise (1x1) convolution from the intermediate tensor to the output.
    Steps ``0 .. channels_in * multiplier - 1`` are the first pass (one intermediate
    channel each), the next ``out_channels`` steps the second; the other pass is drawn
    without highlights. What each step reads is what :func:`channel_step` shows.

    Parameters
    ----------
    channels_in : int
        Channels of the input (and groups of the depthwise pass).
    out_channels : int
        Channels of the output of the pointwise pass.
    step : int
        In ``0 .. channels_in * multiplier + out_channels - 1``, as above.
    position : (int, int), default (0, 0)
        The output position shown (the same in both passes); must lie inside the output.
    kernel_size, input_size : int or (int, int)
        Height and width of the depthwise kernel and of the input (an int means square);
        no padding, stride 1.
    multiplier : int, default 1
        Channel multiplier of the depthwise pass: the intermediate tensor has
        ``channels_in * multiplier`` channels.
    ax : matplotlib.axes.Axes, optional
        Where to draw (cleared first); a new figure if omitted.

    Returns
    -------
    matplotlib.axes.Axes
        The axes drawn on; the active pass's cubes carry the gids of
        :func:`channel_step`.

    Examples
    --------
    >>> ax = separable_step(3, 4, 4, (0, 0), input_size=3)  # pass 2, output channel 1
    >>> sorted(p.get_gid() for p in ax.patches if (p.get_gid() or "").startswith("reads"))
    ['reads:0,0,0', 'reads:1,0,0', 'reads:2,0,0']
    >>> plt.close(ax.figure)
    """
    c, c_out, m = int(channels_in), int(out_channels), int(multiplier)
    mid = c * m
    if not 0 <= step < mid + c_out:
        raise ValueError(f"step={step} is not in 0..{mid + c_out - 1}")
    k, size, pads, out = _geometry(kernel_size, input_size)
    position = _inside(position, out)
    if ax is None:
        _, ax = plt.subplots(figsize=(WIDTH, 0.95 * WIDTH), layout="constrained")
    ax.clear()
    first = step < mid
    dw_colors = _colors(c, mid, c)
    # the second pass mixes channels: its input is coloured channel by channel
    pw_colors = (dw_colors[1], _colors(mid, c_out, 1)[1])
    _, y = _layer(
        ax,
        0.0,
        c,
        mid,
        c,
        step if first else 0,
        position,
        k,
        size,
        pads,
        names=("input", "depthwise out"),
        colors=dw_colors,
        active=first,
    )
    y2 = y - mid * DY - 1.4
    for label_y, label, active in (
        (0.9, "pass 1: depthwise", first),
        (y2 + mid * DY + 0.9, "pass 2: pointwise (1×1)", not first),
    ):
        ax.text(
            -0.4,
            label_y,
            label,
            ha="left",
            va="bottom",
            fontsize=FONT,
            fontweight="bold" if active else "normal",
        )
    _layer(
        ax,
        y2,
        mid,
        c_out,
        1,
        step - mid if not first else 0,
        position,
        (1, 1),
        out,
        ((0, 0), (0, 0)),  # a 1x1 kernel reads no padding
        names=("depthwise out", "output"),
        colors=pw_colors,
        active=not first,
    )
    if first:
        feeding = channels.input_channels(step, c, mid, c)
        title = (
            f"pass 1, depthwise: channel {step} at {position}\n"
            f"reads input {_reads_text(feeding)} only"
        )
    else:
        title = (
            f"pass 2, pointwise: output channel {step - mid} at {position}\n"
            f"mixes all {mid} channels of that pixel"
        )
    return _done(ax, title)


def animate_separable(
    channels_in: int,
    out_channels: int,
    *,
    kernel_size: int | tuple[int, int] = 3,
    input_size: int | tuple[int, int] = 4,
    multiplier: int = 1,
    position: tuple[int, int] | None = None,
    interval: int = 1100,
) -> FuncAnimation:
    """Animate :func:`separable_step`: the depthwise pass, then the pointwise pass.

    Parameters
    ----------
    channels_in, out_channels, kernel_size, input_size, multiplier
        As in :func:`separable_step`.
    position : (int, int), optional
        The output position shown; by default the central one.
    interval : int, default 1100
        Milliseconds per frame.

    Returns
    -------
    matplotlib.animation.FuncAnimation
        ``channels_in * multiplier + out_channels`` frames, one per step of
        :func:`separable_step`; its figure is closed.

    Examples
    --------
    >>> anim = animate_separable(3, 4)
    >>> len(list(anim.new_frame_seq()))  # 3 depthwise channels, then 4 outputs
    7
    """
    if position is None:
        *_, out = _geometry(kernel_size, input_size)
        position = tuple((o - 1) // 2 for o in out)
    steps = int(channels_in) * int(multiplier) + int(out_channels)
    return _animation(
        separable_step,
        [(channels_in, out_channels, i, position) for i in range(steps)],
        interval,
        kernel_size=kernel_size,
        input_size=input_size,
        multiplier=multiplier,
    )


def shuffle_step(
    channels_count: int, groups: int, group: int, *, ax: matplotlib.axes.Axes | None = None
) -> matplotlib.axes.Axes:
    """Channel shuffle between two grouped layers, for one group of the second layer.

    Top: the output channels of the first grouped layer, coloured by its group. Middle:
    the same channels after :func:`convnb.channels.channel_shuffle`
    (:func:`convnb.channels.shuffle_permutation`). Bottom: the ``groups`` groups of the
    second layer. The channels that ``group`` of the second layer reads
    (:func:`convnb.channels.input_channels`) are solid, with lines back to where they came
    from; the title says which groups of the first layer they come from.

    Parameters
    ----------
    channels_count : int
        Channels between the two layers.
    groups : int
        Groups of both layers and of the shuffle; must divide ``channels_count``.
    group : int
        The group of the second layer shown, in ``0 .. groups - 1``.
    ax : matplotlib.axes.Axes, optional
        Where to draw (cleared first); a new figure if omitted.

    Returns
    -------
    matplotlib.axes.Axes
        The axes drawn on. The channels read carry the gid ``"read:j"`` (position after
        the shuffle), where they came from ``"source:c"``.

    Examples
    --------
    >>> ax = shuffle_step(6, 3, 0)
    >>> ax.get_title().splitlines()[1]
    'reads groups 0, 1 of layer 1'
    >>> plt.close(ax.figure)
    """
    perm = channels.shuffle_permutation(channels_count, groups)
    c, g = int(channels_count), int(groups)
    if not 0 <= group < g:
        raise ValueError(f"group={group} is not in 0..{g - 1}")
    per = c // g
    reads = channels.input_channels(group * per, c, c, g)  # positions after the shuffle
    sources = sorted(perm[j] for j in reads)
    if ax is None:
        _, ax = plt.subplots(figsize=(min(WIDTH, 0.5 * c + 1.6), 3.4), layout="constrained")
    ax.clear()
    for j, src in enumerate(perm):
        on = j in reads
        _square(
            ax,
            0,
            src,
            (0, 4.5),
            color=group_color(src // per),
            text=str(src),
            alpha=1.0 if src in sources else 0.3,
            gid=f"source:{src}" if on else None,
        )
        _square(
            ax,
            0,
            j,
            (0, 2.0),
            color=group_color(src // per),
            text=str(src),
            alpha=1.0 if on else 0.3,
            edge=COLORS["focus"] if on else None,
            width=1.8 if on else 0.8,
            gid=f"read:{j}" if on else None,
        )
        ax.plot(
            [src + 0.5, j + 0.5],
            [3.5, 2.0],
            color=COLORS["focus"] if on else "#bbbbbb",
            linewidth=1.6 if on else 0.7,
            zorder=0,
        )
    for h in range(g):
        on = h == group
        _face(
            ax,
            _box(h * per + 0.05, 0.3, (h + 1) * per - 0.05, -0.3),
            "#dddddd" if not on else "#777777",
            edge="none",
            width=0,
        )
        ax.text(
            (h + 0.5) * per,
            -0.45,
            f"group {h}",
            ha="center",
            va="top",
            fontsize=FONT,
            fontweight="bold" if on else "normal",
        )
    ax.text(
        c / 2, 4.6, "layer 1 output (colour: its group)", ha="center", va="bottom", fontsize=FONT
    )
    ax.text(
        c / 2,
        2.75,
        "after the shuffle",
        ha="center",
        va="center",
        fontsize=FONT,
        bbox=dict(facecolor="white", edgecolor="none", pad=1),
        zorder=5,
    )
    ax.text(c / 2, -1.2, "layer 2 groups", ha="center", va="top", fontsize=FONT)
    came = sorted({s // per for s in sources})
    ax.set_title(
        f"shuffle of {c} channels, {g} groups: layer-2 group {group}\n"
        f"reads groups {', '.join(map(str, came))} of layer 1",
        fontsize=TITLE,
    )
    ax.set_aspect("equal")
    ax.axis("off")
    ax.set_xlim(-0.3, c + 0.3)
    ax.set_ylim(-1.9, 5.3)
    return ax


def animate_shuffle(channels_count: int, groups: int, *, interval: int = 1400) -> FuncAnimation:
    """Animate :func:`shuffle_step` over the groups of the second layer.

    Parameters
    ----------
    channels_count, groups : int
        As in :func:`shuffle_step`.
    interval : int, default 1400
        Milliseconds per frame.

    Returns
    -------
    matplotlib.animation.FuncAnimation
        ``groups`` frames, one per group of the second layer; its figure is closed.

    Examples
    --------
    >>> len(list(animate_shuffle(9, 3).new_frame_seq()))
    3
    """
    return _animation(
        shuffle_step, [(channels_count, groups, i) for i in range(int(groups))], interval
    )


def _animation(step, frames, interval, **kwargs):
    """Frame ``i`` is ``step(*frames[i], **kwargs)``, each drawn on the first frame's axes."""

    def draw(i, ax=None):
        return step(*frames[i], ax=ax, **kwargs)

    return _player._animation(draw, len(frames), interval)
