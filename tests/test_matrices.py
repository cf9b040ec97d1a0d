"""convnb.matrices: the convolution matrix against PyTorch and the reference loops."""

from __future__ import annotations

import numpy as np
import pytest

from convnb import reference
from convnb.matrices import conv_matrix

CASES = [  # (C_in, C_out, input, kernel, stride, padding, dilation, groups)
    (1, 1, (4, 4), (3, 3), 1, 0, 1, 1),
    (2, 3, (5, 6), (3, 2), (2, 1), ((1, 0), (1, 1)), (1, 2), 1),
    (4, 6, (7, 7), (3, 3), 2, 1, 1, 2),
    (3, 3, (6,), (2,), 1, 1, 3, 3),
]


@pytest.mark.parametrize("case", CASES)
def test_matrix_times_input_is_the_convolution(case):
    c_in, c_out, size, kernel, stride, padding, dilation, groups = case
    rng = np.random.default_rng(0)
    x = rng.standard_normal((1, c_in, *size))
    w = rng.standard_normal((c_out, c_in // groups, *kernel))
    kw = dict(stride=stride, padding=padding, dilation=dilation, groups=groups)
    C = conv_matrix(w, size, **kw)
    expected = reference.conv(x, w, **kw)  # plain loops, not the code under test
    assert C.shape == (expected.size, x.size)
    np.testing.assert_allclose(C @ x.ravel(), expected.ravel(), rtol=1e-10, atol=1e-10)


@pytest.mark.parametrize(
    "case",  # (C_in, C_out, input, k, stride, padding, dilation, groups)
    [(2, 4, (6, 5), 3, 2, 1, 1, 1), (4, 6, (9, 8), 3, 2, 2, 2, 2), (6, 3, (7, 7), 2, 1, 1, 3, 3)],
)
def test_against_pytorch_and_transpose(case):
    torch = pytest.importorskip("torch")
    c_in, c_out, size, k, stride, padding, dilation, groups = case
    rng = np.random.default_rng(1)
    x = rng.standard_normal((1, c_in, *size))
    w = rng.standard_normal((c_out, c_in // groups, k, k))
    kw = dict(stride=stride, padding=padding, dilation=dilation, groups=groups)
    C = conv_matrix(w, size, **kw)
    y = torch.nn.functional.conv2d(torch.from_numpy(x), torch.from_numpy(w), **kw)
    np.testing.assert_allclose(C @ x.ravel(), y.numpy().ravel(), rtol=1e-10, atol=1e-10)
    z = rng.standard_normal(y.shape)
    # torch's transposed weight is (C_in, C_out / groups, k, k) for the map C_in -> C_out;
    # the adjoint of the convolution above maps C_out channels back to C_in, so its weight
    # is w itself; output_padding restores the input rows and columns the stride dropped
    extra = tuple(
        i - ((o - 1) * stride - 2 * padding + dilation * (k - 1) + 1)
        for i, o in zip(size, y.shape[2:], strict=True)
    )
    back = torch.nn.functional.conv_transpose2d(
        torch.from_numpy(z), torch.from_numpy(w), **kw, output_padding=extra
    )
    np.testing.assert_allclose(C.T @ z.ravel(), back.numpy().ravel(), rtol=1e-10, atol=1e-10)


def test_dumoulin_visin_4x16():
    w = np.arange(1.0, 10.0).reshape(1, 1, 3, 3)
    C = conv_matrix(w, 4)
    assert C.shape == (4, 16)
    # each row holds the nine weights once; the rows are shifts of one another
    assert all(sorted(row[row != 0]) == list(range(1, 10)) for row in C)
    assert np.array_equal(C[1], np.roll(C[0], 1)) and np.array_equal(C[2], np.roll(C[0], 4))


def test_errors():
    with pytest.raises(ValueError, match=r"input_size=\(4,\) must have one entry"):
        conv_matrix(np.ones((1, 1, 3, 3)), (4,))
    with pytest.raises(ValueError, match=r"groups=2 must be positive and divide C_out=3"):
        conv_matrix(np.ones((3, 1, 3)), 5, groups=2)
    with pytest.raises(ValueError, match=r"weight must have shape"):
        conv_matrix(np.ones((3, 3)), 5)


@pytest.mark.parametrize("case", CASES)
def test_transpose_is_the_transposed_convolution(case):
    c_in, c_out, size, kernel, stride, padding, dilation, groups = case
    if not isinstance(padding, int):
        pytest.skip("a transposed convolution trims the same padding from both ends")
    rng = np.random.default_rng(2)
    w = rng.standard_normal((c_out, c_in // groups, *kernel))
    kw = dict(stride=stride, padding=padding, dilation=dilation, groups=groups)
    C = conv_matrix(w, size, **kw)
    out = reference.conv(np.zeros((1, c_in, *size)), w, **kw).shape
    y = rng.standard_normal(out)
    strides = stride if isinstance(stride, tuple) else (stride,) * len(size)
    dils = dilation if isinstance(dilation, tuple) else (dilation,) * len(size)
    extra = tuple(
        i - ((o - 1) * s - 2 * padding + d * (k - 1) + 1)
        for i, o, s, d, k in zip(size, out[2:], strides, dils, kernel, strict=True)
    )
    # the adjoint maps C_out channels back to C_in: its weight, in the transposed layout
    # (C_in_of_transpose, C_out_of_transpose / groups, ...), is w itself
    back = reference.conv_transpose(y, w, **kw, output_padding=extra)
    np.testing.assert_allclose(C.T @ y.ravel(), back.ravel(), rtol=1e-10, atol=1e-10)
