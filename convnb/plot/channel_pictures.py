"""Pictures of the channel axis: slabs, the weight matrix, channel shuffle."""

from __future__ import annotations

from typing import TYPE_CHECKING

import matplotlib
import matplotlib.pyplot as plt
import numpy as np

from .. import channels
from ._style import COLORS, FONT, TITLE, WIDTH, _finish, _pair2, _slab, _square, group_color

if TYPE_CHECKING:
    import matplotlib.axes


def channel_picture(
    in_channels: int,
    out_channels: int,
    groups: int = 1,
    out_channel: int = 0,
    *,
    kernel_size: int | tuple[int, int] = 3,
    ax: matplotlib.axes.Axes | None = None,
) -> matplotlib.axes.Axes:
    """The channel picture: input and output tensors as stacks of channel slabs.

    Each slab is one channel, coloured by its group. The input slabs that feed
    ``out_channel`` (:func:`convnb.channels.input_channels`) are drawn solid and joined to
    it; the others are faded. ``groups=1`` is a dense layer, ``groups=in_channels`` a
    depthwise one (``out_channels = m * in_channels`` for channel multiplier ``m``), and a
    1x1 ``kernel_size`` a pointwise one.

    Parameters
    ----------
    in_channels, out_channels : int
        Channels of the layer's input and output (one slab each).
    groups : int, default 1
        Channel groups; must divide both channel counts.
    out_channel : int, default 0
        The output channel whose inputs are highlighted, in ``0 .. out_channels - 1``.
    kernel_size : int or (int, int), default 3
        Only named in the title (the picture shows channels, not space).
    ax : matplotlib.axes.Axes, optional
        Where to draw (cleared first); a new figure if omitted.

    Returns
    -------
    matplotlib.axes.Axes
        The axes drawn on. The highlighted input slabs carry the gid ``"feeds:c"``, the
        chosen output slab ``"out_channel:o"``.

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
        _, ax = plt.subplots(
            figsize=(min(WIDTH, 4.6), 0.34 * max(c_in, c_out) + 1.6), layout="constrained"
        )
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
        ax.text(-0.15, y_in[c] + 0.25, str(c), ha="right", va="center", fontsize=FONT)
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
        ax.text(7.25, y_out[o] + 0.25, str(o), ha="left", va="center", fontsize=FONT)
    k = _pair2(kernel_size, "kernel_size")
    kind = (
        "dense"
        if groups == 1
        else f"depthwise, multiplier {c_out // c_in}"
        if groups == c_in
        else f"groups={groups}"
    )
    ax.text(1.05, top + 0.3, f"input: {c_in} channels", ha="center", fontsize=FONT)
    ax.text(6.05, top + 0.3, f"output: {c_out} channels", ha="center", fontsize=FONT)
    reads = (
        f"channel {feeding.start}"
        if len(feeding) == 1
        else f"channels {feeding.start}–{feeding.stop - 1}"
    )
    return _finish(ax, f"{k[0]}×{k[1]} {kind}:\noutput channel {out_channel} reads input {reads}")


def connectivity(
    in_channels: int,
    out_channels: int,
    groups: int = 1,
    *,
    shuffled_from: int | None = None,
    ax: matplotlib.axes.Axes | None = None,
) -> matplotlib.axes.Axes:
    """The connectivity picture: which weights exist, as an out x in matrix.

    Row ``o``, column ``c`` is filled (in the colour of the group) when output channel ``o``
    reads input channel ``c``: :func:`convnb.channels.connectivity`. Grouped layers are
    block-diagonal. With ``shuffled_from=g``, the columns are the channels *before* a
    channel shuffle with ``g`` groups (:func:`convnb.channels.shuffle_permutation`): every
    output group then reads from every earlier group.

    Parameters
    ----------
    in_channels, out_channels : int
        Channels of the layer's input (columns) and output (rows).
    groups : int, default 1
        Channel groups of the layer; must divide both channel counts.
    shuffled_from : int, optional
        Groups of a channel shuffle applied to the input before this layer; None draws
        the layer's own columns.
    ax : matplotlib.axes.Axes, optional
        Where to draw (cleared first); a new figure if omitted.

    Returns
    -------
    matplotlib.axes.Axes
        The axes drawn on: one image of shape ``(out_channels, in_channels)``, a cell
        transparent where no weight exists.

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
        # the shuffle puts channel perm[j] of the earlier layer at column j: undo it
        mask = mask[:, np.argsort(channels.shuffle_permutation(c_in, shuffled_from))]
    rgba = np.ones((c_out, c_in, 4))
    rgba[..., 3] = 0.0
    per_out = c_out // groups
    for o in range(c_out):
        rgba[o, mask[o]] = matplotlib.colors.to_rgba(group_color(o // per_out))
    if ax is None:
        cell = min(0.3, (WIDTH - 1.2) / c_in)
        _, ax = plt.subplots(figsize=(cell * c_in + 1.2, cell * c_out + 1.5), layout="constrained")
    ax.clear()
    ax.imshow(rgba, interpolation="nearest", extent=(-0.5, c_in - 0.5, c_out - 0.5, -0.5))
    # every channel's index while they fit at the book's text size, else every other one
    ax.set_xticks(range(0, c_in, 1 if c_in <= 12 else 2))
    ax.set_yticks(range(0, c_out, 1 if c_out <= 16 else 2))
    ax.tick_params(labelsize=FONT)
    ax.set_xticks(np.arange(-0.5, c_in), minor=True)
    ax.set_yticks(np.arange(-0.5, c_out), minor=True)
    ax.grid(which="minor", color="#cccccc", linewidth=0.5)
    ax.tick_params(which="minor", length=0)
    ax.set_xlabel("input channel" + ("\n(before the shuffle)" if shuffled_from else ""))
    ax.set_ylabel("output channel")
    title = "dense" if groups == 1 else f"groups={groups}"
    if shuffled_from:
        title += f",\nafter a shuffle\nof {shuffled_from} groups"
    ax.set_title(f"weights that exist:\n{title}", fontsize=TITLE)
    return ax


def channel_shuffle(
    channels_count: int, groups: int, *, ax: matplotlib.axes.Axes | None = None
) -> matplotlib.axes.Axes:
    """Channel shuffle as a picture: each channel's group colour, before and after.

    Parameters
    ----------
    channels_count : int
        Number of channels shuffled.
    groups : int
        Groups of the shuffle (:func:`convnb.channels.shuffle_permutation`); must divide
        ``channels_count``.
    ax : matplotlib.axes.Axes, optional
        Where to draw (cleared first); a new figure if omitted.

    Returns
    -------
    matplotlib.axes.Axes
        The axes drawn on: a row of channels before (top) and after (bottom), each
        labelled with its index before the shuffle, one line per channel between them.

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
        _, ax = plt.subplots(
            figsize=(min(WIDTH, 0.5 * channels_count + 1.5), 2.6), layout="constrained"
        )
    ax.clear()
    for j, src in enumerate(perm):
        _square(ax, 0, src, (0, 2.5), color=group_color(src // per), text=str(src))
        _square(ax, 0, j, (0, 0), color=group_color(src // per), text=str(src))
        ax.plot([src + 0.5, j + 0.5], [1.5, 0.0], color=COLORS["edge"], linewidth=0.8)
    ax.text(-0.3, 2.0, "before", ha="right", va="center", fontsize=FONT)
    ax.text(-0.3, -0.5, "after", ha="right", va="center", fontsize=FONT)
    return _finish(ax, f"channel shuffle:\n{channels_count} channels, {groups} groups")
