"""convnb: every kind of convolution used in deep learning, implemented once and tested.

Functions take NumPy, CuPy or other array API arrays and return arrays of the same library.
This module is the map of the public API; the submodules hold one concept each:

- :mod:`convnb.conv` -- ``conv`` and ``conv1d``/``conv2d``/``conv3d`` (PyTorch semantics)
- :mod:`convnb.signal` -- ``convolve`` and ``correlate`` (``scipy.signal`` semantics)
- :mod:`convnb.padding` -- ``pad`` in four modes, and the index map behind it
- :mod:`convnb.arithmetic` -- output sizes and padding rules, on plain integers
- :mod:`convnb.reference` -- the definitions as plain NumPy loops (the test oracle)
- :mod:`convnb.plot`, :mod:`convnb.widgets` -- pictures and explorers for the book
  (import them explicitly; they need matplotlib and ipywidgets)
"""

from ._backend import to_numpy
from .arithmetic import conv_output_size, resolve_padding, same_padding
from .conv import conv, conv1d, conv2d, conv3d
from .padding import pad, pad_indices
from .signal import convolve, correlate

__version__ = "0.1.0"

__all__ = [
    "conv",
    "conv1d",
    "conv2d",
    "conv3d",
    "conv_output_size",
    "convolve",
    "correlate",
    "pad",
    "pad_indices",
    "resolve_padding",
    "same_padding",
    "to_numpy",
]
