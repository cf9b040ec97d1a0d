"""convnb.frameworks: the PyTorch code it writes computes what convnb computes."""

from __future__ import annotations

import numpy as np
import pytest

import convnb
from convnb import frameworks

LAYERS = [
    dict(in_channels=3, out_channels=8, kernel_size=3, padding=1),
    dict(in_channels=4, out_channels=8, kernel_size=3, stride=2, padding="same", groups=2),
    dict(in_channels=4, out_channels=8, kernel_size=5, stride=3, padding="same", groups=4),
    dict(in_channels=2, out_channels=2, kernel_size=3, padding="same", dilation=2),
    dict(in_channels=6, out_channels=3, kernel_size=1),
    dict(in_channels=2, out_channels=4, kernel_size=(3, 2), stride=(2, 1), padding=(1, 0)),
]


@pytest.mark.parametrize("layer", LAYERS)
def test_pytorch_code_matches_convnb(layer):
    torch = pytest.importorskip("torch")
    size = (11, 10)
    module = eval(frameworks.pytorch_layer(**layer, input_size=size), {"torch": torch})
    conv = module[-1] if isinstance(module, torch.nn.Sequential) else module
    x = np.random.default_rng(0).standard_normal((2, layer["in_channels"], *size))
    want = module(torch.from_numpy(x).float()).detach().numpy()
    args = {
        k: v for k, v in layer.items() if k not in ("in_channels", "out_channels", "kernel_size")
    }
    got = convnb.conv(x, conv.weight.detach().double().numpy(), **args)
    np.testing.assert_allclose(got, want, rtol=1e-4, atol=1e-4)


def test_pytorch_transposed_code():
    torch = pytest.importorskip("torch")
    code = frameworks.pytorch_layer(
        4, 2, 3, stride=2, padding=1, transposed=True, output_padding=1, groups=2
    )
    module = eval(code, {"torch": torch})
    assert isinstance(module, torch.nn.ConvTranspose2d)
    assert module(torch.zeros(1, 4, 5, 5)).shape == (1, 2, 10, 10)


def test_keras_code_spells_keras_conventions():
    assert frameworks.keras_layer(3, 8, 3, stride=2, padding="same").startswith(
        'tf.keras.layers.Conv2D(filters=8, kernel_size=3, strides=2, padding="same"'
    )
    depthwise = frameworks.keras_layer(4, 12, 3, groups=4)
    assert "DepthwiseConv2D" in depthwise and "depth_multiplier=3" in depthwise
    explicit = frameworks.keras_layer(3, 8, 3, padding=2)
    assert "ZeroPadding2D(2)" in explicit and 'padding="valid"' in explicit
    transposed = frameworks.keras_layer(
        4, 2, 3, stride=2, padding=1, transposed=True, output_padding=1
    )
    assert "Conv2DTranspose" in transposed and "Cropping2D(1)" in transposed
    assert "refuses dilation_rate > 1 together with strides > 1" in frameworks.keras_layer(
        2, 2, 3, stride=2, dilation=2
    )


def test_same_with_stride_needs_the_input_size():
    with pytest.raises(ValueError, match=r"^padding='same' with stride > 1 needs input_size"):
        frameworks.pytorch_layer(3, 8, 3, stride=2, padding="same")


@pytest.mark.parametrize(
    ("i", "k", "s", "d"), [(3, 3, 2, 1), (4, 4, 2, 1), (5, 3, 3, 1), (4, 3, 2, 2), (6, 5, 2, 1)]
)
@pytest.mark.parametrize("tf_padding", ["SAME", "VALID"])
def test_tf_transpose_equivalent_is_the_gradient_of_tf_conv(i, k, s, d, tf_padding):
    """TensorFlow's conv2d_transpose is the gradient of its conv2d; check PyTorch's pair
    against convnb's gradient of a convolution with TensorFlow's padding."""
    rng = np.random.default_rng(0)
    w = rng.standard_normal((2, 3, k))
    x = rng.standard_normal((1, 2, i))
    matched = 0
    for o in range(1, 4 * i * s):
        pads = convnb.same_padding(o, k, s, d) if tf_padding == "SAME" else (0, 0)
        if o + sum(pads) < d * (k - 1) + 1 or convnb.conv_output_size(o, k, s, pads, d) != i:
            continue
        tf_like = convnb.conv_grad_input(x, w, (1, 3, o), stride=s, dilation=d, padding=(pads,))
        try:
            p, extra = frameworks.tf_transpose_to_torch(i, o, k, s, tf_padding, d)
        except ValueError:
            # only SAME with its odd sample at the end has no PyTorch equivalent
            assert tf_padding == "SAME" and pads[0] < pads[1]
            continue
        got = convnb.conv_transpose(x, w, stride=s, padding=p, output_padding=extra, dilation=d)
        np.testing.assert_allclose(got, tf_like, rtol=1e-10, atol=1e-10)
        matched += 1
    assert matched > 0


def test_small_conversions():
    assert frameworks.groups_from_width(128, 4) == 32
    assert frameworks.dilation_from_holes(0) == 1
    with pytest.raises(ValueError, match=r"^width=3 does not divide channels=128$"):
        frameworks.groups_from_width(128, 3)
    with pytest.raises(ValueError, match=r"^holes=-1 must be non-negative$"):
        frameworks.dilation_from_holes(-1)
