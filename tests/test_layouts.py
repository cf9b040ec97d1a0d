"""Weight layouts, checked against TensorFlow's definitions written as loops over NHWC data."""

from __future__ import annotations

import numpy as np
import pytest

import convnb
from convnb import layouts

from .backends import asarray, to_np

RNG = np.random.default_rng(10)


def tf_depthwise_nhwc(x, kernel):
    """tf.nn.depthwise_conv2d's documented definition (valid padding, stride 1), as loops:
    out[b, i, j, k*m + q] = sum_{di, dj} x[b, i + di, j + dj, k] * kernel[di, dj, k, q]."""
    kh, kw, c, m = kernel.shape
    n, h, w, _ = x.shape
    out = np.zeros((n, h - kh + 1, w - kw + 1, c * m))
    for i in range(h - kh + 1):
        for j in range(w - kw + 1):
            for k in range(c):
                for q in range(m):
                    out[:, i, j, k * m + q] = np.einsum(
                        "bde,de->b", x[:, i : i + kh, j : j + kw, k], kernel[:, :, k, q]
                    )
    return out


def tf_conv_nhwc(x, kernel):
    """tf.nn.conv2d's definition (valid, stride 1) with an HWIO kernel, as loops."""
    kh, kw, _, o = kernel.shape
    n, h, w, _ = x.shape
    out = np.zeros((n, h - kh + 1, w - kw + 1, o))
    for i in range(h - kh + 1):
        for j in range(w - kw + 1):
            out[:, i, j] = np.einsum("bdec,deco->bo", x[:, i : i + kh, j : j + kw], kernel)
    return out


def test_depthwise_tf_kernel_gives_the_same_output_both_ways(xp):
    x_nhwc = RNG.standard_normal((2, 6, 7, 3))
    tf_kernel = RNG.standard_normal((3, 2, 3, 4))
    want = tf_depthwise_nhwc(x_nhwc, tf_kernel)
    weight = layouts.depthwise_from_tf(asarray(xp, tf_kernel))
    got = convnb.depthwise_conv2d(asarray(xp, x_nhwc.transpose(0, 3, 1, 2)), weight)
    np.testing.assert_allclose(to_np(got).transpose(0, 2, 3, 1), want, rtol=1e-10, atol=1e-10)
    back = layouts.depthwise_to_tf(weight, 3)
    np.testing.assert_array_equal(to_np(back), tf_kernel)


def test_dense_layouts_both_ways(xp):
    x_nhwc = RNG.standard_normal((2, 6, 5, 3))
    hwio = RNG.standard_normal((3, 2, 3, 4))
    oihw = layouts.hwio_to_oihw(asarray(xp, hwio))
    got = convnb.conv2d(asarray(xp, x_nhwc.transpose(0, 3, 1, 2)), oihw)
    np.testing.assert_allclose(
        to_np(got).transpose(0, 2, 3, 1), tf_conv_nhwc(x_nhwc, hwio), rtol=1e-10, atol=1e-10
    )
    np.testing.assert_array_equal(to_np(layouts.oihw_to_hwio(oihw)), hwio)


def test_depthwise_layout_matches_torch_channel_order():
    torch = pytest.importorskip("torch")
    tf_kernel = RNG.standard_normal((3, 3, 2, 3))
    x = RNG.standard_normal((1, 2, 5, 5))
    layer = torch.nn.Conv2d(2, 6, 3, groups=2, bias=False).double()
    with torch.no_grad():
        layer.weight.copy_(torch.from_numpy(layouts.depthwise_from_tf(tf_kernel)))
    want = layer(torch.from_numpy(x)).detach().numpy()
    got = tf_depthwise_nhwc(x.transpose(0, 2, 3, 1), tf_kernel).transpose(0, 3, 1, 2)
    np.testing.assert_allclose(got, want, rtol=1e-10, atol=1e-10)


def test_errors():
    with pytest.raises(ValueError, match=r"^a TensorFlow depthwise kernel is \(kH, kW, C_in, "):
        layouts.depthwise_from_tf(np.ones((3, 3, 2)))
    with pytest.raises(ValueError, match=r"for in_channels=3, got shape \(8, 1, 3, 3\)$"):
        layouts.depthwise_to_tf(np.ones((8, 1, 3, 3)), 3)
