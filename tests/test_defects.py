"""Regression tests for the defects of issue 12, one block per defect (each failed before)."""

from __future__ import annotations

import re
import tracemalloc

import numpy as np
import pytest

import convnb
from convnb import arithmetic, frameworks, layouts, networks, padding, reference

RNG = np.random.default_rng(12)


# 1. conv_grad_input ignored input_shape[1]
@pytest.mark.parametrize("channels", [5, 6])
def test_grad_input_checks_the_channels_of_input_shape(channels):
    g, w = np.ones((1, 3, 4, 4)), np.ones((3, 4, 3, 3))
    with pytest.raises(ValueError, match=rf"input_shape=\(1, {channels}, 6, 6\) has {channels}"):
        convnb.conv_grad_input(g, w, (1, channels, 6, 6))


# 2. the input gradient under reflect/replicate/circular padding was O(n^2) in memory
@pytest.mark.parametrize("mode", ["reflect", "replicate", "circular"])
def test_grad_input_through_padding_is_linear(mode):
    n = 20_000
    w = RNG.standard_normal((1, 1, 3))
    g = RNG.standard_normal((1, 1, n))
    tracemalloc.start()
    got = convnb.conv_grad_input(g, w, (1, 1, n), padding=1, padding_mode=mode)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert peak < 50 * n * 8  # a dense (n+2) x n fold matrix alone would be 3 GiB
    # the adjoint identity <conv(x), g> == <x, grad_input(g)> on a random x
    x = RNG.standard_normal((1, 1, n))
    y = convnb.conv(x, w, padding=1, padding_mode=mode)
    assert np.isclose(np.vdot(y, g), np.vdot(x, got), rtol=1e-10)


# 3. scratch_limit did not bound one image at stride 1, nor depthwise: tests/test_kernels.py


# 4. None for a required array gave AttributeError
@pytest.mark.parametrize(
    ("call", "name"),
    [
        (lambda: convnb.conv(None, np.ones((1, 1, 3))), "x"),
        (lambda: convnb.conv(np.ones((1, 1, 5)), None), "weight"),
        (lambda: convnb.conv_transpose(np.ones((1, 1, 5)), None), "weight"),
        (lambda: convnb.convolve(None, [1.0]), "in1"),
        (lambda: convnb.correlate([1.0], None), "in2"),
        (lambda: convnb.conv_grad_input(None, np.ones((1, 1, 3)), (1, 1, 5)), "grad_output"),
        (lambda: convnb.conv_grad_weight(np.ones((1, 1, 5)), None, (1, 1, 3)), "grad_output"),
        (lambda: convnb.depthwise_conv2d(np.ones((1, 2, 5, 5)), None), "weight"),
        (lambda: convnb.separable_conv(np.ones((1, 2, 5)), np.ones((2, 1, 3)), None), None),
    ],
)
def test_none_is_a_type_error_naming_the_argument(call, name):
    name = name or "pointwise_weight"
    with pytest.raises(TypeError, match=f"^{name} must be an array, got None$"):
        call()


# 5. receptive_field_by_gradient wrapped negative positions and seeded whole rows
@pytest.mark.parametrize("position", [(-1, 0), (0,), (5, 0), (0, 0, 0)])
def test_receptive_field_by_gradient_checks_the_position(position):
    layers = [{"kernel_size": 3}]
    with pytest.raises(ValueError, match=re.escape(f"position={position} must have one")):
        convnb.receptive_field_by_gradient(layers, (7, 7), position)


# 6. nonsense accepted silently or failing with the wrong error
BAD = [
    (lambda: arithmetic.count_macs(4, 6, 3, -5), ValueError, "output_size=-5 must be positive"),
    (
        lambda: arithmetic.count_macs(4, 6, (3, 3), (5, 5, 5)),
        ValueError,
        "must have the same number of dimensions",
    ),
    (
        lambda: arithmetic.stack_sizes([{"kernel_size": 3, "strides": 2}], 32),
        ValueError,
        "layers[0] has unknown keys ['strides']",
    ),
    (lambda: padding.pad_indices(4, -2, 0), ValueError, "before=-2 must be non-negative"),
    (lambda: networks.Pool(2, 0), ValueError, "Pool(stride=0) must be positive"),
    (lambda: networks.Conv(8, 3, groups=0), ValueError, "Conv(groups=0) must be positive"),
    (lambda: networks.Shuffle(0), ValueError, "Shuffle(groups=0) must be positive"),
    (lambda: networks.Linear(0), ValueError, "Linear(out_features=0) must be positive"),
    (
        lambda: networks.summarize([networks.Conv(8, 3)], (32, 32)),
        ValueError,
        "input_shape=(32, 32) must be (C, H, W)",
    ),
    (lambda: frameworks.pytorch_layer(3, 8, 3, stride=0), ValueError, "stride=0 must be positive"),
    (
        lambda: frameworks.keras_layer(3, 8, 3, padding=-1),
        ValueError,
        "padding=-1 must be non-negative",
    ),
    (
        lambda: convnb.insert_zeros(np.ones((1, 1, 3)), 2, axes=(7,)),
        ValueError,
        "axes=(7,) must be distinct axes of x, which has rank 3",
    ),
    (
        lambda: convnb.separate(np.array([[1.0, np.nan], [0.0, 1.0]])),
        ValueError,
        "kernel must be finite",
    ),
    (
        lambda: convnb.separate(np.array([[1.0, np.inf], [0.0, 1.0]])),
        ValueError,
        "kernel must be finite",
    ),
    (
        lambda: layouts.depthwise_to_tf(np.ones((4, 1, 3, 3)), 0),
        ValueError,
        "in_channels=0 must be positive",
    ),
]


@pytest.mark.parametrize(("call", "error", "message"), BAD)
def test_nonsense_is_refused_naming_the_argument(call, error, message):
    with pytest.raises(error, match=re.escape(message)):
        call()


def test_a_huge_stride_is_fine_where_there_is_one_output():
    x, w = RNG.standard_normal((1, 2, 9)), RNG.standard_normal((3, 2, 3))
    got = convnb.conv(x, w, stride=10**30)
    np.testing.assert_allclose(got, reference.conv(x, w, stride=9), rtol=1e-12)


# 7. float16 depthwise accumulated in float16: tests/test_kernels.py


# 2 and 4 on the array-likes of defect 9: conv takes lists like the signal functions
def test_conv_takes_array_likes():
    got = convnb.conv([[[1.0, 2.0, 3.0]]], [[[1.0, 1.0]]])
    np.testing.assert_array_equal(got, [[[3.0, 5.0]]])


# validate once, in the caller's words: an error names an argument the caller passed
def test_separable_errors_name_the_pointwise_weight():
    x, dw = np.ones((1, 4, 6, 6)), np.ones((4, 1, 3, 3))
    with pytest.raises(ValueError, match=r"^pointwise_weight must have shape \(C_out, 4\)"):
        convnb.separable_conv2d(x, dw, np.ones((8, 5)))


def test_spatially_separable_errors_name_the_row():
    x, column = np.ones((1, 4, 6, 6)), np.ones((6, 4, 3, 1))
    with pytest.raises(ValueError, match=r"^row has 5 input channels per group"):
        convnb.spatially_separable_conv2d(x, column, np.ones((2, 5, 1, 3)))
