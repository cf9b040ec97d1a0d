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
* channel groups get one colour each, from the same colour-blind-safe palette in every
  figure (no red/green pairs);
* channels are depth in the 3-D tensor pictures (:mod:`convnb.plot.tensors`), kernels are
  boxes, and the samples read and written are solid cubes;
* text is at least 11 pt in figures at most 5.3 inches wide, so that it stays at or above
  10 CSS px on a phone (:func:`book_style` makes the figures SVG).

Patches that tests (or readers of the code) need to identify carry a ``gid``:
``"footprint:r,c"`` for a highlighted input cell, ``"output:r,c"`` for the chosen output,
``"feeds:c"`` for an input channel that feeds the chosen output channel,
``"reads:c,r,col"`` and ``"writes:o,r,col"`` for the cubes of the tensor pictures.
"""

try:
    import matplotlib as _matplotlib  # noqa: F401  (the one dependency of this subpackage)
except ImportError as _exc:
    raise ImportError(
        'convnb.plot draws with matplotlib, which is not installed: pip install "convnb[plot]"',
        name="matplotlib",
    ) from _exc

from ._player import player, svg_frames
from ._style import COLORS, FONT, WIDTH, book_style, group_color
from .channel_pictures import channel_picture, channel_shuffle, connectivity
from .grids import animate, spatial, transposed
from .maps import heatmaps, network, receptive_field
from .performance import benchmark, roofline
from .signals import animate_sliding, sliding_kernel
from .tensors import (
    animate_channels,
    animate_separable,
    animate_shuffle,
    channel_step,
    separable_step,
    shuffle_step,
)

__all__ = [
    "COLORS",
    "FONT",
    "WIDTH",
    "animate",
    "animate_channels",
    "animate_separable",
    "animate_shuffle",
    "animate_sliding",
    "benchmark",
    "book_style",
    "channel_picture",
    "channel_shuffle",
    "channel_step",
    "connectivity",
    "group_color",
    "heatmaps",
    "network",
    "player",
    "receptive_field",
    "roofline",
    "separable_step",
    "shuffle_step",
    "sliding_kernel",
    "spatial",
    "svg_frames",
    "transposed",
]
