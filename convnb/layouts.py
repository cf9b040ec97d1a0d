"""Weight layouts: PyTorch's (and convnb's) versus TensorFlow's.

=====================  =====================================  ============================
layer                  PyTorch / convnb                       TensorFlow / Keras
=====================  =====================================  ============================
dense 2-D kernel       ``(C_out, C_in, kH, kW)`` (OIHW)       ``(kH, kW, C_in, C_out)`` (HWIO)
depthwise 2-D kernel   ``(C_in * m, 1, kH, kW)``              ``(kH, kW, C_in, m)``
=====================  =====================================  ============================

In both depthwise layouts output channel ``c * m + j`` is filter ``j`` of input channel
``c``, so the conversion only moves axes. Every function works on any array library.
"""

from __future__ import annotations

from ._backend import arrays, at_least

__all__ = ["depthwise_from_tf", "depthwise_to_tf", "hwio_to_oihw", "oihw_to_hwio"]


def depthwise_from_tf(kernel):
    """TensorFlow's depthwise kernel ``(kH, kW, C_in, m)`` as ``(C_in * m, 1, kH, kW)``.

    Parameters
    ----------
    kernel : array_like, shape (kH, kW, C_in, m)
        TensorFlow's depthwise kernel.

    Returns
    -------
    array, shape (C_in * m, 1, kH, kW)
        The same kernel in PyTorch's layout.

    Examples
    --------
    >>> import numpy as np
    >>> tf_kernel = np.zeros((3, 3, 2, 4))
    >>> depthwise_from_tf(tf_kernel).shape
    (8, 1, 3, 3)
    """
    xp, (kernel,) = arrays(kernel, names=["kernel"])
    if kernel.ndim != 4:
        raise ValueError(
            f"a TensorFlow depthwise kernel is (kH, kW, C_in, multiplier), got shape "
            f"{tuple(kernel.shape)}"
        )
    kh, kw, c, m = kernel.shape
    return xp.reshape(xp.permute_dims(kernel, (2, 3, 0, 1)), (c * m, 1, kh, kw))


def depthwise_to_tf(weight, in_channels):
    """``(C_in * m, 1, kH, kW)`` as TensorFlow's depthwise kernel ``(kH, kW, C_in, m)``.

    Parameters
    ----------
    weight : array_like, shape (C_in * m, 1, kH, kW)
        A depthwise weight.
    in_channels : int
        ``C_in``, positive.

    Returns
    -------
    array, shape (kH, kW, C_in, m)
        The same kernel in TensorFlow's layout.

    Examples
    --------
    >>> import numpy as np
    >>> w = np.arange(8.0).reshape(8, 1, 1, 1)  # 2 channels, multiplier 4
    >>> depthwise_to_tf(w, 2)[0, 0]
    array([[0., 1., 2., 3.],
           [4., 5., 6., 7.]])
    """
    xp, (weight,) = arrays(weight, names=["weight"])
    in_channels = at_least(in_channels, 1, "in_channels")
    if weight.ndim != 4 or weight.shape[1] != 1 or weight.shape[0] % in_channels:
        raise ValueError(
            f"weight must be (C_in*multiplier, 1, kH, kW) for in_channels={in_channels}, "
            f"got shape {tuple(weight.shape)}"
        )
    cm, _, kh, kw = weight.shape
    kernel = xp.reshape(weight, (in_channels, cm // in_channels, kh, kw))
    return xp.permute_dims(kernel, (2, 3, 0, 1))


def oihw_to_hwio(weight):
    """A dense 2-D weight ``(C_out, C_in, kH, kW)`` in TensorFlow's ``(kH, kW, C_in, C_out)``.

    Parameters
    ----------
    weight : array_like, shape (C_out, C_in, kH, kW)
        PyTorch's weight.

    Returns
    -------
    array, shape (kH, kW, C_in, C_out)
        TensorFlow's layout.

    Examples
    --------
    >>> import numpy as np
    >>> oihw_to_hwio(np.zeros((8, 3, 5, 4))).shape
    (5, 4, 3, 8)
    """
    return _move_axes(weight, "weight", "(C_out, C_in, kH, kW)", (2, 3, 1, 0))


def hwio_to_oihw(kernel):
    """TensorFlow's ``(kH, kW, C_in, C_out)`` as ``(C_out, C_in, kH, kW)``.

    Parameters
    ----------
    kernel : array_like, shape (kH, kW, C_in, C_out)
        TensorFlow's kernel.

    Returns
    -------
    array, shape (C_out, C_in, kH, kW)
        PyTorch's layout.

    Examples
    --------
    >>> import numpy as np
    >>> hwio_to_oihw(np.zeros((5, 4, 3, 8))).shape
    (8, 3, 5, 4)
    """
    return _move_axes(kernel, "kernel", "(kH, kW, C_in, C_out)", (3, 2, 0, 1))


def _move_axes(array, name, layout, axes):
    xp, (array,) = arrays(array, names=[name])
    if array.ndim != 4:
        raise ValueError(f"{name} must be {layout}, got {tuple(array.shape)}")
    return xp.permute_dims(array, axes)
