"""1-D pictures: a kernel sliding along a signal, flipped (convolution) or not."""

from __future__ import annotations

from typing import TYPE_CHECKING

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.animation import FuncAnimation

from .. import signal as _signal
from .._backend import to_numpy
from .._typing import Array
from ._player import _animation
from ._style import COLORS, FONT, TITLE, WIDTH, _cell, _fmt

if TYPE_CHECKING:
    import matplotlib.axes


def sliding_kernel(
    signal: Array,
    kernel: Array,
    shift: int,
    *,
    flip: bool = False,
    ax: matplotlib.axes.Axes | None = None,
) -> matplotlib.axes.Axes:
    """Draw one step of a 1-D convolution or cross-correlation in ``"full"`` mode.

    Four labelled rows: the input with its implicit zeros, the kernel placed at ``shift``
    (reversed when ``flip`` is True), the products of the samples that meet, and the whole
    output with the current entry outlined. Which samples meet comes from
    :func:`convnb.signal.taps`; the output row is :func:`convnb.signal.convolve` or
    :func:`convnb.signal.correlate` itself.

    Parameters
    ----------
    signal, kernel : Array
        1-D, of shapes ``(n,)`` and ``(m,)``, from any supported array library.
    shift : int
        Output index in the full result, ``0 .. len(signal) + len(kernel) - 2``.
    flip : bool, default False
        True draws convolution (kernel reversed), False cross-correlation.
    ax : matplotlib.axes.Axes, optional
        Where to draw (cleared first); a new figure is made if omitted.

    Returns
    -------
    matplotlib.axes.Axes
        The axes drawn on; the output row holds all ``n + m - 1`` outputs.

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
        cells = n + 2 * m
        cell = min(0.62, (WIDTH - 1.6) / cells)
        _, ax = plt.subplots(figsize=(cell * cells + 1.6, 6.4 * cell + 1.2), layout="constrained")
    ax.clear()

    rows = {"input": 4.5, "kernel": 3.0, "products": 1.5, "output": 0}
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
        ax.text(i, rows["kernel"] - 0.45, f"k{j}", ha="center", va="top", fontsize=FONT)
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
        fontsize=FONT,
    )

    ax.set_xlim(lo - 0.6, hi + 0.6)
    ax.set_ylim(-1.0, 5.1)
    kernel_label = "kernel (flipped)" if flip else "kernel"
    ax.set_yticks(list(rows.values()), ["input", kernel_label, "products", "output"])
    ax.set_xticks(range(lo, hi + 1))
    ax.tick_params(labelsize=FONT)
    ax.set_xlabel("position along the input")
    ax.spines[["top", "right", "left"]].set_visible(False)
    name = "convolution (kernel flipped)" if flip else "cross-correlation (no flip)"
    ax.set_title(f"{name}:\nout[{shift}] = {_fmt(out[shift])}", fontsize=TITLE)
    ax.set_aspect("equal")
    return ax


def animate_sliding(
    signal: Array,
    kernel: Array,
    *,
    flip: bool = False,
    interval: int = 900,
    dpi: int = 72,
) -> FuncAnimation:
    """Animate :func:`sliding_kernel` over every output position.

    The figure is closed before returning, so a notebook shows only the animation; call
    ``.to_jshtml()`` on the result for a player that runs in a plain browser. ``dpi`` sets
    the resolution of the frames, which are inlined as PNG images in that player.

    Parameters
    ----------
    signal, kernel : Array
        1-D, of shapes ``(n,)`` and ``(m,)``, from any supported array library.
    flip : bool, default False
        True animates convolution (kernel reversed), False cross-correlation.
    interval : int, default 900
        Milliseconds per frame.
    dpi : int, default 72
        Resolution of the frames.

    Returns
    -------
    matplotlib.animation.FuncAnimation
        ``n + m - 1`` frames, one per output of the ``"full"`` result.

    Examples
    --------
    >>> import numpy as np
    >>> anim = animate_sliding(np.arange(4.0), np.array([1.0, -1.0]))
    >>> len(list(anim.new_frame_seq()))  # one frame per output of the full result
    5
    >>> html = anim.to_jshtml()  # a self-contained player: frames inlined, no CDN
    """
    return _animation(
        lambda k, ax=None: sliding_kernel(signal, kernel, k, flip=flip, ax=ax),
        len(to_numpy(signal)) + len(to_numpy(kernel)) - 1,
        interval,
        dpi,
    )
