"""convnb: every kind of convolution used in deep learning, implemented once and tested.

Functions take NumPy, CuPy or other array API arrays and return arrays of the same library.
This module is the map of the public API; the submodules hold one concept each:

- :mod:`convnb.convolution` -- ``conv`` and ``conv1d``/``conv2d``/``conv3d`` (PyTorch semantics)
- :mod:`convnb.signal` -- ``convolve`` and ``correlate`` (``scipy.signal`` semantics)
- :mod:`convnb.padding` -- ``pad`` in four modes, and the index map behind it
- :mod:`convnb.arithmetic` -- output sizes, padding rules, parameter and MAC counts and
  receptive fields, on plain integers
- :mod:`convnb.windows`, :mod:`convnb.channels` -- index maps: which samples and channels
  each output reads (shared by the computation and the pictures); channel shuffle
- :mod:`convnb.transpose` -- transposed convolution (1-3 D)
- :mod:`convnb.gradients` -- the backward pass of ``conv``
- :mod:`convnb.lowering` -- ``im2col``: convolution as one matrix product
- :mod:`convnb.resample` -- zero insertion, dilated kernels, upsampling, pixel shuffle
- :mod:`convnb.depthwise` -- depthwise and depthwise-separable convolution (1-3 D)
- :mod:`convnb.separable` -- spatially separable kernels: the SVD split and the two passes
- :mod:`convnb.layouts` -- weight layouts of PyTorch and TensorFlow, converted
- :mod:`convnb.frameworks` -- the same layer as PyTorch and Keras code; convention converters
- :mod:`convnb.networks` -- networks as data: cost and receptive-field calculator
- :mod:`convnb.kernels` -- the one computational core of ``conv`` (every library) and its
  scratch limit
- :mod:`convnb.bench` -- ``python -m convnb.bench``, the benchmark against PyTorch
- :mod:`convnb.reference` -- the definitions as plain NumPy loops (the test oracle)
- :mod:`convnb.plot`, :mod:`convnb.widgets` -- pictures and explorers for the book
  (import them explicitly; they need matplotlib and ipywidgets)
"""

from ._backend import to_numpy
from ._version import __version__ as __version__
from .arithmetic import (
    conv_output_size,
    conv_transpose_output_size,
    count_macs,
    count_params,
    receptive_field,
    resolve_padding,
    same_padding,
)
from .channels import block_diagonal, channel_shuffle, channel_unshuffle
from .convolution import conv, conv1d, conv2d, conv3d, pointwise_conv
from .depthwise import (
    depthwise_conv,
    depthwise_conv2d,
    depthwise_conv3d,
    separable_conv,
    separable_conv2d,
    separable_conv3d,
)
from .gradients import conv_grad_input, conv_grad_weight, receptive_field_by_gradient
from .lowering import im2col
from .padding import pad, pad_indices
from .resample import (
    dilate_kernel,
    insert_zeros,
    pixel_shuffle,
    pixel_unshuffle,
    upsample_nearest,
)
from .separable import separate, spatially_separable_conv2d
from .signal import convolve, correlate
from .transpose import conv_transpose, conv_transpose1d, conv_transpose2d, conv_transpose3d

__all__ = [
    "block_diagonal",
    "channel_shuffle",
    "channel_unshuffle",
    "conv",
    "conv1d",
    "conv2d",
    "conv3d",
    "conv_grad_input",
    "conv_grad_weight",
    "conv_output_size",
    "conv_transpose",
    "conv_transpose1d",
    "conv_transpose2d",
    "conv_transpose3d",
    "conv_transpose_output_size",
    "convolve",
    "correlate",
    "count_macs",
    "count_params",
    "depthwise_conv",
    "depthwise_conv2d",
    "depthwise_conv3d",
    "dilate_kernel",
    "im2col",
    "insert_zeros",
    "pad",
    "pad_indices",
    "pixel_shuffle",
    "pixel_unshuffle",
    "pointwise_conv",
    "receptive_field",
    "receptive_field_by_gradient",
    "resolve_padding",
    "same_padding",
    "separable_conv",
    "separable_conv2d",
    "separable_conv3d",
    "separate",
    "spatially_separable_conv2d",
    "to_numpy",
    "upsample_nearest",
]
