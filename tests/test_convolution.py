"""convnb.conv against the loop definitions in convnb.reference, PyTorch, and its own errors."""

from __future__ import annotations

import itertools
import re

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

import convnb
from convnb import reference

from .backends import asarray, to_np, tolerance

RNG = np.random.default_rng(20261129)


def _case(nd, n=2, c_in=4, c_out=6, size=7, k=3, groups=1, dtype=np.float64, bias=True):
    x = RNG.standard_normal((n, c_in) + (size,) * nd).astype(dtype)
    w = RNG.standard_normal((c_out, c_in // groups) + (k,) * nd).astype(dtype)
    b = RNG.standard_normal(c_out).astype(dtype) if bias else None
    return x, w, b


def _check(xp, x, w, b, **kwargs):
    got = convnb.conv(
        asarray(xp, x), asarray(xp, w), None if b is None else asarray(xp, b), **kwargs
    )

    def wide(a):  # the reference computes in double precision
        return None if a is None else a.astype(np.promote_types(a.dtype, np.float64))

    want = reference.conv(wide(x), wide(w), wide(b), **kwargs)
    assert got.shape == want.shape
    np.testing.assert_allclose(to_np(got), want, **tolerance(got.dtype))
    return got


GRID = list(
    itertools.product(
        [1, 2, 3],  # spatial dimensions
        [1, 2, 3],  # stride
        [0, 1, 2, "same", "valid"],  # padding
        [1, 2],  # dilation
        [1, 2],  # groups
    )
)


@pytest.mark.parametrize(("nd", "stride", "padding", "dilation", "groups"), GRID)
def test_matches_reference_on_grid(xp, nd, stride, padding, dilation, groups):
    size = 7 if nd < 3 else 6
    x, w, b = _case(nd, size=size, groups=groups, c_in=4, c_out=4 if nd == 3 else 6)
    _check(xp, x, w, b, stride=stride, padding=padding, dilation=dilation, groups=groups)


@pytest.mark.parametrize("mode", ["zeros", "reflect", "replicate", "circular"])
@pytest.mark.parametrize("nd", [1, 2, 3])
@pytest.mark.parametrize("padding", [1, 2, "same"])
def test_padding_modes_match_reference(xp, mode, nd, padding):
    x, w, b = _case(nd, size=5, c_in=2, c_out=3)
    _check(xp, x, w, b, padding=padding, padding_mode=mode, stride=2 if nd == 2 else 1)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_dtype_is_kept(xp, dtype):
    x, w, b = _case(2, dtype=dtype)
    y = _check(xp, x, w, b, padding=1)
    assert str(y.dtype).endswith(np.dtype(dtype).name)


def test_mixed_float_dtypes_promote(xp):
    x, w, b = _case(2)
    y = convnb.conv(asarray(xp, x.astype(np.float32)), asarray(xp, w), asarray(xp, b))
    assert str(y.dtype).endswith("float64")


def test_complex_inputs(xp):
    x, w, _ = _case(1, bias=False)
    x, w = x + 1j * _case(1)[0], w.astype(np.complex128)
    _check(xp, x, w, None, padding=1)


def test_per_dimension_arguments(xp):
    x = RNG.standard_normal((1, 2, 9, 8))
    w = RNG.standard_normal((3, 2, 3, 2))
    _check(xp, x, w, None, stride=(2, 1), padding=((1, 0), 2), dilation=(1, 3))


def test_unbatched_input(xp):
    x, w, b = _case(2, n=1)
    y = convnb.conv(asarray(xp, x[0]), asarray(xp, w), asarray(xp, b), padding=1)
    want = reference.conv(x, w, b, padding=1)[0]
    assert y.shape == want.shape
    np.testing.assert_allclose(to_np(y), want, **tolerance(y.dtype))


def test_empty_batch(xp):
    x, w, b = _case(2, n=0)
    y = convnb.conv(asarray(xp, x), asarray(xp, w), asarray(xp, b), stride=2)
    assert y.shape == (0, 6, 3, 3)


def test_depthwise_with_multiplier(xp):
    x, w, b = _case(2, c_in=4, c_out=12, groups=4)
    _check(xp, x, w, b, groups=4, padding="same")


def test_kernel_as_large_as_padded_input(xp):
    x, w, b = _case(2, size=5, k=3)
    y = _check(xp, x, w, b, dilation=2)
    assert y.shape[2:] == (1, 1)


@pytest.mark.parametrize("nd", [1, 2, 3])
def test_fixed_rank_functions(xp, nd):
    fn = getattr(convnb, f"conv{nd}d")
    x, w, b = _case(nd, size=5)
    y = fn(asarray(xp, x), asarray(xp, w), asarray(xp, b), padding=1)
    np.testing.assert_allclose(to_np(y), reference.conv(x, w, b, padding=1), **tolerance(y.dtype))
    other = getattr(convnb, f"conv{nd % 3 + 1}d")
    with pytest.raises(ValueError, match=rf"conv{nd % 3 + 1}d expects weight of rank"):
        other(asarray(xp, x), asarray(xp, w))


@settings(max_examples=60, deadline=None)
@given(
    nd=st.integers(1, 3),
    n=st.integers(0, 2),
    groups=st.integers(1, 3),
    c_in_per_group=st.integers(1, 3),
    c_out_per_group=st.integers(1, 3),
    data=st.data(),
)
def test_random_shapes_match_reference(nd, n, groups, c_in_per_group, c_out_per_group, data):
    def per_dim(strategy, label):
        return data.draw(st.lists(strategy, min_size=nd, max_size=nd), label=label)

    kernel = per_dim(st.integers(1, 3), "kernel")
    stride = per_dim(st.integers(1, 3), "stride")
    dilation = per_dim(st.integers(1, 3), "dilation")
    size = per_dim(st.integers(1, 9), "size")
    mode = data.draw(st.sampled_from(["zeros", "reflect", "replicate", "circular"]), label="mode")
    padding = data.draw(
        st.one_of(
            st.sampled_from(["same", "valid"]),
            st.lists(
                st.integers(0, 2) | st.tuples(st.integers(0, 2), st.integers(0, 2)),
                min_size=nd,
                max_size=nd,
            ),
        ),
        label="padding",
    )
    # Keep only layers that have an output (the error tests cover the rest). The padding
    # rule is used here to choose cases, never to compute the expected values.
    pads = convnb.resolve_padding(padding, size, kernel, stride, dilation)
    assume(
        all(i + a + b >= d * (k - 1) + 1 for i, (a, b), k, d in zip(size, pads, kernel, dilation))
    )
    if mode == "reflect":
        assume(all(max(p) < i for p, i in zip(pads, size)))
    c_in, c_out = groups * c_in_per_group, groups * c_out_per_group
    x = RNG.standard_normal((n, c_in, *size))
    w = RNG.standard_normal((c_out, c_in_per_group, *kernel))
    b = RNG.standard_normal(c_out)
    kwargs = dict(
        stride=stride, padding=padding, dilation=dilation, groups=groups, padding_mode=mode
    )
    np.testing.assert_allclose(
        convnb.conv(x, w, b, **kwargs), reference.conv(x, w, b, **kwargs), rtol=1e-10, atol=1e-10
    )


# --- PyTorch as a second, independent oracle ---------------------------------------------------

_TORCH_MODE = {"reflect": "reflect", "replicate": "replicate", "circular": "circular"}


@pytest.mark.parametrize("nd", [1, 2, 3])
@pytest.mark.parametrize(
    ("stride", "padding", "dilation", "groups", "mode"),
    [
        (1, 0, 1, 1, "zeros"),
        (2, 1, 1, 2, "zeros"),
        (1, "same", 2, 1, "zeros"),
        (3, 2, 2, 4, "zeros"),
        (1, 1, 1, 1, "reflect"),
        (2, 2, 1, 2, "replicate"),
        (1, 2, 2, 1, "circular"),
    ],
)
def test_matches_torch(nd, stride, padding, dilation, groups, mode):
    torch = pytest.importorskip("torch")
    functional = torch.nn.functional
    x, w, b = _case(nd, size=8 if nd < 3 else 6, c_in=4, c_out=8, groups=groups)
    y = convnb.conv(
        x,
        w,
        b,
        stride=stride,
        padding=padding,
        dilation=dilation,
        groups=groups,
        padding_mode=mode,
    )
    tx, tw, tb = (torch.from_numpy(a) for a in (x, w, b))
    torch_conv = getattr(functional, f"conv{nd}d")
    if mode == "zeros":
        want = torch_conv(
            tx, tw, tb, stride=stride, padding=padding, dilation=dilation, groups=groups
        )
    else:  # torch.nn.functional.conv*d has no padding_mode; the Conv modules pad like this
        tx = functional.pad(tx, (padding,) * (2 * nd), mode=_TORCH_MODE[mode])
        want = torch_conv(tx, tw, tb, stride=stride, dilation=dilation, groups=groups)
    np.testing.assert_allclose(y, want.numpy(), rtol=1e-10, atol=1e-10)


@pytest.mark.parametrize(("size", "stride"), [(7, 2), (8, 2), (10, 3), (224, 4)])
def test_same_with_stride_matches_tensorflow_rule_via_torch(size, stride):
    """PyTorch refuses "same" with stride > 1; TF's rule is explicit asymmetric padding."""
    torch = pytest.importorskip("torch")
    k = 11 if size == 224 else 3
    x = RNG.standard_normal((1, 2, size, size))
    w = RNG.standard_normal((3, 2, k, k))
    total = max((-(-size // stride) - 1) * stride + k - size, 0)
    before, after = total // 2, total - total // 2
    tx = torch.nn.functional.pad(torch.from_numpy(x), (before, after, before, after))
    want = torch.nn.functional.conv2d(tx, torch.from_numpy(w), stride=stride).numpy()
    y = convnb.conv(x, w, stride=stride, padding="same")
    assert y.shape[2:] == (-(-size // stride),) * 2
    np.testing.assert_allclose(y, want, rtol=1e-10, atol=1e-9)


def test_float32_matches_torch_float32():
    torch = pytest.importorskip("torch")
    x, w, b = _case(2, n=4, c_in=16, c_out=32, size=12, dtype=np.float32)
    y = convnb.conv(x, w, b, padding=1)
    want = torch.nn.functional.conv2d(*(torch.from_numpy(a) for a in (x, w, b)), padding=1)
    assert y.dtype == np.float32
    np.testing.assert_allclose(y, want.numpy(), rtol=1e-4, atol=1e-4)


# --- errors: each names the argument and the value ----------------------------------------------

ERRORS = [
    (
        {"groups": 3},
        ValueError,
        "groups=3 does not divide in_channels=4",
    ),
    ({"groups": 0}, ValueError, "groups=0 must be positive"),
    ({"stride": 0}, ValueError, "stride=0 must be positive"),
    ({"stride": (1, -2)}, ValueError, "stride=(1, -2) must be positive"),
    (
        {"stride": (1, 2, 3)},
        ValueError,
        "stride=(1, 2, 3) must have one entry per spatial dimension (2)",
    ),
    ({"dilation": -1}, ValueError, "dilation=-1 must be positive"),
    ({"stride": 1.5}, TypeError, "stride must be an integer, got 1.5"),
    ({"groups": True}, TypeError, "groups must be an integer, got True"),
    ({"padding": -1}, ValueError, "padding=-1 must be non-negative"),
    (
        {"padding": "full"},
        ValueError,
        "padding='full' is not one of ('valid', 'same'), an int, or a sequence of them",
    ),
    (
        {"padding_mode": "mirror"},
        ValueError,
        "padding_mode='mirror' is not one of ('zeros', 'reflect', 'replicate', 'circular')",
    ),
    (
        {"dilation": 4},
        ValueError,
        "the dilated kernel spans 9 samples (kernel_size=3, dilation=4), more than the padded "
        "input of 7 (input_size=7, padding=0+0)",
    ),
    (
        {"padding": 7, "padding_mode": "reflect"},
        ValueError,
        "reflect padding of (7, 7) needs an input longer than the padding, got length 7",
    ),
]


@pytest.mark.parametrize(("kwargs", "error", "message"), ERRORS)
def test_argument_errors(xp, kwargs, error, message):
    x, w, b = _case(2, c_in=4, c_out=6)
    with pytest.raises(error, match=f"^{re.escape(message)}$"):
        convnb.conv(asarray(xp, x), asarray(xp, w), asarray(xp, b), **kwargs)


def test_shape_errors(xp):
    x, w, b = _case(2, c_in=4, c_out=6)
    X, W = asarray(xp, x), asarray(xp, w)
    with pytest.raises(
        ValueError,
        match=re.escape(
            "with a 2-D kernel, x must have rank 4 (N, C_in, *spatial) or 3 "
            "(C_in, *spatial), got shape (2, 4, 7, 7, 1)"
        ),
    ):
        convnb.conv(asarray(xp, x[..., None]), W)
    with pytest.raises(ValueError, match=re.escape("1 to 3 kernel dimensions, got shape (6, 4)")):
        convnb.conv(X, asarray(xp, w[:, :, 0, 0]))
    with pytest.raises(
        ValueError, match=re.escape("so groups=1 needs 3 input channels, but x has 4")
    ):
        convnb.conv(X, asarray(xp, w[:, :3]))
    with pytest.raises(ValueError, match=re.escape("groups=4 does not divide out_channels=6")):
        convnb.conv(X, asarray(xp, w[:, :1]), groups=4)
    six = asarray(xp, RNG.standard_normal((1, 6, 5, 5)))
    with pytest.raises(
        ValueError,
        match=re.escape(
            "weight has 1 input channels per group, so groups=3 needs 3 input channels, "
            "but x has 6"
        ),
    ):
        convnb.conv(six, asarray(xp, RNG.standard_normal((6, 1, 3, 3))), groups=3)
    with pytest.raises(ValueError, match=re.escape("bias must have shape (6,), got (5,)")):
        convnb.conv(X, W, asarray(xp, b[:5]))


def test_dtype_errors(xp):
    x, w, _ = _case(2)
    with pytest.raises(
        TypeError,
        match="^"
        + re.escape("x must have a floating-point (real or complex) dtype, got int64")
        + "$",
    ):
        convnb.conv(asarray(xp, x.astype(np.int64)), asarray(xp, w))
    with pytest.raises(
        TypeError,
        match="^"
        + re.escape("bias must have a floating-point (real or complex) dtype, got bool")
        + "$",
    ):
        convnb.conv(asarray(xp, x), asarray(xp, w), asarray(xp, np.ones(6, dtype=bool)))


def test_mixing_array_libraries_is_a_type_error():
    import array_api_strict

    x, w, _ = _case(2)
    with pytest.raises(
        TypeError,
        match=r"^all arrays in one call must come from the same array "
        r"library, got x: numpy\.ndarray, weight: array_api_strict",
    ):
        convnb.conv(x, array_api_strict.asarray(w))
    # an array-like takes the library of the array arguments (here NumPy)
    np.testing.assert_allclose(convnb.conv(x, w.tolist()), convnb.conv(x, w), rtol=1e-12)
    with pytest.raises(TypeError, match=r"^weight must be an array or array-like .*got str$"):
        convnb.conv(x, "w")


# --- pointwise ---------------------------------------------------------------------------------


@pytest.mark.parametrize("nd", [1, 2, 3])
@pytest.mark.parametrize("groups", [1, 2])
def test_pointwise_is_a_matrix_product_at_every_position(xp, nd, groups):
    x = RNG.standard_normal((2, 4) + (3,) * nd)
    w = RNG.standard_normal((6, 4 // groups))
    b = RNG.standard_normal(6)
    y = convnb.pointwise_conv(asarray(xp, x), asarray(xp, w), asarray(xp, b), groups=groups)
    dense = np.zeros((6, 4))
    for g in range(groups):  # the block-diagonal matrix, written out here
        dense[g * 6 // groups : (g + 1) * 6 // groups, g * 4 // groups : (g + 1) * 4 // groups] = (
            w[g * 6 // groups : (g + 1) * 6 // groups]
        )
    want = np.einsum("oc,nc...->no...", dense, x) + b.reshape((6,) + (1,) * nd)
    np.testing.assert_allclose(to_np(y), want, rtol=1e-10, atol=1e-10)
    w4 = asarray(xp, w.reshape(6, 4 // groups, *(1,) * nd))
    np.testing.assert_allclose(
        to_np(convnb.pointwise_conv(asarray(xp, x), w4, groups=groups))
        + b.reshape((6,) + (1,) * nd),
        want,
        rtol=1e-10,
        atol=1e-10,
    )


def test_pointwise_errors(xp):
    with pytest.raises(
        ValueError,
        match=re.escape(
            "a pointwise weight must be (C_out, C_in/groups) or have a 1x1 kernel, "
            "got shape (6, 4, 3, 3)"
        ),
    ):
        convnb.pointwise_conv(
            asarray(xp, np.ones((1, 4, 5, 5))), asarray(xp, np.ones((6, 4, 3, 3)))
        )
